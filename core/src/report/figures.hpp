// report/figures.hpp -- figures drawn by gnuplot. Each figure is a data file and a script that
// a user can restyle and re-run (`gnuplot STEM.gp` in the figures folder); the report renders
// them to PDF, PNG and SVG when gnuplot is installed, and says so when it is not.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace pgbench::report {

// A line with a shaded band (e.g. a mean and its 95% CI). NaN band values leave a gap.
struct BandSeries {
  std::string label;
  std::string color;  // "#rrggbb"
  std::vector<double> x, y, lower, upper;
  int dash = 1;       // gnuplot dash type: the same series keeps its pattern in every figure
};

struct BandPlot {
  std::string stem;
  std::string title;
  std::string x_label, y_label;
  std::vector<BandSeries> series;
  std::optional<std::pair<double, double>> y_range;
  bool log_x = false;  // a logarithmic x axis (wall-clock times that differ by orders of magnitude)
};

// Horizontal intervals (estimate and CI), one row per label, in one or more panels side by side.
struct IntervalRow {
  std::string label;
  std::string color;
  double value = 0, lower = 0, upper = 0;
};
struct IntervalPanel {
  std::string title;
  std::vector<IntervalRow> rows;
};
struct IntervalPlot {
  std::string stem;
  std::string title;
  std::string x_label;
  std::vector<IntervalPanel> panels;  // every panel has the same row labels, in the same order
  std::optional<double> reference_line;  // a vertical line, e.g. P = 0.5
  std::optional<std::pair<double, double>> x_range;  // fixed for every panel, e.g. [0, 1] for probabilities
};

// Band plots as the panels of one figure sized for a paper's full width (about 7 in), in a grid
// of `columns`, with one legend above them all (the series of every panel share labels and
// colours): the figure of every task's learning curves.
struct BandGrid {
  std::string stem;
  std::string title;
  std::vector<BandPlot> panels;  // each with its own title and axis labels
  std::size_t columns = 3;
};

// The score of every run, one point each, per algorithm and task, with each algorithm's mean as
// a short bar: what Agarwal et al. (2021) ask to be shown at small N, where a mean and its
// interval hide how few runs there are.
struct StripPanel {
  std::string title;
  std::vector<std::string> labels, colors;  // per algorithm
  std::vector<std::vector<double>> values;  // per algorithm, one per run
};
struct StripPlot {
  std::string stem;
  std::string title;
  std::string y_label;
  std::vector<StripPanel> panels;
  std::size_t columns = 3;
};

class FigureWriter {
 public:
  // `formats`: the subset of pdf, png, svg to render; `gnuplot`: the program to run (a name
  // looked up on PATH, or a path).
  FigureWriter(std::filesystem::path directory, std::vector<std::string> formats, std::string gnuplot);

  bool can_render() const { return !gnuplot_path_.empty(); }
  const std::filesystem::path& directory() const { return directory_; }

  // Write STEM.dat and STEM.gp, and render them when possible. Returns an error message when
  // gnuplot failed, else an empty string.
  std::string write(const BandPlot& plot) const;
  std::string write(const IntervalPlot& plot) const;
  std::string write(const BandGrid& grid) const;
  std::string write(const StripPlot& plot) const;

 private:
  std::string render(const std::string& stem) const;

  std::filesystem::path directory_;
  std::vector<std::string> formats_;
  std::filesystem::path gnuplot_path_;  // empty: not installed
};

// A colour per algorithm that stays the same in every figure of a report.
std::string algorithm_color(std::size_t index, const std::string& algorithm);

}  // namespace pgbench::report
