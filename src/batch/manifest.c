/*
** batch/manifest.c -- manifest.json: writing, reading, and the commit.
**
** The manifest lists every output of a folder: path, kind, what the index
** shows, bytes, pages, SHA-256, the hash of its inputs, its thumbnail, and
** the inode and times of each file when it was recorded ("stat"), so that
** an unchanged run trusts a file whose size and stamp match without
** reading it.
** It is written last, through sb_write_output (temporary file + rename):
** that rename is the commit point of a batch. Files that left the
** catalogue are deleted after it, and only files the previous manifest
** lists; what is still to delete is written into the new manifest first
** ("removed"), so that a run killed halfway through the clean-up has it
** finished by the next one.
** The reader is a small JSON parser that is enough for this format (and
** any valid JSON); unknown members are ignored.
** Tests: tests/cli/batch.sh
*/
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch/batch-imp.h"

#define MANIFEST_FORMAT "skillbook-manifest/1"

void sb_manifest_init(sb_manifest *m) {
  memset(m, 0, sizeof *m);
  m->arena = sb_new_arena(0);
}

void sb_manifest_free(sb_manifest *m) {
  sb_drop_arena(m->arena);
  free(m->docs);
  free(m->removed);
  free(m->removed_keydir);
  free(m->by_path);
  memset(m, 0, sizeof *m);
}

const char *sb_manifest_str(sb_manifest *m, const char *s) {
  return s ? sb_arena_strdup(m->arena, s) : NULL;
}

sb_mentry *sb_manifest_add(sb_manifest *m, const sb_mentry *e) {
  if (SB_GROW(m->docs, m->n, m->cap, 64, INT_MAX))
    return NULL;
  sb_mentry *d = &m->docs[m->n++];
  *d = *e;
  d->path = sb_manifest_str(m, e->path);
  d->kind = sb_manifest_str(m, e->kind);
  d->group = sb_manifest_str(m, e->group);
  d->group_name = sb_manifest_str(m, e->group_name);
  d->section = sb_manifest_str(m, e->section);
  d->label = sb_manifest_str(m, e->label);
  d->role = sb_manifest_str(m, e->role);
  d->from = sb_manifest_str(m, e->from);
  d->to = sb_manifest_str(m, e->to);
  d->skill = sb_manifest_str(m, e->skill);
  d->inputs = sb_manifest_str(m, e->inputs);
  d->sha256 = sb_manifest_str(m, e->sha256);
  d->thumb = sb_manifest_str(m, e->thumb);
  d->thumb_sha256 = sb_manifest_str(m, e->thumb_sha256);
  d->keydir = sb_manifest_str(m, e->keydir);
  d->logname = sb_manifest_str(m, e->logname);
  free(m->by_path);
  m->by_path = NULL;
  return d;
}

void sb_manifest_add_removed(sb_manifest *m, const char *path,
                             const char *keydir) {
  size_t cap = m->capremoved;
  if (SB_GROW(m->removed, m->nremoved, m->capremoved, 16, INT_MAX))
    return;  /* as sb_manifest_add: cannot happen under the limits */
  if (m->capremoved != cap)
    m->removed_keydir = sb_xrealloc(m->removed_keydir, m->capremoved *
                                    sizeof *m->removed_keydir);
  m->removed_keydir[m->nremoved] = sb_manifest_str(m, keydir);
  m->removed[m->nremoved++] = sb_manifest_str(m, path);
}

void sb_manifest_key(const char *rel, char hex[65]) {
  sb_sha256 h;
  uint8_t d[32];
  sb_sha256_init(&h);
  sb_sha256_update(&h, "skillbook-private/1", 20); /* with its NUL */
  sb_sha256_update(&h, rel, strlen(rel));
  sb_sha256_final(&h, d);
  sb_hex(d, 32, hex);
}

static int cmp_entry_path(const void *a, const void *b) {
  const sb_mentry *x = *(const sb_mentry *const *)a;
  const sb_mentry *y = *(const sb_mentry *const *)b;
  return strcmp(x->path, y->path);
}

void sb_manifest_index(sb_manifest *m) {
  free(m->by_path);
  m->by_path = sb_xmalloc((size_t)(m->n + 1) * sizeof *m->by_path);
  for (int i = 0; i < m->n; i++)
    m->by_path[i] = &m->docs[i];
  qsort(m->by_path, (size_t)m->n, sizeof *m->by_path, cmp_entry_path);
}

const sb_mentry *sb_manifest_find(const sb_manifest *m, const char *path) {
  if (!m->by_path) {
    for (int i = 0; i < m->n; i++)
      if (strcmp(m->docs[i].path, path) == 0)
        return &m->docs[i];
    return NULL;
  }
  int lo = 0, hi = m->n - 1;
  while (lo <= hi) {
    int mid = lo + (hi - lo) / 2;
    int c = strcmp(m->by_path[mid]->path, path);
    if (c == 0)
      return m->by_path[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid - 1;
  }
  return NULL;
}

/* ==== Writing ==== */

static void put_str(sb_buf *b, const char *key, const char *v, int *first) {
  if (!v)
    return;
  sb_buf_adds(b, *first ? "\"" : ", \"");
  *first = 0;
  sb_buf_adds(b, key);
  sb_buf_adds(b, "\": \"");
  sb_buf_json_str(b, v);
  sb_buf_addc(b, '"');
}

static void put_stamp(sb_buf *b, const sb_fstamp *s) {
  if (s->ino)
    sb_buf_printf(b, ", \"stat\": {\"ino\": %lld, \"mtime_ns\": %lld, "
                  "\"ctime_ns\": %lld}", s->ino, s->mtime_ns, s->ctime_ns);
}

void sb_manifest_format(const sb_manifest *m, sb_buf *b) {
  sb_buf_adds(b, "{\n  \"format\": \"" MANIFEST_FORMAT "\",\n");
  sb_buf_adds(b, "  \"program\": \"skillbook " SB_VERSION "\",\n");
  if (m->shard) {
    sb_buf_adds(b, "  \"shard\": \"");
    sb_buf_json_str(b, m->shard);
    sb_buf_adds(b, "\",\n");
  } else {
    sb_buf_adds(b, "  \"shard\": null,\n");
  }
  if (m->title) {
    sb_buf_adds(b, "  \"title\": \"");
    sb_buf_json_str(b, m->title);
    sb_buf_adds(b, "\",\n");
  }
  if (m->lang) {
    sb_buf_adds(b, "  \"lang\": \"");
    sb_buf_json_str(b, m->lang);
    sb_buf_adds(b, "\",\n");
  }
  sb_buf_adds(b, "  \"documents\": [");
  for (int i = 0; i < m->n; i++) {
    const sb_mentry *e = &m->docs[i];
    int first = 1;
    sb_buf_adds(b, i ? ",\n    {" : "\n    {");
    if (e->priv) {
      /* a private output: its key and folder, never its path or names */
      char key[65];
      sb_manifest_key(e->path, key);
      put_str(b, "key", key, &first);
      put_str(b, "dir", e->keydir ? e->keydir : "", &first);
      put_str(b, "kind", e->kind, &first);
      sb_buf_printf(b, ", \"order\": %d", e->order);
      put_str(b, "role", e->role, &first);
      put_str(b, "from", e->from, &first);
      put_str(b, "to", e->to, &first);
      sb_buf_printf(b, ", \"bytes\": %lld, \"pages\": %d", e->bytes,
                    e->pages);
      put_str(b, "sha256", e->sha256, &first);
      put_str(b, "inputs", e->inputs, &first);
      put_stamp(b, &e->stamp);
      sb_buf_addc(b, '}');
      continue;
    }
    put_str(b, "path", e->path, &first);
    put_str(b, "kind", e->kind, &first);
    sb_buf_printf(b, ", \"order\": %d", e->order);
    put_str(b, "group", e->group, &first);
    put_str(b, "group_name", e->group_name, &first);
    put_str(b, "section", e->section, &first);
    put_str(b, "label", e->label, &first);
    put_str(b, "role", e->role, &first);
    put_str(b, "from", e->from, &first);
    put_str(b, "to", e->to, &first);
    put_str(b, "skill", e->skill, &first);
    sb_buf_printf(b, ", \"bytes\": %lld, \"pages\": %d", e->bytes, e->pages);
    put_str(b, "sha256", e->sha256, &first);
    put_str(b, "inputs", e->inputs, &first);
    put_stamp(b, &e->stamp);
    if (e->thumb) {
      sb_buf_adds(b, ", \"thumb\": {\"path\": \"");
      sb_buf_json_str(b, e->thumb);
      sb_buf_printf(b, "\", \"bytes\": %lld, \"sha256\": \"", e->thumb_bytes);
      sb_buf_json_str(b, e->thumb_sha256 ? e->thumb_sha256 : "");
      sb_buf_printf(b, "\", \"width\": %d, \"height\": %d", e->thumb_w,
                    e->thumb_h);
      put_stamp(b, &e->thumb_stamp);
      sb_buf_addc(b, '}');
    }
    sb_buf_addc(b, '}');
  }
  sb_buf_adds(b, m->n ? "\n  ],\n" : "],\n");
  sb_buf_adds(b, "  \"removed\": [");
  int nr = 0, nk = 0;
  for (int i = 0; i < m->nremoved; i++) {
    if (m->removed_keydir[i]) {
      nk++;
      continue;
    }
    sb_buf_adds(b, nr++ ? ", \"" : "\"");
    sb_buf_json_str(b, m->removed[i]);
    sb_buf_addc(b, '"');
  }
  sb_buf_adds(b, "]");
  if (nk) {
    sb_buf_adds(b, ",\n  \"removed_keys\": [");
    nk = 0;
    for (int i = 0; i < m->nremoved; i++) {
      if (!m->removed_keydir[i])
        continue;
      char key[65];
      sb_manifest_key(m->removed[i], key);
      sb_buf_adds(b, nk++ ? ", {\"dir\": \"" : "{\"dir\": \"");
      sb_buf_json_str(b, m->removed_keydir[i]);
      sb_buf_printf(b, "\", \"key\": \"%s\"}", key);
    }
    sb_buf_adds(b, "]");
  }
  sb_batch_rerun_format(m, b);
  sb_buf_adds(b, "\n}\n");
}

/* ==== A small JSON reader ==== */

typedef struct jv {
  char t;            /* 'o' object, 'a' array, 's' string, 'n' number,
                        'b' boolean, 'z' null */
  const char *key;   /* member name when inside an object */
  const char *s;     /* string value */
  double num;
  long long inum;    /* an integer written without '.' or exponent, exactly
                        (nanosecond times do not fit a double) */
  int isint;
  int b;
  struct jv *kid, *next;
} jv;

typedef struct jparser {
  const char *p, *end;
  sb_arena *a;
  const char *err;
  long line;
} jparser;

static void jskip(jparser *J) {
  while (J->p < J->end) {
    char c = *J->p;
    if (c == '\n')
      J->line++;
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
      break;
    J->p++;
  }
}

static int hex4(const char *p, unsigned *out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= (unsigned)(c - 'A' + 10);
    else
      return -1;
  }
  *out = v;
  return 0;
}

static const char *jstring(jparser *J) {
  if (J->p >= J->end || *J->p != '"') {
    J->err = "expected a string";
    return NULL;
  }
  J->p++;
  /* most strings have no escape: copied at once (an unchanged rerun
  ** reads a manifest of thousands of them, fast.c) */
  const char *q = J->p;
  while (q < J->end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20)
    q++;
  if (q < J->end && *q == '"') {
    const char *s = sb_arena_strndup(J->a, J->p, (size_t)(q - J->p));
    J->p = q + 1;
    return s;
  }
  sb_buf b;
  sb_buf_init(&b);
  while (J->p < J->end && *J->p != '"') {
    char c = *J->p++;
    if ((unsigned char)c < 0x20) {
      J->err = "control character in a string";
      goto fail;
    }
    if (c != '\\') {
      sb_buf_addc(&b, c);
      continue;
    }
    if (J->p >= J->end)
      break;
    c = *J->p++;
    switch (c) {
    case '"': case '\\': case '/': sb_buf_addc(&b, c); break;
    case 'b': sb_buf_addc(&b, '\b'); break;
    case 'f': sb_buf_addc(&b, '\f'); break;
    case 'n': sb_buf_addc(&b, '\n'); break;
    case 'r': sb_buf_addc(&b, '\r'); break;
    case 't': sb_buf_addc(&b, '\t'); break;
    case 'u': {
      unsigned u, lo;
      if (J->end - J->p < 4 || hex4(J->p, &u) < 0) {
        J->err = "bad \\u escape";
        goto fail;
      }
      J->p += 4;
      if (u >= 0xD800 && u < 0xDC00 && J->end - J->p >= 6 && J->p[0] == '\\' &&
          J->p[1] == 'u' && hex4(J->p + 2, &lo) == 0 && lo >= 0xDC00 &&
          lo < 0xE000) {
        J->p += 6;
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
      }
      char enc[4];
      int n = sb_utf8_encode((int32_t)u, enc);
      sb_buf_add(&b, enc, (size_t)n);
      break;
    }
    default:
      J->err = "bad escape";
      goto fail;
    }
  }
  if (J->p >= J->end) {
    J->err = "unterminated string";
    goto fail;
  }
  J->p++;
  const char *s = sb_arena_strndup(J->a, b.p ? b.p : "", b.n);
  sb_buf_free(&b);
  return s;
fail:
  sb_buf_free(&b);
  return NULL;
}

static jv *jvalue(jparser *J, int depth);

static jv *jcontainer(jparser *J, int depth, char close, int members) {
  jv *v = sb_arena_calloc(J->a, sizeof *v);
  v->t = members ? 'o' : 'a';
  jv **tail = &v->kid;
  J->p++;
  jskip(J);
  if (J->p < J->end && *J->p == close) {
    J->p++;
    return v;
  }
  for (;;) {
    const char *key = NULL;
    jskip(J);
    if (members) {
      key = jstring(J);
      if (!key)
        return NULL;
      jskip(J);
      if (J->p >= J->end || *J->p != ':') {
        J->err = "expected ':'";
        return NULL;
      }
      J->p++;
    }
    jv *kid = jvalue(J, depth + 1);
    if (!kid)
      return NULL;
    kid->key = key;
    *tail = kid;
    tail = &kid->next;
    jskip(J);
    if (J->p < J->end && *J->p == ',') {
      J->p++;
      continue;
    }
    if (J->p < J->end && *J->p == close) {
      J->p++;
      return v;
    }
    J->err = members ? "expected ',' or '}'" : "expected ',' or ']'";
    return NULL;
  }
}

static jv *jvalue(jparser *J, int depth) {
  jskip(J);
  if (depth > 64) {
    J->err = "nested too deeply";
    return NULL;
  }
  if (J->p >= J->end) {
    J->err = "unexpected end of file";
    return NULL;
  }
  char c = *J->p;
  if (c == '{')
    return jcontainer(J, depth, '}', 1);
  if (c == '[')
    return jcontainer(J, depth, ']', 0);
  jv *v = sb_arena_calloc(J->a, sizeof *v);
  if (c == '"') {
    v->t = 's';
    v->s = jstring(J);
    return v->s ? v : NULL;
  }
  static const struct { const char *w; char t; int b; } words[] = {
      {"true", 'b', 1}, {"false", 'b', 0}, {"null", 'z', 0}};
  for (size_t i = 0; i < 3; i++) {
    size_t n = strlen(words[i].w);
    if ((size_t)(J->end - J->p) >= n && memcmp(J->p, words[i].w, n) == 0) {
      J->p += n;
      v->t = words[i].t;
      v->b = words[i].b;
      return v;
    }
  }
  if (c == '-' || (c >= '0' && c <= '9')) {
    /* an integer of up to 19 digits that fits (sizes, stamps in ns,
    ** counts): exactly, at once; anything else through strtoll/strtod */
    const char *q = J->p + (c == '-');
    unsigned long long uv = 0;
    int nd = 0;
    while (q < J->end && *q >= '0' && *q <= '9' && nd < 20) {
      uv = uv * 10 + (unsigned)(*q++ - '0');
      nd++;
    }
    if (nd > 0 && nd < 20 && uv <= (unsigned long long)LLONG_MAX &&
        (q == J->end || (*q != '.' && *q != 'e' && *q != 'E' &&
                         (*q < '0' || *q > '9')))) {
      J->p = q;
      v->t = 'n';
      v->isint = 1;
      v->inum = c == '-' ? -(long long)uv : (long long)uv;
      v->num = (double)v->inum;
      return v;
    }
    char tmp[64];
    size_t n = 0;
    while (J->p < J->end && n < sizeof tmp - 1 &&
           strchr("+-0123456789.eE", *J->p))
      tmp[n++] = *J->p++;
    tmp[n] = '\0';
    char *endp;
    v->t = 'n';
    v->num = strtod(tmp, &endp);
    if (*endp) {
      J->err = "bad number";
      return NULL;
    }
    if (!strpbrk(tmp, ".eE")) {
      errno = 0;
      v->inum = strtoll(tmp, &endp, 10);
      v->isint = errno == 0 && !*endp;
    }
    return v;
  }
  J->err = "unexpected character";
  return NULL;
}

static const jv *jget(const jv *o, const char *key) {
  if (!o || o->t != 'o')
    return NULL;
  for (const jv *k = o->kid; k; k = k->next)
    if (strcmp(k->key, key) == 0)
      return k;
  return NULL;
}

static const char *jstr(const jv *o, const char *key) {
  const jv *v = jget(o, key);
  return v && v->t == 's' ? v->s : NULL;
}

static long long jnum(const jv *o, const char *key) {
  const jv *v = jget(o, key);
  if (!v || v->t != 'n')
    return 0;
  if (v->isint)
    return v->inum;
  return v->num > -9e18 && v->num < 9e18 ? (long long)v->num : 0;
}

/* A "stat" member; all 0 when absent or malformed. */
static void jstamp(const jv *o, sb_fstamp *s) {
  const jv *st = jget(o, "stat");
  memset(s, 0, sizeof *s);
  if (!st || st->t != 'o')
    return;
  s->ino = jnum(st, "ino");
  s->mtime_ns = jnum(st, "mtime_ns");
  s->ctime_ns = jnum(st, "ctime_ns");
}

/* The "rerun" member (fast.c); m->rerun stays NULL when it is absent or
** anything in it is malformed. */
static void jrerun(const jv *root, sb_manifest *m) {
  const jv *r = jget(root, "rerun");
  const jv *in = jget(r, "inputs");
  if (!r || r->t != 'o' || !jstr(r, "asked") || !in || in->t != 'a')
    return;
  int n = 0;
  for (const jv *k = in->kid; k; k = k->next)
    if (n++ > (1 << 20))
      return;
  sb_mrerun *x = sb_arena_calloc(m->arena, sizeof *x);
  x->asked = jstr(r, "asked");
  x->documents = (int)jnum(r, "documents");
  x->index_bytes = -1;
  const jv *ix = jget(r, "index");
  if (ix && ix->t == 'o') {
    x->index_bytes = jnum(ix, "bytes");
    jstamp(ix, &x->index_stamp);
  }
  x->path = sb_arena_alloc(m->arena, (size_t)(n + 1) * sizeof *x->path);
  x->st = sb_arena_calloc(m->arena, (size_t)(n + 1) * sizeof *x->st);
  for (const jv *k = in->kid; k; k = k->next) {
    const jv *st = jget(k, "stat");
    if (!jstr(k, "path") || !st || st->t != 'o')
      return;
    sb_istamp *s = &x->st[x->n];
    s->dev = jnum(st, "dev");
    s->ino = jnum(st, "ino");
    s->size = jnum(st, "bytes");
    s->mtime_ns = jnum(st, "mtime_ns");
    s->ctime_ns = jnum(st, "ctime_ns");
    x->path[x->n++] = jstr(k, "path");
  }
  const jv *dg = jget(r, "diagnostics");
  if (dg && dg->t == 'a') {
    int nd = 0;
    for (const jv *k = dg->kid; k; k = k->next)
      if (nd++ > 10000)
        return;
    x->diag = sb_arena_calloc(m->arena, (size_t)(nd + 1) * sizeof *x->diag);
    for (const jv *k = dg->kid; k; k = k->next) {
      const char *lv = jstr(k, "level");
      sb_mdiag *d = &x->diag[x->ndiag++];
      d->group = (int)jnum(k, "group");
      d->sev = !lv ? SB_SEV_ERROR : strcmp(lv, "warning") == 0 ? SB_SEV_WARNING
               : strcmp(lv, "note") == 0 ? SB_SEV_NOTE : SB_SEV_ERROR;
      d->file = jstr(k, "file");
      d->line = (long)jnum(k, "line");
      d->col = (long)jnum(k, "column");
      d->msg = jstr(k, "message");
      if (!lv || !d->msg || d->sev == SB_SEV_ERROR ||
          (d->group != 0 && d->group != 1))
        return; /* a clean run had no error: not ours */
    }
  }
  m->rerun = x;
}

/* ==== Private entries: from key back to path ==== */

/* The private entries of a manifest being read, path = their key until
** key_resolve lists their folders. */
typedef struct keyed {
  sb_mentry e;
  int removed;   /* from "removed_keys" */
  int found;
} keyed;

typedef struct keyfind {
  keyed *k;
  int n;
  size_t cap;
  const char *dir;   /* the folder being listed (relative), for the key */
  sb_manifest *m;
} keyfind;

static void key_add(keyfind *K, const sb_mentry *e, int removed) {
  if (SB_GROW(K->k, K->n, K->cap, 64, INT_MAX))
    return;
  K->k[K->n].e = *e;
  K->k[K->n].removed = removed;
  K->k[K->n++].found = 0;
}

static int cmp_keyed(const void *a, const void *b) {
  const keyed *x = a, *y = b;
  return strcmp(x->e.path, y->e.path);
}

static void key_seen(void *arg, const char *name) {
  keyfind *K = arg;
  char *rel = K->dir[0] ? sb_batch_join(K->dir, name) : sb_xstrdup(name);
  char key[65];
  sb_manifest_key(rel, key);
  keyed probe;
  probe.e.path = key;
  keyed *hit = bsearch(&probe, K->k, (size_t)K->n, sizeof *K->k, cmp_keyed);
  /* every entry with this key (an entry and a pending removal) */
  while (hit && hit > K->k && strcmp(hit[-1].e.path, key) == 0)
    hit--;
  for (; hit && hit < K->k + K->n && strcmp(hit->e.path, key) == 0; hit++) {
    if (hit->found || strcmp(hit->e.keydir, K->dir) != 0)
      continue;
    hit->found = 1;
    if (hit->removed) {
      sb_manifest_add_removed(K->m, rel, K->dir);
    } else {
      sb_mentry e = hit->e;
      e.path = rel;
      char ln[96];
      snprintf(ln, sizeof ln, "%s%s#%.8s", K->dir, K->dir[0] ? "/" : "", key);
      e.logname = ln;
      sb_manifest_add(K->m, &e);
    }
  }
  free(rel);
}

/* Finds the path of each private entry by listing the folders they are in
** (below dir, never through a link) and adds them to m; those whose file is
** gone are dropped (nothing to trust, nothing to delete). */
static void key_resolve(keyfind *K, const char *dir, sb_manifest *m) {
  if (K->n == 0)
    return;
  qsort(K->k, (size_t)K->n, sizeof *K->k, cmp_keyed);
  K->m = m;
  /* each distinct folder once */
  for (int i = 0; i < K->n; i++) {
    int seen = 0;
    for (int j = 0; j < i && !seen; j++)
      seen = strcmp(K->k[j].e.keydir, K->k[i].e.keydir) == 0;
    if (seen || (K->k[i].e.keydir[0] && !sb_batch_rel_ok(K->k[i].e.keydir)))
      continue;
    K->dir = K->k[i].e.keydir;
    sb_batch_list_files(dir, K->dir, key_seen, K);
  }
  free(K->k);
}

sb_status sb_manifest_read(sb_ctx *ctx, const char *dir, sb_manifest *m,
                           int *found) {
  char *path = sb_batch_join(dir, "manifest.json");
  char *text = NULL;
  size_t len = 0;
  sb_status st = SB_OK;
  *found = 0;
  st = sb_batch_read(ctx, dir, "manifest.json", (size_t)1 << 30, &text, &len);
  if (st != SB_OK && errno == ENOENT) {
    sb_ctx_clear_error(ctx);
    st = SB_OK;
    goto done;
  }
  if (st != SB_OK)
    goto done;
  jparser J = {text, text + len, m->arena, NULL, 1};
  jv *root = jvalue(&J, 0);
  if (root) {
    jskip(&J);
    if (J.p != J.end)
      J.err = "text after the end";
  }
  if (!root || J.err) {
    st = sb_fail(ctx, SB_E_IO, "%s:%ld: error: not a manifest: %s", path,
                 J.line, J.err ? J.err : "malformed JSON");
    goto done;
  }
  const char *fmt = jstr(root, "format");
  const jv *docs = jget(root, "documents");
  if (root->t != 'o' || !fmt || strcmp(fmt, MANIFEST_FORMAT) != 0 || !docs ||
      docs->t != 'a') {
    st = sb_fail(ctx, SB_E_IO, "%s: error: not a skillbook manifest (format "
                 "\"%s\" expected)", path, MANIFEST_FORMAT);
    goto done;
  }
  m->shard = jstr(root, "shard");
  m->title = jstr(root, "title");
  m->lang = jstr(root, "lang");
  keyfind K;
  memset(&K, 0, sizeof K);
  for (const jv *d = docs->kid; d; d = d->next) {
    sb_mentry e = {0};
    m->ndocs_read++;
    e.path = jstr(d, "path");
    if (!e.path && jstr(d, "key") && jstr(d, "dir")) {
      /* private: found again by listing its folder, below */
      e.priv = 1;
      e.keydir = jstr(d, "dir");
      e.path = jstr(d, "key");
    } else if (!e.path || !sb_batch_rel_ok(e.path))
      continue;  /* never act on a path we would not write */
    e.kind = jstr(d, "kind");
    e.order = (int)jnum(d, "order");
    e.group = jstr(d, "group");
    e.group_name = jstr(d, "group_name");
    e.section = jstr(d, "section");
    e.label = jstr(d, "label");
    e.role = jstr(d, "role");
    e.from = jstr(d, "from");
    e.to = jstr(d, "to");
    e.skill = jstr(d, "skill");
    e.bytes = jnum(d, "bytes");
    e.pages = (int)jnum(d, "pages");
    e.sha256 = jstr(d, "sha256");
    e.inputs = jstr(d, "inputs");
    jstamp(d, &e.stamp);
    const jv *th = jget(d, "thumb");
    if (th && th->t == 'o' && jstr(th, "path") &&
        sb_batch_rel_ok(jstr(th, "path"))) {
      e.thumb = jstr(th, "path");
      e.thumb_bytes = jnum(th, "bytes");
      e.thumb_sha256 = jstr(th, "sha256");
      e.thumb_w = (int)jnum(th, "width");
      e.thumb_h = (int)jnum(th, "height");
      jstamp(th, &e.thumb_stamp);
    }
    if (e.priv)
      key_add(&K, &e, 0);
    else
      sb_manifest_add(m, &e);
  }
  const jv *rm = jget(root, "removed");
  if (rm && rm->t == 'a')
    for (const jv *r = rm->kid; r; r = r->next)
      if (r->t == 's' && sb_batch_rel_ok(r->s))
        sb_manifest_add_removed(m, r->s, NULL);
  rm = jget(root, "removed_keys");
  if (rm && rm->t == 'a')
    for (const jv *r = rm->kid; r; r = r->next)
      if (jstr(r, "dir") && jstr(r, "key")) {
        sb_mentry e = {0};
        e.priv = 1;
        e.keydir = jstr(r, "dir");
        e.path = jstr(r, "key");
        key_add(&K, &e, 1);
      }
  key_resolve(&K, dir, m);
  jrerun(root, m);
  sb_manifest_index(m);
  *found = 1;
done:
  free(text);
  free(path);
  return st;
}

/* ==== Commit ==== */

/* Writes path only when its bytes differ from what is there, so that an
** unchanged run leaves the folder exactly as it was. */
static sb_status write_if_changed(sb_ctx *ctx, const char *dir,
                                  const char *rel, const sb_buf *b) {
  char sha[65];
  sb_sha256_hex(b->p, b->n, sha);
  if (sb_batch_file_matches(dir, rel, (long long)b->n, sha))
    return SB_OK;
  return sb_batch_write(ctx, dir, rel, b->p, b->n, NULL);
}

/* A set of relative paths (sorted array) for "does the new manifest list
** this file". */
typedef struct pathset {
  const char **p;
  int n;
} pathset;

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void pathset_of(const sb_manifest *m, pathset *s) {
  s->p = sb_xmalloc((size_t)(2 * m->n + 1) * sizeof *s->p);
  s->n = 0;
  for (int i = 0; i < m->n; i++) {
    s->p[s->n++] = m->docs[i].path;
    if (m->docs[i].thumb)
      s->p[s->n++] = m->docs[i].thumb;
  }
  qsort(s->p, (size_t)s->n, sizeof *s->p, cmp_str);
}

static int pathset_has(const pathset *s, const char *path) {
  return s->n && bsearch(&path, s->p, (size_t)s->n, sizeof *s->p, cmp_str);
}

static void add_unique_removed(sb_manifest *m, const pathset *keep,
                               const char *path, const char *keydir) {
  if (!path || pathset_has(keep, path))
    return;
  for (int i = 0; i < m->nremoved; i++)
    if (strcmp(m->removed[i], path) == 0)
      return;
  sb_manifest_add_removed(m, path, keydir);
}

/* Removes the folders above a deleted file that are now empty, up to dir
** (never through a link). */
static void prune_dirs(const char *dir, const char *rel) {
  char *p = sb_xstrdup(rel);
  for (;;) {
    char *slash = strrchr(p, '/');
    if (!slash)
      break;
    *slash = '\0';
    if (sb_batch_rmdir(dir, p) < 0)
      break;
  }
  free(p);
}

sb_status sb_batch_commit(sb_ctx *ctx, const char *dir, sb_manifest *newm,
                          const sb_manifest *prev, int index, int del,
                          sb_batch_log *lg, sb_batch_stats *st) {
  sb_status rc = SB_OK;
  sb_buf b;
  sb_buf_init(&b);
  pathset keep;
  pathset_of(newm, &keep);
  /* What the previous manifest lists and the new one does not. */
  for (int i = 0; i < prev->n; i++) {
    add_unique_removed(newm, &keep, prev->docs[i].path,
                       prev->docs[i].priv ? prev->docs[i].keydir : NULL);
    add_unique_removed(newm, &keep, prev->docs[i].thumb, NULL);
  }
  for (int i = 0; i < prev->nremoved; i++) {
    sb_fstamp unused;
    if (sb_batch_file_stamp(dir, prev->removed[i], &unused) == 0)
      add_unique_removed(newm, &keep, prev->removed[i],
                         prev->removed_keydir[i]);
  }
  if (newm->nremoved > 0)
    newm->rerun = NULL; /* files to delete: the next run must look */
  if (index) {
    sb_batch_format_index(newm, &b);
    rc = write_if_changed(ctx, dir, "index.html", &b);
    if (rc != SB_OK)
      goto fail;
    if (newm->rerun) {
      newm->rerun->index_bytes = (long long)b.n;
      if (sb_batch_file_stamp(dir, "index.html", &newm->rerun->index_stamp))
        newm->rerun = NULL;
    }
  }
  sb_buf_free(&b);
  sb_buf_init(&b);
  sb_manifest_format(newm, &b);
  rc = write_if_changed(ctx, dir, "manifest.json", &b);
  if (rc != SB_OK)
    goto fail;
  /* Committed. Now the clean-up (resumed by the next run if killed). */
  if (del) {
    for (int i = 0; i < newm->nremoved; i++) {
      /* only a regular file, reached without following a link: a link
      ** at its path, or in a folder on the way, is left alone */
      const char *rel = newm->removed[i];
      int r = sb_batch_unlink(dir, rel);
      if (r == 0) {
        size_t n = strlen(rel);
        int is_thumb = n > 4 && strcmp(rel + n - 4, ".png") == 0;
        if (!is_thumb) {
          st->deleted++;
          if (newm->removed_keydir[i]) {
            /* a private file: named by its folder and key */
            char key[65], ln[96];
            const char *kd = newm->removed_keydir[i];
            sb_manifest_key(rel, key);
            snprintf(ln, sizeof ln, "%s%s#%.8s", kd, kd[0] ? "/" : "", key);
            sb_batch_log_doc(lg, "deleted", NULL, ln, -1, NULL);
          } else {
            sb_batch_log_doc(lg, "deleted", NULL, rel, -1, NULL);
          }
        }
        prune_dirs(dir, rel);
      } else if (r == 2 || (r < 0 && errno == ELOOP)) {
        sb_batch_log_msg(lg, "warning", "%s: not deleted: not a regular file "
                         "reached without following a symbolic link",
                         newm->removed_keydir[i] ? "a private file" : rel);
      } else if (r < 0 && errno != ENOTDIR) {
        char *full = sb_batch_join(dir, newm->removed_keydir[i]
                                            ? "(a private file)" : rel);
        sb_batch_log_msg(lg, "warning", "%s: cannot delete: %s", full,
                         strerror(errno));
        free(full);
      }
    }
  }
fail:
  free(keep.p);
  sb_buf_free(&b);
  return rc;
}
