/*
** base/prefault.c -- memory faulted in on another thread.
**
** A fresh page costs its first writer a fault: ~12 us for 4 KB, ~0.2 ms
** for a 2 MB huge page (most of it zeroing) on the virtual machines we
** run on. When the main thread is about to fill a large block from its
** start (the catalogue's tree), a short-lived thread can fault in the
** rest ahead of it with MADV_POPULATE_WRITE (Linux 5.14), which maps the
** pages without writing to them: safe while the owner writes, since a
** page already there is left alone. Best effort: no thread, an old
** kernel or an unknown advice just leaves the faults to the owner.
** Tests: tests/unit/test_prefault.c
*/
#define _GNU_SOURCE /* MADV_POPULATE_WRITE */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "skillbook/base.h"

typedef struct job {
  void *p;
  size_t n;
} job;

static void *populate(void *arg) {
  job j = *(job *)arg;
  free(arg);
#ifdef MADV_POPULATE_WRITE
  madvise(j.p, j.n, MADV_POPULATE_WRITE);
#endif
  return NULL;
}

void sb_prefault(void *p, size_t n) {
#ifdef MADV_POPULATE_WRITE
  pthread_attr_t at;
  pthread_t t;
  uintptr_t page = 4096, lo = ((uintptr_t)p + page - 1) & ~(page - 1);
  job *j;
  if (n < page || (uintptr_t)p + n <= lo)
    return;
  j = malloc(sizeof *j);
  if (!j)
    return;
  j->p = (void *)lo;
  j->n = ((uintptr_t)p + n - lo) & ~(page - 1);
  if (pthread_attr_init(&at) != 0) {
    free(j);
    return;
  }
  pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&at, 64 << 10);
  if (pthread_create(&t, &at, populate, j) != 0)
    free(j);
  pthread_attr_destroy(&at);
#else
  (void)p;
  (void)n;
#endif
}
