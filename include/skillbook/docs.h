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

/** Lays out the level comparison sheet of role between the levels from
** and to (indexes into cat->levels; from before to in growth order) into
** out: header (role, levels, catalogue version, name / reviewer / date
** fields, printed when person / reviewer are not NULL), summary, legend,
** then one row per skill where the role has an expectation at either
** level (both paragraphs, what the target adds in bold, marks, check
** boxes, room for evidence), furniture. Landscape when the style says so.
** Returns SB_OK, SB_E_LIMIT, or SB_E_USAGE for bad indexes.
** @test tests/cli/sheet.sh */
sb_status sb_layout_sheet(sb_ctx *ctx, const sb_catalog *cat, int role,
                          int from, int to, const char *person,
                          const char *reviewer, const sb_style *st,
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
