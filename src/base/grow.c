/*
** base/grow.c -- the one way an array grows: doubling, with a cap on its
** count and a check that its size in bytes fits a size_t.
**
** Every growable array of the program (the loader's tables, diagnostics,
** the batch plan and manifest, chart path segments, the display list's
** pages and operators, sb_buf's bytes) grows through sb_grow_cap, so no
** doubling can wrap around and no count can pass what its type or its
** limit allows. Heap arrays use sb_grow_array (SB_GROW); arena arrays
** (the display list) compute the capacity here and allocate in the arena.
** Tests: tests/unit/test_base.c (test_grow).
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "skillbook/base.h"

int sb_grow_cap(size_t cap, size_t need, size_t elem, size_t first,
                size_t max, size_t *out) {
  if (need <= cap) {
    *out = cap;
    return 0;
  }
  if (need > max || elem == 0 || need > SIZE_MAX / elem)
    return -1;
  size_t ncap = cap ? cap : (first ? first : 1);
  while (ncap < need)
    ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
  if (ncap > max)
    ncap = max;
  if (ncap > SIZE_MAX / elem)
    ncap = SIZE_MAX / elem;
  *out = ncap;
  return 0;
}

sb_status sb_grow_array(void *pp, size_t *cap, size_t n, size_t elem,
                        size_t first, size_t max) {
  size_t ncap;
  if (n == SIZE_MAX || sb_grow_cap(*cap, n + 1, elem, first, max, &ncap))
    return SB_E_LIMIT;
  if (ncap != *cap) {
    /* pp is the address of a T*: read and write it as bytes, so any
    ** element type goes through one function without aliasing a T* as a
    ** void* */
    void *p;
    memcpy(&p, pp, sizeof p);
    p = sb_xrealloc(p, ncap * elem);
    memcpy(pp, &p, sizeof p);
    *cap = ncap;
  }
  return SB_OK;
}
