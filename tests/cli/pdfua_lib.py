#!/usr/bin/python3
"""tests/cli/pdfua_lib.py -- the halves of tests/cli/pdfua.sh that need
pikepdf: the mutation tests (each rule of tests/pdfua_check.py broken
alone in a good PDF, and the checker must name it) and the read-back of
`pdfinfo -struct-text` against the trace.

usage: pdfua_lib.py mutate GOOD.pdf TMPDIR
       pdfua_lib.py mutate-form GOOD.pdf TMPDIR (a fillable pack: the
                    'form' rule broken four ways, tests/cli/fillable.sh)
       pdfua_lib.py readback FILE.pdf FILE.trace
       pdfua_lib.py legend FILE.pdf (a handbook: the legend's Lbl)
       pdfua_lib.py labels FILE.pdf LANG (a handbook of the bundled
                    catalogue with --lang LANG: label language tagged;
                    LANG the document's: no /Lang but the catalogue's)
Prints "ok - ..." / "FAIL - ..." lines.
"""
import os
import re
import subprocess
import sys

import pikepdf
from pikepdf import Name, Dictionary, Array

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pdfua_check  # noqa: E402


def say(ok, what):
    print(("ok - " if ok else "FAIL - ") + what)


def elements(pdf):
    """Every structure element, in document order."""
    out = []

    def walk(e):
        out.append(e)
        k = e.get("/K")
        for x in (list(k) if isinstance(k, Array) else [k] if k is not None else []):
            if isinstance(x, Dictionary) and "/S" in x and x.get("/Type") not in (Name.MCR, Name.OBJR):
                walk(x)

    walk(pdf.Root.StructTreeRoot.K)
    return out


def first(pdf, s, pred=lambda e: True):
    for e in elements(pdf):
        if e.get("/S") == Name(s) and pred(e):
            return e
    raise LookupError(s)


def kids(e):
    k = e.K
    return k if isinstance(k, Array) else None


# Each mutation breaks one rule; returns nothing (modifies pdf in place).
def m_markinfo(pdf):
    del pdf.Root["/MarkInfo"]


def m_lang(pdf):
    del pdf.Root["/Lang"]


def m_langtag(pdf):  # a paragraph's /Lang that is no language tag
    first(pdf, "/P").Lang = pikepdf.String("not a tag!")


def m_title(pdf):
    del pdf.Root["/ViewerPreferences"]


def m_xmp(pdf):
    raw = pdf.Root.Metadata.read_bytes()
    raw = re.sub(rb'(<dc:title><rdf:Alt><rdf:li xml:lang="x-default">)', rb"\1Not ", raw)
    pdf.Root.Metadata.write(raw)


def m_intent(pdf):
    prof = pdf.Root.OutputIntents[0].DestOutputProfile
    data = bytearray(prof.read_bytes())
    data[36:40] = b"xxxx"
    prof.write(bytes(data))


def m_tabs(pdf):
    del pdf.pages[0].obj["/Tabs"]


def m_structparents(pdf):
    del pdf.pages[0].obj["/StructParents"]


def m_unmarked(pdf):
    pdf.pages[0].contents_add(pdf.make_stream(b"0 0 m 10 10 l S\n"), prepend=True)


def m_mcid(pdf):  # content left unowned: an MCID dropped from its element
    for e in elements(pdf):
        k = kids(e)
        if k is not None:
            for i, x in enumerate(k):
                if isinstance(x, int) or (not isinstance(x, Dictionary) and hasattr(x, "__int__")):
                    del k[i]
                    return
    raise LookupError("mcid")


def m_parenttree(pdf):
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    arr = nums[1]
    other = first(pdf, "/Document")
    arr[0] = other


def m_heading(pdf):  # an H2 that follows an H1 becomes H4
    prev = None
    for e in elements(pdf):
        s = str(e.get("/S"))
        if re.match(r"^/H[1-6]$", s):
            if s == "/H2" and prev == "/H1":
                e.S = Name("/H4")
                return
            prev = s
    raise LookupError("heading")


def m_table(pdf):
    tr = first(pdf, "/TR", lambda e: kids(e) is not None and len(kids(e)) > 1)
    del kids(tr)[len(kids(tr)) - 1]


def m_scope(pdf):
    del first(pdf, "/TH")["/A"]


def m_alt(pdf):
    del first(pdf, "/Figure")["/Alt"]


def m_link(pdf):
    link = first(pdf, "/Link")
    k = kids(link)
    for i, x in enumerate(k):
        if isinstance(x, Dictionary) and x.get("/Type") == Name.OBJR:
            del k[i]
            return
    raise LookupError("objr")


def m_font(pdf):
    for p in pdf.pages:
        for _, f in (p.Resources.get("/Font") or {}).items():
            fd = f.DescendantFonts[0].FontDescriptor
            del fd["/FontFile2"]
            return


def m_transparency(pdf):
    p = pdf.pages[0]
    gs = p.Resources.get("/ExtGState")
    if gs is None:
        p.Resources.ExtGState = Dictionary()
        gs = p.Resources.ExtGState
    gs.GSx = Dictionary(Type=Name.ExtGState, ca=0.5)


def m_forbidden(pdf):
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=pikepdf.String("app.alert(1)"))


def m_rolemap(pdf):
    first(pdf, "/P").S = Name("/Para")


def m_nesting(pdf):  # a table row's cells straight in the table
    tr = first(pdf, "/TR")
    tr.S = Name("/P")


def m_version(pdf):
    pass  # saved as PDF 1.3 below


MUTATIONS = [(n[2:], f) for n, f in sorted(globals().items()) if n.startswith("m_")]


# The 'form' rule, broken in a fillable pack (tests/cli/fillable.sh).
def f_tu(pdf):  # a text field's /TU removed
    for f in pdf.Root.AcroForm.Fields:
        if "/TU" in f and f.get("/FT") == Name.Tx:
            del f["/TU"]
            return
    raise LookupError("a text field")


def f_element(pdf):  # a widget's Form element is no longer a Form
    for e in elements(pdf):
        if e.get("/S") == Name.Form:
            e.S = Name("/Div")
            return
    raise LookupError("a Form element")


def f_need(pdf):  # viewers asked to make the appearances (PDF/A: no)
    pdf.Root.AcroForm.NeedAppearances = True


def f_schema(pdf):  # an sbpack property no extension schema describes
    md = pdf.Root.Metadata
    x = md.read_bytes().replace(b"<pdfaProperty:name>role<",
                                b"<pdfaProperty:name>rolx<")
    if x == md.read_bytes():
        raise LookupError("the schema of sbpack:role")
    md.write(x)


FORM_MUTATIONS = [(n[2:], f) for n, f in sorted(globals().items())
                  if n.startswith("f_")]


def mutate_form(good, tmp):
    base = pdfua_check.check(good)
    say(not base, "%s passes the checker%s" % (os.path.basename(good),
        "" if not base else ": " + "; ".join(base[:3])))
    for what, fn in FORM_MUTATIONS:
        out = os.path.join(tmp, "mutf-%s.pdf" % what)
        pdf = pikepdf.open(good)
        try:
            fn(pdf)
        except LookupError as e:
            say(False, "form/%s: nothing to break (%s)" % (what, e))
            continue
        pdf.save(out)
        fails = pdfua_check.check(out)
        named = [f for f in fails if f.split(": ")[1] == "form"]
        say(bool(named), "the checker names 'form' when %s is broken (%s)" %
            (what, "; ".join(fails[:2]) if fails else "no failure"))


def mutate(good, tmp):
    base = pdfua_check.check(good)
    say(not base, "%s passes the checker%s" % (os.path.basename(good),
        "" if not base else ": " + "; ".join(base[:3])))
    for rule, fn in MUTATIONS:
        out = os.path.join(tmp, "mut-%s.pdf" % rule)
        pdf = pikepdf.open(good)
        try:
            fn(pdf)
        except LookupError as e:
            say(False, "%s: nothing to break (%s)" % (rule, e))
            continue
        if rule == "version":
            pdf.save(out, force_version="1.3")
        else:
            pdf.save(out)
        fails = pdfua_check.check(out)
        named = [f for f in fails if f.split(": ")[1] == rule]
        say(bool(named), "the checker names '%s' when it is broken (%s)" %
            (rule, "; ".join(fails[:2]) if fails else "no failure"))


def norm(s):
    return re.sub(r"\s+", "", s)


def readback(pdfpath, tracepath):
    """The text of pdfinfo -struct-text, element by element in tree order,
    equals the text ops of the trace outside artifacts, in order."""
    out = subprocess.run(["pdfinfo", "-struct-text", pdfpath], capture_output=True,
                         text=True, check=True).stdout
    got = []
    for line in out.splitlines():
        m = re.match(r'^\s*"(.*)"$', line)
        if m:
            got.append(m.group(1))
    want = []
    art = 0
    for line in open(tracepath, encoding="utf-8"):
        if line.startswith("begin artifact"):
            art += 1
        elif line.startswith("end artifact"):
            art -= 1
        elif line.startswith("begin ") and art:
            art += 1  # marks inside an artifact nest in it
        elif line.startswith("end ") and art > 1:
            art -= 1
        elif line.startswith("text ") and not art:
            m = re.search(r' "((?:[^"\\]|\\.)*)"$', line.rstrip("\n"))
            if m:
                t = re.sub(r"\\x([0-9A-F]{2})", lambda x: chr(int(x.group(1), 16)), m.group(1))
                want.append(re.sub(r"\\(.)", r"\1", t))
    g, w = norm("".join(got)), norm("".join(want))
    if g == w:
        say(True, "%s: the structure's text is the page text in reading order "
            "(%d characters)" % (os.path.basename(pdfpath), len(w)))
        return
    i = next((i for i in range(min(len(g), len(w))) if g[i] != w[i]), min(len(g), len(w)))
    say(False, "%s: structure text and page text part at %d: %r vs %r" %
        (os.path.basename(pdfpath), i, g[max(0, i - 30):i + 30], w[max(0, i - 30):i + 30]))


def struct_text(pdfpath):
    """[(type, text)] of pdfinfo -struct-text, element by element in tree
    order; text is the quoted line right under the element, or None."""
    out = subprocess.run(["pdfinfo", "-struct-text", pdfpath], capture_output=True,
                         text=True, check=True).stdout
    res = []
    for line in out.splitlines():
        m = re.match(r'^\s*"(.*)"$', line)
        if m:
            if res and res[-1][1] is None:
                res[-1] = (res[-1][0], m.group(1))
            continue
        m = re.match(r"^\s*([A-Za-z][A-Za-z0-9]*)(?: \((?:block|inline)\))?:?$", line)
        if m:
            res.append((m.group(1), None))
    return res


def labels(pdfpath, lang):
    """In a handbook whose labels are in lang and content in the catalogue's
    language: the elements holding label text alone carry /Lang lang (the
    contents heading, the level and expectation column headers), those
    holding catalogue text carry none, and a paragraph mixing both (the
    keywords line) marks its label part in the content stream."""
    pdf = pikepdf.open(pdfpath)
    els = elements(pdf)
    st = struct_text(pdfpath)
    kinds = [str(e.S)[1:] for e in els]
    if kinds != [s for s, _ in st]:
        say(False, "%s: pdfinfo -struct-text and the tree differ in shape" % pdfpath)
        return
    doc = str(pdf.Root.Lang)
    if lang == doc:  # labels in the document's language: no /Lang of their own
        n = sum(1 for e in els if "/Lang" in e)
        for p in pdf.pages:
            for operands, op in pikepdf.parse_content_stream(p):
                if str(op) == "BDC" and isinstance(operands[1], Dictionary) and \
                        "/Lang" in operands[1]:
                    n += 1
        say(n == 0, "%s: labels in the document's language %s: %d /Lang of their "
            "own" % (os.path.basename(pdfpath), doc, n))
        return
    if lang != "es":
        say(False, "labels: only es is known here, not %s" % lang)
        return
    lab = ("\u00cdndice", "Nivel", "Expectativa", "Obligatorio", "Leyenda")
    got = {}
    for e, (s, t) in zip(els, st):
        if t is not None:
            got.setdefault(t.strip(), []).append(str(e.get("/Lang", "")))
    ok = True
    for w in lab:
        langs = got.get(w)
        if not langs or any(x != lang for x in langs):
            say(False, "%s: %r is tagged %r, not /Lang %s" % (pdfpath, w, langs, lang))
            ok = False
    # catalogue text: a skill's expectations (long TD text) has no /Lang
    content = [(t, e) for e, (s, t) in zip(els, st) if s == "TD" and t and len(t) > 40]
    if not content or any("/Lang" in e for _, e in content):
        say(False, "%s: catalogue text with a /Lang of its own (or none found)" % pdfpath)
        ok = False
    kw = [e for e, (s, t) in zip(els, st) if t and t.startswith("Palabras clave:")]
    if not kw or any("/Lang" in e for e in kw):
        say(False, "%s: the keywords line (label and content) is not found, or "
            "has one /Lang" % pdfpath)
        ok = False
    marked = 0
    for p in pdf.pages:
        for operands, op in pikepdf.parse_content_stream(p):
            if str(op) == "BDC" and isinstance(operands[1], Dictionary) and \
                    str(operands[1].get("/Lang", "")) == lang:
                marked += 1
    if marked == 0:
        say(False, "%s: no marked content with /Lang %s" % (pdfpath, lang))
        ok = False
    if ok:
        say(True, "%s: labels tagged /Lang %s (%d marked sequences) over "
            "content in %s" % (os.path.basename(pdfpath), lang, marked, doc))


def legend(pdfpath):
    """The handbook's legend: an L whose items with a drawn mark (filled,
    open square) have an Lbl before their LBody, with the mark as /Alt and
    the mark's drawing as its content (an MCID whose marked content paints
    a rectangle), not an artifact."""
    pdf = pikepdf.open(pdfpath)
    lbls = [e for e in elements(pdf) if e.get("/S") == Name.Lbl]
    alts = sorted(str(e.get("/Alt", "")) for e in lbls)
    ok = alts == ["\u25a0", "\u25a1"]
    for e in lbls:
        if not isinstance(e.get("/K"), int):
            ok = False
            continue
        page = pikepdf.Page(e.Pg)
        inside, painted = False, False
        for operands, op in pikepdf.parse_content_stream(page):
            o = str(op)
            if o == "BDC" and isinstance(operands[1], Dictionary) and \
                    operands[1].get("/MCID") == int(e.K):
                inside = True
            elif o == "EMC":
                inside = False
            elif inside and o == "re":
                painted = True
        ok = ok and painted
    say(ok, "%s: the legend's marks are Lbl elements with /Alt %r that own "
        "the drawn squares" % (os.path.basename(pdfpath), alts))


if __name__ == "__main__":
    if sys.argv[1] == "legend":
        legend(sys.argv[2])
    elif sys.argv[1] == "mutate":
        mutate(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "mutate-form":
        mutate_form(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "labels":
        labels(sys.argv[2], sys.argv[3])
    else:
        readback(sys.argv[2], sys.argv[3])
