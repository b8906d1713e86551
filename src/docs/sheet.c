/*
** docs/sheet.c -- the level comparison sheet: one role, two levels.
**
** What a manager and an engineer print before a review. Every page has
** the running header ("Level comparison", the catalogue's title, the
** style's logo) and a footer (role and levels, page X of Y, version and
** the date in the document's language). Page one opens with the role,
** "current -> target" levels, fields for name, reviewer and date (ruled,
** or printed from --person and --reviewer), a summary of what changes,
** the legend and the note that the sheet guides a conversation. Then one row per skill where the role has an
** expectation at either level:
**
**   Skill | Current level | Target level | Assessment      | Evidence
**         | mark + text   | mark, flags, | self / manager / | ruled lines
**         |               | text (added  | agreed x three   |
**         |               | words bold)  | open squares     |
**
** A row whose paragraphs would run long in the narrow columns ("wide"
** row) gives the evidence column's width to the paragraphs and puts the
** ruled evidence lines under them instead. Rows are drawn here rather than
** with sb_lay_table because the sheet needs what a plain table has not:
** a cell spanning columns (evidence under the paragraphs), a grid of check
** boxes and outlined flags. Pagination follows the table's rules: the
** header row repeats on every page, a row that fits on a page moves whole
** to the next one, only a row taller than a page splits, between lines.
**
** Text is wrapped with sb_lay_prepare/sb_lay_wrap, copied into the
** document arena as runs of one span each, and drawn with sb_lay_text_at,
** one line after another per cell, so text extraction keeps a paragraph
** in one piece.
** Tests: tests/cli/sheet.sh
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skillbook/docs.h"
#include "skillbook/layout.h"
#include "docs-imp.h"

#define EPS 1e-6

/* ==== Wrapped text blocks ==== */

typedef struct trun {  /* one span's part of a line */
  const char *s;
  int font;
  sb_color color;
  double dx;           /* from the line's left edge */
} trun;

typedef struct tline {
  trun *runs;
  int nruns;
  double w;
} tline;

typedef struct tblock {
  tline *lines;
  int n;
  double size, lh;
} tblock;

typedef struct row {
  int skill;
  const sb_expect *cur, *tgt;
  int is_new, becomes;
  int wide;             /* evidence under the paragraphs */
  tblock name, group;   /* column A */
  tblock pcur, ptgt;    /* the paragraphs (or the gap note) */
  double a_h;           /* column A content height */
} row;

typedef struct sheet {
  sb_ctx *ctx;
  const sb_catalog *cat;
  int role, from, to;
  const char *person, *reviewer;
  const sb_style *st;
  const sb_labels *lb;
  const sb_fontset *fs;
  sb_arena *arena;
  sb_lay *lay;
  const char *role_name, *from_name, *to_name;
  const char *foot_name;  /* "Role — from → to" */
  /* names bounded once for the places that cannot grow (docs-imp.h) */
  const char *title_role, *line_from, *line_to, *head_from, *head_to;
  const char *head_title, *version;
  char date[64];          /* localised (sb_label_date); "" = none */
  int *skills;
  int nskills;
  int n_target, n_mand, n_new, n_becomes;
  /* geometry */
  double x[5], w[5];    /* columns A..E (E is printed before D) */
  double xr;            /* the table's right edge */
  double pad;
  double size;          /* paragraph size */
  double mark_h;        /* the mark line above a paragraph */
  double grid_lh;       /* check box grid line height */
  double grid_label_w;  /* "Manager" column inside D */
  double ev_gap;        /* ruled writing lines */
  int ev_lines;         /* writing lines under a wide row */
  double ev_label_h;
  tblock hdr[5];        /* header row cells */
  tblock scale[3];      /* header: working towards / meeting / exceeding */
  double header_h;
  int header_page;
  sb_src src;
} sheet;

static const char *L(const sheet *sh, sb_label_id id) {
  return sb_label(sh->lb, id);
}

static sb_status oom(sheet *sh) {
  return sb_fail_arena(sh->ctx);
}

/* Wraps spans at width points into b, copied out of the layout's scratch
** memory (which the next drawing call reuses). */
static sb_status wrap_block(sheet *sh, const sb_span *sp, int nsp,
                            double size, double width, const sb_src *src,
                            tblock *b) {
  sb_text t;
  sb_line *ln;
  memset(b, 0, sizeof *b);
  b->size = size;
  b->lh = size * sh->st->leading;
  if (sb_lay_prepare(sh->lay, sp, nsp, src, &t))
    return sh->ctx->status ? sh->ctx->status : SB_E_LIMIT;
  if (t.n == 0) return SB_OK;
  int n = sb_lay_wrap(sh->lay, &t, width * 1000.0 / size, &ln);
  if (n <= 0) return SB_OK;
  b->lines = sb_arena_calloc(sh->arena, (size_t)n * sizeof *b->lines);
  if (!b->lines) return oom(sh);
  b->n = n;
  for (int l = 0; l < n; l++) {
    tline *tl = &b->lines[l];
    int a = ln[l].start, e = ln[l].end, nr = 0;
    for (int i = a; i < e; i++)
      if (i == a || t.c[i].span != t.c[i - 1].span) nr++;
    tl->w = (double)ln[l].width * size / 1000.0;
    if (nr == 0) continue;
    tl->runs = sb_arena_calloc(sh->arena, (size_t)nr * sizeof *tl->runs);
    if (!tl->runs) return oom(sh);
    long units = 0;
    for (int i = a; i < e;) {
      int j = i, si = t.c[i].span;
      while (j < e && t.c[j].span == si) j++;
      char *s = sb_arena_alloc(sh->arena, (size_t)(j - i) * 4 + 2);
      if (!s) return oom(sh);
      size_t len = 0;
      trun *r = &tl->runs[tl->nruns++];
      r->dx = (double)units * size / 1000.0;
      r->font = sp[si].font;
      r->color = sp[si].color;
      for (int k = i; k < j; k++) {
        units += t.c[k].adv;
        if (!(t.c[k].flags & (SB_TC_INVISIBLE | SB_TC_SHY)))
          len += (size_t)sb_utf8_encode(t.c[k].cp, s + len);
      }
      if (j == e && ln[l].hyphen) s[len++] = '-';
      s[len] = 0;
      r->s = s;
      i = j;
    }
  }
  return SB_OK;
}

static double baseline(const sheet *sh, double size, double lh) {
  const sb_font *f = sh->fs->face[SB_FONT_REGULAR];
  double asc = f ? sb_font_ascent(f) / 1000.0 : 0.9;
  double desc = f ? -sb_font_descent(f) / 1000.0 : 0.2;
  return (lh - (asc + desc) * size) / 2 + asc * size;
}

/* Draws lines [l0, l1) of b with the first line's top at y. align: how
** each line sits in width. */
static void draw_block(sheet *sh, int page, double x, double y,
                       const tblock *b, int l0, int l1, double width,
                       sb_align align) {
  double base = baseline(sh, b->size, b->lh);
  for (int l = l0; l < l1 && l < b->n; l++) {
    const tline *tl = &b->lines[l];
    double lx = x;
    if (align == SB_ALIGN_CENTER) lx = x + (width - tl->w) / 2;
    else if (align == SB_ALIGN_RIGHT) lx = x + width - tl->w;
    for (int r = 0; r < tl->nruns; r++)
      if (tl->runs[r].s[0])
        sb_lay_text_at(sh->lay, page, lx + tl->runs[r].dx,
                       y + (l - l0) * b->lh + base, tl->runs[r].font,
                       b->size, tl->runs[r].color, SB_ALIGN_LEFT,
                       tl->runs[r].s, &sh->src);
  }
}

static double block_h(const tblock *b) { return b->n * b->lh; }

/* ==== What the target level adds: a word-level comparison ==== */

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
static sb_status diff_spans(sheet *sh, const char *cur, const char *tgt,
                            sb_color color, sb_span **out, int *nout) {
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
  sb_span *sp = sb_arena_calloc(sh->arena, (size_t)(ns + 1) * sizeof *sp);
  sb_status s = SB_OK;
  if (!sp) s = oom(sh);
  int k = 0;
  for (int i = 0; i < ntw && !s;) {
    int j = i;
    while (j < ntw && stt[j] == stt[i]) j++;
    const char *a = i == 0 ? tgt : tw[i].p;
    const char *e = j < ntw ? tw[j].p : tgt + strlen(tgt);
    char *t = sb_arena_strndup(sh->arena, a, (size_t)(e - a));
    if (!t) {
      s = oom(sh);
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

/* ==== Furniture ==== */

/* On every page: "Level comparison" and the catalogue's title (and the
** style's logo) in the running header; "Role — from → to — page X of Y",
** the version and the date in the footer (docs/furniture.c). */
static void furniture(sb_lay *lay, int page, int npages, const char *running,
                      void *user) {
  sheet *sh = user;
  (void)running;
  sb_furniture f = {sh->lb, sh->arena, sh->cat->path, L(sh, SB_L_SHEET),
                    sh->head_title, sh->foot_name,
                    sb_docs_version_date(sh->arena, sh->lb, sh->version,
                                         sh->date)};
  sb_docs_furniture(lay, &f, page, npages);
}

/* ==== Page one: title, fields, summary, legend, note ==== */

static void field(sheet *sh, int page, double x, double w, double y,
                  const char *label, const char *value, const char *what) {
  const sb_style *st = sh->st;
  double lw = sb_lay_text_at(sh->lay, page, x, y, SB_FONT_BOLD, st->size_body,
                             st->text, SB_ALIGN_LEFT, label, &sh->src);
  double fx = x + lw + 6, fx1 = x + w - 14;
  if (fx1 < fx + 20) fx1 = fx + 20;
  sb_lay_line(sh->lay, page, fx, y + 3, fx1, y + 3, 0.6, st->text, 0);
  /* one line on the field's rule, up to the next field */
  if (value)
    value = sb_docs_bound(sh->lay, what, NULL, NULL, 0, value,
                          SB_FONT_REGULAR, st->size_body + 1, fx1 - fx - 3,
                          SB_LINES_ONE);
  if (value)
    sb_lay_text_at(sh->lay, page, fx + 3, y, SB_FONT_REGULAR, st->size_body + 1,
                   st->text, SB_ALIGN_LEFT, value, &sh->src);
}

/* An outlined flag ("new", "becomes mandatory"): bold text in a box, so it
** reads without colour. Returns its width. */
static double flag_at(sheet *sh, int page, double x, double base,
                      const char *text, double size) {
  double w = sb_lay_measure(sh->lay, SB_FONT_BOLD, size, text);
  sb_lay_rect(sh->lay, page, x, base - size * 0.92, w + size * 0.8,
              size * 1.24, 0, sh->st->text, 0.6, sh->st->text);
  sb_lay_text_at(sh->lay, page, x + size * 0.4, base, SB_FONT_BOLD, size,
                 sh->st->text, SB_ALIGN_LEFT, text, &sh->src);
  return w + size * 0.8;
}

static sb_status title_block(sheet *sh) {
  sb_lay *lay = sh->lay;
  const sb_style *st = sh->st;
  double x0 = sb_lay_left(lay), x1 = sb_lay_right(lay), cw = x1 - x0;
  if (sb_lay_new_page(lay)) return sb_lay_status(lay);
  int pg;
  double y;

  /* the role, then current -> target */
  sb_span rs = span(sh->title_role, SB_FONT_BOLD, st->text);
  sb_para p;
  memset(&p, 0, sizeof p);
  p.spans = &rs;
  p.nspans = 1;
  p.size = st->size_h1 + 3;
  p.leading = 1.2;
  p.src = sh->src;
  sb_lay_para(lay, &p, NULL, NULL);
  sb_span ls[5] = {
      span(sb_arena_printf(sh->arena, "%s: ", L(sh, SB_L_CURRENT)),
           SB_FONT_REGULAR, st->muted),
      span(sh->line_from, SB_FONT_BOLD, st->text),
      span("   \xE2\x86\x92   ", SB_FONT_BOLD, st->text),
      span(sb_arena_printf(sh->arena, "%s: ", L(sh, SB_L_TARGET)),
           SB_FONT_REGULAR, st->muted),
      span(sh->line_to, SB_FONT_BOLD, st->text)};
  p.spans = ls;
  p.nspans = 5;
  p.size = st->size_h2;
  p.space_before = 2;
  p.space_after = 12;
  sb_lay_para(lay, &p, NULL, NULL);

  /* fields to fill in by hand, or printed */
  if (sb_lay_need(lay, 24)) return sb_lay_status(lay);
  pg = sb_lay_page(lay);
  y = sb_lay_y(lay) + st->size_body + 4;
  field(sh, pg, x0, cw * 0.38, y, sb_arena_printf(sh->arena, "%s:", L(sh, SB_L_NAME)),
        sh->person, "the person's name (--person)");
  field(sh, pg, x0 + cw * 0.38, cw * 0.38, y,
        sb_arena_printf(sh->arena, "%s:", L(sh, SB_L_REVIEWER)), sh->reviewer,
        "the reviewer's name (--reviewer)");
  field(sh, pg, x0 + cw * 0.76, cw * 0.24, y,
        sb_arena_printf(sh->arena, "%s:", L(sh, SB_L_DATE)), NULL, NULL);
  sb_lay_skip(lay, st->size_body + 14);

  /* the summary: figures in bold */
  sb_span ss[8];
  int k = 0;
  const char *dot = "  \xC2\xB7  ";
  ss[k++] = span(sb_arena_printf(sh->arena, "%d", sh->n_target), SB_FONT_BOLD,
                 st->text);
  ss[k++] = span(sb_arena_printf(sh->arena, " %s%s", L(sh, SB_L_SHEET_SUM_TARGET), dot),
                 SB_FONT_REGULAR, st->text);
  ss[k++] = span(sb_arena_printf(sh->arena, "%d", sh->n_mand), SB_FONT_BOLD,
                 st->text);
  ss[k++] = span(sb_arena_printf(sh->arena, " %s%s", L(sh, SB_L_SHEET_SUM_MANDATORY), dot),
                 SB_FONT_REGULAR, st->text);
  ss[k++] = span(sb_arena_printf(sh->arena, "%d", sh->n_new), SB_FONT_BOLD,
                 st->text);
  ss[k++] = span(sb_arena_printf(sh->arena, " %s%s", L(sh, SB_L_SHEET_SUM_NEW), dot),
                 SB_FONT_REGULAR, st->text);
  ss[k++] = span(sb_arena_printf(sh->arena, "%d", sh->n_becomes), SB_FONT_BOLD,
                 st->text);
  ss[k++] = span(sb_arena_printf(sh->arena, " %s", L(sh, SB_L_SHEET_SUM_BECOMES)),
                 SB_FONT_REGULAR, st->text);
  for (int i = 0; i < k; i++)
    if (!ss[i].text) return oom(sh);
  memset(&p, 0, sizeof p);
  p.spans = ss;
  p.nspans = k;
  p.size = st->size_body + 0.5;
  p.space_after = 5;
  p.src = sh->src;
  sb_lay_para(lay, &p, NULL, NULL);

  /* the legend: marks, flags, bold words */
  if (sb_lay_need(lay, 16)) return sb_lay_status(lay);
  pg = sb_lay_page(lay);
  double sz = st->size_small, base = sb_lay_y(lay) + sz + 1, x = x0;
  double ms = sz * 0.8;
  x += sb_lay_text_at(lay, pg, x, base, SB_FONT_BOLD, sz, st->text,
                      SB_ALIGN_LEFT,
                      sb_arena_printf(sh->arena, "%s:", L(sh, SB_L_LEGEND)),
                      &sh->src) + 8;
  sb_lay_mark_at(lay, pg, x, base - ms * 0.95, ms, SB_MARK_FILLED, st->text);
  x += ms + 3;
  x += sb_lay_text_at(lay, pg, x, base, SB_FONT_REGULAR, sz, st->text,
                      SB_ALIGN_LEFT, L(sh, SB_L_MANDATORY), &sh->src) + 12;
  sb_lay_mark_at(lay, pg, x, base - ms * 0.95, ms, SB_MARK_OPEN, st->text);
  x += ms + 3;
  x += sb_lay_text_at(lay, pg, x, base, SB_FONT_REGULAR, sz, st->text,
                      SB_ALIGN_LEFT, L(sh, SB_L_OPTIONAL), &sh->src) + 12;
  x += flag_at(sh, pg, x, base, L(sh, SB_L_NEW), sz - 0.5) + 8;
  x += flag_at(sh, pg, x, base, L(sh, SB_L_BECOMES_MANDATORY), sz - 0.5) + 12;
  x += sb_lay_text_at(lay, pg, x, base, SB_FONT_BOLD, sz, st->text,
                      SB_ALIGN_LEFT, L(sh, SB_L_SHEET_ADDED), &sh->src);
  sb_lay_text_at(lay, pg, x, base, SB_FONT_REGULAR, sz, st->text,
                 SB_ALIGN_LEFT,
                 sb_arena_printf(sh->arena, " \xE2\x80\x94 %s",
                                 L(sh, SB_L_SHEET_ADDED_TEXT)),
                 &sh->src);
  sb_lay_skip(lay, sz + 8);

  sb_span ns = span(L(sh, SB_L_SHEET_NOTE), SB_FONT_ITALIC, st->muted);
  memset(&p, 0, sizeof p);
  p.spans = &ns;
  p.nspans = 1;
  p.size = st->size_small;
  p.space_after = 8;
  p.src = sh->src;
  sb_lay_para(lay, &p, NULL, NULL);
  return sb_lay_status(lay);
}

/* ==== The table ==== */

static sb_status build_header(sheet *sh) {
  const sb_style *st = sh->st;
  sb_color c = st->header_text;
  double sz = st->size_small;
  sb_span a = span(L(sh, SB_L_SKILL), SB_FONT_BOLD, c);
  sb_span b[3] = {span(L(sh, SB_L_CURRENT), SB_FONT_REGULAR, c),
                  span(": ", SB_FONT_REGULAR, c),
                  span(sh->head_from, SB_FONT_BOLD, c)};
  sb_span t[3] = {span(L(sh, SB_L_TARGET), SB_FONT_REGULAR, c),
                  span(": ", SB_FONT_REGULAR, c),
                  span(sh->head_to, SB_FONT_BOLD, c)};
  sb_span d = span(L(sh, SB_L_SHEET_ASSESS), SB_FONT_BOLD, c);
  sb_span e = span(L(sh, SB_L_EVIDENCE), SB_FONT_BOLD, c);
  sb_status s;
  if ((s = wrap_block(sh, &a, 1, sz, sh->w[0] - 2 * sh->pad, &sh->src, &sh->hdr[0])) ||
      (s = wrap_block(sh, b, 3, sz, sh->w[1] - 2 * sh->pad, &sh->src, &sh->hdr[1])) ||
      (s = wrap_block(sh, t, 3, sz, sh->w[2] - 2 * sh->pad, &sh->src, &sh->hdr[2])) ||
      (s = wrap_block(sh, &d, 1, sz, sh->w[3] - 2 * sh->pad, &sh->src, &sh->hdr[3])) ||
      (s = wrap_block(sh, &e, 1, sz, sh->w[4] - 2 * sh->pad, &sh->src, &sh->hdr[4])))
    return s;
  /* the scale over the three check box columns */
  double bw = (sh->w[3] - 2 * sh->pad - sh->grid_label_w) / 3;
  sb_label_id sc[3] = {SB_L_WORKING_TOWARDS, SB_L_MEETING, SB_L_EXCEEDING};
  double sh_h = 0;
  for (int i = 0; i < 3; i++) {
    sb_span w = span(L(sh, sc[i]), SB_FONT_REGULAR, c);
    if ((s = wrap_block(sh, &w, 1, st->size_tiny, bw - 2, &sh->src,
                        &sh->scale[i])))
      return s;
    if (block_h(&sh->scale[i]) > sh_h) sh_h = block_h(&sh->scale[i]);
  }
  double h = block_h(&sh->hdr[3]) + 1 + sh_h;
  for (int i = 0; i < 5; i++)
    if (i != 3 && block_h(&sh->hdr[i]) > h) h = block_h(&sh->hdr[i]);
  sh->header_h = h + 2 * sh->pad;
  return SB_OK;
}

static void draw_header(sheet *sh) {
  const sb_style *st = sh->st;
  sb_lay *lay = sh->lay;
  int pg = sb_lay_page(lay);
  double y = sb_lay_y(lay), x0 = sh->x[0];
  double w = sh->xr - x0, h = sh->header_h;
  if (!st->greyscale)
    sb_lay_rect(lay, pg, x0, y, w, h, 1, st->header_fill, 0, st->rule);
  for (int i = 0; i < 5; i++) {
    if (i == 3) continue;
    draw_block(sh, pg, sh->x[i] + sh->pad, y + sh->pad, &sh->hdr[i], 0,
               sh->hdr[i].n, sh->w[i] - 2 * sh->pad, SB_ALIGN_LEFT);
  }
  /* "Assessment" centred over the check boxes, the scale under it */
  double bx = sh->x[3] + sh->pad + sh->grid_label_w;
  double bw = (sh->w[3] - 2 * sh->pad - sh->grid_label_w) / 3;
  draw_block(sh, pg, bx, y + sh->pad, &sh->hdr[3], 0, sh->hdr[3].n, 3 * bw,
             SB_ALIGN_CENTER);
  double sy = y + sh->pad + block_h(&sh->hdr[3]) + 1;
  for (int i = 0; i < 3; i++)
    draw_block(sh, pg, bx + i * bw + 1, sy, &sh->scale[i], 0, sh->scale[i].n,
               bw - 2, SB_ALIGN_CENTER);
  sb_lay_line(lay, pg, x0, y, x0 + w, y, st->rule_width, st->accent, 0);
  sb_lay_line(lay, pg, x0, y + h, x0 + w, y + h, st->rule_width, st->accent, 0);
  sb_lay_skip(lay, h);
  sh->header_page = pg;
}

/* The mark line above a paragraph: the mandatory/optional square and word,
** then the flags. */
static void draw_mark_line(sheet *sh, int page, double x, double y,
                           const sb_expect *e, int is_new, int becomes) {
  const sb_style *st = sh->st;
  double sz = st->size_small, base = y + sz + 0.5, ms = sz * 0.8;
  sb_lay_mark_at(sh->lay, page, x, base - ms * 0.95, ms,
                 e->mandatory ? SB_MARK_FILLED : SB_MARK_OPEN, st->text);
  x += ms + 3;
  x += sb_lay_text_at(sh->lay, page, x, base,
                      e->mandatory ? SB_FONT_BOLD : SB_FONT_REGULAR, sz,
                      e->mandatory ? st->text : st->muted, SB_ALIGN_LEFT,
                      L(sh, e->mandatory ? SB_L_MANDATORY : SB_L_OPTIONAL),
                      &sh->src) + 7;
  if (is_new) x += flag_at(sh, page, x, base, L(sh, SB_L_NEW), sz - 0.5) + 5;
  if (becomes) flag_at(sh, page, x, base, L(sh, SB_L_BECOMES_MANDATORY), sz - 0.5);
}

/* Self / Manager / Agreed, each with three open squares under the scale. */
static void draw_grid(sheet *sh, int page, double y) {
  const sb_style *st = sh->st;
  double x = sh->x[3] + sh->pad;
  double bw = (sh->w[3] - 2 * sh->pad - sh->grid_label_w) / 3;
  double s = st->size_small * 0.95;
  sb_label_id who[3] = {SB_L_SELF, SB_L_MANAGER, SB_L_AGREED};
  for (int i = 0; i < 3; i++) {
    double top = y + i * sh->grid_lh;
    double base = top + sh->grid_lh / 2 + st->size_small * 0.35;
    sb_lay_text_at(sh->lay, page, x, base, i == 2 ? SB_FONT_BOLD : SB_FONT_REGULAR,
                   st->size_small, st->text, SB_ALIGN_LEFT, L(sh, who[i]),
                   &sh->src);
    for (int j = 0; j < 3; j++)
      sb_lay_mark_at(sh->lay, page,
                     x + sh->grid_label_w + j * bw + (bw - s) / 2,
                     top + (sh->grid_lh - s) / 2, s, SB_MARK_OPEN, st->text);
  }
}

static void ruled_lines(sheet *sh, int page, double x0, double x1, double y,
                        int n) {
  for (int i = 0; i < n; i++) {
    y += sh->ev_gap;
    sb_lay_line(sh->lay, page, x0, y, x1, y, 0.5, sh->st->muted, 0);
  }
}

/* Column widths of the paragraphs of a row. */
static double para_w(const sheet *sh, int wide, int col) {
  double w = sh->w[col] + (wide ? sh->w[4] / 2 : 0);
  return w - 2 * sh->pad;
}
static double para_x(const sheet *sh, int wide, int col) {
  return sh->x[col] + (wide && col == 2 ? sh->w[4] / 2 : 0) + sh->pad;
}

static sb_status wrap_para(sheet *sh, row *r, const sb_expect *e, int col,
                           tblock *b) {
  const sb_style *st = sh->st;
  const sb_skill *sk = &sh->cat->skills[r->skill];
  sb_src src = {sk->file, e ? e->line : sk->line, NULL};
  src.what = sb_arena_printf(sh->arena, "skill %s: expectation", sk->id);
  double w = para_w(sh, r->wide, col);
  if (!e) {
    sb_span g = span(L(sh, SB_L_GAP), SB_FONT_ITALIC, st->muted);
    return wrap_block(sh, &g, 1, sh->size, w, &src, b);
  }
  if (col == 2 && r->cur && strcmp(r->cur->text, e->text) != 0) {
    sb_span *sp;
    int n;
    sb_status s = diff_spans(sh, r->cur->text, e->text, st->text, &sp, &n);
    if (s) return s;
    return wrap_block(sh, sp, n, sh->size, w, &src, b);
  }
  sb_span t = span(e->text, SB_FONT_REGULAR, st->text);
  return wrap_block(sh, &t, 1, sh->size, w, &src, b);
}

static double para_h(const sheet *sh, const tblock *b, const sb_expect *e) {
  return (e ? sh->mark_h : 0) + block_h(b);
}

/* Heights: top part (columns A..D, and E beside in a narrow row) and
** the evidence part under a wide row. */
static double row_top_h(const sheet *sh, const row *r) {
  double h = r->a_h;
  double b = para_h(sh, &r->pcur, r->cur), c = para_h(sh, &r->ptgt, r->tgt);
  if (b > h) h = b;
  if (c > h) h = c;
  if (3 * sh->grid_lh > h) h = 3 * sh->grid_lh;
  if (!r->wide && 3 * sh->ev_gap + 2 > h) h = 3 * sh->ev_gap + 2;
  return h;
}
static double row_ev_h(const sheet *sh, const row *r) {
  return r->wide ? sh->ev_label_h + sh->ev_lines * sh->ev_gap + 4 : 0;
}

static sb_status prepare_row(sheet *sh, row *r) {
  const sb_style *st = sh->st;
  const sb_skill *sk = &sh->cat->skills[r->skill];
  sb_status s;
  const sb_group *g = &sh->cat->groups[sk->group];
  double aw = sh->w[0] - 2 * sh->pad;
  sb_span ns = span(sb_docs_bound(sh->lay, "skill", sk->id, sk->file,
                                  sk->line, sk->name, SB_FONT_BOLD,
                                  st->size_body, aw, SB_LINES_CELL),
                    SB_FONT_BOLD, st->text);
  sb_span gs = span(sb_docs_bound(sh->lay, "group", g->id, g->file, g->line,
                                  g->name, SB_FONT_REGULAR, st->size_tiny, aw,
                                  SB_LINES_LINE),
                    SB_FONT_REGULAR, st->muted);
  sb_src src = {sk->file, sk->line, NULL};
  src.what = sb_arena_printf(sh->arena, "skill %s", sk->id);
  if ((s = wrap_block(sh, &ns, 1, st->size_body, aw, &src, &r->name)) ||
      (s = wrap_block(sh, &gs, 1, st->size_tiny, aw, &src, &r->group)))
    return s;
  r->a_h = block_h(&r->name) + 2 + block_h(&r->group);
  /* narrow first; a row that runs long gives the paragraphs more room */
  r->wide = 0;
  if ((s = wrap_para(sh, r, r->cur, 1, &r->pcur)) ||
      (s = wrap_para(sh, r, r->tgt, 2, &r->ptgt)))
    return s;
  int lines = r->pcur.n > r->ptgt.n ? r->pcur.n : r->ptgt.n;
  if (lines > 12) {
    r->wide = 1;
    if ((s = wrap_para(sh, r, r->cur, 1, &r->pcur)) ||
        (s = wrap_para(sh, r, r->tgt, 2, &r->ptgt)))
      return s;
  }
  return SB_OK;
}

/* Draws part of a row: paragraph lines [fb, tb) and [fc, tc); first: the
** part with the row's start (name, marks, grid); last: its end (evidence).
** h: the part's height, padding included. */
static void draw_row_part(sheet *sh, const row *r, int fb, int tb, int fc,
                          int tc, int first, int last, double h) {
  const sb_style *st = sh->st;
  sb_lay *lay = sh->lay;
  int pg = sb_lay_page(lay);
  double y = sb_lay_y(lay), top = y + sh->pad;
  double x0 = sh->x[0], x1 = sh->xr;
  if (first) {
    draw_block(sh, pg, sh->x[0] + sh->pad, top, &r->name, 0, r->name.n,
               sh->w[0] - 2 * sh->pad, SB_ALIGN_LEFT);
    draw_block(sh, pg, sh->x[0] + sh->pad, top + block_h(&r->name) + 2,
               &r->group, 0, r->group.n, sh->w[0] - 2 * sh->pad, SB_ALIGN_LEFT);
    draw_grid(sh, pg, top);
  }
  const sb_expect *ex[2] = {r->cur, r->tgt};
  const tblock *pb[2] = {&r->pcur, &r->ptgt};
  int from[2] = {fb, fc}, to[2] = {tb, tc};
  double bottom_text = top;
  for (int i = 0; i < 2; i++) {
    double px = para_x(sh, r->wide, 1 + i), py = top;
    if (first && ex[i]) {
      draw_mark_line(sh, pg, px, py, ex[i], i == 1 && r->is_new,
                     i == 1 && r->becomes);
      py += sh->mark_h;
    }
    draw_block(sh, pg, px, py, pb[i], from[i], to[i], para_w(sh, r->wide, 1 + i),
               SB_ALIGN_LEFT);
    py += (to[i] - from[i]) * pb[i]->lh;
    if (py > bottom_text) bottom_text = py;
  }
  if (first && top + 3 * sh->grid_lh > bottom_text)
    bottom_text = top + 3 * sh->grid_lh;
  /* column rules: the wide part spans B..E, so no rule between C and E */
  double ytop = y, ybot = y + h;
  /* left edges of B, C, E (evidence) and D (assessment), in that order */
  double rx[4] = {sh->x[1], sh->x[2] + (r->wide ? sh->w[4] / 2 : 0), sh->x[4],
                  sh->x[3]};
  for (int c = 0; c < 4; c++) {
    if (r->wide && c == 2) continue;
    double yb = ybot;
    if (r->wide && last && c == 1) yb = bottom_text + 2;
    sb_lay_line(lay, pg, rx[c], ytop, rx[c], yb, st->table_rule_width,
                st->rule, 0);
  }
  if (!r->wide) {
    int n = (int)((h - 2 * sh->pad - 2) / sh->ev_gap);
    if (n < 3) n = 3;
    ruled_lines(sh, pg, sh->x[4] + sh->pad, sh->x[4] + sh->w[4] - sh->pad,
                top - 2, n);
  } else if (last) {
    double ey = bottom_text + 4, ex0 = sh->x[1] + sh->pad;
    sb_lay_text_at(lay, pg, ex0, ey + st->size_tiny, SB_FONT_BOLD,
                   st->size_tiny, st->muted, SB_ALIGN_LEFT,
                   L(sh, SB_L_EVIDENCE), &sh->src);
    ruled_lines(sh, pg, ex0, sh->x[3] - sh->pad, ey + sh->ev_label_h - 4,
                sh->ev_lines);
  }
  sb_lay_line(lay, pg, x0, ybot, x1, ybot, 0.6, st->muted, 0);
  sb_lay_skip(lay, h);
}

static sb_status place_row(sheet *sh, const row *r) {
  sb_lay *lay = sh->lay;
  double body = sb_lay_bottom(lay) - sb_lay_top(lay);
  double top_h = row_top_h(sh, r), ev_h = row_ev_h(sh, r);
  double h = top_h + ev_h + 2 * sh->pad;
  /* a row that fits on a page moves whole to the next page */
  double need = h + (sh->header_page != sb_lay_page(lay) ? sh->header_h : 0);
  if (sb_lay_y(lay) + need > sb_lay_bottom(lay) + EPS &&
      h + sh->header_h <= body + EPS)
    if (sb_lay_new_page(lay)) return sb_lay_status(lay);
  int fb = 0, fc = 0, first = 1;
  double lh = r->pcur.n ? r->pcur.lh : r->ptgt.lh;
  if (lh <= 0) lh = sh->size * sh->st->leading;
  for (int guard = 0; guard < 100000; guard++) {
    if (sh->header_page != sb_lay_page(lay)) draw_header(sh);
    double room = sb_lay_bottom(lay) - sb_lay_y(lay) - 2 * sh->pad;
    double fixed = first ? sh->mark_h : 0;
    int lb = r->pcur.n - fb, lc = r->ptgt.n - fc;
    int left = lb > lc ? lb : lc;
    double min_first = first ? (r->a_h > 3 * sh->grid_lh ? r->a_h : 3 * sh->grid_lh) : 0;
    double rest = (first ? top_h : fixed + left * lh) + ev_h;
    if (rest <= room + EPS) {
      double ph = rest + 2 * sh->pad;
      draw_row_part(sh, r, fb, r->pcur.n, fc, r->ptgt.n, first, 1, ph);
      return sb_lay_status(lay);
    }
    /* split between lines: as many as fit, at least one carried over
    ** with the evidence */
    int fit = (int)((room - fixed + EPS) / lh);
    if (fit > left - 1) fit = left - 1;
    int fresh = sb_lay_y(lay) <= sb_lay_top(lay) + sh->header_h + EPS;
    if (fit < 1 || (first && room < min_first)) {
      if (!fresh) {
        if (sb_lay_new_page(lay)) return sb_lay_status(lay);
        continue;
      }
      if (fit < 1) fit = 1;  /* a line taller than a page: cannot happen */
    }
    int tb = fb + (fit < lb ? fit : lb), tc = fc + (fit < lc ? fit : lc);
    double ph = fixed + fit * lh;
    if (first && ph < min_first) ph = min_first;
    draw_row_part(sh, r, fb, tb, fc, tc, first, 0, ph + 2 * sh->pad);
    fb = tb;
    fc = tc;
    first = 0;
    if (sb_lay_new_page(lay)) return sb_lay_status(lay);
  }
  return sb_fail(sh->ctx, SB_E_INTERNAL, "sheet row does not fit");
}

/* ==== The document ==== */

/* The widest word of a label at a size, in points (what a wrapped cell
** needs at least, so that no word breaks between characters). */
static double widest_word(sheet *sh, int font, double size, const char *s) {
  double best = 0;
  char buf[256];
  while (*s) {
    while (*s == ' ') s++;
    size_t n = 0;
    while (s[n] && s[n] != ' ') n++;
    if (n) {
      size_t k = n < sizeof buf - 1 ? n : sizeof buf - 1;
      memcpy(buf, s, k);
      buf[k] = 0;
      double w = sb_lay_measure(sh->lay, font, size, buf);
      if (w > best) best = w;
    }
    s += n;
  }
  return best;
}

static void geometry(sheet *sh, const row *rows, int nrows) {
  const sb_style *st = sh->st;
  sb_lay *lay = sh->lay;
  double x0 = sb_lay_left(lay), cw = sb_lay_right(lay) - x0;
  sh->pad = st->cell_pad;
  sh->size = st->size_small + 0.5;
  sh->mark_h = st->size_small * 1.6;
  sh->grid_lh = st->size_small * 2.0;
  double gl = 0;
  sb_label_id who[3] = {SB_L_SELF, SB_L_MANAGER, SB_L_AGREED};
  for (int i = 0; i < 3; i++) {
    double w = sb_lay_measure(lay, i == 2 ? SB_FONT_BOLD : SB_FONT_REGULAR,
                              st->size_small, L(sh, who[i]));
    if (w > gl) gl = w;
  }
  sh->grid_label_w = gl + 5;
  /* each check box column holds its scale word ("working towards") with
  ** no word broken, and a box with air around it */
  sb_label_id sc[3] = {SB_L_WORKING_TOWARDS, SB_L_MEETING, SB_L_EXCEEDING};
  double bw = st->size_small * 0.95 + 8;
  for (int i = 0; i < 3; i++) {
    double w = widest_word(sh, SB_FONT_REGULAR, st->size_tiny, L(sh, sc[i])) + 4;
    if (w > bw) bw = w;
  }
  /* left to right: skill, current, target, evidence, assessment; a wide
  ** row gives the evidence column to the paragraphs, so the check boxes
  ** stay under their header. Long labels (es, ru) widen the assessment
  ** column, taken from the evidence column first, then the paragraphs. */
  double f[5] = {0.13, 0.255, 0.255, 0.21, 0.15};
  double w[5];
  for (int i = 0; i < 5; i++) w[i] = cw * f[i];
  double need = 2 * sh->pad + sh->grid_label_w + 3 * bw;
  if (need > cw * 0.24) need = cw * 0.24;
  if (need > w[3]) {
    double extra = need - w[3], from_e = w[4] - cw * 0.15;
    if (from_e > extra) from_e = extra;
    if (from_e < 0) from_e = 0;
    w[4] -= from_e;
    w[1] -= (extra - from_e) / 2;
    w[2] -= (extra - from_e) / 2;
    w[3] = need;
  }
  /* the skill column holds the longest word of every skill's name (ru:
  ** "Автоматизированное") unbroken, taken from the paragraphs */
  double aw = 0;
  for (int i = 0; i < nrows; i++) {
    const sb_skill *sk = &sh->cat->skills[rows[i].skill];
    double a = widest_word(sh, SB_FONT_BOLD, st->size_body, sk->name);
    double g = widest_word(sh, SB_FONT_REGULAR, st->size_tiny,
                           sh->cat->groups[sk->group].name);
    if (a < g) a = g;
    if (a > aw) aw = a;
  }
  aw += 2 * sh->pad + 1;
  if (aw > cw * 0.2) aw = cw * 0.2;
  if (aw > w[0]) {
    w[1] -= (aw - w[0]) / 2;
    w[2] -= (aw - w[0]) / 2;
    w[0] = aw;
  }
  static const int order[5] = {0, 1, 2, 4, 3};
  double x = x0;
  for (int k = 0; k < 5; k++) {
    int i = order[k];
    sh->x[i] = x;
    sh->w[i] = k < 4 ? w[i] : x0 + cw - x;
    x += sh->w[i];
  }
  sh->xr = x0 + cw;
  double maxgl = (sh->w[3] - 2 * sh->pad) * 0.45;
  if (sh->grid_label_w > maxgl) sh->grid_label_w = maxgl;
  sh->ev_gap = st->size_body * 1.8;
  sh->ev_lines = 3;
  sh->ev_label_h = st->size_tiny + 4;
}

/* The names the sheet prints in places that cannot grow, bounded once
** (docs-imp.h): the role and levels at the top, the levels in the header
** row, role and levels in the footer, the catalogue's title and version.
** Needs the geometry (column widths). */
static sb_status bound_names(sheet *sh) {
  sb_lay *lay = sh->lay;
  const sb_style *st = sh->st;
  const sb_catalog *cat = sh->cat;
  const sb_role *r = &cat->roles[sh->role];
  const sb_level *a = &cat->levels[sh->from], *b = &cat->levels[sh->to];
  double cw = sb_lay_right(lay) - sb_lay_left(lay);
#define NAME(o, kind, font, size, width, lines)                          \
  sb_docs_bound(lay, kind, (o)->id, (o)->file, (o)->line, (o)->name, font, \
                size, width, lines)
  sh->title_role = NAME(r, "role", SB_FONT_BOLD, st->size_h1 + 3, cw,
                        SB_LINES_TITLE);
  sh->line_from = NAME(a, "level", SB_FONT_BOLD, st->size_h2, cw,
                       SB_LINES_LINE);
  sh->line_to = NAME(b, "level", SB_FONT_BOLD, st->size_h2, cw,
                     SB_LINES_LINE);
  sh->head_from = NAME(a, "level", SB_FONT_BOLD, st->size_small,
                       sh->w[1] - 2 * sh->pad, SB_LINES_HEAD);
  sh->head_to = NAME(b, "level", SB_FONT_BOLD, st->size_small,
                     sh->w[2] - 2 * sh->pad, SB_LINES_HEAD);
  /* the footer: "ROLE — FROM → TO — page X of Y" on one line */
  const char *fr = NAME(r, "role", SB_FONT_REGULAR, st->size_small,
                        cw * 0.34, SB_LINES_ONE);
  const char *ff = NAME(a, "level", SB_FONT_REGULAR, st->size_small,
                        cw * 0.2, SB_LINES_ONE);
  const char *ft = NAME(b, "level", SB_FONT_REGULAR, st->size_small,
                        cw * 0.2, SB_LINES_ONE);
#undef NAME
  sh->foot_name = sb_arena_printf(sh->arena,
                                  "%s \xE2\x80\x94 %s \xE2\x86\x92 %s",
                                  fr, ff, ft);
  sb_docs_bound_head_foot(lay, cat, &sh->head_title, &sh->version);
  if (!sh->foot_name) return oom(sh);
  return sb_lay_status(lay);
}

sb_status sb_layout_sheet(sb_ctx *ctx, const sb_catalog *cat, int role,
                          int from, int to, const char *person,
                          const char *reviewer, const sb_style *st,
                          const sb_labels *lb, const sb_fontset *fs,
                          sb_dl *out) {
  if (role < 0 || role >= cat->nroles)
    return sb_fail(ctx, SB_E_USAGE, "no role with index %d", role);
  if (from < 0 || from >= cat->nlevels || to < 0 || to >= cat->nlevels ||
      cat->levels[from].index >= cat->levels[to].index)
    return sb_fail(ctx, SB_E_USAGE, "bad levels %d -> %d for a sheet", from,
                   to);
  sheet sh;
  memset(&sh, 0, sizeof sh);
  sh.ctx = ctx;
  sh.cat = cat;
  sh.role = role;
  sh.from = from;
  sh.to = to;
  sh.person = person && *person ? person : NULL;
  sh.reviewer = reviewer && *reviewer ? reviewer : NULL;
  sh.st = st;
  sh.lb = lb;
  sh.fs = fs;
  sh.arena = out->arena;
  sh.role_name = cat->roles[role].name;
  sh.from_name = cat->levels[from].name;
  sh.to_name = cat->levels[to].name;
  sh.src.file = cat->path;
  sh.src.what = "sheet";
  sh.header_page = -1;
  sh.skills = sb_arena_alloc(out->arena, (size_t)(cat->nskills + 1) * sizeof(int));
  row *rows = sb_arena_calloc(out->arena, (size_t)(cat->nskills + 1) * sizeof *rows);
  if (!sh.skills || !rows) return oom(&sh);
  int nrows = 0;
  for (int s = 0; s < cat->nskills; s++) {
    const sb_skill *sk = &cat->skills[s];
    const sb_expect *c = sb_cat_expect(cat, sk, from, role);
    const sb_expect *t = sb_cat_expect(cat, sk, to, role);
    if (!c && !t) continue;
    row *r = &rows[nrows++];
    sh.skills[sh.nskills++] = s;
    r->skill = s;
    r->cur = c;
    r->tgt = t;
    r->is_new = t && !c;
    r->becomes = t && c && t->mandatory && !c->mandatory;
    if (t) {
      sh.n_target++;
      if (t->mandatory) sh.n_mand++;
    }
    if (r->is_new) sh.n_new++;
    if (r->becomes) sh.n_becomes++;
  }
  long long date = sb_doc_date(cat, sh.skills, sh.nskills);
  sb_label_date(lb, date, sh.date, sizeof sh.date);

  int landscape = st->sheet_landscape;
  sh.lay = sb_new_lay(ctx, out->arena, out, st, fs, landscape);
  if (!sh.lay) return ctx->status ? ctx->status : SB_E_LIMIT;
  sb_lay_set_furniture(sh.lay, furniture, &sh);
  geometry(&sh, rows, nrows);
  sb_status s = bound_names(&sh);
  if (!s) s = title_block(&sh);
  if (!s) s = build_header(&sh);
  for (int i = 0; i < nrows && !s; i++) {
    if ((s = prepare_row(&sh, &rows[i]))) break;
    s = place_row(&sh, &rows[i]);
  }
  if (!s) s = sb_lay_finish(sh.lay);
  sb_drop_lay(sh.lay);
  if (s) return s;

  sb_docinfo *in = &out->info;
  in->title = sb_arena_printf(out->arena, "%s \xE2\x80\x94 %s: %s \xE2\x86\x92 %s",
                              sh.role_name, L(&sh, SB_L_SHEET), sh.from_name,
                              sh.to_name);
  in->author = cat->author;
  in->subject = cat->title ? sb_arena_printf(out->arena, "%s: %s",
                                             L(&sh, SB_L_SHEET), cat->title)
                           : L(&sh, SB_L_SHEET);
  in->keywords = sb_arena_printf(out->arena, "%s, %s, %s", cat->roles[role].id,
                                 cat->levels[from].id, cat->levels[to].id);
  in->creator = "skillbook " SB_VERSION;
  in->lang = cat->lang ? cat->lang : "en";
  in->date = date;
  return SB_OK;
}
