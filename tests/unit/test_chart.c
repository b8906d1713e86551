/*
** tests/unit/test_chart.c -- chart series and geometry, checked on the ops.
**
** Small catalogues are built in memory (the model's structs are public), so
** each case says exactly what it counts. Checks: per-level counts, the
** nice axis, bar heights = count * scale, the area rule (domains ->
** groups -> skills), the level x area grid (its cells' counts, tiles
** darker with the mandatory share, no text crossed by a line or outside
** the box, names wrapped and never cut, its planned height, equal levels
** said to be equal), the no-mandatory note, hatching present, only text
** ops for labels, and the path builder's extra MoveTo after ClosePath
** dropped. With an argument it also writes PNG previews of
** the charts to that folder (for looking at them). Prints timings.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "skillbook/chart.h"
#include "skillbook/device.h"
#include "chart/chart-imp.h"

#define FONTDIR SB_SOURCE_DIR "/fonts/"

/* ==== A catalogue in memory ==== */

typedef struct tcat {
  sb_catalog cat;
  sb_level lv[8];
  sb_role rl[4];
  sb_domain dm[8];
  sb_group gr[8];
  sb_skill sk[16];
  sb_expect ex[16][32];
  int at[16][8 * 4];
} tcat;

static const char *names[] = {"Junior", "Middle", "Senior", "Lead",
                              "Principal", "Distinguished Fellow", "L7", "L8"};
static const char *anames[] = {"Cloud & Infrastructure", "Software Engineering",
                               "Data & ML", "Security & Reliability",
                               "Product", "People", "G7", "G8"};

static void tcat_init(tcat *t, int nlevels, int ndomains, int ngroups) {
  int i;
  memset(t, 0, sizeof *t);
  t->cat.levels = t->lv, t->cat.nlevels = nlevels;
  t->cat.roles = t->rl, t->cat.nroles = 4;
  t->cat.domains = t->dm, t->cat.ndomains = ndomains;
  t->cat.groups = t->gr, t->cat.ngroups = ngroups;
  t->cat.skills = t->sk;
  for (i = 0; i < nlevels; i++)
    t->lv[i].id = names[i], t->lv[i].name = names[i], t->lv[i].index = i;
  for (i = 0; i < 4; i++)
    t->rl[i].id = "r", t->rl[i].name = "Role", t->rl[i].index = i;
  for (i = 0; i < ndomains; i++)
    t->dm[i].id = anames[i], t->dm[i].name = anames[i], t->dm[i].index = i;
  for (i = 0; i < ngroups; i++)
    t->gr[i].id = anames[7 - i], t->gr[i].name = anames[7 - i],
    t->gr[i].index = i, t->gr[i].domain = ndomains ? i % ndomains : 0;
}

static int add_skill(tcat *t, const char *name, int group) {
  int s = t->cat.nskills++, k;
  sb_skill *sk = &t->sk[s];
  sk->id = name, sk->name = name, sk->index = s;
  sk->group = group;
  sk->domain = t->gr[group].domain;
  sk->expects = t->ex[s];
  sk->at = t->at[s];
  for (k = 0; k < 8 * 4; k++)
    t->at[s][k] = -1;
  return s;
}

/* Sets the expectation of (skill, level, role): 'M', 'O'. */
static void expect(tcat *t, int s, int level, int role, char kind) {
  sb_skill *sk = &t->sk[s];
  int k = sk->nexpects++;
  sk->expects[k].level = level;
  sk->expects[k].role = role;
  sk->expects[k].mandatory = kind == 'M';
  sk->expects[k].text = "text";
  t->at[s][level * t->cat.nroles + role] = k;
}

/* ==== Environment ==== */

static sb_fontset fonts;
static sb_style style;
static sb_arena *arena;

static void env_init(sb_ctx *ctx, sb_chart_env *env) {
  const char *paths[SB_FONT_COUNT] = {FONTDIR "LiberationSans-Regular.ttf",
                                      FONTDIR "LiberationSans-Bold.ttf",
                                      FONTDIR "LiberationSans-Italic.ttf"};
  const sb_style *def = sb_style_builtin("default");
  if (sb_load_fontset(ctx, paths, &fonts)) {
    fprintf(stderr, "fonts: %s\n", ctx->errmsg);
    exit(1);
  }
  style = *def;
  env->style = &style;
  env->labels = sb_labels_en();
  env->fonts = &fonts;
}

static int has_text(const sb_page *pg, int from, const char *s) {
  int i;
  for (i = from; i < pg->nops; i++)
    if (pg->ops[i].kind == SB_OP_TEXT && pg->ops[i].u.text.len == strlen(s) &&
        memcmp(pg->ops[i].u.text.text, s, strlen(s)) == 0)
      return 1;
  return 0;
}

/* ==== Cases ==== */

static void test_nice(void) {
  double step, top;
  sb_chart_nice_axis(0, 5, 1, &step, &top);
  CHECK(step == 1 && top == 1);
  sb_chart_nice_axis(3, 5, 1, &step, &top);
  CHECK(step == 1 && top == 3);
  sb_chart_nice_axis(7, 5, 1, &step, &top);
  CHECK(step == 2 && top == 8);
  sb_chart_nice_axis(10, 5, 1, &step, &top);
  CHECK(step == 2 && top == 10);
  sb_chart_nice_axis(11, 5, 1, &step, &top);
  CHECK(step == 5 && top == 15);
  sb_chart_nice_axis(23, 5, 1, &step, &top);
  CHECK(step == 5 && top == 25);
  sb_chart_nice_axis(48, 5, 1, &step, &top);
  CHECK(step == 10 && top == 50);
  sb_chart_nice_axis(130, 5, 1, &step, &top);
  CHECK(step == 50 && top == 150);
  sb_chart_nice_axis(0.37, 4, 0, &step, &top);
  CHECK_EQ_DBL(step, 0.1, 1e-12);
  CHECK_EQ_DBL(top, 0.4, 1e-12);
  /* every step is 1, 2 or 5 x 10^k, and top a multiple >= max */
  for (int v = 1; v < 5000; v += 7) {
    double f;
    sb_chart_nice_axis(v, 5, 1, &step, &top);
    f = step / pow(10, floor(log10(step) + 1e-9));
    CHECK(fabs(f - 1) < 1e-9 || fabs(f - 2) < 1e-9 || fabs(f - 5) < 1e-9);
    CHECK(top >= v && fabs(fmod(top, step)) < 1e-9 && top - v < step);
    CHECK(top / step <= 10);
  }
}

/* A role over 4 domains (4 groups, 8 skills) and 5 levels, with a known
** mandatory pattern: skill s is mandatory for role 0 from level s % 5 up,
** optional below; role 1 appears only in skill 0 (all optional). */
static void build_main(tcat *t) {
  int s, l;
  tcat_init(t, 5, 4, 4);
  for (s = 0; s < 8; s++) {
    add_skill(t, anames[s % 6], s % 4);
    for (l = 0; l < 5; l++)
      expect(t, s, l, 0, l >= s % 5 ? 'M' : 'O');
  }
  for (l = 0; l < 5; l++)
    expect(t, 0, l, 1, 'O');
}

static void test_counts(sb_ctx *ctx) {
  tcat t;
  sb_chart_counts c;
  sb_chart_cover cv;
  int l, a;

  build_main(&t);
  CHECK(sb_chart_role_counts(ctx, arena, &t.cat, 0, &c) == SB_OK);
  CHECK_EQ_INT(c.n, 5);
  /* level l: skills with s % 5 <= l are mandatory: s in 0..7 */
  for (l = 0; l < 5; l++) {
    int m = 0, s;
    for (s = 0; s < 8; s++)
      m += s % 5 <= l;
    CHECK_EQ_INT(c.mandatory[l], m);
    CHECK_EQ_INT(c.optional[l], 8 - m);
    CHECK_STR(c.name[l], names[l]);
  }
  CHECK(sb_chart_role_counts(ctx, arena, &t.cat, 1, &c) == SB_OK);
  CHECK_EQ_INT(c.n, 5);
  CHECK_EQ_INT(c.mandatory[2], 0);
  CHECK_EQ_INT(c.optional[2], 1);
  CHECK(sb_chart_role_counts(ctx, arena, &t.cat, 3, &c) == SB_OK);
  CHECK_EQ_INT(c.n, 0);

  /* per skill: across roles */
  CHECK(sb_chart_skill_counts(ctx, arena, &t.cat, &t.sk[0], &c) == SB_OK);
  CHECK_EQ_INT(c.n, 5);
  CHECK_EQ_INT(c.mandatory[0], 1);
  CHECK_EQ_INT(c.optional[0], 1);
  CHECK(sb_chart_skill_counts(ctx, arena, &t.cat, &t.sk[3], &c) == SB_OK);
  CHECK_EQ_INT(c.mandatory[0], 0);
  CHECK_EQ_INT(c.optional[0], 1);
  CHECK_EQ_INT(c.mandatory[3], 1);

  /* growth order comes from levels[].index, not array order */
  t.lv[0].index = 9;
  CHECK(sb_chart_role_counts(ctx, arena, &t.cat, 0, &c) == SB_OK);
  CHECK_STR(c.name[4], "Junior");
  CHECK_STR(c.name[0], "Middle");
  t.lv[0].index = 0;

  /* grid cells: 4 domains; domain d holds skills d and d + 4 */
  CHECK(sb_chart_role_cover(ctx, arena, &t.cat, 0, &cv) == SB_OK);
  CHECK_EQ_INT(cv.kind, SB_CHART_AREA_DOMAIN);
  CHECK_EQ_INT(cv.naxes, 4);
  CHECK_EQ_INT(cv.nlevels, 5);
  for (l = 0; l < 5; l++)
    for (a = 0; a < 4; a++) {
      int s0 = cv.axis_id[a], m = (s0 % 5 <= l) + ((s0 + 4) % 5 <= l);
      CHECK_EQ_INT(cv.total[a], 2);
      CHECK_EQ_DBL(cv.share[l * 4 + a], m / 2.0, 1e-12);
      CHECK_EQ_INT(cv.nmand[l * 4 + a], m);
      CHECK_EQ_INT(cv.nopt[l * 4 + a], 2 - m);
    }
  /* role 1: only skill 0, all optional: one skill axis, no mandatory */
  CHECK(sb_chart_role_cover(ctx, arena, &t.cat, 1, &cv) == SB_OK);
  CHECK_EQ_INT(cv.naxes, 1);
  CHECK_EQ_INT(cv.kind, SB_CHART_AREA_SKILL);
  CHECK_EQ_INT(cv.mandatory, 0);
}

/* The area rule on its own: 2 domains -> groups; 2 groups -> skills; and
** the grid of a role with no mandatory expectation: its counts and the
** note. */
static void test_fallback(sb_ctx *ctx, const sb_chart_env *env) {
  tcat t;
  sb_chart_cover cv;
  sb_chart_grid *g;
  sb_dl dl;
  int s, l, pg, first;
  double used;

  /* 2 domains, 3 groups (with the role) -> groups */
  tcat_init(&t, 3, 2, 4);
  for (s = 0; s < 4; s++) {
    add_skill(&t, anames[s], s % 3);
    for (l = 0; l < 3; l++)
      expect(&t, s, l, 0, l == 2 ? 'M' : 'O');
  }
  /* a skill of another role in group 3 must not count */
  add_skill(&t, "other", 3);
  expect(&t, 4, 0, 1, 'M');
  CHECK(sb_chart_role_cover(ctx, arena, &t.cat, 0, &cv) == SB_OK);
  CHECK_EQ_INT(cv.kind, SB_CHART_AREA_GROUP);
  CHECK_EQ_INT(cv.naxes, 3);
  CHECK_EQ_DBL(cv.share[2 * 3 + 0], 1.0, 1e-12);
  CHECK_EQ_DBL(cv.share[0], 0.0, 1e-12);
  CHECK_EQ_INT(cv.nmand[2 * 3 + 0], 2); /* group 0: skills 0 and 3 */
  CHECK_EQ_INT(cv.nopt[0], 2);

  /* 1 domain, 2 groups, 3 skills -> skills */
  tcat_init(&t, 3, 1, 2);
  for (s = 0; s < 3; s++) {
    add_skill(&t, anames[s], s % 2);
    expect(&t, s, 0, 0, s == 0 ? 'M' : 'O');
  }
  CHECK(sb_chart_role_cover(ctx, arena, &t.cat, 0, &cv) == SB_OK);
  CHECK_EQ_INT(cv.kind, SB_CHART_AREA_SKILL);
  CHECK_EQ_INT(cv.naxes, 3);
  CHECK_EQ_INT(cv.nlevels, 1);

  /* no mandatory at all: the note alone, one sentence */
  tcat_init(&t, 4, 2, 2);
  for (s = 0; s < 2; s++) {
    add_skill(&t, anames[s], s);
    for (l = 0; l < 4; l++)
      expect(&t, s, l, 0, 'O');
  }
  CHECK(sb_chart_role_cover(ctx, arena, &t.cat, 0, &cv) == SB_OK);
  CHECK_EQ_INT(cv.mandatory, 0);
  CHECK(sb_chart_grid_plan(ctx, arena, &cv, env, 400, &g) == SB_OK);
  sb_dl_init(&dl, arena, 0);
  pg = sb_dl_add_page(ctx, &dl, 595, 842);
  first = dl.pages[pg].nops;
  CHECK(sb_chart_grid_draw(ctx, &dl, pg, 50, 50, g, 0, cv.naxes, 1, &used) ==
        SB_OK);
  CHECK_EQ_DBL(used, sb_chart_grid_height(g), 1e-9);
  CHECK_EQ_INT(sb_chart_grid_rows(g), 0);
  CHECK(used < 20); /* a line, not a third of a page */
  CHECK_EQ_INT(dl.pages[pg].nops - first, 1);
  CHECK(has_text(&dl.pages[pg], first,
                 sb_label(env->labels, SB_L_NO_MANDATORY)));
}

static void test_bars_geometry(sb_ctx *ctx, const sb_chart_env *env) {
  tcat t;
  sb_chart_counts c;
  sb_chart_geom g;
  sb_dl dl;
  const sb_page *p;
  int pg, first, i, l, hatches = 0, texts = 0;

  build_main(&t);
  sb_dl_init(&dl, arena, 0);
  pg = sb_dl_add_page(ctx, &dl, 595, 842);
  CHECK(sb_chart_role_counts(ctx, arena, &t.cat, 0, &c) == SB_OK);
  first = dl.pages[pg].nops;
  CHECK(sb_chart_draw_bars(ctx, &dl, pg, 50, 60, 480, 220, &c, env, &g) ==
        SB_OK);
  p = &dl.pages[pg];
  CHECK_EQ_INT(g.kind, 0);
  CHECK(g.top == 8 && g.step == 2); /* max total 8 -> 0, 2, .. 8 */
  CHECK_EQ_DBL(g.scale, g.ph / g.top, 1e-9);
  CHECK(g.px >= 50 && g.px + g.pw <= 530 + 1e-9);
  CHECK(g.py >= 60 && g.py + g.ph <= 280 + 1e-9);
  /* the mandatory rect of level l: solid fill of chart[0], foot on the
  ** baseline, height = count * scale; optional stacked on it */
  for (l = 0; l < c.n; l++) {
    double cx = g.px + g.pw / c.n * (l + 0.5), base = g.py + g.ph;
    int got_m = 0, got_o = 0;
    for (i = first; i < p->nops; i++) {
      const sb_op *op = &p->ops[i];
      if (op->kind != SB_OP_RECT || !op->u.rect.fill ||
          fabs(op->u.rect.x + op->u.rect.w / 2 - cx) > 0.01 ||
          fabs(op->u.rect.w - g.bar_w) > 0.01)
        continue;
      if (op->u.rect.fill_color.r == style.chart[0].r &&
          op->u.rect.fill_color.b == style.chart[0].b) {
        CHECK_EQ_DBL(op->u.rect.h, c.mandatory[l] * g.scale, 0.01);
        CHECK_EQ_DBL(op->u.rect.y + op->u.rect.h, base, 0.01);
        got_m++;
      } else if (op->u.rect.fill_color.r == style.chart[3].r) {
        CHECK_EQ_DBL(op->u.rect.h, c.optional[l] * g.scale, 0.01);
        CHECK_EQ_DBL(op->u.rect.y + op->u.rect.h,
                     base - c.mandatory[l] * g.scale, 0.01);
        got_o++;
      }
    }
    CHECK_EQ_INT(got_m, c.mandatory[l] > 0);
    CHECK_EQ_INT(got_o, c.optional[l] > 0);
  }
  /* hatching: stroked path ops of line segments, every point inside its
  ** bar's optional rect */
  for (i = first; i < p->nops; i++) {
    const sb_op *op = &p->ops[i];
    if (op->kind == SB_OP_TEXT) {
      texts++;
      CHECK(op->u.text.width > 0);
    }
    if (op->kind == SB_OP_PATH && op->u.path.stroke && !op->u.path.fill &&
        op->u.path.nsegs >= 2 && op->u.path.segs[0].kind == 'M' &&
        op->u.path.segs[1].kind == 'L' &&
        op->u.path.st.color.r == style.chart[1].r) {
      int k;
      hatches++;
      for (k = 0; k < op->u.path.nsegs; k++)
        CHECK(op->u.path.segs[k].x[0] >= 50 && op->u.path.segs[k].x[0] <= 530 &&
              op->u.path.segs[k].y[0] >= 60 && op->u.path.segs[k].y[0] <= 280);
    }
  }
  CHECK(hatches >= 4);  /* 3 bars with optional + the legend swatch */
  CHECK(texts >= 5 + 5 + 2);
  CHECK(has_text(p, first, "Mandatory"));
  CHECK(has_text(p, first, "Optional"));
  CHECK(has_text(p, first, "8"));
  CHECK(has_text(p, first, "Principal"));

  /* empty counts -> the note */
  memset(&c, 0, sizeof c);
  first = p->nops;
  CHECK(sb_chart_draw_bars(ctx, &dl, pg, 50, 300, 480, 220, &c, env, &g) ==
        SB_OK);
  CHECK_EQ_INT(g.kind, 3);
  CHECK_EQ_INT(dl.pages[pg].nops - first, 1);

  /* a box too small is an error, not a mess */
  memset(&c, 0, sizeof c);
  CHECK(sb_chart_role_counts(ctx, arena, &t.cat, 0, &c) == SB_OK);
  CHECK(sb_chart_draw_bars(ctx, &dl, pg, 50, 300, 480, 10, &c, env, &g) ==
        SB_E_CHART);
  sb_ctx_clear_error(ctx);
}

static int has_bytes(const char *s, size_t n, const char *w, size_t k) {
  size_t i;
  for (i = 0; i + k <= n; i++)
    if (memcmp(s + i, w, k) == 0)
      return 1;
  return 0;
}

/* The text box of a text op: baseline y, cap height above, descent below. */
static void text_box(const sb_op *op, double *x0, double *y0, double *x1,
                     double *y1) {
  *x0 = op->u.text.x, *x1 = op->u.text.x + op->u.text.width;
  *y0 = op->u.text.y - op->u.text.size * 0.75;
  *y1 = op->u.text.y + op->u.text.size * 0.22;
}

static void test_grid(sb_ctx *ctx, const sb_chart_env *env) {
  tcat t;
  sb_chart_cover cv;
  sb_chart_grid *g;
  sb_dl dl;
  const sb_page *p;
  int pg, first, i, j, l, a, texts = 0, tiles = 0;
  double used, x = 50, y = 60, w = 480;

  build_main(&t);
  t.dm[2].name = "Problem Solving & Decision Making in Uncertain Situations";
  t.lv[4].name = "Distinguished Principal Engineer";
  sb_dl_init(&dl, arena, 0);
  pg = sb_dl_add_page(ctx, &dl, 595, 842);
  CHECK(sb_chart_role_cover(ctx, arena, &t.cat, 0, &cv) == SB_OK);
  CHECK(sb_chart_grid_plan(ctx, arena, &cv, env, w, &g) == SB_OK);
  CHECK_EQ_INT(sb_chart_grid_rows(g), 4);
  first = dl.pages[pg].nops;
  CHECK(sb_chart_grid_draw(ctx, &dl, pg, x, y, g, 0, 4, 1, &used) == SB_OK);
  CHECK_EQ_DBL(used, sb_chart_grid_height(g), 1e-9);
  p = &dl.pages[pg];
  /* long names wrap, never cut: the words are all there, no ellipsis */
  CHECK(has_text(p, first, "Distinguished"));
  CHECK(has_text(p, first, "Cloud & Infrastructure"));
  for (i = first; i < p->nops; i++) {
    const sb_op *op = &p->ops[i];
    double x0, y0, x1, y1;
    if (op->kind == SB_OP_RECT) {
      tiles++;
      continue;
    }
    if (op->kind != SB_OP_TEXT)
      continue;
    texts++;
    CHECK(!has_bytes(op->u.text.text, op->u.text.len, "\xE2\x80\xA6", 3));
    text_box(op, &x0, &y0, &x1, &y1);
    CHECK(x0 >= x - 1e-6 && x1 <= x + w + 1e-6);
    CHECK(y0 >= y - 1e-6 && y1 <= y + used + 1e-6);
    for (j = first; j < p->nops; j++) { /* no line through a text */
      const sb_op *ln = &p->ops[j];
      if (ln->kind != SB_OP_LINE)
        continue;
      CHECK(!(ln->u.line.y0 > y0 && ln->u.line.y0 < y1 &&
              ln->u.line.x1 > x0 && ln->u.line.x0 < x1));
    }
    /* a tile drawn after a text would hide it */
    for (j = i + 1; j < p->nops; j++)
      if (p->ops[j].kind == SB_OP_RECT) {
        const sb_op *r = &p->ops[j];
        CHECK(r->u.rect.x >= x1 || r->u.rect.x + r->u.rect.w <= x0 ||
              r->u.rect.y >= y1 || r->u.rect.y + r->u.rect.h <= y0);
      }
  }
  /* one tile per cell with a mandatory expectation */
  {
    int want = 0;
    for (l = 0; l < cv.nlevels; l++)
      for (a = 0; a < cv.naxes; a++)
        want += cv.nmand[l * cv.naxes + a] > 0;
    CHECK_EQ_INT(tiles, want);
  }
  /* tiles darken with the share: the all-mandatory tile is the darkest */
  {
    double half = 2, full = 2;
    for (i = first; i < p->nops; i++)
      if (p->ops[i].kind == SB_OP_RECT) {
        const sb_op *r = &p->ops[i];
        double v = r->u.rect.fill_color.r + r->u.rect.fill_color.g +
                   r->u.rect.fill_color.b;
        if (r->u.rect.w > 0 && v < full) full = v;
        if (v > 3 - 1e-9) half = 0; /* a white tile would be no tile */
      }
    CHECK(full < 2.5 && half > 0);
  }
  CHECK(texts > 4 * 5);
  /* no two neighbouring levels equal here: no sentence */
  CHECK(!has_text(p, first, sb_label(env->labels, SB_L_CHART_SAME)));

  /* levels 3 and 4 made equal: said so, naming them */
  for (i = 0; i < 8; i++) {
    int k = t.at[i][4 * t.cat.nroles + 0], k3 = t.at[i][3 * t.cat.nroles + 0];
    t.ex[i][k].mandatory = t.ex[i][k3].mandatory;
  }
  CHECK(sb_chart_role_cover(ctx, arena, &t.cat, 0, &cv) == SB_OK);
  CHECK(sb_chart_grid_plan(ctx, arena, &cv, env, w, &g) == SB_OK);
  first = dl.pages[pg].nops;
  CHECK(sb_chart_grid_draw(ctx, &dl, pg, x, 400, g, 0, 4, 1, &used) == SB_OK);
  {
    int found = 0;
    for (i = first; i < p->nops; i++)
      if (p->ops[i].kind == SB_OP_TEXT &&
          has_bytes(p->ops[i].u.text.text, p->ops[i].u.text.len, "Lead = ", 7))
        found = 1;
    CHECK(found);
  }
  /* a part of the rows: the header and rows 1..2, no key */
  first = dl.pages[pg].nops;
  CHECK(sb_chart_grid_draw(ctx, &dl, pg, x, 600, g, 1, 3, 0, &used) == SB_OK);
  CHECK_EQ_DBL(used, sb_chart_grid_head_h(g) + sb_chart_grid_row_h(g, 1) +
                         sb_chart_grid_row_h(g, 2), 1e-9);
  CHECK(!has_text(p, first, "Cloud & Infrastructure"));
  /* narrow for its levels: smaller type, still every row */
  CHECK(sb_chart_grid_plan(ctx, arena, &cv, env, 120, &g) == SB_OK);
  CHECK_EQ_INT(sb_chart_grid_rows(g), 4);
  /* a level name of 3,000 letters: a bounded header, cut with an ellipsis */
  {
    static char big[3001];
    memset(big, 'W', 3000);
    for (i = 7; i < 3000; i += 8)
      big[i] = ' ';
    cv.level_name = (const char *[]){big, "Middle", "Senior", "Lead",
                                     "Principal"};
    CHECK(sb_chart_grid_plan(ctx, arena, &cv, env, w, &g) == SB_OK);
    CHECK(sb_chart_grid_head_h(g) < 80);
    first = dl.pages[pg].nops;
    CHECK(sb_chart_grid_draw(ctx, &dl, pg, x, 700, g, 0, 1, 0, &used) ==
          SB_OK);
    CHECK(used < 100);
  }
}

/* The capture: curves kept, the builder's MoveTo after ClosePath dropped,
** a real MoveTo after ClosePath kept (tests/unit/test_chart_path.c
** compares the builder with cairo itself). */
static void test_capture(sb_ctx *ctx, const sb_chart_env *env) {
  sb_chart_pen pen;
  sb_dl dl;
  sb_stroke st = sb_chart_stroke(style.text, 1);
  sb_color c = {0, 0, 0};
  const sb_op *op;
  const char *kinds;
  char got[64];
  int pg, k;

  sb_dl_init(&dl, arena, 0);
  pg = sb_dl_add_page(ctx, &dl, 100, 100);
  CHECK(sb_chart_pen_open(&pen, ctx, &dl, pg, env) == SB_OK);
  sb_chart_path_move_to(&pen.path, 10, 10);      /* M L L L Z */
  sb_chart_path_line_to(&pen.path, 30, 10);
  sb_chart_path_line_to(&pen.path, 30, 30);
  sb_chart_path_line_to(&pen.path, 10, 30);
  sb_chart_path_close(&pen.path);
  sb_chart_path_line_to(&pen.path, 50, 50);      /* (M dropped) L */
  sb_chart_path_close(&pen.path);                /* Z */
  sb_chart_path_move_to(&pen.path, 60, 60);      /* M L L L Z */
  sb_chart_path_line_to(&pen.path, 65, 60);
  sb_chart_path_line_to(&pen.path, 65, 65);
  sb_chart_path_line_to(&pen.path, 60, 65);
  sb_chart_path_close(&pen.path);
  sb_chart_path_move_to(&pen.path, 55, 20);      /* M C C */
  sb_chart_path_curve_to(&pen.path, 55, 25, 52, 25, 50, 25);
  sb_chart_path_curve_to(&pen.path, 48, 25, 45, 25, 45, 20);
  op = sb_chart_pen_emit(&pen, 1, c, 1, &st);
  CHECK(op != NULL);
  kinds = "MLLLZLZMLLLZMCC";
  for (k = 0; op && k < op->u.path.nsegs && k < 63; k++)
    got[k] = op->u.path.segs[k].kind;
  got[op ? k : 0] = 0;
  CHECK_STR(got, kinds);
  if (op && op->u.path.nsegs == (int)strlen(kinds)) {
    const sb_pathseg *last = &op->u.path.segs[op->u.path.nsegs - 1];
    CHECK_EQ_DBL(op->u.path.segs[5].x[0], 50, 1e-9);
    CHECK_EQ_DBL(op->u.path.segs[7].x[0], 60, 1e-9);
    CHECK_EQ_DBL(op->u.path.segs[12].x[0], 55, 1e-6); /* curve start */
    CHECK_EQ_DBL(last->x[2], 45, 1e-6);               /* curve end */
    CHECK_EQ_DBL(last->y[2], 20, 1e-6);
  }
  /* the path was cleared: nothing more to emit */
  CHECK(sb_chart_pen_emit(&pen, 1, c, 1, &st) == NULL);
  CHECK(sb_chart_pen_close(&pen) == SB_OK);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Builds a page with both charts n times; prints the time per chart pair.
** Writes the page as PNG (colour) into dir when dir is set. */
static void bench_and_preview(sb_ctx *ctx, const sb_chart_env *env,
                              const char *dir) {
  tcat t;
  sb_dl dl;
  int i, pg = 0, n = 1000;
  double t0, t1;

  build_main(&t);
  t.lv[4].name = "Distinguished Principal Engineer";
  t0 = now();
  for (i = 0; i < n; i++) {
    sb_arena_reset(arena);
    sb_dl_init(&dl, arena, 0);
    pg = sb_dl_add_page(ctx, &dl, 595.28, 841.89);
    CHECK(sb_chart_role_bars(ctx, &dl, pg, 50, 60, 495, 230, &t.cat, 0,
                             env->style, env->labels, env->fonts) == SB_OK);
    CHECK(sb_chart_role_grid(ctx, &dl, pg, 50, 320, 495, &t.cat, 0,
                             env->style, env->labels, env->fonts, NULL) ==
          SB_OK);
    if (i == 0 && dir) {
      sb_buf b;
      char path[512];
      FILE *f;
      sb_buf_init(&b);
      sb_device *dev = sb_new_png_device(ctx, env->fonts, 0, 100, &b);
      CHECK(sb_dl_run(ctx, &dl, dev, 0, 0) == SB_OK);
      sb_drop_device(dev);
      snprintf(path, sizeof path, "%s/charts.png", dir);
      f = fopen(path, "wb");
      if (f) {
        fwrite(b.p, 1, b.n, f);
        fclose(f);
      }
      sb_buf_free(&b);
      sb_buf_init(&b);
      dev = sb_new_pdf_device(ctx, env->fonts, &b);
      if (dev && sb_dl_run(ctx, &dl, dev, 0, 0) == SB_OK) {
        snprintf(path, sizeof path, "%s/charts.pdf", dir);
        f = fopen(path, "wb");
        if (f) {
          fwrite(b.p, 1, b.n, f);
          fclose(f);
        }
      }
      sb_drop_device(dev);
      sb_buf_free(&b);
    }
  }
  t1 = now();
  printf("bars + grid: %.1f us per pair (%d pairs, %d ops a page)\n",
         (t1 - t0) * 1e6 / n, n, dl.pages[pg].nops);
  {
    sb_buf b;
    sb_buf_init(&b);
    t0 = now();
    for (i = 0; i < 20; i++) {
      sb_device *dev = sb_new_png_device(ctx, env->fonts, 0, 60, &b);
      b.n = 0;
      CHECK(sb_dl_run(ctx, &dl, dev, 0, 0) == SB_OK);
      sb_drop_device(dev);
    }
    t1 = now();
    printf("preview of the chart page at 60 dpi: %.2f ms (%zu bytes)\n",
           (t1 - t0) * 1e3 / 20, b.n);
    sb_buf_free(&b);
  }
}

int main(int argc, char **argv) {
  sb_ctx ctx;
  sb_chart_env env;

  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  arena = sb_new_arena(0);
  env_init(&ctx, &env);
  test_nice();
  test_capture(&ctx, &env);
  test_counts(&ctx);
  test_fallback(&ctx, &env);
  test_bars_geometry(&ctx, &env);
  test_grid(&ctx, &env);
  bench_and_preview(&ctx, &env, argc > 1 ? argv[1] : NULL);
  if (ctx.status)
    fprintf(stderr, "ctx: %s\n", ctx.errmsg);
  sb_drop_fontset(&fonts);
  sb_drop_arena(arena);
  sb_ctx_free(&ctx);
  return check_report();
}
