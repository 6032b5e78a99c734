#include "serve/plan/plan_site.hpp"

#include "model/price_series_tariff.hpp"
#include "model/tou_tariff.hpp"
#include "scenario/scenario_builder.hpp"
#include "serve/net/api_error.hpp"
#include "serve/plan/daily_profile.hpp"
#include "serve/plan/export_price_series.hpp"

#include <algorithm>
#include <cmath>

namespace evtwin::serve {
namespace {

// One value per step from the plan's start, divided by `divisor`; zero after the plan's end.
StepSeries per_step(const PlanRequest& request, const std::vector<double>& values, double divisor = 1.0) {
    const StepGrid grid = request.grid();
    StepSeries series;
    for (std::size_t i = 0; i < values.size(); ++i) series.push(grid.bounds[i], values[i] / divisor);
    series.push(request.end(), 0.0);
    return series;
}

// The request's import prices (bands or per step), its demand charge and its one export price.
std::shared_ptr<const Tariff> base_tariff(const PlanRequest& request) {
    const TariffRequest& t = request.site.tariff;
    ExportPricing export_pricing;
    export_pricing.fixed = t.export_price;
    if (!t.prices.empty()) {
        PriceSeries series;
        series.name = "request prices";
        series.currency = t.currency;
        series.timezone = request.site.timezone;
        const StepGrid grid = request.grid();
        series.t.assign(grid.bounds.begin(),
                        grid.bounds.begin() + static_cast<std::ptrdiff_t>(t.prices.size()));
        series.price = t.prices;
        series.end = request.end();
        series.demand_charge_per_kw = t.demand_charge_per_kw;
        series.export_pricing = export_pricing;
        return std::make_shared<PriceSeriesTariff>(std::move(series));
    }
    TouTable table;
    table.name = "request time-of-use";
    table.currency = t.currency;
    table.timezone = request.site.timezone;
    DaySchedule day;
    for (const DailyBand& band : t.bands) {
        day.start_minute.push_back(band.from_minute);
        day.price.push_back(band.value);
    }
    table.schedules.push_back(std::move(day));
    TouRule every_day;
    every_day.demand_charge_per_kw = t.demand_charge_per_kw;
    every_day.days = kAllWeekdays | kHolidayBit;
    table.rules.push_back(every_day);
    table.export_pricing = export_pricing;
    return std::make_shared<TouTariff>(std::move(table));
}

std::shared_ptr<const Tariff> make_tariff(const PlanRequest& request) {
    const std::vector<double>& export_prices = request.site.tariff.export_prices;
    if (export_prices.empty()) return base_tariff(request);
    StepSeries series = per_step(request, export_prices);
    series.v.back() = export_prices.back();  // the last step's price holds after the plan
    return std::make_shared<ExportPriceSeriesTariff>(base_tariff(request), std::move(series));
}

LoadSpec base_load_of(const PlanRequest& request) {
    const BaseLoadRequest& load = *request.site.base_load;
    LoadSpec spec;
    spec.name = "base load";
    spec.node = 0;  // the grid connection
    spec.kw = load.profile.empty()
                  ? per_step(request, load.forecast_kw)
                  : daily_series(load.profile, TimeZone(request.site.timezone), request.start, request.end());
    return spec;
}

void add_inline_site(const PlanRequest& request, ScenarioSpec& spec) {
    const SiteRequest& site = request.site;
    spec.name = site.name;
    spec.source_file = "request";
    spec.timezone = site.timezone;
    spec.nodes.push_back(NodeSpec{"grid", NodeKind::grid, kNone, site.import_kw, site.export_kw});
    for (const ChargerRequest& c : site.chargers) {
        ChargerSpec charger;
        charger.name = c.id;
        charger.parent = 0;
        charger.max_kw = c.max_kw;
        charger.min_kw = c.min_kw;
        charger.efficiency = c.efficiency;
        charger.dc = c.dc;
        charger.v2g_capable = c.v2g;
        charger.voltage_v = c.voltage_v;
        spec.chargers.push_back(charger);
    }
    if (!site.pv_forecast_kw.empty()) {
        PvSpec pv;
        pv.name = "pv";
        pv.kwp = std::max(1e-9, *std::max_element(site.pv_forecast_kw.begin(), site.pv_forecast_kw.end()));
        pv.profile = per_step(request, site.pv_forecast_kw, pv.kwp);
        spec.pv.push_back(std::move(pv));
        spec.economics.pv_curtailment_cost_per_kwh = site.pv_curtailment_cost_per_kwh;
    }
    for (const EssRequest& e : site.ess) {
        EssSpec ess;
        ess.name = e.name;
        ess.capacity_kwh = e.capacity_kwh;
        ess.max_charge_kw = e.max_charge_kw;
        ess.max_discharge_kw = e.max_discharge_kw;
        ess.charge_efficiency = e.charge_efficiency;
        ess.discharge_efficiency = e.discharge_efficiency;
        ess.soc_min = e.soc_min;
        ess.soc_max = e.soc_max;
        ess.soc_initial = e.soc;
        ess.end_value_per_kwh = e.end_value_per_kwh;
        ess.end_soc = e.end_soc;
        ess.grid_charge = e.grid_charge;
        ess.grid_discharge = e.grid_discharge;
        ess.priority = e.priority;
        spec.ess.push_back(ess);
    }
    if (site.base_load) spec.loads.push_back(base_load_of(request));
    spec.tariff = make_tariff(request);
}

SessionSpec session_of(const VehicleRequest& v, const ChargerSpec* charger) {
    SessionSpec s;
    s.station = v.charger;
    s.vehicle_id = v.id;
    s.arrival = v.arrival;
    s.departure = v.departure;
    s.declared_departure = v.departure;
    s.vehicle.model = v.id;
    s.vehicle.capacity_kwh = v.capacity_kwh;
    s.vehicle.max_ac_kw = v.max_kw;
    s.vehicle.max_dc_kw = v.max_kw;
    const bool dc = charger != nullptr && charger->dc;
    s.vehicle.curve = dc ? default_dc_curve() : default_ac_curve();
    s.vehicle.v2g_allowed = v.v2g;
    s.vehicle.max_discharge_kw = v.max_discharge_kw;
    s.needs = v.needs;
    if (v.target_soc) {
        s.initial_soc = *v.soc;
        s.target_soc = std::max(*v.target_soc, *v.soc);
    } else {
        s.requested_kwh = *v.energy_kwh;
        s.initial_soc = v.soc.value_or(std::min(0.2, 1.0 - *v.energy_kwh / v.capacity_kwh));
    }
    return s;
}

}  // namespace

PlanRun plan_run(const PlanRequest& request, const KnownScenarios& scenarios) {
    PlanRun run;
    ScenarioSpec& spec = run.spec;
    if (!request.site.scenario.empty()) {
        spec = scenarios.at(request.site.scenario);
        spec.sessions.clear();
        spec.forecast.history_sessions.clear();
    } else {
        add_inline_site(request, spec);
    }
    spec.start = request.start;
    spec.end = request.end();
    spec.control_period = request.step;
    spec.forecast_horizon = request.horizon;
    spec.decision_period_mode = false;
    spec.acn_compatible = false;
    spec.seed = 1;

    std::vector<std::size_t> order(request.vehicles.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return request.vehicles[a].arrival < request.vehicles[b].arrival;
    });
    for (std::size_t i : order) {
        const VehicleRequest& v = request.vehicles[i];
        const std::string at = "/vehicles/" + std::to_string(i);
        const ChargerSpec* charger = nullptr;
        if (!v.charger.empty()) {
            auto it = std::find_if(spec.chargers.begin(), spec.chargers.end(),
                                   [&](const ChargerSpec& c) { return c.name == v.charger; });
            if (it == spec.chargers.end())
                throw ApiError(422, at + "/charger", "no charger '" + v.charger + "' at the site");
            charger = &*it;
            if (v.v2g && !charger->v2g_capable) {
                throw ApiError(422, at + "/v2g",
                               "charger '" + v.charger + "' cannot discharge (not V2G-capable)");
            }
        }
        SessionSpec s = session_of(v, charger);
        s.id = static_cast<SessionId>(spec.sessions.size());
        run.vehicle_of_session[s.id] = i;
        spec.sessions.push_back(std::move(s));
    }
    return run;
}

}  // namespace evtwin::serve
