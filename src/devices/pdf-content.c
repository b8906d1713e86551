/*
** devices/pdf-content.c -- the operators of a page's content stream.
**
** Every operator is written by us into c->cs, the current page's bytes;
** at the end of the page pdf-device.c hands them to the deflate queue
** (pdf-deflate.c) and, when the document is closed, to libharu as the
** page's already-deflated stream. libharu (pdf-haru.c) only names the
** resources the operators use: fonts, images, transparency states.
** Numbers: coordinates and sizes in 1/1000 pt, colours and alphas to
** 1/10000, trailing zeros dropped; y is flipped (the display list's origin
** is the top left). State already set (colours, line style, font) is not
** set again.
**
** Kerning: a text op whose characters hold a kerned pair (sb_font_kern,
** the pairs layout folded into its widths) is shown with TJ, the others
** with Tj; so the op's width in the display list is what the page shows.
** Every text op is placed by an absolute Tm, not a Td relative to the op
** before: a reader sums relative moves in floating point, and a glyph
** that lands on a pixel's edge then rasterises a pixel off from the same
** text placed absolutely; the tagged file starts a text object in each
** marked-content sequence (absolute moves) where the untagged one runs on,
** so the two would differ by a pixel now and then (tests/cli/pdfua.sh
** compares their pages pixel for pixel).
** Facts this relies on: text objects (BT, Tf, Tm, Tj, TJ, ET) written straight
** into the content leave the rest of the page's operators valid between
** them; a dash written as a 'd' operator can hold fractions (libharu's
** HPDF_Page_SetDash takes integers).
** Tests: tests/unit/test_pdf.c, the tests/cli scripts (poppler, qpdf,
** mutool, gs).
*/
#include <stdio.h>
#include <string.h>

#include "devices/pdf-imp.h"
#include "skillbook/device.h"

/* ==== Operators ==== */

static void put(pdf_content *c, const char *s, size_t n) {
  sb_buf_add(&c->cs, s, n);
}

static void end_text(pdf_content *c) {
  if (c->gs.in_text) {
    put(c, "ET\012", 3);
    c->gs.in_text = 0;
  }
}

static void forget_state(pdf_content *c) {
  int in_text = c->gs.in_text;

  memset(&c->gs, 0, sizeof c->gs);
  c->gs.in_text = in_text;
  c->gs.font = -1;
  c->gs.lw = -1;
  c->gs.cap = c->gs.join = -1;
}

static int same_color(sb_color a, sb_color b) {
  return a.r == b.r && a.g == b.g && a.b == b.b;
}

static double clamp01(double v) {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

static void set_fill(pdf_content *c, sb_color col);

/* A text op's UTF-8 bytes. */
typedef struct op_text_bytes {
  const unsigned char *p;
  size_t n;
} op_text_bytes;

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

/* Characters per string: readers may refuse strings over 32,767 bytes. */
#define SB_PDF_MAX_TJ 8000

/* Code point at t[*j], and *j moved past it (as layout encoded it). */
static int32_t next_cp(const op_text_bytes *t, size_t *j) {
  int len = 1;
  int32_t cp = t->p[*j] < 0x80 ? t->p[*j]
                               : sb_utf8_decode((const char *)t->p + *j,
                                                t->n - *j, &len);
  *j += (size_t)(len > 0 ? len : 1);
  return cp;
}

/* Writes a CID as a text string holds it: two bytes, each escaped where
** PDF's syntax needs it (parentheses, backslash, and CR, which a reader
** would turn into LF). Returns the bytes written (2 to 4). */
static int cid_bytes(unsigned cid, unsigned char *w) {
  unsigned char by[2] = {(unsigned char)(cid >> 8), (unsigned char)cid};
  int k, n = 0;

  for (k = 0; k < 2; k++) {
    unsigned char v = by[k];
    if (v == '(' || v == ')' || v == '\\')
      w[n++] = '\\', w[n++] = v;
    else if (v == '\r')
      w[n++] = '\\', w[n++] = 'r';
    else
      w[n++] = v;
  }
  return n;
}

/* The string bytes of the ASCII code points of slot f (made once per CID
** table: every page of a document shares it). */
static const pdf_cid_bytes *ascii_cids(pdf_content *c, const pdf_font *pf,
                                       int f) {
  if (c->ascii_of[f] != pf->cid) {
    int cp;
    for (cp = 0; cp < 128; cp++)
      c->ascii[f][cp].n =
          (unsigned char)cid_bytes(pf->cid[cp], c->ascii[f][cp].b);
    c->ascii_of[f] = pf->cid;
  }
  return c->ascii[f];
}

/* Texts up to this many bytes are written in one pass (draw_text); the
** string of a longer one may need cutting (SB_PDF_MAX_TJ). */
#define ONE_PASS_BYTES 1024

/* The op's strings (the part between the opening "(" and the closing ")"):
** each character's CID, with ") k (" before a character that kerns with
** the one before it (k the kern in 1/1000 em, negated: TJ subtracts it),
** into w; sets *kerned when one does. At most 14 bytes a byte of text. */
static char *put_strings(pdf_content *c, const pdf_font *pf, int f,
                         const op_text_bytes *tb, char *w, int *kerned) {
  const pdf_cid_bytes *asc = ascii_cids(c, pf, f);
  const uint8_t *lefts = pf->face ? sb_font_kern_lefts(pf->face) : NULL;
  size_t j = 0;
  int32_t prev = -1;

  *kerned = 0;
  while (j < tb->n) {
    int32_t cp = next_cp(tb, &j);
    if (lefts && SB_KERN_LEFT(lefts, prev)) {
      int kern = sb_font_kern(pf->face, prev, cp);
      if (kern) { /* ") 111 (": TJ moves left by a positive number */
        *w++ = ')';
        *w++ = ' ';
        w = put_milli(w, -(long long)kern * 1000); /* "%d" of -kern */
        *w++ = ' ';
        *w++ = '(';
        *kerned = 1;
      }
    }
    prev = cp;
    if (cp >= 0 && cp < 128) {
      memcpy(w, asc[cp].b, 4);
      w += asc[cp].n;
    } else {
      w += cid_bytes(cp >= 0 && cp < 65536 ? pf->cid[cp] : 0,
                     (unsigned char *)w);
    }
  }
  return w;
}

/* Whether the op's text has a kerned pair (sb_font_kern, as layout
** measured it): then it is shown with TJ, else with Tj. */
static int has_kern(const sb_font *face, const op_text_bytes *t) {
  const uint8_t *lefts = face ? sb_font_kern_lefts(face) : NULL;
  size_t j = 0;
  int32_t prev = -1;

  if (!lefts)
    return 0;
  while (j < t->n) {
    int32_t cp = next_cp(t, &j);
    if (prev > 0 && SB_KERN_LEFT(lefts, prev) && sb_font_kern(face, prev, cp))
      return 1;
    prev = cp;
  }
  return 0;
}

/* One text op: [BT] [/Fn size Tf] [colour] 1 0 0 1 x y Tm, then (cids) Tj, or,
** when a pair in it kerns, [(cids) k (cids) ...] TJ with k the kern in
** 1/1000 em, negated (TJ subtracts it). The strings hold each
** character's CID as two bytes in a literal string, escaped where PDF's
** syntax needs it (parentheses, backslash, and CR, which a reader would
** turn into LF). Positions are written in 1/1000 pt. A text of up to
** ONE_PASS_BYTES bytes is written in one pass (its strings first, then
** what goes before them, once it is known whether a pair kerned); a
** longer one in two, its strings cut every SB_PDF_MAX_TJ characters. */
static void draw_text(pdf_content *c, const sb_op *op) {
  int f = op->u.text.font;
  const pdf_font *pf;
  op_text_bytes tb;
  size_t j = 0, n = op->u.text.len;
  char buf[4096 + 64], *w;
  long long x, y;
  int chars = 0, tj;
  int32_t prev = -1;
  const uint8_t *lefts;

  if (f < 0 || f >= SB_FONT_COUNT || !c->font[f].dict || n == 0)
    return;
  pf = &c->font[f];
  if (!c->gs.in_text) {
    put(c, "BT\012", 3);
    c->gs.in_text = 1;
  }
  if (c->gs.font != f || c->gs.size != op->u.text.size) {
    if (!c->fname[f])
      c->fname[f] = sb_haru_font_name(c->doc, pf->dict);
    if (!c->fname[f])
      return; /* libharu ran out of memory: its error is recorded */
    size_t fl = strlen(c->fname[f]);
    if (fl > 127) /* libharu's names are shorter (HPDF_LIMIT_MAX_NAME_LEN) */
      fl = 127;
    w = buf;
    *w++ = '/';
    memcpy(w, c->fname[f], fl);
    w += fl;
    *w++ = ' ';
    w = put_milli(w, milli(op->u.text.size));
    memcpy(w, " Tf\012", 4);
    put(c, buf, (size_t)(w + 4 - buf));
    c->gs.font = f;
    c->gs.size = op->u.text.size;
  }
  set_fill(c, op->u.text.color);
  x = milli(op->u.text.x);
  y = milli(c->page_h - op->u.text.y);
  memcpy(buf, "1 0 0 1 ", 8);
  w = put_milli(buf + 8, x);
  *w++ = ' ';
  w = put_milli(w, y);
  tb.p = (const unsigned char *)op->u.text.text;
  tb.n = n;
  if (n <= ONE_PASS_BYTES) {
    char str[ONE_PASS_BYTES * 14 + 16], *e;
    e = put_strings(c, pf, f, &tb, str, &tj);
    memcpy(w, tj ? " Tm [(" : " Tm (", tj ? 6 : 5);
    w += tj ? 6 : 5;
    put(c, buf, (size_t)(w - buf));
    memcpy(e, tj ? ")] TJ\012" : ") Tj\012", tj ? 6 : 5);
    put(c, str, (size_t)(e + (tj ? 6 : 5) - str));
    return;
  }
  tj = has_kern(pf->face, &tb);
  lefts = tj ? sb_font_kern_lefts(pf->face) : NULL;
  memcpy(w, tj ? " Tm [(" : " Tm (", tj ? 6 : 5);
  w += tj ? 6 : 5;
  while (j < n) {
    int32_t cp = next_cp(&tb, &j);
    unsigned cid = cp >= 0 && cp < 65536 ? pf->cid[cp] : 0;
    int kern = lefts && SB_KERN_LEFT(lefts, prev)
                   ? sb_font_kern(pf->face, prev, cp)
                   : 0;
    prev = cp;
    if (kern) { /* ") 111 (": TJ moves left by a positive number */
      *w++ = ')';
      *w++ = ' ';
      w += snprintf(w, 16, "%d", -kern);
      *w++ = ' ';
      *w++ = '(';
    }
    w += cid_bytes(cid, (unsigned char *)w);
    if (++chars == SB_PDF_MAX_TJ && j < n) { /* the next string goes on */
      memcpy(w, tj ? ") (" : ") Tj (", tj ? 3 : 6);
      w += tj ? 3 : 6;
      chars = 0;
    }
    if (w - buf > 4096) {
      put(c, buf, (size_t)(w - buf));
      w = buf;
    }
  }
  memcpy(w, tj ? ")] TJ\012" : ") Tj\012", tj ? 6 : 5);
  put(c, buf, (size_t)(w + (tj ? 6 : 5) - buf));
}

/* 4-decimal steps of a colour channel, as put_unit writes them. */
static unsigned unit_steps(double v) {
  return (unsigned)(clamp01(v) * 10000 + 0.5);
}

/* v in [0, 1] to 4 decimals: "0", "1", "0.1019", "0.5". */
static char *put_unit(char *b, double v) {
  unsigned u = unit_steps(v), k;

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
static char *put_xy(const pdf_content *c, char *b, double x, double y) {
  b = put_milli(b, milli(x));
  *b++ = ' ';
  b = put_milli(b, milli(c->page_h - y));
  *b++ = ' ';
  return b;
}

/* A colour operator: "v g" / "v G" (DeviceGray) when the three channels
** print the same, so a neutral prints with black ink only; otherwise
** "r g b rg" / "r g b RG". op is "rg\n" or "RG\n". */
static void put_color(pdf_content *c, sb_color col, const char *op) {
  char buf[64], *w = buf;

  if (unit_steps(col.r) == unit_steps(col.g) &&
      unit_steps(col.g) == unit_steps(col.b)) {
    w = put_unit(w, col.r);
    *w++ = ' ';
    *w++ = op[0] == 'R' ? 'G' : 'g';
    *w++ = '\012';
    put(c, buf, (size_t)(w - buf));
    return;
  }
  w = put_unit(w, col.r);
  *w++ = ' ';
  w = put_unit(w, col.g);
  *w++ = ' ';
  w = put_unit(w, col.b);
  *w++ = ' ';
  memcpy(w, op, 3); /* "rg\n" or "RG\n" */
  put(c, buf, (size_t)(w + 3 - buf));
}

static void set_fill(pdf_content *c, sb_color col) {
  if (c->gs.fill_ok && same_color(c->gs.fill, col))
    return;
  put_color(c, col, "rg\012");
  c->gs.fill = col;
  c->gs.fill_ok = 1;
}

static void set_dash(pdf_content *c, const sb_stroke *st) {
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
  if (strcmp(buf, c->gs.dash) == 0)
    return;
  put(c, buf, strlen(buf));
  strcpy(c->gs.dash, buf);
}

static void set_stroke(pdf_content *c, const sb_stroke *st) {
  char buf[32], *w;

  if (!c->gs.stroke_ok || !same_color(c->gs.stroke, st->color)) {
    put_color(c, st->color, "RG\012");
    c->gs.stroke = st->color;
    c->gs.stroke_ok = 1;
  }
  if (c->gs.lw != st->width) {
    w = put_milli(buf, milli(st->width < 0 ? 0 : st->width > 9999 ? 9999 : st->width));
    memcpy(w, " w\012", 3);
    put(c, buf, (size_t)(w + 3 - buf));
    c->gs.lw = st->width;
  }
  if (c->gs.cap != st->cap) {
    buf[0] = (char)('0' + (st->cap >= 0 && st->cap <= 2 ? st->cap : 0));
    put(c, buf, 1);
    put(c, " J\012", 3);
    c->gs.cap = st->cap;
  }
  if (c->gs.join != st->join) {
    buf[0] = (char)('0' + (st->join >= 0 && st->join <= 2 ? st->join : 0));
    put(c, buf, 1);
    put(c, " j\012", 3);
    c->gs.join = st->join;
  }
  set_dash(c, st);
}

/* Paints the current path as the op asks. */
static void paint(pdf_content *c, int fill, int stroke, int evenodd) {
  if (fill && stroke)
    put(c, evenodd ? "B*\012" : "B\012", evenodd ? 3 : 2);
  else if (fill)
    put(c, evenodd ? "f*\012" : "f\012", evenodd ? 3 : 2);
  else if (stroke)
    put(c, "S\012", 2);
  else
    put(c, "n\012", 2);
}

static void draw_rect(pdf_content *c, const sb_op *op) {
  char buf[128], *w;

  if (!op->u.rect.fill && !op->u.rect.stroke)
    return;
  end_text(c);
  if (op->u.rect.fill)
    set_fill(c, op->u.rect.fill_color);
  if (op->u.rect.stroke)
    set_stroke(c, &op->u.rect.st);
  w = put_xy(c, buf, op->u.rect.x, op->u.rect.y + op->u.rect.h);
  w = put_milli(w, milli(op->u.rect.w));
  *w++ = ' ';
  w = put_milli(w, milli(op->u.rect.h));
  memcpy(w, " re\012", 4);
  put(c, buf, (size_t)(w + 4 - buf));
  paint(c, op->u.rect.fill, op->u.rect.stroke, 0);
}

static void draw_line(pdf_content *c, const sb_op *op) {
  char buf[128], *w;

  end_text(c);
  set_stroke(c, &op->u.line.st);
  w = put_xy(c, buf, op->u.line.x0, op->u.line.y0);
  memcpy(w, "m ", 2);
  w = put_xy(c, w + 2, op->u.line.x1, op->u.line.y1);
  memcpy(w, "l S\012", 4);
  put(c, buf, (size_t)(w + 4 - buf));
}

static void trace_segments(pdf_content *c, const sb_pathseg *s, int n) {
  int i, open = 0;
  char buf[160], *w;

  for (i = 0; i < n; i++, s++) {
    if (s->kind == 'M' || (!open && s->kind != 'Z')) {
      /* a path must start with a move; a stray first L/C starts there */
      w = put_xy(c, buf, s->x[0], s->y[0]);
      memcpy(w, "m\012", 2);
      put(c, buf, (size_t)(w + 2 - buf));
      open = 1;
      if (s->kind == 'M')
        continue;
    }
    if (s->kind == 'L') {
      w = put_xy(c, buf, s->x[0], s->y[0]);
      memcpy(w, "l\012", 2);
      put(c, buf, (size_t)(w + 2 - buf));
    } else if (s->kind == 'C') {
      w = put_xy(c, buf, s->x[0], s->y[0]);
      w = put_xy(c, w, s->x[1], s->y[1]);
      w = put_xy(c, w, s->x[2], s->y[2]);
      memcpy(w, "c\012", 2);
      put(c, buf, (size_t)(w + 2 - buf));
    } else if (s->kind == 'Z' && open) {
      put(c, "h\012", 2);
    }
  }
}

/* "/Name op\n" for a resource name libharu gave (NULL: its error is kept). */
static void put_name_op(pdf_content *c, const char *name, const char *op) {
  if (!name)
    return;
  put(c, "/", 1);
  put(c, name, strlen(name));
  put(c, op, strlen(op));
}

static void draw_path(pdf_content *c, const sb_op *op) {
  int fill = op->u.path.fill, stroke = op->u.path.stroke;
  int alpha = fill && op->u.path.fill_alpha < 1;

  if (op->u.path.nsegs <= 0 || (!fill && !stroke))
    return;
  end_text(c);
  if (alpha) { /* one ExtGState per distinct fill alpha, shared by all pages */
    put(c, "q\012", 2);
    put_name_op(c, sb_haru_alpha_name(c->doc, op->u.path.fill_alpha), " gs\012");
  }
  if (fill)
    set_fill(c, op->u.path.fill_color);
  if (stroke)
    set_stroke(c, &op->u.path.st);
  trace_segments(c, op->u.path.segs, op->u.path.nsegs);
  paint(c, fill, stroke, op->u.path.evenodd);
  if (alpha) {
    put(c, "Q\012", 2);
    forget_state(c);
  }
}

/* A PNG image (style logo): loaded once per document per byte buffer
** (pdf-haru.c), then drawn scaled into its box. */
static void draw_image(pdf_content *c, const sb_op *op) {
  char buf[160], *w = buf;
  const char *name;

  if (!op->u.image.png || op->u.image.len == 0 ||
      op->u.image.len > 0xFFFFFFFFu)
    return;
  end_text(c);
  name = sb_haru_image_name(c->doc, op->u.image.png, op->u.image.len);
  if (!name)
    return; /* libharu's error is recorded */
  memcpy(w, "q\012", 2);
  w = put_milli(w + 2, milli(op->u.image.w));
  memcpy(w, " 0 0 ", 5);
  w = put_milli(w + 5, milli(op->u.image.h));
  *w++ = ' ';
  w = put_xy(c, w, op->u.image.x, op->u.image.y + op->u.image.h);
  memcpy(w, "cm\012", 3);
  put(c, buf, (size_t)(w + 3 - buf));
  put_name_op(c, name, " Do\012");
  put(c, "Q\012", 2);
}

/* ==== Pages ==== */

void sb_pdf_content_page(pdf_content *c, double page_h) {
  c->page_h = page_h;
  c->cs.n = 0;
  memset(c->fname, 0, sizeof c->fname);
  /* a new page starts in PDF's initial graphics state */
  memset(&c->gs, 0, sizeof c->gs);
  c->gs.font = -1;
  c->gs.fill_ok = c->gs.stroke_ok = 1;
  c->gs.lw = 1;
  strcpy(c->gs.dash, "[] 0 d\012");
}

void sb_pdf_content_op(pdf_content *c, const sb_op *op) {
  switch (op->kind) {
  case SB_OP_TEXT: draw_text(c, op); break;
  case SB_OP_RECT: draw_rect(c, op); break;
  case SB_OP_LINE: draw_line(c, op); break;
  case SB_OP_PATH: draw_path(c, op); break;
  case SB_OP_IMAGE: draw_image(c, op); break;
  default: break;
  }
}

void sb_pdf_content_end(pdf_content *c) { end_text(c); }

/* Marked content: a text object is closed first, so that marked-content
** sequences and text objects nest (BT/ET inside BDC/EMC); the text
** state that matters (font, colour) is graphics state and stays. */
void sb_pdf_content_bdc(pdf_content *c, const char *tag, int mcid) {
  char buf[96], *w;
  int n;

  end_text(c);
  if (mcid >= 0 && strlen(tag) < 40) { /* no printf: one per marked span */
    w = buf;
    *w++ = '/';
    memcpy(w, tag, strlen(tag));
    w += strlen(tag);
    memcpy(w, " <</MCID ", 9);
    w = put_milli(w + 9, (long long)mcid * 1000);
    memcpy(w, ">> BDC\012", 7);
    n = (int)(w + 7 - buf);
  } else if (mcid >= 0)
    n = snprintf(buf, sizeof buf, "/%s <</MCID %d>> BDC\012", tag, mcid);
  else if (strcmp(tag, "Pagination") == 0)
    n = snprintf(buf, sizeof buf, "/Artifact <</Type /Pagination>> BDC\012");
  else
    n = snprintf(buf, sizeof buf, "/Artifact BMC\012");
  put(c, buf, (size_t)n);
}

int sb_pdf_lang_ok(const char *lang) {
  size_t i, n = lang ? strlen(lang) : 0;

  if (n == 0 || n > 35)
    return 0;
  for (i = 0; i < n; i++)
    if (!((lang[i] >= 'a' && lang[i] <= 'z') ||
          (lang[i] >= 'A' && lang[i] <= 'Z') ||
          (lang[i] >= '0' && lang[i] <= '9') || lang[i] == '-'))
      return 0;
  return 1;
}

void sb_pdf_content_bdc_lang(pdf_content *c, const char *tag, int mcid,
                             const char *lang) {
  char buf[128];
  int n;

  if (mcid < 0 || !sb_pdf_lang_ok(lang) || strlen(tag) >= 40) {
    sb_pdf_content_bdc(c, tag, mcid);
    return;
  }
  end_text(c);
  n = snprintf(buf, sizeof buf, "/%s <</MCID %d /Lang (%s)>> BDC\012", tag,
               mcid, lang);
  put(c, buf, (size_t)n);
}

void sb_pdf_content_emc(pdf_content *c) {
  end_text(c);
  put(c, "EMC\012", 4);
}
