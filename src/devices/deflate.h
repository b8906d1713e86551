/*
** devices/deflate.h -- zlib-format data through libdeflate (private).
**
** Every stream the devices compress goes through here: page contents
** (pdf-deflate.c), font files, ToUnicode CMaps, CIDToGIDMaps and the
** output intent's profile (pdf-haru.c, sb_haru_stream), the object and
** cross-reference streams (pdf-objstm.c) and PNG image data (png-device.c).
** libdeflate compresses a whole buffer in one call, faster than zlib and,
** at the levels below, to fewer bytes than zlib did at the levels these
** streams used before (docs/performance.md, "libdeflate"). Its output
** depends only on the input and the level: the same bytes whichever
** thread or compressor made them. It writes RFC 1950 data, what
** /FlateDecode and PNG's IDAT hold.
**
** A compressor is not thread-safe: each thread uses its own (the pdf
** device's helper thread has one of its own, pdf-deflate.c). Compressors
** are made with malloc, not sb_x* (a helper thread may make and use one:
** the failure-injection counter is not thread-safe), and every failure
** here is running out of memory.
** Tests: tests/unit/test_pdf.c, tests/unit/test_png.c
*/
#ifndef SB_DEVICES_DEFLATE_H
#define SB_DEVICES_DEFLATE_H

#include <stddef.h>
#include <stdint.h>

#include "skillbook/base.h"

/* Levels (libdeflate's 1..12), each the lowest whose output was no larger
** than before on every kind of document of the bundled catalogue and the
** bench's large one (measured per kind of stream, docs/performance.md):
** - page contents: zlib 6 before; libdeflate 6 was 0.07 % larger on the
**   large handbooks, 7 is smaller everywhere and as fast;
** - font files, maps, the ICC profile (libharu's zlib 6 before): 7; a font
**   file alone is up to 0.1 % larger than zlib's, its ToUnicode CMap 8-10 %
**   smaller, so every document's fonts are smaller together;
** - object and cross-reference streams (tagged files only): zlib 1
**   before; libdeflate 2. Level 5 was 23 % smaller, but once tags were
**   merged with libdeflate's cheaper page streams it put tags at +17.2 %
**   of a large handbook's instructions against --no-tags, over #17's 15 %
**   budget; level 2: +14.6 %, that handbook 371,365 bytes against
**   356,881 at 5 and 376,268 before libdeflate (docs/performance.md,
**   "Tags");
** - PNG data: zlib 3 before; libdeflate 5 (4 made the bundled sheets'
**   thumbnails 1.4 % larger), 0.5-3 % smaller, about 10 % faster. */
#define SB_ZLEVEL_CONTENT 7
#define SB_ZLEVEL_STREAM 7
#define SB_ZLEVEL_PACKED 2
#define SB_ZLEVEL_PNG 5

typedef struct sb_deflater sb_deflater;

/** A compressor at level (1..12). NULL when out of memory. One thread
** at a time; free with sb_drop_deflater. @test tests/unit/test_pdf.c */
sb_deflater *sb_new_deflater(int level);
/** Frees a compressor; NULL is a no-op. */
void sb_drop_deflater(sb_deflater *z);
/** The zlib-format data of in[0..n) (n may be 0) in a new malloc'd block,
** its length in *zn. NULL when out of memory (*zn is then 0).
** @test tests/unit/test_pdf.c */
unsigned char *sb_deflate(sb_deflater *z, const void *in, size_t n,
                          size_t *zn);
/** The most bytes sb_deflate_into may write for n bytes of input. */
size_t sb_deflate_bound(sb_deflater *z, size_t n);
/** Deflates in[0..n) into out[0..cap), cap at least sb_deflate_bound:
** the bytes sb_deflate gives, into memory the caller chose (pdf-deflate.c
** and pdf-objstm.c make it on the main thread, whose heap is on huge
** pages, so a helper thread does not fault its output in 4 KB at a
** time). Their length, or 0 when they did not fit.
** @test tests/unit/test_pdf.c */
size_t sb_deflate_into(sb_deflater *z, const void *in, size_t n, void *out,
                       size_t cap);
/** The CRC-32 of p[0..n) continuing crc (0 to start), as zlib's crc32. */
uint32_t sb_crc32(uint32_t crc, const void *p, size_t n);

#endif
