/*
** layout/layout-imp.h -- the layout engine's private state.
**
** Shared by text.c (preparation), wrap.c (line breaking, text ops),
** bound.c (names cut with an ellipsis), flow.c (pages, paragraphs,
** furniture) and table.c. Not part of the public API.
*/
#ifndef SB_LAYOUT_IMP_H
#define SB_LAYOUT_IMP_H

#include "skillbook/layout.h"

/* Advances cache: per font slot, lazily allocated pages of 256 entries.
** Entry: advance in 1/1000 em, -1 = not looked up, -2 = not covered. */
typedef struct width_cache {
  int16_t *page[256];
} width_cache;

/* (character, source) pairs already warned about. */
typedef struct warned {
  uint64_t *keys;
  size_t n, cap;
} warned;

/* An op whose content waits for an sb_lay_ref (sb_para.ref). */
typedef struct deferred {
  int page, op;       /* the op: dl->pages[page].ops[op] */
  int is_tail;        /* 1: a right-aligned page number; 0: a link */
  double right;       /* tail: the right edge it is aligned to */
  const sb_lay_ref *ref;
} deferred;

/* The open keep chain: blocks placed that must share a page with the start
** of what follows them (headings, sb_para.keep_with_next), and what was
** placed after them that does not satisfy them yet (fewer than two lines).
** When what follows does not fit, the chain goes to the next page with it
** (sb_lay_break_): its ops, the outlines and deferred ops recorded on it,
** and the positions in refs move by the same amount. */
typedef struct keep_chain {
  int on;             /* a chain is open */
  int page;           /* its page */
  int op;             /* its first op on that page */
  double y;           /* the top of its first line */
  int top;            /* it starts its page: moving it would gain nothing */
  int noutlines;      /* outlines recorded before it */
  int ndeferred;      /* deferred ops recorded before it */
  int lines;          /* lines of text placed since its last kept block */
  sb_lay_ref **refs;  /* sb_para.at of its paragraphs */
  int nrefs;
  size_t caprefs;
} keep_chain;

struct sb_lay {
  sb_ctx *ctx;
  sb_arena *arena;    /* document arena (engine, running texts) */
  sb_arena *scratch;  /* per block: prepared text, lines */
  sb_dl *dl;          /* NULL = dry run */
  const sb_style *st;
  const sb_fontset *fs;
  double pw, ph;      /* page size */
  double x0, x1, y0, y1; /* content box */
  int page;           /* current page, -1 = none */
  int npages;
  double y;           /* top of the next block on the current page */
  int fresh;          /* nothing placed on the current page yet */
  sb_status status;   /* sticky */
  const char *running;        /* running header from here on */
  const char **page_running;  /* per page */
  int cap_running;
  sb_lay_furniture_fn furniture;
  void *furniture_user;
  width_cache wc[SB_FONT_COUNT];
  int16_t ascii_adv[SB_FONT_COUNT][128]; /* sb_lay_adv_ of ASCII (text.c) */
  int ascii_ready;                       /* ascii_adv is filled */
  warned warned;
  sb_lay_cache *cache;      /* prepared text by content; NULL until used */
  sb_lay_cache *own_cache;  /* the one this layout made (dropped with it) */
  deferred *deferred;       /* resolved by sb_lay_finish */
  int ndeferred;
  size_t capdeferred;
  keep_chain keep;
};

/* text.c */
/* Remembers key in the warn-once set; returns 1 when it was there. */
int sb_lay_seen_(sb_lay *lay, uint64_t key);
/* libunibreak's verdicts (LINEBREAK_*) for u from a table of pairs, when
** u is made of common characters (see text.c) and does not start with a
** space; else 0 (brk may have been written: fill it again). */
int sb_lay_pair_breaks_(const unsigned *u, size_t n, char *brk);
int sb_lay_adv_(sb_lay *lay, int font, int32_t cp); /* -2 = not covered */
/* sb_lay_prepare, and *widest: a slot kept in the preparation cache with
** the text's finished preparation for its widest unbreakable run (-1 until
** stored; table.c's min-content), or NULL when there is none. When that
** run is stored already, out is left empty (n = 0): it is all the caller
** needs. */
sb_status sb_lay_prepare_ro_(sb_lay *lay, const sb_span *spans, int nspans,
                             const sb_src *src, sb_text *out, long **widest);
/* The kern (1/1000 em) folded into t->c[i].adv: with the next drawn
** character of its span, 0 when none (text.c, "Pair kerning"). A run that
** ends at i takes it back. */
int sb_lay_kern_at_(sb_lay *lay, const sb_text *t, int i);
/* Re-folds the kern of t->c[i] (call after characters after it changed). */
void sb_lay_refold_(sb_lay *lay, sb_text *t, int i, int old_kern);
/* wrap.c */
/* Width in 1/1000 em of t->c[a, b) drawn as one run, with '-' after it
** when hyphen: the printed width, kerning included. */
long sb_lay_run_width_(sb_lay *lay, const sb_text *t, int a, int b,
                       int hyphen);
/* sb_lay_wrap, stopping after limit lines (the rest of the text is then
** not looked at: a bounded name costs its bounded part). */
int sb_lay_wrap_upto_(sb_lay *lay, const sb_text *t, double max_units,
                      sb_line **lines, int limit);
/* Emits a text op for characters [a, b) of t (one span/font run each),
** starting at x on baseline y; returns the x after it. hyphen: add '-'. */
double sb_lay_emit_line_(sb_lay *lay, int page, const sb_text *t,
                         const sb_span *spans, int a, int b, int hyphen,
                         double x, double y, double size);
/* Places the lines [l0, l1) of a prepared paragraph, first baseline y. */
void sb_lay_emit_lines_(sb_lay *lay, int page, const sb_text *t,
                        const sb_span *spans, const sb_line *lines, int l0,
                        int l1, double x, double width, double y,
                        double size, double lh, sb_align align);
/* bound.c */
/* Keeps the first keep of n lines of t (broken at max_units): when lines
** are dropped, line keep-1 is cut so that an ellipsis fits after it and
** the ellipsis is written into t in place of the characters after the
** cut. Returns the lines left (min(n, keep)). */
int sb_lay_clip_(sb_lay *lay, sb_text *t, sb_line *lines, int n, int keep,
                 double max_units);
/* Warns once per document and field (src->what, file, line) that a text
** was shortened: "WHAT: WHY; printed shortened, with an ellipsis". Quiet in
** a dry layout. */
void sb_lay_bound_warn_(sb_lay *lay, const sb_src *src, const char *why);

/* flow.c */
double sb_lay_leading_(const sb_lay *lay, double size, double leading);
/* Ascent of the regular face in points at size (baseline offset in a
** line box whose top is the line's top: (lh - size)/2 + ascent). */
double sb_lay_baseline_(const sb_lay *lay, double size, double lh);
int sb_lay_ok_(sb_lay *lay);
sb_status sb_lay_start_(sb_lay *lay);  /* ensures a current page exists */
/* Starts a new page because the next block (or its first part) does not
** fit on this one: an open keep chain that does not start this page moves
** to the new page with it. Blocks call this, never sb_lay_new_page (an
** explicit page break, which closes the chain where it is). */
sb_status sb_lay_break_(sb_lay *lay);
/* What follows the open keep chain is placed (a table's start, a drawing):
** the chain is closed and stays where it is. */
void sb_lay_keep_done_(sb_lay *lay);

#endif
