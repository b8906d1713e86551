/*
** tests/unit/test_glyphid.c -- the glyph-id cache interposed on libharu
** (src/devices/hpdf-glyph.c).
**
** It relies on libharu 2.3.0 internals, so this test states each of them:
** - for every BMP code point of the three bundled faces, the cached answer
**   equals libharu's own HPDF_TTFontDef_GetGlyphid (dlsym RTLD_NEXT);
** - libharu's HPDF_GetFont really calls our definition (through its PLT):
**   the hit counter rises by 65,536 a face, the forward counter when the
**   cache is off; a second document with the same face builds no table;
** - a cmap libharu calls invalid is not cached and fails as before;
** - a PDF rendered with the cache is byte-identical to one without;
** - sb_pdf_warm_fonts builds the tables and leaves nothing bound.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "devices/hpdf-glyph-imp.h"
#include "skillbook/device.h"

static const char *const FACES[] = {"LiberationSans-Regular.ttf",
                                    "LiberationSans-Bold.ttf",
                                    "LiberationSans-Italic.ttf"};

static const char *font_path(const char *name, char *buf, size_t n) {
  snprintf(buf, n, "%s/fonts/%s", SB_SOURCE_DIR, name);
  if (access(buf, R_OK) == 0)
    return buf;
  snprintf(buf, n, "/usr/share/fonts/truetype/liberation2/%s", name);
  return buf;
}

static void quiet(HPDF_STATUS e, HPDF_STATUS d, void *u) {
  (void)e, (void)d, (void)u;
}

/* A document holding one loaded face; *fd its fontdef, *name its name. */
static HPDF_Doc load_face(const char *path, HPDF_FontDef *fd,
                          const char **name) {
  HPDF_Doc pdf = HPDF_New(quiet, NULL);
  *fd = NULL;
  *name = NULL;
  if (!pdf)
    return NULL;
  HPDF_UseUTFEncodings(pdf);
  *name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
  if (*name)
    *fd = HPDF_Doc_FindFontDef(pdf, *name);
  return pdf;
}

static void test_warm(const sb_fontset *fs) {
  sb_pdf_glyph_stats s0 = sb_pdf_glyph_cache_stats(), s1;
  sb_ctx ctx;

  sb_ctx_init(&ctx);
  sb_pdf_warm_fonts(&ctx, fs);
  s1 = sb_pdf_glyph_cache_stats();
  /* one table per distinct cmap: Liberation's three faces share one */
  printf("warm-up: %d table(s) for 3 faces\n", s1.fills - s0.fills);
  CHECK(s1.fills - s0.fills >= 1 && s1.fills - s0.fills <= 3);
  CHECK_EQ_INT(s1.faces, s1.fills);
  CHECK_EQ_INT(s1.bound, 0);
  CHECK_EQ_INT(ctx.status, SB_OK);
  sb_pdf_warm_fonts(&ctx, fs); /* again: nothing new to build */
  CHECK_EQ_INT(sb_pdf_glyph_cache_stats().fills, s1.fills);
  sb_pdf_warm_fonts(&ctx, NULL);
  sb_ctx_free(&ctx);
}

/* Our answer equals libharu's for all 65,536 code points of each face. */
static void test_same_answers(const char *const paths[]) {
  int i;

  for (i = 0; i < 3; i++) {
    HPDF_FontDef fd;
    const char *name;
    HPDF_Doc pdf = load_face(paths[i], &fd, &name);
    unsigned u, differ = 0, mapped = 0;
    CHECK(fd != NULL);
    if (!fd) {
      HPDF_Free(pdf);
      continue;
    }
    CHECK_EQ_INT(sb_pdf_glyph_bind(fd), 1);
    for (u = 0; u < 65536; u++) {
      HPDF_UINT16 ours = HPDF_TTFontDef_GetGlyphid(fd, (HPDF_UINT16)u);
      HPDF_UINT16 theirs = sb_pdf_glyph_original(fd, (HPDF_UINT16)u);
      differ += ours != theirs;
      mapped += theirs != 0;
    }
    printf("%s: %u code points mapped, %u differ\n", FACES[i], mapped,
           differ);
    CHECK_EQ_INT(differ, 0);
    CHECK(mapped > 500); /* Latin, Cyrillic, Greek at least */
    CHECK_EQ_INT(HPDF_GetError(pdf), HPDF_OK);
    sb_pdf_glyph_unbind(fd);
    HPDF_Free(pdf);
  }
}

/* HPDF_GetFont (inside libhpdf.so) calls our definition. */
static void test_libharu_calls_us(const char *path) {
  int round;

  for (round = 0; round < 2; round++) {
    HPDF_FontDef fd;
    const char *name;
    HPDF_Doc pdf = load_face(path, &fd, &name);
    sb_pdf_glyph_stats s0, s1;
    CHECK(fd != NULL);
    if (!fd) {
      HPDF_Free(pdf);
      return;
    }
    CHECK_EQ_INT(sb_pdf_glyph_bind(fd), 1);
    s0 = sb_pdf_glyph_cache_stats();
    CHECK(HPDF_GetFont(pdf, name, "UTF-8") != NULL);
    s1 = sb_pdf_glyph_cache_stats();
    CHECK(s1.hits - s0.hits >= 65536);
    CHECK_EQ_INT(s1.forwarded, s0.forwarded);
    CHECK_EQ_INT(s1.fills, s0.fills); /* a new fontdef, the same table */
    sb_pdf_glyph_unbind(fd);
    CHECK_EQ_INT(sb_pdf_glyph_cache_stats().bound, 0);
    HPDF_Free(pdf);
  }
  /* cache off: the calls still reach us, and go on to libharu */
  {
    HPDF_FontDef fd;
    const char *name;
    HPDF_Doc pdf = load_face(path, &fd, &name);
    sb_pdf_glyph_stats s0, s1;
    sb_pdf_glyph_set_enabled(0);
    CHECK_EQ_INT(sb_pdf_glyph_bind(fd), 0);
    s0 = sb_pdf_glyph_cache_stats();
    CHECK(HPDF_GetFont(pdf, name, "UTF-8") != NULL);
    s1 = sb_pdf_glyph_cache_stats();
    CHECK(s1.forwarded - s0.forwarded >= 65536);
    CHECK_EQ_INT(s1.hits, s0.hits);
    sb_pdf_glyph_set_enabled(1);
    HPDF_Free(pdf);
  }
}

/* seg_count_x2 == 0: libharu sets HPDF_TTF_INVALID_CMAP; not cached. */
static void test_invalid_cmap(const char *path) {
  HPDF_FontDef fd;
  const char *name;
  HPDF_Doc pdf = load_face(path, &fd, &name);
  HPDF_TTFontDefAttr a;
  HPDF_UINT16 keep;

  CHECK(fd != NULL);
  if (!fd) {
    HPDF_Free(pdf);
    return;
  }
  a = (HPDF_TTFontDefAttr)fd->attr;
  keep = a->cmap.seg_count_x2;
  a->cmap.seg_count_x2 = 0;
  CHECK_EQ_INT(sb_pdf_glyph_bind(fd), 0);
  CHECK_EQ_INT(HPDF_TTFontDef_GetGlyphid(fd, 'A'), 0);
  CHECK_EQ_INT(HPDF_GetError(pdf), HPDF_TTF_INVALID_CMAP);
  a->cmap.seg_count_x2 = keep;
  HPDF_Free(pdf);
}

static void add_text(sb_ctx *ctx, sb_dl *dl, const sb_fontset *fs, int page,
                     int font, double y, const char *s) {
  sb_op *op = sb_dl_add_op(ctx, dl, page, SB_OP_TEXT);
  op->u.text.font = font;
  op->u.text.size = 11;
  op->u.text.x = 72;
  op->u.text.y = y;
  op->u.text.text = s;
  op->u.text.len = strlen(s);
  op->u.text.width = sb_font_width(fs->face[font], s, strlen(s), 11);
}

static sb_status render(sb_ctx *ctx, const sb_dl *dl, const sb_fontset *fs,
                        sb_buf *out) {
  sb_device *dev = sb_new_pdf_device(ctx, fs, out);
  sb_status st = sb_dl_run(ctx, dl, dev, 0, -1);
  sb_drop_device(dev);
  return st;
}

/* The same display list with and without the cache: the same bytes. */
static void test_same_bytes(const sb_fontset *fs) {
  static const char *const TEXT[] = {
      "Plain ASCII, digits 0123456789 and (parens) [brackets] {braces}",
      "\xc2\xbf" "Qu\xc3\xa9 a\xc3\xb1o? \xc5\x93\xc3\x9f\xe2\x80\x94\xe2\x80\xa6 \xe2\x82\xac",
      "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xce\x9a\xce\xb1\xce\xbb\xce\xb7\xce\xbc\xce\xad\xcf\x81\xce\xb1",
      "missing: \xe4\xb8\xad\xe6\x96\x87 \xef\xbf\xbd \xef\xac\x81"};
  sb_arena *ar = sb_new_arena(0);
  sb_buf on, off;
  sb_ctx ctx;
  sb_dl dl;
  sb_pdf_glyph_stats s0, s1, s2;
  int page, f, k;

  sb_ctx_init(&ctx);
  sb_buf_init(&on);
  sb_buf_init(&off);
  sb_dl_init(&dl, ar, 0);
  page = sb_dl_add_page(&ctx, &dl, 595.28, 841.89);
  for (f = 0; f < SB_FONT_COUNT; f++)
    for (k = 0; k < 4; k++)
      add_text(&ctx, &dl, fs, page, f, 100 + 20 * (4 * f + k), TEXT[k]);
  CHECK_EQ_INT(ctx.status, SB_OK);
  s0 = sb_pdf_glyph_cache_stats();
  CHECK_EQ_INT(render(&ctx, &dl, fs, &on), SB_OK);
  s1 = sb_pdf_glyph_cache_stats();
  sb_pdf_glyph_set_enabled(0);
  CHECK_EQ_INT(render(&ctx, &dl, fs, &off), SB_OK);
  sb_pdf_glyph_set_enabled(1);
  s2 = sb_pdf_glyph_cache_stats();
  CHECK(s1.hits - s0.hits >= 3 * 65536);  /* the cache answered */
  CHECK(s2.forwarded - s1.forwarded >= 3 * 65536); /* libharu answered */
  CHECK_EQ_INT(s2.bound, 0); /* the device unbound its fontdefs */
  CHECK(on.n > 1000 && on.n == off.n && memcmp(on.p, off.p, on.n) == 0);
  sb_buf_free(&on);
  sb_buf_free(&off);
  sb_drop_arena(ar);
  sb_ctx_free(&ctx);
}

int main(void) {
  char b[3][512];
  const char *paths[SB_FONT_COUNT];
  sb_fontset fs;
  sb_ctx ctx;
  int i;

  sb_pdf_glyph_set_enabled(1); /* whatever SKILLBOOK_NO_GLYPH_CACHE says */
  for (i = 0; i < SB_FONT_COUNT; i++)
    paths[i] = font_path(FACES[i], b[i], sizeof b[i]);
  sb_ctx_init(&ctx);
  CHECK_EQ_INT(sb_load_fontset(&ctx, paths, &fs), SB_OK);
  if (ctx.status == SB_OK) {
    test_warm(&fs);
    test_same_answers(paths);
    test_libharu_calls_us(paths[0]);
    test_invalid_cmap(paths[1]);
    test_same_bytes(&fs);
    sb_drop_fontset(&fs);
  }
  sb_ctx_free(&ctx);
  return check_report();
}
