// The sessions: given one by one (session) or drawn or read as arrivals (arrivals.elaadnl,
// arrivals.acn_json, acn_csv, acnsim_events, norway_csv, ocpi).
#include "data/number_range.hpp"
#include "ocpi/format/recorded_charges.hpp"
#include "scenario/dsl_support.hpp"
#include "scenario/lua_sandbox.hpp"

#include <cstdio>
#include <stdexcept>

namespace evtwin {

namespace {

// A site's mean arrivals a day: at most 100,000 (each is a session of the run, held in memory).
double arrivals_per_day(const LuaFields& f, const char* key, double fallback) {
    constexpr double kMostPerDay = 100'000;
    const double mean = f.number(key, fallback, Range::non_negative);
    if (mean > kMostPerDay) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", mean);
        f.fail(std::string("'") + key + "' must be at most 100000 arrivals a day, got " + text);
    }
    return mean;
}

}  // namespace

int dsl_elaadnl(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        LuaFields f(L, 1, "arrivals.elaadnl",
                    {"site_type", "per_weekday", "per_weekend_day", "v2g_fleet", "declared_departure_noise_h",
                     "min_initial_soc", "feasible_requests", "node"});
        ElaadnlDecl decl;
        decl.at = c.sandbox->where(L);
        ElaadnlParams& p = decl.params;
        p.data_dir = (c.data_root / "arrivals").lexically_normal();
        p.most_sessions = c.most_sessions;
        std::error_code ec;
        if (!std::filesystem::is_directory(p.data_dir, ec)) {
            f.fail("no ElaadNL data folder " + p.data_dir.string() +
                   " (the data root is set by --data-dir or EVTWIN_DATA)");
        }
        p.site_type = f.string("site_type").value_or(p.site_type);
        if (p.site_type != "private" && p.site_type != "public" && p.site_type != "workplace") {
            f.fail("'site_type' must be \"private\", \"public\" or \"workplace\", got '" + p.site_type + "'");
        }
        p.arrivals_per_weekday = arrivals_per_day(f, "per_weekday", p.arrivals_per_weekday);
        p.arrivals_per_weekend_day = arrivals_per_day(f, "per_weekend_day", p.arrivals_per_weekend_day);
        p.v2g_fleet = f.boolean("v2g_fleet").value_or(false);
        p.declared_departure_noise_h =
            f.number("declared_departure_noise_h", p.declared_departure_noise_h, Range::non_negative);
        if (p.declared_departure_noise_h > kMostHours)
            f.fail("'declared_departure_noise_h' must be at most 8784 hours (a year)");
        p.min_initial_soc = f.number("min_initial_soc", p.min_initial_soc, Range::unit);
        p.feasible_requests = f.boolean("feasible_requests").value_or(true);
        if (f.has("node")) decl.node = node_of(L, f, c, "node", kNone);
        c.builder->elaadnl.push_back(decl);
        return 0;
    });
}

namespace {

// arrivals.<kind> { file = ..., ... }: a file of real sessions, read once the scenario is loaded
// for the run's period (and the forecasters' history) by `load`, with the options `read_options`
// takes from the construct's other keys.
template <class Options>
int session_file(lua_State* L, const char* construct, std::vector<std::string> keys,
                 void (*read_options)(const LuaFields&, Options&),
                 std::vector<SessionSpec> (*load)(const std::filesystem::path&, const Options&),
                 std::vector<SessionFileDecl> ScenarioBuilder::*list) {
    return lua_guarded(L, [&] {
        DslContext& c = dsl_context(L);
        LuaFields f(L, 1, construct, std::move(keys));
        SessionFileDecl decl;
        decl.at = c.sandbox->where(L);
        decl.construct = construct;
        const auto file = existing_file(f, c, "file", f.required_string("file"));
        Options options;
        read_options(f, options);
        decl.load = [file, options, load](Time start, Time end) mutable {
            options.start = start;
            options.end = end;
            return load(file, options);
        };
        (c.builder->*list).push_back(std::move(decl));
        return 0;
    });
}

void read_acn_options(const LuaFields& f, AcnImportOptions& options) {
    options.default_capacity_kwh = f.number("capacity_kwh", options.default_capacity_kwh, Range::positive);
    options.default_max_kw = f.number("max_kw", options.default_max_kw, Range::positive);
    options.initial_soc = f.number("initial_soc", options.initial_soc, Range::unit);
    options.use_user_inputs = f.boolean("user_inputs").value_or(options.use_user_inputs);
}

void read_acnsim_options(const LuaFields& f, AcnSimOptions& options) {
    options.start_local = f.string("start").value_or(options.start_local);
    options.timezone = f.string("timezone").value_or(options.timezone);
    try {
        parse_time(options.start_local, TimeZone(options.timezone));
    } catch (const std::exception& e) {
        f.fail(std::string("'start'/'timezone': ") + e.what());
    }
    options.period = f.duration("period").value_or(options.period);
    if (options.period.ms() <= 0) f.fail("'period' must be longer than zero");
    options.default_max_kw = f.number("max_kw", options.default_max_kw, Range::positive);
    options.force_feasible = f.boolean("force_feasible").value_or(options.force_feasible);
}

void read_norway_options(const LuaFields& f, NorwayImportOptions& options) {
    options.garage = f.string("garage").value_or("");
    options.timezone = f.string("timezone").value_or(options.timezone);
    try {
        TimeZone check(options.timezone);
    } catch (const std::exception& e) {
        f.fail(std::string("'timezone': ") + e.what());
    }
    options.capacity_kwh = f.number("capacity_kwh", options.capacity_kwh, Range::positive);
    options.max_kw = f.number("max_kw", options.max_kw, Range::positive);
    options.initial_soc = f.number("initial_soc", options.initial_soc, Range::unit);
    options.unknown_stay = f.duration("unknown_stay").value_or(options.unknown_stay);
    if (options.unknown_stay.ms() <= 0) f.fail("'unknown_stay' must be longer than zero");
}

void read_ocpi_options(const LuaFields& f, ocpi::OcpiImportOptions& options) {
    options.capacity_kwh = f.number("capacity_kwh", options.capacity_kwh, Range::positive);
    options.max_kw = f.number("max_kw", options.max_kw, Range::positive);
    options.initial_soc = f.number("initial_soc", options.initial_soc, Range::unit);
    if (options.initial_soc >= 1.0) f.fail("'initial_soc' must be below 1");
    options.unknown_stay = f.duration("unknown_stay").value_or(options.unknown_stay);
    if (options.unknown_stay.ms() <= 0) f.fail("'unknown_stay' must be longer than zero");
}

}  // namespace

int dsl_acn_json(lua_State* L) {
    return session_file<AcnImportOptions>(L, "arrivals.acn_json",
                                          {"file", "capacity_kwh", "max_kw", "initial_soc", "user_inputs"},
                                          read_acn_options, load_acn_json, &ScenarioBuilder::acn_json);
}

int dsl_acn_csv(lua_State* L) {
    return session_file<AcnImportOptions>(L, "arrivals.acn_csv",
                                          {"file", "capacity_kwh", "max_kw", "initial_soc", "user_inputs"},
                                          read_acn_options, load_acn_csv, &ScenarioBuilder::session_files);
}

int dsl_acnsim_events(lua_State* L) {
    return session_file<AcnSimOptions>(
        L, "arrivals.acnsim_events", {"file", "start", "timezone", "period", "max_kw", "force_feasible"},
        read_acnsim_options, load_acnsim_events, &ScenarioBuilder::session_files);
}

int dsl_norway_csv(lua_State* L) {
    return session_file<NorwayImportOptions>(
        L, "arrivals.norway_csv",
        {"file", "garage", "timezone", "capacity_kwh", "max_kw", "initial_soc", "unknown_stay"},
        read_norway_options, load_norway_csv, &ScenarioBuilder::session_files);
}

int dsl_ocpi(lua_State* L) {
    return session_file<ocpi::OcpiImportOptions>(
        L, "arrivals.ocpi", {"file", "capacity_kwh", "max_kw", "initial_soc", "unknown_stay"},
        read_ocpi_options, ocpi::load_ocpi_sessions, &ScenarioBuilder::session_files);
}

int dsl_session(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        LuaFields f(L, 1, "session",
                    {"arrival",
                     "departure",
                     "declared_departure",
                     "capacity_kwh",
                     "initial_soc",
                     "requested_kwh",
                     "target_soc",
                     "max_ac_kw",
                     "max_dc_kw",
                     "curve",
                     "charge_efficiency",
                     "discharge_efficiency",
                     "v2g",
                     "max_discharge_kw",
                     "min_soc",
                     "station",
                     "model",
                     "vehicle",
                     "model_year",
                     "soh",
                     "chemistry",
                     "min_charge_kw",
                     "goal_kwh",
                     "goal_by",
                     "value_per_kwh"});
        SessionDecl decl;
        decl.at = c.sandbox->where(L);
        decl.arrival = f.required_string("arrival");
        decl.departure = f.required_string("departure");
        decl.declared_departure = f.string("declared_departure").value_or("");
        SessionSpec& s = decl.session;
        VehicleSpec& v = s.vehicle;
        v.capacity_kwh = f.number("capacity_kwh", v.capacity_kwh, Range::positive);
        s.initial_soc = f.number("initial_soc", s.initial_soc, Range::unit);
        const auto requested = f.number("requested_kwh", Range::non_negative);
        const auto target = f.number("target_soc", Range::unit);
        if (requested.has_value() == target.has_value()) {
            f.fail("give exactly one of 'requested_kwh' (energy at the inlet) and 'target_soc'");
        }
        s.requested_kwh = requested.value_or(-1.0);
        s.target_soc = target.value_or(-1.0);
        v.max_ac_kw = f.number("max_ac_kw", v.max_ac_kw, Range::non_negative);
        v.max_dc_kw = f.number("max_dc_kw", v.max_dc_kw, Range::non_negative);
        if (auto curve = f.pairs("curve")) {
            if (curve->empty()) f.fail("'curve' must have at least one {soc, fraction} point");
            for (std::size_t i = 0; i < curve->size(); ++i) {
                const auto [soc, fraction] = (*curve)[i];
                if (soc < 0 || soc > 1 || fraction < 0 || fraction > 1) {
                    f.fail("'curve' point " + std::to_string(i + 1) +
                           " must have soc and fraction between 0 and 1");
                }
                if (i > 0 && soc <= (*curve)[i - 1].first) f.fail("'curve' SoC values must increase");
                v.curve.push_back({soc, fraction});
            }
        }
        v.charge_efficiency = f.number("charge_efficiency", v.charge_efficiency, Range::efficiency);
        v.discharge_efficiency = f.number("discharge_efficiency", v.discharge_efficiency, Range::efficiency);
        v.v2g_allowed = f.boolean("v2g").value_or(false);
        const auto discharge = f.number("max_discharge_kw", Range::non_negative);
        v.max_discharge_kw = discharge.value_or(v.v2g_allowed ? v.max_ac_kw : 0.0);
        v.min_soc = f.number("min_soc", v.min_soc, Range::unit);
        s.station = f.string("station").value_or("");
        v.model = f.string("model").value_or("");
        s.vehicle_id = f.string("vehicle").value_or("");
        if (auto year = f.integer("model_year", 1990)) {
            if (*year > 2100)
                f.fail("'model_year' must be between 1990 and 2100, got " + std::to_string(*year));
            v.model_year = static_cast<int>(*year);
        }
        if (auto soh = f.number("soh", Range::unit)) {
            if (*soh <= 0.0) f.fail("'soh' (state of health) must be above 0 and at most 1");
            v.soh = *soh;
        }
        if (auto chemistry = f.string("chemistry")) {
            try {
                v.chemistry = parse_chemistry(*chemistry);
            } catch (const std::invalid_argument& e) {
                f.fail(std::string("'chemistry': ") + e.what());
            }
            decl.chemistry_given = true;
        }
        s.needs.min_charge_kw = f.number("min_charge_kw", 0.0, Range::non_negative);
        decl.goal_by = f.string("goal_by").value_or("");
        const auto goal_kwh = f.number("goal_kwh", Range::non_negative);
        if (goal_kwh.has_value() == decl.goal_by.empty())
            f.fail("give 'goal_kwh' and 'goal_by' together (a goal: energy at the inlet by a time)");
        if (goal_kwh && requested && *goal_kwh > *requested + 1e-9)
            f.fail("'goal_kwh' must be at most 'requested_kwh'");
        s.needs.goal_kwh = goal_kwh.value_or(0.0);
        s.needs.value_per_kwh = f.number("value_per_kwh", 0.0, Range::non_negative);
        if (s.needs.value_per_kwh > 0.0 && !goal_kwh)
            f.fail("'value_per_kwh' prices the energy beyond a goal: give 'goal_kwh' and 'goal_by'");
        c.builder->sessions.push_back(decl);
        return 0;
    });
}

}  // namespace evtwin
