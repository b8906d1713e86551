/*
** catalog/validate.c -- the checks that need the whole (merged) catalogue.
**
** The schema checks each file's structure; what crosses files is checked
** here: levels and roles declared once, root attributes in agreement, ids
** unique across files, every expect naming a level and a role that exist,
** at most one expect per (skill, level, role), at least one skill. Gaps (a
** role that appears in a skill but lacks some level) are warnings. Every
** problem is reported with file:line, not only the first. The wording of
** a duplicate is here for load.c too, which checks uniqueness within one
** file (the schema's xs:unique, left out of the compiled-in schema).
** Tests: tests/unit/test_catalog.c, tests/bad/ (tests/cli/validate.sh)
*/
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog-imp.h"

static int str_eq(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* ==== Declarations ==== */

void sb_cat_check_declared(sb_loader *L, const char *path) {
  const char *file = L->nroots ? L->roots[0].file : path;
  long line = L->nroots ? L->roots[0].line : 0;
  if (L->nlevels == 0)
    sb_cat_error(L, SB_E_SCHEMA, file, line,
                 "no levels declared (one file of the catalogue must have "
                 "<levels> with at least one <level>)");
  if (L->nroles == 0)
    sb_cat_error(L, SB_E_SCHEMA, file, line,
                 "no roles declared (one file of the catalogue must have "
                 "<roles> with at least one <role>)");
  if (L->nskills == 0)
    sb_cat_error(L, SB_E_SCHEMA, file, line,
                 "the catalogue has no skill (add a <domain> with a <group> "
                 "and a <skill>)");
}

/* ==== Root attributes ==== */

/* A BCP 47 tag, loosely: letters, then subtags of 1-8 letters or digits. */
static int is_lang_tag(const char *s) {
  size_t n = 0;
  while (isalpha((unsigned char)s[n]))
    n++;
  if (n < 2 || n > 8)
    return 0;
  while (s[n] == '-') {
    size_t k = 0;
    n++;
    while (isalnum((unsigned char)s[n + k]))
      k++;
    if (k < 1 || k > 8)
      return 0;
    n += k;
  }
  return s[n] == '\0';
}

static void check_one_attr(sb_loader *L, const sb_root_info *r,
                           const sb_root_info *decl, const char *what,
                           const char *mine, const char *theirs) {
  if (!mine || str_eq(mine, theirs))
    return;
  sb_cat_error(L, SB_E_SCHEMA, r->file, r->line,
               "%s '%s' differs from '%s' at %s:%ld (files other than the "
               "one that declares the levels omit it or repeat it exactly)",
               what, mine, theirs ? theirs : "", decl->file, decl->line);
}

void sb_cat_check_roots(sb_loader *L) {
  for (int i = 0; i < L->nroots; i++) {
    const sb_root_info *r = &L->roots[i];
    if (r->lang && !is_lang_tag(r->lang))
      sb_cat_error(L, SB_E_SCHEMA, r->file, r->line,
                   "xml:lang '%s' is not a language tag (BCP 47, e.g. en, "
                   "es, ru, en-GB)", r->lang);
  }
  int di = L->levels_root >= 0 ? L->levels_root : L->roles_root;
  if (di < 0)
    return;
  const sb_root_info *d = &L->roots[di];
  const char *dlang = d->lang ? d->lang : "en";
  for (int i = 0; i < L->nroots; i++) {
    const sb_root_info *r = &L->roots[i];
    if (i == di)
      continue;
    check_one_attr(L, r, d, "title", r->title, d->title);
    check_one_attr(L, r, d, "version", r->version, d->version);
    check_one_attr(L, r, d, "author", r->author, d->author);
    check_one_attr(L, r, d, "xml:lang", r->lang, dlang);
  }
}

/* ==== Duplicate ids ==== */

void sb_cat_dup_id(sb_loader *L, const char *kind, const char *id,
                   const char *file, long line, const char *first_file,
                   long first_line) {
  sb_cat_error(L, SB_E_SCHEMA, file, line,
               "duplicate %s id '%s' (first at %s:%ld)", kind, id ? id : "",
               first_file, first_line);
}

void sb_cat_dup_expect(sb_loader *L, const char *file, long line,
                       const char *level, const char *role, const char *skill,
                       long first_line) {
  sb_cat_error(L, SB_E_SCHEMA, file, line,
               "two expects for level '%s' and role '%s' in %s%s%s (first "
               "at line %ld; at most one per level and role)",
               level ? level : "", role ? role : "",
               skill ? "skill '" : "one skill", skill ? skill : "",
               skill ? "'" : "", first_line);
}

typedef struct idref {
  const char *id, *file;
  long line;
  int order;
} idref;

static int cmp_idref(const void *a, const void *b) {
  const idref *x = a, *y = b;
  int c = strcmp(x->id ? x->id : "", y->id ? y->id : "");
  return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* Reports every id that repeats an earlier one, naming where that was. */
static void report_dups(sb_loader *L, const char *kind, idref *r, int n) {
  if (n > 1)
    qsort(r, (size_t)n, sizeof *r, cmp_idref);
  for (int i = 1; i < n; i++) {
    int first = i - 1;
    while (i < n && str_eq(r[i].id, r[first].id)) {
      sb_cat_dup_id(L, kind, r[i].id, r[i].file, r[i].line, r[first].file,
                    r[first].line);
      i++;
    }
  }
}

#define COLLECT(arr, n, refs)                                              \
  for (int i_ = 0; i_ < (n); i_++) {                                       \
    (refs)[i_].id = (arr)[i_].id;                                          \
    (refs)[i_].file = (arr)[i_].file;                                      \
    (refs)[i_].line = (arr)[i_].line;                                      \
    (refs)[i_].order = i_;                                                 \
  }

void sb_cat_check_dup_skills(sb_loader *L) {
  int most = L->nskills > L->nlevels ? L->nskills : L->nlevels;
  if (L->nroles > most)
    most = L->nroles;
  idref *refs = sb_xmalloc((size_t)(most + 1) * sizeof *refs);
  COLLECT(L->levels, L->nlevels, refs);
  report_dups(L, "level", refs, L->nlevels);
  COLLECT(L->roles, L->nroles, refs);
  report_dups(L, "role", refs, L->nroles);
  COLLECT(L->skills, L->nskills, refs);
  report_dups(L, "skill", refs, L->nskills);
  free(refs);
}

/* ==== Expects ==== */

/* "did you mean 'x'? the levels are: a, b, c" into buf. */
static void describe_choices(const void *base, int n, size_t stride,
                             const char *id, char *buf, size_t size) {
  char near[200];
  size_t k = 0;
  buf[0] = '\0';
  if (sb_cat_suggest_from(base, n, stride, id, near, sizeof near))
    k = (size_t)snprintf(buf, size, "did you mean %s? ", near);
  k += (size_t)snprintf(buf + (k < size ? k : size - 1),
                        k < size ? size - k : 1, "declared:");
  for (int i = 0; i < n && i < 12 && k < size; i++) {
    const char *s = *(const char *const *)((const char *)base + (size_t)i * stride);
    k += (size_t)snprintf(buf + k, size - k, "%s %s", i ? "," : "", s);
  }
  if (n > 12 && k < size)
    snprintf(buf + k, size - k, ", ...");
}

/* Levels or roles sorted by id (then by order, so that a repeated id finds
** its first): resolving an expect is a binary search, not a scan of every
** level (an expect per skill times 700 levels was 700 strcmp each). */
typedef struct id_index {
  idref *r;
  int n;
} id_index;

static void id_index_build(id_index *ix, const void *base, int n,
                           size_t stride) {
  ix->r = sb_xmalloc((size_t)(n + 1) * sizeof *ix->r);
  ix->n = n;
  for (int i = 0; i < n; i++) {
    ix->r[i].id = *(const char *const *)((const char *)base + (size_t)i * stride);
    ix->r[i].file = NULL;
    ix->r[i].line = 0;
    ix->r[i].order = i;
  }
  if (n > 1)
    qsort(ix->r, (size_t)n, sizeof *ix->r, cmp_idref);
}

/* The order of the first entry with this id, or -1. A handful of ids (the
** levels of most catalogues) are faster scanned than halved. */
static int id_index_find(const id_index *ix, const char *id) {
  const char *want = id ? id : "";
  int lo = 0, hi = ix->n;
  while (hi - lo > 8) {
    int mid = lo + (hi - lo) / 2;
    if (strcmp(ix->r[mid].id ? ix->r[mid].id : "", want) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (; lo < ix->n; lo++) {
    int c = strcmp(ix->r[lo].id ? ix->r[lo].id : "", want);
    if (c >= 0)
      return c == 0 && ix->r[lo].id && id ? ix->r[lo].order : -1;
  }
  return -1;
}

typedef struct resolver {
  id_index levels, roles;
  int *keys;   /* scratch: (role, level, index) triples of one skill */
  int cap;     /* triples keys has room for */
} resolver;

/* Resolves one raw expect into x; returns 0 after reporting a problem. */
static int resolve_one(sb_loader *L, const resolver *R, const sb_skill *sk,
                       const sb_raw_expect *r, sb_expect *x) {
  char choices[600];
  x->level = id_index_find(&R->levels, r->level);
  x->role = id_index_find(&R->roles, r->role);
  if (x->level < 0) {
    describe_choices(L->levels, L->nlevels, sizeof *L->levels, r->level,
                     choices, sizeof choices);
    sb_cat_error(L, SB_E_SCHEMA, sk->file, r->line,
                 "unknown level '%s' in expect (%s)", r->level, choices);
  }
  if (x->role < 0) {
    describe_choices(L->roles, L->nroles, sizeof *L->roles, r->role,
                     choices, sizeof choices);
    sb_cat_error(L, SB_E_SCHEMA, sk->file, r->line,
                 "unknown role '%s' in expect (%s)", r->role, choices);
  }
  x->mandatory = r->mandatory;
  x->text = r->text;
  x->line = r->line;
  return x->level >= 0 && x->role >= 0;
}

static int cmp_triple(const void *a, const void *b) {
  const int *x = a, *y = b;
  for (int i = 0; i < 3; i++)
    if (x[i] != y[i])
      return (x[i] > y[i]) - (x[i] < y[i]);
  return 0;
}

/* Sorts n triples by cmp_triple: a skill has a handful of expects (20 in
** the large bench catalogue), sorted in place by insertion without a call
** per comparison (qsort's were most of the 5.9 M instructions of the
** expects' resolution there); qsort past 32. The triples are distinct
** (the third is the index), so every sort gives the same order. */
static void sort_triples(int *t, int n) {
  if (n > 32) {
    qsort(t, (size_t)n, 3 * sizeof *t, cmp_triple);
    return;
  }
  for (int i = 1; i < n; i++) {
    int a = t[3 * i], b = t[3 * i + 1], c = t[3 * i + 2], j = i;
    for (; j > 0; j--) {
      const int *p = &t[3 * (j - 1)];
      if (p[0] < a || (p[0] == a && (p[1] < b || (p[1] == b && p[2] < c))))
        break;
      t[3 * j] = p[0];
      t[3 * j + 1] = p[1];
      t[3 * j + 2] = p[2];
    }
    t[3 * j] = a;
    t[3 * j + 1] = b;
    t[3 * j + 2] = c;
  }
}

/* Resolves the skill's expects and builds its byrole index: the expects
** sorted by (role, level, document order); a (level, role) met twice is
** reported at the later one (load.c reports it first and skips these
** checks). Unresolved expects (-1) sort first, where no query looks. */
static void resolve_skill(sb_loader *L, resolver *R, sb_skill *sk,
                          const sb_raw_expect *raw) {
  sb_arena *a = L->cat->arena;
  int n = sk->nexpects;
  sb_expect *xs = sb_arena_calloc(a, (size_t)(n + 1) * sizeof *xs);
  int *by = sb_arena_alloc(a, (size_t)(n + 1) * sizeof *by);
  if (n > R->cap) {
    R->cap = n;
    R->keys = sb_xrealloc(R->keys, (size_t)n * 3 * sizeof *R->keys);
  }
  for (int i = 0; i < n; i++) {
    resolve_one(L, R, sk, &raw[i], &xs[i]);
    R->keys[3 * i] = xs[i].role;
    R->keys[3 * i + 1] = xs[i].level;
    R->keys[3 * i + 2] = i;
  }
  sort_triples(R->keys, n);
  for (int k = 0, first = 0; k < n; k++) {
    const int *t = &R->keys[3 * k], *f = &R->keys[3 * first];
    by[k] = t[2];
    if (k > 0 && t[0] >= 0 && t[1] >= 0 && t[0] == f[0] && t[1] == f[1])
      sb_cat_dup_expect(L, sk->file, xs[t[2]].line, raw[t[2]].level,
                        raw[t[2]].role, sk->id, xs[f[2]].line);
    else
      first = k;
  }
  sk->expects = xs;
  sk->byrole = by;
}

void sb_cat_resolve_expects(sb_loader *L) {
  resolver R = {{NULL, 0}, {NULL, 0}, NULL, 0};
  if (L->nlevels == 0 || L->nroles == 0)
    return;
  id_index_build(&R.levels, L->levels, L->nlevels, sizeof *L->levels);
  id_index_build(&R.roles, L->roles, L->nroles, sizeof *L->roles);
  for (int s = 0; s < L->nskills; s++)
    resolve_skill(L, &R, &L->skills[s], L->rx[s]);
  free(R.levels.r);
  free(R.roles.r);
  free(R.keys);
}

/* ==== Gaps ==== */

/* Names printed in one gap warning; past them, "and N more". */
#define GAP_NAMES 12

/* Warns about the levels where the role has no expectation in the skill;
** by[0..n) are the role's expects (byrole order: ascending levels). Names
** at most GAP_NAMES levels, so that the time and the text follow what is
** present, not the count of levels (700 levels once printed 4 KB per
** warning and 1 MB for an 80 KB file). */
static void warn_gap(sb_loader *L, const sb_skill *sk, int role,
                     const int *by, int n) {
  sb_buf b;
  int missing = L->nlevels - n, named = 0, k = 0;
  if (missing <= 0)
    return;
  sb_buf_init(&b);
  for (int lv = 0; lv < L->nlevels && named < GAP_NAMES; lv++) {
    while (k < n && sk->expects[by[k]].level < lv)
      k++;
    if (k < n && sk->expects[by[k]].level == lv)
      continue;
    sb_buf_printf(&b, "%s%s", named ? ", " : "", L->levels[lv].id);
    named++;
  }
  if (missing > named)
    sb_buf_printf(&b, " and %d more", missing - named);
  sb_diag_add(L->ctx, SB_SEV_WARNING, SB_E_SCHEMA, sk->file, sk->line, 0,
              "skill '%s': role '%s' has no expectation at level%s %s "
              "(printed as a gap)", sk->id, L->roles[role].id,
              missing == 1 ? "" : "s", b.p);
  sb_buf_free(&b);
}

void sb_cat_warn_gaps(sb_loader *L) {
  if (L->first != SB_OK || L->nlevels == 0 || L->nroles == 0)
    return;
  for (int s = 0; s < L->nskills; s++) {
    const sb_skill *sk = &L->skills[s];
    /* each run of one role in byrole, in role order */
    for (int k = 0; k < sk->nexpects;) {
      int role = sk->expects[sk->byrole[k]].role, end = k;
      while (end < sk->nexpects && sk->expects[sk->byrole[end]].role == role)
        end++;
      warn_gap(L, sk, role, sk->byrole + k, end - k);
      k = end;
    }
  }
}
