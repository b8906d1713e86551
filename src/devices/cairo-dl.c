/*
** devices/cairo-dl.c -- opening libcairo at run time (see cairo-dl.h for why).
**
** As forms/qpdf-dl.c does for libqpdf: one dlopen per process, on the
** first call (pthread_once, batch workers make png devices in threads),
** RTLD_NOW so that a library missing a symbol fails here and not in the
** middle of a thumbnail, RTLD_LOCAL so that its symbols stay out of
** everyone else's way. The soname and the package are the ones the build
** found (CMakeLists.txt: SB_CAIRO_SONAME, SB_CAIRO_DEB); the Debian
** package names that package in its Depends, since dpkg-shlibdeps cannot
** see a dlopen. cairo's FreeType is the program's (one libfreetype.so.6),
** so the FT_Faces png-device.c hands to cairo-ft are shared safely.
** Tests: tests/cli/startup.sh
*/
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "devices/cairo-dl.h"

#ifndef SB_CAIRO_SONAME
#error "SB_CAIRO_SONAME (e.g. \"libcairo.so.2\") comes from CMakeLists.txt"
#endif
#ifndef SB_CAIRO_DEB
#error "SB_CAIRO_DEB (e.g. \"libcairo2\") comes from CMakeLists.txt"
#endif

sb_cairo_api sb_cairo;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;
static char why[320];  /* the loader's reason when not loaded */

static void open_cairo(void) {
  sb_cairo_api api;
  void *h = dlopen(SB_CAIRO_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char *e = dlerror();
    snprintf(why, sizeof why, "%s", e ? e : "not found");
    return;
  }
  /* POSIX lets a dlsym result be converted to a function pointer. */
#define SB_CAIRO_RESOLVE(name)                                               \
  api.name = (__typeof__(api.name))dlsym(h, "cairo_" #name);                \
  if (!api.name) {                                                           \
    snprintf(why, sizeof why, "it has no cairo_%s", #name);                  \
    return;                                                                  \
  }
  SB_CAIRO_FUNCS(SB_CAIRO_RESOLVE)
#undef SB_CAIRO_RESOLVE
  sb_cairo = api;
  loaded = 1;
}

const sb_cairo_api *sb_cairo_open(sb_ctx *ctx) {
  pthread_once(&once, open_cairo);
  if (loaded)
    return &sb_cairo;
  sb_fail(ctx, SB_E_IO, "cannot load %s, which drawing PNG pages and "
          "thumbnails needs (%s); install the Debian package %s",
          SB_CAIRO_SONAME, why, SB_CAIRO_DEB);
  return NULL;
}
