/*
** tests/fuzz/fuzz_common.c -- what every fuzz target shares beyond fuzz.h:
** the fonts, loaded once per process (as the batch does).
*/
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "skillbook/style.h"

static sb_fontset fonts;
static int fonts_loaded;

const sb_fontset *sb_fuzz_fonts(void) {
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
    fprintf(stderr, "fuzz: cannot load the fonts: %s\n", ctx.errmsg);
    abort();
  }
  sb_ctx_free(&ctx);
  fonts_loaded = 1;
  return &fonts;
}
