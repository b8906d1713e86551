/*
** tests/unit/test_csv.c -- base/csv.c: delimiters, quotes, lines, errors.
*/
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "skillbook/csv.h"

/* Rows joined as "line:f1|f2|...;" into out. */
typedef struct got {
  char out[2048];
  int stop_at; /* return SB_E_USAGE at this row index; -1 = never */
} got;

static sb_status collect(void *user, const sb_csv_row *row) {
  got *g = user;
  size_t o = strlen(g->out);
  o += (size_t)snprintf(g->out + o, sizeof g->out - o, "%ld:", row->line);
  for (int i = 0; i < row->n; i++)
    o += (size_t)snprintf(g->out + o, sizeof g->out - o, "%s%s", i ? "|" : "",
                          row->field[i]);
  snprintf(g->out + o, sizeof g->out - o, ";");
  return row->index == g->stop_at ? SB_E_USAGE : SB_OK;
}

static sb_status run(const char *text, got *g, char *delim, sb_ctx *ctx) {
  memset(g->out, 0, sizeof g->out);
  g->stop_at = -1;
  return sb_csv_read(ctx, "p.csv", text, strlen(text), collect, g, delim);
}

int main(void) {
  sb_ctx ctx;
  got g;
  char d;

  sb_ctx_init(&ctx);
  CHECK_EQ_INT(run("name,role\nAda,sre\n", &g, &d, &ctx), SB_OK);
  CHECK_STR(g.out, "1:name|role;2:Ada|sre;");
  CHECK_EQ_INT(d, ',');

  /* byte-order mark, semicolons, CRLF, a blank line, a last row without
  ** a line end */
  CHECK_EQ_INT(run("\xEF\xBB\xBFname;role\r\n\r\nAda;sre\r\nBob;be", &g, &d,
                   &ctx), SB_OK);
  CHECK_STR(g.out, "1:name|role;3:Ada|sre;4:Bob|be;");
  CHECK_EQ_INT(d, ';');

  /* tabs: empty columns kept, spaces kept */
  CHECK_EQ_INT(run("a\tb\tc\n x \t\tz\n", &g, &d, &ctx), SB_OK);
  CHECK_STR(g.out, "1:a|b|c;2: x ||z;");
  CHECK_EQ_INT(d, '\t');

  /* the delimiter is the first outside quotes; a quoted field with the
  ** other delimiters, a doubled quote and a newline; the next row's line */
  CHECK_EQ_INT(run("\"a,b\";c\n\"x;\"\"y\"\"\nz\";w\nn;m\n", &g, &d, &ctx),
               SB_OK);
  CHECK_STR(g.out, "1:a,b|c;2:x;\"y\"\nz|w;4:n|m;");
  CHECK_EQ_INT(d, ';');

  /* a row of empty fields is skipped like a blank line */
  CHECK_EQ_INT(run("a,b\n,\nc,d\n", &g, &d, &ctx), SB_OK);
  CHECK_STR(g.out, "1:a|b;3:c|d;");

  /* the callback stops the reading */
  memset(g.out, 0, sizeof g.out);
  g.stop_at = 1;
  CHECK_EQ_INT(sb_csv_read(&ctx, "p.csv", "a\nb\nc\n", 6, collect, &g, NULL),
               SB_E_USAGE);
  CHECK_STR(g.out, "1:a;2:b;");
  sb_ctx_free(&ctx);

  /* errors name the line the row starts on */
  sb_ctx_init(&ctx);
  CHECK_EQ_INT(run("a,b\nx,\"open\nmore\n", &g, &d, &ctx), SB_E_SCHEMA);
  CHECK(ctx.ndiags == 1 && ctx.diags[0].line == 2);
  sb_ctx_free(&ctx);
  sb_ctx_init(&ctx);
  CHECK_EQ_INT(run("a,b\nx,y\"z\"\n", &g, &d, &ctx), SB_E_SCHEMA);
  CHECK(ctx.ndiags == 1 && ctx.diags[0].line == 2);
  sb_ctx_free(&ctx);
  sb_ctx_init(&ctx);
  CHECK_EQ_INT(run("a,b\nok,1\n\"x\",\xC3\x28\n", &g, &d, &ctx), SB_E_SCHEMA);
  CHECK(ctx.ndiags == 1 && ctx.diags[0].line == 3 &&
        strstr(ctx.diags[0].msg, "column 2"));
  sb_ctx_free(&ctx);
  return check_report();
}
