#!/bin/bash
# tests/cli/load_pending.sh -- the document commands (handbook, sheet,
# profile) lay their document out while the catalogue's schema validation
# still runs on its helper thread, and settle it before they print or
# write anything (sb_load_catalog_pending, sb_cli_settle). Nothing of it
# may show: for every bad catalogue of tests/bad and cases made here (a
# schema error in a file whose walk passes, warnings of the catalogue and
# of the document, --strict, an unknown id, --since, -o -, trace and png,
# a file already at the output path), each command gives the same exit
# status, standard output, standard error and files (no output, no
# temporary, an old file untouched when the catalogue is invalid) as the
# same program made to join the validation before the load returns
# (SKILLBOOK_PENDING=0) and as the test build, which never overlaps.
# Env (set by ctest): SKILLBOOK, SKILLBOOK_TEST, SRC.
SB_TEST_NAME=load_pending
. "$(dirname "$0")/lib.bash"
cd "$T" || exit 1

HEAD='<?xml version="1.0" encoding="UTF-8"?>
<catalog xmlns="urn:skillbook:catalog:1" title="Pending">'
LADDER='  <levels><level id="junior" name="Junior"/><level id="senior" name="Senior"/></levels>
  <roles><role id="dev" name="Developer"/></roles>'
skill() { # ID NAME [EXTRA-ATTRIBUTES]: expected at junior only (a gap warning)
  echo "      <skill id=\"$1\" name=\"$2\" ${3:-}><expect level=\"junior\" role=\"dev\">Does $2.</expect></skill>"
}
mkdir made
# valid, with a gap warning per skill, and a name the fonts cannot print
# (the document's own warning, which must come after the catalogue's)
{ echo "$HEAD"; echo "$LADDER"
  echo '  <domain id="eng" name="E"><group id="g" name="G">'
  skill a 'Alpha 😀'; skill b Beta
  echo '  </group></domain></catalog>'; } >made/warns.xml
# the same, invalid by the schema only (an unknown attribute): the walk
# passes, the layout runs on its model, the validation fails
{ echo "$HEAD"; echo "$LADDER"
  echo '  <domain id="eng" name="E"><group id="g" name="G">'
  skill a 'Alpha 😀' 'bogus="1"'; skill b Beta
  echo '  </group></domain></catalog>'; } >made/schema.xml
# schema errors the walk would not see: a bad id pattern, a bad date
{ echo "$HEAD"; echo "$LADDER"
  echo '  <domain id="eng" name="E"><group id="g" name="G">'
  skill Upper Upper; skill b Beta 'updated="2026-13-40"'
  echo '  </group></domain></catalog>'; } >made/pattern.xml
# valid without any warning
{ echo "$HEAD"; echo "$LADDER"
  echo '  <domain id="eng" name="E"><group id="g" name="G">'
  echo '      <skill id="a" name="Alpha"><expect level="junior" role="dev">A.</expect><expect level="senior" role="dev" mandatory="true">AA.</expect></skill>'
  echo '  </group></domain></catalog>'; } >made/clean.xml

# first ID of KIND in the catalogue P (a file or a folder), or DEFAULT
first_id() { # P KIND DEFAULT
  local f=$1
  [ -d "$f" ] && f=$(ls "$f"/*.xml 2>/dev/null | head -1)
  local id
  id=$(grep -ao "<$2 id=\"[^\"]*\"" "$f" 2>/dev/null | head -1 | sed 's/.*id="//; s/"$//')
  echo "${id:-$3}"
}

# run DIR MODE ARGS...: the command in DIR (fresh, holding kept.pdf), its
# outputs into DIR/.o DIR/.e DIR/.rc
run() {
  local dir=$1 mode=$2 prog=$SKILLBOOK pend=
  shift 2
  rm -rf "$dir"
  mkdir "$dir"
  cp old.pdf "$dir/kept.pdf"
  case $mode in
    join) pend=0 ;;
    test) prog=$SKILLBOOK_TEST ;;
  esac
  (cd "$dir" && SKILLBOOK_PENDING=$pend "$prog" "$@" >.o 2>.e; echo $? >.rc)
}

n=0
same() { # WHAT ARGS...: pending against join (and the test build)
  local what=$1
  shift
  run a pending "$@"
  run b join "$@"
  if ! diff -r a b >/dev/null; then
    bad "$what: $*" "pending/join differ: $(diff -r a b | head -6)"
    return
  fi
  if [ -n "${WITH_TEST:-}" ]; then
    run b test "$@"
    if ! diff -r a b >/dev/null; then
      bad "$what: $*" "pending/test build differ: $(diff -r a b | head -6)"
      return
    fi
  fi
  n=$((n + 1))
}

printf 'an old file, not a PDF\n' >old.pdf
# every catalogue of tests/bad and the made ones: handbook, sheet, profile
# of its first role, level and skill; to the default path, to -o, to
# standard output; an unknown role; --strict; the test build for one
for p in "$SRC"/tests/bad/*.xml "$SRC"/tests/bad/*.d "$T"/made/*.xml; do
  role=$(first_id "$p" role dev)
  level=$(first_id "$p" level junior)
  sk=$(first_id "$p" skill a)
  WITH_TEST=1 same handbook handbook "$p" --role "$role"
  same "handbook -o" handbook "$p" --role "$role" -o kept.pdf
  same "handbook trace -o -" handbook "$p" --role "$role" --format trace -o -
  same "handbook, unknown role" handbook "$p" --role no-such-role
  same "handbook --strict" handbook "$p" --role "$role" --strict -o h.pdf
  same sheet sheet "$p" --role "$role" --from "$level" -o s.pdf
  same "sheet, unknown level" sheet "$p" --role "$role" --from no-such-level
  same profile profile "$p" --skill "$sk" -o p.pdf
  same "profile --all" profile "$p" --all -o - --format trace
done
ok "tests/bad and made cases: $n runs, the same whether the validation is pending or joined"

n=0
for p in made/warns.xml made/schema.xml made/pattern.xml made/clean.xml; do
  WITH_TEST=1 same "png" handbook "$T/$p" --role dev --format png -o x.png
  same "png, page past the end" handbook "$T/$p" --role dev --format png --page 99 -o x.png
  same "--lang" handbook "$T/$p" --role dev --lang xx -o l.pdf
  same "--quiet" handbook "$T/$p" --role dev --quiet -o q.pdf
  same "sheet --pack" sheet "$T/$p" --role dev --from junior --to senior --pack -o k.pdf
  same "--since a valid one" handbook "$T/$p" --role dev --since "$T/made/clean.xml" -o c.pdf
  same "--since an invalid one" handbook "$T/made/clean.xml" --role dev --since "$T/$p" -o c.pdf
  same "--style file" handbook "$T/$p" --role dev --style "$SRC/styles/letter.xml" -o st.pdf
done
ok "formats, languages, --since, styles: $n runs, the same"

# the cases say what they were made to say
run a pending handbook "$T/made/warns.xml" --role dev -o w.pdf
grep -n "warnings in the catalogue" a/.e | grep -q "^1:" \
  && grep -q "U+1F600" a/.e && [ "$(cat a/.rc)" = 0 ] && [ -s a/w.pdf ] \
  && ok "valid: the catalogue's summary first, then the document's warning" \
  || bad "warns.xml" "$(cat a/.e)"
run a pending handbook "$T/made/schema.xml" --role dev -o w.pdf
grep -q "bogus" a/.e && ! grep -q "U+1F600" a/.e && [ "$(cat a/.rc)" = 3 ] \
  && [ ! -e a/w.pdf ] && ! ls -a a | grep -q sbtmp \
  && ok "schema error after a walk that passed: exit 3, its message only, nothing written" \
  || bad "schema.xml" "rc $(cat a/.rc): $(cat a/.e)"
run a pending handbook "$T/made/schema.xml" --role dev -o kept.pdf
cmp -s a/kept.pdf old.pdf && ok "an invalid catalogue leaves the file at -o as it was" \
  || bad "kept.pdf replaced"
run a pending handbook "$T/made/pattern.xml" --role no-such-role
[ "$(cat a/.rc)" = 3 ] && ! grep -q "no-such-role" a/.e \
  && ok "an unknown role in an invalid catalogue: the catalogue's failure (exit 3)" \
  || bad "pattern.xml unknown role" "$(cat a/.e)"

# the validation ends before the document's temporary file is made: the
# first thread (the validation helper) exits before that openat
if command -v strace >/dev/null; then
  (cd a && strace -f -o ../tr -e trace=clone,clone3,exit,openat \
     "$SKILLBOOK" handbook "$T/made/warns.xml" --role dev -o st.pdf >/dev/null 2>&1)
  # the validation's is the first thread made after the catalogue was
  # opened (the style's helper, cli/early.c, is made before); its tid is
  # what clone returns, on the clone's line or, when strace split it, on
  # its "resumed" line
  cat_at=$(grep -n 'warns.xml' tr | head -1 | cut -d: -f1)
  helper=$(tail -n +"${cat_at:-1}" tr |
    grep -m1 -E '^[0-9]+ +(clone3?\(|<\.\.\. clone3? resumed>).*= [0-9]+$' |
    sed -E 's/.*= ([0-9]+)$/\1/')
  exit_at=$(grep -n -E "^$helper +exit\(" tr | head -1 | cut -d: -f1)
  tmp_at=$(grep -n 'sbtmp-st.pdf' tr | head -1 | cut -d: -f1)
  if [ -n "$helper" ] && [ -n "$exit_at" ] && [ -n "$tmp_at" ] && [ "$exit_at" -lt "$tmp_at" ]; then
    ok "the validation helper ends before the output's temporary file is made"
  else
    bad "helper and temporary" "helper=$helper exit=$exit_at tmp=$tmp_at"
  fi
fi
finish
