#!/bin/bash
# tests/cli/load_overlap.sh -- the catalogue loader validates the first file
# on a helper thread while it walks the tree (catalog/load.c, overlapped;
# xml/validate-bg.c); its test build (SKILLBOOK_TEST) never does, and runs
# the one-thread order. Both must say exactly the same: for every bad
# catalogue of tests/bad, the bundled one, and cases made here where the
# order matters (a first file invalid by the schema whose walk would have
# spoken, or would have clashed with a later file's; key errors with
# schema errors; walk errors after a valid schema; limits hit by the walk),
# `validate` and `validate --format json` give the same exit status,
# standard output and standard error with either program.
# tests/cli/diagnostics.sh holds every byte against golden files besides.
# Env (set by ctest): SKILLBOOK, SKILLBOOK_TEST, SRC.
SB_TEST_NAME=load_overlap
. "$(dirname "$0")/lib.bash"
cd "$T" || exit 1

HEAD='<?xml version="1.0" encoding="UTF-8"?>
<catalog xmlns="urn:skillbook:catalog:1" title="Overlap">'
LADDER='  <levels><level id="junior" name="Junior"/><level id="senior" name="Senior"/></levels>
  <roles><role id="dev" name="Developer"/></roles>'
skill() { # ID NAME [EXTRA-ATTRIBUTES]
  echo "      <skill id=\"$1\" name=\"$2\" ${3:-}><expect level=\"junior\" role=\"dev\">Does $2.</expect></skill>"
}

# a first file invalid by the schema (an unknown attribute) whose domain
# 'eng' a later file names otherwise: not walked, so no clash is reported
mkdir first-invalid.d
{ echo "$HEAD"; echo "$LADDER"
  echo '  <domain id="eng" name="Engineering"><group id="g1" name="G1">'
  skill testing Testing 'bogus="1"'; skill testing Again   # a dup key too
  echo '  </group></domain></catalog>'; } >first-invalid.d/00-a.xml
{ echo "$HEAD"
  echo '  <domain id="eng" name="Engineering and Ops"><group id="g2" name="G2">'
  skill other Other; echo '  </group></domain></catalog>'; } >first-invalid.d/10-b.xml
# the same without the duplicate: the walk would have run in one thread's
# order had the schema passed; it did not
mkdir first-invalid-nodup.d
{ echo "$HEAD"; echo "$LADDER"
  echo '  <domain id="eng" name="Engineering"><group id="g1" name="G1">'
  skill testing Testing 'bogus="1"'; skill testing2 'Testing two'
  echo '  </group></domain></catalog>'; } >first-invalid-nodup.d/00-a.xml
cp first-invalid.d/10-b.xml first-invalid-nodup.d/
# one file: schema errors and key errors; schema errors and a domain
# twice; a valid file (its walk reports over --limit skills=1 or nodes=3)
{ echo "$HEAD"; echo "$LADDER"
  echo '  <domain id="eng" name="E"><group id="g" name="G">'
  skill a A 'bogus="1"'; skill a A2; skill b B
  echo '  </group></domain></catalog>'; } >schema-and-keys.xml
{ echo "$HEAD"; echo "$LADDER"
  echo '  <domain id="eng" name="E"><group id="g" name="G">'; skill a A 'bogus="1"'
  echo '  </group></domain><domain id="eng" name="E2"><group id="h" name="H">'; skill b B
  echo '  </group></domain></catalog>'; } >schema-and-walk.xml
{ echo "$HEAD"; echo "$LADDER"
  echo '  <domain id="eng" name="E"><group id="g" name="G">'; skill a A; skill b B; skill c C
  echo '  </group></domain><domain id="ops" name="O"><group id="h" name="H">'; skill d D
  echo '  </group></domain></catalog>'; } >walk-only.xml

same() { # WHAT ARGS...: both programs, the same three outputs
  local what=$1 rc1 rc2
  shift
  "$SKILLBOOK" "$@" >o1 2>e1; rc1=$?
  "$SKILLBOOK_TEST" "$@" >o2 2>e2; rc2=$?
  if [ $rc1 -eq $rc2 ] && cmp -s o1 o2 && cmp -s e1 e2; then
    n=$((n + 1))
  else
    bad "$what: $*" "exit $rc1/$rc2; $(diff e1 e2 | head -5)"
  fi
}

n=0
for p in "$SRC"/tests/bad/*.xml "$SRC"/tests/bad/*.d; do
  same bad validate "$p"
  same bad validate --format json "$p"
done
ok "tests/bad: $n runs, the same with and without the helper thread"
n=0
for p in first-invalid.d first-invalid-nodup.d schema-and-keys.xml \
         schema-and-walk.xml walk-only.xml; do
  same made validate "$p"
  same made validate --format json "$p"
  same made validate --limit nodes=3 "$p"
  same made validate --limit skills=1 "$p"
done
same bundled validate
same bundled validate --format json
ok "order cases and the bundled catalogue: $n runs, the same"
# the cases say what they were made to say
"$SKILLBOOK" validate first-invalid.d >/dev/null 2>e1
grep -q "bogus" e1 && ! grep -q "Engineering and Ops" e1 \
  && ok "an invalid first file is not walked: no clash with the next file" \
  || bad "first-invalid.d" "$(cat e1)"
"$SKILLBOOK" validate --limit skills=1 walk-only.xml >/dev/null 2>e1
grep -q "walk-only.xml:.*more than 1 skills" e1 && ok "a valid file's walk still reports" \
  || bad "walk-only.xml" "$(cat e1)"
"$SKILLBOOK" validate --limit nodes=3 first-invalid-nodup.d >/dev/null 2>e1
grep -q "10-b.xml:4: error: more than 3 elements" e1 \
  && ok "the nodes an invalid first file's walk counted are not counted" \
  || bad "nodes after an invalid first file" "$(cat e1)"
# the program does start the helper (a thread for one small file)
if command -v strace >/dev/null; then
  strace -f -e trace=clone,clone3 -o tr "$SKILLBOOK" validate walk-only.xml >/dev/null 2>&1
  grep -q clone tr && ok "validate starts the helper thread" \
    || bad "no helper thread" "$(cat tr | head -3)"
fi
finish
