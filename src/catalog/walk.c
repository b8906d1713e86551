/*
** catalog/walk.c -- walks one parsed catalogue file into the loader.
**
** The loader (load.c) hands every parsed and validated file here twice:
** sb_cat_check_unique checks its keys (the schema's xs:unique, which the
** compiled-in schema leaves out), then sb_cat_walk_doc copies its levels,
** roles, domains, groups and skills into the loader's heap arrays, with
** every string in the catalogue's arena and every element counted against
** the nodes limit. Domains and groups with the same id in several files
** merge here (hash sets of ids, FNV-1a keyed).
** Errors: every problem is a diagnostic (sb_cat_error).
** Tests: tests/unit/test_catalog.c, tests/bad/ (tests/cli/validate.sh)
*/
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "catalog/catalog-imp.h"
#include "xml/reader.h"

/* Room for arr[n] in one of the loader's tables. The model counts in int:
** past INT_MAX entries GROW is 0, after an SB_E_LIMIT error that stops the
** walk (the nodes limit, when set, stops it long before). */
#define GROW(arr, n, cap) room(L, SB_GROW(arr, n, cap, 16, INT_MAX))

static int room(sb_loader *L, sb_status st) {
  if (st == SB_OK)
    return 1;
  sb_cat_error(L, SB_E_LIMIT, L->file, 0, "more than %d entries of one kind "
               "(the most a catalogue can hold)", INT_MAX);
  L->stop = L->broken = 1;
  return 0;
}

/* ==== Reading attributes and text ==== */

/* Fails with SB_E_LIMIT (as a diagnostic) when s is over text-bytes. */
static int text_ok(sb_loader *L, const xmlNode *node, size_t n) {
  size_t limit = L->ctx->limits.text_bytes;
  if (limit == 0 || n <= limit)
    return 1;
  sb_cat_error(L, SB_E_LIMIT, L->file, xmlGetLineNo(node),
               "text of %zu bytes is over the text-bytes limit (%zu); raise "
               "it with --limit text-bytes=N", n, limit);
  return 0;
}

/* The arena copy of s (n bytes), collapsed when asked, or NULL over the
** text-bytes limit. */
static const char *keep(sb_loader *L, const xmlNode *node, const char *s,
                        size_t n, int collapse) {
  char *r = sb_arena_strndup(L->cat->arena, s, n);
  if (collapse)
    n = sb_xml_collapse(r);
  if (text_ok(L, node, n))
    return r;
  L->broken = 1;
  return NULL;
}

/* As keep, for a string of libxml2's (freed with xmlFree). */
static const char *keep_xml(sb_loader *L, const xmlNode *node, xmlChar *s,
                            int collapse) {
  if (!s)
    return NULL;
  const char *r = keep(L, node, (const char *)s, strlen((const char *)s),
                       collapse);
  xmlFree(s);
  return r;
}

/* The attribute xmlGetProp finds (the first of that name, whatever its
** namespace) read in place when its value is one text node, as most are;
** else through xmlGetProp. NULL when absent. */
static const char *attr_as(sb_loader *L, xmlNode *node, const char *name,
                           int collapse) {
  for (xmlAttr *a = node->properties; a; a = a->next) {
    if (strcmp((const char *)a->name, name) != 0)
      continue;
    const xmlNode *t = a->children;
    if (!t)
      return keep(L, node, "", 0, collapse);
    if (!t->next && (t->type == XML_TEXT_NODE ||
                     t->type == XML_CDATA_SECTION_NODE) && t->content)
      return keep(L, node, (const char *)t->content,
                  strlen((const char *)t->content), collapse);
    break;
  }
  return keep_xml(L, node, xmlGetProp(node, (const xmlChar *)name), collapse);
}

/* An attribute as written (ids, dates), or NULL when absent. */
static const char *attr(sb_loader *L, xmlNode *node, const char *name) {
  return attr_as(L, node, name, 0);
}

/* An attribute that is printed text: white space collapsed. */
static const char *attr_text(sb_loader *L, xmlNode *node, const char *name) {
  return attr_as(L, node, name, 1);
}

/* The text of an element, collapsed: read in place when it is one text
** node (or none), else through xmlNodeGetContent. */
static const char *content(sb_loader *L, xmlNode *node) {
  const xmlNode *t = node->children;
  if (!t)
    return keep(L, node, "", 0, 1);
  if (!t->next && t->type == XML_TEXT_NODE && t->content)
    return keep(L, node, (const char *)t->content,
                strlen((const char *)t->content), 1);
  return keep_xml(L, node, xmlNodeGetContent(node), 1);
}

/* The text of an element the model does not keep (another role's
** expectation, sb_load_catalog_role): NULL, after the one diagnostic
** content would give, over the text-bytes limit (its collapsed length is
** measured only when the text as written is over it). */
static const char *skip_content(sb_loader *L, xmlNode *node) {
  size_t limit = L->ctx->limits.text_bytes;
  const xmlNode *t = node->children;
  if (!t || limit == 0)
    return NULL;
  if (!t->next && t->type == XML_TEXT_NODE && t->content) {
    const char *s = (const char *)t->content;
    size_t n = strlen(s);
    if (n > limit && !text_ok(L, node, sb_xml_collapsed_len(s, n)))
      L->broken = 1;
    return NULL;
  }
  xmlChar *s = xmlNodeGetContent(node);
  if (s) {
    size_t n = strlen((const char *)s);
    if (n > limit &&
        !text_ok(L, node, sb_xml_collapsed_len((const char *)s, n)))
      L->broken = 1;
    xmlFree(s);
  }
  return NULL;
}

static int is_elem(const xmlNode *n, const char *name) {
  return n->type == XML_ELEMENT_NODE &&
         strcmp((const char *)n->name, name) == 0;
}

/* Counts one element against the nodes limit. */
static int count_node(sb_loader *L, const xmlNode *node) {
  if (L->stop)
    return 0;
  if (++L->nodes <= L->ctx->limits.nodes || L->ctx->limits.nodes == 0)
    return 1;
  sb_cat_error(L, SB_E_LIMIT, L->file, xmlGetLineNo(node),
               "more than %zu elements (the nodes limit); raise it with "
               "--limit nodes=N", L->ctx->limits.nodes);
  L->stop = L->broken = 1;
  return 0;
}

/* ==== Levels and roles ==== */

static void walk_levels(sb_loader *L, xmlNode *list, int root) {
  if (L->levels_root >= 0) {
    const sb_root_info *r = &L->roots[L->levels_root];
    sb_cat_error(L, SB_E_SCHEMA, L->file, xmlGetLineNo(list),
                 "levels are declared again (first at %s:%ld); declare "
                 "<levels> in exactly one file", r->file, L->levels_line);
    return;
  }
  L->levels_root = root;
  L->levels_line = xmlGetLineNo(list);
  for (xmlNode *n = list->children; n; n = n->next) {
    if (!is_elem(n, "level") || !count_node(L, n))
      continue;
    if (!GROW(L->levels, L->nlevels, L->caplevels))
      return;
    sb_level *lv = &L->levels[L->nlevels];
    memset(lv, 0, sizeof *lv);
    lv->id = attr(L, n, "id");
    lv->name = attr_text(L, n, "name");
    lv->index = L->nlevels++;
    lv->file = L->file;
    lv->line = xmlGetLineNo(n);
  }
}

static void walk_roles(sb_loader *L, xmlNode *list, int root) {
  if (L->roles_root >= 0) {
    const sb_root_info *r = &L->roots[L->roles_root];
    sb_cat_error(L, SB_E_SCHEMA, L->file, xmlGetLineNo(list),
                 "roles are declared again (first at %s:%ld); declare "
                 "<roles> in exactly one file", r->file, L->roles_line);
    return;
  }
  L->roles_root = root;
  L->roles_line = xmlGetLineNo(list);
  for (xmlNode *n = list->children; n; n = n->next) {
    if (!is_elem(n, "role") || !count_node(L, n))
      continue;
    if (!GROW(L->roles, L->nroles, L->caproles))
      return;
    sb_role *ro = &L->roles[L->nroles];
    memset(ro, 0, sizeof *ro);
    ro->id = attr(L, n, "id");
    ro->name = attr_text(L, n, "name");
    ro->index = L->nroles++;
    ro->file = L->file;
    ro->line = xmlGetLineNo(n);
  }
}

/* ==== Hash sets of ids ==== */

/* The keys of one file (check_unique), and the domain and group ids of the
** whole catalogue (merge_domain, merge_group): looking one up does not scan
** every id seen before (20,000 groups were 11 G instructions). */

enum { K_LEVEL, K_ROLE, K_DOMAIN, K_GROUP, K_SKILL, K_EXPECT };

typedef struct key {
  int kind, scope;          /* scope: the skill's number, for expects */
  const char *id, *id2;     /* borrowed from the tree; id2: an expect's role */
  long line;
} key;

typedef struct keyset {
  key *keys;
  int n;
  size_t cap;
  int *slot;                /* open addressing: key index + 1, 0 = empty */
  size_t nslots;            /* a power of two, over twice n */
} keyset;

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
static int keyset_add(keyset *ks, int kind, int scope, const char *id,
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

/* ==== Domains, groups, skills ==== */

static int str_eq(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The keyset of the loader (domain or group ids), made on first use. */
static keyset *merge_set(keyset **ks) {
  if (!*ks)
    *ks = sb_xcalloc(1, sizeof **ks);
  return *ks;
}

/* The domain with this id (merging a repeat); a repeat with another name is
** an error. Domains are added to L->domain_ids in index order, so a key's
** index is the domain's. */
static int merge_domain(sb_loader *L, xmlNode *node) {
  const char *id = attr(L, node, "id"), *name = attr_text(L, node, "name");
  long line = xmlGetLineNo(node);
  int i = keyset_add(merge_set(&L->domain_ids), K_DOMAIN, 0, id ? id : "",
                     NULL, line);
  if (i >= 0) {
    sb_domain *d = &L->domains[i];
    if (!str_eq(d->name, name)) {
      sb_cat_error(L, SB_E_SCHEMA, L->file, line,
                   "domain '%s' is named '%s' here but '%s' at %s:%ld (a "
                   "domain repeated across files keeps one name)", id,
                   name ? name : "", d->name ? d->name : "", d->file,
                   d->line);
    }
    return i;
  }
  if (!GROW(L->domains, L->ndomains, L->capdomains))
    return 0;  /* the walk stops */
  sb_domain *d = &L->domains[L->ndomains];
  d->id = id;
  d->name = name;
  d->index = L->ndomains;
  d->file = L->file;
  d->line = line;
  return L->ndomains++;
}

/* The group with this id (merging a repeat), as merge_domain. */
static int merge_group(sb_loader *L, xmlNode *node, int dom) {
  const char *id = attr(L, node, "id"), *name = attr_text(L, node, "name");
  long line = xmlGetLineNo(node);
  int i = keyset_add(merge_set(&L->group_ids), K_GROUP, 0, id ? id : "",
                     NULL, line);
  if (i >= 0) {
    sb_group *g = &L->groups[i];
    if (g->domain != dom)
      sb_cat_error(L, SB_E_SCHEMA, L->file, line,
                   "group '%s' is in domain '%s' here but in domain '%s' at "
                   "%s:%ld (group ids are unique in the catalogue)", id,
                   L->domains[dom].id, L->domains[g->domain].id, g->file,
                   g->line);
    else if (!str_eq(g->name, name))
      sb_cat_error(L, SB_E_SCHEMA, L->file, line,
                   "group '%s' is named '%s' here but '%s' at %s:%ld (a "
                   "group repeated across files keeps one name)", id,
                   name ? name : "", g->name ? g->name : "", g->file,
                   g->line);
    return i;
  }
  if (!GROW(L->groups, L->ngroups, L->capgroups))
    return 0;  /* the walk stops */
  sb_group *g = &L->groups[L->ngroups];
  g->id = id;
  g->name = name;
  g->index = L->ngroups;
  g->domain = dom;
  g->file = L->file;
  g->line = line;
  return L->ngroups++;
}

static int count_children(const xmlNode *node, const char *name) {
  int n = 0;
  for (const xmlNode *c = node->children; c; c = c->next)
    n += is_elem(c, name);
  return n;
}

/* keep: 0 when the skill's texts are not kept (sb_load_catalog_texts) */
static void walk_expect(sb_loader *L, xmlNode *n, sb_raw_expect *x,
                        int keep) {
  const char *m = attr(L, n, "mandatory");
  x->level = attr(L, n, "level");
  x->role = attr(L, n, "role");
  x->mandatory = m && strcmp(m, "true") == 0;
  x->text = keep && (!L->texts_role ||
                    (x->role && strcmp(x->role, L->texts_role) == 0))
                ? content(L, n)
                : skip_content(L, n);
  x->line = xmlGetLineNo(n);
}

/* Fills the skill's summary, keywords and (unresolved) expects. */
static void walk_skill_body(sb_loader *L, xmlNode *node, sb_skill *sk,
                            sb_raw_expect **rx) {
  sb_arena *a = L->cat->arena;
  int nk = count_children(node, "keyword"), nx = count_children(node, "expect");
  sk->keywords = sb_arena_calloc(a, (size_t)(nk + 1) * sizeof *sk->keywords);
  *rx = sb_arena_calloc(a, (size_t)(nx + 1) * sizeof **rx);
  int keep = !L->texts_skill || (sk->id && strcmp(sk->id, L->texts_skill) == 0);
  for (xmlNode *n = node->children; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE || !count_node(L, n))
      continue;
    if (is_elem(n, "summary"))
      sk->summary = content(L, n);
    else if (is_elem(n, "keyword"))
      sk->keywords[sk->nkeywords++] = content(L, n);
    else if (is_elem(n, "expect"))
      walk_expect(L, n, &(*rx)[sk->nexpects++], keep);
  }
}

static void walk_skill(sb_loader *L, xmlNode *node, int dom, int grp) {
  size_t max = L->ctx->limits.skills;
  if (max && (size_t)L->nskills >= max) {
    sb_cat_error(L, SB_E_LIMIT, L->file, xmlGetLineNo(node),
                 "more than %zu skills (the skills limit); raise it with "
                 "--limit skills=N", max);
    L->stop = L->broken = 1;
    return;
  }
  if (!GROW(L->skills, L->nskills, L->capskills) ||
      !GROW(L->rx, L->nrx, L->caprx))
    return;
  L->nrx++;
  sb_skill *sk = &L->skills[L->nskills];
  memset(sk, 0, sizeof *sk);
  sk->id = attr(L, node, "id");
  sk->name = attr_text(L, node, "name");
  sk->updated = attr(L, node, "updated");
  sk->domain = dom;
  sk->group = grp;
  sk->file = L->file;
  sk->line = xmlGetLineNo(node);
  walk_skill_body(L, node, sk, &L->rx[L->nskills]);
  L->nskills++;
}

static void walk_domain(sb_loader *L, xmlNode *node) {
  int dom = merge_domain(L, node);
  for (xmlNode *g = node->children; g && !L->stop; g = g->next) {
    if (!is_elem(g, "group") || !count_node(L, g))
      continue;
    int grp = merge_group(L, g, dom);
    for (xmlNode *s = g->children; s && !L->stop; s = s->next)
      if (is_elem(s, "skill") && count_node(L, s))
        walk_skill(L, s, dom, grp);
  }
}

/* ==== One file ==== */

static int walk_root(sb_loader *L, xmlNode *root) {
  if (!GROW(L->roots, L->nroots, L->caproots))
    return 0;  /* the walk stops */
  sb_root_info *r = &L->roots[L->nroots];
  r->file = L->file;
  r->line = xmlGetLineNo(root);
  r->title = attr_text(L, root, "title");
  r->version = attr_text(L, root, "version");
  r->author = attr_text(L, root, "author");
  r->lang = keep_xml(L, root,
                     xmlGetNsProp(root, (const xmlChar *)"lang",
                                  XML_XML_NAMESPACE), 1);
  return L->nroots++;
}

void sb_cat_walk_doc(sb_loader *L, xmlDoc *doc) {
  xmlNode *root = xmlDocGetRootElement(doc);
  if (!count_node(L, root))
    return;
  int ri = walk_root(L, root);
  for (xmlNode *n = root->children; n && !L->stop; n = n->next) {
    if (n->type != XML_ELEMENT_NODE || !count_node(L, n))
      continue;
    if (is_elem(n, "levels"))
      walk_levels(L, n, ri);
    else if (is_elem(n, "roles"))
      walk_roles(L, n, ri);
    else if (is_elem(n, "domain"))
      walk_domain(L, n);
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
  keyset ks;
  int skills;               /* skills seen: the scope of their expects */
  int errors;
} uniq;

static const char *const kind_name[] = {"level", "role", "domain", "group",
                                        "skill"};

/* Adds node's id as a key of this kind; returns the first key with the
** same id (to report when node ends), or -1. */
static int add_id(uniq *u, int kind, xmlNode *node) {
  const char *id = id_value(u->L, node, "id");
  return id ? keyset_add(&u->ks, kind, 0, id, NULL, xmlGetLineNo(node)) : -1;
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
  int dup = add_id(u, K_SKILL, skill);
  int q = 0, scope = u->skills++;
  EACH_CHILD(x, skill, &m_skill, q) {
    if (strcmp((const char *)x->name, "expect") != 0)
      continue;
    const char *lv = id_value(u->L, x, "level"), *ro = id_value(u->L, x, "role");
    long line = xmlGetLineNo(x);
    int first = lv && ro ? keyset_add(&u->ks, K_EXPECT, scope, lv, ro, line)
                         : -1;
    if (first >= 0) {
      sb_cat_dup_expect(u->L, u->L->file, line, lv, ro,
                        id_value(u->L, skill, "id"), u->ks.keys[first].line);
      u->errors++;
    }
  }
  report_id(u, K_SKILL, skill, dup);
}

/* Reports every duplicate key of the file; returns how many there are. */
int sb_cat_check_unique(sb_loader *L, xmlDoc *doc) {
  uniq u = {L, {NULL, 0, 0, NULL, 0}, 0, 0};
  int q = 0;
  xmlNode *root = xmlDocGetRootElement(doc);
  if (!root || !root->ns || strcmp((const char *)root->ns->href, CAT_NS) ||
      strcmp((const char *)root->name, "catalog"))
    return 0;  /* not a catalogue: the schema said so, no key applies */
  EACH_CHILD(c, root, &m_catalog, q) {
    int qc = 0;
    if (c->name[0] == 'l' || c->name[0] == 'r') {
      int kind = c->name[0] == 'l' ? K_LEVEL : K_ROLE;
      EACH_CHILD(n, c, kind == K_LEVEL ? &m_levels : &m_roles, qc)
        report_id(&u, kind, n, add_id(&u, kind, n));
      continue;
    }
    int dom = add_id(&u, K_DOMAIN, c);
    EACH_CHILD(g, c, &m_domain, qc) {
      int qg = 0;
      int grp = add_id(&u, K_GROUP, g);
      EACH_CHILD(s, g, &m_group, qg)
        check_skill(&u, s);
      report_id(&u, K_GROUP, g, grp);
    }
    report_id(&u, K_DOMAIN, c, dom);
  }
  free(u.ks.keys);
  free(u.ks.slot);
  return u.errors;
}


void sb_cat_drop_id_sets(sb_loader *L) {
  for (int i = 0; i < 2; i++) {
    keyset *ks = i ? L->group_ids : L->domain_ids;
    if (ks) {
      free(ks->keys);
      free(ks->slot);
      free(ks);
    }
  }
  L->domain_ids = L->group_ids = NULL;
}
