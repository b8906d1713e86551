/*
** render/render.c -- the render pipeline (CLI and batch), render.h.
**
** style (built-in name or style file, or preloaded) -> labels (language,
** English fallback) -> fonts (DATADIR/fonts/FILE unless preloaded) ->
** layout into a fresh document arena -> device (pdf, trace, or png for one
** page) -> bytes appended to an sb_buf; optionally a first-page thumbnail
** from the same display list (the batch's), so a document is laid out once
** however many outputs it feeds. On failure the buffers are left as they
** were, so nothing half-made is ever written by a caller that writes only
** on SB_OK.
** Tests: tests/cli/handbook.sh, tests/cli/png.sh, tests/cli/golden.sh
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skillbook/device.h"
#include "skillbook/docs.h"
#include "skillbook/render.h"

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

sb_status sb_load_style_fonts(sb_ctx *ctx, const sb_style *st,
                              const char *datadir, sb_fontset *fs) {
  char *paths[SB_FONT_COUNT];
  const char *cpaths[SB_FONT_COUNT];
  if (!datadir) datadir = ".";
  for (int i = 0; i < SB_FONT_COUNT; i++) {
    const char *file = st->font_file[i];
    if (file[0] == '/') {
      paths[i] = sb_xstrdup(file);
    } else {
      size_t n = strlen(datadir) + strlen(file) + 16;
      paths[i] = sb_xmalloc(n);
      snprintf(paths[i], n, "%s/fonts/%s", datadir, file);
    }
    cpaths[i] = paths[i];
  }
  sb_status s = sb_load_fontset(ctx, cpaths, fs);
  for (int i = 0; i < SB_FONT_COUNT; i++) free(paths[i]);
  return s;
}

/* Appends src's bytes to dst; an empty dst takes src's block instead of
** a copy (a handbook's whole PDF, twice in memory at the end of the
** render otherwise), leaving src empty. */
static void take_bytes(sb_buf *dst, sb_buf *src) {
  if (dst->n == 0 && src->p) {
    sb_buf_free(dst);
    *dst = *src;
    sb_buf_init(src);
    return;
  }
  sb_buf_add(dst, src->p, src->n);
}

/* Replays the laid-out document dl into the device of req->format, and
** into the thumbnail when req->thumb is set; appends to out and req->thumb
** only when everything succeeded. Without a thumbnail the device is the
** list's last reader: each page's ops are freed once drawn
** (sb_dl_run_once), before the device saves. */
static sb_status run_devices(sb_ctx *ctx, const sb_render_req *req,
                             sb_dl *dl, const sb_fontset *fs,
                             sb_buf *out) {
  sb_status s = SB_OK;
  int first = 0, last = -1;
  sb_buf tmp, th;
  sb_device *dev = NULL;

  sb_buf_init(&tmp);
  sb_buf_init(&th);
  switch (req->format) {
  case SB_FMT_TRACE:
    dev = sb_new_trace_device(ctx, &tmp);
    break;
  case SB_FMT_PNG: {
    int page = req->page > 0 ? req->page : 1;
    double dpi = req->dpi > 0 ? req->dpi : 96.0;
    if (page > dl->npages)
      s = sb_fail(ctx, SB_E_USAGE, "no page %d: the document has %d page%s",
                  page, dl->npages, dl->npages == 1 ? "" : "s");
    else if (!(dpi >= SB_PNG_DPI_MIN && dpi <= SB_PNG_DPI_MAX))
      s = sb_fail(ctx, SB_E_USAGE, "resolution %g dpi is out of range (%g "
                  "to %g)", dpi, SB_PNG_DPI_MIN, SB_PNG_DPI_MAX);
    if (s) break;
    first = last = page - 1;
    dev = sb_new_png_device(ctx, fs, page - 1, dpi, &tmp);
    break;
  }
  default:
    dev = sb_new_pdf_device_opts(ctx, fs, &req->pdf, &tmp);
    break;
  }
  if (s) {
    /* nothing to run */
  } else if (!dev) {
    s = ctx->status ? ctx->status
                    : sb_fail(ctx, SB_E_INTERNAL, "no device for the format");
  } else {
    s = req->thumb ? sb_dl_run(ctx, dl, dev, first, last)
                   : sb_dl_run_once(ctx, dl, dev, first, last);
    sb_drop_device(dev);
  }
  if (!s && req->thumb)
    s = sb_png_thumbnail(ctx, dl, fs, 0, req->thumb_px, &th);
  if (!s) {
    take_bytes(out, &tmp);
    if (req->thumb) take_bytes(req->thumb, &th);
  }
  sb_buf_free(&tmp);
  sb_buf_free(&th);
  return s;
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
    s = sb_load_style_fonts(ctx, st, req->datadir, &own);
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
    s = sb_layout_handbook_since(ctx, req->cat, req->old, req->role, st, lb,
                                 fs, &dl);
    break;
  case SB_DOC_SHEET:
    s = req->review ? sb_layout_sheet(ctx, req->cat, req->review, st, lb,
                                      fs, &dl)
                    : sb_fail(ctx, SB_E_USAGE, "a sheet needs its review");
    break;
  case SB_DOC_REVIEW_BOOK:
    s = req->review && req->nreviews > 0
            ? sb_layout_review_book(ctx, req->cat, req->review, req->nreviews,
                                    req->book_title, st, lb, fs, &dl)
            : sb_fail(ctx, SB_E_USAGE, "a review book needs its reviews");
    break;
  case SB_DOC_CHANGES:
    s = sb_layout_changes(ctx, req->old, req->cat, st, lb, fs, &dl);
    break;
  case SB_DOC_PROFILE:
    s = sb_layout_profile(ctx, req->cat, req->skill, st, lb, fs, &dl);
    break;
  default:
    s = sb_fail(ctx, SB_E_INTERNAL, "this document kind is not built yet");
    break;
  }
  if (!s && ctx->status) s = ctx->status;
  if (!s) s = run_devices(ctx, req, &dl, fs, out);
  if (!s && npages) *npages = dl.npages;
  sb_drop_arena(arena);
  if (!req->fonts) sb_drop_fontset(&own);
  sb_drop_style(own_style);
  return s;
}
