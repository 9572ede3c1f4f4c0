// report/report_builder.hpp -- turns an Analysis into what the report shows: tables (with their
// tidy numbers), figure descriptions for gnuplot, and the document that puts them in order.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "report/analysis.hpp"
#include "report/document.hpp"
#include "report/figures.hpp"
#include "report/tidy.hpp"

namespace pgbench::report {

struct ReportTable {
  Table table;
  std::vector<TidyRow> numbers;  // every number of the table, in tidy form
};

struct ReportFigures {
  std::vector<BandPlot> band_plots;
  std::vector<IntervalPlot> interval_plots;
  std::vector<BandGrid> band_grids;
  std::vector<StripPlot> strip_plots;
};

// What happened to the figures, for the document to say.
struct FigureStatus {
  bool requested = true;   // a figure format was asked for
  bool rendered = false;   // gnuplot ran
  std::vector<std::string> errors;
};

class ReportBuilder {
 public:
  ReportBuilder(const RunSet& runs, const Analysis& analysis, const AnalysisSettings& settings);

  std::vector<ReportTable> tables() const;
  ReportFigures figures() const;
  Document document(const std::vector<ReportTable>& tables, const FigureStatus& figures) const;

 private:
  ReportTable protocol_table() const;
  ReportTable cells_table() const;
  ReportTable per_task_table() const;
  ReportTable cell_statistics_table() const;
  ReportTable normalization_table() const;
  ReportTable aggregate_table() const;
  // "Compared over the same N normalised tasks: ...", and what ‡ means when it is used.
  std::string task_set_sentence() const;
  ReportTable improvement_table() const;
  // The per-task comparisons of `pairs`, Holm over the ones that have a p-value.
  ReportTable pairwise_table(const std::vector<PairStats>& pairs, const std::string& stem, const std::string& title) const;
  ReportTable power_table() const;
  ReportTable timing_table() const;

  // "N = 5 runs per cell. Budget: 100k env steps per run." (ranges and per-task budgets said so).
  std::string runs_sentence() const;
  std::string score_sentence() const;
  // What the band around a mean learning curve is, and the smoothing when there is any.
  std::string band_sentence() const;
  std::string band_label() const;  // for a y axis: "mean, 95% bootstrap CI"
  std::string display_path(const std::filesystem::path& file) const;
  void provenance_blocks(std::vector<Block>& blocks) const;

  const RunSet& runs_;
  const Analysis& analysis_;
  const AnalysisSettings& settings_;
};

// A file-name-safe form of a task name.
std::string file_stem(const std::string& name);

}  // namespace pgbench::report
