/*
** devices/pdf-haru.h -- the pdf device's one door into libharu (private).
**
** pdf-haru.c is the only file of the project that includes hpdf.h. It
** keeps the document's objects: pages and their resource names, images,
** transparency states, links, outlines, the info and catalog entries, the
** dicts, arrays and streams the font writer builds (pdf-font.c), and the
** save. Everything libharu does not offer through hpdf.h (its object layer,
** the fields of HPDF_Doc and of streams, the xref) is used there alone, for
** libharu 2.3.0, the version cmake/CheckLibharu.cmake pins (docs/pdf.md).
**
** Errors: libharu's error handler only records the first error (and the
** page being drawn); sb_haru_check turns it into SB_E_PDF. Functions that
** return a pointer return NULL when libharu refused, with its error kept
** for the next check. Objects are borrowed: they live as long as the
** document. Single-threaded, like libharu.
** Tests: tests/unit/test_pdf.c
*/
#ifndef SB_DEVICES_PDF_HARU_H
#define SB_DEVICES_PDF_HARU_H

#include "devices/deflate.h"
#include "skillbook/base.h"
#include "skillbook/dlist.h"

typedef struct sb_haru sb_haru;         /* one libharu document */
typedef struct sb_haru_obj sb_haru_obj; /* a dict, array or stream of it */

/* The info dictionary's /Producer (and the XMP's pdf:Producer). */
#define SB_PDF_PRODUCER "skillbook " SB_VERSION " (libharu 2.3.0)"

/* Info strings, outline titles and structure texts longer than this many
** bytes are cut at a character boundary with an ellipsis (libharu refuses
** strings over 65,535 bytes); sb_pdf_clip_len says where. */
#define SB_PDF_MAX_STR 4000
/** How many bytes of s a clipped string keeps (strlen(s) when it is not
** cut; then no ellipsis follows). */
size_t sb_pdf_clip_len(const char *s);

/* ==== The document ==== */

/** A new document of npages pages (none added yet), compressing every
** stream, with the UTF-8 encodings registered. NULL with SB_E_PDF recorded
** in ctx when libharu cannot start. Free with sb_haru_drop. */
sb_haru *sb_haru_new(sb_ctx *ctx, int npages);
/** Frees the document and everything libharu holds for it; NULL is a no-op. */
void sb_haru_drop(sb_haru *h);
/** Bytes this thread's libharu arena holds (pdf-haru.c): > 0 while a
** document is open on the thread, 0 once the last is dropped. For tests.
** @test tests/unit/test_pdf.c */
size_t sb_haru_arena_held(void);
/** SB_OK, or SB_E_PDF naming libharu's first error (and the page it
** happened on, 1-based, when it happened while a page was drawn). */
sb_status sb_haru_check(sb_ctx *ctx, sb_haru *h);

/* ==== Objects (the font writer's) ==== */

/** A new empty dict: an indirect object (numbered in the xref) when
** indirect is set, else a direct one to put into another. */
sb_haru_obj *sb_haru_dict(sb_haru *h, int indirect);
/** A new empty direct array. */
sb_haru_obj *sb_haru_array(sb_haru *h);
/** A new indirect stream object holding data deflated (/FlateDecode) by
** the document's compressor (sb_haru_deflater, level SB_ZLEVEL_STREAM).
** NULL when out of memory or when libharu refused. @test tests/unit/test_pdf.c */
sb_haru_obj *sb_haru_stream(sb_haru *h, const void *data, size_t n);
/** While fn is set (NULL: never, the default), sb_haru_stream makes the
** object as it would (its dictionary and /Length, in the same order) but
** leaves its data out, and hands fn the data to deflate elsewhere:
** fn(arg, stream, data, n) copies what it keeps and returns 0, or -1 to
** have sb_haru_stream deflate it at once as without fn. The bytes are
** given later with sb_haru_stream_fill, before the document is saved
** (the pdf device deflates its fonts' streams on its helper thread).
** @test tests/unit/test_pdf.c */
void sb_haru_defer_streams(sb_haru *h,
                           int (*fn)(void *arg, sb_haru_obj *stream,
                                     const void *data, size_t n),
                           void *arg);
/** A deferred stream's data: z[0..zn), deflated at SB_ZLEVEL_STREAM.
** SB_E_PDF when libharu refused. */
sb_status sb_haru_stream_fill(sb_ctx *ctx, sb_haru *h, sb_haru_obj *stream,
                              const void *z, size_t zn);
/** The document's compressor (deflate.h, SB_ZLEVEL_STREAM), made on first
** use and freed with the document; the thread that draws the document
** uses it (the pdf device also lends it to its deflate queue). NULL when
** out of memory. */
sb_deflater *sb_haru_deflater(sb_haru *h);
/** dict[key] = value (an indirect value is written as a reference).
** 0, or -1 when libharu refused (its error is kept). */
int sb_haru_put(sb_haru_obj *dict, const char *key, sb_haru_obj *value);
void sb_haru_put_name(sb_haru_obj *dict, const char *key, const char *name);
void sb_haru_put_int(sb_haru_obj *dict, const char *key, long v);
/** A real number, written as libharu writes a float. */
void sb_haru_put_real(sb_haru_obj *dict, const char *key, double v);
/** A string, bytes as given (no encoder). */
void sb_haru_put_str(sb_haru *h, sb_haru_obj *dict, const char *key,
                     const char *s);
/** A new indirect stream holding a copy of z, n bytes already deflated
** (zlib format), declared /FlateDecode and written as they are: data
** deflated once per process (a form's whole font, pdf-font.c). */
sb_haru_obj *sb_haru_stream_flate(sb_haru *h, const void *z, size_t n);
/** A new indirect stream holding a copy of data, written as it is (no
** filter): the XMP metadata, which PDF/A readers find by scanning bytes. */
sb_haru_obj *sb_haru_stream_plain(sb_haru *h, const void *data, size_t n);
void sb_haru_put_bool(sb_haru_obj *dict, const char *key, int v);
/** A text string (UTF-8 in, written as PDF text: UTF-16BE, the bytes
** libharu's UTF-8 encoder writes), clipped as the info strings are. */
void sb_haru_put_text(sb_haru *h, sb_haru_obj *dict, const char *key,
                      const char *s);
/** For tests: 0 makes every text string (put_text, outline titles, info)
** through libharu's UTF-8 encoder, as before it was bypassed; 1 (the
** default) writes the ones it would write the same way directly.
** For the calling thread. Returns how many strings it has written
** directly so far. @test tests/unit/test_pdf.c */
long sb_haru_text_direct(int on);
/* A dict whose entries a callback writes when the document is saved, as
** PDF text ("/Key value..."), after any entries put into it: the
** structure elements of a tagged document, thousands of them, which
** libharu's own dicts would build and write slowly (an allocation and a
** write per key). Caller-owned; it must live until the save. */
typedef struct sb_haru_lazy {
  void (*fn)(void *user, sb_buf *out);
  void *user;
  sb_buf *scratch;    /* set by sb_haru_dict_lazy */
} sb_haru_lazy;
/** A new indirect dict written by lz (see above); NULL as sb_haru_dict. */
sb_haru_obj *sb_haru_dict_lazy(sb_haru *h, sb_haru_lazy *lz);
/** The object number of an indirect object (for "N 0 R" written by a
** lazy dict); 0 for a direct one or NULL. */
long sb_haru_num(const sb_haru_obj *o);
/** Appends value to an array: 0, or -1 as sb_haru_put. */
int sb_haru_push(sb_haru_obj *array, sb_haru_obj *value);
void sb_haru_push_int(sb_haru_obj *array, long v);
void sb_haru_push_real(sb_haru_obj *array, double v);
void sb_haru_push_name(sb_haru_obj *array, const char *name);
/** The document catalog (its root), to add entries to. */
sb_haru_obj *sb_haru_catalog(sb_haru *h);
/** Page's dict (0-based dl index), NULL when the page was not added. */
sb_haru_obj *sb_haru_page_dict(sb_haru *h, int page);

/* ==== Pages ==== */

/** Adds page (0-based index in the display list) of w x h points; it is
** the current page until sb_haru_end_page, and errors meanwhile name it. */
sb_status sb_haru_add_page(sb_ctx *ctx, sb_haru *h, int page, double w,
                           double ht);
/** Checks for errors (sb_haru_check), then no page is current. */
sb_status sb_haru_end_page(sb_ctx *ctx, sb_haru *h);
/** Whether page was added. */
int sb_haru_has_page(const sb_haru *h, int page);
/** The current page's resource name for a font dict (a Type0 font of
** pdf-font.c), for the Tf operator; NULL when libharu refused. */
const char *sb_haru_font_name(sb_haru *h, sb_haru_obj *font);
/** The current page's resource name of a graphics state with this fill
** alpha (one state per distinct alpha in the document), for gs. */
const char *sb_haru_alpha_name(sb_haru *h, double alpha);
/** The current page's resource name of the PNG image in png[0..n) (loaded
** once per document per buffer address, for the first 8 buffers), for Do. */
const char *sb_haru_image_name(sb_haru *h, const void *png, size_t n);
/** Gives page its content stream: n bytes already deflated, declared
** /FlateDecode. The bytes are copied. */
sb_status sb_haru_set_contents(sb_ctx *ctx, sb_haru *h, int page,
                               const void *z, size_t n);

/* ==== What needs every page ==== */

/** A link annotation (no border, print flag) on page from, at left,
** bottom, right, top in PDF coordinates, to y (PDF) on page to, keeping
** the reader's left and zoom. Pages not added are skipped (NULL); the
** annotation's dict is returned for tagging (/StructParent, /Contents). */
sb_haru_obj *sb_haru_add_link(sb_haru *h, int from, const double rect[4], int to,
                      double dest_y);
/** Appends annot (an indirect dict: a form field's widget) to page's
** /Annots. Pages not added are skipped. */
void sb_haru_page_annot(sb_haru *h, int page, sb_haru_obj *annot);
/** The document outline from dl->outlines, nested by depth (a jump deeper
** than one level is clamped; at most 16 levels), titles through the UTF-8
** encoder. Returns how many entries were made. */
int sb_haru_add_outlines(sb_haru *h, const sb_dl *dl);
/** Page mode (outlines open when there are some), the page label, the
** info dictionary (dates only when in->date >= 0; /Producer is
** SB_PDF_PRODUCER, which the XMP repeats), /Lang and /ViewerPreferences. */
void sb_haru_finish(sb_haru *h, const sb_docinfo *in, int outlines);
/** From now on, sb_haru_save packs the non-stream objects into an object
** stream with a cross-reference stream (pdf-objstm.c): for tagged
** documents, whose thousands of structure elements libharu would write
** as plain text. threaded: the object stream may be deflated on a
** thread of its own (the device's choice for its page deflates). */
void sb_haru_pack(sb_haru *h, int threaded);
/** With sb_haru_pack: fn(arg) is called once libharu has written its file
** and before the file is rewritten, for the caller to free what only the
** writing needed (the structure tree that lazy dicts write from); then
** libharu's objects and their arena are freed too, so the rewrite's
** buffers take their place rather than adding to the peak (issue #18).
** Not called without sb_haru_pack or when the writing failed.
** @test tests/unit/test_pdf.c */
void sb_haru_on_written(sb_haru *h, void (*fn)(void *), void *arg);
/** Writes the whole PDF, appended to out as libharu produces it (no copy
** of the file is assembled anywhere else, unless sb_haru_pack asked for
** the rewrite). On failure SB_E_PDF, and out is as it was. After a save
** with sb_haru_pack the document holds no libharu objects any more
** (sb_haru_arena_held() is 0 when it was the thread's only one): it can
** only be dropped. */
sb_status sb_haru_save(sb_ctx *ctx, sb_haru *h, sb_buf *out);
/** sb_haru_save for a packed file (sb_haru_pack) whose pages were not
** given their contents: libharu writes them empty while zq's thread is
** still deflating the last pages; then zq is finished (this thread
** deflates its share of what is left) and the rewrite fills every page's
** content stream and its /Length in (pdf-objstm.c). The bytes are those
** sb_haru_set_contents and sb_haru_save make. zq's pages are released
** (pdf_zq_release) once the file holds them. */
typedef struct pdf_zq pdf_zq;
sb_status sb_haru_save_pages(sb_ctx *ctx, sb_haru *h, sb_buf *out,
                             pdf_zq *zq);

#endif
