/*
** tests/unit/test_base.c -- arena, buffer, SHA-256, FNV-1a, UTF-8, limits, status,
** diagnostics and the output writer's rules on regular files.
*/
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/sha.h>
#include <time.h>

#include "base/sha256-imp.h"
#include "check.h"
#include "skillbook/base.h"

static void test_sha256_vectors(void) {
  char hex[65];
  sb_sha256_hex("abc", 3, hex);
  CHECK_STR(hex,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  sb_sha256_hex("", 0, hex);
  CHECK_STR(hex,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  sb_sha256_hex(two, strlen(two), hex);
  CHECK_STR(hex,
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  /* split updates give the same digest as one */
  sb_sha256 s;
  uint8_t d[32];
  sb_sha256_init(&s);
  for (size_t i = 0; i < strlen(two); i++)
    sb_sha256_update(&s, two + i, 1);
  sb_sha256_final(&s, d);
  sb_hex(d, 32, hex);
  CHECK_STR(hex,
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* Every engine this machine has (the SHA extensions, libcrypto opened at
** run time, portable C) on the FIPS vectors and, against libcrypto called
** directly (this test links it), on random data of every length up to
** 300 bytes and some long ones, updated in random pieces. Prints each
** engine's speed (no assertion on it). */
static void test_sha256(void) {
  static const char *names[] = {"", "SHA extensions", "libcrypto (dlopen)",
                                "portable C"};
  int first = sb_sha256_engine(), e;
  size_t big = 1 << 20;
  uint8_t *buf = malloc(big);

  CHECK(first == SB_SHA256_NI || first == SB_SHA256_LIBCRYPTO ||
        first == SB_SHA256_C);
  srand(256);
  for (size_t i = 0; i < big; i++)
    buf[i] = (uint8_t)rand();
  CHECK(sb_sha256_use(SB_SHA256_C) == 0);
  CHECK(sb_sha256_use(SB_SHA256_LIBCRYPTO) == 0);
  CHECK(sb_sha256_use(99) == -1);
  for (e = SB_SHA256_NI; e <= SB_SHA256_C; e++) {
    int bad = 0;
    double t0, t1;
    struct timespec ts;
    if (sb_sha256_use(e) != 0) {
      printf("sha256: no %s here\n", names[e]);
      continue;
    }
    CHECK(sb_sha256_engine() == e);
    test_sha256_vectors();
    for (size_t n = 0; n < 300 + 8; n++) {
      size_t len = n < 300 ? n : (size_t)(rand() % (int)big);
      uint8_t want[32], got[32];
      sb_sha256 s;
      size_t at = 0;
      SHA256(buf + n, len, want);
      sb_sha256_init(&s);
      while (at < len) {
        size_t piece = (size_t)rand() % (n < 300 ? 70 : 70000) + 1;
        if (piece > len - at)
          piece = len - at;
        sb_sha256_update(&s, buf + n + at, piece);
        at += piece;
      }
      sb_sha256_final(&s, got);
      bad += memcmp(want, got, 32) != 0;
    }
    CHECK_EQ_INT(bad, 0);
    clock_gettime(CLOCK_MONOTONIC, &ts);
    t0 = ts.tv_sec + ts.tv_nsec * 1e-9;
    for (int r = 0; r < 20; r++) {
      char hex[65];
      sb_sha256_hex(buf, big, hex);
    }
    clock_gettime(CLOCK_MONOTONIC, &ts);
    t1 = ts.tv_sec + ts.tv_nsec * 1e-9;
    printf("sha256: %s%s: %.0f MB/s\n", names[e], e == first ? " (chosen)" : "",
           20.0 * (double)big / (t1 - t0) / 1e6);
  }
  CHECK(sb_sha256_use(first) == 0);
  free(buf);
}

/* The published FNV-1a 64 vectors, and chaining equals hashing at once. */
static void test_fnv1a(void) {
  CHECK(sb_hash_fnv1a("", 0, SB_FNV1A_BASIS) == 0xcbf29ce484222325ULL);
  CHECK(sb_hash_fnv1a("a", 1, SB_FNV1A_BASIS) == 0xaf63dc4c8601ec8cULL);
  CHECK(sb_hash_fnv1a("foobar", 6, SB_FNV1A_BASIS) == 0x85944171f73967e8ULL);
  CHECK(sb_hash_fnv1a("bar", 3, sb_hash_fnv1a("foo", 3, SB_FNV1A_BASIS)) ==
        0x85944171f73967e8ULL);
}

/* Arrays grow by doubling, stop at their cap and never wrap a size_t. */
static void test_grow(void) {
  size_t cap = 0, out = 0;
  int *a = NULL;
  for (int i = 0; i < 40; i++) {
    CHECK(SB_GROW(a, i, cap, 16, 40) == SB_OK);
    a[i] = i;
  }
  CHECK(cap == 40 && a[39] == 39);  /* 16, 32, then clamped at the cap */
  CHECK(SB_GROW(a, 40, cap, 16, 40) == SB_E_LIMIT);
  CHECK(cap == 40 && a[39] == 39);  /* unchanged on failure */
  free(a);
  CHECK(sb_grow_cap(0, 1, 8, 8, SIZE_MAX, &out) == 0 && out == 8);
  CHECK(sb_grow_cap(8, 9, 8, 8, SIZE_MAX, &out) == 0 && out == 16);
  CHECK(sb_grow_cap(16, 16, 8, 8, SIZE_MAX, &out) == 0 && out == 16);
  CHECK(sb_grow_cap(16, 100, 8, 8, SIZE_MAX, &out) == 0 && out == 128);
  /* bytes that would not fit a size_t */
  CHECK(sb_grow_cap(16, SIZE_MAX / 8 + 1, 8, 8, SIZE_MAX, &out) == -1);
  /* doubling near the top of size_t stops at what fits, never wraps */
  CHECK(sb_grow_cap(SIZE_MAX / 2 + 1, SIZE_MAX / 2 + 2, 1, 1, SIZE_MAX,
                    &out) == 0 && out >= SIZE_MAX / 2 + 2);
  CHECK(sb_grow_cap(SIZE_MAX / 12, SIZE_MAX / 12 + 1, 8, 1, SIZE_MAX,
                    &out) == 0 && out == SIZE_MAX / 8);
  size_t c2 = SIZE_MAX / 8;
  void *none = NULL;
  CHECK(sb_grow_array(&none, &c2, SIZE_MAX / 8, 8, 1, SIZE_MAX) == SB_E_LIMIT);
  CHECK(sb_grow_array(&none, &c2, SIZE_MAX, 1, 1, SIZE_MAX) == SB_E_LIMIT);
}

static void test_arena(void) {
  sb_arena *a = sb_new_arena(0);
  char *p = sb_arena_strdup(a, "hello");
  CHECK_STR(p, "hello");
  CHECK(((uintptr_t)sb_arena_alloc(a, 3) & 15) == 0);
  void *big = sb_arena_alloc(a, 1 << 20);
  CHECK(big != NULL);
  CHECK_STR(p, "hello"); /* a big block does not disturb earlier ones */
  CHECK_STR(sb_arena_printf(a, "%d-%s", 42, "x"), "42-x");
  sb_drop_arena(a);
  sb_arena *small = sb_new_arena(100000);
  CHECK(sb_arena_alloc(small, 50000) != NULL);
  CHECK(sb_arena_alloc(small, 200000) == NULL); /* over budget */
  sb_drop_arena(small);
}

/* What a user holds outside the arena counts against its budget, and its
** hooks run once, newest first, at a reset and at the drop. */
static int hook_log[4], nhook_log;
static void hook_fn(void *arg) { hook_log[nhook_log++] = *(int *)arg; }

static void test_arena_charge_hooks(void) {
  sb_arena *a = sb_new_arena(100000);
  CHECK(sb_arena_charge(a, 60000));
  CHECK_EQ_INT((long)sb_arena_used(a), 60000);
  CHECK(!sb_arena_charge(a, 50000)); /* over: nothing counted */
  CHECK_EQ_INT((long)sb_arena_used(a), 60000);
  CHECK(sb_arena_alloc(a, 50000) == NULL); /* the charge fills the budget */
  sb_arena_refund(a, 60000);
  CHECK_EQ_INT((long)sb_arena_used(a), 0);
  CHECK(sb_arena_alloc(a, 50000) != NULL);
  CHECK(!sb_arena_charge(a, (size_t)-1)); /* no wrap-around */
  static int one = 1, two = 2, three = 3;
  sb_arena_on_drop(a, hook_fn, &one);
  sb_arena_on_drop(a, hook_fn, &two);
  sb_arena_reset(a);
  CHECK_EQ_INT(nhook_log, 2);
  CHECK_EQ_INT(hook_log[0], 2);
  CHECK_EQ_INT(hook_log[1], 1);
  sb_arena_on_drop(a, hook_fn, &three);
  sb_drop_arena(a);
  CHECK_EQ_INT(nhook_log, 3); /* the reset's hooks ran once */
  CHECK_EQ_INT(hook_log[2], 3);
}

static void test_utf8(void) {
  int len;
  CHECK_EQ_INT(sb_utf8_decode("\xc3\xb1", 2, &len), 0xF1);
  CHECK_EQ_INT(len, 2);
  CHECK_EQ_INT(sb_utf8_decode("\xf0\x9f\x98\x80", 4, &len), 0x1F600);
  CHECK_EQ_INT(sb_utf8_decode("\xc0\x80", 2, &len), -1); /* overlong */
  CHECK_EQ_INT(sb_utf8_decode("\xed\xa0\x80", 3, &len), -1); /* surrogate */
  CHECK_EQ_INT(sb_utf8_decode("\xe2\x82", 2, &len), -1); /* truncated */
  /* the rules the XML reader's byte scan relies on (it uses this decoder) */
  CHECK_EQ_INT(sb_utf8_decode("\xe0\x9f\xbf", 3, &len), -1); /* overlong */
  CHECK_EQ_INT(sb_utf8_decode("\xf0\x8f\xbf\xbf", 4, &len), -1);
  CHECK_EQ_INT(sb_utf8_decode("\xf4\x90\x80\x80", 4, &len), -1); /* >10FFFF */
  CHECK_EQ_INT(sb_utf8_decode("\xf5\x80\x80\x80", 4, &len), -1);
  CHECK_EQ_INT(sb_utf8_decode("\xf8\x88\x80\x80", 4, &len), -1);
  CHECK_EQ_INT(sb_utf8_decode("\x80", 1, &len), -1); /* lone continuation */
  CHECK_EQ_INT(len, 1);
  CHECK_EQ_INT(sb_utf8_decode("\xc3\x28", 2, &len), -1); /* bad second */
  CHECK_EQ_INT(sb_utf8_decode("\xf4\x8f\xbf\xbf", 4, &len), 0x10FFFF);
  CHECK_EQ_INT(len, 4);
  CHECK_EQ_INT(sb_utf8_decode("\xef\xbf\xbf", 3, &len), 0xFFFF);
  CHECK_EQ_INT(sb_utf8_decode("", 1, &len), 0); /* NUL is one byte */
  CHECK_EQ_INT(len, 1);
  char out[4];
  CHECK_EQ_INT(sb_utf8_encode(0x416, out), 2);
  CHECK(memcmp(out, "\xd0\x96", 2) == 0);
}

static void test_limits_status(void) {
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  CHECK(sb_limits_set(&ctx, &ctx.limits, "text-bytes=123") == SB_OK);
  CHECK_EQ_INT(ctx.limits.text_bytes, 123);
  CHECK(sb_limits_set(&ctx, &ctx.limits, "pages=x") == SB_E_USAGE);
  CHECK(sb_limits_set(&ctx, &ctx.limits, "nosuch=1") == SB_E_USAGE);
  CHECK_EQ_INT(ctx.status, SB_E_USAGE); /* the first error stays */
  CHECK(strstr(ctx.errmsg, "pages") != NULL);
  CHECK_EQ_INT(sb_status_exit(SB_E_SCHEMA), 3);
  CHECK_EQ_INT(sb_status_exit(SB_E_LOCKED), 75);
  CHECK_STR(sb_status_name(SB_E_LIMIT), "SB_E_LIMIT");
  CHECK_EQ_INT(ctx.ndiags, 1); /* the second error became a note */
  sb_ctx_free(&ctx);
  sb_diag_add(&ctx, SB_SEV_ERROR, SB_E_SCHEMA, "b.xml", 3, 1, "x");
  sb_diag_add(&ctx, SB_SEV_WARNING, SB_OK, "a.xml", 9, 0, "y");
  sb_diag_add(&ctx, SB_SEV_ERROR, SB_E_SCHEMA, "a.xml", 2, 5, "z");
  sb_diag_sort(&ctx);
  CHECK_STR(ctx.diags[0].msg, "z");
  CHECK_STR(ctx.diags[2].msg, "x");
  CHECK_EQ_INT(ctx.nerrors, 2);
  CHECK_EQ_INT(ctx.nwarnings, 1);
  sb_ctx_free(&ctx);
}

static void test_write_output(void) {
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  char dir[] = "/tmp/sb-test-base-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[256], link[256];
  snprintf(path, sizeof path, "%s/sub/dir/out.pdf", dir);
  CHECK(sb_write_output(&ctx, path, "one", 3, 1) == SB_OK);
  char *data;
  size_t n;
  CHECK(sb_read_file(&ctx, path, 100, &data, &n) == SB_OK);
  CHECK(n == 3 && memcmp(data, "one", 3) == 0);
  free(data);
  /* an existing file keeps its mode */
  chmod(path, 0600);
  CHECK(sb_write_output(&ctx, path, "two!", 4, 0) == SB_OK);
  struct stat st;
  CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600 && st.st_size == 4);
  /* a symlink is followed: the link stays, its target changes */
  snprintf(link, sizeof link, "%s/link.pdf", dir);
  CHECK(symlink("sub/dir/out.pdf", link) == 0);
  CHECK(sb_write_output(&ctx, link, "three", 5, 0) == SB_OK);
  CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
  CHECK(stat(path, &st) == 0 && st.st_size == 5);
  /* reading past a limit is SB_E_LIMIT */
  CHECK(sb_read_file(&ctx, path, 2, &data, &n) == SB_E_LIMIT);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
  sb_ctx_free(&ctx);
}

int main(void) {
  test_sha256();
  test_fnv1a();
  test_grow();
  test_arena();
  test_arena_charge_hooks();
  test_utf8();
  test_limits_status();
  test_write_output();
  return check_report();
}
