/*
** chart/path.c -- the chart pen's path builder: cairo's path rules, no cairo.
**
** The charts used cairo only to build paths (move_to/line_to on a 1x1
** surface, then cairo_copy_path), which made every run of the program load
** cairo and its dozen libraries. This file builds the same segments itself,
** so that PDFs stay byte for byte what they were. The rules it keeps are
** those of cairo's fixed-point paths (cairo-path-fixed.c and
** cairo-fixed-private.h, read for the facts; checked against cairo 1.16):
** - a coordinate is stored as 24.8 fixed point, rounded to the nearest
**   1/256 (ties to even, the low 32 bits kept, as cairo's "magic number"
**   conversion does) and read back as that integer / 256.0;
** - a move_to only records the current point: the MoveTo segment is
**   written when a line or curve follows (so of several move_to's in a row
**   only the last counts), or at the very end of the path;
** - a line_to without a current point is a move_to; a line_to to the
**   current point is dropped, except right after the MoveTo;
** - a line_to after a line_to in the same direction (equal slopes, not
**   turning back) replaces it, and a degenerate line_to before another
**   segment is dropped;
** - a curve_to whose four points are equal is a line_to; without a current
**   point it starts at its first control point;
** - close_path draws back to the subpath's start (dropping the closing
**   line), and the next segment (or the end of the path) starts with a
**   MoveTo back to that start.
** tests/unit/test_chart_path.c builds many paths (the charts' hatching,
** edge cases and random ones) here and with cairo and compares every
** segment, bit for bit.
** Errors: SB_E_LIMIT (sticky in the path) when the segments do not fit.
** Tests: tests/unit/test_chart_path.c, tests/unit/test_chart.c
*/
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart-imp.h"

/* 1.5 * 2^44: added to a double, it leaves the value rounded to 1/256 in
** the low 32 bits of the sum's mantissa (2^52 / 2^8 = 2^44 sets the unit
** of the last place to 1/256; the half keeps negative values in the same
** binade). */
#define FIXED_MAGIC 26388279066624.0

int32_t sb_chart_fixed(double d) {
  double t = d + FIXED_MAGIC;
  uint64_t bits;
  memcpy(&bits, &t, sizeof bits);
  return (int32_t)(uint32_t)bits;
}

void sb_chart_path_init(sb_chart_path *pa) {
  memset(pa, 0, sizeof *pa);
  pa->needs_move = 1;
}

void sb_chart_path_clear(sb_chart_path *pa) {
  pa->nops = 0;
  pa->cx = pa->cy = pa->mx = pa->my = 0;
  pa->has_current = 0;
  pa->needs_move = 1;
}

void sb_chart_path_free(sb_chart_path *pa) {
  free(pa->ops);
  sb_chart_path_init(pa);
}

static sb_chart_pathop *add(sb_chart_path *pa, char kind) {
  sb_chart_pathop *o;
  if (pa->st)
    return NULL;
  if (SB_GROW(pa->ops, pa->nops, pa->cap, 64, INT_MAX - 1)) {
    pa->st = SB_E_LIMIT;
    return NULL;
  }
  o = &pa->ops[pa->nops++];
  memset(o, 0, sizeof *o);
  o->kind = kind;
  return o;
}

static char last_kind(const sb_chart_path *pa) {
  return pa->nops ? pa->ops[pa->nops - 1].kind : 0;
}

/* The end point of the op before the last (whose kind is 'L', so the one
** before it has points: a 'Z' is always followed by a MoveTo). */
static void point_before_last(const sb_chart_path *pa, int32_t *x,
                              int32_t *y) {
  const sb_chart_pathop *o = &pa->ops[pa->nops - 2];
  int k = o->kind == 'C' ? 2 : 0;
  *x = o->x[k], *y = o->y[k];
}

/* Differences as cairo takes them: 32-bit fixed values, wrapping. */
static int32_t diff(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a - (uint32_t)b);
}

static void move_fx(sb_chart_path *pa, int32_t x, int32_t y) {
  pa->needs_move = 1;
  pa->has_current = 1;
  pa->cx = pa->mx = x;
  pa->cy = pa->my = y;
}

/* Writes the pending MoveTo, if any. */
static void apply_move(sb_chart_path *pa) {
  sb_chart_pathop *o;
  if (!pa->needs_move)
    return;
  pa->needs_move = 0;
  pa->mx = pa->cx, pa->my = pa->cy;
  if ((o = add(pa, 'M')) != NULL)
    o->x[0] = pa->cx, o->y[0] = pa->cy;
}

static void line_fx(sb_chart_path *pa, int32_t x, int32_t y) {
  sb_chart_pathop *o;
  char last;

  if (!pa->has_current) {
    move_fx(pa, x, y);
    return;
  }
  apply_move(pa);
  last = last_kind(pa);
  if (last != 'M' && x == pa->cx && y == pa->cy)
    return;
  if (last == 'L') {
    int32_t px, py;
    point_before_last(pa, &px, &py);
    if (px == pa->cx && py == pa->cy) {
      pa->nops--;  /* the previous line went nowhere */
    } else {
      int64_t pdx = diff(pa->cx, px), pdy = diff(pa->cy, py);
      int64_t sdx = diff(x, pa->cx), sdy = diff(y, pa->cy);
      /* the dot product wraps as cairo's 64-bit sum does */
      int64_t dot = (int64_t)((uint64_t)(pdx * sdx) + (uint64_t)(pdy * sdy));
      if (pdy * sdx == sdy * pdx && dot >= 0)
        pa->nops--;  /* same direction: this line extends it */
    }
  }
  pa->cx = x, pa->cy = y;
  if ((o = add(pa, 'L')) != NULL)
    o->x[0] = x, o->y[0] = y;
}

void sb_chart_path_move_to(sb_chart_path *pa, double x, double y) {
  move_fx(pa, sb_chart_fixed(x), sb_chart_fixed(y));
}

void sb_chart_path_line_to(sb_chart_path *pa, double x, double y) {
  line_fx(pa, sb_chart_fixed(x), sb_chart_fixed(y));
}

void sb_chart_path_curve_to(sb_chart_path *pa, double x0, double y0,
                            double x1, double y1, double x2, double y2) {
  int32_t fx[3] = {sb_chart_fixed(x0), sb_chart_fixed(x1), sb_chart_fixed(x2)};
  int32_t fy[3] = {sb_chart_fixed(y0), sb_chart_fixed(y1), sb_chart_fixed(y2)};
  sb_chart_pathop *o;
  int k;

  /* compared with the current point even when there is none (cairo's
  ** point then is the origin, or the last one before a move_to) */
  if (pa->cx == fx[2] && pa->cy == fy[2] && fx[0] == fx[2] &&
      fx[1] == fx[2] && fy[0] == fy[2] && fy[1] == fy[2]) {
    line_fx(pa, fx[2], fy[2]);
    return;
  }
  if (!pa->has_current)
    move_fx(pa, fx[0], fy[0]);
  apply_move(pa);
  if (last_kind(pa) == 'L') {
    int32_t px, py;
    point_before_last(pa, &px, &py);
    if (px == pa->cx && py == pa->cy)
      pa->nops--;
  }
  pa->cx = fx[2], pa->cy = fy[2];
  if ((o = add(pa, 'C')) != NULL)
    for (k = 0; k < 3; k++)
      o->x[k] = fx[k], o->y[k] = fy[k];
}

void sb_chart_path_close(sb_chart_path *pa) {
  if (!pa->has_current)
    return;
  /* a line back to the start settles the degenerate cases; the closing
  ** segment itself is implied by the 'Z' */
  line_fx(pa, pa->mx, pa->my);
  if (last_kind(pa) == 'L')
    pa->nops--;
  pa->needs_move = 1;
  add(pa, 'Z');
}

static double dbl(int32_t f) {
  return (double)f / 256.0;
}

int sb_chart_path_copy(const sb_chart_path *pa, sb_pathseg *out) {
  int i, k, n = 0;
  for (i = 0; i < pa->nops; i++) {
    const sb_chart_pathop *o = &pa->ops[i];
    sb_pathseg *s = &out[n++];
    memset(s, 0, sizeof *s);
    s->kind = o->kind;
    for (k = 0; k < (o->kind == 'C' ? 3 : o->kind == 'Z' ? 0 : 1); k++)
      s->x[k] = dbl(o->x[k]), s->y[k] = dbl(o->y[k]);
  }
  if (pa->needs_move && pa->has_current) {
    sb_pathseg *s = &out[n++];
    memset(s, 0, sizeof *s);
    s->kind = 'M';
    s->x[0] = dbl(pa->cx), s->y[0] = dbl(pa->cy);
  }
  return n;
}
