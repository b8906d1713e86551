/*
** tests/unit/test_objstm.c -- the object-stream rewrite (pdf-objstm.c).
**
** A small file laid out as libharu 2.3.0 writes one (objects "N 0 obj\n ..
** \nendobj\n", a stream among them, one object written before a lower
** number, an xref table of 20-byte entries, a trailer with /Root, /Info and
** /ID) is packed in place: after bytes the buffer held already, with and
** without the packer's thread, with and without a digest of what was
** final. Checked: the stream object is copied as it was; the object
** stream inflates (zlib) to the "num offset" pairs and the bodies, in
** offset order; the cross-reference stream's entries give each object's
** place; startxref points at it; the thread and the digest change no
** byte; the running digest plus the rest is the whole file's; a file not
** as libharu writes it is refused with the buffer unchanged.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "check.h"
#include "devices/pdf-imp.h"

/* The objects in the order they are written (3 before 2). */
static const struct {
  int num;
  const char *body; /* between "N 0 obj\n" and "\nendobj\n" */
} OBJS[] = {
    {1, "<<\n/Type /Catalog\n/Pages 3 0 R\n>>"},
    {3, "<<\n/Type /Pages\n/Kids [ ]\n/Count 0\n>>"},
    {2, "<<\n/Length 4 0 R\n>>\nstream\r\n(stream) Tj (bytes)\nendstream"},
    {4, "20"},
    {5, "<<\n/Producer (t\\(e\\)st)\n>>"},
};
#define NOBJ 5

/* The file as libharu writes it with the objects nums[i], bodies[i] (each
** number 1..n once), appended to b. */
static void write_file(sb_buf *b, int n, const int *nums,
                       const char *const *bodies) {
  size_t start = b->n, off[16], xref;
  int i, k;

  sb_buf_adds(b, "%PDF-1.7\n%\xB7\xBE\xAD\xAA\n");
  for (i = 0; i < n; i++) {
    off[nums[i]] = b->n - start;
    sb_buf_printf(b, "%d 0 obj\n%s\nendobj\n", nums[i], bodies[i]);
  }
  xref = b->n - start;
  sb_buf_printf(b, "xref\n0 %d\n0000000000 65535 f\r\n", n + 1);
  for (k = 1; k <= n; k++)
    sb_buf_printf(b, "%010zu 00000 n\r\n", off[k]);
  sb_buf_adds(b, "trailer\n<<\n/Root 1 0 R\n/Info 5 0 R\n/Size 6\n"
                 "/ID [<00000000000000000000000000000000> "
                 "<00000000000000000000000000000000>]\n>>\n");
  sb_buf_printf(b, "startxref\n%zu\n%%%%EOF\n", xref);
}

/* The file of OBJS, appended to b. */
static void libharu_file(sb_buf *b) {
  int nums[NOBJ], i;
  const char *bodies[NOBJ];

  for (i = 0; i < NOBJ; i++) {
    nums[i] = OBJS[i].num;
    bodies[i] = OBJS[i].body;
  }
  write_file(b, NOBJ, nums, bodies);
}

/* The first n bytes after the first occurrence of key, inflated into out
** (at most cap bytes); the inflated length, or 0. */
static size_t inflate_after(const char *p, size_t n, const char *key,
                            size_t zlen, unsigned char *out, size_t cap) {
  const char *k = NULL;
  size_t i, kn = strlen(key);
  uLongf got = (uLongf)cap;

  for (i = 0; i + kn <= n && !k; i++)
    if (memcmp(p + i, key, kn) == 0)
      k = p + i + kn;
  if (!k || (size_t)(p + n - k) < zlen ||
      uncompress(out, &got, (const Bytef *)k, (uLong)zlen) != Z_OK)
    return 0;
  return (size_t)got;
}

/* The first key in p[0..n) (binary data may hold NULs), or NULL. */
static const char *find(const char *p, size_t n, const char *key) {
  size_t i, kn = strlen(key);
  for (i = 0; i + kn <= n; i++)
    if (memcmp(p + i, key, kn) == 0)
      return p + i;
  return NULL;
}

/* The number after key in p[0..n), or -1. */
static long num_after(const char *p, size_t n, const char *key) {
  size_t i, kn = strlen(key);
  for (i = 0; i + kn <= n; i++)
    if (memcmp(p + i, key, kn) == 0)
      return strtol(p + i + kn, NULL, 10);
  return -1;
}

static unsigned long be(const unsigned char *b, int n) {
  unsigned long v = 0;
  while (n-- > 0)
    v = v << 8 | *b++;
  return v;
}

/* Checks the packed file f[0..n) against OBJS. */
static void check_packed(const char *f, size_t n) {
  unsigned char objstm[1024], xs[64];
  long first = num_after(f, n, "/First "), len, xlen, sx;
  size_t on, xn, at;
  char want[512];
  int i, k;

  CHECK(n > 20 && memcmp(f, "%PDF-1.7\n", 9) == 0);
  /* the stream object, as it was, right after the header */
  snprintf(want, sizeof want, "2 0 obj\n%s\nendobj\n6 0 obj\n<<\n/Type /ObjStm"
                              "\n/N 4\n/First ", OBJS[2].body);
  CHECK(n > 15 + strlen(want) && memcmp(f + 15, want, strlen(want)) == 0);
  /* pairs in offset order (1, 3, 4, 5), then the bodies, each with \n */
  {
    size_t l0 = strlen(OBJS[0].body), l1 = strlen(OBJS[1].body);
    size_t l3 = strlen(OBJS[3].body);
    int np = snprintf(want, sizeof want, "1 0 3 %zu 4 %zu 5 %zu ", l0 + 1,
                      l0 + l1 + 2, l0 + l1 + l3 + 3);
    CHECK(first == np);
    snprintf(want + np, sizeof want - (size_t)np, "%s\n%s\n%s\n%s\n",
             OBJS[0].body, OBJS[1].body, OBJS[3].body, OBJS[4].body);
  }
  len = num_after(f, n, "/Filter /FlateDecode\n/Length ");
  CHECK(len > 0);
  {
    const char *o6 = find(f, n, "6 0 obj\n<<\n/Type /ObjStm");
    CHECK(o6 != NULL);
    on = o6 ? inflate_after(o6, n - (size_t)(o6 - f), ">>\nstream\r\n",
                            (size_t)(len > 0 ? len : 0), objstm,
                            sizeof objstm)
            : 0;
  }
  CHECK(on == strlen(want) && memcmp(objstm, want, on) == 0);
  /* the cross-reference stream */
  xlen = num_after(f, n, "/ID [ <00000000000000000000000000000000> "
                         "<00000000000000000000000000000000> ]\n"
                         "/Filter /FlateDecode\n/Length ");
  CHECK(xlen > 0 && num_after(f, n, "/Type /XRef\n/Size ") == 8);
  CHECK(num_after(f, n, "/Root ") == 1 && num_after(f, n, "/Info ") == 5);
  {
    const char *x = find(f, n, "7 0 obj\n<<\n/Type /XRef");
    CHECK(x != NULL);
    if (!x)
      return;
    xn = inflate_after(x, n - (size_t)(x - f), ">>\nstream\r\n",
                       (size_t)(xlen > 0 ? xlen : 0), xs, sizeof xs);
    CHECK(xn == 8 * 7);
    if (xn != 8 * 7)
      return;
    CHECK(xs[0] == 0 && be(xs + 5, 2) == 0xFFFF);
    for (k = 1, i = 0; k <= 5; k++) { /* 1, 3, 4, 5 packed: slots 0..3 */
      const unsigned char *e = xs + k * 7;
      if (k == 2) {
        CHECK(e[0] == 1 && be(e + 1, 4) == 15);
        continue;
      }
      CHECK(e[0] == 2 && be(e + 1, 4) == 6 && be(e + 5, 2) == (unsigned)i);
      i++;
    }
    at = be(xs + 6 * 7 + 1, 4);
    CHECK(xs[6 * 7] == 1 && at < n && memcmp(f + at, "6 0 obj\n", 8) == 0);
    at = be(xs + 7 * 7 + 1, 4);
    CHECK(xs[7 * 7] == 1 && f + at == x);
    sx = num_after(f, n, "endstream\nendobj\nstartxref\n");
    CHECK(sx == (long)at);
    CHECK(n > 7 && memcmp(f + n - 7, "\n%%EOF\n", 7) == 0);
  }
}

static void test_pack(void) {
  static const char junk[] = "bytes before the file";
  sb_buf plain, held, thr, bad;
  sb_sha256 s, whole;
  uint8_t a[32], b[32];
  size_t hashed = 99;
  pdf_packer *pk;

  sb_buf_init(&plain);
  sb_buf_init(&held);
  sb_buf_init(&thr);
  sb_buf_init(&bad);
  /* alone, no thread, no digest */
  libharu_file(&plain);
  pk = sb_pdf_packer_new(0);
  CHECK_EQ_INT(sb_pdf_pack_objects(&plain, 0, pk, NULL, 0, NULL, &hashed), 0);
  CHECK_EQ_INT(hashed, 0);
  sb_pdf_packer_free(pk);
  check_packed(plain.p, plain.n);
  CHECK(plain.p[plain.n] == 0);
  /* after bytes held already, with the thread and a digest */
  sb_buf_adds(&held, junk);
  libharu_file(&held);
  pk = sb_pdf_packer_new(1);
  sb_sha256_init(&s);
  CHECK_EQ_INT(sb_pdf_pack_objects(&held, sizeof junk - 1, pk, NULL, 0, &s,
                                   &hashed),
               0);
  sb_pdf_packer_free(pk);
  CHECK(memcmp(held.p, junk, sizeof junk - 1) == 0);
  CHECK(held.n == sizeof junk - 1 + plain.n &&
        memcmp(held.p + sizeof junk - 1, plain.p, plain.n) == 0);
  /* the digest so far covers the header and the stream object */
  CHECK(hashed == 15 + strlen("2 0 obj\n\nendobj\n") + strlen(OBJS[2].body));
  sb_sha256_update(&s, plain.p + hashed, plain.n - hashed);
  sb_sha256_final(&s, a);
  sb_sha256_init(&whole);
  sb_sha256_update(&whole, plain.p, plain.n);
  sb_sha256_final(&whole, b);
  CHECK(memcmp(a, b, 32) == 0);
  /* a thread that is given nothing ends when the packer is freed */
  sb_pdf_packer_free(sb_pdf_packer_new(1));
  sb_pdf_packer_free(NULL);
  /* the thread with nothing before the file */
  libharu_file(&thr);
  pk = sb_pdf_packer_new(1);
  CHECK_EQ_INT(sb_pdf_pack_objects(&thr, 0, pk, NULL, 0, NULL, &hashed), 0);
  sb_pdf_packer_free(pk);
  CHECK(thr.n == plain.n && memcmp(thr.p, plain.p, plain.n) == 0);
  /* not as libharu writes it: refused, the bytes left as they were */
  libharu_file(&bad);
  {
    char *e = strstr(bad.p, "3 0 obj\n");
    size_t n = bad.n;
    char *copy = malloc(n);
    CHECK(e != NULL && copy != NULL);
    if (e && copy) {
      e[0] = '9'; /* the xref table says 3 is there */
      memcpy(copy, bad.p, n);
      pk = sb_pdf_packer_new(1);
      CHECK_EQ_INT(sb_pdf_pack_objects(&bad, 0, pk, NULL, 0, NULL, &hashed), -1);
      sb_pdf_packer_free(pk);
      CHECK(bad.n == n && memcmp(bad.p, copy, n) == 0);
    }
    free(copy);
  }
  sb_buf_free(&plain);
  sb_buf_free(&held);
  sb_buf_free(&thr);
  sb_buf_free(&bad);
}

/* Contents filled in by the rewrite (sb_haru_save_pages): a file whose
** two content streams were saved empty with /Length 0, packed with their
** bytes, is the file saved with them. The first stream's bytes are longer
** than the objects packed before the second, which so moves up. */
static void test_splice(void) {
  static const int nums[] = {1, 2, 3, 4, 5, 6};
  char big[700], full2[800], full4[16];
  const char *full[6], *empty[6];
  sb_buf a, b;
  size_t hashed;
  pdf_splice sp[2];
  pdf_packer *pk;
  int i, thread;

  for (i = 0; i < (int)sizeof big - 1; i++)
    big[i] = (char)('a' + i % 26);
  big[sizeof big - 1] = 0;
  snprintf(full2, sizeof full2, "<<\n/Length 3 0 R\n>>\nstream\r\n%s\nendstream",
           big);
  snprintf(full4, sizeof full4, "%zu", strlen(big));
  full[0] = empty[0] = "<<\n/Type /Catalog\n/Pages 6 0 R\n>>";
  full[1] = full2;
  empty[1] = "<<\n/Length 3 0 R\n>>\nstream\r\n\nendstream";
  full[2] = full4;
  empty[2] = "0";
  full[3] = "<<\n/Length 5 0 R\n>>\nstream\r\nBT ET\nendstream";
  empty[3] = "<<\n/Length 5 0 R\n>>\nstream\r\n\nendstream";
  full[4] = "5";
  empty[4] = "0";
  full[5] = empty[5] = "<<\n/Type /Pages\n/Kids [ ]\n/Count 0\n>>";
  sp[0].num = 2;
  sp[0].len_num = 3;
  sp[0].z = (const unsigned char *)big;
  sp[0].n = strlen(big);
  sp[1].num = 4;
  sp[1].len_num = 5;
  sp[1].z = (const unsigned char *)"BT ET";
  sp[1].n = 5;
  for (thread = 0; thread < 2; thread++) {
    sb_buf_init(&a);
    sb_buf_init(&b);
    sb_buf_adds(&b, "held");
    write_file(&a, 6, nums, full);
    write_file(&b, 6, nums, empty);
    pk = sb_pdf_packer_new(thread);
    CHECK_EQ_INT(sb_pdf_pack_objects(&a, 0, pk, NULL, 0, NULL, &hashed), 0);
    sb_pdf_packer_free(pk);
    pk = sb_pdf_packer_new(thread);
    CHECK_EQ_INT(sb_pdf_pack_objects(&b, 4, pk, sp, 2, NULL, &hashed), 0);
    sb_pdf_packer_free(pk);
    CHECK(b.n == 4 + a.n && memcmp(b.p, "held", 4) == 0 &&
          memcmp(b.p + 4, a.p, a.n) == 0);
    CHECK(find(a.p, a.n, big) != NULL);
    sb_buf_free(&a);
    sb_buf_free(&b);
  }
  /* a stream that is not empty, or a length that is not 0: refused */
  sb_buf_init(&b);
  write_file(&b, 6, nums, full);
  pk = sb_pdf_packer_new(0);
  CHECK_EQ_INT(sb_pdf_pack_objects(&b, 0, pk, sp, 2, NULL, &hashed), -1);
  sb_pdf_packer_free(pk);
  sb_buf_free(&b);
}

/* Two stream objects that both move up, the second's old place under the
** first's new one (the first's content is longer than the objects packed
** before it, by less than the first's size): moved in the wrong order,
** the second would be copied from bytes already overwritten. */
static void test_splice_overlap(void) {
  static const int nums[] = {1, 2, 3, 4, 5, 6, 7, 8};
  char data[101];
  const char *full[8], *empty[8];
  sb_buf a, b;
  size_t hashed;
  pdf_splice sp[2];
  pdf_packer *pk;
  int i;

  for (i = 0; i < 100; i++)
    data[i] = (char)('A' + i % 26);
  data[100] = 0;
  full[0] = empty[0] = "<<\n/Type /Catalog\n/Pages 8 0 R\n>>";
  empty[1] = "<<\n/Length 3 0 R\n>>\nstream\r\n\nendstream";
  full[1] = "<<\n/Length 3 0 R\n>>\nstream\r\n"
            "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ"
            "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUV\nendstream";
  full[2] = "100";
  empty[2] = "0";
  empty[3] = "<<\n/Length 5 0 R\n>>\nstream\r\n\nendstream";
  full[3] = "<<\n/Length 5 0 R\n>>\nstream\r\nBT ET\nendstream";
  full[4] = "5";
  empty[4] = "0";
  full[5] = empty[5] = "<<\n/Length 7 0 R\n>>\nstream\r\nxyz\nendstream";
  full[6] = empty[6] = "3";
  full[7] = empty[7] = "<<\n/Type /Pages\n/Kids [ ]\n/Count 0\n>>";
  sp[0].num = 2;
  sp[0].len_num = 3;
  sp[0].z = (const unsigned char *)data;
  sp[0].n = 100;
  sp[1].num = 4;
  sp[1].len_num = 5;
  sp[1].z = (const unsigned char *)"BT ET";
  sp[1].n = 5;
  sb_buf_init(&a);
  sb_buf_init(&b);
  write_file(&a, 8, nums, full);
  write_file(&b, 8, nums, empty);
  pk = sb_pdf_packer_new(0);
  CHECK_EQ_INT(sb_pdf_pack_objects(&a, 0, pk, NULL, 0, NULL, &hashed), 0);
  sb_pdf_packer_free(pk);
  pk = sb_pdf_packer_new(0);
  CHECK_EQ_INT(sb_pdf_pack_objects(&b, 0, pk, sp, 2, NULL, &hashed), 0);
  sb_pdf_packer_free(pk);
  CHECK(a.n == b.n && memcmp(a.p, b.p, a.n) == 0);
  CHECK(find(a.p, a.n, "stream\r\nxyz\nendstream") != NULL);
  sb_buf_free(&a);
  sb_buf_free(&b);
}

int main(void) {
  test_pack();
  test_splice();
  test_splice_overlap();
  return check_report();
}
