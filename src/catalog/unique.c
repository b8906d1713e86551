/*
** catalog/unique.c -- keys unique in one file, and the hash sets of keys.
**
** The schema's xs:unique, which the compiled-in schema leaves out, checked
** on a parsed file's tree (sb_cat_check_unique, split from walk.c), and the
** hash sets of keys (FNV-1a keyed) that check, the merges of domains and
** groups across files (walk.c) and the streamed walk's own check use.
** Errors: every duplicate is a diagnostic (sb_cat_dup_id, validate.c).
** Tests: tests/unit/test_catalog.c, tests/bad/ (tests/cli/validate.sh),
** tests/cli/stream.sh
*/
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "catalog/catalog-imp.h"

typedef struct keyset keyset;

/* ==== Hash sets of keys ==== */

/* The keys of one file (check_unique, the streamed walk's), and the domain
** and group ids of the whole catalogue (walk.c's merge_domain and
** merge_group): looking one up does not scan every id seen before (20,000
** groups were 11 G instructions). */

typedef struct key {
  int kind, scope;          /* scope: the skill's number, for expects */
  const char *id, *id2;     /* borrowed; id2: an expect's role */
  long line;
} key;

struct keyset {
  key *keys;
  int n;
  size_t cap;
  int *slot;                /* open addressing: key index + 1, 0 = empty */
  size_t nslots;            /* a power of two, over twice n */
};

static size_t key_hash(int kind, int scope, const char *id, const char *id2) {
  uint64_t h = sb_hash_fnv1a(&kind, sizeof kind, SB_FNV1A_BASIS);
  h = sb_hash_fnv1a(&scope, sizeof scope, h);
  h = sb_hash_fnv1a(id, strlen(id), h);
  if (id2)
    h = sb_hash_fnv1a(id2, strlen(id2), h);
  return (size_t)(h ^ (h >> 29));
}

static void keyset_rehash(keyset *ks) {
  free(ks->slot);
  ks->nslots = ks->nslots ? ks->nslots * 2 : 64;
  ks->slot = sb_xcalloc(ks->nslots, sizeof *ks->slot);
  for (int i = 0; i < ks->n; i++) {
    const key *k = &ks->keys[i];
    size_t h = key_hash(k->kind, k->scope, k->id, k->id2) & (ks->nslots - 1);
    while (ks->slot[h])
      h = (h + 1) & (ks->nslots - 1);
    ks->slot[h] = i + 1;
  }
}

/* The index of the first key equal to (kind, scope, id, id2), or -1 after
** adding it as the first, written at line. (An index, not a pointer: the
** array moves as it grows.) */
int sb_cat_keyset_add(keyset *ks, int kind, int scope, const char *id,
                      const char *id2, long line) {
  if ((size_t)ks->n * 2 >= ks->nslots)
    keyset_rehash(ks);
  size_t h = key_hash(kind, scope, id, id2) & (ks->nslots - 1);
  for (; ks->slot[h]; h = (h + 1) & (ks->nslots - 1)) {
    const key *k = &ks->keys[ks->slot[h] - 1];
    if (k->kind == kind && k->scope == scope && strcmp(k->id, id) == 0 &&
        (!id2 || strcmp(k->id2, id2) == 0))
      return ks->slot[h] - 1;
  }
  /* past INT_MAX keys a key is not kept (the loader's own tables stop
  ** the walk there) */
  if (SB_GROW(ks->keys, ks->n, ks->cap, 16, INT_MAX - 1))
    return -1;
  ks->keys[ks->n] = (key){kind, scope, id, id2, line};
  ks->slot[h] = ++ks->n;
  return -1;
}

keyset *sb_cat_new_keyset(void) { return sb_xcalloc(1, sizeof(keyset)); }

void sb_cat_clear_keyset(keyset *ks) {
  ks->n = 0;
  if (ks->slot)
    memset(ks->slot, 0, ks->nslots * sizeof *ks->slot);
}

void sb_cat_drop_keyset(keyset *ks) {
  if (ks) {
    free(ks->keys);
    free(ks->slot);
    free(ks);
  }
}

/* ==== Uniqueness within one file (the schema's xs:unique) ==== */

/* The published schema (catalog/catalog-1.xsd) has six xs:unique: level,
** role, domain, group and skill ids are each unique in one file, and a
** skill has at most one expect per (level, role). The schema compiled into
** the binary leaves them out (libxml2 spent over a third of validation on
** them; CMakeLists.txt strips them) and check_unique checks them on the
** tree instead, valid or not, taking the keys libxml2 took: from the
** elements the selectors name that libxml2 validates (see next_child), and
** only values that are ids (an invalid one is a schema error already, and
** libxml2 made no key of it). Each duplicate names where the first one is,
** and is reported when its element ends (a group's before its domain's),
** as libxml2 did. */

#define CAT_NS "urn:skillbook:catalog:1"

/* ---- Which elements libxml2 validates ---- */

/* A content model of the schema: a sequence of elements, each at most once
** or any number of times. */
typedef struct model {
  int n;
  const char *name[3];
  int many[3];
} model;

static const model m_catalog = {3, {"levels", "roles", "domain"}, {0, 0, 1}};
static const model m_levels = {1, {"level"}, {1}};
static const model m_roles = {1, {"role"}, {1}};
static const model m_domain = {1, {"group"}, {1}};
static const model m_group = {1, {"skill"}, {1}};
static const model m_skill = {3, {"summary", "keyword", "expect"}, {0, 1, 1}};

/* The first element from c on that libxml2 validates as a child of a
** parent of model m, or NULL: it validates children in order and, at the
** first one the model does not expect there (or one of another namespace),
** reports it and skips it and every later sibling. *q is where in the
** sequence the parent is (0 before its first child). */
static xmlNode *next_child(const model *m, xmlNode *c, int *q) {
  for (; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    if (!c->ns || strcmp((const char *)c->ns->href, CAT_NS) != 0)
      return NULL;
    for (int j = *q; j < m->n; j++) {
      if (strcmp((const char *)c->name, m->name[j]) == 0) {
        *q = m->many[j] ? j : j + 1;
        return c;
      }
    }
    return NULL;
  }
  return NULL;
}

/* Each child c of parent (of model *m) that libxml2 validates; q: an int,
** 0 at first. */
#define EACH_CHILD(c, parent, m, q)                                        \
  for (xmlNode *c = next_child((m), (parent)->children, &(q)); c;           \
       c = next_child((m), c->next, &(q)))

/* ---- The check ---- */

/* [a-z0-9][a-z0-9._-]{0,63}: the schema's Id. */
static int is_id(const char *s) {
  size_t n = 0;
  for (; s[n]; n++) {
    char c = s[n];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
          (n > 0 && (c == '.' || c == '_' || c == '-'))))
      return 0;
  }
  return n >= 1 && n <= 64;
}

/* The value of the unqualified attribute name when it is an id, else NULL.
** Borrowed from the tree (or, for a value split over several nodes, an
** arena copy). */
static const char *id_value(sb_loader *L, xmlNode *node, const char *name) {
  xmlAttr *a = xmlHasNsProp(node, (const xmlChar *)name, NULL);
  const char *v;
  if (!a || !a->children)
    return NULL;
  if (!a->children->next && a->children->type == XML_TEXT_NODE) {
    v = (const char *)a->children->content;
  } else {
    xmlChar *t = xmlNodeListGetString(node->doc, a->children, 1);
    v = t ? sb_arena_strdup(L->cat->arena, (const char *)t) : NULL;
    xmlFree(t);
  }
  return v && is_id(v) ? v : NULL;
}

typedef struct uniq {
  sb_loader *L;
  keyset ks;                /* level, role, domain, group and skill ids */
  keyset ex;                /* the (level, role) of one skill's expects:
                               cleared for each skill, so that it stays
                               small (10,000 expects grew a table of
                               640 KB, fresh pages, in the large one) */
  int errors;
} uniq;

static const char *const kind_name[] = {"level", "role", "domain", "group",
                                        "skill"};

/* Adds node's id as a key of this kind; returns the first key with the
** same id (to report when node ends), or -1. */
static int add_id(uniq *u, int kind, xmlNode *node) {
  const char *id = id_value(u->L, node, "id");
  return id ? sb_cat_keyset_add(&u->ks, kind, 0, id, NULL, xmlGetLineNo(node)) : -1;
}

static void report_id(uniq *u, int kind, xmlNode *node, int first) {
  if (first < 0)
    return;
  const key *k = &u->ks.keys[first];
  sb_cat_dup_id(u->L, kind_name[kind], k->id, u->L->file, xmlGetLineNo(node),
                u->L->file, k->line);
  u->errors++;
}

static void check_skill(uniq *u, xmlNode *skill) {
  int dup = add_id(u, SB_KEY_SKILL, skill);
  int q = 0;
  sb_cat_clear_keyset(&u->ex); /* an expect's key is scoped to its skill */
  EACH_CHILD(x, skill, &m_skill, q) {
    if (strcmp((const char *)x->name, "expect") != 0)
      continue;
    const char *lv = id_value(u->L, x, "level"), *ro = id_value(u->L, x, "role");
    long line = xmlGetLineNo(x);
    int first = lv && ro ? sb_cat_keyset_add(&u->ex, SB_KEY_EXPECT, 0, lv, ro, line)
                         : -1;
    if (first >= 0) {
      sb_cat_dup_expect(u->L, u->L->file, line, lv, ro,
                        id_value(u->L, skill, "id"), u->ex.keys[first].line);
      u->errors++;
    }
  }
  report_id(u, SB_KEY_SKILL, skill, dup);
}

/* Reports every duplicate key of the file; returns how many there are. */
int sb_cat_check_unique(sb_loader *L, xmlDoc *doc) {
  uniq u = {L, {NULL, 0, 0, NULL, 0}, {NULL, 0, 0, NULL, 0}, 0};
  int q = 0;
  xmlNode *root = xmlDocGetRootElement(doc);
  if (!root || !root->ns || strcmp((const char *)root->ns->href, CAT_NS) ||
      strcmp((const char *)root->name, "catalog"))
    return 0;  /* not a catalogue: the schema said so, no key applies */
  EACH_CHILD(c, root, &m_catalog, q) {
    int qc = 0;
    if (c->name[0] == 'l' || c->name[0] == 'r') {
      int kind = c->name[0] == 'l' ? SB_KEY_LEVEL : SB_KEY_ROLE;
      EACH_CHILD(n, c, kind == SB_KEY_LEVEL ? &m_levels : &m_roles, qc)
        report_id(&u, kind, n, add_id(&u, kind, n));
      continue;
    }
    int dom = add_id(&u, SB_KEY_DOMAIN, c);
    EACH_CHILD(g, c, &m_domain, qc) {
      int qg = 0;
      int grp = add_id(&u, SB_KEY_GROUP, g);
      EACH_CHILD(s, g, &m_group, qg)
        check_skill(&u, s);
      report_id(&u, SB_KEY_GROUP, g, grp);
    }
    report_id(&u, SB_KEY_DOMAIN, c, dom);
  }
  free(u.ks.keys);
  free(u.ks.slot);
  free(u.ex.keys);
  free(u.ex.slot);
  return u.errors;
}

void sb_cat_drop_id_sets(sb_loader *L) {
  sb_cat_drop_keyset(L->domain_ids);
  sb_cat_drop_keyset(L->group_ids);
  L->domain_ids = L->group_ids = NULL;
}
