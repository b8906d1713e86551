/*
** forms/collect.c -- a filled pack read back: identity and field values.
**
** qpdf (its C API, qpdf/qpdf-c.h, opened at run time: qpdf-dl.h) opens
** the file: classic and compressed cross-reference tables, object streams,
** incremental updates appended by a viewer's "save", files rewritten by
** other programs, and files it can repair (counted in nrepairs). The
** fields come from /AcroForm /Fields, walked as a tree (a program may
** regroup them: partial names joined with '.', values inherited from
** parents); the identity from the XMP stream (forms/xmp.c). Only qpdf's
** handles live here; strings are copied into the pack's arena at once,
** since qpdf may reuse its buffers on the next call.
** Tests: tests/cli/collect.sh
*/
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms/qpdf-dl.h"
#include "skillbook/forms.h"

const char *const sb_pack_questions[SB_Q_COUNT] = {"self", "manager",
                                                   "agreed", "notes"};
static const char *const head_names[SB_H_COUNT] = {
    "name", "reviewer", "date", "engineer-date", "reviewer-date"};

/* qpdf's functions (forms/qpdf-dl.c), set by sb_load_pack before any use. */
static const sb_qpdf_api *Q;

/* Caps against hostile files: fields walked (a pack has four per skill
** row; qpdf parses each field object at ~20,000 instructions, a 60,000-field
** file takes seconds), nesting of /Kids. */
#define MAX_FIELDS 100000
#define MAX_DEPTH 32

typedef struct reader {
  sb_ctx *ctx;
  qpdf_data q;
  sb_pack *p;
  int nfields;           /* terminal fields seen */
  /* Hash tables (open addressing, power-of-two sizes, linear probing), so
  ** that a file of many fields costs no quadratic search: */
  int *seen;             /* object ids of the fields walked (0 = free) */
  size_t nseen, capseen;
  size_t *rowtab;        /* row index + 1 by person and skill (0 = free) */
  size_t caprowtab;
  size_t caprows;
  size_t *persontab;     /* person index + 1 by id (0 = free) */
  size_t cappersontab, cappeople;
} reader;

/* A dictionary's entry, or null (no warning) when oh is not a dictionary. */
static qpdf_oh key(qpdf_data q, qpdf_oh oh, const char *k) {
  return Q->oh_get_key_if_dict(q, oh, k);
}

static int has(qpdf_data q, qpdf_oh oh, const char *k) {
  return Q->oh_is_dictionary(q, oh) && Q->oh_has_key(q, oh, k);
}

/* ==== Values ==== */

/* A copy of a PDF text string (UTF-8, from PDFDocEncoding or UTF-16),
** with NUL bytes dropped and line ends (CR LF, CR) made LF. */
static const char *text_value(reader *r, qpdf_oh oh) {
  const char *v = NULL;
  size_t n = 0;
  if (!Q->oh_get_value_as_utf8(r->q, oh, &v, &n) || !v)
    return "";
  char *s = sb_arena_alloc(r->p->arena, n + 1);
  if (!s)
    return "";
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (v[i] == '\0')
      continue;
    if (v[i] == '\r') {
      s[k++] = '\n';
      if (i + 1 < n && v[i + 1] == '\n')
        i++;
      continue;
    }
    s[k++] = v[i];
  }
  s[k] = '\0';
  return s;
}

/* A name's text without its '/' ("meeting"); "Off" reads as "". */
static const char *name_value(reader *r, qpdf_oh oh) {
  const char *v = Q->oh_get_name(r->q, oh);
  if (!v || !*v)
    return "";
  if (*v == '/')
    v++;
  if (strcmp(v, "Off") == 0)
    return "";
  return sb_arena_strdup(r->p->arena, v);
}

/* The value of a terminal field: its /V (or an ancestor's, iv), as text
** or as a state; for a button without /V, the on state of the widget
** whose /AS is not Off. A rich-text stream value is read as its bytes. */
static const char *field_value(reader *r, qpdf_oh field, qpdf_oh iv) {
  qpdf_data q = r->q;
  qpdf_oh v = has(q, field, "/V") ? key(q, field, "/V")
                                              : iv;
  if (v && Q->oh_is_string(q, v))
    return text_value(r, v);
  if (v && Q->oh_is_name(q, v))
    return name_value(r, v);
  if (v && Q->oh_is_stream(q, v)) {
    unsigned char *buf = NULL;
    size_t n = 0;
    /* the code has QPDF_WARNINGS set while warnings are pending (those
    ** of a repaired file): only QPDF_ERRORS is a failure */
    if (!(Q->oh_get_stream_data(q, v, qpdf_dl_generalized, NULL, &buf, &n) &
          QPDF_ERRORS) && buf) {
      const char *s = sb_arena_strndup(r->p->arena, (const char *)buf, n);
      free(buf);
      return s ? s : "";
    }
    free(buf);
    return "";
  }
  /* no value: a radio group read from its buttons' appearance states */
  qpdf_oh kids = key(q, field, "/Kids");
  if (Q->oh_is_array(q, kids)) {
    int nk = Q->oh_get_array_n_items(q, kids);
    for (int i = 0; i < nk && i < 64; i++) {
      qpdf_oh as = key(q, Q->oh_get_array_item(q, kids, i), "/AS");
      if (Q->oh_is_name(q, as)) {
        const char *s = name_value(r, as);
        if (*s)
          return s;
      }
    }
  }
  qpdf_oh as = key(q, field, "/AS");
  if (Q->oh_is_name(q, as))
    return name_value(r, as);
  return "";
}

/* ==== Field names ==== */

/* Decodes one part of a field name in place ('~' back to '.'). */
static char *decode_part(char *s) {
  for (char *c = s; *c; c++)
    if (*c == '~')
      *c = '.';
  return s;
}

static void note_unknown(reader *r, const char *name) {
  if (r->p->nunknown++ == 0)
    r->p->first_unknown = sb_arena_strdup(r->p->arena, name);
}

static uint64_t row_hash(const char *person, const char *skill) {
  uint64_t h = sb_hash_fnv1a(person, strlen(person) + 1, SB_FNV1A_BASIS);
  return sb_hash_fnv1a(skill, strlen(skill), h);
}

/* Puts row index i into the row table (which has room). */
static void rowtab_put(reader *r, size_t i) {
  const sb_pack_row *row = &r->p->rows[i];
  size_t mask = r->caprowtab - 1;
  size_t k = (size_t)row_hash(row->person, row->skill) & mask;
  while (r->rowtab[k])
    k = (k + 1) & mask;
  r->rowtab[k] = i + 1;
}

static void persontab_put(reader *r, size_t i) {
  const char *id = r->p->people[i].id;
  size_t mask = r->cappersontab - 1;
  size_t k = (size_t)sb_hash_fnv1a(id, strlen(id), SB_FNV1A_BASIS) & mask;
  while (r->persontab[k])
    k = (k + 1) & mask;
  r->persontab[k] = i + 1;
}

/* The index of person id in p->people, added when new; -1 when out of
** memory in the arena. */
static int person_for(reader *r, const char *id) {
  sb_pack *p = r->p;
  if (r->cappersontab) {
    size_t mask = r->cappersontab - 1;
    for (size_t k = (size_t)sb_hash_fnv1a(id, strlen(id), SB_FNV1A_BASIS) &
                    mask;
         r->persontab[k]; k = (k + 1) & mask)
      if (strcmp(p->people[r->persontab[k] - 1].id, id) == 0)
        return (int)r->persontab[k] - 1;
  }
  if ((size_t)p->npeople == r->cappeople) {
    size_t cap = r->cappeople ? r->cappeople * 2 : 8;
    sb_pack_person *np = sb_arena_calloc(p->arena, cap * sizeof *np);
    if (!np)
      return -1;
    if (p->npeople)
      memcpy(np, p->people, (size_t)p->npeople * sizeof *np);
    p->people = np;
    r->cappeople = cap;
  }
  sb_pack_person *pp = &p->people[p->npeople++];
  memset(pp, 0, sizeof *pp);
  pp->id = sb_arena_strdup(p->arena, id);
  if ((size_t)p->npeople * 2 > r->cappersontab) {  /* at most half full */
    free(r->persontab);
    r->cappersontab = r->cappersontab ? r->cappersontab * 2 : 16;
    r->persontab = sb_xcalloc(r->cappersontab, sizeof *r->persontab);
    for (int i = 0; i < p->npeople; i++)
      persontab_put(r, (size_t)i);
  } else {
    persontab_put(r, (size_t)p->npeople - 1);
  }
  return p->npeople - 1;
}

static sb_pack_row *row_for(reader *r, const char *person, const char *skill) {
  sb_pack *p = r->p;
  if (r->caprowtab) {
    size_t mask = r->caprowtab - 1;
    for (size_t k = (size_t)row_hash(person, skill) & mask; r->rowtab[k];
         k = (k + 1) & mask) {
      sb_pack_row *row = &p->rows[r->rowtab[k] - 1];
      if (strcmp(row->skill, skill) == 0 && strcmp(row->person, person) == 0)
        return row;
    }
  }
  if ((size_t)p->nrows == r->caprows) {
    size_t cap = r->caprows ? r->caprows * 2 : 64;
    sb_pack_row *nr = sb_arena_calloc(p->arena, cap * sizeof *nr);
    if (!nr)
      return NULL;
    if (p->nrows)
      memcpy(nr, p->rows, (size_t)p->nrows * sizeof *nr);
    p->rows = nr;
    r->caprows = cap;
  }
  int who = person_for(r, person);
  if (who < 0)
    return NULL;
  sb_pack_row *row = &p->rows[p->nrows++];
  memset(row, 0, sizeof *row);
  row->who = who;
  row->person = p->people[who].id;
  row->skill = sb_arena_strdup(p->arena, skill);
  if ((size_t)p->nrows * 2 > r->caprowtab) {  /* at most half full */
    free(r->rowtab);
    r->caprowtab = r->caprowtab ? r->caprowtab * 2 : 128;
    r->rowtab = sb_xcalloc(r->caprowtab, sizeof *r->rowtab);
    for (int i = 0; i < p->nrows; i++)
      rowtab_put(r, (size_t)i);
  } else {
    rowtab_put(r, (size_t)p->nrows - 1);
  }
  return row;
}

static int is_state(const char *v) {
  return !*v || strcmp(v, "towards") == 0 || strcmp(v, "meeting") == 0 ||
         strcmp(v, "exceeding") == 0;
}

/* Files one terminal field by its full name (sb:PERSON:SKILL:QUESTION). */
static void take(reader *r, const char *full, const char *value) {
  sb_pack *p = r->p;
  char buf[512];
  if (strlen(full) >= sizeof buf || strncmp(full, "sb:", 3) != 0) {
    note_unknown(r, full);
    return;
  }
  strcpy(buf, full + 3);
  char *person = buf, *skill, *question;
  if (!(skill = strchr(person, ':')) || !(question = strchr(skill + 1, ':')) ||
      strchr(question + 1, ':') || skill == person || question == skill + 1 ||
      !question[1]) {
    note_unknown(r, full);
    return;
  }
  *skill++ = '\0';
  *question++ = '\0';
  decode_part(person);
  decode_part(skill);
  if (!p->book && strcmp(person, p->person) != 0)
    p->nother_person++;
  if (strcmp(skill, "_head") == 0 || strcmp(skill, "_signoff") == 0) {
    int first = skill[1] == 'h' ? SB_H_NAME : SB_H_ENGINEER_DATE;
    int last = skill[1] == 'h' ? SB_H_DATE : SB_H_REVIEWER_DATE;
    for (int i = first; i <= last; i++)
      if (strcmp(question, head_names[i]) == 0) {
        int who = person_for(r, person);
        if (who >= 0 && !p->people[who].head[i])
          p->people[who].head[i] = value;
        return;
      }
    note_unknown(r, full);
    return;
  }
  if (skill[0] == '_') {
    note_unknown(r, full);
    return;
  }
  for (int qi = 0; qi < SB_Q_COUNT; qi++) {
    if (strcmp(question, sb_pack_questions[qi]) != 0)
      continue;
    sb_pack_row *row = row_for(r, person, skill);
    if (!row)
      return;
    if (!row->answer[qi]) {
      row->answer[qi] = value;
      if (qi != SB_Q_NOTES && !is_state(value))
        p->nodd++;
    }
    return;
  }
  note_unknown(r, full);
}

/* ==== The field tree ==== */

/* Whether the field object oh was walked already (a /Kids cycle, or a
** field listed twice); records it. Direct objects have no id: never seen. */
static int seen_before(reader *r, qpdf_oh oh) {
  int id = Q->oh_get_object_id(r->q, oh);
  if (id <= 0)
    return 0;
  if ((r->nseen + 1) * 2 > r->capseen) {  /* at most half full */
    size_t old = r->capseen;
    int *was = r->seen;
    r->capseen = old ? old * 2 : 256;
    r->seen = sb_xcalloc(r->capseen, sizeof *r->seen);
    for (size_t i = 0; i < old; i++)
      if (was[i]) {
        size_t k = (size_t)was[i] * 2654435761u & (r->capseen - 1);
        while (r->seen[k])
          k = (k + 1) & (r->capseen - 1);
        r->seen[k] = was[i];
      }
    free(was);
  }
  size_t k = (size_t)id * 2654435761u & (r->capseen - 1);
  for (; r->seen[k]; k = (k + 1) & (r->capseen - 1))
    if (r->seen[k] == id)
      return 1;
  r->seen[k] = id;
  r->nseen++;
  return 0;
}

/* Whether a /Kids array holds fields (with /T) rather than only widgets. */
static int kids_are_fields(reader *r, qpdf_oh kids) {
  int nk = Q->oh_get_array_n_items(r->q, kids);
  for (int i = 0; i < nk; i++)
    if (has(r->q, Q->oh_get_array_item(r->q, kids, i), "/T"))
      return 1;
  return 0;
}

static void walk(reader *r, qpdf_oh node, const char *prefix, qpdf_oh iv,
                 int depth) {
  qpdf_data q = r->q;
  if (depth > MAX_DEPTH || r->nfields > MAX_FIELDS ||
      !Q->oh_is_dictionary(q, node) || seen_before(r, node))
    return;
  char *name = NULL;
  if (has(q, node, "/T")) {
    const char *t = text_value(r, key(q, node, "/T"));
    size_t n = strlen(prefix) + strlen(t) + 2;
    name = sb_xmalloc(n);
    snprintf(name, n, "%s%s%s", prefix, *prefix ? "." : "", t);
  } else {
    name = sb_xstrdup(prefix);
  }
  if (has(q, node, "/V"))
    iv = key(q, node, "/V");
  qpdf_oh kids = key(q, node, "/Kids");
  if (Q->oh_is_array(q, kids) && kids_are_fields(r, kids)) {
    int nk = Q->oh_get_array_n_items(q, kids);
    for (int i = 0; i < nk; i++)
      walk(r, Q->oh_get_array_item(q, kids, i), name, iv, depth + 1);
  } else if (*name) {
    r->nfields++;
    take(r, name, field_value(r, node, iv));
  }
  free(name);
}

/* ==== Expected fields ==== */

static void note_missing(sb_pack *p, const char *person, const char *skill,
                         const char *question) {
  if (p->nmissing++ == 0)
    p->first_missing = sb_arena_printf(p->arena, "sb:%s:%s:%s", person, skill,
                                       question);
}

/* Every skill row has its four fields; every person the header's three;
** the sign-off both dates when it has either (a sheet has no sign-off
** block). */
static void count_missing(sb_pack *p) {
  for (int i = 0; i < p->nrows; i++)
    for (int qi = 0; qi < SB_Q_COUNT; qi++)
      if (!p->rows[i].answer[qi])
        note_missing(p, p->rows[i].person, p->rows[i].skill,
                     sb_pack_questions[qi]);
  for (int k = 0; k < p->npeople; k++) {
    const sb_pack_person *pp = &p->people[k];
    for (int i = SB_H_NAME; i <= SB_H_DATE; i++)
      if (!pp->head[i])
        note_missing(p, pp->id, "_head", head_names[i]);
    if (pp->head[SB_H_ENGINEER_DATE] || pp->head[SB_H_REVIEWER_DATE])
      for (int i = SB_H_ENGINEER_DATE; i <= SB_H_REVIEWER_DATE; i++)
        if (!pp->head[i])
          note_missing(p, pp->id, "_signoff", head_names[i]);
  }
}

/* ==== Opening ==== */

/* Whether the file starts like a PDF: "%PDF-" in its first 1024 bytes, as
** readers accept. SB_E_IO when it cannot be read. */
static sb_status sniff(sb_ctx *ctx, const char *path, int *is_pdf) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return sb_fail(ctx, SB_E_IO, "cannot open: %s", strerror(errno));
  char buf[1024];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  *is_pdf = 0;
  for (size_t i = 0; i + 5 <= n; i++)
    if (memcmp(buf + i, "%PDF-", 5) == 0) {
      *is_pdf = 1;
      break;
    }
  return SB_OK;
}

/* The text of qpdf's last error (taken: qpdf_get_error clears it), copied
** into buf. */
static const char *qpdf_why(qpdf_data q, char *buf, size_t size) {
  qpdf_error e = Q->has_error(q) ? Q->get_error(q) : NULL;
  const char *d = e ? Q->get_error_message_detail(q, e) : NULL;
  snprintf(buf, size, "%s", d && *d ? d : "unreadable");
  return buf;
}

static sb_status read_identity(reader *r) {
  qpdf_data q = r->q;
  sb_pack *p = r->p;
  qpdf_oh root = Q->get_root(q);
  char why[200];
  if (Q->has_error(q) || !Q->oh_is_dictionary(q, root))
    return sb_fail(r->ctx, SB_E_PDF, "damaged: no document catalogue (%s)",
                   qpdf_why(q, why, sizeof why));
  qpdf_oh md = key(q, root, "/Metadata");
  if (!Q->oh_is_stream(q, md))
    return sb_fail(r->ctx, SB_E_PDF, "no XMP metadata");
  unsigned char *buf = NULL;
  size_t n = 0;
  QPDF_BOOL filtered = QPDF_FALSE;
  if ((Q->oh_get_stream_data(q, md, qpdf_dl_generalized, &filtered, &buf,
                               &n) & QPDF_ERRORS) || !buf || !filtered) {
    free(buf);
    return sb_fail(r->ctx, SB_E_PDF, "damaged XMP metadata: %s",
                   qpdf_why(q, why, sizeof why));
  }
  sb_pack_ident id;
  sb_status st = sb_pack_read_xmp(r->ctx, (const char *)buf, n, p->arena, &id);
  free(buf);
  if (st != SB_OK)
    return SB_E_PDF;
  if (!id.form_version)
    return sb_fail(r->ctx, SB_E_PDF, "no skillbook identity in the XMP "
                   "metadata");
  if (strcmp(id.form_version, SB_PACK_FORM_VERSION) != 0)
    return sb_fail(r->ctx, SB_E_PDF, "form version '%.40s', this skillbook "
                   "reads " SB_PACK_FORM_VERSION, id.form_version);
#define S(f) p->f = id.f ? id.f : ""
  S(form_version); S(person); S(role); S(from); S(to_role); S(to);
  S(ladder_title); S(ladder_version);
#undef S
  /* a pack's own person comes first, fields or not; a book has none */
  p->book = !id.person;
  if (!p->book && person_for(r, p->person) < 0)
    return sb_fail_arena(r->ctx);
  return SB_OK;
}

sb_status sb_pack_reader_open(sb_ctx *ctx) {
  return sb_qpdf_open(ctx) ? SB_OK : ctx->status;
}

sb_status sb_load_pack(sb_ctx *ctx, const char *path, sb_pack **out) {
  *out = NULL;
  int is_pdf = 0;
  sb_status st = sniff(ctx, path, &is_pdf);
  if (st != SB_OK)
    return st;
  if (!is_pdf)
    return sb_fail(ctx, SB_E_PDF, "not a PDF");
  if (!(Q = sb_qpdf_open(ctx)))
    return SB_E_IO;
  reader r = {0};
  r.ctx = ctx;
  r.q = Q->init();
  Q->silence_errors(r.q);
  Q->set_suppress_warnings(r.q, QPDF_TRUE);
  sb_pack *p = sb_xcalloc(1, sizeof *p);
  p->arena = sb_new_arena(0);
  r.p = p;
  char why[200];
  if (Q->read(r.q, path, "") & QPDF_ERRORS) {
    qpdf_error e = Q->get_error(r.q);
    const char *d = e ? Q->get_error_message_detail(r.q, e) : NULL;
    if (e && Q->get_error_code(r.q, e) == qpdf_e_password)
      st = sb_fail(ctx, SB_E_PDF, "encrypted");
    else
      st = sb_fail(ctx, SB_E_PDF, "damaged: %.200s", d && *d ? d : "unreadable");
    goto fail;
  }
  if (Q->is_encrypted(r.q)) {
    st = sb_fail(ctx, SB_E_PDF, "encrypted");
    goto fail;
  }
  st = read_identity(&r);
  if (st != SB_OK)
    goto fail;
  /* Every qpdf_oh call makes a handle that lives until released: all are
  ** released after each top-level field (the field list fetched again), so
  ** that a file of many fields does not pile them up. */
  for (int i = 0, nf = 1; i < nf; i++) {
    qpdf_oh fields = key(r.q, key(r.q, Q->get_root(r.q), "/AcroForm"),
                         "/Fields");
    if (!Q->oh_is_array(r.q, fields))
      break;
    nf = Q->oh_get_array_n_items(r.q, fields);
    if (i < nf)
      walk(&r, Q->oh_get_array_item(r.q, fields, i), "", 0, 0);
    Q->oh_release_all(r.q);
  }
  if (Q->has_error(r.q)) {
    st = sb_fail(ctx, SB_E_PDF, "damaged: %s", qpdf_why(r.q, why, sizeof why));
    goto fail;
  }
  if (r.nfields > MAX_FIELDS) {
    st = sb_fail(ctx, SB_E_PDF, "more than %d form fields", MAX_FIELDS);
    goto fail;
  }
  count_missing(p);
  while (Q->more_warnings(r.q)) {
    Q->next_warning(r.q);
    p->nrepairs++;
  }
  free(r.seen);
  free(r.rowtab);
  free(r.persontab);
  Q->cleanup(&r.q);
  *out = p;
  return SB_OK;
fail:
  free(r.seen);
  free(r.rowtab);
  free(r.persontab);
  if (Q->has_error(r.q))
    Q->get_error(r.q);  /* taken: else qpdf_cleanup prints it */
  Q->cleanup(&r.q);
  sb_drop_pack(p);
  return st;
}

void sb_drop_pack(sb_pack *p) {
  if (!p)
    return;
  sb_drop_arena(p->arena);
  free(p);
}
