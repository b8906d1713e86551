#!/bin/bash
# tests/cli/diff.sh -- comparing two versions of a catalogue: `skillbook
# diff` (text, JSON, PDF), --exit-code, handbook --since, batch --since and
# validate --against.
#   1. a hand-made pair with every kind of change (tests/data/diff): the
#      text and the JSON changes compared exactly with the expected files;
#   2. a catalogue against itself: nothing printed, exit 0, --exit-code 0;
#   3. the bundled catalogue against an edited copy (a skill added, one
#      removed, one renamed, a word changed, a mandatory flip, a skill moved
#      to another domain, two levels swapped): every edit found, nothing
#      else; the PDF read back by pdftotext (old and new words) and qpdf;
#   4. a generated catalogue with known random edits (scripts/edit-catalog.py):
#      every edit found, nothing else;
#   5. handbook --since: the appendix, and its one line for a role without
#      changes; batch --since: changes.pdf, its thumbnail, index.html and
#      manifest entries;
#   6. validate --against: the warning for a skill changed without a newer
#      `updated` date, --strict exit 3, none once the date moves;
#   7. exit statuses: --exit-code 1 on differences, a file that cannot be
#      written 1, an invalid catalogue 3, usage 2.
# Env (set by ctest): SKILLBOOK (the program), SRC (source tree).
# Prints "N passed, N failed"; exit status 1 if anything failed.

SB_TEST_NAME=diff
. "$(dirname "$0")/lib.bash"
D=$SRC/tests/data/diff
cd "$T" || exit 1
cp "$D/old.xml" "$D/new.xml" .

# ---- 1. every kind of change, exactly
"$SKILLBOOK" diff old.xml new.xml -q >text.out 2>text.err
rc=$?
check "hand-made pair: exit 0 though they differ" [ "$rc" -eq 0 ]
if diff -u "$D/expected.txt" text.out >text.diff; then ok "hand-made pair: text as expected"
else bad "hand-made pair: text" "$(head -20 text.diff)"; fi
"$SKILLBOOK" diff old.xml new.xml -q --format json >j.json
$PY - "$D/expected.jsonl" j.json <<'PY' >json.check 2>&1
import json, sys
want = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
d = json.load(open(sys.argv[2], encoding="utf-8"))
assert d["format"] == 1, d["format"]
assert d["changed"] is True
assert d["old"]["version"] == "1" and d["new"]["version"] == "2"
assert d["changes"] == want, "changes differ"
kinds = {}
for c in want:
    kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
assert {k: v for k, v in d["counts"].items() if v} == kinds, d["counts"]
roles = {r["role"]: r for r in d["roles"]}
assert roles["qa"]["status"] == "removed" and roles["qa"]["removed"] == 1
assert roles["sre"]["status"] == "added" and roles["sre"]["added"] == 2
assert roles["dev"]["text_changed"] == 1 and roles["dev"]["became_mandatory"] == 1
print("ok")
PY
check "hand-made pair: JSON changes, counts and roles as expected" grep -qx ok json.check || cat json.check
# every kind the format has is in the pair
for k in role-added role-removed role-renamed level-added level-renamed \
         level-order skill-added skill-removed skill-renamed skill-moved \
         skill-summary skill-keywords expectation-added expectation-removed \
         expectation-text became-mandatory became-optional; do
  grep -q "\"$k\"" "$D/expected.jsonl" || [ "$k" = skill-removed ] || bad "kind $k not covered"
done
"$SKILLBOOK" diff new.xml old.xml -q --format json | grep -q '"skill-removed"'
check "reversed pair: the added skill is removed" [ $? -eq 0 ]

# ---- 2. a catalogue against itself
"$SKILLBOOK" diff new.xml new.xml -q >self.out; rc=$?
check "itself: exit 0" [ "$rc" -eq 0 ]
check "itself: nothing printed" [ ! -s self.out ]
"$SKILLBOOK" diff new.xml new.xml -q --exit-code >/dev/null
check "itself: --exit-code 0" [ $? -eq 0 ]
"$SKILLBOOK" diff new.xml new.xml -q --format json | $PY -c '
import json, sys; d = json.load(sys.stdin); sys.exit(0 if not d["changed"] and d["changes"] == [] else 1)'
check "itself: JSON with no change" [ $? -eq 0 ]

# ---- 3. the bundled catalogue against an edited copy
cp -r "$SRC/catalog" cat-old
cp -r "$SRC/catalog" cat-new
$PY - cat-new >edits.txt <<'PY'
import re, sys
d = sys.argv[1]
def rd(f): return open(f"{d}/{f}", encoding="utf-8").read()
def wr(f, s): open(f"{d}/{f}", "w", encoding="utf-8").write(s)
def block(s, sid):
    m = re.search(r'\n[ \t]*<skill id="%s".*?</skill>' % sid, s, re.S)
    return m
out = []
# two levels swapped
s = rd("00-ladder.xml")
a = re.search(r'<level id="lead"[^>]*/>', s).group(0)
b = re.search(r'<level id="principal"[^>]*/>', s).group(0)
s = s.replace(a, "\0").replace(b, a).replace("\0", b)
wr("00-ladder.xml", s)
out.append("level-order -")
# rename
s = rd("20-software-engineering.xml")
s = s.replace('<skill id="api-design" name="API Design"', '<skill id="api-design" name="API Design and Contracts"', 1)
out.append("skill-renamed api-design")
# one word of code-review's first expectation
m = block(s, "code-review")
sk = m.group(0)
e = re.search(r'<expect level="([^"]+)" role="([^"]+)"[^>]*>(.*?)</expect>', sk, re.S)
t = e.group(3)
w = re.search(r"\b(small)\b", t)
t2 = t[:w.start()] + "short" + t[w.end():]
sk2 = sk.replace(e.group(0), e.group(0).replace(t, t2))
s = s.replace(sk, sk2)
out.append("expectation-text code-review %s %s" % (e.group(2), e.group(1)))
# a new skill before code-review
new = ('\n      <skill id="pair-programming" name="Pair Programming" updated="2026-04-01">'
       '\n        <expect level="junior" role="backend-engineer">Pairs with a colleague every week.</expect>'
       '\n        <expect level="middle" role="backend-engineer" mandatory="true">Leads pairing sessions.</expect>'
       '\n      </skill>')
s = s.replace(sk2, new + sk2)
out.append("skill-added pair-programming")
wr("20-software-engineering.xml", s)
# a mandatory flip in kubernetes
s = rd("10-cloud-infrastructure.xml")
m = block(s, "kubernetes")
sk = m.group(0)
e = re.search(r'<expect level="([^"]+)" role="([^"]+)" mandatory="true">', sk)
sk2 = sk.replace(e.group(0), '<expect level="%s" role="%s">' % (e.group(1), e.group(2)), 1)
s = s.replace(sk, sk2)
out.append("became-optional kubernetes %s %s" % (e.group(2), e.group(1)))
# secrets-management moves from 40 to 10 (another domain)
s4 = rd("40-security-reliability.xml")
m = block(s4, "secrets-management")
s4 = s4.replace(m.group(0), "")
s = s.replace('\n      <skill id="message-queues"', m.group(0) + '\n      <skill id="message-queues"', 1)
wr("10-cloud-infrastructure.xml", s)
wr("40-security-reliability.xml", s4)
out.append("skill-moved secrets-management")
# llm-integration removed
s = rd("30-data-ml.xml")
m = block(s, "llm-integration")
n = m.group(0).count("<expect ")
s = s.replace(m.group(0), "")
wr("30-data-ml.xml", s)
out.append("skill-removed llm-integration")
print("\n".join(out))
print("# removed expectations: %d" % n)
PY
check "edited copy: the edits were made" [ "$(grep -vc '^#' edits.txt)" -eq 7 ]
nrem=$(sed -n 's/^# removed expectations: //p' edits.txt)
"$SKILLBOOK" validate cat-new -q >/dev/null
check "edited copy: still a valid catalogue" [ $? -eq 0 ]
"$SKILLBOOK" diff cat-old cat-new -q --format json >b.json
$PY - b.json edits.txt "$nrem" <<'PY' >b.check 2>&1
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
want = sorted(l for l in open(sys.argv[2]).read().split("\n") if l and not l.startswith("#"))
got, extra_add, extra_rem = [], 0, 0
for c in d["changes"]:
    k = c["kind"]
    if k == "expectation-added" and c["skill"] == "pair-programming": extra_add += 1; continue
    if k == "expectation-removed" and c["skill"] == "llm-integration": extra_rem += 1; continue
    if k.startswith("expectation-") or k.startswith("became-"):
        got.append("%s %s %s %s" % (k, c["skill"], c["role"], c["level"]))
    elif k == "level-order":
        got.append("level-order -")
    else:
        got.append("%s %s" % (k, c["skill"]))
got.sort()
assert got == want, "got %s\nwant %s" % (got, want)
assert extra_add == 2, extra_add
assert extra_rem == int(sys.argv[3]), extra_rem
print("ok")
PY
check "edited copy: every edit found, nothing else reported" grep -qx ok b.check || cat b.check
"$SKILLBOOK" diff cat-old cat-new -q >b.txt
check "edited copy: text marks the changed word" grep -q '\[-small,-\] {+short,+}' b.txt
check "edited copy: text summary line" grep -q '^ [0-9]* changes:.*1 skill renamed' b.txt
"$SKILLBOOK" diff cat-old cat-new -q --format pdf -o changes.pdf >pdf.out; rc=$?
check "edited copy: pdf written (exit 0, path printed)" [ "$rc" -eq 0 ] && grep -q 'changes.pdf' pdf.out
check "edited copy: qpdf --check" qpdf --check changes.pdf
pdftotext changes.pdf - | tr '\n' ' ' | tr -s ' ' >changes.txt
for w in "What changed in the ladder" "API Design and Contracts" "Pairs with a colleague every week." \
         "Leads pairing sessions." "Secrets Management" "LLM Integration"; do
  check "pdf: finds '$w'" grep -qF "$w" changes.txt
done
# the changed expectation's old and new text are both there, word by word
$PY - cat-old cat-new changes.txt <<'PY' >pdfwords.check 2>&1
import re, sys
old = open(sys.argv[1] + "/20-software-engineering.xml", encoding="utf-8").read()
new = open(sys.argv[2] + "/20-software-engineering.xml", encoding="utf-8").read()
txt = open(sys.argv[3], encoding="utf-8").read()
def first_expect(s):
    m = re.search(r'<skill id="code-review".*?<expect[^>]*>(.*?)</expect>', s, re.S)
    return " ".join(m.group(1).split()).replace("&amp;", "&")
for t in (first_expect(old), first_expect(new)):
    words = [w for w in t.split() if "-" not in w]
    missing = [w for w in words if w not in txt]
    assert not missing, missing
print("ok")
PY
check "pdf: the old and the new text of the changed expectation" grep -qx ok pdfwords.check || cat pdfwords.check
"$SKILLBOOK" diff cat-old cat-new -q --format pdf --style ink-saver -o ink.pdf >/dev/null
check "pdf: ink-saver style" qpdf --check ink.pdf

# ---- 4. a generated catalogue with known random edits
$PY "$SRC/scripts/gen-catalog.py" --size large --seed 11 -o gen-old.xml
$PY "$SRC/scripts/edit-catalog.py" gen-old.xml gen-new.xml --edits 120 --seed 3 --list gen.list
"$SKILLBOOK" diff gen-old.xml gen-new.xml -q --format json >gen.json
$PY - gen.json gen.list <<'PY' >gen.check 2>&1
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
got = sorted("%s %s %s %s" % (c["kind"], c["skill"], c["role"], c["level"]) for c in d["changes"])
want = open(sys.argv[2]).read().split("\n")[:-1]
assert got == want, (len(got), len(want))
for c in d["changes"]:
    if c["kind"] == "expectation-text":
        assert [w["text"] for w in c["words"] if w["op"] != "same"] == ["carefully"], c["words"]
print("ok")
PY
check "generated pair: every one of 120 random edits found, nothing else" grep -qx ok gen.check || cat gen.check
"$SKILLBOOK" diff gen-old.xml gen-new.xml -q --format pdf -o gen.pdf >/dev/null
pdftotext gen.pdf - | tr '\n' ' ' | tr -s ' ' >gen.txt
$PY - gen.json gen.txt <<'PY' >genpdf.check 2>&1
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
txt = open(sys.argv[2], encoding="utf-8").read()
n = 0
for c in d["changes"]:
    if c["kind"] != "expectation-text":
        continue
    words = c["new"]["text"].split()
    # each word of the new text (a word a line break may cut, with a
    # hyphen, is left out), and the first two together (the edit is the second)
    missing = [w for w in words if "-" not in w and len(w) < 16 and w not in txt]
    assert not missing, (c["skill"], missing)
    assert " ".join(words[:2]) in txt, (c["skill"], words[:2])
    n += 1
assert n >= 50, n
print("ok")
PY
check "generated pair: every changed expectation's new text in the PDF (pdftotext)" grep -qx ok genpdf.check || cat genpdf.check

# ---- 5. handbook --since, batch --since
"$SKILLBOOK" handbook cat-new --role backend-engineer --since cat-old -q -o hb.pdf >/dev/null
check "handbook --since: written" qpdf --check hb.pdf
pdftotext hb.pdf - | tr '\n' ' ' | tr -s ' ' >hb.txt
check "handbook --since: the appendix" grep -q "Changes since version 2026.03" hb.txt
check "handbook --since: its new skill's expectation" grep -qF "Pairs with a colleague every week." hb.txt
check "handbook --since: its figures" grep -q "2 added" hb.txt
"$SKILLBOOK" handbook cat-new --role backend-engineer -q -o plain.pdf >/dev/null
check "handbook without --since: no appendix" bash -c "! pdftotext plain.pdf - | grep -q 'Changes since'"
"$SKILLBOOK" handbook new.xml --role ops --since old.xml -q -o ops.pdf >/dev/null
pdftotext ops.pdf - | tr '\n' ' ' | tr -s ' ' >ops.txt
check "handbook --since: a role's catalogue changes (skill moved)" grep -q "Skill moved: Legacy" ops.txt
cp new.xml same.xml
"$SKILLBOOK" handbook same.xml --role ops --since new.xml -q -o same.pdf >/dev/null
check "handbook --since: one line when nothing changed" grep -q "Nothing changed for Operator since version 2" <(pdftotext same.pdf - | tr '\n' ' ')
"$SKILLBOOK" batch cat-new -o out --since cat-old -q -j 2 >batch.log 2>&1; rc=$?
check "batch --since: exit 0" [ "$rc" -eq 0 ] || tail -5 batch.log
check "batch --since: changes.pdf" qpdf --check out/changes.pdf
check "batch --since: its thumbnail" [ -s out/changes.png ]
check "batch --since: in index.html" grep -q 'href="changes.pdf"' out/index.html
$PY -c '
import json, sys
m = json.load(open("out/manifest.json"))
e = [d for d in m["documents"] if d["path"] == "changes.pdf"]
sys.exit(0 if e and e[0]["kind"] == "changes" and e[0]["thumb"]["path"] == "changes.png" else 1)'
check "batch --since: manifest entry" [ $? -eq 0 ]
check "batch --since: the handbooks have the appendix" grep -q "Changes since" <(pdftotext out/handbooks/backend-engineer.pdf -)
"$SKILLBOOK" batch cat-new -o out --since cat-old -q -j 2 2>&1 | grep -q "0 written / [0-9]* unchanged"
check "batch --since: a second run renders nothing" [ $? -eq 0 ]

# ---- 6. validate --against
mk() { # mk FILE TEXT UPDATED
  cat >"$1" <<X
<?xml version="1.0" encoding="UTF-8"?>
<catalog xmlns="urn:skillbook:catalog:1" title="One" version="$3">
  <levels><level id="l1" name="One"/></levels>
  <roles><role id="r1" name="Role"/></roles>
  <domain id="d" name="D"><group id="g" name="G">
    <skill id="s" name="S" updated="$3"><expect level="l1" role="r1">$2</expect></skill>
  </group></domain>
</catalog>
X
}
mk v1.xml "Writes code." 2025-01-01
mk v2.xml "Writes good code." 2025-01-01
mk v3.xml "Writes good code." 2025-02-01
"$SKILLBOOK" validate v1.xml --strict >/dev/null 2>&1
check "validate: the small catalogue has no warning of its own" [ $? -eq 0 ]
"$SKILLBOOK" validate v2.xml --against v1.xml >/dev/null 2>va.err; rc=$?
check "validate --against: exit 0 with a warning" [ "$rc" -eq 0 ]
check "validate --against: names the skill, file and line" grep -q "^v2.xml:6: warning: skill s changed since v1.xml but its updated date 2025-01-01 did not move forward" va.err
"$SKILLBOOK" validate v2.xml --against v1.xml --strict >/dev/null 2>&1
check "validate --against --strict: exit 3" [ $? -eq 3 ]
"$SKILLBOOK" validate v3.xml --against v1.xml --strict >/dev/null 2>va3.err
check "validate --against: a newer date, no warning (--strict exit 0)" [ $? -eq 0 ]
"$SKILLBOOK" validate v2.xml --against v1.xml --format json | $PY -c '
import json, sys; d = json.load(sys.stdin)
sys.exit(0 if any("did not move forward" in x["message"] for x in d["diagnostics"]) else 1)'
check "validate --against: the warning in JSON" [ $? -eq 0 ]
"$SKILLBOOK" validate v2.xml --against missing.xml >/dev/null 2>&1
check "validate --against a missing file: exit 2" [ $? -eq 2 ]

# ---- 7. exit statuses
"$SKILLBOOK" diff old.xml new.xml -q --exit-code >/dev/null
check "--exit-code: 1 when they differ" [ $? -eq 1 ]
"$SKILLBOOK" diff old.xml new.xml -q -o diff.json --format json
check "-o: JSON written to the file" $PY -c 'import json; json.load(open("diff.json"))'
printf '<catalog' >broken.xml
"$SKILLBOOK" diff old.xml broken.xml -q >/dev/null 2>&1
check "an invalid catalogue: exit 3" [ $? -eq 3 ]
"$SKILLBOOK" diff >/dev/null 2>&1
check "no catalogue: exit 2" [ $? -eq 2 ]
"$SKILLBOOK" diff old.xml new.xml --format xml >/dev/null 2>&1
check "unknown format: exit 2" [ $? -eq 2 ]
# a file that cannot be written: its parent is a regular file
: >afile
"$SKILLBOOK" diff old.xml new.xml -q -o afile/x.txt 2>wr.err
rc=$?
check "-o that cannot be written: exit 1 with a message" [ "$rc" -eq 1 ] && grep -q "error" wr.err
"$SKILLBOOK" diff old.xml new.xml -q --exit-code -o afile/x.txt 2>/dev/null
check "--exit-code and a write failure: exit 1" [ $? -eq 1 ]
"$SKILLBOOK" --help | grep -q "^  diff "
check "diff in skillbook --help" [ $? -eq 0 ]
finish
