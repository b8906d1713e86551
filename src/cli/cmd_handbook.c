/*
** cli/cmd_handbook.c -- `skillbook handbook [CATALOG] --role ID [-o FILE]`
** and `skillbook handbook [CATALOG] --all [-o DIR] [-j N]`.
**
** Renders the career-path handbook of one role; the common options, the
** rendering and the writing are docopts.c's (as for sheet and profile).
** The default output is out/handbooks/ROLE.pdf (.trace for a trace) under
** the working directory, the batch's path; another style or language, or
** a PNG (ROLE+p1.png: the batch's thumbnail is ROLE.png), gets a path of
** its own (sb_cli_doc_defpath); the path written is printed on stdout
** (nothing is printed for `-o -`).
**
** --all writes the handbook of every role, DIR/ROLE.pdf (default DIR:
** out/handbooks, or out/handbooks+style-NAME... as above), each file the bytes `--role ROLE` writes. The catalogue,
** the style and the faces are loaded once, in this process; the roles are
** then rendered on the batch's worker pool (sb_batch_pool, batch.h): N
** forked workers that inherit all of it copy-on-write, take one role at a
** time, die with this process (a kill -9 leaves no writer behind), and are
** killed on SIGTERM, SIGINT or SIGHUP (exit 1; the temporary files of the
** roles not written are removed). This process then prints the paths
** written, in catalogue order, and one error per role that failed (a
** worker that died fails the role it held); any failure is exit 1, and
** every other role is still written. More roles than the documents limit
** (--limit documents=N) is exit 3 before anything is written.
** --since OLD ends each handbook with "Changes since VERSION" (that
** role's changes against the older catalogue OLD; docs/changes.c).
** Tests: tests/cli/handbook.sh, tests/cli/handbook_all.sh, tests/cli/diff.sh
*/
#define _DEFAULT_SOURCE /* dirfd */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/docopts.h"
#include "skillbook/batch.h"
#include "skillbook/device.h"

static const char *handbook_usage =
    "usage: skillbook handbook [CATALOG] --role ID [-o FILE] [options]\n"
    "       skillbook handbook [CATALOG] --all [-o DIR] [-j N] [options]\n"
    "\n"
    "Writes the career-path handbook of a role: cover, contents, and one\n"
    "section per skill where the role appears, with what each level\n"
    "expects. Default output: out/handbooks/ROLE.pdf (another style,\n"
    "language or a PNG: ROLE+style-NAME.pdf, ROLE+p1.png...); '-o -'\n"
    "writes to standard output; -o x.png or x.trace writes that format.\n"
    "\n"
    "--all writes the handbook of every role of the catalogue into one\n"
    "folder: DIR/ROLE.pdf (.png, .trace), default DIR out/handbooks, each\n"
    "file the same as --role ROLE writes. The catalogue, style and fonts\n"
    "are loaded once; -j N renders the roles in N worker processes\n"
    "(default: the processors this process may use). The paths written\n"
    "are printed in catalogue order. A role that fails (or warns, with\n"
    "--strict) is reported and not written; the others are, and the exit\n"
    "status is 1. With --all, -o names a folder: an existing file, or a\n"
    "name ending in .pdf, .png or .trace, is refused.\n"
    "\n"
    "--since OLD (an older version of the catalogue) ends each handbook\n"
    "with the appendix \"Changes since VERSION\": that role's changes only\n"
    "('skillbook diff OLD' shows them all).\n";

/* A role's outcome, as sb_batch_pool reports it in this process. */
enum { ROLE_PENDING = 0, ROLE_WRITTEN, ROLE_FAILED };

typedef struct all_job {
  const sb_catalog *cat;
  const sb_catalog *old;  /* --since: the older version, or NULL */
  const sb_doc_opts *d;
  sb_doc_format fmt;
  const sb_doc_shared *sh;
  sb_pdf_threads pdf_threads; /* the pdf device's helper thread */
  char **paths;           /* per role: DIR/ROLE.EXT */
  char *state;            /* per role: ROLE_* */
} all_job;

/* "handbook --role ID": how messages about one role of --all name it, so
** that a line reads as the command that would redo it. */
static void role_cmd(char *buf, size_t n, const char *id) {
  snprintf(buf, n, "handbook --role %s", id);
}

/* One job of the pool, in a worker: renders and writes role i, printing
** its diagnostics. */
static sb_status render_role(sb_ctx *c, void *arg, int i) {
  all_job *J = arg;
  sb_render_req req;
  char cmd[96];
  memset(&req, 0, sizeof req);
  req.kind = SB_DOC_HANDBOOK;
  req.cat = J->cat;
  req.old = J->old;
  req.role = i;
  req.skill = -1;
  sb_cli_doc_req(&req, J->d, J->fmt);
  req.pdf.threads = J->pdf_threads;
  sb_status s =
      sb_cli_doc_render_file(c, &req, J->sh, J->d->strict, J->paths[i]);
  role_cmd(cmd, sizeof cmd, J->cat->roles[i].id);
  sb_cli_print_diags(c, cmd);
  fflush(NULL);
  return s;
}

/* In this process, as each role ends; msg is why, when the role's worker
** could not say it itself (it died, or the run was stopped). */
static void role_done(void *arg, int i, sb_status st, const char *msg) {
  all_job *J = arg;
  J->state[i] = st == SB_OK ? ROLE_WRITTEN : ROLE_FAILED;
  if (msg) {
    char cmd[96];
    role_cmd(cmd, sizeof cmd, J->cat->roles[i].id);
    fprintf(stderr, "skillbook %s: error: %s%s\n", cmd,
            strncmp(msg, "not written", 11) == 0 ? "" : "not written: ", msg);
  }
}

/* Removes the temporary files a killed worker may have left beside the
** roles that were not written: ".sbtmp-ROLE.EXT-*" in the folder. */
static void sweep_role_temps(all_job *J, const char *outdir) {
  DIR *dir = opendir(outdir);
  struct dirent *de;
  if (!dir) return;
  while ((de = readdir(dir)) != NULL) {
    if (strncmp(de->d_name, ".sbtmp-", 7) != 0) continue;
    for (int i = 0; i < J->cat->nroles; i++) {
      if (J->state[i] == ROLE_WRITTEN) continue;
      const char *slash = strrchr(J->paths[i], '/');
      const char *base = slash ? slash + 1 : J->paths[i];
      size_t bl = strlen(base);
      if (strncmp(de->d_name + 7, base, bl) == 0 && de->d_name[7 + bl] == '-' &&
          strlen(de->d_name + 8 + bl) == 6) {
        unlinkat(dirfd(dir), de->d_name, 0);
        break;
      }
    }
  }
  closedir(dir);
}

/* `handbook --all`: the options are checked; loads, renders, reports.
** Returns the exit status. */
static int handbook_all(sb_ctx *ctx, const char *catpath, const sb_doc_opts *d,
                        sb_doc_format fmt, const char *outdir, int jobs,
                        const char *since) {
  sb_catalog *cat = NULL, *old = NULL;
  sb_doc_shared sh;
  all_job J;
  struct stat st;
  int rc;
  memset(&sh, 0, sizeof sh);
  memset(&J, 0, sizeof J);
  if (stat(outdir, &st) == 0 && !S_ISDIR(st.st_mode))
    return sb_cli_usage_error("handbook", "%s: not a folder (with --all, -o "
                              "names the folder of the handbooks)", outdir);
  rc = sb_cli_load_catalog(ctx, "handbook", catpath, d->strict,
                           SB_CLI_DIAGS_SUMMARY, &cat);
  if (rc) return rc;
  if (since && (rc = sb_cli_load_catalog(ctx, "handbook", since, 0,
                                         SB_CLI_DIAGS_SUMMARY, &old)))
    goto done;
  if ((size_t)cat->nroles > ctx->limits.documents) {
    fprintf(stderr, "skillbook handbook: error: --all makes %d handbooks, "
                    "more than the limit of %zu (raise it with --limit "
                    "documents=N); nothing written\n", cat->nroles,
            ctx->limits.documents);
    rc = SB_EXIT_CATALOG;
    goto done;
  }
  /* style, labels and faces once; a bad one is exit 4 with nothing
  ** written, as for one handbook */
  sb_status s = sb_cli_doc_preload(ctx, d, cat, &sh);
  if (!s && d->strict && ctx->nwarnings > 0) {
    sb_cli_print_diags(ctx, "handbook");
    fprintf(stderr, "skillbook handbook: error: %zu warning(s) and --strict; "
                    "nothing written\n", ctx->nwarnings);
    rc = SB_EXIT_CATALOG;
    goto done;
  }
  sb_cli_print_diags(ctx, "handbook");
  if (s) {
    rc = sb_cli_render_exit(s);
    goto done;
  }
  sb_ctx_free(ctx); /* printed; keeps the limits */

  int n = cat->nroles;
  size_t dl = strlen(outdir);
  const char *sep = dl && outdir[dl - 1] == '/' ? "" : "/";
  const char *ext = sb_cli_doc_ext(fmt);
  J.cat = cat;
  J.old = old;
  J.d = d;
  J.fmt = fmt;
  J.sh = &sh;
  J.paths = sb_xcalloc((size_t)n + 1, sizeof *J.paths);
  J.state = sb_xcalloc((size_t)n + 1, 1);
  for (int i = 0; i < n; i++) {
    size_t len = dl + strlen(cat->roles[i].id) + strlen(ext) + 3;
    J.paths[i] = sb_xmalloc(len);
    snprintf(J.paths[i], len, "%s%s%s.%s", outdir, sep, cat->roles[i].id,
             ext);
  }
  if (jobs > n)
    jobs = n;
  /* a PDF's pages are deflated by a helper thread only when the workers
  ** leave a processor free for it (device.h) */
  J.pdf_threads = jobs < sb_cpu_count() ? SB_PDF_THREADS_ON
                                         : SB_PDF_THREADS_OFF;
  /* the batch's pool: workers die with this process, SIGTERM/SIGINT/SIGHUP
  ** stop them, a worker that dies fails one role */
  sb_batch_pool_opts po;
  memset(&po, 0, sizeof po);
  po.njobs = n;
  po.names = (const char *const *)J.paths;
  po.workers = jobs;
  po.fn = render_role;
  po.report = role_done;
  po.arg = &J;
  s = sb_batch_pool(ctx, &po);
  if (s) sweep_role_temps(&J, outdir);

  int failed = 0;
  for (int i = 0; i < n; i++) {
    if (J.state[i] == ROLE_WRITTEN)
      printf("%s\n", J.paths[i]);
    else
      failed++;
  }
  if (s) {
    /* stopped (a signal): no list of the roles never started */
    fflush(stdout);
    fprintf(stderr, "skillbook handbook: error: %s; %d of %d handbook%s "
                    "written\n", ctx->errmsg, n - failed, n,
            n == 1 ? "" : "s");
    sb_ctx_clear_error(ctx);
  } else if (failed) {
    fflush(stdout);
    fprintf(stderr, "skillbook handbook: error: %d of %d handbook%s failed "
                    "(", failed, n, n == 1 ? "" : "s");
    int shown = 0;
    for (int i = 0; i < n; i++)
      if (J.state[i] != ROLE_WRITTEN && shown++ < 10)
        fprintf(stderr, "%s%s", shown > 1 ? ", " : "", cat->roles[i].id);
    fprintf(stderr, "%s)%s\n", shown > 10 ? ", ..." : "",
            failed < n ? "; the others were written" : "");
    rc = SB_EXIT_RENDER;
  }
  if (s) rc = SB_EXIT_RENDER;
  free(J.state);
  for (int i = 0; i < n; i++) free(J.paths[i]);
  free(J.paths);
done:
  sb_cli_doc_unload(&sh);
  sb_drop_catalog(cat);
  sb_drop_catalog(old);
  return rc;
}

int sb_cmd_handbook(int argc, char **argv) {
  const char *role_id = NULL, *outpath = NULL, *jobs_s = NULL, *since = NULL;
  int all = 0, jobs = 0;
  sb_doc_opts d;
  int help = 0, rc;
  const sb_opt opts[] = {
      {"role", 0, &role_id, NULL, "the role (id, see 'skillbook list roles')",
       "ID"},
      {"all", 0, NULL, &all, "every role, DIR/ROLE.pdf for each", NULL},
      {"output", 'o', &outpath, NULL,
       "output file ('-' = standard output); --all: folder", "PATH"},
      {"jobs", 'j', &jobs_s, NULL,
       "--all: worker processes (default: the processors)", "N"},
      {"since", 0, &since, NULL,
       "end with the appendix 'Changes since' this older catalogue", "OLD"},
      {NULL, 0, NULL, NULL, NULL, NULL}};
  sb_catalog *cat = NULL, *old = NULL;
  char *defpath = NULL;
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  rc = sb_cli_doc_parse(&ctx, argc, argv, opts, handbook_usage, &d, &help);
  if (rc || help) goto done;
  if (all && role_id) {
    rc = sb_cli_usage_error("handbook", "--all and --role do not go together "
                            "(--all writes every role)");
    goto done;
  }
  if (!role_id && !all) {
    rc = sb_cli_usage_error("handbook", "--role ID or --all is required (see "
                            "'skillbook list roles')");
    goto done;
  }
  if (jobs_s && !all) {
    rc = sb_cli_usage_error("handbook", "-j applies to --all only");
    goto done;
  }
  if (jobs_s && !sb_cli_parse_count(jobs_s, SB_CLI_JOBS_MAX, &jobs)) {
    rc = sb_cli_usage_error("handbook", "-j needs a number from 1 to %d, "
                            "not '%s'", SB_CLI_JOBS_MAX, jobs_s);
    goto done;
  }
  if (all && outpath && (strcmp(outpath, "-") == 0 || !*outpath)) {
    rc = sb_cli_usage_error("handbook", "--all writes one file per role: -o "
                            "needs a folder, not '%s'", outpath);
    goto done;
  }
  struct stat ost;
  if (all && outpath && sb_cli_ext_format(outpath) &&
      !(stat(outpath, &ost) == 0 && S_ISDIR(ost.st_mode))) {
    rc = sb_cli_usage_error("handbook", "--all writes one file per role "
                            "into a folder: -o %s names a .%s file (give a "
                            "folder, or --role ID -o FILE for one role)",
                            outpath, sb_cli_ext_format(outpath));
    goto done;
  }
  if (!all) d.output = outpath;
  sb_doc_format fmt;
  if (all) {
    /* handbook_all loads the catalogue once the folder is checked */
    if ((rc = sb_cli_doc_check("handbook", &d, &fmt))) goto done;
    /* out/handbooks is the batch's: another style, language or a PNG
    ** export gets a folder of its own (out/handbooks+style-NAME...) */
    char *defdir = sb_cli_doc_defpath("out/handbooks", &d, NULL, fmt, NULL,
                                      0);
    char *outdir = sb_cli_clean_path(outpath ? outpath : defdir, 0);
    free(defdir);
    rc = handbook_all(&ctx, d.catalog, &d, fmt, outdir,
                      jobs ? jobs : sb_cpu_count(), since);
    free(outdir);
    goto done;
  }
  /* one role's handbook prints that role's expectations only; the
  ** appendix of --since compares every text */
  if (!since) d.texts_role = role_id;
  if ((rc = sb_cli_doc_load(&ctx, "handbook", &d, &fmt, &cat))) goto done;
  const sb_role *role = sb_cat_role_lookup(cat, role_id);
  if (!role) {
    rc = sb_cli_unknown_id(cat, "handbook", "role", role_id);
    goto done;
  }
  if (since && (rc = sb_cli_load_catalog(&ctx, "handbook", since, 0,
                                         SB_CLI_DIAGS_SUMMARY, &old)))
    goto done;
  sb_render_req req;
  memset(&req, 0, sizeof req);
  req.kind = SB_DOC_HANDBOOK;
  req.cat = cat;
  req.old = old;
  req.role = role->index;
  req.skill = -1;
  sb_cli_doc_req(&req, &d, fmt);
  size_t n = strlen(role->id) + 32;
  char *stem = sb_xmalloc(n);
  snprintf(stem, n, "out/handbooks/%s", role->id);
  defpath = sb_cli_doc_defpath(stem, &d, cat->lang, fmt, NULL, 0);
  free(stem);
  rc = sb_cli_doc_write(&ctx, "handbook", &req, d.strict, outpath, defpath);
done:
  sb_cli_early_end(); /* the style and faces' helper (early.c) */
  free(defpath);
  sb_drop_catalog(cat);
  sb_drop_catalog(old);
  sb_ctx_free(&ctx);
  return rc;
}
