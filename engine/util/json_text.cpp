#include "util/json_text.hpp"

#include "util/utf8.hpp"

#include <cmath>

namespace evtwin {

JsonText& JsonText::key(std::string_view name) {
    separate();
    string(name);
    out_ += ':';
    after_key_ = true;
    return *this;
}

JsonText& JsonText::value(std::string_view s) {
    separate();
    string(s);
    return *this;
}

JsonText& JsonText::value(bool b) {
    separate();
    out_ += b ? "true" : "false";
    return *this;
}

JsonText& JsonText::value(double v) {
    if (!std::isfinite(v)) return null();
    separate();
    char buffer[32];
    const char* end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
    const std::string_view digits(buffer, static_cast<std::size_t>(end - buffer));
    out_ += digits;
    if (digits.find_first_of(".e") == std::string_view::npos) out_ += ".0";
    return *this;
}

JsonText& JsonText::null() {
    separate();
    out_ += "null";
    return *this;
}

JsonText& JsonText::member(std::string_view name, const std::map<std::string, std::string>& object) {
    key(name).open_object();
    for (const auto& [k, v] : object) member(k, v);
    return close_object();
}

JsonText& JsonText::open(char bracket) {
    separate();
    out_ += bracket;
    first_ = true;
    return *this;
}

JsonText& JsonText::close(char bracket) {
    out_ += bracket;
    first_ = false;
    return *this;
}

// A comma before every value of a container but its first, and none between a key and its value.
void JsonText::separate() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!first_) out_ += ',';
    first_ = false;
}

void JsonText::string(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out_ += '"';
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out_ += '\\';
            out_ += c;
        } else if (u >= 0x80) {
            // A byte of no well-formed sequence becomes U+FFFD: the text stays JSON.
            const std::size_t n = utf8_sequence(s, i);
            if (n == 0) {
                out_ += "\xEF\xBF\xBD";
                continue;
            }
            out_.append(s.substr(i, n));
            i += n - 1;
        } else if (u >= 0x20) {
            out_ += c;
        } else if (c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
            out_ += '\\';
            out_ += c == '\b' ? 'b' : c == '\f' ? 'f' : c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
        } else {
            out_ += "\\u00";
            out_ += kHex[u >> 4];
            out_ += kHex[u & 0xF];
        }
    }
    out_ += '"';
}

}  // namespace evtwin
