/*
** tests/unit/test_chart.c -- chart series and geometry, checked on the ops.
**
** Small catalogues are built in memory (the model's structs are public), so
** each case says exactly what it counts. Checks: per-level counts, the
** nice axis, bar heights = count * scale, the radar's vertices at share * r
** from the centre (0.01 pt), the axis fallback (domains -> groups -> skills
** -> step chart), the no-mandatory note, greyscale patterns (hatching and
** dashes present), only text ops for labels, and cairo's extra MoveTo
** after ClosePath dropped. With an argument it also writes PNG previews of
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

#define PI 3.14159265358979323846
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

/* The y of the horizontal segment of a stroked polyline over x (cairo may
** merge collinear segments, so the ops are not compared one by one). */
static double step_y_at(const sb_op *op, double x) {
  int k;
  for (k = 1; k < op->u.path.nsegs; k++) {
    const sb_pathseg *a = &op->u.path.segs[k - 1], *b = &op->u.path.segs[k];
    double x0 = a->x[0], x1 = b->x[0];
    if (b->kind == 'L' && fabs(a->y[0] - b->y[0]) < 1e-9 &&
        ((x0 <= x && x <= x1) || (x1 <= x && x <= x0)))
      return a->y[0];
  }
  return -1;
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

  /* radar shares: 4 domains; domain d holds skills d and d + 4 */
  CHECK(sb_chart_role_cover(ctx, arena, &t.cat, 0, &cv) == SB_OK);
  CHECK_EQ_INT(cv.kind, SB_CHART_AREA_DOMAIN);
  CHECK_EQ_INT(cv.naxes, 4);
  CHECK_EQ_INT(cv.nlevels, 5);
  for (l = 0; l < 5; l++)
    for (a = 0; a < 4; a++) {
      int s0 = cv.axis_id[a], m = (s0 % 5 <= l) + ((s0 + 4) % 5 <= l);
      CHECK_EQ_INT(cv.total[a], 2);
      CHECK_EQ_DBL(cv.share[l * 4 + a], m / 2.0, 1e-12);
    }
  /* role 1: only skill 0, all optional: one skill axis, no mandatory */
  CHECK(sb_chart_role_cover(ctx, arena, &t.cat, 1, &cv) == SB_OK);
  CHECK_EQ_INT(cv.naxes, 1);
  CHECK_EQ_INT(cv.kind, SB_CHART_AREA_SKILL);
  CHECK_EQ_INT(cv.mandatory, 0);
}

/* The fallback rule on its own: 2 domains -> groups; 2 groups -> skills;
** 2 skills -> step chart. */
static void test_fallback(sb_ctx *ctx, const sb_chart_env *env) {
  tcat t;
  sb_chart_cover cv;
  sb_chart_geom g;
  sb_dl dl;
  int s, l, pg, first;

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

  /* 2 domains, 2 groups, 2 skills -> a step chart */
  tcat_init(&t, 4, 2, 2);
  for (s = 0; s < 2; s++) {
    add_skill(&t, anames[s], s);
    for (l = 0; l < 4; l++)
      expect(&t, s, l, 0, l >= 1 + s ? 'M' : 'O');
  }
  CHECK(sb_chart_role_cover(ctx, arena, &t.cat, 0, &cv) == SB_OK);
  CHECK_EQ_INT(cv.naxes, 2);
  sb_dl_init(&dl, arena, 0);
  pg = sb_dl_add_page(ctx, &dl, 595, 842);
  first = dl.pages[pg].nops;
  CHECK(sb_chart_draw_cover(ctx, &dl, pg, 50, 50, 400, 200, &cv, env, &g) ==
        SB_OK);
  CHECK_EQ_INT(g.kind, 2);
  /* each area's step line: for level i a horizontal run across slot i at
  ** y = bottom - share * ph */
  {
    const sb_page *p = &dl.pages[pg];
    int found = 0, i;
    for (i = first; i < p->nops; i++) {
      const sb_op *op = &p->ops[i];
      int a, k;
      if (op->kind != SB_OP_PATH || !op->u.path.stroke || op->u.path.fill)
        continue;
      a = found;
      for (k = 0; k < 4; k++) {
        double y = g.py + g.ph - g.ph * cv.share[k * 2 + a];
        CHECK_EQ_DBL(step_y_at(op, g.px + g.bar_w * (k + 0.5)), y, 0.01);
      }
      found++;
    }
    CHECK_EQ_INT(found, 2);
    CHECK(has_text(p, first, "Cloud & Infrastructure"));
    CHECK(has_text(p, first, "100%"));
  }

  /* no mandatory at all -> the note, no chart */
  for (s = 0; s < 2; s++)
    for (l = 0; l < t.sk[s].nexpects; l++)
      t.ex[s][l].mandatory = 0;
  CHECK(sb_chart_role_cover(ctx, arena, &t.cat, 0, &cv) == SB_OK);
  first = dl.pages[pg].nops;
  CHECK(sb_chart_draw_cover(ctx, &dl, pg, 50, 300, 400, 200, &cv, env, &g) ==
        SB_OK);
  CHECK_EQ_INT(g.kind, 3);
  CHECK_EQ_INT(dl.pages[pg].nops - first, 1);
  CHECK(has_text(&dl.pages[pg], first, sb_label(env->labels, SB_L_NO_MANDATORY)));
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

static void test_radar_geometry(sb_ctx *ctx, const sb_chart_env *env) {
  tcat t;
  sb_chart_cover cv;
  sb_chart_geom g;
  sb_dl dl;
  const sb_page *p;
  int pg, first, i, outlines = 0, dashed = 0, markers = 0;

  build_main(&t);
  sb_dl_init(&dl, arena, 0);
  pg = sb_dl_add_page(ctx, &dl, 595, 842);
  CHECK(sb_chart_role_cover(ctx, arena, &t.cat, 0, &cv) == SB_OK);
  first = dl.pages[pg].nops;
  CHECK(sb_chart_draw_cover(ctx, &dl, pg, 50, 60, 480, 260, &cv, env, &g) ==
        SB_OK);
  p = &dl.pages[pg];
  CHECK_EQ_INT(g.kind, 1);
  CHECK(g.r > 40 && g.cx - g.r > 50 && g.cy - g.r > 60 && g.cy + g.r < 320);
  /* level outlines: closed 4-gons (M L L L Z, no MoveTo after Z) in the
  ** series styles; vertex a at share * r from the centre, on axis a */
  for (i = first; i < p->nops; i++) {
    const sb_op *op = &p->ops[i];
    const sb_pathseg *s = op->u.path.segs;
    int k, l;
    if (op->kind != SB_OP_PATH)
      continue;
    { /* cairo's MoveTo back to the subpath start after Z is dropped */
      double sx = 0, sy = 0;
      for (k = 0; k < op->u.path.nsegs; k++) {
        if (s[k].kind == 'M' && k > 0 && s[k - 1].kind == 'Z')
          CHECK(fabs(s[k].x[0] - sx) > 1e-9 || fabs(s[k].y[0] - sy) > 1e-9);
        if (s[k].kind == 'M')
          sx = s[k].x[0], sy = s[k].y[0];
      }
    }
    if (op->u.path.fill || op->u.path.st.width <= style.rule_width)
      continue;
    l = outlines++;
    if (l >= cv.nlevels)
      break;
    dashed += op->u.path.st.ndash > 0;
    CHECK(s[0].kind == 'M' && s[op->u.path.nsegs - 1].kind == 'Z');
    /* each point is vertex k (in order) at share * r on axis k; cairo may
    ** merge a vertex at the centre between two collinear ones, never a
    ** vertex off the centre */
    {
      int next = 0, np = op->u.path.nsegs - 1;
      for (k = 0; k < 4; k++) {
        double a = k * PI / 2, want = cv.share[l * 4 + k] * g.r;
        double vx = g.cx + want * sin(a), vy = g.cy - want * cos(a);
        if (next < np && fabs(s[next].x[0] - vx) < 0.01 &&
            fabs(s[next].y[0] - vy) < 0.01) {
          double dx = s[next].x[0] - g.cx, dy = s[next].y[0] - g.cy;
          CHECK_EQ_DBL(sqrt(dx * dx + dy * dy), want, 0.01);
          next++;
        } else {
          CHECK(want < 0.01); /* only a centre vertex may be merged away */
        }
      }
      CHECK_EQ_INT(next, np);
    }
  }
  CHECK_EQ_INT(outlines, cv.nlevels);
  CHECK(dashed >= 3); /* all but one level dashed */
  for (i = first; i < p->nops; i++)
    if (p->ops[i].kind == SB_OP_PATH && p->ops[i].u.path.fill &&
        p->ops[i].u.path.nsegs > 0 && p->ops[i].u.path.segs[0].kind == 'M')
      markers++;
  CHECK(markers >= 2 * cv.nlevels); /* on the chart and in the legend */
  {  /* markers: one subpath per vertex off the centre, one per legend
     ** entry */
    int nm = 0, want = cv.nlevels, k;
    for (k = 0; k < cv.nlevels * 4; k++)
      want += cv.share[k] > 0;
    for (i = first; i < p->nops; i++) {
      const sb_op *op = &p->ops[i];
      if (op->kind != SB_OP_PATH || !op->u.path.fill)
        continue;
      for (k = 0; k < op->u.path.nsegs; k++)
        nm += op->u.path.segs[k].kind == 'M';
    }
    CHECK_EQ_INT(nm, want);
  }
  CHECK(has_text(p, first, "Security & Reliability"));
  CHECK(has_text(p, first, "Senior"));
  CHECK(has_text(p, first, "50%"));
  /* no text turned into outlines, no image ops: only these kinds */
  for (i = first; i < p->nops; i++)
    CHECK(p->ops[i].kind != SB_OP_LINK);
}

/* The capture: curves kept, cairo's MoveTo after ClosePath dropped, a
** real MoveTo after ClosePath kept. */
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
  cairo_rectangle(pen.cr, 10, 10, 20, 20);       /* M L L L Z */
  cairo_line_to(pen.cr, 50, 50);                 /* (M dropped) L */
  cairo_close_path(pen.cr);                      /* Z */
  cairo_rectangle(pen.cr, 60, 60, 5, 5);         /* M L L L Z */
  cairo_new_sub_path(pen.cr);
  cairo_arc(pen.cr, 50, 20, 5, 0, 3.14159265358979323846); /* M C C */
  op = sb_chart_pen_emit(&pen, 1, c, 1, &st);
  CHECK(op != NULL);
  kinds = "MLLLZLZMLLLZMC"; /* then more C (cairo's choice for the arc) */
  for (k = 0; op && k < op->u.path.nsegs && k < 63; k++)
    got[k] = op->u.path.segs[k].kind;
  got[op ? k : 0] = 0;
  CHECK(strncmp(got, kinds, strlen(kinds)) == 0);
  CHECK(strspn(got + strlen(kinds), "C") == strlen(got + strlen(kinds)));
  if (op) {
    const sb_pathseg *last = &op->u.path.segs[op->u.path.nsegs - 1];
    CHECK_EQ_DBL(op->u.path.segs[5].x[0], 50, 1e-9);
    CHECK_EQ_DBL(op->u.path.segs[7].x[0], 60, 1e-9);
    CHECK_EQ_DBL(op->u.path.segs[12].x[0], 55, 1e-6); /* arc start */
    CHECK_EQ_DBL(last->x[2], 45, 1e-6);               /* arc end */
    CHECK_EQ_DBL(last->y[2], 20, 1e-6);
  }
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
    CHECK(sb_chart_role_radar(ctx, &dl, pg, 50, 320, 495, 280, &t.cat, 0,
                              env->style, env->labels, env->fonts) == SB_OK);
    if (i == 0) {
      /* a step chart and a skill chart, for the eyes */
      tcat t2;
      int s, l;
      tcat_init(&t2, 4, 2, 2);
      for (s = 0; s < 2; s++) {
        add_skill(&t2, anames[s], s);
        for (l = 0; l < 4; l++)
          expect(&t2, s, l, 0, l >= 1 + s ? 'M' : 'O');
      }
      CHECK(sb_chart_role_radar(ctx, &dl, pg, 50, 620, 495, 170, &t2.cat, 0,
                                env->style, env->labels, env->fonts) == SB_OK);
    }
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
  printf("bars + radar: %.1f us per pair (%d pairs, %d ops a page)\n",
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
  test_radar_geometry(&ctx, &env);
  bench_and_preview(&ctx, &env, argc > 1 ? argv[1] : NULL);
  if (ctx.status)
    fprintf(stderr, "ctx: %s\n", ctx.errmsg);
  sb_drop_fontset(&fonts);
  sb_drop_arena(arena);
  sb_ctx_free(&ctx);
  return check_report();
}
