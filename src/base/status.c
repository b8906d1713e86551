/*
** base/status.c -- names, messages and exit statuses of sb_status.
**
** All three come from the one SB_STATUS_MAP table in base.h.
*/
#include "skillbook/base.h"

static const char *const names[] = {
#define X(name, msg, code) "SB_" #name,
    SB_STATUS_MAP(X)
#undef X
};
static const char *const messages[] = {
#define X(name, msg, code) msg,
    SB_STATUS_MAP(X)
#undef X
};
static const int exits[] = {
#define X(name, msg, code) code,
    SB_STATUS_MAP(X)
#undef X
};

const char *sb_status_name(sb_status st) {
  return (unsigned)st < SB_STATUS_COUNT ? names[st] : "SB_E_?";
}

const char *sb_status_str(sb_status st) {
  return (unsigned)st < SB_STATUS_COUNT ? messages[st] : "unknown status";
}

int sb_status_exit(sb_status st) {
  return (unsigned)st < SB_STATUS_COUNT ? exits[st] : 1;
}
