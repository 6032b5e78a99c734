#include "model/battery_ageing.hpp"

#include "model/lfp_fade.hpp"
#include "model/nmc_fade.hpp"
#include "model/rainflow.hpp"
#include "model/reference_use.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace evtwin {

namespace {

struct Law {
    double (*calendar_after)(double, std::span<const fade::Segment>);
    double (*calendar_per_day)(double, double, double);
    double (*cycling_after)(double, const fade::CycleStress&, double);
    double (*cycling_per_efc)(double, const fade::CycleStress&);
};

const Law& law(Chemistry chemistry) {
    static const Law nmc{fade::nmc::calendar_after_segments, fade::nmc::calendar_per_day,
                         fade::nmc::cycling_after, fade::nmc::cycling_per_efc};
    static const Law lfp{fade::lfp::calendar_after_segments, fade::lfp::calendar_per_day,
                         fade::lfp::cycling_after, fade::lfp::cycling_per_efc};
    return chemistry == Chemistry::nmc ? nmc : lfp;
}

std::string number(double x) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", x);
    return buffer;
}

// Checks a trace and returns its SoCs (a hair outside 0..1 from rounding is clamped).
std::vector<double> checked_socs(std::span<const SocPoint> trace) {
    if (trace.size() < 2) throw std::invalid_argument("a SoC trace needs at least 2 points");
    std::vector<double> socs;
    socs.reserve(trace.size());
    for (std::size_t i = 0; i < trace.size(); ++i) {
        const SocPoint& p = trace[i];
        const auto at = [i] { return "SoC trace point " + std::to_string(i); };
        if (!std::isfinite(p.t_days) || !std::isfinite(p.soc) || !std::isfinite(p.temperature_c))
            throw std::invalid_argument(at() + ": not a finite number");
        if (i > 0 && p.t_days < trace[i - 1].t_days)
            throw std::invalid_argument(at() + ": time " + number(p.t_days) +
                                        " d before the previous point's " + number(trace[i - 1].t_days) +
                                        " d");
        if (p.soc < -1e-9 || p.soc > 1.0 + 1e-9)
            throw std::invalid_argument(at() + ": SoC " + number(p.soc) + " outside 0..1");
        socs.push_back(std::clamp(p.soc, 0.0, 1.0));
    }
    return socs;
}

// Running sums along a trace, so that a cycle's C-rate and temperature take O(1): over the segments
// where the SoC moves in time, the SoC moved, the days, and temperature x days; before[i] sums the
// segments before point i.
struct MovingSums {
    struct Sums {
        double soc_moved = 0.0;
        double temperature_days = 0.0;
        double days_moving = 0.0;
    };
    std::vector<Sums> before{Sums{}};

    MovingSums(std::span<const SocPoint> trace, const std::vector<double>& socs) {
        before.reserve(trace.size());
        for (std::size_t i = 0; i + 1 < trace.size(); ++i) {
            const double moved = std::abs(socs[i + 1] - socs[i]);
            const double days = trace[i + 1].t_days - trace[i].t_days;
            Sums next = before.back();
            if (moved > 0.0 && days > 0.0) {
                next.soc_moved += moved;
                next.temperature_days += days * trace[i].temperature_c;
                next.days_moving += days;
            }
            before.push_back(next);
        }
    }
};

constexpr double kInstantCRate = 1.0;  // a SoC step with no duration: taken at the laws' test rate
// Beyond the laws' data: a faster cycle (a SoC jump in data, an artefact of a stretch's split) is
// aged at this rate rather than at an exponential of its own.
constexpr double kMaxCRate = 2.0;

}  // namespace

Chemistry parse_chemistry(std::string_view name) {
    if (name == "nmc") return Chemistry::nmc;
    if (name == "lfp") return Chemistry::lfp;
    throw std::invalid_argument("unknown battery chemistry '" + std::string(name) +
                                "' (expected nmc or lfp)");
}

const char* chemistry_name(Chemistry chemistry) {
    return chemistry == Chemistry::nmc ? "nmc" : "lfp";
}

BatteryAgeing::BatteryAgeing(Chemistry chemistry, double soh) : chemistry_(chemistry) {
    if (!(soh > 0.0 && soh <= 1.0))
        throw std::invalid_argument("state of health must be in (0, 1], got " + number(soh));
    const ReferenceLoss split = reference_split(chemistry, 1.0 - soh);
    calendar_loss_ = split.calendar;
    cycling_loss_ = split.cycling;
}

BatteryAgeing BatteryAgeing::from_losses(Chemistry chemistry, double calendar_loss, double cycling_loss) {
    if (!(calendar_loss >= 0.0 && cycling_loss >= 0.0) || calendar_loss + cycling_loss > 1.0)
        throw std::invalid_argument("capacity losses must be >= 0 and sum to at most 1, got calendar " +
                                    number(calendar_loss) + ", cycling " + number(cycling_loss));
    BatteryAgeing battery(chemistry);
    battery.calendar_loss_ = calendar_loss;
    battery.cycling_loss_ = cycling_loss;
    return battery;
}

double BatteryAgeing::soh() const {
    return std::max(0.0, 1.0 - calendar_loss_ - cycling_loss_);
}

Fade BatteryAgeing::age(std::span<const SocPoint> trace) {
    std::vector<RainflowCycle> cycles;
    return age(trace, cycles);
}

Fade BatteryAgeing::age(std::span<const SocPoint> trace, std::vector<RainflowCycle>& cycles) {
    const std::vector<double> socs = checked_socs(trace);
    const Law& l = law(chemistry_);
    const double calendar_before = calendar_loss_;
    const double cycling_before = cycling_loss_;

    cycles = rainflow(socs);
    const auto by_end = [](const RainflowCycle& a, const RainflowCycle& b) { return a.end < b.end; };
    if (!std::is_sorted(cycles.begin(), cycles.end(), by_end))  // a charge alone is one half cycle
        std::stable_sort(cycles.begin(), cycles.end(), by_end);
    const MovingSums sums(trace, socs);

    std::vector<fade::Segment> segments;
    segments.reserve(trace.size() - 1);
    for (std::size_t i = 0; i + 1 < trace.size(); ++i)
        segments.push_back(
            {socs[i], socs[i + 1], trace[i + 1].t_days - trace[i].t_days, trace[i].temperature_c});

    // In time order: the segments' calendar fade up to each cycle's end, then the cycle. A cycle's
    // throughput and C-rate are in units of the nominal capacity, so they scale with the SoH then.
    std::size_t aged = 0;  // segments whose calendar fade is counted
    for (const RainflowCycle& cycle : cycles) {
        calendar_loss_ =
            l.calendar_after(calendar_loss_, std::span(segments).subspan(aged, cycle.end - aged));
        aged = cycle.end;
        const MovingSums::Sums& from = sums.before[cycle.start];
        const MovingSums::Sums& to = sums.before[cycle.end];
        const double moved = to.soc_moved - from.soc_moved;
        const double days = to.days_moving - from.days_moving;
        const double temperature = days > 0.0 ? (to.temperature_days - from.temperature_days) / days
                                              : trace[cycle.start].temperature_c;
        const double present = soh();
        const fade::CycleStress stress{
            std::min(socs[cycle.start], socs[cycle.end]), std::max(socs[cycle.start], socs[cycle.end]),
            std::min(kMaxCRate, (days > 0.0 ? moved / (24.0 * days) : kInstantCRate) * present), temperature};
        cycling_loss_ = l.cycling_after(cycling_loss_, stress, cycle.count * cycle.range * present);
    }
    calendar_loss_ = l.calendar_after(calendar_loss_, std::span(segments).subspan(aged));
    return {calendar_loss_ - calendar_before, cycling_loss_ - cycling_before};
}

double BatteryAgeing::cycling_loss_per_efc(double depth, double c_rate, double temperature_c) const {
    return cycling_loss_per_efc(depth, c_rate, temperature_c, 0.5);
}

double BatteryAgeing::cycling_loss_per_efc(double depth, double c_rate, double temperature_c,
                                           double mean_soc) const {
    depth = std::clamp(depth, 0.0, 1.0);
    const double low = std::clamp(mean_soc - depth / 2.0, 0.0, 1.0 - depth);
    const fade::CycleStress stress{low, low + depth, c_rate, temperature_c};
    return law(chemistry_).cycling_per_efc(cycling_loss_, stress);
}

double BatteryAgeing::calendar_loss_per_day(double soc, double temperature_c) const {
    return law(chemistry_).calendar_per_day(calendar_loss_, std::clamp(soc, 0.0, 1.0), temperature_c);
}

double expected_soh(Chemistry chemistry, double age_years) {
    return 1.0 - reference_loss(chemistry, age_years * 365.25).total();
}

}  // namespace evtwin
