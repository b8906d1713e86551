/*
** tests/unit/test_diff.c -- the word-level diff and the catalogue diff
** (diff.h): edit scripts checked run by run, the bound on long texts, and
** each kind of catalogue change on small hand-made pairs.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "skillbook/diff.h"

/* The runs of a and b written as "=same -del +add" groups, e.g.
** "=Writes -unit +integration =tests." */
static const char *show(const char *a, const char *b, unsigned flags,
                        sb_wdiff *d) {
  static char buf[4096];
  size_t o = 0;
  sb_word_diff(a, b, flags, d);
  for (int i = 0; i < d->nruns; i++) {
    const sb_wd_run *r = &d->runs[i];
    const char *t = r->op == SB_WD_ADD ? b + r->b_off : a + r->a_off;
    size_t n = r->op == SB_WD_ADD ? r->b_len : r->a_len;
    while (n && t[n - 1] == ' ') n--;
    o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%c%.*s", i ? " " : "",
                          "=-+"[r->op], (int)n, t);
  }
  buf[o] = 0;
  return buf;
}

/* The SAME and DEL runs give a back, the SAME and ADD runs give b. */
static int rebuilds(const char *a, const char *b, const sb_wdiff *d) {
  char ra[8192], rb[8192];
  size_t na = 0, nb = 0;
  for (int i = 0; i < d->nruns; i++) {
    const sb_wd_run *r = &d->runs[i];
    if (r->op != SB_WD_ADD) {
      memcpy(ra + na, a + r->a_off, r->a_len);
      na += r->a_len;
    }
    if (r->op != SB_WD_DEL) {
      memcpy(rb + nb, b + r->b_off, r->b_len);
      nb += r->b_len;
    }
  }
  ra[na] = rb[nb] = 0;
  return strcmp(ra, a) == 0 && strcmp(rb, b) == 0;
}

static void test_words(void) {
  sb_wdiff d;
  CHECK_STR(show("Writes unit tests.", "Writes integration tests.", 0, &d),
            "=Writes -unit +integration =tests.");
  CHECK_EQ_INT(d.added, 1);
  CHECK_EQ_INT(d.removed, 1);
  CHECK(rebuilds("Writes unit tests.", "Writes integration tests.", &d));
  sb_wdiff_free(&d);
  CHECK_STR(show("a b c", "a b c", 0, &d), "=a b c");
  CHECK_EQ_INT(d.added + d.removed, 0);
  sb_wdiff_free(&d);
  CHECK_STR(show("", "new words", 0, &d), "+new words");
  sb_wdiff_free(&d);
  CHECK_STR(show("old words", "", 0, &d), "-old words");
  sb_wdiff_free(&d);
  /* a moved word is removed at one place and added at the other */
  CHECK_STR(show("x a b c", "a b c x", 0, &d), "-x =a b c +x");
  CHECK(rebuilds("x a b c", "a b c x", &d));
  sb_wdiff_free(&d);
  /* deletions before additions between common words */
  CHECK_STR(show("one two three four", "one 2 3 four", 0, &d),
            "=one -two three +2 3 =four");
  sb_wdiff_free(&d);
  /* the sheet's comparison form: case and punctuation do not count */
  CHECK_STR(show("Design, build", "design build and run", SB_WD_NORMALIZE,
                 &d), "=Design, build +and run");
  sb_wdiff_free(&d);
  CHECK_STR(show("Design, build", "design build", 0, &d),
            "-Design, +design =build");
  sb_wdiff_free(&d);
}

/* Two large texts that differ everywhere: the bound turns the middle into
** one replacement, quickly, and the runs still rebuild both texts. */
static void test_bound(void) {
  size_t n = 1 << 20;
  char *a = malloc(n + 1), *b = malloc(n + 1);
  for (size_t i = 0; i < n; i++) {
    a[i] = (i % 7 == 6) ? ' ' : (char)('a' + (i * 31 + i / 7) % 26);
    b[i] = (i % 5 == 4) ? ' ' : (char)('a' + (i * 17 + i / 5) % 26);
  }
  a[n] = b[n] = 0;
  a[n - 1] = b[n - 1] = 'z';
  sb_wdiff d;
  sb_word_diff(a, b, 0, &d);
  CHECK_EQ_INT(d.replaced, 1);
  CHECK(d.nruns <= 3);
  sb_wdiff_free(&d);
  /* one word changed in a 1 MiB paragraph: found exactly */
  memcpy(b, a, n + 1);
  memcpy(b + n / 2 - (n / 2) % 7, "QQQQQQ", 6);
  sb_word_diff(a, b, 0, &d);
  CHECK_EQ_INT(d.replaced, 0);
  CHECK_EQ_INT(d.added, 1);
  CHECK_EQ_INT(d.removed, 1);
  CHECK_EQ_INT(d.nruns, 4);
  sb_wdiff_free(&d);
  free(a);
  free(b);
}

/* ==== Catalogue diff ==== */

#define HEAD(levels)                                                       \
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                          \
  "<catalog xmlns=\"urn:skillbook:catalog:1\" title=\"T\">\n"             \
  "<levels>" levels "</levels>\n"                                         \
  "<roles><role id=\"dev\" name=\"Developer\"/>"                          \
  "<role id=\"ops\" name=\"Operator\"/></roles>\n"
#define LV2 "<level id=\"junior\" name=\"Junior\"/><level id=\"senior\" name=\"Senior\"/>"
#define LV2R "<level id=\"senior\" name=\"Senior\"/><level id=\"junior\" name=\"Junior\"/>"

static const char *old_xml =
    HEAD(LV2)
    "<domain id=\"eng\" name=\"Engineering\"><group id=\"g\" name=\"G\">\n"
    "<skill id=\"a\" name=\"A\">"
    "<expect level=\"junior\" role=\"dev\">Writes unit tests.</expect>"
    "<expect level=\"senior\" role=\"dev\" mandatory=\"true\">Y</expect>"
    "</skill>\n"
    "<skill id=\"b\" name=\"B\">"
    "<expect level=\"junior\" role=\"dev\">Z</expect></skill>\n"
    "<skill id=\"gone\" name=\"Gone\">"
    "<expect level=\"junior\" role=\"ops\">Q</expect></skill>\n"
    "</group></domain>"
    "<domain id=\"ops\" name=\"Operations\"><group id=\"h\" name=\"H\">\n"
    "<skill id=\"c\" name=\"C\">"
    "<expect level=\"junior\" role=\"ops\">K</expect></skill>\n"
    "</group></domain></catalog>\n";

static const char *new_xml =
    HEAD(LV2R)
    "<domain id=\"eng\" name=\"Engineering\"><group id=\"g\" name=\"G\">\n"
    "<skill id=\"a\" name=\"A\">"
    "<expect level=\"junior\" role=\"dev\">Writes integration tests.</expect>"
    "<expect level=\"senior\" role=\"dev\">Y</expect>"
    "<expect level=\"senior\" role=\"ops\">New one.</expect>"
    "</skill>\n"
    "<skill id=\"b\" name=\"Bee\">"
    "<expect level=\"junior\" role=\"dev\">Z</expect></skill>\n"
    "<skill id=\"c\" name=\"C\">"
    "<expect level=\"junior\" role=\"ops\">K</expect></skill>\n"
    "<skill id=\"fresh\" name=\"Fresh\">"
    "<expect level=\"junior\" role=\"dev\">F</expect></skill>\n"
    "</group></domain></catalog>\n";

static sb_catalog *load(sb_ctx *ctx, const char *xml) {
  sb_catalog *c = NULL;
  CHECK_EQ_INT(sb_load_catalog_mem(ctx, "mem.xml", xml, strlen(xml), &c),
               SB_OK);
  return c;
}

static void test_catalogs(void) {
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  sb_catalog *o = load(&ctx, old_xml), *n = load(&ctx, new_xml);
  if (!o || !n) return;
  sb_cat_diff d;
  sb_cat_diff_compute(o, o, &d);
  CHECK_EQ_INT(d.nchanges, 0);
  sb_cat_diff_free(&d);
  sb_cat_diff_compute(o, n, &d);
  char got[2048];
  size_t k = 0;
  for (int i = 0; i < d.nchanges; i++) {
    const sb_change *c = &d.changes[i];
    const char *sk = c->nskill >= 0 ? n->skills[c->nskill].id
                     : c->oskill >= 0 ? o->skills[c->oskill].id : "-";
    k += (size_t)snprintf(got + k, sizeof got - k, "%s %s\n",
                          sb_change_kind_name(c->kind), sk);
  }
  CHECK_STR(got,
            "level-order -\n"
            "became-optional a\n" /* senior comes first now */
            "expectation-text a\n"
            "expectation-added a\n"
            "skill-renamed b\n"
            "skill-moved c\n"
            "skill-added fresh\n"
            "expectation-added fresh\n"
            "skill-removed gone\n"
            "expectation-removed gone\n");
  CHECK_EQ_INT(d.count[SB_CH_EXPECT_ADDED], 2);
  /* role filters: ops sees its new expectation and the removed one */
  int ops = 0;
  for (int i = 0; i < d.nchanges; i++)
    ops += sb_change_for_role(&d, &d.changes[i], 1, 1);
  CHECK_EQ_INT(ops, 4); /* level order, added at a, moved c, removed gone */
  CHECK_EQ_INT(sb_change_shown_skill(&d.changes[1]), 0);
  CHECK_EQ_INT(sb_change_shown_skill(&d.changes[0]), -1);
  sb_cat_diff_free(&d);
  sb_drop_catalog(o);
  sb_drop_catalog(n);
  sb_ctx_free(&ctx);
}

int main(void) {
  test_words();
  test_bound();
  test_catalogs();
  return check_report();
}
