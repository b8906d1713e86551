/*
** skillbook/csv.h -- reading CSV as spreadsheets export it.
**
** One reader for every CSV file skillbook takes (the people list of a
** review cycle, spreadsheet import): the quoting rules are libcsv's
** (RFC 4180: a quoted field may hold the delimiter, newlines, and "" for a
** quote); the rest is ours: a UTF-8 byte-order mark is skipped, the
** delimiter is the first ',', ';' or tab outside quotes in the first row
** (',' when it has none), rows end at LF or CRLF, blank lines and rows
** of empty fields only (",,,") are skipped,
** no space is trimmed, every field must be valid UTF-8 without NUL, and each
** row knows the line it starts on, for messages as FILE:LINE.
*/
#ifndef SKILLBOOK_CSV_H
#define SKILLBOOK_CSV_H

#include <stddef.h>

#include "skillbook/base.h"

/* One row, valid during the callback only. */
typedef struct sb_csv_row {
  char **field;    /* n NUL-terminated fields */
  size_t *len;     /* their lengths in bytes */
  int n;           /* how many fields */
  long line;       /* the line (1-based) the row starts on */
  long index;      /* the row's number: 0 = the first (header) row */
} sb_csv_row;

/* Called for every row, the first row too. Anything but SB_OK stops the
** reading and is returned by sb_csv_read (the callback sets ctx). */
typedef sb_status (*sb_csv_fn)(void *user, const sb_csv_row *row);

/** Reads the CSV text data[0..n) (path names it in messages), calling fn
** for each row in order. Returns SB_OK, the callback's status, or
** SB_E_SCHEMA with a diagnostic "PATH:LINE: error: ..." for a quote left
** open, a stray quote inside an unquoted field, text after a closing
** quote, invalid UTF-8 or a NUL byte (naming the column), or more than
** SB_CSV_MAX_FIELDS fields in a row. *delim (may be NULL) gets the
** delimiter used.
** @test tests/unit/test_csv.c */
sb_status sb_csv_read(sb_ctx *ctx, const char *path, const char *data,
                      size_t n, sb_csv_fn fn, void *user, char *delim);

#define SB_CSV_MAX_FIELDS 4096

#endif
