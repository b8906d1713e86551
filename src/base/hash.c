/*
** base/hash.c -- FNV-1a, the one non-cryptographic hash of the project.
**
** Used where a hash picks a table slot or names something (the catalogue
** loader's duplicate-key table, layout's warn-once set, the six-letter tag
** of an embedded font subset). Each caller passes its own starting value,
** so a caller that chained several fields keeps its exact value.
** Tests: tests/unit/test_base.c (the published FNV-1a 64 vectors).
*/
#include "skillbook/base.h"

uint64_t sb_hash_fnv1a(const void *p, size_t n, uint64_t h) {
  const unsigned char *s = p;
  for (size_t i = 0; i < n; i++)
    h = (h ^ s[i]) * SB_FNV1A_PRIME;
  return h;
}
