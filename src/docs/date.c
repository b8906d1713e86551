/*
** docs/date.c -- the date a document prints and carries in its metadata.
**
** SOURCE_DATE_EPOCH when set, else the newest `updated` date among the
** skills the document shows; no clock, time zone or locale enters, so the
** same catalogue gives the same bytes. Shared by the handbook, the sheet,
** the profile and the furniture (docs-imp.h), and owned by none of them.
** Tests: tests/cli/handbook.sh, sheet.sh, profile.sh (dates), tests/unit/.
*/
#include <stdlib.h>
#include <string.h>

#include "docs-imp.h"

long long sb_doc_iso_time(const char *iso) {
  if (!iso || strlen(iso) != 10 || iso[4] != '-' || iso[7] != '-') return -1;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (iso[i] < '0' || iso[i] > '9')) return -1;
  int y = (iso[0] - '0') * 1000 + (iso[1] - '0') * 100 + (iso[2] - '0') * 10 +
          (iso[3] - '0');
  int m = (iso[5] - '0') * 10 + (iso[6] - '0');
  int d = (iso[8] - '0') * 10 + (iso[9] - '0');
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1970) return -1;
  /* days since 1970-01-01 (Howard Hinnant's days_from_civil); y >= 1970,
  ** so every division below is of non-negative numbers */
  y -= m <= 2;
  long long era = y / 400;
  long long yoe = y - era * 400;
  long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (era * 146097 + doe - 719468) * 86400;
}

long long sb_doc_date(const sb_catalog *cat, const int *skills, int n) {
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  if (sde && *sde) {
    char *end;
    long long v = strtoll(sde, &end, 10);
    if (*end == 0 && v >= 0) return v;
  }
  const char *best = NULL;
  int count = skills ? n : cat->nskills;
  for (int i = 0; i < count; i++) {
    const sb_skill *sk = &cat->skills[skills ? skills[i] : i];
    if (sk->updated && strlen(sk->updated) == 10 &&
        (!best || strcmp(sk->updated, best) > 0))
      best = sk->updated;
  }
  return sb_doc_iso_time(best);
}
