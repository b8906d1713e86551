/*
** devices/pdf-deflate.c -- page content deflated while the next pages are
** drawn.
**
** Deflating every page after the last one is drawn would be a fifth of a
** 167-page handbook, spent while the second processor idles. Here each
** finished page's content is handed to a helper thread, which deflates it
** (libdeflate, SB_ZLEVEL_CONTENT: deflate.h) while the main thread lays
** out and draws the next pages; once the last page is drawn,
** pdf_zq_finish deflates what is still queued on the calling thread too,
** so both processors share the tail, and waits for the helper; the device
** then gives the compressed bytes to libharu as the stream's data with
** /FlateDecode declared (pdf-device.c set_contents, pdf-haru.c
** sb_haru_set_contents) and releases each page's copy at once.
**
** What the helper deflates into is made by the pushing thread (the
** drawing one), whose heap is on huge pages (base/heap.c): made by the
** helper, in its own arena, it faulted in 4 KB at a time (~90 faults of
** ~12 us for the large handbook, a tenth of the helper's deflating).
** Each thread has its own compressor (libdeflate's are not thread-safe):
** the caller lends its own (the document's, sb_haru_deflater) for the
** pages it deflates, and the queue makes the helper's, freed once the
** helper is joined. The thread touches nothing but the queue, its
** compressor and malloc: no libharu, no sb_ctx, no sb_x* allocators
** (their failure-injection counter is not thread-safe). Without a thread
** (one processor, a batch worker, or pthread_create failing) each page is
** deflated inline at push: the bytes are the same either way, since each
** page is one call whose output depends only on its input and the level.
** Tests: tests/unit/test_pdf.c (same bytes with and without the thread,
** and they inflate to the pages' content).
*/
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "devices/pdf-imp.h"

typedef struct zpage {
  unsigned char *raw, *z; /* raw until deflated; z its room (zn bytes,
                          ** made at push), then its deflate */
  size_t n, zn;
  int state; /* 0 empty, 1 queued, 2 done, 3 failed */
} zpage;

struct pdf_zq {
  zpage *pages;
  int npages;
  int *order; /* pages in push order */
  int pushed, taken;
  int threaded, closing;
  sb_deflater *mine, *helper; /* the caller's (borrowed), the thread's */
  pthread_t thr;
  pthread_mutex_t mu;
  pthread_cond_t cv;   /* a page queued, or closing */
  pthread_cond_t done; /* a page deflated (pdf_zq_wait) */
};

/* Deflates one page with dz (NULL: there was no memory to make it), into
** z->z when the pushing thread made room there (z->zn its size); 0, or -1
** when out of memory. */
static int deflate_page(sb_deflater *dz, zpage *z) {
  unsigned char *out;

  if (!dz)
    return -1;
  if (z->z) {
    size_t n = sb_deflate_into(dz, z->raw, z->n, z->z, z->zn);
    if (n == 0) /* (the bound always fits) */
      return -1;
    /* the bound is the input's size and more: give the rest back (pages
    ** wait for the save deflated, 4-5x smaller than their bound) */
    out = realloc(z->z, n);
    if (out)
      z->z = out;
    z->zn = n;
  } else if ((z->z = sb_deflate(dz, z->raw, z->n, &z->zn)) == NULL) {
    return -1;
  }
  free(z->raw);
  z->raw = NULL;
  return 0;
}

/* With q->mu held and a page queued: deflates the next page with dz, the
** lock released meanwhile. */
static void take_one(pdf_zq *q, sb_deflater *dz) {
  zpage *z = &q->pages[q->order[q->taken++]];
  int st;

  pthread_mutex_unlock(&q->mu);
  st = deflate_page(dz, z);
  pthread_mutex_lock(&q->mu);
  z->state = st == 0 ? 2 : 3;
  pthread_cond_broadcast(&q->done);
}

static void *worker(void *arg) {
  pdf_zq *q = arg;

  pthread_mutex_lock(&q->mu);
  for (;;) {
    while (q->taken == q->pushed && !q->closing)
      pthread_cond_wait(&q->cv, &q->mu);
    if (q->taken == q->pushed) /* closing, nothing left */
      break;
    take_one(q, q->helper);
  }
  pthread_mutex_unlock(&q->mu);
  return NULL;
}

pdf_zq *pdf_zq_new(int npages, int threaded, sb_deflater *mine) {
  pdf_zq *q = sb_xcalloc(1, sizeof *q);

  q->npages = npages > 0 ? npages : 1;
  q->pages = sb_xcalloc((size_t)q->npages, sizeof *q->pages);
  q->order = sb_xcalloc((size_t)q->npages, sizeof *q->order);
  q->mine = mine;
  if (threaded && (q->helper = sb_new_deflater(SB_ZLEVEL_CONTENT)) != NULL &&
      pthread_mutex_init(&q->mu, NULL) == 0) {
    if (pthread_cond_init(&q->cv, NULL) == 0) {
      if (pthread_cond_init(&q->done, NULL) == 0) {
        if (pthread_create(&q->thr, NULL, worker, q) == 0) {
          q->threaded = 1;
          return q;
        }
        pthread_cond_destroy(&q->done);
      }
      pthread_cond_destroy(&q->cv);
    }
    pthread_mutex_destroy(&q->mu);
  }
  sb_drop_deflater(q->helper); /* no thread: no helper's compressor */
  q->helper = NULL;
  return q;
}

void pdf_zq_push(pdf_zq *q, int page, unsigned char *raw, size_t n) {
  zpage *z;

  if (page < 0 || page >= q->npages || q->pages[page].state) {
    free(raw);
    return;
  }
  z = &q->pages[page];
  z->raw = raw;
  z->n = n;
  if (!q->threaded) {
    z->state = deflate_page(q->mine, z) == 0 ? 2 : 3;
    return;
  }
  /* the output's room, made here: this thread's heap is on huge pages
  ** (base/heap.c), the helper's arena faults in 4 KB at a time (~12 us
  ** each on the machine measured: a tenth of the helper's deflating) */
  z->zn = sb_deflate_bound(q->helper, n);
  z->z = malloc(z->zn ? z->zn : 1); /* NULL: deflate_page makes its own */
  pthread_mutex_lock(&q->mu);
  z->state = 1;
  q->order[q->pushed++] = page;
  pthread_cond_signal(&q->cv);
  pthread_mutex_unlock(&q->mu);
}

int pdf_zq_finish(pdf_zq *q) {
  int i;

  if (q->threaded) {
    pthread_mutex_lock(&q->mu);
    q->closing = 1;
    pthread_cond_signal(&q->cv);
    /* the caller has nothing left to draw: it deflates pages too, taking
    ** them from the same queue, so the two processors share the tail */
    while (q->taken < q->pushed)
      take_one(q, q->mine);
    pthread_mutex_unlock(&q->mu);
    pthread_join(q->thr, NULL);
    pthread_cond_destroy(&q->done);
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
    sb_drop_deflater(q->helper); /* the thread is gone */
    q->helper = NULL;
    q->threaded = 0;
  }
  for (i = 0; i < q->npages; i++)
    if (q->pages[i].state == 3)
      return i;
  return -1;
}

const unsigned char *pdf_zq_get(const pdf_zq *q, int page, size_t *n) {
  if (page < 0 || page >= q->npages || q->pages[page].state != 2) {
    *n = 0;
    return NULL;
  }
  *n = q->pages[page].zn;
  return q->pages[page].z;
}

const unsigned char *pdf_zq_wait(pdf_zq *q, int page, size_t *n) {
  if (q->threaded && page >= 0 && page < q->npages) {
    pthread_mutex_lock(&q->mu);
    while (q->pages[page].state == 1) /* queued, or being deflated */
      pthread_cond_wait(&q->done, &q->mu);
    pthread_mutex_unlock(&q->mu);
  }
  return pdf_zq_get(q, page, n);
}

void pdf_zq_release(pdf_zq *q, int page) {
  if (page < 0 || page >= q->npages || q->pages[page].state != 2)
    return;
  free(q->pages[page].z);
  q->pages[page].z = NULL;
  q->pages[page].zn = 0;
  q->pages[page].state = 0;
}

void pdf_zq_free(pdf_zq *q) {
  int i;

  if (!q)
    return;
  pdf_zq_finish(q);
  for (i = 0; i < q->npages; i++) {
    free(q->pages[i].raw);
    free(q->pages[i].z);
  }
  free(q->pages);
  free(q->order);
  free(q);
}
