/*
** skillbook/catalog.h -- the catalogue model: load, check, query.
**
** A catalogue (one file or a folder of *.xml, FORMAT.md) is read through the
** xml reader, validated against the compiled-in schema, checked (references,
** duplicates, merges), and copied into plain C structs in one arena. No
** libxml2 type leaves the module. The model is read-only after loading, so a
** batch can share it across forked workers.
*/
#ifndef SKILLBOOK_CATALOG_H
#define SKILLBOOK_CATALOG_H

#include "skillbook/base.h"

typedef struct sb_level {
  const char *id, *name;
  int index;            /* growth order, 0 = most junior */
  const char *file;     /* where it was declared */
  long line;
  uint8_t hash[32];     /* content hash: id, name, index (zero until
                           sb_cat_compute_hashes) */
} sb_level;

typedef struct sb_role {
  const char *id, *name;
  int index;
  const char *file;
  long line;
  uint8_t hash[32];     /* as sb_level's */
} sb_role;

typedef struct sb_domain {
  const char *id, *name;
  int index;
  const char *file;
  long line;
} sb_domain;

typedef struct sb_group {
  const char *id, *name;
  int index;
  int domain;           /* index into cat->domains */
  const char *file;
  long line;
} sb_group;

typedef struct sb_expect {
  int level;            /* index into cat->levels */
  int role;             /* index into cat->roles */
  int mandatory;        /* 1 = mandatory, 0 = optional */
  const char *text;     /* white space collapsed, UTF-8 */
  long line;
} sb_expect;

typedef struct sb_skill {
  const char *id, *name;
  int index;            /* print order */
  int domain, group;    /* indexes */
  const char *summary;  /* NULL when absent; white space collapsed */
  const char **keywords;
  int nkeywords;
  const char *updated;  /* "YYYY-MM-DD" or NULL */
  sb_expect *expects;   /* in document order */
  int nexpects;
  const char *file;
  long line;
  /* indexes into expects ordered by (role, level), each (level, role) once:
     sb_cat_expect's binary search, a role's expects side by side. Memory
     is one int per expectation (not levels x roles per skill, #13). NULL
     in a model built by hand (unit tests): the queries then scan expects. */
  const int *byrole;
  /* unused, never set by the loader: it was the dense levels x roles
     matrix. Unit tests that build a model by hand still assign it; remove
     it once they stop (tests/unit/test_chart.c, test_png.c). */
  int *at;
  uint8_t hash[32];     /* content hash of everything above (not file/line);
                           zero until sb_cat_compute_hashes */
} sb_skill;

typedef struct sb_catalog {
  const char *path;     /* what was given on the command line */
  const char *title, *version, *author, *lang; /* NULL when absent; lang "en" default */
  sb_level *levels;   int nlevels;
  sb_role *roles;     int nroles;
  sb_domain *domains; int ndomains;
  sb_group *groups;   int ngroups;
  sb_skill *skills;   int nskills;
  uint8_t hash[32];   /* hash of the catalogue's document-wide parts (title,
                         version, author, lang) */
  int hashed;         /* 1 once sb_cat_compute_hashes has filled every hash */
  const char *texts_role; /* NULL: every expectation has its text; else the
                         role id sb_load_catalog_texts kept the texts of: the
                         other roles' expectations have text NULL */
  const char *texts_skill; /* the same for a skill id: only its
                         expectations have their text (NULL: every skill's) */
  sb_arena *arena;
} sb_catalog;

/** Figures derived from the model (never typed in the file). */
typedef struct sb_skill_stats {
  int roles;       /* roles that appear in the skill (>= 1 expect) */
  int levels;      /* levels for which the skill has >= 1 expect */
  int mandatory;   /* expects marked mandatory */
  int optional;    /* the others */
} sb_skill_stats;

/** Loads a catalogue from a file or a folder. Every problem found becomes a
** diagnostic in ctx (errors and warnings such as gaps); on any error the
** function returns SB_E_XML, SB_E_SCHEMA, SB_E_LIMIT or SB_E_IO and *out is
** NULL. On success *out is owned by the caller (sb_drop_catalog). */
sb_status sb_load_catalog(sb_ctx *ctx, const char *path, sb_catalog **out);
/** As sb_load_catalog, for a document that prints the expectations of one
** role (a handbook, a sheet within one role) or of one skill (a profile):
** the text of an expectation of another role (when role is not NULL) or
** of another skill (when skill is not NULL) is not kept (its text is
** NULL), which is most of the model's memory. Everything else is as
** sb_load_catalog gives it: the whole file is validated and checked with
** the same diagnostics (a text over the text-bytes limit is reported
** whatever its role), and every expectation is there with its level, role,
** mandatory flag and line. Both NULL keep every text. Such a catalogue
** cannot be hashed (sb_cat_compute_hashes), diffed or exported;
** cat->texts_role and cat->texts_skill say so.
** @test tests/unit/test_catalog.c, tests/cli/diagnostics.sh */
sb_status sb_load_catalog_texts(sb_ctx *ctx, const char *path,
                                const char *role, const char *skill,
                                sb_catalog **out);
/* A catalogue load whose schema validation is still running
** (sb_load_catalog_pending). */
typedef struct sb_cat_pending sb_cat_pending;
/** As sb_load_catalog_texts, but a single file's schema validation, which
** runs on a helper thread beside the walk, may still be running when it
** returns, so that the caller can start its work meanwhile (a document's
** layout; docs/performance.md, "Layout before the validation ends").
** Then *pending is set and *out is the catalogue as the load gives it if
** the schema passes: read it, lay a document out from it, but print and
** write nothing before sb_cat_settle has said whether the load succeeded.
** It is safe to read whatever the validation finds (the walk and the
** checks made it, as they do beside the validation of any file). Until
** then nothing of the load is in ctx: its diagnostics are held back.
** *pending is NULL when the load ended here, exactly as
** sb_load_catalog_texts ends (a folder, a load that fails whatever the
** schema says, a helper that could not start, the test build). The
** validation frees the file's tree as soon as it ends.
** @test tests/cli/load_pending.sh */
sb_status sb_load_catalog_pending(sb_ctx *ctx, const char *path,
                                  const char *role, const char *skill,
                                  sb_catalog **out,          /* OUT */
                                  sb_cat_pending **pending); /* OUT */
/** Waits for p's validation, adds to ctx the diagnostics the load would
** have added at its end, in the same order (the schema's; then the walk's
** and the checks' when it passed, else the failure), and frees p.
** Returns what sb_load_catalog_texts would have returned: SB_OK, or the
** failure (SB_E_SCHEMA...), after which the catalogue must not be used
** (drop it; it may also be dropped before this call). For the same
** messages as a load, ctx holds what the load's ctx held (usually
** nothing). NULL p: SB_OK, nothing added.
** @test tests/cli/load_pending.sh */
sb_status sb_cat_settle(sb_ctx *ctx, sb_cat_pending *p);
/** For a helper thread that uses libxml2 while a catalogue loads (the
** CLI's early style load, cli/early.c): the loader calls gate(), on its
** own thread, before its first call into libxml2 in each file (the parse,
** or the streamed walk), so that the helper's libxml2 work and the load's
** never overlap (libxml2's set-up, and xml/region.c's allocator, which the
** first parse installs, want one thread in libxml2 at a time). gate must
** return once the helper is out of libxml2 for good. NULL (the default):
** no gate. Set it before the helper starts, from the thread that loads:
** setting one also makes libxml2's process-wide set-up there, so that
** libxml2 takes that thread, not the helper, for the main one.
** @test tests/cli/load_pending.sh */
void sb_cat_set_xml_gate(void (*gate)(void));
/** Compiles the catalogue's schema now (it is compiled once per process,
** on first use), so that the first validation does not wait for it: for a
** helper thread that runs before any load uses libxml2 (sb_cat_set_xml_gate).
** A schema that does not compile (it is built in: cannot happen) is left
** to the validation, which reports it. This function can't fail. */
void sb_cat_warm_schema(void);
/** Loads from memory (fuzzing, tests); name is used in diagnostics. */
sb_status sb_load_catalog_mem(sb_ctx *ctx, const char *name, const char *data,
                              size_t len, sb_catalog **out);
void sb_drop_catalog(sb_catalog *cat);
/** What a catalogue file that does not start with '<' looks like: "CSV",
** "JSON", "YAML", "a PDF", ... or NULL when it starts like XML (after a
** byte-order mark and white space) or is empty. The loader names it and
** points to `skillbook import` (catalog/sniff.c). This function can't fail.
** @test tests/cli/import.sh */
const char *sb_guess_format(const char *data, size_t n);

/** Fills the content hashes (SHA-256) of every level, role and skill and of
** the catalogue, and sets cat->hashed. Loading does not compute them (10 %
** of loading a large catalogue): only the batch needs them, to tell what
** changed, and it asks once, in the parent before forking. Calling it again
** does nothing. This function can't fail.
** @test tests/unit/test_catalog.c */
void sb_cat_compute_hashes(sb_catalog *cat);

/** The compiled-in schema text: catalog/catalog-1.xsd without its
** xs:unique constraints, which the loader checks itself (CMakeLists.txt). */
extern const char sb_catalog_xsd[];

/* ==== Queries (borrowed pointers; NULL when not found) ==== */

const sb_level *sb_cat_level_lookup(const sb_catalog *cat, const char *id);
const sb_role *sb_cat_role_lookup(const sb_catalog *cat, const char *id);
const sb_skill *sb_cat_skill_lookup(const sb_catalog *cat, const char *id);
/** The expectation for (skill, level, role), or NULL. O(log n) in the
** skill's expectations (a binary search in sk->byrole).
** @test tests/unit/test_catalog.c */
const sb_expect *sb_cat_expect(const sb_catalog *cat, const sb_skill *sk,
                               int level, int role);
/** 1 when the role has at least one expectation in the skill. O(log n). */
int sb_cat_skill_has_role(const sb_catalog *cat, const sb_skill *sk, int role);
/** Derived figures for one skill, in time proportional to its
** expectations (n log n), whatever the count of levels and roles.
** This function can't fail. */
void sb_cat_skill_stats(const sb_catalog *cat, const sb_skill *sk,
                        sb_skill_stats *st);
/** Figures for one role: skills where it appears, expectations, mandatory. */
typedef struct sb_role_stats {
  int skills, expects, mandatory, optional;
  int levels;  /* levels where the role has >= 1 expectation */
} sb_role_stats;
void sb_cat_role_stats(const sb_catalog *cat, int role, sb_role_stats *st);
/** The role's levels (>= 1 expectation in some skill), in growth order,
** written to out (room for cat->nlevels, also used as scratch); returns
** how many. Time: levels + skills x log + the role's expectations. */
int sb_cat_role_levels(const sb_catalog *cat, int role, int *out);

/** "did you mean" for an unknown id of a kind ("role", "level", "skill"):
** writes up to 3 closest ids, comma-separated, into buf; returns 1 if any. */
int sb_cat_suggest(const sb_catalog *cat, const char *kind, const char *id,
                   char *buf, size_t bufsize);
/** The same over any n names, stride bytes apart, each element starting
** with a const char * (a table of commands too); returns 1 if any. */
int sb_cat_suggest_from(const void *base, int n, size_t stride,
                        const char *id, char *buf, size_t bufsize);

#endif
