/*
** docs/sheet-head.c -- the sheet's page one and its furniture.
**
** Page one opens with the role (for a move between roles "Role A → Role
** B"), "current -> target" levels, then three fields in a row -- name,
** reviewer, date -- ruled for handwriting or printed from the review.
** A printed value wraps inside its own field, under its label's line, on
** at most two lines (SB_LINES_LINE): a longer one is cut with an ellipsis
** and a warning naming the field (so `--strict` fails the document), and
** never reaches the next field's label. Then the summary (figures of the
** rows shown; a filtered sheet says what it shows: "showing only what
** changes between the levels", the domain, "12 of 40 skills shown"), the
** legend and the note. Every page carries the running header ("Level
** comparison", the catalogue's title, the style's logo) and the footer
** (role and levels -- a pack's starts with the person -- page X of Y
** within the sheet, the catalogue's version and date).
** Tests: tests/cli/sheet.sh, tests/cli/sheet_review.sh
*/
#include <stdio.h>
#include <string.h>

#include "sheet-imp.h"

static sb_status oom(sheet *sh) {
  return sb_fail_arena(sh->ctx);
}

/* ==== Furniture ==== */

void sb_sheet_furniture(sheet *sh, sb_lay *lay, int page, int npages) {
  sb_furniture f = {sh->lb, sh->arena, sh->cat->path, L(sh, SB_L_SHEET),
                    sh->head_title, sh->foot_name,
                    sb_docs_version_date(sh->arena, sh->lb, sh->version,
                                         sh->date), 0};
  sb_docs_furniture(lay, &f, page, npages);
}

/* ==== Fields ==== */

/* One field of the row under the title: its bold label, then its value
** wrapped in the rest of the field's width on at most two lines (each on
** a rule), or one blank rule. page < 0 only measures. Returns the height
** of its lines. Label and value share size and top, so their baselines
** meet. vlang: the value's language when it is written in the labels'
** words (a date), else NULL. */
static double field(sheet *sh, int page, double x, double w, double y,
                    const char *label, const char *value, const char *vlang,
                    const char *q, const char *tip) {
  const sb_style *st = sh->st;
  double size = st->size_body;
  sb_span ls = LS(sh, label, SB_FONT_BOLD, st->text);
  double lw = sb_lay_measure(sh->lay, SB_FONT_BOLD, size, label);
  double fx = x + lw + 6, fx1 = x + w - 14;
  if (fx1 < fx + 20) fx1 = fx + 20;
  double lh = sb_lay_box(sh->lay, -1, x, y, lw + 1, &ls, 1, size,
                         SB_ALIGN_LEFT, &sh->src);
  double h = lh;
  if (page >= 0) { /* one P: the label, then its field or value */
    if (sh->dl) sb_dl_add_mark(sh->ctx, sh->dl, page, SB_OP_BEGIN,
                               SB_STRUCT_P, 0);
    sb_lay_box(sh->lay, page, x, y, lw + 1, &ls, 1, size, SB_ALIGN_LEFT,
               &sh->src);
  }
  if (page >= 0 && sh->rv->fillable) {
    /* the field over the rules, before the value's text (its appearance) */
    double fh = lh;
    if (value) {
      sb_span vs = span(value, SB_FONT_REGULAR, st->text);
      fh = sb_lay_box(sh->lay, -1, fx + 3, y, fx1 - fx - 3, &vs, 1, size,
                      SB_ALIGN_LEFT, &sh->src);
      if (fh < lh) fh = lh;
    }
    sb_sheet_field(sh, page, fx, y, fx1 - fx, fh, SB_FIELD_TEXT, "_head", q,
                   NULL, value, tip);
  }
  if (value) {
    sb_span vs = span(value, SB_FONT_REGULAR, st->text);
    vs.lang = vlang;
    h = sb_lay_box(sh->lay, page, fx + 3, y, fx1 - fx - 3, &vs, 1, size,
                   SB_ALIGN_LEFT, &sh->src);
    if (h < lh) h = lh;
  }
  if (page >= 0) {
    for (double ry = y + lh; ry <= y + h + 0.5; ry += lh)
      sb_lay_line(sh->lay, page, fx, ry - size * 0.12, fx1,
                  ry - size * 0.12, 0.6, st->text, 0);
    if (sh->dl) sb_dl_add_mark(sh->ctx, sh->dl, page, SB_OP_END,
                               SB_STRUCT_P, 0);
  }
  return h;
}

/* The field's value bounded to two lines of its room (a warning names
** the field when cut); NULL stays NULL. */
static const char *field_value(sheet *sh, double w, const char *label,
                               const char *value, const char *what) {
  if (!value || !*value) return NULL;
  double lw = sb_lay_measure(sh->lay, SB_FONT_BOLD, sh->st->size_body, label);
  double room = w - 14 - lw - 6 - 3;
  if (room < 17) room = 17;
  return sb_docs_bound(sh->lay, what, NULL, NULL, 0, value, SB_FONT_REGULAR,
                       sh->st->size_body, room, SB_LINES_LINE);
}

static sb_status fields(sheet *sh) {
  sb_lay *lay = sh->lay;
  double x0 = sb_lay_left(lay), cw = sb_lay_right(lay) - x0;
  const double share[3] = {0.37, 0.41, 0.22};
  const char *label[3] = {
      sb_arena_printf(sh->arena, "%s:", L(sh, SB_L_NAME)),
      sb_arena_printf(sh->arena, "%s:", L(sh, SB_L_REVIEWER)),
      sb_arena_printf(sh->arena, "%s:", L(sh, SB_L_DATE))};
  if (!label[0] || !label[1] || !label[2]) return oom(sh);
  const char *value[3] = {
      field_value(sh, cw * share[0], label[0], sh->person,
                  "the person's name (--person)"),
      field_value(sh, cw * share[1], label[1], sh->reviewer,
                  "the reviewer's name (--reviewer)"),
      field_value(sh, cw * share[2], label[2],
                  sh->field_date[0] ? sh->field_date : NULL,
                  "the date (--date)")};
  static const char *const q[3] = {"name", "reviewer", "date"};
  const char *tip[3] = {L(sh, SB_L_NAME), L(sh, SB_L_REVIEWER),
                        L(sh, SB_L_DATE)};
  double h = 0, x = x0;
  for (int i = 0; i < 3; i++) {
    double k = field(sh, -1, x, cw * share[i], 0, label[i], value[i],
                     i == 2 ? sh->llang : NULL, q[i], tip[i]);
    if (k > h) h = k;
    x += cw * share[i];
  }
  if (sb_lay_need(lay, h + 4)) return sb_lay_status(lay);
  int pg = sb_lay_page(lay);
  double y = sb_lay_y(lay);
  x = x0;
  for (int i = 0; i < 3; i++) {
    field(sh, pg, x, cw * share[i], y, label[i], value[i],
          i == 2 ? sh->llang : NULL, q[i], tip[i]);
    x += cw * share[i];
  }
  return sb_lay_skip(lay, h + 10);
}

/* ==== Page one ==== */

double sb_sheet_flag_at(sheet *sh, int page, double x, double base,
                        int which) {
  double size = sh->st->size_small - 0.5, w = sh->flag_w[which];
  sb_span text = LS(sh, L(sh, which ? SB_L_BECOMES_MANDATORY : SB_L_NEW),
                    SB_FONT_BOLD, sh->st->text);
  sb_lay_rect(sh->lay, page, x, base - size * 0.92, w + size * 0.8,
              size * 1.24, 0, sh->st->text, 0.6, sh->st->text);
  sb_lay_span_at(sh->lay, page, x + size * 0.4, base, size, SB_ALIGN_LEFT,
                 &text, &sh->src);
  return w + size * 0.8;
}

/* What a filtered sheet shows, one muted line: "showing ... · Domain:
** X · 12 of 40 skills shown", as spans into sp[3] (the labels, the
** domain's name, the labels); returns their count, 0 for a sheet of every
** row. One span unless the labels are in another language. */
static int showing(sheet *sh, sb_span sp[3]) {
  const sb_review *rv = sh->rv;
  const sb_style *st = sh->st;
  if (rv->only == SB_ONLY_ALL && rv->domain < 0) return 0;
  char n[128];
  sb_docs_fill_numbers(n, sizeof n, L(sh, SB_L_SHEET_SHOWN), sh->nrows,
                       sh->total);
  const char *only = rv->only == SB_ONLY_MANDATORY
                         ? L(sh, SB_L_SHEET_ONLY_MANDATORY)
                         : rv->only == SB_ONLY_CHANGED
                               ? L(sh, SB_L_SHEET_ONLY_CHANGED)
                               : NULL;
  const char *name = rv->domain >= 0 ? sh->cat->domains[rv->domain].name : NULL;
  const char *sep = "  \xC2\xB7  ";
  if (name && sh->llang) { /* the domain's name is the catalogue's text */
    sp[0] = LS(sh, sb_arena_printf(sh->arena, "%s%s%s: ", only ? only : "",
                                   only ? sep : "", L(sh, SB_L_DOMAIN)),
               SB_FONT_BOLD, st->accent);
    sp[1] = span(name, SB_FONT_BOLD, st->accent);
    sp[2] = LS(sh, sb_arena_printf(sh->arena, "%s%s", sep, n), SB_FONT_BOLD,
               st->accent);
    return 3;
  }
  const char *dom = name ? sb_arena_printf(sh->arena, "%s: %s",
                                           L(sh, SB_L_DOMAIN), name)
                         : NULL;
  sp[0] = span(sb_arena_printf(sh->arena, "%s%s%s%s%s", only ? only : "",
                               only ? sep : "", dom ? dom : "",
                               dom ? sep : "", n),
               SB_FONT_BOLD, st->accent);
  if (!name) sp[0].lang = sh->llang;
  return 1;
}

sb_status sb_sheet_title_block(sheet *sh) {
  sb_lay *lay = sh->lay;
  const sb_style *st = sh->st;
  double x0 = sb_lay_left(lay);
  if (sb_lay_new_page(lay)) return sb_lay_status(lay);
  sh->at.page = sb_lay_page(lay);
  sh->at.y = sb_lay_top(lay);
  if (sh->outline_name) /* a book: the pack's bookmark, its domains under */
    sb_lay_outline(lay, sh->outline_name, 0, sh->at.page, sh->at.y);
  int pg;

  /* the role, then current -> target */
  sb_span rs = span(sh->title_role, SB_FONT_BOLD, st->text);
  sb_para p = para(&rs, 1, st->size_h1 + 3);
  p.leading = 1.2;
  p.heading = 1;
  p.src = sh->src;
  sb_lay_para(lay, &p, NULL, NULL);
  p.heading = 0;
  sb_span ls[5] = {
      LS(sh, sb_arena_printf(sh->arena, "%s: ", L(sh, SB_L_CURRENT)),
         SB_FONT_REGULAR, st->muted),
      span(sh->line_from, SB_FONT_BOLD, st->text),
      span("   \xE2\x86\x92   ", SB_FONT_BOLD, st->text),
      LS(sh, sb_arena_printf(sh->arena, "%s: ", L(sh, SB_L_TARGET)),
         SB_FONT_REGULAR, st->muted),
      span(sh->line_to, SB_FONT_BOLD, st->text)};
  p.spans = ls;
  p.nspans = 5;
  p.size = st->size_h2;
  p.space_before = 2;
  p.space_after = 12;
  sb_lay_para(lay, &p, NULL, NULL);

  /* fields to fill in by hand, or printed */
  sb_status s = fields(sh);
  if (s) return s;

  /* the summary: figures in bold */
  sb_span ss[8];
  int k = 0;
  const int fig[4] = {sh->n_target, sh->n_mand, sh->n_new, sh->n_becomes};
  const sb_label_id what[4] = {SB_L_SHEET_SUM_TARGET, SB_L_SHEET_SUM_MANDATORY,
                               SB_L_SHEET_SUM_NEW, SB_L_SHEET_SUM_BECOMES};
  for (int i = 0; i < 4; i++) {
    ss[k++] = span(sb_arena_printf(sh->arena, "%d", fig[i]), SB_FONT_BOLD,
                   st->text);
    ss[k++] = LS(sh, sb_arena_printf(sh->arena, " %s%s", L(sh, what[i]),
                                     i < 3 ? "  \xC2\xB7  " : ""),
                 SB_FONT_REGULAR, st->text);
  }
  for (int i = 0; i < k; i++)
    if (!ss[i].text) return oom(sh);
  p = para(ss, k, st->size_body + 0.5);
  p.space_after = 5;
  p.src = sh->src;
  sb_span ws[3];
  int shown = showing(sh, ws);
  for (int i = 0; i < shown; i++)
    if (!ws[i].text) return oom(sh);
  if (shown) p.space_after = 2;
  sb_lay_para(lay, &p, NULL, NULL);
  if (shown) {
    p = para(ws, shown, st->size_small);
    p.space_after = 5;
    p.src = sh->src;
    sb_lay_para(lay, &p, NULL, NULL);
  }

  /* the legend: marks, flags, bold words */
  if (sb_lay_need(lay, 16)) return sb_lay_status(lay);
  pg = sb_lay_page(lay);
  double sz = st->size_small, base = sb_lay_y(lay) + sz + 1, x = x0;
  double ms = sz * 0.8;
  sb_span lg[5] = {
      LS(sh, sb_arena_printf(sh->arena, "%s:", L(sh, SB_L_LEGEND)),
         SB_FONT_BOLD, st->text),
      LS(sh, L(sh, SB_L_MANDATORY), SB_FONT_REGULAR, st->text),
      LS(sh, L(sh, SB_L_OPTIONAL), SB_FONT_REGULAR, st->text),
      LS(sh, L(sh, SB_L_SHEET_ADDED), SB_FONT_BOLD, st->text),
      LS(sh, sb_arena_printf(sh->arena, " \xE2\x80\x94 %s",
                             L(sh, SB_L_SHEET_ADDED_TEXT)),
         SB_FONT_REGULAR, st->text)};
  x += sb_lay_span_at(lay, pg, x, base, sz, SB_ALIGN_LEFT, &lg[0], &sh->src) + 8;
  sb_lay_mark_at(lay, pg, x, base - ms * 0.95, ms, SB_MARK_FILLED, st->text);
  x += ms + 3;
  x += sb_lay_span_at(lay, pg, x, base, sz, SB_ALIGN_LEFT, &lg[1], &sh->src) + 12;
  sb_lay_mark_at(lay, pg, x, base - ms * 0.95, ms, SB_MARK_OPEN, st->text);
  x += ms + 3;
  x += sb_lay_span_at(lay, pg, x, base, sz, SB_ALIGN_LEFT, &lg[2], &sh->src) + 12;
  x += sb_sheet_flag_at(sh, pg, x, base, 0) + 8;
  x += sb_sheet_flag_at(sh, pg, x, base, 1) + 12;
  x += sb_lay_span_at(lay, pg, x, base, sz, SB_ALIGN_LEFT, &lg[3], &sh->src);
  sb_lay_span_at(lay, pg, x, base, sz, SB_ALIGN_LEFT, &lg[4], &sh->src);
  sb_lay_skip(lay, sz + 8);

  sb_span ns = LS(sh, L(sh, SB_L_SHEET_NOTE), SB_FONT_ITALIC, st->muted);
  p = para(&ns, 1, st->size_small);
  p.space_after = 8;
  p.src = sh->src;
  sb_lay_para(lay, &p, NULL, NULL);
  return sb_lay_status(lay);
}

/* ==== Names bounded once ==== */

sb_status sb_sheet_bound_names(sheet *sh) {
  sb_lay *lay = sh->lay;
  const sb_style *st = sh->st;
  const sb_catalog *cat = sh->cat;
  const sb_role *r = &cat->roles[sh->role], *r2 = &cat->roles[sh->to_role];
  const sb_level *a = &cat->levels[sh->from], *b = &cat->levels[sh->to];
  double cw = sb_lay_right(lay) - sb_lay_left(lay);
  sb_arena *ar = sh->arena;
#define NAME(o, kind, font, size, width, lines)                          \
  sb_docs_bound(lay, kind, (o)->id, (o)->file, (o)->line, (o)->name, font, \
                size, width, lines)
  /* a move between roles names both roles wherever a level is named */
  const char *from = a->name, *to = b->name;
  if (sh->cross) {
    from = sb_arena_printf(ar, "%s \xC2\xB7 %s", r->name, a->name);
    to = sb_arena_printf(ar, "%s \xC2\xB7 %s", r2->name, b->name);
    if (!from || !to) return oom(sh);
  }
  sb_src bs = {cat->path, 0, NULL};
#define BOUND(text, kind, font, size, width, lines) \
  (bs.what = (kind), sb_lay_bound(lay, text, font, size, width, lines, &bs))
  if (sh->cross) {
    const char *t = sb_arena_printf(ar, "%s \xE2\x86\x92 %s", r->name,
                                    r2->name);
    if (!t) return oom(sh);
    sh->title_role = BOUND(t, "the roles' names", SB_FONT_BOLD,
                           st->size_h1 + 3, cw, SB_LINES_TITLE);
    sh->line_from = BOUND(from, "current role and level", SB_FONT_BOLD,
                          st->size_h2, cw, SB_LINES_LINE);
    sh->line_to = BOUND(to, "target role and level", SB_FONT_BOLD,
                        st->size_h2, cw, SB_LINES_LINE);
    sh->head_from = BOUND(from, "current role and level", SB_FONT_BOLD,
                          st->size_small, sh->w[COL_CUR] - 2 * sh->pad,
                          SB_LINES_HEAD);
    sh->head_to = BOUND(to, "target role and level", SB_FONT_BOLD,
                        st->size_small, sh->w[COL_TGT] - 2 * sh->pad,
                        SB_LINES_HEAD);
  } else {
    sh->title_role = NAME(r, "role", SB_FONT_BOLD, st->size_h1 + 3, cw,
                          SB_LINES_TITLE);
    sh->line_from = NAME(a, "level", SB_FONT_BOLD, st->size_h2, cw,
                         SB_LINES_LINE);
    sh->line_to = NAME(b, "level", SB_FONT_BOLD, st->size_h2, cw,
                       SB_LINES_LINE);
    sh->head_from = NAME(a, "level", SB_FONT_BOLD, st->size_small,
                         sh->w[COL_CUR] - 2 * sh->pad, SB_LINES_HEAD);
    sh->head_to = NAME(b, "level", SB_FONT_BOLD, st->size_small,
                       sh->w[COL_TGT] - 2 * sh->pad, SB_LINES_HEAD);
  }
  /* the footer: "[PERSON · ]ROLE — FROM → TO — page X of Y", one line */
  const char *fr = NAME(r, "role", SB_FONT_REGULAR, st->size_small,
                        cw * 0.3, SB_LINES_ONE);
  const char *ff = NAME(a, "level", SB_FONT_REGULAR, st->size_small,
                        cw * 0.15, SB_LINES_ONE);
  const char *ft = sh->cross
                       ? BOUND(to, "target role and level", SB_FONT_REGULAR,
                               st->size_small, cw * 0.25, SB_LINES_ONE)
                       : NAME(b, "level", SB_FONT_REGULAR, st->size_small,
                              cw * 0.15, SB_LINES_ONE);
  /* a pack's footer starts with the person, cut short without a second
  ** warning (the field warns when the name is too long to print whole):
  ** bounded on a dry layout, which warns of nothing */
  const char *who = NULL;
  if (sh->person && sh->rv->pack) {
    sb_lay *dry = sb_new_lay(sh->ctx, ar, NULL, st, sh->fs,
                             st->sheet_landscape);
    if (!dry) return sh->ctx->status ? sh->ctx->status : SB_E_LIMIT;
    bs.what = "the person's name in the footer";
    who = sb_lay_bound(dry, sh->person, SB_FONT_REGULAR, st->size_small,
                       cw * 0.22, SB_LINES_ONE, &bs);
    sb_drop_lay(dry);
  }
#undef BOUND
#undef NAME
  sh->foot_name = sb_arena_printf(ar, "%s%s%s \xE2\x80\x94 %s \xE2\x86\x92 %s",
                                  who ? who : "", who ? " \xC2\xB7 " : "", fr,
                                  ff, ft);
  sb_docs_bound_head_foot(lay, cat, &sh->head_title, &sh->version);
  if (!sh->foot_name) return oom(sh);
  return sb_lay_status(lay);
}
