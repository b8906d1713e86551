/*
** devices/hpdf-glyph-imp.h -- the glyph-id cache that interposes libharu's
** HPDF_TTFontDef_GetGlyphid (private to the pdf device and its tests).
**
** See the header comment of hpdf-glyph.c for the mechanism and its risk.
** Single-threaded per process, like the rest of skillbook.
*/
#ifndef SB_DEVICES_HPDF_GLYPH_IMP_H
#define SB_DEVICES_HPDF_GLYPH_IMP_H

#include <hpdf.h>
#include <hpdf_fontdef.h>

/* What the cache has done in this process (for tests and benchmarks). */
typedef struct sb_pdf_glyph_stats {
  unsigned long long hits;      /* calls answered from a table */
  unsigned long long forwarded; /* calls passed to libharu's own function */
  int fills;                    /* tables built (one per distinct cmap) */
  int faces;                    /* tables held */
  int bound;                    /* fontdefs currently bound to a table */
} sb_pdf_glyph_stats;

/* Binds a TrueType fontdef of a live document to the table of its cmap
** (built on first sight of that cmap, by asking libharu's own function for
** every BMP code point). Returns 1 when bound; 0 when the cache is
** disabled, full, or the cmap is one it does not model (not format 4, an
** empty or unterminated segment list, an index one past the glyph array):
** calls for that fontdef then go to libharu unchanged. Must be undone with
** sb_pdf_glyph_unbind before the document is freed. */
int sb_pdf_glyph_bind(HPDF_FontDef fd);
/* Forgets fd (no-op when it is not bound). Call before HPDF_Free. */
void sb_pdf_glyph_unbind(HPDF_FontDef fd);

/* libharu's own HPDF_TTFontDef_GetGlyphid, found with dlsym(RTLD_NEXT). */
HPDF_UINT16 sb_pdf_glyph_original(HPDF_FontDef fd, HPDF_UINT16 unicode);

/* 0 turns the cache off (bind refuses), 1 on. The initial state is on
** unless the environment variable SKILLBOOK_NO_GLYPH_CACHE is set to
** something other than "" or "0". Fontdefs already bound stay bound. */
void sb_pdf_glyph_set_enabled(int on);
sb_pdf_glyph_stats sb_pdf_glyph_cache_stats(void);

#endif
