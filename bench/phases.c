/*
** bench/phases.c -- where one handbook's time goes, phase by phase.
**
**   phases [-n N] [-r ROLE] [-d DATADIR] [-o OUT.pdf] [-z ZREPS] [-w] CATALOG
**
** Runs the pipeline of `skillbook handbook CATALOG --role ROLE -o OUT` N
** times (default 10) in one process, timing each phase with the process's
** CPU time (-w: wall-clock time), and prints the median and min of each
** phase:
**
**   load         sb_load_catalog: read, parse, schema, checks, model
**     read       \ the same file read, parsed and schema-validated once
**     parse       | more through the internal xml reader, to split the
**     schema     /  load (schema compile is done once per process, before)
**   fonts        sb_load_fontset (FreeType: open and check the 3 faces)
**   layout       sb_layout_handbook into a fresh arena (display list)
**   pdf.fonts    pdf device begin_doc: scan text, HPDF_LoadTTFontFromFile,
**                HPDF_GetFont, ToUnicode rewrite (per-document font set-up)
**   pdf.pages    pdf device pages: content streams through libharu
**   pdf.save     pdf device close: links, outlines, info, HPDF_SaveToStream
**                (deflate of every stream + serialisation), copy out
**   write        sb_write_output (temporary file, fsync, rename)
**
** then the zlib ceiling: every FlateDecode stream of the PDF just written
** is inflated, and compressing them again with compress2(level
** Z_DEFAULT_COMPRESSION, what libharu uses) is timed (median of ZREPS,
** default 15), and so is libdeflate at level 6 over the same streams (the
** libdeflate ceiling: the pdf device deflates with libdeflate). The report
** ends with render+save (fonts + layout + pdf.*) as a multiple of each
** ceiling, and the peak RSS of the process.
**
** The pdf device is driven through a timing wrapper device (dlist.h's
** public vtable), so nothing in src/ is changed. Build: bench/run.sh
** --phases (cc against build/libskillbook_core.a) or CMake -DSB_BENCH=ON.
*/
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <libdeflate.h>
#include <zlib.h>

#include "skillbook/catalog.h"
#include "skillbook/device.h"
#include "skillbook/docs.h"
#include "skillbook/render.h"
#include "skillbook/font.h"
#include "skillbook/style.h"
#include "xml/reader.h"

#ifndef SB_SOURCE_DIR
#define SB_SOURCE_DIR "."
#endif

/* CPU time of this (single-threaded) process by default: on a shared,
** noisy machine it does not count the time the process waits for a core.
** -w switches to wall-clock time (CLOCK_MONOTONIC), which also counts
** waiting for the disk in the write phase. */
static clockid_t clk = CLOCK_PROCESS_CPUTIME_ID;

static double now(void) {
  struct timespec ts;
  clock_gettime(clk, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ==== Samples ==== */

enum {
  P_LOAD, P_READ, P_PARSE, P_SCHEMA, P_FONTS, P_LAYOUT, P_PDF_FONTS,
  P_PDF_PAGES, P_PDF_SAVE, P_WRITE, P_RENDER, P_COUNT
};
static const char *const pname[P_COUNT] = {
    "load (catalogue)", "  read file", "  xml parse", "  xsd validate",
    "fonts (FreeType)", "layout -> dlist", "pdf: font set-up",
    "pdf: pages", "pdf: save+deflate", "write (fsync)", "render (fonts..pdf)"};

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  double *c = malloc((size_t)n * sizeof *c);
  double m;
  memcpy(c, v, (size_t)n * sizeof *c);
  qsort(c, (size_t)n, sizeof *c, cmp_d);
  m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
  free(c);
  return m;
}

static double minimum(const double *v, int n) {
  double m = v[0];
  for (int i = 1; i < n; i++)
    if (v[i] < m) m = v[i];
  return m;
}

/* ==== A device that times the one it wraps ==== */

typedef struct timed_dev {
  sb_device base;
  sb_device *in;
  double t_begin, t_pages, t_close, t0;
} timed_dev;

static sb_status t_begin_doc(sb_ctx *ctx, sb_device *d, const sb_dl *dl) {
  timed_dev *t = (timed_dev *)d;
  double t0 = now();
  sb_status s = t->in->begin_doc ? t->in->begin_doc(ctx, t->in, dl) : SB_OK;
  t->t_begin += now() - t0;
  return s;
}

static sb_status t_begin_page(sb_ctx *ctx, sb_device *d, int i,
                              const sb_page *pg) {
  timed_dev *t = (timed_dev *)d;
  t->t0 = now();
  return t->in->begin_page ? t->in->begin_page(ctx, t->in, i, pg) : SB_OK;
}

static sb_status t_op(sb_ctx *ctx, sb_device *d, const sb_op *op) {
  timed_dev *t = (timed_dev *)d;
  return t->in->op ? t->in->op(ctx, t->in, op) : SB_OK;
}

static sb_status t_end_page(sb_ctx *ctx, sb_device *d, int i) {
  timed_dev *t = (timed_dev *)d;
  sb_status s = t->in->end_page ? t->in->end_page(ctx, t->in, i) : SB_OK;
  t->t_pages += now() - t->t0;
  return s;
}

static sb_status t_close(sb_ctx *ctx, sb_device *d, const sb_dl *dl) {
  timed_dev *t = (timed_dev *)d;
  double t0 = now();
  sb_status s = t->in->close ? t->in->close(ctx, t->in, dl) : SB_OK;
  t->t_close += now() - t0;
  return s;
}

static void t_drop(sb_device *d) { (void)d; }

/* ==== The zlib ceiling ==== */

typedef struct zstream_set {
  unsigned char **data;
  size_t *len;
  int *kind;  /* 0 page content, 1 font file, 2 CMap/ToUnicode, 3 other */
  int n, cap;
} zstream_set;

static const char *const kname[4] = {"page content", "font files (glyf)",
                                     "CMaps", "CIDToGIDMaps"};

static void zs_add(zstream_set *z, unsigned char *p, size_t n, int kind) {
  if (z->n == z->cap) {
    z->cap = z->cap ? 2 * z->cap : 64;
    z->data = realloc(z->data, (size_t)z->cap * sizeof *z->data);
    z->len = realloc(z->len, (size_t)z->cap * sizeof *z->len);
    z->kind = realloc(z->kind, (size_t)z->cap * sizeof *z->kind);
  }
  z->data[z->n] = p;
  z->len[z->n] = n;
  z->kind[z->n] = kind;
  z->n++;
}

static const char *mem_find(const char *h, size_t hn, const char *needle,
                            size_t from) {
  size_t nn = strlen(needle);
  for (size_t i = from; i + nn <= hn; i++)
    if (h[i] == needle[0] && memcmp(h + i, needle, nn) == 0)
      return h + i;
  return NULL;
}

/* Inflates one zlib stream starting at p (at most n bytes available). */
static unsigned char *inflate_at(const unsigned char *p, size_t n,
                                 size_t *outn) {
  z_stream zs;
  size_t cap = 1 << 16, len = 0;
  unsigned char *out = malloc(cap);
  int rc;

  memset(&zs, 0, sizeof zs);
  if (inflateInit(&zs) != Z_OK) {
    free(out);
    return NULL;
  }
  zs.next_in = (Bytef *)(uintptr_t)p;
  zs.avail_in = (uInt)(n > 0x7fffffff ? 0x7fffffff : n);
  do {
    if (len == cap) {
      cap *= 2;
      out = realloc(out, cap);
    }
    zs.next_out = out + len;
    zs.avail_out = (uInt)(cap - len);
    rc = inflate(&zs, Z_NO_FLUSH);
    len = cap - zs.avail_out;
  } while (rc == Z_OK);
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    free(out);
    return NULL;
  }
  *outn = len;
  return out;
}

/* Finds every "<< ... /FlateDecode ... >> stream" and inflates it. */
static int collect_streams(const char *pdf, size_t n, zstream_set *z) {
  size_t pos = 0;
  const char *s;

  while ((s = mem_find(pdf, n, "stream", pos)) != NULL) {
    size_t at = (size_t)(s - pdf), body, dict0;
    const char *d;
    pos = at + 6;
    if (at >= 3 && memcmp(s - 3, "end", 3) == 0)
      continue;
    body = at + 6;
    if (body < n && pdf[body] == '\r') body++;
    if (body < n && pdf[body] == '\n') body++;
    else continue;
    /* the dictionary: back to the nearest "obj" */
    dict0 = at > 600 ? at - 600 : 0;
    d = NULL;
    for (size_t i = at; i > dict0; i--)
      if (memcmp(pdf + i - 3, "obj", 3) == 0) {
        d = pdf + i;
        break;
      }
    if (!d) continue;
    {
      size_t dn = (size_t)(s - d);
      char *dict = malloc(dn + 1);
      size_t outn = 0;
      unsigned char *raw;
      int kind = 0;  /* page content unless recognised below */
      memcpy(dict, d, dn);
      dict[dn] = 0;
      if (!strstr(dict, "/FlateDecode")) {
        free(dict);
        continue;
      }
      raw = inflate_at((const unsigned char *)pdf + body, n - body, &outn);
      if (!raw) {
        fprintf(stderr, "phases: a FlateDecode stream at byte %zu does not "
                        "inflate\n", body);
        free(dict);
        return -1;
      }
      if (strstr(dict, "/Length1"))
        kind = 1;
      else if (strstr(dict, "/CMap") ||
               (outn >= 8 && memcmp(raw, "/CIDInit", 8) == 0))
        kind = 2;
      else if (outn == 131070 || outn == 131072)  /* 2 bytes x 64K: CIDToGIDMap */
        kind = 3;
      zs_add(z, raw, outn, kind);
      free(dict);
    }
  }
  return z->n;
}

static double zlib_pass(const zstream_set *z, int level, unsigned char *buf,
                        size_t bufcap, size_t *outbytes, int only_kind) {
  double t0 = now();
  size_t total = 0;
  for (int i = 0; i < z->n; i++) {
    uLongf dn = (uLongf)bufcap;
    if (only_kind >= 0 && z->kind[i] != only_kind) continue;
    if (compress2(buf, &dn, z->data[i], (uLong)z->len[i], level) != Z_OK) {
      fprintf(stderr, "phases: compress2 failed\n");
      exit(1);
    }
    total += dn;
  }
  if (outbytes) *outbytes = total;
  return now() - t0;
}

/* The same streams through libdeflate at level (what the pdf device uses
** now, one compressor for all: it is reset at every call). */
static double ldf_pass(const zstream_set *z, int level, unsigned char *buf,
                       size_t bufcap, size_t *outbytes) {
  struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
  double t0;
  size_t total = 0;

  if (!c) {
    fprintf(stderr, "phases: libdeflate: out of memory\n");
    exit(1);
  }
  t0 = now();
  for (int i = 0; i < z->n; i++) {
    size_t dn = libdeflate_zlib_compress(c, z->data[i], z->len[i], buf, bufcap);
    if (dn == 0) {
      fprintf(stderr, "phases: libdeflate_zlib_compress failed\n");
      exit(1);
    }
    total += dn;
  }
  t0 = now() - t0;
  libdeflate_free_compressor(c);
  if (outbytes) *outbytes = total;
  return t0;
}

/* ==== Main ==== */

static void usage(void) {
  fprintf(stderr,
          "usage: phases [-n N] [-r ROLE] [-d DATADIR] [-o OUT.pdf] "
          "[-z ZREPS] [-w] CATALOG\n");
  exit(2);
}

int main(int argc, char **argv) {
  int n = 10, zreps = 15, c;
  const char *role_id = "r01", *datadir = NULL, *outpath = NULL, *path;
  char defout[64];

  while ((c = getopt(argc, argv, "n:r:d:o:z:wh")) != -1) {
    switch (c) {
    case 'n': n = atoi(optarg); break;
    case 'r': role_id = optarg; break;
    case 'd': datadir = optarg; break;
    case 'o': outpath = optarg; break;
    case 'z': zreps = atoi(optarg); break;
    case 'w': clk = CLOCK_MONOTONIC; break;
    default: usage();
    }
  }
  if (optind != argc - 1 || n < 1 || zreps < 1) usage();
  path = argv[optind];
  if (!datadir) datadir = getenv("SKILLBOOK_DATA");
  if (!datadir) datadir = SB_SOURCE_DIR;
  if (!outpath) {
    snprintf(defout, sizeof defout, "/tmp/sb-phases-%ld.pdf", (long)getpid());
    outpath = defout;
  }

  const sb_style *st = sb_style_builtin("default");
  double (*t)[P_COUNT] = calloc((size_t)n, sizeof *t);
  size_t pdf_bytes = 0, arena_used = 0, nops = 0;
  int npages = 0, nskills = 0;
  sb_buf last;
  sb_buf_init(&last);

  /* Compile the schema once, as any long-lived process would, and say how
  ** long it took (a CLI run pays it once per process). */
  double t_schema_compile;
  {
    sb_ctx ctx;
    xmlDoc *doc = NULL;
    static const char tiny[] =
        "<catalog xmlns='urn:skillbook:catalog:1'/>";
    sb_ctx_init(&ctx);
    ctx.quiet = 1;
    double t0 = now();
    if (sb_xml_parse(&ctx, "tiny", tiny, sizeof tiny - 1, &doc) == SB_OK) {
      sb_xml_validate(&ctx, "tiny", doc, sb_catalog_xsd);
      xmlFreeDoc(doc);
    }
    t_schema_compile = now() - t0;
    sb_ctx_free(&ctx);
  }

  for (int it = 0; it < n; it++) {
    sb_ctx ctx;
    sb_catalog *cat = NULL;
    sb_ctx_init(&ctx);
    ctx.quiet = 1;
    double t0, t1;

    /* the catalogue */
    t0 = now();
    if (sb_load_catalog(&ctx, path, &cat) != SB_OK) {
      fprintf(stderr, "phases: %s: cannot load (%s)\n", path,
              ctx.errmsg[0] ? ctx.errmsg : "see skillbook validate");
      return 3;
    }
    t[it][P_LOAD] = now() - t0;
    {
      char *data = NULL;
      size_t len = 0;
      xmlDoc *doc = NULL;
      t0 = now();
      if (sb_read_file(&ctx, path, ctx.limits.file_bytes, &data, &len)) {
        fprintf(stderr, "phases: %s: cannot read (a folder? give a file)\n",
                path);
        return 3;
      }
      t1 = now();
      t[it][P_READ] = t1 - t0;
      sb_xml_parse(&ctx, path, data, len, &doc);
      t0 = now();
      t[it][P_PARSE] = t0 - t1;
      if (doc) sb_xml_validate(&ctx, path, doc, sb_catalog_xsd);
      t[it][P_SCHEMA] = now() - t0;
      if (doc) xmlFreeDoc(doc);
      free(data);
    }
    const sb_role *role = sb_cat_role_lookup(cat, role_id);
    if (!role) {
      fprintf(stderr, "phases: no role '%s'\n", role_id);
      return 2;
    }

    /* rendering, as sb_render does it, one piece at a time */
    double r0 = now();
    sb_fontset fs;
    {
      char paths[SB_FONT_COUNT][4096];
      const char *cp[SB_FONT_COUNT];
      for (int i = 0; i < SB_FONT_COUNT; i++) {
        if (st->font_file[i][0] == '/')
          snprintf(paths[i], sizeof paths[i], "%s", st->font_file[i]);
        else
          snprintf(paths[i], sizeof paths[i], "%s/fonts/%s", datadir,
                   st->font_file[i]);
        cp[i] = paths[i];
      }
      t0 = now();
      if (sb_load_fontset(&ctx, cp, &fs) != SB_OK) {
        fprintf(stderr, "phases: fonts: %s (set -d DATADIR)\n", ctx.errmsg);
        return 4;
      }
      t[it][P_FONTS] = now() - t0;
    }
    const sb_labels *lb = sb_labels_for(&ctx, cat->lang, 0);
    sb_arena *arena = sb_new_arena(ctx.limits.arena_bytes);
    sb_dl dl;
    sb_dl_init(&dl, arena, ctx.limits.pages);
    t0 = now();
    if (sb_layout_handbook(&ctx, cat, role->index, st, lb, &fs, &dl) ||
        ctx.status) {
      fprintf(stderr, "phases: layout: %s\n", ctx.errmsg);
      return 1;
    }
    t[it][P_LAYOUT] = now() - t0;

    sb_buf out;
    sb_buf_init(&out);
    timed_dev td;
    memset(&td, 0, sizeof td);
    td.in = sb_new_pdf_device(&ctx, &fs, &out);
    td.base.begin_doc = t_begin_doc;
    td.base.begin_page = t_begin_page;
    td.base.op = t_op;
    td.base.end_page = t_end_page;
    td.base.close = t_close;
    td.base.drop = t_drop;
    if (!td.in || sb_dl_run(&ctx, &dl, &td.base, 0, -1) != SB_OK) {
      fprintf(stderr, "phases: pdf: %s\n", ctx.errmsg);
      return 1;
    }
    t[it][P_PDF_FONTS] = td.t_begin;
    t[it][P_PDF_PAGES] = td.t_pages;
    t[it][P_PDF_SAVE] = td.t_close;
    sb_drop_device(td.in);
    t[it][P_RENDER] = now() - r0;  /* fonts .. device dropped */

    t0 = now();
    if (sb_write_output(&ctx, outpath, out.p, out.n, 1) != SB_OK) {
      fprintf(stderr, "phases: write: %s\n", ctx.errmsg);
      return 1;
    }
    t[it][P_WRITE] = now() - t0;

    pdf_bytes = out.n;
    npages = dl.npages;
    arena_used = sb_arena_used(arena);
    nops = 0;
    for (int i = 0; i < dl.npages; i++) nops += (size_t)dl.pages[i].nops;
    nskills = 0;
    {
      sb_role_stats rs;
      sb_cat_role_stats(cat, role->index, &rs);
      nskills = rs.skills;
    }
    if (it == n - 1) {
      last.n = 0;
      sb_buf_add(&last, out.p, out.n);
    }
    sb_buf_free(&out);
    sb_drop_arena(arena);
    sb_drop_fontset(&fs);
    sb_drop_catalog(cat);
    sb_ctx_free(&ctx);
  }

  printf("phases: %s, role %s (%d skills): %d pages, %zu bytes, %zu ops, "
         "arena %.1f MB; %d runs in one process; %s time\n",
         path, role_id, nskills, npages, pdf_bytes, nops,
         (double)arena_used / 1048576.0, n,
         clk == CLOCK_MONOTONIC ? "wall-clock" : "CPU");
  printf("schema compile (once per process): %.1f ms\n\n",
         t_schema_compile * 1e3);
  printf("%-22s %10s %10s %7s\n", "phase", "median ms", "min ms", "share");
  double *col = malloc((size_t)n * sizeof *col);
  double meds[P_COUNT];
  for (int p = 0; p < P_COUNT; p++) {
    for (int i = 0; i < n; i++) col[i] = t[i][p];
    meds[p] = median(col, n);
  }
  /* the whole CLI pipeline: load + render + write (read/parse/schema are
  ** parts of load, measured again apart) */
  double total = meds[P_LOAD] + meds[P_RENDER] + meds[P_WRITE];
  for (int p = 0; p < P_COUNT; p++) {
    for (int i = 0; i < n; i++) col[i] = t[i][p];
    if (p == P_RENDER) printf("%s\n", "----------------------");
    printf("%-22s %10.2f %10.2f %6.1f%%\n", pname[p], meds[p] * 1e3,
           minimum(col, n) * 1e3, 100.0 * meds[p] / total);
  }
  printf("%-22s %10.2f\n", "total (load+render+write)", total * 1e3);
  free(col);

  /* ==== zlib ceiling ==== */
  zstream_set z;
  memset(&z, 0, sizeof z);
  if (collect_streams(last.p, last.n, &z) <= 0) {
    fprintf(stderr, "phases: no FlateDecode stream found\n");
    return 1;
  }
  size_t raw[4] = {0}, cnt[4] = {0}, rawtot = 0, maxlen = 0;
  for (int i = 0; i < z.n; i++) {
    raw[z.kind[i]] += z.len[i];
    cnt[z.kind[i]]++;
    rawtot += z.len[i];
    if (z.len[i] > maxlen) maxlen = z.len[i];
  }
  size_t bufcap = compressBound((uLong)maxlen) + 1024; /* both bounds */
  unsigned char *buf = malloc(bufcap);
  double *zt = malloc((size_t)zreps * sizeof *zt);
  double kt[4];
  size_t zout = 0, kout[4] = {0};
  zlib_pass(&z, Z_DEFAULT_COMPRESSION, buf, bufcap, NULL, -1); /* warm */
  for (int r = 0; r < zreps; r++)
    zt[r] = zlib_pass(&z, Z_DEFAULT_COMPRESSION, buf, bufcap, &zout, -1);
  double zmed = median(zt, zreps);
  for (int k = 0; k < 4; k++) {
    for (int r = 0; r < zreps; r++)
      zt[r] = zlib_pass(&z, Z_DEFAULT_COMPRESSION, buf, bufcap, &kout[k], k);
    kt[k] = median(zt, zreps);
  }
  for (int r = 0; r < zreps; r++)
    zt[r] = zlib_pass(&z, 1, buf, bufcap, NULL, -1);
  double z1 = median(zt, zreps);
  size_t lout = 0;
  ldf_pass(&z, 6, buf, bufcap, NULL); /* warm */
  for (int r = 0; r < zreps; r++)
    zt[r] = ldf_pass(&z, 6, buf, bufcap, &lout);
  double l6 = median(zt, zreps);

  printf("\nzlib ceiling: compress2(Z_DEFAULT_COMPRESSION) of the %d "
         "FlateDecode streams of the output (%.2f MB raw -> %.2f MB)\n",
         z.n, (double)rawtot / 1048576.0, (double)zout / 1048576.0);
  for (int k = 0; k < 4; k++)
    if (cnt[k])
      printf("  %-24s %4zu streams %9.2f MB raw -> %8.3f MB  %8.2f ms\n",
             kname[k], cnt[k], (double)raw[k] / 1048576.0,
             (double)kout[k] / 1048576.0, kt[k] * 1e3);
  printf("  %-24s %4d streams %9.2f MB raw -> %8.3f MB  %8.2f ms "
         "(level 1: %.2f ms)\n",
         "all", z.n, (double)rawtot / 1048576.0, (double)zout / 1048576.0,
         zmed * 1e3, z1 * 1e3);
  printf("libdeflate ceiling: libdeflate_zlib_compress(level 6) of the same "
         "streams: %.2f MB -> %.3f MB in %.2f ms (zlib level 6 / libdeflate "
         "6: %.2fx)\n",
         (double)rawtot / 1048576.0, (double)lout / 1048576.0, l6 * 1e3,
         zmed / l6);
  printf("\nrender+save (fonts, layout, pdf; catalogue load and write "
         "excluded): %.2f ms = %.2fx the libdeflate ceiling (%.2f ms); "
         "target <= 1.3x\n",
         meds[P_RENDER] * 1e3, meds[P_RENDER] / l6, l6 * 1e3);
  printf("render+save (fonts, layout, pdf; catalogue load and write "
         "excluded): %.2f ms = %.2fx the zlib ceiling (%.2f ms)\n",
         meds[P_RENDER] * 1e3, meds[P_RENDER] / zmed, zmed * 1e3);
  printf("render+save+write: %.2f ms = %.2fx; whole pipeline incl. load: "
         "%.2f ms\n",
         (meds[P_RENDER] + meds[P_WRITE]) * 1e3,
         (meds[P_RENDER] + meds[P_WRITE]) / zmed, total * 1e3);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("peak RSS of this process: %.1f MB\n", (double)ru.ru_maxrss / 1024.0);

  for (int i = 0; i < z.n; i++) free(z.data[i]);
  free(z.data);
  free(z.len);
  free(z.kind);
  free(buf);
  free(zt);
  free(t);
  sb_buf_free(&last);
  if (outpath == defout) unlink(defout);  /* ours, not the user's -o */
  return 0;
}
