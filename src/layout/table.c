/*
** layout/table.c -- tables: header rows repeated per page, rows breaking
** between pages, rows split line by line when taller than a page.
**
** Each row's cells are prepared and broken once, then drawn in column
** order (band, then every cell's lines, then the rule under the row), so a
** cell's text is contiguous in the content stream: text extraction keeps
** a paragraph whole.
** Tests: tests/unit/test_layout.c
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "layout/layout-imp.h"

#define EPS 1e-6

typedef struct cellfit {
  sb_text t;
  sb_line *lines;
  int n;          /* lines of text */
  double size, lh;
  double tx, tw;  /* text left and width */
  double extra;   /* ruled writing lines under the text */
  sb_text st;     /* the sub paragraph (sb_cell.sub) */
  sb_line *sl;
  int sn;
  double ssize, slh, sub_h; /* sub_h: its height with the gap, 0 = none */
} cellfit;

/* The parts of a row drawn on one page: lines [from[c], to[c]) of every
** cell; first: the part with the row's start; last: with its end. */
typedef struct rowpart {
  const int *from, *to;
  double y, h;
  int band, header, first, last, rep;
} rowpart;

static double pad_of(const sb_lay *lay, const sb_table *t) {
  return t->pad >= 0 ? t->pad : lay->st->cell_pad;
}

static double table_x(const sb_lay *lay, const sb_table *t) {
  return t->x > 0 ? t->x : lay->x0;
}

static double table_w(const sb_table *t) {
  double w = 0;
  for (int c = 0; c < t->ncols; c++) w += t->widths[c];
  return w;
}

static double mark_box(double size) { return size * 0.72; }

/* ==== Columns sized from their content ====
**
** A column is never narrower than its longest word (CSS's min-content):
** the widest run between two break opportunities of any of its cells, at
** the cell's font and size, with the cell's mark and padding. A column
** that is narrower takes the points it lacks from the columns of text
** that have room beyond their own longest word, from each in proportion
** to that room. Columns without text (drawn areas: writing lines, check
** boxes) keep the width the document gave them. For one word, no column
** grows past an equal share of the table (or its own width if wider): a
** word that long (a path, a run of characters with no break) breaks with a
** hyphen instead of squeezing every other column. When the words cannot all
** fit, the columns that lack room share what the others leave, and a word
** still longer than its column breaks with a hyphen (wrap.c). */

/* The widest unbreakable run of t in 1/1000 em (a run broken at a soft
** hyphen counts the hyphen it prints). */
static long widest_run(sb_lay *lay, const sb_text *t) {
  long best = 0, w = 0, trail = 0;
  for (int i = 0; i < t->n; i++) {
    const sb_tchar *c = &t->c[i];
    if (c->flags & SB_TC_SPACE) {
      trail += c->adv;
    } else {
      w += trail + c->adv;
      trail = 0;
    }
    if (c->flags & (SB_TC_BREAK | SB_TC_MUST)) {
      long e = w;
      if (c->flags & SB_TC_SHY) {
        int a = sb_lay_adv_(lay, c->font, '-');
        e += a > 0 ? a : 0;
      }
      if (e > best) best = e;
      w = trail = 0;
    }
  }
  return w > best ? w : best;
}

/* The width in points of the longest word of spans at size. Reuses the
** scratch memory; 0 on error (the sticky status records it). */
static double min_content(sb_lay *lay, const sb_span *spans, int nspans,
                          double size, const sb_src *src) {
  sb_text t;
  long *memo;
  if (nspans <= 0) return 0;
  sb_dl *save = lay->dl;
  lay->dl = NULL; /* the cell warns when it is printed */
  sb_status st = sb_lay_prepare_ro_(lay, spans, nspans, src, &t, &memo);
  lay->dl = save;
  if (st) {
    lay->status = st;
    return 0;
  }
  /* the widest run is kept with a cached preparation: a table's cells
  ** repeat across tables (level names, headers, common expectations) */
  long w = memo && *memo >= 0 ? *memo : widest_run(lay, &t);
  if (memo) *memo = w;
  return (double)w * size / 1000.0;
}

double sb_lay_min_width(sb_lay *lay, int font, double size, const char *s) {
  if (!s || !*s || !sb_lay_ok_(lay)) return 0;
  sb_span sp = {s, font, {0, 0, 0}, NULL};
  sb_arena_reset(lay->scratch);
  return min_content(lay, &sp, 1, size, NULL);
}

/* What one cell needs across: its longest word, sub paragraph and mark,
** with the padding. Sets *text when it holds text. */
static double cell_need(sb_lay *lay, const sb_table *t, const sb_cell *cell,
                        int *text) {
  double size = cell->size > 0 ? cell->size : t->size;
  double w = min_content(lay, cell->spans, cell->nspans, size, &t->src);
  if (cell->nsub > 0) {
    double ss = cell->sub_size > 0 ? cell->sub_size : size;
    double sw = min_content(lay, cell->sub, cell->nsub, ss, &t->src);
    if (sw > w) w = sw;
  }
  if (cell->nspans > 0 || cell->nsub > 0) *text = 1;
  if (cell->mark != SB_MARK_NONE) w += mark_box(size) + size * 0.4;
  return w + 2 * pad_of(lay, t);
}

/* t's column widths widened to their longest words (see above), in the
** document arena; NULL over its budget (the status records it). */
static double *fit_columns(sb_lay *lay, const sb_table *t,
                           const sb_cell *rows, int nrows) {
  int nc = t->ncols;
  double *w = sb_arena_alloc(lay->arena, (size_t)nc * 2 * sizeof *w);
  int *text = sb_arena_alloc(lay->arena, (size_t)nc * sizeof *text);
  if (!w || !text) {
    lay->status = sb_fail_arena(lay->ctx);
    return NULL;
  }
  double *need = w + nc;
  double lack = 0, room = 0, total = 0;
  for (int c = 0; c < nc; c++) {
    w[c] = t->widths[c];
    total += w[c];
    need[c] = 0;
    text[c] = 0;
    for (int r = -1; r < nrows && sb_lay_ok_(lay); r++) {
      const sb_cell *cell = r < 0 ? (t->header ? &t->header[c] : NULL)
                                  : &rows[(size_t)r * nc + c];
      if (!cell) continue;
      sb_arena_reset(lay->scratch);
      double n = cell_need(lay, t, cell, &text[c]);
      if (n > need[c]) need[c] = n;
    }
  }
  for (int c = 0; c < nc; c++) {
    /* a word wider than an equal share of the table breaks (with a
    ** hyphen) rather than squeezing every other column for it */
    double share = total / nc, cap = share > w[c] ? share : w[c];
    if (need[c] > cap) need[c] = cap;
    if (need[c] > w[c] + EPS) lack += need[c] - w[c];
    else if (text[c]) room += w[c] - need[c];
  }
  if (lack <= EPS) return w;
  if (room >= lack) {
    for (int c = 0; c < nc; c++) {
      if (need[c] > w[c] + EPS) w[c] = need[c];
      else if (text[c]) w[c] -= (w[c] - need[c]) * lack / room;
    }
    return w;
  }
  /* not every word fits: the columns with room keep their longest words,
  ** the others share the rest in proportion to what they need */
  double rest = total, want = 0;
  for (int c = 0; c < nc; c++) {
    if (need[c] > w[c] + EPS) {
      want += need[c];
    } else {
      if (text[c]) w[c] = need[c];
      rest -= w[c];
    }
  }
  for (int c = 0; c < nc; c++)
    if (need[c] > t->widths[c] + EPS) w[c] = rest * need[c] / want;
  return w;
}

/* One warning per table source that its header had to be cut. */
static void header_warn(sb_lay *lay, const sb_table *t, int keep) {
  if (!lay->dl) return;
  char why[128];
  sb_src src = t->src;
  src.what = sb_arena_printf(lay->arena, "%s: table header",
                             t->src.what ? t->src.what : "table");
  if (!src.what) return;
  snprintf(why, sizeof why,
           "a header cell takes more than %d lines, a third of the page",
           keep);
  sb_lay_bound_warn_(lay, &src, why);
}

/* Prepares and breaks a cell's sub paragraph. Returns -1 on error. */
static int fit_sub(sb_lay *lay, const sb_table *t, const sb_cell *cell,
                   cellfit *cf) {
  cf->ssize = cell->sub_size > 0 ? cell->sub_size : cf->size;
  cf->slh = sb_lay_leading_(lay, cf->ssize, 0);
  if (sb_lay_prepare(lay, cell->sub, cell->nsub, &t->src, &cf->st)) {
    lay->status = lay->ctx->status;
    return -1;
  }
  cf->sn = sb_lay_wrap(lay, &cf->st, cf->tw * 1000.0 / cf->ssize, &cf->sl);
  cf->sub_h = cf->sn > 0 ? 2 + cf->sn * cf->slh : 0;
  return 0;
}

/* Prepares and breaks a row's cells; returns the row height (padding
** included), or -1 on error. */
static double fit_row(sb_lay *lay, const sb_table *t, const sb_cell *row,
                      cellfit *f) {
  double pad = pad_of(lay, t), x = table_x(lay, t), h = 0;
  double tlh = sb_lay_leading_(lay, t->size, 0);
  double tbase = sb_lay_baseline_(lay, t->size, tlh);
  int header = row == t->header;
  for (int c = 0; c < t->ncols; c++) {
    const sb_cell *cell = &row[c];
    cellfit *cf = &f[c];
    memset(cf, 0, sizeof *cf);
    cf->size = cell->size > 0 ? cell->size : t->size;
    cf->lh = sb_lay_leading_(lay, cf->size, 0);
    cf->tx = x + pad;
    cf->tw = t->widths[c] - 2 * pad;
    if (cell->mark != SB_MARK_NONE) {
      double m = mark_box(cf->size) + cf->size * 0.4;
      cf->tx += m;
      cf->tw -= m;
    }
    if (cf->tw < cf->size) cf->tw = cf->size;
    if (cell->nspans > 0) {
      if (sb_lay_prepare(lay, cell->spans, cell->nspans, &t->src, &cf->t)) {
        lay->status = lay->ctx->status;
        return -1;
      }
      cf->n = sb_lay_wrap(lay, &cf->t, cf->tw * 1000.0 / cf->size, &cf->lines);
      /* the header repeats on every page: past a third of the page it
      ** would leave no room for rows, page after page */
      int keep = (int)((((lay->y1 - lay->y0) / 3) - 2 * pad) / cf->lh);
      if (keep < 1) keep = 1;
      if (header && cf->n > keep) {
        cf->n = sb_lay_clip_(lay, &cf->t, cf->lines, cf->n, keep,
                             cf->tw * 1000.0 / cf->size);
        header_warn(lay, t, keep);
      }
    }
    cf->extra = cell->lines > 0 ? cell->lines * cf->lh * 1.9 : 0;
    if (cell->nsub > 0 && fit_sub(lay, t, cell, cf)) return -1;
    double dy = tbase - sb_lay_baseline_(lay, cf->size, cf->lh);
    double ch = cell->above + cf->n * cf->lh + cf->extra + cf->sub_h +
                (dy > 0 && !header ? dy : 0);
    if (cell->mark != SB_MARK_NONE && ch < cf->lh) ch = cf->lh;
    if (ch < cell->min_h) ch = cell->min_h;
    if (ch > h) h = ch;
    x += t->widths[c];
  }
  return h + 2 * pad;
}

/* Ruled writing lines every gap points in the cell box (x0..x1, top y,
** height h) below text_h points of text. */
static void rule_fill(sb_lay *lay, int pg, double x0, double x1, double y,
                      double h, double text_h, double gap) {
  int n = (int)((h - text_h - 2) / gap);
  for (int i = 1; i <= n; i++) {
    double ly = y - 2 + text_h + i * gap;
    sb_lay_line(lay, pg, x0, ly, x1, ly, lay->st->table_rule_width,
                lay->st->muted, 0);
  }
}

/* Whether a cell's sub paragraph belongs to the part [from, to): the one
** where its text ends (the first part for a cell without text), or every
** part for the repeated first cell. */
static int sub_here(const cellfit *cf, int from, int to, int first,
                    int whole) {
  return whole || (to == cf->n && (from < to || (cf->n == 0 && first)));
}

/* Draws one cell's part at cx. */
static void draw_cell(sb_lay *lay, const sb_table *t, const sb_cell *cell,
                      cellfit *cf, int c, double cx, const rowpart *pt) {
  const sb_style *st = lay->st;
  double pad = pad_of(lay, t), y = pt->y;
  int pg = lay->page, from = pt->from[c], to = pt->to[c];
  int whole = pt->rep && c == 0; /* the repeated first cell */
  int first = pt->first || whole;
  /* first baselines line up across cells of different sizes */
  double tlh = sb_lay_leading_(lay, t->size, 0);
  double tbase = sb_lay_baseline_(lay, t->size, tlh);
  double dy = tbase - sb_lay_baseline_(lay, cf->size, cf->lh);
  if (dy < 0 || pt->header) dy = 0;
  double top = pt->first ? cell->above : 0;
  if (first && cell->mark != SB_MARK_NONE) {
    double s = mark_box(cf->size);
    double base = sb_lay_baseline_(lay, cf->size, cf->lh) + dy + top;
    double mx = cf->tx - s - cf->size * 0.4;
    if (cf->n == 0 && cell->align == SB_ALIGN_CENTER)
      mx = cx + (t->widths[c] - s) / 2;
    sb_lay_mark_at(lay, pg, mx, y + pad + base - s * 0.95, s, cell->mark,
                   cell->mark_color);
  }
  if (to > from)
    sb_lay_emit_lines_(lay, pg, &cf->t, cell->spans, cf->lines, from, to,
                       cf->tx, cf->tw, y + pad + dy + top, cf->size, cf->lh,
                       cell->align);
  double text_h = top + (to - from) * cf->lh;
  /* the sub paragraph goes with the part where the text ends */
  if (cf->sn > 0 && sub_here(cf, from, to, pt->first, whole)) {
    sb_lay_emit_lines_(lay, pg, &cf->st, cell->sub, cf->sl, 0, cf->sn,
                       cf->tx, cf->tw, y + pad + text_h + 2, cf->ssize,
                       cf->slh, cell->align);
    text_h += cf->sub_h;
  }
  if (pt->last && cell->lines > 0) {
    double ly = y + pad + (to - from) * cf->lh;
    for (int i = 0; i < cell->lines; i++) {
      ly += cf->lh * 1.9;
      sb_lay_line(lay, pg, cx + pad, ly - cf->lh * 0.3,
                  cx + t->widths[c] - pad, ly - cf->lh * 0.3,
                  st->table_rule_width, st->muted, 0);
    }
  }
  if (cell->rule_gap > 0)
    rule_fill(lay, pg, cx + pad, cx + t->widths[c] - pad, y + pad,
              pt->h - 2 * pad, text_h, cell->rule_gap);
  if (pt->first && cell->draw)
    cell->draw(lay, pg, cx + pad, y + pad, t->widths[c] - 2 * pad,
               pt->h - 2 * pad, cell->user);
}

/* Draws a part of a row (or the header) on the current page. */
static void draw_part(sb_lay *lay, const sb_table *t, const sb_cell *row,
                      cellfit *f, const rowpart *pt) {
  const sb_style *st = lay->st;
  double x = table_x(lay, t), w = table_w(t), y = pt->y, h = pt->h;
  int pg = lay->page;
  if (pt->header && !st->greyscale)
    sb_lay_rect(lay, pg, x, y, w, h, 1, st->header_fill, 0, st->rule);
  else if (pt->band && !st->greyscale)
    sb_lay_rect(lay, pg, x, y, w, h, 1, st->band, 0, st->rule);
  double cx = x;
  /* structure: a row is a TR from its first part to its last; a cell's
  ** later parts continue its TH/TD; a repeated first cell is an artifact */
  if (pt->first) sb_lay_struct_begin(lay, pg, SB_STRUCT_TR, 0, 0, NULL);
  for (int c = 0; c < t->ncols; c++) {
    int th = pt->header || (c == 0 && t->row_header);
    sb_struct cell = th ? SB_STRUCT_TH : SB_STRUCT_TD;
    int again = !pt->first && pt->rep && c == 0;
    if (again)
      sb_lay_struct_begin(lay, pg, SB_STRUCT_ARTIFACT, SB_ARTIFACT_LAYOUT, 0,
                          NULL);
    else
      sb_lay_struct_begin(lay, pg, cell,
                          pt->header ? SB_SCOPE_COLUMN : th ? SB_SCOPE_ROW : 0,
                          pt->first ? 0 : c + 1, NULL);
    draw_cell(lay, t, &row[c], &f[c], c, cx, pt);
    sb_lay_struct_end(lay, pg, again ? SB_STRUCT_ARTIFACT : cell);
    cx += t->widths[c];
    if (t->grid && c + 1 < t->ncols)
      sb_lay_line(lay, pg, cx, y, cx, y + h, st->table_rule_width, st->rule,
                  0);
  }
  double rw = pt->header ? st->rule_width : st->table_rule_width;
  sb_lay_line(lay, pg, x, y + h, x + w, y + h, rw,
              pt->header ? st->accent : st->rule, 0);
  if (pt->last) sb_lay_struct_end(lay, pg, SB_STRUCT_TR);
}

static int repeats(const sb_table *t, int what) {
  int r = t->repeat ? t->repeat : SB_REPEAT_HEADER | SB_REPEAT_CAPTION;
  return (r & what) != 0;
}

static double cont_h(const sb_lay *lay, const sb_table *t) {
  return t->continued && repeats(t, SB_REPEAT_CAPTION)
             ? sb_lay_leading_(lay, lay->st->size_small, 0) + 2 : 0;
}

/* The header: on the table's first page its THead (then its TBody
** opens); repeated on a later page, with the "continued" caption, an
** artifact: the table is one table. */
static int draw_header_(sb_lay *lay, const sb_table *t, int cont, double *hh);
static int draw_header(sb_lay *lay, const sb_table *t, int cont, double *hh) {
  if (cont) {
    sb_lay_struct_begin(lay, -1, SB_STRUCT_ARTIFACT, SB_ARTIFACT_PAGINATION, 0,
                        NULL);
    int r = draw_header_(lay, t, cont, hh);
    sb_lay_struct_end(lay, -1, SB_STRUCT_ARTIFACT);
    return r;
  }
  if (t->header) sb_lay_struct_begin(lay, -1, SB_STRUCT_THEAD, 0, 0, NULL);
  int r = draw_header_(lay, t, cont, hh);
  if (t->header) sb_lay_struct_end(lay, -1, SB_STRUCT_THEAD);
  sb_lay_struct_begin(lay, -1, SB_STRUCT_TBODY, 0, 0, NULL);
  return r;
}

static int draw_header_(sb_lay *lay, const sb_table *t, int cont, double *hh) {
  *hh = 0;
  if (cont && t->continued && repeats(t, SB_REPEAT_CAPTION)) {
    double lh = sb_lay_leading_(lay, lay->st->size_small, 0);
    sb_lay_text_at(lay, lay->page, table_x(lay, t),
                   lay->y + sb_lay_baseline_(lay, lay->st->size_small, lh),
                   SB_FONT_ITALIC, lay->st->size_small, lay->st->muted,
                   SB_ALIGN_LEFT, t->continued, &t->src);
    lay->y += cont_h(lay, t);
    lay->fresh = 0;
  }
  if (!t->header || (cont && !repeats(t, SB_REPEAT_HEADER))) return 0;
  cellfit *f = sb_arena_alloc(lay->scratch, (size_t)t->ncols * sizeof *f);
  int *from = sb_arena_calloc(lay->scratch, (size_t)t->ncols * sizeof *from);
  int *to = sb_arena_alloc(lay->scratch, (size_t)t->ncols * sizeof *to);
  if (!f || !from || !to) {
    lay->status = sb_fail_arena(lay->ctx);
    return -1;
  }
  double h = fit_row(lay, t, t->header, f);
  if (h < 0) return -1;
  for (int c = 0; c < t->ncols; c++) to[c] = f[c].n;
  rowpart pt = {from, to, lay->y, h, 0, 1, 1, 1, 0};
  draw_part(lay, t, t->header, f, &pt);
  lay->y += h;
  lay->fresh = 0;
  *hh += h;
  return 0;
}

double sb_lay_row_height(sb_lay *lay, const sb_table *t, const sb_cell *row) {
  sb_arena_reset(lay->scratch);
  cellfit *f = sb_arena_alloc(lay->scratch, (size_t)t->ncols * sizeof *f);
  if (!f) return 0;
  double h = fit_row(lay, t, row, f);
  return h < 0 ? 0 : h;
}

/* How many lines of each cell fit in room on this part: sets to[], and
** *part to the part's content height; returns 1 when the row ends here.
** *any: some text advances; *blocked: drawing (min_h) or the repeated
** cell does not fit on a first part. */
static int fit_part(const sb_table *t, const sb_cell *row, const cellfit *f,
                    const int *from, int *to, double room, int first,
                    int rep, double *part, int *any, int *blocked) {
  int done = 1;
  *part = 0;
  *any = 0;
  *blocked = 0;
  for (int c = 0; c < t->ncols; c++) {
    const cellfit *cf = &f[c];
    double top = first ? row[c].above : 0, tail = cf->extra;
    double ph;
    if (rep && c == 0) {
      to[c] = cf->n;
      ph = top + cf->n * cf->lh + cf->sub_h;
      if (ph > room + EPS) *blocked = 1;
    } else {
      int left = cf->n - from[c];
      int fit = (int)floor((room - top + EPS) / cf->lh);
      if (fit < 0) fit = 0;
      double sub = left > 0 || (cf->n == 0 && first) ? cf->sub_h : 0;
      tail += sub;
      if (top + left * cf->lh + tail <= room + EPS) {
        to[c] = cf->n;
      } else {
        to[c] = from[c] + (fit < left ? fit : left);
        done = 0;
      }
      if (to[c] > from[c]) *any = 1;
      ph = top + (to[c] - from[c]) * cf->lh + (to[c] == cf->n ? tail : 0);
    }
    if (first && row[c].min_h > 0) {
      if (row[c].min_h > room + EPS) *blocked = 1;
      if (ph < row[c].min_h) ph = row[c].min_h;
    }
    if (ph > *part) *part = ph;
  }
  return done;
}

sb_status sb_lay_table(sb_lay *lay, const sb_table *decl,
                       const sb_cell *rows, int nrows, int *page) {
  if (sb_lay_start_(lay)) return lay->status;
  /* the table as drawn: the declared one with its columns fitted */
  sb_table tt = *decl;
  const sb_table *t = &tt;
  tt.widths = fit_columns(lay, decl, rows, nrows);
  if (!tt.widths || !sb_lay_ok_(lay)) return lay->status;
  int nc = t->ncols, rep = repeats(t, SB_REPEAT_FIRST);
  double pad = pad_of(lay, t);
  double body = lay->y1 - lay->y0;
  double header_h = t->header ? sb_lay_row_height(lay, t, t->header) : 0;
  /* what a continuation page prints over the rows */
  double again_h = repeats(t, SB_REPEAT_HEADER) ? header_h : 0;
  /* room the table's start needs: header + keep_rows rows, fitted here
  ** once: the first row is drawn from this fit below (fit_row gives the
  ** same from the same row and widths) */
  double start_need = header_h, h0 = 0;
  int keep = t->keep_rows > 0 ? t->keep_rows : 1;
  cellfit *f0 = NULL;
  sb_arena_reset(lay->scratch);
  for (int r = 0; r < keep && r < nrows; r++) {
    cellfit *f = sb_arena_alloc(lay->scratch, (size_t)nc * sizeof *f);
    if (!f) return lay->status = sb_fail_arena(lay->ctx);
    double h = fit_row(lay, t, rows + (size_t)r * nc, f);
    if (h < 0) return lay->status;
    if (r == 0) f0 = f, h0 = h;
    start_need += h;
  }
  /* a start taller than a quarter of the page may split (as rows do) */
  if (start_need > header_h + body / 4) start_need = header_h + body / 4;
  if (sb_lay_need(lay, start_need)) return lay->status;
  sb_lay_keep_done_(lay); /* the table's start fits: what it follows stays */
  if (page) *page = lay->page;
  sb_lay_struct_begin(lay, -1, SB_STRUCT_TABLE, 0, 0, NULL);
  int header_page = -1;
  for (int r = 0; r < nrows && sb_lay_ok_(lay); r++) {
    const sb_cell *row = rows + (size_t)r * nc;
    if (r > 0) sb_arena_reset(lay->scratch); /* row 0: f0 lives there */
    cellfit *f = r == 0 ? f0
                        : sb_arena_alloc(lay->scratch, (size_t)nc * sizeof *f);
    int *from = sb_arena_calloc(lay->scratch, (size_t)nc * sizeof *from);
    int *to = sb_arena_alloc(lay->scratch, (size_t)nc * sizeof *to);
    if (!f || !from || !to)
      return lay->status = sb_fail_arena(lay->ctx);
    double h = r == 0 ? h0 : fit_row(lay, t, row, f);
    if (h < 0) return lay->status;
    int band = t->zebra && (r % 2 == 1);
    /* a row that fits on a page moves whole to the next page, unless that
    ** would leave more than a quarter of this page empty: it splits here */
    double hdr = header_page >= 0 ? again_h : header_h;
    double need = h + (header_page != lay->page ? hdr : 0);
    double cont = header_page >= 0 ? cont_h(lay, t) : 0;
    double left = lay->y1 - lay->y - (header_page != lay->page ? hdr : 0);
    if (lay->y + need > lay->y1 + EPS && h + hdr + cont <= body + EPS &&
        left < body / 4 && !(lay->fresh && header_page != lay->page)) {
      if (sb_lay_new_page(lay)) return lay->status;
    }
    int first = 1;
    for (;;) {
      double hh;
      if (header_page != lay->page) {
        if (draw_header(lay, t, header_page >= 0, &hh)) return lay->status;
        header_page = lay->page;
      }
      double room = lay->y1 - lay->y - 2 * pad, used;
      int any, blocked;
      int done = fit_part(t, row, f, from, to, room, first, rep, &used, &any,
                          &blocked);
      if ((!done && !any) || blocked) {
        /* not even one line fits below the header: start a fresh page */
        if (lay->fresh || lay->y <= lay->y0 + hdr + cont + EPS) {
          /* cannot happen unless a line is taller than a page: force one */
          if (!done && !any) {
            for (int c = 0; c < nc; c++)
              if (from[c] < f[c].n) to[c] = from[c] + 1;
            used = 0;
            for (int c = 0; c < nc; c++)
              if ((to[c] - from[c]) * f[c].lh > used)
                used = (to[c] - from[c]) * f[c].lh;
          }
        } else {
          if (sb_lay_new_page(lay)) return lay->status;
          continue;
        }
      }
      double ph = done ? h : used + 2 * pad;
      if (done && h - 2 * pad > used + EPS && !first) ph = used + 2 * pad;
      rowpart pt = {from, to, lay->y, ph, band, 0, first, done, rep};
      draw_part(lay, t, row, f, &pt);
      lay->y += ph;
      lay->fresh = 0;
      if (done) break;
      first = 0;
      for (int c = 0; c < nc; c++) from[c] = to[c];
      if (rep) from[0] = 0;
      if (sb_lay_new_page(lay)) return lay->status;
    }
  }
  if (header_page >= 0) sb_lay_struct_end(lay, -1, SB_STRUCT_TBODY);
  sb_lay_struct_end(lay, -1, SB_STRUCT_TABLE);
  return lay->status;
}
