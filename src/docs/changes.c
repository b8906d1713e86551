/*
** docs/changes.c -- "What changed in the ladder": the changes between two
** versions of a catalogue as a printable document, and a role's appendix
** to its handbook (changes.h).
**
** Cover: the title, the two versions (name, version, date), the figures
** of the whole diff, a table of figures per role, and the legend. Then
** "The catalogue" (roles, levels and skills added, removed, renamed,
** moved; the level order), then one part per role with changes: its
** figures, and per level a table Skill | Before | After with one row per
** changed expectation: the old text with the removed words in italic,
** the new text with the added words in bold (each also in a colour, which
** the ink-saver style turns into greys: the fonts carry the difference),
** a filled square for mandatory and an open one for optional on each side.
** The printed words are English for now (not yet in the label tables):
** in a catalogue of another language they are tagged /Lang en (cx.wlang;
** a line "New role: X" has its words and the name as spans of their own).
** Tests: tests/cli/diff.sh
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skillbook/diff.h"
#include "changes.h"
#include "docs-imp.h"

/* ==== Rows: one per changed expectation ==== */

typedef struct row {
  long role_key, level_key, skill_key;
  int nrole, orole, nlevel, olevel, nskill, oskill;
  const sb_expect *oe, *ne;
  unsigned kinds;       /* 1 << sb_change_kind */
} row;

typedef struct cx {
  sb_ctx *ctx;
  const sb_cat_diff *d;
  const sb_style *st;
  const sb_labels *lb;
  sb_arena *arena;
  sb_lay *lay;
  sb_color add_c, del_c;
  row *rows;
  int nrows;
  const char *head_title, *version, *since;
  const char *now;      /* "version V" of the new catalogue, or NULL */
  const char *wlang;    /* the printed (English) words' language when not
                           the catalogue's ("en"), else NULL */
  double cw;
} cx;

static int cmp_row(const void *a, const void *b) {
  const row *x = a, *y = b;
  if (x->role_key != y->role_key) return x->role_key < y->role_key ? -1 : 1;
  if (x->level_key != y->level_key) return x->level_key < y->level_key ? -1 : 1;
  if (x->skill_key != y->skill_key) return x->skill_key < y->skill_key ? -1 : 1;
  return 0;
}

/* The expectation changes as rows sorted by role, level and skill, a text
** change and a flip of one expectation merged. Heap; NULL when none. */
static row *make_rows(const sb_cat_diff *d, int *nout) {
  const sb_catalog *o = d->old, *n = d->cur;
  row *r = sb_xmalloc(((size_t)d->nchanges + 1) * sizeof *r);
  int k = 0;
  for (int i = 0; i < d->nchanges; i++) {
    const sb_change *c = &d->changes[i];
    if (c->kind < SB_CH_EXPECT_ADDED) continue;
    row *x = &r[k++];
    x->role_key = c->nrole >= 0 ? c->nrole : (long)n->nroles + c->orole;
    x->level_key = c->nlevel >= 0 ? n->levels[c->nlevel].index
                                  : (long)n->nlevels + o->levels[c->olevel].index;
    x->skill_key = c->nskill >= 0 ? n->skills[c->nskill].index
                                  : (long)n->nskills + o->skills[c->oskill].index;
    x->nrole = c->nrole;
    x->orole = c->orole;
    x->nlevel = c->nlevel;
    x->olevel = c->olevel;
    x->nskill = c->nskill;
    x->oskill = c->oskill;
    x->oe = c->oe;
    x->ne = c->ne;
    x->kinds = 1u << c->kind;
  }
  qsort(r, (size_t)k, sizeof *r, cmp_row);
  int m = 0;
  for (int i = 0; i < k; i++) {
    if (m && cmp_row(&r[m - 1], &r[i]) == 0) {
      r[m - 1].kinds |= r[i].kinds;
      if (!r[m - 1].oe) r[m - 1].oe = r[i].oe;
      if (!r[m - 1].ne) r[m - 1].ne = r[i].ne;
      continue;
    }
    r[m++] = r[i];
  }
  *nout = m;
  return r;
}

/* ==== Small helpers ==== */

static char *fmt(cx *c, const char *f, ...) __attribute__((format(printf, 2, 3)));
static char *fmt(cx *c, const char *f, ...) {
  char buf[2048];
  va_list ap;
  va_start(ap, f);
  vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  static char empty[1];
  char *s = sb_arena_strdup(c->arena, buf);
  return s ? s : empty;
}

/* A paragraph of one span in lang (NULL: the document's). */
static sb_status para_in(cx *c, const char *lang, const char *t, int font,
                         double size, sb_color col, double before,
                         double after, int heading) {
  sb_span sp = lspan_in(lang, t, font, col);
  sb_para p = para(&sp, 1, size);
  p.space_before = before;
  p.space_after = after;
  p.heading = heading;
  if (heading) p.keep_with_next = 60;
  p.src.file = c->d->cur->path;
  p.src.what = "changes";
  return sb_lay_para(c->lay, &p, NULL, NULL);
}

/* "Version 2 · 3 March 2026" for a catalogue (in the arena), or its path
** when it has neither. */
static const char *version_line(cx *c, const sb_catalog *cat) {
  char date[64];
  sb_docs_iso_date(c->lb, sb_cat_newest_updated(cat), date, sizeof date);
  const char *v = sb_docs_version_date(c->arena, c->lb, cat->version, date);
  return v ? v : cat->path;
}

/* Which words of a paragraph's word diff become spans: the old side (a's
** words, the removed ones italic), the new side (b's, the added ones bold),
** or both, as wdiff prints them. */
enum { SIDE_OLD, SIDE_NEW, SIDE_BOTH };

static sb_status diff_spans(cx *c, const char *a, const char *b, int side,
                            sb_span **out, int *nout) {
  sb_wdiff wd;
  sb_word_diff(a, b, 0, &wd);
  sb_span *sp = sb_arena_calloc(c->arena, ((size_t)wd.nruns + 1) * sizeof *sp);
  int n = 0;
  sb_status s = SB_OK;
  if (!sp) s = sb_fail_arena(c->ctx);
  for (int i = 0; !s && i < wd.nruns; i++) {
    const sb_wd_run *r = &wd.runs[i];
    if ((side == SIDE_NEW && r->op == SB_WD_DEL) ||
        (side == SIDE_OLD && r->op == SB_WD_ADD))
      continue;
    int from_b = r->op == SB_WD_ADD || (side == SIDE_NEW && r->op == SB_WD_SAME);
    char *x = sb_arena_strndup(c->arena, from_b ? b + r->b_off : a + r->a_off,
                               from_b ? r->b_len : r->a_len);
    /* both: a removed run at a paragraph's end keeps a space before what
    ** follows */
    if (x && side == SIDE_BOTH && r->op == SB_WD_DEL && i + 1 < wd.nruns &&
        x[0] && x[strlen(x) - 1] != ' ')
      x = sb_arena_printf(c->arena, "%s ", x);
    if (!x) {
      s = sb_fail_arena(c->ctx);
      break;
    }
    sp[n++] = r->op == SB_WD_SAME  ? span(x, SB_FONT_REGULAR, c->st->text)
              : r->op == SB_WD_ADD ? span(x, SB_FONT_BOLD, c->add_c)
                                   : span(x, SB_FONT_ITALIC, c->del_c);
  }
  sb_wdiff_free(&wd);
  *out = sp;
  *nout = n;
  return s;
}

static const char *kinds_text(cx *c, unsigned k) {
  char buf[256];
  size_t n = 0;
  static const struct {
    sb_change_kind k;
    const char *t;
  } names[] = {{SB_CH_EXPECT_ADDED, "added"},
               {SB_CH_EXPECT_REMOVED, "removed"},
               {SB_CH_EXPECT_TEXT, "text changed"},
               {SB_CH_EXPECT_MANDATORY, "became mandatory"},
               {SB_CH_EXPECT_OPTIONAL, "became optional"}};
  buf[0] = 0;
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (k & (1u << names[i].k))
      n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s",
                            n ? " \xC2\xB7 " : "", names[i].t);
  return fmt(c, "%s", buf);
}

/* ==== One role's changes: figures, then a table per level ==== */

static const char *level_name(cx *c, const row *r) {
  return r->nlevel >= 0 ? c->d->cur->levels[r->nlevel].name
                        : fmt(c, "%s (removed level)",
                              c->d->old->levels[r->olevel].name);
}

static const char *skill_name(cx *c, const row *r) {
  return r->nskill >= 0 ? c->d->cur->skills[r->nskill].name
                        : c->d->old->skills[r->oskill].name;
}

static sb_status level_table(cx *c, const row *r, int n) {
  const sb_style *st = c->st;
  sb_status s = para_in(c, NULL, level_name(c, r), SB_FONT_BOLD, st->size_h3,
                        st->accent, 10, 4, 2);
  if (s) return s;
  double w[3] = {c->cw * 0.22, c->cw * 0.39, c->cw * 0.39};
  sb_span hs[3] = {
      lspan_in(c->wlang, "Skill", SB_FONT_BOLD, st->header_text),
      lspan_in(c->wlang, fmt(c, "Before (%s)", c->since), SB_FONT_BOLD,
               st->header_text),
      lspan_in(c->wlang, c->now ? fmt(c, "After (%s)", c->now) : "After",
               SB_FONT_BOLD, st->header_text)};
  sb_cell hc[3];
  memset(hc, 0, sizeof hc);
  for (int i = 0; i < 3; i++) {
    hc[i].spans = &hs[i];
    hc[i].nspans = 1;
  }
  sb_cell *cells = sb_arena_calloc(c->arena, (size_t)n * 3 * sizeof *cells);
  sb_span *names = sb_arena_calloc(c->arena, (size_t)n * 2 * sizeof *names);
  if (!cells || !names) return sb_fail_arena(c->ctx);
  for (int i = 0; i < n; i++) {
    const row *x = &r[i];
    sb_cell *row3 = &cells[i * 3];
    names[i * 2] = span(skill_name(c, x), SB_FONT_BOLD, st->text);
    names[i * 2 + 1] = lspan_in(c->wlang, kinds_text(c, x->kinds),
                               SB_FONT_REGULAR, st->muted);
    row3[0].spans = &names[i * 2];
    row3[0].nspans = 1;
    row3[0].sub = &names[i * 2 + 1];
    row3[0].nsub = 1;
    row3[0].sub_size = st->size_small;
    for (int side = 0; side < 2; side++) {
      const sb_expect *e = side ? x->ne : x->oe;
      sb_cell *cell = &row3[1 + side];
      if (!e) {
        sb_span *none = sb_arena_calloc(c->arena, sizeof *none);
        if (!none) return sb_fail_arena(c->ctx);
        *none = lspan_in(c->wlang, side ? "(removed)" : "(none)",
                         SB_FONT_ITALIC, st->muted);
        cell->spans = none;
        cell->nspans = 1;
        continue;
      }
      sb_span *sp;
      int ns;
      if (x->oe && x->ne) {
        s = diff_spans(c, x->oe->text, x->ne->text, side ? SIDE_NEW : SIDE_OLD,
                       &sp, &ns);
      } else {
        sp = sb_arena_calloc(c->arena, sizeof *sp);
        if (!sp) return sb_fail_arena(c->ctx);
        *sp = span(e->text, SB_FONT_REGULAR, st->text);
        ns = 1;
      }
      if (s) return s;
      cell->spans = sp;
      cell->nspans = ns;
      cell->mark = e->mandatory ? SB_MARK_FILLED : SB_MARK_OPEN;
      cell->mark_color = st->text;
    }
  }
  sb_table t;
  memset(&t, 0, sizeof t);
  t.ncols = 3;
  t.widths = w;
  t.size = st->size_body;
  t.pad = -1;
  t.header = hc;
  t.zebra = 1;
  t.keep_rows = 1;
  t.continued = fmt(c, "%s (continued)", level_name(c, r));
  t.repeat = SB_REPEAT_HEADER | SB_REPEAT_CAPTION;
  t.src.file = c->d->cur->path;
  t.src.what = "changes table";
  return sb_lay_table(c->lay, &t, cells, n, NULL);
}

static const char *figures_line(cx *c, int nrole, int orole) {
  int k[SB_CH_COUNT];
  sb_cat_diff_role_counts(c->d, nrole, orole, k);
  return fmt(c, "%d added \xC2\xB7 %d removed \xC2\xB7 %d text changed "
             "\xC2\xB7 %d became mandatory \xC2\xB7 %d became optional",
             k[SB_CH_EXPECT_ADDED], k[SB_CH_EXPECT_REMOVED],
             k[SB_CH_EXPECT_TEXT], k[SB_CH_EXPECT_MANDATORY],
             k[SB_CH_EXPECT_OPTIONAL]);
}

/* The rows of role key rk: [*first, *first + return) */
static int role_rows(cx *c, long rk, int *first) {
  int i = 0;
  while (i < c->nrows && c->rows[i].role_key < rk) i++;
  int j = i;
  while (j < c->nrows && c->rows[j].role_key == rk) j++;
  *first = i;
  return j - i;
}

static sb_status role_levels(cx *c, int first, int n) {
  sb_status s = SB_OK;
  for (int i = first; !s && i < first + n;) {
    int j = i;
    while (j < first + n && c->rows[j].level_key == c->rows[i].level_key) j++;
    s = level_table(c, &c->rows[i], j - i);
    i = j;
  }
  return s ? s : sb_lay_status(c->lay);
}

/* ==== The catalogue's own changes, as a list ==== */

static const char *where(cx *c, const sb_catalog *cat, int si) {
  const sb_skill *sk = &cat->skills[si];
  return fmt(c, "%s / %s", cat->domains[sk->domain].name,
             cat->groups[sk->group].name);
}

/* One line for a change that is not an expectation's, or NULL. */
static const char *catalog_line(cx *c, const sb_change *x) {
  const sb_catalog *o = c->d->old, *n = c->d->cur;
  switch (x->kind) {
  case SB_CH_ROLE_ADDED: return fmt(c, "New role: %s", n->roles[x->nrole].name);
  case SB_CH_ROLE_REMOVED: return fmt(c, "Role removed: %s", o->roles[x->orole].name);
  case SB_CH_ROLE_RENAMED:
    return fmt(c, "Role renamed: %s \xE2\x86\x92 %s", o->roles[x->orole].name,
               n->roles[x->nrole].name);
  case SB_CH_LEVEL_ADDED: return fmt(c, "New level: %s", n->levels[x->nlevel].name);
  case SB_CH_LEVEL_REMOVED:
    return fmt(c, "Level removed: %s", o->levels[x->olevel].name);
  case SB_CH_LEVEL_RENAMED:
    return fmt(c, "Level renamed: %s \xE2\x86\x92 %s", o->levels[x->olevel].name,
               n->levels[x->nlevel].name);
  case SB_CH_LEVEL_ORDER: {
    char buf[1024];
    size_t k = 0;
    buf[0] = 0;
    for (int g = 0; g < n->nlevels; g++)
      for (int i = 0; i < n->nlevels; i++)
        if (n->levels[i].index == g && k < sizeof buf)
          k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s",
                                g ? " \xE2\x86\x92 " : "", n->levels[i].name);
    return fmt(c, "The levels' order changed; it is now: %s", buf);
  }
  case SB_CH_SKILL_ADDED:
    return fmt(c, "New skill: %s (%s)", n->skills[x->nskill].name,
               where(c, n, x->nskill));
  case SB_CH_SKILL_REMOVED:
    return fmt(c, "Skill removed: %s (was in %s)", o->skills[x->oskill].name,
               where(c, o, x->oskill));
  case SB_CH_SKILL_RENAMED:
    return fmt(c, "Skill renamed: %s \xE2\x86\x92 %s", o->skills[x->oskill].name,
               n->skills[x->nskill].name);
  case SB_CH_SKILL_MOVED:
    return fmt(c, "Skill moved: %s, from %s to %s", n->skills[x->nskill].name,
               where(c, o, x->oskill), where(c, n, x->nskill));
  case SB_CH_SKILL_SUMMARY:
    return fmt(c, "Summary changed: %s", n->skills[x->nskill].name);
  case SB_CH_SKILL_KEYWORDS:
    return fmt(c, "Keywords changed: %s", n->skills[x->nskill].name);
  default: return NULL;
  }
}

/* The catalogue changes (those concerning role nrole/orole when role is
** set) as a bulleted list under a heading; nothing when there are none. */
static sb_status catalog_list(cx *c, int role, int nrole, int orole) {
  const sb_style *st = c->st;
  int shown = 0;
  sb_status s = SB_OK;
  for (int i = 0; !s && i < c->d->nchanges; i++) {
    const sb_change *x = &c->d->changes[i];
    if (x->kind >= SB_CH_EXPECT_ADDED) continue;
    if (role && !sb_change_for_role(c->d, x, nrole, orole)) continue;
    const char *t = catalog_line(c, x);
    if (!t) continue;
    if (!shown++)
      s = para_in(c, c->wlang,
                  role ? "The role, its levels and skills" : "The catalogue",
                  SB_FONT_BOLD, st->size_h2, st->accent, 12, 4, 2);
    /* "New role: X": the words, then the catalogue's names */
    const char *colon = c->wlang ? strstr(t, ": ") : NULL;
    sb_span sp[2] = {span(t, SB_FONT_REGULAR, st->text),
                     span(colon ? colon + 2 : "", SB_FONT_REGULAR, st->text)};
    if (colon) {
      sp[0] = lspan_in(c->wlang, sb_arena_strndup(c->arena, t,
                                                  (size_t)(colon + 2 - t)),
                       SB_FONT_REGULAR, st->text);
      if (!sp[0].text) return sb_fail_arena(c->ctx);
    }
    sb_para p = para(sp, colon ? 2 : 1, st->size_body);
    p.indent = 12;
    p.mark = SB_MARK_DOT;
    p.mark_color = st->accent;
    p.space_after = 2;
    p.src.file = c->d->cur->path;
    p.src.what = "changes";
    if (!s) s = sb_lay_para(c->lay, &p, NULL, NULL);
    if (!s && x->kind == SB_CH_SKILL_SUMMARY) {
      const char *a = c->d->old->skills[x->oskill].summary;
      const char *b = c->d->cur->skills[x->nskill].summary;
      sb_span *bs;
      int nb;
      s = diff_spans(c, a ? a : "", b ? b : "", SIDE_BOTH, &bs, &nb);
      sb_para q = para(bs, nb, st->size_body);
      q.indent = 24;
      q.space_after = 2;
      q.src = p.src;
      if (!s && nb) s = sb_lay_para(c->lay, &q, NULL, NULL);
    }
  }
  return s ? s : sb_lay_status(c->lay);
}

static void colours(cx *c) {
  const sb_style *st = c->st;
  if (st->greyscale) {
    c->add_c = st->text;
    c->del_c = st->muted;
  } else {
    c->add_c = (sb_color){0.05, 0.45, 0.20};
    c->del_c = (sb_color){0.70, 0.12, 0.12};
  }
}

static sb_status legend(cx *c) {
  const sb_style *st = c->st;
  sb_span sp[6] = {span("Before", SB_FONT_BOLD, st->text),
                   span(": the removed words in ", SB_FONT_REGULAR, st->muted),
                   span("italic", SB_FONT_ITALIC, c->del_c),
                   span(". After: the added words in ", SB_FONT_REGULAR, st->muted),
                   span("bold", SB_FONT_BOLD, c->add_c),
                   span(". A filled square marks a mandatory expectation, an "
                        "open one an optional expectation.",
                        SB_FONT_REGULAR, st->muted)};
  for (int i = 0; i < 6; i++) sp[i].lang = c->wlang;
  sb_para p = para(sp, 6, st->size_small);
  p.space_before = 8;
  p.space_after = 4;
  p.src.file = c->d->cur->path;
  p.src.what = "legend";
  return sb_lay_para(c->lay, &p, NULL, NULL);
}

/* ==== The handbook's appendix ==== */

static int old_role_of(const sb_cat_diff *d, int nrole) {
  for (int i = 0; i < d->old->nroles; i++)
    if (strcmp(d->old->roles[i].id, d->cur->roles[nrole].id) == 0) return i;
  return -1;
}

sb_status sb_docs_changes_appendix(sb_ctx *ctx, sb_lay *lay, sb_arena *arena,
                                   const sb_style *st, const sb_labels *lb,
                                   const sb_cat_diff *d, int role) {
  cx c;
  memset(&c, 0, sizeof c);
  c.ctx = ctx;
  c.d = d;
  c.st = st;
  c.lb = lb;
  c.arena = arena;
  c.lay = lay;
  c.wlang = sb_docs_other_lang("en", d->cur->lang);
  c.cw = sb_lay_right(lay) - sb_lay_left(lay);
  colours(&c);
  c.since = d->old->version ? fmt(&c, "version %s", d->old->version)
                            : version_line(&c, d->old);
  c.now = d->cur->version ? fmt(&c, "version %s", d->cur->version) : NULL;
  const char *title = fmt(&c, "Changes since %s", c.since);
  c.rows = make_rows(d, &c.nrows);
  int orole = old_role_of(d, role), first = 0;
  int n = role_rows(&c, role, &first);
  sb_lay_set_running(lay, title);
  sb_status s = sb_lay_new_page(lay);
  if (!s) s = para_in(&c, c.wlang, title, SB_FONT_BOLD, st->size_h1, st->accent,
                      0, 4, 1);
  if (!s) s = sb_lay_outline(lay, title, 0, sb_lay_page(lay), sb_lay_top(lay));
  int others = 0;
  for (int i = 0; i < d->nchanges; i++)
    if (d->changes[i].kind < SB_CH_EXPECT_ADDED &&
        sb_change_for_role(d, &d->changes[i], role, orole))
      others++;
  if (!s && n == 0 && others == 0) {
    s = para_in(&c, NULL, fmt(&c, "Nothing changed for %s since %s.",
                              d->cur->roles[role].name, c.since),
                SB_FONT_REGULAR, st->size_body, st->text, 4, 0, 0);
  } else if (!s) {
    s = para_in(&c, c.wlang, figures_line(&c, role, orole), SB_FONT_REGULAR,
                st->size_body, st->muted, 0, 2, 0);
    if (!s) s = legend(&c);
    if (!s) s = catalog_list(&c, 1, role, orole);
    if (!s) s = role_levels(&c, first, n);
  }
  free(c.rows);
  return s ? s : sb_lay_status(lay);
}

/* ==== The document ==== */

static void furniture(sb_lay *lay, int page, int npages, const char *running,
                      void *user) {
  cx *c = user;
  sb_furniture f = {c->lb, c->arena, c->d->cur->path, NULL, c->head_title,
                    "What changed in the ladder", c->version, page == 0};
  if (running && page > 0) f.head_left = running;
  sb_docs_furniture(lay, &f, page, npages);
}

static sb_status cover(cx *c) {
  const sb_style *st = c->st;
  const sb_cat_diff *d = c->d;
  sb_lay *lay = c->lay;
  sb_src src = {d->cur->path, 0, "cover"};
  sb_lay_new_page(lay);
  int pg = sb_lay_page(lay);
  double x0 = sb_lay_left(lay);
  sb_lay_rect(lay, pg, x0, sb_lay_top(lay), c->cw, 4, 1, st->accent, 0,
              st->accent);
  sb_lay_skip(lay, 90);
  sb_status s = para_in(c, c->wlang, "What changed in the ladder",
                        SB_FONT_BOLD, st->size_title, st->text, 0, 10, 0);
  if (!s && d->cur->title)
    s = para_in(c, NULL, d->cur->title, SB_FONT_REGULAR, st->size_h3, st->text,
                0, 10, 0);
  const char *ov = version_line(c, d->old), *nv = version_line(c, d->cur);
  sb_span a[2] = {lspan_in(c->wlang, "Old version: ", SB_FONT_BOLD, st->muted),
                  span(fmt(c, "%s \xE2\x80\x94 %s", d->old->title ? d->old->title
                                                          : d->old->path, ov),
                       SB_FONT_REGULAR, st->text)};
  sb_span b[2] = {lspan_in(c->wlang, "New version: ", SB_FONT_BOLD, st->muted),
                  span(fmt(c, "%s \xE2\x80\x94 %s", d->cur->title ? d->cur->title
                                                          : d->cur->path, nv),
                       SB_FONT_REGULAR, st->text)};
  sb_para p = para(a, 2, st->size_body);
  p.src = src;
  p.space_after = 2;
  if (!s) s = sb_lay_para(lay, &p, NULL, NULL);
  p = para(b, 2, st->size_body);
  p.src = src;
  if (!s) s = sb_lay_para(lay, &p, NULL, NULL);
  if (s) return s;
  sb_lay_space(lay, 24);
  int tk = d->count[SB_CH_EXPECT_TEXT];
  sb_docs_figures fg = {
      st,
      {{NULL, d->count[SB_CH_EXPECT_ADDED], 24, st->accent, "expectations added"},
       {NULL, d->count[SB_CH_EXPECT_REMOVED], 24, st->accent,
        "expectations removed"},
       {NULL, tk, 24, st->accent, "texts changed"},
       {NULL, d->count[SB_CH_EXPECT_MANDATORY], 24, st->accent,
        "became mandatory"}},
      2, st->rule_width, st->accent, 6, src, c->wlang};
  if ((s = sb_docs_draw_figures(c->ctx, lay, c->arena, &fg))) return s;
  sb_lay_space(lay, 20);
  if (d->nchanges == 0)
    return para_in(c, c->wlang,
                   "The two versions are the same: nothing changed.",
                   SB_FONT_REGULAR, st->size_body, st->text, 0, 0, 0);

  /* figures per role */
  if ((s = para_in(c, c->wlang, "Per role", SB_FONT_BOLD, st->size_h2, st->text,
                   0, 6, 0)))
    return s;
  static const char *const heads[6] = {"Role", "Added", "Removed", "Changed",
                                       "Mandatory", "Optional"};
  double w[6];
  w[0] = c->cw * 0.40;
  for (int i = 1; i < 6; i++) w[i] = c->cw * 0.12;
  sb_span hs[6];
  sb_cell hc[6];
  memset(hc, 0, sizeof hc);
  for (int i = 0; i < 6; i++) {
    hs[i] = lspan_in(c->wlang, heads[i], SB_FONT_BOLD, st->header_text);
    hc[i].spans = &hs[i];
    hc[i].nspans = 1;
    hc[i].align = i ? SB_ALIGN_RIGHT : SB_ALIGN_LEFT;
  }
  int nr = d->cur->nroles + d->old->nroles;
  sb_cell *cells = sb_arena_calloc(c->arena, (size_t)(nr + 1) * 6 * sizeof *cells);
  sb_span *sp = sb_arena_calloc(c->arena, (size_t)(nr + 1) * 6 * sizeof *sp);
  if (!cells || !sp) return sb_fail_arena(c->ctx);
  int rows = 0;
  for (int r = 0; r < nr; r++) {
    int nrole = r < d->cur->nroles ? r : -1;
    int orole = nrole >= 0 ? old_role_of(d, nrole) : r - d->cur->nroles;
    if (nrole < 0) { /* removed roles only */
      int kept = 0;
      for (int i = 0; i < d->cur->nroles; i++)
        if (strcmp(d->cur->roles[i].id, d->old->roles[orole].id) == 0) kept = 1;
      if (kept) continue;
    }
    int k[SB_CH_COUNT];
    sb_cat_diff_role_counts(d, nrole, orole, k);
    int v[5] = {k[SB_CH_EXPECT_ADDED], k[SB_CH_EXPECT_REMOVED],
                k[SB_CH_EXPECT_TEXT], k[SB_CH_EXPECT_MANDATORY],
                k[SB_CH_EXPECT_OPTIONAL]};
    const char *name = nrole >= 0 ? d->cur->roles[nrole].name
                                  : fmt(c, "%s (removed)", d->old->roles[orole].name);
    sp[rows * 6] = span(name, SB_FONT_REGULAR, st->text);
    for (int i = 0; i < 5; i++)
      sp[rows * 6 + 1 + i] = span(fmt(c, "%d", v[i]),
                                  v[i] ? SB_FONT_BOLD : SB_FONT_REGULAR,
                                  v[i] ? st->text : st->muted);
    for (int i = 0; i < 6; i++) {
      cells[rows * 6 + i].spans = &sp[rows * 6 + i];
      cells[rows * 6 + i].nspans = 1;
      cells[rows * 6 + i].align = i ? SB_ALIGN_RIGHT : SB_ALIGN_LEFT;
    }
    rows++;
  }
  sb_table t;
  memset(&t, 0, sizeof t);
  t.ncols = 6;
  t.widths = w;
  t.size = st->size_body;
  t.pad = -1;
  t.header = hc;
  t.zebra = 1;
  t.src = src;
  if ((s = sb_lay_table(lay, &t, cells, rows, NULL))) return s;
  return legend(c);
}

static sb_status body(cx *c) {
  const sb_cat_diff *d = c->d;
  const sb_style *st = c->st;
  sb_status s = SB_OK;
  int any = 0;
  for (int i = 0; i < d->nchanges; i++)
    if (d->changes[i].kind < SB_CH_EXPECT_ADDED) any = 1;
  if (any) {
    sb_lay_set_running(c->lay, "The catalogue");
    if ((s = sb_lay_new_page(c->lay))) return s;
    sb_lay_outline(c->lay, "The catalogue", 0, sb_lay_page(c->lay),
                   sb_lay_top(c->lay));
    if ((s = catalog_list(c, 0, -1, -1))) return s;
  }
  int nr = d->cur->nroles + d->old->nroles;
  for (long rk = 0; !s && rk < nr; rk++) {
    int first, n = role_rows(c, rk, &first);
    if (!n) continue;
    const row *r = &c->rows[first];
    const char *name = r->nrole >= 0 ? d->cur->roles[r->nrole].name
                                     : fmt(c, "%s (removed role)",
                                           d->old->roles[r->orole].name);
    sb_lay_set_running(c->lay, name);
    if ((s = sb_lay_new_page(c->lay))) break;
    s = para_in(c, NULL, name, SB_FONT_BOLD, st->size_h1, st->accent, 0, 2, 1);
    if (!s) s = sb_lay_outline(c->lay, name, 0, sb_lay_page(c->lay),
                               sb_lay_top(c->lay));
    if (!s) s = para_in(c, c->wlang, figures_line(c, r->nrole, r->orole),
                        SB_FONT_REGULAR, st->size_body, st->muted, 0, 4, 0);
    if (!s) s = role_levels(c, first, n);
  }
  return s ? s : sb_lay_status(c->lay);
}

sb_status sb_layout_changes(sb_ctx *ctx, const sb_catalog *old,
                            const sb_catalog *cat, const sb_style *st,
                            const sb_labels *lb, const sb_fontset *fs,
                            sb_dl *out) {
  if (!old || !cat)
    return sb_fail(ctx, SB_E_USAGE, "the changes need two catalogues");
  sb_cat_diff d;
  sb_cat_diff_compute(old, cat, &d);
  cx c;
  memset(&c, 0, sizeof c);
  c.ctx = ctx;
  c.d = &d;
  c.st = st;
  c.lb = lb;
  c.wlang = sb_docs_other_lang("en", cat->lang);
  c.arena = out->arena;
  colours(&c);
  c.rows = make_rows(&d, &c.nrows);
  c.lay = sb_new_lay(ctx, out->arena, out, st, fs, 0);
  sb_status s = SB_OK;
  if (!c.lay) s = ctx->status ? ctx->status : SB_E_LIMIT;
  if (!s) {
    c.cw = sb_lay_right(c.lay) - sb_lay_left(c.lay);
    c.since = old->version ? fmt(&c, "version %s", old->version)
                           : version_line(&c, old);
    c.now = cat->version ? fmt(&c, "version %s", cat->version) : NULL;
    sb_docs_bound_head_foot(c.lay, cat, &c.head_title, &c.version);
    sb_lay_set_furniture(c.lay, furniture, &c);
    s = cover(&c);
    if (!s) s = body(&c);
    if (!s) s = sb_lay_finish(c.lay);
    sb_drop_lay(c.lay);
  }
  if (!s) {
    sb_docinfo *in = &out->info;
    in->title = "What changed in the ladder";
    in->author = cat->author;
    in->subject = sb_arena_printf(out->arena, "%s: %s \xE2\x86\x92 %s",
                                  cat->title ? cat->title : cat->path,
                                  version_line(&c, old), version_line(&c, cat));
    in->keywords = "changes, career ladder";
    in->creator = "skillbook " SB_VERSION;
    in->lang = cat->lang ? cat->lang : "en";
    in->date = sb_doc_date(cat, NULL, 0);
  }
  free(c.rows);
  sb_cat_diff_free(&d);
  return s;
}
