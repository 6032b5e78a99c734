#include "forecast/series.hpp"

#include "data/arrivals.hpp"
#include "data/profile_csv.hpp"
#include "forecast/calendar.hpp"
#include "model/local_time.hpp"
#include "model/vehicle.hpp"

#include <evtwin/errors.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>

namespace evtwin {
namespace fs = std::filesystem;
namespace {

struct DataSpec {
    std::vector<fs::path> files;
    std::map<std::string, std::string> settings;
};

std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (true) {
        const std::size_t at = text.find(sep, from);
        out.push_back(text.substr(from, at - from));
        if (at == std::string::npos) return out;
        from = at + 1;
    }
}

fs::path data_root() {
    if (const char* env = std::getenv("EVTWIN_DATA"); env != nullptr && *env != '\0') return env;
    return (fs::path(EVTWIN_SOURCE_DIR) / ".." / "shared" / "data").lexically_normal();
}

fs::path resolve(const std::string& spec, const std::string& file) {
    if (file.empty()) throw DataError("data '" + spec + "': an empty file name");
    if (fs::exists(file)) return file;
    const fs::path in_root = data_root() / file;
    if (fs::exists(in_root)) return in_root;
    throw DataError("data '" + spec + "': no file " + file + " (looked in the working directory and in " +
                    data_root().string() + ")");
}

DataSpec parse_spec(const std::string& spec) {
    DataSpec out;
    const std::vector<std::string> parts = split(spec, ',');
    for (const std::string& file : split(parts.front(), '+')) out.files.push_back(resolve(spec, file));
    static const std::vector<std::string> keys{"tz", "holidays", "year", "scale", "from", "until"};
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const std::size_t eq = parts[i].find('=');
        const std::string key = parts[i].substr(0, eq);
        if (eq == std::string::npos || std::find(keys.begin(), keys.end(), key) == keys.end())
            throw DataError("data '" + spec +
                            "': expected key=value with a key among tz, holidays, year, scale, "
                            "from, until; got '" +
                            parts[i] + "'");
        out.settings[key] = parts[i].substr(eq + 1);
    }
    return out;
}

std::string setting(const DataSpec& d, const std::string& key, const std::string& fallback) {
    const auto it = d.settings.find(key);
    return it == d.settings.end() ? fallback : it->second;
}

double number_setting(const std::string& spec, const DataSpec& d, const std::string& key, double fallback) {
    const std::string text = setting(d, key, "");
    if (text.empty()) return fallback;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !std::isfinite(v))
        throw DataError("data '" + spec + "': " + key + " must be a number, got '" + text + "'");
    return v;
}

// The known reference files' own zones; any other file is read in UTC unless tz= says otherwise.
std::string default_zone(const fs::path& file) {
    const std::string name = file.filename().string();
    const auto has = [&](const char* s) { return name.find(s) != std::string::npos; };
    if (has("acn") || has("jpl") || has("caltech")) return "America/Los_Angeles";
    if (has("golden_co")) return "America/Denver";
    if (has("netherlands")) return "Europe/Amsterdam";
    if (has("norway")) return "Europe/Oslo";
    return "UTC";
}

std::string default_holidays(const std::string& zone) {
    if (zone.starts_with("America/")) return "us";
    if (zone == "Europe/Amsterdam") return "nl";
    if (zone == "Europe/Oslo") return "no";
    return "none";
}

bool is_session_file(const fs::path& file) {
    const std::string name = file.filename().string();
    return name.find("acn") != std::string::npos || name.find("norway") != std::string::npos ||
           file.extension() == ".json" || name.ends_with(".csv.gz");
}

std::vector<SessionSpec> read_sessions(const fs::path& file, const std::string& zone) {
    const std::string name = file.filename().string();
    if (name.find("norway") != std::string::npos) {
        NorwayImportOptions o;
        o.timezone = zone;
        return load_norway_csv(file, o);
    }
    if (file.extension() == ".json") return load_acn_json(file, AcnImportOptions{});
    return load_acn_csv(file, AcnImportOptions{});
}

Time parse_setting_time(const std::string& spec, const DataSpec& d, const std::string& key,
                        const TimeZone& zone, Time fallback) {
    const std::string text = setting(d, key, "");
    if (text.empty()) return fallback;
    try {
        return parse_time(text, zone);
    } catch (const std::invalid_argument& e) {
        throw DataError("data '" + spec + "': " + key + ": " + e.what());
    }
}

}  // namespace

std::size_t ForecastSeries::index_of(Time t) const {
    if (t < start || (t - start) % step != Duration(0) ||
        static_cast<std::size_t>((t - start) / step) > steps)
        throw DataError("data '" + data + "': " + format_utc(t) + " is not a step of the series (from " +
                        format_utc(start) + " every " + std::to_string(step.ms() / 60000) + " min, " +
                        std::to_string(steps) + " steps)");
    return static_cast<std::size_t>((t - start) / step);
}

Time ForecastSeries::parse_local(const std::string& text) const {
    return parse_time(text, TimeZone(timezone));
}

ForecastSeries ForecastSeries::slice(std::size_t first, std::size_t last) const {
    ForecastSeries out = *this;
    last = std::min(last, steps);
    first = std::min(first, last);
    out.start = time_of(first);
    out.steps = last - first;
    out.values.clear();
    for (std::size_t c = 0; c < channels(); ++c)
        out.values.insert(out.values.end(), values.begin() + static_cast<std::ptrdiff_t>(c * steps + first),
                          values.begin() + static_cast<std::ptrdiff_t>(c * steps + last));
    out.calendar.assign(calendar.begin() + static_cast<std::ptrdiff_t>(first),
                        calendar.begin() + static_cast<std::ptrdiff_t>(last));
    out.import_price.assign(import_price.begin() + static_cast<std::ptrdiff_t>(first),
                            import_price.begin() + static_cast<std::ptrdiff_t>(last));
    return out;
}

std::vector<double> aggregate_demand(std::span<const SessionSpec> sessions, Time start, Duration step,
                                     std::size_t n) {
    std::vector<double> out(3 * n, 0.0);
    double* arrivals = out.data() + kDemandArrivals * n;
    double* energy = out.data() + kDemandEnergy * n;
    double* stay = out.data() + kDemandStay * n;
    for (const SessionSpec& s : sessions) {
        if (s.arrival < start) continue;
        const auto i = static_cast<std::size_t>((s.arrival - start) / step);
        if (i >= n) continue;
        arrivals[i] += 1.0;
        energy[i] += std::max(0.0, requested_inlet_kwh(s));
        stay[i] += (s.declared_departure - s.arrival).hours_f();
    }
    for (std::size_t i = 0; i < n; ++i)
        if (arrivals[i] > 0.0) stay[i] /= arrivals[i];
    return out;
}

ForecastSeries read_forecast_series(const std::string& spec, ForecastTarget target, Duration step) {
    if (step <= Duration(0) || Duration::days(1) % step != Duration(0))
        throw DataError("data '" + spec + "': the step must divide a day");
    const DataSpec d = parse_spec(spec);
    ForecastSeries out;
    out.target = target;
    out.data = spec;
    out.step = step;
    out.timezone = setting(d, "tz", default_zone(d.files.front()));
    out.holidays = setting(d, "holidays", default_holidays(out.timezone));
    std::unique_ptr<TimeZone> zone;
    std::unique_ptr<HolidayCalendar> holidays;
    try {
        zone = std::make_unique<TimeZone>(out.timezone);
        holidays = std::make_unique<HolidayCalendar>(out.holidays);
    } catch (const std::invalid_argument& e) {
        throw DataError("data '" + spec + "': " + e.what());
    }

    const bool sessions = is_session_file(d.files.front());
    for (const fs::path& f : d.files)
        if (is_session_file(f) != sessions)
            throw DataError("data '" + spec + "': " + f.string() + " mixes session files and PV profiles");
    if (sessions != (target == ForecastTarget::demand))
        throw DataError(
            "data '" + spec + "': " +
            (sessions ? "session files give the demand target, not " : "a profile gives pv or load, not ") +
            std::string(target_name(target)));

    std::vector<SessionSpec> all;
    if (sessions) {
        for (const fs::path& f : d.files) {
            std::vector<SessionSpec> part = read_sessions(f, out.timezone);
            all.insert(all.end(), part.begin(), part.end());
        }
        if (all.empty()) throw DataError("data '" + spec + "': no sessions in the files");
        std::sort(all.begin(), all.end(),
                  [](const SessionSpec& a, const SessionSpec& b) { return a.arrival < b.arrival; });
    }
    const int year = static_cast<int>(number_setting(spec, d, "year", 2019));
    const Time year_start = zone->to_utc({year, 1, 1});
    const Time year_end = zone->to_utc({year + 1, 1, 1});
    Time from = sessions ? zone->local_midnight(all.front().arrival) : year_start;
    Time until = sessions ? zone->local_midnight(all.back().arrival) + Duration::days(1) : year_end;
    from = parse_setting_time(spec, d, "from", *zone, from);
    until = parse_setting_time(spec, d, "until", *zone, until);
    if (until <= from) throw DataError("data '" + spec + "': until must come after from");
    out.start = from;
    out.steps = static_cast<std::size_t>((until - from) / step);
    if (sessions) {
        out.values = aggregate_demand(all, out.start, step, out.steps);
    } else {
        ProfileOptions o;
        o.timezone = out.timezone;
        o.scale = number_setting(spec, d, "scale", 1.0);
        out.values.assign(out.steps, 0.0);
        for (const fs::path& f : d.files) {
            const StepSeries profile = load_profile_csv(f, o, from, until);
            for (std::size_t i = 0; i < out.steps; ++i)
                out.values[i] += profile.average(out.time_of(i), step);
        }
    }
    out.calendar = calendar_steps(out.start, step, out.steps, *zone, *holidays);
    out.import_price.assign(out.steps, 0.0);
    return out;
}

ForecastInput input_at(const ForecastSeries& series, std::size_t origin, std::size_t history_steps,
                       std::size_t horizon_steps, ForecastInputBuffers& buffers) {
    if (origin + horizon_steps > series.steps)
        throw DataError("data '" + series.data + "': a forecast at " + format_utc(series.time_of(origin)) +
                        " for " + std::to_string(horizon_steps) + " steps runs past the data's end (" +
                        format_utc(series.time_of(series.steps)) + ")");
    const std::size_t channels = series.channels();
    const std::size_t span = history_steps + horizon_steps;
    buffers.history.assign(channels * history_steps, 0.0);
    buffers.calendar.resize(span);
    buffers.import_price.assign(span, 0.0);
    const TimeZone zone(series.timezone);
    const HolidayCalendar holidays(series.holidays);
    const auto first = static_cast<std::ptrdiff_t>(origin) - static_cast<std::ptrdiff_t>(history_steps);
    for (std::size_t k = 0; k < span; ++k) {
        const std::ptrdiff_t i = first + static_cast<std::ptrdiff_t>(k);
        if (i < 0) {
            buffers.calendar[k] = calendar_step(series.start + series.step * i, zone, holidays);
            continue;
        }
        const auto at = static_cast<std::size_t>(i);
        buffers.calendar[k] = series.calendar[at];
        buffers.import_price[k] = series.import_price[at];
        if (k < history_steps)
            for (std::size_t c = 0; c < channels; ++c)
                buffers.history[c * history_steps + k] = series.at(c, at);
    }
    ForecastInput in;
    in.target = series.target;
    in.origin = series.time_of(origin);
    in.step = series.step;
    in.history_steps = history_steps;
    in.horizon_steps = horizon_steps;
    in.history = buffers.history;
    in.known_from = series.start;
    in.calendar = buffers.calendar;
    in.import_price = buffers.import_price;
    return in;
}

}  // namespace evtwin
