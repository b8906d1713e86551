#!/usr/bin/env python3
"""tests/cli/batch_fast_lib.py -- helpers of tests/cli/batch_fast.sh.

  opened PATH -- CMD [ARGS...]
      Runs CMD with an inotify watch on PATH (a file, or a folder and the
      files in it) and prints "opened" when CMD opened or read it, else
      "not-opened"; exits with CMD's status. stat(2) is no event: the
      unchanged rerun stats its inputs and opens none, so this tells, without
      timing anything, whether a run loaded the catalogue.
  has-rerun DIR
      Exit 0 when DIR/manifest.json has the "rerun" member.
  summary LOG
      The JSON summary event of LOG without its "seconds".
"""
import ctypes
import json
import os
import subprocess
import sys

IN_ACCESS = 0x001
IN_OPEN = 0x020


def opened(path, cmd):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
    if fd < 0:
        sys.exit("inotify_init1: %s" % os.strerror(ctypes.get_errno()))
    wd = libc.inotify_add_watch(fd, path.encode(), IN_OPEN | IN_ACCESS)
    if wd < 0:
        sys.exit("inotify_add_watch %s: %s"
                 % (path, os.strerror(ctypes.get_errno())))
    rc = subprocess.call(cmd)
    try:
        events = os.read(fd, 65536)
    except BlockingIOError:
        events = b""
    os.close(fd)
    print("opened" if events else "not-opened")
    return rc


def main():
    a = sys.argv[1:]
    if len(a) >= 3 and a[0] == "opened" and a[2] == "--":
        sys.exit(opened(a[1], a[3:]))
    if len(a) == 2 and a[0] == "has-rerun":
        with open(os.path.join(a[1], "manifest.json")) as f:
            sys.exit(0 if "rerun" in json.load(f) else 1)
    if len(a) == 2 and a[0] == "summary":
        with open(a[1]) as f:
            for line in f:
                ev = json.loads(line)
                if ev.get("event") == "summary":
                    ev.pop("seconds", None)
                    print(json.dumps(ev, sort_keys=True))
        sys.exit(0)
    sys.exit(__doc__)


if __name__ == "__main__":
    main()
