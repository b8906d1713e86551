/*
** cli/cmd_validate.c -- `skillbook validate [CATALOG] [--format text|json]
** [--strict] [--against OLD]`.
**
** Loads the catalogue with every check and reports every problem: as
** "file:line:col: error: text" lines on stderr and a summary line, or as one
** JSON object on stdout. Exit 0 when valid (warnings allowed unless
** --strict), 3 when invalid or unreadable, 2 for usage and a missing path.
** --against OLD (an older version) also warns for each skill whose shown
** content changed (diff.h) while its `updated` date did not move forward,
** so that the dates the documents print stay true.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "skillbook/diff.h"

static const char *validate_usage =
    "usage: skillbook validate [CATALOG] [--format text|json] [--strict]\n"
    "                          [--against OLD] [--quiet]\n"
    "\n"
    "Checks a catalogue (a file, or a folder of *.xml merged into one) against\n"
    "the schema and the format's rules and reports every problem found.\n"
    "CATALOG defaults to the bundled catalogue. The other commands print\n"
    "one line about the catalogue's warnings (list prints none): this one\n"
    "lists them all (--quiet leaves them out).\n"
    "\n"
    "--against OLD compares with an older version of the catalogue and warns\n"
    "for each skill whose printed content changed while its 'updated' date\n"
    "did not move forward (with --strict: exit 3).\n";

typedef struct totals {
  int expects, mandatory;
} totals;

static totals count_expects(const sb_catalog *cat) {
  totals t = {0, 0};
  for (int s = 0; s < cat->nskills; s++)
    for (int i = 0; i < cat->skills[s].nexpects; i++) {
      t.expects++;
      t.mandatory += cat->skills[s].expects[i].mandatory;
    }
  return t;
}

static const char *plural(size_t n) {
  return n == 1 ? "" : "s";
}

static void print_text(sb_ctx *ctx, const char *path, const sb_catalog *cat,
                       int valid, int strict) {
  if (ctx->nerrors > 0)
    sb_ctx_clear_error(ctx);  /* the diagnostics say it all */
  sb_cli_print_diags(ctx, "validate");
  if (!cat) {
    size_t nerr = ctx->nerrors ? ctx->nerrors : 1;  /* e.g. an I/O error */
    fprintf(stderr, "%s: invalid: %zu error%s, %zu warning%s\n", path, nerr,
            plural(nerr), ctx->nwarnings, plural(ctx->nwarnings));
    return;
  }
  totals t = count_expects(cat);
  FILE *f = valid ? stdout : stderr;
  fprintf(f, "%s: %d skill%s, %d level%s, %d role%s, %d domain%s, %d group%s, "
          "%d expectation%s (%d mandatory): ", path, cat->nskills,
          plural((size_t)cat->nskills), cat->nlevels,
          plural((size_t)cat->nlevels), cat->nroles,
          plural((size_t)cat->nroles), cat->ndomains,
          plural((size_t)cat->ndomains), cat->ngroups,
          plural((size_t)cat->ngroups), t.expects, plural((size_t)t.expects),
          t.mandatory);
  fprintf(f, "%s", valid ? "valid" : strict ? "invalid with --strict" : "invalid");
  if (ctx->nwarnings)
    fprintf(f, ", %zu warning%s", ctx->nwarnings, plural(ctx->nwarnings));
  fputc('\n', f);
}

static void json_diag(sb_buf *b, const sb_diag *d, int first) {
  static const char *sev[] = {"error", "warning", "note"};
  sb_buf_printf(b, "%s\n    {\"severity\": \"%s\", \"file\": ", first ? "" : ",",
                sev[d->sev]);
  if (d->file) {
    sb_buf_addc(b, '"');
    sb_buf_json_str(b, d->file);
    sb_buf_addc(b, '"');
  } else {
    sb_buf_adds(b, "null");
  }
  if (d->line > 0)
    sb_buf_printf(b, ", \"line\": %ld", d->line);
  else
    sb_buf_adds(b, ", \"line\": null");
  if (d->col > 0)
    sb_buf_printf(b, ", \"column\": %ld", d->col);
  else
    sb_buf_adds(b, ", \"column\": null");
  sb_buf_adds(b, ", \"message\": \"");
  sb_buf_json_str(b, d->msg);
  sb_buf_adds(b, "\"}");
}

static void json_counts(sb_buf *b, const sb_catalog *cat) {
  static const char *names[] = {"skills", "levels", "roles", "domains",
                                "groups", "expectations", "mandatory",
                                "optional"};
  int v[8] = {0};
  if (cat) {
    totals t = count_expects(cat);
    int vals[8] = {cat->nskills, cat->nlevels, cat->nroles, cat->ndomains,
                   cat->ngroups, t.expects, t.mandatory,
                   t.expects - t.mandatory};
    memcpy(v, vals, sizeof v);
  }
  for (int i = 0; i < 8; i++) {
    if (cat)
      sb_buf_printf(b, "  \"%s\": %d,\n", names[i], v[i]);
    else
      sb_buf_printf(b, "  \"%s\": null,\n", names[i]);
  }
}

static void print_json(sb_ctx *ctx, const char *path, const sb_catalog *cat,
                       int valid, int strict) {
  sb_buf b;
  sb_buf_init(&b);
  sb_diag_sort(ctx);
  sb_buf_adds(&b, "{\n  \"path\": \"");
  sb_buf_json_str(&b, path);
  sb_buf_printf(&b, "\",\n  \"valid\": %s,\n  \"strict\": %s,\n",
                valid ? "true" : "false", strict ? "true" : "false");
  json_counts(&b, cat);
  sb_buf_printf(&b, "  \"errors\": %zu,\n  \"warnings\": %zu,\n",
                ctx->nerrors + (ctx->status && !ctx->nerrors),
                ctx->nwarnings);
  sb_buf_adds(&b, "  \"diagnostics\": [");
  size_t shown = 0;
  for (size_t i = 0; i < ctx->ndiags; i++)
    json_diag(&b, &ctx->diags[i], shown++ == 0);
  if (ctx->status && ctx->nerrors == 0) {
    sb_diag d = {SB_SEV_ERROR, ctx->status, NULL, 0, 0, ctx->errmsg};
    json_diag(&b, &d, shown++ == 0);
  }
  sb_buf_adds(&b, shown ? "\n  ]\n}\n" : "]\n}\n");
  fwrite(b.p, 1, b.n, stdout);
  sb_buf_free(&b);
}

/* The warnings of --against: each skill of cat whose shown content
** differs from old's while its updated date is not later (a date removed
** counts; a skill dated in neither version is left alone). Returns -1
** when old cannot be loaded (its diagnostics printed). */
static int check_dates(sb_ctx *ctx, const sb_catalog *cat, const char *against) {
  sb_ctx octx;
  sb_catalog *old = NULL;
  sb_ctx_init(&octx);
  octx.quiet = 1;
  octx.limits = ctx->limits;
  if (sb_load_catalog(&octx, against, &old)) {
    if (octx.nerrors > 0) sb_ctx_clear_error(&octx);
    sb_cli_print_diags(&octx, "validate");
    fprintf(stderr, "%s: invalid (the catalogue of --against)\n", against);
    sb_ctx_free(&octx);
    return -1;
  }
  sb_ctx_free(&octx);
  sb_cat_diff d;
  sb_cat_diff_compute(old, cat, &d);
  char *changed = sb_xcalloc((size_t)cat->nskills + 1, 1);
  for (int i = 0; i < d.nchanges; i++) {
    int s = sb_change_shown_skill(&d.changes[i]);
    if (s >= 0) changed[s] = 1;
  }
  for (int i = 0; i < d.nchanges; i++) {
    const sb_change *c = &d.changes[i];
    int s = sb_change_shown_skill(c);
    if (s < 0 || changed[s] != 1) continue;
    changed[s] = 2;
    const sb_skill *nk = &cat->skills[s], *ok = &old->skills[c->oskill];
    if (!ok->updated && !nk->updated) continue;
    if (nk->updated && (!ok->updated || strcmp(nk->updated, ok->updated) > 0))
      continue;
    sb_warn(ctx, nk->file, nk->line,
            "skill %s changed since %s but its updated date %s did not move "
            "forward (it was %s there); the documents print this date",
            nk->id, against, nk->updated ? nk->updated : "is gone and",
            ok->updated ? ok->updated : "none");
  }
  free(changed);
  sb_cat_diff_free(&d);
  sb_drop_catalog(old);
  return 0;
}

/* Loads and reports; returns the exit status. */
static int run_validate(sb_ctx *ctx, const char *path, int json, int strict,
                        const char *against) {
  sb_catalog *cat = NULL;
  sb_status st = sb_load_catalog(ctx, path, &cat);
  if (st == SB_OK && against && check_dates(ctx, cat, against) < 0) {
    sb_drop_catalog(cat);
    return SB_EXIT_CATALOG;
  }
  int valid = st == SB_OK && !(strict && ctx->nwarnings > 0);
  if (json)
    print_json(ctx, path, cat, valid, strict);
  else
    print_text(ctx, path, cat, valid, strict);
  sb_drop_catalog(cat);
  return valid ? SB_EXIT_OK : SB_EXIT_CATALOG;
}

int sb_cmd_validate(int argc, char **argv) {
  const char *format = "text", *pos[1], *against = NULL;
  int strict = 0, help = 0, npos = 0, rc;
  const sb_opt opts[] = {
      {"format", 0, &format, NULL, "text (default) or json", "FORMAT"},
      {"strict", 0, NULL, &strict, "fail (exit 3) on warnings too", NULL},
      {"against", 0, &against, NULL, "warn for skills changed since this "
       "older catalogue whose updated date did not move forward", "OLD"},
      {NULL, 0, NULL, NULL, NULL, NULL}};
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  rc = sb_cli_parse(argc, argv, opts, pos, 1, &npos, validate_usage, &help,
                    &ctx);
  if (rc || help)
    goto done;
  if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
    rc = sb_cli_usage_error("validate", "unknown format '%s' (expected text "
                            "or json)", format);
    goto done;
  }
  char *bundled = npos ? NULL : sb_cli_data_path("catalog");
  char *path = sb_cli_clean_path(npos ? pos[0] : bundled, 1);
  struct stat sbuf;
  if (stat(path, &sbuf) != 0)
    rc = sb_cli_usage_error("validate", "%s: %s", path, strerror(errno));
  else if (against && stat(against, &sbuf) != 0)
    rc = sb_cli_usage_error("validate", "%s: %s", against, strerror(errno));
  else
    rc = run_validate(&ctx, path, strcmp(format, "json") == 0, strict,
                      against);
  free(path);
  free(bundled);
done:
  sb_ctx_free(&ctx);
  return rc;
}
