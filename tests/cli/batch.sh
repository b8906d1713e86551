#!/bin/bash
# tests/cli/batch.sh -- `skillbook batch`: outputs, incremental runs, shards,
# kill -9 at random moments, injected failures, the lock, exit statuses.
# Environment (set by ctest): SKILLBOOK (the program), SKILLBOOK_TEST (its
# test build, for injected faults), SRC (source tree). Prints "N passed, N failed"; non-zero on failure.
SB_TEST_NAME=batch-test
. "$(dirname "$0")/lib.bash"
LIB="python3 $SRC/tests/cli/batch_lib.py"
# summary FILE -> "W U F D" from the text summary line
summary() {
  sed -n 's/.* \([0-9]*\) written \/ \([0-9]*\) unchanged \/ \([0-9]*\) failed \/ \([0-9]*\) deleted.*/\1 \2 \3 \4/p' "$1" | tail -1
}
verify_q() { $LIB verify "$1" >/dev/null; }
no_tmp() { [ -z "$(find "$1" -name '.sbtmp-*' 2>/dev/null)" ]; }
# no process of ours still runs with this output folder on its command line
no_proc() { ! pgrep -f -- "-o $1( |\$)" >/dev/null; }
manifest_ok() { [ ! -e "$1/manifest.json" ] || python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$1/manifest.json"; }

# ---- 1. full batch of the bundled catalogue, then an unchanged rerun ----
OUT=$T/full
"$SKILLBOOK" batch -o "$OUT" -j 2 2>"$T/full.log"; rc=$?
check "bundled catalogue: exit 0 (got $rc)" [ $rc -eq 0 ]
ndocs=$($LIB verify "$OUT" 2>&1)
check "bundled catalogue: manifest matches the files ($ndocs documents)" [ "$ndocs" -gt 0 ] 2>/dev/null
check "bundled catalogue: every PDF passes qpdf --check" pdfs_ok "$OUT"
check "bundled catalogue: index.html written" [ -s "$OUT/index.html" ]
check "bundled catalogue: no temporary file left" no_tmp "$OUT"
s=$(summary "$T/full.log")
check "bundled catalogue: summary says $ndocs written ($s)" [ "$s" = "$ndocs 0 0 0" ]
before=$(stat -c %Y.%i "$OUT/manifest.json")
"$SKILLBOOK" batch -o "$OUT" 2>"$T/rerun.log"; rc=$?
s=$(summary "$T/rerun.log")
check "unchanged rerun: exit 0, nothing rendered ($s)" [ $rc -eq 0 -a "$s" = "0 $ndocs 0 0" ]
check "unchanged rerun: says so" grep -q "up to date" "$T/rerun.log"
check "unchanged rerun: manifest untouched" [ "$(stat -c %Y.%i "$OUT/manifest.json")" = "$before" ]

# ---- 2. a small catalogue ----
# The tests below that run many batches use a small bundled catalogue; its
# reference run is $T/small-ref.
SMALL=$SRC/catalog/examples/ru/catalog.xml
"$SKILLBOOK" batch "$SMALL" -o "$T/small-ref" 2>"$T/small-ref.log"; rc=$?
n=$($LIB verify "$T/small-ref" 2>/dev/null || echo 0)
if [ $rc -eq 0 ] && [ "$n" -gt 0 ] && pdfs_ok "$T/small-ref"; then
  ok "small catalogue: exit 0, $n documents, all pass qpdf --check"
else bad "small catalogue: exit $rc, $n documents"; fi
# (the real catalogues: tests/ref/real.sh)

# durability: no fsync per output; one syncfs after the last document and
# before the manifest (docs/batch.md, step 6), the workers' files given to
# writeback as they come (sync_file_range)
if command -v strace >/dev/null 2>&1; then
  # (LeakSanitizer cannot run under ptrace: the sanitizer build's leak check
  # is left to the other cases)
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
  strace -f -qq -e trace=fsync,syncfs,sync_file_range,rename,renameat,renameat2 \
    -o "$T/sync.trace" "$SKILLBOOK" batch "$SMALL" -o "$T/sync" 2>/dev/null; rc=$?
  n=$($LIB verify "$T/sync" 2>/dev/null || echo 0)
  nf=$(grep -c 'fsync(' "$T/sync.trace")
  ns=$(grep -c 'syncfs(' "$T/sync.trace")
  nr=$(grep -c 'sync_file_range(' "$T/sync.trace")
  # the manifest is renamed into place after the syncfs
  order=$(grep -E 'syncfs\(|rename.*manifest\.json' "$T/sync.trace" | sed 's/.*\(syncfs\|manifest\).*/\1/' | tr '\n' ' ')
  check "durability: exit 0, $n documents, one syncfs ($ns), fsync only for index and manifest ($nf), writeback started per file ($nr)" \
    [ $rc -eq 0 -a "$n" -gt 0 -a "$ns" -eq 1 -a "$nf" -le 2 -a "$nr" -eq $((2 * n)) ]
  check "durability: the syncfs comes before the manifest's rename ($order)" [ "$order" = "syncfs manifest " ]
  cmp_dirs() { (cd "$1" && find . -name '*.pdf' -o -name '*.png' | sort | while read -r f; do cmp -s "$f" "$2/$f" || echo "$f"; done); }
  check "durability: the same files as the reference run" [ -z "$(cmp_dirs "$T/small-ref" "$T/sync")" ]
else
  echo "  skipped: strace not installed (durability checks)"
fi

# ---- 3. a one-skill change re-renders exactly what shows that skill ----
CAT=$T/cat
cp -r "$SRC/catalog" "$CAT"
rm -rf "$CAT/examples"
OUT=$T/edit
"$SKILLBOOK" batch "$CAT" -o "$OUT" 2>/dev/null
skill=serverless-functions
$LIB edit "$CAT" "$skill"
"$SKILLBOOK" batch "$CAT" -o "$OUT" --log-format json 2>"$T/edit.log"; rc=$?
$LIB written "$T/edit.log" | sort >"$T/edit.got"
$LIB touching "$CAT" "$skill" | sort >"$T/edit.touch"
$LIB paths "$OUT" | sort >"$T/edit.all"
comm -12 "$T/edit.touch" "$T/edit.all" >"$T/edit.want"
if [ $rc -eq 0 ] && [ -s "$T/edit.want" ] && cmp -s "$T/edit.got" "$T/edit.want"; then
  ok "one-skill change: re-rendered exactly the $(wc -l <"$T/edit.want") documents that show $skill"
else
  bad "one-skill change (exit $rc)"; diff "$T/edit.want" "$T/edit.got" | head
fi
check "json log: every line is a JSON object" $LIB json "$T/edit.log"

# ---- 4. missing or damaged outputs are rendered again; deletions ----
first=$(head -1 "$T/edit.all"); second=$(sed -n 2p "$T/edit.all")
rm -f "$OUT/$first"
printf 'garbage' | dd of="$OUT/$second" bs=1 seek=100 conv=notrunc 2>/dev/null
"$SKILLBOOK" batch "$CAT" -o "$OUT" --log-format json 2>"$T/repair.log"; rc=$?
got=$($LIB written "$T/repair.log" | sort | tr '\n' ' ')
want=$(printf '%s\n%s\n' "$first" "$second" | sort | tr '\n' ' ')
check "missing and damaged outputs re-rendered ($got)" [ $rc -eq 0 -a "$got" = "$want" ]
# the manifest's stamps (inode, mtime, ctime): a touched file with the same bytes is
# hashed again, not rendered, and its new stamp recorded; an edit in place that
# keeps the size and sets the mtime back is still caught (the ctime moved)
third=$(sed -n 3p "$T/edit.all"); fourth=$(sed -n 4p "$T/edit.all")
touch "$OUT/$third"
m4=$(stat -c %y "$OUT/$fourth")
printf 'garbage' | dd of="$OUT/$fourth" bs=1 seek=100 conv=notrunc 2>/dev/null
touch -d "$m4" "$OUT/$fourth"
"$SKILLBOOK" batch "$CAT" -o "$OUT" --log-format json 2>"$T/stamp.log"; rc=$?
got=$($LIB written "$T/stamp.log" | tr '\n' ' ')
check "stamps: touched file kept, edit with mtime set back re-rendered ($got)" \
  [ $rc -eq 0 -a "$got" = "$fourth " ]
check "stamps: the manifest records the touched file's new stamp" python3 -c "
import json, os, sys
d, p = sys.argv[1], sys.argv[2]
e = [e for e in json.load(open(d + '/manifest.json'))['documents'] if e['path'] == p][0]
s = os.stat(d + '/' + p)
sys.exit(e['stat'] != {'ino': s.st_ino, 'mtime_ns': s.st_mtime_ns, 'ctime_ns': s.st_ctime_ns})
" "$OUT" "$third"
mkdir -p "$OUT/handbooks/.sbtmp-stale" && : >"$OUT/handbooks/.sbtmp-x.pdf-AbC123"
echo mine >"$OUT/handbooks/notes.pdf"
$LIB drop-role "$CAT" qa-engineer
"$SKILLBOOK" batch "$CAT" -o "$OUT" 2>"$T/drop.log"; rc=$?
s=$(summary "$T/drop.log")
ndel=$(grep -c '^deleted' "$T/drop.log")
check "a role that left: its outputs deleted (exit $rc, $s)" \
  [ $rc -eq 0 -a ! -e "$OUT/handbooks/qa-engineer.pdf" -a "$ndel" -ge 1 ]
check "a role that left: nothing of it left in the manifest" \
  sh -c "! $LIB paths '$OUT' | grep -q qa-engineer"
check "files the manifest never listed are kept" [ -f "$OUT/handbooks/notes.pdf" ]
check "temporary files swept" [ ! -e "$OUT/handbooks/.sbtmp-x.pdf-AbC123" ]

# ---- 5. shards merged give the same files as one run ----
for k in 1 2 3; do
  "$SKILLBOOK" batch --shard $k/3 -o "$T/shard$k" 2>/dev/null || bad "shard $k/3 exit $?"
done
n1=$($LIB paths "$T/shard1" | wc -l); n2=$($LIB paths "$T/shard2" | wc -l); n3=$($LIB paths "$T/shard3" | wc -l)
check "shards: no index in a shard folder" [ ! -e "$T/shard1/index.html" ]
check "shards split the documents ($n1+$n2+$n3 = $ndocs)" [ $((n1 + n2 + n3)) -eq "$ndocs" ]
"$SKILLBOOK" batch --merge "$T/shard1" "$T/shard2" "$T/shard3" -o "$T/merged" 2>"$T/merge.log"; rc=$?
check "merge: exit 0 (got $rc)" [ $rc -eq 0 ]
$LIB shas "$T/full" >"$T/full.shas"; $LIB shas "$T/merged" >"$T/merged.shas"
if cmp -s "$T/full.shas" "$T/merged.shas"; then
  ok "merge: same files, same bytes as one full run"
else
  bad "merge: files differ from a full run"; diff "$T/full.shas" "$T/merged.shas" | head
fi
check "merge: manifest matches the files" verify_q "$T/merged"
check "merge: index.html written" [ -s "$T/merged/index.html" ]
"$SKILLBOOK" batch --merge "$T/shard1" "$T/shard2" "$T/shard3" -o "$T/merged" 2>/dev/null; rc=$?
check "merge: run again, exit 0 (got $rc)" [ $rc -eq 0 ]
check "merge: the shard folders were emptied (moved, not copied)" \
  [ -z "$(find "$T/shard1" "$T/shard2" "$T/shard3" -name '*.pdf')" ]
# shards on another file system (tmpfs): the merge copies, then removes
if [ -d /dev/shm ] && [ "$(stat -f -c %T /dev/shm)" != "$(stat -f -c %T "$T")" ]; then
  X=$(mktemp -d /dev/shm/sb-batch-test.XXXXXX)
  for k in 1 2; do "$SKILLBOOK" batch "$SMALL" --shard $k/2 -o "$X/s$k" 2>/dev/null; done
  "$SKILLBOOK" batch --merge "$X/s1" "$X/s2" -o "$T/xmerged" 2>/dev/null; rc=$?
  $LIB shas "$T/small-ref" >"$T/a.shas"; $LIB shas "$T/xmerged" >"$T/b.shas"
  check "merge across file systems: exit 0, same bytes as one run (got $rc)" \
    sh -c "[ $rc -eq 0 ] && cmp -s '$T/a.shas' '$T/b.shas' && [ -z \"\$(find '$X' -name '*.pdf' -o -name '.sbtmp-*')\" ]"
  rm -rf "$X"
fi

# ---- 6. an injected failure and a crash do not stop the others ----
OUT=$T/fail
small=$($LIB paths "$T/small-ref" | wc -l)
victim=$($LIB paths "$T/small-ref" | sed -n 2p)
crash=$($LIB paths "$T/small-ref" | sed -n 3p)
SKILLBOOK_FAIL_DOC=$victim SKILLBOOK_CRASH_DOC=$crash \
  "$SKILLBOOK_TEST" batch "$SMALL" -o "$OUT" 2>"$T/fail.log"; rc=$?
s=$(summary "$T/fail.log")
check "injected failure + crash: exit 1, the others written ($s)" \
  [ $rc -eq 1 -a "$s" = "$((small - 2)) 0 2 0" ]
check "injected failure: named" grep -q "$victim" "$T/fail.log"
check "worker crash: reported" grep -q "crashed" "$T/fail.log"
check "after failures: PDFs pass qpdf, manifest matches the files" \
  sh -c "$LIB verify '$OUT' >/dev/null && [ ! -e '$OUT/$victim' ]"
"$SKILLBOOK" batch "$SMALL" -o "$OUT" 2>"$T/retry.log"; rc=$?
s=$(summary "$T/retry.log")
check "next run renders exactly the 2 that failed ($s)" [ $rc -eq 0 -a "$s" = "2 $((small - 2)) 0 0" ]
SKILLBOOK_FAIL_DOC=$victim "$SKILLBOOK_TEST" batch "$SMALL" -o "$OUT" --force 2>"$T/fail2.log"; rc=$?
check "a failure under --force keeps the old, still valid output (exit $rc)" \
  sh -c "[ $rc -eq 1 ] && $LIB verify '$OUT' >/dev/null && [ -f '$OUT/$victim' ]"

# ---- 7. the lock ----
OUT=$T/lock
mkdir -p "$OUT"
flock "$OUT/.skillbook.lock" sleep 5 &
holder=$!; BG+=($holder)
sleep 0.3
"$SKILLBOOK" batch -o "$OUT" 2>"$T/lock.log"; rc=$?
check "lock held: exit 75 (got $rc)" [ $rc -eq 75 ]
check "lock held: says so" grep -q "in use by another batch" "$T/lock.log"
check "lock held: nothing written" [ ! -e "$OUT/manifest.json" ]
# flock(1) runs sleep as its child, holding the lock: end both
kill $(pgrep -P "$holder") "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
"$SKILLBOOK" batch "$SMALL" -o "$OUT" -j 1 2>/dev/null &
first_pid=$!
sleep 0.2
"$SKILLBOOK" batch "$SMALL" -o "$OUT" 2>"$T/lock2.log"; rc=$?
wait $first_pid; rc1=$?
check "two batches: the second gets 75 and names the holder (got $rc)" \
  sh -c "[ $rc -eq 75 ] && grep -q 'pid $first_pid' '$T/lock2.log' || [ $rc -eq 0 ]"
check "two batches: the first completes (got $rc1)" [ $rc1 -eq 0 ]

# ---- 8. exit statuses and nothing touched ----
"$SKILLBOOK" batch --style nosuch -o "$T/st" 2>/dev/null; rc=$?
check "unknown style: exit 4, folder not created (got $rc)" [ $rc -eq 4 -a ! -e "$T/st" ]
printf '<catalog xmlns="urn:skillbook:catalog:1"><levels/>' >"$T/bad.xml"
"$SKILLBOOK" batch "$T/bad.xml" -o "$T/bc" 2>/dev/null; rc=$?
check "invalid catalogue: exit 3, folder not created (got $rc)" [ $rc -eq 3 -a ! -e "$T/bc" ]
"$SKILLBOOK" batch -j 0 -o "$T/u" 2>/dev/null; rc=$?
check "-j 0: usage, exit 2 (got $rc)" [ $rc -eq 2 ]
"$SKILLBOOK" batch --shard 4/3 -o "$T/u" 2>/dev/null; rc=$?
check "--shard 4/3: usage, exit 2 (got $rc)" [ $rc -eq 2 ]
"$SKILLBOOK" batch --merge -o "$T/u" 2>/dev/null; rc=$?
check "--merge without folders: usage, exit 2 (got $rc)" [ $rc -eq 2 ]
"$SKILLBOOK" batch --log-format xml -o "$T/u" 2>/dev/null; rc=$?
check "--log-format xml: usage, exit 2 (got $rc)" [ $rc -eq 2 -a ! -e "$T/u" ]

# ---- 9. SIGTERM: workers stopped, temporary files removed, exit 1 ----
OUT=$T/term
SKILLBOOK_BATCH_DELAY_MS=200 "$SKILLBOOK_TEST" batch "$SMALL" -o "$OUT" -j 2 2>"$T/term.log" &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid; rc=$?
sleep 0.2
check "SIGTERM: exit 1 (got $rc)" [ $rc -eq 1 ]
check "SIGTERM: no worker left" no_proc "$OUT"
check "SIGTERM: no temporary file, valid PDFs and manifest" sh -c "[ -z \"\$(find '$OUT' -name '.sbtmp-*')\" ]"
check "SIGTERM: what was finished is committed" verify_q "$OUT"
"$SKILLBOOK" batch "$SMALL" -o "$OUT" 2>/dev/null; rc=$?
check "SIGTERM: the next run completes (got $rc)" [ $rc -eq 0 ]

# ---- 10. kill -9 at random moments, of the parent or of the whole group ----
# (a run takes about 1 s here: the delay spreads it so kills land midway)
OUT=$T/kill
kills=${SB_BATCH_KILLS:-15}
kill_bad=0
set -m  # each background job in its own process group
for i in $(seq 1 "$kills"); do
  delay=$(python3 -c "import random; print('%.2f' % random.uniform(0.05, 1.5))")
  SKILLBOOK_BATCH_DELAY_MS=60 "$SKILLBOOK_TEST" batch "$SMALL" -o "$OUT" --force -j 2 2>/dev/null &
  pid=$!
  sleep "$delay"
  if [ $((i % 2)) -eq 0 ]; then who="group"; kill -9 -- -$pid 2>/dev/null
  else who="parent"; kill -9 $pid 2>/dev/null; fi
  wait $pid 2>/dev/null
  sleep 0.3
  why=""
  no_proc "$OUT" || why="$why stray worker;"
  pdfs_ok "$OUT" >/dev/null || why="$why invalid PDF;"
  manifest_ok "$OUT" || why="$why invalid manifest;"
  "$SKILLBOOK" batch "$SMALL" -o "$OUT" 2>"$T/kill.log"; rc=$?
  [ $rc -eq 0 ] || why="$why next run exit $rc;"
  $LIB verify "$OUT" >/dev/null 2>&1 || why="$why manifest does not match;"
  no_tmp "$OUT" || why="$why temporary files left;"
  if [ -n "$why" ]; then
    kill_bad=$((kill_bad + 1)); echo "  kill -9 $who after ${delay}s:$why"
    for p in $(pgrep -f -- "-o $OUT( |\$)"); do kill -9 "$p"; done
  fi
done
set +m
check "kill -9 ($kills times, parent or group, random moments): always recoverable" [ $kill_bad -eq 0 ]

finish
