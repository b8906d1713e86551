/*
** skillbook/import.h -- catalogues from and to spreadsheets (CSV) and JSON.
**
** Import reads CSV through the one CSV reader (csv.h) in one of two
** layouts (docs/import.md): long, one row per expectation, and wide, one
** row per skill and role with one column per level. It checks every row as
** it goes (each problem a diagnostic at FILE:LINE:COL, COL the spreadsheet
** column from 1), writes catalogue XML (format 1) and loads that XML again
** with the catalogue loader, so that what it returns is a catalogue
** `validate` accepts; a problem only the loader sees is reported at the
** row and column it came from. Export writes the long layout with every id
** column and the leading rows of the catalogue's own attributes, levels and
** roles, so that importing an export gives the same catalogue; and a JSON
** form of the model.
*/
#ifndef SKILLBOOK_IMPORT_H
#define SKILLBOOK_IMPORT_H

#include "skillbook/base.h"
#include "skillbook/catalog.h"

typedef enum {
  SB_LAYOUT_AUTO, /* from the header row: a level or text column = long */
  SB_LAYOUT_LONG,
  SB_LAYOUT_WIDE
} sb_csv_layout;

/** Converts the CSV text data[0..n) (path names it in messages) into a
** catalogue document appended to xml. *used (may be NULL) gets the layout
** read. Returns SB_OK when the document loads without error (warnings,
** such as gaps, are diagnostics in ctx at the rows they come from), else
** SB_E_SCHEMA (or the loader's status) with every problem a diagnostic;
** xml then holds nothing usable.
** @test tests/cli/import.sh */
sb_status sb_import_csv(sb_ctx *ctx, const char *path, const char *data,
                        size_t n, sb_csv_layout layout, sb_buf *xml,
                        sb_csv_layout *used);

/** Appends the catalogue as long-layout CSV (comma separated, CRLF-free,
** RFC 4180 quotes where needed) to out. This function can't fail.
** @test tests/cli/import.sh (the round trip) */
void sb_export_csv(const sb_catalog *cat, sb_buf *out);

/** Appends the catalogue as JSON (docs/import.md, "JSON") to out. This
** function can't fail. @test tests/cli/import.sh */
void sb_export_json(const sb_catalog *cat, sb_buf *out);

#endif
