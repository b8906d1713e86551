/*
** chart/chart-imp.h -- what the chart files share: the pen and the metrics.
**
** A pen wraps a cairo context on a 1x1 image surface that is used only to
** build geometry (never to draw pixels): shapes go into cairo's current
** path, sb_chart_pen_emit captures it with cairo_copy_path and appends a
** path op. Text goes straight to text ops. Every size and colour a chart
** uses is derived from the style in sb_chart_metrics, in one place.
*/
#ifndef SB_CHART_IMP_H
#define SB_CHART_IMP_H

#include <cairo.h>

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

typedef struct sb_chart_pen {
  sb_ctx *ctx;
  sb_dl *dl;
  int page;
  const sb_chart_env *env;
  sb_chart_metrics m;
  cairo_surface_t *surf;
  cairo_t *cr;
  sb_pathseg *segs;  /* heap scratch for captured paths */
  int nsegs;
  size_t capsegs;
  sb_status st;      /* first failure */
} sb_chart_pen;

void sb_chart_metrics_from(const sb_chart_env *env, sb_chart_metrics *m);
sb_status sb_chart_pen_open(sb_chart_pen *p, sb_ctx *ctx, sb_dl *dl, int page,
                            const sb_chart_env *env);
sb_status sb_chart_pen_close(sb_chart_pen *p);

/* Captures cairo's current path into a path op (and clears the path).
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
