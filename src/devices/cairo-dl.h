/*
** devices/cairo-dl.h -- cairo's C API, loaded when a PNG is first drawn.
**
** Only the png device (page previews, batch thumbnails) draws with cairo,
** and libcairo brings a tree of a dozen libraries (pixman, fontconfig,
** libpng, X11, xcb, ...) whose loading and relocation every run paid at
** start-up, about 2.6 ms of a 12.5 ms `skillbook --version` (docs/
** performance.md, "Start-up without cairo and libcrypto"). So the program
** does not link it: devices/cairo-dl.c opens it with dlopen the first time
** a png device is made and resolves the functions png-device.c calls into
** a table, typed from cairo.h and cairo-ft.h themselves (__typeof__), so a
** prototype can never drift from the header. The headers give the types
** and constants; no cairo symbol is linked.
** Tests: tests/cli/startup.sh (not loaded by handbook and --version;
** thumbnails still drawn; the library missing), tests/unit/test_png.c
*/
#ifndef SB_DEVICES_CAIRO_DL_H
#define SB_DEVICES_CAIRO_DL_H

#include <cairo-ft.h>
#include <cairo.h>

#include "skillbook/base.h"

/* Every cairo_NAME function png-device.c calls, by NAME. */
#define SB_CAIRO_FUNCS(X)                                                    \
  X(create) X(destroy) X(status) X(status_to_string) X(save) X(restore)      \
  X(new_path) X(move_to) X(line_to) X(curve_to) X(close_path) X(rectangle)  \
  X(clip) X(paint) X(fill_preserve) X(stroke) X(stroke_preserve)            \
  X(translate) X(scale) X(set_source_rgb) X(set_source_rgba)                 \
  X(set_source_surface) X(get_source) X(pattern_set_filter)                  \
  X(set_fill_rule) X(set_line_width) X(set_line_cap) X(set_line_join)       \
  X(set_dash) X(set_font_face) X(set_font_size) X(set_font_options)          \
  X(show_glyphs) X(font_face_reference) X(font_face_destroy)                 \
  X(font_face_set_user_data) X(ft_font_face_create_for_ft_face)              \
  X(font_options_create) X(font_options_destroy)                             \
  X(font_options_set_hint_style) X(font_options_set_hint_metrics)            \
  X(font_options_set_antialias) X(format_stride_for_width)                   \
  X(image_surface_create_for_data) X(image_surface_create_from_png_stream)   \
  X(image_surface_get_data) X(image_surface_get_width)                       \
  X(image_surface_get_height) X(image_surface_get_stride)                    \
  X(surface_flush) X(surface_status) X(surface_destroy)

/* The table: sb_cairo.move_to(...) calls cairo_move_to(...). */
#define SB_CAIRO_SLOT(name) __typeof__(cairo_##name) *name;
typedef struct sb_cairo_api {
  SB_CAIRO_FUNCS(SB_CAIRO_SLOT)
} sb_cairo_api;
#undef SB_CAIRO_SLOT

/* cairo's functions, filled by the first successful sb_cairo_open: read it
** only after sb_cairo_open returned non-NULL (in this thread, or in one
** that handed its device over). */
extern sb_cairo_api sb_cairo;

/** Opens libcairo (SB_CAIRO_SONAME, e.g. libcairo.so.2) the first time it
** is called, thread-safely, and returns the table of its functions
** (&sb_cairo), which stays valid until the process ends (the library is
** never closed). When the library cannot be opened or lacks a function,
** returns NULL and records SB_E_IO in ctx with the loader's reason and the
** Debian package that provides it (SB_CAIRO_DEB); every later call fails
** the same way. @test tests/cli/startup.sh */
const sb_cairo_api *sb_cairo_open(sb_ctx *ctx);

#endif
