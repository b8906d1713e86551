#!/bin/bash
# tests/cli/untrusted.sh -- a catalogue from a stranger can neither read our
# files, nor reach the network, nor blow up memory (docs/hardening.md).
#
# Any DOCTYPE (external DTD, file:// and http:// entities, an entity bomb,
# even an internal subset) is refused before libxml2 reads it: exit 3,
# within 5 s, in bounded memory (max RSS from /usr/bin/time -v). A python3
# listener on 127.0.0.1 records every connection; catalogues point at it
# through a DOCTYPE, an external entity, xsi:schemaLocation, XInclude and an
# xml-stylesheet PI; validate and handbook run on each; style files
# (--style FILE) with a DOCTYPE, or fonts and a logo named by a URL, are
# refused (exit 4); zero connections.
# Env (set by ctest): SKILLBOOK, SRC. Prints "N passed, N failed".
SB_TEST_NAME=untrusted
. "$(dirname "$0")/lib.bash"
shopt -u patsub_replacement 2>/dev/null  # bash 5.2: '&' in ${x/a/b} is literal

# Memory bound: a plain build stays far below 50 MB here; AddressSanitizer's
# shadow memory and quarantine add a fixed cost, so its bound is larger.
MAXRSS_KB=51200
if ldd "$SKILLBOOK" 2>/dev/null | grep -q 'libasan\|libclang_rt.asan' ||
   nm "$SKILLBOOK" 2>/dev/null | grep -q '__asan_init'; then
  MAXRSS_KB=307200
fi

# ==== The listener: counts connections on a loopback port ====
python3 - "$T/port" "$T/conns" <<'PY' &
import socket, sys, threading
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(16)
open(sys.argv[2], "w").close()
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
while True:
    c, addr = s.accept()
    with open(sys.argv[2], "a") as f:
        f.write("connection from %s:%d\n" % addr)
    try:
        c.settimeout(1)
        c.recv(4096)
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/xml\r\n\r\n"
                  b"<!ENTITY x 'fetched'>")
    except Exception:
        pass
    c.close()
PY
listener=$!
BG+=("$listener")
for _ in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
PORT=$(cat "$T/port" 2>/dev/null)
if [ -z "$PORT" ]; then
  echo "FAIL listener did not start"; echo "0 passed, 1 failed"; exit 1
fi
URL=http://127.0.0.1:$PORT
# the listener works (so that zero connections below means something)
python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1]+'/probe', timeout=3).read()" "$URL" >/dev/null 2>&1
if [ "$(wc -l < "$T/conns")" = 1 ]; then ok "listener counts connections"; : > "$T/conns"
else bad "listener" "probe not recorded"; fi

HEAD='<?xml version="1.0" encoding="UTF-8"?>'
BODY='<catalog xmlns="urn:skillbook:catalog:1" xml:lang="en" title="T">
  <levels><level id="a" name="A"/></levels><roles><role id="r" name="R"/></roles>
  <domain id="d" name="D"><group id="g" name="G"><skill id="s" name="S">
    <expect level="a" role="r">TEXT</expect>
  </skill></group></domain>
</catalog>'
# mk NAME PROLOG [TEXT]: a catalogue with PROLOG after the XML declaration
mk() {
  local text=${3:-Plain.}
  { printf '%s\n%s\n' "$HEAD" "$2"; printf '%s\n' "${BODY/TEXT/$text}"; } > "$T/$1.xml"
}

# check NAME WANT_RC [GREP]: validate and handbook, each bounded in time
# and memory; no secret ever printed.
check() {
  local name=$1 want=$2 text=${3:-} cmd rc rss
  for cmd in validate handbook; do
    local args=("$SKILLBOOK" "$cmd" "$T/$name.xml")
    [ "$cmd" = handbook ] && args+=(--role r -o "$T/$name.pdf")
    /usr/bin/time -v -o "$T/time" timeout 5 "${args[@]}" >"$T/out" 2>"$T/err"
    rc=$?
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T/time")
    if [ "$rc" != "$want" ]; then
      bad "$name ($cmd)" "exit $rc, expected $want: $(head -c 300 "$T/err")"
    elif [ -n "$text" ] && ! grep -qF -- "$text" "$T/err"; then
      bad "$name ($cmd)" "stderr lacks '$text': $(head -c 300 "$T/err")"
    elif [ -z "$rss" ] || [ "$rss" -gt "$MAXRSS_KB" ]; then
      bad "$name ($cmd)" "max RSS ${rss:-?} kB over $MAXRSS_KB kB"
    elif grep -q 'root:\|fetched' "$T/out" "$T/err"; then
      bad "$name ($cmd)" "external content reached the output"
    else
      ok "$name ($cmd): exit $rc, ${rss} kB"
    fi
  done
  if [ "$want" != 0 ] && [ -e "$T/$name.pdf" ]; then bad "$name" "a PDF was written"; fi
}

REFUSED="DOCTYPE is not allowed"
# ==== Any DOCTYPE is refused before it is read ====
mk dtd-http "<!DOCTYPE catalog SYSTEM \"$URL/catalog.dtd\">"
check dtd-http 3 "$REFUSED"
mk dtd-public "<!DOCTYPE catalog PUBLIC \"-//X//DTD X//EN\" \"$URL/p.dtd\">"
check dtd-public 3 "$REFUSED"
mk entity-file '<!DOCTYPE catalog [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>' '&xxe;'
check entity-file 3 "$REFUSED"
mk entity-http "<!DOCTYPE catalog [ <!ENTITY xxe SYSTEM \"$URL/e.txt\"> ]>" '&xxe;'
check entity-http 3 "$REFUSED"
mk entity-param "<!DOCTYPE catalog [ <!ENTITY % p SYSTEM \"$URL/p.ent\"> %p; ]>" '&x;'
check entity-param 3 "$REFUSED"
mk internal-subset '<!DOCTYPE catalog [ <!ENTITY e "expanded"> ]>' '&e;'
check internal-subset 3 "$REFUSED"
mk after-comment "<!-- a comment first --><?pi x?>
<!DOCTYPE catalog SYSTEM \"$URL/c.dtd\">"
check after-comment 3 "$REFUSED"
# an entity bomb (billion laughs): 10^9 copies if it were ever expanded
{
  printf '%s\n<!DOCTYPE catalog [\n <!ENTITY l0 "lol">\n' "$HEAD"
  for i in $(seq 1 9); do
    printf ' <!ENTITY l%d "%s">\n' "$i" "$(printf '&l%d;' $(yes $((i - 1)) | head -n 10))"
  done
  printf ']>\n'
  printf '%s\n' "${BODY/TEXT/&l9;}"
} > "$T/bomb.xml"
check bomb 3 "$REFUSED"
# the same bomb with a byte-order mark in front
printf '\xEF\xBB\xBF' | cat - "$T/bomb.xml" > "$T/bomb-bom.xml"
check bomb-bom 3 "$REFUSED"
# quadratic blow-up needs a DOCTYPE too; an undeclared entity is an error
mk undeclared-entity '' '&xxe;'
check undeclared-entity 3 "xxe"

# ==== References the parser must not follow ====
# xsi:schemaLocation: our schema is compiled in; the hint is ignored
printf '%s\n%s\n' "$HEAD" "${BODY/<catalog /<catalog xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"urn:skillbook:catalog:1 $URL/catalog.xsd\" }" \
  | sed 's/TEXT/Plain./' > "$T/schemaloc.xml"
check schemaloc 0
printf '%s\n%s\n' "$HEAD" "${BODY/<catalog /<catalog xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"$URL/n.xsd\" }" \
  | sed 's/TEXT/Plain./' > "$T/nonsloc.xml"
check nonsloc 0
# XInclude is never processed: an xi:include is an unknown element
xi='<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="'
printf '%s\n%s\n' "$HEAD" "$(printf '%s' "$BODY" | sed "s|<levels>|${xi}$URL/inc.xml\"/><levels>|")" > "$T/xinclude.xml"
check xinclude 3 "include"
printf '%s\n%s\n' "$HEAD" "$(printf '%s' "$BODY" | sed "s|>TEXT<|>${xi}file:///etc/passwd\" parse=\"text\"/><|")" > "$T/xinclude-file.xml"
check xinclude-file 3 "include"
# a stylesheet PI and a namespace named by a URL are just names (an
# attribute in a foreign namespace is a schema error, nothing more)
mk stylesheet "<?xml-stylesheet type=\"text/xsl\" href=\"$URL/s.xsl\"?>"
check stylesheet 0
printf '%s\n%s\n' "$HEAD" "${BODY/<catalog /<catalog xmlns:x=\"$URL/ns\" }" | sed 's/TEXT/Plain./' > "$T/ns-url.xml"
check ns-url 0
printf '%s\n%s\n' "$HEAD" "${BODY/<catalog /<catalog xmlns:x=\"$URL/ns\" x:a=\"1\" }" | sed 's/TEXT/Plain./' > "$T/ns-attr.xml"
check ns-attr 3 "not allowed"

# ==== Style files go through the same reader (exit 4) ====
CAT=$SRC/catalog/examples/es/catalog.xml
style_case() { # NAME WANT_RC GREP: handbook with --style $T/NAME.xml
  timeout 5 "$SKILLBOOK" handbook "$CAT" --role cloud-engineer \
    --style "$T/$1.xml" -o "$T/$1.pdf" >/dev/null 2>"$T/err"
  local rc=$?
  if [ "$rc" = "$2" ] && grep -qF -- "$3" "$T/err" && [ ! -e "$T/$1.pdf" ] &&
     ! grep -q 'root:' "$T/err"; then ok "style $1: exit $rc"
  else bad "style $1" "exit $rc: $(head -c 300 "$T/err")"; fi
}
printf '%s\n<!DOCTYPE style [ <!ENTITY x SYSTEM "%s/s.ent"> ]>\n<style xmlns="urn:skillbook:style:1">&x;</style>\n' \
  "$HEAD" "$URL" > "$T/style-entity.xml"
style_case style-entity 4 "$REFUSED"
printf '%s\n<!DOCTYPE style SYSTEM "%s/style.dtd">\n<style xmlns="urn:skillbook:style:1"/>\n' \
  "$HEAD" "$URL" > "$T/style-dtd.xml"
style_case style-dtd 4 "$REFUSED"
# fonts and logos named by URL are file names that do not exist
sed -e "s|regular=\"[^\"]*\"|regular=\"$URL/f.ttf\"|" -e "s|file=\"[^\"]*\"|file=\"$URL/logo.png\"|" \
  "$SRC/styles/branded.xml" > "$T/style-url.xml"
style_case style-url 4 "f.ttf"

n=$(wc -l < "$T/conns")
if [ "$n" = 0 ]; then ok "no connection reached the listener"
else bad "network" "$n connection(s): $(head -3 "$T/conns")"; fi

finish
