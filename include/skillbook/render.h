/*
** skillbook/render.h -- the render pipeline: a document kind, its options
** and an output format in, bytes (and a thumbnail) out.
**
** It sits above the documents (docs.h, which write display lists) and the
** devices (device.h, which replay them): the one place that loads a
** style, its labels and fonts, lays a document out into a fresh arena and
** creates the device of the format asked for. The CLI and the batch both
** render through sb_render; what a device should do (the pdf device's
** helper thread) is an option of the request, decided by the caller that
** knows how many processes share the machine.
*/
#ifndef SKILLBOOK_RENDER_H
#define SKILLBOOK_RENDER_H

#include "skillbook/base.h"
#include "skillbook/catalog.h"
#include "skillbook/device.h"
#include "skillbook/docs.h"
#include "skillbook/font.h"
#include "skillbook/style.h"

typedef enum {
  SB_DOC_HANDBOOK,
  SB_DOC_SHEET,       /* review[0]: a sheet, or a pack when review->pack */
  SB_DOC_PROFILE,
  SB_DOC_REVIEW_BOOK, /* review[0..nreviews-1]: a book of packs */
  SB_DOC_CHANGES      /* "What changed in the ladder": old -> cat */
} sb_doc_kind;
typedef enum { SB_FMT_PDF, SB_FMT_TRACE, SB_FMT_PNG } sb_doc_format;

/* The range of sb_render_req.dpi that sb_render accepts. */
#define SB_PNG_DPI_MIN 10.0
#define SB_PNG_DPI_MAX 1200.0

typedef struct sb_render_req {
  sb_doc_kind kind;
  const sb_catalog *cat;
  const sb_catalog *old;    /* changes: the older version; handbook: when
                               set, the appendix "Changes since" it */
  int role;                 /* handbook, sheet: index into cat->roles */
  int skill;                /* profile: index, -1 = all */
  const sb_review *review;  /* sheet, review book: the review(s) */
  int nreviews;             /* review book: how many (sheet: 1) */
  const char *book_title;   /* review book: its title (e.g. the reviewer) */
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
  sb_pdf_opts pdf;          /* pdf: the device's options (its helper
                               thread); zero = the device's defaults */
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
