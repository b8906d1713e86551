/*
** xml/scan.h -- the byte scan of a catalogue file (xml/scan.c), each way it
** can run.
**
** Private to src/xml and its tests. reader-imp.h's sb_xml_check_raw runs
** the fastest way this machine has; the test compares every way with the
** portable one on generated inputs.
** Tests: tests/unit/test_xml_scan.c
*/
#ifndef SB_XML_SCAN_H
#define SB_XML_SCAN_H

#include <stddef.h>

#include "skillbook/base.h"

typedef enum sb_xml_scan_path {
  SB_XML_SCAN_BEST,     /* the fastest of the ones below this machine has */
  SB_XML_SCAN_PORTABLE, /* plain C, 8 bytes at a time: every machine */
  SB_XML_SCAN_SSE2,     /* 32 bytes at a time in two registers: x86-64 */
  SB_XML_SCAN_AVX2      /* 32 bytes in one register: x86-64 with AVX2 */
} sb_xml_scan_path;

/** 1 when path can run in this build on this machine, 0 when not. */
int sb_xml_scan_available(sb_xml_scan_path path);

/** The byte part of sb_xml_check_raw on data[0..len): every byte is part of
** valid UTF-8 (base's sb_utf8_decode) and no stretch between two of '<',
** '>', '"' and '\'' passes ctx->limits.text_bytes (0: no limit). The first
** problem is one diagnostic at the file:line:column of the byte it is
** about, and SB_E_XML (not UTF-8) or SB_E_LIMIT (too long) is returned;
** SB_OK otherwise. Every path gives the same status and the same
** diagnostic; a path this machine lacks runs the portable one. */
sb_status sb_xml_scan_bytes(sb_ctx *ctx, const char *name, const char *data,
                            size_t len, sb_xml_scan_path path);

#endif
