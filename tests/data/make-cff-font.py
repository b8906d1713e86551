#!/usr/bin/python3
"""Writes tests/data/box-cff.otf: a tiny OpenType font with CFF outlines
(two glyphs, .notdef and a square for 'A'), drawn here, so that the tests of
"skillbook embeds TrueType only" need no system font. Needs Debian's
python3-fonttools; run it again only to change the font:
    /usr/bin/python3 tests/data/make-cff-font.py tests/data/box-cff.otf
"""
import sys
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen


def square(width, lo, hi):
    pen = T2CharStringPen(width, None)
    pen.moveTo((lo, lo))
    pen.lineTo((hi, lo))
    pen.lineTo((hi, hi))
    pen.lineTo((lo, hi))
    pen.closePath()
    return pen.getCharString()


fb = FontBuilder(1000, isTTF=False)
fb.setupGlyphOrder([".notdef", "A"])
fb.setupCharacterMap({ord("A"): "A"})
fb.setupCFF("SkillbookBoxCFF", {"FullName": "Skillbook Box CFF"},
            {".notdef": square(500, 50, 450), "A": square(600, 100, 500)}, {})
fb.setupHorizontalMetrics({".notdef": (500, 50), "A": (600, 100)})
fb.setupHorizontalHeader(ascent=800, descent=-200)
fb.setupNameTable({"familyName": "Skillbook Box CFF", "styleName": "Regular"})
fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800,
            usWinDescent=200)
fb.setupPost()
fb.save(sys.argv[1] if len(sys.argv) > 1 else "box-cff.otf")
