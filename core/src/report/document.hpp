// report/document.hpp -- the report as data (headings, paragraphs, tables, figures), rendered
// to Markdown, self-contained HTML and LaTeX (booktabs) from one description, so that the
// formats never disagree.
#pragma once

#include <filesystem>
#include <string>
#include <variant>
#include <vector>

namespace pgbench::report {

struct TableCell {
  std::string text;  // plain text; "±" and "×" are typeset per format
  bool bold = false;
};

struct Table {
  std::string stem;   // file name under tables/, without extension
  std::string title;
  std::string caption;
  std::vector<std::string> columns;
  std::vector<bool> numeric;  // right-aligned columns
  std::vector<std::vector<TableCell>> rows;
};

std::string markdown_table(const Table& table);
// A table float with booktabs rules that fits one column of a two-column paper or, as table*,
// a 5.5 in text width (latex_table.cpp says how): \input it in a document that loads booktabs.
std::string latex_table(const Table& table);

struct Figure {
  std::string stem;  // files figures/STEM.{gp,dat,pdf,png,svg}
  std::string title;
  std::string caption;
};

struct Heading {
  int level = 2;
  std::string text;
};
struct Paragraph {
  std::string text;
};
struct BulletList {
  std::vector<std::string> items;
};
using Block = std::variant<Heading, Paragraph, BulletList, Table, Figure>;

struct Document {
  std::string title;
  std::vector<Block> blocks;
};

// Figures are linked as figures/STEM.png when that file exists in `figures_dir`, else the text
// says where the script is.
std::string render_markdown(const Document& document, const std::filesystem::path& figures_dir);
// One file with everything inside: CSS inline, figures embedded as base64 PNG.
std::string render_html(const Document& document, const std::filesystem::path& figures_dir);

}  // namespace pgbench::report
