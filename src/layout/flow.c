/*
** layout/flow.c -- the page flow: pages, paragraphs, rules, furniture.
**
** Blocks are placed top-down in the content box of the current page. A
** paragraph breaks between lines across pages (keeping at least two lines
** together at a page's foot); keep_with_next and no_split move it whole.
** Headings and keep_with_next paragraphs form a keep chain that moves to
** the next page with the start of what follows them when that does not
** fit (layout.h, "Keeping"): the chain's ops are moved, not laid out
** again, so a block is placed once.
** Page furniture is drawn by sb_lay_finish, when the page count is known,
** so "page X of Y" is right on every page. A dry layout (dl == NULL)
** computes the same page breaks without writing anything.
** Tests: tests/unit/test_layout.c
*/
#include <limits.h>
#include <linebreak.h>
#include <stdlib.h>
#include <string.h>

#include "layout/layout-imp.h"

#define EPS 1e-6

/* ==== The engine ==== */

sb_lay *sb_new_lay(sb_ctx *ctx, sb_arena *arena, sb_dl *dl,
                   const sb_style *st, const sb_fontset *fs, int landscape) {
  static int unibreak_ready;
  if (!unibreak_ready) {
    init_linebreak();
    unibreak_ready = 1;
  }
  sb_lay *lay = sb_arena_calloc(arena, sizeof *lay);
  if (!lay) {
    sb_fail_arena(ctx);
    return NULL;
  }
  lay->ctx = ctx;
  lay->arena = arena;
  lay->scratch = sb_new_arena(0);
  lay->dl = dl;
  lay->st = st;
  lay->fs = fs;
  lay->pw = landscape ? st->page_h : st->page_w;
  lay->ph = landscape ? st->page_w : st->page_h;
  lay->x0 = st->margin_left;
  lay->x1 = lay->pw - st->margin_right;
  lay->y0 = st->margin_top;
  lay->y1 = lay->ph - st->margin_bottom;
  lay->page = -1;
  lay->fresh = 1;
  return lay;
}

void sb_drop_lay(sb_lay *lay) {
  if (!lay) return;
  sb_drop_arena(lay->scratch);
  lay->scratch = NULL;
  free(lay->warned.keys);
  lay->warned.keys = NULL;
  sb_drop_lay_cache(lay->own_cache);
  lay->own_cache = lay->cache = NULL;
  free(lay->deferred);
  lay->deferred = NULL;
  free(lay->keep.refs);
  lay->keep.refs = NULL;
}

void sb_lay_set_furniture(sb_lay *lay, sb_lay_furniture_fn fn, void *user) {
  lay->furniture = fn;
  lay->furniture_user = user;
}

const sb_style *sb_lay_style(const sb_lay *lay) { return lay->st; }
double sb_lay_left(const sb_lay *lay) { return lay->x0; }
double sb_lay_right(const sb_lay *lay) { return lay->x1; }
double sb_lay_top(const sb_lay *lay) { return lay->y0; }
double sb_lay_bottom(const sb_lay *lay) { return lay->y1; }
double sb_lay_page_w(const sb_lay *lay) { return lay->pw; }
double sb_lay_page_h(const sb_lay *lay) { return lay->ph; }
int sb_lay_page(const sb_lay *lay) { return lay->page; }
double sb_lay_y(const sb_lay *lay) { return lay->y; }
int sb_lay_npages(const sb_lay *lay) { return lay->npages; }
sb_status sb_lay_status(const sb_lay *lay) { return lay->status; }

int sb_lay_ok_(sb_lay *lay) {
  if (!lay->status && lay->ctx->status == SB_E_LIMIT)
    lay->status = lay->ctx->status;
  return lay->status == SB_OK;
}

double sb_lay_leading_(const sb_lay *lay, double size, double leading) {
  return size * (leading > 0 ? leading : lay->st->leading);
}

double sb_lay_baseline_(const sb_lay *lay, double size, double lh) {
  const sb_font *f = lay->fs->face[SB_FONT_REGULAR];
  double asc = f ? sb_font_ascent(f) / 1000.0 : 0.9;
  double desc = f ? -sb_font_descent(f) / 1000.0 : 0.2;
  return (lh - (asc + desc) * size) / 2 + asc * size;
}

static sb_status add_page(sb_lay *lay) {
  if (!sb_lay_ok_(lay)) return lay->status;
  size_t cap = lay->ctx->limits.pages;
  if (lay->dl) {
    int pg = sb_dl_add_page(lay->ctx, lay->dl, lay->pw, lay->ph);
    if (pg < 0) return lay->status = lay->ctx->status ? lay->ctx->status
                                                      : SB_E_LIMIT;
  } else if (cap && (size_t)lay->npages >= cap) {
    return lay->status = sb_fail(lay->ctx, SB_E_LIMIT,
                                 "document has more than %zu pages (raise "
                                 "with --limit pages=N)", cap);
  }
  if (lay->npages >= lay->cap_running) {
    int ncap = lay->cap_running ? lay->cap_running * 2 : 64;
    const char **nr = sb_arena_alloc(lay->arena, (size_t)ncap * sizeof *nr);
    if (!nr)
      return lay->status = sb_fail_arena(lay->ctx);
    if (lay->npages)
      memcpy(nr, lay->page_running, (size_t)lay->npages * sizeof *nr);
    lay->page_running = nr;
    lay->cap_running = ncap;
  }
  lay->page_running[lay->npages] = lay->running;
  lay->page = lay->npages++;
  lay->y = lay->y0;
  lay->fresh = 1;
  return SB_OK;
}

/* ==== Keeping ==== */

static void keep_close(sb_lay *lay) {
  lay->keep.on = 0;
  lay->keep.nrefs = 0;
}

void sb_lay_keep_done_(sb_lay *lay) { keep_close(lay); }

/* A kept block starts here (its space before already taken): it joins
** the open chain on this page when it follows the chain's kept blocks
** directly, else it opens a chain of its own: once a whole paragraph has
** followed a chain, what it kept is no longer alone (a run of one-line
** paragraphs after kept names must not grow one chain down the page and
** move it all). */
static void keep_open(sb_lay *lay) {
  keep_chain *k = &lay->keep;
  if (k->on && k->page == lay->page && k->lines == 0) return;
  k->lines = 0;
  keep_close(lay);
  k->on = 1;
  k->page = lay->page;
  k->op = lay->dl ? lay->dl->pages[lay->page].nops : 0;
  k->y = lay->y;
  k->top = lay->fresh;
  k->noutlines = lay->dl ? lay->dl->noutlines : 0;
  k->ndeferred = lay->ndeferred;
}

/* Remembers a position that moves with the open chain. */
static void keep_ref(sb_lay *lay, sb_lay_ref *r) {
  keep_chain *k = &lay->keep;
  if (!k->on || !r) return;
  if (SB_GROW(k->refs, k->nrefs, k->caprefs, 16, INT_MAX) != SB_OK) {
    lay->status = sb_fail(lay->ctx, SB_E_LIMIT, "more than %d kept headings",
                          INT_MAX);
    return;
  }
  k->refs[k->nrefs++] = r;
}

sb_status sb_lay_new_page(sb_lay *lay) {
  keep_close(lay);
  return add_page(lay);
}

sb_status sb_lay_break_(sb_lay *lay) {
  keep_chain *k = &lay->keep;
  if (!k->on || k->top || k->page != lay->page) return sb_lay_new_page(lay);
  int from = lay->page;
  double used = lay->y - k->y;
  if (add_page(lay)) return lay->status;
  double dy = lay->y0 - k->y;
  if (lay->dl) {
    sb_status st = sb_dl_move_ops(lay->ctx, lay->dl, from, k->op, lay->page,
                                  dy);
    if (st) return lay->status = st;
    /* the new page held no op: the chain's ops start it */
    for (int i = k->ndeferred; i < lay->ndeferred; i++) {
      deferred *d = &lay->deferred[i];
      if (d->page == from && d->op >= k->op) {
        d->page = lay->page;
        d->op -= k->op;
      }
    }
    for (int i = k->noutlines; i < lay->dl->noutlines; i++) {
      sb_outline *o = &lay->dl->outlines[i];
      if (o->page == from && o->y >= k->y - EPS) {
        o->page = lay->page;
        o->y += dy;
      }
    }
  }
  for (int i = 0; i < k->nrefs; i++) {
    sb_lay_ref *r = k->refs[i];
    if (r->page == from && r->y >= k->y - EPS) {
      r->page = lay->page;
      r->y += dy;
    }
  }
  lay->y = lay->y0 + used;
  lay->fresh = 0;
  k->page = lay->page;
  k->op = 0;
  k->y = lay->y0;
  k->top = 1;
  return SB_OK;
}

sb_status sb_lay_start_(sb_lay *lay) {
  if (!sb_lay_ok_(lay)) return lay->status;
  if (lay->page < 0) return add_page(lay);
  return SB_OK;
}

sb_status sb_lay_need(sb_lay *lay, double h) {
  if (sb_lay_start_(lay)) return lay->status;
  if (!lay->fresh && lay->y + h > lay->y1 + EPS) return sb_lay_break_(lay);
  return SB_OK;
}

sb_status sb_lay_space(sb_lay *lay, double h) {
  if (sb_lay_start_(lay)) return lay->status;
  if (lay->fresh) return SB_OK;
  lay->y += h;
  if (lay->y > lay->y1) lay->y = lay->y1;
  return SB_OK;
}

sb_status sb_lay_skip(sb_lay *lay, double h) {
  if (sb_lay_start_(lay)) return lay->status;
  keep_close(lay);
  lay->y += h;
  if (lay->y > lay->y1) lay->y = lay->y1;
  lay->fresh = 0;
  return SB_OK;
}

void sb_lay_set_running(sb_lay *lay, const char *text) {
  lay->running = text;
  if (lay->page >= 0 && lay->fresh) lay->page_running[lay->page] = text;
}

/* ==== Raw ops ==== */

static sb_op *add_op(sb_lay *lay, int page, sb_op_kind k) {
  if (!lay->dl || page < 0 || !sb_lay_ok_(lay)) return NULL;
  sb_op *op = sb_dl_add_op(lay->ctx, lay->dl, page, k);
  if (!op) lay->status = lay->ctx->status ? lay->ctx->status : SB_E_LIMIT;
  return op;
}

/* A structure mark on a page (dlist.h). */
static void mark_on(sb_lay *lay, int page, sb_op_kind k, sb_struct what,
                    int level) {
  sb_op *op = add_op(lay, page, k);
  if (!op) return;
  op->u.mark.what = what;
  op->u.mark.level = level;
}

static void mark(sb_lay *lay, sb_op_kind k, sb_struct what, int level) {
  mark_on(lay, lay->page, k, what, level);
}

void sb_lay_struct_begin(sb_lay *lay, int page, sb_struct what, int level,
                         int cont, const char *alt) {
  sb_op *op = add_op(lay, page < 0 ? lay->page : page, SB_OP_BEGIN);
  if (!op) return;
  op->u.mark.what = what;
  op->u.mark.level = level;
  op->u.mark.cont = cont;
  op->u.mark.alt = alt;
}

void sb_lay_struct_end(sb_lay *lay, int page, sb_struct what) {
  mark_on(lay, page < 0 ? lay->page : page, SB_OP_END, what, 0);
}

void sb_lay_rect(sb_lay *lay, int page, double x, double y, double w,
                 double h, int fill, sb_color fc, double stroke_w,
                 sb_color sc) {
  sb_op *op = add_op(lay, page, SB_OP_RECT);
  if (!op) return;
  memset(&op->u.rect, 0, sizeof op->u.rect);
  op->u.rect.x = x;
  op->u.rect.y = y;
  op->u.rect.w = w;
  op->u.rect.h = h;
  op->u.rect.fill = fill;
  op->u.rect.fill_color = fc;
  op->u.rect.stroke = stroke_w > 0;
  op->u.rect.st.width = stroke_w;
  op->u.rect.st.color = sc;
}

void sb_lay_image(sb_lay *lay, int page, double x, double y, double w,
                  double h, const unsigned char *png, size_t len, int px_w,
                  int px_h) {
  sb_op *op = add_op(lay, page, SB_OP_IMAGE);
  if (!op) return;
  memset(&op->u.image, 0, sizeof op->u.image);
  op->u.image.x = x;
  op->u.image.y = y;
  op->u.image.w = w;
  op->u.image.h = h;
  op->u.image.png = png;
  op->u.image.len = len;
  op->u.image.px_w = px_w;
  op->u.image.px_h = px_h;
}

void sb_lay_line(sb_lay *lay, int page, double x0, double y0, double x1,
                 double y1, double w, sb_color c, double dash) {
  sb_op *op = add_op(lay, page, SB_OP_LINE);
  if (!op) return;
  memset(&op->u.line, 0, sizeof op->u.line);
  op->u.line.x0 = x0;
  op->u.line.y0 = y0;
  op->u.line.x1 = x1;
  op->u.line.y1 = y1;
  op->u.line.st.width = w;
  op->u.line.st.color = c;
  if (dash > 0) {
    op->u.line.st.dash[0] = dash;
    op->u.line.st.dash[1] = dash;
    op->u.line.st.ndash = 2;
  }
}

void sb_lay_link(sb_lay *lay, int page, double x, double y, double w,
                 double h, int to_page, double to_y) {
  sb_op *op = add_op(lay, page, SB_OP_LINK);
  if (!op) return;
  op->u.link.x = x;
  op->u.link.y = y;
  op->u.link.w = w;
  op->u.link.h = h;
  op->u.link.page = to_page;
  op->u.link.dest_y = to_y;
}

sb_status sb_lay_outline(sb_lay *lay, const char *title, int depth, int page,
                         double y) {
  if (!lay->dl || !sb_lay_ok_(lay)) return lay->status;
  sb_status st = sb_dl_add_outline(lay->ctx, lay->dl, title, depth, page, y);
  if (st) lay->status = st;
  return st;
}

void sb_lay_mark_at(sb_lay *lay, int page, double x, double y, double s,
                    sb_mark m, sb_color c) {
  double w = s * 0.12 < 0.5 ? 0.5 : s * 0.12;
  switch (m) {
  case SB_MARK_FILLED:
    sb_lay_rect(lay, page, x, y, s, s, 1, c, w, c);
    break;
  case SB_MARK_OPEN:
    sb_lay_rect(lay, page, x + w / 2, y + w / 2, s - w, s - w, 0, c, w, c);
    break;
  case SB_MARK_DOT: {
    /* a disc from four Béziers */
    double r = s * 0.3, cx = x + s / 2, cy = y + s / 2, k = 0.5523 * r;
    sb_pathseg seg[6];
    memset(seg, 0, sizeof seg);
    seg[0].kind = 'M'; seg[0].x[0] = cx + r; seg[0].y[0] = cy;
    seg[1].kind = 'C';
    seg[1].x[0] = cx + r; seg[1].y[0] = cy + k; seg[1].x[1] = cx + k;
    seg[1].y[1] = cy + r; seg[1].x[2] = cx; seg[1].y[2] = cy + r;
    seg[2].kind = 'C';
    seg[2].x[0] = cx - k; seg[2].y[0] = cy + r; seg[2].x[1] = cx - r;
    seg[2].y[1] = cy + k; seg[2].x[2] = cx - r; seg[2].y[2] = cy;
    seg[3].kind = 'C';
    seg[3].x[0] = cx - r; seg[3].y[0] = cy - k; seg[3].x[1] = cx - k;
    seg[3].y[1] = cy - r; seg[3].x[2] = cx; seg[3].y[2] = cy - r;
    seg[4].kind = 'C';
    seg[4].x[0] = cx + k; seg[4].y[0] = cy - r; seg[4].x[1] = cx + r;
    seg[4].y[1] = cy - k; seg[4].x[2] = cx + r; seg[4].y[2] = cy;
    seg[5].kind = 'Z';
    if (!lay->dl || page < 0 || !sb_lay_ok_(lay)) break;
    sb_op *op = sb_dl_add_path(lay->ctx, lay->dl, page, seg, 6);
    if (!op) {
      lay->status = lay->ctx->status ? lay->ctx->status : SB_E_LIMIT;
      break;
    }
    op->u.path.fill = 1;
    op->u.path.stroke = 0;
    op->u.path.evenodd = 0;
    op->u.path.fill_color = c;
    op->u.path.fill_alpha = 1;
    break;
  }
  case SB_MARK_NONE:
    break;
  }
}

double sb_lay_text_at(sb_lay *lay, int page, double x, double y, int font,
                      double size, sb_color color, sb_align align,
                      const char *text, const sb_src *src) {
  sb_span sp = {text, font, color, NULL};
  return sb_lay_span_at(lay, page, x, y, size, align, &sp, src);
}

double sb_lay_span_at(sb_lay *lay, int page, double x, double y, double size,
                      sb_align align, const sb_span *span, const sb_src *src) {
  if (!span->text || !*span->text || !sb_lay_ok_(lay)) return 0;
  /* no scratch reset here: blocks call this while their own prepared
  ** text lives in the scratch arena; the next block resets it */
  sb_span sp = *span;
  sb_text t;
  if (sb_lay_prepare(lay, &sp, 1, src, &t)) {
    lay->status = lay->ctx->status;
    return 0;
  }
  long u = 0;
  for (int i = 0; i < t.n; i++) u += t.c[i].adv;
  double w = (double)u * size / 1000.0;
  if (align == SB_ALIGN_CENTER) x -= w / 2;
  else if (align == SB_ALIGN_RIGHT) x -= w;
  sb_lay_emit_line_(lay, page, &t, &sp, 0, t.n, 0, x, y, size);
  return w;
}

/* ==== Deferred ops (sb_para.ref) ==== */

/* Remembers the last op of page for sb_lay_finish. */
static void defer_last(sb_lay *lay, int page, int is_tail, double right,
                       const sb_lay_ref *ref) {
  deferred *d;

  if (!lay->dl || page < 0 || page >= lay->dl->npages ||
      lay->dl->pages[page].nops == 0)
    return;
  if (SB_GROW(lay->deferred, lay->ndeferred, lay->capdeferred, 64,
              INT_MAX) != SB_OK) {
    lay->status = sb_fail(lay->ctx, SB_E_LIMIT,
                          "more than %d contents numbers", INT_MAX);
    return;
  }
  d = &lay->deferred[lay->ndeferred++];
  d->page = page;
  d->op = lay->dl->pages[page].nops - 1;
  d->is_tail = is_tail;
  d->right = right;
  d->ref = ref;
}

/* The tail of a paragraph whose number is not known yet: a text op with
** everything but its text, x and width, in the place the number takes
** among the page's ops. */
static void defer_tail(sb_lay *lay, const sb_para *p, double right,
                       double base, sb_color col) {
  sb_op *op = add_op(lay, lay->page, SB_OP_TEXT);
  if (!op) return;
  op->u.text.font = p->tail_font;
  op->u.text.size = p->size;
  op->u.text.x = right;
  op->u.text.y = base;
  op->u.text.color = col;
  op->u.text.text = "";
  op->u.text.len = 0;
  defer_last(lay, lay->page, 1, right, p->ref);
}

/* Fills the deferred ops in: the number, right-aligned as sb_lay_text_at
** would place it, and the links' targets. */
static void resolve_deferred(sb_lay *lay) {
  for (int i = 0; i < lay->ndeferred && sb_lay_ok_(lay); i++) {
    const deferred *d = &lay->deferred[i];
    sb_op *op = &lay->dl->pages[d->page].ops[d->op];
    if (!d->is_tail) {
      op->u.link.page = d->ref->page;
      op->u.link.dest_y = d->ref->y;
      continue;
    }
    char *s = sb_arena_printf(lay->dl->arena, "%d", d->ref->page + 1);
    if (!s) {
      lay->status = sb_fail_arena(lay->ctx);
      return;
    }
    long units = 0;
    const sb_font *f = lay->fs->face[op->u.text.font];
    for (const char *c = s; *c; c++) {
      int a = sb_lay_adv_(lay, op->u.text.font, *c);
      units += a > 0 ? a : 0;
      if (c[1] && f) units += sb_font_kern(f, *c, c[1]); /* "11" kerns */
    }
    double w = (double)units * op->u.text.size / 1000.0;
    op->u.text.text = s;
    op->u.text.len = strlen(s);
    op->u.text.width = w;
    op->u.text.x = d->right - w;
  }
}

/* ==== Paragraphs ==== */

static double mark_size(double size) { return size * 0.72; }

/* Dot leaders after a paragraph's last line and its tail (a page number)
** right-aligned at the right edge. Dots sit on a grid anchored at the
** right, so leaders line up from entry to entry. */
static void draw_tail(sb_lay *lay, const sb_para *p, const sb_line *last,
                      double x, double top, double lh) {
  int font = p->tail_font;
  sb_color col = p->nspans ? p->spans[p->nspans - 1].color : lay->st->text;
  double base = top + sb_lay_baseline_(lay, p->size, lh);
  double right = lay->x1 - p->right;
  double end = x + (double)last->width * p->size / 1000.0;
  if (p->align != SB_ALIGN_LEFT) end = x; /* leaders only make sense left */
  int dot = sb_lay_adv_(lay, font, '.'), sp = sb_lay_adv_(lay, font, ' ');
  if (dot > 0 && sp >= 0) {
    double pitch = (dot + sp) * p->size / 1000.0;
    double stop = right - p->tail_w - p->size * 0.5;
    double first = end + p->size * 0.6;
    int ndots = (int)((stop - first) / pitch);
    if (ndots > 400) ndots = 400;
    if (ndots > 0) {
      double x0 = stop - ndots * pitch;
      size_t len = (size_t)ndots * 2;
      char buf[801];
      {
        for (int i = 0; i < ndots; i++) {
          buf[2 * i] = '.';
          buf[2 * i + 1] = ' ';
        }
        buf[len - 1] = 0; /* no trailing space */
        sb_color mc = lay->st->muted;
        /* leaders are decoration: a reader reads the entry, then its number */
        mark(lay, SB_OP_BEGIN, SB_STRUCT_ARTIFACT, SB_ARTIFACT_LAYOUT);
        sb_lay_text_at(lay, lay->page, x0, base, font, p->size, mc,
                       SB_ALIGN_LEFT, buf, &p->src);
        mark(lay, SB_OP_END, SB_STRUCT_ARTIFACT, SB_ARTIFACT_LAYOUT);
      }
    }
  }
  if (p->ref)
    defer_tail(lay, p, right, base, col);
  else
    sb_lay_text_at(lay, lay->page, right, base, font, p->size, col,
                   SB_ALIGN_RIGHT, p->tail, &p->src);
}

double sb_lay_para_height(sb_lay *lay, const sb_para *p, double width) {
  sb_arena_reset(lay->scratch);
  sb_text t;
  sb_line *lines;
  if (sb_lay_prepare(lay, p->spans, p->nspans, &p->src, &t)) return 0;
  double w = width - p->indent - p->right;
  if (p->tail) w -= p->tail_w + p->size * 1.2;
  int n = sb_lay_wrap(lay, &t, w * 1000.0 / p->size, &lines);
  return p->space_before + p->space_after +
         n * sb_lay_leading_(lay, p->size, p->leading);
}

sb_status sb_lay_para(sb_lay *lay, const sb_para *p, int *page, double *y) {
  if (sb_lay_start_(lay)) return lay->status;
  sb_arena_reset(lay->scratch);
  sb_text t;
  sb_line *lines;
  if (sb_lay_prepare(lay, p->spans, p->nspans, &p->src, &t))
    return lay->status = lay->ctx->status;
  double x = lay->x0 + p->indent;
  double w = lay->x1 - p->right - x;
  double lead_gap = p->tail ? p->size * 1.2 : 0;
  if (p->tail) w -= p->tail_w + lead_gap;
  int n = sb_lay_wrap(lay, &t, w * 1000.0 / p->size, &lines);
  double lh = sb_lay_leading_(lay, p->size, p->leading);
  double body = lay->y1 - lay->y0;
  int kept = p->heading > 0 || p->keep_with_next > 0;
  if (!lay->fresh) lay->y += p->space_before;
  double h = n * lh;
  if ((p->no_split || kept) && !lay->fresh) {
    double need = h + (p->keep_with_next > 0 ? p->keep_with_next : 0);
    if (need > body) need = h;
    if (need <= body && lay->y + need > lay->y1 + EPS) {
      if (sb_lay_break_(lay)) return lay->status;
    }
  }
  /* no lone first line at a page's foot, and a first line that does not
  ** fit takes what it is kept with along */
  if (n >= 1 && !lay->fresh &&
      lay->y + (n >= 2 ? 2 : 1) * lh > lay->y1 + EPS)
    if (sb_lay_break_(lay)) return lay->status;
  if (kept) keep_open(lay);
  int first_page = lay->page;
  double first_y = lay->y;
  if (page) *page = first_page;
  if (y) *y = first_y;
  /* the paragraph's element (a heading, a contents entry...) spans its
  ** pages; its link, if any, holds the words and the link ops */
  sb_struct tag = p->heading > 0 ? SB_STRUCT_HEADING
                  : p->tag != SB_STRUCT_HEADING ? p->tag
                                                : SB_STRUCT_P;
  mark(lay, SB_OP_BEGIN, tag, p->heading > 0 ? p->heading : 0);
  /* a list item's words are its body, after its label (the drawn mark)
  ** on its first line */
  if (p->link && tag != SB_STRUCT_LI) mark(lay, SB_OP_BEGIN, SB_STRUCT_LINK, 0);
  int l = 0;
  while (l < n) {
    if (lay->y + lh > lay->y1 + EPS && !lay->fresh) {
      /* the rest of a paragraph taller than the room: not a keep break */
      if (sb_lay_new_page(lay)) return lay->status;
      if (kept) keep_open(lay);
    }
    int k = l;
    double yy = lay->y;
    while (k < n && (yy + lh <= lay->y1 + EPS || k == l)) {
      yy += lh;
      k++;
    }
    if (l == 0 && p->mark != SB_MARK_NONE) {
      double s = mark_size(p->size);
      double base = sb_lay_baseline_(lay, p->size, lh);
      if (tag == SB_STRUCT_LI)
        sb_lay_struct_begin(lay, lay->page, SB_STRUCT_LBL, 0, 0,
                            p->mark == SB_MARK_FILLED ? "\xE2\x96\xA0"
                            : p->mark == SB_MARK_OPEN ? "\xE2\x96\xA1"
                                                      : "\xE2\x80\xA2");
      sb_lay_mark_at(lay, lay->page, x - s - p->size * 0.45,
                     lay->y + base - s, s, p->mark, p->mark_color);
      if (tag == SB_STRUCT_LI) mark(lay, SB_OP_END, SB_STRUCT_LBL, 0);
    }
    if (l == 0 && tag == SB_STRUCT_LI) {
      mark(lay, SB_OP_BEGIN, SB_STRUCT_LBODY, 0);
      if (p->link) mark(lay, SB_OP_BEGIN, SB_STRUCT_LINK, 0);
    }
    sb_lay_emit_lines_(lay, lay->page, &t, p->spans, lines, l, k, x, w,
                       lay->y, p->size, lh, p->align);
    if (p->tail && k == n) {
      draw_tail(lay, p, &lines[n - 1], x, yy - lh, lh);
    }
    if (p->link) {
      sb_lay_link(lay, lay->page, x, lay->y, lay->x1 - p->right - x,
                  yy - lay->y, p->ref ? -1 : p->link_page,
                  p->ref ? 0 : p->link_y);
      if (p->ref)
        defer_last(lay, lay->page, 0, 0, p->ref);
    }
    lay->y = yy;
    lay->fresh = 0;
    if (!kept && lay->keep.on) {
      /* what follows a chain: two lines satisfy it */
      if (lay->keep.page != lay->page) keep_close(lay);
      else if ((lay->keep.lines += k - l) >= 2) keep_close(lay);
    }
    l = k;
  }
  if (p->link) mark(lay, SB_OP_END, SB_STRUCT_LINK, 0);
  if (tag == SB_STRUCT_LI) mark(lay, SB_OP_END, SB_STRUCT_LBODY, 0);
  mark(lay, SB_OP_END, tag, p->heading > 0 ? p->heading : 0);
  if (p->at) {
    p->at->page = first_page;
    p->at->y = first_y;
    keep_ref(lay, p->at);
  }
  lay->y += p->space_after;
  return lay->status;
}

sb_status sb_lay_rule(sb_lay *lay, double width, sb_color color,
                      double space_before, double space_after) {
  if (sb_lay_start_(lay)) return lay->status;
  if (!lay->fresh) lay->y += space_before;
  if (lay->y + width > lay->y1 + EPS)
    if (sb_lay_break_(lay)) return lay->status;
  sb_lay_line(lay, lay->page, lay->x0, lay->y + width / 2, lay->x1,
              lay->y + width / 2, width, color, 0);
  lay->y += width + space_after;
  lay->fresh = 0;
  return lay->status;
}

sb_status sb_lay_finish(sb_lay *lay) {
  if (!sb_lay_ok_(lay)) return lay->status;
  keep_close(lay);
  resolve_deferred(lay);
  if (!sb_lay_ok_(lay)) return lay->status;
  if (lay->dl && lay->furniture)
    for (int i = 0; i < lay->npages && sb_lay_ok_(lay); i++) {
      sb_arena_reset(lay->scratch);
      /* the furniture is marked as such; a page without any gets no mark */
      int before = lay->dl->pages[i].nops;
      mark_on(lay, i, SB_OP_BEGIN, SB_STRUCT_ARTIFACT,
              SB_ARTIFACT_PAGINATION);
      lay->furniture(lay, i, lay->npages, lay->page_running[i],
                     lay->furniture_user);
      if (!sb_lay_ok_(lay)) break;
      if (lay->dl->pages[i].nops == before + 1)
        lay->dl->pages[i].nops = before;
      else
        mark_on(lay, i, SB_OP_END, SB_STRUCT_ARTIFACT, SB_ARTIFACT_PAGINATION);
    }
  return lay->status;
}
