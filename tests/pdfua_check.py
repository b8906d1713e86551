#!/usr/bin/python3
"""tests/pdfua_check.py -- checks a PDF against the machine-checkable rules
of PDF/UA-1 and PDF/A-2a that skillbook promises (issue #17,
docs/pdfa-pdfua.md), with pikepdf (python3-pikepdf) and, for the output
intent's ICC profile, PIL's ImageCms (which is lcms2).

usage: pdfua_check.py FILE.pdf...   prints "FILE: RULE: what" for every
failure, nothing when a file passes; exit status 1 when something failed.
Each rule has a name (the first word after the file), which the mutation
tests (tests/cli/pdfua.sh) look for:

  markinfo       /MarkInfo /Marked true, and a StructTreeRoot
  lang           the catalog's /Lang is a non-empty language tag
  langtag        a /Lang on a structure element or in a marked-content
                 property list (text in another language than the
                 document's: labels under --lang) that is not a language
                 tag
  title          Info /Title present and /ViewerPreferences /DisplayDocTitle
  xmp            the XMP parses; pdfaid 2/A, pdfuaid 1; it agrees with Info
  intent         one GTS_PDFA1 output intent whose profile lcms2 opens (RGB)
  version        header 1.4..1.7, trailer /ID of two strings
  tabs           every page has /Tabs /S
  structparents  every page has /StructParents
  unmarked       content outside marked content (neither artifact nor MCID)
  mcid           an MCID on a page owned by no element, by two, or used twice
  parenttree     a ParentTree entry that does not point back to the owner
  heading        the first heading is not H1, or a level is skipped
  nesting        an element where its kind may not be (ISO 32000-1 14.8.4:
                 TR in Table/THead/TBody/TFoot, TH/TD in TR, LI in L,
                 LBody/Lbl in LI, TOCI in TOC; one THead at most, with a
                 TBody after it)
  table          a table whose rows have different numbers of cells
  scope          a TH without /Scope
  alt            a Figure without a non-empty /Alt (or without a /BBox)
  link           a link annotation not in a Link element (OBJR), or without
                 /StructParent or /Contents, or without the print flag
  font           a font not embedded
  transparency   a soft mask, a constant alpha below 1, a blend mode other
                 than Normal, or a transparency group
  forbidden      JavaScript, actions, encryption, embedded files, LZW
  rolemap        a structure type that is not standard and not role-mapped
  form           a form field's widget (fillable sheets) not in a Form
                 element (OBJR), without /StructParent (or its ParentTree
                 entry not its Form), without the print flag or a normal
                 appearance (/AP /N), a field without /TU; /NeedAppearances
                 true (PDF/A forbids it); an XMP property of skillbook's
                 namespace no extension schema describes
"""
import io
import re
import sys
import xml.etree.ElementTree as ET

import pikepdf
from pikepdf import Name, Dictionary, Array

STANDARD = set("""Document Part Art Sect Div BlockQuote Caption TOC TOCI Index
NonStruct Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead
TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP
Warichu WT WP Figure Formula Form""".split())

PAINT = {"Tj", "TJ", "'", '"', "f", "F", "f*", "B", "B*", "b", "b*", "S", "s",
         "Do", "sh", "BI"}


class Check:
    def __init__(self, path):
        self.path = path
        self.fails = []

    def fail(self, rule, what):
        self.fails.append("%s: %s: %s" % (self.path, rule, what))


LANG_RE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def objkey(o):
    try:
        return o.objgen
    except Exception:
        return None


def text_of(s):
    return str(s) if s is not None else None


def check_catalog(c, pdf):
    root = pdf.Root
    mi = root.get("/MarkInfo")
    if mi is None or not bool(mi.get("/Marked", False)):
        c.fail("markinfo", "/MarkInfo /Marked is not true")
    if "/StructTreeRoot" not in root:
        c.fail("markinfo", "no StructTreeRoot")
    lang = root.get("/Lang")
    if lang is None or not LANG_RE.match(str(lang)):
        c.fail("lang", "catalog /Lang missing or not a language tag: %r" % lang)
    info = pdf.trailer.get("/Info")
    if info is None or not str(info.get("/Title", "")).strip():
        c.fail("title", "Info has no /Title")
    vp = root.get("/ViewerPreferences")
    if vp is None or not bool(vp.get("/DisplayDocTitle", False)):
        c.fail("title", "/ViewerPreferences /DisplayDocTitle is not true")
    for k in ("/OpenAction", "/AA", "/Names"):
        v = root.get(k)
        if v is None:
            continue
        if k == "/Names" and ("/JavaScript" in v or "/EmbeddedFiles" in v):
            c.fail("forbidden", "name tree of JavaScript or embedded files")
        elif k != "/Names":
            c.fail("forbidden", "catalog %s" % k)
    if "/Encrypt" in pdf.trailer:
        c.fail("forbidden", "encrypted")
    if not (pdf.pdf_version >= "1.4" and pdf.pdf_version <= "1.7"):
        c.fail("version", "header version %s" % pdf.pdf_version)
    tid = pdf.trailer.get("/ID")
    if tid is None or len(tid) != 2:
        c.fail("version", "trailer /ID missing")


XNS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}


def pdf_date_to_xmp(d):
    # D:YYYYMMDDHHmmSS+HH'mm' -> YYYY-MM-DDTHH:MM:SS+HH:MM
    m = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(Z|[+-]\d\d'\d\d'?)?",
                 d)
    if not m:
        return None
    tz = m.group(7) or "Z"
    if tz != "Z":
        tz = tz[:3] + ":" + tz[4:6]
        if tz in ("+00:00", "-00:00"):
            tz = "Z"
    return "%s-%s-%sT%s:%s:%s%s" % (m.group(1), m.group(2), m.group(3),
                                    m.group(4), m.group(5), m.group(6), tz)


def norm_xmp_date(d):
    return d.replace("+00:00", "Z") if d else d


def check_xmp(c, pdf):
    md = pdf.Root.get("/Metadata")
    if md is None:
        c.fail("xmp", "no /Metadata stream")
        return
    if "/Filter" in md:
        c.fail("xmp", "the metadata stream is filtered")
    raw = md.read_bytes()
    try:
        x = ET.fromstring(raw[raw.index(b"<x:xmpmeta"):raw.rindex(b"</x:xmpmeta>") + 12])
    except Exception as e:
        c.fail("xmp", "XMP does not parse: %s" % e)
        return

    def prop(path):
        # simple properties as elements or as attributes of rdf:Description
        ns, local = path.split(":")
        for d in x.iter("{%s}Description" % XNS["rdf"]):
            a = d.get("{%s}%s" % (XNS[ns], local))
            if a is not None:
                return a
            e = d.find("{%s}%s" % (XNS[ns], local))
            if e is not None:
                li = e.find(".//{%s}li" % XNS["rdf"])
                return (li.text if li is not None else e.text) or ""
        return None

    # skillbook's own properties (fillable packs) need an extension schema
    own = "https://skillbook.dev/ns/pack/1.0/"
    used = set()
    for d in x.iter("{%s}Description" % XNS["rdf"]):
        for e in d:
            if e.tag.startswith("{%s}" % own):
                used.add(e.tag[len(own) + 2:])
    described = set()
    for li in x.iter("{%s}li" % XNS["rdf"]):
        uri = li.find("{http://www.aiim.org/pdfa/ns/schema#}namespaceURI")
        if uri is None or uri.text != own:
            continue
        for n in li.iter("{http://www.aiim.org/pdfa/ns/property#}name"):
            described.add(n.text)
    for k in sorted(used - described):
        c.fail("form", "XMP property sbpack:%s without an extension schema" % k)
    af = pdf.Root.get("/AcroForm")
    if af is not None and bool(af.get("/NeedAppearances", False)):
        c.fail("form", "the AcroForm has /NeedAppearances true")
    if prop("pdfaid:part") != "2" or prop("pdfaid:conformance") != "A":
        c.fail("xmp", "pdfaid is not part 2 conformance A")
    if prop("pdfuaid:part") != "1":
        c.fail("xmp", "pdfuaid:part is not 1")
    if not prop("dc:title"):
        c.fail("xmp", "no dc:title")
    info = pdf.trailer.get("/Info") or Dictionary()
    pairs = [("/Title", "dc:title"), ("/Author", "dc:creator"),
             ("/Subject", "dc:description"), ("/Keywords", "pdf:Keywords"),
             ("/Producer", "pdf:Producer"), ("/Creator", "xmp:CreatorTool")]
    for k, p in pairs:
        iv = info.get(k)
        xv = prop(p)
        if iv is not None and xv != str(iv):
            c.fail("xmp", "Info %s %r but %s %r" % (k, str(iv), p, xv))
    for k, p in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        iv = info.get(k)
        xv = prop(p)
        if iv is None and xv is None:
            continue
        if iv is None or xv is None or norm_xmp_date(pdf_date_to_xmp(str(iv))) != norm_xmp_date(xv):
            c.fail("xmp", "Info %s %r but %s %r" % (k, iv and str(iv), p, xv))


def check_intent(c, pdf):
    ois = pdf.Root.get("/OutputIntents")
    gts = [o for o in (ois or []) if o.get("/S") == Name.GTS_PDFA1]
    if len(gts) != 1:
        c.fail("intent", "%d GTS_PDFA1 output intents" % len(gts))
        return
    prof = gts[0].get("/DestOutputProfile")
    if prof is None:
        c.fail("intent", "the output intent has no profile")
        return
    data = prof.read_bytes()
    if len(data) < 128 or data[36:40] != b"acsp" or data[16:20] != b"RGB ":
        c.fail("intent", "the profile is not an RGB ICC profile")
        return
    if data[12:16] not in (b"mntr", b"prtr") or data[8] >= 5:
        c.fail("intent", "the profile is of class %r, version %d" % (data[12:16], data[8]))
    if int(prof.get("/N", 0)) != 3:
        c.fail("intent", "the profile's /N is not 3")
    try:
        from PIL import ImageCms
        ImageCms.ImageCmsProfile(io.BytesIO(data))  # lcms2 opens it
    except ImportError:
        pass  # the header was checked above
    except Exception as e:
        c.fail("intent", "lcms2 cannot open the profile: %s" % e)


def walk_resources(res, seen, fonts, gstates, xobjs):
    if res is None or objkey(res) in seen and objkey(res) is not None:
        return
    if objkey(res) is not None:
        seen.add(objkey(res))
    for k, f in (res.get("/Font") or {}).items():
        fonts.append(f)
    for k, g in (res.get("/ExtGState") or {}).items():
        gstates.append(g)
    for k, x in (res.get("/XObject") or {}).items():
        xobjs.append(x)
        if x.get("/Subtype") == Name.Form:
            walk_resources(x.get("/Resources"), seen, fonts, gstates, xobjs)


def check_resources(c, pdf):
    fonts, gstates, xobjs = [], [], []
    seen = set()
    for p in pdf.pages:
        walk_resources(p.obj.get("/Resources"), seen, fonts, gstates, xobjs)
        g = p.obj.get("/Group")
        if g is not None and g.get("/S") == Name.Transparency:
            c.fail("transparency", "a page has a transparency group")
        for a in p.obj.get("/Annots") or []:
            if a.get("/Subtype") not in (Name.Link, Name.Widget):
                c.fail("forbidden", "annotation %s" % a.get("/Subtype"))
            if "/A" in a and a.A.get("/S") in (Name.JavaScript, Name.Launch):
                c.fail("forbidden", "annotation action %s" % a.A.get("/S"))
    done = set()
    for f in fonts:
        if objkey(f) in done:
            continue
        done.add(objkey(f))
        fd = None
        if f.get("/Subtype") == Name.Type0:
            d = f.DescendantFonts[0]
            fd = d.get("/FontDescriptor")
        else:
            fd = f.get("/FontDescriptor")
        if fd is None or not any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            c.fail("font", "font %s is not embedded" % f.get("/BaseFont"))
    for g in gstates:
        for k in ("/CA", "/ca"):
            if k in g and float(g[k]) < 1:
                c.fail("transparency", "ExtGState %s %s" % (k, g[k]))
        if "/SMask" in g and g.SMask != Name("/None"):
            c.fail("transparency", "ExtGState with a soft mask")
        if "/BM" in g and g.BM not in (Name.Normal, Name.Compatible):
            c.fail("transparency", "blend mode %s" % g.BM)
        if "/TR" in g:
            c.fail("forbidden", "ExtGState /TR")
    for x in xobjs:
        if "/SMask" in x:
            c.fail("transparency", "an image with a soft mask")
        if x.get("/Subtype") == Name.Form and x.get("/Group") is not None and \
                x.Group.get("/S") == Name.Transparency:
            c.fail("transparency", "a transparency group")
    for o in pdf.objects:
        if isinstance(o, pikepdf.Stream):
            flt = o.get("/Filter")
            flts = list(flt) if isinstance(flt, Array) else [flt]
            if Name.LZWDecode in flts:
                c.fail("forbidden", "an LZW stream")
        elif isinstance(o, Dictionary) and o.get("/S") == Name.JavaScript:
            c.fail("forbidden", "JavaScript")


def page_content(c, pdf, pi, page):
    """MCIDs of the page in order, and checks every painting op is in
    marked content. Returns (mcids: list)."""
    mcids = []
    stack = []  # each: "art" or ("mc", mcid) or "other"
    unmarked = 0
    for operands, op in pikepdf.parse_content_stream(page):
        o = str(op)
        if o in ("BDC", "BMC"):
            tag = str(operands[0])
            if tag == "/Artifact":
                if any(isinstance(s, tuple) for s in stack):
                    c.fail("unmarked", "page %d: an artifact inside tagged content" % (pi + 1))
                stack.append("art")
            elif o == "BDC" and isinstance(operands[1], Dictionary) and "/MCID" in operands[1]:
                m = int(operands[1].MCID)
                if "/Lang" in operands[1] and not LANG_RE.match(str(operands[1].Lang)):
                    c.fail("langtag", "page %d: MCID %d: /Lang %r is not a language "
                           "tag" % (pi + 1, m, str(operands[1].Lang)))
                if "art" in stack:
                    c.fail("unmarked", "page %d: tagged content inside an artifact" % (pi + 1))
                mcids.append(m)
                stack.append(("mc", m))
            else:
                stack.append("other")
        elif o == "EMC":
            if stack:
                stack.pop()
            else:
                c.fail("unmarked", "page %d: EMC without BDC" % (pi + 1))
        elif o in PAINT or o == "INLINE IMAGE":
            if not any(s == "art" or isinstance(s, tuple) for s in stack):
                unmarked += 1
    if stack:
        c.fail("unmarked", "page %d: marked content left open" % (pi + 1))
    if unmarked:
        c.fail("unmarked", "page %d: %d painting operators outside marked "
               "content" % (pi + 1, unmarked))
    if len(set(mcids)) != len(mcids):
        c.fail("mcid", "page %d: an MCID used twice" % (pi + 1))
    return mcids


def check_structure(c, pdf):
    root = pdf.Root.get("/StructTreeRoot")
    pages = list(pdf.pages)
    pindex = {objkey(p.obj): i for i, p in enumerate(pages)}
    rolemap = root.get("/RoleMap") if root is not None else None
    # every page: /Tabs /S, /StructParents; the MCIDs in its content
    content = {}
    for i, p in enumerate(pages):
        if p.obj.get("/Tabs") != Name.S:
            c.fail("tabs", "page %d has no /Tabs /S" % (i + 1))
        if "/StructParents" not in p.obj:
            c.fail("structparents", "page %d has no /StructParents" % (i + 1))
        content[i] = page_content(c, pdf, i, p)
    if root is None:
        return
    owners = {}       # (page, mcid) -> [element objgen]
    objr = {}         # annotation objgen -> element
    headings = []
    elems = {}

    def stype(e):
        s = str(e.get("/S", ""))[1:]
        seen = set()
        while rolemap is not None and s not in STANDARD and ("/" + s) in rolemap and s not in seen:
            seen.add(s)
            s = str(rolemap["/" + s])[1:]
        return s

    def walk(e, depth):
        if depth > 200:
            return
        s = stype(e)
        elems[objkey(e)] = e
        if s not in STANDARD:
            c.fail("rolemap", "structure type %s is neither standard nor mapped" % s)
        if re.match(r"^H[1-6]$", s):
            headings.append(int(s[1]))
        if "/Lang" in e and not LANG_RE.match(str(e.Lang)):
            c.fail("langtag", "a %s with /Lang %r: not a language tag" % (s, str(e.Lang)))
        if s == "Figure":
            alt = e.get("/Alt")
            if alt is None or not str(alt).strip():
                c.fail("alt", "a Figure without /Alt")
            a = e.get("/A")
            attrs = list(a) if isinstance(a, Array) else [a] if a is not None else []
            if not any(isinstance(x, Dictionary) and "/BBox" in x for x in attrs):
                c.fail("alt", "a Figure without a /BBox")
        if s == "TH":
            a = e.get("/A")
            attrs = list(a) if isinstance(a, Array) else [a] if a is not None else []
            if not any(isinstance(x, Dictionary) and "/Scope" in x for x in attrs):
                c.fail("scope", "a TH without /Scope")
        if s == "Table":
            check_table(c, e, stype)
        check_nesting(c, e, s, stype)
        pg = e.get("/Pg")
        kids = e.get("/K")
        if kids is None:
            return
        kl = list(kids) if isinstance(kids, Array) else [kids]
        for k in kl:
            if isinstance(k, int) or (hasattr(k, "__int__") and not isinstance(k, Dictionary)):
                if pg is None:
                    c.fail("mcid", "an MCID in an element without /Pg")
                    continue
                owners.setdefault((pindex.get(objkey(pg)), int(k)), []).append(objkey(e))
            elif isinstance(k, Dictionary):
                t = k.get("/Type")
                if t == Name.MCR:
                    kp = k.get("/Pg", pg)
                    owners.setdefault((pindex.get(objkey(kp)), int(k.MCID)), []).append(objkey(e))
                elif t == Name.OBJR:
                    if s != "Link":
                        a = k.Obj
                        if a.get("/Subtype") == Name.Link:
                            c.fail("link", "a link annotation under %s, not Link" % s)
                    objr[objkey(k.Obj)] = objkey(e)
                else:
                    if objkey(k) in elems:
                        c.fail("mcid", "an element reached twice")
                        continue
                    if k.get("/P") is not None and objkey(k.P) != objkey(e):
                        c.fail("parenttree", "an element's /P is not its parent")
                    walk(k, depth + 1)

    k = root.get("/K")
    for top in (list(k) if isinstance(k, Array) else [k] if k is not None else []):
        walk(top, 0)
    # MCIDs: each owned by exactly one element, each owned one exists
    for i, ms in content.items():
        for m in ms:
            o = owners.get((i, m), [])
            if len(o) != 1:
                c.fail("mcid", "page %d MCID %d owned by %d elements" % (i + 1, m, len(o)))
    for (i, m), o in owners.items():
        if i is None or m not in content.get(i, []):
            c.fail("mcid", "an element owns MCID %s on page %s, which is not in "
                   "the content" % (m, None if i is None else i + 1))
    # headings: the first is H1, none skips a level
    prev = 0
    for h in headings:
        if prev == 0 and h != 1:
            c.fail("heading", "the first heading is H%d" % h)
        elif h > prev + 1 and prev:
            c.fail("heading", "H%d follows H%d" % (h, prev))
        prev = h
    # ParentTree
    pt = root.get("/ParentTree")
    nums = {}

    def collect(node):
        if "/Nums" in node:
            n = node.Nums
            for j in range(0, len(n) - 1, 2):
                nums[int(n[j])] = n[j + 1]
        for kid in node.get("/Kids") or []:
            collect(kid)

    if pt is None:
        c.fail("parenttree", "no ParentTree")
    else:
        collect(pt)
    for i, p in enumerate(pages):
        sp = p.obj.get("/StructParents")
        if sp is None:
            continue
        arr = nums.get(int(sp))
        ms = content[i]
        if arr is None:
            if ms:
                c.fail("parenttree", "page %d: no ParentTree entry" % (i + 1))
            continue
        for m in ms:
            o = owners.get((i, m), [])
            if m >= len(arr) or len(o) != 1 or objkey(arr[m]) != o[0]:
                c.fail("parenttree", "page %d MCID %d: the ParentTree does not "
                       "point to its owner" % (i + 1, m))
        for p2 in p.obj.get("/Annots") or []:
            if p2.get("/Subtype") != Name.Link:
                continue
            if objkey(p2) not in objr:
                c.fail("link", "page %d: a link annotation in no Link element" % (i + 1))
            if "/StructParent" not in p2:
                c.fail("link", "page %d: a link annotation without /StructParent" % (i + 1))
            elif objkey(nums.get(int(p2.StructParent))) != objr.get(objkey(p2)):
                c.fail("parenttree", "page %d: a link annotation's ParentTree "
                       "entry is not its Link" % (i + 1))
            if not str(p2.get("/Contents", "")).strip():
                c.fail("link", "page %d: a link annotation without /Contents" % (i + 1))
            f = int(p2.get("/F", 0))
            if not f & 4 or f & (1 | 2 | 32):
                c.fail("link", "page %d: a link annotation's flags are %d" % (i + 1, f))
        for w in p.obj.get("/Annots") or []:
            if w.get("/Subtype") != Name.Widget:
                continue
            e = elems.get(objr.get(objkey(w)))
            if e is None or stype(e) != "Form":
                c.fail("form", "page %d: a widget in no Form element" % (i + 1))
            if "/StructParent" not in w:
                c.fail("form", "page %d: a widget without /StructParent" % (i + 1))
            elif objkey(nums.get(int(w.StructParent))) != objr.get(objkey(w)):
                c.fail("parenttree", "page %d: a widget's ParentTree entry is "
                       "not its Form" % (i + 1))
            f = int(w.get("/F", 0))
            if not f & 4 or f & (1 | 2 | 32):
                c.fail("form", "page %d: a widget's flags are %d" % (i + 1, f))
            ap = w.get("/AP")
            if ap is None or "/N" not in ap:
                c.fail("form", "page %d: a widget without a normal appearance" % (i + 1))
            field = w if "/T" in w else w.get("/Parent")
            if field is None or not str(field.get("/TU", "")).strip():
                c.fail("form", "page %d: a field without /TU" % (i + 1))


# ISO 32000-1 14.8.4.3 and PDF/UA-1 7.2 (Matterhorn 09-00x): which kinds
# may hold which, and where a kind may be.
KIDS = {"Table": {"TR", "THead", "TBody", "TFoot", "Caption"},
        "THead": {"TR"}, "TBody": {"TR"}, "TFoot": {"TR"}, "TR": {"TH", "TD"},
        "L": {"L", "LI", "Caption"}, "LI": {"Lbl", "LBody"},
        "TOC": {"TOC", "TOCI", "Caption"}}
PARENTS = {"TR": {"Table", "THead", "TBody", "TFoot"}, "THead": {"Table"},
           "TBody": {"Table"}, "TFoot": {"Table"}, "TH": {"TR"}, "TD": {"TR"},
           "LI": {"L"}, "LBody": {"LI"}, "Lbl": {"LI", "L"}, "TOCI": {"TOC"}}


def elem_kids(e):
    k = e.get("/K")
    if k is None:
        return []
    return [x for x in (list(k) if isinstance(k, Array) else [k])
            if isinstance(x, Dictionary) and "/S" in x and
            x.get("/Type") not in (Name.MCR, Name.OBJR)]


def check_nesting(c, e, s, stype):
    ks = [stype(k) for k in elem_kids(e)]
    for k in ks:
        if s in KIDS and k not in KIDS[s]:
            c.fail("nesting", "%s holds %s" % (s, k))
        if k in PARENTS and s not in PARENTS[k]:
            c.fail("nesting", "%s inside %s" % (k, s))
    if s == "Table":
        if ks.count("THead") > 1 or ks.count("TFoot") > 1:
            c.fail("nesting", "a Table with more than one THead or TFoot")
        if ("THead" in ks or "TFoot" in ks) and "TBody" not in ks:
            c.fail("nesting", "a Table with a THead and no TBody")


def check_table(c, t, stype):
    rows = []

    def kids(e):
        k = e.get("/K")
        if k is None:
            return []
        return [x for x in (list(k) if isinstance(k, Array) else [k])
                if isinstance(x, Dictionary) and "/S" in x]

    for k in kids(t):
        s = stype(k)
        if s == "TR":
            rows.append(k)
        elif s in ("THead", "TBody", "TFoot"):
            rows += [r for r in kids(k) if stype(r) == "TR"]
    widths = set()
    for r in rows:
        n = 0
        for cell in kids(r):
            if stype(cell) in ("TH", "TD"):
                span = 1
                a = cell.get("/A")
                for x in (list(a) if isinstance(a, Array) else [a] if a is not None else []):
                    if isinstance(x, Dictionary) and "/ColSpan" in x:
                        span = int(x.ColSpan)
                n += span
        widths.add(n)
    if len(widths) > 1:
        c.fail("table", "a table's rows have %s cells" % sorted(widths))


def check(path):
    c = Check(path)
    try:
        pdf = pikepdf.open(path)
    except Exception as e:
        c.fail("open", str(e))
        return c.fails
    check_catalog(c, pdf)
    check_xmp(c, pdf)
    check_intent(c, pdf)
    check_resources(c, pdf)
    check_structure(c, pdf)
    return c.fails


def main():
    bad = 0
    for p in sys.argv[1:]:
        fails = check(p)
        seen = set()
        for f in fails:
            if f not in seen:
                print(f)
                seen.add(f)
        bad += bool(fails)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
