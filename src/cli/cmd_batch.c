/*
** cli/cmd_batch.c -- `skillbook batch`: every document of a catalogue.
**
**   skillbook batch [CATALOG] [-o DIR] [-j N] [--shard K/N] [--force] [--book]
**                   [--strict] [--style NAME] [--lang TAG]
**                   [--log-format text|json] [--since OLD]
**   skillbook batch --merge SHARD_DIR... [-o DIR]
**
** Parses the options, then (when the previous run in DIR recorded one)
** tries the unchanged rerun, which needs no catalogue (src/batch/fast.c);
** else loads and validates the catalogue once, and hands over to
** sb_batch_run / sb_batch_merge (src/batch/). Exit statuses are
** PRODUCT.md's; a batch stopped by SIGTERM/SIGINT/SIGHUP exits 1.
** Tests: tests/cli/batch.sh
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/docopts.h"
#include "cli/people.h"
#include "skillbook/batch.h"
#include "skillbook/style.h"

static const char *batch_usage =
    "usage: skillbook batch [CATALOG] [-o DIR] [-j N] [--shard K/N] [--force]\n"
    "                       [--book] [--strict] [--style NAME] [--lang TAG]\n"
    "                       [--log-format text|json] [--since OLD]\n"
    "                       [--people FILE] [--mode OCTAL] [--fillable]\n"
    "       skillbook batch --merge SHARD_DIR... [-o DIR]\n"
    "\n"
    "Writes every document of a catalogue into DIR (default: out/):\n"
    "handbooks/ROLE.pdf, sheets/ROLE/FROM/TO.pdf, profiles/SKILL.pdf (with\n"
    "--book also the book of every profile, profiles.pdf), a PNG thumbnail\n"
    "of each first page beside it, index.html (in the documents' language)\n"
    "and manifest.json. With --since OLD (an older version of the\n"
    "catalogue), also changes.pdf, \"What changed in the ladder\", and in\n"
    "each handbook the appendix \"Changes since VERSION\". With --people\n"
    "FILE also a review pack per person, reviews/ID.pdf, and a book per\n"
    "reviewer, reviews/by-reviewer/R.pdf (private: 0600, never in\n"
    "index.html; see 'skillbook reviews --help').\n"
    "Only documents whose inputs changed are rendered again. Exit status:\n"
    "0 all written, 1 some documents failed (the others are written), 2\n"
    "usage, 3 invalid catalogue, 4 invalid style/font/labels, 75 another\n"
    "batch holds DIR. See docs/batch.md.\n";

/* Diagnostics as JSON lines (--log-format json), in the shape of the
** per-document lines: {"event":"diagnostic","level":...,"file":...}. */
static void print_diags_json(sb_ctx *ctx) {
  int shown_first = 0;
  sb_buf b;
  sb_buf_init(&b);
  sb_diag_sort(ctx);
  sb_cli_capture_copy(ctx);
  for (size_t i = 0; i < ctx->ndiags; i++) {
    const sb_diag *d = &ctx->diags[i];
    if (d->sev == SB_SEV_WARNING && sb_cli_quiet())
      continue;
    sb_buf_printf(&b, "{\"event\":\"diagnostic\",\"level\":\"%s\"",
                  d->sev == SB_SEV_ERROR     ? "error"
                  : d->sev == SB_SEV_WARNING ? "warning"
                                             : "note");
    if (d->file) {
      sb_buf_adds(&b, ",\"file\":\"");
      sb_buf_json_str(&b, d->file);
      sb_buf_addc(&b, '"');
    }
    if (d->line > 0)
      sb_buf_printf(&b, ",\"line\":%ld", d->line);
    if (d->col > 0)
      sb_buf_printf(&b, ",\"column\":%ld", d->col);
    sb_buf_adds(&b, ",\"message\":\"");
    sb_buf_json_str(&b, d->msg);
    sb_buf_adds(&b, "\"}\n");
    if (ctx->status && strstr(ctx->errmsg, d->msg))
      shown_first = 1;
  }
  if (ctx->status && !shown_first && ctx->errmsg[0]) {
    sb_buf_adds(&b, "{\"event\":\"diagnostic\",\"level\":\"error\","
                    "\"message\":\"");
    sb_buf_json_str(&b, ctx->errmsg);
    sb_buf_adds(&b, "\"}\n");
  }
  if (b.p)
    fputs(b.p, stderr);
  sb_buf_free(&b);
}

static void print_diags(sb_ctx *ctx, int json) {
  if (json)
    print_diags_json(ctx);
  else
    sb_cli_print_diags(ctx, "batch");
}

/* The unchanged rerun's replay of a catalogue's diagnostics: printed as
** load_catalog printed them. */
static void replay_diags(void *arg, sb_ctx *ctx) {
  print_diags(ctx, *(const int *)arg);
}

/* sb_cli_load_catalog, with the diagnostics as JSON lines when json. */
static int load_catalog(sb_ctx *ctx, const char *path, int strict, int json,
                        sb_catalog **out) {
  if (!json)
    return sb_cli_load_catalog(ctx, "batch", path, strict, SB_CLI_DIAGS_ALL,
                               out);
  struct stat st;
  *out = NULL;
  if (path && stat(path, &st) < 0)
    return sb_cli_usage_error("batch", "%s: %s", path, strerror(errno));
  char *bundled = path ? NULL : sb_cli_data_path("catalog");
  char *clean = sb_cli_clean_path(path ? path : bundled, 1);
  sb_status s = sb_load_catalog(ctx, clean, out);
  int rc = SB_EXIT_OK;
  if (s != SB_OK)
    rc = s == SB_E_USAGE ? SB_EXIT_USAGE : SB_EXIT_CATALOG;
  else if (strict && ctx->nwarnings > 0) {
    sb_fail(ctx, SB_E_SCHEMA, "%zu warning(s) and --strict", ctx->nwarnings);
    rc = SB_EXIT_CATALOG;
  }
  print_diags_json(ctx);
  sb_ctx_free(ctx); /* printed once; keeps the limits */
  if (rc != SB_EXIT_OK) {
    sb_drop_catalog(*out);
    *out = NULL;
  }
  free(clean);
  free(bundled);
  return rc;
}

/* Adds what the run read from path (NULL: the bundled catalogue), as the
** loaders name it (sb_cli_clean_path), to the record of the run. */
static void add_input(sb_batch_rerun *rr, const char *path, int catalog) {
  char *bundled = path ? NULL : sb_cli_data_path("catalog");
  char *clean = sb_cli_clean_path(path ? path : bundled, 1);
  if (catalog)
    sb_batch_rerun_add_catalog(rr, clean);
  else
    sb_batch_rerun_add(rr, clean);
  free(clean);
  free(bundled);
}

static int exit_for(sb_status st) {
  int rc = sb_status_exit(st);
  return st != SB_OK && rc == 0 ? SB_EXIT_RENDER : rc;
}

int sb_cmd_batch(int argc, char **argv) {
  const char **pos = sb_xcalloc((size_t)argc + 1, sizeof *pos);
  const char *outdir = NULL, *jobs = NULL, *shard = NULL, *logfmt = NULL;
  const char *people = NULL, *mode = NULL, *since = NULL;
  int force = 0, book = 0, merge = 0, help = 0, npos = 0, rc;
  int fillable = 0;
  sb_people pp;
  memset(&pp, 0, sizeof pp);
  sb_doc_opts d;
  memset(&d, 0, sizeof d);
  const sb_opt opts[] = {
      {"output", 'o', &outdir, NULL, "output folder (default: out)", "DIR"},
      {"jobs", 'j', &jobs, NULL,
       "worker processes (default: the processors this process may use)",
       "N"},
      {"shard", 0, &shard, NULL,
       "render only shard K of N (by a hash of each output's path)", "K/N"},
      {"force", 0, NULL, &force, "render every document, changed or not",
       NULL},
      {"book", 0, NULL, &book,
       "also the book of every profile, profiles.pdf (one long document)",
       NULL},
      {"strict", 0, NULL, &d.strict,
       "warnings fail (catalogue: exit 3; a document: it fails)", NULL},
      {"no-tags", 0, NULL, &d.no_tags, "PDFs without structure tags nor "
       "PDF/A metadata (default: PDF/A-2a and PDF/UA-1)", NULL},
      {"style", 0, &d.style, NULL,
       "built-in style (default, letter, ink-saver, branded) or a style file",
       "NAME"},
      {"lang", 0, &d.lang, NULL, "language of printed labels (BCP 47)", "TAG"},
      {"log-format", 0, &logfmt, NULL, "text (default) or json (JSON lines)",
       "FMT"},
      {"since", 0, &since, NULL, "also changes.pdf against this older "
       "catalogue, and the handbooks' appendix", "OLD"},
      {"merge", 0, NULL, &merge,
       "move the outputs of shard folders into DIR", NULL},
      {"people", 0, &people, NULL,
       "also a review pack per person of this list, under DIR/reviews/ "
       "(see 'skillbook reviews --help')", "FILE"},
      {"mode", 0, &mode, NULL,
       "with --people: file mode of packs, octal (default 600)", "OCTAL"},
      {"fillable", 0, NULL, &fillable, "with --people: packs with form "
       "fields (docs/forms.md)", NULL},
      {NULL, 0, NULL, NULL, NULL, NULL}};
  sb_catalog *cat = NULL, *old = NULL;
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  /* before anything is read: the time that tells a stamp to trust */
  sb_batch_rerun rr;
  sb_batch_rerun_init(&rr);
  rc = sb_cli_parse(argc, argv, opts, pos, argc, &npos, batch_usage, &help,
                    &ctx);
  if (rc || help)
    goto done;

  sb_batch_opts bo;
  memset(&bo, 0, sizeof bo);
  bo.outdir = outdir ? outdir : "out";
  bo.force = force;
  bo.book = book;
  bo.strict = d.strict;
  bo.no_tags = d.no_tags;
  bo.style = d.style;
  bo.lang = d.lang;
  bo.datadir = sb_cli_datadir();
  bo.log = stderr;
  if (!*bo.outdir) {
    rc = sb_cli_usage_error("batch", "-o needs a folder");
    goto done;
  }
  if (logfmt && strcmp(logfmt, "json") == 0)
    bo.log_json = 1;
  else if (logfmt && strcmp(logfmt, "text") != 0) {
    rc = sb_cli_usage_error("batch", "unknown log format '%s' (expected text "
                            "or json)", logfmt);
    goto done;
  }
  bo.progress = !bo.log_json && isatty(STDERR_FILENO);
  if (jobs && !sb_cli_parse_count(jobs, SB_CLI_JOBS_MAX, &bo.jobs)) {
    rc = sb_cli_usage_error("batch", "-j needs a number from 1 to %d, not "
                            "'%s'", SB_CLI_JOBS_MAX, jobs);
    goto done;
  }
  if (shard && sb_batch_parse_shard(shard, &bo.shard_k, &bo.shard_n) < 0) {
    rc = sb_cli_usage_error("batch", "--shard needs K/N with 1 <= K <= N, "
                            "not '%s'", shard);
    goto done;
  }
  bo.people_dir = "reviews";
  bo.private_mode = 0600;
  if (mode && !people) {
    rc = sb_cli_usage_error("batch", "--mode goes with --people");
    goto done;
  }
  if (fillable && !people) {
    rc = sb_cli_usage_error("batch", "--fillable goes with --people");
    goto done;
  }
  if (mode && !sb_cli_parse_mode(mode, &bo.private_mode)) {
    rc = sb_cli_usage_error("batch", "--mode needs an octal file mode with "
                            "the owner's read and write (600, 640, 644), "
                            "not '%s'", mode);
    goto done;
  }
  if (merge && people) {
    rc = sb_cli_usage_error("batch", "--merge moves files only; make the "
                            "reviewers' books afterwards with 'skillbook "
                            "batch --people FILE -o DIR'");
    goto done;
  }

  sb_batch_stats stats;
  sb_status st;
  if (merge) {
    if (shard || since) {
      rc = sb_cli_usage_error("batch", "--merge and --%s do not go "
                              "together", shard ? "shard" : "since");
      goto done;
    }
    if (npos == 0) {
      rc = sb_cli_usage_error("batch", "--merge needs the shard folders");
      goto done;
    }
    st = sb_batch_merge(&ctx, pos, npos, &bo, &stats);
  } else {
    if (npos > 1) {
      rc = sb_cli_usage_error("batch", "unexpected argument '%s'", pos[1]);
      goto done;
    }
    /* Nothing changed since a clean run asked the same way: say so
    ** without loading anything (docs/batch.md, "The unchanged rerun"). */
    const char *catarg = npos ? pos[0] : NULL;
    if (people)
      rr.people = sb_cli_clean_path(people, 1);
    rr.replay = replay_diags;
    rr.replay_arg = &bo.log_json;
    sb_batch_rerun_ask(&rr, &bo, catarg, since, people, fillable,
                       &ctx.limits);
    int fast = 0;
    sb_batch_rerun_try(&bo, &rr, &fast, &stats);
    if (fast) {
      rc = SB_EXIT_OK;
      goto done;
    }
    if (d.style && (rc = sb_cli_check_style("batch", d.style)) != 0) {
      fprintf(stderr, "skillbook batch: nothing written\n");
      goto done;
    }
    /* what loading each catalogue prints, a clean run records for the
    ** unchanged rerun to print again */
    sb_cli_capture_diags(&rr.diags[0]);
    rc = load_catalog(&ctx, catarg, d.strict, bo.log_json, &cat);
    sb_cli_capture_diags(NULL);
    if (rc)
      goto done;
    add_input(&rr, catarg, 1);
    if (since) {
      sb_cli_capture_diags(&rr.diags[1]);
      rc = load_catalog(&ctx, since, 0, bo.log_json, &old);
      sb_cli_capture_diags(NULL);
      if (rc)
        goto done;
      add_input(&rr, since, 1);
      sb_cat_compute_hashes(old);
      bo.since = old;
    }
    if (people && (rc = sb_cli_people_setup(&ctx, "batch", people, cat,
                                            SB_ONLY_ALL, -1, d.strict, &pp,
                                            &bo)) != 0)
      goto done;
    if (people)
      add_input(&rr, people, 0);
    /* anything else printed so far (the style's or the people file's
    ** warnings, a note) the rerun could not print again: record nothing */
    if (sb_cli_diags_seen() > rr.diags[0].ndiags + rr.diags[1].ndiags ||
        pp.no_reviewer > 0)
      rr.unclean = 1;
    bo.rerun = &rr;
    for (int i = 0; i < pp.n; i++)
      pp.p[i].rv.fillable = fillable;
    sb_cat_compute_hashes(cat); /* the input hashes; before forking */
    st = sb_batch_run(&ctx, cat, &bo, &stats);
  }
  rc = exit_for(st);
  if (st == SB_E_USAGE) {
    sb_cli_usage_error("batch", "%s", ctx.errmsg);
    sb_ctx_clear_error(&ctx);
  }
  print_diags(&ctx, bo.log_json);
done:
  sb_batch_rerun_free(&rr);
  sb_cli_free_people(&pp);
  sb_drop_catalog(cat);
  sb_drop_catalog(old);
  sb_ctx_free(&ctx);
  free(pos);
  return rc;
}
