/*
** chart/chartdata.c -- the series the charts show, computed from the model.
**
** Per-level mandatory/optional counts for a role (over the skills where it
** appears) and for a skill (across roles); mandatory and optional counts
** and mandatory shares per area and level for a role (the grid), with the axis fallback rule (domains, then
** groups, then skills, each needing at least 3). Reads the model's public
** arrays and queries (sb_cat_expect: the expectation of (level, role));
** no cairo, no drawing. Arrays come from the caller's arena.
** Errors: SB_E_LIMIT over the arena's budget.
** Tests: tests/unit/test_chart.c
*/
#include <stdlib.h>
#include <string.h>

#include "skillbook/chart.h"

static const sb_expect *expect_at(const sb_catalog *cat, const sb_skill *sk,
                                  int level, int role) {
  return sb_cat_expect(cat, sk, level, role);
}

static int has_role(const sb_catalog *cat, const sb_skill *sk, int role) {
  return sb_cat_skill_has_role(cat, sk, role);
}

static void *alloc(sb_ctx *ctx, sb_arena *a, size_t n, sb_status *st) {
  void *p;
  if (*st)
    return NULL;
  p = sb_arena_calloc(a, n ? n : 1);
  if (!p)
    *st = sb_fail_arena(ctx);
  return p;
}

/* Level indexes in growth order (cat->levels[].index), into order[]. */
static void growth_order(const sb_catalog *cat, int *order) {
  int i, j;
  for (i = 0; i < cat->nlevels; i++)
    order[i] = i;
  for (i = 1; i < cat->nlevels; i++) { /* insertion sort: a handful */
    int v = order[i];
    for (j = i; j > 0 && cat->levels[order[j - 1]].index > cat->levels[v].index;
         j--)
      order[j] = order[j - 1];
    order[j] = v;
  }
}

/* Fills out from full per-level arrays, keeping levels with any count. */
static sb_status pack_counts(sb_ctx *ctx, sb_arena *a, const sb_catalog *cat,
                             const int *mand, const int *opt,
                             sb_chart_counts *out) {
  sb_status st = SB_OK;
  int nl = cat->nlevels, i, n = 0;
  int *order = alloc(ctx, a, sizeof(int) * (size_t)nl, &st);
  int *lv = alloc(ctx, a, sizeof(int) * (size_t)nl, &st);
  int *m = alloc(ctx, a, sizeof(int) * (size_t)nl, &st);
  int *o = alloc(ctx, a, sizeof(int) * (size_t)nl, &st);
  const char **nm = alloc(ctx, a, sizeof(char *) * (size_t)nl, &st);

  memset(out, 0, sizeof *out);
  if (st)
    return st;
  growth_order(cat, order);
  for (i = 0; i < nl; i++) {
    int l = order[i];
    if (mand[l] + opt[l] == 0)
      continue;
    lv[n] = l;
    m[n] = mand[l];
    o[n] = opt[l];
    nm[n] = cat->levels[l].name ? cat->levels[l].name : cat->levels[l].id;
    n++;
  }
  out->n = n;
  out->level = lv;
  out->name = nm;
  out->mandatory = m;
  out->optional = o;
  return SB_OK;
}

sb_status sb_chart_role_counts(sb_ctx *ctx, sb_arena *arena,
                               const sb_catalog *cat, int role,
                               sb_chart_counts *out) {
  int nl = cat->nlevels, s, l;
  int *mand = sb_xcalloc((size_t)nl + 1, sizeof(int));
  int *opt = sb_xcalloc((size_t)nl + 1, sizeof(int));
  sb_status st;

  for (s = 0; s < cat->nskills; s++)
    for (l = 0; l < nl; l++) {
      const sb_expect *e = expect_at(cat, &cat->skills[s], l, role);
      if (e)
        (e->mandatory ? mand : opt)[l]++;
    }
  st = pack_counts(ctx, arena, cat, mand, opt, out);
  free(mand);
  free(opt);
  return st;
}

sb_status sb_chart_skill_counts(sb_ctx *ctx, sb_arena *arena,
                                const sb_catalog *cat, const sb_skill *sk,
                                sb_chart_counts *out) {
  int nl = cat->nlevels, k;
  int *mand = sb_xcalloc((size_t)nl + 1, sizeof(int));
  int *opt = sb_xcalloc((size_t)nl + 1, sizeof(int));
  sb_status st;

  for (k = 0; k < sk->nexpects; k++) {
    const sb_expect *e = &sk->expects[k];
    if (e->level < 0 || e->level >= nl)
      continue;
    (e->mandatory ? mand : opt)[e->level]++;
  }
  st = pack_counts(ctx, arena, cat, mand, opt, out);
  free(mand);
  free(opt);
  return st;
}

/* Area of skill sk for an axis kind. */
static int area_of(const sb_skill *sk, sb_chart_area kind) {
  return kind == SB_CHART_AREA_DOMAIN  ? sk->domain
         : kind == SB_CHART_AREA_GROUP ? sk->group
                                       : sk->index;
}

sb_status sb_chart_role_cover(sb_ctx *ctx, sb_arena *arena,
                              const sb_catalog *cat, int role,
                              sb_chart_cover *out) {
  sb_status st = SB_OK;
  int nl = cat->nlevels, ns = cat->nskills, s, a, i;
  char *in = sb_xcalloc((size_t)ns + 1, 1);  /* skill s has the role */
  int *dmap = sb_xcalloc((size_t)cat->ndomains + 1, sizeof(int));
  int *gmap = sb_xcalloc((size_t)cat->ngroups + 1, sizeof(int));
  int *axis_of = sb_xcalloc((size_t)ns + 1, sizeof(int));
  int nd = 0, ng = 0, nsk = 0, naxes, nlv = 0;
  int *order = NULL, *lv = NULL, *id = NULL, *tot = NULL, *count = NULL;
  int *nm = NULL, *no = NULL;
  const char **an = NULL, **ln = NULL;
  double *share = NULL;
  sb_chart_area kind;

  memset(out, 0, sizeof *out);
  for (s = 0; s < ns; s++) {
    const sb_skill *sk = &cat->skills[s];
    if (!has_role(cat, sk, role))
      continue;
    in[s] = 1;
    nsk++;
    if (sk->domain >= 0 && sk->domain < cat->ndomains && !dmap[sk->domain]++)
      nd++;
    if (sk->group >= 0 && sk->group < cat->ngroups && !gmap[sk->group]++)
      ng++;
  }
  kind = nd >= 3 ? SB_CHART_AREA_DOMAIN
         : ng >= 3 ? SB_CHART_AREA_GROUP
                   : SB_CHART_AREA_SKILL;
  naxes = kind == SB_CHART_AREA_DOMAIN  ? nd
          : kind == SB_CHART_AREA_GROUP ? ng
                                        : nsk;

  /* axes in catalogue order (domains and groups by index in their array,
  ** skills in print order) */
  id = alloc(ctx, arena, sizeof(int) * (size_t)(naxes + 1), &st);
  tot = alloc(ctx, arena, sizeof(int) * (size_t)(naxes + 1), &st);
  an = alloc(ctx, arena, sizeof(char *) * (size_t)(naxes + 1), &st);
  order = alloc(ctx, arena, sizeof(int) * (size_t)(nl + 1), &st);
  lv = alloc(ctx, arena, sizeof(int) * (size_t)(nl + 1), &st);
  ln = alloc(ctx, arena, sizeof(char *) * (size_t)(nl + 1), &st);
  share = alloc(ctx, arena, sizeof(double) * (size_t)(nl * naxes + 1), &st);
  nm = alloc(ctx, arena, sizeof(int) * (size_t)(nl * naxes + 1), &st);
  no = alloc(ctx, arena, sizeof(int) * (size_t)(nl * naxes + 1), &st);
  count = sb_xcalloc((size_t)naxes + 1, sizeof(int));
  if (st)
    goto done;
  a = 0;
  if (kind == SB_CHART_AREA_DOMAIN) {
    for (i = 0; i < cat->ndomains; i++)
      if (dmap[i]) {
        id[a] = i;
        an[a] = cat->domains[i].name ? cat->domains[i].name : cat->domains[i].id;
        tot[a] = dmap[i];
        dmap[i] = a++; /* now: area -> axis */
      }
  } else if (kind == SB_CHART_AREA_GROUP) {
    for (i = 0; i < cat->ngroups; i++)
      if (gmap[i]) {
        id[a] = i;
        an[a] = cat->groups[i].name ? cat->groups[i].name : cat->groups[i].id;
        tot[a] = gmap[i];
        gmap[i] = a++;
      }
  } else {
    for (s = 0; s < ns; s++)
      if (in[s]) {
        id[a] = s;
        an[a] = cat->skills[s].name ? cat->skills[s].name : cat->skills[s].id;
        tot[a] = 1;
        axis_of[s] = a++;
      }
  }
  for (s = 0; s < ns; s++) {
    int ar;
    if (!in[s] || kind == SB_CHART_AREA_SKILL)
      continue;
    ar = area_of(&cat->skills[s], kind);
    axis_of[s] = kind == SB_CHART_AREA_DOMAIN ? dmap[ar] : gmap[ar];
  }

  growth_order(cat, order);
  for (i = 0; i < nl; i++) {
    int lvl = order[i], any = 0;
    memset(count, 0, sizeof(int) * (size_t)(naxes + 1));
    for (s = 0; s < ns; s++) {
      const sb_expect *e;
      if (!in[s])
        continue;
      e = expect_at(cat, &cat->skills[s], lvl, role);
      if (!e)
        continue;
      any = 1;
      if (e->mandatory) {
        count[axis_of[s]]++;
        nm[nlv * naxes + axis_of[s]]++;
        out->mandatory++;
      } else {
        no[nlv * naxes + axis_of[s]]++;
      }
    }
    if (!any)
      continue; /* not one of the role's levels */
    lv[nlv] = lvl;
    ln[nlv] = cat->levels[lvl].name ? cat->levels[lvl].name : cat->levels[lvl].id;
    for (a = 0; a < naxes; a++)
      share[nlv * naxes + a] = (double)count[a] / tot[a];
    nlv++;
  }
  out->kind = kind;
  out->naxes = naxes;
  out->axis = an;
  out->axis_id = id;
  out->total = tot;
  out->nlevels = nlv;
  out->level = lv;
  out->level_name = ln;
  out->share = share;
  out->nmand = nm;
  out->nopt = no;
done:
  free(in);
  free(dmap);
  free(gmap);
  free(axis_of);
  free(count);
  return st;
}
