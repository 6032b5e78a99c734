#include "serve/net/request_head.hpp"

namespace evtwin::serve {

std::vector<std::string> subprotocols_of(std::string_view field) {
    std::vector<std::string> offered;
    std::size_t start = 0;
    while (start <= field.size()) {
        std::size_t end = field.find(',', start);
        if (end == std::string_view::npos) end = field.size();
        std::string_view item = field.substr(start, end - start);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
        if (!item.empty()) offered.emplace_back(item);
        start = end + 1;
    }
    return offered;
}

}  // namespace evtwin::serve
