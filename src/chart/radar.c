/*
** chart/radar.c -- mandatory coverage: a radar per level, or a step chart.
**
** Radar (3 or more axes): axis i points at angle 2*pi*i/n clockwise from
** the top; a level's vertex on axis i lies at share * r from the centre.
** Grid polygons at 25/50/75/100 %, spokes, percent ticks along the first
** axis, axis names outside the rim (shortened to fit the box), and one
** closed outline per level, junior first so the senior, darkest outline is
** on top. Levels differ by dash pattern, lightness and marker shape; the
** legend on the right repeats each sample. With 1 or 2 areas a radar would
** be a line or a point, so a step chart shows the same shares against the
** levels instead. A role with no mandatory expectation gets the note.
** Tests: tests/unit/test_chart.c
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart/chart-imp.h"

#define PI 3.14159265358979323846

/* A legend sample: a short line in the series stroke with its marker. */
static void sample(sb_chart_pen *p, double x, double y, double len,
                   const sb_stroke *st, int mk) {
  sb_chart_pen_line(p, x, y, x + len, y, st);
  sb_chart_pen_marker(p, mk, x + len / 2, y, p->m.marker);
  sb_chart_pen_emit(p, 1, st->color, 0, NULL);
}

/* Legend entries stacked from (x, y) down; returns the height used. */
static double legend_col(sb_chart_pen *p, double x, double y, double maxw,
                         int n, const char *const *names) {
  const sb_chart_metrics *m = &p->m;
  double row = m->label * 1.6, len = m->swatch * 3;
  double asc = sb_chart_ascent(p, SB_FONT_REGULAR, m->label);
  char buf[256];
  int i;

  for (i = 0; i < n; i++) {
    sb_stroke st;
    int mk;
    const char *s;
    double cy = y + row * (i + 0.5);
    sb_chart_series_style(m, i, n, &st, &mk);
    sample(p, x, cy, len, &st, mk);
    s = sb_chart_fit(p, SB_FONT_REGULAR, m->label, names[i],
                     maxw - len - m->gap, buf, sizeof buf);
    sb_chart_pen_text(p, SB_FONT_REGULAR, m->label, x + len + m->gap,
                      cy + asc / 2, 0, m->text, s, strlen(s));
  }
  return row * n;
}

static double legend_width(const sb_chart_pen *p, int n,
                           const char *const *names) {
  double w = 0;
  int i;
  for (i = 0; i < n; i++) {
    double t = sb_chart_text_width(p, SB_FONT_REGULAR, p->m.label, names[i]);
    if (t > w)
      w = t;
  }
  return p->m.swatch * 3 + p->m.gap + w;
}

/* ==== Radar ==== */

static void radar(sb_chart_pen *p, double x, double y, double w, double h,
                  const sb_chart_cover *cv, sb_chart_geom *g) {
  const sb_chart_metrics *m = &p->m;
  int n = cv->naxes, i, l, k;
  double lw = legend_width(p, cv->nlevels, cv->level_name);
  double rw, room = 0, r, cx, cy, asc = sb_chart_ascent(p, SB_FONT_REGULAR,
                                                         m->label);
  double asc_t = sb_chart_ascent(p, SB_FONT_REGULAR, m->tick);
  sb_stroke grid, rim;
  char buf[256];

  if (lw > w * 0.3)
    lw = w * 0.3;
  rw = w - lw - 2 * m->gap;
  for (i = 0; i < n; i++) {
    double t = sb_chart_text_width(p, SB_FONT_REGULAR, m->label, cv->axis[i]);
    if (t > room)
      room = t;
  }
  if (room > rw * 0.28)
    room = rw * 0.28;
  r = rw / 2 - room - 2 * m->gap;
  if (r > h / 2 - m->label * 1.3 - 2 * m->gap)
    r = h / 2 - m->label * 1.3 - 2 * m->gap;
  if (r < m->label * 2) {
    p->st = sb_fail(p->ctx, SB_E_CHART, "chart box %.0fx%.0f pt is too small",
                    w, h);
    return;
  }
  cx = x + rw / 2;
  cy = y + h / 2;
  g->kind = 1, g->cx = cx, g->cy = cy, g->r = r, g->top = 1, g->step = 0.25;

  /* grid rings and spokes */
  grid = sb_chart_stroke(m->rule, m->grid);
  grid.ndash = 2, grid.dash[0] = m->dash_grid * 4, grid.dash[1] = m->dash_grid * 4;
  rim = sb_chart_stroke(m->muted, m->grid);
  for (k = 1; k <= 4; k++) {
    double rr = r * k / 4;
    for (i = 0; i < n; i++) {
      double a = 2 * PI * i / n;
      if (i == 0)
        cairo_move_to(p->cr, cx + rr * sin(a), cy - rr * cos(a));
      else
        cairo_line_to(p->cr, cx + rr * sin(a), cy - rr * cos(a));
    }
    cairo_close_path(p->cr);
    sb_chart_pen_emit(p, 0, m->white, 1, k == 4 ? &rim : &grid);
  }
  for (i = 0; i < n; i++) {
    double a = 2 * PI * i / n;
    sb_chart_pen_line(p, cx, cy, cx + r * sin(a), cy - r * cos(a), &rim);
  }
  /* axis names around the rim */
  for (i = 0; i < n; i++) {
    double a = 2 * PI * i / n, s = sin(a), c = cos(a);
    double d = r + m->gap + m->marker / 2;
    double lx = cx + d * s, ly = cy - d * c, maxw, base;
    int align;
    const char *t;
    if (s > 0.3)
      align = 0, maxw = x + rw - lx;
    else if (s < -0.3)
      align = 2, maxw = lx - x;
    else
      align = 1, maxw = 2 * (lx - x < x + rw - lx ? lx - x : x + rw - lx);
    base = c > 0.3 ? ly - m->gap * 0.5 : c < -0.3 ? ly + asc + m->gap * 0.5
                                                  : ly + asc / 2;
    t = sb_chart_fit(p, SB_FONT_REGULAR, m->label, cv->axis[i], maxw, buf,
                     sizeof buf);
    sb_chart_pen_text(p, SB_FONT_REGULAR, m->label, lx, base, align, m->text,
                      t, strlen(t));
  }

  /* one outline per level, junior first; markers as one path per level */
  for (l = 0; l < cv->nlevels; l++) {
    sb_stroke st;
    int mk;
    sb_chart_series_style(m, l, cv->nlevels, &st, &mk);
    for (i = 0; i < n; i++) {
      double a = 2 * PI * i / n, rr = r * cv->share[l * n + i];
      if (i == 0)
        cairo_move_to(p->cr, cx + rr * sin(a), cy - rr * cos(a));
      else
        cairo_line_to(p->cr, cx + rr * sin(a), cy - rr * cos(a));
    }
    cairo_close_path(p->cr);
    sb_chart_pen_emit(p, 0, m->white, 1, &st);
    for (i = 0; i < n; i++) {  /* none at the centre: they would pile up */
      double a = 2 * PI * i / n, rr = r * cv->share[l * n + i];
      if (rr > 0)
        sb_chart_pen_marker(p, mk, cx + rr * sin(a), cy - rr * cos(a),
                            m->marker);
    }
    sb_chart_pen_emit(p, 1, st.color, 0, NULL);
  }

  /* percent ticks last, over the outlines */
  for (k = 1; k <= 4; k++) {
    char num[16];
    snprintf(num, sizeof num, "%d%%", k * 25);
    sb_chart_pen_text(p, SB_FONT_REGULAR, m->tick, cx + m->gap,
                      cy - r * k / 4 + asc_t, 0, m->muted, num, strlen(num));
  }

  legend_col(p, x + w - lw, cy - m->label * 1.6 * cv->nlevels / 2, lw,
             cv->nlevels, cv->level_name);
}

/* ==== Step chart (1 or 2 areas) ==== */

static void steps(sb_chart_pen *p, double x, double y, double w, double h,
                  const sb_chart_cover *cv, sb_chart_geom *g) {
  const sb_chart_metrics *m = &p->m;
  int n = cv->naxes, nl = cv->nlevels, a, i, k;
  double lw = legend_width(p, n, cv->axis), tickw, px, py, pw, ph, slot;
  double asc_t = sb_chart_ascent(p, SB_FONT_REGULAR, m->tick);
  double asc = sb_chart_ascent(p, SB_FONT_REGULAR, m->label);
  sb_stroke grid, axis;
  char buf[256];

  if (lw > w * 0.35)
    lw = w * 0.35;
  tickw = sb_chart_text_width(p, SB_FONT_REGULAR, m->tick, "100%");
  px = x + tickw + 2 * m->gap;
  pw = w - lw - 3 * m->gap - (px - x);
  py = y + m->marker + m->gap;
  ph = h - (py - y) - m->label * 1.15 - 2 * m->gap;
  if (pw <= 0 || ph <= 0 || nl == 0) {
    p->st = sb_fail(p->ctx, SB_E_CHART, "chart box %.0fx%.0f pt is too small",
                    w, h);
    return;
  }
  slot = pw / nl;
  g->kind = 2, g->px = px, g->py = py, g->pw = pw, g->ph = ph;
  g->top = 1, g->step = 0.25, g->scale = ph, g->bar_w = slot;

  grid = sb_chart_stroke(m->rule, m->grid);
  grid.ndash = 2, grid.dash[0] = m->dash_grid * 4, grid.dash[1] = m->dash_grid * 4;
  for (k = 0; k <= 4; k++) {
    char num[16];
    double gy = py + ph - ph * k / 4;
    if (k > 0)
      sb_chart_pen_line(p, px, gy, px + pw, gy, &grid);
    snprintf(num, sizeof num, "%d%%", k * 25);
    sb_chart_pen_text(p, SB_FONT_REGULAR, m->tick, px - m->gap, gy + asc_t / 2,
                      2, m->muted, num, strlen(num));
  }
  for (i = 0; i < nl; i++) {
    const char *t = sb_chart_fit(p, SB_FONT_REGULAR, m->label,
                                 cv->level_name[i], slot - m->gap, buf,
                                 sizeof buf);
    sb_chart_pen_text(p, SB_FONT_REGULAR, m->label, px + slot * (i + 0.5),
                      py + ph + m->gap + asc, 1, m->text, t, strlen(t));
  }
  for (a = 0; a < n; a++) {
    sb_stroke st;
    int mk;
    sb_chart_series_style(m, a, n, &st, &mk);
    for (i = 0; i < nl; i++) {
      double sy = py + ph - ph * cv->share[i * n + a];
      if (i == 0)
        cairo_move_to(p->cr, px, sy);
      else
        cairo_line_to(p->cr, px + slot * i, sy);
      cairo_line_to(p->cr, px + slot * (i + 1), sy);
    }
    sb_chart_pen_emit(p, 0, m->white, 1, &st);
    for (i = 0; i < nl; i++)
      sb_chart_pen_marker(p, mk, px + slot * (i + 0.5),
                          py + ph - ph * cv->share[i * n + a], m->marker);
    sb_chart_pen_emit(p, 1, st.color, 0, NULL);
  }
  axis = sb_chart_stroke(m->text, m->line);
  sb_chart_pen_line(p, px, py, px, py + ph, &axis);
  sb_chart_pen_line(p, px, py + ph, px + pw, py + ph, &axis);
  legend_col(p, x + w - lw, py, lw, n, cv->axis);
}

sb_status sb_chart_draw_cover(sb_ctx *ctx, sb_dl *dl, int page, double x,
                              double y, double w, double h,
                              const sb_chart_cover *cv,
                              const sb_chart_env *env, sb_chart_geom *geom) {
  sb_chart_pen pen;
  sb_chart_geom g;

  memset(&g, 0, sizeof g);
  if (sb_chart_pen_open(&pen, ctx, dl, page, env))
    return sb_chart_pen_close(&pen);
  if (!cv || cv->mandatory == 0 || cv->naxes == 0 || cv->nlevels == 0) {
    g.kind = 3;
    sb_chart_note(&pen, x, y, w, h);
  } else if (cv->naxes >= 3) {
    radar(&pen, x, y, w, h, cv, &g);
  } else {
    steps(&pen, x, y, w, h, cv, &g);
  }
  if (geom)
    *geom = g;
  return sb_chart_pen_close(&pen);
}
