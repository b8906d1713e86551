/*
** devices/pdf-imp.h -- what the pdf device's files share (private).
**
** pdf-font.c writes the font objects of one document; pdf-device.c draws.
** Both use libharu's object layer (dicts, arrays, streams, the xref), which
** Debian's libhpdf-dev exports and installs headers for.
*/
#ifndef SB_DEVICES_PDF_IMP_H
#define SB_DEVICES_PDF_IMP_H

#include <hpdf.h>

#include "skillbook/font.h"

/* One embedded face: a Type0 font with Identity-H encoding whose CIDs are
** numbered 1..ncids in code point order of the characters the document
** shows in it (so a string is 2 bytes a character and the ToUnicode CMap
** is exact even where two characters share a glyph). */
typedef struct pdf_font {
  HPDF_Dict dict;     /* the Type0 font dictionary (indirect) */
  uint16_t *cid;      /* 65,536 entries: CID of a BMP code point, 0 = none */
  int ncids;
} pdf_font;

/* Writes the Type0, CIDFontType2, FontDescriptor, FontFile2 (a subset of
** the face), CIDToGIDMap and ToUnicode objects for the code points marked
** in used (a 65,536-bit map) into pdf. Stream data is deflated by libharu
** when the document is saved. SB_E_FONT or SB_E_PDF with a message. */
sb_status sb_pdf_embed_font(sb_ctx *ctx, HPDF_Doc pdf, const sb_font *face,
                            const uint8_t *used, pdf_font *out);
void sb_pdf_free_font(pdf_font *f);

/* Page content deflated by a helper thread (pdf-deflate.c). push takes
** ownership of raw (malloc'd) and returns at once when threaded, after
** deflating when not. finish waits for every page: -1 when all are
** deflated, else the index of a page that ran out of memory. get gives a
** page's deflated bytes (after finish), NULL when it was never pushed. */
typedef struct pdf_zq pdf_zq;
pdf_zq *pdf_zq_new(int npages, int threaded);
void pdf_zq_push(pdf_zq *q, int page, unsigned char *raw, size_t n);
int pdf_zq_finish(pdf_zq *q);
const unsigned char *pdf_zq_get(const pdf_zq *q, int page, size_t *n);
void pdf_zq_free(pdf_zq *q);

#endif
