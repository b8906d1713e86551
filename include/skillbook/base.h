/*
** skillbook/base.h -- status codes, context, diagnostics, arena, buffers, hashing.
**
** Everything here is plain C with no third-party type. Every other module
** builds on it. Errors: functions return sb_status; the first error is kept
** in the context (sb_fail), input problems become sb_diag records.
*/
#ifndef SKILLBOOK_BASE_H
#define SKILLBOOK_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* SB_VERSION ("MAJOR.MINOR.PATCH") is written once, as the VERSION of
** project() in CMakeLists.txt, which passes it to everything that links
** skillbook_core. */
#ifndef SB_VERSION
#error "SB_VERSION comes from the build (CMakeLists.txt, project VERSION)"
#endif

/* ==== Invariants ==== */

/* SB_ASSERT(cond) states an invariant of the code, never a check of input
** (input problems are diagnostics and sb_fail). Built with SB_DEBUG (the
** debug and asan presets), a false cond prints "file:line: SB_ASSERT(cond)
** failed" and aborts, so a test or a sanitizer run stops at the first
** broken invariant. Otherwise it is compiled out: cond is type-checked but
** not evaluated, so it must have no side effects. */
#ifdef SB_DEBUG
#include <stdio.h>
#include <stdlib.h>
#define SB_ASSERT(cond)                                                    \
  ((cond) ? (void)0                                                        \
          : (fprintf(stderr, "%s:%d: SB_ASSERT(%s) failed\n", __FILE__,    \
                     __LINE__, #cond),                                     \
             abort()))
#else
#define SB_ASSERT(cond) ((void)sizeof(!(cond)))
#endif

/* ==== Status codes (one table: name, message, exit status) ==== */

/* The program's exit statuses (PRODUCT.md, README "Exit status"); each
** status below maps to one, and the commands return them. */
enum {
  SB_EXIT_OK = 0,
  SB_EXIT_RENDER = 1,   /* a document could not be rendered or written */
  SB_EXIT_USAGE = 2,    /* bad arguments, unknown id, missing path */
  SB_EXIT_CATALOG = 3,  /* catalogue unreadable, invalid or over a limit */
  SB_EXIT_STYLE = 4,    /* style, font or label file invalid */
  SB_EXIT_LOCKED = 75   /* another batch holds the output folder's lock */
};

#define SB_STATUS_MAP(X)                                                   \
  X(OK, "success", SB_EXIT_OK)                                            \
  X(E_USAGE, "usage error", SB_EXIT_USAGE)                                \
  X(E_IO, "input/output error", SB_EXIT_RENDER)                           \
  X(E_XML, "malformed XML", SB_EXIT_CATALOG)                              \
  X(E_SCHEMA, "invalid catalogue", SB_EXIT_CATALOG)                       \
  X(E_LIMIT, "over a size limit", SB_EXIT_CATALOG)                        \
  X(E_FONT, "font error", SB_EXIT_STYLE)                                  \
  X(E_STYLE, "invalid style or labels", SB_EXIT_STYLE)                    \
  X(E_PDF, "PDF error", SB_EXIT_RENDER)                                   \
  X(E_CHART, "chart error", SB_EXIT_RENDER)                               \
  X(E_RENDER, "document could not be rendered", SB_EXIT_RENDER)           \
  X(E_LOCKED, "output folder is locked", SB_EXIT_LOCKED)                  \
  X(E_INTERNAL, "internal error", SB_EXIT_RENDER)

typedef enum {
#define SB_X_ENUM(name, msg, code) SB_##name,
  SB_STATUS_MAP(SB_X_ENUM)
#undef SB_X_ENUM
  SB_STATUS_COUNT
} sb_status;

/** "SB_E_IO" and so on. This function can't fail. */
const char *sb_status_name(sb_status st);
/** A short English phrase for the status. This function can't fail. */
const char *sb_status_str(sb_status st);
/** The process exit status PRODUCT.md assigns to a status. */
int sb_status_exit(sb_status st);

/* ==== Limits: caps on input-driven sizes (SB_E_LIMIT when exceeded) ==== */

typedef struct sb_limits {
  size_t file_bytes;   /* one catalogue or style file */
  size_t files;        /* files in a catalogue folder */
  size_t text_bytes;   /* one text node (paragraph, name) */
  size_t nodes;        /* elements in one catalogue (all files) */
  size_t skills;       /* skills in one catalogue */
  size_t pages;        /* pages in one document */
  size_t arena_bytes;  /* memory of one document arena */
  size_t documents;    /* documents of one batch or --all run */
} sb_limits;

/** Fills *lim with the defaults (generous: a 10,000-skill catalogue fits). */
void sb_limits_default(sb_limits *lim);
/** Sets one limit from "NAME=VALUE" (names as the struct fields, with '-'
** or '_'). Returns SB_E_USAGE with a message in ctx for a bad spec. */
struct sb_ctx;
sb_status sb_limits_set(struct sb_ctx *ctx, sb_limits *lim, const char *spec);

/* ==== Diagnostics ==== */

typedef enum { SB_SEV_ERROR, SB_SEV_WARNING, SB_SEV_NOTE } sb_severity;

typedef struct sb_diag {
  sb_severity sev;
  sb_status code;   /* what kind of problem (SB_E_SCHEMA, SB_E_FONT, ...) */
  char *file;       /* may be NULL */
  long line;        /* 0 when unknown */
  long col;         /* 0 when unknown */
  char *msg;
} sb_diag;

/* ==== Context: first error, diagnostics, limits ==== */

typedef struct sb_ctx {
  sb_status status;   /* first error recorded by sb_fail, SB_OK if none */
  char errmsg[1024];  /* its message */
  sb_diag *diags;     /* heap array, owned */
  size_t ndiags, capdiags;
  size_t nerrors, nwarnings;
  sb_limits limits;
  int quiet;          /* do not echo warnings as they come (tests) */
} sb_ctx;

/** Initialises a context with default limits. This function can't fail. */
void sb_ctx_init(sb_ctx *ctx);
/** Frees the diagnostics. The context may be initialised again. */
void sb_ctx_free(sb_ctx *ctx);
/** Records an error (the first one wins; later ones become notes) and
** returns st, so callers write `return sb_fail(ctx, SB_E_IO, ...)`. This is
** the single place to put a breakpoint on any failure. */
sb_status sb_fail(sb_ctx *ctx, sb_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/** Records SB_E_LIMIT for an exhausted document arena, naming the
** arena-bytes limit and how to raise it; returns SB_E_LIMIT. */
sb_status sb_fail_arena(sb_ctx *ctx);
/** Clears the recorded error (used by the batch between documents). */
void sb_ctx_clear_error(sb_ctx *ctx);
/** Adds a diagnostic about input. file may be NULL; line/col 0 = unknown. */
void sb_diag_add(sb_ctx *ctx, sb_severity sev, sb_status code, const char *file,
                 long line, long col, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
void sb_diag_addv(sb_ctx *ctx, sb_severity sev, sb_status code, const char *file,
                  long line, long col, const char *fmt, va_list ap)
    __attribute__((format(printf, 7, 0)));
/** Shorthand for a warning. Never changes the status. */
void sb_warn(sb_ctx *ctx, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/** Sorts diagnostics by file, line, column (stable), for printing. */
void sb_diag_sort(sb_ctx *ctx);

/* ==== Memory ==== */

/** malloc/realloc/calloc that never return NULL: on failure they run the
** out-of-memory exit (remove the registered temporary file, print one line
** naming the size, exit 1). */
void *sb_xmalloc(size_t n);
void *sb_xcalloc(size_t n, size_t size);
void *sb_xrealloc(void *p, size_t n);
char *sb_xstrdup(const char *s);
/** Registers the path of the temporary file being written (NULL to clear);
** the out-of-memory exit unlinks it. One at a time per process. */
void sb_oom_register_temp(const char *path);
/** Test hook: make the Nth allocation from now on fail (0 = never). */
void sb_alloc_fail_after(unsigned long n);
/** Test hook: how many sb_x* allocations were made so far. */
unsigned long sb_alloc_count(void);

/* Fault injection for the test build of the program only (skillbook-test,
** built with SB_TEST_HOOKS by CMakeLists.txt and used by the test suite):
** its main() fills this from SKILLBOOK_CRASH_DOC, SKILLBOOK_FAIL_DOC and
** SKILLBOOK_BATCH_DELAY_MS. The program users install never sets it, so no
** environment variable can make it crash or fail on purpose. */
typedef struct sb_test_hooks {
  const char *crash_doc; /* the batch worker abort()s at this output path */
  const char *fail_doc;  /* this output fails with an injected error */
  long delay_ms;         /* a batch worker sleeps this long per document */
} sb_test_hooks;
/** NULL except in the test build. */
extern const sb_test_hooks *sb_hooks;

/* A chunked bump allocator. Everything allocated dies with sb_drop_arena. */
typedef struct sb_arena sb_arena;

/** New arena; budget 0 = unlimited, else total bytes it may hand out. */
sb_arena *sb_new_arena(size_t budget);
void sb_drop_arena(sb_arena *a);
/** Frees everything but keeps the first chunk for reuse. */
void sb_arena_reset(sb_arena *a);
/** Aligned (16) allocation; NULL only when over the arena's budget. */
void *sb_arena_alloc(sb_arena *a, size_t n);
void *sb_arena_calloc(sb_arena *a, size_t n);
char *sb_arena_strndup(sb_arena *a, const char *s, size_t n);
char *sb_arena_strdup(sb_arena *a, const char *s);
char *sb_arena_printf(sb_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
size_t sb_arena_used(const sb_arena *a);
/** Counts n bytes its user holds outside the arena (malloc'd, freed by a
** hook) against the arena's budget, as if allocated from it: returns 1,
** or 0 with nothing counted when that would go over the budget.
** @test tests/unit/test_base.c */
int sb_arena_charge(sb_arena *a, size_t n);
/** Gives back n bytes sb_arena_charge counted. This function can't fail. */
void sb_arena_refund(sb_arena *a, size_t n);
/** Calls fn(arg) when the arena is dropped or reset, before its chunks are
** freed (the newest registered first), once: for memory a user of the
** arena keeps outside it and frees with it (the display list's op arrays).
** @test tests/unit/test_base.c */
void sb_arena_on_drop(sb_arena *a, void (*fn)(void *), void *arg);

/* ==== Growing arrays (base/grow.c) ==== */

/** The capacity, in elements of elem bytes, for an array of cap elements
** that must hold need: cap (or first, when cap is 0) doubled until it
** does, but never over max elements nor over what a size_t counts in
** bytes. Returns 0 with *out set, or -1 when need is over max or need
** elements would not fit a size_t. This function can't fail otherwise.
** @test tests/unit/test_base.c */
int sb_grow_cap(size_t cap, size_t need, size_t elem, size_t first,
                size_t max, size_t *out);
/** Makes room for element n of the heap array whose address is pp (a T**,
** *cap elements of elem bytes allocated), growing it by sb_grow_cap.
** SB_E_LIMIT when n + 1 is over max or the size would overflow; nothing
** changes then, and no message is set: the caller says what was too many.
** Memory runs out as with sb_xrealloc. @test tests/unit/test_base.c */
sb_status sb_grow_array(void *pp, size_t *cap, size_t n, size_t elem,
                        size_t first, size_t max);
/** SB_GROW(arr, n, cap, first, max): room for arr[n], arr a T* with cap a
** size_t; first is the capacity of the first allocation. */
#define SB_GROW(arr, n, cap, first, max)                                   \
  sb_grow_array(&(arr), &(cap), (size_t)(n), sizeof *(arr), (first), (max))

/* A growable byte buffer (heap). Always NUL-terminated. Its growth is
** checked like SB_GROW's: a size that would wrap is out of memory. */
typedef struct sb_buf {
  char *p;
  size_t n, cap;
} sb_buf;

void sb_buf_init(sb_buf *b);
void sb_buf_free(sb_buf *b);
void sb_buf_add(sb_buf *b, const void *p, size_t n);
void sb_buf_adds(sb_buf *b, const char *s);
void sb_buf_addc(sb_buf *b, char c);
void sb_buf_printf(sb_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** Appends s as the inside of a JSON string (no quotes). */
void sb_buf_json_str(sb_buf *b, const char *s);

/* ==== Hashing ==== */

/* SHA-256 (src/base/sha256.c: the processor's SHA extensions, else
** libcrypto opened on the first hash, else portable C), whose state lives
** in this opaque, aligned storage: no allocation, nothing to free. */
typedef struct sb_sha256 {
  union {
    uint64_t align;
    unsigned char bytes[128];
  } state;
} sb_sha256;

void sb_sha256_init(sb_sha256 *s);
void sb_sha256_update(sb_sha256 *s, const void *p, size_t n);
void sb_sha256_final(sb_sha256 *s, uint8_t out[32]);
/** One-shot; hex must hold 65 bytes. */
void sb_sha256_hex(const void *p, size_t n, char hex[65]);
void sb_hex(const uint8_t *p, size_t n, char *out);

/* FNV-1a, 64 bits (base/hash.c): not for anything an attacker picks to
** collide on purpose beyond costing a probe. */
#define SB_FNV1A_BASIS 14695981039346656037ULL
#define SB_FNV1A_PRIME 1099511628211ULL
/** Hashes n bytes at p into h and returns the new value: start with
** SB_FNV1A_BASIS and chain calls to hash several fields. This function
** can't fail. @test tests/unit/test_base.c */
uint64_t sb_hash_fnv1a(const void *p, size_t n, uint64_t h);

/* ==== Processors ==== */

/** The processors this process may use: the CPUs of its affinity mask,
** capped by a cgroup v2 CPU quota (/sys/fs/cgroup/cpu.max). At least 1.
** (base/cpu.c) */
int sb_cpu_count(void);

/* ==== The process heap ==== */

/** Lets the heap grow in large steps on transparent huge pages (fewer page
** faults on fresh memory); called once, first thing in main. Best effort.
** SKILLBOOK_NO_HEAP_TUNE=1 turns it off (for comparisons). (base/heap.c) */
void sb_heap_tune(void);


/* ==== UTF-8 ==== */

/** Decodes one code point at s (n bytes left). Stores its length in *len.
** Returns -1 for an invalid sequence (then *len is 1): a stray or missing
** continuation byte, an overlong form, a surrogate, a value past U+10FFFF,
** or a sequence cut off by n. The one decoder of the program: the XML
** reader's byte scan uses it too. @test tests/unit/test_base.c */
int32_t sb_utf8_decode(const char *s, size_t n, int *len);
/** Encodes cp into out (4 bytes room); returns the length. */
int sb_utf8_encode(int32_t cp, char *out);

/* ==== Files ==== */

/** Reads a whole file, capped at max bytes (SB_E_LIMIT beyond, naming the
** limit). The buffer is NUL-terminated and owned by the caller (free()). */
sb_status sb_read_file(sb_ctx *ctx, const char *path, size_t max, char **out,
                       size_t *outlen);
/** A regular file of at most max bytes read at once into a block of
** exactly its size plus a NUL (sb_read_file grows its buffer by doubling:
** copies and page faults on the way), or NULL when anything is unusual
** (not a regular file, empty, over max, a read error, the size changed
** while reading): the caller then reads it with sb_read_file, which says
** what is wrong. Touches no context. */
char *sb_read_regular(const char *path, size_t max, size_t *len);
/** Writes all n bytes to fd, again after EINTR; 0, or -1 with errno set
** (EIO when a write makes no progress). Touches no context: safe in a
** forked worker. */
int sb_write_full(int fd, const void *data, size_t n);
/** The mode a new file gets: 0666 less the umask. */
unsigned sb_new_file_mode(void);
/** Writes all of data to fd (a new temporary file), gives it mode, flushes
** it to disk and closes fd (in every case); name is for messages. The
** caller then renames the file into place, or removes it on failure. */
sb_status sb_write_temp_fd(sb_ctx *ctx, int fd, const char *name,
                           const void *data, size_t n, unsigned mode);
/** Reads the rest of the open fd (closed in every case) the same way; name
** is for messages. Over max bytes: SB_E_LIMIT naming "--limit LIMIT=N"
** when limit is not NULL, else SB_E_IO ("NAME: larger than MAX bytes"). */
sb_status sb_read_fd(sb_ctx *ctx, int fd, const char *name, size_t max,
                     const char *limit, char **out, size_t *outlen);

/** Writes bytes to path as DESIGN.md says: "-" is standard output; a
** device, FIFO or other non-regular file is written in place and never
** replaced; a regular file (or a new path) goes through a temporary file in
** the same folder (after following a symlink), fsync, checked close, the
** mode a new file would get (or the old file's mode), and rename. On failure
** SB_E_IO with a message, and the destination is exactly as it was.
** Missing parent folders are created when mkdirs is set. */
sb_status sb_write_output(sb_ctx *ctx, const char *path, const void *data,
                          size_t n, int mkdirs);
/** As sb_write_output (no folders made), for outputs that hold personal
** data (skillbook collect): a regular file written, new or replaced, gets
** mode 0600 whatever the umask or the old file's mode.
** @test tests/cli/collect.sh */
sb_status sb_write_private(sb_ctx *ctx, const char *path, const void *data,
                           size_t n);
/** Creates every missing folder of the parent of path (mkdir -p dirname). */
sb_status sb_mkdirs_for(sb_ctx *ctx, const char *path);

#endif
