/*
** skillbook/forms.h -- reading filled review packs back (skillbook collect).
**
** A fillable pack (docs/forms.md) carries form fields named
** sb:PERSON:SKILL:QUESTION and its identity in the XMP metadata. This module
** opens such a PDF (qpdf's C API: object and xref streams, incremental
** updates, files rewritten by other programs), reads the identity (libxml2)
** and every field's value, and says what is missing or unknown. No qpdf or
** libxml2 type leaves it. Values are never logged: they are evidence about
** people.
** Tests: tests/cli/collect.sh (packs filled by tests/collect_fill.py)
*/
#ifndef SKILLBOOK_FORMS_H
#define SKILLBOOK_FORMS_H

#include "skillbook/base.h"

/* The XMP namespace of a pack's identity and the one formVersion read. */
#define SB_PACK_NS "https://skillbook.dev/ns/pack/1.0/"
#define SB_PACK_FORM_VERSION "1"

/* The questions of a skill row, in the order rows are written. */
enum { SB_Q_SELF, SB_Q_MANAGER, SB_Q_AGREED, SB_Q_NOTES, SB_Q_COUNT };
/* Their names in field names and outputs: "self", "manager", ... */
extern const char *const sb_pack_questions[SB_Q_COUNT];

/* One skill row of a pack: the answers of its four fields. */
typedef struct sb_pack_row {
  int who;                        /* its person: an index into people */
  const char *person;             /* PERSON of the field names (decoded) */
  const char *skill;              /* the skill id ('~' back to '.') */
  const char *answer[SB_Q_COUNT]; /* self/manager/agreed: "towards",
                                     "meeting", "exceeding" or "" (nothing
                                     chosen); notes: the text ("" = empty,
                                     line ends as "\n"); NULL = the pack
                                     has no such field */
} sb_pack_row;

/* The header and sign-off fields (sb:PERSON:_head:..., _signoff:...). */
enum { SB_H_NAME, SB_H_REVIEWER, SB_H_DATE, SB_H_ENGINEER_DATE,
       SB_H_REVIEWER_DATE, SB_H_COUNT };

/* A person whose fields a file holds: one in a pack, each of a
** reviewer's book's packs in a book. */
typedef struct sb_pack_person {
  const char *id;                /* PERSON of the field names (decoded) */
  const char *head[SB_H_COUNT];  /* SB_H_*: value, or NULL = no field */
} sb_pack_person;

/* A pack read back. Everything lives in its own arena. */
typedef struct sb_pack {
  /* identity, from the XMP (never NULL; "" when absent) */
  const char *form_version, *person, *role, *from, *to_role, *to;
  const char *ladder_title, *ladder_version;
  int book;                      /* 1: no person in the identity: a
                                    reviewer's book, whose fields name each
                                    pack's person (docs/forms.md) */
  sb_pack_person *people;        /* in the order of their first field; a
                                    pack's own person first, always */
  int npeople;
  sb_pack_row *rows;             /* skills in the order of the fields */
  int nrows;
  /* what does not match the contract (for one warning each) */
  int nmissing;                  /* expected fields not found */
  const char *first_missing;     /* the first one's name */
  int nunknown;                  /* fields ignored: not ours, bad name */
  const char *first_unknown;     /* the first one's name (a field name,
                                    never a value) */
  int nodd;                      /* choices whose state is none of the
                                    contract's (kept as found) */
  int nother_person;             /* a pack's fields of another PERSON than
                                    the identity's (collected as theirs) */
  int nrepairs;                  /* qpdf's warnings while reading: a
                                    damaged file it repaired */
  sb_arena *arena;
} sb_pack;

/** Makes sure packs can be read: opens the PDF reader (libqpdf, loaded at
** run time, only by the commands that read packs). SB_OK, or SB_E_IO with
** ctx's message naming the library, the loader's reason and the Debian
** package to install. sb_load_pack opens it too; a command calls this
** first to say so once rather than for every file.
** @test tests/cli/collect.sh */
sb_status sb_pack_reader_open(sb_ctx *ctx);

/** Reads the filled pack at path. On success *out is the pack (drop it
** with sb_drop_pack). When the file is not one of our packs: SB_E_PDF, and
** ctx's message says why, without the path ("not a PDF", "encrypted",
** "damaged: ...", "no skillbook identity in the XMP metadata", "form
** version 2, this skillbook reads 1"); a file that cannot be read, or
** libqpdf that cannot be loaded (sb_pack_reader_open): SB_E_IO. A
** reviewer's book of fillable packs (an identity without person) is read
** as its packs: p->book set, one person each. Fields are read whatever
** their layout: hierarchical names are joined with '.', a value inherited from a parent field counts, and a
** radio group without /V takes the state of its button that is on.
** @test tests/cli/collect.sh */
sb_status sb_load_pack(sb_ctx *ctx, const char *path, sb_pack **out);

/** Frees a pack; NULL is a no-op. */
void sb_drop_pack(sb_pack *p);

/* ==== XMP (forms/xmp.c) ==== */

/* The pack's identity as properties; values owned by the arena given. */
typedef struct sb_pack_ident {
  const char *form_version, *person, *role, *from, *to_role, *to;
  const char *ladder_title, *ladder_version;
} sb_pack_ident;

/** Finds the sbpack properties (namespace SB_PACK_NS, as attributes of an
** element or as elements holding text) in the XMP packet xmp[0..n) and
** copies them into a; absent ones stay NULL. Returns SB_OK, or SB_E_XML
** when the packet is not well-formed XML (ctx says so). Never loads a DTD
** or the network. @test tests/cli/collect.sh */
sb_status sb_pack_read_xmp(sb_ctx *ctx, const char *xmp, size_t n,
                           sb_arena *a, sb_pack_ident *out);

#endif
