/*
** import/export.c -- a catalogue out as long-layout CSV or as JSON.
**
** The CSV is what import reads back into the same catalogue: leading rows
** with the attributes, levels and roles in order, then one row per
** expectation with every id column, skills in print order and each skill's
** expectations in document order; summary, keywords and updated on the
** skill's first row only (docs/import.md).
*/
#include <string.h>

#include "skillbook/import.h"

/* ==== CSV ==== */

/* One field, quoted when it holds a comma, quote, CR or LF (RFC 4180). */
static void field(sb_buf *b, const char *s, int last) {
  if (!s) s = "";
  if (strpbrk(s, ",\"\r\n;\t")) {
    sb_buf_addc(b, '"');
    for (; *s; s++) {
      if (*s == '"') sb_buf_addc(b, '"');
      sb_buf_addc(b, *s);
    }
    sb_buf_addc(b, '"');
  } else {
    sb_buf_adds(b, s);
  }
  sb_buf_addc(b, last ? '\n' : ',');
}

static void meta(sb_buf *b, const char *key, const char *a, const char *c) {
  field(b, key, 0);
  field(b, a, !c);
  if (c) field(b, c, 1);
}

/* Keywords joined by "; ", or one per line when one of them holds ';'
** (then a line break ends the cell too, so that one keyword alone still
** reads as one). */
static void keywords(sb_buf *b, const sb_skill *sk) {
  sb_buf k;
  int semi = 0;
  sb_buf_init(&k);
  for (int i = 0; i < sk->nkeywords; i++)
    semi |= strchr(sk->keywords[i], ';') != NULL;
  for (int i = 0; i < sk->nkeywords; i++) {
    if (i) sb_buf_adds(&k, semi ? "\n" : "; ");
    sb_buf_adds(&k, sk->keywords[i]);
  }
  if (semi) sb_buf_addc(&k, '\n');
  field(b, k.p ? k.p : "", 0);
  sb_buf_free(&k);
}

void sb_export_csv(const sb_catalog *cat, sb_buf *b) {
  if (cat->title) meta(b, "#title", cat->title, NULL);
  if (cat->version) meta(b, "#version", cat->version, NULL);
  if (cat->author) meta(b, "#author", cat->author, NULL);
  meta(b, "#lang", cat->lang ? cat->lang : "en", NULL);
  for (int i = 0; i < cat->nlevels; i++)
    meta(b, "#level", cat->levels[i].id, cat->levels[i].name);
  for (int i = 0; i < cat->nroles; i++)
    meta(b, "#role", cat->roles[i].id, cat->roles[i].name);
  sb_buf_adds(b, "domain_id,domain,group_id,group,skill_id,skill,level_id,"
                 "level,role_id,role,mandatory,text,summary,keywords,updated\n");
  for (int s = 0; s < cat->nskills; s++) {
    const sb_skill *sk = &cat->skills[s];
    const sb_domain *d = &cat->domains[sk->domain];
    const sb_group *g = &cat->groups[sk->group];
    for (int i = 0; i < sk->nexpects; i++) {
      const sb_expect *e = &sk->expects[i];
      field(b, d->id, 0);
      field(b, d->name, 0);
      field(b, g->id, 0);
      field(b, g->name, 0);
      field(b, sk->id, 0);
      field(b, sk->name, 0);
      field(b, cat->levels[e->level].id, 0);
      field(b, cat->levels[e->level].name, 0);
      field(b, cat->roles[e->role].id, 0);
      field(b, cat->roles[e->role].name, 0);
      field(b, e->mandatory ? "yes" : "no", 0);
      field(b, e->text, 0);
      field(b, i == 0 ? sk->summary : NULL, 0);
      if (i == 0) keywords(b, sk);
      else field(b, NULL, 0);
      field(b, i == 0 ? sk->updated : NULL, 1);
    }
  }
}

/* ==== JSON ==== */

static void jstr(sb_buf *b, const char *key, const char *v, int comma) {
  sb_buf_printf(b, "\"%s\": ", key);
  if (v) {
    sb_buf_addc(b, '"');
    sb_buf_json_str(b, v);
    sb_buf_addc(b, '"');
  } else {
    sb_buf_adds(b, "null");
  }
  if (comma) sb_buf_adds(b, ", ");
}

void sb_export_json(const sb_catalog *cat, sb_buf *b) {
  sb_buf_adds(b, "{\n  \"format\": \"skillbook-catalog-1\",\n  ");
  jstr(b, "title", cat->title, 1);
  jstr(b, "version", cat->version, 1);
  jstr(b, "author", cat->author, 1);
  jstr(b, "lang", cat->lang ? cat->lang : "en", 0);
  sb_buf_adds(b, ",\n  \"levels\": [");
  for (int i = 0; i < cat->nlevels; i++) {
    sb_buf_adds(b, i ? ",\n    {" : "\n    {");
    jstr(b, "id", cat->levels[i].id, 1);
    jstr(b, "name", cat->levels[i].name, 0);
    sb_buf_addc(b, '}');
  }
  sb_buf_adds(b, "\n  ],\n  \"roles\": [");
  for (int i = 0; i < cat->nroles; i++) {
    sb_buf_adds(b, i ? ",\n    {" : "\n    {");
    jstr(b, "id", cat->roles[i].id, 1);
    jstr(b, "name", cat->roles[i].name, 0);
    sb_buf_addc(b, '}');
  }
  sb_buf_adds(b, "\n  ],\n  \"domains\": [");
  /* skills are in print order: grouped by domain, then group */
  int dom = -1, grp = -1;
  for (int s = 0; s < cat->nskills; s++) {
    const sb_skill *sk = &cat->skills[s];
    if (sk->domain != dom) {
      if (dom >= 0) sb_buf_adds(b, "\n        ]}\n      ]}");
      const sb_domain *d = &cat->domains[sk->domain];
      sb_buf_adds(b, dom >= 0 ? ",\n    {" : "\n    {");
      jstr(b, "id", d->id, 1);
      jstr(b, "name", d->name, 0);
      sb_buf_adds(b, ", \"groups\": [");
      dom = sk->domain;
      grp = -1;
    }
    if (sk->group != grp) {
      if (grp >= 0) sb_buf_adds(b, "\n        ]},");
      const sb_group *g = &cat->groups[sk->group];
      sb_buf_adds(b, "\n      {");
      jstr(b, "id", g->id, 1);
      jstr(b, "name", g->name, 0);
      sb_buf_adds(b, ", \"skills\": [");
      grp = sk->group;
    } else {
      sb_buf_addc(b, ',');
    }
    sb_buf_adds(b, "\n        {");
    jstr(b, "id", sk->id, 1);
    jstr(b, "name", sk->name, 1);
    jstr(b, "summary", sk->summary, 1);
    jstr(b, "updated", sk->updated, 1);
    sb_buf_adds(b, "\"keywords\": [");
    for (int i = 0; i < sk->nkeywords; i++) {
      sb_buf_adds(b, i ? ", \"" : "\"");
      sb_buf_json_str(b, sk->keywords[i]);
      sb_buf_addc(b, '"');
    }
    sb_buf_adds(b, "], \"expects\": [");
    for (int i = 0; i < sk->nexpects; i++) {
      const sb_expect *e = &sk->expects[i];
      sb_buf_adds(b, i ? ",\n          {" : "\n          {");
      jstr(b, "level", cat->levels[e->level].id, 1);
      jstr(b, "role", cat->roles[e->role].id, 1);
      sb_buf_printf(b, "\"mandatory\": %s, ", e->mandatory ? "true" : "false");
      jstr(b, "text", e->text, 0);
      sb_buf_addc(b, '}');
    }
    sb_buf_adds(b, "]}");
  }
  if (dom >= 0) sb_buf_adds(b, "\n        ]}\n      ]}");
  sb_buf_adds(b, "\n  ]\n}\n");
}
