/*
** devices/deflate.c -- zlib-format data through libdeflate.
**
** The one file that includes libdeflate.h (deflate.h says why and where
** it is used). A compressor wraps libdeflate's, which keeps its match
** finder's tables (about 650 KB at the levels used) between calls and
** resets them at each.
** Tests: tests/unit/test_pdf.c (inflates with zlib to the same bytes)
*/
#include <stdlib.h>

#include <libdeflate.h>

#include "devices/deflate.h"

struct sb_deflater {
  struct libdeflate_compressor *c;
};

sb_deflater *sb_new_deflater(int level) {
  sb_deflater *z = malloc(sizeof *z);

  if (!z)
    return NULL;
  z->c = libdeflate_alloc_compressor(level);
  if (!z->c) {
    free(z);
    return NULL;
  }
  return z;
}

void sb_drop_deflater(sb_deflater *z) {
  if (!z)
    return;
  libdeflate_free_compressor(z->c);
  free(z);
}

unsigned char *sb_deflate(sb_deflater *z, const void *in, size_t n,
                          size_t *zn) {
  size_t cap = libdeflate_zlib_compress_bound(z->c, n);
  unsigned char *out = malloc(cap ? cap : 1);

  *zn = 0;
  if (!out)
    return NULL;
  /* (the bound always fits: 0 would mean it did not) */
  *zn = libdeflate_zlib_compress(z->c, n ? in : "", n, out, cap);
  if (*zn == 0) {
    free(out);
    return NULL;
  }
  /* the bound is the input's size and more: give the rest back (pages
  ** wait for the save deflated, 4-5x smaller than their bound) */
  if (*zn < cap) {
    unsigned char *fit = realloc(out, *zn);
    if (fit)
      out = fit;
  }
  return out;
}

size_t sb_deflate_bound(sb_deflater *z, size_t n) {
  return libdeflate_zlib_compress_bound(z->c, n);
}

size_t sb_deflate_into(sb_deflater *z, const void *in, size_t n, void *out,
                       size_t cap) {
  return libdeflate_zlib_compress(z->c, n ? in : "", n, out, cap);
}

uint32_t sb_crc32(uint32_t crc, const void *p, size_t n) {
  return libdeflate_crc32(crc, n ? p : "", n);
}
