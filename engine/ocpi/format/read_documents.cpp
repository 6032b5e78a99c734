// OCPI documents: one object, a list of them, or an OCPI response ({"data": ..., "status_code": ...}).
#include "data/text_file.hpp"
#include "ocpi/format/read.hpp"

namespace evtwin::ocpi {

namespace {

template <class Object>
std::vector<Object> parse_list(const std::string& json_text, const std::string& source, const char* kind,
                               Object (*read)(const ObjectFields&)) {
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(json_text);
    } catch (const nlohmann::json::exception& e) {
        throw DataError(source + ": invalid JSON: " + e.what());
    }
    const nlohmann::json* list = &document;
    if (document.is_object() && document.contains("data") && !document.contains("id"))
        list = &document["data"];
    std::vector<Object> objects;
    const auto one = [&](const nlohmann::json& value, const std::string& name) {
        if (!value.is_object()) throw DataError(source + ": " + name + ": expected an object");
        std::string where = source + ": " + name;
        const auto id = value.find("id");
        if (id != value.end() && id->is_string())
            where += " (id '" + id->get<std::string>().substr(0, 48) + "')";
        objects.push_back(read(ObjectFields(value, where)));
    };
    if (list->is_array()) {
        for (std::size_t i = 0; i < list->size(); ++i)
            one((*list)[i], std::string(kind) + " " + std::to_string(i));
    } else if (list->is_object()) {
        one(*list, kind);
    } else {
        throw DataError(source + ": expected " + kind +
                        " objects (an object, a list, or an OCPI response's data)");
    }
    return objects;
}

}  // namespace

std::vector<Cdr> parse_cdrs(const std::string& json_text, const std::string& source) {
    return parse_list<Cdr>(json_text, source, "CDR", read_cdr);
}

std::vector<Session> parse_sessions(const std::string& json_text, const std::string& source) {
    return parse_list<Session>(json_text, source, "Session", read_session);
}

std::vector<Tariff> parse_tariffs(const std::string& json_text, const std::string& source) {
    return parse_list<Tariff>(json_text, source, "Tariff", read_tariff);
}

std::vector<Location> parse_locations(const std::string& json_text, const std::string& source) {
    return parse_list<Location>(json_text, source, "Location", read_location);
}

std::vector<Cdr> read_cdrs(const std::filesystem::path& file) {
    return parse_cdrs(read_text_file(file), file.string());
}

std::vector<Session> read_sessions(const std::filesystem::path& file) {
    return parse_sessions(read_text_file(file), file.string());
}

std::vector<Tariff> read_tariffs(const std::filesystem::path& file) {
    return parse_tariffs(read_text_file(file), file.string());
}

std::vector<Location> read_locations(const std::filesystem::path& file) {
    return parse_locations(read_text_file(file), file.string());
}

}  // namespace evtwin::ocpi
