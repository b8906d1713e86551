/*
** catalog/load.c -- reads catalogue files and folders into the model.
**
** A catalogue is one file or a folder of *.xml files (not recursive, in
** byte order of names). Each file is read (capped by the file-bytes limit),
** parsed and validated by the xml reader, checked for duplicate keys (the
** schema's xs:unique, which the compiled-in schema leaves out:
** sb_cat_check_unique) and walked into the loader's heap arrays
** (sb_cat_walk_doc, both in walk.c); for the first file, the validation
** runs on a helper thread meanwhile (overlapped, xml/validate-bg.c), with
** the same diagnostics in the same order. Its xmlDoc, built in a region of
** its own (sb_xml_parse_region), is dropped at once after the join (by the
** helper, as soon as both are done, when the validation is left pending),
** so no libxml2 node outlives the walk and the validation. A file's bytes are freed as soon as it is parsed.
** sb_load_catalog_pending may return before that validation ends, its
** result and the diagnostics held back until sb_cat_settle (the section
** "The validation left pending"; the document commands lay out meanwhile).
** After every file has been read, validate.c checks the merged catalogue
** and the arrays are copied into the catalogue's arena.
** Errors: every problem is a diagnostic; the first one's kind is returned.
** Tests: tests/unit/test_catalog.c, tests/bad/ (tests/cli/validate.sh)
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "catalog/catalog-imp.h"
#include "xml/reader.h"

void sb_cat_error(sb_loader *L, sb_status code, const char *file, long line,
                  const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sb_diag_addv(L->ctx, SB_SEV_ERROR, code, file, line, 0, fmt, ap);
  va_end(ap);
  if (L->first == SB_OK)
    L->first = code;
}

/* ==== Validation on a helper thread, the walk meanwhile ==== */

/* Whether the loader holds nothing of any file yet (the first file of a
** catalogue): a walk into it is then undone by reset_loader. */
static int pristine(const sb_loader *L) {
  return L->first == SB_OK && !L->broken && !L->stop && L->nodes == 0 &&
         L->nlevels == 0 && L->nroles == 0 && L->ndomains == 0 &&
         L->ngroups == 0 && L->nskills == 0 && L->nrx == 0 &&
         L->nroots == 0 && L->levels_root < 0 && L->roles_root < 0 &&
         !L->domain_ids && !L->group_ids;
}

/* Undoes a walk into a pristine loader: back to what loader_init made
** (the strings the walk copied stay in the arena, unused). */
static void loader_free(sb_loader *L);
static void hold(sb_loader *L, sb_xml_bg *bg, sb_ctx *side);

static void reset_loader(sb_loader *L) {
  loader_free(L);
  sb_ctx *ctx = L->ctx;
  sb_catalog *cat = L->cat;
  const char *file = L->file;
  memset(L, 0, sizeof *L);
  L->ctx = ctx;
  L->cat = cat;
  L->file = file;
  L->levels_root = L->roles_root = -1;
}

/* Adds diagnostics [from, to) of src to dst, in order. */
static void add_diags(sb_ctx *dst, const sb_ctx *src, size_t from, size_t to) {
  for (size_t i = from; i < to; i++) {
    const sb_diag *d = &src->diags[i];
    sb_diag_add(dst, d->sev, d->code, d->file, d->line, d->col, "%s", d->msg);
  }
}

/* What the one-thread order does (validate, then the unique keys, then the
** walk when both passed), with the validation on a helper thread while
** this one checks the keys and walks, each file's diagnostics in the same
** order: the helper's first, then the keys', then the walk's, which are
** dropped, with everything the walk did, when the validation failed. Only
** for the first file of a catalogue (a walk into an empty loader can be
** undone), never in the test build (its allocation failures are counted
** in order, on one thread). Returns 0, having done nothing, when the
** helper cannot start: then the caller runs the one-thread order; 1 when
** it ran. With pend_ok and no duplicate key, the validation is held
** (hold), not joined, and the tree given to the helper, which frees it
** (*docp NULL); otherwise the caller frees it after the join, as before
** (a join that waited for the helper's free took longer), and the helper
** is told so early (keep), so that it ends as soon as it has validated. */
static int overlapped(sb_loader *L, xmlDoc **docp, sb_status *st) {
  xmlDoc *doc = *docp;
  if (sb_hooks || !pristine(L))
    return 0;
  sb_xml_bg *bg = sb_xml_validate_start(L->ctx, L->file, doc, sb_catalog_xsd);
  if (!bg)
    return 0;
  if (!L->pend_ok) /* joined below: the helper need not wait for a word */
    sb_xml_validate_keep(bg);
  sb_ctx *ctx = L->ctx, side;
  sb_ctx_init(&side); /* the keys' and the walk's diagnostics, held back */
  side.limits = ctx->limits;
  side.quiet = ctx->quiet;
  L->ctx = &side;
  int dups = sb_cat_check_unique(L, doc);
  size_t keys = side.ndiags;
  if (dups)
    sb_xml_validate_keep(bg); /* joined below too */
  else
    sb_cat_walk_doc(L, doc);
  L->ctx = ctx;
  if (!dups && L->pend_ok) {
    /* read no more: the helper frees the tree once it has validated */
    sb_xml_validate_give(bg);
    *docp = NULL;
    hold(L, bg, &side); /* joined by finish or by the caller */
    *st = SB_OK;
    return 1;
  }
  *st = sb_xml_validate_join(ctx, bg);
  add_diags(ctx, &side, 0, keys);
  if (dups && *st == SB_OK)
    *st = SB_E_SCHEMA;
  if (*st == SB_OK) {
    add_diags(ctx, &side, keys, side.ndiags);
  } else if (!dups) {
    reset_loader(L); /* as if not walked: no key errors, so first is OK */
  }
  sb_ctx_free(&side);
  return 1;
}

/* sb_cat_set_xml_gate's: called before this thread enters libxml2. */
static void (*xml_gate)(void);

void sb_cat_set_xml_gate(void (*gate)(void)) {
  /* libxml2's process-wide set-up, here, before any helper: the thread
  ** that makes it is the one libxml2 takes for the main thread */
  if (gate)
    xmlInitParser();
  xml_gate = gate;
}

static void pass_gate(void) {
  if (xml_gate)
    xml_gate();
}

void sb_cat_warm_schema(void) { sb_xml_schema_warm(sb_catalog_xsd); }

/* Parses, validates and walks one file held in memory. owned is data when
** the bytes are the loader's (a file it read), else NULL; they are freed
** as soon as libxml2 has parsed them, so that the tree and the model never
** share the peak with them (17.6 MB of the xl catalogue). The tree lives
** in a region of its own (xml/region.c), dropped at once after the walk
** (by the validation helper when the validation is left pending). */
static void load_mem(sb_loader *L, const char *name, const char *data,
                     size_t len, char *owned) {
  xmlDoc *doc = NULL;
  L->file = sb_arena_strdup(L->cat->arena, name);
  const char *kind = sb_guess_format(data, len);
  if (kind) {
    /* not XML at all: say what it looks like, not libxml2's "Start tag
       expected", and where to go from there */
    sb_cat_error(L, SB_E_XML, L->file, 1,
                 "not an XML catalogue: this looks like %s. skillbook reads "
                 "catalogue XML (catalog/FORMAT.md); 'skillbook import %s -o "
                 "catalog.xml' converts a spreadsheet's CSV", kind, name);
    L->broken = 1;
    free(owned);
    return;
  }
  pass_gate();
  sb_status st =
      owned ? sb_xml_parse_region_owned(L->ctx, L->file, owned, len, &doc)
            : sb_xml_parse_region(L->ctx, L->file, data, len, &doc);
  free(owned);
  if (st == SB_OK && !overlapped(L, &doc, &st)) {
    st = sb_xml_validate(L->ctx, L->file, doc, sb_catalog_xsd);
    if (sb_cat_check_unique(L, doc) && st == SB_OK)
      st = SB_E_SCHEMA;
    if (st == SB_OK)
      sb_cat_walk_doc(L, doc);
  }
  if (st != SB_OK) {
    L->broken = 1;
    if (L->first == SB_OK)
      L->first = st;
  }
  sb_xml_free_doc(doc, len);
}

/* ==== A big file as a stream ==== */

/* Files of this many bytes or more are streamed: 8 MB, or
** SKILLBOOK_STREAM_BYTES=N (0: never), which lets tests stream any file. */
static size_t stream_bytes(void) {
  const char *v = getenv("SKILLBOOK_STREAM_BYTES");
  char *end;
  unsigned long long n = v && *v ? strtoull(v, &end, 10) : 0;
  if (!v || !*v || *end)
    return (size_t)8 << 20;
  return n == 0 || n > SIZE_MAX ? SIZE_MAX : (size_t)n;
}

static void drop_arena(void *a) { sb_drop_arena(a); }

/* The first file of a catalogue streamed (walk.c's sb_cat_walk_stream): no
** tree of the whole file (77 MB for the 17.6 MB xl catalogue), only the
** model, the subtree being read and 4 KB of the file. Returns 1 when it
** is loaded with nothing said; else 0, L as it was and nothing added to
** L->ctx (the attempt had its own context and arena, both dropped): the
** tree path loads the file again and says what it says, as always. Frees
** data. */
static int load_streamed(sb_loader *L, const char *path, char *data,
                         size_t len) {
  sb_ctx *ctx = L->ctx, side;
  sb_arena *before = L->cat->arena; /* the path and the texts' role */
  sb_ctx_init(&side);
  side.limits = ctx->limits;
  side.quiet = ctx->quiet;
  L->ctx = &side;
  L->cat->arena = sb_new_arena(0);
  L->file = sb_arena_strdup(L->cat->arena, path);
  pass_gate();
  int ok = sb_cat_walk_stream(L, data, len) && side.ndiags == 0 &&
           side.status == SB_OK;
  free(data);
  L->ctx = ctx;
  sb_ctx_free(&side);
  if (ok) {
    sb_arena_on_drop(L->cat->arena, drop_arena, before);
    return 1;
  }
  sb_drop_arena(L->cat->arena);
  L->cat->arena = before;
  const char *role = L->texts_role, *skill = L->texts_skill;
  reset_loader(L);
  L->texts_role = role; /* what reset_loader does not keep */
  L->texts_skill = skill;
  L->file = NULL;
  return 0;
}

static void load_file(sb_loader *L, const char *path) {
  char *data = NULL;
  size_t len = 0;
  int had_error = L->ctx->status != SB_OK;
  data = sb_read_regular(path, L->ctx->limits.file_bytes, &len);
  if (data && len >= stream_bytes() && pristine(L)) {
    if (load_streamed(L, path, data, len))
      return;
    data = sb_read_regular(path, L->ctx->limits.file_bytes, &len); /* again */
  }
  if (data) {
    load_mem(L, path, data, len, data);
    return;
  }
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
  load_mem(L, path, data, len, data);
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
    if (SB_GROW(names, n, cap, 16, SIZE_MAX))
      break;  /* more names than memory holds: cannot happen first */
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
** of appearance otherwise: the order in print. Two stable counting sorts,
** in time groups + domains + skills (not domains x groups + groups x
** skills). */
static void order_for_print(sb_catalog *cat) {
  int nd = cat->ndomains, ng = cat->ngroups, ns = cat->nskills;
  int *start = sb_xcalloc((size_t)(nd > ng ? nd : ng) + 1, sizeof *start);
  int *gmap = sb_xmalloc((size_t)(ng + 1) * sizeof *gmap);
  sb_group *gs = sb_xmalloc((size_t)(ng + 1) * sizeof *gs);
  sb_skill *ss = sb_xmalloc((size_t)(ns + 1) * sizeof *ss);
  for (int g = 0; g < ng; g++)  /* groups by domain */
    start[cat->groups[g].domain + 1]++;
  for (int d = 0; d < nd; d++)
    start[d + 1] += start[d];
  for (int g = 0; g < ng; g++) {
    int k = start[cat->groups[g].domain]++;
    gmap[g] = k;
    gs[k] = cat->groups[g];
    gs[k].index = k;
  }
  memcpy(cat->groups, gs, (size_t)ng * sizeof *gs);
  memset(start, 0, (size_t)(ng + 1) * sizeof *start);
  for (int s = 0; s < ns; s++)  /* skills by their group's new place */
    start[gmap[cat->skills[s].group] + 1]++;
  for (int g = 0; g < ng; g++)
    start[g + 1] += start[g];
  for (int s = 0; s < ns; s++) {
    int g = gmap[cat->skills[s].group], k = start[g]++;
    ss[k] = cat->skills[s];
    ss[k].group = g;
    ss[k].index = k;
  }
  memcpy(cat->skills, ss, (size_t)ns * sizeof *ss);
  free(ss);
  free(gs);
  free(gmap);
  free(start);
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
  sb_cat_drop_id_sets(L);
}

static void loader_init(sb_loader *L, sb_ctx *ctx, const char *path) {
  memset(L, 0, sizeof *L);
  L->ctx = ctx;
  L->cat = sb_xcalloc(1, sizeof *L->cat);
  L->cat->arena = sb_new_arena(0);
  L->cat->path = sb_arena_strdup(L->cat->arena, path);
  L->levels_root = L->roles_root = -1;
}

/* ==== The validation left pending (sb_load_catalog_pending) ==== */

struct sb_cat_pending {
  sb_xml_bg *bg;    /* the first file's validation, still running */
  sb_ctx side;      /* the keys', the walk's and the checks' diagnostics */
  sb_status first;  /* what the load gives when the schema passes */
  char *path;       /* the catalogue, for the failure's message */
};

/* The message the load fails with, after its diagnostics (finish). */
static sb_status fail_load(sb_ctx *ctx, sb_status st, const char *path) {
  return sb_fail(ctx, st, "%s: %s (%zu error%s)", path,
                 st == SB_E_LIMIT ? "over a size limit" : "invalid catalogue",
                 ctx->nerrors, ctx->nerrors == 1 ? "" : "s");
}

/* overlapped, for a load that may return before the validation ends: the
** walk's diagnostics (side) are kept with the validation, not joined. */
static void hold(sb_loader *L, sb_xml_bg *bg, sb_ctx *side) {
  sb_cat_pending *p = sb_xcalloc(1, sizeof *p);
  p->bg = bg;
  p->side = *side; /* moved */
  L->pend = p;
}

/* finish() for a load whose validation is held: the checks run into the
** held diagnostics, after the walk's. When the load succeeds if the
** schema passes, the catalogue is handed out with the validation pending;
** otherwise it fails whatever the schema says, and is settled now (the
** schema's errors, when it failed, replace the walk's and the checks'). */
static sb_status finish_held(sb_loader *L, const char *path,
                             sb_catalog **out, sb_cat_pending **pending) {
  sb_cat_pending *p = L->pend;
  sb_ctx *ctx = L->ctx;
  L->pend = NULL;
  L->ctx = &p->side;
  if (!L->broken)
    check_all(L, path);
  L->ctx = ctx;
  p->first = L->first;
  p->path = sb_xstrdup(path);
  sb_status st = SB_OK;
  if (p->first == SB_OK) {
    publish(L);
    *out = L->cat;
    *pending = p;
  } else {
    st = sb_cat_settle(ctx, p);
    sb_drop_catalog(L->cat);
  }
  loader_free(L);
  return st;
}

sb_status sb_cat_settle(sb_ctx *ctx, sb_cat_pending *p) {
  if (!p)
    return SB_OK;
  sb_status st = sb_xml_validate_join(ctx, p->bg);
  if (st == SB_OK) /* as when the walk's diagnostics followed the join */
    add_diags(ctx, &p->side, 0, p->side.ndiags);
  else /* as when an invalid file was not walked: the schema's alone */
    p->first = st;
  if (p->first != SB_OK)
    fail_load(ctx, p->first, p->path);
  st = p->first;
  sb_ctx_free(&p->side);
  free(p->path);
  free(p);
  return st;
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
      fail_load(L->ctx, st, path);
    }
    sb_drop_catalog(L->cat);
  }
  loader_free(L);
  return st;
}

sb_status sb_load_catalog(sb_ctx *ctx, const char *path, sb_catalog **out) {
  return sb_load_catalog_texts(ctx, path, NULL, NULL, out);
}

/* sb_load_catalog_texts; with pending not NULL, a single file's
** validation may be left running (sb_load_catalog_pending). */
static sb_status load_path(sb_ctx *ctx, const char *path, const char *role,
                           const char *skill, sb_catalog **out,
                           sb_cat_pending **pending) {
  sb_loader L;
  struct stat sbuf;
  *out = NULL;
  if (stat(path, &sbuf) != 0)
    return sb_fail(ctx, SB_E_IO, "%s: %s", path,
                   errno == ENOENT ? "no such file or directory"
                                   : strerror(errno));
  loader_init(&L, ctx, path);
  if (role)
    L.texts_role = L.cat->texts_role = sb_arena_strdup(L.cat->arena, role);
  if (skill)
    L.texts_skill = L.cat->texts_skill = sb_arena_strdup(L.cat->arena, skill);
  sb_status st = SB_OK;
  if (S_ISDIR(sbuf.st_mode)) {
    st = load_folder(&L, path);
  } else {
    L.pend_ok = pending != NULL;
    load_file(&L, path);
  }
  if (L.pend)
    return finish_held(&L, path, out, pending);
  return finish(&L, st, path, out);
}

sb_status sb_load_catalog_texts(sb_ctx *ctx, const char *path,
                                const char *role, const char *skill,
                                sb_catalog **out) {
  return load_path(ctx, path, role, skill, out, NULL);
}

sb_status sb_load_catalog_pending(sb_ctx *ctx, const char *path,
                                  const char *role, const char *skill,
                                  sb_catalog **out, sb_cat_pending **pending) {
  *pending = NULL;
  return load_path(ctx, path, role, skill, out, pending);
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
  load_mem(&L, name, data, len, NULL);
  return finish(&L, SB_OK, name, out);
}

void sb_drop_catalog(sb_catalog *cat) {
  if (!cat)
    return;
  sb_drop_arena(cat->arena);
  free(cat);
}
