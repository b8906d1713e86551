#!/bin/bash
# tests/cli/collect.sh -- `skillbook collect`: fillable packs filled with
# pikepdf (tests/collect_fill.py: /V and /AS set as the PDF says), drawn by
# `qpdf --generate-appearances`, rendered by pdftoppm (the answers show in
# their widgets' boxes), then read back: every value of 20 packs with
# random answers in CSV and JSON; packs saved by other programs (an
# incremental update appended by hand, full rewrites by qpdf and pikepdf);
# renamed and removed fields; packs of another ladder version; files that
# are not packs; the CSV's BOM, header, quoting, formula guard and privacy
# (no names without --names, mode 0600, logs without names).
# Packs come from `skillbook reviews --fillable` when the program makes
# them, else from fixtures made by hand per docs/forms.md.
# Skipped (77) without python3-pikepdf. Env (set by ctest): SKILLBOOK, SRC.
SB_TEST_NAME=collect
. "$(dirname "$0")/lib.bash"
B=$SKILLBOOK
cd "$T" || exit 1
if ! "$DPY" -c 'import pikepdf' 2>/dev/null; then
  echo "skipped: python3-pikepdf is not installed (scripts/install-deps.sh)"
  exit 77
fi
FILL() { "$DPY" "$SRC/tests/collect_fill.py" "$@"; }
N=20
mkdir -p packs filled exp

# ---- the packs: made by the program, or fixtures per the contract ----
if "$B" reviews --help 2>/dev/null | grep -q -- --fillable; then
  roles=(sre backend-engineer frontend-engineer data-engineer qa-engineer)
  levels=(junior middle senior)
  echo "id,name,role,level,reviewer,date" >people.csv
  for i in $(seq -w 1 $N); do
    echo "p$i,Person Number$i,${roles[$((10#$i % 5))]},${levels[$((10#$i % 3))]},Grace Hopper,2026-12-01" >>people.csv
  done
  if "$B" reviews --people people.csv --fillable -o packs -q >/dev/null 2>err.txt; then
    ok "reviews --fillable: $(ls packs/*.pdf | wc -l) packs"
  else
    bad "reviews --fillable" "$(tail -3 err.txt)"
  fi
  SOURCE=program
else
  for i in $(seq -w 1 $N); do FILL fixture packs/p$i.pdf --person p$i; done
  SOURCE=fixture
  ok "packs: fixtures (this program makes no fillable packs yet)"
fi
echo "# packs from the $SOURCE"

# ---- fill: random answers (seeded), a Cyrillic answer in every other ----
for i in $(seq -w 1 $N); do
  cyr=""; [ $((10#$i % 2)) -eq 0 ] && cyr=--cyrillic
  FILL fill packs/p$i.pdf filled/raw$i.pdf --seed $((10#$i)) --expect exp/p$i.json $cyr \
    || bad "fill p$i"
  qpdf --generate-appearances filled/raw$i.pdf filled/p$i.pdf 2>/dev/null
  rc=$?; [ $rc -eq 0 ] || [ $rc -eq 3 ] || bad "qpdf --generate-appearances p$i"
done
check "20 packs filled, appearances generated, qpdf --check passes" pdfs_ok filled
nfilled=$(ls filled/p*.pdf | wc -l)
[ "$nfilled" -eq $N ] || bad "filled packs" "$nfilled"

# ---- the answers appear on the page (pixels in each filled widget's box) ----
# boxes KIND PACK: the page-1 boxes of PACK's filled widgets of KIND
boxes() { FILL boxes "filled/p$2.pdf" "exp/p$2.json" "$1" | awk '$1 == 1'; }
# inked BLANK FILLED BOXFILE: "N NOT-INKED..." (boxes whose pixels differ)
page1() { pdftoppm -r 72 -f 1 -l 1 -singlefile "$1" "$2" 2>/dev/null; }
page1 packs/p01.pdf blank01
page1 filled/p01.pdf qpdf01; page1 filled/raw01.pdf need01
# the baseline of typed text: the same filled copy, its text fields emptied
FILL clear filled/raw01.pdf cleared01.pdf
page1 cleared01.pdf base01
# ticks: drawn by the buttons' own appearances, /AS chosen
boxes radio 01 >radio.txt
nb=$(wc -l <radio.txt)
read -r inked missing < <(FILL inked blank01.ppm qpdf01.ppm radio.txt 72)
[ "$nb" -gt 3 ] && [ "${inked:-0}" -eq "$nb" ] \
  && ok "rendered: all $nb ticks of page 1 appear" || bad "ticks" "$inked of $nb; not: $missing"
# typed text: poppler's own appearances from /NeedAppearances true on the
# filled copy (what a viewer does), and qpdf --generate-appearances'
boxes text 01 >text.txt
nt=$(wc -l <text.txt)
read -r inked_n missing < <(FILL inked base01.ppm need01.ppm text.txt 72)
[ "$nt" -gt 2 ] && [ "${inked_n:-0}" -eq "$nt" ] \
  && ok "rendered: all $nt typed answers of page 1 appear (poppler, /NeedAppearances)" \
  || bad "typed text" "$inked_n of $nt; not: $missing"
# legible, not just ink: the text of the drawn appearances (pdftotext),
# Cyrillic included (the header's name of an even pack)
legible() {  # FILE: how many of p02's typed one-line values pdftotext finds
  local txt n=0 v
  txt=$(pdftotext -f 1 -l 1 "$1" - 2>/dev/null | tr -s ' \n' '  ')
  while IFS= read -r v; do [[ $txt == *"$v"* ]] && n=$((n + 1)); done < <(
    "$DPY" -c "import json; e=json.load(open('exp/p02.json'))
for q in ('name', 'reviewer', 'date'): print(e['head'][q])")
  echo $n
}
leg_n=$(legible filled/raw02.pdf); leg_q=$(legible filled/p02.pdf)
font=$(FILL formfont filled/p02.pdf | head -1)
echo "# legible header answers (name in Cyrillic, reviewer, date): poppler $leg_n/3, qpdf --generate-appearances $leg_q/3; form font $font"
if [[ $font =~ /[A-Z]{6}\+ ]]; then
  echo "# the form font is a subset: Cyrillic not asserted"
elif [ "$SOURCE" = program ]; then
  [ "$leg_n" -eq 3 ] && ok "rendered: the Cyrillic name, reviewer and date are legible (poppler, form font embedded whole)" \
    || bad "legible header answers: $leg_n/3 with the whole form font $font"
fi

# ---- collect every value back: CSV and JSON ----
"$B" collect filled/p*.pdf -o all.csv 2>err.txt
rc=$?
check "collect 20 packs to CSV: exit 0" [ $rc -eq 0 ] || cat err.txt
read -r n w first < <(FILL check all.csv exp/p*.json)
[ "${n:-0}" -gt 200 ] && [ "$w" -eq 0 ] && ok "CSV: all $n values back" || bad "CSV values" "$n checked, $w wrong: $first"
"$B" collect filled/p*.pdf --format json -o all.out 2>>err.txt && mv all.out all.json
read -r n w first < <(FILL check all.json exp/p*.json)
[ "${n:-0}" -gt 200 ] && [ "$w" -eq 0 ] && ok "JSON: all $n values back" || bad "JSON values" "$n checked, $w wrong: $first"
"$B" collect filled/p*.pdf -o by-ext.json 2>/dev/null
check "  -o X.json writes JSON" "$DPY" -c "import json,sys; json.load(open('by-ext.json'))"

# a reviewer's book of fillable packs: every pack's fields, no person in
# its identity; collected as its packs
book=$(ls packs/by-reviewer/*.pdf 2>/dev/null | head -1)
if [ -n "$book" ]; then
  FILL fill "$book" book-raw.pdf --seed 99 --expect exp-book.json \
    && qpdf --generate-appearances book-raw.pdf book.pdf 2>/dev/null
  "$B" collect book.pdf -o book.csv 2>err.txt
  rc=$?
  read -r n w first < <(FILL check book.csv exp-book.json)
  "$B" collect book.pdf -o book.json 2>/dev/null
  read -r nj wj _ < <(FILL check book.json exp-book.json)
  np=$("$DPY" -c "import json; print(len(json.load(open('book.json'))))")
  [ $rc -eq 0 ] && [ "$w" -eq 0 ] && [ "$wj" -eq 0 ] && [ "$np" -eq $N ] && ! grep -q warning err.txt \
    && ok "a reviewer's book: $np people, all $n values back (CSV and JSON)" || bad "book" "rc $rc, $w/$wj wrong: $first $(cat err.txt)"
else
  echo "# no reviewer's book made: not checked"
fi

# ---- the CSV: BOM, header, quoting, formula guard, no names ----
check "CSV starts with a UTF-8 BOM" [ "$(head -c 3 all.csv | od -An -tx1 | tr -d ' ')" = efbbbf ]
head -1 all.csv | sed '1s/^\xEF\xBB\xBF//' | grep -q '^"person","role","from","to_role","to","ladder_version"' \
  && ok "  one header row" || bad "header" "$(head -1 all.csv)"
[ "$(grep -c '"person"' all.csv)" -eq 1 ] && ok "  the header once" || bad "header count"
grep -q "\"'=1+2 " all.csv && ok "  a cell starting with = gets an apostrophe" || bad "formula guard"
grep -q '"=1+2 ' all.json && ok "  JSON keeps the text as typed" || bad "JSON formula text"
if grep -q -e "Grace Hopper" -e "Ada Lovelace" -e "Анна" -e "Number" all.csv all.json err.txt; then
  bad "names in the output or the log without --names"
else
  ok "no names in CSV, JSON or the log without --names"
fi
"$B" collect filled/p*.pdf --names -o names.csv 2>err-names.txt
read -r n w first < <(FILL check names.csv exp/p*.json --names)
[ "$w" -eq 0 ] && grep -q "Grace Hopper" names.csv && ok "--names: names and reviewers, $n values right" \
  || bad "--names" "$w wrong: $first"
grep -q -e "Grace Hopper" -e "Анна" err-names.txt && bad "names in the log with --names" || ok "  no names in the log even with --names"
check "output mode 0600" [ "$(stat -c %a all.csv)" = 600 ]
: >wide.csv; chmod 644 wide.csv
(umask 022; "$B" collect filled/p01.pdf -o wide.csv 2>/dev/null)
check "  an existing 0644 file replaced becomes 0600" [ "$(stat -c %a wide.csv)" = 600 ]
"$B" collect filled/p01.pdf >stdout.csv 2>/dev/null
check "  no -o: standard output" cmp -s stdout.csv wide.csv

# ---- saved by other programs ----
cp exp/p03.json exp/inc.json
FILL incremental filled/p03.pdf inc.pdf --expect exp/inc.json --seed 7
[ "$(grep -c startxref inc.pdf)" -gt "$(grep -c startxref filled/p03.pdf)" ] \
  && ok "incremental update appended (another startxref, /Prev)" || bad "incremental"
"$B" collect inc.pdf -o inc.csv 2>err.txt
read -r n w first < <(FILL check inc.csv exp/inc.json)
[ $? -eq 0 ] && [ "$w" -eq 0 ] && grep -q "updated in a viewer" inc.csv \
  && ok "incrementally updated pack: the new values, all $n right" || bad "incremental values" "$w wrong: $first"
# the same with its last startxref wrong: qpdf rebuilds the cross-reference
# table from the objects (the update's are the later ones)
"$DPY" -c "
import re,sys; d=open(sys.argv[1],'rb').read(); i=d.rindex(b'startxref')
open(sys.argv[2],'wb').write(d[:i]+re.sub(rb'startxref\s+\d+', b'startxref\n999', d[i:]))" inc.pdf inc-broken.pdf
"$B" collect inc-broken.pdf -o inc-broken.csv 2>err.txt
rc=$?
read -r n w first < <(FILL check inc-broken.csv exp/inc.json)
if [ "$SOURCE" = program ]; then
  # our packs keep their objects in object streams, which qpdf 11.3 does
  # not find when it rebuilds the table: reported as damaged, skipped
  [ $rc -eq 1 ] && grep -q "inc-broken.pdf: not a skillbook pack (damaged: no document catalogue" err.txt \
    && ! grep -q "WARNING" err.txt \
    && ok "a wrong startxref (objects in object streams): damaged, skipped" || bad "damaged pack" "rc $rc: $(cat err.txt)"
else
  [ $rc -eq 0 ] && [ "$w" -eq 0 ] && grep -q "inc-broken.pdf (person p03): damaged, read after repair" err.txt \
    && ok "a wrong startxref: repaired by qpdf, one warning, the update's $n values" || bad "repaired pack" "rc $rc, $w wrong: $(cat err.txt)"
fi
# a classic cross-reference table with a wrong startxref is rebuilt
qpdf --object-streams=disable inc.pdf inc-classic.pdf 2>/dev/null
"$DPY" -c "
import re,sys; d=open(sys.argv[1],'rb').read(); i=d.rindex(b'startxref')
open(sys.argv[2],'wb').write(d[:i]+re.sub(rb'startxref\s+\d+', b'startxref\n999', d[i:]))" inc-classic.pdf classic-broken.pdf
"$B" collect classic-broken.pdf -o classic-broken.csv 2>err.txt
rc=$?
read -r n w first < <(FILL check classic-broken.csv exp/inc.json)
[ $rc -eq 0 ] && [ "$w" -eq 0 ] && grep -q "classic-broken.pdf (person p03): damaged, read after repair" err.txt \
  && ok "a wrong startxref (classic table): repaired by qpdf, one warning, all $n values" || bad "repaired pack" "rc $rc, $w wrong: $(cat err.txt)"
qpdf --object-streams=generate filled/p04.pdf qpdf-rw.pdf 2>/dev/null
"$DPY" -c "import pikepdf,sys; pikepdf.open(sys.argv[1]).save(sys.argv[2], object_stream_mode=pikepdf.ObjectStreamMode.disable, linearize=True)" filled/p05.pdf pike-rw.pdf
"$B" collect qpdf-rw.pdf pike-rw.pdf -o rw.json 2>err.txt
rc=$?
read -r n w first < <(FILL check rw.json exp/p04.json exp/p05.json)
[ $rc -eq 0 ] && [ "$w" -eq 0 ] && ok "rewritten by qpdf (object streams) and pikepdf (linearized): $n values right" \
  || bad "rewritten packs" "rc $rc, $w wrong: $first"

FILL setxmp filled/p14.pdf attrs.pdf --attrs
"$B" collect attrs.pdf -o attrs.csv 2>/dev/null
read -r n w first < <(FILL check attrs.csv exp/p14.json)
[ "$w" -eq 0 ] && grep -q 'sbpack:person="p14"' <(qpdf --qdf attrs.pdf - 2>/dev/null) \
  && ok "XMP rewritten with the identity as attributes: $n values right" || bad "XMP attributes" "$w wrong: $first"

# ---- renamed and removed fields ----
names_p06=$("$DPY" -c "
import pikepdf,sys
sys.path.insert(0, '$SRC/tests'); import collect_fill as c
ns=[n for n,_ in c.walk_fields(pikepdf.open('filled/p06.pdf'))]
print([n for n in ns if n.endswith(':notes')][0], [n for n in ns if n.endswith(':agreed')][1])")
read -r ren rem <<<"$names_p06"
FILL mangle filled/p06.pdf mangled.pdf --rename "$ren=Text1" --remove "$rem"
"$B" collect mangled.pdf -o mangled.csv 2>err.txt
rc=$?
check "renamed and removed fields: exit 0" [ $rc -eq 0 ]
grep -q "mangled.pdf (person p06): 2 expected fields missing" err.txt && ok "  one warning: 2 fields missing" \
  || bad "missing warning" "$(cat err.txt)"
grep -q "1 unknown field ignored (first: Text1)" err.txt && ok "  one warning: the unknown field" || bad "unknown warning" "$(cat err.txt)"
[ "$(grep -c warning err.txt)" -eq 2 ] && ok "  two warnings in all" || bad "warning count" "$(cat err.txt)"
read -r n w first < <(FILL check mangled.csv exp/p06.json)
[ "$w" -eq 2 ] && ok "  the rest collected ($((n - 2)) values right, the 2 gone are absent)" || bad "mangled values" "$w wrong: $first"

# a radio group saved without /V: the button whose /AS is on says it
dropv=$("$DPY" -c "
import json,sys
sys.path.insert(0, '$SRC/tests'); import collect_fill as c, pikepdf
e=json.load(open('exp/p15.json'))
print(' '.join('--drop-v sb:p15:%s:%s' % (k.replace('.', '~'), q) for k, qs in e['rows'].items() for q, v in qs.items() if q != 'notes' and v))")
FILL mangle filled/p15.pdf nov.pdf $dropv
"$B" collect nov.pdf -o nov.csv 2>err.txt
read -r n w first < <(FILL check nov.csv exp/p15.json)
[ -n "$dropv" ] && [ "$w" -eq 0 ] && ! grep -q warning err.txt \
  && ok "radio groups without /V ($(wc -w <<<"$dropv" | awk '{print $1/2}')): read from /AS, $n values right" || bad "no /V" "$w wrong: $first"

# a field renamed to another person's id: collected under that id, warned
other=$("$DPY" -c "
import pikepdf,sys
sys.path.insert(0, '$SRC/tests'); import collect_fill as c
print([n for n,_ in c.walk_fields(pikepdf.open('filled/p16.pdf')) if n.endswith(':notes')][0])")
FILL mangle filled/p16.pdf other.pdf --rename "$other=sb:zz:${other#sb:p16:}"
"$B" collect other.pdf -o other.csv 2>err.txt
[ $? -eq 0 ] && grep -q "other.pdf (person p16): 1 field of another person" err.txt \
  && grep -q '^"zz",' other.csv && ok "a field of another person: collected under its id, one warning" \
  || bad "other person" "$(cat err.txt)"

# ---- what is not ours, and another ladder ----
FILL setxmp filled/p07.pdf other-version.pdf ladderVersion=2025.01
FILL setxmp filled/p08.pdf form2.pdf formVersion=2
FILL setxmp filled/p09.pdf no-ident.pdf formVersion= person=
"$B" sheet --role sre --from junior -o plain.pdf >/dev/null 2>&1
echo "not a pdf at all" >notes.txt
printf '%%PDF-1.7\n%s\n' "$(head -c 3000 /dev/urandom | base64 -w0)" >damaged.pdf
"$DPY" -c "import pikepdf,sys; pikepdf.open(sys.argv[1]).save(sys.argv[2], encryption=pikepdf.Encryption(user='u', owner='o'))" filled/p10.pdf locked.pdf
"$B" collect filled/p01.pdf other-version.pdf form2.pdf no-ident.pdf plain.pdf notes.txt \
  damaged.pdf locked.pdf filled/p11.pdf -o mixed.csv 2>err.txt
rc=$?
check "bad files among good ones: exit 1" [ $rc -eq 1 ]
grep -q "other-version.pdf: skipped: a pack of ladder 'Engineering skills' version '2025.01', expected 'Engineering skills' version '2026.03'" err.txt \
  && ok "  another ladder version: skipped, named" || bad "other version" "$(cat err.txt)"
for f in "form2.pdf: not a skillbook pack (form version '2'" "no-ident.pdf: not a skillbook pack (no skillbook identity" \
         "plain.pdf: not a skillbook pack (no skillbook identity" "notes.txt: not a skillbook pack (not a PDF)" \
         "damaged.pdf: not a skillbook pack (damaged" "locked.pdf: not a skillbook pack (encrypted)"; do
  grep -qF "$f" err.txt && ok "  $f...)" || bad "report" "$f: $(cat err.txt)"
done
grep -q "2 packs collected, 7 skipped" err.txt && ok "  2 collected, 7 skipped" || bad "summary" "$(tail -1 err.txt)"
read -r n w first < <(FILL check mixed.csv exp/p01.json exp/p11.json)
[ "$w" -eq 0 ] && ok "  the good packs' $n values collected" || bad "mixed values" "$w wrong: $first"

# ---- the expected ladder: --catalog, the bundled one, or the first pack ----
"$B" collect --catalog "$SRC/catalog" filled/p01.pdf -o /dev/null 2>/dev/null
check "--catalog (version 2026.03): collected" [ $? -eq 0 ]
mkdir -p cat2 && cp "$SRC"/catalog/*.xml cat2/ && sed -i 's/version="2026.03"/version="2027.01"/' cat2/00-ladder.xml
"$B" collect --catalog cat2 filled/p01.pdf filled/p02.pdf -o /dev/null 2>err.txt
[ $? -eq 1 ] && grep -q "expected 'Engineering skills' version '2027.01' (cat2)" err.txt \
  && ok "--catalog of version 2027.01: the 2026.03 packs skipped" || bad "--catalog other" "$(cat err.txt)"
"$B" collect other-version.pdf filled/p01.pdf -o /dev/null 2>err.txt
[ $? -eq 1 ] && grep -q "other-version.pdf: skipped.*(the bundled catalogue)" err.txt \
  && ok "no --catalog: the bundled catalogue's version, even when an old pack comes first" || bad "bundled" "$(cat err.txt)"
FILL setxmp filled/p12.pdf own1.pdf "ladderTitle=Our ladder" ladderVersion=1
FILL setxmp filled/p13.pdf own2.pdf "ladderTitle=Our ladder" ladderVersion=2
"$B" collect own1.pdf own2.pdf -o /dev/null 2>err.txt
[ $? -eq 1 ] && grep -q "own2.pdf: skipped.*expected 'Our ladder' version '1' (the first pack)" err.txt \
  && ok "another catalogue's packs: the first pack's version" || bad "first pack" "$(cat err.txt)"

# ---- completion and manual page ----
comp() {
  PATH=$(dirname "$B"):$PATH bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
    _skillbook; printf "%s\n" "${COMPREPLY[@]}"' _ "$SRC/completion/skillbook.bash" "$@"
}
comp skillbook "" | grep -qx collect && ok "completion: the collect command" || bad "completion: collect"
comp skillbook collect --na | grep -qx -- --names && ok "completion: collect's options" || bad "completion: --names"
touch filled/p01.txt
c=$(comp skillbook collect filled/p01)
[ "$c" = filled/p01.pdf ] && ok "completion: PDF files for packs" || bad "completion: packs" "$c"
man=$(dirname "$B")/man/skillbook-collect.1
[ -f "$man" ] && grep -q -- "--names" "$man" && ok "manual page skillbook-collect.1" || bad "manual page" "$man"

# ---- libqpdf: opened by collect only (src/forms/qpdf-dl.c) ----
if ldd "$B" | grep -q libqpdf; then
  bad "libqpdf is linked: every command loads it" "$(ldd "$B" | grep qpdf)"
else
  ok "the program does not link libqpdf"
fi
# a file of the soname the program opens, but empty: dlopen fails on it
so=$(grep -ao 'libqpdf\.so\.[0-9]*' "$B" | head -1)
mkdir -p broken && : >"broken/${so:-libqpdf.so.29}"
LD_LIBRARY_PATH=$T/broken "$B" collect filled/p01.pdf -o broken.csv 2>err.txt
rc=$?
[ $rc -eq 1 ] && [ ! -e broken.csv ] && grep -q "cannot load libqpdf\.so\.[0-9]*, which reading PDF forms needs" err.txt \
  && grep -q "install the Debian package libqpdf[0-9]" err.txt && [ "$(wc -l <err.txt)" -eq 1 ] \
  && ok "libqpdf that cannot be loaded: one message naming the package, exit 1, nothing written" \
  || bad "libqpdf missing" "rc=$rc $(cat err.txt)"
"$B" --version >/dev/null && LD_DEBUG=files "$B" --version 2>&1 | grep -q libqpdf \
  && bad "--version loads libqpdf" || ok "--version does not load libqpdf"

# ---- usage ----
"$B" collect >/dev/null 2>&1; check "no pack: exit 2" [ $? -eq 2 ]
"$B" collect --format xml filled/p01.pdf >/dev/null 2>&1; check "--format xml: exit 2" [ $? -eq 2 ]
"$B" collect nowhere.pdf >/dev/null 2>&1; check "a missing file: exit 2" [ $? -eq 2 ]
finish
