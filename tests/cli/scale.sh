#!/bin/bash
# tests/cli/scale.sh -- memory follows what a catalogue holds, not the
# product of its counts (issue #13, fault 3; docs/hardening.md "Scale").
#
# An 80 KB catalogue of 700 levels, 700 roles and 500 skills (one expect
# each) once took 968 MB: every skill had a levels x roles matrix. Here
# validate, list and a handbook of one role run on it within a fixed bound
# of maximum RSS, and validate's RSS at 700 x 700 is a small multiple of
# its RSS at 70 x 70 with the same 500 expects. Memory only: nothing here
# measures time (the machine is shared). The catalogues are made by a
# small deterministic generator; maximum RSS comes from python3's
# getrusage(RUSAGE_CHILDREN) (no /usr/bin/time needed).
# Env (set by ctest): SKILLBOOK, SRC. Prints "N passed, N failed".
SB_TEST_NAME=scale
. "$(dirname "$0")/lib.bash"

# An ASan build maps shadow memory: a looser bound, the same shape.
BOUND_KB=102400
if ldd "$SKILLBOOK" 2>/dev/null | grep -q 'libasan\|libclang_rt.asan' ||
   nm "$SKILLBOOK" 2>/dev/null | grep -q '__asan_init'; then
  BOUND_KB=409600
fi

# gen LEVELS ROLES SKILLS FILE: skill s has one expect, at level
# (7 s) % LEVELS and role (13 s) % ROLES; every role in use lacks most
# levels, so each skill also draws a gap warning.
gen() {
  python3 - "$@" <<'PY'
import sys
nl, nr, ns, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
p = ['<?xml version="1.0" encoding="UTF-8"?>\n'
     '<catalog xmlns="urn:skillbook:catalog:1">\n<levels>']
p += ['<level id="l%d" name="L%d"/>' % (i, i) for i in range(nl)]
p.append('</levels>\n<roles>')
p += ['<role id="r%d" name="R%d"/>' % (i, i) for i in range(nr)]
p.append('</roles>\n<domain id="d" name="D"><group id="g" name="G">\n')
for s in range(ns):
    p.append('<skill id="s%d" name="S%d"><expect level="l%d" role="r%d">x'
             '</expect></skill>\n' % (s, s, (s * 7) % nl, (s * 13) % nr))
p.append('</group></domain></catalog>\n')
open(out, 'w').write(''.join(p))
PY
}

# rss OUT DIR CMD ARGS...: runs CMD (stdout to OUT, stderr to DIR/err, 300 s at
# most as a guard against a hang, not a measure) and prints "RC KB": its
# exit status and its maximum RSS in kB.
rss() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys
with open(sys.argv[1], "wb") as out, open(sys.argv[2] + "/err", "wb") as err:
    try:
        rc = subprocess.run(sys.argv[3:], stdout=out, stderr=err,
                            timeout=300).returncode
    except subprocess.TimeoutExpired:
        rc = "timeout"
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}

gen 700 700 500 "$T/big.xml"
gen 70 70 500 "$T/small.xml"
size=$(wc -c <"$T/big.xml")
if [ "$size" -lt 100000 ]; then ok "big.xml is $size bytes (700 levels, 700 roles, 500 skills)"
else bad "generator" "big.xml is $size bytes, expected about 80 KB"; fi

# check NAME WANT_RC OUT CMD ARGS...: exit WANT_RC within the bound; sets KB.
KB=0
check() {
  local name=$1 want=$2 out=$3 r rc
  shift 3
  r=$(rss "$out" "$T" "$@")
  rc=${r% *}
  KB=${r#* }
  if [ "$rc" != "$want" ]; then
    bad "$name" "exit $rc, expected $want: $(head -c 300 "$T/err")"
  elif [ "$KB" -gt "$BOUND_KB" ]; then
    bad "$name" "maximum RSS $KB kB, over $BOUND_KB kB for an ${size}-byte file"
  else
    ok "$name: maximum RSS $KB kB (bound $BOUND_KB kB)"
  fi
}

# ==== validate: bounded, and proportional to what is present ====
check "validate 700x700x500" 0 /dev/null "$SKILLBOOK" validate "$T/big.xml"
big_kb=$KB
check "validate 70x70x500" 0 /dev/null "$SKILLBOOK" validate "$T/small.xml"
small_kb=$KB
# 100 times the cells, the same expects: at most 3 times the memory (the
# extra is the levels and roles themselves and their warnings' text)
if [ "$big_kb" -le $((3 * small_kb)) ]; then
  ok "700x700 uses $big_kb kB, 70x70 $small_kb kB (at most 3x)"
else
  bad "proportional" "700x700 uses $big_kb kB, 70x70 $small_kb kB (over 3x)"
fi

# every skill's gap warning is there, and none lists 700 levels: the text
# follows what is present (it was 1 MB of warnings for an 80 KB file)
"$SKILLBOOK" validate "$T/big.xml" 2>"$T/err" >/dev/null
n=$(grep -c 'printed as a gap' "$T/err")
long=$(awk 'length > 400' "$T/err" | wc -l)
if [ "$n" = 500 ] && [ "$long" = 0 ] && grep -q 'and 687 more (printed as a gap)' "$T/err"; then
  ok "500 gap warnings, none longer than 400 characters ($(wc -c <"$T/err") bytes)"
else
  bad "gap warnings" "$n warnings, $long over 400 characters: $(head -c 300 "$T/err")"
fi

# ==== list and a handbook of one role: bounded too ====
check "list skills" 0 "$T/list" "$SKILLBOOK" list skills "$T/big.xml"
lines=$(wc -l <"$T/list")
[ "$lines" = 500 ] && ok "list skills: 500 lines" || bad "list skills" "$lines lines"
check "list levels" 0 "$T/list" "$SKILLBOOK" list levels "$T/big.xml"
lines=$(wc -l <"$T/list")
[ "$lines" = 700 ] && ok "list levels: 700 lines" || bad "list levels" "$lines lines"
# r13 has one expect, in skill s1 (13 s % 700 = 13 only for s = 1)
check "handbook --role r13" 0 /dev/null "$SKILLBOOK" handbook "$T/big.xml" \
  --role r13 -o "$T/r13.pdf"
if [ -s "$T/r13.pdf" ] && head -c 5 "$T/r13.pdf" | grep -q '%PDF-'; then
  ok "handbook --role r13 wrote a PDF"
else
  bad "handbook --role r13" "no PDF written"
fi

# ==== a long ladder, one role in every skill: the handbook follows the
# expectations, not levels x skills (found by fuzz_ladder: 513 levels and
# 518 skills of 4 expectations made 8,380 pages and 678 MB) ====
gen 500 1 300 "$T/ladder.xml"
check "handbook of 500 levels x 300 skills, one expectation each" 0 /dev/null \
  "$SKILLBOOK" handbook "$T/ladder.xml" --role r0 -o "$T/ladder.pdf"
pages=$(pdfinfo "$T/ladder.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
# each skill: its heading and at most three rows (a gap run, its one
# expectation, a gap run); about 1,500 pages when every level was a row
if [ -n "$pages" ] && [ "$pages" -le 150 ]; then
  ok "long ladder: $pages pages (gap levels in one row each)"
else
  bad "long ladder" "${pages:-no} pages, expected at most 150"
fi
pdftotext "$T/ladder.pdf" "$T/ladder.txt" 2>/dev/null
grep -q "L[0-9]* "$'\xe2\x80\x93'" L[0-9]*" "$T/ladder.txt" &&
  ok "long ladder: a run of gap levels is named by its first and last" ||
  bad "long ladder" "no 'Lm – Ln' gap row in the text"

finish
