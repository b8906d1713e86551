/*
** docs/sheet-pack.c -- what a review pack adds after the comparison table.
**
** A sign-off block: "Sign-off", then two columns, the engineer's and the
** reviewer's, each with the person's name when the review gives it (two
** lines at most, bounded like the header fields), a signature line and a
** date line; the block is measured first and placed whole (sb_lay_need),
** never split over pages. Then "The target level's expectations in full":
** every skill where the target role has an expectation at the target
** level (within --domain; --only does not apply: this is the level's whole
** text), by domain under headings, each skill's name with its mandatory
** mark and word, then the full text; it starts below the sign-off when a
** third of the page is left there, else on the next page. It has a bookmark beside the
** domains' (under the person's in a book).
** Tests: tests/cli/sheet_review.sh
*/
#include <stdio.h>
#include <string.h>

#include "sheet-imp.h"

static sb_status oom(sheet *sh) {
  return sb_fail_arena(sh->ctx);
}

/* ==== Sign-off ==== */

/* One column of the block at (x, y), w wide: the title, the name (NULL:
** none), then "Signature:" and "Date:" each on a rule. page < 0 only
** measures. Returns its height. */
static double signer(sheet *sh, int page, double x, double y, double w,
                     const char *title, const char *name, const char *q) {
  const sb_style *st = sh->st;
  sb_lay *lay = sh->lay;
  double size = st->size_body, h = 0;
  sb_span ts = span(title, SB_FONT_BOLD, st->text);
  h += sb_lay_box(lay, page, x, y, w, &ts, 1, size, SB_ALIGN_LEFT, &sh->src);
  if (name) {
    sb_span ns = span(name, SB_FONT_REGULAR, st->text);
    h += sb_lay_box(lay, page, x, y + h, w, &ns, 1, size, SB_ALIGN_LEFT,
                    &sh->src);
  }
  const sb_label_id what[2] = {SB_L_SIGNATURE, SB_L_DATE};
  for (int i = 0; i < 2; i++) {
    h += 20; /* room to write above the rule */
    if (page >= 0) {
      const char *l = sb_arena_printf(sh->arena, "%s:", L(sh, what[i]));
      double lw = l ? sb_lay_text_at(lay, page, x, y + h, SB_FONT_REGULAR,
                                     st->size_small, st->muted,
                                     SB_ALIGN_LEFT, l, &sh->src)
                    : 0;
      sb_lay_line(lay, page, x + lw + 5, y + h + 2, x + w, y + h + 2, 0.6,
                  st->text, 0);
      if (i == 1) /* fillable: the date line is a field */
        sb_sheet_field(sh, page, x + lw + 5, y + h - 16, w - lw - 5, 20,
                       SB_FIELD_TEXT, "_signoff", q, NULL, NULL,
                       sb_arena_printf(sh->arena, "%s: %s", title,
                                       L(sh, what[i])));
    }
    h += 4;
  }
  return h;
}

sb_status sb_sheet_sign_off(sheet *sh) {
  sb_lay *lay = sh->lay;
  const sb_style *st = sh->st;
  double x0 = sb_lay_left(lay), cw = sb_lay_right(lay) - x0;
  double gap = cw * 0.08, w = (cw - gap) / 2;
  const char *who[2] = {sh->person, sh->reviewer};
  const char *title[2] = {L(sh, SB_L_ENGINEER), L(sh, SB_L_REVIEWER)};
  static const char *const q[2] = {"engineer-date", "reviewer-date"};
  for (int i = 0; i < 2; i++)
    if (who[i])
      who[i] = sb_docs_bound(lay, i ? "the reviewer's name (sign-off)"
                                    : "the person's name (sign-off)",
                             NULL, NULL, 0, who[i], SB_FONT_REGULAR,
                             st->size_body, w, SB_LINES_LINE);
  sb_span hs = span(L(sh, SB_L_SIGN_OFF), SB_FONT_BOLD, st->text);
  double hh = sb_lay_box(lay, -1, x0, 0, cw, &hs, 1, st->size_h2,
                         SB_ALIGN_LEFT, &sh->src);
  double h = 0;
  for (int i = 0; i < 2; i++) {
    double k = signer(sh, -1, 0, 0, w, title[i], who[i], q[i]);
    if (k > h) h = k;
  }
  double total = 14 + hh + 6 + h + 6;
  if (sb_lay_need(lay, total)) return sb_lay_status(lay);
  int pg = sb_lay_page(lay);
  double y = sb_lay_y(lay) + 14;
  sb_lay_line(lay, pg, x0, y - 7, x0 + cw, y - 7, st->table_rule_width,
              st->rule, 0);
  sb_lay_box(lay, pg, x0, y, cw, &hs, 1, st->size_h2, SB_ALIGN_LEFT,
             &sh->src);
  y += hh + 6;
  for (int i = 0; i < 2; i++)
    signer(sh, pg, x0 + i * (w + gap), y, w, title[i], who[i], q[i]);
  return sb_lay_skip(lay, total);
}

/* ==== The target level in full ==== */

sb_status sb_sheet_target_in_full(sheet *sh) {
  sb_lay *lay = sh->lay;
  const sb_style *st = sh->st;
  const sb_catalog *cat = sh->cat;
  const sb_review *rv = sh->rv;
  /* a part of its own: on the sign-off's page when a third of the page
  ** is left below it (no half-empty page before it), else on the next */
  double body = sb_lay_bottom(lay) - sb_lay_top(lay);
  sb_status s = sb_lay_space(lay, 24);
  if (!s) s = sb_lay_need(lay, body / 3);
  if (s) return s;
  sb_span hs[3] = {
      span(L(sh, SB_L_PACK_EXPECT), SB_FONT_BOLD, st->text),
      span(" \xE2\x80\x94 ", SB_FONT_REGULAR, st->muted),
      span(sh->line_to, SB_FONT_BOLD, st->accent)};
  sb_para p = para(hs, 3, st->size_h1);
  p.heading = 2;
  p.space_after = 10;
  p.src = sh->src;
  sb_lay_outline(lay, L(sh, SB_L_PACK_EXPECT), sh->depth, sb_lay_page(lay),
                 sb_lay_y(lay));
  sb_lay_para(lay, &p, NULL, NULL);
  int dom = -1;
  for (int i = 0; i < cat->nskills && !sb_lay_status(lay); i++) {
    const sb_skill *sk = &cat->skills[i];
    if (rv->domain >= 0 && sk->domain != rv->domain) continue;
    const sb_expect *e = sb_cat_expect(cat, sk, sh->to, sh->to_role);
    if (!e) continue;
    if (sk->domain != dom) {
      dom = sk->domain;
      sb_span ds = span(cat->domains[dom].name, SB_FONT_BOLD, st->accent);
      p = para(&ds, 1, st->size_h2);
      p.heading = 3;
      p.space_before = 8;
      p.space_after = 4;
      p.src = sh->src;
      sb_lay_para(lay, &p, NULL, NULL);
    }
    sb_span ns[2] = {
        span(sk->name, SB_FONT_BOLD, st->text),
        span(sb_arena_printf(sh->arena, "  \xC2\xB7  %s",
                             L(sh, e->mandatory ? SB_L_MANDATORY
                                                : SB_L_OPTIONAL)),
             e->mandatory ? SB_FONT_BOLD : SB_FONT_REGULAR,
             e->mandatory ? st->text : st->muted)};
    if (!ns[1].text) return oom(sh);
    p = para(ns, 2, st->size_body);
    p.indent = 12;
    p.mark = e->mandatory ? SB_MARK_FILLED : SB_MARK_OPEN;
    p.mark_color = st->text;
    p.keep_with_next = st->size_body * 2;
    p.space_before = 4;
    p.src.file = sk->file;
    p.src.line = sk->line;
    p.src.what = "skill name";
    sb_lay_para(lay, &p, NULL, NULL);
    sb_span ts = span(e->text, SB_FONT_REGULAR, st->text);
    p = para(&ts, 1, st->size_body);
    p.indent = 12;
    p.space_after = 2;
    p.src.file = sk->file;
    p.src.line = e->line;
    p.src.what = "expectation";
    sb_lay_para(lay, &p, NULL, NULL);
  }
  return sb_lay_status(lay);
}
