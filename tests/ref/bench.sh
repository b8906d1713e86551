#!/bin/bash
# tests/ref/bench.sh -- the benchmark's own checker (SHARED/bench/verify.py,
# beside the project, not in it) on our handbook of the benchmark's medium
# catalogue: every expectation's text, in order, on the right pages. Skips
# (exit 77, counted by ctest) when the reference folder is absent.
# Env (set by ctest): SKILLBOOK, SRC, SHARED.
SB_TEST_NAME=ref-bench
. "$(dirname "$0")/../cli/lib.bash"
if [ ! -f "$SHARED/bench/gen_catalog.py" ] || [ ! -f "$SHARED/bench/verify.py" ]; then
  echo "skipped: no reference folder with bench/ beside the project"
  exit 77
fi
$PY "$SHARED/bench/gen_catalog.py" --size medium -o "$T/medium.xml" >/dev/null
if "$SKILLBOOK" handbook "$T/medium.xml" --role r01 -o "$T/medium.pdf" >/dev/null 2>"$T/e"; then
  pass=$((pass + 1))
  if $PY "$SHARED/bench/verify.py" "$T/medium.xml" r01 "$T/medium.pdf" >"$T/v" 2>&1; then
    pass=$((pass + 1)); echo "ok - verify.py on medium r01"
  else fail=$((fail + 1)); echo "FAIL - verify.py on medium r01:"; cat "$T/v"; fi
  if qpdf --check "$T/medium.pdf" >/dev/null 2>&1; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL - qpdf --check medium r01"; fi
else fail=$((fail + 1)); echo "FAIL - medium r01: $(head -2 "$T/e")"; fi
finish
