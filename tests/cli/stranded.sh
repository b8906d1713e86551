#!/usr/bin/env bash
# cli/stranded: no heading ends a page, and every bookmark and contents
# link lands on its heading, over the print set (tests/print_set.sh: every
# handbook, profile book and neighbouring-level sheet of the bundled,
# example, generated and real catalogues, in the four styles; QUICK under
# SB_QUICK=1). The counting is tests/stranded.py's, on the traces' heading
# marks; its self-test shows it finds the cases it exists for. Then the
# profile book's PDF outline, read back with pikepdf: each domain bookmark
# opens its page at the line where pdftotext finds the domain's name.
SB_TEST_NAME=stranded
. "$(dirname "$0")/lib.bash"

check "the check finds made-up stranded headings and stray bookmarks" \
  "$PY" "$SRC/tests/stranded.py" --self-test

if set_dir=$(sb_print_set); then
  ok "print set rendered ($(wc -l <"$set_dir/LIST") documents)"
  if "$PY" "$SRC/tests/stranded.py" "$set_dir" >"$T/stranded.out"; then
    ok "$(tail -n 1 "$T/stranded.out")"
  else
    bad "stranded headings or stray bookmarks" "$(tail -n 1 "$T/stranded.out")"
    head -n 40 "$T/stranded.out"
  fi
else
  bad "print set" "$set_dir"
fi

# The profile book as a PDF: the outline the reader shows.
"$SKILLBOOK" profile "$SRC/catalog" --all -o "$T/book.pdf" >/dev/null 2>&1 &&
  "$SKILLBOOK" profile "$SRC/catalog" --all --format trace \
    -o "$T/book.trace" >/dev/null 2>&1
check "profile book written" test -s "$T/book.pdf" -a -s "$T/book.trace"
# title, 1-based page and the y (points from the top) of each top-level
# bookmark, as the PDF holds them
if "$DPY" - "$T/book.pdf" >"$T/outline" 2>"$T/outline.err" <<'EOF'
import sys
import pikepdf
pdf = pikepdf.open(sys.argv[1])
index = {p.objgen: i for i, p in enumerate(pdf.pages)}
with pdf.open_outline() as ol:
    for item in ol.root:
        d = item.destination
        page = index[d[0].objgen]
        h = float(pdf.pages[page].mediabox[3])
        print(f"{page + 1}\t{h - float(d[3]):.2f}\t{item.title}")
EOF
then
  n=0 miss=0
  while IFS=$'\t' read -r page y title; do
    n=$((n + 1))
    # the line under the bookmark's y (pdftotext crops in points at 72 dpi)
    line=$(pdftotext -f "$page" -l "$page" -x 0 -y "${y%.*}" -W 2000 -H 24 \
      "$T/book.pdf" - 2>/dev/null | tr '\n' ' ')
    case "$line" in
      *"$title"*) ;;
      *) miss=$((miss + 1)); echo "  \"$title\": page $page y=$y shows: $line" ;;
    esac
  done <"$T/outline"
  if [ "$n" -gt 0 ] && [ "$miss" -eq 0 ]; then
    ok "each of $n domain bookmarks opens at its heading (pdftotext)"
  else
    bad "domain bookmarks" "$miss of $n not at their heading"
  fi
else
  bad "outline read with pikepdf" "$(tail -n 2 "$T/outline.err")"
fi
finish
