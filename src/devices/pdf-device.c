/*
** devices/pdf-device.c -- replays a display list into a PDF.
**
** The device puts the parts together in order: begin_doc scans the
** display list for the characters each font slot shows and embeds those
** faces (pdf-font.c: Type0/Identity-H, CIDs 1..N, our own subset); each
** page's operators are written by pdf-content.c with y flipped, and the
** finished page goes to the deflate queue (pdf-deflate.c); close gives
** every page its deflated content, adds what needs every page to exist
** (links, outlines), page labels, the info dictionary, /Lang and
** /ViewerPreferences, and saves straight into the caller's sb_buf.
** Everything libharu does is in pdf-haru.c (pdf-haru.h); this file does
** not include hpdf.h. libharu's errors are recorded, never jumped out of,
** and checked after every page and before saving (SB_E_PDF).
** Determinism: no /ID, no dates unless dl->info.date >= 0.
** Tests: tests/unit/test_pdf.c, the tests/cli scripts (poppler, qpdf, mutool, gs)
*/
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "devices/pdf-imp.h"
#include "skillbook/device.h"

typedef struct pdf_link {
  int from, to;     /* dl page indices */
  double rect[4];   /* left, bottom, right, top: PDF coordinates */
  double dest_y;    /* dl y on the target page (flipped by pdf-haru.c) */
} pdf_link;

/* Room for the streams of the fonts embedded at begin_doc (three a face:
** FontFile2, CIDToGIDMap, ToUnicode); more are deflated at once. */
#define PDF_FONT_STREAMS (3 * SB_FONT_COUNT)

typedef struct pdf_dev {
  sb_device base;
  const sb_fontset *fonts;
  sb_pdf_threads threads;  /* the helper thread (device.h) */
  int tags;                /* tagged and archival (!opts->no_tags) */
  sb_buf *out;
  sb_haru *doc;
  int cur;                  /* dl page being drawn, -1 between pages */
  int npages;
  pdf_content c;            /* the current page's operators */
  pdf_zq *zq;               /* pages waiting to be / being deflated */
  pdf_font font[SB_FONT_COUNT];
  uint8_t *used[SB_FONT_COUNT];  /* BMP bitmap per slot; NULL = unused */
  pdf_link *links;
  int nlinks;
  size_t caplinks;
  sb_haru_obj *fstream[PDF_FONT_STREAMS]; /* font streams left empty, */
  int nfstreams;                           /* deflated by zq: slot
                                           ** npages + i */
  pdf_tags *tagged;         /* the structure (NULL with no_tags) */
  pdf_form *form;           /* a fillable document's fields (pdf-form.c);
                               NULL when dl->info.forms is 0 */
} pdf_dev;

/* ==== Fonts ==== */

/* Marks the BMP code points of every text op in the bitmap of its slot.
** Nearly all of a handbook's text is ASCII (over a megabyte of it for the
** large one, scanned before the first page can be drawn while the helper
** thread waits): an ASCII byte is one store into the slot's 128-byte
** table, eight at a time while eight are ASCII, and the tables become
** bits at the end. */
static void scan_text(pdf_dev *p, const sb_dl *dl) {
  unsigned char seen[SB_FONT_COUNT][128];
  int i, k, f;

  memset(seen, 0, sizeof seen);
  for (i = 0; i < dl->npages; i++)
    for (k = 0; k < dl->pages[i].nops; k++) {
      const sb_op *op = &dl->pages[i].ops[k];
      const unsigned char *t = (const unsigned char *)op->u.text.text;
      size_t j = 0, n = op->u.text.len;
      unsigned char *s;
      uint8_t *used;
      f = op->u.text.font;
      if (op->kind != SB_OP_TEXT || f < 0 || f >= SB_FONT_COUNT)
        continue;
      if (!p->used[f])
        p->used[f] = sb_xcalloc(65536 / 8, 1);
      used = p->used[f];
      s = seen[f];
      while (j < n) {
        int len = 1;
        int32_t cp;
        /* runs of ASCII: a store each, nothing to decode */
        while (n - j >= 8) {
          uint64_t w;
          memcpy(&w, t + j, 8);
          if (w & 0x8080808080808080u)
            break;
          s[t[j]] = 1, s[t[j + 1]] = 1, s[t[j + 2]] = 1, s[t[j + 3]] = 1;
          s[t[j + 4]] = 1, s[t[j + 5]] = 1, s[t[j + 6]] = 1, s[t[j + 7]] = 1;
          j += 8;
        }
        while (j < n && t[j] < 0x80)
          s[t[j++]] = 1;
        if (j == n)
          break;
        cp = sb_utf8_decode((const char *)t + j, n - j, &len);
        if (cp >= 0 && cp < 65536)
          used[cp >> 3] |= (uint8_t)(1u << (cp & 7));
        j += (size_t)(len > 0 ? len : 1);
      }
    }
  for (f = 0; f < SB_FONT_COUNT; f++)
    for (k = 0; p->used[f] && k < 128; k++)
      if (seen[f][k])
        p->used[f][k >> 3] |= (uint8_t)(1u << (k & 7));
}

/* sb_haru_defer_streams while the fonts are embedded: each stream's data
** goes to the deflate queue after the pages' slots, so the helper thread,
** idle until the first page is drawn, deflates them (6.3 M instructions
** of the drawing thread's for the large handbook, three quarters of the
** fonts' set-up) while this thread draws. */
static int defer_stream(void *arg, sb_haru_obj *stream, const void *data,
                        size_t n) {
  pdf_dev *p = arg;
  unsigned char *raw;

  if (p->nfstreams == PDF_FONT_STREAMS || !(raw = malloc(n ? n : 1)))
    return -1;
  if (n)
    memcpy(raw, data, n);
  p->fstream[p->nfstreams] = stream;
  pdf_zq_push(p->zq, p->npages + p->nfstreams++, raw, n);
  return 0;
}

/* The font streams' deflated data, into their objects (before the save;
** the helper took them first, long before). */
static sb_status fill_font_streams(sb_ctx *ctx, pdf_dev *p) {
  int i;

  for (i = 0; i < p->nfstreams; i++) {
    size_t n;
    const unsigned char *z = pdf_zq_wait(p->zq, p->npages + i, &n);
    sb_status st;
    if (!z)
      return sb_fail(ctx, SB_E_PDF, "out of memory deflating a font");
    st = sb_haru_stream_fill(ctx, p->doc, p->fstream[i], z, n);
    pdf_zq_release(p->zq, p->npages + i);
    if (st != SB_OK)
      return st;
  }
  p->nfstreams = 0;
  return SB_OK;
}

static sb_status load_fonts(sb_ctx *ctx, pdf_dev *p) {
  int i;

  for (i = 0; i < SB_FONT_COUNT; i++) {
    sb_status st;
    if (!p->used[i])
      continue;
    if (!p->fonts || !p->fonts->face[i])
      return sb_fail(ctx, SB_E_FONT, "no font for slot %d", i);
    st = sb_pdf_embed_font(ctx, p->doc, p->fonts->face[i], p->used[i],
                           &p->font[i]);
    if (st != SB_OK) {
      if (sb_haru_check(ctx, p->doc) != SB_OK)
        return ctx->status;
      return st;
    }
  }
  return sb_haru_check(ctx, p->doc);
}

/* ==== Links ==== */

static void add_link(pdf_dev *p, const sb_op *op) {
  pdf_link *l;
  double page_h = p->c.page_h;

  /* (at most one link op per display-list op, and those are counted in
  ** int: the cap is never reached) */
  if (SB_GROW(p->links, p->nlinks, p->caplinks, 16, INT_MAX) != SB_OK)
    return;
  l = &p->links[p->nlinks++];
  l->from = p->cur;
  l->to = op->u.link.page;
  l->rect[0] = op->u.link.x;
  l->rect[1] = page_h - (op->u.link.y + op->u.link.h);
  l->rect[2] = op->u.link.x + op->u.link.w;
  l->rect[3] = page_h - op->u.link.y;
  l->dest_y = op->u.link.dest_y;  /* flipped once the target page exists */
}

/* ==== Threads ==== */

/* The document's compressor deflates fonts and, on this thread, pages. */
_Static_assert(SB_ZLEVEL_CONTENT == SB_ZLEVEL_STREAM,
               "pages and the other streams share the document's compressor");

/* A helper thread (sb_pdf_threads): AUTO gives one to documents of 8
** pages or more when this process may run on two processors or more (a
** thread for a short document costs more than it saves). */
static int use_thread(sb_pdf_threads threads, int npages) {
  static int cpus;

  if (threads != SB_PDF_THREADS_AUTO)
    return threads == SB_PDF_THREADS_ON && npages > 1;
  if (npages < 8)
    return 0;
  if (!cpus)
    cpus = sb_cpu_count();
  return cpus >= 2;
}

/* ==== Device callbacks ==== */

static sb_status pdf_begin_doc(sb_ctx *ctx, sb_device *dev, const sb_dl *dl) {
  pdf_dev *p = (pdf_dev *)dev;
  sb_status st;

  p->doc = sb_haru_new(ctx, dl->npages);
  if (!p->doc)
    return ctx->status;
  p->c.doc = p->doc;
  p->npages = dl->npages;
  /* the pages this thread deflates use the document's compressor */
  p->zq = pdf_zq_new(dl->npages + PDF_FONT_STREAMS,
                     use_thread(p->threads, dl->npages),
                     sb_haru_deflater(p->doc));
  if (p->tags)
    p->tagged = sb_pdf_tags_new(dl->npages, dl->info.lang);
  if (dl->info.forms)
    p->form = sb_pdf_form_new();
  scan_text(p, dl);
  sb_haru_defer_streams(p->doc, defer_stream, p);
  st = load_fonts(ctx, p);
  sb_haru_defer_streams(p->doc, NULL, NULL);
  if (st != SB_OK)
    return ctx->status != SB_OK ? ctx->status : SB_E_PDF;
  return sb_haru_check(ctx, p->doc);
}

static sb_status pdf_begin_page(sb_ctx *ctx, sb_device *dev, int page,
                                const sb_page *pg) {
  pdf_dev *p = (pdf_dev *)dev;
  sb_status st;

  p->cur = page;
  st = sb_haru_add_page(ctx, p->doc, page, pg->w, pg->h);
  if (st == SB_OK)
    sb_pdf_content_page(&p->c, pg->h);
  if (p->tagged)
    sb_pdf_tags_page(p->tagged, page);
  return st;
}

static sb_status pdf_mark(sb_ctx *ctx, sb_device *dev, const sb_op *op) {
  pdf_dev *p = (pdf_dev *)dev;

  (void)ctx;
  if (p->tagged)
    sb_pdf_tags_mark(p->tagged, &p->c, op);
  return SB_OK;
}

static sb_status pdf_op(sb_ctx *ctx, sb_device *dev, const sb_op *op) {
  pdf_dev *p = (pdf_dev *)dev;

  (void)ctx;
  if (p->form && sb_pdf_form_op(p->form, &p->c, p->cur, op)) {
    /* a field (its widget is tagged as a Form), or the text of a value,
    ** drawn in its widget's appearance */
    if (op->kind == SB_OP_FIELD && p->tagged)
      sb_pdf_tags_op(p->tagged, &p->c, op);
    return SB_OK;
  }
  if (op->kind == SB_OP_FIELD)
    return SB_OK; /* not a fillable document: nothing */
  if (p->tagged)
    sb_pdf_tags_op(p->tagged, &p->c, op);
  if (op->kind == SB_OP_LINK)
    add_link(p, op);
  else
    sb_pdf_content_op(&p->c, op);
  return SB_OK;
}

static sb_status pdf_end_page(sb_ctx *ctx, sb_device *dev, int page) {
  pdf_dev *p = (pdf_dev *)dev;
  sb_status st;

  if (p->form)
    sb_pdf_form_end_page(p->form);
  if (p->tagged)
    sb_pdf_tags_end_page(p->tagged, &p->c);
  sb_pdf_content_end(&p->c);
  st = sb_haru_end_page(ctx, p->doc);
  p->cur = -1;
  if (st == SB_OK) { /* the queue takes the bytes; cs starts afresh */
    unsigned char *raw = (unsigned char *)p->c.cs.p;
    size_t n = p->c.cs.n;
    sb_buf_init(&p->c.cs);
    pdf_zq_push(p->zq, page, raw, n);
  }
  return st;
}

/* Waits for the deflate thread and gives every page its bytes, each
** page's deflated copy freed as soon as libharu holds it. */
static sb_status set_contents(sb_ctx *ctx, pdf_dev *p) {
  int i, bad = pdf_zq_finish(p->zq);

  if (bad >= 0)
    return sb_fail(ctx, SB_E_PDF, "out of memory deflating page %d", bad + 1);
  for (i = 0; i < p->npages; i++) {
    size_t n;
    const unsigned char *z = pdf_zq_get(p->zq, i, &n);
    sb_status st;
    if (!z || !sb_haru_has_page(p->doc, i))
      continue;
    st = sb_haru_set_contents(ctx, p->doc, i, z, n);
    pdf_zq_release(p->zq, i);
    if (st != SB_OK)
      return st;
  }
  return sb_haru_check(ctx, p->doc);
}

/* sb_haru_on_written: once libharu has written the file, the structure
** elements' entries (what their lazy dicts write; the tree itself went at
** sb_pdf_tags_finish) are no longer needed: freed before the file is
** rewritten into object streams, whose buffers take their place. */
static void drop_tags(void *arg) {
  pdf_dev *p = arg;

  sb_pdf_tags_free(p->tagged);
  p->tagged = NULL;
}

static sb_status pdf_close(sb_ctx *ctx, sb_device *dev, const sb_dl *dl) {
  pdf_dev *p = (pdf_dev *)dev;
  sb_status st;
  int i;

  if (!p->doc)
    return sb_fail(ctx, SB_E_INTERNAL, "pdf device closed before begin_doc");
  if ((st = sb_haru_check(ctx, p->doc)) != SB_OK ||
      (st = fill_font_streams(ctx, p)) != SB_OK)
    return st;
  /* what needs every page but not their contents (links, the form, the
  ** outlines, the structure tree, the metadata) is made first, while the
  ** helper thread still deflates the last pages; set_contents then waits
  ** for it. The objects are made in the same order as before (contents
  ** objects exist from sb_haru_add_page on; setting their bytes makes
  ** none), so the file is the same. */
  for (i = 0; i < p->nlinks; i++) {
    sb_haru_obj *a = sb_haru_add_link(p->doc, p->links[i].from,
                                      p->links[i].rect, p->links[i].to,
                                      p->links[i].dest_y);
    if (p->tagged)
      sb_pdf_tags_link(p->tagged, i, a);
  }
  if (p->form) {
    /* typed answers: the regular face whole (pdf-font.c) */
    pdf_form_font dr = {"SbF", NULL};
    if (p->fonts && p->fonts->face[SB_FONT_REGULAR] &&
        (st = sb_pdf_embed_font_whole(ctx, p->doc,
                                      p->fonts->face[SB_FONT_REGULAR],
                                      &dr.dict)) != SB_OK)
      return st;
    if ((st = sb_pdf_form_finish(ctx, p->form, p->doc, p->font, &dr,
                                 p->tagged)) != SB_OK)
      return st;
  }
  sb_haru_finish(p->doc, &dl->info, sb_haru_add_outlines(p->doc, dl));
  if (p->tagged && (st = sb_pdf_tags_finish(ctx, p->tagged, p->doc)) != SB_OK)
    return st;
  if (p->tags && (st = sb_pdf_archive(ctx, p->doc, &dl->info)) != SB_OK)
    return st;
  if (!p->tags && dl->info.nmeta > 0 &&
      (st = sb_pdf_metadata(ctx, p->doc, &dl->info)) != SB_OK)
    return st;
  if (p->tags) { /* libharu saves while the last pages are deflated */
    sb_haru_pack(p->doc, use_thread(p->threads, p->npages));
    if ((st = sb_haru_check(ctx, p->doc)) != SB_OK)
      return st;
    if (p->tagged)
      sb_haru_on_written(p->doc, drop_tags, p);
    return sb_haru_save_pages(ctx, p->doc, p->out, p->zq);
  }
  if ((st = set_contents(ctx, p)) != SB_OK)
    return st;
  return sb_haru_save(ctx, p->doc, p->out);
}

static void pdf_drop(sb_device *dev) {
  pdf_dev *p = (pdf_dev *)dev;
  int i;

  sb_haru_drop(p->doc);
  for (i = 0; i < SB_FONT_COUNT; i++) {
    free(p->used[i]);
    sb_pdf_free_font(&p->font[i]);
  }
  pdf_zq_free(p->zq); /* joins the thread first */
  sb_pdf_tags_free(p->tagged);
  sb_pdf_form_free(p->form);
  sb_buf_free(&p->c.cs);
  free(p->links);
  free(p);
}

sb_device *sb_new_pdf_device_opts(sb_ctx *ctx, const sb_fontset *fonts,
                                  const sb_pdf_opts *opts, sb_buf *out) {
  pdf_dev *p = sb_xcalloc(1, sizeof *p);

  (void)ctx;
  p->threads = opts ? opts->threads : SB_PDF_THREADS_AUTO;
  p->tags = !(opts && opts->no_tags);
  p->fonts = fonts;
  p->out = out;
  p->cur = -1;
  p->c.font = p->font;
  sb_buf_init(&p->c.cs);
  p->base.begin_doc = pdf_begin_doc;
  p->base.begin_page = pdf_begin_page;
  p->base.op = pdf_op;
  p->base.end_page = pdf_end_page;
  p->base.mark = pdf_mark;
  p->base.close = pdf_close;
  p->base.drop = pdf_drop;
  return &p->base;
}

sb_device *sb_new_pdf_device(sb_ctx *ctx, const sb_fontset *fonts,
                             sb_buf *out) {
  return sb_new_pdf_device_opts(ctx, fonts, NULL, out);
}
