/*
** docs/furniture.c -- the running header and footer every document draws.
**
** One place for the page furniture of the handbook, the sheet and the
** profile (docs-imp.h), so the style's logo and footer line and the
** language's "page X of Y" and dates appear the same way in all three;
** and the small text helpers they share (names bounded to their places,
** a skill's keywords joined).
** A cover (sb_furniture.cover: the handbook's first page, the profile
** book's title page) prints no page number: it counts as page 1, so "page
** X of Y", the contents and the PDF viewer's page numbers all agree, but,
** like a book's title page, it does not say so.
** Tests: tests/cli/pdf_details.sh (the cover), tests/cli/styles.sh (branded: logo and footer in every kind),
** tests/cli/handbook.sh, sheet.sh, profile.sh (footers).
*/
#include <stdio.h>
#include <string.h>

#include "docs-imp.h"

void sb_docs_fill_numbers(char *buf, size_t size, const char *label, int a,
                          int b) {
  size_t o = 0;
  int k = 0;
  if (!size) return;
  for (const char *p = label; *p && o + 12 < size; p++) {
    if (p[0] == '%' && p[1] == 'd' && k < 2) {
      o += (size_t)snprintf(buf + o, size - o, "%d", k++ ? b : a);
      p++;
    } else {
      buf[o++] = *p;
    }
  }
  buf[o] = 0;
}

const char *sb_docs_version_date(sb_arena *arena, const sb_labels *lb,
                                 const char *version, const char *date) {
  int v = version && *version, d = date && *date;
  if (v && d)
    return sb_arena_printf(arena, "%s %s \xC2\xB7 %s",
                           sb_label(lb, SB_L_VERSION), version, date);
  if (v) return sb_arena_printf(arena, "%s %s", sb_label(lb, SB_L_VERSION),
                                version);
  return d ? date : NULL;
}

void sb_docs_iso_date(const sb_labels *lb, const char *iso, char *buf,
                      size_t size) {
  if (!size) return;
  buf[0] = 0;
  long long t = sb_doc_iso_time(iso);
  if (t >= 0) sb_label_date(lb, t, buf, size);
}

const char *sb_docs_bound(sb_lay *lay, const char *kind, const char *id,
                          const char *file, long line, const char *name,
                          int font, double size, double width, int lines) {
  char what[160];
  if (!name || !*name) return name;
  if (id)
    snprintf(what, sizeof what, "%s %.100s: name", kind, id);
  else
    snprintf(what, sizeof what, "%s", kind);
  sb_src src = {file, line, what};
  return sb_lay_bound(lay, name, font, size, width, lines, &src);
}

void sb_docs_bound_head_foot(sb_lay *lay, const sb_catalog *cat,
                             const char **head_title, const char **version) {
  const sb_style *st = sb_lay_style(lay);
  double cw = sb_lay_right(lay) - sb_lay_left(lay);
  *head_title = sb_docs_bound(lay, "catalogue title", NULL, cat->path, 0,
                              cat->title, SB_FONT_REGULAR, st->size_small,
                              cw * SB_HEAD_RIGHT_W, SB_LINES_ONE);
  *version = sb_docs_bound(lay, "catalogue version", NULL, cat->path, 0,
                           cat->version, SB_FONT_REGULAR, st->size_tiny,
                           cw * SB_FOOT_RIGHT_W, SB_LINES_ONE);
}

void sb_docs_furniture(sb_lay *lay, const sb_furniture *f, int page,
                       int npages) {
  sb_docs_furniture_num(lay, f, page, page + 1, npages);
}

void sb_docs_furniture_num(sb_lay *lay, const sb_furniture *f, int page,
                           int num, int total) {
  const sb_style *st = sb_lay_style(lay);
  double pw = sb_lay_page_w(lay), ph = sb_lay_page_h(lay);
  double x0 = sb_lay_left(lay), x1 = sb_lay_right(lay);
  sb_src src = {f->file, 0, "page footer"};
  char pg[256];
  sb_docs_fill_numbers(pg, sizeof pg, sb_label(f->lb, SB_L_PAGE_X_OF_Y),
                       num, total);
  const char *foot =
      f->foot_name
          ? sb_arena_printf(f->arena, "%s \xE2\x80\x94 %s", f->foot_name, pg)
          : sb_arena_strdup(f->arena, pg);
  double fy = ph - st->margin_bottom + st->size_small * 2.6;
  if (!f->cover) {
    sb_lay_line(lay, page, x0, fy - st->size_small * 1.5, x1,
                fy - st->size_small * 1.5, st->table_rule_width, st->rule, 0);
    if (foot)
      sb_lay_text_at(lay, page, pw / 2, fy, SB_FONT_REGULAR, st->size_small,
                     st->muted, SB_ALIGN_CENTER, foot, &src);
    if (f->foot_right)
      sb_lay_text_at(lay, page, x1, fy, SB_FONT_REGULAR, st->size_tiny,
                     st->muted, SB_ALIGN_RIGHT, f->foot_right, &src);
  }
  if (st->footer_text) { /* the style's footer line, under the rule's text */
    src.what = "style footer";
    sb_lay_text_at(lay, page, pw / 2, fy + st->size_tiny * 1.6,
                   SB_FONT_REGULAR, st->size_tiny, st->muted, SB_ALIGN_CENTER,
                   st->footer_text, &src);
  }
  if (!f->head_left) return;
  double hy = st->margin_top - st->size_small * 1.6;
  double tx1 = x1; /* the right text ends left of the logo, when there is one */
  src.what = "running header";
  if (st->logo_png && st->logo_px_h > 0) {
    double lh = st->size_small * 1.5;
    double lw = lh * st->logo_px_w / st->logo_px_h;
    sb_lay_image(lay, page, x1 - lw, hy - lh * 0.85, lw, lh, st->logo_png,
                 st->logo_len, st->logo_px_w, st->logo_px_h);
    tx1 = x1 - lw - st->size_small;
  }
  double lw = sb_lay_text_at(lay, page, x0, hy, SB_FONT_BOLD, st->size_small,
                             st->accent, SB_ALIGN_LEFT, f->head_left, &src);
  /* the right text only where it cannot run into the left one */
  if (f->head_right &&
      x0 + lw + 2 * st->size_small +
              sb_lay_measure(lay, SB_FONT_REGULAR, st->size_small,
                             f->head_right) <=
          tx1)
    sb_lay_text_at(lay, page, tx1, hy, SB_FONT_REGULAR, st->size_small,
                   st->muted, SB_ALIGN_RIGHT, f->head_right, &src);
  sb_lay_line(lay, page, x0, hy + st->size_small * 0.6, x1,
              hy + st->size_small * 0.6, st->table_rule_width, st->rule, 0);
}

char *sb_docs_join_keywords(sb_arena *arena, const sb_skill *sk) {
  size_t len = 1;
  for (int k = 0; k < sk->nkeywords; k++) len += strlen(sk->keywords[k]) + 2;
  char *kw = sb_arena_alloc(arena, len);
  if (!kw) return NULL;
  size_t o = 0;
  for (int k = 0; k < sk->nkeywords; k++) {
    size_t l = strlen(sk->keywords[k]);
    if (k) {
      memcpy(kw + o, ", ", 2);
      o += 2;
    }
    memcpy(kw + o, sk->keywords[k], l);
    o += l;
  }
  kw[o] = 0;
  return kw;
}
