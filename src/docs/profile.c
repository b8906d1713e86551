/*
** docs/profile.c -- the skill profile: the seed page, printed.
**
** One skill, laid out to read like the seed page: name, domain / group,
** keywords, the summary, the derived figures (roles where it appears,
** levels it defines, mandatory, "the other N optional";
** sb_cat_skill_stats), the facts (domain, group, updated) beside the
** chart of mandatory and optional expectations per level
** (sb_chart_skill_bars), then for each level in growth order a table
** headed LEVEL | Mandatory | Expectation with a row per role of the skill
** (a role without an expectation at that level is a visible gap row).
** "Skill profile", the catalogue's title and the style's logo are the
** running header; dates are written for the language (sb_label_date).
**
** With skill -1, one book of every skill's profile: title and contents
** page (domain > skill, page numbers, links), bookmarks, and one profile
** per skill starting on a new page; one set of embedded fonts for all.
** Like the handbook, the book is laid out once: the contents' page
** numbers and links are left open (sb_para.ref) and filled in by
** sb_lay_finish when every profile has recorded where it starts.
** Tests: tests/cli/profile.sh
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skillbook/chart.h"
#include "skillbook/docs.h"
#include "skillbook/layout.h"
#include "docs-imp.h"

typedef struct entry {  /* a contents entry and where its profile fell */
  int depth;            /* 0 domain, 1 skill */
  int index;            /* domain or skill index */
  sb_lay_ref at;        /* filled in by the book, read by sb_lay_finish */
} entry;

typedef struct pf {
  sb_ctx *ctx;
  const sb_catalog *cat;
  int skill;              /* -1 = all */
  const sb_style *st;
  const sb_labels *lb;
  const char *llang;      /* the labels' language when not the catalogue's
                             (sb_docs_label_lang), else NULL */
  const sb_fontset *fs;
  sb_arena *arena;
  sb_dl *dl;
  sb_lay *lay;
  entry *entries;       /* precomputed: domain, skill, ...; places filled in */
  int nentries;
  int ei;                /* next entry to fill in */
  char date[64];          /* localised (sb_label_date); "" = none */
  const char *running_default;
  /* names bounded once for the places that repeat or cannot grow
  ** (docs-imp.h), in the document arena */
  const char *head_title, *version, *book_title;
  const char **level_head;  /* per level: the header cell of its table */
  const char **level_cont;  /* per level: "(continued)" over its table */
  const char **role_cell;   /* per role: the first column of a table */
} pf;

static const char *L(const pf *p, sb_label_id id) { return sb_label(p->lb, id); }

/* A span of label text, tagged with the labels' language (p->llang). */
static sb_span lspan(const pf *p, const char *t, int font, sb_color c) {
  return lspan_in(p->llang, t, font, c);
}

static sb_status oom(pf *p) {
  return sb_fail_arena(p->ctx);
}

/* ==== Furniture ==== */

/* The running header ("Skill profile", the catalogue's title, the style's
** logo) on every page but the book's title page; "SKILL — page X of Y",
** the version and the date in the footer (docs/furniture.c). */
static void furniture(sb_lay *lay, int page, int npages, const char *running,
                      void *user) {
  pf *p = user;
  const char *contents = L(p, SB_L_CONTENTS);
  sb_furniture f = {p->lb, p->arena, p->cat->path, NULL, p->head_title,
                    running ? running : p->running_default,
                    sb_docs_version_date(p->arena, p->lb, p->version,
                                         p->date),
                    p->skill < 0 && page == 0}; /* the book's title page */
  if (p->skill >= 0) f.head_left = L(p, SB_L_PROFILE);
  else if (page > 0)
    f.head_left = running == contents ? L(p, SB_L_PROFILES)
                                      : L(p, SB_L_PROFILE);
  sb_docs_furniture(lay, &f, page, npages);
}

/* ==== One profile ==== */

/* The profile's start on a new page: in the book, the domain's heading
** when the profile opens a domain (de, its contents entry; NULL if not),
** then the skill's name, domain / group, keywords, summary, figures. */
static sb_status head(pf *p, const sb_skill *sk, int book, entry *de) {
  sb_lay *lay = p->lay;
  const sb_style *st = p->st;
  const sb_catalog *cat = p->cat;
  sb_src src = {sk->file, sk->line, sb_arena_printf(p->arena, "skill %s", sk->id)};
  double cw = sb_lay_right(lay) - sb_lay_left(lay);
  const sb_domain *dom = &cat->domains[sk->domain];
  const sb_group *grp = &cat->groups[sk->group];

  /* "Skill profile" and the catalogue's title are the running header; the
  ** skill's name is the footer's */
  sb_lay_set_running(lay, sb_docs_bound(lay, "skill", sk->id, sk->file,
                                        sk->line, sk->name, SB_FONT_REGULAR,
                                        st->size_small, cw * SB_FOOT_NAME_W,
                                        SB_LINES_ONE));
  if (sb_lay_new_page(lay)) return sb_lay_status(lay);

  if (de) {
    /* the domain's bookmark and contents entry point at this heading */
    sb_span dsp = span(dom->name, SB_FONT_BOLD, st->accent);
    sb_para dp = para(&dsp, 1, st->size_h1);
    dp.leading = 1.2;
    dp.space_after = 2;
    dp.heading = 1;
    dp.at = &de->at;
    dp.src.file = dom->file;
    dp.src.line = dom->line;
    dp.src.what = "domain name";
    sb_lay_para(lay, &dp, NULL, NULL);
    sb_lay_rule(lay, st->rule_width, st->accent, 1, 10);
    sb_lay_outline(lay, dom->name, 0, de->at.page, de->at.y);
  }
  sb_span ns = span(sb_docs_bound(lay, "skill", sk->id, sk->file, sk->line,
                                  sk->name, SB_FONT_BOLD, st->size_title - 4,
                                  cw, SB_LINES_TITLE),
                    SB_FONT_BOLD, st->text);
  sb_para pp = para(&ns, 1, st->size_title - 4);
  pp.leading = 1.15;
  pp.space_after = 4;
  pp.heading = book ? 2 : 1;
  pp.src = src;
  pp.at = book ? &p->entries[p->ei++].at : NULL; /* the contents entry */
  int hp;
  double hy;
  sb_lay_para(lay, &pp, &hp, &hy);
  sb_lay_outline(lay, sk->name, book, hp, hy);

  /* domain · group, then keywords */
  double dsz = st->size_body + 0.5;
  sb_span ds[3] = {
      span(sb_docs_bound(lay, "domain", dom->id, dom->file, dom->line,
                         dom->name, SB_FONT_BOLD, dsz, cw, SB_LINES_LINE),
           SB_FONT_BOLD, st->accent),
      span("   \xC2\xB7   ", SB_FONT_REGULAR, st->muted),
      span(sb_docs_bound(lay, "group", grp->id, grp->file, grp->line,
                         grp->name, SB_FONT_BOLD, dsz, cw, SB_LINES_LINE),
           SB_FONT_BOLD, st->accent)};
  pp = para(ds, 3, dsz);
  pp.space_after = 3;
  pp.src = src;
  sb_lay_para(lay, &pp, NULL, NULL);
  char *kw = sk->nkeywords > 0 ? sb_docs_join_keywords(p->arena, sk) : NULL;
  if (sk->nkeywords > 0 && !kw) return oom(p);
  /* the keywords, unless the summary says the same */
  if (kw && !(sk->summary && strcmp(sk->summary, kw) == 0)) {
    sb_span ks = span(kw, SB_FONT_ITALIC, st->muted);
    pp = para(&ks, 1, st->size_body);
    pp.space_after = 3;
    pp.src = src;
    sb_lay_para(lay, &pp, NULL, NULL);
  }
  if (sk->summary) {
    sb_span ss = span(sk->summary, SB_FONT_REGULAR, st->text);
    pp = para(&ss, 1, st->size_body);
    pp.space_before = 4;
    pp.right = cw * 0.15;
    pp.src = src;
    sb_lay_para(lay, &pp, NULL, NULL);
  }
  sb_lay_space(lay, 10);

  /* the figures: roles, levels, mandatory (with the others optional) */
  sb_skill_stats fsx;
  sb_cat_skill_stats(cat, sk, &fsx);
  char other[256];
  sb_docs_fill_numbers(other, sizeof other, L(p, SB_L_OTHER_OPTIONAL),
                       fsx.optional, 0);
  sb_docs_figures fg = {st, {{L(p, SB_L_ROLES), fsx.roles, 24, st->accent,
                              L(p, SB_L_ROLES_WHERE)},
                             {L(p, SB_L_LEVELS), fsx.levels, 24, st->accent,
                              L(p, SB_L_PROFILE_LEVELS)},
                             {L(p, SB_L_MANDATORY), fsx.mandatory, 24,
                              st->accent, L(p, SB_L_PROFILE_MANDATORY)},
                             {L(p, SB_L_OPTIONAL), fsx.optional, 18,
                              st->muted, sb_arena_strdup(p->arena, other)}},
                        1.5, st->table_rule_width, st->rule, 4, src,
                        p->llang};
  if (!fg.fig[3].note) return oom(p);
  sb_status s = sb_docs_draw_figures(p->ctx, lay, p->arena, &fg);
  if (s) return s;
  sb_lay_space(lay, 12); /* the table rules its last row */

  return sb_lay_status(lay);
}

/* The facts (domain, group, updated: a small table at the left) beside
** the chart of expectations per level (its title above it, at the right),
** kept together on one page. */
static sb_status chart(pf *p, const sb_skill *sk) {
  sb_lay *lay = p->lay;
  const sb_style *st = p->st;
  const sb_catalog *cat = p->cat;
  sb_src src = {sk->file, sk->line, sb_arena_printf(p->arena, "skill %s", sk->id)};
  double x0 = sb_lay_left(lay), cw = sb_lay_right(lay) - x0;
  double fw = cw * 0.34, gap = cw * 0.04;
  double cx = x0 + fw + gap, chw = cw - fw - gap;

  /* the facts: label | value */
  char updated[64];
  sb_docs_iso_date(p->lb, sk->updated, updated, sizeof updated);
  sb_span fk[3], fv[3];
  sb_cell fc[6];
  memset(fc, 0, sizeof fc);
  fk[0] = lspan(p, L(p, SB_L_DOMAIN), SB_FONT_BOLD, st->muted);
  fk[1] = lspan(p, L(p, SB_L_GROUP), SB_FONT_BOLD, st->muted);
  fk[2] = lspan(p, L(p, SB_L_UPDATED), SB_FONT_BOLD, st->muted);
  const sb_domain *dom = &cat->domains[sk->domain];
  const sb_group *grp = &cat->groups[sk->group];
  fv[0] = span(dom->name, SB_FONT_REGULAR, st->text);
  fv[1] = span(grp->name, SB_FONT_REGULAR, st->text);
  fv[2] = lspan(p, updated[0] ? sb_arena_strdup(p->arena, updated)
                               : "\xE2\x80\x94",
                SB_FONT_REGULAR, st->text); /* a date in the labels' words */
  if (!fv[2].text) return oom(p);
  double kw = 0;
  for (int i = 0; i < 3; i++) {
    double w = sb_lay_measure(lay, SB_FONT_BOLD, st->size_small, fk[i].text);
    if (w > kw) kw = w;
    fc[2 * i].spans = &fk[i];
    fc[2 * i].nspans = 1;
    fc[2 * i].size = st->size_small;
    fc[2 * i + 1].spans = &fv[i];
    fc[2 * i + 1].nspans = 1;
  }
  kw += 2 * st->cell_pad + 2;
  if (kw > fw * 0.5) kw = fw * 0.5;
  double w2[2] = {kw, fw - kw};
  /* the facts sit beside the chart, in a band of fixed height */
  fv[0].text = sb_docs_bound(lay, "domain", dom->id, dom->file, dom->line,
                             dom->name, SB_FONT_REGULAR, st->size_body,
                             fw - kw - 6, SB_LINES_CELL);
  fv[1].text = sb_docs_bound(lay, "group", grp->id, grp->file, grp->line,
                             grp->name, SB_FONT_REGULAR, st->size_body,
                             fw - kw - 6, SB_LINES_CELL);
  sb_table t;
  memset(&t, 0, sizeof t);
  t.ncols = 2;
  t.widths = w2;
  t.x = x0;
  t.size = st->size_body;
  t.pad = 3;
  t.src = src;
  double facts_h = 0;
  for (int i = 0; i < 3; i++) facts_h += sb_lay_row_height(lay, &t, &fc[2 * i]);

  /* the chart's title, then the chart */
  double title_size = st->size_h3, title_h = title_size * 1.2 + 4;
  double ch = 104;
  double h = title_h + ch;
  if (facts_h > h) h = facts_h;
  if (sb_lay_need(lay, h)) return sb_lay_status(lay);
  int pg = sb_lay_page(lay);
  double y = sb_lay_y(lay);
  sb_src ts = src;
  ts.what = "chart title";
  sb_span cs = lspan(p, L(p, SB_L_CHART_PER_LEVEL), SB_FONT_BOLD, st->text);
  sb_lay_span_at(lay, pg, cx, y + title_size, title_size, SB_ALIGN_LEFT, &cs,
                 &ts);
  sb_status s = sb_chart_skill_bars(p->ctx, p->dl, pg, cx, y + title_h,
                                    chw, ch, cat, sk, st, p->lb, p->fs);
  if (s) return s;
  /* the facts table flows from y; then skip to the band's end */
  sb_lay_line(lay, pg, x0, y, x0 + fw, y, st->table_rule_width, st->rule, 0);
  double y0 = sb_lay_y(lay);
  sb_lay_table(lay, &t, fc, 3, NULL);
  double used = sb_lay_y(lay) - y0;
  if (h > used) sb_lay_skip(lay, h - used);
  sb_lay_space(lay, 8);
  return sb_lay_status(lay);
}

static sb_status levels(pf *p, const sb_skill *sk, int book) {
  sb_lay *lay = p->lay;
  const sb_style *st = p->st;
  const sb_catalog *cat = p->cat;
  sb_src src = {sk->file, sk->line, NULL};
  src.what = sb_arena_printf(p->arena, "skill %s: expectations", sk->id);
  /* roles of the skill, in catalogue order */
  int *roles = sb_arena_alloc(p->arena, (size_t)(cat->nroles + 1) * sizeof(int));
  sb_cell *rows = sb_arena_calloc(p->arena,
                                  (size_t)(cat->nroles + 1) * 3 * sizeof *rows);
  sb_span *sp = sb_arena_calloc(p->arena,
                                (size_t)(cat->nroles + 1) * 3 * sizeof *sp);
  if (!roles || !rows || !sp) return oom(p);
  int nr = 0;
  for (int r = 0; r < cat->nroles; r++)
    if (sb_cat_skill_has_role(cat, sk, r)) roles[nr++] = r;

  sb_span hs = lspan(p, L(p, SB_L_PROFILE_BY_LEVEL), SB_FONT_BOLD, st->text);
  sb_para pp = para(&hs, 1, st->size_h2 + 1);
  pp.space_after = 2;
  pp.keep_with_next = 90;
  pp.heading = book ? 3 : 2;
  pp.src = src;
  sb_lay_para(lay, &pp, NULL, NULL);

  /* each level's table is headed by the level's name over the roles (the
  ** seed's "Role" column), then Mandatory and Expectation; the header
  ** repeats with "(continued)" when a table breaks */
  sb_span hsp[3] = {span("", SB_FONT_BOLD, st->accent),
                    lspan(p, L(p, SB_L_MANDATORY), SB_FONT_REGULAR,
                          st->header_text),
                    lspan(p, L(p, SB_L_EXPECTATION), SB_FONT_REGULAR,
                          st->header_text)};
  sb_cell hc[3];
  memset(hc, 0, sizeof hc);
  for (int c = 0; c < 3; c++) {
    hc[c].spans = &hsp[c];
    hc[c].nspans = 1;
    hc[c].size = st->size_body;
  }
  /* columns: the role's name; the mark and word, as wide as the longest
  ** word of the language needs; the rest for the expectation */
  double cw = sb_lay_right(lay) - sb_lay_left(lay);
  double pad = st->cell_pad > 3.5 ? st->cell_pad - 1 : st->cell_pad;
  double mw = 0;
  sb_label_id mk[2] = {SB_L_MANDATORY, SB_L_OPTIONAL};
  for (int i = 0; i < 2; i++) {
    double w = sb_lay_measure(lay, SB_FONT_BOLD, st->size_small, L(p, mk[i])) +
               st->size_small * 1.12; /* the mark and its gap (table.c) */
    if (w > mw) mw = w;
  }
  mw += 2 * pad + 2;
  if (mw < cw * 0.10) mw = cw * 0.10;
  if (mw > cw * 0.18) mw = cw * 0.18;
  double col[3] = {cw * 0.20, mw, 0};
  col[2] = cw - col[0] - col[1];
  /* levels in growth order (cat->levels is in growth order) */
  for (int lv = 0; lv < cat->nlevels && !sb_lay_status(lay); lv++) {
    int any = 0;
    for (int i = 0; i < nr; i++)
      if (sb_cat_expect(cat, sk, lv, roles[i])) any = 1;
    if (!any) continue;
    for (int i = 0; i < nr; i++) {
      const sb_expect *x = sb_cat_expect(cat, sk, lv, roles[i]);
      sb_cell *r = &rows[i * 3];
      memset(r, 0, 3 * sizeof *r);
      sp[i * 3] = span(p->role_cell[roles[i]], SB_FONT_BOLD, st->text);
      r[0].spans = &sp[i * 3];
      r[0].nspans = 1;
      if (x) {
        sp[i * 3 + 1] = lspan(p, L(p, x->mandatory ? SB_L_MANDATORY
                                                   : SB_L_OPTIONAL),
                              x->mandatory ? SB_FONT_BOLD : SB_FONT_REGULAR,
                              x->mandatory ? st->text : st->muted);
        r[1].spans = &sp[i * 3 + 1];
        r[1].nspans = 1;
        r[1].size = st->size_small;
        r[1].mark = x->mandatory ? SB_MARK_FILLED : SB_MARK_OPEN;
        r[1].mark_color = x->mandatory ? st->text : st->muted;
        sp[i * 3 + 2] = span(x->text, SB_FONT_REGULAR, st->text);
      } else {
        sp[i * 3 + 2] = lspan(p, L(p, SB_L_GAP), SB_FONT_ITALIC, st->muted);
      }
      r[2].spans = &sp[i * 3 + 2];
      r[2].nspans = 1;
    }
    sb_table t;
    memset(&t, 0, sizeof t);
    t.ncols = 3;
    t.row_header = 1; /* tagged PDF: the first cell heads its row */
    t.widths = col;
    t.size = st->size_body - 0.5;
    t.pad = pad;
    t.header = hc;
    t.zebra = 1;
    t.keep_rows = 1;
    t.continued = sb_arena_printf(p->arena, "%s (%s)", p->level_cont[lv],
                                  L(p, SB_L_CONTINUED));
    t.src = src;
    hsp[0].text = p->level_head[lv];
    sb_lay_space(lay, 9);
    sb_lay_table(lay, &t, rows, nr, NULL);
  }
  return sb_lay_status(lay);
}

/* One profile; book: in the profile book, de: the domain it opens there
** (NULL if none). */
static sb_status one(pf *p, int si, int book, entry *de) {
  const sb_skill *sk = &p->cat->skills[si];
  sb_status s;
  if ((s = head(p, sk, book, de))) return s;
  if ((s = chart(p, sk))) return s;
  return levels(p, sk, book);
}

/* ==== The book ==== */

static sb_status book_title(pf *p) {
  sb_lay *lay = p->lay;
  const sb_style *st = p->st;
  const sb_catalog *cat = p->cat;
  sb_src src = {cat->path, 0, "contents"};
  sb_lay_set_running(lay, L(p, SB_L_CONTENTS));
  if (sb_lay_new_page(lay)) return sb_lay_status(lay);
  int pg = sb_lay_page(lay);
  sb_lay_rect(lay, pg, sb_lay_left(lay), sb_lay_top(lay),
              sb_lay_right(lay) - sb_lay_left(lay), 4, 1, st->accent, 0,
              st->accent);
  double skip = 30;
  if (st->logo_png && st->logo_px_w > 0) { /* the style's logo, top left */
    double lw = st->logo_w, lh = lw * st->logo_px_h / st->logo_px_w;
    if (lh > 60) lh = 60, lw = lh * st->logo_px_w / st->logo_px_h;
    sb_lay_image(lay, pg, sb_lay_left(lay), sb_lay_top(lay) + 16, lw, lh,
                 st->logo_png, st->logo_len, st->logo_px_w, st->logo_px_h);
    skip = lh + 34;
  }
  sb_lay_skip(lay, skip);
  sb_span ts = lspan(p, L(p, SB_L_PROFILES), SB_FONT_BOLD, st->text);
  sb_para pp = para(&ts, 1, st->size_title);
  pp.leading = 1.15;
  pp.space_after = 6;
  pp.src = src;
  sb_lay_para(lay, &pp, NULL, NULL);
  char line[1024];
  size_t n = 0;
  line[0] = 0;
  if (p->book_title)
    n += (size_t)snprintf(line + n, sizeof line - n, "%s", p->book_title);
  if (p->version && n < sizeof line)
    n += (size_t)snprintf(line + n, sizeof line - n, "%s%s %s",
                          n ? "  \xC2\xB7  " : "", L(p, SB_L_VERSION),
                          p->version);
  if (p->date[0] && n < sizeof line)
    snprintf(line + n, sizeof line - n, "%s%s: %s", n ? "  \xC2\xB7  " : "",
             L(p, SB_L_DATE), p->date);
  if (line[0]) {
    sb_span ls[4];
    int nls = 0;
    ls[nls++] = span(sb_arena_strdup(p->arena, line), SB_FONT_REGULAR,
                     st->muted);
    if (p->llang) { /* labels in another language: spans of their own */
      const char *sep = "  \xC2\xB7  ";
      nls = 0;
      if (p->book_title)
        ls[nls++] = span(p->book_title, SB_FONT_REGULAR, st->muted);
      if (p->version) {
        const char *v = sb_arena_printf(p->arena, "%s%s ", nls ? sep : "",
                                        L(p, SB_L_VERSION));
        ls[nls++] = lspan(p, v, SB_FONT_REGULAR, st->muted);
        ls[nls++] = span(p->version, SB_FONT_REGULAR, st->muted);
      }
      if (p->date[0]) {
        const char *d = sb_arena_printf(p->arena, "%s%s: %s", nls ? sep : "",
                                        L(p, SB_L_DATE), p->date);
        ls[nls++] = lspan(p, d, SB_FONT_REGULAR, st->muted);
      }
    }
    for (int i = 0; i < nls; i++)
      if (!ls[i].text) return oom(p);
    pp = para(ls, nls, st->size_body + 1);
    pp.src = src;
    sb_lay_para(lay, &pp, NULL, NULL);
  }
  sb_lay_space(lay, 18);
  sb_span hs = lspan(p, L(p, SB_L_CONTENTS), SB_FONT_BOLD, st->accent);
  pp = para(&hs, 1, st->size_h1);
  pp.space_after = 8;
  pp.heading = 1;
  pp.src = src;
  sb_lay_para(lay, &pp, NULL, NULL);
  double tail_w = sb_lay_measure(lay, SB_FONT_REGULAR, st->size_body, "0000");
  sb_lay_struct_begin(lay, -1, SB_STRUCT_TOC, 0, 0, NULL); /* tagged PDF */
  for (int i = 0; i < p->nentries && !sb_lay_status(lay); i++) {
    const entry *e = &p->entries[i];
    const char *name = e->depth == 0 ? cat->domains[e->index].name
                                     : cat->skills[e->index].name;
    int font = e->depth == 0 ? SB_FONT_BOLD : SB_FONT_REGULAR;
    sb_span sp = span(name, font, e->depth == 0 ? st->accent : st->text);
    double size = e->depth == 0 ? st->size_body + 0.5 : st->size_body;
    pp = para(&sp, 1, size);
    pp.indent = e->depth * 14;
    pp.space_before = e->depth == 0 ? 7 : 0;
    pp.leading = 1.28;
    pp.keep_with_next = e->depth == 0 ? size * 2.6 : 0;
    pp.tail = ""; /* the number comes at the end (pp.ref) */
    pp.tail_font = font;
    pp.tail_w = tail_w;
    pp.link = 1;
    pp.ref = &e->at;
    pp.src = src;
    pp.tag = SB_STRUCT_TOCI;
    sb_lay_para(lay, &pp, NULL, NULL);
  }
  sb_lay_struct_end(lay, -1, SB_STRUCT_TOC);
  return sb_lay_status(lay);
}

/* The names the profile prints in places that repeat or cannot grow,
** bounded once (docs-imp.h): the catalogue's title and version,
** level names over tables, role names in their first column. The widths
** are those levels() gives the columns. */
static sb_status bound_names(pf *p) {
  sb_lay *lay = p->lay;
  const sb_style *st = p->st;
  const sb_catalog *cat = p->cat;
  double cw = sb_lay_right(lay) - sb_lay_left(lay);
  double pad = st->cell_pad > 3.5 ? st->cell_pad - 1 : st->cell_pad;
  sb_docs_bound_head_foot(lay, cat, &p->head_title, &p->version);
  p->book_title = sb_docs_bound(lay, "catalogue title", NULL, cat->path, 0,
                                cat->title, SB_FONT_REGULAR,
                                st->size_body + 1, cw * 0.6, SB_LINES_ONE);
  p->level_head = sb_arena_alloc(p->arena,
                                 (size_t)(cat->nlevels + 1) * sizeof(char *));
  p->level_cont = sb_arena_alloc(p->arena,
                                 (size_t)(cat->nlevels + 1) * sizeof(char *));
  p->role_cell = sb_arena_alloc(p->arena,
                                (size_t)(cat->nroles + 1) * sizeof(char *));
  if (!p->level_head || !p->level_cont || !p->role_cell) return oom(p);
  for (int lv = 0; lv < cat->nlevels; lv++) {
    const sb_level *l = &cat->levels[lv];
    p->level_head[lv] = sb_docs_bound(lay, "level", l->id, l->file, l->line,
                                      l->name, SB_FONT_BOLD, st->size_body,
                                      cw * 0.20 - 2 * pad, SB_LINES_HEAD);
    p->level_cont[lv] = sb_docs_bound(lay, "level", l->id, l->file, l->line,
                                      l->name, SB_FONT_ITALIC,
                                      st->size_small, cw * 0.7, SB_LINES_ONE);
  }
  for (int r = 0; r < cat->nroles; r++) {
    const sb_role *ro = &cat->roles[r];
    p->role_cell[r] = sb_docs_bound(lay, "role", ro->id, ro->file, ro->line,
                                    ro->name, SB_FONT_BOLD,
                                    st->size_body - 0.5, cw * 0.20 - 2 * pad,
                                    SB_LINES_CELL);
  }
  return sb_lay_status(lay);
}

static sb_status build(pf *p) {
  sb_status s;
  if ((s = bound_names(p))) return s;
  if (p->skill >= 0) {
    if ((s = one(p, p->skill, 0, NULL))) return s;
    return sb_lay_finish(p->lay);
  }
  if ((s = book_title(p))) return s;
  const sb_catalog *cat = p->cat;
  int dom = -1;
  p->ei = 0;
  for (int i = 0; i < cat->nskills; i++) {
    const sb_skill *sk = &cat->skills[i];
    entry *de = NULL;
    if (sk->domain != dom) { /* the profile opens the domain: its heading */
      dom = sk->domain;
      de = &p->entries[p->ei++];
    }
    if ((s = one(p, i, 1, de))) return s;
  }
  return sb_lay_finish(p->lay);
}

sb_status sb_layout_profile(sb_ctx *ctx, const sb_catalog *cat, int skill,
                            const sb_style *st, const sb_labels *lb,
                            const sb_fontset *fs, sb_dl *out) {
  if (skill < -1 || skill >= cat->nskills)
    return sb_fail(ctx, SB_E_USAGE, "no skill with index %d", skill);
  pf p;
  memset(&p, 0, sizeof p);
  p.ctx = ctx;
  p.cat = cat;
  p.skill = skill;
  p.st = st;
  p.lb = lb;
  p.llang = sb_docs_label_lang(lb, cat->lang);
  p.fs = fs;
  p.arena = out->arena;
  p.entries = sb_arena_calloc(out->arena,
                              (size_t)(cat->nskills * 2 + 1) * sizeof(entry));
  if (!p.entries) return oom(&p);
  for (int i = 0, dom = -1; skill < 0 && i < cat->nskills; i++) {
    if (cat->skills[i].domain != dom) {
      dom = cat->skills[i].domain;
      p.entries[p.nentries++] = (entry){0, dom, {0, 0}};
    }
    p.entries[p.nentries++] = (entry){1, i, {0, 0}};
  }
  long long date = skill >= 0 ? sb_doc_date(cat, &skill, 1)
                              : sb_doc_date(cat, NULL, 0);
  sb_label_date(lb, date, p.date, sizeof p.date);
  p.running_default = L(&p, SB_L_PROFILES); /* a profile sets its own */
  /* one pass: the contents' page numbers and links point at profiles
  ** laid out after them, and are filled in by sb_lay_finish (sb_para.ref);
  ** the numbers sit in a column of fixed width, so they move no line */
  p.dl = out;
  p.lay = sb_new_lay(ctx, out->arena, out, st, fs, st->profile_landscape);
  if (!p.lay) return ctx->status ? ctx->status : SB_E_LIMIT;
  sb_lay_set_furniture(p.lay, furniture, &p);
  sb_status s = build(&p);
  sb_drop_lay(p.lay);
  if (s) return s;

  sb_docinfo *in = &out->info;
  if (skill >= 0) {
    in->title = sb_arena_printf(out->arena, "%s \xE2\x80\x94 %s",
                                cat->skills[skill].name, L(&p, SB_L_PROFILE));
    in->keywords = sb_arena_printf(out->arena, "%s, %s",
                                   cat->skills[skill].name,
                                   cat->skills[skill].id);
  } else {
    in->title = cat->title ? sb_arena_printf(out->arena, "%s \xE2\x80\x94 %s",
                                             L(&p, SB_L_PROFILES), cat->title)
                           : L(&p, SB_L_PROFILES);
    in->keywords = L(&p, SB_L_PROFILES);
  }
  in->author = cat->author;
  in->subject = cat->title ? sb_arena_printf(out->arena, "%s: %s",
                                             L(&p, SB_L_PROFILE), cat->title)
                           : L(&p, SB_L_PROFILE);
  in->creator = "skillbook " SB_VERSION;
  in->lang = cat->lang ? cat->lang : "en";
  in->date = date;
  return SB_OK;
}
