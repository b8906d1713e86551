/*
** cli/people.c -- the people list of a review cycle: CSV rows to reviews.
**
** The CSV is read by sb_csv_read (base/csv.c). The header names the
** columns; each later row is checked column by column and every problem
** is a diagnostic "PATH:LINE: error: column "X": ..." (all rows, all
** columns), so that one run lists everything to fix. Names are personal
** data: no message quotes the name, reviewer or team of a row, and the
** default id (derived from the name) never reaches a message either.
** Tests: tests/cli/reviews.sh
*/
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "cli/people.h"
#include "skillbook/csv.h"

enum { C_NAME, C_ROLE, C_LEVEL, C_TARGET, C_TARGET_ROLE, C_REVIEWER, C_DATE,
       C_TEAM, C_ID, C_ONLY, C_DOMAIN, C_COUNT };

static const char *const col_names[C_COUNT] = {
    "name", "role", "level", "target", "target_role", "reviewer", "date",
    "team", "id", "only", "domain"};

/* One row before ids are made unique. */
typedef struct prow {
  sb_batch_person p;
  long line;
  const char *given_id;   /* the id column, or NULL */
  int ok;
} prow;

typedef struct reader {
  sb_ctx *ctx;
  const char *path;
  const sb_catalog *cat;
  sb_only only;
  int domain;
  int col[C_COUNT];       /* field index of each column, -1 = absent */
  int header_ok;
  prow *rows;
  int n;
  size_t cap;
  sb_arena *a;
  int bad;
} reader;

#define ERR(R, line, ...)                                                    \
  do {                                                                       \
    sb_diag_add((R)->ctx, SB_SEV_ERROR, SB_E_SCHEMA, (R)->path, (line), 0,   \
                __VA_ARGS__);                                                \
    (R)->bad++;                                                              \
  } while (0)

/* A copy of s without spaces at either end. */
static char *trimmed(sb_arena *a, const char *s) {
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
               s[n - 1] == '\n'))
    n--;
  return sb_arena_strndup(a, s, n);
}

/* "did you mean" over ids, then names, of n elements stride apart whose
** first two members are const char *id, *name. */
static int suggest(const void *base, int n, size_t stride, const char *s,
                   char *buf, size_t cap) {
  if (sb_cat_suggest_from(base, n, stride, s, buf, cap))
    return 1;
  return sb_cat_suggest_from((const char *)base + sizeof(const char *), n,
                             stride, s, buf, cap);
}

/* The index of the element whose id or name is s (case-insensitive), or
** -1. Same layout as suggest. */
static int lookup(const void *base, int n, size_t stride, const char *s) {
  for (int i = 0; i < n; i++) {
    const char *const *e =
        (const char *const *)((const char *)base + (size_t)i * stride);
    if (strcasecmp(e[0], s) == 0 || (e[1] && strcasecmp(e[1], s) == 0))
      return i;
  }
  return -1;
}

int sb_cli_domain_lookup(const sb_catalog *cat, const char *s) {
  return lookup(cat->domains, cat->ndomains, sizeof *cat->domains, s);
}

/* Resolves a role or level column; -1 after an error. */
static int resolve(reader *R, long line, int col, const char *kind,
                   const char *s) {
  const sb_catalog *cat = R->cat;
  const void *base = kind[0] == 'r' ? (const void *)cat->roles
                     : kind[0] == 'l' ? (const void *)cat->levels
                                      : (const void *)cat->domains;
  int n = kind[0] == 'r' ? cat->nroles : kind[0] == 'l' ? cat->nlevels
                                                         : cat->ndomains;
  size_t stride = kind[0] == 'r' ? sizeof *cat->roles
                  : kind[0] == 'l' ? sizeof *cat->levels
                                   : sizeof *cat->domains;
  int i = lookup(base, n, stride, s);
  if (i >= 0)
    return i;
  char near[256];
  if (suggest(base, n, stride, s, near, sizeof near))
    ERR(R, line, "column \"%s\": unknown %s '%s' (did you mean %s?)",
        col_names[col], kind, s, near);
  else
    ERR(R, line, "column \"%s\": unknown %s '%s' (see 'skillbook list %ss')",
        col_names[col], kind, s, kind);
  return -1;
}

/* Position of level in the role's levels, or -1 (an error naming them). */
static int level_in_role(reader *R, long line, int col, int role, int level,
                         int *lv, int nlv) {
  for (int i = 0; i < nlv; i++)
    if (lv[i] == level)
      return i;
  char list[512];
  sb_cli_level_list(R->cat, lv, nlv, list, sizeof list);
  ERR(R, line, "column \"%s\": role '%s' has no expectation at level '%s'; "
      "its levels are: %s", col_names[col], R->cat->roles[role].id,
      R->cat->levels[level].id, list);
  return -1;
}

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* 1 when s is an ISO 8601 calendar date YYYY-MM-DD that exists. */
static int iso_date(const char *s) {
  static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                                31};
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
      return 0;
  int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
  if (m < 1 || m > 12 || d < 1)
    return 0;
  return d <= mdays[m - 1] + (m == 2 && leap(y));
}

/* 1 when s is a file-safe id: [A-Za-z0-9][A-Za-z0-9._-]*, at most 100. */
static int id_ok(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 100)
    return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
      return 0;
  }
  return 1;
}

/* A file-safe form of a name: ASCII letters and digits lower-cased, any
** other run of characters one '-', at most 60 bytes; "" when nothing is
** left (a name in another script). */
static char *file_safe(sb_arena *a, const char *s) {
  char buf[64];
  size_t o = 0;
  int dash = 0;
  for (; *s && o < 60; s++) {
    char c = *s;
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (dash && o)
        buf[o++] = '-';
      dash = 0;
      if (o < 60)
        buf[o++] = c;
    } else {
      dash = 1;
    }
  }
  buf[o] = 0;
  return sb_arena_strdup(a, buf);
}

static const char *field(const sb_csv_row *row, reader *R, int c) {
  int k = R->col[c];
  if (k < 0 || k >= row->n)
    return "";
  return trimmed(R->a, row->field[k]);
}

static sb_status on_header(reader *R, const sb_csv_row *row) {
  char unknown[512] = "";
  size_t o = 0;
  int nunknown = 0;
  for (int c = 0; c < C_COUNT; c++)
    R->col[c] = -1;
  for (int k = 0; k < row->n; k++) {
    char *h = trimmed(R->a, row->field[k]);
    int c = 0;
    while (c < C_COUNT && strcasecmp(col_names[c], h) != 0)
      c++;
    if (c == C_COUNT) {
      if (*h && o + 8 < sizeof unknown)
        o += (size_t)snprintf(unknown + o, sizeof unknown - o, "%s\"%s\"",
                              nunknown ? ", " : "", h);
      nunknown += *h != 0;
      continue;
    }
    if (R->col[c] >= 0) {
      ERR(R, row->line, "column \"%s\" is named twice (columns %d and %d)",
          col_names[c], R->col[c] + 1, k + 1);
      continue;
    }
    R->col[c] = k;
  }
  if (nunknown)
    sb_diag_add(R->ctx, SB_SEV_WARNING, SB_E_SCHEMA, R->path, row->line, 0,
                "unknown column%s %s ignored (the columns are: name, role, "
                "level, target, target_role, reviewer, date, team, id, only, "
                "domain)", nunknown == 1 ? "" : "s", unknown);
  for (int c = C_NAME; c <= C_LEVEL; c++)
    if (R->col[c] < 0)
      ERR(R, row->line, "no column \"%s\" in the header row (it needs name, "
          "role and level)", col_names[c]);
  R->header_ok = R->bad == 0;
  return SB_OK;
}

static void on_person(reader *R, const sb_csv_row *row) {
  const sb_catalog *cat = R->cat;
  long line = row->line;
  int bad0 = R->bad;
  prow pr;
  memset(&pr, 0, sizeof pr);
  pr.line = line;
  sb_review *rv = &pr.p.rv;
  rv->pack = 1;
  rv->only = R->only;
  rv->domain = R->domain;
  rv->role = rv->from = rv->to_role = rv->to = -1;

  const char *name = field(row, R, C_NAME);
  if (!*name)
    ERR(R, line, "column \"name\": empty (every row needs a name)");
  rv->person = name;
  const char *s = field(row, R, C_ROLE);
  if (!*s)
    ERR(R, line, "column \"role\": empty");
  else
    rv->role = resolve(R, line, C_ROLE, "role", s);
  s = field(row, R, C_LEVEL);
  if (!*s)
    ERR(R, line, "column \"level\": empty");
  else
    rv->from = resolve(R, line, C_LEVEL, "level", s);
  s = field(row, R, C_TARGET_ROLE);
  rv->to_role = *s ? resolve(R, line, C_TARGET_ROLE, "role", s) : rv->role;
  s = field(row, R, C_TARGET);
  int tgt = *s ? resolve(R, line, C_TARGET, "level", s) : -2;

  int *lv = sb_xmalloc((size_t)(cat->nlevels + 1) * sizeof *lv);
  if (rv->role >= 0 && rv->from >= 0 && rv->to_role >= 0 && tgt != -1) {
    int nlv = sb_cat_role_levels(cat, rv->role, lv);
    int fi = level_in_role(R, line, C_LEVEL, rv->role, rv->from, lv, nlv);
    if (fi >= 0 && rv->to_role == rv->role) {
      /* target: given, else the next level, else (at the top) the same */
      if (tgt == -2)
        rv->to = fi + 1 < nlv ? lv[fi + 1] : lv[fi];
      else if (level_in_role(R, line, C_TARGET, rv->role, tgt, lv, nlv) >= 0) {
        if (cat->levels[tgt].index < cat->levels[rv->from].index)
          ERR(R, line, "column \"target\": '%s' comes before '%s' (a review "
              "looks at the same level or a later one)", cat->levels[tgt].id,
              cat->levels[rv->from].id);
        else
          rv->to = tgt;
      }
    } else if (fi >= 0) {
      /* another role: level against level, by default the same level */
      int want = tgt == -2 ? rv->from : tgt;
      int tn = sb_cat_role_levels(cat, rv->to_role, lv);
      if (level_in_role(R, line, tgt == -2 ? C_TARGET_ROLE : C_TARGET,
                        rv->to_role, want, lv, tn) >= 0)
        rv->to = want;
    }
  }
  free(lv);

  s = field(row, R, C_REVIEWER);
  rv->reviewer = *s ? s : NULL;
  s = field(row, R, C_DATE);
  if (*s && !iso_date(s))
    ERR(R, line, "column \"date\": '%s' is not a date written YYYY-MM-DD "
        "(ISO 8601)", s);
  rv->date = *s ? s : NULL;
  s = field(row, R, C_ONLY);
  if (*s) {
    if (strcasecmp(s, "mandatory") == 0)
      rv->only = SB_ONLY_MANDATORY;
    else if (strcasecmp(s, "changed") == 0)
      rv->only = SB_ONLY_CHANGED;
    else if (strcasecmp(s, "all") == 0)
      rv->only = SB_ONLY_ALL;
    else
      ERR(R, line, "column \"only\": '%s' is not mandatory, changed or all",
          s);
  }
  s = field(row, R, C_DOMAIN);
  if (*s) {
    int d = resolve(R, line, C_DOMAIN, "domain", s);
    if (d >= 0)
      rv->domain = d;
  }
  s = field(row, R, C_ID);
  if (R->col[C_ID] >= 0 && *s) {
    if (!id_ok(s))
      ERR(R, line, "column \"id\": '%s' is not a file-safe id (letters, "
          "digits, '.', '_' and '-', starting with a letter or digit, at "
          "most 100)", s);
    pr.given_id = s;
  }
  pr.ok = R->bad == bad0;
  if (SB_GROW(R->rows, R->n, R->cap, 64, INT_MAX))
    return;
  R->rows[R->n++] = pr;
}

static sb_status on_row(void *user, const sb_csv_row *row) {
  reader *R = user;
  if (row->index == 0)
    return on_header(R, row);
  if (!R->header_ok)
    return SB_OK;
  on_person(R, row);
  return SB_OK;
}

static int cmp_str_ci(const void *a, const void *b) {
  return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/* Ids: given ones must be unique; the others are made from the name,
** then made unique with -2, -3, ... (never equal to a given one). */
static void make_ids(reader *R) {
  sb_arena *a = R->a;
  const char **taken = sb_xmalloc((size_t)(R->n + 1) * sizeof *taken);
  int nt = 0;
  for (int i = 0; i < R->n; i++) {
    if (!R->rows[i].given_id)
      continue;
    for (int j = 0; j < i; j++)
      if (R->rows[j].given_id &&
          strcasecmp(R->rows[j].given_id, R->rows[i].given_id) == 0) {
        ERR(R, R->rows[i].line, "column \"id\": '%s' is also the id of line "
            "%ld (ids name the files: each must be unique)",
            R->rows[i].given_id, R->rows[j].line);
        break;
      }
    taken[nt++] = R->rows[i].given_id;
  }
  qsort(taken, (size_t)nt, sizeof *taken, cmp_str_ci);
  /* the made ids, checked against the given ones and each other */
  const char **made = sb_xmalloc((size_t)(R->n + 1) * sizeof *made);
  int nm = 0;
  for (int i = 0; i < R->n; i++) {
    prow *r = &R->rows[i];
    if (r->given_id) {
      r->p.rv.id = r->given_id;
      r->p.logname = sb_arena_printf(a, "id %s", r->given_id);
      continue;
    }
    r->p.logname = sb_arena_printf(a, "row %ld", r->line);
    char *base = file_safe(a, r->p.rv.person ? r->p.rv.person : "");
    if (!*base)
      base = sb_arena_printf(a, "person-%ld", r->line);
    const char *id = base;
    for (int k = 2;; k++) {
      int clash = nt && bsearch(&id, taken, (size_t)nt, sizeof *taken,
                                cmp_str_ci);
      for (int j = 0; j < nm && !clash; j++)
        clash = strcasecmp(made[j], id) == 0;
      if (!clash)
        break;
      id = sb_arena_printf(a, "%s-%d", base, k);
    }
    made[nm++] = id;
    r->p.rv.id = id;
  }
  free(made);
  free(taken);
}

/* Reviewer ids: one per reviewer (names equal without regard to ASCII
** case and outer spaces), file-safe, unique. */
static void make_reviewer_ids(reader *R, sb_people *out) {
  sb_arena *a = R->a;
  const char **names = sb_xmalloc((size_t)(R->n + 1) * sizeof *names);
  const char **ids = sb_xmalloc((size_t)(R->n + 1) * sizeof *ids);
  int n = 0;
  for (int i = 0; i < R->n; i++) {
    sb_batch_person *p = &R->rows[i].p;
    if (!p->rv.reviewer) {
      out->no_reviewer++;
      continue;
    }
    int k = 0;
    while (k < n && strcasecmp(names[k], p->rv.reviewer) != 0)
      k++;
    if (k == n) {
      char *base = file_safe(a, p->rv.reviewer);
      if (!*base)
        base = sb_arena_printf(a, "reviewer-%d", n + 1);
      const char *id = base;
      for (int s = 2;; s++) {
        int clash = 0;
        for (int j = 0; j < n && !clash; j++)
          clash = strcasecmp(ids[j], id) == 0;
        if (!clash)
          break;
        id = sb_arena_printf(a, "%s-%d", base, s);
      }
      names[n] = p->rv.reviewer;
      ids[n++] = id;
    }
    p->reviewer_id = ids[k];
  }
  free(names);
  free(ids);
}

sb_status sb_cli_read_people(sb_ctx *ctx, const char *path,
                             const sb_catalog *cat, sb_only only, int domain,
                             sb_people *out) {
  memset(out, 0, sizeof *out);
  char *text = NULL;
  size_t len = 0;
  sb_status st = sb_read_file(ctx, path, ctx->limits.file_bytes, &text, &len);
  if (st != SB_OK)
    return st;
  reader R;
  memset(&R, 0, sizeof R);
  R.ctx = ctx;
  R.path = path;
  R.cat = cat;
  R.only = only;
  R.domain = domain;
  R.a = sb_new_arena(0);
  st = sb_csv_read(ctx, path, text, len, on_row, &R, NULL);
  free(text);
  if (st == SB_OK && !R.header_ok && R.bad == 0)
    ERR(&R, 1, "the file is empty: it needs a header row naming its columns "
        "(name, role, level, ...)");
  if (st == SB_OK && R.bad == 0)
    make_ids(&R);
  if (st == SB_OK && R.bad > 0)
    st = sb_fail(ctx, SB_E_SCHEMA, "%s: %d error%s in the people list; "
                 "nothing written", path, R.bad, R.bad == 1 ? "" : "s");
  if (st != SB_OK) {
    free(R.rows);
    sb_drop_arena(R.a);
    return st;
  }
  make_reviewer_ids(&R, out);
  out->arena = R.a;
  out->n = R.n;
  out->given_ids = R.col[C_ID] >= 0;
  out->p = sb_xmalloc((size_t)(R.n + 1) * sizeof *out->p);
  for (int i = 0; i < R.n; i++)
    out->p[i] = R.rows[i].p;
  free(R.rows);
  return SB_OK;
}

void sb_cli_free_people(sb_people *pp) {
  free(pp->p);
  sb_drop_arena(pp->arena);
  memset(pp, 0, sizeof *pp);
}

int sb_cli_people_setup(sb_ctx *ctx, const char *cmd, const char *path,
                        const sb_catalog *cat, sb_only only, int domain,
                        int strict, sb_people *pp, sb_batch_opts *bo) {
  struct stat st;
  if (stat(path, &st) < 0)
    return sb_cli_usage_error(cmd, "--people %s: %s", path, strerror(errno));
  char *clean = sb_cli_clean_path(path, 1);
  sb_status s = sb_cli_read_people(ctx, clean, cat, only, domain, pp);
  int rc = SB_EXIT_OK;
  if (s != SB_OK)
    rc = s == SB_E_IO ? SB_EXIT_USAGE : SB_EXIT_CATALOG;
  else if (strict && ctx->nwarnings > 0) {
    sb_fail(ctx, SB_E_SCHEMA, "%s: %zu warning(s) and --strict; nothing "
            "written", clean, ctx->nwarnings);
    rc = SB_EXIT_CATALOG;
  }
  sb_cli_print_diags(ctx, cmd);
  sb_ctx_free(ctx); /* printed once; keeps the limits */
  free(clean);
  if (rc != SB_EXIT_OK) {
    sb_cli_free_people(pp);
    return rc;
  }
  if (pp->no_reviewer > 0 && !sb_cli_quiet())
    fprintf(stderr, "skillbook %s: note: %d %s no reviewer: %s pack%s %s in "
            "no reviewer's book\n", cmd, pp->no_reviewer,
            pp->no_reviewer == 1 ? "person has" : "people have",
            pp->no_reviewer == 1 ? "its" : "their",
            pp->no_reviewer == 1 ? "" : "s",
            pp->no_reviewer == 1 ? "is" : "are");
  bo->people = pp->p;
  bo->npeople = pp->n;
  return SB_EXIT_OK;
}

int sb_cli_parse_mode(const char *s, unsigned *out) {
  unsigned v = 0;
  if (!s || !*s || strlen(s) > 4)
    return 0;
  for (const char *p = s; *p; p++) {
    if (*p < '0' || *p > '7')
      return 0;
    v = v * 8 + (unsigned)(*p - '0');
  }
  if (v > 0777 || (v & 0600) != 0600)
    return 0;
  *out = v;
  return 1;
}
