#pragma once
// The interface a forecaster implements. A forecaster is asked, at each decision, for one target
// (PV, base load or EV demand) over the horizon ahead, and answers with quantiles. It sees only the
// past: its input holds the target's history up to the forecast origin, calendar features and the
// prices the tariff publishes ahead, never the run's future (docs/forecasting.md).
#include <evtwin/time.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin {

enum class ForecastTarget : std::uint8_t { pv, load, demand };

// The channels of a target, in order. PV and base load: kW, the average over each step. Demand:
// vehicles arriving in the step, the energy they request (kWh at the inlet, summed) and their mean
// declared stay (hours; 0 in a step without arrivals).
inline constexpr std::size_t kDemandArrivals = 0, kDemandEnergy = 1, kDemandStay = 2;
constexpr std::size_t channel_count(ForecastTarget target) {
    return target == ForecastTarget::demand ? 3 : 1;
}
constexpr std::string_view target_name(ForecastTarget target) {
    return target == ForecastTarget::pv ? "pv" : target == ForecastTarget::load ? "load" : "demand";
}

// One step's place in the site's calendar, in local time.
struct CalendarStep {
    float hour = 0.0f;         // local hour of day at the step's start, 0 <= hour < 24
    std::uint8_t weekday = 0;  // 0 = Monday .. 6 = Sunday
    bool holiday = false;      // a public holiday of the site's calendar
};

// Quantile levels every forecaster answers.
inline constexpr double kQuantileLevels[3] = {0.1, 0.5, 0.9};

struct ForecastInput {
    ForecastTarget target = ForecastTarget::pv;
    Time origin;  // the forecast starts here: step k of the horizon covers [origin + k·step, +step)
    Duration step;
    std::size_t history_steps = 0;
    std::size_t horizon_steps = 0;
    // history_steps values per channel, channel after channel; value i of a channel covers
    // [origin - (history_steps - i)·step, +step). Steps before `known_from` hold 0: nothing was
    // observed there (before the data begins).
    std::span<const double> history;
    Time known_from;
    // history_steps + horizon_steps entries: the history's steps, then the horizon's.
    std::span<const CalendarStep> calendar;
    std::span<const double> import_price;  // per kWh, the tariff's (known ahead)

    std::span<const double> channel(std::size_t c) const {
        return history.subspan(c * history_steps, history_steps);
    }
};

// horizon_steps values per channel, channel after channel, for each quantile level; p10 <= p50 <= p90
// at every value.
struct ForecastOutput {
    std::vector<double> p10, p50, p90;
};

// What a forecaster asks of the engine once, before its first forecast.
struct ForecastNeeds {
    // Its own resolution; the engine steps its answer onto the control periods.
    Duration step = Duration::hours(1);
    std::size_t history_steps = 168;  // how much of the past each forecast is given
    // How much of that history must have been observed (the rest may lie before the data, marked by
    // `known_from`); 0: all of it.
    std::size_t min_observed_steps = 0;

    std::size_t observed_steps_needed() const {
        return min_observed_steps ? min_observed_steps : history_steps;
    }
};

// Options from the scenario or the command line (`--forecast pv=lstm:model.pt` gives {"arg": "model.pt"}).
using ForecasterOptions = std::map<std::string, std::string>;

// Thrown by a forecaster whose options, model file or input are wrong; the host reports it and exits
// non-zero.
struct ForecasterError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Forecaster {
public:
    virtual ~Forecaster() = default;
    virtual ForecastNeeds needs() const = 0;
    // `out` arrives with each quantile sized to horizon_steps × channel_count(in.target).
    virtual void forecast(const ForecastInput& in, ForecastOutput& out) = 0;
};

}  // namespace evtwin
