// A report table as a LaTeX float that fits the common paper templates without an overfull box.
//
// The layout is chosen from an estimate of each column's natural width (the glyph widths of
// Computer Modern, the widest of the usual text fonts, so Times-based templates only gain room):
//   1. one column of a two-column paper (\linewidth, 3.25 in): a `table` float, \small, else
//      \footnotesize with narrower column gaps;
//   2. else the text width of a single-column paper (5.5 in, NeurIPS), which is also narrower than
//      a two-column paper's `table*`: a `table*` float (a plain table in a one-column document);
//   3. else text columns wrap (\parbox) and, if that is not enough, the numeric columns are split
//      over stacked tabulars in the same float, each repeating the leading label columns;
//   4. only a label column wider than the page by itself is wrapped too.
// Fonts are never scaled (\resizebox would shrink the numbers below the caption's size).
#include "report/document.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>
#include <sstream>

#include <fmt/format.h>

namespace pgbench::report {
namespace {

// In TeX points (1 in = 72.27 pt).
constexpr double kColumnWidth = 3.25 * 72.27;  // ICML's column; IEEE and ACM columns are wider
constexpr double kPageWidth = 5.5 * 72.27;     // NeurIPS; two-column templates' table* is wider
// The estimate is kept this far below the width, for the glyphs it does not know exactly.
constexpr double kSafety = 0.94;

struct FontSize {
  const char* command;
  double points;      // of the article class at 10 pt
  double column_gap;  // \tabcolsep, each side of a column
};
constexpr FontSize kSmall{"\\small", 9, 6};
constexpr FontSize kFootnote{"\\footnotesize", 8, 4};

// Width of one glyph in em (Computer Modern Roman; bold about 10% wider).
double glyph_em(char32_t c) {
  if (c >= '0' && c <= '9') return 0.5;
  if (c >= 'A' && c <= 'Z') return c == 'I' ? 0.36 : (c == 'M' || c == 'W') ? 1.03 : 0.76;
  if (c >= 'a' && c <= 'z') {
    static constexpr double kLower[26] = {0.50, 0.56, 0.44, 0.56, 0.44, 0.31, 0.50, 0.56, 0.28, 0.31, 0.53, 0.28, 0.83,
                                          0.56, 0.50, 0.56, 0.53, 0.39, 0.39, 0.39, 0.56, 0.53, 0.72, 0.53, 0.53, 0.44};
    return kLower[c - 'a'];
  }
  switch (c) {
    case ' ': return 0.33;
    case '.': case ',': case ':': case ';': case '\'': case '!': case '|': return 0.28;
    case '(': case ')': case '[': case ']': case '-': case '/': return 0.39;
    case '%': return 0.83;
    case '_': case '<': case '>': case '=': case '+': return 0.78;
    case U'±': case U'×': case U'−': case U'≥': case U'≤': return 0.78;
    case U'†': case U'‡': case U'*': return 0.5;
    default: return 1.0;  // anything else: as wide as an em, to be safe
  }
}

std::u32string decode_utf8(const std::string& text) {
  std::u32string out;
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const int length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4;
    char32_t c = length == 1 ? byte : byte & (0xFF >> (length + 1));
    for (int k = 1; k < length && i + k < text.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    out += c;
    i += static_cast<std::size_t>(length);
  }
  return out;
}

double text_width(const std::string& text, const FontSize& size, bool bold) {
  double em = 0;
  for (char32_t c : decode_utf8(text)) em += glyph_em(c);
  // A minus sign in a number is typeset as $-$, wider than the hyphen counted above.
  for (std::size_t i = 0; i + 1 < text.size(); ++i)
    if (text[i] == '-' && (std::isdigit(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '.')) em += 0.39;
  return em * size.points * (bold ? 1.1 : 1.0);
}

// Natural width of each column, the gaps included.
std::vector<double> column_widths(const Table& table, const FontSize& size) {
  std::vector<double> widths(table.columns.size());
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    double widest = text_width(table.columns[c], size, false);
    for (const auto& row : table.rows)
      if (c < row.size()) widest = std::max(widest, text_width(row[c].text, size, row[c].bold));
    widths[c] = widest + 2 * size.column_gap;
  }
  return widths;
}

struct Layout {
  FontSize size = kSmall;
  bool full_width = false;                     // table* rather than table
  std::vector<std::vector<std::size_t>> parts; // the columns of each stacked tabular
  std::vector<double> wrap;                    // > 0: the column is a \parbox of this width (pt)
};

double sum_of(const std::vector<double>& widths, const std::vector<std::size_t>& columns) {
  return std::accumulate(columns.begin(), columns.end(), 0.0, [&](double s, std::size_t c) { return s + widths[c]; });
}

Layout choose_layout(const Table& table) {
  const std::size_t n = table.columns.size();
  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), std::size_t{0});
  for (const FontSize& size : {kSmall, kFootnote})
    if (sum_of(column_widths(table, size), all) <= kSafety * kColumnWidth) return {size, false, {all}, std::vector<double>(n, 0)};
  for (const FontSize& size : {kSmall, kFootnote})
    if (sum_of(column_widths(table, size), all) <= kSafety * kPageWidth) return {size, true, {all}, std::vector<double>(n, 0)};

  // The page at \footnotesize: the label columns (leading, not numeric) on every part.
  Layout layout{kFootnote, true, {}, std::vector<double>(n, 0)};
  const double budget = kSafety * kPageWidth;
  std::vector<double> widths = column_widths(table, layout.size);
  std::size_t labels = 0;
  while (labels < n && !table.numeric[labels]) ++labels;
  labels = std::max<std::size_t>(labels, 1);
  const double gaps = 2 * layout.size.column_gap;
  // Text columns after the labels wrap to at most a third of the page, never below 6 em.
  const double text_limit = std::max(budget / 3, 6 * layout.size.points + gaps);
  for (std::size_t c = labels; c < n; ++c)
    if (!table.numeric[c] && widths[c] > text_limit) layout.wrap[c] = text_limit - gaps, widths[c] = text_limit;
  // Label columns wider than what leaves room for one more column share the rest.
  std::vector<std::size_t> label_columns(labels);
  std::iota(label_columns.begin(), label_columns.end(), std::size_t{0});
  double widest_other = 0;
  for (std::size_t c = labels; c < n; ++c) widest_other = std::max(widest_other, widths[c]);
  const double label_budget = budget - widest_other;
  if (sum_of(widths, label_columns) > label_budget) {
    const double each = label_budget / static_cast<double>(labels);
    for (std::size_t c : label_columns)
      if (widths[c] > each) layout.wrap[c] = std::max(each - gaps, 3 * layout.size.points), widths[c] = layout.wrap[c] + gaps;
  }
  // Greedy parts, in column order.
  std::vector<std::size_t> part = label_columns;
  for (std::size_t c = labels; c < n; ++c) {
    if (part.size() > labels && sum_of(widths, part) + widths[c] > budget) {
      layout.parts.push_back(part);
      part = label_columns;
    }
    part.push_back(c);
  }
  layout.parts.push_back(part);
  // As many columns in each part as the greedy fill needs parts, when that fits too.
  const std::size_t count = layout.parts.size(), others = n - labels;
  if (count > 1) {
    std::vector<std::vector<std::size_t>> even(count, label_columns);
    for (std::size_t i = 0; i < others; ++i) even[i * count / others].push_back(labels + i);
    if (std::all_of(even.begin(), even.end(), [&](const auto& p) { return sum_of(widths, p) <= budget; }))
      layout.parts = std::move(even);
  }
  return layout;
}

std::string escape_latex(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\textbackslash{}"; break;
      case '&': case '%': case '$': case '#': case '_': case '{': case '}':
        out += '\\';
        out += c;
        break;
      case '~': out += "\\textasciitilde{}"; break;
      case '^': out += "\\textasciicircum{}"; break;
      case '<': out += "\\textless{}"; break;
      case '>': out += "\\textgreater{}"; break;
      default: out += c;
    }
  }
  for (const auto& [from, to] : {std::pair{"±", "$\\pm$"}, std::pair{"×", "$\\times$"}})
    for (std::size_t at = 0; (at = out.find(from, at)) != std::string::npos;) {
      out.replace(at, std::string_view(from).size(), to);
      at += std::string_view(to).size();
    }
  return out;
}

// A typeset minus sign, $-$, for every hyphen that is a number's sign (LaTeX sets a bare '-' as a
// hyphen, visibly shorter than a minus).
std::string latex_minus(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool sign = text[i] == '-' && i + 1 < text.size() &&
                      (std::isdigit(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '.');
    out += sign ? std::string("$-$") : std::string(1, text[i]);
  }
  return out;
}

std::string cell_latex(const Table& table, std::size_t c, const TableCell& cell, double wrap) {
  std::string text = table.numeric[c] ? latex_minus(escape_latex(cell.text)) : escape_latex(cell.text);
  // Significance markers as superscripts.
  for (const auto& [from, to] : {std::pair{"**", "$^{**}$"}, std::pair{"*", "$^{*}$"}})
    if (const auto at = text.find(from); at != std::string::npos && text.find("$^{") == std::string::npos)
      text.replace(at, std::string_view(from).size(), to);
  if (cell.bold && !text.empty()) text = "\\textbf{" + text + "}";
  if (wrap > 0) text = fmt::format("\\parbox[t]{{{:.1f}pt}}{{\\raggedright {}}}", wrap, text);
  return text;
}

}  // namespace

std::string latex_table(const Table& table) {
  const Layout layout = choose_layout(table);
  const char* environment = layout.full_width ? "table*" : "table";
  std::ostringstream out;
  out << "% " << table.title << " -- written by pgbench report; needs \\usepackage{booktabs}. Fits "
      << (layout.full_width ? "a 5.5 in text width (table* in a two-column paper)" : "one column of a two-column paper")
      << ".\n\\begin{" << environment << "}[htbp]\n\\centering\n" << layout.size.command << '\n';
  if (layout.size.column_gap != kSmall.column_gap)
    out << "\\setlength{\\tabcolsep}{" << layout.size.column_gap << "pt}\n";
  out << "\\caption{" << escape_latex(table.title + ". " + table.caption) << "}\n"
      << "\\label{tab:pgbench-" << table.stem << "}\n";
  for (std::size_t p = 0; p < layout.parts.size(); ++p) {
    const auto& columns = layout.parts[p];
    if (p) out << "\n\\medskip\n";
    out << "\\begin{tabular}{";
    for (std::size_t c : columns) out << (table.numeric[c] ? 'r' : 'l');
    out << "}\n\\toprule\n";
    for (std::size_t i = 0; i < columns.size(); ++i)
      out << (i ? " & " : "") << cell_latex(table, columns[i], {table.columns[columns[i]]}, layout.wrap[columns[i]]);
    out << " \\\\\n\\midrule\n";
    for (const auto& row : table.rows) {
      for (std::size_t i = 0; i < columns.size(); ++i) {
        const std::size_t c = columns[i];
        out << (i ? " & " : "") << (c < row.size() ? cell_latex(table, c, row[c], layout.wrap[c]) : std::string());
      }
      out << " \\\\\n";
    }
    out << "\\bottomrule\n\\end{tabular}\n";
  }
  out << "\\end{" << environment << "}\n";
  return out.str();
}

}  // namespace pgbench::report
