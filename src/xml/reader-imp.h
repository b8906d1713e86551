/*
** xml/reader-imp.h -- what reader.c shares with validate-bg.c.
**
** Private to src/xml. The schema is compiled once (on the thread that asks
** first) and then only read, by one validation at a time.
*/
#ifndef SB_XML_READER_IMP_H
#define SB_XML_READER_IMP_H

#include <libxml/xmlschemas.h>

#include "skillbook/base.h"

/** What is checked on a file's raw bytes before libxml2 sees them (not
** empty, not over INT_MAX bytes, UTF-8, no other encoding declared, no
** DOCTYPE, no text over the text-bytes limit: reader.h's sb_xml_parse);
** the first problem is a diagnostic (or, over INT_MAX, sb_fail). */
sb_status sb_xml_check_raw(sb_ctx *ctx, const char *name, const char *data,
                           size_t len);

/** Waits for the tree sb_xml_free_doc may be freeing on a helper thread
** (before a region is entered: no other thread may use libxml2 then). */
void sb_xml_join_free(void);

/** Gives the whole pages of owned (a heap buffer that will only be freed)
** below pos back to the system, 2 MB at a time (madvise MADV_DONTNEED,
** best effort: they read as zeros afterwards); *given: the bytes given
** back so far, 0 at first. This function can't fail. */
void sb_xml_give_back(char *owned, size_t *given, size_t pos);

/** The compiled schema for the schema text xsd, compiled on first use and
** cached per process (keyed by the pointer); NULL when it does not
** compile, its errors then added to ctx as diagnostics. Not thread-safe:
** called by one thread at a time. */
xmlSchema *sb_xml_schema_for(sb_ctx *ctx, const char *xsd);

/** sb_xml_validate with the schema already compiled: the same diagnostics
** in ctx, the same status. Installs its error handler on the calling
** thread only, so it may run on a helper thread while another thread reads
** (never changes) the same tree. */
sb_status sb_xml_validate_with(sb_ctx *ctx, const char *name, xmlDoc *doc,
                               xmlSchema *schema);

/** Frees doc on the calling thread, whichever it is: a region's tree is
** dropped (xml/region.c: the region is the thread's for the time of the
** free, so other threads may use libxml2 meanwhile), another tree is
** freed with xmlFreeDoc here (not on sb_xml_free_doc's own thread). The
** validation helper frees the tree it validated with it. */
void sb_xml_free_doc_here(xmlDoc *doc);


#endif
