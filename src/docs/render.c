/*
** docs/render.c -- the shared document pipeline (CLI and batch).
**
** style (built-in name or style file, or preloaded) -> labels (language, English fallback) ->
** fonts (DATADIR/fonts/FILE unless preloaded) -> layout into a fresh
** document arena -> device (pdf or trace) -> bytes appended to an sb_buf.
** On failure the buffer is left as it was, so nothing half-made is ever
** written by a caller that writes only on SB_OK.
** Tests: tests/cli/handbook.sh
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skillbook/device.h"
#include "skillbook/docs.h"

const sb_labels *sb_labels_for(sb_ctx *ctx, const char *lang, int warn) {
  if (!lang || !*lang) return sb_labels_en();
  /* BCP 47 prefix fallback: "en-GB" -> "en", "es-419" -> "es"; the
  ** primary subtag is matched without regard to case. */
  char primary[9];
  size_t n = strcspn(lang, "-_");
  const sb_labels *lb = NULL;
  if (n > 0 && n < sizeof primary) {
    for (size_t i = 0; i < n; i++)
      primary[i] = (char)(lang[i] >= 'A' && lang[i] <= 'Z' ? lang[i] + 32
                                                           : lang[i]);
    primary[n] = 0;
    lb = sb_labels_lookup(primary);
  }
  if (!lb) {
    if (warn)
      sb_warn(ctx, NULL, 0,
              "no labels for language '%s' (have: en, es, ru); printed "
              "labels are in English", lang);
    return sb_labels_en();
  }
  if (warn && lb != sb_labels_en()) {
    int missing = 0, first = -1;
    for (int i = 0; i < SB_LABEL_COUNT; i++)
      if (!lb->text[i] || !lb->text[i][0]) {
        if (first < 0) first = i;
        missing++;
      }
    if (missing)
      sb_warn(ctx, NULL, 0,
              "labels for '%s' lack %d translation(s) (the first is label "
              "%d); they print in English", lb->lang, missing, first);
  }
  return lb;
}

static char *font_path(const char *datadir, const char *file) {
  if (file[0] == '/') return sb_xstrdup(file);
  size_t n = strlen(datadir) + strlen(file) + 16;
  char *p = sb_xmalloc(n);
  snprintf(p, n, "%s/fonts/%s", datadir ? datadir : ".", file);
  return p;
}

sb_status sb_render(sb_ctx *ctx, const sb_render_req *req, sb_buf *out,
                    int *npages) {
  sb_status s = SB_OK;
  if (npages) *npages = 0;
  sb_style *own_style = NULL;
  const sb_style *st = req->style_loaded;
  if (!st) {
    s = sb_load_style(ctx, req->style ? req->style : "default",
                      req->datadir ? req->datadir : ".", &own_style);
    if (s) return s;
    st = own_style;
  }
  const sb_labels *lb = sb_labels_for(
      ctx, req->lang ? req->lang : req->cat->lang, req->lang_explicit);

  sb_fontset own;
  memset(&own, 0, sizeof own);
  const sb_fontset *fs = req->fonts;
  if (!fs) {
    char *paths[SB_FONT_COUNT];
    const char *cpaths[SB_FONT_COUNT];
    for (int i = 0; i < SB_FONT_COUNT; i++) {
      paths[i] = font_path(req->datadir ? req->datadir : ".", st->font_file[i]);
      cpaths[i] = paths[i];
    }
    s = sb_load_fontset(ctx, cpaths, &own);
    for (int i = 0; i < SB_FONT_COUNT; i++) free(paths[i]);
    if (s) {
      sb_drop_style(own_style);
      return s;
    }
    fs = &own;
  }

  sb_arena *arena = sb_new_arena(ctx->limits.arena_bytes);
  sb_dl dl;
  sb_dl_init(&dl, arena, ctx->limits.pages);
  switch (req->kind) {
  case SB_DOC_HANDBOOK:
    s = sb_layout_handbook(ctx, req->cat, req->role, st, lb, fs, &dl);
    break;
  case SB_DOC_SHEET:
    s = sb_layout_sheet(ctx, req->cat, req->role, req->from, req->to,
                        req->person, req->reviewer, st, lb, fs, &dl);
    break;
  case SB_DOC_PROFILE:
    s = sb_layout_profile(ctx, req->cat, req->skill, st, lb, fs, &dl);
    break;
  default:
    s = sb_fail(ctx, SB_E_INTERNAL, "this document kind is not built yet");
    break;
  }
  if (!s && ctx->status) s = ctx->status;
  if (!s) {
    sb_buf tmp;
    sb_buf_init(&tmp);
    sb_device *dev = req->format == SB_FMT_TRACE
                         ? sb_new_trace_device(ctx, &tmp)
                         : sb_new_pdf_device(ctx, fs, &tmp);
    if (!dev) {
      s = ctx->status ? ctx->status : SB_E_INTERNAL;
    } else {
      s = sb_dl_run(ctx, &dl, dev, 0, -1);
      sb_drop_device(dev);
    }
    if (!s) {
      sb_buf_add(out, tmp.p, tmp.n);
      if (npages) *npages = dl.npages;
    }
    sb_buf_free(&tmp);
  }
  sb_drop_arena(arena);
  if (!req->fonts) sb_drop_fontset(&own);
  sb_drop_style(own_style);
  return s;
}
