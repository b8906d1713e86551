/*
** base/csv.c -- CSV rows through libcsv, with our line numbers.
**
** libcsv does the quoting and hands fields over by callback; it knows
** nothing of lines, so the text is fed one physical line at a time: a row
** that ends while line L is fed started on the line after the previous
** row's end. The byte-order mark, the delimiter (first ',', ';' or tab
** outside quotes in the first row) and UTF-8 checks are ours. libcsv's
** default trims spaces and tabs around unquoted fields; a tab-separated
** file would lose empty columns that way, so nothing is trimmed.
*/
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "skillbook/csv.h"

typedef struct reader {
  sb_ctx *ctx;
  const char *path;
  sb_csv_fn fn;
  void *user;
  char **field;
  size_t *len;
  int n, cap;
  long line;       /* the line being fed */
  long start;      /* the line the current row started on; 0 = none yet */
  long index;
  sb_status st;    /* first failure */
} reader;

static int no_space(unsigned char c) {
  (void)c;
  return 0;
}

static int is_term(unsigned char c) {
  return c == '\n' || c == '\r';
}

static void on_field(void *s, size_t n, void *data) {
  reader *r = data;
  if (r->st) return;
  if (r->n == SB_CSV_MAX_FIELDS) {
    sb_diag_add(r->ctx, SB_SEV_ERROR, SB_E_SCHEMA, r->path, r->start, 0,
                "more than %d columns in a row", SB_CSV_MAX_FIELDS);
    r->st = sb_fail(r->ctx, SB_E_SCHEMA, "%s:%ld: too many columns",
                    r->path, r->start);
    return;
  }
  const char *p = s ? s : "";
  for (size_t i = 0; i < n;) {
    int l;
    if (!p[i] || sb_utf8_decode(p + i, n - i, &l) < 0) {
      sb_diag_add(r->ctx, SB_SEV_ERROR, SB_E_SCHEMA, r->path, r->start, 0,
                  "column %d: %s at byte %zu of the field", r->n + 1,
                  p[i] ? "not UTF-8 (save the file as UTF-8)" : "a NUL byte",
                  i + 1);
      r->st = sb_fail(r->ctx, SB_E_SCHEMA, "%s:%ld: bad text", r->path,
                      r->start);
      return;
    }
    i += (size_t)l;
  }
  if (r->n == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 16;
    r->field = sb_xrealloc(r->field, (size_t)r->cap * sizeof *r->field);
    r->len = sb_xrealloc(r->len, (size_t)r->cap * sizeof *r->len);
  }
  char *f = sb_xmalloc(n + 1);
  if (n) memcpy(f, p, n);
  f[n] = 0;
  r->field[r->n] = f;
  r->len[r->n++] = n;
}

static void drop_fields(reader *r) {
  for (int i = 0; i < r->n; i++) free(r->field[i]);
  r->n = 0;
}

static void on_row(int c, void *data) {
  reader *r = data;
  (void)c;
  int empty = 1;
  for (int i = 0; i < r->n && empty; i++) empty = r->len[i] == 0;
  if (!r->st && r->n && !empty) {
    sb_csv_row row = {r->field, r->len, r->n, r->start ? r->start : r->line,
                      r->index++};
    r->st = r->fn(r->user, &row);
  }
  drop_fields(r);
  r->start = 0;
}

/* The first ',', ';' or tab outside quotes on the first row. */
static char sniff(const char *p, size_t n) {
  int q = 0;
  for (size_t i = 0; i < n; i++) {
    char c = p[i];
    if (c == '"') q = !q;
    else if (!q && (c == ',' || c == ';' || c == '\t')) return c;
    else if (!q && (c == '\n' || c == '\r')) break;
  }
  return ',';
}

sb_status sb_csv_read(sb_ctx *ctx, const char *path, const char *data,
                      size_t n, sb_csv_fn fn, void *user, char *delim) {
  if (n >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) data += 3, n -= 3;
  char d = sniff(data, n);
  if (delim) *delim = d;
  struct csv_parser p;
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
    return sb_fail(ctx, SB_E_INTERNAL, "libcsv could not start");
  csv_set_delim(&p, (unsigned char)d);
  csv_set_space_func(&p, no_space);
  csv_set_term_func(&p, is_term);
  reader r;
  memset(&r, 0, sizeof r);
  r.ctx = ctx, r.path = path, r.fn = fn, r.user = user;
  size_t at = 0;
  while (at < n && !r.st) {
    const char *nl = memchr(data + at, '\n', n - at);
    size_t end = nl ? (size_t)(nl - data) + 1 : n;
    r.line++;
    /* a row starts on the first line fed after the last one ended that
    ** holds more than its line end */
    if (!r.start && end - at > (size_t)(data[end - 1] == '\n') +
                                   (end - at >= 2 && data[end - 2] == '\r'))
      r.start = r.line;
    if (csv_parse(&p, data + at, end - at, on_field, on_row, &r) != end - at &&
        !r.st) {
      sb_diag_add(ctx, SB_SEV_ERROR, SB_E_SCHEMA, path, r.start ? r.start
                  : r.line, 0, "%s", csv_error(&p) == CSV_EPARSE
                  ? "a quote where none may be: quote the whole field and "
                    "write a quote inside it as \"\""
                  : csv_strerror(csv_error(&p)));
      r.st = sb_fail(ctx, SB_E_SCHEMA, "%s:%ld: malformed CSV", path, r.line);
    }
    at = end;
  }
  if (!r.st && csv_fini(&p, on_field, on_row, &r) != 0 && !r.st) {
    sb_diag_add(ctx, SB_SEV_ERROR, SB_E_SCHEMA, path, r.start, 0,
                "a quoted field is never closed (it opens here)");
    r.st = sb_fail(ctx, SB_E_SCHEMA, "%s:%ld: malformed CSV", path, r.start);
  }
  drop_fields(&r);
  free(r.field);
  free(r.len);
  csv_free(&p);
  return r.st;
}
