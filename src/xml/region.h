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

/** Points libxml2's allocator at a new region until sb_xml_region_leave;
** NULL (nothing changed) when a region is already active or none can be
** made. One thread only, and no other thread may use libxml2 meanwhile. */
sb_xml_region *sb_xml_region_enter(void);

/** Makes r, just entered, recycle: a block freed in it is kept for the
** next block of its size (up to 2 KB; bigger ones wait for the drop), for
** a tree that is freed as it is built (xml/stream.c). Returns 1, or 0
** (nothing changed) when r is not the active region or libxml2 refused. */
int sb_xml_region_recycle(sb_xml_region *r);

/** Gives libxml2 its allocator back; r's blocks stay valid until
** sb_xml_region_drop. */
void sb_xml_region_leave(sb_xml_region *r);

/** 1 when a block of r came from malloc (a chunk could not be mapped):
** the tree must then be freed with sb_xml_region_free_tree. */
int sb_xml_region_mixed(const sb_xml_region *r);

/** Bytes mapped for r. */
size_t sb_xml_region_bytes(const sb_xml_region *r);

/** Frees what of tree (an xmlDoc parsed in r) is not in r (the
** dictionary's mutex; every block malloc made when r is mixed), with r's
** allocator active; the rest goes with sb_xml_region_drop. */
void sb_xml_region_free_tree(sb_xml_region *r, void *tree);

/** Unmaps r and frees it. Nothing of r may be used afterwards. */
void sb_xml_region_drop(sb_xml_region *r);

#endif
