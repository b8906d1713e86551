/*
** skillbook/docs.h -- the documents: what each one says.
**
** A document function turns catalogue queries into layout calls and
** writes a display list; it knows nothing of devices, libharu or cairo.
** Turning a request into bytes is the render pipeline's (render.h).
*/
#ifndef SKILLBOOK_DOCS_H
#define SKILLBOOK_DOCS_H

#include "skillbook/base.h"
#include "skillbook/catalog.h"
#include "skillbook/dlist.h"
#include "skillbook/font.h"
#include "skillbook/style.h"

/** Lays out the career-path handbook of role (index into cat->roles) into
** out (initialised by the caller with the document arena): cover,
** contents (links, outlines), how to read it, one section per skill where
** the role appears, furniture, and out->info. Returns SB_OK, SB_E_LIMIT
** (pages or memory caps) or SB_E_USAGE for a bad role index.
** @test tests/cli/handbook.sh, tests/unit/test_layout.c */
sb_status sb_layout_handbook(sb_ctx *ctx, const sb_catalog *cat, int role,
                             const sb_style *st, const sb_labels *lb,
                             const sb_fontset *fs, sb_dl *out);

/** The handbook of role with, at its end, the appendix "Changes since
** VERSION" against the catalogue old (only that role's changes; one line
** when it has none): docs/changes.c. old NULL is sb_layout_handbook.
** @test tests/cli/diff.sh */
sb_status sb_layout_handbook_since(sb_ctx *ctx, const sb_catalog *cat,
                                   const sb_catalog *old, int role,
                                   const sb_style *st, const sb_labels *lb,
                                   const sb_fontset *fs, sb_dl *out);

/** Lays out "What changed in the ladder" from old to cat (diff.h) into
** out: a cover with both versions and the figures per role, the catalogue
** changes, then per role and level the changed expectations, old and new
** text side by side with the words removed and added marked. Returns
** SB_OK, SB_E_LIMIT, or SB_E_USAGE without two catalogues.
** @test tests/cli/diff.sh */
sb_status sb_layout_changes(sb_ctx *ctx, const sb_catalog *old,
                            const sb_catalog *cat, const sb_style *st,
                            const sb_labels *lb, const sb_fontset *fs,
                            sb_dl *out);

/* Which rows a sheet shows (--only). CHANGED: a skill new at the target,
** becoming mandatory there, or whose text differs between the levels. */
typedef enum { SB_ONLY_ALL, SB_ONLY_MANDATORY, SB_ONLY_CHANGED } sb_only;

/* One review: who is compared, from where to where, and what the sheet
** shows. A plain `sheet` is one review with pack == 0; a review pack
** (`reviews`, `batch --people`) has pack == 1. Strings may be NULL (a blank
** field). The people list (cli/people.c) fills these from its rows. */
typedef struct sb_review {
  const char *id;        /* file-safe id (the pack's file name); NULL for a
                            plain sheet. Never printed nor logged by name */
  const char *person, *reviewer; /* printed in the header fields */
  const char *date;      /* printed in the date field: ISO 8601 YYYY-MM-DD */
  int role, from;        /* current role and level: indexes into cat */
  int to_role, to;       /* target role (== role unless moving roles) and
                            level; from before to in growth order when the
                            roles are the same (to == from: a review at the
                            current level) */
  sb_only only;          /* which rows */
  int domain;            /* index into cat->domains; -1 = every domain */
  int pack;              /* 1: a review pack: the sheet, a sign-off block
                            (engineer and reviewer: signature and date),
                            then the target level's expectations in full */
  int fillable;          /* 1: form fields for typing the review on screen
                            (docs/forms.md): every row's self / manager /
                            agreed choices and notes, the header fields,
                            the sign-off dates */
} sb_review;

/** Lays out the level comparison sheet of one review into out: header
** (role, levels, catalogue title and version, name / reviewer / date
** fields, printed when given, each wrapped in its field on at most two
** lines, cut with a warning beyond), summary (of the rows shown, saying
** what a filtered sheet shows), legend, then one row per skill the review
** shows (only, domain; role at from beside to_role at to) with both
** paragraphs, what the target adds in bold, marks, check boxes, room for
** evidence; bookmarks per domain when it has more than two pages;
** furniture; for a pack, the sign-off block and the target level's
** expectations. to == from is a review at the current level; with
** to_role != role any two levels. domain must be -1 (every domain) or an
** index: a zeroed sb_review shows domain 0 only. Landscape when the style
** says so. Returns SB_OK, SB_E_LIMIT, or SB_E_USAGE for bad indexes.
** @test tests/cli/sheet.sh, tests/cli/sheet_review.sh */
sb_status sb_layout_sheet(sb_ctx *ctx, const sb_catalog *cat,
                          const sb_review *rv, const sb_style *st,
                          const sb_labels *lb, const sb_fontset *fs,
                          sb_dl *out);

/** Lays out one book of the packs of n reviews (a reviewer's book, or the
** whole cycle's): a cover and contents page (links), then each review's
** pack, with a bookmark per person (and per domain below it). Names reach
** the book only as printed text and bookmark titles. Returns as
** sb_layout_sheet. Page numbers: the contents and the viewer count the
** book's pages, a pack's footer counts within the pack.
** @test tests/unit/test_review_book.c, tests/cli/sheet_review.sh */
sb_status sb_layout_review_book(sb_ctx *ctx, const sb_catalog *cat,
                                const sb_review *rv, int n,
                                const char *title, const sb_style *st,
                                const sb_labels *lb, const sb_fontset *fs,
                                sb_dl *out);

/** Lays out the profile of one skill (index), or with skill -1 one book of
** every skill's profile with a contents page (links) and bookmarks: name,
** domain, group, keywords, summary, updated date, the derived figures,
** the per-level chart, and per level a table LEVEL | Mandatory |
** Expectation with one row per role. Returns SB_OK, SB_E_LIMIT, SB_E_CHART or SB_E_USAGE.
** @test tests/cli/profile.sh */
sb_status sb_layout_profile(sb_ctx *ctx, const sb_catalog *cat, int skill,
                            const sb_style *st, const sb_labels *lb,
                            const sb_fontset *fs, sb_dl *out);

#endif
