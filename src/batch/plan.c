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

static void doc_hash(const sb_catalog *cat, const uint8_t env[32],
                     const uint8_t *since, const sb_bdoc *d, char out[65]) {
  sb_sha256 h;
  uint8_t dig[32];
  sb_sha256_init(&h);
  hash_str(&h, "skillbook-batch-inputs/1");
  sb_sha256_update(&h, env, 32);
  sb_sha256_update(&h, cat->hash, 32);
  hash_str(&h, d->e.kind);
  hash_str(&h, d->e.path);
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

sb_status sb_batch_plan(sb_ctx *ctx, const sb_catalog *cat,
                        const uint8_t env[32], const sb_labels *lb,
                        int with_thumbs, int with_book, int shard_k,
                        int shard_n, const sb_catalog *since, sb_plan *plan) {
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
  long long nc = since != NULL;         /* changes.pdf */
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
  for (int r = 0; r < cat->nroles; r++) {
    add_doc(&P, SB_BDOC_HANDBOOK, r, -1, -1, -1);
    int n = sb_cat_role_levels(cat, r, lv);
    for (int i = 0; i + 1 < n; i++)
      add_doc(&P, SB_BDOC_SHEET, r, lv[i], lv[i + 1], -1);
  }
  if (nb)
    add_doc(&P, SB_BDOC_PROFILE, -1, -1, -1, -1); /* the book */
  for (int s = 0; s < cat->nskills; s++)
    add_doc(&P, SB_BDOC_PROFILE, -1, -1, -1, s);
  free(lv);
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
