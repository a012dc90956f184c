# timeline.gp — who runs, who holds the GIL, which core runs whom.
# Data: DIR/timeline.dat ("T|G|C<TAB>lane<TAB>t0<TAB>t1<TAB>value") and
# DIR/timeline_lanes.dat ("lane<TAB>label"), written by `gilsim plot DIR`
# (which also calls this script).
# usage: gnuplot -c plots/timeline.gp DIR [FMT [TITLE [OUT [MERGED]]]]
#   FMT png|svg|pdf (png), TITLE the figure's title, OUT the file to write
#   (DIR/timeline.FMT), MERGED 1 when short intervals were merged.
# The arguments are plain strings (ARGn): names in them are never run or
# expanded, and paths get a "./" so a leading '<' or '|' names a file, not
# a command.  Lane labels come from a data file, as strings.
path(p) = (p[1:1] eq '/') ? p : './'.p
dir = path(ARG1 ne '' ? ARG1 : 'out/default')
fmt = ARG2 ne '' ? ARG2 : 'png'
title = ARG3 ne '' ? ARG3 : 'gilsim timeline'
out = ARG4 ne '' ? path(ARG4) : dir.'/timeline.'.fmt
merged = ARG5 eq '1'
lanes = dir.'/timeline_lanes.dat'
set datafile separator "\t"
set datafile commentschars ""    # a label may start with '#'
stats lanes using 1 name 'LN' nooutput
nlanes = LN_records
h = 160 + 22 * nlanes
if (h > 1600) h = 1600
if (fmt eq 'svg') set terminal svg size 1200,h font "sans,11" background rgb "white"
if (fmt eq 'pdf') set terminal pdfcairo size 12in,(h/100.0)in font "sans,9"
if (fmt eq 'png') set terminal pngcairo size 1200,h font "sans,10"
set output out
set title title.(merged ? "\n(intervals shorter than 1/4000 of the window merged: colour of the state that filled most)" : "") noenhanced
set xlabel "simulated time (s)"
set yrange [-0.7:nlanes-0.3] reverse
set ytics nomirror font ",9" noenhanced
set grid xtics lc rgb "#dddddd"
set key outside bottom center horizontal
set style fill solid 1.0 noborder
unset colorbox
# thread states (greyscale-distinguishable: dark to light)
#   0 runnable 1 py 2 native 3 gil_wait 4 switch_wait 5 blocked 6 sync_wait 7 done
array sc[8] = ["#f4a261", "#1d3557", "#2a9d8f", "#e63946", "#8d0801", "#a8dadc", "#b5838d", "#ffffff"]
array sn[8] = ["runnable (no core)", "Python (GIL held)", "native (no GIL)", "waiting for the GIL", "forced switch wait", "blocked in I/O", "lock/join wait", "done"]
# holders and cores: a colour per thread lane, cycling
hue(v) = (int(v) * 37) % 360
lanecol(v) = hsv2rgb(hue(v)/360.0, 0.55, 0.75)
data = dir.'/timeline.dat'
plot for [s=0:7] data using ((strcol(1) eq 'T' && column(5) == s) ? (column(3)+column(4))/2 : 1/0):2:((column(4)-column(3))/2):(0.4) \
         with boxxyerror lc rgb sc[s+1] title sn[s+1], \
     data using ((strcol(1) ne 'T') ? (column(3)+column(4))/2 : 1/0):2:((column(4)-column(3))/2):(0.4):(lanecol(column(5))) \
         with boxxyerror lc rgb variable title "GIL holder / thread on core", \
     lanes using (1/0):1:ytic(2) notitle
