#!/bin/sh
# figure.sh — prints one figure, as a README quotes it.
#
# usage: tests/figure.sh FIGURE [OP FIGURE] [FORMAT]
#
# A FIGURE is one of
#   [--set KEY=VALUE | --seed N]... CONFIG WHAT
#       WHAT of `build/gilsim run CONFIG` (with the options given), from
#       its run folder:
#         mark:TEXT              when the program last printed the mark TEXT
#         summary:COLUMN         a column of summary.csv
#         threads:THREAD:COLUMN  a column of threads.csv, for the thread THREAD
#         tasks:TASK:COLUMN      a column of tasks.csv, for the asyncio task TASK
#         fairness:GROUP:jain    the Jain index of a thread group (GROUP as
#         fairness:GROUP:cv      summary.csv's jain:GROUP or cv:GROUP, e.g. app/worker),
#                                or the coefficient of variation of its work
#         results                the results a consumer took, in order, as
#                                log.csv's `result` rows give them (`, `-separated)
#         error                  the config error's line:column (the run must fail)
#   validation METRIC
#       the simulated column's METRIC (e.g. 'cv n=8') of the validation
#       sample: tests/validation/validate.py --simulated-only with the
#       recorded run tests/validation/sample.csv
#   sample METRIC real|real_min|real_max
#       the recorded real median, or the smallest or largest repetition, of
#       METRIC in tests/validation/sample.csv
#   a number, e.g. 1000
# OP combines two figures: + - * or / (a ratio).
# FORMAT: s3 prints a time in ns as "2.015 s", ms2 as "1.26 ms", us0 as
# "52 µs"; num2 a number with 2 decimals; percent1 a fraction as "25.0 %";
# x2 a ratio as "1.88×"; M1 a count as "2.9 M"; MiB1 and GiB1 bytes as
# "25.6 MiB"; grouped an integer as "58,766"; none (the default) as it is.
# Runs are kept under $FIGURE_CACHE (a folder; default: a temporary one), so
# a README quoting several figures of one run runs it once.
# The READMEs' inline figures call it between <!--= and --> (tests/outputs.sh).
bin=${GILSIM_BIN:-build/gilsim}
usage() {
    echo "usage: $0 FIGURE [OP FIGURE] [FORMAT]; FIGURE: [--set KEY=VALUE | --seed N]... CONFIG WHAT, validation METRIC, sample METRIC COLUMN or a number" >&2
    exit 2
}
if [ -z "$FIGURE_CACHE" ]; then
    FIGURE_CACHE=$(mktemp -d) || exit 2
    trap 'rm -rf "$FIGURE_CACHE"' EXIT
fi

# One column of a CSV file by its header name, in rows where column
# keycol equals key (every row when keycol is empty); libcsv and Python's
# csv wrote them, and no field read here holds a comma or a quote.
column() {
    awk -F, -v col="$2" -v keycol="$3" -v key="$4" '
    NR == 1 { for (i = 1; i <= NF; i++) { h = $i; gsub(/"/, "", h); c[h] = i }
              if (!(col in c) || (keycol != "" && !(keycol in c))) { print "figure: no column " col > "/dev/stderr"; exit 1 } next }
    keycol == "" || $c[keycol] == key || $c[keycol] == "\"" key "\"" { v = $c[col]; gsub(/"/, "", v); print v }' "$1"
}

# Runs the command after the folder once: DIR holds what it wrote, DIR.out
# what it printed, DIR.status its exit status.
run_once() {
    dir=$1
    shift
    if [ ! -f "$dir.status" ]; then
        rm -rf "$dir"
        "$@" >"$dir.out" 2>&1
        echo $? >"$dir.status"
    fi
    status=$(cat "$dir.status")
}

# WHAT of the run of CONFIG with the options OPTS (one a line): sets $value.
gilsim_figure() {
    config=$1 what=$2 opts=$3
    dir=$FIGURE_CACHE/run-$(printf '%s\n' "$opts" "$config" | cksum | tr ' ' '-')
    # shellcheck disable=SC2086
    (IFS='
'; set -f; run_once "$dir" "$bin" run "$config" $opts -q --trace summary -o "$dir")
    status=$(cat "$dir.status")
    if [ "$what" = error ]; then
        [ "$status" = 2 ] || { echo "figure: $config: expected a config error, the run gave status $status" >&2; exit 1; }
        value=$(sed -n '1s/^[^:]*:\([0-9]*:[0-9]*\):.*/\1/p' "$dir.out")
        return
    fi
    [ "$status" = 0 ] || { echo "figure: $config: the run failed:" >&2; cat "$dir.out" >&2; exit 1; }
    case $what in
    mark:*)
        value=$(awk -F, -v text="${what#mark:}" '$5 == "mark" && ($6 == text || $6 == "\"" text "\"") { t = $1 } END { print t }' "$dir/log.csv") ;;
    summary:*)
        value=$(column "$dir/summary.csv" "${what#summary:}" "" "") ;;
    threads:*:*)
        rest=${what#threads:}
        value=$(column "$dir/threads.csv" "${rest#*:}" thread "${rest%%:*}") ;;
    tasks:*:*)
        rest=${what#tasks:}
        value=$(column "$dir/tasks.csv" "${rest#*:}" task "${rest%%:*}") ;;
    fairness:*:jain|fairness:*:cv)
        rest=${what#fairness:}
        value=$(column "$dir/summary.csv" "${rest##*:}:${rest%:*}" "" "") ;;
    results)
        value=$(awk -F, '$5 == "result" { v = $6; gsub(/"/, "", v); sub(/^[^(]*\(/, "", v); sub(/s?\)$/, "", v); out = out (out == "" ? "" : ", ") v } END { print out }' "$dir/log.csv") ;;
    *)
        echo "figure: unknown WHAT '$what'" >&2; exit 2 ;;
    esac
    [ -n "$value" ] || { echo "figure: $config gives no $what" >&2; exit 1; }
}

# The validation sample's simulated METRIC: sets $value.
validation_figure() {
    dir=$FIGURE_CACHE/validation
    run_once "$dir" python3 tests/validation/validate.py --simulated-only \
        --calibration tests/validation/sample.csv --out "$dir"
    [ "$status" = 0 ] || { echo "figure: the validation's simulated side failed:" >&2; cat "$dir.out" >&2; exit 1; }
    value=$(column "$dir/validation.csv" simulated metric "$1")
    [ -n "$value" ] || { echo "figure: the validation gives no $1" >&2; exit 1; }
}

# The validation sample's recorded real figure: sets $value.
sample_figure() {
    case $2 in real|real_min|real_max) ;; *) usage ;; esac
    value=$(grep -v '^#' tests/validation/sample.csv | column /dev/stdin "$2" metric "$1")
    [ -n "$value" ] || { echo "figure: the validation sample records no $2 of $1" >&2; exit 1; }
}

# One FIGURE from the front of the arguments: sets $value and $took (how
# many arguments it used).
figure() {
    took=0 opts=
    while [ "$1" = --set ] || [ "$1" = --seed ]; do
        [ $# -ge 2 ] || usage
        opts="$opts$1
$2
"
        shift 2
        took=$((took + 2))
    done
    case $1 in
    validation)
        [ $# -ge 2 ] && [ -z "$opts" ] || usage
        validation_figure "$2"
        took=$((took + 2)) ;;
    sample)
        [ $# -ge 3 ] && [ -z "$opts" ] || usage
        sample_figure "$2" "$3"
        took=$((took + 3)) ;;
    [0-9]*)
        [ -z "$opts" ] || usage
        value=$1
        took=$((took + 1)) ;;
    *)
        [ $# -ge 2 ] || usage
        gilsim_figure "$1" "$2" "$opts"
        took=$((took + 2)) ;;
    esac
    case $value in
    *"
"*) echo "figure: $1 $2 gives more than one value" >&2; exit 1 ;;
    esac
}

figure "$@"
shift "$took"
case $1 in
+|-|\*|/)
    op=$1
    left=$value
    shift
    figure "$@"
    shift "$took"
    value=$(awk -v a="$left" -v b="$value" -v op="$op" 'BEGIN {
        if (op == "/" && b == 0) { print "figure: a ratio over 0" > "/dev/stderr"; exit 1 }
        printf "%.17g\n", op == "+" ? a + b : op == "-" ? a - b : op == "*" ? a * b : a / b }') || exit 1 ;;
esac
[ $# -le 1 ] || usage
format=${1:-none}

# awk's printf rounds the way C's does: the same figure on every machine.
show() { awk -v v="$value" -v d="$2" -v scale="$1" -v unit="$3" 'BEGIN { printf "%.*f%s\n", d, v / scale, unit }'; }
case $format in
none) echo "$value" ;;
s[0-9]) show 1e9 "${format#s}" " s" ;;
ms[0-9]) show 1e6 "${format#ms}" " ms" ;;
us[0-9]) show 1e3 "${format#us}" " µs" ;;
num[0-9]) show 1 "${format#num}" "" ;;
percent[0-9]) show 0.01 "${format#percent}" " %" ;;
x[0-9]) show 1 "${format#x}" "×" ;;
M[0-9]) show 1e6 "${format#M}" " M" ;;
MiB[0-9]) show 1048576 "${format#MiB}" " MiB" ;;
GiB[0-9]) show 1073741824 "${format#GiB}" " GiB" ;;
grouped) awk -v v="$value" 'BEGIN { s = sprintf("%.0f", v); t = ""
    while (length(s) > 3) { t = "," substr(s, length(s) - 2) t; s = substr(s, 1, length(s) - 3) }
    print s t }' ;;
*) echo "figure: unknown FORMAT '$format'" >&2; exit 2 ;;
esac
