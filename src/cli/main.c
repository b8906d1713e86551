/*
** cli/main.c -- the skillbook program: dispatches subcommands.
**
** Subcommands come from a table {name, function, summary} (mutool style).
** Each returns an exit status from PRODUCT.md.
*/
#include <errno.h>
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
    {"reviews", sb_cmd_reviews, "write a review pack per person of a people list"},
    {"diff", sb_cmd_diff, "what changed between two versions of a catalogue"},
    {"import", sb_cmd_import, "turn a spreadsheet (CSV) into a catalogue"},
    {"export", sb_cmd_export, "write a catalogue as CSV or JSON"},
    {"collect", sb_cmd_collect, "read filled review packs back into CSV or JSON"},
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
          "Options: --help, --version. Every command also takes --quiet (no\n"
          "warnings) and --limit NAME=VALUE.\n");
}

#ifdef SB_TEST_HOOKS
/* The test build only (skillbook-test; docs/hardening.md): fault injection
** from the environment. SKILLBOOK_FAIL_ALLOC=N makes the Nth allocation of
** ours fail (the out-of-memory exit), SKILLBOOK_COUNT_ALLOC=1 prints the
** number made, and the batch hooks of sb_test_hooks (docs/batch.md). */
static void print_alloc_count(void) {
  fprintf(stderr, "skillbook: %lu allocations\n", sb_alloc_count());
}

static void test_hooks(void) {
  static sb_test_hooks hooks;
  const char *v = getenv("SKILLBOOK_FAIL_ALLOC");
  if (v && *v)
    sb_alloc_fail_after(strtoul(v, NULL, 10));
  v = getenv("SKILLBOOK_COUNT_ALLOC");
  if (v && *v && strcmp(v, "0") != 0)
    atexit(print_alloc_count);
  hooks.crash_doc = getenv("SKILLBOOK_CRASH_DOC");
  hooks.fail_doc = getenv("SKILLBOOK_FAIL_DOC");
  v = getenv("SKILLBOOK_BATCH_DELAY_MS");
  hooks.delay_ms = v ? strtol(v, NULL, 10) : 0;
  sb_hooks = &hooks;
}
#else
static void test_hooks(void) {}
#endif

/* What a command printed on standard output (lists, JSON, the paths it
** wrote) is its result: when it could not all be written (a full disk, a
** closed pipe), the run failed, whatever the command returned. */
static int stdout_checked(int rc) {
  if (fflush(stdout) == 0 && !ferror(stdout))
    return rc;
  fprintf(stderr, "skillbook: error: writing to standard output: %s\n",
          strerror(errno ? errno : EIO));
  return rc == SB_EXIT_OK ? SB_EXIT_RENDER : rc;
}

static int run(int argc, char **argv) {
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
    if (strcmp(commands[i].name, name) == 0) {
      int rc = commands[i].fn(argc - 1, argv + 1);
      /* a net: a command that ended without settling its pending load
      ** (none does) still prints its messages and fails as it would */
      int lrc = sb_cli_settle();
      return rc ? rc : lrc;
    }
  char near[128];
  if (sb_cat_suggest_from(commands, (int)(sizeof commands / sizeof *commands),
                          sizeof *commands, name, near, sizeof near))
    fprintf(stderr, "skillbook: unknown command '%s' (did you mean %s?)\n",
            name, near);
  else
    fprintf(stderr, "skillbook: unknown command '%s' (try 'skillbook "
                    "--help')\n", name);
  return SB_EXIT_USAGE;
}

int main(int argc, char **argv) {
  sb_heap_tune();
  test_hooks();
  return stdout_checked(run(argc, argv));
}
