#!/bin/bash
# tests/cli/faults.sh -- writing outputs when the world misbehaves, broken
# fonts, and allocation failure (docs/hardening.md).
#
# - a full disk (a character device like /dev/full made here with mknod),
#   a file-size limit (ulimit -f, SIGXFSZ ignored): exit 1, a clear
#   message, the previous file byte-identical, no .sbtmp-* left;
# - an output folder that is a regular file, a working folder that vanished;
# - a FIFO and a character device are written through and stay what they are;
# - a font that is missing, a folder, not a font, truncated, or CFF (.otf):
#   exit 4 naming the file, nothing written;
# - allocation torture: SKILLBOOK_FAIL_ALLOC=N for every N up to the number
#   of allocations of a full run (SKILLBOOK_COUNT_ALLOC): exit 0, or exit 1
#   with exactly the out-of-memory line; never a crash, never a partial file.
# - the program users run has no fault injection (only skillbook-test has);
# - what a command prints on standard output is checked: a full device is
#   exit 1 with a message.
# Env (set by ctest): SKILLBOOK, SKILLBOOK_TEST (the test build), SRC.
# Prints "N passed, N failed".
SB_TEST_NAME=faults
. "$(dirname "$0")/lib.bash"

CAT=$SRC/catalog/examples/es/catalog.xml
ROLE=cloud-engineer
hb() { timeout 60 "$SKILLBOOK" handbook "$CAT" --role "$ROLE" "$@"; }
hbt() { timeout 60 "$SKILLBOOK_TEST" handbook "$CAT" --role "$ROLE" "$@"; }

# expect NAME WANT_RC GREP: checks $rc and that $T/err contains GREP.
expect() {
  local name=$1 want=$2 text=$3
  if [ "$rc" != "$want" ]; then
    bad "$name" "exit $rc, expected $want; stderr: $(head -c 400 "$T/err")"
  elif [ -n "$text" ] && ! grep -qF -- "$text" "$T/err"; then
    bad "$name" "stderr lacks '$text': $(head -c 400 "$T/err")"
  else
    ok "$name"
  fi
}

no_tmp() { # NAME DIR: no temporary file left behind
  if ls -A "$2" | grep -q '^\.sbtmp-'; then bad "$1" "temporary file left: $(ls -A "$2")"
  else ok "$1"; fi
}

# The reference output, and an "old" file to protect.
hb -o "$T/ref.pdf" >/dev/null 2>"$T/err"
rc=$?
expect "reference handbook" 0 ""
printf 'previous contents\n' > "$T/old"

# ==== Full disk: a character device that always says ENOSPC ====
mknod "$T/full" c 1 7
hb -o "$T/full" >/dev/null 2>"$T/err"; rc=$?
expect "full device: exit 1" 1 "No space left on device"
grep -qF "$T/full" "$T/err" && ok "full device: message names the path" ||
  bad "full device: message names the path" "$(cat "$T/err")"
[ -c "$T/full" ] && ok "full device: still a device" || bad "full device" "replaced"

# ==== File-size limit (a full file system without mount) ====
mkdir "$T/fs"
cp "$T/old" "$T/fs/out.pdf"
( trap '' XFSZ; ulimit -f 8; hb -o "$T/fs/out.pdf" ) >/dev/null 2>"$T/err"; rc=$?
expect "ulimit -f: exit 1" 1 "File too large"
cmp -s "$T/old" "$T/fs/out.pdf" && ok "ulimit -f: old file byte-identical" ||
  bad "ulimit -f: old file" "changed"
no_tmp "ulimit -f: no temporary file" "$T/fs"
# a new path under the same limit: nothing appears
( trap '' XFSZ; ulimit -f 8; hb -o "$T/fs/new.pdf" ) >/dev/null 2>"$T/err"; rc=$?
expect "ulimit -f, new path: exit 1" 1 "File too large"
[ ! -e "$T/fs/new.pdf" ] && ok "ulimit -f, new path: nothing written" ||
  bad "ulimit -f, new path" "a file was left"
no_tmp "ulimit -f, new path: no temporary file" "$T/fs"

# ==== Unwritable places (root ignores modes: use a file as a folder) ====
printf x > "$T/afile"
hb -o "$T/afile/x.pdf" >/dev/null 2>"$T/err"; rc=$?
expect "folder is a file: exit 1" 1 "Not a directory"
[ "$(cat "$T/afile")" = x ] && ok "folder is a file: file untouched" ||
  bad "folder is a file" "file changed"
hb -o "$T/afile/sub/x.pdf" >/dev/null 2>"$T/err"; rc=$?
expect "folder under a file: exit 1" 1 "Not a directory"
mkdir "$T/gone"
( cd "$T/gone" && rmdir "$T/gone" && hb ) >/dev/null 2>"$T/err"; rc=$?
expect "working folder vanished: exit 1" 1 "No such file or directory"
hb -o "$T/ref.pdf/x.pdf" >/dev/null 2>"$T/err"; rc=$?
expect "output folder is a PDF: exit 1" 1 "Not a directory"

# ==== Written through, never replaced: FIFO and character device ====
mkfifo "$T/fifo"
cat "$T/fifo" > "$T/fifo.out" &
catpid=$!
hb -o "$T/fifo" >/dev/null 2>"$T/err"; rc=$?
wait "$catpid"
expect "FIFO: exit 0" 0 ""
[ -p "$T/fifo" ] && ok "FIFO: still a FIFO" || bad "FIFO" "replaced"
cmp -s "$T/fifo.out" "$T/ref.pdf" && ok "FIFO: reader got the whole PDF" ||
  bad "FIFO: bytes" "differ from the reference"
mknod "$T/null" c 1 3
hb -o "$T/null" >/dev/null 2>"$T/err"; rc=$?
expect "null device: exit 0" 0 ""
[ -c "$T/null" ] && ok "null device: still a device" || bad "null device" "replaced"
no_tmp "devices: no temporary file" "$T"

# ==== Broken fonts (exit 4, naming the file, nothing written) ====
F=LiberationSans-Regular.ttf
font_case() { # NAME SETUP...: SETUP breaks $T/data/fonts/$F
  local name=$1
  shift
  rm -rf "$T/data"
  mkdir -p "$T/data"
  cp -r "$SRC/catalog" "$SRC/fonts" "$T/data/"
  rm -f "$T/data/fonts/$F"
  "$@"
  SKILLBOOK_DATA=$T/data hb -o "$T/fontout.pdf" >/dev/null 2>"$T/err"
  rc=$?
  expect "font $name: exit 4" 4 "$F"
  [ ! -e "$T/fontout.pdf" ] && ok "font $name: nothing written" ||
    bad "font $name" "a file was written"
  rm -f "$T/fontout.pdf"
}
font_case missing true
font_case "is a folder" mkdir "$T/data/fonts/$F"
font_case "dangling symlink" ln -s "$T/nowhere.ttf" "$T/data/fonts/$F"
font_case "not a font" cp "$SRC/catalog/00-ladder.xml" "$T/data/fonts/$F"
font_case "empty" touch "$T/data/fonts/$F"
font_case truncated sh -c "head -c 2000 '$SRC/fonts/$F' > '$T/data/fonts/$F'"
if [ "$(id -u)" != 0 ]; then
  font_case unreadable sh -c "cp '$SRC/fonts/$F' '$T/data/fonts/$F' && chmod 000 '$T/data/fonts/$F'"
fi
# A CFF-outlined OpenType font of our own (tests/data/make-cff-font.py).
font_case "CFF .otf" cp "$SRC/tests/data/box-cff.otf" "$T/data/fonts/$F"
grep -qi "cff\|truetype" "$T/err" && ok "font CFF: says why" ||
  bad "font CFF: says why" "$(cat "$T/err")"

# ==== No fault injection in the program users run ====
# The same variables that make skillbook-test fail make skillbook do its
# ordinary work: byte for byte the reference output, nothing printed.
out=$T/nohooks
mkdir "$out"
SKILLBOOK_FAIL_ALLOC=1 SKILLBOOK_COUNT_ALLOC=1 hb -o "$out/h.pdf" >/dev/null 2>"$T/err"
rc=$?
if [ $rc = 0 ] && cmp -s "$out/h.pdf" "$T/ref.pdf" && [ ! -s "$T/err" ]; then
  ok "release: SKILLBOOK_FAIL_ALLOC and SKILLBOOK_COUNT_ALLOC do nothing"
else
  bad "release: allocation hooks" "exit $rc, $(head -c 200 "$T/err")"
fi
first=$("$SKILLBOOK" list roles "$CAT" | head -1 | cut -f1)
SKILLBOOK_CRASH_DOC=handbooks/$first.pdf SKILLBOOK_FAIL_DOC=handbooks/$ROLE.pdf \
  "$SKILLBOOK" batch "$CAT" -o "$out/b" >/dev/null 2>"$T/err"
rc=$?
if [ $rc = 0 ] && [ -s "$out/b/handbooks/$first.pdf" ] && [ -s "$out/b/handbooks/$ROLE.pdf" ]; then
  ok "release: SKILLBOOK_CRASH_DOC and SKILLBOOK_FAIL_DOC do nothing"
else
  bad "release: batch hooks" "exit $rc, $(tail -c 300 "$T/err")"
fi
SKILLBOOK_CRASH_DOC=handbooks/$first.pdf "$SKILLBOOK_TEST" batch "$CAT" -o "$out/t" >/dev/null 2>"$T/err"
rc=$?
[ $rc = 1 ] && grep -q crashed "$T/err" && ok "test build: SKILLBOOK_CRASH_DOC crashes that worker" ||
  bad "test build: SKILLBOOK_CRASH_DOC" "exit $rc"

# ==== Standard output that cannot be written ====
# /dev/full: every write fails with ENOSPC. The result of these commands is
# what they print, so each must fail (exit 1) and say why.
if [ -w /dev/full ]; then
  full_case() { # NAME COMMAND...
    local name=$1; shift
    "$@" >/dev/full 2>"$T/err"
    local rc=$?
    if [ $rc = 1 ] && grep -q "standard output" "$T/err"; then ok "stdout full: $name: exit 1"; else
      bad "stdout full: $name" "exit $rc, $(head -c 200 "$T/err")"; fi
  }
  full_case "validate --format json" "$SKILLBOOK" validate "$CAT" --format json
  full_case "list roles" "$SKILLBOOK" list roles "$CAT"
  full_case "list skills" "$SKILLBOOK" list skills "$CAT"
  full_case "handbook (the printed path)" "$SKILLBOOK" handbook "$CAT" --role "$ROLE" -o "$out/p.pdf"
  full_case "--version" "$SKILLBOOK" --version
  "$SKILLBOOK" list roles "$CAT" >/dev/null 2>"$T/err"
  [ $? = 0 ] && ok "stdout fine: list roles exit 0" || bad "stdout fine" "$(cat "$T/err")"
else
  echo "skipped: /dev/full is not writable here"
fi

# ==== Allocation torture ====
# Count the allocations of a full run, then fail each one in turn (bounded
# to about 300 runs: every N up to 200, then geometric steps).
out=$T/torture
mkdir "$out"
SKILLBOOK_COUNT_ALLOC=1 hbt -o "$out/count.pdf" >/dev/null 2>"$T/err"
K=$(sed -n 's/^skillbook: \([0-9]*\) allocations$/\1/p' "$T/err" | tail -n 1)
rm -f "$out/count.pdf"
if [ -z "$K" ] || [ "$K" -lt 10 ]; then
  bad "torture: count" "no allocation count: $(cat "$T/err")"
  K=50
else
  ok "torture: a full run makes $K allocations"
fi
ns=$(seq 1 $((K < 200 ? K + 2 : 200)))
n=200
while [ "$K" -gt 200 ] && [ "$n" -le $((K + 2)) ]; do
  n=$((n + n / 8))
  ns="$ns $n"
done
[ "$K" -gt 200 ] && ns="$ns $K"
crashes=0 partial=0 wrongmsg=0 oks=0 ooms=0 runs=0
for n in $ns; do
  runs=$((runs + 1))
  cp "$T/old" "$out/h.pdf"
  SKILLBOOK_FAIL_ALLOC=$n hbt -o "$out/h.pdf" >/dev/null 2>"$T/err"
  rc=$?
  if [ "$rc" -gt 128 ] || [ "$rc" -ne 0 -a "$rc" -ne 1 ]; then
    crashes=$((crashes + 1))
    [ "$crashes" -le 3 ] && echo "  N=$n: exit $rc: $(head -c 300 "$T/err")"
    continue
  fi
  if [ "$rc" = 0 ]; then
    oks=$((oks + 1))
    cmp -s "$out/h.pdf" "$T/ref.pdf" || { partial=$((partial + 1)); echo "  N=$n: exit 0 but the PDF differs"; }
  else
    ooms=$((ooms + 1))
    if [ "$(wc -l < "$T/err")" != 1 ] ||
       ! grep -qxE 'skillbook: out of memory \(allocating [0-9]+ bytes\)' "$T/err"; then
      wrongmsg=$((wrongmsg + 1))
      [ "$wrongmsg" -le 3 ] && echo "  N=$n: stderr: $(head -c 300 "$T/err")"
    fi
    cmp -s "$out/h.pdf" "$T/old" || { partial=$((partial + 1)); echo "  N=$n: exit 1 but the old file changed"; }
  fi
  if ls -A "$out" | grep -q '^\.sbtmp-'; then
    partial=$((partial + 1))
    echo "  N=$n: temporary file left"
    rm -f "$out"/.sbtmp-*
  fi
done
echo "  torture: $runs runs: $oks complete, $ooms out of memory"
[ "$crashes" = 0 ] && ok "torture: no crash in $runs runs" || bad "torture" "$crashes runs crashed"
[ "$wrongmsg" = 0 ] && ok "torture: out-of-memory message" || bad "torture" "$wrongmsg runs with another message"
[ "$partial" = 0 ] && ok "torture: never a partial file" || bad "torture" "$partial partial outputs"
[ "$ooms" -gt 0 ] && ok "torture: failures were injected" || bad "torture" "no run ran out of memory"

finish
