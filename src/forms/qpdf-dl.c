/*
** forms/qpdf-dl.c -- opening libqpdf at run time (see qpdf-dl.h for why).
**
** One dlopen per process, on the first call (pthread_once), RTLD_NOW so
** that a library missing a symbol fails here and not in the middle of a
** pack, RTLD_LOCAL so that its symbols stay out of everyone else's way.
** The soname and the package are the ones the build found
** (CMakeLists.txt: SB_QPDF_SONAME, SB_QPDF_DEB); the Debian package names
** that package in its Depends, since dpkg-shlibdeps cannot see a dlopen.
** Tests: tests/cli/collect.sh
*/
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "forms/qpdf-dl.h"

#ifndef SB_QPDF_SONAME
#error "SB_QPDF_SONAME (e.g. \"libqpdf.so.29\") comes from CMakeLists.txt"
#endif
#ifndef SB_QPDF_DEB
#error "SB_QPDF_DEB (e.g. \"libqpdf29\") comes from CMakeLists.txt"
#endif

static pthread_once_t once = PTHREAD_ONCE_INIT;
static sb_qpdf_api api;
static int loaded;
static char why[320];  /* the loader's reason when not loaded */

static void open_qpdf(void) {
  void *h = dlopen(SB_QPDF_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char *e = dlerror();
    snprintf(why, sizeof why, "%s", e ? e : "not found");
    return;
  }
  /* POSIX lets a dlsym result be converted to a function pointer. */
#define SB_QPDF_RESOLVE(name)                                                \
  api.name = (__typeof__(api.name))dlsym(h, "qpdf_" #name);                 \
  if (!api.name) {                                                           \
    snprintf(why, sizeof why, "it has no qpdf_%s", #name);                   \
    return;                                                                  \
  }
  SB_QPDF_FUNCS(SB_QPDF_RESOLVE)
#undef SB_QPDF_RESOLVE
  loaded = 1;
}

const sb_qpdf_api *sb_qpdf_open(sb_ctx *ctx) {
  pthread_once(&once, open_qpdf);
  if (loaded)
    return &api;
  sb_fail(ctx, SB_E_IO, "cannot load %s, which reading PDF forms needs (%s); "
          "install the Debian package %s", SB_QPDF_SONAME, why, SB_QPDF_DEB);
  return NULL;
}
