#!/bin/bash
# tests/cli/png.sh -- `--format png` of the document commands: a valid PNG
# of the page asked for, its size (page size x dpi / 72, rounded up as
# src/devices/png-device.c does), -o - and the default path, the usage
# errors (a page beyond the end, a bad --page or --dpi: exit 2, nothing
# written), and the picture itself: the png device's page beside poppler's
# (`pdftocairo -png -r 50`) of the same document's PDF, compared in 16x16
# tiles, for a handbook, a sheet and a profile.
# Env (set by ctest): SKILLBOOK (the program), SRC (source tree).
# Prints "N passed, N failed"; exit status 1 if anything failed.

SB_TEST_NAME=png
. "$(dirname "$0")/lib.bash"
CAT="$SRC/catalog"

# Largest mean difference of a 16x16 tile (over R, G, B, 0..255) that still
# counts as the same picture. The bound and its reasoning are
# tests/unit/test_png.c's TILE_BOUND: poppler and the png device differ by
# a few units in tiles of slanted dashed hairlines and antialiased text
# (measured here at 50 dpi on Debian 12: about 2 at worst, in a chart),
# while a real fault (a chart moved by 2 pt, a missing glyph or hatch)
# gives 20 or more. A tile is also compared with the other picture moved
# one pixel up and down, and the best of the three counts: a baseline that
# falls exactly on a half pixel (192.24 pt at 50 dpi is 133.5 px) is rounded
# one way by cairo from the display list's doubles and the other way by
# poppler from the PDF's decimals, which moves a whole line of hinted text
# by one pixel (measured: 16.7 in the sheet's header). A moved chart or a
# missing glyph is not hidden by a one-pixel shift.
TILE_BOUND=12

# PNG reading with zlib and struct (no PIL): signature, chunk CRCs, IHDR,
# the five row filters; 8-bit grey, grey+alpha, RGB, RGBA.
cat >"$T/png.py" <<'PYEOF'
import math, struct, sys, zlib

def read_png(path, pixels=True):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit("%s: not a PNG (bad signature)" % path)
    pos, idat, ihdr = 8, [], None
    while pos + 12 <= len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        crc = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]
        if zlib.crc32(kind + body) != crc:
            raise SystemExit("%s: bad CRC in chunk %r" % (path, kind))
        if ihdr is None and kind != b"IHDR":
            raise SystemExit("%s: the first chunk is not IHDR" % path)
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + n
    else:
        raise SystemExit("%s: no IEND chunk" % path)
    w, h, depth, ctype, _, _, interlace = ihdr
    if not pixels:
        return w, h, None
    if depth != 8 or interlace or ctype not in (0, 2, 4, 6):
        raise SystemExit("%s: unsupported PNG (depth %d, colour type %d)" % (path, depth, ctype))
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
    raw = zlib.decompress(b"".join(idat))
    stride = w * bpp
    if len(raw) != h * (stride + 1):
        raise SystemExit("%s: %d bytes of image data, expected %d" % (path, len(raw), h * (stride + 1)))
    prev, rows = bytearray(stride), []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        elif f != 0:
            raise SystemExit("%s: bad filter %d on row %d" % (path, f, y))
        prev = line
        if bpp == 3:
            rows.append(bytes(line))
        elif bpp == 4:
            rows.append(bytes(v for i in range(0, stride, 4) for v in line[i:i + 3]))
        else:
            rows.append(bytes(g for i in range(0, stride, bpp) for g in (line[i],) * 3))
    return w, h, rows

def worst_tile(a, b, tile=16):
    """The largest mean absolute difference of a tile (the best of b as is
    and b moved one pixel up or down), and where."""
    w, h = min(a[0], b[0]), min(a[1], b[1])
    worst, at = 0.0, (0, 0)
    for ty in range(0, h, tile):
        for tx in range(0, w, tile):
            best = None
            for dy in (0, -1, 1):
                s = n = 0
                for y in range(ty, min(ty + tile, h)):
                    yb = min(max(y + dy, 0), h - 1)
                    ra = a[2][y][tx * 3:min(tx + tile, w) * 3]
                    rb = b[2][yb][tx * 3:min(tx + tile, w) * 3]
                    s += sum(abs(p - q) for p, q in zip(ra, rb))
                    n += len(ra)
                if n and (best is None or s / n < best):
                    best = s / n
                if best == 0:
                    break
            if best is not None and best > worst:
                worst, at = best, (tx, ty)
    return worst, at

cmd = sys.argv[1]
if cmd == "size":       # size PNG PTW PTH DPI: the IHDR is the page at DPI
    w, h, _ = read_png(sys.argv[2], pixels=False)
    pw, ph, dpi = map(float, sys.argv[3:6])
    # as src/devices/png-device.c: ceil(points * dpi / 72 - 1e-6)
    ew = int(math.ceil(pw * dpi / 72 - 1e-6))
    eh = int(math.ceil(ph * dpi / 72 - 1e-6))
    if (w, h) != (ew, eh):
        raise SystemExit("IHDR %dx%d, expected %dx%d (%gx%g pt at %g dpi)" % (w, h, ew, eh, pw, ph, dpi))
    read_png(sys.argv[2])   # and the pixels decode
elif cmd == "compare":  # compare A B BOUND [over]: worst tile under BOUND (or over)
    a, b = read_png(sys.argv[2]), read_png(sys.argv[3])
    bound, over = float(sys.argv[4]), len(sys.argv) > 5
    if (a[0], a[1]) != (b[0], b[1]):
        raise SystemExit("sizes differ: %dx%d and %dx%d" % (a[0], a[1], b[0], b[1]))
    d, at = worst_tile(a, b)
    print("worst tile %.2f at %d,%d" % (d, at[0], at[1]))
    if (d <= bound) == over:
        raise SystemExit("worst tile %.2f at pixel %d,%d is %s the bound %g" %
                         (d, at[0], at[1], "under" if over else "over", bound))
PYEOF

# page_size TRACE N: "W H" of page N from a trace ("page N WxH")
page_size() { awk -v n="$2" '$1 == "page" && $2 == n { split($3, a, "x"); print a[1], a[2] }' "$1"; }

# check_size NAME PNG TRACE PAGE DPI: PNG is a valid PNG of PAGE at DPI
check_size() {
  local name=$1 png=$2 trace=$3 page=$4 dpi=$5 wh
  wh=$(page_size "$trace" "$page")
  if [ -z "$wh" ]; then bad "$name: no page $page in the trace"; return; fi
  # shellcheck disable=SC2086
  if $PY "$T/png.py" size "$png" $wh "$dpi" >"$T/py" 2>&1; then ok; else
    bad "$name: $(cat "$T/py")"; fi
}

# the page sizes and counts, from the traces of the same documents
H=(handbook "$CAT" --role sre)
S=(sheet "$CAT" --role sre --from junior)
P=(profile "$CAT" --skill incident-response --style letter)
"$SKILLBOOK" "${H[@]}" --format trace -o "$T/h.trace" >/dev/null 2>&1 || bad "handbook trace"
"$SKILLBOOK" "${S[@]}" --format trace -o "$T/s.trace" >/dev/null 2>&1 || bad "sheet trace"
"$SKILLBOOK" "${P[@]}" --format trace -o "$T/p.trace" >/dev/null 2>&1 || bad "profile trace"
hpages=$(grep -c '^page ' "$T/h.trace")
[ "$hpages" -ge 3 ] && ok || bad "the handbook has $hpages pages; this test wants 3 or more"

# ==== A valid PNG of the page asked for, at the resolution asked for ====

# defaults: page 1, 96 dpi; stdout is the path
if "$SKILLBOOK" "${H[@]}" --format png -o "$T/h1.png" >"$T/out" 2>"$T/err"; then ok; else
  bad "handbook --format png: exit $? $(head -2 "$T/err")"; fi
[ "$(cat "$T/out")" = "$T/h1.png" ] && ok || bad "handbook png: stdout is not the path: $(head -c 200 "$T/out")"
check_size "handbook png (page 1, 96 dpi)" "$T/h1.png" "$T/h.trace" 1 96
"$SKILLBOOK" "${H[@]}" --format png --page 3 --dpi 150 -o "$T/h3.png" >/dev/null 2>&1 && ok ||
  bad "handbook --page 3 --dpi 150: exit $?"
check_size "handbook png (page 3, 150 dpi)" "$T/h3.png" "$T/h.trace" 3 150
cmp -s "$T/h1.png" "$T/h3.png" && bad "pages 1 and 3 give the same PNG" || ok
"$SKILLBOOK" "${H[@]}" --format png --page "$hpages" --dpi 10 -o "$T/hl.png" >/dev/null 2>&1 && ok ||
  bad "handbook --page $hpages (the last) --dpi 10: exit $?"
check_size "handbook png (last page, 10 dpi)" "$T/hl.png" "$T/h.trace" "$hpages" 10
"$SKILLBOOK" "${S[@]}" --format png --dpi 72 -o "$T/s1.png" >/dev/null 2>&1 && ok || bad "sheet --format png: exit $?"
check_size "sheet png (landscape, 72 dpi)" "$T/s1.png" "$T/s.trace" 1 72
"$SKILLBOOK" "${P[@]}" --format png --page 2 --dpi 120.5 -o "$T/p2.png" >/dev/null 2>&1 && ok ||
  bad "profile --format png --page 2 --dpi 120.5: exit $?"
check_size "profile png (letter, page 2, 120.5 dpi)" "$T/p2.png" "$T/p.trace" 2 120.5

# the same input gives the same bytes
"$SKILLBOOK" "${H[@]}" --format png -o "$T/again.png" >/dev/null 2>&1
cmp -s "$T/h1.png" "$T/again.png" && ok || bad "two png runs differ"

# -o - writes the PNG bytes, and nothing else, to stdout
"$SKILLBOOK" "${H[@]}" --format png -o - >"$T/stdout.png" 2>/dev/null && ok || bad "png -o -: exit $?"
cmp -s "$T/h1.png" "$T/stdout.png" && ok || bad "png -o - is not the same bytes as -o FILE"
[ "$(head -c 8 "$T/stdout.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] && ok ||
  bad "png -o -: stdout does not start with the PNG signature"

# the default path: the batch's stem and the page, never the batch's
# thumbnail (out/handbooks/sre.png belongs to the batch, issue #14)
mkdir -p "$T/cwd"
(cd "$T/cwd" && "$SKILLBOOK" "${H[@]}" --format png >"$T/out" 2>/dev/null) &&
  [ "$(cat "$T/out")" = "out/handbooks/sre+p1.png" ] && cmp -s "$T/cwd/out/handbooks/sre+p1.png" "$T/h1.png" &&
  [ ! -e "$T/cwd/out/handbooks/sre.png" ] &&
  ok || bad "png default output path: $(cat "$T/out")"

# ==== Usage errors: exit 2, nothing written ====

# expect2 NAME STDERR-PATTERN ARGS...
expect2() {
  local name=$1 pat=$2 rc
  shift 2
  rm -f "$T/x.png"
  "$SKILLBOOK" "$@" -o "$T/x.png" >"$T/out" 2>"$T/err"
  rc=$?
  if [ $rc = 2 ] && [ ! -e "$T/x.png" ] && grep -q -- "$pat" "$T/err"; then ok; else
    bad "$name: exit $rc (want 2), file $([ -e "$T/x.png" ] && echo written || echo absent), $(tail -1 "$T/err")"
  fi
}
expect2 "--page past the end" "document has $hpages pages" "${H[@]}" --format png --page $((hpages + 1))
expect2 "--page far past the end" "document has $hpages pages" "${H[@]}" --format png --page 999999
expect2 "sheet --page 2 (1 page)" "document has 1 page" "${S[@]}" --format png --page 2
for v in 0 -1 x 1.5 2x "" 99999999999; do
  expect2 "--page '$v'" "page" "${H[@]}" --format png --page "$v"
done
for v in 5 9.99 1201 0 -96 abc 96dpi "" nan inf 1e9; do
  expect2 "--dpi '$v'" "dpi" "${H[@]}" --format png --dpi "$v"
done
# -o x.png is --format png; an explicit --format that says otherwise is a
# usage error (--page and --dpi without png: tests/cli/around.sh)
expect2 "--page with --format pdf" "png" "${H[@]}" --format pdf --page 2
expect2 "--dpi with --format trace" "png" "${S[@]}" --format trace --dpi 150
expect2 "--format jpeg" "format" "${P[@]}" --format jpeg

# ==== The picture: png device vs poppler, tile by tile ====

if ! command -v pdftocairo >/dev/null; then
  echo "SKIP: pdftocairo is missing; the picture comparison did not run"
else
  # compare NAME PAGE ARGS...: page PAGE of the document, both ways at 50 dpi
  compare() {
    local name=$1 page=$2
    shift 2
    "$SKILLBOOK" "$@" -o "$T/$name.pdf" >/dev/null 2>&1 || { bad "$name: pdf: exit $?"; return; }
    "$SKILLBOOK" "$@" --format png --page "$page" --dpi 50 -o "$T/$name-sb.png" >/dev/null 2>&1 ||
      { bad "$name: png: exit $?"; return; }
    pdftocairo -png -r 50 -f "$page" -l "$page" -singlefile "$T/$name.pdf" "$T/$name-pc" 2>"$T/err" ||
      { bad "$name: pdftocairo: $(head -1 "$T/err")"; return; }
    if $PY "$T/png.py" compare "$T/$name-sb.png" "$T/$name-pc.png" $TILE_BOUND >"$T/py" 2>&1; then
      ok
      echo "$name page $page against pdftocairo: $(tail -1 "$T/py") (bound $TILE_BOUND)"
    else
      bad "$name page $page against pdftocairo: $(tail -1 "$T/py")"
    fi
  }
  compare handbook 1 "${H[@]}"
  compare handbook-charts 3 "${H[@]}"
  compare sheet 1 "${S[@]}"
  compare profile 1 "${P[@]}"
  # the comparison can fail: page 1 against poppler's page 2 is far over
  pdftocairo -png -r 50 -f 2 -l 2 -singlefile "$T/handbook.pdf" "$T/other" 2>/dev/null
  if $PY "$T/png.py" compare "$T/handbook-sb.png" "$T/other.png" $TILE_BOUND over >"$T/py" 2>&1; then ok; else
    bad "control: page 1 against page 2 passed the comparison: $(tail -1 "$T/py")"; fi
fi

finish
