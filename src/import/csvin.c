/*
** import/csvin.c -- CSV rows into the import's model (docs/import.md).
**
** Rows come from sb_csv_read. Leading rows whose first cell starts with
** '#' carry the catalogue's attributes and its levels and roles in order;
** the first other row is the header, which says the layout (a level or
** text column: long; else wide) and where each column is. Every later row
** is one expectation (long) or one skill and role (wide). Each problem is
** reported at its line and column and the row is skipped, so that one run
** lists them all; nothing is written when there is any.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import-imp.h"
#include "skillbook/csv.h"

/* The columns a header may name (after lower case, ' ' and '-' -> '_'). */
enum {
  C_DOMAIN, C_GROUP, C_SKILL, C_ROLE, C_LEVEL, C_DOMAIN_ID, C_GROUP_ID,
  C_SKILL_ID, C_ROLE_ID, C_LEVEL_ID, C_MANDATORY, C_TEXT, C_SUMMARY,
  C_KEYWORDS, C_UPDATED, C_COUNT
};
static const char *const col_names[C_COUNT] = {
    "domain", "group", "skill", "role", "level", "domain_id", "group_id",
    "skill_id", "role_id", "level_id", "mandatory", "text", "summary",
    "keywords", "updated"};

typedef struct state {
  imp_model *m;
  sb_csv_layout layout;
  int header_seen;
  int col[C_COUNT];   /* field index of each column, -1 = absent */
  int *level_of;      /* wide: the level of each field, -1 = none */
  int nfields;
  sb_status st;
} state;

static const char *cell(const sb_csv_row *r, int c) {
  return c >= 0 && c < r->n ? r->field[c] : "";
}

static imp_at at_col(const sb_csv_row *r, int c) {
  imp_at a = {r->line, c >= 0 ? c + 1 : 0};
  return a;
}

/* A header cell as a column name: ASCII lower case, ends trimmed, ' ' and
** '-' made '_'. */
static void norm_header(const char *s, char *out, size_t n) {
  size_t o = 0;
  while (*s == ' ' || *s == '\t') s++;
  for (; *s && o + 1 < n; s++) {
    char c = *s;
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c == ' ' || c == '-') c = '_';
    out[o++] = c;
  }
  while (o && out[o - 1] == '_') o--;
  out[o] = '\0';
}

/* ==== Finding or adding levels, roles, domains, groups, skills ==== */

static void list_ids(const imp_kind *k, char *buf, size_t n) {
  size_t o = 0;
  buf[0] = '\0';
  for (int i = 0; i < k->n && o + 8 < n; i++) {
    int w = snprintf(buf + o, n - o, "%s%s", i ? ", " : "", k->v[i].name);
    if (w < 0 || (size_t)w >= n - o) {
      snprintf(buf + o, n - o, ", ...");
      return;
    }
    o += (size_t)w;
  }
}

/* The item of kind k that the cells (id may be "", name may be "") name,
** added when new and k is open; -1 after reporting a problem. */
static int resolve(imp_model *m, imp_kind *k, const sb_csv_row *r, int idc,
                   int namec, int parent) {
  const char *id = cell(r, idc);
  const char *name = imp_collapse(m, cell(r, namec));
  int i;
  if (*id) {
    if (!imp_id_ok(id)) {
      imp_error(m, at_col(r, idc), "%s id '%s' is not an id: lower-case "
                "letters, digits, '.', '_' and '-', starting with a letter or "
                "digit, at most 64 (or leave it empty to derive one from the "
                "name)", k->word, id);
      return -1;
    }
    i = imp_index_find(&k->byid, id);
    if (i >= 0) {
      if (*name && strcmp(name, k->v[i].name) != 0) {
        imp_error(m, at_col(r, namec), "%s '%s' is named '%s' at line %ld, "
                  "'%s' here", k->word, id, k->v[i].name, k->v[i].at.line,
                  name);
        return -1;
      }
      return i;
    }
  } else {
    if (!*name) {
      imp_error(m, at_col(r, namec >= 0 ? namec : idc), "no %s name", k->word);
      return -1;
    }
    i = imp_index_find(&k->byname, name);
    if (i < 0 && k->closed)  /* a declared id in the name column */
      i = imp_index_find(&k->byid, name);
    if (i >= 0) return i;
  }
  if (k->closed) {
    char near[128], all[512];
    const char *what = *id ? id : name;
    list_ids(k, all, sizeof all);
    /* a name is compared with names, an id with ids */
    int has = sb_cat_suggest_from(*id ? (const void *)k->v
                                      : (const void *)&k->v[0].name,
                                  k->n, sizeof *k->v, what, near, sizeof near);
    imp_error(m, at_col(r, *id ? idc : namec), "unknown %s '%s' (the leading "
              "#%s rows declare: %s)%s%s%s", k->word, what, k->word, all,
              has ? "; did you mean " : "", has ? near : "", has ? "?" : "");
    return -1;
  }
  if (!*name) {
    imp_error(m, at_col(r, namec >= 0 ? namec : idc), "%s '%s' has no name",
              k->word, id);
    return -1;
  }
  if (!*id) id = imp_derive_id(m, k, name);
  else id = sb_arena_strdup(m->arena, id);
  return imp_kind_add(m, k, id, name, parent, at_col(r, *cell(r, idc) ? idc
                                                                      : namec));
}

/* Domain, group and skill of a row; -1 after reporting a problem. */
static int row_skill(state *s, const sb_csv_row *r) {
  imp_model *m = s->m;
  int d = resolve(m, &m->domains, r, s->col[C_DOMAIN_ID], s->col[C_DOMAIN], -1);
  if (d < 0) return -1;
  int g = resolve(m, &m->groups, r, s->col[C_GROUP_ID], s->col[C_GROUP], d);
  if (g < 0) return -1;
  if (m->groups.v[g].parent != d) {
    imp_error(m, at_col(r, s->col[C_GROUP]), "group '%s' is already in "
              "domain '%s' (line %ld); a group belongs to one domain",
              m->groups.v[g].name, m->domains.v[m->groups.v[g].parent].name,
              m->groups.v[g].at.line);
    return -1;
  }
  int before = m->skills.n;
  int k = resolve(m, &m->skills, r, s->col[C_SKILL_ID], s->col[C_SKILL], g);
  if (k < 0) return -1;
  if (k == before) {
    m->sk = sb_xrealloc(m->sk, (size_t)m->skills.cap * sizeof *m->sk);
    memset(&m->sk[k], 0, sizeof m->sk[k]);
  } else if (m->skills.v[k].parent != g) {
    imp_error(m, at_col(r, s->col[C_SKILL]), "duplicate skill '%s': it is "
              "in group '%s' at line %ld (a skill's id and name are unique "
              "in the catalogue)", m->skills.v[k].name,
              m->groups.v[m->skills.v[k].parent].name, m->skills.v[k].at.line);
    return -1;
  }
  return k;
}

/* A per-skill value (summary, updated) given once: the first non-empty one
** counts, a different one later is an error. */
static int skill_value(imp_model *m, const char **slot, imp_at *slot_at,
                       const char *v, imp_at at, const char *what) {
  if (!*v) return 0;
  if (!*slot) {
    *slot = v;
    *slot_at = at;
    return 0;
  }
  if (strcmp(*slot, v) != 0) {
    imp_error(m, at, "the skill's %s differs from the one at line %ld (give "
              "it once, or the same on every row)", what, slot_at->line);
    return -1;
  }
  return 0;
}

static int date_ok(const char *s) {
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return 0;
  int mo = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
  return mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

/* Keywords: one per line of the cell, or separated by ';' when the cell
** holds no line break. */
static void split_keywords(imp_model *m, imp_skill *sk, const char *v) {
  int lines = strchr(v, '\n') != NULL;
  char sep = lines ? '\n' : ';';
  size_t cap = 0;
  for (const char *p = v; *p;) {
    const char *e = strchr(p, sep);
    size_t len = e ? (size_t)(e - p) : strlen(p);
    const char *kw = imp_collapse(m, sb_arena_strndup(m->arena, p, len));
    if (*kw) {
      if (SB_GROW(sk->keywords, sk->nkeywords, cap, 8, 1u << 20)) abort();
      sk->keywords[sk->nkeywords++] = kw;
    }
    p += len + (e != NULL);
  }
}

static void skill_extras(state *s, const sb_csv_row *r, int k) {
  imp_model *m = s->m;
  imp_skill *sk = &m->sk[k];
  const char *sum = imp_collapse(m, cell(r, s->col[C_SUMMARY]));
  skill_value(m, &sk->summary, &sk->summary_at, sum,
              at_col(r, s->col[C_SUMMARY]), "summary");
  const char *upd = imp_collapse(m, cell(r, s->col[C_UPDATED]));
  if (*upd && !date_ok(upd))
    imp_error(m, at_col(r, s->col[C_UPDATED]), "updated '%s' is not a date "
              "(YYYY-MM-DD, such as 2026-03-17)", upd);
  else
    skill_value(m, &sk->updated, &sk->updated_at, upd,
                at_col(r, s->col[C_UPDATED]), "updated date");
  const char *kw = cell(r, s->col[C_KEYWORDS]);
  if (*imp_collapse(m, kw)) {
    if (!sk->keywords_at.line) {
      sk->keywords_at = at_col(r, s->col[C_KEYWORDS]);
      split_keywords(m, sk, kw);
    }
  }
}

/* Adds the expectation (skill k, level, role) unless it is there already. */
static void add_expect(state *s, const sb_csv_row *r, int k, int level,
                       int role, int mandatory, const char *text, int col) {
  imp_model *m = s->m;
  imp_skill *sk = &m->sk[k];
  char key[40];
  snprintf(key, sizeof key, "%d\037%d\037%d", k, level, role);
  int prev = imp_index_find(&m->expects, key);
  if (prev >= 0) {
    imp_error(m, at_col(r, col), "skill '%s' has an expectation for level "
              "'%s' and role '%s' already (line %ld); one per level and role",
              m->skills.v[k].name, m->levels.v[level].name,
              m->roles.v[role].name, sk->ex[prev].at.line);
    return;
  }
  if (!*text) {
    imp_error(m, at_col(r, col), "the expectation's text is empty");
    return;
  }
  if (SB_GROW(sk->ex, sk->nex, sk->capex, 8, 1u << 24)) abort();
  imp_expect *e = &sk->ex[sk->nex];
  e->level = level, e->role = role, e->mandatory = mandatory;
  e->text = text;
  e->at = at_col(r, col);
  imp_index_put(&m->expects, sb_arena_strdup(m->arena, key), sk->nex++);
}

/* yes/no, true/false, 1/0, x/empty; -1 for anything else. */
static int parse_mandatory(const char *v) {
  char b[8];
  norm_header(v, b, sizeof b);
  if (!*b || !strcmp(b, "no") || !strcmp(b, "false") || !strcmp(b, "0") ||
      !strcmp(b, "n"))
    return 0;
  if (!strcmp(b, "yes") || !strcmp(b, "true") || !strcmp(b, "1") ||
      !strcmp(b, "x") || !strcmp(b, "y"))
    return 1;
  return -1;
}

/* ==== Rows ==== */

static void long_row(state *s, const sb_csv_row *r) {
  imp_model *m = s->m;
  int k = row_skill(s, r);
  if (k < 0) return;
  int lv = resolve(m, &m->levels, r, s->col[C_LEVEL_ID], s->col[C_LEVEL], -1);
  int ro = resolve(m, &m->roles, r, s->col[C_ROLE_ID], s->col[C_ROLE], -1);
  int mand = parse_mandatory(cell(r, s->col[C_MANDATORY]));
  if (mand < 0)
    imp_error(m, at_col(r, s->col[C_MANDATORY]), "mandatory '%s' is not one "
              "of yes/no, true/false, 1/0, x/empty", cell(r, s->col[C_MANDATORY]));
  skill_extras(s, r, k);
  if (lv < 0 || ro < 0 || mand < 0) return;
  add_expect(s, r, k, lv, ro, mand, imp_collapse(m, cell(r, s->col[C_TEXT])),
             s->col[C_TEXT]);
}

static void wide_row(state *s, const sb_csv_row *r) {
  imp_model *m = s->m;
  int k = row_skill(s, r);
  if (k < 0) return;
  int ro = resolve(m, &m->roles, r, s->col[C_ROLE_ID], s->col[C_ROLE], -1);
  skill_extras(s, r, k);
  if (ro < 0) return;
  /* levels listed in the mandatory column */
  char *mandatory = sb_xcalloc((size_t)m->levels.n + 1, 1);
  const char *list = cell(r, s->col[C_MANDATORY]);
  int bad = 0;
  for (const char *p = list; *p;) {
    size_t len = strcspn(p, ";,");
    const char *ref = imp_collapse(m, sb_arena_strndup(m->arena, p, len));
    p += len + (p[len] != '\0');
    if (!*ref) continue;
    int lv = imp_index_find(&m->levels.byid, ref);
    if (lv < 0) lv = imp_index_find(&m->levels.byname, ref);
    if (lv < 0) {
      char near[128];
      int has = sb_cat_suggest_from(&m->levels.v[0].name, m->levels.n,
                                    sizeof *m->levels.v, ref, near, sizeof near);
      imp_error(m, at_col(r, s->col[C_MANDATORY]), "unknown level '%s' in the "
                "mandatory column (the level columns are the levels)%s%s%s",
                ref, has ? "; did you mean " : "", has ? near : "", has ? "?" : "");
      bad = 1;
      continue;
    }
    mandatory[lv] = 1;
  }
  int any = 0;
  for (int c = 0; !bad && c < r->n && c < s->nfields; c++) {
    int lv = s->level_of[c];
    if (lv < 0) continue;
    char *t = sb_arena_strdup(m->arena, imp_collapse(m, r->field[c]));
    size_t n = strlen(t);
    if (!n) continue;
    int mand = mandatory[lv];
    if (t[n - 1] == '*') {  /* the trailing marker */
      t[--n] = '\0';
      while (n && t[n - 1] == ' ') t[--n] = '\0';
      mand = 1;
    }
    any = 1;
    add_expect(s, r, k, lv, ro, mand, t, c);
  }
  if (!bad && !any)
    imp_error(m, at_col(r, 0), "no expectation in this row: every level "
              "column is empty");
  free(mandatory);
}

/* ==== Leading rows and the header ==== */

static void meta_row(state *s, const sb_csv_row *r) {
  imp_model *m = s->m;
  char key[32];
  norm_header(r->field[0] + 1, key, sizeof key);
  const char *v = imp_collapse(m, cell(r, 1));
  imp_at at = at_col(r, 1);
  if (!strcmp(key, "level") || !strcmp(key, "role")) {
    imp_kind *k = key[0] == 'l' ? &m->levels : &m->roles;
    int before = k->n;
    int i = resolve(m, k, r, 1, 2, -1);
    if (i >= 0 && i != before)
      imp_error(m, at, "%s '%s' is declared twice (first at line %ld)",
                k->word, k->v[i].id, k->v[i].at.line);
    return;
  }
  const char **slot = NULL;
  imp_at *slot_at = NULL;
  if (!strcmp(key, "title")) slot = &m->title, slot_at = &m->title_at;
  else if (!strcmp(key, "version")) slot = &m->version, slot_at = &m->version_at;
  else if (!strcmp(key, "author")) slot = &m->author, slot_at = &m->author_at;
  else if (!strcmp(key, "lang")) slot = &m->lang, slot_at = &m->lang_at;
  if (!slot) {
    imp_error(m, at_col(r, 0), "unknown leading row '%s' (expected #title, "
              "#version, #author, #lang, #level or #role)", r->field[0]);
    return;
  }
  if (*slot) {
    imp_error(m, at, "%s given twice (first at line %ld)", key, slot_at->line);
    return;
  }
  *slot = v;
  *slot_at = at;
}

static void header_row(state *s, const sb_csv_row *r) {
  imp_model *m = s->m;
  char name[64];
  for (int c = 0; c < C_COUNT; c++) s->col[c] = -1;
  s->nfields = r->n;
  s->level_of = sb_xmalloc((size_t)r->n * sizeof *s->level_of);
  for (int i = 0; i < r->n; i++) {
    s->level_of[i] = -1;
    norm_header(r->field[i], name, sizeof name);
    for (int c = 0; c < C_COUNT; c++)
      if (!strcmp(name, col_names[c])) {
        if (s->col[c] >= 0)
          imp_error(m, at_col(r, i), "column '%s' twice (first in column "
                    "%d)", col_names[c], s->col[c] + 1);
        s->col[c] = i;
      }
  }
  int is_long = s->col[C_LEVEL] >= 0 || s->col[C_LEVEL_ID] >= 0 ||
                s->col[C_TEXT] >= 0;
  if (s->layout == SB_LAYOUT_AUTO)
    s->layout = is_long ? SB_LAYOUT_LONG : SB_LAYOUT_WIDE;
  static const int need_long[] = {C_DOMAIN, C_GROUP, C_SKILL, C_ROLE, C_LEVEL,
                                  C_TEXT};
  static const int need_wide[] = {C_DOMAIN, C_GROUP, C_SKILL, C_ROLE};
  const int *need = s->layout == SB_LAYOUT_LONG ? need_long : need_wide;
  int nneed = s->layout == SB_LAYOUT_LONG ? 6 : 4;
  for (int i = 0; i < nneed; i++) {
    int c = need[i];
    int idc = c <= C_LEVEL ? c + C_DOMAIN_ID : -1;
    if (s->col[c] < 0 && !(c == C_ROLE || c == C_LEVEL ? s->col[idc] >= 0 : 0))
      imp_error(m, at_col(r, r->n), "missing column '%s' (the %s layout "
                "needs %s)", col_names[c],
                s->layout == SB_LAYOUT_LONG ? "long" : "wide",
                s->layout == SB_LAYOUT_LONG
                    ? "domain, group, skill, role, level, text"
                    : "domain, group, skill, role and one column per level");
  }
  if (s->layout == SB_LAYOUT_LONG) {
    for (int i = 0; i < r->n; i++) {
      norm_header(r->field[i], name, sizeof name);
      int known = 0;
      for (int c = 0; c < C_COUNT; c++) known |= !strcmp(name, col_names[c]);
      if (!known)
        imp_error(m, at_col(r, i), "unknown column '%s' in the long layout "
                  "(columns: domain, group, skill, role, level, mandatory, "
                  "text, summary, keywords, updated, and *_id)", r->field[i]);
    }
    return;
  }
  /* wide: every other column is a level, in order */
  int nlev = 0;
  for (int i = 0; i < r->n; i++) {
    norm_header(r->field[i], name, sizeof name);
    int known = 0;
    for (int c = 0; c < C_COUNT; c++) known |= !strcmp(name, col_names[c]);
    if (known) continue;
    nlev++;
    if (!*imp_collapse(m, r->field[i])) {
      imp_error(m, at_col(r, i), "a column without a name (a level column "
                "is named by its level)");
      continue;
    }
    int lv = imp_index_find(&m->levels.byid, imp_collapse(m, r->field[i]));
    if (lv < 0) lv = resolve(m, &m->levels, r, -1, i, -1);
    if (lv < 0) continue;
    for (int j = 0; j < i; j++)
      if (s->level_of[j] == lv) {
        imp_error(m, at_col(r, i), "level '%s' has two columns (first: "
                  "column %d)", m->levels.v[lv].name, j + 1);
        lv = -1;
        break;
      }
    s->level_of[i] = lv;
  }
  if (!nlev)
    imp_error(m, at_col(r, r->n), "no level column: the wide layout has one "
              "column per level, named by the level");
}

static sb_status on_row(void *user, const sb_csv_row *r) {
  state *s = user;
  imp_model *m = s->m;
  if (!s->header_seen) {
    if (r->field[0][0] == '#') {
      meta_row(s, r);
      return SB_OK;
    }
    s->header_seen = 1;
    m->levels.closed = m->levels.n > 0;
    m->roles.closed = m->roles.n > 0;
    header_row(s, r);
    if (m->errors) return SB_E_SCHEMA;  /* columns unknown: stop here */
    return SB_OK;
  }
  if (m->errors >= 100) return SB_E_SCHEMA;
  for (int c = s->nfields; c < r->n; c++)
    if (r->len[c]) {
      imp_error(m, at_col(r, c), "a cell past the last column of the header "
                "(a delimiter too many? quote a cell that holds one)");
      return SB_OK;
    }
  if (s->layout == SB_LAYOUT_LONG) long_row(s, r);
  else wide_row(s, r);
  return SB_OK;
}

/* ==== The whole file ==== */

static void kind_init(imp_kind *k, const char *word) {
  memset(k, 0, sizeof *k);
  k->word = word;
}

static void kind_free(imp_kind *k) {
  free(k->v);
  imp_index_free(&k->byid);
  imp_index_free(&k->byname);
}

sb_status sb_import_csv(sb_ctx *ctx, const char *path, const char *data,
                        size_t n, sb_csv_layout layout, sb_buf *xml,
                        sb_csv_layout *used) {
  imp_model m;
  memset(&m, 0, sizeof m);
  m.ctx = ctx;
  m.path = path;
  m.arena = sb_new_arena(0);
  kind_init(&m.levels, "level");
  kind_init(&m.roles, "role");
  kind_init(&m.domains, "domain");
  kind_init(&m.groups, "group");
  kind_init(&m.skills, "skill");
  state s;
  memset(&s, 0, sizeof s);
  s.m = &m;
  s.layout = layout;
  sb_status st = sb_csv_read(ctx, path, data, n, on_row, &s, NULL);
  if (st == SB_OK && !s.header_seen) {
    imp_at at = {1, 1};
    imp_error(&m, at, "no header row (the first row that does not start "
              "with '#' names the columns)");
  } else if (st == SB_OK && !m.errors && m.skills.n == 0) {
    imp_at at = {1, 1};
    imp_error(&m, at, "no skill: the file has a header but no row under it");
  }
  if (used) *used = s.layout;
  if (st == SB_OK && m.errors)
    st = SB_E_SCHEMA;
  if (st == SB_OK)
    st = imp_write_xml(&m, xml);
  for (int i = 0; i < m.skills.n; i++) {
    free(m.sk[i].ex);
    free(m.sk[i].keywords);
  }
  free(m.sk);
  free(s.level_of);
  kind_free(&m.levels);
  kind_free(&m.roles);
  kind_free(&m.domains);
  kind_free(&m.groups);
  kind_free(&m.skills);
  imp_index_free(&m.expects);
  sb_drop_arena(m.arena);
  return st;
}
