#include "scenario/scenario_builder.hpp"

#include "data/profile_csv.hpp"
#include "model/bill.hpp"
#include "model/local_time.hpp"
#include "scenario/fleet.hpp"
#include "scenario/scenario_loader.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

namespace evtwin {

const std::vector<ChargeCurvePoint>& default_ac_curve() {
    static const std::vector<ChargeCurvePoint> curve{{0.0, 1.0}, {0.9, 1.0}, {1.0, 0.3}};
    return curve;
}

const std::vector<ChargeCurvePoint>& default_dc_curve() {
    static const std::vector<ChargeCurvePoint> curve{{0.0, 1.0}, {0.8, 1.0}, {1.0, 0.1}};
    return curve;
}

void ScenarioBuilder::claim_name(const std::string& construct, const std::string& name,
                                 const std::string& kind) {
    auto [it, inserted] = names.emplace(name, kind);
    if (!inserted) {
        throw std::runtime_error(construct + ": name '" + name + "' is already used by a " + it->second +
                                 "; names must be unique");
    }
}

namespace {

template <class F>
auto located(const std::string& at, const char* construct, F&& f) {
    try {
        return f();
    } catch (const ScenarioError&) {
        throw;
    } catch (const std::exception& e) {
        throw ScenarioError(at + construct + ": " + e.what());
    }
}

StepSeries profile_series(const ProfileDecl& decl, const ScenarioSpec& spec, const char* construct) {
    if (decl.constant) {
        StepSeries series;
        series.before = *decl.constant;
        series.push(spec.start, *decl.constant);
        return series;
    }
    ProfileOptions options;
    options.column = decl.column;
    options.scale = decl.scale;
    options.timezone = spec.timezone;
    options.non_negative = std::string_view(construct) == "pv";
    return located(decl.at, construct,
                   [&] { return load_profile_csv(decl.file, options, spec.start, spec.end); });
}

// ACN-Sim reads a tariff at start + k·period on the UTC offset of its (pytz-localised) start, which
// does not follow a DST change: the zone of that fixed offset (tz's Etc/GMT+8 is UTC-8).
std::string fixed_offset_zone(const ScenarioSpec& spec) {
    const std::int64_t offset_ms = TimeZone(spec.timezone).utc_offset(spec.start).ms();
    constexpr std::int64_t hour_ms = 3'600'000;
    if (offset_ms % hour_ms != 0)
        throw std::runtime_error(
            "mode \"acnsim\" reads the tariff on the start's UTC offset, which is not a whole "
            "number of hours in " +
            spec.timezone + "; give tariff { timezone = ... }");
    const std::int64_t hours = offset_ms / hour_ms;
    if (hours == 0) return "Etc/UTC";
    return "Etc/GMT" + std::string(hours < 0 ? "+" : "-") + std::to_string(hours < 0 ? -hours : hours);
}

// ACN-Sim runs until its event queue is empty: through the period in which the last vehicle that
// arrived leaves (its departure floored to a period, as ACN-Sim's conversion of session data does).
// No vehicle arrives after the scenario's stop.
Time until_last_departure(const ScenarioSpec& spec) {
    Time last = spec.end;
    const std::int64_t period = spec.control_period.ms();
    for (const SessionSpec& s : spec.sessions)
        last = std::max(last, spec.start + Duration(((s.departure - spec.start).ms() / period + 1) * period));
    return last;
}

}  // namespace

std::vector<SessionSpec> ScenarioBuilder::build_sessions() {
    std::vector<SessionSpec> all;
    for (const auto& decl : sessions) {
        SessionSpec s = decl.session;
        auto parse = [&](const char* key, const std::string& text) {
            return located(decl.at, "session", [&] {
                try {
                    return parse_time(text, *zone);
                } catch (const std::exception& e) {
                    throw std::runtime_error(std::string("'") + key + "': " + e.what());
                }
            });
        };
        s.arrival = parse("arrival", decl.arrival);
        s.departure = parse("departure", decl.departure);
        s.declared_departure = decl.declared_departure.empty()
                                   ? s.departure
                                   : parse("declared_departure", decl.declared_departure);
        const auto fail = [&](const std::string& message) {
            throw ScenarioError(decl.at + "session: " + message);
        };
        if (s.arrival < spec.start || s.arrival >= spec.end) {
            fail("arrival " + decl.arrival + " is outside the scenario period (from " + start_text + ", " +
                 format_utc(spec.start) + " to " + format_utc(spec.end) + ")");
        }
        if (s.departure <= s.arrival) fail("departure must come after arrival");
        if (s.declared_departure <= s.arrival) fail("declared_departure must come after arrival");
        if (!decl.goal_by.empty()) {
            s.needs.goal_by = parse("goal_by", decl.goal_by);
            if (s.needs.goal_by <= s.arrival || s.needs.goal_by > s.declared_departure)
                fail("goal_by must come after arrival and not after the (declared) departure");
        }
        if (!s.station.empty()) {
            auto it = names.find(s.station);
            if (it == names.end() || it->second != "charger")
                fail("station '" + s.station + "' is not a charger");
        }
        if (!decl.chemistry_given && battery && battery->ev_chemistry)
            s.vehicle.chemistry = *battery->ev_chemistry;
        all.push_back(std::move(s));
    }
    const std::size_t explicit_sessions = all.size();
    Rng rng = Rng::stream(spec.seed, "arrivals");
    for (const auto& decl : elaadnl) {
        ElaadnlParams params = decl.params;
        params.timezone = spec.timezone;
        auto drawn = located(decl.at, "arrivals.elaadnl",
                             [&] { return generate_elaadnl_sessions(params, spec.start, spec.end, rng); });
        for (SessionSpec& s : drawn) s.site_node = decl.node;
        all.insert(all.end(), std::make_move_iterator(drawn.begin()), std::make_move_iterator(drawn.end()));
    }
    load_session_files(spec.start, spec.end, all);
    if (battery && battery->ev_chemistry) {
        for (std::size_t i = explicit_sessions; i < all.size(); ++i)
            all[i].vehicle.chemistry = *battery->ev_chemistry;
    }
    sort_by_arrival_and_number(all);
    assign_vehicles(all, spec.battery, spec.seed);

    // Vehicles without a charge curve get the default one for how they will charge: DC when their
    // station is a DC charger or the site has only DC chargers, AC otherwise.
    const bool all_dc = !spec.chargers.empty() && std::all_of(spec.chargers.begin(), spec.chargers.end(),
                                                              [](const ChargerSpec& c) { return c.dc; });
    std::unordered_map<std::string_view, bool> dc_station;
    for (const auto& charger : spec.chargers) dc_station[charger.name] = charger.dc;
    const auto ac_curve = default_ac_curve();
    const auto dc_curve = default_dc_curve();
    for (SessionSpec& s : all) {
        if (!s.vehicle.curve.empty()) continue;
        const auto station = s.station.empty() ? dc_station.end() : dc_station.find(s.station);
        const bool dc = station == dc_station.end() ? all_dc : station->second;
        s.vehicle.curve = dc ? dc_curve : ac_curve;
    }
    return all;
}

void ScenarioBuilder::load_session_files(Time from, Time to, std::vector<SessionSpec>& all) const {
    for (const auto* files : {&acn_json, &session_files})
        for (const auto& decl : *files) {
            auto loaded = located(decl.at, decl.construct.c_str(), [&] { return decl.load(from, to); });
            all.insert(all.end(), std::make_move_iterator(loaded.begin()),
                       std::make_move_iterator(loaded.end()));
        }
}

std::vector<SessionSpec> ScenarioBuilder::build_history_sessions() {
    const Time from = spec.start - spec.forecast.history;
    std::vector<SessionSpec> all;
    load_session_files(from, spec.start, all);
    sort_by_arrival_and_number(all);
    return all;
}

ScenarioSpec ScenarioBuilder::finish(const std::string& end_of_file) {
    std::string missing;
    const auto need = [&](bool present, const char* what) {
        if (!present) missing += (missing.empty() ? "" : ", ") + std::string(what);
    };
    need(!scenario_at.empty(), "scenario { name = ..., start = ..., duration = ... }");
    need(have_grid, "grid { import_kw = ..., export_kw = ... }");
    need(tariff.has_value(), "tariff { file = ... } or tariff { prices_csv = ... }");
    if (!missing.empty()) throw ScenarioError(end_of_file + "the scenario is incomplete: missing " + missing);

    TariffOptions options = tariff->options;
    options.timezone = tariff->timezone.empty() ? spec.timezone : tariff->timezone;
    if (spec.acn_compatible && tariff->timezone.empty() && !tariff->price_series)  // a TOU table
        options.timezone = located(scenario_at, "scenario", [&] { return fixed_offset_zone(spec); });
    spec.tariff = located(tariff->at, "tariff", [&] {
        return tariff->price_series ? load_price_series_csv(tariff->file, options)
                                    : load_tariff_file(tariff->file, options);
    });
    if (!charging_tariff_at.empty() && !spec.tariff->currency().empty() &&
        charging_tariff_currency != spec.tariff->currency())
        throw ScenarioError(charging_tariff_at + "economics: charging_tariff: its currency is '" +
                            charging_tariff_currency + "', the grid tariff's is '" + spec.tariff->currency() +
                            "'; the KPIs add the two");
    for (const auto& decl : pv)
        spec.pv.push_back(PvSpec{decl.name, decl.node, decl.kwp, profile_series(decl, spec, "pv")});
    for (const auto& decl : loads)
        spec.loads.push_back(LoadSpec{decl.name, decl.node, profile_series(decl, spec, "load")});
    if (battery && battery->ambient)
        spec.battery.ambient_c = profile_series(*battery->ambient, spec, "battery");
    if (distribution_feeder) {
        for (const ProfileDecl& decl : distribution_feeder_profiles)
            distribution_feeder->load_scales.push_back(profile_series(decl, spec, "distribution_feeder"));
        located(distribution_feeder->source, "distribution_feeder", [&] {
            check_feeder_covers_site(spec, *distribution_feeder);
            return 0;
        });
        spec.feeder = distribution_feeder;
    }
    spec.sessions = build_sessions();
    if (reservations) build_reservations();
    if (spec.forecast.history.ms() > 0) spec.forecast.history_sessions = build_history_sessions();
    if (spec.acn_compatible) spec.end = until_last_departure(spec);
    // Else the run would go on with made-up prices and fail at its bill.
    if (const std::string gap = missing_prices(*spec.tariff, spec.start, spec.end, "the scenario's period");
        !gap.empty())
        throw ScenarioError(tariff->at + "tariff: it " + gap);
    return std::move(spec);
}

}  // namespace evtwin
