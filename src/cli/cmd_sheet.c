/*
** cli/cmd_sheet.c -- `skillbook sheet [CATALOG] --role ID --from LEVEL
** [--to LEVEL] [--person NAME] [--reviewer NAME] [-o FILE]`.
**
** The levels that count are the role's (those where some skill has an
** expectation for it), in growth order; --to defaults to the one after
** --from. Levels out of order, or --from at the role's last level, are
** usage errors that name the role's levels. Default output:
** out/sheets/ROLE/FROM/TO.pdf; the path is printed on stdout.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/docopts.h"

static const char *sheet_usage =
    "usage: skillbook sheet [CATALOG] --role ID --from LEVEL [--to LEVEL]\n"
    "                       [--person NAME] [--reviewer NAME] [-o FILE] "
    "[options]\n"
    "\n"
    "Writes a level comparison sheet for a review: for one role, the\n"
    "current level beside the target level, skill by skill, with what the\n"
    "target adds, check boxes and room for evidence. --to defaults to the\n"
    "role's next level. Default output: out/sheets/ROLE/FROM/TO.pdf;\n"
    "'-o -' writes to standard output; -o x.png or x.trace writes that\n"
    "format.\n";

/* "junior, middle, senior" into buf. */
static void level_list(const sb_catalog *cat, const int *lv, int n, char *buf,
                       size_t size) {
  size_t o = 0;
  buf[0] = 0;
  for (int i = 0; i < n && o + 4 < size; i++)
    o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "",
                          cat->levels[lv[i]].id);
}

/* Resolves --role, --from and --to (NULL: the role's level after from)
** against the role's levels in growth order. Returns 0 with *role, *from
** and *to set, or the exit status after printing why (unknown id; a level
** the role has no expectation at; --from the last level; --to not after
** --from: each names the role's levels). */
static int sheet_levels(const sb_catalog *cat, const char *role_id,
                        const char *from_id, const char *to_id,
                        const sb_role **role,   /* OUT */
                        const sb_level **from,  /* OUT */
                        const sb_level **to) {  /* OUT */
  int rc = 0, fi = -1, ti = -1, nlv, *lv;
  char list[1024];
  if (!(*role = sb_cat_role_lookup(cat, role_id)))
    return sb_cli_unknown_id(cat, "sheet", "role", role_id);
  if (!(*from = sb_cat_level_lookup(cat, from_id)))
    return sb_cli_unknown_id(cat, "sheet", "level", from_id);
  *to = NULL;
  if (to_id && !(*to = sb_cat_level_lookup(cat, to_id)))
    return sb_cli_unknown_id(cat, "sheet", "level", to_id);
  const char *rid = (*role)->id, *fid = (*from)->id;
  lv = sb_xmalloc((size_t)(cat->nlevels + 1) * sizeof *lv);
  nlv = sb_cat_role_levels(cat, (*role)->index, lv);
  level_list(cat, lv, nlv, list, sizeof list);
  for (int i = 0; i < nlv; i++) {
    if (lv[i] == (*from)->index) fi = i;
    if (*to && lv[i] == (*to)->index) ti = i;
  }
  if (fi < 0)
    rc = sb_cli_usage_error("sheet", "role '%s' has no expectation at level "
                            "'%s'; its levels are: %s", rid, fid, list);
  else if (!*to && fi + 1 >= nlv)
    rc = sb_cli_usage_error("sheet", "'%s' is the last level of role '%s'; "
                            "there is no level to compare it with (its "
                            "levels are: %s)", fid, rid, list);
  else if (!*to)
    *to = &cat->levels[lv[fi + 1]];
  else if (ti < 0)
    rc = sb_cli_usage_error("sheet", "role '%s' has no expectation at level "
                            "'%s'; its levels are: %s", rid, (*to)->id, list);
  else if (ti <= fi)
    rc = sb_cli_usage_error("sheet", "--to %s must come after --from %s; the "
                            "levels of role '%s' in growth order are: %s",
                            (*to)->id, fid, rid, list);
  free(lv);
  return rc;
}

int sb_cmd_sheet(int argc, char **argv) {
  const char *role_id = NULL, *from_id = NULL, *to_id = NULL;
  const char *person = NULL, *reviewer = NULL, *outpath = NULL;
  sb_doc_opts d;
  int help = 0, rc;
  const sb_opt opts[] = {
      {"role", 0, &role_id, NULL, "the role (id, see 'skillbook list roles')",
       "ID"},
      {"from", 0, &from_id, NULL, "the current level (id)", "LEVEL"},
      {"to", 0, &to_id, NULL, "the target level (default: the next one)",
       "LEVEL"},
      {"person", 0, &person, NULL, "print this name (default: a blank field)",
       "NAME"},
      {"reviewer", 0, &reviewer, NULL,
       "print this reviewer (default: a blank field)", "NAME"},
      {"output", 'o', &outpath, NULL, "output file ('-' = standard output)",
       "FILE"},
      {NULL, 0, NULL, NULL, NULL, NULL}};
  sb_catalog *cat = NULL;
  char *defpath = NULL;
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  rc = sb_cli_doc_parse(&ctx, argc, argv, opts, sheet_usage, &d, &help);
  if (rc || help) goto done;
  d.output = outpath; /* -o x.png: the format */
  if (!role_id || !from_id) {
    rc = sb_cli_usage_error("sheet", "--role ID and --from LEVEL are required "
                            "(see 'skillbook list roles', 'skillbook list "
                            "levels')");
    goto done;
  }
  sb_doc_format fmt;
  if ((rc = sb_cli_doc_load(&ctx, "sheet", &d, &fmt, &cat))) goto done;
  const sb_role *role = NULL;
  const sb_level *from = NULL, *to = NULL;
  rc = sheet_levels(cat, role_id, from_id, to_id, &role, &from, &to);
  if (rc) goto done;

  sb_render_req req;
  memset(&req, 0, sizeof req);
  req.kind = SB_DOC_SHEET;
  req.cat = cat;
  req.role = role->index;
  req.skill = -1;
  sb_review rv;
  memset(&rv, 0, sizeof rv);
  rv.role = rv.to_role = role->index;
  rv.from = from->index;
  rv.to = to->index;
  rv.person = person;
  rv.reviewer = reviewer;
  rv.domain = -1;
  req.review = &rv;
  req.nreviews = 1;
  sb_cli_doc_req(&req, &d, fmt);
  size_t n = strlen(role->id) + strlen(from->id) + strlen(to->id) + 32;
  defpath = sb_xmalloc(n);
  snprintf(defpath, n, "out/sheets/%s/%s/%s", role->id, from->id, to->id);
  rc = sb_cli_doc_write(&ctx, "sheet", &req, d.strict, outpath, defpath);
done:
  free(defpath);
  sb_drop_catalog(cat);
  sb_ctx_free(&ctx);
  return rc;
}
