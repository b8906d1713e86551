#!/usr/bin/python3
"""The targets of issue #18, from three seeds of the large catalogue, in one run.

  issue18.py --skillbook BIN --ref DIR --data DIR --results DIR
             [--rounds 3] [--seeds 7,11] [--phases BIN] [--no-xl-batch]

Catalogues: DATA/large.xml (the bench's, seed 20240630) and DATA/large-sSEED.xml
for each extra seed, made with REF/gen_catalog.py --size large --seed SEED when
missing; DATA/xl.xml (2,000 skills x 20 roles) for the 2,000-skill cases.
For each catalogue its largest handbook (the role with the most skills).

One interleaved run: after one warm-up of every case, ROUNDS rounds, each
running every case once (ours, ReportLab and Typst on each seed's largest
handbook; `batch -j 2` into an empty folder and again unchanged on each seed;
the xl handbook), one process at a time, under /usr/bin/time -v (wall time
around the whole command, peak RSS of the largest process).  The xl batch runs
once (warm page cache from the rounds before).  Then bench/phases.c (-w) on
each seed's largest handbook: render+save against libdeflate level 6 and zlib
level 6 alone on the same streams.  Medians per case; each target counts the
worst of the three seeds.  Prints a Markdown table (target, goal, each seed,
worst, met / not met) and writes it to RESULTS/issue18.md, the samples to
RESULTS/issue18.jsonl.
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
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ours  # noqa: E402  (bench/ours.py: one way to time a command)

NS = "{urn:skillbook:catalog:1}"


def time_once(cmd, env=None):
    """(wall seconds, peak RSS in MB) of one run (bench/ours.py measures)."""
    wall, _cpu, rss = ours.time_once(cmd, env)
    return wall, rss


def largest_role(path):
    count = {}
    for sk in ET.parse(path).getroot().iter(NS + "skill"):
        for r in {e.get("role") for e in sk.iter(NS + "expect")}:
            count[r] = count.get(r, 0) + 1
    return max(sorted(count), key=lambda r: count[r])


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--skillbook", required=True)
    ap.add_argument("--ref", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seeds", default="7,11")
    ap.add_argument("--phases", default="")
    ap.add_argument("--no-xl-batch", action="store_true")
    a = ap.parse_args()
    sb = os.path.abspath(a.skillbook)
    data, res, ref = (os.path.abspath(x) for x in (a.data, a.results, a.ref))
    out = os.path.join(res, "issue18-out")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    seeds = [("20240630", os.path.join(data, "large.xml"))]
    for s in a.seeds.split(","):
        path = os.path.join(data, "large-s%s.xml" % s)
        if not os.path.exists(path):
            subprocess.run(["/usr/bin/python3", os.path.join(ref, "gen_catalog.py"), "--size",
                            "large", "--seed", s, "-o", path], check=True)
        seeds.append((s, path))
    xl = os.path.join(data, "xl.xml")
    load0 = os.getloadavg()

    cases = []  # (key, cmd, before)
    roles = {}
    for s, path in seeds:
        role = roles[s] = largest_role(path)
        cases.append(((s, "ours"), [sb, "handbook", path, "--role", role, "-o",
                                    os.path.join(out, "ours-%s.pdf" % s)], None))
        cases.append(((s, "reportlab"), [os.path.join(ref, "run_reportlab.sh"), path, role,
                                         os.path.join(out, "rl-%s.pdf" % s)], None))
        cases.append(((s, "typst"), [os.path.join(ref, "run_typst.sh"), path, role,
                                     os.path.join(out, "typst-%s.pdf" % s)], None))
        d = os.path.join(out, "batch-%s" % s)
        cases.append(((s, "batch-cold"), [sb, "batch", path, "-o", d, "-j", "2"],
                      (lambda d=d: shutil.rmtree(d, ignore_errors=True))))
        cases.append(((s, "batch-unchanged"), [sb, "batch", path, "-o", d, "-j", "2"], None))
    roles["xl"] = largest_role(xl)
    cases.append((("xl", "ours"), [sb, "handbook", xl, "--role", roles["xl"], "-o",
                                   os.path.join(out, "ours-xl.pdf")], None))
    samples = {c[0]: [] for c in cases}
    for rnd in range(a.rounds + 1):            # round 0: the warm-up
        for key, cmd, before in cases:
            if before:
                before()
            r = time_once(cmd)
            if rnd:
                samples[key].append(r)
        print("round %d of %d done (load %.1f)" % (rnd, a.rounds, os.getloadavg()[0]),
              file=sys.stderr, flush=True)
    xlb = None
    if not a.no_xl_batch:
        d = os.path.join(out, "batch-xl")
        xlb = time_once([sb, "batch", xl, "-o", d, "-j", "2"])
        shutil.rmtree(d, ignore_errors=True)
    for s, _ in seeds:
        shutil.rmtree(os.path.join(out, "batch-%s" % s), ignore_errors=True)
    phases = {}
    if a.phases:
        for s, path in seeds:
            txt = subprocess.run([a.phases, "-w", "-n", "10", "-r", roles[s], path],
                                 capture_output=True, text=True, check=True).stdout
            ld = re.search(r"= ([\d.]+)x the libdeflate ceiling \(([\d.]+) ms\)", txt)
            zl = re.search(r"= ([\d.]+)x the zlib ceiling \(([\d.]+) ms\)", txt)
            rs = re.search(r"render\+save .*?: ([\d.]+) ms = ", txt)
            if ld and zl and rs:
                phases[s] = (float(ld.group(1)), float(zl.group(1)), float(rs.group(1)),
                             float(ld.group(2)), float(zl.group(2)))
    load1 = os.getloadavg()

    med = {k: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v))
           for k, v in samples.items() if v}
    with open(os.path.join(res, "issue18.jsonl"), "a") as f:
        f.write(json.dumps(dict(run=datetime.datetime.now().isoformat(timespec="seconds"),
                                skillbook=sb, rounds=a.rounds, roles=roles,
                                load_before=load0, load_after=load1,
                                samples={"/".join(k): v for k, v in samples.items()},
                                xl_batch=xlb, phases=phases)) + "\n")
    names = [s for s, _ in seeds]
    rows = []

    def row(what, goal, vals, fmt, ok, worst_of=max):
        got = [vals.get(s) for s in names]
        have = [v for v in got if v is not None]
        worst = worst_of(have) if have else None
        cells = [fmt(v) if v is not None else "n/a" for v in got]
        verdict = ("n/a" if worst is None else "info" if ok is None
                   else "met" if ok(worst) else "not met")
        rows.append("| %s | %s | %s | %s | %s |" % (
            what, goal, " | ".join(cells), fmt(worst) if worst is not None else "n/a",
            verdict))

    ratio = lambda tool: {s: med[(s, tool)][0] / med[(s, "ours")][0] for s in names}  # noqa: E731
    x = lambda v: "%.1fx" % v  # noqa: E731
    row("largest handbook: ReportLab / ours (median wall)", ">= 60x", ratio("reportlab"), x,
        lambda v: v >= 60, min)
    row("largest handbook: Typst / ours (median wall)", ">= 25x", ratio("typst"), x,
        lambda v: v >= 25, min)
    row("largest handbook: ours, median wall", "", {s: med[(s, "ours")][0] for s in names},
        lambda v: "%.3f s" % v, None)
    row("largest handbook: peak RSS", "< 48 MB", {s: med[(s, "ours")][1] for s in names},
        lambda v: "%.1f MB" % v, lambda v: v < 48)
    xv = med.get(("xl", "ours"))
    rows.append("| 2,000-skill handbook (%s): peak RSS | < 64 MB | %s | | | %s | %s |" % (
        roles["xl"], "%.1f MB (%.3f s)" % (xv[1], xv[0]) if xv else "n/a",
        "%.1f MB" % xv[1] if xv else "n/a",
        "n/a" if not xv else ("met" if xv[1] < 64 else "not met")))
    row("render+save / libdeflate level 6 alone (phases.c -w)", "<= 1.3x",
        {s: v[0] for s, v in phases.items()}, lambda v: "%.2fx" % v, lambda v: v <= 1.3)
    row("render+save / zlib level 6 alone (for reference)", "",
        {s: v[1] for s, v in phases.items()}, lambda v: "%.2fx" % v, None)
    row("batch -j 2, empty folder (median)", "< 2.5 s",
        {s: med[(s, "batch-cold")][0] for s in names}, lambda v: "%.2f s" % v,
        lambda v: v < 2.5)
    row("batch -j 2, nothing changed (median)", "< 0.1 s",
        {s: med[(s, "batch-unchanged")][0] for s in names}, lambda v: "%.3f s" % v,
        lambda v: v < 0.1)
    rows.append("| 2,000-skill batch -j 2, empty folder (1 run) | < 8 s | %s | | | %s | %s |" % (
        "%.1f s" % xlb[0] if xlb else "n/a", "%.1f s" % xlb[0] if xlb else "n/a",
        "n/a" if not xlb else ("met" if xlb[0] < 8 else "not met")))
    rows.append("| load average (1, 5, 15 min) before / after | | %s / %s | | | | |" % (
        ", ".join("%.1f" % v for v in load0), ", ".join("%.1f" % v for v in load1)))
    head = ("| target | goal | %s | worst | |\n|---|---|%s---:|---|" % (
        " | ".join("seed %s (%s)" % (s, roles[s]) for s in names), "---:|" * len(names)))
    table = head + "\n" + "\n".join(rows) + "\n"
    note = ("%d rounds after a warm-up, interleaved; %s; load average %.1f before, %.1f after.\n"
            % (a.rounds, sb, load0[0], load1[0]))
    with open(os.path.join(res, "issue18.md"), "w") as f:
        f.write(note + "\n" + table)
    print(note)
    print(table)


if __name__ == "__main__":
    sys.exit(main())
