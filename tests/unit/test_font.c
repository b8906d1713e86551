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
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H

#include "check.h"
#include "skillbook/font.h"

static const char *const FACES[] = {"LiberationSans-Regular.ttf",
                                    "LiberationSans-Bold.ttf",
                                    "LiberationSans-Italic.ttf"};

/* The project's own fonts/ folder: no test reads a system font. */
static const char *font_path(const char *name, char *buf, size_t n) {
  snprintf(buf, n, "%s/fonts/%s", SB_SOURCE_DIR, name);
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
  /* A CFF-outlined OpenType font of our own (tests/data/make-cff-font.py). */
  const char *otf = SB_SOURCE_DIR "/tests/data/box-cff.otf";
  char txt[] = "/tmp/sb-test-font-XXXXXX";
  char cut[] = "/tmp/sb-test-font-XXXXXX";
  static char head[2048];
  FILE *fp;
  size_t n = 0;
  int fd;

  expect_refused(otf, "is an OpenType/CFF font; skillbook embeds TrueType");

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

/* ==== Kerning ==== */

/* sb_font_kern against FreeType's FT_Get_Kerning (unscaled, then scaled
** to 1/1000 em, rounded) for every pair of a set of code points: ASCII,
** Latin-1, basic Cyrillic and some punctuation; pairs with a space are 0. */
static void test_kern_matches_freetype(const char *path) {
  static int32_t cps[400];
  int ncp = 0, i, j;
  long pairs = 0, bad = 0;
  sb_ctx ctx;
  sb_font *f = NULL;
  FT_Library lib;
  FT_Face face;

  for (i = 0x20; i < 0x7F; i++) cps[ncp++] = i;
  for (i = 0xA0; i < 0x100; i++) cps[ncp++] = i;
  for (i = 0x410; i < 0x450; i++) cps[ncp++] = i;
  cps[ncp++] = 0x2013;
  cps[ncp++] = 0x2019;
  cps[ncp++] = 0x201C;
  cps[ncp++] = 0x2026;
  sb_ctx_init(&ctx);
  CHECK_EQ_INT(sb_load_font(&ctx, path, &f), SB_OK);
  CHECK(FT_Init_FreeType(&lib) == 0);
  CHECK(FT_New_Face(lib, path, 0, &face) == 0);
  if (!f) return;
  CHECK(sb_font_has_kerning(f));
  CHECK(FT_HAS_KERNING(face));
  for (i = 0; i < ncp; i++)
    for (j = 0; j < ncp; j++) {
      FT_Vector v = {0, 0};
      long want;
      int got = sb_font_kern(f, cps[i], cps[j]);
      FT_Get_Kerning(face, FT_Get_Char_Index(face, (FT_ULong)cps[i]),
                     FT_Get_Char_Index(face, (FT_ULong)cps[j]),
                     FT_KERNING_UNSCALED, &v);
      want = v.x * 1000;
      want = (want < 0 ? want - face->units_per_EM / 2
                       : want + face->units_per_EM / 2) /
             (long)face->units_per_EM;
      if (cps[i] == ' ' || cps[j] == ' ')
        want = 0; /* never across a space */
      pairs += want != 0;
      if (got != want && bad++ < 5)
        printf("%s: kern U+%04X U+%04X: %d, FreeType %ld\n", path,
               (unsigned)cps[i], (unsigned)cps[j], got, want);
      /* the bitmap that lets loops skip sb_font_kern never hides a pair */
      if (got && !SB_KERN_LEFT(sb_font_kern_lefts(f), cps[i]) && bad++ < 5)
        printf("U+%04X kerns but is not in the lefts bitmap\n",
               (unsigned)cps[i]);
    }
  printf("%s: %ld kerned pairs checked against FreeType\n", path, pairs);
  CHECK(pairs > 100);
  CHECK_EQ_INT((int)bad, 0);
  FT_Done_Face(face);
  FT_Done_FreeType(lib);
  sb_drop_font(f);
  sb_ctx_free(&ctx);
}

/* Known pairs of Liberation Sans Regular (kern table values in units of
** 2048), and widths that include them. */
static void test_kern_values(const char *path) {
  sb_ctx ctx;
  sb_font *f = NULL;

  sb_ctx_init(&ctx);
  CHECK_EQ_INT(sb_load_font(&ctx, path, &f), SB_OK);
  if (!f) return;
  CHECK_EQ_INT(sb_font_kern(f, 'A', 'V'), -74);  /* -152 */
  CHECK_EQ_INT(sb_font_kern(f, 'T', 'e'), -111); /* -227 */
  CHECK_EQ_INT(sb_font_kern(f, '1', '1'), -74);  /* -152 */
  CHECK_EQ_INT(sb_font_kern(f, 'V', 'A'), -74);
  CHECK_EQ_INT(sb_font_kern(f, 'e', 'T'), 0);    /* not a pair */
  CHECK_EQ_INT(sb_font_kern(f, 'A', ' '), 0);    /* -113 in the table */
  CHECK_EQ_INT(sb_font_kern(f, ' ', 'A'), 0);
  CHECK_EQ_INT(sb_font_kern(f, -1, 'A'), 0);
  CHECK_EQ_INT(sb_font_kern(f, 'A', 0x1F600), 0);
  CHECK_EQ_DBL(sb_font_width(f, "AV", 2, 10.0),
               (sb_font_advance(f, 'A') + sb_font_advance(f, 'V') - 74) / 100.0,
               1e-9);
  CHECK_EQ_DBL(sb_font_width(f, "A V", 3, 10.0),
               (sb_font_advance(f, 'A') + sb_font_advance(f, ' ') +
                sb_font_advance(f, 'V')) / 100.0,
               1e-9);
  sb_drop_font(f);
  sb_ctx_free(&ctx);
}

/* Offset and length of a table in a font file, 0 when absent. */
static size_t find_table(const unsigned char *d, size_t n, const char *tag,
                         size_t *len) {
  unsigned nt = n >= 12 ? (unsigned)(d[4] << 8 | d[5]) : 0, i;

  for (i = 0; i < nt && 12 + 16 * (size_t)(i + 1) <= n; i++) {
    const unsigned char *e = d + 12 + 16 * i;
    if (memcmp(e, tag, 4) == 0) {
      *len = (size_t)e[12] << 24 | (size_t)e[13] << 16 | (size_t)e[14] << 8 |
             e[15];
      return (size_t)e[8] << 24 | (size_t)e[9] << 16 | (size_t)e[10] << 8 |
             e[11];
    }
  }
  return 0;
}

/* Broken kern tables (a style may name any font): the face loads, lookups
** stay in bounds (the sanitizer run would see a bad read) and values stay
** within their limits. */
static void test_kern_hostile(const char *path) {
  static unsigned char data[1 << 20], copy[1 << 20];
  char tmp[] = "/tmp/sb-test-kern-XXXXXX";
  size_t n = 0, off, len = 0;
  FILE *fp = fopen(path, "rb");
  int fd, c;

  if (fp) {
    n = fread(data, 1, sizeof data, fp);
    fclose(fp);
  }
  off = find_table(data, n, "kern", &len);
  CHECK(off > 0 && len > 30 && off + len <= n);
  if (!off || len <= 30 || off + len > n) return;
  fd = mkstemp(tmp);
  if (fd < 0) return;
  close(fd);
  for (c = 0; c < 6; c++) {
    unsigned char *k;
    sb_ctx ctx;
    sb_font *f = NULL;
    memcpy(copy, data, n);
    k = copy + off;
    switch (c) {
    case 0: k[2] = k[3] = 0xFF; break;          /* 65,535 subtables */
    case 1: k[10] = k[11] = 0xFF; break;        /* 65,535 pairs */
    case 2: k[6] = k[7] = 0; break;             /* subtable length 0 */
    case 3: k[6] = k[7] = 0xFF; k[10] = k[11] = 0xFF; break;
    case 4: k[22] = 0x80; k[23] = 0; break;     /* first value -32768 */
    case 5: k[0] = 0; k[1] = 1; break;          /* unknown version */
    }
    write_file(tmp, (const char *)copy, n);
    sb_ctx_init(&ctx);
    CHECK_EQ_INT(sb_load_font(&ctx, tmp, &f), SB_OK);
    if (f) {
      int32_t a, b;
      int worst = 0;
      for (a = 0x21; a < 0x7F; a++)
        for (b = 0x21; b < 0x7F; b++) {
          int v = sb_font_kern(f, a, b);
          if (v < -sb_font_advance(f, a) || v < -1000 || v > 1000) worst = v;
        }
      CHECK_EQ_INT(worst, 0);
      if (c == 5) CHECK(!sb_font_has_kerning(f));
      sb_drop_font(f);
    }
    sb_ctx_free(&ctx);
  }
  unlink(tmp);
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

/* Points of glyph g unscaled (-1 when FreeType cannot load it); with a
** copy of the outline's coordinates summed into *sum. */
static int outline(FT_Face face, unsigned g, long *sum) {
  int i;

  *sum = 0;
  if (FT_Load_Glyph(face, g, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING) != 0)
    return -1;
  for (i = 0; i < face->glyph->outline.n_points; i++)
    *sum += face->glyph->outline.points[i].x * 3 + face->glyph->outline.points[i].y;
  return face->glyph->outline.n_points;
}

/* The first composite glyph of the face (numberOfContours < 0), 0 if none:
** FreeType flags a loaded composite with FT_GLYPH_FORMAT_COMPOSITE only
** with FT_LOAD_NO_RECURSE. */
static unsigned find_composite(FT_Face face, unsigned *ncomp) {
  unsigned g;

  for (g = 1; g < (unsigned)face->num_glyphs; g++)
    if (FT_Load_Glyph(face, g, FT_LOAD_NO_SCALE | FT_LOAD_NO_RECURSE) == 0 &&
        face->glyph->format == FT_GLYPH_FORMAT_COMPOSITE &&
        face->glyph->num_subglyphs >= 2) {
      *ncomp = face->glyph->num_subglyphs;
      return g;
    }
  return 0;
}

/* A subset keeps the outlines and advances of the glyphs asked for (and of
** the components of a composite one, whose references follow the new
** numbering), numbers them from 0 in their old order, and has nothing
** else. Read back with FreeType. */
static void test_subset(const char *path) {
  sb_ctx ctx;
  sb_font *f = NULL;
  FT_Library lib;
  FT_Face orig = NULL, sub = NULL;
  uint8_t keep[65536 / 8];
  static uint16_t newgid[65536];
  unsigned ga, gz, gcomp, ncomp = 0, g, kept = 0;
  sb_buf b;
  long s1, s2;

  sb_ctx_init(&ctx);
  sb_buf_init(&b);
  CHECK_EQ_INT(sb_load_font(&ctx, path, &f), SB_OK);
  CHECK(FT_Init_FreeType(&lib) == 0);
  CHECK(FT_New_Face(lib, path, 0, &orig) == 0);
  if (!f || !orig)
    return;
  ga = sb_font_glyph(f, 'a');
  gz = sb_font_glyph(f, 'z');
  CHECK_EQ_INT(ga, FT_Get_Char_Index(orig, 'a'));
  CHECK_EQ_INT(sb_font_glyph(f, 0x4E00), 0);
  gcomp = find_composite(orig, &ncomp);
  CHECK(gcomp > 0);
  memset(keep, 0, sizeof keep);
  keep[ga >> 3] |= (uint8_t)(1u << (ga & 7));
  keep[gcomp >> 3] |= (uint8_t)(1u << (gcomp & 7));
  CHECK_EQ_INT(sb_font_subset(&ctx, f, keep, 65536, &b, newgid), SB_OK);
  CHECK(b.n > 100 && b.n < 12000);
  for (g = 1; g < 65536; g++)
    if (newgid[g]) {
      CHECK(newgid[g] == kept + 1); /* old order kept, no gaps */
      kept++;
    }
  CHECK_EQ_INT(newgid[0], 0);
  CHECK(newgid[ga] > 0 && newgid[gcomp] > 0 && newgid[gz] == 0);
  CHECK(kept >= 2 + ncomp - 1); /* 'a', the composite, its components */
  CHECK(FT_New_Memory_Face(lib, (const FT_Byte *)b.p, (FT_Long)b.n, 0, &sub) == 0);
  if (sub) {
    CHECK_EQ_INT(sub->num_glyphs, (int)kept + 1);
    CHECK(outline(orig, ga, &s1) > 0);
    CHECK_EQ_INT(outline(sub, newgid[ga], &s2), outline(orig, ga, &s1));
    CHECK(s1 == s2);
    /* the composite draws whole: its components came along, renumbered */
    CHECK(outline(orig, gcomp, &s1) > 0);
    CHECK_EQ_INT(outline(sub, newgid[gcomp], &s2), outline(orig, gcomp, &s1));
    CHECK(s1 == s2);
    CHECK(FT_Load_Glyph(sub, newgid[ga], FT_LOAD_NO_SCALE) == 0);
    s2 = sub->glyph->metrics.horiAdvance;
    CHECK(FT_Load_Glyph(orig, ga, FT_LOAD_NO_SCALE) == 0);
    CHECK(s2 == orig->glyph->metrics.horiAdvance);
    for (g = 0; g <= kept; g++) /* every glyph loads */
      if (outline(sub, g, &s2) < 0)
        break;
    CHECK_EQ_INT(g, kept + 1);
    CHECK(FT_Load_Glyph(sub, kept + 1, FT_LOAD_NO_SCALE) != 0);
    FT_Done_Face(sub);
  }
  printf("subset of 'a' and composite glyph %u (%u components): %zu bytes\n",
         gcomp, ncomp, b.n);

  /* tables that lie are refused with the path */
  {
    size_t n;
    const unsigned char *d = sb_font_data(f, &n);
    unsigned char *bad = malloc(n);
    ctx.quiet = 1;
    if (bad) {
      memcpy(bad, d, n);
      CHECK_EQ_INT(sb_font_check_tables(&ctx, "x.ttf", bad, n), SB_OK);
      CHECK_EQ_INT(sb_font_check_tables(&ctx, "x.ttf", bad, 40), SB_E_FONT);
      CHECK(strstr(ctx.errmsg, "x.ttf") != NULL);
      bad[4] = 0xFF; /* 65,280+ tables: the directory runs off the end */
      CHECK_EQ_INT(sb_font_check_tables(&ctx, "x.ttf", bad, n), SB_E_FONT);
      free(bad);
    }
  }
  FT_Done_Face(orig);
  FT_Done_FreeType(lib);
  sb_buf_free(&b);
  sb_drop_font(f);
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
  for (i = 0; i < sizeof FACES / sizeof FACES[0]; i++)
    test_kern_matches_freetype(font_path(FACES[i], buf, sizeof buf));
  test_kern_values(font_path(FACES[0], buf, sizeof buf));
  test_kern_hostile(font_path(FACES[0], buf, sizeof buf));
  for (i = 0; i < sizeof FACES / sizeof FACES[0]; i++)
    test_subset(font_path(FACES[i], buf, sizeof buf));
  return check_report();
}
