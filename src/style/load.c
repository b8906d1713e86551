/*
** style/load.c -- walks a style file over its base style.
**
** The file is read by the shared xml reader (UTF-8 only, no DOCTYPE) and
** validated against styles/style-1.xsd compiled into the binary, so an
** unknown element or attribute, a bad length or colour is a file:line
** error before anything here runs. This walker then starts from the style
** named by based-on (else the built-in default), converts each value to
** points once, resolves the font files (the style file's folder first,
** then DATADIR/fonts/; each must exist and be TrueType) and the logo (a
** PNG beside the file), and checks that the page can hold its margins.
** Errors: SB_E_STYLE (values, page), SB_E_FONT (fonts), SB_E_IO/SB_E_LIMIT
** (logo), each as a diagnostic with file:line; the reader's XML and schema
** errors are reported as they are and returned as SB_E_STYLE.
** Tests: tests/unit/test_style.c, tests/cli/styles.sh
*/
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/tree.h>

#include "style/style-imp.h"
#include "xml/reader.h"

#define SB_STYLE_NS "urn:skillbook:style:1"

extern const char sb_style_xsd[];
const sb_style *sb_sty_builtin_depth(const char *name, int depth);

typedef struct walker {
  sb_ctx *ctx;
  const char *name;      /* the file, for diagnostics */
  const char *dir;       /* its folder; NULL for a built-in */
  const char *datadir;
  sb_style_owned *o;
  sb_status first;
} walker;

static void werr(walker *w, sb_status code, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void werr(walker *w, sb_status code, long line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sb_diag_addv(w->ctx, SB_SEV_ERROR, code, w->name, line, 0, fmt, ap);
  va_end(ap);
  if (!w->first) w->first = code;
}

/* ==== Values (the schema has checked their shape) ==== */

/* A length with its unit, in points; -1 when absent. */
static double length(xmlNode *n, const char *attr) {
  xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
  if (!v) return -1;
  char *end;
  double x = strtod((const char *)v, &end);
  double k = 1;
  if (strcmp(end, "mm") == 0)
    k = 72.0 / 25.4;
  else if (strcmp(end, "cm") == 0)
    k = 72.0 / 2.54;
  else if (strcmp(end, "in") == 0)
    k = 72.0;
  xmlFree(v);
  return x * k;
}

static void set_len(xmlNode *n, const char *attr, double *dst) {
  double v = length(n, attr);
  if (v >= 0) *dst = v;
}

static int hexval(char c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : 0;
}

/* "#rrggbb" at s into *c. */
static const char *parse_colour(const char *s, sb_color *c) {
  while (*s == ' ') s++;
  if (*s != '#' || strlen(s) < 7) return s;
  c->r = (hexval(s[1]) * 16 + hexval(s[2])) / 255.0;
  c->g = (hexval(s[3]) * 16 + hexval(s[4])) / 255.0;
  c->b = (hexval(s[5]) * 16 + hexval(s[6])) / 255.0;
  return s + 7;
}

static void set_colour(xmlNode *n, const char *attr, sb_color *dst) {
  xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
  if (!v) return;
  parse_colour((const char *)v, dst);
  xmlFree(v);
}

/* 1 / 0 for the attribute's two values, -1 when absent. */
static int choice(xmlNode *n, const char *attr, const char *one) {
  xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
  if (!v) return -1;
  int r = strcmp((const char *)v, one) == 0 ||
          strcmp((const char *)v, "1") == 0;
  xmlFree(v);
  return r;
}

static void set_flag(xmlNode *n, const char *attr, const char *one, int *dst) {
  int v = choice(n, attr, one);
  if (v >= 0) *dst = v;
}

/* ==== Files: fonts and logo ==== */

static int is_file(const char *p) {
  struct stat sb;
  return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The path of file: absolute as given, else in the style's folder, else in
** DATADIR/fonts/ (fonts only). Owned, absolute when found; NULL if none. */
static char *find_file(walker *w, const char *file, int font) {
  char buf[PATH_MAX + 64];
  char real[PATH_MAX];
  if (file[0] == '/')
    snprintf(buf, sizeof buf, "%s", file);
  else
    snprintf(buf, sizeof buf, "%s/%s", w->dir, file);
  if (!is_file(buf) && font && file[0] != '/')
    snprintf(buf, sizeof buf, "%s/fonts/%s", w->datadir, file);
  if (!is_file(buf)) return NULL;
  return sb_xstrdup(realpath(buf, real) ? real : buf);
}

/* Checks the first bytes of a font file: TrueType outlines only. */
static const char *font_kind_error(const char *path) {
  unsigned char b[4] = {0};
  FILE *f = fopen(path, "rb");
  if (!f) return "cannot be opened";
  size_t n = fread(b, 1, 4, f);
  fclose(f);
  if (n == 4 && ((b[0] == 0 && b[1] == 1 && b[2] == 0 && b[3] == 0) ||
                 memcmp(b, "true", 4) == 0))
    return NULL;
  if (n == 4 && memcmp(b, "OTTO", 4) == 0)
    return "is OpenType with CFF outlines, not TrueType (libharu embeds "
           "TrueType only; use a .ttf with glyf outlines)";
  if (n == 4 && memcmp(b, "ttcf", 4) == 0)
    return "is a font collection (.ttc); name a single TrueType .ttf";
  return "is not a TrueType font";
}

static void fonts(walker *w, xmlNode *n) {
  static const char *const slot[SB_FONT_COUNT] = {"regular", "bold",
                                                  "italic"};
  long line = xmlGetLineNo(n);
  for (int i = 0; i < SB_FONT_COUNT; i++) {
    xmlChar *v = xmlGetProp(n, (const xmlChar *)slot[i]);
    if (!v) continue;
    if (!w->dir) { /* built in: resolved against the data folder later */
      w->o->st.font_file[i] = sb_sty_own(w->o, sb_xstrdup((char *)v));
      xmlFree(v);
      continue;
    }
    char *path = find_file(w, (const char *)v, 1);
    if (!path) {
      werr(w, SB_E_FONT, line,
           "%s font '%s' not found (looked in %s/ and %s/fonts/)", slot[i],
           (const char *)v, w->dir, w->datadir);
    } else {
      const char *why = font_kind_error(path);
      if (why)
        werr(w, SB_E_FONT, line, "%s font '%s' %s", slot[i],
             (const char *)v, why);
      w->o->st.font_file[i] = sb_sty_own(w->o, path);
    }
    xmlFree(v);
  }
}

int sb_sty_png_size(const unsigned char *p, size_t n, int *wd, int *ht) {
  static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a,
                                       '\n'};
  if (n < 33 || memcmp(p, sig, 8) != 0 || memcmp(p + 12, "IHDR", 4) != 0)
    return 0;
  unsigned long W = (unsigned long)p[16] << 24 | (unsigned long)p[17] << 16 |
                    (unsigned long)p[18] << 8 | p[19];
  unsigned long H = (unsigned long)p[20] << 24 | (unsigned long)p[21] << 16 |
                    (unsigned long)p[22] << 8 | p[23];
  if (W == 0 || H == 0 || W > 20000 || H > 20000) return 0;
  *wd = (int)W;
  *ht = (int)H;
  return 1;
}

static void logo(walker *w, xmlNode *n) {
  long line = xmlGetLineNo(n);
  xmlChar *v = xmlGetProp(n, (const xmlChar *)"file");
  if (!v) return;
  sb_style *st = &w->o->st;
  free(w->o->logo);
  w->o->logo = NULL;
  st->logo_png = NULL;
  st->logo_len = 0;
  st->logo_file = NULL;
  if (!w->dir) {
    size_t len;
    const unsigned char *p = sb_sty_embedded((const char *)v, &len);
    if (p) {
      w->o->logo = sb_xmalloc(len);
      memcpy(w->o->logo, p, len);
      st->logo_len = len;
    } else {
      werr(w, SB_E_STYLE, line, "no embedded logo '%s'", (const char *)v);
    }
  } else {
    char *path = find_file(w, (const char *)v, 0);
    if (!path) {
      werr(w, SB_E_STYLE, line, "logo '%s' not found (looked in %s/)",
           (const char *)v, w->dir);
    } else {
      char *data = NULL;
      size_t len = 0;
      size_t cap = w->ctx->limits.file_bytes;
      sb_ctx tmp; /* keep sb_read_file's message as our diagnostic */
      sb_ctx_init(&tmp);
      tmp.quiet = 1;
      if (sb_read_file(&tmp, path, cap, &data, &len) != SB_OK)
        werr(w, tmp.status == SB_E_LIMIT ? SB_E_LIMIT : SB_E_STYLE, line,
             "logo: %s", tmp.errmsg);
      else
        w->o->logo = (unsigned char *)data;
      st->logo_len = data ? len : 0;
      sb_ctx_free(&tmp);
      st->logo_file = sb_sty_own(w->o, path);
    }
  }
  if (w->o->logo) {
    st->logo_png = w->o->logo;
    if (!sb_sty_png_size(st->logo_png, st->logo_len, &st->logo_px_w,
                         &st->logo_px_h)) {
      werr(w, SB_E_STYLE, line, "logo '%s' is not a PNG image",
           (const char *)v);
      st->logo_png = NULL;
      st->logo_len = 0;
    }
  }
  xmlFree(v);
  double lw = length(n, "width");
  st->logo_w = lw > 0 ? lw : 36 * 72.0 / 25.4;
}

/* ==== The walk ==== */

static const struct {
  const char *name;
  double w, h;
} page_sizes[] = {{"A4", 595.28, 841.89}, {"A5", 419.53, 595.28},
                  {"A3", 841.89, 1190.55}, {"Letter", 612, 792},
                  {"Legal", 612, 1008}};

static void page(walker *w, xmlNode *n) {
  sb_style *st = &w->o->st;
  xmlChar *sz = xmlGetProp(n, (const xmlChar *)"size");
  double wd = length(n, "width"), ht = length(n, "height");
  long line = xmlGetLineNo(n);
  if (sz) {
    if (wd >= 0 || ht >= 0)
      werr(w, SB_E_STYLE, line, "<page>: give size, or width and height, "
           "not both");
    for (size_t i = 0; i < sizeof page_sizes / sizeof page_sizes[0]; i++)
      if (strcmp((const char *)sz, page_sizes[i].name) == 0) {
        st->page_w = page_sizes[i].w;
        st->page_h = page_sizes[i].h;
      }
    xmlFree(sz);
    return;
  }
  if ((wd >= 0) != (ht >= 0)) {
    werr(w, SB_E_STYLE, line, "<page>: a custom page needs both width and "
         "height");
    return;
  }
  if (wd >= 0) {
    /* page_w/page_h are the portrait page; orientation turns it */
    st->page_w = wd < ht ? wd : ht;
    st->page_h = wd < ht ? ht : wd;
  }
}

static void orientation(walker *w, xmlNode *n) {
  sb_style *st = &w->o->st;
  set_flag(n, "handbook", "landscape", &st->handbook_landscape);
  set_flag(n, "sheet", "landscape", &st->sheet_landscape);
  set_flag(n, "profile", "landscape", &st->profile_landscape);
}

static void sizes(walker *w, xmlNode *n) {
  sb_style *st = &w->o->st;
  set_len(n, "body", &st->size_body);
  set_len(n, "small", &st->size_small);
  set_len(n, "tiny", &st->size_tiny);
  set_len(n, "title", &st->size_title);
  set_len(n, "h1", &st->size_h1);
  set_len(n, "h2", &st->size_h2);
  set_len(n, "h3", &st->size_h3);
  set_len(n, "cell-padding", &st->cell_pad);
  xmlChar *v = xmlGetProp(n, (const xmlChar *)"leading");
  if (v) {
    st->leading = strtod((const char *)v, NULL);
    xmlFree(v);
  }
  double *chk[] = {&st->size_body, &st->size_small, &st->size_tiny,
                   &st->size_title, &st->size_h1, &st->size_h2, &st->size_h3};
  static const char *const nm[] = {"body", "small", "tiny", "title", "h1",
                                   "h2", "h3"};
  for (int i = 0; i < 7; i++)
    if (*chk[i] < 4 || *chk[i] > 96)
      werr(w, SB_E_STYLE, xmlGetLineNo(n), "<sizes>: %s is %.1fpt (expected "
           "4pt to 96pt)", nm[i], *chk[i]);
  if (st->cell_pad > 36)
    werr(w, SB_E_STYLE, xmlGetLineNo(n), "<sizes>: cell-padding is %.1fpt "
         "(expected at most 36pt)", st->cell_pad);
}

static void colours(walker *w, xmlNode *n) {
  sb_style *st = &w->o->st;
  set_colour(n, "text", &st->text);
  set_colour(n, "muted", &st->muted);
  set_colour(n, "accent", &st->accent);
  set_colour(n, "rule", &st->rule);
  set_colour(n, "band", &st->band);
  set_colour(n, "header-fill", &st->header_fill);
  set_colour(n, "header-text", &st->header_text);
  set_flag(n, "greyscale", "true", &st->greyscale);
}

static void lines(walker *w, xmlNode *n) {
  sb_style *st = &w->o->st;
  set_len(n, "rule", &st->rule_width);
  set_len(n, "table", &st->table_rule_width);
  if (st->rule_width > 6 || st->table_rule_width > 6)
    werr(w, SB_E_STYLE, xmlGetLineNo(n), "<lines>: widths are at most 6pt");
}

static void chart(walker *w, xmlNode *n) {
  sb_style *st = &w->o->st;
  xmlChar *v = xmlGetProp(n, (const xmlChar *)"palette");
  if (v) {
    const char *p = (const char *)v;
    for (int i = 0; i < 4; i++) p = parse_colour(p, &st->chart[i]);
    xmlFree(v);
  }
  set_len(n, "hatch", &st->chart_hatch);
  if (st->chart_hatch > 0 && (st->chart_hatch < 1 || st->chart_hatch > 20))
    werr(w, SB_E_STYLE, xmlGetLineNo(n), "<chart>: hatch is %.1fpt "
         "(expected 1pt to 20pt)", st->chart_hatch);
}

static void footer(walker *w, xmlNode *n) {
  xmlChar *v = xmlGetProp(n, (const xmlChar *)"text");
  if (!v) return;
  size_t k = sb_xml_collapse((char *)v);
  w->o->st.footer_text = k ? sb_sty_own(w->o, sb_xstrdup((char *)v)) : NULL;
  xmlFree(v);
}

/* The page must leave room for text: at least 2 inches by 2 inches
** inside the margins, in every orientation the style uses. */
static void check_page(walker *w, long line) {
  const sb_style *st = &w->o->st;
  const double min = 144;
  if (st->page_w < 144 || st->page_h < 144 || st->page_h > 14400)
    werr(w, SB_E_STYLE, line, "impossible page: %.0fmm x %.0fmm (expected "
         "51mm to 5080mm a side)", st->page_w * 25.4 / 72,
         st->page_h * 25.4 / 72);
  double narrow = st->page_w, tall = st->page_h;
  int any_landscape = st->handbook_landscape || st->sheet_landscape ||
                      st->profile_landscape;
  double cw = narrow - st->margin_left - st->margin_right;
  double ch = (any_landscape ? narrow : tall) - st->margin_top -
              st->margin_bottom;
  if (cw < min)
    werr(w, SB_E_STYLE, line, "impossible page: margins left %.1fmm + right "
         "%.1fmm leave %.1fmm of a %.1fmm wide page (at least 51mm needed)",
         st->margin_left * 25.4 / 72, st->margin_right * 25.4 / 72,
         cw * 25.4 / 72, narrow * 25.4 / 72);
  if (ch < min)
    werr(w, SB_E_STYLE, line, "impossible page: margins top %.1fmm + bottom "
         "%.1fmm leave %.1fmm of a %.1fmm high page (at least 51mm needed)",
         st->margin_top * 25.4 / 72, st->margin_bottom * 25.4 / 72,
         ch * 25.4 / 72, (any_landscape ? narrow : tall) * 25.4 / 72);
  if (st->logo_png && st->logo_w > cw)
    werr(w, SB_E_STYLE, line, "<logo>: width %.1fmm is wider than the text "
         "column (%.1fmm)", st->logo_w * 25.4 / 72, cw * 25.4 / 72);
}

static int is_ours(xmlNode *n, const char *name) {
  return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
         strcmp((const char *)n->ns->href, SB_STYLE_NS) == 0 &&
         strcmp((const char *)n->name, name) == 0;
}

sb_status sb_sty_parse(sb_ctx *ctx, const char *name, const char *data,
                       size_t len, const char *dir, const char *datadir,
                       int depth, sb_style_owned **out) {
  *out = NULL;
  xmlDoc *doc = NULL;
  sb_status s = sb_xml_parse(ctx, name, data, len, &doc);
  if (s) return s == SB_E_LIMIT ? s : SB_E_STYLE;
  xmlNode *root = xmlDocGetRootElement(doc);
  if (!is_ours(root, "style")) {
    sb_diag_add(ctx, SB_SEV_ERROR, SB_E_STYLE, name, xmlGetLineNo(root), 0,
                "not a style file (expected root element <style xmlns=\""
                SB_STYLE_NS "\">)");
    xmlFreeDoc(doc);
    return SB_E_STYLE;
  }
  s = sb_xml_validate(ctx, name, doc, sb_style_xsd);
  if (s) {
    xmlFreeDoc(doc);
    return s == SB_E_SCHEMA ? SB_E_STYLE : s;
  }
  walker w = {ctx, name, dir, datadir, NULL, SB_OK};
  xmlChar *base = xmlGetProp(root, (const xmlChar *)"based-on");
  xmlChar *nm = xmlGetProp(root, (const xmlChar *)"name");
  const sb_style *from;
  if (base)
    from = sb_sty_builtin_depth((const char *)base, depth);
  else if (!dir && nm && strcmp((const char *)nm, "default") == 0)
    from = sb_sty_seed();
  else
    from = sb_sty_builtin_depth("default", depth);
  if (!from) {
    werr(&w, SB_E_STYLE, xmlGetLineNo(root), "based-on '%s' is not a "
         "built-in style (default, letter, ink-saver, branded)",
         base ? (const char *)base : "default");
    xmlFree(base);
    xmlFree(nm);
    xmlFreeDoc(doc);
    return SB_E_STYLE;
  }
  w.o = sb_sty_copy(from);
  xmlFree(base);
  /* a style file is not the built-in it is based on: its own name, else
  ** the file name */
  sb_style_owned *o = w.o;
  o->st.name = sb_sty_own(o, sb_xstrdup(nm ? (const char *)nm : name));
  xmlFree(nm);
  if (dir) o->st.file = sb_sty_own(o, sb_xstrdup(name));
  /* fonts inherited from a built-in stay names in DATADIR/fonts/ */
  long page_line = xmlGetLineNo(root); /* where the page is (last) set */
  for (xmlNode *n = root->children; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    const char *e = (const char *)n->name;
    if (strcmp(e, "page") == 0 || strcmp(e, "margins") == 0 ||
        strcmp(e, "logo") == 0)
      page_line = xmlGetLineNo(n);
    if (strcmp(e, "page") == 0) page(&w, n);
    else if (strcmp(e, "orientation") == 0) orientation(&w, n);
    else if (strcmp(e, "margins") == 0) {
      set_len(n, "top", &o->st.margin_top);
      set_len(n, "bottom", &o->st.margin_bottom);
      set_len(n, "left", &o->st.margin_left);
      set_len(n, "right", &o->st.margin_right);
    }
    else if (strcmp(e, "fonts") == 0) fonts(&w, n);
    else if (strcmp(e, "sizes") == 0) sizes(&w, n);
    else if (strcmp(e, "colours") == 0) colours(&w, n);
    else if (strcmp(e, "lines") == 0) lines(&w, n);
    else if (strcmp(e, "chart") == 0) chart(&w, n);
    else if (strcmp(e, "logo") == 0) logo(&w, n);
    else if (strcmp(e, "footer") == 0) footer(&w, n);
    else werr(&w, SB_E_STYLE, xmlGetLineNo(n), "unknown key <%s>", e);
  }
  check_page(&w, page_line);
  xmlFreeDoc(doc);
  if (w.first) {
    sb_drop_style(&o->st);
    return w.first;
  }
  *out = o;
  return SB_OK;
}
