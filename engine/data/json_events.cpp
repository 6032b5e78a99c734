#include "data/json_events.hpp"

#include "util/utf8.hpp"

#include <evtwin/errors.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace evtwin {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// The bytes a string literal holds as they are: printable ASCII but the quote and the backslash.
constexpr std::array<bool, 256> kPlainInString = [] {
    std::array<bool, 256> plain{};
    for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
    return plain;
}();

// Where a string literal's value goes: a string of its own, or the text it is read from (a value is
// never longer than its literal, so it can be written behind the reading).
struct ToString {
    std::string& s;
    void put(char c) { s += c; }
    void append(const char* from, std::size_t n) { s.append(from, n); }
};

struct InPlace {
    char* at;
    void put(char c) { *at++ = c; }
    void append(const char* from, std::size_t n) {
        std::memmove(at, from, n);
        at += n;
    }
};

template <class Out>
void append_utf8(Out& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out.put(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.put(static_cast<char>(0xC0 | (cp >> 6)));
        out.put(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.put(static_cast<char>(0xE0 | (cp >> 12)));
        out.put(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.put(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.put(static_cast<char>(0xF0 | (cp >> 18)));
        out.put(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.put(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.put(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

class EventTextReader {
public:
    EventTextReader(std::string_view text, const std::filesystem::path& file, std::string_view where)
        : text_(text), file_(file), where_(where) {}

    [[noreturn]] void fail(const std::string& why, std::size_t at) const {
        throw DataError(file_.string() + ": invalid JSON: " + why + " at byte " + std::to_string(at + 1) +
                        std::string(where_));
    }

    std::size_t pos() const { return i_; }
    bool at_end() const { return i_ == text_.size(); }
    char peek() const { return text_[i_]; }
    void advance() { ++i_; }
    bool next_is(char c) const { return i_ < text_.size() && text_[i_] == c; }
    void skip_space() {
        while (i_ < text_.size() && is_space(text_[i_])) ++i_;
    }
    void skip_byte_order_mark() {
        if (text_.substr(0, 3) == "\xEF\xBB\xBF") i_ = 3;
    }

    // Where the bytes a string holds as they are end, from `at` on. In locals: through the member the
    // compiler would store and load the cursor at every byte.
    std::size_t plain_run_end(std::size_t at) const {
        const char* text = text_.data();
        const std::size_t size = text_.size();
#if defined(__SSE2__)
        // 16 bytes at a time: a quote, a backslash, or a byte below 0x20 or above 0x7F (below 0x20
        // as a signed byte) ends the run.
        const __m128i quote = _mm_set1_epi8('"');
        const __m128i backslash = _mm_set1_epi8('\\');
        const __m128i space = _mm_set1_epi8(0x20);
        for (; at + 16 <= size; at += 16) {
            const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + at));
            const __m128i end =
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)),
                             _mm_cmplt_epi8(bytes, space));
            if (const int mask = _mm_movemask_epi8(end))
                return at + static_cast<std::size_t>(__builtin_ctz(mask));
        }
#endif
        while (at < size && kPlainInString[static_cast<unsigned char>(text[at])]) ++at;
        return at;
    }

    // The string literal at the cursor, which is at its opening quote.
    void read_string(std::string& out) {
        out.clear();
        ToString to{out};
        read_string(to);
    }

    template <class Out>
    void read_string(Out& out) {
        ++i_;
        for (;;) {
            const std::size_t run = i_;
            i_ = plain_run_end(run);
            out.append(text_.data() + run, i_ - run);
            if (at_end()) fail("unterminated string", i_);
            const auto c = static_cast<unsigned char>(text_[i_]);
            if (c == '"') {
                ++i_;
                return;
            }
            if (c < 0x20) fail("control character in a string", i_);
            if (c >= 0x80) {
                const std::size_t n = utf8_sequence(text_, i_);
                if (n == 0) fail("ill-formed UTF-8 in a string", i_);
                out.append(text_.data() + i_, n);
                i_ += n;
                continue;
            }
            read_escape(out);
        }
    }

    void read_literal(std::string_view word) {
        if (text_.substr(i_, word.size()) != word) fail("expected a value", i_);
        i_ += word.size();
    }

    void read_number(JsonEvents& events) {
        const std::size_t start = i_;
        if (next_is('-')) ++i_;
        if (next_is('0')) {
            ++i_;
        } else {
            if (i_ == text_.size() || !is_digit(text_[i_])) fail("expected a digit", i_);
            skip_digits();
        }
        bool integral = true;
        if (next_is('.')) {
            ++i_;
            if (i_ == text_.size() || !is_digit(text_[i_])) fail("expected a digit after '.'", i_);
            skip_digits();
            integral = false;
        }
        if (next_is('e') || next_is('E')) {
            ++i_;
            if (next_is('+') || next_is('-')) ++i_;
            if (i_ == text_.size() || !is_digit(text_[i_])) fail("expected a digit in the exponent", i_);
            skip_digits();
            integral = false;
        }
        const char* first = text_.data() + start;
        const char* last = text_.data() + i_;
        if (integral) {  // when it does not fit 64 bits, it is read as a floating-point number
            if (*first == '-') {
                std::int64_t v = 0;
                if (std::from_chars(first, last, v).ec == std::errc{}) return events.integer(v);
            } else {
                std::uint64_t v = 0;
                if (std::from_chars(first, last, v).ec == std::errc{}) return events.unsigned_integer(v);
            }
        }
        double v = 0.0;
        if (std::from_chars(first, last, v).ec == std::errc::result_out_of_range)
            v = std::strtod(std::string(first, last).c_str(),
                            nullptr);  // infinite, or as near zero as it gets
        if (!std::isfinite(v)) fail("number overflow parsing '" + std::string(first, last) + "'", start);
        events.floating(v);
    }

private:
    void skip_digits() {
        while (i_ < text_.size() && is_digit(text_[i_])) ++i_;
    }

    std::uint32_t hex4(std::size_t at) const {
        if (at + 4 > text_.size()) fail("expected four hex digits after \\u", at);
        std::uint32_t v = 0;
        for (std::size_t k = at; k < at + 4; ++k) {
            const char c = text_[k];
            const int d = c >= '0' && c <= '9'   ? c - '0'
                          : c >= 'a' && c <= 'f' ? c - 'a' + 10
                          : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                 : -1;
            if (d < 0) fail("expected four hex digits after \\u", at);
            v = v * 16 + static_cast<std::uint32_t>(d);
        }
        return v;
    }

    // The escape at the cursor, which is at its backslash.
    template <class Out>
    void read_escape(Out& out) {
        const std::size_t at = i_;
        if (++i_ == text_.size()) fail("unterminated string", i_);
        const char c = text_[i_++];
        switch (c) {
            case '"':
            case '\\':
            case '/':
                out.put(c);
                return;
            case 'b':
                out.put('\b');
                return;
            case 'f':
                out.put('\f');
                return;
            case 'n':
                out.put('\n');
                return;
            case 'r':
                out.put('\r');
                return;
            case 't':
                out.put('\t');
                return;
            case 'u':
                break;
            default:
                fail("invalid escape", at);
        }
        std::uint32_t cp = hex4(i_);
        i_ += 4;
        if (cp >= 0xDC00 && cp <= 0xDFFF) fail("lone low surrogate", at);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (text_.substr(i_, 2) != "\\u") fail("high surrogate without its low surrogate", at);
            const std::uint32_t low = hex4(i_ + 2);
            if (low < 0xDC00 || low > 0xDFFF) fail("high surrogate without its low surrogate", at);
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i_ += 6;
        }
        append_utf8(out, cp);
    }

    std::string_view text_;
    const std::filesystem::path& file_;
    std::string_view where_;
    std::size_t i_ = 0;
};

enum class Want { value, key, more };  // `more`: a value ended; a comma, a close or the end follows

// Reads the text from where `in` is to its end, the containers open kept in `open` (innermost last;
// true: an object) rather than on the call stack, so that nesting depth is no limit.
void read_on(EventTextReader& in, JsonEvents& events) {
    std::vector<bool> open;
    Want want = Want::value;
    std::string s;
    for (;;) {
        in.skip_space();
        if (want == Want::value) {
            if (in.at_end()) in.fail("expected a value, found the end", in.pos());
            want = Want::more;
            switch (in.peek()) {
                case '{':
                    in.advance();
                    events.start_object();
                    in.skip_space();
                    if (in.next_is('}')) {
                        in.advance();
                        events.end_object();
                    } else {
                        open.push_back(true);
                        want = Want::key;
                    }
                    continue;
                case '[':
                    in.advance();
                    events.start_array();
                    in.skip_space();
                    if (in.next_is(']')) {
                        in.advance();
                        events.end_array();
                    } else {
                        open.push_back(false);
                        want = Want::value;
                    }
                    continue;
                case '"':
                    in.read_string(s);
                    events.string(s);
                    continue;
                case 't':
                    in.read_literal("true");
                    events.boolean(true);
                    continue;
                case 'f':
                    in.read_literal("false");
                    events.boolean(false);
                    continue;
                case 'n':
                    in.read_literal("null");
                    events.null();
                    continue;
                default:
                    if (in.peek() != '-' && !is_digit(in.peek())) in.fail("expected a value", in.pos());
                    in.read_number(events);
                    continue;
            }
        }
        if (want == Want::key) {
            if (!in.next_is('"')) in.fail("expected a string as the key", in.pos());
            in.read_string(s);
            events.key(s);
            in.skip_space();
            if (!in.next_is(':')) in.fail("expected ':' after the key", in.pos());
            in.advance();
            want = Want::value;
            continue;
        }
        if (open.empty()) {
            if (!in.at_end()) in.fail("expected the end after the value", in.pos());
            return;
        }
        const bool object = open.back();
        if (in.next_is(',')) {
            in.advance();
            want = object ? Want::key : Want::value;
        } else if (in.next_is(object ? '}' : ']')) {
            in.advance();
            open.pop_back();
            if (object)
                events.end_object();
            else
                events.end_array();
        } else {
            in.fail(object ? "expected ',' or '}'" : "expected ',' or ']'", in.pos());
        }
    }
}

}  // namespace

void read_json_events(std::string_view text, JsonEvents& events, const std::filesystem::path& file,
                      std::string_view where) {
    EventTextReader in(text, file, where);
    in.skip_byte_order_mark();
    read_on(in, events);
}

bool unwrap_json_string_document(std::string& text, const std::filesystem::path& file) {
    EventTextReader in(text, file, {});
    in.skip_byte_order_mark();
    in.skip_space();
    if (!in.next_is('"')) return false;
    InPlace out{text.data()};
    in.read_string(out);
    in.skip_space();
    if (!in.at_end()) in.fail("unexpected content after the string", in.pos());
    text.resize(static_cast<std::size_t>(out.at - text.data()));
    return true;
}

}  // namespace evtwin
