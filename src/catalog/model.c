/*
** catalog/model.c -- questions documents ask of a loaded catalogue.
**
** Lookups by id, the expectation for (skill, level, role) by binary search
** in the skill's `byrole` index (one int per expectation: memory follows
** the expectations present, not levels x roles, #13), derived figures
** (roles, levels, mandatory, optional) in time that follows the
** expectations too, "did you mean" by edit distance, and the content hashes
** the batch uses to tell what changed (sb_cat_compute_hashes, on demand:
** loading leaves them zero). Everything here reads the model, except that
** one function, which writes the hash fields; nothing allocates except
** scratch freed before returning.
** Tests: tests/unit/test_catalog.c
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog-imp.h"

/* ==== Lookups ==== */

const sb_level *sb_cat_level_lookup(const sb_catalog *cat, const char *id) {
  for (int i = 0; id && i < cat->nlevels; i++)
    if (strcmp(cat->levels[i].id, id) == 0)
      return &cat->levels[i];
  return NULL;
}

const sb_role *sb_cat_role_lookup(const sb_catalog *cat, const char *id) {
  for (int i = 0; id && i < cat->nroles; i++)
    if (strcmp(cat->roles[i].id, id) == 0)
      return &cat->roles[i];
  return NULL;
}

const sb_skill *sb_cat_skill_lookup(const sb_catalog *cat, const char *id) {
  for (int i = 0; id && i < cat->nskills; i++)
    if (strcmp(cat->skills[i].id, id) == 0)
      return &cat->skills[i];
  return NULL;
}

/* The first position in sk->byrole whose expectation is at (role, level)
** or after it in (role, level) order; sk->nexpects when none is. */
static int lower_bound(const sb_skill *sk, int role, int level) {
  int lo = 0, hi = sk->nexpects;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    const sb_expect *x = &sk->expects[sk->byrole[mid]];
    if (x->role < role || (x->role == role && x->level < level))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

const sb_expect *sb_cat_expect(const sb_catalog *cat, const sb_skill *sk,
                               int level, int role) {
  if (!sk || level < 0 || level >= cat->nlevels || role < 0 ||
      role >= cat->nroles)
    return NULL;
  if (sk->byrole) {
    int k = lower_bound(sk, role, level);
    const sb_expect *x = k < sk->nexpects ? &sk->expects[sk->byrole[k]] : NULL;
    return x && x->role == role && x->level == level ? x : NULL;
  }
  for (int i = 0; i < sk->nexpects; i++)  /* a model built by hand */
    if (sk->expects[i].level == level && sk->expects[i].role == role)
      return &sk->expects[i];
  return NULL;
}

/* The expectations of one role in one skill: with the index, the run of
** sk->byrole that holds them; without, every expectation, filtered. */
typedef struct role_walk {
  const sb_skill *sk;
  int role, i;
} role_walk;

static void role_walk_init(role_walk *w, const sb_skill *sk, int role) {
  w->sk = sk;
  w->role = role;
  w->i = sk->byrole ? lower_bound(sk, role, -1) : 0;
}

static const sb_expect *role_walk_next(role_walk *w) {
  const sb_skill *sk = w->sk;
  while (w->i < sk->nexpects) {
    const sb_expect *x = &sk->expects[sk->byrole ? sk->byrole[w->i] : w->i];
    w->i++;
    if (x->role == w->role)
      return x;
    if (sk->byrole)
      break;  /* past the role's run */
  }
  w->i = sk->nexpects;
  return NULL;
}

int sb_cat_skill_has_role(const sb_catalog *cat, const sb_skill *sk,
                          int role) {
  role_walk w;
  if (!sk || role < 0 || role >= cat->nroles)
    return 0;
  role_walk_init(&w, sk, role);
  return role_walk_next(&w) != NULL;
}

/* ==== Figures ==== */

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* How many distinct values the n ints of v hold (v is sorted in place). */
static int count_distinct(int *v, int n) {
  int d = 0;
  if (n > 1)
    qsort(v, (size_t)n, sizeof *v, cmp_int);
  for (int i = 0; i < n; i++)
    d += i == 0 || v[i] != v[i - 1];
  return d;
}

void sb_cat_skill_stats(const sb_catalog *cat, const sb_skill *sk,
                        sb_skill_stats *st) {
  int tmp[64], *v = tmp, n = sk->nexpects;
  (void)cat;
  memset(st, 0, sizeof *st);
  if (n > 64)
    v = sb_xmalloc((size_t)n * sizeof *v);
  for (int i = 0; i < n; i++)
    v[i] = sk->expects[i].role;
  st->roles = count_distinct(v, n);
  for (int i = 0; i < n; i++)
    v[i] = sk->expects[i].level;
  st->levels = count_distinct(v, n);
  if (v != tmp)
    free(v);
  for (int i = 0; i < n; i++) {
    if (sk->expects[i].mandatory)
      st->mandatory++;
    else
      st->optional++;
  }
}

void sb_cat_role_stats(const sb_catalog *cat, int role, sb_role_stats *st) {
  memset(st, 0, sizeof *st);
  if (role < 0 || role >= cat->nroles)
    return;
  for (int s = 0; s < cat->nskills; s++) {
    role_walk w;
    const sb_expect *x;
    int n = 0;
    role_walk_init(&w, &cat->skills[s], role);
    while ((x = role_walk_next(&w)) != NULL) {
      n++;
      st->mandatory += x->mandatory;
      st->optional += !x->mandatory;
    }
    st->expects += n;
    st->skills += n > 0;
  }
  int tmp[256], *out = tmp;
  if (cat->nlevels > 256)
    out = sb_xmalloc((size_t)cat->nlevels * sizeof *out);
  st->levels = sb_cat_role_levels(cat, role, out);
  if (out != tmp)
    free(out);
}

int sb_cat_role_levels(const sb_catalog *cat, int role, int *out) {
  int n = 0;
  if (role < 0 || role >= cat->nroles)
    return 0;
  /* out[lv] = 1 marks a level; then the marked ones move to the front
     (the write position never passes the read position) */
  memset(out, 0, (size_t)cat->nlevels * sizeof *out);
  for (int s = 0; s < cat->nskills; s++) {
    role_walk w;
    const sb_expect *x;
    role_walk_init(&w, &cat->skills[s], role);
    while ((x = role_walk_next(&w)) != NULL)
      if (x->level >= 0 && x->level < cat->nlevels)
        out[x->level] = 1;
  }
  for (int lv = 0; lv < cat->nlevels; lv++)
    if (out[lv])
      out[n++] = lv;
  return n;
}

/* ==== Did you mean ==== */

int sb_cat_edit_distance(const char *a, const char *b, int cap) {
  size_t na = strlen(a), nb = strlen(b);
  if (na > 128 || nb > 128)
    return cap + 1;
  int row[129];
  for (size_t j = 0; j <= nb; j++)
    row[j] = (int)j;
  for (size_t i = 1; i <= na; i++) {
    int diag = row[0], best;
    row[0] = (int)i;
    best = row[0];
    for (size_t j = 1; j <= nb; j++) {
      int up = row[j];
      int v = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < v)
        v = up + 1;
      if (row[j - 1] + 1 < v)
        v = row[j - 1] + 1;
      diag = up;
      row[j] = v;
      if (v < best)
        best = v;
    }
    if (best > cap)
      return cap + 1;
  }
  return row[nb];
}

int sb_cat_suggest_from(const void *base, int n, size_t stride,
                        const char *id, char *buf, size_t bufsize) {
  int best[3] = {-1, -1, -1}, dist[3] = {0, 0, 0};
  int len = id ? (int)strlen(id) : 0;
  int cap = len / 3 > 2 ? len / 3 : 2;
  if (bufsize)
    buf[0] = '\0';
  for (int i = 0; id && i < n; i++) {
    const char *s = *(const char *const *)((const char *)base + (size_t)i * stride);
    int d = sb_cat_edit_distance(id, s, cap);
    if (d > cap && !(len >= 3 && strstr(s, id)))
      continue;
    for (int k = 0; k < 3; k++) {
      if (best[k] >= 0 && dist[k] <= d)
        continue;
      for (int m = 2; m > k; m--) {
        best[m] = best[m - 1];
        dist[m] = dist[m - 1];
      }
      best[k] = i;
      dist[k] = d;
      break;
    }
  }
  size_t used = 0;
  for (int k = 0; k < 3 && best[k] >= 0 && used < bufsize; k++) {
    const char *s =
        *(const char *const *)((const char *)base + (size_t)best[k] * stride);
    used += (size_t)snprintf(buf + used, bufsize - used, "%s'%s'",
                             k ? ", " : "", s);
  }
  return best[0] >= 0;
}

int sb_cat_suggest(const sb_catalog *cat, const char *kind, const char *id,
                   char *buf, size_t bufsize) {
  if (strcmp(kind, "role") == 0)
    return sb_cat_suggest_from(cat->roles, cat->nroles, sizeof *cat->roles,
                               id, buf, bufsize);
  if (strcmp(kind, "level") == 0)
    return sb_cat_suggest_from(cat->levels, cat->nlevels, sizeof *cat->levels,
                               id, buf, bufsize);
  if (strcmp(kind, "skill") == 0)
    return sb_cat_suggest_from(cat->skills, cat->nskills, sizeof *cat->skills,
                               id, buf, bufsize);
  if (strcmp(kind, "domain") == 0)
    return sb_cat_suggest_from(cat->domains, cat->ndomains,
                               sizeof *cat->domains, id, buf, bufsize);
  if (strcmp(kind, "group") == 0)
    return sb_cat_suggest_from(cat->groups, cat->ngroups, sizeof *cat->groups,
                               id, buf, bufsize);
  if (bufsize)
    buf[0] = '\0';
  return 0;
}

/* ==== Content hashes ==== */

/* A field as 8 length bytes (little-endian) and its bytes; NULL is a length
** of all ones, so an absent field differs from an empty one. */
static void hash_str(sb_sha256 *h, const char *s) {
  uint64_t n = s ? (uint64_t)strlen(s) : UINT64_MAX;
  uint8_t len[8];
  for (int i = 0; i < 8; i++)
    len[i] = (uint8_t)(n >> (8 * i));
  sb_sha256_update(h, len, 8);
  if (s)
    sb_sha256_update(h, s, (size_t)n);
}

static void hash_int(sb_sha256 *h, long v) {
  char tmp[24];
  snprintf(tmp, sizeof tmp, "%ld", v);
  hash_str(h, tmp);
}

static void hash_named(const char *tag, const char *id, const char *name,
                       int index, uint8_t out[32]) {
  sb_sha256 h;
  sb_sha256_init(&h);
  hash_str(&h, tag);
  hash_str(&h, id);
  hash_str(&h, name);
  hash_int(&h, index);
  sb_sha256_final(&h, out);
}

static void hash_skill(const sb_catalog *cat, sb_skill *sk) {
  sb_sha256 h;
  const sb_domain *d = &cat->domains[sk->domain];
  const sb_group *g = &cat->groups[sk->group];
  sb_sha256_init(&h);
  hash_str(&h, "skill");
  hash_str(&h, sk->id);
  hash_str(&h, sk->name);
  hash_str(&h, d->id);
  hash_str(&h, d->name);
  hash_str(&h, g->id);
  hash_str(&h, g->name);
  hash_str(&h, sk->summary);
  hash_int(&h, sk->nkeywords);
  for (int i = 0; i < sk->nkeywords; i++)
    hash_str(&h, sk->keywords[i]);
  hash_str(&h, sk->updated);
  hash_int(&h, sk->nexpects);
  for (int i = 0; i < sk->nexpects; i++) {
    const sb_expect *x = &sk->expects[i];
    hash_str(&h, cat->levels[x->level].id);
    hash_str(&h, cat->roles[x->role].id);
    hash_int(&h, x->mandatory);
    hash_str(&h, x->text);
  }
  sb_sha256_final(&h, sk->hash);
}

void sb_cat_compute_hashes(sb_catalog *cat) {
  sb_sha256 h;
  if (cat->hashed)
    return;
  /* a model without every text (sb_load_catalog_role) has no hashes */
  SB_ASSERT(!cat->texts_role && !cat->texts_skill);
  for (int i = 0; i < cat->nlevels; i++)
    hash_named("level", cat->levels[i].id, cat->levels[i].name, i,
               cat->levels[i].hash);
  for (int i = 0; i < cat->nroles; i++)
    hash_named("role", cat->roles[i].id, cat->roles[i].name, i,
               cat->roles[i].hash);
  for (int i = 0; i < cat->nskills; i++)
    hash_skill(cat, &cat->skills[i]);
  sb_sha256_init(&h);
  hash_str(&h, "catalog");
  hash_str(&h, cat->title);
  hash_str(&h, cat->version);
  hash_str(&h, cat->author);
  hash_str(&h, cat->lang);
  sb_sha256_final(&h, cat->hash);
  cat->hashed = 1;
}
