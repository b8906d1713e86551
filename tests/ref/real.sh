#!/bin/bash
# tests/ref/real.sh -- the real career frameworks of the reference folder
# (SHARED/data/real, beside the project, not in it): each validates, and a
# batch of each writes documents that all pass qpdf --check and match the
# manifest. Skips (exit 77, counted by ctest) when the folder is absent, as
# in a user's clone. Env (set by ctest): SKILLBOOK, SRC, SHARED.
SB_TEST_NAME=ref-real
. "$(dirname "$0")/../cli/lib.bash"
if [ ! -d "$SHARED/data/real" ]; then
  echo "skipped: no reference folder with data/real beside the project"
  exit 77
fi
LIB="python3 $SRC/tests/cli/batch_lib.py"
n=0
for cat in "$SHARED"/data/real/*.xml; do
  [ -e "$cat" ] || continue
  n=$((n + 1))
  name=$(basename "$cat" .xml)
  if timeout 60 "$SKILLBOOK" validate "$cat" >/dev/null 2>"$T/err"; then ok "$name: validates"; else
    bad "$name: validate exit $?: $(head -c 400 "$T/err")"; fi
  "$SKILLBOOK" batch "$cat" -o "$T/$name" 2>"$T/$name.log"; rc=$?
  docs=$($LIB verify "$T/$name" 2>/dev/null || echo 0)
  if [ $rc -eq 0 ] && [ "$docs" -gt 0 ] && pdfs_ok "$T/$name"; then
    ok "$name: batch of $docs documents, all pass qpdf --check"
  else
    bad "$name: batch exit $rc, $docs documents"; tail -5 "$T/$name.log"
  fi
done
[ $n -gt 0 ] && ok "$n real catalogues" || bad "no catalogue in $SHARED/data/real"
finish
