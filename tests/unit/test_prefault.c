/*
** tests/unit/test_prefault.c -- memory faulted in on another thread
** (src/base/prefault.c).
**
** sb_prefault maps the pages of a block on a helper thread while the
** caller writes it: afterwards every page is resident (when the kernel
** knows MADV_POPULATE_WRITE) and every byte is what the caller wrote, or
** zero where it wrote nothing: the helper never writes. Odd ranges
** (unaligned, shorter than a page, empty) are accepted and harmless.
*/
#define _GNU_SOURCE /* MADV_POPULATE_WRITE, mincore */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "skillbook/base.h"

#define SIZE ((size_t)16 << 20)
#define PAGE ((size_t)4096)

static size_t resident(unsigned char *p, size_t n) {
  size_t pages = n / PAGE, k = 0;
  unsigned char *v = malloc(pages);
  if (!v || mincore(p, n, v) != 0) {
    free(v);
    return 0;
  }
  for (size_t i = 0; i < pages; i++)
    k += v[i] & 1;
  free(v);
  return k;
}

static int kernel_can(void) {
#ifdef MADV_POPULATE_WRITE
  void *q = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  int ok = q != MAP_FAILED && madvise(q, PAGE, MADV_POPULATE_WRITE) == 0;
  if (q != MAP_FAILED)
    munmap(q, PAGE);
  return ok;
#else
  return 0;
#endif
}

static void test_populate(void) {
  unsigned char *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(p != MAP_FAILED);
  if (p == MAP_FAILED)
    return;
  CHECK_EQ_INT(resident(p, SIZE), 0);
  sb_prefault(p, SIZE);
  /* the caller writes every 8th page from the start meanwhile */
  for (size_t off = 0; off < SIZE; off += 8 * PAGE)
    memset(p + off, 0xA5, 100);
  if (kernel_can()) {
    struct timespec pause = {0, 2000000};
    for (int i = 0; i < 2500 && resident(p, SIZE) < SIZE / PAGE; i++)
      nanosleep(&pause, NULL);
    CHECK_EQ_INT(resident(p, SIZE), SIZE / PAGE);
  }
  size_t bad = 0;
  for (size_t off = 0; off < SIZE; off++) {
    unsigned char want = (off % (8 * PAGE)) < 100 ? 0xA5 : 0;
    bad += p[off] != want;
  }
  CHECK_EQ_INT(bad, 0);
  munmap(p, SIZE);
}

static void test_odd_ranges(void) {
  unsigned char *p = malloc(3 * PAGE);
  CHECK(p != NULL);
  if (!p)
    return;
  memset(p, 7, 3 * PAGE);
  sb_prefault(p + 1, 10);          /* less than a page */
  sb_prefault(p, 0);               /* empty */
  sb_prefault(p + 3, 2 * PAGE);    /* unaligned both ends */
  struct timespec pause = {0, 20000000};
  nanosleep(&pause, NULL);
  size_t bad = 0;
  for (size_t i = 0; i < 3 * PAGE; i++)
    bad += p[i] != 7;
  CHECK_EQ_INT(bad, 0);
  free(p);
}

int main(void) {
  test_populate();
  test_odd_ranges();
  return check_report();
}
