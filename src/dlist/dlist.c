/*
** dlist/dlist.c -- the display list: pages of ops, outlines, replay.
**
** The pages' op arrays are on the heap (sb_dl_heap), counted against the
** document arena's budget (sb_arena_charge) and freed with it (a hook,
** sb_arena_on_drop); everything else lives in the arena, and its arrays
** grow by doubling (the old block stays in the arena until it is dropped).
** Why the heap (issue #18): op arrays grown by doubling in the arena kept
** every old block, 2-4 ops of memory per op (xl.xml's r01 handbook: 32 MB
** for 94,414 ops of 152 bytes); on the heap a grown array's old block is
** reused by the next page, the page before a new one is trimmed to its
** size (plus room for the furniture added at the end), and a list
** replayed once (sb_dl_run_once) gives each page's ops back as soon as the
** device has ended the page, before the PDF is saved.
** Errors: SB_E_LIMIT past the page cap or the arena budget.
** Tests: tests/unit/test_dlist.c, tests/unit/test_pdf.c (through the
** devices), tests/golden/.
*/
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "skillbook/dlist.h"

/* The op arrays of the pages: ops[i] is pages[i].ops (NULL when it has
** none); freed by the arena's hook. */
struct sb_dl_heap {
  sb_arena *arena;
  sb_op **ops;
  int n, cap;
  size_t charged;  /* bytes counted against the arena's budget */
};

/* Room kept behind a page's ops when the next page is added: what the
** running header and footer (added once the page count is known) need
** without growing the array again. */
#define TRIM_ROOM 16

static void heap_free(void *arg) {
  sb_dl_heap *h = arg;
  for (int i = 0; i < h->n; i++)
    free(h->ops[i]);
  free(h->ops);
  free(h);
}

void sb_dl_init(sb_dl *dl, sb_arena *arena, size_t max_pages) {
  memset(dl, 0, sizeof *dl);
  dl->arena = arena;
  dl->max_pages = max_pages;
  dl->info.date = -1;
  dl->heap = sb_xcalloc(1, sizeof *dl->heap);
  dl->heap->arena = arena;
  sb_arena_on_drop(arena, heap_free, dl->heap);
}

static sb_status over_budget(sb_ctx *ctx) {
  return sb_fail(ctx, SB_E_LIMIT,
                 "document uses more memory than allowed "
                 "(raise with --limit arena-bytes=N)");
}

/* Grows an arena array of elements of size sz from *cap to at least
** need elements (sb_grow_cap: doubling from 8, at most INT_MAX). Returns
** the (maybe moved) array, or NULL over budget. */
static void *grow(sb_arena *a, void *old, int n, int *cap, int need,
                  size_t sz) {
  void *p;
  size_t ncap;

  if (need <= *cap)
    return old;
  if (sb_grow_cap((size_t)*cap, (size_t)need, sz, 8, INT_MAX, &ncap))
    return NULL;
  p = sb_arena_alloc(a, ncap * sz);
  if (!p)
    return NULL;
  if (n > 0)
    memcpy(p, old, (size_t)n * sz);
  *cap = (int)ncap;
  return p;
}

/* Gives page i's op array ncap places (ncap >= its nops; 0 frees it),
** charging or refunding the difference. Returns 0, or -1 over the budget
** (nothing changed). */
static int resize_ops(sb_dl *dl, int i, size_t ncap) {
  sb_dl_heap *h = dl->heap;
  sb_page *pg = &dl->pages[i];
  size_t old = (size_t)pg->capops * sizeof(sb_op), now = ncap * sizeof(sb_op);

  if (now > old && !sb_arena_charge(dl->arena, now - old))
    return -1;
  if (now < old)
    sb_arena_refund(dl->arena, old - now);
  h->charged += now - old; /* modulo arithmetic: a refund subtracts */
  if (ncap == 0) {
    free(pg->ops);
    pg->ops = NULL;
  } else {
    pg->ops = sb_xrealloc(pg->ops, now);
  }
  h->ops[i] = pg->ops;
  pg->capops = (int)ncap;
  return 0;
}

/* Makes room for need ops on page i: doubling from 8 up to 256, then by
** half (a page trimmed by add_page that gets its furniture later grows a
** little). Returns 0, or -1 when need is too many or over the budget. */
static int room(sb_dl *dl, int i, int need) {
  size_t cap = (size_t)dl->pages[i].capops, ncap;

  if (need <= (int)cap)
    return 0;
  if (need < 0 || (size_t)need > SIZE_MAX / sizeof(sb_op) / 2)
    return -1;
  ncap = cap < 8 ? 8 : cap;
  while (ncap < (size_t)need)
    ncap = ncap < 256 ? ncap * 2 : ncap + ncap / 2;
  if (ncap > INT_MAX)
    ncap = INT_MAX;
  return resize_ops(dl, i, ncap);
}

int sb_dl_add_page(sb_ctx *ctx, sb_dl *dl, double w, double h) {
  sb_page *pages, *pg;

  if (dl->max_pages && (size_t)dl->npages >= dl->max_pages) {
    sb_fail(ctx, SB_E_LIMIT,
            "document has more than %zu pages (raise with --limit pages=N)",
            dl->max_pages);
    return -1;
  }
  pages = grow(dl->arena, dl->pages, dl->npages, &dl->cappages,
               dl->npages + 1, sizeof *pages);
  if (!pages) {
    over_budget(ctx);
    return -1;
  }
  dl->pages = pages;
  if (dl->npages >= dl->heap->cap) {
    size_t ncap;
    if (sb_grow_cap((size_t)dl->heap->cap, (size_t)dl->npages + 1,
                    sizeof(sb_op *), 8, INT_MAX, &ncap)) {
      over_budget(ctx);
      return -1;
    }
    dl->heap->ops = sb_xrealloc(dl->heap->ops, ncap * sizeof(sb_op *));
    dl->heap->cap = (int)ncap;
  }
  dl->heap->ops[dl->npages] = NULL;
  dl->heap->n = dl->npages + 1;
  /* the page before is mostly done: its spare places go back to the heap,
  ** where the new page's array grows into them */
  if (dl->npages > 0) {
    sb_page *prev = &dl->pages[dl->npages - 1];
    if (prev->capops > prev->nops + TRIM_ROOM)
      resize_ops(dl, dl->npages - 1,
                 prev->nops ? (size_t)prev->nops + TRIM_ROOM : 0);
  }
  pg = &dl->pages[dl->npages];
  memset(pg, 0, sizeof *pg);
  pg->w = w;
  pg->h = h;
  return dl->npages++;
}

sb_op *sb_dl_add_op(sb_ctx *ctx, sb_dl *dl, int page, sb_op_kind kind) {
  sb_page *pg;
  sb_op *op;

  if (page < 0 || page >= dl->npages) {
    sb_fail(ctx, SB_E_INTERNAL, "op added to page %d of %d", page + 1,
            dl->npages);
    return NULL;
  }
  pg = &dl->pages[page];
  if (room(dl, page, pg->nops + 1)) {
    over_budget(ctx);
    return NULL;
  }
  op = &pg->ops[pg->nops++];
  memset(op, 0, sizeof *op);
  op->kind = kind;
  return op;
}

sb_op *sb_dl_add_path(sb_ctx *ctx, sb_dl *dl, int page, const sb_pathseg *segs,
                      int nsegs) {
  sb_pathseg *copy = NULL;
  sb_op *op;

  if (nsegs > 0) {
    copy = sb_arena_alloc(dl->arena, (size_t)nsegs * sizeof *copy);
    if (!copy) {
      over_budget(ctx);
      return NULL;
    }
    memcpy(copy, segs, (size_t)nsegs * sizeof *copy);
  }
  op = sb_dl_add_op(ctx, dl, page, SB_OP_PATH);
  if (!op)
    return NULL;
  op->u.path.segs = copy;
  op->u.path.nsegs = nsegs;
  op->u.path.fill_alpha = 1;
  return op;
}

sb_status sb_dl_add_outline(sb_ctx *ctx, sb_dl *dl, const char *title,
                            int depth, int page, double y) {
  sb_outline *ol;

  ol = grow(dl->arena, dl->outlines, dl->noutlines, &dl->capoutlines,
            dl->noutlines + 1, sizeof *ol);
  if (!ol)
    return over_budget(ctx);
  dl->outlines = ol;
  ol = &dl->outlines[dl->noutlines++];
  ol->title = title;
  ol->depth = depth < 0 ? 0 : depth;
  ol->page = page;
  ol->y = y;
  return SB_OK;
}

sb_op *sb_dl_add_mark(sb_ctx *ctx, sb_dl *dl, int page, sb_op_kind kind,
                      sb_struct what, int level) {
  sb_op *op;

  SB_ASSERT(kind == SB_OP_BEGIN || kind == SB_OP_END);
  op = sb_dl_add_op(ctx, dl, page, kind);
  if (!op)
    return NULL;
  op->u.mark.what = what;
  op->u.mark.level = level;
  return op;
}

const char *sb_struct_name(sb_struct what) {
  static const char *const names[SB_STRUCT_COUNT] = {
      "H", "Artifact", "P", "Table", "THead", "TBody", "TR", "TH", "TD",
      "L", "LI", "Lbl", "LBody", "TOC", "TOCI", "Figure", "Link"};
  return (unsigned)what < SB_STRUCT_COUNT ? names[what] : "Span";
}

/* Shifts every y of op by dy; a path gets its own shifted copy of its
** segments (NULL over budget). */
static int shift_op(sb_arena *a, sb_op *op, double dy) {
  switch (op->kind) {
  case SB_OP_TEXT: op->u.text.y += dy; break;
  case SB_OP_RECT: op->u.rect.y += dy; break;
  case SB_OP_LINE:
    op->u.line.y0 += dy;
    op->u.line.y1 += dy;
    break;
  case SB_OP_PATH: {
    int n = op->u.path.nsegs, i, k;
    sb_pathseg *s;
    if (n <= 0)
      break;
    s = sb_arena_alloc(a, (size_t)n * sizeof *s);
    if (!s)
      return -1;
    memcpy(s, op->u.path.segs, (size_t)n * sizeof *s);
    for (i = 0; i < n; i++)
      for (k = 0; k < 3; k++)
        s[i].y[k] += dy;
    op->u.path.segs = s;
    break;
  }
  case SB_OP_LINK: op->u.link.y += dy; break;  /* the area, not its target */
  case SB_OP_IMAGE: op->u.image.y += dy; break;
  case SB_OP_FIELD: op->u.field.y += dy; break;
  case SB_OP_BEGIN:
  case SB_OP_END: break;
  }
  return 0;
}

sb_status sb_dl_move_ops(sb_ctx *ctx, sb_dl *dl, int from, int first, int to,
                         double dy) {
  sb_page *src, *dst;
  int n, i;

  if (from < 0 || from >= dl->npages || to < 0 || to >= dl->npages ||
      from == to || first < 0 || first > dl->pages[from].nops)
    return sb_fail(ctx, SB_E_INTERNAL, "ops moved from page %d to page %d",
                   from + 1, to + 1);
  src = &dl->pages[from];
  dst = &dl->pages[to];
  n = src->nops - first;
  if (n == 0)
    return SB_OK;
  if (n > INT_MAX - dst->nops || room(dl, to, dst->nops + n))
    return over_budget(ctx);
  for (i = 0; i < n; i++) {
    sb_op op = src->ops[first + i];
    if (shift_op(dl->arena, &op, dy))
      return over_budget(ctx); /* dst->nops unchanged: nothing moved */
    dst->ops[dst->nops + i] = op;
  }
  dst->nops += n;
  src->nops = first;
  return SB_OK;
}

/* ==== Replay ==== */

static sb_status run_page(sb_ctx *ctx, const sb_dl *dl, sb_device *dev,
                          int i) {
  const sb_page *pg = &dl->pages[i];
  sb_status st = SB_OK;
  int k;

  if (dev->begin_page && (st = dev->begin_page(ctx, dev, i, pg)) != SB_OK)
    return st;
  for (k = 0; k < pg->nops; k++) {
    const sb_op *op = &pg->ops[k];
    if (op->kind == SB_OP_BEGIN || op->kind == SB_OP_END)
      st = dev->mark ? dev->mark(ctx, dev, op) : SB_OK;
    else
      st = dev->op ? dev->op(ctx, dev, op) : SB_OK;
    if (st != SB_OK)
      return st;
  }
  if (dev->end_page)
    st = dev->end_page(ctx, dev, i);
  return st;
}

/* sb_dl_run and sb_dl_run_once: once != NULL is dl itself, whose pages'
** ops are given back as each page is ended. */
static sb_status run(sb_ctx *ctx, const sb_dl *dl, sb_dl *once, sb_device *dev,
                     int first, int last) {
  sb_status st;
  int i;

  if (last < 0 || last >= dl->npages)
    last = dl->npages - 1;
  if (first < 0)
    first = 0;
  if (dev->begin_doc && (st = dev->begin_doc(ctx, dev, dl)) != SB_OK)
    return st;
  for (i = first; i <= last; i++) {
    if ((st = run_page(ctx, dl, dev, i)) != SB_OK)
      return st;
    if (once) {
      once->pages[i].nops = 0;
      resize_ops(once, i, 0);
    }
  }
  if (dev->close)
    return dev->close(ctx, dev, dl);
  return SB_OK;
}

sb_status sb_dl_run(sb_ctx *ctx, const sb_dl *dl, sb_device *dev, int first,
                    int last) {
  return run(ctx, dl, NULL, dev, first, last);
}

sb_status sb_dl_run_once(sb_ctx *ctx, sb_dl *dl, sb_device *dev, int first,
                         int last) {
  return run(ctx, dl, dl, dev, first, last);
}

void sb_drop_device(sb_device *dev) {
  if (dev && dev->drop)
    dev->drop(dev);
}
