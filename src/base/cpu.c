/*
** base/cpu.c -- how many processors this process may use.
**
** The CPUs of its affinity mask, capped by a cgroup v2 CPU quota (cpu.max
** of its own cgroup and of every parent): a container given 1.5 CPUs on a
** 64-core host counts 2. Used for the batch's and `handbook --all`'s
** default -j, and by the pdf device to decide on its deflate thread.
** Worked out once a process (it reads three files: a fraction of a
** millisecond each time on a virtual machine, asked several times a run).
*/
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "skillbook/base.h"

/* The quota of one cgroup v2 folder's cpu.max in CPUs (rounded up), or 0
** when there is none ("max") or it cannot be read. */
static int cgroup_quota(const char *dir) {
  char path[4096], line[128];
  snprintf(path, sizeof path, "%s/cpu.max", dir);
  FILE *f = fopen(path, "re");
  if (!f)
    return 0;
  int n = 0;
  if (fgets(line, sizeof line, f)) {
    long long quota, period;
    if (sscanf(line, "%lld %lld", &quota, &period) == 2 && quota > 0 &&
        period > 0)
      n = (int)((quota + period - 1) / period);
  }
  fclose(f);
  return n;
}

static int cpus;
static pthread_once_t cpus_once = PTHREAD_ONCE_INIT;

static int count(void) {
  int n = 1;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0)
    n = CPU_COUNT(&set);
  else {
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    n = c > 0 ? (int)c : 1;
  }
  /* cgroup v2: our own cgroup and every parent up to the root. */
  char rel[2048] = "";
  FILE *f = fopen("/proc/self/cgroup", "re");
  if (f) {
    char line[2048];
    while (fgets(line, sizeof line, f))
      if (strncmp(line, "0::", 3) == 0) {
        line[strcspn(line, "\n")] = '\0';
        snprintf(rel, sizeof rel, "%s", line + 3);
      }
    fclose(f);
  }
  for (;;) {
    char dir[4096];
    snprintf(dir, sizeof dir, "/sys/fs/cgroup%s", rel);
    int q = cgroup_quota(dir);
    if (q > 0 && q < n)
      n = q;
    char *slash = strrchr(rel, '/');
    if (!slash || !rel[0])
      break;
    *slash = '\0';
    if (!rel[0]) {
      q = cgroup_quota("/sys/fs/cgroup");
      if (q > 0 && q < n)
        n = q;
      break;
    }
  }
  return n < 1 ? 1 : n;
}

static void count_once(void) { cpus = count(); }

int sb_cpu_count(void) {
  pthread_once(&cpus_once, count_once);
  return cpus;
}
