/*
** base/buf.c -- a growable, NUL-terminated byte buffer, and UTF-8.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skillbook/base.h"

void sb_buf_init(sb_buf *b) {
  b->p = NULL;
  b->n = b->cap = 0;
}

void sb_buf_free(sb_buf *b) {
  free(b->p);
  sb_buf_init(b);
}

/* Room for more bytes and the NUL. A size that would wrap around cannot
** be allocated: it takes the out-of-memory exit like any other. */
static void reserve(sb_buf *b, size_t more) {
  size_t cap;
  if (more > SIZE_MAX - 1 - b->n ||
      sb_grow_cap(b->cap, b->n + more + 1, 1, 256, SIZE_MAX, &cap))
    cap = SIZE_MAX;
  if (cap == b->cap)
    return;
  b->p = sb_xrealloc(b->p, cap);
  b->cap = cap;
}

void sb_buf_add(sb_buf *b, const void *p, size_t n) {
  reserve(b, n);
  if (n)
    memcpy(b->p + b->n, p, n);
  b->n += n;
  b->p[b->n] = '\0';
}

void sb_buf_adds(sb_buf *b, const char *s) { sb_buf_add(b, s, strlen(s)); }

void sb_buf_addc(sb_buf *b, char c) { sb_buf_add(b, &c, 1); }

void sb_buf_printf(sb_buf *b, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n > 0) {
    reserve(b, (size_t)n);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap2);
    b->n += (size_t)n;
  }
  va_end(ap2);
}

void sb_buf_json_str(sb_buf *b, const char *s) {
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      sb_buf_addc(b, '\\');
      sb_buf_addc(b, (char)c);
    } else if (c == '\n') {
      sb_buf_adds(b, "\\n");
    } else if (c == '\t') {
      sb_buf_adds(b, "\\t");
    } else if (c < 0x20) {
      sb_buf_printf(b, "\\u%04x", c);
    } else {
      sb_buf_addc(b, (char)c);
    }
  }
}

/* ==== UTF-8 ==== */

int32_t sb_utf8_decode(const char *s, size_t n, int *len) {
  const unsigned char *u = (const unsigned char *)s;
  *len = 1;
  if (n == 0)
    return -1;
  if (u[0] < 0x80)
    return u[0];
  int need;
  int32_t cp, min;
  if ((u[0] & 0xE0) == 0xC0) {
    need = 1, cp = u[0] & 0x1F, min = 0x80;
  } else if ((u[0] & 0xF0) == 0xE0) {
    need = 2, cp = u[0] & 0x0F, min = 0x800;
  } else if ((u[0] & 0xF8) == 0xF0) {
    need = 3, cp = u[0] & 0x07, min = 0x10000;
  } else {
    return -1;
  }
  if ((size_t)need >= n)
    return -1;
  for (int i = 1; i <= need; i++) {
    if ((u[i] & 0xC0) != 0x80)
      return -1;
    cp = (cp << 6) | (u[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return -1;
  *len = need + 1;
  return cp;
}

int sb_utf8_encode(int32_t cp, char *out) {
  unsigned char *o = (unsigned char *)out;
  if (cp < 0x80) {
    o[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (unsigned char)(0xF0 | (cp >> 18));
  o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}
