/*
** xml/split.c -- a catalogue file parsed as two halves on two threads.
**
** libxml2 parses the large catalogue's 4.4 MB in ~11 ms on one thread while
** the other processor idles. A catalogue is a root element whose children
** follow one another down the file, so the file can be cut in two just
** before one of the root's children, and each half parsed on its own:
**
**   first:  file[0, cut)                      + "</root>"
**   second: the root's start tag, as written  + k newlines + file[cut, end)
**
** The k newlines put the second half's first child on the line it has in
** the file, so every node of both halves has the line number the whole
** parse gives it. The second half's children (but the k newlines' text)
** are then moved under the first half's root, after its last child (the
** blank text before the cut), and so is whatever follows the root (its
** trailing comments). The tree is the one the whole file gives, node for
** node: same names, namespaces (the second root's declarations, copied
** verbatim), attributes, text and lines. Why it is safe:
**  - the first half is well-formed only if the cut is where the root is
**    the only open element: a cut anywhere else (in a comment, CDATA, a
**    deeper element) makes one half or the other fail;
**  - anything either half reports (an error: warnings are not reported
**    anyway) drops both, and the caller parses the whole file as before,
**    so every diagnostic is the whole parse's, byte for byte;
**  - each half is parsed in a region of its own thread (xml/region.c);
**    the second region is the first's (sb_xml_region_adopt) and goes with
**    it, with the second tree's dictionary, which holds the names of the
**    moved nodes (nothing compares libxml2 names by pointer: the walk uses
**    strcmp, the validator xmlStrEqual);
**  - the helper thread touches libxml2's per-thread state (its error
**    handlers) before it enters its region, counts errors without
**    allocating, and makes no sb_ctx call.
** Only files of SKILLBOOK_SPLIT_BYTES (default 1 MB) or more, on a machine
** with two processors, pretty-printed (the root's first child on a line of
** its own, whose indent marks the cut), and read through callbacks
** (reader.c's window_ok) are cut.
** Tests: tests/unit/test_xml_split.c (trees node for node and line for
** line against the whole parse; cuts in the wrong places), tests/cli/
** split.sh (every catalogue and bad input both ways: the same bytes).
*/
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xml/reader-imp.h"
#include "xml/region.h"

#define SPLIT_BYTES ((size_t)1 << 20)

size_t sb_xml_split_bytes(void) {
  const char *e = getenv("SKILLBOOK_SPLIT_BYTES");
  if (e && *e >= '0' && *e <= '9') {
    char *end;
    unsigned long long v = strtoull(e, &end, 10);
    if (!*end)
      return v == 0 ? SIZE_MAX : (size_t)v;
  }
  return SPLIT_BYTES;
}

/* ==== Where to cut ==== */

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int name_start(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
         c == ':' || c >= 0x80;
}

/* The end of the construct at p that ends with the literal end, or NULL. */
static const char *past(const char *p, const char *e, const char *end) {
  size_t n = strlen(end);
  for (; p + n <= e; p++)
    if (memcmp(p, end, n) == 0)
      return p + n;
  return NULL;
}

/* Finds the root's start tag [*r0, *r1) and the root's name's length;
** 0 when the prolog is not plain (then nothing is cut). */
static int root_tag(const char *d, size_t len, const char **r0,
                    const char **r1, size_t *nlen) {
  const char *p = d, *e = d + len;
  if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  for (;;) {
    while (p < e && is_space(*p))
      p++;
    if (e - p < 2 || *p != '<')
      return 0;
    if (p[1] == '?')
      p = past(p + 2, e, "?>");
    else if (e - p >= 4 && memcmp(p, "<!--", 4) == 0)
      p = past(p + 4, e, "-->");
    else
      break;
    if (!p)
      return 0;
  }
  if (!name_start((unsigned char)p[1]))
    return 0;
  *r0 = p;
  const char *q = p + 1;
  while (q < e && !is_space(*q) && *q != '>' && *q != '/')
    q++;
  *nlen = (size_t)(q - p - 1);
  char quote = 0;
  for (; q < e; q++) {
    if (quote) {
      if (*q == quote)
        quote = 0;
    } else if (*q == '"' || *q == '\'') {
      quote = *q;
    } else if (*q == '>') {
      if (q[-1] == '/')
        return 0; /* an empty root: nothing to cut */
      *r1 = q + 1;
      return 1;
    }
  }
  return 0;
}

/* The cut: the '<' of a line "<indent><name" at or after the middle of
** the root's content, where indent is the one before the root's first
** child; NULL when there is none. */
static const char *find_cut(const char *r1, const char *e) {
  const char *p = r1;
  while (p < e && is_space(*p) && *p != '\n')
    p++;
  if (p >= e || *p != '\n')
    return NULL; /* the first child is on the root's line */
  const char *line = p + 1;
  p = line;
  while (p < e && (*p == ' ' || *p == '\t'))
    p++;
  while (p < e && *p == '\n') { /* blank lines */
    line = ++p;
    while (p < e && (*p == ' ' || *p == '\t'))
      p++;
  }
  size_t indent = (size_t)(p - line);
  if (p >= e || *p != '<' || indent > 64)
    return NULL;
  for (const char *q = r1 + (e - r1) / 2; q < e;) {
    const char *nl = memchr(q, '\n', (size_t)(e - q));
    if (!nl || (size_t)(e - nl) < indent + 3)
      return NULL;
    const char *c = nl + 1 + indent;
    if (memcmp(nl + 1, line, indent) == 0 && *c == '<' &&
        name_start((unsigned char)c[1]))
      return c;
    q = nl + 1;
  }
  return NULL;
}

/* The number of '\n' in [p, e), eight bytes at a time. */
static size_t newlines(const char *p, const char *e) {
  const uint64_t ones = 0x0101010101010101u, nl = ones * '\n';
  size_t n = 0;
  while (p < e && ((uintptr_t)p & 7))
    n += *p++ == '\n';
  for (; e - p >= 8; p += 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    w ^= nl; /* a '\n' byte is 0 now */
    /* 0x80 in each byte that is 0 (exact: no borrow across bytes) */
    uint64_t z = ~(((w & ~(ones * 0x80)) + ~(ones * 0x80)) | w) & (ones * 0x80);
    n += (size_t)__builtin_popcountll(z);
  }
  while (p < e)
    n += *p++ == '\n';
  return n;
}

/* ==== Reading the halves ==== */

/* Up to three pieces read one after the other through libxml2's callbacks
** (as reader.c reads a whole file: the same parser path) */
typedef struct pieces {
  const char *p[3];
  size_t n[3];
  int i;
  size_t pos;
} pieces;

static int read_pieces(void *ctx, char *buf, int len) {
  pieces *s = ctx;
  int out = 0;
  while (out < len && s->i < 3) {
    size_t k = s->n[s->i] - s->pos;
    if (k > (size_t)(len - out))
      k = (size_t)(len - out);
    memcpy(buf + out, s->p[s->i] + s->pos, k);
    out += (int)k;
    s->pos += k;
    if (s->pos == s->n[s->i]) {
      s->i++;
      s->pos = 0;
    }
  }
  return out;
}

#if LIBXML_VERSION >= 21200
static void count_error(void *data, const xmlError *e)
#else
static void count_error(void *data, xmlErrorPtr e)
#endif
{
  if (!e || e->level >= XML_ERR_ERROR)
    ++*(int *)data;
}

static void ignore_generic(void *data, const char *fmt, ...) {
  (void)data;
  (void)fmt;
}

typedef struct half {
  pieces in;
  const char *data, *r0, *r1, *cut, *end; /* the second's: to count lines */
  char *nls;      /* the second's k newlines */
  size_t k;
  int too_long;   /* the file has 65,535 lines or more: not cut */
  const char *name;
  xmlDoc *doc;
  sb_xml_region *r;
  int errors;
  size_t expect;
} half;

/* Parses h's pieces into a region of the calling thread's. */
static void parse_half(half *h) {
  xmlStructuredErrorFunc serr = xmlStructuredError;
  void *sctx = xmlStructuredErrorContext;
  xmlGenericErrorFunc gerr = xmlGenericError;
  void *gctx = xmlGenericErrorContext;
  /* the thread's libxml2 state is set up here, outside the region */
  xmlSetStructuredErrorFunc(&h->errors, (xmlStructuredErrorFunc)count_error);
  xmlSetGenericErrorFunc(NULL, ignore_generic);
  h->r = sb_xml_region_enter();
  if (h->r) {
    sb_xml_region_expect(h->r, h->expect, 0); /* both processors parse */
    xmlParserCtxt *pctx = xmlNewParserCtxt();
    if (pctx) {
      int opts = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT;
      h->doc = xmlCtxtReadIO(pctx, read_pieces, NULL, &h->in, h->name,
                             "UTF-8", opts);
      xmlFreeParserCtxt(pctx);
    }
    sb_xml_region_leave(h->r);
  }
  xmlSetStructuredErrorFunc(sctx, serr);
  xmlSetGenericErrorFunc(gctx, gerr);
}

/* The second half, on the helper thread: counts the lines before the cut
** (its k newlines) and after (past line 65,535 libxml2 takes an element's
** line from the text in it, whose line depends on where its reads fall:
** such files are not cut), then parses. */
static void *second_main(void *arg) {
  half *h = arg;
  size_t before = newlines(h->data, h->cut);
  size_t total = before + newlines(h->cut, h->end);
  h->k = before - newlines(h->r0, h->r1);
  if (total >= 65534) {
    h->too_long = 1;
    return NULL;
  }
  h->nls = malloc(h->k ? h->k : 1);
  if (!h->nls)
    return NULL;
  memset(h->nls, '\n', h->k);
  h->in.p[1] = h->nls;
  h->in.n[1] = h->k;
  parse_half(h);
  return NULL;
}

/* ==== Putting the tree together ==== */

static void set_doc(xmlNode *n, xmlDoc *doc) {
  for (; n; n = n->next) {
    n->doc = doc;
    if (n->type == XML_ELEMENT_NODE) {
      for (xmlAttr *a = n->properties; a; a = a->next) {
        a->doc = doc;
        for (xmlNode *c = a->children; c; c = c->next)
          c->doc = doc;
      }
      for (xmlNs *ns = n->nsDef; ns; ns = ns->next)
        ns->context = doc;
    }
    if (n->children && n->type != XML_ENTITY_REF_NODE)
      set_doc(n->children, doc);
  }
}

/* Appends the list from first (its nodes' parent until now: another's)
** to parent's children, without merging text nodes. */
static void append(xmlNode *parent, xmlNode *last, xmlNode *first) {
  if (!first)
    return;
  first->prev = last;
  if (last)
    last->next = first;
  else
    parent->children = first;
  for (xmlNode *c = first; c; c = c->next) {
    c->parent = parent;
    if (!c->next)
      parent->last = c;
  }
}

/* 1 when n is a text node of exactly k newlines. */
static int is_newlines(const xmlNode *n, size_t k) {
  if (!n || n->type != XML_TEXT_NODE || !n->content)
    return 0;
  size_t i = 0;
  for (; n->content[i]; i++)
    if (n->content[i] != '\n')
      return 0;
  return i == k;
}

/* Moves b's root's children (but the first, the k newlines, when k > 0)
** and what follows b's root into a. 0 when b is not as expected. */
static int graft(xmlDoc *a, xmlDoc *b, size_t k) {
  xmlNode *ra = xmlDocGetRootElement(a), *rb = xmlDocGetRootElement(b);
  if (!ra || !rb || ra->next || rb->prev)
    return 0;
  xmlNode *first = rb->children;
  if (k > 0) {
    if (!is_newlines(first, k))
      return 0;
    first = first->next;
  }
  xmlNode *after = rb->next;
  set_doc(first, a);
  set_doc(after, a);
  append(ra, ra->last, first);
  append((xmlNode *)a, ra, after);
  rb->children = rb->last = NULL;
  rb->next = NULL;
  b->last = rb;
  return 1;
}

static void drop(half *h) {
  if (!h->r)
    return;
  if (h->doc)
    sb_xml_region_free_tree(h->r, h->doc);
  sb_xml_region_drop(h->r);
  h->r = NULL;
  h->doc = NULL;
}

xmlDoc *sb_xml_parse_split(const char *name, const char *data, size_t len,
                           sb_xml_region **region) {
  const char *r0, *r1;
  size_t nlen;
  *region = NULL;
  if (!root_tag(data, len, &r0, &r1, &nlen))
    return NULL;
  const char *e = data + len, *cut = find_cut(r1, e);
  if (!cut)
    return NULL;
  char *tail = malloc(nlen + 3);
  if (!tail)
    return NULL;
  size_t tn = 0;
  tail[tn++] = '<';
  tail[tn++] = '/';
  memcpy(tail + tn, r0 + 1, nlen);
  tn += nlen;
  tail[tn++] = '>';

  half a, b;
  memset(&a, 0, sizeof a);
  memset(&b, 0, sizeof b);
  a.name = b.name = name;
  /* as reader.c reads a file: a BOM is not handed to libxml2 */
  size_t bom = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  a.in.p[0] = data + bom;
  a.in.n[0] = (size_t)(cut - data) - bom;
  a.in.p[1] = tail;
  a.in.n[1] = tn;
  a.expect = (size_t)(cut - data) * 4;
  b.data = data;
  b.r0 = r0;
  b.r1 = r1;
  b.cut = cut;
  b.end = e;
  b.in.p[0] = r0;
  b.in.n[0] = (size_t)(r1 - r0);
  b.in.p[2] = cut;
  b.in.n[2] = (size_t)(e - cut);
  b.expect = (size_t)(e - cut) * 4;
  /* the first region is entered first: the first one of the process
  ** installs region.c's allocator while no other thread uses libxml2 */
  xmlDoc *out = NULL;
  a.r = sb_xml_region_enter();
  if (a.r) {
    sb_xml_region_leave(a.r);
    sb_xml_region_drop(a.r);
    a.r = NULL;
    pthread_t t;
    if (pthread_create(&t, NULL, second_main, &b) == 0) {
      parse_half(&a);
      pthread_join(t, NULL);
      if (a.doc && b.doc && !a.errors && !b.errors &&
          !sb_xml_region_mixed(a.r) && !sb_xml_region_mixed(b.r) &&
          graft(a.doc, b.doc, b.k)) {
        sb_xml_region_adopt(a.r, b.r, b.doc);
        out = a.doc;
        *region = a.r;
      } else {
        drop(&a);
        drop(&b);
      }
    }
  }
  free(tail);
  free(b.nls);
  return out;
}
