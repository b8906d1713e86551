#!/bin/bash
# tests/cli/pdfua.sh -- every PDF skillbook writes is PDF/A-2a and PDF/UA-1
# (issue #17, docs/pdfa-pdfua.md), as far as tests/pdfua_check.py can tell:
# - the checker passes on every document kind (handbook, sheet, a profile,
#   the profile book, the batch's outputs) of the bundled, the golden and
#   a generated catalogue, and of the real catalogues in $SHARED/data/real
#   when that folder is there (skipped otherwise);
# - the checker can fail: each of its rules, broken alone in a good PDF
#   with pikepdf, is named (tests/cli/pdfua_lib.py mutate);
# - `pdfinfo -struct-text` read back on a handbook and a sheet: the text of
#   the structure elements in tree order is the text the layout placed
#   (the trace's text ops outside artifacts), in that order;
# - nothing visible changes: the pages of every document kind with and
#   without --no-tags rasterise (pdftoppm) to the same pixels, and
#   --no-tags writes no structure, XMP or output intent;
# - two runs give the same bytes (the XMP, the ICC profile, the tree);
# - qpdf --check reads every file clean (object and xref streams).
# Env (set by ctest): SKILLBOOK, SRC, SHARED.
# Prints "N passed, N failed"; exit status 1 if anything failed.

SB_TEST_NAME=pdfua
. "$(dirname "$0")/lib.bash"
unset SOURCE_DATE_EPOCH
CHECK="$SRC/tests/pdfua_check.py"
LIB="$SRC/tests/cli/pdfua_lib.py"
GOLD="$SRC/tests/golden/golden.xml"
"$DPY" -c 'import pikepdf' 2>/dev/null || { echo "no pikepdf for $DPY"; exit 1; }

# render NAME ARGS...: $T/NAME.pdf, quietly; a failure is named
render() {
  local name=$1
  shift
  "$SKILLBOOK" "$@" -q -o "$T/$name.pdf" >/dev/null 2>"$T/err" ||
    bad "skillbook $*: $(head -3 "$T/err")"
}
first_role() { "$SKILLBOOK" list roles "$1" 2>/dev/null | head -1 | cut -f1; }
first_level() { "$SKILLBOOK" list levels "$1" 2>/dev/null | head -1 | cut -f1; }
first_skill() { "$SKILLBOOK" list skills "$1" 2>/dev/null | head -1 | cut -f1; }

"$PY" "$SRC/scripts/gen-catalog.py" --size medium --seed 2 -o "$T/gen.xml"
cats=("bundled=$SRC/catalog" "golden=$GOLD" "gen=$T/gen.xml")
if [ -n "$SHARED" ] && [ -d "$SHARED/data/real" ]; then
  for f in "$SHARED"/data/real/*.xml; do
    cats+=("$(basename "$f" .xml)=$f")
  done
else
  echo "# no reference folder: the real catalogues are skipped"
fi

kinds=()
for c in "${cats[@]}"; do
  name=${c%%=*} path=${c#*=}
  r=$(first_role "$path") l=$(first_level "$path") k=$(first_skill "$path")
  render "$name.handbook" handbook "$path" --role "$r"
  kinds+=("$name.handbook")
  # the first level may not be the role's: then the sheet is refused
  if "$SKILLBOOK" sheet "$path" -q --role "$r" --from "$l" -o "$T/$name.sheet.pdf" \
      >/dev/null 2>&1; then
    kinds+=("$name.sheet")
  fi
  render "$name.profile" profile "$path" --skill "$k"
  kinds+=("$name.profile")
done
render bundled.book profile "$SRC/catalog" --all
kinds+=(bundled.book)
"$SKILLBOOK" batch -q -j 2 "$GOLD" -o "$T/batch" >/dev/null 2>&1 ||
  bad "batch of the golden catalogue failed"

# a review cycle (packs and reviewers' books) and what changed between two
# versions (the changes document, a handbook's appendix)
"$SKILLBOOK" reviews "$SRC/catalog" -q --people "$SRC/catalog/examples/people.csv" \
  -o "$T/reviews" >/dev/null 2>&1 || bad "reviews of the example people failed"
cp -r "$SRC/catalog" "$T/newcat"
"$PY" - "$T/newcat" <<'PYEOF'
import glob, sys
f = sorted(glob.glob(sys.argv[1] + "/*.xml"))[1]
s = open(f).read()
i = s.index('mandatory="true"')
open(f, "w").write(s[:i] + 'mandatory="false"' + s[i + 16:])
PYEOF
render bundled.changes diff "$SRC/catalog" "$T/newcat" --format pdf
kinds+=(bundled.changes)
render bundled.since handbook "$T/newcat" --role "$(first_role "$SRC/catalog")" \
  --since "$SRC/catalog"
kinds+=(bundled.since)

# ==== The checker on everything ====
files=()
for k in "${kinds[@]}"; do files+=("$T/$k.pdf"); done
while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$T/batch" "$T/reviews" -name '*.pdf' -print0)
if "$DPY" "$CHECK" "${files[@]}" >"$T/check" 2>&1; then
  ok "the checker passes on ${#files[@]} PDFs (${kinds[*]}, the batch, packs and books)"
else
  bad "the checker fails:" "$(head -20 "$T/check")"
fi

# qpdf reads every file clean: the object and cross-reference streams
# (pdf-objstm.c), the lengths, the xref offsets
nq=0
for f in "${files[@]}"; do
  qpdf --check "$f" >/dev/null 2>&1 || { nq=$((nq + 1)); echo "# qpdf: $f"; }
done
[ "$nq" -eq 0 ] && ok "qpdf --check: ${#files[@]} files clean" || bad "qpdf --check fails on $nq files"

# ==== The checker can fail: each rule broken alone ====
"$DPY" "$LIB" mutate "$T/golden.handbook.pdf" "$T" >"$T/mut" 2>&1
while IFS= read -r line; do
  case $line in
    "ok - "*) ok ;;
    *) bad "mutation: $line" ;;
  esac
done <"$T/mut"
[ "$(grep -c '^ok - the checker names' "$T/mut")" -ge 22 ] && ok ||
  bad "fewer than 22 rules were broken and named" "$(tail -3 "$T/mut")"

# ==== pdfinfo -struct-text: the structure's text is the page text ====
"$SKILLBOOK" handbook "$SRC/catalog" -q --role "$(first_role "$SRC/catalog")" \
  --format trace -o "$T/bundled.handbook.trace" >/dev/null 2>&1
"$SKILLBOOK" sheet "$GOLD" -q --role sre --from junior -o "$T/gs.pdf" >/dev/null 2>&1
"$SKILLBOOK" sheet "$GOLD" -q --role sre --from junior --format trace \
  -o "$T/gs.trace" >/dev/null 2>&1
for d in bundled.handbook gs; do
  line=$("$DPY" "$LIB" readback "$T/$d.pdf" "$T/$d.trace" 2>&1)
  case $line in
    "ok - "*) ok ;;
    *) bad "$line" ;;
  esac
done

# ==== The legend: each marked item's square is its Lbl ====
line=$("$DPY" "$LIB" legend "$T/bundled.handbook.pdf" 2>&1)
case $line in
  "ok - "*) ok ;;
  *) bad "$line" ;;
esac

# ==== Labels in another language than the content: /Lang on them ====
# (handbook --lang es of the English bundled catalogue: the headings,
# column headers and legend words are Spanish, the skills English)
r=$(first_role "$SRC/catalog")
"$SKILLBOOK" handbook "$SRC/catalog" -q --role "$r" --lang es -o "$T/es.pdf" >/dev/null 2>&1 ||
  bad "handbook --lang es failed"
if "$DPY" "$CHECK" "$T/es.pdf" >"$T/check-es" 2>&1; then ok; else
  bad "the checker fails on handbook --lang es:" "$(head -5 "$T/check-es")"
fi
line=$("$DPY" "$LIB" labels "$T/es.pdf" es 2>&1)
case $line in
  "ok - "*) ok ;;
  *) bad "$line" ;;
esac
"$SKILLBOOK" handbook "$SRC/catalog" -q --role "$r" --lang es --no-tags \
  -o "$T/es.nt.pdf" >/dev/null 2>&1
rm -rf "$T/img" && mkdir "$T/img"
pdftoppm -r 36 -png "$T/es.pdf" "$T/img/a" && pdftoppm -r 36 -png "$T/es.nt.pdf" "$T/img/b"
differ=0
for a in "$T"/img/a-*.png; do
  cmp -s "$a" "$T/img/b-${a#"$T"/img/a-}" || differ=$((differ + 1))
done
[ "$differ" -eq 0 ] && ok || bad "handbook --lang es: $differ pages differ with --no-tags"
# the labels in the catalogue's own language: no /Lang but the document's
"$SKILLBOOK" handbook "$SRC/catalog" -q --role "$r" --lang en -o "$T/en.pdf" >/dev/null 2>&1
line=$("$DPY" "$LIB" labels "$T/en.pdf" en 2>&1)
case $line in
  "ok - "*) ok ;;
  *) bad "$line" ;;
esac
check "handbook --lang en: the same bytes as without --lang" cmp -s "$T/en.pdf" "$T/bundled.handbook.pdf"

# ==== Every document kind: its labels read in their language ====
# (--lang es over the English bundled catalogue: each listed label's
# marked content or element has /Lang es, every chart's Figure too, and no
# run of the catalogue's own text has a /Lang; the changes document prints
# English words: over the Spanish example catalogue they are /Lang en)
labels_in() {
  local line
  line=$("$DPY" "$LIB" labels-in "$@" 2>&1)
  case $line in
    "ok - "*) ok ;;
    *) bad "$line" ;;
  esac
}
l=$(first_level "$SRC/catalog") k=$(first_skill "$SRC/catalog")
"$SKILLBOOK" sheet "$SRC/catalog" -q --role "$r" --from "$l" --lang es \
  --date 2026-11-30 -o "$T/es.sheet.pdf" >/dev/null 2>&1 || bad "sheet --lang es failed"
labels_in "$T/es.sheet.pdf" es "$SRC/catalog" "Nivel actual: " "Nombre:" \
  "Leyenda:" "Competencia" "Evidencias y notas" "Autoevaluación" "Opcional" \
  "Fecha:30 de noviembre de 2026"
# (the date is written in the labels' words: it and its label before it
# read as one run in es; untagged, the date would be a run of its own)
"$SKILLBOOK" reviews "$SRC/catalog" -q --people "$SRC/catalog/examples/people.csv" \
  --lang es -o "$T/reviews-es" >/dev/null 2>&1 || bad "reviews --lang es failed"
pack=$(find "$T/reviews-es" -maxdepth 1 -name '*.pdf' | sort | head -1)
book=$(find "$T/reviews-es/by-reviewer" -name '*.pdf' | sort | head -1)
labels_in "$pack" es "$SRC/catalog" "Firma:" "Competencia" "Autoevaluación" \
  "Las expectativas del nivel objetivo completas"
labels_in "$book" es "$SRC/catalog" "Índice" "Competencia" "Nombre:"
"$SKILLBOOK" profile "$SRC/catalog" -q --skill "$k" --lang es -o "$T/es.profile.pdf" \
  >/dev/null 2>&1 || bad "profile --lang es failed"
labels_in "$T/es.profile.pdf" es "$SRC/catalog" "Dominio" "Grupo" "Actualizado" \
  "Expectativas por nivel" "Expectativa"
"$SKILLBOOK" profile "$SRC/catalog" -q --all --lang es -o "$T/es.book.pdf" \
  >/dev/null 2>&1 || bad "profile --all --lang es failed"
labels_in "$T/es.book.pdf" es "$SRC/catalog" "Perfiles de competencias" "Índice" \
  "Dominio"
labels_in "$T/es.pdf" es "$SRC/catalog" "Índice" "Leyenda"
ES="$SRC/catalog/examples/es/catalog.xml"
"$PY" - "$ES" "$T/es-new.xml" <<'PYEOF'
import sys
s = open(sys.argv[1]).read()
i = s.index('mandatory="true"')
open(sys.argv[2], "w").write(s[:i] + 'mandatory="false"' + s[i + 16:])
PYEOF
render es.changes diff "$ES" "$T/es-new.xml" --format pdf
labels_in "$T/es.changes.pdf" en "$ES" --not-labels "What changed in the ladder" \
  "Per role" "Skill" "Old version: "
render es.since handbook "$T/es-new.xml" --role "$(first_role "$ES")" --since "$ES"
labels_in "$T/es.since.pdf" en "$ES" --not-labels "Skill" "became optional"

# ==== Nothing visible changes with the tags; --no-tags has none ====
for k in "${kinds[@]}"; do
  name=${k%%.*} kind=${k#*.}
  path=
  for c in "${cats[@]}"; do [ "${c%%=*}" = "$name" ] && path=${c#*=}; done
  case $kind in
    handbook) args=(handbook "$path" --role "$(first_role "$path")") ;;
    sheet) args=(sheet "$path" --role "$(first_role "$path")" --from "$(first_level "$path")") ;;
    profile) args=(profile "$path" --skill "$(first_skill "$path")") ;;
    book) args=(profile "$path" --all) ;;
    changes) args=(diff "$SRC/catalog" "$T/newcat" --format pdf) ;;
    since) args=(handbook "$T/newcat" --role "$(first_role "$path")" --since "$SRC/catalog") ;;
  esac
  "$SKILLBOOK" "${args[@]}" -q --no-tags -o "$T/$k.nt.pdf" >/dev/null 2>&1 ||
    { bad "$k --no-tags failed"; continue; }
  rm -rf "$T/img" && mkdir "$T/img"
  pdftoppm -r 36 -png "$T/$k.pdf" "$T/img/a" && pdftoppm -r 36 -png "$T/$k.nt.pdf" "$T/img/b"
  n=0 differ=0
  for a in "$T"/img/a-*.png; do
    n=$((n + 1))
    cmp -s "$a" "$T/img/b-${a#"$T"/img/a-}" || differ=$((differ + 1))
  done
  [ "$n" -gt 0 ] && [ "$differ" -eq 0 ] && [ "$(ls "$T"/img/b-*.png | wc -l)" -eq "$n" ] &&
    ok || bad "$k: $differ of $n pages differ with --no-tags"
done
"$DPY" - "$T/golden.handbook.nt.pdf" >"$T/nt" 2>&1 <<'EOF'
import sys, pikepdf
p = pikepdf.open(sys.argv[1])
r = p.Root
print("ok" if all(k not in r for k in ("/StructTreeRoot", "/MarkInfo", "/Metadata",
                                         "/OutputIntents")) else "tagged")
EOF
check "--no-tags: no structure tree, /MarkInfo, XMP or output intent" grep -qx ok "$T/nt"
if "$DPY" "$CHECK" "$T/golden.handbook.nt.pdf" >/dev/null 2>&1; then
  bad "the checker passes an untagged PDF"
else
  ok
fi

# ==== Reproducible ====
"$SKILLBOOK" handbook "$GOLD" -q --role sre -o "$T/again.pdf" >/dev/null 2>&1
check "the same handbook twice: the same bytes" cmp -s "$T/golden.handbook.pdf" "$T/again.pdf"

finish
