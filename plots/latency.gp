# latency.gp — CDF of the extra wait after each blocking I/O completes,
# until the thread runs Python again (DIR/latency.dat, written by
# `gilsim plot`): wake-up + waiting for the GIL.  A convoy shows as a step
# at one switch interval.  One curve per run: DIR for one, or more folders
# after OUT (each already plotted once) to compare configurations.
# usage: gnuplot -c plots/latency.gp DIR [FMT [CAPTION [OUT [DIR2 ... DIR6]]]]
#   (writes OUT, by default DIR/latency.FMT; FMT png|svg|pdf)
# The arguments are plain strings, never run or expanded: a folder may
# hold spaces or quotes.
path(p) = (p[1:1] eq '/') ? p : './'.p
array dirs[6]
dirs[1] = path(ARG1 ne '' ? ARG1 : 'out/default')
n = 1
do for [i = 5:ARGC] { n = n + 1; dirs[n] = path(value('ARG'.i)) }
fmt = ARG2 ne '' ? ARG2 : 'png'
caption = ARG3 ne '' ? ARG3 : ARG1
out = ARG4 ne '' ? path(ARG4) : dirs[1].'/latency.'.fmt
if (fmt eq 'svg') set terminal svg size 800,450 font "sans,11" background rgb "white"
if (fmt eq 'pdf') set terminal pdfcairo size 8in,4.5in font "sans,9"
if (fmt eq 'png') set terminal pngcairo size 800,450 font "sans,10"
set output out
stats dirs[1].'/latency.dat' using (column(1)*1e3) name 'L' nooutput
if (n == 1) {
    set title sprintf("Wait after I/O completes until Python runs again (%d operations; median %.3g ms, max %.3g ms)\n%s", L_records, L_median, L_max, caption) noenhanced
} else {
    set title "Wait after I/O completes until Python runs again: one curve per run" noenhanced
}
set xlabel "extra wait after the I/O (ms, log scale)"
set ylabel "fraction of operations"
set logscale x
set offsets graph 0.05, graph 0.05, 0, 0
set yrange [0:1.02]
set grid
set key bottom right noenhanced
if (n == 1) set key off
plot for [i=1:n] dirs[i].'/latency.dat' \
     using (column(1)*1e3 > 1e-4 ? column(1)*1e3 : 1e-4):(1.0) smooth cnormal with steps lw 2 title dirs[i]
