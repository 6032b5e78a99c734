#pragma once
// UTF-8 as RFC 3629 has it: no overlong forms, no surrogates, nothing above U+10FFFF.
#include <cstddef>
#include <string_view>

namespace evtwin {

// The length of the well-formed sequence of two to four bytes at s[at], 0 when there is none.
inline std::size_t utf8_sequence(std::string_view s, std::size_t at) {
    const auto in = [&](std::size_t k, unsigned lo, unsigned hi) {
        if (at + k >= s.size()) return false;
        const auto b = static_cast<unsigned char>(s[at + k]);
        return b >= lo && b <= hi;
    };
    const auto c = static_cast<unsigned char>(s[at]);
    if (c >= 0xC2 && c <= 0xDF) return in(1, 0x80, 0xBF) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        const unsigned lo = c == 0xE0 ? 0xA0 : 0x80;
        const unsigned hi = c == 0xED ? 0x9F : 0xBF;  // not the surrogates' code points
        return in(1, lo, hi) && in(2, 0x80, 0xBF) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        const unsigned lo = c == 0xF0 ? 0x90 : 0x80;
        const unsigned hi = c == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
        return in(1, lo, hi) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF) ? 4 : 0;
    }
    return 0;
}

}  // namespace evtwin
