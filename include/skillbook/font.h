/*
** skillbook/font.h -- TrueType faces: checking, coverage and metrics.
**
** Fonts are read with FreeType (the only module that includes it). A face
** is refused unless FreeType opens it as TrueType outlines (glyf), since
** libharu embeds nothing else; CFF-flavoured .otf is refused with a clear
** message. Advances are integer 1/1000 em truncated exactly as libharu
** writes them into /W, so that what layout measures is what prints; pair
** kerning (sb_font_kern) is one rule for layout and every device.
** Faces are refcounted so that a batch can keep them across documents.
*/
#ifndef SKILLBOOK_FONT_H
#define SKILLBOOK_FONT_H

#include "skillbook/base.h"
#include "skillbook/dlist.h"

typedef struct sb_font sb_font;

/** Loads and checks a TrueType file. SB_E_FONT with a message naming the
** file on failure. The result is owned (sb_drop_font). */
sb_status sb_load_font(sb_ctx *ctx, const char *path, sb_font **out);
sb_font *sb_keep_font(sb_font *f);
void sb_drop_font(sb_font *f);

const char *sb_font_path(const sb_font *f);
/** The face's PostScript name, for messages. */
const char *sb_font_name(const sb_font *f);
/** 1 when the font has a glyph for cp (not .notdef). */
int sb_font_covers(const sb_font *f, int32_t cp);
/** Advance of cp in 1/1000 em, as libharu writes it (0 when not covered). */
int sb_font_advance(const sb_font *f, int32_t cp);
/** Ascender and descender (descender negative) in 1/1000 em, as the PDF's
** font descriptor says. */
int sb_font_ascent(const sb_font *f);
int sb_font_descent(const sb_font *f);
/** Glyph index of cp in the face's Unicode cmap (BMP); 0 when not covered. */
unsigned sb_font_glyph(const sb_font *f, int32_t cp);

/** What a PDF font descriptor needs, in 1/1000 em. */
typedef struct sb_font_desc {
  int bbox[4];          /* xmin ymin xmax ymax */
  double italic_angle;  /* degrees, post table */
  int cap_height;       /* OS/2 sCapHeight, else the ascent */
  int weight;           /* OS/2 usWeightClass */
  int fixed_pitch;
} sb_font_desc;
const sb_font_desc *sb_font_descriptor(const sb_font *f);

/** The font file's bytes, read once at load time (for embedding). */
const unsigned char *sb_font_data(const sb_font *f, size_t *size);

/** Font files are read whole; larger ones are refused (SB_E_LIMIT). */
#define SB_FONT_MAX_BYTES ((size_t)64 << 20)

/** Checks that the TrueType tables a subset is made of (head, hhea, maxp,
** hmtx, loca, glyf) are present and consistent. SB_E_FONT naming path. */
sb_status sb_font_check_tables(sb_ctx *ctx, const char *path,
                               const unsigned char *data, size_t size);

/** Writes to out (appending) a TrueType file with only the glyphs whose bit
** is set in keep (a bitmap by glyph index, nglyphs_keep bits; glyph 0 is
** always kept) and, recursively, the components of composite glyphs,
** renumbered 0..N-1 in their original order. newgid (65,536 entries) gets
** each kept glyph's new index, 0 for the others. Tables: head, hhea, maxp,
** hmtx, loca (long), glyf, and cvt, fpgm, prep when the font has them.
** SB_E_FONT when the tables are inconsistent. (font/subset.c) */
sb_status sb_font_subset(sb_ctx *ctx, const sb_font *f, const uint8_t *keep,
                         unsigned nglyphs_keep, sb_buf *out,
                         uint16_t *newgid);

/** Pair kerning between left and right (code points), in 1/1000 em, to add
** to left's advance when right follows it in the same text run: from the
** face's 'kern' table (format 0), 0 when the pair is not there. Pairs with
** a space or a control character on either side are never kerned (a line
** breaks at spaces and drops them, so a kern there would be measured but
** not drawn), nor characters above U+FFFF. Never less than minus left's
** advance. Layout, the pdf device (TJ) and the png preview all use it. */
int sb_font_kern(const sb_font *f, int32_t left, int32_t right);
/** 1 when the face has kerning pairs. */
int sb_font_has_kerning(const sb_font *f);
/** A bitmap of the BMP code points (bit cp & 7 of byte cp >> 3) that
** start a kerned pair: sb_font_kern(f, cp, x) is 0 for any x when cp's bit
** is clear. NULL when the face has no pairs. For loops that would rather
** not call sb_font_kern for every character. */
const uint8_t *sb_font_kern_lefts(const sb_font *f);
#define SB_KERN_LEFT(lefts, cp)                                            \
  ((cp) > 0 && (cp) < 65536 && ((lefts)[(cp) >> 3] >> ((cp) & 7) & 1))

/** Width of UTF-8 text at size points: advances plus pair kerning
** (sb_font_kern) between neighbours, as the devices draw one text op. */
double sb_font_width(const sb_font *f, const char *s, size_t n, double size);

/** The faces of a document, one per SB_FONT_* slot. */
typedef struct sb_fontset {
  sb_font *face[SB_FONT_COUNT];
} sb_fontset;

/** Loads the three faces named by paths (regular, bold, italic). */
sb_status sb_load_fontset(sb_ctx *ctx, const char *const paths[SB_FONT_COUNT],
                          sb_fontset *fs);
void sb_drop_fontset(sb_fontset *fs);

#endif
