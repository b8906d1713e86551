/*
** cli/cmd_collect.c -- `skillbook collect PACK.pdf... [--format csv|json]
** [-o FILE] [--names] [--catalog CATALOG]`.
**
** Reads filled review packs back (include/skillbook/forms.h) into one
** table: a row per person, skill and question, or one JSON object per
** pack. Files that are not our packs, or packs of another ladder, are
** reported and skipped (exit 1; the rest is collected). The output holds
** evidence about people: written with mode 0600, no name unless --names,
** and messages name a pack by FILE and person id only, never by a value.
** docs/forms.md ("collect") is the reference.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "skillbook/forms.h"

static const char *collect_usage =
    "usage: skillbook collect PACK.pdf... [--format csv|json] [-o FILE]\n"
    "                         [--names] [--catalog CATALOG]\n"
    "\n"
    "Reads filled review packs (made with --fillable, filled on screen and\n"
    "saved by any PDF program) and writes their answers: one row per\n"
    "person, skill and question (self, manager, agreed: the state chosen,\n"
    "or empty; notes: the evidence text) with the pack's person id, role,\n"
    "levels and ladder version. CSV (the default; .json after -o means\n"
    "JSON) is UTF-8 with a byte-order mark, every cell quoted, for\n"
    "spreadsheets; a cell starting with = + - @ gets a leading apostrophe.\n"
    "JSON is an array of one object per pack (a reviewer's book of\n"
    "fillable packs counts as its packs). Names (the header's name and\n"
    "reviewer) appear only with --names. The output is written with mode\n"
    "0600, to standard output unless -o FILE.\n"
    "\n"
    "Packs must be of one ladder: the title and version of --catalog, else\n"
    "of the bundled catalogue when the first pack names its title, else of\n"
    "the first pack. Files that are not packs, and packs of another ladder,\n"
    "are reported and skipped: exit 1, the others collected. See\n"
    "docs/forms.md.\n";

/* What the packs must match. */
typedef struct ladder {
  char *title, *version;       /* "" when absent */
  const char *source;          /* for messages: where they came from */
  int set;
} ladder;

/* A copy of s for a message: control bytes as '?', cut at 80 bytes (ids
** and field names only; values never reach messages). */
static const char *shown(const char *s, char *buf, size_t size) {
  size_t k = 0;
  for (; *s && k + 1 < size && k < 80; s++)
    buf[k++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
  buf[k] = '\0';
  return buf;
}

/* The bundled catalogue's title and version when its title is the
** pack's ladder title; else the pack's own. */
static void choose_ladder(const sb_pack *p, ladder *l) {
  l->set = 1;
  char *path = sb_cli_data_path("catalog");
  struct stat st;
  if (stat(path, &st) == 0) {
    sb_ctx c;
    sb_ctx_init(&c);
    c.quiet = 1;
    sb_catalog *cat = NULL;
    if (sb_load_catalog(&c, path, &cat) == SB_OK && cat->title &&
        strcmp(cat->title, p->ladder_title) == 0) {
      l->title = sb_xstrdup(cat->title);
      l->version = sb_xstrdup(cat->version ? cat->version : "");
      l->source = "the bundled catalogue";
    }
    sb_drop_catalog(cat);
    sb_ctx_free(&c);
  }
  free(path);
  if (!l->title) {
    l->title = sb_xstrdup(p->ladder_title);
    l->version = sb_xstrdup(p->ladder_version);
    l->source = "the first pack";
  }
}

static void warn_pack(const char *file, const sb_pack *p) {
  if (sb_cli_quiet())
    return;
  char a[96], b[96];
  const char *who = "a reviewer's book";
  if (!p->book) {
    snprintf(b, sizeof b, "person %s", p->person);
    who = shown(b, a, sizeof a);  /* in a: b is reused below */
  }
  if (p->nrepairs)
    fprintf(stderr, "skillbook collect: warning: %s (%s): damaged, "
            "read after repair (%d qpdf warning%s)\n", file, who, p->nrepairs,
            p->nrepairs == 1 ? "" : "s");
  if (p->nmissing)
    fprintf(stderr, "skillbook collect: warning: %s (%s): %d expected "
            "field%s missing (first: %s); collected what is there\n", file,
            who, p->nmissing, p->nmissing == 1 ? "" : "s",
            shown(p->first_missing, b, sizeof b));
  if (p->nunknown)
    fprintf(stderr, "skillbook collect: warning: %s (%s): %d unknown "
            "field%s ignored (first: %s)\n", file, who, p->nunknown,
            p->nunknown == 1 ? "" : "s", shown(p->first_unknown, b, sizeof b));
  if (p->nodd)
    fprintf(stderr, "skillbook collect: warning: %s (%s): %d choice%s "
            "not towards, meeting or exceeding (kept as found)\n", file, who,
            p->nodd, p->nodd == 1 ? "" : "s");
  if (p->nother_person)
    fprintf(stderr, "skillbook collect: warning: %s (%s): %d field%s "
            "of another person (collected under that person's id)\n", file,
            who, p->nother_person, p->nother_person == 1 ? "" : "s");
}

/* ==== CSV ==== */

/* One cell, always quoted (RFC 4180: "" for a quote; line breaks stay
** inside). A cell a spreadsheet would take for a formula (= + - @, or a
** tab or CR first) gets a leading apostrophe. */
static void cell(sb_buf *b, const char *s, int first) {
  if (!first)
    sb_buf_addc(b, ',');
  sb_buf_addc(b, '"');
  if (!s)
    s = "";
  if (*s && strchr("=+-@\t\r", *s))
    sb_buf_addc(b, '\'');
  for (; *s; s++) {
    if (*s == '"')
      sb_buf_addc(b, '"');
    sb_buf_addc(b, *s);
  }
  sb_buf_addc(b, '"');
}

static void csv_header(sb_buf *b, int names) {
  sb_buf_adds(b, "\xEF\xBB\xBF");
  const char *cols[] = {"person", "name", "reviewer", "role", "from",
                        "to_role", "to", "ladder_version", "date",
                        "engineer_date", "reviewer_date", "skill",
                        "question", "value"};
  for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
    if (names || (i != 1 && i != 2))
      cell(b, cols[i], i == 0);
  sb_buf_adds(b, "\r\n");
}

static void csv_pack(sb_buf *b, const sb_pack *p, int names) {
  for (int i = 0; i < p->nrows; i++) {
    const sb_pack_row *r = &p->rows[i];
    const char *const *head = p->people[r->who].head;
    for (int qi = 0; qi < SB_Q_COUNT; qi++) {
      if (!r->answer[qi])
        continue;  /* the field is not in the pack */
      cell(b, r->person, 1);
      if (names) {
        cell(b, head[SB_H_NAME], 0);
        cell(b, head[SB_H_REVIEWER], 0);
      }
      cell(b, p->role, 0);
      cell(b, p->from, 0);
      cell(b, p->to_role, 0);
      cell(b, p->to, 0);
      cell(b, p->ladder_version, 0);
      cell(b, head[SB_H_DATE], 0);
      cell(b, head[SB_H_ENGINEER_DATE], 0);
      cell(b, head[SB_H_REVIEWER_DATE], 0);
      cell(b, r->skill, 0);
      cell(b, sb_pack_questions[qi], 0);
      cell(b, r->answer[qi], 0);
      sb_buf_adds(b, "\r\n");
    }
  }
}

/* ==== JSON ==== */

static void jkey(sb_buf *b, const char *k, const char *v, const char *ind) {
  sb_buf_printf(b, ",\n%s\"%s\": ", ind, k);
  if (!v) {
    sb_buf_adds(b, "null");
    return;
  }
  sb_buf_addc(b, '"');
  sb_buf_json_str(b, v);
  sb_buf_addc(b, '"');
}

/* One object per person of the file (a pack has one; a reviewer's book
** one per pack in it). */
static void json_person(sb_buf *b, const sb_pack *p, int who, int names,
                        int first) {
  const sb_pack_person *pp = &p->people[who];
  sb_buf_adds(b, first ? "\n  {\n    \"person\": \"" : ",\n  {\n    \"person\": \"");
  sb_buf_json_str(b, pp->id);
  sb_buf_addc(b, '"');
  const char *in = "    ";
  if (names) {
    jkey(b, "name", pp->head[SB_H_NAME], in);
    jkey(b, "reviewer", pp->head[SB_H_REVIEWER], in);
  }
  jkey(b, "role", p->role, in);
  jkey(b, "from", p->from, in);
  jkey(b, "to_role", p->to_role, in);
  jkey(b, "to", p->to, in);
  jkey(b, "ladder_title", p->ladder_title, in);
  jkey(b, "ladder_version", p->ladder_version, in);
  jkey(b, "date", pp->head[SB_H_DATE], in);
  jkey(b, "engineer_date", pp->head[SB_H_ENGINEER_DATE], in);
  jkey(b, "reviewer_date", pp->head[SB_H_REVIEWER_DATE], in);
  sb_buf_adds(b, ",\n    \"skills\": [");
  int n = 0;
  for (int i = 0; i < p->nrows; i++) {
    const sb_pack_row *r = &p->rows[i];
    if (r->who != who)
      continue;
    sb_buf_adds(b, n++ ? ",\n      {\"skill\": \"" : "\n      {\"skill\": \"");
    sb_buf_json_str(b, r->skill);
    sb_buf_addc(b, '"');
    for (int qi = 0; qi < SB_Q_COUNT; qi++) {
      sb_buf_printf(b, ", \"%s\": ", sb_pack_questions[qi]);
      if (!r->answer[qi]) {
        sb_buf_adds(b, "null");
      } else {
        sb_buf_addc(b, '"');
        sb_buf_json_str(b, r->answer[qi]);
        sb_buf_addc(b, '"');
      }
    }
    sb_buf_addc(b, '}');
  }
  sb_buf_adds(b, n ? "\n    ]\n  }" : "]\n  }");
}

/* ==== The command ==== */

static int ends_with(const char *s, const char *tail) {
  size_t n = strlen(s), t = strlen(tail);
  return n >= t && strcmp(s + n - t, tail) == 0;
}

int sb_cmd_collect(int argc, char **argv) {
  const char *output = NULL, *format = NULL, *catalog = NULL;
  int names = 0, help = 0, npos = 0, rc, skipped = 0, collected = 0, json;
  int nobjects = 0; /* JSON objects written */
  const sb_opt opts[] = {
      {"format", 0, &format, NULL, "csv (default) or json", "FORMAT"},
      {"output", 'o', &output, NULL, "where to write (default: standard "
       "output); mode 0600", "FILE"},
      {"names", 0, NULL, &names, "add the name and reviewer of each pack "
       "(personal data)", NULL},
      {"catalog", 0, &catalog, NULL, "the catalogue the packs were made "
       "from: its title and version are the ones expected", "CATALOG"},
      {NULL, 0, NULL, NULL, NULL, NULL}};
  const char **pos = sb_xcalloc((size_t)argc + 1, sizeof *pos);
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  ladder want = {0};
  sb_buf out;
  sb_buf_init(&out);
  rc = sb_cli_parse(argc, argv, opts, pos, argc, &npos, collect_usage, &help,
                    &ctx);
  if (rc || help)
    goto done;
  if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0) {
    rc = sb_cli_usage_error("collect", "--format '%s': expected csv or json",
                            format);
    goto done;
  }
  json = format ? format[0] == 'j' : output && ends_with(output, ".json");
  if (npos == 0) {
    rc = sb_cli_usage_error("collect", "which packs? (skillbook collect "
                            "PACK.pdf...)");
    goto done;
  }
  for (int i = 0; i < npos; i++) {
    struct stat st;
    if (stat(pos[i], &st) < 0) {
      rc = sb_cli_usage_error("collect", "%s: %s", pos[i], strerror(errno));
      goto done;
    }
  }
  /* libqpdf is opened here, not at start-up: without it, say so once */
  if (sb_pack_reader_open(&ctx) != SB_OK) {
    fprintf(stderr, "skillbook collect: %s\n", ctx.errmsg);
    rc = SB_EXIT_RENDER;
    goto done;
  }
  if (catalog) {
    sb_catalog *cat = NULL;
    rc = sb_cli_load_catalog(&ctx, "collect", catalog, 0, SB_CLI_DIAGS_NONE,
                             &cat);
    if (rc != SB_EXIT_OK)
      goto done;
    want.title = sb_xstrdup(cat->title ? cat->title : "");
    want.version = sb_xstrdup(cat->version ? cat->version : "");
    want.source = catalog;
    want.set = 1;
    sb_drop_catalog(cat);
  }

  if (json)
    sb_buf_adds(&out, "[");
  else
    csv_header(&out, names);
  for (int i = 0; i < npos; i++) {
    sb_pack *p = NULL;
    sb_ctx c;
    sb_ctx_init(&c);
    c.quiet = 1;
    sb_status st = sb_load_pack(&c, pos[i], &p);
    if (st != SB_OK) {
      fprintf(stderr, "skillbook collect: %s: %s (%s)\n", pos[i],
              st == SB_E_IO ? "cannot read" : "not a skillbook pack",
              c.errmsg);
      sb_ctx_free(&c);
      skipped++;
      continue;
    }
    sb_ctx_free(&c);
    if (!want.set)
      choose_ladder(p, &want);
    if (strcmp(p->ladder_title, want.title) != 0 ||
        strcmp(p->ladder_version, want.version) != 0) {
      char a[96], b[96], d[96], e[96];
      fprintf(stderr, "skillbook collect: %s: skipped: a pack of ladder "
              "'%s' version '%s', expected '%s' version '%s' (%s)\n", pos[i],
              shown(p->ladder_title, a, sizeof a),
              shown(p->ladder_version, b, sizeof b),
              shown(want.title, d, sizeof d), shown(want.version, e, sizeof e),
              want.source);
      sb_drop_pack(p);
      skipped++;
      continue;
    }
    warn_pack(pos[i], p);
    if (json)
      for (int k = 0; k < p->npeople; k++)
        json_person(&out, p, k, names, nobjects++ == 0);
    else
      csv_pack(&out, p, names);
    collected++;
    sb_drop_pack(p);
  }
  if (json)
    sb_buf_adds(&out, nobjects ? "\n]\n" : "]\n");

  sb_status ws = output ? sb_write_private(&ctx, output, out.p, out.n)
                        : sb_write_output(&ctx, "-", out.p, out.n, 0);
  if (ws != SB_OK) {
    sb_cli_print_diags(&ctx, "collect");
    rc = SB_EXIT_RENDER;
    goto done;
  }
  if (!sb_cli_quiet() || skipped)
    fprintf(stderr, "skillbook collect: %d pack%s collected, %d skipped\n",
            collected, collected == 1 ? "" : "s", skipped);
  rc = skipped ? SB_EXIT_RENDER : SB_EXIT_OK;
done:
  free(want.title);
  free(want.version);
  sb_buf_free(&out);
  sb_ctx_free(&ctx);
  free(pos);
  return rc;
}
