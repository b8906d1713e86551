/*
** skillbook/style.h -- page geometry, fonts, sizes, colours; printed labels.
**
** Layout and documents take every page size, margin, size, colour and
** printed word from here; none is hard-wired in layout code. Four styles
** are built in (default: A4; letter: US Letter; ink-saver: greyscale, thin
** rules, no filled bands; branded: an example with a logo); they are the
** style files of styles/ compiled into the binary. A style file (XML,
** schema styles/style-1.xsd, see docs/styles.md) is read by sb_load_style.
** Labels come from a table per language (en, es, ru; src/style/labels.c).
*/
#ifndef SKILLBOOK_STYLE_H
#define SKILLBOOK_STYLE_H

#include "skillbook/base.h"
#include "skillbook/dlist.h"

typedef struct sb_style {
  const char *name;
  double page_w, page_h;           /* portrait page, points */
  int sheet_landscape;             /* sheets turn the page */
  double margin_top, margin_bottom, margin_left, margin_right;
  const char *font_file[SB_FONT_COUNT]; /* file names: absolute, or relative
                                           to the data folder's fonts/ */
  double size_body, size_small, size_tiny;
  double size_title, size_h1, size_h2, size_h3;
  double leading;                  /* line height / font size */
  sb_color text, muted, accent, rule, band, header_fill, header_text;
  double rule_width, table_rule_width;
  double cell_pad;                 /* inner padding of table cells */
  sb_color chart[4];               /* chart series, dark to light */
  int greyscale;                   /* ink-saver: no fills */
  /* ---- added with style files (all optional: zero = the old behaviour) */
  int handbook_landscape;          /* handbooks turn the page */
  int profile_landscape;           /* profiles turn the page */
  double chart_hatch;              /* optional-bar hatch spacing, points;
                                      0 = from the sizes */
  const char *footer_text;         /* printed in every footer; NULL = none */
  const unsigned char *logo_png;   /* PNG bytes (covers, headers); NULL =
                                      no logo */
  size_t logo_len;
  int logo_px_w, logo_px_h;        /* the PNG's size in pixels */
  double logo_w;                   /* printed width on the cover, points
                                      (headers: scaled to the header) */
  const char *file;                /* the style file; NULL when built in */
  const char *logo_file;           /* the logo's file as read; NULL when
                                      none or embedded (the batch records
                                      it: docs/batch.md) */
} sb_style;

/** Looks up a built-in style by name ("default", "a4", "letter",
** "ink-saver", "branded"); NULL if none. The built-ins are the bundled
** style files compiled into the binary, read once per process (their
** fonts are resolved against the data folder's fonts/ at render time).
** This function can't fail for a known name (the embedded files are
** checked by tests/unit/test_style.c). */
const sb_style *sb_style_builtin(const char *name);

/** Names of the built-in styles, NULL-terminated, for messages. */
extern const char *const sb_style_builtin_names[];

/** 1 when spec names a style file (contains '/' or ends in ".xml"), 0 when
** it is a built-in style name. */
int sb_style_is_file(const char *spec);

/** Loads a style: a built-in name, or a style file (see sb_style_is_file).
** Fonts of a style file are resolved relative to the file's folder, else
** against DATADIR/fonts/, and must exist and be TrueType; the logo is read
** relative to the file's folder. On success *out is owned by the caller
** (sb_drop_style). On failure: file:line diagnostics and SB_E_STYLE (bad
** value, unknown key, impossible page, unknown name), SB_E_FONT (missing or
** non-TrueType font), SB_E_IO or SB_E_LIMIT; *out is NULL. */
sb_status sb_load_style(sb_ctx *ctx, const char *spec, const char *datadir,
                        sb_style **out);
/** Frees a style from sb_load_style. NULL is a no-op. */
void sb_drop_style(sb_style *st);

/** Adds everything that shapes output to a hash (numbers, colours, strings,
** the logo bytes; never pointer values). For the batch's change detection. */
void sb_style_hash(const sb_style *st, sb_sha256 *h);

/* ==== Labels: every printed word that is not catalogue content ==== */

#define SB_LABEL_MAP(X)                                                    \
  X(HANDBOOK, "Career-path handbook")                                     \
  X(CONTENTS, "Contents")                                                 \
  X(HOW_TO_READ, "How to read this handbook")                             \
  X(HOW_TO_READ_TEXT,                                                     \
    "Each skill where this role appears has a section with a table: one " \
    "row per level, from the first to the last, with what is expected at " \
    "that level. Levels grow in order; what a level asks builds on the "   \
    "levels before it.")                                                  \
  X(LEGEND, "Legend")                                                     \
  X(MANDATORY, "Mandatory")                                               \
  X(OPTIONAL, "Optional")                                                 \
  X(MANDATORY_TEXT, "required at this level for this role")               \
  X(OPTIONAL_TEXT, "recommended, not required")                           \
  X(GAP, "not defined for this level")                                    \
  X(LEVEL, "Level")                                                       \
  X(EXPECTATION, "Expectation")                                           \
  X(ROLE, "Role")                                                         \
  X(SKILL, "Skill")                                                       \
  X(SKILLS, "Skills")                                                     \
  X(LEVELS, "Levels")                                                     \
  X(DOMAIN, "Domain")                                                     \
  X(GROUP, "Group")                                                       \
  X(KEYWORDS, "Keywords")                                                 \
  X(UPDATED, "Updated")                                                   \
  X(SUMMARY, "Summary")                                                   \
  X(EXPECTATIONS, "Expectations")                                         \
  X(CATALOGUE, "Catalogue")                                               \
  X(VERSION, "Version")                                                   \
  X(AUTHOR, "Author")                                                     \
  X(DATE, "Date")                                                         \
  X(PAGE_X_OF_Y, "page %d of %d")                                         \
  X(SKILLS_FOR_ROLE, "skills where this role appears")                    \
  X(LEVELS_GROWTH, "levels, in growth order")                             \
  X(MANDATORY_COUNT, "mandatory expectations")                            \
  X(OPTIONAL_COUNT, "optional expectations")                              \
  X(ROLES_WHERE, "roles where this skill appears")                        \
  X(OTHER_OPTIONAL, "the other %d optional")                              \
  X(PROFILE, "Skill profile")                                             \
  X(PROFILES, "Skill profiles")                                           \
  X(INDEX_TITLE, "Skills documents")                                      \
  X(INDEX_SHEETS, "Level comparison sheets")                              \
  X(INDEX_PROFILE_BOOK, "Every skill profile, in one book")               \
  X(INDEX_DOCUMENT_ONE, "1 document")                                     \
  X(INDEX_DOCUMENTS, "%d documents")                                      \
  X(INDEX_PAGE_ONE, "1 page")                                             \
  X(INDEX_PAGES, "%d pages")                                              \
  X(INDEX_FIRST_PAGE, "First page of")                                    \
  X(INDEX_NONE, "No documents.")                                          \
  X(INDEX_OTHER, "Other")                                                 \
  X(INDEX_MADE_BY, "Made by")                                             \
  X(INDEX_FOOTER,                                                         \
    "Each document is a PDF; the pictures show its first page.")          \
  X(SHEET, "Level comparison")                                            \
  X(CURRENT, "Current level")                                             \
  X(TARGET, "Target level")                                               \
  X(NEW, "new")                                                           \
  X(BECOMES_MANDATORY, "becomes mandatory")                               \
  X(NAME, "Name")                                                         \
  X(REVIEWER, "Reviewer")                                                 \
  X(SELF, "Self")                                                         \
  X(MANAGER, "Manager")                                                   \
  X(AGREED, "Agreed")                                                     \
  X(WORKING_TOWARDS, "working towards")                                   \
  X(MEETING, "meeting")                                                   \
  X(EXCEEDING, "exceeding")                                               \
  X(EVIDENCE, "Evidence and notes")                                       \
  X(SHEET_NOTE,                                                           \
    "This sheet guides a conversation between an engineer and their "     \
    "manager; it is not a checklist.")                                    \
  X(SHEET_SUM_TARGET, "expectations at the target level")                 \
  X(SHEET_SUM_MANDATORY, "mandatory there")                               \
  X(SHEET_SUM_NEW, "new compared with the current level")                 \
  X(SHEET_SUM_BECOMES, "turn from optional to mandatory")                 \
  X(SHEET_ADDED, "Bold words")                                            \
  X(SHEET_ADDED_TEXT, "what the target level adds to the current one")    \
  X(SHEET_ASSESS, "Assessment")                                           \
  X(ROLES, "Roles")                                                       \
  X(PROFILE_LEVELS, "levels the skill defines")                           \
  X(PROFILE_MANDATORY, "mandatory expectations")                          \
  X(PROFILE_BY_LEVEL, "What is expected at each level")                   \
  X(CHART_PER_LEVEL, "Expectations per level")                            \
  X(CHART_COVERAGE, "Expectations by level and area")                     \
  X(NO_MANDATORY, "This role has no mandatory expectation.")             \
  X(CHART_GRID_KEY, "Each cell: the role's mandatory + optional "         \
    "expectations in the area at that level (a dash: none). The darker "  \
    "the cell, the larger the share of the area's skills that is "        \
    "mandatory.")                                                         \
  X(CHART_SAME, "The same counts in every area:")                         \
  X(CONTINUED, "continued")                                               \
  X(SHEET_ONLY_MANDATORY, "showing the skills mandatory at the target "   \
    "level only")                                                         \
  X(SHEET_ONLY_CHANGED, "showing only what changes between the levels")  \
  X(SHEET_SHOWN, "%d of %d skills shown")                                 \
  X(SIGN_OFF, "Sign-off")                                                 \
  X(ENGINEER, "Engineer")                                                 \
  X(SIGNATURE, "Signature")                                               \
  X(PACK_EXPECT, "The target level's expectations in full")              \
  X(REVIEW_BOOK, "Review packs")                                          \
  X(PACKS, "packs")

typedef enum {
#define SB_X_LABEL(name, en) SB_L_##name,
  SB_LABEL_MAP(SB_X_LABEL)
#undef SB_X_LABEL
  SB_LABEL_COUNT
} sb_label_id;

typedef struct sb_labels {
  const char *lang;                 /* "en", "es", "ru" */
  const char *text[SB_LABEL_COUNT];
  const char *months[12];           /* month names as used in a date */
  const char *date_fmt;             /* %d day, %m month name, %Y year */
  const char *decimal;              /* decimal separator */
} sb_labels;

/** The built-in English labels. */
const sb_labels *sb_labels_en(void);
/** The built-in labels for exactly lang ("en", "es", "ru"), or NULL. */
const sb_labels *sb_labels_lookup(const char *lang);
/** The languages with built-in labels, NULL-terminated. */
extern const char *const sb_label_langs[];
/** A label; never NULL or empty (falls back to English). */
const char *sb_label(const sb_labels *lb, sb_label_id id);
/** Formats a date (seconds since the epoch, UTC) for the language into buf:
** "17 March 2026", "17 de marzo de 2026", "17 марта 2026 г.". An empty
** string for t < 0. Uses the tables of labels.c, never setlocale. This
** function can't fail (the result is cut to fit size). */
void sb_label_date(const sb_labels *lb, long long t, char *buf, size_t size);
/** Formats a number with the language's decimal separator and the given
** decimals into buf. This function can't fail. */
void sb_label_number(const sb_labels *lb, double v, int decimals, char *buf,
                     size_t size);

#endif
