/*
** cli/docopts.h -- what the document commands (handbook, sheet, profile)
** share beyond cli.h: parsing their arguments (their own options plus the
** common ones, one CATALOG), checking the common options and loading the
** catalogue, and rendering a request to its output file.
*/
#ifndef SB_CLI_DOCOPTS_H
#define SB_CLI_DOCOPTS_H

#include "cli/cli.h"
#include "skillbook/render.h"

/* ==== Arguments ==== */

/* Most options a command adds to the common ones (sb_cli_doc_parse). */
#define SB_DOC_OWN_MAX 16

/** Parses argv (argv[0] the command's name) for a document command: the
** command's own options (own, ending with an entry whose lng is NULL, at
** most SB_DOC_OWN_MAX), then the common ones into *d (--format, --page,
** --dpi, --style, --lang, --strict; --help lists them after the command's
** own), --limit into ctx's limits, and at most one CATALOG (d->catalog).
** Returns 0, with *help set when --help printed the usage (exit 0), or
** SB_EXIT_USAGE after printing "skillbook CMD: ..." to stderr. The common
** options are only stored: sb_cli_doc_load checks them.
** @test tests/cli/handbook.sh, tests/cli/sheet.sh, tests/cli/profile.sh */
int sb_cli_doc_parse(sb_ctx *ctx, int argc, char **argv,
                     const sb_opt *own,  /* the command's own options */
                     const char *usage,  /* the text --help starts with */
                     sb_doc_opts *d,     /* OUT: zeroed, then filled */
                     int *help);         /* OUT: 1 after --help */

/** What a document command does once its own options are checked: checks
** the common options (sb_cli_doc_check, *fmt), then loads d->catalog
** (sb_cli_load_catalog_pending, with --strict: its validation may still
** run, its messages not printed yet). Returns 0 with *cat set (drop it
** with sb_drop_catalog), or the exit status after printing why. Until
** sb_cli_doc_write (or sb_cli_settle), the command prints nothing but
** through sb_cli_usage_error and writes nothing.
** @test tests/cli/handbook.sh, tests/cli/png.sh, tests/cli/styles.sh */
int sb_cli_doc_load(sb_ctx *ctx, const char *cmd, const sb_doc_opts *d,
                    sb_doc_format *fmt, sb_catalog **cat);

/** Checks --format, --page, --dpi and --style: stores the format in *fmt
** (--format; else the extension of d->output, sb_cli_ext_format; else
** pdf) and returns 0, or prints a message and returns SB_EXIT_USAGE (bad
** format; an -o extension that contradicts --format; --page not an
** integer >= 1; --dpi not a number from 10 to 1200; --page or --dpi
** without png) or SB_EXIT_STYLE (unknown style, a folder as a style).
** @test tests/cli/around.sh */
int sb_cli_doc_check(const char *cmd, const sb_doc_opts *d, sb_doc_format *fmt);

/** The format a file name's extension names, case-insensitively: "pdf",
** "png" or "trace"; NULL for any other extension or none. */
const char *sb_cli_ext_format(const char *path);

/** Loads the style spec (a built-in NAME or a style FILE) to check it
** before anything renders: returns 0, or prints its file:line diagnostics
** and returns the exit status (4 for an invalid style or font, 2 for a
** missing file). */
int sb_cli_check_style(const char *cmd, const char *spec);

/** Fills the fields of req that come from the common options (style,
** lang, data folder, format, and for png the page and resolution); d must
** have passed sb_cli_doc_check. */
void sb_cli_doc_req(sb_render_req *req, const sb_doc_opts *d,
                    sb_doc_format fmt);

/** Renders req and writes it to outpath ("-" = standard output) or, when
** outpath is NULL, to defpath with the format's extension (".pdf",
** ".png" or ".trace" appended). Prints the path written on stdout (not
** for "-"). With strict, warnings fail (nothing written). Prints
** the diagnostics. A pending load is settled (sb_cli_settle) after the
** render, before anything is printed or written: when it fails, its
** exit status is returned and nothing is written. Returns the exit status (a warning under --strict:
** SB_EXIT_RENDER, the document could not be rendered as asked). */
int sb_cli_doc_write(sb_ctx *ctx, const char *cmd, const sb_render_req *req,
                     int strict, const char *outpath, const char *defpath);

/* ==== Early: the style and faces beside the catalogue (early.c) ==== */

/** Starts loading the style of d (a built-in NAME or a FILE) and its three
** faces on a helper thread, to be ready when the document renders
** (sb_cli_doc_load calls it before the catalogue loads). Nothing of it
** ever shows: when it meets anything (an error, a warning) its result is
** dropped and sb_render loads them itself, saying what it says where it
** always did. Does nothing in the test build (sb_hooks), with
** SKILLBOOK_EARLY=0, or when the thread cannot start. d must have passed
** sb_cli_doc_check; ctx gives the limits. */
void sb_cli_early_start(const sb_ctx *ctx, const sb_doc_opts *d);

/** Waits for the helper; when it loaded the style and the faces without a
** word, sets req->style_loaded and req->fonts (owned here until
** sb_cli_early_end) and returns 1, else 0 (req unchanged). */
int sb_cli_early_take(sb_render_req *req);

/** Waits for the helper and frees what it loaded. Every command that
** called sb_cli_doc_load calls it before it returns (no helper may outlive
** the command). Nothing to wait for or free: a no-op. */
void sb_cli_early_end(void);

/* ==== Default paths ==== */

/* One option that makes a document personal or filtered, for its default
** path: key ("person", "only"...) and the value given (NULL: not given). */
typedef struct sb_path_part {
  const char *key, *value;
} sb_path_part;

/** The default path (without extension) of a document whose batch path is
** stem (e.g. "out/sheets/sre/senior/lead"). The batch's path belongs to
** the batch: it is stem only for the very document the batch writes there
** (a PDF in the default style and the catalogue's language, nothing
** personalised or filtered). Anything else gets "+KEY-VALUE" for each part
** given, in the order given, then "+style-NAME" for a style other than the
** default, "+lang-TAG" for --lang other than the catalogue's, and
** "+pN" for a PNG of page N (so a PNG export never takes the batch's
** thumbnail, stem.png). Values are made file-safe (sb_cli_file_safe); a
** suffix over 180 bytes is cut to 160 and ends with 8 hex digits of its
** SHA-256, so the file name stays under NAME_MAX. Ids
** never contain '+' ([a-z0-9._-]), so no such path is any batch file. The
** result is malloc'd. @test tests/cli/sheet_review.sh */
char *sb_cli_doc_defpath(const char *stem, const sb_doc_opts *d,
                         const char *cat_lang, sb_doc_format fmt,
                         const sb_path_part *parts, int nparts);

/** A file-safe form of s, malloc'd: ASCII letters lowered, digits and
** UTF-8 letters (bytes >= 0x80) kept, every other run of characters one
** '-', none at either end; over 48 bytes it is cut at a character's start
** and ends with '-' and 8 hex digits of the SHA-256 of s, so that two long
** values stay apart. "" gives "x". */
char *sb_cli_file_safe(const char *s);

/* ==== Commands that write many documents (handbook --all) ==== */

/* What every document of such a command shares, loaded once: the style
** and its three faces. */
typedef struct sb_doc_shared {
  sb_style *style;   /* owned */
  sb_fontset fonts;  /* owned */
} sb_doc_shared;

/** The file extension of fmt, without the dot: "pdf", "png" or "trace".
** This function can't fail. */
const char *sb_cli_doc_ext(sb_doc_format fmt);

/** Loads once what every document of cat shares: the style of d (a
** built-in NAME or a FILE), the labels' language (one warning for an
** unknown --lang, as sb_render gives for one document) and the style's
** three faces (DATADIR/fonts/FILE), so that forked workers share them
** copy-on-write.
** d must have passed sb_cli_doc_check. Diagnostics go to ctx. Returns
** SB_OK with *sh filled (free it with sb_cli_doc_unload), or the failure
** (SB_E_STYLE, SB_E_FONT, SB_E_IO) with *sh empty. */
sb_status sb_cli_doc_preload(sb_ctx *ctx, const sb_doc_opts *d,
                             const sb_catalog *cat, sb_doc_shared *sh);
/** Frees what sb_cli_doc_preload loaded; an empty *sh is a no-op. */
void sb_cli_doc_unload(sb_doc_shared *sh);

/** Renders req (kind, indexes and the common options already filled; the
** style and faces taken from sh when it is not NULL) and writes it to path
** (not "-") with sb_write_output: parent folders created, a regular file
** replaced atomically, nothing half-written on failure. With strict, a
** warning fails the document (SB_E_RENDER, nothing written). Prints
** nothing: the diagnostics and the error stay in ctx. Returns the status.
** The bytes are those sb_cli_doc_write writes for the same request. */
sb_status sb_cli_doc_render_file(sb_ctx *ctx, const sb_render_req *req,
                                 const sb_doc_shared *sh, int strict,
                                 const char *path);

#endif
