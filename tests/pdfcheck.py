#!/usr/bin/python3
"""Text checks of skillbook PDFs with poppler (shared by the CLI tests).

  pdfcheck.py handbook CATALOG ROLE_ID PDF

CATALOG is a format-1 file or a folder of *.xml (merged in byte order of
names). Checks, printing one line per problem:
  expect  every expectation paragraph of the role appears, in print order
          (skills in catalogue order, levels in growth order), in the text
          of `pdftotext -raw`; compared with white space, hyphens (real and
          soft) and invisible format characters removed, after NFKC
  toc     every contents entry's page number equals the page where the
          skill heading is (the heading line, then a line with the skill id)
  footer  "ROLE — page X of Y" on every page but the cover, X and Y right
          (the cover counts as page 1 but prints no number)
Exit status 1 if anything is wrong.
"""
import glob
import os
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

NS = "{urn:skillbook:catalog:1}"
XML_WS = re.compile(r"[ \t\r\n]+")


def collapse(s):
    return XML_WS.sub(" ", s or "").strip(" ")


def load(path):
    files = sorted(glob.glob(os.path.join(path, "*.xml"))) if os.path.isdir(path) else [path]
    levels, roles, skills = [], {}, []
    for f in files:
        root = ET.parse(f).getroot()
        lv = root.find(NS + "levels")
        if lv is not None:
            levels = [e.get("id") for e in lv.findall(NS + "level")]
        ro = root.find(NS + "roles")
        if ro is not None:
            for e in ro.findall(NS + "role"):
                roles[e.get("id")] = e.get("name")
        for sk in root.iter(NS + "skill"):
            exp = {}
            for e in sk.findall(NS + "expect"):
                exp[(e.get("level"), e.get("role"))] = collapse("".join(e.itertext()))
            skills.append({"id": sk.get("id"), "name": collapse(sk.get("name")), "exp": exp})
    return levels, roles, skills


def squeeze(s):
    """Strips what line breaking may add or drop: white space, hyphens,
    invisible format characters (soft hyphen, U+200B, ...)."""
    s = unicodedata.normalize("NFKC", s)
    return "".join(c for c in s if not c.isspace() and c != "-" and unicodedata.category(c) != "Cf")


# "page X of Y" in every language of src/style/labels.c (the catalogue's
# xml:lang chooses the labels: catalog/examples/es prints "página X de Y").
PAGE_X_OF_Y = ["page %d of %d", "p\u00e1gina %d de %d",
               "\u0441\u0442\u0440\u0430\u043d\u0438\u0446\u0430 %d \u0438\u0437 %d"]


def has_page_x_of_y(text, prefix, x, y):
    return any(("%s \u2014 " % prefix + f % (x, y)) in text for f in PAGE_X_OF_Y)


def norm(s):
    s = unicodedata.normalize("NFKC", s)
    return " ".join("".join(c for c in s if unicodedata.category(c) != "Cf").split())


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def check_handbook(cat, role, pdf):
    levels, roles, skills = load(cat)
    problems = []
    mine = [s for s in skills if any(r == role for (_, r) in s["exp"])]
    pages = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", pdf), re.M).group(1))

    # expectations, in order
    raw = squeeze(run("pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"))
    pos, n = 0, 0
    for s in mine:
        for lv in levels:
            t = s["exp"].get((lv, role))
            if t is None:
                continue
            n += 1
            i = raw.find(squeeze(t), pos)
            if i < 0:
                problems.append("expect: skill %s level %s not found in order: %.80s" % (s["id"], lv, t))
            else:
                pos = i + len(squeeze(t))

    # contents page numbers against the real heading pages
    page_texts = run("pdftotext", "-enc", "UTF-8", pdf, "-").split("\f")[:pages]
    layout = run("pdftotext", "-layout", "-enc", "UTF-8", pdf, "-").split("\f")[:pages]
    toc = {}
    for pt in layout[1:]:
        for line in pt.splitlines():
            m = re.match(r"^\s*(.*?)[\s.]*\.[\s.]*(\d+)\s*$", line)
            if m:
                toc.setdefault(norm(m.group(1)).rstrip(" ."), int(m.group(2)))
    for s in mine:
        name = norm(s["name"])
        real = None
        for i, pt in enumerate(page_texts):
            lines = [norm(l) for l in pt.splitlines()]
            for j, l in enumerate(lines):
                if l == name and any(s["id"] in x for x in lines[j + 1:j + 4]):
                    real = i + 1
                    break
            if real:
                break
        if real is None:
            problems.append("toc: heading of skill %s (%s) not found" % (s["id"], name))
        elif toc.get(name) != real:
            problems.append("toc: %s listed on page %s, heading on page %d" % (name, toc.get(name), real))

    # footer
    rn = norm(roles.get(role, role))
    for i, pt in enumerate(page_texts):
        want = "%s \u2014 page %d of %d" % (rn, i + 1, pages)
        if i == 0:
            if has_page_x_of_y(norm(pt), rn, i + 1, pages):
                problems.append("footer: the cover has '%s'" % want)
            continue
        if not has_page_x_of_y(norm(pt), rn, i + 1, pages):
            problems.append("footer: page %d lacks '%s'" % (i + 1, want))
    return n, len(mine), pages, problems


def main(argv):
    if len(argv) != 5 or argv[1] != "handbook":
        sys.stderr.write(__doc__)
        return 2
    n, nskills, pages, problems = check_handbook(argv[2], argv[3], argv[4])
    for p in problems[:20]:
        print("  " + p)
    if len(problems) > 20:
        print("  ... %d more" % (len(problems) - 20))
    print("%s: %d pages, %d expectations, %d skills, %d problems" % (
        os.path.basename(argv[4]), pages, n, nskills, len(problems)))
    return 1 if problems else 0



# ==== Sheets and profiles (tests/cli/sheet.sh, tests/cli/profile.sh) ====
# Used as: python3 -c 'import pdfcheck; pdfcheck.cli_sheet(...)'; the
# functions return a list of problems, the cli_ wrappers print and exit.


def load_full(path):
    """Like load(), with what sheets and profiles print: level order, role
    names, per skill its name, mandatory flags and expectation order."""
    files = sorted(glob.glob(os.path.join(path, "*.xml"))) if os.path.isdir(path) else [path]
    levels, roles, skills = [], {}, []
    for f in files:
        root = ET.parse(f).getroot()
        lv = root.find(NS + "levels")
        if lv is not None:
            levels = [(e.get("id"), collapse(e.get("name"))) for e in lv.findall(NS + "level")]
        ro = root.find(NS + "roles")
        if ro is not None:
            for e in ro.findall(NS + "role"):
                roles[e.get("id")] = collapse(e.get("name"))
        for sk in root.iter(NS + "skill"):
            exp = {}
            for e in sk.findall(NS + "expect"):
                exp[(e.get("level"), e.get("role"))] = (
                    collapse("".join(e.itertext())), e.get("mandatory") in ("true", "1"))
            skills.append({"id": sk.get("id"), "name": collapse(sk.get("name")), "exp": exp})
    return levels, roles, skills


def footers(pdf, want_prefix):
    """Problems with "PREFIX — page X of Y" on every page."""
    pages = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", pdf), re.M).group(1))
    texts = run("pdftotext", "-enc", "UTF-8", pdf, "-").split("\f")[:pages]
    problems = []
    for i, pt in enumerate(texts):
        want = "%s \u2014 page %d of %d" % (norm(want_prefix), i + 1, pages)
        if not has_page_x_of_y(norm(pt), norm(want_prefix), i + 1, pages):
            problems.append("footer: page %d lacks '%s'" % (i + 1, want))
    return pages, problems


def find_split(raw, want, pos, parts=4):
    """Where want ends in raw after pos, read in order, maybe cut into up
    to parts pieces with other text between (a table row split over pages:
    the repeated header and the other cells come between); -1 if not."""
    while want and parts > 0:
        i = raw.find(want, pos)
        if i >= 0:
            return i + len(want)
        # the longest head of want (20 characters or more) found from pos
        lo, hi, best = 20, len(want) - 1, -1
        while lo <= hi:
            mid = (lo + hi) // 2
            j = raw.find(want[:mid], pos)
            if j >= 0:
                best, lo = (j, mid), mid + 1
            else:
                hi = mid - 1
        if best == -1:
            return -1
        pos, want, parts = best[0] + best[1], want[best[1]:], parts - 1
    return pos if not want else -1


def check_sheet(cat, role, lfrom, lto, pdf):
    """Every skill with an expectation of the role at either level is in
    the sheet, in catalogue order, each with both paragraphs (squeezed
    pdftotext -raw text); the footer on every page; the summary figures."""
    levels, roles, skills = load_full(cat)
    lname = dict(levels)
    raw = squeeze(run("pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"))
    problems, pos, n = [], 0, 0
    ntgt = nmand = nnew = nbec = 0
    for s in skills:
        c = s["exp"].get((lfrom, role))
        t = s["exp"].get((lto, role))
        if not c and not t:
            continue
        n += 1
        if t:
            ntgt += 1
            nmand += t[1]
            nnew += c is None
            nbec += bool(c and t[1] and not c[1])
        # both paragraphs from the row's start: a row split over pages
        # reads current part, target part, then the rest of each
        row, end = pos, pos
        for what, e in (("current", c), ("target", t)):
            if e is None:
                continue
            i = find_split(raw, squeeze(e[0]), row)
            if i < 0:
                problems.append("expect: skill %s %s paragraph not found in order: %.70s" % (s["id"], what, e[0]))
            else:
                end = max(end, i)
        pos = end
    text = norm(run("pdftotext", "-enc", "UTF-8", pdf, "-"))
    for num, words in ((ntgt, "expectations at the target level"), (nmand, "mandatory there"),
                       (nnew, "new compared with the current level"),
                       (nbec, "turn from optional to mandatory")):
        if "%d %s" % (num, words) not in text:
            problems.append("summary: '%d %s' missing" % (num, words))
    pages, fp = footers(pdf, "%s \u2014 %s \u2192 %s" % (roles.get(role, role), lname[lfrom], lname[lto]))
    return n, pages, problems + fp


def check_profile(cat, skill_ids, pdf, figures=None):
    """Every expectation of each skill is in the PDF, in order (levels in
    growth order, roles in catalogue order); the derived figures read as
    computed here (or as given: (roles, levels, mandatory, optional))."""
    levels, roles, skills = load_full(cat)
    byid = {s["id"]: s for s in skills}
    raw = squeeze(run("pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"))
    text = norm(run("pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"))
    problems, pos, n = [], 0, 0
    for sid in skill_ids:
        s = byid[sid]
        i = raw.find(squeeze(s["name"]), pos)
        if i < 0:
            problems.append("name: skill %s not found in order" % sid)
            continue
        pos = i
        for lv, _ in levels:
            for r in roles:
                e = s["exp"].get((lv, r))
                if e is None:
                    continue
                n += 1
                i = raw.find(squeeze(e[0]), pos)
                if i < 0:
                    problems.append("expect: skill %s level %s role %s not found in order: %.60s" % (sid, lv, r, e[0]))
                else:
                    pos = i + len(squeeze(e[0]))
        nroles = len({r for (_, r) in s["exp"]})
        nlev = len({l for (l, _) in s["exp"]})
        nm = sum(1 for e in s["exp"].values() if e[1])
        got = (nroles, nlev, nm, len(s["exp"]) - nm)
        if figures and len(skill_ids) == 1 and tuple(figures) != got:
            problems.append("figures: catalogue gives %s, expected %s" % (got, tuple(figures)))
        if len(skill_ids) == 1:
            want = "%d %d %d %d" % got
            if want not in text:
                problems.append("figures: '%s' (roles levels mandatory optional) not printed" % want)
            if "the other %d optional" % got[3] not in text:
                problems.append("figures: 'the other %d optional' not printed" % got[3])
    return n, problems


def _report(name, problems, summary):
    for p in problems[:20]:
        print("  " + p)
    if len(problems) > 20:
        print("  ... %d more" % (len(problems) - 20))
    print("%s: %s, %d problems" % (name, summary, len(problems)))
    sys.exit(1 if problems else 0)


def cli_sheet(cat, role, lfrom, lto, pdf):
    n, pages, problems = check_sheet(cat, role, lfrom, lto, pdf)
    _report(os.path.basename(pdf), problems, "%d pages, %d rows" % (pages, n))


def cli_profile(cat, skill, pdf, figures=None):
    levels, roles, skills = load_full(cat)
    ids = [s["id"] for s in skills] if skill == "--all" else [skill]
    n, problems = check_profile(cat, ids, pdf, figures)
    _report(os.path.basename(pdf), problems, "%d skills, %d expectations" % (len(ids), n))

if __name__ == "__main__":
    sys.exit(main(sys.argv))
