/*
** skillbook/preview.h -- page previews and thumbnails (the png device).
**
** Implemented in src/devices/png-device.c with cairo. Belongs with the
** other device constructors in device.h; kept apart until that header's
** owner moves it there.
*/
#ifndef SKILLBOOK_PREVIEW_H
#define SKILLBOOK_PREVIEW_H

#include "skillbook/base.h"
#include "skillbook/dlist.h"
#include "skillbook/font.h"

/** A device that renders one page (0-based) of a display list with cairo
** at dpi, white background, text with the same TTF faces through cairo-ft
** (hinting off) and glyphs placed at the layout's own advances, so the
** preview matches the PDF. The PNG bytes are appended to out (borrowed) by
** close. SB_E_RENDER when the page is missing or cairo fails. fonts and
** out must outlive the device. Returns NULL only if fonts is NULL.
** @test tests/unit/test_png.c */
sb_device *sb_new_png_device(sb_ctx *ctx, const sb_fontset *fonts, int page,
                             double dpi, sb_buf *out);
/** A thumbnail: the page rendered so that its longer side is max_px pixels,
** PNG bytes appended to out. */
sb_status sb_png_thumbnail(sb_ctx *ctx, const sb_dl *dl,
                           const sb_fontset *fonts, int page, int max_px,
                           sb_buf *out);

#endif
