/*
** catalog/catalog-imp.h -- what load.c, validate.c and model.c share.
**
** The loader walks each file into growable heap arrays (a "loader"), then
** the checks of validate.c run on the merged arrays, and finally everything
** is copied into the catalogue's arena. No libxml2 type appears here.
*/
#ifndef SB_CATALOG_IMP_H
#define SB_CATALOG_IMP_H

#include "skillbook/catalog.h"

/* An expect as written, before its level and role ids are resolved. */
typedef struct sb_raw_expect {
  const char *level, *role;
  int mandatory;
  const char *text;
  long line;
} sb_raw_expect;

/* The root attributes of one file. */
typedef struct sb_root_info {
  const char *file;
  long line;
  const char *title, *version, *author, *lang;
} sb_root_info;

typedef struct sb_loader {
  sb_ctx *ctx;
  sb_catalog *cat;      /* its arena holds every string */
  const char *file;     /* file being walked (arena copy) */
  sb_status first;      /* first error's kind, SB_OK when none */
  size_t nodes;         /* elements walked, all files */
  int stop;             /* a limit was hit: stop walking */
  int broken;           /* a file failed to read, parse or validate, or a
                           limit was hit: skip the checks after the merge */
  const char *texts_role; /* keep the expectation texts of this role only
                           (sb_load_catalog_texts; walk.c), NULL = all */
  const char *texts_skill; /* ... and of this skill only, NULL = all */

  sb_level *levels;   int nlevels; size_t caplevels;
  sb_role *roles;     int nroles; size_t caproles;
  sb_domain *domains; int ndomains; size_t capdomains;
  sb_group *groups;   int ngroups; size_t capgroups;
  sb_skill *skills;   int nskills; size_t capskills;
  sb_raw_expect **rx; int nrx; size_t caprx; /* per skill, parallel to skills */
  sb_root_info *roots; int nroots; size_t caproots;
  int levels_root, roles_root; /* index into roots of the declaring file, -1 */
  long levels_line, roles_line; /* where <levels> and <roles> are */
  struct keyset *domain_ids, *group_ids; /* load.c: hash sets of the ids
                           seen, for merging repeats; NULL until the first */
  const char *ids[64];  /* walk.c: arena copies of the level and role ids
                           of expects, shared (direct-mapped by hash) */
  int pend_ok;          /* load.c: the validation may be left pending */
  struct sb_cat_pending *pend; /* load.c: the validation held, not joined */
} sb_loader;

/* walk.c and unique.c: one parsed file (an xmlDoc, which stays out of
** this header) */
struct _xmlDoc;
/** Checks the file's keys (levels, roles, domains, groups, skills, the
** expects of a skill) are unique in it, reporting each duplicate; returns
** how many there were. (unique.c) */
int sb_cat_check_unique(sb_loader *L, struct _xmlDoc *doc);
/** Walks the file into the loader's arrays, merging repeated domains and
** groups; problems are diagnostics. */
void sb_cat_walk_doc(sb_loader *L, struct _xmlDoc *doc);
/** The streamed load of one file's len bytes, data (the loader's own copy,
** whose parsed pages are given back as the parse goes; afterwards the
** caller may only free it): parsed, validated and walked one element at a
** time (xml/stream.c), each finished subtree freed once walked, its keys
** checked as sb_cat_check_unique checks them. Returns 1 when the file
** passed and the walk said nothing; 0 as soon as anything was reported or
** went wrong (a parse or schema error or warning, a duplicate key, a walk
** diagnostic, a limit): then what it walked is to be thrown away and the
** file loaded again on the tree path, which reports it. L->file must be
** set; diagnostics may have been added to L->ctx. */
int sb_cat_walk_stream(sb_loader *L, char *data, size_t len);
/** Frees the loader's hash sets of domain and group ids. (unique.c) */
void sb_cat_drop_id_sets(sb_loader *L);

/* unique.c: hash sets of keys (FNV-1a keyed), for the keys of one file and
** for the ids of domains and groups across files. */
enum { SB_KEY_LEVEL, SB_KEY_ROLE, SB_KEY_DOMAIN, SB_KEY_GROUP, SB_KEY_SKILL,
       SB_KEY_EXPECT };
struct keyset;
/** A new, empty set; sb_cat_drop_keyset frees it. */
struct keyset *sb_cat_new_keyset(void);
/** Frees ks (NULL is a no-op). This function can't fail. */
void sb_cat_drop_keyset(struct keyset *ks);
/** Empties ks, keeping its memory. This function can't fail. */
void sb_cat_clear_keyset(struct keyset *ks);
/** The index of the first key equal to (kind, scope, id, id2) in ks (id2
** NULL: not compared), or -1 after adding it as the first, written at
** line. The strings are borrowed: they must live as long as ks is used. */
int sb_cat_keyset_add(struct keyset *ks, int kind, int scope, const char *id,
                      const char *id2, long line);

/** Records an error diagnostic and remembers its kind. */
void sb_cat_error(sb_loader *L, sb_status code, const char *file, long line,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* validate.c: the wording of duplicates, within a file (load.c) and across
** files (validate.c); each is an SB_E_SCHEMA error at file:line naming where
** the first one is. skill may be NULL (an expect in a skill without an id). */
void sb_cat_dup_id(sb_loader *L, const char *kind, const char *id,
                   const char *file, long line, const char *first_file,
                   long first_line);
void sb_cat_dup_expect(sb_loader *L, const char *file, long line,
                       const char *level, const char *role, const char *skill,
                       long first_line);

/* validate.c: checks after the merge (each reports every problem). */
void sb_cat_check_declared(sb_loader *L, const char *path);
void sb_cat_check_roots(sb_loader *L);
void sb_cat_check_dup_skills(sb_loader *L);
void sb_cat_resolve_expects(sb_loader *L);
void sb_cat_warn_gaps(sb_loader *L);

/* model.c */
/** Levenshtein distance between a and b (bytes), capped at cap+1. */
int sb_cat_edit_distance(const char *a, const char *b, int cap);
/** Up to 3 closest of n ids (stride bytes apart, a const char * at the
** start of each element) to id, comma-separated into buf. */
int sb_cat_suggest_from(const void *base, int n, size_t stride,
                        const char *id, char *buf, size_t bufsize);

#endif
