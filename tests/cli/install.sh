#!/bin/bash
# tests/cli/install.sh -- `cmake --install` (README "Install"): the
# program, its data, a manual page per command and the bash completion
# under a fresh prefix; the installed program runs the batch with no
# SKILLBOOK_DATA and never reads the source tree (its data hidden, it
# fails instead of falling back); a copy of the sources built, installed,
# then moved away, and the batch run from the install; the completion
# offers commands, options and the catalogue's role and level ids.
# Env (set by ctest): SKILLBOOK (the program in its build folder), SRC.

SB_TEST_NAME=install
. "$(dirname "$0")/lib.bash"
BUILD=$(dirname "$SKILLBOOK")
P=$T/prefix

if ! cmake --install "$BUILD" --prefix "$P" >"$T/install.log" 2>&1; then
  bad "cmake --install" "$(tail -5 "$T/install.log")"; finish
fi
ok "cmake --install into a fresh prefix"
for f in bin/skillbook share/skillbook/catalog/00-ladder.xml share/skillbook/catalog/catalog-1.xsd \
         share/skillbook/fonts/LiberationSans-Regular.ttf share/skillbook/styles/default.xml \
         share/skillbook/catalog/examples/ladder-long.csv share/man/man1/skillbook.1 \
         share/bash-completion/completions/skillbook; do
  [ -f "$P/$f" ] || bad "installed: $f"
done && ok "program, data, manual and completion installed"
# one manual page per command the program lists
missing=""
for c in $("$SKILLBOOK" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p'); do
  [ -f "$P/share/man/man1/skillbook-$c.1" ] || missing+=" $c"
  man -l "$P/share/man/man1/skillbook-$c.1" 2>/dev/null | grep -q "usage: skillbook $c" || missing+=" $c(text)"
done
[ -z "$missing" ] && ok "a manual page per command" || bad "manual pages missing:$missing"

# the installed program, run from elsewhere, with no SKILLBOOK_DATA
cd "$T"
if env -u SKILLBOOK_DATA "$P/bin/skillbook" batch -o "$T/out" -q >/dev/null 2>"$T/batch.err" &&
   [ "$(find "$T/out" -name '*.pdf' | wc -l)" -gt 10 ] && pdfs_ok "$T/out"; then
  ok "installed: batch finds its data under the prefix"
else
  bad "installed batch" "$(tail -3 "$T/batch.err")"
fi
env -u SKILLBOOK_DATA "$P/bin/skillbook" validate 2>&1 | grep -q "^prefix/share/skillbook/catalog" \
  && ok "installed: the bundled catalogue is the prefix's" || bad "installed: which catalogue" \
  "$(env -u SKILLBOOK_DATA "$P/bin/skillbook" validate 2>&1 | head -2)"
mv "$P/share/skillbook" "$P/share/hidden"
out=$(env -u SKILLBOOK_DATA "$P/bin/skillbook" validate 2>&1); rc=$?
[ $rc != 0 ] && ! grep -q "$SRC" <<<"$out" && ok "installed, data hidden: fails, never reads the source tree" \
  || bad "installed without data" "rc=$rc $out"
mv "$P/share/hidden" "$P/share/skillbook"
SKILLBOOK_DATA=$P/share/skillbook "$P/bin/skillbook" list roles | grep -q "^sre" \
  && ok "SKILLBOOK_DATA is honoured" || bad "SKILLBOOK_DATA"

# bash completion: COMP_WORDS as bash would set them
comp() {
  PATH=$P/bin:$PATH bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
    _skillbook; printf "%s\n" "${COMPREPLY[@]}"' _ "$P/share/bash-completion/completions/skillbook" "$@"
}
c=$(comp skillbook "")
grep -qx import <<<"$c" && grep -qx batch <<<"$c" && grep -qx handbook <<<"$c" \
  && ok "completion: commands" || bad "completion: commands" "$c"
comp skillbook handbook --role "" | grep -qx sre && ok "completion: --role ids of the bundled catalogue" \
  || bad "completion: roles" "$(comp skillbook handbook --role "")"
comp skillbook sheet "$SRC/catalog/examples/es/catalog.xml" --role "" >"$T/es-roles"
"$SKILLBOOK" list roles "$SRC/catalog/examples/es/catalog.xml" | cut -f1 | cmp -s - "$T/es-roles" \
  && ok "completion: --role ids of the catalogue given" || bad "completion: es roles" "$(cat "$T/es-roles")"
comp skillbook sheet --role sre --from "" | grep -qx junior && ok "completion: --from level ids" || bad "completion: levels"
comp skillbook import --la | grep -qx -- --layout && ok "completion: options" || bad "completion: options"
cd "$SRC"

# a copy of the sources, built and installed, then moved away
if [ -n "${SB_QUICK:-}" ]; then
  echo "skipped: the build from a moved source copy (SB_QUICK)"
else
  mkdir -p "$T/src"
  if [ -d "$SRC/.git" ] || [ -f "$SRC/.git" ]; then
    (cd "$SRC" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$T/src" 2>/dev/null)
  else
    (cd "$SRC" && tar --exclude='./build*' -cf - .) | (cd "$T/src" && tar -xf -)
  fi
  if (cd "$T/src" && cmake -S . -B b -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$T/p2" >/dev/null &&
      nice cmake --build b -j2 --target skillbook >/dev/null && cmake --install b >/dev/null) >"$T/copy.log" 2>&1; then
    mv "$T/src" "$T/moved"
    cd "$T"
    if env -u SKILLBOOK_DATA "$T/p2/bin/skillbook" batch -o "$T/out2" -q >/dev/null 2>&1 &&
       [ "$(find "$T/out2" -name '*.pdf' | wc -l)" = "$(find "$T/out" -name '*.pdf' | wc -l)" ]; then
      ok "built, installed, sources moved away: batch runs from the install"
    else
      bad "batch after moving the sources"
    fi
    cd "$SRC"
  else
    bad "build from a copy of the sources" "$(tail -5 "$T/copy.log")"
  fi
fi
finish
