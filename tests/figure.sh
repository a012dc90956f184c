#!/bin/sh
# figure.sh — prints one figure of a run, as the README quotes it.
#
# usage: tests/figure.sh [--set KEY=VALUE | --seed N]... CONFIG WHAT [FORMAT]
#
# Runs `build/gilsim run CONFIG` (with the options given) once and prints
# WHAT from its run folder:
#   mark:TEXT              when the program last printed the mark TEXT
#   summary:COLUMN         a column of summary.csv
#   threads:THREAD:COLUMN  a column of threads.csv, for the thread named THREAD
#   results                the results a consumer took, in order, as
#                          log.csv's `result` rows give them (`, `-separated)
#   error                  the config error's line:column (the run must fail)
# FORMAT turns a time in ns into the unit with the decimals given: s3 is
# "2.015 s", ms2 "1.26 ms", us0 "52 µs"; fraction3 prints a number with 3
# decimals; none (the default) prints it as it is.
# Runs are kept under $FIGURE_CACHE (a folder; default: none kept), so a
# README quoting several figures of one run runs it once.
# The README's inline figures call it between <!--= and --> (tests/outputs.sh).
opts=
while [ $# -gt 0 ]; do
    case $1 in
    --set|--seed) opts="$opts $1 $2"; shift 2 ;;
    *) break ;;
    esac
done
[ $# -ge 2 ] || { echo "usage: $0 [--set KEY=VALUE | --seed N]... CONFIG WHAT [FORMAT]" >&2; exit 2; }
config=$1 what=$2 format=${3:-none}
bin=${GILSIM_BIN:-build/gilsim}

if [ -n "$FIGURE_CACHE" ]; then
    dir=$FIGURE_CACHE/$(printf '%s' "$opts $config" | cksum | tr ' ' '-')
else
    dir=$(mktemp -d) || exit 2
    trap 'rm -rf "$dir"' EXIT
fi
if [ ! -f "$dir/ran" ]; then
    rm -rf "$dir"
    # shellcheck disable=SC2086
    "$bin" run "$config" $opts -q --trace summary -o "$dir" >"$dir.err" 2>&1
    echo $? >"$dir.status"
    mkdir -p "$dir" && : >"$dir/ran"
fi
status=$(cat "$dir.status")
if [ "$what" = error ]; then
    [ "$status" = 2 ] || { echo "figure: $config: expected a config error, the run gave status $status" >&2; exit 1; }
    sed -n '1s/^[^:]*:\([0-9]*:[0-9]*\):.*/\1/p' "$dir.err"
    exit 0
fi
[ "$status" = 0 ] || { echo "figure: $config: the run failed:" >&2; cat "$dir.err" >&2; exit 1; }

# One column of a CSV file by its header name, in rows where column
# keycol equals key (every row when keycol is empty); libcsv wrote them,
# and none of these fields holds a comma or a quote.
column() {
    awk -F, -v col="$2" -v keycol="$3" -v key="$4" '
    NR == 1 { for (i = 1; i <= NF; i++) { h = $i; gsub(/"/, "", h); c[h] = i }
              if (!(col in c)) { print "figure: no column " col > "/dev/stderr"; exit 1 } next }
    keycol == "" || $c[keycol] == key || $c[keycol] == "\"" key "\"" { v = $c[col]; gsub(/"/, "", v); print v }' "$1"
}

case $what in
mark:*)
    value=$(awk -F, -v text="${what#mark:}" '$5 == "mark" && ($6 == text || $6 == "\"" text "\"") { t = $1 } END { print t }' "$dir/log.csv") ;;
summary:*)
    value=$(column "$dir/summary.csv" "${what#summary:}" "" "") ;;
threads:*:*)
    rest=${what#threads:}
    value=$(column "$dir/threads.csv" "${rest#*:}" thread "${rest%%:*}") ;;
results)
    value=$(awk -F, '$5 == "result" { v = $6; gsub(/"/, "", v); sub(/^[^(]*\(/, "", v); sub(/s?\)$/, "", v); out = out (out == "" ? "" : ", ") v } END { print out }' "$dir/log.csv") ;;
*)
    echo "figure: unknown WHAT '$what'" >&2; exit 2 ;;
esac
[ -n "$value" ] || { echo "figure: $config gives no $what" >&2; exit 1; }

case $format in
none) echo "$value" ;;
s[0-9]) awk -v v="$value" -v d="${format#s}" 'BEGIN { printf "%.*f s\n", d, v / 1e9 }' ;;
ms[0-9]) awk -v v="$value" -v d="${format#ms}" 'BEGIN { printf "%.*f ms\n", d, v / 1e6 }' ;;
us[0-9]) awk -v v="$value" -v d="${format#us}" 'BEGIN { printf "%.*f µs\n", d, v / 1e3 }' ;;
fraction[0-9]) awk -v v="$value" -v d="${format#fraction}" 'BEGIN { printf "%.*f\n", d, v }' ;;
*) echo "figure: unknown FORMAT '$format'" >&2; exit 2 ;;
esac
