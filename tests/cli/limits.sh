#!/bin/bash
# tests/cli/limits.sh -- every size cap of sb_limits (base.h) is a clear
# error that names the limit and `--limit NAME=N`, and raising it with
# --limit makes the same run pass (docs/hardening.md).
#
# Over a limit while loading: exit 3, nothing written. While rendering
# (pages, arena-bytes): exit 1, nothing written. A bad --limit: exit 2.
# Env (set by ctest): SKILLBOOK, SRC. Prints "N passed, N failed".
set -u
: "${SKILLBOOK:?}" "${SRC:?}"
export SKILLBOOK_DATA=${SKILLBOOK_DATA:-$SRC}
T=$(mktemp -d /tmp/sb-limits.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }

ES=$SRC/catalog/examples/es/catalog.xml   # 1 file, 4 skills, 3 roles
BUNDLED=$SRC/catalog                       # 5 files

# over NAME WANT_RC LIMIT CMD ARGS...: the run fails with WANT_RC, names
# the limit and how to raise it, and writes nothing.
over() {
  local name=$1 want=$2 limit=$3
  shift 3
  rm -f "$T/out.pdf"
  timeout 60 "$SKILLBOOK" "$@" >/dev/null 2>"$T/err"
  local rc=$?
  if [ "$rc" != "$want" ]; then
    bad "$name" "exit $rc, expected $want: $(head -c 300 "$T/err")"
  elif ! grep -q -- "--limit $limit=" "$T/err"; then
    bad "$name" "message does not say '--limit $limit=N': $(head -c 300 "$T/err")"
  elif [ -e "$T/out.pdf" ]; then
    bad "$name" "a file was written"
  else
    ok "$name: exit $rc, '$(grep -m1 -- "--limit $limit=" "$T/err" | cut -c1-110)'"
  fi
}

# under NAME CMD ARGS...: the run passes.
under() {
  local name=$1
  shift
  if timeout 60 "$SKILLBOOK" "$@" >/dev/null 2>"$T/err"; then ok "$name"
  else bad "$name" "exit $?: $(head -c 300 "$T/err")"; fi
}

# ==== Loading (exit 3) ====
size=$(wc -c < "$ES")
over "file-bytes over" 3 file-bytes validate "$ES" --limit file-bytes=$((size - 1))
under "file-bytes raised" validate "$ES" --limit file-bytes="$size"
over "files over" 3 files validate "$BUNDLED" --limit files=4
under "files raised" validate "$BUNDLED" --limit files=5
over "text-bytes over" 3 text-bytes validate "$ES" --limit text-bytes=40
under "text-bytes raised" validate "$ES" --limit text-bytes=100000
over "nodes over" 3 nodes validate "$ES" --limit nodes=20
under "nodes raised" validate "$ES" --limit nodes=100000
over "skills over" 3 skills validate "$ES" --limit skills=3
under "skills raised" validate "$ES" --limit skills=4
# the same caps stop a document command before anything is rendered
over "handbook: skills over" 3 skills handbook "$ES" --role cloud-engineer \
  -o "$T/out.pdf" --limit skills=3
over "handbook: file-bytes over" 3 file-bytes handbook "$ES" --role cloud-engineer \
  -o "$T/out.pdf" --limit file-bytes=100
# a text node over the default text-bytes (1 MiB): refused, then accepted
python3 - "$T/bigtext.xml" <<'PY'
import sys
open(sys.argv[1], "w").write(
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<catalog xmlns="urn:skillbook:catalog:1" xml:lang="en">\n'
    '<levels><level id="a" name="A"/></levels><roles><role id="r" name="R"/></roles>\n'
    '<domain id="d" name="D"><group id="g" name="G"><skill id="s" name="S">\n'
    '<expect level="a" role="r">' + ("word " * 300000) + '</expect>\n'
    '</skill></group></domain></catalog>\n')
PY
over "text-bytes default" 3 text-bytes validate "$T/bigtext.xml"
under "text-bytes default raised" validate "$T/bigtext.xml" --limit text-bytes=2000000

# ==== Rendering (exit 1) ====
# A limit hit while rendering is a document that could not be rendered
# (exit 1, PRODUCT.md), not a bad catalogue; nothing is written.
render_over() {
  local name=$1 limit=$2
  shift 2
  rm -f "$T/out.pdf"
  over "$name" 1 "$limit" "$@"
}
render_over "pages over" pages handbook "$ES" --role cloud-engineer \
  -o "$T/out.pdf" --limit pages=3
under "pages raised" handbook "$ES" --role cloud-engineer -o "$T/out.pdf" --limit pages=1000
render_over "arena-bytes over" arena-bytes handbook "$ES" --role cloud-engineer \
  -o "$T/out.pdf" --limit arena-bytes=100000
render_over "arena-bytes tiny" arena-bytes handbook "$ES" --role cloud-engineer \
  -o "$T/out.pdf" --limit arena-bytes=1000
under "arena-bytes raised" handbook "$ES" --role cloud-engineer -o "$T/out.pdf" \
  --limit arena-bytes=100000000
render_over "pages over (trace)" pages handbook "$ES" --role cloud-engineer \
  --format trace -o "$T/out.pdf" --limit pages=1

# ==== Bad --limit ====
bad_spec() {
  timeout 10 "$SKILLBOOK" validate "$ES" --limit "$1" >/dev/null 2>"$T/err"
  local rc=$?
  if [ "$rc" = 2 ] && grep -q "$2" "$T/err"; then ok "--limit $1: usage error"
  else bad "--limit $1" "exit $rc: $(head -c 300 "$T/err")"; fi
}
bad_spec bogus=1 "unknown limit"
bad_spec pages=abc "not a whole number"
bad_spec pages=-1 "not a whole number"
bad_spec pages "NAME=VALUE"
# '_' spells the same name as '-'
under "--limit text_bytes=N" validate "$ES" --limit text_bytes=100000

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
