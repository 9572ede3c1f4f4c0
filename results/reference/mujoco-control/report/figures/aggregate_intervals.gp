# Aggregate normalised score (95% stratified-bootstrap CI) -- written by pgbench report.
# Restyle freely, then re-render in this folder with: gnuplot aggregate_intervals.gp
# (one format only: gnuplot -e 'formats="png"' aggregate_intervals.gp)
# Data: aggregate_intervals.dat -- one block per panel; each row: position from the bottom, estimate, CI lower, CI upper, colour as 0xRRGGBB
if (!exists("formats")) formats = "pdf png svg"
data = "aggregate_intervals.dat"
set datafile missing "NaN"
set grid xtics
set style fill solid 0.55 noborder
set yrange [-0.6:5.6]
set ytics ("reinforce" 5, "a2c" 4, "trpo" 3, "ppo" 2, "random" 1, "ddpg ‡" 0)
set xlabel "normalised score"
do for [ext in formats] {
  if (ext eq "pdf") {
    set terminal pdfcairo noenhanced size 6.4in,3.8in font "Sans,9"
  }
  if (ext eq "png") {
    set terminal pngcairo noenhanced size 1280,760 font "Sans,12"
  }
  if (ext eq "svg") {
    set terminal svg noenhanced size 960,570 font "Sans,12" background "white"
  }
  set output "aggregate_intervals." . ext
  set multiplot layout 1,4 title "Aggregate normalised score (95% stratified-bootstrap CI)"
  set title "IQM"
  set format y "%g"
  set xtics 0.25
  set xrange [-0.05989409069:1.045355251]
  plot data index 0 using 2:1:3:4:($1-0.2):($1+0.2):5 with boxxyerror lc rgb variable notitle, \
       data index 0 using 2:1 with points pt 7 ps 0.8 lc rgb "black" notitle
  set title "Median"
  set format y ""
  set xtics 0.25
  set xrange [-0.06027646798:1.059111605]
  plot data index 1 using 2:1:3:4:($1-0.2):($1+0.2):5 with boxxyerror lc rgb variable notitle, \
       data index 1 using 2:1 with points pt 7 ps 0.8 lc rgb "black" notitle
  set title "Mean"
  set format y ""
  set xtics 0.25
  set xrange [-0.06165572713:1.045454966]
  plot data index 2 using 2:1:3:4:($1-0.2):($1+0.2):5 with boxxyerror lc rgb variable notitle, \
       data index 2 using 2:1 with points pt 7 ps 0.8 lc rgb "black" notitle
  set title "Optimality gap"
  set format y ""
  set xtics 0.25
  set xrange [-0.04545496642:1.061655727]
  plot data index 3 using 2:1:3:4:($1-0.2):($1+0.2):5 with boxxyerror lc rgb variable notitle, \
       data index 3 using 2:1 with points pt 7 ps 0.8 lc rgb "black" notitle
  unset multiplot
  unset output
}
