/*
** xml/reader.c -- read one XML file safely and turn libxml2's errors into
** diagnostics.
**
** Before libxml2 sees a byte we check what the format promises: the file is
** not empty, is UTF-8 (a BOM is allowed, no other encoding may be declared),
** has no DOCTYPE (so no entity is ever defined, expanded or fetched) and no
** text or attribute value beyond the text-bytes limit. Then libxml2 parses
** with NONET and BIG_LINES only, and the schema compiled into the binary
** validates the tree. The checks on the raw bytes are xml/scan.c's
** (sb_xml_check_raw).
** libxml2 reports through a structured error handler installed around each
** call and restored afterwards (2.9.14 has no per-context handler; the
** handler is per thread, so a validation on a helper thread,
** validate-bg.c, installs its own).
** Tests: tests/unit/test_catalog.c, tests/unit/test_xml_region.c, tests/bad/
** (tests/cli/validate.sh), tests/cli/diagnostics.sh
*/
#define _GNU_SOURCE /* madvise, MADV_DONTNEED */
#include "xml/reader.h"
#include "xml/reader-imp.h"
#include "xml/region.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#define SB_CAT_NS "{urn:skillbook:catalog:1}"

/* ==== Small helpers ==== */

static int is_xml_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int starts(const char *data, size_t len, size_t pos, const char *lit) {
  size_t n = strlen(lit);
  return pos + n <= len && memcmp(data + pos, lit, n) == 0;
}

/* ==== libxml2 errors → diagnostics ==== */

typedef struct sink {
  sb_ctx *ctx;
  const char *name;
  sb_status code;     /* SB_E_XML while parsing, SB_E_SCHEMA validating */
  int max;            /* errors to keep (0 = all) */
  int nerrors;        /* errors seen */
  char last_prefix[200]; /* "Element 'x', attribute 'y':" of the last facet */
  long last_line;
} sink;

/* Removes every occurrence of our namespaces in braces ("{urn:skillbook:
** catalog:1}", "{urn:skillbook:style:1}") from s, in place. */
static void strip_ns(char *s) {
  char *p;
  while ((p = strstr(s, "{urn:skillbook:")) != NULL) {
    char *e = strchr(p, '}');
    if (!e)
      break;
    memmove(p, e + 1, strlen(e + 1) + 1);
  }
}

static void strip_trailing_space(char *s) {
  size_t n = strlen(s);
  while (n > 0 && (is_xml_space(s[n - 1]) || s[n - 1] == '.'))
    s[--n] = '\0';
}

/* What a value of one of the schema's types looks like. */
static const char *type_hint(const char *msg) {
  if (strstr(msg, "'Id'") || strstr(msg, "[a-z0-9][a-z0-9._"))
    return "an id is 1 to 64 characters: lower-case ASCII letters, digits, "
           "'.', '_' and '-', starting with a letter or digit";
  if (strstr(msg, "'Flag'") || strstr(msg, "'true|false'"))
    return "expected true or false";
  if (strstr(msg, "'Date'") || strstr(msg, "\\d{4}-"))
    return "expected a date written YYYY-MM-DD";
  return NULL;
}

/* The part of msg up to and including the first "': " (the element and
** attribute the message is about). */
static void msg_prefix(const char *msg, char *out, size_t n) {
  const char *p = strstr(msg, ": ");
  size_t k = p ? (size_t)(p - msg) : 0;
  if (k >= n)
    k = n - 1;
  memcpy(out, msg, k);
  out[k] = '\0';
}

/* Turns libxml2's message into ours: namespace noise removed, a few known
** messages reworded, and what a valid value looks like added. */
static void humanise(sb_buf *b, char *msg) {
  const char *p;
  strip_ns(msg);
  strip_trailing_space(msg);
  if (strstr(msg, "No matching global declaration available for the "
                  "validation root")) {
    char pre[200];
    msg_prefix(msg, pre, sizeof pre);
    sb_buf_printf(b, "%s: not a catalogue (expected root element "
                  "<catalog xmlns=\"urn:skillbook:catalog:1\">)", pre);
    return;
  }
  if ((p = strstr(msg, "Char 0x")) != NULL &&
      strstr(msg, "out of allowed range")) {
    sb_buf_printf(b, "character U+%04lX is not allowed in XML",
                  strtol(p + 7, NULL, 16));
    return;
  }
  if ((p = strstr(msg, "Excessive depth in document: ")) != NULL) {
    /* libxml2 2.9.14: "...: 256 use XML_PARSE_HUGE option", an option of
       the program, not of the user; 256 levels below the root pass */
    long depth = strtol(p + strlen("Excessive depth in document: "), NULL, 10);
    sb_buf_printf(b, "elements nested more than %ld levels below the root "
                  "element (the XML parser's fixed limit; a catalogue "
                  "needs 4, a style file 1)", depth > 0 ? depth : 256L);
    return;
  }
  if (strstr(msg, "AttValue length too long")) {
    sb_buf_adds(b, "attribute value longer than libxml2's fixed limit of "
                "10,000,000 bytes");
    return;
  }
  if (strstr(msg, "Huge input lookup") || strstr(msg, "huge text node")) {
    sb_buf_adds(b, "text node longer than libxml2's fixed limit of "
                "10,000,000 bytes");
    return;
  }
  if ((p = strstr(msg, "invalid xmlChar value ")) != NULL ||
      (p = strstr(msg, "invalid Char value ")) != NULL) {
    long v = strtol(strstr(p, "value ") + 6, NULL, 10);
    sb_buf_printf(b, "character U+%04lX is not allowed in XML", v);
    return;
  }
  if ((p = strstr(msg, "[facet 'pattern'] The value ")) != NULL) {
    const char *v = p + strlen("[facet 'pattern'] The value ");
    const char *pat = strstr(v, " is not accepted by the pattern ");
    if (pat) {
      sb_buf_add(b, msg, (size_t)(p - msg));
      sb_buf_printf(b, "the value %.*s does not match the pattern %s",
                    (int)(pat - v), v,
                    pat + strlen(" is not accepted by the pattern "));
    }
  } else if ((p = strstr(msg, "[facet 'minLength']")) != NULL) {
    sb_buf_add(b, msg, (size_t)(p - msg));
    sb_buf_adds(b, "empty or blank text (expected some text)");
    return;
  }
  if (b->n == 0)
    sb_buf_adds(b, msg);
  const char *hint = type_hint(msg);
  if (hint)
    sb_buf_printf(b, " (%s)", hint);
}

static long error_line(const xmlError *e) {
  xmlNode *node = (xmlNode *)e->node;
  if (node && node->type == XML_ATTRIBUTE_NODE)
    node = node->parent;
  if (node && (node->type == XML_ELEMENT_NODE || node->type == XML_TEXT_NODE))
    return xmlGetLineNo(node);
  return e->line;
}

/* A schema error that only repeats the facet error just before it
** ("'x' is not a valid value of the atomic type ...") adds nothing. */
static int is_repeat(sink *s, const char *msg, long line) {
  char pre[200];
  msg_prefix(msg, pre, sizeof pre);
  if (strstr(msg, "[facet ")) {
    snprintf(s->last_prefix, sizeof s->last_prefix, "%s", pre);
    s->last_line = line;
    return 0;
  }
  return line == s->last_line && strcmp(pre, s->last_prefix) == 0 &&
         strstr(msg, "is not a valid value of the atomic type");
}

#if LIBXML_VERSION >= 21200
static void on_xml_error(void *data, const xmlError *e)
#else
static void on_xml_error(void *data, xmlErrorPtr e)
#endif
{
  sink *s = data;
  if (!e || e->level < XML_ERR_ERROR)
    return;  /* warnings (e.g. about namespace URIs) are not our business */
  s->nerrors++;
  if (s->max && s->nerrors > s->max)
    return;
  char *msg = sb_xstrdup(e->message ? e->message : "unknown XML error");
  strip_ns(msg);
  long line = error_line(e);
  if (!is_repeat(s, msg, line)) {
    sb_buf b;
    sb_buf_init(&b);
    humanise(&b, msg);
    sb_diag_add(s->ctx, SB_SEV_ERROR, s->code, s->name, line,
                s->code == SB_E_XML ? e->int2 : 0, "%s", b.p);
    sb_buf_free(&b);
  }
  free(msg);
}

static void on_generic_error(void *data, const char *fmt, ...) {
  (void)data;
  (void)fmt;  /* everything arrives through the structured handler */
}

typedef struct saved_handlers {
  xmlStructuredErrorFunc serr;
  void *sctx;
  xmlGenericErrorFunc gerr;
  void *gctx;
} saved_handlers;

static void install(saved_handlers *sv, sink *s) {
  sv->serr = xmlStructuredError;
  sv->sctx = xmlStructuredErrorContext;
  sv->gerr = xmlGenericError;
  sv->gctx = xmlGenericErrorContext;
  xmlSetStructuredErrorFunc(s, (xmlStructuredErrorFunc)on_xml_error);
  xmlSetGenericErrorFunc(NULL, on_generic_error);
}

static void restore(const saved_handlers *sv) {
  xmlSetStructuredErrorFunc(sv->sctx, sv->serr);
  xmlSetGenericErrorFunc(sv->gctx, sv->gerr);
}

/* ==== Parse ==== */

/* libxml2 2.9's xmlCtxtReadMemory copies the whole file into its input
** buffer and, because the encoding is given, converts it (UTF-8 to UTF-8)
** into a second whole copy that is never shrunk: three copies of the file
** at the end of the parse (53 MB of the xl catalogue's 17.6 MB). Read
** through callbacks instead, libxml2 takes the bytes 4,000 at a time and
** drops what it has parsed, so both buffers stay a few kilobytes; the
** parser, its options, the encoding and so every diagnostic are the same.
** One thing differs: when reading through callbacks libxml2 refuses to
** look more than 10,000,000 bytes back into its buffer ("Huge input
** lookup"), which a start tag or another construct that long would need
** (memory input has no such check). window_ok keeps such files on the
** memory path: no two '<' are more than WINDOW bytes apart. */

typedef struct mem_reader {
  const char *data;
  size_t len, pos;
  char *owned;     /* data, when its parsed pages may be given back */
  size_t given;    /* bytes of data given back so far (page-aligned end) */
} mem_reader;

/* Parsed bytes are given back GIVE_STEP at a time (a multiple of the
** huge page, so that the heap's huge pages go back whole) */
#define GIVE_STEP ((size_t)2 << 20)

void sb_xml_give_back(char *owned, size_t *given, size_t pos) {
  /* whole huge pages only: giving back part of one splits it, and the
  ** heap that reuses those bytes later then faults 4 KB at a time */
  uintptr_t lo = ((uintptr_t)owned + *given + GIVE_STEP - 1) &
                 ~(GIVE_STEP - 1);
  uintptr_t hi = ((uintptr_t)owned + pos) & ~(GIVE_STEP - 1);
  if (hi > lo && hi - lo >= GIVE_STEP) {
    madvise((void *)lo, hi - lo, MADV_DONTNEED); /* best effort */
    *given = hi - (uintptr_t)owned;
  }
}

static int mem_read(void *ctx, char *buf, int n) {
  mem_reader *r = ctx;
  size_t k = r->len - r->pos;
  if (n < 0)
    return -1;
  if (k > (size_t)n)
    k = (size_t)n;
  memcpy(buf, r->data + r->pos, k);
  r->pos += k;
  if (r->owned) /* libxml2 has its copy of the bytes below pos */
    sb_xml_give_back(r->owned, &r->given, r->pos);
  return (int)k;
}

#define WINDOW ((size_t)4 << 20)

static int window_ok(const char *data, size_t len) {
  const char *p = data, *end = data + len;
  for (;;) {
    size_t k = (size_t)(end - p) < WINDOW ? (size_t)(end - p) : WINDOW;
    const char *lt = memchr(p, '<', k);
    if (!lt)
      return k < WINDOW;
    p = lt + 1;
  }
}

/* Region docs (xml/region.c) being alive: doc->_private is its region.
** The validation helper (validate-bg.c) may drop one while this thread
** parses or frees another: the table is shared, under live_lock. */
#define MAX_LIVE 4
static sb_xml_region *live[MAX_LIVE];
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;

static sb_xml_region *region_of(const xmlDoc *doc) {
  sb_xml_region *r = NULL;
  pthread_mutex_lock(&live_lock);
  for (int i = 0; i < MAX_LIVE && !r; i++)
    if (live[i] && doc->_private == live[i])
      r = live[i];
  pthread_mutex_unlock(&live_lock);
  return r;
}

static int keep_region(sb_xml_region *r) {
  int kept = 0;
  pthread_mutex_lock(&live_lock);
  for (int i = 0; i < MAX_LIVE && !kept; i++)
    if (!live[i]) {
      live[i] = r;
      kept = 1;
    }
  pthread_mutex_unlock(&live_lock);
  return kept;
}

static void drop_region(xmlDoc *doc, sb_xml_region *r) {
  pthread_mutex_lock(&live_lock);
  for (int i = 0; i < MAX_LIVE; i++)
    if (live[i] == r)
      live[i] = NULL;
  pthread_mutex_unlock(&live_lock);
  if (doc)
    sb_xml_region_free_tree(r, doc);
  sb_xml_region_drop(r);
}

static void join_free(void);

static sb_status parse(sb_ctx *ctx, const char *name, const char *data,
                       size_t len, int in_region, char *owned,
                       xmlDoc **out) {
  *out = NULL;
  sb_status st = sb_xml_check_raw(ctx, name, data, len);
  if (st)
    return st;

  sb_xml_region *r = NULL;
  if (in_region) {
    /* no other thread in libxml2 when the first region installs
    ** region.c's allocator (xml/region.c) */
    join_free();
    r = sb_xml_region_enter();
  }
  sink s = {ctx, name, SB_E_XML, 1, 0, "", 0};
  saved_handlers sv;
  install(&sv, &s);
  xmlParserCtxt *pctx = xmlNewParserCtxt();
  xmlDoc *doc = NULL;
  if (pctx) {
    int opts = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT;
    /* with a memory buffer libxml2 skips a BOM when it switches to the
    ** encoding given; with callbacks its buffer is still empty then, so
    ** the BOM is not handed over (positions are the same: libxml2 does
    ** not count the BOM's bytes either) */
    mem_reader rd = {data, len, starts(data, len, 0, "\xEF\xBB\xBF") ? 3 : 0,
                     owned, 0};
    if (window_ok(data, len))
      doc = xmlCtxtReadIO(pctx, mem_read, NULL, &rd, name, "UTF-8", opts);
    else
      doc = xmlCtxtReadMemory(pctx, data, (int)len, name, "UTF-8", opts);
    xmlFreeParserCtxt(pctx);
  }
  restore(&sv);
  sb_xml_region_leave(r);
  if (r && doc && keep_region(r))
    doc->_private = r;
  else if (r) {
    drop_region(doc, r); /* cannot happen: one file at a time */
    doc = NULL;
    r = NULL;
  }
  if (!pctx)
    return sb_fail(ctx, SB_E_INTERNAL, "libxml2: cannot create a parser");
  if (doc && s.nerrors == 0 && xmlDocGetRootElement(doc)) {
    *out = doc;
    return SB_OK;
  }
  if (r)
    drop_region(doc, r);
  else if (doc)
    xmlFreeDoc(doc);
  if (s.nerrors == 0)
    sb_diag_add(ctx, SB_SEV_ERROR, SB_E_XML, name, 0, 0,
                "no root element (the document is empty)");
  return SB_E_XML;
}

sb_status sb_xml_parse(sb_ctx *ctx, const char *name, const char *data,
                       size_t len, xmlDoc **out) {
  return parse(ctx, name, data, len, 0, NULL, out);
}

sb_status sb_xml_parse_region(sb_ctx *ctx, const char *name, const char *data,
                              size_t len, xmlDoc **out) {
  return parse(ctx, name, data, len, 1, NULL, out);
}

sb_status sb_xml_parse_region_owned(sb_ctx *ctx, const char *name, char *data,
                                    size_t len, xmlDoc **out) {
  return parse(ctx, name, data, len, 1, data, out);
}

/* ==== Schema ==== */

typedef struct schema_slot {
  const char *xsd;
  xmlSchema *schema;
} schema_slot;

static schema_slot schemas[4];

/* The compiled schema for xsd, compiled on first use. */
xmlSchema *sb_xml_schema_for(sb_ctx *ctx, const char *xsd) {
  int i;
  for (i = 0; i < 4 && schemas[i].xsd; i++)
    if (schemas[i].xsd == xsd)
      return schemas[i].schema;
  if (i == 4)
    return NULL;
  sink s = {ctx, "<built-in schema>", SB_E_INTERNAL, 0, 0, "", 0};
  saved_handlers sv;
  install(&sv, &s);
  xmlSchemaParserCtxt *pc = xmlSchemaNewMemParserCtxt(xsd, (int)strlen(xsd));
  xmlSchema *schema = pc ? xmlSchemaParse(pc) : NULL;
  if (pc)
    xmlSchemaFreeParserCtxt(pc);
  restore(&sv);
  if (!schema)
    return NULL;
  schemas[i].xsd = xsd;
  schemas[i].schema = schema;
  return schema;
}

sb_status sb_xml_validate(sb_ctx *ctx, const char *name, xmlDoc *doc,
                          const char *xsd) {
  xmlSchema *schema = sb_xml_schema_for(ctx, xsd);
  if (!schema)
    return sb_fail(ctx, SB_E_INTERNAL, "the built-in schema does not compile");
  return sb_xml_validate_with(ctx, name, doc, schema);
}

sb_status sb_xml_validate_with(sb_ctx *ctx, const char *name, xmlDoc *doc,
                               xmlSchema *schema) {
  sink s = {ctx, name, SB_E_SCHEMA, 0, 0, "", 0};
  saved_handlers sv;
  install(&sv, &s);
  xmlSchemaValidCtxt *vc = xmlSchemaNewValidCtxt(schema);
  int rc = -1;
  if (vc) {
    xmlSchemaSetValidStructuredErrors(vc, (xmlStructuredErrorFunc)on_xml_error,
                                      &s);
    rc = xmlSchemaValidateDoc(vc, doc);
    xmlSchemaFreeValidCtxt(vc);
  }
  restore(&sv);
  if (rc < 0 && s.nerrors == 0)
    return sb_fail(ctx, SB_E_INTERNAL, "%s: schema validation failed", name);
  return (rc == 0 && s.nerrors == 0) ? SB_OK : SB_E_SCHEMA;
}

/* ==== Freeing a large tree in the background ==== */

static pthread_t free_thread;
static int free_pending; /* a thread to join */

static void join_free(void) {
  if (free_pending) {
    pthread_join(free_thread, NULL);
    free_pending = 0;
  }
}

static void *free_main(void *doc) {
  xmlFreeDoc(doc);
  return NULL;
}

void sb_xml_join_free(void) { join_free(); }

void sb_xml_free_doc(xmlDoc *doc, size_t bytes) {
  static int registered = -1;
  sb_xml_region *r;

  if (!doc)
    return;
  if ((r = region_of(doc)) != NULL) {
    drop_region(doc, r); /* unmapped at once, nothing to walk */
    return;
  }
  join_free(); /* one at a time */
  if (registered < 0) /* join before any fork and at exit */
    registered = pthread_atfork(join_free, NULL, NULL) == 0 &&
                 atexit(join_free) == 0;
  if (registered && bytes >= ((size_t)1 << 20) &&
      pthread_create(&free_thread, NULL, free_main, doc) == 0) {
    free_pending = 1;
    return;
  }
  xmlFreeDoc(doc);
}

void sb_xml_free_doc_here(xmlDoc *doc) {
  sb_xml_region *r;
  if (!doc)
    return;
  if ((r = region_of(doc)) != NULL)
    drop_region(doc, r);
  else
    xmlFreeDoc(doc);
}

void sb_xml_cleanup(void) {
  join_free();
  for (int i = 0; i < 4; i++) {
    if (schemas[i].schema)
      xmlSchemaFree(schemas[i].schema);
    schemas[i].xsd = NULL;
    schemas[i].schema = NULL;
  }
  xmlCleanupParser();
}
