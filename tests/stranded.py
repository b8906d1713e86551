#!/usr/bin/env python3
"""stranded.py -- headings left alone at a page's foot, and bookmarks that
miss their heading, counted from traces (the display list as text).

    stranded.py SETDIR          the set tests/print_set.sh wrote (SETDIR/LIST)
    stranded.py FILE.trace...   some traces
    stranded.py --self-test     the checks on made-up pages

A heading is what the trace marks "begin heading N" ... "end heading".
It is stranded when fewer than two lines of text (a table's header and
first row are two) follow it on its page and its section goes on over the
page: the next page starts with text, or with a heading of a deeper level
(N+1 and on), not with one of level N or above. Running headers and footers
("begin artifact" ... "end artifact") are not text of the flow. Lines are
counted by baseline, below the heading's last line.

An outline entry (bookmark) must point at its heading: on its page a
heading whose text starts with the entry's title and whose first baseline
lies within two of its sizes below the entry's y (the top of its line).
So must a link whose area holds text (a contents entry): the text in its
area, less dot leaders and the page number, is the title, and the number,
when there is one, is the page it jumps to.

Prints one line per case (file, page, heading text) and the totals; exits 1
when any case was found, 2 when a trace cannot be read.
"""
import os
import re
import sys

TEXT = re.compile(r'^text f=\d+ s=([\d.]+) x=([-\d.]+) y=([-\d.]+) .*? "(.*)"$')
LINK = re.compile(r'^link x=([-\d.]+) y=([-\d.]+) w=([-\d.]+) h=([-\d.]+) '
                  r'-> page (\d+) y=([-\d.]+)$')
OUTLINE = re.compile(r'^outline depth=(\d+) page=(\d+) y=([-\d.]+) "(.*)"$')


class Heading:
    def __init__(self, level, page, index):
        self.level, self.page, self.index = level, page, index
        self.lines = []  # (baseline, size, text) of its text ops

    def text(self):
        out, last = [], None
        for y, _, t in self.lines:
            out.append(t if last is None or abs(y - last) < 0.01 else " " + t)
            last = y
        return "".join(out)


def unquote(s):
    return re.sub(r'\\(x[0-9A-F]{2}|.)',
                  lambda m: chr(int(m.group(1)[1:], 16))
                  if m.group(1).startswith("x") and len(m.group(1)) == 3
                  else m.group(1), s)


def read_trace(path):
    """pages: list of items, each ("h", Heading) or ("t", baseline);
    outlines: (depth, page, y, title), the links with text in their area
    as outlines are, with the page number printed there (or None) added;
    headings: all, in order."""
    pages, outlines, headings, links = [], [], [], []
    texts = []  # the page's (x, baseline, text) outside headings, artifacts
    cur, heading, artifact = None, None, 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("page "):
                if cur is not None:
                    links += linked(texts, plinks, len(pages))
                cur, texts, plinks = [], [], []
                pages.append(cur)
                heading, artifact = None, 0
            elif line.startswith("begin heading"):
                heading = Heading(int(line.split()[2]), len(pages), len(cur))
                cur.append(("h", heading))
                headings.append(heading)
            elif line == "end heading":
                heading = None
            elif line.startswith("begin artifact"):  # "begin artifact 1": furniture
                artifact += 1
            elif line == "end artifact":
                artifact -= 1
            elif line.startswith("text ") and cur is not None:
                m = TEXT.match(line)
                if not m:
                    raise ValueError("unreadable text op: " + line[:80])
                size, x, y = float(m[1]), float(m[2]), float(m[3])
                t = unquote(m[4])
                if heading:
                    heading.lines.append((y, size, t))
                elif not artifact:
                    cur.append(("t", y))
                    texts.append((x, y, t))
            elif line.startswith("link ") and cur is not None:
                m = LINK.match(line)
                if not m:
                    raise ValueError("unreadable link: " + line[:80])
                plinks.append(tuple(float(v) for v in m.groups()))
            elif line.startswith("outline "):
                m = OUTLINE.match(line)
                if not m:
                    raise ValueError("unreadable outline: " + line[:80])
                outlines.append((int(m[1]), int(m[2]), float(m[3]),
                                 unquote(m[4])))
    if cur is not None:
        links += linked(texts, plinks, len(pages))
    return pages, outlines, headings, links


def linked(texts, plinks, page):
    """The links of a page with text in their area: (page, title, number,
    to_page, to_y); the dot leaders are left out, and a number alone at
    the area's right end is the printed page number."""
    out = []
    for x, y, w, h, to_page, to_y in plinks:
        inside = [(ty, tx, t) for tx, ty, t in texts
                  if y - 0.01 <= ty <= y + h + 0.01 and
                  x - 0.01 <= tx <= x + w + 0.01]
        inside.sort()
        words = [t for _, _, t in inside if t.strip(". ")]
        number = None
        if words and words[-1].strip().isdigit() and len(inside) > 1:
            number = int(words.pop().strip())
        if words:
            out.append((page, "".join(words), number, int(to_page), to_y))
    return out


def stranded(pages):
    """The stranded headings: (page, Heading)."""
    out = []
    for p, items in enumerate(pages, 1):
        for i, (kind, h) in enumerate(items):
            if kind != "h" or not h.lines:
                continue
            bottom = max(y for y, _, _ in h.lines)
            below = {round(y, 1) for k, y in items[i + 1:]
                     if k == "t" and y > bottom + 0.01}
            if len(below) >= 2 or p == len(pages):
                continue
            nxt = next((it for it in pages[p]), None)  # page p + 1's first
            if nxt is None:
                continue  # an empty page follows: nothing was carried over
            if nxt[0] == "h" and nxt[1].level <= h.level:
                continue  # its section ended on this page
            out.append((p, h))
    return out


def squash(s):
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", s)


def bad_outlines(outlines, headings):
    """Outline entries whose page has no heading of theirs at their y."""
    out = []
    for depth, page, y, title in outlines:
        want = squash(title)[:24]
        hit = False
        for h in headings:
            if h.page != page or not h.lines:
                continue
            base, size, _ = h.lines[0]
            if squash(h.text()).startswith(want) and \
                    y < base <= y + 2 * size + 0.01:
                hit = True
                break
        if not hit:
            out.append((depth, page, y, title))
    return out


def bad_links(links, headings):
    """Links that miss their heading, or print another page's number."""
    out = []
    for page, title, number, to_page, to_y in links:
        miss = bad_outlines([(0, to_page, to_y, title)], headings)
        if miss or (number is not None and number != to_page):
            out.append((page, title, number, to_page, to_y))
    return out


def check(files, quiet=False):
    nstr = nout = nhead = nol = 0
    for path in files:
        try:
            pages, outlines, headings, links = read_trace(path)
        except (OSError, ValueError, UnicodeDecodeError) as e:
            print(f"stranded.py: {path}: {e}", file=sys.stderr)
            sys.exit(2)
        nhead += len(headings)
        nol += len(outlines) + len(links)
        name = os.path.basename(path)
        for p, h in stranded(pages):
            nstr += 1
            if not quiet:
                print(f"stranded: {name} page {p}: \"{h.text()}\" "
                      f"(heading {h.level})")
        for depth, page, y, title in bad_outlines(outlines, headings):
            nout += 1
            if not quiet:
                print(f"bookmark: {name} page {page} y={y:.2f}: \"{title}\" "
                      f"(depth {depth}) has no heading there")
        for page, title, number, to_page, to_y in bad_links(links, headings):
            nout += 1
            if not quiet:
                print(f"link: {name} page {page}: \"{title}\" "
                      f"{'(' + str(number) + ') ' if number else ''}"
                      f"-> page {to_page} y={to_y:.2f} has no heading there")
    print(f"{len(files)} documents, {nhead} headings, {nstr} stranded; "
          f"{nol} bookmarks and contents links, {nout} not at their heading")
    return nstr, nout, nhead


def self_test():
    """The checks on made-up traces: each case must be found, the fine
    ones not."""
    import tempfile
    H = ('begin heading {l}\ntext f=1 s=12.00 x=50.00 y={y} w=10.00 '
         'fill=#000000 "{t}"\nend heading\n')
    T = 'text f=0 s=9.00 x=50.00 y={y} w=10.00 fill=#000000 "{t}"\n'
    A = ('begin artifact\ntext f=0 s=8.00 x=50.00 y=820.00 w=10.00 '
         'fill=#000000 "page"\ntext f=0 s=8.00 x=50.00 y=830.00 w=10.00 '
         'fill=#000000 "1 of 2"\nend artifact\n')
    P = "page {n} 595.28x841.89\n"
    cases = {
        # heading, then only the footer: its text is on the next page
        "foot": (P.format(n=1) + T.format(y=100, t="a") + H.format(
            l=1, y=800, t="Alone") + A + P.format(n=2) + T.format(
            y=60, t="b") + T.format(y=72, t="c"), 1, 0),
        # a chain: domain and group at the foot, the skill on the next page
        "chain": (P.format(n=1) + H.format(l=1, y=780, t="Domain") +
                  H.format(l=2, y=800, t="Group") + A + P.format(n=2) +
                  H.format(l=3, y=60, t="Skill") + T.format(y=80, t="x") +
                  T.format(y=92, t="y"), 2, 0),
        # one line under it, then the rest over the page
        "one line": (P.format(n=1) + H.format(l=3, y=790, t="S") +
                     T.format(y=805, t="meta") + A + P.format(n=2) +
                     T.format(y=60, t="row"), 1, 0),
        # fine: two lines under it
        "two lines": (P.format(n=1) + H.format(l=3, y=770, t="S") +
                      T.format(y=785, t="a") + T.format(y=797, t="b") + A +
                      P.format(n=2) + T.format(y=60, t="c"), 0, 0),
        # fine: its section ends on the page (the next opens a new one)
        "section ends": (P.format(n=1) + H.format(l=2, y=780, t="Chart") +
                         T.format(y=800, t="a note") + A + P.format(n=2) +
                         H.format(l=1, y=60, t="Domain") + T.format(
                             y=80, t="x") + T.format(y=92, t="y"), 0, 0),
        # a bookmark on its heading, and one a page early
        "bookmarks": (P.format(n=1) + H.format(l=1, y=70, t="Domain") +
                      T.format(y=90, t="a") + T.format(y=102, t="b") +
                      P.format(n=2) + H.format(l=2, y=60, t="Group") +
                      T.format(y=80, t="c") + T.format(y=92, t="d") +
                      'outline depth=0 page=1 y=58.00 "Domain"\n'
                      'outline depth=1 page=1 y=58.00 "Group"\n', 0, 1),
        # a contents entry right, one to the wrong place, one with the
        # wrong number
        "links": (P.format(n=1) + T.format(y=70, t="Domain") +
                  'link x=50.00 y=60.00 w=400.00 h=12.00 -> page 2 y=58.00\n'
                  + T.format(y=84, t="Group") +
                  'link x=50.00 y=74.00 w=400.00 h=12.00 -> page 2 y=58.00\n'
                  + T.format(y=98, t="Group") + T.format(y=98, t=". . .") +
                  T.format(y=98, t="3") +
                  'link x=50.00 y=88.00 w=400.00 h=12.00 -> page 2 y=75.00\n'
                  + P.format(n=2) + H.format(l=1, y=70, t="Domain") +
                  H.format(l=2, y=86, t="Group") + T.format(y=100, t="c") +
                  T.format(y=112, t="d"), 0, 2),
    }
    failed = 0
    with tempfile.TemporaryDirectory() as d:
        for name, (text, want_s, want_o) in cases.items():
            path = os.path.join(d, name.replace(" ", "_") + ".trace")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            pages, outlines, headings, links = read_trace(path)
            got_s = len(stranded(pages))
            got_o = len(bad_outlines(outlines, headings)) + \
                len(bad_links(links, headings))
            if (got_s, got_o) != (want_s, want_o):
                failed += 1
                print(f"self-test {name}: {got_s} stranded, {got_o} "
                      f"bookmarks; expected {want_s}, {want_o}")
    print(f"self-test: {len(cases) - failed} of {len(cases)} cases right")
    return failed == 0


def main(argv):
    if argv == ["--self-test"]:
        return 0 if self_test() else 1
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    if len(argv) == 1 and os.path.isdir(argv[0]):
        d = argv[0]
        with open(os.path.join(d, "LIST"), encoding="utf-8") as f:
            files = [os.path.join(d, ".".join(l.split()) + ".trace")
                     for l in f if l.strip()]
    else:
        files = argv
    nstr, nout, nhead = check(files)
    if nhead == 0:
        print("stranded.py: no heading marked in any trace", file=sys.stderr)
        return 2
    return 1 if nstr or nout else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
