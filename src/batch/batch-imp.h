/*
** batch/batch-imp.h -- what the files of the batch share.
**
** plan.c lists the documents and their input hashes; render.c adapts the
** document render pipeline; lock.c holds the folder lock and sweeps
** temporary files; manifest.c reads and writes manifest.json and commits;
** run.c forks the workers; merge.c joins shards; index.c writes index.html;
** util.c has paths, file checks and the log; fast.c records what a clean
** run read and checks it for the unchanged rerun.
*/
#ifndef SB_BATCH_IMP_H
#define SB_BATCH_IMP_H

#include <stdio.h>

#include "skillbook/base.h"
#include "skillbook/batch.h"
#include "skillbook/catalog.h"
#include "skillbook/style.h"

/* ==== Manifest entries ==== */

/* What stat(2) said of an output when the manifest recorded it: with its
** size (the entry's bytes), enough to trust that it has not changed since
** without reading it again (as make and rsync do). All 0 = unknown. */
typedef struct sb_fstamp {
  long long ino;
  long long mtime_ns, ctime_ns;  /* since the epoch */
} sb_fstamp;

/* One output as the manifest records it. Strings belong to the owner
** (a manifest's arena or a plan's arena). */
typedef struct sb_mentry {
  const char *path;        /* relative: handbooks/ROLE.pdf */
  const char *kind;        /* handbook | sheet | profile */
  int order;               /* catalogue order, for the index and merges */
  const char *group;       /* index section id: role id, or "profiles" */
  const char *group_name;  /* its heading: role name, or "Skill profiles" */
  const char *section;     /* sub-heading (profiles: the domain), or NULL */
  const char *label;       /* link text */
  const char *role, *from, *to, *skill; /* ids, NULL when not used */
  const char *inputs;      /* hex SHA-256 of every input that shaped it */
  long long bytes;
  int pages;
  const char *sha256;      /* hex SHA-256 of the file */
  sb_fstamp stamp;         /* the file's inode and times */
  const char *thumb;       /* relative path of the PNG, or NULL */
  long long thumb_bytes;
  const char *thumb_sha256;
  sb_fstamp thumb_stamp;
  int thumb_w, thumb_h;    /* its size in pixels (0 when unknown) */
  /* A private output (a review pack or book: its path holds a name). The
  ** manifest records it by key, SHA-256 of "skillbook-private/1" and the
  ** path, and keydir, the folder it is in; reading finds the path again
  ** by listing keydir. Logs name it by logname, never by path. */
  int priv;
  const char *keydir;      /* "" or "reviews" or "reviews/by-reviewer" */
  const char *logname;     /* "row 12", "id E1", "reviews/#1a2b3c4d" */
} sb_mentry;

/* What stat(2) said of an input (a file or folder outside DIR, links
** followed) when a clean run recorded it. */
typedef struct sb_istamp {
  long long dev, ino, size;
  long long mtime_ns, ctime_ns;
} sb_istamp;

/* A diagnostic of a catalogue's loading, as "rerun" records it. */
typedef struct sb_mdiag {
  int group;               /* 0 the catalogue, 1 the --since one */
  sb_severity sev;
  const char *file;        /* or NULL */
  long line, col;
  const char *msg;
} sb_mdiag;

/* The manifest's "rerun" member (fast.c): how the run that wrote it was
** asked, what it read, what loading its catalogues said, and the stamp of
** index.html. */
typedef struct sb_mrerun {
  const char *asked;       /* hex SHA-256 of the request */
  int documents;           /* entries in "documents" */
  long long index_bytes;   /* index.html, or -1 when none was written */
  sb_fstamp index_stamp;
  const char **path;       /* inputs[0..n) */
  sb_istamp *st;
  int n;
  sb_mdiag *diag;          /* [0..ndiag), in the order printed */
  int ndiag;
} sb_mrerun;

typedef struct sb_manifest {
  sb_arena *arena;         /* every string */
  sb_mentry *docs;
  int n;
  size_t cap;
  const char **removed;    /* files still to delete (a killed clean-up) */
  const char **removed_keydir; /* per removed file: its keydir when it is
                           ** private, else NULL */
  int nremoved;
  size_t capremoved;
  const char *shard;       /* "K/N", or NULL */
  const char *title;       /* the catalogue's title, or NULL */
  const char *lang;        /* the labels' language (BCP 47), or NULL */
  const sb_mentry **by_path; /* sorted index, built by sb_manifest_index */
  sb_mrerun *rerun;        /* in the arena; NULL when absent */
  int ndocs_read;          /* entries "documents" had when read (private
                           ** ones whose file is gone are not in docs) */
} sb_manifest;

void sb_manifest_init(sb_manifest *m);
void sb_manifest_free(sb_manifest *m);
/** A copy of s in the manifest's arena (NULL stays NULL). */
const char *sb_manifest_str(sb_manifest *m, const char *s);
/** Appends a copy of *e (strings copied into m's arena). NULL, and nothing
** added, when m already holds INT_MAX entries (a manifest of a plan under
** the documents limit, or one read under the file limit, never does). */
sb_mentry *sb_manifest_add(sb_manifest *m, const sb_mentry *e);
/** keydir: NULL for a public file, else the folder of a private one (it
** is then recorded by key, as private entries are). */
void sb_manifest_add_removed(sb_manifest *m, const char *path,
                             const char *keydir);
/** The key of a private output: hex SHA-256 of "skillbook-private/1" and
** rel. */
void sb_manifest_key(const char *rel, char hex[65]);
/** Builds the path index; call after the last add, before find. */
void sb_manifest_index(sb_manifest *m);
const sb_mentry *sb_manifest_find(const sb_manifest *m, const char *path);
/** Reads DIR/manifest.json. A missing file is an empty manifest (*found 0).
** A malformed one is SB_E_IO with a message. Private entries (by key) get
** their path back from a listing of their folder below DIR; those whose
** file is gone are left out. */
sb_status sb_manifest_read(sb_ctx *ctx, const char *dir, sb_manifest *m,
                           int *found);
/** The JSON text of m, deterministic (no time, no host). */
void sb_manifest_format(const sb_manifest *m, sb_buf *out);

/* ==== The log ==== */

typedef struct sb_batch_log {
  FILE *f;
  int json;
  int progress;           /* draw a bar (terminal) */
  int total, done;        /* for the bar */
  int bar_drawn;
  const char *cmd;        /* "batch" (NULL) or "reviews": the lines' prefix */
  int nmsgs;              /* sb_batch_log_msg lines (notes, warnings...) */
} sb_batch_log;

/** One line about one output: status is "written", "failed", "deleted",
** "moved", "unchanged". e may be NULL for "deleted" (then path is used). */
void sb_batch_log_doc(sb_batch_log *lg, const char *status,
                      const sb_mentry *e, const char *path, int ms,
                      const char *msg);
/** A free message ("note", "warning", "error"). */
void sb_batch_log_msg(sb_batch_log *lg, const char *level, const char *fmt,
                      ...) __attribute__((format(printf, 3, 4)));
void sb_batch_log_summary(sb_batch_log *lg, const sb_batch_stats *st,
                          double secs, int jobs);
void sb_batch_log_bar(sb_batch_log *lg);
void sb_batch_log_bar_clear(sb_batch_log *lg);

/* ==== Paths and files (util.c) ==== */

/** dir + "/" + rel, heap (free). */
char *sb_batch_join(const char *dir, const char *rel);
/** 1 when rel is a relative path the batch may write or delete: no leading
** '/', no empty, "." or ".." component, no component starting with '.',
** and not one of the batch's own files. */
int sb_batch_rel_ok(const char *rel);
/** Hex SHA-256 of a file's bytes; 0 on success, -1 if it cannot be read.
** (For files outside the output folder: the fonts.) */
int sb_batch_file_sha(const char *path, char hex[65], long long *bytes);

/* Files inside an output folder DIR are reached from DIR one component at
** a time with O_NOFOLLOW (openat): DIR itself is opened as given (a link
** the user named is followed), but no symbolic link below it ever is.
** docs/batch.md, "Symbolic links". */

/** 1 when the regular file at dir/rel has exactly bytes bytes and the
** SHA-256 sha (hex). sha NULL checks the size only. */
int sb_batch_file_matches(const char *dir, const char *rel, long long bytes,
                          const char *sha);
/** The stamp of the regular file at dir/rel; 0, or -1 (stamp all 0) when
** it is not a regular file or cannot be reached without following a link. */
int sb_batch_file_stamp(const char *dir, const char *rel, sb_fstamp *out);
/** 1 when the regular file at dir/rel still has bytes bytes and SHA-256 sha
** (hex). When known (the stamp the manifest recorded, may be NULL) is
** set and equal to the file's stamp, the size alone is checked and the
** file is not read; otherwise it is hashed. *now (may be NULL) gets the
** file's stamp (taken before reading it), to record in the new manifest.
** A change that keeps size, inode, mtime and ctime (a write within the
** file system's timestamp tick after ours) is not seen. */
int sb_batch_file_check(const char *dir, const char *rel, long long bytes,
                        const char *sha, const sb_fstamp *known,
                        sb_fstamp *now);
/** Reads the regular file dir/rel (at most max bytes), NUL-terminated,
** owned by the caller. SB_E_IO with a message otherwise (errno ENOENT when
** it is missing, ELOOP when it or a folder on the way is a link). */
sb_status sb_batch_read(sb_ctx *ctx, const char *dir, const char *rel,
                        size_t max, char **out, size_t *outlen);
/** Writes dir/rel: missing folders created, a temporary file
** ".sbtmp-NAME-XXXXXX" created O_EXCL beside it, fsynced, renamed over
** whatever is at rel (a regular file, or a symbolic link: the link is
** replaced, its target untouched). A folder on the way that is a link is
** an error (the document is not written). *stamp (may be NULL) gets the
** new file's stamp. */
sb_status sb_batch_write(sb_ctx *ctx, const char *dir, const char *rel,
                         const void *data, size_t n, sb_fstamp *stamp);
/** Deletes dir/rel when it is a regular file: 0 deleted, 1 already gone,
** 2 not a regular file (left alone), -1 error (errno). */
int sb_batch_unlink(const char *dir, const char *rel);
/** sb_batch_write with modes: fmode for the file (0: as sb_batch_write:
** the replaced file's, else the umask's), dmode for folders it creates
** (0: 0777 less the umask; else exactly dmode). sync 0: no fsync of the
** file before the rename; the caller then calls sb_batch_syncfs before it
** commits a manifest that lists the file. */
sb_status sb_batch_write_mode(sb_ctx *ctx, const char *dir, const char *rel,
                              const void *data, size_t n, sb_fstamp *stamp,
                              unsigned fmode, unsigned dmode, int sync);
/** syncfs(2) of the file system holding dir: 0, or -1 (errno). */
int sb_batch_syncfs(const char *dir);
/** Calls fn(arg, name) for each regular file directly in dir/rel (rel ""
** is dir itself), reached without following a link. 0, or -1 (errno). */
int sb_batch_list_files(const char *dir, const char *rel,
                        void (*fn)(void *arg, const char *name), void *arg);
/** Removes the empty folder dir/rel; 0, or -1 (errno). */
int sb_batch_rmdir(const char *dir, const char *rel);
/** Renames sdir/srel to ddir/drel (folders of drel created), neither
** reached through a link: 0, 1 when they are on different file systems
** (EXDEV: copy instead), -1 with a message in ctx. */
int sb_batch_rename(sb_ctx *ctx, const char *sdir, const char *srel,
                    const char *ddir, const char *drel);
/** The same, folders it creates getting exactly dmode (0: as above). */
int sb_batch_rename_mode(sb_ctx *ctx, const char *sdir, const char *srel,
                         const char *ddir, const char *drel, unsigned dmode);
/** The mode of a private file's folders: fmode with x wherever r is set
** (0600 -> 0700, 0640 -> 0750). */
unsigned sb_batch_dir_mode(unsigned fmode);
/** Milliseconds on the monotonic clock. */
double sb_batch_now_ms(void);

/* ==== Lock and temporary files (lock.c) ==== */

/** Creates dir when missing, takes an exclusive flock on dir/.skillbook.lock
** without waiting and writes our pid and start time into it. SB_E_LOCKED
** (naming the holder) when another process holds it. *fd is the lock;
** it is O_CLOEXEC, and forked children must close it. */
sb_status sb_batch_lock(sb_ctx *ctx, const char *dir, int *fd);
void sb_batch_unlock(int fd);
/** Removes every ".sbtmp-*" file below dir (never following symlinks).
** Returns how many were removed. */
int sb_batch_sweep(const char *dir);

/* ==== Commit (manifest.c) ==== */

/** Writes index.html (when index is set) and then dir/manifest.json, the
** commit point; then, when del is set, deletes the files prev lists (its
** outputs and its pending removals) that newm does not, logging each and
** counting them in st->deleted. newm->removed is filled with what is to
** be deleted before the manifest is written, so that a run killed during
** the clean-up finishes it next time. */
sb_status sb_batch_commit(sb_ctx *ctx, const char *dir, sb_manifest *newm,
                          const sb_manifest *prev, int index, int del,
                          sb_batch_log *lg, sb_batch_stats *st);

/* ==== The unchanged rerun (fast.c) ==== */

/** stat(2) of path (links followed) into *out; 0, or -1 (all 0). */
int sb_batch_istamp(const char *path, sb_istamp *out);
/** Sets newm->rerun from r (and r's inputs' stamps now), when every input
** can be trusted by its stamp: it exists, and its ctime is older than the
** run's start by more than the file system's timestamp tick (a change
** after the start could otherwise keep every stamp). Leaves it NULL
** otherwise. Call after the documents are added. */
void sb_batch_rerun_record(sb_manifest *newm, const sb_batch_rerun *r);
/** The JSON of m->rerun (",\n  \"rerun\": {...}"), nothing when NULL. */
void sb_batch_rerun_format(const sb_manifest *m, sb_buf *b);

/* ==== index.html (index.c) ==== */

/** The HTML text of the index of m (entries in m->docs order). */
void sb_batch_format_index(const sb_manifest *m, sb_buf *out);

/* ==== Documents (plan.c) ==== */

typedef enum {
  SB_BDOC_HANDBOOK, SB_BDOC_SHEET, SB_BDOC_PROFILE,
  SB_BDOC_PACK,         /* a person's review pack: person */
  SB_BDOC_REVIEW_BOOK,  /* a book of packs: members[0..nmembers) */
  SB_BDOC_CHANGES       /* batch --since: changes.pdf */
} sb_bdoc_kind;

typedef enum {
  SB_BST_TODO,       /* to render */
  SB_BST_UNCHANGED,  /* up to date, not rendered */
  SB_BST_WRITTEN,
  SB_BST_FAILED
} sb_bdoc_state;

typedef struct sb_bdoc {
  sb_bdoc_kind kind;
  int role, from, to, skill;  /* model indexes, -1 when not used */
  int person;                 /* pack: index into the people, else -1 */
  const int *members;         /* book: indexes into the people */
  int nmembers;
  const char *title;          /* book: its title (the reviewer's name) */
  sb_mentry e;                /* what the manifest will say */
  sb_bdoc_state state;
  int ms;
  char msg[320];              /* why it failed */
} sb_bdoc;

typedef struct sb_plan {
  sb_arena *arena;
  sb_bdoc *docs;
  int n;
} sb_plan;

/** Lists every document of cat (in the shard, when n > 0), with its output
** path and its input hash (env = the hash of style, fonts, labels and
** everything else that is the same for all documents). cat's content
** hashes must have been computed (sb_cat_compute_hashes): SB_E_INTERNAL
** otherwise. With opts->since (an older version, hashed too), changes.pdf
** is planned first and the handbooks' input hashes cover it as well.
** With opts->people, also (or, with people_only, only) a pack per person
** and, when not sharding, a book per reviewer (and with book_all the whole
** cycle's): their inputs are the review's fields, what the sheet shows, and
** for a book its title and each pack's inputs. */
sb_status sb_batch_plan(sb_ctx *ctx, const sb_catalog *cat,
                        const uint8_t env[32], const sb_labels *lb,
                        int with_thumbs, int with_book, int shard_k,
                        int shard_n, const sb_batch_opts *opts,
                        sb_plan *plan);
void sb_batch_plan_free(sb_plan *plan);

/* ==== Rendering (render.c: the adapter to the document pipeline) ==== */

typedef struct sb_batch_render sb_batch_render;

/** Loads what every document shares (style, fonts, labels). SB_E_STYLE or
** SB_E_FONT with a message when one is invalid. */
sb_status sb_batch_render_open(sb_ctx *ctx, const sb_catalog *cat,
                               const char *style, const char *lang,
                               int strict, const char *datadir,
                               sb_batch_render **out);
void sb_batch_render_drop(sb_batch_render *r);
/** The hash of everything shared that shapes an output: program version,
** style (name and content), font file contents, labels and language,
** SOURCE_DATE_EPOCH, thumbnail settings. */
void sb_batch_render_env_hash(const sb_batch_render *r, uint8_t out[32]);
/** The labels of r's language (never NULL), and that language as a BCP 47
** tag (--lang, else the catalogue's, else the labels'). */
const sb_labels *sb_batch_render_labels(const sb_batch_render *r);
const char *sb_batch_render_lang(const sb_batch_render *r);
/** Whether the PDFs r renders are untagged and not archival (--no-tags,
** sb_pdf_opts.no_tags); part of the environment hash, so set it before
** sb_batch_render_env_hash. */
void sb_batch_render_no_tags(sb_batch_render *r, int no_tags);
/** Whether the pdf device of every document r renders from now on
** deflates its pages in a helper thread (device.h, sb_pdf_threads); set
** before the workers fork, off when they fill the processors. */
void sb_batch_render_pdf_threads(sb_batch_render *r, int on);
/** The older version handbooks (appendix) and changes.pdf compare with
** (batch --since); NULL = none. Borrowed. */
void sb_batch_render_since(sb_batch_render *r, const sb_catalog *since);
/** Adds to rr the files r read or looked for: the style file and its
** folder, its logo, the three font files and, for a style file, the data
** folder's fonts/ (where its fonts are looked for next). */
void sb_batch_render_inputs(const sb_batch_render *r, sb_batch_rerun *rr);
/** Renders document d as PDF into pdf (appended), its page count into
** *pages, and, when thumb is non-NULL, a PNG of its first page into thumb.
** On failure the status and message are in ctx. */
sb_status sb_batch_render_doc(sb_ctx *ctx, sb_batch_render *r,
                              const sb_bdoc *d,
                              const sb_batch_person *people, sb_buf *pdf,
                              int *pages, sb_buf *thumb);

/* ==== The worker pool (pool.c) ==== */

/** Catches SIGTERM, SIGINT and SIGHUP (keeping the first) and ignores
** SIGPIPE until sb_batch_signals_off. Signal handling is per process: one
** batch at a time. */
void sb_batch_signals_on(void);
void sb_batch_signals_off(void);
/** The first signal caught since sb_batch_signals_on, 0 when none. */
int sb_batch_signal_caught(void);
/** "SIGTERM", "SIGINT", "SIGHUP" or "a signal". */
const char *sb_batch_signal_name(int sig);
/** Renders the documents todo[0..ntodo) of plan on nworkers forked
** workers (each closes lockfd), setting each document's state, logging
** it into lg and counting it into S. A caught signal kills the workers
** and returns; the caller cleans up. Files are written without an fsync
** each; one syncfs of opts->outdir's file system follows the last (SB_E_IO
** when it fails). Returns the first failure that is not one document's. */
sb_status sb_batch_work(sb_ctx *ctx, const sb_batch_opts *opts,
                        sb_plan *plan, sb_batch_render *render, int lockfd,
                        int nworkers, const int *todo, int ntodo,
                        sb_batch_log *lg, sb_batch_stats *S);

#endif
