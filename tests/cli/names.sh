#!/bin/bash
# tests/cli/names.sh -- a name of any length costs a bounded document, and
# right-to-left letters never print mirrored (docs/hardening.md, "Names in
# bounded places").
#
# - fault 1: an 800-letter level name (it heads a table on every page:
#   'W' x 800, taller than a page in the profile of serverless-functions)
#   and a 2,000-letter one on a sheet: the documents come out, on few pages;
# - fault 2 and "cost is linear": for a name of 10,000 and 100,000
#   characters in each place (level, role, skill, domain, group, catalogue
#   title, --person), every document kind renders, and pages and peak
#   memory at 100,000 are at most 12 times those at 10,000; where the name
#   is printed only in bounded places, the page count does not change;
# - a shortened name: one warning naming the field, an ellipsis in the PDF;
#   an expectation of 2,000 words is printed whole, next to long names;
# - Hebrew, Syriac, Thaana, NKo and the presentation forms: a warning
#   naming the character and a '?' in the PDF's text, in charts too.
# Time is never asserted (the machine is shared). Peak memory is the
# child's own ru_maxrss (tests/cli/names_lib.py). Every run has
# --limit pages=500, so a binary without the bounds fails fast.
# Env (set by ctest): SKILLBOOK, SRC. Prints "N passed, N failed".
SB_TEST_NAME=names
. "$(dirname "$0")/lib.bash"
export SKILLBOOK SRC
export LC_ALL=C.UTF-8  # the \u ranges below are characters, not bytes
LIB=$SRC/tests/cli/names_lib.py
LIMIT=(--limit pages=500)

# render CAT DOC [ARGS...]: sets rc pages secs kb; stderr in $T/out.pdf.err
render() {
  local cat=$1 doc=$2
  shift 2
  read -r rc pages secs kb < <(timeout 300 python3 "$LIB" run "$cat" "$doc" \
    "$T/out.pdf" "${LIMIT[@]}" "$@")
  : "${rc:=124}" "${pages:=0}" "${kb:=0}"
}

# ==== Fault 1: a level name in a repeated table header ====
python3 "$LIB" make "$T/l800" level 800 wide   # 800 'W's
render "$T/l800" profile:serverless-functions
if [ "$rc" = 0 ] && [ "$pages" -le 4 ]; then
  ok "800-letter level name: profile in $pages pages"
else bad "800-letter level name" "exit $rc, $pages pages: $(grep -v gap "$T/out.pdf.err" | head -c 300)"; fi
python3 "$LIB" make "$T/l2000" level 2000
render "$T/l2000" sheet
if [ "$rc" = 0 ] && [ "$pages" -le 5 ]; then
  ok "2,000-letter level name: sheet in $pages pages"
else bad "2,000-letter level name" "exit $rc, $pages pages: $(grep -v gap "$T/out.pdf.err" | head -c 300)"; fi
# the warning names the field, once, and the PDF shows the ellipsis
n=$(grep -c "warning: level senior: name: .*ellipsis" "$T/out.pdf.err")
if [ "$n" = 1 ]; then ok "one warning names the level's name"
else bad "warning" "$n warnings naming the level: $(grep -v gap "$T/out.pdf.err" | head -c 300)"; fi
rm -f "$T/out.txt"
[ "$rc" = 0 ] && pdftotext -layout "$T/out.pdf" "$T/out.txt" 2>/dev/null
if grep -qs $'Abcdefghijklmnopqrstuvwxyz[A-Za-z]*\u2026' "$T/out.txt"; then
  ok "the shortened name ends with an ellipsis"
else bad "ellipsis" "no 'Abc...xyz…' in the sheet's text"; fi

# ==== Cost is linear: 10,000 and 100,000 characters in every place ====
for place in level role skill domain group title person; do
  for n in 10000 100000; do
    python3 "$LIB" make "$T/c" "$place" "$n" > /dev/null
    name=""
    [ "$place" = person ] && name=$(python3 -c "
import sys; sys.path.insert(0, '$SRC/tests/cli'); import names_lib
print(names_lib.long_name($n))")
    for doc in handbook sheet profile profile-all; do
      [ "$place" = person ] && [ "$doc" != sheet ] && continue
      if [ "$place" = person ]; then render "$T/c" "$doc" --person "$name"
      else render "$T/c" "$doc"; fi
      if [ "$rc" != 0 ]; then
        bad "$place $n $doc" "exit $rc: $(grep -v gap "$T/out.pdf.err" | head -c 200)"
        eval "P_${place}_${n}_${doc//-/_}=0 M_${place}_${n}_${doc//-/_}=0"
        continue
      fi
      eval "P_${place}_${n}_${doc//-/_}=$pages M_${place}_${n}_${doc//-/_}=$kb"
    done
  done
  for doc in handbook sheet profile profile-all; do
    [ "$place" = person ] && [ "$doc" != sheet ] && continue
    d=${doc//-/_}
    p1=$(eval echo "\$P_${place}_10000_$d") p2=$(eval echo "\$P_${place}_100000_$d")
    m1=$(eval echo "\$M_${place}_10000_$d") m2=$(eval echo "\$M_${place}_100000_$d")
    [ "$p1" = 0 ] || [ "$p2" = 0 ] && continue  # reported above
    if [ "$p2" -le $((12 * p1)) ] && [ "$m2" -le $((12 * m1)) ]; then
      ok "$place $doc: pages $p1 -> $p2, peak KB $m1 -> $m2 (10k -> 100k)"
    else
      bad "$place $doc" "pages $p1 -> $p2, peak KB $m1 -> $m2: more than 12 times"
    fi
    # printed only in bounded places: the name does not add a page
    case "$place:$doc" in
      level:*|role:*|title:*|person:*)
        [ "$p1" = "$p2" ] && ok "$place $doc: $p2 pages at 10k and 100k" ||
          bad "$place $doc" "$p1 pages at 10k, $p2 at 100k: not bounded" ;;
    esac
  done
done

# ==== Expectation text is never shortened ====
python3 - "$T/long" "$LIB" <<'PY'
import sys, os
sys.path.insert(0, os.path.dirname(sys.argv[2]))
import names_lib as nl
cat = sys.argv[1]
nl.make(cat, "level", 5000)
nl.replace(cat, "00-ladder.xml", r'(<role\s+id="backend-engineer"\s+name=")[^"]*(")',
           nl.long_name(5000))
nl.set_expect(cat, "senior", "backend-engineer",
              " ".join("w%05d" % i for i in range(2000)))
PY
for doc in handbook sheet profile; do
  render "$T/long" "$doc"
  pdftotext "$T/out.pdf" "$T/out.txt" 2>/dev/null
  got=$(grep -o 'w[0-9]\{5\}' "$T/out.txt" | sort -u | wc -l)
  if [ "$rc" = 0 ] && [ "$got" = 2000 ]; then ok "$doc: all 2,000 words of the expectation printed"
  else bad "$doc expectation" "exit $rc, $got of 2000 words"; fi
done

# ==== Right-to-left letters: replaced and warned about ====
python3 - "$T/rtl" "$LIB" <<'PY'
import sys, os
sys.path.insert(0, os.path.dirname(sys.argv[2]))
import names_lib as nl
cat = sys.argv[1]
nl.make(cat, "level", 5)
# a Hebrew level name: printed in tables and in the chart's labels
nl.replace(cat, "00-ladder.xml", r'(<level\s+id="senior"\s+name=")[^"]*(")',
           "\u05e9\u05dc\u05d5\u05dd")
nl.set_expect(cat, "senior", "backend-engineer",
              "Hebrew \u05d0\u05d1 Syriac \u0710\u0711 Thaana \u0780\u0781 "
              "NKo \u07ca\u07cb Samaritan \u0800 forms \ufb2a \ufeb3 end")
PY
render "$T/rtl" profile
pdftotext "$T/out.pdf" "$T/out.txt" 2>/dev/null
missing=""
for cp in 05E9 05D0 0710 0780 07CA 0800 FB2A FEB3; do
  grep -q "warning: .*U+$cp is written right to left" "$T/out.pdf.err" || missing="$missing $cp"
done
if [ "$rc" = 0 ] && [ -z "$missing" ]; then ok "right-to-left letters: a warning for each"
else bad "right-to-left warnings" "exit $rc, none for$missing: $(grep -v gap "$T/out.pdf.err" | head -c 300)"; fi
rtl=$(python3 -c '
import re, sys
t = open(sys.argv[1], encoding="utf-8", errors="replace").read()
print(" ".join("U+%04X" % ord(c) for c in
               re.findall("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]", t)[:5]))' "$T/out.txt")
if [ -n "$rtl" ]; then bad "right-to-left text" "right-to-left letters reached the PDF's text: $rtl"
else ok "right-to-left letters: none in the PDF's text (charts included)"; fi
grep -q "Hebrew ?? Syriac ?? Thaana ?? NKo ?? Samaritan ? forms ? ? end" "$T/out.txt" &&
  ok "right-to-left letters: each printed as '?'" ||
  bad "right-to-left text" "no 'Hebrew ?? Syriac ?? ...' in: $(grep -m1 Hebrew "$T/out.txt")"

finish
