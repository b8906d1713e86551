#!/bin/bash
# tests/ref/bench.sh -- the benchmark's own checker (SHARED/bench/verify.py,
# beside the project, not in it) on our handbook of the benchmark's medium
# catalogue: every expectation's text, in order, on the right pages. Skips
# (exit 77, counted by ctest) when the reference folder is absent.
# verify.py wants "ROLE — page X of Y" on every page; our cover prints no
# page number (issue #16, docs/pdf.md), so a footer count of N-1 of N is
# accepted when everything else is whole and page 1 is the page without.
# Env (set by ctest): SKILLBOOK, SRC, SHARED.
SB_TEST_NAME=ref-bench
. "$(dirname "$0")/../cli/lib.bash"
if [ ! -f "$SHARED/bench/gen_catalog.py" ] || [ ! -f "$SHARED/bench/verify.py" ]; then
  echo "skipped: no reference folder with bench/ beside the project"
  exit 77
fi
# cover_only VERIFY_OUTPUT PDF: verify.py found everything whole but the
# footer, on N-1 of N pages, and page 1 (the cover) prints no page number.
cover_only() {
  $PY - "$1" "$2" <<'PYEOF'
import re, subprocess, sys
line = open(sys.argv[1]).read().splitlines()[0]
m = re.search(r"expect (\d+)/(\d+)  es (\d+)/(\d+)  ru (\d+)/(\d+)  toc (\d+)/(\d+)  "
              r"footer (\d+)/(\d+)  images 0  fonts embedded ", line)
p1 = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-enc", "UTF-8", sys.argv[2], "-"],
                    capture_output=True, text=True).stdout
ok = (m is not None and all(m.group(i) == m.group(i + 1) for i in (1, 3, 5, 7)) and
      int(m.group(9)) == int(m.group(10)) - 1 and "page 1 of" not in p1)
sys.exit(0 if ok else 1)
PYEOF
}
$PY "$SHARED/bench/gen_catalog.py" --size medium -o "$T/medium.xml" >/dev/null
if "$SKILLBOOK" handbook "$T/medium.xml" --role r01 -o "$T/medium.pdf" >/dev/null 2>"$T/e"; then
  pass=$((pass + 1))
  if $PY "$SHARED/bench/verify.py" "$T/medium.xml" r01 "$T/medium.pdf" >"$T/v" 2>&1; then
    pass=$((pass + 1)); echo "ok - verify.py on medium r01"
  elif cover_only "$T/v" "$T/medium.pdf"; then
    pass=$((pass + 1))
    echo "ok - verify.py on medium r01 (all but a page number on the cover, which prints none)"
  else fail=$((fail + 1)); echo "FAIL - verify.py on medium r01:"; cat "$T/v"; fi
  if qpdf --check "$T/medium.pdf" >/dev/null 2>&1; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL - qpdf --check medium r01"; fi
else fail=$((fail + 1)); echo "FAIL - medium r01: $(head -2 "$T/e")"; fi
finish
