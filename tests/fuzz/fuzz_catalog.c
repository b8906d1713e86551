/*
** tests/fuzz/fuzz_catalog.c -- libFuzzer target: bytes -> catalogue model.
**
** Feeds the input to sb_load_catalog_mem with small limits and, when it
** loads, walks the model through the queries the documents use, so that a
** model that loads but breaks its own invariants shows up under ASan.
** Like SQLite's fuzzcheck it hunts crashes and leaks, not output.
** Built by -DSB_FUZZ=ON (clang, libFuzzer); tests/fuzz/replay.c replays
** the corpus through it as a plain ctest (SB_FUZZ_REPLAY).
*/
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "skillbook/catalog.h"

/* Touches every query of the model, as a document would. */
static void walk(const sb_catalog *cat) {
  volatile size_t sink = 0;
  for (int r = 0; r < cat->nroles; r++) {
    sb_role_stats rs;
    sb_cat_role_stats(cat, r, &rs);
    int lv[256];
    if (cat->nlevels <= 256)
      sink += (size_t)sb_cat_role_levels(cat, r, lv);
    sink += sb_cat_role_lookup(cat, cat->roles[r].id) != NULL;
  }
  for (int s = 0; s < cat->nskills; s++) {
    const sb_skill *sk = &cat->skills[s];
    sb_skill_stats st;
    sb_cat_skill_stats(cat, sk, &st);
    sink += strlen(sk->name) + (sk->summary ? strlen(sk->summary) : 0);
    for (int l = 0; l < cat->nlevels; l++)
      for (int r = 0; r < cat->nroles; r++) {
        const sb_expect *x = sb_cat_expect(cat, sk, l, r);
        if (x)
          sink += strlen(x->text);
      }
    sink += sb_cat_skill_lookup(cat, sk->id) != NULL;
  }
  char near[256];
  sink += (size_t)sb_cat_suggest(cat, "role", "nonexistent", near, sizeof near);
  (void)sink;
}

int sb_fuzz_catalog(const uint8_t *data, size_t size) {
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  sb_fuzz_limits(&ctx);
  sb_catalog *cat = NULL;
  if (sb_load_catalog_mem(&ctx, "fuzz.xml", (const char *)data, size, &cat) ==
          SB_OK &&
      cat)
    walk(cat);
  sb_drop_catalog(cat);
  sb_ctx_free(&ctx);
  return 0;
}

#ifndef SB_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return sb_fuzz_catalog(data, size);
}
#endif
