/*
** chart/grid.c -- the level x area grid: what a role expects, area by area.
**
** One row per area (domain, group or skill, chartdata.c's rule), one
** column per level of the role in growth order, and a column with the
** number of the role's skills in the area (left out when the areas are
** skills). A cell prints the counts,
** "mandatory + optional" ("3 + 1", "2", "0 + 2"; a dash when the level
** expects nothing in the area), on a tile shaded by the share of the
** area's skills that are mandatory at that level: counts are read, the
** shade only guides the eye, so the grid says the same in greyscale.
** Under it, the key, and a sentence naming the runs of neighbouring
** levels whose counts are the same in every area (equal levels are said
** to be equal). A role with no mandatory expectation gets one sentence,
** the note, instead of the grid: the bars above already count its
** optional expectations.
**
** Names are wrapped at spaces into their cells, never cut (a word longer
** than its column is the one exception: it ends with an ellipsis). No
** line crosses a text: the only rule is the one under the header, and
** tiles are drawn before their text. The plan (sb_chart_grid_plan) sizes
** every row first, so the document can reserve the space, or break the
** rows over pages, before anything is drawn.
** Tests: tests/unit/test_chart.c, tests/cli/chart_labels.sh
*/
#include <stdio.h>
#include <string.h>

#include "chart/chart-imp.h"

#define SB_GRID_LINES 4       /* lines of a name in its cell, at most */
#define SB_GRID_TEXT_LINES 8  /* lines of a sentence under the grid */

typedef struct lines {  /* a name wrapped into its cell */
  int n;
  const char **s;
} lines;

struct sb_chart_grid {
  const sb_chart_cover *cv;
  sb_chart_metrics m;
  const sb_chart_env *env;
  double w, pad, lead;
  double name_w, count_w;        /* area column, skills column */
  double *col_w;                 /* per level */
  lines head_area, head_count;
  lines *head;                   /* per level */
  lines *area;                   /* per area */
  double head_h, *row_h, key_h;
  lines key, same, note;         /* the sentences under the grid */
};

static const sb_font *gface(const sb_chart_env *env, int font) {
  const sb_font *f = env->fonts->face[font];
  return f ? f : env->fonts->face[SB_FONT_REGULAR];
}

static double gwidth(const sb_chart_env *env, int font, double size,
                     const char *s, size_t n) {
  return sb_font_width(gface(env, font), s, n, size);
}

/* A word longer than maxw: its longest head that fits with an ellipsis. */
static const char *cut_word(sb_arena *a, const sb_chart_env *env, int font,
                            double size, const char *s, size_t n,
                            double maxw) {
  const sb_font *f = gface(env, font);
  const char *ell = sb_font_covers(f, 0x2026) ? "\xE2\x80\xA6" : "...";
  double ew = gwidth(env, font, size, ell, strlen(ell)), w = 0;
  size_t i = 0, keep = 0;
  while (i < n) {
    int len;
    int32_t cp = sb_utf8_decode(s + i, n - i, &len);
    if (len <= 0) len = 1;
    w += sb_font_advance(f, cp < 0 ? 0xFFFD : cp) * size / 1000.0;
    if (w + ew > maxw) break;
    i += (size_t)len;
    keep = i;
  }
  return sb_arena_printf(a, "%.*s%s", (int)keep, s, ell);
}

/* Greedy wrap at spaces into at most max lines no wider than maxw; text
** left over when max is reached ends the last line with an ellipsis
** (names of absurd length only: bounded, like the layout's names). */
static int wrap(sb_arena *a, const sb_chart_env *env, int font, double size,
                const char *s, double maxw, int max, lines *out) {
  size_t n = strlen(s), i = 0, cap = n / 2 + 2, last = 0;
  const char **v;
  if (cap > (size_t)max) cap = (size_t)max;
  v = sb_arena_calloc(a, cap * sizeof(char *));
  out->n = 0;
  out->s = v;
  if (!v) return -1;
  while (i < n) {
    size_t start, end, best = 0;
    while (i < n && s[i] == ' ') i++;
    if (i >= n) break;
    if (out->n == (int)cap) { /* more text than lines: cut the last one */
      v[cap - 1] = cut_word(a, env, font, size, s + last, n - last, maxw);
      if (!v[cap - 1]) return -1;
      break;
    }
    start = last = i;
    /* the longest run of whole words that fits */
    for (end = start; end <= n; end++) {
      if (end == n || s[end] == ' ') {
        if (gwidth(env, font, size, s + start, end - start) <= maxw + 1e-6)
          best = end;
        else
          break;
      }
    }
    if (best == 0) { /* one word wider than the cell */
      for (end = start; end < n && s[end] != ' '; end++) {}
      v[out->n] = cut_word(a, env, font, size, s + start, end - start, maxw);
      i = end;
    } else {
      v[out->n] = sb_arena_strndup(a, s + start, best - start);
      i = best;
    }
    if (!v[out->n]) return -1;
    out->n++;
  }
  return 0;
}

static int same_level(const sb_chart_cover *cv, int l, int k) {
  int a, n = cv->naxes;
  for (a = 0; a < n; a++)
    if (cv->nmand[l * n + a] != cv->nmand[k * n + a] ||
        cv->nopt[l * n + a] != cv->nopt[k * n + a])
      return 0;
  return 1;
}

/* "Senior = Lead = Principal; Junior = Middle", or NULL when no two
** neighbouring levels are the same. */
static const char *same_runs(sb_arena *a, const sb_chart_cover *cv) {
  sb_buf b;
  int l = 0, any = 0;
  const char *s;
  sb_buf_init(&b);
  while (l < cv->nlevels) {
    int k = l;
    while (k + 1 < cv->nlevels && same_level(cv, l, k + 1)) k++;
    if (k > l) {
      int j;
      if (any) sb_buf_adds(&b, "; ");
      for (j = l; j <= k; j++) {
        if (j > l) sb_buf_adds(&b, " = ");
        sb_buf_adds(&b, cv->level_name[j]);
      }
      any = 1;
    }
    l = k + 1;
  }
  s = any ? sb_arena_strndup(a, b.p ? b.p : "", b.n) : NULL;
  sb_buf_free(&b);
  return s;
}

/* The widest word of s (min-content). */
static double widest_word(const sb_chart_env *env, int font, double size,
                          const char *s) {
  double best = 0;
  size_t i = 0, n = strlen(s);
  while (i < n) {
    size_t j = i;
    while (j < n && s[j] != ' ') j++;
    if (j > i) {
      double t = gwidth(env, font, size, s + i, j - i);
      if (t > best) best = t;
    }
    i = j + 1;
  }
  return best;
}

static double lines_h(const sb_chart_grid *g, const lines *l) {
  return (l->n > 0 ? l->n : 1) * g->lead;
}

sb_status sb_chart_grid_plan(sb_ctx *ctx, sb_arena *arena,
                             const sb_chart_cover *cv,
                             const sb_chart_env *env, double w,
                             sb_chart_grid **out) {
  sb_chart_grid *g;
  const sb_labels *lb = env->labels;
  double maxname = 0, hmax, rest;
  int a, l, err = 0;
  const char *runs;

  *out = NULL;
  if (!env->style || !lb || !env->fonts || !env->fonts->face[SB_FONT_REGULAR])
    return sb_fail(ctx, SB_E_USAGE, "chart: no style, labels or fonts");
  g = sb_arena_calloc(arena, sizeof *g);
  if (!g) return sb_fail_arena(ctx);
  g->cv = cv;
  g->env = env;
  sb_chart_metrics_from(env, &g->m);
  g->w = w;
  g->pad = g->m.gap;
  g->lead = g->m.label * 1.25;
  if (cv->naxes > 0 && cv->nlevels > 0 && cv->mandatory > 0) {
    const char *ah = sb_label(lb, cv->kind == SB_CHART_AREA_DOMAIN
                                      ? SB_L_DOMAIN
                                      : cv->kind == SB_CHART_AREA_GROUP
                                            ? SB_L_GROUP
                                            : SB_L_SKILL);
    const char *ch = sb_label(lb, SB_L_SKILLS);
    /* many levels: smaller type, so that a cell still holds "12 + 3" */
    if (w * 0.6 / cv->nlevels < g->m.label * 3) {
      g->m.label = w * 0.6 / cv->nlevels / 3;
      if (g->m.label < 4) g->m.label = 4;
      g->pad = g->m.label * 0.4;
      g->lead = g->m.label * 1.25;
    }
    for (a = 0; a < cv->naxes; a++) {
      double t = gwidth(env, SB_FONT_REGULAR, g->m.label, cv->axis[a],
                        strlen(cv->axis[a]));
      if (t > maxname) maxname = t;
    }
    g->count_w = gwidth(env, SB_FONT_BOLD, g->m.label, ch, strlen(ch)) +
                 2 * g->pad + 0.5;
    if (g->count_w < g->m.label * 3) g->count_w = g->m.label * 3;
    if (cv->kind == SB_CHART_AREA_SKILL) g->count_w = 0; /* always 1 */
    g->name_w = maxname + 2 * g->pad;
    if (g->name_w > w * 0.34) g->name_w = w * 0.34;
    g->col_w = sb_arena_calloc(arena, sizeof(double) * (size_t)cv->nlevels);
    if (!g->col_w) return sb_fail_arena(ctx);
    /* level columns: each at least its longest word, the rest shared */
    {
      double need = 0, floor_w = g->m.label * 3, minname = 0;
      for (l = 0; l < cv->nlevels; l++) {
        double t = widest_word(env, SB_FONT_BOLD, g->m.label,
                               cv->level_name[l]) + 2 * g->pad + 0.5;
        g->col_w[l] = t > floor_w ? t : floor_w;
        need += g->col_w[l];
      }
      for (a = 0; a < cv->naxes; a++) {
        double t = widest_word(env, SB_FONT_REGULAR, g->m.label, cv->axis[a]);
        if (t > minname) minname = t;
      }
      minname += 2 * g->pad + 0.5;
      rest = w - g->name_w - g->count_w;
      if (need > rest && minname < g->name_w) { /* narrow the area column */
        g->name_w -= need - rest;
        if (g->name_w < minname) g->name_w = minname;
        rest = w - g->name_w - g->count_w;
      }
      if (need > rest + 1e-9) { /* a word too long anyway: equal columns */
        for (l = 0; l < cv->nlevels; l++)
          g->col_w[l] = rest / cv->nlevels;
      } else {
        for (l = 0; l < cv->nlevels; l++) /* share out what is left */
          g->col_w[l] += (rest - need) / cv->nlevels;
      }
    }
    g->head = sb_arena_calloc(arena, sizeof(lines) * (size_t)cv->nlevels);
    g->area = sb_arena_calloc(arena, sizeof(lines) * (size_t)cv->naxes);
    g->row_h = sb_arena_calloc(arena, sizeof(double) * (size_t)cv->naxes);
    if (!g->head || !g->area || !g->row_h) return sb_fail_arena(ctx);
    err |= wrap(arena, env, SB_FONT_BOLD, g->m.label, ah, g->name_w - 2 * g->pad,
                SB_GRID_LINES, &g->head_area);
    if (g->count_w > 0)
      err |= wrap(arena, env, SB_FONT_BOLD, g->m.label, ch,
                  g->count_w - 2 * g->pad, SB_GRID_LINES, &g->head_count);
    hmax = lines_h(g, &g->head_area);
    if (lines_h(g, &g->head_count) > hmax) hmax = lines_h(g, &g->head_count);
    for (l = 0; l < cv->nlevels; l++) {
      err |= wrap(arena, env, SB_FONT_BOLD, g->m.label, cv->level_name[l],
                  g->col_w[l] - 2 * g->pad, SB_GRID_LINES, &g->head[l]);
      if (lines_h(g, &g->head[l]) > hmax) hmax = lines_h(g, &g->head[l]);
    }
    g->head_h = hmax + 2 * g->pad;
    for (a = 0; a < cv->naxes; a++) {
      err |= wrap(arena, env, SB_FONT_REGULAR, g->m.label, cv->axis[a],
                  g->name_w - 2 * g->pad, SB_GRID_LINES, &g->area[a]);
      g->row_h[a] = lines_h(g, &g->area[a]) + 2 * g->pad;
    }
  }
  /* the sentences under the grid */
  if (cv->mandatory == 0)
    err |= wrap(arena, env, SB_FONT_ITALIC, g->m.label,
                sb_label(lb, SB_L_NO_MANDATORY), w, SB_GRID_TEXT_LINES,
                &g->note);
  if (cv->naxes > 0 && cv->nlevels > 0 && cv->mandatory > 0) {
    err |= wrap(arena, env, SB_FONT_REGULAR, g->m.label,
                sb_label(lb, SB_L_CHART_GRID_KEY), w, SB_GRID_TEXT_LINES,
                &g->key);
    runs = same_runs(arena, cv);
    if (runs)
      err |= wrap(arena, env, SB_FONT_REGULAR, g->m.label,
                  sb_arena_printf(arena, "%s %s.", sb_label(lb, SB_L_CHART_SAME),
                                  runs),
                  w, SB_GRID_TEXT_LINES, &g->same);
  }
  if (err) return sb_fail_arena(ctx);
  g->key_h = 0;
  if (g->note.n) g->key_h += g->pad + g->note.n * g->lead;
  if (g->key.n) g->key_h += g->pad + g->key.n * g->lead;
  if (g->same.n) g->key_h += g->pad + g->same.n * g->lead;
  *out = g;
  return SB_OK;
}

int sb_chart_grid_rows(const sb_chart_grid *g) {
  const sb_chart_cover *cv = g->cv;
  return cv->naxes > 0 && cv->nlevels > 0 && cv->mandatory > 0 ? cv->naxes
                                                                : 0;
}
double sb_chart_grid_head_h(const sb_chart_grid *g) {
  return sb_chart_grid_rows(g) ? g->head_h : 0;
}
double sb_chart_grid_row_h(const sb_chart_grid *g, int row) {
  return row >= 0 && row < sb_chart_grid_rows(g) ? g->row_h[row] : 0;
}
double sb_chart_grid_key_h(const sb_chart_grid *g) { return g->key_h; }

double sb_chart_grid_height(const sb_chart_grid *g) {
  double h = sb_chart_grid_head_h(g) + g->key_h;
  int a;
  for (a = 0; a < sb_chart_grid_rows(g); a++) h += g->row_h[a];
  return h;
}

/* Lines of l from baseline y down, aligned at x (0 left, 1 centre). */
static void put_lines(sb_chart_pen *p, const lines *l, int font, double x,
                      double y, int align, sb_color c, double lead) {
  int i;
  for (i = 0; i < l->n; i++)
    sb_chart_pen_text(p, font, p->m.label, x, y + i * lead, align, c,
                      l->s[i], strlen(l->s[i]));
}

/* The tile colour for a mandatory share (0..1). */
static sb_color shade(const sb_chart_metrics *m, double share) {
  sb_color white = {1, 1, 1}, c;
  double t = share * 0.6;
  c.r = white.r + (m->tile.r - white.r) * t;
  c.g = white.g + (m->tile.g - white.g) * t;
  c.b = white.b + (m->tile.b - white.b) * t;
  return c;
}

static sb_status grid_draw(sb_ctx *ctx, sb_dl *dl, int page, double x,
                           double y, const sb_chart_grid *g, int from, int to,
                           int key, double *used);

/* Each part of the grid drawn is a Figure whose alternative text gives the
** counts of its rows (alt.c); a part with no row (the key alone, the
** note) is plain text. */
sb_status sb_chart_grid_draw(sb_ctx *ctx, sb_dl *dl, int page, double x,
                             double y, const sb_chart_grid *g, int from,
                             int to, int key, double *used) {
  int rows = to > sb_chart_grid_rows(g) ? sb_chart_grid_rows(g) : to;
  sb_op *op = NULL;
  sb_status st;

  if (from < rows && page >= 0 && page < dl->npages) {
    op = sb_dl_add_mark(ctx, dl, page, SB_OP_BEGIN, SB_STRUCT_FIGURE, 0);
    if (!op)
      return ctx->status;
    op->u.mark.alt = sb_chart_grid_alt(dl->arena, g->cv, from, rows,
                                       g->env->labels);
    op->u.mark.lang = g->env->labels ? g->env->labels->lang : NULL;
  }
  st = grid_draw(ctx, dl, page, x, y, g, from, to, key, used);
  if (op && st == SB_OK &&
      !sb_dl_add_mark(ctx, dl, page, SB_OP_END, SB_STRUCT_FIGURE, 0))
    return ctx->status;
  return st;
}

static sb_status grid_draw(sb_ctx *ctx, sb_dl *dl, int page, double x,
                           double y, const sb_chart_grid *g, int from, int to,
                           int key, double *used) {
  sb_chart_pen pen, *p = &pen;
  const sb_chart_cover *cv = g->cv;
  const sb_chart_metrics *m;
  int a, l, n = cv->naxes;
  double y0 = y, asc, inset = 0.75;
  sb_stroke rule;

  if (sb_chart_pen_open(p, ctx, dl, page, g->env))
    return sb_chart_pen_close(p);
  p->m = g->m; /* the plan's sizes (smaller type for many levels) */
  m = &p->m;
  asc = sb_chart_ascent(p, SB_FONT_REGULAR, m->label);
  if (to > sb_chart_grid_rows(g)) to = sb_chart_grid_rows(g);
  if (from < to) {
    /* header: area, skills, one column per level; a rule under it */
    double base = y + g->pad + asc, cx = x + g->name_w;
    put_lines(p, &g->head_area, SB_FONT_BOLD, x + g->pad, base, 0, m->text,
              g->lead);
    if (g->count_w > 0)
      put_lines(p, &g->head_count, SB_FONT_BOLD, cx + g->count_w / 2, base, 1,
                m->text, g->lead);
    cx += g->count_w;
    for (l = 0; l < cv->nlevels; l++) {
      put_lines(p, &g->head[l], SB_FONT_BOLD, cx + g->col_w[l] / 2, base, 1,
                m->text, g->lead);
      cx += g->col_w[l];
    }
    y += g->head_h;
    rule = sb_chart_stroke(m->text, m->grid);
    sb_chart_pen_line(p, x, y, x + g->w, y, &rule);
    for (a = from; a < to; a++) {
      double rh = g->row_h[a], ty = y + g->pad + asc;
      char num[32];
      cx = x + g->name_w;
      put_lines(p, &g->area[a], SB_FONT_REGULAR, x + g->pad, ty, 0, m->text,
                g->lead);
      snprintf(num, sizeof num, "%d", cv->total[a]);
      if (g->count_w > 0)
        sb_chart_pen_text(p, SB_FONT_REGULAR, m->label, cx + g->count_w / 2,
                          ty, 1, m->muted, num, strlen(num));
      cx += g->count_w;
      for (l = 0; l < cv->nlevels; l++) {
        int mv = cv->nmand[l * n + a], ov = cv->nopt[l * n + a];
        double tx = cx + g->col_w[l] / 2;
        if (mv > 0)
          sb_chart_pen_rect(p, cx + inset, y + inset, g->col_w[l] - 2 * inset,
                            rh - 2 * inset, 1,
                            shade(m, (double)mv / cv->total[a]), 0, NULL);
        if (mv + ov == 0) {
          sb_chart_pen_text(p, SB_FONT_REGULAR, m->label, tx, ty, 1, m->muted,
                            "\xE2\x80\x93", 3);
        } else if (ov == 0) {
          snprintf(num, sizeof num, "%d", mv);
          sb_chart_pen_text(p, SB_FONT_BOLD, m->label, tx, ty, 1, m->text, num,
                            strlen(num));
        } else {
          char mn[16], on[24];
          double w1, w2;
          snprintf(mn, sizeof mn, "%d", mv);
          snprintf(on, sizeof on, " + %d", ov);
          w1 = sb_chart_text_width(p, SB_FONT_BOLD, m->label, mn);
          w2 = sb_chart_text_width(p, SB_FONT_REGULAR, m->label, on);
          sb_chart_pen_text(p, SB_FONT_BOLD, m->label, tx - (w1 + w2) / 2, ty,
                            0, m->text, mn, strlen(mn));
          sb_chart_pen_text(p, SB_FONT_REGULAR, m->label,
                            tx - (w1 + w2) / 2 + w1, ty, 0, m->text, on,
                            strlen(on));
        }
        cx += g->col_w[l];
      }
      y += rh;
    }
  }
  if (key) {
    const lines *ls[3] = {&g->note, &g->key, &g->same};
    int k;
    for (k = 0; k < 3; k++) {
      if (!ls[k]->n) continue;
      y += g->pad;
      put_lines(p, ls[k], k == 0 ? SB_FONT_ITALIC : SB_FONT_REGULAR, x,
                y + asc, 0, k == 0 ? m->muted : m->text, g->lead);
      y += ls[k]->n * g->lead;
    }
  }
  if (used) *used = y - y0;
  return sb_chart_pen_close(p);
}
