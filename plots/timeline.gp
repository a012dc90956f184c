# timeline.gp — who runs, who holds the GIL, which core runs whom.
# Data: DIR/timeline.dat ("T|G|C lane t0 t1 value") and timeline_lanes.gp,
# written by `gilsim plot DIR` (which also calls this script).
# Variables: dir, fmt (png|svg|pdf), title, merged (1: short intervals merged).
if (!exists("dir")) dir = 'out/default'
if (!exists("fmt")) fmt = 'png'
if (!exists("title")) title = 'gilsim timeline'
if (!exists("merged")) merged = 0
load dir.'/timeline_lanes.gp'          # nlanes and the lane names
h = 160 + 22 * nlanes
if (h > 1600) h = 1600
if (fmt eq 'svg') set terminal svg size 1200,h font "sans,11" background rgb "white"
if (fmt eq 'pdf') set terminal pdfcairo size 12in,(h/100.0)in font "sans,9"
if (fmt eq 'png') set terminal pngcairo size 1200,h font "sans,10"
set output dir.'/timeline.'.fmt
set title title.(merged ? "\n(intervals shorter than 1/4000 of the window merged: colour of the state that filled most)" : "") noenhanced
set xlabel "simulated time (s)"
set yrange [-0.7:nlanes-0.3] reverse
set ytics nomirror font ",9"
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
plot for [s=0:7] dir.'/timeline.dat' using ((strcol(1) eq 'T' && $5 == s) ? ($3+$4)/2 : 1/0):2:(($4-$3)/2):(0.4) \
         with boxxyerror lc rgb sc[s+1] title sn[s+1], \
     dir.'/timeline.dat' using ((strcol(1) ne 'T') ? ($3+$4)/2 : 1/0):2:(($4-$3)/2):(0.4):(lanecol($5)) \
         with boxxyerror lc rgb variable title "GIL holder / thread on core"
