/*
** layout/bound.c -- names in bounded places: text cut after a number of
** lines with an ellipsis (sb_lay_bound, table headers), and the warning,
** once per field, that a text was shortened.
** Tests: tests/unit/test_layout.c, tests/cli/names.sh
*/
#include <stdio.h>
#include <string.h>

#include "layout/layout-imp.h"

/* ==== Cutting a line with an ellipsis ==== */

/* The ellipsis in font: U+2026, or '.' three times where the font lacks
** it. Sets *count (1 or 3) and *adv (one character's advance). */
static int32_t ellipsis_of(sb_lay *lay, int font, int *count, int *adv) {
  int a = sb_lay_adv_(lay, font, 0x2026);
  if (a >= 0) {
    *count = 1;
    *adv = a;
    return 0x2026;
  }
  a = sb_lay_adv_(lay, font, '.');
  *count = 3;
  *adv = a > 0 ? a : 0;
  return '.';
}

/* Where line ln of t must end so that an ellipsis in font fits after it
** within max_units: the first character that does not fit, with trailing
** spaces and invisible characters dropped. */
static int cut_at(sb_lay *lay, const sb_text *t, const sb_line *ln,
                  double max_units, int font) {
  int count, adv;
  ellipsis_of(lay, font, &count, &adv);
  long w = (long)count * adv;
  int k = ln->start;
  while (k < ln->end && w + t->c[k].adv <= max_units) w += t->c[k++].adv;
  while (k > ln->start &&
         (t->c[k - 1].flags & (SB_TC_SPACE | SB_TC_INVISIBLE | SB_TC_SHY)))
    k--;
  return k;
}

int sb_lay_clip_(sb_lay *lay, sb_text *t, sb_line *lines, int n, int keep,
                 double max_units) {
  if (keep < 1 || n <= keep) return n;
  sb_line *ln = &lines[keep - 1];
  int font = t->c[ln->start].font;
  int k = cut_at(lay, t, ln, max_units, font);
  int count, adv;
  int32_t e = ellipsis_of(lay, font, &count, &adv);
  int span = t->c[k > ln->start ? k - 1 : ln->start].span;
  /* the kern c[k-1] holds with the character that the ellipsis replaces */
  int old_kern = k > ln->start ? sb_lay_kern_at_(lay, t, k - 1) : 0;
  /* the characters from k on are dropped with the lines after this one:
  ** there are at least as many as the ellipsis needs, but never write
  ** past the text */
  int m = 0;
  for (; m < count && k + m < t->n; m++) {
    sb_tchar *c = &t->c[k + m];
    c->cp = e;
    c->adv = (uint16_t)adv;
    c->font = (uint8_t)font;
    c->flags = 0;
    c->span = (uint16_t)span;
  }
  /* kerning: before the ellipsis, and between its full stops */
  if (k > ln->start) sb_lay_refold_(lay, t, k - 1, old_kern);
  for (int i = k; i < k + m; i++) sb_lay_refold_(lay, t, i, 0);
  ln->end = k + m;
  ln->next = t->n;
  ln->hyphen = 0;
  ln->width = sb_lay_run_width_(lay, t, ln->start, ln->end, 0);
  return keep;
}

/* ==== Names in bounded places ==== */

const char *sb_lay_bound(sb_lay *lay, const char *text, int font,
                         double size, double width, int max_lines,
                         const sb_src *src) {
  if (!text || !*text || max_lines < 1 || !(size > 0) || !(width > 0) ||
      !sb_lay_ok_(lay))
    return text;
  sb_arena_reset(lay->scratch);
  sb_span sp = {text, font, {0, 0, 0}, NULL};
  sb_text t;
  sb_line *lines;
  sb_dl *save = lay->dl;
  lay->dl = NULL; /* quiet: the kept part warns where it is printed */
  sb_status st = sb_lay_prepare(lay, &sp, 1, src, &t);
  lay->dl = save;
  if (st) {
    lay->status = st;
    return text;
  }
  double mu = width * 1000.0 / size;
  int n = sb_lay_wrap_upto_(lay, &t, mu, &lines, max_lines + 1);
  if (n <= max_lines) return text;
  const sb_line *ln = &lines[max_lines - 1];
  int k = cut_at(lay, &t, ln, mu, font);
  /* the byte where character k starts, decoding as prepare does */
  size_t len = strlen(text), off = 0;
  for (int i = 0; i < k && off < len; i++) {
    int l;
    sb_utf8_decode(text + off, len - off, &l);
    off += (size_t)(l > 0 ? l : 1);
  }
  int count, adv;
  int32_t e = ellipsis_of(lay, font, &count, &adv);
  char *out = sb_arena_alloc(lay->arena, off + 4);
  if (!out) {
    lay->status = sb_fail_arena(lay->ctx);
    return text;
  }
  memcpy(out, text, off);
  if (e == 0x2026) {
    memcpy(out + off, "\xE2\x80\xA6", 3);
    off += 3;
  } else {
    memcpy(out + off, "...", 3);
    off += 3;
  }
  out[off] = 0;
  char why[128];
  snprintf(why, sizeof why, "%d characters do not fit in %d line%s here",
           t.n, max_lines, max_lines == 1 ? "" : "s");
  sb_lay_bound_warn_(lay, src, why);
  return out;
}

void sb_lay_bound_warn_(sb_lay *lay, const sb_src *src, const char *why) {
  if (!lay->dl) return; /* a dry run stays quiet; the real pass warns */
  const char *what = src && src->what ? src->what : "text";
  uint64_t key = sb_hash_fnv1a("bound", 5, 0x6A09E667F3BCC908ULL);
  key = sb_hash_fnv1a(what, strlen(what), key);
  if (src && src->file)
    key = sb_hash_fnv1a(src->file, strlen(src->file), key);
  if (src) key = sb_hash_fnv1a(&src->line, sizeof src->line, key);
  if (sb_lay_seen_(lay, key)) return;
  sb_warn(lay->ctx, src ? src->file : NULL, src ? src->line : 0,
          "%s: %s; printed shortened, with an ellipsis", what, why);
}
