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
  sb_span s = {t, font, c, NULL};
  return s;
}

/* lang (NULL = "en") when it is not the document's language (doc_lang,
** the catalogue's xml:lang; NULL = "en"), else NULL. Tags that share
** their primary language ("en" and "en-GB") count as the same. */
static inline const char *sb_docs_other_lang(const char *lang,
                                             const char *doc_lang) {
  const char *a = lang ? lang : "en";
  const char *b = doc_lang ? doc_lang : "en";
  size_t i = 0;
  while (a[i] && a[i] != '-' && b[i] && b[i] != '-' &&
         (a[i] | 0x20) == (b[i] | 0x20))
    i++;
  if ((a[i] == 0 || a[i] == '-') && (b[i] == 0 || b[i] == '-'))
    return NULL;
  return a;
}

/* The language of the labels lb prints when it is not the document's
** (doc_lang, the catalogue's xml:lang; NULL = "en"), else NULL: what
** sb_span.lang gets for label text (tagged /Lang in the PDF). */
static inline const char *sb_docs_label_lang(const sb_labels *lb,
                                             const char *doc_lang) {
  return sb_docs_other_lang(lb && lb->lang ? lb->lang : "en", doc_lang);
}

/* A span of printed label text in lang, the labels' language when not
** the document's (sb_docs_label_lang; NULL = the document's). */
static inline sb_span lspan_in(const char *lang, const char *t, int font,
                               sb_color c) {
  sb_span s = {t, font, c, lang};
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

/* ==== Names in bounded places (docs/hardening.md) ====
**
** A name printed where the room is fixed or repeated is bounded once per
** document with sb_lay_bound, and the short form is what every page
** prints: a name of any length costs one pass over it, and the pages and
** memory of a document grow with the expectations it shows, never with a
** name times the pages. Lines a name may take, at the place's width: */
#define SB_LINES_TITLE 4  /* a document's title: cover, profile, sheet */
#define SB_LINES_CELL 4   /* a name in a table cell (level, role, skill) */
#define SB_LINES_HEAD 3   /* a name in a header cell, repeated per page */
#define SB_LINES_LINE 2   /* a name in a one-paragraph line (meta, levels) */
#define SB_LINES_ONE 1    /* running head, footer, "(continued)", fields */
/* Shares of the content width in the furniture (one line each): the
** footer's name before " — page X of Y", the running head's left text,
** the catalogue's title at its right, the version at the footer's right. */
#define SB_FOOT_NAME_W 0.60
#define SB_HEAD_LEFT_W 0.55
#define SB_HEAD_RIGHT_W 0.35
#define SB_FOOT_RIGHT_W 0.25

/** Bounds name to lines lines of width points in font at size
** (sb_lay_bound); a shortened name warns once naming "KIND ID: name"
** (id may be NULL: "KIND"). Returns name itself when it fits or is NULL. */
const char *sb_docs_bound(sb_lay *lay, const char *kind, const char *id,
                          const char *file, long line, const char *name,
                          int font, double size, double width, int lines);

/** The catalogue's title for the running head's right and its version for
** the footer's right, each bounded to one line of its place on lay's page
** (a shortened one warns once). Either may come back NULL (none). */
void sb_docs_bound_head_foot(sb_lay *lay, const sb_catalog *cat,
                             const char **head_title, const char **version);

/* ==== Dates (date.c) ==== */

/** The date of a document that shows skills[0..n) (indexes; NULL = all):
** SOURCE_DATE_EPOCH when set (and a valid non-negative integer), else the
** newest `updated` among them at 00:00 UTC, else -1 (no date). */
long long sb_doc_date(const sb_catalog *cat, const int *skills, int n);
/** Seconds since the epoch (UTC, 00:00) of an ISO date "YYYY-MM-DD" from
** 1970 on, or -1 for anything else (NULL, another shape, a bad month or
** day). Used for `updated` dates; no time zone or locale enters. */
long long sb_doc_iso_time(const char *iso);

/* ==== Figures (figures.c) ==== */

typedef struct sb_docs_figure {
  const char *caption;  /* above the number (bold, muted, small); NULL in
                           all four = no caption row */
  int value;            /* the number, bold */
  double size;          /* its size */
  sb_color color;       /* its colour */
  const char *note;     /* under it (muted, small) */
} sb_docs_figure;

typedef struct sb_docs_figures {
  const sb_style *st;
  sb_docs_figure fig[4];
  double pad;           /* the cells' padding */
  double rule_width;    /* the rule above the row */
  sb_color rule_color;
  double rule_after;    /* points between the rule and the row */
  sb_src src;
  const char *lang;     /* the captions' and notes' language (they are
                           labels) when not the document's, else NULL */
} sb_docs_figures;

/** Draws four figures in a row across the content width, under a rule:
** four columns of caption (when fig[0].caption is set), number, note.
** Returns the layout's status, or SB_E_LIMIT when arena is full. */
/** A skill's keywords joined with ", " in arena; NULL over its budget. */
char *sb_docs_join_keywords(sb_arena *arena, const sb_skill *sk);

sb_status sb_docs_draw_figures(sb_ctx *ctx, sb_lay *lay, sb_arena *arena,
                               const sb_docs_figures *f);

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
  int cover;              /* a cover: no page number, name, version or rule
                             in the footer (the style's footer line stays);
                             the page still counts in "page X of Y" */
} sb_furniture;

/** Draws the furniture of one page (an sb_lay_furniture_fn body) as
** described above. This function can't fail (text the arena cannot hold
** is left out; the layout's sticky status records it). */
void sb_docs_furniture(sb_lay *lay, const sb_furniture *f, int page,
                       int npages);

/** sb_docs_furniture whose footer says "page num of total" rather than
** the page's place in the document (a pack in a review book numbers its
** own pages). */
void sb_docs_furniture_num(sb_lay *lay, const sb_furniture *f, int page,
                           int num, int total);

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
