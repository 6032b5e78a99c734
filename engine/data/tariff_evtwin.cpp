// evtwin's tariff JSON (docs/tariffs.md): seasons as months, eras with effective dates, bands by
// season, day type and local hour, prices per variant. Turned into a TouTable whose rules do not
// overlap: seasons partition the year, day types the week, bands the day, eras the time line.
#include "data/tariff_json.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <map>
#include <optional>

namespace evtwin::tariff_json {
namespace {

constexpr std::array<const char*, 3> kDayTypes{"weekday", "saturday", "sunday_holiday"};
constexpr std::array<std::uint8_t, 3> kDayBits{0x3e, 0x40, 0x01 | kHolidayBit};

struct Season {
    std::string name;
    std::array<bool, 13> months{};  // 1..12
};

struct Era {
    std::string name;
    std::string path;
    int from = 0;
    int to = 99'999'999;
};

// "HH[:MM]-HH[:MM]" as [from, to) minutes; to may be 24:00 and may be before from (wraps midnight).
std::pair<int, int> hour_range(const Reader& reader, const Json& value, const std::string& path) {
    const std::string s = reader.string(value, path);
    auto bad = [&]() {
        reader.expected(path, "hours \"HH-HH\" or \"HH:MM-HH:MM\" (e.g. \"22-08\", \"08:30-21:30\")", value);
    };
    std::size_t i = 0;
    auto clock = [&](bool allow_24) {
        int h = 0;
        int m = 0;
        std::size_t digits = 0;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && digits < 2)
            h = h * 10 + (s[i++] - '0'), ++digits;
        if (digits == 0) bad();
        if (i < s.size() && s[i] == ':') {
            ++i;
            if (i + 2 > s.size() || !std::isdigit(static_cast<unsigned char>(s[i])) ||
                !std::isdigit(static_cast<unsigned char>(s[i + 1])))
                bad();
            m = (s[i] - '0') * 10 + (s[i + 1] - '0');
            i += 2;
        }
        if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24))) bad();
        return h * 60 + m;
    };
    const int from = clock(false);
    if (i >= s.size() || s[i] != '-') bad();
    ++i;
    const int to = clock(true);
    if (i != s.size() || from == to) bad();
    return {from, to};
}

std::string clock_text(int minute) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minute / 60, minute % 60);
    return buf;
}

// The band name of every minute of the day, from a list of {"hours": ..., "band": ...}.
std::array<std::string, 1440> day_bands(const Reader& reader, const Json& list, const std::string& path) {
    std::array<std::string, 1440> band;
    std::array<int, 1440> owner;
    owner.fill(-1);
    reader.array(list, path);
    for (std::size_t k = 0; k < list.size(); ++k) {
        const std::string p = index_path(path, k);
        const Json& entry = reader.object(list[k], p);
        const auto [from, to] = hour_range(reader, reader.member(entry, p, "hours"), key_path(p, "hours"));
        const std::string name = reader.string(reader.member(entry, p, "band"), key_path(p, "band"));
        if (name.empty()) reader.expected(key_path(p, "band"), "a band name", entry["band"]);
        const int end = to > from ? to : to + 1440;
        for (int m = from; m < end; ++m) {
            const int at = m % 1440;
            if (owner[at] >= 0)
                reader.fail(p, "hours " + clock_text(from) + "-" + clock_text(to) + " overlap " +
                                   index_path(path, static_cast<std::size_t>(owner[at])) + " at " +
                                   clock_text(at) + "; expected bands that cover the day exactly once");
            owner[at] = static_cast<int>(k);
            band[at] = name;
        }
    }
    for (int m = 0; m < 1440; ++m) {
        if (owner[m] >= 0) continue;
        int e = m;
        while (e < 1440 && owner[e] < 0) ++e;
        reader.fail(path, "hours " + clock_text(m) + "-" + clock_text(e) +
                              " are in no band; expected bands that cover the day exactly once");
    }
    return band;
}

std::vector<Season> read_seasons(const Reader& reader, const Json& root) {
    const Json& seasons = reader.object(reader.member(root, "", "seasons"), "seasons");
    if (seasons.empty()) reader.fail("seasons", "expected at least one season");
    std::vector<Season> out;
    std::array<std::string, 13> owner;
    for (const auto& [name, spec] : seasons.items()) {
        const std::string path = key_path("seasons", name);
        if (name == "all") reader.fail(path, "'all' is reserved; name the season otherwise");
        Season s{name, {}};
        reader.array(spec, path);
        for (std::size_t k = 0; k < spec.size(); ++k) {
            const std::string p = index_path(path, k);
            int a = 0;
            int b = 0;
            if (spec[k].is_array()) {
                if (spec[k].size() != 2) reader.expected(p, "a month 1..12 or a range [from, to]", spec[k]);
                a = reader.integer(spec[k][0], index_path(p, 0), 1, 12);
                b = reader.integer(spec[k][1], index_path(p, 1), 1, 12);
            } else {
                a = b = reader.integer(spec[k], p, 1, 12);
            }
            for (int m = a;; m = m % 12 + 1) {
                if (!owner[m].empty())
                    reader.fail(p, "month " + std::to_string(m) + " is also in season '" + owner[m] +
                                       "'; expected the seasons to cover the 12 months exactly once");
                owner[m] = name;
                s.months[m] = true;
                if (m == b) break;
            }
        }
        out.push_back(std::move(s));
    }
    for (int m = 1; m <= 12; ++m)
        if (owner[m].empty())
            reader.fail("seasons",
                        "month " + std::to_string(m) +
                            " is in no season; expected the seasons to cover the 12 months exactly once");
    return out;
}

std::vector<Era> read_eras(const Reader& reader, const Json& root) {
    const Json& eras = reader.array(reader.member(root, "", "eras"), "eras");
    std::vector<Era> out;
    for (std::size_t i = 0; i < eras.size(); ++i) {
        Era e;
        e.path = index_path("eras", i);
        reader.object(eras[i], e.path);
        const Json* name = reader.optional_member(eras[i], e.path, "name");
        e.name = name ? reader.string(*name, key_path(e.path, "name")) : e.path;
        if (const Json* f = reader.optional_member(eras[i], e.path, "effective_from"))
            e.from = reader.date(*f, key_path(e.path, "effective_from"));
        if (const Json* t = reader.optional_member(eras[i], e.path, "effective_to"))
            e.to = reader.date(*t, key_path(e.path, "effective_to"));
        if (e.from >= e.to) reader.fail(e.path, "expected effective_from before effective_to");
        if (i > 0 && e.from == 0)
            reader.fail(e.path, "expected effective_from (only the first era may omit it)");
        if (i > 0 && out.back().to != e.from)
            reader.fail(e.path, "effective_from " + std::to_string(e.from) +
                                    " does not follow the previous era's effective_to " +
                                    (out.back().to == 99'999'999 ? std::string("(open)")
                                                                 : std::to_string(out.back().to)) +
                                    "; expected eras in order, without gaps or overlaps");
        out.push_back(std::move(e));
    }
    return out;
}

// The JSON and path of what applies to `key` in an object keyed by season (or "all").
std::pair<const Json*, std::string> by_season(const Reader& reader, const Json& object,
                                              const std::string& path, const std::string& season) {
    if (const Json* j = reader.optional_member(object, path, season)) return {j, key_path(path, season)};
    if (const Json* j = reader.optional_member(object, path, "all")) return {j, key_path(path, "all")};
    return {nullptr, key_path(path, season)};
}

void check_keys(const Reader& reader, const Json& object, const std::string& path,
                const std::vector<std::string>& allowed, const std::string& what) {
    for (const auto& [key, value] : object.items()) {
        (void)value;
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "'" : ", '") + a + "'";
            reader.fail(key_path(path, key), "unknown " + what + "; expected one of " + list);
        }
    }
}

// For each day type, the band list that applies (from weekday/saturday/sunday_holiday/weekend/all).
std::array<std::pair<const Json*, std::string>, 3> day_type_lists(const Reader& reader, const Json& season,
                                                                  const std::string& path) {
    reader.object(season, path);
    check_keys(reader, season, path, {"weekday", "saturday", "sunday_holiday", "weekend", "all"}, "day type");
    std::array<std::pair<const Json*, std::string>, 3> out{};
    auto set = [&](std::size_t type, const char* key) {
        if (const Json* j = reader.optional_member(season, path, key)) {
            if (out[type].first != nullptr)
                reader.fail(key_path(path, key), "day type " + std::string(kDayTypes[type]) +
                                                     " is also given by " + out[type].second);
            out[type] = {j, key_path(path, key)};
        }
    };
    for (std::size_t d = 0; d < 3; ++d) set(d, kDayTypes[d]);
    set(1, "weekend");
    set(2, "weekend");
    if (const Json* all = reader.optional_member(season, path, "all"))
        for (auto& o : out)
            if (o.first == nullptr) o = {all, key_path(path, "all")};
    for (std::size_t d = 0; d < 3; ++d)
        if (out[d].first == nullptr)
            reader.fail(path, std::string("no bands for ") + kDayTypes[d] +
                                  "; expected 'weekday', 'saturday' and "
                                  "'sunday_holiday' (or 'weekend' / 'all')");
    return out;
}

struct Variant {
    std::string name;
    std::string path;  // "" for a file without variants
    const Json* json = nullptr;
};

Variant select_variant(const Reader& reader, const Json& root, const std::string& wanted) {
    const Json* variants = reader.optional_member(root, "", "variants");
    if (variants == nullptr) {
        if (!wanted.empty())
            reader.fail("variants",
                        "missing; the file has no variants, but variant '" + wanted + "' was asked for");
        return {"", "", &root};
    }
    reader.object(*variants, "variants");
    std::string names;
    for (const auto& [k, v] : variants->items()) {
        (void)v;
        names += (names.empty() ? "'" : ", '") + k + "'";
    }
    if (variants->empty()) reader.fail("variants", "expected at least one variant");
    if (wanted.empty()) {
        if (variants->size() == 1)
            return {variants->begin().key(), key_path("variants", variants->begin().key()),
                    &*variants->begin()};
        reader.fail("variants", "the file has several variants; choose one of " + names);
    }
    const auto it = variants->find(wanted);
    if (it == variants->end())
        reader.fail("variants", "no variant '" + wanted + "'; the variants are " + names);
    return {wanted, key_path("variants", wanted), &*it};
}

// The file's settings outside seasons, eras and prices: format, currency, zone, demand interval,
// holidays.
void read_settings(const Reader& reader, const Json& root, const TariffOptions& options, TouTable& table) {
    if (const Json* f = reader.optional_member(root, "", "format"))
        if (reader.string(*f, "format") != "evtwin-tariff")
            reader.expected("format", "\"evtwin-tariff\"", *f);
    if (const Json* v = reader.optional_member(root, "", "version")) reader.integer(*v, "version", 1, 1);
    if (const Json* c = reader.optional_member(root, "", "currency"))
        table.currency = reader.string(*c, "currency");
    else if (options.currency.empty())
        reader.fail("currency", "missing; this key is required");
    table.timezone = options.timezone.empty() ? "UTC" : options.timezone;
    if (const Json* z = reader.optional_member(root, "", "timezone")) {
        table.timezone = reader.string(*z, "timezone");
        try {
            TimeZone check(table.timezone);
        } catch (const std::invalid_argument& e) {
            reader.fail("timezone", e.what());
        }
    }
    if (const Json* d = reader.optional_member(root, "", "demand_interval_minutes")) {
        const int minutes = reader.integer(*d, "demand_interval_minutes", 1, 60);
        if (!divides_an_hour(Duration::minutes(minutes)))
            reader.fail("demand_interval_minutes",
                        "expected a number of minutes that divides an hour (5, 15, 30, 60, ...), got " +
                            std::to_string(minutes));
        table.demand_interval = Duration::minutes(minutes);
    }
    if (const Json* h = reader.optional_member(root, "", "holidays")) {
        reader.array(*h, "holidays", false);
        for (std::size_t i = 0; i < h->size(); ++i) {
            const std::string p = index_path("holidays", i);
            const std::string s = reader.string((*h)[i], p);
            if (s.size() == 10)
                table.holidays.push_back(reader.date((*h)[i], p));
            else
                table.recurring_holidays.push_back(reader.month_day((*h)[i], p));
        }
    }
}

// The variant's demand charge per season: one number, or one per season.
std::map<std::string, double> demand_rates(const Reader& reader, const Variant& variant, const Json& vj,
                                           const std::vector<Season>& seasons) {
    std::map<std::string, double> demand;
    const std::string demand_path = key_path(variant.path, "demand_charge_per_kw");
    const Json* dj = reader.optional_member(vj, variant.path, "demand_charge_per_kw");
    for (const auto& s : seasons) {
        double rate = 0.0;
        if (dj != nullptr && dj->is_object()) {
            const auto [j, p] = by_season(reader, *dj, demand_path, s.name);
            if (j == nullptr) reader.fail(p, "missing; expected a demand charge for every season (or 'all')");
            rate = reader.non_negative(*j, p);
        } else if (dj != nullptr) {
            if (!dj->is_number()) reader.expected(demand_path, "a number or an object by season", *dj);
            rate = reader.non_negative(*dj, demand_path);
        }
        demand[s.name] = rate;
    }
    return demand;
}

// The variant's export pricing: a fixed price or a factor on the import price.
void read_export(const Reader& reader, const Variant& variant, const Json& vj, ExportPricing& out) {
    const Json* ex = reader.optional_member(vj, variant.path, "export");
    if (!ex) return;
    const std::string p = key_path(variant.path, "export");
    reader.object(*ex, p);
    check_keys(reader, *ex, p, {"price", "factor"}, "export setting");
    const Json* price = reader.optional_member(*ex, p, "price");
    const Json* factor = reader.optional_member(*ex, p, "factor");
    if ((price == nullptr) == (factor == nullptr))
        reader.fail(p, "expected exactly one of 'price' and 'factor'");
    if (price)
        out.fixed = reader.non_negative(*price, key_path(p, "price"));
    else
        out.factor = reader.non_negative(*factor, key_path(p, "factor"));
}

// A day's prices minute by minute from its band names, as the minutes where the price changes.
DaySchedule day_schedule(const Reader& reader, const std::array<std::string, 1440>& names,
                         const Json& band_prices, const std::string& band_prices_path,
                         const std::string& used_in) {
    DaySchedule day;
    for (int m = 0; m < 1440; ++m) {
        if (m > 0 && names[m] == names[m - 1]) continue;
        const Json* pj = reader.optional_member(band_prices, band_prices_path, names[m]);
        if (pj == nullptr)
            reader.fail(key_path(band_prices_path, names[m]),
                        "missing; expected the price of band '" + names[m] + "' (used in " + used_in + ")");
        const double price = reader.non_negative(*pj, key_path(band_prices_path, names[m]));
        if (!day.price.empty() && day.price.back() == price) continue;
        day.start_minute.push_back(m);
        day.price.push_back(price);
    }
    return day;
}

// The rules that apply `schedule` on day type `d` of `season` in `era`: one per run of consecutive
// months (a run may wrap the year).
void add_rules(TouTable& table, const Era& era, const Season& season, std::size_t d, std::size_t schedule,
               double demand_rate) {
    int first_out = 1;
    while (first_out <= 12 && season.months[first_out]) ++first_out;
    if (first_out > 12) {
        table.rules.push_back({era.from, era.to, 101, 1231, kDayBits[d], schedule, demand_rate});
        return;
    }
    for (int k = 0; k < 12; ++k) {
        const int m = (first_out - 1 + k) % 12 + 1;
        const int prev = (m + 10) % 12 + 1;
        if (!season.months[m] || season.months[prev]) continue;
        int last = m;
        while (season.months[last % 12 + 1]) last = last % 12 + 1;
        table.rules.push_back(
            {era.from, era.to, m * 100 + 1, last * 100 + 31, kDayBits[d], schedule, demand_rate});
    }
}

}  // namespace

TouTable read_evtwin_tariff(const Reader& reader, const Json& root, const TariffOptions& options) {
    TouTable table;
    read_settings(reader, root, options, table);
    const std::string base_name = reader.string(reader.member(root, "", "name"), "name");
    const std::vector<Season> seasons = read_seasons(reader, root);
    const std::vector<Era> eras = read_eras(reader, root);
    const Variant variant = select_variant(reader, root, options.variant);
    table.name = variant.name.empty() ? base_name : base_name + " (" + variant.name + ")";
    const Json& vj = reader.object(*variant.json, variant.path);
    const std::string prices_path = key_path(variant.path, "prices");
    const Json& prices = reader.object(reader.member(vj, variant.path, "prices"), prices_path);
    const Json* era_prices = reader.optional_member(vj, variant.path, "era_prices");
    const std::string era_prices_path = key_path(variant.path, "era_prices");
    if (era_prices) reader.object(*era_prices, era_prices_path);
    std::map<std::string, double> demand = demand_rates(reader, variant, vj, seasons);
    read_export(reader, variant, vj, table.export_pricing);

    std::vector<std::string> season_keys{"all"};
    for (const auto& s : seasons) season_keys.push_back(s.name);
    check_keys(reader, prices, prices_path, season_keys, "season");

    for (const Era& era : eras) {
        const std::string bands_path = key_path(era.path, "bands");
        const Json& bands =
            reader.object(reader.member(root.at("eras").at(static_cast<std::size_t>(&era - eras.data())),
                                        era.path, "bands"),
                          bands_path);
        check_keys(reader, bands, bands_path, season_keys, "season");
        // Prices for this era: era_prices.<era name> when given, else prices.
        const Json* ep = nullptr;
        std::string ep_path;
        if (era_prices) {
            if (const Json* j = reader.optional_member(*era_prices, era_prices_path, era.name)) {
                ep_path = key_path(era_prices_path, era.name);
                ep = &reader.object(*j, ep_path);
                check_keys(reader, *ep, ep_path, season_keys, "season");
            }
        }
        const Json& era_price_table = ep ? *ep : prices;
        const std::string& era_price_path = ep ? ep_path : prices_path;

        for (const Season& season : seasons) {
            const auto [season_json, season_path] = by_season(reader, bands, bands_path, season.name);
            if (season_json == nullptr)
                reader.fail(season_path, "missing; expected bands for every season (or 'all')");
            const auto [band_prices, band_prices_path] =
                by_season(reader, era_price_table, era_price_path, season.name);
            if (band_prices == nullptr)
                reader.fail(band_prices_path, "missing; expected prices for every season (or 'all')");
            reader.object(*band_prices, band_prices_path);

            const auto lists = day_type_lists(reader, *season_json, season_path);
            for (std::size_t d = 0; d < 3; ++d) {
                const auto names = day_bands(reader, *lists[d].first, lists[d].second);
                table.schedules.push_back(
                    day_schedule(reader, names, *band_prices, band_prices_path, lists[d].second));
                add_rules(table, era, season, d, table.schedules.size() - 1, demand[season.name]);
            }
        }
    }
    return table;
}

}  // namespace evtwin::tariff_json
