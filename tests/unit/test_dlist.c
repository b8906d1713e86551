/*
** tests/unit/test_dlist.c -- the display list's op arrays (dlist.c): on the
** heap, counted against the arena's budget, trimmed when the next page is
** added, moved between pages, freed page by page by sb_dl_run_once and
** with the arena. The drawing replayed is compared through the trace
** device: a list replayed once draws what sb_dl_run draws.
*/
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "skillbook/device.h"

/* n text ops on page, each "pPAGE-K" at y = K. */
static void add_texts(sb_ctx *ctx, sb_dl *dl, int page, int n) {
  for (int k = 0; k < n; k++) {
    sb_op *op = sb_dl_add_op(ctx, dl, page, SB_OP_TEXT);
    CHECK(op != NULL);
    if (!op) return;
    op->u.text.size = 10;
    op->u.text.x = 1;
    op->u.text.y = k;
    op->u.text.text = sb_arena_printf(dl->arena, "p%d-%d", page, k);
    op->u.text.len = strlen(op->u.text.text);
  }
}

/* A document the way layout writes one: pages filled in turn, a block
** moved to the next page, then furniture added to every page at the end. */
static void build(sb_ctx *ctx, sb_dl *dl) {
  for (int p = 0; p < 4; p++) {
    CHECK_EQ_INT(sb_dl_add_page(ctx, dl, 595, 842), p);
    add_texts(ctx, dl, p, 300 + p * 7);
    if (p == 1) {
      /* the page before was trimmed: its ops are whole */
      CHECK_EQ_INT(dl->pages[0].nops, 300);
      CHECK(dl->pages[0].capops >= 300 && dl->pages[0].capops <= 300 + 64);
      CHECK_STR(dl->pages[0].ops[299].u.text.text, "p0-299");
    }
  }
  /* the last 5 ops of page 2 follow onto page 3 */
  CHECK_EQ_INT(sb_dl_move_ops(ctx, dl, 2, 309, 3, -100), SB_OK);
  CHECK_EQ_INT(dl->pages[2].nops, 309);
  CHECK_EQ_INT(dl->pages[3].nops, 321 + 5);
  CHECK_STR(dl->pages[3].ops[321].u.text.text, "p2-309");
  CHECK(dl->pages[3].ops[321].u.text.y == 209);
  /* furniture on every page, more than the room kept at the trim */
  for (int p = 0; p < 4; p++)
    add_texts(ctx, dl, p, 40);
  CHECK_EQ_INT(dl->pages[0].nops, 340);
  CHECK_STR(dl->pages[0].ops[299].u.text.text, "p0-299");
  CHECK_STR(dl->pages[0].ops[339].u.text.text, "p0-39");
  CHECK_EQ_INT(sb_dl_add_outline(ctx, dl, "One", 0, 0, 0), SB_OK);
}

static void trace(sb_ctx *ctx, sb_dl *dl, int once, sb_buf *out) {
  sb_device *dev = sb_new_trace_device(ctx, out);
  CHECK(dev != NULL);
  if (!dev) return;
  CHECK_EQ_INT(once ? sb_dl_run_once(ctx, dl, dev, 0, -1)
                    : sb_dl_run(ctx, dl, dev, 0, -1),
               SB_OK);
  sb_drop_device(dev);
}

static void test_once_same_drawing(void) {
  sb_ctx ctx;
  sb_buf a, b;
  sb_ctx_init(&ctx);
  sb_buf_init(&a);
  sb_buf_init(&b);
  sb_arena *ar = sb_new_arena(0);
  sb_dl dl;
  sb_dl_init(&dl, ar, 0);
  build(&ctx, &dl);
  size_t used = sb_arena_used(ar);
  trace(&ctx, &dl, 0, &a);
  trace(&ctx, &dl, 0, &b); /* sb_dl_run leaves the list as it was */
  CHECK(a.n > 1000 && a.n == b.n && memcmp(a.p, b.p, a.n) == 0);
  b.n = 0;
  trace(&ctx, &dl, 1, &b);
  CHECK(a.n == b.n && memcmp(a.p, b.p, a.n) == 0);
  /* every page's ops given back, and their charge with them */
  CHECK_EQ_INT(dl.npages, 4);
  for (int p = 0; p < 4; p++) {
    CHECK_EQ_INT(dl.pages[p].nops, 0);
    CHECK(dl.pages[p].ops == NULL);
    CHECK(dl.pages[p].w == 595);
  }
  CHECK(sb_arena_used(ar) < used);
  CHECK(used - sb_arena_used(ar) >= (size_t)1366 * sizeof(sb_op));
  CHECK_EQ_INT(dl.noutlines, 1);
  sb_drop_arena(ar);
  sb_buf_free(&a);
  sb_buf_free(&b);
  sb_ctx_free(&ctx);
}

/* Op arrays count against --limit arena-bytes: over it, SB_E_LIMIT and
** no op; and the arrays are freed with the arena (the leak checker of the
** sanitizer build says so). */
static void test_budget(void) {
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  sb_arena *ar = sb_new_arena(200000);
  sb_dl dl;
  sb_dl_init(&dl, ar, 0);
  CHECK_EQ_INT(sb_dl_add_page(&ctx, &dl, 100, 100), 0);
  int n = 0;
  while (n < 100000 && sb_dl_add_op(&ctx, &dl, 0, SB_OP_RECT)) n++;
  CHECK(n > 100 && n < 200000 / (int)sizeof(sb_op));
  CHECK_EQ_INT(ctx.status, SB_E_LIMIT);
  CHECK_EQ_INT(dl.pages[0].nops, n);
  CHECK(sb_arena_used(ar) <= 200000);
  sb_drop_arena(ar);
  sb_ctx_free(&ctx);
  /* two lists on one arena, both freed by its drop */
  sb_ctx_init(&ctx);
  ar = sb_new_arena(0);
  sb_dl one, two;
  sb_dl_init(&one, ar, 0);
  sb_dl_init(&two, ar, 0);
  sb_dl_add_page(&ctx, &one, 10, 10);
  sb_dl_add_page(&ctx, &two, 10, 10);
  add_texts(&ctx, &one, 0, 50);
  add_texts(&ctx, &two, 0, 70);
  CHECK_EQ_INT(one.pages[0].nops + two.pages[0].nops, 120);
  sb_drop_arena(ar);
  sb_ctx_free(&ctx);
}

int main(void) {
  test_once_same_drawing();
  test_budget();
  return check_report();
}
