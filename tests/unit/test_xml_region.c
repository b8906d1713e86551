/*
** tests/unit/test_xml_region.c -- the region a catalogue's tree is built in
** (src/xml/region.c) and the parse that uses it (sb_xml_parse_region).
**
** The allocator: blocks in the region, libc's blocks again on leaving (the
** allocator stays region.c's: libc's outside a region), no nesting,
** growth in place for the last block, blocks made outside the window
** still freed and grown by libc, another thread's blocks libc's while this
** one is in a region. The parse: the same
** tree (serialised) and the same diagnostics as libxml2's own memory parse,
** with a BOM, with a stretch longer than the callback window, with errors;
** libxml2's allocator and last error clean afterwards.
** The byte-for-byte diagnostics of whole files: tests/cli/diagnostics.sh.
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>

#include "check.h"
#include "xml/reader.h"
#include "xml/region.h"

static int allocator_is(xmlFreeFunc f, xmlMallocFunc m, xmlReallocFunc r) {
  xmlFreeFunc f2;
  xmlMallocFunc m2;
  xmlReallocFunc r2;
  xmlStrdupFunc s2;
  xmlMemGet(&f2, &m2, &r2, &s2);
  return f2 == f && m2 == m && r2 == r;
}

/* What libxml2 allocates outside a region is libc's: free() and realloc()
** take it (the asan build would stop on a region's block). */
static void libc_blocks(void) {
  char *p = xmlMalloc(64);
  CHECK(p != NULL);
  memset(p, 'p', 64);
  p = realloc(p, 100000);
  CHECK(p && p[63] == 'p');
  free(p);
  char *q = (char *)xmlCharStrdup("libc's");
  CHECK(q && strcmp(q, "libc's") == 0);
  free(q);
  q = xmlRealloc(NULL, 32);
  xmlFree(q);
}

static void test_allocator(void) {
  xmlFreeFunc f0;
  xmlMallocFunc m0;
  xmlReallocFunc r0;
  xmlStrdupFunc s0;
  xmlMemGet(&f0, &m0, &r0, &s0);
  char *before = xmlMalloc(100); /* libc's, made before the window */
  memset(before, 'b', 100);

  sb_xml_region *r = sb_xml_region_enter();
  CHECK(r != NULL);
  CHECK(!allocator_is(f0, m0, r0));
  CHECK(sb_xml_region_enter() == NULL); /* not nested */

  char *a = xmlMalloc(40);
  CHECK(a != NULL && ((uintptr_t)a & 15) == 0);
  memset(a, 'a', 40);
  char *a2 = xmlRealloc(a, 4000); /* the last block grows in place */
  CHECK(a2 == a && a2[39] == 'a');
  char *b = xmlMalloc(10);
  memcpy(b, "123456789", 10);
  char *a3 = xmlRealloc(a2, 9000); /* no longer the last: moved, copied */
  CHECK(a3 != a2 && a3[0] == 'a' && a3[39] == 'a');
  xmlFree(b); /* a no-op */
  CHECK(memcmp(b, "123456789", 10) == 0);
  char *big = xmlMalloc((size_t)3 << 20); /* a chunk of its own */
  CHECK(big != NULL);
  big[((size_t)3 << 20) - 1] = 'x';
  char *d = (char *)xmlCharStrdup("in the region");
  CHECK(d && strcmp(d, "in the region") == 0);

  /* a block from before the window is libc's: grown and freed by libc */
  before = xmlRealloc(before, 200000);
  CHECK(before[99] == 'b');
  xmlFree(before);

  CHECK(sb_xml_region_bytes(r) >= ((size_t)3 << 20));
  CHECK(!sb_xml_region_mixed(r));
  sb_xml_region_leave(r);
  libc_blocks();
  CHECK(strcmp(d, "in the region") == 0); /* valid until dropped */
  sb_xml_region_drop(r);
  r = sb_xml_region_enter(); /* a new one after the last */
  CHECK(r != NULL);
  sb_xml_region_leave(r);
  sb_xml_region_drop(r);
  libc_blocks();
}

static void *thread_blocks(void *arg) {
  (void)arg;
  libc_blocks();
  sb_xml_region *r = sb_xml_region_enter(); /* one of this thread's own */
  CHECK(r != NULL);
  char *b = xmlMalloc(100);
  CHECK(b != NULL);
  sb_xml_region_leave(r);
  libc_blocks();
  CHECK(sb_xml_region_bytes(r) > 0);
  sb_xml_region_drop(r);
  return NULL;
}

/* A region is its thread's: while this thread is in one, another thread's
** blocks are libc's, and that thread can have a region of its own. */
static void test_threads(void) {
  sb_xml_region *r = sb_xml_region_enter();
  CHECK(r != NULL);
  char *a = xmlMalloc(40); /* this thread's region */
  pthread_t t;
  CHECK(pthread_create(&t, NULL, thread_blocks, NULL) == 0);
  pthread_join(t, NULL);
  xmlFree(a); /* a no-op */
  CHECK(sb_xml_region_bytes(r) > 0);
  sb_xml_region_leave(r);
  sb_xml_region_drop(r);
}

/* The tree of xml as text, through libxml2's memory parse (the reference)
** or sb_xml_parse_region; diagnostics into *msg (first one, or ""). */
static char *dump(const char *xml, size_t len, int region, char *msg,
                  size_t nmsg, long *line, long *col) {
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  ctx.limits.text_bytes = 0; /* the long texts are libxml2's to read */
  xmlDoc *doc = NULL;
  char *out = NULL;
  sb_status st;
  if (region) {
    st = sb_xml_parse_region(&ctx, "t.xml", xml, len, &doc);
  } else {
    st = sb_xml_parse(&ctx, "t.xml", xml, len, &doc);
  }
  snprintf(msg, nmsg, "%s", ctx.ndiags ? ctx.diags[0].msg : "");
  *line = ctx.ndiags ? ctx.diags[0].line : 0;
  *col = ctx.ndiags ? ctx.diags[0].col : 0;
  if (st == SB_OK) {
    xmlChar *t = NULL;
    int n = 0;
    xmlDocDumpMemory(doc, &t, &n);
    out = strdup((const char *)t);
    xmlFree(t);
    sb_xml_free_doc(doc, len);
  }
  sb_ctx_free(&ctx);
  return out;
}

#if LIBXML_VERSION >= 21200
static void count_error(void *n, const xmlError *e)
#else
static void count_error(void *n, xmlErrorPtr e)
#endif
{
  if (e && e->level >= XML_ERR_ERROR)
    ++*(int *)n;
}

/* The same tree, or the same first diagnostic, both ways; and a memory
** parse by libxml2 itself gives the same tree. */
static void same_both_ways(const char *what, const char *xml, size_t len) {
  char m1[512], m2[512];
  long l1, c1, l2, c2;
  char *t1 = dump(xml, len, 0, m1, sizeof m1, &l1, &c1);
  char *t2 = dump(xml, len, 1, m2, sizeof m2, &l2, &c2);
  int same = (t1 == NULL) == (t2 == NULL) && (!t1 || strcmp(t1, t2) == 0) &&
             strcmp(m1, m2) == 0 && l1 == l2 && c1 == c2;
  if (!same)
    fprintf(stderr, "%s: '%s' %ld:%ld vs '%s' %ld:%ld\n", what, m1, l1, c1, m2,
            l2, c2);
  CHECK(same);
  /* libxml2's own memory parse (what sb_xml_parse did before) makes the
  ** same tree, or none (an error makes none for sb_xml_parse) */
  int nerr = 0;
  xmlSetStructuredErrorFunc(&nerr, count_error);
  xmlDoc *ref = xmlReadMemory(xml, (int)len, "t.xml", "UTF-8",
                              XML_PARSE_NONET | XML_PARSE_BIG_LINES |
                                  XML_PARSE_COMPACT);
  xmlSetStructuredErrorFunc(NULL, NULL);
  if (nerr) {
    xmlFreeDoc(ref);
    ref = NULL;
  }
  CHECK((ref == NULL) == (t2 == NULL));
  if (ref && t2) {
    xmlChar *t = NULL;
    int n = 0;
    xmlDocDumpMemory(ref, &t, &n);
    CHECK(strcmp((const char *)t, t2) == 0);
    xmlFree(t);
  }
  xmlFreeDoc(ref);
  xmlResetLastError();
  free(t1);
  free(t2);
}

static void test_parse(void) {
  xmlFreeFunc f0;
  xmlMallocFunc m0;
  xmlReallocFunc r0;
  xmlStrdupFunc s0;
  xmlMemGet(&f0, &m0, &r0, &s0);
  static const char cat[] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<catalog xmlns=\"urn:skillbook:catalog:1\" title=\"T &amp; U\">\n"
      "  <levels><level id=\"a\" name=\"A &#x416;\"/></levels>\n"
      "  <!-- a comment --><?pi data?>\n"
      "  <domain id=\"d\" name=\"D\"><![CDATA[<raw>]]></domain>\n"
      "</catalog>\n";
  same_both_ways("plain", cat, strlen(cat));

  char bom[sizeof cat + 3] = "\xEF\xBB\xBF";
  memcpy(bom + 3, cat, sizeof cat);
  same_both_ways("bom", bom, strlen(bom));
  static const char bom_err[] =
      "\xEF\xBB\xBF<catalog xmlns=\"urn:skillbook:catalog:1\" <x/></catalog>";
  same_both_ways("bom, error on line 1", bom_err, strlen(bom_err));
  static const char trunc[] = "<catalog xmlns=\"urn:skillbook:catalog:1\">\n"
                              "<levels><level id=\"a\" name=\"A\"/>";
  same_both_ways("truncated", trunc, strlen(trunc));
  static const char mismatch[] = "<a>\n<b>\n</a>\n";
  same_both_ways("mismatched tags", mismatch, strlen(mismatch));

  /* a text longer than the callback window (4 MB between two '<'): the
  ** memory path; and a long text just under it: the callbacks */
  for (int k = 0; k < 2; k++) {
    size_t n = k ? ((size_t)5 << 20) : ((size_t)3 << 20);
    char *big = malloc(n + 100);
    int h = snprintf(big, 100, "<catalog a=\"x\">");
    memset(big + h, k ? 'y' : 'x', n);
    strcpy(big + h + n, "</catalog>");
    same_both_ways(k ? "text past the window" : "long text", big,
                   strlen(big));
    free(big);
  }
  CHECK(allocator_is(f0, m0, r0));
  CHECK(xmlGetLastError() == NULL); /* nothing points into a region */
}

/* A recycling region (sb_xml_region_recycle, the streamed load's): a
** freed block is the next one of its size; a bigger or a libc block is
** not taken; a block moved by realloc is recycled. */
static void test_recycle(void) {
  xmlFreeFunc f0;
  xmlMallocFunc m0;
  xmlReallocFunc r0;
  xmlStrdupFunc s0;
  xmlMemGet(&f0, &m0, &r0, &s0);
  char *before = xmlMalloc(48); /* libc's */
  sb_xml_region *r = sb_xml_region_enter();
  CHECK(r != NULL);
  CHECK(sb_xml_region_recycle(r) == 1);
  char *a = xmlMalloc(40), *b = xmlMalloc(40);
  memset(a, 'a', 40);
  xmlFree(a);
  CHECK(xmlMalloc(33) == a); /* 33 and 40 both round to 48 */
  CHECK(xmlMalloc(40) != a);
  xmlFree(before); /* libc's free, not a list */
  char *c = xmlMalloc(48);
  CHECK(c != before);
  char *s = (char *)xmlCharStrdup("recycled");
  xmlFree(s);
  char *s2 = (char *)xmlCharStrdup("recycle!");
  CHECK(s2 == s && strcmp(s2, "recycle!") == 0);
  char *m = xmlRealloc(b, 4000); /* b is not the last block: moved */
  CHECK(m != b);
  CHECK(xmlMalloc(40) == b); /* the old place is recycled */
  char *big = xmlMalloc(5000);
  xmlFree(big);
  CHECK(xmlMalloc(5000) != big); /* over 2 KB: not kept */
  sb_xml_region_leave(r);
  CHECK(allocator_is(f0, m0, r0));
  sb_xml_region_drop(r);
  CHECK(sb_xml_region_recycle(NULL) == 0); /* no region active */
}

int main(void) {
  test_allocator();
  test_recycle();
  test_threads();
  test_parse();
  sb_xml_cleanup();
  return check_report();
}
