# latency_compare.gp — the latency CDFs of several runs in one figure, one
# curve each, named by the run's config and switch interval (from its
# summary.csv, never by its folder): e.g. the convoy at 1, 5 and 15 ms.
# Each run folder must have been plotted once (gilsim plot DIR), which
# writes its latency.dat.
# usage: gnuplot -c plots/latency_compare.gp OUT DIR1 [DIR2 ... DIR8]
#   (OUT a .png file)
# The arguments are plain strings, never run or expanded: folders may hold
# spaces or quotes.
path(p) = (p[1:1] eq '/') ? p : './'.p
out = path(ARG1 ne '' ? ARG1 : 'latency_compare.png')
n = ARGC > 1 ? ARGC - 1 : 1
array dirs[n]
array names[n]
dirs[1] = path('out/default')
do for [i = 2:ARGC] { dirs[i - 1] = path(value('ARG'.i)) }
set datafile separator comma
set datafile columnheaders
do for [i = 1:n] {
    stats dirs[i].'/summary.csv' using (c = strcol("config"), si = column("switch_interval_ns"), 0) nooutput
    names[i] = sprintf("%s, switch interval %g ms", c, si / 1e6)
}
set datafile nocolumnheaders
set datafile separator whitespace
set terminal pngcairo size 800,450 font "sans,10"
set output out
set title "Wait after I/O completes until Python runs again: one curve per run" noenhanced
set xlabel "extra wait after the I/O (ms, log scale)"
set ylabel "fraction of operations"
set logscale x
set offsets graph 0.05, graph 0.05, 0, 0
set yrange [0:1.02]
set grid
set key bottom right noenhanced
array colours[8] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
plot for [i=1:n] dirs[i].'/latency.dat' \
     using (column(1)*1e3 > 1e-4 ? column(1)*1e3 : 1e-4):(1.0) smooth cnormal with steps lw 2 \
     lc rgb colours[(i - 1) % 8 + 1] title names[i]
