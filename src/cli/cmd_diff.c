/*
** cli/cmd_diff.c -- `skillbook diff OLD [NEW] [--format text|json|pdf]
** [-o FILE] [--exit-code]`.
**
** Compares two versions of a catalogue by ids (diff.h): text (the
** default: a summary like `git diff --stat`, then one line per change),
** JSON (docs/diff.md) or the printable "What changed in the ladder" (pdf,
** through sb_render). NEW defaults to the bundled catalogue. Text and JSON
** go to standard output unless -o names a file; the pdf goes to -o or
** out/changes.pdf, whose path is printed. Exit 0 whether or not they
** differ; with --exit-code, 1 when they do (git diff --exit-code). A file
** that cannot be written is exit 1, an invalid catalogue exit 3.
** Tests: tests/cli/diff.sh
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/docopts.h"
#include "skillbook/diff.h"
#include "skillbook/render.h"

static const char *diff_usage =
    "usage: skillbook diff OLD [NEW] [--format text|json|pdf] [-o FILE]\n"
    "                      [--exit-code] [--style NAME|FILE] [--lang TAG]\n"
    "\n"
    "Compares two versions of a catalogue (each a file or a folder; NEW\n"
    "defaults to the bundled catalogue) by ids: roles, levels and skills\n"
    "added, removed or renamed, skills moved to another domain or group,\n"
    "the level order, and each expectation added, removed, reworded (the\n"
    "words removed and added are marked) or turned mandatory or optional.\n"
    "\n"
    "--format text (default) prints a summary per role, then one line per\n"
    "change; json prints one object (docs/diff.md); pdf writes \"What\n"
    "changed in the ladder\" (default out/changes.pdf). Text and JSON go\n"
    "to standard output unless -o names a file; without --format, -o\n"
    "x.pdf or x.json picks that format. The exit status is 0\n"
    "whether or not they differ; with --exit-code it is 1 when they do.\n";

static int write_out(sb_ctx *ctx, const char *path, const sb_buf *b,
                     int print_path) {
  if (!path || strcmp(path, "-") == 0) {
    if (b->n) fwrite(b->p, 1, b->n, stdout); /* b->p is NULL when empty */
    return SB_EXIT_OK;
  }
  if (sb_write_output(ctx, path, b->p ? b->p : "", b->n, 1)) {
    fprintf(stderr, "skillbook diff: error: %s\n", ctx->errmsg);
    return SB_EXIT_RENDER;
  }
  if (print_path) printf("%s\n", path);
  return SB_EXIT_OK;
}

int sb_cmd_diff(int argc, char **argv) {
  const char *format = NULL, *outpath = NULL, *style = NULL, *lang = NULL;
  const char *pos[2];
  int exit_code = 0, strict = 0, no_tags = 0, help = 0, npos = 0, rc;
  const sb_opt opts[] = {
      {"format", 0, &format, NULL, "text (default), json or pdf", "FORMAT"},
      {"output", 'o', &outpath, NULL, "write to this file ('-' = standard "
       "output)", "FILE"},
      {"exit-code", 0, NULL, &exit_code, "exit 1 when the versions differ",
       NULL},
      {"style", 0, &style, NULL, "pdf: built-in style NAME or style FILE",
       "STYLE"},
      {"lang", 0, &lang, NULL, "pdf: language of the printed labels", "TAG"},
      {"strict", 0, NULL, &strict, "fail (exit 3) on catalogue warnings",
       NULL},
      {"no-tags", 0, NULL, &no_tags, "pdf: no structure tags nor PDF/A "
       "objects", NULL},
      {NULL, 0, NULL, NULL, NULL, NULL}};
  sb_catalog *old = NULL, *cur = NULL;
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  rc = sb_cli_parse(argc, argv, opts, pos, 2, &npos, diff_usage, &help, &ctx);
  if (rc || help) goto done;
  if (npos < 1) {
    rc = sb_cli_usage_error("diff", "which catalogues? (diff OLD [NEW])");
    goto done;
  }
  if (!format) {
    const char *dot = outpath ? strrchr(outpath, '.') : NULL;
    format = dot && strcmp(dot, ".pdf") == 0    ? "pdf"
             : dot && strcmp(dot, ".json") == 0 ? "json"
                                                : "text";
  }
  if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0 &&
      strcmp(format, "pdf") != 0) {
    rc = sb_cli_usage_error("diff", "unknown format '%s' (expected text, "
                            "json or pdf)", format);
    goto done;
  }
  int pdf = strcmp(format, "pdf") == 0;
  if (pdf && style && (rc = sb_cli_check_style("diff", style))) goto done;
  if ((rc = sb_cli_load_catalog(&ctx, "diff", pos[0], strict,
                                SB_CLI_DIAGS_SUMMARY, &old)))
    goto done;
  if ((rc = sb_cli_load_catalog(&ctx, "diff", npos > 1 ? pos[1] : NULL,
                                strict, SB_CLI_DIAGS_SUMMARY, &cur)))
    goto done;
  sb_cat_diff d;
  sb_cat_diff_compute(old, cur, &d);
  int differ = d.nchanges > 0;
  sb_buf b;
  sb_buf_init(&b);
  if (pdf) {
    sb_render_req req;
    memset(&req, 0, sizeof req);
    req.kind = SB_DOC_CHANGES;
    req.cat = cur;
    req.old = old;
    req.skill = -1;
    req.style = style;
    req.lang = lang;
    req.lang_explicit = lang != NULL;
    req.datadir = sb_cli_datadir();
    req.format = SB_FMT_PDF;
    req.pdf.no_tags = no_tags;
    sb_status s = sb_render(&ctx, &req, &b, NULL);
    sb_cli_print_diags(&ctx, "diff");
    if (s) {
      rc = sb_cli_render_exit(s);
    } else {
      char *path = sb_cli_clean_path(outpath ? outpath : "out/changes.pdf", 0);
      rc = write_out(&ctx, path, &b, strcmp(path, "-") != 0);
      free(path);
    }
  } else {
    if (strcmp(format, "json") == 0)
      sb_cat_diff_json(&d, &b);
    else
      sb_cat_diff_text(&d, &b);
    rc = write_out(&ctx, outpath, &b, 0);
  }
  sb_buf_free(&b);
  sb_cat_diff_free(&d);
  if (rc == SB_EXIT_OK && exit_code && differ) rc = 1;
done:
  sb_drop_catalog(old);
  sb_drop_catalog(cur);
  sb_ctx_free(&ctx);
  return rc;
}
