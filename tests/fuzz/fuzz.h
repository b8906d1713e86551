/*
** tests/fuzz/fuzz.h -- what the fuzz targets and the replay program share.
*/
#ifndef SB_FUZZ_H
#define SB_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "skillbook/base.h"

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
/** One input through each target; always 0 (problems crash). */
int sb_fuzz_catalog(const uint8_t *data, size_t size);
int sb_fuzz_handbook(const uint8_t *data, size_t size);

#endif
