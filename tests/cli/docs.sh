#!/bin/bash
# tests/cli/docs.sh -- every relative link of the project's Markdown (README,
# docs/, catalog/, bench/, tests/, fonts/) names a file or folder inside the
# clone: a user has nothing beside it. Env (set by ctest): SRC.
SB_TEST_NAME=docs
. "$(dirname "$0")/lib.bash"
cd "$SRC" || exit 1
while IFS= read -r md; do
  dir=$(dirname "$md")
  # [text](target) with no scheme; drop a #fragment
  while IFS= read -r target; do
    t=${target%%#*}
    [ -n "$t" ] || continue
    case $t in *://*|mailto:*) continue ;; esac
    real=$(realpath -m "$dir/$t")
    case $real in "$(realpath "$SRC")"/*) inside=1 ;; *) inside=0 ;; esac
    if [ $inside = 1 ] && [ -e "$real" ]; then pass=$((pass + 1)); else
      fail=$((fail + 1)); echo "FAIL - $md: link to '$target' does not resolve inside the clone"; fi
  done < <(grep -o '\](\([^)]*\))' "$md" | sed 's/^](\(.*\))$/\1/')
done < <(git ls-files '*.md' 2>/dev/null || find . -name '*.md' -not -path './build*')
[ $pass -gt 10 ] || { fail=$((fail + 1)); echo "FAIL - only $pass links found"; }
finish
