#!/usr/bin/python3
"""tests/cli/fillable_lib.py -- the halves of tests/cli/fillable.sh that
need pikepdf (python3-pikepdf) and PIL: a fillable pack read field by
field against docs/forms.md and against the plain sheet's trace, and a
pack filled the way a person would.

usage: fillable_lib.py check PACK.pdf PLAIN.trace PERSON TTF [pack]
           the form of one fillable sheet (pack: with the sign-off);
           PLAIN.trace is the plain sheet's trace (the boxes the fields
           must lie over), PERSON the PERSON part of the names, TTF the
           regular face, which the form must embed whole
       fillable_lib.py fill PACK.pdf OUT.pdf TEXT [need]
           every radio group set to a state (self: towards, manager:
           meeting, agreed: exceeding), every notes field and the
           reviewer to TEXT; need: /NeedAppearances true (poppler then
           draws the text itself)
       fillable_lib.py boxdiff A.png B.png PACK.pdf PAGE WHAT
           whether the pictures (pdftoppm -r 72) differ inside the boxes
           of the fields of PAGE (1-based) whose name ends in :WHAT;
           prints "N of M boxes differ"
Prints "ok - ..." / "FAIL - ..." lines.
"""
import os
import re
import sys
from collections import defaultdict

import pikepdf
from pikepdf import Name

NS = "https://skillbook.dev/ns/pack/1.0/"
STATES = ["towards", "meeting", "exceeding"]


def say(ok, what):
    print(("ok - " if ok else "FAIL - ") + what)


def trace_items(path):
    """Per page (1-based): the check boxes (x, y, w, h, top-down) and the
    ruled lines (x0, x1, y) of a plain sheet's trace."""
    boxes, lines, pages = defaultdict(list), defaultdict(list), {}
    page = 0
    num = lambda k, s: float(re.search(r"\b%s=(-?[0-9.]+)" % k, s).group(1))
    for ln in open(path, encoding="utf-8"):
        if ln.startswith("page "):
            page = int(ln.split()[1])
            pages[page] = float(ln.split()[2].split("x")[1])
        elif ln.startswith("rect ") and "w=11.34 h=11.34 fill=none" in ln:
            boxes[page].append(tuple(num(k, ln) for k in "xywh"))
        elif ln.startswith("line "):
            y0, y1 = num("y0", ln), num("y1", ln)
            if abs(y0 - y1) < 0.01:
                lines[page].append((num("x0", ln), num("x1", ln), y0))
    return boxes, lines, pages


def widgets(pdf):
    """(page 1-based, widget, field) for every widget."""
    out = []
    for i, p in enumerate(pdf.pages):
        for a in p.obj.get("/Annots") or []:
            if a.get("/Subtype") == Name.Widget:
                out.append((i + 1, a, a if "/T" in a else a.Parent))
    return out


def check(path, tracep, person, ttf, pack):
    pdf = pikepdf.open(path)
    base = os.path.basename(path)
    af = pdf.Root.get("/AcroForm")
    if af is None:
        say(False, "%s: no AcroForm" % base)
        return
    say(not bool(af.get("/NeedAppearances", False)),
        "%s: no /NeedAppearances" % base)
    # the font typed answers use: the regular face whole
    fonts = list(af.DR.Font.keys())
    da = str(af.DA).split()[0][1:]
    f = af.DR.Font.get("/" + da)
    whole = False
    if f is not None and f.get("/Subtype") == Name.Type0:
        fd = f.DescendantFonts[0].FontDescriptor
        data = fd.FontFile2.read_bytes()
        whole = (data == open(ttf, "rb").read() and "+" not in str(fd.FontName))
    say(whole, "%s: the /DA font (%s of %s) is %s whole, no subset tag" %
        (base, da, fonts, os.path.basename(ttf)))
    # names and kinds
    fields = {str(x.T): x for x in af.Fields}
    bad = [n for n in fields if not re.match(r"^sb:%s:[^:.]+:[^:.]+$" %
                                             re.escape(person), n)]
    say(not bad, "%s: %d field names sb:%s:SKILL:QUESTION%s" %
        (base, len(fields), person, "" if not bad else " (not: %s)" % bad[:3]))
    per = defaultdict(dict)
    for n, x in fields.items():
        _, _, sk, q = n.split(":")
        per[sk][q] = x
    skills = [s for s in per if not s.startswith("_")]
    boxes, lines, pages = trace_items(tracep)
    nbox = sum(len(v) for v in boxes.values())
    rows = nbox // 9
    say(nbox % 9 == 0 and len(skills) == rows and rows > 0,
        "%s: %d skills with fields, %d rows of check boxes in the plain "
        "sheet" % (base, len(skills), rows))
    ok_rows = 0
    for s in skills:
        d = per[s]
        good = set(d) == {"self", "manager", "agreed", "notes"}
        for q in ("self", "manager", "agreed"):
            x = d.get(q)
            if x is None:
                good = False
                continue
            kids = list(x.get("/Kids") or [])
            kids.sort(key=lambda k: float(k.Rect[0]))
            on = [[str(k)[1:] for k in kd.AP.N.keys() if k != "/Off"]
                  for kd in kids]
            good = good and (x.get("/FT") == Name.Btn and
                             int(x.get("/Ff", 0)) & (1 << 15) and
                             x.get("/V") == Name.Off and len(kids) == 3 and
                             on == [[s2] for s2 in STATES] and
                             all(kd.get("/AS") == Name.Off for kd in kids))
        n = d.get("notes")
        good = good and n is not None and n.get("/FT") == Name.Tx and \
            int(n.get("/Ff", 0)) & (1 << 12)
        ok_rows += bool(good)
    say(ok_rows == len(skills),
        "%s: every skill row: self, manager, agreed (radio groups of 3 "
        "buttons towards/meeting/exceeding, /V /Off) and notes (multi-line): "
        "%d of %d" % (base, ok_rows, len(skills)))
    head = set(per.get("_head", {}))
    say(head == {"name", "reviewer", "date"}, "%s: header fields %s" %
        (base, sorted(head)))
    so = set(per.get("_signoff", {}))
    want = {"engineer-date", "reviewer-date"} if pack else set()
    say(so == want, "%s: sign-off fields %s" % (base, sorted(so)))
    ws = widgets(pdf)
    nw = 10 * rows + 3 + (2 if pack else 0)
    say(len(ws) == nw, "%s: %d widgets (%d expected: 9 buttons and 1 text "
        "a row, 3 header, %d sign-off)" % (base, len(ws), nw, 2 if pack else 0))
    flaws = [str(fl.T) for _, w, fl in ws
             if not str(fl.get("/TU", "")).strip() or int(w.get("/F", 0)) != 4
             or "/N" not in (w.get("/AP") or {})]
    say(not flaws, "%s: every widget: /TU, /F 4, /AP /N%s" %
        (base, "" if not flaws else " (not: %s)" % flaws[:3]))
    # the buttons lie exactly over the plain sheet's check boxes (to 0.02
    # pt: libharu writes reals to a few decimals)
    got = defaultdict(list)
    for pg, w, fl in ws:
        if fl.get("/FT") == Name.Btn:
            r = [float(v) for v in w.Rect]
            got[pg].append((r[0], pages[pg] - r[3], r[2] - r[0], r[3] - r[1]))
    near = lambda a, b: all(abs(x - y) <= 0.02 for x, y in zip(a, b))
    matched = sum(1 for pg, bx in boxes.items() for b in bx
                  if any(near(b, g) for g in got[pg]))
    ngot = sum(len(v) for v in got.values())
    say(matched == nbox == ngot, "%s: the %d buttons lie over the plain "
        "sheet's %d check boxes (%d matched)" % (base, ngot, nbox, matched))
    # each notes field covers the evidence cell's ruled lines
    cover = 0
    notes = [(pg, w) for pg, w, fl in ws if str(fl.T).endswith(":notes")]
    for pg, w in notes:
        r = [float(v) for v in w.Rect]
        top, bot = pages[pg] - r[3], pages[pg] - r[1]
        n = [l for l in lines[pg] if r[0] - 1 <= l[0] and l[1] <= r[2] + 1
             and top <= l[2] <= bot]
        cover += len(n) >= 2
    say(cover == len(notes) and notes, "%s: every notes field covers its "
        "evidence lines (%d of %d)" % (base, cover, len(notes)))
    # the identity
    with pdf.open_metadata() as m:
        got = {k: m.get("{%s}%s" % (NS, k)) for k in
               ("formVersion", "person", "role", "from", "toRole", "to",
                "ladderTitle", "ladderVersion")}
    say(got["formVersion"] == "1" and got["person"] == person.replace("~", ".") and
        all(got[k] for k in ("role", "from", "toRole", "to")) and
        got["ladderVersion"] is not None,
        "%s: the XMP identity %s" % (base, got))


def fill(path, out, text, need):
    pdf = pikepdf.open(path)
    q2s = {"self": "towards", "manager": "meeting", "agreed": "exceeding"}
    for f in pdf.Root.AcroForm.Fields:
        q = str(f.T).split(":")[-1]
        if q in q2s:
            st = Name("/" + q2s[q])
            f.V = st
            for k in f.Kids:
                k.AS = st if st in k.AP.N else Name.Off
        elif q in ("notes", "reviewer"):
            f.V = pikepdf.String(text)
    if need:
        pdf.Root.AcroForm.NeedAppearances = True
    pdf.save(out)


def boxdiff(a, b, path, page, what):
    from PIL import Image, ImageChops
    ia, ib = Image.open(a).convert("RGB"), Image.open(b).convert("RGB")
    pdf = pikepdf.open(path)
    p = pdf.pages[page - 1]
    h = float(p.MediaBox[3])
    n = m = 0
    for pg, w, fl in widgets(pdf):
        if pg != page or not str(fl.T).endswith(":" + what):
            continue
        r = [float(v) for v in w.Rect]
        box = (int(r[0]) + 1, int(h - r[3]) + 1, int(r[2]) - 1, int(h - r[1]) - 1)
        m += 1
        if ImageChops.difference(ia.crop(box), ib.crop(box)).getbbox():
            n += 1
    print("%d of %d boxes differ" % (n, m))


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5],
              len(sys.argv) > 6 and sys.argv[6] == "pack")
    elif sys.argv[1] == "fill":
        fill(sys.argv[2], sys.argv[3], sys.argv[4],
             len(sys.argv) > 5 and sys.argv[5] == "need")
    elif sys.argv[1] == "boxdiff":
        boxdiff(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]),
                sys.argv[6])
