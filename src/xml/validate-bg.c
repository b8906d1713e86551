/*
** xml/validate-bg.c -- schema validation on a helper thread.
**
** Validating the large catalogue takes as long as walking its tree into
** the model, and both only read the tree: the catalogue loader
** (catalog/load.c) starts the validation here, walks meanwhile, and joins
** before it uses the result. What makes it safe:
**  - the tree is finished and nothing changes it (validation without
**    XML_SCHEMA_VAL_VC_I_CREATE adds no default attributes; the walk only
**    reads). A region's tree is read in place; its allocator is no longer
**    libxml2's (sb_xml_region_leave came at the end of the parse), so both
**    threads allocate through libc, which is thread-safe, and nobody frees
**    a block of the region;
**  - libxml2's error handlers and last error are per thread (libxml2 built
**    with threads, as Debian's is): the helper installs its own handler
**    (reader.c's install), and libxml2 frees the thread's state at its end;
**  - the diagnostics go to a context of the helper's own, moved into the
**    caller's at the join, in their order, so the caller decides where
**    they come (before the walk's: the same order as one thread);
**  - the schema is compiled before the thread starts (on first use it
**    sets libxml2's type tables up), and then only read.
** Tests: tests/cli/diagnostics.sh (every diagnostic, byte for byte),
** tests/unit/test_catalog.c; the asan build runs both.
*/
#include <pthread.h>
#include <stdlib.h>

#include "xml/reader-imp.h"
#include "xml/reader.h"

struct sb_xml_bg {
  pthread_t thread;
  sb_ctx ctx;           /* the helper's diagnostics and failure */
  const char *name;
  xmlDoc *doc;
  xmlSchema *schema;
  sb_status st;
};

static void *bg_main(void *p) {
  sb_xml_bg *bg = p;
  bg->st = sb_xml_validate_with(&bg->ctx, bg->name, bg->doc, bg->schema);
  return NULL;
}

sb_xml_bg *sb_xml_validate_start(sb_ctx *ctx, const char *name, xmlDoc *doc,
                                 const char *xsd) {
  /* compiled here, not in the thread; a schema that does not compile
  ** (cannot happen: it is compiled in) is left to sb_xml_validate, which
  ** reports it: nothing of this try may reach ctx */
  sb_ctx scratch;
  sb_ctx_init(&scratch);
  xmlSchema *schema = sb_xml_schema_for(&scratch, xsd);
  sb_ctx_free(&scratch);
  if (!schema)
    return NULL;
  sb_xml_bg *bg = sb_xcalloc(1, sizeof *bg);
  sb_ctx_init(&bg->ctx);
  bg->ctx.limits = ctx->limits;
  bg->ctx.quiet = ctx->quiet;
  bg->name = name;
  bg->doc = doc;
  bg->schema = schema;
  if (pthread_create(&bg->thread, NULL, bg_main, bg) != 0) {
    sb_ctx_free(&bg->ctx);
    free(bg);
    return NULL;
  }
  return bg;
}

sb_status sb_xml_validate_join(sb_ctx *ctx, sb_xml_bg *bg) {
  pthread_join(bg->thread, NULL);
  /* the records as sb_xml_validate would have added them: re-added one by
  ** one (the text is already cut to a record's size, so it is unchanged) */
  for (size_t i = 0; i < bg->ctx.ndiags; i++) {
    const sb_diag *d = &bg->ctx.diags[i];
    sb_diag_add(ctx, d->sev, d->code, d->file, d->line, d->col, "%s", d->msg);
  }
  if (bg->ctx.status != SB_OK)
    sb_fail(ctx, bg->ctx.status, "%s", bg->ctx.errmsg);
  sb_status st = bg->st;
  sb_ctx_free(&bg->ctx);
  free(bg);
  return st;
}
