#!/bin/bash
# tests/cli/styles.sh -- styles and languages (docs/styles.md).
# Every document kind (handbook, sheet, profile) in every bundled style
# (default, letter, ink-saver, branded, and branded read as a FILE) and
# every language (en, es, ru): the labels of that language in pdftotext,
# every font embedded, pdftotext and qpdf without a complaint, and in the
# trace no text op outside the page or its margins box; the style errors
# (file:line, exit 4, nothing written), BCP 47 fallback, localised dates,
# the example catalogues in their own language.
# Env (set by ctest): SKILLBOOK (the program), SRC (source tree).
# Prints "N passed, N failed"; exit status 1 if anything failed.

SB_TEST_NAME=styles
. "$(dirname "$0")/lib.bash"

export SOURCE_DATE_EPOCH=1773705600   # 2026-03-17
ROLE=backend-engineer
SKILL=serverless-functions

render() { # KIND STYLE LANG FORMAT OUT
  local kind=$1 style=$2 lang=$3 fmt=$4 out=$5
  case $kind in
    handbook) "$SKILLBOOK" handbook --role $ROLE --style "$style" --lang "$lang" --format "$fmt" -o "$out" ;;
    sheet) "$SKILLBOOK" sheet --role $ROLE --from junior --to senior --person "Ann Lee" \
             --reviewer "Bo Diaz" --style "$style" --lang "$lang" --format "$fmt" -o "$out" ;;
    profile) "$SKILLBOOK" profile --skill $SKILL --style "$style" --lang "$lang" --format "$fmt" -o "$out" ;;
  esac
}

# labels KIND LANG: words that must be printed (one per line)
labels() {
  case $1/$2 in
    handbook/en) printf '%s\n' "Contents" "page 2 of" "Mandatory" "Optional" "Level" "17 March 2026" ;;
    handbook/es) printf '%s\n' "Índice" "página 2 de" "Obligatorio" "Opcional" "Nivel" "17 de marzo de 2026" ;;
    handbook/ru) printf '%s\n' "Содержание" "страница 2 из" "Обязательно" "Желательно" "Уровень" "17 марта 2026 г." ;;
    sheet/en) printf '%s\n' "Current level" "Target level" "Reviewer" "Mandatory" ;;
    sheet/es) printf '%s\n' "Nivel actual" "Nivel objetivo" "Evaluador" "Obligatorio" ;;
    sheet/ru) printf '%s\n' "Текущий уровень" "Целевой уровень" "Оценивающий" "Обязательно" ;;
    profile/en) printf '%s\n' "Mandatory" "Expectations per level" "page 1 of" ;;
    profile/es) printf '%s\n' "Obligatorio" "Expectativas por nivel" "página 1 de" ;;
    profile/ru) printf '%s\n' "Обязательно" "Ожидания по уровням" "страница 1 из" ;;
  esac
}

# check_trace NAME TRACE: text inside the page, and inside the left and
# right margins box (x >= left - 0.5, x + w <= right + 0.5); baselines
# inside the page.
check_trace() {
  local name=$1 trace=$2 out
  out=$(awk -v ml="$3" -v mr="$4" '
    /^page / { split($3, d, "x"); pw = d[1]; ph = d[2]; next }
    /^text / {
      x = y = w = ""
      for (i = 2; i <= NF; i++) {
        if ($i ~ /^x=/) x = substr($i, 3) + 0
        else if ($i ~ /^y=/) y = substr($i, 3) + 0
        else if ($i ~ /^w=/) w = substr($i, 3) + 0
      }
      if (x < 0 || x + w > pw + 0.01 || y <= 0 || y >= ph) { print "off page: " $0; n++ }
      else if (x < ml - 0.5 || x + w > pw - mr + 0.5) { print "outside margins: " $0; n++ }
    }
    END { exit n > 0 }' "$trace" | head -3)
  if [ -z "$out" ]; then ok; else bad "$name: $out"; fi
}

# margins (points) of the bundled styles, left and right
margins() { case $1 in *branded*) echo "56.69 56.69" ;; *) echo "51.02 51.02" ;; esac; }

cp "$SRC/styles/branded.xml" "$SRC/styles/branded-logo.png" "$T/"
STYLES="default letter ink-saver branded $T/branded.xml"
for kind in handbook sheet profile; do
  for style in $STYLES; do
    for lang in en es ru; do
      name="$kind/$(basename "$style")/$lang"
      pdf=$T/out.pdf
      if render $kind "$style" $lang pdf "$pdf" >/dev/null 2>"$T/err"; then ok; else
        bad "$name: render failed: $(grep -v 'printed as a gap' "$T/err" | head -2)"; continue; fi
      if pdftotext "$pdf" "$T/out.txt" 2>"$T/err" && [ ! -s "$T/err" ]; then ok; else
        bad "$name: pdftotext: $(head -2 "$T/err")"; fi
      missing=""
      while IFS= read -r w; do
        tr '\n' ' ' <"$T/out.txt" | tr -s ' ' | grep -qF -- "$w" || missing="$missing '$w'"
      done < <(labels $kind $lang)
      if [ -z "$missing" ]; then ok; else bad "$name: labels not printed:$missing"; fi
      out=$(pdffonts "$pdf" 2>&1 | tail -n +3 | awk '{ if ($(NF-4) != "yes") print }')
      if [ -z "$out" ]; then ok; else bad "$name: font not embedded: $out"; fi
      if qpdf --check "$pdf" >"$T/q" 2>&1; then ok; else bad "$name: qpdf --check"; fi
      if render $kind "$style" $lang trace "$T/out.trace" >/dev/null 2>&1; then
        # shellcheck disable=SC2046
        check_trace "$name" "$T/out.trace" $(margins "$style")
      else bad "$name: trace failed"; fi
    done
  done
done

# The page of each style, from the first page of a handbook trace
pagesize() { render handbook "$1" en trace - 2>/dev/null | awk '/^page 1 /{print $3; exit}'; }
[ "$(pagesize default)" = "595.28x841.89" ] && ok || bad "default is not A4: $(pagesize default)"
[ "$(pagesize letter)" = "612.00x792.00" ] && ok || bad "letter is not Letter: $(pagesize letter)"
# sheets turn the page (orientation in the style)
s=$(render sheet default en trace - 2>/dev/null | awk '/^page 1 /{print $3; exit}')
[ "$s" = "841.89x595.28" ] && ok || bad "sheet is not landscape: $s"
# ink-saver: no colour (every fill and stroke grey)
n=$(render handbook ink-saver en trace - 2>/dev/null | grep -oE '#[0-9a-f]{6}' | sort -u |
    awk '{ r = substr($0, 2, 2); g = substr($0, 4, 2); b = substr($0, 6, 2); if (r != g || g != b) print }' | wc -l)
[ "$n" = 0 ] && ok || bad "ink-saver prints $n colours"
# branded: the logo on the cover, the footer text
render handbook branded en trace "$T/b.trace" >/dev/null 2>&1
grep -q '^image ' "$T/b.trace" && ok || bad "branded: no logo image op"
grep -q 'Example Corp' "$T/b.trace" && ok || bad "branded: no footer text"
render handbook branded en pdf "$T/b.pdf" >/dev/null 2>&1
[ "$(pdfimages -list "$T/b.pdf" 2>/dev/null | tail -n +3 | wc -l)" -ge 1 ] && ok || bad "branded: no image in the PDF"

# --- languages: BCP 47 prefix, unknown language, catalogue default
render handbook default en-GB pdf "$T/gb.pdf" >/dev/null 2>"$T/err"
grep -q "no labels" "$T/err" && bad "en-GB warned" || ok
pdftotext "$T/gb.pdf" - | grep -q "Contents" && ok || bad "en-GB is not English"
render handbook default es-MX pdf "$T/mx.pdf" >/dev/null 2>&1
pdftotext "$T/mx.pdf" - | grep -q "Índice" && ok || bad "es-MX is not Spanish"
render handbook default de pdf "$T/de.pdf" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 0 ] && [ "$(grep -c "no labels for language 'de'" "$T/err")" = 1 ] && ok ||
  bad "unknown language: exit $rc, want one warning: $(head -3 "$T/err")"
pdftotext "$T/de.pdf" - | grep -q "Contents" && ok || bad "de did not fall back to English"
for l in es ru; do
  cat=$SRC/catalog/examples/$l
  role=$("$SKILLBOOK" list roles "$cat" 2>/dev/null | head -1 | cut -f1)
  if "$SKILLBOOK" handbook "$cat" --role "$role" -o "$T/ex.pdf" >/dev/null 2>"$T/err"; then ok; else
    bad "examples/$l: $(head -2 "$T/err")"; fi
  want=$(labels handbook $l | head -1)
  pdftotext "$T/ex.pdf" - | grep -qF "$want" && ok || bad "examples/$l: not in its language ($want)"
  "$SKILLBOOK" handbook "$cat" --role "$role" --format trace -o "$T/ex.trace" >/dev/null 2>&1
  check_trace "examples/$l" "$T/ex.trace" 51.02 51.02
done

# --- bad style files: file:line, exit 4, nothing written
bad_style() { # NAME EXPECT-EXIT EXPECT-TEXT BODY...
  local name=$1 want=$2 text=$3; shift 3
  printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' \
    '<style xmlns="urn:skillbook:style:1" name="t" based-on="default">' "$@" '</style>' >"$T/bad.xml"
  rm -f "$T/never.pdf"
  "$SKILLBOOK" handbook --role $ROLE --style "$T/bad.xml" -o "$T/never.pdf" >/dev/null 2>"$T/err"
  local rc=$?
  if [ $rc = "$want" ] && grep -q "bad.xml:[0-9]*: error: .*$text" "$T/err" && [ ! -e "$T/never.pdf" ]; then ok
  else bad "bad style $name: exit $rc (want $want), $(head -2 "$T/err")"; fi
}
bad_style missing-font 4 "not found" '<fonts regular="NoSuchFont.ttf"/>'
printf 'this is not a font' >"$T/fake.ttf"
bad_style not-truetype 4 "not a TrueType font" '<fonts bold="fake.ttf"/>'
printf 'OTTOxxxxxxxx' >"$T/cff.ttf"
bad_style cff-font 4 "CFF" '<fonts italic="cff.ttf"/>'
bad_style margins 4 "impossible page" '<margins left="120mm" right="100mm"/>'
bad_style margins-tall 4 "impossible page" '<page size="A5"/>' '<margins top="150mm" bottom="100mm"/>'
bad_style unknown-key 4 "not expected" '<colour text="#000000"/>'
bad_style unknown-attr 4 "not allowed" '<margins inner="10mm"/>'
bad_style bad-colour 4 "pattern" '<colours text="red"/>'
bad_style bad-length 4 "pattern" '<margins top="10"/>'
bad_style half-page 4 "both width and height" '<page width="200mm"/>'
bad_style missing-logo 4 "logo" '<logo file="nope.png"/>'
bad_style based-on-file 4 "" '<bogus/>'
# an unknown style name, a missing style file, a file that is not a style
"$SKILLBOOK" handbook --role $ROLE --style fancy -o "$T/never.pdf" >/dev/null 2>"$T/err"
[ $? = 4 ] && grep -q "unknown style 'fancy'" "$T/err" && ok || bad "unknown style name: $(head -1 "$T/err")"
"$SKILLBOOK" handbook --role $ROLE --style "$T/none.xml" -o "$T/never.pdf" >/dev/null 2>"$T/err"
[ $? = 2 ] && ok || bad "missing style file: not exit 2: $(head -1 "$T/err")"
"$SKILLBOOK" handbook --role $ROLE --style "$SRC/catalog/00-ladder.xml" -o "$T/never.pdf" >/dev/null 2>"$T/err"
[ $? = 4 ] && grep -q "not a style file" "$T/err" && ok || bad "catalogue as style: $(head -1 "$T/err")"
[ ! -e "$T/never.pdf" ] && ok || bad "a bad style wrote output"
# a custom page in inches, landscape handbook, fonts beside the style file
cp "$SRC"/fonts/LiberationSans-*.ttf "$T/"
cat >"$T/custom.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<style xmlns="urn:skillbook:style:1" name="custom">
  <page width="8in" height="10in"/>
  <orientation handbook="landscape"/>
  <fonts regular="LiberationSans-Regular.ttf"/>
  <footer text="Custom footer line"/>
</style>
XML
s=$(render handbook "$T/custom.xml" en trace - 2>/dev/null | awk '/^page 1 /{print $3; exit}')
[ "$s" = "720.00x576.00" ] && ok || bad "custom landscape page: $s"
render handbook "$T/custom.xml" en trace "$T/c.trace" >/dev/null 2>&1
check_trace custom "$T/c.trace" 51.02 51.02
grep -q "Custom footer line" "$T/c.trace" && ok || bad "custom footer not printed"
# the batch takes --style FILE too
if "$SKILLBOOK" batch -o "$T/batch" --style "$T/custom.xml" --lang es >/dev/null 2>"$T/err"; then ok
else bad "batch --style FILE: $(grep -v 'printed as a gap' "$T/err" | head -2)"; fi
"$SKILLBOOK" batch -o "$T/batch2" --style "$T/bad.xml" >/dev/null 2>&1
[ $? = 4 ] && ok || bad "batch with a bad style is not exit 4"

finish
