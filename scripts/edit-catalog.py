#!/usr/bin/env python3
"""Makes a new version of a one-file catalogue with N random edits, for
tests and benchmarks of `skillbook diff` (tests/cli/diff.sh, bench/).

    scripts/edit-catalog.py OLD.xml NEW.xml --edits 300 --seed 1 [--list FILE]

Each edit picks one expectation not edited yet: two thirds get one word
inserted after their first word ("carefully"), one third flip between
mandatory and optional. --list writes one line per edit, "KIND SKILL ROLE
LEVEL" with KIND expectation-text, became-mandatory or became-optional:
exactly what the diff must report. Standard library only; the same
arguments give the same bytes.
"""
import argparse
import random
import re

EXPECT = re.compile(r'<expect level="([^"]+)" role="([^"]+)"( mandatory="true")?>(.*?)</expect>', re.S)
SKILL = re.compile(r'<skill id="([^"]+)"')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--edits", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--list")
    a = ap.parse_args()
    text = open(a.old, encoding="utf-8").read()
    # every expectation with its skill: (start, end, skill, level, role, mandatory, body)
    skills = [(m.start(), m.group(1)) for m in SKILL.finditer(text)]
    found = []
    si = 0
    for m in EXPECT.finditer(text):
        while si + 1 < len(skills) and skills[si + 1][0] < m.start():
            si += 1
        found.append((m.start(), m.end(), skills[si][1], m.group(1), m.group(2),
                      bool(m.group(3)), m.group(4)))
    rng = random.Random(a.seed)
    picked = sorted(rng.sample(range(len(found)), min(a.edits, len(found))))
    out, last, lines = [], 0, []
    for n, i in enumerate(picked):
        start, end, skill, level, role, mand, body = found[i]
        if n % 3 == 2:
            mand = not mand
            lines.append("%s %s %s %s" % ("became-mandatory" if mand else "became-optional",
                                          skill, role, level))
        else:
            words = body.split(" ", 1)
            body = words[0] + " carefully" + (" " + words[1] if len(words) > 1 else "")
            lines.append("expectation-text %s %s %s" % (skill, role, level))
        out.append(text[last:start])
        out.append('<expect level="%s" role="%s"%s>%s</expect>'
                   % (level, role, ' mandatory="true"' if mand else "", body))
        last = end
    out.append(text[last:])
    open(a.new, "w", encoding="utf-8").write("".join(out))
    if a.list:
        open(a.list, "w").write("".join(l + "\n" for l in sorted(lines)))


if __name__ == "__main__":
    main()
