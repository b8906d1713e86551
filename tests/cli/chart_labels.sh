#!/bin/bash
# tests/cli/chart_labels.sh -- no chart label is crossed by a line, leaves
# the content box or is cut (issue 16, item 3), measured on the display
# list.
#
# Renders the print-quality set (tests/print_set.sh: every handbook and
# profile book of the bundled, example, generated and real catalogues in
# the four styles; QUICK under SB_QUICK=1) and reads every page that
# carries a chart with tests/cli/chart_labels_lib.py, which checks each
# text box against the lines, stroked rectangles and stroked paths of the
# page (unless an opaque fill drawn between them hides the stroke), against
# fills drawn over it, against the content box, and for an ellipsis at the
# end of a chart-sized text; and counts the handbooks whose bar chart page
# is left more than a third blank while the grid starts on the next page
# (issue 16, item 5). All four counts must be zero.
# Env (set by ctest): SKILLBOOK, SRC, SHARED. Prints "N passed, N failed".
SB_TEST_NAME=chart_labels
. "$(dirname "$0")/lib.bash"
export SKILLBOOK SRC SHARED PY

if ! set_dir=$(sb_print_set); then
  bad "print_set.sh" "$set_dir"
  finish
fi
"$PY" "$SRC/tests/cli/chart_labels_lib.py" "$set_dir" 5 >"$T/out"
sed 's/^/  /' "$T/out"
read -r pages crossed outside cut halfblank < <(sed -n \
  's/^TOTAL pages=\([0-9]*\) crossed=\([0-9]*\) outside=\([0-9]*\) cut=\([0-9]*\) halfblank=\([0-9]*\)$/\1 \2 \3 \4 \5/p' \
  "$T/out")
check "chart pages read ($pages)" test "${pages:-0}" -gt 0
check "no chart text crossed by a line or a fill ($crossed)" \
  test "${crossed:-1}" -eq 0
check "no chart text outside the content box ($outside)" \
  test "${outside:-1}" -eq 0
check "no chart label cut with an ellipsis ($cut)" test "${cut:-1}" -eq 0
check "no bar chart page left half blank before the grid ($halfblank)" \
  test "${halfblank:-1}" -eq 0
finish
