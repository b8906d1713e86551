/*
** docs/figures.c -- a row of four figures: the handbook's cover (a role's
** skills, levels, mandatory and optional expectations) and a profile's
** head (a skill's roles, levels, mandatory, the others optional).
**
** Each figure is a column of a four-column table without rules: an
** optional caption, the number large, a note under it; a rule above the
** row. One function, so both documents draw their figures alike.
** Tests: tests/cli/handbook.sh, tests/cli/profile.sh, tests/cli/golden.sh
*/
#include <string.h>

#include "docs-imp.h"

sb_status sb_docs_draw_figures(sb_ctx *ctx, sb_lay *lay, sb_arena *arena,
                               const sb_docs_figures *f) {
  const sb_style *st = f->st;
  double w4 = (sb_lay_right(lay) - sb_lay_left(lay)) / 4;
  double widths[4] = {w4, w4, w4, w4};
  sb_span caps[4], nums[4], notes[4];
  sb_cell cells[12];
  int row = f->fig[0].caption ? 4 : 0; /* the numbers' first cell */
  memset(cells, 0, sizeof cells);
  for (int i = 0; i < 4; i++) {
    const sb_docs_figure *g = &f->fig[i];
    char *num = sb_arena_printf(arena, "%d", g->value);
    if (!num) return sb_fail_arena(ctx);
    nums[i] = span(num, SB_FONT_BOLD, g->color);
    notes[i] = span(g->note, SB_FONT_REGULAR, st->muted);
    notes[i].lang = f->lang;
    if (row) {
      caps[i] = span(g->caption, SB_FONT_BOLD, st->muted);
      caps[i].lang = f->lang;
      cells[i].spans = &caps[i];
      cells[i].nspans = 1;
      cells[i].size = st->size_small;
    }
    cells[row + i].spans = &nums[i];
    cells[row + i].nspans = 1;
    cells[row + i].size = g->size;
    cells[row + 4 + i].spans = &notes[i];
    cells[row + 4 + i].nspans = 1;
    cells[row + 4 + i].size = st->size_small;
  }
  sb_table t;
  memset(&t, 0, sizeof t);
  t.ncols = 4;
  t.widths = widths;
  t.size = st->size_small;
  t.pad = f->pad;
  t.src = f->src;
  sb_lay_rule(lay, f->rule_width, f->rule_color, 0, f->rule_after);
  return sb_lay_table(lay, &t, cells, row ? 3 : 2, NULL);
}
