/*
** tests/unit/test_stream.c -- the streamed load of a big catalogue file.
**
** xml/stream.c (a file parsed and validated as a stream, each finished
** element handed to hooks and freed) and catalog/walk.c's
** sb_cat_walk_stream: it loads a good file with nothing said, and says
** something (so that the loader goes back to the tree path) for every kind
** of problem; and the loader's streamed model (SKILLBOOK_STREAM_BYTES=1)
** is the tree path's, field by field, lines and files included, for the
** bundled catalogue, the examples, the golden catalogue and the real
** catalogues of the reference folder when it is there.
** tests/cli/stream.sh checks the program's outputs and diagnostics.
*/
#include <dirent.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog-imp.h"
#include "check.h"
#include "skillbook/catalog.h"
#include "xml/reader.h"

static const char *src_dir(void) {
  const char *d = getenv("SKILLBOOK_DATA");
  return d && *d ? d : ".";
}

static void check_streams(const char *path);

/* ==== The same model ==== */

static int same_str(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

#define SAME_STR(a, b) CHECK(same_str((a), (b)))

/* Every field the loader fills, lines and files included. */
static void check_same_model(const sb_catalog *a, const sb_catalog *b) {
  SAME_STR(a->title, b->title);
  SAME_STR(a->version, b->version);
  SAME_STR(a->author, b->author);
  SAME_STR(a->lang, b->lang);
  SAME_STR(a->path, b->path);
  SAME_STR(a->texts_role, b->texts_role);
  CHECK_EQ_INT(a->nlevels, b->nlevels);
  CHECK_EQ_INT(a->nroles, b->nroles);
  CHECK_EQ_INT(a->ndomains, b->ndomains);
  CHECK_EQ_INT(a->ngroups, b->ngroups);
  CHECK_EQ_INT(a->nskills, b->nskills);
  if (a->nlevels != b->nlevels || a->nroles != b->nroles ||
      a->ndomains != b->ndomains || a->ngroups != b->ngroups ||
      a->nskills != b->nskills)
    return;
  int bad = 0;
  for (int i = 0; i < a->nlevels; i++) {
    const sb_level *x = &a->levels[i], *y = &b->levels[i];
    bad += !same_str(x->id, y->id) || !same_str(x->name, y->name) ||
           x->index != y->index || !same_str(x->file, y->file) ||
           x->line != y->line;
  }
  for (int i = 0; i < a->nroles; i++) {
    const sb_role *x = &a->roles[i], *y = &b->roles[i];
    bad += !same_str(x->id, y->id) || !same_str(x->name, y->name) ||
           x->index != y->index || !same_str(x->file, y->file) ||
           x->line != y->line;
  }
  for (int i = 0; i < a->ndomains; i++) {
    const sb_domain *x = &a->domains[i], *y = &b->domains[i];
    bad += !same_str(x->id, y->id) || !same_str(x->name, y->name) ||
           x->index != y->index || !same_str(x->file, y->file) ||
           x->line != y->line;
  }
  for (int i = 0; i < a->ngroups; i++) {
    const sb_group *x = &a->groups[i], *y = &b->groups[i];
    bad += !same_str(x->id, y->id) || !same_str(x->name, y->name) ||
           x->index != y->index || x->domain != y->domain ||
           !same_str(x->file, y->file) || x->line != y->line;
  }
  for (int i = 0; i < a->nskills; i++) {
    const sb_skill *x = &a->skills[i], *y = &b->skills[i];
    int d = !same_str(x->id, y->id) || !same_str(x->name, y->name) ||
            x->index != y->index || x->domain != y->domain ||
            x->group != y->group || !same_str(x->summary, y->summary) ||
            !same_str(x->updated, y->updated) ||
            !same_str(x->file, y->file) || x->line != y->line ||
            x->nkeywords != y->nkeywords || x->nexpects != y->nexpects;
    for (int k = 0; !d && k < x->nkeywords; k++)
      d = !same_str(x->keywords[k], y->keywords[k]);
    for (int k = 0; !d && k < x->nexpects; k++) {
      const sb_expect *e = &x->expects[k], *f = &y->expects[k];
      d = e->level != f->level || e->role != f->role ||
          e->mandatory != f->mandatory || !same_str(e->text, f->text) ||
          e->line != f->line;
      if (!d && x->byrole && y->byrole)
        d = x->byrole[k] != y->byrole[k];
    }
    if (d)
      fprintf(stderr, "skill %d (%s) differs\n", i, x->id ? x->id : "?");
    bad += d;
  }
  CHECK_EQ_INT(bad, 0);
}

static void check_same_diags(const sb_ctx *a, const sb_ctx *b) {
  CHECK_EQ_INT((long)a->ndiags, (long)b->ndiags);
  for (size_t i = 0; i < a->ndiags && i < b->ndiags; i++) {
    CHECK_STR(a->diags[i].msg, b->diags[i].msg);
    SAME_STR(a->diags[i].file, b->diags[i].file);
    CHECK_EQ_INT(a->diags[i].line, b->diags[i].line);
    CHECK_EQ_INT(a->diags[i].col, b->diags[i].col);
    CHECK_EQ_INT(a->diags[i].sev, b->diags[i].sev);
  }
}

/* path loaded on the tree path and streamed (whole, and with one role's
** texts): the same status, diagnostics and model. */
static void check_both_ways(const char *path, const char *role) {
  sb_ctx c1, c2;
  sb_catalog *t = NULL, *s = NULL;
  sb_ctx_init(&c1);
  sb_ctx_init(&c2);
  setenv("SKILLBOOK_STREAM_BYTES", "0", 1);
  sb_status st1 = sb_load_catalog_texts(&c1, path, role, NULL, &t);
  setenv("SKILLBOOK_STREAM_BYTES", "1", 1);
  sb_status st2 = sb_load_catalog_texts(&c2, path, role, NULL, &s);
  unsetenv("SKILLBOOK_STREAM_BYTES");
  CHECK_EQ_INT(st1, st2);
  check_same_diags(&c1, &c2);
  if (t && s)
    check_same_model(t, s);
  else
    CHECK(!t && !s);
  sb_drop_catalog(t);
  sb_drop_catalog(s);
  sb_ctx_free(&c1);
  sb_ctx_free(&c2);
}

static void test_same_models(void) {
  const char *rel[] = {"catalog", "catalog/00-ladder.xml",
                       "catalog/20-software-engineering.xml",
                       "catalog/examples/es/catalog.xml",
                       "catalog/examples/ru/catalog.xml",
                       "tests/golden/golden.xml"};
  char p[1024];
  for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
    snprintf(p, sizeof p, "%s/%s", src_dir(), rel[i]);
    check_both_ways(p, NULL);
    check_both_ways(p, "sre");
    if (strstr(rel[i], ".xml"))
      check_streams(p);
  }
  const char *ref = getenv("SHARED");
  char dir[1024];
  DIR *d = NULL;
  if (ref && *ref) {
    snprintf(dir, sizeof dir, "%s/data/real", ref);
    d = opendir(dir);
  }
  if (!d) {
    printf("skipped: the real catalogues (no reference folder)\n");
    return;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t k = strlen(e->d_name);
    if (k < 5 || strcmp(e->d_name + k - 4, ".xml") != 0)
      continue;
    if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) >= (int)sizeof p)
      continue;
    check_both_ways(p, NULL);
    check_streams(p);
  }
  closedir(d);
}

/* ==== sb_cat_walk_stream itself ==== */

static const char *HEAD =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<catalog xmlns=\"urn:skillbook:catalog:1\" title=\"T\">\n"
    "  <levels><level id=\"junior\" name=\"Junior\"/>"
    "<level id=\"senior\" name=\"Senior\"/></levels>\n"
    "  <roles><role id=\"dev\" name=\"Developer\"/></roles>\n"
    "  <domain id=\"eng\" name=\"Engineering\">\n"
    "    <group id=\"g\" name=\"G\">\n";

/* Walks len bytes of data (freed) as a stream into a fresh loader;
** returns what sb_cat_walk_stream returned, *nskills the skills walked. */
static int stream_data(char *data, size_t len, int *nskills) {
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  sb_loader L;
  memset(&L, 0, sizeof L);
  L.ctx = &ctx;
  L.cat = calloc(1, sizeof *L.cat);
  L.cat->arena = sb_new_arena(0);
  L.levels_root = L.roles_root = -1;
  L.file = "t.xml";
  int ok = sb_cat_walk_stream(&L, data, len);
  *nskills = L.nskills;
  free(data);
  free(L.levels);
  free(L.roles);
  free(L.domains);
  free(L.groups);
  free(L.skills);
  free(L.rx);
  free(L.roots);
  sb_cat_drop_id_sets(&L);
  sb_drop_catalog(L.cat);
  sb_ctx_free(&ctx);
  return ok;
}

/* As stream_data, for HEAD, body, then the closing tags. */
static int stream_text(const char *body, int *nskills) {
  sb_buf b;
  sb_buf_init(&b);
  sb_buf_printf(&b, "%s%s    </group>\n  </domain>\n</catalog>\n", HEAD, body);
  char *data = malloc(b.n + 1);
  memcpy(data, b.p, b.n);
  size_t len = b.n;
  sb_buf_free(&b);
  return stream_data(data, len, nskills);
}

/* The file at path streams with nothing said (so the loader took the
** streamed path for it in check_both_ways). */
static void check_streams(const char *path) {
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  char *data = NULL;
  size_t len = 0;
  int n = -1;
  CHECK_EQ_INT(sb_read_file(&ctx, path, (size_t)1 << 30, &data, &len), SB_OK);
  if (data)
    CHECK(stream_data(data, len, &n) == 1);
  sb_ctx_free(&ctx);
}

static void test_walk_stream(void) {
  int n = 0;
  const char *good =
      "      <skill id=\"a\" name=\"A\"><summary>Sum.</summary>"
      "<keyword>k</keyword><expect level=\"junior\" role=\"dev\">Does "
      "A.</expect><expect level=\"senior\" role=\"dev\">More.</expect>"
      "</skill>\n"
      "      <skill id=\"b\" name=\"B\"><expect level=\"junior\" "
      "role=\"dev\">Does B.</expect></skill>\n";
  CHECK(stream_text(good, &n) == 1);
  CHECK_EQ_INT(n, 2);
  /* each of these is something the tree path reports */
  const char *bad[] = {
      /* a duplicate skill id (xs:unique) */
      "      <skill id=\"a\" name=\"A\"/>\n      <skill id=\"a\" "
      "name=\"A2\"/>\n",
      /* two expects of one skill for one (level, role) */
      "      <skill id=\"a\" name=\"A\"><expect level=\"junior\" "
      "role=\"dev\">x</expect><expect level=\"junior\" role=\"dev\">y"
      "</expect></skill>\n",
      /* a schema error: an attribute the schema does not know */
      "      <skill id=\"a\" name=\"A\" bogus=\"1\"/>\n",
      /* a schema error at the end of an element: a missing name */
      "      <skill id=\"a\"/>\n",
      /* not well-formed */
      "      <skill id=\"a\" name=\"A\">\n",
      /* a bad id */
      "      <skill id=\"A B\" name=\"A\"/>\n",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    int r = stream_text(bad[i], &n);
    if (r != 0)
      fprintf(stderr, "bad case %zu streamed\n", i);
    CHECK(r == 0);
  }
}

/* ==== xml/stream.c: hooks and freeing ==== */

typedef struct counts {
  int starts, ends, freed_seen, stop_at;
} counts;

static int on_start(void *arg, xmlNode *el, int depth) {
  counts *c = arg;
  (void)el;
  (void)depth;
  c->starts++;
  return c->stop_at && c->starts == c->stop_at ? -1 : 0;
}

/* Frees every element under the root once ended: then an element's
** parent has no earlier child left when it ends (everything before it
** went with its siblings). */
static int on_end(void *arg, xmlNode *el, int depth) {
  counts *c = arg;
  c->ends++;
  if (depth > 1 && el->prev && el->prev->type == XML_ELEMENT_NODE)
    c->freed_seen++; /* an earlier sibling that should have been freed */
  return depth > 1;
}

static void test_xml_stream(void) {
  const char *text =
      "<?xml version=\"1.0\"?>\n<r xmlns=\"urn:x\"><a><b/><b/></a><a/></r>\n";
  const char *xsd =
      "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
      "targetNamespace=\"urn:x\" elementFormDefault=\"qualified\">"
      "<xs:element name=\"r\"><xs:complexType><xs:sequence>"
      "<xs:element name=\"a\" maxOccurs=\"unbounded\"><xs:complexType>"
      "<xs:sequence><xs:element name=\"b\" minOccurs=\"0\" "
      "maxOccurs=\"unbounded\"><xs:complexType/></xs:element>"
      "</xs:sequence></xs:complexType></xs:element>"
      "</xs:sequence></xs:complexType></xs:element></xs:schema>";
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  counts c = {0, 0, 0, 0};
  sb_xml_stream_hooks h = {&c, on_start, on_end};
  char *data = strdup(text);
  CHECK_EQ_INT(sb_xml_stream(&ctx, "x.xml", data, strlen(data), xsd, &h),
               SB_OK);
  free(data);
  CHECK_EQ_INT(c.starts, 5);
  CHECK_EQ_INT(c.ends, 5);
  CHECK_EQ_INT(c.freed_seen, 0);
  /* a hook that stops: the stream fails */
  counts s = {0, 0, 0, 3};
  sb_xml_stream_hooks hs = {&s, on_start, on_end};
  data = strdup(text);
  CHECK(sb_xml_stream(&ctx, "x.xml", data, strlen(data), xsd, &hs) != SB_OK);
  free(data);
  CHECK_EQ_INT(s.starts, 3);
  /* invalid by the schema (c under a), not well-formed, not UTF-8: fails
  ** with no diagnostic of libxml2's (the byte check's own is allowed) */
  const char *bad[] = {"<r xmlns=\"urn:x\"><a><c/></a></r>",
                       "<r xmlns=\"urn:x\"><a></r>", "<r>\xff</r>"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    counts k = {0, 0, 0, 0};
    sb_xml_stream_hooks hk = {&k, on_start, on_end};
    size_t before = ctx.ndiags;
    data = strdup(bad[i]);
    CHECK(sb_xml_stream(&ctx, "x.xml", data, strlen(data), xsd, &hk) !=
          SB_OK);
    free(data);
    CHECK(ctx.ndiags - before <= (i == 2 ? 1u : 0u));
  }
  sb_ctx_free(&ctx);
}

/* A file the stream refuses but the tree path loads (65,534 lines or
** more: the golden catalogue with blank lines after it): the loader goes
** back to the tree path with the same model, one role's texts kept. */
static void test_fallback(void) {
  char p[1024], tmp[] = "/tmp/sb-stream-XXXXXX";
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  char *data = NULL;
  size_t len = 0;
  snprintf(p, sizeof p, "%s/tests/golden/golden.xml", src_dir());
  CHECK_EQ_INT(sb_read_file(&ctx, p, (size_t)1 << 30, &data, &len), SB_OK);
  int fd = mkstemp(tmp);
  CHECK(fd >= 0);
  if (fd >= 0 && data) {
    FILE *f = fdopen(fd, "w");
    fwrite(data, 1, len, f);
    for (int i = 0; i < 70000; i++)
      fputc('\n', f);
    fclose(f);
    int n = -1;
    CHECK(stream_data(data, len, &n) == 1); /* as it was: it streams */
    data = NULL;
    check_both_ways(tmp, NULL);
    check_both_ways(tmp, "sre");
    unlink(tmp);
  }
  free(data);
  sb_ctx_free(&ctx);
}

/* Arguments: more catalogue files to compare both ways, each expected to
** stream (by hand: the bench's xl.xml). */
int main(int argc, char **argv) {
  test_xml_stream();
  test_walk_stream();
  test_same_models();
  test_fallback();
  for (int i = 1; i < argc; i++) {
    check_both_ways(argv[i], NULL);
    check_both_ways(argv[i], "r01");
    check_streams(argv[i]);
  }
  sb_xml_cleanup();
  return check_report();
}
