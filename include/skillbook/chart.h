/*
** skillbook/chart.h -- growth charts: the series, and their vector drawing.
**
** Two layers. The data layer computes what a chart shows from the
** catalogue model (counts per level, counts and mandatory shares per area and level);
** it is plain arithmetic, tested on its own. The drawing layer turns a
** series into display-list ops inside a box: path ops built by the chart
** pen's path builder (chart/path.c, cairo's path rules without cairo), and
** text ops for every label, measured with sb_font_width. Sizes, colours
** and printed words come from sb_style and sb_labels. Everything is
** readable in greyscale: mandatory is a solid fill (a light one with an
** outline in ink-saver), optional a light fill with diagonal hatching; the level x
** area grid prints its counts in every cell, the shade only guides the
** eye. Every chart carries its legend or key.
** The document draws the chart's title; the chart draws axes, grid, values,
** labels and legend inside its box. Memory comes from the dl's arena.
** Tests: tests/unit/test_chart.c
*/
#ifndef SKILLBOOK_CHART_H
#define SKILLBOOK_CHART_H

#include "skillbook/base.h"
#include "skillbook/catalog.h"
#include "skillbook/dlist.h"
#include "skillbook/font.h"
#include "skillbook/style.h"

/* ==== Data ==== */

/* Mandatory and optional expectations per level (stacked bars). */
typedef struct sb_chart_counts {
  int n;               /* levels shown (those with >= 1 expectation) */
  const int *level;    /* their indexes into cat->levels, growth order */
  const char **name;   /* their names */
  const int *mandatory, *optional;  /* counts per shown level */
} sb_chart_counts;

typedef enum {
  SB_CHART_AREA_DOMAIN,
  SB_CHART_AREA_GROUP,
  SB_CHART_AREA_SKILL
} sb_chart_area;

/* Expectations per area and level (the level x area grid). */
typedef struct sb_chart_cover {
  sb_chart_area kind;  /* which areas the rows are */
  int naxes;           /* areas; 0: the role is in no skill */
  const char **axis;   /* axis names */
  const int *axis_id;  /* index of the domain, group or skill */
  const int *total;    /* skills of the role in each area (> 0) */
  int nlevels;         /* levels shown, growth order */
  const int *level;
  const char **level_name;
  const double *share; /* share[l * naxes + a] in 0..1: mandatory / total */
  const int *nmand;    /* nmand[l * naxes + a]: mandatory expectations */
  const int *nopt;     /* nopt[l * naxes + a]: optional expectations */
  int mandatory;       /* mandatory expectations of the role in all */
} sb_chart_cover;

/** Counts a role's expectations per level, mandatory and optional, over
** the skills where the role appears; levels with none are left out.
** Arrays come from arena. SB_E_LIMIT over its budget. */
sb_status sb_chart_role_counts(sb_ctx *ctx, sb_arena *arena,
                               const sb_catalog *cat, int role,
                               sb_chart_counts *out);
/** Counts one skill's expectations per level across all roles. */
sb_status sb_chart_skill_counts(sb_ctx *ctx, sb_arena *arena,
                                const sb_catalog *cat, const sb_skill *sk,
                                sb_chart_counts *out);
/** The grid's cells: for each of the role's levels and each area, the
** role's mandatory and optional expectations in the area, and the share
** of the role's skills in the area whose expectation at that level is
** mandatory. Areas are the domains where the role appears if there are at
** least 3, else its groups if at least 3, else its skills. Only skills
** where the role appears count. */
sb_status sb_chart_role_cover(sb_ctx *ctx, sb_arena *arena,
                              const sb_catalog *cat, int role,
                              sb_chart_cover *out);

/** A "nice" axis for values 0..max: step is 1, 2 or 5 times a power of 10
** (at least min_step), about ticks steps, and top = the first multiple of
** step >= max (top >= step). This function can't fail. */
void sb_chart_nice_axis(double max, int ticks, double min_step, double *step,
                        double *top);

/* ==== Drawing ==== */

/* What a chart needs besides its data. All borrowed. */
typedef struct sb_chart_env {
  const sb_style *style;
  const sb_labels *labels;
  const sb_fontset *fonts;
} sb_chart_env;

/* Where a drawing put things (for tests and for documents that annotate). */
typedef struct sb_chart_geom {
  int kind;            /* 0 bars, 3 note */
  double px, py, pw, ph; /* plot area */
  double top, step;    /* value axis: maximum and tick step */
  double scale;        /* points per unit of value */
  double bar_w;        /* width of one bar */
} sb_chart_geom;

/** Draws stacked bars (mandatory at the bottom, optional on top) with value
** axis, grid, values, level names and legend inside the box (x, y, w, h),
** on page of dl. With no expectation at all it draws the NO_MANDATORY note
** instead. geom may be NULL. Errors: SB_E_LIMIT (arena), SB_E_CHART. */
sb_status sb_chart_draw_bars(sb_ctx *ctx, sb_dl *dl, int page, double x,
                             double y, double w, double h,
                             const sb_chart_counts *c,
                             const sb_chart_env *env,
                             sb_chart_geom *geom /* OUT, may be NULL */);
/* The level x area grid, planned (every row sized) before it is drawn,
** so a document can reserve its height or break its rows over pages. */
typedef struct sb_chart_grid sb_chart_grid;

/** Plans the grid of cv in width w (arena memory). Many levels get smaller
** type; a name longer than four lines of its cell, or a word
** wider than any column could be, ends with an ellipsis. SB_E_LIMIT when
** the arena is full. */
sb_status sb_chart_grid_plan(sb_ctx *ctx, sb_arena *arena,
                             const sb_chart_cover *cv,
                             const sb_chart_env *env, double w,
                             sb_chart_grid **out);
int sb_chart_grid_rows(const sb_chart_grid *g);          /* area rows */
double sb_chart_grid_head_h(const sb_chart_grid *g);     /* header row */
double sb_chart_grid_row_h(const sb_chart_grid *g, int row);
double sb_chart_grid_key_h(const sb_chart_grid *g);      /* text under it */
double sb_chart_grid_height(const sb_chart_grid *g);     /* all of it */
/** Draws the header and rows [from, to) from (x, y) down, then the key,
** the note and the equal-levels sentence when key is set; *used gets the
** height drawn. A role with no mandatory expectation has no row: only
** the note, one sentence (a role in no skill: the same note). */
sb_status sb_chart_grid_draw(sb_ctx *ctx, sb_dl *dl, int page, double x,
                             double y, const sb_chart_grid *g, int from,
                             int to, int key, double *used /* OUT */);

/* The documents' entry points: data + drawing in one call. */
sb_status sb_chart_role_bars(sb_ctx *ctx, sb_dl *dl, int page, double x,
                             double y, double w, double h,
                             const sb_catalog *cat, int role,
                             const sb_style *style, const sb_labels *labels,
                             const sb_fontset *fonts);
/* The level x area grid of a role, all rows from (x, y) down in width w;
** *used gets its height (plan it first to reserve the space). */
sb_status sb_chart_role_grid(sb_ctx *ctx, sb_dl *dl, int page, double x,
                             double y, double w, const sb_catalog *cat,
                             int role, const sb_style *style,
                             const sb_labels *labels, const sb_fontset *fonts,
                             double *used /* OUT, may be NULL */);
sb_status sb_chart_skill_bars(sb_ctx *ctx, sb_dl *dl, int page, double x,
                              double y, double w, double h,
                              const sb_catalog *cat, const sb_skill *sk,
                              const sb_style *style, const sb_labels *labels,
                              const sb_fontset *fonts);

#endif
