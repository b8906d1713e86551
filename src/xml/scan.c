/*
** xml/scan.c -- what is checked on a catalogue file's raw bytes before
** libxml2 sees them (reader-imp.h's sb_xml_check_raw): not empty, UTF-8
** (a BOM is allowed, no other encoding may be declared), no DOCTYPE, no
** text or attribute value beyond the text-bytes limit.
**
** The byte scan (UTF-8 and text lengths) reads every byte of every file on
** the main thread before the parse, so it has a fast way and an exact way
** that give the same answer:
** - exact: one code point at a time with base's sb_utf8_decode, measuring
**   the stretch since the last stop byte ('<', '>', '"', '\''); this is
**   what finds and reports every error, at the byte the error is about.
** - portable (every machine): plain ASCII 8 bytes at a time in a 64-bit
**   word, everything else exact.
** - SSE2 (x86-64's baseline, two registers) and AVX2 (one register, when
**   the CPU has it: __builtin_cpu_supports, functions compiled for it
**   alone) take 32 bytes at a time as bit masks: its high bytes, its stop
**   bytes, and for a block with high bytes the classes of those, from the
**   bit planes of the block (lead of 2, 3 or 4 bytes, continuation byte,
**   the leads whose second byte is restricted: E0, ED, F0, F4). The block
**   is valid UTF-8 when the continuation bytes are exactly those its leads
**   want (leads << 1 | 3-4-byte leads << 2 | 4-byte leads << 3), when no
**   byte is C0, C1 or F5-FF and when no restricted lead has a second byte
**   out of its range; a sequence cut by the block's end is left for the
**   next block (the block is taken up to its last lead). Its stop bytes
**   move the stretch's start past the last of them; with a limit of 32 or
**   more (or none) only the bytes before the first stop byte can be too
**   far from the start. Whatever the masks cannot take at once (an error,
**   a stretch that may be too long, a stop byte under a smaller limit)
**   goes exact from the block's start, so the error reported is the exact
**   way's, byte for byte: the block ways only ever decide "these bytes are
**   fine, the stretch starts here now".
** On the bench's large catalogue (4.4 MB, 8.5 % of its bytes not ASCII)
** the check went from 35.7 M instructions (portable) to 7.6 M (SSE2) and
** 4.5 M (AVX2): docs/performance.md, "Raw byte check".
** Tests: tests/unit/test_xml_scan.c (every path against the portable one),
** tests/bad/ (tests/cli/validate.sh), tests/cli/diagnostics.sh
*/
#include "xml/scan.h"
#include "xml/reader-imp.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define SB_SCAN_X86 1
#include <immintrin.h>
#else
#define SB_SCAN_X86 0
#endif

/* ==== Positions and diagnostics ==== */

/* Line and column (1-based, columns count code points) of byte pos. */
static void locate(const char *data, size_t pos, long *line, long *col) {
  long l = 1, c = 1;
  for (size_t i = 0; i < pos; i++) {
    unsigned char b = (unsigned char)data[i];
    if (b == '\n') {
      l++;
      c = 1;
    } else if ((b & 0xC0) != 0x80) {
      c++;
    }
  }
  *line = l;
  *col = c;
}

static sb_status fail_at(sb_ctx *ctx, sb_status st, const char *name,
                         const char *data, size_t pos, const char *msg) {
  long line, col;
  locate(data, pos, &line, &col);
  sb_diag_add(ctx, SB_SEV_ERROR, st, name, line, col, "%s", msg);
  return st;
}

/* ==== The exact way ==== */

/* One scan of one file. */
typedef struct scan {
  sb_ctx *ctx;
  const char *name;
  const unsigned char *s;
  size_t len;
  size_t limit; /* the text-bytes limit, 0 for none (for the message) */
  size_t lim;   /* the same, SIZE_MAX for none */
} scan;

static int is_stop(unsigned char c) {
  return c == '<' || c == '>' || c == '"' || c == '\'';
}

/* run + lim, or SIZE_MAX when the sum overflows (or there is no limit):
** then i >= deadline(run, lim) exactly when a limit is set and i - run >=
** limit. */
static inline size_t deadline(size_t run, size_t lim) {
  return lim > SIZE_MAX - run ? SIZE_MAX : run + lim;
}

static sb_status too_long(const scan *sc, size_t run) {
  char msg[200];
  snprintf(msg, sizeof msg,
           "text longer than the text-bytes limit (%zu bytes); raise it "
           "with --limit text-bytes=N", sc->limit);
  return fail_at(sc->ctx, SB_E_LIMIT, sc->name, (const char *)sc->s, run,
                 msg);
}

static sb_status not_utf8(const scan *sc, size_t i) {
  char msg[200];
  snprintf(msg, sizeof msg,
           "file is not UTF-8 (byte 0x%02X is not valid UTF-8; "
           "catalogues must be saved as UTF-8)", sc->s[i]);
  return fail_at(sc->ctx, SB_E_XML, sc->name, (const char *)sc->s, i, msg);
}

/* Where a scan is: at i, measuring the stretch that starts at run (just
** past the last stop byte); stop: the first position too far from run;
** st: the first problem's status. */
typedef struct cursor {
  size_t i, run, stop;
  sb_status st;
} cursor;

/* The code points that start in [c.i, end), one at a time (the last may
** end past end); c.i: where the next one starts. A code point at i that
** is no stop byte fails when i - run >= limit (i >= stop; reported at run);
** a stop byte moves run past it. An invalid sequence is reported at its
** first byte (base's decoder: overlong forms, surrogates and values past
** U+10FFFF are invalid). The cursor goes by value, so that the block ways
** keep theirs in registers. */
static inline cursor exact(const scan *sc, cursor c, size_t end) {
  const unsigned char *s = sc->s;
  while (c.i < end) {
    int n;
    if (sb_utf8_decode((const char *)s + c.i, sc->len - c.i, &n) < 0) {
      c.st = not_utf8(sc, c.i);
      return c;
    }
    if (is_stop(s[c.i])) {
      c.run = c.i + 1;
      c.stop = deadline(c.run, sc->lim);
    } else if (c.i >= c.stop) {
      c.st = too_long(sc, c.run);
      return c;
    }
    c.i += (size_t)n;
  }
  return c;
}

/* ==== The portable way: 8 bytes at a time ==== */

#define ONES UINT64_C(0x0101010101010101)
#define HIGH UINT64_C(0x8080808080808080)

/* Bytes p[0..7] as a little-endian word (compilers make it one load). */
static uint64_t load8(const unsigned char *p) {
  return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
         (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
         (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

/* 0x80 in each byte of x that is zero, 0 in the others; exact, with no
** false positive next to a match (the carry of the usual "has zero byte"
** trick cannot cross a byte: the high bit is kept out of the sum). */
static uint64_t zero_bytes(uint64_t x) {
  return ~(((x & ~HIGH) + ~HIGH) | x) & HIGH;
}

/* 0x80 in each byte of w (all bytes below 0x80) that ends a text or an
** attribute value ('<', '>', '"' or '\''), 0 in the others. '<' and '>'
** differ only in bit 1, so one comparison with that bit set finds both. */
static uint64_t stop_bytes(uint64_t w) {
  return zero_bytes((w | ONES * 2) ^ (ONES * '>')) |
         zero_bytes(w ^ (ONES * '"')) | zero_bytes(w ^ (ONES * '\''));
}

/* Plain ASCII 8 bytes at a time; everything else, and blocks with a stop
** byte when the limit is under 8, one code point at a time. Both give the
** same answer and the same error position: an ASCII block has no invalid
** byte, and with limit >= 8 only the code points before its first stop
** byte can be too far from run (after one, at most 6 bytes of the block
** remain). */
static sb_status scan_portable(const scan *sc) {
  /* the stretch measured starts at run, just past the last stop byte;
  ** stop: the first position too far from it */
  size_t run = 0, stop = deadline(0, sc->lim);
  const unsigned char *s = sc->s;
  size_t len = sc->len;
  int wide = sc->lim >= 8;
  for (size_t i = 0; i < len;) {
    if (len - i >= 8) {
      uint64_t w = load8(s + i);
      if ((w & HIGH) == 0) {
        uint64_t tags = stop_bytes(w);
        if (tags == 0) {
          if (i + 7 >= stop)
            return too_long(sc, run);
          i += 8;
          continue;
        }
        if (wide) {
          size_t first = i + (size_t)__builtin_ctzll(tags) / 8;
          if (first > i && first - 1 >= stop)
            return too_long(sc, run);
          run = i + (size_t)(63 - __builtin_clzll(tags)) / 8 + 1;
          stop = deadline(run, sc->lim);
          i += 8;
          continue;
        }
      }
    }
    /* these 8 bytes (and the end of a sequence that crosses them) one code
       point at a time */
    cursor c = {i, run, stop, SB_OK};
    c = exact(sc, c, len - i > 8 ? i + 8 : len);
    if (c.st)
      return c.st;
    i = c.i;
    run = c.run;
    stop = c.stop;
  }
  return SB_OK;
}

/* ==== The block ways: bit masks of 32 bytes ==== */

#if SB_SCAN_X86

/* A block is 32 bytes, one AVX2 register or two SSE2 ones; bit k of a mask
** stands for its byte k, and plane k for bit k of each byte (plane 7: the
** high bytes). A block starts where the exact way would be, so its first
** byte is no continuation of an earlier sequence (one there is an
** error). */

/* The exact way, out of line: the block ways keep their registers. */
__attribute__((noinline)) static cursor exact_out(const scan *sc, cursor c,
                                                  size_t end) {
  return exact(sc, c, end);
}

/* The 3- and 4-byte leads l3 (E0-FF) of a block with planes b5..b0: adds
** to want the continuation bytes they want past the first, and to bad
** the bytes no valid sequence has: F5-FF, and a second byte out of range
** after E0 (A0-BF), ED (80-9F), F0 (90-BF) or F4 (80-8F). (A second byte
** that is no continuation byte is not in want: accept refuses it.) */
static inline void long_forms(uint32_t l3, uint32_t b5, uint32_t b4,
                              uint32_t b3, uint32_t b2, uint32_t b1,
                              uint32_t b0, uint64_t *want, uint64_t *bad) {
  uint32_t l4 = l3 & b4;                             /* F0-FF */
  uint32_t z = ~(b3 | b2 | b1 | b0);                 /* low nibble 0 */
  uint64_t e0 = l3 & ~b4 & z, f0 = l4 & z;
  uint64_t ed = l3 & ~b4 & b3 & b2 & ~b1 & b0;
  uint64_t f4 = l4 & ~b3 & b2 & ~b1 & ~b0;
  uint64_t a0 = b5, n90 = b5 | b4;  /* a continuation byte >= A0, >= 90 */
  *want |= (uint64_t)l3 << 2 | (uint64_t)l4 << 3;
  *bad |= (l4 & (b3 | (b2 & (b1 | b0)))) | (e0 << 1 & ~a0) | (ed << 1 & a0) |
          (f0 << 1 & ~n90) | (f4 << 1 & n90);
}

/* How many of the 32 bytes of a block with high bytes hm are valid UTF-8
** that ends where a code point starts (the block up to its last lead when
** that lead's sequence goes on past the block), or 0 when the masks cannot
** tell (the block then goes exact). lead: its bytes C0-FF; want: the
** continuation bytes its leads want (bits past 31: wanted after the
** block); bad: bytes no valid sequence has (bits past 31 ignored). The
** continuation bytes must be exactly those wanted: then every lead has
** all its continuation bytes and no other byte is one. */
static inline size_t accept(uint32_t hm, uint32_t lead, uint64_t want,
                            uint64_t bad) {
  if ((uint32_t)bad != 0 || (uint32_t)want != (hm & ~lead))
    return 0;
  if (want >> 32)
    return (size_t)(31 - __builtin_clz(lead));
  return 32;
}

/* Whether the acc valid bytes at i with stop bytes sm can be taken at
** once: no code point among them is too far from *run; if so *run moves
** past their last stop byte. wide: the limit is none or at least 32, so
** only the code points before the first stop byte can be too far (a
** stretch that starts in the block ends in it or after it, less than 32
** bytes from its start). */
static inline int fast(size_t i, size_t acc, uint32_t sm, int wide,
                       size_t lim, size_t *run, size_t *stop) {
  if (sm == 0)
    return i + acc - 1 < *stop;
  if (!wide)
    return 0;
  size_t first = i + (size_t)__builtin_ctz(sm);
  if (first > i && first - 1 >= *stop)
    return 0;
  *run = i + 32 - (size_t)__builtin_clz(sm);
  *stop = deadline(*run, lim);
  return 1;
}

/* The constants of a block way, in registers. They are hidden from the
** compiler, which would make them again in the loop and turn v > C into
** two instructions. */
#define HIDE(x) __asm__("" : "+x"(x))

/* -- SSE2: two registers -- */

#define M16(x) ((uint32_t)_mm_movemask_epi8(x))
/* plane 7 - k of the block v0:v1 */
#define PLANE16(v0, v1, k)                                                   \
  (M16(_mm_slli_epi16(v0, k)) | M16(_mm_slli_epi16(v1, k)) << 16)

/* The block's end for 3- and 4-byte leads (rare: out of line). */
__attribute__((noinline)) static size_t long_sse2(__m128i v0, __m128i v1,
                                                  uint32_t hm, uint32_t lead,
                                                  uint32_t l3, uint32_t b5,
                                                  uint64_t bad) {
  uint64_t want = (uint64_t)lead << 1;
  long_forms(l3, b5, PLANE16(v0, v1, 3), PLANE16(v0, v1, 4),
             PLANE16(v0, v1, 5), PLANE16(v0, v1, 6), PLANE16(v0, v1, 7),
             &want, &bad);
  return accept(hm, lead, want, bad);
}

/* accept for the block v0:v1 with high bytes hm; c1: 0xC1 in each byte. */
static inline size_t utf8_sse2(__m128i v0, __m128i v1, uint32_t hm,
                               __m128i c1) {
  uint32_t lead = hm & PLANE16(v0, v1, 1), b5 = PLANE16(v0, v1, 2);
  uint32_t l3 = lead & b5;
  /* C0 and C1: the leads not above C1 */
  uint64_t bad = lead & ~(M16(_mm_cmpgt_epi8(v0, c1)) |
                          M16(_mm_cmpgt_epi8(v1, c1)) << 16);
  if (l3)
    return long_sse2(v0, v1, hm, lead, l3, b5, bad);
  return accept(hm, lead, (uint64_t)lead << 1, bad);
}

static sb_status scan_sse2(const scan *sc) {
  const unsigned char *s = sc->s;
  size_t i = 0, len = sc->len, run = 0, stop = deadline(0, sc->lim);
  int wide = sc->lim >= 32;
  __m128i gt = _mm_set1_epi8('>'), two = _mm_set1_epi8(2);
  __m128i dq = _mm_set1_epi8('"'), sq = _mm_set1_epi8('\'');
  __m128i c1 = _mm_set1_epi8((char)0xC1);
  HIDE(gt);
  HIDE(two);
  HIDE(dq);
  HIDE(sq);
  HIDE(c1);
  while (len - i >= 32) {
    __m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
    __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 16));
    /* '<' and '>' differ only in bit 1 */
    __m128i t0 = _mm_or_si128(
        _mm_cmpeq_epi8(_mm_or_si128(v0, two), gt),
        _mm_or_si128(_mm_cmpeq_epi8(v0, dq), _mm_cmpeq_epi8(v0, sq)));
    __m128i t1 = _mm_or_si128(
        _mm_cmpeq_epi8(_mm_or_si128(v1, two), gt),
        _mm_or_si128(_mm_cmpeq_epi8(v1, dq), _mm_cmpeq_epi8(v1, sq)));
    if (M16(_mm_or_si128(_mm_or_si128(v0, v1), _mm_or_si128(t0, t1))) == 0 &&
        i + 31 < stop) {
      i += 32;  /* ASCII without stop bytes, not too far */
      continue;
    }
    uint32_t hm = M16(v0) | M16(v1) << 16, sm = M16(t0) | M16(t1) << 16;
    size_t acc = hm ? utf8_sse2(v0, v1, hm, c1) : 32;
    if (acc && fast(i, acc, sm, wide, sc->lim, &run, &stop)) {
      i += acc;
      continue;
    }
    cursor c = exact_out(sc, (cursor){i, run, stop, SB_OK}, i + 32);
    if (c.st)
      return c.st;
    i = c.i;
    run = c.run;
    stop = c.stop;
  }
  return exact_out(sc, (cursor){i, run, stop, SB_OK}, len).st;
}

/* -- AVX2: one register (functions compiled for AVX2 alone, run when the
** CPU has it) -- */

#define M32(x) ((uint32_t)_mm256_movemask_epi8(x))
#define PLANE32(v, k) M32(_mm256_slli_epi16(v, k))

__attribute__((target("avx2"), noinline)) static size_t
long_avx2(__m256i v, uint32_t hm, uint32_t lead, uint32_t l3, uint32_t b5,
          uint64_t bad) {
  uint64_t want = (uint64_t)lead << 1;
  long_forms(l3, b5, PLANE32(v, 3), PLANE32(v, 4), PLANE32(v, 5),
             PLANE32(v, 6), PLANE32(v, 7), &want, &bad);
  return accept(hm, lead, want, bad);
}

__attribute__((target("avx2"))) static inline size_t
utf8_avx2(__m256i v, uint32_t hm, __m256i c1) {
  uint32_t lead = hm & PLANE32(v, 1), b5 = PLANE32(v, 2);
  uint32_t l3 = lead & b5;
  uint64_t bad = lead & ~M32(_mm256_cmpgt_epi8(v, c1));
  if (l3)
    return long_avx2(v, hm, lead, l3, b5, bad);
  return accept(hm, lead, (uint64_t)lead << 1, bad);
}

/* scan_sse2 with one register for the block. */
__attribute__((target("avx2"))) static sb_status scan_avx2(const scan *sc) {
  const unsigned char *s = sc->s;
  size_t i = 0, len = sc->len, run = 0, stop = deadline(0, sc->lim);
  int wide = sc->lim >= 32;
  __m256i gt = _mm256_set1_epi8('>'), two = _mm256_set1_epi8(2);
  __m256i dq = _mm256_set1_epi8('"'), sq = _mm256_set1_epi8('\'');
  __m256i c1 = _mm256_set1_epi8((char)0xC1);
  HIDE(gt);
  HIDE(two);
  HIDE(dq);
  HIDE(sq);
  HIDE(c1);
  while (len - i >= 32) {
    __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
    __m256i t = _mm256_or_si256(
        _mm256_cmpeq_epi8(_mm256_or_si256(v, two), gt),
        _mm256_or_si256(_mm256_cmpeq_epi8(v, dq), _mm256_cmpeq_epi8(v, sq)));
    if (M32(_mm256_or_si256(v, t)) == 0 && i + 31 < stop) {
      i += 32;
      continue;
    }
    uint32_t hm = M32(v), sm = M32(t);
    size_t acc = hm ? utf8_avx2(v, hm, c1) : 32;
    if (acc && fast(i, acc, sm, wide, sc->lim, &run, &stop)) {
      i += acc;
      continue;
    }
    cursor c = exact_out(sc, (cursor){i, run, stop, SB_OK}, i + 32);
    if (c.st)
      return c.st;
    i = c.i;
    run = c.run;
    stop = c.stop;
  }
  return exact_out(sc, (cursor){i, run, stop, SB_OK}, len).st;
}

#endif /* SB_SCAN_X86 */

int sb_xml_scan_available(sb_xml_scan_path path) {
  switch (path) {
  case SB_XML_SCAN_BEST:
  case SB_XML_SCAN_PORTABLE:
    return 1;
#if SB_SCAN_X86
  case SB_XML_SCAN_SSE2:
    return 1;
  case SB_XML_SCAN_AVX2:
    return __builtin_cpu_supports("avx2") != 0;
#endif
  default:
    return 0;
  }
}

sb_status sb_xml_scan_bytes(sb_ctx *ctx, const char *name, const char *data,
                            size_t len, sb_xml_scan_path path) {
  size_t limit = ctx->limits.text_bytes;
  scan sc = {ctx, name, (const unsigned char *)data, len, limit,
             limit ? limit : SIZE_MAX};
  if (path == SB_XML_SCAN_BEST)
    path = sb_xml_scan_available(SB_XML_SCAN_AVX2)   ? SB_XML_SCAN_AVX2
           : sb_xml_scan_available(SB_XML_SCAN_SSE2) ? SB_XML_SCAN_SSE2
                                                     : SB_XML_SCAN_PORTABLE;
#if SB_SCAN_X86
  if (path == SB_XML_SCAN_AVX2 && sb_xml_scan_available(path))
    return scan_avx2(&sc);
  if (path == SB_XML_SCAN_SSE2)
    return scan_sse2(&sc);
#endif
  return scan_portable(&sc);
}

/* ==== The prolog: encoding declaration and DOCTYPE ==== */

static int is_xml_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int starts(const char *data, size_t len, size_t pos, const char *lit) {
  size_t n = strlen(lit);
  return pos + n <= len && memcmp(data + pos, lit, n) == 0;
}

/* Position just past the first occurrence of lit at or after pos, or len. */
static size_t skip_past(const char *data, size_t len, size_t pos,
                        const char *lit) {
  size_t n = strlen(lit);
  for (; pos + n <= len; pos++)
    if (memcmp(data + pos, lit, n) == 0)
      return pos + n;
  return len;
}

/* The encoding pseudo-attribute of the XML declaration [pos, end) must name
** UTF-8 when present. */
static sb_status check_encoding(sb_ctx *ctx, const char *name,
                                const char *data, size_t pos, size_t end) {
  for (; pos + 8 < end; pos++) {
    if (memcmp(data + pos, "encoding", 8) != 0)
      continue;
    size_t p = pos + 8;
    while (p < end && (is_xml_space(data[p]) || data[p] == '='))
      p++;
    if (p >= end || (data[p] != '"' && data[p] != '\''))
      return SB_OK;  /* malformed: libxml2 will say so */
    char q = data[p++];
    size_t v = p;
    while (p < end && data[p] != q)
      p++;
    size_t n = p - v;
    if ((n == 5 && strncasecmp(data + v, "UTF-8", 5) == 0))
      return SB_OK;
    char msg[160];
    snprintf(msg, sizeof msg,
             "encoding '%.*s' is not allowed (catalogues are UTF-8; save the "
             "file as UTF-8 and declare encoding=\"UTF-8\" or nothing)",
             (int)(n > 40 ? 40 : n), data + v);
    return fail_at(ctx, SB_E_XML, name, data, v, msg);
  }
  return SB_OK;
}

/* Walks the prolog (BOM, XML declaration, comments, PIs, white space) and
** refuses a DOCTYPE before the root element. */
static sb_status check_prolog(sb_ctx *ctx, const char *name, const char *data,
                              size_t len) {
  size_t pos = 0;
  sb_status st;
  if (starts(data, len, 0, "\xEF\xBB\xBF"))
    pos = 3;
  if (starts(data, len, pos, "<?xml") && pos + 5 < len &&
      is_xml_space(data[pos + 5])) {
    size_t end = skip_past(data, len, pos, "?>");
    st = check_encoding(ctx, name, data, pos, end);
    if (st)
      return st;
    pos = end;
  }
  for (;;) {
    if (pos < len && is_xml_space(data[pos]))
      pos++;
    else if (starts(data, len, pos, "<!--"))
      pos = skip_past(data, len, pos + 4, "-->");
    else if (starts(data, len, pos, "<?"))
      pos = skip_past(data, len, pos + 2, "?>");
    else
      break;
  }
  if (starts(data, len, pos, "<!DOCTYPE"))
    return fail_at(ctx, SB_E_XML, name, data, pos,
                   "DOCTYPE is not allowed (catalogues may not declare "
                   "entities or load DTDs)");
  return SB_OK;
}

sb_status sb_xml_check_raw(sb_ctx *ctx, const char *name, const char *data,
                           size_t len) {
  sb_status st;
  if (len == 0) {
    sb_diag_add(ctx, SB_SEV_ERROR, SB_E_XML, name, 0, 0, "file is empty");
    return SB_E_XML;
  }
  if (len > INT_MAX)
    return sb_fail(ctx, SB_E_LIMIT, "%s: file too large for the XML parser",
                   name);
  st = sb_xml_scan_bytes(ctx, name, data, len, SB_XML_SCAN_BEST);
  if (st)
    return st;
  return check_prolog(ctx, name, data, len);
}
