#!/bin/bash
# tests/cli/pdf_details.sh -- what the PDF file declares and how its text is
# set (issue #16, item 6; docs/pdf.md "What the file declares"):
# - the cover (handbook, profile book) prints no page number; page 2 does,
#   counting the cover;
# - the header says PDF 1.7, and qpdf finds the file clean;
# - outline items carry no /Type (the root is /Type /Outlines);
# - every link annotation has the print flag, /F 4;
# - the trailer's /ID is two equal 16-byte strings, the same on a second
#   run (the whole file is), different for another document;
# - kerning: a kerned pair ("Te" in "Telemetry") is shown with TJ and its
#   kern, and every text op's width drawn in the PDF (its glyphs' /W widths
#   less the TJ kerns) equals the width the layout measured (the trace's
#   w=), at the trace's x and y: what is measured is what prints.
# Objects are read back with pikepdf ($DPY) and qpdf.
# Env (set by ctest): SKILLBOOK (the program), SRC (source tree).
# Prints "N passed, N failed"; exit status 1 if anything failed.

SB_TEST_NAME=pdf_details
. "$(dirname "$0")/lib.bash"
unset SOURCE_DATE_EPOCH
CAT="$SRC/tests/golden/golden.xml"

render() { # OUT ARGS...: renders quietly, names a failure
  local out=$1
  shift
  "$SKILLBOOK" "$@" "$CAT" -o "$out" >/dev/null 2>"$T/err" ||
    bad "skillbook $*: $(head -3 "$T/err")"
}

render "$T/h.pdf" handbook --role sre
render "$T/h2.pdf" handbook --role sre
render "$T/h.trace" handbook --role sre --format trace
render "$T/b.pdf" profile --all
render "$T/s.pdf" sheet --role backend-engineer --from junior --to middle

# ==== The cover: no page number; page 2 says "page 2 of N" ====
for doc in h b; do
  n=$(pdfinfo "$T/$doc.pdf" | awk '/^Pages:/{print $2}')
  p1=$(pdftotext -f 1 -l 1 -enc UTF-8 "$T/$doc.pdf" - | tr -s ' \n' ' ')
  p2=$(pdftotext -f 2 -l 2 -enc UTF-8 "$T/$doc.pdf" - | tr -s ' \n' ' ')
  case $p1 in
    *"page 1 of"*) bad "$doc: the cover prints a page number" ;;
    *) ok ;;
  esac
  case $p2 in
    *"page 2 of $n"*) ok ;;
    *) bad "$doc: page 2 lacks 'page 2 of $n' (the cover counts)" ;;
  esac
done

# ==== Header, qpdf ====
for doc in h b s; do
  head -c 9 "$T/$doc.pdf" | grep -q '^%PDF-1.7' && ok || bad "$doc: header is $(head -c 8 "$T/$doc.pdf")"
  check "$doc: qpdf --check" qpdf --check "$T/$doc.pdf" >/dev/null
done

# ==== Same input, same bytes (the /ID is derived from them) ====
check "handbook twice: the same bytes" cmp -s "$T/h.pdf" "$T/h2.pdf"

# ==== Objects, read back with pikepdf ====
"$DPY" - "$T" >"$T/objs" 2>&1 <<'EOF'
import sys, pikepdf
T = sys.argv[1]
def say(ok, what):
    print(("ok - " if ok else "FAIL - ") + what)

ids = {}
for doc in ("h", "b", "s"):
    pdf = pikepdf.open("%s/%s.pdf" % (T, doc))
    say(pdf.pdf_version == "1.7", "%s: pikepdf reads version %s" % (doc, pdf.pdf_version))
    # outlines: the root is /Type /Outlines, no item has a /Type
    root = pdf.Root.get("/Outlines")
    if doc != "s":
        say(root is not None and root.get("/Type") == "/Outlines",
            "%s: outline root is /Type /Outlines" % doc)
    items, typed = 0, 0
    stack = [root.get("/First")] if root is not None and "/First" in root else []
    while stack:
        it = stack.pop()
        while it is not None:
            items += 1
            typed += "/Type" in it
            if "/First" in it:
                stack.append(it.First)
            it = it.get("/Next")
    if doc != "s":
        say(items > 0 and typed == 0, "%s: %d outline items, %d with /Type" % (doc, items, typed))
    # links print
    links = [a for p in pdf.pages for a in p.get("/Annots", []) if a.get("/Subtype") == "/Link"]
    flags = [int(a.get("/F", 0)) for a in links]
    if doc != "s":
        say(links and all(f == 4 for f in flags),
            "%s: %d links, flags %s" % (doc, len(links), sorted(set(flags))))
    # /ID
    idv = pdf.trailer.get("/ID")
    good = (idv is not None and len(idv) == 2 and
            all(len(bytes(x)) == 16 for x in idv) and bytes(idv[0]) == bytes(idv[1]) and
            bytes(idv[0]) != b"\0" * 16)
    say(good, "%s: trailer /ID is two equal 16-byte strings" % doc)
    ids[doc] = bytes(idv[0]) if idv is not None else None
say(len(set(ids.values())) == 3, "three documents, three /IDs")
EOF
while IFS= read -r line; do
  case $line in
    "ok - "*) ok ;;
    "FAIL - "*) bad "${line#FAIL - }" ;;
    *) bad "pikepdf: $line" ;;
  esac
done <"$T/objs"

# ==== Kerning: TJ, and drawn widths equal measured widths ====
"$DPY" - "$T/h.pdf" "$T/h.trace" >"$T/kern" 2>&1 <<'EOF'
import re, sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
say = lambda ok, what: print(("ok - " if ok else "FAIL - ") + what)

# the trace's text ops, per page: font slot, size, x, y, w, text
pages, cur = [], None
for line in open(sys.argv[2], encoding="utf-8"):
    if line.startswith("page "):
        cur = []
        pages.append((float(line.split()[2].split("x")[1]), cur))
    elif line.startswith("text "):
        m = re.match(r'text f=(\d+) s=(\S+) x=(\S+) y=(\S+) w=(\S+) fill=\S+ "(.*)"$', line.rstrip("\n"))
        if m.group(6):
            cur.append((float(m.group(2)), float(m.group(3)), float(m.group(4)),
                        float(m.group(5)), m.group(6), int(m.group(1))))

def widths(font):
    """CID -> width (1/1000 em) from the CIDFont's /W [c [w ...] ...]."""
    w, arr, i = {}, list(font.DescendantFonts[0].W), 0
    while i + 1 < len(arr):
        c0, ws = int(arr[i]), arr[i + 1]
        for k, v in enumerate(ws):
            w[c0 + k] = float(v)
        i += 2
    return w

checked = bad = tj_ops = 0
te_kern = None
for (ph, ops), page in zip(pages, pdf.pages):
    fonts = {str(k): widths(v) for k, v in page.Resources.Font.items()}
    shown, tx, ty, size, W = [], 0.0, 0.0, 0.0, None
    for operands, op in pikepdf.parse_content_stream(page):
        op = str(op)
        if op == "BT":
            tx = ty = 0.0
        elif op == "Tf":
            W, size = fonts[str(operands[0])], float(operands[1])
        elif op == "Td":
            tx += float(operands[0]); ty += float(operands[1])
        elif op == "Tm":
            tx, ty = float(operands[4]), float(operands[5])
        elif op in ("Tj", "TJ"):
            parts = [operands[0]] if op == "Tj" else list(operands[0])
            units, kerns, first = 0.0, [], True
            for p in parts:
                if isinstance(p, pikepdf.String):
                    b = bytes(p)
                    units += sum(W[b[k] << 8 | b[k + 1]] for k in range(0, len(b), 2))
                else:
                    units -= float(p)
                    kerns.append(float(p))
            tj_ops += op == "TJ"
            shown.append((size, tx, ph - ty, units * size / 1000.0, op, kerns))
    if len(shown) != len(ops):
        say(False, "page: %d text ops in the trace, %d shown in the PDF" % (len(ops), len(shown)))
        bad += 1
        continue
    for (s, x, y, w, text, f), (ps, px, py, pw, op, kerns) in zip(ops, shown):
        checked += 1
        if abs(s - ps) > 0.006 or abs(x - px) > 0.006 or abs(y - py) > 0.006 or abs(w - pw) > 0.006:
            bad += 1
            if bad <= 5:
                print("  %r: trace s=%.2f x=%.2f y=%.2f w=%.2f, pdf s=%.3f x=%.3f y=%.3f w=%.3f"
                      % (text, s, x, y, w, ps, px, py, pw))
        if text == "Telemetry" and f == 0: # the regular face
            te_kern = (op, kerns)
say(checked > 100 and bad == 0,
    "%d text ops: the width, x and y the PDF shows equal the trace's (%d differ)" % (checked, bad))
say(tj_ops > 0, "%d ops shown with TJ" % tj_ops)
# "Te" in Liberation Sans Regular: kern -227 units of 2048 = -111/1000 em
say(te_kern is not None and te_kern[0] == "TJ" and te_kern[1][:1] == [111.0],
    "'Telemetry' is shown with TJ, 111 after the T: %r" % (te_kern,))
EOF
while IFS= read -r line; do
  case $line in
    "ok - "*) ok "${line#ok - }" ;;
    "FAIL - "*) bad "${line#FAIL - }" ;;
    "  "*) echo "$line" ;;
    *) bad "pikepdf: $line" ;;
  esac
done <"$T/kern"

finish
