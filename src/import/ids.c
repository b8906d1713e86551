/*
** import/ids.c -- the import's small tools: a string map, white space as
** the catalogue collapses it, ids checked and derived from names.
**
** A derived id is a function of the name and of the ids taken before it
** (docs/import.md, "Ids"): the same file gives the same ids every time.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import-imp.h"

/* ==== String map ==== */

static uint64_t key_hash(const char *k) {
  return sb_hash_fnv1a(k, strlen(k), SB_FNV1A_BASIS);
}

int imp_index_find(const imp_index *ix, const char *key) {
  if (!ix->cap) return -1;
  for (size_t i = key_hash(key) & (ix->cap - 1);; i = (i + 1) & (ix->cap - 1)) {
    if (!ix->keys[i]) return -1;
    if (strcmp(ix->keys[i], key) == 0) return ix->vals[i];
  }
}

static void put(imp_index *ix, const char *key, int val) {
  size_t i = key_hash(key) & (ix->cap - 1);
  while (ix->keys[i] && strcmp(ix->keys[i], key) != 0)
    i = (i + 1) & (ix->cap - 1);
  if (!ix->keys[i]) ix->n++;
  ix->keys[i] = key;
  ix->vals[i] = val;
}

void imp_index_put(imp_index *ix, const char *key, int val) {
  if (2 * (ix->n + 1) > ix->cap) {
    imp_index old = *ix;
    ix->cap = old.cap ? 2 * old.cap : 64;
    ix->keys = sb_xcalloc(ix->cap, sizeof *ix->keys);
    ix->vals = sb_xcalloc(ix->cap, sizeof *ix->vals);
    ix->n = 0;
    for (size_t i = 0; i < old.cap; i++)
      if (old.keys[i]) put(ix, old.keys[i], old.vals[i]);
    free(old.keys);
    free(old.vals);
  }
  put(ix, key, val);
}

void imp_index_free(imp_index *ix) {
  free(ix->keys);
  free(ix->vals);
  memset(ix, 0, sizeof *ix);
}

/* ==== Messages, text, ids ==== */

void imp_error(imp_model *m, imp_at at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sb_diag_addv(m->ctx, SB_SEV_ERROR, SB_E_SCHEMA, m->path, at.line, at.col,
               fmt, ap);
  va_end(ap);
  m->errors++;
}

static int is_ws(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

const char *imp_collapse(imp_model *m, const char *s) {
  size_t n = strlen(s), o = 0;
  char *out = sb_arena_alloc(m->arena, n + 1);
  if (!out) abort(); /* the arena has no budget */
  for (size_t i = 0; i < n;) {
    if (is_ws(s[i])) {
      while (i < n && is_ws(s[i])) i++;
      if (o && i < n) out[o++] = ' ';
    } else {
      out[o++] = s[i++];
    }
  }
  out[o] = '\0';
  return out;
}

int imp_id_ok(const char *id) {
  size_t n = strlen(id);
  if (n == 0 || n > 64) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = id[i];
    int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return 0;
  }
  return 1;
}

/* The ASCII letter of a Latin-1 letter U+00C0..U+00FF, or 0. */
static char unaccent(int32_t cp) {
  static const char map[] =
      "aaaaaaaceeeeiiiidnooooo\0ouuuuyts"   /* U+00C0..U+00DF */
      "aaaaaaaceeeeiiiidnooooo\0ouuuuyty";  /* U+00E0..U+00FF */
  if (cp < 0xC0 || cp > 0xFF) return 0;
  return map[cp - 0xC0];
}

const char *imp_derive_id(imp_model *m, imp_kind *k, const char *name) {
  char base[72];
  size_t o = 0, n = strlen(name);
  int dash = 0;
  for (size_t i = 0; i < n && o < 56;) {
    int len;
    int32_t cp = sb_utf8_decode(name + i, n - i, &len);
    i += (size_t)len;
    char c = 0;
    if (cp >= 'A' && cp <= 'Z') c = (char)(cp - 'A' + 'a');
    else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) c = (char)cp;
    else c = unaccent(cp);
    if (c) {
      if (dash && o) base[o++] = '-';
      if (o < 56) base[o++] = c;
      dash = 0;
    } else {
      dash = 1;
    }
  }
  base[o] = '\0';
  if (!o)
    snprintf(base, sizeof base, "%s-%08x", k->word,
             (unsigned)(sb_hash_fnv1a(name, n, SB_FNV1A_BASIS) & 0xffffffffu));
  char id[80];
  snprintf(id, sizeof id, "%s", base);
  for (int i = 2; imp_index_find(&k->byid, id) >= 0; i++)
    snprintf(id, sizeof id, "%s-%d", base, i);
  return sb_arena_strdup(m->arena, id);
}

int imp_kind_add(imp_model *m, imp_kind *k, const char *id, const char *name,
                 int parent, imp_at at) {
  (void)m;
  if (SB_GROW(k->v, k->n, k->cap, 16, (size_t)1 << 30) != SB_OK) abort();
  imp_item *it = &k->v[k->n];
  it->id = id;
  it->name = name;
  it->parent = parent;
  it->at = at;
  imp_index_put(&k->byid, id, k->n);
  if (imp_index_find(&k->byname, name) < 0)
    imp_index_put(&k->byname, name, k->n);
  return k->n++;
}
