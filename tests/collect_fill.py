#!/usr/bin/python3
"""tests/collect_fill.py -- fills, edits and checks review packs for
tests/cli/collect.sh, with pikepdf (which has no form module: values are
set as the PDF says, /V on the field and /AS on each radio button).

  fixture OUT.pdf --person P [--version V] [--skills a,b] [--no-xmp]
      a small pack made by hand per docs/forms.md (fields and XMP), for
      when the program cannot make fillable packs itself
  fill IN.pdf OUT.pdf --seed N --expect OUT.json [--cyrillic]
      random answers (seeded) in every field; /NeedAppearances true so
      that `qpdf --generate-appearances` draws them; the values written
      go to OUT.json as {"person", "head": {...}, "rows": {skill: {q: v}}}
      (a reviewer's book: {"people": [those, one per person]})
  incremental IN.pdf OUT.pdf --expect E.json --seed N
      changes a few answers by appending an update section by hand (new
      objects, an xref section, a trailer with /Prev), as a viewer's
      "save" does; updates E.json
  mangle IN.pdf OUT.pdf --rename NAME=NEW... --remove NAME... --drop-v NAME...
      (--drop-v: a field without /V, as some programs save a radio group
      whose buttons' /AS alone say the choice)
  setxmp IN.pdf OUT.pdf KEY=VALUE... [--attrs]  (an empty VALUE removes
      the key; --attrs writes the properties as attributes)
  check OUT.csv|OUT.json E.json... [--names]   compares collect's output
      with the expectations: prints "VALUES WRONG [first wrong...]"
  clear IN.pdf OUT.pdf [SUFFIX]   empties the text fields (whose names
      end in SUFFIX): the baseline a render of typed text is compared to
  formfont IN.pdf   prints the /DR fonts: "/Name /BaseFont"
  boxes IN.pdf E.json [radio|text|:NAME]   prints "page x0 y0 x1 y1 name" (points, top-left
      origin) of every widget whose value is not empty
  inked BLANK.ppm FILLED.ppm BOXES DPI  prints how many of the boxes
      differ in pixels between the two renders, and the names that do not
"""
import json
import random
import re
import sys

import pikepdf
from pikepdf import Array, Dictionary, Name, String

NS = "https://skillbook.dev/ns/pack/1.0/"
STATES = ["towards", "meeting", "exceeding"]
WORDS = ("led the migration of the billing service, wrote runbooks, "
         "mentored two engineers, reviewed designs; on call, \"quoted\" "
         "and, commas").split()
CYR = "Провела миграцию сервиса, написала инструкции"


def xmp_packet(props):
    inner = "".join(f"   <sbpack:{k}>{v}</sbpack:{k}>\n" for k, v in props.items())
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
            ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
            f'  <rdf:Description rdf:about="" xmlns:sbpack="{NS}">\n'
            f'{inner}  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n'
            '<?xpacket end="w"?>').encode("utf-8")


def enc(i):
    return i.replace(".", "~")


def fixture(out, person, version, skills, no_xmp):
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    helv = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1,
                                        BaseFont=Name.Helvetica,
                                        Encoding=Name.WinAnsiEncoding))
    fields, annots = Array(), Array()

    def ap(w, h, on):
        s = pdf.make_stream(b"0 g 2 2 %d %d re f" % (w - 4, h - 4) if on else b"")
        s.Type, s.Subtype, s.BBox = Name.XObject, Name.Form, [0, 0, w, h]
        return s

    def text(name, x, y, w, h, multi):
        f = pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String(name),
            TU=String(name), Rect=[x, y, x + w, y + h], F=4, P=page.obj,
            DA=String("/Helv 9 Tf 0 g"), V=String(""),
            AP=Dictionary(N=ap(w, h, False))))
        f.AP.N.Resources = Dictionary(Font=Dictionary(Helv=helv))
        if multi:
            f.Ff = 4096
        fields.append(f)
        annots.append(f)

    def radio(name, x, y):
        g = pdf.make_indirect(Dictionary(FT=Name.Btn, T=String(name),
                                         TU=String(name), Ff=49152, V=Name.Off,
                                         Kids=Array()))
        for i, st in enumerate(STATES):
            k = pdf.make_indirect(Dictionary(
                Type=Name.Annot, Subtype=Name.Widget, Parent=g, F=4, P=page.obj,
                Rect=[x + 14 * i, y, x + 14 * i + 10, y + 10], AS=Name.Off,
                AP=Dictionary(N=Dictionary({"/" + st: ap(10, 10, True),
                                            "/Off": ap(10, 10, False)}))))
            g.Kids.append(k)
            annots.append(k)
        fields.append(g)

    p = enc(person)
    for i, q in enumerate(["name", "reviewer", "date"]):
        text(f"sb:{p}:_head:{q}", 60 + 170 * i, 790, 160, 14, False)
    y = 740
    for sk in skills:
        for i, q in enumerate(["self", "manager", "agreed"]):
            radio(f"sb:{p}:{enc(sk)}:{q}", 60 + 50 * i, y + 20)
        text(f"sb:{p}:{enc(sk)}:notes", 220, y, 320, 34, True)
        y -= 50
    for i, q in enumerate(["engineer-date", "reviewer-date"]):
        text(f"sb:{p}:_signoff:{q}", 60 + 170 * i, 40, 160, 14, False)
    page.obj.Annots = annots
    pdf.Root.AcroForm = Dictionary(Fields=fields, DA=String("/Helv 9 Tf 0 g"),
                                   DR=Dictionary(Font=Dictionary(Helv=helv)))
    if not no_xmp:
        md = pdf.make_stream(xmp_packet({
            "formVersion": "1", "person": person, "role": "sre",
            "from": "junior", "toRole": "sre", "to": "middle",
            "ladderTitle": "Engineering skills", "ladderVersion": version}))
        md.Type, md.Subtype = Name.Metadata, Name.XML
        pdf.Root.Metadata = md
    pdf.save(out)


def walk_fields(pdf):
    """(full name, field dict) of every terminal field."""
    out = []

    def go(f, prefix):
        name = prefix
        if "/T" in f:
            t = str(f.T)
            name = f"{prefix}.{t}" if prefix else t
        kids = f.get("/Kids")
        if kids is not None and any("/T" in k for k in kids):
            for k in kids:
                go(k, name)
        else:
            out.append((name, f))
    for f in pdf.Root.AcroForm.Fields:
        go(f, "")
    return out


def split(name):
    parts = name.split(":")
    if len(parts) != 4 or parts[0] != "sb":
        return None
    return [x.replace("~", ".") for x in parts[1:]]


def set_radio(f, state):
    f.V = Name("/" + state) if state else Name.Off
    for k in f.Kids:
        on = state and ("/" + state) in k.AP.N.keys()
        k.AS = Name("/" + state) if on else Name.Off


def random_text(rng, cyr, lines):
    out = []
    for _ in range(lines):
        words = [rng.choice(WORDS) for _ in range(rng.randint(2, 8))]
        out.append(" ".join(words))
    s = "\n".join(out)
    if cyr:
        s = CYR + ("\n" + s if s else "")
    return s


def fill(src, dst, seed, expect, cyr):
    rng = random.Random(seed)
    pdf = pikepdf.open(src)
    exps = {}   # person -> {"person", "head", "rows"}: a book has several
    formula_done = False
    for name, f in walk_fields(pdf):
        parts = split(name)
        if not parts:
            continue
        person, skill, q = parts
        exp = exps.setdefault(person, {"person": person, "head": {}, "rows": {}})
        if q in ("self", "manager", "agreed"):
            state = rng.choice(STATES + [""])
            set_radio(f, state)
            exp["rows"].setdefault(skill, {})[q] = state
            continue
        if skill == "_head":
            v = {"name": "Анна Петрова" if cyr else "Ada Lovelace",
                 "reviewer": "Grace Hopper", "date": "2026-12-0%d" % rng.randint(1, 9)}[q]
        elif skill == "_signoff":
            v = "2026-12-1%d" % rng.randint(0, 9)
        else:
            v = random_text(rng, cyr and rng.random() < 0.5, rng.randint(0, 3))
            if not formula_done and v:
                v = "=1+2 " + v   # a spreadsheet formula, to be defused
                formula_done = True
        f.V = String(v)
        if skill in ("_head", "_signoff"):
            exp["head"][q] = v
        else:
            exp["rows"].setdefault(skill, {})[q] = v
    pdf.Root.AcroForm.NeedAppearances = True
    pdf.save(dst)
    out = list(exps.values())
    out = out[0] if len(out) == 1 else {"people": out}
    json.dump(out, open(expect, "w"), ensure_ascii=False, indent=1)


def incremental(src, dst, expect, seed):
    """Appends one update section changing up to three fields."""
    rng = random.Random(seed)
    data = open(src, "rb").read()
    prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    exp = json.load(open(expect))
    pdf = pikepdf.open(src)
    changed = {}   # objgen -> dict to write
    nn = na = 0
    for name, f in walk_fields(pdf):
        parts = split(name)
        if not parts or parts[1].startswith("_"):
            continue
        person, skill, q = parts
        if q == "notes" and nn < 2:
            v = "updated in a viewer, appended section %d" % nn
            f.V = String(v)
            changed[f.objgen] = f
            nn += 1
        elif q == "agreed" and na < 2:
            old = exp["rows"][skill].get(q, "")
            v = rng.choice([s for s in STATES if s != old])
            set_radio(f, v)
            changed[f.objgen] = f
            for k in f.Kids:
                changed[k.objgen] = k
            na += 1
        else:
            continue
        exp["rows"][skill][q] = v
    body = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets = {}
    for (num, gen), obj in sorted(changed.items()):
        offsets[num] = (len(body), gen)
        body += b"%d %d obj\n" % (num, gen)
        body += obj.unparse(resolved=True)
        body += b"\nendobj\n"
    xref = len(body)
    body += b"xref\n"
    for num in sorted(offsets):
        off, gen = offsets[num]
        body += b"%d 1\n%010d %05d n \n" % (num, off, gen)
    root = pdf.trailer.Root.objgen
    size = max(int(pdf.trailer.Size), max(offsets) + 1)
    trailer = b"trailer\n<< /Size %d /Root %d %d R /Prev %d" % (size, root[0], root[1], prev)
    if "/Info" in pdf.trailer:
        info = pdf.trailer.Info.objgen
        trailer += b" /Info %d %d R" % info
    if "/ID" in pdf.trailer:
        trailer += b" /ID " + pdf.trailer.ID.unparse()
    body += trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    open(dst, "wb").write(bytes(body))
    json.dump(exp, open(expect, "w"), ensure_ascii=False, indent=1)


def mangle(src, dst, renames, removes, dropv=()):
    pdf = pikepdf.open(src)
    gone = set()
    for name, f in walk_fields(pdf):
        if name in dropv and "/V" in f:
            del f["/V"]
        if name in renames:
            f.T = String(renames[name])
        if name in removes:
            gone.add(f.objgen)
            for k in f.get("/Kids", []):
                gone.add(k.objgen)
    fl = pdf.Root.AcroForm.Fields
    keep = [f for f in fl if f.objgen not in gone]
    pdf.Root.AcroForm.Fields = Array(keep)
    for page in pdf.pages:
        if "/Annots" in page.obj:
            page.obj.Annots = Array([a for a in page.obj.Annots if a.objgen not in gone])
    pdf.save(dst)


def setxmp(src, dst, pairs):
    """Edits the sbpack properties in the XMP text (elements, as the
    program writes them); "--attrs" rewrites them all as attributes of
    their rdf:Description, the abbreviated form other programs write."""
    pdf = pikepdf.open(src)
    x = pdf.Root.Metadata.read_bytes().decode("utf-8")
    for p in pairs:
        if p == "--attrs":
            props = re.findall(r"<sbpack:(\w+)>([^<]*)</sbpack:\1>\s*", x)
            x = re.sub(r"<sbpack:(\w+)>([^<]*)</sbpack:\1>\s*", "", x)
            attrs = "".join(f' sbpack:{k}="{v}"' for k, v in props)
            x = x.replace('rdf:about=""', 'rdf:about=""' + attrs, 1)
            continue
        k, v = p.split("=", 1)
        pat = r"<sbpack:%s>[^<]*</sbpack:%s>" % (k, k)
        assert re.search(pat, x), k
        x = re.sub(pat, f"<sbpack:{k}>{v}</sbpack:{k}>" if v else "", x)
    pdf.Root.Metadata.write(x.encode("utf-8"))
    pdf.save(dst)


def boxes(src, expect, kind):
    """kind: radio (the buttons that are on), text, or a field name's end
    (":name") for one field."""
    exp = json.load(open(expect))
    pdf = pikepdf.open(src)
    pages = {p.objgen: i + 1 for i, p in enumerate(pdf.pages)}
    for name, f in walk_fields(pdf):
        parts = split(name)
        if not parts:
            continue
        person, skill, q = parts
        v = exp["head"].get(q) if skill.startswith("_") else exp["rows"].get(skill, {}).get(q)
        radio = q in ("self", "manager", "agreed")
        if not v or (kind == "radio" and not radio) or (kind == "text" and radio) \
                or (kind.startswith(":") and not name.endswith(kind)):
            continue
        widgets = f.Kids if "/Kids" in f else [f]
        for w in widgets:
            if q in ("self", "manager", "agreed") and str(w.get("/AS", "/Off")) == "/Off":
                continue
            pg = pages.get(w.P.objgen, 1) if "/P" in w else 1
            mb = pdf.pages[pg - 1].mediabox
            x0, y0, x1, y1 = [float(c) for c in w.Rect]
            top = float(mb[3])
            print(pg, x0, top - y1, x1, top - y0, name.replace(" ", "_"))


def read_ppm(path):
    data = open(path, "rb").read()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():]


def inked(blank, filled, boxfile, dpi):
    w, h, a = read_ppm(blank)
    _, _, b = read_ppm(filled)
    s = float(dpi) / 72.0
    good, badnames = 0, []
    for line in open(boxfile):
        _, x0, y0, x1, y1, name = line.split()
        X0, Y0 = int(float(x0) * s) + 1, int(float(y0) * s) + 1
        X1, Y1 = min(int(float(x1) * s) - 1, w), min(int(float(y1) * s) - 1, h)
        diff = 0
        for y in range(Y0, Y1):
            row = (y * w) * 3
            if a[row + X0 * 3:row + X1 * 3] != b[row + X0 * 3:row + X1 * 3]:
                diff = 1
                break
        if diff:
            good += 1
        else:
            badnames.append(name)
    print(good, " ".join(badnames[:5]))


def defuse(v):
    return "'" + v if v and v[0] in "=+-@\t\r" else v


def check(out, expects, names):
    """Every expected value back in the output of collect (CSV or JSON):
    prints "N values checked, M wrong" and the first wrong ones."""
    got = {}   # (person, skill, question) -> value
    heads = {}
    raw = open(out, "rb").read()
    if out.endswith(".json"):
        for p in json.loads(raw):
            heads[p["person"]] = p
            for r in p["skills"]:
                for q in ("self", "manager", "agreed", "notes"):
                    if r[q] is not None:
                        got[(r.get("person", p["person"]), r["skill"], q)] = r[q]
        csv_mode = False
    else:
        import csv, io
        assert raw.startswith(b"\xef\xbb\xbf"), "no BOM"
        rows = list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
        for r in rows:
            got[(r["person"], r["skill"], r["question"])] = r["value"]
            heads[r["person"]] = r
        csv_mode = True
    n, wrong = 0, []
    people = []
    for e in expects:
        x = json.load(open(e))
        people += [(e, p) for p in x["people"]] if "people" in x else [(e, x)]
    for e, exp in people:
        person = exp["person"]
        for skill, qs in exp["rows"].items():
            for q, v in qs.items():
                n += 1
                want = defuse(v) if csv_mode else v
                if got.get((person, skill, q)) != want:
                    wrong.append(f"{e}: {skill}:{q}")
        h = heads.get(person, {})
        for q, key in (("date", "date"), ("engineer-date", "engineer_date"),
                       ("reviewer-date", "reviewer_date")):
            if q in exp["head"]:
                n += 1
                if h.get(key) != exp["head"][q]:
                    wrong.append(f"{e}: head {q}")
        if names:
            for q in ("name", "reviewer"):
                n += 1
                if h.get(q) != exp["head"].get(q):
                    wrong.append(f"{e}: head {q}")
    print(n, len(wrong), " ".join(wrong[:5]))


def main(argv):
    cmd = argv[1]
    if cmd == "fixture":
        out = argv[2]
        opts = dict(person=None, version="2026.03", skills="coding,testing,obs.tracing")
        no_xmp = "--no-xmp" in argv
        args = [a for a in argv[3:] if a != "--no-xmp"]
        for k, v in zip(args[::2], args[1::2]):
            opts[k.lstrip("-")] = v
        fixture(out, opts["person"], opts["version"], opts["skills"].split(","), no_xmp)
    elif cmd == "fill":
        args = argv[4:]
        cyr = "--cyrillic" in args
        args = [a for a in args if a != "--cyrillic"]
        o = dict(zip(args[::2], args[1::2]))
        fill(argv[2], argv[3], int(o["--seed"]), o["--expect"], cyr)
    elif cmd == "incremental":
        o = dict(zip(argv[4::2], argv[5::2]))
        incremental(argv[2], argv[3], o["--expect"], int(o["--seed"]))
    elif cmd == "mangle":
        ren, rem, dropv, i = {}, set(), set(), 4
        while i < len(argv):
            if argv[i] == "--rename":
                a, b = argv[i + 1].split("=", 1)
                ren[a] = b
            elif argv[i] == "--remove":
                rem.add(argv[i + 1])
            elif argv[i] == "--drop-v":
                dropv.add(argv[i + 1])
            i += 2
        mangle(argv[2], argv[3], ren, rem, dropv)
    elif cmd == "setxmp":
        setxmp(argv[2], argv[3], argv[4:])
    elif cmd == "boxes":
        boxes(argv[2], argv[3], argv[4] if len(argv) > 4 else "all")
    elif cmd == "clear":
        pdf = pikepdf.open(argv[2])
        for name, f in walk_fields(pdf):
            if str(f.get("/FT", "")) == "/Tx" and name.endswith(argv[4] if len(argv) > 4 else ""):
                f.V = String("")
        pdf.save(argv[3])
    elif cmd == "formfont":
        pdf = pikepdf.open(argv[2])
        for k, f in pdf.Root.AcroForm.DR.Font.items():
            print(k, str(f.BaseFont))
    elif cmd == "inked":
        inked(argv[2], argv[3], argv[4], argv[5])
    elif cmd == "check":
        names = "--names" in argv
        args = [a for a in argv[3:] if a != "--names"]
        check(argv[2], args, names)
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
