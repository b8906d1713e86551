#!/bin/bash
# tests/cli/split.sh -- a catalogue file parsed as two halves on two
# threads (xml/split.c); SKILLBOOK_SPLIT_BYTES=1 cuts every file it can,
# =0 none. Anything either half reports sends the file back to the whole
# parse, and the two halves make the whole parse's tree, so the program
# must say and write exactly the same either way: for every bad catalogue
# of tests/bad and made cases (errors before and after the cut, keys
# repeated across it, limits), `validate` (text and JSON) gives the same
# exit status, standard output and standard error; for good catalogues
# (the bundled one, the examples, the golden catalogue, the reference
# folder's real catalogues and the bench's large one when they are
# there), validate, list, export and two roles' handbooks (PDF and trace)
# are byte for byte the same. tests/unit/test_xml_split.c compares the
# trees node by node and checks where files are cut and where not.
# Env (set by ctest): SKILLBOOK, SRC, SHARED.
SB_TEST_NAME=split
. "$(dirname "$0")/lib.bash"
cd "$T" || exit 1

same() { # WHAT ARGS...: cut and whole, the same three outputs
  local what=$1 rc1 rc2
  shift
  SKILLBOOK_SPLIT_BYTES=0 "$SKILLBOOK" "$@" >o1 2>e1; rc1=$?
  SKILLBOOK_SPLIT_BYTES=1 "$SKILLBOOK" "$@" >o2 2>e2; rc2=$?
  if [ $rc1 -eq $rc2 ] && cmp -s o1 o2 && cmp -s e1 e2; then
    n=$((n + 1))
  else
    bad "$what: $*" "exit $rc1/$rc2; $(diff o1 o2 | head -3) $(diff e1 e2 | head -5)"
  fi
}

same_files() { # WHAT FILE ARGS...: the file each run writes, the same
  local what=$1 f=$2
  shift 2
  SKILLBOOK_SPLIT_BYTES=0 "$SKILLBOOK" "$@" -o "$f.whole" >/dev/null 2>e1
  SKILLBOOK_SPLIT_BYTES=1 "$SKILLBOOK" "$@" -o "$f.cut" >/dev/null 2>e2
  if [ -s "$f.whole" ] && cmp -s "$f.whole" "$f.cut" && cmp -s e1 e2; then
    n=$((n + 1))
  else
    bad "$what: $*" "$(cmp "$f.whole" "$f.cut" 2>&1) $(diff e1 e2 | head -3)"
  fi
  rm -f "$f.whole" "$f.cut"
}

# ---- bad input ----
n=0
for p in "$SRC"/tests/bad/*.xml "$SRC"/tests/bad/*.d; do
  same bad validate "$p"
  same bad validate --format json "$p"
done
ok "tests/bad: $n runs, the same cut or not"

# made cases: a catalogue of 12 domains, one per line pair, so that the
# middle has cuts; its problems before, at and after the cut
HEAD='<?xml version="1.0" encoding="UTF-8"?>
<catalog xmlns="urn:skillbook:catalog:1"
         title="Split">
  <levels><level id="junior" name="Junior"/><level id="senior" name="Senior"/></levels>
  <roles><role id="dev" name="Developer"/></roles>'
domain() { # N [SKILL-ID] [EXTRA]
  echo "  <domain id=\"d$1\" name=\"D$1\"><group id=\"g$1\" name=\"G$1\">"
  echo "      <skill id=\"${2:-s$1}\" name=\"S$1\" ${3:-}><expect level=\"junior\" role=\"dev\">Does $1.</expect></skill>"
  echo "  </group></domain>"
}
made() { # FILE BROKEN-DOMAIN HOW
  { echo "$HEAD"
    for i in $(seq 1 12); do
      case "$i:$3" in
        "$2:attr") domain "$i" "" 'bogus="1"' ;;
        "$2:key") domain "$i" s1 ;;
        "$2:wf") echo "  <domain id=\"d$i\" name=\"D$i\"><group>"; echo "  </domain>" ;;
        "$2:gap") echo "  <domain id=\"d$i\" name=\"D$i\"><group id=\"g$i\" name=\"G\">"
                  echo "      <skill id=\"s$i\" name=\"S\"><expect level=\"senior\" role=\"dev\">x</expect></skill>"
                  echo "  </group></domain>" ;;
        *) domain "$i" ;;
      esac
    done
    echo '</catalog>'
    echo '<!-- the end -->'; } >"$1"
}
made ok.xml 0 none
for at in 2 7 11; do
  for how in attr key wf gap; do made "$how-$at.xml" "$at" "$how"; done
done
n=0
for p in ok.xml attr-*.xml key-*.xml wf-*.xml gap-*.xml; do
  same made validate "$p"
  same made validate --format json "$p"
  same made validate --strict "$p"
  same made validate --limit nodes=20 "$p"
  same made validate --limit text-bytes=6 "$p"
done
same_files made "$T/ok.pdf" handbook ok.xml --role dev
ok "made cases: $n runs, the same"

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
  roles=$(SKILLBOOK_SPLIT_BYTES=0 "$SKILLBOOK" list roles "$c" | cut -f1 | head -2)
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
