#!/bin/bash
# tests/cli/fillable.sh -- fillable sheets and packs (issue #21,
# docs/forms.md), read back with pikepdf (tests/cli/fillable_lib.py),
# pdftoppm, qpdf and tests/pdfua_check.py:
#  1. `reviews --fillable` for every role of the bundled catalogue (a
#     person per role, with ids): in every pack the fields counted per row
#     exactly (3 radio groups of 3 buttons towards/meeting/exceeding + one
#     multi-line notes field per skill shown, the header's name, reviewer,
#     date, the sign-off's two dates), named sb:ID:SKILL:QUESTION, every
#     widget with /TU, /F 4 and an /AP, no /NeedAppearances, the buttons
#     exactly over the plain sheet's check boxes, the notes over its
#     evidence lines, the XMP identity, the regular face embedded whole;
#  2. every fillable pack passes tests/pdfua_check.py, and the checker's
#     'form' rule names a removed /TU, a widget out of its Form element,
#     /NeedAppearances and an undescribed XMP property;
#  3. a blank fillable sheet and pack (values printed: a Cyrillic name, a
#     reviewer, a date) rasterise (pdftoppm -r 72) to the plain ones' pixels,
#     tagged and with --no-tags; the trace is the plain trace plus FIELD
#     lines; the plain PDF has no AcroForm;
#  4. filled with pikepdf: qpdf --generate-appearances then pdftoppm shows
#     the ticks (pixels differ in every chosen button's box); poppler
#     (/NeedAppearances true) draws the typed notes, Cyrillic included
#     (pixels differ in the notes' boxes, and two Cyrillic texts draw
#     differently: real glyphs, not missing-glyph boxes);
#  5. --no-tags: the form and the XMP identity, without PDF/A claims;
#  6. batch --people: --fillable re-renders the packs (and only then), a
#     reviewer's book carries every pack's fields; --fillable without
#     --people is a usage error; the bytes a fillable pack costs (printed).
# Env (set by ctest): SKILLBOOK, SRC, SHARED. Prints "N passed, N failed".

SB_TEST_NAME=fillable
. "$(dirname "$0")/lib.bash"
CAT="$SRC/catalog"
LIB="$SRC/tests/cli/fillable_lib.py"
CHECK="$SRC/tests/pdfua_check.py"
TTF="$SRC/fonts/LiberationSans-Regular.ttf"
"$DPY" -c 'import pikepdf, PIL' 2>/dev/null || { echo "no pikepdf/PIL for $DPY"; exit 1; }
S() { "$SKILLBOOK" "$@" -q >/dev/null 2>"$T/err"; }
# lib ARGS...: fillable_lib.py's ok/FAIL lines counted here
lib() {
  local line
  while IFS= read -r line; do
    case $line in
      "ok - "*) ok "${line#ok - }" ;;
      *) bad "${line#FAIL - }" ;;
    esac
  done < <("$DPY" "$LIB" "$@" 2>&1)
}
# same_pixels A.pdf B.pdf: every page of both at 72 dpi, byte for byte
same_pixels() {
  local a=$1 b=$2 d=$T/px.$RANDOM f n=0
  mkdir -p "$d"
  pdftoppm -r 72 -png "$a" "$d/a" && pdftoppm -r 72 -png "$b" "$d/b" || return 1
  for f in "$d"/a-*.png; do
    cmp -s "$f" "$d/b-${f##*/a-}" || return 1
    n=$((n + 1))
  done
  [ "$n" -gt 0 ] && [ "$(ls "$d"/b-*.png | wc -l)" -eq "$n" ]
}

# ==== 1. A fillable pack for every role ====
{
  echo "name,role,level,id,reviewer,date"
  i=0
  while IFS=$'\t' read -r role _; do
    for lv in $("$SKILLBOOK" list levels "$CAT" 2>/dev/null | cut -f1); do
      if "$SKILLBOOK" sheet "$CAT" -q --role "$role" --from "$lv" \
          -o "$T/probe.trace" >/dev/null 2>&1; then
        i=$((i + 1))
        echo "Person $i,$role,$lv,p$i.$role,Grace Hopper,2026-12-0$((i % 9 + 1))"
        break
      fi
    done
  done < <("$SKILLBOOK" list roles "$CAT" 2>/dev/null)
} >"$T/people.csv"
nroles=$("$SKILLBOOK" list roles "$CAT" 2>/dev/null | wc -l)
[ "$(($(wc -l <"$T/people.csv") - 1))" -eq "$nroles" ] &&
  ok "a person for each of the $nroles roles" || bad "people list" "$(cat "$T/people.csv")"
S reviews "$CAT" --people "$T/people.csv" --fillable -o "$T/fill" &&
  ok "reviews --fillable" || bad "reviews --fillable" "$(head -3 "$T/err")"
S reviews "$CAT" --people "$T/people.csv" -o "$T/plain" &&
  ok "reviews (plain)" || bad "reviews (plain)" "$(head -3 "$T/err")"
while IFS=, read -r name role lv id rev date; do
  [ "$name" = name ] && continue
  f="$T/fill/$id.pdf"
  [ -f "$f" ] || { bad "no pack $id.pdf" "$(ls "$T/fill")"; continue; }
  # the plain sheet of the same review: the boxes the fields lie over
  "$SKILLBOOK" sheet "$CAT" -q --role "$role" --from "$lv" --pack \
    --person "$name" --reviewer "$rev" --date "$date" -o "$T/$id.trace" >/dev/null 2>&1
  lib check "$f" "$T/$id.trace" "$(echo "$id" | tr '.' '~')" "$TTF" pack
done <"$T/people.csv"

# ==== 2. PDF/UA and PDF/A: the checker passes, and can fail ====
"$DPY" "$CHECK" "$T"/fill/*.pdf "$T"/fill/by-reviewer/*.pdf >"$T/ua" 2>&1 &&
  ok "every fillable pack and book passes pdfua_check.py" ||
  bad "pdfua_check.py" "$(head -5 "$T/ua")"
first=$(ls "$T"/fill/*.pdf | head -1)
while IFS= read -r line; do
  case $line in
    "ok - "*) ok "${line#ok - }" ;;
    *) bad "mutation: $line" ;;
  esac
done < <("$DPY" "$SRC/tests/cli/pdfua_lib.py" mutate-form "$first" "$T" 2>&1)

# ==== 3. A blank fillable sheet prints as the plain one ====
R=(--role backend-engineer --from middle)
V=(--person "Анна Müller-Łukasiewicz" --reviewer "Grace Hopper" --date 2026-03-17)
S sheet "$CAT" "${R[@]}" -o "$T/s.pdf" && S sheet "$CAT" "${R[@]}" --fillable -o "$T/sf.pdf" &&
  check "a blank fillable sheet: the plain sheet's pixels" same_pixels "$T/s.pdf" "$T/sf.pdf"
S sheet "$CAT" "${R[@]}" --pack "${V[@]}" -o "$T/p.pdf" &&
  S sheet "$CAT" "${R[@]}" --pack "${V[@]}" --fillable -o "$T/pf.pdf" &&
  check "a fillable pack with printed name, reviewer, date: the plain pack's pixels" \
    same_pixels "$T/p.pdf" "$T/pf.pdf"
S sheet "$CAT" "${R[@]}" --pack "${V[@]}" --no-tags -o "$T/pn.pdf" &&
  S sheet "$CAT" "${R[@]}" --pack "${V[@]}" --fillable --no-tags -o "$T/pfn.pdf" &&
  check "the same with --no-tags" same_pixels "$T/pn.pdf" "$T/pfn.pdf"
S sheet "$CAT" "${R[@]}" --pack "${V[@]}" -o "$T/p.trace" &&
  S sheet "$CAT" "${R[@]}" --pack "${V[@]}" --fillable -o "$T/pf.trace" &&
  check "the fillable trace is the plain trace and its FIELD lines" \
    cmp -s "$T/p.trace" <(grep -v '^field ' "$T/pf.trace")
n=$(grep -c '^field ' "$T/pf.trace")
nr=$(grep -c '^field radio' "$T/pf.trace")
nm=$(grep -c '^field multiline' "$T/pf.trace")
[ "$nr" -eq $((9 * nm)) ] && [ "$n" -eq $((nr + nm + 5)) ] && [ "$nm" -gt 0 ] &&
  ok "trace: $n FIELD ops ($nr buttons, $nm notes, 5 header and sign-off)" ||
  bad "trace FIELD ops" "$n $nr $nm"
grep -q '^field text .*name=sb:_:_head:name value$' "$T/pf.trace" &&
  ok "trace: the name field starts with its printed value" || bad "trace value"
"$DPY" - "$T/p.pdf" "$T/pf.pdf" <<'EOF' && ok "the plain pack has no AcroForm, no widget" || bad "plain pack has a form"
import sys, pikepdf
p = pikepdf.open(sys.argv[1])
assert "/AcroForm" not in p.Root
assert not any(a.get("/Subtype") == "/Widget" for pg in p.pages for a in pg.obj.get("/Annots") or [])
q = pikepdf.open(sys.argv[2])
v = {str(f.T): str(f.V) for f in q.Root.AcroForm.Fields if "/V" in f}
assert v["sb:_:_head:name"] == "Анна Müller-Łukasiewicz", v
assert v["sb:_:_head:date"] == "17 March 2026", v
EOF

# ==== 4. Filled: the ticks and the text appear ====
lib check "$T/pf.pdf" "$T/p.trace" _ "$TTF" pack
"$DPY" "$LIB" fill "$T/pf.pdf" "$T/filled.pdf" "Ведёт ревью API: Müller café" &&
  qpdf --generate-appearances "$T/filled.pdf" "$T/filled-q.pdf" &&
  pdftoppm -r 72 -png -f 1 -l 1 "$T/pf.pdf" "$T/blank" &&
  pdftoppm -r 72 -png -f 1 -l 1 "$T/filled-q.pdf" "$T/fq" || bad "fill, qpdf, pdftoppm"
for q in self manager agreed; do
  r=$("$DPY" "$LIB" boxdiff "$T/blank-1.png" "$T/fq-1.png" "$T/pf.pdf" 1 "$q")
  # each group has one chosen button of three: a third of its boxes change
  set -- $r
  [ "$1" -gt 0 ] && [ $(($1 * 3)) -eq "$3" ] &&
    ok "qpdf --generate-appearances: the $q ticks appear ($r)" || bad "$q ticks" "$r"
done
"$DPY" "$LIB" fill "$T/pf.pdf" "$T/need.pdf" "Ведёт ревью API: Müller café" need &&
  "$DPY" "$LIB" fill "$T/pf.pdf" "$T/need2.pdf" "Щука жжёт щи: Ўўў" need &&
  pdftoppm -r 72 -png -f 1 -l 1 "$T/need.pdf" "$T/nd" &&
  pdftoppm -r 72 -png -f 1 -l 1 "$T/need2.pdf" "$T/nd2" 2>/dev/null || bad "poppler fill"
r=$("$DPY" "$LIB" boxdiff "$T/blank-1.png" "$T/nd-1.png" "$T/pf.pdf" 1 notes)
set -- $r
[ "$1" -gt 0 ] && [ "$1" -eq "$3" ] && ok "poppler draws the typed notes ($r)" || bad "typed notes" "$r"
r=$("$DPY" "$LIB" boxdiff "$T/nd-1.png" "$T/nd2-1.png" "$T/pf.pdf" 1 notes)
set -- $r
[ "$1" -gt 0 ] && [ "$1" -eq "$3" ] &&
  ok "two Cyrillic answers draw differently: real glyphs ($r)" || bad "Cyrillic glyphs" "$r"
r=$("$DPY" "$LIB" boxdiff "$T/blank-1.png" "$T/nd-1.png" "$T/pf.pdf" 1 reviewer)
case $r in "1 of 1 "*) ok "poppler redraws the reviewer typed over the printed one" ;;
  *) bad "typed reviewer" "$r" ;; esac

# ==== 5. --no-tags: the form and the identity, no PDF/A claims ====
"$DPY" - "$T/pfn.pdf" <<'EOF' && ok "--no-tags: fields, XMP identity, no pdfaid, no structure" || bad "--no-tags form"
import sys, pikepdf
p = pikepdf.open(sys.argv[1])
assert len(p.Root.AcroForm.Fields) > 5
assert "/StructTreeRoot" not in p.Root
x = p.Root.Metadata.read_bytes()
assert b"pdfaid" not in x and b"<sbpack:formVersion>1<" in x and b"<sbpack:role>backend-engineer<" in x
with p.open_metadata() as m:
    assert m.get("{https://skillbook.dev/ns/pack/1.0/}to") == "senior"
w = [a for pg in p.pages for a in pg.obj.get("/Annots") or [] if a.get("/Subtype") == "/Widget"]
assert w and all("/StructParent" not in a for a in w)
EOF

# ==== 6. batch --people, books, the cost ====
S batch "$CAT" --people "$T/people.csv" -o "$T/b" && ok "batch --people" || bad "batch" "$(head -3 "$T/err")"
"$SKILLBOOK" batch "$CAT" --people "$T/people.csv" --fillable -o "$T/b" >"$T/out" 2>&1
grep -q "^skillbook batch: [1-9][0-9]* written" "$T/out" &&
  ok "batch --people --fillable renders the packs again" || bad "batch --fillable" "$(tail -2 "$T/out")"
"$SKILLBOOK" batch "$CAT" --people "$T/people.csv" --fillable -o "$T/b" >"$T/out" 2>&1
grep -q "^skillbook batch: 0 written" "$T/out" &&
  ok "and not a second time" || bad "batch --fillable again" "$(tail -2 "$T/out")"
"$DPY" - "$T/b/reviews"/*.pdf <<'EOF' && ok "batch: every pack is fillable" || bad "batch packs"
import sys, pikepdf
for f in sys.argv[1:]:
    assert "/AcroForm" in pikepdf.open(f).Root, f
EOF
S batch "$CAT" --fillable -o "$T/b2"
[ $? -eq 2 ] && ok "--fillable without --people: exit 2" || bad "--fillable alone"
book=$(ls "$T"/fill/by-reviewer/*.pdf | head -1)
"$DPY" - "$book" "$nroles" <<'EOF' && ok "a reviewer's book carries every pack's fields" || bad "book fields"
import sys, pikepdf
p = pikepdf.open(sys.argv[1])
persons = {str(f.T).split(":")[1] for f in p.Root.AcroForm.Fields}
assert len(persons) == int(sys.argv[2]), persons
with p.open_metadata() as m:
    assert m.get("{https://skillbook.dev/ns/pack/1.0/}formVersion") == "1"
    assert m.get("{https://skillbook.dev/ns/pack/1.0/}person") is None
EOF
pb=$(cat "$T"/plain/*.pdf | wc -c) fb=$(cat "$T"/fill/*.pdf | wc -c)
np=$(ls "$T"/fill/*.pdf | wc -l)
echo "# bytes: $np plain packs $pb, fillable $fb (+$(((fb - pb) / np)) a pack)"
[ "$fb" -gt "$pb" ] && ok "cost measured" || bad "cost"
finish
