#pragma once
// The vehicles' batteries of a run (docs/battery.md): one per vehicle id, kept between its
// sessions and aged through its time away, so that a returning vehicle (a simulated session's
// vehicle id, a live session's idTag) is the same battery; a vehicle seen in one session only has
// one of its own. What a strategy sees of a battery (state of health, wear prices) comes from here
// for a simulated run and a live site alike.
#include "core/run_sink.hpp"
#include "model/battery_life.hpp"
#include "model/scenario_spec.hpp"

#include <evtwin/observation.hpp>

#include <deque>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>

namespace evtwin {

// The capacity a vehicle's battery holds now (nominal × SoH: an aged battery holds less), or its
// session's own when the two differ only by rounding (a vehicle of unknown age, whose nominal
// capacity is its session's over its SoH).
double held_capacity_kwh(const BatteryLife& battery, const VehicleSpec& v);

class BatteryFleet {
public:
    explicit BatteryFleet(const BatterySpec& spec) : spec_(spec) {}

    // The battery of session `s`'s vehicle arriving at `now`: the fleet's for a vehicle id (aged
    // through its time away), else one of its own made in `own`; a vehicle whose id is plugged in
    // elsewhere at the same time (a shared account in real data) is charged as one of its own.
    BatteryLife& plug(const SessionSpec& s, Time now, bool dc, std::optional<BatteryLife>& own);
    // The battery leaves at `now` with `soc`: its SoH and the session's fade go to the record.
    void unplug(BatteryLife& battery, Time now, double soc, SessionRecord& r) const;
    // The site's next stationary battery (in ScenarioSpec::ess's order), in place from `start` at its
    // initial SoC, its wear prices given to `view`. Its battery is named ess_battery_name(e.name).
    void add_ess(const EssSpec& e, Time start, EssView& view);
    // A point of battery b's SoC trace, at every change of its power.
    void ess_at(std::size_t b, Time t, double soc) { ess_[b].at(t, soc); }
    // At the end of a run (vehicles already unplugged): ages the vehicles away until `end` and
    // reports every one, and each ESS at its SoC then (`ess_soc`, one per battery).
    void finish(Time end, std::span<const double> ess_soc, RunSink& sink);

    // Wear prices of a battery at `t`, used at `max_kw`, its replacement worth `cost_per_kwh`.
    BatteryWear wear_of(const BatteryLife& battery, double cost_per_kwh, double max_kw, Time t) const;
    double value_per_fade(double capacity_kwh, double cost_per_kwh) const;
    // What foresight shows of a session's vehicle before it arrives: the capacity its battery will
    // hold and, when wear is priced, its wear prices then (at its arrival, or the run's start).
    void foresee(const SessionSpec& s, Time run_start, UpcomingSession& u) const;

private:
    const BatterySpec& spec_;
    std::deque<BatteryLife> fleet_;  // vehicles with an id, in the order first seen
    std::unordered_map<std::string, std::size_t> index_;
    std::deque<BatteryLife> ess_;  // per ScenarioSpec::ess
};

}  // namespace evtwin
