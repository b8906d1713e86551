/*
** batch/util.c -- paths, file checks and the log of the batch.
**
** The log writes one line per output to the batch's log stream (stderr):
** text for people, or JSON lines (--log-format json) for machines, and a
** progress bar that is drawn only on a terminal and cleared before each
** line, so that a log file never holds a bar.
** Tests: tests/cli/batch.sh
*/
#define _GNU_SOURCE /* syncfs */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch/batch-imp.h"

char *sb_batch_join(const char *dir, const char *rel) {
  size_t dn = strlen(dir), rn = strlen(rel);
  char *p = sb_xmalloc(dn + rn + 2);
  memcpy(p, dir, dn);
  size_t k = dn;
  if (dn > 0 && dir[dn - 1] != '/')
    p[k++] = '/';
  memcpy(p + k, rel, rn + 1);
  return p;
}

int sb_batch_rel_ok(const char *rel) {
  if (!rel || !*rel || rel[0] == '/')
    return 0;
  if (strcmp(rel, "manifest.json") == 0 || strcmp(rel, "index.html") == 0)
    return 0;
  const char *p = rel;
  while (*p) {
    const char *slash = strchr(p, '/');
    size_t n = slash ? (size_t)(slash - p) : strlen(p);
    if (n == 0 || p[0] == '.')
      return 0;
    if (!slash)
      break;
    p = slash + 1;
    if (!*p)
      return 0;
  }
  return 1;
}

static void stamp_of(const struct stat *st, sb_fstamp *out) {
  out->ino = (long long)st->st_ino;
  out->mtime_ns = (long long)st->st_mtim.tv_sec * 1000000000LL +
                  st->st_mtim.tv_nsec;
  out->ctime_ns = (long long)st->st_ctim.tv_sec * 1000000000LL +
                  st->st_ctim.tv_nsec;
}

static int same_stamp(const sb_fstamp *a, const sb_fstamp *b) {
  return a->ino != 0 && a->ino == b->ino && a->mtime_ns == b->mtime_ns &&
         a->ctime_ns == b->ctime_ns;
}

/* Hashes an open regular file; its stamp (fstat, before reading) into
** *now when not NULL. 0, or -1 when it cannot be read. */
static int hash_fd(int fd, char hex[65], long long *bytes, sb_fstamp *now) {
  struct stat st;
  if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
    return -1;
  if (now)
    stamp_of(&st, now);
  sb_sha256 h;
  sb_sha256_init(&h);
  char buf[65536];
  long long total = 0;
  for (;;) {
    ssize_t r = read(fd, buf, sizeof buf);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return -1;
    if (r == 0)
      break;
    sb_sha256_update(&h, buf, (size_t)r);
    total += r;
  }
  uint8_t d[32];
  sb_sha256_final(&h, d);
  sb_hex(d, 32, hex);
  if (bytes)
    *bytes = total;
  return 0;
}

int sb_batch_file_sha(const char *path, char hex[65], long long *bytes) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return -1;
  int rc = hash_fd(fd, hex, bytes, NULL);
  close(fd);
  return rc;
}

/* ==== Files inside the output folder, never through a symbolic link ==== */

/* Opens the folder that holds the last component of rel, below dir, one
** component at a time with O_NOFOLLOW; missing folders are created when
** create is set. dir itself is opened as given (a link the user chose is
** followed); nothing below it is. Returns the folder's descriptor and sets
** *base to the last component; -1 with errno (ELOOP for a symbolic link)
** and, when why is not NULL, a sentence naming the component. */
static int open_parent_mode(const char *dir, const char *rel, int create,
                            unsigned dmode, const char **base, char *why,
                            size_t nwhy) {
  if (why)
    why[0] = '\0';
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    if (why)
      snprintf(why, nwhy, "%s: %s", dir, strerror(e));
    errno = e;
    return -1;
  }
  const char *p = rel;
  for (;;) {
    const char *slash = strchr(p, '/');
    if (!slash)
      break;
    char name[256];
    size_t n = (size_t)(slash - p);
    if (n == 0 || n >= sizeof name) {
      close(fd);
      errno = ENAMETOOLONG;
      if (why)
        snprintf(why, nwhy, "%s: %s", rel, strerror(errno));
      return -1;
    }
    memcpy(name, p, n);
    name[n] = '\0';
    int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub < 0 && errno == ENOENT && create) {
      if (mkdirat(fd, name, dmode ? (mode_t)dmode : 0777) < 0 &&
          errno != EEXIST) {
        int e = errno;
        if (why)
          snprintf(why, nwhy, "%.*s: cannot create folder: %s",
                   (int)(slash - rel), rel, strerror(e));
        close(fd);
        errno = e;
        return -1;
      }
      sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      /* exactly dmode, whatever the umask (a private folder: 0700) */
      if (sub >= 0 && dmode)
        fchmod(sub, (mode_t)dmode);
    }
    if (sub < 0) {
      int e = errno;
      struct stat st;
      if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
          S_ISLNK(st.st_mode)) {
        e = ELOOP;
        if (why)
          snprintf(why, nwhy, "%.*s is a symbolic link, and the batch never "
                   "follows a link inside its folder (replace it with a "
                   "folder, or remove it)", (int)(slash - rel), rel);
      } else if (why) {
        snprintf(why, nwhy, "%.*s: %s", (int)(slash - rel), rel,
                 strerror(e));
      }
      close(fd);
      errno = e;
      return -1;
    }
    close(fd);
    fd = sub;
    p = slash + 1;
  }
  *base = p;
  return fd;
}

static int open_parent(const char *dir, const char *rel, int create,
                       const char **base, char *why, size_t nwhy) {
  return open_parent_mode(dir, rel, create, 0, base, why, nwhy);
}

int sb_batch_list_files(const char *dir, const char *rel,
                        void (*fn)(void *arg, const char *name), void *arg) {
  int fd;
  if (!rel[0]) {
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  } else {
    const char *base;
    int pfd = open_parent(dir, rel, 0, &base, NULL, 0);
    if (pfd < 0)
      return -1;
    fd = openat(pfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    close(pfd);
  }
  if (fd < 0)
    return -1;
  DIR *d = fdopendir(fd);
  if (!d) {
    close(fd);
    return -1;
  }
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    struct stat st;
    if (de->d_name[0] == '.')
      continue;
    if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISREG(st.st_mode))
      fn(arg, de->d_name);
  }
  closedir(d);
  return 0;
}

int sb_batch_file_stamp(const char *dir, const char *rel, sb_fstamp *out) {
  struct stat st;
  const char *base;
  memset(out, 0, sizeof *out);
  int pfd = open_parent(dir, rel, 0, &base, NULL, 0);
  if (pfd < 0)
    return -1;
  int rc = fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW);
  close(pfd);
  if (rc < 0 || !S_ISREG(st.st_mode))
    return -1;
  stamp_of(&st, out);
  return 0;
}

int sb_batch_file_check(const char *dir, const char *rel, long long bytes,
                        const char *sha, const sb_fstamp *known,
                        sb_fstamp *now) {
  struct stat st;
  sb_fstamp cur;
  const char *base;
  memset(&cur, 0, sizeof cur);
  if (now)
    *now = cur;
  int pfd = open_parent(dir, rel, 0, &base, NULL, 0);
  if (pfd < 0)
    return 0;
  int ok = 0;
  if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
      !S_ISREG(st.st_mode) || (long long)st.st_size != bytes)
    goto out;
  stamp_of(&st, &cur);
  if (!sha || (known && same_stamp(known, &cur))) {
    ok = 1;
    goto out;
  }
  /* Not the file we recorded (or nothing recorded): read it. */
  int fd = openat(pfd, base, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0)
    goto out;
  char hex[65];
  long long n;
  int rc = hash_fd(fd, hex, &n, &cur);
  close(fd);
  ok = rc == 0 && n == bytes && strcmp(hex, sha) == 0;
out:
  close(pfd);
  if (ok && now)
    *now = cur;
  return ok;
}

int sb_batch_file_matches(const char *dir, const char *rel, long long bytes,
                          const char *sha) {
  return sb_batch_file_check(dir, rel, bytes, sha, NULL, NULL);
}

sb_status sb_batch_read(sb_ctx *ctx, const char *dir, const char *rel,
                        size_t max, char **out, size_t *outlen) {
  const char *base;
  char why[512];
  *out = NULL;
  *outlen = 0;
  int pfd = open_parent(dir, rel, 0, &base, why, sizeof why);
  if (pfd < 0) {
    int e = errno;
    sb_status st = sb_fail(ctx, SB_E_IO, "%s", why);
    errno = e;
    return st;
  }
  int fd = openat(pfd, base, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  int e = errno;
  close(pfd);
  struct stat st;
  if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
    close(fd);
    fd = -1;
    e = EINVAL;
  }
  if (fd < 0) {
    char *path = sb_batch_join(dir, rel);
    sb_status s = sb_fail(ctx, SB_E_IO, "%s: cannot open: %s", path,
                          e == ELOOP ? "a symbolic link (the batch never "
                          "follows a link inside its folder)"
                          : e == EINVAL ? "not a regular file" : strerror(e));
    free(path);
    errno = e;
    return s;
  }
  char *path = sb_batch_join(dir, rel);
  sb_status s = sb_read_fd(ctx, fd, path, max, NULL, out, outlen);
  free(path);
  return s;
}

/* Creates a new temporary file ".sbtmp-BASE-XXXXXX" in the folder pfd
** (O_EXCL, O_NOFOLLOW: never an existing file or link). Its name goes
** into tmp. Returns the descriptor, or -1. */
static int create_temp(int pfd, const char *base, char *tmp, size_t cap) {
  static unsigned long long seq;
  static const char abc[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  for (int tries = 0; tries < 100; tries++) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long long v = (unsigned long long)ts.tv_nsec * 2654435761ULL ^
                           ((unsigned long long)getpid() << 32) ^
                           (++seq * 0x9E3779B97F4A7C15ULL);
    char suffix[7];
    for (int i = 0; i < 6; i++) {
      suffix[i] = abc[v % 62];
      v /= 62;
    }
    suffix[6] = '\0';
    snprintf(tmp, cap, ".sbtmp-%.60s-%s", base, suffix);
    int fd = openat(pfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                    O_CLOEXEC, 0600);
    if (fd >= 0 || errno != EEXIST)
      return fd;
  }
  return -1;
}

sb_status sb_batch_write(sb_ctx *ctx, const char *dir, const char *rel,
                         const void *data, size_t n, sb_fstamp *stamp) {
  return sb_batch_write_mode(ctx, dir, rel, data, n, stamp, 0, 0, 1);
}

sb_status sb_batch_write_mode(sb_ctx *ctx, const char *dir, const char *rel,
                              const void *data, size_t n, sb_fstamp *stamp,
                              unsigned fmode, unsigned dmode, int sync) {
  const char *base;
  char why[512], tmp[128];
  char *path = sb_batch_join(dir, rel);
  sb_status st = SB_OK;
  if (stamp)
    memset(stamp, 0, sizeof *stamp);
  int pfd = open_parent_mode(dir, rel, 1, dmode, &base, why, sizeof why);
  if (pfd < 0) {
    st = sb_fail(ctx, SB_E_IO, "%s: not written: %s", path, why);
    free(path);
    return st;
  }
  /* The mode of the file being replaced, when it is a regular file. */
  struct stat old;
  mode_t mode = (mode_t)sb_new_file_mode();
  if (fstatat(pfd, base, &old, AT_SYMLINK_NOFOLLOW) == 0) {
    if (S_ISDIR(old.st_mode)) {
      st = sb_fail(ctx, SB_E_IO, "%s: is a folder", path);
      goto out;
    }
    if (S_ISREG(old.st_mode))
      mode = old.st_mode & 0777;
  }
  if (fmode)
    mode = (mode_t)fmode;
  int fd = create_temp(pfd, base, tmp, sizeof tmp);
  if (fd < 0) {
    st = sb_fail(ctx, SB_E_IO, "%s: cannot create a file in its folder: %s",
                 path, strerror(errno));
    goto out;
  }
  char *tpath = sb_batch_join(dir, rel);
  char *slash = strrchr(tpath, '/');
  tpath[slash ? (size_t)(slash - tpath + 1) : 0] = '\0';
  char *treg = sb_batch_join(tpath[0] ? tpath : ".", tmp);
  sb_oom_register_temp(treg);
  if (sync) {
    st = sb_write_temp_fd(ctx, fd, path, data, n, mode);
  } else {
    /* no fsync: the caller syncs the file system once before its commit
    ** (sb_batch_syncfs) */
    if (sb_write_full(fd, data, n) < 0 || fchmod(fd, mode) < 0)
      st = sb_fail(ctx, SB_E_IO, "%s: cannot write: %s", path,
                   strerror(errno));
    if (close(fd) < 0 && st == SB_OK)
      st = sb_fail(ctx, SB_E_IO, "%s: cannot write: %s", path,
                   strerror(errno));
  }
  /* renameat replaces whatever non-folder is at base (a regular file, or
  ** a symbolic link: the link itself, never its target). */
  if (st == SB_OK && renameat(pfd, tmp, pfd, base) < 0)
    st = sb_fail(ctx, SB_E_IO, "%s: cannot replace: %s", path,
                 strerror(errno));
  if (st != SB_OK)
    unlinkat(pfd, tmp, 0);
  sb_oom_register_temp(NULL);
  free(treg);
  free(tpath);
  struct stat now;
  if (st == SB_OK && stamp &&
      fstatat(pfd, base, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
      S_ISREG(now.st_mode))
    stamp_of(&now, stamp);
out:
  close(pfd);
  free(path);
  return st;
}

int sb_batch_unlink(const char *dir, const char *rel) {
  const char *base;
  int pfd = open_parent(dir, rel, 0, &base, NULL, 0);
  if (pfd < 0)
    return errno == ENOENT ? 1 : -1;
  struct stat st;
  int rc;
  if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
    rc = errno == ENOENT ? 1 : -1;
  else if (!S_ISREG(st.st_mode))
    rc = 2;
  else
    rc = unlinkat(pfd, base, 0) == 0 ? 0 : -1;
  int e = errno;
  close(pfd);
  errno = e;
  return rc;
}

int sb_batch_rmdir(const char *dir, const char *rel) {
  const char *base;
  int pfd = open_parent(dir, rel, 0, &base, NULL, 0);
  if (pfd < 0)
    return -1;
  int rc = unlinkat(pfd, base, AT_REMOVEDIR);
  close(pfd);
  return rc;
}

int sb_batch_rename(sb_ctx *ctx, const char *sdir, const char *srel,
                    const char *ddir, const char *drel) {
  return sb_batch_rename_mode(ctx, sdir, srel, ddir, drel, 0);
}

int sb_batch_rename_mode(sb_ctx *ctx, const char *sdir, const char *srel,
                         const char *ddir, const char *drel, unsigned dmode) {
  const char *sbase, *dbase;
  char why[512];
  int spfd = open_parent(sdir, srel, 0, &sbase, why, sizeof why);
  if (spfd < 0) {
    sb_fail(ctx, SB_E_IO, "%s", why);
    return -1;
  }
  int dpfd = open_parent_mode(ddir, drel, 1, dmode, &dbase, why, sizeof why);
  if (dpfd < 0) {
    char *dpath = sb_batch_join(ddir, drel);
    sb_fail(ctx, SB_E_IO, "%s: not written: %s", dpath, why);
    free(dpath);
    close(spfd);
    return -1;
  }
  struct stat st;
  int rc = 0;
  if (fstatat(dpfd, dbase, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
      S_ISDIR(st.st_mode)) {
    char *dpath = sb_batch_join(ddir, drel);
    sb_fail(ctx, SB_E_IO, "%s: is a folder", dpath);
    free(dpath);
    rc = -1;
  } else if (renameat(spfd, sbase, dpfd, dbase) < 0) {
    rc = errno == EXDEV ? 1 : -1;
    if (rc < 0) {
      char *spath = sb_batch_join(sdir, srel), *dpath = sb_batch_join(ddir, drel);
      sb_fail(ctx, SB_E_IO, "%s: cannot move to %s: %s", spath, dpath,
              strerror(errno));
      free(spath);
      free(dpath);
    }
  }
  close(spfd);
  close(dpfd);
  return rc;
}

int sb_batch_syncfs(const char *dir) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  int rc = syncfs(fd);
  close(fd);
  return rc;
}

unsigned sb_batch_dir_mode(unsigned fmode) {
  return (fmode & 0777) | ((fmode & 0444) >> 2);
}

double sb_batch_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* ==== The log ==== */

void sb_batch_log_bar_clear(sb_batch_log *lg) {
  if (lg->bar_drawn) {
    fputs("\r\033[K", lg->f);
    lg->bar_drawn = 0;
  }
}

void sb_batch_log_bar(sb_batch_log *lg) {
  if (!lg->progress || lg->total <= 0)
    return;
  enum { W = 30 };
  int fill = (int)((long long)lg->done * W / lg->total);
  char bar[W + 1];
  for (int i = 0; i < W; i++)
    bar[i] = i < fill ? '#' : '-';
  bar[W] = '\0';
  fprintf(lg->f, "\r\033[K[%s] %d/%d", bar, lg->done, lg->total);
  fflush(lg->f);
  lg->bar_drawn = 1;
}

static void json_kv(sb_buf *b, const char *k, const char *v) {
  if (!v)
    return;
  sb_buf_printf(b, ",\"%s\":\"", k);
  sb_buf_json_str(b, v);
  sb_buf_addc(b, '"');
}

void sb_batch_log_doc(sb_batch_log *lg, const char *status,
                      const sb_mentry *e, const char *path, int ms,
                      const char *msg) {
  if (!lg->f)
    return;
  sb_batch_log_bar_clear(lg);
  const char *p = e ? (e->logname ? e->logname : e->path) : path;
  if (lg->json) {
    sb_buf b;
    sb_buf_init(&b);
    sb_buf_adds(&b, "{\"event\":\"document\"");
    json_kv(&b, "status", status);
    json_kv(&b, e && e->logname ? "who" : "path", p);
    if (e) {
      json_kv(&b, "kind", e->kind);
      if (strcmp(status, "written") == 0 || strcmp(status, "moved") == 0) {
        sb_buf_printf(&b, ",\"pages\":%d,\"bytes\":%lld", e->pages, e->bytes);
        json_kv(&b, "sha256", e->sha256);
        json_kv(&b, "thumb", e->thumb);
      }
    }
    if (ms >= 0)
      sb_buf_printf(&b, ",\"ms\":%d", ms);
    json_kv(&b, "message", msg);
    sb_buf_adds(&b, "}\n");
    fputs(b.p, lg->f);
    sb_buf_free(&b);
  } else if (strcmp(status, "written") == 0 || strcmp(status, "moved") == 0) {
    fprintf(lg->f, "%-8s %-9s %s (%d page%s, %lld bytes", status,
            e ? e->kind : "", p, e ? e->pages : 0,
            e && e->pages == 1 ? "" : "s", e ? e->bytes : 0);
    if (ms >= 0)
      fprintf(lg->f, ", %d ms", ms);
    fputs(")\n", lg->f);
  } else if (strcmp(status, "failed") == 0) {
    fprintf(lg->f, "%-8s %-9s %s: %s\n", "FAILED", e ? e->kind : "", p,
            msg ? msg : "unknown error");
  } else {
    fprintf(lg->f, "%-8s %-9s %s%s%s\n", status, e ? e->kind : "", p,
            msg ? ": " : "", msg ? msg : "");
  }
  fflush(lg->f);
  sb_batch_log_bar(lg);
}

void sb_batch_log_msg(sb_batch_log *lg, const char *level, const char *fmt,
                      ...) {
  if (!lg->f)
    return;
  char text[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  lg->nmsgs++;
  sb_batch_log_bar_clear(lg);
  if (lg->json) {
    sb_buf b;
    sb_buf_init(&b);
    sb_buf_adds(&b, "{\"event\":\"message\"");
    json_kv(&b, "level", level);
    json_kv(&b, "message", text);
    sb_buf_adds(&b, "}\n");
    fputs(b.p, lg->f);
    sb_buf_free(&b);
  } else {
    fprintf(lg->f, "skillbook %s: %s: %s\n", lg->cmd ? lg->cmd : "batch",
            level, text);
  }
  fflush(lg->f);
  sb_batch_log_bar(lg);
}

void sb_batch_log_summary(sb_batch_log *lg, const sb_batch_stats *st,
                          double secs, int jobs) {
  if (!lg->f)
    return;
  sb_batch_log_bar_clear(lg);
  if (lg->json) {
    fprintf(lg->f,
            "{\"event\":\"summary\",\"written\":%d,\"unchanged\":%d,"
            "\"failed\":%d,\"deleted\":%d,\"seconds\":%.3f,\"jobs\":%d,"
            "\"interrupted\":%s}\n",
            st->written, st->unchanged, st->failed, st->deleted, secs, jobs,
            st->interrupted ? "true" : "false");
  } else {
    fprintf(lg->f,
            "skillbook %s: %d written / %d unchanged / %d failed / %d "
            "deleted (%.2f s, -j %d)%s\n",
            lg->cmd ? lg->cmd : "batch", st->written, st->unchanged,
            st->failed, st->deleted, secs, jobs,
            st->interrupted ? ", interrupted"
            : (st->written == 0 && st->failed == 0 && st->deleted == 0)
                ? ", nothing to do: every output is up to date"
                : "");
  }
  fflush(lg->f);
}
