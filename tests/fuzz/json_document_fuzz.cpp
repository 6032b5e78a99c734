// libFuzzer target for the reader of ACN-Sim's event files, against nlohmann::json on the same bytes:
// - the streaming JSON reader accepts exactly the texts nlohmann accepts, and its events build the
//   same value;
// - a string document is decoded in place to nlohmann's string, and any other text is left as it is;
// - the object table of acnportal's serialised graph holds what nlohmann's tree holds.
// A difference aborts; so does any exception other than the documented DataError.
// Built with -DEVTWIN_FUZZ=ON and clang (scripts/fuzz runs it for a bounded time).
#include <evtwin/errors.hpp>
#include "data/acnsim_document.hpp"
#include "data/json_events.hpp"
#include "support/acnsim_document_difference.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace {

using Json = nlohmann::json;

// nlohmann's value of `text`, nullopt when it refuses it. nlohmann takes a NUL byte for the end of
// the text and accepts "[1]\0..." as [1]; the engine's reader refuses any NUL, as RFC 8259 does.
std::optional<Json> reference(const std::string& text) {
    if (text.find('\0') != std::string::npos) return std::nullopt;
    try {
        return Json::parse(text);
    } catch (const Json::exception&) {
        return std::nullopt;
    }
}

[[noreturn]] void differ(const char* what) {
    std::fprintf(stderr, "json_document_fuzz: %s\n", what);
    std::abort();
}

// The value the reader's events describe.
class TreeBuilder final : public evtwin::JsonEvents {
public:
    Json root;

    void null() override { place(Json()); }
    void boolean(bool v) override { place(Json(v)); }
    void integer(std::int64_t v) override { place(Json(v)); }
    void unsigned_integer(std::uint64_t v) override { place(Json(v)); }
    void floating(double v) override { place(Json(v)); }
    void string(std::string& v) override { place(Json(v)); }
    void key(std::string& k) override { key_ = k; }
    void start_object() override { open_.push_back(&place(Json::object())); }
    void end_object() override { open_.pop_back(); }
    void start_array() override { open_.push_back(&place(Json::array())); }
    void end_array() override { open_.pop_back(); }

private:
    // An open container's earlier elements may move as it grows; the containers open above it do not.
    Json& place(Json v) {
        if (open_.empty()) return root = std::move(v);
        Json& parent = *open_.back();
        if (parent.is_array()) {
            parent.push_back(std::move(v));
            return parent.back();
        }
        return parent[key_] = std::move(v);  // a repeated key: the last value, as nlohmann keeps
    }

    std::vector<Json*> open_;
    std::string key_;
};

void check_events(const std::string& text, const std::optional<Json>& expected) {
    TreeBuilder built;
    try {
        evtwin::read_json_events(text, built, "fuzz.json");
    } catch (const evtwin::DataError&) {
        if (expected) differ("read_json_events refused a text nlohmann reads");
        return;
    }
    if (!expected) differ("read_json_events read a text nlohmann refuses");
    if (built.root != *expected) differ("read_json_events read another value than nlohmann");
}

void check_unwrap(const std::string& text, const std::optional<Json>& expected) {
    std::string unwrapped = text;
    bool wrapped = false;
    try {
        wrapped = evtwin::unwrap_json_string_document(unwrapped, "fuzz.json");
    } catch (const evtwin::DataError&) {
        if (expected && expected->is_string()) differ("unwrap refused a string nlohmann reads");
        return;
    }
    if (!wrapped) {
        if (unwrapped != text) differ("unwrap changed a text that is no string");
        if (expected && expected->is_string()) differ("unwrap missed a string document");
        return;
    }
    if (!expected || !expected->is_string()) differ("unwrap read a string nlohmann does not");
    if (unwrapped != expected->get<std::string>()) differ("unwrap decoded another string than nlohmann");
}

// The object table holds what nlohmann's tree of the same document holds, or the text is refused as
// nlohmann refuses it.
void check_document(const std::string& text, const std::optional<Json>& expected) {
    // The document is the text, or the JSON in the text's string.
    std::optional<Json> tree = expected;
    if (tree && tree->is_string()) tree = reference(tree->get<std::string>());
    std::optional<evtwin::AcnSimDocument> doc;
    try {
        doc.emplace(evtwin::read_acnsim_document(text, "fuzz.json"));
    } catch (const evtwin::DataError&) {
        if (tree) differ("read_acnsim_document refused a document nlohmann reads");
        return;
    }
    if (!tree) differ("read_acnsim_document read a document nlohmann refuses");
    if (const std::string d = evtwin::test::acnsim_document_difference(*tree, *doc); !d.empty())
        differ(d.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const std::optional<Json> expected = reference(text);
    check_events(text, expected);
    check_unwrap(text, expected);
    check_document(text, expected);
    return 0;
}
