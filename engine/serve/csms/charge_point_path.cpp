#include "serve/csms/charge_point_path.hpp"

namespace evtwin::serve {
namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string charge_point_of_path(std::string_view target) {
    const std::string_view path = target.substr(0, target.find('?'));
    if (path.size() <= kOcppPrefix.size() || path.substr(0, kOcppPrefix.size()) != kOcppPrefix) return "";
    const std::string_view encoded = path.substr(kOcppPrefix.size());
    std::string id;
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        char c = encoded[i];
        if (c == '%') {
            if (i + 2 >= encoded.size()) return "";
            const int high = hex_digit(encoded[i + 1]), low = hex_digit(encoded[i + 2]);
            if (high < 0 || low < 0) return "";
            c = static_cast<char>(high * 16 + low);
            i += 2;
        }
        if (c == '/' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "";
        id += c;
    }
    if (id == "." || id == "..") return "";  // path syntax, never a charge point
    return id;
}

}  // namespace evtwin::serve
