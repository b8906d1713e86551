/*
** tests/fuzz/fuzz_handbook.c -- libFuzzer target: bytes -> catalogue ->
** handbook of the first role -> trace device into a buffer.
**
** The whole document pipeline (sb_render with format trace) with small
** limits (pages 50, text 64 KiB, arena 64 MiB): every run must end in
** SB_OK or an error status, never a crash, a hang or a leak. The fonts
** are loaded once per process (sb_fuzz_fonts, fuzz_common.c).
** Built by -DSB_FUZZ=ON; tests/fuzz/replay.c replays the corpus through it.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "skillbook/catalog.h"
#include "skillbook/docs.h"
#include "skillbook/render.h"

int sb_fuzz_handbook(const uint8_t *data, size_t size) {
  const sb_fontset *fs = sb_fuzz_fonts();
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  sb_fuzz_limits(&ctx);
  sb_catalog *cat = NULL;
  if (sb_load_catalog_mem(&ctx, "fuzz.xml", (const char *)data, size, &cat) ==
          SB_OK &&
      cat && cat->nroles > 0) {
    sb_render_req req;
    memset(&req, 0, sizeof req);
    req.kind = SB_DOC_HANDBOOK;
    req.cat = cat;
    req.role = 0;
    req.skill = -1;
    req.format = SB_FMT_TRACE;
    req.fonts = fs;
    req.datadir = SB_SOURCE_DIR;
    sb_buf out;
    sb_buf_init(&out);
    int npages = 0;
    sb_status st = sb_render(&ctx, &req, &out, &npages);
    if (st == SB_OK && (npages < 1 || (size_t)npages > ctx.limits.pages))
      abort(); /* a document always has a page, and never more than allowed */
    sb_buf_free(&out);
  }
  sb_drop_catalog(cat);
  sb_ctx_free(&ctx);
  return 0;
}

#ifndef SB_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return sb_fuzz_handbook(data, size);
}
#endif
