#!/bin/bash
# tests/cli/batch_fast.sh -- the unchanged rerun (src/batch/fast.c): a batch
# asked as the last clean run, whose inputs and outputs all have their
# recorded stamps, says "nothing to do" without opening the catalogue; every
# kind of change, and every run that may not record, runs the batch again.
# The witness is an inotify watch on the catalogue (batch_fast_lib.py
# opened): stat(2) makes no event, opening and reading do. No timing.
# Environment (set by ctest): SKILLBOOK, SKILLBOOK_TEST, SRC.
# Prints "N passed, N failed"; non-zero on failure.
SB_TEST_NAME=batch-fast-test
. "$(dirname "$0")/lib.bash"
LIB="$PY $SRC/tests/cli/batch_fast_lib.py"

# b WATCHED ARGS...: `skillbook batch ARGS` with a watch on WATCHED; sets rc
# and how (opened / not-opened); the log is $T/log.
b() {
  local w=$1
  shift
  how=$($LIB opened "$w" -- "$SKILLBOOK" batch "$@" 2>"$T/log")
  rc=$?
}
# the unchanged rerun: exit 0, the catalogue not opened, the usual line
fast() {
  [ "$rc" -eq 0 ] && [ "$how" = not-opened ] &&
    grep -q "nothing to do: every output is up to date" "$T/log"
}
full() { [ "$how" = opened ]; }
# bt WATCHED ARGS...: b for a run that should take the unchanged rerun. Any
# doubt sends a run down the full path, which is always allowed (fast.c);
# once, in a parallel ctest on a loaded machine, a run that should have been
# taken was not (cause not found). A full run that finds nothing changed
# records the rerun again, so a second try must take it.
bt() {
  b "$@"
  if [ "$how" = opened ]; then
    echo "# $*: the full path; trying once more"
    snap "$OUT" >"$T/before"
    b "$@"
  fi
}
# full_w OP N: the catalogue was loaded and the written count is OP N
full_w() { full && [ "$(written)" "$1" "$2" ]; }
written() {
  sed -n 's/.* \([0-9]*\) written \/.*/\1/p' "$T/log" | tail -1
}
# settle ARGS...: two plain runs. A run records the unchanged rerun only
# when every input is older than its start by more than a timestamp tick
# (fast.c); the second run starts well after the first's inputs changed.
settle() {
  "$SKILLBOOK" batch "$@" 2>/dev/null
  "$SKILLBOOK" batch "$@" 2>/dev/null
}
# every file of DIR but the lock, with inode, size, mtime and ctime
snap() {
  find "$1" -path "$1/.skillbook.lock" -prune -o -printf '%P %i %s %T@ %C@\n' |
    sort
}
has_rerun() { $LIB has-rerun "$1"; }

ES=$SRC/catalog/examples/es/catalog.xml
CAT=$T/cat.xml
cp "$ES" "$CAT"
OUT=$T/out

# ---- 1. recorded, then taken: nothing opened, nothing touched ----
settle "$CAT" -o "$OUT"
check "a clean run records the rerun in the manifest" has_rerun "$OUT"
snap "$OUT" >"$T/before"
bt "$CAT" "$CAT" -o "$OUT"
check "unchanged: nothing to do, catalogue not opened ($how, exit $rc)" fast
snap "$OUT" >"$T/after"
check "unchanged: nothing in DIR touched (but the lock)" \
  cmp -s "$T/before" "$T/after"
n=$(sed -n 's/.* \([0-9]*\) unchanged \/.*/\1/p' "$T/log")
check "unchanged: counts every document ($n)" [ "$n" = 13 ]
bt "$CAT" "$CAT" -o "$OUT" -j 1
check "-j does not change an output: still taken" fast

# JSON: the same summary event as a batch that loads everything and finds
# nothing to do (SKILLBOOK_X changes the request, not the outputs)
bt "$CAT" "$CAT" -o "$OUT" --log-format json
check "json: taken ($how)" [ "$rc" -eq 0 -a "$how" = not-opened ]
$LIB summary "$T/log" >"$T/fast.json"
SKILLBOOK_X=1 "$SKILLBOOK" batch "$CAT" -o "$OUT" --log-format json 2>"$T/full.log"
$LIB summary "$T/full.log" >"$T/full.json"
check "json: the summary event of an unchanged run ($(cat "$T/fast.json"))" \
  cmp -s "$T/fast.json" "$T/full.json"
check "json: one line, the summary" [ "$(wc -l <"$T/log")" -eq 1 ]

# the lock is still taken: a batch holding it makes the rerun exit 75
if command -v flock >/dev/null; then # flock(1): is it held yet?
  settle "$CAT" -o "$OUT"
  # (a process of its own: flock(1)'s child would keep the lock after it)
  $PY -c 'import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.flock(f, fcntl.LOCK_EX)
time.sleep(30)' "$OUT/.skillbook.lock" &
  holder=$!
  BG+=("$holder")
  for _ in $(seq 50); do
    flock -n "$OUT/.skillbook.lock" true 2>/dev/null || break
    sleep 0.1
  done
  "$SKILLBOOK" batch "$CAT" -o "$OUT" 2>"$T/lock.log"
  rc=$?
  kill "$holder" 2>/dev/null
  wait "$holder" 2>/dev/null
  check "lock held by another: exit 75 (got $rc)" [ $rc -eq 75 ]
fi

# ---- 2. every kind of change runs the batch ----
# the catalogue edited in place, same size, mtime put back: ctime differs
settle "$CAT" -o "$OUT"
cp -p "$CAT" "$T/ref.xml"
$PY - "$CAT" <<'EOF'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
t = s.replace("sencillas", "simplonas", 1)
assert len(t.encode()) == len(s.encode()) and t != s
open(p, "r+", encoding="utf-8").write(t)
EOF
touch -r "$T/ref.xml" "$CAT"
same=$([ "$(stat -c %s.%Y "$CAT")" = "$(stat -c %s.%Y "$T/ref.xml")" ] && echo yes)
b "$CAT" "$CAT" -o "$OUT"
check "catalogue edited (same size: $same, mtime restored): loaded, \
$(written) written" eval '[ "$same" = yes ] && full_w -gt 0'

# a folder catalogue: a file added
FOLD=$T/fold
mkdir "$FOLD"
cp "$ES" "$FOLD/catalog.xml"
settle "$FOLD" -o "$T/fold-out"
bt "$FOLD" "$FOLD" -o "$T/fold-out"
check "folder catalogue unchanged: taken" fast
echo '<catalog xmlns="urn:skillbook:catalog:1"/>' >"$FOLD/more.xml"
b "$FOLD" "$FOLD" -o "$T/fold-out"
check "folder catalogue: a file added is read (exit $rc)" full
rm "$FOLD/more.xml"
settle "$FOLD" -o "$T/fold-out"
$PY -c 'import sys; p=sys.argv[1]; s=open(p).read(); open(p,"w").write(s.replace("sencillas","simplonas",1))' "$FOLD/catalog.xml"
b "$FOLD" "$FOLD" -o "$T/fold-out"
check "folder catalogue: a file edited is read" full

# style file, and its logo
mkdir "$T/style"
cp "$SRC/styles/branded.xml" "$SRC/styles/branded-logo.png" "$T/style/"
ST=$T/style/branded.xml
settle "$CAT" -o "$T/st-out" --style "$ST"
bt "$CAT" "$CAT" -o "$T/st-out" --style "$ST"
check "style file: taken when unchanged" fast
sed -i 's/internal use/for staff/' "$ST"
b "$CAT" "$CAT" -o "$T/st-out" --style "$ST"
check "style file edited: loaded, $(written) written" full_w -gt 0
settle "$CAT" -o "$T/st-out" --style "$ST"
printf 'x' >>"$T/style/branded-logo.png"
b "$CAT" "$CAT" -o "$T/st-out" --style "$ST"
check "style's logo edited: loaded, $(written) written" full_w -gt 0

# --people file
printf 'name,role,level,target,target_role,reviewer,date,team,only\nAna Uno,cloud-engineer,junior,,,Bea Dos,2026-12-01,Nube,\nCarlos Tres,data-engineer,middle,,,Bea Dos,2026-12-01,Datos,\n' >"$T/people.csv"
settle "$CAT" -o "$T/pp-out" --people "$T/people.csv"
bt "$CAT" "$CAT" -o "$T/pp-out" --people "$T/people.csv"
check "--people: taken when unchanged" fast
sed -i 's/Ana Uno/Ana Una/' "$T/people.csv"
b "$CAT" "$CAT" -o "$T/pp-out" --people "$T/people.csv"
check "--people file edited: loaded, $(written) written" full_w -gt 0
settle "$CAT" -o "$T/pp-out" --people "$T/people.csv"
rm -f "$T/pp-out"/reviews/*.pdf
b "$CAT" "$CAT" -o "$T/pp-out" --people "$T/people.csv"
check "--people: a pack deleted is rendered again, $(written) written" \
  full_w -gt 0

# --since catalogue
cp "$ES" "$T/old.xml"
settle "$CAT" -o "$T/since-out" --since "$T/old.xml"
bt "$T/old.xml" "$CAT" -o "$T/since-out" --since "$T/old.xml"
check "--since: taken when unchanged (old catalogue not opened)" fast
$PY -c 'import sys; p=sys.argv[1]; s=open(p).read(); open(p,"w").write(s.replace("sencillas","simples",1))' "$T/old.xml"
b "$T/old.xml" "$CAT" -o "$T/since-out" --since "$T/old.xml"
check "--since catalogue edited: loaded, $(written) written" \
  full_w -gt 0

# options and environment
settle "$CAT" -o "$OUT"
bt "$CAT" "$CAT" -o "$OUT"
check "(again unchanged: taken)" fast
b "$CAT" "$CAT" -o "$OUT" --lang es
check "an option changed (--lang es, the catalogue's): loaded" full
b "$CAT" "$CAT" -o "$OUT" --no-tags
check "--no-tags: loaded, $(written) written" full_w -gt 0
settle "$CAT" -o "$OUT"
SOURCE_DATE_EPOCH=1700000000 b "$CAT" "$CAT" -o "$OUT"
check "SOURCE_DATE_EPOCH changed: loaded, $(written) written" \
  full_w -gt 0
settle "$CAT" -o "$OUT"
b "$CAT" "$CAT" -o "$OUT" --force
check "--force: loaded, $(written) written" full_w -eq 13
settle "$CAT" -o "$OUT"
cp "$SKILLBOOK" "$T/skillbook-copy"
how=$($LIB opened "$CAT" -- "$T/skillbook-copy" batch "$CAT" -o "$OUT" 2>"$T/log")
check "another program (a copy of it): loaded" full

# outputs
settle "$CAT" -o "$OUT"
rm "$OUT/profiles/kubernetes.pdf"
b "$CAT" "$CAT" -o "$OUT"
check "an output deleted: loaded, $(written) written" full_w -eq 1
settle "$CAT" -o "$OUT"
printf 'x' >>"$OUT/handbooks/data-engineer.pdf"
b "$CAT" "$CAT" -o "$OUT"
check "an output edited: loaded, $(written) written" full_w -eq 1
settle "$CAT" -o "$OUT"
touch "$OUT/profiles/kubernetes.png"
b "$CAT" "$CAT" -o "$OUT"
check "a thumbnail touched: loaded" full
settle "$CAT" -o "$OUT"
printf '\n' >>"$OUT/index.html"
b "$CAT" "$CAT" -o "$OUT"
check "index.html edited: loaded" full
settle "$CAT" -o "$OUT"
: >"$OUT/handbooks/.sbtmp-handbook-XXXXXX"
b "$CAT" "$CAT" -o "$OUT"
check "a killed run's temporary file: loaded, and swept" \
  eval 'full && [ ! -e "$OUT/handbooks/.sbtmp-handbook-XXXXXX" ]'
settle "$CAT" -o "$OUT"
$PY - "$OUT/manifest.json" <<'EOF'
import json, sys
p = sys.argv[1]
m = json.load(open(p))
m["rerun"]["asked"] = "0" * 64
json.dump(m, open(p, "w"), indent=1)
EOF
b "$CAT" "$CAT" -o "$OUT"
check "a manifest asked otherwise: loaded" full
echo '{' >"$OUT/manifest.json"
b "$CAT" "$CAT" -o "$OUT"
check "an unreadable manifest: loaded, $(written) written" \
  full_w -eq 13

# ---- 3. runs that record nothing ----
# an input changed while the run ran, after it was read (the racy case: a
# record made at the end would hold the new stamp for the old content)
RACE=$T/race.xml
cp "$ES" "$RACE"
SKILLBOOK_BATCH_DELAY_MS=200 "$SKILLBOOK_TEST" batch "$RACE" -o "$T/race-out" \
  -j 1 2>"$T/race.log" &
pid=$!
BG+=("$pid")
for _ in $(seq 600); do
  grep -q "^written" "$T/race.log" 2>/dev/null && break
  sleep 0.1
done
cp -p "$RACE" "$T/race-ref.xml"
sed -i 's/sencillas/simplonas/' "$RACE"
touch -r "$T/race-ref.xml" "$RACE"
wait "$pid"
rc=$?
check "the catalogue edited while the run ran (exit $rc): no rerun recorded" \
  eval '[ $rc -eq 0 ] && ! has_rerun "$T/race-out"'
b "$RACE" "$RACE" -o "$T/race-out"
check "the next run: loaded, the edit rendered ($(written) written)" \
  full_w -gt 0

# a failed document
settle "$CAT" -o "$OUT"
SKILLBOOK_FAIL_DOC=handbooks/data-engineer.pdf \
  "$SKILLBOOK_TEST" batch "$CAT" -o "$OUT" --force 2>/dev/null
rc=$?
check "a failed document (exit $rc): no rerun recorded" \
  eval '[ $rc -eq 1 ] && ! has_rerun "$OUT"'
b "$CAT" "$CAT" -o "$OUT"
check "after a failure: loaded" full

# a catalogue's warnings (a gap: one expectation removed) are recorded and
# printed again, as loading printed them, in text and in JSON lines
GAP=$T/gap.xml
$PY - "$ES" "$GAP" <<'EOF'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
t = re.sub(r'<expect level="senior" role="platform-engineer"[^>]*>.*?</expect>',
           "", s, count=1, flags=re.S)
assert t != s
open(sys.argv[2], "w", encoding="utf-8").write(t)
EOF
for fmt in text json; do
  settle "$GAP" -o "$T/gap-out" --log-format $fmt
  SKILLBOOK_X=1 "$SKILLBOOK" batch "$GAP" -o "$T/gap-out" --log-format $fmt \
    2>"$T/gap-full.log"
  settle "$GAP" -o "$T/gap-out" --log-format $fmt
  b "$GAP" "$GAP" -o "$T/gap-out" --log-format $fmt
  grep -v "summary\|nothing to do" "$T/log" >"$T/gap-fast.diag"
  grep -v "summary\|nothing to do" "$T/gap-full.log" >"$T/gap-full.diag"
  check "$fmt: a catalogue with a warning: taken, and the same \
$(grep -c warning "$T/gap-fast.diag") warning line printed as by a full run" \
    eval '[ "$rc" -eq 0 -a "$how" = not-opened ] &&
      [ -s "$T/gap-full.diag" ] && cmp -s "$T/gap-fast.diag" "$T/gap-full.diag"'
done
b "$GAP" "$GAP" -o "$T/gap-out" -q
check "--quiet: taken, and no warning printed" \
  eval 'fast && ! grep -q warning "$T/log"'

# a warning the rerun could not print again (the labels' language)
settle "$CAT" -o "$T/de-out" --lang de
check "a run with a warning of its own (--lang de): no rerun recorded" \
  eval '! has_rerun "$T/de-out"'
b "$CAT" "$CAT" -o "$T/de-out" --lang de
check "after it: loaded, and the warning printed again" \
  eval 'full && grep -q "warning: no labels" "$T/log"'

# a shard
settle "$CAT" -o "$T/shard" --shard 1/2
check "a shard: no rerun recorded" eval '! has_rerun "$T/shard"'
b "$CAT" "$CAT" -o "$T/shard" --shard 1/2
check "a shard rerun: loaded" full
"$SKILLBOOK" batch "$CAT" -o "$T/shard2" --shard 2/2 2>/dev/null
"$SKILLBOOK" batch --merge "$T/shard" "$T/shard2" -o "$T/merged" 2>/dev/null
check "a merge: no rerun recorded" eval '! has_rerun "$T/merged"'

finish
