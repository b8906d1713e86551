/*
** devices/trace-device.c -- one text line per op: the oracle of layout tests.
**
** Format (every number "%.2f" in points, top-down y as in the display list;
** values within 0.005 of zero print as 0.00, never -0.00; page numbers are
** 1-based; colours #rrggbb with each component round(c * 255); "none" when
** an op does not fill or stroke; text in double quotes with \" \\ and
** \xHH for bytes below 0x20 and 0x7F, UTF-8 otherwise as is):
**
**   page 1 595.28x841.89
**   text f=0 s=10.00 x=51.02 y=80.00 w=123.45 fill=#000000 "escaped text"
**   rect x=.. y=.. w=.. h=.. fill=#rrggbb stroke=#rrggbb lw=.. [dash=a,b]
**   line x0=.. y0=.. x1=.. y1=.. stroke=#rrggbb lw=.. [dash=a,b]
**   path n=12 fill=#rrggbb stroke=#rrggbb lw=.. [evenodd] [alpha=0.50]
**        bbox=x0,y0,x1,y1                        (one line; bbox of the
**                                                 segment points)
**   link x=.. y=.. w=.. h=.. -> page 3 y=..
**   begin heading 2                             (structure marks: the ops
**   end heading                                  between are a heading of
**   begin artifact 1                             level 2; page furniture,
**   end artifact                                 a pagination artifact;
**   begin TH 1 cont=2                            other kinds by their PDF
**   begin Figure "alt text"                      name, level, the child
**                                                they continue, alt text)
**   outline depth=0 page=3 y=.. "title"         (after the last page)
**
** lw is printed only for a stroked op; the optional items appear only when
** they apply (dash for ndash > 0, alpha below 1). The program never calls
** setlocale, so "%.2f" always uses a full stop.
** Tests: tests/unit/test_pdf.c, tests/golden/ (NAME.trace files)
*/
#include <math.h>
#include <stdlib.h>

#include "skillbook/device.h"

typedef struct trace_dev {
  sb_device base;
  sb_buf *out;
} trace_dev;

/* "%.2f" without a negative zero. */
static void num(sb_buf *b, const char *key, double v) {
  if (fabs(v) < 0.005)
    v = 0;
  sb_buf_printf(b, " %s=%.2f", key, v);
}

/* " x=.. y=.. w=.. h=..": the box of a rect, a link or an image. */
static void box(sb_buf *b, double x, double y, double w, double h) {
  num(b, "x", x);
  num(b, "y", y);
  num(b, "w", w);
  num(b, "h", h);
}

static int comp(double c) {
  long v = lround(c * 255.0);
  return v < 0 ? 0 : v > 255 ? 255 : (int)v;
}

static void color(sb_buf *b, const char *key, int on, sb_color c) {
  if (on)
    sb_buf_printf(b, " %s=#%02x%02x%02x", key, comp(c.r), comp(c.g),
                  comp(c.b));
  else
    sb_buf_printf(b, " %s=none", key);
}

static void quoted(sb_buf *b, const char *s, size_t n) {
  size_t i;

  sb_buf_addc(b, ' ');
  sb_buf_addc(b, '"');
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      sb_buf_addc(b, '\\');
      sb_buf_addc(b, (char)c);
    } else if (c < 0x20 || c == 0x7F) {
      sb_buf_printf(b, "\\x%02X", c);
    } else {
      sb_buf_addc(b, (char)c);
    }
  }
  sb_buf_addc(b, '"');
}

static void stroke(sb_buf *b, int on, const sb_stroke *st) {
  int i;

  color(b, "stroke", on, st->color);
  if (!on)
    return;
  SB_ASSERT(st->ndash >= 0 && st->ndash <= 4); /* the display list's dash[4] */
  num(b, "lw", st->width);
  if (st->ndash > 0) {
    sb_buf_adds(b, " dash=");
    for (i = 0; i < st->ndash && i < 4; i++)
      sb_buf_printf(b, "%s%.2f", i ? "," : "", st->dash[i]);
  }
}

static void path_bbox(sb_buf *b, const sb_pathseg *segs, int n) {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  int i, k, first = 1;

  for (i = 0; i < n; i++) {
    SB_ASSERT(segs[i].kind == 'M' || segs[i].kind == 'L' ||
              segs[i].kind == 'C' || segs[i].kind == 'Z');
    int npts = segs[i].kind == 'C' ? 3 : segs[i].kind == 'Z' ? 0 : 1;
    for (k = 0; k < npts; k++) {
      double x = segs[i].x[k], y = segs[i].y[k];
      if (first || x < x0) x0 = x;
      if (first || y < y0) y0 = y;
      if (first || x > x1) x1 = x;
      if (first || y > y1) y1 = y;
      first = 0;
    }
  }
  sb_buf_printf(b, " bbox=%.2f,%.2f,%.2f,%.2f", fabs(x0) < 0.005 ? 0 : x0,
                fabs(y0) < 0.005 ? 0 : y0, fabs(x1) < 0.005 ? 0 : x1,
                fabs(y1) < 0.005 ? 0 : y1);
}

static void trace_text(sb_buf *b, const sb_op *op) {
  sb_buf_printf(b, "text f=%d", op->u.text.font);
  num(b, "s", op->u.text.size);
  num(b, "x", op->u.text.x);
  num(b, "y", op->u.text.y);
  num(b, "w", op->u.text.width);
  color(b, "fill", 1, op->u.text.color);
  quoted(b, op->u.text.text, op->u.text.len);
}

static void trace_rect(sb_buf *b, const sb_op *op) {
  sb_buf_adds(b, "rect");
  box(b, op->u.rect.x, op->u.rect.y, op->u.rect.w, op->u.rect.h);
  color(b, "fill", op->u.rect.fill, op->u.rect.fill_color);
  stroke(b, op->u.rect.stroke, &op->u.rect.st);
}

static void trace_line(sb_buf *b, const sb_op *op) {
  sb_buf_adds(b, "line");
  num(b, "x0", op->u.line.x0);
  num(b, "y0", op->u.line.y0);
  num(b, "x1", op->u.line.x1);
  num(b, "y1", op->u.line.y1);
  stroke(b, 1, &op->u.line.st);
}

static void trace_path(sb_buf *b, const sb_op *op) {
  sb_buf_printf(b, "path n=%d", op->u.path.nsegs);
  color(b, "fill", op->u.path.fill, op->u.path.fill_color);
  stroke(b, op->u.path.stroke, &op->u.path.st);
  if (op->u.path.evenodd)
    sb_buf_adds(b, " evenodd");
  if (op->u.path.fill && op->u.path.fill_alpha < 1)
    num(b, "alpha", op->u.path.fill_alpha);
  path_bbox(b, op->u.path.segs, op->u.path.nsegs);
}

static void trace_link(sb_buf *b, const sb_op *op) {
  sb_buf_adds(b, "link");
  box(b, op->u.link.x, op->u.link.y, op->u.link.w, op->u.link.h);
  sb_buf_printf(b, " -> page %d", op->u.link.page + 1);
  num(b, "y", op->u.link.dest_y);
}

static void trace_image(sb_buf *b, const sb_op *op) {
  char hex[65];
  sb_buf_adds(b, "image");
  box(b, op->u.image.x, op->u.image.y, op->u.image.w, op->u.image.h);
  sb_buf_printf(b, " px=%dx%d bytes=%zu", op->u.image.px_w, op->u.image.px_h,
                op->u.image.len);
  if (op->u.image.png) {
    sb_sha256_hex(op->u.image.png, op->u.image.len, hex);
    sb_buf_printf(b, " sha256=%.16s", hex);
  }
}

/* A form field's widget: its kind, box, name, a radio button's state and
** whether a text field starts with a value (printed by the text ops that
** follow; the value itself is not repeated). */
static void trace_field(sb_buf *b, const sb_op *op) {
  static const char *const kind[] = {"text", "multiline", "radio"};
  int k = op->u.field.type;
  sb_buf_printf(b, "field %s", k >= 0 && k <= 2 ? kind[k] : "?");
  box(b, op->u.field.x, op->u.field.y, op->u.field.w, op->u.field.h);
  sb_buf_printf(b, " name=%s", op->u.field.name ? op->u.field.name : "");
  if (op->u.field.state)
    sb_buf_printf(b, " state=%s", op->u.field.state);
  if (op->u.field.value)
    sb_buf_adds(b, " value");
}

static sb_status trace_begin_page(sb_ctx *ctx, sb_device *dev, int page,
                                  const sb_page *pg) {
  trace_dev *t = (trace_dev *)dev;
  (void)ctx;
  sb_buf_printf(t->out, "page %d %.2fx%.2f\n", page + 1, pg->w, pg->h);
  return SB_OK;
}

static sb_status trace_op(sb_ctx *ctx, sb_device *dev, const sb_op *op) {
  trace_dev *t = (trace_dev *)dev;
  (void)ctx;
  switch (op->kind) {
  case SB_OP_TEXT: trace_text(t->out, op); break;
  case SB_OP_RECT: trace_rect(t->out, op); break;
  case SB_OP_LINE: trace_line(t->out, op); break;
  case SB_OP_PATH: trace_path(t->out, op); break;
  case SB_OP_LINK: trace_link(t->out, op); break;
  case SB_OP_IMAGE: trace_image(t->out, op); break;
  case SB_OP_FIELD: trace_field(t->out, op); break;
  default: sb_buf_printf(t->out, "op kind=%d", (int)op->kind); break;
  }
  sb_buf_addc(t->out, '\n');
  return SB_OK;
}

static sb_status trace_mark(sb_ctx *ctx, sb_device *dev, const sb_op *op) {
  trace_dev *t = (trace_dev *)dev;
  sb_struct w = op->u.mark.what;
  const char *what = w == SB_STRUCT_HEADING    ? "heading"
                     : w == SB_STRUCT_ARTIFACT ? "artifact"
                                               : sb_struct_name(w);
  (void)ctx;
  sb_buf_printf(t->out, "%s %s", op->kind == SB_OP_BEGIN ? "begin" : "end",
                what);
  if (op->kind == SB_OP_BEGIN && (w == SB_STRUCT_HEADING || op->u.mark.level))
    sb_buf_printf(t->out, " %d", op->u.mark.level);
  if (op->kind == SB_OP_BEGIN && op->u.mark.cont)
    sb_buf_printf(t->out, " cont=%d", op->u.mark.cont);
  if (op->kind == SB_OP_BEGIN && op->u.mark.alt) {
    const char *a = op->u.mark.alt;
    size_t n = 0;
    while (a[n])
      n++;
    quoted(t->out, a, n);
  }
  sb_buf_addc(t->out, '\n');
  return SB_OK;
}

static sb_status trace_close(sb_ctx *ctx, sb_device *dev, const sb_dl *dl) {
  trace_dev *t = (trace_dev *)dev;
  int i;
  (void)ctx;
  for (i = 0; i < dl->noutlines; i++) {
    const sb_outline *o = &dl->outlines[i];
    const char *title = o->title ? o->title : "";
    size_t n = 0;
    while (title[n])
      n++;
    sb_buf_printf(t->out, "outline depth=%d page=%d", o->depth, o->page + 1);
    num(t->out, "y", o->y);
    quoted(t->out, title, n);
    sb_buf_addc(t->out, '\n');
  }
  return SB_OK;
}

static void trace_drop(sb_device *dev) { free(dev); }

sb_device *sb_new_trace_device(sb_ctx *ctx, sb_buf *out) {
  trace_dev *t = sb_xcalloc(1, sizeof *t);
  (void)ctx;
  t->out = out;
  t->base.begin_page = trace_begin_page;
  t->base.op = trace_op;
  t->base.mark = trace_mark;
  t->base.close = trace_close;
  t->base.drop = trace_drop;
  return &t->base;
}
