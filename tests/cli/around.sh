#!/bin/bash
# tests/cli/around.sh -- around the documents (issue #16, item 7): what the
# commands print and where they write, beside the pages themselves.
#  1. index.html is in the batch's language (lang attribute, headings,
#     counts, footer), also after a merge of shards;
#  2. warnings: validate lists them all, list prints none, a document
#     command one summary line, --quiet none (errors always), --strict
#     still fails and then shows them, the batch keeps them all;
#  3. list skills shows domain and group names, and --help says the columns;
#  4. -o x.png / x.trace / x.pdf is the format when --format is not given;
#     an extension that contradicts --format is exit 2 with nothing written;
#  5. handbook --all -o FILE.pdf (or an existing file) is exit 2, nothing made;
#  6. the book of every profile is profiles.pdf, beside profiles/ (in the
#     batch with --book), so a
#     skill whose id is "all" keeps its own file (CLI and batch);
#  7. a mistyped command gets a did-you-mean;
#  8. --style naming a folder is exit 4 (a bad style), not 1;
#  9. every option a command's --help lists is accepted (and --limit,
#     --quiet are listed);
# 10. paths print clean: no "build/../", relative to the working folder
#     when under it.
# Env (set by ctest): SKILLBOOK, SRC, SHARED (optional: the Monzo catalogue).
# Prints "N passed, N failed"; exit status 1 if anything failed.

SB_TEST_NAME=around
. "$(dirname "$0")/lib.bash"

CAT=$SRC/catalog
ES=$SRC/catalog/examples/es/catalog.xml
RU=$SRC/catalog/examples/ru/catalog.xml

# ==== 7. did you mean, for commands ====
"$SKILLBOOK" hanbook >/dev/null 2>"$T/e"; rc=$?
check "hanbook: exit 2, did you mean 'handbook'" \
  sh -c "[ $rc -eq 2 ] && grep -q \"unknown command 'hanbook' (did you mean 'handbook'?)\" '$T/e'"
"$SKILLBOOK" valdate >/dev/null 2>"$T/e"; rc=$?
check "valdate: did you mean 'validate'" grep -q "did you mean 'validate'" "$T/e"
"$SKILLBOOK" xyzzyq >/dev/null 2>"$T/e"; rc=$?
check "xyzzyq: exit 2, no guess, the --help hint" \
  sh -c "[ $rc -eq 2 ] && ! grep -q 'did you mean' '$T/e' && grep -q \"skillbook --help\" '$T/e'"

# ==== 8. --style naming a folder: exit 4 ====
mkdir -p "$T/stylefolder"
for cmd in "handbook --role sre" "sheet --role sre --from junior" \
           "profile --skill kubernetes"; do
  # shellcheck disable=SC2086
  "$SKILLBOOK" $cmd "$CAT" --style "$T/stylefolder" -o "$T/sf.pdf" >/dev/null 2>"$T/e"; rc=$?
  check "${cmd%% *} --style FOLDER: exit 4 with a message, nothing written (got $rc)" \
    sh -c "[ $rc -eq 4 ] && grep -q 'a folder, not a style file' '$T/e' && [ ! -e '$T/sf.pdf' ]"
done
"$SKILLBOOK" batch "$ES" --style "$T/stylefolder" -o "$T/sfb" >/dev/null 2>&1; rc=$?
check "batch --style FOLDER: exit 4, the folder not created (got $rc)" \
  sh -c "[ $rc -eq 4 ] && [ ! -e '$T/sfb' ]"

# ==== 9. every option --help lists is accepted ====
# Each documented option is given (with a placeholder value when it takes
# one): whatever else it says, it must not be "unknown option".
for cmd in validate list handbook sheet profile batch; do
  "$SKILLBOOK" $cmd --help >"$T/help" 2>&1
  for o in --limit --quiet; do
    grep -q -- "^ .*$o" "$T/help" || bad "$cmd --help does not list $o"
  done
  n=0
  while read -r opt arg; do
    n=$((n + 1))
    args=("$opt")
    case "$arg" in [A-Z]*) args+=(x);; esac
    [ "$opt" = --limit ] && args=(--limit pages=5)
    out=(); case $cmd in handbook|sheet|profile|batch) out=(-o "$T/opt-out");; esac
    "$SKILLBOOK" $cmd "${args[@]}" "${out[@]}" >/dev/null 2>"$T/e" </dev/null
    if grep -q "unknown option" "$T/e"; then bad "$cmd $opt" "$(head -1 "$T/e")"; fi
  done < <(sed -n 's/^ *\(-., \)\?\(--[a-z-]*\)\( [A-Z|=]*\)\?.*/\2 \3/p' "$T/help" |
           grep -v '^--help')
  check "$cmd: its $n documented options are accepted" [ "$n" -ge 2 ]
done
rm -rf "$T/opt-out"
for cmd in handbook sheet profile; do
  "$SKILLBOOK" $cmd --help | grep -q -- "--limit NAME=VALUE" && ok ||
    bad "$cmd --help does not show --limit NAME=VALUE"
done

# ==== 3. list skills: names, columns documented ====
"$SKILLBOOK" list skills "$CAT" >"$T/skills" 2>"$T/e"
check "list skills: domain and group by name" \
  grep -qP '^kubernetes\tKubernetes Operations\tCloud & Infrastructure\tContainers & Orchestration$' "$T/skills"
check "list skills: no domain id in the domain column" \
  sh -c "! cut -f3 '$T/skills' | grep -qx 'cloud-infrastructure'"
"$SKILLBOOK" list skills "$ES" 2>/dev/null | grep -qP '^kubernetes\tOrquestación con Kubernetes\tNube e infraestructura\tContenedores$' &&
  ok "list skills (es): names in the catalogue's language" || bad "list skills (es)" "$("$SKILLBOOK" list skills "$ES" 2>&1 | head -2)"
"$SKILLBOOK" list --help >"$T/h"
check "list --help documents the columns" grep -q "skills  ID  NAME  DOMAIN  GROUP" "$T/h"

# ==== 2. warnings ====
# the bundled catalogue has gap warnings; Monzo's (7) when SHARED is set
nw=$("$SKILLBOOK" validate "$CAT" 2>&1 | grep -c ': warning: ')
check "validate lists every warning ($nw)" [ "$nw" -ge 1 ]
"$SKILLBOOK" list roles "$CAT" >"$T/o" 2>"$T/e"
check "list roles: no warnings on stderr, the roles on stdout" \
  sh -c "[ ! -s '$T/e' ] && [ \$(wc -l <'$T/o') -eq 10 ]"
(cd "$T" && "$SKILLBOOK" handbook "$CAT" --role sre >/dev/null 2>"$T/e")
check "handbook: one summary line instead of $nw warnings" \
  sh -c "[ \$(wc -l <'$T/e') -eq 1 ] && grep -q \"^skillbook handbook: $nw warnings in the catalogue; 'skillbook validate .*' lists them\$\" '$T/e'"
"$SKILLBOOK" sheet "$CAT" --role sre --from junior -o "$T/q.pdf" -q >/dev/null 2>"$T/e"; rc=$?
check "sheet -q: exit 0, nothing on stderr" sh -c "[ $rc -eq 0 ] && [ ! -s '$T/e' ]"
"$SKILLBOOK" profile "$CAT" --all -o "$T/q.pdf" --quiet >/dev/null 2>"$T/e"; rc=$?
check "profile --quiet: exit 0, nothing on stderr" sh -c "[ $rc -eq 0 ] && [ ! -s '$T/e' ]"
"$SKILLBOOK" validate "$CAT" --quiet >/dev/null 2>"$T/e"; rc=$?
check "validate --quiet: no warning lines, the summary stays" \
  sh -c "[ $rc -eq 0 ] && ! grep -q ': warning: ' '$T/e'"
"$SKILLBOOK" handbook "$CAT" --role sre --strict -q -o "$T/strict.pdf" >/dev/null 2>"$T/e"; rc=$?
check "--strict -q: exit 3, the warnings that fail it shown, nothing written" \
  sh -c "[ $rc -eq 3 ] && [ \$(grep -c ': warning: ' '$T/e') -eq $nw ] && [ ! -e '$T/strict.pdf' ]"
"$SKILLBOOK" handbook "$CAT" --role sre --lang xx -o "$T/xx.pdf" >/dev/null 2>"$T/e"
check "a warning about the document itself (--lang xx) is printed in full" \
  grep -q "no labels for language 'xx'" "$T/e"
"$SKILLBOOK" handbook "$CAT" --role sre --lang xx -q -o "$T/xx.pdf" >/dev/null 2>"$T/e"
check "... and -q silences it" sh -c "[ ! -s '$T/e' ]"
printf '<catalog xmlns="urn:skillbook:catalog:1"><oops/></catalog>\n' >"$T/broken.xml"
"$SKILLBOOK" handbook "$T/broken.xml" --role x -q >/dev/null 2>"$T/e"; rc=$?
check "-q never silences errors (exit 3, error printed)" \
  sh -c "[ $rc -eq 3 ] && grep -q 'error' '$T/e'"
"$SKILLBOOK" handbook "$CAT" --all -o "$T/all" -j 2 >/dev/null 2>"$T/e"
check "handbook --all: the summary line once" \
  sh -c "[ \$(wc -l <'$T/e') -eq 1 ] && grep -q 'warnings in the catalogue' '$T/e'"
"$SKILLBOOK" batch "$CAT" -o "$T/bb" -j 2 2>"$T/e" >/dev/null
check "batch: the log keeps every catalogue warning ($nw)" \
  sh -c "[ \$(grep -c ': warning: .*printed as a gap' '$T/e') -ge $nw ]"
if [ -n "$SHARED" ] && [ -f "$SHARED/data/real/monzo-engineering.xml" ]; then
  M=$SHARED/data/real/monzo-engineering.xml
  "$SKILLBOOK" list roles "$M" >"$T/o" 2>"$T/e"
  check "Monzo: list roles prints the 4 roles and no warning" \
    sh -c "[ ! -s '$T/e' ] && [ \$(wc -l <'$T/o') -eq 4 ]"
  "$SKILLBOOK" handbook "$M" --role backend-engineer -o "$T/m.pdf" >/dev/null 2>"$T/e"
  check "Monzo: handbook prints one line for its 7 warnings" \
    sh -c "[ \$(wc -l <'$T/e') -eq 1 ] && grep -q '7 warnings in the catalogue' '$T/e'"
fi

# ==== 4. the format from -o's extension ====
H=(handbook "$ES" --role cloud-engineer)
"$SKILLBOOK" "${H[@]}" -o "$T/x.png" >/dev/null 2>&1
check "-o x.png writes a PNG" sh -c "file -b '$T/x.png' | grep -q '^PNG image'"
"$SKILLBOOK" "${H[@]}" -o "$T/x.trace" >/dev/null 2>&1
check "-o x.trace writes the trace" grep -q '^page ' "$T/x.trace"
"$SKILLBOOK" "${H[@]}" -o "$T/x.PDF" >/dev/null 2>&1
check "-o x.PDF writes a PDF" sh -c "head -c 5 '$T/x.PDF' | grep -q '%PDF-'"
"$SKILLBOOK" "${H[@]}" -o "$T/x.out" >/dev/null 2>&1
check "-o x.out (no known extension) writes a PDF" sh -c "head -c 5 '$T/x.out' | grep -q '%PDF-'"
"$SKILLBOOK" "${H[@]}" -o - 2>/dev/null | head -c 5 | grep -q '%PDF-' && ok || bad "-o - writes a PDF"
"$SKILLBOOK" "${H[@]}" -o "$T/y.png" --format png --dpi 50 >/dev/null 2>&1
check "-o y.png --format png --dpi 50: a PNG" sh -c "file -b '$T/y.png' | grep -q '^PNG image'"
for c in "x1.png pdf" "x2.pdf png" "x3.trace pdf" "x4.png trace"; do
  set -- $c
  "$SKILLBOOK" "${H[@]}" -o "$T/$1" --format "$2" >/dev/null 2>"$T/e"; rc=$?
  check "-o $1 --format $2: exit 2, a message, nothing written (got $rc)" \
    sh -c "[ $rc -eq 2 ] && grep -q 'names a .* file but --format is $2' '$T/e' && [ ! -e '$T/$1' ]"
done
"$SKILLBOOK" sheet "$ES" --role cloud-engineer --from junior -o "$T/s.pdf" --dpi 100 >/dev/null 2>"$T/e"; rc=$?
check "-o s.pdf --dpi: exit 2 (--dpi is for png)" sh -c "[ $rc -eq 2 ] && [ ! -e '$T/s.pdf' ]"
"$SKILLBOOK" profile "$ES" --skill kubernetes -o "$T/p.png" --page 1 >/dev/null 2>&1
check "profile -o p.png --page 1: a PNG" sh -c "file -b '$T/p.png' | grep -q '^PNG image'"

# ==== 5. handbook --all -o FILE ====
for o in one.pdf one.PNG one.trace; do
  "$SKILLBOOK" handbook "$ES" --all -o "$T/$o" >/dev/null 2>"$T/e"; rc=$?
  check "--all -o $o: exit 2, nothing made (got $rc)" \
    sh -c "[ $rc -eq 2 ] && [ ! -e '$T/$o' ] && grep -q 'into a folder' '$T/e'"
done
: >"$T/plainfile"
"$SKILLBOOK" handbook "$ES" --all -o "$T/plainfile" >/dev/null 2>"$T/e"; rc=$?
check "--all -o an existing file: exit 2" sh -c "[ $rc -eq 2 ] && [ ! -s '$T/plainfile' ]"
mkdir -p "$T/dir.pdf"
"$SKILLBOOK" handbook "$ES" --all -o "$T/dir.pdf" >"$T/o" 2>/dev/null; rc=$?
check "--all -o an existing folder named dir.pdf: written into it" \
  sh -c "[ $rc -eq 0 ] && [ -s '$T/dir.pdf/cloud-engineer.pdf' ]"

# ==== 6. the book of profiles: profiles.pdf, beside profiles/ ====
# a catalogue whose skill is named "all"
sed 's/<skill id="kubernetes"/<skill id="all"/' "$ES" >"$T/all.xml"
mkdir -p "$T/cwd"
(cd "$T/cwd" && "$SKILLBOOK" profile "$T/all.xml" --all >"$T/o1" 2>/dev/null &&
  "$SKILLBOOK" profile "$T/all.xml" --skill all >"$T/o2" 2>/dev/null)
check "profile --all: out/profiles.pdf; --skill all: out/profiles/all.pdf" \
  sh -c "[ \"\$(cat '$T/o1')\" = out/profiles.pdf ] && [ \"\$(cat '$T/o2')\" = out/profiles/all.pdf ]"
b1=$(pdfinfo "$T/cwd/out/profiles.pdf" 2>/dev/null | awk '/^Pages:/{print $2}')
b2=$(pdfinfo "$T/cwd/out/profiles/all.pdf" 2>/dev/null | awk '/^Pages:/{print $2}')
check "the book ($b1 pages) and the skill 'all' ($b2) are two documents" \
  sh -c "[ -n '$b1' ] && [ -n '$b2' ] && ! cmp -s '$T/cwd/out/profiles.pdf' '$T/cwd/out/profiles/all.pdf'"
"$SKILLBOOK" batch "$T/all.xml" -o "$T/ball" -j 2 --book >/dev/null 2>&1; rc=$?
check "batch of it: exit 0 (got $rc)" [ $rc -eq 0 ]
"$PY" - "$T/ball" <<'EOF' >"$T/py" 2>&1 && ok "batch: profiles.pdf and profiles/all.pdf, each in the manifest and the index" || bad "batch book" "$(cat "$T/py")"
import json, os, re, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))
by = {e["path"]: e for e in m["documents"]}
book, skill = by.get("profiles.pdf"), by.get("profiles/all.pdf")
assert book and skill, sorted(by)
assert book["kind"] == "profile" and "skill" not in book, book
assert skill.get("skill") == "all", skill
assert book["thumb"]["path"] == "profiles.png", book["thumb"]
for p in ("profiles.pdf", "profiles.png", "profiles/all.pdf", "profiles/all.png"):
    assert os.path.getsize(os.path.join(d, p)) > 0, p
assert book["pages"] > skill["pages"], (book["pages"], skill["pages"])
html = open(os.path.join(d, "index.html"), encoding="utf-8").read()
assert 'href="profiles.pdf"' in html and 'src="profiles.png"' in html
assert 'href="profiles/all.pdf"' in html
EOF
(cd "$T/ball" && pdftotext profiles.pdf - 2>/dev/null | grep -q "Orquestación con Kubernetes") &&
  ok "the book holds the skill 'all' too" || bad "the book lacks the skill 'all'"
"$SKILLBOOK" batch "$T/all.xml" -o "$T/bnobook" -j 2 >/dev/null 2>&1; rc=$?
check "batch without --book: exit 0, no profiles.pdf, the profiles all there (got $rc)" \
  sh -c "[ $rc -eq 0 ] && [ ! -e '$T/bnobook/profiles.pdf' ] && [ -s '$T/bnobook/profiles/all.pdf' ] && ! grep -q 'href=\"profiles.pdf\"' '$T/bnobook/index.html'"

# ==== 1. index.html in the batch's language ====
"$SKILLBOOK" batch "$RU" -o "$T/bru" -j 2 --book >/dev/null 2>&1
"$SKILLBOOK" batch "$RU" --shard 1/2 -o "$T/sh1" -j 2 --book >/dev/null 2>&1
"$SKILLBOOK" batch "$RU" --shard 2/2 -o "$T/sh2" -j 2 --book >/dev/null 2>&1
"$SKILLBOOK" batch --merge "$T/sh1" "$T/sh2" -o "$T/bmerged" >/dev/null 2>&1
"$SKILLBOOK" batch "$ES" -o "$T/bes" -j 2 >/dev/null 2>&1
"$SKILLBOOK" batch "$ES" --lang en -o "$T/ben" -j 2 >/dev/null 2>&1
"$PY" - "$T" <<'EOF' >"$T/py" 2>&1 && ok "index.html: ru, es (and en with --lang en), merged shards too" || bad "index language" "$(cat "$T/py")"
import os, re, sys
t = sys.argv[1]
ENGLISH = ["Level comparison sheets", "Skill profiles", "Career-path handbook",
           " documents", " pages", "First page of", "Made by",
           "Each document is a PDF", "Every skill profile", ">Other<"]
def page(d):
    return open(os.path.join(t, d, "index.html"), encoding="utf-8").read()
def words(h):  # the text a reader sees (and the alt texts), not the CSS
    body = h.split("<body>", 1)[1]
    alts = " ".join(re.findall(r'alt="([^"]*)"', body))
    return re.sub(r"<[^>]+>", " ", body) + " " + alts
for d, lang, want in (("bru", "ru", ["Листы сравнения уровней", "Профили навыков",
                                      "Справочник карьерного пути", "Документов: ",
                                      "страниц: ", "Первая страница:",
                                      "Все профили навыков в одной книге"]),
                      ("bmerged", "ru", ["Листы сравнения уровней", "Документов: "]),
                      ("bes", "es", ["Hojas de comparación de niveles",
                                     "Perfiles de competencias", " documentos",
                                     " páginas", "Primera página de"])):
    h = page(d)
    assert '<html lang="%s">' % lang in h, (d, h[:80])
    w = words(h)
    for x in want:
        assert x in w, (d, x)
    for x in ENGLISH:
        assert x not in w, (d, x)
h = page("ben")
assert '<html lang="en">' in h and "Level comparison sheets" in h and " documents, " in h
EOF
cmp -s "$T/bru/index.html" "$T/bmerged/index.html" && ok "merged shards: the same index.html" ||
  bad "merged shards' index.html differs from the whole batch's"

# ==== 10. clean paths ====
# no SKILLBOOK_DATA: the program finds the catalogue beside its build folder
if [ "$(dirname "$SKILLBOOK")" = "$SRC/build" ]; then
  (cd "$SRC" && env -u SKILLBOOK_DATA "$SKILLBOOK" validate) >"$T/o" 2>"$T/e"
  check "validate from the source folder: 'catalog/...', no '..'" \
    sh -c "grep -q '^catalog/.*: warning: ' '$T/e' && grep -q '^catalog: ' '$T/o' && ! grep -q '\.\./' '$T/e' '$T/o'"
  (cd "$T" && env -u SKILLBOOK_DATA "$SKILLBOOK" handbook --role sre -o x.pdf) >"$T/o" 2>"$T/e"
  check "handbook from elsewhere: the catalogue named without '..'" \
    sh -c "grep -q \"'skillbook validate' lists them\" '$T/e' && ! grep -q '\.\./' '$T/e'"
  (cd "$T" && env -u SKILLBOOK_DATA "$SKILLBOOK" validate --strict) >"$T/o" 2>"$T/e"
  check "validate from elsewhere: absolute paths without '..'" \
    sh -c "grep -q '^$SRC/catalog/.*: warning: ' '$T/e' && ! grep -q '\.\./' '$T/e'"
fi
(cd "$SRC" && "$SKILLBOOK" validate build/../catalog/./) >"$T/o" 2>"$T/e"
check "validate build/../catalog/./ names 'catalog/...'" \
  sh -c "grep -q '^catalog/[0-9a-z-]*\.xml:[0-9]*: warning: ' '$T/e' && grep -q '^catalog: ' '$T/o' && ! grep -q '\.\.' '$T/e' '$T/o'"
(cd "$SRC" && "$SKILLBOOK" handbook build/../catalog --role sre --strict -o "$T/never.pdf") >/dev/null 2>"$T/e"
check "--strict warnings name 'catalog/...'" \
  sh -c "grep -q '^catalog/.*: warning: ' '$T/e' && ! grep -q '\.\.' '$T/e'"
mkdir -p "$T/sub/deeper"
(cd "$T" && "$SKILLBOOK" sheet "$ES" --role cloud-engineer --from junior -o ./sub/deeper/../x.pdf) >"$T/o" 2>/dev/null
check "the document's path prints clean: sub/x.pdf" \
  sh -c "[ \"\$(cat '$T/o')\" = sub/x.pdf ] && [ -s '$T/sub/x.pdf' ]"
# a link: "link/.." is not lexically "", so what was typed stays
mkdir -p "$T/real/inner"
ln -s "$T/real/inner" "$T/link"
(cd "$T" && "$SKILLBOOK" sheet "$ES" --role cloud-engineer --from junior -o link/../y.pdf) >"$T/o" 2>/dev/null
check "through a symbolic link: the path as typed, and the file where it says" \
  sh -c "[ \"\$(cat '$T/o')\" = link/../y.pdf ] && [ -s '$T/real/y.pdf' ]"

finish
