#pragma once
// The live site's outlook (GET /v1/live/outlook, docs/live.md): the twin's state forked into
// simulations of the next hours, one per strategy and drawn future. Each starts from the vehicles
// plugged in now (their SoC, what they still ask for, when they said they leave), the ESS at its
// SoC, the tariff, and a future drawn from the twin's forecast (outlook_draws.hpp); the engine runs
// it as it runs any scenario. The strategies see each drawn future as a simulation shows a run its
// own data: the spread across draws is the future's uncertainty, not a strategy's forecast error.
#include "host/plugin_loader.hpp"
#include "model/scenario_spec.hpp"
#include "serve/live/outlook_draws.hpp"

#include <evtwin/observation.hpp>

#include <functional>
#include <string>
#include <vector>

namespace evtwin::serve {

// A vehicle plugged in when the outlook starts.
struct PresentVehicle {
    SessionId id = 0;
    ConnectorIndex connector = kNone;
    Time departure;              // as declared (the window's end for one past it)
    double requested_kwh = 0.0;  // over the whole session
    double delivered_kwh = 0.0;  // so far
};

// The twin's state at the outlook's start (LiveTwin::outlook_start).
struct OutlookStart {
    // The site, tariff and ESS (at its SoC now) from now (`start`) to the window's end; its sessions
    // are the vehicles plugged in, arriving now, in `present`'s order. PV and base load are each
    // draw's.
    ScenarioSpec spec;
    std::vector<PresentVehicle> present;
    Forecast forecast;  // from the control period that holds now
    TypicalVehicle typical;
    // The demand peak the billing period has reached (0 without a demand charge): the window's
    // demand charge is what it adds above it.
    double demand_peak_kw = 0.0;
};

struct OutlookRequest {
    std::vector<std::string> strategies;
    int draws = 1;  // 1: the median future only
    std::uint64_t seed = 1;
};

struct VehicleOutlook {
    SessionId id = 0;
    ConnectorIndex connector = kNone;
    Time departure;
    bool departs_in_window = false;
    double requested_kwh = 0.0;
    // The energy delivered by its departure (by the window's end for one leaving later), mean over
    // the draws, and the share of draws in which it leaves with less than it asked for.
    double expected_kwh = 0.0;
    double miss_chance = 0.0;
};

struct StrategyOutlook {
    std::string strategy;
    // The site's grid power per step (mean over the draws, and their 10 % and 90 % quantiles).
    std::vector<double> site_kw, site_kw_p10, site_kw_p90;
    // Means over the draws; the demand charge is what the window adds to the billing period's.
    double energy_cost = 0.0;
    double export_revenue = 0.0;
    double demand_charge = 0.0;
    double peak_kw = 0.0;
    double import_kwh = 0.0;
    double export_kwh = 0.0;
    double arrivals = 0.0;                 // vehicles expected to arrive in the window
    double rejected = 0.0;                 // of which no connector was free
    double arrivals_kwh = 0.0;             // delivered to them by their departure or the window's end
    std::uint64_t violations = 0;          // summed over the draws
    std::vector<VehicleOutlook> vehicles;  // the vehicles plugged in now
};

struct Outlook {
    Time start, end;
    Duration step;
    int draws = 1;
    std::vector<StrategyOutlook> strategies;
};

// A fresh object of the strategy named, with the options the live run gives it. Throws PluginError.
using StrategyMaker = std::function<StrategyHandle(const std::string& name)>;

// Runs every strategy on every draw (in parallel, each run on its own strategy object); the same
// start, request and strategies give the same outlook. Throws PluginError from `make`.
Outlook compute_outlook(const OutlookStart& start, const OutlookRequest& request, const StrategyMaker& make);

}  // namespace evtwin::serve
