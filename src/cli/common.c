/*
** cli/common.c -- option parsing, the data folder, messages, loading.
**
** What every subcommand needs, so that they all spell options, messages and
** exit statuses the same way (PRODUCT.md).
*/
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

int sb_cli_usage_error(const char *cmd, const char *fmt, ...) {
  va_list ap;
  /* an unknown id found in a catalogue still being validated: the load's
  ** messages first, and its failure (exit 3) when it failed, as when the
  ** load had ended first */
  int rc = sb_cli_settle();
  if (rc)
    return rc;
  fprintf(stderr, "skillbook %s: ", cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  return SB_EXIT_USAGE;
}

int sb_cli_parse_count(const char *s, long max, int *out) {
  char *end;
  long v;
  if (!s || *s < '0' || *s > '9') return 0;
  errno = 0;
  v = strtol(s, &end, 10);
  if (errno || *end || v < 1 || v > max) return 0;
  *out = (int)v;
  return 1;
}

static const sb_opt *find_long(const sb_opt *opts, const char *name,
                               size_t n) {
  for (; opts->lng; opts++)
    if (strlen(opts->lng) == n && strncmp(opts->lng, name, n) == 0)
      return opts;
  return NULL;
}

static const sb_opt *find_short(const sb_opt *opts, char c) {
  for (; opts->lng; opts++)
    if (opts->shrt && opts->shrt == c)
      return opts;
  return NULL;
}

/* --quiet: warnings are not printed (errors always are). Set once by
** sb_cli_parse; workers of handbook --all inherit it. */
static int quiet;

int sb_cli_quiet(void) { return quiet; }

/* The options sb_cli_parse itself takes (when it has a context), as --help
** lists them after the command's own. */
static void print_help(const char *usage, const sb_opt *opts, int common) {
  fputs(usage, stdout);
  printf("\nOptions:\n");
  for (; opts->lng; opts++) {
    if (!opts->help)
      continue;
    char left[64];
    if (opts->shrt)
      snprintf(left, sizeof left, "-%c, --%s%s%s", opts->shrt, opts->lng,
               opts->val ? " " : "", opts->val ? opts->argname : "");
    else
      snprintf(left, sizeof left, "    --%s%s%s", opts->lng,
               opts->val ? " " : "", opts->val ? opts->argname : "");
    printf("  %-26s %s\n", left, opts->help);
  }
  if (common) {
    printf("  %-26s %s\n", "    --limit NAME=VALUE",
           "raise or lower a size cap: file-bytes, files, text-bytes, nodes, "
           "skills, pages, arena-bytes, documents");
    printf("  %-26s %s\n", "-q, --quiet",
           "print no warnings (errors are always printed)");
  }
  printf("  %-26s %s\n", "-h, --help", "show this help");
}

int sb_cli_parse(int argc, char **argv, const sb_opt *opts, const char **pos,
                 int maxpos, int *npos, const char *usage, int *help,
                 sb_ctx *ctx) {
  const char *cmd = argv[0];
  int only_pos = 0;
  *npos = 0;
  *help = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const sb_opt *o = NULL;
    const char *val = NULL;
    if (!only_pos && strcmp(a, "--") == 0) {
      only_pos = 1;
      continue;
    }
    if (!only_pos && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
      print_help(usage, opts, ctx != NULL);
      *help = 1;
      return 0;
    }
    if (!only_pos && ctx &&
        (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0)) {
      quiet = 1;
      continue;
    }
    if (!only_pos && a[0] == '-' && a[1] == '-') {
      const char *name = a + 2, *eq = strchr(name, '=');
      size_t n = eq ? (size_t)(eq - name) : strlen(name);
      if (ctx && n == 5 && strncmp(name, "limit", 5) == 0) {
        const char *spec = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (!spec)
          return sb_cli_usage_error(cmd, "--limit needs NAME=VALUE");
        if (sb_limits_set(ctx, &ctx->limits, spec) != SB_OK) {
          int rc = sb_cli_usage_error(cmd, "%s", ctx->errmsg);
          sb_ctx_clear_error(ctx);
          return rc;
        }
        continue;
      }
      o = find_long(opts, name, n);
      if (!o)
        return sb_cli_usage_error(cmd, "unknown option '--%.*s' (see "
                                  "'skillbook %s --help')", (int)n, name, cmd);
      SB_ASSERT(!o->val != !o->flag); /* a table entry: a value or a switch */
      if (o->flag) {
        if (eq)
          return sb_cli_usage_error(cmd, "--%s takes no value", o->lng);
        *o->flag = 1;
        continue;
      }
      val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
    } else if (!only_pos && a[0] == '-' && a[1] && a[1] != '-') {
      o = find_short(opts, a[1]);
      if (!o)
        return sb_cli_usage_error(cmd, "unknown option '-%c' (see "
                                  "'skillbook %s --help')", a[1], cmd);
      SB_ASSERT(!o->val != !o->flag);
      if (o->flag) {
        if (a[2])
          return sb_cli_usage_error(cmd, "-%c takes no value", a[1]);
        *o->flag = 1;
        continue;
      }
      val = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
    } else {
      if (*npos >= maxpos)
        return sb_cli_usage_error(cmd, "unexpected argument '%s'", a);
      pos[(*npos)++] = a;
      continue;
    }
    if (!val)
      return sb_cli_usage_error(cmd, "--%s needs a value (%s)", o->lng,
                                o->argname ? o->argname : "VALUE");
    *o->val = val;
  }
  return 0;
}

/* ==== Clean paths ==== */

/* path with "." components, repeated slashes and "NAME/.." pairs removed,
** lexically; "" stays "" and a path that cancels out is ".". */
static char *lexical_clean(const char *path) {
  size_t n = strlen(path);
  char *out = sb_xmalloc(n + 2);
  size_t o = 0, base = 0;  /* base: the part ".." may not climb above */
  int abs = path[0] == '/';
  if (abs) out[o++] = '/', base = 1;
  for (const char *p = path; *p;) {
    while (*p == '/') p++;
    const char *e = strchr(p, '/');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (len == 0 || (len == 1 && p[0] == '.')) {
      /* nothing */
    } else if (len == 2 && p[0] == '.' && p[1] == '.') {
      if (o > base) {
        /* drop the last component */
        while (o > base && out[o - 1] != '/') o--;
        if (o > base) o--;  /* its slash */
      } else if (!abs) {
        if (o) out[o++] = '/';
        memcpy(out + o, "..", 2);
        o += 2;
        base = o;
      }
    } else {
      if (o > (abs ? 1u : 0u)) out[o++] = '/';
      memcpy(out + o, p, len);
      o += len;
    }
    p += len;
  }
  if (o == 0 && n) out[o++] = '.';
  out[o] = '\0';
  return out;
}

/* 1 when a and b name the same file or folder, or (when neither exists)
** the same name in the same folder. */
static int same_place(const char *a, const char *b, int depth) {
  struct stat sa, sb;
  int ra = stat(a, &sa), rb = stat(b, &sb);
  if (ra == 0 && rb == 0)
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  if (ra == 0 || rb == 0 || depth > 64) return 0;
  const char *sla = strrchr(a, '/'), *slb = strrchr(b, '/');
  const char *na = sla ? sla + 1 : a, *nb = slb ? slb + 1 : b;
  if (strcmp(na, nb) != 0 || strcmp(na, "..") == 0 || !*na) return 0;
  char *pa = sla ? sb_xstrdup(a) : sb_xstrdup("."), *pb;
  pb = slb ? sb_xstrdup(b) : sb_xstrdup(".");
  if (sla) pa[sla - a == 0 ? 1 : sla - a] = '\0';
  if (slb) pb[slb - b == 0 ? 1 : slb - b] = '\0';
  int same = same_place(pa, pb, depth + 1);
  free(pa);
  free(pb);
  return same;
}

char *sb_cli_clean_path(const char *path, int relative) {
  char *c = lexical_clean(path);
  /* "link/.." is not lexically "": keep what was typed when the clean
  ** form would name another place */
  if (strstr(path, "..") && strcmp(c, path) != 0 && !same_place(path, c, 0)) {
    free(c);
    return sb_xstrdup(path);
  }
  char cwd[PATH_MAX];
  size_t n;
  if (relative && c[0] == '/' && getcwd(cwd, sizeof cwd) &&
      strcmp(cwd, "/") != 0 && strncmp(c, cwd, n = strlen(cwd)) == 0) {
    if (c[n] == '\0')
      strcpy(c, ".");
    else if (c[n] == '/')
      memmove(c, c + n + 1, strlen(c + n + 1) + 1);
  }
  return c;
}

/* ==== The data folder ==== */

static int has_catalog(const char *dir) {
  char p[PATH_MAX + 16];
  struct stat st;
  snprintf(p, sizeof p, "%s/catalog", dir);
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *find_datadir(void);

/* The folder find_datadir finds, without "build/.." (messages name the
** bundled catalogue catalog/..., not build/../catalog/...). */
const char *sb_cli_datadir(void) {
  static char dir[PATH_MAX];
  if (!dir[0]) {
    char *c = sb_cli_clean_path(find_datadir(), 0);
    snprintf(dir, sizeof dir, "%s", c);
    free(c);
  }
  return dir;
}

/* 1 when the folder exe_dir is the build folder the program was built in
** (SB_BUILD_DIR), compared by device and inode. */
static int in_build_dir(const char *exe_dir) {
#ifdef SB_BUILD_DIR
  struct stat a, b;
  return stat(exe_dir, &a) == 0 && stat(SB_BUILD_DIR, &b) == 0 &&
         a.st_dev == b.st_dev && a.st_ino == b.st_ino;
#else
  (void)exe_dir;
  return 0;
#endif
}

static const char *find_datadir(void) {
  static char dir[PATH_MAX];
  if (dir[0])
    return dir;
  const char *env = getenv("SKILLBOOK_DATA");
  if (env && *env) {
    snprintf(dir, sizeof dir, "%s", env);
    return dir;
  }
  char exe[PATH_MAX - 64];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
      *slash = '\0';
    /* an installed program: PREFIX/bin/skillbook -> PREFIX/share/skillbook */
    snprintf(dir, sizeof dir, "%s/../share/skillbook", exe);
    if (has_catalog(dir))
      return dir;
    /* the program in its build folder (and only there) may use the source
       tree it was built from; an installed copy never does (#20) */
    if (in_build_dir(exe)) {
      snprintf(dir, sizeof dir, "%s/..", exe);
      if (has_catalog(dir))
        return dir;
#ifdef SB_SOURCE_DIR
      if (has_catalog(SB_SOURCE_DIR)) {
        snprintf(dir, sizeof dir, "%s", SB_SOURCE_DIR);
        return dir;
      }
#endif
    }
  }
#ifdef SB_DATADIR
  if (has_catalog(SB_DATADIR)) {
    snprintf(dir, sizeof dir, "%s", SB_DATADIR);
    return dir;
  }
#endif
  snprintf(dir, sizeof dir, ".");
  return dir;
}

char *sb_cli_data_path(const char *rel) {
  const char *d = sb_cli_datadir();
  size_t n = strlen(d) + strlen(rel) + 2;
  char *p = sb_xmalloc(n);
  snprintf(p, n, "%s/%s", d, rel);
  return p;
}

/* ==== Messages ==== */

static const char *sev_word(sb_severity s) {
  return s == SB_SEV_ERROR ? "error" : s == SB_SEV_WARNING ? "warning" : "note";
}

static size_t diags_seen;
static sb_ctx *capture;

size_t sb_cli_diags_seen(void) { return diags_seen; }

void sb_cli_capture_diags(sb_ctx *into) { capture = into; }

void sb_cli_capture_copy(const sb_ctx *ctx) {
  diags_seen += ctx->ndiags;
  for (size_t i = 0; capture && i < ctx->ndiags; i++) {
    const sb_diag *d = &ctx->diags[i];
    sb_diag_add(capture, d->sev, d->code, d->file, d->line, d->col, "%s",
                d->msg);
  }
}

/* Prints the diagnostics of ctx, warnings only when warnings is set. */
static void print_diags(sb_ctx *ctx, const char *cmd, int warnings) {
  int shown_first = 0;
  sb_diag_sort(ctx);
  sb_cli_capture_copy(ctx);
  for (size_t i = 0; i < ctx->ndiags; i++) {
    const sb_diag *d = &ctx->diags[i];
    if (d->sev == SB_SEV_WARNING && !warnings)
      continue;
    if (d->file && d->line > 0 && d->col > 0)
      fprintf(stderr, "%s:%ld:%ld: %s: %s\n", d->file, d->line, d->col,
              sev_word(d->sev), d->msg);
    else if (d->file && d->line > 0)
      fprintf(stderr, "%s:%ld: %s: %s\n", d->file, d->line, sev_word(d->sev),
              d->msg);
    else if (d->file)
      fprintf(stderr, "%s: %s: %s\n", d->file, sev_word(d->sev), d->msg);
    else
      fprintf(stderr, "skillbook %s: %s: %s\n", cmd, sev_word(d->sev), d->msg);
    if (ctx->status && strstr(ctx->errmsg, d->msg))
      shown_first = 1;
  }
  if (ctx->status && !shown_first && ctx->errmsg[0])
    fprintf(stderr, "skillbook %s: error: %s\n", cmd, ctx->errmsg);
}

void sb_cli_print_diags(sb_ctx *ctx, const char *cmd) {
  print_diags(ctx, cmd, !quiet);
}

int sb_cli_load_catalog(sb_ctx *ctx, const char *cmd, const char *path,
                        int strict, int report, sb_catalog **out) {
  return sb_cli_load_catalog_texts(ctx, cmd, path, strict, report, NULL, NULL,
                                   out);
}

/* What sb_cli_load_catalog_texts prints once the load has given s: the
** diagnostics as report says, the --strict verdict; frees ctx's
** diagnostics (printed once) and, on failure, *out. Returns the status. */
static int report_load(sb_ctx *ctx, const char *cmd, sb_status s, int strict,
                       int report, const char *clean, int bundled,
                       sb_catalog **out) {
  int rc = SB_EXIT_OK;
  if (s != SB_OK) {
    rc = s == SB_E_USAGE ? SB_EXIT_USAGE : SB_EXIT_CATALOG;
  } else if (strict && ctx->nwarnings > 0) {
    fprintf(stderr, "skillbook %s: error: %zu warning(s) and --strict\n", cmd,
            ctx->nwarnings);
    rc = SB_EXIT_CATALOG;
  }
  /* warnings that fail the command are errors: always printed in full */
  if (rc != SB_EXIT_OK || (report == SB_CLI_DIAGS_ALL && !quiet)) {
    print_diags(ctx, cmd, rc != SB_EXIT_OK || !quiet);
  } else {
    print_diags(ctx, cmd, 0);
    if (report == SB_CLI_DIAGS_SUMMARY && !quiet && ctx->nwarnings > 0)
      fprintf(stderr, "skillbook %s: %zu warning%s in the catalogue; "
                      "'skillbook validate%s%s' lists %s\n", cmd,
              ctx->nwarnings, ctx->nwarnings == 1 ? "" : "s",
              bundled ? "" : " ", bundled ? "" : clean,
              ctx->nwarnings == 1 ? "it" : "them");
  }
  /* printed once: later output shows only what comes after */
  sb_ctx_free(ctx);
  if (rc != SB_EXIT_OK) {
    sb_drop_catalog(*out);
    *out = NULL;
  }
  return rc;
}

/* ==== A load whose validation is pending ==== */

/* The one load of this process whose schema validation may still run
** (sb_cli_load_catalog_pending), with what its report needs. */
static struct {
  sb_cat_pending *p;
  const char *cmd;   /* a string literal */
  int strict, report, bundled;
  char *clean;
  sb_limits limits;
  int quiet;
} pend;

int sb_cli_settle(void) {
  if (!pend.p)
    return 0;
  /* the load's own context, as it was when the load began: clean, with
  ** the command's limits (sb_cli_load_catalog_pending holds back only
  ** then) */
  sb_ctx lc;
  sb_ctx_init(&lc);
  lc.limits = pend.limits;
  lc.quiet = pend.quiet;
  sb_status s = sb_cat_settle(&lc, pend.p);
  pend.p = NULL;
  sb_catalog *none = NULL; /* the command drops its catalogue itself */
  int rc = report_load(&lc, pend.cmd, s, pend.strict, pend.report,
                       pend.clean, pend.bundled, &none);
  sb_ctx_free(&lc);
  free(pend.clean);
  pend.clean = NULL;
  return rc;
}

/* The load itself; pending not NULL: it may be left pending. */
static int load_catalog(sb_ctx *ctx, const char *cmd, const char *path,
                        int strict, int report, const char *role,
                        const char *skill, int pending, sb_catalog **out) {
  char *bundled = NULL, *clean;
  struct stat st;
  *out = NULL;
  int rc = sb_cli_settle(); /* its messages come before this load's */
  if (rc)
    return rc;
  if (!path)
    path = bundled = sb_cli_data_path("catalog");
  else if (stat(path, &st) < 0) {
    rc = sb_cli_usage_error(cmd, "%s: %s", path, strerror(errno));
    return rc;
  }
  clean = sb_cli_clean_path(path, 1);
  /* held back only from a context with nothing in it yet, so that the
  ** messages settled later in a context of their own are the same */
  const char *env = getenv("SKILLBOOK_PENDING");
  sb_cat_pending *p = NULL;
  sb_status s;
  if (pending && ctx->ndiags == 0 && ctx->status == SB_OK &&
      !(env && strcmp(env, "0") == 0))
    s = sb_load_catalog_pending(ctx, clean, role, skill, out, &p);
  else
    s = sb_load_catalog_texts(ctx, clean, role, skill, out);
  if (p) {
    pend.p = p;
    pend.cmd = cmd;
    pend.strict = strict;
    pend.report = report;
    pend.bundled = bundled != NULL;
    pend.clean = clean;
    pend.limits = ctx->limits;
    pend.quiet = ctx->quiet;
    free(bundled);
    return SB_EXIT_OK;
  }
  rc = report_load(ctx, cmd, s, strict, report, clean, bundled != NULL, out);
  free(clean);
  free(bundled);
  return rc;
}

int sb_cli_load_catalog_texts(sb_ctx *ctx, const char *cmd, const char *path,
                              int strict, int report, const char *role,
                              const char *skill, sb_catalog **out) {
  return load_catalog(ctx, cmd, path, strict, report, role, skill, 0, out);
}

int sb_cli_load_catalog_pending(sb_ctx *ctx, const char *cmd,
                                const char *path, int strict, int report,
                                const char *role, const char *skill,
                                sb_catalog **out) {
  return load_catalog(ctx, cmd, path, strict, report, role, skill, 1, out);
}

int sb_cli_render_exit(sb_status st) {
  if (st == SB_OK)
    return SB_EXIT_OK;
  if (st == SB_E_LIMIT)
    return SB_EXIT_RENDER;
  int rc = sb_status_exit(st);
  return rc ? rc : SB_EXIT_RENDER;
}

void sb_cli_level_list(const sb_catalog *cat, const int *lv, int n,
                       char *buf, size_t size) {
  size_t o = 0;
  buf[0] = 0;
  for (int i = 0; i < n && o + 4 < size; i++)
    o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "",
                          cat->levels[lv[i]].id);
}

int sb_cli_unknown_id(const sb_catalog *cat, const char *cmd, const char *kind,
                      const char *id) {
  char near[256];
  if (sb_cat_suggest(cat, kind, id, near, sizeof near))
    return sb_cli_usage_error(cmd, "unknown %s '%s' (did you mean %s?)", kind,
                              id, near);
  return sb_cli_usage_error(cmd, "unknown %s '%s' (see 'skillbook list %ss')",
                            kind, id, kind);
}
