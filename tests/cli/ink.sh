#!/bin/bash
# tests/cli/ink.sh -- the ink-saver style saves ink, and prints with black
# ink alone (docs/styles.md, "ink-saver").
#
# For the SRE handbook of the bundled catalogue and the first handbook of
# the generated medium catalogue, each in the default and the ink-saver
# style, measured by Ghostscript on the PDF:
# - inkcov (any mark counts as full coverage): cyan, magenta and yellow are
#   zero on every page of the ink-saver files (every grey is DeviceGray);
# - ink_cov (a grey weighs by its darkness): the ink-saver file's total,
#   summed over its pages, is at least 40% below the default style's, both
#   over the whole file and on the chart pages (the pages with a chart
#   title, read from the trace);
# - in every style, no colour with r = g = b is written as DeviceRGB
#   ("v v v rg"): neutrals are "v g" / "v G" in the content streams.
# Prints the figures. Deterministic: Ghostscript's counts, never timings.
# Env (set by ctest): SKILLBOOK, SRC. Prints "N passed, N failed".
SB_TEST_NAME=ink
. "$(dirname "$0")/lib.bash"

if ! command -v gs >/dev/null || ! command -v qpdf >/dev/null; then
  bad "gs and qpdf are needed (scripts/install-deps.sh)"
  finish
fi

"$PY" "$SRC/scripts/gen-catalog.py" --size medium --seed 2 -o "$T/medium.xml"
med_role=$("$SKILLBOOK" list roles "$T/medium.xml" 2>/dev/null | head -1 | cut -f1)
docs=("sre=$SRC/catalog:sre" "medium=$T/medium.xml:$med_role")

# ink_cov FILE: one line per page, the sum of C+M+Y+K in percent
ink_cov() {
  gs -q -o - -sDEVICE=ink_cov "$1" |
    awk '$5 == "CMYK" { printf "%.5f\n", $1 + $2 + $3 + $4 }'
}
# chart_pages TRACE: the page numbers (from 1) that carry a chart title
chart_pages() {
  awk '/^page / { n++ }
       /^text / && /"(Expectations per level|Expectations by level and area)"$/ \
         && n > 1 { print n }' "$1" | sort -un
}
# sum_pages COVFILE [PAGES...]: the sum over the pages named (all if none)
sum_pages() {
  local f=$1
  shift
  awk -v want=" $* " 'want == "  " || index(want, " " NR " ") { s += $1 }
                      END { printf "%.4f\n", s }' "$f"
}

for d in "${docs[@]}"; do
  name=${d%%=*} rest=${d#*=}
  cat=${rest%:*} role=${rest##*:}
  for style in default ink-saver letter branded; do
    "$SKILLBOOK" handbook "$cat" --role "$role" --style "$style" \
      -o "$T/$name.$style.pdf" >/dev/null 2>&1 ||
      bad "$name $style: handbook failed"
  done
  # the chart pages of each style, from its own trace
  for style in default ink-saver; do
    "$SKILLBOOK" handbook "$cat" --role "$role" --style "$style" \
      --format trace -o "$T/$name.$style.trace" >/dev/null 2>&1
  done
  dpages=$(chart_pages "$T/$name.default.trace" | tr '\n' ' ')
  ipages=$(chart_pages "$T/$name.ink-saver.trace" | tr '\n' ' ')
  check "$name: chart pages found in the traces ($dpages/ $ipages)" \
    test -n "$dpages" -a -n "$ipages"

  # K only: inkcov's C, M and Y are zero on every page of the ink-saver file
  gs -q -o - -sDEVICE=inkcov "$T/$name.ink-saver.pdf" >"$T/$name.inkcov"
  npages=$(grep -c CMYK "$T/$name.inkcov")
  cmy=$(awk '$5 == "CMYK" && ($1 + $2 + $3) > 0 { n++ } END { print n + 0 }' \
    "$T/$name.inkcov")
  check "$name ink-saver: K only on all $npages pages (pages with C, M or Y: $cmy)" \
    test "$npages" -gt 0 -a "$cmy" -eq 0

  # coverage weighed by darkness, ink-saver against default
  ink_cov "$T/$name.default.pdf" >"$T/$name.default.cov"
  ink_cov "$T/$name.ink-saver.pdf" >"$T/$name.ink-saver.cov"
  for part in all charts; do
    if [ "$part" = all ]; then
      def=$(sum_pages "$T/$name.default.cov")
      ink=$(sum_pages "$T/$name.ink-saver.cov")
    else
      # shellcheck disable=SC2086
      def=$(sum_pages "$T/$name.default.cov" $dpages)
      # shellcheck disable=SC2086
      ink=$(sum_pages "$T/$name.ink-saver.cov" $ipages)
    fi
    saving=$(awk -v d="$def" -v i="$ink" \
      'BEGIN { printf "%.1f", (d > 0 ? 100 * (1 - i / d) : 0) }')
    echo "  $name $part: ink_cov default $def, ink-saver $ink (sum of page %), saving $saving%"
    check "$name $part: ink-saver uses at least 40% less ink ($saving%)" \
      awk -v s="$saving" 'BEGIN { exit !(s >= 40) }'
  done

  # neutrals are DeviceGray in every style: no "v v v rg" / "v v v RG"
  for style in default ink-saver letter branded; do
    qpdf --qdf --object-streams=disable "$T/$name.$style.pdf" "$T/q.pdf" \
      2>/dev/null
    n=$(LC_ALL=C grep -a -c -E '^([0-9.]+) \1 \1 (rg|RG)$' "$T/q.pdf")
    g=$(LC_ALL=C grep -a -c -E '^[0-9.]+ (g|G)$' "$T/q.pdf")
    check "$name $style: no neutral as DeviceRGB ($n), greys as g/G ($g)" \
      test "$n" -eq 0 -a "$g" -gt 0
  done
done
finish
