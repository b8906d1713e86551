/*
** font/font.c -- TrueType faces read with FreeType: checks, coverage, metrics.
**
** The only file that includes FreeType. sb_load_font opens the face once,
** refuses anything libharu cannot embed (not sfnt, or no 'glyf' table, as
** in CFF-flavoured .otf), copies what layout needs (a 65,536-entry advance
** table for the BMP, ascent, descent, names, the 'kern' table's pairs:
** "Kerning" below) and closes the face again, so an sb_font holds no
** FreeType state and can be shared by a whole batch.
**
** The numbers are libharu 2.3.0's (hpdf_fontdef_tt.c): an advance is
** (uint16)(hmtx advance * 1000 / unitsPerEm), truncated; ascent and
** descent are hhea's, scaled the same way with C's truncation toward zero.
** tests/unit/test_font.c compares every covered BMP code point against
** HPDF_Font_GetUnicodeWidth, so a different libharu would be noticed.
** Errors: SB_E_FONT naming the file.
*/
#define _DEFAULT_SOURCE /* madvise */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include FT_FONT_FORMATS_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H

#include "skillbook/font.h"

#define NOT_COVERED INT16_MIN

/* Pair kerning, from the 'kern' table (kern.c): an open-addressing table
** of glyph pairs, and a bitmap of the glyphs that start a pair. */
typedef struct kern_pair {
  uint32_t key;         /* left glyph << 16 | right glyph; 0 = empty */
  int16_t value;        /* 1/1000 em */
} kern_pair;

struct sb_font {
  int refs;
  char *path;
  char *name;
  int ascent, descent;
  sb_font_desc desc;
  unsigned char *data;  /* the whole file, for embedding (subset.c) */
  size_t size;
  int16_t adv[65536];   /* 1/1000 em, NOT_COVERED when the cmap has no glyph */
  uint16_t gid[65536];  /* glyph index per BMP code point, 0 = none */
  kern_pair *kern;      /* kcap slots, NULL when the face has no pairs */
  size_t kcap, npairs;
  uint8_t kern_left[65536 / 8]; /* glyphs that start a pair */
  uint8_t kern_left_cp[65536 / 8]; /* BMP code points above U+0020 whose
                                      glyph starts a pair */
};

/* Makes the whole pages of [p, p + n) present in one call (MADV_POPULATE_WRITE,
** Linux 5.14): an sb_font is 272 KB that fill_metrics writes throughout,
** 68 faults of ~13 us each on this VM when its pages are fresh 4 KB ones.
** Best effort: an older
** kernel, or pages already there, change nothing. */
static void prefault(void *p, size_t n) {
#ifdef MADV_POPULATE_WRITE
  uintptr_t lo = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
  uintptr_t hi = ((uintptr_t)p + n) & ~(uintptr_t)4095;
  if (hi > lo)
    (void)madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);
#else
  (void)p;
  (void)n;
#endif
}

static const char *ft_msg(FT_Error err, char *buf, size_t n) {
  const char *s = FT_Error_String(err);
  if (s)
    return s;
  snprintf(buf, n, "error 0x%02X", (unsigned)err);
  return buf;
}

/* The clear refusals: not sfnt, CFF outlines, no glyf. */
static sb_status check_face(sb_ctx *ctx, const char *path, FT_Face face) {
  FT_ULong len = 0;

  if (!FT_IS_SFNT(face))
    return sb_fail(ctx, SB_E_FONT,
                   "%s: not a TrueType font (FreeType reads it as %s)", path,
                   FT_Get_Font_Format(face));
  if (FT_Load_Sfnt_Table(face, TTAG_glyf, 0, NULL, &len) == 0 && len > 0)
    return SB_OK;
  len = 0;
  if (FT_Load_Sfnt_Table(face, TTAG_CFF, 0, NULL, &len) == 0 ||
      FT_Load_Sfnt_Table(face, TTAG_CFF2, 0, NULL, &len) == 0)
    return sb_fail(ctx, SB_E_FONT,
                   "%s: is an OpenType/CFF font; skillbook embeds TrueType "
                   "(glyf) fonts only",
                   path);
  return sb_fail(ctx, SB_E_FONT, "%s: not a TrueType font (no 'glyf' table)",
                 path);
}

/* libharu's truncation: (HPDF_UINT16)(advance * 1000 / unitsPerEm). */
static int16_t scale_advance(FT_Fixed units, unsigned upem) {
  return (int16_t)(uint16_t)((unsigned)units * 1000u / upem);
}

/* Fills the advance table from the Unicode cmap, BMP only. */
static sb_status fill_metrics(sb_ctx *ctx, const char *path, FT_Face face,
                              sb_font *f) {
  TT_HoriHeader *hhea = FT_Get_Sfnt_Table(face, FT_SFNT_HHEA);
  unsigned upem = face->units_per_EM;
  FT_ULong cp;
  FT_UInt gid;
  size_t i;

  if (!hhea || upem == 0)
    return sb_fail(ctx, SB_E_FONT, "%s: no 'hhea' table or no unitsPerEm",
                   path);
  if (FT_Select_Charmap(face, FT_ENCODING_UNICODE) != 0)
    return sb_fail(ctx, SB_E_FONT, "%s: has no Unicode character map", path);
  f->ascent = (int16_t)((int32_t)hhea->Ascender * 1000 / (int32_t)upem);
  f->descent = (int16_t)((int32_t)hhea->Descender * 1000 / (int32_t)upem);
  for (i = 0; i < 65536; i++)
    f->adv[i] = NOT_COVERED;
  for (cp = FT_Get_First_Char(face, &gid); gid != 0 && cp < 65536;
       cp = FT_Get_Next_Char(face, cp, &gid)) {
    FT_Fixed a = 0;
    if (FT_Get_Advance(face, gid, FT_LOAD_NO_SCALE, &a) != 0)
      return sb_fail(ctx, SB_E_FONT, "%s: cannot read the advance of U+%04lX",
                     path, cp);
    f->adv[cp] = scale_advance(a, upem);
    f->gid[cp] = (uint16_t)gid;
  }
  return SB_OK;
}

/* What a PDF font descriptor says, in 1/1000 em (font units scaled with
** C's truncation, like the advances). */
static void fill_desc(FT_Face face, sb_font *f) {
  TT_OS2 *os2 = FT_Get_Sfnt_Table(face, FT_SFNT_OS2);
  TT_Postscript *post = FT_Get_Sfnt_Table(face, FT_SFNT_POST);
  int32_t upem = (int32_t)face->units_per_EM;
  sb_font_desc *d = &f->desc;

  d->bbox[0] = (int)((int32_t)face->bbox.xMin * 1000 / upem);
  d->bbox[1] = (int)((int32_t)face->bbox.yMin * 1000 / upem);
  d->bbox[2] = (int)((int32_t)face->bbox.xMax * 1000 / upem);
  d->bbox[3] = (int)((int32_t)face->bbox.yMax * 1000 / upem);
  d->italic_angle = post ? (double)post->italicAngle / 65536.0 : 0;
  d->cap_height = os2 && os2->version >= 2 && os2->sCapHeight > 0
                      ? (int)((int32_t)os2->sCapHeight * 1000 / upem)
                      : f->ascent;
  d->weight = os2 ? os2->usWeightClass : 400;
  d->fixed_pitch = FT_IS_FIXED_WIDTH(face) ? 1 : 0;
}

/* ==== Kerning ====
**
** The 'kern' table's horizontal format 0 subtables (the table FreeType's
** FT_Get_Kerning reads, with the same rules: a subtable counts when its
** coverage is "horizontal" alone, optionally "override"; values of the
** subtables add up, an override replaces). Values are scaled to 1/1000 em
** rounded to the nearest. The table comes from a user's font: every read
** is bounded by the table's length, the pair count is capped, and a
** subtable that lies about its size is cut where the table ends. GPOS
** pair adjustments are not read (docs/pdf.md). */

#define KERN_MAX_PAIRS 65536 /* at most this many pairs are kept */
#define KERN_MAX_VALUE 1000  /* |value| in 1/1000 em, clamped */

static unsigned rd16(const unsigned char *p) {
  return (unsigned)p[0] << 8 | p[1];
}

static uint32_t kern_slot(uint32_t key, size_t cap) {
  return (uint32_t)((key * 2654435761u) & (uint32_t)(cap - 1));
}

/* The pair's slot: where key is, or the empty slot where it would go. */
static kern_pair *kern_find(kern_pair *tab, size_t cap, uint32_t key) {
  uint32_t j = kern_slot(key, cap);
  while (tab[j].key && tab[j].key != key)
    j = (j + 1) & (uint32_t)(cap - 1);
  return &tab[j];
}

/* Raw (font unit) values per pair are summed in an int32 scratch table,
** then scaled. */
typedef struct raw_pair {
  uint32_t key;
  int32_t units;
} raw_pair;

static void kern_add(raw_pair *tab, size_t cap, size_t *n, uint32_t key,
                     int units, int override) {
  uint32_t j = kern_slot(key, cap);
  while (tab[j].key && tab[j].key != key)
    j = (j + 1) & (uint32_t)(cap - 1);
  if (!tab[j].key) {
    if (*n >= KERN_MAX_PAIRS)
      return;
    tab[j].key = key;
    (*n)++;
  }
  if (override)
    tab[j].units = units;
  else if (tab[j].units > -1000000 && tab[j].units < 1000000)
    tab[j].units += units;
}

static int scale_kern(int32_t units, unsigned upem) {
  long long v = (long long)units * 1000;
  v = (v < 0 ? v - upem / 2 : v + upem / 2) / (long long)upem;
  return (int)(v < -KERN_MAX_VALUE ? -KERN_MAX_VALUE
               : v > KERN_MAX_VALUE ? KERN_MAX_VALUE : v);
}

/* Reads the kern table t[0..n) into f (nothing when it has no usable
** subtable). A pair whose left or right glyph is 0 is ignored. */
static void parse_kern(const unsigned char *t, size_t n, unsigned upem,
                       sb_font *f) {
  const unsigned char *p = t + 4, *end = t + n;
  size_t cap = 1024, nraw = 0, i;
  raw_pair *raw;
  unsigned k, ntables;

  if (n < 4 || rd16(t) != 0) /* version 0 (Apple's 1.0 is not read) */
    return;
  ntables = rd16(t + 2);
  raw = sb_xcalloc(cap, sizeof *raw);
  for (k = 0; k < ntables && end - p >= 14; k++) {
    unsigned len = rd16(p + 2), cov = rd16(p + 4), np, j;
    const unsigned char *next = len > 14 && (size_t)(end - p) > len
                                    ? p + len : end;
    if (rd16(p) == 0 && (cov & ~8u) == 0x0001) { /* format 0, horizontal */
      np = rd16(p + 6);
      if ((size_t)(end - (p + 14)) / 6 < np)
        np = (unsigned)((size_t)(end - (p + 14)) / 6);
      for (j = 0; j < np; j++) {
        const unsigned char *q = p + 14 + 6 * (size_t)j;
        unsigned l = rd16(q), r = rd16(q + 2);
        int v = (int16_t)rd16(q + 4);
        if (!l || !r)
          continue;
        if ((nraw + 1) * 2 > cap) { /* keep the table half empty */
          raw_pair *old = raw;
          size_t oc = cap, m;
          cap *= 2;
          raw = sb_xcalloc(cap, sizeof *raw);
          for (m = 0; m < oc; m++)
            if (old[m].key) {
              uint32_t s = kern_slot(old[m].key, cap);
              while (raw[s].key)
                s = (s + 1) & (uint32_t)(cap - 1);
              raw[s] = old[m];
            }
          free(old);
        }
        kern_add(raw, cap, &nraw, (uint32_t)l << 16 | r, v, (cov & 8) != 0);
      }
    }
    p = next;
  }
  f->kcap = cap;
  f->kern = sb_xcalloc(cap, sizeof *f->kern);
  for (i = 0; i < cap; i++) {
    int v;
    if (!raw[i].key || (v = scale_kern(raw[i].units, upem)) == 0)
      continue;
    kern_find(f->kern, cap, raw[i].key)->key = raw[i].key;
    kern_find(f->kern, cap, raw[i].key)->value = (int16_t)v;
    f->kern_left[raw[i].key >> 19] |= (uint8_t)(1u << (raw[i].key >> 16 & 7));
    f->npairs++;
  }
  free(raw);
  if (!f->npairs) {
    free(f->kern);
    f->kern = NULL;
    f->kcap = 0;
    return;
  }
  for (i = 0x21; i < 65536; i++) /* (fill_metrics has filled gid) */
    if (f->gid[i] && (f->kern_left[f->gid[i] >> 3] & (1u << (f->gid[i] & 7))))
      f->kern_left_cp[i >> 3] |= (uint8_t)(1u << (i & 7));
}

/* The face's kern table, when it has one FreeType can give. */
static void load_kern(FT_Face face, sb_font *f) {
  FT_ULong len = 0;
  unsigned char *t;

  if (FT_Load_Sfnt_Table(face, TTAG_kern, 0, NULL, &len) != 0 || len < 4 ||
      len > SB_FONT_MAX_BYTES || face->units_per_EM == 0)
    return;
  t = sb_xmalloc(len);
  if (FT_Load_Sfnt_Table(face, TTAG_kern, 0, t, &len) == 0)
    parse_kern(t, len, face->units_per_EM, f);
  free(t);
}

/* The file's bytes, kept for embedding; read after FreeType accepted it. */
static sb_status read_data(sb_ctx *ctx, const char *path, sb_font *f) {
  size_t n = 0;
  char *p = NULL;
  sb_status st = sb_read_file(ctx, path, SB_FONT_MAX_BYTES, &p, &n);

  if (st != SB_OK)
    return st;
  f->data = (unsigned char *)p;
  f->size = n;
  return SB_OK;
}

/* The face of path, from its bytes when they are read already (data not
** NULL: FreeType reads the same bytes it would map, Debian's FreeType maps
** a file it opens), else from the file. */
static sb_status open_face(sb_ctx *ctx, const char *path, FT_Library lib,
                           const char *data, size_t size, FT_Face *face) {
  char buf[32];
  FT_Error err;

  if (data) {
    err = FT_New_Memory_Face(lib, (const FT_Byte *)data, (FT_Long)size, 0,
                             face);
  } else {
    FILE *fp = fopen(path, "rb");
    if (!fp)
      return sb_fail(ctx, SB_E_FONT, "%s: cannot open font: %s", path,
                     strerror(errno));
    fclose(fp);
    err = FT_New_Face(lib, path, 0, face);
  }
  if (err) {
    *face = NULL;
    return sb_fail(ctx, SB_E_FONT, "%s: not a TrueType font (FreeType: %s)",
                   path, ft_msg(err, buf, sizeof buf));
  }
  return SB_OK;
}

sb_status sb_load_font(sb_ctx *ctx, const char *path, sb_font **out) {
  FT_Library lib = NULL;
  FT_Face face = NULL;
  sb_font *f = NULL;
  const char *ps;
  sb_status st;
  size_t size = 0;
  char *data;

  *out = NULL;
  if (FT_Init_FreeType(&lib) != 0)
    return sb_fail(ctx, SB_E_FONT, "%s: cannot initialise FreeType", path);
  /* the file read once, for FreeType and for embedding; NULL when anything
  ** is unusual: then FreeType opens it and read_data reads it, and either
  ** says what is wrong, as they always did */
  data = sb_read_regular(path, SB_FONT_MAX_BYTES, &size);
  if ((st = open_face(ctx, path, lib, data, size, &face)) != SB_OK)
    goto fail;
  if ((st = check_face(ctx, path, face)) != SB_OK)
    goto fail;
  f = sb_xmalloc(sizeof *f);
  prefault(f, sizeof *f); /* before the first write: calloc's memset */
  memset(f, 0, sizeof *f);
  f->refs = 1;
  if ((st = fill_metrics(ctx, path, face, f)) != SB_OK)
    goto fail;
  fill_desc(face, f);
  load_kern(face, f);
  if (data) {
    f->data = (unsigned char *)data;
    f->size = size;
    data = NULL;
  } else if ((st = read_data(ctx, path, f)) != SB_OK) {
    goto fail;
  }
  if ((st = sb_font_check_tables(ctx, path, f->data, f->size)) != SB_OK)
    goto fail;
  f->path = sb_xstrdup(path);
  ps = FT_Get_Postscript_Name(face);
  f->name = sb_xstrdup(ps ? ps : path);
  FT_Done_Face(face); /* before the bytes it reads can go */
  FT_Done_FreeType(lib);
  *out = f;
  return SB_OK;
fail:
  if (face)
    FT_Done_Face(face);
  FT_Done_FreeType(lib);
  if (f) {
    free(f->data);
    free(f->kern);
  }
  free(f);
  free(data);
  return st;
}

sb_font *sb_keep_font(sb_font *f) {
  SB_ASSERT(!f || f->refs > 0); /* not a font already dropped */
  if (f)
    f->refs++;
  return f;
}

void sb_drop_font(sb_font *f) {
  SB_ASSERT(!f || f->refs > 0); /* dropped once per new or keep */
  if (!f || --f->refs > 0)
    return;
  free(f->path);
  free(f->name);
  free(f->data);
  free(f->kern);
  free(f);
}

const char *sb_font_path(const sb_font *f) { return f->path; }
const char *sb_font_name(const sb_font *f) { return f->name; }
int sb_font_ascent(const sb_font *f) { return f->ascent; }
int sb_font_descent(const sb_font *f) { return f->descent; }

const sb_font_desc *sb_font_descriptor(const sb_font *f) { return &f->desc; }

const unsigned char *sb_font_data(const sb_font *f, size_t *size) {
  *size = f->size;
  return f->data;
}

unsigned sb_font_glyph(const sb_font *f, int32_t cp) {
  return cp >= 0 && cp < 65536 ? f->gid[cp] : 0;
}

int sb_font_covers(const sb_font *f, int32_t cp) {
  return cp >= 0 && cp < 65536 && f->adv[cp] != NOT_COVERED;
}

int sb_font_advance(const sb_font *f, int32_t cp) {
  return sb_font_covers(f, cp) ? f->adv[cp] : 0;
}

int sb_font_kern(const sb_font *f, int32_t left, int32_t right) {
  unsigned gl, gr;
  const kern_pair *kp;
  int v;

  if (!f->kern || left <= ' ' || right <= ' ' || left > 0xFFFF ||
      right > 0xFFFF)
    return 0; /* no pair, a space or a control either side, or not BMP */
  if (!(f->kern_left_cp[left >> 3] & (1u << (left & 7))))
    return 0;
  gl = f->gid[left];
  gr = f->gid[right];
  if (!gr)
    return 0;
  kp = kern_find(f->kern, f->kcap, (uint32_t)gl << 16 | gr);
  if (!kp->key)
    return 0;
  v = kp->value; /* never pulls the next character back past this one */
  return v < -sb_font_advance(f, left) ? -sb_font_advance(f, left) : v;
}

int sb_font_has_kerning(const sb_font *f) { return f->kern != NULL; }

const uint8_t *sb_font_kern_lefts(const sb_font *f) {
  return f->kern ? f->kern_left_cp : NULL;
}

double sb_font_width(const sb_font *f, const char *s, size_t n, double size) {
  long units = 0;
  size_t i = 0;
  int32_t prev = -1;

  while (i < n) {
    int len = 1;
    int32_t cp = sb_utf8_decode(s + i, n - i, &len);
    units += sb_font_advance(f, cp) + sb_font_kern(f, prev, cp);
    prev = cp;
    i += (size_t)(len > 0 ? len : 1);
  }
  return (double)units * size / 1000.0;
}

sb_status sb_load_fontset(sb_ctx *ctx, const char *const paths[SB_FONT_COUNT],
                          sb_fontset *fs) {
  sb_status st;
  int i;

  memset(fs, 0, sizeof *fs);
  for (i = 0; i < SB_FONT_COUNT; i++)
    if ((st = sb_load_font(ctx, paths[i], &fs->face[i])) != SB_OK) {
      sb_drop_fontset(fs);
      return st;
    }
  return SB_OK;
}

void sb_drop_fontset(sb_fontset *fs) {
  int i;

  for (i = 0; i < SB_FONT_COUNT; i++) {
    sb_drop_font(fs->face[i]);
    fs->face[i] = NULL;
  }
}
