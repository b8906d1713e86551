/*
** chart/alt.c -- what a chart says in words: the text alternative of its
** Figure in a tagged PDF (dlist.h, SB_STRUCT_FIGURE), built from the same
** numbers the chart draws, with the printed words of its legend, so a
** screen reader reads what the eye sees: "Junior 4 mandatory, 1 optional;
** Middle 6 mandatory, 0 optional".
** Tests: tests/cli/pdfua.sh (the Figures' /Alt), tests/unit/test_chart.c
*/
#include <string.h>

#include "chart/chart-imp.h"

/* Copies b into the arena (NULL when it is full). */
static const char *keep(sb_arena *a, sb_buf *b) {
  char *s = sb_arena_alloc(a, b->n + 1);

  if (s) {
    memcpy(s, b->p ? b->p : "", b->n);
    s[b->n] = 0;
  }
  sb_buf_free(b);
  return s;
}

const char *sb_chart_bars_alt(sb_arena *a, const sb_chart_counts *c,
                              const sb_labels *labels) {
  const char *m = sb_label(labels, SB_L_MANDATORY);
  const char *o = sb_label(labels, SB_L_OPTIONAL);
  sb_buf b;
  int i;

  sb_buf_init(&b);
  for (i = 0; i < c->n; i++)
    sb_buf_printf(&b, "%s%s %d %s, %d %s", i ? "; " : "",
                  c->name[i] ? c->name[i] : "", c->mandatory[i], m,
                  c->optional[i], o);
  return keep(a, &b);
}

const char *sb_chart_grid_alt(sb_arena *a, const sb_chart_cover *cv, int from,
                              int to, const sb_labels *labels) {
  const char *m = sb_label(labels, SB_L_MANDATORY);
  const char *o = sb_label(labels, SB_L_OPTIONAL);
  sb_buf b;
  int ax, l;

  sb_buf_init(&b);
  if (to > cv->naxes)
    to = cv->naxes;
  for (ax = from < 0 ? 0 : from; ax < to; ax++) {
    sb_buf_printf(&b, "%s%s:", b.n ? ". " : "",
                  cv->axis[ax] ? cv->axis[ax] : "");
    for (l = 0; l < cv->nlevels; l++) {
      int k = l * cv->naxes + ax;
      sb_buf_printf(&b, "%s %s %d %s, %d %s", l ? ";" : "",
                    cv->level_name[l] ? cv->level_name[l] : "", cv->nmand[k],
                    m, cv->nopt[k], o);
    }
  }
  return keep(a, &b);
}
