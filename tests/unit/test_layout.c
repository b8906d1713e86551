/*
** tests/unit/test_layout.c -- line breaking, invisible characters, soft
** hyphens, substitution warnings, paragraphs across pages, tables (header
** repeated, rows moving whole, a row taller than a page split line by
** line; columns widened to their longest word), furniture "page X of Y", the dry/real pass agreement, and
** contents numbers filled in after the fact (sb_para.ref), names bounded
** with an ellipsis (sb_lay_bound, a table header cut to a third of the
** page) and right-to-left letters replaced; keeping (a chain of headings
** moves to the next page with what follows, its bookmarks and contents
** references with it) and the structure marks of headings and furniture.
** Widths are Liberation Sans' own, truncated to 1/1000 em as libharu
** writes them: 'a' and 'b' 556, ' ' 277, '-' 333.
*/
#include <stdlib.h>
#include <string.h>

#include <linebreak.h>

#include "check.h"
#include "layout/layout-imp.h"
#include "skillbook/device.h"
#include "skillbook/layout.h"

static sb_ctx ctx;
static sb_fontset fs;
static const sb_color black = {0, 0, 0};

/* Concatenated text of the text ops of one page, lines joined by '|'. */
static char *page_text(const sb_dl *dl, int page) {
  sb_buf b;
  sb_buf_init(&b);
  const sb_page *pg = &dl->pages[page];
  double lasty = -1;
  for (int i = 0; i < pg->nops; i++) {
    const sb_op *op = &pg->ops[i];
    if (op->kind != SB_OP_TEXT) continue;
    if (lasty >= 0 && op->u.text.y != lasty) sb_buf_addc(&b, '|');
    sb_buf_add(&b, op->u.text.text, op->u.text.len);
    lasty = op->u.text.y;
  }
  return b.p ? b.p : sb_xstrdup("");
}

static int wrap(sb_lay *lay, const char *s, double max_units, sb_line **l,
                sb_text *t) {
  sb_span sp = {s, SB_FONT_REGULAR, black, NULL};
  CHECK_EQ_INT(sb_lay_prepare(lay, &sp, 1, NULL, t), SB_OK);
  return sb_lay_wrap(lay, t, max_units, l);
}

static void test_wrap(void) {
  sb_arena *a = sb_new_arena(0);
  sb_lay *lay = sb_new_lay(&ctx, a, NULL, sb_style_builtin("default"), &fs, 0);
  sb_line *l;
  sb_text t;
  int n;

  CHECK_EQ_INT(sb_lay_measure(lay, SB_FONT_REGULAR, 10, "a") * 100, 556);
  /* "aaa bbb" is 6 letters + 1 space = 6*556+278 wide */
  int ab = sb_lay_measure(lay, SB_FONT_REGULAR, 1000, "b") == 556;
  CHECK(ab);
  n = wrap(lay, "aaa bbb ccc", 6 * 556 + 277, &l, &t);
  CHECK_EQ_INT(n, 2);
  CHECK_EQ_INT(l[0].start, 0);
  CHECK_EQ_INT(l[0].end, 7);
  CHECK_EQ_INT(l[0].width, 6 * 556 + 277);
  CHECK_EQ_INT(l[1].start, 8);
  CHECK_EQ_INT(l[1].end, 11);
  n = wrap(lay, "aaa bbb ccc", 6 * 556 + 276, &l, &t);
  CHECK_EQ_INT(n, 2);
  CHECK_EQ_INT(l[0].width, 3 * 556); /* the space at the break is dropped */
  CHECK_EQ_INT(l[1].start, 4);
  CHECK_EQ_INT(l[1].width, 3 * 556 + 277 + 3 * 500); /* 'c' is 500 */

  /* a word longer than the line breaks between characters, with a hyphen
  ** measured in: three letters fit, two and the hyphen do */
  n = wrap(lay, "aaaaaaaaaa", 3 * 556, &l, &t);
  CHECK_EQ_INT(n, 5);
  CHECK_EQ_INT(l[0].end - l[0].start, 2);
  CHECK_EQ_INT(l[0].hyphen, 1);
  CHECK_EQ_INT(l[0].width, 2 * 556 + 333);
  CHECK_EQ_INT(l[4].end - l[4].start, 2);
  CHECK_EQ_INT(l[4].hyphen, 0);
  /* ... where the hyphen just fits, no letter goes */
  n = wrap(lay, "aaaaaa", 3 * 556 + 333, &l, &t);
  CHECK_EQ_INT(n, 2);
  CHECK_EQ_INT(l[0].end - l[0].start, 3);
  CHECK_EQ_INT(l[0].hyphen, 1);
  /* ... none after a hyphen the text has ("-" before a digit is no break
  ** opportunity), nor when one letter and a hyphen do not fit */
  n = wrap(lay, "aa-1111", 3 * 556 + 100, &l, &t);
  CHECK(n >= 2);
  CHECK_EQ_INT(l[0].end - l[0].start, 3);
  CHECK_EQ_INT(l[0].hyphen, 0);
  n = wrap(lay, "aaa", 556 + 100, &l, &t);
  CHECK_EQ_INT(n, 3);
  CHECK_EQ_INT(l[0].hyphen, 0);
  CHECK_EQ_INT(l[0].end - l[0].start, 1);
  /* what a column needs: the longest word, not the longest line */
  CHECK_EQ_INT((int)(sb_lay_min_width(lay, SB_FONT_REGULAR, 1000,
                                      "aa aaaa a") + 0.5), 4 * 556);
  CHECK_EQ_INT((int)(sb_lay_min_width(lay, SB_FONT_REGULAR, 1000,
                                      "bb aa\xC2\xAD" "aa") + 0.5),
               2 * 556 + 333);

  /* soft hyphen: breaks there with a '-' counted in the width */
  n = wrap(lay, "aaaa\xC2\xAD" "bbbb", 4 * 556 + 333, &l, &t);
  CHECK_EQ_INT(n, 2);
  CHECK_EQ_INT(l[0].hyphen, 1);
  CHECK_EQ_INT(l[0].width, 4 * 556 + 333);
  CHECK_EQ_INT(l[1].start, 5);
  /* ... but not when the hyphen would not fit */
  n = wrap(lay, "aaaa\xC2\xAD" "bbbb", 4 * 556 + 332, &l, &t);
  CHECK(n >= 2);
  CHECK_EQ_INT(l[0].end - l[0].start, 3); /* "aaa-": broken before it */
  CHECK_EQ_INT(l[0].width, 3 * 556 + 333);
  /* ... and is invisible (zero width) where the line does not break */
  n = wrap(lay, "aaaa\xC2\xAD" "bbbb", 100000, &l, &t);
  CHECK_EQ_INT(n, 1);
  CHECK_EQ_INT(l[0].width, 8 * 556);
  CHECK_EQ_INT(l[0].hyphen, 0);

  /* U+200B: zero width, a break opportunity */
  n = wrap(lay, "aaaa\xE2\x80\x8B" "bbbb", 4 * 556, &l, &t);
  CHECK_EQ_INT(n, 2);
  CHECK_EQ_INT(l[0].width, 4 * 556);
  n = wrap(lay, "aaaa\xE2\x80\x8B" "bbbb", 100000, &l, &t);
  CHECK_EQ_INT(n, 1);
  CHECK_EQ_INT(l[0].width, 8 * 556);
  /* U+2060 word joiner: zero width, no break */
  n = wrap(lay, "aaaa\xE2\x81\xA0" "bbbb", 6 * 556, &l, &t);
  CHECK_EQ_INT(n, 2);
  /* broken between characters: "aaaa" U+2060 "b-" */
  CHECK_EQ_INT(l[0].end - l[0].start, 6);
  CHECK_EQ_INT(l[0].hyphen, 1);
  /* a spaced hyphen stays with the next word */
  n = wrap(lay, "aa - bb", 2 * 556 + 2 * 277 + 333, &l, &t);
  CHECK_EQ_INT(n, 2);
  CHECK_EQ_INT(l[0].end, 2);
  sb_drop_lay(lay);
  sb_drop_arena(a);
}

/* What a paragraph prints: invisible characters never, '-' at a soft
** hyphen only at a break, '?' for what the font lacks, with one warning
** per (character, source). */
static void test_para_text(void) {
  sb_arena *a = sb_new_arena(0);
  sb_dl dl;
  sb_dl_init(&dl, a, 0);
  sb_lay *lay = sb_new_lay(&ctx, a, &dl, sb_style_builtin("default"), &fs, 0);
  sb_span sp = {"aaaa\xC2\xAD" "bbbb \xE2\x80\x8B" "cc\xEF\xBB\xBF" "dd",
                SB_FONT_REGULAR, black, NULL};
  sb_para p;
  memset(&p, 0, sizeof p);
  p.spans = &sp;
  p.nspans = 1;
  p.size = 10;
  CHECK_EQ_INT(sb_lay_para(lay, &p, NULL, NULL), SB_OK);
  char *s = page_text(&dl, 0);
  CHECK_STR(s, "aaaabbbb ccdd");
  free(s);
  /* narrow: the soft hyphen becomes '-' at the break */
  p.right = (sb_lay_right(lay) - sb_lay_left(lay)) - (4 * 5.56 + 3.33 + 0.01);
  sb_lay_new_page(lay);
  CHECK_EQ_INT(sb_lay_para(lay, &p, NULL, NULL), SB_OK);
  s = page_text(&dl, 1);
  if (strncmp(s, "aaaa-|bbbb|", 11) != 0) fprintf(stderr, "got %s\n", s);
  CHECK(strncmp(s, "aaaa-|bbbb|", 11) == 0);
  free(s);

  /* substitution and warnings */
  size_t w0 = ctx.nwarnings;
  sb_span em = {"x\xF0\x9F\x98\x80y\xF0\x9F\x98\x80", SB_FONT_REGULAR, black, NULL};
  p.spans = &em;
  p.right = 0;
  p.src.what = "skill s1: expectation";
  sb_lay_new_page(lay);
  sb_lay_para(lay, &p, NULL, NULL);
  sb_lay_para(lay, &p, NULL, NULL);
  CHECK_EQ_INT(ctx.nwarnings - w0, 1); /* once per (character, source) */
  CHECK(strstr(ctx.diags[ctx.ndiags - 1].msg, "U+1F600") != NULL);
  CHECK(strstr(ctx.diags[ctx.ndiags - 1].msg, "skill s1") != NULL);
  p.src.what = "skill s2: expectation";
  sb_lay_para(lay, &p, NULL, NULL);
  CHECK_EQ_INT(ctx.nwarnings - w0, 2);
  s = page_text(&dl, 2);
  CHECK(strncmp(s, "x?y?", 4) == 0 ||
        strncmp(s, "x\xEF\xBF\xBDy\xEF\xBF\xBD", 8) == 0);
  free(s);
  /* text op width = measured width */
  const sb_op *op = &dl.pages[0].ops[0];
  while (op->kind != SB_OP_TEXT) op++; /* past the paragraph's mark */
  CHECK_EQ_DBL(op->u.text.width,
               sb_lay_measure(lay, SB_FONT_REGULAR, 10, "aaaabbbb ccdd"), 1e-9);
  sb_drop_lay(lay);
  sb_drop_arena(a);
}

static int count_header(const sb_dl *dl, int page) {
  int n = 0;
  const sb_page *pg = &dl->pages[page];
  for (int i = 0; i < pg->nops; i++)
    if (pg->ops[i].kind == SB_OP_TEXT && pg->ops[i].u.text.len == 3 &&
        memcmp(pg->ops[i].u.text.text, "HDR", 3) == 0)
      n++;
  return n;
}

static void furn(sb_lay *lay, int page, int npages, const char *running,
                 void *user) {
  (void)user;
  (void)running;
  char buf[64];
  snprintf(buf, sizeof buf, "page %d of %d", page + 1, npages);
  sb_lay_text_at(lay, page, 300, 820, SB_FONT_REGULAR, 8, black,
                 SB_ALIGN_CENTER, buf, NULL);
}

static void test_table(void) {
  sb_arena *a = sb_new_arena(0);
  sb_dl dl;
  sb_dl_init(&dl, a, 0);
  const sb_style *st = sb_style_builtin("default");
  sb_lay *lay = sb_new_lay(&ctx, a, &dl, st, &fs, 0);
  sb_lay_set_furniture(lay, furn, NULL);
  double widths[2] = {100, 300};
  sb_span hs[2] = {{"HDR", SB_FONT_BOLD, black, NULL}, {"Text", SB_FONT_BOLD, black, NULL}};
  sb_cell hc[2];
  memset(hc, 0, sizeof hc);
  hc[0].spans = &hs[0];
  hc[0].nspans = 1;
  hc[1].spans = &hs[1];
  hc[1].nspans = 1;
  sb_table t;
  memset(&t, 0, sizeof t);
  t.ncols = 2;
  t.widths = widths;
  t.size = 10;
  t.pad = 4;
  t.header = hc;
  t.zebra = 1;

  /* 60 rows of 3 lines: breaks between rows, header on every page */
  enum { NR = 60 };
  static sb_cell rows[NR * 2 + 2];
  static sb_span sps[NR * 2 + 2];
  static char names[NR][16];
  const char *three = "line one of the row text that is long enough to wrap "
                      "onto a second line and then onto a third line, at "
                      "three hundred points, which is plenty.";
  memset(rows, 0, sizeof rows);
  for (int r = 0; r < NR; r++) {
    snprintf(names[r], sizeof names[r], "row%02d", r);
    sps[2 * r] = (sb_span){names[r], SB_FONT_REGULAR, black, NULL};
    sps[2 * r + 1] = (sb_span){three, SB_FONT_REGULAR, black, NULL};
    rows[2 * r].spans = &sps[2 * r];
    rows[2 * r].nspans = 1;
    rows[2 * r + 1].spans = &sps[2 * r + 1];
    rows[2 * r + 1].nspans = 1;
  }
  double rh = sb_lay_row_height(lay, &t, rows);
  CHECK(rh > 3 * 10 && rh < 5 * 13.2 + 8);
  CHECK_EQ_INT(sb_lay_table(lay, &t, rows, NR, NULL), SB_OK);
  int pages = sb_lay_npages(lay);
  CHECK(pages >= 3);
  for (int p = 0; p < pages; p++) CHECK_EQ_INT(count_header(&dl, p), 1);
  /* every row label appears exactly once, in order, and no text op runs
  ** below the content box */
  int next = 0;
  for (int p = 0; p < pages; p++) {
    const sb_page *pg = &dl.pages[p];
    for (int i = 0; i < pg->nops; i++) {
      const sb_op *op = &pg->ops[i];
      if (op->kind != SB_OP_TEXT) continue;
      CHECK(op->u.text.y <= sb_lay_bottom(lay) + 1e-6);
      if (op->u.text.len == 5 && memcmp(op->u.text.text, "row", 3) == 0) {
        char want[16];
        snprintf(want, sizeof want, "row%02d", next);
        CHECK(memcmp(op->u.text.text, want, 5) == 0);
        next++;
      }
    }
  }
  CHECK_EQ_INT(next, NR);

  /* a row taller than a page: split line by line, header repeated */
  int p0 = sb_lay_npages(lay);
  sb_lay_new_page(lay);
  size_t big_n = 12000;
  char *big = malloc(big_n + 1);
  for (size_t i = 0; i < big_n; i++) big[i] = (i % 6 == 5) ? ' ' : 'a';
  big[big_n] = 0;
  sb_span bs[2] = {{"TLL", SB_FONT_REGULAR, black, NULL},
                   {big, SB_FONT_REGULAR, black, NULL}};
  sb_cell brow[2];
  memset(brow, 0, sizeof brow);
  brow[0].spans = &bs[0];
  brow[0].nspans = 1;
  brow[1].spans = &bs[1];
  brow[1].nspans = 1;
  CHECK_EQ_INT(sb_lay_table(lay, &t, brow, 1, NULL), SB_OK);
  int p1 = sb_lay_npages(lay);
  CHECK(p1 - p0 >= 3);
  size_t letters = 0;
  for (int p = p0; p < p1; p++) {
    CHECK_EQ_INT(count_header(&dl, p), 1);
    const sb_page *pg = &dl.pages[p];
    for (int i = 0; i < pg->nops; i++)
      if (pg->ops[i].kind == SB_OP_TEXT) {
        CHECK(pg->ops[i].u.text.y <= sb_lay_bottom(lay) + 1e-6);
        for (size_t k = 0; k < pg->ops[i].u.text.len; k++)
          letters += pg->ops[i].u.text.text[k] == 'a';
      }
  }
  CHECK_EQ_INT(letters, big_n - big_n / 6); /* nothing lost, nothing doubled */
  free(big);

  /* furniture: "page X of Y" with the final Y on every page */
  CHECK_EQ_INT(sb_lay_finish(lay), SB_OK);
  for (int p = 0; p < p1; p++) {
    char *s = page_text(&dl, p);
    char want[64];
    snprintf(want, sizeof want, "page %d of %d", p + 1, p1);
    CHECK(strstr(s, want) != NULL);
    free(s);
  }
  /* the trace device replays it */
  sb_buf tb;
  sb_buf_init(&tb);
  sb_device *dev = sb_new_trace_device(&ctx, &tb);
  CHECK_EQ_INT(sb_dl_run(&ctx, &dl, dev, 0, -1), SB_OK);
  sb_drop_device(dev);
  CHECK(strstr(tb.p, "\"HDR\"") != NULL);
  sb_buf_free(&tb);
  sb_drop_lay(lay);
  sb_drop_arena(a);

  /* the same calls in a dry run give the same page count */
  a = sb_new_arena(0);
  lay = sb_new_lay(&ctx, a, NULL, st, &fs, 0);
  sb_lay_table(lay, &t, rows, NR, NULL);
  CHECK_EQ_INT(sb_lay_npages(lay), pages);
  sb_drop_lay(lay);
  sb_drop_arena(a);
}

/* What a cell's drawing saw (test_table_groups). */
typedef struct drawn {
  int calls, page;
  double y, h;
} drawn;

static void draw_probe(sb_lay *lay, int page, double x, double y, double w,
                       double h, const void *user) {
  drawn *d = *(drawn *const *)user; /* user: where to write */
  d->calls++;
  d->page = page;
  d->y = y;
  d->h = h;
  sb_lay_rect(lay, page, x, y, w, 5, 1, black, 0, black);
}

/* The text ops of page p whose x lies in [x0, x1): count and deepest
** baseline; the same for horizontal lines (count, shallowest y). */
static void column_ops(const sb_dl *dl, int p, double x0, double x1,
                       const char *text, int *ntext, double *text_y,
                       int *nlines, double *line_y) {
  *ntext = *nlines = 0;
  *text_y = -1;
  *line_y = 1e9;
  const sb_page *pg = &dl->pages[p];
  for (int i = 0; i < pg->nops; i++) {
    const sb_op *op = &pg->ops[i];
    if (op->kind == SB_OP_TEXT && op->u.text.x >= x0 && op->u.text.x < x1 &&
        (!text || (op->u.text.len == strlen(text) &&
                   memcmp(op->u.text.text, text, op->u.text.len) == 0))) {
      (*ntext)++;
      if (op->u.text.y > *text_y) *text_y = op->u.text.y;
    }
    if (op->kind == SB_OP_LINE && op->u.line.y0 == op->u.line.y1 &&
        op->u.line.x0 >= x0 && op->u.line.x1 < x1) {
      (*nlines)++;
      if (op->u.line.y0 < *line_y) *line_y = op->u.line.y0;
    }
  }
}

/* The x of the first text op of page 0 that reads text; -1 if none. */
static double text_x(const sb_dl *dl, const char *text) {
  const sb_page *pg = &dl->pages[0];
  for (int i = 0; i < pg->nops; i++) {
    const sb_op *op = &pg->ops[i];
    if (op->kind == SB_OP_TEXT && op->u.text.len == strlen(text) &&
        memcmp(op->u.text.text, text, op->u.text.len) == 0)
      return op->u.text.x;
  }
  return -1;
}

static double probe_w;
static void width_probe(sb_lay *lay, int page, double x, double y, double w,
                        double h, const void *user) {
  (void)lay, (void)page, (void)x, (void)y, (void)h, (void)user;
  probe_w = w;
}

/* Columns sized from their content: a column narrower than its longest
** word (header included) is widened, the points taken from the text
** columns with room; a drawn column keeps its width; no column grows past
** an equal share of the table, and a word longer than that breaks with a
** hyphen. */
static void test_table_fit(void) {
  sb_arena *a = sb_new_arena(0);
  sb_dl dl;
  sb_dl_init(&dl, a, 0);
  const sb_style *st = sb_style_builtin("default");
  sb_lay *lay = sb_new_lay(&ctx, a, &dl, st, &fs, 0);
  double x0 = sb_lay_left(lay), pad = 4;
  double widths[3] = {40, 280, 80};
  sb_span hs[3] = {{"Level", SB_FONT_BOLD, black, NULL},
                   {"Expectation", SB_FONT_BOLD, black, NULL},
                   {"", SB_FONT_BOLD, black, NULL}};
  sb_cell hc[3];
  memset(hc, 0, sizeof hc);
  for (int c = 0; c < 2; c++) {
    hc[c].spans = &hs[c];
    hc[c].nspans = 1;
  }
  sb_table t;
  memset(&t, 0, sizeof t);
  t.ncols = 3;
  t.widths = widths;
  t.size = 10;
  t.pad = pad;
  t.header = hc;
  sb_span sp[2] = {{"Intermediate", SB_FONT_BOLD, black, NULL},
                   {"Estimates tasks.", SB_FONT_REGULAR, black, NULL}};
  sb_cell rows[3];
  memset(rows, 0, sizeof rows);
  rows[0].spans = &sp[0];
  rows[0].nspans = 1;
  rows[1].spans = &sp[1];
  rows[1].nspans = 1;
  rows[2].draw = width_probe; /* a drawn column: no text */
  rows[2].min_h = 10;
  double need = sb_lay_min_width(lay, SB_FONT_BOLD, 10, "Intermediate");
  CHECK(need + 2 * pad > widths[0]);
  CHECK_EQ_INT(sb_lay_table(lay, &t, rows, 1, NULL), SB_OK);
  /* whole on one line; the expectation starts where the wider column ends */
  CHECK(text_x(&dl, "Intermediate") > 0);
  double ex = text_x(&dl, "Estimates tasks.");
  CHECK(ex > x0 + need + 3 * pad - 0.01 && ex < x0 + need + 3 * pad + 0.01);
  CHECK(probe_w > 80 - 2 * pad - 0.01 && probe_w < 80 - 2 * pad + 0.01);
  sb_drop_lay(lay);

  /* a word wider than an equal share of the table: the column stops at a
  ** third of 400 points, and the word breaks with hyphens that fit in it */
  sb_dl dl2;
  sb_dl_init(&dl2, a, 0);
  lay = sb_new_lay(&ctx, a, &dl2, st, &fs, 0);
  static char longw[200];
  memset(longw, 'a', 150);
  longw[150] = 0;
  sp[0].text = longw;
  sp[0].font = SB_FONT_REGULAR;
  probe_w = 0;
  CHECK_EQ_INT(sb_lay_table(lay, &t, rows, 1, NULL), SB_OK);
  ex = text_x(&dl2, "Estimates tasks.");
  CHECK(ex > x0 + 400.0 / 3 + pad - 0.01 && ex < x0 + 400.0 / 3 + pad + 0.01);
  const sb_page *pg = &dl2.pages[0];
  int hyphens = 0;
  for (int i = 0; i < pg->nops; i++) {
    const sb_op *op = &pg->ops[i];
    if (op->kind != SB_OP_TEXT || op->u.text.x > x0 + pad + 0.01) continue;
    if (op->u.text.text[op->u.text.len - 1] == '-') {
      hyphens++;
      CHECK(op->u.text.width <= 400.0 / 3 - 2 * pad + 0.01);
    }
  }
  CHECK(hyphens >= 1);
  sb_drop_lay(lay);
  sb_drop_arena(a);
}

/* Row groups (SB_REPEAT_FIRST), ruled lines filling a cell (rule_gap) and
** cell drawing (draw, above, min_h). */
static void test_table_groups(void) {
  sb_arena *a = sb_new_arena(0);
  sb_dl dl;
  sb_dl_init(&dl, a, 0);
  const sb_style *st = sb_style_builtin("default");
  sb_lay *lay = sb_new_lay(&ctx, a, &dl, st, &fs, 0);
  double widths[4] = {90, 200, 150, 80}, x0 = sb_lay_left(lay);
  sb_span hs = {"HDR", SB_FONT_BOLD, black, NULL};
  sb_cell hc[4];
  memset(hc, 0, sizeof hc);
  hc[0].spans = &hs;
  hc[0].nspans = 1;
  sb_table t;
  memset(&t, 0, sizeof t);
  t.ncols = 4;
  t.widths = widths;
  t.size = 10;
  t.pad = 4;
  t.header = hc;
  t.repeat = SB_REPEAT_HEADER | SB_REPEAT_FIRST;

  /* a filler row that leaves a little room, then the long row: it starts
  ** on the next page (its drawing with it) and splits over pages */
  size_t big_n = 9000, mid_n = 2400;
  char *big = malloc(big_n + 1), *mid = malloc(mid_n + 1);
  for (size_t i = 0; i < big_n; i++) big[i] = (i % 6 == 5) ? ' ' : 'a';
  for (size_t i = 0; i < mid_n; i++) mid[i] = (i % 6 == 5) ? ' ' : 'b';
  big[big_n] = mid[mid_n] = 0;
  sb_span note = {"notice", SB_FONT_REGULAR, black, NULL};
  sb_span sp[5] = {{"NAME", SB_FONT_BOLD, black, NULL},
                   {"grp", SB_FONT_REGULAR, black, NULL},
                   {big, SB_FONT_REGULAR, black, NULL},
                   {mid, SB_FONT_REGULAR, black, NULL},
                   {"filler", SB_FONT_REGULAR, black, NULL}};
  drawn d = {0, -1, 0, 0}, *dp = &d;
  sb_cell rows[8];
  memset(rows, 0, sizeof rows);
  rows[0].spans = &sp[4];
  rows[0].nspans = 1;
  rows[0].min_h = sb_lay_bottom(lay) - sb_lay_top(lay) - 120;
  rows[4].spans = &sp[0];
  rows[4].nspans = 1;
  rows[4].sub = &sp[1];
  rows[4].nsub = 1;
  rows[4].sub_size = 7;
  rows[5].spans = &sp[2];
  rows[5].nspans = 1;
  rows[5].above = 12;
  rows[6].spans = &sp[3];
  rows[6].nspans = 1;
  rows[6].sub = &note;
  rows[6].nsub = 1;
  rows[6].rule_gap = 15;
  rows[6].min_h = 47;
  rows[7].draw = draw_probe;
  rows[7].user = &dp;
  rows[7].min_h = 200;
  CHECK_EQ_INT(sb_lay_table(lay, &t, rows, 2, NULL), SB_OK);
  int pages = sb_lay_npages(lay);
  CHECK(pages >= 3);
  double cx[5] = {x0, x0 + 90, x0 + 290, x0 + 440, x0 + 520};
  int nt, nl, first_long = -1, mixed = 0;
  double ty, ly;
  for (int p = 0; p < pages; p++) {
    /* the first cell, whole, on every part of the split row */
    column_ops(&dl, p, cx[0], cx[1], "NAME", &nt, &ty, &nl, &ly);
    CHECK_EQ_INT(nt, p == 0 ? 0 : 1);
    column_ops(&dl, p, cx[0], cx[1], "grp", &nt, &ty, &nl, &ly);
    CHECK_EQ_INT(nt, p == 0 ? 0 : 1);
    column_ops(&dl, p, cx[1], cx[2], NULL, &nt, &ty, &nl, &ly);
    if (nt > 0 && p > 0 && first_long < 0) first_long = p;
    /* ruled lines fill the third cell below its text, never under it */
    column_ops(&dl, p, cx[2], cx[3], NULL, &nt, &ty, &nl, &ly);
    if (p > 0 && nt == 0) CHECK(nl >= 1);
    if (nt > 0 && nl > 0) {
      CHECK(ly > ty + 1);
      mixed++;
    }
  }
  CHECK(mixed >= 1); /* a part with both text and lines was checked */
  /* a sub paragraph goes once, under the last line of its cell's text */
  int notes = 0;
  for (int p = 0; p < pages; p++) {
    double nty;
    column_ops(&dl, p, cx[2], cx[3], "notice", &nt, &nty, &nl, &ly);
    if (nt == 0) continue;
    notes += nt;
    column_ops(&dl, p, cx[2], cx[3], NULL, &nt, &ty, &nl, &ly);
    CHECK(nt > 1);    /* on the page where the text ends, */
    CHECK(nty == ty); /* with nothing of the cell below it */
    CHECK(nl > 0 && ly > nty + 1);
  }
  CHECK_EQ_INT(notes, 1);
  /* the drawing went with the row's start: once, on the page where its
  ** text starts, in the row's box there, above its first line */
  CHECK_EQ_INT(first_long, 1);
  CHECK_EQ_INT(d.calls, 1);
  CHECK_EQ_INT(d.page, 1);
  column_ops(&dl, 1, cx[1], cx[2], NULL, &nt, &ty, &nl, &ly);
  CHECK(d.y > sb_lay_top(lay) && d.y < ty && d.h >= 200);
  /* nothing lost, nothing doubled */
  size_t na = 0, nb = 0;
  for (int p = 0; p < pages; p++) {
    const sb_page *pg = &dl.pages[p];
    for (int i = 0; i < pg->nops; i++)
      if (pg->ops[i].kind == SB_OP_TEXT)
        for (size_t k = 0; k < pg->ops[i].u.text.len; k++) {
          na += pg->ops[i].u.text.text[k] == 'a';
          nb += pg->ops[i].u.text.text[k] == 'b';
        }
  }
  CHECK_EQ_INT(na, big_n - big_n / 6);
  CHECK_EQ_INT(nb, mid_n - mid_n / 6);
  /* sb_lay_box measures what it draws */
  double hm = sb_lay_box(lay, -1, 0, 0, 100, &sp[3], 1, 10, SB_ALIGN_LEFT,
                         NULL);
  CHECK(hm > 10 * 10);
  CHECK(sb_lay_box(lay, 0, 0, 0, 100, &sp[3], 1, 10, SB_ALIGN_LEFT, NULL) ==
        hm);
  free(big);
  free(mid);
  sb_drop_lay(lay);
  sb_drop_arena(a);
}

static void test_page_limit(void) {
  sb_ctx c2;
  sb_ctx_init(&c2);
  c2.quiet = 1;
  c2.limits.pages = 2;
  sb_arena *a = sb_new_arena(0);
  sb_dl dl;
  sb_dl_init(&dl, a, c2.limits.pages);
  sb_lay *lay = sb_new_lay(&c2, a, &dl, sb_style_builtin("letter"), &fs, 0);
  CHECK_EQ_DBL(sb_lay_page_w(lay), 612, 1e-9);
  sb_lay_new_page(lay);
  sb_lay_new_page(lay);
  CHECK_EQ_INT(sb_lay_new_page(lay), SB_E_LIMIT);
  CHECK_EQ_INT(c2.status, SB_E_LIMIT);
  sb_drop_lay(lay);
  sb_drop_arena(a);
  sb_ctx_free(&c2);
}

/* The preparation cache: keyed by content (a reused buffer with new text
** is not served stale breaks; a copy of a text is served the same),
** shared by a dry and a real layout with the warnings in the real one. */
static int same_text(const sb_text *a, const sb_text *b) {
  if (a->n != b->n) return 0;
  for (int i = 0; i < a->n; i++)
    if (a->c[i].cp != b->c[i].cp || a->c[i].adv != b->c[i].adv ||
        a->c[i].flags != b->c[i].flags || a->c[i].font != b->c[i].font ||
        a->c[i].span != b->c[i].span)
      return 0;
  return 1;
}

static void test_prep_cache(void) {
  sb_arena *a = sb_new_arena(0);
  sb_lay *lay = sb_new_lay(&ctx, a, NULL, sb_style_builtin("default"), &fs, 0);
  sb_lay *ref = sb_new_lay(&ctx, a, NULL, sb_style_builtin("default"), &fs, 0);
  char buf[64];
  sb_text t1, t2;
  sb_span sp = {buf, SB_FONT_REGULAR, black, NULL};
  strcpy(buf, "aaa bbb-ccc\tddd");
  CHECK_EQ_INT(sb_lay_prepare(lay, &sp, 1, NULL, &t1), SB_OK);
  CHECK_EQ_INT(t1.c[3].flags & SB_TC_BREAK, SB_TC_BREAK);
  /* same pointer and length, other bytes: prepared afresh */
  strcpy(buf, "aaab bbbcccc\tddd");
  buf[15] = 0;
  CHECK_EQ_INT(sb_lay_prepare(lay, &sp, 1, NULL, &t1), SB_OK);
  CHECK_EQ_INT(t1.c[3].flags & SB_TC_BREAK, 0);
  CHECK_EQ_INT(t1.c[4].flags & SB_TC_BREAK, SB_TC_BREAK);
  CHECK_EQ_INT(sb_lay_prepare(ref, &sp, 1, NULL, &t2), SB_OK);
  CHECK(same_text(&t1, &t2));
  /* span boundaries are part of the key: "x\xC3" + "\xA9y" is two bad
  ** bytes, "x\xC3\xA9y" one e-acute */
  sb_span two[2] = {{"x\xC3", SB_FONT_REGULAR, black, NULL},
                    {"\xA9y", SB_FONT_BOLD, black, NULL}};
  sb_span one = {"x\xC3\xA9y", SB_FONT_REGULAR, black, NULL};
  CHECK_EQ_INT(sb_lay_prepare(lay, &one, 1, NULL, &t1), SB_OK);
  CHECK_EQ_INT(t1.n, 3);
  CHECK_EQ_INT(sb_lay_prepare(lay, two, 2, NULL, &t1), SB_OK);
  CHECK_EQ_INT(t1.n, 4);
  CHECK_EQ_INT(t1.c[3].font, SB_FONT_BOLD);
  CHECK_EQ_INT(t1.c[3].span, 1);
  CHECK_EQ_INT(sb_lay_prepare(ref, two, 2, NULL, &t2), SB_OK);
  CHECK(same_text(&t1, &t2));
  sb_drop_lay(lay);
  sb_drop_lay(ref);

  /* one cache, a dry pass then a real one: warnings only in the real one,
  ** once per (character, source), and the same characters either way */
  sb_lay_cache *cache = sb_new_lay_cache();
  sb_dl dl;
  sb_dl_init(&dl, a, 0);
  size_t w0 = ctx.nwarnings;
  sb_src src = {NULL, 0, "skill s3: expectation"};
  sb_span em = {"x\xF0\x9F\x98\x80y z", SB_FONT_REGULAR, black, NULL};
  sb_lay *dry = sb_new_lay(&ctx, a, NULL, sb_style_builtin("default"), &fs, 0);
  sb_lay_share_cache(dry, cache);
  CHECK_EQ_INT(sb_lay_prepare(dry, &em, 1, &src, &t1), SB_OK);
  CHECK_EQ_INT(ctx.nwarnings - w0, 0);
  sb_lay *real = sb_new_lay(&ctx, a, &dl, sb_style_builtin("default"), &fs, 0);
  sb_lay_share_cache(real, cache);
  CHECK_EQ_INT(sb_lay_prepare(real, &em, 1, &src, &t2), SB_OK);
  CHECK_EQ_INT(sb_lay_prepare(real, &em, 1, &src, &t2), SB_OK);
  CHECK_EQ_INT(ctx.nwarnings - w0, 1);
  CHECK(same_text(&t1, &t2));
  CHECK(t2.c[1].cp == '?' || t2.c[1].cp == 0xFFFD);
  sb_drop_lay(dry);
  sb_drop_lay(real);
  sb_drop_lay_cache(cache);
  sb_drop_lay_cache(NULL);
  sb_drop_arena(a);
}

/* Finished preparations kept in the cache (text.c, prep_variant): a
** text prepared again, by the same layout or another sharing the cache,
** is what a fresh preparation gives (characters, advances with kerning
** folded in, flags, fonts, spans); a caller may change its copy without
** changing the next; the span fonts and the faces are part of the key;
** a text with a substituted character is not kept (it warns in the real
** pass); the widest run (min-content) kept with it is the one worked out.
** The advances themselves are checked against the font's own numbers
** (sb_font_advance plus sb_font_kern with the next character), which do
** not go through the layout's tables. */
static void test_prep_variants(void) {
  static const char *const texts[] = {
      "AVAWAY To Wolf, yes. Tea",   "aaa bbb-ccc\tddd",
      "soft\xC2\xADhyphen here",    "line\nbreak\xE2\x80\xA8sep",
      "a - dash - b",               "caf\xC3\xA9 \xE2\x80\x94 na\xC3\xAFve",
      "Wo\xE2\x80\x8Brd \xEF\xBB\xBFx", "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82",
      "  lead and trail  ",          "x"};
  sb_arena *a = sb_new_arena(0);
  const sb_style *st = sb_style_builtin("default");
  sb_lay_cache *cache = sb_new_lay_cache();
  sb_lay *lay = sb_new_lay(&ctx, a, NULL, st, &fs, 0);
  sb_lay_share_cache(lay, cache);
  sb_text t, f, r;
  long *memo;

  for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
    for (int font = 0; font < SB_FONT_COUNT; font++) {
      sb_span sp = {texts[k], font, black, NULL};
      /* a fresh layout (its own, empty cache): the computed path */
      sb_lay *fresh = sb_new_lay(&ctx, a, NULL, st, &fs, 0);
      CHECK_EQ_INT(sb_lay_prepare(fresh, &sp, 1, NULL, &f), SB_OK);
      for (int again = 0; again < 3; again++) {
        CHECK_EQ_INT(sb_lay_prepare(lay, &sp, 1, NULL, &t), SB_OK);
        CHECK(same_text(&t, &f));
        CHECK_EQ_INT(sb_lay_prepare_ro_(lay, &sp, 1, NULL, &r, &memo),
                     SB_OK);
        CHECK(same_text(&r, &f));
        CHECK(memo != NULL); /* nothing substituted: kept */
        if (t.n > 0) t.c[0].adv = 1; /* the caller's copy */
      }
      double mw = sb_lay_min_width(fresh, font, 10, texts[k]);
      CHECK(sb_lay_min_width(lay, font, 10, texts[k]) == mw);
      CHECK(sb_lay_min_width(lay, font, 10, texts[k]) == mw);
      sb_drop_lay(fresh);
    }
  }
  /* the advances of plain ASCII in one span: the font's numbers */
  for (int font = 0; font < SB_FONT_COUNT; font++) {
    sb_span sp = {texts[0], font, black, NULL};
    const sb_font *face = fs.face[font];
    CHECK_EQ_INT(sb_lay_prepare(lay, &sp, 1, NULL, &t), SB_OK);
    int kerned = 0;
    for (int i = 0; i < t.n; i++) {
      int k = i + 1 < t.n ? sb_font_kern(face, t.c[i].cp, t.c[i + 1].cp) : 0;
      kerned |= k != 0;
      CHECK_EQ_INT(t.c[i].adv, sb_font_advance(face, t.c[i].cp) + k);
    }
    CHECK(kerned); /* "AV", "To"... */
  }
  /* two spans: their fonts are part of the key */
  sb_span two[2] = {{"Level ", SB_FONT_BOLD, black, NULL},
                    {"AVA", SB_FONT_REGULAR, black, NULL}};
  sb_span swapped[2] = {{"Level ", SB_FONT_REGULAR, black, NULL},
                        {"AVA", SB_FONT_BOLD, black, NULL}};
  sb_lay *fresh = sb_new_lay(&ctx, a, NULL, st, &fs, 0);
  CHECK_EQ_INT(sb_lay_prepare(lay, two, 2, NULL, &t), SB_OK);
  CHECK_EQ_INT(sb_lay_prepare(lay, swapped, 2, NULL, &t), SB_OK);
  CHECK_EQ_INT(sb_lay_prepare(fresh, swapped, 2, NULL, &f), SB_OK);
  CHECK(same_text(&t, &f));
  CHECK_EQ_INT(t.c[0].font, SB_FONT_REGULAR);
  CHECK_EQ_INT(t.c[6].font, SB_FONT_BOLD);
  sb_drop_lay(fresh);
  /* another fontset sharing the cache: its own preparations */
  sb_fontset other = fs;
  other.face[SB_FONT_REGULAR] = fs.face[SB_FONT_BOLD];
  other.face[SB_FONT_BOLD] = fs.face[SB_FONT_REGULAR];
  sb_lay *lay2 = sb_new_lay(&ctx, a, NULL, st, &other, 0);
  sb_lay *fresh2 = sb_new_lay(&ctx, a, NULL, st, &other, 0);
  sb_lay_share_cache(lay2, cache);
  sb_span sp = {texts[0], SB_FONT_REGULAR, black, NULL};
  CHECK_EQ_INT(sb_lay_prepare(lay, &sp, 1, NULL, &f), SB_OK);
  CHECK_EQ_INT(sb_lay_prepare(lay2, &sp, 1, NULL, &t), SB_OK);
  CHECK_EQ_INT(sb_lay_prepare(fresh2, &sp, 1, NULL, &r), SB_OK);
  CHECK(same_text(&t, &r));
  CHECK(!same_text(&t, &f)); /* bold advances, not regular ones */
  /* a character the font lacks: not kept, and it warns in the real pass
  ** after a dry one prepared it */
  sb_span em = {"x\xF0\x9F\x98\x80y", SB_FONT_REGULAR, black, NULL};
  CHECK_EQ_INT(sb_lay_prepare_ro_(lay, &em, 1, NULL, &r, &memo), SB_OK);
  CHECK(memo == NULL);
  sb_drop_lay(lay2);
  sb_drop_lay(fresh2);
  sb_drop_lay(lay);
  sb_drop_lay_cache(cache);
  sb_drop_arena(a);
}

/* A contents entry whose page is known only later (sb_para.ref): the
** number and the link are filled in by sb_lay_finish, exactly where and
** as a known number would have been printed. */
static void test_deferred_tail(void) {
  const sb_style *st = sb_style_builtin("default");
  sb_lay_ref ref = {0, 0};
  sb_span sp = {"Skill name", SB_FONT_REGULAR, black, NULL};
  sb_para p;
  const sb_op *tail[2] = {NULL, NULL}, *link[2] = {NULL, NULL};
  sb_arena *a[2];
  sb_dl dl[2];

  for (int k = 0; k < 2; k++) { /* 0: number known, 1: deferred */
    a[k] = sb_new_arena(0);
    sb_dl_init(&dl[k], a[k], 0);
    sb_lay *lay = sb_new_lay(&ctx, a[k], &dl[k], st, &fs, 0);
    memset(&p, 0, sizeof p);
    p.spans = &sp;
    p.nspans = 1;
    p.size = 10;
    p.tail_font = SB_FONT_REGULAR;
    p.tail_w = sb_lay_measure(lay, SB_FONT_REGULAR, 10, "0000");
    p.link = 1;
    p.tail = k == 0 ? "137" : "";
    p.link_page = 136;
    p.link_y = 42.5;
    p.ref = k == 0 ? NULL : &ref;
    CHECK_EQ_INT(sb_lay_para(lay, &p, NULL, NULL), SB_OK);
    ref.page = 136; /* learnt afterwards */
    ref.y = 42.5;
    CHECK_EQ_INT(sb_lay_finish(lay), SB_OK);
    for (int i = 0; i < dl[k].pages[0].nops; i++) {
      const sb_op *op = &dl[k].pages[0].ops[i];
      if (op->kind == SB_OP_LINK) link[k] = op;
      if (op->kind == SB_OP_TEXT) tail[k] = op; /* the last text op */
    }
    sb_drop_lay(lay);
  }
  CHECK_EQ_INT(dl[0].pages[0].nops, dl[1].pages[0].nops);
  CHECK(tail[0] && tail[1] && link[0] && link[1]);
  if (tail[0] && tail[1] && link[0] && link[1]) {
    CHECK_EQ_INT((int)tail[1]->u.text.len, 3);
    CHECK(memcmp(tail[1]->u.text.text, "137", 3) == 0);
    CHECK(tail[1]->u.text.x == tail[0]->u.text.x); /* exactly */
    CHECK(tail[1]->u.text.width == tail[0]->u.text.width);
    CHECK(tail[1]->u.text.y == tail[0]->u.text.y);
    CHECK_EQ_INT(link[1]->u.link.page, 136);
    CHECK(link[1]->u.link.dest_y == 42.5);
  }
  sb_drop_arena(a[0]);
  sb_drop_arena(a[1]);
}

/* ==== Keeping ==== */

typedef struct keep_doc {
  sb_arena *a;
  sb_dl dl;
  sb_lay *lay;
  sb_lay_ref r[3];  /* where H1..H3 fell; r[0]: a contents entry's too */
  int npages;
} keep_doc;

static sb_para kpara(const sb_span *sp, double size, int heading) {
  sb_para p;
  memset(&p, 0, sizeof p);
  p.spans = sp;
  p.nspans = 1;
  p.size = size;
  p.heading = heading;
  return p;
}

/* The first page holding a text op "s", or -1; *y gets its baseline. */
static int find_text(const sb_dl *dl, const char *s, double *y) {
  for (int pg = 0; pg < dl->npages; pg++)
    for (int i = 0; i < dl->pages[pg].nops; i++) {
      const sb_op *op = &dl->pages[pg].ops[i];
      if (op->kind == SB_OP_TEXT && op->u.text.len == strlen(s) &&
          memcmp(op->u.text.text, s, op->u.text.len) == 0) {
        if (y) *y = op->u.text.y;
        return pg;
      }
    }
  return -1;
}

/* A contents entry (number and link to H1), then a page filled to room
** points above its foot, then: H1, a rule, a dot, H2, H3 (each with its
** bookmark), a one-line paragraph ("one") when one_line, and then what:
** 0 a table of a header and a 30-point row, 1 a paragraph of five lines,
** 2 a drawing of 100 points (sb_lay_need, sb_lay_skip). dry: no dl. */
static void keep_doc_run(keep_doc *d, int dry, double room, int one_line,
                         int what) {
  const sb_style *st = sb_style_builtin("default");
  memset(d, 0, sizeof *d);
  d->a = sb_new_arena(0);
  sb_dl_init(&d->dl, d->a, 0);
  sb_lay *lay = d->lay =
      sb_new_lay(&ctx, d->a, dry ? NULL : &d->dl, st, &fs, 0);
  sb_lay_set_furniture(lay, furn, NULL);
  sb_span ts = {"Contents entry", SB_FONT_REGULAR, black, NULL};
  sb_para tp = kpara(&ts, 10, 0);
  tp.tail = "";
  tp.tail_font = SB_FONT_REGULAR;
  tp.tail_w = 30;
  tp.link = 1;
  tp.ref = &d->r[0];
  sb_lay_para(lay, &tp, NULL, NULL);
  sb_lay_new_page(lay);
  sb_span fill = {"filler", SB_FONT_REGULAR, black, NULL};
  sb_para fp = kpara(&fill, 10, 0);
  sb_lay_para(lay, &fp, NULL, NULL);
  sb_lay_skip(lay, sb_lay_bottom(lay) - room - sb_lay_y(lay));
  static const char *names[3] = {"H1", "H2", "H3"};
  for (int i = 0; i < 3; i++) {
    sb_span hs = {names[i], SB_FONT_BOLD, black, NULL};
    sb_para hp = kpara(&hs, 14 - 2 * i, i + 1);
    hp.space_before = 6;
    hp.at = &d->r[i];
    sb_lay_para(lay, &hp, NULL, NULL);
    sb_lay_outline(lay, names[i], i, d->r[i].page, d->r[i].y);
    if (i == 0) {
      sb_lay_rule(lay, 1, black, 1, 2);
      sb_lay_mark_at(lay, sb_lay_page(lay), 300, sb_lay_y(lay) - 3, 4,
                     SB_MARK_DOT, black);
    }
  }
  if (one_line) {
    sb_span os = {"one", SB_FONT_REGULAR, black, NULL};
    sb_para op = kpara(&os, 10, 0);
    sb_lay_para(lay, &op, NULL, NULL);
  }
  if (what == 0) {
    double widths[2] = {100, 300};
    sb_span hs[2] = {{"HDR", SB_FONT_BOLD, black, NULL}, {"T", SB_FONT_BOLD, black, NULL}};
    sb_span rs = {"row", SB_FONT_REGULAR, black, NULL};
    sb_cell hc[2], row[2];
    memset(hc, 0, sizeof hc);
    memset(row, 0, sizeof row);
    hc[0].spans = &hs[0];
    hc[0].nspans = 1;
    hc[1].spans = &hs[1];
    hc[1].nspans = 1;
    row[0].spans = &rs;
    row[0].nspans = 1;
    row[1].min_h = 30;
    sb_table t;
    memset(&t, 0, sizeof t);
    t.ncols = 2;
    t.widths = widths;
    t.size = 10;
    t.pad = 3;
    t.header = hc;
    sb_lay_table(lay, &t, row, 1, NULL);
  } else if (what == 1) {
    sb_span ps = {"l1\nl2\nl3\nl4\nl5", SB_FONT_REGULAR, black, NULL};
    sb_para pp = kpara(&ps, 10, 0);
    sb_lay_para(lay, &pp, NULL, NULL);
  } else {
    sb_lay_need(lay, 100);
    sb_lay_rect(lay, sb_lay_page(lay), 100, sb_lay_y(lay), 50, 100, 1, black,
                0, black);
    sb_lay_skip(lay, 100);
  }
  CHECK_EQ_INT(sb_lay_finish(lay), SB_OK);
  d->npages = sb_lay_npages(lay);
}

static void keep_doc_drop(keep_doc *d) {
  sb_drop_lay(d->lay);
  sb_drop_arena(d->a);
}

/* BEGIN/END marks of kind what on a page: their count in *n, and whether
** they pair up in order. */
static int marks_ok(const sb_page *pg, sb_struct what, int *n) {
  int open = 0;
  *n = 0;
  for (int i = 0; i < pg->nops; i++) {
    const sb_op *op = &pg->ops[i];
    if ((op->kind != SB_OP_BEGIN && op->kind != SB_OP_END) ||
        op->u.mark.what != what)
      continue;
    if (op->kind == SB_OP_BEGIN) {
      if (open) return 0;
      open = 1;
      (*n)++;
    } else {
      if (!open) return 0;
      open = 0;
    }
  }
  return !open;
}

typedef struct count_dev {
  sb_device base;
  int ops, marks, bad;
} count_dev;

static sb_status count_op(sb_ctx *c, sb_device *dev, const sb_op *op) {
  (void)c;
  count_dev *d = (count_dev *)dev;
  d->ops++;
  if (op->kind == SB_OP_BEGIN || op->kind == SB_OP_END) d->bad++;
  return SB_OK;
}

static sb_status count_mark(sb_ctx *c, sb_device *dev, const sb_op *op) {
  (void)c;
  count_dev *d = (count_dev *)dev;
  d->marks++;
  if (op->kind != SB_OP_BEGIN && op->kind != SB_OP_END) d->bad++;
  return SB_OK;
}

static void test_keep(void) {
  keep_doc d, dry;
  double room_ok = 200, room_tight = 100, y;

  /* H1..H3 fit in 100 points, the table's header and row do not: the
  ** chain goes to page 3 with the table, its bookmarks, contents number
  ** and link with it; the same in a dry layout */
  keep_doc_run(&d, 0, room_tight, 0, 0);
  keep_doc_run(&dry, 1, room_tight, 0, 0);
  CHECK_EQ_INT(d.npages, 3);
  CHECK_EQ_INT(dry.npages, 3);
  CHECK_EQ_INT(find_text(&d.dl, "H1", &y), 2);
  CHECK_EQ_INT(find_text(&d.dl, "H3", NULL), 2);
  CHECK_EQ_INT(find_text(&d.dl, "HDR", NULL), 2);
  CHECK_EQ_INT(find_text(&d.dl, "filler", NULL), 1);
  CHECK(y < sb_lay_top(d.lay) + 20); /* H1 starts page 3 */
  for (int i = 0; i < 3; i++) {
    CHECK_EQ_INT(d.r[i].page, 2);
    CHECK_EQ_INT(dry.r[i].page, 2);
    CHECK_EQ_DBL(d.r[i].y, dry.r[i].y, 1e-9);
    CHECK_EQ_INT(d.dl.outlines[i].page, 2);
    CHECK_EQ_DBL(d.dl.outlines[i].y, d.r[i].y, 1e-9);
  }
  CHECK_EQ_DBL(d.r[0].y, sb_lay_top(d.lay), 1e-9); /* its space dropped */
  CHECK(d.r[0].y < d.r[1].y && d.r[1].y < d.r[2].y);
  CHECK_EQ_INT(find_text(&d.dl, "3", NULL), 0); /* the contents number */
  int nh = 0, nl = 0, np = 0;
  for (int i = 0; i < d.dl.pages[2].nops; i++) {
    const sb_op *op = &d.dl.pages[2].ops[i];
    if (op->kind == SB_OP_LINE && op->u.line.y0 < d.r[1].y) nl++; /* rule */
    if (op->kind == SB_OP_PATH) { /* the dot moved by as much as H1 */
      np++;
      CHECK(op->u.path.segs[0].y[0] > d.r[0].y &&
            op->u.path.segs[0].y[0] < d.r[1].y);
    }
  }
  CHECK_EQ_INT(nl, 1);
  CHECK_EQ_INT(np, 1);
  for (int i = 0; i < d.dl.pages[0].nops; i++)
    if (d.dl.pages[0].ops[i].kind == SB_OP_LINK)
      CHECK_EQ_INT(d.dl.pages[0].ops[i].u.link.page, 2);
  /* the marks: three headings on page 3 and none left on page 2; the
  ** furniture marked on every page */
  CHECK(marks_ok(&d.dl.pages[1], SB_STRUCT_HEADING, &nh));
  CHECK_EQ_INT(nh, 0);
  CHECK(marks_ok(&d.dl.pages[2], SB_STRUCT_HEADING, &nh));
  CHECK_EQ_INT(nh, 3);
  for (int pg = 0; pg < 3; pg++) { /* furniture, and dot leaders */
    CHECK(marks_ok(&d.dl.pages[pg], SB_STRUCT_ARTIFACT, &nh));
    int furn = 0;
    for (int i = 0; i < d.dl.pages[pg].nops; i++) {
      const sb_op *op = &d.dl.pages[pg].ops[i];
      furn += op->kind == SB_OP_BEGIN && op->u.mark.what == SB_STRUCT_ARTIFACT &&
              op->u.mark.level == SB_ARTIFACT_PAGINATION;
    }
    CHECK(nh >= 1);
    CHECK_EQ_INT(furn, 1);
  }
  /* a device without a mark callback never sees a mark in op; one with
  ** it sees them all */
  count_dev cd;
  memset(&cd, 0, sizeof cd);
  cd.base.op = count_op;
  CHECK_EQ_INT(sb_dl_run(&ctx, &d.dl, &cd.base, 0, -1), SB_OK);
  int all = 0, nmarks = 0;
  for (int pg = 0; pg < 3; pg++) {
    all += d.dl.pages[pg].nops;
    for (int i = 0; i < d.dl.pages[pg].nops; i++)
      nmarks += d.dl.pages[pg].ops[i].kind == SB_OP_BEGIN ||
                d.dl.pages[pg].ops[i].kind == SB_OP_END;
  }
  /* headings and furniture, and the paragraphs, links and leaders */
  CHECK(nmarks > 2 * (3 + 3));
  CHECK_EQ_INT(cd.bad, 0);
  CHECK_EQ_INT(cd.ops, all - nmarks);
  cd.ops = 0;
  cd.base.mark = count_mark;
  CHECK_EQ_INT(sb_dl_run(&ctx, &d.dl, &cd.base, 0, -1), SB_OK);
  CHECK_EQ_INT(cd.bad, 0);
  CHECK_EQ_INT(cd.marks, nmarks);
  /* the trace prints them */
  sb_buf b;
  sb_buf_init(&b);
  sb_device *tr = sb_new_trace_device(&ctx, &b);
  CHECK_EQ_INT(sb_dl_run(&ctx, &d.dl, tr, 2, 2), SB_OK);
  sb_drop_device(tr);
  sb_buf_addc(&b, 0);
  CHECK(strstr(b.p, "\nbegin heading 1\ntext ") != NULL);
  CHECK(strstr(b.p, "\"H3\"\nend heading\n") != NULL);
  CHECK(strstr(b.p, "\nbegin artifact 1\ntext ") != NULL);
  sb_buf_free(&b);
  keep_doc_drop(&d);
  keep_doc_drop(&dry);

  /* room for the chain and the table: nothing moves */
  keep_doc_run(&d, 0, room_ok, 0, 0);
  CHECK_EQ_INT(d.npages, 2);
  CHECK_EQ_INT(find_text(&d.dl, "H1", NULL), 1);
  CHECK_EQ_INT(d.r[0].page, 1);
  keep_doc_drop(&d);

  /* a one-line paragraph joins the chain: it moves with it */
  keep_doc_run(&d, 0, room_tight + 14, 1, 0);
  CHECK_EQ_INT(find_text(&d.dl, "one", NULL), 2);
  CHECK_EQ_INT(find_text(&d.dl, "H1", NULL), 2);
  keep_doc_drop(&d);

  /* two lines of text satisfy the chain: the paragraph splits after them */
  keep_doc_run(&d, 0, room_tight, 0, 1);
  CHECK_EQ_INT(find_text(&d.dl, "H1", NULL), 1);
  CHECK_EQ_INT(find_text(&d.dl, "l2", NULL), 1);
  CHECK_EQ_INT(find_text(&d.dl, "l5", NULL), 2);
  keep_doc_drop(&d);
  /* not even one line: all of it moves */
  keep_doc_run(&d, 0, room_tight - 20, 0, 1);
  CHECK_EQ_INT(find_text(&d.dl, "H1", NULL), 2);
  CHECK_EQ_INT(find_text(&d.dl, "l1", NULL), 2);
  keep_doc_drop(&d);

  /* a drawing (need, then skip) takes the chain along too */
  keep_doc_run(&d, 0, room_tight + 20, 0, 2);
  CHECK_EQ_INT(find_text(&d.dl, "H3", NULL), 2);
  CHECK_EQ_INT(d.dl.outlines[2].page, 2);
  keep_doc_drop(&d);

  /* a chain that starts its page stays there, whatever follows */
  sb_arena *a = sb_new_arena(0);
  sb_dl dl;
  sb_dl_init(&dl, a, 0);
  sb_lay *lay = sb_new_lay(&ctx, a, &dl, sb_style_builtin("default"), &fs, 0);
  sb_span hs = {"Top", SB_FONT_BOLD, black, NULL};
  sb_para hp = kpara(&hs, 14, 1);
  sb_lay_para(lay, &hp, NULL, NULL);
  sb_lay_need(lay, sb_lay_bottom(lay) - sb_lay_top(lay));
  CHECK_EQ_INT(find_text(&dl, "Top", NULL), 0);
  CHECK_EQ_INT(sb_lay_page(lay), 1);
  /* an explicit page break leaves a heading where it is */
  sb_lay_para(lay, &hp, NULL, NULL);
  sb_lay_skip(lay, 1);
  hs.text = "Alone";
  sb_lay_para(lay, &hp, NULL, NULL);
  sb_lay_new_page(lay);
  sb_lay_need(lay, 10);
  CHECK_EQ_INT(find_text(&dl, "Alone", NULL), 1);
  sb_drop_lay(lay);
  sb_drop_arena(a);
}

/* A row that does not fit splits where it is while a quarter of the page
** or more is left, and moves whole when less is: no page left mostly
** blank for a row that fits on the next. */
static void test_row_split(void) {
  const sb_style *st = sb_style_builtin("default");
  for (int k = 0; k < 2; k++) { /* 0: half the page left, 1: a fifth */
    sb_arena *a = sb_new_arena(0);
    sb_dl dl;
    sb_dl_init(&dl, a, 0);
    sb_lay *lay = sb_new_lay(&ctx, a, &dl, st, &fs, 0);
    double body = sb_lay_bottom(lay) - sb_lay_top(lay);
    sb_lay_skip(lay, body * (k == 0 ? 0.5 : 0.8));
    /* 40 lines of "a" in a column of one letter: about 0.8 of the page */
    char text[200];
    for (int i = 0; i < 40; i++) {
      text[2 * i] = 'a';
      text[2 * i + 1] = i < 39 ? '\n' : 0;
    }
    sb_span rs = {text, SB_FONT_REGULAR, black, NULL};
    sb_cell row;
    memset(&row, 0, sizeof row);
    row.spans = &rs;
    row.nspans = 1;
    double widths[1] = {200};
    sb_table t;
    memset(&t, 0, sizeof t);
    t.ncols = 1;
    t.widths = widths;
    t.size = 10;
    t.pad = 3;
    double h = sb_lay_row_height(lay, &t, &row);
    CHECK(h < body && h > body * 0.55);
    CHECK_EQ_INT(sb_lay_table(lay, &t, &row, 1, NULL), SB_OK);
    int on_first = 0;
    for (int i = 0; i < dl.pages[0].nops; i++)
      if (dl.pages[0].ops[i].kind == SB_OP_TEXT) on_first++;
    if (k == 0)
      CHECK(on_first >= 10 && on_first < 40); /* split where it was */
    else
      CHECK_EQ_INT(on_first, 0); /* moved whole */
    CHECK_EQ_INT(dl.npages, 2);
    sb_drop_lay(lay);
    sb_drop_arena(a);
  }
}

/* The pair table gives libunibreak's own verdicts: random strings over
** every character of its set (printable ASCII, U+00A0..U+017F,
** U+0400..U+045F, dashes, quotes, ellipsis...), and over a text-like mix,
** of 1 to 40 characters; a character outside the set sends the text to
** libunibreak. */
static void test_pair_breaks(void) {
  static const utf32_t extra[] = {0x2010, 0x2011, 0x2012, 0x2013, 0x2014,
                                  0x2018, 0x2019, 0x201A, 0x201C, 0x201D,
                                  0x201E, 0x2022, 0x2026, 0x2030, 0x2032,
                                  0x2033, 0x20AC, 0x2116, 0x2122, 0x2190,
                                  0x2192, 0x2212, 0x2264, 0x2265};
  static const char text[] = "eeeeeeetttaaoinnsshrdlu      ..,,--()12/:;'\"!?%$";
  utf32_t set[600];
  int nset = 0;
  for (utf32_t c = 0x20; c < 0x7F; c++) set[nset++] = c;
  for (utf32_t c = 0xA0; c < 0x180; c++) set[nset++] = c;
  for (utf32_t c = 0x400; c < 0x460; c++) set[nset++] = c;
  for (size_t i = 0; i < sizeof extra / sizeof *extra; i++) set[nset++] = extra[i];
  unsigned seed = 2026;
  long bad = 0, fast = 0;
  for (int a = 0; a < 2; a++)
    for (int k = 0; k < 200000; k++) {
      utf32_t u[40];
      char want[40], got[40];
      size_t n = 1 + (seed = seed * 1103515245u + 12345u) / 65536 % 40;
      for (size_t i = 0; i < n; i++) {
        unsigned r = (seed = seed * 1103515245u + 12345u) / 65536;
        u[i] = a ? (utf32_t)text[r % (sizeof text - 1)]
                 : r % 3 == 0 ? ' ' : set[r / 3 % (unsigned)nset];
      }
      set_linebreaks_utf32(u, n, NULL, want);
      if (sb_lay_pair_breaks_(u, n, got)) {
        fast++;
        if (memcmp(want, got, n) != 0) bad++;
      } else if (u[0] != ' ') {
        bad++; /* every character is in the set: it must answer */
      }
    }
  CHECK_EQ_INT((int)bad, 0);
  CHECK(fast > 250000);
  utf32_t greek[2] = {0x3A9, 'a'}, tab[2] = {'a', '\t'}, mark[2] = {'a', 0x301};
  char b[2];
  CHECK_EQ_INT(sb_lay_pair_breaks_(greek, 2, b), 0);
  CHECK_EQ_INT(sb_lay_pair_breaks_(tab, 2, b), 0);
  CHECK_EQ_INT(sb_lay_pair_breaks_(mark, 2, b), 0);
}

/* sb_lay_bound: a name that fits comes back as it is; a longer one is cut
** at the end of its last allowed line with an ellipsis that fits there,
** warned about once per field; a dry layout cuts the same and stays quiet.
** Liberation Sans: 'a' 556, U+2026 1000. */
static void test_bound(void) {
  sb_arena *a = sb_new_arena(0);
  sb_dl dl;
  sb_dl_init(&dl, a, 0);
  sb_lay *lay = sb_new_lay(&ctx, a, &dl, sb_style_builtin("default"), &fs, 0);
  sb_src src = {"cat.xml", 7, "level senior: name"};
  size_t w0 = ctx.nwarnings;
  const char *s = sb_lay_bound(lay, "aaaa aaaa", SB_FONT_REGULAR, 10, 100, 1,
                               &src);
  CHECK_STR(s, "aaaa aaaa");
  CHECK_EQ_INT(ctx.nwarnings - w0, 0);
  /* 100 points at 10 pt: 10,000 units, 17 'a' (9452) + ellipsis (1000)
  ** would be 10452: 16 'a' and the ellipsis on each line's budget */
  static char word[100001];
  memset(word, 'a', 100000);
  const char *one = sb_lay_bound(lay, word, SB_FONT_REGULAR, 10, 100, 1, &src);
  CHECK(one != word);
  CHECK_EQ_INT(strlen(one), 16 + 3);
  CHECK(strcmp(one + 16, "\xE2\x80\xA6") == 0);
  CHECK(sb_lay_measure(lay, SB_FONT_REGULAR, 10, one) <= 100);
  CHECK_EQ_INT(ctx.nwarnings - w0, 1);
  CHECK(strstr(ctx.diags[ctx.ndiags - 1].msg, "level senior: name") != NULL);
  CHECK(strstr(ctx.diags[ctx.ndiags - 1].msg, "ellipsis") != NULL);
  /* three lines: two full lines of 17 'a' (9452 <= 10000), then 16 + '…' */
  const char *three = sb_lay_bound(lay, word, SB_FONT_REGULAR, 10, 100, 3,
                                   &src);
  CHECK_EQ_INT(strlen(three), 17 * 2 + 16 + 3);
  CHECK_EQ_INT(ctx.nwarnings - w0, 1); /* the same field: warned once */
  sb_text t;
  sb_line *l;
  sb_span sp = {three, SB_FONT_REGULAR, black, NULL};
  CHECK_EQ_INT(sb_lay_prepare(lay, &sp, 1, NULL, &t), SB_OK);
  CHECK_EQ_INT(sb_lay_wrap(lay, &t, 10000, &l), 3);
  /* words: the cut drops the spaces before it */
  const char *w = sb_lay_bound(lay, "aaaaaaaaaaaaaaaa aaaa", SB_FONT_REGULAR,
                               10, 100, 1, &src);
  CHECK_STR(w, "aaaaaaaaaaaaaaaa\xE2\x80\xA6");
  /* a dry layout: the same cut, no warning */
  sb_arena *b = sb_new_arena(0);
  sb_lay *dry = sb_new_lay(&ctx, b, NULL, sb_style_builtin("default"), &fs, 0);
  sb_src other = {"cat.xml", 8, "role r: name"};
  size_t w1 = ctx.nwarnings;
  CHECK_STR(sb_lay_bound(dry, word, SB_FONT_REGULAR, 10, 100, 1, &other), one);
  CHECK_EQ_INT(ctx.nwarnings - w1, 0);
  sb_drop_lay(dry);
  sb_drop_arena(b);

  /* a table whose header cell is taller than a page (fault 1): the header
  ** is cut to a third of the page, with one warning, and the table ends */
  double widths[2] = {60, 300};
  sb_span hs[2] = {{word, SB_FONT_BOLD, black, NULL}, {"Text", SB_FONT_BOLD, black, NULL}};
  sb_span bs[2] = {{"row", SB_FONT_REGULAR, black, NULL},
                   {"body", SB_FONT_REGULAR, black, NULL}};
  sb_cell hc[2], rows[2];
  memset(hc, 0, sizeof hc);
  memset(rows, 0, sizeof rows);
  for (int c = 0; c < 2; c++) {
    hc[c].spans = &hs[c];
    hc[c].nspans = 1;
    rows[c].spans = &bs[c];
    rows[c].nspans = 1;
  }
  sb_table tb;
  memset(&tb, 0, sizeof tb);
  tb.ncols = 2;
  tb.widths = widths;
  tb.size = 10;
  tb.pad = 4;
  tb.header = hc;
  tb.src.what = "skill s: expectations";
  w0 = ctx.nwarnings;
  sb_lay_new_page(lay);
  double body = sb_lay_bottom(lay) - sb_lay_top(lay);
  CHECK(sb_lay_row_height(lay, &tb, hc) <= body / 3 + 1e-6);
  CHECK_EQ_INT(sb_lay_table(lay, &tb, rows, 1, NULL), SB_OK);
  CHECK_EQ_INT(dl.npages, 1); /* the header and the row, on one page */
  CHECK_EQ_INT(ctx.nwarnings - w0, 1);
  CHECK(strstr(ctx.diags[ctx.ndiags - 1].msg, "table header") != NULL);
  char *text = page_text(&dl, 0);
  CHECK(strstr(text, "\xE2\x80\xA6") != NULL && strstr(text, "body"));
  free(text);
  sb_drop_lay(lay);
  sb_drop_arena(a);
}

/* Right-to-left letters print as a substitute with a warning naming them,
** like a character the font lacks: Hebrew (in the font), Syriac, Thaana,
** NKo, Samaritan, the Hebrew and Arabic presentation forms. */
static void test_rtl(void) {
  sb_arena *a = sb_new_arena(0);
  sb_dl dl;
  sb_dl_init(&dl, a, 0);
  sb_lay *lay = sb_new_lay(&ctx, a, &dl, sb_style_builtin("default"), &fs, 0);
  static const int32_t cps[] = {0x05D0, 0x05E9, 0x0710, 0x0780, 0x07CA,
                                0x0800, 0xFB2A, 0xFEB3};
  int n = (int)(sizeof cps / sizeof cps[0]);
  char buf[64];
  size_t o = 0;
  buf[o++] = 'x';
  for (int i = 0; i < n; i++) o += (size_t)sb_utf8_encode(cps[i], buf + o);
  buf[o++] = 'y';
  buf[o] = 0;
  sb_span sp = {buf, SB_FONT_REGULAR, black, NULL};
  sb_para p;
  memset(&p, 0, sizeof p);
  p.spans = &sp;
  p.nspans = 1;
  p.size = 10;
  p.src.what = "skill s: summary";
  size_t w0 = ctx.nwarnings;
  CHECK_EQ_INT(sb_lay_para(lay, &p, NULL, NULL), SB_OK);
  CHECK_EQ_INT(ctx.nwarnings - w0, (size_t)n);
  CHECK(strstr(ctx.diags[ctx.ndiags - 1].msg, "U+FEB3") != NULL);
  CHECK(strstr(ctx.diags[ctx.ndiags - 1].msg, "right to left") != NULL);
  char *s = page_text(&dl, 0);
  CHECK(strcmp(s, "x????????y") == 0 ||
        strncmp(s, "x\xEF\xBF\xBD", 4) == 0);
  free(s);
  /* neighbours that are not right-to-left stay: U+058F (Armenian dram),
  ** U+0900 (Devanagari, not in the font: the ordinary warning) */
  sb_span ok = {"\xD6\x8F", SB_FONT_REGULAR, black, NULL};
  p.spans = &ok;
  w0 = ctx.nwarnings;
  sb_lay_para(lay, &p, NULL, NULL);
  if (ctx.nwarnings > w0)
    CHECK(strstr(ctx.diags[ctx.ndiags - 1].msg, "right to left") == NULL);
  sb_drop_lay(lay);
  sb_drop_arena(a);
}

int main(void) {
  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  const char *paths[SB_FONT_COUNT] = {
      SB_SOURCE_DIR "/fonts/LiberationSans-Regular.ttf",
      SB_SOURCE_DIR "/fonts/LiberationSans-Bold.ttf",
      SB_SOURCE_DIR "/fonts/LiberationSans-Italic.ttf"};
  if (sb_load_fontset(&ctx, paths, &fs) != SB_OK) {
    fprintf(stderr, "cannot load fonts: %s\n", ctx.errmsg);
    return 1;
  }
  test_wrap();
  test_para_text();
  test_table();
  test_table_groups();
  test_table_fit();
  test_page_limit();
  test_prep_cache();
  test_prep_variants();
  test_deferred_tail();
  test_pair_breaks();
  test_bound();
  test_rtl();
  test_keep();
  test_row_split();
  sb_drop_fontset(&fs);
  sb_ctx_free(&ctx);
  return check_report();
}
