/*
** layout/wrap.c -- greedy line breaking of prepared text (text.c), the
** text ops of broken lines, measuring, and wrapped text in a box.
**
** A line breaks at the opportunities preparation marked (UAX #14), or
** between characters in a word longer than the line, which then ends with
** a hyphen (measured in); a soft hyphen prints as '-' only where a line
** breaks at it. All memory comes from the
** layout's scratch arena; text ops live in the display list's arena.
** Tests: tests/unit/test_layout.c
*/
#include <string.h>

#include "layout/layout-imp.h"

/* ==== Line breaking ==== */

static int hyphen_adv(sb_lay *lay, int font) {
  int a = sb_lay_adv_(lay, font, '-');
  return a < 0 ? 0 : a;
}

/* Width of t->c[a, b) drawn as one run (plus '-' when hyphen): advances,
** less the kern of the last drawn character with one after the run,
** plus its kern with the hyphen (text.c, "Pair kerning"). */
/* sb_lay_run_width_ of [a, b) whose advances sum to w. */
static long run_width_of(sb_lay *lay, const sb_text *t, int a, int b,
                         int hyphen, long w) {
  int last = b - 1; /* the last drawn character */
  while (last >= a && (t->c[last].flags & (SB_TC_INVISIBLE | SB_TC_SHY)))
    last--;
  if (last < a) last = -1;
  if (last >= 0) w -= sb_lay_kern_at_(lay, t, last);
  if (hyphen && b > a) {
    const sb_font *f = lay->fs->face[t->c[b - 1].font];
    w += hyphen_adv(lay, t->c[b - 1].font);
    if (last >= 0 && f) w += sb_font_kern(f, t->c[last].cp, '-');
  }
  return w;
}

long sb_lay_run_width_(sb_lay *lay, const sb_text *t, int a, int b,
                       int hyphen) {
  long w = 0;
  for (int i = a; i < b; i++) w += t->c[i].adv;
  return run_width_of(lay, t, a, b, hyphen, w);
}

/* Whether a word broken after c needs a hyphen: not after a dash or a
** hyphen of its own, nor after a character that is not drawn (a soft
** hyphen is: it prints as the hyphen). */
static int wants_hyphen(const sb_tchar *c) {
  if (c->flags & SB_TC_SHY) return 1;
  if (c->flags & (SB_TC_SPACE | SB_TC_INVISIBLE)) return 0;
  int32_t cp = c->cp;
  return !(cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 ||
           cp == 0xFE63 || cp == 0xFF0D);
}

/* Makes line [start, brk] (break after brk): trims trailing spaces.
** hyphen: a word broken between characters, printed with a '-'. sum: the
** advances of [start, brk] added up (the breaking loop has them). */
static sb_line make_line(sb_lay *lay, const sb_text *t, int start, int brk,
                         int hyphen, long sum) {
  sb_line ln;
  int end = brk + 1;
  ln.next = end;
  ln.hyphen = hyphen || (t->c[brk].flags & SB_TC_SHY) != 0;
  while (end > start &&
         (t->c[end - 1].flags & (SB_TC_SPACE | SB_TC_INVISIBLE)))
    sum -= t->c[--end].adv;
  if (ln.hyphen && end != brk + 1) ln.hyphen = 0;
  ln.start = start;
  ln.end = end;
  ln.width = run_width_of(lay, t, start, end, ln.hyphen, sum);
  return ln;
}

/* Greedy breaking of t, stopping after limit lines (the rest of the text
** is then not looked at: a bounded name costs its bounded part). */
int sb_lay_wrap_upto_(sb_lay *lay, const sb_text *t, double max_units,
                      sb_line **lines, int limit) {
  *lines = NULL;
  if (t->n == 0) return 0;
  int cap = 8, nl = 0;
  sb_line *out = sb_arena_alloc(lay->scratch, (size_t)cap * sizeof *out);
  if (!out) return 0;
  int start = 0;
  while (start < t->n && nl < limit) {
    long w = 0, wbrk = -1, wlast = 0; /* wbrk: the advances of [start, brk] */
    int last_break = -1;
    int brk = t->n - 1, hyphen = 0;
    for (int i = start; i < t->n; i++) {
      const sb_tchar *c = &t->c[i];
      long a = c->adv;
      if (w + a > max_units && i > start && !(c->flags & SB_TC_SPACE) &&
          a > 0) {
        if (last_break >= 0) {
          brk = last_break;
          wbrk = wlast;
        } else {
          /* no break opportunity: break between characters, with a
          ** hyphen that fits on the line (w: the width up to i) */
          brk = i - 1;
          if (wants_hyphen(&t->c[brk])) {
            long hy = hyphen_adv(lay, t->c[brk].font), wb = w;
            int b = brk;
            while (b > start && wb + hy > max_units) wb -= t->c[b--].adv;
            if (wb + hy <= max_units) { /* else one character, bare */
              brk = b;
              hyphen = wants_hyphen(&t->c[brk]);
              wbrk = wb;
            }
          }
          if (wbrk < 0) wbrk = w; /* [start, i - 1] */
        }
        break;
      }
      w += a;
      if (c->flags & SB_TC_MUST) {
        brk = i;
        wbrk = w;
        break;
      }
      if (c->flags & SB_TC_BREAK) {
        if (!(c->flags & SB_TC_SHY) ||
            w + hyphen_adv(lay, c->font) <= max_units) {
          last_break = i;
          wlast = w;
        }
      }
    }
    if (wbrk < 0) wbrk = w; /* the text's end: [start, n - 1] */
    if (nl == cap) {
      sb_line *n2 = sb_arena_alloc(lay->scratch, (size_t)cap * 2 * sizeof *n2);
      if (!n2) break;
      memcpy(n2, out, (size_t)nl * sizeof *out);
      out = n2;
      cap *= 2;
    }
    out[nl++] = make_line(lay, t, start, brk, hyphen, wbrk);
    start = brk + 1;
    /* spaces at the start of a continuation line are dropped */
    while (start < t->n && (t->c[start].flags & SB_TC_SPACE)) start++;
    if (start < t->n) out[nl - 1].next = start;
  }
  *lines = out;
  return nl;
}

int sb_lay_wrap(sb_lay *lay, const sb_text *t, double max_units,
                sb_line **lines) {
  return sb_lay_wrap_upto_(lay, t, max_units, lines, t->n + 1);
}

/* ==== Emitting text ops ==== */

/* sb_lay_emit_line_ for a line whose width (sb_lay_run_width_ of [a, b)
** with hyphen) is known: -1 when it is not. A line of one span is then not
** measured again. */
static double emit_line(sb_lay *lay, int page, const sb_text *t,
                        const sb_span *spans, int a, int b, int hyphen,
                        double x, double y, double size, long known) {
  int i = a;
  while (i < b) {
    int j = i;
    int span = t->c[i].span;
    size_t bytes = 0; /* the drawn characters' UTF-8 length */
    for (; j < b && t->c[j].span == span; j++)
      if (!(t->c[j].flags & (SB_TC_INVISIBLE | SB_TC_SHY)))
        bytes += t->c[j].cp < 0x80 ? 1 : t->c[j].cp < 0x800 ? 2
                 : t->c[j].cp < 0x10000 ? 3 : 4; /* what sb_utf8_encode writes */
    int add_hy = hyphen && j == b;
    long units = known >= 0 && i == a && j == b
                     ? known
                     : sb_lay_run_width_(lay, t, i, j, add_hy);
    double w = (double)units * size / 1000.0;
    if (lay->dl && (bytes || add_hy)) {
      char *s = sb_arena_alloc(lay->dl->arena, bytes + 2);
      sb_op *op = s ? sb_dl_add_op(lay->ctx, lay->dl, page, SB_OP_TEXT) : NULL;
      if (!op) {
        if (!lay->status) lay->status = SB_E_LIMIT;
        if (!lay->ctx->status)
          sb_fail_arena(lay->ctx);
        return x + w;
      }
      size_t len = 0;
      for (int k = i; k < j; k++) {
        const sb_tchar *c = &t->c[k];
        if (c->flags & (SB_TC_INVISIBLE | SB_TC_SHY)) continue;
        if (c->cp >= 0 && c->cp < 0x80) /* what sb_utf8_encode writes */
          s[len++] = (char)c->cp;
        else
          len += (size_t)sb_utf8_encode(c->cp, s + len);
      }
      if (add_hy) s[len++] = '-';
      s[len] = 0;
      op->u.text.font = t->c[i].font;
      op->u.text.size = size;
      op->u.text.x = x;
      op->u.text.y = y;
      op->u.text.width = w;
      op->u.text.color = spans[span].color;
      op->u.text.text = s;
      op->u.text.len = len;
      op->u.text.lang = spans[span].lang;
    }
    x += w;
    i = j;
  }
  return x;
}

double sb_lay_emit_line_(sb_lay *lay, int page, const sb_text *t,
                         const sb_span *spans, int a, int b, int hyphen,
                         double x, double y, double size) {
  return emit_line(lay, page, t, spans, a, b, hyphen, x, y, size, -1);
}

void sb_lay_emit_lines_(sb_lay *lay, int page, const sb_text *t,
                        const sb_span *spans, const sb_line *lines, int l0,
                        int l1, double x, double width, double y,
                        double size, double lh, sb_align align) {
  double base = sb_lay_baseline_(lay, size, lh);
  for (int l = l0; l < l1; l++) {
    const sb_line *ln = &lines[l];
    double w = (double)ln->width * size / 1000.0;
    double lx = x;
    if (align == SB_ALIGN_CENTER) lx = x + (width - w) / 2;
    else if (align == SB_ALIGN_RIGHT) lx = x + width - w;
    emit_line(lay, page, t, spans, ln->start, ln->end, ln->hyphen, lx,
              y + base, size, ln->width); /* make_line measured it */
    y += lh;
  }
}

double sb_lay_measure(sb_lay *lay, int font, double size, const char *s) {
  sb_span sp = {s, font, {0, 0, 0}, NULL};
  sb_text t;
  sb_arena_reset(lay->scratch);
  sb_dl *save = lay->dl;
  lay->dl = NULL; /* measuring never warns */
  sb_status st = sb_lay_prepare(lay, &sp, 1, NULL, &t);
  lay->dl = save;
  if (st) return 0;
  long u = sb_lay_run_width_(lay, &t, 0, t.n, 0);
  return (double)u * size / 1000.0;
}

double sb_lay_box(sb_lay *lay, int page, double x, double y, double w,
                  const sb_span *spans, int nspans, double size,
                  sb_align align, const sb_src *src) {
  sb_text t;
  sb_line *ln;
  if (nspans <= 0 || !sb_lay_ok_(lay)) return 0;
  if (sb_lay_prepare(lay, spans, nspans, src, &t)) {
    lay->status = lay->ctx->status;
    return 0;
  }
  int n = sb_lay_wrap(lay, &t, w * 1000.0 / size, &ln);
  double lh = sb_lay_leading_(lay, size, 0);
  if (page >= 0 && n > 0)
    sb_lay_emit_lines_(lay, page, &t, spans, ln, 0, n, x, w, y, size, lh,
                       align);
  return n * lh;
}
