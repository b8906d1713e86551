#!/bin/bash
# tests/cli/sheet_review.sh -- the review side of sheets (issue #14), read
# back with pdftotext (-bbox), pikepdf (outlines, links) and the trace:
#  1. --date printed in its field; a bad date is exit 2, nothing written
#  2. --only mandatory|changed, --domain (unknown: exit 2, did you mean),
#     --to-role (level for level, --to defaulting to the same level), the
#     summary saying what the sheet shows
#  3. long names (Latin, Cyrillic, 300 characters) wrap inside their field:
#     no word box overlaps the "Reviewer:"/"Date:" labels or leaves the page;
#     a cut name warns, and --strict fails that document (exit 1)
#  4. bookmarks per domain on a sheet of more than two pages, none on a
#     short one
#  5. one column layout on every page, a continued row repeating its skill's
#     name (generated large catalogue; Monzo backend level-4 -> 5 when the
#     reference folder is there)
#  6. the catalogue's title and version on every page
#  7. --pack: the sign-off block on one page, then every expectation of the
#     target level in full, by domain
#  8. a review book (tests/unit/test_review_book writes it): contents with
#     links to each pack's first page, a bookmark per person with its
#     domains, "page X of Y" within each pack
#  9. default paths: the batch's only for the batch's document; --person
#     Bob and --person Carol both survive; a PNG export never takes the
#     batch's thumbnail; `skillbook batch` leaves a personalised sheet alone
# Env (set by ctest): SKILLBOOK, SRC, SHARED. Prints "N passed, N failed".

SB_TEST_NAME=sheet_review
. "$(dirname "$0")/lib.bash"
CAT="$SRC/catalog"
S() { "$SKILLBOOK" sheet "$@"; }
BOOKTOOL=${SKILLBOOK_BOOK:-$(dirname "$SKILLBOOK")/tests/test_review_book}
"$PY" "$SRC/scripts/gen-catalog.py" --size small --seed 1 -o "$T/small.xml" &&
  "$PY" "$SRC/scripts/gen-catalog.py" --size large --seed 3 -o "$T/large.xml" &&
  ok || bad "gen-catalog.py"
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/{print $2}'; }
# outlines FILE: "depth<TAB>title<TAB>page" per bookmark, in order
outlines() {
  "$DPY" - "$1" <<'PYEOF'
import sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
pages = {p.objgen: i + 1 for i, p in enumerate(pdf.pages)}
def page_of(it):
    d = it.destination
    if d is None and it.action is not None:
        d = it.action.get("/D")
    try:
        return pages.get(d[0].objgen, 0)
    except Exception:
        return 0
def walk(items, depth):
    for it in items:
        print("%d\t%s\t%d" % (depth, it.title, page_of(it)))
        walk(it.children, depth + 1)
with pdf.open_outline() as o:
    walk(o.root, 0)
PYEOF
}

# ==== 1. --date ====
S "$CAT" --role sre --from senior --date 2026-12-01 -o "$T/date.pdf" >/dev/null 2>&1 &&
  pdftotext -f 1 -l 1 "$T/date.pdf" - | grep -q "1 December 2026" &&
  ok "--date printed in the date field" || bad "--date not printed"
S "$CAT" --role sre --from senior --date 2026-12-01 --lang es -o "$T/date-es.pdf" >/dev/null 2>&1 &&
  pdftotext -f 1 -l 1 "$T/date-es.pdf" - | grep -q "1 de diciembre de 2026" &&
  ok "--date in the document's language" || bad "--date --lang es"
for d in 2026-02-30 2026-13-01 26-12-01 2026-1-01 yesterday "2026-12-01x" 2025-02-29; do
  S "$CAT" --role sre --from senior --date "$d" -o "$T/never.pdf" >/dev/null 2>"$T/e"
  rc=$?
  [ $rc = 2 ] && grep -q "YYYY-MM-DD" "$T/e" && [ ! -e "$T/never.pdf" ] && ok ||
    bad "--date '$d': exit $rc $(head -1 "$T/e")"
done
S "$CAT" --role sre --from senior --date 2024-02-29 -o "$T/leap.pdf" >/dev/null 2>&1 &&
  ok || bad "--date 2024-02-29 (a leap day) refused"

# ==== 2. --only, --domain, --to-role ====
S "$CAT" --role backend-engineer --from junior -o "$T/all.pdf" >/dev/null 2>&1 || bad "plain sheet"
S "$CAT" --role backend-engineer --from junior --only mandatory -o "$T/mand.trace" >/dev/null 2>&1 &&
S "$CAT" --role backend-engineer --from junior --only mandatory -o "$T/mand.pdf" >/dev/null 2>&1 ||
  bad "--only mandatory"
t=$(pdftotext -f 1 -l 1 "$T/mand.pdf" - | tr '\n' ' ')
# every row shown is mandatory at the target: the first two figures agree
n1=$(grep -o '[0-9]* expectations at the target level' <<<"$t" | grep -o '^[0-9]*')
n2=$(grep -o '[0-9]* mandatory there' <<<"$t" | grep -o '^[0-9]*')
[ -n "$n1" ] && [ "$n1" = "$n2" ] && grep -q "showing the skills mandatory at the target level only" <<<"$t" &&
  grep -q "$n1 of [0-9]* skills shown" <<<"$t" && ok "--only mandatory: $n1 rows, all mandatory" ||
  bad "--only mandatory summary: $n1 / $n2: $t"
# rows in the trace: every target mark line says Mandatory (none "Optional"
# in the target column) -- the target column is the third
"$PY" - "$T/mand.trace" <<'PYEOF' && ok "--only mandatory: no optional target" || bad "--only mandatory shows an optional target"
import sys, re
xs = []
for line in open(sys.argv[1]):
    m = re.match(r'text f=\d s=[\d.]+ x=([\d.]+) .*"(Mandatory|Optional)"$', line.strip())
    if m: xs.append((float(m.group(1)), m.group(2)))
tx = sorted(set(round(x) for x, _ in xs))
# two columns of marks: the larger x is the target's
tgt = max(tx)
bad = [w for x, w in xs if round(x) == tgt and w == "Optional"]
sys.exit(1 if bad or not xs else 0)
PYEOF
S "$CAT" --role backend-engineer --from junior --only changed -o "$T/chg.pdf" >/dev/null 2>&1 &&
  pdftotext -f 1 -l 1 "$T/chg.pdf" - | grep -q "showing only what changes between the levels" &&
  ok "--only changed says so" || bad "--only changed"
S "$CAT" --role backend-engineer --from junior --only everything -o "$T/never.pdf" >/dev/null 2>"$T/e"
[ $? = 2 ] && [ ! -e "$T/never.pdf" ] && ok || bad "--only everything: not a usage error"
# --domain: the first domain of the catalogue; an unknown one
dom=$(grep -o '<domain id="[^"]*"' "$CAT"/*.xml | head -1 | sed 's/.*id="//;s/"//')
S "$CAT" --role backend-engineer --from junior --domain "$dom" -o "$T/dom.pdf" >/dev/null 2>&1 &&
  pdftotext -f 1 -l 1 "$T/dom.pdf" - | grep -q "Domain: " && ok "--domain $dom" || bad "--domain $dom"
S "$CAT" --role backend-engineer --from junior --domain "${dom}x" -o "$T/never.pdf" >/dev/null 2>"$T/e"
rc=$?
[ $rc = 2 ] && grep -q "did you mean" "$T/e" && [ ! -e "$T/never.pdf" ] && ok ||
  bad "--domain unknown: exit $rc $(head -1 "$T/e")"
# --to-role: backend senior -> sre senior by default
S "$CAT" --role backend-engineer --from senior --to-role sre -o "$T/cross.pdf" >/dev/null 2>&1 || bad "--to-role"
t=$(pdftotext -f 1 -l 1 "$T/cross.pdf" - | tr '\n' ' ')
grep -q "Backend Engineer → Site Reliability Engineer" <<<"$t" &&
  grep -q "Target level: Site Reliability Engineer · Senior" <<<"$t" &&
  ok "--to-role: both roles, --to the same level" || bad "--to-role title: ${t:0:300}"
S "$CAT" --role backend-engineer --from senior --to-role sre --to lead -o "$T/cross2.pdf" >/dev/null 2>&1 &&
  pdftotext -f 1 -l 1 "$T/cross2.pdf" - | grep -q "Site Reliability Engineer · Lead" && ok || bad "--to-role --to lead"
S "$CAT" --role backend-engineer --from senior --to-role sreee -o "$T/never.pdf" >/dev/null 2>"$T/e"
[ $? = 2 ] && grep -q "did you mean" "$T/e" && ok || bad "--to-role unknown"
# the large generated catalogue: the issue's figures
S "$T/large.xml" --role r01 --from l1 --to l2 -o "$T/large-all.pdf" >/dev/null 2>&1
S "$T/large.xml" --role r01 --from l1 --to l2 --only changed -o "$T/large-chg.pdf" >/dev/null 2>&1
S "$T/large.xml" --role r01 --from l1 --to l2 --only mandatory -o "$T/large-mand.pdf" >/dev/null 2>&1
pa=$(pages "$T/large-all.pdf") pc=$(pages "$T/large-chg.pdf") pm=$(pages "$T/large-mand.pdf")
echo "large r01 l1 -> l2: $pa pages, --only changed $pc, --only mandatory $pm"
[ -n "$pa" ] && [ -n "$pm" ] && [ "$pm" -lt "$pa" ] && [ "$pc" -le "$pa" ] && ok ||
  bad "large sheet page counts: $pa $pc $pm"

# ==== 3. names in the header fields ====
N="Maximiliana Alexandra Konstantinopoulou-Vanderbilt de la Fuente y Montoya"
R="Анна Сергеевна Вишневская-Кузнецова (руководитель направления)"
L300=$(printf 'Bartholomew%.0s ' $(seq 1 25) | head -c 300)
for style in default letter; do
  for who in "$N|$R" "$L300|$L300"; do
    p=${who%%|*} r=${who##*|}
    S "$CAT" --role sre --from senior --person "$p" --reviewer "$r" --date 2026-12-01 \
      --style $style -o "$T/names.pdf" >/dev/null 2>"$T/e" || { bad "names: exit $?"; continue; }
    pdftotext -bbox -f 1 -l 1 "$T/names.pdf" "$T/names.html" 2>/dev/null
    "$PY" - "$T/names.html" <<'PYEOF' && ok "names ($style, ${#p} chars): inside their fields" || bad "names ($style, ${#p} chars) overprint or leave the page"
import sys, re
html = open(sys.argv[1], encoding="utf-8").read()
pw, ph = map(float, re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html).groups())
words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in
         re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]
problems = []
for w in words:
    if w[0] < 0 or w[1] < 0 or w[2] > pw + 0.5 or w[3] > ph + 0.5:
        problems.append("off the page: %r" % (w,))
labels = [w for w in words if w[4] in ("Name:", "Reviewer:", "Date:")]
if len(labels) != 3: problems.append("labels: %r" % labels)
for l in labels:
    for w in words:
        if w is l: continue
        if w[0] < l[2] - 0.2 and w[2] > l[0] + 0.2 and w[1] < l[3] - 0.2 and w[3] > l[1] + 0.2:
            problems.append("%r overlaps %r" % (w[4], l[4]))
# every word of a field's value stays left of the next field's label
rev = [l for l in labels if l[4] == "Reviewer:"][0]
date = [l for l in labels if l[4] == "Date:"][0]
for w in words:
    # the fields' two lines: from the labels' top to a line below them
    if rev[1] - 2 <= w[1] <= rev[3] + 10 and w[0] < rev[0] and w[2] > rev[0]:
        problems.append("%r runs into Reviewer:" % w[4])
    if date[1] - 2 <= w[1] <= date[3] + 10 and w[0] < date[0] and w[2] > date[0]:
        problems.append("%r runs into Date:" % w[4])
for p in problems[:5]: print(p)
sys.exit(1 if problems else 0)
PYEOF
  done
done
# the 60-character names fit on two lines: no warning; the 300-character
# one is cut with an ellipsis and a warning naming the field
S "$T/small.xml" --role r01 --from l1 --person "$N" --reviewer "$R" --strict -o "$T/fit.pdf" >/dev/null 2>"$T/e" &&
  [ ! -s "$T/e" ] && ok "long names that fit two lines: no warning, --strict passes" ||
  bad "60-character names warn: $(head -2 "$T/e")"
S "$T/small.xml" --role r01 --from l1 --person "$L300" -o "$T/cut.pdf" >/dev/null 2>"$T/e"
grep -q "warning: .*person's name" "$T/e" && pdftotext -f 1 -l 1 "$T/cut.pdf" - | grep -q "…" &&
  ok "a 300-character name: cut with an ellipsis and a warning" || bad "300-character name: $(head -2 "$T/e")"
S "$T/small.xml" --role r01 --from l1 --person "$L300" --strict -o "$T/strict.pdf" >/dev/null 2>"$T/e"
rc=$?
[ $rc = 1 ] && [ ! -e "$T/strict.pdf" ] && ok "--strict and a cut name: exit 1, nothing written" ||
  bad "--strict with a cut name: exit $rc"

# ==== 4. bookmarks per domain ====
outlines "$T/large-all.pdf" >"$T/ol"
nd=$(grep -c '<domain ' "$T/large.xml")
[ "$(wc -l <"$T/ol")" = "$nd" ] && [ "$(cut -f1 "$T/ol" | sort -u)" = 0 ] &&
  sort -n -c -k3 -t$'\t' "$T/ol" 2>/dev/null && ! cut -f3 "$T/ol" | grep -qx 0 &&
  ok "large sheet: one bookmark per domain ($nd), in page order" || bad "large sheet bookmarks: $(head -3 "$T/ol")"
# each bookmark's page shows one of that domain's skills (the first row)
"$PY" - "$T/large.xml" "$T/ol" "$T/large-all.pdf" <<'PYEOF' && ok "bookmarks land on their domain's first row" || bad "a bookmark lands elsewhere"
import sys, subprocess, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = root.tag.split("}")[0] + "}" if root.tag.startswith("{") else ""
names, first = {}, {}
for d in root.iter(ns + "domain"):
    names[d.get("name")] = d.get("id")
    # the domain's first skill the sheet shows: r01 at l1 or l2
    shown = [k for k in d.iter(ns + "skill")
             if any(e.get("role") == "r01" and e.get("level") in ("l1", "l2")
                    for e in k.iter(ns + "expect"))]
    first[d.get("id")] = shown[0].get("name") if shown else None
bad = 0
for line in open(sys.argv[2]):
    _, title, page = line.rstrip("\n").split("\t")
    text = subprocess.run(["pdftotext", "-f", page, "-l", page, sys.argv[3], "-"],
                          capture_output=True, text=True).stdout
    sk = first.get(names.get(title))
    if not sk or sk not in " ".join(text.split()):
        bad += 1
        print("bookmark %s -> page %s lacks %r" % (title, page, sk))
sys.exit(1 if bad else 0)
PYEOF
S "$CAT" --role sre --from senior -o "$T/short.pdf" >/dev/null 2>&1
[ "$(pages "$T/short.pdf")" -le 2 ] && [ -z "$(outlines "$T/short.pdf")" ] &&
  ok "a sheet of two pages or less: no bookmarks" || bad "short sheet has bookmarks"

# ==== 5. one column layout; continued rows repeat the skill's name ====
colcheck() {  # colcheck TRACE: the grid and header at the same x on every
  # page, and every page's first body row starts with a skill's name
  "$PY" - "$1" <<'PYEOF'
import sys, re
pages, cur = [], None
for line in open(sys.argv[1]):
    if line.startswith("page "):
        cur = {"v": set(), "rule": None, "names": [], "head": []}
        pages.append(cur)
    elif cur is not None:
        m = re.match(r"line x0=([\d.]+) y0=([\d.]+) x1=([\d.]+) y1=([\d.]+) stroke=#c4c9d0", line)
        if m and m.group(1) == m.group(3):
            cur["v"].add(m.group(1))
        m = re.match(r"line x0=([\d.]+) y0=([\d.]+) x1=[\d.]+ y1=[\d.]+ stroke=#1f4e79 lw=0.80", line)
        if m and cur["rule"] is None:
            cur["rule"] = float(m.group(2))
        # a skill's name, or a domain's over its first row
        m = re.match(r"text f=1 s=(9.50|7.50) x=([\d.]+) y=([\d.]+) .*fill=#(1a1a1a|1f4e79)", line)
        if m and (m.group(1) == "9.50") == (m.group(4) == "1a1a1a"):
            cur["names"].append((float(m.group(2)), float(m.group(3))))
problems = []
tab = [p for p in pages if p["rule"] is not None]
if not tab: problems.append("no table")
for i, p in enumerate(tab):
    if p["v"] != tab[0]["v"]:
        problems.append("page %d: columns %s, page 1 %s" % (i + 1, sorted(p["v"]), sorted(tab[0]["v"])))
    x0 = min(float(v) for v in p["v"]) if p["v"] else 0
    first = [y for x, y in p["names"] if x < x0 and y > p["rule"]]
    if not first or min(first) - p["rule"] > 20:
        problems.append("page %d: no skill name at the top of the body" % (i + 1))
for q in problems[:4]: print(q)
print("%d pages" % len(tab))
sys.exit(1 if problems else 0)
PYEOF
}
S "$T/large.xml" --role r01 --from l1 --to l2 -o "$T/large.trace" >/dev/null 2>&1
colcheck "$T/large.trace" >"$T/cc" && ok "large sheet: $(tail -1 "$T/cc"), one column layout, names repeated" ||
  bad "large sheet columns: $(head -3 "$T/cc")"
monzo="$SHARED/data/real/monzo-engineering.xml"
if [ -n "$SHARED" ] && [ -e "$monzo" ]; then
  S "$monzo" --role backend-engineer --from level-4 --to level-5 -o "$T/monzo.trace" >/dev/null 2>&1
  colcheck "$T/monzo.trace" >"$T/cc" && ok "monzo backend level-4 -> level-5: one column layout, names repeated" ||
    bad "monzo columns: $(head -3 "$T/cc")"
else
  echo "skipped: Monzo (no reference folder)"
fi

# ==== 6. the catalogue's title and version on every page ====
ver=$(grep -o 'version="[^"]*"' "$CAT/00-ladder.xml" | head -1 | sed 's/version="//;s/"//')
np=$(pages "$T/cross.pdf")
S "$CAT" --role sre --from senior --pack -o "$T/pack.pdf" >/dev/null 2>&1 || bad "--pack"
for f in "$T/large-all.pdf" "$T/pack.pdf"; do
  n=$(pages "$f") k=0
  for i in $(seq 1 "$n"); do
    t=$(pdftotext -f "$i" -l "$i" "$f" - 2>/dev/null)
    grep -q "Version $ver\|Version [0-9]" <<<"$t" && grep -q "$(basename "$f" .pdf | grep -q large && echo 'Generated ladder' || echo 'Engineering skills')" <<<"$t" && k=$((k + 1))
  done
  [ "$k" = "$n" ] && ok "$(basename "$f"): title and version on all $n pages" || bad "$(basename "$f"): $k of $n pages"
done

# ==== 7. --pack ====
N2="Ada Lovelace"
S "$CAT" --role sre --from middle --person "$N2" --reviewer "Grace H." --pack -o "$T/pack.pdf" >/dev/null 2>&1 || bad "--pack"
n=$(pages "$T/pack.pdf")
so=0 sig=""
for i in $(seq 1 "$n"); do
  t=$(pdftotext -f "$i" -l "$i" "$T/pack.pdf" - 2>/dev/null)
  if grep -q "^Sign-off$" <<<"$t"; then so=$i; sig=$(grep -c "^Signature:" <<<"$t"); fi
done
[ "$so" -gt 0 ] && [ "$sig" = 2 ] && ok "sign-off block whole on page $so (two signature lines)" ||
  bad "sign-off: page $so, signature lines $sig"
# every skill with an sre expectation at senior, in the last part
"$PY" - "$CAT" "$T/pack.pdf" "$so" <<PYEOF && ok "--pack: the target level's expectations in full" || bad "--pack: the target level's text is not all there"
import sys, subprocess, re
sys.path.insert(0, "$SRC/tests")
import pdfcheck
levels, roles, skills = pdfcheck.load_full(sys.argv[1])
text = subprocess.run(["pdftotext", "-f", str(int(sys.argv[3])), sys.argv[2], "-"],
                      capture_output=True, text=True).stdout
i = text.find("The target level's expectations in full")
body = re.sub(r"\s+", " ", text[i:])
missing = []
for s in skills:
    e = s["exp"].get(("senior", "sre"))
    if not e: continue
    words = e[0][:40]
    if words not in body: missing.append(words)
for m in missing[:3]: print("missing:", m)
sys.exit(1 if i < 0 or missing else 0)
PYEOF
S "$CAT" --role sre --from middle --person "$N2" --pack -o "$T/pack.trace" >/dev/null 2>&1
"$PY" "$SRC/tests/stranded.py" "$T/pack.trace" "$T/large.trace" >"$T/st" 2>&1 &&
  ok "pack and large sheet: headings kept, bookmarks at their headings" || bad "stranded: $(tail -2 "$T/st")"
S "$CAT" --role sre --from middle --pack --lang ru -o "$T/pack-ru.pdf" >/dev/null 2>&1 &&
  pdftotext "$T/pack-ru.pdf" - | grep -q "Подписи" && pdftotext "$T/pack-ru.pdf" - | grep -q "Ожидания целевого уровня полностью" &&
  ok "a pack in Russian" || bad "pack --lang ru labels"
pdftotext "$T/pack.pdf" - | grep -q "Ada Lovelace · Site Reliability Engineer" &&
  ok "a pack's footer names the person" || bad "pack footer"

# ==== 8. a review book ====
if [ -x "$BOOKTOOL" ]; then
  "$BOOKTOOL" "$T/book.pdf" 4 "Grace H." >"$T/bo" 2>&1 && ok "$(cat "$T/bo")" || bad "book: $(cat "$T/bo")"
  reader_out=$(qpdf --check "$T/book.pdf" 2>&1) && ok || bad "book: qpdf: ${reader_out:0:200}"
  outlines "$T/book.pdf" >"$T/bol"
  [ "$(grep -c $'^0\tPerson' "$T/bol")" = 4 ] && grep -q $'^1\t' "$T/bol" &&
    ok "book: a bookmark per person, domains under it" || bad "book outlines: $(head -4 "$T/bol")"
  # each person's bookmark and contents line go to the page where the pack
  # starts: its footer says "Person K · ... page 1 of"
  "$DPY" - "$T/book.pdf" "$T/bol" <<'PYEOF' && ok "book: contents links and bookmarks reach each pack's page 1" || bad "book: links"
import sys, subprocess, pikepdf
pdf = pikepdf.open(sys.argv[1])
pages = {p.objgen: i + 1 for i, p in enumerate(pdf.pages)}
links = []
for a in pdf.pages[0].get("/Annots", []):
    if a.get("/Subtype") == "/Link":
        d = a.get("/Dest")
        if d is None and a.get("/A") is not None: d = a.A.get("/D")
        links.append(pages.get(d[0].objgen, 0))
bm = [int(l.split("\t")[2]) for l in open(sys.argv[2]) if l.startswith("0\t")]
ok = len(links) == 4 and links == bm
for k, p in enumerate(bm, 1):
    t = subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), sys.argv[1], "-"],
                       capture_output=True, text=True).stdout
    if ("Person %d ·" % k) not in t or "page 1 of" not in t: ok = False; print("page", p, "is not pack", k)
print(links, bm)
sys.exit(0 if ok else 1)
PYEOF
else
  echo "skipped: the review book (no $BOOKTOOL)"
fi

# ==== 9. default paths ====
mkdir -p "$T/cwd"
(
  cd "$T/cwd" || exit 1
  S "$CAT" --role sre --from middle >"$T/p0" 2>/dev/null
  S "$CAT" --role sre --from middle --person Bob >"$T/p1" 2>/dev/null
  S "$CAT" --role sre --from middle --person Carol >"$T/p2" 2>/dev/null
  S "$CAT" --role sre --from middle --person "Ada L." --reviewer "Grace H." --date 2026-12-01 --only changed >"$T/p3" 2>/dev/null
  S "$CAT" --role sre --from middle --format png >"$T/p4" 2>/dev/null
  S "$CAT" --role sre --from middle --style ink-saver >"$T/p5" 2>/dev/null
  S "$CAT" --role sre --from middle --person "$L300" --reviewer "$R" >"$T/p6" 2>/dev/null
)
[ "$(cat "$T/p0")" = out/sheets/sre/middle/senior.pdf ] && ok "plain sheet: the batch's path" || bad "plain path: $(cat "$T/p0")"
[ "$(cat "$T/p1")" = "out/sheets/sre/middle/senior+person-bob.pdf" ] &&
  [ "$(cat "$T/p2")" = "out/sheets/sre/middle/senior+person-carol.pdf" ] &&
  [ -s "$T/cwd/$(cat "$T/p1")" ] && [ -s "$T/cwd/$(cat "$T/p2")" ] &&
  ok "--person Bob, --person Carol: both survive" || bad "person paths: $(cat "$T/p1") $(cat "$T/p2")"
[ "$(cat "$T/p3")" = "out/sheets/sre/middle/senior+person-ada-l+reviewer-grace-h+date-2026-12-01+only-changed.pdf" ] &&
  ok "every option in the path" || bad "path: $(cat "$T/p3")"
[ "$(cat "$T/p4")" = "out/sheets/sre/middle/senior+p1.png" ] && [ ! -e "$T/cwd/out/sheets/sre/middle/senior.png" ] &&
  ok "PNG export: not the batch's thumbnail" || bad "png path: $(cat "$T/p4")"
[ "$(cat "$T/p5")" = "out/sheets/sre/middle/senior+style-ink-saver.pdf" ] && ok "another style: its own path" ||
  bad "style path: $(cat "$T/p5")"
b6=$(basename "$(cat "$T/p6")")
[ -s "$T/cwd/$(cat "$T/p6")" ] && [ "${#b6}" -le 200 ] && ok "long names: a file name of ${#b6} bytes" ||
  bad "long name path: $(cat "$T/p6")"
(cd "$T/cwd" && "$SKILLBOOK" handbook "$CAT" --role sre --format png >"$T/h1" 2>/dev/null &&
  "$SKILLBOOK" profile "$CAT" --skill observability --lang es >"$T/h2" 2>/dev/null)
[ "$(cat "$T/h1")" = out/handbooks/sre+p1.png ] && [ "$(cat "$T/h2")" = "out/profiles/observability+lang-es.pdf" ] &&
  ok "handbook PNG and profile --lang: paths of their own" || bad "handbook/profile paths: $(cat "$T/h1") $(cat "$T/h2")"
# the batch then leaves every personalised file alone, byte for byte
find "$T/cwd/out" -type f -name '*+*' | sort >"$T/mine"
while read -r f; do sha256sum "$f"; done <"$T/mine" >"$T/before"
(cd "$T/cwd" && "$SKILLBOOK" batch "$CAT" -j 2 >/dev/null 2>&1) || bad "batch: exit $?"
(cd "$T/cwd" && "$SKILLBOOK" batch "$CAT" -j 2 --force >/dev/null 2>&1) || bad "batch --force: exit $?"
while read -r f; do sha256sum "$f" 2>/dev/null; done <"$T/mine" >"$T/after"
[ -s "$T/before" ] && cmp -s "$T/before" "$T/after" &&
  ok "batch (twice, --force): the $(wc -l <"$T/mine") personalised files unchanged" || bad "the batch touched a personalised file"
[ -s "$T/cwd/out/sheets/sre/middle/senior.png" ] && ok "the batch's thumbnail is its own" || bad "no batch thumbnail"

finish
