/*
** cli/docopts.c -- shared steps of the document commands.
**
** Parsing the arguments: the command's own options, then the common ones
** (one table, so --help lists them the same way after every command's
** own), and one CATALOG; then, once the command has checked its own,
** checking --format/--page/--dpi/--style and loading the catalogue.
** Filling an sb_render_req from
** the common options, and render -> --strict check -> sb_write_output ->
** print path, so that every document command spells them the same way.
** For commands that write many documents (handbook --all): the style and
** faces loaded once (sb_cli_doc_preload) and render -> --strict check ->
** sb_write_output for one file, without printing.
*/
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli/docopts.h"
#include "skillbook/device.h"

/* ==== Arguments ==== */

int sb_cli_doc_parse(sb_ctx *ctx, int argc, char **argv, const sb_opt *own,
                     const char *usage, sb_doc_opts *d, int *help) {
  const sb_opt common[] = {
      {"format", 0, &d->format, NULL, "pdf, png (one page) or trace (the "
       "display list as text); default: the extension of -o (.pdf, .png, "
       ".trace), else pdf", "FORMAT"},
      {"page", 0, &d->page, NULL, "png: the page to draw, from 1 (default 1)",
       "N"},
      {"dpi", 0, &d->dpi, NULL, "png: resolution, 10 to 1200 (default 96)",
       "D"},
      {"style", 0, &d->style, NULL, "built-in style (default, letter, "
       "ink-saver, branded) or a style file", "NAME|FILE"},
      {"lang", 0, &d->lang, NULL, "language of printed labels (BCP 47)",
       "TAG"},
      {"strict", 0, NULL, &d->strict, "warnings make the command fail", NULL},
      {"no-tags", 0, NULL, &d->no_tags, "pdf: no structure tags nor PDF/A "
       "metadata (by default the PDF is PDF/A-2a and PDF/UA-1)", NULL}};
  enum { NCOMMON = sizeof common / sizeof *common };
  sb_opt opts[SB_DOC_OWN_MAX + NCOMMON + 1];
  int n = 0, npos;
  memset(d, 0, sizeof *d);
  while (own[n].lng) {
    SB_ASSERT(n < SB_DOC_OWN_MAX);
    opts[n] = own[n];
    n++;
  }
  memcpy(opts + n, common, sizeof common);
  memset(opts + n + NCOMMON, 0, sizeof *opts); /* the end of the table */
  return sb_cli_parse(argc, argv, opts, &d->catalog, 1, &npos, usage, help,
                      ctx);
}

int sb_cli_doc_load(sb_ctx *ctx, const char *cmd, const sb_doc_opts *d,
                    sb_doc_format *fmt, sb_catalog **cat) {
  int rc = sb_cli_doc_check(cmd, d, fmt);
  if (rc) return rc;
  /* the style and faces load on a helper meanwhile (early.c) */
  sb_cli_early_start(ctx, d);
  /* the validation may still run while the document is laid out:
  ** sb_cli_doc_write settles it before anything is printed or written */
  rc = sb_cli_load_catalog_pending(ctx, cmd, d->catalog, d->strict,
                                     SB_CLI_DIAGS_SUMMARY, d->texts_role,
                                     d->texts_skill, cat);
  return rc;
}

/* ==== The common options ==== */

/* --page N: an integer from 1 (the document's page count is checked when
** it is laid out). 1 when it is one, with *page set. */
static int parse_page(const char *s, int *page) {
  return sb_cli_parse_count(s, INT_MAX, page);
}

/* --dpi D: a number from SB_PNG_DPI_MIN to SB_PNG_DPI_MAX. */
static int parse_dpi(const char *s, double *dpi) {
  char *end;
  double v;
  if (!s || !((*s >= '0' && *s <= '9') || *s == '.')) return 0;
  v = strtod(s, &end);
  if (*end || !(v >= SB_PNG_DPI_MIN && v <= SB_PNG_DPI_MAX)) return 0;
  *dpi = v;
  return 1;
}

const char *sb_cli_ext_format(const char *path) {
  static const char *const exts[] = {"pdf", "png", "trace"};
  const char *slash = path ? strrchr(path, '/') : NULL;
  const char *dot = path ? strrchr(slash ? slash : path, '.') : NULL;
  if (!dot || dot == path || dot[-1] == '/') return NULL;
  for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
    if (strcasecmp(dot + 1, exts[i]) == 0) return exts[i];
  return NULL;
}

int sb_cli_doc_check(const char *cmd, const sb_doc_opts *d,
                     sb_doc_format *fmt) {
  int page;
  double dpi;
  const char *format = d->format;
  /* -o x.png means --format png; an extension that says otherwise than
  ** --format is a mistake, not a PDF in a file named .png */
  const char *ext = d->output && strcmp(d->output, "-") != 0
                        ? sb_cli_ext_format(d->output)
                        : NULL;
  if (ext && format && strcmp(ext, format) != 0 &&
      (!strcmp(format, "pdf") || !strcmp(format, "png") ||
       !strcmp(format, "trace")))
    return sb_cli_usage_error(cmd, "-o %s names a .%s file but --format is "
                              "%s (drop --format, or give the file the ."
                              "%s extension)", d->output, ext, format,
                              format);
  if (!format) format = ext;
  *fmt = SB_FMT_PDF;
  if (format && strcmp(format, "trace") == 0)
    *fmt = SB_FMT_TRACE;
  else if (format && strcmp(format, "png") == 0)
    *fmt = SB_FMT_PNG;
  else if (format && strcmp(format, "pdf") != 0)
    return sb_cli_usage_error(cmd, "unknown format '%s' (expected pdf, png "
                              "or trace)", format);
  if ((d->page || d->dpi) && *fmt != SB_FMT_PNG)
    return sb_cli_usage_error(cmd, "--%s applies to --format png only",
                              d->page ? "page" : "dpi");
  if (d->page && !parse_page(d->page, &page))
    return sb_cli_usage_error(cmd, "--page '%s': expected a page number "
                              "from 1", d->page);
  if (d->dpi && !parse_dpi(d->dpi, &dpi))
    return sb_cli_usage_error(cmd, "--dpi '%s': expected a resolution from "
                              "%g to %g", d->dpi, SB_PNG_DPI_MIN,
                              SB_PNG_DPI_MAX);
  if (d->style) return sb_cli_check_style(cmd, d->style);
  return 0;
}

int sb_cli_check_style(const char *cmd, const char *spec) {
  sb_ctx ctx;
  sb_style *st = NULL;
  struct stat sst;
  if (sb_style_is_file(spec) && stat(spec, &sst) == 0 &&
      S_ISDIR(sst.st_mode)) {
    fprintf(stderr, "skillbook %s: error: --style %s: a folder, not a style "
                    "file (built in: default, letter, ink-saver, branded)\n",
            cmd, spec);
    return SB_EXIT_STYLE;
  }
  sb_ctx_init(&ctx);
  sb_status s = sb_load_style(&ctx, spec, sb_cli_datadir(), &st);
  int rc = 0;
  if (s) {
    sb_cli_print_diags(&ctx, cmd);
    rc = sb_status_exit(s);
    if (rc == 0) rc = SB_EXIT_STYLE;
  }
  sb_drop_style(st);
  sb_ctx_free(&ctx);
  return rc;
}

void sb_cli_doc_req(sb_render_req *req, const sb_doc_opts *d,
                    sb_doc_format fmt) {
  req->style = d->style;
  req->lang = d->lang;
  req->lang_explicit = d->lang != NULL;
  req->datadir = sb_cli_datadir();
  req->format = fmt;
  req->page = 1;
  req->dpi = 96;
  if (d->page) parse_page(d->page, &req->page);
  if (d->dpi) parse_dpi(d->dpi, &req->dpi);
  req->pdf.no_tags = d->no_tags;
}

int sb_cli_doc_write(sb_ctx *ctx, const char *cmd, const sb_render_req *req,
                     int strict, const char *outpath, const char *defpath) {
  sb_buf out;
  char *path = NULL, *shown = NULL;
  int rc = SB_EXIT_OK;
  sb_render_req r = *req;
  sb_buf_init(&out);
  sb_cli_early_take(&r); /* the style and faces, when loaded already */
  sb_status s = sb_render(ctx, &r, &out, NULL);
  /* the catalogue's validation, if it was left running (sb_cli_doc_load),
  ** ends before anything is printed or written: its messages come first,
  ** and an invalid catalogue writes nothing, as when its load failed */
  if ((rc = sb_cli_settle())) {
    sb_buf_free(&out);
    return rc;
  }
  if (!s && strict && ctx->nwarnings > 0) {
    sb_cli_print_diags(ctx, cmd);
    fprintf(stderr, "skillbook %s: error: %zu warning(s) and --strict; "
                    "nothing written\n", cmd, ctx->nwarnings);
    sb_buf_free(&out);
    /* the catalogue's own warnings failed its loading already (exit 3):
    ** these are the document's (a name cut short), which could not be
    ** rendered as asked */
    return SB_EXIT_RENDER;
  }
  if (!s) {
    if (!outpath) {
      const char *ext = sb_cli_doc_ext(req->format);
      size_t n = strlen(defpath) + strlen(ext) + 2;
      path = sb_xmalloc(n);
      snprintf(path, n, "%s.%s", defpath, ext);
      outpath = path;
    }
    /* the path to print, made before writing: nothing that can run out
    ** of memory comes after the file is replaced */
    shown = sb_cli_clean_path(outpath, 0);
    s = sb_write_output(ctx, outpath, out.p, out.n, 1);
  }
  sb_cli_print_diags(ctx, cmd);
  if (s) {
    rc = sb_cli_render_exit(s); /* a limit hit while rendering is exit 1 */
  } else if (strcmp(outpath, "-") != 0) {
    printf("%s\n", shown);
  }
  sb_buf_free(&out);
  free(shown);
  free(path);
  return rc;
}

/* ==== Default paths ==== */

char *sb_cli_file_safe(const char *s) {
  size_t n = strlen(s), o = 0;
  char *r = sb_xmalloc(n + 2 + 10);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    int c = *p;
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)
      r[o++] = (char)c;
    else if (o && r[o - 1] != '-')
      r[o++] = '-';
  }
  while (o && r[o - 1] == '-') o--;
  if (o > 48) {
    o = 48;
    while (o && ((unsigned char)r[o] & 0xC0) == 0x80) o--; /* a start */
    char hex[65];
    sb_sha256_hex(s, n, hex);
    r[o++] = '-';
    memcpy(r + o, hex, 8);
    o += 8;
  }
  if (!o) r[o++] = 'x';
  r[o] = 0;
  return r;
}

/* Appends "+key-safe(value)" to the growing path *p (malloc'd). */
static void add_part(char **p, const char *key, const char *value) {
  char *v = sb_cli_file_safe(value);
  size_t n = strlen(*p) + strlen(key) + strlen(v) + 3;
  char *r = sb_xmalloc(n);
  snprintf(r, n, "%s+%s-%s", *p, key, v);
  free(v);
  free(*p);
  *p = r;
}

char *sb_cli_doc_defpath(const char *stem, const sb_doc_opts *d,
                         const char *cat_lang, sb_doc_format fmt,
                         const sb_path_part *parts, int nparts) {
  char *p = sb_xstrdup(stem);
  for (int i = 0; i < nparts; i++)
    if (parts[i].value) add_part(&p, parts[i].key, parts[i].value);
  if (d->style && strcmp(d->style, "default") != 0) {
    const char *base = strrchr(d->style, '/');
    add_part(&p, "style", base ? base + 1 : d->style);
  }
  if (d->lang && strcasecmp(d->lang, cat_lang ? cat_lang : "en") != 0)
    add_part(&p, "lang", d->lang);
  /* a file name stays far below NAME_MAX (255 bytes): a long suffix is
  ** cut at a character's start and ends with a hash of the whole */
  size_t stem_n = strlen(stem), suffix_n = strlen(p) - stem_n;
  if (suffix_n > 180) {
    char hex[65];
    size_t cut = stem_n + 160;
    sb_sha256_hex(p + stem_n, suffix_n, hex);
    while (cut > stem_n && ((unsigned char)p[cut] & 0xC0) == 0x80) cut--;
    snprintf(p + cut, strlen(p) + 1 - cut, "-%.8s", hex);
  }
  if (fmt == SB_FMT_PNG) {
    int page = 1;
    if (d->page) parse_page(d->page, &page);
    size_t n = strlen(p) + 16;
    char *r = sb_xmalloc(n);
    snprintf(r, n, "%s+p%d", p, page);
    free(p);
    p = r;
  }
  return p;
}

/* ==== Many documents ==== */

const char *sb_cli_doc_ext(sb_doc_format fmt) {
  return fmt == SB_FMT_TRACE ? "trace" : fmt == SB_FMT_PNG ? "png" : "pdf";
}

sb_status sb_cli_doc_preload(sb_ctx *ctx, const sb_doc_opts *d,
                             const sb_catalog *cat, sb_doc_shared *sh) {
  const char *datadir = sb_cli_datadir();
  memset(sh, 0, sizeof *sh);
  sb_status s = sb_load_style(ctx, d->style ? d->style : "default", datadir,
                              &sh->style);
  if (s) return s;
  /* the one warning sb_render gives per document for an unknown --lang;
  ** the documents are then rendered with lang_explicit off */
  sb_labels_for(ctx, d->lang ? d->lang : cat->lang, d->lang != NULL);
  s = sb_load_style_fonts(ctx, sh->style, datadir, &sh->fonts);
  if (s) {
    sb_cli_doc_unload(sh);
    return s;
  }
  return SB_OK;
}

void sb_cli_doc_unload(sb_doc_shared *sh) {
  sb_drop_fontset(&sh->fonts);
  sb_drop_style(sh->style);
  memset(sh, 0, sizeof *sh);
}

sb_status sb_cli_doc_render_file(sb_ctx *ctx, const sb_render_req *req,
                                 const sb_doc_shared *sh, int strict,
                                 const char *path) {
  sb_render_req r = *req;
  sb_buf out;
  if (sh) {
    r.style_loaded = sh->style;
    r.fonts = &sh->fonts;
    r.lang_explicit = 0; /* sb_cli_doc_preload warned once */
  }
  sb_buf_init(&out);
  sb_status s = sb_render(ctx, &r, &out, NULL);
  if (!s && strict && ctx->nwarnings > 0)
    s = sb_fail(ctx, SB_E_RENDER, "%zu warning(s) and --strict; nothing "
                "written", ctx->nwarnings);
  if (!s) s = sb_write_output(ctx, path, out.p, out.n, 1);
  sb_buf_free(&out);
  return s;
}
