/*
** docs/sheet-diff.c -- what the target level adds: a word-level comparison
** of two expectations, for the sheet's target column (added words bold).
** Tests: tests/cli/sheet.sh
*/
#include <stdlib.h>
#include <string.h>

#include "docs-imp.h"
#include "sheet-diff.h"

/* A word for comparison: ASCII letters lowered, punctuation trimmed at
** both ends. Returns its length in out. */
static size_t norm_word(const char *w, size_t n, char *out, size_t cap) {
  size_t a = 0, b = n, o = 0;
  while (a < b && (unsigned char)w[a] < 0x80 &&
         !((w[a] | 32) >= 'a' && (w[a] | 32) <= 'z') &&
         !(w[a] >= '0' && w[a] <= '9'))
    a++;
  while (b > a && (unsigned char)w[b - 1] < 0x80 &&
         !((w[b - 1] | 32) >= 'a' && (w[b - 1] | 32) <= 'z') &&
         !(w[b - 1] >= '0' && w[b - 1] <= '9'))
    b--;
  for (size_t i = a; i < b && o + 1 < cap; i++)
    out[o++] = (w[i] >= 'A' && w[i] <= 'Z') ? (char)(w[i] + 32) : w[i];
  out[o] = 0;
  return o;
}

/* Short all-lowercase words ("and", "of", "the") carry no change worth
** marking on their own; they follow their neighbours. */
static int minor_word(const char *w, size_t n) {
  size_t letters = 0;
  for (size_t i = 0; i < n; i++) {
    if (w[i] >= 'a' && w[i] <= 'z') letters++;
    else if ((w[i] >= 'A' && w[i] <= 'Z') || (w[i] >= '0' && w[i] <= '9') ||
             (unsigned char)w[i] >= 0x80)
      return 0;
  }
  return letters <= 3;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

typedef struct word {
  const char *p;
  size_t n;
} word;

static int split_words(const char *s, word *w, int max) {
  int n = 0;
  while (*s && n < max) {
    while (*s == ' ') s++;
    if (!*s) break;
    const char *e = s;
    while (*e && *e != ' ') e++;
    w[n].p = s;
    w[n].n = (size_t)(e - s);
    n++;
    s = e;
  }
  return n;
}

/* The spans of the target paragraph: words whose comparison form does not
** occur in the current paragraph in bold, the rest regular. Deterministic:
** a sorted word set and a lookup per word. */
sb_status sb_sheet_diff_spans(sb_ctx *ctx, sb_arena *arena, const char *cur,
                              const char *tgt, sb_color color, sb_span **out,
                              int *nout) {
  size_t nc = strlen(cur) / 2 + 2, nt = strlen(tgt) / 2 + 2;
  word *cw = sb_xmalloc(nc * sizeof *cw), *tw = sb_xmalloc(nt * sizeof *tw);
  int ncw = split_words(cur, cw, (int)nc), ntw = split_words(tgt, tw, (int)nt);
  char **set = sb_xmalloc((size_t)(ncw + 1) * sizeof *set);
  char *setbuf = sb_xmalloc(strlen(cur) + (size_t)ncw + 1);
  size_t o = 0;
  for (int i = 0; i < ncw; i++) {
    set[i] = setbuf + o;
    o += norm_word(cw[i].p, cw[i].n, setbuf + o, cw[i].n + 1) + 1;
  }
  qsort(set, (size_t)ncw, sizeof *set, cmp_str);
  /* state: 1 added, 0 kept, -1 minor (decided by neighbours) */
  signed char *stt = sb_xmalloc((size_t)ntw + 1);
  char buf[256];
  for (int i = 0; i < ntw; i++) {
    size_t n = norm_word(tw[i].p, tw[i].n, buf, sizeof buf);
    const char *key = buf;
    if (n == 0 || minor_word(buf, n)) {
      stt[i] = -1;
      continue;
    }
    stt[i] = bsearch(&key, set, (size_t)ncw, sizeof *set, cmp_str) ? 0 : 1;
  }
  for (int i = 0; i < ntw; i++) {
    if (stt[i] != -1) continue;
    int p = i - 1, q = i + 1;
    while (p >= 0 && stt[p] == -1) p--;
    while (q < ntw && stt[q] == -1) q++;
    stt[i] = (signed char)(p >= 0 && q < ntw && stt[p] == 1 && stt[q] == 1 ? 2 : 0);
  }
  for (int i = 0; i < ntw; i++)
    if (stt[i] == 2) stt[i] = 1;
  int ns = 0;
  for (int i = 0; i < ntw; i++)
    if (i == 0 || stt[i] != stt[i - 1]) ns++;
  sb_span *sp = sb_arena_calloc(arena, (size_t)(ns + 1) * sizeof *sp);
  sb_status s = SB_OK;
  if (!sp) s = sb_fail_arena(ctx);
  int k = 0;
  for (int i = 0; i < ntw && !s;) {
    int j = i;
    while (j < ntw && stt[j] == stt[i]) j++;
    const char *a = i == 0 ? tgt : tw[i].p;
    const char *e = j < ntw ? tw[j].p : tgt + strlen(tgt);
    char *t = sb_arena_strndup(arena, a, (size_t)(e - a));
    if (!t) {
      s = sb_fail_arena(ctx);
      break;
    }
    sp[k++] = span(t, stt[i] == 1 ? SB_FONT_BOLD : SB_FONT_REGULAR, color);
    i = j;
  }
  free(cw);
  free(tw);
  free(set);
  free(setbuf);
  free(stt);
  *out = sp;
  *nout = k;
  return s;
}
