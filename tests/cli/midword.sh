#!/usr/bin/env bash
# tests/cli/midword.sh -- no word is broken in the middle without a hyphen,
# in any document of the print set (tests/print_set.sh: every handbook,
# profile book and neighbouring-level sheet of the bundled, example,
# generated and real catalogues, in the four styles; QUICK under SB_QUICK).
# tests/midword.py reads only the traces' text ops and the vocabulary of
# the catalogues and the printed labels: a line that ends inside a word and
# whose next line completes it is counted (issue #16: "Intermediat / e" in
# Etsy's Level column, "Technolog / y Director" in FT's).
SB_TEST_NAME=midword
. "$(dirname "$0")/lib.bash"

# the set first: its generated catalogues are part of the vocabulary
set_ok=1
set_dir=$(sb_print_set) || set_ok=0
[ $set_ok = 1 ] || mkdir -p "$T/set/cat"
vocab=("$SRC/catalog" "$SRC/src/style" "$SRC/include/skillbook/style.h"
       "$( [ $set_ok = 1 ] && echo "$set_dir/cat" || echo "$T/set/cat")")
[ -n "$SHARED" ] && [ -d "$SHARED/data/real" ] && vocab+=("$SHARED/data/real")

# The check itself finds a broken word (and only that) in a trace made up
# here: a cell's "Intermediat / e", then the same with the hyphen, a number
# over a number and two words on two lines.
mkdir -p "$T/self"
cat >"$T/self/x.default.handbook.r.trace" <<'EOF'
page 1 595.28x841.89
text f=1 s=9.50 x=55.52 y=304.41 w=51.17 fill=#1a1a1a "Intermediat"
text f=1 s=9.50 x=55.52 y=316.95 w=5.28 fill=#1a1a1a "e"
text f=0 s=9.50 x=117.89 y=304.41 w=345.62 fill=#1a1a1a "You estimate accurate"
text f=0 s=9.50 x=117.89 y=316.95 w=330.32 fill=#1a1a1a "timelines for tasks"
page 2 595.28x841.89
text f=1 s=9.50 x=55.52 y=304.41 w=51.17 fill=#1a1a1a "Intermedi-"
text f=1 s=9.50 x=55.52 y=316.95 w=5.28 fill=#1a1a1a "ate"
text f=0 s=9.50 x=55.52 y=400.00 w=5.28 fill=#1a1a1a "5"
text f=0 s=9.50 x=55.52 y=412.54 w=5.28 fill=#1a1a1a "6"
EOF
echo "x default handbook r" >"$T/self/LIST"
# its words are its own: a clone with no reference folder has no Etsy
printf '<skill><name>Intermediate</name><text>You estimate accurate timelines for tasks</text></skill>\n' \
  >"$T/self-vocab.xml"
"$PY" "$SRC/tests/midword.py" "$T/self" "${vocab[@]}" "$T/self-vocab.xml" >"$T/self.out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "page 1: Intermediat / e" "$T/self.out" &&
   grep -q "midword: 1 words" "$T/self.out"; then
  ok "the check finds the one unhyphenated break of a made-up trace"
else
  bad "the check on a made-up trace" "$(cat "$T/self.out")"
fi

# The whole print set.
if [ $set_ok = 1 ]; then
  ok "the print set renders ($(wc -l <"$set_dir/LIST") documents)"
  if "$PY" "$SRC/tests/midword.py" "$set_dir" "${vocab[@]}" >"$T/mw.out" 2>&1; then
    ok "$(tail -1 "$T/mw.out")"
  else
    bad "words broken in the middle without a hyphen" "$(head -40 "$T/mw.out")"
  fi
else
  bad "the print set renders" "$set_dir"
fi
finish
