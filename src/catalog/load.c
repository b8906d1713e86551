/*
** catalog/load.c -- walks catalogue files into the model.
**
** A catalogue is one file or a folder of *.xml files (not recursive, in
** byte order of names). Each file is read (capped by the file-bytes limit),
** parsed and validated by the xml reader, and walked into the loader's heap
** arrays; its xmlDoc is freed at once, so no libxml2 node outlives the walk.
** Domains and groups with the same id in several files merge. After every
** file has been read, validate.c checks the merged catalogue and the arrays
** are copied into the catalogue's arena.
** Errors: every problem is a diagnostic; the first one's kind is returned.
** Tests: tests/unit/test_catalog.c, tests/bad/ (tests/cli/validate.sh)
*/
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/tree.h>

#include "catalog/catalog-imp.h"
#include "xml/reader.h"

#define GROW(arr, n, cap)                                                  \
  do {                                                                     \
    if ((n) == (cap)) {                                                    \
      (cap) = (cap) ? (cap) * 2 : 16;                                      \
      (arr) = sb_xrealloc((arr), (size_t)(cap) * sizeof *(arr));           \
    }                                                                      \
  } while (0)

void sb_cat_error(sb_loader *L, sb_status code, const char *file, long line,
                  const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sb_diag_addv(L->ctx, SB_SEV_ERROR, code, file, line, 0, fmt, ap);
  va_end(ap);
  if (L->first == SB_OK)
    L->first = code;
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

/* The arena copy of s (freed with xmlFree), collapsed when asked. */
static const char *keep_xml(sb_loader *L, const xmlNode *node, xmlChar *s,
                            int collapse) {
  if (!s)
    return NULL;
  size_t n = collapse ? sb_xml_collapse((char *)s) : strlen((char *)s);
  const char *r = NULL;
  if (text_ok(L, node, n))
    r = sb_arena_strndup(L->cat->arena, (const char *)s, n);
  else
    L->broken = 1;
  xmlFree(s);
  return r;
}

/* An attribute as written (ids, dates), or NULL when absent. */
static const char *attr(sb_loader *L, xmlNode *node, const char *name) {
  return keep_xml(L, node, xmlGetProp(node, (const xmlChar *)name), 0);
}

/* An attribute that is printed text: white space collapsed. */
static const char *attr_text(sb_loader *L, xmlNode *node, const char *name) {
  return keep_xml(L, node, xmlGetProp(node, (const xmlChar *)name), 1);
}

static const char *content(sb_loader *L, xmlNode *node) {
  return keep_xml(L, node, xmlNodeGetContent(node), 1);
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
    GROW(L->levels, L->nlevels, L->caplevels);
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
    GROW(L->roles, L->nroles, L->caproles);
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

/* The domain with this id (merging a repeat), or -1 after an error. */
static int merge_domain(sb_loader *L, xmlNode *node) {
  const char *id = attr(L, node, "id"), *name = attr_text(L, node, "name");
  long line = xmlGetLineNo(node);
  for (int i = 0; i < L->ndomains; i++) {
    sb_domain *d = &L->domains[i];
    if (!str_eq(d->id, id))
      continue;
    if (!str_eq(d->name, name)) {
      sb_cat_error(L, SB_E_SCHEMA, L->file, line,
                   "domain '%s' is named '%s' here but '%s' at %s:%ld (a "
                   "domain repeated across files keeps one name)", id,
                   name ? name : "", d->name ? d->name : "", d->file,
                   d->line);
    }
    return i;
  }
  GROW(L->domains, L->ndomains, L->capdomains);
  sb_domain *d = &L->domains[L->ndomains];
  d->id = id;
  d->name = name;
  d->index = L->ndomains;
  d->file = L->file;
  d->line = line;
  return L->ndomains++;
}

static int merge_group(sb_loader *L, xmlNode *node, int dom) {
  const char *id = attr(L, node, "id"), *name = attr_text(L, node, "name");
  long line = xmlGetLineNo(node);
  for (int i = 0; i < L->ngroups; i++) {
    sb_group *g = &L->groups[i];
    if (!str_eq(g->id, id))
      continue;
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
  GROW(L->groups, L->ngroups, L->capgroups);
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

static void walk_expect(sb_loader *L, xmlNode *n, sb_raw_expect *x) {
  const char *m = attr(L, n, "mandatory");
  x->level = attr(L, n, "level");
  x->role = attr(L, n, "role");
  x->mandatory = m && strcmp(m, "true") == 0;
  x->text = content(L, n);
  x->line = xmlGetLineNo(n);
}

/* Fills the skill's summary, keywords and (unresolved) expects. */
static void walk_skill_body(sb_loader *L, xmlNode *node, sb_skill *sk,
                            sb_raw_expect **rx) {
  sb_arena *a = L->cat->arena;
  int nk = count_children(node, "keyword"), nx = count_children(node, "expect");
  sk->keywords = sb_arena_calloc(a, (size_t)(nk + 1) * sizeof *sk->keywords);
  *rx = sb_arena_calloc(a, (size_t)(nx + 1) * sizeof **rx);
  for (xmlNode *n = node->children; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE || !count_node(L, n))
      continue;
    if (is_elem(n, "summary"))
      sk->summary = content(L, n);
    else if (is_elem(n, "keyword"))
      sk->keywords[sk->nkeywords++] = content(L, n);
    else if (is_elem(n, "expect"))
      walk_expect(L, n, &(*rx)[sk->nexpects++]);
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
  GROW(L->skills, L->nskills, L->capskills);
  GROW(L->rx, L->nrx, L->caprx);
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
  GROW(L->roots, L->nroots, L->caproots);
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

static void walk_doc(sb_loader *L, xmlDoc *doc) {
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

/* Parses, validates and walks one file held in memory. */
static void load_mem(sb_loader *L, const char *name, const char *data,
                     size_t len) {
  xmlDoc *doc = NULL;
  L->file = sb_arena_strdup(L->cat->arena, name);
  sb_status st = sb_xml_parse(L->ctx, L->file, data, len, &doc);
  if (st == SB_OK)
    st = sb_xml_validate(L->ctx, L->file, doc, sb_catalog_xsd);
  if (st == SB_OK)
    walk_doc(L, doc);
  if (st != SB_OK) {
    L->broken = 1;
    if (L->first == SB_OK)
      L->first = st;
  }
  if (doc)
    xmlFreeDoc(doc);
}

static void load_file(sb_loader *L, const char *path) {
  char *data = NULL;
  size_t len = 0;
  int had_error = L->ctx->status != SB_OK;
  sb_status st = sb_read_file(L->ctx, path, L->ctx->limits.file_bytes, &data,
                              &len);
  if (st != SB_OK) {
    /* sb_read_file recorded "path: reason" with sb_fail; make it a
       diagnostic of this file so that validate lists it with the others. */
    const char *msg = L->ctx->errmsg;
    size_t k = strlen(path);
    if (strncmp(msg, path, k) == 0 && strncmp(msg + k, ": ", 2) == 0)
      msg += k + 2;
    sb_cat_error(L, st, path, 0, "%s", msg);
    if (!had_error)
      sb_ctx_clear_error(L->ctx);
    L->broken = 1;
    return;
  }
  load_mem(L, path, data, len);
  free(data);
}

/* ==== A folder ==== */

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_xml_name(const char *n) {
  size_t k = strlen(n);
  return n[0] != '.' && k > 4 && strcmp(n + k - 4, ".xml") == 0;
}

/* Every *.xml in dir (not hidden, not recursive), sorted by bytes. */
static sb_status list_folder(sb_loader *L, const char *dir, char ***out,
                             size_t *nout) {
  DIR *d = opendir(dir);
  if (!d)
    return sb_fail(L->ctx, SB_E_IO, "%s: %s", dir, strerror(errno));
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (!is_xml_name(e->d_name))
      continue;
    GROW(names, n, cap);
    names[n++] = sb_xstrdup(e->d_name);
  }
  closedir(d);
  if (n > 1)
    qsort(names, n, sizeof *names, cmp_names);
  *out = names;
  *nout = n;
  return SB_OK;
}

static char *join_path(const char *dir, const char *name) {
  size_t k = strlen(dir);
  int slash = k > 0 && dir[k - 1] == '/';
  char *p = sb_xmalloc(k + strlen(name) + 2);
  sprintf(p, "%s%s%s", dir, slash ? "" : "/", name);
  return p;
}

static void load_folder_files(sb_loader *L, const char *dir, char **names,
                              size_t n) {
  for (size_t i = 0; i < n && !L->stop; i++) {
    char *p = join_path(dir, names[i]);
    struct stat st;
    if (stat(p, &st) == 0 && !S_ISREG(st.st_mode))
      sb_cat_error(L, SB_E_IO, p, 0, "not a regular file");
    else
      load_file(L, p);
    free(p);
  }
}

static sb_status load_folder(sb_loader *L, const char *dir) {
  char **names = NULL;
  size_t n = 0;
  sb_status st = list_folder(L, dir, &names, &n);
  if (st)
    return st;
  if (n == 0)
    st = sb_fail(L->ctx, SB_E_IO, "%s: no *.xml file in this folder (a "
                 "catalogue folder holds one or more .xml files)", dir);
  else if (L->ctx->limits.files && n > L->ctx->limits.files)
    st = sb_fail(L->ctx, SB_E_LIMIT, "%s: %zu files is more than the files "
                 "limit (%zu); raise it with --limit files=N", dir, n,
                 L->ctx->limits.files);
  else
    load_folder_files(L, dir, names, n);
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  return st;
}

/* ==== Finishing: checks, then copy into the arena ==== */

static void *arena_copy(sb_arena *a, const void *p, size_t n) {
  void *r = sb_arena_alloc(a, n ? n : 1);
  if (n)
    memcpy(r, p, n);
  return r;
}

/* Orders groups by domain and skills by (domain, group), keeping the order
** of appearance otherwise: the order in print. */
static void order_for_print(sb_catalog *cat) {
  int *gmap = sb_xmalloc((size_t)(cat->ngroups + 1) * sizeof *gmap);
  sb_group *gs = sb_xmalloc((size_t)(cat->ngroups + 1) * sizeof *gs);
  int k = 0;
  for (int d = 0; d < cat->ndomains; d++)
    for (int g = 0; g < cat->ngroups; g++)
      if (cat->groups[g].domain == d) {
        gmap[g] = k;
        gs[k] = cat->groups[g];
        gs[k].index = k;
        k++;
      }
  memcpy(cat->groups, gs, (size_t)cat->ngroups * sizeof *gs);
  sb_skill *ss = sb_xmalloc((size_t)(cat->nskills + 1) * sizeof *ss);
  k = 0;
  for (int g = 0; g < cat->ngroups; g++)
    for (int s = 0; s < cat->nskills; s++)
      if (gmap[cat->skills[s].group] == g) {
        ss[k] = cat->skills[s];
        ss[k].group = g;
        ss[k].index = k;
        k++;
      }
  memcpy(cat->skills, ss, (size_t)cat->nskills * sizeof *ss);
  free(ss);
  free(gs);
  free(gmap);
}

/* Copies the loader's arrays into the catalogue (the expects are already
** in the arena, resolved by validate.c). */
static void publish(sb_loader *L) {
  sb_catalog *cat = L->cat;
  sb_arena *a = cat->arena;
  cat->levels = arena_copy(a, L->levels, (size_t)L->nlevels * sizeof *L->levels);
  cat->nlevels = L->nlevels;
  cat->roles = arena_copy(a, L->roles, (size_t)L->nroles * sizeof *L->roles);
  cat->nroles = L->nroles;
  cat->domains = arena_copy(a, L->domains,
                            (size_t)L->ndomains * sizeof *L->domains);
  cat->ndomains = L->ndomains;
  cat->groups = arena_copy(a, L->groups, (size_t)L->ngroups * sizeof *L->groups);
  cat->ngroups = L->ngroups;
  cat->skills = arena_copy(a, L->skills, (size_t)L->nskills * sizeof *L->skills);
  cat->nskills = L->nskills;
  if (L->levels_root >= 0) {
    const sb_root_info *r = &L->roots[L->levels_root];
    cat->title = r->title;
    cat->version = r->version;
    cat->author = r->author;
    cat->lang = r->lang;
  }
  if (!cat->lang)
    cat->lang = "en";
  order_for_print(cat);
  /* no content hashes: sb_cat_compute_hashes, for the batch */
}

static void check_all(sb_loader *L, const char *path) {
  sb_cat_check_declared(L, path);
  sb_cat_check_roots(L);
  sb_cat_check_dup_skills(L);
  sb_cat_resolve_expects(L);
  sb_cat_warn_gaps(L);
}

static void loader_free(sb_loader *L) {
  free(L->levels);
  free(L->roles);
  free(L->domains);
  free(L->groups);
  free(L->skills);
  free(L->rx);
  free(L->roots);
}

static void loader_init(sb_loader *L, sb_ctx *ctx, const char *path) {
  memset(L, 0, sizeof *L);
  L->ctx = ctx;
  L->cat = sb_xcalloc(1, sizeof *L->cat);
  L->cat->arena = sb_new_arena(0);
  L->cat->path = sb_arena_strdup(L->cat->arena, path);
  L->levels_root = L->roles_root = -1;
}

/* Runs the checks and hands out the catalogue, or drops it. */
static sb_status finish(sb_loader *L, sb_status st, const char *path,
                        sb_catalog **out) {
  if (st == SB_OK && !L->broken)
    check_all(L, path);
  if (st == SB_OK && L->first == SB_OK) {
    publish(L);
    *out = L->cat;
  } else {
    if (st == SB_OK) {
      st = L->first;
      sb_fail(L->ctx, st, "%s: %s (%zu error%s)", path,
              st == SB_E_LIMIT ? "over a size limit" : "invalid catalogue",
              L->ctx->nerrors, L->ctx->nerrors == 1 ? "" : "s");
    }
    sb_drop_catalog(L->cat);
  }
  loader_free(L);
  return st;
}

sb_status sb_load_catalog(sb_ctx *ctx, const char *path, sb_catalog **out) {
  sb_loader L;
  struct stat sbuf;
  *out = NULL;
  if (stat(path, &sbuf) != 0)
    return sb_fail(ctx, SB_E_IO, "%s: %s", path,
                   errno == ENOENT ? "no such file or directory"
                                   : strerror(errno));
  loader_init(&L, ctx, path);
  sb_status st = SB_OK;
  if (S_ISDIR(sbuf.st_mode))
    st = load_folder(&L, path);
  else
    load_file(&L, path);
  return finish(&L, st, path, out);
}

sb_status sb_load_catalog_mem(sb_ctx *ctx, const char *name, const char *data,
                              size_t len, sb_catalog **out) {
  sb_loader L;
  *out = NULL;
  loader_init(&L, ctx, name);
  if (ctx->limits.file_bytes && len > ctx->limits.file_bytes) {
    sb_status st = sb_fail(ctx, SB_E_LIMIT, "%s: %zu bytes is over the "
                           "file-bytes limit (%zu); raise it with --limit "
                           "file-bytes=N", name, len, ctx->limits.file_bytes);
    return finish(&L, st, name, out);
  }
  load_mem(&L, name, data, len);
  return finish(&L, SB_OK, name, out);
}

void sb_drop_catalog(sb_catalog *cat) {
  if (!cat)
    return;
  sb_drop_arena(cat->arena);
  free(cat);
}
