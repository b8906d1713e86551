/*
** docs/review-book.c -- one book of review packs (a reviewer's, or the
** whole cycle's).
**
** Page one: the book's title (e.g. the reviewer), the catalogue's title
** and version and how many packs, then the contents: one line per pack,
** "Person — Role: current → target", linked, with its page. Then each
** pack (sheet.c, sheet-pack.c) from a new page, in the order given, all in
** one layout: the contents' numbers and links are left open (sb_para.ref)
** and filled in by sb_lay_finish. Bookmarks: one per pack (the person, or
** the role and levels when the review has no name), its domains and "the
** target level's expectations in full" under it.
** Numbering: the viewer's page numbers and the contents count the book's
** pages; the footer of a pack's page counts within the pack ("Role — from
** → to — page 2 of 4", preceded by the person's name), so each printed
** pack reads as the document it would be alone; the contents pages count
** themselves ("TITLE — page 1 of 2"). A book may pass the page limit
** (--limit pages=N, default 20,000: about 6,000 packs of the bundled
** catalogue); the reviews command makes one book per reviewer.
** Tests: tests/cli/sheet_review.sh
*/
#include <stdio.h>
#include <string.h>

#include "sheet-imp.h"

typedef struct book {
  sb_ctx *ctx;
  const sb_catalog *cat;
  const sb_style *st;
  const sb_labels *lb;
  sb_arena *arena;
  sb_lay *lay;
  const char *title;       /* bounded for the cover */
  const char *foot_title;  /* bounded for the contents pages' footer */
  const char *head_title, *version;
  char date[64];
  sheet *packs;
  int n, laid;             /* packs; how many are laid out so far */
} book;

static sb_status oom(book *b) {
  return sb_fail_arena(b->ctx);
}

/* A pack's pages number within the pack; the contents pages within
** themselves. Packs not laid out yet (never at finish) own no page. */
static void furniture(sb_lay *lay, int page, int npages, const char *running,
                      void *user) {
  book *b = user;
  (void)running;
  int lo = 0, hi = b->laid - 1, k = -1;
  while (lo <= hi) { /* the last pack starting at or before page */
    int mid = (lo + hi) / 2;
    if (b->packs[mid].first_page <= page) {
      k = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (k >= 0) {
    sheet *sh = &b->packs[k];
    sb_furniture f = {sh->lb, sh->arena, sh->cat->path, L(sh, SB_L_SHEET),
                      sh->head_title, sh->foot_name,
                      sb_docs_version_date(sh->arena, sh->lb, sh->version,
                                           sh->date), 0};
    (void)npages;
    sb_docs_furniture_num(lay, &f, page, page - sh->first_page + 1,
                          sh->end_page - sh->first_page);
    return;
  }
  int ncontents = b->n ? b->packs[0].first_page : npages;
  sb_furniture f = {b->lb, b->arena, b->cat->path,
                    sb_label(b->lb, SB_L_REVIEW_BOOK), b->head_title,
                    b->foot_title,
                    sb_docs_version_date(b->arena, b->lb, b->version,
                                         b->date), 0};
  sb_docs_furniture_num(lay, &f, page, page + 1, ncontents);
}

/* A pack's name in the contents and its bookmark: "Person — Role: from
** → to", or without a person the role and levels alone. */
static const char *pack_name(book *b, const sheet *sh) {
  const sb_catalog *cat = b->cat;
  const char *to = sh->cross ? sb_arena_printf(b->arena, "%s \xC2\xB7 %s",
                                               cat->roles[sh->to_role].name,
                                               cat->levels[sh->to].name)
                             : cat->levels[sh->to].name;
  const char *what = sb_arena_printf(b->arena, "%s: %s \xE2\x86\x92 %s",
                                     cat->roles[sh->role].name,
                                     cat->levels[sh->from].name, to);
  if (!sh->person || !what) return what;
  return sb_arena_printf(b->arena, "%s \xE2\x80\x94 %s", sh->person, what);
}

static sb_status contents(book *b) {
  sb_lay *lay = b->lay;
  const sb_style *st = b->st;
  const sb_catalog *cat = b->cat;
  sb_src src = {cat->path, 0, "review book contents"};
  if (sb_lay_new_page(lay)) return sb_lay_status(lay);
  sb_span ts = span(b->title, SB_FONT_BOLD, st->text);
  sb_para p = para(&ts, 1, st->size_h1 + 3);
  p.leading = 1.2;
  p.heading = 1;
  p.space_after = 4;
  p.src = src;
  sb_lay_para(lay, &p, NULL, NULL);
  char line[512];
  int o = snprintf(line, sizeof line, "%s", cat->title ? cat->title : "");
  if (cat->version && o >= 0 && (size_t)o < sizeof line)
    o += snprintf(line + o, sizeof line - (size_t)o, "%s%s %s",
                  o ? "  \xC2\xB7  " : "", sb_label(b->lb, SB_L_VERSION),
                  cat->version);
  if (o >= 0 && (size_t)o < sizeof line)
    snprintf(line + o, sizeof line - (size_t)o, "%s%d %s",
             o ? "  \xC2\xB7  " : "", b->n, sb_label(b->lb, SB_L_PACKS));
  sb_span ls = span(sb_arena_strdup(b->arena, line), SB_FONT_REGULAR,
                    st->muted);
  if (!ls.text) return oom(b);
  p = para(&ls, 1, st->size_body + 1);
  p.space_after = 16;
  p.src = src;
  sb_lay_para(lay, &p, NULL, NULL);
  sb_span hs = span(sb_label(b->lb, SB_L_CONTENTS), SB_FONT_BOLD, st->accent);
  p = para(&hs, 1, st->size_h1);
  p.space_after = 8;
  p.heading = 2;
  p.src = src;
  sb_lay_para(lay, &p, NULL, NULL);
  double tail_w = sb_lay_measure(lay, SB_FONT_REGULAR, st->size_body,
                                 "00000");
  for (int i = 0; i < b->n && !sb_lay_status(lay); i++) {
    sheet *sh = &b->packs[i];
    sb_span sp = span(sh->outline_name, SB_FONT_REGULAR, st->text);
    p = para(&sp, 1, st->size_body);
    p.leading = 1.35;
    p.tail = "";
    p.tail_font = SB_FONT_REGULAR;
    p.tail_w = tail_w;
    p.link = 1;
    p.ref = &sh->at;
    p.src = src;
    sb_lay_para(lay, &p, NULL, NULL);
  }
  return sb_lay_status(lay);
}

sb_status sb_layout_review_book(sb_ctx *ctx, const sb_catalog *cat,
                                const sb_review *rv, int n,
                                const char *title, const sb_style *st,
                                const sb_labels *lb, const sb_fontset *fs,
                                sb_dl *out) {
  if (n <= 0 || !rv)
    return sb_fail(ctx, SB_E_USAGE, "a review book needs its reviews");
  book b;
  memset(&b, 0, sizeof b);
  b.ctx = ctx;
  b.cat = cat;
  b.st = st;
  b.lb = lb;
  b.arena = out->arena;
  b.n = n;
  b.packs = sb_arena_calloc(out->arena, (size_t)n * sizeof *b.packs);
  if (!b.packs) return oom(&b);
  for (int i = 0; i < n; i++) {
    sb_status s = sb_sheet_init(&b.packs[i], ctx, cat, &rv[i], st, lb, fs,
                                out->arena);
    if (s) return s;
    b.packs[i].depth = 1;
    b.packs[i].outline_name = pack_name(&b, &b.packs[i]);
    if (!b.packs[i].outline_name) return oom(&b);
  }
  long long date = sb_doc_date(cat, NULL, 0);
  sb_label_date(lb, date, b.date, sizeof b.date);
  b.lay = sb_new_lay(ctx, out->arena, out, st, fs, st->sheet_landscape);
  if (!b.lay) return ctx->status ? ctx->status : SB_E_LIMIT;
  sb_lay_set_furniture(b.lay, furniture, &b);
  double cw = sb_lay_right(b.lay) - sb_lay_left(b.lay);
  const char *t = title && *title ? title : sb_label(lb, SB_L_REVIEW_BOOK);
  sb_src src = {cat->path, 0, "the review book's title"};
  b.title = sb_lay_bound(b.lay, t, SB_FONT_BOLD, st->size_h1 + 3, cw,
                         SB_LINES_TITLE, &src);
  b.foot_title = sb_lay_bound(b.lay, t, SB_FONT_REGULAR, st->size_small,
                              cw * SB_FOOT_NAME_W, SB_LINES_ONE, &src);
  sb_docs_bound_head_foot(b.lay, cat, &b.head_title, &b.version);
  sb_status s = contents(&b);
  for (int i = 0; i < n && !s; i++) {
    sheet *sh = &b.packs[i];
    sh->lay = b.lay;
    sh->dl = out;
    s = sb_sheet_body(sh);
    sh->first_page = sh->at.page;
    sh->end_page = sb_lay_npages(b.lay);
    b.laid = i + 1;
  }
  if (!s) s = sb_lay_finish(b.lay);
  sb_drop_lay(b.lay);
  if (s) return s;
  sb_docinfo *in = &out->info;
  in->title = t;
  in->author = cat->author;
  in->subject = cat->title ? sb_arena_printf(out->arena, "%s: %s",
                                             sb_label(lb, SB_L_REVIEW_BOOK),
                                             cat->title)
                           : sb_label(lb, SB_L_REVIEW_BOOK);
  in->keywords = sb_label(lb, SB_L_SHEET);
  in->creator = "skillbook " SB_VERSION;
  in->lang = cat->lang ? cat->lang : "en";
  in->date = date;
  /* fillable packs keep their fields in the book: each names its person */
  if (rv[0].fillable) sb_sheet_form_info(&b.packs[0], out, 1);
  return SB_OK;
}
