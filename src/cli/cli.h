/*
** cli/cli.h -- what the subcommands share: options, data folder, messages.
**
** Each subcommand is `int sb_cmd_NAME(int argc, char **argv)` (argv[0] is
** the command name) and returns an exit status from PRODUCT.md (SB_EXIT_*,
** base.h).
*/
#ifndef SB_CLI_H
#define SB_CLI_H

#include <stdio.h>

#include "skillbook/base.h"
#include "skillbook/catalog.h"

/* One option of a command. Exactly one of val/flag is set. */
typedef struct sb_opt {
  const char *lng;     /* "role" for --role */
  char shrt;           /* 'o' for -o, or 0 */
  const char **val;    /* option takes a value: where to store it */
  int *flag;           /* option is a switch: set to 1 */
  const char *help;    /* shown by --help; NULL hides it */
  const char *argname; /* "ID", "FILE" */
} sb_opt;

/* Options every document command and the batch accept (--limit goes
** straight into the context: sb_cli_parse). */
typedef struct sb_doc_opts {
  const char *catalog;   /* CATALOG (documents), NULL = the bundled one */
  const char *format;    /* pdf|png|trace (documents); NULL = pdf */
  const char *style;     /* NAME|FILE, NULL = default */
  const char *lang;      /* BCP 47 tag, NULL = the catalogue's */
  const char *page;      /* png: page number */
  const char *dpi;       /* png: resolution */
  const char *output;    /* -o of one document: its extension (.pdf, .png,
                         ** .trace) is the format when --format is not
                         ** given; NULL for a folder or none */
  int strict;
  int no_tags;           /* --no-tags: an untagged, non-archival PDF */
  const char *texts_role; /* set by a command that prints one role's
                          ** expectations: sb_cli_doc_load keeps only its
                          ** texts (sb_load_catalog_texts); NULL = all */
  const char *texts_skill; /* the same for one skill's (a profile) */
} sb_doc_opts;

/** Parses argv[1..] against opts. Positional arguments go to pos (at most
** maxpos; *npos gets how many). "--help"/"-h" prints usage and sets *help.
** Returns 0, or SB_EXIT_USAGE after printing "skillbook CMD: ..." to stderr.
** --limit is accepted by every command when lim is non-NULL. */
int sb_cli_parse(int argc, char **argv, const sb_opt *opts, const char **pos,
                 int maxpos, int *npos, const char *usage, int *help,
                 sb_ctx *ctx_for_limits);

/** Reads a count from 1 to max (max <= INT_MAX) written in decimal digits
** only, no sign or space: --page, -j. Returns 1 with *out set, or 0 (not
** such a count) with *out untouched.
** @test tests/cli/png.sh, tests/cli/handbook_all.sh, tests/cli/batch.sh */
int sb_cli_parse_count(const char *s, long max, int *out);
/* -j: the most worker processes handbook --all and the batch start. */
#define SB_CLI_JOBS_MAX 4096

/** Prints "skillbook CMD: message" to stderr and returns SB_EXIT_USAGE;
** after a pending load (sb_cli_load_catalog_pending), once its messages
** are printed (sb_cli_settle), or, when it failed, only those, returning
** its exit status. */
int sb_cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/** The data folder: $SKILLBOOK_DATA, else the executable's
** ../share/skillbook when it holds catalog/, else (only for the program in
** the build folder it was built in) the folder above it or the source
** tree, else the configured install data folder, else ".".
** The string is static. */
const char *sb_cli_datadir(void);
/** datadir + "/" + rel, malloc'ed. */
char *sb_cli_data_path(const char *rel);

/** 1 after --quiet (or -q): warnings are not printed; errors always are.
** sb_cli_parse takes it for every command that passes a context. */
int sb_cli_quiet(void);

/** path lexically normalised (no "." or "NAME/.." components, no repeated
** slash; kept as typed when a symbolic link makes the clean form name
** another place) and, when relative is set, an absolute path under the
** working directory made relative to it. malloc'ed.
** @test tests/cli/around.sh */
char *sb_cli_clean_path(const char *path, int relative);

/** Prints every diagnostic in ctx to stderr as
** "file:line:col: error: text" (or file:line:, or "skillbook: "), sorted,
** then the first error if it is not already a diagnostic. With --quiet,
** warnings are left out. */
void sb_cli_print_diags(sb_ctx *ctx, const char *cmd);
/** How many diagnostics (errors, warnings, notes; printed or not under
** --quiet) the printing functions above have been given in this process:
** the batch records an unchanged rerun only after a run whose every
** diagnostic it can print again (those of its catalogues). */
size_t sb_cli_diags_seen(void);
/** From now on (into NULL: no more), a copy of every diagnostic given to
** the printing functions above, or to sb_cli_capture_copy, is added to
** into. The batch keeps its catalogues' diagnostics so (cmd_batch.c). */
void sb_cli_capture_diags(sb_ctx *into);
/** Counts ctx's diagnostics as seen, and copies them where
** sb_cli_capture_diags says (for printers other than the above). */
void sb_cli_capture_copy(const sb_ctx *ctx);

/* What sb_cli_load_catalog prints of the catalogue's warnings (errors, and
** warnings that fail a --strict command, are always printed in full; with
** --quiet no warning is). */
enum {
  SB_CLI_DIAGS_ALL,     /* every warning (the batch) */
  SB_CLI_DIAGS_SUMMARY, /* one line: "N warnings in the catalogue; ..." */
  SB_CLI_DIAGS_NONE     /* none (list) */
};

/** Loads the catalogue at path (NULL = the bundled one; loaded under its
** clean path, sb_cli_clean_path, so that messages name it so), printing
** its diagnostics as report says (SB_CLI_DIAGS_*). Returns SB_EXIT_OK with
** *out set, or the exit status. With strict, warnings make it fail with
** SB_EXIT_CATALOG. */
int sb_cli_load_catalog(sb_ctx *ctx, const char *cmd, const char *path,
                        int strict, int report, sb_catalog **out);
/** As sb_cli_load_catalog, keeping the expectation texts of role and of
** skill only (sb_load_catalog_texts; NULL = all). */
int sb_cli_load_catalog_texts(sb_ctx *ctx, const char *cmd, const char *path,
                              int strict, int report, const char *role,
                              const char *skill, sb_catalog **out);

/** As sb_cli_load_catalog_texts, but a single file's schema validation
** may be left running (sb_load_catalog_pending) when ctx holds nothing
** yet and SKILLBOOK_PENDING is not "0": then nothing is printed, 0 is
** returned with *out set, and the load's messages, its --strict verdict
** and its exit status wait for sb_cli_settle, which the command calls
** before it prints or writes anything (sb_cli_doc_write does; so do
** sb_cli_usage_error and another load). For the document commands
** (sb_cli_doc_load): their layout runs beside the validation.
** @test tests/cli/load_pending.sh */
int sb_cli_load_catalog_pending(sb_ctx *ctx, const char *cmd,
                                const char *path, int strict, int report,
                                const char *role, const char *skill,
                                sb_catalog **out);

/** Ends the pending load, if any (sb_cli_load_catalog_pending): waits for
** its validation and prints what sb_cli_load_catalog_texts would have
** printed. Returns 0, or the exit status the load would have returned
** (3 for an invalid catalogue, or warnings under --strict): then the
** command writes nothing, prints nothing more and returns it (its
** catalogue is only to be dropped). Nothing pending: 0 at once. main()
** calls it too, after the command, as a net. */
int sb_cli_settle(void);

/** The exit status for a failure while rendering or writing a document:
** as sb_status_exit, except that a limit hit while rendering (pages,
** arena-bytes) is a document that could not be rendered (1), not a bad
** catalogue (3); SB_OK gives 0. */
int sb_cli_render_exit(sb_status st);

/** "junior, middle, senior": the ids of the levels lv[0..n) into buf
** (cut at size), for messages that name a role's levels. */
void sb_cli_level_list(const sb_catalog *cat, const int *lv, int n,
                       char *buf, size_t size);

/** Usage error for an unknown id, naming the closest ones. */
int sb_cli_unknown_id(const sb_catalog *cat, const char *cmd,
                      const char *kind, const char *id);

/* The commands. */
int sb_cmd_validate(int argc, char **argv);
int sb_cmd_list(int argc, char **argv);
int sb_cmd_handbook(int argc, char **argv);
int sb_cmd_sheet(int argc, char **argv);
int sb_cmd_profile(int argc, char **argv);
int sb_cmd_batch(int argc, char **argv);
int sb_cmd_reviews(int argc, char **argv);
int sb_cmd_diff(int argc, char **argv);
int sb_cmd_import(int argc, char **argv);
int sb_cmd_export(int argc, char **argv);
int sb_cmd_collect(int argc, char **argv);

#endif
