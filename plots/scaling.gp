# scaling.gp — throughput (function calls per second) against the number of
# CPU-bound workers, one curve per model.  Reads one `gilsim sweep` table
# per model, ROOT/<model>/sweep.csv, whose column VARY holds the number of
# workers (by column name; calls per second = ops_done / makespan), as
# `make figures` writes them.
# usage: gnuplot -c plots/scaling.gp ROOT [VARY [MODEL1 ... MODEL7]]
#   (defaults: out/figures/scaling, processes.0.main.0.count, the models
#   threads processes free-threaded; writes ROOT/scaling.png and the
#   points it draws to ROOT/points.dat)
# The arguments are plain strings, never run or expanded; ROOT gets a "./"
# so that a leading '<' or '|' names a file, not a command.
path(p) = (p[1:1] eq '/') ? p : './'.p
root = path(ARG1 ne '' ? ARG1 : 'out/figures/scaling')
vary = ARG2 ne '' ? ARG2 : 'processes.0.main.0.count'
out = root.'/scaling.png'
nm = ARGC > 2 ? ARGC - 2 : 3
array models[nm]
if (ARGC <= 2) { models[1] = "threads"; models[2] = "processes"; models[3] = "free-threaded" }
do for [i = 3:ARGC] { models[i - 2] = value('ARG'.i) }
set datafile separator comma
set datafile columnheaders
set print root.'/points.dat'
do for [k = 1:nm] {
    m = models[k]
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
plot for [i=1:nm] root.'/points.dat' index (i-1) using 2:3 with linespoints lw 2 pt 7 title models[i] noenhanced
