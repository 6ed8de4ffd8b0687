#!/usr/bin/env bash
# Pictures of the PDF for a person to look at: for each text, the title page, the opening page of
# the first part after it (the first chapter, usually) and a page from the middle, at an e-reader
# size (6in) and at the default A5, as PNG at 60 dpi.
#
#   scripts/pdf-pictures.sh [OUT_DIR] [TEXT...]
#
# OUT_DIR defaults to pdf-pictures/; the texts default to the example in examples/ and, when the
# shared corpus sits beside the project, its seed 003. Needs ficexport and pypdf (pip install
# '.[test]') and pdftoppm (Debian: poppler-utils). Writes OUT_DIR/SIZE/NAME-{title,opening,middle}.png
set -euo pipefail

project="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-pdf-pictures}"
shift || true
texts=("$@")
if [ ${#texts[@]} -eq 0 ]; then
  texts=("$project/examples/the-lighthouse-keepers-cat.txt")
  seed="$project/../shared/corpus/seeds/003_7b2312cb8bf2a94c.txt"
  if [ -f "$seed" ]; then texts+=("$seed"); fi
fi
python="${PYTHON:-python3}"

for size in 6in a5; do
  mkdir -p "$out/$size"
  ficexport "${texts[@]}" --pdf --page-size "$size" -o "$out/$size"
  for text in "${texts[@]}"; do
    name="$(basename "${text%.*}")"
    pdf="$out/$size/$name.pdf"
    # Page numbers (from 1): the first bookmark's page, and the middle of the pages after it.
    read -r opening middle < <("$python" - "$pdf" <<'PY'
import sys
from pypdf import PdfReader

reader = PdfReader(sys.argv[1])
pages = len(reader.pages)
opening = reader.get_destination_page_number(reader.outline[0]) + 1 if reader.outline else min(2, pages)
print(opening, max(opening + 1, (opening + pages + 1) // 2) if pages > opening else opening)
PY
)
    for picture in "title 1" "opening $opening" "middle $middle"; do
      read -r what page <<<"$picture"
      pdftoppm -png -r 60 -f "$page" -l "$page" -singlefile "$pdf" "$out/$size/$name-$what"
    done
  done
done
echo "pictures in $out/"
