/*
** base/sha256.c -- SHA-256 for content hashes and manifests, by libcrypto.
**
** OpenSSL's SHA-256 uses the processor's SHA extensions (or AVX2) where it
** has them: on this project's machines about 1.5 cycles a byte, against
** about 15 for the portable C this file held before, which was a tenth of
** a batch (hashing every output for the manifest). The low-level
** SHA256_Init/Update/Final calls are deprecated in OpenSSL 3.0 in favour
** of EVP, but remain, and they keep their state in a plain struct that
** fits in sb_sha256 (no allocation, so no leak on an early return).
** Tests: tests/unit/test_base.c (the FIPS 180-4 example vectors).
*/
#define OPENSSL_SUPPRESS_DEPRECATED
#include <string.h>

#include <openssl/sha.h>

#include "skillbook/base.h"

_Static_assert(sizeof(SHA256_CTX) <= sizeof(((sb_sha256 *)0)->state.bytes),
               "sb_sha256 too small for SHA256_CTX");

static SHA256_CTX *ctx_of(sb_sha256 *s) {
  return (SHA256_CTX *)(void *)s->state.bytes;
}

void sb_sha256_init(sb_sha256 *s) {
  SHA256_Init(ctx_of(s));
}

void sb_sha256_update(sb_sha256 *s, const void *p, size_t n) {
  SHA256_Update(ctx_of(s), p, n);
}

void sb_sha256_final(sb_sha256 *s, uint8_t out[32]) {
  SHA256_Final(out, ctx_of(s));
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
  uint8_t d[32];
  SHA256(p, n, d);
  sb_hex(d, 32, hex);
}
