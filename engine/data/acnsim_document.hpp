#pragma once
// acnportal's serialised object graph (what its objects' to_json() writes): {"id": root,
// "context_dict": {id: {"class": ..., "attributes": {...}}}}, the whole document possibly a JSON
// string that holds the JSON. Read with the streaming reader of data/json_events.hpp into one table
// of objects by id, without a JSON tree of every object: only the attributes' values become JSON
// values.
#include <evtwin/errors.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace evtwin {

// The key is one of the document's keys (AcnSimDocument::keys).
using AcnSimAttribute = std::pair<std::string_view, nlohmann::json>;

struct AcnSimObject {
    bool well_formed = false;  // the entry is {"class": <string>, "attributes": {...}}
    std::string cls;
    std::span<const AcnSimAttribute> attributes;  // in file order, in the document's list
    // The attribute's value (the last one, as in a JSON object, when the key repeats); nullptr when absent.
    const nlohmann::json* find(std::string_view key) const;
};

// Moved, never copied: the objects' attributes point into its list.
struct AcnSimDocument {
    AcnSimDocument() = default;
    AcnSimDocument(AcnSimDocument&&) = default;
    AcnSimDocument& operator=(AcnSimDocument&&) = default;

    nlohmann::json id;         // null when the document has none
    bool has_context = false;  // "context_dict" is an object
    std::unordered_map<std::string, AcnSimObject> context;
    std::vector<AcnSimAttribute> attributes;  // every object's, one object's after another
    // The attribute names, each once: a document has a few dozen for thousands of attributes.
    std::unordered_set<std::string> keys;
};

// Throws DataError "<file>: invalid JSON: <where and why>".
AcnSimDocument read_acnsim_document(std::string text, const std::filesystem::path& file);

}  // namespace evtwin
