/*
** xml/reader.h -- the xml reader shared by the catalogue and style loaders.
**
** Private to src/: only the two tree walkers (catalog/load.c, style/load.c)
** include it, because it shows libxml2's xmlDoc. Everything that can go
** wrong while reading a file becomes an sb_diag with file:line:col.
** Tests: tests/unit/test_catalog.c, tests/unit/test_xml_region.c, tests/bad/
** (tests/cli/validate.sh), tests/cli/diagnostics.sh
*/
#ifndef SB_XML_READER_H
#define SB_XML_READER_H

#include <libxml/tree.h>

#include "skillbook/base.h"

/** Checks the raw bytes (not empty, valid UTF-8, no encoding other than
** UTF-8, no DOCTYPE, no text or attribute value over
** ctx->limits.text_bytes, each measured alone) and parses
** them with XML_PARSE_NONET | XML_PARSE_BIG_LINES (never entity
** substitution or DTD loading). name is used in diagnostics. On success
** *out is a document owned by the caller (xmlFreeDoc). On failure one
** diagnostic is added and SB_E_XML (or SB_E_LIMIT) is returned. */
sb_status sb_xml_parse(sb_ctx *ctx, const char *name, const char *data,
                       size_t len, xmlDoc **out);

/** As sb_xml_parse, but the tree is built in a region of its own
** (xml/region.c): no malloc and free for each of its blocks, and its
** memory goes back to the system at once when sb_xml_free_doc (the only
** way to free it) drops it. Nothing may change the tree. Single-threaded:
** no other thread may use libxml2 during the call. */
sb_status sb_xml_parse_region(sb_ctx *ctx, const char *name, const char *data,
                              size_t len, xmlDoc **out);
/** As sb_xml_parse_region, for bytes the caller frees right after the
** call (the loader's copy of a file): the pages libxml2 has parsed are
** given back to the system as it goes (madvise MADV_DONTNEED), so the
** file's bytes and its tree do not add up at the end of the parse (xl.xml:
** 17.6 MB of the load's peak). Afterwards data holds zeros where it was
** given back: the caller may only free it. */
sb_status sb_xml_parse_region_owned(sb_ctx *ctx, const char *name, char *data,
                                    size_t len, xmlDoc **out);

/** Validates doc against the schema text xsd (NUL-terminated, compiled in;
** the compiled schema is cached per process and keyed by the pointer).
** Every schema error becomes a diagnostic (SB_E_SCHEMA, file:line, with the
** namespace noise removed). Returns SB_OK or SB_E_SCHEMA. */
sb_status sb_xml_validate(sb_ctx *ctx, const char *name, xmlDoc *doc,
                          const char *xsd);

/* A validation running on a helper thread (validate-bg.c). */
typedef struct sb_xml_bg sb_xml_bg;

/** Starts sb_xml_validate(ctx, name, doc, xsd) on a helper thread, so that
** the caller can read the same tree meanwhile (the catalogue loader walks
** it). Its diagnostics are kept apart, in a context with ctx's limits,
** until sb_xml_validate_join. The schema is compiled first, on the calling
** thread. Returns NULL when it cannot start (no thread, the schema does
** not compile), having added nothing to ctx: then call sb_xml_validate.
** Until the join, nothing may change doc; the caller may use libxml2 on
** other documents (the helper's libxml2 state is its own thread's, and so
** is a region: xml/region.c). No fork before the join.
** @test tests/cli/load_overlap.sh, tests/cli/load_pending.sh */
sb_xml_bg *sb_xml_validate_start(sb_ctx *ctx, const char *name, xmlDoc *doc,
                                 const char *xsd);

/** Compiles xsd now (sb_xml_validate_start's first step, cached for the
** process), on a thread that no other thread's libxml2 work overlaps (a
** helper, before the loader's first parse: sb_cat_warm_schema). A schema
** that does not compile is left to the validation, which reports it;
** nothing is said here. This function can't fail. */
void sb_xml_schema_warm(const char *xsd);

/** The caller has done with doc (it will not read it again): the helper
** frees it (sb_xml_free_doc_here) as soon as the validation has ended,
** without waiting for the join, so that the tree's memory goes back while
** the caller works on. Without this call the caller frees doc itself,
** after sb_xml_validate_join. */
void sb_xml_validate_give(sb_xml_bg *bg);

/** The caller will free doc itself, after sb_xml_validate_join: the
** helper ends as soon as it has validated, so that the join does not wait
** for a word (the join says it too, later). The first of give and keep
** counts. */
void sb_xml_validate_keep(sb_xml_bg *bg);

/** Waits for bg to end, adds its diagnostics to ctx in their order (as
** sb_xml_validate would have added them, now), frees bg and returns what
** sb_xml_validate returns. */
sb_status sb_xml_validate_join(sb_ctx *ctx, sb_xml_bg *bg);

/** Frees doc, parsed from bytes bytes. A tree parsed in a region is
** dropped at once. Another tree of a file of 1 MB or more is
** freed by a helper thread while the caller goes on (xmlFreeDoc of the
** large catalogue's tree is ~19 M instructions and malloc consolidation on
** top); one at a time, joined before the next, before any fork
** (pthread_atfork) and at exit. Nothing else may touch doc afterwards. */
void sb_xml_free_doc(xmlDoc *doc, size_t bytes);

/** Frees the cached schemas (tests call it before exit to stay leak-free). */
void sb_xml_cleanup(void);

/** Collapses runs of XML white space (space, tab, CR, LF) into one space and
** trims both ends, in place; returns the new length. Other spaces (U+00A0)
** are kept. This function can't fail. */
size_t sb_xml_collapse(char *s);
/** The length sb_xml_collapse would give s (its first n bytes, up to a
** NUL), without changing it. This function can't fail.
** @test tests/unit/test_catalog.c */
size_t sb_xml_collapsed_len(const char *s, size_t n);

/* ==== A file as a stream (xml/stream.c) ==== */

/** What sb_xml_stream calls for each element (depth 1: the root). start
** comes when its start tag has been parsed (el has its attributes, no
** content yet), end when it has ended (el's whole subtree is there). Each
** returns -1 to stop the parse (sb_xml_stream then fails); end returns 1
** to free every child its parent has so far, el among them (so its parent
** holds nothing: the next text starts a new node), else 0. */
typedef struct sb_xml_stream_hooks {
  void *arg;
  int (*start)(void *arg, xmlNode *el, int depth);
  int (*end)(void *arg, xmlNode *el, int depth);
} sb_xml_stream_hooks;

/** Parses the len bytes of data as sb_xml_parse would (the same checks of
** the raw bytes, options and tree) but as a stream, 4 KB at a time, and
** validates it against the schema text xsd as it goes (libxml2's schema
** validation plugged into the parser's SAX events), calling the hooks: so
** only what the hooks keep of the tree is ever built at once. data is the
** caller's own copy: its parsed pages are given back to the system as the
** parse goes (sb_xml_parse_region_owned), so afterwards the caller may
** only free it. A file of 65,534 lines or more is refused at once
** (SB_E_LIMIT): past that libxml2 keeps no element's line in its node,
** and xmlGetLineNo then asks nodes a stream does not hold. Returns SB_OK
** when the file was read to its end with
** nothing to say: no parse or schema error, no warning of libxml2's, no
** hook stopped it. Otherwise a status other than SB_OK, as soon as
** anything was said, without the diagnostics (libxml2's messages are not
** turned into ours here: the caller reads the file again with
** sb_xml_parse and sb_xml_validate, which report them); what the byte
** checks found may be in ctx. Single-threaded, as sb_xml_parse. */
sb_status sb_xml_stream(sb_ctx *ctx, const char *name, char *data, size_t len,
                        const char *xsd, const sb_xml_stream_hooks *hooks);

#endif
