# scaling.gp — throughput (function calls per second) against the number of
# CPU-bound workers, one curve per model.  Reads one `gilsim sweep` table
# per model, ROOT/<model>/sweep.csv, whose column VARY holds the number of
# workers (by column name; calls per second = ops_done / makespan), as
# `make figures` writes them.
# usage: gnuplot -e "root='out/figures/scaling'; models='threads processes free-threaded'" plots/scaling.gp
if (!exists("root")) root = 'out/figures/scaling'
if (!exists("models")) models = 'threads processes free-threaded'
if (!exists("vary")) vary = 'processes.0.main.0.count'
if (!exists("out")) out = root.'/scaling.png'
set datafile separator comma
set datafile columnheaders
set print root.'/points.dat'
do for [m in models] {
    f = root.'/'.m.'/sweep.csv'
    stats f using (column(vary)) name 'N' nooutput
    do for [i = 0:int(N_records) - 1] {
        stats f every ::i::i using (column(vary)) name 'X' nooutput
        stats f every ::i::i using (column("ops_done") / (column("makespan_ns") / 1e9)) name 'Y' nooutput
        print sprintf("%s %d %g", m, int(X_max), Y_max)
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
