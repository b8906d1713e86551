/*
** docs/docs-imp.h -- what the three documents share: page furniture and
** small formatting helpers. Private to src/docs/.
**
** Every document (handbook, sheet, profile) draws the same furniture, so
** a style's logo and footer line and the language's "page X of Y" and date
** look alike in all of them: a running header (bold title at the left,
** the catalogue's title and the style's logo at the right, a thin rule
** under it) in the top margin, and a footer (a rule, "NAME — page X of Y"
** centred, a tiny note at the right, the style's footer line under it).
*/
#ifndef SKILLBOOK_DOCS_IMP_H
#define SKILLBOOK_DOCS_IMP_H

#include <string.h>

#include "skillbook/docs.h"
#include "skillbook/layout.h"

/* A run of text in one font and colour. */
static inline sb_span span(const char *t, int font, sb_color c) {
  sb_span s = {t, font, c};
  return s;
}

/* A paragraph of n spans at size; everything else zero (left-aligned, no
** indent, no space, no mark). */
static inline sb_para para(const sb_span *sp, int n, double size) {
  sb_para p;
  memset(&p, 0, sizeof p);
  p.spans = sp;
  p.nspans = n;
  p.size = size;
  return p;
}

typedef struct sb_furniture {
  const sb_labels *lb;
  sb_arena *arena;        /* the document arena (formatted strings) */
  const char *file;       /* for sb_src: the catalogue */
  const char *head_left;  /* running header, bold accent; NULL = no header
                             on this page */
  const char *head_right; /* muted, left of the logo; may be NULL */
  const char *foot_name;  /* before " — page X of Y"; NULL = the page
                             number alone */
  const char *foot_right; /* tiny, at the right; may be NULL */
} sb_furniture;

/** Draws the furniture of one page (an sb_lay_furniture_fn body) as
** described above. This function can't fail (text the arena cannot hold
** is left out; the layout's sticky status records it). */
void sb_docs_furniture(sb_lay *lay, const sb_furniture *f, int page,
                       int npages);

/** Copies a label into buf with its first two "%d" replaced by a and b.
** Labels are data, never a format string. */
void sb_docs_fill_numbers(char *buf, size_t size, const char *label, int a,
                          int b);

/** "Version V · DATE", "Version V", "DATE" or NULL (in arena), for the
** footer's right end; version and date may be NULL or empty. */
const char *sb_docs_version_date(sb_arena *arena, const sb_labels *lb,
                                 const char *version, const char *date);

/** Formats an ISO date "YYYY-MM-DD" (a catalogue's `updated`) for the
** language into buf (sb_label_date); an empty string when iso is NULL or
** not such a date. This function can't fail. */
void sb_docs_iso_date(const sb_labels *lb, const char *iso, char *buf,
                      size_t size);

#endif
