#include "serve/results/run_window.hpp"

#include "model/local_time.hpp"
#include "serve/net/api_error.hpp"

#include <algorithm>
#include <regex>

namespace evtwin::serve {

Time data_end_of(const RunReader& reader, const RunRecord& run) {
    if (run.status != RunStatus::running || run.ended) return run.data_end();
    return std::clamp(reader.last_instant(run.id).value_or(run.start), run.start, run.end);
}

RunWindow run_window(const QueryParams& query, const RunRecord& run, Time data_end) {
    const Time start = run.start;
    const Time end = std::max(data_end, run.start + Duration(1));
    const Time from = std::max(query.instant("from_ms").value_or(start), start);
    const Time to = std::min(query.instant("to_ms").value_or(end), end);
    if (from >= end)
        throw ApiError(422, "from_ms",
                       "from_ms: " + std::to_string(from.ms()) + " is at or after the run's end (" +
                           std::to_string(end.ms()) + ")");
    if (to <= from)
        throw ApiError(422, "to_ms",
                       "to_ms: the window [" + std::to_string(from.ms()) + ", " + std::to_string(to.ms()) +
                           ") holds nothing of the run [" + std::to_string(start.ms()) + ", " +
                           std::to_string(end.ms()) + ")");
    return {from, to, data_end, ""};
}

RunWindow day_or_window(const QueryParams& query, const RunRecord& run, Time data_end) {
    const auto date = query.text("date");
    if (!date) return run_window(query, run, data_end);
    if (query.text("from_ms") || query.text("to_ms"))
        throw ApiError(422, "date", "date: give a date or from_ms and to_ms, not both");
    static const std::regex kDate(R"((\d{4})-(\d{2})-(\d{2}))");
    std::smatch m;
    LocalDateTime day;
    if (std::regex_match(*date, m, kDate)) {
        day.year = std::stoi(m[1]);
        day.month = std::stoi(m[2]);
        day.day = std::stoi(m[3]);
    }
    const LocalDateTime check = civil_from_ms(ms_from_civil(day));
    if (m.empty() || check.year != day.year || check.month != day.month || check.day != day.day)
        throw ApiError(422, "date", "date: expected a calendar date YYYY-MM-DD, got '" + *date + "'");
    std::optional<TimeZone> zone;
    try {
        zone.emplace(run.timezone);
    } catch (const std::exception&) {
        zone.emplace("UTC");  // a run written with a zone this machine lacks: its days in UTC
    }
    const LocalDateTime next = civil_from_ms(ms_from_civil(day) + 86'400'000);
    const Time from = zone->to_utc(day);
    const Time to = zone->to_utc(next);
    if (to <= run.start || from >= std::max(data_end, run.start + Duration(1)))
        throw ApiError(422, "date", "date: " + *date + " is not a day of the run");
    return {from, to, data_end, *date};
}

std::size_t points_of(const QueryParams& query, std::size_t fallback) {
    return static_cast<std::size_t>(
        query.integer("points", 1, 10'000).value_or(static_cast<std::int64_t>(fallback)));
}

}  // namespace evtwin::serve
