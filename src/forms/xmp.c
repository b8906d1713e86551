/*
** forms/xmp.c -- a pack's identity out of its XMP metadata.
**
** The pdf device writes the sbpack properties (docs/forms.md) as elements
** of an rdf:Description; other programs that rewrite the metadata may turn
** them into attributes (the abbreviated RDF form). Both are read, matched
** by namespace URI, never by prefix. The packet is parsed by the shared
** safe reader (xml/reader.c: no DTD, no entities, no network).
** Tests: tests/cli/collect.sh
*/
#include <string.h>

#include <libxml/tree.h>

#include "skillbook/forms.h"
#include "xml/reader.h"

typedef struct prop {
  const char *key;
  size_t off;  /* offsetof the field in sb_pack_ident */
} prop;

#define P(k, f) {k, offsetof(sb_pack_ident, f)}
static const prop props[] = {
    P("formVersion", form_version), P("person", person), P("role", role),
    P("from", from), P("toRole", to_role), P("to", to),
    P("ladderTitle", ladder_title), P("ladderVersion", ladder_version)};
#undef P

static int ours(const xmlNs *ns) {
  return ns && ns->href && strcmp((const char *)ns->href, SB_PACK_NS) == 0;
}

/* Stores value under key when key is one of ours and not yet set (the
** first occurrence wins: an extension schema's description names the
** properties only in other namespaces). */
static void store(sb_arena *a, sb_pack_ident *out, const char *key,
                  const char *value) {
  for (size_t i = 0; i < sizeof props / sizeof *props; i++) {
    if (strcmp(props[i].key, key) != 0)
      continue;
    const char **slot = (const char **)((char *)out + props[i].off);
    if (!*slot)
      *slot = sb_arena_strdup(a, value ? value : "");
    return;
  }
}

/* Walks the tree without recursion depth beyond the document's (the
** reader caps the depth of what it parses). */
static void walk(xmlNode *n, sb_arena *a, sb_pack_ident *out) {
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    for (xmlAttr *at = n->properties; at; at = at->next) {
      if (!ours(at->ns))
        continue;
      xmlChar *v = xmlNodeGetContent((xmlNode *)at);
      store(a, out, (const char *)at->name, (const char *)v);
      xmlFree(v);
    }
    if (ours(n->ns)) {
      xmlChar *v = xmlNodeGetContent(n);
      store(a, out, (const char *)n->name, (const char *)v);
      xmlFree(v);
      continue;
    }
    walk(n->children, a, out);
  }
}

sb_status sb_pack_read_xmp(sb_ctx *ctx, const char *xmp, size_t n,
                           sb_arena *a, sb_pack_ident *out) {
  memset(out, 0, sizeof *out);
  xmlDoc *doc = NULL;
  sb_ctx scratch;
  sb_ctx_init(&scratch);
  scratch.quiet = 1;
  sb_status st = sb_xml_parse(&scratch, "XMP", xmp, n, &doc);
  if (st != SB_OK) {
    const char *why = scratch.ndiags ? scratch.diags[0].msg : scratch.errmsg;
    st = sb_fail(ctx, SB_E_XML, "XMP metadata is not well-formed XML: %.200s",
                 why);
    sb_ctx_free(&scratch);
    return st;
  }
  sb_ctx_free(&scratch);
  walk(xmlDocGetRootElement(doc), a, out);
  xmlFreeDoc(doc);
  return SB_OK;
}
