#!/bin/bash
# tests/cli/profile.sh -- skill profiles: every skill of the bundled and
# the real catalogues, and the --all book of each. Each PDF: exit 0 and
# its path on stdout; every reader opens it (readers.bash); a rerun gives
# the same bytes; tests/pdfcheck.py finds every expectation in order (and
# the figures). The seed skill reads 4 roles / 5 levels / 16 mandatory /
# 4 optional with all 20 expectations. The book has bookmarks for every
# skill, links on its contents page, and one set of fonts. Usage errors
# exit 2.
# Env (set by ctest): SKILLBOOK (the program), SRC (source tree), SHARED.
# Prints "N passed, N failed"; exit status 1 if anything failed.

SB_TEST_NAME=profile
. "$(dirname "$0")/lib.bash"
[ -d "$SHARED/data/real" ] || echo "skipped: the real catalogues (no reference folder beside the project)"
source "$SRC/tests/cli/readers.bash"
P() { "$SKILLBOOK" profile "$@"; }

catalogs=("$SRC/catalog")
for c in "$SHARED"/data/real/*.xml; do [ -e "$c" ] && catalogs+=("$c"); done

n=0
: >"$T/pdfs"
: >"$T/checks"
for cat in "${catalogs[@]}"; do
  skills=$("$SKILLBOOK" list skills "$cat" 2>/dev/null | cut -f1)
  [ -n "$skills" ] && ok || { bad "no skills listed for $cat"; continue; }
  for sk in $skills --all; do
    n=$((n + 1))
    pdf="$T/p$n.pdf"
    name="$(basename "$cat") $sk"
    if [ "$sk" = --all ]; then args=(--all); else args=(--skill "$sk"); fi
    if P "$cat" "${args[@]}" -o "$pdf" >"$T/stdout" 2>"$T/stderr"; then ok; else
      bad "$name: exit $? $(head -3 "$T/stderr")"; continue; fi
    [ "$(cat "$T/stdout")" = "$pdf" ] && ok || bad "$name: stdout is not the path"
    if grep -v "printed as a gap\|in the catalogue; 'skillbook validate" "$T/stderr" | grep -q .; then
      bad "$name: unexpected messages: $(grep -v "printed as a gap\|in the catalogue; 'skillbook validate" "$T/stderr" | head -2)"
    else ok; fi
    P "$cat" "${args[@]}" -o "$T/again.pdf" >/dev/null 2>&1
    cmp -s "$pdf" "$T/again.pdf" && ok || bad "$name: two runs differ"
    printf '%s\t%s\n' "$name" "$pdf" >>"$T/pdfs"
    printf '%s\t%s\t%s\n' "$cat" "$sk" "$pdf" >>"$T/checks"
    if [ "$sk" = --all ]; then
      # bookmarks: one per skill (and per domain); links on the contents
      nsk=$(wc -w <<<"$skills")
      nout=$(mutool show "$pdf" outline 2>/dev/null | grep -c .)
      [ "$nout" -gt "$nsk" ] && ok || bad "$name: $nout bookmarks for $nsk skills"
      nlinks=$(mutool show "$pdf" 'pages/1/Annots' 2>/dev/null | grep -o "[0-9] 0 R" | wc -l)
      [ "$nlinks" -ge "$nsk" ] && ok || bad "$name: $nlinks links for $nsk skills"
      nf=$(pdffonts "$pdf" 2>/dev/null | tail -n +3 | grep -c .)
      [ "$nf" -le 3 ] && ok || bad "$name: $nf fonts embedded (one set expected)"
    fi
  done
done
echo "profiles: $n"

reader_check_all "$T/pdfs" >"$T/readers"
pass=$((pass + $(grep -c '^PASS' "$T/readers")))
fail=$((fail + $(grep -c '^FAIL' "$T/readers")))
grep '^FAIL' "$T/readers" | head -20

$PY - "$T/checks" >"$T/text" 2>&1 <<PYEOF
import sys
sys.path.insert(0, "$SRC/tests")
import pdfcheck
for line in open(sys.argv[1]):
    cat, sk, pdf = line.rstrip("\n").split("\t")
    levels, roles, skills = pdfcheck.load_full(cat)
    ids = [s["id"] for s in skills] if sk == "--all" else [sk]
    try:
        n, problems = pdfcheck.check_profile(cat, ids, pdf)
    except Exception as e:
        problems = ["exception: %r" % e]
    for p in problems[:5]:
        print("FAIL: %s %s: %s" % (cat.split("/")[-1], sk, p))
    if not problems:
        print("PASS")
PYEOF
pass=$((pass + $(grep -c '^PASS' "$T/text")))
fail=$((fail + $(grep -c '^FAIL' "$T/text")))
grep -v '^PASS' "$T/text" | head -20

# ---- the seed skill: 4 roles, 5 levels, 16 mandatory, 4 optional, 20 ----
P --skill serverless-functions -o "$T/seed.pdf" >/dev/null 2>&1
out=$($PY - "$T/seed.pdf" 2>&1 <<PYEOF
import sys
sys.path.insert(0, "$SRC/tests")
import pdfcheck
n, problems = pdfcheck.check_profile("$SRC/catalog", ["serverless-functions"], sys.argv[1], (4, 5, 16, 4))
if n != 20:
    problems.append("%d expectations, 20 expected" % n)
print("\n".join(problems) if problems else "ok")
PYEOF
)
[ "$out" = ok ] && ok || bad "seed profile: $out"
txt=$(pdftotext "$T/seed.pdf" - 2>/dev/null | tr -s ' \n' '  ')
for w in "Serverless Functions" "Cloud & Infrastructure" "Serverless" "AWS Lambda" \
         "17 March 2026" "roles where this skill appears" "levels the skill defines" \
         "the other 4 optional" "Junior" "Principal" "Mandatory" "Expectations per level"; do
  grep -qF "$w" <<<"$txt" && ok || bad "seed profile lacks '$w'"
done
# the seed page fits on two pages
[ "$(pdfinfo "$T/seed.pdf" 2>/dev/null | awk '/^Pages:/{print $2}')" = 2 ] && ok ||
  bad "seed profile: $(pdfinfo "$T/seed.pdf" 2>/dev/null | grep '^Pages:'), 2 expected"
# Spanish labels and date (language tables, never ISO): the seed with
# --lang es, and the Spanish example catalogue in its own language
P --skill serverless-functions --lang es -o "$T/seed-es.pdf" >/dev/null 2>&1
txt=$(pdftotext "$T/seed-es.pdf" - 2>/dev/null | tr -s ' \n' '  ')
for w in "17 de marzo de 2026" "Perfil de competencia" "Actualizado" "Dominio" "Grupo" \
         "Obligatorio" "Expectativas por nivel" "página 1 de" "Versión"; do
  grep -qF "$w" <<<"$txt" && ok || bad "seed profile --lang es lacks '$w'"
done
grep -qF "2026-03-17" <<<"$txt" && bad "seed profile --lang es prints an ISO date" || ok
P "$SRC/catalog/examples/es" --skill serverless-functions -o "$T/ex-es.pdf" >/dev/null 2>&1
txt=$(pdftotext "$T/ex-es.pdf" - 2>/dev/null | tr -s ' \n' '  ')
for w in "Funciones sin servidor" "Perfil de competencia" "de 2026" "página 1 de 1"; do
  grep -qF "$w" <<<"$txt" && ok || bad "examples/es profile lacks '$w'"
done
# the style's logo and footer line on a profile (branded)
P --skill serverless-functions --style branded --format trace -o "$T/br.trace" >/dev/null 2>&1
[ "$(grep -c '^image ' "$T/br.trace")" -ge 2 ] && ok || bad "branded profile: no logo in every header"
grep -q 'Example Corp' "$T/br.trace" && ok || bad "branded profile: no footer line"
# the chart is vector: path operators and no image
pdfimages -list "$T/seed.pdf" 2>/dev/null | tail -n +3 | grep -q . && bad "seed profile has images" || ok

# default paths, -o -
mkdir -p "$T/cwd"
(cd "$T/cwd" && P --skill serverless-functions >"$T/o" 2>/dev/null)
[ "$(cat "$T/o")" = "out/profiles/serverless-functions.pdf" ] && ok || bad "default path: $(cat "$T/o")"
# the book is out/profiles.pdf, beside the folder: no skill id can name it
(cd "$T/cwd" && P --all >"$T/o" 2>/dev/null)
[ "$(cat "$T/o")" = "out/profiles.pdf" ] && [ -s "$T/cwd/out/profiles.pdf" ] &&
  [ ! -e "$T/cwd/out/profiles/all.pdf" ] && ok ||
  bad "--all default path: $(cat "$T/o")"
P --skill serverless-functions -o - 2>/dev/null >"$T/stdout.pdf"
cmp -s "$T/stdout.pdf" "$T/cwd/out/profiles/serverless-functions.pdf" && ok || bad "-o - differs"

# usage errors
expect2() {  # expect2 WHAT GREP ARGS...
  local what=$1 want=$2
  shift 2
  P "$@" -o "$T/never.pdf" >"$T/o" 2>"$T/e"
  local rc=$?
  if [ $rc = 2 ] && grep -q -- "$want" "$T/e" && [ ! -e "$T/never.pdf" ]; then ok; else
    bad "$what: exit $rc, stderr: $(head -2 "$T/e")"; fi
}
expect2 "unknown skill" "did you mean" --skill serverless-functons
expect2 "neither --skill nor --all" "exactly one" 
expect2 "both --skill and --all" "exactly one" --skill serverless-functions --all
P --help >/dev/null 2>&1 && ok || bad "--help"

finish
