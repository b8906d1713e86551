/*
** xml/validate-bg.c -- schema validation on a helper thread.
**
** Validating the large catalogue takes as long as walking its tree into
** the model, and both only read the tree: the catalogue loader
** (catalog/load.c) starts the validation here, walks meanwhile, and joins
** when it needs the result: before it returns (then it frees the tree), or,
** for a document command, before anything is written
** (sb_load_catalog_pending: then it hands the tree over right after the
** walk, sb_xml_validate_give, and the helper frees it as soon as the
** validation ends, off the caller's thread). What makes it safe:
**  - the tree is finished and nothing changes it (validation without
**    XML_SCHEMA_VAL_VC_I_CREATE adds no default attributes; the walk only
**    reads). A region's tree is read in place; no thread is in its region
**    any more (sb_xml_region_leave came at the end of the parse), so both
**    threads allocate through libc, which is thread-safe, and nobody frees
**    a block of the region until the helper drops it whole;
**  - libxml2's error handlers and last error are per thread (libxml2 built
**    with threads, as Debian's is): the helper installs its own handler
**    (reader.c's install), and libxml2 frees the thread's state at its end;
**  - the diagnostics go to a context of the helper's own, moved into the
**    caller's at the join, in their order, so the caller decides where
**    they come (before the walk's: the same order as one thread);
**  - the tree is freed once both are done with it: the helper waits for
**    the caller's sb_xml_validate_give after validating. A region's tree
**    is dropped with the region the helper's for the time of the free
**    (xml/region.c), so the caller may use libxml2 meanwhile (a style
**    parsed by the render); the file's name is the helper's own copy;
**  - the schema is compiled before the thread starts (on first use it
**    sets libxml2's type tables up), and then only read.
** Tests: tests/cli/diagnostics.sh (every diagnostic, byte for byte),
** tests/unit/test_catalog.c; the asan build runs both.
*/
#include <pthread.h>
#include <stdlib.h>

#include "xml/reader-imp.h"
#include "xml/reader.h"

/* What the caller said of the tree (under lock). */
enum { TREE_HELD, TREE_GIVEN, TREE_KEPT };

struct sb_xml_bg {
  pthread_t thread;
  sb_ctx ctx;           /* the helper's diagnostics and failure */
  char *name;           /* owned copy */
  xmlDoc *doc;
  xmlSchema *schema;
  sb_status st;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int tree;             /* TREE_*: GIVEN, the helper frees it */
};

static void *bg_main(void *p) {
  sb_xml_bg *bg = p;
  bg->st = sb_xml_validate_with(&bg->ctx, bg->name, bg->doc, bg->schema);
  /* the caller may still be walking the tree: wait for its word */
  pthread_mutex_lock(&bg->lock);
  while (bg->tree == TREE_HELD)
    pthread_cond_wait(&bg->cond, &bg->lock);
  int given = bg->tree == TREE_GIVEN;
  pthread_mutex_unlock(&bg->lock);
  if (given)
    sb_xml_free_doc_here(bg->doc);
  return NULL;
}

void sb_xml_schema_warm(const char *xsd) {
  sb_ctx scratch;
  sb_ctx_init(&scratch);
  sb_xml_schema_for(&scratch, xsd);
  sb_ctx_free(&scratch);
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
  bg->name = sb_xstrdup(name);
  bg->doc = doc;
  bg->schema = schema;
  bg->tree = TREE_HELD;
  pthread_mutex_init(&bg->lock, NULL);
  pthread_cond_init(&bg->cond, NULL);
  if (pthread_create(&bg->thread, NULL, bg_main, bg) != 0) {
    pthread_cond_destroy(&bg->cond);
    pthread_mutex_destroy(&bg->lock);
    sb_ctx_free(&bg->ctx);
    free(bg->name);
    free(bg);
    return NULL;
  }
  return bg;
}

/* Tells the helper what becomes of the tree once it has validated it. */
static void tell(sb_xml_bg *bg, int tree) {
  pthread_mutex_lock(&bg->lock);
  if (bg->tree == TREE_HELD) {
    bg->tree = tree;
    pthread_cond_signal(&bg->cond);
  }
  pthread_mutex_unlock(&bg->lock);
}

void sb_xml_validate_give(sb_xml_bg *bg) {
  tell(bg, TREE_GIVEN);
}

void sb_xml_validate_keep(sb_xml_bg *bg) {
  tell(bg, TREE_KEPT);
}

sb_status sb_xml_validate_join(sb_ctx *ctx, sb_xml_bg *bg) {
  tell(bg, TREE_KEPT); /* not given: the caller frees it after the join */
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
  pthread_cond_destroy(&bg->cond);
  pthread_mutex_destroy(&bg->lock);
  free(bg->name);
  free(bg);
  return st;
}
