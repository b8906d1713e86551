/*
** docs/handbook.c -- the career-path handbook of one role.
**
** Cover (title, role, catalogue, figures, expectations per level),
** contents (domain > group > skill, dot leaders, page numbers, links,
** bookmarks), "how to read this" with the legend, then one section per
** skill where the role appears, in catalogue order under domain (h1) and
** group (h2) headings: heading, "Domain / Group · updated DATE · id",
** keywords, summary, and the table Level | Expectation | Mandatory with a
** row for every level of the catalogue (a level the skill lacks for the
** role is a visible gap row); with an older version of the catalogue,
** the appendix "Changes since VERSION" (changes.c) at the end.
**
** The contents need the page of every heading, which comes later: each
** entry's number and link are left open (sb_para.ref) and filled in by
** sb_lay_finish once the body has recorded where every heading fell.
** Contents entries reserve a fixed column for the page number, so the
** numbers cannot change the pagination: one pass is enough.
** Tests: tests/cli/handbook.sh (pdftotext, verify.py), tests/unit/.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skillbook/chart.h"
#include "skillbook/docs.h"
#include "skillbook/layout.h"
#include "changes.h"
#include "docs-imp.h"

/* ==== The document ==== */

typedef struct entry {  /* a contents entry and where its heading fell */
  int depth;            /* 0 domain, 1 group, 2 skill */
  int index;            /* domain, group or skill index */
  sb_lay_ref at;        /* filled in by the body, read by sb_lay_finish */
} entry;

typedef struct hb {
  sb_ctx *ctx;
  const sb_catalog *cat;
  int role;
  const sb_style *st;
  const sb_labels *lb;
  const sb_fontset *fs;
  sb_arena *arena;      /* the document arena (strings) */
  sb_arena *cells;      /* one skill table's cells and spans, reset for
                           the next skill: in the document arena they
                           stayed until the PDF was saved (xl.xml's r01
                           handbook: 1.8 MB of the 4 MB beside its ops) */
  sb_lay *lay;
  int *skills;          /* skills where the role appears, print order */
  int nskills;
  entry *entries;
  int nentries;
  char date[64];         /* localised (sb_label_date) */
  const char *role_name;
  double col[3];        /* table columns */
  sb_dl *dl;
  /* names bounded once for the places that repeat or cannot grow
  ** (docs-imp.h): every page prints these, never the names themselves */
  const char *foot_role, *cover_role, *cover_title, *head_title, *version;
  const char *author;
  const char **level_cell;   /* per level: the skill tables' first column */
  const char **level_cover;  /* per level: the cover's table */
  const sb_cat_diff *since;  /* handbook --since: the appendix's diff */
  const char *llang;    /* the labels' language when not the catalogue's
                           (sb_docs_label_lang), else NULL */
} hb;

static const char *L(const hb *h, sb_label_id id) { return sb_label(h->lb, id); }

/* A span of label text (L, or text made of labels only): tagged with the
** labels' language when it is not the catalogue's. */
static sb_span lspan(const hb *h, const char *t, int font, sb_color c) {
  sb_span s = span(t, font, c);
  s.lang = h->llang;
  return s;
}

static char *aprintf(hb *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static char *aprintf(hb *h, const char *fmt, ...) {
  char buf[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  static char empty[1];
  char *s = sb_arena_strdup(h->arena, buf);
  return s ? s : empty;
}

/* ==== Page furniture ==== */

/* The footer on every page, the running header after the cover
** (docs/furniture.c). */
static void furniture(sb_lay *lay, int page, int npages, const char *running,
                      void *user) {
  hb *h = user;
  sb_furniture f = {h->lb, h->arena, h->cat->path, NULL, h->head_title,
                    h->foot_role, NULL, page == 0};
  if (h->version)
    f.foot_right = sb_arena_printf(h->arena, "%s %s", L(h, SB_L_VERSION),
                                   h->version);
  if (running && page > 0) f.head_left = running;
  sb_docs_furniture(lay, &f, page, npages);
}

/* ==== Cover ==== */

static sb_status cover(hb *h) {
  sb_lay *lay = h->lay;
  const sb_style *st = h->st;
  const sb_catalog *cat = h->cat;
  sb_src src = {cat->path, 0, "cover"};
  sb_role_stats rs;
  sb_cat_role_stats(cat, h->role, &rs);

  sb_lay_new_page(lay);
  int pg = sb_lay_page(lay);
  double x0 = sb_lay_left(lay), x1 = sb_lay_right(lay);
  /* an accent bar across the top of the content box */
  sb_lay_rect(lay, pg, x0, sb_lay_top(lay), x1 - x0, 4, 1, st->accent, 0,
              st->accent);
  double skip = 150;
  if (st->logo_png && st->logo_px_w > 0) { /* the style's logo, top left */
    double lw = st->logo_w, lh = lw * st->logo_px_h / st->logo_px_w;
    if (lh > 100) lh = 100, lw = lh * st->logo_px_w / st->logo_px_h;
    sb_lay_image(lay, pg, x0, sb_lay_top(lay) + 18, lw, lh, st->logo_png,
                 st->logo_len, st->logo_px_w, st->logo_px_h);
    if (skip < lh + 40) skip = lh + 40;
  }
  sb_span s1 = lspan(h, L(h, SB_L_HANDBOOK), SB_FONT_REGULAR, st->accent);
  sb_para p = para(&s1, 1, st->size_h2 + 2);
  p.src = src;
  sb_lay_skip(lay, skip);
  sb_lay_para(lay, &p, NULL, NULL);
  sb_span s2 = span(h->cover_role, SB_FONT_BOLD, st->text);
  p = para(&s2, 1, st->size_title);
  p.leading = 1.15;
  p.space_before = 6;
  p.space_after = 14;
  p.src = src;
  sb_lay_para(lay, &p, NULL, NULL);
  if (cat->title) {
    sb_span s3 = span(h->cover_title, SB_FONT_REGULAR, st->text);
    p = para(&s3, 1, st->size_h3);
    p.space_after = 4;
    p.src = src;
    sb_lay_para(lay, &p, NULL, NULL);
  }
  /* version, author, date: one muted line */
  char line[1024];
  size_t n = 0;
  line[0] = 0;
  if (h->version)
    n += (size_t)snprintf(line + n, sizeof line - n, "%s %s",
                          L(h, SB_L_VERSION), h->version);
  if (h->author && n < sizeof line)
    n += (size_t)snprintf(line + n, sizeof line - n, "%s%s: %s",
                          n ? "  \xC2\xB7  " : "", L(h, SB_L_AUTHOR),
                          h->author);
  if (h->date[0] && n < sizeof line)
    n += (size_t)snprintf(line + n, sizeof line - n, "%s%s: %s",
                          n ? "  \xC2\xB7  " : "", L(h, SB_L_DATE), h->date);
  if (line[0]) {
    sb_span s4[5];
    int n4 = 0;
    s4[n4++] = span(aprintf(h, "%s", line), SB_FONT_REGULAR, st->muted);
    if (h->llang) { /* labels in another language: spans of their own */
      const char *sep = "  \xC2\xB7  ";
      n4 = 0;
      if (h->version) {
        s4[n4++] = lspan(h, aprintf(h, "%s ", L(h, SB_L_VERSION)),
                         SB_FONT_REGULAR, st->muted);
        s4[n4++] = span(h->version, SB_FONT_REGULAR, st->muted);
      }
      if (h->author) {
        const char *a = aprintf(h, "%s%s: ", n4 ? sep : "", L(h, SB_L_AUTHOR));
        s4[n4++] = lspan(h, a, SB_FONT_REGULAR, st->muted);
        s4[n4++] = span(h->author, SB_FONT_REGULAR, st->muted);
      }
      if (h->date[0]) {
        const char *d = aprintf(h, "%s%s: %s", n4 ? sep : "", L(h, SB_L_DATE),
                                h->date);
        s4[n4++] = lspan(h, d, SB_FONT_REGULAR, st->muted);
      }
    }
    p = para(s4, n4, st->size_body);
    p.src = src;
    sb_lay_para(lay, &p, NULL, NULL);
  }
  sb_lay_space(lay, 36);

  /* the role's figures: number above label */
  sb_docs_figures fg = {st, {{NULL, rs.skills, 24, st->accent,
                              L(h, SB_L_SKILLS_FOR_ROLE)},
                             {NULL, rs.levels, 24, st->accent,
                              L(h, SB_L_LEVELS_GROWTH)},
                             {NULL, rs.mandatory, 24, st->accent,
                              L(h, SB_L_MANDATORY_COUNT)},
                             {NULL, rs.optional, 24, st->accent,
                              L(h, SB_L_OPTIONAL_COUNT)}},
                        2, st->rule_width, st->accent, 6, src,
                        h->llang};
  sb_status s = sb_docs_draw_figures(h->ctx, lay, h->arena, &fg);
  if (s) return s;
  sb_lay_space(lay, 30);

  /* expectations per level (the chart goes beside or above this later) */
  sb_span ht = lspan(h, L(h, SB_L_CHART_PER_LEVEL), SB_FONT_BOLD, st->text);
  p = para(&ht, 1, st->size_h2);
  p.space_after = 6;
  p.keep_with_next = 60;
  p.src = src;
  sb_lay_para(lay, &p, NULL, NULL);
  double lw[4];
  lw[0] = (x1 - x0) * 0.40;
  lw[1] = lw[2] = lw[3] = (x1 - x0) * 0.20;
  sb_span hs[4] = {lspan(h, L(h, SB_L_LEVEL), SB_FONT_BOLD, st->header_text),
                   lspan(h, L(h, SB_L_MANDATORY), SB_FONT_BOLD, st->header_text),
                   lspan(h, L(h, SB_L_OPTIONAL), SB_FONT_BOLD, st->header_text),
                   lspan(h, L(h, SB_L_EXPECTATIONS), SB_FONT_BOLD,
                        st->header_text)};
  sb_cell hc[4];
  memset(hc, 0, sizeof hc);
  for (int i = 0; i < 4; i++) {
    hc[i].spans = &hs[i];
    hc[i].nspans = 1;
    hc[i].align = i ? SB_ALIGN_RIGHT : SB_ALIGN_LEFT;
  }
  int nl = cat->nlevels;
  sb_cell *rows = sb_arena_calloc(h->arena, (size_t)nl * 4 * sizeof *rows);
  sb_span *rsp = sb_arena_calloc(h->arena, (size_t)nl * 4 * sizeof *rsp);
  if (!rows || !rsp) return sb_fail_arena(h->ctx);
  for (int lv = 0; lv < nl; lv++) {
    int m = 0, o = 0;
    for (int i = 0; i < h->nskills; i++) {
      const sb_expect *x =
          sb_cat_expect(cat, &cat->skills[h->skills[i]], lv, h->role);
      if (x) x->mandatory ? m++ : o++;
    }
    rsp[lv * 4] = span(h->level_cover[lv], SB_FONT_REGULAR, st->text);
    rsp[lv * 4 + 1] = span(aprintf(h, "%d", m), SB_FONT_REGULAR, st->text);
    rsp[lv * 4 + 2] = span(aprintf(h, "%d", o), SB_FONT_REGULAR, st->text);
    rsp[lv * 4 + 3] = span(aprintf(h, "%d", m + o), SB_FONT_BOLD, st->text);
    for (int c = 0; c < 4; c++) {
      rows[lv * 4 + c].spans = &rsp[lv * 4 + c];
      rows[lv * 4 + c].nspans = 1;
      rows[lv * 4 + c].align = c ? SB_ALIGN_RIGHT : SB_ALIGN_LEFT;
    }
  }
  sb_table t;
  memset(&t, 0, sizeof t);
  t.ncols = 4;
  t.row_header = 1; /* tagged PDF: the level heads its row */
  t.widths = lw;
  t.size = st->size_body;
  t.pad = -1;
  t.header = hc;
  t.zebra = 1;
  t.src = src;
  return sb_lay_table(lay, &t, rows, nl, NULL);
}

/* ==== Contents ==== */

static sb_status contents(hb *h) {
  sb_lay *lay = h->lay;
  const sb_style *st = h->st;
  const sb_catalog *cat = h->cat;
  sb_lay_set_running(lay, L(h, SB_L_CONTENTS));
  if (sb_lay_new_page(lay)) return sb_lay_status(lay);
  sb_span hs = lspan(h, L(h, SB_L_CONTENTS), SB_FONT_BOLD, st->accent);
  sb_para p = para(&hs, 1, st->size_h1);
  p.space_after = 10;
  p.heading = 1;
  p.src.what = "contents";
  sb_lay_para(lay, &p, NULL, NULL);
  double tail_w = sb_lay_measure(lay, SB_FONT_REGULAR, st->size_body, "0000");
  sb_lay_struct_begin(lay, -1, SB_STRUCT_TOC, 0, 0, NULL); /* tagged PDF */
  for (int i = 0; i < h->nentries && !sb_lay_status(lay); i++) {
    const entry *e = &h->entries[i];
    const char *name = e->depth == 0   ? cat->domains[e->index].name
                       : e->depth == 1 ? cat->groups[e->index].name
                                       : cat->skills[e->index].name;
    int font = e->depth == 0 ? SB_FONT_BOLD : SB_FONT_REGULAR;
    sb_span sp = span(name, font, e->depth == 0 ? st->accent : st->text);
    double size = e->depth == 0 ? st->size_body + 0.5 : st->size_body;
    p = para(&sp, 1, size);
    p.indent = e->depth * 14;
    p.space_before = e->depth == 0 ? 7 : e->depth == 1 ? 2.5 : 0;
    p.leading = 1.28;
    p.keep_with_next = e->depth < 2 ? size * 2.6 : 0;
    /* only skills carry a page number: a domain or group line is a label
    ** (still a link), so a group and a skill of the same name never give
    ** two numbers for one name */
    p.tail = e->depth == 2 ? "" : NULL; /* the number comes at the end */
    p.tail_font = font;
    p.tail_w = tail_w;
    p.link = 1;
    p.ref = &e->at;
    p.src.file = cat->path;
    p.src.what = "contents";
    p.tag = SB_STRUCT_TOCI;
    sb_lay_para(lay, &p, NULL, NULL);
  }
  sb_lay_struct_end(lay, -1, SB_STRUCT_TOC);
  return sb_lay_status(lay);
}

/* ==== How to read this ==== */

static sb_status how_to_read(hb *h) {
  sb_lay *lay = h->lay;
  const sb_style *st = h->st;
  sb_src src = {NULL, 0, "how to read"};
  sb_lay_set_running(lay, L(h, SB_L_HOW_TO_READ));
  if (sb_lay_new_page(lay)) return sb_lay_status(lay);
  sb_span hs = lspan(h, L(h, SB_L_HOW_TO_READ), SB_FONT_BOLD, st->accent);
  sb_para p = para(&hs, 1, st->size_h1);
  p.space_after = 8;
  p.heading = 1;
  p.src = src;
  sb_lay_para(lay, &p, NULL, NULL);
  sb_span tx = lspan(h, L(h, SB_L_HOW_TO_READ_TEXT), SB_FONT_REGULAR, st->text);
  p = para(&tx, 1, st->size_body);
  p.space_after = 12;
  p.right = (sb_lay_right(lay) - sb_lay_left(lay)) * 0.25;
  p.src = src;
  sb_lay_para(lay, &p, NULL, NULL);
  sb_span ls = lspan(h, L(h, SB_L_LEGEND), SB_FONT_BOLD, st->text);
  p = para(&ls, 1, st->size_h2);
  p.space_after = 6;
  p.keep_with_next = 40;
  p.heading = 2;
  p.src = src;
  sb_lay_para(lay, &p, NULL, NULL);
  /* mandatory / optional: a filled or an open square and the word, so the
  ** difference survives greyscale and colour blindness */
  sb_lay_struct_begin(lay, -1, SB_STRUCT_L, 0, 0, NULL); /* tagged PDF */
  for (int i = 0; i < 3; i++) {
    sb_span sp[3];
    int n = 0;
    if (i == 0) {
      sp[n++] = lspan(h, L(h, SB_L_MANDATORY), SB_FONT_BOLD, st->text);
      sp[n++] = lspan(h, aprintf(h, " \xE2\x80\x94 %s", L(h, SB_L_MANDATORY_TEXT)),
                     SB_FONT_REGULAR, st->text);
    } else if (i == 1) {
      sp[n++] = lspan(h, L(h, SB_L_OPTIONAL), SB_FONT_BOLD, st->text);
      sp[n++] = lspan(h, aprintf(h, " \xE2\x80\x94 %s", L(h, SB_L_OPTIONAL_TEXT)),
                     SB_FONT_REGULAR, st->text);
    } else {
      sp[n++] = lspan(h, L(h, SB_L_GAP), SB_FONT_ITALIC, st->muted);
    }
    p = para(sp, n, st->size_body);
    p.indent = 18;
    p.mark = i == 0 ? SB_MARK_FILLED : i == 1 ? SB_MARK_OPEN : SB_MARK_NONE;
    p.mark_color = st->text;
    p.space_after = 4;
    p.src = src;
    p.tag = SB_STRUCT_LI;
    sb_lay_para(lay, &p, NULL, NULL);
  }
  sb_lay_struct_end(lay, -1, SB_STRUCT_L);
  return sb_lay_status(lay);
}

/* ==== Charts ==== */

/* The bar chart's height, and how far it may shrink so that the grid (or
** its first rows) shares its page rather than leaving half of it blank. */
#define SB_BARS_H 200.0
#define SB_BARS_MIN_H 150.0

static sb_para chart_title(hb *h, sb_span *ts, sb_label_id title) {
  *ts = lspan(h, L(h, title), SB_FONT_BOLD, h->st->text);
  sb_para p = para(ts, 1, h->st->size_h2);
  p.space_before = 14;
  p.space_after = 6;
  p.heading = 2;
  return p;
}

/* How many grid rows from r fit in avail with the header (the key goes
** with the last row); *used gets their height. */
static int grid_rows_fit(const sb_chart_grid *g, int r, double avail,
                         double *used) {
  int n = sb_chart_grid_rows(g), k = r;
  double u = sb_chart_grid_head_h(g);
  while (k < n && u + sb_chart_grid_row_h(g, k) <= avail)
    u += sb_chart_grid_row_h(g, k++);
  if (k == n && u + sb_chart_grid_key_h(g) > avail && k - r > 1)
    u -= sb_chart_grid_row_h(g, --k); /* the last row goes with the key */
  *used = u;
  return k - r;
}

/* The level x area grid under its title; its rows break over pages, each
** part under the header row, and the key follows the last row. */
static sb_status grid_block(hb *h, const sb_chart_grid *g, double first) {
  sb_lay *lay = h->lay;
  double x = sb_lay_left(lay);
  sb_span ts;
  sb_para p = chart_title(h, &ts, SB_L_CHART_COVERAGE);
  int n = sb_chart_grid_rows(g), r = 0;
  sb_status s;
  p.keep_with_next = first;
  sb_lay_para(lay, &p, NULL, NULL);
  if ((s = sb_lay_status(lay))) return s;
  if (n == 0) {
    double kh = sb_chart_grid_key_h(g), used = 0;
    if ((s = sb_lay_need(lay, kh))) return s;
    s = sb_chart_grid_draw(h->ctx, h->dl, sb_lay_page(lay), x, sb_lay_y(lay),
                           g, 0, 0, 1, &used);
    return s ? s : sb_lay_skip(lay, used);
  }
  while (r < n) {
    double used, drawn = 0;
    int k = grid_rows_fit(g, r, sb_lay_bottom(lay) - sb_lay_y(lay), &used);
    if (k == 0 && sb_lay_y(lay) > sb_lay_top(lay) + 0.5) {
      if ((s = sb_lay_new_page(lay))) return s;
      continue;
    }
    if (k == 0) k = 1; /* a row taller than a page: drawn anyway */
    s = sb_chart_grid_draw(h->ctx, h->dl, sb_lay_page(lay), x, sb_lay_y(lay),
                           g, r, r + k, r + k == n, &drawn);
    if (s) return s;
    if ((s = sb_lay_skip(lay, drawn))) return s;
    r += k;
    if (r < n && (s = sb_lay_new_page(lay))) return s;
  }
  return sb_lay_status(lay);
}

/* The role's charts, after the legend: expectations per level (stacked
** mandatory/optional bars) and the level x area grid (chart.h). The bars
** take SB_BARS_H, less (down to SB_BARS_MIN_H) when that lets the whole
** grid, or else its header and first rows, start on the same page; a role
** in no skill gets a one-line note instead of the bars, and no grid. */
static sb_status charts_hook(hb *h) {
  sb_lay *lay = h->lay;
  double x = sb_lay_left(lay), cw = sb_lay_right(lay) - x;
  sb_chart_env env = {h->st, h->lb, h->fs};
  sb_chart_counts c;
  sb_chart_cover cv;
  sb_chart_grid *g;
  sb_span t1, t2;
  sb_para p1 = chart_title(h, &t1, SB_L_CHART_PER_LEVEL);
  sb_para p2 = chart_title(h, &t2, SB_L_CHART_COVERAGE);
  sb_status s;

  if ((s = sb_chart_role_counts(h->ctx, h->dl->arena, h->cat, h->role, &c)) ||
      (s = sb_chart_role_cover(h->ctx, h->dl->arena, h->cat, h->role, &cv)) ||
      (s = sb_chart_grid_plan(h->ctx, h->dl->arena, &cv, &env, cw, &g)))
    return s;
  double bh = c.n ? SB_BARS_H : h->st->size_small * 2.5;
  double th = sb_lay_para_height(lay, &p1, cw);
  double th2 = sb_lay_para_height(lay, &p2, cw);
  double all = sb_chart_grid_height(g), first = all, used;
  int k = grid_rows_fit(g, 0, 1e9, &used);
  if (k > 2) { /* the header and two rows start the grid */
    first = sb_chart_grid_head_h(g) + sb_chart_grid_row_h(g, 0) +
            sb_chart_grid_row_h(g, 1);
  }
  double room = sb_lay_bottom(lay) - sb_lay_y(lay) - th - th2;
  if (c.n && room - bh < all && room - SB_BARS_MIN_H >= all)
    bh = room - all;
  else if (c.n && room - bh < first && room - SB_BARS_MIN_H >= first)
    bh = room - first;
  if (bh > SB_BARS_H) bh = SB_BARS_H;

  p1.keep_with_next = bh;
  sb_lay_para(lay, &p1, NULL, NULL);
  if ((s = sb_lay_need(lay, bh))) return s;
  s = sb_chart_role_bars(h->ctx, h->dl, sb_lay_page(lay), x, sb_lay_y(lay),
                         cw, bh, h->cat, h->role, h->st, h->lb, h->fs);
  if (s || (s = sb_lay_skip(lay, bh))) return s;
  if (cv.naxes == 0) return SB_OK; /* in no skill: the bars' note said it */
  return grid_block(h, g, first);
}

/* ==== Skill sections ==== */

static sb_status skill_section(hb *h, int si, int *entry_i) {
  sb_lay *lay = h->lay;
  const sb_style *st = h->st;
  const sb_catalog *cat = h->cat;
  const sb_skill *sk = &cat->skills[si];
  const sb_domain *dom = &cat->domains[sk->domain];
  const sb_group *grp = &cat->groups[sk->group];
  sb_src src = {sk->file, sk->line, aprintf(h, "skill %s", sk->id)};
  double cw = sb_lay_right(lay) - sb_lay_left(lay);
  /* the names in the line under the heading and over a continued table */
  const char *dname = sb_docs_bound(lay, "domain", dom->id, dom->file,
                                    dom->line, dom->name, SB_FONT_REGULAR,
                                    st->size_small, cw / 2, SB_LINES_LINE);
  const char *gname = sb_docs_bound(lay, "group", grp->id, grp->file,
                                    grp->line, grp->name, SB_FONT_REGULAR,
                                    st->size_small, cw / 2, SB_LINES_LINE);
  const char *cont = sb_docs_bound(lay, "skill", sk->id, sk->file, sk->line,
                                   sk->name, SB_FONT_ITALIC, st->size_small,
                                   cw * 0.7, SB_LINES_ONE);

  /* the line under the heading, keywords, summary: built first so the
  ** heading can be kept with them and the table's first row */
  char upd[64];
  sb_docs_iso_date(h->lb, sk->updated, upd, sizeof upd);
  char *meta =
      upd[0] ? sb_arena_printf(h->arena, "%s / %s \xC2\xB7 %s %s \xC2\xB7 %s",
                               dname, gname, L(h, SB_L_UPDATED), upd, sk->id)
             : sb_arena_printf(h->arena, "%s / %s \xC2\xB7 %s", dname, gname,
                               sk->id);
  if (!meta) return sb_fail_arena(h->ctx);
  sb_span ms[3] = {span(meta, SB_FONT_REGULAR, st->muted)};
  int nms = 1;
  if (h->llang && upd[0]) { /* "Updated <date>": the labels' language */
    ms[0].text = aprintf(h, "%s / %s \xC2\xB7 ", dname, gname);
    ms[1] = lspan(h, aprintf(h, "%s %s", L(h, SB_L_UPDATED), upd),
                  SB_FONT_REGULAR, st->muted);
    ms[2] = span(aprintf(h, " \xC2\xB7 %s", sk->id), SB_FONT_REGULAR,
                 st->muted);
    nms = 3;
  }
  sb_para pm = para(ms, nms, st->size_small);
  pm.space_after = 3;
  pm.src = src;
  sb_span ks[2];
  sb_para pk = para(ks, 0, st->size_small + 0.5);
  if (sk->nkeywords > 0) {
    char *kw = sb_docs_join_keywords(h->arena, sk);
    if (!kw) return sb_fail_arena(h->ctx);
    ks[0] = lspan(h, aprintf(h, "%s: ", L(h, SB_L_KEYWORDS)), SB_FONT_BOLD,
                 st->text);
    ks[1] = span(kw, SB_FONT_REGULAR, st->text);
    pk.nspans = 2;
    pk.space_after = 3;
    pk.src = src;
  }
  sb_span ss = span(sk->summary, SB_FONT_REGULAR, st->text);
  sb_para ps = para(&ss, sk->summary ? 1 : 0, st->size_body);
  ps.space_after = 3;
  ps.src = src;
  ps.src.what = aprintf(h, "skill %s: summary", sk->id);

  /* the table: a row per level, except that a run of levels without an
  ** expectation is one gap row ("Level 4 – Level 9"), so that the table
  ** grows with what the skill says, not with the ladder's length */
  int nl = cat->nlevels, nr = 0;
  for (int lv = 0; lv < nl; lv++)
    if (sb_cat_expect(cat, sk, lv, h->role) || lv == 0 ||
        sb_cat_expect(cat, sk, lv - 1, h->role))
      nr++;
  sb_arena_reset(h->cells); /* the last skill's table is laid out */
  sb_cell *rows = sb_arena_calloc(h->cells, (size_t)nr * 3 * sizeof *rows);
  sb_span *sp = sb_arena_calloc(h->cells, (size_t)nr * 3 * sizeof *sp);
  if (!rows || !sp) return sb_fail_arena(h->ctx);
  for (int lv = 0, i = 0; lv < nl; lv++, i++) {
    const sb_expect *x = sb_cat_expect(cat, sk, lv, h->role);
    sb_cell *r = &rows[i * 3];
    const char *lname = h->level_cell[lv];
    if (!x) {
      int last = lv;
      while (last + 1 < nl && !sb_cat_expect(cat, sk, last + 1, h->role))
        last++;
      if (last > lv &&
          !(lname = sb_arena_printf(h->arena, "%s \xE2\x80\x93 %s",
                                    h->level_cell[lv], h->level_cell[last])))
        return sb_fail_arena(h->ctx);
      lv = last;
    }
    sp[i * 3] = span(lname, SB_FONT_BOLD, st->text);
    r[0].spans = &sp[i * 3];
    r[0].nspans = 1;
    if (x) {
      sp[i * 3 + 1] = span(x->text, SB_FONT_REGULAR, st->text);
      sp[i * 3 + 2] = lspan(h, L(h, x->mandatory ? SB_L_MANDATORY : SB_L_OPTIONAL),
                           x->mandatory ? SB_FONT_BOLD : SB_FONT_REGULAR,
                           x->mandatory ? st->text : st->muted);
      r[2].spans = &sp[i * 3 + 2];
      r[2].nspans = 1;
      r[2].size = st->size_small;
      r[2].mark = x->mandatory ? SB_MARK_FILLED : SB_MARK_OPEN;
      r[2].mark_color = x->mandatory ? st->text : st->muted;
    } else {
      sp[i * 3 + 1] = lspan(h, L(h, SB_L_GAP), SB_FONT_ITALIC, st->muted);
    }
    r[1].spans = &sp[i * 3 + 1];
    r[1].nspans = 1;
  }
  sb_span hsp[3] = {lspan(h, L(h, SB_L_LEVEL), SB_FONT_BOLD, st->header_text),
                    lspan(h, L(h, SB_L_EXPECTATION), SB_FONT_BOLD, st->header_text),
                    lspan(h, L(h, SB_L_MANDATORY), SB_FONT_BOLD, st->header_text)};
  sb_cell hc[3];
  memset(hc, 0, sizeof hc);
  for (int c = 0; c < 3; c++) {
    hc[c].spans = &hsp[c];
    hc[c].nspans = 1;
    hc[c].size = st->size_small;
  }
  sb_table t;
  memset(&t, 0, sizeof t);
  t.ncols = 3;
  t.row_header = 1; /* tagged PDF: the level heads its row */
  t.widths = h->col;
  t.size = st->size_body;
  t.pad = -1;
  t.header = hc;
  t.zebra = 1;
  /* the heading goes with the first row that says something: a gap row
  ** first ("not defined for this level") takes the next row along */
  t.keep_rows = nl && !sb_cat_expect(cat, sk, 0, h->role) && nr > 1 ? 2 : 1;
  t.continued = aprintf(h, "%s (%s)", cont, L(h, SB_L_CONTINUED));
  t.src = src;
  t.src.what = aprintf(h, "skill %s: expectations", sk->id);

  /* heading, kept with everything up to the table's first row */
  double keep = sb_lay_para_height(lay, &pm, cw) +
                (pk.nspans ? sb_lay_para_height(lay, &pk, cw) : 0) +
                sb_lay_row_height(lay, &t, hc) +
                (nl ? sb_lay_row_height(lay, &t, rows) : 0) + 4;
  if (t.keep_rows > 1) keep += sb_lay_row_height(lay, &t, rows + 3);
  if (ps.nspans) {
    double sh = sb_lay_para_height(lay, &ps, cw);
    if (sh < 120) keep += sh;
  }
  sb_span hs = span(sk->name, SB_FONT_BOLD, st->text);
  sb_para ph = para(&hs, 1, st->size_h3);
  ph.space_before = 16;
  ph.space_after = 3;
  ph.leading = 1.2;
  ph.keep_with_next = keep;
  ph.heading = 3;
  ph.src = src;
  /* the line under the heading and the keywords go with it too, so the
  ** heading, its line and the table's header and first row (or two lines
  ** of the summary) share a page */
  double kh = pk.nspans ? sb_lay_para_height(lay, &pk, cw) : 0;
  pm.keep_with_next = keep - sb_lay_para_height(lay, &pm, cw);
  if (pk.nspans) pk.keep_with_next = pm.keep_with_next - kh;
  entry *e = &h->entries[(*entry_i)++];
  ph.at = &e->at;
  if (sb_lay_para(lay, &ph, NULL, NULL)) return sb_lay_status(lay);
  sb_lay_outline(lay, sk->name, 2, e->at.page, e->at.y);
  sb_lay_para(lay, &pm, NULL, NULL);
  if (pk.nspans) sb_lay_para(lay, &pk, NULL, NULL);
  if (ps.nspans) sb_lay_para(lay, &ps, NULL, NULL);
  sb_lay_space(lay, 3);
  return sb_lay_table(lay, &t, rows, nr, NULL);
}

static sb_status body(hb *h) {
  sb_lay *lay = h->lay;
  const sb_style *st = h->st;
  const sb_catalog *cat = h->cat;
  int ei = 0, dom = -1, grp = -1;
  entry *e;
  sb_lay_set_running(lay, NULL);
  if (sb_lay_new_page(lay)) return sb_lay_status(lay);
  for (int i = 0; i < h->nskills && !sb_lay_status(lay); i++) {
    const sb_skill *sk = &cat->skills[h->skills[i]];
    if (sk->domain != dom) {
      dom = sk->domain;
      grp = -1;
      const sb_domain *d = &cat->domains[dom];
      const char *name = d->name;
      sb_lay_need(lay, 140);
      sb_lay_set_running(
          lay, sb_docs_bound(lay, "domain", d->id, d->file, d->line, name,
                             SB_FONT_BOLD, st->size_small,
                             (sb_lay_right(lay) - sb_lay_left(lay)) *
                                 SB_HEAD_LEFT_W,
                             SB_LINES_ONE));
      sb_span sp = span(name, SB_FONT_BOLD, st->accent);
      sb_para p = para(&sp, 1, st->size_h1);
      p.space_before = 22;
      p.space_after = 2;
      p.leading = 1.2;
      p.keep_with_next = 120;
      p.heading = 1;
      p.src.file = cat->path;
      p.src.line = cat->domains[dom].line;
      p.src.what = "domain name";
      e = &h->entries[ei++];
      p.at = &e->at;
      sb_lay_para(lay, &p, NULL, NULL);
      sb_lay_rule(lay, st->rule_width, st->accent, 1, 4);
      sb_lay_outline(lay, name, 0, e->at.page, e->at.y);
    }
    if (sk->group != grp) {
      grp = sk->group;
      const char *name = cat->groups[grp].name;
      sb_span sp = span(name, SB_FONT_BOLD, st->accent);
      sb_para p = para(&sp, 1, st->size_h2);
      p.space_before = 12;
      p.space_after = 0;
      p.leading = 1.2;
      p.keep_with_next = 110;
      p.heading = 2;
      p.src.file = cat->path;
      p.src.line = cat->groups[grp].line;
      p.src.what = "group name";
      e = &h->entries[ei++];
      p.at = &e->at;
      sb_lay_para(lay, &p, NULL, NULL);
      sb_lay_outline(lay, name, 1, e->at.page, e->at.y);
    }
    if (skill_section(h, h->skills[i], &ei)) break;
  }
  return sb_lay_status(lay) ? sb_lay_status(lay) : h->ctx->status;
}

/* The names the handbook prints in places that repeat or cannot grow,
** bounded once (docs-imp.h): the role in the footer and on the cover, the
** catalogue's title, version and author, the level names in tables. */
static sb_status bound_names(hb *h, double cw) {
  sb_lay *lay = h->lay;
  const sb_style *st = h->st;
  const sb_catalog *cat = h->cat;
  const sb_role *r = &cat->roles[h->role];
  double pad = st->cell_pad;
  /* the level column holds the longest word of every level's name
  ** ("Intermediate", "Technology"), taken from the expectations, so that
  ** every skill's table has the same columns (the table would widen it
  ** too, but table by table) */
  double lw = 0;
  for (int lv = 0; lv < cat->nlevels; lv++) {
    double w = sb_lay_min_width(lay, SB_FONT_BOLD, st->size_body,
                                cat->levels[lv].name);
    if (w > lw) lw = w;
  }
  lw += 2 * pad;
  if (lw > cw * 0.3) lw = cw * 0.3;
  if (lw > h->col[0]) {
    h->col[1] -= lw - h->col[0];
    h->col[0] = lw;
  }
  h->foot_role = sb_docs_bound(lay, "role", r->id, r->file, r->line, r->name,
                               SB_FONT_REGULAR, st->size_small,
                               cw * SB_FOOT_NAME_W, SB_LINES_ONE);
  h->cover_role = sb_docs_bound(lay, "role", r->id, r->file, r->line,
                                r->name, SB_FONT_BOLD, st->size_title, cw,
                                SB_LINES_TITLE);
  h->cover_title = sb_docs_bound(lay, "catalogue title", NULL, cat->path, 0,
                                 cat->title, SB_FONT_REGULAR, st->size_h3, cw,
                                 SB_LINES_TITLE);
  sb_docs_bound_head_foot(lay, cat, &h->head_title, &h->version);
  h->author = sb_docs_bound(lay, "catalogue author", NULL, cat->path, 0,
                            cat->author, SB_FONT_REGULAR, st->size_body,
                            cw / 2, SB_LINES_ONE);
  int nl = cat->nlevels;
  h->level_cell = sb_arena_alloc(h->arena, (size_t)(nl + 1) * sizeof(char *));
  h->level_cover = sb_arena_alloc(h->arena, (size_t)(nl + 1) * sizeof(char *));
  if (!h->level_cell || !h->level_cover) return sb_fail_arena(h->ctx);
  for (int lv = 0; lv < nl; lv++) {
    const sb_level *l = &cat->levels[lv];
    h->level_cell[lv] = sb_docs_bound(lay, "level", l->id, l->file, l->line,
                                      l->name, SB_FONT_BOLD, st->size_body,
                                      h->col[0] - 2 * pad, SB_LINES_CELL);
    h->level_cover[lv] = sb_docs_bound(lay, "level", l->id, l->file, l->line,
                                       l->name, SB_FONT_REGULAR,
                                       st->size_body, cw * 0.40 - 2 * pad,
                                       SB_LINES_CELL);
  }
  return sb_lay_status(lay);
}

static sb_status build(hb *h) {
  sb_status s;
  if ((s = cover(h))) return s;
  if ((s = contents(h))) return s;
  if ((s = how_to_read(h))) return s;
  if ((s = charts_hook(h))) return s;
  if ((s = body(h))) return s;
  if (h->since &&
      (s = sb_docs_changes_appendix(h->ctx, h->lay, h->arena, h->st, h->lb,
                                    h->since, h->role)))
    return s;
  return sb_lay_finish(h->lay);
}

sb_status sb_layout_handbook(sb_ctx *ctx, const sb_catalog *cat, int role,
                             const sb_style *st, const sb_labels *lb,
                             const sb_fontset *fs, sb_dl *out) {
  return sb_layout_handbook_since(ctx, cat, NULL, role, st, lb, fs, out);
}

sb_status sb_layout_handbook_since(sb_ctx *ctx, const sb_catalog *cat,
                                   const sb_catalog *old, int role,
                                   const sb_style *st, const sb_labels *lb,
                                   const sb_fontset *fs, sb_dl *out) {
  if (role < 0 || role >= cat->nroles)
    return sb_fail(ctx, SB_E_USAGE, "no role with index %d", role);
  hb h;
  memset(&h, 0, sizeof h);
  h.ctx = ctx;
  h.cat = cat;
  h.role = role;
  h.st = st;
  h.lb = lb;
  h.fs = fs;
  h.llang = sb_docs_label_lang(lb, cat->lang);
  h.arena = out->arena;
  h.role_name = cat->roles[role].name;
  h.skills = sb_arena_alloc(out->arena, (size_t)(cat->nskills + 1) * sizeof(int));
  h.entries = sb_arena_calloc(out->arena,
                              (size_t)(cat->nskills * 3 + 1) * sizeof(entry));
  if (!h.skills || !h.entries)
    return sb_fail_arena(ctx);
  int dom = -1, grp = -1;
  for (int s = 0; s < cat->nskills; s++) {
    const sb_skill *sk = &cat->skills[s];
    if (!sb_cat_skill_has_role(cat, sk, role)) continue;
    h.skills[h.nskills++] = s;
    if (sk->domain != dom) {
      dom = sk->domain;
      grp = -1;
      h.entries[h.nentries++] = (entry){0, dom, {0, 0}};
    }
    if (sk->group != grp) {
      grp = sk->group;
      h.entries[h.nentries++] = (entry){1, grp, {0, 0}};
    }
    h.entries[h.nentries++] = (entry){2, s, {0, 0}};
  }
  long long date = sb_doc_date(cat, h.skills, h.nskills);
  sb_label_date(lb, date, h.date, sizeof h.date);
  double cw = (st->handbook_landscape ? st->page_h : st->page_w) -
              st->margin_left - st->margin_right;
  h.col[0] = cw * 22.0 / 174.0;
  h.col[1] = cw * 127.0 / 174.0;
  h.col[2] = cw - h.col[0] - h.col[1];

  /* one pass: the contents' page numbers and links point at headings laid
  ** out after them, and are filled in by sb_lay_finish (sb_para.ref); the
  ** numbers sit in a column of fixed width, so they move no line */
  h.arena = out->arena;
  h.dl = out;
  h.lay = sb_new_lay(ctx, out->arena, out, st, fs, st->handbook_landscape);
  if (!h.lay) return ctx->status ? ctx->status : SB_E_LIMIT;
  sb_lay_set_furniture(h.lay, furniture, &h);
  sb_cat_diff since;
  if (old) {
    sb_cat_diff_compute(old, cat, &since);
    h.since = &since;
  }
  /* bounded by the ladder's levels, as the document arena's budget */
  h.cells = sb_new_arena(ctx->limits.arena_bytes);
  sb_status s = bound_names(&h, cw);
  if (!s) s = build(&h);
  sb_drop_lay(h.lay);
  sb_drop_arena(h.cells);
  if (old) sb_cat_diff_free(&since);
  if (s) return s;

  sb_docinfo *in = &out->info;
  in->title = sb_arena_printf(out->arena, "%s \xE2\x80\x94 %s", h.role_name,
                              L(&h, SB_L_HANDBOOK));
  in->author = cat->author;
  in->subject = cat->title
                    ? sb_arena_printf(out->arena, "%s: %s", L(&h, SB_L_HANDBOOK),
                                      cat->title)
                    : L(&h, SB_L_HANDBOOK);
  in->keywords = sb_arena_printf(out->arena, "%s, %s", h.role_name,
                                 cat->roles[role].id);
  in->creator = "skillbook " SB_VERSION;
  in->lang = cat->lang ? cat->lang : "en";
  in->date = date;
  return SB_OK;
}
