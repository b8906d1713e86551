/*
** cli/early.c -- the style and its three faces loaded on a helper thread
** while a document command loads its catalogue (docopts.h, "Early").
**
** They do not depend on the catalogue, and the catalogue's read and parse
** leave the second processor idle: a helper started before the load
** parses the style (and compiles the catalogue's schema, the validation's
** first step) and then reads the faces, so that sb_render finds them
** ready instead of loading them on the main thread's path.
**
** libxml2 is used by one thread at a time here: the helper's XML work (the
** style, the schema) happens before the loader's first parse, which waits
** for it at the gate (sb_cat_set_xml_gate); a helper that had not begun
** by then does nothing at all. FreeType has no shared state between faces
** (font.c makes a library per face), so the faces load beside the parse.
**
** Nothing of the helper shows: its diagnostics stay in its own context.
** Its result is used only when it loaded the style and the faces without
** a single diagnostic; otherwise it is dropped and sb_render loads them as
** it always did, so that every message (a missing font, a bad style file),
** its place among the catalogue's and the exit status are unchanged.
** Not in the test build (sb_hooks: allocation failures are counted in
** order, on one thread), nor with SKILLBOOK_EARLY=0.
** Tests: tests/cli/load_pending.sh, tests/cli/early.sh
*/
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cli/docopts.h"

/* Where the helper is in its libxml2 work, under E.lock. */
enum { XML_IDLE, XML_BUSY, XML_DONE, XML_CLOSED };

static struct {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int xml;            /* XML_* */
  int started;        /* a thread to join */
  pthread_t thread;
  /* the request, fixed before the start */
  const char *spec;   /* the style: a built-in NAME or a FILE */
  const char *datadir;
  sb_limits limits;
  /* the result, read after the join */
  int ok;             /* style and fonts loaded without a diagnostic */
  sb_style *style;
  sb_fontset fonts;
} E = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

/* The loader's gate (sb_cat_set_xml_gate): waits for the helper's libxml2
** work, or keeps a helper that has not begun it from ever starting it. */
static void gate(void) {
  pthread_mutex_lock(&E.lock);
  while (E.xml == XML_BUSY)
    pthread_cond_wait(&E.cond, &E.lock);
  if (E.xml == XML_IDLE)
    E.xml = XML_CLOSED;
  pthread_mutex_unlock(&E.lock);
}

/* 1 when nothing at all was recorded in ctx. */
static int silent(const sb_ctx *ctx) {
  return ctx->status == SB_OK && ctx->ndiags == 0;
}

static void *early_main(void *arg) {
  (void)arg;
  sb_ctx ctx;
  sb_style *st = NULL;
  sb_fontset fs;
  memset(&fs, 0, sizeof fs);
  pthread_mutex_lock(&E.lock);
  int go = E.xml == XML_IDLE;
  if (go)
    E.xml = XML_BUSY;
  pthread_mutex_unlock(&E.lock);
  if (!go)
    return NULL; /* the load is in libxml2 already: sb_render loads them */
  sb_ctx_init(&ctx);
  ctx.limits = E.limits;
  sb_status s = sb_load_style(&ctx, E.spec, E.datadir, &st);
  sb_cat_warm_schema();
  pthread_mutex_lock(&E.lock);
  E.xml = XML_DONE;
  pthread_cond_broadcast(&E.cond);
  pthread_mutex_unlock(&E.lock);
  if (!s && silent(&ctx))
    s = sb_load_style_fonts(&ctx, st, E.datadir, &fs);
  if (!s && silent(&ctx)) {
    E.style = st;
    E.fonts = fs;
    E.ok = 1;
  } else {
    if (!s)
      sb_drop_fontset(&fs);
    sb_drop_style(st);
  }
  sb_ctx_free(&ctx);
  return NULL;
}

void sb_cli_early_start(const sb_ctx *ctx, const sb_doc_opts *d) {
  const char *env = getenv("SKILLBOOK_EARLY");
  if (E.started || E.ok || sb_hooks || (env && strcmp(env, "0") == 0))
    return;
  E.spec = d->style ? d->style : "default";
  E.datadir = sb_cli_datadir(); /* resolved here, once, not on the helper */
  E.limits = ctx->limits;
  E.xml = XML_IDLE;
  sb_cat_set_xml_gate(gate);
  if (pthread_create(&E.thread, NULL, early_main, NULL) != 0) {
    sb_cat_set_xml_gate(NULL);
    return; /* sb_render loads them, as without the helper */
  }
  E.started = 1;
}

/* Waits for the helper; afterwards libxml2 is the calling thread's. */
static void join(void) {
  if (!E.started)
    return;
  gate();
  pthread_join(E.thread, NULL);
  E.started = 0;
  sb_cat_set_xml_gate(NULL);
}

int sb_cli_early_take(sb_render_req *req) {
  join();
  if (!E.ok)
    return 0;
  req->style_loaded = E.style;
  req->fonts = &E.fonts;
  return 1;
}

void sb_cli_early_end(void) {
  join();
  if (E.ok) {
    sb_drop_fontset(&E.fonts);
    sb_drop_style(E.style);
    E.style = NULL;
    E.ok = 0;
  }
}
