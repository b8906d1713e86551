#!/bin/bash
# tests/cli/golden.sh -- trace goldens: the display list of a handbook, a
# sheet and a profile of tests/golden/golden.xml, compared line by line
# with the expected tests/golden/NAME.trace (the trace device's format is
# in src/devices/trace-device.c). A difference prints a unified diff and
# fails. UPDATE=1 rewrites the expectations instead (review the diff and
# the PDFs before you commit them: tests/golden/README.md).
# Env (set by ctest): SKILLBOOK (the program), SRC (source tree).
# Prints "N passed, N failed"; exit status 1 if anything failed.

SB_TEST_NAME=golden
. "$(dirname "$0")/lib.bash"
# a document's date comes from its skills' `updated`, never the clock
unset SOURCE_DATE_EPOCH
G="$SRC/tests/golden"
CAT="$G/golden.xml"

# golden NAME COMMAND ARGS...: COMMAND's --format trace output is NAME.trace
golden() {
  local name=$1 cmd=$2
  shift 2
  if ! "$SKILLBOOK" "$cmd" "$CAT" "$@" --format trace -o "$T/$name.trace" \
       >/dev/null 2>"$T/err"; then
    bad "$name: $SKILLBOOK $cmd failed: $(head -3 "$T/err")"
    return
  fi
  # the layout of these documents never warns
  if [ -s "$T/err" ]; then bad "$name: unexpected messages: $(head -3 "$T/err")"; else ok; fi
  if [ "${UPDATE:-0}" = 1 ]; then
    if cmp -s "$T/$name.trace" "$G/$name.trace"; then
      echo "unchanged: tests/golden/$name.trace"
    else
      cp "$T/$name.trace" "$G/$name.trace" && echo "rewritten: tests/golden/$name.trace"
    fi
    ok
  elif [ ! -f "$G/$name.trace" ]; then
    bad "$name: no tests/golden/$name.trace (run with UPDATE=1 to record it)"
  elif diff -u --label "expected $name.trace" --label "actual $name.trace" \
         "$G/$name.trace" "$T/$name.trace" >"$T/diff"; then
    ok
  else
    bad "$name: the trace differs from tests/golden/$name.trace:"
    head -60 "$T/diff"
    [ "$(wc -l <"$T/diff")" -gt 60 ] && echo "... ($(wc -l <"$T/diff") lines of diff)"
  fi
}

golden handbook-sre handbook --role sre
golden sheet-backend-engineer-junior-middle sheet --role backend-engineer --from junior --to middle
golden profile-observability profile --skill observability

# the same input gives the same trace twice (no clock, no addresses)
"$SKILLBOOK" handbook "$CAT" --role sre --format trace -o "$T/again.trace" >/dev/null 2>&1
cmp -s "$T/handbook-sre.trace" "$T/again.trace" && ok || bad "two handbook traces differ"

finish
