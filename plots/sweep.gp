# sweep.gp — one metric of a sweep against one of its varied keys, a curve
# per combination of the other keys, each with its 95 % confidence band
# over the seeds (from sweep_summary.csv).  `gilsim sweep --plot METRIC`
# writes the data and runs this.
# usage: gnuplot -c plots/sweep.gp DAT OUT FMT TITLE XLABEL YLABEL CATEGORICAL
#   DAT: one block per curve, blocks two blank lines apart, each starting
#   with a line holding the curve's title, then tab-separated rows
#   "x mean low high xlabel"; CATEGORICAL 1: x is the value's rank and the
#   tics are labelled with xlabel.  FMT png|svg|pdf.
# The arguments are plain strings, never run or expanded.
path(p) = (p[1:1] eq '/') ? p : './'.p
dat = path(ARG1)
out = path(ARG2)
fmt = ARG3 ne '' ? ARG3 : 'png'
if (fmt eq 'svg') set terminal svg size 800,450 font "sans,11" background rgb "white"
if (fmt eq 'pdf') set terminal pdfcairo size 8in,4.5in font "sans,9"
if (fmt eq 'png') set terminal pngcairo size 800,450 font "sans,10"
set datafile separator "\t"
set output out
set title ARG4 noenhanced
set xlabel ARG5 noenhanced
set ylabel ARG6 noenhanced
stats dat using 2 nooutput
n = STATS_blocks
set grid
set key outside right top noenhanced
set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05
set style fill transparent solid 0.2 noborder
array colours[8] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
if (ARG7 eq '1') {
    plot for [i=0:n-1] dat index i using 1:3:4 with filledcurves lc rgb colours[i % 8 + 1] notitle, \
         for [i=0:n-1] dat index i using 1:2:xtic(5) with linespoints lw 2 pt 7 \
             lc rgb colours[i % 8 + 1] title columnheader(1)
} else {
    plot for [i=0:n-1] dat index i using 1:3:4 with filledcurves lc rgb colours[i % 8 + 1] notitle, \
         for [i=0:n-1] dat index i using 1:2 with linespoints lw 2 pt 7 \
             lc rgb colours[i % 8 + 1] title columnheader(1)
}
