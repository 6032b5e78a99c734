#include "ocpp/log_text.hpp"

#include <cctype>

namespace evtwin::ocpp {

std::vector<Line> split_lines(std::string_view text) {
    std::vector<Line> lines;
    std::size_t start = 0, number = 1;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back({number++, line});
        start = end + 1;
    }
    return lines;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::optional<std::size_t> frame_start(std::string_view s, std::size_t from) {
    for (std::size_t i = s.find('[', from); i != std::string_view::npos; i = s.find('[', i + 1)) {
        std::size_t p = i + 1;
        while (p < s.size() && std::isspace(static_cast<unsigned char>(s[p]))) ++p;
        if (p >= s.size() || s[p] < '2' || s[p] > '4') continue;
        ++p;
        while (p < s.size() && std::isspace(static_cast<unsigned char>(s[p]))) ++p;
        if (p < s.size() && s[p] == ',') return i;
    }
    return std::nullopt;
}

}  // namespace evtwin::ocpp
