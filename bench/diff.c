/*
** bench/diff.c -- the time and memory of comparing two catalogues.
**
**   sb_diff_bench [-n N] OLD NEW
**
** Loads both catalogues once (not timed: `skillbook validate` measures
** loading), then N times (default 5) compares them (sb_cat_diff_compute)
** and formats the text and the JSON (which run the word-level diff of
** every changed paragraph), and prints the median and min wall-clock
** milliseconds of each, the number of changes, and the process's peak RSS
** before and after the comparisons (what the diff adds to the loaded
** catalogues). Build: CMake -DSB_BENCH=ON (bench/README.md).
*/
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "skillbook/diff.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static long peak_kb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

static int cmp_dbl(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  int n = 5, i = 1;
  if (argc > 2 && strcmp(argv[1], "-n") == 0) {
    n = atoi(argv[2]);
    i = 3;
  }
  if (argc - i != 2 || n < 1 || n > 1000) {
    fprintf(stderr, "usage: sb_diff_bench [-n N] OLD NEW\n");
    return 2;
  }
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  sb_catalog *o = NULL, *c = NULL;
  if (sb_load_catalog(&ctx, argv[i], &o) || sb_load_catalog(&ctx, argv[i + 1], &c)) {
    fprintf(stderr, "sb_diff_bench: %s\n", ctx.errmsg);
    return 3;
  }
  long before = peak_kb();
  double *tc = calloc((size_t)n, sizeof *tc), *tf = calloc((size_t)n, sizeof *tf);
  int changes = 0;
  size_t bytes = 0;
  for (int k = 0; k < n; k++) {
    sb_cat_diff d;
    sb_buf b;
    sb_buf_init(&b);
    double t0 = now_ms();
    sb_cat_diff_compute(o, c, &d);
    double t1 = now_ms();
    sb_cat_diff_text(&d, &b);
    sb_cat_diff_json(&d, &b);
    double t2 = now_ms();
    tc[k] = t1 - t0;
    tf[k] = t2 - t1;
    changes = d.nchanges;
    bytes = b.n;
    sb_buf_free(&b);
    sb_cat_diff_free(&d);
  }
  qsort(tc, (size_t)n, sizeof *tc, cmp_dbl);
  qsort(tf, (size_t)n, sizeof *tf, cmp_dbl);
  printf("skills        %d / %d\n", o->nskills, c->nskills);
  printf("changes       %d (text + json: %zu bytes)\n", changes, bytes);
  printf("compare       median %.1f ms, min %.1f ms\n", tc[n / 2], tc[0]);
  printf("text + json   median %.1f ms, min %.1f ms\n", tf[n / 2], tf[0]);
  printf("peak RSS      %ld KB loaded, %ld KB after the comparisons\n", before,
         peak_kb());
  free(tc);
  free(tf);
  sb_drop_catalog(o);
  sb_drop_catalog(c);
  sb_ctx_free(&ctx);
  return 0;
}
