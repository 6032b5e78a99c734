#include "data/tariff_file.hpp"

#include "data/csv.hpp"
#include "data/data_cache.hpp"
#include "data/json_file.hpp"
#include "data/number_range.hpp"
#include "data/tariff_json.hpp"
#include "model/local_time.hpp"
#include "model/price_series_tariff.hpp"
#include "model/tou_tariff.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace evtwin {
namespace tariff_json {

namespace {

std::string show(const Json& got) {
    std::string s = got.dump();
    if (s.size() > 60) s = s.substr(0, 57) + "...";
    return s;
}

std::string type_name(const Json& v) {
    return v.is_null() ? "null" : std::string(v.type_name());
}

}  // namespace

std::string key_path(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}
std::string index_path(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

void Reader::fail(const std::string& path, const std::string& message) const {
    throw DataError(file_ + ": " + (path.empty() ? std::string("(top level)") : path) + ": " + message);
}

void Reader::expected(const std::string& path, const std::string& what, const Json& got) const {
    fail(path, "expected " + what + ", got " + type_name(got) + " " + show(got));
}

const Json& Reader::member(const Json& object, const std::string& path, const std::string& key) const {
    const Json* m = optional_member(object, path, key);
    if (m == nullptr) fail(key_path(path, key), "missing; this key is required");
    return *m;
}

const Json* Reader::optional_member(const Json& object, const std::string& path,
                                    const std::string& key) const {
    if (!object.is_object()) expected(path, "an object", object);
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

const Json& Reader::object(const Json& value, const std::string& path) const {
    if (!value.is_object()) expected(path, "an object", value);
    return value;
}

const Json& Reader::array(const Json& value, const std::string& path, bool non_empty) const {
    if (!value.is_array()) expected(path, "an array", value);
    if (non_empty && value.empty()) fail(path, "expected a non-empty array");
    return value;
}

std::string Reader::string(const Json& value, const std::string& path) const {
    if (!value.is_string()) expected(path, "a string", value);
    return value.get<std::string>();
}

double Reader::number(const Json& value, const std::string& path) const {
    if (!value.is_number()) expected(path, "a number", value);
    const double v = value.get<double>();
    if (!in_number_range(v)) expected(path, "a number within +-1e15", value);
    return v;
}

double Reader::non_negative(const Json& value, const std::string& path) const {
    const double v = number(value, path);
    if (v < 0.0) expected(path, "a non-negative number", value);
    return v;
}

int Reader::integer(const Json& value, const std::string& path, int min, int max) const {
    const std::string what = "an integer in " + std::to_string(min) + ".." + std::to_string(max);
    if (!value.is_number_integer()) expected(path, what, value);
    const auto v = value.get<long long>();
    if (v < min || v > max) expected(path, what, value);
    return static_cast<int>(v);
}

namespace {

bool days_valid(int y, int m, int d) {
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return false;
    if (m == 2 && d == 29 && y != 0) return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return true;
}

// Splits "A-B-C" into numbers of 1..4 digits; false on anything else.
bool split_numbers(const std::string& s, std::vector<int>& out) {
    out.clear();
    std::size_t i = 0;
    while (true) {
        std::size_t j = i;
        int v = 0;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])) && j - i < 4)
            v = v * 10 + (s[j++] - '0');
        if (j == i) return false;
        out.push_back(v);
        if (j == s.size()) return true;
        if (s[j] != '-') return false;
        i = j + 1;
    }
}

}  // namespace

int Reader::month_day(const Json& value, const std::string& path) const {
    const std::string s = string(value, path);
    std::vector<int> n;
    if (!split_numbers(s, n) || n.size() != 2 || !days_valid(0, n[0], n[1]))
        expected(path, "a month-day \"MM-DD\"", value);
    return n[0] * 100 + n[1];
}

int Reader::date(const Json& value, const std::string& path) const {
    const std::string s = string(value, path);
    std::vector<int> n;
    if (!split_numbers(s, n) || n.size() != 3 || s.size() != 10 || !days_valid(n[0], n[1], n[2]))
        expected(path, "a date \"YYYY-MM-DD\"", value);
    return n[0] * 10000 + n[1] * 100 + n[2];
}

}  // namespace tariff_json

namespace {

using tariff_json::Json;

void apply_options(TouTable& table, const TariffOptions& options) {
    if (!options.currency.empty()) table.currency = options.currency;
    for (auto& s : table.schedules)
        for (auto& p : s.price) p *= options.price_scale;
    if (options.demand_charge_per_kw)
        for (auto& r : table.rules) r.demand_charge_per_kw = *options.demand_charge_per_kw;
    if (options.export_price)
        table.export_pricing = ExportPricing{options.export_price, 0.0};
    else if (options.export_factor)
        table.export_pricing = ExportPricing{std::nullopt, *options.export_factor};
}

void check_options(const std::string& file, const TariffOptions& options) {
    auto bad = [&](const std::string& what) { throw DataError(file + ": tariff options: " + what); };
    if (!std::isfinite(options.price_scale) || options.price_scale <= 0.0)
        bad("price_scale must be a positive number");
    if (options.export_price && options.export_factor)
        bad("give an export price or an export factor, not both");
    if (options.export_factor && (!std::isfinite(*options.export_factor) || *options.export_factor < 0.0))
        bad("export_factor must be a non-negative number");
    if (options.export_price && !std::isfinite(*options.export_price)) bad("export_price must be a number");
    if (options.demand_charge_per_kw &&
        (!std::isfinite(*options.demand_charge_per_kw) || *options.demand_charge_per_kw < 0.0))
        bad("demand_charge_per_kw must be a non-negative number");
}

// Everything a tariff loaded from `file` depends on.
std::string tariff_key(const char* kind, const std::filesystem::path& file, const TariffOptions& o) {
    return cache_key(kind, file.string(), o.timezone, o.variant, o.export_price, o.export_factor,
                     o.demand_charge_per_kw, o.price_scale, o.currency);
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::shared_ptr<const Tariff> read_tariff_file(const std::filesystem::path& file,
                                               const TariffOptions& options) {
    const std::string name = file.string();
    check_options(name, options);
    const Json root = read_json_file(file);
    const tariff_json::Reader reader(name);
    if (!root.is_object()) reader.expected("", "a JSON object (an evtwin or acnportal tariff)", root);
    TouTable table;
    if (root.contains("eras")) {
        table = tariff_json::read_evtwin_tariff(reader, root, options);
    } else if (root.contains("schedule")) {
        table = tariff_json::read_acnportal_tariff(reader, root, options);
    } else {
        reader.fail("",
                    "expected evtwin's tariff format (with 'eras', see docs/tariffs.md) or acnportal's "
                    "(with 'schedule')");
    }
    apply_options(table, options);
    try {
        return std::make_shared<TouTariff>(std::move(table));
    } catch (const std::exception& e) {
        throw DataError(name + ": " + e.what());
    }
}

}  // namespace

std::shared_ptr<const Tariff> load_tariff_file(const std::filesystem::path& file,
                                               const TariffOptions& options) {
    return DataCache::cached<std::shared_ptr<const Tariff>>(tariff_key("tariff", file, options),
                                                            [&] { return read_tariff_file(file, options); });
}

namespace {

std::shared_ptr<const Tariff> read_price_series_csv(const std::filesystem::path& file,
                                                    const TariffOptions& options) {
    check_options(file.string(), options);
    const CsvTable csv = CsvTable::read(file);
    const std::size_t date_col = csv.column("date");
    const std::size_t hour_col = csv.column("hour");
    std::size_t price_col = csv.header().size();
    for (std::size_t c = 0; c < csv.header().size(); ++c)
        if (lower(csv.header()[c]).rfind("price", 0) == 0) {
            price_col = c;
            break;
        }
    if (price_col == csv.header().size()) (void)csv.column("Price");  // throws, listing the columns
    if (csv.rows() == 0) throw DataError(file.string() + ": no price rows");

    std::string zone_name = options.timezone.empty() ? "UTC" : options.timezone;
    std::optional<TimeZone> zone;
    try {
        zone.emplace(zone_name);
    } catch (const std::invalid_argument& e) {
        throw DataError(file.string() + ": " + e.what());
    }

    PriceSeries series;
    series.name = file.stem().string();
    const std::string header = csv.header()[price_col];
    const auto open = header.find('(');
    if (!options.currency.empty())
        series.currency = options.currency;
    else if (open != std::string::npos && header.size() >= open + 4)
        series.currency = header.substr(open + 1, 3);
    else
        series.currency = "EUR";  // the day-ahead markets of the reference data
    series.timezone = zone_name;
    series.demand_charge_per_kw = options.demand_charge_per_kw.value_or(0.0);
    if (options.export_price)
        series.export_pricing.fixed = options.export_price;
    else if (options.export_factor)
        series.export_pricing.factor = *options.export_factor;

    const Duration step = Duration::hours(1);
    for (std::size_t row = 0; row < csv.rows(); ++row) {
        const std::string& date_text = csv.text(row, date_col);
        std::string hour_text = csv.text(row, hour_col);
        // "HH", "HH:MM" or "HH:MM:SS", hours of the local day 00..23.
        if (hour_text.size() == 1) hour_text = "0" + hour_text;
        if (hour_text.size() == 2) hour_text += ":00";
        Time t;
        try {
            t = parse_time(date_text + "T" + hour_text, *zone);
        } catch (const std::invalid_argument&) {
            csv.fail(row, "expected a date 'YYYY-MM-DD' and an hour 'HH:MM:SS' (00..23), got '" + date_text +
                              "', '" + csv.text(row, hour_col) + "'");
        }
        const LocalDateTime wall = zone->to_local(t);
        const int wanted_hour = (hour_text[0] - '0') * 10 + (hour_text[1] - '0');
        if (wall.hour != wanted_hour) continue;  // an hour skipped by a DST change: a filler row
        if (!series.t.empty() && t <= series.t.back()) {
            // The repeated hour when clocks fall back: the second row is the later instant.
            const Time later = t + Duration::hours(1);
            if (zone->to_local(later).hour == wanted_hour) t = later;
        }
        if (!series.t.empty() && t != series.t.back() + step)
            csv.fail(row, "expected the hour after " + format_utc(series.t.back()) +
                              " (hourly rows in order, local time " + zone_name + "), got " + date_text +
                              " " + csv.text(row, hour_col));
        series.t.push_back(t);
        series.price.push_back(csv.number(row, price_col) * options.price_scale);
    }
    series.end = series.t.back() + step;
    try {
        return std::make_shared<PriceSeriesTariff>(std::move(series));
    } catch (const std::exception& e) {
        throw DataError(file.string() + ": " + e.what());
    }
}

}  // namespace

std::shared_ptr<const Tariff> load_price_series_csv(const std::filesystem::path& file,
                                                    const TariffOptions& options) {
    return DataCache::cached<std::shared_ptr<const Tariff>>(
        tariff_key("price_series", file, options), [&] { return read_price_series_csv(file, options); });
}

}  // namespace evtwin
