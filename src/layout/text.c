/*
** layout/text.c -- text preparation (line breaking: wrap.c; names cut to
** a bound: bound.c).
**
** UTF-8 spans become sb_tchar arrays: code points with cached advances
** (the font's integer 1/1000 em, exactly what the PDF's /W says, plus the
** pair kerning the devices apply: "Pair kerning" below), break
** opportunities from libunibreak (UAX #14), and flags for spaces,
** invisible format characters and soft hyphens. Characters a font cannot
** print are substituted and reported once per (character, source).
** All memory comes from the layout's scratch arena, except text ops, which
** live in the display list's arena, and the preparation cache, which has
** its own arena: by text content, the break opportunities (libunibreak's
** class lookups were most of the cost) and, per choice of fonts, the
** finished advances and flags (a document prepares the same cells again
** and again: column widths, row heights, then the rows).
** Tests: tests/unit/test_layout.c
*/
#include <linebreak.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/layout-imp.h"

#define SUBST_CP 0xFFFD

/* ==== Advances ==== */

int sb_lay_adv_(sb_lay *lay, int font, int32_t cp) {
  if (cp < 0 || cp > 0xFFFF || font < 0 || font >= SB_FONT_COUNT ||
      !lay->fs->face[font])
    return -2;
  width_cache *wc = &lay->wc[font];
  int16_t *pg = wc->page[cp >> 8];
  if (!pg) {
    pg = sb_arena_alloc(lay->arena, 256 * sizeof *pg);
    if (!pg) return -2;
    for (int i = 0; i < 256; i++) pg[i] = -1;
    wc->page[cp >> 8] = pg;
  }
  int16_t a = pg[cp & 255];
  if (a == -1) {
    const sb_font *f = lay->fs->face[font];
    if (!sb_font_covers(f, cp)) {
      a = -2;
    } else {
      int v = sb_font_advance(f, cp);
      a = (int16_t)(v < 0 ? 0 : v > 32000 ? 32000 : v);
    }
    pg[cp & 255] = a;
  }
  return a;
}

/* ==== Pair kerning ====
**
** A drawn character's advance includes the font's kerning with the next
** drawn character of its span (sb_font_kern: never across a space), the
** one the devices put next to it in the same text op: invisible
** characters and soft hyphens are skipped (they are left out of the op),
** a change of span stops it (another op). So sums of advances are the
** printed widths, except at a run's end, where the kern to a character
** that is not drawn next to it is taken back (sb_lay_kern_at_, used by
** the measuring in wrap.c and bound.c). */

/* The drawn character after c[i] in its span, or -1. */
static int kern_partner(const sb_tchar *c, int n, int i) {
  if (c[i].flags & (SB_TC_INVISIBLE | SB_TC_SHY)) return -1;
  for (int j = i + 1; j < n; j++) {
    if (c[j].span != c[i].span) return -1;
    if (!(c[j].flags & (SB_TC_INVISIBLE | SB_TC_SHY))) return j;
  }
  return -1;
}

int sb_lay_kern_at_(sb_lay *lay, const sb_text *t, int i) {
  const sb_font *f = lay->fs->face[t->c[i].font];
  if (!f || !sb_font_has_kerning(f)) return 0;
  int j = kern_partner(t->c, t->n, i);
  return j < 0 ? 0 : sb_font_kern(f, t->c[i].cp, t->c[j].cp);
}

void sb_lay_refold_(sb_lay *lay, sb_text *t, int i, int old_kern) {
  int a = (int)t->c[i].adv - old_kern + sb_lay_kern_at_(lay, t, i);
  t->c[i].adv = (uint16_t)(a < 0 ? 0 : a > 65535 ? 65535 : a);
}

/* Folds each character's kern into its advance (after substitution). */
static void fold_kerning(sb_lay *lay, sb_tchar *c, int n) {
  const uint8_t *lefts[SB_FONT_COUNT];
  int any = 0;
  for (int k = 0; k < SB_FONT_COUNT; k++) {
    lefts[k] = lay->fs->face[k] ? sb_font_kern_lefts(lay->fs->face[k]) : NULL;
    any |= lefts[k] != NULL;
  }
  if (!any) return;
  for (int i = 0; i + 1 < n; i++) {
    const uint8_t *l = c[i].font < SB_FONT_COUNT ? lefts[c[i].font] : NULL;
    if (!l || !SB_KERN_LEFT(l, c[i].cp)) continue;
    const sb_font *f = lay->fs->face[c[i].font];
    int j = kern_partner(c, n, i);
    if (j < 0) continue;
    int k = sb_font_kern(f, c[i].cp, c[j].cp);
    if (k) {
      int a = (int)c[i].adv + k;
      c[i].adv = (uint16_t)(a < 0 ? 0 : a);
    }
  }
}

/* Format characters (Unicode category Cf) and variation selectors: never
** drawn, never reported as missing (FORMAT.md). Bidi marks, embeddings
** and isolates go too: without bidi support there is nothing to do with
** them but keep them out of the way. */
static int is_invisible(int32_t cp) {
  return (cp >= 0x200B && cp <= 0x200F) ||   /* ZW space/joiners, LRM, RLM */
         (cp >= 0x202A && cp <= 0x202E) ||   /* bidi embeddings, overrides */
         (cp >= 0x2060 && cp <= 0x2064) ||   /* word joiner, invisible ops */
         (cp >= 0x2066 && cp <= 0x206F) ||   /* bidi isolates, deprecated */
         cp == 0x061C || cp == 0x180E || cp == 0x00AD || cp == 0xFEFF ||
         (cp >= 0xFE00 && cp <= 0xFE0F) ||   /* variation selectors */
         cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F) || /* tags */
         (cp >= 0xE0100 && cp <= 0xE01EF);
}

/* Letters and marks of the right-to-left scripts of the BMP (Hebrew,
** Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and their supplements,
** the Hebrew and Arabic presentation forms). Without bidi reordering they
** would print in stored order, mirrored, so they are replaced like a
** character the font lacks, with the same warning (FORMAT.md). U+061C and
** U+FEFF are invisible and never get here. Above U+FFFF every character
** is replaced anyway. */
static int is_rtl(int32_t cp) {
  return (cp >= 0x0590 && cp <= 0x08FF) ||   /* Hebrew .. Arabic Ext-A */
         (cp >= 0xFB1D && cp <= 0xFDFF) ||   /* Hebrew, Arabic pres. A */
         (cp >= 0xFE70 && cp <= 0xFEFE);     /* Arabic pres. forms B */
}

/* ==== Warnings, once per (character, source) ==== */

int sb_lay_seen_(sb_lay *lay, uint64_t key) {
  warned *w = &lay->warned;
  if (w->n * 2 >= w->cap) {
    size_t ncap = w->cap ? w->cap * 2 : 64;
    uint64_t *nk = sb_xcalloc(ncap, sizeof *nk);
    for (size_t i = 0; i < w->cap; i++)
      if (w->keys[i]) {
        size_t j = w->keys[i] & (ncap - 1);
        while (nk[j]) j = (j + 1) & (ncap - 1);
        nk[j] = w->keys[i];
      }
    free(w->keys);
    w->keys = nk;
    w->cap = ncap;
  }
  if (!key) key = 1;
  size_t j = key & (w->cap - 1);
  while (w->keys[j]) {
    if (w->keys[j] == key) return 1;
    j = (j + 1) & (w->cap - 1);
  }
  w->keys[j] = key;
  w->n++;
  return 0;
}

static void warn_char(sb_lay *lay, int32_t cp, int font, int32_t sub,
                      int rtl, const sb_src *src) {
  if (!lay->dl) return; /* a dry run stays quiet; the real pass warns */
  const char *what = src && src->what ? src->what : "text";
  uint64_t key = SB_FNV1A_BASIS;
  key = sb_hash_fnv1a(&cp, sizeof cp, key);
  key = sb_hash_fnv1a(what, strlen(what), key);
  if (src && src->file)
    key = sb_hash_fnv1a(src->file, strlen(src->file), key);
  if (src) key = sb_hash_fnv1a(&src->line, sizeof src->line, key);
  if (sb_lay_seen_(lay, key)) return;
  const char *why = cp < 0 ? "is not valid UTF-8"
                    : rtl ? "is written right to left, which this layout "
                            "cannot reorder"
                    : cp > 0xFFFF
                        ? "is outside the Basic Multilingual Plane, which PDF "
                          "text here cannot hold"
                        : "is not in the font";
  const sb_font *f = lay->fs->face[font];
  if (cp < 0)
    sb_warn(lay->ctx, src ? src->file : NULL, src ? src->line : 0,
            "%s: a byte %s; printed as U+%04X", what, why, (unsigned)sub);
  else if (rtl)
    sb_warn(lay->ctx, src ? src->file : NULL, src ? src->line : 0,
            "%s: character U+%04X %s; printed as %s", what, (unsigned)cp,
            why, sub == '?' ? "'?'" : "U+FFFD");
  else
    sb_warn(lay->ctx, src ? src->file : NULL, src ? src->line : 0,
            "%s: character U+%04X %s (%s); printed as %s", what,
            (unsigned)cp, why, f ? sb_font_name(f) : "no font",
            sub == '?' ? "'?'" : "U+FFFD");
}

/* ==== The preparation cache ==== */

/* A finished preparation of an entry's text for one choice of fonts (the
** font of each span and the faces of the fontset): each character's
** advance (kerning folded in) and flags as prepare() made them. The rest
** of each character comes back from the text's bytes: its code point (a
** tab or CR as a space), its span and the span's font. Only preparations
** that substituted no character are kept (those warn, and a warning is the
** real pass's to give; their code points are not the bytes'), so one
** rebuilt is the same as one worked out again. widest: the widest
** unbreakable run (table.c's min-content, in 1/1000 em), -1 until asked.
** 3 bytes a character: the decoded code points and break verdicts the
** entry would otherwise keep take 5. */
typedef struct prep_variant {
  struct prep_variant *next;
  const sb_font *face[SB_FONT_COUNT];
  const int *fonts;      /* the font of each span (nspans) */
  const uint16_t *adv;   /* n advances */
  const uint8_t *flags;  /* n SB_TC_* */
  long widest;
} prep_variant;

/* What a text's bytes alone decide: code points as decoded (negative for
** a bad byte), libunibreak's verdict after each, and how many characters
** each span gave. Keyed by the bytes of every span, span by span: decoding
** stops at a span's end, so "a|b" and "ab" are different keys. An entry
** in the cache keeps its code points and verdicts only for a text that
** has no finished preparation (one that substitutes a character) or is
** asked for with a second choice of fonts: the others (most) would never
** read them again. */
typedef struct prep_entry {
  uint64_t hash;
  int nspans;
  int n;                 /* characters */
  const uint32_t *lens;  /* bytes per span */
  const char *bytes;     /* the spans' bytes, one after another */
  const int *count;      /* characters per span */
  const int32_t *cp;     /* NULL: not kept */
  const char *brk;       /* LINEBREAK_* after each character */
  prep_variant *variants; /* finished preparations */
} prep_entry;

/* Beyond this the cache only answers for what it holds. */
#define CACHE_BYTES ((size_t)64 << 20)

struct sb_lay_cache {
  sb_arena *arena;     /* entries; budget CACHE_BYTES */
  prep_entry **slot;   /* open addressing, power-of-two size */
  size_t n, cap;
  int full;            /* the arena said no once: stop inserting */
};

sb_lay_cache *sb_new_lay_cache(void) {
  sb_lay_cache *c = sb_xcalloc(1, sizeof *c);
  c->arena = sb_new_arena(CACHE_BYTES);
  return c;
}

void sb_drop_lay_cache(sb_lay_cache *c) {
  if (!c) return;
  sb_drop_arena(c->arena);
  free(c->slot);
  free(c);
}

void sb_lay_share_cache(sb_lay *lay, sb_lay_cache *c) { lay->cache = c; }

static uint64_t mix(uint64_t h, uint64_t w) {
  h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
  return h ^ (h >> 32);
}

static uint64_t hash_spans(const sb_span *spans, int nspans,
                           const uint32_t *lens) {
  uint64_t h = mix(0x243F6A8885A308D3ULL, (uint64_t)nspans);
  for (int s = 0; s < nspans; s++) {
    const char *p = spans[s].text;
    size_t len = lens[s], i = 0;
    h = mix(h, len);
    for (; i + 8 <= len; i += 8) {
      uint64_t w;
      memcpy(&w, p + i, 8);
      h = mix(h, w);
    }
    if (i < len) {
      uint64_t w = 0;
      memcpy(&w, p + i, len - i);
      h = mix(h, w);
    }
  }
  return h ? h : 1;
}

static int same_text(const prep_entry *e, uint64_t h, const sb_span *spans,
                     int nspans, const uint32_t *lens) {
  if (e->hash != h || e->nspans != nspans) return 0;
  const char *b = e->bytes;
  for (int s = 0; s < nspans; s++) {
    if (e->lens[s] != lens[s]) return 0;
    if (lens[s] && memcmp(b, spans[s].text, lens[s])) return 0;
    b += lens[s];
  }
  return 1;
}

static prep_entry *cache_find(const sb_lay_cache *c, uint64_t h,
                                    const sb_span *spans, int nspans,
                                    const uint32_t *lens) {
  if (!c->cap) return NULL;
  for (size_t j = h & (c->cap - 1); c->slot[j]; j = (j + 1) & (c->cap - 1))
    if (same_text(c->slot[j], h, spans, nspans, lens)) return c->slot[j];
  return NULL;
}

static void cache_put(sb_lay_cache *c, prep_entry *e) {
  if ((c->n + 1) * 2 > c->cap) {
    size_t ncap = c->cap ? c->cap * 2 : 256;
    prep_entry **ns = sb_xcalloc(ncap, sizeof *ns);
    for (size_t i = 0; i < c->cap; i++)
      if (c->slot[i]) {
        size_t j = c->slot[i]->hash & (ncap - 1);
        while (ns[j]) j = (j + 1) & (ncap - 1);
        ns[j] = c->slot[i];
      }
    free(c->slot);
    c->slot = ns;
    c->cap = ncap;
  }
  size_t j = e->hash & (c->cap - 1);
  while (c->slot[j]) j = (j + 1) & (c->cap - 1);
  c->slot[j] = e;
  c->n++;
}

/* ==== UAX #14 by pairs, for common characters ====
**
** libunibreak costs about 90 instructions a character, mostly finding each
** character's class. For text made only of the characters below (printable
** ASCII, Latin-1 and Latin Extended-A, basic Cyrillic, common typographic
** punctuation) that does not start with a space, its verdicts depend only
** on the last character that is not a space, the next character, and
** whether spaces came between: so each is asked of libunibreak once, on the
** strings "ab" and "a b", and kept. Characters with context rules (marks,
** ZW, Hebrew, regional indicators, newlines...) are not in the set: such
** text goes to libunibreak whole. tests/unit/test_layout.c compares the
** result with libunibreak's on random strings over the whole set. */

static const uint16_t pair_extra[] = {
    0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2018, 0x2019, 0x201A,
    0x201C, 0x201D, 0x201E, 0x2022, 0x2026, 0x2030, 0x2032, 0x2033,
    0x20AC, 0x2116, 0x2122, 0x2190, 0x2192, 0x2212, 0x2264, 0x2265};
#define PAIR_ASCII 95                   /* U+0020..U+007E */
#define PAIR_LATIN (0x180 - 0xA0)       /* U+00A0..U+017F */
#define PAIR_CYR (0x460 - 0x400)        /* U+0400..U+045F */
#define PAIR_N (PAIR_ASCII + PAIR_LATIN + PAIR_CYR + \
                (int)(sizeof pair_extra / sizeof pair_extra[0]))

/* The character's row in the table, or -1 when it is not in the set. */
static int pair_index(utf32_t c) {
  if (c >= 0x20 && c <= 0x7E)
    return (int)c - 0x20;
  if (c >= 0xA0 && c < 0x180)
    return PAIR_ASCII + (int)c - 0xA0;
  if (c >= 0x400 && c < 0x460)
    return PAIR_ASCII + PAIR_LATIN + (int)c - 0x400;
  if (c >= 0x2010 && c <= 0x2265)
    for (size_t i = 0; i < sizeof pair_extra / sizeof pair_extra[0]; i++)
      if (pair_extra[i] == c)
        return PAIR_ASCII + PAIR_LATIN + PAIR_CYR + (int)i;
  return -1;
}

/* [spaces between][a][b]: LINEBREAK_* + 1, 0 = not asked yet (bss: only
** the rows a document touches are ever paged in) */
static char pair_tab[2][PAIR_N][PAIR_N];

static char pair_verdict(utf32_t a, int ia, utf32_t b, int ib, int spaced) {
  char *v = &pair_tab[spaced][ia][ib];
  if (!*v) {
    utf32_t s[3] = {a, spaced ? ' ' : b, b};
    char brk[3];
    set_linebreaks_utf32(s, spaced ? 3 : 2, NULL, brk);
    *v = (char)(brk[spaced] + 1);
  }
  return (char)(*v - 1);
}

int sb_lay_pair_breaks_(const utf32_t *u, size_t n, char *brk) {
  utf32_t prev = 0;
  int iprev = 0, ic, id;
  size_t i;

  if (n == 0 || u[0] == ' ' || (ic = pair_index(u[0])) < 0)
    return 0;
  for (i = 0; i + 1 < n; i++) {
    utf32_t c = u[i], d = u[i + 1];
    if ((id = pair_index(d)) < 0)
      return 0; /* brk is overwritten by libunibreak */
    if (d == ' ')
      brk[i] = LINEBREAK_NOBREAK; /* never before a space */
    else if (c == ' ')
      brk[i] = pair_verdict(prev, iprev, d, id, 1);
    else
      brk[i] = pair_verdict(c, ic, d, id, 0);
    if (c != ' ')
      prev = c, iprev = ic;
    ic = id;
  }
  brk[n - 1] = LINEBREAK_MUSTBREAK; /* the end of the text, as libunibreak */
  return 1;
}

/* Decodes the spans and finds their break opportunities into e, with the
** arrays in arena a (the cache's, or the scratch arena when the cache is
** full); u is scratch room for total code points. Returns 0 when a is
** out of room. */
static int decode(sb_arena *a, const sb_span *spans, int nspans,
                  const uint32_t *lens, size_t total, utf32_t *u,
                  prep_entry *e) {
  int32_t *cp = sb_arena_alloc(a, total * sizeof *cp);
  char *brk = sb_arena_alloc(a, total);
  int *count = sb_arena_alloc(a, (size_t)nspans * sizeof *count);
  if (!cp || !brk || !count) return 0;
  int n = 0;
  for (int s = 0; s < nspans; s++) {
    const char *p = spans[s].text;
    size_t len = lens[s], i = 0;
    int n0 = n;
    while (i < len) {
      int32_t c = (unsigned char)p[i];
      if (c < 0x80) { /* ASCII: what sb_utf8_decode gives, inline */
        i++;
      } else {
        int l;
        c = sb_utf8_decode(p + i, len - i, &l);
        i += (size_t)(l > 0 ? l : 1);
      }
      cp[n] = c;
      u[n] = c < 0 ? 0xFFFD : (utf32_t)c;
      if (c == '\t' || c == '\r') u[n] = ' ';
      n++;
    }
    count[s] = n - n0;
  }
  if (!sb_lay_pair_breaks_(u, (size_t)n, brk))
    set_linebreaks_utf32(u, (size_t)n, NULL, brk);
  e->n = n;
  e->cp = cp;
  e->brk = brk;
  e->count = count;
  return 1;
}

/* The cache's entry for the spans, or NULL. */
static prep_entry *lookup_text(sb_lay *lay, const sb_span *spans, int nspans,
                               const uint32_t *lens, uint64_t *h) {
  if (!lay->cache) lay->cache = lay->own_cache = sb_new_lay_cache();
  *h = hash_spans(spans, nspans, lens);
  return cache_find(lay->cache, *h, spans, nspans, lens);
}

/* A new entry in the cache for the spans, decoded as d says (its code
** points and verdicts not kept: keep_decoded does that when needed); NULL
** when the cache is full. */
static prep_entry *add_text(sb_lay *lay, const sb_span *spans, int nspans,
                            const uint32_t *lens, size_t total, uint64_t h,
                            const prep_entry *d) {
  sb_lay_cache *c = lay->cache;
  if (c->full) return NULL;
  prep_entry *e = sb_arena_alloc(c->arena, sizeof *e);
  uint32_t *el = sb_arena_alloc(c->arena, (size_t)nspans * sizeof *el);
  int *count = sb_arena_alloc(c->arena, (size_t)nspans * sizeof *count);
  char *eb = sb_arena_alloc(c->arena, total);
  if (!e || !el || !count || !eb) {
    c->full = 1;
    return NULL;
  }
  size_t off = 0;
  for (int s = 0; s < nspans; s++) {
    el[s] = lens[s];
    count[s] = d->count[s];
    if (lens[s]) memcpy(eb + off, spans[s].text, lens[s]);
    off += lens[s];
  }
  e->hash = h;
  e->nspans = nspans;
  e->n = d->n;
  e->lens = el;
  e->bytes = eb;
  e->count = count;
  e->cp = NULL;
  e->brk = NULL;
  e->variants = NULL;
  cache_put(c, e);
  return e;
}

/* Keeps d's code points and verdicts with e (a text that substitutes: it
** is prepared again each time, without decoding). */
static void keep_decoded(sb_lay *lay, prep_entry *e, const prep_entry *d) {
  sb_lay_cache *c = lay->cache;
  if (e->cp || c->full) return;
  int32_t *cp = sb_arena_alloc(c->arena, (size_t)d->n * sizeof *cp);
  char *brk = sb_arena_alloc(c->arena, (size_t)d->n);
  if (!cp || !brk) {
    c->full = 1;
    return;
  }
  memcpy(cp, d->cp, (size_t)d->n * sizeof *cp);
  memcpy(brk, d->brk, (size_t)d->n);
  e->cp = cp;
  e->brk = brk;
}

/* ==== Preparation ==== */

/* sb_lay_adv_ of every ASCII character in every font slot, worked out on
** first use (printable ASCII is most of the text). */
static const int16_t (*ascii_advances(sb_lay *lay))[128] {
  if (!lay->ascii_ready) {
    for (int f = 0; f < SB_FONT_COUNT; f++)
      for (int cp = 0; cp < 128; cp++)
        lay->ascii_adv[f][cp] = (int16_t)sb_lay_adv_(lay, f, cp);
    lay->ascii_ready = 1;
  }
  return (const int16_t (*)[128])lay->ascii_adv;
}

/* e's finished preparation for the spans' fonts and this layout's faces,
** or NULL. */
static prep_variant *find_variant(const sb_lay *lay, const prep_entry *e,
                                  const sb_span *spans) {
  for (prep_variant *v = e->variants; v; v = v->next) {
    if (memcmp(v->face, lay->fs->face, sizeof v->face)) continue;
    int s = 0;
    while (s < e->nspans && v->fonts[s] == spans[s].font) s++;
    if (s == e->nspans) return v;
  }
  return NULL;
}

/* Keeps c[0, e->n) as e's finished preparation for the spans' fonts when
** the cache has room; returns it, or NULL. */
static prep_variant *keep_variant(sb_lay *lay, prep_entry *e,
                                  const sb_span *spans, const sb_tchar *c) {
  sb_lay_cache *cc = lay->cache;
  if (cc->full) return NULL;
  prep_variant *v = sb_arena_alloc(cc->arena, sizeof *v);
  int *fonts = sb_arena_alloc(cc->arena, (size_t)e->nspans * sizeof *fonts);
  uint16_t *adv = sb_arena_alloc(cc->arena, (size_t)e->n * sizeof *adv);
  uint8_t *flags = sb_arena_alloc(cc->arena, (size_t)e->n);
  if (!v || !fonts || !adv || !flags) {
    cc->full = 1;
    return NULL;
  }
  memcpy(v->face, lay->fs->face, sizeof v->face);
  for (int s = 0; s < e->nspans; s++) fonts[s] = spans[s].font;
  for (int i = 0; i < e->n; i++) {
    adv[i] = c[i].adv;
    flags[i] = c[i].flags;
  }
  v->fonts = fonts;
  v->adv = adv;
  v->flags = flags;
  v->widest = -1;
  v->next = e->variants;
  e->variants = v;
  return v;
}

/* The characters of e's text as v prepared them, into c[0, e->n): the
** code points decoded from the bytes again (as decode() does; a tab or CR
** is a space, as prepare() makes it). */
static void rebuild(const prep_entry *e, const prep_variant *v,
                    const sb_span *spans, sb_tchar *c) {
  const unsigned char *p = (const unsigned char *)e->bytes;
  int i = 0;
  for (int s = 0; s < e->nspans; s++) {
    uint8_t font = (uint8_t)spans[s].font;
    const unsigned char *q = p, *end = p + e->lens[s];
    while (q < end) {
      sb_tchar *t = &c[i];
      int32_t cp = *q;
      if (cp >= 0x20 && cp < 0x80) {
        q++;
      } else if (cp < 0x20) {
        q++;
        if (cp == '\t' || cp == '\r') cp = ' ';
      } else {
        int l;
        cp = sb_utf8_decode((const char *)q, (size_t)(end - q), &l);
        q += l > 0 ? l : 1;
      }
      t->cp = cp;
      t->adv = v->adv[i];
      t->font = font;
      t->flags = v->flags[i];
      t->span = (uint16_t)s;
      i++;
    }
    p = end;
  }
}

/* Prepares spans into out (in the scratch arena). *vout: the finished
** preparation kept in the cache for them, or NULL. widest_only: when the
** cache holds the text's finished preparation with its widest run known,
** out is left empty (n = 0): the caller only wants *vout's widest. */
static sb_status prepare(sb_lay *lay, const sb_span *spans, int nspans,
                         const sb_src *src, sb_text *out,
                         prep_variant **vout, int widest_only) {
  out->c = NULL;
  out->n = 0;
  *vout = NULL;
  if (nspans <= 0) return SB_OK;
  uint32_t *lens = sb_arena_alloc(lay->scratch, (size_t)nspans * sizeof *lens);
  if (!lens) return sb_fail_arena(lay->ctx);
  size_t total = 0;
  for (int s = 0; s < nspans; s++) {
    size_t l = spans[s].text ? strlen(spans[s].text) : 0;
    lens[s] = (uint32_t)(l > (size_t)0x7FFFFFF ? 0 : l); /* fails below */
    total += l;
  }
  if (total == 0) return SB_OK;
  if (total > (size_t)0x7FFFFFF)
    return sb_fail(lay->ctx, SB_E_LIMIT, "text of %zu bytes is too long",
                   total);
  uint64_t h;
  prep_entry *e = lookup_text(lay, spans, nspans, lens, &h);
  prep_variant *v = e ? find_variant(lay, e, spans) : NULL;
  if (v && widest_only && v->widest >= 0) {
    *vout = v;
    return SB_OK;
  }
  if (v) {
    sb_tchar *c = sb_arena_alloc(lay->scratch, (size_t)e->n * sizeof *c);
    if (!c) return sb_fail_arena(lay->ctx);
    rebuild(e, v, spans, c);
    out->c = c;
    out->n = e->n;
    *vout = v;
    return SB_OK;
  }
  /* d: the decoded text, the entry's own or worked out now */
  const prep_entry *d = e && e->cp ? e : NULL;
  prep_entry tmp;
  if (!d) {
    utf32_t *u = sb_arena_alloc(lay->scratch, total * sizeof *u);
    if (!u || !decode(lay->scratch, spans, nspans, lens, total, u, &tmp))
      return sb_fail_arena(lay->ctx);
    d = &tmp;
    if (!e) e = add_text(lay, spans, nspans, lens, total, h, d);
  }
  int n = d->n;
  const char *brk = d->brk;
  sb_tchar *c = sb_arena_alloc(lay->scratch, (size_t)(n ? n : 1) * sizeof *c);
  if (!c) return sb_fail_arena(lay->ctx);
  const int16_t (*ascii)[128] = ascii_advances(lay);
  int i = 0, subst = 0;
  for (int s = 0; s < nspans; s++) {
    uint8_t font = (uint8_t)spans[s].font;
    const int16_t *asc = font < SB_FONT_COUNT ? ascii[font] : NULL;
    const int32_t *ecp = d->cp;
    for (int end = i + d->count[s]; i < end; i++) {
      sb_tchar *t = &c[i];
      int32_t cp = ecp[i];
      char b = brk[i];
      uint8_t flags = 0;
      /* a spaced hyphen used as a dash (" - ") stays with the word after
      ** it: a line ending in "-" reads, and extracts, as a broken compound */
      if (cp == ' ' && i >= 2 && c[i - 1].cp == '-' && c[i - 2].cp == ' ')
        b = LINEBREAK_NOBREAK;
      if (i < n - 1) {
        if (b == LINEBREAK_ALLOWBREAK) flags |= SB_TC_BREAK;
        if (b == LINEBREAK_MUSTBREAK) flags |= SB_TC_MUST | SB_TC_BREAK;
      }
      /* printable ASCII the font has: none of the below */
      if (cp > ' ' && cp < 0x7F && asc && asc[cp] >= 0) {
        *t = (sb_tchar){cp, (uint16_t)asc[cp], font, flags, (uint16_t)s};
        continue;
      }
      *t = (sb_tchar){cp, 0, font, flags, (uint16_t)s};
      if (cp == '\n' || cp == 0x2028 || cp == 0x2029) {
        t->flags |= SB_TC_INVISIBLE | SB_TC_MUST | SB_TC_BREAK;
        continue;
      }
      if (cp == '\t' || cp == '\r') t->cp = cp = ' ';
      if (cp == ' ') t->flags |= SB_TC_SPACE;
      if (cp == 0x00AD) {
        t->flags |= SB_TC_SHY;
        continue;
      }
      if (cp >= 0 && (is_invisible(cp) || (cp < 0x20 && cp != ' '))) {
        t->flags |= SB_TC_INVISIBLE;
        continue;
      }
      int rtl = is_rtl(cp);
      int a = rtl ? -2 : sb_lay_adv_(lay, t->font, cp);
      if (a < 0) {
        int32_t sub =
            sb_lay_adv_(lay, t->font, SUBST_CP) >= 0 ? SUBST_CP : '?';
        warn_char(lay, cp, t->font, sub, rtl, src);
        subst = 1;
        t->cp = sub;
        a = sb_lay_adv_(lay, t->font, sub);
        if (a < 0) a = 0;
      }
      t->adv = (uint16_t)a;
    }
  }
  fold_kerning(lay, c, n);
  out->c = c;
  out->n = n;
  /* a preparation that substituted a character warned (or, in a dry
  ** layout, would have): it is worked out again each time, so that the
  ** real pass still warns; its decoding is kept */
  if (e && d == &tmp && e->variants) keep_decoded(lay, e, d); /* 2nd fonts */
  if (e && !subst) *vout = keep_variant(lay, e, spans, c);
  else if (e) keep_decoded(lay, e, d);
  return SB_OK;
}

sb_status sb_lay_prepare(sb_lay *lay, const sb_span *spans, int nspans,
                         const sb_src *src, sb_text *out) {
  prep_variant *v;
  return prepare(lay, spans, nspans, src, out, &v, 0);
}

sb_status sb_lay_prepare_ro_(sb_lay *lay, const sb_span *spans, int nspans,
                             const sb_src *src, sb_text *out, long **widest) {
  prep_variant *v;
  sb_status st = prepare(lay, spans, nspans, src, out, &v, 1);
  *widest = v ? &v->widest : NULL;
  return st;
}
