#!/usr/bin/python3
"""skillbook-only benchmark cases that measure.py does not have.

  ours.py --skillbook BIN --data DIR --results DIR [--runs N] [--quick]
          [--only SUBSTR] [--jobs 2]

Cases (names: ours/CATALOGUE/WHAT):
  ours/xl/r01                 `skillbook handbook xl.xml --role r01` (2,000 skills x 20 roles)
  ours/medium/handbooks-loop  `skillbook handbook` once per role of medium, one after
                              the other, straight from sh (no xmllint, no wrapper)
  ours/medium/handbooks-all   `skillbook handbook medium.xml --all -j J` into an empty
                              folder: the 8 handbooks in one command (what Typst
                              inproc does in one process)
  ours/medium/handbooks-all-j1  the same with -j 1 (one process, no worker)
  ours/medium/batch-cold      `skillbook batch medium.xml -j J` into an empty folder
  ours/large/batch-cold       the same for large (target: under 10 s with -j 2)
  ours/large/batch-unchanged  the same again over a folder already up to date
                              (target: under 0.5 s)
  ours/xl/batch-cold          xl, one run only, not in --quick

Every case runs once as warm-up, then the counted runs are interleaved round by
round (A B C ..., A B C ...), one process tree at a time, each under
/usr/bin/time -v: wall time (perf_counter around the whole command), user+sys
CPU and peak RSS (the largest single process of the tree).  Reported: medians,
min-max of wall time, documents, pages and bytes (pdfinfo for handbooks, the
batch's manifest.json for batches).  Results: RESULTS/ours.jsonl (appended) and
RESULTS/ours.md (this run).
"""

import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def time_once(cmd, env=None):
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-v", "-o", tf.name] + cmd, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t0
        tv = tf.read()
    if p.returncode != 0:
        raise SystemExit("ours.py: command failed (%d): %s\n%s"
                         % (p.returncode, " ".join(cmd), p.stderr[-2000:]))
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", tv).group(1))
    sys_ = float(re.search(r"System time \(seconds\): ([\d.]+)", tv).group(1))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", tv).group(1))
    return wall, user + sys_, rss / 1024.0


def pdf_pages(path):
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else 0


def pdfs_of(paths):
    return len(paths), sum(pdf_pages(p) for p in paths), sum(os.path.getsize(p) for p in paths)


def manifest_of(d):
    with open(os.path.join(d, "manifest.json")) as f:
        m = json.load(f)
    docs = m.get("documents", [])
    return (len(docs), sum(x.get("pages", 0) for x in docs),
            sum(x.get("bytes", 0) for x in docs))


def role_ids(catalog):
    import xml.etree.ElementTree as ET
    ns = "{urn:skillbook:catalog:1}"
    root = ET.parse(catalog).getroot()
    return [r.get("id") for r in root.iter(ns + "role")]


class Case:
    def __init__(self, name, what, cmd, runs, outputs, before=None, warm=True):
        self.name, self.what, self.cmd, self.runs = name, what, cmd, runs
        self.outputs, self.before, self.warm = outputs, before, warm
        self.samples = []


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--skillbook", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    sb, data, res = os.path.abspath(a.skillbook), os.path.abspath(a.data), os.path.abspath(a.results)
    out = os.path.join(res, "ours-out")
    os.makedirs(out, exist_ok=True)
    run_id = datetime.datetime.now().isoformat(timespec="seconds")
    J = str(a.jobs)
    cat = lambda s: os.path.join(data, s + ".xml")  # noqa: E731

    def fresh(d):
        return lambda: shutil.rmtree(d, ignore_errors=True)

    cases = []
    xl_pdf = os.path.join(out, "xl_r01.pdf")
    cases.append(Case("ours/xl/r01", "one role (r01)",
                      [sb, "handbook", cat("xl"), "--role", "r01", "-o", xl_pdf],
                      a.runs, lambda: pdfs_of([xl_pdf])))
    loopdir = os.path.join(out, "medium_loop")
    os.makedirs(loopdir, exist_ok=True)
    ids = role_ids(cat("medium"))
    script = "; ".join('"$0" handbook "$1" --role %s -o "$2/%s.pdf" >/dev/null' % (i, i)
                       for i in ids)
    cases.append(Case("ours/medium/handbooks-loop", "all %d roles, loop of `handbook`" % len(ids),
                      ["/bin/sh", "-ec", script, sb, cat("medium"), loopdir], a.runs,
                      lambda: pdfs_of([os.path.join(loopdir, i + ".pdf") for i in ids])))
    for jobs in ([J] if J == "1" else [J, "1"]):
        d = os.path.join(out, "handbooks_all_j%s" % jobs)
        name = "ours/medium/handbooks-all" + ("-j1" if jobs == "1" and J != "1" else "")
        cases.append(Case(name, "all %d roles, `handbook --all -j %s`" % (len(ids), jobs),
                          [sb, "handbook", cat("medium"), "--all", "-o", d, "-j", jobs],
                          a.runs, (lambda d=d: pdfs_of([os.path.join(d, i + ".pdf")
                                                        for i in ids])),
                          before=fresh(d)))
    for size in ("medium", "large") + (() if a.quick else ("xl",)):
        d = os.path.join(out, "batch_%s_cold" % size)
        runs = 1 if size == "xl" else a.runs
        cases.append(Case("ours/%s/batch-cold" % size, "`batch -j %s`, empty folder" % J,
                          [sb, "batch", cat(size), "-o", d, "-j", J], runs,
                          (lambda d=d: manifest_of(d)), before=fresh(d), warm=size != "xl"))
    d = os.path.join(out, "batch_large_warm")
    cases.append(Case("ours/large/batch-unchanged", "`batch -j %s`, nothing changed" % J,
                      [sb, "batch", cat("large"), "-o", d, "-j", J], a.runs,
                      (lambda d=d: manifest_of(d))))
    cases = [c for c in cases if a.only in c.name]
    if not cases:
        raise SystemExit("ours.py: no case matches --only %r" % a.only)

    for c in cases:                      # warm-up (also fills the 'unchanged' folder)
        if c.before:
            c.before()
        if c.warm or "unchanged" in c.name:
            time_once(c.cmd)
    for r in range(max(c.runs for c in cases)):
        for c in cases:
            if len(c.samples) < c.runs:
                if c.before:
                    c.before()
                c.samples.append(time_once(c.cmd))

    rows = ["| case | what | docs | pages | bytes | median wall s (min-max) | median CPU s "
            "| peak RSS MB | runs |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    with open(os.path.join(res, "ours.jsonl"), "a") as f:
        for c in cases:
            walls = [s[0] for s in c.samples]
            docs, pages, nbytes = c.outputs()
            rec = dict(case=c.name, what=c.what, run=run_id, runs=len(walls),
                       wall_median=statistics.median(walls), wall_min=min(walls),
                       wall_max=max(walls), walls=walls,
                       cpu_median=statistics.median(s[1] for s in c.samples),
                       rss_mb_median=statistics.median(s[2] for s in c.samples),
                       rss_mb_max=max(s[2] for s in c.samples),
                       docs=docs, pages=pages, bytes=nbytes, loadavg=os.getloadavg()[0],
                       cmd=" ".join(c.cmd), skillbook=sb)
            f.write(json.dumps(rec) + "\n")
            rows.append("| %s | %s | %d | %d | %d | %.3f (%.3f-%.3f) | %.3f | %.1f | %d |" % (
                c.name, c.what, docs, pages, nbytes, rec["wall_median"], rec["wall_min"],
                rec["wall_max"], rec["cpu_median"], rec["rss_mb_median"], rec["runs"]))
            print("%-30s %7.3f s (min %.3f max %.3f) cpu %.3f s  rss %.1f MB  %d docs, %d pages, %d B"
                  % (c.name, rec["wall_median"], rec["wall_min"], rec["wall_max"],
                     rec["cpu_median"], rec["rss_mb_median"], docs, pages, nbytes), flush=True)
    for name in os.listdir(out):         # batch folders: up to 0.4 GB each (xl)
        if name.startswith("batch_"):
            shutil.rmtree(os.path.join(out, name), ignore_errors=True)
    with open(os.path.join(res, "ours.md"), "w") as f:
        f.write("Run %s, %s, load average %.1f at the end.\n\n" % (run_id, sb, os.getloadavg()[0]))
        f.write("\n".join(rows) + "\n")
    print("\n".join(rows))


if __name__ == "__main__":
    sys.exit(main())
