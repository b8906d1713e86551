/*
** catalog/walk.c -- walks one parsed catalogue file into the loader.
**
** The loader (load.c) hands every parsed and validated file here, after
** sb_cat_check_unique (unique.c) has checked its keys: sb_cat_walk_doc
** copies its levels, roles, domains, groups and skills into the loader's
** heap arrays, with every string in the catalogue's arena and every element
** counted against the nodes limit. Domains and groups with the same id in
** several files merge here (unique.c's hash sets of ids). A big file is
** walked the same way one element at a time as it is parsed, each subtree
** freed once walked (sb_cat_walk_stream, xml/stream.c), when it can be.
** Errors: every problem is a diagnostic (sb_cat_error).
** Tests: tests/unit/test_catalog.c, tests/bad/ (tests/cli/validate.sh),
** tests/cli/stream.sh
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

/* attr for an expect's level or role: a dozen distinct ids in 10,000
** expects (the large bench catalogue), each copied once into the arena
** and then shared (L->ids), not copied 20,000 times (320 KB of fresh
** pages on the main thread's path). The same value, the same checks. */
static const char *attr_id(sb_loader *L, xmlNode *node, const char *name) {
  enum { NIDS = sizeof L->ids / sizeof *L->ids };
  for (xmlAttr *a = node->properties; a; a = a->next) {
    if (strcmp((const char *)a->name, name) != 0)
      continue;
    const xmlNode *t = a->children;
    if (!t || t->next || t->type != XML_TEXT_NODE || !t->content)
      break;
    const char *v = (const char *)t->content;
    size_t n = strlen(v);
    size_t h = (size_t)sb_hash_fnv1a(v, n, SB_FNV1A_BASIS) & (NIDS - 1);
    if (L->ids[h] && strcmp(L->ids[h], v) == 0)
      return L->ids[h];
    const char *r = keep(L, node, v, n, 0);
    if (r)
      L->ids[h] = r;
    return r;
  }
  return attr(L, node, name);
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

/* ==== Domains, groups, skills ==== */

static int str_eq(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The keyset of the loader (domain or group ids), made on first use. */
static struct keyset *merge_set(struct keyset **ks) {
  if (!*ks)
    *ks = sb_cat_new_keyset();
  return *ks;
}

/* The domain with this id (merging a repeat); a repeat with another name is
** an error. Domains are added to L->domain_ids in index order, so a key's
** index is the domain's. */
static int merge_domain(sb_loader *L, xmlNode *node) {
  const char *id = attr(L, node, "id"), *name = attr_text(L, node, "name");
  long line = xmlGetLineNo(node);
  int i = sb_cat_keyset_add(merge_set(&L->domain_ids), SB_KEY_DOMAIN, 0,
                            id ? id : "", NULL, line);
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
  int i = sb_cat_keyset_add(merge_set(&L->group_ids), SB_KEY_GROUP, 0,
                            id ? id : "", NULL, line);
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
  x->level = attr_id(L, n, "level");
  x->role = attr_id(L, n, "role");
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

/* ==== One file as a stream ==== */

/* The streamed walk takes sb_cat_walk_doc's steps in the same order (so
** the same elements are counted, the same strings kept, the same indexes
** given), each when its element is there: the root, a domain and a group
** when they start (their attributes), levels, roles and a skill when they
** have ended (their whole subtree), after which xml/stream.c frees them.
** It checks the keys sb_cat_check_unique checks, on the model's copies of
** the ids (the tree's are freed): in a valid file every key is an id. */

typedef struct walk_pos {
  sb_loader *L;
  int root;                 /* the file's roots entry */
  int dom, grp;             /* the domain and group being read, or -1 */
  struct keyset *keys;      /* the file's level, role, domain, group and
                               skill ids */
  struct keyset *expects;   /* the (level, role) of the skill's expects */
  int dups;                 /* duplicate keys seen */
} walk_pos;

static void stream_key(walk_pos *w, int kind, const char *id) {
  if (id && sb_cat_keyset_add(w->keys, kind, 0, id, NULL, 0) >= 0)
    w->dups++;
}

/* -1 (stop: the tree path will say it) once anything was said */
static int said(const walk_pos *w) {
  const sb_loader *L = w->L;
  int any = L->ctx->ndiags || L->first != SB_OK || L->stop || L->broken ||
            w->dups;
  return any ? -1 : 0;
}

static int stream_start(void *arg, xmlNode *el, int depth) {
  walk_pos *w = arg;
  sb_loader *L = w->L;
  if (depth == 1) {
    if (count_node(L, el))
      w->root = walk_root(L, el);
  } else if (depth == 2) {
    if (count_node(L, el) && is_elem(el, "domain")) {
      w->dom = merge_domain(L, el);
      if (w->dom < L->ndomains) /* else no room: said */
        stream_key(w, SB_KEY_DOMAIN, L->domains[w->dom].id);
    }
  } else if (depth == 3 && w->dom >= 0 && is_elem(el, "group")) {
    if (count_node(L, el)) {
      w->grp = merge_group(L, el, w->dom);
      if (w->grp < L->ngroups)
        stream_key(w, SB_KEY_GROUP, L->groups[w->grp].id);
    }
  }
  return said(w);
}

static int stream_end(void *arg, xmlNode *el, int depth) {
  walk_pos *w = arg;
  sb_loader *L = w->L;
  if (depth == 2 && is_elem(el, "levels")) {
    int from = L->nlevels;
    walk_levels(L, el, w->root);
    for (int i = from; i < L->nlevels; i++)
      stream_key(w, SB_KEY_LEVEL, L->levels[i].id);
  } else if (depth == 2 && is_elem(el, "roles")) {
    int from = L->nroles;
    walk_roles(L, el, w->root);
    for (int i = from; i < L->nroles; i++)
      stream_key(w, SB_KEY_ROLE, L->roles[i].id);
  } else if (depth == 2) {
    w->dom = w->grp = -1;
  } else if (depth == 3 && w->dom >= 0) {
    w->grp = -1; /* a group (a level or a role waits for its list) */
  } else if (depth == 4 && w->grp >= 0 && is_elem(el, "skill")) {
    int s = L->nskills;
    if (count_node(L, el))
      walk_skill(L, el, w->dom, w->grp);
    if (s < L->nskills) {
      stream_key(w, SB_KEY_SKILL, L->skills[s].id);
      sb_cat_clear_keyset(w->expects);
      for (int i = 0; i < L->skills[s].nexpects; i++) {
        const sb_raw_expect *x = &L->rx[s][i];
        if (x->level && x->role &&
            sb_cat_keyset_add(w->expects, SB_KEY_EXPECT, 0, x->level, x->role,
                              0) >= 0)
          w->dups++;
      }
    }
  } else {
    return said(w); /* inside a skill, levels or roles: kept till its end */
  }
  return said(w) < 0 ? -1 : depth > 1;
}

int sb_cat_walk_stream(sb_loader *L, char *data, size_t len) {
  walk_pos w = {L, 0, -1, -1, sb_cat_new_keyset(), sb_cat_new_keyset(), 0};
  sb_xml_stream_hooks h = {&w, stream_start, stream_end};
  sb_status st = sb_xml_stream(L->ctx, L->file, data, len, sb_catalog_xsd, &h);
  sb_cat_drop_keyset(w.keys);
  sb_cat_drop_keyset(w.expects);
  return st == SB_OK && said(&w) == 0;
}
