// The numbers below are the ones docs/battery.md (section Health grade) states and justifies; change
// both together.
#include "kpi/battery_sub_scores.hpp"

#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <utility>

namespace evtwin {
namespace {

// Linear between the points (x ascending), constant beyond the ends.
double piecewise(std::initializer_list<std::pair<double, double>> points, double x) {
    const auto* first = points.begin();
    if (x <= first->first) return first->second;
    for (const auto* p = first + 1; p != points.end(); ++p) {
        const auto& a = *(p - 1);
        if (x <= p->first) return a.second + (x - a.first) / (p->first - a.first) * (p->second - a.second);
    }
    return (points.end() - 1)->second;
}

std::string fixed(double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

// "−12.6", or "0" for no penalty.
std::string minus(double points) {
    return points > 0.0 ? "\u2212" + fixed(points, 1) : "0";
}

// A penalty of `slope` points per unit above `free`, at most `cap`.
double penalty(double value, double free, double slope, double cap) {
    return std::min(cap, slope * std::max(0.0, value - free));
}

bool is_ess(const BatteryUsage& usage) {
    return is_ess_battery(usage.battery);
}

}  // namespace

double soh_ceiling(double soh) {
    return piecewise({{0.50, 0.0}, {0.70, 55.0}, {0.80, 85.0}, {0.90, 100.0}}, soh);
}

double age_deduction(double age_years) {
    return penalty(age_years, 3.0, 2.0, 15.0);
}

SubScore soh_sub_score(const BatteryUsage& usage) {
    const double soh = 100.0 * usage.soh_end;
    const double expected = 100.0 * usage.expected_soh;
    const double below = std::max(0.0, expected - soh);
    const double relative = std::max(0.0, 100.0 - 4.0 * below);
    std::string reason = "SoH " + fixed(soh, 1) + " % against " + fixed(expected, 1) + " % expected at " +
                         fixed(usage.age_years, 1) + " years: ";
    reason += below > 0.0 ? fixed(below, 1) + " points below, " + minus(100.0 - relative) : "at or above, 0";
    const double ceiling = soh_ceiling(usage.soh_end);
    double score = relative;
    if (ceiling < relative) {
        score = ceiling;
        reason += "; SoH " + fixed(soh, 1) + " % caps it at " + fixed(ceiling, 1);
    }
    if (usage.model_year == 0) {
        reason += "; model year unknown: no age deduction";
    } else {
        const double deduction = age_deduction(usage.age_years);
        reason += "; age " + fixed(usage.age_years, 1) + " years (model year " +
                  std::to_string(usage.model_year) + ", 2 a year beyond 3, at most 15): " + minus(deduction);
        score = std::max(0.0, score - deduction);
    }
    return {"soh", score, 0.0, reason};
}

SubScore charging_pattern_sub_score(const BatteryUsage& usage) {
    double total = 0.0;
    std::string reason;
    const auto add = [&](double points, const std::string& what) {
        total += points;
        reason += (reason.empty() ? "" : "; ") + what + ": " + minus(points);
    };

    if (usage.hours_seen > 0.0) {
        const double high = 100.0 * std::clamp(usage.hours_high_soc / usage.hours_seen, 0.0, 1.0);
        add(penalty(high, 20.0, 0.3, 20.0), "parked at \u2265 80 % SoC " + fixed(high, 0) + " % of the time");
    } else {
        reason = "time at high SoC not seen";
    }
    const double mean_depth = 100.0 * usage.mean_depth;
    add(penalty(mean_depth, 50.0, 0.4, 20.0), "mean depth of discharge " + fixed(mean_depth, 0) + " %");
    const double max_depth = 100.0 * usage.max_depth;
    add(penalty(max_depth, 80.0, 0.25, 5.0), "deepest cycle " + fixed(max_depth, 0) + " %");
    add(penalty(usage.mean_c_rate, 0.5, 10.0, 15.0), "mean C-rate " + fixed(usage.mean_c_rate, 2) + " C");
    const double dc = 100.0 * usage.dc_share;
    add(penalty(dc, 20.0, 0.15, 12.0), "DC share " + fixed(dc, 0) + " %");

    // Per session for a vehicle; the ESS has no sessions, so per day it was seen.
    const bool ess = is_ess(usage);
    const double visits = ess ? usage.hours_seen / 24.0 : std::max(1, usage.sessions);
    const double deep_rate = visits > 0.0 ? usage.deep_discharges / visits : 0.0;
    add(std::min(15.0, 20.0 * deep_rate), std::to_string(usage.deep_discharges) +
                                              " deep discharges below 10 % SoC (" + fixed(deep_rate, 2) +
                                              (ess ? " a day)" : " a session)"));

    if (!ess && usage.capacity_kwh > 0.0) {
        const double capacities = usage.v2g_kwh / usage.capacity_kwh;
        const double per_session = capacities / std::max(1, usage.sessions);
        add(penalty(per_session, 0.10, 30.0, 15.0), "V2G " + fixed(usage.v2g_kwh, 1) +
                                                        " kWh = " + fixed(capacities, 2) + " capacities (" +
                                                        fixed(per_session, 2) + " a session)");
    }
    return {"charging_pattern", std::max(0.0, 100.0 - total), 0.0, reason};
}

SubScore efficiency_sub_score(const VehicleTelemetry& telemetry) {
    const double score =
        piecewise({{3.0, 0.0}, {4.0, 50.0}, {5.0, 80.0}, {6.0, 100.0}}, telemetry.km_per_kwh);
    return {"efficiency", score, 0.0,
            fixed(telemetry.km_per_kwh, 2) +
                " km/kWh (100 at \u2265 6, 80 at 5, 50 at 4, 0 at \u2264 3): " + fixed(score, 1)};
}

SubScore temperature_sub_score(const VehicleTelemetry& telemetry) {
    const double t = telemetry.temperature_c;
    const double cold = std::max(0.0, 15.0 - t);
    const double hot = std::max(0.0, t - 35.0);
    const double score = std::max(0.0, 100.0 - 3.0 * cold - 6.0 * hot);
    std::string where =
        cold > 0.0  ? fixed(cold, 1) + " \u00b0C below the optimal 15\u201335 \u00b0C (\u22123 a degree)"
        : hot > 0.0 ? fixed(hot, 1) + " \u00b0C above the optimal 15\u201335 \u00b0C (\u22126 a degree)"
                    : "within the optimal 15\u201335 \u00b0C";
    return {"temperature", score, 0.0,
            "battery at " + fixed(t, 1) + " \u00b0C, " + where + ": " + fixed(score, 1)};
}

SubScore cell_balance_sub_score(const VehicleTelemetry& telemetry) {
    const double mv = telemetry.cell_imbalance_mv;
    const double score = piecewise({{20.0, 100.0}, {100.0, 20.0}, {150.0, 0.0}}, mv);
    return {"cell_balance", score, 0.0,
            "cell imbalance " + fixed(mv, 0) +
                " mV (100 at \u2264 20 mV, 20 at 100 mV, 0 at \u2265 150 mV): " + fixed(score, 1)};
}

SubScore driving_habit_sub_score(const VehicleTelemetry& telemetry) {
    const double events = telemetry.hard_events_per_100km;
    const double score = piecewise({{2.0, 100.0}, {10.0, 50.0}, {20.0, 0.0}}, events);
    return {"driving_habit", score, 0.0,
            fixed(events, 1) +
                " hard accelerations and brakes per 100 km (100 at \u2264 2, 50 at 10, 0 at \u2265 20): " +
                fixed(score, 1)};
}

}  // namespace evtwin
