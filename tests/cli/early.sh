#!/bin/bash
# tests/cli/early.sh -- the document commands (handbook, sheet, profile)
# load the style and its faces on a helper thread while the catalogue
# loads (cli/early.c). Nothing of it may show: with a missing font, a file
# that is not a font, a datadir without fonts, a style that warns, each
# alone and beside a bad catalogue (invalid XML, a schema error found
# while the validation is pending, an unknown role), every command gives
# the same exit status, standard output, standard error and files as the
# same program without the helper (SKILLBOOK_EARLY=0) and as the test
# build (which never starts it); the documents are the same bytes.
# Env (set by ctest): SKILLBOOK, SKILLBOOK_TEST, SRC.
SB_TEST_NAME=early
. "$(dirname "$0")/lib.bash"
cd "$T" || exit 1

HEAD='<?xml version="1.0" encoding="UTF-8"?>
<catalog xmlns="urn:skillbook:catalog:1" title="Early">
  <levels><level id="junior" name="Junior"/><level id="senior" name="Senior"/></levels>
  <roles><role id="dev" name="Developer"/></roles>
  <domain id="eng" name="E"><group id="g" name="G">'
TAIL='  </group></domain></catalog>'
mkdir made
{ echo "$HEAD"
  echo '    <skill id="a" name="Alpha"><expect level="junior" role="dev">A.</expect><expect level="senior" role="dev">AA.</expect></skill>'
  echo "$TAIL"; } >made/clean.xml
# invalid by the schema only: the walk passes, the validation (pending
# while the document is laid out) fails
{ echo "$HEAD"
  echo '    <skill id="a" name="Alpha" bogus="1"><expect level="junior" role="dev">A.</expect><expect level="senior" role="dev">AA.</expect></skill>'
  echo "$TAIL"; } >made/schema.xml
# not well-formed: the load fails before the document
{ echo "$HEAD"; echo '    <skill id="a" name="Alpha">'; echo "$TAIL"; } >made/broken.xml

style() { # FILE BODY...: a style based on default
  local f=$1
  shift
  printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' \
    '<style xmlns="urn:skillbook:style:1" name="t" based-on="default">' "$@" \
    '</style>' >"$f"
}
printf 'this is not a font' >fake.ttf
style nofont.xml '<fonts regular="NoSuchFont.ttf"/>'
style fake.xml '<fonts bold="fake.ttf"/>'
style plain.xml '<footer text="Early footer"/>'
mkdir nodata # a datadir without fonts/: the default style's faces are missing

# run DIR MODE ARGS...: the command in DIR (fresh), its outputs into
# DIR/.o DIR/.e DIR/.rc; MODE: early (the program), late
# (SKILLBOOK_EARLY=0), test (the test build). DATA: SKILLBOOK_DATA.
run() {
  local dir=$1 mode=$2 prog=$SKILLBOOK early=
  shift 2
  rm -rf "$dir"
  mkdir "$dir"
  case $mode in
    late) early=0 ;;
    test) prog=$SKILLBOOK_TEST ;;
  esac
  (cd "$dir" && SKILLBOOK_DATA=${DATA:-$SKILLBOOK_DATA} SKILLBOOK_EARLY=$early \
     "$prog" "$@" >.o 2>.e; echo $? >.rc)
}

n=0
same() { # WHAT ARGS...: with the helper, without it, and the test build
  local what=$1 m
  shift
  run a early "$@"
  for m in late test; do
    run b $m "$@"
    if ! diff -r a b >/dev/null; then
      bad "$what: $*" "early/$m differ: $(diff -r a b | head -6)"
      return
    fi
  done
  n=$((n + 1))
}

for c in clean schema broken; do
  p=$T/made/$c.xml
  for s in nofont fake plain; do
    st=$T/$s.xml
    same "handbook $c $s" handbook "$p" --role dev --style "$st" -o h.pdf
    same "handbook $c $s, unknown role" handbook "$p" --role nobody --style "$st"
    same "handbook $c $s -o -" handbook "$p" --role dev --style "$st" --format trace -o -
    same "sheet $c $s" sheet "$p" --role dev --from junior --style "$st" -o s.pdf
    same "profile $c $s" profile "$p" --skill a --style "$st" -o p.pdf
    same "handbook $c $s --lang xx" handbook "$p" --role dev --style "$st" --lang xx -o l.pdf
  done
  DATA=$T/nodata same "handbook $c, no fonts in the datadir" handbook "$p" --role dev -o h.pdf
  DATA=$T/nodata same "sheet $c, no fonts in the datadir" sheet "$p" --role dev --from junior -o s.pdf
  same "handbook $c, default style" handbook "$p" --role dev -o h.pdf
  same "handbook $c, png" handbook "$p" --role dev --format png -o h.png
done
ok "$n runs: the same with the style's helper, without it and in the test build"

# the cases say what they were made to say
run a early handbook "$T/made/clean.xml" --role dev --style "$T/nofont.xml" -o h.pdf
[ "$(cat a/.rc)" = 4 ] && grep -q "NoSuchFont.ttf" a/.e && [ ! -e a/h.pdf ] \
  && ok "a missing font: exit 4, named, nothing written" \
  || bad "missing font" "rc $(cat a/.rc): $(cat a/.e)"
run a early handbook "$T/made/schema.xml" --role dev --style "$T/nofont.xml" -o h.pdf
[ "$(cat a/.rc)" = 4 ] && grep -q "NoSuchFont" a/.e && ! grep -q "bogus" a/.e \
  && [ ! -e a/h.pdf ] \
  && ok "a style file naming a missing font: the style's error, before the catalogue loads" \
  || bad "schema + missing font" "rc $(cat a/.rc): $(cat a/.e)"
DATA=$T/nodata run a early handbook "$T/made/schema.xml" --role dev -o h.pdf
[ "$(cat a/.rc)" = 3 ] && grep -q "bogus" a/.e && ! grep -q "fonts/" a/.e \
  && [ ! -e a/h.pdf ] \
  && ok "an invalid catalogue and faces that cannot load: the catalogue's failure only" \
  || bad "schema + no fonts" "rc $(cat a/.rc): $(cat a/.e)"
DATA=$T/nodata run a early handbook "$T/made/clean.xml" --role dev -o h.pdf
[ "$(cat a/.rc)" = 4 ] && grep -q "nodata/fonts/" a/.e && [ ! -e a/h.pdf ] \
  && ok "no fonts in the datadir: exit 4, the font named" \
  || bad "nodata" "rc $(cat a/.rc): $(cat a/.e)"
run a early handbook "$T/made/clean.xml" --role dev --style "$T/plain.xml" -o h.pdf
[ "$(cat a/.rc)" = 0 ] && pdftotext a/h.pdf - | grep -q "Early footer" \
  && ok "a style file's document is written with its style" \
  || bad "plain style" "rc $(cat a/.rc): $(cat a/.e)"

# the helper runs (a thread made before the catalogue is opened) and reads
# the faces; without it, no thread is made before the catalogue
if command -v strace >/dev/null; then
  trace() { # MODE: the clone before the catalogue's openat, and a font's openat
    local early=
    [ "$1" = late ] && early=0
    SKILLBOOK_EARLY=$early strace -f -o tr -e trace=clone,clone3,openat \
      "$SKILLBOOK" handbook "$T/made/clean.xml" --role dev -o t.pdf >/dev/null 2>&1
    sed -n '1,/made\/clean.xml/p' tr | grep -cE '^[0-9]+ +clone3?\('
  }
  [ "$(trace early)" = 1 ] && ok "the helper starts before the catalogue is read" \
    || bad "no helper thread before the catalogue" "$(head -5 tr)"
  [ "$(trace late)" = 0 ] && ok "SKILLBOOK_EARLY=0: no helper" \
    || bad "SKILLBOOK_EARLY=0 still starts a thread"
fi
finish
