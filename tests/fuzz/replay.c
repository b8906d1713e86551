/*
** tests/fuzz/replay.c -- replays fuzz inputs through both fuzz targets
** with a plain main(), so every crash the fuzzer found stays a regression
** test in ctest (fuzz/replay) under any compiler, and under ASan in CI.
**
** usage: fuzz_replay PATH...   (files, or folders whose files are read)
** Prints one line per input with --verbose, then "N passed, 0 failed";
** a bad input crashes (that is the failure ctest sees).
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int verbose, count;

static void replay_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(1);
  }
  sb_buf b;
  sb_buf_init(&b);
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    sb_buf_add(&b, chunk, n);
  fclose(f);
  if (verbose)
    fprintf(stderr, "replay %s (%zu bytes)\n", path, b.n);
  /* a copy of exactly b.n bytes, so ASan sees reads past the end */
  uint8_t *data = sb_xmalloc(b.n ? b.n : 1);
  if (b.n)
    memcpy(data, b.p, b.n);
  sb_fuzz_catalog(data, b.n);
  sb_fuzz_handbook(data, b.n);
  free(data);
  sb_buf_free(&b);
  count++;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay_path(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    perror(path);
    exit(1);
  }
  if (!S_ISDIR(st.st_mode)) {
    replay_file(path);
    return;
  }
  DIR *d = opendir(path);
  if (!d) {
    perror(path);
    exit(1);
  }
  char **names = NULL;
  size_t nn = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    if (nn == cap) {
      cap = cap ? cap * 2 : 64;
      names = sb_xrealloc(names, cap * sizeof *names);
    }
    size_t len = strlen(path) + strlen(e->d_name) + 2;
    names[nn] = sb_xmalloc(len);
    snprintf(names[nn], len, "%s/%s", path, e->d_name);
    nn++;
  }
  closedir(d);
  qsort(names, nn, sizeof *names, by_name);
  for (size_t i = 0; i < nn; i++) {
    replay_path(names[i]);
    free(names[i]);
  }
  free(names);
}

int main(int argc, char **argv) {
  int i = 1;
  if (i < argc && strcmp(argv[i], "--verbose") == 0) {
    verbose = 1;
    i++;
  }
  if (i >= argc) {
    fprintf(stderr, "usage: fuzz_replay [--verbose] PATH...\n");
    return 2;
  }
  for (; i < argc; i++)
    replay_path(argv[i]);
  printf("%d passed, 0 failed\n", count);
  return count > 0 ? 0 : 1;
}
