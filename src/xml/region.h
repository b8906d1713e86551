/*
** xml/region.h -- a region of memory for one libxml2 tree (region.c).
**
** Private to src/xml: reader.c parses a catalogue file into a region and
** sb_xml_free_doc gives it back. See region.c for the rules.
** Tests: tests/unit/test_xml_region.c, tests/cli/diagnostics.sh
*/
#ifndef SB_XML_REGION_H
#define SB_XML_REGION_H

#include <stddef.h>

typedef struct sb_xml_region sb_xml_region;

/** Makes a new region the calling thread's until sb_xml_region_leave:
** what libxml2 allocates on this thread meanwhile goes to it (other
** threads get libc's blocks). NULL (nothing changed) when the thread
** already has one or none can be made. The first call points libxml2's
** allocator at region.c for good (libc's outside a region): no other
** thread may use libxml2 during that first call. */
sb_xml_region *sb_xml_region_enter(void);

/** Makes r, just entered, recycle: a block freed in it is kept for the
** next block of its size (up to 2 KB; bigger ones wait for the drop), for
** a tree that is freed as it is built (xml/stream.c). Returns 1, or 0
** (nothing changed) when r is not the active region. */
int sb_xml_region_recycle(sb_xml_region *r);

/** Ends the thread's region r: libc's blocks again; r's blocks stay valid
** until sb_xml_region_drop. */
void sb_xml_region_leave(sb_xml_region *r);

/** 1 when a block of r came from malloc (a chunk could not be mapped):
** the tree must then be freed with sb_xml_region_free_tree. */
int sb_xml_region_mixed(const sb_xml_region *r);

/** Bytes of r's chunks. */
size_t sb_xml_region_bytes(const sb_xml_region *r);

/** Frees what of tree (an xmlDoc parsed in r) is not in r (the
** dictionary's mutex; every block malloc made when r is mixed), with r
** the calling thread's region meanwhile (any thread: another may use
** libxml2 at the same time); the rest goes with sb_xml_region_drop. */
void sb_xml_region_free_tree(sb_xml_region *r, void *tree);

/** Unmaps r and frees it. Nothing of r may be used afterwards. */
void sb_xml_region_drop(sb_xml_region *r);

#endif
