/*
** docs/sheet-diff.c -- what the target level adds: the word-level diff of
** two expectations (diff.h, Myers on words in the sheet's comparison
** form), for the sheet's target column (added words bold).
** Tests: tests/cli/sheet.sh
*/
#include <stdlib.h>
#include <string.h>

#include "skillbook/diff.h"
#include "docs-imp.h"
#include "sheet-diff.h"

/* Short words of ASCII letters ("and", "of", "the") carry no change worth
** marking on their own; they follow their neighbours. */
static int minor_word(const char *w, size_t n) {
  size_t letters = 0;
  for (size_t i = 0; i < n; i++) {
    if ((w[i] | 32) >= 'a' && (w[i] | 32) <= 'z') letters++;
    else if ((w[i] >= '0' && w[i] <= '9') ||
             (unsigned char)w[i] >= 0x80)
      return 0;
  }
  return letters <= 3;
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

/* The spans of the target paragraph: the words the word-level diff
** (diff.h, in the sheet's comparison form) adds to the current paragraph
** in bold, the rest regular. Deterministic. */
sb_status sb_sheet_diff_spans(sb_ctx *ctx, sb_arena *arena, const char *cur,
                              const char *tgt, sb_color color, sb_span **out,
                              int *nout) {
  size_t nt = strlen(tgt) / 2 + 2;
  word *tw = sb_xmalloc(nt * sizeof *tw);
  int ntw = split_words(tgt, tw, (int)nt);
  sb_wdiff wd;
  sb_word_diff(cur, tgt, SB_WD_NORMALIZE, &wd);
  /* state: 1 added, 0 kept, -1 minor (decided by neighbours) */
  signed char *stt = sb_xmalloc((size_t)ntw + 1);
  int r = 0;
  for (int i = 0; i < ntw; i++) {
    size_t off = (size_t)(tw[i].p - tgt);
    while (r < wd.nruns && (wd.runs[r].op == SB_WD_DEL ||
                            wd.runs[r].b_off + wd.runs[r].b_len <= off))
      r++;
    int added = r < wd.nruns && wd.runs[r].op == SB_WD_ADD;
    stt[i] = (signed char)(minor_word(tw[i].p, tw[i].n) ? -1 : added);
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
  free(tw);
  sb_wdiff_free(&wd);
  free(stt);
  *out = sp;
  *nout = k;
  return s;
}
