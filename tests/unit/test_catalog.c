/*
** tests/unit/test_catalog.c -- the catalogue loader, checks and queries.
**
** The bundled catalogue (the seed skill's figures, lookups, expectations,
** suggestions, role levels), content hashes, the merge of a split catalogue,
** problems found in memory (references, gaps, DOCTYPE, limits), and the
** real catalogues of ../shared/data/real.
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* ==== Real catalogues ==== */

static void test_real(void) {
  const char *dir = SB_SOURCE_DIR "/../shared/data/real";
  DIR *d = opendir(dir);
  int n = 0;
  if (!d) {
    printf("skip real catalogues: %s not found\n", dir);
    return;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t k = strlen(e->d_name);
    if (k < 5 || strcmp(e->d_name + k - 4, ".xml") != 0)
      continue;
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
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

int main(void) {
  test_bundled();
  test_hashes();
  test_problems();
  test_merge();
  test_real();
  sb_xml_cleanup();
  return check_report();
}
