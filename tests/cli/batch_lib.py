#!/usr/bin/env python3
"""tests/cli/batch_lib.py -- helpers for tests/cli/batch.sh.

  verify DIR            every file manifest.json lists exists with its size
                        and SHA-256; prints the number of documents
  paths DIR             the output paths the manifest lists, one a line
  touching CAT SKILL    the output paths that show SKILL (what the model
                        says: handbooks of the roles that appear in it, sheets
                        with an expect for the role at either level, its
                        profile), one a line
  edit CAT SKILL        changes the text of SKILL's first expect in place
  drop-role CAT ROLE    removes a role and every expect that names it
  written LOG           the paths a --log-format json log says were written
  shas DIR              "sha256  path" of every .pdf/.png below DIR, sorted
  json LOG              checks that every line of LOG is a JSON object
"""
import glob
import hashlib
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

NS = "{urn:skillbook:catalog:1}"


def files(cat):
    return sorted(glob.glob(os.path.join(cat, "*.xml"))) if os.path.isdir(cat) else [cat]


def model(cat):
    levels, roles, skills = [], [], {}
    for f in files(cat):
        root = ET.parse(f).getroot()
        for lv in root.iter(NS + "level"):
            levels.append(lv.get("id"))
        for r in root.iter(NS + "role"):
            roles.append(r.get("id"))
        for sk in root.iter(NS + "skill"):
            skills[sk.get("id")] = [(e.get("level"), e.get("role"))
                                   for e in sk.iter(NS + "expect")]
    return levels, roles, skills


def touching(cat, skill):
    levels, roles, skills = model(cat)
    out = set()
    mine = skills[skill]
    for role in roles:
        if any(r == role for _, r in mine):
            out.add("handbooks/%s.pdf" % role)
        # the role's levels: those with >= 1 expect in any skill, growth order
        have = {lv for s in skills.values() for lv, r in s if r == role}
        lv = [l for l in levels if l in have]
        for a, b in zip(lv, lv[1:]):
            if (a, role) in mine or (b, role) in mine:
                out.add("sheets/%s/%s/%s.pdf" % (role, a, b))
    out.add("profiles/%s.pdf" % skill)
    return out


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "verify":
        d = args[0]
        m = json.load(open(os.path.join(d, "manifest.json")))
        for e in m["documents"]:
            for p, n, h in [(e["path"], e["bytes"], e["sha256"])] + (
                    [(e["thumb"]["path"], e["thumb"]["bytes"], e["thumb"]["sha256"])]
                    if "thumb" in e else []):
                full = os.path.join(d, p)
                if not os.path.isfile(full):
                    sys.exit("missing: " + p)
                if os.path.getsize(full) != n or sha(full) != h:
                    sys.exit("not what the manifest says: " + p)
        print(len(m["documents"]))
    elif cmd == "paths":
        m = json.load(open(os.path.join(args[0], "manifest.json")))
        for e in m["documents"]:
            print(e["path"])
    elif cmd == "touching":
        for p in sorted(touching(args[0], args[1])):
            print(p)
    elif cmd == "edit":
        cat, skill = args
        for f in files(cat):
            s = open(f, encoding="utf-8").read()
            m = re.search(r'<skill id="%s"' % re.escape(skill), s)
            if not m:
                continue
            e = re.compile(r"(<expect\b[^>]*>)(.*?)(</expect>)", re.S).search(s, m.end())
            s = s[:e.start(2)] + e.group(2).rstrip() + " Edited by the batch test." + s[e.end(2):]
            open(f, "w", encoding="utf-8").write(s)
            return
        sys.exit("no skill " + skill)
    elif cmd == "drop-role":
        cat, role = args
        for f in files(cat):
            s = open(f, encoding="utf-8").read()
            s = re.sub(r'<role\s+id="%s"[^>]*/>\s*' % re.escape(role), "", s)
            s = re.sub(r'<expect\b[^>]*\brole="%s"[^>]*>.*?</expect>\s*' % re.escape(role),
                       "", s, flags=re.S)
            open(f, "w", encoding="utf-8").write(s)
    elif cmd == "written":
        for line in open(args[0]):
            line = line.strip()
            if line.startswith("{"):
                j = json.loads(line)
                if j.get("event") == "document" and j.get("status") == "written":
                    print(j["path"])
    elif cmd == "shas":
        d = args[0]
        rows = []
        for root, _, names in os.walk(d):
            for n in names:
                if n.endswith(".pdf") or n.endswith(".png"):
                    full = os.path.join(root, n)
                    rows.append("%s  %s" % (sha(full), os.path.relpath(full, d)))
        print("\n".join(sorted(rows)))
    elif cmd == "json":
        for line in open(args[0]):
            if line.strip():
                assert isinstance(json.loads(line), dict), line
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
