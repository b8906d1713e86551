/*
** diff/format.c -- a catalogue diff as text (the terminal's) and as JSON
** (for tools; docs/diff.md documents it and its "format" number).
**
** Both walk the change list in its order (catdiff.c). The text starts like
** `git diff --stat`: who is compared, one line per role with figures, one
** line of totals; then one line per change, a text change followed by its
** words in GNU wdiff's marks. The JSON is one object, keys in a fixed
** order, every change with its kind, ids, and old and new sides.
** Tests: tests/cli/diff.sh
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skillbook/diff.h"

static const char *skill_id(const sb_cat_diff *d, const sb_change *c) {
  return c->nskill >= 0 ? d->cur->skills[c->nskill].id
                        : c->oskill >= 0 ? d->old->skills[c->oskill].id : NULL;
}
static const char *role_id(const sb_cat_diff *d, const sb_change *c) {
  return c->nrole >= 0 ? d->cur->roles[c->nrole].id
                       : c->orole >= 0 ? d->old->roles[c->orole].id : NULL;
}
static const char *level_id(const sb_cat_diff *d, const sb_change *c) {
  return c->nlevel >= 0 ? d->cur->levels[c->nlevel].id
                        : c->olevel >= 0 ? d->old->levels[c->olevel].id : NULL;
}

/* The levels' ids in growth order, separated by sep. */
static void level_order(sb_buf *b, const sb_catalog *cat, const char *sep,
                        int quote) {
  for (int g = 0, n = 0; g < cat->nlevels; g++)
    for (int i = 0; i < cat->nlevels; i++) {
      if (cat->levels[i].index != g) continue;
      sb_buf_adds(b, n++ ? sep : "");
      if (quote) sb_buf_addc(b, '"');
      if (quote) sb_buf_json_str(b, cat->levels[i].id);
      else sb_buf_adds(b, cat->levels[i].id);
      if (quote) sb_buf_addc(b, '"');
    }
}

static const char *where(const sb_catalog *cat, const sb_skill *sk,
                         char *buf, size_t n) {
  const sb_domain *dm = &cat->domains[sk->domain];
  const sb_group *gr = &cat->groups[sk->group];
  snprintf(buf, n, "%s / %s", dm->name ? dm->name : dm->id,
           gr->name ? gr->name : gr->id);
  return buf;
}

static void keywords(sb_buf *b, const sb_skill *sk, int json) {
  for (int i = 0; i < sk->nkeywords; i++) {
    if (json) {
      sb_buf_adds(b, i ? ", \"" : "\"");
      sb_buf_json_str(b, sk->keywords[i]);
      sb_buf_addc(b, '"');
    } else {
      sb_buf_printf(b, "%s%s", i ? ", " : "", sk->keywords[i]);
    }
  }
}

/* ==== Text ==== */

static void wdiff_line(sb_buf *b, const char *a, const char *n) {
  sb_wdiff wd;
  sb_word_diff(a ? a : "", n ? n : "", 0, &wd);
  sb_buf_adds(b, "    ");
  for (int i = 0; i < wd.nruns; i++) {
    const sb_wd_run *r = &wd.runs[i];
    const char *t = r->op == SB_WD_ADD ? n + r->b_off : a + r->a_off;
    size_t len = r->op == SB_WD_ADD ? r->b_len : r->a_len;
    size_t core = len;
    while (core && t[core - 1] == ' ') core--;
    if (r->op == SB_WD_SAME) {
      sb_buf_add(b, t, len);
      continue;
    }
    sb_buf_adds(b, r->op == SB_WD_DEL ? "[-" : "{+");
    sb_buf_add(b, t, core);
    sb_buf_adds(b, r->op == SB_WD_DEL ? "-]" : "+}");
    sb_buf_add(b, t + core, len - core);
  }
  while (b->n && b->p[b->n - 1] == ' ') b->p[--b->n] = 0;
  sb_buf_addc(b, '\n');
  sb_wdiff_free(&wd);
}

static const char *plural(int n, const char *one, const char *many) {
  return n == 1 ? one : many;
}

static void role_line(const sb_cat_diff *d, sb_buf *b, const char *id,
                      int nrole, int orole, int gone) {
  int k[SB_CH_COUNT];
  int t = sb_cat_diff_role_counts(d, nrole, orole, k);
  if (!t && !gone) return;
  sb_buf_printf(b, " %-24s | %d added, %d removed, %d text changed, %d became "
                "mandatory, %d became optional%s\n", id,
                k[SB_CH_EXPECT_ADDED], k[SB_CH_EXPECT_REMOVED],
                k[SB_CH_EXPECT_TEXT], k[SB_CH_EXPECT_MANDATORY],
                k[SB_CH_EXPECT_OPTIONAL], gone ? " (role removed)" : "");
}

static void text_change(const sb_cat_diff *d, const sb_change *c, sb_buf *b) {
  const sb_catalog *o = d->old, *n = d->cur;
  char w1[512], w2[512];
  sb_buf_adds(b, sb_change_kind_name(c->kind));
  switch (c->kind) {
  case SB_CH_ROLE_ADDED:
    sb_buf_printf(b, " %s \"%s\"\n", n->roles[c->nrole].id, n->roles[c->nrole].name);
    break;
  case SB_CH_ROLE_REMOVED:
    sb_buf_printf(b, " %s \"%s\"\n", o->roles[c->orole].id, o->roles[c->orole].name);
    break;
  case SB_CH_ROLE_RENAMED:
    sb_buf_printf(b, " %s \"%s\" -> \"%s\"\n", n->roles[c->nrole].id,
                  o->roles[c->orole].name, n->roles[c->nrole].name);
    break;
  case SB_CH_LEVEL_ADDED:
    sb_buf_printf(b, " %s \"%s\"\n", n->levels[c->nlevel].id, n->levels[c->nlevel].name);
    break;
  case SB_CH_LEVEL_REMOVED:
    sb_buf_printf(b, " %s \"%s\"\n", o->levels[c->olevel].id, o->levels[c->olevel].name);
    break;
  case SB_CH_LEVEL_RENAMED:
    sb_buf_printf(b, " %s \"%s\" -> \"%s\"\n", n->levels[c->nlevel].id,
                  o->levels[c->olevel].name, n->levels[c->nlevel].name);
    break;
  case SB_CH_LEVEL_ORDER:
    sb_buf_addc(b, ' ');
    level_order(b, o, " ", 0);
    sb_buf_adds(b, " -> ");
    level_order(b, n, " ", 0);
    sb_buf_addc(b, '\n');
    break;
  case SB_CH_SKILL_ADDED: {
    const sb_skill *sk = &n->skills[c->nskill];
    sb_buf_printf(b, " %s \"%s\" in %s\n", sk->id, sk->name,
                  where(n, sk, w1, sizeof w1));
    break;
  }
  case SB_CH_SKILL_REMOVED: {
    const sb_skill *sk = &o->skills[c->oskill];
    sb_buf_printf(b, " %s \"%s\" from %s\n", sk->id, sk->name,
                  where(o, sk, w1, sizeof w1));
    break;
  }
  case SB_CH_SKILL_RENAMED:
    sb_buf_printf(b, " %s \"%s\" -> \"%s\"\n", skill_id(d, c),
                  o->skills[c->oskill].name, n->skills[c->nskill].name);
    break;
  case SB_CH_SKILL_MOVED:
    sb_buf_printf(b, " %s: %s -> %s\n", skill_id(d, c),
                  where(o, &o->skills[c->oskill], w1, sizeof w1),
                  where(n, &n->skills[c->nskill], w2, sizeof w2));
    break;
  case SB_CH_SKILL_SUMMARY:
    sb_buf_printf(b, " %s\n", skill_id(d, c));
    wdiff_line(b, o->skills[c->oskill].summary, n->skills[c->nskill].summary);
    break;
  case SB_CH_SKILL_KEYWORDS:
    sb_buf_printf(b, " %s: ", skill_id(d, c));
    keywords(b, &o->skills[c->oskill], 0);
    sb_buf_adds(b, " -> ");
    keywords(b, &n->skills[c->nskill], 0);
    sb_buf_addc(b, '\n');
    break;
  default: { /* expectations */
    const sb_expect *e = c->ne ? c->ne : c->oe;
    sb_buf_printf(b, " %s %s %s", skill_id(d, c), role_id(d, c), level_id(d, c));
    if (c->kind == SB_CH_EXPECT_ADDED || c->kind == SB_CH_EXPECT_REMOVED)
      sb_buf_printf(b, " (%s)\n    %c %s\n", e->mandatory ? "mandatory" : "optional",
                    c->kind == SB_CH_EXPECT_ADDED ? '+' : '-', e->text);
    else if (c->kind == SB_CH_EXPECT_TEXT) {
      sb_buf_addc(b, '\n');
      wdiff_line(b, c->oe->text, c->ne->text);
    } else
      sb_buf_addc(b, '\n');
    break;
  }
  }
}

static const char *kind_phrase(sb_change_kind k, int n) {
  static const char *const one[SB_CH_COUNT] = {
      "role added", "role removed", "role renamed", "level added",
      "level removed", "level renamed", "level order changed", "skill added",
      "skill removed", "skill renamed", "skill moved", "summary changed",
      "keywords changed", "expectation added", "expectation removed",
      "expectation text changed", "became mandatory", "became optional"};
  static const char *const many[SB_CH_COUNT] = {
      "roles added", "roles removed", "roles renamed", "levels added",
      "levels removed", "levels renamed", "level order changed",
      "skills added", "skills removed", "skills renamed", "skills moved",
      "summaries changed", "keywords changed", "expectations added",
      "expectations removed", "expectation texts changed",
      "became mandatory", "became optional"};
  return n == 1 ? one[k] : many[k];
}

static void version_name(sb_buf *b, const sb_catalog *cat) {
  const char *date = sb_cat_newest_updated(cat);
  sb_buf_adds(b, cat->path ? cat->path : "?");
  if (cat->version || date) {
    sb_buf_adds(b, " (");
    if (cat->version) sb_buf_printf(b, "version %s", cat->version);
    if (date) sb_buf_printf(b, "%s%s", cat->version ? ", " : "", date);
    sb_buf_addc(b, ')');
  }
}

void sb_cat_diff_text(const sb_cat_diff *d, sb_buf *out) {
  if (d->nchanges == 0) return;
  sb_buf_adds(out, "--- ");
  version_name(out, d->old);
  sb_buf_adds(out, "\n+++ ");
  version_name(out, d->cur);
  sb_buf_addc(out, '\n');
  for (int r = 0; r < d->cur->nroles; r++) {
    int orole = -1;
    for (int i = 0; i < d->old->nroles && orole < 0; i++)
      if (strcmp(d->old->roles[i].id, d->cur->roles[r].id) == 0) orole = i;
    role_line(d, out, d->cur->roles[r].id, r, orole, 0);
  }
  for (int i = 0; i < d->nchanges; i++)
    if (d->changes[i].kind == SB_CH_ROLE_REMOVED) {
      int orole = d->changes[i].orole;
      role_line(d, out, d->old->roles[orole].id, -1, orole, 1);
    }
  sb_buf_printf(out, " %d %s:", d->nchanges,
                plural(d->nchanges, "change", "changes"));
  int first = 1;
  for (int k = 0; k < SB_CH_COUNT; k++) {
    if (!d->count[k]) continue;
    sb_buf_printf(out, "%s %d %s", first ? "" : ",", d->count[k],
                  kind_phrase((sb_change_kind)k, d->count[k]));
    first = 0;
  }
  sb_buf_adds(out, "\n\n");
  for (int i = 0; i < d->nchanges; i++) text_change(d, &d->changes[i], out);
}

/* ==== JSON ==== */

static void jstr(sb_buf *b, const char *key, const char *v, int comma) {
  sb_buf_printf(b, "%s\"%s\": ", comma ? ", " : "", key);
  if (!v) {
    sb_buf_adds(b, "null");
    return;
  }
  sb_buf_addc(b, '"');
  sb_buf_json_str(b, v);
  sb_buf_addc(b, '"');
}

static void json_version(sb_buf *b, const char *key, const sb_catalog *cat) {
  sb_buf_printf(b, "  \"%s\": {", key);
  jstr(b, "path", cat->path, 0);
  jstr(b, "title", cat->title, 1);
  jstr(b, "version", cat->version, 1);
  jstr(b, "date", sb_cat_newest_updated(cat), 1);
  sb_buf_adds(b, "},\n");
}

static void json_words(sb_buf *b, const char *a, const char *n) {
  sb_wdiff wd;
  static const char *const ops[] = {"same", "removed", "added"};
  sb_word_diff(a ? a : "", n ? n : "", 0, &wd);
  sb_buf_printf(b, ", \"replaced\": %s, \"words\": [",
                wd.replaced ? "true" : "false");
  for (int i = 0; i < wd.nruns; i++) {
    const sb_wd_run *r = &wd.runs[i];
    const char *t = r->op == SB_WD_ADD ? n + r->b_off : a + r->a_off;
    size_t len = r->op == SB_WD_ADD ? r->b_len : r->a_len;
    while (len && t[len - 1] == ' ') len--;
    char *s = sb_xmalloc(len + 1);
    memcpy(s, t, len);
    s[len] = 0;
    sb_buf_printf(b, "%s{\"op\": \"%s\", ", i ? ", " : "", ops[r->op]);
    jstr(b, "text", s, 0);
    sb_buf_addc(b, '}');
    free(s);
  }
  sb_buf_addc(b, ']');
  sb_wdiff_free(&wd);
}

static void json_expect(sb_buf *b, const char *key, const sb_expect *e) {
  sb_buf_printf(b, ", \"%s\": ", key);
  if (!e) {
    sb_buf_adds(b, "null");
    return;
  }
  sb_buf_printf(b, "{\"mandatory\": %s, ", e->mandatory ? "true" : "false");
  jstr(b, "text", e->text, 0);
  sb_buf_addc(b, '}');
}

static void json_skill_side(sb_buf *b, const char *key, const sb_catalog *cat,
                            int si) {
  sb_buf_printf(b, ", \"%s\": ", key);
  if (si < 0) {
    sb_buf_adds(b, "null");
    return;
  }
  const sb_skill *sk = &cat->skills[si];
  sb_buf_addc(b, '{');
  jstr(b, "name", sk->name, 0);
  jstr(b, "domain", cat->domains[sk->domain].id, 1);
  jstr(b, "group", cat->groups[sk->group].id, 1);
  jstr(b, "summary", sk->summary, 1);
  sb_buf_adds(b, ", \"keywords\": [");
  keywords(b, sk, 1);
  sb_buf_adds(b, "]");
  jstr(b, "updated", sk->updated, 1);
  sb_buf_addc(b, '}');
}

static void json_change(const sb_cat_diff *d, const sb_change *c, sb_buf *b) {
  const sb_catalog *o = d->old, *n = d->cur;
  sb_buf_adds(b, "    {");
  jstr(b, "kind", sb_change_kind_name(c->kind), 0);
  if (c->kind <= SB_CH_ROLE_RENAMED) {
    jstr(b, "role", role_id(d, c), 1);
    jstr(b, "old_name", c->orole >= 0 ? o->roles[c->orole].name : NULL, 1);
    jstr(b, "new_name", c->nrole >= 0 ? n->roles[c->nrole].name : NULL, 1);
  } else if (c->kind <= SB_CH_LEVEL_RENAMED) {
    jstr(b, "level", level_id(d, c), 1);
    jstr(b, "old_name", c->olevel >= 0 ? o->levels[c->olevel].name : NULL, 1);
    jstr(b, "new_name", c->nlevel >= 0 ? n->levels[c->nlevel].name : NULL, 1);
  } else if (c->kind == SB_CH_LEVEL_ORDER) {
    sb_buf_adds(b, ", \"old_order\": [");
    level_order(b, o, ", ", 1);
    sb_buf_adds(b, "], \"new_order\": [");
    level_order(b, n, ", ", 1);
    sb_buf_addc(b, ']');
  } else if (c->kind <= SB_CH_SKILL_KEYWORDS) {
    jstr(b, "skill", skill_id(d, c), 1);
    json_skill_side(b, "old", o, c->oskill);
    json_skill_side(b, "new", n, c->nskill);
    if (c->kind == SB_CH_SKILL_SUMMARY)
      json_words(b, o->skills[c->oskill].summary, n->skills[c->nskill].summary);
  } else {
    jstr(b, "skill", skill_id(d, c), 1);
    jstr(b, "role", role_id(d, c), 1);
    jstr(b, "level", level_id(d, c), 1);
    json_expect(b, "old", c->oe);
    json_expect(b, "new", c->ne);
    if (c->kind == SB_CH_EXPECT_TEXT) json_words(b, c->oe->text, c->ne->text);
  }
  sb_buf_addc(b, '}');
}

static void json_role(const sb_cat_diff *d, sb_buf *b, const char *id,
                      int nrole, int orole, int *first) {
  int k[SB_CH_COUNT];
  sb_cat_diff_role_counts(d, nrole, orole, k);
  sb_buf_printf(b, "%s    {", *first ? "" : ",\n");
  *first = 0;
  jstr(b, "role", id, 0);
  sb_buf_printf(b, ", \"status\": \"%s\"",
                nrole < 0 ? "removed" : orole < 0 ? "added" : "kept");
  sb_buf_printf(b, ", \"added\": %d, \"removed\": %d, \"text_changed\": %d, "
                "\"became_mandatory\": %d, \"became_optional\": %d}",
                k[SB_CH_EXPECT_ADDED], k[SB_CH_EXPECT_REMOVED],
                k[SB_CH_EXPECT_TEXT], k[SB_CH_EXPECT_MANDATORY],
                k[SB_CH_EXPECT_OPTIONAL]);
}

void sb_cat_diff_json(const sb_cat_diff *d, sb_buf *out) {
  sb_buf_adds(out, "{\n  \"format\": 1,\n");
  json_version(out, "old", d->old);
  json_version(out, "new", d->cur);
  sb_buf_printf(out, "  \"changed\": %s,\n  \"counts\": {",
                d->nchanges ? "true" : "false");
  for (int k = 0; k < SB_CH_COUNT; k++)
    sb_buf_printf(out, "%s\"%s\": %d", k ? ", " : "",
                  sb_change_kind_name((sb_change_kind)k), d->count[k]);
  sb_buf_adds(out, "},\n  \"roles\": [\n");
  int first = 1;
  for (int r = 0; r < d->cur->nroles; r++) {
    int orole = -1;
    for (int i = 0; i < d->old->nroles && orole < 0; i++)
      if (strcmp(d->old->roles[i].id, d->cur->roles[r].id) == 0) orole = i;
    json_role(d, out, d->cur->roles[r].id, r, orole, &first);
  }
  for (int i = 0; i < d->nchanges; i++)
    if (d->changes[i].kind == SB_CH_ROLE_REMOVED)
      json_role(d, out, d->old->roles[d->changes[i].orole].id, -1,
                d->changes[i].orole, &first);
  sb_buf_adds(out, "\n  ],\n  \"changes\": [");
  for (int i = 0; i < d->nchanges; i++) {
    sb_buf_adds(out, i ? ",\n" : "\n");
    json_change(d, &d->changes[i], out);
  }
  sb_buf_adds(out, d->nchanges ? "\n  ]\n}\n" : "]\n}\n");
}
