/*
** catalog/sniff.c -- what a catalogue file that is not XML looks like.
**
** A new user's first try is often `skillbook validate ladder.csv`; libxml2
** would answer "Start tag expected". The loader asks here first, names the
** kind of file and points to `skillbook import` (catalog/load.c).
*/
#include <string.h>

#include "skillbook/catalog.h"

static int starts(const char *p, size_t n, const char *lit) {
  size_t k = strlen(lit);
  return n >= k && memcmp(p, lit, k) == 0;
}

/* 1 when the first line (up to 4 KiB) has a ',', ';' or tab. */
static int has_delim(const char *p, size_t n) {
  for (size_t i = 0; i < n && i < 4096 && p[i] != '\n'; i++)
    if (p[i] == ',' || p[i] == ';' || p[i] == '\t')
      return 1;
  return 0;
}

const char *sb_guess_format(const char *data, size_t n) {
  const char *p = data;
  if (starts(p, n, "%PDF-")) return "a PDF document";
  if (starts(p, n, "PK\x03\x04")) return "a ZIP archive (an .xlsx or .ods "
                                          "spreadsheet? save it as CSV)";
  if (starts(p, n, "\xD0\xCF\x11\xE0")) return "an old Office document (an "
                                               ".xls spreadsheet? save it as CSV)";
  if (starts(p, n, "\x89PNG") || starts(p, n, "\xFF\xD8\xFF"))
    return "an image";
  if (starts(p, n, "\xEF\xBB\xBF")) p += 3, n -= 3;
  while (n && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++, n--;
  if (n == 0 || *p == '<') return NULL;
  if (*p == '{' || *p == '[') return "JSON";
  if (starts(p, n, "---") || starts(p, n, "%YAML")) return "YAML";
  if (*p == '#' && !has_delim(p, n)) return "Markdown or YAML";
  if (has_delim(p, n)) return "CSV (a spreadsheet's export)";
  for (size_t i = 0; i < n && i < 4096 && p[i] != '\n'; i++)
    if (p[i] == ':') return "YAML";
  return "plain text";
}
