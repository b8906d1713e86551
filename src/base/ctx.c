/*
** base/ctx.c -- the context: first error, diagnostics, limits.
**
** sb_fail is the one place every failure passes through (a breakpoint
** there catches them all). Diagnostics are heap records owned by the ctx.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skillbook/base.h"

void sb_ctx_init(sb_ctx *ctx) {
  memset(ctx, 0, sizeof *ctx);
  sb_limits_default(&ctx->limits);
}

void sb_ctx_free(sb_ctx *ctx) {
  for (size_t i = 0; i < ctx->ndiags; i++) {
    free(ctx->diags[i].file);
    free(ctx->diags[i].msg);
  }
  free(ctx->diags);
  ctx->diags = NULL;
  ctx->ndiags = ctx->capdiags = ctx->nerrors = ctx->nwarnings = 0;
}

sb_status sb_fail(sb_ctx *ctx, sb_status st, const char *fmt, ...) {
  char msg[sizeof ctx->errmsg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (ctx->status == SB_OK) {
    ctx->status = st;
    memcpy(ctx->errmsg, msg, sizeof msg);
  } else if (strcmp(msg, ctx->errmsg) != 0) {
    sb_diag_add(ctx, SB_SEV_NOTE, st, NULL, 0, 0, "%s", msg);
  }
  return st;
}

sb_status sb_fail_arena(sb_ctx *ctx) {
  return sb_fail(ctx, SB_E_LIMIT,
                 "document needs more memory than the limit of %zu bytes "
                 "(raise it with --limit arena-bytes=N)",
                 ctx->limits.arena_bytes);
}

void sb_ctx_clear_error(sb_ctx *ctx) {
  ctx->status = SB_OK;
  ctx->errmsg[0] = '\0';
}

void sb_diag_addv(sb_ctx *ctx, sb_severity sev, sb_status code,
                  const char *file, long line, long col, const char *fmt,
                  va_list ap) {
  char msg[2048];
  vsnprintf(msg, sizeof msg, fmt, ap);
  if (sev == SB_SEV_ERROR)
    ctx->nerrors++;
  else if (sev == SB_SEV_WARNING)
    ctx->nwarnings++;
  if (SB_GROW(ctx->diags, ctx->ndiags, ctx->capdiags, 16, SIZE_MAX))
    return;  /* more records than a size_t counts: counted, not kept */
  sb_diag *d = &ctx->diags[ctx->ndiags++];
  d->sev = sev;
  d->code = code;
  d->file = file ? sb_xstrdup(file) : NULL;
  d->line = line;
  d->col = col;
  d->msg = sb_xstrdup(msg);
}

void sb_diag_add(sb_ctx *ctx, sb_severity sev, sb_status code,
                 const char *file, long line, long col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sb_diag_addv(ctx, sev, code, file, line, col, fmt, ap);
  va_end(ap);
}

void sb_warn(sb_ctx *ctx, const char *file, long line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sb_diag_addv(ctx, SB_SEV_WARNING, SB_OK, file, line, 0, fmt, ap);
  va_end(ap);
}

static int diag_cmp(const sb_diag *a, const sb_diag *b) {
  const char *fa = a->file ? a->file : "", *fb = b->file ? b->file : "";
  int c = strcmp(fa, fb);
  if (c)
    return c;
  if (a->line != b->line)
    return a->line < b->line ? -1 : 1;
  if (a->col != b->col)
    return a->col < b->col ? -1 : 1;
  return 0;
}

/* Insertion sort: stable, and diagnostics are few and mostly in order. */
void sb_diag_sort(sb_ctx *ctx) {
  for (size_t i = 1; i < ctx->ndiags; i++) {
    sb_diag d = ctx->diags[i];
    size_t j = i;
    while (j > 0 && diag_cmp(&ctx->diags[j - 1], &d) > 0) {
      ctx->diags[j] = ctx->diags[j - 1];
      j--;
    }
    ctx->diags[j] = d;
  }
}

/* ==== Limits ==== */

void sb_limits_default(sb_limits *lim) {
  lim->file_bytes = (size_t)256 << 20;  /* 256 MiB per file (a 10,000-skill
                                           catalogue in one file is ~90 MB) */
  lim->files = 10000;
  lim->text_bytes = (size_t)1 << 20;    /* 1 MiB per text node */
  lim->nodes = 5000000;
  lim->skills = 100000;
  lim->pages = 20000;
  lim->arena_bytes = (size_t)2 << 30;   /* 2 GiB per document */
  lim->documents = 100000;              /* a batch of 100,000 documents is
                                           hours of work; more is a
                                           catalogue mistake (700 roles of
                                           700 levels: 489,000 sheets) */
}

static const struct {
  const char *name;
  size_t off;
} limit_fields[] = {
    {"file-bytes", offsetof(sb_limits, file_bytes)},
    {"files", offsetof(sb_limits, files)},
    {"text-bytes", offsetof(sb_limits, text_bytes)},
    {"nodes", offsetof(sb_limits, nodes)},
    {"skills", offsetof(sb_limits, skills)},
    {"pages", offsetof(sb_limits, pages)},
    {"arena-bytes", offsetof(sb_limits, arena_bytes)},
    {"documents", offsetof(sb_limits, documents)},
};

sb_status sb_limits_set(sb_ctx *ctx, sb_limits *lim, const char *spec) {
  const char *eq = strchr(spec, '=');
  char name[32];
  size_t n = eq ? (size_t)(eq - spec) : 0;
  if (!eq || n == 0 || n >= sizeof name)
    return sb_fail(ctx, SB_E_USAGE, "--limit takes NAME=VALUE, not '%s'", spec);
  for (size_t i = 0; i < n; i++)
    name[i] = spec[i] == '_' ? '-' : spec[i];
  name[n] = '\0';
  char *end;
  unsigned long long v = strtoull(eq + 1, &end, 10);
  if (end == eq + 1 || *end || eq[1] == '-')
    return sb_fail(ctx, SB_E_USAGE, "--limit %s: '%s' is not a whole number",
                   name, eq + 1);
  for (size_t i = 0; i < sizeof limit_fields / sizeof *limit_fields; i++) {
    if (strcmp(limit_fields[i].name, name) == 0) {
      *(size_t *)(void *)((char *)lim + limit_fields[i].off) = (size_t)v;
      return SB_OK;
    }
  }
  return sb_fail(ctx, SB_E_USAGE,
                 "--limit: unknown limit '%s' (expected file-bytes, files, "
                 "text-bytes, nodes, skills, pages, arena-bytes or documents)",
                 name);
}
