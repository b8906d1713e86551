#!/usr/bin/env python3
"""midword.py: counts words broken across lines without a hyphen in traces.

Usage: midword.py SETDIR VOCAB... [--max=N] [--quiet]

SETDIR is what tests/print_set.sh wrote (its LIST and one trace a document).
VOCAB are files or folders: every *.xml below them (catalogues: text and
attribute values) and every *.c or *.h (string literals: the printed
labels) gives the vocabulary, the words the documents may print.

The check does not trust the layout engine: it reads only the trace's text
ops. Text ops on one page and one baseline that touch end to end are one
printed line. A line's next line is the first later line in the trace (the
engine writes a paragraph's or a cell's lines in order) on the same page,
one line height lower (0.8 to 1.7 times the text size) and overlapping it
across the page. A line that ends in a letter or digit, followed by a line
that starts with one, is a word broken in the middle when the two fragments
joined make a word of the vocabulary and the pair is not two words of their
own that the vocabulary writes apart. A break after a hyphen, an ellipsis
or any punctuation is not counted. Prints one line per case (file, page,
the two fragments; --quiet: each pair of fragments once) and a count per
catalogue and style; exits 1 when there are more than --max cases (default
0). Ops keep their trace form: a field added to text ops (kerning) is
skipped over, the text is the op's last quoted string.
"""
import codecs
import collections
import os
import re
import sys
import xml.etree.ElementTree as ET

WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
TAIL = re.compile(r"[^\W_]+$")
HEAD = re.compile(r"^[^\W_]+")
TEXT = re.compile(
    r'^text f=(\d+) s=([\d.]+) x=(-?[\d.]+) y=(-?[\d.]+) w=([\d.]+)'
    r'.* "((?:[^"\\]|\\.)*)"\s*$')
CSTR = re.compile(rb'"((?:[^"\\\n]|\\.)*)"')


def unquote(s):
    if "\\" not in s:
        return s
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            if s[i + 1] == "x" and i + 3 < len(s):
                out.append(chr(int(s[i + 2:i + 4], 16)))
                i += 4
                continue
            out.append(s[i + 1])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


class Vocab:
    def __init__(self):
        self.words = set()
        self.pairs = set()

    def add_text(self, text):
        prev = None
        for m in WORD.finditer(text):
            w = m.group(0).lower()
            self.words.add(w)
            # the parts of a word with an apostrophe are words too
            for part in re.split(r"['\u2019]", w):
                self.words.add(part)
            if prev is not None and text[prev.end():m.start()].isspace():
                self.pairs.add((prev.group(0).lower(), w))
            prev = m

    def add_xml(self, path):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError:
            return
        for el in root.iter():
            if el.text:
                self.add_text(el.text)
            if el.tail:
                self.add_text(el.tail)
            for v in el.attrib.values():
                self.add_text(v)

    def add_c(self, path):
        with open(path, "rb") as f:
            data = f.read()
        for m in CSTR.finditer(data):
            try:
                s = codecs.escape_decode(m.group(1))[0].decode("utf-8")
            except (ValueError, UnicodeDecodeError):
                continue
            self.add_text(s)

    def add(self, path):
        if os.path.isdir(path):
            for d, _, files in os.walk(path):
                for f in sorted(files):
                    self.add(os.path.join(d, f))
        elif path.endswith(".xml"):
            self.add_xml(path)
        elif path.endswith((".c", ".h")):
            self.add_c(path)

    def broken(self, tail, head):
        """Whether tail|head is one word cut in two."""
        t, h = tail.lower(), head.lower()
        if t.isdigit() and h.isdigit():
            return False
        if (t + h) not in self.words:
            return False
        if t in self.words and h in self.words and (t, h) in self.pairs:
            return False  # two words the catalogue writes apart
        return True


def lines_of(path):
    """Printed lines: (page, y, size, x0, x1, text), in trace order."""
    out = []
    page = 0
    cur = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            if raw.startswith("page "):
                page += 1
                cur = None
                continue
            m = TEXT.match(raw)
            if not m:
                continue
            s, x, y, w = (float(m.group(i)) for i in (2, 3, 4, 5))
            text = unquote(m.group(6))
            if (cur is not None and cur[0] == page and abs(cur[1] - y) < 0.01
                    and abs(cur[4] - x) < 0.6):
                cur[4] = x + w
                cur[5] += text
                continue
            cur = [page, y, s, x, x + w, text]
            out.append(cur)
    return out


def next_line(lines, i):
    p, y, s, x0, x1, _ = lines[i]
    for j in range(i + 1, min(len(lines), i + 80)):
        q = lines[j]
        if q[0] != p:
            return None
        dy = q[1] - y
        if 0.8 * s <= dy <= 1.7 * s and q[3] < x1 and q[4] > x0:
            return q
    return None


def cases_in(path, vocab):
    lines = lines_of(path)
    found = []
    for i, ln in enumerate(lines):
        tail = TAIL.search(ln[5])
        if not tail:
            continue
        nx = next_line(lines, i)
        if nx is None:
            continue
        head = HEAD.search(nx[5])
        if head and vocab.broken(tail.group(0), head.group(0)):
            found.append((ln[0], tail.group(0), head.group(0)))
    return found


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    quiet = "--quiet" in argv
    limit = 0
    for a in argv:
        if a.startswith("--max="):
            limit = int(a.split("=", 1)[1])
    if len(args) < 2:
        sys.stderr.write(__doc__)
        return 2
    setdir = args[0]
    vocab = Vocab()
    for v in args[1:]:
        vocab.add(v)
    with open(os.path.join(setdir, "LIST"), encoding="utf-8") as f:
        docs = [ln.split() for ln in f if ln.strip()]
    per = collections.Counter()
    shown = collections.Counter()
    total = 0
    files = 0
    for cat, style, kind, ident in docs:
        name = "%s.%s.%s.%s.trace" % (cat, style, kind, ident)
        found = cases_in(os.path.join(setdir, name), vocab)
        if found:
            files += 1
        for page, tail, head in found:
            total += 1
            per[(cat, style)] += 1
            if not quiet or shown[(tail, head)] == 0:
                print("%s page %d: %s / %s" % (name, page, tail, head))
            shown[(tail, head)] += 1
    for (cat, style), n in sorted(per.items()):
        print("count %s %s: %d" % (cat, style, n))
    print("midword: %d words broken without a hyphen in %d of %d documents "
          "(vocabulary of %d words)" % (total, files, len(docs),
                                        len(vocab.words)))
    return 1 if total > limit else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
