# latency.gp — CDF of the extra wait after each blocking I/O completes,
# until the thread runs Python again (DIR/latency.dat, written by
# `gilsim plot`): wake-up + waiting for the GIL.  A convoy shows as a step
# at one switch interval.  (Several runs in one figure: latency_compare.gp.)
# usage: gnuplot -c plots/latency.gp DIR [FMT [CAPTION [OUT [DATA]]]]
#   (writes OUT, by default DIR/latency.FMT, from DIR/DATA, by default
#   latency.dat; FMT png|svg|pdf; CAPTION the title's second line, by
#   default the run's config name)
# The arguments are plain strings, never run or expanded: a folder may
# hold spaces or quotes.
path(p) = (p[1:1] eq '/') ? p : './'.p
dir = path(ARG1 ne '' ? ARG1 : 'out/default')
fmt = ARG2 ne '' ? ARG2 : 'png'
out = ARG4 ne '' ? path(ARG4) : dir.'/latency.'.fmt
data = dir.'/'.(ARG5 ne '' ? ARG5 : 'latency.dat')
if (ARG3 ne '') {
    caption = ARG3
} else {
    set datafile separator comma
    set datafile columnheaders
    stats dir.'/summary.csv' using (caption = strcol("config"), 0) nooutput
    set datafile nocolumnheaders
    set datafile separator whitespace
}
if (fmt eq 'svg') set terminal svg size 800,450 font "sans,11" background rgb "white"
if (fmt eq 'pdf') set terminal pdfcairo size 8in,4.5in font "sans,9"
if (fmt eq 'png') set terminal pngcairo size 800,450 font "sans,10"
set output out
stats data using (column(1)*1e3) name 'L' nooutput
set title sprintf("Wait after I/O completes until Python runs again (%d operations; median %.3g ms, max %.3g ms)\n%s", L_records, L_median, L_max, caption) noenhanced
set xlabel "extra wait after the I/O (ms, log scale)"
set ylabel "fraction of operations"
set logscale x
set offsets graph 0.05, graph 0.05, 0, 0
set yrange [0:1.02]
set grid
set key off
plot data using (column(1)*1e3 > 1e-4 ? column(1)*1e3 : 1e-4):(1.0) smooth cnormal with steps lw 2 lc rgb "#0072B2"
