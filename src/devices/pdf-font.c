/*
** devices/pdf-font.c -- the font objects of one PDF, written by us.
**
** libharu's own TrueType path (HPDF_LoadTTFontFromFile + HPDF_GetFont) cost
** every document 25-30 ms before its first page: it parsed the file again,
** walked all 65,536 BMP code points per face to build /W and a 128 KB
** CIDToGIDMap, subset on save keeping whole tables, and wrote a ToUnicode
** CMap poppler rejects (docs/performance.md). Here, for the characters the
** document shows (the device scans its display list first):
**
**   Type0 /Encoding /Identity-H, /ToUnicode: one bfchar per CID
**     CIDFontType2 /CIDToGIDMap stream: 2 bytes per CID
**                  /W [1 [w1 ... wN]]: sb_font_advance, what layout measured
**       FontDescriptor /FontFile2: sb_font_subset (glyphs renumbered)
**
** CIDs are 1..N in code point order, so strings are 2 bytes a character,
** the maps are a few hundred bytes, and text extraction is exact even for
** two characters drawn with one glyph. The subset tag (the six letters
** before '+') is a hash of the face and its CID list: deterministic.
** Everything comes from the sb_font, read once per process; the objects
** are built through pdf-haru.h (libharu's object layer stays there).
** Tests: tests/unit/test_pdf.c (readers), tests/unit/test_font.c (subset).
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "devices/pdf-imp.h"

/* ==== Helpers ==== */

static void hex4(sb_buf *b, unsigned v) {
  static const char hx[] = "0123456789ABCDEF";
  char s[6] = {'<', hx[(v >> 12) & 15], hx[(v >> 8) & 15], hx[(v >> 4) & 15],
               hx[v & 15], '>'};
  sb_buf_add(b, s, 6);
}

/* The face's PostScript name as a PDF name: letters, digits, '-', '_', '.'
** only (anything else is dropped), at most 40 characters. */
static void ps_name(const sb_font *face, const char *tag, char *out, size_t n) {
  const char *s = sb_font_name(face);
  size_t k = 0;

  k = (size_t)snprintf(out, n, "%s+", tag);
  for (; *s && k + 1 < n && k < 47; s++)
    if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
        (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.')
      out[k++] = *s;
  if (k == 7)
    out[k++] = 'F'; /* nothing printable: still a name */
  out[k] = 0;
}

/* ==== The objects ==== */

/* What every ToUnicode CMap of ours starts with: two-byte codes. */
static void cmap_begin(sb_buf *b) {
  b->n = 0;
  sb_buf_adds(b, "/CIDInit /ProcSet findresource begin\n"
                 "12 dict begin\n"
                 "begincmap\n"
                 "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
                 "/Supplement 0 >> def\n"
                 "/CMapName /Adobe-Identity-UCS def\n"
                 "/CMapType 2 def\n"
                 "1 begincodespacerange\n<0000> <FFFF>\n"
                 "endcodespacerange\n");
}

/* Closes the CMap in b and makes it a stream of doc. */
static sb_haru_obj *cmap_end(sb_haru *doc, sb_buf *b) {
  sb_buf_adds(b, "endcmap\n"
                 "CMapName currentdict /CMap defineresource pop\n"
                 "end\nend\n");
  return sb_haru_stream(doc, b->p, b->n);
}

static sb_haru_obj *tounicode(sb_haru *doc, const uint16_t *cp_of, int n,
                           sb_buf *b) {
  int i, done = 0;

  cmap_begin(b);
  while (done < n) { /* at most 100 entries a block, as the spec asks */
    int m = n - done < 100 ? n - done : 100;
    sb_buf_printf(b, "%d beginbfchar\n", m);
    for (i = 0; i < m; i++) {
      hex4(b, (unsigned)(done + i + 1));
      sb_buf_addc(b, ' ');
      hex4(b, cp_of[done + i]);
      sb_buf_addc(b, '\n');
    }
    sb_buf_adds(b, "endbfchar\n");
    done += m;
  }
  return cmap_end(doc, b);
}

/* The Type0 font dictionary t0 over its one CIDFont cid (Identity-H:
** two-byte codes are CIDs), with its ToUnicode CMap tu. */
static void type0(sb_haru_obj *t0, const char *name, sb_haru_obj *fonts,
                  sb_haru_obj *cid, sb_haru_obj *tu) {
  sb_haru_put_name(t0, "Type", "Font");
  sb_haru_put_name(t0, "Subtype", "Type0");
  sb_haru_put_name(t0, "BaseFont", name);
  sb_haru_put_name(t0, "Encoding", "Identity-H");
  sb_haru_put(t0, "DescendantFonts", fonts);
  sb_haru_push(fonts, cid);
  sb_haru_put(t0, "ToUnicode", tu);
}

static sb_haru_obj *descriptor(sb_haru *doc, const sb_font *face,
                               const char *name, sb_haru_obj *file) {
  const sb_font_desc *fd = sb_font_descriptor(face);
  sb_haru_obj *d = sb_haru_dict(doc, 1), *bbox;
  int i, flags = 4; /* symbolic: glyphs are reached by id, not by name */

  if (!d)
    return NULL;
  if (fd->fixed_pitch)
    flags |= 1;
  if (fd->italic_angle != 0)
    flags |= 64;
  sb_haru_put_name(d, "Type", "FontDescriptor");
  sb_haru_put_name(d, "FontName", name);
  sb_haru_put_int(d, "Flags", flags);
  bbox = sb_haru_array(doc);
  if (!bbox || sb_haru_put(d, "FontBBox", bbox) != 0)
    return NULL;
  for (i = 0; i < 4; i++)
    sb_haru_push_int(bbox, fd->bbox[i]);
  sb_haru_put_real(d, "ItalicAngle", fd->italic_angle);
  sb_haru_put_int(d, "Ascent", sb_font_ascent(face));
  sb_haru_put_int(d, "Descent", sb_font_descent(face));
  sb_haru_put_int(d, "CapHeight", fd->cap_height);
  /* no font gives its stem width; the usual estimate from the weight */
  sb_haru_put_int(d, "StemV", 10 + fd->weight * fd->weight / 2600);
  sb_haru_put(d, "FontFile2", file);
  return d;
}

static sb_haru_obj *cidfont(sb_haru *doc, const sb_font *face,
                            const char *name, const uint16_t *cp_of, int n,
                            sb_haru_obj *desc, sb_haru_obj *map) {
  sb_haru_obj *d = sb_haru_dict(doc, 1), *info, *w, *ws;
  int i;

  if (!d)
    return NULL;
  sb_haru_put_name(d, "Type", "Font");
  sb_haru_put_name(d, "Subtype", "CIDFontType2");
  sb_haru_put_name(d, "BaseFont", name);
  info = sb_haru_dict(doc, 0);
  if (!info || sb_haru_put(d, "CIDSystemInfo", info) != 0)
    return NULL;
  sb_haru_put_str(doc, info, "Registry", "Adobe");
  sb_haru_put_str(doc, info, "Ordering", "Identity");
  sb_haru_put_int(info, "Supplement", 0);
  sb_haru_put(d, "FontDescriptor", desc);
  sb_haru_put_int(d, "DW", 0); /* CID 0 (nothing uses it) is empty */
  w = sb_haru_array(doc);
  ws = sb_haru_array(doc);
  if (!w || !ws || sb_haru_put(d, "W", w) != 0)
    return NULL;
  sb_haru_push_int(w, 1);
  if (sb_haru_push(w, ws) != 0)
    return NULL;
  for (i = 0; i < n; i++)
    sb_haru_push_int(ws, sb_font_advance(face, cp_of[i]));
  sb_haru_put(d, "CIDToGIDMap", map);
  return d;
}

/* FNV-1a of the face name and the code points (low byte first), as six
** capital letters. The starting value is not SB_FNV1A_BASIS (a digit short)
** but has named every subset so far: changing it would rename the subsets
** in every PDF. */
static void subset_tag(const sb_font *face, const uint16_t *cp_of, int n,
                       char tag[7]) {
  const char *name = sb_font_name(face);
  uint64_t h = sb_hash_fnv1a(name, strlen(name), 1469598103934665603ull);
  int i;

  for (i = 0; i < n; i++) {
    unsigned char le[2] = {(unsigned char)(cp_of[i] & 0xFF),
                           (unsigned char)(cp_of[i] >> 8)};
    h = sb_hash_fnv1a(le, 2, h);
  }
  for (i = 0; i < 6; i++, h /= 26)
    tag[i] = (char)('A' + h % 26);
  tag[6] = 0;
}

sb_status sb_pdf_embed_font(sb_ctx *ctx, sb_haru *doc, const sb_font *face,
                            const uint8_t *used, pdf_font *out) {
  /* newgid is read only at the glyphs of the used characters: those are
  ** zeroed below (a broken cmap may name a glyph past the font's count,
  ** which the subset does not renumber), the subset zeroes the font's own
  ** and sets the kept ones (zeroing all 128 KB of it for each face of each
  ** document was ~6 % of this function's instructions) */
  uint16_t *cp_of = sb_xmalloc(65536 * sizeof *cp_of),
           *newgid = sb_xmalloc(65536 * sizeof *newgid);
  uint8_t *keep = sb_xcalloc(65536 / 8, 1);
  sb_buf b;
  char tag[7], name[64];
  sb_haru_obj *file, *desc, *map, *cid, *tu, *t0, *desc_fonts;
  unsigned cp;
  int n = 0, i;
  size_t fsize;
  sb_status st;

  memset(out, 0, sizeof *out);
  out->cid = sb_xcalloc(65536, sizeof *out->cid);
  for (cp = 0; cp < 65536; cp += 8) { /* CIDs in code point order */
    unsigned bits = used[cp >> 3], k;
    for (k = 0; bits; k++, bits >>= 1)
      if (bits & 1) {
        unsigned g = sb_font_glyph(face, (int32_t)(cp + k));
        cp_of[n] = (uint16_t)(cp + k);
        out->cid[cp + k] = (uint16_t)++n;
        newgid[g] = 0;
        keep[g >> 3] |= (uint8_t)(1u << (g & 7));
      }
  }
  out->ncids = n;
  out->face = face;
  subset_tag(face, cp_of, n, tag);
  ps_name(face, tag, name, sizeof name);

  sb_buf_init(&b);
  st = sb_font_subset(ctx, face, keep, 65536, &b, newgid);
  if (st != SB_OK)
    goto done;
  fsize = b.n;
  file = sb_haru_stream(doc, b.p, b.n);
  if (file)
    sb_haru_put_int(file, "Length1", (long)fsize);
  /* CIDToGIDMap: big-endian glyph id in the subset of CID 0..n */
  b.n = 0;
  sb_buf_add(&b, "\0\0", 2);
  for (i = 0; i < n; i++) {
    unsigned g = newgid[sb_font_glyph(face, cp_of[i])];
    char be[2] = {(char)(g >> 8), (char)(g & 0xFF)};
    sb_buf_add(&b, be, 2);
  }
  map = sb_haru_stream(doc, b.p, b.n);
  tu = tounicode(doc, cp_of, n, &b);
  desc = file ? descriptor(doc, face, name, file) : NULL;
  cid = desc && map ? cidfont(doc, face, name, cp_of, n, desc, map) : NULL;
  t0 = cid && tu ? sb_haru_dict(doc, 1) : NULL;
  desc_fonts = t0 ? sb_haru_array(doc) : NULL;
  if (!desc_fonts) {
    st = sb_fail(ctx, SB_E_PDF, "%s: cannot write the font objects",
                 sb_font_path(face));
    goto done;
  }
  type0(t0, name, desc_fonts, cid, tu);
  out->dict = t0;
done:
  sb_buf_free(&b);
  free(cp_of);
  free(newgid);
  free(keep);
  return st;
}

/* ==== A whole face, for typing ==== */

/* The ToUnicode CMap of a font whose CIDs are code points: one bfrange
** per 256 codes that hold a covered one (a range may not cross the last
** byte's wrap). */
static sb_haru_obj *tounicode_identity(sb_haru *doc, const uint8_t *has,
                                       sb_buf *b) {
  int hi, n = 0;

  cmap_begin(b);
  int at[256];
  for (hi = 0; hi < 256; hi++)
    if (has[hi])
      at[n++] = hi;
  for (int done = 0; done < n;) { /* at most 100 entries a block */
    int m = n - done < 100 ? n - done : 100;
    sb_buf_printf(b, "%d beginbfrange\n", m);
    for (int i = done; i < done + m; i++)
      sb_buf_printf(b, "<%02X00> <%02XFF> <%02X00>\n", at[i], at[i], at[i]);
    sb_buf_adds(b, "endbfrange\n");
    done += m;
  }
  return cmap_end(doc, b);
}

/* Whole faces are deflated once per process: a font file is 400 KB, and
** deflating it for every fillable pack tripled the instructions a pack
** costs. The cache is keyed by the bytes' FNV-1a hash and length (a face
** freed and another loaded at the same address is still told apart), holds
** a few entries and lives as long as the process, like the sRGB profile. */
#define WHOLE_CACHE 8

typedef struct whole_z {
  uint64_t key;
  size_t n;           /* the bytes' length */
  unsigned char *z;   /* deflated */
  size_t zn;
} whole_z;

static whole_z whole_cache[WHOLE_CACHE];
static int whole_n;
static pthread_mutex_t whole_mu = PTHREAD_MUTEX_INITIALIZER;

/* The deflated bytes of data[0..n), from the cache or made now; NULL when
** deflating failed (out of memory). Borrowed: they live as long as the process. */
static const unsigned char *deflated(const unsigned char *data, size_t n,
                                     size_t *zn) {
  uint64_t key = sb_hash_fnv1a(data, n, SB_FNV1A_BASIS);
  const unsigned char *out = NULL;
  sb_deflater *zd;
  size_t bound = 0;
  unsigned char *z = NULL;
  int i;

  pthread_mutex_lock(&whole_mu);
  for (i = 0; i < whole_n && !out; i++)
    if (whole_cache[i].key == key && whole_cache[i].n == n) {
      out = whole_cache[i].z;
      *zn = whole_cache[i].zn;
    }
  if (!out) {
    zd = sb_new_deflater(SB_ZLEVEL_STREAM);
    if (zd)
      z = sb_deflate(zd, data, n, &bound);
    sb_drop_deflater(zd);
    if (z) {
      out = z;
      *zn = bound;
      if (whole_n < WHOLE_CACHE) {
        whole_cache[whole_n].key = key;
        whole_cache[whole_n].n = n;
        whole_cache[whole_n].z = z;
        whole_cache[whole_n++].zn = bound;
      } else { /* (more faces than the cache: kept all the same) */
        whole_cache[WHOLE_CACHE - 1].key = key;
        whole_cache[WHOLE_CACHE - 1].n = n;
        free(whole_cache[WHOLE_CACHE - 1].z);
        whole_cache[WHOLE_CACHE - 1].z = z;
        whole_cache[WHOLE_CACHE - 1].zn = bound;
      }
    } else {
      free(z);
    }
  }
  pthread_mutex_unlock(&whole_mu);
  return out;
}

sb_status sb_pdf_embed_font_whole(sb_ctx *ctx, sb_haru *doc,
                                  const sb_font *face, sb_haru_obj **out) {
  size_t size;
  const unsigned char *data = sb_font_data(face, &size);
  uint8_t has[256] = {0};
  sb_buf b;
  char name[64];
  sb_haru_obj *file, *desc, *map, *cid, *tu, *t0, *fonts, *info, *w, *ws = NULL;
  const unsigned char *zf, *zm;
  size_t zfn = 0, zmn = 0;
  unsigned cp;
  int last = -2;

  *out = NULL;
  ps_name(face, "", name, sizeof name);
  memmove(name, name + 1, strlen(name)); /* no subset tag: "" + '+' */
  if (!name[0])
    strcpy(name, "F");
  sb_buf_init(&b);
  zf = data ? deflated(data, size, &zfn) : NULL;
  file = zf ? sb_haru_stream_flate(doc, zf, zfn) : NULL;
  if (file)
    sb_haru_put_int(file, "Length1", (long)size);
  /* CIDToGIDMap: the glyph of every BMP code point (0: none) */
  for (cp = 0; cp < 65536; cp++) {
    unsigned g = cp >= 0xD800 && cp < 0xE000 ? 0 : sb_font_glyph(face, (int32_t)cp);
    char be[2] = {(char)(g >> 8), (char)(g & 0xFF)};
    sb_buf_add(&b, be, 2);
    if (g)
      has[cp >> 8] = 1;
  }
  zm = deflated((const unsigned char *)b.p, b.n, &zmn);
  map = zm ? sb_haru_stream_flate(doc, zm, zmn) : NULL;
  tu = tounicode_identity(doc, has, &b);
  desc = file ? descriptor(doc, face, name, file) : NULL;
  cid = sb_haru_dict(doc, 1);
  info = sb_haru_dict(doc, 0);
  w = sb_haru_array(doc);
  t0 = sb_haru_dict(doc, 1);
  fonts = sb_haru_array(doc);
  if (!map || !tu || !desc || !cid || !info || !w || !t0 || !fonts) {
    sb_buf_free(&b);
    return sb_fail(ctx, SB_E_PDF, "%s: cannot write the font objects",
                   sb_font_path(face));
  }
  sb_haru_put_name(cid, "Type", "Font");
  sb_haru_put_name(cid, "Subtype", "CIDFontType2");
  sb_haru_put_name(cid, "BaseFont", name);
  sb_haru_put(cid, "CIDSystemInfo", info);
  sb_haru_put_str(doc, info, "Registry", "Adobe");
  sb_haru_put_str(doc, info, "Ordering", "Identity");
  sb_haru_put_int(info, "Supplement", 0);
  sb_haru_put(cid, "FontDescriptor", desc);
  sb_haru_put_int(cid, "DW", 0);
  /* /W [c [w ...] c [w ...]]: one list per run of covered code points */
  for (cp = 1; cp < 65536; cp++) {
    if (cp >= 0xD800 && cp < 0xE000)
      continue;
    if (!sb_font_glyph(face, (int32_t)cp))
      continue;
    if ((int)cp != last + 1 || !ws) {
      ws = sb_haru_array(doc);
      sb_haru_push_int(w, (long)cp);
      if (!ws || sb_haru_push(w, ws) != 0)
        break;
    }
    sb_haru_push_int(ws, sb_font_advance(face, (int32_t)cp));
    last = (int)cp;
  }
  sb_haru_put(cid, "W", w);
  sb_haru_put(cid, "CIDToGIDMap", map);
  type0(t0, name, fonts, cid, tu);
  sb_buf_free(&b);
  *out = t0;
  return SB_OK;
}

void sb_pdf_free_font(pdf_font *f) {
  free(f->cid);
  memset(f, 0, sizeof *f);
}
