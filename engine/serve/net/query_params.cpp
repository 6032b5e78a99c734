#include "serve/net/query_params.hpp"

#include "serve/net/api_error.hpp"

#include <charconv>

namespace evtwin::serve {
namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string percent_decoded(std::string_view text, const std::string& name) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out.push_back(' ');
        } else if (text[i] == '%') {
            const int hi = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
            const int lo = i + 2 < text.size() ? hex_digit(text[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                throw ApiError(422, name, name + ": '%' must be followed by two hex digits");
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

QueryParams::QueryParams(std::string_view target, std::initializer_list<const char*> allowed) {
    const auto mark = target.find('?');
    if (mark == std::string_view::npos) return;
    std::string_view rest = target.substr(mark + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view item = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        if (item.empty()) continue;
        const auto eq = item.find('=');
        const std::string name = percent_decoded(item.substr(0, eq), "query");
        if (name.empty())
            throw ApiError(422, "query", "query: a parameter without a name ('" + std::string(item) + "')");
        bool known = false;
        for (const char* a : allowed) known = known || name == a;
        if (!known) {
            std::string names;
            for (const char* a : allowed) names += std::string(names.empty() ? "" : ", ") + a;
            throw ApiError(
                422, name,
                "unknown query parameter '" + name + "'" +
                    (names.empty() ? " (this route takes none)" : " (this route takes " + names + ")"));
        }
        if (values_.count(name)) throw ApiError(422, name, name + ": given twice");
        values_[name] =
            eq == std::string_view::npos ? std::string() : percent_decoded(item.substr(eq + 1), name);
    }
}

std::optional<std::string> QueryParams::text(const char* name) const {
    const auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

std::optional<std::int64_t> QueryParams::integer(const char* name, std::int64_t lo, std::int64_t hi) const {
    const auto value = text(name);
    if (!value) return std::nullopt;
    std::int64_t n = 0;
    const char* end = value->data() + value->size();
    const auto [ptr, ec] = std::from_chars(value->data(), end, n);
    if (value->empty() || ec != std::errc() || ptr != end)
        throw ApiError(422, name, std::string(name) + ": expected an integer, got '" + *value + "'");
    if (n < lo || n > hi)
        throw ApiError(422, name,
                       std::string(name) + ": " + *value + " is outside [" + std::to_string(lo) + ", " +
                           std::to_string(hi) + "]");
    return n;
}

std::optional<Time> QueryParams::instant(const char* name) const {
    // Years 0 to 9999, so that a window's arithmetic never overflows.
    constexpr std::int64_t kLimit = 253'402'300'800'000;
    const auto ms = integer(name, -62'167'219'200'000, kLimit);
    if (!ms) return std::nullopt;
    return Time(*ms);
}

}  // namespace evtwin::serve
