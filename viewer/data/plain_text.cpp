#include "viewer/data/plain_text.hpp"

#include <array>
#include <utility>

namespace evtwin::viewer {

std::string plain_text(std::string_view utf8) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kSigns{{
        {"\u2265", ">="},
        {"\u2264", "<="},
        {"\u2212", "-"},
        {"\u2013", "-"},
        {"\u2014", "-"},
    }};
    std::string out;
    out.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size();) {
        bool replaced = false;
        for (const auto& [sign, ascii] : kSigns)
            if (utf8.substr(i, sign.size()) == sign) {
                out.append(ascii);
                i += sign.size();
                replaced = true;
                break;
            }
        if (!replaced) out.push_back(utf8[i++]);
    }
    return out;
}

}  // namespace evtwin::viewer
