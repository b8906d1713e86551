/*
** batch/index.c -- index.html: every output of a folder on one page.
**
** A plain page that lists the documents with their thumbnails, grouped by
** role (its handbook, then its level comparison sheets), then the skill
** profiles grouped by domain. It is made from the manifest alone (a merge
** has no catalogue), is self-contained (inline CSS, no script, no font,
** no network, relative links only), so it works opened from disk, and is
** deterministic: same manifest, same bytes. Its words are in the
** manifest's language (lang attribute and labels, sb_labels_for; the
** headings and link texts the plan stored are already in it).
** Tests: tests/cli/batch_index.sh (headless Chromium)
*/
#include <stdlib.h>
#include <string.h>

#include "batch/batch-imp.h"
#include "skillbook/render.h"

static void html(sb_buf *b, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
    case '&': sb_buf_adds(b, "&amp;"); break;
    case '<': sb_buf_adds(b, "&lt;"); break;
    case '>': sb_buf_adds(b, "&gt;"); break;
    case '"': sb_buf_adds(b, "&quot;"); break;
    case '\'': sb_buf_adds(b, "&#39;"); break;
    default: sb_buf_addc(b, *s);
    }
  }
}

/* A relative path as a URL: unreserved characters and '/' as they are,
** everything else percent-encoded (so no path can break out of href). */
static void url(sb_buf *b, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
        c == '~' || c == '/')
      sb_buf_addc(b, (char)c);
    else
      sb_buf_printf(b, "%%%c%c", hex[c >> 4], hex[c & 15]);
  }
}

static void size_str(sb_buf *b, long long bytes) {
  if (bytes >= 1024 * 1024)
    sb_buf_printf(b, "%.1f MB", (double)bytes / (1024.0 * 1024.0));
  else
    sb_buf_printf(b, "%lld KB", (bytes + 1023) / 1024);
}

/* The height of a thumbnail's frame (CSS pixels); portrait frames are
** 168 wide, landscape ones as wide as the picture. */
#define THUMB_BOX_H 230

static const char CSS[] =
    ":root{--ink:#1a1a1a;--muted:#5f6368;--accent:#1f4e79;--rule:#d5dae1;"
    "--band:#f4f6f9}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',"
    "Roboto,'Liberation Sans',Arial,sans-serif;color:var(--ink);"
    "background:#fff}\n"
    "header{background:var(--accent);color:#fff;padding:28px 40px 22px}\n"
    "header h1{margin:0;font-size:26px;font-weight:600}\n"
    "header p{margin:6px 0 0;opacity:.85}\n"
    "nav{padding:14px 40px;border-bottom:1px solid var(--rule);"
    "background:var(--band);font-size:14px}\n"
    "nav a{color:var(--accent);margin-right:14px;white-space:nowrap}\n"
    "main{padding:8px 40px 48px;max-width:1400px}\n"
    "section{margin-top:28px}\n"
    "h2{font-size:20px;margin:0 0 4px;color:var(--accent)}\n"
    "h3{font-size:14px;margin:18px 0 8px;color:var(--muted);"
    "text-transform:uppercase;letter-spacing:.04em;font-weight:600}\n"
    ".grid{display:flex;flex-wrap:wrap;gap:16px}\n"
    ".card{text-decoration:none;color:inherit;display:block}\n"
    ".card:hover .thumb,.card:focus .thumb{outline:2px solid var(--accent)}\n"
    ".thumb{width:168px;height:230px;border:1px solid var(--rule);"
    "background:var(--band);display:flex;align-items:center;"
    "justify-content:center;overflow:hidden;box-shadow:0 1px 3px "
    "rgba(0,0,0,.12)}\n"
    ".thumb img{width:100%;height:100%;object-fit:contain;display:block}\n"
    ".thumb span{color:var(--muted);font-size:13px}\n"
    ".label{margin-top:6px;font-weight:600;font-size:14px;max-width:168px}\n"
    ".meta{color:var(--muted);font-size:12px}\n"
    "footer{padding:16px 40px;color:var(--muted);font-size:12px;"
    "border-top:1px solid var(--rule)}\n"
    "@media print{header{background:none;color:var(--ink)}nav{display:none}}"
    "\n";

/* "N pages" in the labels' language. */
static void count(sb_buf *b, const sb_labels *lb, long long n,
                  sb_label_id one, sb_label_id many) {
  if (n == 1) {
    html(b, sb_label(lb, one));
    return;
  }
  /* the label's "%d" is the number; a label is never a printf format */
  const char *t = sb_label(lb, many), *d = strstr(t, "%d");
  char num[24];
  snprintf(num, sizeof num, "%lld", n);
  if (!d) {
    html(b, t);
    return;
  }
  char *head = sb_xmalloc((size_t)(d - t) + 1);
  memcpy(head, t, (size_t)(d - t));
  head[d - t] = '\0';
  html(b, head);
  free(head);
  sb_buf_adds(b, num);
  html(b, d + 2);
}

static void card(sb_buf *b, const sb_labels *lb, const sb_mentry *e) {
  sb_buf_adds(b, "<a class=\"card\" href=\"");
  url(b, e->path);
  sb_buf_adds(b, "\"><div class=\"thumb\"");
  if (e->thumb && e->thumb_w > 0 && e->thumb_h > 0 && e->thumb_w > e->thumb_h)
    /* a landscape page: a wide frame of the same height */
    sb_buf_printf(b, " style=\"width:%dpx\"",
                  (int)(THUMB_BOX_H * (double)e->thumb_w / e->thumb_h + 0.5) + 2);
  sb_buf_adds(b, ">");
  if (e->thumb) {
    sb_buf_adds(b, "<img src=\"");
    url(b, e->thumb);
    sb_buf_adds(b, "\" alt=\"");
    html(b, sb_label(lb, SB_L_INDEX_FIRST_PAGE));
    sb_buf_adds(b, " ");
    html(b, e->label);
    sb_buf_adds(b, "\" loading=\"lazy\">");
  } else {
    sb_buf_adds(b, "<span>PDF</span>");
  }
  sb_buf_adds(b, "</div><div class=\"label\">");
  html(b, e->label ? e->label : e->path);
  sb_buf_adds(b, "</div><div class=\"meta\">");
  count(b, lb, e->pages, SB_L_INDEX_PAGE_ONE, SB_L_INDEX_PAGES);
  sb_buf_adds(b, " &middot; ");
  size_str(b, e->bytes);
  sb_buf_adds(b, "</div></a>\n");
}

static int same(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

void sb_batch_format_index(const sb_manifest *m, sb_buf *b) {
  /* Review packs and books are private: never in the index. */
  int npriv = 0;
  for (int i = 0; i < m->n; i++)
    npriv += m->docs[i].priv;
  if (npriv) {
    sb_manifest pub = *m;
    pub.docs = sb_xmalloc((size_t)(m->n - npriv + 1) * sizeof *pub.docs);
    pub.n = 0;
    for (int i = 0; i < m->n; i++)
      if (!m->docs[i].priv)
        pub.docs[pub.n++] = m->docs[i];
    pub.by_path = NULL;
    sb_batch_format_index(&pub, b);
    free(pub.docs);
    return;
  }
  sb_ctx quiet; /* an unknown language is English without a word */
  sb_ctx_init(&quiet);
  const sb_labels *lb = sb_labels_for(&quiet, m->lang ? m->lang : "en", 0);
  sb_ctx_free(&quiet);
  const char *other = sb_label(lb, SB_L_INDEX_OTHER);
  const char *title = m->title ? m->title : sb_label(lb, SB_L_INDEX_TITLE);
  int n = m->n;
  char *seen = sb_xcalloc((size_t)n + 1, 1);
  long long total_pages = 0;
  for (int i = 0; i < n; i++)
    total_pages += m->docs[i].pages;

  sb_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"");
  html(b, m->lang ? m->lang : lb->lang);
  sb_buf_adds(b, "\">\n<head>\n"
                 "<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, "
                 "initial-scale=1\">\n<title>");
  html(b, title);
  sb_buf_adds(b, "</title>\n<style>\n");
  sb_buf_adds(b, CSS);
  sb_buf_adds(b, "</style>\n</head>\n<body>\n<header><h1>");
  html(b, title);
  sb_buf_adds(b, "</h1><p>");
  count(b, lb, n, SB_L_INDEX_DOCUMENT_ONE, SB_L_INDEX_DOCUMENTS);
  sb_buf_adds(b, ", ");
  count(b, lb, total_pages, SB_L_INDEX_PAGE_ONE, SB_L_INDEX_PAGES);
  sb_buf_adds(b, "</p></header>\n");

  /* Table of contents: one link per group, in order of appearance. */
  sb_buf_adds(b, "<nav>");
  for (int i = 0; i < n; i++) {
    int first = 1;
    for (int j = 0; j < i && first; j++)
      if (same(m->docs[j].group, m->docs[i].group))
        first = 0;
    if (!first)
      continue;
    sb_buf_adds(b, "<a href=\"#g-");
    url(b, m->docs[i].group ? m->docs[i].group : "other");
    sb_buf_adds(b, "\">");
    html(b, m->docs[i].group_name ? m->docs[i].group_name : other);
    sb_buf_adds(b, "</a> ");
  }
  sb_buf_adds(b, "</nav>\n<main>\n");

  /* Each group, then within it each section, in order of appearance. */
  for (int i = 0; i < n; i++) {
    if (seen[i])
      continue;
    const char *g = m->docs[i].group;
    sb_buf_adds(b, "<section id=\"g-");
    url(b, g ? g : "other");
    sb_buf_adds(b, "\">\n<h2>");
    html(b, m->docs[i].group_name ? m->docs[i].group_name : other);
    sb_buf_adds(b, "</h2>\n");
    for (int j = i; j < n; j++) {
      if (seen[j] || !same(m->docs[j].group, g))
        continue;
      const char *sec = m->docs[j].section;
      if (sec) {
        sb_buf_adds(b, "<h3>");
        html(b, sec);
        sb_buf_adds(b, "</h3>\n");
      }
      sb_buf_adds(b, "<div class=\"grid\">\n");
      for (int k = j; k < n; k++) {
        if (seen[k] || !same(m->docs[k].group, g) ||
            !same(m->docs[k].section, sec))
          continue;
        card(b, lb, &m->docs[k]);
        seen[k] = 1;
      }
      sb_buf_adds(b, "</div>\n");
    }
    sb_buf_adds(b, "</section>\n");
  }
  if (n == 0) {
    sb_buf_adds(b, "<p>");
    html(b, sb_label(lb, SB_L_INDEX_NONE));
    sb_buf_adds(b, "</p>\n");
  }
  sb_buf_adds(b, "</main>\n<footer>");
  html(b, sb_label(lb, SB_L_INDEX_MADE_BY));
  sb_buf_adds(b, " skillbook " SB_VERSION ". ");
  html(b, sb_label(lb, SB_L_INDEX_FOOTER));
  sb_buf_adds(b, "</footer>\n</body>\n</html>\n");
  free(seen);
}
