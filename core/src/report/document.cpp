#include "report/document.hpp"

#include <openssl/evp.h>

#include <fstream>
#include <sstream>

namespace pgbench::report {
namespace {

namespace fs = std::filesystem;

// '|' would end the cell, '*' start emphasis (the significance markers are asterisks).
std::string escape_markdown_cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|' || c == '*') out += '\\';
    out += c;
  }
  return out;
}

std::string escape_html(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string base64_of_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string encoded(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                     reinterpret_cast<const unsigned char*>(bytes.data()),
                                     static_cast<int>(bytes.size()));
  encoded.resize(static_cast<std::size_t>(length));
  return encoded;
}

std::string html_table(const Table& table) {
  std::ostringstream out;
  // The caption as a paragraph above the table rather than <caption>, which a browser sets to the
  // table's width (a tall narrow column of text over a narrow table).
  out << "<div class=\"table-wrap\">\n<p class=\"caption\"><b>" << escape_html(table.title) << ".</b> "
      << escape_html(table.caption) << "</p>\n<table>\n<thead><tr>";
  for (std::size_t c = 0; c < table.columns.size(); ++c)
    out << (table.numeric[c] ? "<th class=\"num\">" : "<th>") << escape_html(table.columns[c]) << "</th>";
  out << "</tr></thead>\n<tbody>\n";
  for (const auto& row : table.rows) {
    out << "<tr>";
    for (std::size_t c = 0; c < row.size(); ++c) {
      out << (table.numeric[c] ? "<td class=\"num\">" : "<td>");
      out << (row[c].bold ? "<b>" + escape_html(row[c].text) + "</b>" : escape_html(row[c].text)) << "</td>";
    }
    out << "</tr>\n";
  }
  out << "</tbody>\n</table>\n</div>\n";
  return out.str();
}

constexpr const char* kStyle = R"(
body { font-family: system-ui, sans-serif; max-width: 70em; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
table { border-collapse: collapse; margin: 0 0 2em; font-size: 0.92em; }
p.caption { font-size: 0.92em; margin: 1em 0 0.4em; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #ddd; text-align: left; }
thead th { border-bottom: 2px solid #444; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.num, th, td:first-child { white-space: nowrap; }  /* numbers, headers and task names never break */
.table-wrap { overflow-x: auto; }
figure { margin: 1em 0 2em; }
figure img { max-width: 100%; }
figcaption { font-size: 0.92em; color: #444; }
code { background: #f4f4f4; padding: 0 0.2em; }
)";

}  // namespace

std::string markdown_table(const Table& table) {
  std::ostringstream out;
  out << "**" << table.title << ".** " << table.caption << "\n\n|";
  for (const auto& column : table.columns) out << ' ' << escape_markdown_cell(column) << " |";
  out << "\n|";
  for (bool numeric : table.numeric) out << (numeric ? " ---: |" : " --- |");
  out << '\n';
  for (const auto& row : table.rows) {
    out << '|';
    for (const auto& cell : row) {
      const std::string text = escape_markdown_cell(cell.text);
      out << ' ' << (cell.bold && !text.empty() ? "**" + text + "**" : text) << " |";
    }
    out << '\n';
  }
  return out.str();
}

std::string render_markdown(const Document& document, const fs::path& figures_dir) {
  std::ostringstream out;
  out << "# " << document.title << "\n\n";
  for (const Block& block : document.blocks) {
    if (const auto* heading = std::get_if<Heading>(&block)) {
      out << std::string(static_cast<std::size_t>(heading->level), '#') << ' ' << heading->text << "\n\n";
    } else if (const auto* paragraph = std::get_if<Paragraph>(&block)) {
      out << paragraph->text << "\n\n";
    } else if (const auto* list = std::get_if<BulletList>(&block)) {
      for (const auto& item : list->items) out << "- " << item << '\n';
      out << '\n';
    } else if (const auto* table = std::get_if<Table>(&block)) {
      out << markdown_table(*table) << '\n';
    } else if (const auto* figure = std::get_if<Figure>(&block)) {
      if (fs::exists(figures_dir / (figure->stem + ".png")))
        out << "![" << figure->title << "](figures/" << figure->stem << ".png)\n\n";
      else
        out << "*Figure not rendered: run `gnuplot " << figure->stem << ".gp` in `figures/`.*\n\n";
      out << "*" << figure->title << ".* " << figure->caption << "\n\n";
    }
  }
  return out.str();
}

std::string render_html(const Document& document, const fs::path& figures_dir) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
      << escape_html(document.title) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n<h1>"
      << escape_html(document.title) << "</h1>\n";
  for (const Block& block : document.blocks) {
    if (const auto* heading = std::get_if<Heading>(&block)) {
      out << "<h" << heading->level << '>' << escape_html(heading->text) << "</h" << heading->level << ">\n";
    } else if (const auto* paragraph = std::get_if<Paragraph>(&block)) {
      out << "<p>" << escape_html(paragraph->text) << "</p>\n";
    } else if (const auto* list = std::get_if<BulletList>(&block)) {
      out << "<ul>\n";
      for (const auto& item : list->items) out << "<li>" << escape_html(item) << "</li>\n";
      out << "</ul>\n";
    } else if (const auto* table = std::get_if<Table>(&block)) {
      out << html_table(*table);
    } else if (const auto* figure = std::get_if<Figure>(&block)) {
      const fs::path png = figures_dir / (figure->stem + ".png");
      out << "<figure>\n";
      if (fs::exists(png))
        out << "<img alt=\"" << escape_html(figure->title) << "\" src=\"data:image/png;base64,"
            << base64_of_file(png) << "\">\n";
      else
        out << "<p><i>Figure not rendered: run <code>gnuplot " << escape_html(figure->stem)
            << ".gp</code> in <code>figures/</code>.</i></p>\n";
      out << "<figcaption><b>" << escape_html(figure->title) << ".</b> " << escape_html(figure->caption)
          << "</figcaption>\n</figure>\n";
    }
  }
  out << "</body>\n</html>\n";
  return out.str();
}

}  // namespace pgbench::report
