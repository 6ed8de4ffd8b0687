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
    "Урок первый\n\n" + "Вечером мы сидели у окна и говорили о книгах, которые читали в детстве. "
    "Ветер шумел в саду, а на столе остывал крепкий чай с мёдом.\n\n" * 20 + "~" * 38 + "\n"
)
FRENCH = (
    "Leçon première\n\n"
    + "Le soir, nous étions assis près de la fenêtre à parler des livres lus à l'âge où l'on "
    "croit tout ; la pluie tombait sur le jardin et le thé refroidissait dans les tasses.\n\n"
    * 20
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
        "the text is big5 but for 3 byte sequences that are not (the first on line 9, column 1); "
        "each is kept as the replacement character \ufffd",
    )
    assert data[first : first + 2] == b"\x8f\xfe"  # line 9 starts with the first of them


def test_a_text_in_no_encoding_is_still_refused():
    with pytest.raises(InputError, match="encoding could not be recognised"):
        decode(bytes(range(0x80, 0x100)) * 12)


UTF8_LINE = "“Zoë” and the café.\n"


def test_utf8_but_for_a_stray_cp1252_byte_is_read_with_one_warning_saying_where():
    data = UTF8_LINE.encode() * 30 + b"A stray \x85 byte.\n" + "“Naïve.”\n".encode() * 30
    assert decode(data) == SourceText(
        UTF8_LINE * 30 + "A stray \ufffd byte.\n" + "“Naïve.”\n" * 30,
        "utf-8",
        (
            "the text is UTF-8 but for one byte that is not (on line 31, column 9); "
            "it is kept as the replacement character \ufffd",
        ),
    )


def test_utf8_cut_in_the_middle_of_a_character_loses_only_that_character():
    # Two files joined where the first was cut inside a closing quote (E2 80 of E2 80 9D).
    data = UTF8_LINE.encode() * 10 + "“Stop,”".encode()[:-1] + "“Go.”\n".encode() + UTF8_LINE.encode() * 10
    source = decode(data)
    assert source.text == UTF8_LINE * 10 + "“Stop,\ufffd“Go.”\n" + UTF8_LINE * 10
    assert source.warnings == (
        "the text is UTF-8 but for one byte that is not (on line 11, column 7); "
        "it is kept as the replacement character \ufffd",
    )


def test_the_warning_counts_every_bad_byte_and_gives_the_column_in_characters_on_crlf_lines():
    data = (UTF8_LINE.replace("\n", "\r\n").encode() * 4) + "“Zoë” w".encode() + b"\x92s here \xe9\r\n"
    source = decode(data)
    assert source.text == UTF8_LINE * 4 + "“Zoë” w\ufffds here \ufffd\n"
    assert source.warnings == (
        "the text is UTF-8 but for 2 bytes that are not (the first on line 5, column 8); "
        "each is kept as the replacement character \ufffd",
    )


def test_utf8_with_a_bom_and_a_stray_byte_is_read_without_the_bom():
    data = codecs.BOM_UTF8 + UTF8_LINE.encode() * 3 + b"caf\xe9\n"
    source = decode(data)
    assert source.text == UTF8_LINE * 3 + "caf\ufffd\n"
    assert source.encoding == "utf-8-sig"
    assert "(on line 4, column 4)" in source.warnings[0]


def test_ascii_with_one_legacy_byte_is_read_in_the_legacy_encoding_not_as_damaged_utf8():
    # No character beyond ASCII reads as UTF-8, so there is nothing to say it is UTF-8: the
    # Windows reading keeps every letter.
    source = decode(b"Plain English text about a caf\xe9 and nothing else.\n" * 5)
    assert source.text == "Plain English text about a café and nothing else.\n" * 5
    assert source.warnings == ()


def test_mostly_cp1252_with_a_few_utf8_letters_is_read_as_cp1252():
    # Two files joined the other way round: the legacy one is the text, a little UTF-8 came with it.
    text = "It was a tête-à-tête, the manœuvre of a “careful” hostess; " * 20
    data = text.encode("cp1252") + "Zoë\n".encode()
    source = decode(data)
    assert source.text.startswith(text) and not source.warnings


def test_line_ends_and_dos_end_of_file_mark_are_normalised():
    assert decode(b"one\r\ntwo\rthree\n\x1a").text == "one\ntwo\nthree\n"


def test_forced_encoding_is_used_and_a_wrong_one_is_explained():
    assert decode("café".encode("cp1252") * 3, encoding="cp1252").text == "café" * 3
    with pytest.raises(InputError, match="not an encoding Python knows"):
        decode(b"text", encoding="klingon-8")


def test_forced_encoding_reads_the_bytes_it_does_not_decode_as_replacement_characters():
    # The detector would read this as Windows-1252; the user said UTF-8, and is obeyed, told where.
    source = decode(b"Plain text about a caf\xe9.\n" * 2, encoding="utf-8")
    assert source.text == "Plain text about a caf\ufffd.\n" * 2
    assert source.encoding == "utf-8"
    assert source.warnings == (
        "the text is UTF-8 but for 2 bytes that are not (the first on line 1, column 23); each is kept "
        "as the replacement character \ufffd; if the text is not UTF-8, try another --encoding",
    )
    assert decode(TEXT.encode("utf-16-le"), encoding="utf-16-le").text == TEXT  # its NULs are text


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "PNG image"), (b"ab\x00\x01\xffcd", "binary file")],
)
def test_forced_encoding_still_refuses_a_file_that_is_not_text(data, message):
    with pytest.raises(InputError, match=message):
        decode(data, encoding="utf-8")


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
