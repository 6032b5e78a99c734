#include "grid/dss_values.hpp"

#include <evtwin/errors.hpp>

#include <cctype>
#include <charconv>
#include <cmath>

namespace evtwin::grid::dss {
namespace {

char closing(char open) {
    switch (open) {
        case '(':
            return ')';
        case '[':
            return ']';
        case '{':
            return '}';
        case '"':
            return '"';
        case '\'':
            return '\'';
        default:
            return 0;
    }
}

bool separator(char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == ',';
}

std::string strip_comment(std::string_view line) {
    char quote = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quote) {
            if (c == quote) quote = 0;
            continue;
        }
        if (c == '"' || c == '\'') quote = c;
        if (c == '!' || (c == '/' && i + 1 < line.size() && line[i + 1] == '/'))
            return std::string(line.substr(0, i));
    }
    return std::string(line);
}

// Reads one token from `text` at `pos`: a delimited group or a run up to a separator or "=".
std::string token(const std::string& text, std::size_t& pos, bool& delimited, const Where& where) {
    const char close = closing(text[pos]);
    delimited = close != 0;
    if (delimited) {
        const std::size_t end = text.find(close, pos + 1);
        if (end == std::string::npos)
            where.fail(std::string("expected '") + close + "' to close the value opened by '" + text[pos] +
                       "'");
        std::string inside = text.substr(pos + 1, end - pos - 1);
        pos = end + 1;
        return inside;
    }
    const std::size_t start = pos;
    while (pos < text.size() && !separator(text[pos]) && text[pos] != '=') ++pos;
    return text.substr(start, pos - start);
}

bool parse_double(std::string_view text, double& out) {
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size() && std::isfinite(out);
}

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && separator(text[i])) ++i;
        const std::size_t start = i;
        while (i < text.size() && !separator(text[i])) ++i;
        if (i > start) out.emplace_back(text.substr(start, i - start));
    }
    return out;
}

// A value in parentheses with operators is OpenDSS's in-line RPN: "(8 1000 /)" is 0.008.
double rpn(const std::vector<std::string>& items, const Param& param, const Where& where) {
    std::vector<double> stack;
    for (const std::string& item : items) {
        double value = 0.0;
        if (parse_double(item, value)) {
            stack.push_back(value);
            continue;
        }
        if (item.size() != 1 || std::string_view("+-*/").find(item[0]) == std::string_view::npos ||
            stack.size() < 2)
            where.fail("expected a number or RPN expression for " + param.name + ", got '" + param.value +
                       "'");
        const double b = stack.back();
        stack.pop_back();
        double& a = stack.back();
        switch (item[0]) {
            case '+':
                a += b;
                break;
            case '-':
                a -= b;
                break;
            case '*':
                a *= b;
                break;
            default:
                a /= b;
                break;
        }
    }
    if (stack.size() != 1 || !std::isfinite(stack.front()))
        where.fail("expected a number or RPN expression for " + param.name + ", got '" + param.value + "'");
    return stack.front();
}

}  // namespace

void Where::fail(const std::string& message) const {
    throw DataError(file + ":" + std::to_string(line) + ": " + message);
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::vector<Param> split_params(std::string_view line, const Where& where) {
    const std::string text = strip_comment(line);
    std::vector<Param> params;
    std::size_t pos = 0;
    while (true) {
        while (pos < text.size() && separator(text[pos])) ++pos;
        if (pos >= text.size()) break;
        if (text[pos] == '=') where.fail("expected a property name before '='");
        Param param;
        bool delimited = false;
        std::string first = token(text, pos, delimited, where);
        std::size_t after = pos;
        while (after < text.size() && std::isspace(static_cast<unsigned char>(text[after]))) ++after;
        if (!delimited && after < text.size() && text[after] == '=') {
            pos = after + 1;
            while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
            if (pos >= text.size()) where.fail("expected a value after '" + first + "='");
            param.name = lower(first);
            param.value = token(text, pos, param.delimited, where);
        } else {
            param.value = std::move(first);
            param.delimited = delimited;
        }
        params.push_back(std::move(param));
    }
    return params;
}

double number(const Param& param, const Where& where) {
    double value = 0.0;
    if (parse_double(param.value, value)) return value;
    const std::vector<std::string> items = split_words(param.value);
    if (items.size() == 1 && parse_double(items[0], value)) return value;
    if (param.delimited && items.size() > 1) return rpn(items, param, where);
    where.fail("expected a number for " + param.name + ", got '" + param.value + "'");
}

std::vector<double> numbers(const Param& param, const Where& where) {
    std::vector<double> out;
    for (const std::string& item : split_words(param.value)) {
        double value = 0.0;
        if (!parse_double(item, value))
            where.fail("expected numbers for " + param.name + ", got '" + item + "'");
        out.push_back(value);
    }
    return out;
}

std::vector<std::string> words(const Param& param) {
    return split_words(param.value);
}

std::vector<std::vector<double>> matrix_rows(const Param& param, const Where& where) {
    std::vector<std::vector<double>> rows;
    std::size_t start = 0;
    while (start <= param.value.size()) {
        const std::size_t bar = param.value.find('|', start);
        const std::string row_text =
            param.value.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
        rows.push_back(numbers(Param{param.name, row_text, true}, where));
        if (bar == std::string::npos) break;
        start = bar + 1;
    }
    const std::size_t n = rows.size();
    bool lower_triangle = true, full = true;
    for (std::size_t i = 0; i < n; ++i) {
        lower_triangle = lower_triangle && rows[i].size() == i + 1;
        full = full && rows[i].size() == n;
    }
    if (n == 1 && rows[0].empty()) where.fail("expected a matrix for " + param.name + ", got nothing");
    if (!lower_triangle && !full)
        where.fail("expected " + param.name + " as a lower triangle or a full matrix, rows separated by '|'");
    std::vector<std::vector<double>> square(n, std::vector<double>(n));
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
            square[i][j] = full ? rows[i][j] : (j <= i ? rows[i][j] : rows[j][i]);
    return square;
}

bool yes(const Param& param, const Where& where) {
    const std::string v = lower(param.value);
    if (v == "y" || v == "yes" || v == "true" || v == "t") return true;
    if (v == "n" || v == "no" || v == "false" || v == "f") return false;
    where.fail("expected yes or no for " + param.name + ", got '" + param.value + "'");
}

}  // namespace evtwin::grid::dss
