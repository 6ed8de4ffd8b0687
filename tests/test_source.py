"""Reading inputs: every encoding an editor saves, every line end, and a plain refusal for non-text."""

from __future__ import annotations

import codecs

import pytest

from converter.errors import InputError
from converter.source import SourceText, decode, read_source
from tests.conftest import run_ficexport

TEXT = "Chapter 1\n\n“Don’t,” said Zoë — and the café went quiet… ¡Olé!\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with BOM
        TEXT.encode("utf-16-le"),  # without BOM
        TEXT.encode("utf-16-be"),
        TEXT.encode("utf-32"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le-no-bom", "utf16be-no-bom", "utf32"],
)
def test_unicode_encodings_decode_to_the_same_text(data):
    assert decode(data).text == TEXT


def test_windows_1252_is_recognised_over_its_look_alikes():
    text = ("It was a tête-à-tête, the manœuvre of a “careful” hostess; ") * 40
    assert decode(text.encode("cp1252")) == SourceText(text, "cp1252")


@pytest.mark.parametrize("encoding", ["gb18030", "big5", "shift_jis", "euc_kr"])
def test_cjk_encodings(encoding):
    samples = {
        "gb18030": "第一章\n\n他走进房间，看见桌上放着一封信。信上写着她的名字，字迹很熟悉。\n" * 20,
        "big5": "第一章\n\n他走進房間，看見桌上放著一封信。信上寫著她的名字，字跡很熟悉。\n" * 20,
        "shift_jis": "第一章\n\n彼は部屋に入って、机の上に手紙が置いてあるのを見た。懐かしい字だった。\n"
        * 20,
        "euc_kr": "제1장\n\n그는 방에 들어가서 책상 위에 놓인 편지를 보았다. 익숙한 글씨였다.\n" * 20,
    }
    text = samples[encoding]
    assert decode(text.encode(encoding)).text == text


# Past 2,560 bytes charset-normalizer samples a text, and its last sample was the few bytes left over:
# a text ending in "~\n" (Vim's tutors) scored as chaos in every encoding and none was found.
RUSSIAN = (
    "Урок первый\n\n"
    + "Вечером мы сидели у окна и говорили о книгах, которые читали в детстве. "
    "Ветер шумел в саду, а на столе остывал крепкий чай с мёдом.\n\n" * 20
    + "~" * 38
    + "\n"
)
FRENCH = (
    "Leçon première\n\n"
    + "Le soir, nous étions assis près de la fenêtre à parler des livres lus à l'âge où l'on "
    "croit tout ; la pluie tombait sur le jardin et le thé refroidissait dans les tasses.\n\n" * 20
    + "~" * 40
    + "\n"
)


def test_koi8_r_is_read_as_koi8_r_not_as_the_cp1251_it_also_decodes_as():
    data = RUSSIAN.encode("koi8_r")
    assert len(data) > 2560 and len(data) % 5 == 2  # the leftover sample is "~\n"
    assert decode(data) == SourceText(RUSSIAN, "koi8-r")


def test_latin_1_is_read_whole():
    data = FRENCH.encode("latin-1")
    assert len(data) > 2560 and len(data) % 5 == 2
    source = decode(data)
    # With no byte in 0x80-0x9F, Latin-1 and Windows-1252 read a text the same: either name is right.
    assert source.text == FRENCH and source.encoding in {"iso8859-1", "cp1252"}
    assert not source.warnings


def test_big5_with_a_few_undecodable_pairs_is_read_as_big5_with_one_warning(tmp_path):
    line = "他走進房間，看見桌上放著一封信。信上寫著她的名字，字跡很熟悉。\n"
    # 0x8F 0xFE is in no Big5 table (each byte becomes U+FFFD); 0xC8 0x40 only HKSCS maps (to "Л"),
    # which would read damage as a rare character: Big5 keeps 0xC8 as U+FFFD and reads "@".
    data = (
        "第一章\n\n".encode("big5")
        + line.encode("big5") * 6
        + b"\x8f\xfe"
        + line.encode("big5") * 6
        + b"\xc8\x40"
        + line.encode("big5") * 6
    )
    work = tmp_path / "work.txt"
    work.write_bytes(data)
    source = read_source(work)
    assert source.encoding == "big5"
    assert source.text == "第一章\n\n" + line * 6 + "\ufffd\ufffd" + line * 6 + "\ufffd@" + line * 6
    first = len("第一章\n\n".encode("big5") + line.encode("big5") * 6)
    assert source.warnings == (
        f"the text is big5 but for 3 byte sequences that are not (the first on line 9, at offset {first}); "
        "each is kept as the replacement character \ufffd",
    )


def test_a_text_in_no_encoding_is_still_refused():
    with pytest.raises(InputError, match="encoding could not be recognised"):
        decode(bytes(range(0x80, 0x100)) * 12)


def test_utf8_but_for_a_stray_byte_is_refused_saying_where():
    data = "“Zoë” and the café.\n".encode() * 30 + b"A stray \x85 byte.\n" + "“Naïve.”\n".encode() * 30
    with pytest.raises(InputError, match=r"UTF-8 but for one byte that is not \(on line 31, at offset 788\)"):
        decode(data)


def test_line_ends_and_dos_end_of_file_mark_are_normalised():
    assert decode(b"one\r\ntwo\rthree\n\x1a").text == "one\ntwo\nthree\n"


def test_forced_encoding_is_used_and_a_wrong_one_is_explained():
    assert decode("café".encode("cp1252") * 3, encoding="cp1252").text == "café" * 3
    with pytest.raises(InputError, match="not valid utf-8"):
        decode(b"caf\xe9", encoding="utf-8")
    with pytest.raises(InputError, match="not an encoding Python knows"):
        decode(b"text", encoding="klingon-8")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b" \n\t\n", "the file is empty"),
        ("\u00a0\n\u200b\n".encode(), "only white space"),
        (b"\x00\x01\x02\x03binary\x00\x00\xff\xfe\x00", "binary file"),
        (b"PK\x03\x04" + b"\x00" * 40, "zip archive"),
        (b"%PDF-1.7\n...", "PDF document"),
    ],
)
def test_non_text_is_refused_with_a_reason(data, message):
    with pytest.raises(InputError, match=message):
        decode(data)


def test_missing_path_and_folder_are_explained(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_source(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="folder, not a file"):
        read_source(tmp_path)


def test_size_limit(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000)
    with pytest.raises(InputError, match="over the"):
        read_source(big, max_bytes=1000)


def test_the_command_says_which_bytes_it_could_not_read_and_converts_the_rest(tmp_path):
    line = "他走進房間，看見桌上放著一封信。信上寫著她的名字，字跡很熟悉。\n"
    work = tmp_path / "work.txt"
    work.write_bytes(line.encode("big5") * 8 + b"\x8f\xfe" + line.encode("big5") * 8)
    done = run_ficexport(work, "-o", tmp_path / "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "big5 but for 2 byte sequences" in done.stderr and "line 9" in done.stderr
    assert (tmp_path / "out" / "work.epub").exists()
