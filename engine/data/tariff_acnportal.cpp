// acnportal's tariff schema (the SCE and PG&E files in ../shared/data/tariffs/):
//   {"name", "effective", "schedule": [{"id", "effective_start": "MM-DD", "effective_end": "MM-DD"
//    (inclusive, may wrap the year), "dow_mask": "WEEKDAYS" | "WEEKENDS" | "ALL", "times": [start
//    hours, may be fractional], "tariffs": [$/kWh], "demand_charge": $/kW}]}
// Every day of the year and week must be covered by exactly one entry.
#include "data/tariff_json.hpp"

#include <algorithm>

#include <array>
#include <cmath>

namespace evtwin::tariff_json {
namespace {

// Bits of TouRule::days (0 = Sunday).
std::uint8_t dow_bits(const Reader& reader, const Json& value, const std::string& path) {
    if (value.is_string()) {
        const std::string s = value.get<std::string>();
        if (s == "WEEKDAYS") return 0x3e;
        if (s == "WEEKENDS") return 0x41;
        if (s == "ALL") return kAllWeekdays;
        static const std::array<std::string, 7> kNames{"SUNDAY",   "MONDAY", "TUESDAY", "WEDNESDAY",
                                                       "THURSDAY", "FRIDAY", "SATURDAY"};
        for (std::size_t d = 0; d < 7; ++d)
            if (s == kNames[d]) return static_cast<std::uint8_t>(1u << d);
    } else if (value.is_array() && value.size() == 7) {
        // acnportal's internal form: seven booleans, Monday first.
        std::uint8_t bits = 0;
        for (std::size_t i = 0; i < 7; ++i) {
            if (!value[i].is_boolean()) reader.expected(index_path(path, i), "true or false", value[i]);
            if (value[i].get<bool>()) bits |= static_cast<std::uint8_t>(1u << ((i + 1) % 7));
        }
        if (bits != 0) return bits;
    }
    reader.expected(path, "\"WEEKDAYS\", \"WEEKENDS\", \"ALL\", a day name or 7 booleans (Monday first)",
                    value);
}

bool covers(int md, int from, int to) {
    return from <= to ? md >= from && md <= to : md >= from || md <= to;
}

}  // namespace

TouTable read_acnportal_tariff(const Reader& reader, const Json& root, const TariffOptions& options) {
    TouTable table;
    table.name = reader.string(reader.member(root, "", "name"), "name");
    table.currency = "USD";  // acnportal's tariffs are US utilities' and carry no currency
    table.timezone = options.timezone.empty() ? "UTC" : options.timezone;
    const Json& schedule = reader.array(reader.member(root, "", "schedule"), "schedule");
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < schedule.size(); ++i) {
        const std::string path = index_path("schedule", i);
        const Json& entry = reader.object(schedule[i], path);
        const Json* id = reader.optional_member(entry, path, "id");
        ids.push_back(id ? reader.string(*id, key_path(path, "id")) : path);
        TouRule rule;
        rule.from_month_day = reader.month_day(reader.member(entry, path, "effective_start"),
                                               key_path(path, "effective_start"));
        rule.to_month_day =
            reader.month_day(reader.member(entry, path, "effective_end"), key_path(path, "effective_end"));
        rule.days = dow_bits(reader, reader.member(entry, path, "dow_mask"), key_path(path, "dow_mask"));
        const Json* demand = reader.optional_member(entry, path, "demand_charge");
        rule.demand_charge_per_kw =
            demand ? reader.non_negative(*demand, key_path(path, "demand_charge")) : 0.0;

        const std::string times_path = key_path(path, "times");
        const std::string prices_path = key_path(path, "tariffs");
        const Json& times = reader.array(reader.member(entry, path, "times"), times_path);
        const Json& prices = reader.array(reader.member(entry, path, "tariffs"), prices_path);
        if (times.size() != prices.size())
            reader.fail(path, "expected as many 'tariffs' as 'times', got " + std::to_string(prices.size()) +
                                  " and " + std::to_string(times.size()));
        DaySchedule day;
        for (std::size_t k = 0; k < times.size(); ++k) {
            const std::string tp = index_path(times_path, k);
            const double hour = reader.number(times[k], tp);
            const double minutes = hour * 60.0;
            if (hour < 0.0 || hour >= 24.0 || std::abs(minutes - std::round(minutes)) > 1e-6)
                reader.expected(tp, "a start hour in [0, 24) on a whole minute", times[k]);
            const int minute = static_cast<int>(std::round(minutes));
            if (k == 0 && minute != 0)
                reader.expected(tp, "0 (the first period starts at midnight)", times[k]);
            if (k > 0 && minute <= day.start_minute.back())
                reader.expected(tp, "a start hour after the previous one", times[k]);
            day.start_minute.push_back(minute);
            day.price.push_back(reader.non_negative(prices[k], index_path(prices_path, k)));
        }
        rule.schedule = table.schedules.size();
        table.schedules.push_back(std::move(day));
        table.rules.push_back(rule);
    }

    // Each day of a (leap) year and of the week must be covered. Where entries overlap, the first
    // one wins, as in acnportal (the shipped PG&E A-10 file relies on it: both winter entries say ALL).
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    static const char* kDayNames[] = {"Sundays",   "Mondays", "Tuesdays", "Wednesdays",
                                      "Thursdays", "Fridays", "Saturdays"};
    for (int m = 1; m <= 12; ++m) {
        for (int d = 1; d <= kDays[m - 1]; ++d) {
            const int md = m * 100 + d;
            for (int wd = 0; wd < 7; ++wd) {
                const bool covered =
                    std::any_of(table.rules.begin(), table.rules.end(), [&](const auto& rule) {
                        return covers(md, rule.from_month_day, rule.to_month_day) &&
                               (rule.days & (1u << wd)) != 0;
                    });
                if (!covered) {
                    char buf[32];
                    std::snprintf(buf, sizeof buf, "%02d-%02d", m, d);
                    reader.fail("schedule", std::string("no entry covers ") + buf + " on " + kDayNames[wd] +
                                                "; expected each day of the year and week in an entry");
                }
            }
        }
    }
    return table;
}

}  // namespace evtwin::tariff_json
