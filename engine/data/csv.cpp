#include "data/csv.hpp"

#include "data/number_range.hpp"
#include "data/text_file.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>
#include <system_error>

namespace evtwin {
namespace {

std::string_view trim(std::string_view s) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// A record is one logical CSV row; a quoted field may span several physical lines, so the record
// remembers the line it started on.
struct Record {
    std::vector<std::string> fields;
    std::size_t line = 0;
};

class Parser {
public:
    Parser(const std::filesystem::path& file, std::string_view data, char delimiter)
        : file_(file), data_(data), delimiter_(delimiter) {}

    // Skips `n` physical lines (free text before the header, never parsed as CSV).
    void skip_lines(std::size_t n) {
        for (std::size_t i = 0; i < n && pos_ < data_.size(); ++i) {
            const auto nl = data_.find('\n', pos_);
            pos_ = nl == std::string_view::npos ? data_.size() : nl + 1;
            ++line_;
        }
    }

    // False at the end of the data. Blank lines are skipped.
    bool next(Record& record) {
        while (pos_ < data_.size()) {
            record.fields.clear();
            record.line = line_;
            const bool blank = parse_record(record);
            if (!blank) return true;
        }
        return false;
    }

private:
    // Returns true when the record was an empty line.
    bool parse_record(Record& record) {
        std::string field;
        bool any_content = false;
        bool quoted = false;
        while (true) {
            if (pos_ >= data_.size()) {
                if (quoted) {
                    throw DataError(file_.string() + ":" + std::to_string(record.line) +
                                    ": unterminated quoted field (expected a closing '\"')");
                }
                break;
            }
            const char c = data_[pos_];
            if (quoted) {
                ++pos_;
                if (c == '"') {
                    if (pos_ < data_.size() && data_[pos_] == '"') {
                        field.push_back('"');
                        ++pos_;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') ++line_;
                    field.push_back(c);
                }
                continue;
            }
            if (c == '\n' || c == '\r') {
                ++pos_;
                if (c == '\r' && pos_ < data_.size() && data_[pos_] == '\n') ++pos_;
                ++line_;
                break;
            }
            ++pos_;
            any_content = true;
            if (c == delimiter_) {
                record.fields.push_back(std::move(field));
                field.clear();
            } else if (c == '"' && field.empty()) {
                quoted = true;
            } else {
                // A quote inside an unquoted field, or text after a closing quote: kept literally.
                field.push_back(c);
            }
        }
        if (!any_content) return true;
        record.fields.push_back(std::move(field));
        return false;
    }

    const std::filesystem::path& file_;
    std::string_view data_;
    char delimiter_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
};

}  // namespace

CsvTable CsvTable::read(const std::filesystem::path& file, const CsvOptions& options) {
    const std::string data = read_text_file(file);
    return parse(file, data, options);
}

CsvTable CsvTable::parse(const std::filesystem::path& file, std::string_view data,
                         const CsvOptions& options) {
    if (options.delimiter == '"' || options.delimiter == '\n' || options.delimiter == '\r') {
        throw DataError(file.string() + ": the CSV delimiter cannot be a quote or a line break");
    }
    CsvTable table;
    table.file_ = file;
    table.options_ = options;
    std::string_view view(data);
    if (view.size() >= 3 && view.substr(0, 3) == "\xEF\xBB\xBF") view.remove_prefix(3);

    Parser parser(file, view, options.delimiter);
    parser.skip_lines(options.skip_lines);
    Record record;
    if (!parser.next(record)) {
        throw DataError(file.string() + ": no header line (the file is empty after " +
                        std::to_string(options.skip_lines) + " skipped lines)");
    }
    for (auto& name : record.fields) table.header_.emplace_back(trim(name));
    table.header_line_ = record.line;
    const std::size_t width = table.header_.size();
    while (parser.next(record)) {
        if (record.fields.size() > width && table.over_wide_row_ == kNoRow) {
            table.over_wide_row_ = table.cells_.size();
            table.over_wide_fields_ = record.fields.size();
        }
        record.fields.resize(width);  // missing trailing fields read as empty
        table.cells_.push_back(std::move(record.fields));
        table.lines_.push_back(record.line);
        record.fields = {};
    }
    return table;
}

std::size_t CsvTable::column(const std::string& name) const {
    const auto it = std::find(header_.begin(), header_.end(), name);
    if (it != header_.end()) return static_cast<std::size_t>(it - header_.begin());
    std::string known;
    for (const auto& h : header_) known += (known.empty() ? "'" : ", '") + h + "'";
    throw DataError(file_.string() + ": no column '" + name + "'; the columns are " + known);
}

const std::string& CsvTable::text(std::size_t row, std::size_t col) const {
    if (row >= cells_.size() || col >= header_.size()) {
        throw DataError(file_.string() + ": no cell at row " + std::to_string(row) + ", column " +
                        std::to_string(col));
    }
    if (row == over_wide_row_)
        fail(row, "expected at most " + std::to_string(header_.size()) + " fields (as in the header), got " +
                      std::to_string(over_wide_fields_));
    return cells_[row][col];
}

double CsvTable::number(std::size_t row, std::size_t col) const {
    const std::string& raw = text(row, col);
    std::string_view s = trim(raw);
    std::string buffer;
    if (options_.decimal_comma && s.find(',') != std::string_view::npos) {
        buffer.assign(s);
        std::replace(buffer.begin(), buffer.end(), ',', '.');
        s = buffer;
    }
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    double value = 0.0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) {
        fail(row, "expected a number in column '" + header_[col] + "', got '" + raw + "'");
    }
    if (!in_number_range(value))
        fail(row, "expected a number within +-1e15 in column '" + header_[col] + "', got '" + raw + "'");
    return value;
}

void CsvTable::fail(std::size_t row, const std::string& message) const {
    const std::size_t at = row < lines_.size() ? lines_[row] : 0;
    throw DataError(file_.string() + ":" + std::to_string(at) + ": " + message);
}

}  // namespace evtwin
