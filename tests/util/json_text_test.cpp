// JsonText against nlohmann::json's dump() of the same values: nesting, empty containers, every
// kind of value, strings that need escapes.
#include "util/json_text.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <limits>
#include <string>

namespace evtwin {
namespace {

TEST(JsonText, WritesWhatNlohmannDumps) {
    std::string awkward = "q\" b\\ \b\f\n\r\t";
    awkward += '\0';
    awkward += "\x01\x1f\x7f \xc3\xa9";
    JsonText j;
    j.open_object()
        .key("a")
        .open_array()
        .value(0.0)
        .value(-2.5)
        .value(1e21)
        .value(1e-7)
        .value(std::numeric_limits<double>::infinity())
        .value(std::uint64_t{18'446'744'073'709'551'615u})
        .value(std::int64_t{-9'007'199'254'740'993})
        .open_array()
        .close_array()
        .open_object()
        .close_object()
        .null()
        .value(true)
        .close_array()
        .member("b", std::map<std::string, std::string>{{"k", "v"}, {"j", ""}})
        .member("c", awkward)
        .key("d")
        .open_object()
        .member("e", false)
        .close_object()
        .close_object();

    const nlohmann::json expected = {
        {"a",
         {0.0, -2.5, 1e21, 1e-7, nullptr, 18'446'744'073'709'551'615u, -9'007'199'254'740'993,
          nlohmann::json::array(), nlohmann::json::object(), nullptr, true}},
        {"b", {{"k", "v"}, {"j", ""}}},
        {"c", awkward},
        {"d", {{"e", false}}}};
    EXPECT_EQ(j.text(), expected.dump());
    EXPECT_EQ(nlohmann::json::parse(j.text()), expected);
}

// Bytes that are not UTF-8 (a stray continuation byte, a lone lead byte, an overlong form, a
// surrogate) become U+FFFD each; well-formed sequences of two to four bytes stay as they are.
TEST(JsonText, WritesBytesThatAreNotUtf8AsReplacementCharacters) {
    JsonText j;
    j.value(
        std::string_view("a\x80"
                         "b\xff\xc0\xaf\xed\xa0\x80 \xc3\xa9\xe2\x82\xac\xf0\x9f\x94\x8b\xc3"));
    const std::string r = "\xEF\xBF\xBD";
    EXPECT_EQ(j.text(),
              "\"a" + r + "b" + r + r + r + r + r + r + " \xc3\xa9\xe2\x82\xac\xf0\x9f\x94\x8b" + r + "\"");
    EXPECT_TRUE(nlohmann::json::parse(j.text()).is_string());
}

}  // namespace
}  // namespace evtwin
