/*
** cli/cmd_handbook.c -- `skillbook handbook [CATALOG] --role ID [-o FILE]`
** and `skillbook handbook [CATALOG] --all [-o DIR] [-j N]`.
**
** Renders the career-path handbook of one role; the common options, the
** rendering and the writing are docopts.c's (as for sheet and profile).
** The default output is out/handbooks/ROLE.pdf (.png, .trace for the other
** formats) under the working directory; the path written is printed on
** stdout (nothing is printed for `-o -`).
**
** --all writes the handbook of every role, DIR/ROLE.pdf (default DIR:
** out/handbooks), each file the bytes `--role ROLE` writes. The catalogue,
** the style and the faces are loaded once, in this process; with -j N > 1
** the roles are then shared among N forked workers (role i goes to worker
** i % N), which inherit all of it copy-on-write and record each role's
** outcome in a shared page. This process then prints the paths written, in
** catalogue order, and one error per role that failed (a worker that died
** leaves its unfinished roles failed); any failure is exit 1, and every
** other role is still written.
** Tests: tests/cli/handbook.sh, tests/cli/handbook_all.sh
*/
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
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
    "expects. Default output: out/handbooks/ROLE.pdf; '-o -' writes to\n"
    "standard output.\n"
    "\n"
    "--all writes the handbook of every role of the catalogue into one\n"
    "folder: DIR/ROLE.pdf (.png, .trace), default DIR out/handbooks, each\n"
    "file the same as --role ROLE writes. The catalogue, style and fonts\n"
    "are loaded once; -j N renders the roles in N worker processes\n"
    "(default: the processors this process may use). The paths written\n"
    "are printed in catalogue order. A role that fails (or warns, with\n"
    "--strict) is reported and not written; the others are, and the exit\n"
    "status is 1.\n";

/* A role's outcome, in a page shared with the workers. */
enum { ROLE_PENDING = 0, ROLE_WRITTEN, ROLE_FAILED };

typedef struct all_job {
  const sb_catalog *cat;
  const sb_doc_opts *d;
  sb_doc_format fmt;
  const sb_doc_shared *sh;
  sb_limits limits;
  char **paths;           /* per role: DIR/ROLE.EXT */
  volatile char *state;   /* per role: ROLE_*, shared with the workers */
} all_job;

/* "handbook --role ID": how messages about one role of --all name it, so
** that a line reads as the command that would redo it. */
static void role_cmd(char *buf, size_t n, const char *id) {
  snprintf(buf, n, "handbook --role %s", id);
}

/* Renders and writes the roles k, k + n, k + 2n, ... of the catalogue,
** printing each role's diagnostics as they come. Returns the number that
** failed. */
static int render_share(all_job *J, int k, int n) {
  int failed = 0;
  for (int i = k; i < J->cat->nroles; i += n) {
    sb_ctx c;
    sb_render_req req;
    char cmd[96];
    sb_ctx_init(&c);
    c.limits = J->limits;
    memset(&req, 0, sizeof req);
    req.kind = SB_DOC_HANDBOOK;
    req.cat = J->cat;
    req.role = i;
    req.skill = -1;
    sb_cli_doc_req(&req, J->d, J->fmt);
    sb_status s =
        sb_cli_doc_render_file(&c, &req, J->sh, J->d->strict, J->paths[i]);
    role_cmd(cmd, sizeof cmd, J->cat->roles[i].id);
    sb_cli_print_diags(&c, cmd);
    J->state[i] = s ? ROLE_FAILED : ROLE_WRITTEN;
    failed += s != SB_OK;
    sb_ctx_free(&c);
  }
  return failed;
}

/* Renders every role with nw workers (1 = in this process) and waits for
** them. A worker that cannot be started has its share rendered here. */
static void run_workers(all_job *J, int nw) {
  if (nw <= 1) {
    render_share(J, 0, 1);
    return;
  }
  pid_t *pid = sb_xcalloc((size_t)nw, sizeof *pid);
  fflush(NULL); /* nothing buffered is written twice */
  for (int k = 0; k < nw; k++) {
    pid[k] = fork();
    if (pid[k] == 0) {
      int failed = render_share(J, k, nw);
      fflush(NULL);
      _exit(failed ? SB_EXIT_RENDER : SB_EXIT_OK);
    }
    if (pid[k] < 0)
      fprintf(stderr, "skillbook handbook: warning: cannot start worker "
                      "%d (%s); its roles are rendered by the main "
                      "process\n", k + 1, strerror(errno));
  }
  for (int k = 0; k < nw; k++)
    if (pid[k] < 0) render_share(J, k, nw);
  for (int k = 0; k < nw; k++) {
    int ws = 0;
    if (pid[k] <= 0) continue;
    while (waitpid(pid[k], &ws, 0) < 0 && errno == EINTR)
      ;
    /* a worker that died (a crash, the OOM killer) leaves its unfinished
    ** roles pending; say why, once per role */
    for (int i = k; i < J->cat->nroles; i += nw) {
      if (J->state[i] != ROLE_PENDING) continue;
      char cmd[96];
      role_cmd(cmd, sizeof cmd, J->cat->roles[i].id);
      if (WIFSIGNALED(ws))
        fprintf(stderr, "skillbook %s: error: not written: its worker was "
                        "killed by signal %d\n", cmd, WTERMSIG(ws));
      else
        fprintf(stderr, "skillbook %s: error: not written: its worker "
                        "exited with status %d\n", cmd, WEXITSTATUS(ws));
      J->state[i] = ROLE_FAILED;
    }
  }
  free(pid);
}

/* `handbook --all`: the options are checked; loads, renders, reports.
** Returns the exit status. */
static int handbook_all(sb_ctx *ctx, const char *catpath, const sb_doc_opts *d,
                        sb_doc_format fmt, const char *outdir, int jobs) {
  sb_catalog *cat = NULL;
  sb_doc_shared sh;
  all_job J;
  struct stat st;
  int rc;
  memset(&sh, 0, sizeof sh);
  memset(&J, 0, sizeof J);
  if (stat(outdir, &st) == 0 && !S_ISDIR(st.st_mode))
    return sb_cli_usage_error("handbook", "%s: not a folder (with --all, -o "
                              "names the folder of the handbooks)", outdir);
  rc = sb_cli_load_catalog(ctx, "handbook", catpath, d->strict, &cat);
  if (rc) return rc;
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
  J.d = d;
  J.fmt = fmt;
  J.sh = &sh;
  J.limits = ctx->limits;
  J.paths = sb_xcalloc((size_t)n + 1, sizeof *J.paths);
  for (int i = 0; i < n; i++) {
    size_t len = dl + strlen(cat->roles[i].id) + strlen(ext) + 3;
    J.paths[i] = sb_xmalloc(len);
    snprintf(J.paths[i], len, "%s%s%s.%s", outdir, sep, cat->roles[i].id,
             ext);
  }
  size_t mapn = (size_t)n + 1;
  void *map = mmap(NULL, mapn, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  char *heap = NULL;
  if (map == MAP_FAILED) {
    map = NULL;
    jobs = 1; /* no shared page: render here */
    J.state = heap = sb_xcalloc(mapn, 1);
  } else {
    J.state = map;
  }
  if (jobs > n)
    jobs = n;
  /* a PDF's pages are deflated by a helper thread only when the workers
  ** leave a processor free for it (device.h) */
  sb_pdf_set_threads(jobs < sb_cpu_count());
  run_workers(&J, jobs);

  int failed = 0;
  for (int i = 0; i < n; i++) {
    if (J.state[i] == ROLE_WRITTEN)
      printf("%s\n", J.paths[i]);
    else
      failed++;
  }
  if (failed) {
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
  if (map) munmap(map, mapn);
  free(heap);
  for (int i = 0; i < n; i++) free(J.paths[i]);
  free(J.paths);
done:
  sb_cli_doc_unload(&sh);
  sb_drop_catalog(cat);
  return rc;
}

/* -j N: 1 to 4096, as for the batch. */
static int parse_jobs(const char *s, int *jobs) {
  char *end;
  long j;
  if (!s || *s < '0' || *s > '9') return 0;
  errno = 0;
  j = strtol(s, &end, 10);
  if (errno || *end || j < 1 || j > 4096) return 0;
  *jobs = (int)j;
  return 1;
}

int sb_cmd_handbook(int argc, char **argv) {
  const char *pos[1];
  const char *role_id = NULL, *outpath = NULL, *jobs_s = NULL;
  int all = 0, jobs = 0;
  sb_doc_opts d;
  memset(&d, 0, sizeof d);
  int help = 0, npos = 0, rc;
  const sb_opt opts[] = {
      {"role", 0, &role_id, NULL, "the role (id, see 'skillbook list roles')",
       "ID"},
      {"all", 0, NULL, &all, "every role, DIR/ROLE.pdf for each", NULL},
      {"output", 'o', &outpath, NULL,
       "output file ('-' = standard output); --all: folder", "PATH"},
      {"jobs", 'j', &jobs_s, NULL,
       "--all: worker processes (default: the processors)", "N"},
      SB_DOC_OPTS(d),
      {NULL, 0, NULL, NULL, NULL, NULL}};
  sb_catalog *cat = NULL;
  char *defpath = NULL;
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  rc = sb_cli_parse(argc, argv, opts, pos, 1, &npos, handbook_usage, &help,
                    &ctx);
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
  if (jobs_s && !parse_jobs(jobs_s, &jobs)) {
    rc = sb_cli_usage_error("handbook", "-j needs a number from 1 to 4096, "
                            "not '%s'", jobs_s);
    goto done;
  }
  if (all && outpath && (strcmp(outpath, "-") == 0 || !*outpath)) {
    rc = sb_cli_usage_error("handbook", "--all writes one file per role: -o "
                            "needs a folder, not '%s'", outpath);
    goto done;
  }
  sb_doc_format fmt;
  if ((rc = sb_cli_doc_check("handbook", &d, &fmt))) goto done;
  if (all) {
    rc = handbook_all(&ctx, npos ? pos[0] : NULL, &d, fmt,
                      outpath ? outpath : "out/handbooks",
                      jobs ? jobs : sb_cpu_count());
    goto done;
  }
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
  sb_cli_doc_req(&req, &d, fmt);
  size_t n = strlen(role->id) + 32;
  defpath = sb_xmalloc(n);
  snprintf(defpath, n, "out/handbooks/%s", role->id);
  rc = sb_cli_doc_write(&ctx, "handbook", &req, d.strict, outpath, defpath);
done:
  free(defpath);
  sb_drop_catalog(cat);
  sb_ctx_free(&ctx);
  return rc;
}
