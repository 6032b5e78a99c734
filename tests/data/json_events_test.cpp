// The streaming JSON reader against nlohmann's SAX reader of the same text: the same events, the
// same numbers, the same texts refused; on random documents, their mutations and edge cases.
#include "data/json_events.hpp"
#include "support/mutation.hpp"
#include "util/rng.hpp"

#include <evtwin/errors.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace evtwin {
namespace {

using Json = nlohmann::json;
using ::testing::HasSubstr;

// Each event as a line; numbers keep their kind and exact value.
class Recorder final : public JsonEvents {
public:
    std::vector<std::string> lines;

    void null() override { lines.push_back("null"); }
    void boolean(bool v) override { lines.push_back(v ? "true" : "false"); }
    void integer(std::int64_t v) override { lines.push_back("int " + std::to_string(v)); }
    void unsigned_integer(std::uint64_t v) override { lines.push_back("uint " + std::to_string(v)); }
    void floating(double v) override { lines.push_back("float " + bits(v)); }
    void string(std::string& v) override { lines.push_back("string " + v); }
    void key(std::string& k) override { lines.push_back("key " + k); }
    void start_object() override { lines.push_back("{"); }
    void end_object() override { lines.push_back("}"); }
    void start_array() override { lines.push_back("["); }
    void end_array() override { lines.push_back("]"); }

    static std::string bits(double v) {
        std::uint64_t b = 0;
        std::memcpy(&b, &v, sizeof b);
        return std::to_string(b);
    }
};

// nlohmann's events for the same text, in the same lines; nullopt when it refuses the text.
class Reference final : public nlohmann::json_sax<Json> {
public:
    std::vector<std::string> lines;

    bool null() override { return add("null"); }
    bool boolean(bool v) override { return add(v ? "true" : "false"); }
    bool number_integer(number_integer_t v) override { return add("int " + std::to_string(v)); }
    bool number_unsigned(number_unsigned_t v) override { return add("uint " + std::to_string(v)); }
    bool number_float(number_float_t v, const string_t&) override {
        return add("float " + Recorder::bits(v));
    }
    bool string(string_t& v) override { return add("string " + v); }
    bool binary(binary_t&) override { return false; }
    bool key(string_t& k) override { return add("key " + k); }
    bool start_object(std::size_t) override { return add("{"); }
    bool end_object() override { return add("}"); }
    bool start_array(std::size_t) override { return add("["); }
    bool end_array() override { return add("]"); }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
        return false;
    }

    static std::optional<std::vector<std::string>> of(const std::string& text) {
        Reference r;
        if (!Json::sax_parse(text, &r)) return std::nullopt;
        return r.lines;
    }

private:
    bool add(std::string line) {
        lines.push_back(std::move(line));
        return true;
    }
};

// Ours: the events, or nullopt after checking the refusal's message.
std::optional<std::vector<std::string>> ours(const std::string& text) {
    Recorder r;
    try {
        read_json_events(text, r, "t.json");
    } catch (const DataError& e) {
        EXPECT_THAT(e.what(), HasSubstr("t.json: invalid JSON: ")) << text;
        EXPECT_THAT(e.what(), HasSubstr(" at byte ")) << text;
        return std::nullopt;
    }
    return r.lines;
}

void expect_same(const std::string& text) {
    const auto expected = Reference::of(text);
    const auto read = ours(text);
    ASSERT_EQ(read.has_value(), expected.has_value()) << "'" << text << "'";
    if (read) {
        ASSERT_EQ(*read, *expected) << "'" << text << "'";
    }
}

TEST(JsonEvents, EdgeCasesReadAsNlohmannReadsThem) {
    for (const char* text : {"0",
                             "-0",
                             "-0.0",
                             "1",
                             "-1",
                             "9223372036854775807",
                             "9223372036854775808",
                             "-9223372036854775808",
                             "-9223372036854775809",
                             "18446744073709551615",
                             "18446744073709551616",
                             "123456789012345678901234567890",
                             "1.5",
                             "1e3",
                             "1E+3",
                             "1e-3",
                             "2.5e-308",
                             "4.9e-324",
                             "1e-400",
                             "1e308",
                             "1.8e308",
                             "1e400",
                             "-1e400",
                             "0.1",
                             "3.141592653589793238462643383279",
                             "01",
                             "-",
                             "1.",
                             ".5",
                             "1e",
                             "1e+",
                             "+1",
                             "0x10",
                             "NaN",
                             "Infinity",
                             "true",
                             "false",
                             "null",
                             "tru",
                             "nul",
                             "truex",
                             "[]",
                             "{}",
                             "[1,]",
                             "[,1]",
                             "{\"a\":1,}",
                             "{\"a\" 1}",
                             "{1:2}",
                             "{\"a\":1 \"b\":2}",
                             "[1 2]",
                             "",
                             " ",
                             "  [ 1 , { \"k\" : [ ] } ]  ",
                             "[1]]",
                             "{\"a\":1}}",
                             "[",
                             "{",
                             "{\"a\"",
                             "{\"a\":",
                             "\"abc",
                             "\"a\\qb\"",
                             "\"\\u12\"",
                             "\"\\u00e9\\/\\b\\f\\n\\r\\t\"",
                             "\"\\ud83d\\ude00\"",
                             "\"\\ud83d\"",
                             "\"\\ude00\"",
                             "\"\\ud83d\\u0041\"",
                             "\"\xC3\xA9\"",
                             "\"\xC3\"",
                             "\"\xC0\x80\"",
                             "\"\xED\xA0\x80\"",
                             "\"\xF4\x90\x80\x80\"",
                             "\"\xE2\x82\xAC\"",
                             "\"\xF0\x9F\x98\x80\"",
                             "\"\x01\"",
                             "\"\x7F\"",
                             "\xEF\xBB\xBF[1]",
                             "\xEF\xBB[1]",
                             "[\xEF\xBB\xBF]",
                             "{\"a\":1,\"a\":2}",
                             "[true,false,null,\"\",{},[]]",
                             "\t\r\n1\t\r\n",
                             "1 2",
                             "[1]x",
                             "\"a\"\"b\""}) {
        expect_same(text);
    }
}

// A string's plain bytes are skipped many at a time: whatever ends a run (the closing quote, an
// escape, a control byte, the lead byte of UTF-8, a byte UTF-8 never has) is found at every position,
// in keys and values and in a document that is itself a JSON string.
TEST(JsonEvents, StringsReadAsNlohmannReadsThemWhereverTheirSpecialBytesFall) {
    const std::vector<std::string> specials{"\"",   "\\\"",     "\\n",          "\\u00e9", "\x01", "\x1f",
                                            "\x7f", "\xC3\xA9", "\xE2\x82\xAC", "\xC3",    "\xFF"};
    for (const std::size_t length : {15, 16, 17, 31, 32, 33, 48}) {
        for (std::size_t at = 0; at <= length; ++at) {
            for (const std::string& special : specials) {
                std::string s(length, 'a');
                s.insert(at, special);
                for (const std::string before : {"", " "}) {
                    expect_same(before + "[\"" + s + "\"]");
                    expect_same(before + "{\"" + s + "\": 1}");
                }
                const std::string literal = "\"" + s + "\"";
                if (!Reference::of(literal)) continue;
                std::string text = literal;
                ASSERT_TRUE(unwrap_json_string_document(text, "t.json"));
                EXPECT_EQ(text, Json::parse(literal).get<std::string>()) << literal;
            }
            if (HasFailure()) return;
        }
    }
}

TEST(JsonEvents, DeepNestingIsReadWithoutRecursion) {
    expect_same(std::string(100'000, '[') + std::string(100'000, ']'));
    expect_same(std::string(100'000, '['));
}

// A random JSON value, as nlohmann writes it.
Json random_value(Rng& rng, int depth) {
    static const std::vector<std::string> pieces{"a", "\"", "\\", "/", "\n", "\x01", "é", "€", "😀", " ", "k"};
    switch (depth > 3 ? rng.below(5) : rng.below(7)) {
        case 0:
            return nullptr;
        case 1:
            return rng.below(2) == 1;
        case 2:
            return static_cast<std::int64_t>(rng.next()) >> rng.below(64);
        case 3:
            return (rng.uniform() - 0.5) * std::pow(10.0, static_cast<double>(rng.below(40)) - 20.0);
        case 4: {
            std::string s;
            for (std::uint64_t i = rng.below(6); i > 0; --i) s += pieces[rng.below(pieces.size())];
            return s;
        }
        case 5: {
            Json a = Json::array();
            for (std::uint64_t i = rng.below(4); i > 0; --i) a.push_back(random_value(rng, depth + 1));
            return a;
        }
        default: {
            Json o = Json::object();
            for (std::uint64_t i = rng.below(4); i > 0; --i)
                o["k" + std::to_string(rng.below(5))] = random_value(rng, depth + 1);
            return o;
        }
    }
}

TEST(JsonEvents, RandomDocumentsAndTheirMutationsReadAsNlohmannReadsThem) {
    Rng rng = Rng::stream(4, "json-events");
    const std::string alphabet = "{}[]\":,0123456789.-+eEtrunlfas \\u\x01\xC3\xA9\xFF";
    int read = 0, refused = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string text = random_value(rng, 0).dump(rng.below(2) == 1 ? 1 : -1, ' ', rng.below(2) == 1);
        if (i % 3 != 0) test::mutate(text, rng, alphabet);
        expect_same(text);
        if (HasFailure()) return;
        (Reference::of(text) ? read : refused)++;
    }
    EXPECT_GT(read, 1000);
    EXPECT_GT(refused, 500);
}

// nlohmann takes a NUL byte for the end of the text; RFC 8259 allows none anywhere.
TEST(JsonEvents, ANulByteIsRefusedWhereNlohmannStopsAtIt) {
    using namespace std::string_literals;
    ASSERT_TRUE(Reference::of("[1]\0x"s).has_value());
    for (const std::string& text : {"[1]\0x"s, "[1]\0"s, "\0[1]"s, "[1,\0 2]"s, "\"a\0\""s})
        EXPECT_FALSE(ours(text).has_value()) << text.size();
}

TEST(JsonEvents, TheErrorNamesTheByteAndWhichText) {
    Recorder r;
    try {
        read_json_events("[1, 2,, 3]", r, "f.json", " of the JSON in the file's string");
        FAIL();
    } catch (const DataError& e) {
        EXPECT_STREQ(e.what(),
                     "f.json: invalid JSON: expected a value at byte 7 of the JSON in the file's string");
    }
    EXPECT_EQ(r.lines, (std::vector<std::string>{"[", "uint 1", "uint 2"}));
}

}  // namespace
}  // namespace evtwin
