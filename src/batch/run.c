/*
** batch/run.c -- the batch: plan, lock, render what is out of date, commit.
**
** The parent loads nothing itself (the caller has loaded and validated the
** catalogue), resolves style, fonts and labels (render.c), lists the
** documents (plan.c), then takes the folder's lock, sweeps temporary
** files, reads the previous manifest and decides what is out of date.
** The documents to render go to the worker pool (pool.c), which forks
** after all that, so workers share the model copy-on-write; a worker that
** dies is one failed document.
** SIGTERM, SIGINT and SIGHUP kill the workers, remove their temporary
** files, commit what was finished, and end with SB_E_RENDER (exit 1).
** A clean run also records in the manifest what it read, so that the
** next run can find nothing changed without loading anything (fast.c).
** Tests: tests/cli/batch.sh
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch/batch-imp.h"

/* ==== The batch ==== */

/* 1 when d's output (and thumbnail) are what p, the previous manifest's
** entry, says: same inputs, and each file of the recorded size and stamp
** (or, when its stamp differs, of the recorded SHA-256). The files' stamps
** now go into *stamp and *thumb_stamp, for the new manifest. */
static int up_to_date(const char *dir, const sb_bdoc *d, const sb_mentry *p,
                      sb_fstamp *stamp, sb_fstamp *thumb_stamp) {
  memset(thumb_stamp, 0, sizeof *thumb_stamp);
  if (!p || !p->inputs || !p->sha256 || strcmp(p->inputs, d->e.inputs) != 0)
    return 0;
  int ok = sb_batch_file_check(dir, p->path, p->bytes, p->sha256, &p->stamp,
                               stamp);
  if (!ok)
    return 0;
  if (d->e.thumb) {
    if (!p->thumb || strcmp(p->thumb, d->e.thumb) != 0 || !p->thumb_sha256)
      return 0;
    ok = sb_batch_file_check(dir, p->thumb, p->thumb_bytes, p->thumb_sha256,
                             &p->thumb_stamp, thumb_stamp);
  }
  return ok;
}

sb_status sb_batch_run(sb_ctx *ctx, const sb_catalog *cat,
                       const sb_batch_opts *opts, sb_batch_stats *stats) {
  sb_batch_stats S;
  memset(&S, 0, sizeof S);
  sb_batch_log lg = {opts->log ? opts->log : stderr, opts->log_json,
                     opts->progress && !opts->log_json, 0, 0, 0,
                     opts->people_only ? "reviews" : NULL, 0};
  double t0 = sb_batch_now_ms();
  sb_batch_render *render = NULL;
  sb_plan plan;
  sb_manifest prev, newm;
  int lockfd = -1, have_prev = 0, jobs = 0;
  int *todo = NULL, ntodo = 0;
  int signals_on = 0;
  char shard[32] = "";
  memset(&plan, 0, sizeof plan);
  sb_manifest_init(&prev);
  sb_manifest_init(&newm);

  /* 1. Everything that can be wrong with the input, before touching DIR. */
  sb_status st = sb_batch_render_open(ctx, cat, opts->style, opts->lang,
                                      opts->strict, opts->datadir, &render);
  if (st != SB_OK)
    goto out;
  if (opts->strict && ctx->nwarnings > 0) {
    st = sb_fail(ctx, SB_E_STYLE, "%zu warning(s) and --strict",
                 ctx->nwarnings);
    goto out;
  }
  if (opts->rerun)
    sb_batch_render_inputs(render, opts->rerun);
  sb_batch_render_no_tags(render, opts->no_tags);
  uint8_t env[32];
  sb_batch_render_env_hash(render, env);
  sb_batch_render_since(render, opts->since);
  st = sb_batch_plan(ctx, cat, env, sb_batch_render_labels(render), 1,
                     opts->book, opts->shard_k, opts->shard_n, opts, &plan);
  if (st != SB_OK)
    goto out;

  /* 2. The lock; then the leftovers of a killed run. */
  st = sb_batch_lock(ctx, opts->outdir, &lockfd);
  if (st != SB_OK)
    goto out;
  sb_batch_signals_on();
  signals_on = 1;
  int swept = sb_batch_sweep(opts->outdir);
  if (swept > 0)
    sb_batch_log_msg(&lg, "note", "removed %d temporary file%s left by an "
                     "interrupted run", swept, swept == 1 ? "" : "s");
  st = sb_manifest_read(ctx, opts->outdir, &prev, &have_prev);
  if (st != SB_OK) {
    /* Unreadable: render everything, delete nothing (we cannot know what
    ** is ours), and replace it at the commit. */
    sb_batch_log_msg(&lg, "warning", "%s; every document will be rendered "
                     "and no old output deleted", ctx->errmsg);
    sb_ctx_clear_error(ctx);
    sb_manifest_free(&prev);
    sb_manifest_init(&prev);
    st = SB_OK;
  }

  /* 3. What is out of date. */
  todo = sb_xmalloc((size_t)(plan.n + 1) * sizeof *todo);
  for (int i = 0; i < plan.n; i++) {
    sb_bdoc *d = &plan.docs[i];
    const sb_mentry *p = sb_manifest_find(&prev, d->e.path);
    sb_fstamp stamp, thumb_stamp;
    if (!opts->force &&
        up_to_date(opts->outdir, d, p, &stamp, &thumb_stamp)) {
      d->state = SB_BST_UNCHANGED;
      d->e.stamp = stamp;
      d->e.thumb_stamp = thumb_stamp;
      d->e.bytes = p->bytes;
      d->e.pages = p->pages;
      d->e.sha256 = sb_arena_strdup(plan.arena, p->sha256);
      d->e.thumb_bytes = p->thumb_bytes;
      d->e.thumb_w = p->thumb_w;
      d->e.thumb_h = p->thumb_h;
      d->e.thumb_sha256 = p->thumb_sha256
                              ? sb_arena_strdup(plan.arena, p->thumb_sha256)
                              : NULL;
      S.unchanged++;
    } else {
      todo[ntodo++] = i;
    }
  }

  /* 4. Render. */
  jobs = opts->jobs > 0 ? opts->jobs : sb_cpu_count();
  if (jobs > ntodo)
    jobs = ntodo > 0 ? ntodo : 1;
  if (ntodo > 0) {
    /* a worker's PDF pages are deflated by a helper thread only when the
    ** workers leave a processor free for it (device.h) */
    sb_batch_render_pdf_threads(render, jobs < sb_cpu_count());
    lg.total = ntodo;
    sb_batch_log_bar(&lg);
    fflush(NULL); /* nothing buffered may be written twice by a child */
    st = sb_batch_work(ctx, opts, &plan, render, lockfd, jobs, todo, ntodo,
                       &lg, &S);
    sb_batch_log_bar_clear(&lg);
    if (sb_batch_signal_caught()) {
      S.interrupted = sb_batch_signal_caught();
      int n = sb_batch_sweep(opts->outdir);
      sb_batch_log_msg(&lg, "error", "stopped by %s: workers killed, %d "
                       "temporary file%s removed; finished documents are "
                       "kept", sb_batch_signal_name(S.interrupted), n, n == 1 ? "" : "s");
    }
  }

  /* Every output (packs and books too) was made durable by the one syncfs
  ** sb_batch_work does after the last document, before this commit. */

  /* 5. Commit: the new manifest lists what is on disk now. */
  if (opts->shard_n > 0) {
    snprintf(shard, sizeof shard, "%d/%d", opts->shard_k, opts->shard_n);
    newm.shard = shard;
  }
  newm.title = cat->title;
  newm.lang = sb_batch_render_lang(render);
  for (int i = 0; i < plan.n; i++) {
    const sb_bdoc *d = &plan.docs[i];
    if (d->state == SB_BST_WRITTEN || d->state == SB_BST_UNCHANGED) {
      sb_manifest_add(&newm, &d->e);
    } else {
      /* Failed or not reached: the old file (if any) is still there and
      ** still what the old entry says; keep it, and its stale input hash
      ** makes the next run try again. */
      const sb_mentry *p = sb_manifest_find(&prev, d->e.path);
      if (p)
        sb_manifest_add(&newm, p);
    }
  }
  newm.shard = sb_manifest_str(&newm, newm.shard);
  newm.title = sb_manifest_str(&newm, newm.title);
  newm.lang = sb_manifest_str(&newm, newm.lang);
  /* A clean run records what it read, for the next one (fast.c): every
  ** document written or up to date, nothing printed but their lines. */
  if (opts->rerun && st == SB_OK && S.failed == 0 && !S.interrupted &&
      opts->shard_n == 0 && !opts->people_only && lg.nmsgs == 0 &&
      ctx->ndiags == 0 && ctx->nwarnings == 0)
    sb_batch_rerun_record(&newm, opts->rerun);
  sb_manifest_index(&newm);
  sb_status cst = sb_batch_commit(ctx, opts->outdir, &newm, &prev,
                                  opts->shard_n == 0 && !opts->people_only,
                                  !S.interrupted, &lg, &S);
  if (cst != SB_OK && st == SB_OK)
    st = cst;
  sb_batch_log_summary(&lg, &S, (sb_batch_now_ms() - t0) / 1000.0, jobs);
  if (st == SB_OK && S.interrupted)
    st = sb_fail(ctx, SB_E_RENDER, "interrupted by %s; run it again to "
                 "finish", sb_batch_signal_name(S.interrupted));
  if (st == SB_OK && S.failed > 0) {
    char names[600] = "";
    int shown = 0;
    for (int i = 0; i < plan.n && shown < 5; i++)
      if (plan.docs[i].state == SB_BST_FAILED) {
        size_t len = strlen(names);
        snprintf(names + len, sizeof names - len, "%s%s", shown ? ", " : "",
                 plan.docs[i].e.logname ? plan.docs[i].e.logname
                                        : plan.docs[i].e.path);
        shown++;
      }
    st = sb_fail(ctx, SB_E_RENDER, "%d document%s failed: %s%s", S.failed,
                 S.failed == 1 ? "" : "s", names,
                 S.failed > shown ? ", ..." : "");
  }
out:
  if (signals_on)
    sb_batch_signals_off();
  sb_batch_unlock(lockfd);
  free(todo);
  sb_manifest_free(&prev);
  sb_manifest_free(&newm);
  sb_batch_plan_free(&plan);
  sb_batch_render_drop(render);
  if (stats)
    *stats = S;
  return st;
}
