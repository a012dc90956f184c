#!/bin/sh
# docs.sh — the READMEs' reference sections are gilsim's own help.
#
# usage: tests/docs.sh check|update BIN README...
#
# Between a line "<!-- BEGIN help TOPIC -->" and a line
# "<!-- END help TOPIC -->" a README holds exactly what
# `BIN help TOPIC --markdown` prints; every topic `BIN help` lists has a
# section in one of the READMEs.  check fails with a diff when a section
# differs, and names a topic that has no section; update rewrites the
# sections from the binary.
mode=$1 bin=$2
shift 2
case $mode in
check|update) [ $# -gt 0 ] || { echo "usage: $0 check|update BIN README..." >&2; exit 2; } ;;
*) echo "usage: $0 check|update BIN README..." >&2; exit 2 ;;
esac
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

topics=$("$bin" help | awk '/^topics:/ { on = 1; next } on && /^  [a-z]/ { print $1 } /^$/ { on = 0 }')
if [ -z "$topics" ]; then
    echo "docs: '$bin help' lists no topics"
    exit 2
fi
bad=0
for t in $topics; do
    if ! "$bin" help "$t" --markdown >"$tmp/$t.md"; then
        echo "docs: '$bin help $t --markdown' failed"
        exit 2
    fi
    if ! cat "$@" | grep -qx "<!-- BEGIN help $t -->"; then
        echo "docs: no README ($*) has a section <!-- BEGIN help $t --> ... <!-- END help $t -->"
        bad=1
    fi
done

for readme in "$@"; do

# The README with every section replaced by the binary's text.
sections=$(sed -n 's/^<!-- BEGIN help \([a-z]*\) -->$/\1/p' "$readme" | tr '\n' ' ')
awk -v dir="$tmp" '
function fail(msg) { print FILENAME ":" NR ": " msg > "/dev/stderr"; bad = 1 }
/^<!-- BEGIN help [a-z]+ -->$/ {
    if (topic != "") fail("BEGIN inside the section of " topic)
    print
    topic = $4
    f = dir "/" topic ".md"
    while ((r = (getline line < f)) > 0) print line
    if (r < 0) fail("no help topic " topic)
    close(f)
    next
}
/^<!-- END help [a-z]+ -->$/ {
    if ($4 != topic) fail("END help " $4 " without its BEGIN")
    topic = ""
    print
    next
}
topic == "" { print }
END {
    if (topic != "") fail("the section of " topic " has no END")
    exit bad
}' "$readme" >"$tmp/readme" || { echo "docs: $readme left as it is: its markers are wrong (above)"; exit 1; }

if cmp -s "$readme" "$tmp/readme"; then
    if [ $bad = 0 ] && [ -n "$sections" ]; then
        echo "docs: $readme's reference sections are what '$bin help' prints (${sections% })"
    fi
elif [ "$mode" = update ]; then
    cat "$tmp/readme" >"$readme" && echo "docs: rewrote $readme's reference sections from '$bin help'"
else
    diff -u "$readme" "$tmp/readme" | sed "s|$tmp/readme|$bin help|"
    echo "docs: $readme differs from '$bin help' (above: what it prints); 'make docs' rewrites its sections"
    bad=1
fi
done
exit $bad
