#!/bin/bash
# tests/cli/handbook.sh -- handbooks of every role of every catalogue we
# have, checked by readers no one here wrote (poppler, qpdf, MuPDF,
# Ghostscript) and by tests/pdfcheck.py (expectations in order, contents
# page numbers, "page X of Y"); determinism, --style letter, the usage
# errors, and ../shared/bench/verify.py on the bench's medium catalogue.
# Env (set by ctest): SKILLBOOK (the program), SRC (source tree), SHARED.
# Prints "N passed, N failed"; exit status 1 if anything failed.

SB_TEST_NAME=handbook
. "$(dirname "$0")/lib.bash"
[ -d "$SHARED/data/real" ] || echo "skipped: the real catalogues (no reference folder beside the project)"

# check_pdf NAME PDF: every reader opens it without a complaint
check_pdf() {
  local name=$1 pdf=$2 out
  if pdfinfo "$pdf" >"$T/info" 2>"$T/err" && [ ! -s "$T/err" ]; then ok; else
    bad "$name: pdfinfo: $(head -2 "$T/err")"; fi
  out=$(pdffonts "$pdf" 2>&1 | tail -n +3 | awk '{ if ($(NF-4) != "yes") print }')
  if [ -z "$out" ]; then ok; else bad "$name: font not embedded: $out"; fi
  if pdftotext "$pdf" /dev/null 2>"$T/err" && [ ! -s "$T/err" ]; then ok; else
    bad "$name: pdftotext: $(head -2 "$T/err")"; fi
  if qpdf --check "$pdf" >"$T/q" 2>&1; then ok; else
    bad "$name: qpdf --check: $(grep -v '^checking\|^PDF Version\|^File is not' "$T/q" | head -2)"; fi
  # (Debian's MuPDF is built without ICC support and says so on every run)
  if mutool draw -o /dev/null "$pdf" >"$T/m" 2>&1 &&
     ! grep -v "ICC support is not available" "$T/m" | grep -qi "error\|warning"; then ok; else
    bad "$name: mutool draw: $(head -2 "$T/m")"; fi
  if gs -q -dPDFSTOPONERROR -dPDFSTOPONWARNING -dBATCH -dNOPAUSE -sDEVICE=nullpage \
       "$pdf" >"$T/g" 2>&1 && [ ! -s "$T/g" ]; then ok; else
    bad "$name: gs: $(head -2 "$T/g")"; fi
}

catalogs=("$SRC/catalog")
for c in "$SRC"/catalog/examples/*/catalog.xml "$SHARED"/data/real/*.xml; do
  [ -e "$c" ] && catalogs+=("$c")
done

n=0
for cat in "${catalogs[@]}"; do
  roles=$("$SKILLBOOK" list roles "$cat" 2>/dev/null | cut -f1)
  if [ -z "$roles" ]; then bad "no roles listed for $cat"; continue; fi
  first=1
  for role in $roles; do
    n=$((n + 1))
    pdf="$T/h$n.pdf"
    name="$(basename "$(dirname "$cat")")/$(basename "$cat") $role"
    if "$SKILLBOOK" handbook "$cat" --role "$role" -o "$pdf" >"$T/stdout" 2>"$T/stderr"; then
      ok
    else
      bad "$name: exit $? $(head -3 "$T/stderr")"; continue
    fi
    [ "$(cat "$T/stdout")" = "$pdf" ] && ok || bad "$name: stdout is not the path: $(head -c 200 "$T/stdout")"
    # the layout itself never warns on our catalogues (the loader may)
    if grep -v "printed as a gap\|in the catalogue; 'skillbook validate" "$T/stderr" | grep -q .; then
      bad "$name: unexpected messages: $(grep -v "printed as a gap\|in the catalogue; 'skillbook validate" "$T/stderr" | head -2)"
    else ok; fi
    check_pdf "$name" "$pdf"
    if $PY "$SRC/tests/pdfcheck.py" handbook "$cat" "$role" "$pdf" >"$T/pc" 2>&1; then ok; else
      bad "$name: pdfcheck:"; cat "$T/pc"; fi
    if [ $first = 1 ]; then
      first=0
      # same input, same bytes: with and without SOURCE_DATE_EPOCH
      "$SKILLBOOK" handbook "$cat" --role "$role" -o "$T/again.pdf" >/dev/null 2>&1
      cmp -s "$pdf" "$T/again.pdf" && ok || bad "$name: two runs differ"
      SOURCE_DATE_EPOCH=1700000000 "$SKILLBOOK" handbook "$cat" --role "$role" -o "$T/e1.pdf" >/dev/null 2>&1
      SOURCE_DATE_EPOCH=1700000000 "$SKILLBOOK" handbook "$cat" --role "$role" -o "$T/e2.pdf" >/dev/null 2>&1
      cmp -s "$T/e1.pdf" "$T/e2.pdf" && ok || bad "$name: two runs with SOURCE_DATE_EPOCH differ"
      pdfinfo "$T/e1.pdf" | grep -q "CreationDate:.*Nov 14 22:13:20 2023" && ok ||
        bad "$name: SOURCE_DATE_EPOCH not used: $(pdfinfo "$T/e1.pdf" | grep CreationDate)"
    fi
  done
done

# --style letter: US Letter pages
if "$SKILLBOOK" handbook "$SRC/catalog" --role sre --style letter -o "$T/letter.pdf" >/dev/null 2>&1 &&
   pdfinfo "$T/letter.pdf" | grep -q "^Page size: *612 x 792 pts"; then ok; else
  bad "--style letter: $(pdfinfo "$T/letter.pdf" 2>&1 | grep 'Page size')"; fi
check_pdf "letter" "$T/letter.pdf"

# trace format, stdout, default path
"$SKILLBOOK" handbook "$SRC/catalog" --role sre --format trace -o - >"$T/t.trace" 2>/dev/null &&
  grep -q '^page 1 595.28x841.89' "$T/t.trace" && ok || bad "--format trace -o -"
(cd "$T" && "$SKILLBOOK" handbook "$SRC/catalog" --role sre >"$T/p" 2>/dev/null) &&
  [ "$(cat "$T/p")" = "out/handbooks/sre.pdf" ] && [ -s "$T/out/handbooks/sre.pdf" ] && ok ||
  bad "default output path: $(cat "$T/p")"

# usage errors
"$SKILLBOOK" handbook "$SRC/catalog" --role nosuchrole -o "$T/x.pdf" >/dev/null 2>"$T/e"
rc=$?
[ $rc = 2 ] && grep -q "did you mean\|unknown role" "$T/e" && [ ! -e "$T/x.pdf" ] && ok ||
  bad "unknown role: exit $rc, $(head -1 "$T/e")"
"$SKILLBOOK" handbook "$SRC/catalog" -o "$T/x.pdf" >/dev/null 2>&1
[ $? = 2 ] && ok || bad "missing --role is not a usage error"
"$SKILLBOOK" handbook "$SRC/catalog" --role sre --style nosuch -o "$T/x.pdf" >/dev/null 2>&1
[ $? = 4 ] && ok || bad "unknown style is not exit 4"
"$SKILLBOOK" handbook "$SRC/catalog" --role sre --limit pages=3 -o "$T/x.pdf" >/dev/null 2>"$T/e"
rc=$?
[ $rc = 1 ] && [ ! -e "$T/x.pdf" ] && ok || bad "--limit pages=3: exit $rc $(head -1 "$T/e")"

# a large catalogue of our own generator: every handbook page passes the readers
python3 "$SRC/scripts/gen-catalog.py" --size large --seed 3 -o "$T/large.xml"
if "$SKILLBOOK" handbook "$T/large.xml" --role r01 -o "$T/large.pdf" >/dev/null 2>"$T/e"; then
  check_pdf "generated large r01" "$T/large.pdf"
  np=$(pdfinfo "$T/large.pdf" | sed -n 's/^Pages: *//p')
  [ "${np:-0}" -gt 40 ] && ok || bad "generated large r01: only ${np:-0} pages"
else bad "generated large r01: $(head -2 "$T/e")"; fi

# The benchmark's own checker runs as tests/ref/bench.sh.

finish
