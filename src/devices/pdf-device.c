/*
** devices/pdf-device.c -- replays a display list into a PDF with libharu.
**
** libharu assembles the document (pages, resources, annotations, outlines,
** page labels, info, the xref, deflate on save); the text and its fonts
** are ours. begin_doc scans the display list for the characters each font
** slot shows and embeds those faces (pdf-font.c: Type0/Identity-H, CIDs
** 1..N, our own subset); ops are drawn as they come with y flipped; close
** adds what needs every page to exist (links, outlines), page labels, the
** info dictionary, /Lang and /ViewerPreferences, saves to libharu's memory
** stream and appends the bytes to the caller's sb_buf.
**
** libharu facts this relies on (DESIGN.md, measured on 2.3.0):
** - the error handler only records the first error; HPDF_GetError is
**   checked after every page and before saving (SB_E_PDF);
** - text objects (BT, Tf, Td, Tj, ET) are written straight into the page's
**   content stream, so libharu's graphics mode stays "page description" and
**   its path, colour and image calls remain valid between them; the font
**   gets its resource name from HPDF_Page_GetLocalFontName, which accepts
**   any indirect dict;
** - HPDF_Page_SetDash takes integers, so dashes are written as a 'd'
**   operator straight into the page's content stream;
** - a destination keeps the reader's zoom only with a null zoom, which the
**   API cannot express (zoom 0 is refused), so the array is rebuilt;
** - /Lang and /ViewerPreferences have no API: set on the catalog dict;
** - info strings and outline titles need the UTF-8 encoder.
** Determinism: no /ID, no dates unless dl->info.date >= 0.
** Tests: tests/unit/test_pdf.c, the tests/cli scripts (poppler, qpdf, mutool, gs)
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf.h>

#include "devices/pdf-imp.h"
#include "skillbook/device.h"

typedef struct pdf_link {
  int from, to;     /* dl page indices */
  HPDF_Rect rect;   /* PDF coordinates on the source page */
  double dest_y;    /* PDF y on the target page */
} pdf_link;

typedef struct pdf_alpha {
  double alpha;
  HPDF_ExtGState gs;
} pdf_alpha;

/* What the content stream has been told, to skip redundant operators. */
typedef struct pdf_gs {
  int in_text;
  int font;            /* slot, -1 unknown */
  double size;
  int fill_ok, stroke_ok;
  sb_color fill, stroke;
  double lw;           /* < 0 unknown */
  int cap, join;       /* -1 unknown */
  char dash[64];       /* the last dash operator, "" unknown */
} pdf_gs;

typedef struct pdf_dev {
  sb_device base;
  const sb_fontset *fonts;
  sb_buf *out;
  HPDF_Doc pdf;
  HPDF_STATUS err, detail;  /* first libharu error */
  int err_page;             /* 1-based page it happened on, 0 = none */
  int reading;              /* reading the saved stream: EOF is expected */
  int cur;                  /* dl page being drawn, -1 between pages */
  HPDF_Page page;
  double page_h;
  HPDF_Page *pages;         /* per dl page; NULL when not rendered */
  int npages;
  sb_buf cs;                /* the current page's content, raw */
  pdf_zq *zq;               /* pages waiting to be / being deflated */
  pdf_font font[SB_FONT_COUNT];
  const char *fname[SB_FONT_COUNT]; /* resource name on this page, or NULL */
  long long tx, ty;         /* text line start in 1/1000 pt, inside BT */
  uint8_t *used[SB_FONT_COUNT];  /* BMP bitmap per slot; NULL = unused */
  const unsigned char *img_key[8]; /* PNG bytes already loaded (a logo on */
  HPDF_Image img[8];               /* every page is embedded once) */
  int nimg;
  pdf_link *links;
  int nlinks, caplinks;
  pdf_alpha *alphas;
  int nalphas, capalphas;
  pdf_gs gs;
  sb_buf text;              /* NUL-terminated copy of a text op */
} pdf_dev;

/* ==== Errors ==== */

/* Records only; never jumps out (DESIGN.md). */
static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no,
                          void *user) {
  pdf_dev *p = user;

  if (p->reading && error_no == HPDF_STREAM_EOF)
    return;
  if (p->err)
    return;
  p->err = error_no;
  p->detail = detail_no;
  p->err_page = p->cur + 1;
}

static sb_status check(sb_ctx *ctx, pdf_dev *p) {
  if (!p->err && HPDF_GetError(p->pdf) == HPDF_OK)
    return SB_OK;
  if (!p->err) {
    p->err = HPDF_GetError(p->pdf);
    p->detail = HPDF_GetErrorDetail(p->pdf);
  }
  if (p->err_page > 0)
    return sb_fail(ctx, SB_E_PDF, "libharu error 0x%04X (detail %u) on page %d",
                   (unsigned)p->err, (unsigned)p->detail, p->err_page);
  return sb_fail(ctx, SB_E_PDF, "libharu error 0x%04X (detail %u)",
                 (unsigned)p->err, (unsigned)p->detail);
}

/* ==== Fonts ==== */

/* Marks the BMP code points of every text op in the bitmap of its slot. */
static void scan_text(pdf_dev *p, const sb_dl *dl) {
  int i, k;

  for (i = 0; i < dl->npages; i++)
    for (k = 0; k < dl->pages[i].nops; k++) {
      const sb_op *op = &dl->pages[i].ops[k];
      const unsigned char *t = (const unsigned char *)op->u.text.text;
      size_t j = 0, n = op->u.text.len;
      uint8_t *used;
      int f = op->u.text.font;
      if (op->kind != SB_OP_TEXT || f < 0 || f >= SB_FONT_COUNT)
        continue;
      if (!p->used[f])
        p->used[f] = sb_xcalloc(65536 / 8, 1);
      used = p->used[f];
      while (j < n) {
        int len = 1;
        int32_t cp = t[j] < 0x80 ? t[j]
                                 : sb_utf8_decode(op->u.text.text + j, n - j, &len);
        if (cp >= 0 && cp < 65536)
          used[cp >> 3] |= (uint8_t)(1u << (cp & 7));
        j += (size_t)(len > 0 ? len : 1);
      }
    }
}

static sb_status load_fonts(sb_ctx *ctx, pdf_dev *p) {
  int i;

  for (i = 0; i < SB_FONT_COUNT; i++) {
    sb_status st;
    if (!p->used[i])
      continue;
    if (!p->fonts || !p->fonts->face[i])
      return sb_fail(ctx, SB_E_FONT, "no font for slot %d", i);
    st = sb_pdf_embed_font(ctx, p->pdf, p->fonts->face[i], p->used[i],
                           &p->font[i]);
    if (st != SB_OK) {
      if (check(ctx, p) != SB_OK)
        return ctx->status;
      return st;
    }
  }
  return check(ctx, p);
}

/* ==== The content stream ====
**
** Every operator is written by us into p->cs, the current page's bytes;
** at the end of the page they go to the deflate queue (pdf-deflate.c) and,
** when the document is closed, into libharu's stream for the page as
** already-deflated data. libharu only names the resources (fonts, images,
** ExtGStates) that the operators use. Numbers: coordinates and sizes in
** 1/1000 pt, colours and alphas to 1/10000, trailing zeros dropped. */

static void put(pdf_dev *p, const char *s, size_t n) {
  sb_buf_add(&p->cs, s, n);
}

static void end_text(pdf_dev *p) {
  if (p->gs.in_text) {
    put(p, "ET\012", 3);
    p->gs.in_text = 0;
  }
}

static void forget_state(pdf_dev *p) {
  int in_text = p->gs.in_text;

  memset(&p->gs, 0, sizeof p->gs);
  p->gs.in_text = in_text;
  p->gs.font = -1;
  p->gs.lw = -1;
  p->gs.cap = p->gs.join = -1;
}

static int same_color(sb_color a, sb_color b) {
  return a.r == b.r && a.g == b.g && a.b == b.b;
}

static double clamp01(double v) {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

static void set_fill(pdf_dev *p, sb_color c);

/* v/1000 in decimal, trailing zeros dropped: "12.5", "-3", "0.125". */
static char *put_milli(char *b, long long v) {
  char tmp[24];
  int n = 0;
  unsigned long long u, ip;
  unsigned fr;

  if (v < 0)
    *b++ = '-', u = (unsigned long long)-v;
  else
    u = (unsigned long long)v;
  ip = u / 1000, fr = (unsigned)(u % 1000);
  do
    tmp[n++] = (char)('0' + ip % 10), ip /= 10;
  while (ip);
  while (n)
    *b++ = tmp[--n];
  if (fr) {
    *b++ = '.';
    *b++ = (char)('0' + fr / 100);
    if (fr % 100) {
      *b++ = (char)('0' + fr / 10 % 10);
      if (fr % 10)
        *b++ = (char)('0' + fr % 10);
    }
  }
  return b;
}

static long long milli(double v) {
  if (!(v > -1e12 && v < 1e12)) /* NaN, or off any page: clamp */
    v = v > 0 ? 1e12 : v < 0 ? -1e12 : 0;
  return (long long)(v * 1000 + (v < 0 ? -0.5 : 0.5));
}

/* Characters per Tj: readers may refuse strings over 32,767 bytes. */
#define SB_PDF_MAX_TJ 8000

/* One text op: [BT] [/Fn size Tf] [colour] dx dy Td (cids) Tj. The string
** holds each character's CID as two bytes in a literal string, escaped
** where PDF's syntax needs it (parentheses, backslash, and CR, which a
** reader would turn into LF). Positions are kept in 1/1000 pt so that the
** relative Td moves never drift. */
static void draw_text(pdf_dev *p, const sb_op *op) {
  int f = op->u.text.font;
  const pdf_font *pf;
  const unsigned char *t = (const unsigned char *)op->u.text.text;
  size_t j = 0, n = op->u.text.len;
  char buf[4096 + 64], *w;
  long long x, y;
  int chars = 0;

  if (f < 0 || f >= SB_FONT_COUNT || !p->font[f].dict || n == 0)
    return;
  pf = &p->font[f];
  if (!p->gs.in_text) {
    put(p, "BT\012", 3);
    p->gs.in_text = 1;
    p->tx = p->ty = 0;
  }
  if (p->gs.font != f || p->gs.size != op->u.text.size) {
    if (!p->fname[f])
      p->fname[f] = HPDF_Page_GetLocalFontName(p->page, (HPDF_Font)pf->dict);
    if (!p->fname[f])
      return; /* libharu ran out of memory: its error is recorded */
    w = buf;
    *w++ = '/';
    w += snprintf(w, 40, "%s ", p->fname[f]);
    w = put_milli(w, milli(op->u.text.size));
    memcpy(w, " Tf\012", 4);
    put(p, buf, (size_t)(w + 4 - buf));
    p->gs.font = f;
    p->gs.size = op->u.text.size;
  }
  set_fill(p, op->u.text.color);
  x = milli(op->u.text.x);
  y = milli(p->page_h - op->u.text.y);
  w = put_milli(buf, x - p->tx);
  *w++ = ' ';
  w = put_milli(w, y - p->ty);
  memcpy(w, " Td (", 5);
  w += 5;
  p->tx = x, p->ty = y;
  while (j < n) {
    int len = 1;
    int32_t cp = t[j] < 0x80 ? t[j] : sb_utf8_decode(op->u.text.text + j, n - j, &len);
    unsigned c = cp >= 0 && cp < 65536 ? pf->cid[cp] : 0, k;
    unsigned char by[2] = {(unsigned char)(c >> 8), (unsigned char)c};
    j += (size_t)(len > 0 ? len : 1);
    for (k = 0; k < 2; k++) {
      unsigned char v = by[k];
      if (v == '(' || v == ')' || v == '\\')
        *w++ = '\\', *w++ = (char)v;
      else if (v == '\r')
        *w++ = '\\', *w++ = 'r';
      else
        *w++ = (char)v;
    }
    if (++chars == SB_PDF_MAX_TJ && j < n) { /* the next Tj goes on from here */
      memcpy(w, ") Tj (", 6);
      w += 6;
      chars = 0;
    }
    if (w - buf > 4096) {
      put(p, buf, (size_t)(w - buf));
      w = buf;
    }
  }
  memcpy(w, ") Tj\012", 5);
  put(p, buf, (size_t)(w + 5 - buf));
}

/* v in [0, 1] to 4 decimals: "0", "1", "0.1019", "0.5". */
static char *put_unit(char *b, double v) {
  unsigned u = (unsigned)(clamp01(v) * 10000 + 0.5), k;

  if (u >= 10000) {
    *b++ = '1';
    return b;
  }
  *b++ = '0';
  if (u == 0)
    return b;
  *b++ = '.';
  for (k = 1000; u && k; k /= 10) {
    *b++ = (char)('0' + u / k);
    u %= k;
  }
  return b;
}

/* "x y" with y flipped, then a space. */
static char *put_xy(const pdf_dev *p, char *b, double x, double y) {
  b = put_milli(b, milli(x));
  *b++ = ' ';
  b = put_milli(b, milli(p->page_h - y));
  *b++ = ' ';
  return b;
}

static void put_color(pdf_dev *p, sb_color c, const char *op) {
  char buf[64], *w = buf;

  w = put_unit(w, c.r);
  *w++ = ' ';
  w = put_unit(w, c.g);
  *w++ = ' ';
  w = put_unit(w, c.b);
  *w++ = ' ';
  memcpy(w, op, 3); /* "rg\n" or "RG\n" */
  put(p, buf, (size_t)(w + 3 - buf));
}

static void set_fill(pdf_dev *p, sb_color c) {
  if (p->gs.fill_ok && same_color(p->gs.fill, c))
    return;
  put_color(p, c, "rg\012");
  p->gs.fill = c;
  p->gs.fill_ok = 1;
}

static void set_dash(pdf_dev *p, const sb_stroke *st) {
  char buf[128], *w = buf;
  int i;
  double sum = 0;
  int ndash = st->ndash < 0 ? 0 : st->ndash > 4 ? 4 : st->ndash;

  for (i = 0; i < ndash; i++)
    sum += st->dash[i] > 0 ? st->dash[i] : 0;
  if (sum <= 0)
    ndash = 0;  /* an all-zero dash array is an error in PDF: draw solid */
  *w++ = '[';
  for (i = 0; i < ndash; i++) {
    double v = st->dash[i] < 0 ? 0 : st->dash[i] > 9999 ? 9999 : st->dash[i];
    if (i)
      *w++ = ' ';
    w = put_milli(w, milli(v));
  }
  memcpy(w, "] 0 d\012", 7);
  if (strcmp(buf, p->gs.dash) == 0)
    return;
  put(p, buf, strlen(buf));
  strcpy(p->gs.dash, buf);
}

static void set_stroke(pdf_dev *p, const sb_stroke *st) {
  char buf[32], *w;

  if (!p->gs.stroke_ok || !same_color(p->gs.stroke, st->color)) {
    put_color(p, st->color, "RG\012");
    p->gs.stroke = st->color;
    p->gs.stroke_ok = 1;
  }
  if (p->gs.lw != st->width) {
    w = put_milli(buf, milli(st->width < 0 ? 0 : st->width > 9999 ? 9999 : st->width));
    memcpy(w, " w\012", 3);
    put(p, buf, (size_t)(w + 3 - buf));
    p->gs.lw = st->width;
  }
  if (p->gs.cap != st->cap) {
    buf[0] = (char)('0' + (st->cap >= 0 && st->cap <= 2 ? st->cap : 0));
    put(p, buf, 1);
    put(p, " J\012", 3);
    p->gs.cap = st->cap;
  }
  if (p->gs.join != st->join) {
    buf[0] = (char)('0' + (st->join >= 0 && st->join <= 2 ? st->join : 0));
    put(p, buf, 1);
    put(p, " j\012", 3);
    p->gs.join = st->join;
  }
  set_dash(p, st);
}

/* One ExtGState per distinct fill alpha, shared by all pages. */
static HPDF_ExtGState alpha_state(pdf_dev *p, double alpha) {
  pdf_alpha *a;
  int i;

  for (i = 0; i < p->nalphas; i++)
    if (p->alphas[i].alpha == alpha)
      return p->alphas[i].gs;
  if (p->nalphas == p->capalphas) {
    p->capalphas = p->capalphas ? 2 * p->capalphas : 8;
    p->alphas = sb_xrealloc(p->alphas, (size_t)p->capalphas * sizeof *a);
  }
  a = &p->alphas[p->nalphas++];
  a->alpha = alpha;
  a->gs = HPDF_CreateExtGState(p->pdf);
  HPDF_ExtGState_SetAlphaFill(a->gs, (HPDF_REAL)clamp01(alpha));
  return a->gs;
}

/* Paints the current path as the op asks. */
static void paint(pdf_dev *p, int fill, int stroke, int evenodd) {
  if (fill && stroke)
    put(p, evenodd ? "B*\012" : "B\012", evenodd ? 3 : 2);
  else if (fill)
    put(p, evenodd ? "f*\012" : "f\012", evenodd ? 3 : 2);
  else if (stroke)
    put(p, "S\012", 2);
  else
    put(p, "n\012", 2);
}

static void draw_rect(pdf_dev *p, const sb_op *op) {
  char buf[128], *w;

  if (!op->u.rect.fill && !op->u.rect.stroke)
    return;
  end_text(p);
  if (op->u.rect.fill)
    set_fill(p, op->u.rect.fill_color);
  if (op->u.rect.stroke)
    set_stroke(p, &op->u.rect.st);
  w = put_xy(p, buf, op->u.rect.x, op->u.rect.y + op->u.rect.h);
  w = put_milli(w, milli(op->u.rect.w));
  *w++ = ' ';
  w = put_milli(w, milli(op->u.rect.h));
  memcpy(w, " re\012", 4);
  put(p, buf, (size_t)(w + 4 - buf));
  paint(p, op->u.rect.fill, op->u.rect.stroke, 0);
}

static void draw_line(pdf_dev *p, const sb_op *op) {
  char buf[128], *w;

  end_text(p);
  set_stroke(p, &op->u.line.st);
  w = put_xy(p, buf, op->u.line.x0, op->u.line.y0);
  memcpy(w, "m ", 2);
  w = put_xy(p, w + 2, op->u.line.x1, op->u.line.y1);
  memcpy(w, "l S\012", 4);
  put(p, buf, (size_t)(w + 4 - buf));
}

static void trace_segments(pdf_dev *p, const sb_pathseg *s, int n) {
  int i, open = 0;
  char buf[160], *w;

  for (i = 0; i < n; i++, s++) {
    if (s->kind == 'M' || (!open && s->kind != 'Z')) {
      /* a path must start with a move; a stray first L/C starts there */
      w = put_xy(p, buf, s->x[0], s->y[0]);
      memcpy(w, "m\012", 2);
      put(p, buf, (size_t)(w + 2 - buf));
      open = 1;
      if (s->kind == 'M')
        continue;
    }
    if (s->kind == 'L') {
      w = put_xy(p, buf, s->x[0], s->y[0]);
      memcpy(w, "l\012", 2);
      put(p, buf, (size_t)(w + 2 - buf));
    } else if (s->kind == 'C') {
      w = put_xy(p, buf, s->x[0], s->y[0]);
      w = put_xy(p, w, s->x[1], s->y[1]);
      w = put_xy(p, w, s->x[2], s->y[2]);
      memcpy(w, "c\012", 2);
      put(p, buf, (size_t)(w + 2 - buf));
    } else if (s->kind == 'Z' && open) {
      put(p, "h\012", 2);
    }
  }
}

/* "/Name op\n" for a resource name libharu gave (NULL: its error is kept). */
static void put_name_op(pdf_dev *p, const char *name, const char *op) {
  if (!name)
    return;
  put(p, "/", 1);
  put(p, name, strlen(name));
  put(p, op, strlen(op));
}

static void draw_path(pdf_dev *p, const sb_op *op) {
  int fill = op->u.path.fill, stroke = op->u.path.stroke;
  int alpha = fill && op->u.path.fill_alpha < 1;

  if (op->u.path.nsegs <= 0 || (!fill && !stroke))
    return;
  end_text(p);
  if (alpha) {
    HPDF_ExtGState gs = alpha_state(p, op->u.path.fill_alpha);
    put(p, "q\012", 2);
    if (gs)
      put_name_op(p, HPDF_Page_GetExtGStateName(p->page, gs), " gs\012");
  }
  if (fill)
    set_fill(p, op->u.path.fill_color);
  if (stroke)
    set_stroke(p, &op->u.path.st);
  trace_segments(p, op->u.path.segs, op->u.path.nsegs);
  paint(p, fill, stroke, op->u.path.evenodd);
  if (alpha) {
    put(p, "Q\012", 2);
    forget_state(p);
  }
}

static void add_link(pdf_dev *p, const sb_op *op) {
  pdf_link *l;

  if (p->nlinks == p->caplinks) {
    p->caplinks = p->caplinks ? 2 * p->caplinks : 16;
    p->links = sb_xrealloc(p->links, (size_t)p->caplinks * sizeof *l);
  }
  l = &p->links[p->nlinks++];
  l->from = p->cur;
  l->to = op->u.link.page;
  l->rect.left = (HPDF_REAL)op->u.link.x;
  l->rect.right = (HPDF_REAL)(op->u.link.x + op->u.link.w);
  l->rect.top = (HPDF_REAL)(p->page_h - op->u.link.y);
  l->rect.bottom = (HPDF_REAL)(p->page_h - (op->u.link.y + op->u.link.h));
  l->dest_y = op->u.link.dest_y;  /* flipped once the target page exists */
}

/* ==== Threads ==== */

static int thread_setting = -1; /* -1: decide by the processors */

void sb_pdf_set_threads(int on) { thread_setting = on ? 1 : 0; }

/* A helper thread for documents of 8 pages or more, when this process may
** run on two processors or more (a thread for a short document costs more
** than it saves). */
static int use_thread(int npages) {
  static int cpus;

  if (thread_setting >= 0)
    return thread_setting && npages > 1;
  if (npages < 8)
    return 0;
  if (!cpus)
    cpus = sb_cpu_count();
  return cpus >= 2;
}

/* ==== Device callbacks ==== */

static sb_status pdf_begin_doc(sb_ctx *ctx, sb_device *dev, const sb_dl *dl) {
  pdf_dev *p = (pdf_dev *)dev;

  p->pdf = HPDF_New(on_hpdf_error, p);
  if (!p->pdf)
    return sb_fail(ctx, SB_E_PDF, "libharu cannot create a document");
  HPDF_SetCompressionMode(p->pdf, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(p->pdf);
  p->npages = dl->npages;
  p->pages = sb_xcalloc(dl->npages > 0 ? (size_t)dl->npages : 1,
                        sizeof *p->pages);
  p->zq = pdf_zq_new(dl->npages, use_thread(dl->npages));
  scan_text(p, dl);
  if (load_fonts(ctx, p) != SB_OK)
    return ctx->status != SB_OK ? ctx->status : SB_E_PDF;
  return check(ctx, p);
}

static sb_status pdf_begin_page(sb_ctx *ctx, sb_device *dev, int page,
                                const sb_page *pg) {
  pdf_dev *p = (pdf_dev *)dev;

  p->cur = page;
  p->page = HPDF_AddPage(p->pdf);
  if (!p->page)
    return check(ctx, p);
  HPDF_Page_SetWidth(p->page, (HPDF_REAL)pg->w);
  HPDF_Page_SetHeight(p->page, (HPDF_REAL)pg->h);
  p->page_h = pg->h;
  p->pages[page] = p->page;
  p->cs.n = 0;
  memset(p->fname, 0, sizeof p->fname);
  /* a new page starts in PDF's initial graphics state */
  memset(&p->gs, 0, sizeof p->gs);
  p->gs.font = -1;
  p->gs.fill_ok = p->gs.stroke_ok = 1;
  p->gs.lw = 1;
  strcpy(p->gs.dash, "[] 0 d\012");
  return SB_OK;
}

/* A PNG image (style logo): loaded once per document per byte buffer,
** then drawn scaled into its box. */
static void draw_image(pdf_dev *p, const sb_op *op) {
  HPDF_Image im = NULL;
  int i;

  if (!op->u.image.png || op->u.image.len == 0 ||
      op->u.image.len > 0xFFFFFFFFu)
    return;
  end_text(p);
  for (i = 0; i < p->nimg; i++)
    if (p->img_key[i] == op->u.image.png)
      im = p->img[i];
  if (!im) {
    im = HPDF_LoadPngImageFromMem(p->pdf, op->u.image.png,
                                  (HPDF_UINT)op->u.image.len);
    if (!im)
      return;  /* the error handler has recorded it */
    if (p->nimg < 8) {
      p->img_key[p->nimg] = op->u.image.png;
      p->img[p->nimg++] = im;
    }
  }
  {
    char buf[160], *w = buf;
    memcpy(w, "q\012", 2);
    w = put_milli(w + 2, milli(op->u.image.w));
    memcpy(w, " 0 0 ", 5);
    w = put_milli(w + 5, milli(op->u.image.h));
    *w++ = ' ';
    w = put_xy(p, w, op->u.image.x, op->u.image.y + op->u.image.h);
    memcpy(w, "cm\012", 3);
    put(p, buf, (size_t)(w + 3 - buf));
    put_name_op(p, HPDF_Page_GetXObjectName(p->page, im), " Do\012");
    put(p, "Q\012", 2);
  }
}

static sb_status pdf_op(sb_ctx *ctx, sb_device *dev, const sb_op *op) {
  pdf_dev *p = (pdf_dev *)dev;

  (void)ctx;
  switch (op->kind) {
  case SB_OP_TEXT: draw_text(p, op); break;
  case SB_OP_RECT: draw_rect(p, op); break;
  case SB_OP_LINE: draw_line(p, op); break;
  case SB_OP_PATH: draw_path(p, op); break;
  case SB_OP_LINK: add_link(p, op); break;
  case SB_OP_IMAGE: draw_image(p, op); break;
  }
  return SB_OK;
}

static sb_status pdf_end_page(sb_ctx *ctx, sb_device *dev, int page) {
  pdf_dev *p = (pdf_dev *)dev;
  sb_status st;

  end_text(p);
  st = check(ctx, p);
  p->cur = -1;
  if (st == SB_OK) { /* the queue takes the bytes; cs starts afresh */
    unsigned char *raw = (unsigned char *)p->cs.p;
    size_t n = p->cs.n;
    sb_buf_init(&p->cs);
    pdf_zq_push(p->zq, page, raw, n);
  }
  return st;
}

/* Writes "/Filter /FlateDecode" into a content stream's dictionary, whose
** data is already deflated: libharu drops a /Filter entry from a stream
** whose own filter is off, but calls write_fn before closing the dict. */
static HPDF_STATUS declare_flate(HPDF_Dict dict, HPDF_Stream stream) {
  (void)dict;
  return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* Waits for the deflate thread and gives every page its bytes. */
static sb_status set_contents(sb_ctx *ctx, pdf_dev *p) {
  int i, bad = pdf_zq_finish(p->zq);

  if (bad >= 0)
    return sb_fail(ctx, SB_E_PDF, "out of memory deflating page %d", bad + 1);
  for (i = 0; i < p->npages; i++) {
    size_t n;
    const unsigned char *z = pdf_zq_get(p->zq, i, &n);
    HPDF_PageAttr attr;
    if (!p->pages[i] || !z)
      continue;
    attr = (HPDF_PageAttr)((HPDF_Dict)p->pages[i])->attr;
    attr->contents->filter = HPDF_STREAM_FILTER_NONE;
    attr->contents->write_fn = declare_flate;
    if (n > 0xFFFFFFFFu ||
        HPDF_Stream_Write(attr->stream, z, (HPDF_UINT)n) != HPDF_OK)
      return check(ctx, p) != SB_OK ? ctx->status
                                    : sb_fail(ctx, SB_E_PDF, "page %d too large", i + 1);
  }
  return check(ctx, p);
}

/* [page /XYZ null top null]: keeps the reader's left and zoom. */
static HPDF_Destination make_dest(pdf_dev *p, int page, double y) {
  HPDF_Page target = p->pages[page];
  HPDF_Destination d = HPDF_Page_CreateDestination(target);
  HPDF_REAL top;

  if (!d)
    return NULL;
  top = (HPDF_REAL)(HPDF_Page_GetHeight(target) - y);
  HPDF_Array_Clear(d);
  HPDF_Array_Add(d, target);
  HPDF_Array_AddName(d, "XYZ");
  HPDF_Array_Add(d, HPDF_Null_New(p->pdf->mmgr));
  HPDF_Array_AddReal(d, top);
  HPDF_Array_Add(d, HPDF_Null_New(p->pdf->mmgr));
  return d;
}

static int rendered(const pdf_dev *p, int page) {
  return page >= 0 && page < p->npages && p->pages[page];
}

static void add_links(pdf_dev *p) {
  int i;

  for (i = 0; i < p->nlinks; i++) {
    const pdf_link *l = &p->links[i];
    HPDF_Destination d;
    HPDF_Annotation a;
    if (!rendered(p, l->from) || !rendered(p, l->to))
      continue;
    d = make_dest(p, l->to, l->dest_y);
    a = HPDF_Page_CreateLinkAnnot(p->pages[l->from], l->rect, d);
    if (a)
      HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
  }
}

/* libharu refuses a string of more than 65,535 bytes (HPDF_STRING_OUT_OF_
** RANGE, which fails the whole document): info strings and outline titles
** come from the catalogue, so they are cut at a character boundary, with an
** ellipsis, well below that. Returns s, or a copy in b. */
#define SB_PDF_MAX_STR 4000
static const char *clip_str(sb_buf *b, const char *s) {
  size_t n = strlen(s);
  if (n <= SB_PDF_MAX_STR)
    return s;
  n = SB_PDF_MAX_STR;
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
    n--;
  b->n = 0;
  sb_buf_add(b, s, n);
  sb_buf_adds(b, "\xE2\x80\xA6");
  return b->p;
}

/* Nests outlines by depth; a jump deeper than one level is clamped. */
static int add_outlines(pdf_dev *p, const sb_dl *dl) {
  HPDF_Outline parent[16];
  HPDF_Encoder enc = HPDF_GetEncoder(p->pdf, "UTF-8");
  int i, top = -1, made = 0;

  for (i = 0; i < dl->noutlines; i++) {
    const sb_outline *o = &dl->outlines[i];
    int d = o->depth > top + 1 ? top + 1 : o->depth;
    HPDF_Outline ol;
    if (d > 15)
      d = 15;
    if (!rendered(p, o->page))
      continue;
    ol = HPDF_CreateOutline(p->pdf, d > 0 ? parent[d - 1] : NULL,
                            clip_str(&p->text, o->title ? o->title : ""), enc);
    if (!ol)
      return made;
    HPDF_Outline_SetDestination(ol, make_dest(p, o->page, o->y));
    HPDF_Outline_SetOpened(ol, d == 0);
    parent[d] = ol;
    top = d;
    made++;
  }
  return made;
}

static HPDF_Date utc_date(long long t) {
  HPDF_Date d;
  time_t tt = (time_t)t;
  struct tm tm;

  memset(&d, 0, sizeof d);
  gmtime_r(&tt, &tm);
  d.year = tm.tm_year + 1900;
  d.month = tm.tm_mon + 1;
  d.day = tm.tm_mday;
  d.hour = tm.tm_hour;
  d.minutes = tm.tm_min;
  d.seconds = tm.tm_sec;
  d.ind = '+';
  return d;
}

static void set_info(pdf_dev *p, const sb_docinfo *in) {
  HPDF_SetCurrentEncoder(p->pdf, "UTF-8");
  if (in->title)
    HPDF_SetInfoAttr(p->pdf, HPDF_INFO_TITLE, clip_str(&p->text, in->title));
  if (in->author)
    HPDF_SetInfoAttr(p->pdf, HPDF_INFO_AUTHOR, clip_str(&p->text, in->author));
  if (in->subject)
    HPDF_SetInfoAttr(p->pdf, HPDF_INFO_SUBJECT,
                     clip_str(&p->text, in->subject));
  if (in->keywords)
    HPDF_SetInfoAttr(p->pdf, HPDF_INFO_KEYWORDS,
                     clip_str(&p->text, in->keywords));
  if (in->creator)
    HPDF_SetInfoAttr(p->pdf, HPDF_INFO_CREATOR,
                     clip_str(&p->text, in->creator));
  if (in->date >= 0) {
    HPDF_SetInfoDateAttr(p->pdf, HPDF_INFO_CREATION_DATE, utc_date(in->date));
    HPDF_SetInfoDateAttr(p->pdf, HPDF_INFO_MOD_DATE, utc_date(in->date));
  }
}

/* /Lang and /ViewerPreferences << /DisplayDocTitle true >>: no API. */
static void set_catalog(pdf_dev *p, const sb_docinfo *in) {
  HPDF_Dict cat = p->pdf->catalog;
  HPDF_MMgr mm = p->pdf->mmgr;

  if (in->lang && in->lang[0])
    HPDF_Dict_Add(cat, "Lang", HPDF_String_New(mm, in->lang, NULL));
  if (in->title && in->title[0]) {
    HPDF_Dict vp = HPDF_Dict_New(mm);
    if (vp && HPDF_Dict_Add(cat, "ViewerPreferences", vp) == HPDF_OK)
      HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE);
  }
}

/* Saves to libharu's memory stream and appends it to p->out. */
static sb_status save(sb_ctx *ctx, pdf_dev *p) {
  HPDF_UINT32 size, got = 0;
  size_t n0 = p->out->n;

  if (HPDF_SaveToStream(p->pdf) != HPDF_OK || p->err)
    return check(ctx, p);
  size = HPDF_GetStreamSize(p->pdf);
  p->reading = 1;
  while (got < size) {
    HPDF_BYTE buf[65536];
    HPDF_UINT32 len = sizeof buf;
    HPDF_STATUS rc = HPDF_ReadFromStream(p->pdf, buf, &len);
    sb_buf_add(p->out, buf, len);
    got += len;
    if (rc != HPDF_OK || len == 0)
      break;
  }
  p->reading = 0;
  HPDF_ResetError(p->pdf);
  if (got != size) {
    p->out->n = n0;
    if (p->out->p)
      p->out->p[n0] = 0;
    return sb_fail(ctx, SB_E_PDF, "libharu gave %u of %u bytes",
                   (unsigned)got, (unsigned)size);
  }
  return check(ctx, p);
}

static sb_status pdf_close(sb_ctx *ctx, sb_device *dev, const sb_dl *dl) {
  pdf_dev *p = (pdf_dev *)dev;
  sb_status st;

  if (!p->pdf)
    return sb_fail(ctx, SB_E_INTERNAL, "pdf device closed before begin_doc");
  if ((st = check(ctx, p)) != SB_OK)
    return st;
  if ((st = set_contents(ctx, p)) != SB_OK)
    return st;
  add_links(p);
  if (add_outlines(p, dl) > 0)
    HPDF_SetPageMode(p->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
  if (HPDF_GetCurrentPage(p->pdf))
    HPDF_AddPageLabel(p->pdf, 0, HPDF_PAGE_NUM_STYLE_DECIMAL, 1, "");
  set_info(p, &dl->info);
  set_catalog(p, &dl->info);
  if ((st = check(ctx, p)) != SB_OK)
    return st;
  return save(ctx, p);
}

static void pdf_drop(sb_device *dev) {
  pdf_dev *p = (pdf_dev *)dev;
  int i;

  if (p->pdf)
    HPDF_Free(p->pdf);
  for (i = 0; i < SB_FONT_COUNT; i++) {
    free(p->used[i]);
    sb_pdf_free_font(&p->font[i]);
  }
  pdf_zq_free(p->zq); /* joins the thread first */
  sb_buf_free(&p->cs);
  free(p->pages);
  free(p->links);
  free(p->alphas);
  sb_buf_free(&p->text);
  free(p);
}

sb_device *sb_new_pdf_device(sb_ctx *ctx, const sb_fontset *fonts,
                             sb_buf *out) {
  pdf_dev *p = sb_xcalloc(1, sizeof *p);

  (void)ctx;
  p->fonts = fonts;
  p->out = out;
  p->cur = -1;
  sb_buf_init(&p->text);
  sb_buf_init(&p->cs);
  p->base.begin_doc = pdf_begin_doc;
  p->base.begin_page = pdf_begin_page;
  p->base.op = pdf_op;
  p->base.end_page = pdf_end_page;
  p->base.close = pdf_close;
  p->base.drop = pdf_drop;
  return &p->base;
}

