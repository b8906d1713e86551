/*
** tests/unit/test_xml_split.c -- a file parsed as two halves on two
** threads (src/xml/split.c) gives the whole parse's tree.
**
** For made catalogues (a root start tag over two lines with a second
** namespace, comments, CDATA, character references, non-ASCII text, '>'
** inside an attribute, a comment after the root, a BOM, more than 65,535
** lines), the tree through sb_xml_parse_region with the split forced on
** (SKILLBOOK_SPLIT_BYTES=1) and off (=0) is compared node by node: type,
** name, namespace, line (xmlGetLineNo; not a text node's, which depends
** on libxml2's reads even in one parse), content, attributes, and the
** serialised text; and the split must have happened (sb_xml_parse_split
** returns a tree). Files it must not cut: the middle of the root's
** children only inside a comment, inside CDATA, or on an element one level
** deeper with the children's indent, a minified file: sb_xml_parse_split
** returns NULL and reports nothing, and the whole parse is unchanged.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "check.h"
#include "skillbook/base.h"
#include "xml/reader-imp.h"
#include "xml/reader.h"
#include "xml/region.h"

static char *buf;
static size_t len, cap;

static void add(const char *fmt, ...) {
  va_list ap;
  for (;;) {
    va_start(ap, fmt);
    int n = vsnprintf(buf + len, cap - len, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < cap - len) {
      len += (size_t)n;
      return;
    }
    cap = cap ? cap * 2 : 4096;
    buf = realloc(buf, cap);
    if (!buf)
      abort();
  }
}

/* A catalogue-like file of ndom domains; mid: what is put among the root's
** children at the middle (NULL: nothing). */
static int long_texts = 1;

static void make(int ndom, int bom, int blank_lines, const char *mid) {
  len = 0;
  if (bom)
    add("\xEF\xBB\xBF");
  add("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!-- made by test_xml_split -->\n"
      "<catalog xmlns=\"urn:skillbook:catalog:1\" xmlns:x=\"urn:x\"\n"
      "         xml:lang=\"en\" title=\"Split &amp; join\" note=\"a > b\">\n");
  add("  <levels><level id=\"l1\" name=\"One\"/></levels>\n");
  for (int d = 0; d < ndom; d++) {
    if (mid && d == ndom / 2)
      add("%s", mid);
    add("  <domain id=\"d%d\" name=\"Domain %d\" x:extra=\"%d\">\n", d, d, d);
    for (int i = 0; i < blank_lines; i++)
      add("\n");
    add("    <!-- group <of> %d -->\n"
        "    <group id=\"g%d\" name=\"G\xC3\xA9n\xC3\xA9ral %d\">\n", d, d, d);
    if (long_texts && d % 3 == 1) { /* texts longer than libxml2's reads and chunks */
      add("      <skill id=\"long%d\" name=\"L\"><expect level=\"l1\" "
          "role=\"r\">", d);
      for (int w = 0; w < 900 + 37 * d; w++)
        add("w\xC3\xA9%d ", w);
      add("</expect></skill>\n");
    }
    for (int s = 0; s < 3; s++)
      add("      <skill id=\"s%d_%d\" name=\"S&#233;%d\"><expect level=\"l1\" "
          "role=\"r\">Does &lt;%d&gt; \xD1\x87\xD1\x82\xD0\xBE <![CDATA[a < b "
          "&]]> well.</expect></skill>\n", d, s, s, s);
    add("    </group>\n  </domain>\n");
  }
  add("</catalog>\n<!-- after the root -->\n");
}

/* Compares two trees node by node; the number of differences. */
static int diff_nodes(const xmlNode *a, const xmlNode *b) {
  int d = 0;
  for (; a && b; a = a->next, b = b->next) {
    /* a text node's line is where libxml2 first reported some of it,
    ** which depends on where its reads fell even in the whole parse:
    ** nothing reads it (diagnostics name elements: reader.c's error_line
    ** and the walk) */
    if (a->type != b->type || !xmlStrEqual(a->name, b->name) ||
        (a->type != XML_TEXT_NODE && xmlGetLineNo(a) != xmlGetLineNo(b)) ||
        !xmlStrEqual(a->content, b->content) ||
        (a->ns == NULL) != (b->ns == NULL) ||
        (a->ns && !xmlStrEqual(a->ns->href, b->ns->href))) {
      fprintf(stderr, "differ: %s line %ld / %s line %ld\n",
              (const char *)a->name, xmlGetLineNo(a), (const char *)b->name,
              xmlGetLineNo(b));
      d++;
      continue;
    }
    if (a->type == XML_ELEMENT_NODE) {
      const xmlAttr *p = a->properties, *q = b->properties;
      for (; p && q; p = p->next, q = q->next) {
        xmlChar *v = xmlNodeListGetString(a->doc, p->children, 1);
        xmlChar *w = xmlNodeListGetString(b->doc, q->children, 1);
        if (!xmlStrEqual(p->name, q->name) || !xmlStrEqual(v, w) ||
            (p->ns == NULL) != (q->ns == NULL) ||
            (p->ns && !xmlStrEqual(p->ns->href, q->ns->href)) ||
            p->doc != a->doc || q->doc != b->doc)
          d++;
        xmlFree(v);
        xmlFree(w);
      }
      if (p || q)
        d++;
    }
    if (a->doc == NULL || b->doc == NULL || a->parent == NULL ||
        b->parent == NULL || a->parent->type != b->parent->type)
      d++;
    d += diff_nodes(a->children, b->children);
  }
  return d + (a != NULL) + (b != NULL);
}

static xmlDoc *parse(int split, sb_ctx *ctx) {
  xmlDoc *doc = NULL;
  setenv("SKILLBOOK_SPLIT_BYTES", split ? "1" : "0", 1);
  sb_ctx_init(ctx);
  ctx->limits.text_bytes = 0;
  if (sb_xml_parse_region(ctx, "t.xml", buf, len, &doc) != SB_OK)
    return NULL;
  return doc;
}

static char *text_of(xmlDoc *doc) {
  xmlChar *t = NULL;
  int n = 0;
  xmlDocDumpMemory(doc, &t, &n);
  char *s = strdup(t ? (const char *)t : "");
  xmlFree(t);
  return s;
}

/* The whole parse and the split one give the same tree; cut: whether
** sb_xml_parse_split must cut this file. */
static void same_tree(const char *what, int cut) {
  sb_xml_region *r = NULL;
  sb_xml_join_free();
  xmlDoc *direct = sb_xml_parse_split("t.xml", buf, len, &r);
  if ((direct != NULL) != cut)
    fprintf(stderr, "%s: %s\n", what, cut ? "not cut" : "cut");
  CHECK((direct != NULL) == cut);
  if (direct) {
    sb_xml_region_free_tree(r, direct);
    sb_xml_region_drop(r);
  }
  sb_ctx c1, c2;
  xmlDoc *a = parse(0, &c1), *b = parse(1, &c2);
  CHECK(a != NULL && b != NULL);
  CHECK_EQ_INT(c1.ndiags, 0);
  CHECK_EQ_INT(c2.ndiags, 0);
  if (a && b) {
    int d = diff_nodes(a->children, b->children);
    if (d)
      fprintf(stderr, "%s: %d differences\n", what, d);
    CHECK_EQ_INT(d, 0);
    char *ta = text_of(a), *tb = text_of(b);
    CHECK_STR(ta, tb);
    free(ta);
    free(tb);
  }
  sb_xml_free_doc(a, len);
  sb_xml_free_doc(b, len);
  sb_xml_join_free();
  sb_ctx_free(&c1);
  sb_ctx_free(&c2);
}

/* A file with an error: the split one reports what the whole one does. */
static void same_error(const char *what) {
  sb_ctx c1, c2;
  xmlDoc *a = parse(0, &c1), *b = parse(1, &c2);
  CHECK(a == NULL && b == NULL);
  CHECK(c1.ndiags > 0);
  CHECK_EQ_INT(c1.ndiags, c2.ndiags);
  for (size_t i = 0; i < c1.ndiags && i < c2.ndiags; i++) {
    CHECK_STR(c1.diags[i].msg, c2.diags[i].msg);
    CHECK_EQ_INT(c1.diags[i].line, c2.diags[i].line);
    CHECK_EQ_INT(c1.diags[i].col, c2.diags[i].col);
  }
  if (c1.ndiags == 0)
    fprintf(stderr, "%s: no error\n", what);
  sb_ctx_free(&c1);
  sb_ctx_free(&c2);
}

int main(void) {
  make(20, 0, 0, NULL);
  same_tree("plain", 1);
  make(20, 1, 0, NULL);
  same_tree("bom", 1);
  make(40, 0, 3300, NULL); /* 132,000 blank lines: lines past 65,535 */
  same_tree("big lines", 0);
  make(20, 0, 3200, NULL); /* 64,000: cut */
  same_tree("many lines", 1);
  make(20, 0, 0, "  <!-- a comment among the children -->\n");
  same_tree("comment between", 1);

  /* where it must not cut: the only lines with the children's indent in
  ** the second half are in a comment, in CDATA, or one level deeper */
  long_texts = 0;
  make(2, 0, 0, NULL);
  len -= strlen("</catalog>\n<!-- after the root -->\n");
  add("  <!--\n");
  for (int i = 0; i < 200; i++)
    add("  <domain id=\"c%d\"/>\n", i);
  add("  -->\n</catalog>\n");
  same_tree("cut in a comment", 0);
  make(2, 0, 0, NULL);
  len -= strlen("</catalog>\n<!-- after the root -->\n");
  add("  <domain id=\"z\" name=\"Z\"><group id=\"gz\" name=\"Z\">\n");
  for (int i = 0; i < 200; i++)
    add("  <skill id=\"k%d\" name=\"K\"/>\n", i);
  add("  </group></domain>\n</catalog>\n");
  same_tree("one level deeper", 0);
  make(2, 0, 0, NULL);
  len -= strlen("</catalog>\n<!-- after the root -->\n");
  add("  <x:data><![CDATA[\n");
  for (int i = 0; i < 200; i++)
    add("  <domain id=\"c%d\"/>\n", i);
  add("  ]]></x:data>\n</catalog>\n");
  same_tree("cut in CDATA", 0);
  len = 0;
  add("<catalog xmlns=\"urn:skillbook:catalog:1\">");
  for (int i = 0; i < 200; i++)
    add("<domain id=\"m%d\"/>", i);
  add("</catalog>");
  same_tree("minified", 0);

  /* errors in either half, and a cut that fails: the whole parse's */
  long_texts = 1;
  make(20, 0, 0, NULL);
  char *second = strstr(buf + len / 2, "<skill");
  second[1] = '#';
  same_error("error in the second half");
  make(20, 0, 0, NULL);
  char *first = strstr(buf + len / 4, "</group>");
  first[2] = 'x';
  same_error("error in the first half");
  make(20, 0, 0, NULL);
  len -= strlen("</catalog>\n<!-- after the root -->\n");
  same_error("root not closed");

  free(buf);
  sb_xml_cleanup();
  return check_report();
}
