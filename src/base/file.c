/*
** base/file.c -- reading input files and writing outputs safely.
**
** Writing follows DESIGN.md: a regular file is replaced atomically through a
** temporary file in the same folder (".sbtmp-NAME-XXXXXX", the pattern the
** batch sweeps), fsync'ed, closed with the close checked, given the mode a
** new file would get (or the old file's), then renamed over the target. A
** device, FIFO or standard output is written in place and never replaced.
** Tests: tests/unit/test_base.c (the writer's rules on regular files),
** tests/cli/faults.sh (full disk, FIFO, devices, unwritable places),
** tests/cli/links.sh (symbolic links at the destination)
*/
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "skillbook/base.h"

sb_status sb_read_fd(sb_ctx *ctx, int fd, const char *name, size_t max,
                     const char *limit, char **out, size_t *outlen) {
  sb_buf b;
  sb_buf_init(&b);
  char chunk[65536];
  *out = NULL;
  *outlen = 0;
  for (;;) {
    ssize_t r = read(fd, chunk, sizeof chunk);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      int e = errno;
      close(fd);
      sb_buf_free(&b);
      return sb_fail(ctx, SB_E_IO, "%s: cannot read: %s", name, strerror(e));
    }
    if (r == 0)
      break;
    if (b.n + (size_t)r > max) {
      close(fd);
      sb_buf_free(&b);
      if (!limit)
        return sb_fail(ctx, SB_E_IO, "%s: larger than %zu bytes", name, max);
      return sb_fail(ctx, SB_E_LIMIT,
                     "%s: file is larger than the limit of %zu bytes (raise "
                     "it with --limit %s=N)",
                     name, max, limit);
    }
    sb_buf_add(&b, chunk, (size_t)r);
  }
  close(fd);
  if (!b.p)
    sb_buf_add(&b, "", 0);
  *out = b.p;
  *outlen = b.n;
  return SB_OK;
}

/* Shared by the catalogue loader and the fonts (catalog/load.c, font/font.c). */
char *sb_read_regular(const char *path, size_t max, size_t *len) {
  struct stat st;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
      (uintmax_t)st.st_size > max || (uintmax_t)st.st_size >= SIZE_MAX) {
    close(fd);
    return NULL;
  }
  size_t n = (size_t)st.st_size, got = 0;
  char *p = sb_xmalloc(n + 1);
  while (got <= n) { /* one byte more than the size: did the file grow? */
    ssize_t r = read(fd, p + got, n + 1 - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    got += (size_t)r;
  }
  close(fd);
  if (got != n) {
    free(p);
    return NULL;
  }
  p[n] = 0;
  *len = n;
  return p;
}

sb_status sb_read_file(sb_ctx *ctx, const char *path, size_t max, char **out,
                       size_t *outlen) {
  *out = NULL;
  *outlen = 0;
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return sb_fail(ctx, SB_E_IO, "%s: cannot open: %s", path, strerror(errno));
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    close(fd);
    return sb_fail(ctx, SB_E_IO, "%s: is a directory", path);
  }
  return sb_read_fd(ctx, fd, path, max, "file-bytes", out, outlen);
}

int sb_write_full(int fd, const void *data, size_t n) {
  const char *p = data;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w == 0)
      errno = EIO;
    if (w <= 0)
      return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static sb_status write_all(sb_ctx *ctx, int fd, const char *what,
                           const void *data, size_t n) {
  if (sb_write_full(fd, data, n) < 0)
    return sb_fail(ctx, SB_E_IO, "%s: cannot write: %s", what,
                   strerror(errno));
  return SB_OK;
}

/* A device, FIFO or stdout: written through, never replaced. */
static sb_status write_in_place(sb_ctx *ctx, const char *path,
                                const void *data, size_t n) {
  int fd = strcmp(path, "-") == 0 ? 1 : open(path, O_WRONLY | O_NOCTTY);
  const char *what = fd == 1 && strcmp(path, "-") == 0 ? "standard output" : path;
  if (fd < 0)
    return sb_fail(ctx, SB_E_IO, "%s: cannot open: %s", path, strerror(errno));
  sb_status st = write_all(ctx, fd, what, data, n);
  if (fd == 1) {
    if (st == SB_OK && fsync(1) < 0 && errno != EINVAL && errno != EROFS &&
        errno != ENOTSUP)
      st = sb_fail(ctx, SB_E_IO, "%s: cannot write: %s", what, strerror(errno));
    return st;
  }
  if (close(fd) < 0 && st == SB_OK)
    st = sb_fail(ctx, SB_E_IO, "%s: cannot close: %s", path, strerror(errno));
  return st;
}

unsigned sb_new_file_mode(void) {
  mode_t um = umask(0);
  umask(um);
  return 0666 & ~um;
}

sb_status sb_write_temp_fd(sb_ctx *ctx, int fd, const char *name,
                           const void *data, size_t n, unsigned mode) {
  sb_status st = write_all(ctx, fd, name, data, n);
  if (st == SB_OK && fchmod(fd, (mode_t)mode) < 0)
    st = sb_fail(ctx, SB_E_IO, "%s: cannot set mode: %s", name,
                 strerror(errno));
  if (st == SB_OK && fsync(fd) < 0)
    st = sb_fail(ctx, SB_E_IO, "%s: cannot write: %s", name, strerror(errno));
  if (close(fd) < 0 && st == SB_OK)
    st = sb_fail(ctx, SB_E_IO, "%s: cannot write: %s", name, strerror(errno));
  return st;
}

/* Follows a chain of symlinks to the final path (which may not exist). */
static char *resolve_target(const char *path) {
  char *cur = sb_xstrdup(path);
  for (int hops = 0; hops < 40; hops++) {
    struct stat st;
    if (lstat(cur, &st) < 0 || !S_ISLNK(st.st_mode))
      return cur;
    char link[PATH_MAX];
    ssize_t n = readlink(cur, link, sizeof link - 1);
    if (n < 0)
      return cur;
    link[n] = '\0';
    char *next;
    if (link[0] == '/') {
      next = sb_xstrdup(link);
    } else {
      const char *slash = strrchr(cur, '/');
      size_t dl = slash ? (size_t)(slash - cur + 1) : 0;
      next = sb_xmalloc(dl + (size_t)n + 1);
      memcpy(next, cur, dl);
      memcpy(next + dl, link, (size_t)n + 1);
    }
    free(cur);
    cur = next;
  }
  return cur;
}

static sb_status write_replace(sb_ctx *ctx, const char *target,
                               const void *data, size_t n, mode_t mode) {
  const char *slash = strrchr(target, '/');
  size_t dl = slash ? (size_t)(slash - target + 1) : 0;
  const char *base = target + dl;
  char *tmp = sb_xmalloc(dl + strlen(base) + 32);
  memcpy(tmp, target, dl);
  sprintf(tmp + dl, ".sbtmp-%.60s-XXXXXX", base);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    sb_status st = sb_fail(ctx, SB_E_IO, "%s: cannot create a file in its "
                           "folder: %s", target, strerror(errno));
    free(tmp);
    return st;
  }
  sb_oom_register_temp(tmp);
  sb_status st = sb_write_temp_fd(ctx, fd, target, data, n, mode);
  if (st == SB_OK && rename(tmp, target) < 0)
    st = sb_fail(ctx, SB_E_IO, "%s: cannot replace: %s", target,
                 strerror(errno));
  if (st != SB_OK)
    unlink(tmp);
  sb_oom_register_temp(NULL);
  free(tmp);
  return st;
}

sb_status sb_mkdirs_for(sb_ctx *ctx, const char *path) {
  char *dir = sb_xstrdup(path);
  char *slash = strrchr(dir, '/');
  if (!slash || slash == dir) {
    free(dir);
    return SB_OK;
  }
  *slash = '\0';
  for (char *p = dir + 1; ; p++) {
    if (*p == '/' || *p == '\0') {
      char c = *p;
      *p = '\0';
      if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
        sb_status st = sb_fail(ctx, SB_E_IO, "%s: cannot create folder: %s",
                               dir, strerror(errno));
        free(dir);
        return st;
      }
      *p = c;
      if (c == '\0')
        break;
    }
  }
  free(dir);
  return SB_OK;
}

/* sb_write_output and sb_write_private: mode 0 keeps an existing file's
** mode (a new one gets sb_new_file_mode), else every regular file written
** gets mode. */
static sb_status write_output(sb_ctx *ctx, const char *path, const void *data,
                              size_t n, int mkdirs, unsigned mode) {
  if (strcmp(path, "-") == 0)
    return write_in_place(ctx, path, data, n);
  char *target = resolve_target(path);
  struct stat st;
  sb_status rc;
  if (stat(target, &st) == 0) {
    if (S_ISDIR(st.st_mode))
      rc = sb_fail(ctx, SB_E_IO, "%s: is a directory", path);
    else if (!S_ISREG(st.st_mode))
      rc = write_in_place(ctx, target, data, n);
    else
      rc = write_replace(ctx, target, data, n,
                         mode ? (mode_t)mode : st.st_mode & 07777);
  } else if (errno != ENOENT) {
    rc = sb_fail(ctx, SB_E_IO, "%s: %s", path, strerror(errno));
  } else {
    rc = mkdirs ? sb_mkdirs_for(ctx, target) : SB_OK;
    if (rc == SB_OK)
      rc = write_replace(ctx, target, data, n,
                         mode ? (mode_t)mode : sb_new_file_mode());
  }
  free(target);
  return rc;
}

sb_status sb_write_output(sb_ctx *ctx, const char *path, const void *data,
                          size_t n, int mkdirs) {
  return write_output(ctx, path, data, n, mkdirs, 0);
}

sb_status sb_write_private(sb_ctx *ctx, const char *path, const void *data,
                           size_t n) {
  return write_output(ctx, path, data, n, 0, 0600);
}
