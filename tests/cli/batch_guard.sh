#!/bin/bash
# tests/cli/batch_guard.sh -- what the batch refuses before it starts, and
# how it says so (docs/batch.md): --merge of a folder that is not a shard
# (exit 2, nothing moved), the lock's message when another batch holds the
# folder (exit 75, the holder's pid and start time), and the documents
# limit (exit 3, nothing written; --limit documents=N raises or lowers it,
# for batch and for handbook --all).
# Env (set by ctest): SKILLBOOK, SRC. Prints "N passed, N failed".
SB_TEST_NAME=batch-guard
. "$(dirname "$0")/lib.bash"
listing() { (cd "$1" && find . -type f | sort | xargs -r sha256sum); }

ES=$SRC/catalog/examples/es/catalog.xml   # 3 roles, 13 documents

# ---- 1. --merge of a folder that is not a shard ----
"$SKILLBOOK" batch "$ES" -o "$T/full" 2>/dev/null || bad "full batch failed"
listing "$T/full" >"$T/full.before"
"$SKILLBOOK" batch --merge "$T/full" -o "$T/merged" 2>"$T/m.err"; rc=$?
listing "$T/full" >"$T/full.after"
check "merge of a full batch's folder: exit 2 (got $rc)" [ $rc -eq 2 ]
check "merge of a full batch's folder: nothing moved" cmp -s "$T/full.before" "$T/full.after"
check "merge of a full batch's folder: the target is not created" [ ! -e "$T/merged" ]
check "merge of a full batch's folder: says it is not a shard" \
  grep -q "$T/full: not a shard folder" "$T/m.err"
# one good shard and one full folder: still nothing moved from either
"$SKILLBOOK" batch "$ES" --shard 1/2 -o "$T/s1" 2>/dev/null
listing "$T/s1" >"$T/s1.before"
"$SKILLBOOK" batch --merge "$T/s1" "$T/full" -o "$T/merged" 2>/dev/null; rc=$?
check "merge of a shard and a full folder: exit 2, neither touched (got $rc)" \
  sh -c "[ $rc -eq 2 ] && listing() { (cd \"\$1\" && find . -type f | sort | xargs -r sha256sum); } &&
         listing '$T/s1' | cmp -s - '$T/s1.before' && listing '$T/full' | cmp -s - '$T/full.before'"
mkdir -p "$T/empty"
"$SKILLBOOK" batch --merge "$T/empty" -o "$T/merged" 2>/dev/null; rc=$?
check "merge of a folder without a manifest: exit 2 (got $rc)" [ $rc -eq 2 ]
"$SKILLBOOK" batch "$ES" --shard 2/2 -o "$T/s2" 2>/dev/null
"$SKILLBOOK" batch --merge "$T/s1" "$T/s2" -o "$T/merged" 2>/dev/null; rc=$?
check "merge of two shards: exit 0, every document there (got $rc)" \
  sh -c "[ $rc -eq 0 ] && [ \$(find '$T/merged' -name '*.pdf' | wc -l) -eq 13 ]"

# ---- 2. the lock's message names the holder ----
OUT=$T/locked
mkdir -p "$OUT"
printf 'pid 4242\nstarted 2026-01-02T03:04:05Z\n' >"$OUT/.skillbook.lock"
flock "$OUT/.skillbook.lock" sleep 60 &
holder=$!; BG+=($holder)
for i in $(seq 100); do flock -n "$OUT/.skillbook.lock" true || break; sleep 0.05; done
"$SKILLBOOK" batch "$ES" -o "$OUT" 2>"$T/lock.err"; rc=$?
check "lock held: exit 75 (got $rc)" [ $rc -eq 75 ]
want="skillbook batch: error: $OUT is in use by another batch (pid 4242, started 2026-01-02T03:04:05Z); try again later"
check "lock held: the exact message ($(head -1 "$T/lock.err"))" grep -Fxq "$want" "$T/lock.err"
check "lock held: nothing written" [ ! -e "$OUT/manifest.json" ]
kill $(pgrep -P "$holder") "$holder" 2>/dev/null; wait "$holder" 2>/dev/null

# ---- 3. the documents limit ----
# 320 roles with an expectation at each of 320 levels: 320 handbooks,
# 320 x 319 = 102,080 sheets and one profile, from a 4 MB file.
python3 - "$T/huge.xml" <<'PY'
import sys
n = 320
out = ['<?xml version="1.0" encoding="UTF-8"?>',
       '<catalog xmlns="urn:skillbook:catalog:1" xml:lang="en" title="Huge" version="1" author="test">',
       '<levels>'] + ['<level id="l%d" name="L%d"/>' % (i, i) for i in range(n)] + \
      ['</levels>', '<roles>'] + ['<role id="r%d" name="R%d"/>' % (i, i) for i in range(n)] + \
      ['</roles>', '<domain id="d" name="D"><group id="g" name="G">',
       '<skill id="s" name="S"><summary>S</summary>'] + \
      ['<expect level="l%d" role="r%d">x</expect>' % (l, r) for r in range(n) for l in range(n)] + \
      ['</skill></group></domain></catalog>']
open(sys.argv[1], "w").write("\n".join(out))
PY
# (an old build without the limit renders for hours: the timeout ends it)
timeout 30 "$SKILLBOOK" batch "$T/huge.xml" -o "$T/huge" -j 1 2>"$T/huge.err"; rc=$?
check "102,401 documents: exit 3 (got $rc)" [ $rc -eq 3 ]
check "102,401 documents: the message says how many and how to raise it" \
  grep -q "makes 102401 documents (320 handbooks, 102080 sheets, 1 profile), more than the limit of 100000 (raise it with --limit documents=N)" "$T/huge.err"
check "102,401 documents: nothing written, the folder not created" [ ! -e "$T/huge" ]
if [ $rc -eq 3 ]; then
  timeout 60 "$SKILLBOOK" batch "$T/huge.xml" -o "$T/huge" --log-format json 2>"$T/huge.json"; rc=$?
fi
check "102,401 documents, JSON log: exit 3, the message as a diagnostic (got $rc)" \
  sh -c "[ $rc -eq 3 ] && grep -q '\"level\":\"error\".*--limit documents=N' '$T/huge.json'"
"$SKILLBOOK" batch "$ES" -o "$T/low" --limit documents=12 2>"$T/low.err"; rc=$?
check "--limit documents=12 on 13 documents: exit 3, nothing written (got $rc)" \
  sh -c "[ $rc -eq 3 ] && [ ! -e '$T/low' ] && grep -q 'makes 13 documents' '$T/low.err'"
"$SKILLBOOK" batch "$ES" -o "$T/exact" --limit documents=13 2>/dev/null; rc=$?
check "--limit documents=13 on 13 documents: exit 0 (got $rc)" \
  sh -c "[ $rc -eq 0 ] && [ \$(find '$T/exact' -name '*.pdf' | wc -l) -eq 13 ]"
"$SKILLBOOK" handbook "$ES" --all -o "$T/hb" --limit documents=2 >/dev/null 2>"$T/hb.err"; rc=$?
check "handbook --all over the limit: exit 3, nothing written (got $rc)" \
  sh -c "[ $rc -eq 3 ] && [ ! -e '$T/hb' ] && grep -q 'makes 3 handbooks.*--limit documents=N' '$T/hb.err'"
"$SKILLBOOK" handbook "$ES" --all -o "$T/hb" --limit documents=3 >/dev/null 2>&1; rc=$?
check "handbook --all at the limit: exit 0 (got $rc)" [ $rc -eq 0 ]
"$SKILLBOOK" batch "$ES" -o "$T/u" --limit documents=lots 2>/dev/null; rc=$?
check "--limit documents=lots: usage, exit 2 (got $rc)" [ $rc -eq 2 ]

finish
