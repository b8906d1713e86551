#!/bin/bash
# tests/pkg/deb.sh -- the Debian package on a clean Debian 12: builds the
# .deb with CPack from the build folder, makes a minimal bookworm root with
# mmdebstrap (apt variant, Debian's archive as the host's apt sources
# name it), installs the package there with `apt-get install ./DEB` so that
# apt resolves its Depends, and runs `skillbook batch` and `skillbook
# validate` in it; the PDFs come out and are checked with qpdf.
# Slow (a few minutes, network): runs only with SB_TEST_DEB=1 (ctest -L
# package; .ci/run runs it), else exits 77 (skipped).
# Env (set by ctest): SKILLBOOK (the program in its build folder), SRC.

SB_TEST_NAME=deb
. "$(dirname "$0")/../cli/lib.bash"
if [ "${SB_TEST_DEB:-0}" != 1 ]; then
  echo "skipped: the package test runs with SB_TEST_DEB=1 (ctest -L package)"
  exit 77
fi
command -v mmdebstrap >/dev/null || { bad "mmdebstrap is not installed (scripts/install-deps.sh)"; finish; }
BUILD=$(dirname "$SKILLBOOK")
if ! (cd "$T" && cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$T/pkg") >"$T/cpack.log" 2>&1; then
  bad "cpack -G DEB" "$(tail -5 "$T/cpack.log")"; finish
fi
deb=$(ls "$T"/pkg/skillbook_*.deb 2>/dev/null | head -1)
[ -f "$deb" ] && ok "cpack -G DEB: $(basename "$deb")" || { bad "no .deb"; finish; }
dep=$(dpkg-deb -f "$deb" Depends)
echo "$dep" | grep -q libhpdf && echo "$dep" | grep -q libqpdf29 && echo "$dep" | grep -q "libcairo2 (>=" \
  && echo "$dep" | grep -q "libssl3[a-z0-9]* (>=" \
  && ok "Depends names the libraries (libhpdf; opened at run time: libqpdf29 for collect, libcairo2 for PNGs, libssl3 for SHA-256)" \
  || bad "Depends" "$(dpkg-deb -f "$deb" Depends)"
mkdir -p "$T/got"
if env -u SKILLBOOK_DATA mmdebstrap --variant=apt --format=null \
    --customize-hook="copy-in $deb /tmp" \
    --customize-hook="chroot \"\$1\" apt-get install -y --no-install-recommends /tmp/$(basename "$deb")" \
    --customize-hook='chroot "$1" sh -c "cd /tmp && skillbook validate && skillbook batch -o /tmp/out && skillbook import /usr/share/skillbook/catalog/examples/ladder-long.csv -o /tmp/out/ladder.xml && ls /usr/share/bash-completion/completions/skillbook /usr/share/man/man1/skillbook-import.1* >>/tmp/out/files.txt && (skillbook collect \$(find /tmp/out -name \"*.pdf\" | head -1) -o /tmp/out/c.csv 2>/tmp/out/collect.txt || true)"' \
    --customize-hook="copy-out /tmp/out $T/got" \
    bookworm /dev/null >"$T/mmdebstrap.log" 2>&1; then
  ok "apt-get install ./$(basename "$deb") in a fresh bookworm root, then batch"
else
  bad "mmdebstrap" "$(grep -v '^I:' "$T/mmdebstrap.log" | tail -15)"
  finish
fi
n=$(find "$T/got/out" -name '*.pdf' | wc -l)
[ "$n" -gt 10 ] && pdfs_ok "$T/got/out" && ok "batch in the root wrote $n PDFs, all valid" || bad "PDFs from the root" "$n"
# the thumbnails: cairo opened with dlopen, installed by the Depends
npng=$(find "$T/got/out" -name '*.png' | wc -l)
[ "$npng" -eq "$n" ] && ok "batch in the root wrote a PNG thumbnail beside each PDF (cairo opened)" \
  || bad "thumbnails in the root" "$npng PNGs for $n PDFs"
grep -q "<catalog" "$T/got/out/ladder.xml" && ok "import of the installed example in the root" || bad "import in the root"
grep -q completions/skillbook "$T/got/out/files.txt" && grep -q man1/skillbook-import "$T/got/out/files.txt" \
  && ok "completion and manual pages installed by the package" \
  || bad "completion in the package" "$(cat "$T/got/out/files.txt")"
# collect opens libqpdf with dlopen: the Depends must have installed it
grep -q "not a skillbook pack" "$T/got/out/collect.txt" && ! grep -q "cannot load" "$T/got/out/collect.txt" \
  && ok "collect in the root opens libqpdf (a handbook read: not a pack)" \
  || bad "collect in the root" "$(cat "$T/got/out/collect.txt")"
finish
