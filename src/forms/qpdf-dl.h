/*
** forms/qpdf-dl.h -- qpdf's C API, loaded when `skillbook collect` runs.
**
** Only collect reads PDFs with qpdf, and libqpdf brings a tree of about a
** dozen libraries (libstdc++ users, gnutls, nettle, gmp, p11-kit, ...)
** whose loading and constructors every other command would pay at
** start-up (docs/performance.md, "Start-up"). So the program does not
** link it: forms/qpdf-dl.c opens it with dlopen and resolves the few
** functions collect.c calls into a table, typed from qpdf/qpdf-c.h itself
** (__typeof__), so a prototype can never drift from the header.
** Tests: tests/cli/collect.sh (reading packs; the library missing)
*/
#ifndef SB_FORMS_QPDF_DL_H
#define SB_FORMS_QPDF_DL_H

#include <qpdf/qpdf-c.h>

#include "skillbook/base.h"

/* Every qpdf_NAME function collect.c calls, by NAME. */
#define SB_QPDF_FUNCS(X)                                                     \
  X(init) X(cleanup) X(silence_errors) X(set_suppress_warnings) X(read)      \
  X(has_error) X(get_error) X(get_error_code) X(get_error_message_detail)    \
  X(more_warnings) X(next_warning) X(is_encrypted) X(get_root)               \
  X(oh_get_key_if_dict) X(oh_has_key) X(oh_is_dictionary) X(oh_is_array)    \
  X(oh_is_name) X(oh_is_string) X(oh_is_stream) X(oh_get_name)              \
  X(oh_get_value_as_utf8) X(oh_get_stream_data) X(oh_get_array_n_items)     \
  X(oh_get_array_item) X(oh_get_object_id) X(oh_release_all)

/* The table: q->read(...) calls qpdf_read(...). */
#define SB_QPDF_SLOT(name) __typeof__(qpdf_##name) *name;
typedef struct sb_qpdf_api {
  SB_QPDF_FUNCS(SB_QPDF_SLOT)
} sb_qpdf_api;
#undef SB_QPDF_SLOT

/** Opens libqpdf (SB_QPDF_SONAME, e.g. libqpdf.so.29) the first time it is
** called, thread-safely, and returns the table of its functions, which
** stays valid until the process ends (the library is never closed). When
** the library cannot be opened or lacks a function, returns NULL and
** records SB_E_IO in ctx with the loader's reason and the Debian package
** that provides it (SB_QPDF_DEB); every later call fails the same way.
** @test tests/cli/collect.sh */
const sb_qpdf_api *sb_qpdf_open(sb_ctx *ctx);

#endif
