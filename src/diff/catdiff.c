/*
** diff/catdiff.c -- what changed between two catalogues, matched by ids
** (diff.h).
**
** Every id of the old catalogue (roles, levels, domains, groups, skills)
** goes into an open-addressing table keyed by FNV-1a, so matching the new
** catalogue against it is linear; an expectation is matched through the
** role and level maps and sb_cat_expect (a binary search in the skill).
** Changes are appended in their reading order: roles, levels, then each
** skill of the new catalogue in print order (the skill's own changes,
** then its expectations by role and level), then the removed skills.
** Tests: tests/unit/test_diff.c, tests/cli/diff.sh
*/
#include <stdlib.h>
#include <string.h>

#include "skillbook/diff.h"

/* ==== Id tables ==== */

typedef struct idmap {
  int *slot;      /* index + 1; 0 = empty */
  size_t mask;
  const void *base;
  size_t stride;  /* each element starts with const char *id */
} idmap;

static const char *id_at(const idmap *m, int i) {
  return *(const char *const *)((const char *)m->base + (size_t)i * m->stride);
}

static void idmap_build(idmap *m, const void *base, int n, size_t stride) {
  size_t cap = 16;
  while (cap < (size_t)n * 2 + 1) cap *= 2;
  m->slot = sb_xcalloc(cap, sizeof *m->slot);
  m->mask = cap - 1;
  m->base = base;
  m->stride = stride;
  for (int i = 0; i < n; i++) {
    const char *id = id_at(m, i);
    size_t h = (size_t)sb_hash_fnv1a(id, strlen(id), SB_FNV1A_BASIS) & m->mask;
    while (m->slot[h]) h = (h + 1) & m->mask;
    m->slot[h] = i + 1;
  }
}

static int idmap_find(const idmap *m, const char *id) {
  size_t h = (size_t)sb_hash_fnv1a(id, strlen(id), SB_FNV1A_BASIS) & m->mask;
  while (m->slot[h]) {
    if (strcmp(id_at(m, m->slot[h] - 1), id) == 0) return m->slot[h] - 1;
    h = (h + 1) & m->mask;
  }
  return -1;
}

/* ==== The list ==== */

typedef struct run {
  sb_cat_diff *d;
  size_t cap;
  int *role_o2n, *role_n2o, *level_o2n, *level_n2o;
} run;

static sb_change *add(run *r, sb_change_kind k) {
  sb_cat_diff *d = r->d;
  if ((size_t)d->nchanges == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 64;
    d->changes = sb_xrealloc(d->changes, r->cap * sizeof *d->changes);
  }
  sb_change *c = &d->changes[d->nchanges++];
  memset(c, 0, sizeof *c);
  c->kind = k;
  c->orole = c->nrole = c->olevel = c->nlevel = c->oskill = c->nskill = -1;
  d->count[k]++;
  return c;
}

static int str_differ(const char *a, const char *b) {
  if (!a || !b) return (a && *a) || (b && *b);
  return strcmp(a, b) != 0;
}

static int keywords_differ(const sb_skill *a, const sb_skill *b) {
  if (a->nkeywords != b->nkeywords) return 1;
  for (int i = 0; i < a->nkeywords; i++)
    if (strcmp(a->keywords[i], b->keywords[i]) != 0) return 1;
  return 0;
}

/* The sort key of an expectation change within its skill: role, then
** level, in the new catalogue's order (old-only ones after). */
static long exp_key(const run *r, const sb_change *c) {
  const sb_catalog *o = r->d->old, *n = r->d->cur;
  long role = c->nrole >= 0 ? c->nrole : n->nroles + c->orole;
  long lv = c->nlevel >= 0 ? n->levels[c->nlevel].index
                           : n->nlevels + o->levels[c->olevel].index;
  return (role * (n->nlevels + o->nlevels + 1) + lv) * SB_CH_COUNT + c->kind;
}

static const run *sort_run;
static int cmp_change(const void *a, const void *b) {
  long ka = exp_key(sort_run, a), kb = exp_key(sort_run, b);
  return ka < kb ? -1 : ka > kb;
}

static void expect_changes(run *r, int os, int ns) {
  const sb_catalog *o = r->d->old, *n = r->d->cur;
  const sb_skill *osk = os >= 0 ? &o->skills[os] : NULL;
  const sb_skill *nsk = ns >= 0 ? &n->skills[ns] : NULL;
  int first = r->d->nchanges;
  for (int i = 0; nsk && i < nsk->nexpects; i++) {
    const sb_expect *ne = &nsk->expects[i];
    int orole = r->role_n2o[ne->role], olv = r->level_n2o[ne->level];
    const sb_expect *oe = osk && orole >= 0 && olv >= 0
                              ? sb_cat_expect(o, osk, olv, orole)
                              : NULL;
    sb_change_kind k[2];
    int nk = 0;
    if (!oe) {
      k[nk++] = SB_CH_EXPECT_ADDED;
    } else {
      if (strcmp(oe->text, ne->text) != 0) k[nk++] = SB_CH_EXPECT_TEXT;
      if (oe->mandatory != ne->mandatory)
        k[nk++] = ne->mandatory ? SB_CH_EXPECT_MANDATORY : SB_CH_EXPECT_OPTIONAL;
    }
    for (int j = 0; j < nk; j++) {
      sb_change *c = add(r, k[j]);
      c->oskill = os;
      c->nskill = ns;
      c->nrole = ne->role;
      c->nlevel = ne->level;
      c->orole = oe ? orole : -1;
      c->olevel = oe ? olv : -1;
      c->oe = oe;
      c->ne = ne;
    }
  }
  for (int i = 0; osk && i < osk->nexpects; i++) {
    const sb_expect *oe = &osk->expects[i];
    int nrole = r->role_o2n[oe->role], nlv = r->level_o2n[oe->level];
    if (nsk && nrole >= 0 && nlv >= 0 && sb_cat_expect(n, nsk, nlv, nrole))
      continue;
    sb_change *c = add(r, SB_CH_EXPECT_REMOVED);
    c->oskill = os;
    c->nskill = ns;
    c->orole = oe->role;
    c->olevel = oe->level;
    c->nrole = nrole;
    c->nlevel = nlv;
    c->oe = oe;
  }
  /* removed ones keep the new role and level when those still exist, for
  ** grouping; the key sorts by them */
  sort_run = r;
  if (r->d->nchanges > first) /* changes is NULL while there are none */
    qsort(r->d->changes + first, (size_t)(r->d->nchanges - first),
          sizeof *r->d->changes, cmp_change);
}

static void match_named(run *r, const void *obase, int on, const void *nbase,
                        int nn, size_t stride, int *o2n, int *n2o,
                        sb_change_kind added, sb_change_kind removed,
                        sb_change_kind renamed, int is_role) {
  idmap m;
  idmap_build(&m, obase, on, stride);
  for (int i = 0; i < on; i++) o2n[i] = -1;
  for (int i = 0; i < nn; i++) {
    const char *const *np = (const char *const *)((const char *)nbase +
                                                  (size_t)i * stride);
    int j = idmap_find(&m, np[0]);
    n2o[i] = j;
    if (j >= 0) o2n[j] = i;
  }
  for (int i = 0; i < nn; i++) {
    const char *const *np = (const char *const *)((const char *)nbase +
                                                  (size_t)i * stride);
    int j = n2o[i];
    sb_change *c = NULL;
    if (j < 0) {
      c = add(r, added);
    } else {
      const char *const *op = (const char *const *)((const char *)obase +
                                                    (size_t)j * stride);
      if (str_differ(op[1], np[1])) c = add(r, renamed);
    }
    if (c && is_role) c->nrole = i, c->orole = j;
    if (c && !is_role) c->nlevel = i, c->olevel = j;
  }
  for (int j = 0; j < on; j++) {
    if (o2n[j] >= 0) continue;
    sb_change *c = add(r, removed);
    if (is_role) c->orole = j;
    else c->olevel = j;
  }
  free(m.slot);
}

void sb_cat_diff_compute(const sb_catalog *old, const sb_catalog *cur,
                         sb_cat_diff *out) {
  memset(out, 0, sizeof *out);
  out->old = old;
  out->cur = cur;
  run r;
  memset(&r, 0, sizeof r);
  r.d = out;
  r.role_o2n = sb_xmalloc(((size_t)old->nroles + 1) * sizeof(int));
  r.role_n2o = sb_xmalloc(((size_t)cur->nroles + 1) * sizeof(int));
  r.level_o2n = sb_xmalloc(((size_t)old->nlevels + 1) * sizeof(int));
  r.level_n2o = sb_xmalloc(((size_t)cur->nlevels + 1) * sizeof(int));
  match_named(&r, old->roles, old->nroles, cur->roles, cur->nroles,
              sizeof(sb_role), r.role_o2n, r.role_n2o, SB_CH_ROLE_ADDED,
              SB_CH_ROLE_REMOVED, SB_CH_ROLE_RENAMED, 1);
  match_named(&r, old->levels, old->nlevels, cur->levels, cur->nlevels,
              sizeof(sb_level), r.level_o2n, r.level_n2o, SB_CH_LEVEL_ADDED,
              SB_CH_LEVEL_REMOVED, SB_CH_LEVEL_RENAMED, 0);
  /* the growth order of the levels both have, walked in the new order */
  int last = -1, reordered = 0;
  int *bygrowth = sb_xmalloc(((size_t)cur->nlevels + 1) * sizeof(int));
  for (int k = 0; k < cur->nlevels; k++) bygrowth[k] = -1;
  for (int k = 0; k < cur->nlevels; k++)
    if (cur->levels[k].index >= 0 && cur->levels[k].index < cur->nlevels)
      bygrowth[cur->levels[k].index] = k;
  for (int g = 0; g < cur->nlevels; g++) {
    int i = bygrowth[g];
    if (i < 0 || r.level_n2o[i] < 0) continue;
    int oi = old->levels[r.level_n2o[i]].index;
    if (oi < last) reordered = 1;
    last = oi;
  }
  free(bygrowth);
  if (reordered) add(&r, SB_CH_LEVEL_ORDER);

  idmap dm, gm, sm;
  idmap_build(&dm, old->domains, old->ndomains, sizeof(sb_domain));
  idmap_build(&gm, old->groups, old->ngroups, sizeof(sb_group));
  idmap_build(&sm, old->skills, old->nskills, sizeof(sb_skill));
  char *seen = sb_xcalloc((size_t)old->nskills + 1, 1);
  for (int ns = 0; ns < cur->nskills; ns++) {
    const sb_skill *nsk = &cur->skills[ns];
    int os = idmap_find(&sm, nsk->id);
    sb_change *c;
    if (os < 0) {
      c = add(&r, SB_CH_SKILL_ADDED);
      c->nskill = ns;
      expect_changes(&r, -1, ns);
      continue;
    }
    seen[os] = 1;
    const sb_skill *osk = &old->skills[os];
    sb_change_kind k[4];
    int nk = 0;
    if (str_differ(osk->name, nsk->name)) k[nk++] = SB_CH_SKILL_RENAMED;
    const char *ndom = cur->domains[nsk->domain].id;
    const char *ngrp = cur->groups[nsk->group].id;
    if (strcmp(old->domains[osk->domain].id, ndom) != 0 ||
        strcmp(old->groups[osk->group].id, ngrp) != 0)
      k[nk++] = SB_CH_SKILL_MOVED;
    if (str_differ(osk->summary, nsk->summary)) k[nk++] = SB_CH_SKILL_SUMMARY;
    if (keywords_differ(osk, nsk)) k[nk++] = SB_CH_SKILL_KEYWORDS;
    for (int j = 0; j < nk; j++) {
      c = add(&r, k[j]);
      c->oskill = os;
      c->nskill = ns;
    }
    expect_changes(&r, os, ns);
  }
  for (int os = 0; os < old->nskills; os++) {
    if (seen[os]) continue;
    sb_change *c = add(&r, SB_CH_SKILL_REMOVED);
    c->oskill = os;
    expect_changes(&r, os, -1);
  }
  free(seen);
  free(dm.slot);
  free(gm.slot);
  free(sm.slot);
  free(r.role_o2n);
  free(r.role_n2o);
  free(r.level_o2n);
  free(r.level_n2o);
}

void sb_cat_diff_free(sb_cat_diff *d) {
  if (!d) return;
  free(d->changes);
  d->changes = NULL;
  d->nchanges = 0;
}

const char *sb_change_kind_name(sb_change_kind k) {
  static const char *const names[SB_CH_COUNT] = {
      "role-added",        "role-removed",       "role-renamed",
      "level-added",       "level-removed",      "level-renamed",
      "level-order",       "skill-added",        "skill-removed",
      "skill-renamed",     "skill-moved",        "skill-summary",
      "skill-keywords",    "expectation-added",  "expectation-removed",
      "expectation-text",  "became-mandatory",   "became-optional"};
  return (unsigned)k < SB_CH_COUNT ? names[k] : "?";
}

int sb_change_for_role(const sb_cat_diff *d, const sb_change *c, int nrole,
                       int orole) {
  switch (c->kind) {
  case SB_CH_ROLE_ADDED:
  case SB_CH_ROLE_REMOVED:
  case SB_CH_ROLE_RENAMED:
  case SB_CH_EXPECT_ADDED:
  case SB_CH_EXPECT_REMOVED:
  case SB_CH_EXPECT_TEXT:
  case SB_CH_EXPECT_MANDATORY:
  case SB_CH_EXPECT_OPTIONAL:
    return (nrole >= 0 && c->nrole == nrole) ||
           (orole >= 0 && c->orole == orole);
  case SB_CH_SKILL_RENAMED:
  case SB_CH_SKILL_MOVED:
  case SB_CH_SKILL_SUMMARY:
  case SB_CH_SKILL_KEYWORDS:
    return (nrole >= 0 && c->nskill >= 0 &&
            sb_cat_skill_has_role(d->cur, &d->cur->skills[c->nskill], nrole)) ||
           (orole >= 0 && c->oskill >= 0 &&
            sb_cat_skill_has_role(d->old, &d->old->skills[c->oskill], orole));
  case SB_CH_SKILL_ADDED:
  case SB_CH_SKILL_REMOVED:
    return 0; /* their expectations carry them */
  default:
    return 1; /* levels concern every role */
  }
}

int sb_change_shown_skill(const sb_change *c) {
  if (c->oskill < 0 || c->nskill < 0) return -1;
  switch (c->kind) {
  case SB_CH_SKILL_RENAMED:
  case SB_CH_SKILL_MOVED:
  case SB_CH_SKILL_SUMMARY:
  case SB_CH_SKILL_KEYWORDS:
  case SB_CH_EXPECT_ADDED:
  case SB_CH_EXPECT_REMOVED:
  case SB_CH_EXPECT_TEXT:
  case SB_CH_EXPECT_MANDATORY:
  case SB_CH_EXPECT_OPTIONAL:
    return c->nskill;
  default:
    return -1;
  }
}

int sb_cat_diff_role_counts(const sb_cat_diff *d, int nrole, int orole,
                            int count[SB_CH_COUNT]) {
  int total = 0;
  memset(count, 0, SB_CH_COUNT * sizeof *count);
  for (int i = 0; i < d->nchanges; i++) {
    const sb_change *c = &d->changes[i];
    if (c->kind < SB_CH_EXPECT_ADDED) continue;
    if (!((nrole >= 0 && c->nrole == nrole) ||
          (orole >= 0 && c->orole == orole)))
      continue;
    count[c->kind]++;
    total++;
  }
  return total;
}

const char *sb_cat_newest_updated(const sb_catalog *cat) {
  const char *best = NULL;
  for (int i = 0; i < cat->nskills; i++) {
    const char *u = cat->skills[i].updated;
    if (u && (!best || strcmp(u, best) > 0)) best = u;
  }
  return best;
}
