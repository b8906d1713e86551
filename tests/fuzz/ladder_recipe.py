#!/usr/bin/env python3
"""tests/fuzz/ladder_recipe.py -- writes fuzz_ladder recipes from readable
parameters, so that every file of tests/fuzz/corpus-ladder/ can be explained
and made again.

A recipe is the input of tests/fuzz/fuzz_ladder.c (its header comment is the
format's definition): a 22-byte header (counts, the expectation pattern, what
to render) and then operations (names, texts, expectations, ids, dates).
fuzz_ladder decodes it into a valid catalogue and renders every document
kind from it. To see the catalogue a recipe makes:

    build/tests/fuzz/fuzz_replay --ladder-xml FILE

Usage:
    ladder_recipe.py [OPTIONS] > FILE        one recipe
    ladder_recipe.py --corpus DIR            (re)writes the corpus files
                                             listed in CORPUS below
    ladder_recipe.py --list                  what each corpus file is

TEXT below is STYLE:LENGTH[:SEED]; STYLE is one of STYLES (by name or number),
LENGTH is in characters (at most 131072; 524288 over the whole recipe), SEED
0-255 varies the text (for 'letter' it picks the letter from LETTERS; a
letter itself may be given instead).
"""
import argparse
import datetime
import os
import sys

STYLES = ["words", "letter", "mixed", "mixed-words", "combining", "rtl",
          "foreign", "invisible", "spaces", "digits", "xml", "any"]
LETTERS = ["a", "W", "i", "m", "\u0416", "\u05e9", "\u0639", "\u4e2d",
           "\U0001f600", "\u00df", "0", "\u00e9", "\u03a9", "\uac00",
           "\u0915", "M"]
KINDS = ["level", "role", "domain", "group", "skill"]
FORMATS = ["trace", "pdf", "png"]
DOC_STYLES = ["default", "letter", "ink-saver", "branded"]
LANGS = ["en", "es", "ru", "de", "fr", "he", "ar", "zh", "ja", "en-GB",
         "es-419", "ru-RU", "sr-Latn-RS", "pt-BR", "fi", "tlh"]
MAX = {"levels": 1024, "roles": 1024, "domains": 16, "groups": 8,
       "skills": 1024, "per_skill": 16}
TEXT_MAX = 131072


def u16(v):
    return bytes([v & 0xFF, (v >> 8) & 0xFF])


def leb(n):
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def text(spec):
    """STYLE:LENGTH[:SEED] -> the TEXT bytes of a recipe."""
    parts = spec.split(":")
    if len(parts) not in (2, 3):
        raise SystemExit(f"ladder_recipe: TEXT is STYLE:LENGTH[:SEED], not {spec!r}")
    style = STYLES.index(parts[0]) if parts[0] in STYLES else int(parts[0])
    length = int(parts[1])
    if not 0 <= length <= TEXT_MAX:
        raise SystemExit(f"ladder_recipe: a text has at most {TEXT_MAX} characters")
    seed = 0
    if len(parts) == 3:
        seed = LETTERS.index(parts[2]) if parts[2] in LETTERS else int(parts[2])
    return bytes([style]) + leb(length) + bytes([seed & 0xFF])


def recipe(a):
    """The recipe for parsed options a (see main)."""
    for k in ("levels", "roles", "skills"):
        if not 1 <= getattr(a, k) <= MAX[k]:
            raise SystemExit(f"ladder_recipe: --{k} is 1 to {MAX[k]}")
    if not 1 <= a.domains <= MAX["domains"] or not 1 <= a.groups <= MAX["groups"]:
        raise SystemExit("ladder_recipe: --domains is 1 to 16, --groups 1 to 8")
    if not 0 <= a.per_skill <= MAX["per_skill"]:
        raise SystemExit("ladder_recipe: --per-skill is 0 to 16")
    steps = [int(x) for x in a.steps.split(",")]
    flags = (FORMATS.index(a.format) | (4 if a.book else 0)
             | DOC_STYLES.index(a.style) << 3 | (32 if a.people else 0))
    h = bytes([flags]) + u16(a.levels - 1) + u16(a.roles - 1)
    h += bytes([a.domains - 1, a.groups - 1]) + u16(a.skills - 1)
    h += bytes([a.per_skill, steps[0], steps[1], steps[2], a.mandatory])
    h += bytes([LANGS.index(a.lang) | (0x80 if a.omit_false else 0)])
    h += u16(a.role) + u16(a.sheet_from) + u16(a.sheet_to) + b"\0"
    assert len(h) == 22
    ops = bytearray()
    for spec in a.name:  # KIND:INDEX:TEXT
        kind, idx, rest = spec.split(":", 2)
        k = KINDS.index(kind)
        op = [0, 1, 2, 3, 4][k]
        ops += bytes([op]) + (bytes([int(idx)]) if kind in ("domain", "group")
                              else u16(int(idx))) + text(rest)
    for spec in a.all_names:  # KIND:TEXT, KIND also 'expect'
        kind, rest = spec.split(":", 1)
        k = 5 if kind == "expect" else KINDS.index(kind)
        ops += bytes([12, k]) + text(rest)
    for spec in a.summary:  # SKILL:TEXT
        s, rest = spec.split(":", 1)
        ops += bytes([5]) + u16(int(s)) + text(rest)
    for spec in a.keyword:
        s, rest = spec.split(":", 1)
        ops += bytes([6]) + u16(int(s)) + text(rest)
    for spec in a.expect:  # SKILL:LEVEL:ROLE:MANDATORY:TEXT
        s, lv, ro, m, rest = spec.split(":", 4)
        mand = {"absent": 0, "true": 1, "false": 2}[m]
        ops += bytes([7]) + u16(int(s)) + u16(int(lv)) + u16(int(ro))
        ops += bytes([mand]) + text(rest)
    for spec in a.root:  # title|version|author:TEXT
        w, rest = spec.split(":", 1)
        ops += bytes([8, ["title", "version", "author"].index(w)]) + text(rest)
    for spec in a.id:  # KIND:INDEX:short|long|digit
        kind, idx, st = spec.split(":")
        ops += bytes([9, KINDS.index(kind)]) + u16(int(idx))
        ops += bytes([["short", "long", "digit"].index(st)])
    for spec in a.updated:  # SKILL:YYYY-MM-DD
        s, day = spec.split(":")
        d = (datetime.date.fromisoformat(day) - datetime.date(1970, 1, 1)).days
        ops += bytes([10]) + u16(int(s)) + u16(d)
    for spec in a.person:  # person|reviewer:TEXT
        w, rest = spec.split(":", 1)
        ops += bytes([11, ["person", "reviewer"].index(w)]) + text(rest)
    if a.profile:
        ops += bytes([13]) + u16(a.profile)
    return h + bytes(ops)


def parser():
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--levels", type=int, default=5)
    p.add_argument("--roles", type=int, default=3)
    p.add_argument("--domains", type=int, default=1)
    p.add_argument("--groups", type=int, default=1, help="per domain")
    p.add_argument("--skills", type=int, default=4)
    p.add_argument("--per-skill", type=int, default=0,
                   help="expectations per skill from the pattern (0-16)")
    p.add_argument("--steps", default="1,1,1", metavar="A,B,C",
                   help="the i-th expectation of skill s is at level "
                        "(s*A+i) mod levels, role (s*B+i*C) mod roles")
    p.add_argument("--mandatory", type=int, default=0x55,
                   help="bit i mod 8: the pattern's i-th expectation is mandatory")
    p.add_argument("--omit-false", action="store_true",
                   help='write no mandatory="false" (the default)')
    p.add_argument("--lang", default="en", choices=LANGS)
    p.add_argument("--format", default="trace", choices=FORMATS)
    p.add_argument("--style", default="default", choices=DOC_STYLES)
    p.add_argument("--book", action="store_true", help="the profile book too")
    p.add_argument("--people", action="store_true",
                   help="the sheet's person and reviewer fields")
    p.add_argument("--role", type=int, default=0, help="handbook and sheet")
    p.add_argument("--from", dest="sheet_from", type=int, default=0)
    p.add_argument("--to", dest="sheet_to", type=int, default=1)
    p.add_argument("--profile", type=int, default=0, help="the profiled skill")
    for o, meta in (("name", "KIND:INDEX:TEXT"), ("all-names", "KIND:TEXT"),
                    ("summary", "SKILL:TEXT"), ("keyword", "SKILL:TEXT"),
                    ("expect", "SKILL:LEVEL:ROLE:true|false|absent:TEXT"),
                    ("root", "title|version|author:TEXT"),
                    ("id", "KIND:INDEX:short|long|digit"),
                    ("updated", "SKILL:YYYY-MM-DD"),
                    ("person", "person|reviewer:TEXT")):
        p.add_argument("--" + o, action="append", default=[], metavar=meta)
    p.add_argument("--corpus", metavar="DIR")
    p.add_argument("--list", action="store_true")
    return p


# The corpus: name -> (what it is, the options). regress-* reproduce the
# cases of issue #13 (docs/hardening.md, "The ladder target"); seed-* give
# the fuzzer a start in every corner of the format.
CORPUS = {
    "regress-profile-level-name-800": (
        "case 1: a level named by 800 letters W heads the profile's table of "
        "that level (repeated on every page): paginated without end",
        "--levels 3 --roles 2 --skills 1 --name level:1:letter:800:W "
        "--expect 0:1:0:true:words:40 --expect 0:1:1:false:words:40 "
        "--expect 0:0:0:true:words:20"),
    "regress-sheet-level-name-2000": (
        "case 1: a level named by 2,000 letters in a level sheet",
        "--levels 3 --roles 1 --skills 2 --from 0 --to 1 "
        "--name level:1:letter:2000:a --expect 0:0:0:true:words:30 "
        "--expect 0:1:0:true:words:30 --expect 1:1:0:false:words:30"),
    "regress-handbook-role-name-100000": (
        "case 2: a role named by 100,000 letters: its handbook (title, "
        "running heads, bookmarks), sheet and profile",
        "--levels 3 --roles 2 --skills 2 --per-skill 2 "
        "--name role:0:letter:100000:a"),
    "regress-handbook-role-name-mixed-131072": (
        "case 2: a role named by 131,072 characters of mixed scripts (the "
        "recipe's cap), no spaces",
        "--levels 3 --roles 2 --skills 2 --per-skill 2 "
        "--name role:0:mixed:131072:7"),
    "regress-catalog-700x700x500": (
        "case 3: 700 levels, 700 roles, 500 skills, one expectation each "
        "(sparse): a levels x roles matrix per skill was 968 MB",
        "--levels 700 --roles 700 --skills 500 --domains 5 --groups 4 "
        "--per-skill 1 --steps 1,1,1"),
    "regress-sheet-level-name-words-131072": (
        "case 1, as fuzz_ladder found it on 0fc217e: a level named by "
        "131,072 characters of words (spaces, so it wraps) in the sheet's "
        "header and the profile's tables",
        "--levels 4 --roles 3 --skills 6 --per-skill 4 --to 1 "
        "--name level:1:words:131072:5"),
    "seed-small": (
        "5 levels, 4 roles, 12 skills, 6 expectations each, a few named",
        "--levels 5 --roles 4 --skills 12 --domains 2 --groups 2 "
        "--per-skill 6 --steps 1,3,1 --from 1 --to 3 --people "
        "--root title:words:5 --root version:digits:6 --root author:words:3 "
        "--summary 0:words:30 --keyword 0:words:3 --keyword 0:mixed-words:4 "
        "--updated 0:2026-03-17 --name skill:0:words:4"),
    "seed-scripts": (
        "names and texts in every text style, the pdf device",
        "--format pdf --levels 4 --roles 3 --skills 6 --per-skill 5 "
        "--steps 1,1,1 --to 3 "
        "--name level:0:mixed-words:12 --name level:1:rtl:15 "
        "--name level:2:combining:20:9 --name level:3:foreign:10 "
        "--name role:0:invisible:30 --name role:1:spaces:25 "
        "--name role:2:xml:12 --name skill:0:any:40 --name skill:1:digits:30 "
        "--name domain:0:rtl:8 --name group:0:combining:8:30 "
        "--all-names expect:any:60 --summary 1:mixed-words:80"),
    "seed-png-branded": (
        "the png device (page 1) and the branded style, Russian labels",
        "--format png --style branded --lang ru --levels 4 --roles 2 "
        "--skills 5 --per-skill 4 --all-names skill:mixed-words:6 "
        "--all-names expect:words:50"),
    "seed-book-ids": (
        "the profile book over 20 skills, long and digit-first ids, Spanish",
        "--book --lang es --style letter --levels 6 --roles 3 --skills 20 "
        "--domains 3 --groups 2 --per-skill 4 --steps 2,1,2 "
        "--id level:0:long --id role:1:digit --id skill:3:long "
        "--id domain:0:digit --id group:1:long --profile 3"),
    "seed-wide": (
        "120 levels x 80 roles x 60 skills, 16 expectations each, "
        "ink-saver style, mandatory omitted when false",
        "--style ink-saver --omit-false --levels 120 --roles 80 --skills 60 "
        "--domains 4 --groups 3 --per-skill 16 --steps 7,5,3 --role 5 "
        "--from 2 --to 90"),
}


def main():
    a = parser().parse_args()
    if a.list:
        for name, (what, _) in CORPUS.items():
            print(f"{name}: {what}")
        return
    if a.corpus:
        os.makedirs(a.corpus, exist_ok=True)
        for name, (_, opts) in CORPUS.items():
            with open(os.path.join(a.corpus, name), "wb") as f:
                f.write(recipe(parser().parse_args(opts.split())))
        return
    sys.stdout.buffer.write(recipe(a))


if __name__ == "__main__":
    main()
