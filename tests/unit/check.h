/*
** tests/unit/check.h -- the smallest test harness that does the job.
**
** CHECK(expr) counts a pass or prints the failing expression with its
** place; check_report() prints "N passed, N failed" alone on a line (the
** closing line CI reads) and returns the exit status.
*/
#ifndef SB_CHECK_H
#define SB_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(expr)                                                        \
  do {                                                                     \
    if (expr) {                                                            \
      check_passed++;                                                      \
    } else {                                                               \
      check_failed++;                                                      \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,   \
              #expr);                                                      \
    }                                                                      \
  } while (0)

#define CHECK_EQ_INT(a, b)                                                 \
  do {                                                                     \
    long long check_a_ = (long long)(a), check_b_ = (long long)(b);        \
    if (check_a_ == check_b_) {                                            \
      check_passed++;                                                      \
    } else {                                                               \
      check_failed++;                                                      \
      fprintf(stderr, "%s:%d: CHECK_EQ_INT failed: %s == %lld, %s == %lld\n", \
              __FILE__, __LINE__, #a, check_a_, #b, check_b_);             \
    }                                                                      \
  } while (0)

#define CHECK_STR(a, b)                                                    \
  do {                                                                     \
    const char *check_a_ = (a), *check_b_ = (b);                           \
    if (check_a_ && check_b_ && strcmp(check_a_, check_b_) == 0) {         \
      check_passed++;                                                      \
    } else {                                                               \
      check_failed++;                                                      \
      fprintf(stderr, "%s:%d: CHECK_STR failed: %s == \"%s\", %s == \"%s\"\n", \
              __FILE__, __LINE__, #a, check_a_ ? check_a_ : "(null)", #b,  \
              check_b_ ? check_b_ : "(null)");                             \
    }                                                                      \
  } while (0)

#define CHECK_EQ_DBL(a, b, eps)                                            \
  do {                                                                     \
    double check_a_ = (a), check_b_ = (b);                                 \
    if (check_a_ - check_b_ <= (eps) && check_b_ - check_a_ <= (eps)) {    \
      check_passed++;                                                      \
    } else {                                                               \
      check_failed++;                                                      \
      fprintf(stderr, "%s:%d: CHECK_EQ_DBL failed: %s == %g, %s == %g\n",  \
              __FILE__, __LINE__, #a, check_a_, #b, check_b_);             \
    }                                                                      \
  } while (0)

static inline int check_report(void) {
  printf("%d passed, %d failed\n", check_passed, check_failed);
  return check_failed ? 1 : 0;
}

#endif
