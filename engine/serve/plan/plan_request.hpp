#pragma once
// A planning request (POST /v1/plans, docs/serve.md) read and checked field by field. Every
// problem is an ApiError 422 naming the field's JSON pointer.
#include "serve/plan/step_average.hpp"

#include <evtwin/observation.hpp>
#include <evtwin/time.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace evtwin::serve {

struct StrategyChoice {
    std::string name;
    std::map<std::string, std::string> options;
};

struct ChargerRequest {
    std::string id;
    double max_kw = 0.0;
    double min_kw = 0.0;
    int phases = 3;
    double voltage_v = 230.0;
    double efficiency = 0.97;
    bool v2g = false;
    bool dc = false;
};

struct EssRequest {
    std::string name;  // unique among the site's batteries
    double capacity_kwh = 0.0;
    double max_charge_kw = 0.0;
    double max_discharge_kw = 0.0;
    double soc = 0.5;
    double soc_min = 0.1;
    double soc_max = 0.9;
    double charge_efficiency = 0.95;     // stored per grid energy
    double discharge_efficiency = 0.95;  // grid energy per stored
    // What the site wants of it at the plan's end: each kWh stored above soc_min is worth this, and
    // the SoC it should then hold at least (none: no goal).
    double end_value_per_kwh = 0.0;
    std::optional<double> end_soc;
    // Whether it may charge from the grid and give to it, and its place among the batteries (higher
    // first): EssView::grid_charge, grid_discharge, priority.
    bool grid_charge = true;
    bool grid_discharge = true;
    int priority = 0;
};

// A value from a local time of day until the next band's, every day.
struct DailyBand {
    int from_minute = 0;  // local time of day
    double value = 0.0;
};

struct TariffRequest {
    std::string currency = "EUR";
    std::vector<DailyBand> bands;  // prices every day, the first from 00:00; or else
    std::vector<double> prices;    // one per step from the plan's start
    double export_price = 0.0;
    std::vector<double> export_prices;  // one per step from the plan's start; empty: export_price
    double demand_charge_per_kw = 0.0;
};

// The site's own consumption (a building's, a household's), beside the vehicles.
struct BaseLoadRequest {
    std::vector<double> forecast_kw;  // one per step from the plan's start; or else
    std::vector<DailyBand> profile;   // kW every day, the first from 00:00
};

struct SiteRequest {
    std::string scenario;  // a scenario the server knows; empty: the inline site below
    std::string name = "site";
    std::string timezone = "UTC";
    double import_kw = 0.0;
    double export_kw = 0.0;
    std::vector<ChargerRequest> chargers;
    std::vector<double> pv_forecast_kw;        // one per step; empty: no PV
    double pv_curtailment_cost_per_kwh = 0.0;  // what a kWh of PV curtailed costs
    std::vector<EssRequest> ess;               // the site's stationary batteries
    std::optional<BaseLoadRequest> base_load;
    TariffRequest tariff;
};

struct VehicleRequest {
    std::string id;
    std::string charger;  // empty: any free charger
    Time arrival;
    Time departure;
    std::optional<double> energy_kwh;
    std::optional<double> soc;
    std::optional<double> target_soc;
    double capacity_kwh = 60.0;
    double max_kw = 22.0;
    bool v2g = false;
    double max_discharge_kw = 0.0;
    // The driver's minimum power and goal (`min_charge_kw`, `goal`: docs/serve.md, "A driver's needs").
    ChargingNeeds needs{};
};

struct PlanRequest {
    SiteRequest site;
    std::vector<VehicleRequest> vehicles;
    Time start;
    // The plan's steps, one length each (`steps` of the request, or `horizon_h` in steps of
    // `step_min`); the engine decides at the shortest, `step`, which each is a multiple of.
    std::vector<Duration> step_lengths = std::vector<Duration>(96, Duration::minutes(15));
    Duration step = Duration::minutes(15);
    Duration horizon = Duration::hours(24);
    StrategyChoice strategy{"mpc", {}};
    StrategyChoice baseline{"edf", {}};
    bool amps = false;  // schedules in A per phase rather than W

    Time end() const { return start + horizon; }
    std::size_t steps() const { return step_lengths.size(); }
    StepGrid grid() const;
};

struct RequestLimits {
    std::size_t max_vehicles = 500;
    double max_horizon_h = 168.0;
};

// The time zone of a scenario the server knows, by its name; throws ApiError 422 at `path` for an
// unknown one.
using ScenarioZone = std::function<std::string(const std::string& name, const std::string& path)>;

// Throws ApiError 422 (or 413 for more vehicles or a longer horizon than `limits`).
PlanRequest parse_plan_request(const nlohmann::json& body, const RequestLimits& limits,
                               const ScenarioZone& scenario_zone);

}  // namespace evtwin::serve
