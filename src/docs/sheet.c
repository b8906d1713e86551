/*
** docs/sheet.c -- the level comparison sheet: one role, two levels.
**
** What a manager and an engineer print before a review. Every page has
** the running header ("Level comparison", the catalogue's title, the
** style's logo) and a footer (role and levels, page X of Y, version and
** the date in the document's language). Page one opens with the role,
** "current -> target" levels, fields for name, reviewer and date (ruled,
** or printed from --person and --reviewer), a summary of what changes,
** the legend and the note that the sheet guides a conversation. Then a
** table (sb_lay_table) with one row per skill where the role has an
** expectation at either level:
**
**   Skill   | Current level | Target level | Evidence    | Assessment
**   name,   | mark line,    | mark, flags, | ruled lines | self / manager /
**   group   | text          | text (added  | filling the | agreed x three
**           |               | words bold)  | cell        | open squares
**
** Every row has the same columns as the header, on every page. The layout
** engine paginates: the header row repeats, a row that does not fit moves
** whole to the next page when less than a quarter of the page is left,
** else (and when taller than a page) it splits between lines and prints
** the skill's name again on every part (SB_REPEAT_FIRST);
** the evidence lines fill each part below any text. Mark lines and check
** boxes are cell drawing (sb_cell.draw), made with the row's start.
** Tests: tests/cli/sheet.sh
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skillbook/docs.h"
#include "skillbook/layout.h"
#include "docs-imp.h"
#include "sheet-diff.h"

/* Handwriting space (geometry): check box side, the height of a row of
** the check box grid, ruled writing lines apart and at least how many. */
#define PT_PER_MM (72.0 / 25.4)
#define TICK_MM 4.0
#define GRID_MM 6.5
#define EV_GAP_MM 8.0
#define EV_LINES 2
#define TICK_LINE 0.6 /* the check box's outline, points */

/* The columns of the table, left to right. */
enum { COL_SKILL, COL_CUR, COL_TGT, COL_EV, COL_ASSESS, NCOLS };

struct sheet;

/* The mark line over a paragraph: what the cell's drawing needs. */
typedef struct markline {
  struct sheet *sh;
  const sb_expect *e;
  int is_new, becomes;
} markline;

typedef struct row {
  int skill;
  const sb_expect *cur, *tgt;
  int is_new, becomes;
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
  double w[NCOLS];      /* column widths */
  double pad;
  double size;          /* paragraph size */
  double mark_h;        /* the mark line above a paragraph */
  double tick;          /* check box side */
  double grid_lh;       /* check box grid line height */
  double grid_label_w;  /* "Manager" column inside the assessment */
  double ev_gap;        /* ruled writing lines */
  double flag_w[2];     /* "new", "becomes mandatory" (flag_at) */
  double assess_h;      /* header: "Assessment" over the scale */
  sb_src src;
} sheet;

static const char *L(const sheet *sh, sb_label_id id) {
  return sb_label(sh->lb, id);
}

static sb_status oom(sheet *sh) {
  return sb_fail_arena(sh->ctx);
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
                                         sh->date), 0};
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

/* An outlined flag (0: "new", 1: "becomes mandatory"): bold text in a
** box, so it reads without colour. Measured once (geometry): cell drawing
** may not measure. Returns its width. */
static double flag_at(sheet *sh, int page, double x, double base, int which) {
  double size = sh->st->size_small - 0.5, w = sh->flag_w[which];
  const char *text = L(sh, which ? SB_L_BECOMES_MANDATORY : SB_L_NEW);
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
  p.heading = 1;
  p.src = sh->src;
  sb_lay_para(lay, &p, NULL, NULL);
  p.heading = 0;
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
  const int fig[4] = {sh->n_target, sh->n_mand, sh->n_new, sh->n_becomes};
  const sb_label_id what[4] = {SB_L_SHEET_SUM_TARGET, SB_L_SHEET_SUM_MANDATORY,
                               SB_L_SHEET_SUM_NEW, SB_L_SHEET_SUM_BECOMES};
  for (int i = 0; i < 4; i++) {
    ss[k++] = span(sb_arena_printf(sh->arena, "%d", fig[i]), SB_FONT_BOLD,
                   st->text);
    ss[k++] = span(sb_arena_printf(sh->arena, " %s%s", L(sh, what[i]),
                                   i < 3 ? "  \xC2\xB7  " : ""),
                   SB_FONT_REGULAR, st->text);
  }
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
  x += flag_at(sh, pg, x, base, 0) + 8;
  x += flag_at(sh, pg, x, base, 1) + 12;
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
  if (m->is_new) x += flag_at(sh, page, x, base, 0) + 5;
  if (m->becomes) flag_at(sh, page, x, base, 1);
}

/* Self / Manager / Agreed, each with three check boxes under the scale:
** squares of sh->tick outlined thin, big enough to tick by hand. */
static void draw_grid(sb_lay *lay, int page, double x, double y, double w,
                      double h, const void *user) {
  const sheet *sh = user;
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
    for (int j = 0; j < 3; j++)
      sb_lay_rect(lay, page, x + sh->grid_label_w + j * bw + (bw - s) / 2,
                  top + (sh->grid_lh - s) / 2, s, s, 0, st->text, TICK_LINE,
                  st->text);
  }
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
static sb_status para_cell(sheet *sh, const row *r, int tgt, sb_cell *c) {
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
static sb_status row_cells(sheet *sh, const row *r, sb_cell *c) {
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
  sb_status s;
  if ((s = para_cell(sh, r, 0, &c[COL_CUR])) ||
      (s = para_cell(sh, r, 1, &c[COL_TGT])))
    return s;
  c[COL_EV].rule_gap = sh->ev_gap;
  c[COL_EV].min_h = EV_LINES * sh->ev_gap + 2;
  c[COL_ASSESS].min_h = 3 * sh->grid_lh;
  c[COL_ASSESS].draw = draw_grid;
  c[COL_ASSESS].user = sh;
  return SB_OK;
}

static sb_status place_table(sheet *sh, const row *rows, int nrows) {
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

static void geometry(sheet *sh, const row *rows, int nrows) {
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
                       sh->w[COL_CUR] - 2 * sh->pad, SB_LINES_HEAD);
  sh->head_to = NAME(b, "level", SB_FONT_BOLD, st->size_small,
                     sh->w[COL_TGT] - 2 * sh->pad, SB_LINES_HEAD);
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

sb_status sb_layout_sheet(sb_ctx *ctx, const sb_catalog *cat,
                          const sb_review *rv, const sb_style *st,
                          const sb_labels *lb, const sb_fontset *fs,
                          sb_dl *out) {
  int role = rv->role, from = rv->from, to = rv->to;
  const char *person = rv->person, *reviewer = rv->reviewer;
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
  if (!s) s = place_table(&sh, rows, nrows);
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

sb_status sb_layout_review_book(sb_ctx *ctx, const sb_catalog *cat,
                                const sb_review *rv, int n,
                                const char *title, const sb_style *st,
                                const sb_labels *lb, const sb_fontset *fs,
                                sb_dl *out) {
  (void)cat, (void)rv, (void)n, (void)title, (void)st, (void)lb, (void)fs;
  (void)out;
  return sb_fail(ctx, SB_E_INTERNAL, "review books are not built yet");
}
