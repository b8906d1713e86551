/*
** import/import-imp.h -- the import's own model, between CSV rows and XML.
**
** csvin.c fills it from the rows (every check that can name a row and a
** column is made there), xmlout.c writes it as catalogue XML with a map
** from each XML line back to the row and column it came from, and loads
** that XML to check the rest. Strings live in the model's arena.
*/
#ifndef SB_IMPORT_IMP_H
#define SB_IMPORT_IMP_H

#include "skillbook/import.h"

/* A string -> int map (open addressing, FNV-1a); keys are borrowed. */
typedef struct imp_index {
  const char **keys;
  int *vals;
  size_t cap, n;
} imp_index;

/** The value stored for key, or -1. */
int imp_index_find(const imp_index *ix, const char *key);
/** Stores key -> val (key must stay valid; a key present is replaced). */
void imp_index_put(imp_index *ix, const char *key, int val);
void imp_index_free(imp_index *ix);

/* Where a value came from: the row's line and the column (1 = A). */
typedef struct imp_at {
  long line;
  int col;
} imp_at;

/* A level, role, domain or group. */
typedef struct imp_item {
  const char *id, *name;  /* id first: sb_cat_suggest_from reads it */
  int parent;             /* a group's domain, else -1 */
  imp_at at;
} imp_item;

typedef struct imp_kind {
  const char *word;       /* "level", "role", "domain", "group", "skill" */
  imp_item *v;
  int n;
  size_t cap;
  imp_index byid, byname;
  int closed;             /* declared by leading rows: no new ones */
} imp_kind;

typedef struct imp_expect {
  int level, role, mandatory;
  const char *text;
  imp_at at;
} imp_expect;

typedef struct imp_skill {
  const char *summary, *updated;
  const char **keywords;
  int nkeywords;
  imp_at summary_at, keywords_at, updated_at;
  imp_expect *ex;
  int nex;
  size_t capex;
} imp_skill;

typedef struct imp_model {
  sb_ctx *ctx;
  const char *path;
  sb_arena *arena;
  const char *title, *version, *author, *lang;
  imp_at title_at, version_at, author_at, lang_at;
  imp_kind levels, roles, domains, groups, skills; /* skills: parent = group */
  imp_skill *sk;          /* one per skills.v[i] */
  imp_index expects;      /* "skill\037level\037role" */
  int errors;
} imp_model;

/** A diagnostic (error) at a row and column of the CSV file; counts it. */
void imp_error(imp_model *m, imp_at at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/** s with runs of space, tab, CR and LF made one space, ends trimmed (the
** catalogue's own rule), in the arena. */
const char *imp_collapse(imp_model *m, const char *s);
/** 1 when id matches [a-z0-9][a-z0-9._-]{0,63}. */
int imp_id_ok(const char *id);
/** An id for name, unique in kind: lower-case ASCII letters and digits,
** Latin letters with accents without them, anything else one '-'; cut to
** 56 bytes; empty -> WORD-XXXXXXXX (FNV-1a of the name); then -2, -3, ...
** until unused. In the arena. */
const char *imp_derive_id(imp_model *m, imp_kind *k, const char *name);
/** Adds an item (id and name already checked); returns its index. */
int imp_kind_add(imp_model *m, imp_kind *k, const char *id, const char *name,
                 int parent, imp_at at);

/** Writes the model as catalogue XML into xml and loads it; problems are
** reported at the rows they come from. (xmlout.c) */
sb_status imp_write_xml(imp_model *m, sb_buf *xml);

#endif
