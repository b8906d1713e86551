/*
** skillbook/dlist.h -- the display list and the device interface.
**
** Layout writes pages of drawing operations into an sb_dl (all memory from
** the document's arena); devices (pdf, png, trace) replay them. Coordinates
** are PDF points with the origin at the page's top-left corner and y growing
** downwards; a text op's y is its baseline. Devices flip as they need.
** Text in an op is already clean: UTF-8 of BMP code points that its font
** covers (layout replaced or dropped the rest and warned).
*/
#ifndef SKILLBOOK_DLIST_H
#define SKILLBOOK_DLIST_H

#include "skillbook/base.h"

typedef struct sb_color {
  double r, g, b;  /* 0..1 */
} sb_color;

/* Font slots of a document: index into sb_fontset.face */
enum { SB_FONT_REGULAR, SB_FONT_BOLD, SB_FONT_ITALIC, SB_FONT_COUNT };

typedef enum {
  SB_OP_TEXT,   /* a run of text in one font and size */
  SB_OP_RECT,   /* a rectangle, filled and/or stroked */
  SB_OP_LINE,   /* a straight line, maybe dashed */
  SB_OP_PATH,   /* a general path (charts), filled and/or stroked */
  SB_OP_LINK,   /* a clickable area that jumps to a page */
  SB_OP_IMAGE,  /* a PNG image scaled into a box (style logos) */
  SB_OP_BEGIN,  /* structure: the ops up to the matching END are one... */
  SB_OP_END,    /* ...element (sb_struct); draws nothing */
  SB_OP_FIELD   /* a form field's widget (fillable sheets, docs/forms.md):
                   draws nothing on the page itself; the pdf device makes
                   it an AcroForm widget, others ignore it */
} sb_op_kind;

/* Form field types (sb_op.u.field.type) */
typedef enum {
  SB_FIELD_TEXT,      /* one line of text (a name, a date) */
  SB_FIELD_MULTILINE, /* several lines (evidence and notes) */
  SB_FIELD_RADIO      /* one button of a radio group: the group is every
                         FIELD op with the same name in the document */
} sb_field_type;

/* Structure marks: a BEGIN op and its END (they nest) say what the ops
** between them are, for readers of the document's structure rather than
** its drawing: the trace prints them, tests find headings by them, and the
** pdf device tags the PDF with them (docs/pdfa-pdfua.md). An element may
** span pages (BEGIN on one page, its END on a later one: a table, a
** paragraph broken across pages); an END with no open element is ignored
** and elements still open at the end are closed. sb_dl_run hands them to
** a device's mark callback, never to op, so a device that draws ignores
** them. The kinds are PDF's standard structure types (ISO 32000-1, 14.8.4);
** where nothing is open the pdf device puts text in a P and makes
** graphics (rules, bands, grid lines) artifacts, and graphics inside a
** Figure belong to the figure. */
typedef enum {
  SB_STRUCT_HEADING,  /* a heading; level 1 (a document's parts) to 6 */
  SB_STRUCT_ARTIFACT, /* page furniture (running header, footer), repeated
                         table headers, dot leaders: not part of the
                         document's flow; level: SB_ARTIFACT_* */
  SB_STRUCT_P,        /* a paragraph */
  SB_STRUCT_TABLE,    /* a table (THead, TBody, TR) */
  SB_STRUCT_THEAD,
  SB_STRUCT_TBODY,
  SB_STRUCT_TR,
  SB_STRUCT_TH,       /* a header cell; level: SB_SCOPE_* */
  SB_STRUCT_TD,
  SB_STRUCT_L,        /* a list of LI, each Lbl (the marker) and LBody */
  SB_STRUCT_LI,
  SB_STRUCT_LBL,
  SB_STRUCT_LBODY,
  SB_STRUCT_TOC,      /* the contents: TOCI entries */
  SB_STRUCT_TOCI,
  SB_STRUCT_FIGURE,   /* a chart: alt says what it shows */
  SB_STRUCT_LINK,     /* text and the link op(s) it owns */
  SB_STRUCT_COUNT
} sb_struct;

/* TH scopes (the mark's level) */
enum { SB_SCOPE_COLUMN = 1, SB_SCOPE_ROW = 2, SB_SCOPE_BOTH = 3 };
/* Artifact kinds (the mark's level) */
enum { SB_ARTIFACT_LAYOUT = 0, SB_ARTIFACT_PAGINATION = 1 };

/** The PDF standard structure type of a kind ("H" for a heading). */
const char *sb_struct_name(sb_struct what);

typedef struct sb_pathseg {
  char kind;      /* 'M' move, 'L' line, 'C' cubic (x[0..2], y[0..2]), 'Z' close */
  double x[3], y[3];
} sb_pathseg;

typedef struct sb_stroke {
  sb_color color;
  double width;
  double dash[4];  /* on/off lengths */
  int ndash;       /* 0 = solid */
  int cap, join;   /* 0 butt/miter, 1 round, 2 square/bevel */
} sb_stroke;

typedef struct sb_op {
  sb_op_kind kind;
  union {
    struct {
      int font;          /* SB_FONT_* */
      double size;       /* points */
      double x, y;       /* baseline start */
      double width;      /* advance width as measured by layout */
      sb_color color;
      const char *text;  /* UTF-8, not NUL-terminated necessarily */
      size_t len;
      const char *lang;  /* BCP 47 language of this text when it differs
                            from the document's (sb_docinfo.lang: printed
                            labels in another language); NULL = the
                            document's. Static or the arena's */
    } text;
    struct {
      double x, y, w, h; /* top-left corner and size */
      int fill, stroke;
      sb_color fill_color;
      sb_stroke st;
    } rect;
    struct {
      double x0, y0, x1, y1;
      sb_stroke st;
    } line;
    struct {
      const sb_pathseg *segs;
      int nsegs;
      int fill, stroke, evenodd;
      sb_color fill_color;
      double fill_alpha;  /* 1 = opaque */
      sb_stroke st;
    } path;
    struct {
      double x, y, w, h; /* the clickable area */
      int page;          /* 0-based target page */
      double dest_y;     /* y on the target page (top-down) */
    } link;
    struct {
      double x, y, w, h;         /* top-left corner and size */
      const unsigned char *png;  /* PNG bytes, borrowed (the style's) */
      size_t len;
      int px_w, px_h;            /* its size in pixels */
    } image;
    struct {
      sb_struct what;    /* the same in a BEGIN and its END */
      int level;         /* headings: 1..6; TH: SB_SCOPE_*; artifacts:
                            SB_ARTIFACT_*; else 0 */
      int cont;          /* BEGIN: > 0 continues (reopens) the cont-th
                            element child (1-based) of the open element,
                            e.g. a table cell's part on the next page */
      const char *alt;   /* BEGIN of a figure: its text alternative
                            (UTF-8, the arena's); of an Lbl whose
                            content is a drawn marker: the marker as
                            text ("\u25A0"), its /Alt; else NULL */
      const char *lang;  /* BEGIN of a figure: the language its alt is
                            written in (the labels', e.g. "es"; NULL =
                            the document's); the PDF tags the Figure
                            /Lang when it is not the document's */
    } mark;              /* SB_OP_BEGIN, SB_OP_END */
    struct {
      double x, y, w, h; /* the widget's box: top-left corner and size */
      int type;          /* sb_field_type */
      const char *name;  /* the field's full name, stable across layouts
                            (docs/forms.md): sb:PERSON:SKILL:QUESTION */
      const char *state; /* radio: this button's on state ("meeting");
                            else NULL */
      const char *value; /* text: the value it starts with (a pack's
                            name, reviewer, date), drawn by its appearance
                            where a plain sheet prints it; NULL = empty */
      const char *tip;   /* /TU: the skill and the question, for tooltips
                            and screen readers (UTF-8) */
      int font;          /* text: SB_FONT_* typed answers use */
      double size;       /* text: their size in points (0 = auto) */
    } field;             /* SB_OP_FIELD; strings static or the arena's */
  } u;
} sb_op;

typedef struct sb_page {
  double w, h;
  sb_op *ops;
  int nops, capops;
} sb_page;

typedef struct sb_outline {
  const char *title;  /* UTF-8 */
  int depth;          /* 0 = top level */
  int page;           /* 0-based */
  double y;           /* top-down */
} sb_outline;

/* A property the document carries in its XMP metadata, in skillbook's
** own namespace (docs/forms.md): a fillable pack's identity, which
** `skillbook collect` reads back. */
typedef struct sb_docmeta {
  const char *key;    /* XML name: letters, digits; e.g. "person" */
  const char *value;  /* UTF-8 */
} sb_docmeta;

typedef struct sb_docinfo {
  const char *title, *author, *subject, *keywords, *creator;
  const char *lang;   /* BCP 47, e.g. "en" */
  long long date;     /* seconds since the epoch (UTC), or -1 = no date */
  int forms;          /* 1: the pages hold SB_OP_FIELD ops (a fillable
                         document: whole fonts embedded, an AcroForm) */
  const sb_docmeta *meta; /* nmeta properties for the XMP; may be NULL */
  int nmeta;
} sb_docinfo;

typedef struct sb_dl_heap sb_dl_heap;

typedef struct sb_dl {
  sb_arena *arena;    /* borrowed: the document arena */
  sb_dl_heap *heap;   /* the pages' op arrays (dlist.c): on the heap,
                         counted against the arena's budget, freed when
                         the arena is dropped */
  sb_page *pages;
  int npages, cappages;
  sb_outline *outlines;
  int noutlines, capoutlines;
  sb_docinfo info;
  size_t max_pages;   /* SB_E_LIMIT past it; 0 = no cap */
} sb_dl;

/** Initialises an empty display list that allocates from arena (its
** pages' op arrays from the heap, freed when the arena is dropped or
** reset). A page's ops array may move when ops are added to it. */
void sb_dl_init(sb_dl *dl, sb_arena *arena, size_t max_pages);
/** Appends a page; returns its index, or -1 over the page cap or budget
** (then sb_fail has recorded SB_E_LIMIT). */
int sb_dl_add_page(sb_ctx *ctx, sb_dl *dl, double w, double h);
/** Appends an op to a page and returns it for filling in (NULL on budget
** exhaustion, with SB_E_LIMIT recorded). */
sb_op *sb_dl_add_op(sb_ctx *ctx, sb_dl *dl, int page, sb_op_kind kind);
/** Copies segs into the arena and appends a path op. */
sb_op *sb_dl_add_path(sb_ctx *ctx, sb_dl *dl, int page, const sb_pathseg *segs,
                      int nsegs);
sb_status sb_dl_add_outline(sb_ctx *ctx, sb_dl *dl, const char *title,
                            int depth, int page, double y);
/** Appends a structure mark (SB_OP_BEGIN or SB_OP_END) to a page; NULL as
** sb_dl_add_op. cont and alt (dlist.h, sb_op.u.mark) are 0 / NULL: set
** them in the op returned. */
sb_op *sb_dl_add_mark(sb_ctx *ctx, sb_dl *dl, int page, sb_op_kind kind,
                      sb_struct what, int level);
/** Moves the ops [first, nops) of page from to the end of page to, every
** y shifted by dy (a block that follows what comes after it onto the next
** page). Path segments are copied (the moved op owns its shifted copy).
** SB_E_LIMIT over the budget, with nothing moved. */
sb_status sb_dl_move_ops(sb_ctx *ctx, sb_dl *dl, int from, int first, int to,
                         double dy);

/* ==== Devices (MuPDF-style vtable; a NULL slot ignores the op) ==== */

typedef struct sb_device sb_device;
struct sb_device {
  sb_status (*begin_doc)(sb_ctx *, sb_device *, const sb_dl *);
  sb_status (*begin_page)(sb_ctx *, sb_device *, int page, const sb_page *);
  sb_status (*op)(sb_ctx *, sb_device *, const sb_op *);
  sb_status (*end_page)(sb_ctx *, sb_device *, int page);
  /* structure marks (SB_OP_BEGIN, SB_OP_END), in page order among the
  ** ops; NULL ignores them (a device that only draws) */
  sb_status (*mark)(sb_ctx *, sb_device *, const sb_op *);
  /* finishes the document (the PDF is built and saved here); may fail */
  sb_status (*close)(sb_ctx *, sb_device *, const sb_dl *);
  /* frees; never fails */
  void (*drop)(sb_device *);
};

/** Replays pages [first, last] (0-based, inclusive; last -1 = all) into
** dev, then closes it. Does not drop the device. */
sb_status sb_dl_run(sb_ctx *ctx, const sb_dl *dl, sb_device *dev, int first,
                    int last);
/** As sb_dl_run, for a display list replayed for the last time: each
** page's ops are freed once the device has ended the page, so the
** device's close (the PDF's save) has their memory. The pages keep their
** size and hold no ops afterwards; outlines and info are kept.
** @test tests/unit/test_dlist.c */
sb_status sb_dl_run_once(sb_ctx *ctx, sb_dl *dl, sb_device *dev, int first,
                         int last);
void sb_drop_device(sb_device *dev);

#endif
