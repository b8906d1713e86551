#!/bin/bash
# tests/cli/diagnostics.sh -- every diagnostic of the loader, byte for byte.
#
# For each input of a group, `skillbook validate` (exit status and stderr),
# `validate --format json` (exit status, SHA-256 of stdout, stderr) and
# `handbook --format trace` of the first role (exit status, stderr, SHA-256
# of the trace) are written as text and compared with
# tests/golden/diagnostics/GROUP.txt. validate.sh checks that the right
# messages appear; this checks that nothing else changed: a change in how
# files are read, parsed, validated or walked (docs/performance.md,
# "Catalogue load: the tree in a region") must leave every byte the user
# sees as it was. Groups: bad (tests/bad), corpus (tests/fuzz/corpus),
# ladder (tests/fuzz/corpus-ladder made into catalogues by fuzz_replay,
# skipped without it), catalog (the bundled catalogue and the examples),
# real (../shared/data/real, skipped when absent) and generated (written
# here: a BOM, NUL bytes first, one-line files, truncated files, texts,
# attribute values, tags and comments of megabytes; validate also with the
# text-bytes limit off and at 7).
#
# The golden files change only on purpose: UPDATE=1 bash tests/cli/
# diagnostics.sh rewrites them (then read the diff).
# Environment (set by ctest): SKILLBOOK, SRC, SHARED.
SB_TEST_NAME=diagnostics
. "$(dirname "$0")/lib.bash"
GOLD=$SRC/tests/golden/diagnostics
UPDATE=${UPDATE:-}

# describe NAME [OPTIONS...]: the three commands on NAME (a path relative to
# the working directory), as text on stdout.
describe() {
  local p=$1 rc role
  shift
  echo "== $p${*:+ ($*)}"
  "$SKILLBOOK" validate "$@" "$p" >/dev/null 2>"$T/e"
  echo "validate: exit $?"
  cat "$T/e"
  "$SKILLBOOK" validate --format json "$@" "$p" >"$T/o" 2>"$T/e"
  rc=$?
  echo "json: exit $rc, stdout $(sha256sum <"$T/o" | cut -c1-16)"
  cat "$T/e"
  role=$("$SKILLBOOK" list roles "$@" "$p" 2>/dev/null | head -n 1 | cut -f1)
  "$SKILLBOOK" handbook "$p" "$@" --role "${role:-r01}" --format trace \
    -o - >"$T/o" 2>"$T/e"
  rc=$?
  echo "handbook ${role:-r01}: exit $rc, trace $(sha256sum <"$T/o" | cut -c1-16)"
  cat "$T/e"
}

# group NAME DIR PATH...: describes each PATH (relative to DIR) and compares
# the whole with the golden file, or writes it with UPDATE=1.
group() {
  local name=$1 dir=$2 p
  shift 2
  (cd "$dir" && for p in "$@"; do describe "$p"; done) >"$T/$name.txt" 2>&1
  if [ -n "$UPDATE" ]; then
    mkdir -p "$GOLD"
    cp "$T/$name.txt" "$GOLD/$name.txt"
    ok "$name (written, $# inputs)"
  elif [ ! -f "$GOLD/$name.txt" ]; then
    bad "$name" "no golden file $GOLD/$name.txt (UPDATE=1 writes it)"
  elif cmp -s "$T/$name.txt" "$GOLD/$name.txt"; then
    ok "$name ($# inputs)"
  else
    bad "$name" "differs from the golden file:"
    diff "$GOLD/$name.txt" "$T/$name.txt" | head -n 40
  fi
}

names() { # names DIR GLOB...: what the globs match in DIR, sorted by bytes
  (cd "$1" && shift && for g in "$@"; do compgen -G "$g"; done | LC_ALL=C sort)
}

# ==== bad: every tests/bad input, the folders too ====
mkdir -p "$SRC/tests/bad/dir-named-xml.d/x.xml" # git keeps no empty folder
mapfile -t in < <(names "$SRC/tests/bad" '*.xml' '*.d')
group bad "$SRC/tests/bad" "${in[@]}"

# ==== corpus: the fuzzers' catalogue corpus ====
mapfile -t in < <(names "$SRC/tests/fuzz/corpus" '*')
group corpus "$SRC/tests/fuzz/corpus" "${in[@]}"

# ==== ladder: the ladder fuzzer's recipes, made into catalogues ====
replay=$(dirname "$SKILLBOOK")/tests/fuzz/fuzz_replay
if [ -x "$replay" ]; then
  mkdir -p "$T/ladder"
  for f in "$SRC"/tests/fuzz/corpus-ladder/*; do
    "$replay" --ladder-xml "$f" >"$T/ladder/$(basename "$f").xml" 2>/dev/null
  done
  mapfile -t in < <(names "$T/ladder" '*.xml')
  group ladder "$T/ladder" "${in[@]}"
else
  echo "skip ladder (no $replay)"
fi

# ==== catalog: the bundled catalogue, its files and the examples ====
group catalog "$SRC" catalog catalog/00-ladder.xml catalog/examples/es \
  catalog/examples/ru

# ==== real: the reference catalogues ====
if [ -n "$SHARED" ] && [ -d "$SHARED/data/real" ]; then
  mapfile -t in < <(names "$SHARED/data/real" '*.xml')
  group real "$SHARED/data/real" "${in[@]}"
else
  echo "skip real (no ../shared/data/real)"
fi

# ==== generated: what the corpora do not have ====
mkdir -p "$T/gen"
"$PY" - "$T/gen" <<'PY'
import os, sys
d = sys.argv[1]
def w(name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
head = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<catalog xmlns="urn:skillbook:catalog:1" xml:lang="en" title="T" version="1">\n'
        '<levels><level id="a" name="A"/></levels><roles><role id="r" name="R"/></roles>\n')
tail = '</catalog>\n'
sk = ('<domain id="d" name="D"><group id="g" name="G"><skill id="s" name="S">'
      '<summary>x</summary>\n<expect level="a" role="r">%s</expect>\n'
      '</skill></group></domain>\n')
w("bom.xml", "\ufeff" + head + sk % "t" + tail)
w("bom-error.xml", "\ufeff<catalog xmlns=\"urn:skillbook:catalog:1\" <levels></catalog>\n")
w("bom-decl.xml", "\ufeff<?xml version=\"1.0\" encoding=\"UTF-8\"?><catalog "
  "xmlns=\"urn:skillbook:catalog:1\" a=\"1\" a=\"2\"/>\n")
w("nul-first.xml", b"<\x00?\x00xml version=\"1.0\"?><catalog/>")
w("nul-three.xml", b"\x00\x00\x00<catalog/>")
w("one-line.xml", (head + sk % "" + tail).replace("\n", ""))
w("one-line-errors.xml", (head + '<domain id="d" name="D"><group id="g" name="G">'
  '<skill id="s" name="S"><expect level="BAD" role="r"> </expect>'
  '<expect level="a" role="r"></expect><expect level="a" role="r">x</expect>'
  '<bogus/></skill><skill id="s" name=""/></group></domain>' + tail).replace("\n", ""))
w("truncated.xml", (head + sk % "abc" + tail)[:-30])
w("truncated-5MB.xml", (head + sk % ("x" * 5000000) + tail)[:-30])
w("late-error-3MB.xml", head + sk % ("x" * 3000000) + '<domain id="e" name="E">'
  '<group id="h" name="H"><skill id="t" name="T"><expect level="a" role="r">'
  'a &bogus; b</expect></skill></group></domain>\n' + tail)
w("crlf.xml", (head + sk % "line1\nline2" + tail).replace("\n", "\r\n"))
w("deep.xml", head + sk % ("<b>" * 300 + "</b>" * 300) + tail)
w("pi-comment.xml", '<?xml version="1.0"?>\n<!-- c -->\n<?pi x?>\n' +
  head.split("\n", 1)[1] + sk % "t<!--x-->u<?p q?>" + tail)
w("text-9MB.xml", head + sk % ("y" * 9000000) + tail)
w("text-12MB.xml", head + sk % ("x" * 12000000) + tail)
w("text-cyrillic-5MB.xml", head + sk % ("\u0436" * 2600000) + tail)
w("cdata-5MB.xml", head + sk % ("<![CDATA[" + "k" * 5000000 + "]]>") + tail)
w("comment-6MB.xml", head + "<!-- " + "c" * 6000000 + " -->\n" + sk % "t" + tail)
w("attribute-12MB.xml", head + '<domain id="d" name="%s"><group id="g" name="G">'
  '<skill id="s" name="S"><expect level="a" role="r">t</expect></skill></group>'
  '</domain>\n' % ("z" * 12000000) + tail)
attrs = " ".join('a%d="%s"' % (i, "q" * 900000) for i in range(14))
w("tag-12MB.xml", head + '<domain id="d" name="D" %s><group id="g" name="G">'
  '<skill id="s" name="S"><expect level="a" role="r">t</expect></skill></group>'
  '</domain>\n' % attrs + tail)
PY
mapfile -t in < <(names "$T/gen" '*.xml')
(cd "$T/gen" && for p in "${in[@]}"; do
  describe "$p"
  for lim in 0 7; do
    echo "== $p (--limit text-bytes=$lim)"
    "$SKILLBOOK" validate --limit text-bytes=$lim "$p" >/dev/null 2>"$T/e"
    echo "validate: exit $?"
    cat "$T/e"
  done
done) >"$T/generated.txt" 2>&1
# group compares a file made by describe; reuse it for this one
group_file() {
  local name=$1
  if [ -n "$UPDATE" ]; then
    cp "$T/$name.txt" "$GOLD/$name.txt"
    ok "$name (written)"
  elif cmp -s "$T/$name.txt" "$GOLD/$name.txt"; then
    ok "$name (${#in[@]} inputs)"
  else
    bad "$name" "differs from the golden file:"
    diff "$GOLD/$name.txt" "$T/$name.txt" | head -n 40
  fi
}
group_file generated

finish
