#!/bin/bash
# tests/cli/handbook_all.sh -- `skillbook handbook --all`: the handbook of
# every role in one command. Every file is there, opens in every reader
# (readers.bash) and is byte for byte what `handbook --role ROLE` writes,
# for pdf, trace and png, other styles and languages, with -j 1, 2, 3 and
# more workers than roles; stdout lists the paths in catalogue order; usage
# errors exit 2 with a message and write nothing; a role that fails is
# reported by id, the others are written, the exit status is 1, and the
# failed role's old file is left exactly as it was. It runs on the batch's
# worker pool: kill -9 of the parent leaves no worker and no new file;
# SIGTERM stops the workers (exit 1); a crashed worker fails one role.
# Env (set by ctest): SKILLBOOK (the program), SRC (source tree).
# Prints "N passed, N failed"; exit status 1 if anything failed.

SB_TEST_NAME=handbook-all
. "$(dirname "$0")/lib.bash"
source "$SRC/tests/cli/readers.bash"

CAT=$SRC/catalog
roles=$("$SKILLBOOK" list roles "$CAT" 2>/dev/null | cut -f1)
nroles=$(echo "$roles" | wc -w)
[ "$nroles" -ge 3 ] && ok || bad "bundled catalogue: only $nroles roles listed"

# the single-role outputs to compare with
mkdir -p "$T/one"
for r in $roles; do
  "$SKILLBOOK" handbook "$CAT" --role "$r" -o "$T/one/$r.pdf" >/dev/null 2>&1 ||
    bad "handbook --role $r failed"
done

# expected stdout of --all into DIR: DIR/ROLE.EXT in catalogue order
expect_paths() {
  local r
  for r in $roles; do echo "$1/$r.$2"; done
}

# same_files DIR EXT REFDIR NAME: DIR holds exactly ROLE.EXT for every role,
# each identical to REFDIR/ROLE.EXT
same_files() {
  local dir=$1 ext=$2 ref=$3 name=$4 r n
  for r in $roles; do
    if cmp -s "$dir/$r.$ext" "$ref/$r.$ext"; then ok; else
      bad "$name: $r.$ext differs from handbook --role $r (or is missing)"; fi
  done
  n=$(ls -A "$dir" | wc -l)
  [ "$n" = "$nroles" ] && ok || bad "$name: $n entries in $dir, expected $nroles: $(ls -A "$dir" | head -3)"
}

# --- every role, -j 1: files, stdout, readers, bytes ---
if "$SKILLBOOK" handbook "$CAT" --all -o "$T/j1" -j 1 >"$T/out" 2>"$T/err"; then ok; else
  bad "--all -j 1: exit $? $(head -3 "$T/err")"; fi
if diff <(expect_paths "$T/j1" pdf) "$T/out" >/dev/null; then ok; else
  bad "--all -j 1: stdout is not the paths in catalogue order: $(head -3 "$T/out")"; fi
# the loader's warnings (gaps) are one summary line, printed once, nothing
# else ('skillbook validate' lists them), as for one role
if grep -v "warnings\? in the catalogue; 'skillbook validate" "$T/err" | grep -q .; then
  bad "--all: unexpected messages: $(head -2 "$T/err")"; else ok; fi
n1=$(grep -c "in the catalogue; 'skillbook validate" "$T/err")
"$SKILLBOOK" handbook "$CAT" --role sre -o "$T/x.pdf" >/dev/null 2>"$T/err1"
[ "$n1" = 1 ] && cmp -s "$T/err" "$T/err1" && ok ||
  bad "--all: the catalogue's warnings are not one line, once ($n1 lines)"
same_files "$T/j1" pdf "$T/one" "--all -j 1"
: >"$T/list"
for r in $roles; do printf '%s\t%s\n' "--all $r" "$T/j1/$r.pdf" >>"$T/list"; done
reader_check_all "$T/list" >"$T/rc"
pass=$((pass + $(grep -c '^PASS$' "$T/rc")))
if grep -q '^FAIL' "$T/rc"; then
  fail=$((fail + $(grep -c '^FAIL' "$T/rc"))); grep '^FAIL' "$T/rc"; fi

# --- -j 2, -j 3 (uneven shares), more workers than roles: the same files ---
for j in 2 3 64; do
  if "$SKILLBOOK" handbook "$CAT" --all -o "$T/j$j" -j "$j" >"$T/out" 2>"$T/err"; then ok; else
    bad "--all -j $j: exit $? $(head -3 "$T/err")"; fi
  diff <(expect_paths "$T/j$j" pdf) "$T/out" >/dev/null && ok ||
    bad "--all -j $j: stdout is not the paths in catalogue order"
  same_files "$T/j$j" pdf "$T/j1" "--all -j $j"
done

# --- default folder (out/handbooks under the working directory), default -j ---
mkdir -p "$T/cwd"
(cd "$T/cwd" && "$SKILLBOOK" handbook "$CAT" --all >"$T/out" 2>/dev/null) && ok ||
  bad "--all with the default folder failed"
diff <(expect_paths out/handbooks pdf) "$T/out" >/dev/null && ok ||
  bad "default folder: stdout $(head -2 "$T/out")"
same_files "$T/cwd/out/handbooks" pdf "$T/one" "default folder"
# a trailing slash is not doubled
"$SKILLBOOK" handbook "$CAT" --all -o "$T/slash/" -j 2 >"$T/out" 2>/dev/null
head -1 "$T/out" | grep -q "^$T/slash/[a-z]" && ! grep -q '//' "$T/out" && ok ||
  bad "-o DIR/: $(head -1 "$T/out")"

# --- trace and png: DIR/ROLE.trace, DIR/ROLE.png, as --role writes them ---
mkdir -p "$T/one-trace" "$T/one-png"
for r in $roles; do
  "$SKILLBOOK" handbook "$CAT" --role "$r" --format trace -o - >"$T/one-trace/$r.trace" 2>/dev/null
  "$SKILLBOOK" handbook "$CAT" --role "$r" --format png --page 2 --dpi 40 \
    -o "$T/one-png/$r.png" >/dev/null 2>&1
done
"$SKILLBOOK" handbook "$CAT" --all --format trace -o "$T/trace" -j 2 >"$T/out" 2>/dev/null && ok ||
  bad "--all --format trace failed"
diff <(expect_paths "$T/trace" trace) "$T/out" >/dev/null && ok || bad "--format trace: stdout"
same_files "$T/trace" trace "$T/one-trace" "--all --format trace"
"$SKILLBOOK" handbook "$CAT" --all --format png --page 2 --dpi 40 -o "$T/png" -j 2 \
  >/dev/null 2>&1 && ok || bad "--all --format png failed"
same_files "$T/png" png "$T/one-png" "--all --format png"

# --- another style and language, and a Russian catalogue ---
mkdir -p "$T/one-es"
for r in $roles; do
  "$SKILLBOOK" handbook "$CAT" --role "$r" --style letter --lang es \
    -o "$T/one-es/$r.pdf" >/dev/null 2>&1
done
"$SKILLBOOK" handbook "$CAT" --all --style letter --lang es -o "$T/es" -j 2 >/dev/null 2>&1 && ok ||
  bad "--all --style letter --lang es failed"
same_files "$T/es" pdf "$T/one-es" "--all --style letter --lang es"
for ex in "$SRC"/catalog/examples/*/catalog.xml; do
  [ -e "$ex" ] || continue
  exname=$(basename "$(dirname "$ex")")
  if "$SKILLBOOK" handbook "$ex" --all -o "$T/ex-$exname" -j 2 >/dev/null 2>"$T/err"; then ok; else
    bad "$exname: --all: $(head -2 "$T/err")"; continue; fi
  for r in $("$SKILLBOOK" list roles "$ex" 2>/dev/null | cut -f1); do
    "$SKILLBOOK" handbook "$ex" --role "$r" -o "$T/x.pdf" >/dev/null 2>&1
    cmp -s "$T/x.pdf" "$T/ex-$exname/$r.pdf" && ok || bad "$exname: $r differs"
  done
done
# an unknown language warns once, not once per role
"$SKILLBOOK" handbook "$CAT" --all --lang xx -o "$T/xx" -j 2 >/dev/null 2>"$T/err"
rc=$?
[ $rc = 0 ] && [ "$(grep -c "no labels for language 'xx'" "$T/err")" = 1 ] && ok ||
  bad "--lang xx: exit $rc, $(grep -c "no labels" "$T/err") warnings"

# --- usage errors: exit 2, a message, nothing written ---
usage() { # NAME ARGS...: exit 2, a message on stderr, $T/u not created
  local name=$1 rc
  shift
  "$SKILLBOOK" handbook "$@" >"$T/out" 2>"$T/err"
  rc=$?
  if [ $rc = 2 ] && grep -q "^skillbook handbook: " "$T/err" && [ ! -s "$T/out" ] &&
     [ ! -e "$T/u" ]; then ok; else
    bad "$name: exit $rc (expected 2), stderr: $(head -1 "$T/err")"; fi
}
usage "--all with --role" "$CAT" --all --role sre -o "$T/u"
usage "--all -o -" "$CAT" --all -o -
usage "-j without --all" "$CAT" --role sre -j 2 -o "$T/u"
usage "-j 0" "$CAT" --all -j 0 -o "$T/u"
usage "-j x" "$CAT" --all -j x -o "$T/u"
usage "unknown format" "$CAT" --all --format svg -o "$T/u"
usage "missing catalogue" "$T/nosuch.xml" --all -o "$T/u"
usage "--page without png" "$CAT" --all --page 2 -o "$T/u"
: >"$T/file"
"$SKILLBOOK" handbook "$CAT" --all -o "$T/file" >/dev/null 2>"$T/err"
rc=$?
[ $rc = 2 ] && grep -q "not a folder" "$T/err" && [ ! -s "$T/file" ] && ok ||
  bad "-o FILE with --all: exit $rc, $(head -1 "$T/err")"
grep -q -- "--all" <("$SKILLBOOK" handbook --help) && ok || bad "--help does not mention --all"
# a bad style is exit 4 and a warning with --strict exit 3, nothing written
"$SKILLBOOK" handbook "$CAT" --all --style nosuch -o "$T/u" >/dev/null 2>&1
rc=$?
[ $rc = 4 ] && [ ! -e "$T/u" ] && ok || bad "--all --style nosuch: exit $rc"
"$SKILLBOOK" handbook "$CAT" --all --strict -o "$T/u" >/dev/null 2>&1   # the catalogue has gaps
rc=$?
[ $rc = 3 ] && [ ! -e "$T/u" ] && ok || bad "--all --strict on a catalogue that warns: exit $rc"

# --- failures: one role can't be written (its path is a folder) ---
victim=$(echo "$roles" | sed -n 2p)
for j in 1 2; do
  d="$T/fail$j"
  mkdir -p "$d/$victim.pdf"
  "$SKILLBOOK" handbook "$CAT" --all -o "$d" -j $j >"$T/out" 2>"$T/err"
  rc=$?
  [ $rc = 1 ] && ok || bad "-j $j, unwritable $victim: exit $rc (expected 1)"
  grep -q "^skillbook handbook --role $victim: error: .*is a directory" "$T/err" && ok ||
    bad "-j $j: no error naming $victim: $(grep -v 'printed as a gap' "$T/err" | head -2)"
  grep -q "1 of $nroles handbooks failed ($victim)" "$T/err" && ok ||
    bad "-j $j: no summary: $(tail -1 "$T/err")"
  diff <(expect_paths "$d" pdf | grep -v "/$victim.pdf\$") "$T/out" >/dev/null && ok ||
    bad "-j $j: stdout is not the other paths: $(head -2 "$T/out")"
  for r in $roles; do
    [ "$r" = "$victim" ] && continue
    cmp -s "$d/$r.pdf" "$T/one/$r.pdf" && ok || bad "-j $j: $r not written after $victim failed"
  done
  [ -d "$d/$victim.pdf" ] && [ -z "$(ls -A "$d/$victim.pdf")" ] && ok ||
    bad "-j $j: $victim.pdf folder touched"
  ls -A "$d" | grep -q sbtmp && bad "-j $j: a temporary file was left" || ok
done

# --- failures while rendering: roles over a page limit fail, the others are
# written, and a failed role's old file is left exactly as it was ---
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }
max=0 min=1000000 big=
for r in $roles; do
  p=$(pages "$T/one/$r.pdf")
  [ "$p" -lt "$min" ] && min=$p
  [ "$p" -gt "$max" ] && { max=$p; big=$r; }
done
if [ "$min" -lt "$max" ]; then
  mkdir -p "$T/lim"
  echo "old bytes" >"$T/lim/$big.pdf"
  "$SKILLBOOK" handbook "$CAT" --all --limit pages=$min -o "$T/lim" -j 2 >"$T/out" 2>"$T/err"
  rc=$?
  [ $rc = 1 ] && ok || bad "--limit pages=$min: exit $rc (expected 1)"
  grep -q "^skillbook handbook --role $big: error: " "$T/err" && ok ||
    bad "--limit pages=$min: $big not reported: $(grep -v 'printed as a gap' "$T/err" | head -2)"
  [ "$(cat "$T/lim/$big.pdf")" = "old bytes" ] && ok || bad "--limit: $big's old file was replaced"
  for r in $roles; do
    if [ "$(pages "$T/one/$r.pdf")" -le "$min" ]; then
      cmp -s "$T/lim/$r.pdf" "$T/one/$r.pdf" && grep -qx "$T/lim/$r.pdf" "$T/out" && ok ||
        bad "--limit pages=$min: $r ($min pages or fewer) not written"
    elif [ "$r" != "$big" ]; then
      [ ! -e "$T/lim/$r.pdf" ] && ! grep -q "/$r.pdf" "$T/out" && ok ||
        bad "--limit pages=$min: $r (over the limit) written"
    fi
  done
  ls -A "$T/lim" | grep -q sbtmp && bad "--limit: a temporary file was left" || ok
else
  bad "every handbook of the bundled catalogue has $min pages: no limit test"
fi
# every role failing: exit 1, nothing written
"$SKILLBOOK" handbook "$CAT" --all --limit pages=1 -o "$T/none" -j 2 >"$T/out" 2>"$T/err"
rc=$?
[ $rc = 1 ] && [ ! -s "$T/out" ] && [ -z "$(ls -A "$T/none" 2>/dev/null)" ] &&
  grep -q "$nroles of $nroles handbooks failed" "$T/err" && ok ||
  bad "--limit pages=1: exit $rc, $(tail -1 "$T/err")"

# --- an existing file is replaced by the new one ---
mkdir -p "$T/re"
echo "stale" >"$T/re/sre.pdf"
"$SKILLBOOK" handbook "$CAT" --all -o "$T/re" -j 2 >/dev/null 2>&1 && cmp -s "$T/re/sre.pdf" "$T/one/sre.pdf" &&
  ok || bad "an existing sre.pdf was not replaced"

# --- the batch's worker pool: workers die with the parent; SIGTERM; crashes ---
# A catalogue of 1,000 small roles (about 7 s of work with -j 2), so that the
# run is surely under way when it is killed.
python3 - "$T/many.xml" <<'PY'
import sys
n = 1000
out = ['<?xml version="1.0" encoding="UTF-8"?>',
       '<catalog xmlns="urn:skillbook:catalog:1" xml:lang="en" title="Many roles" version="1" author="test">',
       '<levels><level id="l1" name="One"/><level id="l2" name="Two"/><level id="l3" name="Three"/></levels>',
       '<roles>'] + ['<role id="r%d" name="Role %d"/>' % (i, i) for i in range(n)] + \
      ['</roles>', '<domain id="d" name="Domain"><group id="g" name="Group">']
for s in range(3):
    out.append('<skill id="s%d" name="Skill %d"><summary>Summary %d</summary>' % (s, s, s))
    out += ['<expect level="l%d" role="r%d">Does thing %d at level %d.</expect>' % (l, i, s, l)
            for i in range(n) for l in (1, 2, 3)]
    out.append('</skill>')
open(sys.argv[1], "w").write("\n".join(out + ['</group></domain>', '</catalog>']))
PY
# starts --all into DIR in the background: $pid, then waits (at most 60 s)
# until the first handbook is written and records the workers in $workers
start_many() {
  "$SKILLBOOK" handbook "$T/many.xml" --all -j 2 -o "$1" >/dev/null 2>"$1.err" &
  pid=$!
  local i
  for i in $(seq 600); do
    [ -n "$(ls "$1" 2>/dev/null | grep -m1 '\.pdf$')" ] && break
    sleep 0.1
  done
  workers=$(pgrep -P "$pid" | tr '\n' ' ')
}
# 0 when none of the pids runs any more, waiting up to 2 s
all_gone() {
  local i p alive
  for i in $(seq 20); do
    alive=
    for p in $1; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
    [ -z "$alive" ] && return 0
    sleep 0.1
  done
  echo "  still running:$alive"; return 1
}
mkdir -p "$T/k9"
start_many "$T/k9"
[ $(echo $workers | wc -w) = 2 ] && ok || bad "kill -9: expected 2 workers, found '$workers'"
kill -9 "$pid"; wait "$pid" 2>/dev/null
if all_gone "$workers"; then ok; else bad "kill -9 of the parent: a worker outlived it"; kill -9 $workers 2>/dev/null; fi
n1=$(ls -A "$T/k9" | wc -l); sleep 1; n2=$(ls -A "$T/k9" | wc -l)
[ "$n1" = "$n2" ] && [ "$n1" -lt 1000 ] && ok ||
  bad "kill -9 of the parent: files still appear afterwards ($n1, then $n2)"

mkdir -p "$T/term"
start_many "$T/term"
kill -TERM "$pid"; wait "$pid"; rc=$?
if all_gone "$workers"; then ok; else bad "SIGTERM: a worker outlived the parent"; kill -9 $workers 2>/dev/null; fi
[ $rc = 1 ] && grep -q "stopped by SIGTERM" "$T/term.err" && ok ||
  bad "SIGTERM: exit $rc (expected 1), $(tail -1 "$T/term.err")"
[ -z "$(ls -A "$T/term" | grep '^\.sbtmp-')" ] && ok || bad "SIGTERM: temporary files left"
n=$(ls "$T/term" | wc -l)
for f in "$T/term"/*.pdf; do
  head -c 5 "$f" | grep -q '%PDF-' || { bad "SIGTERM: $f is not a whole PDF"; break; }
done
[ "$n" -lt 1000 ] && ok || bad "SIGTERM: every role was written ($n): the run did not stop"

# a crashed worker fails one role, reported by id; the others are written
# (test hooks of the test build, docs/batch.md)
if [ -n "${SKILLBOOK_TEST:-}" ]; then
  SKILLBOOK_CRASH_DOC="$T/crash/sre.pdf" "${SKILLBOOK_TEST:-$SKILLBOOK}" handbook "$CAT" --all -j 2 \
    -o "$T/crash" >"$T/out" 2>"$T/err"; rc=$?
  [ $rc = 1 ] && [ ! -e "$T/crash/sre.pdf" ] && [ "$(ls "$T/crash" | wc -l)" = $((nroles - 1)) ] &&
    grep -q "handbook --role sre: error: not written: the worker crashed" "$T/err" && ok ||
    bad "crashed worker: exit $rc, $(grep sre "$T/err" | head -2)"
fi

finish
