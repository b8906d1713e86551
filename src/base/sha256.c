/*
** base/sha256.c -- SHA-256 (FIPS 180-4) for content hashes and manifests.
**
** Speed matters (a batch hashes every output; a handbook hashes its PDF
** for the file ID and the catalogue's content), and so does start-up:
** linking libcrypto cost every run about 2.3 ms of loading and relocation
** (docs/performance.md, "Start-up without cairo and libcrypto"). So the
** engine is chosen once per process, on the first hash:
** - x86-64 processors with the SHA extensions (SHA-NI): the code below, on
**   the sha256rnds2/msg1/msg2 instructions, about as fast as OpenSSL's
**   (docs/performance.md has the figures), with no library to load;
** - otherwise libcrypto, opened with dlopen on that first hash
**   (SB_CRYPTO_SONAME; its package SB_CRYPTO_DEB is in the .deb's Depends,
**   which dpkg-shlibdeps cannot see), whose SHA256_Init/Update/Final use
**   AVX2 or the ARM SHA instructions where there are such;
** - and if libcrypto cannot be loaded, the portable C below (about ten
**   times slower than either), after one note on stderr naming the
**   package.
** The state of either lives in sb_sha256's opaque storage: no allocation.
** Tests: tests/unit/test_base.c (the FIPS 180-4 example vectors, every
** engine against libcrypto on random data and split points).
*/
#define OPENSSL_SUPPRESS_DEPRECATED
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <openssl/sha.h>

#include "base/sha256-imp.h"
#include "skillbook/base.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_NI 1
#else
#define HAVE_NI 0
#endif

#ifndef SB_CRYPTO_SONAME
#error "SB_CRYPTO_SONAME (e.g. \"libcrypto.so.3\") comes from CMakeLists.txt"
#endif
#ifndef SB_CRYPTO_DEB
#error "SB_CRYPTO_DEB (e.g. \"libssl3\") comes from CMakeLists.txt"
#endif

/* Our engines' state (the SHA-NI and portable block functions). */
typedef struct own_state {
  uint32_t h[8];
  uint64_t len;   /* bytes hashed */
  uint32_t nblk;  /* bytes waiting in blk */
  uint8_t blk[64];
} own_state;

_Static_assert(sizeof(own_state) <= sizeof(((sb_sha256 *)0)->state.bytes),
               "sb_sha256 too small for own_state");
_Static_assert(sizeof(SHA256_CTX) <= sizeof(((sb_sha256 *)0)->state.bytes),
               "sb_sha256 too small for SHA256_CTX");

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

/* ==== Portable C ==== */

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void blocks_c(uint32_t hs[8], const uint8_t *p, size_t n) {
  for (; n > 0; n--, p += 64) {
    uint32_t w[64], a, b, c, d, e, f, g, h;
    for (int i = 0; i < 16; i++)
      w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
             (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
      uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = hs[0], b = hs[1], c = hs[2], d = hs[3];
    e = hs[4], f = hs[5], g = hs[6], h = hs[7];
    for (int i = 0; i < 64; i++) {
      uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
                    ((e & f) ^ (~e & g)) + K[i] + w[i];
      uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
                    ((a & b) ^ (a & c) ^ (b & c));
      h = g, g = f, f = e, e = d + t1;
      d = c, c = b, b = a, a = t1 + t2;
    }
    hs[0] += a, hs[1] += b, hs[2] += c, hs[3] += d;
    hs[4] += e, hs[5] += f, hs[6] += g, hs[7] += h;
  }
}

/* ==== SHA extensions (x86-64) ==== */

#if HAVE_NI
/* The instructions keep the eight working words in two registers, named
** by their 32-bit lanes from the highest: ABEF and CDGH. sha256rnds2 does
** two rounds with the two low lanes of its third operand (message words
** plus constants) and returns the new ABEF; the old ABEF is the new CDGH,
** so the two registers swap roles every two rounds. sha256msg1 and
** sha256msg2 compute the sigma0 and sigma1 halves of the message
** schedule, four words at a time; the W[t-7] term is added in between. */
#define NI_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* Four rounds 4j..4j+3 with message words m (already scheduled). */
#define NI_ROUNDS4(m, j)                                                     \
  do {                                                                       \
    __m128i wk = _mm_add_epi32(                                              \
        m, _mm_loadu_si128((const __m128i *)&K[4 * (j)]));                   \
    cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);                            \
    wk = _mm_shuffle_epi32(wk, 0x0E);                                        \
    abef = _mm_sha256rnds2_epu32(abef, cdgh, wk);                            \
  } while (0)

/* The next four message words into a, from the sixteen before them in
** a (oldest), b, c, d (newest). */
#define NI_SCHEDULE(a, b, c, d)                                              \
  a = _mm_sha256msg2_epu32(                                                  \
      _mm_add_epi32(_mm_sha256msg1_epu32(a, b), _mm_alignr_epi8(d, c, 4)),  \
      d)

NI_TARGET static void blocks_ni(uint32_t hs[8], const uint8_t *p, size_t n) {
  const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL,
                                       0x0405060700010203LL);
  __m128i t = _mm_loadu_si128((const __m128i *)&hs[0]);   /* a b c d */
  __m128i u = _mm_loadu_si128((const __m128i *)&hs[4]);   /* e f g h */
  __m128i abef, cdgh;

  t = _mm_shuffle_epi32(t, 0xB1);   /* b a d c */
  u = _mm_shuffle_epi32(u, 0x1B);   /* h g f e */
  abef = _mm_alignr_epi8(t, u, 8);  /* f e b a: A in the highest lane */
  cdgh = _mm_blend_epi16(u, t, 0xF0); /* h g d c */
  for (; n > 0; n--, p += 64) {
    __m128i abef0 = abef, cdgh0 = cdgh, m0, m1, m2, m3;
    m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 0)), bswap);
    m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16)), bswap);
    m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 32)), bswap);
    m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 48)), bswap);
    NI_ROUNDS4(m0, 0);
    NI_ROUNDS4(m1, 1);
    NI_ROUNDS4(m2, 2);
    NI_ROUNDS4(m3, 3);
    for (int j = 4; j < 16; j += 4) {
      NI_SCHEDULE(m0, m1, m2, m3);
      NI_ROUNDS4(m0, j);
      NI_SCHEDULE(m1, m2, m3, m0);
      NI_ROUNDS4(m1, j + 1);
      NI_SCHEDULE(m2, m3, m0, m1);
      NI_ROUNDS4(m2, j + 2);
      NI_SCHEDULE(m3, m0, m1, m2);
      NI_ROUNDS4(m3, j + 3);
    }
    abef = _mm_add_epi32(abef, abef0);
    cdgh = _mm_add_epi32(cdgh, cdgh0);
  }
  t = _mm_shuffle_epi32(abef, 0x1B);  /* a b e f */
  u = _mm_shuffle_epi32(cdgh, 0xB1);  /* g h c d */
  _mm_storeu_si128((__m128i *)&hs[0], _mm_blend_epi16(t, u, 0xF0));
  _mm_storeu_si128((__m128i *)&hs[4], _mm_alignr_epi8(u, t, 8));
}

static int cpu_has_ni(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) ||
      !(c & bit_SSE4_1))
    return 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
    return 0;
  return (b & bit_SHA) != 0;
}
#endif

/* ==== libcrypto, opened at run time ==== */

static struct {
  __typeof__(SHA256_Init) *init;
  __typeof__(SHA256_Update) *update;
  __typeof__(SHA256_Final) *final;
} crypto;

/* 0, or -1 with the loader's reason in why. */
static int open_crypto(char *why, size_t n) {
  void *h = dlopen(SB_CRYPTO_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char *e = dlerror();
    snprintf(why, n, "%s", e ? e : "not found");
    return -1;
  }
  /* POSIX lets a dlsym result be converted to a function pointer. */
  crypto.init = (__typeof__(crypto.init))dlsym(h, "SHA256_Init");
  crypto.update = (__typeof__(crypto.update))dlsym(h, "SHA256_Update");
  crypto.final = (__typeof__(crypto.final))dlsym(h, "SHA256_Final");
  if (!crypto.init || !crypto.update || !crypto.final) {
    snprintf(why, n, "it has no SHA256_Init, SHA256_Update or SHA256_Final");
    return -1;
  }
  return 0;
}

/* ==== The engine ==== */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int engine;          /* SB_SHA256_NI, _LIBCRYPTO or _C */
static int crypto_loaded;   /* open_crypto succeeded */
static void (*blocks)(uint32_t h[8], const uint8_t *p, size_t n) = blocks_c;

static void choose(void) {
  char why[320];
#if HAVE_NI
  if (cpu_has_ni()) {
    engine = SB_SHA256_NI;
    blocks = blocks_ni;
    return;
  }
#endif
  if (open_crypto(why, sizeof why) == 0) {
    crypto_loaded = 1;
    engine = SB_SHA256_LIBCRYPTO;
  } else {
    engine = SB_SHA256_C;
    blocks = blocks_c;
    fprintf(stderr, "skillbook: note: cannot load %s (%s): SHA-256 runs in "
            "slower portable code; install the Debian package %s\n",
            SB_CRYPTO_SONAME, why, SB_CRYPTO_DEB);
  }
}


int sb_sha256_engine(void) {
  pthread_once(&once, choose);
  return engine;
}

int sb_sha256_use(int e) {
  char why[320];
  pthread_once(&once, choose);
  switch (e) {
  case SB_SHA256_NI:
#if HAVE_NI
    if (!cpu_has_ni())
      return -1;
    blocks = blocks_ni;
    break;
#else
    return -1;
#endif
  case SB_SHA256_LIBCRYPTO:
    if (!crypto_loaded && open_crypto(why, sizeof why) != 0)
      return -1;
    crypto_loaded = 1;
    break;
  case SB_SHA256_C:
    blocks = blocks_c;
    break;
  default:
    return -1;
  }
  engine = e;
  return 0;
}

static own_state *own(sb_sha256 *s) {
  return (own_state *)(void *)s->state.bytes;
}

static SHA256_CTX *ctx_of(sb_sha256 *s) {
  return (SHA256_CTX *)(void *)s->state.bytes;
}

void sb_sha256_init(sb_sha256 *s) {
  static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                 0xa54ff53a, 0x510e527f, 0x9b05688c,
                                 0x1f83d9ab, 0x5be0cd19};
  own_state *o = own(s);
  pthread_once(&once, choose);
  if (engine == SB_SHA256_LIBCRYPTO) {
    crypto.init(ctx_of(s));
    return;
  }
  memcpy(o->h, iv, sizeof iv);
  o->len = 0;
  o->nblk = 0;
}

void sb_sha256_update(sb_sha256 *s, const void *data, size_t n) {
  own_state *o = own(s);
  const uint8_t *p = data;

  if (engine == SB_SHA256_LIBCRYPTO) {
    crypto.update(ctx_of(s), data, n);
    return;
  }
  o->len += n;
  if (o->nblk > 0) {
    size_t take = 64 - o->nblk < n ? 64 - o->nblk : n;
    memcpy(o->blk + o->nblk, p, take);
    o->nblk += (uint32_t)take, p += take, n -= take;
    if (o->nblk < 64)
      return;
    blocks(o->h, o->blk, 1);
    o->nblk = 0;
  }
  if (n >= 64) {
    blocks(o->h, p, n / 64);
    p += n / 64 * 64, n %= 64;
  }
  memcpy(o->blk, p, n);
  o->nblk = (uint32_t)n;
}

void sb_sha256_final(sb_sha256 *s, uint8_t out[32]) {
  own_state *o = own(s);
  uint8_t last[128];
  size_t nlast;
  uint64_t bits;

  if (engine == SB_SHA256_LIBCRYPTO) {
    crypto.final(out, ctx_of(s));
    return;
  }
  /* the padding: 0x80, zeros, the length in bits; one block, or two when
  ** the length does not fit after the data */
  nlast = o->nblk + 9 <= 64 ? 64 : 128;
  memset(last, 0, sizeof last);
  memcpy(last, o->blk, o->nblk);
  last[o->nblk] = 0x80;
  /* big-endian, stored at once: byte stores under the block function's
  ** 16-byte loads stall their forwarding (a seventh of a 64-byte hash) */
  bits = o->len * 8;
  bits = (bits >> 56) | ((bits >> 40) & 0xff00) | ((bits >> 24) & 0xff0000) |
         ((bits >> 8) & 0xff000000) | ((bits & 0xff000000) << 8) |
         ((bits & 0xff0000) << 24) | ((bits & 0xff00) << 40) | (bits << 56);
  memcpy(last + nlast - 8, &bits, 8);
  blocks(o->h, last, nlast / 64);
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (uint8_t)(o->h[i] >> 24);
    out[4 * i + 1] = (uint8_t)(o->h[i] >> 16);
    out[4 * i + 2] = (uint8_t)(o->h[i] >> 8);
    out[4 * i + 3] = (uint8_t)o->h[i];
  }
}

void sb_hex(const uint8_t *p, size_t n, char *out) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[p[i] >> 4];
    out[2 * i + 1] = digits[p[i] & 15];
  }
  out[2 * n] = '\0';
}

void sb_sha256_hex(const void *p, size_t n, char hex[65]) {
  sb_sha256 s;
  uint8_t d[32];
  sb_sha256_init(&s);
  sb_sha256_update(&s, p, n);
  sb_sha256_final(&s, d);
  sb_hex(d, 32, hex);
}
