#pragma once
// How the object table read_acnsim_document made of a text differs from what nlohmann's tree of the
// same text holds, for the tests and the fuzz target. Header-only and without gtest: the fuzz target
// builds it with the reader's sources alone.
#include "data/acnsim_document.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace evtwin::test {

// The first difference, named with the object it is in; empty when there is none.
inline std::string acnsim_document_difference(const nlohmann::json& tree, const AcnSimDocument& doc) {
    using Json = nlohmann::json;
    const bool object = tree.is_object();
    if (doc.id != (object && tree.contains("id") ? tree["id"] : Json())) return "another root id";
    const bool has_context = object && tree.contains("context_dict") && tree["context_dict"].is_object();
    if (doc.has_context != has_context) return "another context_dict";
    if (!has_context) return {};
    const Json& context = tree["context_dict"];
    if (doc.context.size() != context.size()) return "another number of objects";
    for (const auto& [id, entry] : context.items()) {
        const auto it = doc.context.find(id);
        if (it == doc.context.end()) return "object " + id + " missing";
        const AcnSimObject& o = it->second;
        const bool well_formed = entry.is_object() && entry.contains("class") && entry["class"].is_string() &&
                                 entry.contains("attributes") && entry["attributes"].is_object();
        if (o.well_formed != well_formed) return "another shape of object " + id;
        if (!well_formed) continue;
        if (o.cls != entry["class"].get<std::string>()) return "another class of object " + id;
        Json attributes = Json::object();
        for (const auto& [key, value] : o.attributes) attributes[std::string(key)] = value;
        if (attributes != entry["attributes"]) return "other attributes of object " + id;
        for (const auto& [key, value] : entry["attributes"].items()) {
            const Json* found = o.find(key);
            if (!found || *found != value) return "find('" + key + "') of object " + id;
        }
    }
    return {};
}

}  // namespace evtwin::test
