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

// kDocument as acnportal writes it (", " between members), with `objects` battery objects more, so
// that the middle of the text falls among them.
std::string spaced_document(int objects) {
    auto doc = nlohmann::ordered_json::parse(kDocument);  // "class" before "attributes", as acnportal
    for (int i = 0; i < objects; ++i)
        doc["context_dict"]["b" + std::to_string(i)] = {
            {"class", "acnportal.acnsim.models.battery.Battery"},
            {"attributes", {{"_capacity", i}, {"_init_charge", 0.5}}}};
    return doc.dump();
}

std::string with_separators(std::string text) {
    // nlohmann writes "a":1 and [1,2]; acnportal's json.dumps "a": 1 and [1, 2].
    std::string out;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        out += text[i];
        if (text[i] == '"' && (i == 0 || text[i - 1] != '\\')) in_string = !in_string;
        if (!in_string && (text[i] == ',' || text[i] == ':')) out += ' ';
    }
    return out;
}

// The document read in two parts at once, checked against the tree and against the read in one part.
const AcnSimDocument& read_in_two_parts(const std::string& text, std::optional<AcnSimDocument>& doc) {
    doc.emplace(read_acnsim_document(text, "t.json", 0));
    expect_same_as_tree(Json::parse(text), *doc, text);
    return *doc;
}

TEST(AcnSimDocument, ReadInTwoPartsWhereTheGuessFallsBetweenTwoObjects) {
    const std::string text = with_separators(spaced_document(40));
    std::optional<AcnSimDocument> doc;
    EXPECT_NE(read_in_two_parts(text, doc).second_part, nullptr) << "read in two parts";
    // The second part may hold the root's id, another context_dict, an object of the first part's id.
    std::string moved = text;
    moved.pop_back();  // the root's closing brace
    moved += ", \"context_dict\": 5, \"id\": \"b3\"}";
    EXPECT_NE(read_in_two_parts(moved, doc).second_part, nullptr);
    EXPECT_FALSE(doc->has_context) << "the second part's context_dict replaces the first's";
    EXPECT_EQ(doc->id, "b3");
    std::string replaced = text;
    replaced.insert(text.size() - 2, ", \"b0\": {\"class\": \"later\", \"attributes\": {}}");
    read_in_two_parts(replaced, doc);
    EXPECT_EQ(doc->context.at("b0").cls, "later");
}

TEST(AcnSimDocument, AWrongGuessIsReadInOnePart) {
    // The place guessed falls in a string; and between two members of an object two levels deep
    // that is no context_dict (the reader stops there, and reads on alone).
    const std::string pad(200, 'x');
    for (const std::string& text :
         {with_separators(R"({"id": "1", "context_dict": {}, "note": ")" + pad + R"(}}, \"y\": 1"})"),
          with_separators(R"({"id": "1", "pad": ")" + pad +
                          R"(", "other": {"a": {"b": {"c": 1}}, "d": 2}, "context_dict": {}})")}) {
        std::optional<AcnSimDocument> doc;
        EXPECT_EQ(read_in_two_parts(text, doc).second_part, nullptr) << text;
    }
}

TEST(AcnSimDocument, ReadInTwoPartsFailsAsInOne) {
    Rng rng = Rng::stream(4, "acnsim-document-two-parts");
    const std::string spaced = with_separators(spaced_document(12));
    int split = 0, rejected = 0;
    for (int i = 0; i < 600; ++i) {
        std::string text = spaced;
        mutate(text, rng, "{}[]\":,0123456789.-etrunl ");
        std::string one_part, two_parts;
        std::optional<AcnSimDocument> doc;
        try {
            read_acnsim_document(text, "m.json", SIZE_MAX);
        } catch (const DataError& e) {
            one_part = e.what();
        }
        try {
            doc.emplace(read_acnsim_document(text, "m.json", 0));
        } catch (const DataError& e) {
            two_parts = e.what();
        }
        ASSERT_EQ(two_parts, one_part) << text;
        rejected += !one_part.empty();
        if (!doc) continue;
        split += doc->second_part != nullptr;
        const std::optional<Json> tree = reference(text);
        ASSERT_TRUE(tree.has_value()) << text;
        expect_same_as_tree(*tree, *doc, text);
    }
    EXPECT_GT(split, 100);
    EXPECT_GT(rejected, 100);
}

}  // namespace
}  // namespace evtwin
