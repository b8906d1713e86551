/*
** base/sha256-imp.h -- which SHA-256 engine runs (base/sha256.c).
**
** Every engine gives the same digests; they differ in speed and in what
** they load. The program never chooses: the first hash picks the SHA
** extensions when the processor has them, else libcrypto (opened then),
** else portable C. Tests force each in turn to compare them.
*/
#ifndef SB_BASE_SHA256_IMP_H
#define SB_BASE_SHA256_IMP_H

enum {
  SB_SHA256_NI = 1,        /* x86-64 SHA extensions, built in */
  SB_SHA256_LIBCRYPTO = 2, /* OpenSSL's libcrypto, opened with dlopen */
  SB_SHA256_C = 3          /* portable C */
};

/** The engine this process uses (choosing it on the first call).
** @test tests/unit/test_base.c */
int sb_sha256_engine(void);
/** Tests only: makes every later sb_sha256_init use engine e (contexts
** begun before must not be continued). 0, or -1 when e is not available
** on this machine (no SHA extensions; libcrypto cannot be loaded).
** @test tests/unit/test_base.c */
int sb_sha256_use(int e);

#endif
