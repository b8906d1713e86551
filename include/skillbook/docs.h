/*
** skillbook/docs.h -- the documents: what each one says, and the shared
** pipeline that turns a request into bytes.
**
** A document function turns catalogue queries into layout calls and
** writes a display list; it knows nothing of libharu or cairo. sb_render
** is the one pipeline the CLI and the batch share: style -> labels ->
** fonts -> layout into a fresh arena -> device -> bytes.
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

/* ==== The shared pipeline ==== */

typedef enum { SB_DOC_HANDBOOK, SB_DOC_SHEET, SB_DOC_PROFILE } sb_doc_kind;
typedef enum { SB_FMT_PDF, SB_FMT_TRACE, SB_FMT_PNG } sb_doc_format;

/* The range of sb_render_req.dpi that sb_render accepts. */
#define SB_PNG_DPI_MIN 10.0
#define SB_PNG_DPI_MAX 1200.0

typedef struct sb_render_req {
  sb_doc_kind kind;
  const sb_catalog *cat;
  int role;                 /* handbook, sheet: index into cat->roles */
  int skill;                /* profile: index, -1 = all */
  int from, to;             /* sheet: level indexes */
  const char *person, *reviewer; /* sheet: printed names, may be NULL */
  const char *style;        /* built-in style NAME or style FILE;
                               NULL = "default" */
  const sb_style *style_loaded; /* preloaded style (batch); NULL = load
                                   req->style (sb_load_style) */
  const char *lang;         /* label language; NULL = the catalogue's */
  int lang_explicit;        /* lang came from the user: warn on fallback */
  const char *datadir;      /* fonts are DATADIR/fonts/FILE */
  sb_doc_format format;
  const sb_fontset *fonts;  /* preloaded faces (batch), NULL = load */
  int page;                 /* png: the page, 1-based; 0 = 1 */
  double dpi;               /* png: resolution; 0 = 96 */
  sb_buf *thumb;            /* NULL, or: also a PNG of the first page, from
                               the same layout, appended here */
  int thumb_px;             /* thumb: its longer side in pixels (>= 8) */
} sb_render_req;

/** Renders one document into out (appended): lays it out once, then runs
** the device of req->format over the display list -- the whole document
** (pdf, trace) or the one page req->page at req->dpi (png). When
** req->thumb is set, the same display list also gives a PNG of the first
** page, req->thumb_px on its longer side, appended to req->thumb: one
** layout, two outputs. *npages (may be NULL) gets the page count.
** Errors: SB_E_STYLE (unknown style), SB_E_FONT, SB_E_LIMIT, SB_E_PDF,
** SB_E_RENDER (png), SB_E_USAGE (bad indexes, a png page beyond the end:
** "the document has N pages", a dpi outside SB_PNG_DPI_MIN..MAX); out and
** req->thumb are then left as they were.
** @test tests/cli/handbook.sh, tests/cli/png.sh, tests/cli/golden.sh */
sb_status sb_render(sb_ctx *ctx, const sb_render_req *req, sb_buf *out,
                    int *npages);

/** Loads the three faces style st names into fs: a file name is looked up
** in DATADIR/fonts/ (datadir NULL = "."), an absolute path is used as it
** is. The one place that resolves a style's fonts, for sb_render, the batch
** and `handbook --all`. SB_E_FONT naming the file; fs is then empty. */
sb_status sb_load_style_fonts(sb_ctx *ctx, const sb_style *st,
                              const char *datadir, sb_fontset *fs);

/** The labels for a BCP 47 tag (prefix fallback: en-GB uses en). Unknown
** languages fall back to English; warn (once per call) when warn is set. */
const sb_labels *sb_labels_for(sb_ctx *ctx, const char *lang, int warn);

#endif
