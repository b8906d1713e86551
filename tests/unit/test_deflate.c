/*
** tests/unit/test_deflate.c -- what libdeflate writes, read back by zlib.
**
** Every stream the devices compress goes through src/devices/deflate.c.
** Here an independent decoder, zlib's inflate, reads it back: the
** compressor's output for empty, tiny, text and incompressible inputs; the
** page queue (pdf-deflate.c) with and without its helper thread (the same
** bytes, and each page inflates to exactly what was pushed); a stream made
** by sb_haru_stream, found in the saved file; and every /FlateDecode
** stream of a tagged and an untagged PDF (the output intent's profile
** inflates to exactly lcms2's bytes, each font file to its /Length1).
** PNG data is checked in test_png.c.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "check.h"
#include "devices/pdf-imp.h"
#include "skillbook/device.h"

/* Inflates the zlib data at p (at most n bytes); *used says how many it
** took. */
static unsigned char *inflate_at(const unsigned char *p, size_t n,
                                 size_t *outn, size_t *used) {
  z_stream zs;
  size_t cap = 4096, len = 0;
  unsigned char *out = malloc(cap);
  int rc;

  memset(&zs, 0, sizeof zs);
  if (!out || inflateInit(&zs) != Z_OK) {
    free(out);
    return NULL;
  }
  zs.next_in = (Bytef *)(uintptr_t)p;
  zs.avail_in = (uInt)n;
  do {
    if (len == cap) {
      cap *= 2;
      out = realloc(out, cap);
    }
    zs.next_out = out + len;
    zs.avail_out = (uInt)(cap - len);
    rc = inflate(&zs, Z_NO_FLUSH);
    len = cap - zs.avail_out;
  } while (rc == Z_OK);
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    free(out);
    return NULL;
  }
  *outn = len;
  *used = n - zs.avail_in;
  return out;
}

/* Inflates zlib data p[0..n) whole (n exactly: nothing may follow). */
static unsigned char *inflate_all(const unsigned char *p, size_t n,
                                  size_t *outn) {
  size_t used = 0;
  unsigned char *out = inflate_at(p, n, outn, &used);

  if (out && used != n) {
    free(out);
    return NULL;
  }
  return out;
}

/* Whether z[0..zn) inflates to exactly in[0..n). */
static int inflates_to(const unsigned char *z, size_t zn, const void *in,
                       size_t n) {
  size_t m = 0;
  unsigned char *back = inflate_all(z, zn, &m);
  int ok = back && m == n && (n == 0 || memcmp(back, in, n) == 0);

  free(back);
  return ok;
}

/* Deterministic pseudo-random bytes (incompressible). */
static void noise(unsigned char *p, size_t n, uint32_t seed) {
  size_t i;

  for (i = 0; i < n; i++) {
    seed = seed * 1103515245u + 12345u;
    p[i] = (unsigned char)(seed >> 16);
  }
}

/* Page-like text: operators and strings. */
static void page_text(sb_buf *b, int page, int lines) {
  int i;

  for (i = 0; i < lines; i++)
    sb_buf_printf(b, "BT /F1 10 Tf 72 %d Td (Page %d line %d: skills) Tj ET\n"
                     "0.5 w 72 %d m 500 %d l S\n",
                  800 - i * 12, page, i, 795 - i * 12, 795 - i * 12);
}

static void test_round_trip(void) {
  static const int levels[] = {SB_ZLEVEL_CONTENT, SB_ZLEVEL_STREAM,
                               SB_ZLEVEL_PACKED, SB_ZLEVEL_PNG};
  unsigned char *rnd = malloc(70000);
  sb_buf text;
  int i;

  sb_buf_init(&text);
  page_text(&text, 1, 2000);
  noise(rnd, 70000, 7);
  for (i = 0; i < 4; i++) {
    sb_deflater *a = sb_new_deflater(levels[i]), *b = sb_new_deflater(levels[i]);
    const struct {
      const void *p;
      size_t n;
    } in[] = {{"", 0}, {"a", 1}, {text.p, text.n}, {rnd, 70000}, {NULL, 0}};
    int k;
    CHECK(a && b);
    if (!a || !b)
      continue;
    for (k = 0; k < 5; k++) {
      size_t n1 = 0, n2 = 0;
      unsigned char *z1 = sb_deflate(a, in[k].p, in[k].n, &n1);
      unsigned char *z2 = sb_deflate(b, in[k].p, in[k].n, &n2);
      CHECK(z1 && z2 && n1 == n2 && memcmp(z1, z2, n1) == 0);
      CHECK(z1 && inflates_to(z1, n1, in[k].p, in[k].n));
      if (k == 2) /* text compresses */
        CHECK(n1 > 0 && n1 < in[k].n / 4);
      free(z1);
      free(z2);
    }
    sb_drop_deflater(a);
    sb_drop_deflater(b);
  }
  CHECK(sb_crc32(0, "123456789", 9) == 0xCBF43926u); /* the check value */
  CHECK(sb_crc32(sb_crc32(0, "1234", 4), "56789", 5) == 0xCBF43926u);
  CHECK(sb_crc32(0, "", 0) == crc32(0L, Z_NULL, 0));
  sb_drop_deflater(NULL);
  sb_buf_free(&text);
  free(rnd);
}

/* The page queue: threaded and not, the same bytes; each page inflates to
** what was pushed; a page never pushed has none. */
static void test_queue(void) {
  enum { NP = 24 };
  sb_buf raw[NP];
  unsigned char *zs[2][NP];
  size_t zn[2][NP];
  int t, i;

  for (i = 0; i < NP; i++) {
    sb_buf_init(&raw[i]);
    if (i == 5)
      continue; /* an empty page */
    page_text(&raw[i], i, 20 + 7 * i);
    if (i == 9) { /* and one that does not compress */
      raw[i].n = 0;
      sb_buf_add(&raw[i], "x", 1);
      {
        unsigned char r[5000];
        noise(r, sizeof r, 11);
        sb_buf_add(&raw[i], r, sizeof r);
      }
    }
  }
  for (t = 0; t < 2; t++) {
    sb_deflater *mine = sb_new_deflater(SB_ZLEVEL_CONTENT);
    pdf_zq *q = pdf_zq_new(NP, t, mine);
    for (i = 0; i < NP; i++) {
      unsigned char *copy;
      if (i == 17)
        continue; /* never pushed */
      copy = malloc(raw[i].n ? raw[i].n : 1);
      if (raw[i].n)
        memcpy(copy, raw[i].p, raw[i].n);
      pdf_zq_push(q, i, copy, raw[i].n);
    }
    CHECK_EQ_INT(pdf_zq_finish(q), -1);
    for (i = 0; i < NP; i++) {
      size_t n = 0;
      const unsigned char *z = pdf_zq_get(q, i, &n);
      zs[t][i] = NULL;
      zn[t][i] = n;
      if (i == 17) {
        CHECK(z == NULL && n == 0);
        continue;
      }
      CHECK(z && inflates_to(z, n, raw[i].p, raw[i].n));
      if (z) {
        zs[t][i] = malloc(n);
        memcpy(zs[t][i], z, n);
      }
      pdf_zq_release(q, i);
      CHECK(pdf_zq_get(q, i, &n) == NULL);
    }
    pdf_zq_free(q);
    sb_drop_deflater(mine);
  }
  for (i = 0; i < NP; i++) {
    CHECK(zn[0][i] == zn[1][i] &&
          (!zs[0][i] || memcmp(zs[0][i], zs[1][i], zn[0][i]) == 0));
    free(zs[0][i]);
    free(zs[1][i]);
    sb_buf_free(&raw[i]);
  }
}

/* The dictionary text of the object whose "stream" keyword is at s (back
** to its "obj"), or NULL. */
static const char *dict_of(const char *pdf, const char *s, size_t *dn) {
  const char *d = s;

  while (d > pdf + 3 && memcmp(d - 3, "obj", 3) != 0)
    d--;
  if (d <= pdf + 3)
    return NULL;
  *dn = (size_t)(s - d);
  return d;
}

static int dict_has(const char *d, size_t dn, const char *key) {
  size_t k = strlen(key), i;

  for (i = 0; i + k <= dn; i++)
    if (memcmp(d + i, key, k) == 0)
      return 1;
  return 0;
}

static long dict_num(const char *d, size_t dn, const char *key) {
  size_t k = strlen(key), i;

  for (i = 0; i + k <= dn; i++)
    if (memcmp(d + i, key, k) == 0)
      return strtol(d + i + k, NULL, 10);
  return -1;
}

typedef struct stream_stats {
  int flate, fonts, fonts_ok, cmaps, icc, icc_ok, objstm, xref;
} stream_stats;

/* Inflates every /FlateDecode stream of the PDF in b (the zlib data ends
** where "endstream" begins) and counts them by kind. */
static void walk_streams(const sb_buf *b, stream_stats *st) {
  const char *p = b->p, *end = b->p + b->n, *s = p;
  size_t iccn = 0;
  const unsigned char *icc = sb_pdf_srgb_icc(&iccn);

  memset(st, 0, sizeof *st);
  while ((s = memchr(s, 's', (size_t)(end - s))) != NULL) {
    const char *d, *body;
    size_t dn = 0, n = 0, used = 0;
    unsigned char *raw;
    if ((size_t)(end - s) < 8 || memcmp(s, "stream\015\012", 8) != 0 ||
        (s > p + 3 && memcmp(s - 3, "end", 3) == 0)) {
      s++;
      continue;
    }
    body = s + 8;
    d = dict_of(p, s, &dn);
    s = body;
    if (!d || !dict_has(d, dn, "/FlateDecode"))
      continue;
    /* (libharu's /Length is an indirect object: the data must end where
    ** "endstream" begins) */
    raw = inflate_at((const unsigned char *)body, (size_t)(end - body), &n,
                     &used);
    CHECK(raw != NULL && (size_t)(end - body) > used + 10 &&
          memcmp(body + used, "\012endstream", 10) == 0);
    st->flate++;
    if (raw && dict_has(d, dn, "/Length1")) {
      st->fonts++;
      st->fonts_ok += (long)n == dict_num(d, dn, "/Length1") && n > 12 &&
                      memcmp(raw, "\0\1\0\0", 4) == 0; /* a TrueType file */
    } else if (raw && n >= 8 && memcmp(raw, "/CIDInit", 8) == 0) {
      st->cmaps++;
    } else if (raw && dict_has(d, dn, "/N 3")) {
      st->icc++;
      st->icc_ok += icc && n == iccn && memcmp(raw, icc, n) == 0;
    } else if (raw && dict_has(d, dn, "/ObjStm")) {
      st->objstm++;
    } else if (raw && dict_has(d, dn, "/XRef")) {
      st->xref++;
    }
    free(raw);
  }
}

static void add_text(sb_ctx *ctx, sb_dl *dl, const sb_fontset *fs, int page,
                     int font, double y, const char *s) {
  sb_op *op = sb_dl_add_op(ctx, dl, page, SB_OP_TEXT);
  op->u.text.font = font;
  op->u.text.size = 12;
  op->u.text.x = 72;
  op->u.text.y = y;
  op->u.text.text = s;
  op->u.text.len = strlen(s);
  op->u.text.width = sb_font_width(fs->face[font], s, strlen(s), 12);
}

static void test_pdf_streams(const sb_fontset *fs) {
  sb_arena *a = sb_new_arena(0);
  sb_ctx ctx;
  sb_dl dl;
  int i, tags;

  sb_ctx_init(&ctx);
  sb_dl_init(&dl, a, 0);
  for (i = 0; i < 10; i++) {
    int pg = sb_dl_add_page(&ctx, &dl, 595.28, 841.89);
    add_text(&ctx, &dl, fs, pg, SB_FONT_REGULAR, 100, "Skills and levels, page");
    add_text(&ctx, &dl, fs, pg, SB_FONT_BOLD, 130,
             "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xc2\xbf\xc3\xb1?");
  }
  dl.info.title = "Deflate";
  dl.info.lang = "en";
  dl.info.date = -1;
  for (tags = 0; tags < 2; tags++) {
    sb_pdf_opts on = {SB_PDF_THREADS_ON, !tags}, off = {SB_PDF_THREADS_OFF, !tags};
    sb_buf one, two;
    stream_stats st;
    sb_device *dev;
    sb_buf_init(&one);
    sb_buf_init(&two);
    dev = sb_new_pdf_device_opts(&ctx, fs, &on, &one);
    CHECK_EQ_INT(sb_dl_run(&ctx, &dl, dev, 0, -1), SB_OK);
    sb_drop_device(dev);
    dev = sb_new_pdf_device_opts(&ctx, fs, &off, &two);
    CHECK_EQ_INT(sb_dl_run(&ctx, &dl, dev, 0, -1), SB_OK);
    sb_drop_device(dev);
    CHECK(one.n > 1000 && one.n == two.n && memcmp(one.p, two.p, one.n) == 0);
    walk_streams(&one, &st);
    /* 10 pages, 2 faces (file, CIDToGIDMap, ToUnicode each); tagged: the
    ** profile, the object stream and the cross-reference stream */
    CHECK_EQ_INT(st.flate, 10 + 2 * 3 + (tags ? 3 : 0));
    CHECK_EQ_INT(st.fonts, 2);
    CHECK_EQ_INT(st.fonts_ok, 2);
    CHECK_EQ_INT(st.cmaps, 2);
    CHECK_EQ_INT(st.icc, tags);
    CHECK_EQ_INT(st.icc_ok, tags);
    CHECK_EQ_INT(st.objstm, tags);
    CHECK_EQ_INT(st.xref, tags);
    sb_buf_free(&one);
    sb_buf_free(&two);
  }
  sb_drop_arena(a);
  sb_ctx_free(&ctx);
}

/* The profile deflated once per process (pdf-archive.c) is what a fresh
** compressor at the streams' level writes, and inflates to the profile. */
static void test_icc_cache(void) {
  size_t n = 0, zn = 0, fn = 0, back = 0;
  const unsigned char *icc = sb_pdf_srgb_icc(&n);
  const unsigned char *z = sb_pdf_srgb_icc_z(&zn);
  sb_deflater *dz = sb_new_deflater(SB_ZLEVEL_STREAM);
  unsigned char *fresh = dz && icc ? sb_deflate(dz, icc, n, &fn) : NULL;
  unsigned char *raw = z ? inflate_all(z, zn, &back) : NULL;

  CHECK(icc != NULL && n > 128 && z != NULL && zn > 0 && zn < n);
  CHECK(fresh != NULL && fn == zn && memcmp(fresh, z, zn) == 0);
  CHECK(raw != NULL && back == n && memcmp(raw, icc, n) == 0);
  CHECK(sb_pdf_srgb_icc_z(&fn) == z && fn == zn); /* made once */
  free(raw);
  free(fresh);
  sb_drop_deflater(dz);
}

/* The strings of the text ops on the first page content of the PDF in b
** that holds a text op: the bytes between "Tm [(" and ")] TJ" (kerned) or
** "Tm (" and ") Tj", one after another in out, the length of each in
** len[] (at most max). Returns the count. */
static int page_strings(const sb_buf *b, sb_buf *out, size_t *len, int max) {
  const char *p = b->p, *end = b->p + b->n, *s = p;
  int count = 0;

  while (!count && (s = memchr(s, 's', (size_t)(end - s))) != NULL) {
    size_t n = 0, used = 0, i;
    unsigned char *raw;
    if ((size_t)(end - s) < 8 || memcmp(s, "stream\015\012", 8) != 0 ||
        (s > p + 3 && memcmp(s - 3, "end", 3) == 0)) {
      s++;
      continue;
    }
    s += 8;
    raw = inflate_at((const unsigned char *)s, (size_t)(end - s), &n, &used);
    for (i = 0; raw && i + 5 <= n && count < max; i++) {
      int tj = i + 6 <= n && memcmp(raw + i, " Tm [(", 6) == 0;
      size_t j;
      if (!tj && memcmp(raw + i, " Tm (", 5) != 0)
        continue;
      i += tj ? 6 : 5;
      for (j = i; j + 5 <= n; j++)
        if (tj ? j + 6 <= n && memcmp(raw + j, ")] TJ\012", 6) == 0
               : memcmp(raw + j, ") Tj\012", 5) == 0)
          break;
      sb_buf_add(out, (const char *)raw + i, j - i);
      len[count++] = j - i;
      i = j;
    }
    free(raw);
  }
  return count;
}

static int holds(const char *p, size_t n, const char *s) {
  size_t k = strlen(s), i;

  for (i = 0; i + k <= n; i++)
    if (memcmp(p + i, s, k) == 0)
      return 1;
  return 0;
}

/* A text op's strings are written in one pass up to a length and in two
** above it (pdf-content.c, draw_text): the two agree. A unit that ends in
** a space (no kern across it), holding kerned pairs and characters whose
** CIDs PDF escapes (13: CR; the parentheses and the backslash are 40, 41
** and 92 only in larger sets, so they are escaped as themselves here: the
** unit holds "(", ")" and "\\" as characters too), is shown once, 30
** times (under the one-pass length) and 40 times (over it): the strings
** are the unit's, repeated. */
static void test_text_strings(const sb_fontset *fs) {
  static const char unit[] = "AVAWAY To Wolf, (x) \\ yes. ";
  sb_arena *a = sb_new_arena(0);
  char *u30 = malloc(sizeof unit * 40), *u40 = malloc(sizeof unit * 40);
  sb_buf pdf, strs;
  sb_ctx ctx;
  sb_dl dl;
  int pg, i;

  sb_ctx_init(&ctx);
  sb_buf_init(&pdf);
  sb_buf_init(&strs);
  sb_dl_init(&dl, a, 0);
  u30[0] = u40[0] = 0;
  for (i = 0; i < 40; i++) {
    if (i < 30)
      strcat(u30, unit);
    strcat(u40, unit);
  }
  CHECK(strlen(u30) < 1024 && strlen(u40) > 1024);
  pg = sb_dl_add_page(&ctx, &dl, 595.28, 841.89);
  add_text(&ctx, &dl, fs, pg, SB_FONT_REGULAR, 100, unit);
  add_text(&ctx, &dl, fs, pg, SB_FONT_REGULAR, 130, u30);
  add_text(&ctx, &dl, fs, pg, SB_FONT_REGULAR, 160, u40);
  dl.info.date = -1;
  sb_pdf_opts off = {SB_PDF_THREADS_OFF, 1};
  sb_device *dev = sb_new_pdf_device_opts(&ctx, fs, &off, &pdf);
  CHECK_EQ_INT(sb_dl_run(&ctx, &dl, dev, 0, -1), SB_OK);
  sb_drop_device(dev);
  size_t len[3] = {0, 0, 0};
  CHECK_EQ_INT(page_strings(&pdf, &strs, len, 3), 3);
  if (strs.n > 0 && len[0] > 0) {
    const char *s1 = strs.p, *s30 = s1 + len[0], *s40 = s30 + len[1];
    size_t n1 = len[0];
    CHECK(holds(s1, n1, ") "));   /* a kerned pair */
    CHECK(holds(s1, n1, "\\r")); /* CID 13, escaped */
    CHECK_EQ_INT(len[1], 30 * n1);
    CHECK_EQ_INT(len[2], 40 * n1);
    for (i = 0; i < 40 && len[1] == 30 * n1 && len[2] == 40 * n1; i++) {
      CHECK(i >= 30 || memcmp(s30 + i * n1, s1, n1) == 0);
      CHECK(memcmp(s40 + i * n1, s1, n1) == 0);
    }
  }
  free(u30);
  free(u40);
  sb_buf_free(&pdf);
  sb_buf_free(&strs);
  sb_drop_arena(a);
  sb_ctx_free(&ctx);
}

int main(void) {
  static const char *const faces[] = {"LiberationSans-Regular.ttf",
                                      "LiberationSans-Bold.ttf",
                                      "LiberationSans-Italic.ttf"};
  char b[SB_FONT_COUNT][512];
  const char *paths[SB_FONT_COUNT];
  sb_fontset fs;
  sb_ctx ctx;
  int i;

  test_round_trip();
  test_queue();
  test_icc_cache();
  for (i = 0; i < SB_FONT_COUNT; i++) {
    snprintf(b[i], sizeof b[i], "%s/fonts/%s", SB_SOURCE_DIR, faces[i]);
    paths[i] = b[i];
  }
  sb_ctx_init(&ctx);
  CHECK_EQ_INT(sb_load_fontset(&ctx, paths, &fs), SB_OK);
  if (ctx.status == SB_OK) {
    test_pdf_streams(&fs);
    test_text_strings(&fs);
    sb_drop_fontset(&fs);
  }
  sb_ctx_free(&ctx);
  return check_report();
}
