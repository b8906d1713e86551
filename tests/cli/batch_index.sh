#!/bin/bash
# tests/cli/batch_index.sh -- the batch's index.html, opened from disk.
# Every href/src of index.html names a file that exists (or an anchor on the
# page), nothing points outside the folder, and headless Chromium loads it
# with no console error, no blocked load and no missing file. Skipped (exit
# 0, says so) when /usr/bin/chromium is not installed.
# Environment (set by ctest): SKILLBOOK, SRC. Keep the screenshot with
# SB_KEEP_SCREENSHOT=FILE.png.
SB_TEST_NAME=batch-index
. "$(dirname "$0")/lib.bash"

OUT=$T/out
"$SKILLBOOK" batch -o "$OUT" 2>"$T/batch.log"; rc=$?
# exit 1 (a document failed) still writes the index of what is there
if [ $rc -le 1 ] && [ -s "$OUT/index.html" ]; then ok "batch wrote index.html (exit $rc)"
else bad "batch: exit $rc, no index.html"; tail -5 "$T/batch.log"; fi

# Links: parse the page, resolve each reference against the folder.
if python3 - "$OUT" <<'EOF'
import html.parser, json, os, sys, urllib.parse
d = sys.argv[1]
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.refs = []; self.ids = set(); self.cards = 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a: self.ids.add(a["id"])
        if a.get("class") == "card": self.cards += 1
        for k in ("href", "src"):
            if k in a: self.refs.append((tag, k, a[k]))
p = P(); p.feed(open(os.path.join(d, "index.html"), encoding="utf-8").read())
errors = []
for tag, k, v in p.refs:
    u = urllib.parse.urlsplit(v)
    if u.scheme or u.netloc or v.startswith("/"):
        errors.append("points outside the folder: %s=%s" % (k, v)); continue
    if v.startswith("#"):
        if v[1:] not in p.ids: errors.append("no anchor " + v)
        continue
    path = os.path.normpath(os.path.join(d, urllib.parse.unquote(u.path)))
    if not path.startswith(os.path.normpath(d) + os.sep) or not os.path.isfile(path):
        errors.append("missing: %s=%s" % (k, v))
m = json.load(open(os.path.join(d, "manifest.json")))
if p.cards != len(m["documents"]):
    errors.append("%d cards for %d documents" % (p.cards, len(m["documents"])))
thumbs = sum(1 for e in m["documents"] if "thumb" in e)
imgs = sum(1 for t, k, v in p.refs if t == "img")
if imgs != thumbs:
    errors.append("%d images for %d thumbnails" % (imgs, thumbs))
for e in errors[:10]: print("  " + e)
print("  %d references, %d cards, %d thumbnails" % (len(p.refs), p.cards, imgs))
sys.exit(1 if errors else 0)
EOF
then ok "index.html: every href/src resolves to a file in the folder"
else bad "index.html: broken references"; fi

CHROMIUM=/usr/bin/chromium
if [ ! -x "$CHROMIUM" ]; then
  echo "skipped: $CHROMIUM is not installed (apt-get install -y chromium)"
  echo "$pass passed, $fail failed"
  [ $fail -eq 0 ]; exit
fi
run_chromium() { # run_chromium OUTFLAG... ; stderr to $T/chromium.log
  timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$(mktemp -d "$T/profile.XXXXXX")" \
    --enable-logging=stderr --v=0 --window-size=1200,1600 "$@" \
    "file://$OUT/index.html"
}
run_chromium --screenshot="$T/index.png" >/dev/null 2>"$T/chromium.log"; rc=$?
if [ $rc -eq 0 ] && [ -s "$T/index.png" ]; then ok "chromium: screenshot taken"
else bad "chromium: exit $rc, no screenshot"; tail -5 "$T/chromium.log"; fi
run_chromium --dump-dom >"$T/dom.html" 2>>"$T/chromium.log"; rc=$?
if [ $rc -eq 0 ] && grep -q 'class="card"' "$T/dom.html"; then ok "chromium: page loaded (--dump-dom)"
else bad "chromium: --dump-dom exit $rc"; fi
# (404 as a word: chromium's log timestamps such as 235711.040492 hold it too)
if grep -E 'CONSOLE|Not allowed to load|ERR_FILE_NOT_FOUND|net::ERR_|\b404\b' "$T/chromium.log" >"$T/errors.txt"; then
  bad "chromium: console errors or failed loads"; head -10 "$T/errors.txt"
else
  ok "chromium: no console error, no failed load"
fi
[ -n "${SB_KEEP_SCREENSHOT:-}" ] && cp "$T/index.png" "$SB_KEEP_SCREENSHOT"

finish
