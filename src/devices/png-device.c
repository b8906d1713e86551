/*
** devices/png-device.c -- page previews: one page of a display list as PNG.
**
** The only device that draws pixels with cairo, which it opens at run
** time on the first device (devices/cairo-dl.c: sb_cairo.NAME is
** cairo_NAME; the program does not link cairo). Text uses the document's
** own TTF files through cairo-ft (FT_New_Face + cairo_ft_font_face_create_
** for_ft_face) with hinting off (hint style none, hint metrics off, grey
** antialiasing), and each glyph is placed at the layout's advance
** (sb_font_advance * size / 1000, plus the pair kerning sb_font_kern), never
** cairo's, so a preview matches what
** the PDF device prints. White background; link ops are not drawn.
** The PNG is written by encode_png below (8-bit RGB, no row filters,
** deflated by libdeflate), not by cairo's libpng writer: see "PNG encoding".
** The FT_Faces live as long as cairo keeps their font faces (released by a
** cairo user-data destructor), and the FT_Library as long as any face, so
** cairo's font cache never sees a freed face; the first faces are kept for
** the life of the process (face_cache), with their glyph caches.
** Errors: SB_E_RENDER (page missing, cairo failure), SB_E_FONT.
** Tests: tests/unit/test_png.c, tests/cli/png.sh
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include "devices/cairo-dl.h"
#include "devices/deflate.h"
#include "skillbook/device.h"

/* A FreeType library shared by the faces of one device, freed by the last
** user (the device or one of cairo's font faces). */
typedef struct ft_lib {
  FT_Library lib;
  int refs;
} ft_lib;

typedef struct face_ref {
  ft_lib *lib;
  FT_Face face;
} face_ref;

typedef struct png_dev {
  sb_device base;
  const sb_fontset *fonts;
  int page;
  double dpi;
  sb_buf *out;
  ft_lib *ft;
  cairo_font_face_t *cf[SB_FONT_COUNT];
  FT_Face face[SB_FONT_COUNT];
  cairo_font_options_t *fopt;
  cairo_surface_t *surf;
  cairo_t *cr;
  int done;
  unsigned char *pix;       /* the surface's pixels: pix_keep's or own */
  int own_pix;
  cairo_glyph_t *glyphs;
  size_t capglyphs;
} png_dev;

static const cairo_user_data_key_t face_key;

/* Font faces kept for the life of the process, so that cairo's glyph
** caches (one per scaled font of a face) outlive a document: a batch draws
** a thumbnail of every document, and rasterising the same glyphs again for
** each was a tenth of its time. Keyed by the font file's path (an sb_font's
** address could come back as another face once it is freed). Full after
** FACE_CACHE faces: later faces live as long as their device. */
#define FACE_CACHE 8
static struct {
  char *path;
  cairo_font_face_t *cf;
  FT_Face face;
} face_cache[FACE_CACHE];
static int nface_cache;

static void lib_release(ft_lib *l) {
  SB_ASSERT(!l || l->refs > 0);
  if (l && --l->refs == 0) {
    FT_Done_FreeType(l->lib);
    free(l);
  }
}

static void face_destroy(void *data) {
  face_ref *r = data;
  FT_Done_Face(r->face);
  lib_release(r->lib);
  free(r);
}

/* Opens the face of a slot on first use. */
static sb_status load_face(sb_ctx *ctx, png_dev *d, int slot) {
  const sb_font *f = d->fonts->face[slot];
  face_ref *r;
  FT_Face face;

  if (d->cf[slot])
    return SB_OK;
  if (!f)
    return sb_fail(ctx, SB_E_FONT, "preview: no font in slot %d", slot);
  for (int i = 0; i < nface_cache; i++)
    if (strcmp(face_cache[i].path, sb_font_path(f)) == 0) {
      d->cf[slot] = sb_cairo.font_face_reference(face_cache[i].cf);
      d->face[slot] = face_cache[i].face;
      return SB_OK;
    }
  if (!d->ft) {
    d->ft = sb_xcalloc(1, sizeof *d->ft);
    if (FT_Init_FreeType(&d->ft->lib)) {
      free(d->ft);
      d->ft = NULL;
      return sb_fail(ctx, SB_E_FONT, "preview: FreeType failed to start");
    }
    d->ft->refs = 1;
  }
  if (FT_New_Face(d->ft->lib, sb_font_path(f), 0, &face))
    return sb_fail(ctx, SB_E_FONT, "preview: cannot open %s", sb_font_path(f));
  r = sb_xmalloc(sizeof *r);
  r->lib = d->ft;
  r->face = face;
  d->ft->refs++;
  d->cf[slot] = sb_cairo.ft_font_face_create_for_ft_face(face, 0);
  if (sb_cairo.font_face_set_user_data(d->cf[slot], &face_key, r,
                                       face_destroy)) {
    sb_cairo.font_face_destroy(d->cf[slot]);
    d->cf[slot] = NULL;
    face_destroy(r);
    return sb_fail(ctx, SB_E_RENDER, "preview: cairo font face failed");
  }
  d->face[slot] = face;
  if (nface_cache < FACE_CACHE) {
    face_cache[nface_cache].path = sb_xstrdup(sb_font_path(f));
    face_cache[nface_cache].cf = sb_cairo.font_face_reference(d->cf[slot]);
    face_cache[nface_cache].face = face;
    nface_cache++;
  }
  return SB_OK;
}

static void set_color(cairo_t *cr, sb_color c) {
  sb_cairo.set_source_rgb(cr, c.r, c.g, c.b);
}

/* Stroke adjustment, as poppler does it: a stroke at most one pixel wide
** has its points moved to pixel centres, so a hairline is one crisp pixel
** instead of two grey ones, and the preview matches the PDF as viewed. */
static int hairline(const png_dev *d, const sb_stroke *st) {
  return st->width * d->dpi / 72.0 <= 1.0;
}

static void snap(const png_dev *d, double *x, double *y) {
  double k = d->dpi / 72.0;
  *x = (floor(*x * k) + 0.5) / k;
  *y = (floor(*y * k) + 0.5) / k;
}

static void set_stroke(png_dev *d, const sb_stroke *st) {
  cairo_t *cr = d->cr;
  /* PDF's width 0 is one device pixel, and viewers (poppler among them)
  ** draw any thinner stroke one pixel wide: so do we */
  double min_w = 72.0 / d->dpi;
  SB_ASSERT(st->ndash >= 0 && st->ndash <= 4); /* the display list's dash[4] */
  sb_cairo.set_line_width(cr, st->width > min_w ? st->width : min_w);
  sb_cairo.set_line_cap(cr, st->cap == 1   ? CAIRO_LINE_CAP_ROUND
                            : st->cap == 2 ? CAIRO_LINE_CAP_SQUARE
                                           : CAIRO_LINE_CAP_BUTT);
  sb_cairo.set_line_join(cr, st->join == 1   ? CAIRO_LINE_JOIN_ROUND
                             : st->join == 2 ? CAIRO_LINE_JOIN_BEVEL
                                             : CAIRO_LINE_JOIN_MITER);
  sb_cairo.set_dash(cr, st->dash,
                    st->ndash > 0 && st->ndash <= 4 ? st->ndash : 0, 0);
  set_color(cr, st->color);
}

static sb_status draw_text(sb_ctx *ctx, png_dev *d, const sb_op *op) {
  int slot = op->u.text.font;
  const sb_font *f;
  const char *s = op->u.text.text;
  size_t n = op->u.text.len, i = 0, ng = 0;
  double x = op->u.text.x, size = op->u.text.size;
  int32_t prev = -1;
  sb_status st;

  if (slot < 0 || slot >= SB_FONT_COUNT || !d->fonts->face[slot])
    slot = SB_FONT_REGULAR;
  if ((st = load_face(ctx, d, slot)) != SB_OK)
    return st;
  f = d->fonts->face[slot];
  if (d->capglyphs < n + 1) {
    d->capglyphs = n + 1;
    d->glyphs = sb_xrealloc(d->glyphs, d->capglyphs * sizeof *d->glyphs);
  }
  while (i < n) {
    int len;
    int32_t cp = sb_utf8_decode(s + i, n - i, &len);
    SB_ASSERT(len >= 1 && ng < d->capglyphs); /* a glyph per byte at most */
    i += (size_t)len;
    /* the pair kerning layout measured and the pdf's TJ shows */
    x += sb_font_kern(f, prev, cp) * size / 1000.0;
    prev = cp;
    if (cp < 0)
      cp = 0xFFFD;
    d->glyphs[ng].index = cp < 65536 ? sb_font_glyph(f, cp)
                                     : FT_Get_Char_Index(d->face[slot], (FT_ULong)cp);
    d->glyphs[ng].x = x;
    d->glyphs[ng].y = op->u.text.y;
    ng++;
    x += sb_font_advance(f, cp) * size / 1000.0;
  }
  sb_cairo.set_font_face(d->cr, d->cf[slot]);
  sb_cairo.set_font_size(d->cr, size);
  sb_cairo.set_font_options(d->cr, d->fopt);
  set_color(d->cr, op->u.text.color);
  sb_cairo.show_glyphs(d->cr, d->glyphs, (int)ng);
  return SB_OK;
}

/* Only paths of horizontal and vertical lines are adjusted (grids, boxes);
** moving the ends of a slanted hairline would shift it sideways. */
static int straight(const sb_op *op) {
  double px = 0, py = 0;
  int i;
  for (i = 0; i < op->u.path.nsegs; i++) {
    const sb_pathseg *s = &op->u.path.segs[i];
    if (s->kind == 'C')
      return 0;
    if (s->kind == 'L' && fabs(s->x[0] - px) > 1e-6 && fabs(s->y[0] - py) > 1e-6)
      return 0;
    if (s->kind == 'M' || s->kind == 'L')
      px = s->x[0], py = s->y[0];
  }
  return 1;
}

static void draw_path(png_dev *d, const sb_op *op) {
  cairo_t *cr = d->cr;
  int i;

  sb_cairo.new_path(cr);
  for (i = 0; i < op->u.path.nsegs; i++) {
    const sb_pathseg *s = &op->u.path.segs[i];
    switch (s->kind) {
    case 'M': sb_cairo.move_to(cr, s->x[0], s->y[0]); break;
    case 'L': sb_cairo.line_to(cr, s->x[0], s->y[0]); break;
    case 'C':
      sb_cairo.curve_to(cr, s->x[0], s->y[0], s->x[1], s->y[1], s->x[2],
                        s->y[2]);
      break;
    case 'Z': sb_cairo.close_path(cr); break;
    default: break;
    }
  }
  if (op->u.path.fill) {
    sb_color c = op->u.path.fill_color;
    sb_cairo.set_fill_rule(cr, op->u.path.evenodd ? CAIRO_FILL_RULE_EVEN_ODD
                                                  : CAIRO_FILL_RULE_WINDING);
    sb_cairo.set_source_rgba(cr, c.r, c.g, c.b, op->u.path.fill_alpha);
    sb_cairo.fill_preserve(cr);
  }
  if (op->u.path.stroke) {
    if (hairline(d, &op->u.path.st) && straight(op)) {
      sb_cairo.new_path(cr);
      for (i = 0; i < op->u.path.nsegs; i++) {
        const sb_pathseg *s = &op->u.path.segs[i];
        double x = s->x[0], y = s->y[0];
        snap(d, &x, &y);
        if (s->kind == 'M')
          sb_cairo.move_to(cr, x, y);
        else if (s->kind == 'L')
          sb_cairo.line_to(cr, x, y);
        else if (s->kind == 'Z')
          sb_cairo.close_path(cr);
      }
    }
    set_stroke(d, &op->u.path.st);
    sb_cairo.stroke_preserve(cr);
  }
  sb_cairo.new_path(cr);
}

typedef struct png_src {
  const unsigned char *p;
  size_t n, at;
} png_src;

static cairo_status_t read_mem(void *closure, unsigned char *data,
                               unsigned int len) {
  png_src *s = closure;
  if (len > s->n - s->at)
    return CAIRO_STATUS_READ_ERROR;
  memcpy(data, s->p + s->at, len);
  s->at += len;
  return CAIRO_STATUS_SUCCESS;
}

/* A PNG image (style logo) scaled into its box; a PNG cairo cannot read
** is skipped (the pdf device reports it). */
static void draw_image(png_dev *d, const sb_op *op) {
  png_src src = {op->u.image.png, op->u.image.len, 0};
  if (!src.p || !src.n)
    return;
  cairo_surface_t *img = sb_cairo.image_surface_create_from_png_stream(read_mem,
                                                                       &src);
  int iw = sb_cairo.image_surface_get_width(img);
  int ih = sb_cairo.image_surface_get_height(img);
  if (sb_cairo.surface_status(img) == CAIRO_STATUS_SUCCESS && iw > 0 &&
      ih > 0) {
    cairo_t *cr = d->cr;
    sb_cairo.save(cr);
    sb_cairo.new_path(cr);
    sb_cairo.rectangle(cr, op->u.image.x, op->u.image.y, op->u.image.w,
                       op->u.image.h);
    sb_cairo.clip(cr);
    sb_cairo.translate(cr, op->u.image.x, op->u.image.y);
    sb_cairo.scale(cr, op->u.image.w / iw, op->u.image.h / ih);
    sb_cairo.set_source_surface(cr, img, 0, 0);
    sb_cairo.pattern_set_filter(sb_cairo.get_source(cr), CAIRO_FILTER_GOOD);
    sb_cairo.paint(cr);
    sb_cairo.restore(cr);
  }
  sb_cairo.surface_destroy(img);
}

static sb_status op_fn(sb_ctx *ctx, sb_device *dev, const sb_op *op) {
  png_dev *d = (png_dev *)dev;
  cairo_t *cr = d->cr;

  if (!cr)
    return SB_OK;  /* not the page we render */
  switch (op->kind) {
  case SB_OP_TEXT:
    return draw_text(ctx, d, op);
  case SB_OP_RECT:
    sb_cairo.new_path(cr);
    sb_cairo.rectangle(cr, op->u.rect.x, op->u.rect.y, op->u.rect.w,
                       op->u.rect.h);
    if (op->u.rect.fill) {
      set_color(cr, op->u.rect.fill_color);
      sb_cairo.fill_preserve(cr);
    }
    if (op->u.rect.stroke) {
      if (hairline(d, &op->u.rect.st)) {
        double x0 = op->u.rect.x, y0 = op->u.rect.y;
        double x1 = x0 + op->u.rect.w, y1 = y0 + op->u.rect.h;
        snap(d, &x0, &y0);
        snap(d, &x1, &y1);
        sb_cairo.new_path(cr);
        sb_cairo.rectangle(cr, x0, y0, x1 - x0, y1 - y0);
      }
      set_stroke(d, &op->u.rect.st);
      sb_cairo.stroke_preserve(cr);
    }
    sb_cairo.new_path(cr);
    break;
  case SB_OP_LINE: {
    double x0 = op->u.line.x0, y0 = op->u.line.y0;
    double x1 = op->u.line.x1, y1 = op->u.line.y1;
    if (hairline(d, &op->u.line.st))
      snap(d, &x0, &y0), snap(d, &x1, &y1);
    sb_cairo.new_path(cr);
    sb_cairo.move_to(cr, x0, y0);
    sb_cairo.line_to(cr, x1, y1);
    set_stroke(d, &op->u.line.st);
    sb_cairo.stroke(cr);
    break;
  }
  case SB_OP_PATH:
    draw_path(d, op);
    break;
  case SB_OP_LINK:
    break;
  case SB_OP_IMAGE:
    draw_image(d, op);
    break;
  default: /* structure marks go to the mark callback (none here) */
    break;
  }
  return SB_OK;
}

/* The pixels of the page being drawn, kept for the next device (a batch
** worker draws a thumbnail for every document): a new
** cairo image surface is calloc'ed and then painted white, two passes over
** 600 KB; a kept buffer is set to white once (memset: in RGB24 the
** unused byte is ignored, so the page is the same white). One device
** uses it at a time; another alive at once gets its own. Like face_cache,
** for one thread at a time. */
static unsigned char *pix_keep;
static size_t pix_cap;
static int pix_busy;

static sb_status begin_page(sb_ctx *ctx, sb_device *dev, int page,
                            const sb_page *pg) {
  png_dev *d = (png_dev *)dev;
  double k = d->dpi / 72.0;
  int w, h;

  if (page != d->page || d->cr)
    return SB_OK;
  w = (int)ceil(pg->w * k - 1e-6);
  h = (int)ceil(pg->h * k - 1e-6);
  if (w < 1 || h < 1 || w > 30000 || h > 30000)
    return sb_fail(ctx, SB_E_RENDER, "preview of %.0fx%.0f pt at %g dpi: "
                   "%dx%d pixels is out of range", pg->w, pg->h, d->dpi, w, h);
  int stride = sb_cairo.format_stride_for_width(CAIRO_FORMAT_RGB24, w);
  size_t need = (size_t)stride * (size_t)h;
  if (!pix_busy && pix_cap < need) {
    free(pix_keep);
    pix_keep = malloc(need);
    pix_cap = pix_keep ? need : 0;
  }
  if (!pix_busy && pix_keep) {
    d->pix = pix_keep;
    pix_busy = 1;
  } else {
    d->pix = malloc(need);
    d->own_pix = 1;
  }
  if (!d->pix)
    return sb_fail(ctx, SB_E_RENDER, "preview of %dx%d pixels: out of memory",
                   w, h);
  memset(d->pix, 0xFF, need); /* white */
  d->surf = sb_cairo.image_surface_create_for_data(d->pix, CAIRO_FORMAT_RGB24,
                                                   w, h, stride);
  d->cr = sb_cairo.create(d->surf);
  if (sb_cairo.status(d->cr))
    return sb_fail(ctx, SB_E_RENDER, "preview: cairo: %s",
                   sb_cairo.status_to_string(sb_cairo.status(d->cr)));
  sb_cairo.scale(d->cr, k, k);
  return SB_OK;
}

/* ==== PNG encoding ==== */

/* The page is opaque, so the image is written as 8-bit RGB (colour type 2)
** with our own encoder rather than cairo's (libpng with its defaults: zlib
** level 6 and a per-row search over the five filters, which was 16-19 %
** of a batch). Every row is written unfiltered (filter type 0, None):
** measured on a 96 dpi page and a thumbnail of the medium r01 handbook
** (grey-antialiased text on white), None gives smaller files than Sub or
** Up at low levels (text edges defeat the predictors; white runs are
** LZ77's), and costs no pass over the row. The rows are gathered and
** deflated in one call by libdeflate (deflate.h, SB_ZLEVEL_PNG), which
** needs the whole input at once: the image's rows (3 bytes a pixel) are
** held while they are compressed, about 450 KB for a thumbnail.
** Against zlib at level 3, which this encoder used before: batch
** thumbnails 0.5-3 % smaller, a little faster (docs/performance.md).
** The compressed data is cut into IDAT chunks of PNG_ZBUF bytes. */
#define PNG_ZBUF 65536

static void put_be32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
}

/* put_be32 as one store where the compiler would not merge the bytes. */
static inline void store_be32(unsigned char *p, uint32_t v) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  v = __builtin_bswap32(v);
  memcpy(p, &v, 4);
#else
  put_be32(p, v);
#endif
}

static void put_chunk(sb_buf *b, const char *type, const unsigned char *data,
                      size_t n) {
  unsigned char hdr[8], crc[4];
  uint32_t c = sb_crc32(0, type, 4);
  if (n)
    c = sb_crc32(c, data, n);
  put_be32(hdr, (uint32_t)n);
  memcpy(hdr + 4, type, 4);
  put_be32(crc, c);
  sb_buf_add(b, hdr, 8);
  if (n)
    sb_buf_add(b, data, n);
  sb_buf_add(b, crc, 4);
}

/* Appends the PNG of a cairo RGB24 image (w x h pixels, rows stride bytes
** apart, each pixel a native-endian 0x00RRGGBB word) to out. Returns 0, or
** -1 when out of memory (out is then as it was). */
static int encode_png(const unsigned char *data, int w, int h, int stride,
                      sb_buf *out) {
  static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a,
                                       '\n'};
  unsigned char ihdr[13];
  size_t rowbytes = (size_t)w * 3, zn = 0, at;
  unsigned char *rows, *z = NULL, *c;
  sb_deflater *dz;

  SB_ASSERT(w >= 1 && h >= 1 && stride >= 4 * w); /* begin_page's bounds */
  rows = malloc((rowbytes + 1) * (size_t)h);
  if (!rows)
    return -1;
  c = rows;
  for (int y = 0; y < h; y++) {
    const unsigned char *src = data + (size_t)y * (size_t)stride;
    int x = 0;
    *c++ = 0;  /* filter: None */
    /* four pixels (R G B each) as three big-endian words: 7 instructions
    ** a pixel instead of 10 a byte at a time */
    for (; x + 4 <= w; x += 4) {
      uint32_t p[4];
      memcpy(p, src + 4 * (size_t)x, sizeof p);
      store_be32(c, (p[0] << 8) | ((p[1] >> 16) & 0xFF));
      store_be32(c + 4, (p[1] << 16) | ((p[2] >> 8) & 0xFFFF));
      store_be32(c + 8, (p[2] << 24) | (p[3] & 0xFFFFFF));
      c += 12;
    }
    for (; x < w; x++) {
      uint32_t px;
      memcpy(&px, src + 4 * (size_t)x, 4);
      c[0] = (unsigned char)(px >> 16);
      c[1] = (unsigned char)(px >> 8);
      c[2] = (unsigned char)px;
      c += 3;
    }
  }
  dz = sb_new_deflater(SB_ZLEVEL_PNG);
  if (dz)
    z = sb_deflate(dz, rows, (rowbytes + 1) * (size_t)h, &zn);
  sb_drop_deflater(dz);
  free(rows);
  if (!z)
    return -1;
  sb_buf_add(out, sig, sizeof sig);
  put_be32(ihdr, (uint32_t)w);
  put_be32(ihdr + 4, (uint32_t)h);
  ihdr[8] = 8;   /* bits per sample */
  ihdr[9] = 2;   /* colour type: RGB */
  ihdr[10] = 0;  /* deflate */
  ihdr[11] = 0;  /* adaptive filtering, one filter type a row */
  ihdr[12] = 0;  /* not interlaced */
  put_chunk(out, "IHDR", ihdr, sizeof ihdr);
  for (at = 0; at < zn; at += PNG_ZBUF)
    put_chunk(out, "IDAT", z + at, zn - at < PNG_ZBUF ? zn - at : PNG_ZBUF);
  put_chunk(out, "IEND", NULL, 0);
  free(z);
  return 0;
}

static sb_status end_page(sb_ctx *ctx, sb_device *dev, int page) {
  png_dev *d = (png_dev *)dev;
  cairo_status_t cs;

  if (page != d->page || !d->cr || d->done)
    return SB_OK;
  cs = sb_cairo.status(d->cr);
  if (cs)
    return sb_fail(ctx, SB_E_RENDER, "preview of page %d: cairo: %s",
                   page + 1, sb_cairo.status_to_string(cs));
  sb_cairo.surface_flush(d->surf);
  if (encode_png(sb_cairo.image_surface_get_data(d->surf),
                    sb_cairo.image_surface_get_width(d->surf),
                    sb_cairo.image_surface_get_height(d->surf),
                    sb_cairo.image_surface_get_stride(d->surf), d->out) < 0)
    return sb_fail(ctx, SB_E_RENDER, "preview of page %d: PNG: out of memory",
                   page + 1);
  d->done = 1;
  return SB_OK;
}

static sb_status close_fn(sb_ctx *ctx, sb_device *dev, const sb_dl *dl) {
  png_dev *d = (png_dev *)dev;
  if (!d->done)
    return sb_fail(ctx, SB_E_RENDER, "no page %d to preview (the document "
                   "has %d)", d->page + 1, dl->npages);
  return SB_OK;
}

static void drop_fn(sb_device *dev) {
  png_dev *d = (png_dev *)dev;
  int i;

  if (d->cr)
    sb_cairo.destroy(d->cr);
  if (d->surf)
    sb_cairo.surface_destroy(d->surf);
  if (d->own_pix)
    free(d->pix);
  else if (d->pix)
    pix_busy = 0;
  for (i = 0; i < SB_FONT_COUNT; i++)
    if (d->cf[i])
      sb_cairo.font_face_destroy(d->cf[i]);
  if (d->fopt)
    sb_cairo.font_options_destroy(d->fopt);
  lib_release(d->ft);
  free(d->glyphs);
  free(d);
}

sb_device *sb_new_png_device(sb_ctx *ctx, const sb_fontset *fonts, int page,
                             double dpi, sb_buf *out) {
  png_dev *d;

  if (!fonts || !out)
    return NULL;
  if (!sb_cairo_open(ctx))
    return NULL;  /* SB_E_IO in ctx, naming the package */
  d = sb_xcalloc(1, sizeof *d);
  d->fonts = fonts;
  d->page = page;
  d->dpi = dpi > 0 ? dpi : 72;
  d->out = out;
  d->fopt = sb_cairo.font_options_create();
  sb_cairo.font_options_set_hint_style(d->fopt, CAIRO_HINT_STYLE_NONE);
  sb_cairo.font_options_set_hint_metrics(d->fopt, CAIRO_HINT_METRICS_OFF);
  sb_cairo.font_options_set_antialias(d->fopt, CAIRO_ANTIALIAS_GRAY);
  d->base.begin_page = begin_page;
  d->base.op = op_fn;
  d->base.end_page = end_page;
  d->base.close = close_fn;
  d->base.drop = drop_fn;
  return &d->base;
}

sb_status sb_png_thumbnail(sb_ctx *ctx, const sb_dl *dl,
                           const sb_fontset *fonts, int page, int max_px,
                           sb_buf *out) {
  sb_device *dev;
  double side;
  sb_status st;

  if (page < 0 || page >= dl->npages)
    return sb_fail(ctx, SB_E_RENDER, "no page %d to preview (the document "
                   "has %d)", page + 1, dl->npages);
  side = dl->pages[page].w > dl->pages[page].h ? dl->pages[page].w
                                                : dl->pages[page].h;
  if (max_px < 8 || side <= 0)
    return sb_fail(ctx, SB_E_USAGE, "thumbnail size %d px is too small",
                   max_px);
  dev = sb_new_png_device(ctx, fonts, page, max_px * 72.0 / side, out);
  if (!dev)
    return ctx->status ? ctx->status
                       : sb_fail(ctx, SB_E_USAGE, "thumbnail: no fonts");
  st = sb_dl_run(ctx, dl, dev, page, page);
  sb_drop_device(dev);
  return st;
}
