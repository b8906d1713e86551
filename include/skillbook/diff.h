/*
** skillbook/diff.h -- what changed between two versions of a catalogue.
**
** Two loaded catalogues are compared by ids (never by position or name):
** roles, levels and skills added, removed or renamed (same id, new name);
** a skill's summary or keywords changed; a skill moved to another domain or
** group (matched by the domain's and group's ids); the levels' growth order
** changed; and per expectation (skill, role, level): added, removed, its
** text changed (with a word-level diff), mandatory <-> optional. The
** result is a flat list of changes in a fixed order (catalogue parts,
** then skills in the new catalogue's print order with removed skills at
** the end in the old one's), read by `skillbook diff` (text, JSON),
** the "What changed in the ladder" document and handbook --since.
**
** The word-level diff (sb_word_diff) is Myers' O(ND) algorithm on words
** after trimming the common prefix and suffix; its work is bounded, and a
** paragraph whose difference is larger than the bound is reported as
** "replaced" (every old word removed, every new word added).
** Tests: tests/unit/test_diff.c, tests/cli/diff.sh
*/
#ifndef SKILLBOOK_DIFF_H
#define SKILLBOOK_DIFF_H

#include "skillbook/base.h"
#include "skillbook/catalog.h"

/* ==== Word-level diff ==== */

typedef enum { SB_WD_SAME, SB_WD_DEL, SB_WD_ADD } sb_wd_op;

/* A run of words: SAME is in both texts, DEL only in the old one (a), ADD
** only in the new one (b). Byte ranges [off, off + len) include the space
** after the last word, so the SAME and DEL runs' a ranges concatenated in
** order give a exactly, and the SAME and ADD runs' b ranges give b. */
typedef struct sb_wd_run {
  sb_wd_op op;
  size_t a_off, a_len;   /* SAME, DEL */
  size_t b_off, b_len;   /* SAME, ADD */
} sb_wd_run;

typedef struct sb_wdiff {
  sb_wd_run *runs;       /* heap (sb_wdiff_free) */
  int nruns;
  int removed, added;    /* words */
  int replaced;          /* 1: over the bound, one DEL run and one ADD run */
} sb_wdiff;

enum {
  /* compare words as the sheet does: ASCII letters lowered and
  ** punctuation trimmed at both ends ("Design," == "design") */
  SB_WD_NORMALIZE = 1
};

/* The bound: at most this many edit steps (D), and at most
** SB_WD_MAX_WORK (words after trimming x D) steps of work. */
#define SB_WD_MAX_D 2000
#define SB_WD_MAX_WORK 40000000L

/** Compares a and b (UTF-8, words separated by spaces) word by word into
** *out: a shortest edit script (Myers), with deletions before additions
** at each change. Time O((n + m) D) and memory O(D^2) ints, both bounded
** (SB_WD_MAX_D, SB_WD_MAX_WORK); past the bound *out is the replacement.
** This function can't fail (out of memory ends the program).
** @test tests/unit/test_diff.c */
void sb_word_diff(const char *a, const char *b, unsigned flags,
                  sb_wdiff *out);
/** Frees what sb_word_diff allocated; the struct may be reused. */
void sb_wdiff_free(sb_wdiff *d);

/* ==== Catalogue diff ==== */

typedef enum {
  SB_CH_ROLE_ADDED,
  SB_CH_ROLE_REMOVED,
  SB_CH_ROLE_RENAMED,
  SB_CH_LEVEL_ADDED,
  SB_CH_LEVEL_REMOVED,
  SB_CH_LEVEL_RENAMED,
  SB_CH_LEVEL_ORDER,      /* the common levels' growth order differs */
  SB_CH_SKILL_ADDED,
  SB_CH_SKILL_REMOVED,
  SB_CH_SKILL_RENAMED,
  SB_CH_SKILL_MOVED,      /* another domain or group */
  SB_CH_SKILL_SUMMARY,
  SB_CH_SKILL_KEYWORDS,
  SB_CH_EXPECT_ADDED,
  SB_CH_EXPECT_REMOVED,
  SB_CH_EXPECT_TEXT,
  SB_CH_EXPECT_MANDATORY, /* optional -> mandatory */
  SB_CH_EXPECT_OPTIONAL,  /* mandatory -> optional */
  SB_CH_COUNT
} sb_change_kind;

/* One change. Indexes are into the old (o*) and new (n*) catalogue, -1
** where the thing is absent from that side. A text change and a flip of
** the same expectation are two changes. */
typedef struct sb_change {
  sb_change_kind kind;
  int orole, nrole;       /* role changes; expectations: the role */
  int olevel, nlevel;     /* level changes; expectations: the level */
  int oskill, nskill;     /* skill and expectation changes */
  const sb_expect *oe, *ne; /* expectations: the two versions (or NULL) */
} sb_change;

typedef struct sb_cat_diff {
  const sb_catalog *old, *cur;
  sb_change *changes;     /* heap */
  int nchanges;
  int count[SB_CH_COUNT]; /* changes of each kind */
} sb_cat_diff;

/** Compares old and cur into *out (which borrows both: they must outlive
** it). Time linear in the catalogues (hash tables on ids) plus the word
** diffs the caller asks for later; memory one sb_change per change plus
** tables linear in the ids. This function can't fail.
** @test tests/unit/test_diff.c, tests/cli/diff.sh */
void sb_cat_diff_compute(const sb_catalog *old, const sb_catalog *cur,
                         sb_cat_diff *out);
/** Frees the list; the catalogues are untouched. NULL-safe. */
void sb_cat_diff_free(sb_cat_diff *d);

/** The stable name of a kind in the JSON format ("skill-renamed", ...;
** docs/diff.md). This function can't fail. */
const char *sb_change_kind_name(sb_change_kind k);

/** 1 when change c concerns a role: nrole in the new catalogue and orole
** in the old one (either may be -1): the role itself, its expectations,
** a skill change of a skill where it appears (in either version), and
** every level change. For a role's handbook appendix. */
int sb_change_for_role(const sb_cat_diff *d, const sb_change *c, int nrole,
                       int orole);

/** The index in cur of the skill changes c makes "shown content" of (a
** skill whose handbook section or profile prints differently), or -1. */
int sb_change_shown_skill(const sb_change *c);

/** Counts of role's expectation changes (nrole in cur, orole in old;
** either may be -1) by kind into count (SB_CH_COUNT entries, zeroed
** first): the figures a role's summary shows. Returns their total.
** This function can't fail. */
int sb_cat_diff_role_counts(const sb_cat_diff *d, int nrole, int orole,
                            int count[SB_CH_COUNT]);

/** The newest `updated` date of cat's skills ("YYYY-MM-DD"), or NULL: the
** date a version of a catalogue is known by. */
const char *sb_cat_newest_updated(const sb_catalog *cat);

/* ==== Output (diff/format.c) ==== */

/** Appends the text form to out: nothing when there is no change; else a
** header (old -> new), one line per role with its figures, one line of
** totals, a blank line, then one line per change ("KIND ids details"),
** text changes followed by an indented line with the words removed as
** [-...-] and added as {+...+} (GNU wdiff's marks). This function can't
** fail. @test tests/cli/diff.sh */
void sb_cat_diff_text(const sb_cat_diff *d, sb_buf *out);
/** Appends the JSON form (docs/diff.md, "format": 1) to out. This
** function can't fail. @test tests/cli/diff.sh */
void sb_cat_diff_json(const sb_cat_diff *d, sb_buf *out);

#endif
