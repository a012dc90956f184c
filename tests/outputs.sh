#!/bin/sh
# outputs.sh — the outputs the README quotes are what the commands print.
#
# usage: tests/outputs.sh check|update [README]
#
# A quoted output is the text between a line
#     <!-- BEGIN output: COMMAND -->
# (or "<!-- BEGIN output lines=SPEC: COMMAND -->") and the next line
#     <!-- END output -->
# The script runs COMMAND with sh, from a scratch folder holding links to
# the repository's build/, configs/, plots/ and tests/ (so what it writes under
# out/ never touches the user's runs), its standard error merged into its
# standard output, and puts what it printed there in a ``` block.
# lines=SPEC keeps some lines only, e.g. lines=1-5,12- (the first five,
# then from the twelfth on); a "..." line stands for the lines left out.
# "<!-- BEGIN table: COMMAND -->" does the same without the fence, for a
# command that prints Markdown.  A figure quoted inside a sentence or a
# table cell is written <!--= COMMAND -->FIGURE<!--/--> (the comments do
# not show): COMMAND prints the figure, usually with tests/figure.sh.
#
# check compares with every figure the simulation computes exact: only
# what the machine measures is masked on both sides first (MASKS below:
# wall times, events per second, the process's own peak memory; and the
# version of the binary, which key.csv and summary.csv record). It fails
# with a diff; update rewrites the blocks from the commands.  A block that
# differs only in what is masked is left as it is, so the measured figures
# it quotes change only with the simulated ones.  The blocks' commands run
# at the same time (the costly ones are the benchmark scenarios'), then
# the inline figures one after the other.
mode=$1 readme=${2:-README.md}
case $mode in
check|update) ;;
*) echo "usage: $0 check|update [README]" >&2; exit 2 ;;
esac
root=$(pwd)
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/run" "$tmp/out" || exit 2
for d in build configs plots tests; do ln -s "$root/$d" "$tmp/run/$d" || exit 2; done

# What the machine measures, not the model: masked before comparing.
MASKS='
s/[0-9][0-9.]* s of wall time \([0-9][0-9.]* [kMG]*\/s\)/<wall time>/g
s/peak memory [0-9][0-9.]* [KMG]iB/peak memory <rss>/g
s/runs in [0-9][0-9.]* s \([0-9][0-9.]* ms per run, of which [0-9][0-9.]* ms loading and setting up\)/runs in <wall time>/g
s/runs in [0-9][0-9.]* s on [0-9]+ workers/runs in <wall time>/g
s/[0-9]+\.[0-9]+\.[0-9]+ \(git [A-Za-z0-9._+-]+\)/<gilsim version>/g
'

# The commands, one file each: cmd.1, cmd.2, ... in the README's order,
# and what each block holds now: old.1, old.2, ...
awk -v dir="$tmp/out" '
function fail(msg) { print FILENAME ":" NR ": " msg > "/dev/stderr"; bad = 1 }
/^<!-- BEGIN (output|table)( lines=[0-9,-]+)?: .* -->$/ {
    if (open) fail("BEGIN inside the block of line " open)
    open = NR
    n++
    line = $0
    sub(/^<!-- BEGIN /, "", line)
    sub(/ -->$/, "", line)
    kind = line; sub(/[ :].*/, "", kind)
    spec = ""
    if (line ~ /^[a-z]+ lines=/) { spec = line; sub(/^[a-z]+ lines=/, "", spec); sub(/:.*/, "", spec) }
    cmd = line; sub(/^[^:]*: /, "", cmd)
    print cmd > (dir "/cmd." n); close(dir "/cmd." n)
    print kind " " spec > (dir "/how." n); close(dir "/how." n)
    printf "" > (dir "/old." n)
    next
}
/^<!-- END output -->$/ { if (!open) fail("END output without its BEGIN"); open = 0; close(dir "/old." n) }
open { print > (dir "/old." n) }
END { if (open) fail("the block of line " open " has no END"); exit bad }
' "$readme" || { echo "outputs: $readme left as it is: its markers are wrong (above)"; exit 2; }

# Keeps the lines SPEC names (all without one), with "..." for each gap.
select_lines() {
    awk -v spec="$1" '
    BEGIN {
        n = split(spec, r, ",")
        for (i = 1; i <= n; i++) {
            split(r[i], ab, "-")
            lo[i] = ab[1] + 0
            hi[i] = (r[i] ~ /-$/) ? 1e18 : (r[i] ~ /-/ ? ab[2] + 0 : lo[i])
        }
    }
    {
        if (spec == "") { print; next }
        keep = 0
        for (i = 1; i <= n; i++) if (NR >= lo[i] && NR <= hi[i]) keep = 1
        if (keep) { if (gap) print "..."; gap = 0; print } else gap = 1
    }
    END { if (gap) print "..." }'
}

i=1
while [ -f "$tmp/out/cmd.$i" ]; do
    (cd "$tmp/run" && sh "$tmp/out/cmd.$i") >"$tmp/out/raw.$i" 2>&1 &
    i=$((i + 1))
done
wait
blocks=$((i - 1))
i=1
while [ "$i" -le "$blocks" ]; do
    read -r kind spec <"$tmp/out/how.$i"
    {
        [ "$kind" = output ] && echo '```'
        select_lines "$spec" <"$tmp/out/raw.$i"
        [ "$kind" = output ] && echo '```'
    } >"$tmp/out/block.$i"
    sed -E "$MASKS" "$tmp/out/block.$i" >"$tmp/out/masked.$i"
    if sed -E "$MASKS" "$tmp/out/old.$i" | cmp -s - "$tmp/out/masked.$i"; then
        cp "$tmp/out/old.$i" "$tmp/out/block.$i"
    fi
    i=$((i + 1))
done

# The README with every block replaced by its command's output, and every
# inline figure by what its command prints now (runs shared: figure.sh).
FIGURE_CACHE=$tmp/figures; export FIGURE_CACHE
mkdir "$FIGURE_CACHE" || exit 2
awk -v dir="$tmp/out" -v run="$tmp/run" '
function figure(cmd,    line, got) {
    got = ""
    line = "cd \047" run "\047 && " cmd
    while ((line | getline v) > 0) got = got v
    close(line)
    if (got == "") { print FILENAME ":" NR ": no figure from: " cmd > "/dev/stderr"; bad = 1 }
    return got
}
/<!--= / {
    out = ""
    rest = $0
    while (match(rest, /<!--= [^>]* -->[^<]*<!--\/-->/)) {
        m = substr(rest, RSTART, RLENGTH)
        cmd = m; sub(/^<!--= /, "", cmd); sub(/ -->.*$/, "", cmd)
        out = out substr(rest, 1, RSTART - 1) "<!--= " cmd " -->" figure(cmd) "<!--/-->"
        rest = substr(rest, RSTART + RLENGTH)
    }
    if (rest ~ /<!--= /) { print FILENAME ":" NR ": a figure without its <!--/-->" > "/dev/stderr"; bad = 1 }
    $0 = out rest
}
/^<!-- BEGIN (output|table)( lines=[0-9,-]+)?: .* -->$/ {
    print
    n++
    f = dir "/block." n
    while ((getline line < f) > 0) print line
    close(f)
    skip = 1
    next
}
/^<!-- END output -->$/ { skip = 0 }
!skip { print }
END { exit bad }' "$readme" >"$tmp/readme" || { echo "outputs: $readme left as it is: a quoted figure is wrong (above)"; exit 1; }

if cmp -s "$readme" "$tmp/readme"; then
    echo "outputs: $readme quotes what its $blocks commands and its figures print"
    exit 0
fi
if [ "$mode" = update ]; then
    cat "$tmp/readme" >"$readme" && echo "outputs: rewrote the quoted outputs and figures in $readme"
    exit 0
fi
sed -E "$MASKS" "$readme" >"$tmp/old.masked"
sed -E "$MASKS" "$tmp/readme" >"$tmp/new.masked"
diff -u "$tmp/old.masked" "$tmp/new.masked" | sed "1,2d"
echo "outputs: $readme quotes outputs its commands no longer print (above, - README, + now; measured times masked); 'make docs' rewrites them"
exit 1
