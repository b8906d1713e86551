/*
** tests/unit/test_chart_path.c -- the chart path builder against cairo.
**
** chart/path.c replaces cairo as the charts' geometry kernel and must yield
** exactly the segments cairo did, so that PDFs keep their bytes. Each case
** here makes the same calls on a cairo context (a 1x1 A8 surface, as the
** pen had) and on the builder, then compares (1) cairo_copy_path with
** sb_chart_path_copy, segment by segment and bit for bit, and (2) the path
** op the pen emits with what the pen's former cairo capture made of
** cairo's path (the MoveTo after a ClosePath dropped). Cases: the charts'
** real shape (the hatching of bars of many sizes), edge cases (degenerate,
** collinear and anti-parallel lines, closes, curves, rounding ties, values
** past cairo's range) and random paths. This test links cairo; the program
** does not.
*/
#include <cairo.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "chart/chart-imp.h"

#define FONTDIR SB_SOURCE_DIR "/fonts/"

/* ==== A path as a list of calls ==== */

typedef struct call {
  char kind;  /* 'M' move_to, 'L' line_to, 'C' curve_to, 'Z' close_path */
  double v[6];
} call;

#define MAXCALLS 64

typedef struct script {
  call c[MAXCALLS];
  int n;
} script;

static void add_call(script *s, char kind, double a, double b, double c,
                     double d, double e, double f) {
  call *k;
  if (s->n >= MAXCALLS)
    return;
  k = &s->c[s->n++];
  k->kind = kind;
  k->v[0] = a, k->v[1] = b, k->v[2] = c, k->v[3] = d, k->v[4] = e,
  k->v[5] = f;
}
#define M(s, x, y) add_call(s, 'M', x, y, 0, 0, 0, 0)
#define L(s, x, y) add_call(s, 'L', x, y, 0, 0, 0, 0)
#define C(s, a, b, c, d, e, f) add_call(s, 'C', a, b, c, d, e, f)
#define Z(s) add_call(s, 'Z', 0, 0, 0, 0, 0, 0)

static void play_cairo(cairo_t *cr, const script *s) {
  for (int i = 0; i < s->n; i++) {
    const double *v = s->c[i].v;
    switch (s->c[i].kind) {
    case 'M': cairo_move_to(cr, v[0], v[1]); break;
    case 'L': cairo_line_to(cr, v[0], v[1]); break;
    case 'C': cairo_curve_to(cr, v[0], v[1], v[2], v[3], v[4], v[5]); break;
    default: cairo_close_path(cr); break;
    }
  }
}

static void play_path(sb_chart_path *pa, const script *s) {
  for (int i = 0; i < s->n; i++) {
    const double *v = s->c[i].v;
    switch (s->c[i].kind) {
    case 'M': sb_chart_path_move_to(pa, v[0], v[1]); break;
    case 'L': sb_chart_path_line_to(pa, v[0], v[1]); break;
    case 'C':
      sb_chart_path_curve_to(pa, v[0], v[1], v[2], v[3], v[4], v[5]);
      break;
    default: sb_chart_path_close(pa); break;
    }
  }
}

/* ==== cairo's side ==== */

static int npts(char kind) {
  return kind == 'C' ? 3 : kind == 'Z' ? 0 : 1;
}

/* cairo's path as segments (every MoveTo kept); returns their number. */
static int cairo_segs(cairo_t *cr, sb_pathseg *out, int max) {
  cairo_path_t *path = cairo_copy_path(cr);
  int i, n = 0, k;
  CHECK(path->status == CAIRO_STATUS_SUCCESS);
  for (i = 0; i < path->num_data && n < max; i += path->data[i].header.length) {
    const cairo_path_data_t *d = &path->data[i];
    sb_pathseg *s = &out[n++];
    memset(s, 0, sizeof *s);
    switch (d->header.type) {
    case CAIRO_PATH_MOVE_TO: s->kind = 'M'; break;
    case CAIRO_PATH_LINE_TO: s->kind = 'L'; break;
    case CAIRO_PATH_CURVE_TO: s->kind = 'C'; break;
    default: s->kind = 'Z'; break;
    }
    for (k = 0; k < npts(s->kind); k++)
      s->x[k] = d[1 + k].point.x, s->y[k] = d[1 + k].point.y;
  }
  cairo_path_destroy(path);
  return n;
}

/* What the pen's capture made of cairo's path before chart/path.c: the
** MoveTo after a ClosePath dropped when it goes back to the start. */
static int old_capture(const sb_pathseg *in, int n, sb_pathseg *out) {
  int i, m = 0, after_close = 0;
  double sx = 0, sy = 0;
  for (i = 0; i < n; i++) {
    const sb_pathseg *d = &in[i];
    if (d->kind == 'M') {
      if (after_close && d->x[0] == sx && d->y[0] == sy) {
        after_close = 0;
        continue;
      }
      sx = d->x[0], sy = d->y[0];
    }
    after_close = d->kind == 'Z';
    out[m++] = *d;
  }
  return m;
}

/* Bit for bit: kinds, counts and every coordinate's 64 bits. */
static int same_segs(const sb_pathseg *a, int na, const sb_pathseg *b,
                     int nb) {
  if (na != nb)
    return 0;
  for (int i = 0; i < na; i++) {
    if (a[i].kind != b[i].kind)
      return 0;
    for (int k = 0; k < npts(a[i].kind); k++)
      if (memcmp(&a[i].x[k], &b[i].x[k], sizeof(double)) ||
          memcmp(&a[i].y[k], &b[i].y[k], sizeof(double)))
        return 0;
  }
  return 1;
}

static void print_segs(const char *who, const sb_pathseg *s, int n) {
  fprintf(stderr, "  %s:", who);
  for (int i = 0; i < n; i++) {
    fprintf(stderr, " %c", s[i].kind);
    for (int k = 0; k < npts(s[i].kind); k++)
      fprintf(stderr, " %.17g,%.17g", s[i].x[k], s[i].y[k]);
  }
  fprintf(stderr, "\n");
}

/* ==== The comparison ==== */

static cairo_surface_t *surf;
static cairo_t *cr;
static sb_arena *arena;
static sb_fontset fonts;
static sb_style style;
static int ncompared;

#define MAXSEGS (2 * MAXCALLS + 8)

/* Plays s both ways; compares the copies and the pen's op. */
static void compare(sb_ctx *ctx, const sb_chart_env *env, const script *s,
                    const char *what) {
  sb_pathseg want[MAXSEGS], got[MAXSEGS], wcap[MAXSEGS];
  int nw, ng, nc, ok;
  sb_chart_path pa;
  sb_chart_pen pen;
  sb_dl dl;
  sb_color none = {0, 0, 0};
  sb_stroke st = sb_chart_stroke(none, 1);
  const sb_op *op;

  cairo_new_path(cr);
  play_cairo(cr, s);
  nw = cairo_segs(cr, want, MAXSEGS);
  sb_chart_path_init(&pa);
  play_path(&pa, s);
  CHECK(pa.st == SB_OK);
  CHECK(pa.nops + 1 <= MAXSEGS);
  ng = pa.nops + 1 <= MAXSEGS ? sb_chart_path_copy(&pa, got) : 0;
  sb_chart_path_free(&pa);
  ok = same_segs(want, nw, got, ng);
  CHECK(ok);
  if (!ok) {
    fprintf(stderr, "%s: the copies differ\n", what);
    print_segs("cairo", want, nw);
    print_segs("ours ", got, ng);
  }
  /* the pen, end to end */
  nc = old_capture(want, nw, wcap);
  sb_arena_reset(arena);
  sb_dl_init(&dl, arena, 0);
  CHECK(sb_chart_pen_open(&pen, ctx, &dl, sb_dl_add_page(ctx, &dl, 600, 800),
                          env) == SB_OK);
  play_path(&pen.path, s);
  op = sb_chart_pen_emit(&pen, 1, none, 1, &st);
  CHECK(sb_chart_pen_close(&pen) == SB_OK);
  ok = op ? same_segs(wcap, nc, op->u.path.segs, op->u.path.nsegs) : nc == 0;
  CHECK(ok);
  if (!ok) {
    fprintf(stderr, "%s: the pen's op differs\n", what);
    print_segs("cairo", wcap, nc);
    if (op)
      print_segs("pen  ", op->u.path.segs, op->u.path.nsegs);
  }
  ncompared++;
}

/* ==== Cases ==== */

/* The fixed point itself, against cairo's (through a one-point path). */
static void test_fixed(void) {
  static const double v[] = {0, -0.0, 1.0 / 512, 3.0 / 512, -1.0 / 512,
                             -3.0 / 512, 0.5, 1e-9, -1e-9, 123.456789,
                             -123.456789, 8388607.99609375, -8388608,
                             8388608, 1e7, -1e7, 3e9, 595.28, 841.89};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    cairo_path_t *path;
    cairo_new_path(cr);
    cairo_move_to(cr, v[i], 0);
    path = cairo_copy_path(cr);
    CHECK(path->num_data == 2);
    if (path->num_data == 2)
      CHECK(path->data[1].point.x == sb_chart_fixed(v[i]) / 256.0);
    cairo_path_destroy(path);
  }
  CHECK(sb_chart_fixed(1.0 / 512) == 0);     /* ties to even */
  CHECK(sb_chart_fixed(3.0 / 512) == 2);
  CHECK(sb_chart_fixed(-3.0 / 512) == -2);
  CHECK(sb_chart_fixed(1.5) == 384);
}

/* The charts' shape: the hatching of a box, as sb_chart_pen_hatch draws
** it (the same loop, so the same doubles reach both). */
static void hatch_script(script *s, double x, double y, double w, double h,
                         double gap) {
  double step = gap * 1.41421356237309504880, c;
  s->n = 0;
  for (c = -h + step * 0.5; c < w && s->n + 2 <= MAXCALLS; c += step) {
    double u0, v0, u1, v1;
    if (c >= 0)
      u0 = c, v0 = 0;
    else
      u0 = 0, v0 = -c;
    if (c + h <= w)
      u1 = c + h, v1 = h;
    else
      u1 = w, v1 = w - c;
    if (u1 - u0 < 1e-6)
      continue;
    M(s, x + u0, y + h - v0);
    L(s, x + u1, y + h - v1);
  }
}

static void test_hatch(sb_ctx *ctx, const sb_chart_env *env) {
  script s;
  int i;
  srand(18);
  for (i = 0; i < 3000; i++) {
    double x = 36 + (rand() % 50000) / 100.0, y = 36 + (rand() % 70000) / 100.0;
    double w = 0.25 + (rand() % 4000) / 100.0;
    double h = 0.25 + (rand() % 4000) / 100.0;
    double gap = 1 + (rand() % 400) / 100.0;
    hatch_script(&s, x, y, w, h, gap);
    compare(ctx, env, &s, "hatch");
  }
  /* and the pen's own hatching gives the op the script gives */
  {
    sb_chart_pen pen;
    sb_dl dl;
    sb_stroke st = sb_chart_stroke(style.text, 0.3);
    sb_pathseg want[MAXSEGS], wcap[MAXSEGS];
    const sb_op *op;
    int nw, nc;
    hatch_script(&s, 100.3, 200.7, 23.1, 41.9, 2.7);
    cairo_new_path(cr);
    play_cairo(cr, &s);
    nw = cairo_segs(cr, want, MAXSEGS);
    nc = old_capture(want, nw, wcap);
    sb_arena_reset(arena);
    sb_dl_init(&dl, arena, 0);
    CHECK(sb_chart_pen_open(&pen, ctx, &dl,
                            sb_dl_add_page(ctx, &dl, 600, 800), env) == SB_OK);
    sb_chart_pen_hatch(&pen, 100.3, 200.7, 23.1, 41.9, 2.7, &st);
    CHECK(sb_chart_pen_close(&pen) == SB_OK);
    CHECK(dl.pages[0].nops == 1);
    op = dl.pages[0].nops == 1 ? &dl.pages[0].ops[0] : NULL;
    CHECK(op && op->kind == SB_OP_PATH);
    CHECK(op && same_segs(wcap, nc, op->u.path.segs, op->u.path.nsegs));
  }
}

static void test_edges(sb_ctx *ctx, const sb_chart_env *env) {
  script s;
#define CASE(what, body)                                                     \
  do {                                                                       \
    s.n = 0;                                                                 \
    body;                                                                    \
    compare(ctx, env, &s, what);                                             \
  } while (0)
  CASE("empty", (void)0);
  CASE("move only", M(&s, 1, 2));
  CASE("moves only", (M(&s, 1, 2), M(&s, 3, 4), M(&s, 5, 6)));
  CASE("line without move", L(&s, 1, 2));
  CASE("lines without move", (L(&s, 1, 2), L(&s, 3, 4)));
  CASE("close alone", Z(&s));
  CASE("close without segment", (M(&s, 1, 2), Z(&s)));
  CASE("degenerate first line", (M(&s, 1, 1), L(&s, 1, 1)));
  CASE("degenerate lines",
       (M(&s, 1, 1), L(&s, 1, 1), L(&s, 1, 1), L(&s, 2, 2)));
  CASE("degenerate later line", (M(&s, 1, 1), L(&s, 2, 1), L(&s, 2, 1)));
  CASE("collinear", (M(&s, 0, 0), L(&s, 1, 1), L(&s, 2, 2), L(&s, 5, 5)));
  CASE("collinear horizontal", (M(&s, 0, 0), L(&s, 1, 0), L(&s, 3, 0)));
  CASE("anti-parallel", (M(&s, 0, 0), L(&s, 4, 0), L(&s, 1, 0)));
  CASE("anti-parallel back to start", (M(&s, 0, 0), L(&s, 4, 4), L(&s, 0, 0)));
  CASE("rectangle", (M(&s, 10, 10), L(&s, 30, 10), L(&s, 30, 30),
                     L(&s, 10, 30), Z(&s)));
  CASE("rectangle closed by hand", (M(&s, 10, 10), L(&s, 30, 10),
                                    L(&s, 30, 30), L(&s, 10, 30),
                                    L(&s, 10, 10), Z(&s)));
  CASE("close then line", (M(&s, 10, 10), L(&s, 30, 10), L(&s, 30, 30), Z(&s),
                           L(&s, 50, 50), Z(&s)));
  CASE("close then move", (M(&s, 10, 10), L(&s, 30, 10), L(&s, 30, 30), Z(&s),
                           M(&s, 60, 60), L(&s, 65, 60)));
  CASE("close then move to start", (M(&s, 1, 1), L(&s, 3, 1), L(&s, 3, 3),
                                    Z(&s), M(&s, 1, 1), L(&s, 0, 0)));
  CASE("close twice", (M(&s, 1, 1), L(&s, 3, 1), L(&s, 3, 3), Z(&s), Z(&s)));
  CASE("trailing move", (M(&s, 1, 1), L(&s, 3, 1), M(&s, 7, 7)));
  CASE("curve", (M(&s, 0, 0), C(&s, 1, 2, 3, 4, 5, 6)));
  CASE("curve without move", C(&s, 1, 2, 3, 4, 5, 6));
  CASE("degenerate curve", (M(&s, 5, 6), C(&s, 5, 6, 5, 6, 5, 6)));
  CASE("degenerate curve at origin", C(&s, 0, 0, 0, 0, 0, 0));
  CASE("degenerate curve, no point", C(&s, 2, 2, 2, 2, 2, 2));
  CASE("closed loop curve", (M(&s, 5, 6), C(&s, 9, 9, 1, 9, 5, 6)));
  CASE("curve after degenerate line", (M(&s, 0, 0), L(&s, 1, 1), L(&s, 1, 1),
                                       C(&s, 1, 2, 3, 4, 5, 6)));
  CASE("curve closed", (M(&s, 0, 0), C(&s, 1, 2, 3, 4, 5, 6), Z(&s)));
  CASE("curve back to start closed", (M(&s, 0, 0), C(&s, 1, 2, 3, 4, 0, 0),
                                      Z(&s)));
  CASE("line after curve collinear", (M(&s, 0, 0), C(&s, 1, 1, 2, 2, 3, 3),
                                      L(&s, 4, 4), L(&s, 5, 5)));
  CASE("ties", (M(&s, 1.0 / 512, 3.0 / 512), L(&s, -1.0 / 512, -3.0 / 512),
                L(&s, 5.0 / 512, 7.0 / 512)));
  CASE("below a 256th", (M(&s, 0.001, 0.001), L(&s, 0.0015, 0.001),
                         L(&s, 0.9, 0.001)));
  CASE("negative zero", (M(&s, -0.0, -0.0), L(&s, 1, -0.0)));
  CASE("range edge", (M(&s, 8388607.99609375, -8388608), L(&s, -8388608, 0),
                      L(&s, 0, 8388607)));
  CASE("past the range", (M(&s, 1e7, -1e7), L(&s, 3e9, 2), L(&s, -2e7, 5)));
#undef CASE
}

static double rnd_coord(int mode) {
  switch (mode) {
  case 0: return rand() % 4;                       /* small grid */
  case 1: return (rand() % 2049 - 1024) / 512.0;   /* ties */
  case 2: return (rand() % 2000001 - 1000000) / 997.0;
  default: return (rand() % 7) * 0.1 + (rand() % 3) * 100.0;
  }
}

static void test_random(sb_ctx *ctx, const sb_chart_env *env) {
  script s;
  srand(1818);
  for (int i = 0; i < 20000; i++) {
    int mode = i % 4, n = 1 + rand() % 24;
    s.n = 0;
    for (int j = 0; j < n; j++) {
      int r = rand() % 16;
      double v[6];
      for (int k = 0; k < 6; k++)
        v[k] = rnd_coord(mode);
      if (r < 3)
        M(&s, v[0], v[1]);
      else if (r < 11)
        L(&s, v[0], v[1]);
      else if (r < 14)
        C(&s, v[0], v[1], v[2], v[3], v[4], v[5]);
      else
        Z(&s);
    }
    compare(ctx, env, &s, "random");
  }
}

int main(void) {
  sb_ctx ctx;
  sb_chart_env env;
  const char *paths[SB_FONT_COUNT] = {FONTDIR "LiberationSans-Regular.ttf",
                                      FONTDIR "LiberationSans-Bold.ttf",
                                      FONTDIR "LiberationSans-Italic.ttf"};

  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  arena = sb_new_arena(0);
  surf = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
  cr = cairo_create(surf);
  CHECK(cairo_status(cr) == CAIRO_STATUS_SUCCESS);
  if (sb_load_fontset(&ctx, paths, &fonts)) {
    fprintf(stderr, "fonts: %s\n", ctx.errmsg);
    return 1;
  }
  style = *sb_style_builtin("default");
  memset(&env, 0, sizeof env);
  env.style = &style;
  env.labels = sb_labels_en();
  env.fonts = &fonts;
  test_fixed();
  test_edges(&ctx, &env);
  test_hatch(&ctx, &env);
  test_random(&ctx, &env);
  printf("%d paths compared with cairo %s\n", ncompared,
         cairo_version_string());
  cairo_destroy(cr);
  cairo_surface_destroy(surf);
  sb_drop_fontset(&fonts);
  sb_drop_arena(arena);
  sb_ctx_free(&ctx);
  return check_report();
}
