/*
** base/mem.c -- allocation that never returns NULL, and the arena.
**
** Out of memory ends the program (Redis style): the registered temporary
** file is removed, one line names the size, exit status 1. A test hook
** makes the Nth allocation fail (curl's torture mode).
** The arena is a chunked bump allocator (MuPDF fz_pool): a document's
** boxes, lines and display list die together with it.
*/
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "skillbook/base.h"

static char oom_temp[4096];
/* Atomic: helper threads allocate too (the pdf device's deflate thread,
** the catalogue's validation thread); relaxed, nothing else is ordered by
** them. */
static _Atomic unsigned long fail_countdown;
static _Atomic unsigned long alloc_count;

void sb_oom_register_temp(const char *path) {
  if (!path) {
    oom_temp[0] = '\0';
    return;
  }
  size_t n = strlen(path);
  if (n >= sizeof oom_temp)
    n = sizeof oom_temp - 1;
  memcpy(oom_temp, path, n);
  oom_temp[n] = '\0';
}

const sb_test_hooks *sb_hooks;

void sb_alloc_fail_after(unsigned long n) {
  atomic_store_explicit(&fail_countdown, n, memory_order_relaxed);
}

unsigned long sb_alloc_count(void) {
  return atomic_load_explicit(&alloc_count, memory_order_relaxed);
}

static void oom(size_t n) {
  if (oom_temp[0])
    unlink(oom_temp);
  char line[128];
  int len = snprintf(line, sizeof line,
                     "skillbook: out of memory (allocating %zu bytes)\n", n);
  if (len > 0 && write(2, line, (size_t)len) < 0) {
    /* nothing more to do */
  }
  _exit(1);
}

/* Counts down to the injected failure; 1 = fail this one. */
static int injected_failure(void) {
  atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed);
  unsigned long left =
      atomic_load_explicit(&fail_countdown, memory_order_relaxed);
  while (left != 0) /* one thread takes each step down */
    if (atomic_compare_exchange_weak_explicit(&fail_countdown, &left, left - 1,
                                              memory_order_relaxed,
                                              memory_order_relaxed))
      return left == 1;
  return 0;
}

void *sb_xmalloc(size_t n) {
  void *p = injected_failure() ? NULL : malloc(n ? n : 1);
  if (!p)
    oom(n);
  return p;
}

void *sb_xcalloc(size_t n, size_t size) {
  void *p = injected_failure() ? NULL : calloc(n ? n : 1, size ? size : 1);
  if (!p)
    oom(n * size);
  return p;
}

void *sb_xrealloc(void *p, size_t n) {
  void *q = injected_failure() ? NULL : realloc(p, n ? n : 1);
  if (!q)
    oom(n);
  return q;
}

char *sb_xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = sb_xmalloc(n);
  memcpy(p, s, n);
  return p;
}

/* ==== Arena ==== */

typedef struct chunk {
  struct chunk *next;
  size_t size, used;
  _Alignas(16) unsigned char data[];
} chunk;

/* A function sb_arena_on_drop registered */
typedef struct hook {
  struct hook *next;
  void (*fn)(void *);
  void *arg;
} hook;

struct sb_arena {
  chunk *head;
  size_t budget, total;
  hook *hooks;    /* newest first */
};

/* Calls and forgets the hooks, newest first. */
static void run_hooks(sb_arena *a) {
  while (a->hooks) {
    hook *h = a->hooks;
    a->hooks = h->next;
    h->fn(h->arg);
    free(h);
  }
}

#define ARENA_CHUNK ((size_t)64 << 10)

sb_arena *sb_new_arena(size_t budget) {
  sb_arena *a = sb_xcalloc(1, sizeof *a);
  a->budget = budget;
  return a;
}

void sb_drop_arena(sb_arena *a) {
  if (!a)
    return;
  run_hooks(a);
  for (chunk *c = a->head, *next; c; c = next) {
    next = c->next;
    free(c);
  }
  free(a);
}

void sb_arena_reset(sb_arena *a) {
  run_hooks(a);
  chunk *c = a->head;
  if (!c)
    return;
  while (c->next) {
    chunk *next = c->next;
    c->next = next->next;
    free(next);
  }
  /* keep the newest chunk (the head) for reuse */
  c->used = 0;
  a->total = c->size;
}

void *sb_arena_alloc(sb_arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  chunk *c = a->head;
  if (!c || c->size - c->used < n) {
    size_t size = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
    if (a->budget && a->total + size > a->budget)
      return NULL;
    c = sb_xmalloc(sizeof *c + size);
    c->size = size;
    c->used = 0;
    if (n > ARENA_CHUNK / 4 && a->head) {
      /* a big block gets its own chunk behind the current one */
      c->next = a->head->next;
      a->head->next = c;
    } else {
      c->next = a->head;
      a->head = c;
    }
    a->total += size;
  }
  void *p = c->data + c->used;
  c->used += n;
  return p;
}

void *sb_arena_calloc(sb_arena *a, size_t n) {
  void *p = sb_arena_alloc(a, n);
  if (p)
    memset(p, 0, n);
  return p;
}

char *sb_arena_strndup(sb_arena *a, const char *s, size_t n) {
  char *p = sb_arena_alloc(a, n + 1);
  if (!p)
    return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *sb_arena_strdup(sb_arena *a, const char *s) {
  return sb_arena_strndup(a, s, strlen(s));
}

char *sb_arena_printf(sb_arena *a, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *p = n >= 0 ? sb_arena_alloc(a, (size_t)n + 1) : NULL;
  if (p)
    vsnprintf(p, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  return p;
}

size_t sb_arena_used(const sb_arena *a) { return a->total; }

int sb_arena_charge(sb_arena *a, size_t n) {
  if (a->budget && (n > a->budget || a->total > a->budget - n))
    return 0;
  a->total += n;
  return 1;
}

void sb_arena_refund(sb_arena *a, size_t n) {
  a->total -= n < a->total ? n : a->total;
}

void sb_arena_on_drop(sb_arena *a, void (*fn)(void *), void *arg) {
  hook *h = sb_xmalloc(sizeof *h);
  h->fn = fn;
  h->arg = arg;
  h->next = a->hooks;
  a->hooks = h;
}
