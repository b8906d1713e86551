/*
** tests/unit/test_style.c -- built-in styles, style files, labels, dates.
**
** The embedded style files parse and agree with the seed (default.xml
** spells out the seed's values), letter/ink-saver/branded differ where
** they should, style files resolve fonts and logos and refuse bad values,
** every language table is complete, and dates and numbers are formatted
** from our tables (the same under any locale).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "skillbook/docs.h"
#include "skillbook/render.h"
#include "skillbook/style.h"
#include "style/style-imp.h"
#include "xml/reader.h"

static int near(double a, double b) { return fabs(a - b) < 0.01; }

static int same_colour(sb_color a, sb_color b) {
  return near(a.r, b.r) && near(a.g, b.g) && near(a.b, b.b);
}

static void test_builtins(void) {
  const sb_style *seed = sb_sty_seed();
  const sb_style *d = sb_style_builtin("default");
  CHECK(d != NULL);
  if (!d) return;
  CHECK(sb_style_builtin(NULL) == d);
  CHECK(sb_style_builtin("a4") == d);
  CHECK(near(d->page_w, seed->page_w) && near(d->page_h, seed->page_h));
  CHECK(near(d->margin_top, seed->margin_top));
  CHECK(near(d->margin_bottom, seed->margin_bottom));
  CHECK(near(d->size_body, seed->size_body) && near(d->leading, seed->leading));
  CHECK(near(d->cell_pad, seed->cell_pad));
  CHECK(near(d->rule_width, seed->rule_width));
  CHECK(same_colour(d->accent, seed->accent));
  CHECK(same_colour(d->header_text, seed->header_text));
  CHECK(same_colour(d->chart[3], seed->chart[3]));
  CHECK(d->sheet_landscape == 1 && d->handbook_landscape == 0);
  CHECK_STR(d->font_file[SB_FONT_BOLD], "LiberationSans-Bold.ttf");
  CHECK(d->file == NULL && d->logo_png == NULL && d->footer_text == NULL);

  const sb_style *l = sb_style_builtin("letter");
  CHECK(l && near(l->page_w, 612) && near(l->page_h, 792));
  CHECK(l && near(l->size_body, d->size_body));
  const sb_style *k = sb_style_builtin("ink-saver");
  CHECK(k && k->greyscale == 1 && k->rule_width < d->rule_width);
  CHECK(k && same_colour(k->band, (sb_color){1, 1, 1}));
  const sb_style *b = sb_style_builtin("branded");
  CHECK(b && b->logo_png && b->logo_len > 100 && b->logo_px_w == 360 &&
        b->logo_px_h == 120);
  CHECK(b && b->footer_text && strstr(b->footer_text, "Example Corp"));
  CHECK(sb_style_builtin("nope") == NULL);
  for (int i = 0; sb_style_builtin_names[i]; i++)
    CHECK(sb_style_builtin(sb_style_builtin_names[i]) != NULL);

  CHECK(sb_style_is_file("styles/x.xml"));
  CHECK(sb_style_is_file("x.xml"));
  CHECK(sb_style_is_file("./letter"));
  CHECK(!sb_style_is_file("letter"));
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (!f) return;
  fputs(text, f);
  fclose(f);
}

static sb_status load_text(const char *text, sb_style **out, sb_ctx *ctx) {
  const char *path = SB_BINARY_DIR "/test_style.xml";
  write_file(path, text);
  sb_ctx_init(ctx);
  ctx->quiet = 1;
  return sb_load_style(ctx, path, SB_SOURCE_DIR, out);
}

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
             "<style xmlns=\"urn:skillbook:style:1\" name=\"t\">\n"

static void test_files(void) {
  sb_ctx ctx;
  sb_style *st = NULL;
  CHECK_EQ_INT(load_text(HEAD "<page width=\"8in\" height=\"25cm\"/>\n"
                         "<margins left=\"1in\"/>\n"
                         "<orientation profile=\"landscape\"/>\n"
                         "<sizes body=\"10pt\" leading=\"1.5\"/>\n"
                         "<colours accent=\"#FF0080\"/>\n"
                         "<chart hatch=\"3pt\"/>\n"
                         "<footer text=\"  two   words \"/>\n</style>\n",
                         &st, &ctx),
               SB_OK);
  if (st) {
    CHECK(near(st->page_w, 576) && near(st->page_h, 25 * 72 / 2.54));
    CHECK(near(st->margin_left, 72));
    CHECK(st->profile_landscape == 1 && st->sheet_landscape == 1);
    CHECK(near(st->size_body, 10) && near(st->leading, 1.5));
    CHECK(near(st->accent.r, 1) && near(st->accent.g, 0) &&
          near(st->accent.b, 128 / 255.0));
    CHECK(near(st->chart_hatch, 3));
    CHECK_STR(st->footer_text, "two words");
    CHECK_STR(st->name, "t");
    /* fonts inherited from the default are names in the data folder */
    CHECK_STR(st->font_file[0], "LiberationSans-Regular.ttf");
    /* the hash sees values, not pointers */
    sb_style *st2 = NULL;
    sb_ctx c2;
    sb_ctx_init(&c2);
    CHECK(sb_load_style(&c2, SB_BINARY_DIR "/test_style.xml", SB_SOURCE_DIR,
                        &st2) == SB_OK);
    uint8_t h1[32], h2[32];
    sb_sha256 h;
    sb_sha256_init(&h);
    sb_style_hash(st, &h);
    sb_sha256_final(&h, h1);
    sb_sha256_init(&h);
    if (st2) sb_style_hash(st2, &h);
    sb_sha256_final(&h, h2);
    CHECK(memcmp(h1, h2, 32) == 0);
    sb_drop_style(st2);
    sb_ctx_free(&c2);
  }
  sb_drop_style(st);
  sb_ctx_free(&ctx);

  /* errors: a diagnostic with the line, the right status */
  struct {
    const char *body;
    sb_status want;
    long line;
  } bad[] = {
      {"<fonts regular=\"Missing.ttf\"/>\n", SB_E_FONT, 3},
      {"<fonts regular=\"../catalog/00-ladder.xml\"/>\n", SB_E_FONT, 3},
      {"<margins left=\"300mm\"/>\n", SB_E_STYLE, 3},
      {"<unknown/>\n", SB_E_STYLE, 3},
      {"<sizes body=\"200pt\"/>\n", SB_E_STYLE, 3},
      {"<page size=\"A4\" width=\"10in\"/>\n", SB_E_STYLE, 3},
      {"<logo file=\"../fonts/README.md\"/>\n", SB_E_STYLE, 3},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char text[512];
    snprintf(text, sizeof text, HEAD "%s</style>\n", bad[i].body);
    st = NULL;
    /* the test file sits in the build folder: point ../ at the sources */
    sb_status s = load_text(text, &st, &ctx);
    (void)s;
    CHECK(st == NULL);
    CHECK(ctx.ndiags >= 1);
    if (ctx.ndiags >= 1) {
      if (ctx.diags[0].line != bad[i].line)
        fprintf(stderr, "case %zu: line %ld: %s\n", i, ctx.diags[0].line,
                ctx.diags[0].msg);
      CHECK_EQ_INT(ctx.diags[0].line, bad[i].line);
    }
    CHECK(sb_status_exit(s) == 4);
    sb_ctx_free(&ctx);
  }
  /* a built-in's logo is embedded, a file's logo is read beside it */
  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  st = NULL;
  CHECK(sb_load_style(&ctx, SB_SOURCE_DIR "/styles/branded.xml",
                      SB_SOURCE_DIR, &st) == SB_OK);
  CHECK(st && st->logo_png && st->logo_px_w == 360);
  CHECK(st && st->font_file[0] && st->font_file[0][0] == '/');
  sb_drop_style(st);
  sb_ctx_free(&ctx);
  /* unknown name; missing file */
  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  CHECK(sb_load_style(&ctx, "fancy", ".", &st) == SB_E_STYLE && !st);
  sb_ctx_free(&ctx);
  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  CHECK(sb_load_style(&ctx, "/nonexistent/x.xml", ".", &st) == SB_E_USAGE);
  sb_ctx_free(&ctx);
}

static void test_labels(void) {
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  const sb_labels *en = sb_labels_en();
  CHECK(sb_labels_for(&ctx, "en-GB", 1) == en);
  CHECK(sb_labels_for(&ctx, "EN", 1) == en);
  CHECK_STR(sb_labels_for(&ctx, "es-419", 1)->lang, "es");
  CHECK_STR(sb_labels_for(&ctx, "ru_RU", 1)->lang, "ru");
  CHECK_EQ_INT(ctx.nwarnings, 0);
  CHECK(sb_labels_for(&ctx, "de-AT", 1) == en);
  CHECK_EQ_INT(ctx.nwarnings, 1);
  CHECK(sb_labels_for(&ctx, "fr", 0) == en);
  CHECK_EQ_INT(ctx.nwarnings, 1);
  sb_ctx_free(&ctx);
  /* every table is complete, and no label is empty */
  for (int l = 0; sb_label_langs[l]; l++) {
    const sb_labels *lb = sb_labels_lookup(sb_label_langs[l]);
    CHECK(lb != NULL);
    if (!lb) continue;
    for (int i = 0; i < SB_LABEL_COUNT; i++) {
      if (!lb->text[i] || !lb->text[i][0])
        fprintf(stderr, "%s: label %d missing\n", lb->lang, i);
      CHECK(lb->text[i] && lb->text[i][0]);
      /* the same %d placeholders as English */
      const char *a = sb_label(lb, (sb_label_id)i), *e = sb_label(en,
                                                            (sb_label_id)i);
      int na = 0, ne = 0;
      for (const char *p = a; (p = strstr(p, "%d")); p++) na++;
      for (const char *p = e; (p = strstr(p, "%d")); p++) ne++;
      CHECK_EQ_INT(na, ne);
    }
    for (int m = 0; m < 12; m++) CHECK(lb->months[m] && lb->months[m][0]);
  }
  /* a partial table falls back to English, never to "" */
  sb_labels partial;
  memset(&partial, 0, sizeof partial);
  partial.lang = "xx";
  CHECK_STR(sb_label(&partial, SB_L_CONTENTS), "Contents");
  CHECK_STR(sb_label(NULL, SB_L_LEVEL), "Level");

  char buf[64];
  long long t = 1773705600; /* 2026-03-17 */
  sb_label_date(en, t, buf, sizeof buf);
  CHECK_STR(buf, "17 March 2026");
  sb_label_date(sb_labels_lookup("es"), t, buf, sizeof buf);
  CHECK_STR(buf, "17 de marzo de 2026");
  sb_label_date(sb_labels_lookup("ru"), t, buf, sizeof buf);
  CHECK_STR(buf, "17 марта 2026 г.");
  sb_label_date(en, 0, buf, sizeof buf);
  CHECK_STR(buf, "1 January 1970");
  sb_label_date(en, 951782400, buf, sizeof buf); /* 2000-02-29 */
  CHECK_STR(buf, "29 February 2000");
  sb_label_date(en, -1, buf, sizeof buf);
  CHECK_STR(buf, "");
  sb_label_date(sb_labels_lookup("es"), t, buf, 8);
  CHECK(strlen(buf) == 7);
  sb_label_number(sb_labels_lookup("es"), 2.5, 1, buf, sizeof buf);
  CHECK_STR(buf, "2,5");
  sb_label_number(en, 2.5, 1, buf, sizeof buf);
  CHECK_STR(buf, "2.5");
}

int main(void) {
  test_builtins();
  test_files();
  test_labels();
  sb_xml_cleanup();
  return check_report();
}
