/*
** batch/plan.c -- the documents of a catalogue and the hash of their inputs.
**
** Every role has a handbook (handbooks/ROLE.pdf) and a sheet for each pair
** of its adjacent levels (sheets/ROLE/FROM/TO.pdf, sb_cat_role_levels);
** every skill has a profile (profiles/SKILL.pdf), and, when asked
** (batch --book), the book of every profile is profiles.pdf (beside the
** folder, so that no skill id can name it). The book is opt-in: on a
** 2,000-skill catalogue it is a 5,900-page document that took the batch
** from 11 s to 20 s and its peak memory from 140 MB to 600 MB. The order is the catalogue's: handbooks and sheets role by
** role, then the book, then the profiles. Headings and link texts are in
** the labels' language (index.html shows them).
** A document's input hash covers everything that shapes it, and nothing
** else, so that a change re-renders exactly the documents that show it:
** the shared environment (style, fonts, labels, SOURCE_DATE_EPOCH,
** version: render.c), the catalogue-wide hash, the kind and path, and the
** content hashes of what the document shows:
**   handbook: its role, every level, each skill where the role appears;
**   sheet:    its role, every level, each skill with an expectation for
**             the role at either of its two levels;
**   profile:  its skill, every role and every level;
**   the book: every skill, every role and every level.
** A shown skill also brings its domain's and group's id and name (printed
** as headings; the model's skill hash holds their indexes only).
** With batch --since OLD, changes.pdf ("What changed in the ladder") comes
** first, and the hash of every handbook and of changes.pdf also covers all
** of OLD (and changes.pdf all of the catalogue).
** Tests: tests/cli/batch.sh (one-skill change), tests/cli/diff.sh (--since)
*/
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch/batch-imp.h"

int sb_batch_parse_shard(const char *s, int *k, int *n) {
  char *end;
  long a, b;
  if (!s || !*s)
    return -1;
  a = strtol(s, &end, 10);
  if (end == s || *end != '/')
    return -1;
  const char *t = end + 1;
  b = strtol(t, &end, 10);
  if (end == t || *end || a < 1 || b < 1 || a > b || b > 1000000)
    return -1;
  *k = (int)a;
  *n = (int)b;
  return 0;
}

int sb_batch_in_shard(const char *rel, int k, int n) {
  if (n <= 1)
    return 1;
  uint8_t d[32];
  sb_sha256 h;
  sb_sha256_init(&h);
  sb_sha256_update(&h, rel, strlen(rel));
  sb_sha256_final(&h, d);
  uint64_t v = 0;
  for (int i = 0; i < 8; i++)
    v = (v << 8) | d[i];
  return (int)(v % (uint64_t)n) == k - 1;
}

static void hash_str(sb_sha256 *h, const char *s) {
  sb_sha256_update(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

static void hash_skill(sb_sha256 *h, const sb_catalog *cat,
                       const sb_skill *sk) {
  hash_str(h, "skill");
  sb_sha256_update(h, sk->hash, 32);
  if (sk->domain >= 0 && sk->domain < cat->ndomains) {
    hash_str(h, cat->domains[sk->domain].id);
    hash_str(h, cat->domains[sk->domain].name);
  }
  if (sk->group >= 0 && sk->group < cat->ngroups) {
    hash_str(h, cat->groups[sk->group].id);
    hash_str(h, cat->groups[sk->group].name);
  }
}

static void hash_levels(sb_sha256 *h, const sb_catalog *cat) {
  hash_str(h, "levels");
  for (int i = 0; i < cat->nlevels; i++)
    sb_sha256_update(h, cat->levels[i].hash, 32);
}

/* 1 when skill sk has an expectation for role at level lv. */
static int has_expect(const sb_catalog *cat, const sb_skill *sk, int lv,
                      int role) {
  return sb_cat_expect(cat, sk, lv, role) != NULL;
}

/* Everything of cat a document comparing versions shows: the catalogue,
** every role, level and skill. */
static void hash_whole(const sb_catalog *cat, uint8_t out[32]) {
  sb_sha256 h;
  sb_sha256_init(&h);
  hash_str(&h, "whole catalogue");
  sb_sha256_update(&h, cat->hash, 32);
  for (int i = 0; i < cat->nroles; i++)
    sb_sha256_update(&h, cat->roles[i].hash, 32);
  hash_levels(&h, cat);
  for (int s = 0; s < cat->nskills; s++)
    hash_skill(&h, cat, &cat->skills[s]);
  sb_sha256_final(&h, out);
}

/* Every document's input hash starts alike: the format's tag, the
** environment (style, fonts, labels...), the catalogue's content, and the
** document's kind and path. */
static void hash_begin(sb_sha256 *h, const uint8_t env[32],
                       const sb_catalog *cat, const sb_bdoc *d) {
  sb_sha256_init(h);
  hash_str(h, "skillbook-batch-inputs/1");
  sb_sha256_update(h, env, 32);
  sb_sha256_update(h, cat->hash, 32);
  hash_str(h, d->e.kind);
  hash_str(h, d->e.path);
}

static void doc_hash(const sb_catalog *cat, const uint8_t env[32],
                     const uint8_t *since, const sb_bdoc *d, char out[65]) {
  sb_sha256 h;
  uint8_t dig[32];
  hash_begin(&h, env, cat, d);
  if (since && (d->kind == SB_BDOC_HANDBOOK || d->kind == SB_BDOC_CHANGES)) {
    hash_str(&h, "since");
    sb_sha256_update(&h, since, 32);
  }
  switch (d->kind) {
  case SB_BDOC_CHANGES: {
    uint8_t whole[32];
    hash_whole(cat, whole);
    sb_sha256_update(&h, whole, 32);
    break;
  }
  case SB_BDOC_HANDBOOK:
    sb_sha256_update(&h, cat->roles[d->role].hash, 32);
    hash_levels(&h, cat);
    for (int s = 0; s < cat->nskills; s++)
      if (sb_cat_skill_has_role(cat, &cat->skills[s], d->role))
        hash_skill(&h, cat, &cat->skills[s]);
    break;
  case SB_BDOC_SHEET:
    sb_sha256_update(&h, cat->roles[d->role].hash, 32);
    hash_levels(&h, cat);
    for (int s = 0; s < cat->nskills; s++) {
      const sb_skill *sk = &cat->skills[s];
      if (has_expect(cat, sk, d->from, d->role) ||
          has_expect(cat, sk, d->to, d->role))
        hash_skill(&h, cat, sk);
    }
    break;
  case SB_BDOC_PACK:
  case SB_BDOC_REVIEW_BOOK:
    break; /* hashed by add_pack, add_book */
  case SB_BDOC_PROFILE:
    if (d->skill < 0) {
      hash_str(&h, "every skill");
      for (int s = 0; s < cat->nskills; s++)
        hash_skill(&h, cat, &cat->skills[s]);
    } else {
      hash_skill(&h, cat, &cat->skills[d->skill]);
    }
    hash_str(&h, "roles");
    for (int i = 0; i < cat->nroles; i++)
      sb_sha256_update(&h, cat->roles[i].hash, 32);
    hash_levels(&h, cat);
    break;
  }
  sb_sha256_final(&h, dig);
  sb_hex(dig, 32, out);
}

typedef struct planner {
  sb_plan *plan;
  size_t cap;
  const sb_catalog *cat;
  const uint8_t *env;
  const sb_labels *lb;
  int with_thumbs, shard_k, shard_n;
  int order;
  int full;  /* INT_MAX documents planned: the rest were left out */
  const sb_catalog *since;  /* batch --since, or NULL */
  uint8_t since_hash[32];   /* hash_whole(since) */
} planner;

static void add_doc(planner *P, sb_bdoc_kind kind, int role, int from, int to,
                    int skill) {
  const sb_catalog *cat = P->cat;
  sb_arena *a = P->plan->arena;
  sb_bdoc d;
  memset(&d, 0, sizeof d);
  d.kind = kind;
  d.role = role;
  d.from = from;
  d.to = to;
  d.skill = skill;
  d.person = -1;
  d.state = SB_BST_TODO;
  d.e.order = P->order++;
  const char *stem;
  switch (kind) {
  case SB_BDOC_CHANGES:
    d.e.kind = "changes";
    stem = "changes"; /* beside the folders: no id can name it */
    d.e.group = "changes";
    d.e.group_name = "What changed in the ladder";
    d.e.label = P->since->version
                    ? sb_arena_printf(a, "Changes since version %s",
                                      P->since->version)
                    : "Changes since the previous version";
    break;
  case SB_BDOC_HANDBOOK:
    d.e.kind = "handbook";
    stem = sb_arena_printf(a, "handbooks/%s", cat->roles[role].id);
    d.e.group = cat->roles[role].id;
    d.e.group_name = cat->roles[role].name;
    d.e.label = sb_label(P->lb, SB_L_HANDBOOK);
    d.e.role = cat->roles[role].id;
    break;
  case SB_BDOC_SHEET:
    d.e.kind = "sheet";
    stem = sb_arena_printf(a, "sheets/%s/%s/%s", cat->roles[role].id,
                           cat->levels[from].id, cat->levels[to].id);
    d.e.group = cat->roles[role].id;
    d.e.group_name = cat->roles[role].name;
    d.e.section = sb_label(P->lb, SB_L_INDEX_SHEETS);
    d.e.label = sb_arena_printf(a, "%s \u2192 %s", cat->levels[from].name,
                                cat->levels[to].name);
    d.e.role = cat->roles[role].id;
    d.e.from = cat->levels[from].id;
    d.e.to = cat->levels[to].id;
    break;
  default:
    d.e.kind = "profile";
    d.e.group = "profiles";
    d.e.group_name = sb_label(P->lb, SB_L_PROFILES);
    if (skill < 0) {
      /* the book: "profiles.pdf", a name no skill's "profiles/ID.pdf" is */
      stem = "profiles";
      d.e.label = sb_label(P->lb, SB_L_INDEX_PROFILE_BOOK);
      break;
    }
    stem = sb_arena_printf(a, "profiles/%s", cat->skills[skill].id);
    {
      int dom = cat->skills[skill].domain;
      d.e.section = dom >= 0 && dom < cat->ndomains ? cat->domains[dom].name
                                                     : NULL;
    }
    d.e.label = cat->skills[skill].name;
    d.e.skill = cat->skills[skill].id;
    break;
  }
  d.e.path = sb_arena_printf(a, "%s.pdf", stem);
  if (P->shard_n > 0 && !sb_batch_in_shard(d.e.path, P->shard_k, P->shard_n))
    return;
  if (P->with_thumbs)
    d.e.thumb = sb_arena_printf(a, "%s.png", stem);
  char hex[65];
  doc_hash(cat, P->env, P->since ? P->since_hash : NULL, &d, hex);
  d.e.inputs = sb_arena_strdup(a, hex);
  if (SB_GROW(P->plan->docs, P->plan->n, P->cap, 64, INT_MAX)) {
    P->full = 1;
    return;
  }
  P->plan->docs[P->plan->n++] = d;
}

/* ==== Review cycles: packs and books ==== */

static void hash_int(sb_sha256 *h, long v) {
  char t[24];
  snprintf(t, sizeof t, "%ld", v);
  hash_str(h, t);
}

/* What a pack shows: every field of its review, and what its sheet and
** the target's expectations show (both roles, every level, each skill
** with an expectation at either side). */
static void hash_review(sb_sha256 *h, const sb_catalog *cat,
                        const sb_review *rv) {
  hash_str(h, "review");
  hash_str(h, rv->person);
  hash_str(h, rv->reviewer);
  hash_str(h, rv->date);
  hash_int(h, rv->role);
  hash_int(h, rv->from);
  hash_int(h, rv->to_role);
  hash_int(h, rv->to);
  hash_int(h, (long)rv->only);
  hash_int(h, rv->domain);
  hash_int(h, rv->pack);
  if (rv->fillable) { /* (plain packs keep the hashes they had) */
    hash_str(h, "fillable");
    hash_str(h, rv->id); /* in the field names */
  }
  if (rv->domain >= 0 && rv->domain < cat->ndomains) {
    hash_str(h, cat->domains[rv->domain].id);
    hash_str(h, cat->domains[rv->domain].name);
  }
  sb_sha256_update(h, cat->roles[rv->role].hash, 32);
  sb_sha256_update(h, cat->roles[rv->to_role].hash, 32);
  hash_levels(h, cat);
  for (int s = 0; s < cat->nskills; s++) {
    const sb_skill *sk = &cat->skills[s];
    if (has_expect(cat, sk, rv->from, rv->role) ||
        has_expect(cat, sk, rv->to, rv->to_role))
      hash_skill(h, cat, sk);
  }
}

static char *people_path(planner *P, const char *dir, const char *rel) {
  return dir && *dir ? sb_arena_printf(P->plan->arena, "%s/%s", dir, rel)
                     : sb_arena_strdup(P->plan->arena, rel);
}

static sb_bdoc *push(planner *P, sb_bdoc *d) {
  if (SB_GROW(P->plan->docs, P->plan->n, P->cap, 64, INT_MAX)) {
    P->full = 1;
    return NULL;
  }
  P->plan->docs[P->plan->n] = *d;
  return &P->plan->docs[P->plan->n++];
}

static void add_pack(planner *P, const sb_batch_opts *o, int i) {
  const sb_catalog *cat = P->cat;
  sb_arena *a = P->plan->arena;
  const sb_batch_person *pp = &o->people[i];
  sb_bdoc d;
  memset(&d, 0, sizeof d);
  d.kind = SB_BDOC_PACK;
  d.role = pp->rv.role;
  d.from = pp->rv.from;
  d.to = pp->rv.to;
  d.skill = -1;
  d.person = i;
  d.state = SB_BST_TODO;
  d.e.order = P->order++;
  d.e.kind = "pack";
  d.e.group = "reviews";
  d.e.role = cat->roles[pp->rv.role].id;
  d.e.from = cat->levels[pp->rv.from].id;
  d.e.to = cat->levels[pp->rv.to].id;
  d.e.priv = 1;
  d.e.keydir = o->people_dir ? o->people_dir : "";
  d.e.logname = pp->logname;
  char *rel = sb_arena_printf(a, "%s.pdf", pp->rv.id);
  d.e.path = people_path(P, o->people_dir, rel);
  if (P->shard_n > 0 && !sb_batch_in_shard(d.e.path, P->shard_k, P->shard_n))
    return;
  sb_sha256 h;
  uint8_t dig[32];
  char hex[65];
  hash_begin(&h, P->env, cat, &d);
  hash_review(&h, cat, &pp->rv);
  sb_sha256_final(&h, dig);
  sb_hex(dig, 32, hex);
  d.e.inputs = sb_arena_strdup(a, hex);
  push(P, &d);
}

/* A book of the packs members[0..n): its title and each pack's inputs
** (the plan's pack documents pack_of[person], which were all planned:
** books are made only when not sharding). */
static void add_book(planner *P, const sb_batch_opts *o, const char *rel,
                     const char *title, const char *logname, int *members,
                     int n, const int *pack_of) {
  sb_arena *a = P->plan->arena;
  sb_bdoc d;
  memset(&d, 0, sizeof d);
  d.kind = SB_BDOC_REVIEW_BOOK;
  d.role = d.from = d.to = d.skill = d.person = -1;
  d.members = members;
  d.nmembers = n;
  d.title = title;
  d.state = SB_BST_TODO;
  d.e.order = P->order++;
  d.e.kind = "review-book";
  d.e.group = "reviews";
  d.e.priv = 1;
  d.e.logname = logname;
  d.e.path = people_path(P, o->people_dir, rel);
  {
    const char *slash = strrchr(d.e.path, '/');
    d.e.keydir = slash ? sb_arena_strndup(a, d.e.path,
                                          (size_t)(slash - d.e.path))
                       : "";
  }
  sb_sha256 h;
  uint8_t dig[32];
  char hex[65];
  hash_begin(&h, P->env, P->cat, &d);
  hash_str(&h, title);
  for (int k = 0; k < n; k++)
    hash_str(&h, P->plan->docs[pack_of[members[k]]].e.inputs);
  sb_sha256_final(&h, dig);
  sb_hex(dig, 32, hex);
  d.e.inputs = sb_arena_strdup(a, hex);
  push(P, &d);
}

/* Every pack, then (not sharding) a book per reviewer, in the order of
** each reviewer's first person, and the whole cycle's book. */
static void add_people(planner *P, const sb_batch_opts *o) {
  sb_arena *a = P->plan->arena;
  int first = P->plan->n;
  int *pack_of = sb_xmalloc((size_t)(o->npeople + 1) * sizeof *pack_of);
  for (int i = 0; i < o->npeople; i++) {
    int before = P->plan->n;
    add_pack(P, o, i);
    pack_of[i] = P->plan->n > before ? before : -1;
  }
  (void)first;
  if (P->shard_n > 0 || P->full) {
    free(pack_of);
    return;
  }
  /* reviewers: people sorted by (reviewer id, row), stable */
  int *ord = sb_xmalloc((size_t)(o->npeople + 1) * sizeof *ord);
  int *done = sb_xcalloc((size_t)o->npeople + 1, sizeof *done);
  for (int i = 0; i < o->npeople; i++) {
    const char *rid = o->people[i].reviewer_id;
    if (!rid || done[i])
      continue;
    int n = 0;
    for (int j = i; j < o->npeople; j++)
      if (!done[j] && o->people[j].reviewer_id &&
          strcmp(o->people[j].reviewer_id, rid) == 0) {
        ord[n++] = j;
        done[j] = 1;
      }
    int *members = sb_arena_alloc(a, (size_t)n * sizeof *members);
    memcpy(members, ord, (size_t)n * sizeof *members);
    char *rel = sb_arena_printf(a, "by-reviewer/%s.pdf", rid);
    char *ln = sb_arena_printf(a, "the reviewer's book of %s",
                               o->people[i].logname);
    add_book(P, o, rel, o->people[i].rv.reviewer, ln, members, n, pack_of);
  }
  if (o->book_all && o->npeople > 0) {
    int *members = sb_arena_alloc(a, (size_t)o->npeople * sizeof *members);
    for (int i = 0; i < o->npeople; i++)
      members[i] = i;
    add_book(P, o, "book/all.pdf", NULL, "the whole cycle's book", members,
             o->npeople, pack_of);
  }
  free(done);
  free(ord);
  free(pack_of);
}

sb_status sb_batch_plan(sb_ctx *ctx, const sb_catalog *cat,
                        const uint8_t env[32], const sb_labels *lb,
                        int with_thumbs, int with_book, int shard_k,
                        int shard_n, const sb_batch_opts *opts,
                        sb_plan *plan) {
  const sb_catalog *since = opts ? opts->since : NULL;
  memset(plan, 0, sizeof *plan);
  if (!cat->hashed || (since && !since->hashed))
    return sb_fail(ctx, SB_E_INTERNAL, "batch: the catalogue's content "
                   "hashes were not computed (sb_cat_compute_hashes)");
  /* The documents limit, on the whole catalogue (every shard's), before
  ** anything is hashed or written: a catalogue of 700 roles and 700
  ** levels would ask for 489,000 sheets. */
  long long nh = 0, ns = 0, np = 0;
  int *lv0 = sb_xmalloc((size_t)(cat->nlevels + 1) * sizeof *lv0);
  for (int r = 0; r < cat->nroles; r++) {
    int n = sb_cat_role_levels(cat, r, lv0);
    nh++;
    if (n > 1)
      ns += n - 1;
  }
  free(lv0);
  np = cat->nskills;
  long long nb = with_book && np > 0; /* the book of every profile */
  long long npk = opts && opts->people ? opts->npeople : 0;
  long long nc = since != NULL; /* changes.pdf */
  if (opts && opts->people_only)
    nh = ns = np = nb = 0;
  if (npk > 0 && (unsigned long long)(nh + ns + np + nb + nc + npk) >
      (unsigned long long)ctx->limits.documents)
    return sb_fail(ctx, SB_E_LIMIT, "%lld documents and %lld review packs "
                   "are more than the limit of %zu documents (raise it with "
                   "--limit documents=N); nothing written",
                   nh + ns + np + nb + nc, npk, ctx->limits.documents);
  if ((unsigned long long)(nh + ns + np + nb + nc) >
      (unsigned long long)ctx->limits.documents)
    return sb_fail(ctx, SB_E_LIMIT, "the catalogue makes %lld documents (%lld "
                   "handbook%s, %lld sheet%s, %lld profile%s%s), more than "
                   "the limit of %zu (raise it with --limit documents=N); "
                   "nothing written", nh + ns + np + nb + nc, nh,
                   nh == 1 ? "" : "s", ns, ns == 1 ? "" : "s", np,
                   np == 1 ? "" : "s", nb ? ", 1 profile book" : "",
                   ctx->limits.documents);
  plan->arena = sb_new_arena(0);
  planner P = {plan, 0, cat, env, lb ? lb : sb_labels_en(), with_thumbs,
               shard_k, shard_n, 0, 0, since, {0}};
  if (since) {
    hash_whole(since, P.since_hash);
    add_doc(&P, SB_BDOC_CHANGES, -1, -1, -1, -1);
  }
  int *lv = sb_xmalloc((size_t)(cat->nlevels + 1) * sizeof *lv);
  for (int r = 0; r < cat->nroles && !(opts && opts->people_only); r++) {
    add_doc(&P, SB_BDOC_HANDBOOK, r, -1, -1, -1);
    int n = sb_cat_role_levels(cat, r, lv);
    for (int i = 0; i + 1 < n; i++)
      add_doc(&P, SB_BDOC_SHEET, r, lv[i], lv[i + 1], -1);
  }
  if (nb)
    add_doc(&P, SB_BDOC_PROFILE, -1, -1, -1, -1); /* the book */
  for (int s = 0; s < np; s++)
    add_doc(&P, SB_BDOC_PROFILE, -1, -1, -1, s);
  free(lv);
  if (npk)
    add_people(&P, opts);
  if (P.full)
    return sb_fail(ctx, SB_E_LIMIT, "the catalogue makes more than %d "
                   "documents", INT_MAX);
  return SB_OK;
}

void sb_batch_plan_free(sb_plan *plan) {
  free(plan->docs);
  sb_drop_arena(plan->arena);
  memset(plan, 0, sizeof *plan);
}
