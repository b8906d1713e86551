/*
** batch/render.c -- the batch's adapter to the document pipeline (sb_render).
**
** What every document shares is resolved once, in the parent, before the
** output folder is touched: the style, the labels and the three faces
** (loaded once and inherited by the forked workers). A bad style, font or
** language table is then SB_E_STYLE / SB_E_FONT (exit 4) with nothing
** written. The same step hashes everything shared that shapes an output
** (sb_batch_render_env_hash), font files by content, once per run. Every
** document gets a thumbnail of its first page from its own layout.
** Tests: tests/cli/batch.sh
*/
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "batch/batch-imp.h"
#include "skillbook/device.h"
#include "skillbook/font.h"
#include "skillbook/render.h"
#include "skillbook/style.h"

/* Thumbnail size: the longer side of the first page in pixels, about 40
** dpi for A4 (842 pt). index.html shows it at half that size, so it stays
** sharp on high-density screens. */
#define THUMB_PX 460

struct sb_batch_render {
  const sb_catalog *cat;
  const sb_style *style;
  sb_style *own_style;    /* sb_load_style: a built-in NAME or a FILE */
  const char *style_name;
  const char *lang;
  const sb_labels *labels;
  char *datadir;
  sb_fontset fonts;
  char font_hash[SB_FONT_COUNT][65]; /* hex SHA-256 of each file */
  int strict;
  sb_pdf_threads pdf_threads; /* the pdf device's helper thread */
  const sb_catalog *since;    /* batch --since, or NULL */
  int no_tags;                /* untagged PDFs (sb_pdf_opts) */
};

sb_status sb_batch_render_open(sb_ctx *ctx, const sb_catalog *cat,
                               const char *style, const char *lang,
                               int strict, const char *datadir,
                               sb_batch_render **out) {
  sb_batch_render *r = sb_xcalloc(1, sizeof *r);
  sb_status st = SB_OK;
  *out = NULL;
  r->cat = cat;
  r->strict = strict;
  r->datadir = sb_xstrdup(datadir ? datadir : ".");
  r->style_name = style ? style : "default";
  st = sb_load_style(ctx, r->style_name, r->datadir, &r->own_style);
  if (st != SB_OK)
    goto fail;
  r->style = r->own_style;
  r->lang = lang ? lang : cat->lang;
  r->labels = sb_labels_for(ctx, r->lang, lang != NULL);
  st = sb_load_style_fonts(ctx, r->style, r->datadir, &r->fonts);
  if (st != SB_OK)
    goto fail;
  for (int i = 0; i < SB_FONT_COUNT; i++) {
    const char *path = sb_font_path(r->fonts.face[i]);
    if (sb_batch_file_sha(path, r->font_hash[i], NULL) < 0) {
      st = sb_fail(ctx, SB_E_FONT, "%s: cannot read the font file", path);
      goto fail;
    }
  }
  *out = r;
  return SB_OK;
fail:
  sb_batch_render_drop(r);
  return st;
}

void sb_batch_render_drop(sb_batch_render *r) {
  if (!r)
    return;
  sb_drop_fontset(&r->fonts);
  sb_drop_style(r->own_style);
  free(r->datadir);
  free(r);
}

static void hash_str(sb_sha256 *h, const char *s) {
  /* with its terminator, so that ("ab","c") and ("a","bc") differ */
  sb_sha256_update(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

void sb_batch_render_env_hash(const sb_batch_render *r, uint8_t out[32]) {
  sb_sha256 h;
  sb_sha256_init(&h);
  hash_str(&h, "skillbook-batch-env/1");
  hash_str(&h, SB_VERSION);
  /* The style: its name and every value (pointers cleared; the font file
  ** names are hashed as strings, their contents below). */
  hash_str(&h, r->style_name);
  sb_style_hash(r->style, &h);  /* values, strings, logo bytes */
  for (int i = 0; i < SB_FONT_COUNT; i++) {
    hash_str(&h, r->style->font_file[i]);
    hash_str(&h, r->font_hash[i]);
  }
  /* Labels: the language asked for and every printed word. */
  hash_str(&h, r->lang);
  hash_str(&h, r->labels->lang);
  for (int i = 0; i < SB_LABEL_COUNT; i++)
    hash_str(&h, sb_label(r->labels, (sb_label_id)i));
  hash_str(&h, getenv("SOURCE_DATE_EPOCH"));
  char th[32];
  /* "thumbs 1": the hash of the builds that could leave thumbnails out */
  snprintf(th, sizeof th, "thumbs 1 px %d", THUMB_PX);
  hash_str(&h, th);
  hash_str(&h, r->no_tags ? "tags 0" : "tags 1"); /* other PDF bytes */
  sb_sha256_final(&h, out);
}

const sb_labels *sb_batch_render_labels(const sb_batch_render *r) {
  return r->labels;
}

const char *sb_batch_render_lang(const sb_batch_render *r) {
  return r->lang && *r->lang ? r->lang : r->labels->lang;
}

void sb_batch_render_no_tags(sb_batch_render *r, int no_tags) {
  r->no_tags = no_tags;
}

void sb_batch_render_pdf_threads(sb_batch_render *r, int on) {
  r->pdf_threads = on ? SB_PDF_THREADS_ON : SB_PDF_THREADS_OFF;
}

void sb_batch_render_since(sb_batch_render *r, const sb_catalog *since) {
  r->since = since;
}

void sb_batch_render_inputs(const sb_batch_render *r, sb_batch_rerun *rr) {
  const sb_style *st = r->style;
  if (st->file) {
    /* the file, and its folder: fonts and the logo are looked for there
    ** first, then (fonts) in the data folder's fonts/ */
    sb_batch_rerun_add(rr, st->file);
    char *dir = sb_xstrdup(st->file);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
      dir[1] = '\0';
    else if (slash)
      *slash = '\0';
    else
      strcpy(dir, ".");
    sb_batch_rerun_add(rr, dir);
    free(dir);
    char *fonts = sb_batch_join(r->datadir, "fonts");
    sb_batch_rerun_add(rr, fonts);
    free(fonts);
  }
  sb_batch_rerun_add(rr, st->logo_file);
  for (int i = 0; i < SB_FONT_COUNT; i++)
    sb_batch_rerun_add(rr, sb_font_path(r->fonts.face[i]));
}

static sb_doc_kind doc_kind(sb_bdoc_kind k) {
  /* packs and books are set by sb_batch_render_doc itself */
  return k == SB_BDOC_SHEET     ? SB_DOC_SHEET
         : k == SB_BDOC_PROFILE ? SB_DOC_PROFILE
         : k == SB_BDOC_CHANGES ? SB_DOC_CHANGES
                                : SB_DOC_HANDBOOK;
}

sb_status sb_batch_render_doc(sb_ctx *ctx, sb_batch_render *r,
                              const sb_bdoc *d,
                              const sb_batch_person *people, sb_buf *pdf,
                              int *pages, sb_buf *thumb) {
  sb_render_req req;
  memset(&req, 0, sizeof req);
  req.kind = doc_kind(d->kind);
  req.cat = r->cat;
  if (d->kind == SB_BDOC_HANDBOOK || d->kind == SB_BDOC_CHANGES)
    req.old = r->since;
  req.role = d->role;
  req.skill = d->skill;
  sb_review rv;
  memset(&rv, 0, sizeof rv);
  rv.role = rv.to_role = d->role;
  rv.from = d->from;
  rv.to = d->to;
  rv.domain = -1;
  sb_review *book = NULL;
  size_t pages_limit = ctx->limits.pages; /* a book raises it, for itself */
  if (d->kind == SB_BDOC_SHEET) {
    req.review = &rv;
    req.nreviews = 1;
  } else if (d->kind == SB_BDOC_PACK) {
    req.kind = SB_DOC_SHEET;
    req.review = &people[d->person].rv;
    req.nreviews = 1;
  } else if (d->kind == SB_BDOC_REVIEW_BOOK) {
    /* one pack after another: the page limit is that of a document per
    ** pack (docs/batch.md, "Review cycles") */
    book = sb_xmalloc((size_t)d->nmembers * sizeof *book);
    for (int i = 0; i < d->nmembers; i++)
      book[i] = people[d->members[i]].rv;
    req.kind = SB_DOC_REVIEW_BOOK;
    req.review = book;
    req.nreviews = d->nmembers;
    req.book_title = d->title;
    if (ctx->limits.pages < (size_t)-1 / (size_t)(d->nmembers + 1))
      ctx->limits.pages *= (size_t)d->nmembers;
  }
  req.style = r->style_name;
  req.style_loaded = r->style;
  req.lang = r->lang;
  req.lang_explicit = 0; /* the parent warned once already */
  req.datadir = r->datadir;
  req.format = SB_FMT_PDF;
  req.fonts = &r->fonts;
  req.pdf.threads = r->pdf_threads;
  req.pdf.no_tags = r->no_tags;
  if (thumb) {
    /* the thumbnail comes from the PDF's own layout (one layout, two
    ** outputs), so its warnings are the PDF's and counted once */
    req.thumb = thumb;
    req.thumb_px = THUMB_PX;
  }
  sb_status st = sb_render(ctx, &req, pdf, pages);
  ctx->limits.pages = pages_limit;
  free(book);
  return st;
}
