#!/bin/bash
# tests/cli/links.sh -- the batch never follows a symbolic link inside its
# output folder (docs/batch.md, "Symbolic links"): a link at a file's path
# is replaced by the new file and its target left alone; a link at a
# folder's path fails that folder's documents and nothing is written or
# deleted through it; index.html, manifest.json and the lock the same.
# A single document's -o still follows a link to its target (DESIGN.md).
# Env (set by ctest): SKILLBOOK, SRC. Prints "N passed, N failed".
SB_TEST_NAME=links
. "$(dirname "$0")/lib.bash"
LIB="python3 $SRC/tests/cli/batch_lib.py"
summary() {
  sed -n 's/.* \([0-9]*\) written \/ \([0-9]*\) unchanged \/ \([0-9]*\) failed \/ \([0-9]*\) deleted.*/\1 \2 \3 \4/p' "$1" | tail -1
}
# a listing of a folder with every file's checksum, to compare before/after
untouched() { printf 'precious\n' | cmp -s - "$1"; }
snap() { (cd "$1" && find . -print0 | sort -z | xargs -0 -r sha256sum 2>/dev/null; find . | sort); }

CAT=$T/cat.xml
cp "$SRC/catalog/examples/es/catalog.xml" "$CAT"   # 3 roles, 13 documents
mkdir -p "$T/outside"

# ---- 1. a link at a document's path (PDF and thumbnail) ----
OUT=$T/out1
"$SKILLBOOK" batch "$CAT" -o "$OUT" 2>/dev/null || bad "first run failed"
echo precious >"$T/outside/victim.pdf"
echo precious >"$T/outside/victim.png"
rm "$OUT/handbooks/cloud-engineer.pdf" "$OUT/handbooks/cloud-engineer.png"
ln -s "$T/outside/victim.pdf" "$OUT/handbooks/cloud-engineer.pdf"
ln -s ../../outside/victim.png "$OUT/handbooks/cloud-engineer.png"
"$SKILLBOOK" batch "$CAT" -o "$OUT" 2>"$T/l1.log"; rc=$?
check "file link: exit 0 (got $rc)" [ $rc -eq 0 ]
check "file link: the outside PDF is untouched" untouched "$T/outside/victim.pdf"
check "file link: the outside PNG is untouched" untouched "$T/outside/victim.png"
check "file link: replaced by a regular file" \
  [ -f "$OUT/handbooks/cloud-engineer.pdf" -a ! -L "$OUT/handbooks/cloud-engineer.pdf" \
    -a ! -L "$OUT/handbooks/cloud-engineer.png" ]
check "file link: the manifest matches the files" sh -c "$LIB verify '$OUT' >/dev/null"
"$SKILLBOOK" batch "$CAT" -o "$OUT" 2>"$T/l1b.log"; rc=$?
check "file link: the next run has nothing to do ($(summary "$T/l1b.log"))" \
  grep -q "nothing to do" "$T/l1b.log"

# ---- 2. index.html and manifest.json as links ----
OUT=$T/out2
"$SKILLBOOK" batch "$CAT" -o "$OUT" 2>/dev/null
echo precious >"$T/outside/index.html"
cp "$OUT/manifest.json" "$T/outside/manifest.json"
echo '{"x": 1}' >>"$T/outside/manifest.json"   # not the same bytes: rewritten
rm "$OUT/index.html" "$OUT/manifest.json"
ln -s "$T/outside/index.html" "$OUT/index.html"
ln -s "$T/outside/manifest.json" "$OUT/manifest.json"
before=$(sha256sum <"$T/outside/manifest.json")
"$SKILLBOOK" batch "$CAT" -o "$OUT" 2>"$T/l2.log"; rc=$?
check "index.html link: its target untouched" untouched "$T/outside/index.html"
check "manifest.json link: its target untouched" [ "$(sha256sum <"$T/outside/manifest.json")" = "$before" ]
check "index.html and manifest.json: replaced by regular files (exit $rc)" \
  [ $rc -eq 0 -a -f "$OUT/index.html" -a ! -L "$OUT/index.html" -a ! -L "$OUT/manifest.json" ]
check "manifest.json link: not read (a warning says so)" grep -q "symbolic link" "$T/l2.log"
check "after links at index.html and manifest.json: the manifest matches" sh -c "$LIB verify '$OUT' >/dev/null"

# ---- 3. a folder of the output as a link: nothing written through it ----
OUT=$T/out3
mkdir -p "$T/elsewhere"
echo precious >"$T/elsewhere/cloud-engineer.pdf"
mkdir -p "$OUT"
ln -s "$T/elsewhere" "$OUT/handbooks"
snap "$T/elsewhere" >"$T/else.before"
"$SKILLBOOK" batch "$CAT" -o "$OUT" 2>"$T/l3.log"; rc=$?
snap "$T/elsewhere" >"$T/else.after"
check "folder link: nothing written into its target" cmp -s "$T/else.before" "$T/else.after"
check "folder link: exit 1, its documents failed (got $rc, $(summary "$T/l3.log"))" \
  [ $rc -eq 1 -a "$(summary "$T/l3.log")" = "10 0 3 0" ]
check "folder link: the error names the link" \
  grep -q "handbooks/cloud-engineer.pdf: not written: handbooks is a symbolic link" "$T/l3.log"
check "folder link: the link is left as it was" [ -L "$OUT/handbooks" ]

# ---- 4. ... and nothing deleted through it when a role leaves ----
OUT=$T/out4
"$SKILLBOOK" batch "$CAT" -o "$OUT" 2>/dev/null
rm -rf "$T/elsewhere4"
mv "$OUT/handbooks" "$T/elsewhere4"          # the same files, now outside
ln -s "$T/elsewhere4" "$OUT/handbooks"
mv "$OUT/sheets/data-engineer" "$T/else-sheets"
ln -s "$T/else-sheets" "$OUT/sheets/data-engineer"
snap "$T/elsewhere4" >"$T/e4.before"; snap "$T/else-sheets" >"$T/es.before"
cp "$CAT" "$T/cat4.xml"
$LIB drop-role "$T/cat4.xml" data-engineer
"$SKILLBOOK" batch "$T/cat4.xml" -o "$OUT" 2>"$T/l4.log"; rc=$?
snap "$T/elsewhere4" >"$T/e4.after"; snap "$T/else-sheets" >"$T/es.after"
check "a role left, its folder a link: nothing deleted in the link's target" \
  sh -c "cmp -s '$T/e4.before' '$T/e4.after' && cmp -s '$T/es.before' '$T/es.after'"
check "a role left, its folder a link: the link is kept, and the run says why" \
  sh -c "[ -L '$OUT/handbooks' -a -L '$OUT/sheets/data-engineer' ] && grep -q 'not deleted' '$T/l4.log'"
check "a role left, its folder a link: exit 1 (the handbooks could not be written; got $rc)" [ $rc -eq 1 ]
rm "$OUT/handbooks"
"$SKILLBOOK" batch "$T/cat4.xml" -o "$OUT" 2>"$T/l4b.log"; rc=$?
check "link removed: the next run writes the handbooks (exit $rc)" \
  sh -c "[ $rc -eq 0 ] && [ -f '$OUT/handbooks/cloud-engineer.pdf' ] && $LIB verify '$OUT' >/dev/null"

# ---- 5. the lock file as a link; temporary-file names as links ----
OUT=$T/out5
mkdir -p "$OUT/profiles"
echo precious >"$T/outside/lock"
ln -s "$T/outside/lock" "$OUT/.skillbook.lock"
"$SKILLBOOK" batch "$CAT" -o "$OUT" 2>"$T/l5.log"; rc=$?
check "lock file a link: refused, its target untouched (exit $rc)" \
  [ $rc -ne 0 -a "$(cat "$T/outside/lock")" = precious ]
check "lock file a link: the message says so" grep -q "symbolic link" "$T/l5.log"
rm "$OUT/.skillbook.lock"
echo precious >"$T/outside/tmp"
ln -s "$T/outside/tmp" "$OUT/profiles/.sbtmp-kubernetes.pdf-AAAAAA"
"$SKILLBOOK" batch "$CAT" -o "$OUT" 2>/dev/null; rc=$?
check "a link named like a temporary file: its target untouched (exit $rc)" \
  [ $rc -eq 0 -a "$(cat "$T/outside/tmp")" = precious ]

# ---- 6. DIR itself may be a link (the folder the user named) ----
mkdir -p "$T/real6"
ln -s "$T/real6" "$T/out6"
"$SKILLBOOK" batch "$CAT" -o "$T/out6" 2>/dev/null; rc=$?
check "DIR a link: followed, the documents are in its target (exit $rc)" \
  [ $rc -eq 0 -a -f "$T/real6/manifest.json" -a -L "$T/out6" ]

# ---- 7. a single document's -o still follows a link (DESIGN.md) ----
echo old >"$T/outside/target.pdf"
ln -s "$T/outside/target.pdf" "$T/one.pdf"
"$SKILLBOOK" handbook "$CAT" --role cloud-engineer -o "$T/one.pdf" >/dev/null 2>&1; rc=$?
check "handbook -o LINK: the target is replaced, the link kept (exit $rc)" \
  sh -c "[ $rc -eq 0 ] && [ -L '$T/one.pdf' ] && head -c 4 '$T/outside/target.pdf' | grep -q PDF"

finish
