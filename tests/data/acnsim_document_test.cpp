// The streaming reader of acnportal's serialised object graph, checked against nlohmann's JSON tree
// of the same text: on random strings, on mutated documents, and on shapes acnportal never writes.
#include "data/acnsim_document.hpp"
#include "data/json_events.hpp"
#include "support/acnsim_document_difference.hpp"
#include "support/mutation.hpp"
#include "util/rng.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace evtwin {
namespace {

using Json = nlohmann::json;
using test::mutate;
using ::testing::HasSubstr;

std::string random_text(Rng& rng) {
    static const std::vector<std::string> pieces{"a", "Z",  "0",  " ",           "\"",   "\\",
                                                 "/", "\n", "\t", "\x01",        "\x1f", "\x7f",
                                                 "é", "€",  "😀",  "{\"k\": [1]}"};
    std::string s;
    const auto n = rng.below(12);
    for (std::uint64_t i = 0; i < n; ++i) s += pieces[rng.below(pieces.size())];
    return s;
}

// The value of the string literal `text` is, nullopt when it is no string (and then left as it was).
std::optional<std::string> json_string_document(std::string text, const std::filesystem::path& file) {
    const std::string before = text;
    if (unwrap_json_string_document(text, file)) return text;
    EXPECT_EQ(text, before);
    return std::nullopt;
}

// nlohmann's value of `text`, nullopt when it is not JSON.
std::optional<Json> reference(const std::string& text) {
    try {
        return Json::parse(text);
    } catch (const Json::parse_error&) {
        return std::nullopt;
    }
}

TEST(JsonStringDocument, ReadsWhatNlohmannWrites) {
    Rng rng = Rng::stream(1, "json-string");
    for (int i = 0; i < 2000; ++i) {
        const std::string s = random_text(rng);
        for (const bool ascii : {false, true}) {
            const std::string literal = " \n" + Json(s).dump(-1, ' ', ascii) + "\t ";
            const auto read = json_string_document(literal, "s.json");
            ASSERT_TRUE(read.has_value()) << literal;
            ASSERT_EQ(*read, s) << literal;
        }
    }
    EXPECT_EQ(json_string_document(R"("\ud83d\ude00 \u00e9\/")", "s.json"), "😀 é/");
    EXPECT_EQ(json_string_document("\xEF\xBB\xBF \"a\"", "s.json"), "a")
        << "after a byte order mark, as nlohmann";
    EXPECT_EQ(json_string_document("  {\"a\": 1}", "s.json"), std::nullopt);
    EXPECT_EQ(json_string_document("", "s.json"), std::nullopt);
}

TEST(JsonStringDocument, MutatedLiteralsReadAsNlohmannReadsThem) {
    Rng rng = Rng::stream(2, "json-string-mutations");
    int strings = 0, rejected = 0;
    for (int i = 0; i < 4000; ++i) {
        std::string literal = Json(random_text(rng)).dump(-1, ' ', true);  // ASCII: edits keep UTF-8 valid
        mutate(literal, rng, "\"\\/ubfnrtx0123456789abcdefABCDEF \x01{}[]");
        const std::optional<Json> expected = reference(literal);
        std::optional<std::string> read;
        try {
            read = json_string_document(literal, "m.json");
        } catch (const DataError& e) {
            ASSERT_THAT(e.what(), HasSubstr("m.json: invalid JSON: ")) << literal;
            ASSERT_FALSE(expected && expected->is_string()) << literal << " is the string " << *expected;
            ++rejected;
            continue;
        }
        if (read) {
            ASSERT_TRUE(expected && expected->is_string()) << literal;
            ASSERT_EQ(*read, expected->get<std::string>()) << literal;
            ++strings;
        } else {
            ASSERT_FALSE(expected && expected->is_string()) << literal;
        }
    }
    EXPECT_GT(strings, 400);
    EXPECT_GT(rejected, 400);
}

// What the streaming reader must make of `text`, from nlohmann's tree of it.
void expect_same_as_tree(const Json& tree, const AcnSimDocument& doc, const std::string& text) {
    EXPECT_EQ(test::acnsim_document_difference(tree, doc), "") << text;
}

const std::string kDocument =
    R"({"id": "1", "version": [0, {"x": null}], "context_dict": {)"
    R"("1": {"class": "acnportal.acnsim.events.event_queue.EventQueue", "attributes": {"_queue": [[10, "4"], [12, 5]], "_timestep": 0}},)"
    R"("4": {"class": "acnportal.acnsim.events.event.PluginEvent", "attributes": {"timestamp": 10, "ev": "2", "precedence": 10}},)"
    R"("5": {"class": "acnportal.acnsim.events.event.UnplugEvent", "attributes": {"timestamp": 12, "station_id": "S1"}},)"
    R"("2": {"class": "acnportal.acnsim.models.ev.EV", "attributes": {"_arrival": 10, "_departure": 20, "_station_id": "S1", "_battery": "3", "_flags": {"a": [true, false], "b": -1.5e3}}},)"
    R"("3": {"attributes": {"_capacity": 50, "_init_charge": 10}, "class": "acnportal.acnsim.models.battery.Battery", "extra": {"y": 1}}}})";

TEST(AcnSimDocument, MatchesTheJsonTree) {
    for (
        const std::string& text :
        {kDocument, Json(kDocument).dump(),
         std::string(
             R"({"id": 7, "context_dict": {"7": 3, "8": {"class": 1, "attributes": {}}, "9": {"class": "C"}}})"),
         std::string(
             R"({"context_dict": {"a": {"class": "C", "attributes": {"k": 1, "k": 2}, "attributes": {"j": [3]}}}, "id": {"n": 1}})"),
         std::string(
             R"({"id": "1", "context_dict": {"a": {"class": "A", "attributes": {}}}, "context_dict": {"b": {"class": "B", "attributes": {}}}})"),
         std::string(R"({"id": "1", "context_dict": [1, 2]})"), std::string("[1, 2]"), std::string("3")}) {
        const auto read = json_string_document(text, "d.json");
        expect_same_as_tree(Json::parse(read ? *read : text), read_acnsim_document(text, "d.json"), text);
    }
}

TEST(AcnSimDocument, MutatedDocumentsReadAsTheJsonTree) {
    Rng rng = Rng::stream(3, "acnsim-document-mutations");
    int read = 0, rejected = 0;
    for (int i = 0; i < 1500; ++i) {
        std::string text = kDocument;
        mutate(text, rng, "{}[]\":,0123456789.-etrunl ");
        std::optional<Json> tree = reference(text);
        if (tree && tree->is_string()) tree = reference(tree->get<std::string>());  // the wrapped document
        try {
            const AcnSimDocument doc = read_acnsim_document(text, "m.json");
            ASSERT_TRUE(tree.has_value()) << text;
            expect_same_as_tree(*tree, doc, text);
            ++read;
        } catch (const DataError& e) {
            ASSERT_THAT(e.what(), HasSubstr("m.json: invalid JSON: ")) << text;
            ASSERT_FALSE(tree.has_value()) << text;
            ++rejected;
        }
    }
    EXPECT_GT(read, 150);
    EXPECT_GT(rejected, 150);
}

}  // namespace
}  // namespace evtwin
