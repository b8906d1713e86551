/*
** docs/changes.h -- what the "What changed in the ladder" document
** (changes.c) lends the handbook: its appendix for one role. Private to
** src/docs.
*/
#ifndef SB_DOCS_CHANGES_H
#define SB_DOCS_CHANGES_H

#include "skillbook/diff.h"
#include "skillbook/layout.h"

/** Lays out, from a new page, the appendix "Changes since VERSION" of
** role (index into d->cur) on lay: its figures, the catalogue changes
** that concern it (levels, its skills renamed or moved), then per level
** its changed expectations, old and new text side by side with the
** removed words italic and the added words bold. A role with no change
** gets one line saying so. Returns the layout's status, or SB_E_LIMIT
** when arena is full.
** @test tests/cli/diff.sh */
sb_status sb_docs_changes_appendix(sb_ctx *ctx, sb_lay *lay, sb_arena *arena,
                                   const sb_style *st, const sb_labels *lb,
                                   const sb_cat_diff *d, int role);

#endif
