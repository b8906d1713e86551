/*
** cli/cmd_handbook.c -- `skillbook handbook [CATALOG] --role ID [-o FILE]`.
**
** Renders the career-path handbook of one role through sb_render and
** writes it with sb_write_output (temporary file and rename, or in place
** for stdout and devices). The default output is out/handbooks/ROLE.pdf
** (.trace for --format trace) under the working directory; the path
** written is printed on stdout (nothing is printed for `-o -`).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/docopts.h"
#include "skillbook/docs.h"

static const char *handbook_usage =
    "usage: skillbook handbook [CATALOG] --role ID [-o FILE] [options]\n"
    "\n"
    "Writes the career-path handbook of a role: cover, contents, and one\n"
    "section per skill where the role appears, with what each level\n"
    "expects. Default output: out/handbooks/ROLE.pdf; '-o -' writes to\n"
    "standard output.\n";

int sb_cmd_handbook(int argc, char **argv) {
  const char *pos[1];
  const char *role_id = NULL, *outpath = NULL;
  sb_doc_opts d;
  memset(&d, 0, sizeof d);
  int help = 0, npos = 0, rc;
  const sb_opt opts[] = {
      {"role", 0, &role_id, NULL, "the role (id, see 'skillbook list roles')",
       "ID"},
      {"output", 'o', &outpath, NULL, "output file ('-' = standard output)",
       "FILE"},
      {"format", 0, &d.format, NULL, "pdf (default) or trace", "FORMAT"},
      {"style", 0, &d.style, NULL, "built-in style (default, letter, "
       "ink-saver, branded) or a style file", "NAME|FILE"},
      {"lang", 0, &d.lang, NULL, "language of printed labels (BCP 47)", "TAG"},
      {"strict", 0, NULL, &d.strict, "warnings make the command fail", NULL},
      {NULL, 0, NULL, NULL, NULL, NULL}};
  sb_catalog *cat = NULL;
  sb_buf out;
  char *defpath = NULL;
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  sb_buf_init(&out);
  rc = sb_cli_parse(argc, argv, opts, pos, 1, &npos, handbook_usage, &help,
                    &ctx);
  if (rc || help) goto done;
  if (!role_id) {
    rc = sb_cli_usage_error("handbook", "--role ID is required (see "
                            "'skillbook list roles')");
    goto done;
  }
  sb_doc_format fmt = SB_FMT_PDF;
  if (d.format && strcmp(d.format, "trace") == 0)
    fmt = SB_FMT_TRACE;
  else if (d.format && strcmp(d.format, "pdf") != 0) {
    rc = sb_cli_usage_error("handbook", "unknown format '%s' (expected pdf "
                            "or trace)", d.format);
    goto done;
  }
  if (d.style && (rc = sb_cli_check_style("handbook", d.style)) != 0)
    goto done;
  rc = sb_cli_load_catalog(&ctx, "handbook", npos ? pos[0] : NULL, d.strict,
                           &cat);
  if (rc) goto done;
  const sb_role *role = sb_cat_role_lookup(cat, role_id);
  if (!role) {
    rc = sb_cli_unknown_id(cat, "handbook", "role", role_id);
    goto done;
  }

  sb_render_req req;
  memset(&req, 0, sizeof req);
  req.kind = SB_DOC_HANDBOOK;
  req.cat = cat;
  req.role = role->index;
  req.skill = -1;
  req.style = d.style;
  req.lang = d.lang;
  req.lang_explicit = d.lang != NULL;
  req.datadir = sb_cli_datadir();
  req.format = fmt;
  sb_status s = sb_render(&ctx, &req, &out, NULL);
  if (!s && d.strict && ctx.nwarnings > 0) {
    sb_cli_print_diags(&ctx, "handbook");
    fprintf(stderr, "skillbook handbook: error: %zu warning(s) and --strict; "
                    "nothing written\n", ctx.nwarnings);
    rc = SB_EXIT_CATALOG;
    goto done;
  }
  if (!s) {
    if (!outpath) {
      size_t n = strlen(role->id) + 32;
      defpath = sb_xmalloc(n);
      snprintf(defpath, n, "out/handbooks/%s.%s", role->id,
               fmt == SB_FMT_TRACE ? "trace" : "pdf");
      outpath = defpath;
    }
    s = sb_write_output(&ctx, outpath, out.p, out.n, 1);
  }
  sb_cli_print_diags(&ctx, "handbook");
  if (s) {
    rc = sb_status_exit(s);
    if (rc == 0) rc = SB_EXIT_RENDER;
    goto done;
  }
  if (strcmp(outpath, "-") != 0) printf("%s\n", outpath);
  rc = SB_EXIT_OK;
done:
  sb_buf_free(&out);
  sb_drop_catalog(cat);
  free(defpath);
  sb_ctx_free(&ctx);
  return rc;
}
