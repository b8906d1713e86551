/*
** chart/chart-imp.h -- what the chart files share: the pen and the metrics.
**
** A pen holds a path builder (chart/path.c) that follows cairo's path rules
** without cairo: shapes go into the pen's path, sb_chart_pen_emit turns it
** into segments and appends a path op. Text goes straight to text ops.
** Every size and colour a chart uses is derived from the style in
** sb_chart_metrics, in one place.
*/
#ifndef SB_CHART_IMP_H
#define SB_CHART_IMP_H

#include <stdint.h>

#include "skillbook/chart.h"

/* Sizes and colours of a chart, all derived from the style. */
typedef struct sb_chart_metrics {
  double label;      /* level/axis names, legend text */
  double tick;       /* tick values, bar values */
  double gap;        /* generic small gap */
  double line;       /* outlines, axes */
  double grid;       /* grid lines */
  double hatch;      /* distance between hatch lines */
  double hatch_w;    /* hatch line width */
  double swatch;     /* legend swatch side */
  double dash_grid;  /* grid dash on-length */
  sb_color text, muted, rule, white;
  sb_color mand, opt, opt_hatch;  /* bar fills */
  sb_color mand_text; /* values on a mandatory bar */
  sb_color tile;     /* the grid's darkest tile (all mandatory) */
  int ink_saver;     /* style->greyscale: light fills with outlines */
} sb_chart_metrics;

/* A segment of a path being built: points in cairo's 24.8 fixed point. */
typedef struct sb_chart_pathop {
  char kind;  /* 'M', 'L', 'C' (three points), 'Z' */
  int32_t x[3], y[3];
} sb_chart_pathop;

/* A path being built (chart/path.c), with cairo's rules: the segments it
** yields are those cairo_copy_path would return for the same calls on an
** identity-transformed cairo context. */
typedef struct sb_chart_path {
  sb_chart_pathop *ops;
  int nops;
  size_t cap;
  int32_t cx, cy;    /* current point */
  int32_t mx, my;    /* start of the current subpath */
  int has_current;   /* a current point is set */
  int needs_move;    /* the next segment starts with a MoveTo */
  sb_status st;      /* SB_E_LIMIT once a segment did not fit */
} sb_chart_path;

/** cairo's 24.8 fixed point of d: d * 256 rounded to the nearest integer
** (ties to even), its low 32 bits. @test tests/unit/test_chart_path.c */
int32_t sb_chart_fixed(double d);
/** An empty path (no allocation yet). */
void sb_chart_path_init(sb_chart_path *pa);
/** Empties the path (keeps its memory), as cairo_new_path. */
void sb_chart_path_clear(sb_chart_path *pa);
/** Frees the path's memory; it is empty again. */
void sb_chart_path_free(sb_chart_path *pa);
/** cairo_move_to, cairo_line_to, cairo_curve_to, cairo_close_path, in page
** space. Out of memory sets pa->st (then nothing more is added).
** @test tests/unit/test_chart_path.c */
void sb_chart_path_move_to(sb_chart_path *pa, double x, double y);
void sb_chart_path_line_to(sb_chart_path *pa, double x, double y);
void sb_chart_path_curve_to(sb_chart_path *pa, double x0, double y0,
                            double x1, double y1, double x2, double y2);
void sb_chart_path_close(sb_chart_path *pa);
/** Writes the path's segments as cairo_copy_path returns them (each
** coordinate the fixed value / 256.0, MoveTo's included) into out, which
** must hold pa->nops + 1; returns their number.
** @test tests/unit/test_chart_path.c */
int sb_chart_path_copy(const sb_chart_path *pa, sb_pathseg *out);

typedef struct sb_chart_pen {
  sb_ctx *ctx;
  sb_dl *dl;
  int page;
  const sb_chart_env *env;
  sb_chart_metrics m;
  sb_chart_path path; /* the shape being built */
  sb_pathseg *segs;  /* heap scratch for captured paths */
  int nsegs;
  size_t capsegs;
  sb_status st;      /* first failure */
} sb_chart_pen;

void sb_chart_metrics_from(const sb_chart_env *env, sb_chart_metrics *m);
sb_status sb_chart_pen_open(sb_chart_pen *p, sb_ctx *ctx, sb_dl *dl, int page,
                            const sb_chart_env *env);
sb_status sb_chart_pen_close(sb_chart_pen *p);

/* Captures the pen's path into a path op (and clears the path).
** Returns the op (NULL if the path was empty or on failure). */
sb_op *sb_chart_pen_emit(sb_chart_pen *p, int fill, sb_color fc, int stroke,
                         const sb_stroke *st);
void sb_chart_pen_rect(sb_chart_pen *p, double x, double y, double w,
                       double h, int fill, sb_color fc, int stroke,
                       const sb_stroke *st);
void sb_chart_pen_line(sb_chart_pen *p, double x0, double y0, double x1,
                       double y1, const sb_stroke *st);
/* Diagonal hatching (45 degrees, up to the right) clipped to a rectangle,
** as one stroked path op. */
void sb_chart_pen_hatch(sb_chart_pen *p, double x, double y, double w,
                        double h, double gap, const sb_stroke *st);
/* Text: draws s (n bytes) with its left edge at x (align 0), centre (1) or
** right edge (2) at x, baseline y; returns the width. */
double sb_chart_pen_text(sb_chart_pen *p, int font, double size, double x,
                         double y, int align, sb_color c, const char *s,
                         size_t n);
double sb_chart_text_width(const sb_chart_pen *p, int font, double size,
                           const char *s);
/* Bytes of s that fit in maxw, with an ellipsis appended into buf when it
** had to be cut; returns buf or s. */
const char *sb_chart_fit(const sb_chart_pen *p, int font, double size,
                         const char *s, double maxw, char *buf, size_t bufn);
double sb_chart_ascent(const sb_chart_pen *p, int font, double size);

/* Stroke presets. */
sb_stroke sb_chart_stroke(sb_color c, double w);
/* The NO_MANDATORY note centred in the box. */
sb_status sb_chart_note(sb_chart_pen *p, double x, double y, double w,
                        double h);

/** The text alternatives of a bar chart and of rows [from, to) of the
** grid (chart/alt.c), in arena memory (NULL when it is full). */
const char *sb_chart_bars_alt(sb_arena *a, const sb_chart_counts *c,
                              const sb_labels *labels);
const char *sb_chart_grid_alt(sb_arena *a, const sb_chart_cover *cv, int from,
                              int to, const sb_labels *labels);

#endif
