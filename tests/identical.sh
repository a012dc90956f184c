#!/bin/sh
# identical.sh OLD NEW — do two gilsim binaries give the same results?
#
# Runs every shipped config (configs/, configs/seed/, tests/bench/) under
# each GIL policy and each scheduler with both binaries, 2 s simulated, and
# compares exit statuses, stderr, trace.csv, log.csv, threads.csv and
# trace.json byte for byte, and summary.csv but for its wall_s and events
# columns (wall time, and the event count that batching changes).  Prints
# each difference and a closing count; exits 1 if any.  `make identical
# BASE=<commit>` builds the commit and compares it with build/gilsim.
old=$1 new=$2
[ -x "$old" ] && [ -x "$new" ] || { echo "usage: $0 OLD_GILSIM NEW_GILSIM" >&2; exit 2; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/old" "$tmp/new"
runs=0 diffs=0
for cfg in configs/*.yaml configs/seed/*.yaml tests/bench/*.yaml; do
  for gil in new old none per-interpreter; do
    for sched in cfs rr; do
      name=$(basename "$cfg" .yaml)-$gil-$sched
      for side in old new; do
        if [ $side = old ]; then bin=$old; else bin=$new; fi
        "$bin" run "$cfg" -q --perfetto -o "$tmp/$side/$name" --set duration=2s \
            --set python.gil=$gil --set os.scheduler=$sched >/dev/null 2>"$tmp/$side/$name.err"
        echo $? >"$tmp/$side/$name.rc"
      done
      runs=$((runs + 1))
      for f in rc err; do
        cmp -s "$tmp/old/$name.$f" "$tmp/new/$name.$f" || { echo "differs: $name ($f)"; diffs=$((diffs + 1)); }
      done
      [ -d "$tmp/old/$name" ] || continue
      for f in trace.csv log.csv threads.csv trace.json; do
        cmp -s "$tmp/old/$name/$f" "$tmp/new/$name/$f" || { echo "differs: $name/$f"; diffs=$((diffs + 1)); }
      done
      python3 - "$tmp/old/$name/summary.csv" "$tmp/new/$name/summary.csv" <<'PY' || { echo "differs: $name/summary.csv"; diffs=$((diffs + 1)); }
import csv, sys
rows = [list(csv.DictReader(open(p, newline=""))) for p in sys.argv[1:]]
for r in rows[0] + rows[1]:
    r.pop("wall_s", None)
    r.pop("events", None)
sys.exit(0 if rows[0] == rows[1] else 1)
PY
      rm -rf "$tmp/old/$name" "$tmp/new/$name"
    done
  done
done
echo "$runs runs compared, $diffs differences"
[ $diffs = 0 ]
