# scaling.gp — throughput (function calls per second) against the number of
# CPU-bound workers, one curve per model.  Reads runs laid out as
# ROOT/<model>-<n>/ (threads.csv and summary.csv, by column name), as
# `make figures` writes them.
# usage: gnuplot -e "root='out/figures/scaling'; models='threads processes free-threaded'; sizes='1 2 4 8 16'" plots/scaling.gp
if (!exists("root")) root = 'out/figures/scaling'
if (!exists("models")) models = 'threads processes free-threaded'
if (!exists("sizes")) sizes = '1 2 4 8 16'
if (!exists("out")) out = root.'/scaling.png'
set datafile separator comma
set datafile columnheaders
set print root.'/points.dat'
do for [m in models] {
    do for [n in sizes] {
        d = root.'/'.m.'-'.n
        stats d.'/threads.csv' using "ops_done" name 'O' nooutput
        stats d.'/summary.csv' using "makespan_ns" name 'T' nooutput
        print sprintf("%s %s %g", m, n, O_sum / (T_max / 1e9))
    }
    print ""
    print ""
}
unset print
set datafile separator whitespace
set datafile nocolumnheaders
set terminal pngcairo size 800,500 font ",10"
set output out
set title "CPU-bound workers: function calls per second (4 cores)" noenhanced
set xlabel "workers"
set ylabel "calls per second"
set logscale x 2
set xtics (1, 2, 4, 8, 16, 32, 64)
set xrange [0.8:*]
set offsets 0, graph 0.05, 0, 0
set yrange [0:*]
set grid
set key top left
plot for [i=1:words(models)] root.'/points.dat' index (i-1) using 2:3 with linespoints lw 2 pt 7 title word(models, i)
