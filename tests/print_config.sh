#!/bin/sh
# print_config.sh — gilsim run --print-config over every shipped config: the
# text it prints loads, prints itself again unchanged, and runs the same
# simulation as the config it came from, over its whole duration
# (threads.csv, log.csv and tasks.csv byte for byte, summary.csv but for
# its wall time); a config the loader refuses is refused the same way.  Run from the project root (make print-config-check, part of make
# test).
bin=${1:-build/gilsim}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
fail() { echo "print-config-check: $*"; exit 1; }
n=0
for cfg in configs/*.yaml configs/seed/*.yaml tests/bench/*.yaml tests/regress/*.yaml; do
    if ! "$bin" run "$cfg" --print-config >"$tmp/e1.yaml" 2>"$tmp/err"; then
        "$bin" run "$cfg" -q -o "$tmp/refused" --trace none >/dev/null 2>&1 &&
            fail "$cfg runs, but --print-config refused it: $(cat "$tmp/err")"
        continue
    fi
    "$bin" run "$tmp/e1.yaml" --print-config >"$tmp/e2.yaml" 2>&1 ||
        fail "the effective config of $cfg does not load: $(head -3 "$tmp/e2.yaml")"
    cmp -s "$tmp/e1.yaml" "$tmp/e2.yaml" ||
        fail "printing the effective config of $cfg again changed it: $(diff "$tmp/e1.yaml" "$tmp/e2.yaml" | head -5)"
    n=$((n + 1))
    case $cfg in tests/bench/*) continue ;; esac     # minutes of simulated time: printed only
    rm -rf "$tmp/a" "$tmp/b"
    "$bin" run "$cfg" -q -o "$tmp/a" --trace summary >/dev/null 2>&1
    rca=$?
    "$bin" run "$tmp/e1.yaml" -q -o "$tmp/b" --trace summary >/dev/null 2>&1
    rcb=$?
    [ $rca = $rcb ] || fail "$cfg exits $rca, its effective config $rcb"
    for f in threads.csv log.csv tasks.csv summary.csv; do
        [ -f "$tmp/a/$f" ] || continue
        if [ $f = summary.csv ]; then      # all but wall_s, the run's own wall time
            for d in a b; do
                python3 -c 'import csv,sys
r=list(csv.reader(open(sys.argv[1])))
w=r[0].index("wall_s")
csv.writer(sys.stdout).writerows([x[:w]+x[w+1:] for x in r])' "$tmp/$d/$f" >"$tmp/$d/cut.csv"
            done
            f=cut.csv
        fi
        cmp -s "$tmp/a/$f" "$tmp/b/$f" || fail "$cfg and its effective config differ in $f"
    done
done
[ $n -gt 20 ] || fail "only $n configs printed"
"$bin" sweep configs/default.yaml --vary machine.cores=1,2 --print-config >"$tmp/out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "belongs to 'gilsim run'" "$tmp/out" ||
    fail "sweep --print-config: exit $rc, $(cat "$tmp/out")"
"$bin" run configs/default.yaml --set python.switch_interval=5ms --print-config >"$tmp/out" &&
    grep -qx "  switch_interval: 5ms" "$tmp/out" || fail "--print-config does not show a --set"
grep -qx "  sched_latency: 6ms" "$tmp/out" || fail "--print-config does not show a default (os.sched_latency)"
"$bin" run configs/default.yaml --set 'os.wake_latency=lognormal(6us, 0.1234567)' --print-config \
    >"$tmp/out" && grep -qx "  wake_latency: lognormal(6us, 0.1234567)" "$tmp/out" ||
    fail "--print-config does not write a lognormal's sigma exactly: $(grep wake_latency: "$tmp/out")"
echo "print-config-check: $n configs: the effective config loads, prints itself, runs the same"
