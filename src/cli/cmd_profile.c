/*
** cli/cmd_profile.c -- `skillbook profile [CATALOG] (--skill ID | --all)
** [-o FILE]`.
**
** One skill's profile, or with --all one book of every skill's profile
** (contents, bookmarks, one set of fonts). Default output:
** out/profiles/SKILL.pdf, and out/profiles.pdf for --all (beside the
** folder, so that a skill whose id is "all" cannot take the book's file;
** the batch writes the same paths; another style or language, or a PNG,
** gets a path of its own: SKILL+p1.png, sb_cli_doc_defpath); the path is
** printed on stdout.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/docopts.h"

static const char *profile_usage =
    "usage: skillbook profile [CATALOG] (--skill ID | --all) [-o FILE] "
    "[options]\n"
    "\n"
    "Writes the profile of a skill: what it covers, its figures (roles,\n"
    "levels, mandatory, optional), a chart per level, and for each level\n"
    "what every role is expected to do. --all writes one book of every\n"
    "skill's profile with a contents page. Default output:\n"
    "out/profiles/SKILL.pdf (--all: out/profiles.pdf; another style,\n"
    "language or a PNG: SKILL+style-NAME.pdf, SKILL+p1.png...); '-o -'\n"
    "writes to standard output; -o x.png or x.trace writes that format.\n";

int sb_cmd_profile(int argc, char **argv) {
  const char *skill_id = NULL, *outpath = NULL;
  int all = 0;
  sb_doc_opts d;
  int help = 0, rc;
  const sb_opt opts[] = {
      {"skill", 0, &skill_id, NULL,
       "the skill (id, see 'skillbook list skills')", "ID"},
      {"all", 0, NULL, &all, "every skill, in one book", NULL},
      {"output", 'o', &outpath, NULL, "output file ('-' = standard output)",
       "FILE"},
      {NULL, 0, NULL, NULL, NULL, NULL}};
  sb_catalog *cat = NULL;
  char *defpath = NULL;
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  rc = sb_cli_doc_parse(&ctx, argc, argv, opts, profile_usage, &d, &help);
  if (rc || help) goto done;
  d.output = outpath; /* -o x.png: the format */
  if (!skill_id == !all) {
    rc = sb_cli_usage_error("profile", "give exactly one of --skill ID and "
                            "--all (see 'skillbook list skills')");
    goto done;
  }
  sb_doc_format fmt;
  /* one skill's profile prints that skill's expectations only */
  d.texts_skill = skill_id;
  if ((rc = sb_cli_doc_load(&ctx, "profile", &d, &fmt, &cat))) goto done;
  const sb_skill *sk = NULL;
  if (skill_id && !(sk = sb_cat_skill_lookup(cat, skill_id))) {
    rc = sb_cli_unknown_id(cat, "profile", "skill", skill_id);
    goto done;
  }
  sb_render_req req;
  memset(&req, 0, sizeof req);
  req.kind = SB_DOC_PROFILE;
  req.cat = cat;
  req.role = -1;
  req.skill = sk ? sk->index : -1;
  sb_cli_doc_req(&req, &d, fmt);
  size_t n = (sk ? strlen(sk->id) : 0) + 32;
  char *stem = sb_xmalloc(n);
  if (sk)
    snprintf(stem, n, "out/profiles/%s", sk->id);
  else
    snprintf(stem, n, "out/profiles");
  /* the batch's path only for the batch's document (sb_cli_doc_defpath) */
  defpath = sb_cli_doc_defpath(stem, &d, cat->lang, fmt, NULL, 0);
  free(stem);
  rc = sb_cli_doc_write(&ctx, "profile", &req, d.strict, outpath, defpath);
done:
  sb_cli_early_end(); /* the style and faces' helper (early.c) */
  free(defpath);
  sb_drop_catalog(cat);
  sb_ctx_free(&ctx);
  return rc;
}
