/*
** devices/hpdf-glyph.c -- a process-wide glyph-id table per TrueType cmap,
** interposed on libharu's HPDF_TTFontDef_GetGlyphid.
**
** Why: HPDF_GetFont builds /W and the CIDToGIDMap by asking
** HPDF_TTFontDef_GetGlyphid for all 65,536 BMP code points, and that
** function searches the cmap's format-4 segments linearly: about 700
** instructions a call with Liberation Sans, 47 M per face, three faces per
** document, every document (fontdefs are new objects in each HPDF_Doc).
**
** How: libhpdf-2.3.0.so (Debian 12) calls HPDF_TTFontDef_GetGlyphid
** through its PLT (objdump -d shows 4 call sites to GetGlyphid@plt), so the
** definition below, exported from the executable
** (-Wl,--export-dynamic-symbol, set on skillbook_core's users in
** CMakeLists.txt), is the one the dynamic linker binds those calls to. It
** answers from a 65,536-entry table when the fontdef has been bound to one
** (sb_pdf_glyph_bind, called by the pdf device right after
** HPDF_LoadTTFontFromFile, undone before HPDF_Free), and otherwise forwards
** to libharu's own function, found with dlsym(RTLD_NEXT).
** - Tables are keyed by the CONTENT of the cmap arrays (a full copy is kept
**   and compared, not just a hash), so a fontdef of a later document, or of
**   another file with the same cmap, finds the table built before.
** - A table is filled by calling libharu's original function for every
**   code point: its answers are libharu's, quirks included. A cmap whose
**   answers could depend on memory outside those arrays is not cached:
**   only format 4, segments present, the last end code reachable for
**   every code point, no index one past the glyph array (libharu reads it);
**   a C model of the lookup must also agree with every original answer.
**   seg_count_x2 == 0 (libharu sets HPDF_TTF_INVALID_CMAP) is forwarded.
** - Bindings are by fontdef pointer and also check attr, the cmap array
**   pointers and counts on every hit; the device unbinds before freeing
**   the document, so a recycled address never meets a stale binding.
** - sb_pdf_warm_fonts (pdf-device.c) fills the tables before the batch
**   forks its workers, which then share them copy-on-write.
** Thread-safety: none, on purpose; skillbook is single-threaded per
** process (the batch forks, it never starts threads).
** Risk: this relies on libharu 2.3.0's internals (the PLT call, the
** function's signature, HPDF_TTFontDefAttr's layout from the Debian-shipped
** hpdf_fontdef.h). tests/unit/test_glyphid.c fails if any of it stops being
** true: our answers against the original for every code point of the three
** bundled faces, libharu's calls reaching us, and a PDF byte-identical with
** and without the cache. SKILLBOOK_NO_GLYPH_CACHE=1 turns it off.
** Numbers (callgrind, release, cache on vs off, docs/performance.md):
** batch medium.xml -j 1 worker 34.4 G -> 22.1 G instructions (pdf_begin_doc
** 16.5 G -> 4.3 G for 100 documents); small r01 handbook 282 M -> 205 M.
** Tests: tests/unit/test_glyphid.c
*/
#define _GNU_SOURCE /* RTLD_NEXT; this file only */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/hpdf-glyph-imp.h"
#include "skillbook/base.h"

#define MAX_FACES 16 /* distinct cmaps kept (a style uses three) */
#define MAX_BINDS 32 /* live fontdefs (a document binds at most three) */

typedef struct glyph_face {
  HPDF_UINT16 seg_count_x2;
  HPDF_UINT glyph_id_array_count;
  HPDF_UINT16 *cmap; /* end, start, id_delta, id_range_offset, glyph ids */
  size_t ncmap;      /* uint16 values in cmap */
  HPDF_UINT16 gid[65536];
} glyph_face;

typedef struct glyph_bind {
  HPDF_FontDef fd;
  const void *attr;
  const HPDF_UINT16 *end_count, *glyph_id_array;
  HPDF_UINT16 seg_count_x2;
  HPDF_UINT glyph_id_array_count;
  const glyph_face *face;
} glyph_bind;

typedef HPDF_UINT16 (*glyphid_fn)(HPDF_FontDef, HPDF_UINT16);

static glyph_face *faces[MAX_FACES];
static int nfaces;
static glyph_bind binds[MAX_BINDS];
static int nbinds;
static const glyph_bind *last; /* the binding that answered last, or NULL */
static int enabled = -1; /* -1: not decided yet (environment) */
static sb_pdf_glyph_stats stats;

static glyphid_fn original(void) {
  static glyphid_fn fn;

  if (!fn) {
    void *p = dlsym(RTLD_NEXT, "HPDF_TTFontDef_GetGlyphid");
    memcpy(&fn, &p, sizeof fn); /* object to function pointer, POSIX-style */
    if (!fn || fn == HPDF_TTFontDef_GetGlyphid) {
      /* no libharu behind us: nothing sensible can be answered */
      fputs("skillbook: libharu's HPDF_TTFontDef_GetGlyphid not found\n",
            stderr);
      abort();
    }
  }
  return fn;
}

HPDF_UINT16 sb_pdf_glyph_original(HPDF_FontDef fd, HPDF_UINT16 unicode) {
  return original()(fd, unicode);
}

/* 1 when b still describes fd's cmap (it cannot change while bound; this
** is a cheap guard, not the content check, which bind does). */
static int still_valid(const glyph_bind *b, HPDF_FontDef fd) {
  const HPDF_TTFontDefAttr a = (HPDF_TTFontDefAttr)fd->attr;

  return b->attr == a && b->end_count == a->cmap.end_count &&
         b->glyph_id_array == a->cmap.glyph_id_array &&
         b->seg_count_x2 == a->cmap.seg_count_x2 &&
         b->glyph_id_array_count == a->cmap.glyph_id_array_count;
}

/* The interposer. Hot: GetFont calls it 65,536 times per face, and
** HPDF_Page_TextOut once per character shown (via GetCharWidth). */
HPDF_UINT16 HPDF_TTFontDef_GetGlyphid(HPDF_FontDef fd, HPDF_UINT16 unicode) {
  const glyph_bind *b = last;
  int i;

  if (!b || b->fd != fd) {
    for (b = NULL, i = 0; i < nbinds && !b; i++)
      if (binds[i].fd == fd)
        b = &binds[i];
  }
  if (b && still_valid(b, fd)) {
    last = b;
    stats.hits++;
    return b->face->gid[unicode];
  }
  stats.forwarded++;
  return original()(fd, unicode);
}

static int is_enabled(void) {
  if (enabled < 0) {
    const char *e = getenv("SKILLBOOK_NO_GLYPH_CACHE");
    enabled = !(e && e[0] && strcmp(e, "0") != 0);
  }
  return enabled;
}

void sb_pdf_glyph_set_enabled(int on) {
  enabled = on != 0;
}

sb_pdf_glyph_stats sb_pdf_glyph_cache_stats(void) {
  sb_pdf_glyph_stats s = stats;
  s.faces = nfaces;
  s.bound = nbinds;
  return s;
}

/* 1 when the cmap's arrays can be copied and compared: format 4 with
** segments (format 0 is a direct index already; seg_count_x2 == 0 is
** libharu's HPDF_TTF_INVALID_CMAP). */
static int comparable(const HPDF_TTF_CmapRange *c) {
  return c->format == 4 && c->seg_count_x2 / 2u > 0 && c->end_count &&
         c->start_count && c->id_delta && c->id_range_offset &&
         (c->glyph_id_array || c->glyph_id_array_count == 0);
}

/* For a comparable cmap: 1 when every answer libharu 2.3.0 gives for it
** depends only on the arrays we copy: every code point finds a
** segment (libharu reads start_count[seg_count] otherwise) and no index
** lands one past the glyph array (libharu tests idx > count, not >=). The
** C model of libharu's lookup is checked against the original later. */
static int modelled(const HPDF_TTF_CmapRange *c) {
  HPDF_UINT segs = c->seg_count_x2 / 2u, i = 0;
  unsigned u;

  for (u = 0; u < 65536; u++) {
    /* libharu takes the first segment whose end >= u: monotone in u */
    while (i < segs && c->end_count[i] < u)
      i++;
    if (i == segs)
      return 0;
    if (c->start_count[i] <= u && c->id_range_offset[i] != 0) {
      HPDF_UINT idx = c->id_range_offset[i] / 2 + (u - c->start_count[i]) -
                      (segs - i);
      if (idx == c->glyph_id_array_count)
        return 0;
    }
  }
  return 1;
}

/* libharu 2.3.0's lookup, for a cmap that passed modelled(). */
static HPDF_UINT16 model_lookup(const HPDF_TTF_CmapRange *c, unsigned u,
                                HPDF_UINT i) {
  HPDF_UINT segs = c->seg_count_x2 / 2u, idx;

  if (c->start_count[i] > u)
    return 0;
  if (c->id_range_offset[i] == 0)
    return (HPDF_UINT16)(u + (unsigned)c->id_delta[i]);
  idx = c->id_range_offset[i] / 2 + (u - c->start_count[i]) - (segs - i);
  return idx > c->glyph_id_array_count ? 0 : c->glyph_id_array[idx];
}

static size_t cmap_len(const HPDF_TTF_CmapRange *c) {
  return 4u * (c->seg_count_x2 / 2u) + c->glyph_id_array_count;
}

static void copy_cmap(const HPDF_TTF_CmapRange *c, HPDF_UINT16 *out) {
  size_t segs = c->seg_count_x2 / 2u;

  memcpy(out, c->end_count, segs * 2);
  memcpy(out + segs, c->start_count, segs * 2);
  memcpy(out + 2 * segs, c->id_delta, segs * 2);
  memcpy(out + 3 * segs, c->id_range_offset, segs * 2);
  if (c->glyph_id_array_count)
    memcpy(out + 4 * segs, c->glyph_id_array,
           (size_t)c->glyph_id_array_count * 2);
}

static int same_cmap(const glyph_face *f, const HPDF_TTF_CmapRange *c) {
  size_t segs = c->seg_count_x2 / 2u;
  const HPDF_UINT16 *p = f->cmap;

  return f->seg_count_x2 == c->seg_count_x2 &&
         f->glyph_id_array_count == c->glyph_id_array_count &&
         memcmp(p, c->end_count, segs * 2) == 0 &&
         memcmp(p + segs, c->start_count, segs * 2) == 0 &&
         memcmp(p + 2 * segs, c->id_delta, segs * 2) == 0 &&
         memcmp(p + 3 * segs, c->id_range_offset, segs * 2) == 0 &&
         (c->glyph_id_array_count == 0 ||
          memcmp(p + 4 * segs, c->glyph_id_array,
                 (size_t)c->glyph_id_array_count * 2) == 0);
}

/* Builds the table of fd's cmap from libharu's own answers. NULL when the
** model disagrees with libharu anywhere (then this is not the libharu the
** code was written for: cache nothing). */
static glyph_face *fill_face(HPDF_FontDef fd, const HPDF_TTF_CmapRange *c) {
  glyph_face *f = sb_xmalloc(sizeof *f);
  glyphid_fn orig = original();
  HPDF_UINT segs = c->seg_count_x2 / 2u, i = 0;
  unsigned u;

  for (u = 0; u < 65536; u++) {
    while (i < segs && c->end_count[i] < u)
      i++;
    f->gid[u] = orig(fd, (HPDF_UINT16)u);
    if (f->gid[u] != model_lookup(c, u, i)) {
      free(f);
      return NULL;
    }
  }
  f->seg_count_x2 = c->seg_count_x2;
  f->glyph_id_array_count = c->glyph_id_array_count;
  f->ncmap = cmap_len(c);
  f->cmap = sb_xmalloc(f->ncmap * 2 + 2);
  copy_cmap(c, f->cmap);
  stats.fills++;
  return f;
}

int sb_pdf_glyph_bind(HPDF_FontDef fd) {
  HPDF_TTFontDefAttr a;
  const glyph_face *face = NULL;
  glyph_bind *b;
  int i;

  if (!fd || fd->type != HPDF_FONTDEF_TYPE_TRUETYPE || !fd->attr ||
      !is_enabled())
    return 0;
  a = (HPDF_TTFontDefAttr)fd->attr;
  if (!comparable(&a->cmap))
    return 0;
  sb_pdf_glyph_unbind(fd); /* a stale binding at a recycled address */
  if (nbinds == MAX_BINDS)
    return 0;
  for (i = 0; i < nfaces && !face; i++)
    if (same_cmap(faces[i], &a->cmap))
      face = faces[i];
  if (!face) {
    /* a new cmap: the same content always gets the same verdict, so this
    ** sweep runs once per cmap, not per document */
    if (nfaces == MAX_FACES || !modelled(&a->cmap))
      return 0;
    if (!(faces[nfaces] = fill_face(fd, &a->cmap)))
      return 0;
    face = faces[nfaces++];
  }
  last = NULL;
  b = &binds[nbinds++];
  b->fd = fd;
  b->attr = a;
  b->end_count = a->cmap.end_count;
  b->glyph_id_array = a->cmap.glyph_id_array;
  b->seg_count_x2 = a->cmap.seg_count_x2;
  b->glyph_id_array_count = a->cmap.glyph_id_array_count;
  b->face = face;
  return 1;
}

void sb_pdf_glyph_unbind(HPDF_FontDef fd) {
  int i;

  for (i = 0; i < nbinds; i++)
    if (binds[i].fd == fd) {
      last = NULL; /* the array is compacted: pointers into it move */
      binds[i] = binds[--nbinds];
      return;
    }
}
