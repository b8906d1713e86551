/*
** docs/sheet.c -- the level comparison sheet: one role, two levels; its
** rows and its table.
**
** What a manager and an engineer print before a review. Page one and the
** furniture are sheet-head.c's; a pack's sign-off block and the target
** level's expectations sheet-pack.c's. The rows: one per skill where the
** current role has an expectation at the current level or the target
** role one at the target level (a move between roles, --to-role, compares
** level against level by skill), in the catalogue's order, then filtered:
** --domain keeps one domain's skills; --only mandatory those mandatory at
** the target; --only changed those new at the target, becoming mandatory
** there, or whose text differs between the levels. The summary counts the
** rows shown. Then a table (sb_lay_table):
**
**   Skill   | Current level | Target level | Evidence    | Assessment
**   name,   | mark line,    | mark, flags, | ruled lines | self / manager /
**   group   | text          | text (added  | filling the | agreed x three
**           |               | words bold)  | cell        | open squares
**
** One table for every row, so one column layout for the whole sheet: a
** long row grows, it never changes columns, and every part of a row has
** the same columns as the header, on every page. The layout engine
** paginates: the header row repeats, a row that does not fit moves
** whole to the next page when less than a quarter of the page is left,
** else (and when taller than a page) it splits between lines and prints
** the skill's name again on every part (SB_REPEAT_FIRST);
** the evidence lines fill each part below any text. Mark lines and check
** boxes are cell drawing (sb_cell.draw), made with the row's start; so is
** a domain's name over the skill's name on the domain's first row (a
** heading in the display list), where its bookmark points: a sheet of more
** than two pages (and every pack in a book) keeps one per domain.
** Tests: tests/cli/sheet.sh, tests/cli/sheet_review.sh
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skillbook/docs.h"
#include "skillbook/layout.h"
#include "sheet-imp.h"
#include "sheet-diff.h"

static sb_status oom(sheet *sh) {
  return sb_fail_arena(sh->ctx);
}

/* The mark line over a paragraph: what the cell's drawing needs. */
typedef struct markline {
  struct sheet *sh;
  const sb_expect *e;
  int is_new, becomes;
} markline;

/* The bookmark of a domain, made where its first row starts. */
typedef struct dommark {
  sheet *sh;
  const char *title;  /* the bookmark's: the whole name */
  const char *label;  /* printed: bounded to two lines of the column */
} dommark;

/* The first row of a domain: the domain's name over the skill's, a
** heading (level 2) in the display list, and the bookmark pointing at it
** (the bookmarks a short sheet does not keep are dropped at the end). */
static void draw_domain_mark(sb_lay *lay, int page, double x, double y,
                             double w, double h, const void *user) {
  const dommark *d = user;
  sheet *sh = d->sh;
  const sb_style *st = sh->st;
  (void)h;
  sb_lay_outline(lay, d->title, sh->depth, page, y - sh->pad);
  if (sh->dl) sb_dl_add_mark(sh->ctx, sh->dl, page, SB_OP_BEGIN,
                             SB_STRUCT_HEADING, 2);
  sb_span sp = span(d->label, SB_FONT_BOLD, st->accent);
  sb_lay_box(lay, page, x, y, w, &sp, 1, st->size_tiny + 0.5, SB_ALIGN_LEFT,
             &sh->src);
  if (sh->dl) sb_dl_add_mark(sh->ctx, sh->dl, page, SB_OP_END,
                             SB_STRUCT_HEADING, 2);
}

/* ==== The table ==== */

/* The width of one check box column of the assessment. */
static double box_w(const sheet *sh) {
  return (sh->w[COL_ASSESS] - 2 * sh->pad - sh->grid_label_w) / 3;
}

/* "Assessment" centred over the check boxes, the scale under it; page < 0
** only measures. Returns the height. */
static double assess_head(const sheet *sh, sb_lay *lay, int page, double x,
                          double y) {
  const sb_style *st = sh->st;
  sb_color c = st->header_text;
  double bx = x + sh->grid_label_w, bw = box_w(sh);
  sb_span d = span(L(sh, SB_L_SHEET_ASSESS), SB_FONT_BOLD, c);
  double h = sb_lay_box(lay, page, bx, y, 3 * bw, &d, 1, st->size_small,
                        SB_ALIGN_CENTER, &sh->src) + 1;
  sb_label_id sc[3] = {SB_L_WORKING_TOWARDS, SB_L_MEETING, SB_L_EXCEEDING};
  double sh_h = 0;
  for (int i = 0; i < 3; i++) {
    sb_span w = span(L(sh, sc[i]), SB_FONT_REGULAR, c);
    double k = sb_lay_box(lay, page, bx + i * bw + 1, y + h, bw - 2, &w, 1,
                          st->size_tiny, SB_ALIGN_CENTER, &sh->src);
    if (k > sh_h) sh_h = k;
  }
  return h + sh_h;
}

static void draw_assess_head(sb_lay *lay, int page, double x, double y,
                             double w, double h, const void *user) {
  (void)w;
  (void)h;
  assess_head(user, lay, page, x, y);
}

/* The mark line above a paragraph: the mandatory/optional square and word,
** then the flags. */
static void draw_mark_line(sb_lay *lay, int page, double x, double y,
                           double w, double h, const void *user) {
  const markline *m = user;
  sheet *sh = m->sh;
  const sb_style *st = sh->st;
  const sb_expect *e = m->e;
  double sz = st->size_small, base = y + sz + 0.5, ms = sz * 0.8;
  (void)w;
  (void)h;
  sb_lay_mark_at(lay, page, x, base - ms * 0.95, ms,
                 e->mandatory ? SB_MARK_FILLED : SB_MARK_OPEN, st->text);
  x += ms + 3;
  x += sb_lay_text_at(lay, page, x, base,
                      e->mandatory ? SB_FONT_BOLD : SB_FONT_REGULAR, sz,
                      e->mandatory ? st->text : st->muted, SB_ALIGN_LEFT,
                      L(sh, e->mandatory ? SB_L_MANDATORY : SB_L_OPTIONAL),
                      &sh->src) + 7;
  if (m->is_new) x += sb_sheet_flag_at(sh, page, x, base, 0) + 5;
  if (m->becomes) sb_sheet_flag_at(sh, page, x, base, 1);
}

/* Self / Manager / Agreed, each with three check boxes under the scale:
** squares of sh->tick outlined thin, big enough to tick by hand. */
/* A row's cell drawing: the sheet and the row's skill (its fields). */
typedef struct rowdraw {
  sheet *sh;
  int skill;
} rowdraw;

static void draw_grid(sb_lay *lay, int page, double x, double y, double w,
                      double h, const void *user) {
  const rowdraw *rd = user;
  sheet *sh = rd->sh;
  const sb_style *st = sh->st;
  double bw = (w - sh->grid_label_w) / 3, s = sh->tick;
  sb_label_id who[3] = {SB_L_SELF, SB_L_MANAGER, SB_L_AGREED};
  (void)h;
  for (int i = 0; i < 3; i++) {
    double top = y + i * sh->grid_lh;
    double base = top + sh->grid_lh / 2 + st->size_small * 0.35;
    sb_lay_text_at(lay, page, x, base, i == 2 ? SB_FONT_BOLD : SB_FONT_REGULAR,
                   st->size_small, st->text, SB_ALIGN_LEFT, L(sh, who[i]),
                   &sh->src);
    for (int j = 0; j < 3; j++) {
      double bx = x + sh->grid_label_w + j * bw + (bw - s) / 2;
      double by = top + (sh->grid_lh - s) / 2;
      sb_lay_rect(lay, page, bx, by, s, s, 0, st->text, TICK_LINE, st->text);
      if (sh->rv->fillable) {
        static const char *const q[3] = {"self", "manager", "agreed"};
        static const char *const on[3] = {"towards", "meeting", "exceeding"};
        const sb_label_id sc[3] = {SB_L_WORKING_TOWARDS, SB_L_MEETING,
                                   SB_L_EXCEEDING};
        const sb_skill *sk = &sh->cat->skills[rd->skill];
        sb_sheet_field(sh, page, bx, by, s, s, SB_FIELD_RADIO, sk->id, q[i],
                       on[j], NULL,
                       sb_arena_printf(sh->arena, "%s: %s: %s", sk->name,
                                       L(sh, who[i]), L(sh, sc[j])));
      }
    }
  }
}

/* Fillable: the evidence cell's box is one multi-line text field. */
static void draw_notes(sb_lay *lay, int page, double x, double y, double w,
                       double h, const void *user) {
  const rowdraw *rd = user;
  sheet *sh = rd->sh;
  const sb_skill *sk = &sh->cat->skills[rd->skill];
  (void)lay;
  sb_sheet_field(sh, page, x, y, w, h, SB_FIELD_MULTILINE, sk->id, "notes",
                 NULL, NULL, sb_arena_printf(sh->arena, "%s: %s", sk->name,
                                             L(sh, SB_L_EVIDENCE)));
}

/* The header row: skill, current and target level, evidence, assessment. */
static sb_status header_cells(sheet *sh, sb_cell *hc) {
  const sb_style *st = sh->st;
  sb_color c = st->header_text;
  sb_span *sp = sb_arena_calloc(sh->arena, 8 * sizeof *sp);
  if (!sp) return oom(sh);
  sp[0] = span(L(sh, SB_L_SKILL), SB_FONT_BOLD, c);
  sp[1] = span(L(sh, SB_L_CURRENT), SB_FONT_REGULAR, c);
  sp[2] = span(": ", SB_FONT_REGULAR, c);
  sp[3] = span(sh->head_from, SB_FONT_BOLD, c);
  sp[4] = span(L(sh, SB_L_TARGET), SB_FONT_REGULAR, c);
  sp[5] = span(": ", SB_FONT_REGULAR, c);
  sp[6] = span(sh->head_to, SB_FONT_BOLD, c);
  sp[7] = span(L(sh, SB_L_EVIDENCE), SB_FONT_BOLD, c);
  memset(hc, 0, NCOLS * sizeof *hc);
  for (int i = 0; i < NCOLS; i++) hc[i].size = st->size_small;
  hc[COL_SKILL].spans = sp;
  hc[COL_SKILL].nspans = 1;
  hc[COL_CUR].spans = sp + 1;
  hc[COL_CUR].nspans = 3;
  hc[COL_TGT].spans = sp + 4;
  hc[COL_TGT].nspans = 3;
  hc[COL_EV].spans = sp + 7;
  hc[COL_EV].nspans = 1;
  hc[COL_ASSESS].min_h = sh->assess_h;
  hc[COL_ASSESS].draw = draw_assess_head;
  hc[COL_ASSESS].user = sh;
  return SB_OK;
}

/* An expectation's cell: the mark line drawn above its text, or the gap
** note where the role has none at that level. */
static sb_status para_cell(sheet *sh, const sheet_row *r, int tgt, sb_cell *c) {
  const sb_style *st = sh->st;
  const sb_expect *e = tgt ? r->tgt : r->cur;
  sb_span *sp = sb_arena_alloc(sh->arena, sizeof *sp);
  if (!sp) return oom(sh);
  c->spans = sp;
  c->nspans = 1;
  if (!e) {
    *sp = span(L(sh, SB_L_GAP), SB_FONT_ITALIC, st->muted);
    return SB_OK;
  }
  *sp = span(e->text, SB_FONT_REGULAR, st->text);
  if (tgt && r->cur && strcmp(r->cur->text, e->text) != 0) {
    sb_status s = sb_sheet_diff_spans(sh->ctx, sh->arena, r->cur->text,
                                      e->text, st->text, &sp, &c->nspans);
    if (s) return s;
    c->spans = sp;
  }
  markline *m = sb_arena_alloc(sh->arena, sizeof *m);
  if (!m) return oom(sh);
  m->sh = sh;
  m->e = e;
  m->is_new = tgt && r->is_new;
  m->becomes = tgt && r->becomes;
  c->above = sh->mark_h;
  c->draw = draw_mark_line;
  c->user = m;
  return SB_OK;
}

/* A row's cells: the skill's name with its group under it (printed again
** on every part of a split row), the two expectations, the evidence lines
** and the check boxes. */
static sb_status row_cells(sheet *sh, const sheet_row *r, sb_cell *c) {
  const sb_style *st = sh->st;
  const sb_skill *sk = &sh->cat->skills[r->skill];
  const sb_group *g = &sh->cat->groups[sk->group];
  double aw = sh->w[COL_SKILL] - 2 * sh->pad;
  sb_span *sp = sb_arena_alloc(sh->arena, 2 * sizeof *sp);
  if (!sp) return oom(sh);
  sp[0] = span(sb_docs_bound(sh->lay, "skill", sk->id, sk->file, sk->line,
                             sk->name, SB_FONT_BOLD, st->size_body, aw,
                             SB_LINES_CELL),
               SB_FONT_BOLD, st->text);
  sp[1] = span(sb_docs_bound(sh->lay, "group", g->id, g->file, g->line,
                             g->name, SB_FONT_REGULAR, st->size_tiny, aw,
                             SB_LINES_LINE),
               SB_FONT_REGULAR, st->muted);
  memset(c, 0, NCOLS * sizeof *c);
  c[COL_SKILL].spans = sp;
  c[COL_SKILL].nspans = 1;
  c[COL_SKILL].size = st->size_body;
  c[COL_SKILL].sub = sp + 1;
  c[COL_SKILL].nsub = 1;
  c[COL_SKILL].sub_size = st->size_tiny;
  if (r->first_of_domain) {
    dommark *d = sb_arena_alloc(sh->arena, sizeof *d);
    if (!d) return oom(sh);
    const sb_domain *dm = &sh->cat->domains[sk->domain];
    d->sh = sh;
    d->title = dm->name;
    d->label = sb_docs_bound(sh->lay, "domain", dm->id, dm->file, dm->line,
                             dm->name, SB_FONT_BOLD, st->size_tiny + 0.5, aw,
                             SB_LINES_LINE);
    sb_span ls = span(d->label, SB_FONT_BOLD, st->accent);
    c[COL_SKILL].above = sb_lay_box(sh->lay, -1, 0, 0, aw, &ls, 1,
                                    st->size_tiny + 0.5, SB_ALIGN_LEFT,
                                    &sh->src) + 2;
    c[COL_SKILL].draw = draw_domain_mark;
    c[COL_SKILL].user = d;
  }
  sb_status s;
  if ((s = para_cell(sh, r, 0, &c[COL_CUR])) ||
      (s = para_cell(sh, r, 1, &c[COL_TGT])))
    return s;
  rowdraw *rd = sb_arena_alloc(sh->arena, sizeof *rd);
  if (!rd) return oom(sh);
  rd->sh = sh;
  rd->skill = r->skill;
  c[COL_EV].rule_gap = sh->ev_gap;
  c[COL_EV].min_h = EV_LINES * sh->ev_gap + 2;
  if (sh->rv->fillable) {
    c[COL_EV].draw = draw_notes;
    c[COL_EV].user = rd;
  }
  c[COL_ASSESS].min_h = 3 * sh->grid_lh;
  c[COL_ASSESS].draw = draw_grid;
  c[COL_ASSESS].user = rd;
  return SB_OK;
}

static sb_status place_table(sheet *sh) {
  const sheet_row *rows = sh->rows;
  int nrows = sh->nrows;
  sb_cell *hc = sb_arena_alloc(sh->arena, NCOLS * sizeof *hc);
  sb_cell *cells = sb_arena_alloc(sh->arena,
                                  (size_t)(nrows + 1) * NCOLS * sizeof *cells);
  if (!hc || !cells) return oom(sh);
  sb_status s = header_cells(sh, hc);
  for (int i = 0; i < nrows && !s; i++)
    s = row_cells(sh, &rows[i], cells + (size_t)i * NCOLS);
  if (s) return s;
  sb_table t;
  memset(&t, 0, sizeof t);
  t.ncols = NCOLS;
  t.row_header = 1; /* tagged PDF: the skill heads its row */
  t.widths = sh->w;
  t.size = sh->size;
  t.pad = sh->pad;
  t.header = hc;
  t.grid = 1;
  t.keep_rows = 1;
  t.repeat = SB_REPEAT_HEADER | SB_REPEAT_FIRST;
  t.src = sh->src;
  return sb_lay_table(sh->lay, &t, cells, nrows, NULL);
}

/* ==== The document ==== */

static void geometry(sheet *sh) {
  const sheet_row *rows = sh->rows;
  int nrows = sh->nrows;
  const sb_style *st = sh->st;
  sb_lay *lay = sh->lay;
  double x0 = sb_lay_left(lay), cw = sb_lay_right(lay) - x0;
  sh->pad = st->cell_pad;
  sh->size = st->size_small + 0.5;
  sh->mark_h = st->size_small * 1.6;
  /* room for handwriting, whatever the type size: check boxes of 4 mm on
  ** rows of 6.5 mm, writing lines 8 mm apart (wide-ruled paper is 8.7,
  ** college-ruled 7.1; a printed review form's boxes are 3.5 to 5 mm) */
  sh->tick = TICK_MM * PT_PER_MM;
  sh->grid_lh = GRID_MM * PT_PER_MM;
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
  double bw = sh->tick + 6;
  for (int i = 0; i < 3; i++) {
    double w = sb_lay_min_width(sh->lay, SB_FONT_REGULAR, st->size_tiny,
                                L(sh, sc[i])) + 4;
    if (w > bw) bw = w;
  }
  /* left to right: skill, current, target, evidence, assessment (w[3] is
  ** the assessment, w[4] the evidence here). Long labels (es, ru) widen the
  ** assessment column, taken from the evidence column first, then the
  ** paragraphs. */
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
    double a = sb_lay_min_width(sh->lay, SB_FONT_BOLD, st->size_body,
                                sk->name);
    double g = sb_lay_min_width(sh->lay, SB_FONT_REGULAR, st->size_tiny,
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
  /* the table's columns; the assessment takes what is left */
  sh->w[COL_SKILL] = w[0];
  sh->w[COL_CUR] = w[1];
  sh->w[COL_TGT] = w[2];
  sh->w[COL_EV] = w[4];
  sh->w[COL_ASSESS] = cw - w[0] - w[1] - w[2] - w[4];
  double maxgl = (sh->w[COL_ASSESS] - 2 * sh->pad) * 0.45;
  if (sh->grid_label_w > maxgl) sh->grid_label_w = maxgl;
  sh->ev_gap = EV_GAP_MM * PT_PER_MM;
  for (int i = 0; i < 2; i++)
    sh->flag_w[i] = sb_lay_measure(lay, SB_FONT_BOLD, st->size_small - 0.5,
                                   L(sh, i ? SB_L_BECOMES_MANDATORY : SB_L_NEW));
  sh->assess_h = assess_head(sh, lay, -1, 0, 0);
}

/* ==== Rows ==== */

/* Whether the review shows row r (--only; --domain is checked before). */
static int shown(const sb_review *rv, const sheet_row *r) {
  switch (rv->only) {
  case SB_ONLY_MANDATORY:
    return r->tgt && r->tgt->mandatory;
  case SB_ONLY_CHANGED:
    return r->is_new || r->becomes ||
           (r->cur && r->tgt && strcmp(r->cur->text, r->tgt->text) != 0);
  default:
    return 1;
  }
}

sb_status sb_sheet_init(sheet *sh, sb_ctx *ctx, const sb_catalog *cat,
                        const sb_review *rv, const sb_style *st,
                        const sb_labels *lb, const sb_fontset *fs,
                        sb_arena *arena) {
  int role = rv->role, from = rv->from, to = rv->to, to_role = rv->to_role;
  memset(sh, 0, sizeof *sh);
  sh->ctx = ctx;
  if (role < 0 || role >= cat->nroles || to_role < 0 ||
      to_role >= cat->nroles)
    return sb_fail(ctx, SB_E_USAGE, "no role with index %d",
                   role < 0 || role >= cat->nroles ? role : to_role);
  if (from < 0 || from >= cat->nlevels || to < 0 || to >= cat->nlevels ||
      (to_role == role && cat->levels[from].index > cat->levels[to].index))
    return sb_fail(ctx, SB_E_USAGE, "bad levels %d -> %d for a sheet", from,
                   to);
  if (rv->domain < -1 || rv->domain >= cat->ndomains)
    return sb_fail(ctx, SB_E_USAGE, "no domain with index %d", rv->domain);
  sh->cat = cat;
  sh->rv = rv;
  sh->role = role;
  sh->from = from;
  sh->to = to;
  sh->to_role = to_role;
  sh->cross = to_role != role;
  sh->person = rv->person && *rv->person ? rv->person : NULL;
  sh->reviewer = rv->reviewer && *rv->reviewer ? rv->reviewer : NULL;
  sh->date_iso = rv->date && *rv->date ? rv->date : NULL;
  sh->st = st;
  sh->lb = lb;
  sh->fs = fs;
  sh->arena = arena;
  sh->src.file = cat->path;
  sh->src.what = "sheet";
  sh->skills = sb_arena_alloc(arena, (size_t)(cat->nskills + 1) * sizeof(int));
  sh->rows = sb_arena_calloc(arena, (size_t)(cat->nskills + 1) *
                                        sizeof *sh->rows);
  if (!sh->skills || !sh->rows) return oom(sh);
  int last_domain = -1;
  for (int s = 0; s < cat->nskills; s++) {
    const sb_skill *sk = &cat->skills[s];
    sheet_row r;
    memset(&r, 0, sizeof r);
    r.cur = sb_cat_expect(cat, sk, from, role);
    r.tgt = sb_cat_expect(cat, sk, to, to_role);
    if (!r.cur && !r.tgt) continue;
    sh->total++;
    if (rv->domain >= 0 && sk->domain != rv->domain) continue;
    r.skill = s;
    r.is_new = r.tgt && !r.cur;
    r.becomes = r.tgt && r.cur && r.tgt->mandatory && !r.cur->mandatory;
    if (!shown(rv, &r)) continue;
    r.first_of_domain = sk->domain != last_domain;
    last_domain = sk->domain;
    sh->rows[sh->nrows++] = r;
    sh->skills[sh->nrows - 1] = s;
    if (r.tgt) {
      sh->n_target++;
      if (r.tgt->mandatory) sh->n_mand++;
    }
    if (r.is_new) sh->n_new++;
    if (r.becomes) sh->n_becomes++;
  }
  long long date = sb_doc_date(cat, sh->skills, sh->nrows);
  sb_label_date(lb, date, sh->date, sizeof sh->date);
  sb_docs_iso_date(lb, sh->date_iso, sh->field_date, sizeof sh->field_date);
  if (sh->date_iso && !sh->field_date[0]) /* not a date: printed as given */
    snprintf(sh->field_date, sizeof sh->field_date, "%s", sh->date_iso);
  sh->doc_date = date;
  return SB_OK;
}

/* ==== The document ==== */

sb_status sb_sheet_body(sheet *sh) {
  geometry(sh);
  sb_status s = sb_sheet_bound_names(sh);
  if (!s) s = sb_sheet_title_block(sh);
  if (!s) s = place_table(sh);
  if (!s && sh->rv->pack) s = sb_sheet_sign_off(sh);
  if (!s && sh->rv->pack) s = sb_sheet_target_in_full(sh);
  return s ? s : sb_lay_status(sh->lay);
}

void sb_sheet_info(sheet *sh, sb_dl *out) {
  const sb_catalog *cat = sh->cat;
  sb_docinfo *in = &out->info;
  const char *to = sh->cross ? sb_arena_printf(sh->arena, "%s \xC2\xB7 %s",
                                               cat->roles[sh->to_role].name,
                                               cat->levels[sh->to].name)
                             : cat->levels[sh->to].name;
  in->title = sb_arena_printf(out->arena, "%s \xE2\x80\x94 %s: %s \xE2\x86\x92 %s",
                              cat->roles[sh->role].name, L(sh, SB_L_SHEET),
                              cat->levels[sh->from].name, to);
  in->author = cat->author;
  in->subject = cat->title ? sb_arena_printf(out->arena, "%s: %s",
                                             L(sh, SB_L_SHEET), cat->title)
                           : L(sh, SB_L_SHEET);
  in->keywords = sb_arena_printf(out->arena, "%s, %s, %s",
                                 cat->roles[sh->role].id,
                                 cat->levels[sh->from].id,
                                 cat->levels[sh->to].id);
  in->creator = "skillbook " SB_VERSION;
  in->lang = cat->lang ? cat->lang : "en";
  in->date = sh->doc_date;
}

static void furniture(sb_lay *lay, int page, int npages, const char *running,
                      void *user) {
  (void)running;
  sb_sheet_furniture(user, lay, page, npages);
}

sb_status sb_layout_sheet(sb_ctx *ctx, const sb_catalog *cat,
                          const sb_review *rv, const sb_style *st,
                          const sb_labels *lb, const sb_fontset *fs,
                          sb_dl *out) {
  sheet sh;
  sb_status s = sb_sheet_init(&sh, ctx, cat, rv, st, lb, fs, out->arena);
  if (s) return s;
  sh.lay = sb_new_lay(ctx, out->arena, out, st, fs, st->sheet_landscape);
  if (!sh.lay) return ctx->status ? ctx->status : SB_E_LIMIT;
  sh.dl = out;
  sb_lay_set_furniture(sh.lay, furniture, &sh);
  int nout = out->noutlines;
  s = sb_sheet_body(&sh);
  /* the domains' bookmarks only where there is something to find */
  if (!s && sb_lay_npages(sh.lay) <= 2) out->noutlines = nout;
  if (!s) s = sb_lay_finish(sh.lay);
  sb_drop_lay(sh.lay);
  if (s) return s;
  sb_sheet_info(&sh, out);
  if (rv->fillable) sb_sheet_form_info(&sh, out, 0);
  return SB_OK;
}
