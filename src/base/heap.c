/*
** base/heap.c -- the process heap in large steps, on transparent huge pages.
**
** A cold `skillbook handbook` of the large catalogue took ~9,500 page
** faults: libxml2's tree of a 4.4 MB file, the model, the display list and
** the PDF are all fresh memory, touched 4 KB at a time. glibc can put its
** heap on transparent huge pages (the tunable glibc.malloc.hugetlb=1), but
** tunables are read from the environment before main. So sb_heap_tune
** does the same by hand, once, first thing in main: the heap grows 64 MB
** at a time and serves blocks up to 32 MB (instead of one mmap each), and
** the region glibc reserves at once is advised MADV_HUGEPAGE, so the kernel
** backs it with 2 MB pages where it can (THP mode "madvise", the Debian
** default). Measured on `handbook large.xml --role r01`: 10,050 -> 1,335
** page faults, CPU 250 -> 200 ms, median wall of 20 alternating runs 0.240
** -> 0.211 s; peak RSS 38.8 -> 50.4 MB (what a run touches is rounded up to
** 2 MB pieces). Best effort: any call that fails leaves ordinary pages.
** A piece gets a huge page only if it is touched first after the advice:
** the heap below the first untouched piece is taken once and left unused
** (below), so the catalogue's bytes read next start on a huge page (the
** second round, 2026-12-03: 1,600 -> 640 faults, with the xml region's
** first chunk on huge pages and the file's bytes given back in whole
** huge pages; reading the 4.4 MB file alone took 8-13 ms on 4 KB pages,
** ~1.5 ms on huge ones, on this virtual machine).
*/
#define _GNU_SOURCE /* madvise, MADV_HUGEPAGE */
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "skillbook/base.h"

#define HUGE_PAGE ((uintptr_t)2 << 20)
#define PROBE ((size_t)1 << 20)

/* the heap below its first huge page, kept out of use (sb_heap_tune) */
static void *volatile below;

void sb_heap_tune(void) {
  char *p;
  uintptr_t lo, hi, start;

  if (getenv("SKILLBOOK_NO_HEAP_TUNE"))
    return; /* for comparisons */
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 128 << 20);
  mallopt(M_TOP_PAD, 64 << 20);
  /* one heap for every thread: a helper's blocks (the validation's, the
  ** deflated pages) on the huge pages too, not in an
  ** arena of its own faulted in 4 KB at a time (~230 faults of a large
  ** handbook's 640); the helpers allocate little, mostly in big blocks,
  ** and small blocks go through each thread's cache without the lock */
  mallopt(M_ARENA_MAX, 1);
  /* a block the heap cannot serve yet (libraries' constructors have made a
  ** small heap already): glibc grows it by the block and the 64 MB pad,
  ** and everything from the block up is advised */
  p = malloc(PROBE);
  if (!p)
    return;
  lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
  hi = (uintptr_t)sbrk(0) & ~(HUGE_PAGE - 1);
  /* only the heap glibc just grew (p + 64 MB pad): not under another
  ** allocator (a sanitizer's, valgrind's) whose block is elsewhere */
  if (hi <= lo || hi - lo > ((uintptr_t)80 << 20)) {
    free(p);
    return;
  }
  madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
  /* A 2 MB piece gets a huge page only if none of its 4 KB pages was
  ** touched before: glibc wrote the header of its free space at p +
  ** PROBE, and the heap below lo cannot be one. So the heap up to the
  ** first untouched piece is taken once and never used (it costs address
  ** space, not memory), and the next big block (the catalogue's bytes)
  ** starts on a huge page. Without this, 500-1,000 of a handbook's 1,600
  ** faults were there, at ~12 us each on a virtual machine. */
  start = (uintptr_t)p + PROBE;
  start = start < lo ? lo
                     : (start + 64 + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
  free(p);
  if (start < hi)
    below = malloc(start - (uintptr_t)p - 2 * sizeof(size_t));
}
