/*
** batch/pool.c -- the worker pool: forked workers, one job at a time.
**
** Used by the batch (sb_batch_work, from run.c) and by other commands
** (sb_batch_pool, batch.h: handbook --all). Workers are forked after the
** caller has loaded everything, so they share the model copy-on-write.
** Each worker has its own job pipe and result pipe: the parent hands out
** one document index at a time to an idle worker (a queue that balances
** itself), and always knows which document a worker holds, so a worker
** that dies (a crash, an OOM kill) is one failed document, reported, and
** a fresh worker takes its place.
** Workers close the lock descriptor right after fork, ask for SIGKILL
** when the parent dies (PR_SET_PDEATHSIG) and check getppid() after that,
** so that a killed batch leaves no stale lock and no stray writer.
** SIGTERM, SIGINT and SIGHUP (sb_batch_signals_on) stop the pool: the
** workers are killed and the caller cleans up.
** Tests: tests/cli/batch.sh, tests/cli/handbook_all.sh
*/
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "batch/batch-imp.h"
#include "skillbook/device.h"

/* ==== Signals ==== */

static volatile sig_atomic_t got_signal;
static int sig_pipe[2] = {-1, -1};

static void on_signal(int sig) {
  int e = errno;
  if (!got_signal)
    got_signal = sig;
  if (sig_pipe[1] >= 0) {
    ssize_t w = write(sig_pipe[1], "s", 1);
    (void)w;
  }
  errno = e;
}

static const int caught[] = {SIGTERM, SIGINT, SIGHUP};

static const char *sig_name(int sig) {
  return sig == SIGTERM ? "SIGTERM" : sig == SIGINT ? "SIGINT"
         : sig == SIGHUP ? "SIGHUP" : "a signal";
}
#define NCAUGHT ((int)(sizeof caught / sizeof *caught))

typedef struct sigsave {
  struct sigaction old[NCAUGHT];
  struct sigaction oldpipe;
} sigsave;

static void install_signals(sigsave *sv) {
  got_signal = 0;
  if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
    sig_pipe[0] = sig_pipe[1] = -1;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (int i = 0; i < NCAUGHT; i++)
    sigaction(caught[i], &sa, &sv->old[i]);
  /* a worker that died must not kill us when we write its next job */
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, &sv->oldpipe);
}

static void restore_signals(sigsave *sv) {
  for (int i = 0; i < NCAUGHT; i++)
    sigaction(caught[i], &sv->old[i], NULL);
  sigaction(SIGPIPE, &sv->oldpipe, NULL);
  for (int i = 0; i < 2; i++)
    if (sig_pipe[i] >= 0) {
      close(sig_pipe[i]);
      sig_pipe[i] = -1;
    }
}

/* ==== Workers ==== */

/* What a worker reports for one document; fixed size, below PIPE_BUF. */
typedef struct wresult {
  int32_t idx;
  int32_t status;       /* sb_status */
  int32_t pages, ms;
  int64_t bytes, thumb_bytes;
  int32_t thumb_w, thumb_h;
  sb_fstamp stamp, thumb_stamp; /* of the files just written */
  char sha[65], thumb_sha[65];
  char msg[300];        /* why it failed, or the first warning */
  int32_t printed;      /* a pool job printed its own diagnostics */
} wresult;

typedef struct worker {
  pid_t pid;
  int jobfd, resfd;     /* parent's ends; -1 when closed */
  int busy;             /* document index held, -1 when idle */
} worker;

typedef struct runner {
  const sb_batch_opts *opts;
  sb_plan *plan;
  sb_batch_render *render;
  sb_limits limits;
  int lockfd;
  pid_t parent;
  worker *w;
  int nw;
  const sb_batch_pool_opts *pool; /* set: jobs of sb_batch_pool, not the
                                  ** batch's documents */
} runner;

/* Reads exactly n bytes; returns n, 0 at end of file, -1 on error or a
** short read before end of file. */
static ssize_t read_full(int fd, void *p, size_t n) {
  char *c = p;
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, c + got, n - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return -1;
    if (r == 0)
      return got == 0 ? 0 : -1;
    got += (size_t)r;
  }
  return (ssize_t)n;
}

/* Copies a message, cut to fit (pipe messages have a fixed size). */
static void copy_msg(char *dst, size_t cap, const char *src) {
  size_t n = src ? strlen(src) : 0;
  if (n >= cap)
    n = cap - 1;
  if (n)
    memcpy(dst, src, n);
  dst[n] = '\0';
}

/* Test hooks (docs/batch.md; set only in the test build, sb_hooks): make
** one document fail, or crash its worker, or slow every document down so
** that tests can kill a run midway. */
static int hook_is(const char *want, const char *path) {
  return want && strcmp(want, path) == 0;
}

/* Replaces every occurrence of what (when non-empty) in msg by with. */
static void scrub(char *msg, size_t cap, const char *what, const char *with) {
  size_t wn = what ? strlen(what) : 0, rn = strlen(with);
  if (wn == 0)
    return;
  char *p = msg;
  while ((p = strstr(p, what)) != NULL) {
    size_t tail = strlen(p + wn);
    if ((size_t)(p - msg) + rn + tail + 1 > cap)
      tail = cap - 1 - (size_t)(p - msg) - rn;
    memmove(p + rn, p + wn, tail);
    p[rn + tail] = '\0';
    memcpy(p, with, rn);
    p += rn;
  }
}

/* A private document's message holds no name: its path, and every name
** of the people it shows, are replaced (docs/batch.md, "Review cycles"). */
static void scrub_private(runner *R, const sb_bdoc *d, char *msg,
                          size_t cap) {
  const sb_batch_person *pp = R->opts->people;
  scrub(msg, cap, d->e.path, d->e.logname ? d->e.logname : "(private)");
  scrub(msg, cap, d->title, "(the reviewer)");
  if (d->person >= 0) {
    scrub(msg, cap, pp[d->person].rv.person, "(the person)");
    scrub(msg, cap, pp[d->person].rv.reviewer, "(the reviewer)");
    scrub(msg, cap, pp[d->person].rv.id, "(the id)");
  }
  for (int i = 0; i < d->nmembers; i++) {
    scrub(msg, cap, pp[d->members[i]].rv.person, "(a person)");
    scrub(msg, cap, pp[d->members[i]].rv.reviewer, "(the reviewer)");
    scrub(msg, cap, pp[d->members[i]].rv.id, "(an id)");
  }
}

static void render_one(runner *R, int idx, wresult *res) {
  const sb_bdoc *d = &R->plan->docs[idx];
  sb_ctx c;
  sb_buf pdf, png;
  double t0 = sb_batch_now_ms();
  sb_status st = SB_OK;
  int pages = 0;

  memset(res, 0, sizeof *res);
  res->idx = idx;
  sb_ctx_init(&c);
  c.limits = R->limits;
  c.quiet = 1;
  sb_buf_init(&pdf);
  sb_buf_init(&png);
  if (sb_hooks && sb_hooks->delay_ms > 0) {
    struct timespec ts = {sb_hooks->delay_ms / 1000,
                          (sb_hooks->delay_ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
  }
  if (sb_hooks && hook_is(sb_hooks->crash_doc, d->e.path)) {
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    abort();
  }
  if (sb_hooks && hook_is(sb_hooks->fail_doc, d->e.path)) {
    st = sb_fail(&c, SB_E_RENDER, "failure injected by SKILLBOOK_FAIL_DOC");
    goto done;
  }
  if (R->pool) {
    st = R->pool->fn(&c, R->pool->arg, idx);
    res->printed = 1;
    goto done;
  }
  st = sb_batch_render_doc(&c, R->render, d, R->opts->people, &pdf, &pages,
                           d->e.thumb ? &png : NULL);
  if (st == SB_OK && R->opts->strict && c.nwarnings > 0) {
    const char *first = "";
    for (size_t i = 0; i < c.ndiags; i++)
      if (c.diags[i].sev == SB_SEV_WARNING) {
        first = c.diags[i].msg;
        break;
      }
    st = sb_fail(&c, SB_E_RENDER, "%zu warning(s) and --strict: %s",
                 c.nwarnings, first);
  }
  if (st != SB_OK)
    goto done;
  /* Both files are made in memory first, so a failure leaves neither
  ** half-replaced; each is then replaced atomically. No fsync per file:
  ** sb_batch_work syncs the file system once, after the last document and
  ** before the manifest that lists them is committed (docs/batch.md, step
  ** 6). An fsync each was 2 of every document's 3 blocking waits and
  ** ~6 % of a worker's CPU. */
  if (d->e.priv) {
    /* packs and books: 0600 in 0700 folders, whatever the umask */
    unsigned fm = R->opts->private_mode ? R->opts->private_mode : 0600;
    st = sb_batch_write_mode(&c, R->opts->outdir, d->e.path, pdf.p, pdf.n,
                             &res->stamp, fm, sb_batch_dir_mode(fm), 0);
  } else {
    st = sb_batch_write_mode(&c, R->opts->outdir, d->e.path, pdf.p, pdf.n,
                             &res->stamp, 0, 0, 0);
  }
  if (st != SB_OK)
    goto done;
  sb_sha256_hex(pdf.p, pdf.n, res->sha);
  res->bytes = (int64_t)pdf.n;
  res->pages = pages;
  if (d->e.thumb) {
    st = sb_batch_write_mode(&c, R->opts->outdir, d->e.thumb, png.p, png.n,
                             &res->thumb_stamp, 0, 0, 0);
    if (st != SB_OK)
      goto done;
    sb_sha256_hex(png.p, png.n, res->thumb_sha);
    res->thumb_bytes = (int64_t)png.n;
    /* the size from the PNG header (IHDR), for the index's layout */
    const unsigned char *u = (const unsigned char *)png.p;
    if (png.n >= 24 && memcmp(u, "\x89PNG", 4) == 0) {
      res->thumb_w = (int32_t)((u[16] << 24) | (u[17] << 16) | (u[18] << 8) | u[19]);
      res->thumb_h = (int32_t)((u[20] << 24) | (u[21] << 16) | (u[22] << 8) | u[23]);
    }
  }
  for (size_t i = 0; i < c.ndiags; i++)
    if (c.diags[i].sev == SB_SEV_WARNING) {
      copy_msg(res->msg, sizeof res->msg, c.diags[i].msg);
      break;
    }
done:
  res->status = st;
  if (st != SB_OK)
    copy_msg(res->msg, sizeof res->msg,
             c.errmsg[0] ? c.errmsg : sb_status_str(st));
  if (d->e.priv && !R->pool)
    scrub_private(R, d, res->msg, sizeof res->msg);
  res->ms = (int32_t)(sb_batch_now_ms() - t0 + 0.5);
  sb_buf_free(&pdf);
  sb_buf_free(&png);
  sb_ctx_free(&c);
}

static void worker_main(runner *R, int jobfd, int resfd) {
  for (;;) {
    int32_t idx;
    if (read_full(jobfd, &idx, sizeof idx) != (ssize_t)sizeof idx)
      _exit(0);
    if (getppid() != R->parent)
      _exit(1);
    if (idx < 0 || idx >= R->plan->n)
      _exit(1);
    wresult res;
    render_one(R, idx, &res);
    if (sb_write_full(resfd, &res, sizeof res) < 0)
      _exit(1);
  }
}

static void close_fd(int *fd) {
  if (*fd >= 0) {
    close(*fd);
    *fd = -1;
  }
}

/* Starts worker slot i. Returns 0, or -1 when fork or pipe fails. */
static int spawn(runner *R, int i) {
  int jp[2], rp[2];
  if (pipe2(jp, O_CLOEXEC) < 0)
    return -1;
  if (pipe2(rp, O_CLOEXEC) < 0) {
    close(jp[0]);
    close(jp[1]);
    return -1;
  }
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &old);
  pid_t pid = fork();
  if (pid == 0) {
    /* The child. First drop the lock: flock locks belong to the open file,
    ** which this copy of the descriptor would keep alive. */
    if (R->lockfd >= 0)
      close(R->lockfd);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != R->parent)
      _exit(1);
    /* Ctrl-C or a SIGTERM to the whole process group is the parent's to
    ** handle: it kills the workers itself (SIGKILL), and PDEATHSIG covers
    ** its death. A worker that died of SIGINT first would be reported as
    ** a failed document. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    for (int k = 0; k < NCAUGHT; k++)
      sigaction(caught[k], &sa, NULL);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGPIPE, &sa, NULL);
    close_fd(&sig_pipe[0]);
    close_fd(&sig_pipe[1]);
    for (int k = 0; k < R->nw; k++) {
      close_fd(&R->w[k].jobfd);
      close_fd(&R->w[k].resfd);
    }
    close(jp[1]);
    close(rp[0]);
    sigprocmask(SIG_SETMASK, &old, NULL);
    worker_main(R, jp[0], rp[1]);
    _exit(0);
  }
  int e = errno;
  sigprocmask(SIG_SETMASK, &old, NULL);
  close(jp[0]);
  close(rp[1]);
  if (pid < 0) {
    close(jp[1]);
    close(rp[0]);
    errno = e;
    return -1;
  }
  R->w[i].pid = pid;
  R->w[i].jobfd = jp[1];
  R->w[i].resfd = rp[0];
  R->w[i].busy = -1;
  return 0;
}

static void reap(worker *w, int *wstatus) {
  int s = 0;
  if (w->pid > 0) {
    while (waitpid(w->pid, &s, 0) < 0 && errno == EINTR)
      ;
  }
  if (wstatus)
    *wstatus = s;
  w->pid = -1;
  close_fd(&w->jobfd);
  close_fd(&w->resfd);
}

static void kill_all(runner *R) {
  for (int i = 0; i < R->nw; i++)
    if (R->w[i].pid > 0)
      kill(R->w[i].pid, SIGKILL);
  for (int i = 0; i < R->nw; i++)
    if (R->w[i].pid > 0)
      reap(&R->w[i], NULL);
}

/* Starts writing back a file a worker has just written (sync_file_range
** without waiting for it), so that the disk works while the workers
** compute and the syncfs after the last document (sb_batch_work) has
** little left to write. Only a hint: errors are ignored, the syncfs
** decides. */
static void start_writeback(const char *dir, const char *rel) {
  char *path = sb_batch_join(dir, rel);
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
  if (fd >= 0) {
    (void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
    close(fd);
  }
  free(path);
}

static void record(runner *R, const wresult *res, sb_batch_log *lg,
                   sb_batch_stats *S) {
  sb_bdoc *d = &R->plan->docs[res->idx];
  d->ms = res->ms;
  lg->done++;
  if (R->pool) {
    d->state = res->status == SB_OK ? SB_BST_WRITTEN : SB_BST_FAILED;
    if (R->pool->report)
      R->pool->report(R->pool->arg, res->idx, res->status,
                      res->status != SB_OK && !res->printed ? res->msg : NULL);
    return;
  }
  if (res->status == SB_OK) {
    d->state = SB_BST_WRITTEN;
    d->e.bytes = res->bytes;
    d->e.pages = res->pages;
    d->e.sha256 = sb_arena_strdup(R->plan->arena, res->sha);
    d->e.stamp = res->stamp;
    if (d->e.thumb && res->thumb_sha[0]) {
      d->e.thumb_bytes = res->thumb_bytes;
      d->e.thumb_sha256 = sb_arena_strdup(R->plan->arena, res->thumb_sha);
      d->e.thumb_stamp = res->thumb_stamp;
      d->e.thumb_w = res->thumb_w;
      d->e.thumb_h = res->thumb_h;
    } else {
      d->e.thumb = NULL;
    }
    S->written++;
    start_writeback(R->opts->outdir, d->e.path);
    if (d->e.thumb)
      start_writeback(R->opts->outdir, d->e.thumb);
    sb_batch_log_doc(lg, "written", &d->e, NULL, res->ms, NULL);
    if (res->msg[0])
      sb_batch_log_msg(lg, "warning", "%s: %s",
                       d->e.logname ? d->e.logname : d->e.path, res->msg);
  } else {
    d->state = SB_BST_FAILED;
    copy_msg(d->msg, sizeof d->msg, res->msg);
    S->failed++;
    sb_batch_log_doc(lg, "failed", &d->e, NULL, res->ms, d->msg);
  }
}

/* Renders the documents in todo[0..ntodo) with R->nw workers. Returns
** SB_OK, or SB_E_IO when no worker could be started at all. */
static sb_status run_workers(sb_ctx *ctx, runner *R, const int *todo,
                             int ntodo, sb_batch_log *lg, sb_batch_stats *S) {
  int next = 0, done = 0, failures_to_start = 0;
  R->w = sb_xcalloc((size_t)R->nw, sizeof *R->w);
  for (int i = 0; i < R->nw; i++) {
    R->w[i].pid = -1;
    R->w[i].jobfd = R->w[i].resfd = -1;
    R->w[i].busy = -1;
  }
  struct pollfd *pf = sb_xcalloc((size_t)R->nw + 1, sizeof *pf);
  sb_status st = SB_OK;
  while (done < ntodo && !got_signal) {
    /* Keep every slot busy while there is work. */
    for (int i = 0; i < R->nw && next < ntodo; i++) {
      worker *w = &R->w[i];
      if (w->pid < 0) {
        if (spawn(R, i) < 0) {
          failures_to_start++;
          continue;
        }
      }
      if (w->busy < 0) {
        int32_t idx = todo[next];
        if (sb_write_full(w->jobfd, &idx, sizeof idx) < 0) {
          /* it died while idle (killed from outside): start another */
          kill(w->pid, SIGKILL);
          reap(w, NULL);
          continue;
        }
        w->busy = idx;
        next++;
      }
    }
    int nbusy = 0;
    for (int i = 0; i < R->nw; i++)
      nbusy += R->w[i].busy >= 0;
    if (nbusy == 0) {
      if (failures_to_start > 0) {
        st = sb_fail(ctx, SB_E_IO, "cannot start a worker: %s",
                     strerror(errno));
        break;
      }
      continue;
    }
    int np = 0;
    for (int i = 0; i < R->nw; i++)
      if (R->w[i].busy >= 0)
        pf[np++] = (struct pollfd){.fd = R->w[i].resfd, .events = POLLIN};
    pf[np++] = (struct pollfd){.fd = sig_pipe[0], .events = POLLIN};
    int rc = poll(pf, (nfds_t)np, -1);
    if (rc < 0 && errno != EINTR) {
      st = sb_fail(ctx, SB_E_IO, "poll: %s", strerror(errno));
      break;
    }
    for (int i = 0; i < R->nw; i++) {
      worker *w = &R->w[i];
      if (w->busy < 0)
        continue;
      struct pollfd probe = {.fd = w->resfd, .events = POLLIN};
      if (poll(&probe, 1, 0) <= 0)
        continue;
      wresult res;
      ssize_t r = read_full(w->resfd, &res, sizeof res);
      if (r == (ssize_t)sizeof res && res.idx == w->busy) {
        w->busy = -1;
        record(R, &res, lg, S);
        done++;
        continue;
      }
      /* The worker died with a document in hand: that document failed. */
      int ws = 0;
      int idx = w->busy;
      kill(w->pid, SIGKILL);
      reap(w, &ws);
      w->busy = -1;
      memset(&res, 0, sizeof res);
      res.idx = idx;
      res.status = SB_E_RENDER;
      if (WIFSIGNALED(ws))
        snprintf(res.msg, sizeof res.msg, "the worker crashed (%s)",
                 strsignal(WTERMSIG(ws)));
      else
        snprintf(res.msg, sizeof res.msg,
                 "the worker ended unexpectedly (status %d)",
                 WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
      record(R, &res, lg, S);
      done++;
    }
  }
  if (got_signal) {
    kill_all(R);
  } else {
    /* Closing the job pipes tells the workers to exit. */
    for (int i = 0; i < R->nw; i++)
      close_fd(&R->w[i].jobfd);
    for (int i = 0; i < R->nw; i++)
      if (R->w[i].pid > 0)
        reap(&R->w[i], NULL);
  }
  free(pf);
  free(R->w);
  R->w = NULL;
  return st;
}

/* ==== The pool, for other commands ==== */

sb_status sb_batch_pool(sb_ctx *ctx, const sb_batch_pool_opts *o) {
  sb_plan plan;
  sb_batch_stats S;
  sb_batch_log lg;
  sigsave sv;
  runner R;
  memset(&plan, 0, sizeof plan);
  memset(&S, 0, sizeof S);
  memset(&lg, 0, sizeof lg);  /* no log: report() says what happened */
  memset(&R, 0, sizeof R);
  if (o->njobs <= 0)
    return SB_OK;
  /* the jobs as documents of a plan: their names are what the test hooks
  ** of render_one match */
  plan.n = o->njobs;
  plan.docs = sb_xcalloc((size_t)o->njobs, sizeof *plan.docs);
  int *todo = sb_xmalloc((size_t)o->njobs * sizeof *todo);
  for (int i = 0; i < o->njobs; i++) {
    plan.docs[i].e.path = o->names[i];
    plan.docs[i].state = SB_BST_TODO;
    todo[i] = i;
  }
  sb_batch_opts bo;
  memset(&bo, 0, sizeof bo);
  R.opts = &bo;
  R.plan = &plan;
  R.limits = ctx->limits;
  R.lockfd = -1;
  R.parent = getpid();
  R.nw = o->workers < 1 ? 1 : o->workers > o->njobs ? o->njobs : o->workers;
  R.pool = o;
  install_signals(&sv);
  fflush(NULL); /* nothing buffered may be written twice by a child */
  sb_status st = run_workers(ctx, &R, todo, o->njobs, &lg, &S);
  int sig = got_signal;
  restore_signals(&sv);
  if (sig) {
    /* the jobs never finished fail, without a line each (the caller
    ** says that the run was stopped) */
    for (int i = 0; i < o->njobs; i++)
      if (plan.docs[i].state == SB_BST_TODO && o->report)
        o->report(o->arg, i, SB_E_RENDER, NULL);
    if (st == SB_OK)
      st = sb_fail(ctx, SB_E_RENDER, "stopped by %s: workers killed",
                   sig_name(sig));
  }
  free(todo);
  free(plan.docs);
  return st;
}

/* ==== For the batch (run.c) ==== */

static sigsave batch_signals;

void sb_batch_signals_on(void) { install_signals(&batch_signals); }

void sb_batch_signals_off(void) { restore_signals(&batch_signals); }

int sb_batch_signal_caught(void) { return got_signal; }

const char *sb_batch_signal_name(int sig) { return sig_name(sig); }

sb_status sb_batch_work(sb_ctx *ctx, const sb_batch_opts *opts,
                        sb_plan *plan, sb_batch_render *render, int lockfd,
                        int nworkers, const int *todo, int ntodo,
                        sb_batch_log *lg, sb_batch_stats *S) {
  runner R;
  memset(&R, 0, sizeof R);
  R.opts = opts;
  R.plan = plan;
  R.render = render;
  R.limits = ctx->limits;
  R.lockfd = lockfd;
  R.parent = getpid();
  R.nw = nworkers;
  sb_status st = run_workers(ctx, &R, todo, ntodo, lg, S);
  /* The workers wrote without an fsync each (render_one): one syncfs makes
  ** every file durable before run.c commits the manifest that lists them,
  ** also after a signal (finished documents are kept). A power cut before
  ** it leaves the previous manifest, and a file that did not reach the
  ** disk then differs from it in stamp and SHA-256 and is rendered again. */
  if (ntodo > 0 && sb_batch_syncfs(opts->outdir) < 0 && st == SB_OK)
    st = sb_fail(ctx, SB_E_IO, "%s: cannot sync to disk: %s", opts->outdir,
                 strerror(errno));
  return st;
}
