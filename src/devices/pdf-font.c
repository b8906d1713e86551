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
** Everything comes from the sb_font, read once per process.
** Tests: tests/unit/test_pdf.c (readers), tests/unit/test_font.c (subset).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/pdf-imp.h"

/* ==== Small helpers over libharu's object layer ==== */

/* A new indirect dict (in the xref), or NULL (the error handler has it). */
static HPDF_Dict new_indirect(HPDF_Doc pdf) {
  HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
  if (!d || HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
    return NULL; /* HPDF_Xref_Add frees d on failure */
  return d;
}

/* A stream object whose data libharu deflates when saving. */
static HPDF_Dict new_stream(HPDF_Doc pdf, const void *data, size_t n) {
  HPDF_Dict d = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  if (!d)
    return NULL;
  d->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  if (n > 0 && HPDF_Stream_Write(d->stream, data, (HPDF_UINT)n) != HPDF_OK)
    return NULL;
  return d;
}

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

static HPDF_Dict tounicode(HPDF_Doc pdf, const uint16_t *cp_of, int n,
                           sb_buf *b) {
  int i, done = 0;

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
  sb_buf_adds(b, "endcmap\n"
                 "CMapName currentdict /CMap defineresource pop\n"
                 "end\nend\n");
  return new_stream(pdf, b->p, b->n);
}

static HPDF_Dict descriptor(HPDF_Doc pdf, const sb_font *face,
                            const char *name, HPDF_Dict file) {
  const sb_font_desc *fd = sb_font_descriptor(face);
  HPDF_Dict d = new_indirect(pdf);
  HPDF_Array bbox;
  int i, flags = 4; /* symbolic: glyphs are reached by id, not by name */

  if (!d)
    return NULL;
  if (fd->fixed_pitch)
    flags |= 1;
  if (fd->italic_angle != 0)
    flags |= 64;
  HPDF_Dict_AddName(d, "Type", "FontDescriptor");
  HPDF_Dict_AddName(d, "FontName", name);
  HPDF_Dict_AddNumber(d, "Flags", flags);
  bbox = HPDF_Array_New(pdf->mmgr);
  if (!bbox || HPDF_Dict_Add(d, "FontBBox", bbox) != HPDF_OK)
    return NULL;
  for (i = 0; i < 4; i++)
    HPDF_Array_AddNumber(bbox, fd->bbox[i]);
  HPDF_Dict_AddReal(d, "ItalicAngle", (HPDF_REAL)fd->italic_angle);
  HPDF_Dict_AddNumber(d, "Ascent", sb_font_ascent(face));
  HPDF_Dict_AddNumber(d, "Descent", sb_font_descent(face));
  HPDF_Dict_AddNumber(d, "CapHeight", fd->cap_height);
  /* no font gives its stem width; the usual estimate from the weight */
  HPDF_Dict_AddNumber(d, "StemV", 10 + fd->weight * fd->weight / 2600);
  HPDF_Dict_Add(d, "FontFile2", file);
  return d;
}

static HPDF_Dict cidfont(HPDF_Doc pdf, const sb_font *face, const char *name,
                         const uint16_t *cp_of, int n, HPDF_Dict desc,
                         HPDF_Dict map) {
  HPDF_Dict d = new_indirect(pdf), info;
  HPDF_Array w, ws;
  int i;

  if (!d)
    return NULL;
  HPDF_Dict_AddName(d, "Type", "Font");
  HPDF_Dict_AddName(d, "Subtype", "CIDFontType2");
  HPDF_Dict_AddName(d, "BaseFont", name);
  info = HPDF_Dict_New(pdf->mmgr);
  if (!info || HPDF_Dict_Add(d, "CIDSystemInfo", info) != HPDF_OK)
    return NULL;
  HPDF_Dict_Add(info, "Registry", HPDF_String_New(pdf->mmgr, "Adobe", NULL));
  HPDF_Dict_Add(info, "Ordering", HPDF_String_New(pdf->mmgr, "Identity", NULL));
  HPDF_Dict_AddNumber(info, "Supplement", 0);
  HPDF_Dict_Add(d, "FontDescriptor", desc);
  HPDF_Dict_AddNumber(d, "DW", 0); /* CID 0 (nothing uses it) is empty */
  w = HPDF_Array_New(pdf->mmgr);
  ws = HPDF_Array_New(pdf->mmgr);
  if (!w || !ws || HPDF_Dict_Add(d, "W", w) != HPDF_OK)
    return NULL;
  HPDF_Array_AddNumber(w, 1);
  if (HPDF_Array_Add(w, ws) != HPDF_OK)
    return NULL;
  for (i = 0; i < n; i++)
    HPDF_Array_AddNumber(ws, sb_font_advance(face, cp_of[i]));
  HPDF_Dict_Add(d, "CIDToGIDMap", map);
  return d;
}

/* FNV-1a of the face name and the code points, as six capital letters. */
static void subset_tag(const sb_font *face, const uint16_t *cp_of, int n,
                       char tag[7]) {
  uint64_t h = 1469598103934665603ull;
  const char *s;
  int i;

  for (s = sb_font_name(face); *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  for (i = 0; i < n; i++) {
    h = (h ^ (cp_of[i] & 0xFF)) * 1099511628211ull;
    h = (h ^ (cp_of[i] >> 8)) * 1099511628211ull;
  }
  for (i = 0; i < 6; i++, h /= 26)
    tag[i] = (char)('A' + h % 26);
  tag[6] = 0;
}

sb_status sb_pdf_embed_font(sb_ctx *ctx, HPDF_Doc pdf, const sb_font *face,
                            const uint8_t *used, pdf_font *out) {
  /* zeroed whole: a broken cmap may name a glyph past the font's count */
  uint16_t *cp_of = sb_xmalloc(65536 * sizeof *cp_of),
           *newgid = sb_xcalloc(65536, sizeof *newgid);
  uint8_t *keep = sb_xcalloc(65536 / 8, 1);
  sb_buf b;
  char tag[7], name[64];
  HPDF_Dict file, desc, map, cid, tu, t0;
  HPDF_Array desc_fonts;
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
        keep[g >> 3] |= (uint8_t)(1u << (g & 7));
      }
  }
  out->ncids = n;
  subset_tag(face, cp_of, n, tag);
  ps_name(face, tag, name, sizeof name);

  sb_buf_init(&b);
  st = sb_font_subset(ctx, face, keep, 65536, &b, newgid);
  if (st != SB_OK)
    goto done;
  fsize = b.n;
  file = new_stream(pdf, b.p, b.n);
  if (file)
    HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)fsize);
  /* CIDToGIDMap: big-endian glyph id in the subset of CID 0..n */
  b.n = 0;
  sb_buf_add(&b, "\0\0", 2);
  for (i = 0; i < n; i++) {
    unsigned g = newgid[sb_font_glyph(face, cp_of[i])];
    char be[2] = {(char)(g >> 8), (char)(g & 0xFF)};
    sb_buf_add(&b, be, 2);
  }
  map = new_stream(pdf, b.p, b.n);
  tu = tounicode(pdf, cp_of, n, &b);
  desc = file ? descriptor(pdf, face, name, file) : NULL;
  cid = desc && map ? cidfont(pdf, face, name, cp_of, n, desc, map) : NULL;
  t0 = cid && tu ? new_indirect(pdf) : NULL;
  desc_fonts = t0 ? HPDF_Array_New(pdf->mmgr) : NULL;
  if (!desc_fonts) {
    st = sb_fail(ctx, SB_E_PDF, "%s: cannot write the font objects",
                 sb_font_path(face));
    goto done;
  }
  HPDF_Dict_AddName(t0, "Type", "Font");
  HPDF_Dict_AddName(t0, "Subtype", "Type0");
  HPDF_Dict_AddName(t0, "BaseFont", name);
  HPDF_Dict_AddName(t0, "Encoding", "Identity-H");
  HPDF_Dict_Add(t0, "DescendantFonts", desc_fonts);
  HPDF_Array_Add(desc_fonts, cid);
  HPDF_Dict_Add(t0, "ToUnicode", tu);
  out->dict = t0;
done:
  sb_buf_free(&b);
  free(cp_of);
  free(newgid);
  free(keep);
  return st;
}

void sb_pdf_free_font(pdf_font *f) {
  free(f->cid);
  memset(f, 0, sizeof *f);
}
