/*
** xml/region.c -- a region of memory for one libxml2 tree, given back at
** once.
**
** A catalogue's tree is many small blocks (an element is 120 bytes, an
** attribute 96 plus a text node of 120; the xl catalogue's 17.6 MB file
** makes 68 MB of them). Through malloc, freeing them is ~20 M
** instructions for the large catalogue, and the holes they leave are
** not reused by the layout and the PDF that come next: the peak of a
** handbook was the tree's memory plus the render's. While the catalogue
** loader parses, libxml2's allocations on its thread come here: blocks
** are bumped out of big chunks, freeing one is a no-op, and the whole
** region is freed when the tree is no longer needed, without walking it.
** The chunks come from the heap, which is on huge pages (sb_heap_tune):
** the layout and the PDF made after the load reuse their pages rather
** than fault in fresh ones (each fault is dear on a virtual machine).
**
** Rules that keep it safe:
**  - libxml2's allocator is pointed at this file's functions once, by the
**    first sb_xml_region_enter, when no other thread uses libxml2 (the
**    catalogue loader's first parse; the tree freed in the background is
**    joined first), and never moved again: no other thread can read the
**    pointers while they change. Outside a region those functions are
**    libc's (the functions libxml2 had), so nothing else changes.
**  - A region is its thread's (the current region is thread-local): only
**    what libxml2 allocates on the thread between sb_xml_region_enter and
**    sb_xml_region_leave goes to it. Another thread using libxml2 at the
**    same time (the schema validation of the tree, a style being parsed
**    while the validation helper frees the tree it validated) gets libc's
**    blocks, as before. sb_xml_region_free_tree makes r the calling
**    thread's region for the time of the free, on any thread.
**  - A block that is not in the thread's region goes to libc's functions,
**    so a block made before the parse (a parser's tables, the dictionary)
**    or after it may still be freed or grown in the window, and a chunk
**    that cannot be mapped just means malloc (the region is then "mixed":
**    its tree must be freed with xmlFreeDoc before the chunks go).
**  - Nothing made in the window may outlive the region but the tree:
**    libxml2's global "last error" (copies of the messages) is reset before
**    leaving; global state libxml2 sets up lazily is set up before entering.
** A streamed parse (xml/stream.c) uses a region that recycles the blocks
** freed in it (sb_xml_region_recycle), so it stays as small as the part
** of the tree alive at once.
** Tests: tests/unit/test_xml_region.c, tests/cli/diagnostics.sh,
** tests/unit/test_stream.c, tests/cli/stream.sh
*/
#define _GNU_SOURCE
#include "xml/region.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/dict.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The first chunk is at least a whole huge page: smaller ones were
** mmap'd apart and faulted in 4 KB at a time, ~460 faults of a large
** catalogue at ~12 us each on a virtual machine. */
#define FIRST_CHUNK ((size_t)2 << 20)
#define MAX_CHUNK ((size_t)64 << 20)
#define MAX_CHUNKS 48
/* Recycling (sb_xml_region_recycle): freed blocks up to this size are kept
** for the next block of their size; bigger ones wait for the drop. */
#define RECYCLE_MAX ((size_t)2048)

/* A block: its size (8 bytes, keeping the block 16-aligned) and then the
** bytes libxml2 sees. */
typedef struct head {
  size_t size;
  size_t pad;
} head;

struct sb_xml_region {
  char *base[MAX_CHUNKS];
  size_t size[MAX_CHUNKS];
  int n;           /* chunks mapped */
  size_t used;     /* in the last chunk */
  head *last;      /* the last block bumped, or NULL */
  int mixed;       /* a block came from malloc */
  size_t bytes;    /* all chunks' sizes */
  int recycle;     /* sb_xml_region_recycle: freed blocks are reused */
  head *freed[RECYCLE_MAX / 16 + 1]; /* recycling: freed blocks by size */
};

/* the calling thread's region, or NULL: libc's blocks */
static _Thread_local sb_xml_region *cur;
static int installed; /* libxml2's allocator is this file's (for good) */
static xmlFreeFunc old_free;
static xmlMallocFunc old_malloc;
static xmlReallocFunc old_realloc;
static xmlStrdupFunc old_strdup;

static int in_region(const sb_xml_region *r, const void *p) {
  const char *c = p;
  for (int i = r->n - 1; i >= 0; i--)
    if (c >= r->base[i] && c < r->base[i] + r->size[i])
      return 1;
  return 0;
}

/* A new chunk of at least need bytes; 0 when it cannot be mapped. */
static int add_chunk(sb_xml_region *r, size_t need) {
  size_t size = r->n ? r->size[r->n - 1] * 2 : FIRST_CHUNK;
  if (size > MAX_CHUNK)
    size = MAX_CHUNK;
  while (size < need)
    size *= 2;
  if (r->n == MAX_CHUNKS)
    return 0;
  /* from the heap (on huge pages, sb_heap_tune): once the tree is
  ** dropped, the layout and the PDF reuse its pages instead of faulting
  ** in fresh ones; glibc maps a chunk of 32 MB or more itself */
  void *p = malloc(size);
  if (!p)
    return 0;
  r->base[r->n] = p;
  r->size[r->n] = size;
  r->n++;
  r->used = 0;
  r->last = NULL;
  r->bytes += size;
  return 1;
}

/* A block of n bytes bumped from r (malloc's when no chunk can be
** mapped). */
static void *bump(sb_xml_region *r, size_t n) {
  size_t need = sizeof(head) + ((n + 15) & ~(size_t)15);
  if (n > SIZE_MAX / 2)
    return NULL;
  if (!r->n || r->size[r->n - 1] - r->used < need) {
    if (!add_chunk(r, need)) {
      r->mixed = 1;
      return malloc(n);
    }
  }
  head *h = (head *)(void *)(r->base[r->n - 1] + r->used);
  h->size = need - sizeof(head);
  r->used += need;
  r->last = h;
  return h + 1;
}

static void *rc_malloc(sb_xml_region *r, size_t n);
static void rc_free(sb_xml_region *r, void *p);

static void *r_malloc(size_t n) {
  sb_xml_region *r = cur;
  if (!r)
    return old_malloc(n);
  return r->recycle ? rc_malloc(r, n) : bump(r, n);
}

static void r_free(void *p) {
  if (!cur)
    old_free(p);
  else if (cur->recycle)
    rc_free(cur, p);
  else if (p && !in_region(cur, p))
    free(p);
}

static void *r_realloc(void *p, size_t n) {
  sb_xml_region *r = cur;
  if (!r)
    return old_realloc(p, n);
  if (!p)
    return r_malloc(n);
  if (!in_region(r, p))
    return realloc(p, n);
  head *h = (head *)p - 1;
  if (n <= h->size)
    return p;
  size_t grow = ((n + 15) & ~(size_t)15) - h->size;
  if (h == r->last && r->size[r->n - 1] - r->used >= grow) {
    /* the last block grows in place (a text node being appended to) */
    h->size += grow;
    r->used += grow;
    return p;
  }
  void *q = r_malloc(n);
  if (q) {
    memcpy(q, p, h->size);
    if (r->recycle)
      rc_free(r, p); /* its block serves the next of its size */
  }
  return q;
}

static char *r_strdup(const char *s) {
  if (!cur)
    return old_strdup(s);
  size_t n = strlen(s) + 1;
  char *p = r_malloc(n);
  if (p)
    memcpy(p, s, n);
  return p;
}

/* ==== Recycling: a streamed tree, freed as it goes ==== */

/* The stream (xml/stream.c) builds one element's subtree at a time and
** frees it: the same shapes again and again. A freed block of the region
** goes on the list of its size (its first bytes link the list) and the
** next block of that size is taken from there: no malloc or free for the
** ~40 blocks of each skill (libc's were 9 % of the streamed load). */

static void rc_free(sb_xml_region *r, void *p) {
  if (!p)
    return;
  if (!in_region(r, p)) {
    free(p);
    return;
  }
  head *h = (head *)p - 1;
  if (h->size <= RECYCLE_MAX) {
    *(head **)p = r->freed[h->size / 16];
    r->freed[h->size / 16] = h;
  }
}

static void *rc_malloc(sb_xml_region *r, size_t n) {
  size_t k = (n + 15) & ~(size_t)15;
  if (n <= RECYCLE_MAX && r->freed[k / 16]) {
    head *h = r->freed[k / 16];
    r->freed[k / 16] = *(head **)(void *)(h + 1);
    return h + 1;
  }
  return bump(r, n ? n : 1);
}

int sb_xml_region_recycle(sb_xml_region *r) {
  if (!r || r != cur)
    return 0;
  r->recycle = 1; /* r_malloc and friends turn to rc_malloc and friends */
  return 1;
}

sb_xml_region *sb_xml_region_enter(void) {
  if (cur)
    return NULL; /* not nested */
  if (!installed) {
    /* what libxml2 sets up once for the process is set up now, with
    ** malloc, not in a region that goes away; then its allocator becomes
    ** this file's, for good (libc's outside a region) */
    xmlInitParser();
    xmlDictFree(xmlDictCreate());
    if (xmlMemGet(&old_free, &old_malloc, &old_realloc, &old_strdup) != 0 ||
        xmlMemSetup(r_free, r_malloc, r_realloc, r_strdup) != 0)
      return NULL;
    installed = 1;
  }
  sb_xml_region *r = calloc(1, sizeof *r);
  if (!r)
    return NULL;
  cur = r;
  return r;
}

void sb_xml_region_leave(sb_xml_region *r) {
  if (!r || r != cur)
    return;
  /* the copies of the last error's strings are the region's */
  xmlResetLastError();
  cur = NULL;
}

void sb_xml_region_free_tree(sb_xml_region *r, void *tree) {
  xmlDoc *doc = tree;
  if (cur || !installed)
    return; /* cannot happen: regions are not nested */
  cur = r;
  if (r->mixed)
    xmlFreeDoc(doc); /* some blocks are malloc's */
  else if (doc->dict)
    xmlDictFree(doc->dict); /* its mutex is malloc's */
  cur = NULL;
}

int sb_xml_region_mixed(const sb_xml_region *r) {
  return r->mixed;
}

size_t sb_xml_region_bytes(const sb_xml_region *r) {
  return r->bytes;
}

void sb_xml_region_drop(sb_xml_region *r) {
  if (!r)
    return;
  for (int i = 0; i < r->n; i++)
    free(r->base[i]);
  free(r);
}
