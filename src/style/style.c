/*
** style/style.c -- the built-in styles and the English labels.
**
** Two styles are compiled in: "default" (A4 portrait) and "letter" (US
** Letter), identical but for the page. Colours are calm and keep their
** meaning in greyscale: nothing is told by colour alone. Labels are a table
** per language generated from SB_LABEL_MAP; other languages slot in as
** more tables (style and label files come later).
*/
#include <string.h>

#include "skillbook/style.h"

#define MM (72.0 / 25.4)
#define RGB(r, g, b) {(r) / 255.0, (g) / 255.0, (b) / 255.0}

static const sb_style builtin[] = {
    {
        .name = "default",
        .page_w = 595.28,
        .page_h = 841.89,
        .sheet_landscape = 1,
        .margin_top = 18 * MM,
        .margin_bottom = 20 * MM,
        .margin_left = 18 * MM,
        .margin_right = 18 * MM,
        .font_file = {"LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf",
                      "LiberationSans-Italic.ttf"},
        .size_body = 9.5,
        .size_small = 8,
        .size_tiny = 7,
        .size_title = 28,
        .size_h1 = 17,
        .size_h2 = 12,
        .size_h3 = 13,
        .leading = 1.32,
        .text = RGB(0x1a, 0x1a, 0x1a),
        .muted = RGB(0x5f, 0x63, 0x68),
        .accent = RGB(0x1f, 0x4e, 0x79),
        .rule = RGB(0xc4, 0xc9, 0xd0),
        .band = RGB(0xf1, 0xf4, 0xf8),
        .header_fill = RGB(0xdc, 0xe6, 0xf0),
        .header_text = RGB(0x12, 0x2e, 0x4a),
        .rule_width = 0.8,
        .table_rule_width = 0.4,
        .cell_pad = 4.5,
        .chart = {RGB(0x1f, 0x4e, 0x79), RGB(0x4f, 0x81, 0xb3),
                  RGB(0x9d, 0xc3, 0xe6), RGB(0xd6, 0xe6, 0xf4)},
        .greyscale = 0,
    },
};

static sb_style letter;

const sb_style *sb_style_builtin(const char *name) {
  if (!name || strcmp(name, "default") == 0 || strcmp(name, "a4") == 0)
    return &builtin[0];
  if (strcmp(name, "letter") == 0) {
    if (!letter.name) {
      letter = builtin[0];
      letter.name = "letter";
      letter.page_w = 612;
      letter.page_h = 792;
    }
    return &letter;
  }
  return NULL;
}

/* ==== Labels ==== */

static const sb_labels labels_en = {
    "en",
    {
#define SB_X_LABEL_TEXT(name, en) en,
        SB_LABEL_MAP(SB_X_LABEL_TEXT)
#undef SB_X_LABEL_TEXT
    },
};

const sb_labels *sb_labels_en(void) { return &labels_en; }

const char *sb_label(const sb_labels *lb, sb_label_id id) {
  if ((int)id < 0 || id >= SB_LABEL_COUNT) return "";
  if (lb && lb->text[id] && lb->text[id][0]) return lb->text[id];
  return labels_en.text[id];
}
