/*
** cli/cmd_import.c -- `skillbook import FILE -o CATALOG.xml [--layout
** long|wide]` and `skillbook export [CATALOG] --format csv|json [-o FILE]`.
**
** import turns a spreadsheet's CSV into a catalogue (include/skillbook/
** import.h, docs/import.md): every problem at FILE:LINE:COL, exit 3 and
** nothing written; else the catalogue is written atomically and its path
** printed. export writes a catalogue as the long layout import reads back,
** or as JSON, to standard output or -o FILE.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "skillbook/import.h"

static const char *import_usage =
    "usage: skillbook import FILE -o CATALOG.xml [--layout long|wide]\n"
    "\n"
    "Turns a spreadsheet saved as CSV (UTF-8 with or without a byte-order\n"
    "mark; comma, semicolon or tab separated) into a catalogue. The layout\n"
    "comes from the header row: a 'level' or 'text' column means long (one\n"
    "row per expectation), else wide (one row per skill and role, one\n"
    "column per level). Leading rows starting with '#' give the title,\n"
    "version, author, lang, and the levels and roles in order. Every problem\n"
    "is reported at FILE:LINE:COL and nothing is written (exit 3). See\n"
    "docs/import.md.\n";

static const char *export_usage =
    "usage: skillbook export [CATALOG] --format csv|json [-o FILE]\n"
    "\n"
    "Writes a catalogue as CSV in the long layout that 'skillbook import'\n"
    "reads back into the same catalogue (every id column; leading rows for\n"
    "the title, levels and roles), or as JSON (docs/import.md). To standard\n"
    "output unless -o FILE. CATALOG defaults to the bundled catalogue.\n";

int sb_cmd_import(int argc, char **argv) {
  const char *pos[1], *output = NULL, *layout = NULL;
  int help = 0, npos = 0, rc;
  const sb_opt opts[] = {
      {"output", 'o', &output, NULL, "the catalogue to write", "CATALOG.xml"},
      {"layout", 0, &layout, NULL, "long or wide (default: from the header)",
       "LAYOUT"},
      {NULL, 0, NULL, NULL, NULL, NULL}};
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  char *data = NULL;
  size_t len = 0;
  sb_buf xml;
  sb_buf_init(&xml);
  rc = sb_cli_parse(argc, argv, opts, pos, 1, &npos, import_usage, &help, &ctx);
  if (rc || help) goto done;
  sb_csv_layout lay = SB_LAYOUT_AUTO;
  if (npos == 0) {
    rc = sb_cli_usage_error("import", "which file? (skillbook import FILE -o "
                            "CATALOG.xml)");
    goto done;
  }
  if (!output) {
    rc = sb_cli_usage_error("import", "-o CATALOG.xml is required (where to "
                            "write the catalogue)");
    goto done;
  }
  if (layout && !strcmp(layout, "long")) lay = SB_LAYOUT_LONG;
  else if (layout && !strcmp(layout, "wide")) lay = SB_LAYOUT_WIDE;
  else if (layout) {
    rc = sb_cli_usage_error("import", "--layout '%s': expected long or wide",
                            layout);
    goto done;
  }
  struct stat sbuf;
  if (stat(pos[0], &sbuf) < 0) {  /* a missing path is a usage error (2) */
    rc = sb_cli_usage_error("import", "%s: %s", pos[0], strerror(errno));
    goto done;
  }
  char *path = sb_cli_clean_path(pos[0], 1);
  sb_status st = sb_read_file(&ctx, path, ctx.limits.file_bytes, &data, &len);
  if (st == SB_OK)
    st = sb_import_csv(&ctx, path, data, len, lay, &xml, NULL);
  if (st == SB_OK)
    st = sb_write_output(&ctx, output, xml.p, xml.n, 0);
  if (st != SB_OK) {
    if (ctx.nerrors > 0) sb_ctx_clear_error(&ctx);
    sb_cli_print_diags(&ctx, "import");
    if (ctx.nerrors > 0)
      fprintf(stderr, "skillbook import: %s: %zu error%s; nothing written\n",
              path, ctx.nerrors, ctx.nerrors == 1 ? "" : "s");
    rc = st == SB_E_IO ? SB_EXIT_RENDER : sb_status_exit(st);
  } else {
    if (!sb_cli_quiet() && ctx.nwarnings > 0)
      fprintf(stderr, "skillbook import: %zu warning%s in the catalogue; "
              "'skillbook validate %s' lists %s\n", ctx.nwarnings,
              ctx.nwarnings == 1 ? "" : "s", output,
              ctx.nwarnings == 1 ? "it" : "them");
    if (strcmp(output, "-") != 0) printf("%s\n", output);
  }
  free(path);
done:
  free(data);
  sb_buf_free(&xml);
  sb_ctx_free(&ctx);
  return rc;
}

int sb_cmd_export(int argc, char **argv) {
  const char *pos[1], *output = NULL, *format = NULL;
  int help = 0, npos = 0, rc;
  const sb_opt opts[] = {
      {"format", 0, &format, NULL, "csv (the long layout) or json", "FORMAT"},
      {"output", 'o', &output, NULL, "where to write (default: standard "
       "output)", "FILE"},
      {NULL, 0, NULL, NULL, NULL, NULL}};
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  sb_catalog *cat = NULL;
  sb_buf b;
  sb_buf_init(&b);
  rc = sb_cli_parse(argc, argv, opts, pos, 1, &npos, export_usage, &help, &ctx);
  if (rc || help) goto done;
  if (!format || (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)) {
    rc = sb_cli_usage_error("export", format ? "--format '%s': expected csv "
                            "or json" : "--format csv|json is required%s",
                            format ? format : "");
    goto done;
  }
  rc = sb_cli_load_catalog(&ctx, "export", npos ? pos[0] : NULL, 0,
                           SB_CLI_DIAGS_NONE, &cat);
  if (rc != SB_EXIT_OK) goto done;
  if (format[0] == 'c') sb_export_csv(cat, &b);
  else sb_export_json(cat, &b);
  if (sb_write_output(&ctx, output ? output : "-", b.p ? b.p : "", b.n, 0)) {
    sb_cli_print_diags(&ctx, "export");
    rc = SB_EXIT_RENDER;
  }
done:
  sb_drop_catalog(cat);
  sb_buf_free(&b);
  sb_ctx_free(&ctx);
  return rc;
}
