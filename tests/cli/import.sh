#!/bin/bash
# tests/cli/import.sh -- `skillbook import` and `skillbook export`
# (docs/import.md): the two CSV layouts from catalog/examples; quotes,
# semicolons, tabs and a byte-order mark; bad files (a missing column, an
# unknown level, a duplicate skill, a duplicate expectation, a bad
# mandatory value, a bad id, a character XML forbids) each reported at
# FILE:LINE:COL with exit 3 and nothing written; ids derived from names;
# the JSON export; the messages of validate on files that are not XML; and
# the round trip: export, import, and the batch of both writes the same
# PDFs byte for byte (bundled, es, ru, a generated catalogue, and the real
# ones when the reference folder is there).
# Env (set by ctest): SKILLBOOK, SRC, SHARED. Prints "N passed, N failed".

SB_TEST_NAME=import
. "$(dirname "$0")/lib.bash"
SB=$SKILLBOOK
EX=$SRC/catalog/examples

# ---- good files ----
check "long example imports" $SB import "$EX/ladder-long.csv" -o "$T/long.xml" -q
check "long example validates" $SB validate "$T/long.xml" -q
[ "$($SB list roles "$T/long.xml" | cut -f1 | tr '\n' ' ')" = "backend-engineer sre " ] \
  && ok "long: roles in the order of the #role rows, ids derived or given" \
  || bad "long: roles" "$($SB list roles "$T/long.xml")"
[ "$($SB list levels "$T/long.xml" | cut -f1 | tr '\n' ' ')" = "junior senior lead " ] \
  && ok "long: levels in #level order" || bad "long: levels"
grep -q 'coaches others through &quot;hard&quot; incidents' "$T/long.xml" \
  && ok "long: a quoted cell with \"\" and a comma" || bad "long: quotes"
grep -q '<keyword>postmortem</keyword>' "$T/long.xml" && ok "long: keywords split on ;" || bad "keywords"
[ "$(grep -c 'mandatory="true"' "$T/long.xml")" = 5 ] && ok "long: yes/x are mandatory, no is not" \
  || bad "long: mandatory count" "$(grep -c 'mandatory="true"' "$T/long.xml")"

check "wide example imports (semicolons)" $SB import "$EX/ladder-wide.csv" -o "$T/wide.xml" -q
check "wide example validates" $SB validate "$T/wide.xml" -q
[ "$($SB list levels "$T/wide.xml" | cut -f1 | tr '\n' ' ')" = "junior senior lead " ] \
  && ok "wide: levels in column order" || bad "wide: levels"
# SRE: junior and lead from the mandatory column, senior from the '*'
[ "$(grep -c 'role="site-reliability-engineer" mandatory="true"' "$T/wide.xml")" = 3 ] \
  && ok "wide: mandatory column and trailing '*'" || bad "wide: mandatory" "$(cat "$T/wide.xml")"
grep -q '>Leads incidents end to end</expect>' "$T/wide.xml" && ok "wide: the '*' is removed" || bad "wide: marker"
grep -q 'Reviews for design and risk; unblocks others.' "$T/wide.xml" && ok "wide: quoted ';' in a ';' file" || bad "wide: quoted ;"

# BOM + tabs + CRLF, and the same file again: the same bytes (stable ids)
printf '\xEF\xBB\xBFDomain\tGroup\tSkill\tRole\tLevel\tText\r\nIngeniería\tCódigo\tRevisión de código\tDesarrolladora\tJúnior\t"Revisa cambios\r\npequeños"\r\n' >"$T/bom.csv"
if $SB import "$T/bom.csv" -o "$T/bom.xml" -q >/dev/null; then
  ok "BOM, tabs and CRLF"
  grep -q 'id="ingenieria" name="Ingeniería"' "$T/bom.xml" && grep -q 'id="revision-de-codigo"' "$T/bom.xml" \
    && ok "ids derived from names (accents dropped)" || bad "derived ids" "$(cat "$T/bom.xml")"
  grep -q '>Revisa cambios pequeños</expect>' "$T/bom.xml" && ok "a line break in a quoted cell collapses" || bad "collapse"
  $SB import "$T/bom.csv" -o "$T/bom2.xml" -q >/dev/null && cmp -s "$T/bom.xml" "$T/bom2.xml" \
    && ok "the same file imports to the same bytes" || bad "stable output"
else
  bad "BOM, tabs and CRLF" "$($SB import "$T/bom.csv" -o "$T/bom.xml" 2>&1)"
fi
printf 'domain,group,skill,role,level,text\nOps,Run,Разработка,Dev,Jr,Does it.\nOps,Run,Тестирование,Dev,Jr,Tests it.\n' >"$T/cyr.csv"
$SB import "$T/cyr.csv" -o "$T/cyr.xml" -q >/dev/null && [ "$(grep -c 'id="skill-[0-9a-f]\{8\}"' "$T/cyr.xml")" = 2 ] \
  && ok "names without Latin letters: skill-HASH ids" || bad "non-Latin ids" "$(cat "$T/cyr.xml" 2>&1)"
printf 'domain,group,skill,role,level,text\nOps,Run,Data Ops,Dev,Jr,A.\nOps,Run,data-ops,Dev,Jr,B.\n' >"$T/uniq.csv"
$SB import "$T/uniq.csv" -o "$T/uniq.xml" -q >/dev/null && grep -q 'id="data-ops-2"' "$T/uniq.xml" \
  && ok "two names, one derived id: -2" || bad "unique ids" "$(cat "$T/uniq.xml" 2>&1)"
$SB import "$EX/ladder-long.csv" -o "$T/forced.xml" --layout wide -q 2>"$T/forced.err"
[ $? = 3 ] && grep -q "unknown column\|missing column\|level" "$T/forced.err" && ok "--layout wide on a long file fails" \
  || bad "--layout" "$(cat "$T/forced.err")"
$SB import "$EX/ladder-long.csv" -o "$T/x.xml" --layout tall 2>/dev/null; [ $? = 2 ] && ok "--layout tall: usage" || bad "--layout tall"
$SB import "$EX/ladder-long.csv" 2>/dev/null; [ $? = 2 ] && ok "no -o: usage" || bad "no -o"
$SB import "$T/none.csv" -o "$T/none.xml" 2>/dev/null; [ $? = 2 ] && ok "a missing file: usage" || bad "missing file"

# ---- bad files: FILE:LINE:COL, exit 3, nothing written ----
# expect_fail NAME 'LINE:COL' PATTERN  (the CSV is $T/NAME.csv)
expect_fail() {
  local name=$1 where=$2 pat=$3 out="$T/$1.xml" rc
  echo old >"$out"
  $SB import "$T/$name.csv" -o "$out" 2>"$T/$name.err" >/dev/null
  rc=$?
  if [ $rc = 3 ] && grep -q "^$T/$name.csv:$where: error: .*$pat" "$T/$name.err" &&
     grep -q "nothing written" "$T/$name.err" && [ "$(cat "$out")" = old ]; then
    ok "$name: $where"
  else
    bad "$name" "rc=$rc $(cat "$T/$name.err")"
  fi
}
printf 'domain,group,skill,role,level,mandatory\nA,B,C,D,E,yes\n' >"$T/missing-column.csv"
expect_fail missing-column 1:7 "missing column 'text'"
printf '#level,,Junior\n#level,,Senior\n#role,,Dev\ndomain,group,skill,role,level,text\nA,B,C,Dev,Junior,ok\nA,B,C,Dev,Seniour,ok\n' >"$T/unknown-level.csv"
expect_fail unknown-level 6:5 "unknown level 'Seniour'.*did you mean 'Senior'"
printf 'domain;group;skill;role;Junior;mandatory\nA;B;C;Dev;does;Lead\n' >"$T/unknown-level-wide.csv"
expect_fail unknown-level-wide 2:6 "unknown level 'Lead' in the mandatory column"
printf 'domain,group,skill,role,level,text\nOps,Run,Deploys,Dev,Jr,a\nOps,Build,Deploys,Dev,Sr,b\n' >"$T/duplicate-skill.csv"
expect_fail duplicate-skill 3:3 "duplicate skill 'Deploys': it is in group 'Run' at line 2"
printf 'domain,group,skill,role,Jr,Sr\nOps,Run,Deploys,Dev,a,b\nOps,Run,Deploys,Dev,c,\n' >"$T/duplicate-row-wide.csv"
expect_fail duplicate-row-wide 3:5 "already (line 2)"
printf 'domain,group,skill,role,level,mandatory,text\nA,B,C,D,E,maybe,t\n' >"$T/bad-mandatory.csv"
expect_fail bad-mandatory 2:6 "mandatory 'maybe'"
printf 'domain,group,skill_id,skill,role,level,text\nA,B,Bad Id,C,D,E,t\n' >"$T/bad-id.csv"
expect_fail bad-id 2:3 "skill id 'Bad Id' is not an id"
printf 'domain,group,skill,role,level,text\nA,B,C,D,E,\n' >"$T/empty-text.csv"
expect_fail empty-text 2:6 "text is empty"
printf 'domain,group,skill,role,level,text,updated\nA,B,C,D,E,t,17/03/2026\n' >"$T/bad-date.csv"
expect_fail bad-date 2:7 "not a date"
printf 'domain,group,skill,role,level,text\nA,B,C,D,E,"open\n' >"$T/open-quote.csv"
$SB import "$T/open-quote.csv" -o "$T/oq.xml" 2>"$T/oq.err"; [ $? = 3 ] && grep -q "open-quote.csv:2:.*never closed" "$T/oq.err" \
  && [ ! -e "$T/oq.xml" ] && ok "a quote left open" || bad "open quote" "$(cat "$T/oq.err")"
# a problem only the loader sees (a character XML forbids), at its row and column
printf 'domain,group,skill,role,level,text\nA,B,C,D,E,bell\x07here\n' >"$T/ctrl.csv"
expect_fail ctrl 2:6 "U+0007"
printf '#lang,en_GB\ndomain,group,skill,role,level,text\nA,B,C,D,E,t\n' >"$T/bad-lang.csv"
expect_fail bad-lang 1:2 "lang\|BCP"

# ---- validate on files that are not XML ----
nonxml() {
  local what=$1 file=$2 out
  out=$($SB validate "$file" 2>&1); local rc=$?
  if [ $rc = 3 ] && grep -q "looks like $what" <<<"$out" && grep -q "skillbook import" <<<"$out" &&
     ! grep -q "Start tag expected" <<<"$out"; then ok "validate on $what"; else bad "validate on $what" "rc=$rc $out"; fi
}
nonxml CSV "$EX/ladder-long.csv"
printf '{"levels": []}\n' >"$T/c.json"; nonxml JSON "$T/c.json"
printf -- '---\nlevels:\n  - junior\n' >"$T/c.yaml"; nonxml YAML "$T/c.yaml"
$SB handbook --role sre -o "$T/h.pdf" -q >/dev/null; nonxml "a PDF" "$T/h.pdf"
$SB handbook "$T/c.json" --role sre -o "$T/h2.pdf" 2>"$T/h2.err"; [ $? = 3 ] && grep -q "looks like JSON" "$T/h2.err" \
  && ok "handbook on JSON says so too" || bad "handbook on JSON" "$(cat "$T/h2.err")"

# ---- export ----
$SB export --format json -o "$T/b.json" && $DPY - "$T/b.json" "$SB" <<'PY' && ok "JSON export: counts match list" || bad "JSON export"
import json, subprocess, sys
d = json.load(open(sys.argv[1]))
skills = [s for dm in d["domains"] for g in dm["groups"] for s in g["skills"]]
listed = subprocess.run([sys.argv[2], "list", "skills"], capture_output=True, text=True).stdout.split("\n")
assert [s["id"] for s in skills] == [l.split("\t")[0] for l in listed if l], "skill order"
assert len(d["levels"]) == 5 and d["lang"] == "en" and d["format"] == "skillbook-catalog-1"
assert all(e["mandatory"] in (True, False) for s in skills for e in s["expects"])
PY
$SB export --format xml 2>/dev/null; [ $? = 2 ] && ok "export --format xml: usage" || bad "export --format xml"

# ---- the round trip ----
catalogs=("$SRC/catalog" "$EX/es/catalog.xml" "$EX/ru/catalog.xml")
$PY "$SRC/scripts/gen-catalog.py" --size small --seed 20 -o "$T/gen.xml" && catalogs+=("$T/gen.xml")
if [ -n "${SB_QUICK:-}" ]; then
  catalogs=("$SRC/catalog" "$EX/ru/catalog.xml")  # the sanitizer run's share
  echo "skipped: the round trip of es, generated and real catalogues (SB_QUICK)"
elif [ -d "$SHARED/data/real" ]; then
  for c in "$SHARED"/data/real/*.xml; do [ -e "$c" ] && catalogs+=("$c"); done
else
  echo "skipped: the real catalogues (no reference folder beside the project)"
fi
i=0
for c in "${catalogs[@]}"; do
  i=$((i + 1))
  d=$T/rt$i
  mkdir -p "$d"
  if ! $SB export "$c" --format csv -o "$d/x.csv" || ! $SB import "$d/x.csv" -o "$d/x.xml" -q >/dev/null; then
    bad "round trip $c: export/import failed"; continue
  fi
  $SB export "$d/x.xml" --format csv | cmp -s - "$d/x.csv" && ok "export of the import = the export ($c)" \
    || bad "re-export differs ($c)"
  $SB batch "$c" -o "$d/a" -q >/dev/null 2>&1 && $SB batch "$d/x.xml" -o "$d/b" -q >/dev/null 2>&1 \
    || { bad "round trip $c: batch failed"; continue; }
  n=0 diff=0
  while IFS= read -r f; do
    n=$((n + 1))
    cmp -s "$d/a/$f" "$d/b/$f" || { diff=$((diff + 1)); echo "  differs: $f"; }
  done < <(cd "$d/a" && find . -name '*.pdf' | sort)
  [ "$n" -gt 0 ] && [ "$diff" = 0 ] && [ "$(cd "$d/b" && find . -name '*.pdf' | wc -l)" = "$n" ] \
    && ok "round trip $c: $n PDFs byte for byte" || bad "round trip $c" "$diff of $n PDFs differ"
  rm -rf "$d/a" "$d/b"
done
finish
