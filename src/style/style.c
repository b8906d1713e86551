/*
** style/style.c -- the built-in styles, style copies and style hashing.
**
** The built-ins are the bundled files styles/{default,letter,ink-saver,
** branded}.xml compiled into the binary (cmake sb_embed) and read once per
** process, the first time they are asked for, over a seed that holds the
** same values as default.xml (so a built-in never depends on a user's
** folder, and tests/unit/test_style.c checks that seed and file agree).
** Colours are calm and keep their meaning in greyscale: nothing is told by
** colour alone. The batch forks its workers after the style is resolved,
** so the cache is never filled by two threads at once.
** Tests: tests/unit/test_style.c, tests/cli/styles.sh
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "style/style-imp.h"

#define MM (72.0 / 25.4)
#define RGB(r, g, b) {(r) / 255.0, (g) / 255.0, (b) / 255.0}

static const sb_style seed = {
    .name = "default",
    .page_w = 595.28,
    .page_h = 841.89,
    .sheet_landscape = 1,
    .margin_top = 18 * MM,
    .margin_bottom = 20 * MM,
    .margin_left = 18 * MM,
    .margin_right = 18 * MM,
    .font_file = {"LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf",
                  "LiberationSans-Italic.ttf"},
    .size_body = 9.5,
    .size_small = 8,
    .size_tiny = 7,
    .size_title = 28,
    .size_h1 = 17,
    .size_h2 = 12,
    .size_h3 = 13,
    .leading = 1.32,
    .text = RGB(0x1a, 0x1a, 0x1a),
    .muted = RGB(0x5f, 0x63, 0x68),
    .accent = RGB(0x1f, 0x4e, 0x79),
    .rule = RGB(0xc4, 0xc9, 0xd0),
    .band = RGB(0xf1, 0xf4, 0xf8),
    .header_fill = RGB(0xdc, 0xe6, 0xf0),
    .header_text = RGB(0x12, 0x2e, 0x4a),
    .rule_width = 0.8,
    .table_rule_width = 0.4,
    .cell_pad = 4.5,
    .chart = {RGB(0x1f, 0x4e, 0x79), RGB(0x4f, 0x81, 0xb3),
              RGB(0x9d, 0xc3, 0xe6), RGB(0xd6, 0xe6, 0xf4)},
    .greyscale = 0,
};

const sb_style *sb_sty_seed(void) { return &seed; }

/* ==== The embedded files ==== */

extern const char sb_style_default_xml[], sb_style_letter_xml[],
    sb_style_ink_saver_xml[], sb_style_branded_xml[], sb_style_branded_logo[];
extern const unsigned long sb_style_default_xml_len, sb_style_letter_xml_len,
    sb_style_ink_saver_xml_len, sb_style_branded_xml_len,
    sb_style_branded_logo_len;

const char *const sb_style_builtin_names[] = {"default", "letter",
                                              "ink-saver", "branded", NULL};

typedef struct builtin {
  const char *name;
  const char *xml;
  const unsigned long *len;
  sb_style_owned *cache;
  int failed;
} builtin;

static builtin builtins[] = {
    {"default", sb_style_default_xml, &sb_style_default_xml_len, NULL, 0},
    {"letter", sb_style_letter_xml, &sb_style_letter_xml_len, NULL, 0},
    {"ink-saver", sb_style_ink_saver_xml, &sb_style_ink_saver_xml_len, NULL,
     0},
    {"branded", sb_style_branded_xml, &sb_style_branded_xml_len, NULL, 0},
};

const unsigned char *sb_sty_embedded(const char *file, size_t *len) {
  if (file && strcmp(file, "branded-logo.png") == 0) {
    *len = sb_style_branded_logo_len;
    return (const unsigned char *)sb_style_branded_logo;
  }
  *len = 0;
  return NULL;
}

static const sb_style *builtin_at(int i, int depth) {
  builtin *b = &builtins[i];
  if (!b->cache && !b->failed) {
    sb_ctx ctx;
    sb_ctx_init(&ctx);
    ctx.quiet = 1;
    char name[64];
    snprintf(name, sizeof name, "<built-in %s.xml>", b->name);
    if (sb_sty_parse(&ctx, name, b->xml, (size_t)*b->len, NULL, NULL, depth,
                     &b->cache) != SB_OK) {
      b->failed = 1;  /* a broken build; test_style.c catches it */
      for (size_t k = 0; k < ctx.ndiags; k++)
        fprintf(stderr, "skillbook: %s:%ld: %s\n",
                ctx.diags[k].file ? ctx.diags[k].file : name,
                ctx.diags[k].line, ctx.diags[k].msg);
    }
    sb_ctx_free(&ctx);
  }
  return b->cache ? &b->cache->st : NULL;
}

/* Used by load.c for based-on (depth guards a cycle among built-ins). */
const sb_style *sb_sty_builtin_depth(const char *name, int depth);
const sb_style *sb_sty_builtin_depth(const char *name, int depth) {
  if (depth > 4) return NULL;
  if (!name || strcmp(name, "a4") == 0) name = "default";
  for (int i = 0; i < (int)(sizeof builtins / sizeof builtins[0]); i++)
    if (strcmp(builtins[i].name, name) == 0) return builtin_at(i, depth + 1);
  return NULL;
}

const sb_style *sb_style_builtin(const char *name) {
  return sb_sty_builtin_depth(name, 0);
}

int sb_style_is_file(const char *spec) {
  if (!spec) return 0;
  size_t n = strlen(spec);
  return strchr(spec, '/') != NULL ||
         (n >= 4 && strcmp(spec + n - 4, ".xml") == 0);
}

/* ==== Owned copies ==== */

const char *sb_sty_own(sb_style_owned *o, char *s) {
  if (!s) return NULL;
  if (o->nstrs == (int)(sizeof o->strs / sizeof o->strs[0])) {
    free(s);  /* cannot happen: a style owns at most 13 strings */
    return NULL;
  }
  o->strs[o->nstrs++] = s;
  return s;
}

static const char *dup_own(sb_style_owned *o, const char *s) {
  return s ? sb_sty_own(o, sb_xstrdup(s)) : NULL;
}

sb_style_owned *sb_sty_copy(const sb_style *st) {
  sb_style_owned *o = sb_xcalloc(1, sizeof *o);
  o->st = *st;
  o->st.name = dup_own(o, st->name);
  o->st.file = dup_own(o, st->file);
  for (int i = 0; i < SB_FONT_COUNT; i++)
    o->st.font_file[i] = dup_own(o, st->font_file[i]);
  o->st.footer_text = dup_own(o, st->footer_text);
  o->st.logo_file = dup_own(o, st->logo_file);
  if (st->logo_png && st->logo_len) {
    o->logo = sb_xmalloc(st->logo_len);
    memcpy(o->logo, st->logo_png, st->logo_len);
    o->st.logo_png = o->logo;
  }
  return o;
}

void sb_drop_style(sb_style *st) {
  if (!st) return;
  sb_style_owned *o = (sb_style_owned *)st;
  for (int i = 0; i < o->nstrs; i++) free(o->strs[i]);
  free(o->logo);
  free(o);
}

/* ==== Hashing (batch change detection) ==== */

static void hash_str(sb_sha256 *h, const char *s) {
  sb_sha256_update(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

static void hash_num(sb_sha256 *h, double v) {
  char b[40];
  snprintf(b, sizeof b, "%.6f;", v);
  sb_sha256_update(h, b, strlen(b));
}

static void hash_col(sb_sha256 *h, sb_color c) {
  hash_num(h, c.r);
  hash_num(h, c.g);
  hash_num(h, c.b);
}

void sb_style_hash(const sb_style *st, sb_sha256 *h) {
  hash_str(h, "sb-style/1");
  hash_str(h, st->name);
  double nums[] = {st->page_w, st->page_h, st->sheet_landscape,
                   st->handbook_landscape, st->profile_landscape,
                   st->margin_top, st->margin_bottom, st->margin_left,
                   st->margin_right, st->size_body, st->size_small,
                   st->size_tiny, st->size_title, st->size_h1, st->size_h2,
                   st->size_h3, st->leading, st->rule_width,
                   st->table_rule_width, st->cell_pad, st->greyscale,
                   st->chart_hatch, st->logo_w};
  for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
    hash_num(h, nums[i]);
  const sb_color cols[] = {st->text, st->muted, st->accent, st->rule,
                           st->band, st->header_fill, st->header_text,
                           st->chart[0], st->chart[1], st->chart[2],
                           st->chart[3]};
  for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
    hash_col(h, cols[i]);
  for (int i = 0; i < SB_FONT_COUNT; i++) hash_str(h, st->font_file[i]);
  hash_str(h, st->footer_text);
  hash_num(h, (double)st->logo_len);
  if (st->logo_png) sb_sha256_update(h, st->logo_png, st->logo_len);
}

/* ==== Loading by name or file ==== */

sb_status sb_load_style(sb_ctx *ctx, const char *spec, const char *datadir,
                        sb_style **out) {
  *out = NULL;
  if (!spec || !*spec) spec = "default";
  if (!sb_style_is_file(spec)) {
    const sb_style *b = sb_style_builtin(spec);
    if (!b)
      return sb_fail(ctx, SB_E_STYLE,
                     "unknown style '%s' (built in: default, letter, "
                     "ink-saver, branded; a style file is a path that "
                     "contains '/' or ends in .xml)", spec);
    *out = &sb_sty_copy(b)->st;
    return SB_OK;
  }
  if (access(spec, F_OK) != 0 && errno == ENOENT)
    return sb_fail(ctx, SB_E_USAGE, "style file '%s' does not exist (a "
                   "built-in style is named without '/' or .xml: default, "
                   "letter, ink-saver, branded)", spec);
  char *data = NULL;
  size_t len = 0;
  sb_status s = sb_read_file(ctx, spec, ctx->limits.file_bytes, &data, &len);
  if (s) return s;
  char *dir = sb_xstrdup(spec);
  char *slash = strrchr(dir, '/');
  if (slash == dir)
    dir[1] = 0;
  else if (slash)
    *slash = 0;
  else
    strcpy(dir, ".");
  sb_style_owned *o = NULL;
  s = sb_sty_parse(ctx, spec, data, len, dir, datadir ? datadir : ".", 0, &o);
  free(dir);
  free(data);
  if (s) {
    if (!ctx->status)
      sb_fail(ctx, s, "%s: invalid style file (see the messages above)", spec);
    return s;
  }
  *out = &o->st;
  return SB_OK;
}
