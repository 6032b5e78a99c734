#include "serve/plan/plan_request.hpp"

#include "model/local_time.hpp"
#include "model/scenario_spec.hpp"
#include "serve/net/json_fields.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>

namespace evtwin::serve {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// The resolution a plan promises: ratings down to 1 W, batteries down to 1 Wh.
constexpr double kLeastKw = 0.001;
constexpr double kLeastKwh = 0.001;

StrategyChoice read_strategy(const nlohmann::json& value, const std::string& path,
                             const std::string& fallback) {
    if (value.is_null()) return {fallback, {}};
    if (value.is_string()) {
        if (value.get<std::string>().empty()) throw ApiError(422, path, "expected a strategy name");
        return {value.get<std::string>(), {}};
    }
    JsonFields fields(value, path);
    StrategyChoice choice{fields.text("name"), {}};
    if (choice.name.empty()) throw ApiError(422, fields.path_of("name"), "expected a strategy name");
    const nlohmann::json& options = fields.member("options");
    if (!options.is_null()) {
        if (!options.is_object())
            throw ApiError(422, fields.path_of("options"), "expected an object of option values");
        for (auto it = options.begin(); it != options.end(); ++it) {
            const std::string at = fields.path_of("options") + "/" + it.key();
            if (it->is_string()) {
                choice.options[it.key()] = it->get<std::string>();
            } else if (it->is_boolean()) {
                choice.options[it.key()] = it->get<bool>() ? "true" : "false";
            } else if (it->is_number()) {
                choice.options[it.key()] = it->dump();
            } else {
                throw ApiError(422, at, "expected a string, number or boolean");
            }
        }
    }
    fields.done();
    return choice;
}

std::vector<double> read_series(const nlohmann::json& value, const std::string& path, std::size_t steps,
                                double min, double max) {
    if (!value.is_array())
        throw ApiError(422, path, std::string("expected an array of numbers, got ") + value.type_name());
    if (value.size() != steps) {
        throw ApiError(422, path,
                       "expected one value per step (" + std::to_string(steps) + "), got " +
                           std::to_string(value.size()));
    }
    std::vector<double> out;
    out.reserve(steps);
    for (std::size_t i = 0; i < value.size(); ++i)
        out.push_back(number_at(value[i], path + "/" + std::to_string(i), min, max));
    return out;
}

int minute_of_day(const std::string& text, const std::string& path) {
    int h = -1, m = -1;
    char colon = 0;
    if (text.size() != 5 || std::sscanf(text.c_str(), "%2d%c%2d", &h, &colon, &m) != 3 || colon != ':' ||
        h < 0 || h > 23 || m < 0 || m > 59) {
        throw ApiError(422, path, "expected a local time of day \"HH:MM\", got \"" + text + "\"");
    }
    return h * 60 + m;
}

// Bands of a value by local time of day, every day: {"from": "HH:MM", <value_key>: number}, the first
// from 00:00, in increasing time order.
std::vector<DailyBand> read_daily_bands(const nlohmann::json& value, const std::string& path,
                                        const std::string& value_key, double min, double max) {
    if (!value.is_array() || value.empty())
        throw ApiError(422, path, "expected a non-empty array of {from, " + value_key + "}");
    std::vector<DailyBand> bands;
    for (std::size_t i = 0; i < value.size(); ++i) {
        JsonFields band(value[i], path + "/" + std::to_string(i));
        DailyBand b;
        b.from_minute = minute_of_day(band.text("from"), band.path_of("from"));
        b.value = band.number(value_key, min, max);
        band.done();
        if (i == 0 && b.from_minute != 0)
            throw ApiError(422, band.path_of("from"), "the first band starts at \"00:00\"");
        if (i > 0 && b.from_minute <= bands.back().from_minute)
            throw ApiError(422, band.path_of("from"), "bands must be in increasing time order");
        bands.push_back(b);
    }
    return bands;
}

TariffRequest read_tariff(const nlohmann::json& value, const std::string& path, std::size_t steps) {
    JsonFields fields(value, path);
    TariffRequest t;
    t.currency = fields.optional_text("currency").value_or("EUR");
    t.export_price = fields.optional_number("export_price", -kInf, kInf).value_or(0.0);
    const nlohmann::json& export_prices = fields.member("export_prices");
    if (!export_prices.is_null()) {
        if (fields.has("export_price")) {
            throw ApiError(422, fields.path_of("export_prices"),
                           "give either 'export_price' (the same at every step) or 'export_prices' (one per "
                           "step), not both");
        }
        t.export_prices = read_series(export_prices, fields.path_of("export_prices"), steps, -kInf, kInf);
    }
    t.demand_charge_per_kw = fields.optional_number("demand_charge_per_kw", 0.0, kInf).value_or(0.0);
    const nlohmann::json& bands = fields.member("bands");
    const nlohmann::json& prices = fields.member("prices");
    if (bands.is_null() == prices.is_null()) {
        throw ApiError(422, path, "expected either 'bands' (time-of-use) or 'prices' (one per step)");
    }
    if (!prices.is_null()) t.prices = read_series(prices, fields.path_of("prices"), steps, -kInf, kInf);
    if (!bands.is_null()) t.bands = read_daily_bands(bands, fields.path_of("bands"), "price", -kInf, kInf);
    fields.done();
    return t;
}

BaseLoadRequest read_base_load(const nlohmann::json& value, const std::string& path, std::size_t steps) {
    JsonFields fields(value, path);
    BaseLoadRequest load;
    const nlohmann::json& forecast = fields.member("forecast_kw");
    const nlohmann::json& profile = fields.member("profile");
    if (forecast.is_null() == profile.is_null()) {
        throw ApiError(422, path,
                       "expected either 'forecast_kw' (one value per step) or 'profile' (a day by local "
                       "time)");
    }
    if (!forecast.is_null())
        load.forecast_kw = read_series(forecast, fields.path_of("forecast_kw"), steps, 0.0, 1e6);
    if (!profile.is_null())
        load.profile = read_daily_bands(profile, fields.path_of("profile"), "kw", 0.0, 1e6);
    fields.done();
    return load;
}

ChargerRequest read_charger(const nlohmann::json& value, const std::string& path) {
    JsonFields fields(value, path);
    ChargerRequest c;
    c.id = fields.text("id");
    if (c.id.empty()) throw ApiError(422, fields.path_of("id"), "expected a non-empty id");
    // The site's nodes are the grid connection, the chargers and their connectors <id>/1, <id>/2, ...
    if (c.id == "grid")
        throw ApiError(422, fields.path_of("id"), "'grid' names the grid connection; expected another id");
    if (c.id.find('/') != std::string::npos)
        throw ApiError(
            422, fields.path_of("id"),
            "expected an id without '/' (a charger's connectors are named <id>/1, <id>/2, ...), got '" +
                c.id + "'");
    c.max_kw = fields.number("max_kw", kLeastKw, 10'000.0);
    c.min_kw = fields.optional_number("min_kw", 0.0, c.max_kw).value_or(0.0);
    const double phases = fields.optional_number("phases", 1.0, 3.0).value_or(3.0);
    if (phases != 1.0 && phases != 3.0) throw ApiError(422, fields.path_of("phases"), "expected 1 or 3");
    c.phases = static_cast<int>(phases);
    c.voltage_v = fields.optional_number("voltage_v", 100.0, 1000.0).value_or(230.0);
    c.efficiency = fields.optional_number("efficiency", 0.5, 1.0).value_or(0.97);
    c.v2g = fields.optional_flag("v2g").value_or(false);
    c.dc = fields.optional_flag("dc").value_or(false);
    fields.done();
    return c;
}

EssRequest read_ess(const nlohmann::json& value, const std::string& path, const std::string& default_name) {
    JsonFields fields(value, path);
    EssRequest e;
    e.name = fields.optional_text("name").value_or(default_name);
    if (e.name.empty()) throw ApiError(422, fields.path_of("name"), "must not be empty");
    e.capacity_kwh = fields.number("capacity_kwh", kLeastKwh, 1e6);
    e.max_charge_kw = fields.number("max_charge_kw", 0.0, 1e6);
    e.max_discharge_kw = fields.optional_number("max_discharge_kw", 0.0, 1e6).value_or(e.max_charge_kw);
    e.soc_min = fields.optional_number("soc_min", 0.0, 1.0).value_or(0.1);
    e.soc_max = fields.optional_number("soc_max", e.soc_min, 1.0).value_or(0.9);
    // A battery outside its bounds is planned back within them first, not refused.
    e.soc = fields.optional_number("soc", 0.0, 1.0).value_or(0.5 * (e.soc_min + e.soc_max));
    // `efficiency` each way, unless a direction gives its own.
    const double efficiency = fields.optional_number("efficiency", 0.5, 1.0).value_or(0.95);
    e.charge_efficiency = fields.optional_number("charge_efficiency", 0.5, 1.0).value_or(efficiency);
    e.discharge_efficiency = fields.optional_number("discharge_efficiency", 0.5, 1.0).value_or(efficiency);
    e.end_value_per_kwh = fields.optional_number("end_value_per_kwh", 0.0, 1e6).value_or(0.0);
    e.end_soc = fields.optional_number("end_soc", e.soc_min, e.soc_max);
    e.grid_charge = fields.optional_flag("grid_charge").value_or(true);
    e.grid_discharge = fields.optional_flag("grid_discharge").value_or(true);
    const double priority = fields.optional_number("priority", 0.0, kMaxEssPriority).value_or(0.0);
    if (priority != std::floor(priority))
        throw ApiError(422, fields.path_of("priority"),
                       "expected a whole number from 0 to " + std::to_string(kMaxEssPriority));
    e.priority = static_cast<int>(priority);
    fields.done();
    return e;
}

// site.ess: one battery (an object) or several (an array); unnamed ones are "ess", "ess2", "ess3", ...
std::vector<EssRequest> read_batteries(const nlohmann::json& value, const std::string& path) {
    const auto default_name = [](std::size_t k) {
        return k == 0 ? std::string("ess") : "ess" + std::to_string(k + 1);
    };
    if (!value.is_array()) return {read_ess(value, path, default_name(0))};
    std::vector<EssRequest> out;
    for (std::size_t k = 0; k < value.size(); ++k) {
        const std::string at = path + "/" + std::to_string(k);
        out.push_back(read_ess(value[k], at, default_name(k)));
        for (std::size_t j = 0; j < k; ++j)
            if (out[j].name == out[k].name)
                throw ApiError(422, at + "/name",
                               "'" + out[k].name + "' names two batteries; names must be unique");
    }
    return out;
}

SiteRequest read_site(const nlohmann::json& value, std::size_t steps, const ScenarioZone& scenario_zone) {
    JsonFields fields(value, "/site");
    SiteRequest site;
    if (fields.has("scenario")) {
        site.scenario = fields.text("scenario");
        site.timezone = scenario_zone(site.scenario, fields.path_of("scenario"));
        fields.done();
        return site;
    }
    site.name = fields.optional_text("name").value_or("site");
    site.timezone = fields.optional_text("timezone").value_or("UTC");
    try {
        TimeZone zone(site.timezone);
    } catch (const std::exception&) {
        throw ApiError(422, fields.path_of("timezone"),
                       "unknown time zone '" + site.timezone + "' (expected an IANA name)");
    }
    if (!fields.has("grid")) throw ApiError(422, fields.path_of("grid"), "is required");
    JsonFields grid(fields.member("grid"), fields.path_of("grid"));
    site.import_kw = grid.number("import_kw", kLeastKw, 1e6);
    site.export_kw = grid.optional_number("export_kw", 0.0, 1e6).value_or(site.import_kw);
    grid.done();

    const nlohmann::json& chargers = fields.member("chargers");
    const std::string at = fields.path_of("chargers");
    if (!chargers.is_array() || chargers.empty())
        throw ApiError(422, at, "expected a non-empty array of chargers");
    std::set<std::string> ids;
    for (std::size_t i = 0; i < chargers.size(); ++i) {
        site.chargers.push_back(read_charger(chargers[i], at + "/" + std::to_string(i)));
        if (!ids.insert(site.chargers.back().id).second) {
            throw ApiError(422, at + "/" + std::to_string(i) + "/id",
                           "duplicate charger id '" + site.chargers.back().id + "'");
        }
    }
    if (fields.has("pv")) {
        JsonFields pv(fields.member("pv"), fields.path_of("pv"));
        site.pv_forecast_kw =
            read_series(pv.member("forecast_kw"), pv.path_of("forecast_kw"), steps, 0.0, 1e6);
        site.pv_curtailment_cost_per_kwh =
            pv.optional_number("curtailment_cost_per_kwh", 0.0, 1e6).value_or(0.0);
        pv.done();
    }
    if (fields.has("ess")) site.ess = read_batteries(fields.member("ess"), fields.path_of("ess"));
    if (fields.has("base_load"))
        site.base_load = read_base_load(fields.member("base_load"), fields.path_of("base_load"), steps);
    if (!fields.has("tariff")) throw ApiError(422, fields.path_of("tariff"), "is required");
    site.tariff = read_tariff(fields.member("tariff"), fields.path_of("tariff"), steps);
    fields.done();
    return site;
}

Time read_time(JsonFields& fields, const std::string& key, const TimeZone& zone) {
    const std::string text = fields.text(key);
    try {
        return parse_time(text, zone);
    } catch (const std::exception&) {
        throw ApiError(
            422, fields.path_of(key),
            "expected an ISO 8601 time such as \"2026-11-24T05:30:00+01:00\", got \"" + text + "\"");
    }
}

// "goal": {"energy_kwh": 12, "by": TIME, "value_per_kwh": 0.25}: energy by a time (the departure
// unless given), and what each kWh beyond it, up to the request, is worth.
void read_goal(JsonFields& vehicle, VehicleRequest& v, const TimeZone& zone) {
    JsonFields goal(vehicle.member("goal"), vehicle.path_of("goal"));
    const double requested_kwh =
        v.energy_kwh ? *v.energy_kwh : std::max(0.0, *v.target_soc - *v.soc) * v.capacity_kwh;
    const auto energy = goal.optional_number("energy_kwh", 0.0, 1000.0);
    if (!energy) throw ApiError(422, goal.path_of("energy_kwh"), "is required");
    if (*energy > requested_kwh * (1.0 + 1e-9) + 1e-9) {
        char text[160];
        std::snprintf(text, sizeof text, "more than the vehicle asks for (%.3f kWh)", requested_kwh);
        throw ApiError(422, goal.path_of("energy_kwh"), text);
    }
    ChargingNeeds& needs = v.needs;
    needs.goal_kwh = *energy;
    needs.goal_by = goal.has("by") ? read_time(goal, "by", zone) : v.departure;
    if (needs.goal_by <= v.arrival || needs.goal_by > v.departure)
        throw ApiError(422, goal.path_of("by"),
                       "the goal's time must come after the arrival and not after the departure");
    needs.value_per_kwh = goal.optional_number("value_per_kwh", 0.0, 1e6).value_or(0.0);
    goal.done();
}

VehicleRequest read_vehicle(const nlohmann::json& value, const std::string& path, const TimeZone& zone,
                            const PlanRequest& plan) {
    JsonFields fields(value, path);
    VehicleRequest v;
    v.id = fields.text("id");
    if (v.id.empty()) throw ApiError(422, fields.path_of("id"), "expected a non-empty id");
    v.charger = fields.optional_text("charger").value_or("");
    v.arrival = read_time(fields, "arrival", zone);
    v.departure = read_time(fields, "departure", zone);
    if (v.arrival < plan.start || v.arrival >= plan.end()) {
        throw ApiError(422, fields.path_of("arrival"),
                       "the arrival must lie inside the plan (from 'start' for 'horizon_h')");
    }
    if (v.departure <= v.arrival)
        throw ApiError(422, fields.path_of("departure"), "the departure must come after the arrival");
    if (v.departure > plan.end())
        throw ApiError(422, fields.path_of("departure"), "the departure must lie inside the plan");
    v.capacity_kwh = fields.optional_number("capacity_kwh", kLeastKwh, 1000.0).value_or(60.0);
    v.energy_kwh = fields.optional_number("energy_kwh", 0.0, v.capacity_kwh);
    v.soc = fields.optional_number("soc", 0.0, 1.0);
    v.target_soc = fields.optional_number("target_soc", 0.0, 1.0);
    if (!v.energy_kwh && !v.target_soc) {
        throw ApiError(422, fields.path_of("energy_kwh"),
                       "give either 'energy_kwh' or 'soc' and 'target_soc'");
    }
    if (v.energy_kwh && v.target_soc) {
        throw ApiError(422, fields.path_of("target_soc"),
                       "give either 'energy_kwh' or 'target_soc', not both");
    }
    if (v.target_soc && !v.soc) throw ApiError(422, fields.path_of("soc"), "is required with 'target_soc'");
    if (v.energy_kwh && v.soc && *v.soc * v.capacity_kwh + *v.energy_kwh > v.capacity_kwh * (1.0 + 1e-9)) {
        throw ApiError(422, fields.path_of("energy_kwh"), "more than the battery holds above its 'soc'");
    }
    v.max_kw = fields.optional_number("max_kw", kLeastKw, 1000.0).value_or(22.0);
    v.v2g = fields.optional_flag("v2g").value_or(false);
    v.max_discharge_kw =
        fields.optional_number("max_discharge_kw", 0.0, 1000.0).value_or(v.v2g ? v.max_kw : 0.0);
    v.needs.min_charge_kw = fields.optional_number("min_charge_kw", 0.0, 1000.0).value_or(0.0);
    if (v.needs.min_charge_kw > v.max_kw)
        throw ApiError(422, fields.path_of("min_charge_kw"), "more than the vehicle's 'max_kw'");
    if (fields.has("goal")) read_goal(fields, v, zone);
    fields.done();
    return v;
}

// `horizon_h` in steps of `step_min`.
std::vector<Duration> uniform_steps(JsonFields& fields, const RequestLimits& limits) {
    const double horizon_h = fields.optional_number("horizon_h", 0.25, limits.max_horizon_h).value_or(24.0);
    const double step_min = fields.optional_number("step_min", 1.0, 60.0).value_or(15.0);
    if (step_min != std::floor(step_min)) throw ApiError(422, "/step_min", "expected whole minutes");
    const Duration step = Duration::minutes(static_cast<std::int64_t>(step_min));
    const Duration horizon(static_cast<std::int64_t>(std::llround(horizon_h * 3'600'000.0)));
    if (horizon % step != Duration(0)) throw ApiError(422, "/horizon_h", "expected a whole number of steps");
    return std::vector<Duration>(static_cast<std::size_t>(horizon / step), step);
}

// [{"minutes": 15, "count": 24}, {"minutes": 60, "count": 42}]: runs of steps of one length each,
// every length a multiple of the shortest (the engine decides at the shortest).
std::vector<Duration> read_steps(const nlohmann::json& value, const RequestLimits& limits) {
    if (!value.is_array() || value.empty())
        throw ApiError(422, "/steps", "expected a non-empty array of {\"minutes\", \"count\"}");
    std::vector<Duration> lengths;
    std::int64_t shortest_min = std::numeric_limits<std::int64_t>::max();
    double total_h = 0.0;
    for (std::size_t i = 0; i < value.size(); ++i) {
        JsonFields run(value[i], "/steps/" + std::to_string(i));
        const double minutes = run.number("minutes", 1.0, 1440.0);
        const double count = run.number("count", 1.0, limits.max_horizon_h * 60.0);
        run.done();
        if (minutes != std::floor(minutes))
            throw ApiError(422, run.path_of("minutes"), "expected whole minutes");
        if (count != std::floor(count)) throw ApiError(422, run.path_of("count"), "expected a whole number");
        total_h += minutes * count / 60.0;
        if (total_h > limits.max_horizon_h * (1.0 + 1e-12)) {
            char text[96];
            std::snprintf(text, sizeof text, "the steps reach %g h, beyond the %g h a plan may cover",
                          total_h, limits.max_horizon_h);
            throw ApiError(422, "/steps", text);
        }
        shortest_min = std::min(shortest_min, static_cast<std::int64_t>(minutes));
        lengths.insert(lengths.end(), static_cast<std::size_t>(count),
                       Duration::minutes(static_cast<std::int64_t>(minutes)));
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto minutes = value[i]["minutes"].get<std::int64_t>();
        if (minutes % shortest_min != 0)
            throw ApiError(422, "/steps/" + std::to_string(i) + "/minutes",
                           "expected a multiple of the shortest step (" + std::to_string(shortest_min) +
                               " min), at which the plan decides");
    }
    return lengths;
}

}  // namespace

StepGrid PlanRequest::grid() const {
    StepGrid grid;
    grid.bounds.reserve(step_lengths.size() + 1);
    grid.bounds.push_back(start);
    for (const Duration length : step_lengths) grid.bounds.push_back(grid.bounds.back() + length);
    return grid;
}

PlanRequest parse_plan_request(const nlohmann::json& body, const RequestLimits& limits,
                               const ScenarioZone& scenario_zone) {
    JsonFields fields(body, "");
    PlanRequest plan;
    if (fields.has("steps")) {
        for (const char* key : {"step_min", "horizon_h"})
            if (fields.has(key))
                throw ApiError(422, std::string("/") + key,
                               "give either 'steps' or 'step_min' and 'horizon_h'");
        plan.step_lengths = read_steps(fields.member("steps"), limits);
    } else {
        plan.step_lengths = uniform_steps(fields, limits);
    }
    plan.step = *std::min_element(plan.step_lengths.begin(), plan.step_lengths.end());
    plan.horizon = Duration(0);
    for (const Duration length : plan.step_lengths) plan.horizon = plan.horizon + length;

    if (!fields.has("site")) throw ApiError(422, "/site", "is required");
    plan.site = read_site(fields.member("site"), plan.steps(), scenario_zone);
    const TimeZone zone(plan.site.timezone);
    plan.start = read_time(fields, "start", zone);

    const std::string unit = fields.optional_text("unit").value_or("W");
    if (unit != "W" && unit != "A") throw ApiError(422, "/unit", "expected \"W\" or \"A\"");
    plan.amps = unit == "A";
    plan.strategy = read_strategy(fields.member("strategy"), "/strategy", "mpc");
    plan.baseline = read_strategy(fields.member("baseline"), "/baseline", "edf");

    const nlohmann::json& vehicles = fields.member("vehicles");
    if (!vehicles.is_array() || vehicles.empty())
        throw ApiError(422, "/vehicles", "expected a non-empty array of vehicles");
    if (vehicles.size() > limits.max_vehicles) {
        throw ApiError(422, "/vehicles",
                       "at most " + std::to_string(limits.max_vehicles) + " vehicles per plan, got " +
                           std::to_string(vehicles.size()));
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < vehicles.size(); ++i) {
        const std::string at = "/vehicles/" + std::to_string(i);
        plan.vehicles.push_back(read_vehicle(vehicles[i], at, zone, plan));
        if (!ids.insert(plan.vehicles.back().id).second) {
            throw ApiError(422, at + "/id", "duplicate vehicle id '" + plan.vehicles.back().id + "'");
        }
    }
    fields.done();
    return plan;
}

}  // namespace evtwin::serve
