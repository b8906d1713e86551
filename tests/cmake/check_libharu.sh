#!/bin/bash
# tests/cmake/check_libharu.sh -- the libharu version pin (cmake/CheckLibharu.cmake).
#
# Only libharu 2.3.0 is installed here, so the check is fed fake
# hpdf_version.h files: 2.3.0 passes; 2.4.0, 2.3.1 and 3.3.0 fail naming the
# version found, the one required and what to do; a header without the
# version and a folder without the header fail too. Then the real headers
# (HPDF_INCLUDE_DIR, from the build) pass.
# Env (set by ctest): CMAKE (the cmake program), SRC, HPDF_INCLUDE_DIR.
# Prints "N passed, N failed".
SB_TEST_NAME=hpdfcheck
. "$(dirname "$0")/../cli/lib.bash"
: "${CMAKE:?}"
CHECK=$SRC/cmake/CheckLibharu.cmake

# fake DIR MAJOR MINOR BUGFIX: an hpdf_version.h as libharu writes it.
fake() {
  mkdir -p "$1"
  cat > "$1/hpdf_version.h" <<H
/* fake, for tests/cmake/check_libharu.sh */
#define HPDF_MAJOR_VERSION $2
#define HPDF_MINOR_VERSION $3
#define HPDF_BUGFIX_VERSION $4
#define HPDF_EXTRA_VERSION ""
#define HPDF_VERSION_TEXT "$2.$3.$4"
#define HPDF_VERSION_ID $(( $2 * 10000 + $3 * 100 + $4 ))
H
}

# run NAME DIR: runs the check on DIR, output in $T/out, status in $rc.
run() { "$CMAKE" -DHPDF_INCLUDE_DIR="$2" -P "$CHECK" > "$T/out" 2>&1; rc=$?; }

# refuse NAME DIR TEXT...: the check must fail and print every TEXT.
refuse() {
  local name=$1 dir=$2 t
  shift 2
  run "$name" "$dir"
  if [ "$rc" = 0 ]; then
    bad "$name" "accepted: $(head -c 300 "$T/out")"
    return
  fi
  for t in "$@"; do
    if ! tr -s ' \n' ' ' < "$T/out" | grep -qF -- "$t"; then
      bad "$name" "no '$t' in: $(head -c 600 "$T/out")"
      return
    fi
  done
  ok "$name"
}

fake "$T/v230" 2 3 0
run ok-2.3.0 "$T/v230"
if [ "$rc" = 0 ] && grep -qF "libharu 2.3.0" "$T/out"; then ok "2.3.0 accepted"
else bad "2.3.0 accepted" "exit $rc: $(head -c 300 "$T/out")"; fi

for v in "2 4 0" "2 3 1" "3 3 0" "2 2 0"; do
  set -- $v
  fake "$T/v$1$2$3" "$1" "$2" "$3"
  refuse "$1.$2.$3 refused" "$T/v$1$2$3" "libharu $1.$2.$3 found" \
    "written for libharu 2.3.0" "Install libharu 2.3.0" "docs/pdf.md"
done

mkdir -p "$T/noversion"
echo '#define HPDF_VERSION_TEXT "2.3.0"' > "$T/noversion/hpdf_version.h"
refuse "header without the numbers refused" "$T/noversion" \
  "cannot read the version" "libharu 2.3.0"
mkdir -p "$T/empty"
refuse "folder without the header refused" "$T/empty" "no hpdf_version.h" \
  "libharu 2.3.0"

if [ -n "${HPDF_INCLUDE_DIR:-}" ]; then
  run "installed" "$HPDF_INCLUDE_DIR"
  if [ "$rc" = 0 ]; then ok "installed headers ($HPDF_INCLUDE_DIR) accepted"
  else bad "installed headers" "exit $rc: $(head -c 300 "$T/out")"; fi
fi

finish
