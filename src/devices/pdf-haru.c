/*
** devices/pdf-haru.c -- the document objects, through libharu 2.3.0.
**
** The only file that includes hpdf.h (pdf-haru.h says what it offers).
** libharu assembles the document: pages, resources, annotations, outlines,
** page labels, info, the xref; the content operators and the fonts are
** ours (pdf-content.c, pdf-font.c), and so is the deflate of every stream
** but images' (deflate.h: each stream is deflated as it is made, by the
** document's compressor, sb_haru_deflater).
**
** What is used beyond hpdf.h's API, all of it here and checked for 2.3.0
** at configure time (cmake/CheckLibharu.cmake, docs/pdf.md):
** - the object layer (hpdf_objects.h: HPDF_Dict_*, HPDF_Array_*,
**   HPDF_DictStream_New, HPDF_Xref_Add, HPDF_String_New, HPDF_Null_New)
**   with the document's mmgr and xref, for the font objects and for
**   destinations whose zoom is null (the API refuses zoom 0);
** - a page's attr (its contents dict and stream): our content is already
**   deflated, so the stream's own filter is turned off and its dict's
**   write_fn declares /FlateDecode (libharu drops /Filter from a stream
**   whose filter is off, but calls write_fn before closing the dict); the
**   same for the streams sb_haru_stream makes;
** - the catalog dict, for /Lang and /ViewerPreferences (no API);
** - a plain dict's attr and write_fn, and header.obj_id, for the lazy
**   dicts of the structure elements (sb_haru_dict_lazy, sb_haru_num);
** - pdf->pdf_version (the header says 1.7), pdf->trailer (/ID), and
**   HPDF_Dict_RemoveElement / HPDF_Dict_AddNumber on outline items (no
**   /Type) and link annotations (/F 4): docs/pdf.md, "What the file
**   declares";
** - pdf->stream: HPDF_SaveToStream writes into whatever stream is there,
**   and a callback writer put there appends each piece to the caller's
**   buffer, so the saved file is never copied through libharu's memory
**   stream (its HPDF_MemStream_FreeData leaves other stream types alone).
** - pdf->info, and HPDF_Binary_New for text strings written as libharu's
**   UTF-8 encoder writes them, without the encoder (text_obj);
** libharu facts relied on (DESIGN.md): the error handler only records the
** first error and never jumps; info strings and outline titles are
** UTF-16BE text (its UTF-8 encoder, or the same bytes made by text_obj);
** a string over 65,535 bytes fails the whole document.
** Determinism: no dates unless asked; the trailer's /ID is a digest of
** the file's own bytes (fill_id).
** Tests: tests/unit/test_pdf.c
*/
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf.h>

#include "devices/pdf-imp.h"

#define SB_HARU_IMAGES 8

typedef struct haru_alpha {
  double alpha;
  HPDF_ExtGState gs;
} haru_alpha;

struct sb_haru {
  HPDF_Doc pdf;
  HPDF_STATUS err, detail;  /* first libharu error */
  int err_page;             /* 1-based page it happened on, 0 = none */
  int cur;                  /* page being drawn, -1 between pages */
  HPDF_Page *pages;         /* per dl page; NULL when not added */
  int npages;
  const void *img_key[SB_HARU_IMAGES]; /* PNG bytes already loaded (a logo */
  HPDF_Image img[SB_HARU_IMAGES];      /* on every page is embedded once) */
  int nimg;
  haru_alpha *alphas;
  int nalphas;
  size_t capalphas;
  sb_buf text;              /* a clipped copy of an info string or title */
  int pack;                 /* sb_haru_pack: object streams at the save */
  int pack_threaded;        /* ... deflated on a thread of their own */
  sb_buf lazy;              /* a lazy dict's entries while it is written */
  sb_buf *out;              /* while saving: where the bytes go */
  sb_deflater *z;           /* this thread's compressor, made on first use */
  int spent;                /* libharu's objects freed (after a packed save) */
  void (*written)(void *);  /* sb_haru_on_written */
  void *written_arg;
  int (*defer)(void *, sb_haru_obj *, const void *, size_t);
  void *defer_arg;          /* sb_haru_defer_streams */
};

/* HPDF_Dict and friends are pointers to libharu's records; ours are
** opaque names for the same pointers. */
#define DICT(o) ((HPDF_Dict)(void *)(o))
#define ARRAY(o) ((HPDF_Array)(void *)(o))
#define OBJ(d) ((sb_haru_obj *)(void *)(d))

/* ==== Errors ==== */

/* Records only; never jumps out (DESIGN.md). */
static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no,
                          void *user) {
  sb_haru *h = user;

  if (h->err)
    return;
  h->err = error_no;
  h->detail = detail_no;
  h->err_page = h->cur + 1;
}

sb_status sb_haru_check(sb_ctx *ctx, sb_haru *h) {
  if (!h->err && (h->spent || HPDF_GetError(h->pdf) == HPDF_OK))
    return SB_OK;
  if (!h->err) {
    h->err = HPDF_GetError(h->pdf);
    h->detail = HPDF_GetErrorDetail(h->pdf);
  }
  if (h->err_page > 0)
    return sb_fail(ctx, SB_E_PDF, "libharu error 0x%04X (detail %u) on page %d",
                   (unsigned)h->err, (unsigned)h->detail, h->err_page);
  return sb_fail(ctx, SB_E_PDF, "libharu error 0x%04X (detail %u)",
                 (unsigned)h->err, (unsigned)h->detail);
}

/* ==== libharu's memory ====
**
** Every record libharu allocates (objects, lists, stream buffers) comes
** from a bump arena of 64 KB chunks, each block aligned to 16 bytes, and
** is given back all at once when the last document is freed: libharu's
** free is a no-op here. A malloc per record made the tagged documents
** (thousands of small dicts, numbers and arrays) about 2% slower; the
** pool libharu offers (HPDF_NewEx's mem_pool_buf_size) was as fast but
** hands out blocks aligned to 4 bytes only, misaligning its own records
** (pointers, 8-byte fields), undefined behaviour the sanitizer build
** stops on. libharu allocates about 4 MB in all for a 95-page tagged
** handbook, so an arena that never reuses a block holds little more than
** malloc would at its peak (docs/performance.md, "Tags").
** libharu's alloc and free functions take no user pointer, so the arena
** is per thread and shared by the documents alive on it: it is reset
** when the count of open documents drops to 0. A document is made,
** drawn and dropped on one thread (pdf-deflate.c's thread never calls
** libharu). Under AddressSanitizer, the 16 bytes after each block stay
** poisoned (a red zone).
** A document ends without HPDF_Free: it would walk every record to free
** it one by one (2.4 M instructions for the large tagged handbook, ~0.5
** ms on the save's critical path) and each free would be a no-op. Every
** record is in the arena (libharu allocates through HPDF_NewEx's
** functions only: its memory manager, objects, lists, streams; it holds
** no file, and libpng's and zlib's states end within the calls that make
** them; the callback writer has no free function), and the arena goes
** whole at arena_close. */

#if defined(__SANITIZE_ADDRESS__)
#define SB_ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SB_ARENA_ASAN 1
#endif
#endif
#ifdef SB_ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define ARENA_REDZONE 16u
#define ARENA_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define ARENA_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define ARENA_REDZONE 0u
#define ARENA_POISON(p, n) ((void)(p), (void)(n))
#define ARENA_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define ARENA_ALIGN 16u
#define ARENA_CHUNK ((size_t)64 * 1024)
#define ARENA_BIG (ARENA_CHUNK / 4) /* bigger blocks get a chunk of their own */

typedef struct arena_chunk {
  struct arena_chunk *next;
  size_t cap;                       /* bytes after the header */
  _Alignas(16) unsigned char data[]; /* 16-aligned: malloc's alignment */
} arena_chunk;

typedef struct haru_arena {
  arena_chunk *head;  /* the chunk being bumped, then older ones */
  size_t used;        /* bytes of head->data handed out */
  int docs;           /* documents open on this thread */
  arena_chunk **big;  /* the big blocks' chunks, freed one by one */
  size_t nbig, capbig;
  uintptr_t lo, hi;   /* bounds of the big blocks' addresses */
} haru_arena;

static _Thread_local haru_arena arena;

static arena_chunk *arena_chunk_new(size_t cap) {
  arena_chunk *c = sb_xmalloc(sizeof *c + cap);

  c->cap = cap;
  ARENA_POISON(c->data, cap);
  return c;
}

/* A block of n bytes (size asked) in a chunk of its own, in the set of
** big ones (arena_free gives it back). Not inlined: arena_alloc's path
** for small blocks, 63,000 calls for the large handbook, stays as short
** as it was. */
__attribute__((noinline)) static void *arena_alloc_big(size_t n,
                                                       HPDF_UINT size) {
  arena_chunk *c = arena_chunk_new(n);

  c->next = NULL;
  if (arena.nbig == arena.capbig) {
    arena.capbig = arena.capbig ? arena.capbig * 2 : 16;
    arena.big = sb_xrealloc(arena.big, arena.capbig * sizeof *arena.big);
  }
  arena.big[arena.nbig++] = c;
  if (arena.nbig == 1 || (uintptr_t)c->data < arena.lo)
    arena.lo = (uintptr_t)c->data;
  if (arena.nbig == 1 || (uintptr_t)c->data > arena.hi)
    arena.hi = (uintptr_t)c->data;
  ARENA_UNPOISON(c->data, size);
  return c->data;
}

static void *HPDF_STDCALL arena_alloc(HPDF_UINT size) {
  size_t n = ((size_t)size + ARENA_REDZONE + ARENA_ALIGN - 1) &
             ~(size_t)(ARENA_ALIGN - 1);
  arena_chunk *c;

  if (n > ARENA_BIG)
    return arena_alloc_big(n, size);
  if (!arena.head || arena.head->cap - arena.used < n) {
    c = arena_chunk_new(ARENA_CHUNK);
    c->next = arena.head;
    arena.head = c;
    arena.used = 0;
  }
  c = arena.head;
  arena.used += n;
  ARENA_UNPOISON(c->data + arena.used - n, size);
  return c->data + arena.used - n;
}

/* libharu frees its records one by one; small ones go with the arena,
** big ones (a list's array, which libharu replaces by a bigger copy at
** every step of growth: the cross-reference table of a tagged xl
** handbook went through 2 MB of them) are freed at once. The set of big
** blocks alive is small (a list holds one array at a time). */
static void HPDF_STDCALL arena_free(void *p) {
  size_t i;

  if (arena.nbig == 0 || (uintptr_t)p < arena.lo ||
      (uintptr_t)p > arena.hi)
    return;
  for (i = arena.nbig; i-- > 0;)
    if (arena.big[i]->data == p) {
      ARENA_UNPOISON(arena.big[i]->data, arena.big[i]->cap);
      free(arena.big[i]);
      arena.big[i] = arena.big[--arena.nbig];
      return;
    }
}

static void arena_open(void) {
  arena.docs++;
}

static void arena_close(void) {
  arena_chunk *c, *next;

  if (--arena.docs > 0)
    return;
  for (c = arena.head; c; c = next) {
    next = c->next;
    ARENA_UNPOISON(c->data, c->cap);
    free(c);
  }
  while (arena.nbig > 0) {
    c = arena.big[--arena.nbig];
    ARENA_UNPOISON(c->data, c->cap);
    free(c);
  }
  free(arena.big);
  arena.big = NULL;
  arena.capbig = 0;
  arena.head = NULL;
  arena.used = 0;
}

size_t sb_haru_arena_held(void) {
  size_t n = 0, i;
  const arena_chunk *c;

  for (c = arena.head; c; c = c->next)
    n += c->cap;
  for (i = 0; i < arena.nbig; i++)
    n += arena.big[i]->cap;
  return n;
}

/* ==== The document ==== */

sb_haru *sb_haru_new(sb_ctx *ctx, int npages) {
  sb_haru *h = sb_xcalloc(1, sizeof *h);

  h->cur = -1;
  sb_buf_init(&h->text);
  /* our arena, not libharu's pool (see "libharu's memory" above) */
  arena_open();
  h->pdf = HPDF_NewEx(on_hpdf_error, arena_alloc, arena_free, 0, h);
  if (!h->pdf) {
    arena_close();
    free(h);
    sb_fail(ctx, SB_E_PDF, "libharu cannot create a document");
    return NULL;
  }
  HPDF_SetCompressionMode(h->pdf, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(h->pdf);
  h->npages = npages;
  h->pages = sb_xcalloc(npages > 0 ? (size_t)npages : 1, sizeof *h->pages);
  return h;
}

void sb_haru_drop(sb_haru *h) {
  if (!h)
    return;
  if (!h->spent) {
    arena_close(); /* libharu's records, the callback writer too (no
                   ** HPDF_Free: "libharu's memory" above) */
  }
  sb_drop_deflater(h->z);
  free(h->pages);
  free(h->alphas);
  sb_buf_free(&h->text);
  sb_buf_free(&h->lazy);
  free(h);
}

/* ==== Objects ==== */

sb_haru_obj *sb_haru_dict(sb_haru *h, int indirect) {
  HPDF_Dict d = HPDF_Dict_New(h->pdf->mmgr);

  if (d && indirect && HPDF_Xref_Add(h->pdf->xref, d) != HPDF_OK)
    return NULL; /* HPDF_Xref_Add frees d on failure */
  return OBJ(d);
}

sb_haru_obj *sb_haru_array(sb_haru *h) {
  return OBJ(HPDF_Array_New(h->pdf->mmgr));
}

sb_deflater *sb_haru_deflater(sb_haru *h) {
  if (!h->z)
    h->z = sb_new_deflater(SB_ZLEVEL_STREAM);
  return h->z;
}

static HPDF_STATUS declare_flate(HPDF_Dict dict, HPDF_Stream stream);

void sb_haru_defer_streams(sb_haru *h,
                           int (*fn)(void *arg, sb_haru_obj *stream,
                                     const void *data, size_t n),
                           void *arg) {
  h->defer = fn;
  h->defer_arg = arg;
}

/* A stream object deflated already: libharu's own filter off,
** /FlateDecode declared. */
static HPDF_Dict flate_stream(sb_haru *h) {
  HPDF_Dict d = HPDF_DictStream_New(h->pdf->mmgr, h->pdf->xref);

  if (d) {
    d->filter = HPDF_STREAM_FILTER_NONE;
    d->write_fn = declare_flate;
  }
  return d;
}

sb_status sb_haru_stream_fill(sb_ctx *ctx, sb_haru *h, sb_haru_obj *stream,
                              const void *z, size_t zn) {
  HPDF_Dict d = DICT(stream);

  if (zn > 0xFFFFFFFFu ||
      HPDF_Stream_Write(d->stream, z, (HPDF_UINT)zn) != HPDF_OK)
    return sb_haru_check(ctx, h) != SB_OK
               ? ctx->status
               : sb_fail(ctx, SB_E_PDF, "libharu refused a stream's data");
  return SB_OK;
}

sb_haru_obj *sb_haru_stream(sb_haru *h, const void *data, size_t n) {
  sb_deflater *dz;
  unsigned char *z;
  size_t zn;
  HPDF_Dict d;
  HPDF_STATUS rc;

  if (h->defer) { /* the data comes later (sb_haru_stream_fill) */
    d = flate_stream(h);
    if (!d)
      return NULL;
    if (h->defer(h->defer_arg, OBJ(d), data, n) == 0)
      return OBJ(d);
    /* refused: deflated here, into the object made */
    dz = sb_haru_deflater(h);
    if (!dz || !(z = sb_deflate(dz, data, n, &zn)))
      return NULL;
  } else {
    dz = sb_haru_deflater(h);
    if (!dz || !(z = sb_deflate(dz, data, n, &zn)))
      return NULL;
    d = flate_stream(h);
  }
  rc = !d ? HPDF_FAILD_TO_ALLOC_MEM
       : zn > 0xFFFFFFFFu ? HPDF_STREAM_EOF
                          : HPDF_Stream_Write(d->stream, z, (HPDF_UINT)zn);
  free(z);
  if (rc != HPDF_OK)
    return NULL;
  return OBJ(d);
}

int sb_haru_put(sb_haru_obj *dict, const char *key, sb_haru_obj *value) {
  return HPDF_Dict_Add(DICT(dict), key, value) == HPDF_OK ? 0 : -1;
}

void sb_haru_put_name(sb_haru_obj *dict, const char *key, const char *name) {
  HPDF_Dict_AddName(DICT(dict), key, name);
}

void sb_haru_put_int(sb_haru_obj *dict, const char *key, long v) {
  HPDF_Dict_AddNumber(DICT(dict), key, (HPDF_INT32)v);
}

void sb_haru_put_real(sb_haru_obj *dict, const char *key, double v) {
  HPDF_Dict_AddReal(DICT(dict), key, (HPDF_REAL)v);
}

void sb_haru_put_str(sb_haru *h, sb_haru_obj *dict, const char *key,
                     const char *s) {
  HPDF_Dict_Add(DICT(dict), key, HPDF_String_New(h->pdf->mmgr, s, NULL));
}

/* A lazy dict's write_fn: its entries, from its callback (pdf-haru.h). */
static HPDF_STATUS write_lazy(HPDF_Dict dict, HPDF_Stream stream) {
  sb_haru_lazy *lz = dict->attr;

  lz->scratch->n = 0;
  lz->fn(lz->user, lz->scratch);
  if (lz->scratch->n == 0)
    return HPDF_OK;
  return HPDF_Stream_Write(stream, (const HPDF_BYTE *)lz->scratch->p,
                           (HPDF_UINT)lz->scratch->n);
}

sb_haru_obj *sb_haru_dict_lazy(sb_haru *h, sb_haru_lazy *lz) {
  HPDF_Dict d = HPDF_Dict_New(h->pdf->mmgr);

  if (!d || HPDF_Xref_Add(h->pdf->xref, d) != HPDF_OK)
    return NULL; /* HPDF_Xref_Add frees d on failure */
  lz->scratch = &h->lazy;
  d->attr = lz;
  d->write_fn = write_lazy;
  return OBJ(d);
}

long sb_haru_num(const sb_haru_obj *o) {
  const HPDF_Obj_Header *hd = o ? (const HPDF_Obj_Header *)(const void *)o : NULL;

  if (!hd || !(hd->obj_id & HPDF_OTYPE_INDIRECT))
    return 0;
  return (long)(hd->obj_id & 0x00FFFFFF);
}

/* write_fn of a stream whose data is already deflated (below). */
static HPDF_STATUS declare_flate(HPDF_Dict dict, HPDF_Stream stream);

sb_haru_obj *sb_haru_stream_flate(sb_haru *h, const void *z, size_t n) {
  HPDF_Dict d = HPDF_DictStream_New(h->pdf->mmgr, h->pdf->xref);

  if (!d)
    return NULL;
  /* as a page's content (sb_haru_set_contents): libharu leaves the bytes
  ** alone and the dict declares the filter */
  d->filter = HPDF_STREAM_FILTER_NONE;
  d->write_fn = declare_flate;
  if (n > 0 && (n > 0xFFFFFFFFu ||
                HPDF_Stream_Write(d->stream, z, (HPDF_UINT)n) != HPDF_OK))
    return NULL;
  return OBJ(d);
}

sb_haru_obj *sb_haru_stream_plain(sb_haru *h, const void *data, size_t n) {
  HPDF_Dict d = HPDF_DictStream_New(h->pdf->mmgr, h->pdf->xref);

  if (!d)
    return NULL;
  d->filter = HPDF_STREAM_FILTER_NONE;
  if (n > 0 && (n > 0xFFFFFFFFu ||
                HPDF_Stream_Write(d->stream, data, (HPDF_UINT)n) != HPDF_OK))
    return NULL;
  return OBJ(d);
}

void sb_haru_put_bool(sb_haru_obj *dict, const char *key, int v) {
  HPDF_Dict_AddBoolean(DICT(dict), key, v ? HPDF_TRUE : HPDF_FALSE);
}

static const char *clip_str(sb_haru *h, const char *s);

/* ==== PDF text strings ==== */

/* libharu writes a string made with its UTF-8 encoder as "<FEFF", the
** UTF-16BE code units in upper-case hex, ">" (HPDF_String_Write), and a
** binary string as "<", its bytes in upper-case hex, ">" (HPDF_Binary_
** Write): so FE FF and the UTF-16BE units as a binary string are the same
** bytes in the file. The encoder costs a document 1.4 M instructions the
** first time it is asked for (HPDF_GetEncoder builds its CMap: ~2 % of a
** batch of small profiles), so text it would write exactly so is made
** here: printable ASCII and the 2- and 3-byte sequences of U+0080..U+FFFF
** other than surrogates. Anything else (control characters, DEL,
** characters beyond the BMP, invalid bytes) goes through the encoder, as
** before. test_pdf compares the two for many strings. */
static _Thread_local int text_direct = 1;
static _Thread_local long text_direct_made; /* for the test */

long sb_haru_text_direct(int on) {
  text_direct = on;
  return text_direct_made;
}

/* The binary string for s, or NULL when s holds something the encoder
** must write (above). */
static HPDF_Binary utf16_binary(sb_haru *h, const char *s) {
  const unsigned char *u = (const unsigned char *)s;
  size_t n = strlen(s), k = 0;
  HPDF_BYTE stackbuf[512], *b;
  HPDF_Binary r;

  if (!text_direct || n > SB_PDF_MAX_STR + 3) /* clip_str's cut and "…" */
    return NULL;
  b = 2 * n + 2 <= sizeof stackbuf ? stackbuf : malloc(2 * n + 2);
  if (!b)
    return NULL;
  b[k++] = 0xFE;
  b[k++] = 0xFF;
  for (size_t i = 0; i < n;) {
    unsigned c;
    if (u[i] >= 0x20 && u[i] < 0x7F) {
      c = u[i++];
    } else if (u[i] >= 0xC2 && u[i] < 0xE0 && i + 1 < n &&
               (u[i + 1] & 0xC0) == 0x80) {
      c = (unsigned)(u[i] & 0x1F) << 6 | (u[i + 1] & 0x3F);
      i += 2;
    } else if ((u[i] & 0xF0) == 0xE0 && i + 2 < n &&
               (u[i + 1] & 0xC0) == 0x80 && (u[i + 2] & 0xC0) == 0x80 &&
               (c = (unsigned)(u[i] & 0x0F) << 12 |
                    (unsigned)(u[i + 1] & 0x3F) << 6 | (u[i + 2] & 0x3F)) >=
                   0x800 &&
               (c < 0xD800 || c > 0xDFFF)) {
      i += 3;
    } else {
      if (b != stackbuf)
        free(b);
      return NULL;
    }
    b[k++] = (HPDF_BYTE)(c >> 8);
    b[k++] = (HPDF_BYTE)c;
  }
  r = HPDF_Binary_New(h->pdf->mmgr, b, (HPDF_UINT)k);
  if (b != stackbuf)
    free(b);
  text_direct_made += r != NULL;
  return r;
}

/* The PDF text string of s (clipped as every info string and title). */
static void *text_obj(sb_haru *h, const char *s) {
  HPDF_Binary b;

  s = clip_str(h, s ? s : "");
  b = utf16_binary(h, s);
  if (b)
    return b;
  return HPDF_String_New(h->pdf->mmgr, s, HPDF_GetEncoder(h->pdf, "UTF-8"));
}

void sb_haru_put_text(sb_haru *h, sb_haru_obj *dict, const char *key,
                      const char *s) {
  HPDF_Dict_Add(DICT(dict), key, text_obj(h, s));
}

void sb_haru_push_real(sb_haru_obj *array, double v) {
  HPDF_Array_AddReal(ARRAY(array), (HPDF_REAL)v);
}

void sb_haru_push_name(sb_haru_obj *array, const char *name) {
  HPDF_Array_AddName(ARRAY(array), name);
}

sb_haru_obj *sb_haru_catalog(sb_haru *h) { return OBJ(h->pdf->catalog); }

sb_haru_obj *sb_haru_page_dict(sb_haru *h, int page) {
  return sb_haru_has_page(h, page) ? OBJ(h->pages[page]) : NULL;
}

int sb_haru_push(sb_haru_obj *array, sb_haru_obj *value) {
  return HPDF_Array_Add(ARRAY(array), value) == HPDF_OK ? 0 : -1;
}

void sb_haru_push_int(sb_haru_obj *array, long v) {
  HPDF_Array_AddNumber(ARRAY(array), (HPDF_INT32)v);
}

/* ==== Pages ==== */

sb_status sb_haru_add_page(sb_ctx *ctx, sb_haru *h, int page, double w,
                           double ht) {
  HPDF_Page pg;

  h->cur = page;
  pg = HPDF_AddPage(h->pdf);
  if (!pg)
    return sb_haru_check(ctx, h);
  HPDF_Page_SetWidth(pg, (HPDF_REAL)w);
  HPDF_Page_SetHeight(pg, (HPDF_REAL)ht);
  if (page >= 0 && page < h->npages)
    h->pages[page] = pg;
  return SB_OK;
}

sb_status sb_haru_end_page(sb_ctx *ctx, sb_haru *h) {
  sb_status st = sb_haru_check(ctx, h);

  h->cur = -1;
  return st;
}

int sb_haru_has_page(const sb_haru *h, int page) {
  return page >= 0 && page < h->npages && h->pages[page];
}

static HPDF_Page cur_page(const sb_haru *h) {
  return sb_haru_has_page(h, h->cur) ? h->pages[h->cur] : NULL;
}

const char *sb_haru_font_name(sb_haru *h, sb_haru_obj *font) {
  /* any indirect dict will do as a font resource */
  return HPDF_Page_GetLocalFontName(cur_page(h), (HPDF_Font)DICT(font));
}

const char *sb_haru_alpha_name(sb_haru *h, double alpha) {
  haru_alpha *a = NULL;
  int i;

  for (i = 0; i < h->nalphas && !a; i++)
    if (h->alphas[i].alpha == alpha)
      a = &h->alphas[i];
  if (!a) {
    /* (one entry per distinct alpha a document uses: a handful) */
    if (SB_GROW(h->alphas, h->nalphas, h->capalphas, 8, INT_MAX) != SB_OK)
      return NULL;
    a = &h->alphas[h->nalphas++];
    a->alpha = alpha;
    a->gs = HPDF_CreateExtGState(h->pdf);
    HPDF_ExtGState_SetAlphaFill(a->gs, (HPDF_REAL)(alpha < 0   ? 0
                                                   : alpha > 1 ? 1
                                                               : alpha));
  }
  return a->gs ? HPDF_Page_GetExtGStateName(cur_page(h), a->gs) : NULL;
}

const char *sb_haru_image_name(sb_haru *h, const void *png, size_t n) {
  HPDF_Image im = NULL;
  int i;

  if (!png || n == 0 || n > 0xFFFFFFFFu)
    return NULL;
  for (i = 0; i < h->nimg; i++)
    if (h->img_key[i] == png)
      im = h->img[i];
  if (!im) {
    im = HPDF_LoadPngImageFromMem(h->pdf, png, (HPDF_UINT)n);
    if (!im)
      return NULL; /* the error handler has recorded it */
    if (h->nimg < SB_HARU_IMAGES) {
      h->img_key[h->nimg] = png;
      h->img[h->nimg++] = im;
    }
  }
  return HPDF_Page_GetXObjectName(cur_page(h), im);
}

/* Writes "/Filter /FlateDecode" into a stream's dictionary, whose data is
** already deflated (see the file's header). */
static HPDF_STATUS declare_flate(HPDF_Dict dict, HPDF_Stream stream) {
  (void)dict;
  return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

sb_status sb_haru_set_contents(sb_ctx *ctx, sb_haru *h, int page,
                               const void *z, size_t n) {
  HPDF_PageAttr attr;

  if (!sb_haru_has_page(h, page))
    return SB_OK;
  attr = (HPDF_PageAttr)((HPDF_Dict)h->pages[page])->attr;
  attr->contents->filter = HPDF_STREAM_FILTER_NONE;
  attr->contents->write_fn = declare_flate;
  if (n > 0xFFFFFFFFu ||
      HPDF_Stream_Write(attr->stream, z, (HPDF_UINT)n) != HPDF_OK)
    return sb_haru_check(ctx, h) != SB_OK
               ? ctx->status
               : sb_fail(ctx, SB_E_PDF, "page %d too large", page + 1);
  return SB_OK;
}

/* ==== Links and outlines ==== */

/* [page /XYZ null top null]: keeps the reader's left and zoom. */
static HPDF_Destination make_dest(sb_haru *h, int page, double y) {
  HPDF_Page target = h->pages[page];
  HPDF_Destination d = HPDF_Page_CreateDestination(target);
  HPDF_REAL top;

  if (!d)
    return NULL;
  top = (HPDF_REAL)(HPDF_Page_GetHeight(target) - y);
  HPDF_Array_Clear(d);
  HPDF_Array_Add(d, target);
  HPDF_Array_AddName(d, "XYZ");
  HPDF_Array_Add(d, HPDF_Null_New(h->pdf->mmgr));
  HPDF_Array_AddReal(d, top);
  HPDF_Array_Add(d, HPDF_Null_New(h->pdf->mmgr));
  return d;
}

sb_haru_obj *sb_haru_add_link(sb_haru *h, int from, const double rect[4],
                              int to, double dest_y) {
  HPDF_Rect r;
  HPDF_Destination d;
  HPDF_Annotation a;

  if (!sb_haru_has_page(h, from) || !sb_haru_has_page(h, to))
    return NULL;
  r.left = (HPDF_REAL)rect[0];
  r.bottom = (HPDF_REAL)rect[1];
  r.right = (HPDF_REAL)rect[2];
  r.top = (HPDF_REAL)rect[3];
  d = make_dest(h, to, dest_y);
  a = HPDF_Page_CreateLinkAnnot(h->pages[from], r, d);
  if (a) {
    HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
    HPDF_Dict_AddNumber(a, "F", 4); /* Print: a printed page keeps it */
  }
  return OBJ(a);
}

void sb_haru_page_annot(sb_haru *h, int page, sb_haru_obj *annot) {
  HPDF_Array a;

  if (!sb_haru_has_page(h, page) || !annot)
    return;
  /* the array libharu's own annotations go into (hpdf_pages.c) */
  a = HPDF_Dict_GetItem(h->pages[page], "Annots", HPDF_OCLASS_ARRAY);
  if (!a) {
    a = HPDF_Array_New(h->pdf->mmgr);
    if (!a || HPDF_Dict_Add(h->pages[page], "Annots", a) != HPDF_OK)
      return;
  }
  HPDF_Array_Add(a, DICT(annot));
}

/* libharu refuses a string of more than 65,535 bytes (HPDF_STRING_OUT_OF_
** RANGE, which fails the whole document): info strings and outline titles
** come from the catalogue, so they are cut at a character boundary, with an
** ellipsis, well below that. Returns s, or a copy in h->text. */
size_t sb_pdf_clip_len(const char *s) {
  size_t n = strlen(s);

  if (n <= SB_PDF_MAX_STR)
    return n;
  n = SB_PDF_MAX_STR;
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
    n--;
  return n;
}

static const char *clip_str(sb_haru *h, const char *s) {
  size_t n = sb_pdf_clip_len(s);

  if (n == strlen(s))
    return s;
  h->text.n = 0;
  sb_buf_add(&h->text, s, n);
  sb_buf_adds(&h->text, "\xE2\x80\xA6");
  return h->text.p;
}

int sb_haru_add_outlines(sb_haru *h, const sb_dl *dl) {
  HPDF_Outline parent[16];
  int i, top = -1, made = 0;

  for (i = 0; i < dl->noutlines; i++) {
    const sb_outline *o = &dl->outlines[i];
    int d = o->depth > top + 1 ? top + 1 : o->depth;
    HPDF_Outline ol;
    if (d > 15)
      d = 15;
    if (!sb_haru_has_page(h, o->page))
      continue;
    /* made with an empty title, then given its text string in place
    ** (HPDF_Dict_Add replaces a key's value where it stands) */
    ol = HPDF_CreateOutline(h->pdf, d > 0 ? parent[d - 1] : NULL, "", NULL);
    if (!ol)
      return made;
    HPDF_Dict_Add(ol, "Title", text_obj(h, o->title));
    /* libharu writes /Type /Outlines into every item; only the root is
    ** of that type (an item has no /Type) */
    HPDF_Dict_RemoveElement(ol, "Type");
    HPDF_Outline_SetDestination(ol, make_dest(h, o->page, o->y));
    HPDF_Outline_SetOpened(ol, d == 0);
    parent[d] = ol;
    top = d;
    made++;
  }
  return made;
}

/* ==== Info, catalog, save ==== */

static HPDF_Date utc_date(long long t) {
  HPDF_Date d;
  time_t tt = (time_t)t;
  struct tm tm;

  memset(&d, 0, sizeof d);
  gmtime_r(&tt, &tm);
  d.year = tm.tm_year + 1900;
  d.month = tm.tm_mon + 1;
  d.day = tm.tm_mday;
  d.hour = tm.tm_hour;
  d.minutes = tm.tm_min;
  d.seconds = tm.tm_sec;
  d.ind = '+';
  return d;
}

static void set_info(sb_haru *h, const sb_docinfo *in) {
  const HPDF_InfoType type[] = {HPDF_INFO_TITLE, HPDF_INFO_AUTHOR,
                                HPDF_INFO_SUBJECT, HPDF_INFO_KEYWORDS,
                                HPDF_INFO_CREATOR};
  const char *const value[] = {in->title, in->author, in->subject,
                               in->keywords, in->creator};
  static const char *const key[] = {"Title", "Author", "Subject",
                                    "Keywords", "Creator", "Producer"};
  int i;

  /* Each entry is made by libharu (the first makes the info dict, in the
  ** same place among the objects as before) with an empty plain string,
  ** then given its text string in place (text_obj). */
  for (i = 0; i < 6; i++) {
    const char *v = i < 5 ? value[i] : SB_PDF_PRODUCER;
    if (!v)
      continue;
    if (HPDF_SetInfoAttr(h->pdf, i < 5 ? type[i] : HPDF_INFO_PRODUCER, "") ==
            HPDF_OK &&
        h->pdf->info)
      HPDF_Dict_Add(h->pdf->info, key[i], text_obj(h, v));
  }
  if (in->date >= 0) {
    HPDF_SetInfoDateAttr(h->pdf, HPDF_INFO_CREATION_DATE, utc_date(in->date));
    HPDF_SetInfoDateAttr(h->pdf, HPDF_INFO_MOD_DATE, utc_date(in->date));
  }
}

/* /Lang and /ViewerPreferences << /DisplayDocTitle true >>: no API. */
static void set_catalog(sb_haru *h, const sb_docinfo *in) {
  HPDF_Dict cat = h->pdf->catalog;
  HPDF_MMgr mm = h->pdf->mmgr;

  if (in->lang && in->lang[0])
    HPDF_Dict_Add(cat, "Lang", HPDF_String_New(mm, in->lang, NULL));
  if (in->title && in->title[0]) {
    HPDF_Dict vp = HPDF_Dict_New(mm);
    if (vp && HPDF_Dict_Add(cat, "ViewerPreferences", vp) == HPDF_OK)
      HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE);
  }
}

void sb_haru_finish(sb_haru *h, const sb_docinfo *in, int outlines) {
  if (outlines > 0)
    HPDF_SetPageMode(h->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
  if (HPDF_GetCurrentPage(h->pdf))
    HPDF_AddPageLabel(h->pdf, 0, HPDF_PAGE_NUM_STYLE_DECIMAL, 1, "");
  set_info(h, in);
  set_catalog(h, in);
}

/* The callback writer's write_fn: each piece libharu writes goes straight
** to the caller's buffer (sb_buf_add cannot fail: out of memory exits).
** Most pieces are a few bytes (a name, a number, a delimiter: ~200,000
** calls for the large tagged handbook), copied here byte by byte while
** they fit, without memcpy's call (sb_buf's NUL after them kept). */
static HPDF_STATUS write_out(HPDF_Stream stream, const HPDF_BYTE *ptr,
                             HPDF_UINT siz) {
  sb_haru *h = stream->attr;
  sb_buf *b = h->out;

  if (siz <= 16 && b->p && b->cap - b->n > siz) {
    char *d = b->p + b->n;
    HPDF_UINT i;
    for (i = 0; i < siz; i++)
      d[i] = (char)ptr[i];
    d[siz] = '\0';
    b->n += siz;
    return HPDF_OK;
  }
  sb_buf_add(b, ptr, siz);
  return HPDF_OK;
}

/* The trailer's /ID: two 16-byte strings written as placeholders (zeros)
** by libharu, and filled in after the save with the first 16 bytes of the
** SHA-256 of the whole file as saved (placeholders included): the same
** document gives the same bytes, and the trailer comes after every object
** and the xref, whose offsets a same-length rewrite leaves right. */
#define SB_PDF_ID_LEN 16

static int add_id_placeholder(sb_haru *h) {
  HPDF_BYTE zero[SB_PDF_ID_LEN] = {0}; /* copied by HPDF_Binary_New */
  HPDF_Array id = HPDF_Array_New(h->pdf->mmgr);
  int i;

  if (!id || HPDF_Dict_Add(h->pdf->trailer, "ID", id) != HPDF_OK)
    return -1;
  for (i = 0; i < 2; i++)
    if (HPDF_Array_Add(id, HPDF_Binary_New(h->pdf->mmgr, zero,
                                           SB_PDF_ID_LEN)) != HPDF_OK)
      return -1;
  return 0;
}

/* Finds "/ID [ <0...0> <0...0> ]" in the trailer at the end of
** p[0..n) and writes the digest's hex into both strings; s holds the
** digest of p's first `hashed` bytes already (pdf-objstm.c hashes what it
** moves). 0, or -1 when the trailer does not hold it as libharu 2.3.0
** writes it. */
static int fill_id(unsigned char *p, size_t n, sb_sha256 *s, size_t hashed) {
  static const char hex[] = "0123456789ABCDEF";
  uint8_t md[32];
  size_t at = n, k;
  int i, j;

  /* the trailer (or the cross-reference stream's dictionary, pdf-
  ** objstm.c) is near the file's end */
  do
    if (at-- == 0)
      return -1;
  while ((n - at < 8 || memcmp(p + at, "trailer\012", 8) != 0) &&
         (n - at < 12 || memcmp(p + at, "/Type /XRef\012", 12) != 0));
  for (; at + 4 < n && memcmp(p + at, "/ID ", 4) != 0; at++)
    ;
  if (at + 4 >= n || hashed > at)
    return -1;
  sb_sha256_update(s, p + hashed, n - hashed);
  sb_sha256_final(s, md);
  for (i = 0; i < 2; i++) {
    while (at < n && p[at] != '<')
      at++;
    if (n - at < 2 * SB_PDF_ID_LEN + 2 || p[at + 2 * SB_PDF_ID_LEN + 1] != '>')
      return -1;
    for (k = at + 1; k <= at + 2 * SB_PDF_ID_LEN; k++)
      if (p[k] != '0')
        return -1;
    for (j = 0; j < SB_PDF_ID_LEN; j++) {
      p[at + 1 + 2 * j] = (unsigned char)hex[md[j] >> 4];
      p[at + 2 + 2 * j] = (unsigned char)hex[md[j] & 15];
    }
    at += 2 * SB_PDF_ID_LEN + 2;
  }
  return 0;
}

void sb_haru_pack(sb_haru *h, int threaded) {
  h->pack = 1;
  h->pack_threaded = threaded;
}

void sb_haru_on_written(sb_haru *h, void (*fn)(void *), void *arg) {
  h->written = fn;
  h->written_arg = arg;
}

/* After libharu has written a file that is about to be rewritten: what
** only the writing needed goes (the caller's, then libharu's objects and
** their arena), so the rewrite's buffers take its place instead of
** adding to the peak. The document can then only be dropped. */
static void spend(sb_haru *h) {
  if (h->written)
    h->written(h->written_arg);
  h->written = NULL;
  arena_close(); /* libharu's records (no HPDF_Free) */
  h->pdf = NULL;
  h->spent = 1;
  sb_buf_free(&h->lazy);
  sb_drop_deflater(h->z); /* the rewrite makes its own, of another level */
  h->z = NULL;
}

/* The page contents that the rewrite fills in (sb_haru_save_pages): each
** page's content stream declared deflated and left empty, its numbers
** noted. Returns how many (sp has room for every page). */
static int empty_contents(sb_haru *h, pdf_splice *sp) {
  int i, k = 0;

  for (i = 0; i < h->npages; i++) {
    HPDF_PageAttr attr;
    HPDF_Number len;
    if (!sb_haru_has_page(h, i))
      continue;
    attr = (HPDF_PageAttr)((HPDF_Dict)h->pages[i])->attr;
    len = HPDF_Dict_GetItem(attr->contents, "Length", HPDF_OCLASS_NUMBER);
    attr->contents->filter = HPDF_STREAM_FILTER_NONE;
    attr->contents->write_fn = declare_flate;
    sp[k].num = (long)(attr->contents->header.obj_id & 0x00FFFFFF);
    sp[k].len_num = len && (len->header.obj_id & HPDF_OTYPE_INDIRECT)
                        ? (long)(len->header.obj_id & 0x00FFFFFF)
                        : 0; /* refused by the rewrite */
    sp[k].z = NULL;
    sp[k].n = (size_t)i; /* the page, until its bytes are known */
    k++;
  }
  return k;
}

/* sb_haru_save and sb_haru_save_pages: zq, when not NULL, holds the pages'
** deflated contents, which libharu has not been given. */
static sb_status save(sb_ctx *ctx, sb_haru *h, sb_buf *out, pdf_zq *zq) {
  size_t n0 = out->n, hashed = 0;
  HPDF_STATUS rc;
  sb_status st;
  pdf_packer *pk;
  pdf_splice *sp = NULL;
  int nsp = 0, i, bad;
  sb_sha256 sha;

  if (h->spent || h->pdf->stream) /* saved already: not with this writer */
    return sb_fail(ctx, SB_E_INTERNAL, "pdf document saved twice");
  if (zq && !h->pack)
    return sb_fail(ctx, SB_E_INTERNAL, "pdf contents left out of a plain file");
  h->pdf->stream = HPDF_CallbackWriter_New(h->pdf->mmgr, write_out, h);
  if (!h->pdf->stream)
    return sb_haru_check(ctx, h);
  /* every key written is PDF 1.7 (libharu says 1.3, or 1.4 once a
  ** transparency state exists, whatever the catalog holds) */
  h->pdf->pdf_version = HPDF_VER_17;
  if (add_id_placeholder(h) != 0)
    return sb_haru_check(ctx, h) != SB_OK
               ? ctx->status
               : sb_fail(ctx, SB_E_PDF, "libharu cannot add the /ID");
  if (zq) {
    sp = sb_xcalloc((size_t)(h->npages > 0 ? h->npages : 1), sizeof *sp);
    nsp = empty_contents(h, sp);
  }
  /* the packer's thread makes its compressor while libharu writes */
  pk = h->pack ? sb_pdf_packer_new(h->pack_threaded) : NULL;
  sb_sha256_init(&sha);
  h->out = out;
  rc = HPDF_SaveToStream(h->pdf);
  st = sb_haru_check(ctx, h);
  if (st == SB_OK && rc != HPDF_OK)
    st = sb_fail(ctx, SB_E_PDF, "libharu error 0x%04X saving", (unsigned)rc);
  if (zq) { /* the contents, deflated meanwhile (on both threads now) */
    bad = pdf_zq_finish(zq);
    if (st == SB_OK && bad >= 0)
      st = sb_fail(ctx, SB_E_PDF, "out of memory deflating page %d", bad + 1);
    for (i = 0; st == SB_OK && i < nsp; i++) {
      int page = (int)sp[i].n;
      sp[i].z = pdf_zq_get(zq, page, &sp[i].n);
      if (!sp[i].z)
        st = sb_fail(ctx, SB_E_INTERNAL, "page %d has no content", page + 1);
    }
  }
  if (st == SB_OK && pk) /* what only the writing needed goes first */
    spend(h);
  if (st == SB_OK && pk && /* libharu's file, rewritten in place */
      sb_pdf_pack_objects(out, n0, pk, sp, nsp, &sha, &hashed) != 0)
    st = sb_fail(ctx, SB_E_INTERNAL, "pdf not as libharu 2.3.0 writes it");
  sb_pdf_packer_free(pk);
  free(sp);
  for (i = 0; zq && i < h->npages; i++) /* in the file now */
    pdf_zq_release(zq, i);
  if (st == SB_OK &&
      fill_id((unsigned char *)out->p + n0, out->n - n0, &sha, hashed) != 0)
    st = sb_fail(ctx, SB_E_INTERNAL, "pdf trailer without its /ID");
  h->out = NULL;
  if (st != SB_OK) {
    out->n = n0;
    if (out->p)
      out->p[n0] = 0;
  }
  return st;
}

sb_status sb_haru_save(sb_ctx *ctx, sb_haru *h, sb_buf *out) {
  return save(ctx, h, out, NULL);
}

sb_status sb_haru_save_pages(sb_ctx *ctx, sb_haru *h, sb_buf *out,
                             pdf_zq *zq) {
  return save(ctx, h, out, zq);
}
