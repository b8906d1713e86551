/*
** xml/collapse.c -- XML white space collapsed in a text, in place.
**
** Split from reader.c: the loaders collapse every text they keep, and most
** are collapsed already, so the test comes first, eight bytes at a time.
** Tests: tests/unit/test_catalog.c (through the loader)
*/
#include <stdint.h>
#include <string.h>

#include "xml/reader.h"

static int is_xml_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* 1 when s (n > 0 bytes) might change when collapsed: a space at either
** end, two spaces in a row, or a byte below U+0020 (tab, CR, LF). Eight
** bytes at a time: y has 0x80 in each byte of w that is a space. */
static int needs_collapse(const char *s, size_t n) {
  const uint64_t ones = 0x0101010101010101ull, low7 = 0x7F7F7F7F7F7F7F7Full;
  uint64_t last = 0; /* 0x80 when the byte before this word is a space */
  size_t i = 0;

  if (s[0] == ' ' || s[n - 1] == ' ')
    return 1;
  for (; i + 8 <= n; i += 8) {
    uint64_t w, t, y;
    memcpy(&w, s + i, 8);
    if ((w - ones * 0x20) & ~w & ones * 0x80)
      return 1; /* a byte below 0x20 */
    t = w ^ (ones * 0x20);
    y = ~(((t & low7) + low7) | t | low7);
    if ((y & (y << 8)) || (last & y))
      return 1;
    last = (y >> 56) & 0x80;
  }
  for (; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x20 || (c == ' ' && (last || s[i + 1] == ' ')))
      return 1;
    last = 0;
  }
  return 0;
}

size_t sb_xml_collapsed_len(const char *s, size_t n) {
  size_t w = 0;
  int space = 0;
  for (size_t r = 0; r < n && s[r]; r++) {
    if (is_xml_space(s[r])) {
      space = 1;
      continue;
    }
    w += space && w > 0 ? 2 : 1;
    space = 0;
  }
  return w;
}

size_t sb_xml_collapse(char *s) {
  size_t r = 0, w = 0, n = strlen(s);
  int space = 0;
  /* most text is collapsed already: nothing to move (53 M -> ~5 M
  ** instructions on large.xml's 12,500 texts) */
  if (n == 0 || !needs_collapse(s, n))
    return n;
  for (; s[r]; r++) {
    if (is_xml_space(s[r])) {
      space = 1;
      continue;
    }
    if (space && w > 0)
      s[w++] = ' ';
    space = 0;
    s[w++] = s[r];
  }
  s[w] = '\0';
  return w;
}
