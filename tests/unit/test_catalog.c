/*
** tests/unit/test_catalog.c -- the catalogue loader, checks and queries.
**
** The bundled catalogue (the seed skill's figures, lookups, expectations,
** suggestions, role levels), content hashes, the merge of a split catalogue,
** problems found in memory (references, gaps, DOCTYPE, limits), the
** uniqueness checks against the published schema's xs:unique, the byte scan
** against its one-byte-at-a-time definition, and the real catalogues of
** reference folder (SHARED, data/real) when it is there.
*/
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "check.h"
#include "skillbook/catalog.h"
#include "xml/reader.h"

static sb_catalog *load(sb_ctx *ctx, const char *path) {
  sb_catalog *cat = NULL;
  sb_status st = sb_load_catalog(ctx, path, &cat);
  if (st != SB_OK) {
    fprintf(stderr, "cannot load %s: %s\n", path, ctx->errmsg);
    for (size_t i = 0; i < ctx->ndiags; i++)
      fprintf(stderr, "  %s:%ld: %s\n", ctx->diags[i].file ? ctx->diags[i].file : "",
              ctx->diags[i].line, ctx->diags[i].msg);
  }
  return cat;
}

static sb_status load_mem(sb_ctx *ctx, const char *xml, sb_catalog **cat) {
  return sb_load_catalog_mem(ctx, "mem.xml", xml, strlen(xml), cat);
}

/* 1 when some diagnostic's message contains s. */
static int has_diag(const sb_ctx *ctx, const char *s) {
  for (size_t i = 0; i < ctx->ndiags; i++)
    if (strstr(ctx->diags[i].msg, s))
      return 1;
  return 0;
}

/* ==== The bundled catalogue ==== */

static void test_seed_skill(const sb_catalog *cat) {
  const sb_skill *sk = sb_cat_skill_lookup(cat, "serverless-functions");
  CHECK(sk != NULL);
  if (!sk)
    return;
  sb_skill_stats st;
  sb_cat_skill_stats(cat, sk, &st);
  CHECK_EQ_INT(st.roles, 4);
  CHECK_EQ_INT(st.levels, 5);
  CHECK_EQ_INT(st.mandatory, 16);
  CHECK_EQ_INT(st.optional, 4);
  CHECK_STR(sk->name, "Serverless Functions");
  CHECK_STR(cat->domains[sk->domain].id, "cloud-infrastructure");
  CHECK_STR(cat->groups[sk->group].id, "serverless");
  CHECK_STR(sk->updated, "2026-03-17");
  CHECK(sk->summary && strstr(sk->summary, "cold starts, event triggers"));
  CHECK(sk->nkeywords >= 1);

  const sb_level *lv = sb_cat_level_lookup(cat, "principal");
  const sb_role *ro = sb_cat_role_lookup(cat, "platform-engineer");
  CHECK(lv && ro);
  if (!lv || !ro)
    return;
  const sb_expect *x = sb_cat_expect(cat, sk, lv->index, ro->index);
  CHECK(x != NULL);
  if (x) {
    CHECK(strncmp(x->text, "Shapes vision for event-driven platform", 39) == 0);
    CHECK(strstr(x->text, "  ") == NULL);  /* white space collapsed */
    CHECK(strchr(x->text, '\n') == NULL);
    CHECK_EQ_INT(x->mandatory, 1);
    CHECK_STR(cat->levels[x->level].id, "principal");
  }
  CHECK(sb_cat_expect(cat, sk, -1, 0) == NULL);
  CHECK(sb_cat_expect(cat, sk, cat->nlevels, 0) == NULL);
  CHECK(sb_cat_skill_has_role(cat, sk, ro->index));
}

static void test_lookups(const sb_catalog *cat) {
  char buf[256];
  CHECK_EQ_INT(cat->nlevels, 5);
  CHECK_STR(cat->levels[0].id, "junior");
  CHECK_STR(cat->levels[4].id, "principal");
  CHECK_EQ_INT(sb_cat_level_lookup(cat, "lead")->index, 3);
  CHECK(sb_cat_role_lookup(cat, "cloud-engineer") != NULL);
  CHECK(sb_cat_role_lookup(cat, "nobody") == NULL);
  CHECK(sb_cat_skill_lookup(cat, "no-such-skill") == NULL);
  CHECK(sb_cat_level_lookup(cat, NULL) == NULL);
  CHECK(sb_cat_suggest(cat, "role", "cloud-enginer", buf, sizeof buf));
  CHECK(strncmp(buf, "'cloud-engineer'", 16) == 0);
  CHECK(sb_cat_suggest(cat, "level", "seniro", buf, sizeof buf));
  CHECK(strstr(buf, "'senior'") != NULL);
  CHECK(sb_cat_suggest(cat, "skill", "serverless-function", buf, sizeof buf));
  CHECK(strstr(buf, "serverless-functions") != NULL);
  CHECK(!sb_cat_suggest(cat, "role", "zzzzzzzzzzzzzzzz", buf, sizeof buf));
  CHECK_STR(buf, "");
  CHECK(!sb_cat_suggest(cat, "widget", "x", buf, sizeof buf));
  CHECK_STR(cat->lang, "en");
  /* print order: skills grouped by domain, then group */
  for (int i = 1; i < cat->nskills; i++) {
    CHECK(cat->skills[i].domain >= cat->skills[i - 1].domain);
    CHECK_EQ_INT(cat->skills[i].index, i);
  }
}

static void test_role_levels(const sb_catalog *cat) {
  int out[16];
  const sb_role *ro = sb_cat_role_lookup(cat, "cloud-engineer");
  CHECK(ro != NULL);
  if (!ro)
    return;
  int n = sb_cat_role_levels(cat, ro->index, out);
  CHECK_EQ_INT(n, 5);
  for (int i = 0; i < n; i++)
    CHECK_EQ_INT(out[i], i);
  sb_role_stats rs;
  sb_cat_role_stats(cat, ro->index, &rs);
  CHECK(rs.skills >= 1);
  CHECK_EQ_INT(rs.expects, rs.mandatory + rs.optional);
  CHECK_EQ_INT(rs.levels, 5);
}

static void test_bundled(void) {
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  sb_catalog *a = load(&ctx, SB_SOURCE_DIR "/catalog");
  sb_catalog *b = load(&ctx, SB_SOURCE_DIR "/catalog/");
  CHECK(a && b);
  if (a && b) {
    test_seed_skill(a);
    test_lookups(a);
    test_role_levels(a);
    /* no hashes until asked for; then stable across loads */
    CHECK_EQ_INT(a->hashed, 0);
    CHECK_EQ_INT(a->skills[0].hash[0] | a->skills[0].hash[31], 0);
    sb_cat_compute_hashes(a);
    sb_cat_compute_hashes(b);
    CHECK_EQ_INT(a->hashed, 1);
    CHECK(memcmp(a->hash, b->hash, 32) == 0);
    CHECK_EQ_INT(a->nskills, b->nskills);
    for (int i = 0; i < a->nskills && i < b->nskills; i++)
      CHECK(memcmp(a->skills[i].hash, b->skills[i].hash, 32) == 0);
    for (int i = 0; i < a->nlevels; i++)
      CHECK(memcmp(a->levels[i].hash, b->levels[i].hash, 32) == 0);
    CHECK(memcmp(a->skills[0].hash, a->skills[1].hash, 32) != 0);
  }
  sb_drop_catalog(a);
  sb_drop_catalog(b);
  sb_ctx_free(&ctx);
}

/* ==== In memory: hashes and problems ==== */

#define MEM_HEAD                                                           \
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                          \
  "<catalog xmlns=\"urn:skillbook:catalog:1\" title=\"T\">\n"             \
  "<levels><level id=\"junior\" name=\"Junior\"/>"                        \
  "<level id=\"senior\" name=\"Senior\"/></levels>\n"                     \
  "<roles><role id=\"dev\" name=\"Developer\"/>"                          \
  "<role id=\"ops\" name=\"Operator\"/></roles>\n"                        \
  "<domain id=\"eng\" name=\"Engineering\"><group id=\"g\" name=\"G\">\n"
#define MEM_TAIL "</group></domain></catalog>\n"

static const char *mem_two_skills(const char *text) {
  static char buf[2048];
  snprintf(buf, sizeof buf, MEM_HEAD
           "<skill id=\"a\" name=\"A\">"
           "<expect level=\"junior\" role=\"dev\">%s</expect>"
           "<expect level=\"senior\" role=\"dev\" mandatory=\"true\">Y</expect>"
           "</skill>\n"
           "<skill id=\"b\" name=\"B\">"
           "<expect level=\"junior\" role=\"dev\">Z</expect>"
           "<expect level=\"senior\" role=\"dev\">W</expect></skill>\n"
           MEM_TAIL, text);
  return buf;
}

static void test_hashes(void) {
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  sb_catalog *a = NULL, *b = NULL, *c = NULL;
  CHECK_EQ_INT(load_mem(&ctx, mem_two_skills("Writes\n   tests."), &a), SB_OK);
  CHECK_EQ_INT(load_mem(&ctx, mem_two_skills("Writes tests."), &b), SB_OK);
  CHECK_EQ_INT(load_mem(&ctx, mem_two_skills("Writes more tests."), &c), SB_OK);
  if (a && b && c) {
    sb_cat_compute_hashes(a);
    sb_cat_compute_hashes(b);
    sb_cat_compute_hashes(c);
    CHECK_STR(a->skills[0].expects[0].text, "Writes tests.");
    CHECK(memcmp(a->skills[0].hash, b->skills[0].hash, 32) == 0);
    CHECK(memcmp(a->skills[0].hash, c->skills[0].hash, 32) != 0);
    CHECK(memcmp(a->skills[1].hash, c->skills[1].hash, 32) == 0);
    CHECK(memcmp(a->hash, c->hash, 32) == 0);
    CHECK(memcmp(a->roles[0].hash, c->roles[0].hash, 32) == 0);
  }
  sb_drop_catalog(a);
  sb_drop_catalog(b);
  sb_drop_catalog(c);
  sb_ctx_free(&ctx);
}

static void test_problems(void) {
  sb_ctx ctx;
  sb_catalog *cat = NULL;

  sb_ctx_init(&ctx);  /* unknown role and level, both reported */
  CHECK_EQ_INT(load_mem(&ctx, MEM_HEAD "<skill id=\"a\" name=\"A\">"
                        "<expect level=\"seniour\" role=\"dev\">X</expect>"
                        "<expect level=\"junior\" role=\"devv\">X</expect>"
                        "</skill>" MEM_TAIL, &cat), SB_E_SCHEMA);
  CHECK(cat == NULL);
  CHECK(has_diag(&ctx, "unknown level 'seniour'"));
  CHECK(has_diag(&ctx, "unknown role 'devv'"));
  CHECK(has_diag(&ctx, "'dev'"));
  CHECK_EQ_INT(ctx.nerrors, 2);
  sb_ctx_free(&ctx);

  sb_ctx_init(&ctx);  /* a gap: one warning per (skill, role) */
  CHECK_EQ_INT(load_mem(&ctx, MEM_HEAD "<skill id=\"a\" name=\"A\">"
                        "<expect level=\"senior\" role=\"ops\">X\u00a0Y</expect>"
                        "</skill>" MEM_TAIL, &cat), SB_OK);
  CHECK_EQ_INT(ctx.nwarnings, 1);
  CHECK(has_diag(&ctx, "role 'ops' has no expectation at level junior"));
  if (cat) {
    CHECK_STR(cat->skills[0].expects[0].text, "X\u00a0Y");  /* NBSP kept */
    sb_skill_stats st;
    sb_cat_skill_stats(cat, &cat->skills[0], &st);
    CHECK_EQ_INT(st.roles, 1);
    CHECK_EQ_INT(st.levels, 1);
    CHECK_EQ_INT(st.optional, 1);
  }
  sb_drop_catalog(cat);
  sb_ctx_free(&ctx);

  sb_ctx_init(&ctx);  /* DOCTYPE refused before parsing */
  CHECK_EQ_INT(load_mem(&ctx, "<?xml version=\"1.0\"?>\n<!DOCTYPE catalog "
                        "[<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                        "<catalog xmlns=\"urn:skillbook:catalog:1\">&x;"
                        "</catalog>", &cat), SB_E_XML);
  CHECK(has_diag(&ctx, "DOCTYPE is not allowed"));
  CHECK(ctx.ndiags >= 1 && ctx.diags[0].line == 2 && ctx.diags[0].col == 1);
  sb_ctx_free(&ctx);

  sb_ctx_init(&ctx);  /* text over the limit */
  ctx.limits.text_bytes = 4;
  CHECK_EQ_INT(load_mem(&ctx, mem_two_skills("Writes tests."), &cat),
               SB_E_LIMIT);
  CHECK(has_diag(&ctx, "--limit text-bytes="));
  sb_ctx_free(&ctx);

  sb_ctx_init(&ctx);  /* skills over the limit */
  ctx.limits.skills = 1;
  CHECK_EQ_INT(load_mem(&ctx, mem_two_skills("T"), &cat), SB_E_LIMIT);
  CHECK(has_diag(&ctx, "--limit skills="));
  sb_ctx_free(&ctx);

  sb_ctx_init(&ctx);  /* a missing path */
  CHECK_EQ_INT(sb_load_catalog(&ctx, "/nonexistent/catalog.xml", &cat), SB_E_IO);
  CHECK(strstr(ctx.errmsg, "no such file or directory") != NULL);
  sb_ctx_free(&ctx);

  char s[] = " \t a \r\n b\u00a0 c  ";
  CHECK_EQ_INT(sb_xml_collapse(s), strlen("a b\u00a0 c"));
  CHECK_STR(s, "a b\u00a0 c");
  /* the fast path (text already collapsed) against the plain definition */
  static const char alphabet[] = "ab  \t\n\r\xc3\xa9.";
  unsigned seed = 12345;
  int bad = 0;
  for (int k = 0; k < 100000; k++) {
    char in[48], want[48];
    size_t len = ((seed = seed * 1103515245u + 12345u) >> 16) % 40, w = 0;
    int sp = 0;
    for (size_t i = 0; i < len; i++)
      in[i] = alphabet[((seed = seed * 1103515245u + 12345u) >> 16) % (sizeof alphabet - 1)];
    in[len] = 0;
    for (size_t i = 0; i < len; i++) { /* XML's collapse, by the book */
      int ws = in[i] == ' ' || in[i] == '\t' || in[i] == '\n' || in[i] == '\r';
      if (ws) { sp = 1; continue; }
      if (sp && w > 0) want[w++] = ' ';
      sp = 0;
      want[w++] = in[i];
    }
    want[w] = 0;
    if (sb_xml_collapse(in) != w || strcmp(in, want) != 0) bad++;
  }
  CHECK_EQ_INT(bad, 0);
}

/* ==== A catalogue split over files ==== */

static void write_file(const char *dir, const char *name, const char *text) {
  char p[512];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  FILE *f = fopen(p, "w");
  CHECK(f != NULL);
  if (f) {
    fputs(text, f);
    fclose(f);
  }
}

#define NS "<catalog xmlns=\"urn:skillbook:catalog:1\""

static void test_merge(void) {
  char dir[] = "/tmp/sb-test-merge-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  write_file(dir, "00-ladder.xml", NS " title=\"Split\" xml:lang=\"es\">"
             "<levels><level id=\"a\" name=\"A\"/><level id=\"b\" name=\"B\"/>"
             "</levels><roles><role id=\"r\" name=\"R\"/></roles></catalog>");
  write_file(dir, "10-one.xml", NS " title=\"Split\">"
             "<domain id=\"eng\" name=\"Eng\"><group id=\"code\" name=\"Code\">"
             "<skill id=\"s1\" name=\"S1\"><expect level=\"a\" role=\"r\">x"
             "</expect><expect level=\"b\" role=\"r\">y</expect></skill>"
             "</group></domain></catalog>");
  write_file(dir, "20-two.xml", NS ">"
             "<domain id=\"ops\" name=\"Ops\"><group id=\"run\" name=\"Run\">"
             "<skill id=\"s3\" name=\"S3\"><expect level=\"a\" role=\"r\">z"
             "</expect></skill></group></domain>"
             "<domain id=\"eng\" name=\"Eng\"><group id=\"code\" name=\"Code\">"
             "<skill id=\"s2\" name=\"S2\"><expect level=\"b\" role=\"r\">w"
             "</expect></skill></group></domain></catalog>");
  write_file(dir, "notes.txt", "not a catalogue file");
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  sb_catalog *cat = load(&ctx, dir);
  CHECK(cat != NULL);
  if (cat) {
    CHECK_EQ_INT(cat->ndomains, 2);
    CHECK_EQ_INT(cat->ngroups, 2);
    CHECK_EQ_INT(cat->nskills, 3);
    CHECK_STR(cat->skills[0].id, "s1");
    CHECK_STR(cat->skills[1].id, "s2");
    CHECK_STR(cat->skills[2].id, "s3");
    CHECK_STR(cat->title, "Split");
    CHECK_STR(cat->lang, "es");
    CHECK(strstr(cat->skills[2].file, "20-two.xml") != NULL);
    CHECK_EQ_INT(ctx.nwarnings, 2);  /* s3 and s2 lack a level */
  }
  sb_drop_catalog(cat);
  sb_ctx_free(&ctx);

  /* the same skill id in two files: an error naming both */
  write_file(dir, "30-dup.xml", NS "><domain id=\"eng\" name=\"Eng\">"
             "<group id=\"code\" name=\"Code\"><skill id=\"s1\" name=\"S1\">"
             "</skill></group></domain></catalog>");
  sb_ctx_init(&ctx);
  CHECK_EQ_INT(sb_load_catalog(&ctx, dir, &cat), SB_E_SCHEMA);
  CHECK(has_diag(&ctx, "duplicate skill id 's1' (first at"));
  sb_ctx_free(&ctx);

  const char *names[] = {"00-ladder.xml", "10-one.xml", "20-two.xml",
                         "30-dup.xml", "notes.txt"};
  char p[512];
  for (int i = 0; i < 5; i++) {
    snprintf(p, sizeof p, "%s/%s", dir, names[i]);
    unlink(p);
  }
  rmdir(dir);
}

/* ==== Uniqueness: the loader against the published schema ==== */

/* The published schema keeps its six xs:unique; the compiled-in copy has
** none, and load.c checks each of them. A new xs:unique in
** catalog/catalog-1.xsd needs its check in load.c (check_unique) and a
** name here. */
static void test_unique_names(void) {
  static const char *const want[] = {"expect-level-role", "level-id",
                                     "role-id", "domain-id", "group-id",
                                     "skill-id"};
  xmlDoc *xsd = xmlReadFile(SB_SOURCE_DIR "/catalog/catalog-1.xsd", NULL,
                            XML_PARSE_NONET);
  CHECK(xsd != NULL);
  int n = 0, known = 0;
  for (xmlNode *c = xsd ? xmlDocGetRootElement(xsd) : NULL; c;) {
    if (c->type == XML_ELEMENT_NODE &&
        strcmp((const char *)c->name, "unique") == 0) {
      xmlChar *name = xmlGetProp(c, (const xmlChar *)"name");
      n++;
      for (size_t i = 0; name && i < sizeof want / sizeof *want; i++)
        known += strcmp((const char *)name, want[i]) == 0;
      xmlFree(name);
    }
    /* depth first, in document order */
    if (c->children && c->type == XML_ELEMENT_NODE) {
      c = c->children;
      continue;
    }
    while (c && !c->next)
      c = c->parent && c->parent->type == XML_ELEMENT_NODE ? c->parent : NULL;
    if (c)
      c = c->next;
  }
  xmlFreeDoc(xsd);
  CHECK_EQ_INT(n, 6);
  CHECK_EQ_INT(known, 6);
  CHECK(strstr(sb_catalog_xsd, "<xs:unique") == NULL);
  CHECK(strstr(sb_catalog_xsd, "<xs:element name=\"catalog\">") != NULL);
}

typedef struct lines {
  long v[64];
  int n;
} lines;

static void add_line(lines *l, long line) {
  if (l->n < 64)
    l->v[l->n++] = line;
}

#if LIBXML_VERSION >= 21200
static void on_schema_error(void *data, const xmlError *e)
#else
static void on_schema_error(void *data, xmlErrorPtr e)
#endif
{
  if (!e->message || !strstr(e->message, "Duplicate key-sequence"))
    return;
  xmlNode *node = e->node;
  add_line(data, node ? xmlGetLineNo(node) : e->line);
}

static int cmp_long(const void *a, const void *b) {
  long x = *(const long *)a, y = *(const long *)b;
  return (x > y) - (x < y);
}

/* The lines where libxml2, validating with the published schema, and the
** loader report a duplicate (each sorted). */
static void dup_lines(xmlSchema *schema, const char *name, const char *xml,
                      lines *by_schema, lines *by_loader) {
  sb_ctx ctx;
  sb_catalog *cat = NULL;
  xmlDoc *doc = NULL;
  memset(by_schema, 0, sizeof *by_schema);
  memset(by_loader, 0, sizeof *by_loader);
  /* the document the loader validates (DOCTYPE, bad UTF-8, ... refused) */
  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  sb_xml_parse(&ctx, name, xml, strlen(xml), &doc);
  sb_ctx_free(&ctx);
  if (doc) {
    xmlSchemaValidCtxt *vc = xmlSchemaNewValidCtxt(schema);
    xmlSchemaSetValidStructuredErrors(vc, (xmlStructuredErrorFunc)on_schema_error,
                                      by_schema);
    xmlSchemaValidateDoc(vc, doc);
    xmlSchemaFreeValidCtxt(vc);
    xmlFreeDoc(doc);
  }
  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  sb_load_catalog_mem(&ctx, name, xml, strlen(xml), &cat);
  for (size_t i = 0; i < ctx.ndiags; i++)
    if (strstr(ctx.diags[i].msg, "duplicate ") ||
        strstr(ctx.diags[i].msg, "two expects for"))
      add_line(by_loader, ctx.diags[i].line);
  sb_drop_catalog(cat);
  sb_ctx_free(&ctx);
  qsort(by_schema->v, (size_t)by_schema->n, sizeof *by_schema->v, cmp_long);
  qsort(by_loader->v, (size_t)by_loader->n, sizeof *by_loader->v, cmp_long);
}

static int same_lines(const char *name, const lines *a, const lines *b) {
  int same = a->n == b->n;
  for (int i = 0; same && i < a->n; i++)
    same = a->v[i] == b->v[i];
  if (!same) {
    fprintf(stderr, "%s: schema reports duplicates at", name);
    for (int i = 0; i < a->n; i++)
      fprintf(stderr, " %ld", a->v[i]);
    fprintf(stderr, ", the loader at");
    for (int i = 0; i < b->n; i++)
      fprintf(stderr, " %ld", b->v[i]);
    fprintf(stderr, "\n");
  }
  return same;
}

static char *read_all(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *p = malloc((size_t)n + 1);
  if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
    free(p);
    p = NULL;
  }
  if (p)
    p[n] = '\0';
  fclose(f);
  return p;
}

/* Files whose duplicates the schema and the loader see alike: every file
** of tests/bad, and these (one element a line, so lines name elements). */
static const char *const unique_cases[] = {
  /* three of a kind, and a group and skill id repeated in another domain */
  MEM_HEAD
  "<skill id=\"a\" name=\"A\"/>\n<skill id=\"a\" name=\"A\"/>\n"
  "<skill id=\"a\" name=\"A\"/>\n</group></domain>\n"
  "<domain id=\"ops\" name=\"O\">\n<group id=\"g\" name=\"G\">\n"
  "<skill id=\"a\" name=\"A\"/>\n" MEM_TAIL,
  /* the same (level, role) in two skills is fine; in one skill, not; an
     expect whose level is not an id makes no key */
  MEM_HEAD "<skill id=\"a\" name=\"A\">\n"
  "<expect level=\"junior\" role=\"dev\">X</expect>\n"
  "<expect level=\"junior\" role=\"ops\">X</expect>\n"
  "<expect level=\"Junior\" role=\"dev\">X</expect>\n"
  "<expect level=\"Junior\" role=\"dev\">X</expect>\n"
  "<expect level=\"junior\" role=\"dev\">X</expect>\n</skill>\n"
  "<skill id=\"b\" name=\"B\">\n"
  "<expect level=\"junior\" role=\"dev\">X</expect>\n</skill>\n" MEM_TAIL,
  /* ids that are not ids (two errors each, no duplicate), a character
     reference, a namespaced id attribute */
  "<catalog xmlns=\"urn:skillbook:catalog:1\">\n<levels>\n"
  "<level id=\"A\" name=\"A\"/>\n<level id=\"A\" name=\"A\"/>\n"
  "<level id=\"&#97;\" name=\"A\"/>\n<level id=\"a\" name=\"A\"/>\n"
  "<level id=\"b\" name=\"B\" xmlns:q=\"urn:q\" q:id=\"a\"/>\n"
  "</levels>\n</catalog>\n",
  /* after an element the content model does not expect, libxml2 skips the
     rest of the parent's children: no key from there */
  MEM_HEAD "<skill id=\"a\" name=\"A\"/>\n<bogus/>\n"
  "<skill id=\"a\" name=\"A\"/>\n</group>\n<group id=\"h\" name=\"H\">\n"
  "<skill id=\"a\" name=\"A\">\n<expect level=\"junior\" role=\"dev\">X</expect>\n"
  "<keyword>k</keyword>\n<expect level=\"junior\" role=\"dev\">X</expect>\n"
  "</skill>\n</group>\n<group id=\"h\" name=\"H\">\n<skill id=\"c\" name=\"C\"/>\n"
  MEM_TAIL "\n",
  /* a second <levels>: unexpected, and so is everything after it */
  "<catalog xmlns=\"urn:skillbook:catalog:1\">\n<levels>\n"
  "<level id=\"a\" name=\"A\"/>\n<level id=\"a\" name=\"A\"/>\n</levels>\n"
  "<levels>\n<level id=\"b\" name=\"B\"/>\n<level id=\"b\" name=\"B\"/>\n"
  "</levels>\n<domain id=\"d\" name=\"D\"/>\n<domain id=\"d\" name=\"D\"/>\n"
  "</catalog>\n",
};

static void test_unique_vs_schema(void) {
  xmlSchemaParserCtxt *pc =
      xmlSchemaNewParserCtxt(SB_SOURCE_DIR "/catalog/catalog-1.xsd");
  xmlSchema *schema = pc ? xmlSchemaParse(pc) : NULL;
  xmlSchemaFreeParserCtxt(pc);
  CHECK(schema != NULL);
  if (!schema)
    return;
  lines a, b;
  int files = 0, with_dups = 0;
  for (size_t i = 0; i < sizeof unique_cases / sizeof *unique_cases; i++) {
    char name[32];
    snprintf(name, sizeof name, "case%zu.xml", i);
    dup_lines(schema, name, unique_cases[i], &a, &b);
    CHECK(same_lines(name, &a, &b));
    with_dups += a.n > 0;
  }
  const char *dir = SB_SOURCE_DIR "/tests/bad";
  DIR *d = opendir(dir);
  CHECK(d != NULL);
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL) {
    size_t k = strlen(e->d_name);
    if (k < 5 || strcmp(e->d_name + k - 4, ".xml") != 0)
      continue;
    char p[1024];
    if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) >= (int)sizeof p)
      continue;
    char *xml = read_all(p);
    if (!xml)
      continue;  /* a folder named *.xml */
    dup_lines(schema, e->d_name, xml, &a, &b);
    CHECK(same_lines(e->d_name, &a, &b));
    files++;
    with_dups += a.n > 0;
    free(xml);
  }
  if (d)
    closedir(d);
  CHECK(files >= 30);
  CHECK(with_dups >= 10);
  xmlSchemaFree(schema);
}

/* What the messages say, and that each duplicate is reported once. */
static void test_unique_messages(void) {
  sb_ctx ctx;
  sb_catalog *cat = NULL;
  sb_ctx_init(&ctx);
  CHECK_EQ_INT(load_mem(&ctx, MEM_HEAD "<skill id=\"a\" name=\"A\">\n"
                        "<expect level=\"junior\" role=\"dev\">X</expect>\n"
                        "<expect level=\"junior\" role=\"dev\">Y</expect>\n"
                        "</skill>\n<skill id=\"a\" name=\"A2\"/>\n" MEM_TAIL,
                        &cat), SB_E_SCHEMA);
  CHECK(cat == NULL);
  CHECK_EQ_INT(ctx.nerrors, 2);
  CHECK(has_diag(&ctx, "duplicate skill id 'a' (first at mem.xml:6)"));
  CHECK(has_diag(&ctx, "two expects for level 'junior' and role 'dev' in "
                       "skill 'a' (first at line 7; at most one per level "
                       "and role)"));
  for (size_t i = 0; i < ctx.ndiags; i++)
    CHECK_EQ_INT(ctx.diags[i].line, strstr(ctx.diags[i].msg, "skill id")
                                        ? 10 : 8);
  sb_ctx_free(&ctx);

  sb_ctx_init(&ctx);  /* a domain repeated in one file, not merged */
  CHECK_EQ_INT(load_mem(&ctx, MEM_HEAD "<skill id=\"a\" name=\"A\"/>\n"
                        "</group></domain>\n<domain id=\"eng\" name=\"E\">"
                        "<group id=\"h\" name=\"H\">\n"
                        "<skill id=\"b\" name=\"B\"/>\n" MEM_TAIL, &cat),
               SB_E_SCHEMA);
  CHECK_EQ_INT(ctx.nerrors, 1);
  CHECK(has_diag(&ctx, "duplicate domain id 'eng' (first at mem.xml:5)"));
  sb_ctx_free(&ctx);
}

/* ==== The byte scan: 8 bytes at a time, same answers ==== */

/* The scan's definition, one code point at a time (xml/reader.c before
** the ASCII fast path): the first problem's code and byte offset, or
** SB_OK. */
static sb_status scan_ref(const unsigned char *s, size_t len, size_t limit,
                          size_t *pos) {
  size_t run = 0;
  for (size_t i = 0; i < len;) {
    unsigned char b = s[i];
    size_t n = 0;
    uint32_t cp = 0, min = 0;
    if (b < 0x80)
      n = 1, cp = b;
    else if (b >= 0xC2 && b <= 0xDF)
      n = 2, cp = b & 0x1Fu, min = 0x80;
    else if (b >= 0xE0 && b <= 0xEF)
      n = 3, cp = b & 0x0Fu, min = 0x800;
    else if (b >= 0xF0 && b <= 0xF4)
      n = 4, cp = b & 0x07u, min = 0x10000;
    for (size_t k = 1; n > 1 && k < n; k++) {
      if (i + k >= len || (s[i + k] & 0xC0) != 0x80) {
        n = 0;
        break;
      }
      cp = (cp << 6) | (s[i + k] & 0x3Fu);
    }
    if (n > 1 && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)))
      n = 0;
    if (n == 0) {
      *pos = i;
      return SB_E_XML;
    }
    if (b == '<' || b == '>' || b == '"' || b == '\'') {
      run = i + 1;
    } else if (limit && i - run >= limit) {
      *pos = run;
      return SB_E_LIMIT;
    }
    i += n;
  }
  return SB_OK;
}

static uint32_t rnd_state = 12345;
static uint32_t rnd(void) {
  rnd_state ^= rnd_state << 13;
  rnd_state ^= rnd_state >> 17;
  rnd_state ^= rnd_state << 5;
  return rnd_state;
}

static void test_byte_scan(void) {
  static const char *const bits[] = {
    "a", "bcdefgh", "text with spaces ", "<", ">", "<x>", "\n", "\t",
    "\xD0\xB5", "\xE2\x80\x94", "\xF0\x9F\x98\x80", "\xC2\xA0",
    "\"", "'", " a=\"v\"", "<y b='w'>",
    "\x80", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x80",
    "\xC3", "\xFF", "\xEF\xBF\xBE"};
  int nbits = (int)(sizeof bits / sizeof *bits), mismatches = 0;
  for (int t = 0; t < 20000; t++) {
    char buf[512];
    size_t len = 0;
    int parts = 1 + (int)(rnd() % 40), clean = rnd() % 3 != 0;
    for (int k = 0; k < parts; k++) {
      const char *b = bits[rnd() % (unsigned)(clean ? 16 : nbits)];
      size_t n = strlen(b);
      if (len + n >= sizeof buf)
        break;
      memcpy(buf + len, b, n);
      len += n;
    }
    buf[len] = '\0';
    size_t limits[] = {0, 1, 2, 3, 5, 6, 7, 8, 9, 15, 16, 17, 40, 1 << 20};
    size_t limit = limits[rnd() % (sizeof limits / sizeof *limits)];
    size_t pos = 0;
    sb_status want = scan_ref((const unsigned char *)buf, len, limit, &pos);
    sb_ctx ctx;
    xmlDoc *doc = NULL;
    sb_ctx_init(&ctx);
    ctx.quiet = 1;
    ctx.limits.text_bytes = limit;
    sb_status got = sb_xml_parse(&ctx, "scan.xml", buf, len, &doc);
    if (doc)
      xmlFreeDoc(doc);
    int ok;
    if (want == SB_OK) {
      ok = ctx.ndiags == 0 ||
           (!strstr(ctx.diags[0].msg, "not UTF-8") &&
            !strstr(ctx.diags[0].msg, "text-bytes limit"));
    } else {
      long line = 1, col = 1;
      for (size_t i = 0; i < pos; i++) {
        if (buf[i] == '\n')
          line++, col = 1;
        else if (((unsigned char)buf[i] & 0xC0) != 0x80)
          col++;
      }
      ok = got == want && ctx.ndiags == 1 && ctx.diags[0].line == line &&
           ctx.diags[0].col == col &&
           strstr(ctx.diags[0].msg, want == SB_E_XML ? "not UTF-8"
                                                     : "text-bytes limit");
    }
    if (!ok && mismatches++ < 5)
      fprintf(stderr, "byte scan differs (limit %zu, %zu bytes): %s\n",
              limit, len, ctx.ndiags ? ctx.diags[0].msg : "no diagnostic");
    sb_ctx_free(&ctx);
  }
  CHECK_EQ_INT(mismatches, 0);
}

/* Each kind of bad sequence base's decoder refuses is reported by the
** reader at its first byte: line 2, column 4 (after "ab" and an e-acute). */
static void test_utf8_errors(void) {
  static const char *bad[] = {
      "\xC0\xAF",         /* overlong '/' */
      "\xE0\x80\xAF",     /* overlong, three bytes */
      "\xED\xA0\x80",     /* a surrogate */
      "\xF4\x90\x80\x80", /* past U+10FFFF */
      "\xF5\x80\x80\x80", /* no such lead byte */
      "\xE2\x82z",        /* cut short */
      "\x80",             /* a lone continuation byte */
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char buf[64];
    int len = snprintf(buf, sizeof buf, "<a>\nab\xC3\xA9%sz</a>\n", bad[i]);
    sb_ctx ctx;
    xmlDoc *doc = NULL;
    sb_ctx_init(&ctx);
    ctx.quiet = 1;
    CHECK(sb_xml_parse(&ctx, "u.xml", buf, (size_t)len, &doc) == SB_E_XML);
    if (doc)
      xmlFreeDoc(doc);
    CHECK(ctx.ndiags == 1 && ctx.diags[0].line == 2 &&
          ctx.diags[0].col == 4 && strstr(ctx.diags[0].msg, "not UTF-8"));
    sb_ctx_free(&ctx);
  }
}

/* ==== The sparse model (#13) ==== */

/* A catalogue of nl levels, nr roles and ns skills; skill s has an expect
** at (level (s * 7 + k * 11) % nl, role (s * 5 + k * 3) % nr) for k < nx,
** written in that (unsorted) order, mandatory when k is even. */
static char *sparse_xml(int nl, int nr, int ns, int nx) {
  sb_buf b;
  sb_buf_init(&b);
  sb_buf_adds(&b, "<catalog xmlns=\"urn:skillbook:catalog:1\"><levels>");
  for (int i = 0; i < nl; i++)
    sb_buf_printf(&b, "<level id=\"l%d\" name=\"L%d\"/>", i, i);
  sb_buf_adds(&b, "</levels><roles>");
  for (int i = 0; i < nr; i++)
    sb_buf_printf(&b, "<role id=\"r%d\" name=\"R%d\"/>", i, i);
  sb_buf_adds(&b, "</roles><domain id=\"d\" name=\"D\"><group id=\"g\" "
              "name=\"G\">");
  for (int s = 0; s < ns; s++) {
    sb_buf_printf(&b, "<skill id=\"s%d\" name=\"S%d\">", s, s);
    for (int k = 0; k < nx; k++)
      sb_buf_printf(&b, "<expect level=\"l%d\" role=\"r%d\"%s>x%d</expect>",
                    (s * 7 + k * 11) % nl, (s * 5 + k * 3) % nr,
                    k % 2 ? "" : " mandatory=\"true\"", k);
    sb_buf_adds(&b, "</skill>");
  }
  sb_buf_adds(&b, "</group></domain></catalog>");
  return b.p;
}

/* The expect of (level, role) by scanning every expect: the definition. */
static const sb_expect *scan_expect(const sb_skill *sk, int level, int role) {
  for (int i = 0; i < sk->nexpects; i++)
    if (sk->expects[i].level == level && sk->expects[i].role == role)
      return &sk->expects[i];
  return NULL;
}

/* Every query of the model against its definition by scanning. */
static void check_queries(const sb_catalog *cat) {
  int *lv = malloc((size_t)cat->nlevels * sizeof *lv), bad = 0;
  int *mark = calloc((size_t)cat->nlevels, sizeof *mark);
  for (int r = 0; r < cat->nroles; r++) {
    sb_role_stats rs, want = {0, 0, 0, 0, 0};
    memset(mark, 0, (size_t)cat->nlevels * sizeof *mark);
    for (int s = 0; s < cat->nskills; s++) {
      const sb_skill *sk = &cat->skills[s];
      int n = 0;
      for (int l = 0; l < cat->nlevels; l++) {
        const sb_expect *x = scan_expect(sk, l, r);
        bad += sb_cat_expect(cat, sk, l, r) != x;
        if (x) {
          n++, mark[l] = 1;
          want.mandatory += x->mandatory, want.optional += !x->mandatory;
        }
      }
      bad += sb_cat_skill_has_role(cat, sk, r) != (n > 0);
      want.expects += n, want.skills += n > 0;
    }
    int n = sb_cat_role_levels(cat, r, lv), k = 0;
    for (int l = 0; l < cat->nlevels; l++)
      if (mark[l])
        bad += k >= n || lv[k++] != l;
    bad += k != n;
    want.levels = n;
    sb_cat_role_stats(cat, r, &rs);
    bad += memcmp(&rs, &want, sizeof rs) != 0;
  }
  for (int s = 0; s < cat->nskills; s++) {
    const sb_skill *sk = &cat->skills[s];
    sb_skill_stats st, want = {0, 0, 0, 0};
    for (int r = 0; r < cat->nroles; r++)
      for (int l = 0; l < cat->nlevels; l++)
        if (scan_expect(sk, l, r)) {
          want.roles++;
          break;
        }
    for (int l = 0; l < cat->nlevels; l++)
      for (int r = 0; r < cat->nroles; r++)
        if (scan_expect(sk, l, r)) {
          want.levels++;
          break;
        }
    for (int i = 0; i < sk->nexpects; i++)
      want.mandatory += sk->expects[i].mandatory,
      want.optional += !sk->expects[i].mandatory;
    sb_cat_skill_stats(cat, sk, &st);
    bad += memcmp(&st, &want, sizeof st) != 0;
  }
  CHECK_EQ_INT(bad, 0);
  free(lv);
  free(mark);
}

static void test_sparse(void) {
  sb_ctx ctx;
  sb_catalog *cat = NULL;
  char *xml = sparse_xml(9, 7, 12, 10);  /* queries on a loaded model */
  sb_ctx_init(&ctx);
  CHECK_EQ_INT(load_mem(&ctx, xml, &cat), SB_OK);
  if (cat) {
    CHECK(cat->skills[0].byrole != NULL);
    check_queries(cat);
    /* ... and on the same model without its index (built by hand) */
    sb_skill *sk = (sb_skill *)cat->skills;
    const int *keep[12];
    for (int s = 0; s < cat->nskills; s++)
      keep[s] = sk[s].byrole, sk[s].byrole = NULL;
    check_queries(cat);
    for (int s = 0; s < cat->nskills; s++)
      sk[s].byrole = keep[s];
  }
  sb_drop_catalog(cat);
  sb_ctx_free(&ctx);
  free(xml);

  /* 300 levels x 300 roles x 50 skills of 2 expects: the model is a few
     hundred KB (a dense matrix per skill was 18 MB), and a gap warning
     names 12 levels, then how many more */
  xml = sparse_xml(300, 300, 50, 2);
  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  CHECK_EQ_INT(load_mem(&ctx, xml, &cat), SB_OK);
  if (cat) {
    CHECK(sb_arena_used(cat->arena) < ((size_t)1 << 20));
    check_queries(cat);
  }
  CHECK(has_diag(&ctx, "skill 's0': role 'r0' has no expectation at levels "
                 "l1, l2, l3, l4, l5, l6, l7, l8, l9, l10, l11, l12 and 287 "
                 "more (printed as a gap)"));
  sb_drop_catalog(cat);
  sb_ctx_free(&ctx);
  free(xml);
}

/* ==== Real catalogues ==== */

static void test_real(void) {
  /* SHARED: the reference folder beside the project (tests/CMakeLists.txt);
  ** empty or unset in a user's clone. */
  const char *ref = getenv("SHARED");
  char dir[1024];
  DIR *d = NULL;
  int n = 0;
  if (ref && *ref) {
    snprintf(dir, sizeof dir, "%s/data/real", ref);
    d = opendir(dir);
  }
  if (!d) {
    printf("skipped: the real catalogues (no reference folder beside the "
           "project)\n");
    return;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t k = strlen(e->d_name);
    if (k < 5 || strcmp(e->d_name + k - 4, ".xml") != 0)
      continue;
    char p[1024];
    if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) >= (int)sizeof p)
      continue;
    sb_ctx ctx;
    sb_ctx_init(&ctx);
    sb_catalog *cat = load(&ctx, p);
    CHECK(cat != NULL);
    if (cat)
      CHECK(cat->nskills > 0 && cat->nlevels > 0 && cat->nroles > 0);
    sb_drop_catalog(cat);
    sb_ctx_free(&ctx);
    n++;
  }
  closedir(d);
  CHECK(n >= 1);
}

/* ==== One role's or one skill's texts (sb_load_catalog_texts) ==== */

/* The same diagnostics, in the same order. */
static void check_same_diags(const sb_ctx *a, const sb_ctx *b) {
  CHECK_EQ_INT((long)a->ndiags, (long)b->ndiags);
  for (size_t i = 0; i < a->ndiags && i < b->ndiags; i++) {
    CHECK_STR(a->diags[i].msg, b->diags[i].msg);
    CHECK_EQ_INT(a->diags[i].line, b->diags[i].line);
    CHECK_EQ_INT(a->diags[i].sev, b->diags[i].sev);
  }
}

/* path loaded whole and with the texts of role and skill only (either may
** be NULL), under the same limits: the same status, diagnostics and model
** but for the other roles' and skills' texts. */
static void check_role_load(const char *path, const char *role,
                            const char *skill, size_t text_bytes) {
  sb_ctx c1, c2;
  sb_ctx_init(&c1);
  sb_ctx_init(&c2);
  c1.quiet = c2.quiet = 1;
  c1.limits.text_bytes = c2.limits.text_bytes = text_bytes;
  sb_catalog *all = NULL, *one = NULL;
  sb_status s1 = sb_load_catalog(&c1, path, &all);
  sb_status s2 = sb_load_catalog_texts(&c2, path, role, skill, &one);
  CHECK_EQ_INT(s1, s2);
  check_same_diags(&c1, &c2);
  CHECK_EQ_INT(!all, !one);
  if (all && one) {
    CHECK(all->texts_role == NULL && all->texts_skill == NULL);
    CHECK(role ? one->texts_role && strcmp(one->texts_role, role) == 0
               : one->texts_role == NULL);
    CHECK(skill ? one->texts_skill && strcmp(one->texts_skill, skill) == 0
                : one->texts_skill == NULL);
    CHECK_EQ_INT(all->nskills, one->nskills);
    CHECK_EQ_INT(all->nroles, one->nroles);
    int kept = 0, dropped = 0;
    for (int i = 0; i < all->nskills && i < one->nskills; i++) {
      const sb_skill *a = &all->skills[i], *b = &one->skills[i];
      CHECK_STR(a->id, b->id);
      CHECK_EQ_INT(a->nexpects, b->nexpects);
      for (int k = 0; k < a->nexpects && k < b->nexpects; k++) {
        const sb_expect *x = &a->expects[k], *y = &b->expects[k];
        CHECK(x->level == y->level && x->role == y->role &&
              x->mandatory == y->mandatory && x->line == y->line);
        if ((!role || strcmp(all->roles[x->role].id, role) == 0) &&
            (!skill || strcmp(a->id, skill) == 0)) {
          CHECK_STR(y->text, x->text);
          kept++;
        } else {
          CHECK(y->text == NULL);
          dropped++;
        }
      }
    }
    CHECK(kept > 0 && dropped > 0);
  }
  sb_drop_catalog(all);
  sb_drop_catalog(one);
  sb_ctx_free(&c1);
  sb_ctx_free(&c2);
}

static void test_role_texts(void) {
  check_role_load(SB_SOURCE_DIR "/catalog", "cloud-engineer", NULL, 0);
  check_role_load(SB_SOURCE_DIR "/catalog", NULL, "kubernetes", 0);
  check_role_load(SB_SOURCE_DIR "/catalog", "sre", "kubernetes", 0);
  /* a text over the text-bytes limit is an error whatever its role */
  char path[] = "/tmp/sb-role-XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  if (fd < 0) return;
  FILE *fp = fdopen(fd, "w");
  fprintf(fp, MEM_HEAD
          "<skill id=\"a\" name=\"A\">"
          "<expect level=\"junior\" role=\"dev\">Short.</expect>"
          "<expect level=\"junior\" role=\"ops\">A text of forty "
          "bytes, more than thirty.</expect>"
          "<expect level=\"senior\" role=\"ops\">Spaced     "
          "      out             .</expect></skill>\n"
          "<skill id=\"b\" name=\"B\">"
          "<expect level=\"junior\" role=\"ops\">An <!-- c -->entity &amp; "
          "a comment make two text nodes.</expect>"
          "<expect level=\"junior\" role=\"dev\">Z</expect></skill>\n"
          MEM_TAIL);
  fclose(fp);
  check_role_load(path, "dev", NULL, 0);
  check_role_load(path, "dev", NULL, 30);
  check_role_load(path, "ops", NULL, 30);
  check_role_load(path, NULL, "a", 30);
  check_role_load(path, NULL, "b", 0);
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  ctx.limits.text_bytes = 30;
  sb_catalog *cat = NULL;
  CHECK_EQ_INT(sb_load_catalog_texts(&ctx, path, "dev", NULL, &cat),
               SB_E_LIMIT);
  /* (the reader's byte scan finds the other role's long text first) */
  CHECK(has_diag(&ctx, "text longer than the text-bytes limit (30 bytes)"));
  sb_drop_catalog(cat);
  sb_ctx_free(&ctx);
  unlink(path);
  /* the collapsed length without collapsing */
  static const char *const texts[] = {"", " ", "a", " a ", "a  b", "\t a\n b \r",
                                      "abc def", "  x  y  z  "};
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
    char buf[64];
    snprintf(buf, sizeof buf, "%s", texts[i]);
    size_t n = strlen(buf);
    CHECK_EQ_INT((long)sb_xml_collapsed_len(texts[i], n),
                 (long)sb_xml_collapse(buf));
  }
}

int main(void) {
  test_bundled();
  test_role_texts();
  test_hashes();
  test_problems();
  test_merge();
  test_unique_names();
  test_unique_vs_schema();
  test_unique_messages();
  test_byte_scan();
  test_utf8_errors();
  test_sparse();
  test_real();
  sb_xml_cleanup();
  return check_report();
}
