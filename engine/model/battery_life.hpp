#pragma once
// One battery's life through a run: its ageing model, the SoC trace not yet aged, and what the twin
// saw of its use (for the health grade). A vehicle's battery lives through its sessions at the site
// and the time it spends away between them; the ESS through the whole run. Fade while the site sees
// the battery is the site's (its degradation cost); fade away from the site only ages the battery.
#include "model/battery_ageing.hpp"
#include "model/battery_usage.hpp"
#include "model/step_series.hpp"

#include <evtwin/time.hpp>

#include <span>
#include <string>
#include <vector>

namespace evtwin {

struct BatteryIdentity {
    std::string battery;  // "ev:<vehicle>" or "ess:<name>" (ess_battery_name)
    std::string vehicle;
    std::string model;
    Chemistry chemistry = Chemistry::nmc;
    int model_year = 0;
    double capacity_kwh = 0.0;  // nominal
};

// Years from the middle of `model_year` to `t` (0 for an unknown year, 0).
double age_years(int model_year, Time t);

class BatteryLife {
public:
    // A battery with state of health `soh` when first seen, at `now`; `ambient_c` is its temperature.
    BatteryLife(BatteryIdentity identity, double soh, const StepSeries& ambient_c, Time now);

    // The site sees the battery from `t`, at `soc`, on a DC charger or not, ...
    void plug(Time t, double soc, bool dc);
    // ... its power changes at `t`, where its SoC is `soc` (the trace is linear between such points) ...
    void at(Time t, double soc);
    // ... and no more from `t`: ages what the site saw.
    void unplug(Time t, double soc);
    // Ages the time away from the site since it was last seen until `t`, its SoC moving linearly
    // from where it left to `soc` (a vehicle driven and parked elsewhere).
    void away_until(Time t, double soc);

    bool plugged() const { return plugged_; }
    double last_soc() const { return trace_.empty() ? 0.0 : trace_.back().soc; }
    double soh() const { return ageing_.soh(); }
    const BatteryIdentity& identity() const { return identity_; }
    const BatteryAgeing& ageing() const { return ageing_; }
    Fade site_fade() const { return site_fade_; }
    Fade session_fade() const { return session_fade_; }  // since the last plug()

    // What the run saw, at its end `end` (value_per_fade left for the caller).
    BatteryUsage usage(Time end) const;

private:
    // Ages the trace so far; `site`: the site saw it. Keeps the last point to go on from.
    void age_trace(bool site);
    // The trace as the ageing model takes it: a point wherever the temperature changes too.
    std::vector<SocPoint> points() const;
    // Adds a stretch the site saw to the usage statistics; `soh` is the battery's during it.
    void observe(const std::vector<SocPoint>& points, std::span<const RainflowCycle> cycles, double soh);

    BatteryIdentity identity_;
    BatteryAgeing ageing_;
    const StepSeries* ambient_c_;
    double soh_start_;
    struct TracePoint {
        Time t;
        double soc;
    };
    std::vector<TracePoint> trace_;
    Time origin_;  // the trace's times are days since then
    bool plugged_ = false;
    bool dc_ = false;
    Fade site_fade_;
    Fade session_fade_;
    BatteryUsage seen_;
    double charged_ = 0.0;  // battery-side energies the site saw, kWh
    double charged_dc_ = 0.0;
    double depth_weighted_ = 0.0;  // sums for throughput-weighted means
    double depth_weight_ = 0.0;
    double c_rate_weighted_ = 0.0;
    double throughput_soc_ = 0.0;  // sum of |SoC change| the site saw
};

}  // namespace evtwin
