/*
** docs/sheet-diff.h -- the sheet's word-level comparison (sheet-diff.c).
** Private to src/docs.
*/
#ifndef SB_SHEET_DIFF_H
#define SB_SHEET_DIFF_H

#include "skillbook/base.h"
#include "skillbook/layout.h"

/** The spans of the target paragraph tgt: words whose comparison form
** (ASCII letters lowered, punctuation trimmed) does not occur in cur in
** bold, the rest regular, all in color; short lowercase words follow their
** neighbours. Deterministic. Spans and their text live in arena. Returns
** SB_E_LIMIT over the arena budget (recorded in ctx).
** @test tests/cli/sheet.sh */
sb_status sb_sheet_diff_spans(sb_ctx *ctx, sb_arena *arena, const char *cur,
                              const char *tgt, sb_color color, sb_span **out,
                              int *nout);

#endif
