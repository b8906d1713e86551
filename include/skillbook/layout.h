/*
** skillbook/layout.h -- text preparation, line breaking and page flow.
**
** The layout engine turns styled text, tables and rules into pages of ops
** in an sb_dl. It knows nothing about catalogues (documents call it) and
** nothing about PDF (devices replay the dl). Measured width is printed
** width: every advance is the font's integer 1/1000 em (sb_font_advance).
**
** Text preparation: UTF-8 becomes code points; invisible format characters
** (U+200B..U+200D, U+2060, U+FE00..U+FE0F, U+FEFF) are never drawn (U+200B
** still allows a break); a soft hyphen prints as '-' only where a line
** breaks at it; a code point above U+FFFF, one the font lacks, or a letter
** of a right-to-left script (Hebrew, Arabic, Syriac, Thaana, NKo,
** Samaritan, Mandaic and their presentation forms: without bidi support
** they would print in stored order, mirrored) prints as U+FFFD (or '?'
** when the font lacks that too) with one warning per (character, source).
**
** Flow: blocks (paragraphs, tables, rules, space) are placed top-down in
** the content box of the current page; a block that does not fit goes on
** (or continues on) a new page. Page furniture (running header, "page X of
** Y") is drawn by sb_lay_finish, once the page count is known.
**
** Keeping: a heading (sb_para.heading) or a paragraph with keep_with_next
** never ends a page. It opens (or joins) a keep chain, which stays open
** until what follows has placed its start on the same page: two lines of
** text (a one-line paragraph joins the chain and counts one), a table's
** header and first keep_rows rows, or a drawing closed with sb_lay_skip.
** When that start does not fit, the whole chain moves to the next page
** with it (a chain that already starts its page stays: a page cannot
** hold more), and the outlines, contents references (sb_para.at) and
** links recorded on it move too. sb_lay_new_page, an explicit break,
** closes the chain where it is.
**
** A layout may run "dry" (no ops, no pages in the dl, no warnings): the
** same calls then only compute where things fall, which documents use as
** the first pass of a table of contents.
** Tests: tests/unit/test_layout.c
*/
#ifndef SKILLBOOK_LAYOUT_H
#define SKILLBOOK_LAYOUT_H

#include "skillbook/base.h"
#include "skillbook/dlist.h"
#include "skillbook/font.h"
#include "skillbook/style.h"

typedef struct sb_lay sb_lay;

/* Where a piece of text came from, for warnings ("skill s0001, level l2"). */
typedef struct sb_src {
  const char *file;  /* may be NULL */
  long line;         /* 0 = unknown */
  const char *what;  /* e.g. "skill serverless-functions: expectation" */
} sb_src;

typedef enum { SB_ALIGN_LEFT, SB_ALIGN_CENTER, SB_ALIGN_RIGHT } sb_align;

/* A marker drawn before a span or cell text (greyscale-safe symbols). */
typedef enum {
  SB_MARK_NONE,
  SB_MARK_FILLED, /* filled square: mandatory */
  SB_MARK_OPEN,   /* open square: optional, or a check box */
  SB_MARK_DOT     /* small filled disc (bullet) */
} sb_mark;

/* A run of text in one font and colour. */
typedef struct sb_span {
  const char *text;  /* UTF-8, NUL-terminated */
  int font;          /* SB_FONT_* */
  sb_color color;
  const char *lang;  /* its language when not the document's (printed
                        labels under --lang): carried into the text ops
                        (dlist.h), tagged /Lang in the PDF; NULL = the
                        document's. Borrowed (static or the arena's) */
} sb_span;

/* Where something lands, known only later: a contents entry points at a
** heading laid out after it. The caller fills it in before sb_lay_finish. */
typedef struct sb_lay_ref {
  int page;
  double y;
} sb_lay_ref;

/* A paragraph: spans broken into lines of one size. */
typedef struct sb_para {
  const sb_span *spans;
  int nspans;
  double size;           /* points */
  double leading;        /* line height / size; 0 = the style's */
  double indent, right;  /* extra left / right inset, points */
  double space_before, space_after;
  sb_align align;
  sb_mark mark;          /* drawn in the left inset, on the first line */
  sb_color mark_color;
  double keep_with_next; /* > 0: kept on a page with the start of what
                            follows (Keeping, above), and at least this
                            many points of room after it */
  int no_split;          /* move whole to the next page rather than split */
  int heading;           /* 1..6: a heading of that level, kept with what
                            follows like keep_with_next, and marked in the
                            display list (SB_STRUCT_HEADING); 0 = text */
  sb_struct tag;         /* the structure element of a paragraph that is
                            not a heading: SB_STRUCT_TOCI, _LBL, _LBODY...
                            (an LI holds an Lbl, the mark, if any, and an
                            LBody, the words);
                            the default (SB_STRUCT_HEADING, 0) means P.
                            A link paragraph's words are in a Link in it */
  /* When set, receives the page and top y of the first line, and follows
  ** the paragraph when it moves with its keep chain: what points at a
  ** heading (a contents entry) reads it, not sb_lay_para's *page / *y,
  ** which say where the paragraph was first placed. Borrowed until
  ** sb_lay_finish. Outlines recorded on a chain move by themselves. */
  sb_lay_ref *at;
  /* Contents entries: tail (a page number) right-aligned in a column of
  ** tail_w points at the right edge, dot leaders up to it after the last
  ** line; link: the paragraph's area jumps to (link_page, link_y). */
  const char *tail;
  int tail_font;
  double tail_w;
  int link;
  int link_page;
  double link_y;
  /* When set, the tail (if tail is non-NULL; its text is then unused) is
  ** the number ref->page + 1 and the link goes to (ref->page, ref->y), both
  ** read by sb_lay_finish: one layout pass instead of a dry one to learn
  ** the numbers. The tail's width never moves the lines (tail_w does). */
  const sb_lay_ref *ref;
  sb_src src;
} sb_para;

/* ==== Text preparation and line breaking (usable on their own) ==== */

/* One prepared character. */
typedef struct sb_tchar {
  int32_t cp;       /* what is printed (after substitution) */
  uint16_t adv;     /* advance, 1/1000 em, 0 for invisible characters */
  uint8_t font;     /* SB_FONT_* */
  uint8_t flags;    /* SB_TC_* */
  uint16_t span;    /* index of the span it came from */
} sb_tchar;

enum {
  SB_TC_BREAK = 1,     /* a line may break after this character */
  SB_TC_MUST = 2,      /* a line must break after it (newline) */
  SB_TC_SPACE = 4,     /* white space: dropped at a line's end */
  SB_TC_INVISIBLE = 8, /* never drawn */
  SB_TC_SHY = 16       /* soft hyphen: '-' only at a break */
};

typedef struct sb_text {
  sb_tchar *c;
  int n;
} sb_text;

/* One line: characters [start, end) (end excludes trailing spaces), its
** width in 1/1000 em units summed over characters (multiply by size/1000),
** and whether it ends with a hyphen (printed as '-', width included): at a
** soft hyphen, or inside a word broken between characters. */
typedef struct sb_line {
  int start, end, next;  /* next = first character of the following line */
  long width;            /* 1/1000 em */
  int hyphen;
} sb_line;

/** Prepares spans for breaking: decodes, classifies, measures, substitutes
** characters the fonts cannot print (warning once per character and src).
** Memory comes from the layout's scratch arena, valid until the next
** sb_lay_* block call. Returns SB_E_LIMIT over the arena budget. */
sb_status sb_lay_prepare(sb_lay *lay, const sb_span *spans, int nspans,
                         const sb_src *src, sb_text *out);
/** Greedy line breaking of t into lines at most max_units (1/1000 em at
** the text's size: width_pt * 1000 / size) wide. A word longer than a line
** breaks between characters and the line ends with a hyphen that fits in
** it (none after a dash, or when not even one character and a hyphen
** fit). *lines is allocated in the scratch arena.
** Returns the number of lines (>= 1 for non-empty text, 0 for empty). */
int sb_lay_wrap(sb_lay *lay, const sb_text *t, double max_units,
                sb_line **lines);
/** Width of a UTF-8 string in points, measured as it would print. */
double sb_lay_measure(sb_lay *lay, int font, double size, const char *s);
/** Width in points of the longest word of s (the widest run between two
** line-break opportunities, UAX #14): the least width a column needs to
** print s with no word broken (what sb_lay_table gives a column). */
double sb_lay_min_width(sb_lay *lay, int font, double size, const char *s);

/* ==== Names in bounded places ====
**
** A name printed where the room is fixed or repeated (a table header
** cell, a running head or footer, a cover, a chart label, a field on a
** sheet) must not grow the document: wrapped at the place's width it may
** take at most a few lines, and what does not fit is cut, an ellipsis
** ("\u2026", or "..." where the font lacks it) ends the last line, and one
** warning names the field. Expectation text is never bounded: it flows.
** docs/hardening.md, "Names in bounded places", has the bounds. */

/** Bounds text (one span in font at size) to max_lines lines of width
** points: returns text itself when it fits, else a copy in the layout's
** arena cut at the end of line max_lines with an ellipsis that fits on
** that line, and warns once per document for src->what (the field, e.g.
** "role backend-engineer: name"; not in a dry layout). Costs one
** preparation of text (linear in its length): callers bound a name once
** and keep the result for every page that prints it. Like a block call it
** reuses the scratch memory. Returns text when anything fails (the sticky
** status records it). @test tests/unit/test_layout.c, tests/cli/names.sh */
const char *sb_lay_bound(sb_lay *lay, const char *text, int font,
                         double size, double width, int max_lines,
                         const sb_src *src);

/* A cache of preparations, keyed by the spans' bytes (content, not
** pointers: a dry pass's strings die with its arena): what the text alone
** decides (decoded code points, the UAX #14 break opportunities) and, per
** choice of span fonts and fontset faces, the finished advances (kerning
** folded in) and flags. A preparation that substitutes a character is
** worked out on every call, so that its warning comes from the real pass;
** a cached preparation is the same as a fresh one. A cache must not be
** used by layouts whose faces were freed since it was filled (faces are
** part of the key by address). A layout makes its own cache on first use;
** documents laid out twice may share one between passes. */
typedef struct sb_lay_cache sb_lay_cache;

/** A new, empty cache (owned: sb_drop_lay_cache). It stops growing at a
** fixed size and then only answers for what it holds. Cannot fail. */
sb_lay_cache *sb_new_lay_cache(void);
/** Frees c; NULL is a no-op. No layout may use c afterwards. */
void sb_drop_lay_cache(sb_lay_cache *c);
/** Makes lay use c (borrowed: it must outlive lay) from now on. */
void sb_lay_share_cache(sb_lay *lay, sb_lay_cache *c);

/* ==== The engine ==== */

/* Called for every page once the page count is known. running is the
** running-header text in effect on that page (may be NULL). */
typedef void (*sb_lay_furniture_fn)(sb_lay *lay, int page, int npages,
                                    const char *running, void *user);

/** A new layout writing into dl (which may be NULL for a dry run) with
** style st and fonts fs. landscape turns the style's page. The engine lives
** in arena (the document arena); nothing needs freeing. NULL only over the
** arena budget (SB_E_LIMIT recorded). */
sb_lay *sb_new_lay(sb_ctx *ctx, sb_arena *arena, sb_dl *dl,
                   const sb_style *st, const sb_fontset *fs, int landscape);
/** Frees the engine's scratch memory (the rest dies with the arena). */
void sb_drop_lay(sb_lay *lay);
void sb_lay_set_furniture(sb_lay *lay, sb_lay_furniture_fn fn, void *user);

const sb_style *sb_lay_style(const sb_lay *lay);
/* The content box of a page (points, top-down). */
double sb_lay_left(const sb_lay *lay);
double sb_lay_right(const sb_lay *lay);
double sb_lay_top(const sb_lay *lay);
double sb_lay_bottom(const sb_lay *lay);
double sb_lay_page_w(const sb_lay *lay);
double sb_lay_page_h(const sb_lay *lay);
/** Current page (0-based; -1 before the first block) and y of the next
** block's top. */
int sb_lay_page(const sb_lay *lay);
double sb_lay_y(const sb_lay *lay);
/** Pages so far. */
int sb_lay_npages(const sb_lay *lay);
/** The sticky status (first error); blocks do nothing once it is set. */
sb_status sb_lay_status(const sb_lay *lay);

/** Starts a new page (always, even if the current one is empty); an open
** keep chain stays where it is. */
sb_status sb_lay_new_page(sb_lay *lay);
/** Makes sure h points are left on the current page (or starts a page,
** taking an open keep chain along). */
sb_status sb_lay_need(sb_lay *lay, double h);
/** Vertical space; dropped at the top of a page. */
sb_status sb_lay_space(sb_lay *lay, double h);
/** Vertical space kept even at the top of a page (covers, title pages);
** closes an open keep chain (the space is what followed it: a drawing
** made at sb_lay_y after sb_lay_need). */
sb_status sb_lay_skip(sb_lay *lay, double h);
/** Sets the running-header text from here on (pointer kept: arena or
** static). A page whose content has not started yet takes it too. */
void sb_lay_set_running(sb_lay *lay, const char *text);

/** Height a paragraph needs at the given width (points), space_before and
** space_after included. */
double sb_lay_para_height(sb_lay *lay, const sb_para *p, double width);
/** Places a paragraph across the content width; lines that do not fit go
** on the next page (no_split: the whole paragraph moves if it fits on a
** page; keep_with_next > 0 or heading implies no_split, and the paragraph
** is kept with what follows: Keeping, above). Stores the page and the top
** y of its first line in *page / *y when not NULL (and in p->at, which
** stays right if the paragraph moves later). */
sb_status sb_lay_para(sb_lay *lay, const sb_para *p, int *page, double *y);
/** A horizontal rule across the content width at the current y. */
sb_status sb_lay_rule(sb_lay *lay, double width, sb_color color,
                      double space_before, double space_after);

/** Draws one line of text at (x, baseline y) on a page, aligned about x.
** Returns the width drawn. For furniture, covers, labels; no breaking. */
double sb_lay_text_at(sb_lay *lay, int page, double x, double y, int font,
                      double size, sb_color color, sb_align align,
                      const char *text, const sb_src *src);
/** sb_lay_text_at for one span: its font, colour and language (a printed
** label under --lang carries its /Lang into the text op). */
double sb_lay_span_at(sb_lay *lay, int page, double x, double y, double size,
                      sb_align align, const sb_span *span, const sb_src *src);
/** Draws a marker (square, dot) of side s with its top-left at (x, y). */
void sb_lay_mark_at(sb_lay *lay, int page, double x, double y, double s,
                    sb_mark m, sb_color c);
/** Structure marks (dlist.h) on page (-1 = the current page): an element
** of kind what (level: a heading's level, a TH's SB_SCOPE_*, an
** artifact's SB_ARTIFACT_*; cont: reopen the cont-th child of the open
** element, 0 = a new one; alt: a figure's text alternative, borrowed
** until the display list is dropped) around the ops that follow, up to
** the matching end. No-ops in a dry run. */
void sb_lay_struct_begin(sb_lay *lay, int page, sb_struct what, int level,
                         int cont, const char *alt);
void sb_lay_struct_end(sb_lay *lay, int page, sb_struct what);
/** Raw ops on a page (no-ops in a dry run). */
/** Draws PNG bytes (borrowed: they must outlive the display list) scaled
** into the box (x, y) w x h, top-left origin. */
void sb_lay_image(sb_lay *lay, int page, double x, double y, double w,
                  double h, const unsigned char *png, size_t len, int px_w,
                  int px_h);
void sb_lay_rect(sb_lay *lay, int page, double x, double y, double w,
                 double h, int fill, sb_color fc, double stroke_w,
                 sb_color sc);
void sb_lay_line(sb_lay *lay, int page, double x0, double y0, double x1,
                 double y1, double w, sb_color c, double dash);
void sb_lay_link(sb_lay *lay, int page, double x, double y, double w,
                 double h, int to_page, double to_y);
sb_status sb_lay_outline(sb_lay *lay, const char *title, int depth, int page,
                         double y);

/* ==== Tables ==== */

/* Drawing in a cell (check boxes, a line of marks above the text): called
** once, on the part of the row that holds the row's start, with the cell's
** content box (inside the padding) on that page: x, y its top-left, w its
** width, h its height there. It may use sb_lay_text_at, sb_lay_box,
** sb_lay_mark_at, sb_lay_line and sb_lay_rect on page, nothing that starts
** a block (sb_lay_measure, sb_lay_bound, sb_lay_para...): the row's
** prepared text lives in the scratch memory those reuse. */
typedef void (*sb_cell_draw_fn)(sb_lay *lay, int page, double x, double y,
                                double w, double h, const void *user);

typedef struct sb_cell {
  const sb_span *spans;  /* NULL/0 = empty */
  int nspans;
  double size;           /* 0 = the table's */
  sb_align align;
  sb_mark mark;          /* before the text (check box, mandatory mark) */
  sb_color mark_color;
  int lines;             /* extra ruled lines for writing (sheets): this
                            many ruled lines under the text */
  /* A second, smaller paragraph under the text (a skill's group under its
  ** name), 2 points below it, on the part of the row where the text ends;
  ** sub_size 0 = the cell's size. */
  const sb_span *sub;
  int nsub;
  double sub_size;
  /* Room for drawing: above points over the text on the row's first part,
  ** where draw (if set) is called; the cell is at least min_h tall there. */
  double above, min_h;
  sb_cell_draw_fn draw;
  const void *user;      /* passed to draw */
  /* > 0: ruled writing lines every rule_gap points fill the cell below its
  ** text on every part of the row, never under the text (evidence). */
  double rule_gap;
} sb_cell;

/* What a table repeats (sb_table.repeat; 0 = header and caption). */
enum {
  SB_REPEAT_HEADER = 1,  /* the header row on every page */
  SB_REPEAT_CAPTION = 2, /* t->continued over the header on later pages */
  SB_REPEAT_FIRST = 4    /* a row split between pages prints its first
                            cell whole again on every part (the skill's
                            name on a continued row); that cell never
                            splits */
};

typedef struct sb_table {
  int ncols;
  const double *widths;   /* points; sum = table width */
  double x;               /* left edge; 0 = the content box's left */
  double size;            /* text size */
  double pad;             /* cell padding; < 0 = the style's */
  const sb_cell *header;  /* ncols cells over the first row and, under
                             SB_REPEAT_HEADER, on every page; may be NULL */
  int zebra;              /* band every second body row */
  int grid;               /* vertical rules between columns */
  int row_header;         /* the first column's cells head their rows
                             (tagged TH with /Scope /Row) */
  int keep_rows;          /* body rows kept together with the header at
                             the start (e.g. 1: header + first row), at
                             most a quarter of the page of them */
  const char *continued;  /* printed small above the repeated header on
                             continuation pages ("Name (continued)") */
  int repeat;             /* SB_REPEAT_* bits; 0 = header | caption */
  sb_src src;
} sb_table;

/** Places a table whose body rows are rows[r * ncols + c], r < nrows. The
** columns are t->widths fitted to their content: a column narrower than
** its longest word (header included, at the cell's font and size, with its
** mark and padding) is widened, taking the points from the columns of text
** that have room beyond their own longest word, in proportion to it;
** columns without text (drawn areas) keep their width; cell drawing gets
** the fitted width. No column grows past an equal share of the table (or
** its declared width if wider): a longer word, or one longer than the
** room left, breaks with a hyphen. Each row is a group that stays together: rows break between pages with what
** t->repeat asks for repeated (header, caption); a row taller than the
** room left moves to the next page when that room is under a quarter of
** the content box, and is split line by line otherwise, as is a row
** taller than a whole page (with its first cell repeated under
** SB_REPEAT_FIRST): a moved row never leaves a page mostly empty. Every part of a row has the same columns at the same
** x as the header. The header is never taller than a third of the page's
** content box: a header cell with more lines than that is cut with an
** ellipsis and a warning naming t->src.what (callers bound names first,
** sb_lay_bound; this only keeps the table finite).
** Stores the page of the table's first row in *page. */
sb_status sb_lay_table(sb_lay *lay, const sb_table *t, const sb_cell *rows,
                       int nrows, int *page);
/** Draws spans wrapped at width w in a box whose top-left is (x, y) on
** page, lines of size at the style's leading, each aligned in w; page < 0
** only measures. Returns the height of the lines. Uses the scratch memory
** without resetting it, so cell drawing (sb_cell_draw_fn) may call it.
** @test tests/unit/test_layout.c */
double sb_lay_box(sb_lay *lay, int page, double x, double y, double w,
                  const sb_span *spans, int nspans, double size,
                  sb_align align, const sb_src *src);
/** Height of one body row of t at its declared widths (padding
** included). */
double sb_lay_row_height(sb_lay *lay, const sb_table *t, const sb_cell *row);

/** Finishes: draws the furniture on every page. Returns the status. */
sb_status sb_lay_finish(sb_lay *lay);

#endif
