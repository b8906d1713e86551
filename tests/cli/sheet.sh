#!/bin/bash
# tests/cli/sheet.sh -- level comparison sheets: every role and every pair
# of its adjacent levels, for the bundled catalogue and the real ones.
# Each sheet: exit 0 and its path on stdout; every reader opens it
# (readers.bash: pdfinfo, pdffonts, pdftotext, qpdf, mutool, gs); a rerun
# gives the same bytes; tests/pdfcheck.py finds both paragraphs of every
# row in order, the summary figures and "page X of Y". Then: landscape
# pages, --person/--reviewer printed, the default path, -o -, --to further
# than the next level, trace format, a row longer than a page (split with
# the skill's name repeated, the columns at the same x on every page), and
# the usage errors (exit 2, naming the role's levels).
# Env (set by ctest): SKILLBOOK (the program), SRC (source tree), SHARED.
# Prints "N passed, N failed"; exit status 1 if anything failed.

SB_TEST_NAME=sheet
. "$(dirname "$0")/lib.bash"
[ -d "$SHARED/data/real" ] || echo "skipped: the real catalogues (no reference folder beside the project)"
source "$SRC/tests/cli/readers.bash"

catalogs=("$SRC/catalog")
for c in "$SHARED"/data/real/*.xml; do [ -e "$c" ] && catalogs+=("$c"); done

# every (catalogue, role, from, to) with from/to adjacent levels of the role
$PY - "${catalogs[@]}" >"$T/jobs" <<PYEOF
import sys
sys.path.insert(0, "$SRC/tests")
import pdfcheck
for cat in sys.argv[1:]:
    levels, roles, skills = pdfcheck.load_full(cat)
    for r in roles:
        lv = [l for l, _ in levels if any((l, r) in s["exp"] for s in skills)]
        for a, b in zip(lv, lv[1:]):
            print("\t".join((cat, r, a, b)))
PYEOF
[ -s "$T/jobs" ] && ok || bad "no sheets to make"

n=0
: >"$T/pdfs"
: >"$T/checks"
while IFS=$'\t' read -r cat role from to; do
  n=$((n + 1))
  pdf="$T/s$n.pdf"
  name="$(basename "$cat") $role $from->$to"
  if "$SKILLBOOK" sheet "$cat" --role "$role" --from "$from" -o "$pdf" \
       >"$T/stdout" 2>"$T/stderr"; then ok; else
    bad "$name: exit $? $(head -3 "$T/stderr")"; continue; fi
  [ "$(cat "$T/stdout")" = "$pdf" ] && ok || bad "$name: stdout is not the path"
  if grep -v "printed as a gap\|in the catalogue; 'skillbook validate" "$T/stderr" | grep -q .; then
    bad "$name: unexpected messages: $(grep -v "printed as a gap\|in the catalogue; 'skillbook validate" "$T/stderr" | head -2)"
  else ok; fi
  # --to given explicitly: the same document, byte for byte (and a rerun)
  "$SKILLBOOK" sheet "$cat" --role "$role" --from "$from" --to "$to" -o "$T/again.pdf" \
    >/dev/null 2>&1
  cmp -s "$pdf" "$T/again.pdf" && ok || bad "$name: rerun with --to differs"
  printf '%s\t%s\n' "$name" "$pdf" >>"$T/pdfs"
  printf '%s\t%s\t%s\t%s\t%s\n' "$cat" "$role" "$from" "$to" "$pdf" >>"$T/checks"
done <"$T/jobs"
echo "sheets: $n"

# readers, two at a time
reader_check_all "$T/pdfs" >"$T/readers"
r_ok=$(grep -c '^PASS' "$T/readers")
r_bad=$(grep -c '^FAIL' "$T/readers")
pass=$((pass + r_ok))
fail=$((fail + r_bad))
grep '^FAIL' "$T/readers" | head -20

# text: both paragraphs of every row, in order; the summary; the footers
$PY - "$T/checks" >"$T/text" 2>&1 <<PYEOF
import sys
sys.path.insert(0, "$SRC/tests")
import pdfcheck
for line in open(sys.argv[1]):
    cat, role, a, b, pdf = line.rstrip("\n").split("\t")
    try:
        n, pages, problems = pdfcheck.check_sheet(cat, role, a, b, pdf)
    except Exception as e:
        problems = ["exception: %r" % e]
    for p in problems[:5]:
        print("FAIL: %s %s %s->%s: %s" % (cat.split("/")[-1], role, a, b, p))
    if not problems:
        print("PASS")
PYEOF
pass=$((pass + $(grep -c '^PASS' "$T/text")))
fail=$((fail + $(grep -c '^FAIL' "$T/text")))
grep -v '^PASS' "$T/text" | head -20

# ---- the bundled catalogue: options and errors ----
S() { "$SKILLBOOK" sheet "$@"; }
pdf="$T/p.pdf"
S --role platform-engineer --from junior -o "$pdf" >/dev/null 2>&1
pdfinfo "$pdf" | grep -q "Page size: *841.89 x 595.28" && ok ||
  bad "A4 sheet is not landscape: $(pdfinfo "$pdf" | grep 'Page size')"
S --role platform-engineer --from junior --style letter -o "$T/l.pdf" >/dev/null 2>&1
pdfinfo "$T/l.pdf" | grep -q "Page size: *792 x 612" && ok ||
  bad "letter sheet is not landscape: $(pdfinfo "$T/l.pdf" | grep 'Page size')"
S --role platform-engineer --from junior --person "Ana Núñez" --reviewer "Pyotr Ilyich" \
  -o "$T/named.pdf" >/dev/null 2>&1
txt=$(pdftotext "$T/named.pdf" - 2>/dev/null)
grep -q "Ana Núñez" <<<"$txt" && grep -q "Pyotr Ilyich" <<<"$txt" && ok ||
  bad "--person/--reviewer not printed"
txt=$(pdftotext "$pdf" - 2>/dev/null | tr -s ' \n' '  ')
for w in "Name:" "Reviewer:" "Date:" "Current level: Junior" "Target level: Middle" \
         "Self" "Manager" "Agreed" "working towards" "meeting" "exceeding" \
         "Evidence and notes" "it is not a checklist" "Version"; do
  grep -qF "$w" <<<"$txt" && ok || bad "sheet lacks '$w'"
done
# the date in the footer, written for the language (never ISO)
SOURCE_DATE_EPOCH=1773705600 S --role platform-engineer --from senior -o "$T/d.pdf" >/dev/null 2>&1
pdftotext "$T/d.pdf" - 2>/dev/null | grep -q "17 March 2026" && ok || bad "sheet lacks the date '17 March 2026'"
# Spanish: labels and date from the es tables, every page's footer
SOURCE_DATE_EPOCH=1773705600 S --role platform-engineer --from senior --lang es \
  -o "$T/es.pdf" >/dev/null 2>&1
txt=$(pdftotext "$T/es.pdf" - 2>/dev/null | tr -s ' \n' '  ')
for w in "Comparación de niveles" "Nivel actual: Senior" "Nivel objetivo: Lead" "Nombre:" \
         "Evaluador:" "Fecha:" "Autoevaluación" "Responsable" "Acordado" "cumple" "supera" \
         "Evidencias y notas" "Valoración" "Obligatorio" "Versión" "17 de marzo de 2026" \
         "Platform Engineer — Senior → Lead — página 1 de"; do
  grep -qF "$w" <<<"$txt" && ok || bad "es sheet lacks '$w'"
done
grep -q "2026-03-17" <<<"$txt" && bad "es sheet prints an ISO date" || ok
# the example catalogue in Spanish, in its own language
ex="$SRC/catalog/examples/es"
S "$ex" --role platform-engineer --from junior -o "$T/ex-es.pdf" >"$T/o" 2>&1 && ok ||
  bad "examples/es sheet: $(head -2 "$T/o")"
txt=$(pdftotext "$T/ex-es.pdf" - 2>/dev/null | tr -s ' \n' '  ')
for w in "Ingeniero/a de plataforma" "Nivel actual: Júnior" "Nivel objetivo: Intermedio" "de 2026"; do
  grep -qF "$w" <<<"$txt" && ok || bad "examples/es sheet lacks '$w'"
done
# the style's logo in the running header and its footer line (branded)
S --role platform-engineer --from senior --style branded --format trace -o "$T/br.trace" \
  >/dev/null 2>&1
[ "$(grep -c '^image ' "$T/br.trace")" -ge 2 ] && ok || bad "branded sheet: no logo in every header"
grep -q 'Example Corp' "$T/br.trace" && ok || bad "branded sheet: no footer line"
# what the target adds is set in bold: a bold font is used for body text
pdffonts "$pdf" | grep -q "Bold" && ok || bad "no bold font in the sheet"
# a level further than the next one
S --role platform-engineer --from junior --to lead -o "$T/far.pdf" >"$T/o" 2>&1 && ok ||
  bad "--to lead: $(head -2 "$T/o")"
pdftotext "$T/far.pdf" - 2>/dev/null | grep -q "Target level: Lead" && ok || bad "--to lead not shown"
# default path, and -o -
mkdir -p "$T/cwd"
(cd "$T/cwd" && S --role sre --from middle >"$T/o" 2>/dev/null)
[ "$(cat "$T/o")" = "out/sheets/sre/middle/senior.pdf" ] && [ -s "$T/cwd/out/sheets/sre/middle/senior.pdf" ] &&
  ok || bad "default path: $(cat "$T/o")"
S --role sre --from middle -o - 2>/dev/null >"$T/stdout.pdf"
cmp -s "$T/stdout.pdf" "$T/cwd/out/sheets/sre/middle/senior.pdf" && ok || bad "-o - differs from the file"
(cd "$T/cwd" && S --role sre --from middle --format trace >"$T/o" 2>/dev/null)
[ "$(cat "$T/o")" = "out/sheets/sre/middle/senior.trace" ] && ok || bad "trace path: $(cat "$T/o")"
# SOURCE_DATE_EPOCH: same bytes twice
SOURCE_DATE_EPOCH=1700000000 S --role sre --from middle -o "$T/e1.pdf" >/dev/null 2>&1
SOURCE_DATE_EPOCH=1700000000 S --role sre --from middle -o "$T/e2.pdf" >/dev/null 2>&1
cmp -s "$T/e1.pdf" "$T/e2.pdf" && ok || bad "SOURCE_DATE_EPOCH runs differ"

# ---- a row longer than a page (one table engine, layout/table.c) ----
# A target expectation of ~3,000 words: its row splits over pages, every
# part prints the skill's name again, and every page has the same columns
# as the header (the evidence column's header and ruled lines at one x).
cp -r "$SRC/catalog" "$T/long"
skill=$($PY - "$T/long" <<PYEOF
import re, sys
sys.path.insert(0, "$SRC/tests/cli")
import names_lib
words = " ".join(("ledger", "quorum", "replica", "zephyrword", "and", "the")[i % 6]
                 for i in range(3000))
names_lib.set_expect(sys.argv[1], "middle", "platform-engineer", words)
text = open(sys.argv[1] + "/10-cloud-infrastructure.xml", encoding="utf-8").read()
at = text.index("zephyrword")
print(re.findall(r'<skill id="[^"]*" name="([^"]*)"', text[:at])[-1])
PYEOF
)
S "$T/long" --role platform-engineer --from junior -o "$T/long.pdf" >/dev/null 2>"$T/e" && ok ||
  bad "long row: $(head -2 "$T/e")"
np=$(pdfinfo "$T/long.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
parts=0
for ((p = 1; p <= ${np:-0}; p++)); do
  txt=$(pdftotext -f "$p" -l "$p" "$T/long.pdf" - 2>/dev/null | tr -s ' \n' '  ')
  grep -q zephyrword <<<"$txt" || continue
  parts=$((parts + 1))
  grep -qF "$skill" <<<"$txt" && ok || bad "long row: page $p does not repeat '$skill'"
done
[ "$parts" -ge 3 ] && ok || bad "long row: split over $parts pages, expected 3 or more"
S "$T/long" --role platform-engineer --from junior --format trace -o "$T/long.trace" \
  >/dev/null 2>&1
# per page: x of the "Evidence and notes" header, x of the ruled lines
# (short horizontal lines in the muted colour) under it
$PY - "$T/long.trace" >"$T/cols" <<'PYEOF'
import re, sys
pages, page = [], None
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("page "):
        page = {"head": set(), "ruled": set()}
        pages.append(page)
    elif line.startswith("text ") and line.rstrip().endswith('"Evidence and notes"'):
        page["head"].add(re.search(r" x=([\d.]+)", line).group(1))
    elif line.startswith("line ") and "stroke=#5f6368" in line:
        v = dict(re.findall(r"(\w+)=([\d.#a-f]+)", line))
        w = float(v["x1"]) - float(v["x0"])
        if v["y0"] == v["y1"] and 20 < w < 300:
            page["ruled"].add(v["x0"])
for i, pg in enumerate(pages, 1):
    print(i, ",".join(sorted(pg["head"])), ",".join(sorted(pg["ruled"])))
PYEOF
xs=$(awk '{print $2; if ($3 != "") print $3}' "$T/cols" | sort -u)
[ -s "$T/cols" ] && [ "$(wc -l <<<"$xs")" = 1 ] && ok ||
  bad "long row: the evidence column moves between pages: $(tr '\n' ' ' <"$T/cols")"

# usage errors: exit 2, a message naming the role's levels
expect2() {  # expect2 WHAT GREP ARGS...
  local what=$1 want=$2
  shift 2
  S "$@" -o "$T/never.pdf" >"$T/o" 2>"$T/e"
  local rc=$?
  if [ $rc = 2 ] && grep -q -- "$want" "$T/e" && [ ! -e "$T/never.pdf" ]; then ok; else
    bad "$what: exit $rc, stderr: $(head -2 "$T/e")"; fi
}
levels="junior, middle, senior, lead, principal"
expect2 "to before from" "$levels" --role sre --from senior --to junior
# --to equal to --from: a review at the current level (a people list's
# target = level), every row the same text on both sides
S --role sre --from senior --to senior -o "$T/same.pdf" >/dev/null 2>&1 &&
  [ -s "$T/same.pdf" ] && ok || bad "to equal to from: not a sheet"
expect2 "last level as from" "$levels" --role sre --from principal
expect2 "unknown level" "did you mean" --role sre --from senoir
expect2 "unknown --to level" "did you mean" --role sre --from junior --to leed
expect2 "unknown role" "did you mean" --role sreee --from junior
expect2 "no --from" "required" --role sre
expect2 "bad format" "format" --role sre --from junior --format docx
# a level the role does not have (monzo: leadership starts at level-3 for
# every role, but every role has level-1 through other skills; use the FT
# operations role, which lacks junior)
ft="$SHARED/data/real/ft-engineering-progression.xml"
if [ -e "$ft" ]; then
  S "$ft" --role operations-system-engineer --from junior -o "$T/never.pdf" >"$T/o" 2>"$T/e"
  rc=$?
  if [ $rc = 2 ] && grep -q "its levels are" "$T/e"; then ok; else
    bad "level the role lacks: exit $rc $(head -2 "$T/e")"; fi
fi
S --help >/dev/null 2>&1 && ok || bad "--help"

finish
