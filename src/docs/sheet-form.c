/*
** docs/sheet-form.c -- the form fields of a fillable sheet or pack
** (sb_review.fillable; the contract is docs/forms.md).
**
** The sheet's files call sb_sheet_field where they draw a box to fill in
** by hand: the check boxes of a row's self / manager / agreed choices
** (radio buttons), the evidence lines (multi-line text), the header's
** name, reviewer and date (one line; a printed value is the field's
** value) and the sign-off dates. Each call appends one SB_OP_FIELD op to
** the display list, over the box, named sb:PERSON:SKILL:QUESTION from
** ids only, with a tooltip (/TU) in the labels' language naming the skill
** and the question. sb_sheet_form_info sets the document's identity: the
** XMP properties collect reads back.
** Tests: tests/cli/fillable.sh
*/
#include <string.h>

#include "sheet-imp.h"

/* An id as a part of a field name: '.' becomes '~' (a partial field name
** may not hold a period; ids never hold '~' or ':'). */
static char *name_part(sb_arena *a, const char *id) {
  char *s = sb_arena_strdup(a, id && *id ? id : "_");
  for (char *p = s; p && *p; p++)
    if (*p == '.') *p = '~';
  return s;
}

const char *sb_sheet_person_id(const sheet *sh) {
  return sh->rv->id && *sh->rv->id ? sh->rv->id : "_";
}

void sb_sheet_field(sheet *sh, int page, double x, double y, double w,
                    double h, sb_field_type type, const char *skill,
                    const char *question, const char *state,
                    const char *value, const char *tip) {
  if (!sh->rv->fillable || !sh->dl || page < 0) return;
  char *person = name_part(sh->arena, sb_sheet_person_id(sh));
  char *sk = name_part(sh->arena, skill);
  const char *name = person && sk ? sb_arena_printf(sh->arena, "sb:%s:%s:%s",
                                                    person, sk, question)
                                  : NULL;
  sb_op *op = name ? sb_dl_add_op(sh->ctx, sh->dl, page, SB_OP_FIELD) : NULL;
  if (!op) return; /* the budget's error is recorded; the layout fails */
  op->u.field.x = x;
  op->u.field.y = y;
  op->u.field.w = w;
  op->u.field.h = h;
  op->u.field.type = (int)type;
  op->u.field.name = name;
  op->u.field.state = state;
  /* (a copy: a value may live in the sheet, which the display list
  ** outlives) */
  op->u.field.value = value && *value ? sb_arena_strdup(sh->arena, value)
                                      : NULL;
  op->u.field.tip = tip;
  op->u.field.font = SB_FONT_REGULAR;
  op->u.field.size = type == SB_FIELD_RADIO ? 0 : sh->st->size_body;
}

void sb_sheet_form_info(sheet *sh, sb_dl *out, int book) {
  const sb_catalog *cat = sh->cat;
  sb_docmeta *m = sb_arena_calloc(out->arena, 8 * sizeof *m);
  if (!m) return;
  int n = 0;
  m[n].key = "formVersion", m[n++].value = "1";
  if (!book) {
    /* the id itself (the field names write its '.' as '~') */
    m[n].key = "person", m[n++].value = sb_sheet_person_id(sh);
    m[n].key = "role", m[n++].value = cat->roles[sh->role].id;
    m[n].key = "from", m[n++].value = cat->levels[sh->from].id;
    m[n].key = "toRole", m[n++].value = cat->roles[sh->to_role].id;
    m[n].key = "to", m[n++].value = cat->levels[sh->to].id;
  }
  m[n].key = "ladderTitle", m[n++].value = cat->title ? cat->title : "";
  m[n].key = "ladderVersion", m[n++].value = cat->version ? cat->version : "";
  out->info.forms = 1;
  out->info.meta = m;
  out->info.nmeta = n;
}
