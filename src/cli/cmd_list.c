/*
** cli/cmd_list.c -- `skillbook list roles|levels|skills [CATALOG]`.
**
** One line per item on stdout, fields separated by tabs: "id<TAB>name" for
** roles and levels (levels in growth order), "id<TAB>name<TAB>domain name
** <TAB>group name" for skills (in print order). Meant for scripts and for
** finding the ids the other commands take; domain and group ids are typed
** nowhere, so their names are shown. The catalogue's warnings are not
** printed ('skillbook validate' lists them); its errors are.
*/
#include <string.h>

#include "cli/cli.h"

static const char *list_usage =
    "usage: skillbook list roles|levels|skills [CATALOG]\n"
    "\n"
    "Prints the ids and names of a catalogue's roles, levels or skills, one\n"
    "per line, fields separated by tabs:\n"
    "  roles   ID  NAME\n"
    "  levels  ID  NAME                     (in growth order)\n"
    "  skills  ID  NAME  DOMAIN  GROUP      (in print order; domain and\n"
    "                                        group by name)\n"
    "The IDs are what --role, --from, --to and --skill take. Warnings about\n"
    "the catalogue are not printed: 'skillbook validate' lists them.\n";

static void list_items(const sb_catalog *cat, const char *kind) {
  if (strcmp(kind, "roles") == 0) {
    for (int i = 0; i < cat->nroles; i++)
      printf("%s\t%s\n", cat->roles[i].id, cat->roles[i].name);
  } else if (strcmp(kind, "levels") == 0) {
    for (int i = 0; i < cat->nlevels; i++)
      printf("%s\t%s\n", cat->levels[i].id, cat->levels[i].name);
  } else {
    for (int i = 0; i < cat->nskills; i++) {
      const sb_skill *sk = &cat->skills[i];
      const sb_domain *dm = &cat->domains[sk->domain];
      const sb_group *gr = &cat->groups[sk->group];
      printf("%s\t%s\t%s\t%s\n", sk->id, sk->name,
             dm->name ? dm->name : dm->id, gr->name ? gr->name : gr->id);
    }
  }
}

int sb_cmd_list(int argc, char **argv) {
  const char *pos[2];
  int help = 0, npos = 0, rc;
  const sb_opt opts[] = {{NULL, 0, NULL, NULL, NULL, NULL}};
  sb_catalog *cat = NULL;
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  rc = sb_cli_parse(argc, argv, opts, pos, 2, &npos, list_usage, &help, &ctx);
  if (rc || help)
    goto done;
  if (npos == 0) {
    rc = sb_cli_usage_error("list", "what to list? (roles, levels or skills)");
    goto done;
  }
  if (strcmp(pos[0], "roles") != 0 && strcmp(pos[0], "levels") != 0 &&
      strcmp(pos[0], "skills") != 0) {
    rc = sb_cli_usage_error("list", "unknown kind '%s' (expected roles, "
                            "levels or skills)", pos[0]);
    goto done;
  }
  rc = sb_cli_load_catalog(&ctx, "list", npos > 1 ? pos[1] : NULL, 0,
                           SB_CLI_DIAGS_NONE, &cat);
  if (rc == SB_EXIT_OK)
    list_items(cat, pos[0]);
  sb_drop_catalog(cat);
done:
  sb_ctx_free(&ctx);
  return rc;
}
