/*
** font/subset.c -- TrueType subsets for PDF embedding, glyph ids kept.
**
** A PDF CIDFontType2 maps each CID to a glyph index (CIDToGIDMap) and reads
** the outlines from glyf/loca; it needs no cmap, name, post or OS/2. So a
** subset here is the original file cut down to: head, hhea, maxp, hmtx,
** loca, glyf, plus the hinting tables cvt, fpgm and prep when present. The
** kept glyphs are renumbered 0..N-1 in their original order (.notdef stays
** 0) and the caller gets the old -> new map for its CIDToGIDMap, so loca
** and hmtx hold N entries, not one per glyph of the font (a Cyrillic
** letter's id is near 2,000 in Liberation Sans). Composite glyphs pull in
** their components, at any depth (the worklist below), which libharu's own
** subsetting did one level deep only, and their component ids are
** rewritten through the same map.
**
** Everything read from the file is bounds-checked: a font is untrusted
** input (a style may name any file). sb_font_check_tables runs once when
** the font is loaded, so that a broken font is refused up front with its
** path, not in the middle of a batch.
** Tests: tests/unit/test_font.c (outlines survive, read back by FreeType).
*/
#include <stdlib.h>
#include <string.h>

#include "skillbook/font.h"

/* ==== Reading ==== */

static unsigned rd16(const unsigned char *p) {
  return (unsigned)p[0] << 8 | p[1];
}

static uint32_t rd32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         p[3];
}

typedef struct ttf_table {
  const unsigned char *p; /* NULL when absent */
  uint32_t len;
} ttf_table;

enum { T_HEAD, T_HHEA, T_MAXP, T_HMTX, T_LOCA, T_GLYF, T_CVT, T_FPGM, T_PREP,
       T_COUNT };

/* Sorted by tag, as the table directory must be. */
static const char *const TAGS[T_COUNT] = {"head", "hhea", "maxp", "hmtx",
                                          "loca", "glyf", "cvt ", "fpgm",
                                          "prep"};

typedef struct ttf {
  ttf_table t[T_COUNT];
  unsigned nglyphs;   /* maxp */
  unsigned nhmetrics; /* hhea numberOfHMetrics */
  int long_loca;      /* head indexToLocFormat */
} ttf;

static uint32_t loca_at(const ttf *f, unsigned i) {
  const unsigned char *l = f->t[T_LOCA].p;
  return f->long_loca ? rd32(l + 4 * (size_t)i) : 2 * (uint32_t)rd16(l + 2 * (size_t)i);
}

/* Finds the tables and checks what the subset relies on. Returns NULL, or
** what is wrong. */
static const char *parse(const unsigned char *d, size_t n, ttf *f) {
  unsigned i, k, ntables;
  uint32_t prev = 0;

  memset(f, 0, sizeof *f);
  if (n < 12)
    return "file too short for a table directory";
  ntables = rd16(d + 4);
  if (12 + 16 * (size_t)ntables > n)
    return "table directory runs past the end of the file";
  for (i = 0; i < ntables; i++) {
    const unsigned char *r = d + 12 + 16 * (size_t)i;
    uint32_t off = rd32(r + 8), len = rd32(r + 12);
    for (k = 0; k < T_COUNT; k++)
      if (memcmp(r, TAGS[k], 4) == 0)
        break;
    if (k == T_COUNT)
      continue;
    if (off > n || len > n - off)
      return "a table runs past the end of the file";
    f->t[k].p = d + off;
    f->t[k].len = len;
  }
  for (k = 0; k < T_COUNT; k++)
    if (!f->t[k].p && k < T_CVT)
      return "a required table (head, hhea, maxp, hmtx, loca, glyf) is missing";
  if (f->t[T_HEAD].len < 54 || f->t[T_HHEA].len < 36 || f->t[T_MAXP].len < 6)
    return "head, hhea or maxp is too short";
  f->long_loca = rd16(f->t[T_HEAD].p + 50) != 0;
  f->nglyphs = rd16(f->t[T_MAXP].p + 4);
  f->nhmetrics = rd16(f->t[T_HHEA].p + 34);
  if (f->nglyphs == 0)
    return "no glyphs";
  if (f->nhmetrics == 0 || f->nhmetrics > f->nglyphs)
    return "bad numberOfHMetrics";
  if ((size_t)f->t[T_HMTX].len <
      4 * (size_t)f->nhmetrics + 2 * (size_t)(f->nglyphs - f->nhmetrics))
    return "hmtx is too short";
  if ((size_t)f->t[T_LOCA].len < (f->long_loca ? 4 : 2) * ((size_t)f->nglyphs + 1))
    return "loca is too short";
  for (i = 0; i <= f->nglyphs; i++) {
    uint32_t o = loca_at(f, i);
    if (o < prev || o > f->t[T_GLYF].len)
      return "loca is not increasing or points past glyf";
    prev = o;
  }
  return NULL;
}

sb_status sb_font_check_tables(sb_ctx *ctx, const char *path,
                               const unsigned char *data, size_t size) {
  ttf f;
  const char *why = parse(data, size, &f);

  if (why)
    return sb_fail(ctx, SB_E_FONT, "%s: cannot embed this font: %s", path, why);
  return SB_OK;
}

/* ==== Glyph closure ==== */

#define ARG_WORDS 0x0001
#define HAVE_SCALE 0x0008
#define MORE 0x0020
#define HAVE_XY_SCALE 0x0040
#define HAVE_2X2 0x0080

/* A composite glyph g (len bytes, numberOfContours < 0) lists its
** components in records from offset 10: flags, glyph id, then arguments
** and a transform whose sizes the flags give. first_component and
** next_component give the offset of each record that holds at least its
** flags and glyph id, 0 when there is none (a record that runs past the
** glyph ends the list). */
static uint32_t first_component(const unsigned char *g, uint32_t len) {
  return len >= 14 && (int16_t)rd16(g) < 0 ? 10 : 0;
}

static uint32_t next_component(const unsigned char *g, uint32_t len,
                               uint32_t at) {
  unsigned flags = rd16(g + at);
  uint32_t skip = 4 + ((flags & ARG_WORDS) ? 4 : 2) +
                  ((flags & HAVE_SCALE) ? 2 : (flags & HAVE_XY_SCALE) ? 4
                   : (flags & HAVE_2X2) ? 8 : 0);
  if (!(flags & MORE) || skip > len - at || len - at - skip < 4)
    return 0;
  return at + skip;
}

/* Marks the components of the composite glyphs in keep, transitively. */
static void close_composites(const ttf *f, uint8_t *keep) {
  unsigned *work = sb_xmalloc(sizeof *work * f->nglyphs);
  unsigned nwork = 0, g;

  for (g = 0; g < f->nglyphs; g++)
    if (keep[g >> 3] & (1u << (g & 7)))
      work[nwork++] = g;
  while (nwork > 0) {
    uint32_t a, len, at;
    g = work[--nwork];
    a = loca_at(f, g), len = loca_at(f, g + 1) - a; /* parse: in glyf */
    for (at = first_component(f->t[T_GLYF].p + a, len); at;
         at = next_component(f->t[T_GLYF].p + a, len, at)) {
      unsigned c = rd16(f->t[T_GLYF].p + a + at + 2);
      if (c < f->nglyphs && !(keep[c >> 3] & (1u << (c & 7)))) {
        keep[c >> 3] |= (uint8_t)(1u << (c & 7));
        SB_ASSERT(nwork < f->nglyphs); /* each glyph enters once */
        work[nwork++] = c;
      }
    }
  }
  free(work);
}

/* ==== Writing ==== */

static void put16(sb_buf *b, unsigned v) {
  unsigned char c[2] = {(unsigned char)(v >> 8), (unsigned char)v};
  sb_buf_add(b, c, 2);
}

static void put32(sb_buf *b, uint32_t v) {
  unsigned char c[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                        (unsigned char)(v >> 8), (unsigned char)v};
  sb_buf_add(b, c, 4);
}

static void set16(unsigned char *p, unsigned v) {
  p[0] = (unsigned char)(v >> 8);
  p[1] = (unsigned char)v;
}

static void set32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
}

static void pad4(sb_buf *b) {
  static const unsigned char z[4];
  if (b->n & 3)
    sb_buf_add(b, z, 4 - (b->n & 3));
}

static uint32_t checksum(const unsigned char *p, size_t n) {
  uint32_t s = 0;
  size_t i;

  for (i = 0; i + 4 <= n; i += 4)
    s += rd32(p + i);
  if (i < n) {
    unsigned char last[4] = {0, 0, 0, 0};
    memcpy(last, p + i, n - i);
    s += rd32(last);
  }
  return s;
}

/* Rewrites the component glyph ids of the composite glyph at g (len
** bytes, a copy in the output) through newgid. */
static void renumber_components(unsigned char *g, uint32_t len,
                                const uint16_t *newgid, unsigned nglyphs) {
  for (uint32_t at = first_component(g, len); at;
       at = next_component(g, len, at)) {
    unsigned c = rd16(g + at + 2);
    set16(g + at + 2, c < nglyphs ? newgid[c] : 0);
  }
}

sb_status sb_font_subset(sb_ctx *ctx, const sb_font *font, const uint8_t *keep,
                         unsigned nkeep, sb_buf *out, uint16_t *newgid) {
  size_t size, base = out->n, dir, start[T_COUNT], len[T_COUNT];
  const unsigned char *d = sb_font_data(font, &size);
  uint8_t *mark;
  unsigned *old; /* old glyph id of each new one */
  unsigned g, ng = 0, ntab = 0, k, sr = 1, es = 0;
  uint32_t total;
  ttf f;
  const char *why = d ? parse(d, size, &f) : "no font data";

  if (why)
    return sb_fail(ctx, SB_E_FONT, "%s: cannot embed this font: %s",
                   sb_font_path(font), why);
  mark = sb_xcalloc((f.nglyphs + 7) / 8, 1);
  for (g = 0; g < f.nglyphs && g < nkeep; g++)
    if (keep[g >> 3] & (1u << (g & 7)))
      mark[g >> 3] |= (uint8_t)(1u << (g & 7));
  mark[0] |= 1; /* .notdef */
  close_composites(&f, mark);
  old = sb_xmalloc(sizeof *old * f.nglyphs);
  memset(newgid, 0, sizeof *newgid * f.nglyphs);
  for (g = 0; g < f.nglyphs; g++)
    if (mark[g >> 3] & (1u << (g & 7))) {
      newgid[g] = (uint16_t)ng;
      old[ng++] = g;
    }
  free(mark);
  SB_ASSERT(ng >= 1 && ng <= f.nglyphs); /* .notdef at least */

  for (k = 0; k < T_COUNT; k++)
    ntab += f.t[k].p != NULL;
  while (sr * 2 <= ntab)
    sr *= 2, es++;
  /* offset table and directory; offsets and checksums are filled later */
  put32(out, 0x00010000);
  put16(out, ntab);
  put16(out, sr * 16);
  put16(out, es);
  put16(out, ntab * 16 - sr * 16);
  dir = out->n;
  for (k = 0; k < ntab; k++)
    put32(out, 0), put32(out, 0), put32(out, 0), put32(out, 0);

  for (k = 0; k < T_COUNT; k++) {
    if (!f.t[k].p)
      continue;
    start[k] = out->n;
    switch (k) {
    case T_HEAD:
      sb_buf_add(out, f.t[k].p, f.t[k].len);
      set32((unsigned char *)out->p + start[k] + 8, 0); /* checkSumAdjustment */
      set16((unsigned char *)out->p + start[k] + 50, 1); /* long loca */
      break;
    case T_HHEA: /* every glyph gets its own advance */
      sb_buf_add(out, f.t[k].p, f.t[k].len);
      set16((unsigned char *)out->p + start[k] + 34, ng);
      break;
    case T_MAXP:
      sb_buf_add(out, f.t[k].p, f.t[k].len);
      set16((unsigned char *)out->p + start[k] + 4, ng);
      break;
    case T_HMTX:
      for (g = 0; g < ng; g++) {
        unsigned o = old[g];
        const unsigned char *h = f.t[k].p;
        size_t adv = o < f.nhmetrics ? 4 * (size_t)o : 4 * (size_t)(f.nhmetrics - 1);
        size_t lsb = o < f.nhmetrics ? 4 * (size_t)o + 2
                                     : 4 * (size_t)f.nhmetrics +
                                           2 * (size_t)(o - f.nhmetrics);
        sb_buf_add(out, h + adv, 2);
        sb_buf_add(out, h + lsb, 2);
      }
      break;
    case T_LOCA: {
      uint32_t o = 0;
      for (g = 0; g < ng; g++) {
        put32(out, o);
        o += (loca_at(&f, old[g] + 1) - loca_at(&f, old[g]) + 3) & ~3u;
      }
      put32(out, o);
      break;
    }
    case T_GLYF:
      for (g = 0; g < ng; g++) {
        uint32_t a = loca_at(&f, old[g]), b = loca_at(&f, old[g] + 1);
        size_t at = out->n;
        SB_ASSERT(a <= b && b <= f.t[k].len); /* parse checked loca */
        if (b == a)
          continue;
        sb_buf_add(out, f.t[k].p + a, b - a);
        renumber_components((unsigned char *)out->p + at, b - a, newgid,
                            f.nglyphs);
        pad4(out);
      }
      break;
    default:
      sb_buf_add(out, f.t[k].p, f.t[k].len);
    }
    len[k] = out->n - start[k];
    pad4(out);
  }
  free(old);

  /* directory entries, in tag order (TAGS is sorted) */
  for (k = 0, g = 0; k < T_COUNT; k++) {
    unsigned char *e;
    if (!f.t[k].p)
      continue;
    e = (unsigned char *)out->p + dir + 16 * (size_t)g++;
    memcpy(e, TAGS[k], 4);
    set32(e + 4, checksum((unsigned char *)out->p + start[k], len[k]));
    set32(e + 8, (uint32_t)(start[k] - base));
    set32(e + 12, (uint32_t)len[k]);
  }
  SB_ASSERT(g == ntab); /* every slot of the directory filled */
  total = checksum((unsigned char *)out->p + base, out->n - base);
  set32((unsigned char *)out->p + start[T_HEAD] + 8, 0xB1B0AFBAu - total);
  return SB_OK;
}
