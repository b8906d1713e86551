/*
** devices/pdf-objstm.c -- the saved PDF rewritten with its non-stream
** objects in one compressed object stream and a cross-reference stream
** (ISO 32000-1, 7.5.7 and 7.5.8; allowed in PDF/A-2, which PDF/A-1 was
** not).
**
** Why: libharu 2.3.0 writes every object as plain text with a classic
** xref table, and a tagged handbook has thousands of small objects (one
** structure element per table cell, paragraph and heading): written so,
** the tags tripled a large handbook. Deflated together they cost a few
** bytes each (docs/performance.md, "Tags").
**
** How: libharu saves first (pdf-haru.c); this file reads back what it
** wrote, in the format 2.3.0 writes (each object "N 0 obj\n...\nendobj\n",
** in the order of its xref table; "xref", entries of 20 bytes, "trailer"
** with /Root, /Info and /ID, "startxref"), copies the header and every
** stream object as it is, gathers every other object's body into an
** /ObjStm, and ends with an /XRef stream whose dictionary carries /Root,
** /Info and the /ID placeholders (zeros; pdf-haru.c fills them in from
** the digest of the file). Anything not as expected: -1, and the caller
** keeps libharu's file (never a half-rewritten one).
** Tests: tests/cli/pdfua.sh, tests/cli/pdf_details.sh (qpdf --check,
** pikepdf), tests/unit/test_pdf.c
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/pdf-imp.h"

typedef struct xobj {
  size_t off, end;   /* the object's bytes in the input: [off, end) */
  int num;
  int packed;        /* in the object stream (its index there: slot) */
  int slot;
  size_t newoff;
} xobj;

static const unsigned char *find(const unsigned char *p, size_t n,
                                 const char *s) {
  size_t k = strlen(s), i;

  for (i = 0; k <= n && i <= n - k; i++)
    if (p[i] == (unsigned char)s[0] && memcmp(p + i, s, k) == 0)
      return p + i;
  return NULL;
}

/* The last occurrence of s in p[0..n). */
static const unsigned char *rfind(const unsigned char *p, size_t n,
                                  const char *s) {
  size_t k = strlen(s), i;

  if (k > n)
    return NULL;
  for (i = n - k + 1; i-- > 0;)
    if (memcmp(p + i, s, k) == 0)
      return p + i;
  return NULL;
}

/* The number after key (e.g. "/Root ") in p[0..n), or -1. */
static long num_after(const unsigned char *p, size_t n, const char *key) {
  const unsigned char *k = find(p, n, key);
  long v = 0;

  if (!k)
    return -1;
  k += strlen(key);
  if (k >= p + n || *k < '0' || *k > '9')
    return -1;
  while (k < p + n && *k >= '0' && *k <= '9' && v < 100000000)
    v = v * 10 + (*k++ - '0');
  return v;
}

/* "N 0 obj\n" into b (at least 24 bytes); returns its length. */
static size_t obj_line(char *b, int num) {
  char t[16];
  size_t k = 0, n = 0;
  unsigned v = (unsigned)num;

  do
    t[k++] = (char)('0' + v % 10), v /= 10;
  while (v);
  while (k)
    b[n++] = t[--k];
  memcpy(b + n, " 0 obj\012", 7);
  return n + 7;
}

static int by_off(const void *a, const void *b) {
  const xobj *x = a, *y = b;

  return x->off < y->off ? -1 : x->off > y->off;
}

static int by_num(const void *a, const void *b) {
  const xobj *x = a, *y = b;

  return x->num - y->num;
}

static void put_be(unsigned char *b, unsigned long v, int n) {
  while (n-- > 0) {
    b[n] = (unsigned char)(v & 0xFF);
    v >>= 8;
  }
}

/* Deflates src into z (libdeflate, SB_ZLEVEL_PACKED: deflate.h); 0, or -1
** when out of memory. */
static int deflate_all(const sb_buf *src, sb_buf *z) {
  sb_deflater *dz = sb_new_deflater(SB_ZLEVEL_PACKED);
  size_t zn;
  unsigned char *b = dz ? sb_deflate(dz, src->p, src->n, &zn) : NULL;

  sb_drop_deflater(dz);
  if (!b)
    return -1;
  sb_buf_add(z, b, zn);
  free(b);
  return 0;
}

int sb_pdf_pack_objects(const unsigned char *p, size_t n, sb_buf *out) {
  const unsigned char *sx = rfind(p, n, "startxref\012"), *tr, *q;
  long xoff, root, info, size;
  xobj *o = NULL;
  int no = 0, i, npacked = 0, rc = -1;
  size_t first_obj = n;
  sb_buf head, z, xs, zx;
  char line[96];

  sb_buf_init(&head);
  sb_buf_init(&xs);
  sb_buf_init(&z);
  sb_buf_init(&zx);
  if (!sx)
    return -1;
  xoff = num_after(sx, (size_t)(p + n - sx), "startxref\012");
  if (xoff <= 0 || (size_t)xoff >= n ||
      memcmp(p + xoff, "xref\0120 ", 7) != 0)
    return -1;
  tr = find(p + xoff, n - (size_t)xoff, "trailer\012");
  if (!tr)
    return -1;
  root = num_after(tr, (size_t)(p + n - tr), "/Root ");
  info = num_after(tr, (size_t)(p + n - tr), "/Info ");
  size = num_after(p + xoff, n - (size_t)xoff, "xref\0120 ");
  if (root <= 0 || size <= 1 || size > 10000000)
    return -1;
  /* the xref table: "0 N\n" then N entries of 20 bytes */
  q = find(p + xoff + 5, n - (size_t)xoff - 5, "\012");
  if (!q || (size_t)(tr - (q + 1)) != (size_t)size * 20)
    return -1;
  o = sb_xcalloc((size_t)size, sizeof *o);
  /* the object stream's text is at most the file's: room for it at once
  ** (grown by doubling, it was copied at every step) */
  head.cap = n + 1;
  head.p = sb_xmalloc(head.cap);
  head.p[0] = '\0';
  for (i = 1; i < size; i++) {
    const unsigned char *e = q + 1 + (size_t)i * 20;
    unsigned long off = 0;
    int d;
    if (e[17] != 'n')
      continue;
    for (d = 0; d < 10; d++) { /* ten digits */
      if (e[d] < '0' || e[d] > '9')
        goto out;
      off = off * 10 + (unsigned long)(e[d] - '0');
    }
    if (off == 0 || off >= (unsigned long)xoff)
      goto out;
    o[no].off = off;
    o[no].num = i;
    no++;
  }
  for (i = 1; i < no && o[i - 1].off < o[i].off; i++)
    ;
  if (i < no) /* (libharu writes them in number order: no sort needed) */
    qsort(o, (size_t)no, sizeof *o, by_off);
  for (i = 0; i < no; i++) {
    size_t end = i + 1 < no ? o[i + 1].off : (size_t)xoff;
    int len = (int)obj_line(line, o[i].num);
    static const char se[] = "endstream\012endobj\012", oe[] = "\012endobj\012";
    o[i].end = end;
    if (o[i].off < first_obj)
      first_obj = o[i].off;
    if (end - o[i].off < (size_t)len + 8 ||
        memcmp(p + o[i].off, line, (size_t)len) != 0 ||
        memcmp(p + end - 8, oe, 8) != 0)
      goto out;
    if (end - o[i].off >= sizeof se - 1 &&
        memcmp(p + end - (sizeof se - 1), se, sizeof se - 1) == 0)
      continue; /* a stream: copied as it is */
    o[i].packed = 1;
    o[i].slot = npacked++;
  }
  if (npacked == 0)
    goto out;
  /* the object stream: "num offset ..." pairs, then the bodies */
  {
    const long stm = size, xref = size + 1;
    size_t at = 0, first;
    /* the pairs first (each body's offset follows from the lengths),
    ** then the bodies after them in the same buffer: no second copy */
    for (i = 0; i < no; i++) {
      size_t len, k;
      if (!o[i].packed)
        continue;
      len = obj_line(line, o[i].num);
      /* "num offset " from the same digits */
      line[len - 7] = ' ';
      k = obj_line(line + len - 6, (int)at) - 7; /* at < 2^31: checked below */
      line[len - 6 + k] = ' ';
      sb_buf_add(&head, line, len - 6 + k + 1);
      at += o[i].end - o[i].off - len - 8 + 1;
      if (at > 0x7FFFFFFF)
        goto out;
    }
    first = head.n;
    for (i = 0; i < no; i++) {
      size_t len;
      if (!o[i].packed)
        continue;
      len = obj_line(line, o[i].num);
      sb_buf_add(&head, p + o[i].off + len, o[i].end - o[i].off - len - 8);
      sb_buf_addc(&head, '\012');
    }
    if (deflate_all(&head, &z) != 0)
      goto out;
    /* the header and the stream objects, in their order */
    sb_buf_add(out, p, first_obj);
    for (i = 0; i < no; i++) {
      if (o[i].packed)
        continue;
      o[i].newoff = out->n;
      sb_buf_add(out, p + o[i].off, o[i].end - o[i].off);
    }
    {
      size_t stm_off = out->n, xref_off;
      unsigned char e[7];
      sb_buf_printf(out,
                    "%ld 0 obj\012<<\012/Type /ObjStm\012/N %d\012/First %zu\012"
                    "/Filter /FlateDecode\012/Length %zu\012>>\012stream\015\012",
                    stm, npacked, first, z.n);
      sb_buf_add(out, z.p, z.n);
      sb_buf_adds(out, "\012endstream\012endobj\012");
      /* the cross-reference stream: type, offset or stream, gen or index */
      for (i = 1; i < no && o[i - 1].num < o[i].num; i++)
        ;
      if (i < no)
        qsort(o, (size_t)no, sizeof *o, by_num);
      for (i = 0, at = 0; i <= xref; i++) {
        while (at < (size_t)no && o[at].num < i)
          at++;
        memset(e, 0, sizeof e);
        if (i == 0) {
          put_be(e + 5, 0xFFFF, 2);
        } else if (i == stm) {
          e[0] = 1;
          put_be(e + 1, (unsigned long)stm_off, 4);
        } else if (i == xref) {
          e[0] = 1;
          put_be(e + 1, (unsigned long)out->n, 4);
        } else if (at < (size_t)no && o[at].num == i) {
          e[0] = o[at].packed ? 2 : 1;
          put_be(e + 1, o[at].packed ? (unsigned long)stm
                                     : (unsigned long)o[at].newoff, 4);
          put_be(e + 5, o[at].packed ? (unsigned long)o[at].slot : 0, 2);
        }
        sb_buf_add(&xs, e, sizeof e);
      }
      if (out->n > 0xFFFFFFFFu || npacked > 0xFFFF || deflate_all(&xs, &zx) != 0)
        goto out;
      xref_off = out->n;
      sb_buf_printf(out,
                    "%ld 0 obj\012<<\012/Type /XRef\012/Size %ld\012/W [1 4 2]\012"
                    "/Root %ld 0 R\012",
                    xref, xref + 1, root);
      if (info > 0)
        sb_buf_printf(out, "/Info %ld 0 R\012", info);
      sb_buf_printf(out,
                    "/ID [ <%032d> <%032d> ]\012/Filter /FlateDecode\012"
                    "/Length %zu\012>>\012stream\015\012",
                    0, 0, zx.n);
      sb_buf_add(out, zx.p, zx.n);
      sb_buf_printf(out, "\012endstream\012endobj\012startxref\012%zu\012%%%%EOF\012",
                    xref_off);
    }
  }
  rc = 0;
out:
  free(o);
  sb_buf_free(&head);
  sb_buf_free(&z);
  sb_buf_free(&xs);
  sb_buf_free(&zx);
  return rc;
}
