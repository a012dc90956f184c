# validation.gp — gilsim vs real CPython: one dot per row of validation.csv
# (tests/validation/validate.py), at ratio = simulated / real on a log axis,
# coloured by scenario, with ratio = 1 as a line and 1/1.5..1.5 shaded.
# usage: gnuplot -c plots/validation.gp DIR [MODE [CAL]]
#        (writes DIR/validation.png; e.g. MODE full, CAL '53.1 ns/iteration')
# The arguments are plain strings, never run or expanded.
path(p) = (p[1:1] eq '/') ? p : './'.p
dir = path(ARG1 ne '' ? ARG1 : 'build/validation')
mode = ARG2
cal = ARG3
file = dir.'/validation.csv'

set datafile separator comma
stats file using 4 skip 1 name 'R' nooutput
n = R_records

xmin = 0.02
xmax = 50.0
clamp(r) = r < xmin ? xmin : (r > xmax ? xmax : r)
# scenario colour: "calibration" 6, "1_cpu_threads" 1, ... "12_..." 2: five
# colours in turn (the number before the first '_')
scol(s) = s eq 'calibration' ? 6 : (int(s[1:strstrt(s, '_') - 1] + 0) - 1) % 5 + 1
label(s, m) = (s eq 'calibration' ? 'calibration' : s[strstrt(s, '_') + 1:]) . ':  ' . m
# ratio text; off-scale dots say so
rtext(r, re, si) = (r > xmax ? sprintf("%.3g (off scale)", r) : (r < xmin ? sprintf("%.3g (off scale)", r) : sprintf("%.2f", r))) . sprintf("   sim %.4g / real %.4g", si, re)
# a rule above the first row of each scenario (gnuplot keeps `prev` between rows)
prev = ''
newsc(s) = (c = (s ne prev && prev ne ''), prev = s, c)

set terminal pngcairo size 1150, (170 + 19 * n) font ",10"
set output dir.'/validation.png'
sub = (mode eq '' ? '' : mode.' run') . (cal eq '' ? '' : ', calibrated loop '.cal)
set title "gilsim vs real CPython on this machine: simulated / real, per scenario and metric\n".sub noenhanced

set logscale x
set xrange [xmin:xmax]
set xtics ("0.02" 0.02, "0.05" 0.05, "0.1" 0.1, "0.2" 0.2, "0.5" 0.5, "0.67" 0.6667, "1" 1, "1.5" 1.5, "2" 2, "5" 5, "10" 10, "20" 20, "50" 50)
set xlabel "ratio = simulated / real   (1 = gilsim matches; shaded: within 1.5x; log scale)"
set mxtics 10
set grid xtics
set yrange [-n:1]
set ytics scale 0 noenhanced font ",9"
set border 3
set tics nomirror
set lmargin 44
set rmargin 4
set key off
set style textbox opaque noborder margins 0.5,0.3

set object 1 rect from 1/1.5, graph 0 to 1.5, graph 1 fc rgb "#e6efe6" fs solid 1.0 noborder behind
set arrow 1 from 1, graph 0 to 1, graph 1 nohead lw 2 lc rgb "#333333" back

set linetype 1 lc rgb "#1f77b4"
set linetype 2 lc rgb "#d62728"
set linetype 3 lc rgb "#2ca02c"
set linetype 4 lc rgb "#9467bd"
set linetype 5 lc rgb "#ff7f0e"
set linetype 6 lc rgb "#555555"

plot file skip 1 using (xmin):(newsc(strcol(1)) ? 0.5 - $0 : NaN):(xmax - xmin):(0) \
        with vectors nohead lw 1 lc rgb "#bbbbbb", \
     '' skip 1 using (clamp(column(5))):(-$0):(scol(strcol(1))):ytic(label(strcol(1), strcol(2))) \
        with points pt 7 ps 1.3 lc variable, \
     '' skip 1 using (clamp(column(5))):(-$0):(rtext(column(5), column(3), column(4))) \
        with labels boxed left offset 1.2,0 font ",8" tc rgb "#333333"
