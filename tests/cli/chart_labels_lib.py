#!/usr/bin/env python3
"""Chart labels read from the display list (tests/cli/chart_labels.sh).

Usage: chart_labels_lib.py SETDIR [SHOW]

Reads every trace tests/print_set.sh wrote into SETDIR and, on each page
that carries a chart (a page whose text holds a chart title in en, es or
ru), checks every text box:

- crossed: a line, the edge of a stroked rectangle or the box of a stroked
  path passes through the text's box (baseline - 0.75 size to baseline +
  0.22 size, x to x + w), unless an opaque filled rectangle drawn after the
  stroke and before the text covers the text's box (the chip under a bar's
  value); a filled rectangle or path drawn after the text over it hides it
  and counts too;
- outside: the box leaves the content box (the span of the page's widest
  horizontal rule, the running header's) or the page;
- cut: a chart-sized text (at most 8 pt) ends in an ellipsis;

and, per handbook, whether the page of the bar chart is left half blank:
- halfblank: the grid's title is on the next page while more than a third
  of the bar chart page's content height (between the running header's
  rule and the footer's) is empty under the chart.

Prints the first cases (SHOW, default 5, of each kind), then "TOTAL
pages=N crossed=N outside=N cut=N halfblank=N". Exit status 0 always; the
shell test reads the counts.
"""
import os
import re
import sys

BARS = {"Expectations per level", "Expectativas por nivel",
        "Ожидания по уровням"}
GRID = {"Expectations by level and area", "Expectativas por nivel y área",
        "Ожидания по уровням и областям",
        # the radar's titles before the grid: the check reads older traces
        "Mandatory coverage by area", "Cobertura obligatoria por área",
        "Обязательное покрытие по областям"}
TITLES = BARS | GRID
NUM = r"(-?[0-9.]+)"
KV = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)')


def parse(path):
    pages = []
    with open(path, encoding="utf-8") as f:
        for ln in f:
            ln = ln.rstrip("\n")
            kind, _, rest = ln.partition(" ")
            if kind == "page":
                w, h = rest.split()[1].split("x")
                pages.append({"w": float(w), "h": float(h), "ops": []})
                continue
            if not pages:
                continue
            op = {"kind": kind}
            text = None
            if kind == "text":
                q = rest.find('"')
                text = rest[q + 1:rest.rfind('"')]
                rest = rest[:q]
            for k, v in KV.findall(rest):
                op[k] = v
            if text is not None:
                op["text"] = text.replace('\\"', '"').replace("\\\\", "\\")
            pages[-1]["ops"].append(op)
    return pages


def f(op, k):
    return float(op[k])


def text_box(op):
    s, x, y, w = f(op, "s"), f(op, "x"), f(op, "y"), f(op, "w")
    return (x, y - 0.75 * s, x + w, y + 0.22 * s)


def inter(a, b, eps=0.05):
    return (a[0] < b[2] - eps and b[0] < a[2] - eps and
            a[1] < b[3] - eps and b[1] < a[3] - eps)


def covers(r, b):
    return r[0] <= b[0] and r[1] <= b[1] and r[2] >= b[2] and r[3] >= b[3]


def segs(op):
    """Stroked geometry of an op as boxes (a line is a thin box)."""
    k = op["kind"]
    if k == "line":
        lw = float(op.get("lw", "0.5")) / 2
        x0, y0, x1, y1 = f(op, "x0"), f(op, "y0"), f(op, "x1"), f(op, "y1")
        return [(min(x0, x1) - lw, min(y0, y1) - lw,
                 max(x0, x1) + lw, max(y0, y1) + lw)]
    if k == "rect" and op.get("stroke", "none") != "none":
        x, y, w, h = f(op, "x"), f(op, "y"), f(op, "w"), f(op, "h")
        return [(x, y, x + w, y), (x, y + h, x + w, y + h),
                (x, y, x, y + h), (x + w, y, x + w, y + h)]
    if k == "path" and op.get("stroke", "none") != "none" and "bbox" in op:
        return [tuple(float(v) for v in op["bbox"].split(","))]
    return []


def fill_box(op):
    k = op["kind"]
    if k == "rect" and op.get("fill", "none") != "none":
        x, y, w, h = f(op, "x"), f(op, "y"), f(op, "w"), f(op, "h")
        return (x, y, x + w, y + h)
    if k == "path" and op.get("fill", "none") != "none" and "bbox" in op:
        return tuple(float(v) for v in op["bbox"].split(","))
    return None


def check_page(pg):
    ops = pg["ops"]
    crossed, outside, cut = [], [], []
    rules = [o for o in ops if o["kind"] == "line" and
             abs(f(o, "y0") - f(o, "y1")) < 1e-6]
    if rules:
        widest = max(rules, key=lambda o: f(o, "x1") - f(o, "x0"))
        left, right = f(widest, "x0"), f(widest, "x1")
    else:
        left, right = 0, pg["w"]
    for i, t in enumerate(ops):
        if t["kind"] != "text" or not t["text"].strip():
            continue
        b = text_box(t)
        if (b[0] < left - 0.5 or b[2] > right + 0.5 or b[1] < 0 or
                b[3] > pg["h"]):
            outside.append(t["text"])
        if f(t, "s") <= 8.0 and (t["text"].endswith("\u2026") or
                                 t["text"].endswith("...")):
            cut.append(t["text"])
        hit = None
        for j, o in enumerate(ops):
            if j == i:
                continue
            if any(inter(s, b) for s in segs(o)):
                # hidden when an opaque fill between the stroke and the
                # text covers the text
                lo, hi = (j, i) if j < i else (None, None)
                if lo is not None and any(
                        fill_box(ops[k]) and covers(fill_box(ops[k]), b)
                        for k in range(lo + 1, hi)):
                    continue
                hit = o
                break
            if j > i:
                fb = fill_box(o)
                if fb and inter(fb, b):
                    hit = o
                    break
        if hit is not None:
            crossed.append("%s / %s" % (t["text"], hit["kind"]))
    return crossed, outside, cut


def op_bottom(o):
    k = o["kind"]
    if k == "text":
        return f(o, "y") + 0.22 * f(o, "s")
    if k == "line":
        return max(f(o, "y0"), f(o, "y1"))
    if k == "rect":
        return f(o, "y") + f(o, "h")
    if k == "path" and "bbox" in o:
        return float(o["bbox"].split(",")[3])
    return None


def half_blank(pages):
    """1 when the grid's title moved to the page after the bars' and the
    bars' page is more than a third empty under its content."""
    def page_of(titles):
        for n, pg in enumerate(pages):
            for o in pg["ops"]:
                if o["kind"] == "text" and o["text"] in titles and n > 0:
                    return n
        return None
    b, g = page_of(BARS), page_of(GRID)
    if b is None or g is None or g == b:
        return 0
    pg = pages[b]
    rules = sorted((f(o, "y0"), o) for o in pg["ops"]
                   if o["kind"] == "line" and
                   abs(f(o, "y0") - f(o, "y1")) < 1e-6 and
                   f(o, "x1") - f(o, "x0") > pg["w"] * 0.5)
    if len(rules) < 2:
        return 0
    top, foot = rules[0][0], rules[-1][0]
    low = max((op_bottom(o) for o in pg["ops"]
               if op_bottom(o) is not None and top + 1 < op_bottom(o) < foot - 1),
              default=top)
    return 1 if foot - low > (foot - top) / 3 else 0


def main():
    d = sys.argv[1]
    show = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    tot = {"pages": 0, "crossed": 0, "outside": 0, "cut": 0, "halfblank": 0}
    cases = {"crossed": [], "outside": [], "cut": [], "halfblank": []}
    for ln in open(os.path.join(d, "LIST"), encoding="utf-8"):
        cat, style, kind, ident = ln.split()
        if kind == "sheet":
            continue
        name = "%s.%s.%s.%s.trace" % (cat, style, kind, ident)
        pages = parse(os.path.join(d, name))
        if kind == "handbook" and half_blank(pages):
            tot["halfblank"] += 1
            cases["halfblank"].append(name)
        for n, pg in enumerate(pages, 1):
            if not any(o["kind"] == "text" and o["text"] in TITLES
                       for o in pg["ops"]):
                continue
            tot["pages"] += 1
            for what, got in zip(("crossed", "outside", "cut"),
                                 check_page(pg)):
                tot[what] += len(got)
                for g in got:
                    cases[what].append("%s page %d: %s" % (name, n, g))
    for what in ("crossed", "outside", "cut", "halfblank"):
        for c in cases[what][:show]:
            print("%s: %s" % (what, c))
    print("TOTAL pages=%d crossed=%d outside=%d cut=%d halfblank=%d" %
          (tot["pages"], tot["crossed"], tot["outside"], tot["cut"],
           tot["halfblank"]))


if __name__ == "__main__":
    main()
