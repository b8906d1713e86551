/*
** bench/scan.c -- the time of the raw byte check of one catalogue file
** (xml/scan.c: UTF-8 and the text-bytes limit), each way it can run.
**
**   sb_scan_bench [-n N] [-p portable|sse2|avx2|best] [-f 0|1] FILE
**
** Reads FILE into memory (its pages touched before any timing), then for
** each way this machine has (or the one named with -p) runs the check N
** times (default 21) and prints the median and min wall-clock
** milliseconds and the speed in MB/s, and the result, which must be the
** same for every way. With -f 1 each run checks a fresh copy, read from
** the file just before (as the loader does: the bytes come from the read,
** not from the last run's cache; only the check is timed). With -n 1 -p WAY it runs the way once: for
** `valgrind --tool=callgrind` (function sb_xml_scan_bytes).
** Build: CMake -DSB_BENCH=ON (bench/README.md).
*/
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xml/scan.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_dbl(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 1 << 20, n = 0;
  char *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      char *nb = realloc(buf, cap *= 2);
      if (!nb)
        free(buf);
      buf = nb;
    }
  }
  fclose(f);
  *len = n;
  return buf;
}

int main(int argc, char **argv) {
  static const struct {
    const char *name;
    sb_xml_scan_path path;
  } ways[] = {{"portable", SB_XML_SCAN_PORTABLE},
              {"sse2", SB_XML_SCAN_SSE2},
              {"avx2", SB_XML_SCAN_AVX2},
              {"best", SB_XML_SCAN_BEST}};
  int n = 21, only = -1, fresh = 0, a = 1;
  for (; a + 1 < argc && argv[a][0] == '-'; a += 2) {
    if (strcmp(argv[a], "-n") == 0) {
      n = atoi(argv[a + 1]);
    } else if (strcmp(argv[a], "-f") == 0) {
      fresh = atoi(argv[a + 1]);
    } else if (strcmp(argv[a], "-p") == 0) {
      for (int w = 0; w < 4; w++)
        if (strcmp(argv[a + 1], ways[w].name) == 0)
          only = w;
    }
  }
  if (a != argc - 1 || n < 1 || (a > 1 && strcmp(argv[a - 2], "-p") == 0 &&
                                  only < 0)) {
    fprintf(stderr, "usage: sb_scan_bench [-n N] "
                    "[-p portable|sse2|avx2|best] [-f 0|1] FILE\n");
    return 2;
  }
  size_t len;
  char *data = slurp(argv[a], &len);
  if (!data) {
    perror(argv[a]);
    return 1;
  }
  double *ms = malloc(sizeof *ms * (size_t)n);
  for (int w = 0; w < 4; w++) {
    if ((only >= 0 && w != only) || (only < 0 && w == 3) ||
        !sb_xml_scan_available(ways[w].path))
      continue;
    sb_status st = SB_OK;
    for (int r = 0; r < n; r++) {
      sb_ctx ctx;
      sb_ctx_init(&ctx);
      ctx.quiet = 1;
      char *bytes = data;
      size_t blen = len;
      if (fresh && !(bytes = slurp(argv[a], &blen))) {
        perror(argv[a]);
        return 1;
      }
      double t0 = now_ms();
      st = sb_xml_scan_bytes(&ctx, argv[a], bytes, blen, ways[w].path);
      ms[r] = now_ms() - t0;
      if (bytes != data)
        free(bytes);
      if (r == 0 && st && ctx.ndiags)
        printf("%s: %s:%ld:%ld: %s\n", ways[w].name, ctx.diags[0].file,
               ctx.diags[0].line, ctx.diags[0].col, ctx.diags[0].msg);
      sb_ctx_free(&ctx);
    }
    qsort(ms, (size_t)n, sizeof *ms, cmp_dbl);
    printf("%-8s %zu bytes  median %.3f ms  min %.3f ms  %.0f MB/s  %s\n",
           ways[w].name, len, ms[n / 2], ms[0],
           (double)len / 1e6 / (ms[n / 2] / 1e3), sb_status_name(st));
  }
  free(ms);
  free(data);
  return 0;
}
