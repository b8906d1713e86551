/*
** tests/unit/test_review_book.c -- review books (docs/review-book.c) from
** the bundled catalogue, through sb_render as `reviews` renders them.
**
** Alone: a book of three packs (one a move between roles, one filtered)
** has more pages than packs, every pack starting on its own page; a pack
** alone as a sheet has as many pages as its part of the book; an empty
** book and bad indexes are usage errors. With arguments,
** `test_review_book OUT.pdf N [TITLE]` writes a book of N packs (people
** "Person 1".., every role and pair of adjacent levels in turn) to OUT.pdf
** and prints "pages N bytes B seconds S": tests/cli/sheet_review.sh reads
** that book with pdftotext and pikepdf; the figure for 300 packs is in the
** README.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "skillbook/catalog.h"
#include "skillbook/render.h"

static sb_catalog *load(sb_ctx *ctx) {
  sb_catalog *cat = NULL;
  if (sb_load_catalog(ctx, SB_SOURCE_DIR "/catalog", &cat) != SB_OK) {
    fprintf(stderr, "cannot load the bundled catalogue\n");
    exit(1);
  }
  return cat;
}

/* n reviews: every role and pair of its adjacent levels in turn, names
** "Person K", reviewer "Grace H.", a date; pack mode. Names are kept in
** names (n * 32 bytes). */
static sb_review *reviews(const sb_catalog *cat, int n, char *names) {
  sb_review *rv = calloc((size_t)n, sizeof *rv);
  int *lv = malloc((size_t)(cat->nlevels + 1) * sizeof *lv);
  int k = 0;
  while (k < n) {
    for (int r = 0; r < cat->nroles && k < n; r++) {
      int nl = sb_cat_role_levels(cat, r, lv);
      for (int i = 0; i + 1 < nl && k < n; i++, k++) {
        snprintf(names + (size_t)k * 32, 32, "Person %d", k + 1);
        rv[k].person = names + (size_t)k * 32;
        rv[k].reviewer = "Grace H.";
        rv[k].date = "2026-12-01";
        rv[k].role = rv[k].to_role = r;
        rv[k].from = lv[i];
        rv[k].to = lv[i + 1];
        rv[k].domain = -1;
        rv[k].pack = 1;
      }
    }
  }
  free(lv);
  return rv;
}

static sb_status render(sb_ctx *ctx, const sb_catalog *cat, sb_doc_kind kind,
                        const sb_review *rv, int n, const char *title,
                        sb_buf *out, int *np) {
  sb_render_req req;
  memset(&req, 0, sizeof req);
  req.kind = kind;
  req.cat = cat;
  req.skill = -1;
  req.review = rv;
  req.nreviews = n;
  req.book_title = title;
  req.datadir = SB_SOURCE_DIR;
  req.format = SB_FMT_PDF;
  return sb_render(ctx, &req, out, np);
}

static int write_book(const char *path, int n, const char *title) {
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  sb_catalog *cat = load(&ctx);
  char *names = malloc((size_t)n * 32);
  sb_review *rv = reviews(cat, n, names);
  sb_buf out;
  sb_buf_init(&out);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int np = 0;
  sb_status s = render(&ctx, cat, SB_DOC_REVIEW_BOOK, rv, n, title, &out,
                       &np);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  int rc = 1;
  if (s == SB_OK) {
    FILE *f = fopen(path, "wb");
    if (f && fwrite(out.p, 1, out.n, f) == out.n && fclose(f) == 0) {
      printf("pages %d bytes %zu seconds %.2f\n", np, out.n,
             (double)(t1.tv_sec - t0.tv_sec) +
                 (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
      rc = 0;
    }
  } else {
    fprintf(stderr, "render failed: %s\n", sb_status_name(s));
  }
  sb_buf_free(&out);
  free(rv);
  free(names);
  sb_drop_catalog(cat);
  sb_ctx_free(&ctx);
  return rc;
}

int main(int argc, char **argv) {
  if (argc >= 3)
    return write_book(argv[1], atoi(argv[2]), argc > 3 ? argv[3] : NULL);
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  sb_catalog *cat = load(&ctx);
  char names[3 * 32];
  sb_review *rv = reviews(cat, 3, names);
  /* the second: a move to another role, level for level; the third: one
  ** domain, what changes only */
  rv[1].to_role = (rv[1].role + 1) % cat->nroles;
  rv[1].to = rv[1].from;
  rv[2].only = SB_ONLY_CHANGED;
  rv[2].domain = cat->skills[0].domain;
  sb_buf out;
  int np = 0, sum = 0;
  for (int i = 0; i < 3; i++) {
    sb_buf_init(&out);
    CHECK_EQ_INT(render(&ctx, cat, SB_DOC_SHEET, &rv[i], 1, NULL, &out, &np),
                 SB_OK);
    CHECK(np >= 2); /* a pack: the sheet, then the target level in full */
    sum += np;
    sb_buf_free(&out);
  }
  sb_buf_init(&out);
  CHECK_EQ_INT(render(&ctx, cat, SB_DOC_REVIEW_BOOK, rv, 3, "Grace H.", &out, &np),
               SB_OK);
  /* the contents page, then each pack as long as alone */
  CHECK_EQ_INT(np, sum + 1);
  CHECK(out.n > 1000 && memcmp(out.p, "%PDF-", 5) == 0);
  sb_buf_free(&out);
  /* no reviews; a bad level */
  sb_buf_init(&out);
  CHECK_EQ_INT(render(&ctx, cat, SB_DOC_REVIEW_BOOK, rv, 0, NULL, &out, &np),
               SB_E_USAGE);
  rv[0].to = -5;
  CHECK_EQ_INT(render(&ctx, cat, SB_DOC_REVIEW_BOOK, rv, 3, "Grace H.", &out, &np),
               SB_E_USAGE);
  rv[0].to = rv[0].from;
  rv[0].domain = cat->ndomains;
  CHECK_EQ_INT(render(&ctx, cat, SB_DOC_SHEET, rv, 1, NULL, &out, &np),
               SB_E_USAGE);
  sb_buf_free(&out);
  free(rv);
  sb_drop_catalog(cat);
  sb_ctx_free(&ctx);
  return check_report();
}
