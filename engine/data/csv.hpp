#pragma once
// A small CSV reader for the data files: quoted fields, a UTF-8 byte-order mark, a chosen delimiter,
// decimal commas, leading lines to skip. Every value keeps its line number, so a bad value is
// reported as "file:line: expected ... in column 'name', got '...'".
#include <evtwin/errors.hpp>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin {

struct CsvOptions {
    char delimiter = ',';
    bool decimal_comma = false;  // "3,5" means 3.5 (Norwegian data)
    std::size_t skip_lines = 0;  // lines before the header
};

class CsvTable {
public:
    // Throws DataError when the file cannot be read. A row with more fields than the header is
    // refused when it is read (text, number), so that a reader that looks for its columns first
    // refuses a file of another kind for its header, not for its first long row.
    static CsvTable read(const std::filesystem::path& file, const CsvOptions& options = {});
    // The same from text already in memory (e.g. an inflated .csv.gz); `file` names it in errors and
    // line numbers count lines of `data`.
    static CsvTable parse(const std::filesystem::path& file, std::string_view data,
                          const CsvOptions& options = {});

    const std::filesystem::path& file() const { return file_; }
    const std::vector<std::string>& header() const { return header_; }
    std::size_t header_line() const { return header_line_; }
    std::size_t rows() const { return cells_.size(); }
    std::size_t line(std::size_t row) const { return lines_[row]; }

    // Index of a column; throws DataError listing the columns there are.
    std::size_t column(const std::string& name) const;
    const std::string& text(std::size_t row, std::size_t col) const;
    // A number in range (data/number_range.hpp); else throws DataError naming file, line, column and
    // the text found.
    double number(std::size_t row, std::size_t col) const;
    // Throws DataError with "file:line: message".
    [[noreturn]] void fail(std::size_t row, const std::string& message) const;

private:
    std::filesystem::path file_;
    CsvOptions options_;
    std::vector<std::string> header_;
    std::size_t header_line_ = 1;
    std::vector<std::vector<std::string>> cells_;
    std::vector<std::size_t> lines_;
    static constexpr std::size_t kNoRow = static_cast<std::size_t>(-1);
    std::size_t over_wide_row_ = kNoRow;  // the first row with more fields than the header
    std::size_t over_wide_fields_ = 0;
};

}  // namespace evtwin
