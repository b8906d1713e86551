#!/usr/bin/env bash
# tests/cli/sheet_writing.sh -- room to write by hand on a level comparison
# sheet, measured from the trace (issue #16 item 6: 2.4 mm tick boxes and
# evidence lines 6 mm apart were tight). In every style, on the bundled
# catalogue and a generated medium one: every check box of the assessment
# (the squares on the rows of "Self", "Manager" and "Agreed") is at least
# 3.8 mm square and the boxes of two rows do not touch; the ruled lines of
# the evidence column (the lines that start under the "Evidence" header)
# are at least 7.9 mm apart, at least two in a row.
SB_TEST_NAME=sheet_writing
. "$(dirname "$0")/lib.bash"

"$PY" "$SRC/scripts/gen-catalog.py" --size medium --seed 2 -o "$T/medium.xml"
docs=()
for style in default letter branded ink-saver; do
  for c in "bundled:$SRC/catalog:backend-engineer:middle:senior" \
           "medium:$T/medium.xml:r01:l2:l3"; do
    IFS=: read -r name path role from to <<<"$c"
    f="$T/$name.$style.trace"
    if "$SKILLBOOK" sheet "$path" --role "$role" --from "$from" --to "$to" \
        --style "$style" --format trace -o "$f" >/dev/null 2>"$T/err"; then
      docs+=("$f")
    else
      bad "sheet $name in $style" "$(cat "$T/err")"
    fi
  done
done

measure() {
  "$PY" - "$@" <<'EOF'
import re, sys
MM = 72 / 25.4
TEXT = re.compile(r'^text f=\d+ s=([\d.]+) x=([\d.-]+) y=([\d.-]+) w=([\d.]+).*? "(.*)"$')
RECT = re.compile(r'^rect x=([\d.-]+) y=([\d.-]+) w=([\d.]+) h=([\d.]+) fill=none')
LINE = re.compile(r'^line x0=([\d.-]+) y0=([\d.-]+) x1=([\d.-]+) y1=([\d.-]+)')
worst_box, worst_gap, worst_air, fails = 1e9, 1e9, 1e9, []
nbox = nlines = 0
for path in sys.argv[1:]:
    pages = []
    for ln in open(path, encoding="utf-8"):
        if ln.startswith("page "):
            pages.append({"text": [], "rect": [], "line": []})
        elif (m := TEXT.match(ln)):
            pages[-1]["text"].append((float(m[1]), float(m[2]), float(m[3]), m[5]))
        elif (m := RECT.match(ln)):
            pages[-1]["rect"].append(tuple(map(float, m.groups())))
        elif (m := LINE.match(ln)):
            pages[-1]["line"].append(tuple(map(float, m.groups())))
    ev_x = None
    for n, pg in enumerate(pages, 1):
        for s, x, y, t in pg["text"]:
            if t.startswith("Evidence"):
                ev_x = x
        # the check boxes: open squares right of a row label, centred on it
        rows = []
        for s, x, y, t in pg["text"]:
            if t not in ("Self", "Manager", "Agreed"):
                continue
            mid = y - 0.35 * s
            boxes = [r for r in pg["rect"] if r[0] > x and abs(r[2] - r[3]) < 0.01
                     and abs(r[1] + r[3] / 2 - mid) < 2]
            if len(boxes) != 3:
                fails.append("%s page %d: %d boxes beside %s" % (path, n, len(boxes), t))
                continue
            nbox += 3
            worst_box = min(worst_box, min(b[2] for b in boxes))
            rows.append((min(b[1] for b in boxes), max(b[1] + b[3] for b in boxes)))
        rows.sort()
        for a, b in zip(rows, rows[1:]):
            worst_air = min(worst_air, b[0] - a[1])
        # the evidence lines: horizontal, starting under the header's text
        if ev_x is None:
            continue
        ys = sorted(l[1] for l in pg["line"]
                    if abs(l[0] - ev_x) < 0.01 and l[1] == l[3] and l[2] > l[0])
        nlines += len(ys)
        for a, b in zip(ys, ys[1:]):
            worst_gap = min(worst_gap, b - a)
        if len(ys) < 2 * len([1 for t in pg["text"] if t[3] == "Self"]):
            fails.append("%s page %d: %d evidence lines for %d rows"
                         % (path, n, len(ys), len([1 for t in pg["text"] if t[3] == "Self"])))
print("boxes %d, smallest %.2f mm; air between box rows %.2f mm; "
      "evidence lines %d, closest %.2f mm apart"
      % (nbox, worst_box / MM, worst_air / MM, nlines, worst_gap / MM))
if nbox == 0 or nlines == 0:
    fails.append("no check box or evidence line found")
if worst_box < 3.8 * MM:
    fails.append("a check box of %.2f mm" % (worst_box / MM))
if worst_air < 1.0 * MM:
    fails.append("box rows %.2f mm apart" % (worst_air / MM))
if worst_gap < 7.9 * MM:
    fails.append("evidence lines %.2f mm apart" % (worst_gap / MM))
for f in fails[:20]:
    print("FAIL:", f)
sys.exit(1 if fails else 0)
EOF
}

if measure "${docs[@]}" >"$T/m.out" 2>&1; then
  ok "$(head -1 "$T/m.out")"
else
  bad "room to write on the sheets" "$(cat "$T/m.out")"
fi
finish
