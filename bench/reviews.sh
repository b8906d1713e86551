#!/bin/bash
# bench/reviews.sh -- a review cycle at scale: N people (default 10,000) on
# the bundled catalogue, one `skillbook reviews -j J` run timed with
# /usr/bin/time -v (wall clock, peak memory), the same run again with
# nothing changed, and the same cycle as GNU parallel shards merged
# (compared byte for byte with the single run). Not part of CI.
#
#   bench/reviews.sh [--people N] [-j J] [--per-reviewer K] [--shards S]
#                    [--skillbook BIN] [--out DIR]     (--shards 0: no shards)
#
# Writes DIR (default /tmp/sb-reviews-bench): people.csv, single/, shard*/,
# merged/, and DIR/results.md with the figures (bench/README.md quotes them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
n=10000 jobs=2 per=8 shards=4 bin="$root/build/skillbook" out=/tmp/sb-reviews-bench
while [ $# -gt 0 ]; do
  case $1 in
    --people) n=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    --per-reviewer) per=$2; shift 2 ;;
    --shards) shards=$2; shift 2 ;;
    --skillbook) bin=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "bench/reviews.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x "$bin" ] || { echo "bench/reviews.sh: no program at $bin (build first)" >&2; exit 2; }
export SKILLBOOK_DATA=${SKILLBOOK_DATA:-$root}
rm -rf "$out"
mkdir -p "$out"
cd "$out"

# The people: every role in turn at one of its levels (from the catalogue's
# expectations), reviewers of K people each, a date, names in Latin and
# Cyrillic letters; deterministic.
python3 - "$root/catalog" "$n" "$per" >people.csv <<'EOF'
import sys, glob, random, xml.etree.ElementTree as ET
cat, n, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
levels = {}
for f in sorted(glob.glob(cat + "/*.xml")):
    for e in ET.parse(f).iter():
        if e.tag.split('}')[-1] == "expect":
            levels.setdefault(e.get("role"), set()).add(e.get("level"))
order = ["junior", "middle", "senior", "lead", "principal"]
roles = sorted(levels)
rnd = random.Random(14)
first = ["Ada", "Grace", "Alan", "Барбара", "Linus", "Ирина", "Ken", "Margaret", "Дмитрий", "Edsger"]
last = ["Lovelace", "Hopper", "Turing", "Лисков", "Torvalds", "Петрова", "Thompson", "Hamilton", "Кузнецов", "Dijkstra"]
print("name,role,level,reviewer,date,team")
for i in range(n):
    role = roles[i % len(roles)]
    lv = sorted(levels[role], key=lambda l: order.index(l) if l in order else 99)
    level = rnd.choice(lv)
    name = "%s %s %d" % (rnd.choice(first), rnd.choice(last), i)
    reviewer = "Reviewer %d %s" % (i // per, last[(i // per) % len(last)])
    print('"%s",%s,%s,"%s",2026-12-%02d,team-%d' % (name, role, level, reviewer, i % 28 + 1, i // 50))
EOF

measure() { # label dir args...  (times the whole command, workers included)
  local label=$1 dir=$2
  shift 2
  /usr/bin/time -v "$bin" reviews --people people.csv -o "$dir" -q "$@" 2>"$label.time" >/dev/null || true
  local wall rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$label.time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$label.time")
  local summary cpu
  summary=$(grep 'written /' "$label.time" | tail -1 | sed 's/^skillbook reviews: //')
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f s", s}' "$label.time")
  echo "| $label | $wall | $cpu | $((rss / 1024)) MB | $summary |" >>results.md
  echo "$label: $wall, CPU $cpu, peak $((rss / 1024)) MB: $summary"
}

{
  echo "# review cycle bench, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "$n people, $per a reviewer, bundled catalogue, \`$bin\`, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| run | wall | CPU (user + sys, workers included) | peak RSS (parent or any worker) | summary |"
  echo "|---|---:|---:|---:|---|"
} >results.md
measure "reviews -j $jobs (cold)" single -j "$jobs"
# the summary line is printed even under -q
measure "reviews -j $jobs (nothing changed)" single -j "$jobs"
python3 -c 'import json,sys
m = json.load(open(sys.argv[1]))["documents"]
for k in ("pack", "review-book"):
    d = [e["pages"] for e in m if e["kind"] == k]
    print("%d %ss, %d pages (largest %d)" % (len(d), k, sum(d), max(d) if d else 0))' single/manifest.json | tee -a results.md
echo "files in single/: $(find single -name '*.pdf' | wc -l), $(du -sh single | cut -f1)" | tee -a results.md

if [ "$shards" -gt 0 ] && command -v parallel >/dev/null 2>&1; then
  seq 1 "$shards" >shards.txt
  t0=$(date +%s.%N)
  parallel --halt never "$bin reviews --people people.csv --shard {}/$shards -o shard{} -j 1 -q" :::: shards.txt 2>/dev/null
  t1=$(date +%s.%N)
  "$bin" reviews --merge $(sed 's/^/shard/' shards.txt) --people people.csv -o merged -j "$jobs" -q 2>/dev/null
  t2=$(date +%s.%N)
  sums() { (cd "$1" && find . -name '*.pdf' -print0 | sort -z | xargs -0 sha256sum); }
  same=yes
  cmp -s <(sums single) <(sums merged) || same=no
  printf '%d shards through GNU parallel: %.1f s, merge and books: %.1f s; byte-identical to one run: %s\n' \
    "$shards" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$same" | tee -a results.md
fi
echo "results: $out/results.md"
