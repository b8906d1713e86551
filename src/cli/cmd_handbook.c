/*
** cli/cmd_handbook.c -- `skillbook handbook [CATALOG] --role ID [-o FILE]`.
**
** Renders the career-path handbook of one role; the common options, the
** rendering and the writing are docopts.c's (as for sheet and profile).
** The default output is out/handbooks/ROLE.pdf (.png, .trace for the other
** formats) under the working directory; the path written is printed on
** stdout (nothing is printed for `-o -`).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/docopts.h"

static const char *handbook_usage =
    "usage: skillbook handbook [CATALOG] --role ID [-o FILE] [options]\n"
    "\n"
    "Writes the career-path handbook of a role: cover, contents, and one\n"
    "section per skill where the role appears, with what each level\n"
    "expects. Default output: out/handbooks/ROLE.pdf; '-o -' writes to\n"
    "standard output.\n";

int sb_cmd_handbook(int argc, char **argv) {
  const char *pos[1];
  const char *role_id = NULL, *outpath = NULL;
  sb_doc_opts d;
  memset(&d, 0, sizeof d);
  int help = 0, npos = 0, rc;
  const sb_opt opts[] = {
      {"role", 0, &role_id, NULL, "the role (id, see 'skillbook list roles')",
       "ID"},
      {"output", 'o', &outpath, NULL, "output file ('-' = standard output)",
       "FILE"},
      SB_DOC_OPTS(d),
      {NULL, 0, NULL, NULL, NULL, NULL}};
  sb_catalog *cat = NULL;
  char *defpath = NULL;
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  rc = sb_cli_parse(argc, argv, opts, pos, 1, &npos, handbook_usage, &help,
                    &ctx);
  if (rc || help) goto done;
  if (!role_id) {
    rc = sb_cli_usage_error("handbook", "--role ID is required (see "
                            "'skillbook list roles')");
    goto done;
  }
  sb_doc_format fmt;
  if ((rc = sb_cli_doc_check("handbook", &d, &fmt))) goto done;
  rc = sb_cli_load_catalog(&ctx, "handbook", npos ? pos[0] : NULL, d.strict,
                           &cat);
  if (rc) goto done;
  const sb_role *role = sb_cat_role_lookup(cat, role_id);
  if (!role) {
    rc = sb_cli_unknown_id(cat, "handbook", "role", role_id);
    goto done;
  }
  sb_render_req req;
  memset(&req, 0, sizeof req);
  req.kind = SB_DOC_HANDBOOK;
  req.cat = cat;
  req.role = role->index;
  req.skill = -1;
  sb_cli_doc_req(&req, &d, fmt);
  size_t n = strlen(role->id) + 32;
  defpath = sb_xmalloc(n);
  snprintf(defpath, n, "out/handbooks/%s", role->id);
  rc = sb_cli_doc_write(&ctx, "handbook", &req, d.strict, outpath, defpath);
done:
  free(defpath);
  sb_drop_catalog(cat);
  sb_ctx_free(&ctx);
  return rc;
}
