#!/bin/bash
# bench/run.sh -- skillbook against ReportLab, WeasyPrint, Apache FOP and Typst,
# in one run, round by round, plus skillbook-only cases and a phase breakdown.
# Not part of CI (nothing in tests/ or CMake calls it). Details: bench/README.md.
#
#   bench/run.sh [--quick] [options]
#
#   --quick           ours + typst only, 3 runs per size (2 for the medium
#                     batch; 2 for the batch cases), no xl batch, phases -n 5:
#                     about 5 minutes on a loaded 2-core machine
#   --tools LIST      measure.py tools, in round order
#                     (default reportlab,weasyprint,fop,typst,ours)
#   --runs N          counted runs of every case (default: measure.py's 7 small,
#                     7 medium, 3 large, 3 batch; 5 for the skillbook-only cases)
#   --only SUBSTR     passed to measure.py (case names TOOL/SIZE/ROLE,
#                     TOOL/medium/batch-MODE); the other steps still run
#   --ref DIR         the reference implementations (default $SB_REFBENCH, else
#                     ../shared/bench); DIR/setup.sh must have been run. When
#                     ../shared is read-only: cp -r ../shared/bench /tmp/refbench
#                     && /tmp/refbench/setup.sh, then --ref /tmp/refbench
#   --build DIR       release build folder (default build-bench/; configured
#                     with CMAKE_BUILD_TYPE=Release and built when needed)
#   --skillbook BIN   time this binary instead of building (phases still needs
#                     --build DIR for libskillbook_core.a, or is skipped)
#   --no-refs         skip measure.py (no reference tool runs)
#   --no-ours         skip the skillbook-only cases (xl, batch)
#   --no-phases       skip bench/phases.c
#   --profile         also record profiles (perf, else callgrind) of the large
#                     r01 handbook and the medium loop into results/profile-*
#   --no-issue18      skip the targets of issue #18 (bench/issue18.py: three
#                     seeds of the large catalogue, ours vs ReportLab and
#                     Typst, batches, memory, phases; one interleaved run)
#   --issue18-only    only those (no measure.py, ours.py or phases step)
#   --rounds N        rounds of bench/issue18.py (default 3)
#   -h, --help        this text
#
# Without the reference folder (../shared/bench, or --ref) it says so and
# exits 0: nothing to compare with.
#
# Writes: bench/data/{small,medium,large,xl}.xml (generated, deterministic),
# bench/results/ (raw.jsonl, results.md from measure.py; ours.jsonl, ours.md;
# phases.txt; targets.md; summary.md = all of it with the machine and command).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
args="$*"

quick=0 tools="" runs="" only="" ref="${SB_REFBENCH:-}" build="" bin=""
refs=1 ours=1 phases=1 profile=0 i18=1 rounds=3
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --tools) tools=$2; shift ;;
    --runs) runs=$2; shift ;;
    --only) only=$2; shift ;;
    --ref) ref=$2; shift ;;
    --build) build=$2; shift ;;
    --skillbook) bin=$2; shift ;;
    --no-refs) refs=0 ;;
    --no-ours) ours=0 ;;
    --no-phases) phases=0 ;;
    --profile) profile=1 ;;
    --no-issue18) i18=0 ;;
    --issue18-only) refs=0 ours=0 phases=0 ;;
    --rounds) rounds=$2; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$ref" ] || ref="$root/../shared/bench"
if [ ! -d "$ref" ] || [ ! -f "$ref/gen_catalog.py" ]; then
  echo "bench/run.sh: skipped: no reference folder at $ref (../shared/bench, or --ref DIR)" >&2
  exit 0
fi
ref=$(cd "$ref" && pwd)
gen="$ref/gen_catalog.py"
[ -f "$gen" ] || gen="$root/../shared/bench/gen_catalog.py"
data="$here/data" res="$here/results"
mkdir -p "$data" "$res"
if [ -z "$tools" ]; then
  if [ $quick = 1 ]; then tools=typst,ours; else tools=reportlab,weasyprint,fop,typst,ours; fi
fi
log() { printf '== %s\n' "$*" >&2; }

# ---- (a) a release build ----
if [ -z "$bin" ] || [ -n "$build" ]; then
  build=${build:-$root/build-bench}
  if [ ! -f "$build/CMakeCache.txt" ]; then
    log "configuring $build (Release)"
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  bt=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")
  if [ "$bt" != Release ]; then
    echo "bench/run.sh: $build is a '$bt' build; give --build DIR of a Release build" >&2
    exit 2
  fi
  log "building $build"
  cmake --build "$build" -j"$(nproc)" --target skillbook >/dev/null
  [ -n "$bin" ] || bin="$build/skillbook"
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
[ -x "$bin" ] || { echo "bench/run.sh: no skillbook binary at $bin" >&2; exit 2; }
export SKILLBOOK="$bin" SKILLBOOK_DATA="${SKILLBOOK_DATA:-$root}"

# ---- (b) the catalogues ----
gencat() {  # NAME ARGS...
  local name=$1; shift
  if [ ! -s "$data/$name.xml" ]; then
    log "generating bench/data/$name.xml"
    /usr/bin/python3 "$gen" "$@" -o "$data/$name.xml.tmp"
    mv "$data/$name.xml.tmp" "$data/$name.xml"
  fi
}
gencat small --size small
gencat medium --size medium
gencat large --size large
gencat xl --skills 2000 --roles 20
for s in small medium large xl; do
  "$bin" validate "$data/$s.xml" >/dev/null || {
    echo "bench/run.sh: skillbook validate fails on bench/data/$s.xml" >&2; exit 1; }
done

started=$(date -u '+%Y-%m-%d %H:%M UTC')
load0=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- (c) skillbook vs the references, round by round ----
if [ $refs = 1 ]; then
  if [[ ,$tools, == *,typst,* || ,$tools, == *,typst-untagged,* ]] && [ ! -d "$ref/typst_node/node_modules" ]; then
    echo "bench/run.sh: $ref/typst_node is missing: run $ref/setup.sh (as root), or copy" \
         "../shared/bench somewhere writable, run its setup.sh and pass --ref DIR" >&2
    exit 2
  fi
  margs=(--tools "$tools" --data "$data" --results "$res" --out "$res/pdf")
  if [ -n "$runs" ]; then
    margs+=(--runs-small "$runs" --runs-medium "$runs" --runs-large "$runs" --runs-batch "$runs")
  elif [ $quick = 1 ]; then
    margs+=(--runs-small 3 --runs-medium 3 --runs-large 3 --runs-batch 2)
  fi
  [ -z "$only" ] || margs+=(--only "$only")
  log "measure.py ${margs[*]}"
  /usr/bin/python3 "$ref/measure.py" "${margs[@]}" | tee "$res/measure.log"
fi

# ---- skillbook-only cases: xl, loop, batch ----
if [ $ours = 1 ]; then
  oargs=(--skillbook "$bin" --data "$data" --results "$res" --jobs 2)
  if [ -n "$runs" ]; then oargs+=(--runs "$runs")
  elif [ $quick = 1 ]; then oargs+=(--runs 2 --quick)
  fi
  log "ours.py ${oargs[*]}"
  /usr/bin/python3 "$here/ours.py" "${oargs[@]}"
fi

# ---- where the time goes: bench/phases.c (also used by issue18.py) ----
if [ $phases = 1 ] || [ $i18 = 1 ]; then
  if [ -n "$build" ] && [ -f "$build/libskillbook_core.a" ]; then
    cmake --build "$build" -j"$(nproc)" --target skillbook_core >/dev/null
    pbin="$build/phases"
    if [ ! -x "$pbin" ] || [ "$here/phases.c" -nt "$pbin" ] || [ "$build/libskillbook_core.a" -nt "$pbin" ]; then
      log "building $pbin"
      # shellcheck disable=SC2046
      ver=$(sed -n 's/^CMAKE_PROJECT_VERSION:[A-Z]*=//p' "$build/CMakeCache.txt")
      cc -O2 -std=c11 -Wall -Wextra -DSB_SOURCE_DIR="\"$root\"" -DSB_VERSION="\"${ver:-0}\"" \
        -I"$root/include" -I"$root/src" \
        $(pkg-config --cflags libxml-2.0) "$here/phases.c" "$build/libskillbook_core.a" \
        $(pkg-config --libs libxml-2.0 cairo cairo-ft freetype2 libunibreak libcrypto lcms2 libdeflate) -lhpdf -lcsv -lz -lm -lpthread \
        -o "$pbin"
    fi
    n=20; [ $quick = 0 ] || n=5
    [ $phases = 1 ] || n=0
    # wall clock for the target (the pdf device deflates pages on a second
    # thread, which CPU time would count twice), then CPU time for reference
    if [ $n -gt 0 ]; then
      log "phases -w -n $n bench/data/large.xml (role r01)"
      "$pbin" -w -n $n -r r01 "$data/large.xml" | tee "$res/phases.txt"
      log "phases -n $n bench/data/large.xml (role r01), CPU time"
      "$pbin" -n $n -r r01 "$data/large.xml" > "$res/phases-cpu.txt"
    fi
  else
    log "phases skipped (no build folder with libskillbook_core.a)"
  fi
fi

# ---- the targets of issue #18: three seeds, one interleaved run ----
if [ $i18 = 1 ]; then
  if [ ! -d "$ref/typst_node/node_modules" ] || ! /usr/bin/python3 -c 'import reportlab' 2>/dev/null; then
    echo "bench/run.sh: issue #18 targets need ReportLab and Typst: run $ref/setup.sh" \
         "(or a writable copy's, then --ref DIR)" >&2
    exit 2
  fi
  pargs=()
  if [ -n "$build" ] && [ -x "$build/phases" ]; then pargs=(--phases "$build/phases"); fi
  log "issue18.py --rounds $rounds"
  /usr/bin/python3 "$here/issue18.py" --skillbook "$bin" --ref "$ref" --data "$data" \
    --results "$res" --rounds "$rounds" "${pargs[@]}"
fi

# ---- profiles ----
if [ $profile = 1 ]; then
  cd "$res"
  if perf record -q -e cpu-clock -o /dev/null true 2>/dev/null; then
    log "perf: large r01 handbook, medium loop"
    perf record -q -e cpu-clock -F 4999 -g -o profile-large.data \
      "$bin" handbook "$data/large.xml" --role r01 -o /dev/null >/dev/null
    perf report -i profile-large.data --no-children --sort dso,symbol --stdio -g none \
      2>/dev/null | grep -v '^#' | grep . | awk 'NR <= 60' > profile-large.txt
    ids=$(/usr/bin/python3 -c 'import sys,xml.etree.ElementTree as E
print(" ".join(r.get("id") for r in E.parse(sys.argv[1]).getroot().iter("{urn:skillbook:catalog:1}role")))' "$data/medium.xml")
    perf record -q -e cpu-clock -F 4999 -g -o profile-medium-loop.data -- /bin/sh -c \
      "for r in $ids; do \"$bin\" handbook \"$data/medium.xml\" --role \$r -o /dev/null; done" >/dev/null
    perf report -i profile-medium-loop.data --no-children --sort dso,symbol --stdio -g none \
      2>/dev/null | grep -v '^#' | grep . | awk 'NR <= 60' > profile-medium-loop.txt
  else
    log "callgrind: large r01 handbook"
    valgrind --tool=callgrind --callgrind-out-file=profile-large.callgrind \
      "$bin" handbook "$data/large.xml" --role r01 -o /dev/null >/dev/null 2>&1
    callgrind_annotate --inclusive=no profile-large.callgrind 2>/dev/null | awk 'NR <= 60' > profile-large.txt
  fi
  cd - >/dev/null
fi

# ---- summary ----
load1=$(cut -d' ' -f1-3 /proc/loadavg)
rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$root" diff --quiet HEAD -- src include 2>/dev/null && [ -z "$(git -C "$root" ls-files --others --exclude-standard -- src include)" ] \
  || rev="$rev+uncommitted"
{
  echo "# skillbook benchmark: $started"
  echo
  echo "- machine: $(uname -srm), $(nproc) cores ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "- load average before / after: $load0 / $load1 (shared machine: quote ratios from one run only)"
  echo "- skillbook: $bin ($("$bin" --version 2>&1 | awk 'NR == 1')), tree $rev"
  echo "- references: $ref"
  echo "- command: bench/run.sh $args"
  echo
  # every section whose results exist (an earlier run's, when this one
  # skipped that step: each table names its run)
  if [ -f "$res/results.md" ]; then
    echo "## skillbook and the references (measure.py; latest run of each case, ratios from this run)"
    echo; cat "$res/results.md"; echo
  fi
  if [ -f "$res/issue18.md" ]; then
    echo "## Issue #18 targets (bench/issue18.py: three seeds, one interleaved run)"; echo
    cat "$res/issue18.md"; echo
  fi
  if [ -f "$res/ours.md" ]; then
    echo "## skillbook only (bench/ours.py)"; echo; cat "$res/ours.md"; echo
  fi
  if [ -s "$res/phases.txt" ]; then
    echo "## Phases of the large r01 handbook (bench/phases.c)"; echo
    echo '```'; cat "$res/phases.txt"; echo '```'; echo
  fi
  echo "## Targets"; echo
  /usr/bin/python3 "$here/targets.py" "$res"
} > "$res/summary.md"
log "wrote bench/results/summary.md"
sed -n '/^## Targets/,$p' "$res/summary.md"
if [ $i18 = 1 ] && [ -f "$res/issue18.md" ]; then
  echo; echo "## Issue #18 targets (bench/issue18.py)"; echo; cat "$res/issue18.md"
fi
