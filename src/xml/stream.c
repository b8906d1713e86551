/*
** xml/stream.c -- one XML file parsed and schema-validated as a stream.
**
** For catalogues too big to hold as a tree (the 17.6 MB xl catalogue's
** tree is 77 MB): libxml2's push parser builds the tree as usual (the
** same SAX2 handlers, options and so nodes, lines and texts as
** sb_xml_parse's), fed 4 KB at a time, with the compiled schema plugged
** into its SAX events (xmlSchemaSAXPlug: the validation of
** sb_xml_validate, as the elements go by). Our own start and end element
** handlers sit in front of libxml2's: after an element has ended, the
** caller's hook walks it and may free it, and everything before it under
** its parent, so the tree never holds more than the element being read and
** its ancestors. The schema layer keeps nothing of the tree (it copies the
** values it checks), so freeing a finished element under it is safe.
** libxml2 allocates in a region that recycles freed blocks by size
** (region.c): the same shapes are built and freed skill after skill, with
** no malloc and free for each node; the region goes when the parse ends.
** A file of 65,534 lines or more is not streamed (few_lines).
** Nothing here turns libxml2's messages into diagnostics: anything libxml2
** says (error or warning, parser or schema) only fails the stream, and the
** caller reads the file again on the tree path, which reports it as
** always (catalog/load.c).
** Tests: tests/cli/stream.sh (every bad catalogue and the good ones, the
** same output either way), tests/unit/test_catalog.c
*/
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <string.h>

#include "xml/reader-imp.h"
#include "xml/reader.h"
#include "xml/region.h"

/* Bytes handed to the parser at a time: its buffer holds about this much,
** and moves what it has not parsed yet to its start every few KB (with 64
** KB chunks that was 14 M instructions of memmove for the large catalogue) */
#define CHUNK ((size_t)4 << 10)

typedef struct stream {
  const sb_xml_stream_hooks *h;
  int said;       /* reports of libxml2's (errors and warnings) */
  int stopped;    /* a hook asked to stop */
} stream;

#if LIBXML_VERSION >= 21200
static void on_report(void *data, const xmlError *e)
#else
static void on_report(void *data, xmlErrorPtr e)
#endif
{
  (void)e;
  ((stream *)data)->said++;
}

static void on_generic(void *data, const char *fmt, ...) {
  (void)fmt;
  ((stream *)data)->said++;
}

static void stop(xmlParserCtxt *p, stream *s) {
  s->stopped = 1;
  xmlStopParser(p);
}

static void on_start(void *ud, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nb_namespaces,
                     const xmlChar **namespaces, int nb_attributes,
                     int nb_defaulted, const xmlChar **attributes) {
  xmlParserCtxt *p = ud;
  stream *s = p->_private;
  xmlSAX2StartElementNs(ud, localname, prefix, uri, nb_namespaces, namespaces,
                        nb_attributes, nb_defaulted, attributes);
  if (s->stopped || s->said || !p->node)
    return;
  if (p->node->line >= 65535) { /* cannot happen: lines() said no */
    s->said++;
    xmlStopParser(p);
    return;
  }
  if (s->h->start(s->h->arg, p->node, p->nodeNr) < 0)
    stop(p, s);
}

static void on_end(void *ud, const xmlChar *localname, const xmlChar *prefix,
                   const xmlChar *uri) {
  xmlParserCtxt *p = ud;
  stream *s = p->_private;
  xmlNode *el = p->node;
  int depth = p->nodeNr;
  xmlSAX2EndElementNs(ud, localname, prefix, uri);
  if (s->stopped || s->said || !el)
    return;
  int r = s->h->end(s->h->arg, el, depth);
  if (r < 0) {
    stop(p, s);
  } else if (r > 0 && el->parent && el->parent->type == XML_ELEMENT_NODE) {
    /* the parent is the parser's current node again; emptied, the next
    ** text under it starts a node of its own (xmlSAX2Characters) */
    xmlNode *parent = el->parent, *c;
    while ((c = parent->children) != NULL) {
      xmlUnlinkNode(c);
      xmlFreeNode(c);
    }
  }
}

/* 1 when data has fewer than 65,534 line ends: every element's line is
** then in its node (libxml2 keeps 65,535 for "or more" and xmlGetLineNo
** then asks the element's first child, or its siblings, which a stream
** may not have yet or has freed: the tree path's answer could not be
** given). */
static int few_lines(const char *data, size_t len) {
  const char *p = data, *end = data + len;
  for (long n = 0; n < 65534; n++) {
    p = memchr(p, '\n', (size_t)(end - p));
    if (!p)
      return 1;
    p++;
  }
  return 0;
}

sb_status sb_xml_stream(sb_ctx *ctx, const char *name, char *data, size_t len,
                        const char *xsd, const sb_xml_stream_hooks *hooks) {
  if (!few_lines(data, len))
    return SB_E_LIMIT;
  sb_status st = sb_xml_check_raw(ctx, name, data, len);
  if (st)
    return st;
  xmlSchema *schema = sb_xml_schema_for(ctx, xsd);
  if (!schema)
    return SB_E_INTERNAL;

  /* everything libxml2 allocates from here on (parser, dictionary,
  ** validation context, the tree) is in a region that recycles what is
  ** freed, unmapped at the end */
  sb_xml_join_free();
  sb_xml_region *region = sb_xml_region_enter();
  if (region && !sb_xml_region_recycle(region)) {
    sb_xml_region_leave(region);
    sb_xml_region_drop(region);
    region = NULL;
  }
  stream s = {hooks, 0, 0};
  xmlStructuredErrorFunc serr = xmlStructuredError;
  void *sctx = xmlStructuredErrorContext;
  xmlGenericErrorFunc gerr = xmlGenericError;
  void *gctx = xmlGenericErrorContext;
  xmlSetStructuredErrorFunc(&s, (xmlStructuredErrorFunc)on_report);
  xmlSetGenericErrorFunc(&s, on_generic);

  xmlParserCtxt *p = xmlCreatePushParserCtxt(NULL, NULL, NULL, 0, name);
  xmlSchemaValidCtxt *vc = p ? xmlSchemaNewValidCtxt(schema) : NULL;
  xmlSchemaSAXPlugStruct *plug = NULL;
  if (vc) {
    /* the options of sb_xml_parse; our handlers in front of libxml2's
    ** tree builder, then the schema layer in front of both */
    xmlCtxtUseOptions(p, XML_PARSE_NONET | XML_PARSE_BIG_LINES |
                             XML_PARSE_COMPACT);
    p->_private = &s;
    p->sax->startElementNs = on_start;
    p->sax->endElementNs = on_end;
    xmlSchemaSetValidStructuredErrors(vc, (xmlStructuredErrorFunc)on_report,
                                      &s);
    plug = xmlSchemaSAXPlug(vc, &p->sax, &p->userData);
  }
  int rc = plug ? 0 : -1;
  size_t pos = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  size_t given = 0;
  while (rc == 0 && pos < len && !s.said && !s.stopped) {
    size_t n = len - pos < CHUNK ? len - pos : CHUNK;
    rc = xmlParseChunk(p, data + pos, (int)n, 0);
    pos += n;
    sb_xml_give_back(data, &given, pos); /* the parser has its copy */
  }
  if (rc == 0 && !s.said && !s.stopped)
    rc = xmlParseChunk(p, NULL, 0, 1);
  int ok = rc == 0 && !s.said && !s.stopped && p->wellFormed &&
           xmlSchemaIsValid(vc) == 1 && p->myDoc &&
           xmlDocGetRootElement(p->myDoc);

  if (plug)
    xmlSchemaSAXUnplug(plug);
  if (vc)
    xmlSchemaFreeValidCtxt(vc);
  if (p) {
    if (p->myDoc)
      xmlFreeDoc(p->myDoc);
    xmlFreeParserCtxt(p);
  }
  xmlSetStructuredErrorFunc(sctx, serr);
  xmlSetGenericErrorFunc(gctx, gerr);
  sb_xml_region_leave(region); /* resets libxml2's last error first */
  sb_xml_region_drop(region);
  return ok ? SB_OK : SB_E_XML;
}
