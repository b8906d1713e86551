/*
** diff/word.c -- the word-level diff of two paragraphs (diff.h).
**
** Words are the runs between spaces. The common prefix and suffix are
** matched first (a typical edit changes a few words of a long paragraph),
** then Myers' greedy O(ND) search finds a shortest edit script for the
** middle, keeping each step's frontier so that the path can be walked back.
** Both the number of steps and the work (words x steps) are bounded; past
** the bound the middle is reported as replaced, so a 1 MiB paragraph costs
** at most SB_WD_MAX_WORK steps and (work / words)^2 ints.
** Tests: tests/unit/test_diff.c
*/
#include <stdlib.h>
#include <string.h>

#include "skillbook/diff.h"

typedef struct word {
  size_t off, len;      /* the word's bytes in its text */
  size_t key, klen;     /* its comparison form in the key buffer */
  uint64_t hash;
} word;

typedef struct wlist {
  word *w;
  int n;
  char *keys;
} wlist;

static int is_alnum_ascii(unsigned char c) {
  return ((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9');
}

/* Splits s into words; with SB_WD_NORMALIZE each key is the word with
** ASCII letters lowered and ASCII punctuation trimmed at both ends. */
static void split(const char *s, unsigned flags, wlist *out) {
  size_t len = strlen(s), cap = len / 2 + 1;
  out->w = sb_xmalloc(cap * sizeof *out->w);
  out->keys = sb_xmalloc(len + 1);
  out->n = 0;
  size_t i = 0, k = 0;
  while (i < len) {
    while (i < len && s[i] == ' ') i++;
    if (i >= len) break;
    size_t e = i;
    while (e < len && s[e] != ' ') e++;
    size_t a = i, b = e;
    if (flags & SB_WD_NORMALIZE) {
      while (a < b && (unsigned char)s[a] < 0x80 &&
             !is_alnum_ascii((unsigned char)s[a]))
        a++;
      while (b > a && (unsigned char)s[b - 1] < 0x80 &&
             !is_alnum_ascii((unsigned char)s[b - 1]))
        b--;
    }
    word *w = &out->w[out->n++];
    w->off = i;
    w->len = e - i;
    w->key = k;
    for (size_t j = a; j < b; j++) {
      char c = s[j];
      if ((flags & SB_WD_NORMALIZE) && c >= 'A' && c <= 'Z') c = (char)(c + 32);
      out->keys[k++] = c;
    }
    w->klen = k - w->key;
    w->hash = sb_hash_fnv1a(out->keys + w->key, w->klen, SB_FNV1A_BASIS);
    i = e;
  }
}

static int eq(const wlist *A, int i, const wlist *B, int j) {
  const word *a = &A->w[i], *b = &B->w[j];
  return a->hash == b->hash && a->klen == b->klen &&
         memcmp(A->keys + a->key, B->keys + b->key, a->klen) == 0;
}

/* The bytes of words [i, j) of a list over text of length tlen: from the
** first word's start (0 for the first word) to the next word's start. */
static void range(const wlist *L, size_t tlen, int i, int j, size_t *off,
                  size_t *len) {
  size_t a = i == 0 ? 0 : L->w[i].off;
  size_t b = j >= L->n ? tlen : L->w[j].off;
  *off = a;
  *len = b - a;
}

typedef struct builder {
  sb_wdiff *d;
  int cap;
  const wlist *A, *B;
  size_t alen, blen;
} builder;

/* Appends words [a0, a1) of A and [b0, b1) of B as op (SAME: both; DEL: a;
** ADD: b), merged with the previous run of the same op. */
static void emit(builder *bd, sb_wd_op op, int a0, int a1, int b0, int b1) {
  if (op == SB_WD_SAME ? a1 <= a0 : op == SB_WD_DEL ? a1 <= a0 : b1 <= b0)
    return;
  sb_wdiff *d = bd->d;
  size_t ao = 0, al = 0, bo = 0, bl = 0;
  if (op != SB_WD_ADD) range(bd->A, bd->alen, a0, a1, &ao, &al);
  if (op != SB_WD_DEL) range(bd->B, bd->blen, b0, b1, &bo, &bl);
  if (op == SB_WD_DEL) d->removed += a1 - a0;
  if (op == SB_WD_ADD) d->added += b1 - b0;
  if (d->nruns > 0 && d->runs[d->nruns - 1].op == op) {
    sb_wd_run *r = &d->runs[d->nruns - 1];
    r->a_len = ao + al - r->a_off;
    r->b_len = bo + bl - r->b_off;
    if (op == SB_WD_ADD) r->a_len = 0;
    if (op == SB_WD_DEL) r->b_len = 0;
    return;
  }
  if (d->nruns == bd->cap) {
    bd->cap = bd->cap ? bd->cap * 2 : 8;
    d->runs = sb_xrealloc(d->runs, (size_t)bd->cap * sizeof *d->runs);
  }
  sb_wd_run r = {op, ao, al, bo, bl};
  if (op == SB_WD_ADD) r.a_off = r.a_len = 0;
  if (op == SB_WD_DEL) r.b_off = r.b_len = 0;
  d->runs[d->nruns++] = r;
}

/* Myers on A[a0, a1) x B[b0, b1): fills ops (one per move, in order: 0
** same, 1 delete, 2 add) and returns their count, or -1 past the bound. */
static long myers(const wlist *A, int a0, int a1, const wlist *B, int b0,
                  int b1, signed char **ops_out) {
  long n = a1 - a0, m = b1 - b0;
  long dmax = SB_WD_MAX_WORK / (n + m + 1);
  if (dmax > SB_WD_MAX_D) dmax = SB_WD_MAX_D;
  if (dmax > n + m) dmax = n + m;
  /* trace[d] is the frontier after step d: 2d + 1 entries, k = -d..d */
  long *trace = sb_xmalloc((size_t)(dmax + 1) * (size_t)(dmax + 1) *
                           sizeof *trace + sizeof *trace);
  long found = -1;
  for (long d = 0; d <= dmax && found < 0; d++) {
    long *V = trace + d * d;              /* offset of row d: d^2 */
    const long *P = d ? trace + (d - 1) * (d - 1) : NULL;
    for (long k = -d; k <= d; k += 2) {
      long x;
      if (d == 0)
        x = 0;
      else if (k == -d || (k != d && P[k - 1 + (d - 1)] < P[k + 1 + (d - 1)]))
        x = P[k + 1 + (d - 1)];          /* down: add b */
      else
        x = P[k - 1 + (d - 1)] + 1;      /* right: delete a */
      long y = x - k;
      while (x < n && y < m && eq(A, a0 + (int)x, B, b0 + (int)y)) {
        x++;
        y++;
      }
      V[k + d] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) {
    free(trace);
    return -1;
  }
  /* walk back from (n, m) */
  size_t cap = (size_t)(n + m) + 1;
  signed char *ops = sb_xmalloc(cap);
  size_t no = 0;
  long x = n, y = m;
  for (long d = found; d > 0; d--) {
    const long *P = trace + (d - 1) * (d - 1);
    long k = x - y, pk;
    if (k == -d || (k != d && P[k - 1 + (d - 1)] < P[k + 1 + (d - 1)]))
      pk = k + 1;
    else
      pk = k - 1;
    long px = P[pk + (d - 1)], py = px - pk;
    long mx = pk == k + 1 ? px : px + 1; /* where the move ends */
    while (x > mx) {                     /* the snake after it */
      ops[no++] = 0;
      x--;
      y--;
    }
    ops[no++] = (signed char)(pk == k + 1 ? 2 : 1);
    x = px;
    y = py;
  }
  while (x > 0) {
    ops[no++] = 0;
    x--;
  }
  free(trace);
  for (size_t i = 0; i < no / 2; i++) {
    signed char t = ops[i];
    ops[i] = ops[no - 1 - i];
    ops[no - 1 - i] = t;
  }
  *ops_out = ops;
  return (long)no;
}

void sb_word_diff(const char *a, const char *b, unsigned flags,
                  sb_wdiff *out) {
  wlist A, B;
  memset(out, 0, sizeof *out);
  split(a, flags, &A);
  split(b, flags, &B);
  builder bd = {out, 0, &A, &B, strlen(a), strlen(b)};
  int p = 0;
  while (p < A.n && p < B.n && eq(&A, p, &B, p)) p++;
  int sa = A.n, sbn = B.n;
  while (sa > p && sbn > p && eq(&A, sa - 1, &B, sbn - 1)) {
    sa--;
    sbn--;
  }
  emit(&bd, SB_WD_SAME, 0, p, 0, p);
  signed char *ops = NULL;
  long nops = (sa > p && sbn > p) ? myers(&A, p, sa, &B, p, sbn, &ops) : 0;
  if (nops < 0) {
    out->replaced = 1;
    emit(&bd, SB_WD_DEL, p, sa, 0, 0);
    emit(&bd, SB_WD_ADD, 0, 0, p, sbn);
  } else if (nops == 0) {
    emit(&bd, SB_WD_DEL, p, sa, 0, 0);
    emit(&bd, SB_WD_ADD, 0, 0, p, sbn);
  } else {
    /* between two common words, every deletion before every addition */
    int x = p, y = p;
    long i = 0;
    while (i < nops) {
      if (ops[i] == 0) {
        int x0 = x, y0 = y;
        while (i < nops && ops[i] == 0) {
          x++;
          y++;
          i++;
        }
        emit(&bd, SB_WD_SAME, x0, x, y0, y);
        continue;
      }
      int x0 = x, y0 = y;
      while (i < nops && ops[i] != 0) {
        if (ops[i] == 1) x++;
        else y++;
        i++;
      }
      emit(&bd, SB_WD_DEL, x0, x, 0, 0);
      emit(&bd, SB_WD_ADD, 0, 0, y0, y);
    }
  }
  emit(&bd, SB_WD_SAME, sa, A.n, sbn, B.n);
  free(ops);
  free(A.w);
  free(A.keys);
  free(B.w);
  free(B.keys);
}

void sb_wdiff_free(sb_wdiff *d) {
  if (!d) return;
  free(d->runs);
  memset(d, 0, sizeof *d);
}
