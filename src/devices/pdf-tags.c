/*
** devices/pdf-tags.c -- the tagged PDF: marked content and the structure
** tree (PDF/UA-1, PDF/A-2a; docs/pdfa-pdfua.md).
**
** While pages are drawn, the display list's structure marks (dlist.h)
** open and close elements on a stack that lives across pages, under one
** Document root. Every content op is wrapped in marked content: inside an
** artifact mark, or a graphic (rule, band, grid line, logo) outside a
** Figure, as /Artifact; anything else as "/Tag <</MCID n>> BDC" owned by
** the innermost open element (text with no element open, or directly in a
** grouping element such as a table row, gets a P of its own). Consecutive
** ops of one owner and one language share one sequence: text in another
** language than the document's (sb_op.u.text.lang, printed labels under
** --lang) starts its own, with /Lang in its property list, and an element
** all of whose content is in that language gets /Lang itself. A link op
** is owned by the Link
** element around it (one is made when there is none) as an OBJR.
** When the document is closed (after the link annotations exist) the tree
** becomes objects through pdf-haru.h: StructTreeRoot, one StructElem per
** element that holds content (empty ones are left out, but table cells),
** /K in reading order (the display list's order), /Pg, MCRs for content
** on another page than the element's first, /Alt and a /BBox for figures,
** /Scope for TH, the ParentTree (key = page index for each page's MCIDs,
** then one key per link annotation), /StructParents and /Tabs /S on every
** page, and /StructParent and /Contents on every link annotation.
** Tests: tests/cli/pdfua.sh (tests/pdfua_check.py)
*/
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/pdf-imp.h"

enum { KID_ELEM, KID_MCID, KID_OBJR };

typedef struct tag_kid {
  int kind;  /* KID_* */
  int page;  /* MCID, OBJR: the page */
  int v;     /* element index, MCID, or annotation index */
} tag_kid;

#define TAG_TEXT 160

typedef struct tag_elem {
  sb_struct what;
  int level;
  const char *alt;
  int parent;       /* -1 for the Document */
  int page;         /* first page with its content, -1 none yet */
  int auto_p;       /* a P the device made for loose text */
  tag_kid *kids;
  int nkids;
  size_t capkids;
  double bbox[4];   /* figures: left, bottom, right, top (PDF) */
  int has_bbox;
  char *text;       /* links: the start of their text (/Contents), at
                       most TAG_TEXT bytes with the NUL; NULL until the
                       first words (on the heap: one element in thirty is
                       a link, and an inline buffer made every element
                       five times bigger) */
  size_t ntext;
  int keep;         /* written (holds content, or a table part) */
  int langs;        /* its content's languages: 0 none yet, 1 all lang,
                       2 mixed */
  const char *lang; /* langs 1: the language of all of it (NULL: the
                       document's); /Lang when not NULL */
  const char *alt_lang; /* a figure: its /Alt's language when not the
                           document's (then its /Lang) */
  sb_haru_obj *obj;
  struct pdf_tags *t;
} tag_elem;

/* A written element's entries, made by write_elem when the tree is
** finished (every object number is known then) into pdf_tags.bodies, and
** copied by its lazy dict when the file is written: the tree itself is
** freed before that (issue #18: for xl.xml's r01 handbook the 21,881
** elements and their kids were 7 MB at the save, their entries 3 MB). */
typedef struct tag_body {
  sb_haru_lazy lz;     /* writes it (write_body) */
  const char *p;       /* its bytes, in a body_block */
  size_t n;
} tag_body;

/* Blocks of 64 KB holding the bodies back to back (a longer body has a
** block of its own): nothing is moved as they are added. */
typedef struct body_block {
  struct body_block *next;
  size_t n, cap;
  char p[];
} body_block;

#define BODY_BLOCK ((size_t)64 << 10)

typedef struct tag_annot {
  int page, elem;
  sb_haru_obj *obj;
  int to;           /* target page, for a /Contents with no text */
  int field;        /* a form field's widget (its /TU names it) */
} tag_annot;

/* The Form element of a form field's widget (PDF/UA: every widget in a
** Form element); not one of the display list's sb_struct. */
#define TAG_FORM SB_STRUCT_COUNT

struct pdf_tags {
  tag_elem *e;
  int ne;
  size_t cape;
  int *stack;       /* open elements; stack[0] = 0, the Document */
  int depth;
  size_t capstack;
  int artifact;     /* open marks inside an artifact (> 0: in one) */
  int artifact_kind;
  int figure;       /* open Figure elements */
  int lbl;          /* open Lbl elements (a list item's drawn marker is
                       its content, not an artifact) */
  int page;         /* page being drawn, -1 between pages */
  int npages;
  int **owner;      /* owner[page][mcid]: element */
  int *nmcid;
  size_t *capmcid;
  int span;         /* open sequence: element, -2 artifact, -1 none */
  const char *span_lang; /* the open sequence's language (NULL: the
                            document's) */
  int loose;        /* the element made for loose text since the last mark */
  tag_annot *an;
  int nan;
  size_t capan;
  int *link_at, *field_at; /* the device's link i / field i: its record */
  int nlinks, nfields;
  size_t caplinks, capfields;
  const char *lang; /* the document's language (sb_docinfo.lang) */
  sb_haru *h;       /* when the tree is written */
  long root_num;    /* the StructTreeRoot's object number */
  tag_body *body;   /* per element, from sb_pdf_tags_finish on (set
                       for the written ones only) */
  body_block *blocks; /* their bytes, newest first */
};

pdf_tags *sb_pdf_tags_new(int npages, const char *lang) {
  pdf_tags *t = sb_xcalloc(1, sizeof *t);
  int n = npages > 0 ? npages : 1;

  t->npages = npages;
  t->lang = lang;
  t->owner = sb_xcalloc((size_t)n, sizeof *t->owner);
  t->nmcid = sb_xcalloc((size_t)n, sizeof *t->nmcid);
  t->capmcid = sb_xcalloc((size_t)n, sizeof *t->capmcid);
  t->page = -1;
  t->span = -1;
  t->loose = -1;
  return t;
}

/* Frees the tree (everything but the bodies its lazy dicts write). */
static void free_tree(pdf_tags *t) {
  int i;

  for (i = 0; i < t->ne; i++) {
    free(t->e[i].kids);
    free(t->e[i].text);
  }
  free(t->e);
  for (i = 0; i < t->npages; i++)
    free(t->owner[i]);
  free(t->owner);
  free(t->nmcid);
  free(t->capmcid);
  free(t->stack);
  free(t->an);
  free(t->link_at);
  free(t->field_at);
  t->e = NULL;
  t->ne = 0;
  t->owner = NULL;
  t->nmcid = NULL;
  t->capmcid = NULL;
  t->npages = 0;
  t->stack = NULL;
  t->depth = 0;
  t->an = NULL;
  t->nan = 0;
  t->link_at = t->field_at = NULL;
  t->nlinks = t->nfields = 0;
  t->cape = t->capstack = t->capan = t->caplinks = t->capfields = 0;
}

void sb_pdf_tags_free(pdf_tags *t) {
  if (!t)
    return;
  free_tree(t);
  free(t->body);
  while (t->blocks) {
    body_block *b = t->blocks;
    t->blocks = b->next;
    free(b);
  }
  free(t);
}

/* ==== The tree in memory ==== */

static void add_kid(tag_elem *el, int kind, int page, int v) {
  tag_kid *k;

  /* (kids are counted in int like every list of the device; the cap is
  ** INT_MAX ops, which the display list never reaches) */
  if (SB_GROW(el->kids, el->nkids, el->capkids, 4, INT_MAX) != SB_OK)
    return;
  k = &el->kids[el->nkids++];
  k->kind = kind;
  k->page = page;
  k->v = v;
}

/* Two language tags (NULL: "en") share their primary language ("en" and
** "en-GB"). */
static int same_primary(const char *a, const char *b) {
  size_t i = 0;

  a = a ? a : "en";
  b = b ? b : "en";
  while (a[i] && a[i] != '-' && b[i] && b[i] != '-' &&
         (a[i] | 0x20) == (b[i] | 0x20))
    i++;
  return (a[i] == 0 || a[i] == '-') && (b[i] == 0 || b[i] == '-');
}

/* A new element as the last child of parent (-1: the root). */
static int new_elem(pdf_tags *t, int parent, sb_struct what, int level,
                    const char *alt) {
  tag_elem *el;

  if (SB_GROW(t->e, t->ne, t->cape, 64, INT_MAX) != SB_OK)
    return parent;
  el = &t->e[t->ne];
  memset(el, 0, sizeof *el);
  el->what = what;
  el->level = level;
  el->alt = alt;
  el->parent = parent;
  el->page = -1;
  if (parent >= 0)
    add_kid(&t->e[parent], KID_ELEM, -1, t->ne);
  return t->ne++;
}

static void push(pdf_tags *t, int el) {
  if (SB_GROW(t->stack, t->depth, t->capstack, 16, INT_MAX) != SB_OK)
    return;
  t->stack[t->depth++] = el;
  if (t->e[el].what == SB_STRUCT_FIGURE)
    t->figure++;
  if (t->e[el].what == SB_STRUCT_LBL)
    t->lbl++;
}

static int top(const pdf_tags *t) {
  return t->depth > 0 ? t->stack[t->depth - 1] : 0;
}

/* Elements whose children are elements, not text. */
static int grouping(sb_struct w, int root) {
  return root || w == SB_STRUCT_TABLE || w == SB_STRUCT_THEAD ||
         w == SB_STRUCT_TBODY || w == SB_STRUCT_TR || w == SB_STRUCT_L ||
         w == SB_STRUCT_LI || w == SB_STRUCT_TOC;
}

/* ==== Marks and ops (while pages are drawn) ==== */

static void close_span(pdf_tags *t, pdf_content *c) {
  if (t->span != -1)
    sb_pdf_content_emc(c);
  t->span = -1;
}

void sb_pdf_tags_page(pdf_tags *t, int page) {
  if (t->ne == 0) { /* the Document root */
    new_elem(t, -1, SB_STRUCT_P, 0, NULL);
    push(t, 0);
  }
  t->page = page;
  t->span = -1;
}

void sb_pdf_tags_end_page(pdf_tags *t, pdf_content *c) {
  close_span(t, c);
  t->page = -1;
}

void sb_pdf_tags_mark(pdf_tags *t, pdf_content *c, const sb_op *op) {
  int i;

  (void)c;
  t->loose = -1;
  if (op->kind == SB_OP_BEGIN) {
    if (t->artifact > 0 || op->u.mark.what == SB_STRUCT_ARTIFACT) {
      if (t->artifact++ == 0)
        t->artifact_kind = op->u.mark.level;
      return;
    }
    if (op->u.mark.cont > 0) { /* reopen the cont-th element child */
      tag_elem *p = &t->e[top(t)];
      int n = 0;
      for (i = 0; i < p->nkids; i++)
        if (p->kids[i].kind == KID_ELEM && ++n == op->u.mark.cont) {
          push(t, p->kids[i].v);
          return;
        }
    }
    push(t, new_elem(t, top(t), op->u.mark.what, op->u.mark.level,
                     op->u.mark.alt));
    if (op->u.mark.what == SB_STRUCT_FIGURE && op->u.mark.lang &&
        !same_primary(op->u.mark.lang, t->lang))
      t->e[top(t)].alt_lang = op->u.mark.lang;
    return;
  }
  if (t->artifact > 0) {
    t->artifact--;
    return;
  }
  /* the innermost open element of this kind, and what is open in it */
  for (i = t->depth - 1; i >= 1; i--)
    if (t->e[t->stack[i]].what == op->u.mark.what)
      break;
  if (i < 1)
    return; /* not open: ignored */
  while (t->depth > i) {
    if (t->e[t->stack[t->depth - 1]].what == SB_STRUCT_FIGURE)
      t->figure--;
    if (t->e[t->stack[t->depth - 1]].what == SB_STRUCT_LBL)
      t->lbl--;
    t->depth--;
  }
}

/* The op's bounds in PDF coordinates (figures' /BBox). */
static void grow_bbox(tag_elem *el, const sb_op *op, double page_h) {
  double x0, y0, x1, y1;
  int i, k;

  switch (op->kind) {
  case SB_OP_TEXT:
    x0 = op->u.text.x, x1 = x0 + op->u.text.width;
    y0 = op->u.text.y - op->u.text.size, y1 = op->u.text.y + op->u.text.size * 0.25;
    break;
  case SB_OP_RECT:
    x0 = op->u.rect.x, x1 = x0 + op->u.rect.w;
    y0 = op->u.rect.y, y1 = y0 + op->u.rect.h;
    break;
  case SB_OP_LINE:
    x0 = op->u.line.x0 < op->u.line.x1 ? op->u.line.x0 : op->u.line.x1;
    x1 = op->u.line.x0 < op->u.line.x1 ? op->u.line.x1 : op->u.line.x0;
    y0 = op->u.line.y0 < op->u.line.y1 ? op->u.line.y0 : op->u.line.y1;
    y1 = op->u.line.y0 < op->u.line.y1 ? op->u.line.y1 : op->u.line.y0;
    break;
  case SB_OP_IMAGE:
    x0 = op->u.image.x, x1 = x0 + op->u.image.w;
    y0 = op->u.image.y, y1 = y0 + op->u.image.h;
    break;
  case SB_OP_PATH:
    if (op->u.path.nsegs <= 0)
      return;
    x0 = x1 = op->u.path.segs[0].x[0];
    y0 = y1 = op->u.path.segs[0].y[0];
    for (i = 0; i < op->u.path.nsegs; i++)
      for (k = 0; k < (op->u.path.segs[i].kind == 'C' ? 3 : 1); k++) {
        const sb_pathseg *s = &op->u.path.segs[i];
        if (s->kind == 'Z')
          continue;
        x0 = s->x[k] < x0 ? s->x[k] : x0, x1 = s->x[k] > x1 ? s->x[k] : x1;
        y0 = s->y[k] < y0 ? s->y[k] : y0, y1 = s->y[k] > y1 ? s->y[k] : y1;
      }
    break;
  default: return;
  }
  /* to PDF coordinates: bottom = page_h - y1 */
  {
    double b = page_h - y1, tp = page_h - y0;
    if (!el->has_bbox) {
      el->bbox[0] = x0, el->bbox[1] = b, el->bbox[2] = x1, el->bbox[3] = tp;
      el->has_bbox = 1;
      return;
    }
    if (x0 < el->bbox[0]) el->bbox[0] = x0;
    if (b < el->bbox[1]) el->bbox[1] = b;
    if (x1 > el->bbox[2]) el->bbox[2] = x1;
    if (tp > el->bbox[3]) el->bbox[3] = tp;
  }
}

/* Two languages (NULL: the document's) are the same tag. */
static int same_lang(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

static int in_elem(const pdf_tags *t, sb_struct what) {
  int i;

  for (i = t->depth - 1; i >= 1; i--)
    if (t->e[t->stack[i]].what == what)
      return t->stack[i];
  return -1;
}

void sb_pdf_tags_op(pdf_tags *t, pdf_content *c, const sb_op *op) {
  int el, mcid, pg = t->page;
  tag_elem *e;
  const char *lang;

  if (pg < 0 || pg >= t->npages)
    return;
  if (op->kind == SB_OP_LINK || op->kind == SB_OP_FIELD) {
    int field = op->kind == SB_OP_FIELD;
    int link = field ? new_elem(t, top(t), TAG_FORM, 0, NULL)
                     : in_elem(t, SB_STRUCT_LINK);
    tag_annot *a;
    /* (every link op gets its record, and so does every field op: the
    ** device's link i is link_at[i], its field i field_at[i]; one inside
    ** an artifact is tagged all the same: PDF/UA wants every annotation
    ** in the tree) */
    if (link < 0)
      link = new_elem(t, top(t), SB_STRUCT_LINK, 0, NULL);
    if (SB_GROW(t->an, t->nan, t->capan, 16, INT_MAX) != SB_OK)
      return;
    if (field ? SB_GROW(t->field_at, t->nfields, t->capfields, 16, INT_MAX)
              : SB_GROW(t->link_at, t->nlinks, t->caplinks, 16, INT_MAX))
      return;
    if (field)
      t->field_at[t->nfields++] = t->nan;
    else
      t->link_at[t->nlinks++] = t->nan;
    a = &t->an[t->nan];
    a->page = pg;
    a->elem = link;
    a->obj = NULL;
    a->to = field ? pg : op->u.link.page;
    a->field = field;
    add_kid(&t->e[link], KID_OBJR, pg, t->nan++);
    return;
  }
  if (t->artifact > 0 ||
      (op->kind != SB_OP_TEXT && t->figure == 0 && t->lbl == 0)) {
    if (t->span != -2) {
      close_span(t, c);
      sb_pdf_content_bdc(c, t->artifact > 0 && t->artifact_kind ==
                                SB_ARTIFACT_PAGINATION ? "Pagination"
                                                       : "Artifact", -1);
      t->span = -2;
    }
    return;
  }
  el = top(t);
  if (op->kind == SB_OP_TEXT && grouping(t->e[el].what, el == 0)) {
    if (t->loose < 0 || t->e[t->loose].parent != el)
      t->loose = new_elem(t, el, SB_STRUCT_P, 0, NULL);
    el = t->loose;
  }
  e = &t->e[el];
  if (e->what == SB_STRUCT_FIGURE || t->figure > 0) {
    int f = in_elem(t, SB_STRUCT_FIGURE);
    if (f >= 0)
      grow_bbox(&t->e[f], op, c->page_h);
  }
  if (op->kind == SB_OP_TEXT) { /* a link's words, for its /Contents */
    int link = in_elem(t, SB_STRUCT_LINK);
    if (link >= 0) {
      tag_elem *l = &t->e[link];
      size_t n = op->u.text.len, room = TAG_TEXT - 1 - l->ntext;
      if (!l->text)
        l->text = sb_xmalloc(TAG_TEXT);
      if (l->ntext > 0 && room > 0)
        l->text[l->ntext++] = ' ', room--;
      if (n > room) { /* cut at a character boundary */
        n = room;
        while (n > 0 && ((unsigned char)op->u.text.text[n] & 0xC0) == 0x80)
          n--;
      }
      memcpy(l->text + l->ntext, op->u.text.text, n);
      l->ntext += n;
      l->text[l->ntext] = 0;
    }
  }
  lang = op->kind == SB_OP_TEXT ? op->u.text.lang : NULL;
  if (t->span == el && same_lang(t->span_lang, lang))
    return;
  close_span(t, c);
  if (SB_GROW(t->owner[pg], t->nmcid[pg], t->capmcid[pg], 16, INT_MAX) !=
      SB_OK)
    return;
  mcid = t->nmcid[pg]++;
  t->owner[pg][mcid] = el;
  add_kid(e, KID_MCID, pg, mcid);
  if (e->page < 0)
    e->page = pg;
  if (e->langs == 0)
    e->langs = 1, e->lang = lang;
  else if (e->langs == 1 && !same_lang(e->lang, lang))
    e->langs = 2;
  sb_pdf_content_bdc_lang(c, e->what == SB_STRUCT_HEADING ? "H"
                                                          : sb_struct_name(e->what),
                          mcid, lang);
  t->span = el;
  t->span_lang = lang;
}

void sb_pdf_tags_link(pdf_tags *t, int i, sb_haru_obj *annot) {
  if (i >= 0 && i < t->nlinks)
    t->an[t->link_at[i]].obj = annot;
}

void sb_pdf_tags_field(pdf_tags *t, int i, sb_haru_obj *annot) {
  if (i >= 0 && i < t->nfields)
    t->an[t->field_at[i]].obj = annot;
}

/* ==== The objects (when the document is closed) ==== */

/* Which elements are written: those holding content, and every part of
** a table (an empty cell keeps its row's shape). Children come after
** their parent in t->e, so one backward pass sees every child first. */
static void mark_kept(pdf_tags *t) {
  int i, k;

  for (i = t->ne - 1; i >= 0; i--) {
    tag_elem *el = &t->e[i];
    sb_struct w = el->what;
    el->keep = i == 0 || w == SB_STRUCT_TD || w == SB_STRUCT_TH ||
               w == SB_STRUCT_TR;
    for (k = 0; k < el->nkids && !el->keep; k++)
      el->keep = el->kids[k].kind != KID_ELEM ||
                 (el->kids[k].kind == KID_ELEM && t->e[el->kids[k].v].keep);
  }
}

static const char *type_name(const tag_elem *el, char *buf) {
  if (el->what == TAG_FORM)
    return "Form";
  if (el->what == SB_STRUCT_HEADING) {
    snprintf(buf, 8, "H%d", el->level < 1 ? 1 : el->level > 6 ? 6 : el->level);
    return buf;
  }
  return sb_struct_name(el->what);
}

/* A small buffer in front of the sb_buf: an element is written in a few
** dozen pieces, thousands of elements per document. */
typedef struct lw {
  sb_buf *b;
  size_t n;
  char s[480];
} lw;

static void lw_put(lw *w, const char *p, size_t n) {
  if (w->n + n > sizeof w->s) {
    sb_buf_add(w->b, w->s, w->n);
    w->n = 0;
    if (n > sizeof w->s) {
      sb_buf_add(w->b, p, n);
      return;
    }
  }
  memcpy(w->s + w->n, p, n);
  w->n += n;
}
#define LW_S(w, lit) lw_put(w, lit, sizeof lit - 1)

/* " 12" (no printf: thousands of elements are written) */
static void put_int(lw *b, long v) {
  char t[24];
  int n = sizeof t;
  unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;

  do
    t[--n] = (char)('0' + u % 10), u /= 10;
  while (u);
  if (v < 0)
    t[--n] = '-';
  t[--n] = ' ';
  lw_put(b, t + n, sizeof t - (size_t)n);
}

/* " 12 0 R" */
static void put_ref(lw *b, long num) {
  put_int(b, num);
  LW_S(b, " 0 R");
}

static long page_num(const pdf_tags *t, int page) {
  return sb_haru_num(sb_haru_page_dict(t->h, page));
}

/* v to 3 decimals, trailing zeros dropped (a figure's /BBox). */
static void put_num(lw *b, double v) {
  char t[40];
  int n = snprintf(t, sizeof t, " %.3f", v);
  while (n > 2 && t[n - 1] == '0')
    n--;
  if (t[n - 1] == '.')
    n--;
  lw_put(b, t, (size_t)n);
}

/* An element's entries, written when the document is saved (a lazy dict:
** pdf-haru.h): /S, /P, /Pg, /K in reading order with MCIDs, MCRs for
** content on another page, OBJRs, and the attributes of TH and Figure.
** No /Type: it is optional. */
static void write_elem(void *user, sb_buf *out) {
  lw w, *b = &w;
  tag_elem *el = user;
  pdf_tags *t = el->t;
  int i = (int)(el - t->e), j, n = 0, one = -1;
  char nb[8];
  const char *name;

  w.b = out;
  w.n = 0;
  LW_S(b, "/S /");
  name = i == 0 ? "Document" : type_name(el, nb);
  lw_put(b, name, strlen(name));
  LW_S(b, "\012/P");
  put_ref(b, i == 0 ? t->root_num : sb_haru_num(t->e[el->parent].obj));
  if (el->page >= 0) {
    LW_S(b, "\012/Pg");
    put_ref(b, page_num(t, el->page));
  }
  for (j = 0; j < el->nkids; j++) {
    const tag_kid *kd = &el->kids[j];
    n += kd->kind == KID_ELEM     ? t->e[kd->v].keep
         : kd->kind == KID_OBJR ? t->an[kd->v].obj != NULL
                                : 1;
    if (kd->kind == KID_MCID && kd->page == el->page)
      one = kd->v;
  }
  LW_S(b, "\012/K");
  if (n == 1 && one >= 0) {
    put_int(b, one);
  } else {
    LW_S(b, " [");
    for (j = 0; j < el->nkids; j++) {
      const tag_kid *kd = &el->kids[j];
      if (kd->kind == KID_ELEM) {
        if (t->e[kd->v].keep)
          put_ref(b, sb_haru_num(t->e[kd->v].obj));
      } else if (kd->kind == KID_MCID && kd->page == el->page) {
        put_int(b, kd->v);
      } else if (kd->kind == KID_MCID) {
        LW_S(b, " <</Type /MCR /Pg");
        put_ref(b, page_num(t, kd->page));
        LW_S(b, " /MCID");
        put_int(b, kd->v);
        LW_S(b, ">>");
      } else if (t->an[kd->v].obj) {
        LW_S(b, " <</Type /OBJR /Pg");
        put_ref(b, page_num(t, kd->page));
        LW_S(b, " /Obj");
        put_ref(b, sb_haru_num(t->an[kd->v].obj));
        LW_S(b, ">>");
      }
    }
    LW_S(b, " ]");
  }
  if (el->what == SB_STRUCT_TH) {
    const char *a = el->level == SB_SCOPE_ROW    ? "\012/A <</O /Table /Scope /Row>>"
                    : el->level == SB_SCOPE_BOTH ? "\012/A <</O /Table /Scope /Both>>"
                                                 : "\012/A <</O /Table /Scope /Column>>";
    lw_put(b, a, strlen(a));
  }
  if (el->alt_lang && sb_pdf_lang_ok(el->alt_lang)) {
    /* a figure: its /Alt (the labels' words) in another language */
    LW_S(b, "\012/Lang (");
    lw_put(b, el->alt_lang, strlen(el->alt_lang));
    LW_S(b, ")");
  } else if (el->langs == 1 && el->lang && sb_pdf_lang_ok(el->lang)) {
    /* all its text is in another language than the document's */
    LW_S(b, "\012/Lang (");
    lw_put(b, el->lang, strlen(el->lang));
    LW_S(b, ")");
  }
  if (el->what == SB_STRUCT_FIGURE && el->has_bbox) {
    LW_S(b, "\012/A <</O /Layout /Placement /Block /BBox [");
    for (j = 0; j < 4; j++)
      put_num(b, el->bbox[j]);
    LW_S(b, " ]>>");
  }
  LW_S(b, "\012");
  sb_buf_add(out, w.s, w.n);
}

/* A lazy dict's entries: its element's, made by sb_pdf_tags_finish. */
static void write_body(void *user, sb_buf *out) {
  const tag_body *bd = user;

  sb_buf_add(out, bd->p, bd->n);
}

/* A copy of p[0..n) in t's blocks. */
static const char *keep_body(pdf_tags *t, const char *p, size_t n) {
  body_block *b = t->blocks;
  char *q;

  if (!b || b->cap - b->n < n) {
    size_t cap = n > BODY_BLOCK - sizeof *b ? n : BODY_BLOCK - sizeof *b;
    b = sb_xmalloc(sizeof *b + cap);
    b->n = 0;
    b->cap = cap;
    b->next = t->blocks;
    t->blocks = b;
  }
  q = b->p + b->n;
  memcpy(q, p, n);
  b->n += n;
  return q;
}

sb_status sb_pdf_tags_finish(sb_ctx *ctx, pdf_tags *t, sb_haru *h) {
  sb_haru_obj *root, *ptree, *nums;
  int i, j;
  char buf[64];

  if (t->ne == 0) { /* no page was drawn: a Document all the same */
    new_elem(t, -1, SB_STRUCT_P, 0, NULL);
  }
  mark_kept(t);
  root = sb_haru_dict(h, 1);
  ptree = sb_haru_dict(h, 1);
  nums = sb_haru_array(h);
  if (!root || !ptree || !nums)
    return sb_haru_check(ctx, h) ? ctx->status
                                 : sb_fail(ctx, SB_E_PDF, "no structure tree");
  t->h = h;
  t->root_num = sb_haru_num(root);
  t->body = sb_xmalloc((size_t)t->ne * sizeof *t->body);
  for (i = 0; i < t->ne; i++) {
    tag_elem *el = &t->e[i];
    if (!el->keep)
      continue;
    el->t = t;
    t->body[i].lz.fn = write_body;
    t->body[i].lz.user = &t->body[i];
    t->body[i].p = NULL;
    t->body[i].n = 0;
    if (!(el->obj = sb_haru_dict_lazy(h, &t->body[i].lz)))
      return sb_haru_check(ctx, h) ? ctx->status
                                   : sb_fail(ctx, SB_E_PDF, "no structure element");
    if (el->what == SB_STRUCT_FIGURE) /* before the lazy entries */
      sb_haru_put_text(h, el->obj, "Alt",
                       el->alt && el->alt[0] ? el->alt : "Chart");
    else if (el->what == SB_STRUCT_LBL && el->alt && el->alt[0])
      sb_haru_put_text(h, el->obj, "Alt", el->alt); /* a drawn marker */
  }
  sb_haru_put_name(root, "Type", "StructTreeRoot");
  sb_haru_put(root, "K", t->e[0].obj);
  /* the ParentTree: page i's MCIDs under key i, then the annotations */
  for (i = 0; i < t->npages; i++) {
    sb_haru_obj *pd = sb_haru_page_dict(h, i), *arr;
    if (!pd)
      continue;
    sb_haru_put_int(pd, "StructParents", i);
    sb_haru_put_name(pd, "Tabs", "S");
    arr = sb_haru_array(h);
    for (j = 0; j < t->nmcid[i]; j++)
      sb_haru_push(arr, t->e[t->owner[i][j]].obj);
    sb_haru_push_int(nums, i);
    sb_haru_push(nums, arr);
  }
  for (i = 0; i < t->nan; i++) {
    tag_annot *a = &t->an[i];
    const tag_elem *l = &t->e[a->elem];
    if (!a->obj)
      continue;
    sb_haru_put_int(a->obj, "StructParent", t->npages + i);
    if (a->field) {
      /* a widget: its field's /TU names it */
    } else if (l->ntext > 0) {
      sb_haru_put_text(h, a->obj, "Contents", l->text);
    } else {
      snprintf(buf, sizeof buf, "Page %d", a->to + 1);
      sb_haru_put_text(h, a->obj, "Contents", buf);
    }
    sb_haru_push_int(nums, t->npages + i);
    sb_haru_push(nums, l->obj);
  }
  sb_haru_put(ptree, "Nums", nums);
  sb_haru_put(root, "ParentTree", ptree);
  sb_haru_put_int(root, "ParentTreeNextKey", t->npages + t->nan);
  sb_haru_put(sb_haru_catalog(h), "StructTreeRoot", root);
  /* every object the entries name exists: they are made now, and the
  ** tree goes */
  {
    sb_buf one;
    sb_buf_init(&one);
    for (i = 0; i < t->ne; i++)
      if (t->e[i].keep) {
        one.n = 0;
        write_elem(&t->e[i], &one);
        t->body[i].p = keep_body(t, one.p, one.n);
        t->body[i].n = one.n;
      }
    sb_buf_free(&one);
  }
  free_tree(t);
  return sb_haru_check(ctx, h);
}
