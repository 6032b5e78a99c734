// Hourly profiles keyed by the local (month, day, hour) of a typical or measured year:
//  - PVWatts 8760 exports: free-text lines, then "Month,Day,Hour,...", default column
//    "AC System Output (W)", hours 0..23 in the PV location's local standard time, and a "Totals" row;
//  - Renewables.ninja hourly CSV: optional '#' lines, then "time,local_time,electricity"; the key is
//    the local_time column (the clock of the PV location, DST included), or, without it, the UTC
//    "time" column seen in the site's zone. Default column "electricity".
//  - JPL-style exports (../shared/data/pv/jpl_pv_220kwdc_30min.csv): "Time stamp" like
//    "Jan 1, 12:30 am" (no year; the PV location's local clock) and "Array DC power | (kW)", the
//    default column, every 30 minutes; give scale = 1/220 for kW per kWp of that 220 kWdc array.
// Keys are laid onto the simulated period by the site's local clock, so the sun rises at the same
// local hour as in the source. A key that the source has twice (the repeated hour when DST ends) gets
// the mean of both (rows finer than an hour are averaged the same way; a PVWatts file must list each
// hour once); a missing hour (the skipped hour when DST starts) is interpolated from the hours
// around it, and gaps longer than 3 hours are an error, so a partial year is never silently
// stretched. 29 February takes 28 February's values when the source has no 29 February.
#include "data/profile_csv.hpp"
#include "data/csv.hpp"
#include "data/data_cache.hpp"
#include "model/local_time.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>

namespace evtwin {
namespace {

constexpr std::array<int, 12> kDaysInMonth = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};  // leap year
constexpr int kHoursPerYear = 366 * 24;
constexpr int kMaxGapHours = 3;

// Index of (month, day, hour) in a leap year, or -1 when out of range.
int key_of(int month, int day, int hour) {
    if (month < 1 || month > 12 || day < 1 || day > kDaysInMonth[month - 1] || hour < 0 || hour > 23)
        return -1;
    int days = 0;
    for (int m = 1; m < month; ++m) days += kDaysInMonth[m - 1];
    return (days + day - 1) * 24 + hour;
}

bool is_feb29(int key) {
    return key / 24 == 31 + 28;
}

// "YYYY-MM-DD HH:MM[:SS]" (or with 'T'); no offset: the caller knows which clock it is.
std::optional<LocalDateTime> parse_stamp(const std::string& s) {
    LocalDateTime l;
    int consumed = 0;
    char sep = 0;
    if (std::sscanf(s.c_str(), "%4d-%2d-%2d%c%2d:%2d%n", &l.year, &l.month, &l.day, &sep, &l.hour, &l.minute,
                    &consumed) != 6) {
        return std::nullopt;
    }
    std::size_t rest = static_cast<std::size_t>(consumed);
    if (rest < s.size() && s[rest] == ':') {
        int sec_len = 0;
        if (std::sscanf(s.c_str() + rest, ":%2d%n", &l.second, &sec_len) != 1) return std::nullopt;
        rest += static_cast<std::size_t>(sec_len);
    }
    if ((sep != ' ' && sep != 'T') || rest != s.size()) return std::nullopt;
    if (key_of(l.month, l.day, l.hour) < 0 || l.minute < 0 || l.minute > 59 || l.second < 0 ||
        l.second > 59) {
        return std::nullopt;
    }
    return l;
}

// "Jan 1, 12:30 am": month, day and hour of a JPL-style time stamp.
std::optional<LocalDateTime> parse_month_day_stamp(const std::string& s) {
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char month[4] = {};
    char half[3] = {};
    LocalDateTime l;
    int consumed = 0;
    if (std::sscanf(s.c_str(), "%3[A-Za-z] %2d, %2d:%2d %2[apm]%n", month, &l.day, &l.hour, &l.minute, half,
                    &consumed) != 5 ||
        static_cast<std::size_t>(consumed) != s.size()) {
        return std::nullopt;
    }
    l.month = 0;
    for (int m = 0; m < 12; ++m) {
        if (std::string_view(month) == kMonths[m]) l.month = m + 1;
    }
    const std::string_view ampm(half);
    if (l.month == 0 || (ampm != "am" && ampm != "pm") || l.hour < 1 || l.hour > 12 || l.minute < 0 ||
        l.minute > 59) {
        return std::nullopt;
    }
    l.hour = l.hour % 12 + (ampm == "pm" ? 12 : 0);
    if (key_of(l.month, l.day, l.hour) < 0) return std::nullopt;
    return l;
}

// Lines before the header: up to the "Month,Day,Hour" line of a PVWatts export, or the leading
// '#' comment lines of a Renewables.ninja download.
std::size_t header_line_index(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw DataError(file.string() + ": cannot open the file for reading");
    std::string line;
    std::size_t index = 0;
    std::size_t comments = 0;
    bool only_comments = true;
    while (index < 64 && std::getline(in, line)) {
        if (index == 0 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
        if (line.rfind("Month,Day,Hour", 0) == 0) return index;
        if (only_comments && !line.empty() && line[0] == '#') {
            ++comments;
        } else {
            only_comments = false;
        }
        ++index;
    }
    return comments;
}

enum class ProfileFormat { pvwatts, ninja, jpl };

ProfileFormat format_of(const CsvTable& csv, const std::filesystem::path& file) {
    const auto& header = csv.header();
    auto has = [&](const char* name) {
        return std::find(header.begin(), header.end(), name) != header.end();
    };
    if (has("Month") && has("Day") && has("Hour")) return ProfileFormat::pvwatts;
    if (has("time")) return ProfileFormat::ninja;
    if (has("Time stamp")) return ProfileFormat::jpl;
    throw DataError(file.string() +
                    ": unknown profile format: expected the columns Month,Day,Hour (PVWatts), "
                    "time[,local_time] (Renewables.ninja) or \"Time stamp\" (JPL-style)");
}

const char* default_column(ProfileFormat format) {
    switch (format) {
        case ProfileFormat::pvwatts:
            return "AC System Output (W)";
        case ProfileFormat::ninja:
            return "electricity";
        case ProfileFormat::jpl:
            return "Array DC power | (kW)";
    }
    return "";
}

// The local (month, day, hour) key of row `r`; none for a row that holds no hour (PVWatts' totals).
// `zone` is the site's, for a Renewables.ninja file that has only UTC times.
std::optional<int> row_key(const CsvTable& csv, std::size_t r, ProfileFormat format, const TimeZone& zone,
                           const TimeZone& utc) {
    if (format == ProfileFormat::pvwatts) {
        if (csv.text(r, csv.column("Month")) == "Totals") return std::nullopt;
        const double m = csv.number(r, csv.column("Month"));
        const double d = csv.number(r, csv.column("Day"));
        const double h = csv.number(r, csv.column("Hour"));
        const bool whole = m == std::floor(m) && d == std::floor(d) && h == std::floor(h) &&
                           std::fabs(m) < 100 && std::fabs(d) < 100 && std::fabs(h) < 100;
        const int key = whole ? key_of(static_cast<int>(m), static_cast<int>(d), static_cast<int>(h)) : -1;
        if (key < 0) csv.fail(r, "expected a valid Month, Day and Hour (0..23)");
        return key;
    }
    if (format == ProfileFormat::jpl) {
        const std::size_t col = csv.column("Time stamp");
        const auto stamp = parse_month_day_stamp(csv.text(r, col));
        if (!stamp)
            csv.fail(r, "expected a time stamp like \"Jan 1, 12:30 am\" in column 'Time stamp', got '" +
                            csv.text(r, col) + "'");
        return key_of(stamp->month, stamp->day, stamp->hour);
    }
    const auto& header = csv.header();
    const bool local = std::find(header.begin(), header.end(), "local_time") != header.end();
    const std::size_t col = csv.column(local ? "local_time" : "time");
    const auto stamp = parse_stamp(csv.text(r, col));
    if (!stamp)
        csv.fail(r, "expected a time YYYY-MM-DD HH:MM in column '" + header[col] + "', got '" +
                        csv.text(r, col) + "'");
    LocalDateTime l = *stamp;
    if (!local) l = zone.to_local(utc.to_utc(l));
    return key_of(l.month, l.day, l.hour);
}

// The source's values of each local hour of a leap year; `counts` says how many rows gave each.
struct HourlyYear {
    std::vector<double> sums = std::vector<double>(kHoursPerYear, 0.0);
    std::vector<int> counts = std::vector<int>(kHoursPerYear, 0);
};

HourlyYear hourly_year(const CsvTable& csv, ProfileFormat format, std::size_t value_col,
                       const ProfileOptions& options, const TimeZone& zone) {
    HourlyYear year;
    const TimeZone utc("UTC");
    for (std::size_t r = 0; r < csv.rows(); ++r) {
        const std::optional<int> key = row_key(csv, r, format, zone, utc);
        if (!key) continue;
        const auto k = static_cast<std::size_t>(*key);
        if (format == ProfileFormat::pvwatts && year.counts[k] > 0)
            csv.fail(r, "duplicate Month, Day and Hour");
        const double value = csv.number(r, value_col);
        if (options.non_negative && value < 0.0)
            csv.fail(r, "expected an output >= 0 in column '" + csv.header()[value_col] + "', got " +
                            csv.text(r, value_col));
        year.sums[k] += value * options.scale;
        ++year.counts[k];
    }
    return year;
}

// Each hour's mean over a circle of the year, the gaps of up to kMaxGapHours filled linearly; Feb 29
// is not part of the circle when the source has none, and takes Feb 28's values.
std::vector<double> filled_year(const HourlyYear& year, const std::filesystem::path& file) {
    const auto count = [&](int k) { return year.counts[static_cast<std::size_t>(k)]; };
    std::vector<double> value(kHoursPerYear, 0.0);
    const auto at = [&](int k) -> double& { return value[static_cast<std::size_t>(k)]; };
    bool has_feb29 = false;
    for (int h = 0; h < 24; ++h) has_feb29 = has_feb29 || count(key_of(2, 29, h)) > 0;
    std::vector<int> known;
    for (int k = 0; k < kHoursPerYear; ++k) {
        if ((!has_feb29 && is_feb29(k)) || count(k) == 0) continue;
        at(k) = year.sums[static_cast<std::size_t>(k)] / count(k);
        known.push_back(k);
    }
    if (known.empty()) throw DataError(file.string() + ": no hourly values");
    auto next_kept = [&](int k) {
        do k = (k + 1) % kHoursPerYear;
        while (!has_feb29 && is_feb29(k));
        return k;
    };
    for (std::size_t i = 0; i < known.size(); ++i) {
        const int a = known[i];
        const int b = known[(i + 1) % known.size()];
        int gap = 0;
        for (int k = next_kept(a); k != b; k = next_kept(k)) ++gap;
        if (gap == 0) continue;
        if (gap > kMaxGapHours) {
            const int first = next_kept(a);
            int month = 1, day = first / 24;
            while (day >= kDaysInMonth[month - 1]) day -= kDaysInMonth[month++ - 1];
            throw DataError(file.string() + ": expected a full year of hourly values; " +
                            std::to_string(gap) + " hours missing from " + std::to_string(month) + "-" +
                            std::to_string(day + 1) + " " + std::to_string(first % 24) + ":00 (local)");
        }
        int step = 1;
        for (int k = next_kept(a); k != b; k = next_kept(k), ++step)
            at(k) = at(a) + static_cast<double>(step) / (gap + 1) * (at(b) - at(a));
    }
    if (!has_feb29)
        for (int h = 0; h < 24; ++h) at(key_of(2, 29, h)) = at(key_of(2, 28, h));
    return value;
}

// The year's hours laid onto [start, end) by the site's local clock.
StepSeries laid_out(const std::vector<double>& year, const TimeZone& zone, Time start, Time end) {
    StepSeries series;
    for (Time t = start; t < end;) {
        const LocalDateTime l = zone.to_local(t);
        series.push(t, year[static_cast<std::size_t>(key_of(l.month, l.day, l.hour))]);
        // The next local hour; offsets change only on hour boundaries, so this is a boundary in UTC too.
        const std::int64_t into_hour =
            (static_cast<std::int64_t>(l.minute) * 60 + l.second) * 1000 + l.millisecond;
        t = t + Duration(3'600'000 - into_hour);
    }
    return series;
}

StepSeries read_profile_csv(const std::filesystem::path& file, const ProfileOptions& options, Time start,
                            Time end) {
    if (!std::isfinite(options.scale)) throw DataError(file.string() + ": the profile scale must be finite");
    const TimeZone zone(options.timezone);
    CsvOptions csv_options;
    csv_options.skip_lines = header_line_index(file);
    const CsvTable csv = CsvTable::read(file, csv_options);
    const ProfileFormat format = format_of(csv, file);
    const std::size_t value_col =
        csv.column(options.column.empty() ? default_column(format) : options.column);
    const HourlyYear year = hourly_year(csv, format, value_col, options, zone);
    return laid_out(filled_year(year, file), zone, start, end);
}

}  // namespace

StepSeries load_profile_csv(const std::filesystem::path& file, const ProfileOptions& options, Time start,
                            Time end) {
    const std::string key = cache_key("profile", file.string(), options.column, options.scale,
                                      options.timezone, std::to_string(start.ms()), std::to_string(end.ms()));
    return DataCache::cached<StepSeries>(key, [&] { return read_profile_csv(file, options, start, end); });
}

}  // namespace evtwin
