#!/usr/bin/env python3
"""bench/startup.py -- whole-process wall and CPU time of a few commands.

    python3 bench/startup.py N LABEL "COMMAND ARGS" [LABEL "COMMAND ARGS"]...

Runs each command N times, interleaved (one of each per round, so a change
in the machine's load hits them alike), output discarded, and prints per
label the median and min of the wall time (time.perf_counter around
subprocess.run) and the median user+sys CPU time of the child. Commands are
split on spaces (no quoting). The load average before and after is printed:
on a busy machine run it under `chrt -f 10` (docs/performance.md,
"Start-up, exit, and validation beside the walk").
"""
import os
import resource
import statistics
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 4 or len(sys.argv) % 2:
        sys.exit(__doc__)
    n = int(sys.argv[1])
    pairs = list(zip(sys.argv[2::2], sys.argv[3::2]))
    wall = {label: [] for label, _ in pairs}
    cpu = {label: [] for label, _ in pairs}
    before = os.getloadavg()
    for _ in range(n):
        for label, cmd in pairs:
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run(cmd.split(), stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
            wall[label].append(time.perf_counter() - t)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[label].append(r1.ru_utime - r0.ru_utime +
                              r1.ru_stime - r0.ru_stime)
    print("load before %.2f %.2f %.2f, after %.2f %.2f %.2f"
          % (before + os.getloadavg()))
    for label, _ in pairs:
        w = wall[label]
        print("%-12s wall median %8.2f ms  min %8.2f  cpu median %8.2f ms"
              % (label, statistics.median(w) * 1e3, min(w) * 1e3,
                 statistics.median(cpu[label]) * 1e3))


if __name__ == "__main__":
    main()
