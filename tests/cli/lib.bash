# tests/cli/lib.bash -- the beginning every test script shares (sourced, with
# SB_TEST_NAME set to the script's short name first).
#
# Environment (set by ctest; defaults fit a build in build/ of this tree):
# SKILLBOOK (the program), SKILLBOOK_TEST (its test build, with fault
# injection), SRC (the source tree), SHARED (the reference folder beside the
# project; may be empty). Gives: T, a temporary folder removed at exit (and
# every pid in BG killed then); PY; the counters pass and fail; ok [WHAT],
# bad WHAT [DETAIL...], check WHAT COMMAND... ; pdfs_ok DIR; and finish,
# which prints the closing "N passed, N failed" line and exits non-zero on any failure.
set -u
SRC=${SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SKILLBOOK=${SKILLBOOK:-$SRC/build/skillbook}
SKILLBOOK_TEST=${SKILLBOOK_TEST:-$SRC/build/skillbook-test}
SHARED=${SHARED:-}
export SKILLBOOK_DATA=${SKILLBOOK_DATA:-$SRC}
PY=${PYTHON:-python3}
# Debian's own python3, for the modules install-deps.sh installs (pikepdf):
# a python3 earlier on PATH (pyenv, a venv) may not have them.
DPY=${DEBIAN_PYTHON:-/usr/bin/python3}
# sb_print_set: prints the folder of the print-quality set
# (tests/print_set.sh). ctest renders it once for every check that reads
# it (the print/set fixture, PRINT_SET); a script run alone renders its
# own into $T/set. Fails, with print_set.sh's last lines, if it cannot.
sb_print_set() {
  if [ -n "${PRINT_SET:-}" ] && [ -f "$PRINT_SET/DONE" ]; then
    echo "$PRINT_SET"
    return 0
  fi
  if ! SKILLBOOK=$SKILLBOOK SRC=$SRC SHARED=$SHARED PY=$PY \
      bash "$SRC/tests/print_set.sh" "$T/set" ${SB_QUICK:+QUICK} >"$T/set.log" 2>&1; then
    tail -20 "$T/set.log"
    return 1
  fi
  echo "$T/set"
}
T=$(mktemp -d "/tmp/sb-${SB_TEST_NAME:-test}.XXXXXX")
BG=()
sb_test_cleanup() {
  local p
  for p in "${BG[@]}"; do kill "$p" 2>/dev/null; done
  rm -rf "$T"
}
trap sb_test_cleanup EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); [ $# -eq 0 ] || echo "ok - $*"; }
bad() {
  fail=$((fail + 1))
  if [ $# -gt 1 ]; then echo "FAIL - $1: ${*:2}"; else echo "FAIL - $*"; fi
}
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
# pdfs_ok DIR: every .pdf below DIR passes qpdf --check (the first that
# does not is named).
pdfs_ok() {
  local f
  while IFS= read -r -d '' f; do
    qpdf --check "$f" >/dev/null 2>&1 || { echo "  bad PDF: $f"; return 1; }
  done < <(find "$1" -name '*.pdf' -print0)
}
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
  exit
}
