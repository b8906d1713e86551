/*
** tests/fuzz/fuzz_ladder.c -- libFuzzer target: a byte recipe -> a VALID
** catalogue -> every document kind, through sb_render.
**
** fuzz_catalog and fuzz_handbook mutate XML bytes, so nearly every input
** they try is refused by the parser or the schema, and the few that load
** are small. This target is schema-aware without a protobuf mutator: the
** input is a compact recipe that decodes, deterministically, to a catalogue
** that is always valid (ids per the schema, every reference resolved, no
** blank text), so every execution reaches layout and the devices. libFuzzer
** mutates the recipe's bytes, which means it mutates counts (up to 1,024
** levels, roles and skills, so a sparse 700 x 700 x 500 catalogue is a
** 30-byte input), names, texts and their lengths (up to 131,072 characters
** of one letter, mixed scripts, combining marks, RTL, characters outside
** the fonts, invisible characters), ids, dates and attribute values.
** Every input renders a handbook, a level sheet, a skill profile and, for
** small catalogues, the profile book, to the trace, pdf or png device.
**
** The limits are the program's defaults (pages 20,000, arena 2 GiB, text
** 1 MiB per node) except the file (16 MiB) and node (200,000) caps, so
** what is slow or big for a user is slow or big here: libFuzzer's
** -timeout and -rss_limit_mb turn it into a finding (docs/hardening.md,
** "The ladder target"). No recipe comes near those limits (fewer than
** 10,000 elements, a text node under 800 KiB even written with escapes,
** a file under 5 MiB; no document of it needs 20,000 pages), so a catalogue that fails to load, or a document
** that fails for any reason, a limit included, is a bug (here or in the
** library) and aborts: a layout that paginates without end is found
** when it reaches the page cap, even where that is cheap.
**
** The recipe (all numbers little-endian; reading past the end gives 0, so
** every byte string is a recipe; tests/fuzz/ladder_recipe.py writes them):
**
**   header, 22 bytes:
**     0      flags: bits 0-1 format (0, 3 trace, 1 pdf, 2 png page 1),
**            bit 2 the profile book too (at most 64 skills), bits 3-4
**            style (default, letter, ink-saver, branded), bit 5 the
**            sheet's person and reviewer fields, bits 6-7 the sheet's
**            rows (0 all, 1 --only mandatory, 2 --only changed, 3 a
**            review pack of the domain of the profile's skill)
**     1-2    levels - 1 (mod 1,024)      3-4    roles - 1 (mod 1,024)
**     5      domains - 1 (mod 16)        6      groups per domain - 1 (mod 8)
**     7-8    skills - 1 (mod 1,024)
**     9      expectations per skill (mod 17); the i-th one of skill s is at
**            level (s*A + i) mod levels, role (s*B + i*C) mod roles
**     10 A   11 B   12 C   13 mandatory: bit (i mod 8) set "true",
**            clear "false" (left out when byte 14 has bit 7)
**     14     bits 0-3 xml:lang (one of 16 tags), bit 7 omit mandatory="false"
**     15-16  handbook and sheet role   17-18 sheet from level
**     19-20  sheet to level            (all mod the count; from < to)
**     21     (unused, 0)
**   then operations until the end, each an opcode byte (mod 14):
**     0 level name   u16 index, TEXT      1 role name    u16 index, TEXT
**     2 domain name  u8 index, TEXT       3 group name   u8 index, TEXT
**     4 skill name   u16 index, TEXT      5 summary      u16 skill, TEXT
**     6 keyword      u16 skill, TEXT
**     7 expectation  u16 skill, u16 level, u16 role, u8 mandatory, TEXT
**                    (adds one, or replaces the text of the existing one)
**     8 root text    u8 which (title, version, author), TEXT
**     9 id style     u8 kind (level, role, domain, group, skill), u16 index,
**                    u8 style (short "l12", 64 characters, digit first)
**     10 updated     u16 skill, u16 days since 1970-01-01
**     11 person      u8 which (person, reviewer), TEXT
**     12 every name  u8 kind (level, role, domain, group, skill,
**                    expectation text), TEXT: every one of that kind not
**                    named yet, the seed varied by index
**     13 profile     u16 skill: which skill's profile
**   TEXT = u8 style (mod 12), LEB128 length in characters (at most 3
**   bytes; capped at 131,072, and at 524,288 over the whole recipe),
**   u8 seed (style 1: which letter).
**
** Built by -DSB_FUZZ=ON; tests/fuzz/replay.c replays corpus-ladder/ through
** it (ctest fuzz/replay-ladder, with a time and memory limit per input).
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "skillbook/catalog.h"
#include "skillbook/docs.h"
#include "skillbook/render.h"
#include "skillbook/style.h"

enum {
  MAX_LEVELS = 1024,
  MAX_ROLES = 1024,
  MAX_DOMAINS = 16,
  MAX_GROUPS = 8, /* per domain */
  MAX_SKILLS = 1024,
  MAX_PER_SKILL = 16,
  MAX_EXPECTS = 4096,
  MAX_KEYWORDS = 1024,
  TEXT_MAX = 131072,   /* characters in one text */
  TEXT_BUDGET = 524288, /* characters in all the texts of one recipe */
  BOOK_SKILLS = 64,
  NSTYLES = 12
};

enum { K_LEVEL, K_ROLE, K_DOMAIN, K_GROUP, K_SKILL, K_NKINDS };

static const char *const langs[16] = {
    "en", "es", "ru", "de", "fr", "he", "ar", "zh", "ja", "en-GB", "es-419",
    "ru-RU", "sr-Latn-RS", "pt-BR", "fi", "tlh"};
static const char *const styles[4] = {"default", "letter", "ink-saver",
                                      "branded"};

/* ==== Reading the recipe ==== */

typedef struct rd {
  const uint8_t *p;
  size_t n, i;
} rd;

static unsigned u8(rd *r) { return r->i < r->n ? r->p[r->i++] : 0; }
static unsigned u16(rd *r) {
  unsigned lo = u8(r);
  return lo | u8(r) << 8;
}
static size_t leb(rd *r) {
  size_t v = 0;
  for (int shift = 0; shift < 21; shift += 7) {
    unsigned b = u8(r);
    v |= (size_t)(b & 0x7f) << shift;
    if (!(b & 0x80))
      break;
  }
  return v;
}

/* ==== Texts ==== */

/* splitmix64: the generator behind every text, seeded from the recipe */
static uint64_t next(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
static uint32_t below(uint64_t *s, uint32_t n) {
  return (uint32_t)(next(s) % n);
}

static void put_cp(sb_buf *b, uint32_t c) {
  char u[4];
  size_t n;
  if (c < 0x80) {
    u[0] = (char)c;
    n = 1;
  } else if (c < 0x800) {
    u[0] = (char)(0xC0 | c >> 6);
    u[1] = (char)(0x80 | (c & 0x3F));
    n = 2;
  } else if (c < 0x10000) {
    u[0] = (char)(0xE0 | c >> 12);
    u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    u[2] = (char)(0x80 | (c & 0x3F));
    n = 3;
  } else {
    u[0] = (char)(0xF0 | c >> 18);
    u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    u[3] = (char)(0x80 | (c & 0x3F));
    n = 4;
  }
  sb_buf_add(b, u, n);
}

/* Letters of scripts, as ranges: the fonts have some, not others. */
static const uint32_t scripts[][2] = {
    {'a', 'z'},         {'A', 'Z'},         {0xC0, 0xFF},       /* Latin-1 */
    {0x100, 0x17F},     {0x391, 0x3A9},     {0x410, 0x44F},     /* Cyrillic */
    {0x531, 0x556},     {0x5D0, 0x5EA},     {0x627, 0x64A},     /* Arabic */
    {0x915, 0x939},     {0xE01, 0xE2E},     {0x10D0, 0x10F0},   /* Georgian */
    {0x4E00, 0x9FA5},   {0xAC00, 0xD7A3},   {0x30A1, 0x30F6},   /* Katakana */
    {0x1F600, 0x1F64F}, {0x1D400, 0x1D433}, {0xE000, 0xE0FF},   /* PUA */
    {'0', '9'}};
enum { NSCRIPTS = sizeof scripts / sizeof scripts[0] };
/* scripts outside Liberation Sans: Armenian on, see the table above */
static const int foreign[] = {6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
static const uint32_t invisible[] = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF,
                                     0x00AD, 0xFE0F, 0xFE00};
static const uint32_t bidi[] = {0x200E, 0x200F, 0x202A, 0x202B, 0x202C,
                                0x202D, 0x202E, 0x2066, 0x2067, 0x2069};
static const uint32_t spaces[] = {' ', 0xA0, 0x2009, 0x3000, 0x202F, '\t',
                                  '\n', 0x2007};
static const uint32_t punct[] = {'-', '/', '.', ',', ':', ';', '(', ')',
                                 0x2014, 0x2026, 0x2013, '_', '?', '!', '+',
                                 '=', '#', '%'};
static const uint32_t xmlish[] = {'&', '<', '>', '"', '\'', ']', '[', '='};
/* style 1's letters: narrow, wide, Cyrillic, Hebrew, Arabic, CJK, an
** emoji, a combining mark after 'a' would not be a letter, so a digit */
static const uint32_t letters[] = {'a', 'W', 'i', 'm', 0x416, 0x5E9, 0x639,
                                   0x4E2D, 0x1F600, 0xDF, '0', 0xE9, 0x3A9,
                                   0xAC00, 0x915, 'M'};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint32_t from_script(uint64_t *s, int k) {
  return scripts[k][0] + below(s, scripts[k][1] - scripts[k][0] + 1);
}
static uint32_t any_letter(uint64_t *s) {
  return from_script(s, (int)below(s, NSCRIPTS));
}

/* Appends n characters of style (mod NSTYLES) to b; never all XML white
** space (the schema's xs:token with minLength 1). */
static void gen_text(sb_buf *b, unsigned style, size_t n, unsigned seed,
                     uint64_t salt) {
  uint64_t s = salt * 0x100000001B3ull + seed * 0x9E3779B1u + style;
  size_t i = 0, start = b->n;
  int visible = 0;
#define PUT(c)                                                                 \
  do {                                                                         \
    uint32_t c_ = (c);                                                         \
    put_cp(b, c_);                                                             \
    visible |= c_ != ' ' && c_ != '\t' && c_ != '\n' && c_ != '\r';            \
    i++;                                                                       \
  } while (0)
  switch (style % NSTYLES) {
  case 0: /* ASCII words */
    while (i < n) {
      uint32_t w = 1 + below(&s, 12);
      for (uint32_t k = 0; k < w && i < n; k++)
        PUT(from_script(&s, k == 0 && i == 0 ? 1 : 0));
      if (i < n)
        PUT(' ');
    }
    break;
  case 1: /* one letter, n times: no break opportunity at all */
    while (i < n)
      PUT(letters[seed % N(letters)]);
    break;
  case 2: /* mixed scripts, no spaces */
    while (i < n)
      PUT(any_letter(&s));
    break;
  case 3: /* mixed scripts, words */
    while (i < n) {
      int k = (int)below(&s, NSCRIPTS);
      uint32_t w = 1 + below(&s, 10);
      for (uint32_t j = 0; j < w && i < n; j++)
        PUT(from_script(&s, k));
      if (i < n)
        PUT(spaces[below(&s, 3)]);
    }
    break;
  case 4: /* combining marks piled on letters */
    while (i < n) {
      PUT(any_letter(&s));
      uint32_t m = below(&s, 1 + seed % 40);
      for (uint32_t j = 0; j < m && i < n; j++)
        PUT(0x300 + below(&s, 0x70));
    }
    break;
  case 5: /* right to left, with bidi controls and digits */
    while (i < n) {
      uint32_t r = below(&s, 10);
      if (r < 2)
        PUT(bidi[below(&s, N(bidi))]);
      else if (r < 3)
        PUT(' ');
      else if (r < 4)
        PUT(from_script(&s, 18));
      else
        PUT(from_script(&s, r < 7 ? 7 : 8));
    }
    break;
  case 6: /* outside the fonts: CJK, Hangul, emoji, PUA, Indic, ... */
    while (i < n) {
      PUT(from_script(&s, foreign[below(&s, N(foreign))]));
      if (i < n && below(&s, 8) == 0)
        PUT(' ');
    }
    break;
  case 7: /* invisible characters between letters, and runs of them */
    while (i < n) {
      if (below(&s, 4) == 0)
        PUT(any_letter(&s));
      else
        PUT(invisible[below(&s, N(invisible))]);
    }
    break;
  case 8: /* words joined by no-break and other spaces, hyphens, slashes */
    while (i < n) {
      uint32_t w = 1 + below(&s, 15);
      for (uint32_t j = 0; j < w && i < n; j++)
        PUT(from_script(&s, (int)below(&s, 3)));
      if (i < n)
        PUT(below(&s, 2) ? spaces[below(&s, N(spaces))]
                         : punct[below(&s, N(punct))]);
    }
    break;
  case 9: /* digits and punctuation */
    while (i < n)
      PUT(below(&s, 5) ? from_script(&s, 18) : punct[below(&s, N(punct))]);
    break;
  case 10: /* what XML escapes */
    while (i < n)
      PUT(below(&s, 2) ? xmlish[below(&s, N(xmlish))]
                       : from_script(&s, 0));
    break;
  default: { /* anything valid: C1 controls, marks, every set above */
    while (i < n) {
      switch (below(&s, 9)) {
      case 0: PUT(0x80 + below(&s, 0x20)); break; /* C1 */
      case 1: PUT(0x300 + below(&s, 0x70)); break;
      case 2: PUT(invisible[below(&s, N(invisible))]); break;
      case 3: PUT(bidi[below(&s, N(bidi))]); break;
      case 4: PUT(spaces[below(&s, N(spaces))]); break;
      case 5: PUT(punct[below(&s, N(punct))]); break;
      case 6: PUT(xmlish[below(&s, N(xmlish))]); break;
      default: PUT(any_letter(&s)); break;
      }
    }
    break;
  }
  }
#undef PUT
  if (!visible) { /* all white space (or empty): make it a word */
    b->n = start;
    sb_buf_adds(b, "x");
  }
}

/* ==== The catalogue the recipe describes ==== */

typedef struct xexp {
  int skill, level, role;
  int mand;      /* 0 absent, 1 "true", 2 "false" */
  char *text;    /* NULL: the default sentence */
} xexp;

typedef struct item {
  char *name;    /* NULL: "Level 12" and so on */
  unsigned idstyle;
} item;

typedef struct plan {
  unsigned flags, lang;
  int omit_false;
  int nl, nr, nd, gpd, ng, ns;
  item *it[K_NKINDS];
  int count[K_NKINDS];
  char *summary_of[MAX_SKILLS], *updated_of[MAX_SKILLS];
  struct { int skill; char *text; } kw[MAX_KEYWORDS];
  int nkw;
  xexp *x;
  int nx;
  char *root[3];       /* title, version, author */
  char *who[2];        /* person, reviewer */
  char *all_expect;    /* op 12 on expectations: text spec, kept as text */
  unsigned all_style, all_seed;
  size_t all_len;
  int role, from, to, skill;
  size_t budget;       /* characters left for texts */
} plan;

/* Reads TEXT and returns it (owned), salt varying the seed per item. */
static char *read_text(plan *pl, rd *r, uint64_t salt) {
  unsigned style = u8(r);
  size_t n = leb(r);
  unsigned seed = u8(r);
  if (n > TEXT_MAX)
    n = TEXT_MAX;
  if (n > pl->budget)
    n = pl->budget;
  pl->budget -= n;
  sb_buf b;
  sb_buf_init(&b);
  gen_text(&b, style, n, seed, salt);
  sb_buf_addc(&b, 0);
  return b.p; /* sb_buf's bytes are malloc'd and now ours */
}

static void set_str(char **slot, char *s) {
  free(*slot);
  *slot = s;
}

static int find_expect(const plan *pl, int skill, int level, int role) {
  for (int i = 0; i < pl->nx; i++)
    if (pl->x[i].skill == skill && pl->x[i].level == level &&
        pl->x[i].role == role)
      return i;
  return -1;
}

static void decode(plan *pl, const uint8_t *data, size_t size) {
  rd r = {data, size, 0};
  memset(pl, 0, sizeof *pl);
  pl->budget = TEXT_BUDGET;
  pl->flags = u8(&r);
  pl->nl = 1 + (int)(u16(&r) % MAX_LEVELS);
  pl->nr = 1 + (int)(u16(&r) % MAX_ROLES);
  pl->nd = 1 + (int)(u8(&r) % MAX_DOMAINS);
  pl->gpd = 1 + (int)(u8(&r) % MAX_GROUPS);
  pl->ns = 1 + (int)(u16(&r) % MAX_SKILLS);
  int k = (int)(u8(&r) % (MAX_PER_SKILL + 1));
  unsigned a = u8(&r), bstep = u8(&r), c = u8(&r), mand = u8(&r);
  unsigned lb = u8(&r);
  pl->lang = lb & 15;
  pl->omit_false = (lb >> 7) & 1;
  pl->role = (int)(u16(&r) % (unsigned)pl->nr);
  pl->from = (int)(u16(&r) % (unsigned)pl->nl);
  pl->to = (int)(u16(&r) % (unsigned)pl->nl);
  (void)u8(&r);
  if (pl->from > pl->to) {
    int t = pl->from;
    pl->from = pl->to;
    pl->to = t;
  }
  if (pl->from == pl->to) {
    if (pl->to + 1 < pl->nl)
      pl->to++;
    else if (pl->from > 0)
      pl->from--;
  }
  pl->skill = 0;
  /* every group has a skill: fewer domains and groups than skills */
  if (pl->nd > pl->ns)
    pl->nd = pl->ns;
  if (pl->gpd > pl->ns / pl->nd)
    pl->gpd = pl->ns / pl->nd;
  pl->ng = pl->nd * pl->gpd;
  pl->count[K_LEVEL] = pl->nl;
  pl->count[K_ROLE] = pl->nr;
  pl->count[K_DOMAIN] = pl->nd;
  pl->count[K_GROUP] = pl->ng;
  pl->count[K_SKILL] = pl->ns;
  for (int kd = 0; kd < K_NKINDS; kd++)
    pl->it[kd] = sb_xcalloc((size_t)pl->count[kd], sizeof(item));
  pl->x = sb_xcalloc(MAX_EXPECTS, sizeof *pl->x);

  /* the expectation pattern */
  for (int s = 0; s < pl->ns && pl->nx < MAX_EXPECTS; s++)
    for (int i = 0; i < k && pl->nx < MAX_EXPECTS; i++) {
      int lv = (int)(((unsigned)s * a + (unsigned)i) % (unsigned)pl->nl);
      int ro = (int)(((unsigned)s * bstep + (unsigned)i * c) %
                     (unsigned)pl->nr);
      int dup = 0;
      for (int j = pl->nx - 1; j >= 0 && pl->x[j].skill == s; j--)
        dup |= pl->x[j].level == lv && pl->x[j].role == ro;
      if (dup)
        continue;
      xexp *x = &pl->x[pl->nx++];
      x->skill = s;
      x->level = lv;
      x->role = ro;
      x->mand = (mand >> (i & 7)) & 1 ? 1 : pl->omit_false ? 0 : 2;
    }

  /* the operations */
  while (r.i < r.n) {
    unsigned op = u8(&r) % 14;
    uint64_t salt = r.i;
    switch (op) {
    case 0: case 1: case 4: { /* level, role, skill name */
      int kd = op == 0 ? K_LEVEL : op == 1 ? K_ROLE : K_SKILL;
      int idx = (int)(u16(&r) % (unsigned)pl->count[kd]);
      set_str(&pl->it[kd][idx].name, read_text(pl, &r, salt));
      break;
    }
    case 2: case 3: { /* domain, group name */
      int kd = op == 2 ? K_DOMAIN : K_GROUP;
      int idx = (int)(u8(&r) % (unsigned)pl->count[kd]);
      set_str(&pl->it[kd][idx].name, read_text(pl, &r, salt));
      break;
    }
    case 5: {
      int s = (int)(u16(&r) % (unsigned)pl->ns);
      set_str(&pl->summary_of[s], read_text(pl, &r, salt));
      break;
    }
    case 6: {
      int s = (int)(u16(&r) % (unsigned)pl->ns);
      char *t = read_text(pl, &r, salt);
      if (pl->nkw < MAX_KEYWORDS) {
        pl->kw[pl->nkw].skill = s;
        pl->kw[pl->nkw++].text = t;
      } else {
        free(t);
      }
      break;
    }
    case 7: {
      int s = (int)(u16(&r) % (unsigned)pl->ns);
      int lv = (int)(u16(&r) % (unsigned)pl->nl);
      int ro = (int)(u16(&r) % (unsigned)pl->nr);
      unsigned m = u8(&r) % 3;
      char *t = read_text(pl, &r, salt);
      int at = find_expect(pl, s, lv, ro);
      if (at < 0 && pl->nx < MAX_EXPECTS) {
        at = pl->nx++;
        pl->x[at].skill = s;
        pl->x[at].level = lv;
        pl->x[at].role = ro;
      }
      if (at < 0) {
        free(t);
        break;
      }
      pl->x[at].mand = (int)m;
      set_str(&pl->x[at].text, t);
      break;
    }
    case 8: {
      unsigned w = u8(&r) % 3;
      set_str(&pl->root[w], read_text(pl, &r, salt));
      break;
    }
    case 9: {
      int kd = (int)(u8(&r) % K_NKINDS);
      int idx = (int)(u16(&r) % (unsigned)pl->count[kd]);
      pl->it[kd][idx].idstyle = u8(&r) % 3;
      break;
    }
    case 10: {
      int s = (int)(u16(&r) % (unsigned)pl->ns);
      long days = (long)u16(&r);
      /* civil_from_days (Howard Hinnant), days since 1970-01-01 */
      long z = days + 719468, era = z / 146097;
      long doe = z - era * 146097;
      long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
      long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
      long mp = (5 * doy + 2) / 153;
      long d = doy - (153 * mp + 2) / 5 + 1, mo = mp < 10 ? mp + 3 : mp - 9;
      long y = yoe + era * 400 + (mo <= 2);
      char buf[48]; /* room for any three longs: no truncation warning */
      snprintf(buf, sizeof buf, "%04ld-%02ld-%02ld", y, mo, d);
      set_str(&pl->updated_of[s], sb_xstrdup(buf));
      break;
    }
    case 11: {
      unsigned w = u8(&r) % 2;
      set_str(&pl->who[w], read_text(pl, &r, salt));
      break;
    }
    case 12: {
      unsigned kd = u8(&r) % (K_NKINDS + 1);
      size_t at = r.i;
      if (kd == K_NKINDS) { /* every expectation's text */
        pl->all_style = u8(&r);
        pl->all_len = leb(&r);
        pl->all_seed = u8(&r);
        if (pl->all_len > TEXT_MAX)
          pl->all_len = TEXT_MAX;
        for (int i = 0; i < pl->nx; i++)
          if (!pl->x[i].text) {
            size_t n = pl->all_len < pl->budget ? pl->all_len : pl->budget;
            pl->budget -= n;
            sb_buf b;
            sb_buf_init(&b);
            gen_text(&b, pl->all_style, n, pl->all_seed,
                     salt * 131 + (uint64_t)i);
            sb_buf_addc(&b, 0);
            pl->x[i].text = b.p;
          }
        break;
      }
      int any = 0;
      for (int i = 0; i < pl->count[kd]; i++) {
        if (pl->it[kd][i].name)
          continue;
        r.i = at; /* the same TEXT for each, the seed salted by index */
        pl->it[kd][i].name = read_text(pl, &r, salt * 131 + (uint64_t)i);
        any = 1;
      }
      if (!any) { /* skip the TEXT */
        r.i = at;
        (void)u8(&r);
        (void)leb(&r);
        (void)u8(&r);
      }
      break;
    }
    default: /* 13 */
      pl->skill = (int)(u16(&r) % (unsigned)pl->ns);
      break;
    }
  }
}

static void free_plan(plan *pl) {
  for (int kd = 0; kd < K_NKINDS; kd++) {
    for (int i = 0; i < pl->count[kd]; i++)
      free(pl->it[kd][i].name);
    free(pl->it[kd]);
  }
  for (int s = 0; s < MAX_SKILLS; s++) {
    free(pl->summary_of[s]);
    free(pl->updated_of[s]);
  }
  for (int i = 0; i < pl->nkw; i++)
    free(pl->kw[i].text);
  for (int i = 0; i < pl->nx; i++)
    free(pl->x[i].text);
  free(pl->x);
  for (int i = 0; i < 3; i++)
    free(pl->root[i]);
  for (int i = 0; i < 2; i++)
    free(pl->who[i]);
}

/* ==== Writing the XML ==== */

static void esc(sb_buf *b, const char *s) {
  for (; *s; s++)
    switch (*s) {
    case '&': sb_buf_adds(b, "&amp;"); break;
    case '<': sb_buf_adds(b, "&lt;"); break;
    case '>': sb_buf_adds(b, "&gt;"); break;
    case '"': sb_buf_adds(b, "&quot;"); break;
    default: sb_buf_addc(b, *s); break;
    }
}

/* An id valid per the schema and unique in its kind: "l12", or the index
** then '-' and filler of [a-z._] up to 64 characters (no digit or '-' in
** the filler, so no two indexes meet), or the index first ("12l"). */
static void put_id(sb_buf *b, const plan *pl, int kd, int idx) {
  static const char prefix[K_NKINDS] = {'l', 'r', 'd', 'g', 's'};
  char id[80];
  int n;
  switch (pl->it[kd][idx].idstyle) {
  case 1:
    n = snprintf(id, sizeof id, "%c%d-", prefix[kd], idx);
    while (n < 64) {
      id[n] = "abcdefghijklmnopqrstuvwxyz._"[(n * 7 + idx) % 28];
      n++;
    }
    id[n] = 0;
    break;
  case 2:
    snprintf(id, sizeof id, "%d%c", idx, prefix[kd]);
    break;
  default:
    snprintf(id, sizeof id, "%c%d", prefix[kd], idx);
    break;
  }
  sb_buf_adds(b, id);
}

static void put_name(sb_buf *b, const plan *pl, int kd, int idx) {
  static const char *const what[K_NKINDS] = {"Level", "Role", "Domain",
                                              "Group", "Skill"};
  if (pl->it[kd][idx].name)
    esc(b, pl->it[kd][idx].name);
  else
    sb_buf_printf(b, "%s %d", what[kd], idx);
}

static void put_named(sb_buf *b, const plan *pl, const char *el, int kd,
                      int idx) {
  sb_buf_printf(b, "<%s id=\"", el);
  put_id(b, pl, kd, idx);
  sb_buf_adds(b, "\" name=\"");
  put_name(b, pl, kd, idx);
  sb_buf_adds(b, "\"");
}

static void write_xml(const plan *pl, sb_buf *b) {
  sb_buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<catalog xmlns=\"urn:skillbook:catalog:1\" "
                   "xml:lang=\"%s\"",
                langs[pl->lang]);
  static const char *const rootattr[3] = {"title", "version", "author"};
  for (int i = 0; i < 3; i++)
    if (pl->root[i]) {
      sb_buf_printf(b, " %s=\"", rootattr[i]);
      esc(b, pl->root[i]);
      sb_buf_adds(b, "\"");
    }
  sb_buf_adds(b, ">\n<levels>\n");
  for (int i = 0; i < pl->nl; i++) {
    put_named(b, pl, "level", K_LEVEL, i);
    sb_buf_adds(b, "/>\n");
  }
  sb_buf_adds(b, "</levels>\n<roles>\n");
  for (int i = 0; i < pl->nr; i++) {
    put_named(b, pl, "role", K_ROLE, i);
    sb_buf_adds(b, "/>\n");
  }
  sb_buf_adds(b, "</roles>\n");
  /* expectations by skill, in recipe order within a skill */
  int *first = sb_xcalloc((size_t)pl->ns + 1, sizeof(int));
  int *order = sb_xcalloc((size_t)pl->nx + 1, sizeof(int));
  for (int i = 0; i < pl->nx; i++)
    first[pl->x[i].skill + 1]++;
  for (int s = 0; s < pl->ns; s++)
    first[s + 1] += first[s];
  int *fill = sb_xcalloc((size_t)pl->ns + 1, sizeof(int));
  for (int i = 0; i < pl->nx; i++) {
    int s = pl->x[i].skill;
    order[first[s] + fill[s]++] = i;
  }
  free(fill);
  int s = 0;
  for (int g = 0; g < pl->ng; g++) {
    if (g % pl->gpd == 0) {
      put_named(b, pl, "domain", K_DOMAIN, g / pl->gpd);
      sb_buf_adds(b, ">\n");
    }
    put_named(b, pl, "group", K_GROUP, g);
    sb_buf_adds(b, ">\n");
    /* skill s goes to group s * ng / ns: each group gets one or more */
    for (; s < pl->ns && (long)s * pl->ng / pl->ns == g; s++) {
      put_named(b, pl, "skill", K_SKILL, s);
      if (pl->updated_of[s])
        sb_buf_printf(b, " updated=\"%s\"", pl->updated_of[s]);
      sb_buf_adds(b, ">\n");
      if (pl->summary_of[s]) {
        sb_buf_adds(b, "<summary>");
        esc(b, pl->summary_of[s]);
        sb_buf_adds(b, "</summary>\n");
      }
      for (int i = 0; i < pl->nkw; i++)
        if (pl->kw[i].skill == s) {
          sb_buf_adds(b, "<keyword>");
          esc(b, pl->kw[i].text);
          sb_buf_adds(b, "</keyword>\n");
        }
      for (int j = first[s]; j < first[s + 1]; j++) {
        const xexp *x = &pl->x[order[j]];
        sb_buf_adds(b, "<expect level=\"");
        put_id(b, pl, K_LEVEL, x->level);
        sb_buf_adds(b, "\" role=\"");
        put_id(b, pl, K_ROLE, x->role);
        sb_buf_adds(b, "\"");
        if (x->mand)
          sb_buf_adds(b, x->mand == 1 ? " mandatory=\"true\""
                                      : " mandatory=\"false\"");
        sb_buf_adds(b, ">");
        if (x->text)
          esc(b, x->text);
        else
          sb_buf_printf(b, "Does what level %d asks of role %d in skill %d.",
                        x->level, x->role, s);
        sb_buf_adds(b, "</expect>\n");
      }
      sb_buf_adds(b, "</skill>\n");
    }
    sb_buf_adds(b, "</group>\n");
    if (g % pl->gpd == pl->gpd - 1)
      sb_buf_adds(b, "</domain>\n");
  }
  sb_buf_adds(b, "</catalog>\n");
  free(first);
  free(order);
}

/* ==== Rendering ==== */

static void render(const plan *pl, const sb_catalog *cat, const char *name,
                   sb_render_req *req) {
  sb_ctx ctx;
  sb_ctx_init(&ctx);
  ctx.quiet = 1;
  sb_buf out;
  sb_buf_init(&out);
  int npages = 0;
  req->cat = cat;
  req->fonts = sb_fuzz_fonts();
  req->datadir = SB_SOURCE_DIR;
  req->style_loaded = sb_style_builtin(styles[(pl->flags >> 3) & 3]);
  switch (pl->flags & 3) {
  case 1: req->format = SB_FMT_PDF; break;
  case 2: req->format = SB_FMT_PNG; req->page = 1; req->dpi = 12; break;
  default: req->format = SB_FMT_TRACE; break;
  }
  sb_status st = sb_render(&ctx, req, &out, &npages);
  if (st == SB_OK && (npages < 1 || (size_t)npages > ctx.limits.pages)) {
    fprintf(stderr, "fuzz_ladder: %s has %d pages\n", name, npages);
    abort();
  }
  if (st != SB_OK) {
    /* a valid catalogue, valid indexes and limits no recipe reaches */
    fprintf(stderr, "fuzz_ladder: %s failed: %s: %s\n", name,
            sb_status_name(st), ctx.errmsg);
    abort();
  }
  sb_buf_free(&out);
  sb_ctx_free(&ctx);
}

static const char *const fmt_names[4] = {"trace", "pdf", "png", "trace"};

void sb_fuzz_ladder_xml(const uint8_t *data, size_t size, sb_buf *out) {
  plan pl;
  decode(&pl, data, size);
  sb_buf b;
  sb_buf_init(&b);
  write_xml(&pl, &b);
  /* the XML declaration first, then what the target renders */
  const char *nl = memchr(b.p, '\n', b.n);
  size_t head = (size_t)(nl - b.p) + 1;
  sb_buf_add(out, b.p, head);
  char sheet[128] = "no sheet (one level)";
  if (pl.from < pl.to)
    snprintf(sheet, sizeof sheet, "the sheet of role %d from level %d to %d%s",
             pl.role, pl.from, pl.to,
             (pl.flags & 32) ? " (person and reviewer)" : "");
  sb_buf_printf(out,
                "<!-- fuzz_ladder: %d levels, %d roles, %d domains, %d "
                "groups, %d skills, %d expectations; renders (%s, style %s) "
                "the handbook of role %d, %s, the profile of skill %d%s -->\n",
                pl.nl, pl.nr, pl.nd, pl.ng, pl.ns, pl.nx,
                fmt_names[pl.flags & 3], styles[(pl.flags >> 3) & 3],
                pl.role, sheet, pl.skill,
                (pl.flags & 4) && pl.ns <= BOOK_SKILLS ? ", the profile book"
                                                       : "");
  sb_buf_add(out, b.p + head, b.n - head);
  sb_buf_free(&b);
  free_plan(&pl);
}

int sb_fuzz_ladder(const uint8_t *data, size_t size) {
  plan pl;
  decode(&pl, data, size);
  sb_buf xml;
  sb_buf_init(&xml);
  write_xml(&pl, &xml);

  sb_ctx ctx;
  sb_ctx_init(&ctx);
  ctx.quiet = 1; /* the defaults, but for one file of at most 16 MiB */
  ctx.limits.file_bytes = (size_t)16 << 20;
  ctx.limits.files = 1;
  ctx.limits.nodes = 200000;
  ctx.limits.skills = 2000;
  sb_catalog *cat = NULL;
  sb_status st =
      sb_load_catalog_mem(&ctx, "ladder.xml", xml.p, xml.n, &cat);
  if (st != SB_OK) {
    /* the recipe always makes a valid catalogue: a refusal is a bug */
    fprintf(stderr, "fuzz_ladder: the catalogue was refused: %s: %s\n",
            sb_status_name(st), ctx.errmsg);
    for (size_t i = 0; i < ctx.ndiags && i < 5; i++)
      fprintf(stderr, "  line %ld: %s\n", ctx.diags[i].line,
              ctx.diags[i].msg);
    abort();
  }
  if (cat) {
    sb_render_req req;
    memset(&req, 0, sizeof req);
    req.kind = SB_DOC_HANDBOOK;
    req.role = pl.role;
    req.skill = -1;
    render(&pl, cat, "the handbook", &req);

    if (pl.from < pl.to) {
      memset(&req, 0, sizeof req);
      req.kind = SB_DOC_SHEET;
      req.role = pl.role;
      sb_review rv;
      memset(&rv, 0, sizeof rv);
      rv.role = rv.to_role = pl.role;
      rv.from = pl.from;
      rv.to = pl.to;
      rv.domain = -1;
      if (pl.flags & 32) {
        rv.person = pl.who[0] ? pl.who[0] : "Person";
        rv.reviewer = pl.who[1] ? pl.who[1] : "Reviewer";
      }
      switch ((pl.flags >> 6) & 3) {
      case 1: rv.only = SB_ONLY_MANDATORY; break;
      case 2: rv.only = SB_ONLY_CHANGED; break;
      case 3:
        rv.pack = 1;
        rv.domain = cat->skills[pl.skill].domain;
        break;
      default: break;
      }
      req.review = &rv;
      req.nreviews = 1;
      render(&pl, cat, "the sheet", &req);
    }

    memset(&req, 0, sizeof req);
    req.kind = SB_DOC_PROFILE;
    req.skill = pl.skill;
    render(&pl, cat, "the profile", &req);

    if ((pl.flags & 4) && pl.ns <= BOOK_SKILLS) {
      memset(&req, 0, sizeof req);
      req.kind = SB_DOC_PROFILE;
      req.skill = -1;
      render(&pl, cat, "the profile book", &req);
    }
  }
  sb_drop_catalog(cat);
  sb_ctx_free(&ctx);
  sb_buf_free(&xml);
  free_plan(&pl);
  return 0;
}

#ifndef SB_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return sb_fuzz_ladder(data, size);
}
#endif
