#!/bin/sh
# layers.sh — fails when an include crosses a layer upward.
#
# sim/ has a folder per layer, ranked lowest first: engine 0, config 1,
# os 2, gil 3, model 4, out 5, cli 6.  A file may include its own layer
# and lower ones; a public header or table (include/*.h, include/*.def)
# ranks with the layer that implements it and may include only public
# ones.  Known upward
# includes still waiting to go are listed in tests/layers.allow, one
# "FILE HEADER" a line; that list may only shrink: a listed include that
# is gone is an error too, so the list never hides a new one.  Within a
# folder, the files' includes of each other form no cycle.
cd "$(dirname "$0")/.." || exit 2
rank() {
    case $1 in
    engine|simtime.h|caps.h|rng.h|hist.h|events.h|events.def) echo 0 ;;
    config|config.h|gil_policies.def|imports.def) echo 1 ;;
    os) echo 2 ;;
    gil) echo 3 ;;
    model|sim.h) echo 4 ;;
    out|stats.h|plotprep.h|trace_level.h|columns.h|columns.def) echo 5 ;;
    cli|lab|runner.h|sweep.h|glossary.def|version.h) echo 6 ;;   # version.h: build/gen, the Makefile writes it
    *) echo x ;;
    esac
}
allow=tests/layers.allow
found=$(mktemp) || exit 2
trap 'rm -f "$found"' EXIT
bad=0
for f in sim/*/*.[ch] include/*.h include/*.def; do
    case $f in
    include/*) from=$(basename "$f") ;;
    *) from=$(echo "$f" | cut -d/ -f2) ;;
    esac
    rf=$(rank "$from")
    for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
        case $h in
        */*) to=${h%%/*} ;;
        *) to=$h ;;
        esac
        rt=$(rank "$to")
        why=
        if [ "$rf" = x ] || [ "$rt" = x ]; then
            why="no layer known for $f or \"$h\" (add it to tests/layers.sh)"
        elif [ "${f%%/*}" = include ] && [ "$to" != "$h" ]; then
            why="the public header $f includes the internal \"$h\""
        elif [ "$rt" -gt "$rf" ]; then
            why="$f (layer $from, $rf) includes \"$h\" (layer $to, $rt): upward"
        fi
        [ -z "$why" ] && continue
        echo "$f $h" >>"$found"
        if ! grep -qx "$f $h" "$allow"; then
            echo "layers: $why"
            bad=1
        fi
    done
done
# No include cycle among the files of one folder: X.c and X.h are one
# module, and the modules' includes of the folder's own headers must form
# no loop (tsort finds one).
for dir in sim/*/; do
    dir=${dir%/}
    layer=${dir#sim/}
    loop=$(for f in "$dir"/*.[ch]; do
        from=$(basename "$f")
        from=${from%.[ch]}
        echo "$from $from"
        for to in $(sed -n "s|^[[:space:]]*#[[:space:]]*include[[:space:]]*\"$layer/\([^\"]*\)\.h\".*|\1|p" "$f"); do
            echo "$from $to"
        done
    done | tsort 2>&1 >/dev/null)
    if [ -n "$loop" ]; then
        echo "layers: the files of $dir include each other in a cycle:" \
            $(echo "$loop" | sed -n 's/^tsort: \([^ ]*\)$/\1/p')
        bad=1
    fi
done
while read -r line; do
    case $line in ''|'#'*) continue ;; esac
    if ! grep -qx "$line" "$found"; then
        echo "layers: '$line' is gone: remove it from $allow"
        bad=1
    fi
done <"$allow"
[ $bad = 0 ] && echo "layers: no include crosses upward ($(grep -vc '^#' "$allow") known ones listed in $allow), none forms a cycle in a folder"
exit $bad
