/*
** cli/main.c -- the skillbook program: dispatches subcommands.
**
** Subcommands come from a table {name, function, summary} (mutool style).
** Each returns an exit status from PRODUCT.md.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

typedef struct command {
  const char *name;
  int (*fn)(int, char **);
  const char *summary;
} command;

static const command commands[] = {
    {"validate", sb_cmd_validate, "check a catalogue and report every problem"},
    {"list", sb_cmd_list, "list the roles, levels or skills of a catalogue"},
    {"handbook", sb_cmd_handbook, "write the career-path handbook of a role"},
    {"sheet", sb_cmd_sheet, "write a level comparison sheet for a review"},
    {"profile", sb_cmd_profile, "write skill profile sheets"},
    {"batch", sb_cmd_batch, "write every document of a catalogue (nightly job)"},
};

static void usage(FILE *f) {
  fprintf(f,
          "usage: skillbook COMMAND [ARGS...]\n"
          "\n"
          "Turns a skills catalogue (XML) into printable PDF documents.\n"
          "\n"
          "Commands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
  fprintf(f,
          "\n"
          "CATALOG is a catalogue file or a folder of *.xml files; it defaults\n"
          "to the bundled catalogue. 'skillbook COMMAND --help' tells more.\n"
          "Options: --help, --version.\n");
}

/* SKILLBOOK_COUNT_ALLOC: how many allocations the run made (torture test). */
static void print_alloc_count(void) {
  fprintf(stderr, "skillbook: %lu allocations\n", sb_alloc_count());
}

/* Hidden test hooks (tests/cli/faults.sh, docs/hardening.md):
** SKILLBOOK_FAIL_ALLOC=N makes the Nth allocation of ours fail (the
** out-of-memory exit), SKILLBOOK_COUNT_ALLOC=1 prints the number made. */
static void test_hooks(void) {
  const char *v = getenv("SKILLBOOK_FAIL_ALLOC");
  if (v && *v)
    sb_alloc_fail_after(strtoul(v, NULL, 10));
  v = getenv("SKILLBOOK_COUNT_ALLOC");
  if (v && *v && strcmp(v, "0") != 0)
    atexit(print_alloc_count);
}

int main(int argc, char **argv) {
  sb_heap_tune();
  test_hooks();
  if (argc < 2) {
    usage(stderr);
    return SB_EXIT_USAGE;
  }
  const char *name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
      strcmp(name, "help") == 0) {
    usage(stdout);
    return SB_EXIT_OK;
  }
  if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
    printf("skillbook %s\n", SB_VERSION);
    return SB_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (strcmp(commands[i].name, name) == 0)
      return commands[i].fn(argc - 1, argv + 1);
  fprintf(stderr, "skillbook: unknown command '%s' (try 'skillbook --help')\n",
          name);
  return SB_EXIT_USAGE;
}
