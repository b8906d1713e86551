/*
** chart/geom.c -- the chart pen: built paths into path ops, text ops.
**
** Shapes are built in page space (points, y down) with the pen's path
** builder (chart/path.c), which follows cairo's path rules so that the
** segments are the ones cairo_copy_path gave when cairo built them (curves
** kept, not flattened), and walked into sb_pathseg. The builder, like
** cairo, adds a MoveTo after each ClosePath (back to the subpath's start);
** PDF's 'h' already leaves the current point there, so that MoveTo is
** dropped. Text never becomes outlines: labels are text ops measured with
** sb_font_width.
** Also: the chart metrics (every size and colour, derived from the style)
** and the "nice" axis.
** Errors: SB_E_LIMIT (a path or the dl's arena full).
** Tests: tests/unit/test_chart.c
*/
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart-imp.h"

#define SQRT2 1.41421356237309504880

/* ==== Metrics ==== */

static sb_color mix(sb_color a, sb_color b, double t) {
  sb_color c = {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t,
                a.b + (b.b - a.b) * t};
  return c;
}

/* Every proportion below is relative to the style's sizes, so a style with
** larger type gets a proportionally larger chart furniture. */
void sb_chart_metrics_from(const sb_chart_env *env, sb_chart_metrics *m) {
  const sb_style *s = env->style;
  sb_color white = {1, 1, 1};

  m->label = s->size_small;
  m->tick = s->size_tiny;
  m->gap = s->size_tiny * 0.5;
  m->line = s->rule_width > 0 ? s->rule_width : 0.5;
  m->grid = s->table_rule_width > 0 ? s->table_rule_width : m->line * 0.5;
  m->hatch = s->chart_hatch > 0 ? s->chart_hatch : s->size_tiny * 0.45;
  m->hatch_w = m->grid;
  m->swatch = s->size_small * 0.9;
  m->dash_grid = s->size_tiny * 0.25;
  m->text = s->text;
  m->muted = s->muted;
  m->rule = s->rule;
  m->white = white;
  m->mand = s->chart[0];
  /* optional: the lightest series colour, hatched with a mid step */
  m->opt = s->chart[3];
  m->opt_hatch = s->chart[1];
  /* the grid's tiles darken towards the mid series colour */
  m->tile = s->chart[1];
  m->ink_saver = s->greyscale;
  if (m->ink_saver) {
    /* no solid blocks: a light mandatory fill under an outline, white
    ** optional boxes with light hatching, light tiles */
    m->opt = white;
    m->opt_hatch = mix(s->text, white, 0.55);
    m->tile = mix(s->text, white, 0.45);
  }
  /* values on a mandatory bar: white on a dark fill, else the text colour */
  m->mand_text = 0.2126 * m->mand.r + 0.7152 * m->mand.g +
                 0.0722 * m->mand.b < 0.5 ? white : s->text;
}

void sb_chart_nice_axis(double max, int ticks, double min_step, double *step,
                        double *top) {
  double raw, p10, f, s;

  if (ticks < 1)
    ticks = 1;
  if (!(max > 0))
    max = 0;
  raw = max / ticks;
  if (raw < min_step)
    raw = min_step;
  if (!(raw > 0))
    raw = 1;
  p10 = pow(10, floor(log10(raw)));
  f = raw / p10;
  /* the smallest 1, 2, 5 x 10^k at or above raw (tolerate rounding) */
  if (f <= 1.0 + 1e-9)
    s = 1;
  else if (f <= 2.0 + 1e-9)
    s = 2;
  else if (f <= 5.0 + 1e-9)
    s = 5;
  else
    s = 10;
  s *= p10;
  if (s < min_step)
    s = min_step;
  *step = s;
  *top = ceil(max / s - 1e-9) * s;
  if (*top < s)
    *top = s;
}

sb_stroke sb_chart_stroke(sb_color c, double w) {
  sb_stroke st;
  memset(&st, 0, sizeof st);
  st.color = c;
  st.width = w;
  return st;
}

/* ==== Pen ==== */

sb_status sb_chart_pen_open(sb_chart_pen *p, sb_ctx *ctx, sb_dl *dl, int page,
                            const sb_chart_env *env) {
  memset(p, 0, sizeof *p);
  p->ctx = ctx;
  p->dl = dl;
  p->page = page;
  p->env = env;
  if (!env || !env->style || !env->labels || !env->fonts ||
      !env->fonts->face[SB_FONT_REGULAR])
    return p->st = sb_fail(ctx, SB_E_USAGE, "chart: no style, labels or fonts");
  if (page < 0 || page >= dl->npages)
    return p->st = sb_fail(ctx, SB_E_INTERNAL, "chart on page %d of %d",
                           page + 1, dl->npages);
  sb_chart_metrics_from(env, &p->m);
  sb_chart_path_init(&p->path);
  return SB_OK;
}

sb_status sb_chart_pen_close(sb_chart_pen *p) {
  if (!p->st && p->path.st)
    p->st = sb_fail(p->ctx, p->path.st, "chart: a path of more than %d "
                    "segments", INT_MAX - 1);
  sb_chart_path_free(&p->path);
  free(p->segs);
  p->segs = NULL;
  return p->st;
}

/* Walks the pen's path into p->segs and clears the path; returns the
** number of segments, or -1 (p->st set). */
static int capture(sb_chart_pen *p) {
  int i, n, after_close = 0;
  double sx = 0, sy = 0;  /* start of the current subpath */

  p->nsegs = 0;
  if (p->path.st) {
    p->st = sb_fail(p->ctx, p->path.st, "chart: a path of more than %d "
                    "segments", INT_MAX - 1);
    sb_chart_path_clear(&p->path);
    return -1;
  }
  if (SB_GROW(p->segs, p->path.nops, p->capsegs, 64, INT_MAX)) {
    p->st = sb_fail(p->ctx, SB_E_LIMIT, "chart: a path of more than %d "
                    "segments", INT_MAX - 1);
    sb_chart_path_clear(&p->path);
    return -1;
  }
  n = sb_chart_path_copy(&p->path, p->segs);
  sb_chart_path_clear(&p->path);
  /* in place: the kept segments never overtake the ones read */
  for (i = 0; i < n; i++) {
    const sb_pathseg *d = &p->segs[i];
    switch (d->kind) {
    case 'M':
      /* the implicit MoveTo after ClosePath goes back to the start; a
      ** real new subpath (which replaces it) is kept */
      if (after_close && d->x[0] == sx && d->y[0] == sy) {
        after_close = 0;
        continue;
      }
      sx = d->x[0], sy = d->y[0];
      break;
    case 'Z':
      after_close = 1;
      p->segs[p->nsegs++] = *d;
      continue;
    default:
      break;
    }
    after_close = 0;
    p->segs[p->nsegs++] = *d;
  }
  return p->nsegs;
}

sb_op *sb_chart_pen_emit(sb_chart_pen *p, int fill, sb_color fc, int stroke,
                         const sb_stroke *st) {
  sb_op *op;

  if (p->st || capture(p) <= 0)
    return NULL;
  op = sb_dl_add_path(p->ctx, p->dl, p->page, p->segs, p->nsegs);
  if (!op) {
    p->st = p->ctx->status ? p->ctx->status : SB_E_LIMIT;
    return NULL;
  }
  op->u.path.fill = fill;
  op->u.path.fill_color = fc;
  op->u.path.stroke = stroke && st;
  if (stroke && st)
    op->u.path.st = *st;
  return op;
}

void sb_chart_pen_rect(sb_chart_pen *p, double x, double y, double w,
                       double h, int fill, sb_color fc, int stroke,
                       const sb_stroke *st) {
  sb_op *op;

  if (p->st)
    return;
  op = sb_dl_add_op(p->ctx, p->dl, p->page, SB_OP_RECT);
  if (!op) {
    p->st = SB_E_LIMIT;
    return;
  }
  op->u.rect.x = x, op->u.rect.y = y, op->u.rect.w = w, op->u.rect.h = h;
  op->u.rect.fill = fill;
  op->u.rect.fill_color = fc;
  op->u.rect.stroke = stroke && st;
  if (stroke && st)
    op->u.rect.st = *st;
}

void sb_chart_pen_line(sb_chart_pen *p, double x0, double y0, double x1,
                       double y1, const sb_stroke *st) {
  sb_op *op;

  if (p->st)
    return;
  op = sb_dl_add_op(p->ctx, p->dl, p->page, SB_OP_LINE);
  if (!op) {
    p->st = SB_E_LIMIT;
    return;
  }
  op->u.line.x0 = x0, op->u.line.y0 = y0;
  op->u.line.x1 = x1, op->u.line.y1 = y1;
  op->u.line.st = *st;
}

/* Lines x - y' = c (up-right at 45 degrees in page space, where y' grows
** upwards) cut by the rectangle: each is clipped analytically, so the
** hatching needs no clip path and stays inside the bar on every device. */
void sb_chart_pen_hatch(sb_chart_pen *p, double x, double y, double w,
                        double h, double gap, const sb_stroke *st) {
  double step = gap * SQRT2, c;
  int any = 0;

  if (p->st || w <= 0 || h <= 0 || gap <= 0)
    return;
  /* a point (u, v) of the rect (u = 0..w from the left, v = 0..h from the
  ** bottom) is on line c when u - v = c */
  for (c = -h + step * 0.5; c < w; c += step) {
    double u0, v0, u1, v1;
    /* start: lowest point of the line in the rect */
    if (c >= 0)
      u0 = c, v0 = 0;
    else
      u0 = 0, v0 = -c;
    /* end: highest point */
    if (c + h <= w)
      u1 = c + h, v1 = h;
    else
      u1 = w, v1 = w - c;
    if (u1 - u0 < 1e-6)
      continue;
    sb_chart_path_move_to(&p->path, x + u0, y + h - v0);
    sb_chart_path_line_to(&p->path, x + u1, y + h - v1);
    any = 1;
  }
  if (any) {
    sb_color none = {0, 0, 0};
    sb_chart_pen_emit(p, 0, none, 1, st);
  }
}

/* ==== Text ==== */

static const sb_font *face(const sb_chart_pen *p, int font) {
  const sb_font *f = p->env->fonts->face[font];
  return f ? f : p->env->fonts->face[SB_FONT_REGULAR];
}

double sb_chart_text_width(const sb_chart_pen *p, int font, double size,
                           const char *s) {
  return sb_font_width(face(p, font), s, strlen(s), size);
}

double sb_chart_ascent(const sb_chart_pen *p, int font, double size) {
  return sb_font_ascent(face(p, font)) * size / 1000.0;
}

/* Right-to-left letters (the layout's rule, layout.h): without bidi they
** would print mirrored, so a chart label shows '?' for each, as the text
** of the page around it does (the layout warns there). Rewrites s[0..n)
** in place; returns the new length. */
static size_t no_rtl(char *s, size_t n) {
  size_t i = 0, o = 0;
  while (i < n) {
    int len;
    int32_t cp = sb_utf8_decode(s + i, n - i, &len);
    if (len <= 0) len = 1;
    if ((cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
        (cp >= 0xFE70 && cp <= 0xFEFE)) {
      s[o++] = '?';
    } else {
      memmove(s + o, s + i, (size_t)len);
      o += (size_t)len;
    }
    i += (size_t)len;
  }
  s[o] = 0;
  return o;
}

double sb_chart_pen_text(sb_chart_pen *p, int font, double size, double x,
                         double y, int align, sb_color c, const char *s,
                         size_t n) {
  double w;
  sb_op *op;
  char *copy;

  if (p->st || n == 0)
    return sb_font_width(face(p, font), s, n, size);
  copy = sb_arena_strndup(p->dl->arena, s, n);
  if (copy) n = no_rtl(copy, n);
  w = sb_font_width(face(p, font), copy ? copy : s, n, size);
  op = copy ? sb_dl_add_op(p->ctx, p->dl, p->page, SB_OP_TEXT) : NULL;
  if (!op) {
    p->st = sb_fail_arena(p->ctx);
    return w;
  }
  if (!p->env->fonts->face[font])
    font = SB_FONT_REGULAR;
  op->u.text.font = font;
  op->u.text.size = size;
  op->u.text.x = align == 1 ? x - w / 2 : align == 2 ? x - w : x;
  op->u.text.y = y;
  op->u.text.width = w;
  op->u.text.color = c;
  op->u.text.text = copy;
  op->u.text.len = n;
  return w;
}

/* Cuts at code point boundaries; the ellipsis is U+2026 when the face has
** it, else three full stops. Text the font cannot print was already
** replaced by layout rules upstream (catalogue names go through the same
** faces), so this only shortens. */
const char *sb_chart_fit(const sb_chart_pen *p, int font, double size,
                         const char *s, double maxw, char *buf, size_t bufn) {
  const sb_font *f = face(p, font);
  const char *ell = sb_font_covers(f, 0x2026) ? "\xE2\x80\xA6" : "...";
  double ew = sb_font_width(f, ell, strlen(ell), size), w = 0;
  size_t n = strlen(s), i = 0, keep = 0;

  if (sb_font_width(f, s, n, size) <= maxw)
    return s;
  while (i < n) {
    int len;
    int32_t cp = sb_utf8_decode(s + i, n - i, &len);
    w += sb_font_advance(f, cp < 0 ? 0xFFFD : cp) * size / 1000.0;
    if (w + ew > maxw)
      break;
    i += (size_t)len;
    keep = i;
  }
  while (keep > 0 && s[keep - 1] == ' ')
    keep--;
  if (keep + strlen(ell) + 1 > bufn)
    keep = bufn - strlen(ell) - 1;
  memcpy(buf, s, keep);
  strcpy(buf + keep, ell);
  return buf;
}

sb_status sb_chart_note(sb_chart_pen *p, double x, double y, double w,
                        double h) {
  const char *t = sb_label(p->env->labels, SB_L_NO_MANDATORY);
  char buf[512];
  const char *s = sb_chart_fit(p, SB_FONT_ITALIC, p->m.label, t, w, buf,
                               sizeof buf);
  double base = y + h / 2 + sb_chart_ascent(p, SB_FONT_ITALIC, p->m.label) / 2;

  sb_chart_pen_text(p, SB_FONT_ITALIC, p->m.label, x + w / 2, base, 1,
                    p->m.muted, s, strlen(s));
  return p->st;
}
