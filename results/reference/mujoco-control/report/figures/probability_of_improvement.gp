# Probability of improvement (95% CI) -- written by pgbench report.
# Restyle freely, then re-render in this folder with: gnuplot probability_of_improvement.gp
# (one format only: gnuplot -e 'formats="png"' probability_of_improvement.gp)
# Data: probability_of_improvement.dat -- one block per panel; each row: position from the bottom, estimate, CI lower, CI upper, colour as 0xRRGGBB
if (!exists("formats")) formats = "pdf png svg"
data = "probability_of_improvement.dat"
set datafile missing "NaN"
set grid xtics
set style fill solid 0.55 noborder
set yrange [-0.6:9.6]
set ytics ("reinforce vs a2c" 9, "reinforce vs trpo" 8, "reinforce vs ppo" 7, "reinforce vs random" 6, "a2c vs trpo" 5, "a2c vs ppo" 4, "a2c vs random" 3, "trpo vs ppo" 2, "trpo vs random" 1, "ppo vs random" 0)
set xlabel "P(X > Y)"
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
  set output "probability_of_improvement." . ext
  set multiplot layout 1,1 title "Probability of improvement (95% CI)"
  set title "P(X > Y)"
  set format y "%g"
  set xtics 0.25
  set xrange [-0.06:1.06]
  set arrow 1 from 0.5, graph 0 to 0.5, graph 1 nohead dashtype 2 lc rgb "#555555"
  plot data index 0 using 2:1:3:4:($1-0.2):($1+0.2):5 with boxxyerror lc rgb variable notitle, \
       data index 0 using 2:1 with points pt 7 ps 0.8 lc rgb "black" notitle
  unset multiplot
  unset output
}
