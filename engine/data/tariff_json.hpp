#pragma once
// Internal to the tariff loaders: typed access to a JSON document that reports errors as
// "file: json.path: expected ..., got ...", and the two tariff schemas it reads.
#include <evtwin/errors.hpp>
#include "data/tariff_file.hpp"
#include "model/tou_tariff.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace evtwin::tariff_json {

using Json = nlohmann::json;

class Reader {
public:
    explicit Reader(std::string file) : file_(std::move(file)) {}

    [[noreturn]] void fail(const std::string& path, const std::string& message) const;
    [[noreturn]] void expected(const std::string& path, const std::string& what, const Json& got) const;

    const Json& member(const Json& object, const std::string& path, const std::string& key) const;
    const Json* optional_member(const Json& object, const std::string& path, const std::string& key) const;
    const Json& object(const Json& value, const std::string& path) const;
    const Json& array(const Json& value, const std::string& path, bool non_empty = true) const;
    std::string string(const Json& value, const std::string& path) const;
    double number(const Json& value, const std::string& path) const;
    double non_negative(const Json& value, const std::string& path) const;
    int integer(const Json& value, const std::string& path, int min, int max) const;
    // "MM-DD" (also "M-D") as mmdd; "YYYY-MM-DD" as yyyymmdd.
    int month_day(const Json& value, const std::string& path) const;
    int date(const Json& value, const std::string& path) const;

private:
    std::string file_;
};

std::string key_path(const std::string& path, const std::string& key);
std::string index_path(const std::string& path, std::size_t index);

// Fill a TouTable from each schema. Options that override the file (currency, demand charge,
// export, price scale) are applied by the caller.
TouTable read_evtwin_tariff(const Reader& reader, const Json& root, const TariffOptions& options);
TouTable read_acnportal_tariff(const Reader& reader, const Json& root, const TariffOptions& options);

}  // namespace evtwin::tariff_json
