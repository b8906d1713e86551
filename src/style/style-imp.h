/*
** style/style-imp.h -- what style.c and load.c share.
**
** A loaded style is an sb_style with the strings and logo bytes it owns
** behind it (sb_drop_style frees them). load.c walks one style file over a
** base style; style.c keeps the built-ins (the bundled files compiled in).
*/
#ifndef SB_STYLE_IMP_H
#define SB_STYLE_IMP_H

#include "skillbook/style.h"

typedef struct sb_style_owned {
  sb_style st;           /* first: an sb_style * is an sb_style_owned * */
  char *strs[16];        /* owned strings (name, file, fonts, footer) */
  int nstrs;
  unsigned char *logo;   /* owned logo bytes */
} sb_style_owned;

/** A deep copy of st, owned by the caller. This function can't fail. */
sb_style_owned *sb_sty_copy(const sb_style *st);
/** Keeps s (a heap string) with o; returns it. */
const char *sb_sty_own(sb_style_owned *o, char *s);

/** The seed every built-in starts from (the values default.xml spells out). */
const sb_style *sb_sty_seed(void);

/** Walks style text data (name in diagnostics) into *out. dir is the style
** file's folder (fonts and logo are looked up there, then DATADIR/fonts/);
** NULL for a built-in (font names kept for render time, the logo taken
** from the embedded files). depth guards based-on chains. */
sb_status sb_sty_parse(sb_ctx *ctx, const char *name, const char *data,
                       size_t len, const char *dir, const char *datadir,
                       int depth, sb_style_owned **out);

/** The embedded bytes of a built-in style's resource (the branded logo), or
** NULL. */
const unsigned char *sb_sty_embedded(const char *file, size_t *len);

/** Reads the pixel size of PNG bytes; 0 when they are not a PNG. */
int sb_sty_png_size(const unsigned char *p, size_t n, int *w, int *h);

#endif
