#include "data/json_file.hpp"

#include "data/text_file.hpp"

namespace evtwin {

template <class Json>
Json read_json_file(const std::filesystem::path& file) {
    const std::string text = read_text_file(file);
    try {
        return Json::parse(text);
    } catch (const typename Json::parse_error& e) {
        throw DataError(file.string() + ": invalid JSON: " + e.what());
    }
}

template nlohmann::json read_json_file<nlohmann::json>(const std::filesystem::path&);
template nlohmann::ordered_json read_json_file<nlohmann::ordered_json>(const std::filesystem::path&);

}  // namespace evtwin
