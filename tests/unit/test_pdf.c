/*
** tests/unit/test_pdf.c -- the display list, the trace device, the PDF device.
**
** Builds a two-page display list by hand (Spanish, Russian and Greek text,
** a rectangle, a dashed line, a Bézier path with alpha, a link from page 1
** to page 2, two outlines), renders it to PDF twice (the bytes must be
** identical), and checks the file with tools no one here wrote: pdftotext
** (text extracts, nothing on stderr), qpdf --check, pdffonts (every font
** embedded) and pdfinfo (UTF-8 title). A tool that is not installed skips
** its check with a note. The trace device is checked against a literal.
** The save appends to what the buffer holds, and a failed document leaves
** it as it was; only src/devices/pdf-haru.c includes libharu's headers.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "devices/deflate.h"
#include "devices/pdf-haru.h"
#include "skillbook/device.h"

#define ES "\xc2\xbf" "Qu\xc3\xa9 a\xc3\xb1o? \xc2\xa1" "Ma\xc3\xb1" "ana! \xc3\xa1\xc3\xa9\xc3\xad\xc3\xb3\xc3\xba"
#define RU "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, \xd0\xbc\xd0\xb8\xd1\x80"
#define EL "\xce\x9a\xce\xb1\xce\xbb\xce\xb7\xce\xbc\xce\xad\xcf\x81\xce\xb1"
#define TITLE "Gu\xc3\xad" "a de \xd0\xbd\xd0\xb0\xd0\xb2\xd1\x8b\xd0\xba\xd0\xb8"

static const char *const FACES[] = {"LiberationSans-Regular.ttf",
                                    "LiberationSans-Bold.ttf",
                                    "LiberationSans-Italic.ttf"};

static const char *font_path(const char *name, char *buf, size_t n) {
  snprintf(buf, n, "%s/fonts/%s", SB_SOURCE_DIR, name);
  return buf;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void add_text(sb_ctx *ctx, sb_dl *dl, const sb_fontset *fs, int page,
                     int font, double x, double y, const char *s) {
  sb_op *op = sb_dl_add_op(ctx, dl, page, SB_OP_TEXT);
  op->u.text.font = font;
  op->u.text.size = 12;
  op->u.text.x = x;
  op->u.text.y = y;
  op->u.text.text = s;
  op->u.text.len = strlen(s);
  op->u.text.width = sb_font_width(fs->face[font], s, strlen(s), 12);
}

/* The two-page document of this test. */
static void build_doc(sb_ctx *ctx, sb_dl *dl, const sb_fontset *fs) {
  static const sb_pathseg segs[] = {
      {'M', {100, 0, 0}, {400, 0, 0}},
      {'C', {150, 250, 300}, {300, 300, 400}},
      {'L', {200, 0, 0}, {450, 0, 0}},
      {'Z', {0, 0, 0}, {0, 0, 0}},
  };
  sb_op *op;
  int p1 = sb_dl_add_page(ctx, dl, 595.28, 841.89);
  int p2 = sb_dl_add_page(ctx, dl, 595.28, 841.89);

  add_text(ctx, dl, fs, p1, SB_FONT_REGULAR, 72, 100, ES);
  add_text(ctx, dl, fs, p1, SB_FONT_BOLD, 72, 130, RU);
  add_text(ctx, dl, fs, p2, SB_FONT_REGULAR, 72, 100, EL);
  op = sb_dl_add_op(ctx, dl, p1, SB_OP_RECT);
  op->u.rect.x = 72, op->u.rect.y = 200, op->u.rect.w = 200, op->u.rect.h = 50;
  op->u.rect.fill = 1, op->u.rect.stroke = 1;
  op->u.rect.fill_color = (sb_color){0.9, 0.9, 1};
  op->u.rect.st.width = 0.5;
  op = sb_dl_add_op(ctx, dl, p1, SB_OP_LINE);
  op->u.line.x0 = 72, op->u.line.y0 = 300, op->u.line.x1 = 500;
  op->u.line.y1 = 300;
  op->u.line.st = (sb_stroke){{1, 0, 0}, 1.5, {3, 1.5, 0, 0}, 2, 1, 1};
  op = sb_dl_add_path(ctx, dl, p1, segs, 4);
  op->u.path.fill = 1, op->u.path.stroke = 1;
  op->u.path.fill_color = (sb_color){0, 0.5, 0};
  op->u.path.fill_alpha = 0.5;
  op->u.path.st.width = 1;
  op = sb_dl_add_op(ctx, dl, p1, SB_OP_LINK);
  op->u.link.x = 72, op->u.link.y = 88, op->u.link.w = 200, op->u.link.h = 16;
  op->u.link.page = p2, op->u.link.dest_y = 80;
  sb_dl_add_outline(ctx, dl, "Uno: " ES, 0, p1, 90);
  sb_dl_add_outline(ctx, dl, "Dos: " EL, 1, p2, 90);
  dl->info.title = TITLE;
  dl->info.author = "Jos\xc3\xa9";
  dl->info.lang = "es";
  dl->info.date = 1700000000;
}

/* Runs cmd; stores stdout (and stderr when err is NULL) in out. */
static int run(const char *cmd, sb_buf *out) {
  char line[4096];
  FILE *fp = popen(cmd, "r");
  if (!fp)
    return -1;
  while (fgets(line, sizeof line, fp))
    sb_buf_adds(out, line);
  return pclose(fp);
}

static int have(const char *tool) {
  char cmd[256];
  snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
  if (system(cmd) == 0)
    return 1;
  printf("skipped: %s not installed\n", tool);
  return 0;
}

static void check_tools(const char *file) {
  char cmd[1024];
  sb_buf o;

  sb_buf_init(&o);
  if (have("pdftotext")) {
    snprintf(cmd, sizeof cmd, "pdftotext %s - 2>&1", file);
    CHECK_EQ_INT(run(cmd, &o), 0);
    CHECK(o.p && strstr(o.p, ES));
    CHECK(o.p && strstr(o.p, RU));
    CHECK(o.p && strstr(o.p, EL));
    CHECK(o.p && !strstr(o.p, "Error") && !strstr(o.p, "Warning"));
    o.n = 0;
  }
  if (have("qpdf")) {
    snprintf(cmd, sizeof cmd, "qpdf --check %s 2>&1", file);
    CHECK_EQ_INT(run(cmd, &o), 0);
    CHECK(o.p && strstr(o.p, "No syntax or stream encoding errors"));
    o.n = 0;
  }
  if (have("pdffonts")) {
    char *line, none[1] = "";
    int fonts = 0;
    snprintf(cmd, sizeof cmd, "pdffonts %s 2>&1", file);
    CHECK_EQ_INT(run(cmd, &o), 0);
    /* name type encoding emb sub uni object: emb is "yes" on every row */
    for (line = strtok(o.p ? o.p : none, "\n"); line;
         line = strtok(NULL, "\n"))
      if (strstr(line, "CID TrueType")) {
        fonts++;
        CHECK(strstr(line, "Identity-H       yes yes yes") != NULL);
      }
    CHECK_EQ_INT(fonts, 2);  /* regular and bold; italic is unused */
    o.n = 0;
  }
  if (have("pdfinfo")) {
    snprintf(cmd, sizeof cmd, "pdfinfo %s 2>&1", file);
    CHECK_EQ_INT(run(cmd, &o), 0);
    CHECK(o.p && strstr(o.p, "Title:") && strstr(o.p, " " TITLE "\n"));
    CHECK(o.p && strstr(o.p, "Pages:") && strstr(o.p, " 2\n"));
    CHECK(o.p && strstr(o.p, "2023 UTC\n"));
    CHECK(o.p && strstr(o.p, "CreationDate:"));
    CHECK(o.p && !strstr(o.p, "Error"));
  }
  sb_buf_free(&o);
}

/* The trailer's /ID: two equal 16-byte strings, the first 16 bytes of the
** SHA-256 of the file with both strings written as zeros (pdf-haru.c). */
static void check_id(const sb_buf *b) {
  static const char hex[] = "0123456789ABCDEF";
  char *copy = malloc(b->n ? b->n : 1), *id = NULL, want[33];
  uint8_t md[32];
  sb_sha256 s;
  size_t i;

  for (i = b->n > 4 ? b->n - 4 : 0; i > 0 && !id; i--)
    if (memcmp(b->p + i, "/ID ", 4) == 0)
      id = b->p + i;
  CHECK(id != NULL);
  if (!id || !copy) {
    free(copy);
    return;
  }
  CHECK(memcmp(id, "/ID [ <", 7) == 0 && memcmp(id + 39, "> <", 3) == 0 &&
        memcmp(id + 7, id + 42, 32) == 0 && memcmp(id + 74, "> ]", 3) == 0);
  memcpy(copy, b->p, b->n);
  memset(copy + (id - b->p) + 7, '0', 32);
  memset(copy + (id - b->p) + 42, '0', 32);
  sb_sha256_init(&s);
  sb_sha256_update(&s, copy, b->n);
  sb_sha256_final(&s, md);
  for (i = 0; i < 16; i++) {
    want[2 * i] = hex[md[i] >> 4];
    want[2 * i + 1] = hex[md[i] & 15];
  }
  want[32] = 0;
  CHECK(memcmp(id + 7, want, 32) == 0);
  free(copy);
}

static int has_bytes(const sb_buf *b, const char *s) {
  size_t i, n = strlen(s);
  for (i = 0; i + n <= b->n; i++)
    if (memcmp(b->p + i, s, n) == 0)
      return 1;
  return 0;
}

static sb_status render_pdf_opts(sb_ctx *ctx, const sb_dl *dl,
                                 const sb_fontset *fs,
                                 const sb_pdf_opts *opts, sb_buf *out) {
  sb_device *dev = sb_new_pdf_device_opts(ctx, fs, opts, out);
  sb_status st = sb_dl_run(ctx, dl, dev, 0, -1);
  sb_drop_device(dev);
  return st;
}

static sb_status render_pdf(sb_ctx *ctx, const sb_dl *dl, const sb_fontset *fs,
                            sb_buf *out) {
  return render_pdf_opts(ctx, dl, fs, NULL, out);
}

static void test_pdf(const sb_fontset *fs) {
  char file[] = "/tmp/sb-test-pdf-XXXXXX";
  sb_arena *a = sb_new_arena(0);
  sb_buf one, two;
  sb_ctx ctx;
  sb_dl dl;
  double t0;
  FILE *fp;
  int fd;

  sb_ctx_init(&ctx);
  sb_buf_init(&one);
  sb_buf_init(&two);
  sb_dl_init(&dl, a, 0);
  build_doc(&ctx, &dl, fs);
  CHECK_EQ_INT(ctx.status, SB_OK);
  t0 = now_ms();
  CHECK_EQ_INT(render_pdf(&ctx, &dl, fs, &one), SB_OK);
  printf("2-page PDF: %zu bytes in %.2f ms\n", one.n, now_ms() - t0);
  CHECK_EQ_INT(render_pdf(&ctx, &dl, fs, &two), SB_OK);
  CHECK(one.n > 1000 && one.n == two.n && memcmp(one.p, two.p, one.n) == 0);
  CHECK(one.n > 5 && memcmp(one.p, "%PDF-", 5) == 0);
  CHECK(one.n > 9 && memcmp(one.p, "%PDF-1.7\n", 9) == 0);
  check_id(&one);
  if (getenv("SB_TEST_PDF_OUT")) {  /* keep a copy to look at */
    fp = fopen(getenv("SB_TEST_PDF_OUT"), "wb");
    if (fp) {
      fwrite(one.p, 1, one.n, fp);
      fclose(fp);
    }
  }
  fd = mkstemp(file);
  if (fd >= 0 && (fp = fdopen(fd, "wb")) != NULL) {
    fwrite(one.p, 1, one.n, fp);
    fclose(fp);
    check_tools(file);
    unlink(file);
  }
  sb_buf_free(&one);
  sb_buf_free(&two);
  sb_drop_arena(a);
  sb_ctx_free(&ctx);
}

/* The helper thread that deflates pages changes no byte; and a string
** whose CIDs include the bytes PDF escapes in literal strings (CID 13 = CR,
** 40/41 = parentheses, 92 = backslash: CIDs are numbered 1..N in code
** point order, so printable ASCII plus Latin-1 reaches all of them)
** extracts exactly. */
static void test_threads_and_escapes(const sb_fontset *fs) {
  char file[] = "/tmp/sb-test-pdf-XXXXXX";
  sb_arena *a = sb_new_arena(0);
  sb_buf on, off, o;
  char all[512], *latin, *tail;
  size_t n = 0;
  sb_ctx ctx;
  sb_dl dl;
  int c, page, i, fd;

  for (c = 0x21; c < 0x50; c++)
    all[n++] = (char)c;
  all[n++] = 0;
  tail = all + n;
  for (c = 0x50; c < 0x7F; c++)
    all[n++] = (char)c;
  all[n++] = 0;
  latin = all + n; /* a second line: one would run off the page */
  for (c = 0xC0; c < 0x100; c++)
    n += (size_t)sb_utf8_encode(c, all + n);
  all[n] = 0;
  sb_ctx_init(&ctx);
  sb_buf_init(&on);
  sb_buf_init(&off);
  sb_buf_init(&o);
  sb_dl_init(&dl, a, 0);
  build_doc(&ctx, &dl, fs);
  for (i = 0; i < 12; i++) { /* more pages: the thread has work to queue */
    page = sb_dl_add_page(&ctx, &dl, 595.28, 841.89);
    add_text(&ctx, &dl, fs, page, SB_FONT_REGULAR, 20, 100, all);
    add_text(&ctx, &dl, fs, page, SB_FONT_REGULAR, 20, 130, tail);
    add_text(&ctx, &dl, fs, page, SB_FONT_REGULAR, 20, 160, latin);
  }
  sb_pdf_opts thr_on = {SB_PDF_THREADS_ON, 0}, thr_off = {SB_PDF_THREADS_OFF, 0};
  CHECK_EQ_INT(render_pdf_opts(&ctx, &dl, fs, &thr_on, &on), SB_OK);
  CHECK_EQ_INT(render_pdf_opts(&ctx, &dl, fs, &thr_off, &off), SB_OK);
  CHECK(on.n > 1000 && on.n == off.n && memcmp(on.p, off.p, on.n) == 0);
  CHECK(has_bytes(&on, "/Filter /FlateDecode"));
  fd = mkstemp(file);
  if (fd >= 0) {
    FILE *fp = fdopen(fd, "wb");
    char cmd[256];
    if (fp) {
      fwrite(on.p, 1, on.n, fp);
      fclose(fp);
    }
    if (have("pdftotext")) {
      snprintf(cmd, sizeof cmd, "pdftotext -f 3 -l 3 %s - 2>&1", file);
      CHECK_EQ_INT(run(cmd, &o), 0);
      CHECK(o.p && strstr(o.p, all) && strstr(o.p, tail) && strstr(o.p, latin));
      if (!o.p || !strstr(o.p, all) || !strstr(o.p, tail) || !strstr(o.p, latin))
        fprintf(stderr, "pdftotext gave: %s\n", o.p ? o.p : "");
    }
    if (have("qpdf")) {
      o.n = 0;
      snprintf(cmd, sizeof cmd, "qpdf --check %s 2>&1", file);
      CHECK_EQ_INT(run(cmd, &o), 0);
    }
    unlink(file);
  }
  sb_buf_free(&on);
  sb_buf_free(&off);
  sb_buf_free(&o);
  sb_drop_arena(a);
  sb_ctx_free(&ctx);
}

static const char TRACE[] =
    "page 1 100.00x200.00\n"
    "text f=1 s=10.00 x=5.00 y=20.00 w=0.00 fill=#ff0000 \"a\\\"b\\\\c\\x09\"\n"
    "rect x=1.00 y=2.00 w=3.00 h=4.00 fill=#000080 stroke=none\n"
    "line x0=0.00 y0=0.00 x1=10.00 y1=0.00 stroke=#000000 lw=0.50 "
    "dash=2.00,1.00\n"
    "path n=3 fill=#ffffff stroke=none evenodd alpha=0.25 "
    "bbox=1.00,2.00,7.00,8.00\n"
    "link x=0.00 y=0.00 w=10.00 h=10.00 -> page 2 y=30.00\n"
    "page 2 100.00x200.00\n"
    "outline depth=0 page=1 y=0.00 \"Intro\"\n"
    "outline depth=1 page=2 y=30.00 \"M\xc3\xa1s\"\n";

static void test_trace(void) {
  static const sb_pathseg segs[] = {{'M', {1, 0, 0}, {8, 0, 0}},
                                    {'C', {2, 3, 7}, {2, 5, 6}},
                                    {'Z', {0, 0, 0}, {0, 0, 0}}};
  sb_arena *a = sb_new_arena(0);
  sb_device *dev;
  sb_buf out;
  sb_ctx ctx;
  sb_dl dl;
  sb_op *op;

  sb_ctx_init(&ctx);
  sb_buf_init(&out);
  sb_dl_init(&dl, a, 0);
  sb_dl_add_page(&ctx, &dl, 100, 200);
  sb_dl_add_page(&ctx, &dl, 100, 200);
  op = sb_dl_add_op(&ctx, &dl, 0, SB_OP_TEXT);
  op->u.text.font = 1, op->u.text.size = 10, op->u.text.x = 5;
  op->u.text.y = 20, op->u.text.color = (sb_color){1, 0, 0};
  op->u.text.text = "a\"b\\c\tIGNORED", op->u.text.len = 6;
  op = sb_dl_add_op(&ctx, &dl, 0, SB_OP_RECT);
  op->u.rect.x = 1, op->u.rect.y = 2, op->u.rect.w = 3, op->u.rect.h = 4;
  op->u.rect.fill = 1, op->u.rect.fill_color = (sb_color){0, 0, 0.5};
  op = sb_dl_add_op(&ctx, &dl, 0, SB_OP_LINE);
  op->u.line.x1 = 10, op->u.line.y1 = -0.001;
  op->u.line.st = (sb_stroke){{0, 0, 0}, 0.5, {2, 1, 0, 0}, 2, 0, 0};
  op = sb_dl_add_path(&ctx, &dl, 0, segs, 3);
  op->u.path.fill = 1, op->u.path.evenodd = 1, op->u.path.fill_alpha = 0.25;
  op->u.path.fill_color = (sb_color){1, 1, 1};
  op = sb_dl_add_op(&ctx, &dl, 0, SB_OP_LINK);
  op->u.link.w = 10, op->u.link.h = 10, op->u.link.page = 1;
  op->u.link.dest_y = 30;
  sb_dl_add_outline(&ctx, &dl, "Intro", 0, 0, 0);
  sb_dl_add_outline(&ctx, &dl, "M\xc3\xa1s", 1, 1, 30);
  dev = sb_new_trace_device(&ctx, &out);
  CHECK_EQ_INT(sb_dl_run(&ctx, &dl, dev, 0, -1), SB_OK);
  sb_drop_device(dev);
  CHECK_STR(out.p, TRACE);
  /* a page range */
  out.n = 0;
  dev = sb_new_trace_device(&ctx, &out);
  CHECK_EQ_INT(sb_dl_run(&ctx, &dl, dev, 1, 1), SB_OK);
  sb_drop_device(dev);
  CHECK(out.p && strncmp(out.p, "page 2 100.00x200.00\noutline", 28) == 0);
  sb_buf_free(&out);
  sb_drop_arena(a);
  sb_ctx_free(&ctx);
}

static void test_page_cap(void) {
  sb_arena *a = sb_new_arena(0);
  sb_ctx ctx;
  sb_dl dl;

  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  sb_dl_init(&dl, a, 2);
  CHECK_EQ_INT(sb_dl_add_page(&ctx, &dl, 10, 10), 0);
  CHECK_EQ_INT(sb_dl_add_page(&ctx, &dl, 10, 10), 1);
  CHECK_EQ_INT(sb_dl_add_page(&ctx, &dl, 10, 10), -1);
  CHECK_EQ_INT(ctx.status, SB_E_LIMIT);
  CHECK(strstr(ctx.errmsg, "more than 2 pages (raise with --limit pages=N)"));
  sb_drop_arena(a);
  sb_ctx_free(&ctx);
}

/* Many ops: the arrays grow and keep their contents. */
static void test_growth(void) {
  sb_arena *a = sb_new_arena(0);
  sb_ctx ctx;
  sb_dl dl;
  int i, ok = 1;

  sb_ctx_init(&ctx);
  sb_dl_init(&dl, a, 0);
  sb_dl_add_page(&ctx, &dl, 10, 10);
  for (i = 0; i < 1000; i++)
    sb_dl_add_op(&ctx, &dl, 0, SB_OP_RECT)->u.rect.x = i;
  for (i = 0; i < 1000; i++)
    ok &= dl.pages[0].ops[i].u.rect.x == i;
  CHECK(ok);
  CHECK_EQ_INT(dl.pages[0].nops, 1000);
  sb_drop_arena(a);
  sb_ctx_free(&ctx);
}

/* A text op in a slot with no face: SB_E_FONT, nothing written, no leak. */
static void test_missing_face(const sb_fontset *fs) {
  sb_fontset two = *fs;
  sb_arena *a = sb_new_arena(0);
  sb_device *dev;
  sb_buf out;
  sb_ctx ctx;
  sb_dl dl;

  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  sb_buf_init(&out);
  sb_dl_init(&dl, a, 0);
  two.face[SB_FONT_ITALIC] = NULL;
  sb_dl_add_page(&ctx, &dl, 100, 100);
  add_text(&ctx, &dl, fs, 0, SB_FONT_ITALIC, 10, 10, "x");
  dev = sb_new_pdf_device(&ctx, &two, &out);
  CHECK_EQ_INT(sb_dl_run(&ctx, &dl, dev, 0, -1), SB_E_FONT);
  sb_drop_device(dev);
  CHECK_EQ_INT(out.n, 0);
  sb_buf_free(&out);
  sb_drop_arena(a);
  sb_ctx_free(&ctx);
}

/* libharu refuses a page of size 0: SB_E_PDF naming the page. */
static void test_libharu_error(const sb_fontset *fs) {
  sb_arena *a = sb_new_arena(0);
  sb_device *dev;
  sb_buf out;
  sb_ctx ctx;
  sb_dl dl;

  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  sb_buf_init(&out);
  sb_dl_init(&dl, a, 0);
  sb_dl_add_page(&ctx, &dl, 100, 100);
  sb_dl_add_page(&ctx, &dl, 0, 0);
  dev = sb_new_pdf_device(&ctx, fs, &out);
  CHECK_EQ_INT(sb_dl_run(&ctx, &dl, dev, 0, -1), SB_E_PDF);
  sb_drop_device(dev);
  CHECK(strstr(ctx.errmsg, "libharu error 0x") != NULL);
  CHECK(strstr(ctx.errmsg, "on page 2") != NULL);
  CHECK_EQ_INT(out.n, 0);
  sb_buf_free(&out);
  sb_drop_arena(a);
  sb_ctx_free(&ctx);
}

/* The save appends straight to the caller's buffer (pdf-haru.c writes
** libharu's output there, piece by piece): after what it held, the same
** bytes as into an empty buffer; a document that fails leaves it as it was. */
static void test_save_appends(const sb_fontset *fs) {
  static const char head[] = "bytes already there\n";
  sb_arena *a = sb_new_arena(0);
  sb_buf clean, held;
  sb_ctx ctx;
  sb_dl dl;

  sb_ctx_init(&ctx);
  sb_buf_init(&clean);
  sb_buf_init(&held);
  sb_dl_init(&dl, a, 0);
  build_doc(&ctx, &dl, fs);
  CHECK_EQ_INT(render_pdf(&ctx, &dl, fs, &clean), SB_OK);
  sb_buf_adds(&held, head);
  CHECK_EQ_INT(render_pdf(&ctx, &dl, fs, &held), SB_OK);
  CHECK(held.n == sizeof head - 1 + clean.n &&
        memcmp(held.p, head, sizeof head - 1) == 0 &&
        memcmp(held.p + sizeof head - 1, clean.p, clean.n) == 0);
  sb_buf_free(&held);
  sb_drop_arena(a);
  sb_ctx_free(&ctx);

  /* a page libharu refuses fails the document at the last page's end */
  a = sb_new_arena(0);
  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  sb_buf_init(&held);
  sb_buf_adds(&held, head);
  sb_dl_init(&dl, a, 0);
  build_doc(&ctx, &dl, fs);
  sb_dl_add_page(&ctx, &dl, 0, 0);
  CHECK_EQ_INT(render_pdf(&ctx, &dl, fs, &held), SB_E_PDF);
  CHECK(held.n == sizeof head - 1 && strcmp(held.p, head) == 0);
  sb_buf_free(&held);
  sb_buf_free(&clean);
  sb_drop_arena(a);
  sb_ctx_free(&ctx);
}

/* Documents open at once on one thread share libharu's arena
** (pdf-haru.c): it is given back when the last is dropped, in whichever
** order they go, and each saves the bytes it saves alone (a chunk freed
** early would be used after free in HPDF_Free: the sanitizer build).
** Untagged documents: a tagged one gives its objects back at its save
** (test_tagged_save_frees). */
static void test_documents_at_once(const sb_fontset *fs) {
  sb_arena *a = sb_new_arena(0);
  sb_pdf_opts plain = {0};
  sb_buf alone, o[3];
  sb_device *d[3];
  sb_ctx ctx;
  sb_dl dl;
  int i;

  plain.no_tags = 1;
  sb_ctx_init(&ctx);
  sb_buf_init(&alone);
  sb_dl_init(&dl, a, 0);
  build_doc(&ctx, &dl, fs);
  CHECK_EQ_INT(render_pdf_opts(&ctx, &dl, fs, &plain, &alone), SB_OK);
  for (i = 0; i < 3; i++) {
    sb_buf_init(&o[i]);
    d[i] = sb_new_pdf_device_opts(&ctx, fs, &plain, &o[i]);
    CHECK_EQ_INT(sb_dl_run(&ctx, &dl, d[i], 0, -1), SB_OK);
  }
  CHECK(sb_haru_arena_held() > 0);
  sb_drop_device(d[0]); /* first in, first out */
  CHECK(sb_haru_arena_held() > 0); /* d[1] and d[2] still live in it */
  sb_drop_device(d[2]); /* then the last */
  CHECK(sb_haru_arena_held() > 0);
  sb_drop_device(d[1]);
  CHECK(sb_haru_arena_held() == 0);
  for (i = 0; i < 3; i++) {
    CHECK(o[i].n == alone.n && memcmp(o[i].p, alone.p, alone.n) == 0);
    sb_buf_free(&o[i]);
  }
  /* and a document after all were dropped starts a new arena */
  sb_buf_init(&o[0]);
  CHECK_EQ_INT(render_pdf_opts(&ctx, &dl, fs, &plain, &o[0]), SB_OK);
  CHECK(o[0].n == alone.n && memcmp(o[0].p, alone.p, alone.n) == 0);
  sb_buf_free(&o[0]);
  sb_buf_free(&alone);
  sb_drop_arena(a);
  sb_ctx_free(&ctx);
}

/* Memory at the save of a tagged document (issue #18): libharu's file is
** rewritten into object streams, and what only its writing needed (the
** structure tree, libharu's objects and their arena) is freed before the
** rewrite, so the device, still alive after its close, holds no libharu
** memory; an untagged document (no rewrite) keeps it until dropped. The
** bytes are those of a document saved with everything kept (the same
** file whether an untagged one is open on the thread or not). Would fail
** if the tree or libharu's arena outlived the writing again. */
static void test_tagged_save_frees(const sb_fontset *fs) {
  sb_arena *a = sb_new_arena(0);
  sb_pdf_opts plain = {0};
  sb_buf t1, t2, u;
  sb_device *dt, *du;
  sb_ctx ctx;
  sb_dl dl;
  int i;

  plain.no_tags = 1;
  sb_ctx_init(&ctx);
  sb_buf_init(&t1);
  sb_buf_init(&t2);
  sb_buf_init(&u);
  sb_dl_init(&dl, a, 0);
  build_doc(&ctx, &dl, fs);
  for (i = 0; i < 40; i++) { /* headings and links: a tree to free */
    int pg = sb_dl_add_page(&ctx, &dl, 595.28, 841.89);
    sb_op *op = sb_dl_add_mark(&ctx, &dl, pg, SB_OP_BEGIN, SB_STRUCT_LINK, 0);
    CHECK(op != NULL);
    add_text(&ctx, &dl, fs, pg, SB_FONT_REGULAR, 72, 100, ES);
    op = sb_dl_add_op(&ctx, &dl, pg, SB_OP_LINK);
    op->u.link.x = 72, op->u.link.y = 90, op->u.link.w = 100;
    op->u.link.h = 12, op->u.link.page = 0;
    CHECK(sb_dl_add_mark(&ctx, &dl, pg, SB_OP_END, SB_STRUCT_LINK, 0) != NULL);
  }
  CHECK_EQ_INT(sb_haru_arena_held(), 0);
  dt = sb_new_pdf_device_opts(&ctx, fs, NULL, &t1);
  CHECK_EQ_INT(sb_dl_run(&ctx, &dl, dt, 0, -1), SB_OK);
  CHECK_EQ_INT(sb_haru_arena_held(), 0); /* given back at the save */
  sb_drop_device(dt);
  /* an untagged document keeps its objects until it is dropped, and a
  ** tagged one saved meanwhile on the same thread leaves them alone */
  du = sb_new_pdf_device_opts(&ctx, fs, &plain, &u);
  CHECK_EQ_INT(sb_dl_run(&ctx, &dl, du, 0, -1), SB_OK);
  CHECK(sb_haru_arena_held() > 0);
  dt = sb_new_pdf_device_opts(&ctx, fs, NULL, &t2);
  CHECK_EQ_INT(sb_dl_run(&ctx, &dl, dt, 0, -1), SB_OK);
  CHECK(sb_haru_arena_held() > 0); /* the untagged one's, still open */
  sb_drop_device(dt);
  sb_drop_device(du);
  CHECK_EQ_INT(sb_haru_arena_held(), 0);
  CHECK(t1.n > 0 && t1.n == t2.n && memcmp(t1.p, t2.p, t1.n) == 0);
  for (i = 0; (size_t)i + 12 < t1.n && memcmp(t1.p + i, "/Type /ObjStm", 13);)
    i++;
  CHECK((size_t)i + 12 < t1.n); /* rewritten into object streams */
  sb_buf_free(&t1);
  sb_buf_free(&t2);
  sb_buf_free(&u);
  sb_drop_arena(a);
  sb_ctx_free(&ctx);
}

/* A random UTF-8-ish string for test_text_strings: printable ASCII,
** control characters, DEL, 2-, 3- and 4-byte sequences (U+FEFF and U+FFFF
** among them), encoded surrogates, overlong forms, stray and truncated
** bytes; never NUL. */
static void random_text(char *s, size_t cap, unsigned *seed) {
  size_t n = 0, len = (size_t)(rand_r(seed) % 24);
  int clean = rand_r(seed) % 2; /* half of them only what is valid */

  if (rand_r(seed) % 40 == 0)
    len = 3990 + (size_t)(rand_r(seed) % 20); /* around the clip */
  while (n < len && n + 5 < cap) {
    int k = rand_r(seed) % (clean ? 15 : 20);
    unsigned c = (unsigned)rand_r(seed);
    if (clean && (k == 8 || k == 9))
      k = 0;
    if (k < 8) {
      s[n++] = (char)(0x20 + c % 95);
    } else if (k == 8) {
      s[n++] = (char)(1 + c % 31);
    } else if (k == 9) {
      s[n++] = 0x7F;
    } else if (k < 12) {
      c = 0x80 + c % 0x780;
      s[n++] = (char)(0xC0 | c >> 6), s[n++] = (char)(0x80 | (c & 0x3F));
    } else if (k < 15) {
      c = k == 14 ? (c & 1 ? 0xFEFF : 0xFFFF) : 0x800 + c % 0xF800;
      s[n++] = (char)(0xE0 | c >> 12);
      s[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
      s[n++] = (char)(0x80 | (c & 0x3F));
    } else if (k == 15) {
      c = 0x10000 + c % 0x100000;
      s[n++] = (char)(0xF0 | c >> 18);
      s[n++] = (char)(0x80 | ((c >> 12) & 0x3F));
      s[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
      s[n++] = (char)(0x80 | (c & 0x3F));
    } else if (k == 16) {
      s[n++] = (char)0xED, s[n++] = (char)(0xA0 + c % 32), s[n++] = (char)0x80;
    } else if (k == 17) {
      s[n++] = (char)0xC0, s[n++] = (char)(0x80 + c % 64); /* overlong */
    } else if (k == 18) {
      s[n++] = (char)(0x80 + c % 64); /* stray continuation */
    } else {
      s[n++] = (char)(0xE0 + c % 16); /* a lead byte cut short */
    }
  }
  s[n] = 0;
}

/* Text strings (outline titles, info, link /Contents in a tagged file)
** written without libharu's UTF-8 encoder are the bytes it wrote. */
static void test_text_strings(const sb_fontset *fs) {
  static char text[40][4100];
  unsigned seed = 18;
  long direct = sb_haru_text_direct(1);
  int doc;

  for (doc = 0; doc < 40; doc++) {
    sb_arena *a = sb_new_arena(0);
    sb_buf on, off;
    sb_ctx ctx;
    sb_dl dl;
    sb_op *op;
    int i, p1, p2;

    sb_ctx_init(&ctx);
    sb_dl_init(&dl, a, 0);
    for (i = 0; i < 40; i++)
      random_text(text[i], sizeof text[i], &seed);
    p1 = sb_dl_add_page(&ctx, &dl, 595.28, 841.89);
    p2 = sb_dl_add_page(&ctx, &dl, 595.28, 841.89);
    add_text(&ctx, &dl, fs, p1, SB_FONT_REGULAR, 72, 100, "Text");
    op = sb_dl_add_op(&ctx, &dl, p1, SB_OP_LINK);
    op->u.link.x = 72, op->u.link.y = 88, op->u.link.w = 200;
    op->u.link.h = 16, op->u.link.page = p2, op->u.link.dest_y = 80;
    for (i = 5; i < 40; i++)
      sb_dl_add_outline(&ctx, &dl, text[i], i % 3, i % 2 ? p2 : p1, 90);
    dl.info.title = text[0];
    dl.info.author = text[1];
    dl.info.subject = text[2];
    dl.info.keywords = text[3];
    dl.info.lang = "en";
    dl.info.date = -1;
    sb_buf_init(&on);
    sb_buf_init(&off);
    sb_haru_text_direct(1);
    CHECK_EQ_INT(render_pdf(&ctx, &dl, fs, &on), SB_OK);
    sb_haru_text_direct(0);
    CHECK_EQ_INT(render_pdf(&ctx, &dl, fs, &off), SB_OK);
    CHECK(on.n > 1000 && on.n == off.n && memcmp(on.p, off.p, on.n) == 0);
    sb_buf_free(&on);
    sb_buf_free(&off);
    sb_drop_arena(a);
    sb_ctx_free(&ctx);
  }
  /* with the direct way on, the clean half went that way, and only they
  ** (each document's producer and ~19 of its 39 strings) */
  direct = sb_haru_text_direct(1) - direct;
  printf("text strings written directly: %ld\n", direct);
  CHECK(direct > 40 * 12 && direct < 40 * 30);
}

/* libharu's internals are pinned to one version (cmake/CheckLibharu.cmake)
** and used in one file: no other source includes its headers. */
static void test_one_libharu_file(void) {
  sb_buf o;

  sb_buf_init(&o);
  CHECK_EQ_INT(run("cd " SB_SOURCE_DIR " && grep -rlE "
                   "'^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]hpdf' "
                   "src include | sort",
                   &o),
               0);
  CHECK_STR(o.p ? o.p : "", "src/devices/pdf-haru.c\n");
  sb_buf_free(&o);
}

/* sb_deflate_into gives sb_deflate's bytes, in the caller's memory, and
** 0 when they do not fit. */
static void test_deflate_into(void) {
  static unsigned char in[200000];
  sb_deflater *z = sb_new_deflater(SB_ZLEVEL_CONTENT);
  unsigned char *a, *room;
  size_t i, an = 0, cap, n;
  unsigned seed = 7;

  for (i = 0; i < sizeof in; i++) /* words, numbers, some noise */
    in[i] = (unsigned char)(i % 97 < 80 ? "0 0 m 12.5 Td (ab) Tj\n"[i % 22]
                                        : rand_r(&seed) & 0xFF);
  CHECK(z != NULL);
  if (!z)
    return;
  a = sb_deflate(z, in, sizeof in, &an);
  cap = sb_deflate_bound(z, sizeof in);
  room = malloc(cap);
  CHECK(a != NULL && room != NULL && cap >= sizeof in);
  if (a && room) {
    n = sb_deflate_into(z, in, sizeof in, room, cap);
    CHECK(n == an && memcmp(room, a, n) == 0);
    CHECK_EQ_INT(sb_deflate_into(z, in, sizeof in, room, an / 2), 0);
    n = sb_deflate_into(z, in, 0, room, sb_deflate_bound(z, 0));
    CHECK(n > 0); /* the empty input is a stream too */
  }
  free(a);
  free(room);
  sb_drop_deflater(z);
}

/* sb_haru_defer_streams: the stream's data held back and given later with
** sb_haru_stream_fill saves the bytes sb_haru_stream would have; a
** refusal deflates at once. */
static sb_haru_obj *held_obj;
static unsigned char held[64];
static size_t held_n;

static int hold_stream(void *arg, sb_haru_obj *stream, const void *data,
                       size_t n) {
  if (*(int *)arg || n > sizeof held)
    return -1; /* refused */
  held_obj = stream;
  memcpy(held, data, n);
  held_n = n;
  return 0;
}

static void deferred_doc(sb_ctx *ctx, int defer, int refuse, sb_buf *out) {
  static const char data[] = "BT /F1 12 Tf (deferred) Tj ET";
  sb_haru *h = sb_haru_new(ctx, 1);
  sb_haru_obj *s, *cat;

  CHECK(h != NULL);
  if (!h)
    return;
  held_obj = NULL;
  if (defer)
    sb_haru_defer_streams(h, hold_stream, &refuse);
  s = sb_haru_stream(h, data, sizeof data - 1);
  sb_haru_defer_streams(h, NULL, NULL);
  CHECK(s != NULL);
  cat = sb_haru_catalog(h);
  sb_haru_put(cat, "SbTest", s); /* written as a reference */
  CHECK(held_obj == (defer && !refuse ? s : NULL));
  if (held_obj) {
    unsigned char *z;
    size_t zn;
    sb_deflater *dz = sb_new_deflater(SB_ZLEVEL_STREAM);
    z = dz ? sb_deflate(dz, held, held_n, &zn) : NULL;
    CHECK(z != NULL);
    if (z)
      CHECK_EQ_INT(sb_haru_stream_fill(ctx, h, held_obj, z, zn), SB_OK);
    free(z);
    sb_drop_deflater(dz);
  }
  CHECK_EQ_INT(sb_haru_save(ctx, h, out), SB_OK);
  sb_haru_drop(h);
}

static void test_deferred_stream(void) {
  sb_buf a, b, c;
  sb_ctx ctx;

  sb_ctx_init(&ctx);
  sb_buf_init(&a);
  sb_buf_init(&b);
  sb_buf_init(&c);
  deferred_doc(&ctx, 0, 0, &a);
  deferred_doc(&ctx, 1, 0, &b);
  deferred_doc(&ctx, 1, 1, &c);
  CHECK(a.n > 100 && has_bytes(&a, "/Filter /FlateDecode"));
  CHECK(a.n == b.n && memcmp(a.p, b.p, a.n) == 0);
  CHECK(a.n == c.n && memcmp(a.p, c.p, a.n) == 0);
  sb_buf_free(&a);
  sb_buf_free(&b);
  sb_buf_free(&c);
  sb_ctx_free(&ctx);
}

int main(void) {
  char b[3][512];
  const char *paths[SB_FONT_COUNT];
  sb_fontset fs;
  sb_ctx ctx;
  int i;

  test_trace();
  test_page_cap();
  test_growth();
  test_one_libharu_file();
  test_deflate_into();
  test_deferred_stream();
  for (i = 0; i < SB_FONT_COUNT; i++)
    paths[i] = font_path(FACES[i], b[i], sizeof b[i]);
  sb_ctx_init(&ctx);
  CHECK_EQ_INT(sb_load_fontset(&ctx, paths, &fs), SB_OK);
  if (ctx.status == SB_OK)
    test_pdf(&fs);
  if (ctx.status == SB_OK)
    test_threads_and_escapes(&fs);
  if (ctx.status == SB_OK)
    test_missing_face(&fs);
  if (ctx.status == SB_OK)
    test_libharu_error(&fs);
  if (ctx.status == SB_OK)
    test_save_appends(&fs);
  if (ctx.status == SB_OK)
    test_documents_at_once(&fs);
  if (ctx.status == SB_OK)
    test_tagged_save_frees(&fs);
  if (ctx.status == SB_OK)
    test_text_strings(&fs);
  sb_drop_fontset(&fs);
  sb_ctx_free(&ctx);
  return check_report();
}
