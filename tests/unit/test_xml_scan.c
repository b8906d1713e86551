/*
** tests/unit/test_xml_scan.c -- the raw byte check of a catalogue file
** (src/xml/scan.c), each way it runs: every block way this machine has
** (SSE2, AVX2) gives the portable way's status and the same diagnostic
** (code, file, line, column, text) on generated inputs: UTF-8 with 1- to
** 4-byte code points, invalid sequences (lone continuation bytes, C0/C1,
** F5-FF, overlong forms, surrogates, past U+10FFFF, cut sequences) at
** every position of the first blocks and near block ends, sequences cut by
** the end of the buffer, stretches just under, at and over the text-bytes
** limit (0, small, around the block sizes, large), random bytes. A few
** fixed cases pin the portable way's own answers.
** The whole-file diagnostics: tests/bad/ (tests/cli/validate.sh).
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "xml/scan.h"

/* What one check said. */
typedef struct result {
  sb_status st;
  size_t ndiags;
  sb_status code;
  long line, col;
  char msg[256];
} result;

static result run(sb_xml_scan_path path, const char *data, size_t len,
                  size_t limit) {
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  ctx.limits.text_bytes = limit;
  /* a copy of exactly len bytes: the asan build sees any read past it */
  char *copy = malloc(len ? len : 1);
  memcpy(copy, data, len);
  result r;
  memset(&r, 0, sizeof r);
  r.st = sb_xml_scan_bytes(&ctx, "t.xml", copy, len, path);
  r.ndiags = ctx.ndiags;
  if (ctx.ndiags) {
    r.code = ctx.diags[0].code;
    r.line = ctx.diags[0].line;
    r.col = ctx.diags[0].col;
    snprintf(r.msg, sizeof r.msg, "%s", ctx.diags[0].msg);
  }
  free(copy);
  sb_ctx_free(&ctx);
  return r;
}

static const sb_xml_scan_path block_ways[] = {SB_XML_SCAN_SSE2,
                                              SB_XML_SCAN_AVX2,
                                              SB_XML_SCAN_BEST};
static long compared, failures_shown;

/* Every block way against the portable one on data[0..len) with limit. */
static void same(const char *data, size_t len, size_t limit) {
  result want = run(SB_XML_SCAN_PORTABLE, data, len, limit);
  for (size_t w = 0; w < sizeof block_ways / sizeof *block_ways; w++) {
    if (!sb_xml_scan_available(block_ways[w]))
      continue;
    result got = run(block_ways[w], data, len, limit);
    int ok = got.st == want.st && got.ndiags == want.ndiags &&
             got.code == want.code && got.line == want.line &&
             got.col == want.col && strcmp(got.msg, want.msg) == 0;
    CHECK(ok);
    compared++;
    if (!ok && failures_shown++ < 10) {
      fprintf(stderr, "  way %d, %zu bytes, limit %zu:", (int)block_ways[w],
              len, limit);
      for (size_t i = 0; i < len && i < 200; i++)
        fprintf(stderr, " %02X", (unsigned char)data[i]);
      fprintf(stderr, "\n  portable: %s %ld:%ld %s\n  block:    %s %ld:%ld %s\n",
              sb_status_name(want.st), want.line, want.col, want.msg,
              sb_status_name(got.st), got.line, got.col, got.msg);
    }
  }
}

/* ==== Generated text ==== */

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint32_t rnd(uint32_t n) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng % n);
}

/* Valid pieces: ASCII, stop bytes, 2-, 3- and 4-byte code points (the
** edges of each range among them). */
static const char *const ascii[] = {"a", "b", "Z", "0", " ", "\n", "\t",
                                    "&", "=", "-", "/", "?", "!", ";"};
static const char *const stops[] = {"<", ">", "\"", "'"};
static const char *const two[] = {"\xD0\xB5", "\xC3\xB3", "\xC2\x80",
                                  "\xDF\xBF", "\xD1\x8B"};
static const char *const three[] = {"\xE2\x80\x94", "\xE0\xA0\x80",
                                    "\xED\x9F\xBF", "\xEE\x80\x80",
                                    "\xEF\xBF\xBF", "\xE1\x80\x80",
                                    "\xEC\xBF\xBF"};
static const char *const four[] = {"\xF0\x9F\x98\x80", "\xF0\x90\x80\x80",
                                   "\xF4\x8F\xBF\xBF", "\xF3\xBF\xBF\xBF",
                                   "\xF1\x80\x80\x80"};

#define PICK(a) (a)[rnd(sizeof(a) / sizeof *(a))]

/* Mixes of the pieces: percentages of stop bytes, 2-, 3-, 4-byte. */
typedef struct mix {
  int stop, two, three, four;
} mix;

static const mix mixes[] = {
    {0, 0, 0, 0},   {5, 0, 0, 0},  {3, 40, 0, 0}, {0, 90, 0, 0},
    {4, 10, 5, 3},  {2, 20, 30, 20}, {30, 30, 10, 10}, {0, 0, 0, 90},
};

/* len bytes of valid text (up to 3 fewer: whole code points) into out. */
static size_t fill(char *out, size_t len, const mix *m) {
  size_t n = 0;
  for (;;) {
    int r = (int)rnd(100);
    const char *p = r < m->stop                      ? PICK(stops)
                    : r < m->stop + m->two           ? PICK(two)
                    : r < m->stop + m->two + m->three ? PICK(three)
                    : r < m->stop + m->two + m->three + m->four ? PICK(four)
                                                                : PICK(ascii);
    size_t k = strlen(p);
    if (n + k > len)
      return n;
    memcpy(out + n, p, k);
    n += k;
  }
}

/* Invalid sequences (and sequences cut short, followed by ASCII). */
static const char *const invalid[] = {
    "\x80", "\xBF", "\xC0\x80", "\xC1\xBF", "\xE0\x80\x80", "\xE0\x9F\xBF",
    "\xED\xA0\x80", "\xED\xBF\xBF", "\xF0\x80\x80\x80", "\xF0\x8F\xBF\xBF",
    "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xF7\xBF\xBF\xBF", "\xF8",
    "\xFE", "\xFF", "\xC3" "a", "\xE2\x80" "a", "\xF0\x9F\x98" "a",
    "\xC3\xC3\xA9", "\xE2\xD0\xB5", "\xE2\x80\x80\x80", "\xC3\xA9\xA9",
    "\xF0\x9F\x98\x80\x80", "\xC2", "\xE2", "\xF0", "\xE2\x80",
    "\xF0\x9F\x98",
};

/* ==== The cases ==== */

/* The portable way's own answers, for a few inputs. */
static void test_fixed(void) {
  result r = run(SB_XML_SCAN_PORTABLE, "<a>\n x\xC3\xA9\xFFz</a>", 13, 0);
  CHECK_EQ_INT(r.st, SB_E_XML);
  CHECK_EQ_INT(r.ndiags, 1);
  CHECK_EQ_INT(r.line, 2);
  CHECK_EQ_INT(r.col, 4);
  CHECK_STR(r.msg, "file is not UTF-8 (byte 0xFF is not valid UTF-8; "
                   "catalogues must be saved as UTF-8)");
  /* 11 bytes between '>' and '<': one past the limit */
  r = run(SB_XML_SCAN_PORTABLE, "<a>01234567890</a>", 18, 10);
  CHECK_EQ_INT(r.st, SB_E_LIMIT);
  CHECK_EQ_INT(r.line, 1);
  CHECK_EQ_INT(r.col, 4);
  CHECK_STR(r.msg, "text longer than the text-bytes limit (10 bytes); raise "
                   "it with --limit text-bytes=N");
  r = run(SB_XML_SCAN_PORTABLE, "<a>0123456789</a>", 17, 10);
  CHECK_EQ_INT(r.st, SB_OK);
  CHECK_EQ_INT(r.ndiags, 0);
  /* a sequence cut by the end of the buffer */
  r = run(SB_XML_SCAN_PORTABLE, "abc\xE2\x80", 5, 0);
  CHECK_EQ_INT(r.st, SB_E_XML);
  CHECK_EQ_INT(r.col, 4);
  /* the same answers from every way */
  same("<a>\n x\xC3\xA9\xFFz</a>", 13, 0);
  same("<a>01234567890</a>", 18, 10);
  same("<a>0123456789</a>", 17, 10);
  same("abc\xE2\x80", 5, 0);
  CHECK(sb_xml_scan_available(SB_XML_SCAN_PORTABLE));
  CHECK(sb_xml_scan_available(SB_XML_SCAN_BEST));
#if defined(__x86_64__)
  CHECK(sb_xml_scan_available(SB_XML_SCAN_SSE2));
#endif
}

/* Each invalid sequence at every position 0..160 (five blocks of 32, all
** positions modulo 64 and both sides of each block end) of valid text of
** each mix, with no limit and with a small one. */
static void test_invalid_everywhere(void) {
  char buf[512];
  for (size_t m = 0; m < sizeof mixes / sizeof *mixes; m++) {
    for (size_t v = 0; v < sizeof invalid / sizeof *invalid; v++) {
      const char *bad = invalid[v];
      size_t k = strlen(bad);
      for (size_t pos = 0; pos <= 160; pos++) {
        size_t n = fill(buf, pos, &mixes[m]);
        memcpy(buf + n, bad, k);
        size_t tail = fill(buf + n + k, 40 + rnd(60), &mixes[m]);
        size_t len = n + k + tail;
        same(buf, len, 0);
        if (pos % 8 == 0)
          same(buf, len, 24);
        /* cut right after the bad bytes: at the end of the buffer */
        same(buf, n + k, 0);
      }
    }
  }
}

/* Valid text of every mix cut at every length 0..200: the last code point
** may be cut (an error at its first byte) or whole. */
static void test_cut_at_end(void) {
  char buf[256];
  for (size_t m = 0; m < sizeof mixes / sizeof *mixes; m++) {
    size_t n = fill(buf, 220, &mixes[m]);
    for (size_t len = 0; len <= 200 && len <= n; len++) {
      same(buf, len, 0);
      same(buf, len, 40);
    }
  }
}

/* Stretches of n code points (ASCII or not) between stop bytes, n around
** each limit, at every offset from a block start; limits 0 (none), tiny,
** around 8, 16, 32 and 64, large. */
static void test_limits(void) {
  static const size_t limits[] = {0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31,
                                  32, 33, 40, 63, 64, 65, 100, 1000};
  static const char *const units[] = {"x", "\xD0\xB5", "\xE2\x80\x94",
                                      "\xF0\x9F\x98\x80"};
  char buf[4096];
  for (size_t l = 0; l < sizeof limits / sizeof *limits; l++) {
    size_t limit = limits[l];
    size_t target = limit ? limit : 50;
    for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
      size_t k = strlen(units[u]);
      for (size_t off = 0; off < 70; off += (limit > 64 ? 7 : 1)) {
        for (int d = -2; d <= 2; d++) {
          /* bytes of stretch: target + d, rounded to whole code points */
          long bytes = (long)target + d;
          if (bytes < 0)
            continue;
          size_t n = 0;
          memset(buf, ' ', off);
          n = off;
          buf[n++] = '<';
          buf[n++] = 'a';
          buf[n++] = '>';
          for (size_t b = 0; b + k <= (size_t)bytes; b += k) {
            memcpy(buf + n, units[u], k);
            n += k;
          }
          /* a partial unit of ASCII to hit the exact byte count */
          while (n - off - 3 < (size_t)bytes)
            buf[n++] = 'y';
          memcpy(buf + n, "</a>", 4);
          n += 4;
          n += fill(buf + n, 80, &mixes[4]);
          same(buf, n, limit);
          /* a quote for the tag's end, and the stretch at the end */
          buf[off + 2] = '"';
          same(buf, n, limit);
          same(buf, off + 3 + (size_t)bytes, limit);
        }
      }
    }
  }
}

/* Long generated texts, whole or with one random byte changed, and plain
** random bytes, with random limits. */
static void test_random(void) {
  static char buf[8192];
  for (int r = 0; r < 3000; r++) {
    size_t len = fill(buf, 1 + rnd(4000), &mixes[rnd(8)]);
    size_t limit = rnd(4) == 0 ? 0 : 1 + rnd(r % 2 ? 64 : 400);
    same(buf, len, limit);
    if (len) {
      buf[rnd((uint32_t)len)] = (char)rnd(256);
      same(buf, len, limit);
    }
  }
  for (int r = 0; r < 2000; r++) {
    size_t len = rnd(300);
    /* mostly high bytes, or mostly ASCII */
    int high = (int)rnd(100);
    for (size_t i = 0; i < len; i++)
      buf[i] = (char)((int)rnd(100) < high ? 0x80 + rnd(128) : rnd(128));
    same(buf, len, rnd(3) ? 0 : rnd(40));
  }
}

int main(void) {
  test_fixed();
  test_invalid_everywhere();
  test_cut_at_end();
  test_limits();
  test_random();
  printf("%ld comparisons with the portable way\n", compared);
  return check_report();
}
