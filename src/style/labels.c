/*
** style/labels.c -- printed labels per language: en, es, ru.
**
** Every printed word that is not catalogue content comes from one table
** per language, indexed by sb_label_id (SB_LABEL_MAP in style.h gives the
** English text). A label a table leaves out falls back to English, never
** to an empty string; sb_labels_for (src/render/render.c) warns once about it.
** Dates and numbers are formatted from these tables, never via setlocale,
** so output does not depend on the machine's locale.
** To add a language: copy the es table, translate, add it to tables[]
** (docs/styles.md).
** Tests: tests/unit/test_style.c, tests/cli/styles.sh
*/
#include <stdio.h>
#include <string.h>

#include "skillbook/style.h"

static const sb_labels labels_en = {
    "en",
    {
#define SB_X_LABEL_TEXT(name, en) en,
        SB_LABEL_MAP(SB_X_LABEL_TEXT)
#undef SB_X_LABEL_TEXT
    },
    {"January", "February", "March", "April", "May", "June", "July",
     "August", "September", "October", "November", "December"},
    "%d %m %Y",
    ".",
};

static const sb_labels labels_es = {
    "es",
    {
        [SB_L_HANDBOOK] = "Guía de carrera profesional",
        [SB_L_CONTENTS] = "Índice",
        [SB_L_HOW_TO_READ] = "Cómo leer esta guía",
        [SB_L_HOW_TO_READ_TEXT] =
            "Cada competencia en la que aparece este rol tiene una sección con "
            "una tabla: una fila por nivel, del primero al último, con lo que "
            "se espera en ese nivel. Los niveles crecen en orden; lo que pide "
            "un nivel se apoya en los niveles anteriores.",
        [SB_L_LEGEND] = "Leyenda",
        [SB_L_MANDATORY] = "Obligatorio",
        [SB_L_OPTIONAL] = "Opcional",
        [SB_L_MANDATORY_TEXT] = "exigido en este nivel para este rol",
        [SB_L_OPTIONAL_TEXT] = "recomendado, no exigido",
        [SB_L_GAP] = "no definido para este nivel",
        [SB_L_LEVEL] = "Nivel",
        [SB_L_EXPECTATION] = "Expectativa",
        [SB_L_ROLE] = "Rol",
        [SB_L_SKILL] = "Competencia",
        [SB_L_SKILLS] = "Competencias",
        [SB_L_LEVELS] = "Niveles",
        [SB_L_DOMAIN] = "Dominio",
        [SB_L_GROUP] = "Grupo",
        [SB_L_KEYWORDS] = "Palabras clave",
        [SB_L_UPDATED] = "Actualizado",
        [SB_L_SUMMARY] = "Resumen",
        [SB_L_EXPECTATIONS] = "Expectativas",
        [SB_L_CATALOGUE] = "Catálogo",
        [SB_L_VERSION] = "Versión",
        [SB_L_AUTHOR] = "Autor",
        [SB_L_DATE] = "Fecha",
        [SB_L_PAGE_X_OF_Y] = "página %d de %d",
        [SB_L_SKILLS_FOR_ROLE] = "competencias en las que aparece este rol",
        [SB_L_LEVELS_GROWTH] = "niveles, en orden de crecimiento",
        [SB_L_MANDATORY_COUNT] = "expectativas obligatorias",
        [SB_L_OPTIONAL_COUNT] = "expectativas opcionales",
        [SB_L_ROLES_WHERE] = "roles en los que aparece esta competencia",
        [SB_L_OTHER_OPTIONAL] = "opcionales restantes: %d",
        [SB_L_PROFILE] = "Perfil de competencia",
        [SB_L_PROFILES] = "Perfiles de competencias",
        [SB_L_INDEX_TITLE] = "Documentos de competencias",
        [SB_L_INDEX_SHEETS] = "Hojas de comparación de niveles",
        [SB_L_INDEX_PROFILE_BOOK] =
            "Todos los perfiles de competencias, en un libro",
        [SB_L_INDEX_DOCUMENT_ONE] = "1 documento",
        [SB_L_INDEX_DOCUMENTS] = "%d documentos",
        [SB_L_INDEX_PAGE_ONE] = "1 página",
        [SB_L_INDEX_PAGES] = "%d páginas",
        [SB_L_INDEX_FIRST_PAGE] = "Primera página de",
        [SB_L_INDEX_NONE] = "No hay documentos.",
        [SB_L_INDEX_OTHER] = "Otros",
        [SB_L_INDEX_MADE_BY] = "Generado con",
        [SB_L_INDEX_FOOTER] =
            "Cada documento es un PDF; las imágenes muestran su primera "
            "página.",
        [SB_L_SHEET] = "Comparación de niveles",
        [SB_L_CURRENT] = "Nivel actual",
        [SB_L_TARGET] = "Nivel objetivo",
        [SB_L_NEW] = "nuevo",
        [SB_L_BECOMES_MANDATORY] = "pasa a ser obligatorio",
        [SB_L_NAME] = "Nombre",
        [SB_L_REVIEWER] = "Evaluador",
        [SB_L_SELF] = "Autoevaluación",
        [SB_L_MANAGER] = "Responsable",
        [SB_L_AGREED] = "Acordado",
        [SB_L_WORKING_TOWARDS] = "en progreso",
        [SB_L_MEETING] = "cumple",
        [SB_L_EXCEEDING] = "supera",
        [SB_L_EVIDENCE] = "Evidencias y notas",
        [SB_L_SHEET_NOTE] =
            "Esta hoja guía una conversación entre una persona ingeniera y su "
            "responsable; no es una lista de comprobación.",
        [SB_L_SHEET_SUM_TARGET] = "expectativas en el nivel objetivo",
        [SB_L_SHEET_SUM_MANDATORY] = "obligatorias en él",
        [SB_L_SHEET_SUM_NEW] = "nuevas respecto al nivel actual",
        [SB_L_SHEET_SUM_BECOMES] = "pasan de opcionales a obligatorias",
        [SB_L_SHEET_ADDED] = "Palabras en negrita",
        [SB_L_SHEET_ADDED_TEXT] = "lo que el nivel objetivo añade al actual",
        [SB_L_SHEET_ASSESS] = "Valoración",
        [SB_L_ROLES] = "Roles",
        [SB_L_PROFILE_LEVELS] = "niveles que define la competencia",
        [SB_L_PROFILE_MANDATORY] = "expectativas obligatorias",
        [SB_L_PROFILE_BY_LEVEL] = "Qué se espera en cada nivel",
        [SB_L_CHART_PER_LEVEL] = "Expectativas por nivel",
        [SB_L_CHART_COVERAGE] = "Expectativas por nivel y área",
        [SB_L_NO_MANDATORY] = "Este rol no tiene expectativas obligatorias.",
        [SB_L_CHART_GRID_KEY] =
            "Cada celda: las expectativas obligatorias + opcionales del rol "
            "en el área en ese nivel (un guion: ninguna). Cuanto más oscura "
            "la celda, mayor la parte de las competencias del área que es "
            "obligatoria.",
        [SB_L_CHART_SAME] = "Los mismos recuentos en todas las áreas:",
        [SB_L_CONTINUED] = "continuación",
        [SB_L_SHEET_ONLY_MANDATORY] =
            "solo las competencias obligatorias en el nivel objetivo",
        [SB_L_SHEET_ONLY_CHANGED] = "solo lo que cambia entre los niveles",
        [SB_L_SHEET_SHOWN] = "%d de %d competencias mostradas",
        [SB_L_SIGN_OFF] = "Conformidad",
        [SB_L_ENGINEER] = "Ingeniero/a",
        [SB_L_SIGNATURE] = "Firma",
        [SB_L_PACK_EXPECT] = "Las expectativas del nivel objetivo completas",
        [SB_L_REVIEW_BOOK] = "Paquetes de evaluación",
        [SB_L_PACKS] = "paquetes",
    },
    {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
     "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
    "%d de %m de %Y",
    ",",
};

static const sb_labels labels_ru = {
    "ru",
    {
        [SB_L_HANDBOOK] = "Справочник карьерного пути",
        [SB_L_CONTENTS] = "Содержание",
        [SB_L_HOW_TO_READ] = "Как читать этот справочник",
        [SB_L_HOW_TO_READ_TEXT] =
            "У каждого навыка, где встречается эта роль, есть раздел с "
            "таблицей: по строке на уровень, от первого до последнего, с тем, "
            "что ожидается на этом уровне. Уровни растут по порядку; то, что "
            "требует уровень, опирается на предыдущие уровни.",
        [SB_L_LEGEND] = "Условные обозначения",
        [SB_L_MANDATORY] = "Обязательно",
        [SB_L_OPTIONAL] = "Желательно",
        [SB_L_MANDATORY_TEXT] = "требуется на этом уровне для этой роли",
        [SB_L_OPTIONAL_TEXT] = "рекомендуется, но не требуется",
        [SB_L_GAP] = "не определено для этого уровня",
        [SB_L_LEVEL] = "Уровень",
        [SB_L_EXPECTATION] = "Ожидание",
        [SB_L_ROLE] = "Роль",
        [SB_L_SKILL] = "Навык",
        [SB_L_SKILLS] = "Навыки",
        [SB_L_LEVELS] = "Уровни",
        [SB_L_DOMAIN] = "Область",
        [SB_L_GROUP] = "Группа",
        [SB_L_KEYWORDS] = "Ключевые слова",
        [SB_L_UPDATED] = "Обновлено",
        [SB_L_SUMMARY] = "Описание",
        [SB_L_EXPECTATIONS] = "Ожидания",
        [SB_L_CATALOGUE] = "Каталог",
        [SB_L_VERSION] = "Версия",
        [SB_L_AUTHOR] = "Автор",
        [SB_L_DATE] = "Дата",
        [SB_L_PAGE_X_OF_Y] = "страница %d из %d",
        [SB_L_SKILLS_FOR_ROLE] = "навыков, где встречается эта роль",
        [SB_L_LEVELS_GROWTH] = "уровней в порядке роста",
        [SB_L_MANDATORY_COUNT] = "обязательных ожиданий",
        [SB_L_OPTIONAL_COUNT] = "желательных ожиданий",
        [SB_L_ROLES_WHERE] = "ролей, где встречается этот навык",
        [SB_L_OTHER_OPTIONAL] = "остальные желательные: %d",
        [SB_L_PROFILE] = "Профиль навыка",
        [SB_L_PROFILES] = "Профили навыков",
        /* counts as "noun: N", which needs no plural forms */
        [SB_L_INDEX_TITLE] = "Документы по навыкам",
        [SB_L_INDEX_SHEETS] = "Листы сравнения уровней",
        [SB_L_INDEX_PROFILE_BOOK] = "Все профили навыков в одной книге",
        [SB_L_INDEX_DOCUMENT_ONE] = "Документов: 1",
        [SB_L_INDEX_DOCUMENTS] = "Документов: %d",
        [SB_L_INDEX_PAGE_ONE] = "страниц: 1",
        [SB_L_INDEX_PAGES] = "страниц: %d",
        [SB_L_INDEX_FIRST_PAGE] = "Первая страница:",
        [SB_L_INDEX_NONE] = "Документов нет.",
        [SB_L_INDEX_OTHER] = "Другое",
        [SB_L_INDEX_MADE_BY] = "Создано программой",
        [SB_L_INDEX_FOOTER] =
            "Каждый документ — файл PDF; на картинках его первая страница.",
        [SB_L_SHEET] = "Сравнение уровней",
        [SB_L_CURRENT] = "Текущий уровень",
        [SB_L_TARGET] = "Целевой уровень",
        [SB_L_NEW] = "новое",
        [SB_L_BECOMES_MANDATORY] = "становится обязательным",
        [SB_L_NAME] = "Имя",
        [SB_L_REVIEWER] = "Оценивающий",
        [SB_L_SELF] = "Самооценка",
        [SB_L_MANAGER] = "Руководитель",
        [SB_L_AGREED] = "Согласовано",
        [SB_L_WORKING_TOWARDS] = "растёт",
        [SB_L_MEETING] = "на уровне",
        [SB_L_EXCEEDING] = "выше",
        [SB_L_EVIDENCE] = "Подтверждения и заметки",
        [SB_L_SHEET_NOTE] =
            "Этот лист направляет разговор инженера и руководителя; это не "
            "чек-лист.",
        [SB_L_SHEET_SUM_TARGET] = "ожиданий на целевом уровне",
        [SB_L_SHEET_SUM_MANDATORY] = "из них обязательных",
        [SB_L_SHEET_SUM_NEW] = "новых по сравнению с текущим уровнем",
        [SB_L_SHEET_SUM_BECOMES] = "становятся обязательными",
        [SB_L_SHEET_ADDED] = "Жирный шрифт",
        [SB_L_SHEET_ADDED_TEXT] = "что целевой уровень добавляет к текущему",
        [SB_L_SHEET_ASSESS] = "Оценка",
        [SB_L_ROLES] = "Роли",
        [SB_L_PROFILE_LEVELS] = "уровней определяет навык",
        [SB_L_PROFILE_MANDATORY] = "обязательных ожиданий",
        [SB_L_PROFILE_BY_LEVEL] = "Что ожидается на каждом уровне",
        [SB_L_CHART_PER_LEVEL] = "Ожидания по уровням",
        [SB_L_CHART_COVERAGE] = "Ожидания по уровням и областям",
        [SB_L_NO_MANDATORY] = "У этой роли нет обязательных ожиданий.",
        [SB_L_CHART_GRID_KEY] =
            "В каждой клетке: обязательные + необязательные ожидания роли в "
            "области на этом уровне (прочерк: нет). Чем темнее клетка, тем "
            "больше доля навыков области, обязательных на этом уровне.",
        [SB_L_CHART_SAME] = "Одинаковые числа во всех областях:",
        [SB_L_CONTINUED] = "продолжение",
        [SB_L_SHEET_ONLY_MANDATORY] =
            "только навыки, обязательные на целевом уровне",
        [SB_L_SHEET_ONLY_CHANGED] = "только то, что меняется между уровнями",
        [SB_L_SHEET_SHOWN] = "показано навыков: %d из %d",
        [SB_L_SIGN_OFF] = "Подписи",
        [SB_L_ENGINEER] = "Инженер",
        [SB_L_SIGNATURE] = "Подпись",
        [SB_L_PACK_EXPECT] = "Ожидания целевого уровня полностью",
        [SB_L_REVIEW_BOOK] = "Материалы для оценки",
        [SB_L_PACKS] = "комплектов",
    },
    /* genitive: "17 марта 2026 г." */
    {"января", "февраля", "марта", "апреля", "мая", "июня", "июля",
     "августа", "сентября", "октября", "ноября", "декабря"},
    "%d %m %Y г.",
    ",",
};

static const sb_labels *const tables[] = {&labels_en, &labels_es, &labels_ru};

const char *const sb_label_langs[] = {"en", "es", "ru", NULL};

const sb_labels *sb_labels_en(void) { return &labels_en; }

const sb_labels *sb_labels_lookup(const char *lang) {
  if (!lang) return NULL;
  for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
    if (strcmp(tables[i]->lang, lang) == 0) return tables[i];
  return NULL;
}

const char *sb_label(const sb_labels *lb, sb_label_id id) {
  if ((int)id < 0 || id >= SB_LABEL_COUNT) return "";
  if (lb && lb->text[id] && lb->text[id][0]) return lb->text[id];
  return labels_en.text[id];
}

/* Civil date from days since 1970-01-01 (Howard Hinnant's algorithm), so
** no gmtime_r and no time zone enters. */
static void civil(long long days, int *y, int *m, int *d) {
  days += 719468;
  long long era = (days >= 0 ? days : days - 146096) / 146097;
  long long doe = days - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long yy = yoe + era * 400;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long long mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yy + (*m <= 2));
}

void sb_label_date(const sb_labels *lb, long long t, char *buf, size_t size) {
  if (!size) return;
  buf[0] = 0;
  if (t < 0) return;
  if (!lb) lb = &labels_en;
  int y, m, d;
  civil(t / 86400, &y, &m, &d);
  const char *fmt = lb->date_fmt ? lb->date_fmt : labels_en.date_fmt;
  const char *month = lb->months[m - 1] ? lb->months[m - 1]
                                        : labels_en.months[m - 1];
  size_t o = 0;
  for (const char *p = fmt; *p && o + 1 < size; p++) {
    int k = 0;
    if (p[0] == '%' && p[1] == 'd')
      k = snprintf(buf + o, size - o, "%d", d);
    else if (p[0] == '%' && p[1] == 'm')
      k = snprintf(buf + o, size - o, "%s", month);
    else if (p[0] == '%' && p[1] == 'Y')
      k = snprintf(buf + o, size - o, "%d", y);
    else {
      buf[o++] = *p;
      buf[o] = 0;
      continue;
    }
    p++;
    o += (size_t)k < size - o ? (size_t)k : size - o - 1;
  }
  buf[o < size ? o : size - 1] = 0;
}

void sb_label_number(const sb_labels *lb, double v, int decimals, char *buf,
                     size_t size) {
  if (!size) return;
  if (decimals < 0) decimals = 0;
  if (decimals > 6) decimals = 6;
  snprintf(buf, size, "%.*f", decimals, v);
  const char *dec = lb && lb->decimal ? lb->decimal : ".";
  char *p = strchr(buf, '.');
  if (p && dec[0] && !dec[1]) *p = dec[0];
}
