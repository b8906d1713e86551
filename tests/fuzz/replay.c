/*
** tests/fuzz/replay.c -- replays fuzz inputs through the fuzz targets
** with a plain main(), so every crash the fuzzer found stays a regression
** test in ctest (fuzz/replay, fuzz/replay-ladder) under any compiler, and
** under ASan in CI.
**
** usage: fuzz_replay [--verbose] [--ladder] [--timeout S] [--rss-limit-mb M]
**                    PATH...   (files, or folders whose files are read)
**        fuzz_replay --ladder-xml FILE   (the catalogue a recipe makes)
** XML inputs go through fuzz_catalog and fuzz_handbook; with --ladder the
** inputs are recipes for fuzz_ladder. Prints one line per input with
** --verbose, then "N passed, 0 failed"; a bad input crashes (that is the
** failure ctest sees). With --timeout or --rss-limit-mb (libFuzzer's
** -timeout and -rss_limit_mb, per input) each input runs in a child
** process, and one that takes longer or more memory fails the run, so a
** reproducer of a slow or greedy input stays a regression test too.
*/
#define _DEFAULT_SOURCE /* wait4 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

static int verbose, count, ladder;
static unsigned timeout_s;
static long rss_limit_mb;

static void run_input(const uint8_t *data, size_t n) {
  if (ladder) {
    sb_fuzz_ladder(data, n);
  } else {
    sb_fuzz_catalog(data, n);
    sb_fuzz_handbook(data, n);
  }
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs one input in a child with the time limit (SIGALRM ends it) and
** checks the child's peak RSS; exits 1 naming the input on any failure. */
static void run_limited(const char *path, const uint8_t *data, size_t n) {
  fflush(NULL);
  double t0 = now();
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    exit(1);
  }
  if (pid == 0) {
    if (timeout_s)
      alarm(timeout_s);
    run_input(data, n);
    exit(0); /* exit, not _exit: LeakSanitizer checks at exit */
  }
  int status;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) != pid) {
    perror("wait4");
    exit(1);
  }
  double secs = now() - t0;
  long rss_mb = ru.ru_maxrss / 1024; /* kilobytes on Linux */
  if (verbose)
    fprintf(stderr, "  %.2f s, peak RSS %ld MB\n", secs, rss_mb);
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
    fprintf(stderr, "fuzz_replay: %s: timeout, more than %u s\n", path,
            timeout_s);
    exit(1);
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "fuzz_replay: %s: failed (%s %d)\n", path,
            WIFSIGNALED(status) ? "signal" : "exit status",
            WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    exit(1);
  }
  if (rss_limit_mb && rss_mb > rss_limit_mb) {
    fprintf(stderr, "fuzz_replay: %s: peak RSS %ld MB, more than %ld MB\n",
            path, rss_mb, rss_limit_mb);
    exit(1);
  }
}

static void read_file(const char *path, sb_buf *b) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(1);
  }
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    sb_buf_add(b, chunk, n);
  fclose(f);
}

static void replay_file(const char *path) {
  sb_buf b;
  sb_buf_init(&b);
  read_file(path, &b);
  if (verbose)
    fprintf(stderr, "replay %s (%zu bytes)\n", path, b.n);
  /* a copy of exactly b.n bytes, so ASan sees reads past the end */
  uint8_t *data = sb_xmalloc(b.n ? b.n : 1);
  if (b.n)
    memcpy(data, b.p, b.n);
  if (timeout_s || rss_limit_mb)
    run_limited(path, data, b.n);
  else
    run_input(data, b.n);
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

static int usage(void) {
  fprintf(stderr, "usage: fuzz_replay [--verbose] [--ladder] [--timeout S] "
                  "[--rss-limit-mb M] PATH...\n"
                  "       fuzz_replay --ladder-xml FILE\n");
  return 2;
}

int main(int argc, char **argv) {
  int i = 1;
  for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
    if (strcmp(argv[i], "--verbose") == 0) {
      verbose = 1;
    } else if (strcmp(argv[i], "--ladder") == 0) {
      ladder = 1;
    } else if (strcmp(argv[i], "--ladder-xml") == 0 && i + 2 == argc) {
      sb_buf in, out;
      sb_buf_init(&in);
      sb_buf_init(&out);
      read_file(argv[i + 1], &in);
      sb_fuzz_ladder_xml((const uint8_t *)in.p, in.n, &out);
      fwrite(out.p, 1, out.n, stdout);
      sb_buf_free(&in);
      sb_buf_free(&out);
      return ferror(stdout) ? 1 : 0;
    } else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
      timeout_s = (unsigned)strtoul(argv[++i], NULL, 10);
    } else if (strcmp(argv[i], "--rss-limit-mb") == 0 && i + 1 < argc) {
      rss_limit_mb = strtol(argv[++i], NULL, 10);
    } else {
      return usage();
    }
  }
  if (i >= argc)
    return usage();
  for (; i < argc; i++)
    replay_path(argv[i]);
  printf("%d passed, 0 failed\n", count);
  return count > 0 ? 0 : 1;
}
