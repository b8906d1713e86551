/*
** tests/unit/test_font.c -- font loading, coverage and libharu-exact widths.
**
** The widths test is the guard DESIGN.md asks for: for every BMP code
** point a Liberation face covers, sb_font_advance must equal what libharu
** itself reports (HPDF_Font_GetUnicodeWidth, the number it writes to /W),
** and ascent/descent must equal HPDF_Font_GetAscent/GetDescent. Then the
** refusals: CFF .otf, a text file, a truncated file, a missing file.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hpdf.h>

#include "check.h"
#include "skillbook/font.h"

static const char *const FACES[] = {"LiberationSans-Regular.ttf",
                                    "LiberationSans-Bold.ttf",
                                    "LiberationSans-Italic.ttf"};

/* The project's fonts/ folder, else Debian's copy. */
static const char *font_path(const char *name, char *buf, size_t n) {
  snprintf(buf, n, "%s/fonts/%s", SB_SOURCE_DIR, name);
  if (access(buf, R_OK) == 0)
    return buf;
  snprintf(buf, n, "/usr/share/fonts/truetype/liberation2/%s", name);
  return buf;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void on_err(HPDF_STATUS e, HPDF_STATUS d, void *u) {
  (void)u;
  fprintf(stderr, "libharu error 0x%04X (%u)\n", (unsigned)e, (unsigned)d);
}

/* Every covered BMP code point: our advance == libharu's width. */
static void test_widths_match_libharu(const char *path) {
  sb_ctx ctx;
  sb_font *f = NULL;
  HPDF_Doc pdf;
  HPDF_Font hf;
  const char *name;
  long covered = 0, bad = 0;
  int32_t cp;
  double t0;

  sb_ctx_init(&ctx);
  t0 = now_ms();
  CHECK_EQ_INT(sb_load_font(&ctx, path, &f), SB_OK);
  printf("sb_load_font %s: %.2f ms\n", path, now_ms() - t0);
  if (!f) {
    sb_ctx_free(&ctx);
    return;
  }
  pdf = HPDF_New(on_err, NULL);
  HPDF_UseUTFEncodings(pdf);
  name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
  hf = name ? HPDF_GetFont(pdf, name, "UTF-8") : NULL;
  CHECK(hf != NULL);
  for (cp = 0; hf && cp < 65536; cp++) {
    if (!sb_font_covers(f, cp))
      continue;
    covered++;
    if (sb_font_advance(f, cp) != HPDF_Font_GetUnicodeWidth(hf, (HPDF_UNICODE)cp)) {
      if (bad++ < 5)
        fprintf(stderr, "U+%04X: ours %d, libharu %d\n", (unsigned)cp,
                sb_font_advance(f, cp),
                (int)HPDF_Font_GetUnicodeWidth(hf, (HPDF_UNICODE)cp));
    }
  }
  CHECK(covered > 2000);
  CHECK_EQ_INT(bad, 0);
  if (hf) {
    CHECK_EQ_INT(sb_font_ascent(f), HPDF_Font_GetAscent(hf));
    CHECK_EQ_INT(sb_font_descent(f), HPDF_Font_GetDescent(hf));
  }
  HPDF_Free(pdf);
  sb_drop_font(f);
  sb_ctx_free(&ctx);
}

static void test_coverage(const char *path) {
  sb_ctx ctx;
  sb_font *f = NULL;
  const char *s = "\xc3\xb1" "and\xc3\xba";  /* "ñandú" */

  sb_ctx_init(&ctx);
  CHECK_EQ_INT(sb_load_font(&ctx, path, &f), SB_OK);
  if (!f)
    return;
  CHECK(sb_font_covers(f, 0x0436));   /* ж */
  CHECK(sb_font_covers(f, 0x00F1));   /* ñ */
  CHECK(sb_font_covers(f, 0x03A9));   /* Ω */
  CHECK(!sb_font_covers(f, 0x4E00));  /* CJK */
  CHECK(!sb_font_covers(f, 0x1F600)); /* beyond the BMP */
  CHECK(!sb_font_covers(f, -1));
  CHECK_EQ_INT(sb_font_advance(f, 0x4E00), 0);
  CHECK_EQ_INT(sb_font_advance(f, ' '), 277);  /* 569 * 1000 / 2048 */
  CHECK_EQ_DBL(sb_font_width(f, s, strlen(s), 10.0),
               (sb_font_advance(f, 0xF1) + sb_font_advance(f, 'a') +
                sb_font_advance(f, 'n') + sb_font_advance(f, 'd') +
                sb_font_advance(f, 0xFA)) * 10.0 / 1000.0,
               1e-9);
  CHECK(strstr(sb_font_name(f), "Liberation") != NULL);
  CHECK_STR(sb_font_path(f), path);
  CHECK(sb_keep_font(f) == f);
  sb_drop_font(f);  /* one reference left */
  CHECK(sb_font_covers(f, 'A'));
  sb_drop_font(f);
  sb_ctx_free(&ctx);
}

/* Loading path must fail with SB_E_FONT and a message holding want. */
static void expect_refused(const char *path, const char *want) {
  sb_ctx ctx;
  sb_font *f = (sb_font *)&ctx;  /* must be reset to NULL */

  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  CHECK_EQ_INT(sb_load_font(&ctx, path, &f), SB_E_FONT);
  CHECK(f == NULL);
  CHECK(strstr(ctx.errmsg, path) != NULL);
  if (!strstr(ctx.errmsg, want)) {
    fprintf(stderr, "message \"%s\" lacks \"%s\"\n", ctx.errmsg, want);
    CHECK(0);
  }
  sb_ctx_free(&ctx);
}

static void write_file(const char *path, const void *p, size_t n) {
  FILE *fp = fopen(path, "wb");
  if (fp) {
    fwrite(p, 1, n, fp);
    fclose(fp);
  }
}

static void test_refusals(const char *ttf) {
  const char *otf = "/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf";
  char txt[] = "/tmp/sb-test-font-XXXXXX";
  char cut[] = "/tmp/sb-test-font-XXXXXX";
  static char head[2048];
  FILE *fp;
  size_t n = 0;
  int fd;

  if (access(otf, R_OK) == 0)
    expect_refused(otf, "is an OpenType/CFF font; libharu embeds TrueType");
  else
    printf("skipped: no CFF font at %s\n", otf);

  fd = mkstemp(txt);
  if (fd >= 0) {
    close(fd);
    write_file(txt, "this is not a font\n", 19);
    expect_refused(txt, "not a TrueType font (FreeType: ");
    unlink(txt);
  }

  fp = fopen(ttf, "rb");
  if (fp) {
    n = fread(head, 1, sizeof head, fp);
    fclose(fp);
  }
  fd = mkstemp(cut);
  if (fd >= 0 && n > 0) {
    close(fd);
    write_file(cut, head, n);
    expect_refused(cut, "");
    unlink(cut);
  }
  expect_refused("/nonexistent/Font.ttf", "cannot open font: ");
}

static void test_fontset(void) {
  char b[3][512];
  const char *paths[SB_FONT_COUNT];
  sb_fontset fs;
  sb_ctx ctx;
  int i;

  for (i = 0; i < SB_FONT_COUNT; i++)
    paths[i] = font_path(FACES[i], b[i], sizeof b[i]);
  sb_ctx_init(&ctx);
  CHECK_EQ_INT(sb_load_fontset(&ctx, paths, &fs), SB_OK);
  CHECK(fs.face[SB_FONT_BOLD] != NULL);
  CHECK(sb_font_advance(fs.face[SB_FONT_BOLD], 'b') !=
        sb_font_advance(fs.face[SB_FONT_REGULAR], 'b'));
  sb_drop_fontset(&fs);
  CHECK(fs.face[0] == NULL);
  paths[2] = "/nonexistent/Font.ttf";
  ctx.quiet = 1;
  CHECK_EQ_INT(sb_load_fontset(&ctx, paths, &fs), SB_E_FONT);
  CHECK(fs.face[0] == NULL);
  sb_ctx_free(&ctx);
}

int main(void) {
  char buf[512];
  size_t i;

  for (i = 0; i < sizeof FACES / sizeof FACES[0]; i++)
    test_widths_match_libharu(font_path(FACES[i], buf, sizeof buf));
  test_coverage(font_path(FACES[0], buf, sizeof buf));
  test_refusals(font_path(FACES[0], buf, sizeof buf));
  test_fontset();
  return check_report();
}
