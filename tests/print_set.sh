#!/usr/bin/env bash
# print_set.sh OUTDIR [QUICK]: writes the traces of the documents the
# print-quality checks read (tests/cli/*quality*.sh): every handbook, the
# profile book and every sheet between neighbouring levels, of the bundled
# catalogue, its language examples, three generated catalogues and, when the
# reference folder is there ($SHARED), the real frameworks; each in the four
# built-in styles. One file a document: OUTDIR/CAT.STYLE.KIND.ID.trace, and
# OUTDIR/LIST with one "CAT STYLE KIND ID" line per file.
#
# QUICK (any second argument, or SB_QUICK=1) keeps the bundled catalogue,
# one generated catalogue and the real ones: the sanitizer run's share.
#
# Environment: SKILLBOOK (the program), SRC (the source tree), SHARED (the
# reference folder, may be empty), PY (a python3 for the generator).
set -euo pipefail
out=${1:?usage: print_set.sh OUTDIR [QUICK]}
quick=${2:-${SB_QUICK:-}}
SRC=${SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
SKILLBOOK=${SKILLBOOK:-$SRC/build/skillbook}
SHARED=${SHARED:-}
PY=${PY:-${PYTHON:-python3}}
mkdir -p "$out/cat"
# DONE says the set is whole (lib.bash's sb_print_set reads it); a rerun
# starts from nothing
rm -f "$out/DONE" "$out"/*.trace
: >"$out/LIST"

cats=("bundled=$SRC/catalog")
if [ -z "$quick" ]; then
  for lang in "$SRC"/catalog/examples/*/catalog.xml; do
    cats+=("$(basename "$(dirname "$lang")")=$lang")
  done
fi
gens=(small:1 medium:2 large:3)
[ -n "$quick" ] && gens=(medium:2)
for g in "${gens[@]}"; do
  size=${g%%:*} seed=${g##*:}
  "$PY" "$SRC/scripts/gen-catalog.py" --size "$size" --seed "$seed" \
    -o "$out/cat/gen-$size.xml"
  cats+=("gen-$size=$out/cat/gen-$size.xml")
done
if [ -n "$SHARED" ] && [ -d "$SHARED/data/real" ]; then
  for f in "$SHARED"/data/real/*.xml; do
    cats+=("$(basename "$f" .xml)=$f")
  done
fi

# render NAME STYLE KIND ID ARGS...: one trace; a failure stops the set.
render() {
  local name=$1 style=$2 kind=$3 id=$4
  shift 4
  local f="$out/$name.$style.$kind.$id.trace"
  if ! "$SKILLBOOK" "$kind" "$@" --style "$style" --format trace -o "$f" \
      >/dev/null 2>"$out/err"; then
    echo "print_set: $kind $id of $name in $style failed:" >&2
    cat "$out/err" >&2
    exit 1
  fi
  echo "$name $style $kind $id" >>"$out/LIST"
}

for c in "${cats[@]}"; do
  name=${c%%=*} path=${c#*=}
  roles=$("$SKILLBOOK" list roles "$path" 2>/dev/null | cut -f1)
  levels=$("$SKILLBOOK" list levels "$path" 2>/dev/null | cut -f1)
  for style in default letter branded ink-saver; do
    for r in $roles; do
      render "$name" "$style" handbook "$r" "$path" --role "$r"
      prev=
      for l in $levels; do
        # a sheet between neighbouring levels the role has; a role without
        # one of the two levels is refused, and is not part of the set
        if [ -n "$prev" ] && "$SKILLBOOK" sheet "$path" --role "$r" \
            --from "$prev" --to "$l" --style "$style" --format trace \
            -o "$out/$name.$style.sheet.$r-$prev-$l.trace" >/dev/null 2>&1; then
          echo "$name $style sheet $r-$prev-$l" >>"$out/LIST"
        fi
        prev=$l
      done
    done
    render "$name" "$style" profile all "$path" --all
  done
done
rm -f "$out/err"
touch "$out/DONE"
