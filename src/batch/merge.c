/*
** batch/merge.c -- `batch --merge`: join the folders of shards into one.
**
** Each shard folder holds the outputs of `batch --shard K/N` and its own
** manifest.json. The merge takes the lock of the target folder and of
** every shard folder, checks every listed file against its manifest entry
** (size and SHA-256), moves it into place (rename on the same file
** system, else a copy through sb_write_output and an unlink), and then
** writes index.html and manifest.json (the commit) and deletes the outputs
** that the target's previous manifest lists and no shard does.
** Killed at any moment and run again, it finishes the job: a file already
** moved is found in the target with the expected bytes.
** Tests: tests/cli/batch.sh (shards)
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch/batch-imp.h"

/* Moves shard/rel to out/rel, neither reached through a link. 0 on
** success, else -1 with ctx's message. */
static int move_file(sb_ctx *ctx, const char *shard, const char *out,
                     const char *rel, unsigned dmode) {
  int rc = sb_batch_rename_mode(ctx, shard, rel, out, rel, dmode);
  if (rc <= 0)
    return rc;
  /* another file system: copy, then remove the source */
  char *data = NULL;
  size_t n = 0;
  if (sb_batch_read(ctx, shard, rel, (size_t)1 << 40, &data, &n) != SB_OK)
    return -1;
  sb_status st = sb_batch_write_mode(ctx, out, rel, data, n, NULL,
                                    dmode ? dmode & 0666 : 0, dmode, 1);
  free(data);
  if (st != SB_OK)
    return -1;
  sb_batch_unlink(shard, rel);
  return 0;
}

/* Brings one file (rel, with its expected bytes and hash) from the shard
** folder into the target. 1 moved, 0 already in place, -1 failed. */
static int bring(sb_ctx *ctx, const char *shard, const char *out,
                 const char *rel, long long bytes, const char *sha,
                 unsigned dmode) {
  if (sb_batch_file_matches(shard, rel, bytes, sha))
    return move_file(ctx, shard, out, rel, dmode) == 0 ? 1 : -1;
  if (sb_batch_file_matches(out, rel, bytes, sha))
    return 0;
  char *src = sb_batch_join(shard, rel);
  sb_fail(ctx, SB_E_IO, "%s: missing, or not what the shard's manifest "
          "says", src);
  free(src);
  return -1;
}

/* Reads dir's manifest into m (a scratch one when m is NULL); SB_E_USAGE
** unless it is the manifest of a shard (its "shard" is "K/N"). */
static sb_status check_shard(sb_ctx *ctx, const char *dir, sb_manifest *m) {
  sb_manifest tmp;
  int have = 0, k, n;
  if (!m) {
    sb_manifest_init(&tmp);
    m = &tmp;
  }
  sb_status st = sb_manifest_read(ctx, dir, m, &have);
  if (st != SB_OK) {
    sb_ctx_clear_error(ctx);
    st = sb_fail(ctx, SB_E_USAGE, "%s: its manifest.json cannot be read, so "
                 "it is not known to be a shard; nothing moved", dir);
  } else if (!have) {
    st = sb_fail(ctx, SB_E_USAGE, "%s: no manifest.json (not the output of "
                 "'skillbook batch --shard K/N'); nothing moved", dir);
  } else if (!m->shard || sb_batch_parse_shard(m->shard, &k, &n) < 0) {
    st = sb_fail(ctx, SB_E_USAGE, "%s: not a shard folder (its manifest.json "
                 "has no \"shard\": it was made by 'skillbook batch' without "
                 "--shard K/N); nothing moved", dir);
  }
  if (m == &tmp)
    sb_manifest_free(&tmp);
  return st;
}

static int cmp_order(const void *a, const void *b) {
  const sb_mentry *x = *(const sb_mentry *const *)a;
  const sb_mentry *y = *(const sb_mentry *const *)b;
  if (x->order != y->order)
    return x->order < y->order ? -1 : 1;
  return strcmp(x->path, y->path);
}

sb_status sb_batch_merge(sb_ctx *ctx, const char *const *dirs, int nshards,
                         const sb_batch_opts *opts, sb_batch_stats *stats) {
  sb_batch_stats S;
  memset(&S, 0, sizeof S);
  sb_batch_log lg = {opts->log ? opts->log : stderr, opts->log_json, 0, 0, 0,
                     0, opts->people_only ? "reviews" : NULL, 0};
  double t0 = sb_batch_now_ms();
  sb_status st = SB_OK;
  int outlock = -1, have = 0;
  int *locks = sb_xmalloc((size_t)nshards * sizeof *locks);
  sb_manifest *parts = sb_xcalloc((size_t)nshards, sizeof *parts);
  const sb_mentry **all = NULL;
  int nall = 0;
  sb_manifest prev, newm;
  sb_manifest_init(&prev);
  sb_manifest_init(&newm);
  for (int i = 0; i < nshards; i++) {
    locks[i] = -1;
    sb_manifest_init(&parts[i]);
  }

  /* Read every shard's manifest before touching anything. */
  struct stat ost;
  int out_exists = stat(opts->outdir, &ost) == 0;
  for (int i = 0; i < nshards; i++) {
    struct stat sst;
    if (stat(dirs[i], &sst) < 0 || !S_ISDIR(sst.st_mode)) {
      st = sb_fail(ctx, SB_E_USAGE, "%s: not a folder", dirs[i]);
      goto out;
    }
    if (out_exists && sst.st_dev == ost.st_dev && sst.st_ino == ost.st_ino) {
      st = sb_fail(ctx, SB_E_USAGE, "%s: a shard folder cannot be the "
                   "output folder", dirs[i]);
      goto out;
    }
  }
  /* Each folder must be a shard's (its manifest says "shard": "K/N")
  ** before anything is created or moved: a full batch's folder, or any
  ** other, is a usage error. Checked again under the locks below. */
  for (int i = 0; i < nshards; i++) {
    st = check_shard(ctx, dirs[i], NULL);
    if (st != SB_OK)
      goto out;
  }
  st = sb_batch_lock(ctx, opts->outdir, &outlock);
  if (st != SB_OK)
    goto out;
  for (int i = 0; i < nshards; i++) {
    st = sb_batch_lock(ctx, dirs[i], &locks[i]);
    if (st != SB_OK)
      goto out;
    /* a shard killed while writing leaves temporary files: not ours to
    ** move, but safe to remove under its lock */
    sb_batch_sweep(dirs[i]);
    st = check_shard(ctx, dirs[i], &parts[i]);
    if (st != SB_OK)
      goto out;
    nall += parts[i].n;
  }
  int swept = sb_batch_sweep(opts->outdir);
  if (swept > 0)
    sb_batch_log_msg(&lg, "note", "removed %d temporary file%s left by an "
                     "interrupted run", swept, swept == 1 ? "" : "s");
  st = sb_manifest_read(ctx, opts->outdir, &prev, &have);
  if (st != SB_OK) {
    sb_batch_log_msg(&lg, "warning", "%s; no old output will be deleted",
                     ctx->errmsg);
    sb_ctx_clear_error(ctx);
    sb_manifest_free(&prev);
    sb_manifest_init(&prev);
    st = SB_OK;
  }

  /* Which shards are there: a missing one is worth a warning. */
  {
    int total = 0, seen = 0;
    for (int i = 0; i < nshards; i++) {
      int k, n;
      if (parts[i].shard && sb_batch_parse_shard(parts[i].shard, &k, &n) == 0) {
        if (total && n != total)
          sb_batch_log_msg(&lg, "warning", "%s is shard %s, others are of %d",
                           dirs[i], parts[i].shard, total);
        total = n;
        seen++;
      }
    }
    if (total && seen < total)
      sb_batch_log_msg(&lg, "warning", "merging %d of %d shards: the "
                       "documents of the others are not in %s", seen, total,
                       opts->outdir);
  }

  /* Every entry, in catalogue order; one path may come from one shard only. */
  all = sb_xmalloc((size_t)(nall + 1) * sizeof *all);
  const char **from = sb_xmalloc((size_t)(nall + 1) * sizeof *from);
  nall = 0;
  for (int i = 0; i < nshards; i++)
    for (int j = 0; j < parts[i].n; j++)
      all[nall++] = &parts[i].docs[j];
  qsort(all, (size_t)nall, sizeof *all, cmp_order);
  for (int i = 0; i < nall; i++)
    for (int s = 0; s < nshards; s++)
      if (all[i] >= parts[s].docs && all[i] < parts[s].docs + parts[s].n)
        from[i] = dirs[s];
  for (int i = 0; i + 1 < nall; i++)
    if (strcmp(all[i]->path, all[i + 1]->path) == 0) {
      /* same order and path: listed by two shards */
      st = sb_fail(ctx, SB_E_USAGE, "%s is in two shard folders (%s, %s)",
                   all[i]->priv ? all[i]->logname : all[i]->path, from[i],
                   from[i + 1]);
      free(from);
      goto out;
    }

  for (int i = 0; i < nall; i++) {
    const sb_mentry *e = all[i];
    double t = sb_batch_now_ms();
    /* private files keep their mode (a rename, or a copy with the
    ** private mode); folders made for them are private too */
    unsigned dm = e->priv ? sb_batch_dir_mode(opts->private_mode
                                              ? opts->private_mode : 0600)
                          : 0;
    int a = bring(ctx, from[i], opts->outdir, e->path, e->bytes, e->sha256,
                  dm);
    int b = a < 0 || !e->thumb ? 0
            : bring(ctx, from[i], opts->outdir, e->thumb, e->thumb_bytes,
                    e->thumb_sha256, 0);
    if (a < 0 || b < 0) {
      S.failed++;
      sb_batch_log_doc(&lg, "failed", e, NULL, -1,
                       e->priv ? "missing in its shard, or not what the "
                                 "shard's manifest says"
                               : ctx->errmsg);
      sb_ctx_clear_error(ctx);
      const sb_mentry *p = sb_manifest_find(&prev, e->path);
      if (p)
        sb_manifest_add(&newm, p);
      continue;
    }
    /* the stamps of the files where they are now (a move across file
    ** systems is a new inode; a rename, a new ctime) */
    sb_mentry ne = *e;
    sb_batch_file_stamp(opts->outdir, e->path, &ne.stamp);
    memset(&ne.thumb_stamp, 0, sizeof ne.thumb_stamp);
    if (e->thumb)
      sb_batch_file_stamp(opts->outdir, e->thumb, &ne.thumb_stamp);
    sb_manifest_add(&newm, &ne);
    if (a == 1 || b == 1) {
      S.written++;
      sb_batch_log_doc(&lg, "moved", e, NULL, (int)(sb_batch_now_ms() - t),
                       NULL);
    } else {
      S.unchanged++;
    }
  }
  free(from);
  for (int i = 0; i < nshards && !newm.title; i++)
    newm.title = sb_manifest_str(&newm, parts[i].title);
  for (int i = 0; i < nshards && !newm.lang; i++)
    newm.lang = sb_manifest_str(&newm, parts[i].lang);
  sb_manifest_index(&newm);
  st = sb_batch_commit(ctx, opts->outdir, &newm, &prev, !opts->people_only,
                       1, &lg, &S);
  sb_batch_log_summary(&lg, &S, (sb_batch_now_ms() - t0) / 1000.0, 1);
  if (st == SB_OK && S.failed > 0)
    st = sb_fail(ctx, SB_E_RENDER, "%d document%s could not be merged",
                 S.failed, S.failed == 1 ? "" : "s");
out:
  for (int i = 0; i < nshards; i++) {
    sb_batch_unlock(locks[i]);
    sb_manifest_free(&parts[i]);
  }
  sb_batch_unlock(outlock);
  free(locks);
  free(parts);
  free(all);
  sb_manifest_free(&prev);
  sb_manifest_free(&newm);
  if (stats)
    *stats = S;
  return st;
}
