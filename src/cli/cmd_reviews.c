/*
** cli/cmd_reviews.c -- `skillbook reviews`: a review cycle from a people
** list.
**
**   skillbook reviews [CATALOG] --people FILE [-o DIR] [-j N] [--shard K/N]
**                     [--book all] [--mode OCTAL] [--only WHAT]
**                     [--domain ID] [--force] [--strict] [--style NAME]
**                     [--lang TAG] [--log-format text|json] [--fillable]
**   skillbook reviews --merge SHARD_DIR... --people FILE [--catalog CATALOG]
**                     [-o DIR] [same options]
**
** Reads the catalogue and the people list (cli/people.c), then runs the
** batch engine (src/batch/) with packs and books only: DIR/ID.pdf per
** person, DIR/by-reviewer/REVIEWER.pdf per reviewer, with --book all
** DIR/book/all.pdf; manifest.json (packs by key, no names), the lock,
** incremental, atomic, the batch's exit statuses. --merge joins the
** shards' packs (sb_batch_merge) and then makes the books (a run in which
** every pack is up to date).
** Tests: tests/cli/reviews.sh
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

static const char *reviews_usage =
    "usage: skillbook reviews [CATALOG] --people FILE [-o DIR] [-j N]\n"
    "                         [--shard K/N] [--book all] [--mode OCTAL]\n"
    "                         [--only mandatory|changed] [--domain ID]\n"
    "                         [--fillable]\n"
    "                         [--force] [--strict] [--style NAME] [--lang TAG]\n"
    "                         [--log-format text|json]\n"
    "       skillbook reviews --merge SHARD_DIR... --people FILE\n"
    "                         [--catalog CATALOG] [-o DIR]\n"
    "\n"
    "Writes a review pack per person of the people list (a CSV file with\n"
    "the columns name, role, level and optionally target, target_role,\n"
    "reviewer, date, team, id, only, domain) into DIR (default:\n"
    "out/reviews): DIR/ID.pdf, and a book per reviewer,\n"
    "DIR/by-reviewer/REVIEWER.pdf (with --book all also the whole cycle's,\n"
    "DIR/book/all.pdf). Packs and their folders are readable by the owner\n"
    "only (0600/0700) unless --mode says otherwise; logs name a person by\n"
    "row number (or the id column), manifest.json holds no names.\n"
    "Only what changed is rendered again. With --shard K/N only the packs\n"
    "of that shard are written; --merge joins the shard folders into DIR\n"
    "and makes the books. Exit status: 0 all written, 1 some failed, 2\n"
    "usage, 3 invalid catalogue or people list (nothing written), 4 invalid\n"
    "style, 75 another run holds DIR.\n";

/* Creates DIR, the last folder with exactly mode (a review cycle's folder
** is private). An existing DIR is left as it is. Returns 0 or -1. */
static int make_private_dir(sb_ctx *ctx, const char *dir, unsigned mode) {
  struct stat st;
  if (stat(dir, &st) == 0)
    return 0;
  if (sb_mkdirs_for(ctx, dir) != SB_OK)
    return -1;
  if (mkdir(dir, (mode_t)mode) < 0 && errno != EEXIST) {
    sb_fail(ctx, SB_E_IO, "%s: cannot create the folder: %s", dir,
            strerror(errno));
    return -1;
  }
  chmod(dir, (mode_t)mode);
  return 0;
}

static int exit_for(sb_status st) {
  int rc = sb_status_exit(st);
  return st != SB_OK && rc == 0 ? SB_EXIT_RENDER : rc;
}

int sb_cmd_reviews(int argc, char **argv) {
  const char **pos = sb_xcalloc((size_t)argc + 1, sizeof *pos);
  const char *outdir = NULL, *jobs = NULL, *shard = NULL, *logfmt = NULL;
  const char *people = NULL, *book = NULL, *mode = NULL, *only = NULL;
  const char *domain = NULL, *catalog = NULL, *style = NULL, *lang = NULL;
  int force = 0, merge = 0, strict = 0, no_tags = 0, help = 0, npos = 0, rc;
  int fillable = 0;
  const sb_opt opts[] = {
      {"people", 0, &people, NULL, "the people list (CSV)", "FILE"},
      {"output", 'o', &outdir, NULL, "output folder (default: out/reviews)",
       "DIR"},
      {"jobs", 'j', &jobs, NULL,
       "worker processes (default: the processors this process may use)",
       "N"},
      {"shard", 0, &shard, NULL,
       "write only the packs of shard K of N (no books: --merge makes them)",
       "K/N"},
      {"book", 0, &book, NULL, "all: also the whole cycle's book", "all"},
      {"mode", 0, &mode, NULL,
       "file mode of packs and books, octal (default 600; folders get x "
       "where r is set)", "OCTAL"},
      {"only", 0, &only, NULL,
       "mandatory|changed, for rows that leave the column empty",
       "WHAT"},
      {"domain", 0, &domain, NULL,
       "one domain (id or name), for rows that leave the column empty", "ID"},
      {"force", 0, NULL, &force, "render everything, changed or not", NULL},
      {"strict", 0, NULL, &strict,
       "warnings fail (catalogue, people list: exit 3; a document: it fails)",
       NULL},
      {"style", 0, &style, NULL,
       "built-in style (default, letter, ink-saver, branded) or a style file",
       "NAME"},
      {"lang", 0, &lang, NULL, "language of printed labels (BCP 47)", "TAG"},
      {"fillable", 0, NULL, &fillable, "packs with form fields to type the "
       "review on screen (docs/forms.md); 'skillbook collect' reads them",
       NULL},
      {"no-tags", 0, NULL, &no_tags, "PDFs without structure tags nor "
       "PDF/A objects", NULL},
      {"log-format", 0, &logfmt, NULL, "text (default) or json (JSON lines)",
       "FMT"},
      {"merge", 0, NULL, &merge,
       "move the packs of shard folders into DIR, then make the books", NULL},
      {"catalog", 0, &catalog, NULL, "the catalogue, with --merge", "CATALOG"},
      {NULL, 0, NULL, NULL, NULL, NULL}};
  sb_catalog *cat = NULL;
  sb_people pp;
  memset(&pp, 0, sizeof pp);
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  rc = sb_cli_parse(argc, argv, opts, pos, argc, &npos, reviews_usage, &help,
                    &ctx);
  if (rc || help)
    goto done;

  sb_batch_opts bo;
  memset(&bo, 0, sizeof bo);
  bo.outdir = outdir ? outdir : "out/reviews";
  bo.force = force;
  bo.strict = strict;
  bo.no_tags = no_tags;
  bo.style = style;
  bo.lang = lang;
  bo.datadir = sb_cli_datadir();
  bo.log = stderr;
  bo.people_dir = "";
  bo.people_only = 1;
  bo.private_mode = 0600;
  if (!people) {
    rc = sb_cli_usage_error("reviews", "--people FILE is required (a CSV "
                            "file: name, role, level, ...; see 'skillbook "
                            "reviews --help')");
    goto done;
  }
  if (!*bo.outdir) {
    rc = sb_cli_usage_error("reviews", "-o needs a folder");
    goto done;
  }
  if (logfmt && strcmp(logfmt, "json") == 0)
    bo.log_json = 1;
  else if (logfmt && strcmp(logfmt, "text") != 0) {
    rc = sb_cli_usage_error("reviews", "unknown log format '%s' (expected "
                            "text or json)", logfmt);
    goto done;
  }
  bo.progress = !bo.log_json && isatty(STDERR_FILENO);
  if (jobs && !sb_cli_parse_count(jobs, SB_CLI_JOBS_MAX, &bo.jobs)) {
    rc = sb_cli_usage_error("reviews", "-j needs a number from 1 to %d, not "
                            "'%s'", SB_CLI_JOBS_MAX, jobs);
    goto done;
  }
  if (shard && sb_batch_parse_shard(shard, &bo.shard_k, &bo.shard_n) < 0) {
    rc = sb_cli_usage_error("reviews", "--shard needs K/N with 1 <= K <= N, "
                            "not '%s'", shard);
    goto done;
  }
  if (book && strcmp(book, "all") != 0) {
    rc = sb_cli_usage_error("reviews", "--book takes 'all' (the whole "
                            "cycle's book), not '%s'", book);
    goto done;
  }
  bo.book_all = book != NULL;
  if (mode && !sb_cli_parse_mode(mode, &bo.private_mode)) {
    rc = sb_cli_usage_error("reviews", "--mode needs an octal file mode "
                            "with the owner's read and write (600, 640, "
                            "644), not '%s'", mode);
    goto done;
  }
  sb_only ronly = SB_ONLY_ALL;
  if (only && strcmp(only, "mandatory") == 0)
    ronly = SB_ONLY_MANDATORY;
  else if (only && strcmp(only, "changed") == 0)
    ronly = SB_ONLY_CHANGED;
  else if (only && strcmp(only, "all") != 0) {
    rc = sb_cli_usage_error("reviews", "--only takes mandatory or changed, "
                            "not '%s'", only);
    goto done;
  }
  if (merge && shard) {
    rc = sb_cli_usage_error("reviews", "--merge and --shard do not go "
                            "together");
    goto done;
  }
  if (merge && npos == 0) {
    rc = sb_cli_usage_error("reviews", "--merge needs the shard folders");
    goto done;
  }
  if (!merge && catalog) {
    rc = sb_cli_usage_error("reviews", "--catalog goes with --merge (else "
                            "the catalogue is the first argument)");
    goto done;
  }
  if (!merge && npos > 1) {
    rc = sb_cli_usage_error("reviews", "unexpected argument '%s'", pos[1]);
    goto done;
  }
  if (style && (rc = sb_cli_check_style("reviews", style)) != 0) {
    fprintf(stderr, "skillbook reviews: nothing written\n");
    goto done;
  }
  rc = sb_cli_load_catalog(&ctx, "reviews", merge ? catalog
                           : npos ? pos[0] : NULL, strict,
                           SB_CLI_DIAGS_SUMMARY, &cat);
  if (rc)
    goto done;
  int dom = -1;
  if (domain && (dom = sb_cli_domain_lookup(cat, domain)) < 0) {
    rc = sb_cli_unknown_id(cat, "reviews", "domain", domain);
    goto done;
  }
  rc = sb_cli_people_setup(&ctx, "reviews", people, cat, ronly, dom, strict,
                           &pp, &bo);
  if (rc)
    goto done;
  for (int i = 0; i < pp.n; i++)
    pp.p[i].rv.fillable = fillable;
  sb_cat_compute_hashes(cat); /* the input hashes; before forking */

  sb_batch_stats stats;
  sb_status st = SB_OK;
  if (make_private_dir(&ctx, bo.outdir,
                       (bo.private_mode & 0777) | ((bo.private_mode & 0444) >> 2)) < 0) {
    st = ctx.status;
  } else if (merge) {
    st = sb_batch_merge(&ctx, pos, npos, &bo, &stats);
    if (st == SB_OK)
      st = sb_batch_run(&ctx, cat, &bo, &stats); /* the books */
  } else {
    st = sb_batch_run(&ctx, cat, &bo, &stats);
  }
  rc = exit_for(st);
  if (st == SB_E_USAGE) {
    sb_cli_usage_error("reviews", "%s", ctx.errmsg);
    sb_ctx_clear_error(&ctx);
  }
  sb_cli_print_diags(&ctx, "reviews");
done:
  sb_cli_free_people(&pp);
  sb_drop_catalog(cat);
  sb_ctx_free(&ctx);
  free(pos);
  return rc;
}
