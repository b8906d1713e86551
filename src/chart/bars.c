/*
** chart/bars.c -- stacked bars: mandatory and optional expectations per level.
**
** Inside its box, top to bottom: the legend row, the plot (value axis with
** a "nice" maximum, dashed grid, one bar per level with mandatory at the
** bottom as a solid dark fill and optional on top as a light fill with
** diagonal hatching, values on the bars), and the level names (one or two
** lines, set smaller when a word is wider than its slot, shortened with an
** ellipsis only when a word does not fit even at 5.5 pt).
** Bar heights are exactly count * scale (geom->scale, points per unit).
** Tests: tests/unit/test_chart.c
*/
#include <stdio.h>
#include <string.h>

#include "chart/chart-imp.h"

static size_t dist(size_t a, size_t b) { return a > b ? a - b : b - a; }

/* A level name under its bar: one line if it fits, else two lines split at
** the space nearest the middle, each shortened if needed. */
static void level_name(sb_chart_pen *p, double cx, double y, double slot,
                       double size, const char *name) {
  char buf[256], l1[256];
  double lead = size * 1.15, asc = sb_chart_ascent(p, SB_FONT_REGULAR, size);
  const char *s, *best = NULL;
  size_t n = strlen(name), i;

  if (sb_chart_text_width(p, SB_FONT_REGULAR, size, name) <= slot ||
      !strchr(name, ' ') || n >= sizeof l1) {
    s = sb_chart_fit(p, SB_FONT_REGULAR, size, name, slot, buf, sizeof buf);
    sb_chart_pen_text(p, SB_FONT_REGULAR, size, cx, y + asc, 1, p->m.text, s,
                      strlen(s));
    return;
  }
  for (i = 0; i < n; i++) /* the space nearest the middle */
    if (name[i] == ' ' &&
        (!best || dist(i, n / 2) < dist((size_t)(best - name), n / 2)))
      best = name + i;
  memcpy(l1, name, (size_t)(best - name));
  l1[best - name] = 0;
  s = sb_chart_fit(p, SB_FONT_REGULAR, size, l1, slot, buf, sizeof buf);
  sb_chart_pen_text(p, SB_FONT_REGULAR, size, cx, y + asc, 1, p->m.text, s,
                    strlen(s));
  s = sb_chart_fit(p, SB_FONT_REGULAR, size, best + 1, slot, buf, sizeof buf);
  sb_chart_pen_text(p, SB_FONT_REGULAR, size, cx, y + asc + lead, 1,
                    p->m.text, s, strlen(s));
}

/* The widest word of s at size (a name's min-content width). */
static double widest_word(const sb_chart_pen *p, double size, const char *s) {
  double best = 0;
  const char *w = s;
  while (*w) {
    size_t n = strcspn(w, " ");
    char buf[256];
    if (n > 0 && n < sizeof buf) {
      double t;
      memcpy(buf, w, n);
      buf[n] = 0;
      t = sb_chart_text_width(p, SB_FONT_REGULAR, size, buf);
      if (t > best) best = t;
    }
    w += n;
    while (*w == ' ') w++;
  }
  return best;
}

/* The optional pattern: light fill, hatching, thin outline. */
static void optional_box(sb_chart_pen *p, double x, double y, double w,
                         double h) {
  sb_stroke hs = sb_chart_stroke(p->m.opt_hatch, p->m.hatch_w);
  sb_stroke os = sb_chart_stroke(p->m.ink_saver ? p->m.text : p->m.mand,
                                 p->m.grid);
  sb_chart_pen_rect(p, x, y, w, h, 1, p->m.opt, 0, NULL);
  sb_chart_pen_hatch(p, x, y, w, h, p->m.hatch, &hs);
  sb_chart_pen_rect(p, x, y, w, h, 0, p->m.opt, 1, &os);
}

/* Legend row: [solid] Mandatory   [hatched] Optional, from x. */
static void legend(sb_chart_pen *p, double x, double y) {
  const sb_chart_metrics *m = &p->m;
  double sw = m->swatch, asc = sb_chart_ascent(p, SB_FONT_REGULAR, m->label);
  double base = y + sw / 2 + asc / 2, w;
  const char *t;

  {
    sb_stroke os = sb_chart_stroke(m->text, m->grid);
    sb_chart_pen_rect(p, x, y, sw, sw, 1, m->mand, m->ink_saver, &os);
  }
  t = sb_label(p->env->labels, SB_L_MANDATORY);
  w = sb_chart_pen_text(p, SB_FONT_REGULAR, m->label, x + sw + m->gap, base, 0,
                        m->text, t, strlen(t));
  x += sw + m->gap + w + 3 * sw;
  optional_box(p, x, y, sw, sw);
  t = sb_label(p->env->labels, SB_L_OPTIONAL);
  sb_chart_pen_text(p, SB_FONT_REGULAR, m->label, x + sw + m->gap, base, 0,
                    m->text, t, strlen(t));
}

/* A value inside a bar segment, when the segment is tall enough. */
static void seg_value(sb_chart_pen *p, double cx, double y, double h,
                      double bw, int v, int on_dark) {
  const sb_chart_metrics *m = &p->m;
  char num[16];
  double asc = sb_chart_ascent(p, SB_FONT_BOLD, m->tick), tw;

  if (v <= 0 || h < asc * 1.6)
    return;
  snprintf(num, sizeof num, "%d", v);
  tw = sb_chart_text_width(p, SB_FONT_BOLD, m->tick, num);
  if (tw + m->gap > bw)
    return;
  if (!on_dark) /* a chip of the fill colour keeps hatching off the digits */
    sb_chart_pen_rect(p, cx - tw / 2 - m->gap / 2, y + h / 2 - asc * 0.75,
                      tw + m->gap, asc * 1.5, 1, m->white, 0, NULL);
  sb_chart_pen_text(p, SB_FONT_BOLD, m->tick, cx, y + h / 2 + asc / 2, 1,
                    on_dark ? m->mand_text : m->text, num, strlen(num));
}

static sb_status draw_bars(sb_ctx *ctx, sb_dl *dl, int page, double x,
                           double y, double w, double h,
                           const sb_chart_counts *c, const sb_chart_env *env,
                           sb_chart_geom *geom);

/* The chart is a Figure whose alternative text says its numbers (alt.c);
** the note drawn when there is nothing to chart is plain text. */
sb_status sb_chart_draw_bars(sb_ctx *ctx, sb_dl *dl, int page, double x,
                             double y, double w, double h,
                             const sb_chart_counts *c,
                             const sb_chart_env *env, sb_chart_geom *geom) {
  sb_op *op = NULL;
  sb_status st;

  if (c->n > 0 && page >= 0 && page < dl->npages) {
    op = sb_dl_add_mark(ctx, dl, page, SB_OP_BEGIN, SB_STRUCT_FIGURE, 0);
    if (!op)
      return ctx->status;
    op->u.mark.alt = sb_chart_bars_alt(dl->arena, c, env->labels);
    op->u.mark.lang = env->labels ? env->labels->lang : NULL;
  }
  st = draw_bars(ctx, dl, page, x, y, w, h, c, env, geom);
  if (op && st == SB_OK &&
      !sb_dl_add_mark(ctx, dl, page, SB_OP_END, SB_STRUCT_FIGURE, 0))
    return ctx->status;
  return st;
}

static sb_status draw_bars(sb_ctx *ctx, sb_dl *dl, int page, double x,
                           double y, double w, double h,
                           const sb_chart_counts *c, const sb_chart_env *env,
                           sb_chart_geom *geom) {
  sb_chart_pen pen, *p = &pen;
  sb_chart_metrics *m;
  sb_chart_geom g;
  double maxv = 0, step, top, tickw = 0, v, px, py, pw, ph, slot, bw;
  double asc_t, name_h, name_size;
  char num[32];
  int i, two_lines = 0;
  sb_stroke grid, axis;

  memset(&g, 0, sizeof g);
  if (sb_chart_pen_open(p, ctx, dl, page, env))
    return sb_chart_pen_close(p);
  m = &p->m;
  if (!c || c->n == 0) {
    g.kind = 3;
    sb_chart_note(p, x, y, w, h);
    goto done;
  }
  for (i = 0; i < c->n; i++)
    if (c->mandatory[i] + c->optional[i] > maxv)
      maxv = c->mandatory[i] + c->optional[i];
  sb_chart_nice_axis(maxv, 5, 1, &step, &top);
  asc_t = sb_chart_ascent(p, SB_FONT_REGULAR, m->tick);
  for (v = 0; v <= top + step / 2; v += step) {
    double tw;
    snprintf(num, sizeof num, "%g", v);
    tw = sb_chart_text_width(p, SB_FONT_REGULAR, m->tick, num);
    if (tw > tickw)
      tickw = tw;
  }

  /* geometry: legend row, room for totals, plot, names */
  px = x + tickw + 2 * m->gap;
  pw = w - (px - x) - m->gap;
  slot = pw / c->n;
  /* level names: at the label size, smaller (down to 5.5 pt) when one of
  ** their words is wider than its slot; two lines when one is too long */
  name_size = m->label;
  for (i = 0; i < c->n; i++) {
    double ww = widest_word(p, m->label, c->name[i]);
    if (ww > slot - 2 * m->gap && slot > 2 * m->gap &&
        m->label * (slot - 2 * m->gap) / ww < name_size)
      name_size = m->label * (slot - 2 * m->gap) / ww;
  }
  if (name_size < 5.5)
    name_size = 5.5;
  for (i = 0; i < c->n; i++)
    if (sb_chart_text_width(p, SB_FONT_REGULAR, name_size, c->name[i]) >
        slot - 2 * m->gap)
      two_lines = 1;
  name_h = m->gap + name_size * 1.15 * (two_lines ? 2 : 1);
  py = y + m->swatch + 2 * m->gap + asc_t * 1.5;
  ph = y + h - name_h - py;
  if (ph <= 0 || pw <= 0 || slot <= 0) {
    p->st = sb_fail(ctx, SB_E_CHART, "chart box %.0fx%.0f pt is too small",
                    w, h);
    goto done;
  }
  bw = slot * 0.55;
  if (bw > m->label * 5)
    bw = m->label * 5;
  g.kind = 0;
  g.px = px, g.py = py, g.pw = pw, g.ph = ph;
  g.top = top, g.step = step, g.scale = ph / top, g.bar_w = bw;

  legend(p, px, y);

  /* grid and tick values */
  grid = sb_chart_stroke(m->rule, m->grid);
  grid.ndash = 2, grid.dash[0] = m->dash_grid * 4, grid.dash[1] = m->dash_grid * 4;
  for (v = step; v <= top + step / 2; v += step) {
    double gy = py + ph - v * g.scale;
    sb_chart_pen_line(p, px, gy, px + pw, gy, &grid);
  }
  for (v = 0; v <= top + step / 2; v += step) {
    double gy = py + ph - v * g.scale;
    snprintf(num, sizeof num, "%g", v);
    sb_chart_pen_text(p, SB_FONT_REGULAR, m->tick, px - m->gap,
                      gy + asc_t / 2, 2, m->muted, num, strlen(num));
  }

  /* bars */
  for (i = 0; i < c->n; i++) {
    double cx = px + slot * (i + 0.5), bx = cx - bw / 2;
    double hm = c->mandatory[i] * g.scale, ho = c->optional[i] * g.scale;
    double base = py + ph;
    if (c->mandatory[i] > 0) {
      sb_stroke os = sb_chart_stroke(m->text, m->grid);
      sb_chart_pen_rect(p, bx, base - hm, bw, hm, 1, m->mand, m->ink_saver,
                        &os);
    }
    if (c->optional[i] > 0)
      optional_box(p, bx, base - hm - ho, bw, ho);
    seg_value(p, cx, base - hm, hm, bw, c->mandatory[i], 1);
    seg_value(p, cx, base - hm - ho, ho, bw, c->optional[i], 0);
    snprintf(num, sizeof num, "%d", c->mandatory[i] + c->optional[i]);
    sb_chart_pen_text(p, SB_FONT_BOLD, m->tick, cx, base - hm - ho - m->gap,
                      1, m->text, num, strlen(num));
    level_name(p, cx, base + m->gap, slot - 2 * m->gap, name_size,
               c->name[i]);
  }

  /* axes last, over the bars' feet */
  axis = sb_chart_stroke(m->text, m->line);
  sb_chart_pen_line(p, px, py, px, py + ph, &axis);
  sb_chart_pen_line(p, px, py + ph, px + pw, py + ph, &axis);

done:
  if (geom)
    *geom = g;
  return sb_chart_pen_close(p);
}

static sb_chart_env env_of(const sb_style *s, const sb_labels *l,
                           const sb_fontset *f) {
  sb_chart_env e;
  e.style = s;
  e.labels = l;
  e.fonts = f;
  return e;
}

sb_status sb_chart_role_bars(sb_ctx *ctx, sb_dl *dl, int page, double x,
                             double y, double w, double h,
                             const sb_catalog *cat, int role,
                             const sb_style *style, const sb_labels *labels,
                             const sb_fontset *fonts) {
  sb_chart_env env = env_of(style, labels, fonts);
  sb_chart_counts c;
  sb_status st = sb_chart_role_counts(ctx, dl->arena, cat, role, &c);
  if (st)
    return st;
  return sb_chart_draw_bars(ctx, dl, page, x, y, w, h, &c, &env, NULL);
}

sb_status sb_chart_skill_bars(sb_ctx *ctx, sb_dl *dl, int page, double x,
                              double y, double w, double h,
                              const sb_catalog *cat, const sb_skill *sk,
                              const sb_style *style, const sb_labels *labels,
                              const sb_fontset *fonts) {
  sb_chart_env env = env_of(style, labels, fonts);
  sb_chart_counts c;
  sb_status st = sb_chart_skill_counts(ctx, dl->arena, cat, sk, &c);
  if (st)
    return st;
  return sb_chart_draw_bars(ctx, dl, page, x, y, w, h, &c, &env, NULL);
}

sb_status sb_chart_role_grid(sb_ctx *ctx, sb_dl *dl, int page, double x,
                             double y, double w, const sb_catalog *cat,
                             int role, const sb_style *style,
                             const sb_labels *labels, const sb_fontset *fonts,
                             double *used) {
  sb_chart_env env = env_of(style, labels, fonts);
  sb_chart_cover cv;
  sb_chart_grid *g;
  sb_status st = sb_chart_role_cover(ctx, dl->arena, cat, role, &cv);
  if (!st)
    st = sb_chart_grid_plan(ctx, dl->arena, &cv, &env, w, &g);
  if (st)
    return st;
  return sb_chart_grid_draw(ctx, dl, page, x, y, g, 0, cv.naxes, 1, used);
}
