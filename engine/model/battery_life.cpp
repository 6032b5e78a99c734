#include "model/battery_life.hpp"

#include "model/rainflow.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace evtwin {

namespace {

// A long stretch is aged in pieces of this many points, so the trace stays small (calendar fade
// does not depend on the split; a rainflow cycle across two pieces counts as two half cycles).
constexpr std::size_t kMaxTrace = 4096;
constexpr double kHighSoc = 0.8;
constexpr double kDeepSoc = 0.1;
// How fast a vehicle's SoC moves away from the site: driving, about 15 kW from a 60 kWh battery.
constexpr double kAwayCRate = 0.25;

double days_between(Time from, Time to) {
    return static_cast<double>((to - from).ms()) / 86'400'000.0;
}

// Hours of a linear SoC segment spent at or above `level`.
double hours_at_or_above(double soc0, double soc1, double hours, double level) {
    if (soc0 >= level && soc1 >= level) return hours;
    if (soc0 < level && soc1 < level) return 0.0;
    const double above = soc0 >= level ? soc0 - level : soc1 - level;
    return hours * above / std::abs(soc1 - soc0);
}

}  // namespace

double age_years(int model_year, Time t) {
    if (model_year <= 0) return 0.0;
    using namespace std::chrono;
    const sys_days mid_year{year{model_year} / July / 1};
    const double days =
        static_cast<double>(t.ms()) / 86'400'000.0 - static_cast<double>(mid_year.time_since_epoch().count());
    return std::max(0.0, days / 365.25);
}

BatteryLife::BatteryLife(BatteryIdentity identity, double soh, const StepSeries& ambient_c, Time now)
    : identity_(std::move(identity)),
      ageing_(identity_.chemistry, soh),
      ambient_c_(&ambient_c),
      soh_start_(soh),
      origin_(now) {
    seen_.battery = identity_.battery;
    seen_.vehicle = identity_.vehicle;
    seen_.model = identity_.model;
    seen_.chemistry = chemistry_name(identity_.chemistry);
    seen_.model_year = identity_.model_year;
    seen_.capacity_kwh = identity_.capacity_kwh;
    seen_.soh_start = soh;
}

void BatteryLife::plug(Time t, double soc, bool dc) {
    plugged_ = true;
    dc_ = dc;
    ++seen_.sessions;
    session_fade_ = Fade{};
    if (soc < kDeepSoc) ++seen_.deep_discharges;  // arrived deeply discharged
    trace_.clear();
    trace_.push_back({t, soc});
}

void BatteryLife::at(Time t, double soc) {
    if (!plugged_) return;
    if (trace_.back().t == t) {
        trace_.back().soc = soc;
        return;
    }
    trace_.push_back({t, soc});
    if (trace_.size() >= kMaxTrace) age_trace(true);
}

void BatteryLife::unplug(Time t, double soc) {
    at(t, soc);
    age_trace(true);
    plugged_ = false;
}

void BatteryLife::away_until(Time t, double soc) {
    if (plugged_ || trace_.empty() || t <= trace_.back().t) return;
    // Parked at the SoC it left with, then driven (or charged elsewhere) to the SoC it comes back
    // with at kAwayCRate, or over all the time away when that is shorter.
    const Time left = trace_.back().t;
    const double hours = std::abs(soc - trace_.back().soc) / kAwayCRate;
    const Time moving = t - Duration(static_cast<std::int64_t>(hours * 3'600'000.0));
    if (moving > left) trace_.push_back({moving, trace_.back().soc});
    trace_.push_back({t, soc});
    age_trace(false);
}

std::vector<SocPoint> BatteryLife::points() const {
    std::vector<SocPoint> out;
    out.reserve(trace_.size() + 1);
    for (std::size_t i = 0; i < trace_.size(); ++i) {
        const TracePoint& p = trace_[i];
        out.push_back({days_between(origin_, p.t), p.soc, ambient_c_->value_at(p.t)});
        if (i + 1 == trace_.size()) break;
        // The temperature steps inside the segment: points there, on the segment's line.
        const TracePoint& next = trace_[i + 1];
        for (Time step = ambient_c_->next_change_after(p.t); step < next.t;
             step = ambient_c_->next_change_after(step)) {
            const double f =
                static_cast<double>((step - p.t).ms()) / static_cast<double>((next.t - p.t).ms());
            out.push_back(
                {days_between(origin_, step), p.soc + f * (next.soc - p.soc), ambient_c_->value_at(step)});
        }
    }
    return out;
}

void BatteryLife::age_trace(bool site) {
    if (trace_.size() < 2) return;
    const std::vector<SocPoint> trace = points();
    const double soh_before = ageing_.soh();
    std::vector<RainflowCycle> cycles;
    const Fade fade = ageing_.age(trace, cycles);
    if (site) {
        site_fade_.calendar += fade.calendar;
        site_fade_.cycling += fade.cycling;
        session_fade_.calendar += fade.calendar;
        session_fade_.cycling += fade.cycling;
        observe(trace, cycles, soh_before);
    }
    const TracePoint last = trace_.back();
    trace_.assign(1, last);
}

void BatteryLife::observe(const std::vector<SocPoint>& trace, std::span<const RainflowCycle> cycles,
                          double soh) {
    const double nominal = identity_.capacity_kwh;
    for (std::size_t i = 1; i < trace.size(); ++i) {
        const SocPoint& a = trace[i - 1];
        const SocPoint& b = trace[i];
        const double hours = (b.t_days - a.t_days) * 24.0;
        seen_.hours_seen += hours;
        seen_.hours_high_soc += hours_at_or_above(a.soc, b.soc, hours, kHighSoc);
        const double change = std::abs(b.soc - a.soc) * soh;  // of the nominal capacity
        if (change == 0.0) continue;
        if (b.soc > a.soc) {
            charged_ += change * nominal;
            if (dc_) charged_dc_ += change * nominal;
        } else {
            seen_.v2g_kwh += change * nominal;
            if (a.soc >= kDeepSoc && b.soc < kDeepSoc) ++seen_.deep_discharges;
        }
        throughput_soc_ += change;
        if (hours > 0.0) c_rate_weighted_ += change * change / hours;
    }
    for (const RainflowCycle& c : cycles) {
        const double weight = c.count * c.range;
        depth_weighted_ += weight * c.range;
        depth_weight_ += weight;
        seen_.max_depth = std::max(seen_.max_depth, c.range);
    }
}

BatteryUsage BatteryLife::usage(Time end) const {
    BatteryUsage u = seen_;
    u.age_years = age_years(identity_.model_year, end);
    u.soh_end = ageing_.soh();
    u.expected_soh = identity_.model_year > 0 ? expected_soh(identity_.chemistry, u.age_years) : soh_start_;
    u.calendar_fade = site_fade_.calendar;
    u.cycling_fade = site_fade_.cycling;
    u.efc = throughput_soc_ / 2.0;
    u.mean_depth = depth_weight_ > 0.0 ? depth_weighted_ / depth_weight_ : 0.0;
    u.mean_c_rate = throughput_soc_ > 0.0 ? c_rate_weighted_ / throughput_soc_ : 0.0;
    u.dc_share = charged_ > 0.0 ? charged_dc_ / charged_ : 0.0;
    return u;
}

}  // namespace evtwin
