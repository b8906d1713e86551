#!/bin/bash
# tests/cli/reviews.sh -- `skillbook reviews` and `batch --people`: the people
# list (good and bad files), packs and reviewers' books with real readers,
# incremental runs, file modes, privacy of names, GNU parallel shards.
# Env (set by ctest): SKILLBOOK, SRC, SHARED.
SB_TEST_NAME=reviews
. "$(dirname "$0")/lib.bash"
B=$SKILLBOOK
cd "$T" || exit 1

# ---- the people list: good files in every spreadsheet dialect ----
# a byte-order mark, semicolons, CRLF, a name with a newline in quotes, a
# level and a role given by name in another case, columns in another order
printf '\xEF\xBB\xBFlevel;Name;role;reviewer;date\r\nSenior;"Ada\r\nLovelace";Site Reliability Engineer;Grace Hopper;2026-12-01\r\njunior;"Bob ""the builder""";backend-engineer;Grace Hopper;\r\n' >semi.csv
"$B" reviews --people semi.csv -o o-semi -q >out.txt 2>err.txt
rc=$?
check "BOM, semicolons, CRLF, quoted newline, names: exit 0" [ $rc -eq 0 ]
check "  two packs, one book" [ -f o-semi/ada-lovelace.pdf ] && [ -f o-semi/bob-the-builder.pdf ] && [ -f o-semi/by-reviewer/grace-hopper.pdf ]
pdftotext o-semi/ada-lovelace.pdf - 2>/dev/null | tr '\n' ' ' >ada.txt
check "  level by name: Senior -> Lead, name printed" grep -q "Senior" ada.txt
check "  the target is the next level (Lead)" grep -q "Lead" ada.txt

# tabs, an id column, a target at the same level, a cross-role move, only
# and domain columns, a team column
printf 'name\trole\tlevel\ttarget\ttarget_role\tid\tonly\tdomain\tteam\n' >tab.csv
printf 'Carol\tsre\tmiddle\tmiddle\t\tE1\t\t\tops\n' >>tab.csv
printf 'Dan\tbackend-engineer\tmiddle\t\tsre\tE2\t\t\tops\n' >>tab.csv
printf 'Eve\tsre\tjunior\t\t\tE3\tchanged\t\tops\n' >>tab.csv
"$B" reviews --people tab.csv -o o-tab >/dev/null 2>err.txt
rc=$?
check "tabs, ids, same level, cross-role, only: exit 0" [ $rc -eq 0 ] || cat err.txt
check "  given ids name the files" [ -f o-tab/E1.pdf ] && [ -f o-tab/E2.pdf ] && [ -f o-tab/E3.pdf ]
pdftotext o-tab/E2.pdf - 2>/dev/null | tr '\n' ' ' >dan.txt
check "  cross-role pack names both roles" grep -q "Backend Engineer" dan.txt
check "  ... and the target role" grep -q "Site Reliability Engineer" dan.txt
check "  no reviewer: no book, a note" grep -q "no reviewer" err.txt
[ ! -d o-tab/by-reviewer ] && ok "  no by-reviewer folder when nobody has one" || bad "by-reviewer made"

# ---- bad files: every error listed, nothing written, exit 3 ----
cat >bad.csv <<'EOF'
name,role,level,date,id,extra
Ann,sre,seniro,2026-12-01,A1,x
Ben,sre-engineer,junior,,A2,
Cid,sre,junior,2026-02-30,A1,
,sre,junior,,A4,
EOF
"$B" reviews --people bad.csv -o o-bad >out.txt 2>err.txt
rc=$?
check "bad rows: exit 3" [ $rc -eq 3 ]
check "  nothing written" [ ! -e o-bad ]
check "  unknown level with did-you-mean, on its line" grep -q "^bad.csv:2: error: column \"level\": unknown level 'seniro' (did you mean 'senior'" err.txt
check "  unknown role with did-you-mean" grep -q "^bad.csv:3: error: column \"role\": unknown role 'sre-engineer' (did you mean" err.txt
check "  an impossible date" grep -q "^bad.csv:4: error: column \"date\"" err.txt
check "  an empty name" grep -q "^bad.csv:5: error: column \"name\"" err.txt
check "  unknown column: a warning naming it" grep -q "^bad.csv:1: warning: unknown column \"extra\"" err.txt
# the duplicate id is found once the rows are otherwise good
printf 'name,role,level,id\nAnn,sre,junior,A1\nBen,sre,junior,a1\n' >dup.csv
"$B" reviews --people dup.csv -o o-dup >/dev/null 2>err.txt
rc=$?
check "duplicate id: exit 3, nothing written" [ $rc -eq 3 ] && [ ! -e o-dup ]
check "  names both lines" grep -q "^dup.csv:3: error: column \"id\": 'a1' is also the id of line 2" err.txt
printf 'name,role\nAnn,sre\n' >missing.csv
"$B" reviews --people missing.csv -o o-miss >/dev/null 2>err.txt
rc=$?
check "a missing column: exit 3" [ $rc -eq 3 ] && grep -q "^missing.csv:1: error: no column \"level\"" err.txt
printf 'name,role,level\n"Ann,sre,junior\n' >quote.csv
"$B" reviews --people quote.csv -o o-q >/dev/null 2>err.txt
check "a quote never closed: exit 3" [ $? -eq 3 ]
printf 'name,role,level,extra\nAnn,sre,junior,1\n' >extra.csv
"$B" reviews --people extra.csv -o o-extra --strict >/dev/null 2>err.txt
check "unknown column under --strict: exit 3, nothing written" [ $? -eq 3 ] && [ ! -e o-extra ]
"$B" reviews --people tab.csv -o o-dom --domain no-such-domain >/dev/null 2>err.txt
check "unknown --domain on the command line: exit 2" [ $? -eq 2 ] && grep -q "unknown domain 'no-such-domain'" err.txt
"$B" reviews --people no-such.csv -o o-x >/dev/null 2>&1
check "missing people file: exit 2" [ $? -eq 2 ]
"$B" reviews --people tab.csv --mode 0666x >/dev/null 2>&1
check "bad --mode: exit 2" [ $? -eq 2 ]

# ---- a cycle: every role of the bundled catalogue, names in two scripts ----
LATIN="Maximiliana Alexandra Konstantinopoulou-Vanderbilt de la Fuente y Montoya"
CYR="Анна Сергеевна Вишневская-Кузнецова (руководитель направления)"
CYR2="Борис Пастернак"
{
  echo "name,role,level,reviewer,date"
  i=0
  while IFS=$'\t' read -r role _; do
    i=$((i + 1))
    case $((i % 3)) in
      0) echo "\"$LATIN $i\",$role,junior,\"$CYR\",2026-12-0$((i % 9 + 1))" ;;
      1) echo "\"$CYR2 $i\",$role,middle,Grace Hopper," ;;
      2) echo "Person $i,$role,senior,\"$CYR\",2026-12-01" ;;
    esac
  done < <("$B" list roles)
} >cycle.csv
nroles=$("$B" list roles | wc -l)
run_cycle() { # umask dir [args...]
  local um=$1 dir=$2
  shift 2
  (umask "$um" && "$B" reviews --people cycle.csv -o "$dir" -j 2 --log-format json "$@" >"$dir.out" 2>"$dir.log")
}
run_cycle 022 c022 --book all
check "a cycle of every role: exit 0" [ $? -eq 0 ] || tail -5 c022.log
npacks=$(find c022 -maxdepth 1 -name '*.pdf' | wc -l)
check "  a pack per person ($nroles)" [ "$npacks" -eq "$nroles" ]
check "  every PDF passes qpdf --check" pdfs_ok c022
check "  two reviewers' books" [ "$(find c022/by-reviewer -name '*.pdf' | wc -l)" -eq 2 ]
check "  the whole cycle's book with --book all" [ -f c022/book/all.pdf ]
modes=$(find c022 -name '*.pdf' -printf '%m\n' | sort -u | tr '\n' ' ')
check "  umask 022: every pack and book 600 ($modes)" [ "$modes" = "600 " ]
dmodes=$(find c022 -type d -printf '%m\n' | sort -u | tr '\n' ' ')
check "  umask 022: folders 700 ($dmodes)" [ "$dmodes" = "700 " ]
run_cycle 000 c000
modes=$(find c000 -name '*.pdf' -printf '%m\n' | sort -u | tr '\n' ' ')
dmodes=$(find c000 -type d -printf '%m\n' | sort -u | tr '\n' ' ')
check "umask 000: packs 600, folders 700 ($modes/$dmodes)" [ "$modes" = "600 " ] && [ "$dmodes" = "700 " ]
run_cycle 022 c640 --mode 640
modes=$(find c640 -name '*.pdf' -printf '%m\n' | sort -u | tr '\n' ' ')
dmodes=$(find c640 -type d -printf '%m\n' | sort -u | tr '\n' ' ')
check "--mode 640: packs 640, folders 750 ($modes/$dmodes)" [ "$modes" = "640 " ] && [ "$dmodes" = "750 " ]

# the book: a bookmark per person, each person's name printed
book=$(grep -l . c022/by-reviewer/*.pdf | head -1)
nb=$($DPY - "$book" <<'EOF'
import sys, pikepdf
with pikepdf.open(sys.argv[1]) as p:
    with p.open_outline() as o:
        print(len(o.root))
EOF
)
members=$(pdftotext "$book" - | grep -c "Грейс\|$CYR2\|$LATIN\|Person" || true)
check "  a reviewer's book has a top-level bookmark per person ($nb)" [ "${nb:-0}" -ge 2 ]
pdftotext c022/book/all.pdf - | tr '\n' ' ' >all.txt
check "  the names are printed in the whole book (Latin)" grep -q "Konstantinopoulou" all.txt
check "  ... and Cyrillic" grep -q "Вишневская" all.txt

# privacy: no name, nor anything made from it, in logs, stdout, manifest
leak=0
for f in c022.out c022.log c022/manifest.json c000.log c640.log; do
  for n in "Maximiliana" "Konstantinopoulou" "Анна" "Вишневская" "Борис" "Пастернак" "Grace" "grace-hopper" "maximiliana" "Person 2" "person-2"; do
    if grep -q -- "$n" "$f"; then echo "  '$n' in $f"; leak=1; fi
  done
done
check "no name in stdout, the JSON log or manifest.json" [ $leak -eq 0 ]
check "  the log names people by row" grep -q '"who":"row 2"' c022.log
check "  no index.html in a reviews folder" [ ! -e c022/index.html ]

# incremental: nothing changed, nothing rendered; one row changed, its pack
# and its reviewer's book (and the whole book); a row gone, its pack deleted
"$B" reviews --people cycle.csv -o c022 -j 2 --book all -q 2>inc.txt
check "a rerun with nothing changed renders nothing" grep -q " 0 written / .* 0 deleted" inc.txt
sed -i '3s/,2026-12-0[0-9]*$/,2027-01-15/; 3s/,$/,2027-01-15/' cycle.csv
sed -i '$d' cycle.csv
"$B" reviews --people cycle.csv -o c022 -j 2 --book all --log-format json 2>inc.json
w=$(grep -c '"status":"written"' inc.json)
d=$(grep -c '"status":"deleted"' inc.json)
# row 2 (reviewer Анна...) changed; the last row (reviewer Grace) gone:
# the changed pack, both reviewers' books and the whole cycle's book
check "one row changed, one gone: its pack, two books, the whole book ($w)" [ "$w" -eq 4 ]
check "  and the pack of the person gone deleted ($d)" [ "$d" -ge 1 ]
check "  one pack fewer" [ "$(find c022 -maxdepth 1 -name '*.pdf' | wc -l)" -eq $((nroles - 1)) ]

"$B" reviews --people cycle.csv -o c022 -j 2 --book all --style letter -q 2>inc.txt
check "another style renders every pack and book again" grep -q " $((nroles - 1 + 3)) written / 0 unchanged" inc.txt
"$B" reviews --people cycle.csv -o o-lim --limit documents=3 >/dev/null 2>err.txt
check "over --limit documents: exit 3, nothing written" [ $? -eq 3 ] && [ -z "$(find o-lim -name '*.pdf' 2>/dev/null)" ]
mkdir -p o-lock
flock o-lock/.skillbook.lock sleep 30 &
BG+=($!)
sleep 0.5
"$B" reviews --people cycle.csv -o o-lock -q >/dev/null 2>err.txt
check "another run holds the folder: exit 75" [ $? -eq 75 ]

# ---- batch --people: packs under reviews/, nothing in index.html ----
"$B" batch --people cycle.csv -o nightly -j 2 --log-format json >nightly.out 2>nightly.log
check "batch --people: exit 0" [ $? -eq 0 ] || tail -3 nightly.log
check "  packs under reviews/" [ "$(find nightly/reviews -maxdepth 1 -name '*.pdf' | wc -l)" -eq $((nroles - 1)) ]
check "  the handbooks are still there" [ -f nightly/handbooks/sre.pdf ]
check "  reviews/ is 700" [ "$(stat -c %a nightly/reviews)" = 700 ]
check "  the manifest lists the packs by key" grep -q '"kind": "pack"' nightly/manifest.json
leak=0
for f in nightly.out nightly.log nightly/manifest.json nightly/index.html; do
  for n in "Maximiliana" "Konstantinopoulou" "Вишневская" "Пастернак" "Grace" "grace-hopper" "maximiliana" "person-2" "reviews/[a-z0-9-]*\.pdf"; do
    if grep -q -- "$n" "$f"; then echo "  '$n' in $f"; leak=1; fi
  done
done
check "  no name in its log, manifest.json or index.html" [ $leak -eq 0 ]
"$B" batch --people cycle.csv -o nightly -j 2 -q 2>inc.txt
check "  a rerun renders nothing" grep -q " 0 written / " inc.txt

# ---- shards through GNU parallel, merged: the files of one run ----
if command -v parallel >/dev/null 2>&1; then
  parallel --halt never "$B reviews --people cycle.csv --shard {}/3 -o shard{} -q" ::: 1 2 3 2>par.txt
  check "three shards through GNU parallel" [ $? -eq 0 ]
  check "  shards write no books" [ -z "$(find shard1 shard2 shard3 -path '*by-reviewer*' -name '*.pdf')" ]
  "$B" reviews --merge shard1 shard2 shard3 --people cycle.csv -o merged --book all -q 2>merge.txt
  check "  reviews --merge: exit 0" [ $? -eq 0 ] || cat merge.txt
  "$B" reviews --people cycle.csv -o single --book all -q 2>/dev/null
  same=1
  for f in $(cd single && find . -name '*.pdf' | sort); do
    cmp -s "single/$f" "merged/$f" || { echo "  differs: $f"; same=0; }
  done
  [ "$(cd single && find . -name '*.pdf' | sort)" = "$(cd merged && find . -name '*.pdf' | sort)" ] || same=0
  check "  merged shards are byte for byte one run" [ $same -eq 1 ]
  modes=$(find merged -name '*.pdf' -printf '%m\n' | sort -u | tr '\n' ' ')
  check "  merged packs stay 600 ($modes)" [ "$modes" = "600 " ]
else
  echo "skipped: GNU parallel is not installed (apt-get install parallel)"
fi

# ---- a real catalogue: a pack for every role ----
real="$SHARED/data/real/monzo-engineering.xml"
if [ -f "$real" ]; then
  # first every role at the catalogue's first level; the errors of the
  # roles that have none there name their levels: take the first
  lv0=$("$B" list levels "$real" | head -1 | cut -f1)
  { echo "name,role,level"; "$B" list roles "$real" | cut -f1 | sed "s/.*/Someone,&,$lv0/"; } >real.csv
  "$B" reviews "$real" --people real.csv -o o-real0 -q 2>real0.txt
  while IFS= read -r line; do
    n=$(echo "$line" | sed -n 's/^[^:]*:\([0-9]*\): .*its levels are: \([^,]*\).*/\1 \2/p')
    [ -n "$n" ] && sed -i "${n% *}s/,$lv0\$/,${n#* }/" real.csv
  done <real0.txt
  "$B" reviews "$real" --people real.csv -o o-real -j 2 -q 2>real.txt
  check "a real catalogue: a pack for every role" [ $? -eq 0 ] && [ "$(find o-real -maxdepth 1 -name '*.pdf' | wc -l)" -eq "$("$B" list roles "$real" | wc -l)" ]
  check "  every PDF passes qpdf --check" pdfs_ok o-real
else
  echo "skipped: the real catalogue (no reference folder beside the project)"
fi
finish
