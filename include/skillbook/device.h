/*
** skillbook/device.h -- the devices that replay a display list.
**
** Each constructor returns an sb_device (dlist.h) to pass to sb_dl_run and
** free with sb_drop_device. Output goes to a caller-owned sb_buf, appended
** when the device is closed (pdf, png) or as ops arrive (trace); writing the
** bytes to a file is the caller's business (sb_write_output).
*/
#ifndef SKILLBOOK_DEVICE_H
#define SKILLBOOK_DEVICE_H

#include "skillbook/base.h"
#include "skillbook/dlist.h"
#include "skillbook/font.h"

/** Whether the pdf device deflates each finished page in a helper thread
** while the next pages are drawn (src/devices/pdf-deflate.c). AUTO (the
** default): for documents of 8 pages or more when this process may use
** two processors or more. A caller whose processes already fill the
** processors (the batch, `handbook --all` with -j N) asks for OFF. The
** bytes written are the same either way. */
typedef enum sb_pdf_threads {
  SB_PDF_THREADS_AUTO,
  SB_PDF_THREADS_OFF,
  SB_PDF_THREADS_ON
} sb_pdf_threads;

/* The pdf device's options; all zero = the defaults. */
typedef struct sb_pdf_opts {
  sb_pdf_threads threads;
  int no_tags;  /* 1: no structure tree, marked content, XMP, output
                   intent or /MarkInfo (the PDF is then neither PDF/A-2a
                   nor PDF/UA-1); 0: tagged and archival (docs/pdfa-pdfua.md) */
} sb_pdf_opts;

/** A PDF device (libharu) with options opts (NULL = the defaults). fonts
** supplies the face file of each SB_FONT_* slot; only the slots the
** document's text ops use are embedded. fonts, opts and out are borrowed;
** fonts and out must outlive the device. The whole PDF is appended to out
** by close (sb_dl_run calls it); on failure SB_E_PDF (or SB_E_FONT) is
** recorded in ctx and out is left as it was. Same display list, same
** bytes: no /ID, and dates only from dl->info.date.
** @test tests/unit/test_pdf.c */
sb_device *sb_new_pdf_device_opts(sb_ctx *ctx, const sb_fontset *fonts,
                                  const sb_pdf_opts *opts, sb_buf *out);

/** sb_new_pdf_device_opts with the default options.
** @test tests/unit/test_pdf.c */
sb_device *sb_new_pdf_device(sb_ctx *ctx, const sb_fontset *fonts,
                             sb_buf *out);

/** A trace device: one text line per page, op and outline, appended to out
** (borrowed). The format is documented in src/devices/trace-device.c; it
** is the exact oracle of layout tests. This function can't fail.
** @test tests/unit/test_pdf.c */
sb_device *sb_new_trace_device(sb_ctx *ctx, sb_buf *out);

/** A png device (cairo page previews): renders one page (0-based) of a
** display list at dpi, white background, text with the same TTF faces
** through cairo-ft (hinting off) and glyphs placed at the layout's own
** advances, so the preview matches the PDF. The PNG bytes are appended to
** out (borrowed) by close. SB_E_RENDER when the page is missing or cairo
** fails. fonts and out must outlive the device. cairo is opened on the
** first call (devices/cairo-dl.h); returns NULL if fonts or out is NULL,
** or when cairo cannot be loaded (SB_E_IO in ctx, naming the package).
** @test tests/unit/test_png.c, tests/cli/png.sh */
sb_device *sb_new_png_device(sb_ctx *ctx, const sb_fontset *fonts, int page,
                             double dpi, sb_buf *out);

/** A thumbnail: page (0-based) of dl rendered by the png device so that its
** longer side is max_px pixels (at least 8), PNG bytes appended to out.
** Returns SB_OK, SB_E_RENDER (no such page, cairo failure), SB_E_IO (cairo
** cannot be loaded) or SB_E_USAGE (max_px too small, fonts NULL); out may
** then hold a partial PNG.
** @test tests/unit/test_png.c */
sb_status sb_png_thumbnail(sb_ctx *ctx, const sb_dl *dl,
                           const sb_fontset *fonts, int page, int max_px,
                           sb_buf *out);

#endif
