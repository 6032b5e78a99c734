#pragma once
// When a vehicle plugged in will leave, learned from the sessions that left before now (the
// forecast history's and the run's): drivers' declared departures are often late, and energy
// planned after a vehicle left is lost.
#include "model/vehicle_spec.hpp"

#include <span>
#include <vector>

namespace evtwin {

class DepartureForecast {
public:
    // Vehicles seen leave before a stay is estimated from them.
    static constexpr std::size_t kMinSamples = 20;
    // The quantile of the stays it plans with: a plan that serves a vehicle by then rarely finds it
    // gone, and one that finds it still there has lost little.
    static constexpr double kQuantile = 0.1;

    DepartureForecast(std::span<const SessionSpec> history, std::span<const SessionSpec> run);

    // The declared stay times the kQuantile of the ratio true / declared stay among the sessions
    // that left by `now` and stayed at least as long as `s` has so far; its declared departure
    // while fewer than kMinSamples have left or none stayed as long. Calls come with `now` not
    // decreasing.
    Time expected(const SessionSpec& s, Time now);

private:
    std::vector<const SessionSpec*> by_departure_;
    std::size_t learned_ = 0;          // by_departure_[0, learned_) are in stay_ratios_
    std::vector<double> stay_ratios_;  // sorted
};

}  // namespace evtwin
