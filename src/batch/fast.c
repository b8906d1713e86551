/*
** batch/fast.c -- the unchanged rerun: "nothing to do" by stat(2) alone.
**
** Most nightly runs find nothing changed, and on a large catalogue (4.4
** MB) loading and validating it was most of such a run. So a run that
** ends cleanly (no failed document, nothing printed but the documents'
** lines and the summary, not interrupted, not a shard) records in its
** manifest ("rerun") how it was asked (a hash of the options that can
** change an output, the working and data folders, the environment it
** reads, the version) and every file and folder it read (catalogue, style,
** logo, fonts, --since, --people, the program itself) with its stat(2)
** stamp: device, inode, size, mtime and ctime in nanoseconds.
** The next run asked the same way compares those stamps, then every
** output's (as up_to_date does), and if all match it takes the lock and
** prints the summary of a run with nothing to do: no catalogue loaded,
** nothing in DIR written. Any doubt runs the batch as before.
** ctime cannot be set by a program (touch -d sets mtime only), so an edit
** that restores the size and mtime is still seen. The racy case (git's
** "racily clean" index entries): a file changed within the same timestamp
** tick as the stamp we record would keep every stamp; so an input is
** recorded only when its ctime is older than the run's start by more than
** the tick (docs/batch.md, "The unchanged rerun").
** Tests: tests/cli/batch_fast.sh
*/
#define _GNU_SOURCE /* environ */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch/batch-imp.h"

extern char **environ;

/* The name the manifest gives the --people file: the file's own name may
** be a person's, and the manifest may be public (docs/batch.md). */
#define PEOPLE_TAG "(people)"

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The file system's timestamp tick for a file with this ctime: whole
** seconds (FAT, ext3's small inodes, some network file systems) mean 2 s;
** otherwise the kernel stamps files from its coarse clock, one tick (1/HZ:
** 4 ms here) behind at most; twice that and a millisecond, to be safe. */
static long long tick_ns(long long ctime_ns) {
  if (ctime_ns % 1000000000LL == 0)
    return 2000000000LL;
  struct timespec res;
  long long g = 10000000LL; /* when the clock does not say */
  if (clock_getres(CLOCK_REALTIME_COARSE, &res) == 0) {
    g = (long long)res.tv_sec * 1000000000LL + res.tv_nsec;
    if (g < 1000000)
      g = 1000000;
  }
  return 2 * g + 1000000;
}

int sb_batch_istamp(const char *path, sb_istamp *out) {
  struct stat st;
  memset(out, 0, sizeof *out);
  if (stat(path, &st) < 0)
    return -1;
  out->dev = (long long)st.st_dev;
  out->ino = (long long)st.st_ino;
  out->size = (long long)st.st_size;
  out->mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL +
                  st.st_mtim.tv_nsec;
  out->ctime_ns = (long long)st.st_ctim.tv_sec * 1000000000LL +
                  st.st_ctim.tv_nsec;
  return 0;
}

/* ==== Recording ==== */

void sb_batch_rerun_init(sb_batch_rerun *r) {
  memset(r, 0, sizeof *r);
  r->start_ns = now_ns();
  sb_ctx_init(&r->diags[0]);
  sb_ctx_init(&r->diags[1]);
  /* the program: a new build of the same version is another program
  ** (its path, not /proc/self/exe: a tool such as valgrind that runs it
  ** is not the program) */
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  sb_istamp st;
  if (n > 0) {
    exe[n] = '\0';
    if (exe[0] == '/' && sb_batch_istamp(exe, &st) == 0)
      sb_batch_rerun_add(r, exe);
  }
}

void sb_batch_rerun_free(sb_batch_rerun *r) {
  for (int i = 0; i < r->ninputs; i++)
    free(r->inputs[i]);
  free(r->inputs);
  free(r->people);
  sb_ctx_free(&r->diags[0]);
  sb_ctx_free(&r->diags[1]);
  memset(r, 0, sizeof *r);
}

void sb_batch_rerun_add(sb_batch_rerun *r, const char *path) {
  if (!path)
    return; /* (a path twice is checked twice: no search, a folder
            ** catalogue may have thousands of files) */
  if (SB_GROW(r->inputs, r->ninputs, r->cap, 16, 1 << 20)) {
    r->unclean = 1; /* more than we would check quickly: record nothing */
    return;
  }
  r->inputs[r->ninputs++] = sb_xstrdup(path);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void sb_batch_rerun_add_catalog(sb_batch_rerun *r, const char *path) {
  struct stat st;
  sb_batch_rerun_add(r, path);
  if (!path || stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
    return;
  /* a folder: the loader reads every *.xml in it that is not hidden
  ** (catalog/load.c); the folder's own stamp changes when one is added,
  ** removed or renamed */
  DIR *d = opendir(path);
  if (!d) {
    r->unclean = 1;
    return;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t k = strlen(e->d_name);
    if (e->d_name[0] == '.' || k <= 4 || strcmp(e->d_name + k - 4, ".xml"))
      continue;
    if (SB_GROW(names, n, cap, 16, 1 << 20))
      break;
    names[n++] = sb_batch_join(path, e->d_name);
  }
  closedir(d);
  if (n > 1)
    qsort(names, n, sizeof *names, cmp_str);
  for (size_t i = 0; i < n; i++) {
    sb_batch_rerun_add(r, names[i]);
    free(names[i]);
  }
  free(names);
}

static void hash_str(sb_sha256 *h, const char *s) {
  /* with its terminator, so that ("ab","c") and ("a","bc") differ */
  sb_sha256_update(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

static void hash_num(sb_sha256 *h, const char *name, long long v) {
  char t[96];
  snprintf(t, sizeof t, "%s=%lld", name, v);
  hash_str(h, t);
}

void sb_batch_rerun_ask(sb_batch_rerun *r, const sb_batch_opts *o,
                        const char *catalog, const char *since,
                        const char *people, int fillable,
                        const sb_limits *lim) {
  sb_sha256 h;
  uint8_t d[32];
  char cwd[4096];
  sb_sha256_init(&h);
  hash_str(&h, "skillbook-batch-rerun/1");
  hash_str(&h, SB_VERSION);
  /* relative paths (the catalogue's, the style's...) mean this folder */
  hash_str(&h, getcwd(cwd, sizeof cwd) ? cwd : "(no working folder)");
  hash_str(&h, o->datadir);
  /* which program (its stamp is among the inputs) */
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  exe[n > 0 ? n : 0] = '\0';
  hash_str(&h, exe);
  hash_str(&h, "catalog");
  hash_str(&h, catalog ? catalog : "(bundled)");
  hash_str(&h, "since");
  hash_str(&h, since);
  hash_str(&h, "people");
  hash_str(&h, people);
  hash_str(&h, "style");
  hash_str(&h, o->style ? o->style : "default");
  hash_str(&h, "lang");
  hash_str(&h, o->lang);
  hash_num(&h, "book", o->book);
  hash_num(&h, "book_all", o->book_all);
  hash_num(&h, "no_tags", o->no_tags);
  hash_num(&h, "strict", o->strict);
  hash_num(&h, "fillable", fillable);
  hash_num(&h, "mode", (long long)o->private_mode);
  hash_str(&h, o->people_dir);
  hash_num(&h, "people_only", o->people_only);
  hash_num(&h, "shard_k", o->shard_k);
  hash_num(&h, "shard_n", o->shard_n);
  hash_num(&h, "file_bytes", (long long)lim->file_bytes);
  hash_num(&h, "files", (long long)lim->files);
  hash_num(&h, "text_bytes", (long long)lim->text_bytes);
  hash_num(&h, "nodes", (long long)lim->nodes);
  hash_num(&h, "skills", (long long)lim->skills);
  hash_num(&h, "pages", (long long)lim->pages);
  hash_num(&h, "arena_bytes", (long long)lim->arena_bytes);
  hash_num(&h, "documents", (long long)lim->documents);
  /* The environment the run reads: the documents' date, FreeType's
  ** rendering properties (thumbnails), the data folder and test hooks
  ** (SKILLBOOK_*), sorted so that their order does not matter. */
  hash_str(&h, "env");
  hash_str(&h, getenv("SOURCE_DATE_EPOCH"));
  hash_str(&h, getenv("FREETYPE_PROPERTIES"));
  const char **sk = NULL;
  size_t nsk = 0, cap = 0;
  for (char **e = environ; e && *e; e++)
    if (strncmp(*e, "SKILLBOOK_", 10) == 0 &&
        !SB_GROW(sk, nsk, cap, 8, 1 << 16))
      sk[nsk++] = *e;
  if (nsk > 1)
    qsort(sk, nsk, sizeof *sk, cmp_str);
  for (size_t i = 0; i < nsk; i++)
    hash_str(&h, sk[i]);
  free(sk);
  sb_sha256_final(&h, d);
  sb_hex(d, 32, r->asked);
}

void sb_batch_rerun_record(sb_manifest *newm, const sb_batch_rerun *r) {
  newm->rerun = NULL;
  if (!r || r->unclean || !r->asked[0])
    return;
  sb_mrerun *x = sb_arena_calloc(newm->arena, sizeof *x);
  x->asked = sb_manifest_str(newm, r->asked);
  x->documents = newm->n;
  x->index_bytes = -1;
  x->n = r->ninputs;
  x->path = sb_arena_alloc(newm->arena, (size_t)(r->ninputs + 1) *
                                            sizeof *x->path);
  x->st = sb_arena_alloc(newm->arena, (size_t)(r->ninputs + 1) *
                                          sizeof *x->st);
  long long now = now_ns();
  for (int i = 0; i < r->ninputs; i++) {
    sb_istamp *s = &x->st[i];
    if (sb_batch_istamp(r->inputs[i], s) < 0)
      return; /* gone since it was read */
    /* changed since the run started, within a tick of it, or in the
    ** future: the stamp may not tell the next change */
    if (s->ctime_ns + tick_ns(s->ctime_ns) > r->start_ns || s->ctime_ns > now)
      return;
    x->path[i] = sb_manifest_str(newm, r->people && strcmp(r->inputs[i],
                                 r->people) == 0 ? PEOPLE_TAG : r->inputs[i]);
  }
  for (int i = 0; i < newm->n; i++) {
    const sb_mentry *e = &newm->docs[i];
    if (!e->stamp.ino || (e->thumb && !e->thumb_stamp.ino))
      return; /* a stamp we do not know: the next run must look */
  }
  size_t nd = r->diags[0].ndiags + r->diags[1].ndiags;
  if (nd > 10000)
    return; /* printed again at each rerun: a few warnings, not a flood */
  x->diag = sb_arena_calloc(newm->arena, (nd + 1) * sizeof *x->diag);
  for (int g = 0; g < 2; g++)
    for (size_t i = 0; i < r->diags[g].ndiags; i++) {
      const sb_diag *d = &r->diags[g].diags[i];
      if (d->sev == SB_SEV_ERROR)
        return; /* (a clean run has none) */
      sb_mdiag *md = &x->diag[x->ndiag++];
      md->group = g;
      md->sev = d->sev;
      md->file = sb_manifest_str(newm, d->file);
      md->line = d->line;
      md->col = d->col;
      md->msg = sb_manifest_str(newm, d->msg);
    }
  newm->rerun = x;
}

static void put_fstamp(sb_buf *b, const sb_fstamp *s) {
  sb_buf_printf(b, "\"stat\": {\"ino\": %lld, \"mtime_ns\": %lld, "
                "\"ctime_ns\": %lld}", s->ino, s->mtime_ns, s->ctime_ns);
}

void sb_batch_rerun_format(const sb_manifest *m, sb_buf *b) {
  const sb_mrerun *x = m->rerun;
  if (!x)
    return;
  sb_buf_printf(b, ",\n  \"rerun\": {\"asked\": \"%s\", \"documents\": %d",
                x->asked, x->documents);
  if (x->index_bytes >= 0) {
    sb_buf_printf(b, ",\n    \"index\": {\"bytes\": %lld, ", x->index_bytes);
    put_fstamp(b, &x->index_stamp);
    sb_buf_addc(b, '}');
  }
  sb_buf_adds(b, ",\n    \"inputs\": [");
  for (int i = 0; i < x->n; i++) {
    const sb_istamp *s = &x->st[i];
    sb_buf_adds(b, i ? ",\n      {\"path\": \"" : "\n      {\"path\": \"");
    sb_buf_json_str(b, x->path[i]);
    sb_buf_printf(b, "\", \"stat\": {\"dev\": %lld, \"ino\": %lld, "
                  "\"bytes\": %lld, \"mtime_ns\": %lld, \"ctime_ns\": %lld}}",
                  s->dev, s->ino, s->size, s->mtime_ns, s->ctime_ns);
  }
  sb_buf_adds(b, x->n ? "\n    ]" : "]");
  if (x->ndiag > 0) {
    sb_buf_adds(b, ",\n    \"diagnostics\": [");
    for (int i = 0; i < x->ndiag; i++) {
      const sb_mdiag *d = &x->diag[i];
      sb_buf_printf(b, "%s{\"group\": %d, \"level\": \"%s\"",
                    i ? ",\n      " : "\n      ", d->group,
                    d->sev == SB_SEV_ERROR     ? "error"
                    : d->sev == SB_SEV_WARNING ? "warning"
                                               : "note");
      if (d->file) {
        sb_buf_adds(b, ", \"file\": \"");
        sb_buf_json_str(b, d->file);
        sb_buf_addc(b, '"');
      }
      sb_buf_printf(b, ", \"line\": %ld, \"column\": %ld, \"message\": \"",
                    d->line, d->col);
      sb_buf_json_str(b, d->msg);
      sb_buf_adds(b, "\"}");
    }
    sb_buf_adds(b, "\n    ]");
  }
  sb_buf_addc(b, '}');
}

/* ==== Checking ==== */

/* The outputs as they are now: every regular file below DIR, reached
** without following a link (as the batch reaches them), with its size and
** stamp, matched against the manifest's entries by path. */
typedef struct walker {
  const sb_manifest *m;
  char *seen;        /* per entry: 1 its file matches, 2 and its thumb */
  int bad;           /* a leftover temporary file, or a file that differs */
  long long now;
} walker;

static int same(const sb_fstamp *a, const struct stat *st, long long bytes) {
  return a->ino != 0 && a->ino == (long long)st->st_ino &&
         (long long)st->st_size == bytes &&
         a->mtime_ns == (long long)st->st_mtim.tv_sec * 1000000000LL +
                            st->st_mtim.tv_nsec &&
         a->ctime_ns == (long long)st->st_ctim.tv_sec * 1000000000LL +
                            st->st_ctim.tv_nsec;
}

/* An entry of the manifest whose output or thumbnail is rel; which says
** whether it is the thumbnail. Thumbnails are named as their PDF with
** .png for .pdf, so one lookup finds either. */
static const sb_mentry *lookup(const sb_manifest *m, const char *rel,
                               int *thumb) {
  size_t n = strlen(rel);
  *thumb = 0;
  if (n > 4 && strcmp(rel + n - 4, ".png") == 0) {
    char *pdf = sb_xstrdup(rel);
    memcpy(pdf + n - 4, ".pdf", 4);
    const sb_mentry *e = sb_manifest_find(m, pdf);
    free(pdf);
    if (e && e->thumb && strcmp(e->thumb, rel) == 0) {
      *thumb = 1;
      return e;
    }
    return NULL;
  }
  return sb_manifest_find(m, rel);
}

static void file_seen(walker *W, const char *rel, const struct stat *st) {
  int thumb;
  const sb_mentry *e = lookup(W->m, rel, &thumb);
  if (!e)
    return; /* not ours (index.html and the manifest are checked apart) */
  if (!(thumb ? same(&e->thumb_stamp, st, e->thumb_bytes)
              : same(&e->stamp, st, e->bytes))) {
    W->bad = 1;
    return;
  }
  W->seen[e - W->m->docs] |= (char)(thumb ? 2 : 1);
}

static void walk_at(walker *W, int dfd, const char *prefix, int depth) {
  DIR *d = fdopendir(dfd);
  if (!d) {
    close(dfd);
    W->bad = 1;
    return;
  }
  struct dirent *de;
  while (!W->bad && (de = readdir(d)) != NULL) {
    const char *name = de->d_name;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
      continue;
    if (strncmp(name, ".sbtmp-", 7) == 0) {
      W->bad = 1; /* a killed run's leftover: the batch sweeps it */
      break;
    }
    if (de->d_type == DT_LNK || name[0] == '.')
      continue; /* never followed; no output is hidden */
    char *rel = prefix[0] ? sb_batch_join(prefix, name) : sb_xstrdup(name);
    if (de->d_type == DT_DIR ||
        (de->d_type == DT_UNKNOWN && depth < 32)) {
      int sub = depth < 32 ? openat(dirfd(d), name, O_RDONLY | O_DIRECTORY |
                                    O_NOFOLLOW | O_CLOEXEC) : -1;
      if (sub >= 0) {
        walk_at(W, sub, rel, depth + 1);
        free(rel);
        continue;
      }
      if (de->d_type == DT_DIR) {
        free(rel);
        continue;
      }
    }
    struct stat st;
    if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISREG(st.st_mode))
      file_seen(W, rel, &st);
    free(rel);
  }
  closedir(d);
}

/* 1 when the inputs x lists have their recorded stamps (the --people
** file: r's). */
static int inputs_match(const sb_mrerun *x, const sb_batch_rerun *r,
                        long long now) {
  for (int i = 0; i < x->n; i++) {
    sb_istamp s;
    const sb_istamp *want = &x->st[i];
    const char *path = x->path[i];
    if (strcmp(path, PEOPLE_TAG) == 0 && !(path = r->people))
      return 0;
    if (sb_batch_istamp(path, &s) < 0 || s.dev != want->dev ||
        s.ino != want->ino || s.size != want->size ||
        s.mtime_ns != want->mtime_ns || s.ctime_ns != want->ctime_ns ||
        s.ctime_ns > now) /* a clock set back: trust nothing */
      return 0;
  }
  return 1;
}

/* 1 when every output (and thumbnail) the manifest lists, and index.html,
** have their recorded size and stamp, and no temporary file is left. */
static int outputs_match(const char *dir, const sb_manifest *m) {
  const sb_mrerun *x = m->rerun;
  struct stat st;
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return 0;
  if (x->index_bytes >= 0 &&
      (fstatat(dfd, "index.html", &st, AT_SYMLINK_NOFOLLOW) < 0 ||
       !S_ISREG(st.st_mode) || !same(&x->index_stamp, &st, x->index_bytes))) {
    close(dfd);
    return 0;
  }
  walker W = {m, sb_xcalloc((size_t)m->n + 1, 1), 0, 0};
  walk_at(&W, dfd, "", 0);
  int ok = !W.bad;
  for (int i = 0; ok && i < m->n; i++)
    ok = W.seen[i] == (m->docs[i].thumb ? 3 : 1);
  free(W.seen);
  return ok;
}

void sb_batch_rerun_try(const sb_batch_opts *opts, const sb_batch_rerun *r,
                        int *done, sb_batch_stats *stats) {
  double t0 = sb_batch_now_ms();
  *done = 0;
  if (!r || !r->asked[0] || opts->force || opts->shard_n > 0 ||
      opts->people_only)
    return;
  /* No manifest: nothing to compare, and nothing may be created yet. */
  sb_fstamp mst;
  if (sb_batch_file_stamp(opts->outdir, "manifest.json", &mst) < 0)
    return;
  sb_ctx c;
  sb_ctx_init(&c);
  c.quiet = 1;
  int lockfd = -1, found = 0;
  sb_manifest m;
  sb_manifest_init(&m);
  /* Under the lock, as any batch: one that holds it is still running
  ** (and one that finds it held gets 75); the batch proper then reports
  ** the lock, after checking its input as always. */
  if (sb_batch_lock(&c, opts->outdir, &lockfd) != SB_OK)
    goto out;
  if (sb_manifest_read(&c, opts->outdir, &m, &found) != SB_OK || !found)
    goto out;
  const sb_mrerun *x = m.rerun;
  long long now = now_ns();
  if (!x || !x->asked || strcmp(x->asked, r->asked) != 0 || m.shard ||
      m.nremoved > 0 || x->documents != m.ndocs_read || x->documents != m.n)
    goto out;
  if (!inputs_match(x, r, now) || !outputs_match(opts->outdir, &m) ||
      (x->ndiag > 0 && !r->replay))
    goto out;
  /* what loading the catalogues printed, group by group, as it did */
  for (int g = 0; g < 2; g++) {
    sb_ctx d;
    sb_ctx_init(&d);
    for (int i = 0; i < x->ndiag; i++)
      if (x->diag[i].group == g)
        sb_diag_add(&d, x->diag[i].sev, SB_OK, x->diag[i].file,
                    x->diag[i].line, x->diag[i].col, "%s", x->diag[i].msg);
    if (d.ndiags > 0)
      r->replay(r->replay_arg, &d);
    sb_ctx_free(&d);
  }
  sb_batch_stats S;
  memset(&S, 0, sizeof S);
  S.unchanged = m.n;
  sb_batch_log lg = {opts->log ? opts->log : stderr, opts->log_json, 0, 0, 0,
                     0, NULL, 0};
  sb_batch_log_summary(&lg, &S, (sb_batch_now_ms() - t0) / 1000.0, 1);
  if (stats)
    *stats = S;
  *done = 1;
out:
  sb_batch_unlock(lockfd);
  sb_manifest_free(&m);
  sb_ctx_free(&c);
}
