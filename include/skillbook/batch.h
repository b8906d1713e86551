/*
** skillbook/batch.h -- the nightly batch: every document of a catalogue.
**
** sb_batch_run renders every handbook, level comparison sheet and skill
** profile of a loaded catalogue into one output folder, in forked worker
** processes, incrementally (a manifest records a hash of every input of
** each output), under an flock lock, through temporary files and renames,
** with manifest.json renamed into place last as the commit point.
** sb_batch_merge joins the folders of shards (--shard K/N) into one.
** Safety rules and the manifest format: docs/batch.md.
** An unchanged rerun is answered from the manifest by stat(2) alone
** (sb_batch_rerun_try).
** Tests: tests/cli/batch.sh, tests/cli/batch_index.sh, tests/cli/batch_fast.sh
*/
#ifndef SKILLBOOK_BATCH_H
#define SKILLBOOK_BATCH_H

#include <stdio.h>

#include "skillbook/base.h"
#include "skillbook/catalog.h"
#include "skillbook/docs.h"

/* One person of a review cycle, as the people list (cli/people.c) gives
** it: the review their pack shows (rv.pack == 1, rv.id the file-safe id:
** the pack is ID.pdf) and how logs may name them. Names are personal data:
** they reach the PDFs only (docs/batch.md, "Review cycles"). */
typedef struct sb_batch_person {
  sb_review rv;
  const char *reviewer_id; /* file-safe id of rv.reviewer (the book's
                           ** file name); NULL: no reviewer, in no
                           ** reviewer's book */
  const char *logname;     /* "row 12", or "id E12" when the file gives
                           ** ids: the only way a log names the person */
} sb_batch_person;

typedef struct sb_batch_opts {
  const char *outdir;     /* output folder; created when missing */
  int jobs;               /* worker processes; 0 = sb_cpu_count() */
  int shard_k, shard_n;   /* 1 <= K <= N; N = 0 means no sharding */
  int force;              /* render every document, changed or not */
  int book;               /* also the book of every profile (profiles.pdf) */
  int strict;             /* warnings while rendering fail the document */
  int no_tags;            /* PDFs untagged, not PDF/A (sb_pdf_opts) */
  const char *style;      /* NAME or FILE; NULL = default */
  const char *lang;       /* label language; NULL = the catalogue's */
  const char *datadir;    /* the data folder (fonts/); NULL = "." */
  int log_json;           /* JSON lines instead of text on log */
  int progress;           /* draw a progress bar on log (a terminal) */
  FILE *log;              /* where the per-document lines go (stderr) */
  /* A review cycle (reviews, batch --people): a pack per person at
  ** PEOPLE_DIR/ID.pdf, a book per reviewer at
  ** PEOPLE_DIR/by-reviewer/REVIEWER.pdf, with book_all the whole cycle's
  ** at PEOPLE_DIR/book/all.pdf; books only when not sharding. */
  const sb_batch_person *people;
  int npeople;
  const char *people_dir; /* "" (reviews -o DIR) or "reviews" (batch) */
  int people_only;        /* no handbooks, sheets, profiles, index.html */
  int book_all;
  unsigned private_mode;  /* mode of packs and books (0: 0600); their
                          ** folders get x where r is set (0700) */
  const sb_catalog *since; /* batch --since: an older version (hashes
                              computed): changes.pdf, and the handbooks'
                              appendix "Changes since"; NULL = none */
  struct sb_batch_rerun *rerun; /* what this run read and how it was
                              asked: recorded in the manifest when the run
                              ends cleanly (fast.c); NULL = nothing */
} sb_batch_opts;

typedef struct sb_batch_stats {
  int written, unchanged, failed, deleted;
  int interrupted;        /* a signal (the number) stopped the run, or 0 */
} sb_batch_stats;

/** Renders every document of cat into opts->outdir (see the file header).
** cat's content hashes must have been computed (sb_cat_compute_hashes, once
** after loading; SB_E_INTERNAL otherwise).
** Returns SB_OK when every document is written or up to date; SB_E_RENDER
** when some failed (the others are written and committed); SB_E_STYLE or
** SB_E_FONT when the style, fonts or labels are invalid (nothing touched);
** SB_E_LOCKED when another batch holds the folder; SB_E_IO when the folder
** or manifest cannot be written; SB_E_RENDER after SIGTERM/SIGINT/SIGHUP
** (workers killed, temporary files removed, finished work committed).
** The message is in ctx; *stats (may be NULL) gets the counts. */
sb_status sb_batch_run(sb_ctx *ctx, const sb_catalog *cat,
                       const sb_batch_opts *opts, sb_batch_stats *stats);

/** Moves the outputs of shard folders (each holding a shard's
** manifest.json) into opts->outdir, then writes its index.html and
** manifest.json. Safe to kill and run again. Status as sb_batch_run. */
sb_status sb_batch_merge(sb_ctx *ctx, const char *const *shard_dirs,
                         int nshards, const sb_batch_opts *opts,
                         sb_batch_stats *stats);

/* ==== The unchanged rerun (fast.c; docs/batch.md, "The unchanged rerun") ==== */

/* What a batch read, and how it was asked. A run that ends cleanly (no
** failure, no warning, not interrupted, not a shard) records both in its
** manifest ("rerun"); the next run asked the same way then checks, by
** stat(2) alone, that every file it read and every output is as recorded,
** and if so prints what loading the catalogues printed (r->replay) and
** says "nothing to do" without loading anything. */
typedef struct sb_batch_rerun {
  char asked[65];      /* hex SHA-256 of the request (sb_batch_rerun_ask) */
  long long start_ns;  /* CLOCK_REALTIME before any input was read */
  char **inputs;       /* the files and folders read (owned copies) */
  int ninputs;
  size_t cap;
  int unclean;         /* something was printed before the run (a
                       ** warning, a note): record nothing */
  char *people;        /* the --people file (owned), or NULL: recorded as
                       ** "(people)", since its name may be a person's */
  sb_ctx diags[2];     /* what loading the catalogue [0] and the --since
                       ** catalogue [1] said (a gap warning...): recorded,
                       ** and printed again by the rerun, through replay */
  void (*replay)(void *arg, sb_ctx *diags); /* prints one group as the
                       ** loading printed it (text or JSON lines) */
  void *replay_arg;
} sb_batch_rerun;

/** Starts a record: takes the start time (call it before reading any
** input) and adds the program itself (/proc/self/exe). Can't fail.
** The caller sets replay (without it, a record with diagnostics is never
** taken). */
void sb_batch_rerun_init(sb_batch_rerun *r);
void sb_batch_rerun_free(sb_batch_rerun *r);
/** Adds a file or folder the run reads (a path as the run opens it;
** relative paths are relative to the working folder, which is part of
** the request). */
void sb_batch_rerun_add(sb_batch_rerun *r, const char *path);
/** Adds a catalogue as the loader reads it: a file, or a folder and each
** *.xml in it (not hidden). */
void sb_batch_rerun_add_catalog(sb_batch_rerun *r, const char *path);
/** Hashes the request into r->asked: the program's version, the working
** and data folders, the batch options that can change an output (o, and
** the command line's catalogue, --since, --people and --fillable as
** given: NULL when absent), the limits, and the environment the run
** reads (SOURCE_DATE_EPOCH, FREETYPE_PROPERTIES, every SKILLBOOK_*). */
void sb_batch_rerun_ask(sb_batch_rerun *r, const sb_batch_opts *o,
                        const char *catalog, const char *since,
                        const char *people, int fillable,
                        const sb_limits *lim);
/** The unchanged rerun: when opts->outdir's manifest records a clean run
** asked as r->asked, and every input and output it lists has the recorded
** stamp, takes the lock, logs the summary of a run with nothing to do,
** sets *done and *stats. Otherwise (any doubt: no record, a stamp that
** differs, the lock held, a temporary file left by a killed run) *done is
** 0 and nothing was changed: run the batch. Never fails. */
void sb_batch_rerun_try(const sb_batch_opts *opts, const sb_batch_rerun *r,
                        int *done, sb_batch_stats *stats);

/* ==== The batch's worker pool, for other commands (handbook --all) ==== */

/** One job, run in a forked worker: renders and writes job idx and prints
** its own diagnostics. c is a fresh context with the caller's limits. */
typedef sb_status (*sb_batch_job_fn)(sb_ctx *c, void *arg, int idx);
/** Called in the parent as each job ends: st is its status; msg is NULL
** when the job printed its own diagnostics (or was never finished because
** a signal stopped the run), else why it failed without printing (its
** worker died, a test hook). */
typedef void (*sb_batch_report_fn)(void *arg, int idx, sb_status st,
                                   const char *msg);

typedef struct sb_batch_pool_opts {
  int njobs;                 /* jobs 0 .. njobs - 1 */
  const char *const *names;  /* per job: its output path (the test hooks
                             ** SKILLBOOK_FAIL_DOC etc. match it) */
  int workers;               /* processes; capped at njobs */
  sb_batch_job_fn fn;
  sb_batch_report_fn report; /* may be NULL */
  void *arg;
} sb_batch_pool_opts;

/** Runs every job in worker processes forked from this one, as the batch
** runs its documents: one job at a time to an idle worker; workers die with
** this process (PR_SET_PDEATHSIG, checked after fork); a worker that dies
** fails the job it held, and a new one takes its place; SIGTERM, SIGINT and
** SIGHUP kill the workers and end the run (the jobs not finished are
** reported failed). Returns SB_OK when every job ran (each job's own status
** goes to report); SB_E_RENDER when a signal stopped the run, SB_E_IO when
** no worker could be started (message in ctx). */
sb_status sb_batch_pool(sb_ctx *ctx, const sb_batch_pool_opts *o);

/** Parses "K/N" (1 <= K <= N <= 1000000). Returns 0, or -1 when malformed. */
int sb_batch_parse_shard(const char *s, int *k, int *n);

/** 1 when the output at rel (a path relative to the output folder) belongs
** to shard k of n: the first 8 bytes of SHA-256(rel), big-endian, mod n
** equal k - 1. Adding a document never moves another one. */
int sb_batch_in_shard(const char *rel, int k, int n);

#endif
