# tests/cli/readers.bash -- "does every reader open this PDF without a
# complaint?", shared by the document tests (sourced, not a test itself:
# ctest runs tests/cli/*.sh only).
#
#   reader_check NAME PDF   prints one line per check: "PASS" or
#                           "FAIL: NAME: reader: first lines of its message"
#
# Readers: pdfinfo, pdffonts (every font embedded), pdftotext (empty
# stderr), qpdf --check, mutool draw, Ghostscript with -dPDFSTOPONERROR
# -dPDFSTOPONWARNING. Uses a temporary folder of its own.

reader_check() {
  local name=$1 pdf=$2 out t
  t=$(mktemp -d /tmp/sb-readers.XXXXXX)
  if pdfinfo "$pdf" >"$t/info" 2>"$t/err" && [ ! -s "$t/err" ]; then echo PASS; else
    echo "FAIL: $name: pdfinfo: $(head -2 "$t/err")"; fi
  out=$(pdffonts "$pdf" 2>&1 | tail -n +3 | awk '{ if ($(NF-4) != "yes") print }')
  if [ -z "$out" ]; then echo PASS; else echo "FAIL: $name: font not embedded: $out"; fi
  if pdftotext "$pdf" /dev/null 2>"$t/err" && [ ! -s "$t/err" ]; then echo PASS; else
    echo "FAIL: $name: pdftotext: $(head -2 "$t/err")"; fi
  if qpdf --check "$pdf" >"$t/q" 2>&1; then echo PASS; else
    echo "FAIL: $name: qpdf --check: $(grep -v '^checking\|^PDF Version\|^File is not' "$t/q" | head -2)"; fi
  # (Debian's MuPDF is built without ICC support and says so on every run)
  if mutool draw -o /dev/null "$pdf" >"$t/m" 2>&1 &&
     ! grep -v "ICC support is not available" "$t/m" | grep -qi "error\|warning"; then echo PASS; else
    echo "FAIL: $name: mutool draw: $(head -2 "$t/m")"; fi
  if gs -q -dPDFSTOPONERROR -dPDFSTOPONWARNING -dBATCH -dNOPAUSE -sDEVICE=nullpage \
       "$pdf" >"$t/g" 2>&1 && [ ! -s "$t/g" ]; then echo PASS; else
    echo "FAIL: $name: gs: $(head -2 "$t/g")"; fi
  rm -rf "$t"
}

# reader_check_all LISTFILE: runs reader_check on every "NAME<TAB>PDF" line,
# two at a time (or $SB_JOBS), and prints the combined lines.
reader_check_all() {
  local here
  here=$(dirname "${BASH_SOURCE[0]}")
  tr '\t' '\n' <"$1" | xargs -d '\n' -n 2 -P "${SB_JOBS:-$(nproc)}" \
    bash -c 'source "$0"; reader_check "$1" "$2"' "$here/readers.bash"
}
