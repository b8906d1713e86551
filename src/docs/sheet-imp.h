/*
** docs/sheet-imp.h -- the level comparison sheet's parts, shared by the
** files that draw it. Private to src/docs/.
**
** sheet.c chooses the rows (--only, --domain, --to-role), sizes the
** columns and places the table; sheet-head.c draws page one (title,
** fields, summary, legend), the furniture and the names bounded once;
** sheet-pack.c the parts of a review pack (sign-off block, the target
** level's expectations in full); review-book.c lays many packs out into
** one book. A book lays every pack into one layout: a sheet keeps all it
** needs for its pages' furniture in its own struct.
*/
#ifndef SKILLBOOK_SHEET_IMP_H
#define SKILLBOOK_SHEET_IMP_H

#include "docs-imp.h"

/* Handwriting space (geometry): check box side, the height of a row of
** the check box grid, ruled writing lines apart and at least how many. */
#define PT_PER_MM (72.0 / 25.4)
#define TICK_MM 4.0
#define GRID_MM 6.5
#define EV_GAP_MM 8.0
#define EV_LINES 2
#define TICK_LINE 0.6 /* the check box's outline, points */

/* The columns of the table, left to right. */
enum { COL_SKILL, COL_CUR, COL_TGT, COL_EV, COL_ASSESS, NCOLS };

struct sheet;

/* One row: a skill, its expectation at each side (NULL: none). */
typedef struct sheet_row {
  int skill;
  const sb_expect *cur, *tgt;
  int is_new, becomes;
  int first_of_domain; /* the first row of its domain: a bookmark */
} sheet_row;

typedef struct sheet {
  sb_ctx *ctx;
  const sb_catalog *cat;
  const sb_review *rv;
  int role, from, to_role, to;
  int cross;              /* to_role != role */
  const char *person, *reviewer, *date_iso;
  const sb_style *st;
  const sb_labels *lb;
  const sb_fontset *fs;
  sb_arena *arena;
  sb_lay *lay;
  sb_dl *dl;              /* the display list (structure marks) */
  /* names bounded once for the places that cannot grow (docs-imp.h) */
  const char *title_role, *line_from, *line_to, *head_from, *head_to;
  const char *foot_name;  /* "Role — from → to" (a pack: "Person · ...") */
  const char *head_title, *version;
  const char *outline_name; /* a book's bookmark for this pack */
  long long doc_date;     /* the document's date (sb_doc_date) or -1 */
  char date[64];          /* the document's date, localised; "" = none */
  char field_date[64];    /* --date, localised; "" = none */
  sheet_row *rows;
  int nrows;
  int *skills;            /* the rows' skills (the document's date) */
  int total;              /* rows before --only / --domain */
  int n_target, n_mand, n_new, n_becomes;
  int depth;              /* outline depth of the domains (0; 1 in a book) */
  /* geometry */
  double w[NCOLS];        /* column widths */
  double pad;
  double size;            /* paragraph size */
  double mark_h;          /* the mark line above a paragraph */
  double tick;            /* check box side */
  double grid_lh;         /* check box grid line height */
  double grid_label_w;    /* "Manager" column inside the assessment */
  double ev_gap;          /* ruled writing lines */
  double flag_w[2];       /* "new", "becomes mandatory" (flag_at) */
  double assess_h;        /* header: "Assessment" over the scale */
  /* in a book: this pack's pages [first_page, end_page) */
  int first_page, end_page;
  sb_lay_ref at;          /* the pack's start, for the contents */
  sb_src src;
} sheet;

static inline const char *L(const sheet *sh, sb_label_id id) {
  return sb_label(sh->lb, id);
}

/** Fills sh from rv: checks the indexes, chooses the rows (--only,
** --domain) and counts the summary's figures. Allocates from arena.
** SB_E_USAGE for bad indexes, SB_E_LIMIT over the arena. (sheet.c) */
sb_status sb_sheet_init(sheet *sh, sb_ctx *ctx, const sb_catalog *cat,
                        const sb_review *rv, const sb_style *st,
                        const sb_labels *lb, const sb_fontset *fs,
                        sb_arena *arena);
/** Lays out one sheet (or pack) on sh->lay from a new page: page one's
** header, the table with the domains' bookmarks at depth sh->depth, and
** for a pack the sign-off block and the target level's expectations.
** Returns the layout's status. (sheet.c) */
sb_status sb_sheet_body(sheet *sh);
/** The document info of a sheet into out->info. (sheet.c) */
void sb_sheet_info(sheet *sh, sb_dl *out);

/** Bounds the names of sh's places (needs the geometry). (sheet-head.c) */
sb_status sb_sheet_bound_names(sheet *sh);
/** Page one: the role and levels, the fields (name, reviewer, date), the
** summary and the legend. Starts a new page. (sheet-head.c) */
sb_status sb_sheet_title_block(sheet *sh);
/** The furniture of page (page X of Y within the sheet). (sheet-head.c) */
void sb_sheet_furniture(sheet *sh, sb_lay *lay, int page, int npages);
/** An outlined flag (0: "new", 1: "becomes mandatory") at (x, base);
** returns its width. (sheet-head.c) */
double sb_sheet_flag_at(sheet *sh, int page, double x, double base,
                        int which);

/** A pack's sign-off block: engineer and reviewer, a signature line and
** a date line each, kept on one page. (sheet-pack.c) */
sb_status sb_sheet_sign_off(sheet *sh);
/** A pack's last part: every skill where the target role has an
** expectation at the target level (within --domain), by domain, the full
** text and the mandatory mark. (sheet-pack.c) */
sb_status sb_sheet_target_in_full(sheet *sh);

/** The review's id as field names and the XMP carry it ("_": none).
** (sheet-form.c) */
const char *sb_sheet_person_id(const sheet *sh);
/** On a fillable sheet (rv->fillable), appends a form field's widget over
** the box (x, y) w x h of page: named sb:PERSON:SKILL:QUESTION
** (docs/forms.md; skill an id, "_head" or "_signoff"), state a radio
** button's on state, value a text field's printed value (the text ops
** that print it must follow the op at once, inside its box: the pdf
** device draws them in the widget's appearance), tip its /TU. Nothing on
** a plain sheet. (sheet-form.c)
** @test tests/cli/fillable.sh */
void sb_sheet_field(sheet *sh, int page, double x, double y, double w,
                    double h, sb_field_type type, const char *skill,
                    const char *question, const char *state,
                    const char *value, const char *tip);
/** A fillable document's info: forms = 1 and the identity of
** docs/forms.md (book: only formVersion and the ladder's, the packs'
** persons are in the field names). (sheet-form.c) */
void sb_sheet_form_info(sheet *sh, sb_dl *out, int book);

#endif
