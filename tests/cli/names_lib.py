#!/usr/bin/env python3
"""tests/cli/names_lib.py -- long names in every place, every document kind.

Helper of tests/cli/names.sh (and of the measurements in
docs/hardening.md, "Names in bounded places"). It copies the bundled
catalogue (SRC/catalog) into a folder, gives one name ("place") a long
value, renders a document kind and reports pages, seconds and the peak
resident memory of that one run (os.wait4: the child's own rusage).

  names_lib.py make DIR PLACE N [KIND]   write the catalogue into DIR
  names_lib.py run DIR DOC OUT [ARG...]  render (ARGs added to the command
                                         line); print "rc pages secs kb"
  names_lib.py table N1,N2,...           the measurement table (markdown)

PLACE: level role skill domain group title person. KIND: letters (one
word, no break opportunity: the worst case for wrapping), wide ('W'
only: the most lines for its length), words, mixed
(Latin, Cyrillic, Greek, CJK and Hebrew words). DOC: handbook sheet
profile profile-all, or profile:SKILL for another skill's profile. Env: SKILLBOOK (the program), SRC (source tree).
"""
import os
import re
import shutil
import subprocess
import sys
import time

SRC = os.environ.get("SRC", ".")
SKILLBOOK = os.environ.get("SKILLBOOK", "skillbook")

# Which element each place renames: (file, tag, id) or the catalogue title.
PLACES = {
    "level": ("00-ladder.xml", "level", "senior"),
    "role": ("00-ladder.xml", "role", "backend-engineer"),
    "skill": ("10-cloud-infrastructure.xml", "skill", "message-queues"),
    "domain": ("10-cloud-infrastructure.xml", "domain", "cloud-infrastructure"),
    "group": ("10-cloud-infrastructure.xml", "group", "serverless"),
    "title": ("00-ladder.xml", None, None),
    "person": (None, None, None),  # --person on the sheet, not in the file
}

DOCS = {
    "handbook": ["handbook", "--role", "backend-engineer"],
    "sheet": ["sheet", "--role", "backend-engineer", "--from", "middle",
              "--to", "senior"],
    "profile": ["profile", "--skill", "message-queues"],
    "profile-all": ["profile", "--all"],
}


def long_name(n, kind="letters"):
    """A name of exactly n characters (code points)."""
    if kind == "letters":
        unit = "Abcdefghijklmnopqrstuvwxyz"
    elif kind == "wide":  # the widest letter: the most lines per letter
        unit = "W"
    elif kind == "words":
        unit = "Lorem ipsum dolor sit amet "
    else:  # mixed scripts, each word in the fonts or substituted
        unit = "Senior \u0418\u043d\u0436\u0435\u043d\u0435\u0440 " \
               "\u039c\u03b7\u03c7 \u6280\u8853 \u05e9\u05dc\u05d5\u05dd "
    s = (unit * (n // len(unit) + 1))[:n]
    return s


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def make(dst, place, n, kind="letters"):
    """Copies the bundled catalogue into dst with one long name; returns
    the name (for --person, the caller passes it on the command line)."""
    if os.path.isdir(dst):
        shutil.rmtree(dst)
    os.makedirs(dst)
    for f in os.listdir(os.path.join(SRC, "catalog")):
        if f.endswith(".xml"):
            shutil.copy(os.path.join(SRC, "catalog", f), dst)
    name = long_name(n, kind)
    fname, tag, ident = PLACES[place]
    if fname is None:
        return name
    if tag is None:
        pat = r'(<catalog\b[^>]*?\btitle=")[^"]*(")'
    else:
        pat = r'(<%s\s+id="%s"\s+name=")[^"]*(")' % (tag, ident)
    replace(dst, fname, pat, xml_escape(name))
    return name


def replace(dst, fname, pattern, value):
    """In dst/fname, puts value (XML already) between the two groups of
    pattern's first match; exactly one match is required."""
    path = os.path.join(dst, fname)
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    text, k = re.subn(pattern, lambda m: m.group(1) + value + m.group(2),
                      text, count=1, flags=re.S)
    if k != 1:
        raise SystemExit("names_lib: no match for %s in %s" % (pattern, fname))
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def set_expect(dst, level, role, text):
    """Replaces the text of the first expectation for (level, role) of the
    bundled catalogue's cloud file with text (XML already)."""
    replace(dst, "10-cloud-infrastructure.xml",
            r'(<expect level="%s" role="%s"[^>]*>).*?(</expect>)'
            % (level, role), text)


def pdf_pages(path):
    try:
        out = subprocess.run(["pdfinfo", path], capture_output=True,
                             text=True).stdout
    except OSError:
        return -1
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else -1


def run(catdir, doc, out, person=None, extra=()):
    """Renders doc of the catalogue in catdir into out; returns
    (rc, pages, seconds, peak_kb, stderr)."""
    cmd = DOCS[doc] if doc in DOCS else ["profile", "--skill",
                                           doc.split(":", 1)[1]]
    args = [SKILLBOOK] + cmd[:1] + [catdir] + cmd[1:] + ["-o", out]
    args += list(extra)
    if person is not None and doc == "sheet":
        args += ["--person", person]
    if os.path.exists(out):
        os.remove(out)
    errpath = out + ".err"
    with open(errpath, "wb") as err:
        t0 = time.monotonic()
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        secs = time.monotonic() - t0
    rc = os.waitstatus_to_exitcode(status)
    with open(errpath, encoding="utf-8", errors="replace") as fh:
        stderr = fh.read()
    pages = pdf_pages(out) if rc == 0 and os.path.exists(out) else 0
    return rc, pages, secs, ru.ru_maxrss, stderr


def table(sizes, tmp):
    print("| place | chars | " + " | ".join(
        "%s pages / s / MB" % d for d in DOCS) + " |")
    print("|---|---:|" + "---|" * len(DOCS))
    for place in PLACES:
        for n in sizes:
            cat = os.path.join(tmp, "cat")
            name = make(cat, place, n)
            cells = []
            for doc in DOCS:
                if place == "person" and doc != "sheet":
                    cells.append("-")
                    continue
                rc, pages, secs, kb, err = run(
                    cat, doc, os.path.join(tmp, "out.pdf"),
                    person=name if place == "person" else None)
                cells.append("%s%d / %.2f / %.0f" % (
                    "" if rc == 0 else "exit %d, " % rc, pages, secs,
                    kb / 1024.0))
            print("| %s | %d | %s |" % (place, n, " | ".join(cells)))
            sys.stdout.flush()


def main(argv):
    if len(argv) >= 4 and argv[1] == "make":
        make(argv[2], argv[3], int(argv[4]),
             argv[5] if len(argv) > 5 else "letters")
    elif len(argv) >= 5 and argv[1] == "run":
        rc, pages, secs, kb, _ = run(argv[2], argv[3], argv[4],
                                     extra=argv[5:])
        print(rc, pages, "%.3f" % secs, kb)
    elif len(argv) >= 3 and argv[1] == "table":
        import tempfile
        with tempfile.TemporaryDirectory(prefix="sb-names.") as tmp:
            table([int(x) for x in argv[2].split(",")], tmp)
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
