/*
** batch/util.c -- paths, file checks and the log of the batch.
**
** The log writes one line per output to the batch's log stream (stderr):
** text for people, or JSON lines (--log-format json) for machines, and a
** progress bar that is drawn only on a terminal and cleared before each
** line, so that a log file never holds a bar.
** Tests: tests/cli/batch.sh
*/
#include <errno.h>
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

int sb_batch_file_stamp(const char *path, sb_fstamp *out) {
  struct stat st;
  memset(out, 0, sizeof *out);
  if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
    return -1;
  stamp_of(&st, out);
  return 0;
}

int sb_batch_file_check(const char *path, long long bytes, const char *sha,
                        const sb_fstamp *known, sb_fstamp *now) {
  struct stat st;
  sb_fstamp cur;
  memset(&cur, 0, sizeof cur);
  if (now)
    *now = cur;
  if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) ||
      (long long)st.st_size != bytes)
    return 0;
  stamp_of(&st, &cur);
  if (!sha || (known && same_stamp(known, &cur))) {
    if (now)
      *now = cur;
    return 1;
  }
  /* Not the file we recorded (or nothing recorded): read it. */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return 0;
  char hex[65];
  long long n;
  int rc = hash_fd(fd, hex, &n, &cur);
  close(fd);
  if (rc < 0 || n != bytes || strcmp(hex, sha) != 0)
    return 0;
  if (now)
    *now = cur;
  return 1;
}

int sb_batch_file_matches(const char *path, long long bytes, const char *sha) {
  return sb_batch_file_check(path, bytes, sha, NULL, NULL);
}

double sb_batch_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* ==== The log ==== */

void sb_blog_bar_clear(sb_blog *lg) {
  if (lg->bar_drawn) {
    fputs("\r\033[K", lg->f);
    lg->bar_drawn = 0;
  }
}

void sb_blog_bar(sb_blog *lg) {
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

void sb_blog_doc(sb_blog *lg, const char *status, const sb_mentry *e,
                 const char *path, int ms, const char *msg) {
  if (!lg->f)
    return;
  sb_blog_bar_clear(lg);
  const char *p = e ? e->path : path;
  if (lg->json) {
    sb_buf b;
    sb_buf_init(&b);
    sb_buf_adds(&b, "{\"event\":\"document\"");
    json_kv(&b, "status", status);
    json_kv(&b, "path", p);
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
  sb_blog_bar(lg);
}

void sb_blog_msg(sb_blog *lg, const char *level, const char *fmt, ...) {
  if (!lg->f)
    return;
  char text[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  sb_blog_bar_clear(lg);
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
    fprintf(lg->f, "skillbook batch: %s: %s\n", level, text);
  }
  fflush(lg->f);
  sb_blog_bar(lg);
}

void sb_blog_summary(sb_blog *lg, const sb_batch_stats *st, double secs,
                     int jobs) {
  if (!lg->f)
    return;
  sb_blog_bar_clear(lg);
  if (lg->json) {
    fprintf(lg->f,
            "{\"event\":\"summary\",\"written\":%d,\"unchanged\":%d,"
            "\"failed\":%d,\"deleted\":%d,\"seconds\":%.3f,\"jobs\":%d,"
            "\"interrupted\":%s}\n",
            st->written, st->unchanged, st->failed, st->deleted, secs, jobs,
            st->interrupted ? "true" : "false");
  } else {
    fprintf(lg->f,
            "skillbook batch: %d written / %d unchanged / %d failed / %d "
            "deleted (%.2f s, -j %d)%s\n",
            st->written, st->unchanged, st->failed, st->deleted, secs, jobs,
            st->interrupted ? ", interrupted"
            : (st->written == 0 && st->failed == 0 && st->deleted == 0)
                ? ", nothing to do: every output is up to date"
                : "");
  }
  fflush(lg->f);
}
