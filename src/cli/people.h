/*
** cli/people.h -- the people list of a review cycle (a CSV file).
**
** A spreadsheet's CSV export (read by sb_csv_read: BOM, `,` `;` or tab,
** RFC 4180 quotes) with a header row naming its columns in any order:
** name, role, level (required); target, target_role, reviewer, date, team,
** id, only, domain (optional). Each row becomes one sb_batch_person: the
** review its pack shows, a file-safe id, the file-safe id of its reviewer
** and the name logs may use ("row 12", or "id E12" when the file gives
** ids). README "Review cycles" documents the columns.
*/
#ifndef SB_CLI_PEOPLE_H
#define SB_CLI_PEOPLE_H

#include "skillbook/base.h"
#include "skillbook/batch.h"
#include "skillbook/catalog.h"
#include "skillbook/docs.h"

typedef struct sb_people {
  sb_arena *arena;          /* every string */
  sb_batch_person *p;       /* n people, in the file's order */
  int n;
  int given_ids;            /* the file has an id column */
  int no_reviewer;          /* people with no reviewer (in no book) */
} sb_people;

/** Reads the people list at path (its text, max bytes) against cat.
** only and domain (-1: every domain) are the defaults of the rows that
** leave those columns empty (reviews --only, --domain). Every bad row is
** a diagnostic in ctx, "PATH:LINE: error: column "level": ...", unknown
** ids or names with "did you mean"; all rows are checked. Returns SB_OK
** with *out filled (free it with sb_cli_free_people), SB_E_SCHEMA when any
** row or the header is bad (nothing usable: *out empty), SB_E_IO when the
** file cannot be read. Columns the list does not know: one warning naming
** them. No message quotes a name.
** @test tests/cli/reviews.sh */
sb_status sb_cli_read_people(sb_ctx *ctx, const char *path,
                             const sb_catalog *cat, sb_only only, int domain,
                             sb_people *out);
void sb_cli_free_people(sb_people *pp);

/** Looks a domain up by id or name, without regard to case: its index,
** or -1. */
int sb_cli_domain_lookup(const sb_catalog *cat, const char *s);

/** What `reviews` and `batch --people` share: reads the people list at
** path against cat (a missing file: exit 2), prints its diagnostics (all
** bad rows: exit 3, nothing written; with strict a warning is exit 3 too),
** notes how many people have no reviewer, and points bo's people fields
** at *pp. Returns 0 or the exit status. */
int sb_cli_people_setup(sb_ctx *ctx, const char *cmd, const char *path,
                        const sb_catalog *cat, sb_only only, int domain,
                        int strict, sb_people *pp, sb_batch_opts *bo);

/** Parses --mode: octal digits only, at most 0777, with the owner's read
** and write. Returns 1 with *out set, else 0. */
int sb_cli_parse_mode(const char *s, unsigned *out);

#endif
