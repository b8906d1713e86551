#!/bin/bash
# tests/cli/startup.sh -- what the program loads: it links neither cairo
# nor libcrypto (src/devices/cairo-dl.c, src/base/sha256.c open them at
# run time), so --version and a handbook in PDF load neither (libcrypto
# only where the processor has no SHA extensions, for the hashes), while
# batch thumbnails and -o x.png open cairo and still come out right; the
# digests in the manifest are sha256sum's; with cairo missing, PNG output
# fails with one message naming the package and exit 1 while PDFs are
# still written; with libcrypto missing, the output does not change.
# What is loaded is read from the dynamic loader's own trace
# (LD_DEBUG=files), which names every library as it is opened.
# Env (set by ctest): SKILLBOOK (the program), SRC (source tree).
# Prints "N passed, N failed"; exit status 1 if anything failed.

SB_TEST_NAME=startup
. "$(dirname "$0")/lib.bash"
B=$SKILLBOOK
cd "$T" || exit 1
ROLE=backend-engineer
if grep -qw sha_ni /proc/cpuinfo 2>/dev/null; then sha_ext=1; else sha_ext=0; fi

# loaded LOG NAME: the loader's trace in LOG opened a library named NAME*
loaded() { grep -q "file=$2[^ ]* " "$1"; }

# ---- linked ----
needed=$(readelf -d "$B" | grep NEEDED)
if echo "$needed" | grep -q "libcairo\|libcrypto\|libpixman\|libfontconfig\|libX11\|libxcb"; then
  bad "the program links cairo, its tree or libcrypto" "$needed"
else
  ok "the program links neither cairo (nor its tree) nor libcrypto"
fi

# ---- --version ----
LD_DEBUG=files "$B" --version >version.txt 2>ld-version.txt
grep -q "^skillbook " version.txt && ok "--version prints the version" || bad "--version" "$(cat version.txt)"
grep -q "file=libxml2" ld-version.txt || bad "LD_DEBUG=files names no library: the check below would prove nothing" \
  "$(head -3 ld-version.txt)"
loaded ld-version.txt libcairo || loaded ld-version.txt libcrypto \
  && bad "--version loads cairo or libcrypto" "$(grep -o 'file=lib\(cairo\|crypto\)[^ ]*' ld-version.txt | sort -u)" \
  || ok "--version loads neither cairo nor libcrypto"

# ---- a handbook in PDF ----
LD_DEBUG=files "$B" handbook --role $ROLE -o h.pdf >/dev/null 2>ld-handbook.txt
rc=$?
[ $rc -eq 0 ] && pdfs_ok . && ok "handbook written" || bad "handbook" "rc=$rc"
loaded ld-handbook.txt libcairo && bad "a PDF handbook loads cairo" || ok "a PDF handbook does not load cairo"
if [ $sha_ext = 1 ]; then
  loaded ld-handbook.txt libcrypto && bad "a handbook loads libcrypto on a processor with SHA extensions" \
    || ok "a handbook does not load libcrypto (SHA extensions hash)"
else
  loaded ld-handbook.txt libcrypto && ok "no SHA extensions: the handbook's hashes open libcrypto" \
    || bad "no SHA extensions and libcrypto not loaded"
fi

# ---- PNG: batch thumbnails and -o x.png open cairo ----
LD_DEBUG=files "$B" batch -o out -j 2 >/dev/null 2>ld-batch.txt
rc=$?
[ $rc -eq 0 ] && ok "batch with thumbnails" || bad "batch" "rc=$rc"
loaded ld-batch.txt libcairo && ok "batch opens cairo for its thumbnails" || bad "batch did not load cairo"
npdf=$(find out -name '*.pdf' | wc -l)
npng=$(find out -name '*.png' | wc -l)
# every thumbnail a real PNG: signature, IHDR with a plausible size
"$PY" - out <<'PYEOF' >png.txt
import os, struct, sys, zlib
n = bad = 0
for d, _, fs in os.walk(sys.argv[1]):
    for f in fs:
        if not f.endswith(".png"):
            continue
        b = open(os.path.join(d, f), "rb").read()
        n += 1
        ok = b[:8] == b"\x89PNG\r\n\x1a\n" and b[12:16] == b"IHDR"
        if ok:
            w, h = struct.unpack(">II", b[16:24])
            ok = 100 <= max(w, h) <= 2000 and min(w, h) > 50
            idat, i = b"", 8
            while i + 8 <= len(b):
                size, kind = struct.unpack(">I4s", b[i:i + 8])
                if kind == b"IDAT":
                    idat += b[i + 8:i + 8 + size]
                i += 12 + size
            ok = ok and len(zlib.decompress(idat)) >= w * h
        bad += not ok
print(n, bad)
PYEOF
read -r n nbad <png.txt
[ "$npdf" -gt 10 ] && [ "$npng" -eq "$npdf" ] && [ "${n:-0}" -eq "$npng" ] && [ "${nbad:-1}" -eq 0 ] \
  && ok "a valid PNG thumbnail beside each of the $npdf PDFs" || bad "thumbnails" "pdf=$npdf png=$npng bad=${nbad:-?}"
# the manifest's digests (this process's SHA-256 engine) are sha256sum's
"$PY" - out <<'PYEOF' >sha.txt
import json, re, subprocess, sys
m = json.load(open(sys.argv[1] + "/manifest.json"))
n = bad = 0
def walk(x):
    global n, bad
    if isinstance(x, dict):
        if "path" in x and "sha256" in x and re.fullmatch(r"[0-9a-f]{64}", str(x["sha256"])):
            got = subprocess.run(["sha256sum", sys.argv[1] + "/" + x["path"]],
                                 capture_output=True, text=True).stdout.split()[0]
            n += 1
            bad += got != x["sha256"]
        for v in x.values():
            walk(v)
    elif isinstance(x, list):
        for v in x:
            walk(v)
walk(m)
print(n, bad)
PYEOF
read -r n nbad <sha.txt
[ "${n:-0}" -ge "$npdf" ] && [ "${nbad:-1}" -eq 0 ] && ok "the manifest's $n SHA-256 digests are sha256sum's" \
  || bad "manifest digests" "$(cat sha.txt)"
LD_DEBUG=files "$B" handbook --role $ROLE -o h.png >/dev/null 2>ld-png.txt
[ $? -eq 0 ] && head -c 8 h.png | od -An -c | grep -q "P   N   G" && loaded ld-png.txt libcairo \
  && ok "handbook -o x.png opens cairo and writes a PNG" || bad "handbook -o x.png"

# ---- cairo missing: a file of the soname the program opens, but empty ----
mkdir -p broken
so=$(grep -ao 'libcairo\.so\.[0-9]*' "$B" | head -1)
: >"broken/${so:-libcairo.so.2}"
LD_LIBRARY_PATH=$T/broken "$B" handbook --quiet --role $ROLE -o broken.png >/dev/null 2>err.txt
rc=$?
[ $rc -eq 1 ] && [ ! -e broken.png ] && grep -q "cannot load libcairo\.so\.[0-9]*, which drawing PNG pages and thumbnails needs" err.txt \
  && grep -q "install the Debian package libcairo[0-9]" err.txt && [ "$(wc -l <err.txt)" -eq 1 ] \
  && ok "cairo that cannot be loaded: one message naming the package, exit 1, no PNG" \
  || bad "cairo missing" "rc=$rc $(cat err.txt)"
LD_LIBRARY_PATH=$T/broken "$B" handbook --role $ROLE -o broken.pdf >/dev/null 2>err.txt
[ $? -eq 0 ] && cmp -s broken.pdf h.pdf && ok "cairo missing: the PDF handbook is still written, the same bytes" \
  || bad "PDF without cairo" "$(cat err.txt)"

# ---- libcrypto missing: the hashes do not change ----
rm -f broken/*
so=$(grep -ao 'libcrypto\.so\.[0-9]*' "$B" | head -1)
: >"broken/${so:-libcrypto.so.3}"
LD_LIBRARY_PATH=$T/broken "$B" handbook --quiet --role $ROLE -o nocrypto.pdf >/dev/null 2>err.txt
rc=$?
if [ $sha_ext = 1 ]; then
  [ $rc -eq 0 ] && [ ! -s err.txt ] && cmp -s nocrypto.pdf h.pdf \
    && ok "libcrypto missing: nothing to say, the same PDF (SHA extensions)" || bad "libcrypto missing" "rc=$rc $(cat err.txt)"
else
  [ $rc -eq 0 ] && grep -q "install the Debian package libssl" err.txt && cmp -s nocrypto.pdf h.pdf \
    && ok "libcrypto missing: a note naming the package, the same PDF (portable C)" \
    || bad "libcrypto missing" "rc=$rc $(cat err.txt)"
fi
finish
