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
** with /Root, /Info and /ID, "startxref"), keeps the header and every
** stream object as it is (moved down, in place), gathers every other
** object's body into an /ObjStm, and ends with an /XRef stream whose
** dictionary carries /Root, /Info and the /ID placeholders (zeros;
** pdf-haru.c fills them in from the digest of the file). Page contents
** that libharu saved empty are put in as the streams move (pdf_splice,
** docs/pdf.md "Saving"). Anything not as expected: -1 (found before a
** byte is moved; running out of memory, or a file past 4 GB, may be found
** after), and the caller drops the file (never a half-rewritten one).
** Tests: tests/unit/test_objstm.c, tests/cli/pdfua.sh,
** tests/cli/pdf_details.sh (qpdf --check, pikepdf), tests/unit/test_pdf.c
*/
#include <pthread.h>
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
  const pdf_splice *sp;  /* a page's content left empty: its bytes */
  const pdf_splice *len; /* that content's /Length (written as 0) */
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

/* ==== The packer: the object stream's compressor, and its thread ====
**
** The object stream is most of the save's deflate (about 0.8 MB of text in
** a large tagged handbook). With a thread, it is deflated beside this
** thread, which meanwhile moves the stream objects down and hashes them
** for the /ID. The compressor and the output's room are made on the
** calling thread, whose heap is on huge pages (base/heap.c): made by the
** helper, in its own arena, they faulted in 4 KB at a time, ~150 faults
** of ~12 us, some of them on the critical path (docs/performance.md,
** "After layout"). The bytes are the same either way: one libdeflate call
** on the same input at the same level. The thread touches nothing but
** the packer (as pdf-deflate.c's). */

struct pdf_packer {
  sb_deflater *dz;             /* SB_ZLEVEL_PACKED (NULL: out of memory) */
  int threaded;
  pthread_t thr;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int state;                   /* 0 nothing posted, 1 posted, 2 done, 3 quit */
  const unsigned char *in;     /* posted */
  size_t n;
  unsigned char *z;            /* the deflate's room, then its bytes */
  size_t zcap, zn;             /* zn 0: out of memory */
};

static void *packer_main(void *arg) {
  pdf_packer *pk = arg;

  pthread_mutex_lock(&pk->mu);
  while (pk->state == 0)
    pthread_cond_wait(&pk->cv, &pk->mu);
  if (pk->state == 1) {
    pthread_mutex_unlock(&pk->mu);
    pk->zn = sb_deflate_into(pk->dz, pk->in, pk->n, pk->z, pk->zcap);
    pthread_mutex_lock(&pk->mu);
    pk->state = 2;
    pthread_cond_signal(&pk->cv);
  }
  pthread_mutex_unlock(&pk->mu);
  return NULL;
}

pdf_packer *sb_pdf_packer_new(int threaded) {
  pdf_packer *pk = sb_xcalloc(1, sizeof *pk);

  pk->dz = sb_new_deflater(SB_ZLEVEL_PACKED);
  if (pk->dz && threaded && pthread_mutex_init(&pk->mu, NULL) == 0) {
    if (pthread_cond_init(&pk->cv, NULL) == 0) {
      if (pthread_create(&pk->thr, NULL, packer_main, pk) == 0) {
        pk->threaded = 1;
        return pk;
      }
      pthread_cond_destroy(&pk->cv);
    }
    pthread_mutex_destroy(&pk->mu);
  }
  return pk;
}

/* Ends the thread (state 3 when nothing was posted) and joins it. */
static void packer_join(pdf_packer *pk) {
  if (!pk->threaded)
    return;
  pthread_mutex_lock(&pk->mu);
  if (pk->state == 0)
    pk->state = 3;
  pthread_cond_signal(&pk->cv);
  pthread_mutex_unlock(&pk->mu);
  pthread_join(pk->thr, NULL);
  pthread_cond_destroy(&pk->cv);
  pthread_mutex_destroy(&pk->mu);
  pk->threaded = 0;
}

void sb_pdf_packer_free(pdf_packer *pk) {
  if (!pk)
    return;
  packer_join(pk);
  free(pk->z);
  sb_drop_deflater(pk->dz);
  free(pk);
}

/* Starts deflating in[0..n) (on the thread, or here when there is none),
** into room made here. */
static void packer_post(pdf_packer *pk, const unsigned char *in, size_t n) {
  if (pk->dz) {
    pk->zcap = sb_deflate_bound(pk->dz, n);
    pk->z = malloc(pk->zcap ? pk->zcap : 1);
  }
  if (!pk->z) { /* out of memory: the thread ends, the wait gives NULL */
    packer_join(pk);
    return;
  }
  if (!pk->threaded) {
    pk->zn = sb_deflate_into(pk->dz, in, n, pk->z, pk->zcap);
    pk->state = 2;
    return;
  }
  pthread_mutex_lock(&pk->mu);
  pk->in = in;
  pk->n = n;
  pk->state = 1;
  pthread_cond_signal(&pk->cv);
  pthread_mutex_unlock(&pk->mu);
}

/* Waits for what packer_post started; the deflate, or NULL when out of
** memory (its length in *zn). The packer keeps it (freed with it). */
static const unsigned char *packer_wait(pdf_packer *pk, size_t *zn) {
  packer_join(pk);
  *zn = pk->zn;
  return pk->zn ? pk->z : NULL;
}

/* Decimal digits of v. */
static size_t digits(size_t v) {
  size_t k = 1;

  while (v >= 10)
    v /= 10, k++;
  return k;
}

/* Room for more bytes (and sb_buf's NUL) in b, at exactly that size when it
** must grow: the pieces appended after it are counted to the byte. */
static void room(sb_buf *b, size_t more) {
  if (b->n + more + 1 <= b->cap)
    return;
  b->p = sb_xrealloc(b->p, b->n + more + 1);
  b->cap = b->n + more + 1;
}

/* Moves stream object x from p (the file as libharu wrote it) to its new
** offset in f (the same memory, or where it moved to): a content stream
** left empty gets its bytes between "stream\r\n" and "\nendstream". */
static void put_stream(char *f, const unsigned char *p, const xobj *x) {
  static const char endstm[] = "\012endstream\012endobj\012";
  size_t keep = x->end - x->off - (x->sp ? sizeof endstm - 1 : 0);

  if (x->newoff != x->off)
    memmove(f + x->newoff, p + x->off, keep);
  if (x->sp) {
    if (x->sp->n)
      memcpy(f + x->newoff + keep, x->sp->z, x->sp->n);
    memcpy(f + x->newoff + keep + x->sp->n, endstm, sizeof endstm - 1);
  }
}

/* How the file is rewritten, in place (no second copy of the page streams
** is made): libharu's file is read and checked, the object stream's text
** gathered and handed to the packer; while it is deflated, the stream
** objects are moved down over the packed objects (each to an offset no
** later than its own: memmove, in offset order) and hashed, and the
** cross-reference stream is filled in but for its own entry, whose offset
** follows the object stream's compressed length. */
int sb_pdf_pack_objects(sb_buf *buf, size_t n0, pdf_packer *pk,
                        const pdf_splice *sp, int nsp, sb_sha256 *sha,
                        size_t *hashed) {
  const unsigned char *p = (const unsigned char *)buf->p + n0;
  size_t n = buf->n - n0;
  const unsigned char *sx = rfind(p, n, "startxref\012"), *tr, *q;
  long xoff, root, info, size;
  xobj *o = NULL;
  int no = 0, i, npacked = 0, rc = -1;
  size_t first_obj = n;
  unsigned char *head = NULL, *xs = NULL, *zx = NULL;
  const unsigned char *z;
  const pdf_splice **spof = NULL; /* per object number: its splice */
  static const char endstm[] = "\012endstream\012endobj\012";
  size_t zn = 0, zxn = 0;
  char line[96];

  *hashed = 0;
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
  if (nsp > 0) { /* content streams and /Length objects, by number */
    spof = sb_xcalloc((size_t)size * 2, sizeof *spof);
    for (i = 0; i < nsp; i++) {
      if (sp[i].num <= 0 || sp[i].num >= size || sp[i].len_num <= 0 ||
          sp[i].len_num >= size || spof[2 * sp[i].num] ||
          spof[2 * sp[i].len_num + 1])
        goto out;
      spof[2 * sp[i].num] = &sp[i];
      spof[2 * sp[i].len_num + 1] = &sp[i];
    }
  }
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
    if (spof) {
      o[i].sp = spof[2 * o[i].num];
      o[i].len = spof[2 * o[i].num + 1];
    }
    /* an empty content stream to fill in: "stream\r\n\nendstream..." */
    if (o[i].sp && (end - o[i].off < (size_t)len + 8 + 26 ||
                    memcmp(p + end - 26, "stream\015\012", 8) != 0))
      goto out;
    /* its length, written as 0 */
    if (o[i].len && (end - o[i].off != (size_t)len + 9 || p[o[i].off + len] != '0'))
      goto out;
    if (end - o[i].off >= sizeof se - 1 &&
        memcmp(p + end - (sizeof se - 1), se, sizeof se - 1) == 0)
      continue; /* a stream: copied as it is */
    if (o[i].sp)
      goto out; /* a content stream that is not one */
    o[i].packed = 1;
    o[i].slot = npacked++;
  }
  if (npacked == 0)
    goto out;
  /* the object stream: "num offset ..." pairs, then the bodies */
  {
    const long stm = size, xref = size + 1;
    size_t at = 0, first = 0, hn, w, stm_off, xref_off, tail;
    char stm_dict[160], xref_dict[256];
    int sd, xd;
    /* the sizes first: "num offset " for each packed object, each body
    ** and its newline; the stream objects' new offsets */
    w = first_obj;
    for (i = 0; i < no; i++) {
      size_t len = obj_line(line, o[i].num), body;
      if (!o[i].packed) {
        o[i].newoff = w;
        w += o[i].end - o[i].off + (o[i].sp ? o[i].sp->n : 0);
        continue;
      }
      body = o[i].len ? digits(o[i].len->n) : o[i].end - o[i].off - len - 8;
      first += len - 7 + 1 + digits(at) + 1;
      at += body + 1;
      if (at > 0x7FFFFFFF)
        goto out;
    }
    stm_off = w;
    hn = first + at;
    head = malloc(hn ? hn : 1);
    xs = calloc((size_t)xref + 1, 7);
    if (!head || !xs)
      goto out;
    /* the pairs (each body's offset follows from the lengths), then the
    ** bodies after them in the same block */
    {
      unsigned char *hp = head, *bp = head + first;
      at = 0;
      for (i = 0; i < no; i++) {
        size_t len, k, body;
        if (!o[i].packed)
          continue;
        len = obj_line(line, o[i].num);
        body = o[i].len ? digits(o[i].len->n) : o[i].end - o[i].off - len - 8;
        /* "num offset " from the same digits */
        line[len - 7] = ' ';
        k = obj_line(line + len - 6, (int)at) - 7;
        line[len - 6 + k] = ' ';
        memcpy(hp, line, len - 6 + k + 1);
        hp += len - 6 + k + 1;
        if (o[i].len) /* a content's length: known now */
          snprintf((char *)bp, body + 1, "%zu", o[i].len->n); /* its NUL:
                                                   ** the \n below */
        else
          memcpy(bp, p + o[i].off + len, body);
        bp += body;
        *bp++ = '\012';
        at += body + 1;
      }
    }
    packer_post(pk, head, hn);
    /* meanwhile: the file is rewritten in place from here on (a failure
    ** leaves buf's bytes past n0 undefined), the stream objects moved
    ** down in offset order and hashed */
    if (stm_off > n) { /* the contents filled in make it longer */
      room(buf, stm_off - n);
      p = (const unsigned char *)buf->p + n0;
    }
    /* an object moving up first, the last first, then those moving down,
    ** the first first: no object is overwritten before it has moved */
    for (i = no; i-- > 0;)
      if (!o[i].packed && o[i].newoff > o[i].off)
        put_stream(buf->p + n0, p, &o[i]);
    for (i = 0; i < no; i++)
      if (!o[i].packed && o[i].newoff <= o[i].off)
        put_stream(buf->p + n0, p, &o[i]);
    buf->n = n0 + stm_off;
    if (sha) {
      sb_sha256_update(sha, buf->p + n0, stm_off);
      *hashed = stm_off;
    }
    /* the cross-reference stream: type, offset or stream, gen or index
    ** (offsets within the file, which starts at n0); the entry of the
    ** stream itself waits for the object stream's length */
    for (i = 1; i < no && o[i - 1].num < o[i].num; i++)
      ;
    if (i < no)
      qsort(o, (size_t)no, sizeof *o, by_num);
    for (i = 0, at = 0; i < xref; i++) {
      unsigned char *e = xs + (size_t)i * 7;
      while (at < (size_t)no && o[at].num < i)
        at++;
      if (i == 0) {
        put_be(e + 5, 0xFFFF, 2);
      } else if (i == stm) {
        e[0] = 1;
        put_be(e + 1, (unsigned long)stm_off, 4);
      } else if (at < (size_t)no && o[at].num == i) {
        e[0] = o[at].packed ? 2 : 1;
        put_be(e + 1, o[at].packed ? (unsigned long)stm
                                   : (unsigned long)o[at].newoff, 4);
        put_be(e + 5, o[at].packed ? (unsigned long)o[at].slot : 0, 2);
      }
    }
    z = packer_wait(pk, &zn);
    if (!z)
      goto out;
    sd = snprintf(stm_dict, sizeof stm_dict,
                  "%ld 0 obj\012<<\012/Type /ObjStm\012/N %d\012/First %zu\012"
                  "/Filter /FlateDecode\012/Length %zu\012>>\012stream\015\012",
                  stm, npacked, first, zn);
    if (sd <= 0 || (size_t)sd >= sizeof stm_dict)
      goto out;
    xref_off = stm_off + (size_t)sd + zn + sizeof endstm - 1;
    if (xref_off > 0xFFFFFFFFu || npacked > 0xFFFF)
      goto out;
    xs[(size_t)xref * 7] = 1;
    put_be(xs + (size_t)xref * 7 + 1, (unsigned long)xref_off, 4);
    zx = pk->dz ? sb_deflate(pk->dz, xs, ((size_t)xref + 1) * 7, &zxn) : NULL;
    if (!zx)
      goto out;
    xd = snprintf(xref_dict, sizeof xref_dict,
                  "%ld 0 obj\012<<\012/Type /XRef\012/Size %ld\012/W [1 4 2]\012"
                  "/Root %ld 0 R\012",
                  xref, xref + 1, root);
    if (info > 0 && xd > 0 && (size_t)xd < sizeof xref_dict)
      xd += snprintf(xref_dict + xd, sizeof xref_dict - (size_t)xd,
                     "/Info %ld 0 R\012", info);
    if (xd > 0 && (size_t)xd < sizeof xref_dict)
      xd += snprintf(xref_dict + xd, sizeof xref_dict - (size_t)xd,
                     "/ID [ <%032d> <%032d> ]\012/Filter /FlateDecode\012"
                     "/Length %zu\012>>\012stream\015\012",
                     0, 0, zxn);
    if (xd <= 0 || (size_t)xd >= sizeof xref_dict)
      goto out;
    tail = (size_t)sd + zn + sizeof endstm - 1 + (size_t)xd + zxn +
           sizeof endstm - 1 + 10 + digits(xref_off) + 7;
    room(buf, tail);
    sb_buf_add(buf, stm_dict, (size_t)sd);
    sb_buf_add(buf, z, zn);
    sb_buf_add(buf, endstm, sizeof endstm - 1);
    sb_buf_add(buf, xref_dict, (size_t)xd);
    sb_buf_add(buf, zx, zxn);
    sb_buf_printf(buf, "\012endstream\012endobj\012startxref\012%zu\012%%%%EOF\012",
                  xref_off);
  }
  rc = 0;
out:
  packer_join(pk); /* before head goes: the thread may still read it */
  free(spof);
  free(o);
  free(head);
  free(xs);
  free(zx);
  return rc;
}
