#!/bin/bash
# tests/cli/stream.sh -- a big catalogue file is loaded as a stream
# (catalog/load.c's load_streamed, walk.c's sb_cat_walk_stream,
# xml/stream.c); SKILLBOOK_STREAM_BYTES=1 makes every file stream, =0 none.
# Whatever the stream meets (a parse or schema error, a duplicate key, a
# walk diagnostic, a limit) sends the file back to the tree path, so the
# program must say exactly the same either way: for every bad catalogue of
# tests/bad and made cases under limits, `validate` (text and JSON) gives
# the same exit status, standard output and standard error; for good
# catalogues (the bundled one, the examples, the golden catalogue, the
# reference folder's real catalogues and the bench's large one when they
# are there), validate, list, export and two roles' handbooks (PDF and
# trace) are byte for byte the same. tests/unit/test_stream.c checks the
# models field by field and that these files do stream.
# Env (set by ctest): SKILLBOOK, SRC, SHARED.
SB_TEST_NAME=stream
. "$(dirname "$0")/lib.bash"
cd "$T" || exit 1

same() { # WHAT ARGS...: streamed and not, the same three outputs
  local what=$1 rc1 rc2
  shift
  SKILLBOOK_STREAM_BYTES=0 "$SKILLBOOK" "$@" >o1 2>e1; rc1=$?
  SKILLBOOK_STREAM_BYTES=1 "$SKILLBOOK" "$@" >o2 2>e2; rc2=$?
  if [ $rc1 -eq $rc2 ] && cmp -s o1 o2 && cmp -s e1 e2; then
    n=$((n + 1))
  else
    bad "$what: $*" "exit $rc1/$rc2; $(diff o1 o2 | head -3) $(diff e1 e2 | head -5)"
  fi
}

same_files() { # WHAT FILE ARGS...: the file each run writes, the same
  local what=$1 f=$2
  shift 2
  SKILLBOOK_STREAM_BYTES=0 "$SKILLBOOK" "$@" -o "$f.tree" >/dev/null 2>e1
  SKILLBOOK_STREAM_BYTES=1 "$SKILLBOOK" "$@" -o "$f.stream" >/dev/null 2>e2
  if [ -s "$f.tree" ] && cmp -s "$f.tree" "$f.stream" && cmp -s e1 e2; then
    n=$((n + 1))
  else
    bad "$what: $*" "$(cmp "$f.tree" "$f.stream" 2>&1) $(diff e1 e2 | head -3)"
  fi
  rm -f "$f.tree" "$f.stream"
}

# ---- bad input: the tree path reports it, the same bytes ----
n=0
for p in "$SRC"/tests/bad/*.xml "$SRC"/tests/bad/*.d; do
  same bad validate "$p"
  same bad validate --format json "$p"
done
ok "tests/bad: $n runs, the same streamed or not"

HEAD='<?xml version="1.0" encoding="UTF-8"?>
<catalog xmlns="urn:skillbook:catalog:1" title="Stream">'
LADDER='  <levels><level id="junior" name="Junior"/><level id="senior" name="Senior"/></levels>
  <roles><role id="dev" name="Developer"/></roles>'
skill() { # ID NAME [EXTRA-ATTRIBUTES]
  echo "      <skill id=\"$1\" name=\"$2\" ${3:-}><expect level=\"junior\" role=\"dev\">Does $2.</expect></skill>"
}
# a valid file (its walk reports under limits), keys twice in several
# places, a domain and a group repeated, an error in the last element,
# a gap (a warning after the load), and a file that is not XML
{ echo "$HEAD"; echo "$LADDER"
  echo '  <domain id="eng" name="E"><group id="g" name="G">'; skill a A; skill b B; skill c C
  echo '  </group></domain><domain id="ops" name="O"><group id="h" name="H">'; skill d D
  echo '  </group></domain></catalog>'; } >walk-only.xml
{ echo "$HEAD"; echo "$LADDER"
  echo '  <domain id="eng" name="E"><group id="g" name="G">'; skill a A; skill a A2
  echo '  </group><group id="g" name="G"/></domain><domain id="eng" name="E">'
  echo '  <group id="h" name="H">'; skill b B
  echo '  </group></domain></catalog>'; } >keys.xml
{ echo "$HEAD"; echo "$LADDER"
  echo '  <domain id="eng" name="E"><group id="g" name="G">'; skill a A; skill b B
  echo '      <skill id="z" name="Z"><expect level="junior" role="dev">x</expect><expect level="junior" role="dev">y</expect></skill>'
  echo '  </group></domain></catalog>'; } >expect-twice.xml
{ echo "$HEAD"; echo "$LADDER"
  echo '  <domain id="eng" name="E"><group id="g" name="G">'; skill a A; skill b B
  skill z Z 'bogus="1"'; echo '  </group></domain></catalog>'; } >last-invalid.xml
{ echo "$HEAD"; echo "$LADDER"
  echo '  <domain id="eng" name="E"><group id="g" name="G">'; skill a A
  echo '      <skill id="b" name="B"><expect level="senior" role="dev">Senior only.</expect></skill>'
  echo '  </group></domain></catalog>'; } >gap.xml
{ echo "$HEAD"; echo "$LADDER"
  echo '  <domain id="eng" name="E"><group id="g" name="G">'; skill a A
  echo '  </group></domain>'; } >cut.xml
printf 'id,name\na,b\n' >not-xml.xml
n=0
for p in walk-only.xml keys.xml expect-twice.xml last-invalid.xml gap.xml \
         cut.xml not-xml.xml; do
  same made validate "$p"
  same made validate --format json "$p"
  same made validate --strict "$p"
  same made validate --limit nodes=3 "$p"
  same made validate --limit skills=1 "$p"
  same made validate --limit text-bytes=6 "$p"
done
# a folder whose first file streams: the later files' limits count on
# from what the stream counted (the nodes limit is hit in the second file
# at 30, in the third at 200)
for l in nodes=30 nodes=200 skills=3; do
  same folder validate --limit $l "$SRC/catalog"
done
ok "made cases under limits: $n runs, the same"

# ---- good catalogues: the same outputs ----
goods=("$SRC/catalog" "$SRC/tests/golden/golden.xml")
for f in "$SRC"/catalog/examples/*/catalog.xml; do goods+=("$f"); done
if [ -n "$SHARED" ] && [ -d "$SHARED/data/real" ]; then
  for f in "$SHARED"/data/real/*.xml; do goods+=("$f"); done
else
  echo "skipped: the real catalogues (no reference folder)"
fi
n=0
for c in "${goods[@]}"; do
  same good validate "$c"
  same good list skills "$c"
  same good export "$c" --format json
  roles=$(SKILLBOOK_STREAM_BYTES=0 "$SKILLBOOK" list roles "$c" | cut -f1 | head -2)
  for r in $roles; do
    same_files good "$T/h.pdf" handbook "$c" --role "$r"
    same_files good "$T/h.trace" handbook "$c" --role "$r" --format trace
  done
done
ok "good catalogues: $n outputs, byte for byte the same"
large=$SRC/bench/data/large.xml
if [ -f "$large" ]; then
  n=0
  same_files large "$T/l.pdf" handbook "$large" --role r01
  same large validate "$large"
  ok "the bench's large catalogue: the same handbook and validation"
else
  echo "skipped: bench/data/large.xml (made by bench/run.sh)"
fi
finish
