#pragma once
// The scenario's forecasters at work in a run: at each decision they replace the run's own PV, base
// load and EV demand in the Observation's forecast by what they expect, from the past only.
#include "forecast/calendar.hpp"
#include "forecast/departure_forecast.hpp"
#include "host/forecaster_loader.hpp"
#include "model/scenario_spec.hpp"

#include <evtwin/observation.hpp>

#include <memory>
#include <string>
#include <vector>

namespace evtwin {

class SiteForecasters {
public:
    // Loads the scenario's forecaster plugins. Throws PluginError.
    explicit SiteForecasters(const ScenarioSpec& spec);
    ~SiteForecasters();

    // Every target forecast by `perfect`: the Observation sees the run's data, as without forecasters.
    bool perfect() const { return perfect_; }
    bool demand_perfect() const;
    // "pv=perfect, load=perfect, demand=lstm:jpl.pt", for the run's events.
    std::string describe() const;

    // `out` holds the run's data over its horizon (ForecastCache): PV, base load and their node
    // flows become the forecasters' medians, and the quantiles and demand are filled in. `upcoming`:
    // the vehicles the run's data says arrive within the horizon (for the perfect and noisy
    // demand forecasts; no plugin sees them).
    void apply(Time now, std::span<const UpcomingSession> upcoming, Forecast& out);
    // The vehicles a foresighted strategy is shown over [now, until): the run's (perfect), the
    // run's with seeded error (noisy), or expected vehicles made from the demand forecast.
    void upcoming(Time now, Time until, std::span<const UpcomingSession> truth, const Forecast& f,
                  std::vector<UpcomingSession>& out) const;
    // When the session plugged in is expected to leave (SessionView::expected_departure): its true
    // departure (perfect), that with the seeded error the noisy vehicles to come get (noisy), or
    // learned from the sessions that left before now (DepartureForecast). `now` never decreases.
    Time expected_departure(const SessionSpec& s, Time now);

private:
    struct PluginTarget;
    void apply_plugin(PluginTarget& p, Time now, Forecast& out);
    void fill_history(PluginTarget& p, Time origin);
    void apply_noisy_series(ForecastTarget target, Forecast& out) const;
    void apply_node_flows(Forecast& out) const;
    void noisy_sessions(std::span<const UpcomingSession> truth, std::vector<UpcomingSession>& out) const;
    Time noisy_departure(SessionId id, Time arrival, Time declared_departure) const;

    const ScenarioSpec& spec_;
    TimeZone zone_;
    HolidayCalendar holidays_;
    bool perfect_ = true;
    std::vector<std::unique_ptr<PluginTarget>> plugins_;
    double noise_[3] = {0.2, 0.2, 0.2};
    std::uint64_t seed_ = 1;
    std::vector<double> pv_share_, load_share_;  // per Forecast::node_fixed_flow entry
    std::vector<NodeIndex> flow_nodes_;
    std::unique_ptr<DepartureForecast> departures_;  // made at the first call that needs it
};

// Expected vehicles from a demand forecast: one at each step where the running sum of the median
// arrivals passes a whole number, with that step's median energy per vehicle and stay; the vehicle
// itself (capacity, power, SoC) is `typical`.
void expected_sessions(const Forecast& f, Time from, Time until, const UpcomingSession& typical,
                       std::vector<UpcomingSession>& out);

}  // namespace evtwin
