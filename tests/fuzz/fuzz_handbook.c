/*
** tests/fuzz/fuzz_handbook.c -- libFuzzer target: bytes -> catalogue ->
** handbook of the first role -> trace device into a buffer.
**
** The whole document pipeline (sb_render with format trace) with small
** limits (pages 50, text 64 KiB, arena 64 MiB): every run must end in
** SB_OK or an error status, never a crash, a hang or a leak. The fonts
** are loaded once per process (as the batch does) from SB_SOURCE_DIR.
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

static sb_fontset fonts;
static int fonts_loaded;

/* The built-in style's three faces, loaded on the first call. */
static const sb_fontset *get_fonts(void) {
  if (fonts_loaded)
    return &fonts;
  const sb_style *st = sb_style_builtin("default");
  const char *dir = getenv("SKILLBOOK_DATA");
  if (!dir || !*dir)
    dir = SB_SOURCE_DIR;
  char buf[SB_FONT_COUNT][1024];
  const char *paths[SB_FONT_COUNT];
  for (int i = 0; i < SB_FONT_COUNT; i++) {
    snprintf(buf[i], sizeof buf[i], "%s/fonts/%s", dir, st->font_file[i]);
    paths[i] = buf[i];
  }
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  if (sb_load_fontset(&ctx, paths, &fonts) != SB_OK) {
    fprintf(stderr, "fuzz_handbook: cannot load the fonts: %s\n", ctx.errmsg);
    abort();
  }
  sb_ctx_free(&ctx);
  fonts_loaded = 1;
  return &fonts;
}

int sb_fuzz_handbook(const uint8_t *data, size_t size) {
  const sb_fontset *fs = get_fonts();
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
