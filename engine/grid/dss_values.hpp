#pragma once
// The text of OpenDSS scripts: a line's parameters (name=value, or a value alone), and values as
// numbers (with in-line RPN such as "(8 1000 /)"), arrays ("[1 2]") and matrices given by rows
// separated by "|" (lower triangle or full). Errors name the file and line (DataError).
#include "grid/complex_matrix.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace evtwin::grid::dss {

struct Where {
    std::string file;
    int line = 0;
    [[noreturn]] void fail(const std::string& message) const;
};

struct Param {
    std::string name;  // lower case; empty for a value given by position
    std::string value;
    bool delimited = false;  // the value was in brackets, parentheses, braces or quotes
};

// Strips "!" and "//" comments; the line's parameters in order.
std::vector<Param> split_params(std::string_view line, const Where& where);

std::string lower(std::string_view text);
double number(const Param& param, const Where& where);
std::vector<double> numbers(const Param& param, const Where& where);
std::vector<std::string> words(const Param& param);
// An n x n symmetric matrix from its lower triangle, or a full one; rows separated by "|".
std::vector<std::vector<double>> matrix_rows(const Param& param, const Where& where);
bool yes(const Param& param, const Where& where);

}  // namespace evtwin::grid::dss
