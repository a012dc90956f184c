#!/bin/sh
# identical.sh OLD NEW [OLD_TREE] — do two gilsim binaries give the same results?
#
# Runs every shipped config (configs/, configs/seed/, tests/bench/) under
# each GIL policy and each scheduler with both binaries, 2 s simulated, and
# compares exit statuses, stderr, trace.csv, log.csv and trace.json byte
# for byte, and threads.csv and summary.csv column by column: every column
# both files have must hold the same values (summary.csv's wall_s and
# events aside: wall time, and the event count that batching changes; and
# gilsim_version and config_hash, which name the binary and the effective
# config, whose new keys change it without changing a result).  A
# column only one side has is a deliberate change of the file's shape, not
# of a result: it is listed once at the end.  trace.csv too is compared
# column by column when its header differs (a column added since OLD,
# such as `gil`), so that such a change is listed once, not as every
# trace differing.  With OLD_TREE (the old
# commit's files), a config the old tree does not have is new: it is
# skipped and counted.  Prints each difference and a closing count; exits
# 1 if any.  `make identical BASE=<commit>` builds the commit and compares
# it with build/gilsim (`CORES=N` too: every run on N cores); `make
# web-check` compares the WebAssembly build with the native one.
# CONFIGS="A.yaml B.yaml" compares those configs alone.
old=$1 new=$2 oldtree=$3
# CORES=N runs every config on N cores (the shipped ones have at most 8;
# above 16 the scheduler keeps its index of the cores instead of scanning).
cores=${CORES:+--set machine.cores=$CORES}
[ -x "$old" ] && [ -x "$new" ] || { echo "usage: $0 OLD_GILSIM NEW_GILSIM [OLD_TREE]" >&2; exit 2; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/old" "$tmp/new"
runs=0 diffs=0 fresh=0

# Do the CSV files OLD and NEW hold the same values in every column both
# have (wall_s, events, gilsim_version and config_hash aside)?  Columns only one has go to $tmp/shape.
same_columns() {
  python3 - "$1" "$2" "$tmp/shape" <<'PY'
import csv, os, sys
old, new, shape = sys.argv[1:]
rows = [list(csv.DictReader(open(p, newline=""))) for p in (old, new)]
heads = [next(csv.reader(open(p, newline="")), []) for p in (old, new)]
common = [c for c in heads[0] if c in heads[1] and c not in ("wall_s", "events", "gilsim_version", "config_hash")]
with open(shape, "a") as out:
    for c in heads[1]:
        if c not in heads[0]:
            out.write("%s: column added: %s\n" % (os.path.basename(new), c))
    for c in heads[0]:
        if c not in heads[1]:
            out.write("%s: column removed: %s\n" % (os.path.basename(new), c))
pick = lambda rs: [[r.get(c) for c in common] for r in rs]
sys.exit(0 if pick(rows[0]) == pick(rows[1]) else 1)
PY
}

# trace.csv byte for byte; by its common columns if its header changed.
same_trace() {
  cmp -s "$1" "$2" && return 0
  [ "$(head -n 1 "$1")" != "$(head -n 1 "$2")" ] && same_columns "$1" "$2"
}
for cfg in ${CONFIGS:-configs/*.yaml configs/seed/*.yaml tests/bench/*.yaml}; do
  if [ -n "$oldtree" ] && [ ! -f "$oldtree/$cfg" ]; then fresh=$((fresh + 1)); continue; fi
  for gil in new old none per-interpreter; do
    for sched in cfs rr; do
      name=$(basename "$cfg" .yaml)-$gil-$sched
      for side in old new; do       # both at once: they share nothing
        if [ $side = old ]; then bin=$old; else bin=$new; fi
        { "$bin" run "$cfg" -q --perfetto -o "$tmp/$side/$name" --set duration=2s \
            --set python.gil=$gil --set os.scheduler=$sched $cores >/dev/null 2>"$tmp/$side/$name.err"
          echo $? >"$tmp/$side/$name.rc"; } &
      done
      wait
      runs=$((runs + 1))
      for f in rc err; do
        cmp -s "$tmp/old/$name.$f" "$tmp/new/$name.$f" || { echo "differs: $name ($f)"; diffs=$((diffs + 1)); }
      done
      [ -d "$tmp/old/$name" ] || continue
      same_trace "$tmp/old/$name/trace.csv" "$tmp/new/$name/trace.csv" ||
        { echo "differs: $name/trace.csv"; diffs=$((diffs + 1)); }
      for f in log.csv trace.json; do
        cmp -s "$tmp/old/$name/$f" "$tmp/new/$name/$f" || { echo "differs: $name/$f"; diffs=$((diffs + 1)); }
      done
      for f in threads.csv summary.csv; do
        same_columns "$tmp/old/$name/$f" "$tmp/new/$name/$f" ||
          { echo "differs: $name/$f"; diffs=$((diffs + 1)); }
      done
      rm -rf "$tmp/old/$name" "$tmp/new/$name"
    done
  done
done
[ -f "$tmp/shape" ] && sort -u "$tmp/shape"
[ $fresh = 0 ] || echo "$fresh configs new since the old tree: not compared"
echo "$runs runs compared, $diffs differences"
[ $diffs = 0 ]
