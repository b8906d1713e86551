/*
** skillbook/style.h -- page geometry, fonts, sizes, colours; printed labels.
**
** Layout and documents take every page size, margin, size, colour and
** printed word from here; none is hard-wired in layout code. Two styles are
** built in (default: A4 portrait; letter: US Letter). Labels come from a
** table per language; English is built in.
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
} sb_style;

/** Looks up a built-in style by name ("default", "letter"); NULL if none. */
const sb_style *sb_style_builtin(const char *name);

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
  X(CHART_PER_LEVEL, "Expectations per level")                            \
  X(CHART_COVERAGE, "Mandatory coverage by area")                         \
  X(NO_MANDATORY, "This role has no mandatory expectation.")             \
  X(CONTINUED, "continued")

typedef enum {
#define SB_X_LABEL(name, en) SB_L_##name,
  SB_LABEL_MAP(SB_X_LABEL)
#undef SB_X_LABEL
  SB_LABEL_COUNT
} sb_label_id;

typedef struct sb_labels {
  const char *lang;                 /* "en", "es", "ru" */
  const char *text[SB_LABEL_COUNT];
} sb_labels;

/** The built-in English labels. */
const sb_labels *sb_labels_en(void);
/** A label; never NULL or empty (falls back to English). */
const char *sb_label(const sb_labels *lb, sb_label_id id);

#endif
