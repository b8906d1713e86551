/*
** docs/render.c -- the shared document pipeline (CLI and batch).
**
** style (built-in by name) -> labels (language, English fallback) ->
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
  /* BCP 47 prefix fallback: "en-GB" -> "en". Only English is built in so
  ** far; more tables slot in here. */
  size_t n = strcspn(lang, "-_");
  if (n == 2 && (lang[0] == 'e' || lang[0] == 'E') &&
      (lang[1] == 'n' || lang[1] == 'N'))
    return sb_labels_en();
  if (warn)
    sb_warn(ctx, NULL, 0,
            "no labels for language '%s'; printed labels are in English",
            lang);
  return sb_labels_en();
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
  const sb_style *st = sb_style_builtin(req->style ? req->style : "default");
  if (!st)
    return sb_fail(ctx, SB_E_STYLE,
                   "unknown style '%s' (built in: default, letter)",
                   req->style);
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
    if (s) return s;
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
  return s;
}
