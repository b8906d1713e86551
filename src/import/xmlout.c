/*
** import/xmlout.c -- the import's model written as catalogue XML, then
** loaded by the catalogue loader to check what the rows could not.
**
** One element per line, so that each XML line maps back to the row and
** column it came from: a problem the loader finds (a character XML
** forbids, a text over a limit, ...) is reported at FILE:LINE:COL of the
** CSV file, never at a line of XML the user has not seen. Text is written
** collapsed (the catalogue's own white-space rule), so no line break is
** ever inside a value.
*/
#include <stdlib.h>
#include <string.h>

#include "import/import-imp.h"

typedef struct out {
  sb_buf *b;
  imp_at *map;    /* map[k]: where XML line k (1-based) came from */
  size_t nmap, cap;
} out;

/* Ends the current line; it came from at. */
static void line_end(out *o, imp_at at) {
  sb_buf_addc(o->b, '\n');
  if (SB_GROW(o->map, o->nmap + 1, o->cap, 256, (size_t)1 << 40)) abort();
  o->map[++o->nmap] = at;
}

static void esc(sb_buf *b, const char *s) {
  for (; *s; s++) {
    switch (*s) {
    case '&': sb_buf_adds(b, "&amp;"); break;
    case '<': sb_buf_adds(b, "&lt;"); break;
    case '>': sb_buf_adds(b, "&gt;"); break;
    case '"': sb_buf_adds(b, "&quot;"); break;
    default: sb_buf_addc(b, *s);
    }
  }
}

static void attr(sb_buf *b, const char *name, const char *v) {
  if (!v) return;
  sb_buf_printf(b, " %s=\"", name);
  esc(b, v);
  sb_buf_addc(b, '"');
}

/* <el id name/> or, open set, <el id name> */
static void item(out *o, const char *indent, const char *el, const imp_item *it,
                 int open) {
  sb_buf_printf(o->b, "%s<%s", indent, el);
  attr(o->b, "id", it->id);
  attr(o->b, "name", it->name);
  sb_buf_adds(o->b, open ? ">" : "/>");
  line_end(o, it->at);
}

static void write_skill(out *o, imp_model *m, int k) {
  const imp_item *it = &m->skills.v[k];
  const imp_skill *sk = &m->sk[k];
  imp_at none = {0, 0};
  sb_buf_adds(o->b, "      <skill");
  attr(o->b, "id", it->id);
  attr(o->b, "name", it->name);
  attr(o->b, "updated", sk->updated);
  sb_buf_adds(o->b, ">");
  line_end(o, it->at);
  if (sk->summary) {
    sb_buf_adds(o->b, "        <summary>");
    esc(o->b, sk->summary);
    sb_buf_adds(o->b, "</summary>");
    line_end(o, sk->summary_at);
  }
  for (int i = 0; i < sk->nkeywords; i++) {
    sb_buf_adds(o->b, "        <keyword>");
    esc(o->b, sk->keywords[i]);
    sb_buf_adds(o->b, "</keyword>");
    line_end(o, sk->keywords_at);
  }
  for (int i = 0; i < sk->nex; i++) {
    const imp_expect *e = &sk->ex[i];
    sb_buf_adds(o->b, "        <expect");
    attr(o->b, "level", m->levels.v[e->level].id);
    attr(o->b, "role", m->roles.v[e->role].id);
    if (e->mandatory) sb_buf_adds(o->b, " mandatory=\"true\"");
    sb_buf_adds(o->b, ">");
    esc(o->b, e->text);
    sb_buf_adds(o->b, "</expect>");
    line_end(o, e->at);
  }
  sb_buf_adds(o->b, "      </skill>");
  line_end(o, none);
}

static void write_doc(out *o, imp_model *m) {
  imp_at none = {0, 0};
  sb_buf_adds(o->b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
  line_end(o, none);
  sb_buf_adds(o->b, "<catalog xmlns=\"urn:skillbook:catalog:1\"");
  attr(o->b, "xml:lang", m->lang);
  attr(o->b, "title", m->title);
  attr(o->b, "version", m->version);
  attr(o->b, "author", m->author);
  sb_buf_adds(o->b, ">");
  line_end(o, m->lang ? m->lang_at : m->title ? m->title_at : none);
  sb_buf_adds(o->b, "  <levels>");
  line_end(o, none);
  for (int i = 0; i < m->levels.n; i++) item(o, "    ", "level", &m->levels.v[i], 0);
  sb_buf_adds(o->b, "  </levels>");
  line_end(o, none);
  sb_buf_adds(o->b, "  <roles>");
  line_end(o, none);
  for (int i = 0; i < m->roles.n; i++) item(o, "    ", "role", &m->roles.v[i], 0);
  sb_buf_adds(o->b, "  </roles>");
  line_end(o, none);
  /* skills of each group, in the order first seen: the print order */
  int *next = sb_xmalloc(((size_t)m->skills.n + 1) * sizeof *next);
  int *first = sb_xmalloc(((size_t)m->groups.n + 1) * sizeof *first);
  int *last = sb_xmalloc(((size_t)m->groups.n + 1) * sizeof *last);
  for (int g = 0; g < m->groups.n; g++) first[g] = last[g] = -1;
  for (int k = 0; k < m->skills.n; k++) {
    int g = m->skills.v[k].parent;
    next[k] = -1;
    if (last[g] < 0) first[g] = k;
    else next[last[g]] = k;
    last[g] = k;
  }
  for (int d = 0; d < m->domains.n; d++) {
    item(o, "  ", "domain", &m->domains.v[d], 1);
    for (int g = 0; g < m->groups.n; g++) {
      if (m->groups.v[g].parent != d || first[g] < 0) continue;
      item(o, "    ", "group", &m->groups.v[g], 1);
      for (int k = first[g]; k >= 0; k = next[k]) write_skill(o, m, k);
      sb_buf_adds(o->b, "    </group>");
      line_end(o, none);
    }
    sb_buf_adds(o->b, "  </domain>");
    line_end(o, none);
  }
  sb_buf_adds(o->b, "</catalog>");
  line_end(o, none);
  free(next);
  free(first);
  free(last);
}

sb_status imp_write_xml(imp_model *m, sb_buf *xml) {
  out o = {xml, NULL, 0, 0};
  if (SB_GROW(o.map, 0, o.cap, 256, (size_t)1 << 40)) abort();
  o.map[0].line = 0, o.map[0].col = 0;
  write_doc(&o, m);
  /* load it: what the loader says is said of the rows */
  sb_ctx v;
  sb_ctx_init(&v);
  v.limits = m->ctx->limits;
  v.quiet = 1;
  sb_catalog *cat = NULL;
  sb_status st = sb_load_catalog_mem(&v, m->path, xml->p, xml->n, &cat);
  sb_drop_catalog(cat);
  for (size_t i = 0; i < v.ndiags; i++) {
    const sb_diag *d = &v.diags[i];
    imp_at at = {0, 0};
    if (d->line > 0 && (size_t)d->line <= o.nmap) at = o.map[d->line];
    sb_diag_add(m->ctx, d->sev, d->code, m->path, at.line, at.col, "%s",
                d->msg);
  }
  if (st != SB_OK && v.errmsg[0] && v.ndiags == 0)
    sb_fail(m->ctx, st, "%s", v.errmsg);
  sb_ctx_free(&v);
  free(o.map);
  return st;
}
