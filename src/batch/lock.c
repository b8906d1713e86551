/*
** batch/lock.c -- the output folder's lock and the sweep of temporary files.
**
** The lock is an flock on DIR/.skillbook.lock, taken without waiting. The
** kernel drops it when the last descriptor of the open file goes, so a
** killed batch never leaves a stale lock, provided no child keeps a copy:
** the descriptor is O_CLOEXEC and workers close it right after fork. The
** file itself is never removed (removing a lock file races with a process
** that has just opened it). It holds the holder's pid and start time, for
** the message the next batch prints.
** Tests: tests/cli/batch.sh (lock, kill -9)
*/
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch/batch-imp.h"

#define LOCK_NAME ".skillbook.lock"

sb_status sb_batch_lock(sb_ctx *ctx, const char *dir, int *fd_out) {
  *fd_out = -1;
  char *path = sb_batch_join(dir, LOCK_NAME);
  sb_status st = sb_mkdirs_for(ctx, path);
  if (st != SB_OK) {
    free(path);
    return st;
  }
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
                0666);
  if (fd < 0) {
    st = sb_fail(ctx, SB_E_IO, "%s: cannot open the lock file: %s", path,
                 errno == ELOOP ? "it is a symbolic link, and the batch "
                 "never follows a link inside its folder; remove it"
                 : strerror(errno));
    free(path);
    return st;
  }
  /* Only a regular file of its own: the pid is written into it, so a
  ** hard link to another file must not be (a symbolic link is refused by
  ** O_NOFOLLOW above). */
  struct stat lst;
  if (fstat(fd, &lst) < 0 || !S_ISREG(lst.st_mode) || lst.st_nlink != 1) {
    st = sb_fail(ctx, SB_E_IO, "%s: not a regular file of its own (a link?); "
                 "remove it", path);
    close(fd);
    free(path);
    return st;
  }
  while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
    if (errno == EINTR)
      continue;
    if (errno == EWOULDBLOCK) {
      /* "pid N\nstarted T\n" becomes "pid N, started T" */
      char raw[200], who[256];
      ssize_t n = pread(fd, raw, sizeof raw - 1, 0);
      raw[n > 0 ? n : 0] = '\0';
      size_t k = 0;
      for (const char *p = raw; *p && k + 3 < sizeof who; p++) {
        if (*p != '\n')
          who[k++] = *p;
        else if (p[1]) {
          who[k++] = ',';
          who[k++] = ' ';
        }
      }
      who[k] = '\0';
      st = sb_fail(ctx, SB_E_LOCKED,
                   "%s is in use by another batch (%s); try again later", dir,
                   who[0] ? who : "holder unknown: no pid recorded");
    } else {
      st = sb_fail(ctx, SB_E_IO, "%s: cannot lock: %s", path, strerror(errno));
    }
    close(fd);
    free(path);
    return st;
  }
  /* Record who we are, for the message of a batch that finds it held. */
  char info[160], when[40];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  int n = snprintf(info, sizeof info, "pid %ld\nstarted %s\n",
                   (long)getpid(), when);
  if (ftruncate(fd, 0) == 0 && pwrite(fd, info, (size_t)n, 0) != n) {
    /* only a courtesy for the next batch's message: ignore */
  }
  free(path);
  *fd_out = fd;
  return SB_OK;
}

void sb_batch_unlock(int fd) {
  if (fd >= 0)
    close(fd);
}

/* Removes .sbtmp-* below the open folder dfd; depth guards against loops
** (symlinks are never followed, so only absurd depth can trip it). */
static int sweep_at(int dfd, int depth) {
  int removed = 0;
  DIR *d = fdopendir(dfd);
  if (!d) {
    close(dfd);
    return 0;
  }
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    const char *name = de->d_name;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
      continue;
    struct stat st;
    if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) < 0)
      continue;
    if (S_ISDIR(st.st_mode)) {
      if (depth >= 32)
        continue;
      int sub = openat(dirfd(d), name,
                       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub >= 0)
        removed += sweep_at(sub, depth + 1);
    } else if (S_ISREG(st.st_mode) && strncmp(name, ".sbtmp-", 7) == 0) {
      if (unlinkat(dirfd(d), name, 0) == 0)
        removed++;
    }
  }
  closedir(d);
  return removed;
}

int sb_batch_sweep(const char *dir) {
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return 0;
  return sweep_at(dfd, 0);
}
