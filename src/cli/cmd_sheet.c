/*
** cli/cmd_sheet.c -- `skillbook sheet [CATALOG] --role ID --from LEVEL
** [--to LEVEL] [--to-role ID] [--person NAME] [--reviewer NAME]
** [--date DATE] [--only mandatory|changed] [--domain ID] [--pack] [--fillable]
** [-o FILE]`.
**
** The levels that count are a role's (those where some skill has an
** expectation for it), in growth order; --to defaults to the one after
** --from. Levels out of order, or --from at the role's last level, are
** usage errors that name the role's levels. With --to-role (a move to
** another role, compared level against level by skill) --to is any level
** of the target role, by default the same level as --from when the target
** role has it (else a usage error naming its levels). --date is an ISO
** 8601 date (YYYY-MM-DD, a real day), --domain a domain's id (did you mean
** for an unknown one): both usage errors, exit 2. --pack adds the sign-off
** block and the target level's expectations (what `reviews` prints per
** person). Default output: out/sheets/ROLE/FROM/TO.pdf, the batch's path,
** only for the document the batch writes there; anything personalised or
** filtered gets "+KEY-VALUE" parts after it (sb_cli_doc_defpath); the path
** is printed on stdout.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/docopts.h"

static const char *sheet_usage =
    "usage: skillbook sheet [CATALOG] --role ID --from LEVEL [--to LEVEL]\n"
    "                       [--to-role ID] [--person NAME] [--reviewer NAME]\n"
    "                       [--date YYYY-MM-DD] [--only mandatory|changed]\n"
    "                       [--domain ID] [--pack] [--fillable] [-o FILE]\n"
    "                       [options]\n"
    "\n"
    "Writes a level comparison sheet for a review: for one role, the\n"
    "current level beside the target level, skill by skill, with what the\n"
    "target adds, check boxes and room for evidence. --to defaults to the\n"
    "role's next level (with --to-role: the same level in the target role).\n"
    "Default output: out/sheets/ROLE/FROM/TO.pdf, the batch's own path, for\n"
    "the plain sheet only; a personalised or filtered sheet, another style,\n"
    "language or a PNG gets a path of its own: TO+person-NAME+only-changed\n"
    "...(.pdf, .png with +pN); '-o -' writes to standard output; -o x.png or\n"
    "x.trace writes that format.\n";

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
  sb_cli_level_list(cat, lv, nlv, list, sizeof list);
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
  else if (ti < fi)
    rc = sb_cli_usage_error("sheet", "--to %s must not come before --from %s; "
                            "the levels of role '%s' in growth order are: %s",
                            (*to)->id, fid, rid, list);
  free(lv);
  return rc;
}

/* The target of a move to another role: --to (any level of it), by
** default the same level as from. 0, or the exit status after printing. */
static int cross_level(const sb_catalog *cat, const char *to_role_id,
                       const char *to_id, const sb_level *from,
                       const sb_role **to_role,  /* OUT */
                       const sb_level **to) {    /* OUT */
  char list[1024];
  if (!(*to_role = sb_cat_role_lookup(cat, to_role_id)))
    return sb_cli_unknown_id(cat, "sheet", "role", to_role_id);
  if (to_id && !(*to = sb_cat_level_lookup(cat, to_id)))
    return sb_cli_unknown_id(cat, "sheet", "level", to_id);
  if (!to_id) *to = from;
  int *lv = sb_xmalloc((size_t)(cat->nlevels + 1) * sizeof *lv), found = 0;
  int nlv = sb_cat_role_levels(cat, (*to_role)->index, lv);
  for (int i = 0; i < nlv; i++)
    if (lv[i] == (*to)->index) found = 1;
  sb_cli_level_list(cat, lv, nlv, list, sizeof list);
  free(lv);
  if (found) return 0;
  return sb_cli_usage_error("sheet", "role '%s' has no expectation at level "
                            "'%s'%s; its levels are: %s", (*to_role)->id,
                            (*to)->id, to_id ? "" : " (give --to LEVEL)",
                            list);
}

/* --date: YYYY-MM-DD, a day that exists (leap years counted). */
static int iso_date_ok(const char *s) {
  int y, m, d;
  char tail;
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return 0;
  if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return 0;
  static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                                31};
  if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return 0;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(m == 2 && d == 29 && !leap);
}

int sb_cmd_sheet(int argc, char **argv) {
  const char *role_id = NULL, *from_id = NULL, *to_id = NULL;
  const char *to_role_id = NULL, *date = NULL, *only = NULL;
  const char *domain_id = NULL;
  const char *person = NULL, *reviewer = NULL, *outpath = NULL;
  sb_doc_opts d;
  int help = 0, pack = 0, fillable = 0, rc;
  const sb_opt opts[] = {
      {"role", 0, &role_id, NULL, "the role (id, see 'skillbook list roles')",
       "ID"},
      {"from", 0, &from_id, NULL, "the current level (id)", "LEVEL"},
      {"to", 0, &to_id, NULL, "the target level (default: the next one; "
       "with --to-role the same one)", "LEVEL"},
      {"to-role", 0, &to_role_id, NULL, "a move to another role: its id; "
       "compared level against level, skill by skill", "ID"},
      {"person", 0, &person, NULL, "print this name (default: a blank field)",
       "NAME"},
      {"reviewer", 0, &reviewer, NULL,
       "print this reviewer (default: a blank field)", "NAME"},
      {"date", 0, &date, NULL, "print this date (ISO 8601; default: a blank "
       "field)", "YYYY-MM-DD"},
      {"only", 0, &only, NULL, "show only the skills mandatory at the "
       "target, or only what changes (new, becoming mandatory, other text)",
       "mandatory|changed"},
      {"domain", 0, &domain_id, NULL, "show only this domain's skills (its id "
       "in the catalogue)", "ID"},
      {"pack", 0, NULL, &pack, "a review pack: the sheet, a sign-off block "
       "and the target level's expectations in full", NULL},
      {"fillable", 0, NULL, &fillable, "form fields to type the review on "
       "screen (docs/forms.md); read back with 'skillbook collect'", NULL},
      {"output", 'o', &outpath, NULL, "output file ('-' = standard output)",
       "FILE"},
      {NULL, 0, NULL, NULL, NULL, NULL}};
  sb_catalog *cat = NULL;
  char *defpath = NULL, *stem = NULL;
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
  if (date && !iso_date_ok(date)) {
    rc = sb_cli_usage_error("sheet", "--date '%s': expected an ISO 8601 date, "
                            "YYYY-MM-DD (e.g. 2026-03-17)", date);
    goto done;
  }
  sb_only which = SB_ONLY_ALL;
  if (only && strcmp(only, "mandatory") == 0)
    which = SB_ONLY_MANDATORY;
  else if (only && strcmp(only, "changed") == 0)
    which = SB_ONLY_CHANGED;
  else if (only) {
    rc = sb_cli_usage_error("sheet", "--only '%s': expected mandatory or "
                            "changed", only);
    goto done;
  }
  sb_doc_format fmt;
  /* a sheet within one role prints that role's expectations only */
  if (!to_role_id || strcmp(to_role_id, role_id) == 0) d.texts_role = role_id;
  if ((rc = sb_cli_doc_load(&ctx, "sheet", &d, &fmt, &cat))) goto done;
  const sb_role *role = NULL, *to_role = NULL;
  const sb_level *from = NULL, *to = NULL;
  if (to_role_id) {
    if (!(role = sb_cat_role_lookup(cat, role_id))) {
      rc = sb_cli_unknown_id(cat, "sheet", "role", role_id);
      goto done;
    }
    if (!(from = sb_cat_level_lookup(cat, from_id))) {
      rc = sb_cli_unknown_id(cat, "sheet", "level", from_id);
      goto done;
    }
    rc = cross_level(cat, to_role_id, to_id, from, &to_role, &to);
  } else {
    rc = sheet_levels(cat, role_id, from_id, to_id, &role, &from, &to);
    to_role = role;
  }
  if (rc) goto done;
  int domain = -1;
  if (domain_id) {
    for (int i = 0; i < cat->ndomains && domain < 0; i++)
      if (strcmp(cat->domains[i].id, domain_id) == 0) domain = i;
    if (domain < 0) {
      rc = sb_cli_unknown_id(cat, "sheet", "domain", domain_id);
      goto done;
    }
  }

  sb_render_req req;
  memset(&req, 0, sizeof req);
  req.kind = SB_DOC_SHEET;
  req.cat = cat;
  req.role = role->index;
  req.skill = -1;
  sb_review rv;
  memset(&rv, 0, sizeof rv);
  rv.role = role->index;
  rv.to_role = to_role->index;
  rv.from = from->index;
  rv.to = to->index;
  rv.person = person;
  rv.reviewer = reviewer;
  rv.date = date;
  rv.only = which;
  rv.domain = domain;
  rv.pack = pack;
  rv.fillable = fillable;
  req.review = &rv;
  req.nreviews = 1;
  sb_cli_doc_req(&req, &d, fmt);
  size_t n = strlen(role->id) + strlen(from->id) + strlen(to->id) + 32;
  stem = sb_xmalloc(n);
  snprintf(stem, n, "out/sheets/%s/%s/%s", role->id, from->id, to->id);
  const sb_path_part parts[] = {
      {"to-role", to_role != role ? to_role->id : NULL},
      {"pack", pack ? "1" : NULL},
      {"fillable", fillable ? "1" : NULL},
      {"person", person},
      {"reviewer", reviewer},
      {"date", date},
      {"only", only},
      {"domain", domain_id}};
  defpath = sb_cli_doc_defpath(stem, &d, cat->lang, fmt, parts,
                               (int)(sizeof parts / sizeof *parts));
  rc = sb_cli_doc_write(&ctx, "sheet", &req, d.strict, outpath, defpath);
done:
  sb_cli_early_end(); /* the style and faces' helper (early.c) */
  free(defpath);
  free(stem);
  sb_drop_catalog(cat);
  sb_ctx_free(&ctx);
  return rc;
}
