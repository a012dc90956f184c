#!/usr/bin/env python3
"""links.py README... — every link of the READMEs leads somewhere.

A relative link must name a file or folder of the tree (from the README's
own folder), and a #fragment a heading of the file it points into, by
GitHub's rule for a heading's anchor: lower case, punctuation other than
'-' and '_' dropped, spaces as '-', a repeated heading numbered -1, -2.
Links inside code blocks and code spans are text, not links.  Prints each
broken link as FILE:LINE: and exits 1 if any; web links are not followed.
"""
import os
import re
import sys

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def lines_outside_code(path):
    fence = False
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.startswith("```"):
                fence = not fence
                continue
            if not fence:
                yield n, line, re.sub(r"`[^`]*`", "", line)


def anchors(path, cache={}):
    if path not in cache:
        seen, found = {}, set()
        for _, line, _ in lines_outside_code(path):
            m = re.match(r"^#{1,6} (.*)", line) if not line.startswith("    ") else None
            if not m:
                continue
            # a heading's code spans count: `gilsim lab` gives gilsim-lab
            slug = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-")
            k = seen.get(slug, 0)
            seen[slug] = k + 1
            found.add(slug if k == 0 else "%s-%d" % (slug, k))
        cache[path] = found
    return cache[path]


def main(readmes):
    bad = 0
    for readme in readmes:
        base = os.path.dirname(readme)
        # the text outside code, line numbers kept: a link's text may wrap
        numbered = list(lines_outside_code(readme))
        text = "".join(stripped for _, _, stripped in numbered)
        starts, at = [], 0
        for n, _, stripped in numbered:
            starts.append((at, n))
            at += len(stripped)
        for m in LINK.finditer(text):
            target = m.group(1)
            n = max(line for offset, line in starts if offset <= m.start(1))
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):
                continue
            path, _, frag = target.partition("#")
            dest = os.path.normpath(os.path.join(base, path)) if path else readme
            why = None
            if not os.path.exists(dest):
                why = "no such file"
            elif frag and (not dest.endswith(".md") or frag not in anchors(dest)):
                why = "no heading #%s in %s" % (frag, dest)
            if why:
                print("%s:%d: broken link (%s): %s" % (readme, n, why, target))
                bad = 1
    if not bad:
        print("links: every link of %s leads somewhere" % " ".join(readmes))
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
