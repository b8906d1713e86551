/*
** skillbook/device.h -- the devices that replay a display list.
**
** Each constructor returns an sb_device (dlist.h) to pass to sb_dl_run and
** free with sb_drop_device. Output goes to a caller-owned sb_buf, appended
** when the device is closed (pdf) or as ops arrive (trace); writing the
** bytes to a file is the caller's business (sb_write_output).
*/
#ifndef SKILLBOOK_DEVICE_H
#define SKILLBOOK_DEVICE_H

#include "skillbook/base.h"
#include "skillbook/dlist.h"
#include "skillbook/font.h"

/** A PDF device (libharu). fonts supplies the face file of each SB_FONT_*
** slot; only the slots the document's text ops use are embedded. fonts and
** out are borrowed and must outlive the device. The whole PDF is appended
** to out by close (sb_dl_run calls it); on failure SB_E_PDF (or SB_E_FONT)
** is recorded in ctx and out is left as it was. Same display list, same
** bytes: no /ID, and dates only from dl->info.date.
** @test tests/unit/test_pdf.c */
sb_device *sb_new_pdf_device(sb_ctx *ctx, const sb_fontset *fonts,
                             sb_buf *out);

/** A trace device: one text line per page, op and outline, appended to out
** (borrowed). The format is documented in src/devices/trace-device.c; it
** is the exact oracle of layout tests. This function can't fail.
** @test tests/unit/test_pdf.c */
sb_device *sb_new_trace_device(sb_ctx *ctx, sb_buf *out);

/* png (cairo page previews): declared here by src/devices/png-device.c's
** author, e.g. sb_new_png_device(ctx, fonts, page, dpi, out). */

#endif
