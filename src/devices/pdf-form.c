/*
** devices/pdf-form.c -- the form of a fillable PDF (docs/forms.md): the
** AcroForm, its fields and their widget annotations.
**
** The display list's SB_OP_FIELD ops (dlist.h) are recorded while pages
** are drawn; when the document is closed (every page exists) each becomes
** a widget annotation on its page, with the print flag (/F 4, PDF/A), /P,
** /Rect, /T, /TU and a normal appearance (/AP /N), and the AcroForm lists
** the fields, with /DR (the font typed answers use) and /DA. No
** /NeedAppearances (PDF/A forbids it): every widget has its appearance.
**
**   text (one line, or multi-line: /Ff 4096): one dict, field and widget;
**     /V the printed value, its appearance /Tx BMC ... EMC;
**   radio (/Ff NoToggleToOff | Radio): the group is every op of one name,
**     a parent field with /Kids (the buttons, widgets) and /V /Off; each
**     button /AS /Off and /AP /N << /STATE on /Off off >>: on draws a tick
**     inside the box, Off nothing, so a blank form prints as the plain
**     sheet does.
**
** A text field that starts with a value (a pack's name, reviewer, date):
** the layout puts the text ops that print it right after the field op,
** inside its box; they are written into the widget's appearance instead
** of the page (pdf-content.c, with the page's fonts and coordinates), so
** the page looks the same, and the value goes when someone types over it.
** Every appearance's /BBox is [0 0 w h] (qpdf's --generate-appearances
** places text as if it were), so a value's operators, in page
** coordinates, are moved by a cm of the box's corner.
** Everything reaches libharu through pdf-haru.h.
** Tests: tests/cli/fillable.sh
*/
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/pdf-imp.h"

/* Field flags (PDF 32000-1, 12.7.4) */
#define FF_MULTILINE (1L << 12)
#define FF_NO_TOGGLE_OFF (1L << 14)
#define FF_RADIO (1L << 15)

typedef struct form_field {
  int page;
  double rect[4];        /* left, bottom, right, top: PDF coordinates */
  int type;              /* sb_field_type */
  const char *name, *state, *value, *tip;
  int font;
  double size;
  sb_buf ap;             /* a value's operators (captured text ops) */
  const char *fname[SB_FONT_COUNT]; /* their font resources */
  sb_haru_obj *widget;
  sb_haru_obj *group, *kids; /* radio: the group's field (first button) */
  int parent;            /* radio: the index of the group's first button */
} form_field;

struct pdf_form {
  form_field *f;
  int nf;
  size_t capf;
  int capturing;         /* field whose value's text ops follow, -1 none */
  pdf_content ap;        /* their operators */
};

pdf_form *sb_pdf_form_new(void) {
  pdf_form *fm = sb_xcalloc(1, sizeof *fm);
  fm->capturing = -1;
  sb_buf_init(&fm->ap.cs);
  return fm;
}

void sb_pdf_form_free(pdf_form *fm) {
  if (!fm) return;
  for (int i = 0; i < fm->nf; i++) sb_buf_free(&fm->f[i].ap);
  free(fm->f);
  sb_buf_free(&fm->ap.cs);
  free(fm);
}

int sb_pdf_form_count(const pdf_form *fm) { return fm ? fm->nf : 0; }

/* ==== While pages are drawn ==== */

static void end_capture(pdf_form *fm) {
  form_field *f;
  if (fm->capturing < 0) return;
  f = &fm->f[fm->capturing];
  sb_pdf_content_end(&fm->ap);
  sb_buf_add(&f->ap, fm->ap.cs.p, fm->ap.cs.n);
  memcpy(f->fname, fm->ap.fname, sizeof f->fname);
  fm->ap.cs.n = 0;
  fm->capturing = -1;
}

/* Whether a text op's start lies in the field's box (PDF coordinates). */
static int inside(const form_field *f, const sb_op *op, double page_h) {
  double x = op->u.text.x, y = page_h - op->u.text.y;
  return x >= f->rect[0] && x < f->rect[2] && y >= f->rect[1] &&
         y <= f->rect[3];
}

int sb_pdf_form_op(pdf_form *fm, pdf_content *c, int page, const sb_op *op) {
  form_field *f;

  if (fm->capturing >= 0) {
    if (op->kind == SB_OP_TEXT &&
        inside(&fm->f[fm->capturing], op, c->page_h)) {
      sb_pdf_content_op(&fm->ap, op);
      return 1;
    }
    end_capture(fm);
  }
  if (op->kind != SB_OP_FIELD) return 0;
  /* (one record per op, counted in int like every list of the device) */
  if (SB_GROW(fm->f, fm->nf, fm->capf, 64, INT_MAX) != SB_OK) return 1;
  f = &fm->f[fm->nf++];
  memset(f, 0, sizeof *f);
  sb_buf_init(&f->ap);
  f->page = page;
  f->rect[0] = op->u.field.x;
  f->rect[1] = c->page_h - (op->u.field.y + op->u.field.h);
  f->rect[2] = op->u.field.x + op->u.field.w;
  f->rect[3] = c->page_h - op->u.field.y;
  f->type = op->u.field.type;
  f->name = op->u.field.name ? op->u.field.name : "sb:_:_:_";
  f->state = op->u.field.state ? op->u.field.state : "on";
  f->value = op->u.field.value;
  f->tip = op->u.field.tip;
  f->font = op->u.field.font;
  f->size = op->u.field.size;
  f->parent = -1;
  if (f->type != SB_FIELD_RADIO && f->value) {
    fm->capturing = fm->nf - 1;
    fm->ap.doc = c->doc;
    fm->ap.font = c->font;
    fm->ap.cs.n = 0;
    sb_pdf_content_page(&fm->ap, c->page_h);
  }
  return 1;
}

void sb_pdf_form_end_page(pdf_form *fm) { end_capture(fm); }

/* ==== The objects (when the document is closed) ==== */

/* v to 3 decimals, trailing zeros dropped. */
static void put_num(sb_buf *b, double v) {
  char t[40];
  int n = snprintf(t, sizeof t, "%.3f", v);
  while (n > 1 && t[n - 1] == '0') n--;
  if (t[n - 1] == '.') n--;
  t[n] = 0;
  if (strcmp(t, "-0") == 0) strcpy(t, "0");
  sb_buf_adds(b, t);
}

static sb_haru_obj *rect_array(sb_haru *h, const double r[4]) {
  sb_haru_obj *a = sb_haru_array(h);
  for (int i = 0; a && i < 4; i++) sb_haru_push_real(a, r[i]);
  return a;
}

/* A form XObject of content b with /BBox r and, when font is set,
** /Resources with f's fonts. */
static sb_haru_obj *appearance(sb_haru *h, const sb_buf *b, const double r[4],
                               const form_field *f, const pdf_font *font) {
  sb_haru_obj *s = sb_haru_stream(h, b->p, b->n), *res, *fonts;
  if (!s) return NULL;
  sb_haru_put_name(s, "Type", "XObject");
  sb_haru_put_name(s, "Subtype", "Form");
  sb_haru_put(s, "BBox", rect_array(h, r));
  res = sb_haru_dict(h, 0);
  if (!res || sb_haru_put(s, "Resources", res) != 0) return NULL;
  if (f && font) {
    fonts = NULL;
    for (int i = 0; i < SB_FONT_COUNT; i++) {
      if (!f->fname[i] || !font[i].dict) continue;
      if (!fonts) {
        fonts = sb_haru_dict(h, 0);
        if (!fonts || sb_haru_put(res, "Font", fonts) != 0) return NULL;
      }
      sb_haru_put(fonts, f->fname[i], font[i].dict);
    }
  }
  return s;
}

/* The tick of a button's on state, in a box of w x h (its /BBox). */
static void tick_ops(sb_buf *b, double w, double h) {
  double lw = w * 0.12;
  sb_buf_adds(b, "q 0 g 0 G ");
  put_num(b, lw);
  sb_buf_adds(b, " w 1 J 1 j ");
  put_num(b, w * 0.2), sb_buf_addc(b, ' '), put_num(b, h * 0.52);
  sb_buf_adds(b, " m ");
  put_num(b, w * 0.42), sb_buf_addc(b, ' '), put_num(b, h * 0.26);
  sb_buf_adds(b, " l ");
  put_num(b, w * 0.8), sb_buf_addc(b, ' '), put_num(b, h * 0.8);
  sb_buf_adds(b, " l S Q\n");
}

/* dict /DA: the font typed answers use, at the field's size. */
static void put_da(sb_haru *h, sb_haru_obj *d, const char *dr_name,
                   double size) {
  sb_buf b;
  sb_buf_init(&b);
  sb_buf_printf(&b, "/%s ", dr_name);
  put_num(&b, size > 0 ? size : 0);
  sb_buf_adds(&b, " Tf 0 g");
  sb_haru_put_str(h, d, "DA", b.p);
  sb_buf_free(&b);
}

/* The common part of every widget. */
static sb_haru_obj *widget(sb_haru *h, const form_field *f) {
  sb_haru_obj *w = sb_haru_dict(h, 1);
  if (!w) return NULL;
  sb_haru_put_name(w, "Type", "Annot");
  sb_haru_put_name(w, "Subtype", "Widget");
  sb_haru_put_int(w, "F", 4); /* Print (PDF/A: printed as shown) */
  sb_haru_put(w, "P", sb_haru_page_dict(h, f->page));
  sb_haru_put(w, "Rect", rect_array(h, f->rect));
  return w;
}

/* The common tip of a radio group's buttons: the first button's up to its
** last ": " (the buttons' tips are "Skill: Question: choice"). */
static const char *group_tip(sb_buf *b, const char *tip) {
  const char *end;
  b->n = 0;
  if (!tip) return "";
  end = tip + strlen(tip);
  for (const char *p = tip; *p; p++)
    if (p[0] == ':' && p[1] == ' ') end = p;
  sb_buf_add(b, tip, (size_t)(end - tip));
  sb_buf_addc(b, 0);
  return b->p;
}

/* Radio groups: a button's parent is the first button of its name (a
** book holds tens of thousands: an open-addressing table of names). */
static void group_buttons(pdf_form *fm) {
  size_t cap = 64, mask, j;
  int *slot, i;

  while (cap < 2 * (size_t)fm->nf)
    cap *= 2;
  mask = cap - 1;
  slot = sb_xmalloc(cap * sizeof *slot);
  for (j = 0; j < cap; j++)
    slot[j] = -1;
  for (i = 0; i < fm->nf; i++) {
    form_field *f = &fm->f[i];
    if (f->type != SB_FIELD_RADIO)
      continue;
    j = (size_t)sb_hash_fnv1a(f->name, strlen(f->name), SB_FNV1A_BASIS) & mask;
    while (slot[j] >= 0 && strcmp(fm->f[slot[j]].name, f->name) != 0)
      j = (j + 1) & mask;
    if (slot[j] < 0)
      slot[j] = i;
    f->parent = slot[j];
  }
  free(slot);
}

sb_status sb_pdf_form_finish(sb_ctx *ctx, pdf_form *fm, sb_haru *h,
                             const pdf_font *font, const pdf_form_font *dr,
                             pdf_tags *tags) {
  sb_haru_obj *form, *fields, *res, *fonts, *off = NULL, *on = NULL;
  double on_w = -1, on_h = -1;
  sb_buf b;
  int i;

  end_capture(fm);
  if (fm->nf == 0) return SB_OK;
  form = sb_haru_dict(h, 0);
  fields = sb_haru_array(h);
  res = sb_haru_dict(h, 0);
  fonts = sb_haru_dict(h, 0);
  if (!form || !fields || !res || !fonts ||
      sb_haru_put(sb_haru_catalog(h), "AcroForm", form) != 0)
    return sb_haru_check(ctx, h) ? ctx->status
                                 : sb_fail(ctx, SB_E_PDF, "no AcroForm");
  sb_haru_put(form, "Fields", fields);
  sb_haru_put(form, "DR", res);
  sb_haru_put(res, "Font", fonts);
  if (dr && dr->dict) sb_haru_put(fonts, dr->name, dr->dict);
  put_da(h, form, dr ? dr->name : "Helv", 0);
  sb_buf_init(&b);
  group_buttons(fm);
  for (i = 0; i < fm->nf; i++) {
    form_field *f = &fm->f[i];
    sb_haru_obj *w, *ap, *n, *s;
    if (!sb_haru_page_dict(h, f->page)) continue;
    if (f->type == SB_FIELD_RADIO) {
      double bw = f->rect[2] - f->rect[0], bh = f->rect[3] - f->rect[1];
      double box[4] = {0, 0, bw, bh};
      form_field *g = &fm->f[f->parent];
      if (f->parent == i) { /* the group's field: a parent of widgets */
        g->group = sb_haru_dict(h, 1);
        g->kids = sb_haru_array(h);
        if (!g->group || !g->kids) break;
        sb_haru_put_name(g->group, "FT", "Btn");
        sb_haru_put_int(g->group, "Ff", FF_RADIO | FF_NO_TOGGLE_OFF);
        sb_haru_put_str(h, g->group, "T", f->name);
        sb_haru_put_text(h, g->group, "TU", group_tip(&b, f->tip));
        sb_haru_put_name(g->group, "V", "Off");
        sb_haru_put(g->group, "Kids", g->kids);
        sb_haru_push(fields, g->group);
      }
      w = widget(h, f);
      if (!w || !g->group) break;
      sb_haru_put(w, "Parent", g->group);
      sb_haru_push(g->kids, w);
      if (!off || bw != on_w || bh != on_h) {
        b.n = 0;
        if (!off) off = appearance(h, &b, box, NULL, NULL);
        tick_ops(&b, bw, bh);
        on = appearance(h, &b, box, NULL, NULL);
        on_w = bw, on_h = bh;
      }
      ap = sb_haru_dict(h, 0);
      n = sb_haru_dict(h, 0);
      if (!ap || !n || !on || !off) break;
      sb_haru_put(n, f->state, on);
      sb_haru_put(n, "Off", off);
      sb_haru_put(ap, "N", n);
      sb_haru_put(w, "AP", ap);
      sb_haru_put_name(w, "AS", "Off");
      sb_haru_put_text(h, w, "TU", f->tip ? f->tip : "");
      f->widget = w;
    } else {
      w = widget(h, f);
      if (!w) break;
      sb_haru_put_name(w, "FT", "Tx");
      if (f->type == SB_FIELD_MULTILINE)
        sb_haru_put_int(w, "Ff", FF_MULTILINE);
      sb_haru_put_str(h, w, "T", f->name);
      sb_haru_put_text(h, w, "TU", f->tip ? f->tip : "");
      put_da(h, w, dr ? dr->name : "Helv", f->size);
      if (f->value) sb_haru_put_text(h, w, "V", f->value);
      double box[4] = {0, 0, f->rect[2] - f->rect[0], f->rect[3] - f->rect[1]};
      b.n = 0;
      sb_buf_adds(&b, "/Tx BMC\n");
      if (f->ap.n > 0) { /* the page's operators, moved to the box */
        sb_buf_adds(&b, "q 1 0 0 1 ");
        put_num(&b, -f->rect[0]);
        sb_buf_addc(&b, ' ');
        put_num(&b, -f->rect[1]);
        sb_buf_adds(&b, " cm\n");
        sb_buf_add(&b, f->ap.p, f->ap.n);
        sb_buf_adds(&b, "Q\n");
      }
      sb_buf_adds(&b, "EMC\n");
      s = appearance(h, &b, box, f, font);
      ap = sb_haru_dict(h, 0);
      if (!s || !ap) break;
      sb_haru_put(ap, "N", s);
      sb_haru_put(w, "AP", ap);
      sb_haru_push(fields, w);
      f->widget = w;
    }
    sb_haru_page_annot(h, f->page, w);
    if (tags)
      sb_pdf_tags_field(tags, i, w);
  }
  sb_buf_free(&b);
  if (i < fm->nf)
    return sb_haru_check(ctx, h) ? ctx->status
                                 : sb_fail(ctx, SB_E_PDF, "no form field");
  return sb_haru_check(ctx, h);
}
