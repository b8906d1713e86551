/*
** devices/pdf-imp.h -- what the pdf device's files share (private).
**
** pdf-device.c is the device (callbacks, the order of things);
** pdf-content.c writes each page's content operators; pdf-font.c writes the
** font objects; pdf-deflate.c deflates pages on a helper thread; and
** pdf-haru.c, behind pdf-haru.h, is the only file that talks to libharu.
*/
#ifndef SB_DEVICES_PDF_IMP_H
#define SB_DEVICES_PDF_IMP_H

#include "devices/deflate.h"
#include "devices/pdf-haru.h"
#include "skillbook/font.h"

/* One embedded face: a Type0 font with Identity-H encoding whose CIDs are
** numbered 1..ncids in code point order of the characters the document
** shows in it (so a string is 2 bytes a character and the ToUnicode CMap
** is exact even where two characters share a glyph). */
typedef struct pdf_font {
  sb_haru_obj *dict;  /* the Type0 font dictionary (indirect) */
  const sb_font *face; /* its metrics: pair kerning (sb_font_kern) */
  uint16_t *cid;      /* 65,536 entries: CID of a BMP code point, 0 = none */
  int ncids;
} pdf_font;

/* Writes the Type0, CIDFontType2, FontDescriptor, FontFile2 (a subset of
** the face), CIDToGIDMap and ToUnicode objects for the code points marked
** in used (a 65,536-bit map) into doc. Stream data is deflated as each
** stream is made (sb_haru_stream). SB_E_FONT or SB_E_PDF with a message. */
sb_status sb_pdf_embed_font(sb_ctx *ctx, sb_haru *doc, const sb_font *face,
                            const uint8_t *used, pdf_font *out);
void sb_pdf_free_font(pdf_font *f);
/** The whole face, for typing into form fields (a subset has no glyphs
** for what a person types): a Type0 /Identity-H font whose CIDs are the
** BMP code points (so a viewer writes a typed character as its code
** point), a CIDToGIDMap of every code point, /W for every one the face
** covers, a ToUnicode CMap of ranges, FontFile2 the font file as it is
** (no subset tag). *out its Type0 dict. SB_E_PDF when libharu refused.
** @test tests/cli/fillable.sh */
sb_status sb_pdf_embed_font_whole(sb_ctx *ctx, sb_haru *doc,
                                  const sb_font *face, sb_haru_obj **out);

/* ==== Content operators (pdf-content.c) ==== */

/* What the content stream has been told, to skip redundant operators. */
typedef struct pdf_gs {
  int in_text;
  int font;            /* slot, -1 unknown */
  double size;
  int fill_ok, stroke_ok;
  sb_color fill, stroke;
  double lw;           /* < 0 unknown */
  int cap, join;       /* -1 unknown */
  char dash[64];       /* the last dash operator, "" unknown */
} pdf_gs;

/* A CID as a text string holds it: two bytes, escaped (pdf-content.c). */
typedef struct pdf_cid_bytes {
  unsigned char n, b[4];
} pdf_cid_bytes;

/* One page's content stream being written. */
typedef struct pdf_content {
  sb_haru *doc;             /* names the resources the operators use */
  const pdf_font *font;     /* SB_FONT_COUNT faces; dict NULL = not embedded */
  sb_buf cs;                /* the page's operators, raw */
  double page_h;            /* for flipping y */
  const char *fname[SB_FONT_COUNT]; /* resource name on this page, or NULL */
  pdf_gs gs;
  /* the string bytes of each ASCII code point per slot, made on first use
  ** from the slot's CID table (ascii_of: that table; NULL = not made) */
  pdf_cid_bytes ascii[SB_FONT_COUNT][128];
  const uint16_t *ascii_of[SB_FONT_COUNT];
} pdf_content;

/* Starts a page of height page_h: cs emptied, PDF's initial graphics
** state assumed. */
void sb_pdf_content_page(pdf_content *c, double page_h);
/* Appends the operators of a text, rect, line, path or image op to c->cs
** (other kinds are ignored). Resource names come from c->doc; when libharu
** refuses one, its error is kept and the document fails at the page's end. */
void sb_pdf_content_op(pdf_content *c, const sb_op *op);
/* Closes a text object left open (ET); call at the end of a page. */
void sb_pdf_content_end(pdf_content *c);
/* Begins marked content: "/tag <</MCID mcid>> BDC" when mcid >= 0; an
** artifact ("/Artifact BMC", or with tag "Pagination" a pagination
** artifact) when mcid < 0. Closes an open text object first. */
void sb_pdf_content_bdc(pdf_content *c, const char *tag, int mcid);
/** As sb_pdf_content_bdc, with /Lang (lang) in the property list of a
** tagged sequence (mcid >= 0) when lang is a well-formed tag (text in
** another language than the document's); lang NULL: sb_pdf_content_bdc.
** @test tests/cli/pdfua.sh */
void sb_pdf_content_bdc_lang(pdf_content *c, const char *tag, int mcid,
                             const char *lang);
/** Whether lang can be written as a PDF string as it is: 1..35
** characters of letters, digits and '-' (a BCP 47 tag's alphabet). */
int sb_pdf_lang_ok(const char *lang);
/* Ends marked content (EMC), closing an open text object first. */
void sb_pdf_content_emc(pdf_content *c);

/* ==== Deflate (pdf-deflate.c) ==== */

/* Page content deflated by a helper thread (pdf-deflate.c). new: threaded
** asks for the helper (it has its own compressor); mine is the calling
** thread's compressor (SB_ZLEVEL_CONTENT), borrowed until finish, for
** the pages deflated on this thread (NULL: those fail as out of memory).
** push takes ownership of raw (malloc'd) and returns at once when
** threaded, after deflating when not. finish waits for every page: -1
** when all are deflated, else the index of a page that ran out of memory.
** get gives a page's deflated bytes (after finish), NULL when it was
** never pushed. */
typedef struct pdf_zq pdf_zq;
pdf_zq *pdf_zq_new(int npages, int threaded, sb_deflater *mine);
void pdf_zq_push(pdf_zq *q, int page, unsigned char *raw, size_t n);
int pdf_zq_finish(pdf_zq *q);
const unsigned char *pdf_zq_get(const pdf_zq *q, int page, size_t *n);
/* get before finish: waits until that one page is deflated (the helper
** takes pages in push order: one pushed first waits least). NULL when it
** was never pushed or ran out of memory. */
const unsigned char *pdf_zq_wait(pdf_zq *q, int page, size_t *n);
/* Frees a page's deflated bytes once they were copied elsewhere (get then
** gives NULL for it). */
void pdf_zq_release(pdf_zq *q, int page);
void pdf_zq_free(pdf_zq *q);

/* ==== The structure tree (pdf-tags.c) ==== */

typedef struct pdf_tags pdf_tags;
/** Tags for a document of npages pages in lang (sb_docinfo.lang: a
** Figure whose alt is in another language gets /Lang). */
pdf_tags *sb_pdf_tags_new(int npages, const char *lang);
void sb_pdf_tags_free(pdf_tags *t);
/** A page begins / ends (the open marked-content sequence is closed). */
void sb_pdf_tags_page(pdf_tags *t, int page);
void sb_pdf_tags_end_page(pdf_tags *t, pdf_content *c);
/** A structure mark (SB_OP_BEGIN / SB_OP_END). */
void sb_pdf_tags_mark(pdf_tags *t, pdf_content *c, const sb_op *op);
/** Before a drawing op is written into c: opens the marked content it
** belongs in. A link op is recorded (the i-th link op is link i). */
void sb_pdf_tags_op(pdf_tags *t, pdf_content *c, const sb_op *op);
/** The annotation made for link i (NULL: none was made). */
void sb_pdf_tags_link(pdf_tags *t, int i, sb_haru_obj *annot);
/** The widget made for the i-th field op (sb_pdf_tags_op gave each a Form
** element, in the element open where it was drawn). */
void sb_pdf_tags_field(pdf_tags *t, int i, sb_haru_obj *annot);
/** Writes the structure tree, ParentTree, /StructParents, /Tabs and the
** annotations' /StructParent and /Contents. SB_E_PDF when libharu refused. */
sb_status sb_pdf_tags_finish(sb_ctx *ctx, pdf_tags *t, sb_haru *h);

/* ==== Forms (pdf-form.c) ==== */

/* The font of the AcroForm's /DR: what typed answers are drawn in. */
typedef struct pdf_form_font {
  const char *name;   /* its resource name in /DR and /DA */
  sb_haru_obj *dict;  /* NULL: none */
} pdf_form_font;

typedef struct pdf_form pdf_form;
/** An empty form (no fields yet). */
pdf_form *sb_pdf_form_new(void);
void sb_pdf_form_free(pdf_form *fm);
/** How many field ops were recorded. */
int sb_pdf_form_count(const pdf_form *fm);
/** Before an op of page is written into c: records a field op, or takes a
** text op that prints the value of the text field before it (it goes
** into the widget's appearance). 1 when the op was taken (not to be
** drawn nor tagged), else 0.
** @test tests/cli/fillable.sh */
int sb_pdf_form_op(pdf_form *fm, pdf_content *c, int page, const sb_op *op);
/** The page ends (a value being taken ends with it). */
void sb_pdf_form_end_page(pdf_form *fm);
/** Writes the widgets (on their pages' /Annots), the fields and the
** catalog's /AcroForm with dr's font in /DR; font: the page fonts the
** values' appearances use. With tags, each widget is given to
** sb_pdf_tags_field. SB_E_PDF when libharu refused. */
sb_status sb_pdf_form_finish(sb_ctx *ctx, pdf_form *fm, sb_haru *h,
                             const pdf_font *font, const pdf_form_font *dr,
                             pdf_tags *tags);

/* ==== Object streams (pdf-objstm.c) ==== */

/** The object stream's compressor, made (and its deflate run) on a thread
** of its own when threaded and the thread can be started, else on the
** caller's when needed. Make it before libharu saves: the thread makes the
** compressor meanwhile. Never NULL (out of memory exits).
** @test tests/unit/test_objstm.c */
typedef struct pdf_packer pdf_packer;
pdf_packer *sb_pdf_packer_new(int threaded);
/** Joins the thread if it still runs, and frees; NULL is a no-op. */
void sb_pdf_packer_free(pdf_packer *pk);
/** A page's content stream that libharu saved empty (its /Length object
** holding 0), filled in by sb_pdf_pack_objects: num, the stream object's
** number; len_num, its /Length's; z[0..n), the deflated content. */
typedef struct pdf_splice {
  long num, len_num;
  const unsigned char *z;
  size_t n;
} pdf_splice;
/** Rewrites the PDF libharu saved in buf from byte n0 to its end, in
** place: every non-stream object in one deflated /ObjStm (deflated by pk),
** a /XRef stream with /Root, /Info and zeroed /ID placeholders instead of
** the xref table and trailer; the nsp content streams sp[] get their
** bytes, and their /Length objects the count. When sha is not NULL, the
** file's first *hashed bytes (from n0) are added to it as they are final,
** while the object stream is deflated (*hashed is 0 otherwise). 0, or -1
** when the file is not as libharu 2.3.0 writes it or memory ran out:
** buf's bytes past n0 are then unusable (the caller drops them).
** @test tests/unit/test_objstm.c */
int sb_pdf_pack_objects(sb_buf *buf, size_t n0, pdf_packer *pk,
                        const pdf_splice *sp, int nsp, sb_sha256 *sha,
                        size_t *hashed);

/* ==== Archival objects (pdf-archive.c) ==== */

/** lcms2's sRGB profile as ICC bytes (made once per process, with a fixed
** creation date); NULL when lcms2 failed. */
const unsigned char *sb_pdf_srgb_icc(size_t *n);
/** The same profile deflated at SB_ZLEVEL_STREAM, made once per process:
** the bytes sb_haru_stream would write for it in every archival PDF. NULL
** when lcms2 failed or out of memory. @test tests/unit/test_deflate.c */
const unsigned char *sb_pdf_srgb_icc_z(size_t *zn);
/** Appends the XMP packet that repeats in's info fields (pdf-archive.c),
** and in->meta in skillbook's namespace (docs/forms.md). */
void sb_pdf_xmp(sb_buf *b, const sb_docinfo *in);
/** The same; archival 0: without the PDF/A and PDF/UA claims (a file
** made with --no-tags, whose form still carries its identity). */
void sb_pdf_xmp_ex(sb_buf *b, const sb_docinfo *in, int archival);
/** A file with no archival objects (--no-tags) but in->nmeta properties:
** the catalog's /Metadata, an XMP without PDF/A claims. */
sb_status sb_pdf_metadata(sb_ctx *ctx, sb_haru *h, const sb_docinfo *in);
/** Adds /Metadata (XMP), /OutputIntents (sRGB) and /MarkInfo to the
** catalog. SB_E_PDF when libharu or lcms2 refused. */
sb_status sb_pdf_archive(sb_ctx *ctx, sb_haru *h, const sb_docinfo *in);

#endif
