/*
** tests/fuzz/fuzz.h -- what the fuzz targets and the replay program share.
*/
#ifndef SB_FUZZ_H
#define SB_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "skillbook/base.h"
#include "skillbook/font.h"

/** The small limits every fuzz run uses (pages 50, text 64 KiB, arena
** 64 MiB, file 1 MiB, nodes 100,000, skills 2,000), and quiet. */
static inline void sb_fuzz_limits(sb_ctx *ctx) {
  ctx->quiet = 1;
  ctx->limits.file_bytes = (size_t)1 << 20;
  ctx->limits.files = 1;
  ctx->limits.text_bytes = (size_t)64 << 10;
  ctx->limits.nodes = 100000;
  ctx->limits.skills = 2000;
  ctx->limits.pages = 50;
  ctx->limits.arena_bytes = (size_t)64 << 20;
}
/** The built-in style's three faces, loaded on the first call from
** $SKILLBOOK_DATA/fonts (or SB_SOURCE_DIR/fonts) and kept for the process,
** as the batch does; aborts when they cannot be loaded (fuzz_common.c). */
const sb_fontset *sb_fuzz_fonts(void);

/** One input through each target; always 0 (problems crash). */
int sb_fuzz_catalog(const uint8_t *data, size_t size);
int sb_fuzz_handbook(const uint8_t *data, size_t size);
/** fuzz_ladder: the input is a recipe (not XML) that decodes to a valid
** catalogue, which is loaded and rendered as every document kind. */
int sb_fuzz_ladder(const uint8_t *data, size_t size);
/** The catalogue a ladder recipe decodes to, appended to out, with an XML
** comment saying which documents the target renders from it. */
void sb_fuzz_ladder_xml(const uint8_t *data, size_t size, sb_buf *out);

#endif
