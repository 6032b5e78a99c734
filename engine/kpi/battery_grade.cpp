#include "kpi/battery_grade.hpp"

#include "kpi/battery_sub_scores.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace evtwin {
namespace {

// Throws std::invalid_argument "battery '<id>': expected <field> in <range>, got <value>".
void check_range(const std::string& battery, const char* field, double value, double low, double high,
                 bool open_low = false) {
    const bool ok = (open_low ? value > low : value >= low) && value <= high;  // false for NaN
    if (ok) return;
    char buf[160];
    std::snprintf(buf, sizeof buf, "battery '%s': expected %s in %c%g, %g], got %g", battery.c_str(), field,
                  open_low ? '(' : '[', low, high, value);
    throw std::invalid_argument(buf);
}

void check_usage(const BatteryUsage& u) {
    constexpr double kInf = HUGE_VAL;
    constexpr double kSlack = 1e-9;  // sums of floating-point shares may pass 1 by rounding
    check_range(u.battery, "soh_end", u.soh_end, 0.0, 1.0 + kSlack, true);
    check_range(u.battery, "expected_soh", u.expected_soh, 0.0, 1.0 + kSlack, true);
    check_range(u.battery, "age_years", u.age_years, 0.0, 100.0);
    check_range(u.battery, "capacity_kwh", u.capacity_kwh, 0.0, kInf);
    check_range(u.battery, "sessions", u.sessions, 0.0, kInf);
    check_range(u.battery, "hours_seen", u.hours_seen, 0.0, kInf);
    check_range(u.battery, "hours_high_soc", u.hours_high_soc, 0.0, u.hours_seen * (1.0 + kSlack) + kSlack);
    check_range(u.battery, "mean_depth", u.mean_depth, 0.0, 1.0 + kSlack);
    check_range(u.battery, "max_depth", u.max_depth, 0.0, 1.0 + kSlack);
    check_range(u.battery, "mean_c_rate", u.mean_c_rate, 0.0, kInf);
    check_range(u.battery, "dc_share", u.dc_share, 0.0, 1.0 + kSlack);
    check_range(u.battery, "deep_discharges", u.deep_discharges, 0.0, kInf);
    check_range(u.battery, "v2g_kwh", u.v2g_kwh, 0.0, kInf);
}

void check_telemetry(const std::string& battery, const VehicleTelemetry& t) {
    constexpr double kInf = HUGE_VAL;
    check_range(battery, "telemetry km_per_kwh", t.km_per_kwh, 0.0, kInf);
    check_range(battery, "telemetry temperature_c", t.temperature_c, -273.15, kInf);
    check_range(battery, "telemetry cell_imbalance_mv", t.cell_imbalance_mv, 0.0, kInf);
    check_range(battery, "telemetry hard_events_per_100km", t.hard_events_per_100km, 0.0, kInf);
}

double round_to_tenth(double score) {
    return std::round(score * 10.0) / 10.0;
}

}  // namespace

char grade_of(double score) {
    if (score >= 85.0) return 'A';
    if (score >= 70.0) return 'B';
    if (score >= 55.0) return 'C';
    return 'D';
}

BatteryGrade grade_battery(const BatteryUsage& usage, const std::optional<VehicleTelemetry>& telemetry) {
    check_usage(usage);

    BatteryGrade grade;
    grade.sub_scores.push_back(soh_sub_score(usage));
    grade.sub_scores.push_back(charging_pattern_sub_score(usage));
    if (telemetry && !is_ess_battery(usage.battery)) {
        check_telemetry(usage.battery, *telemetry);
        grade.sub_scores.push_back(efficiency_sub_score(*telemetry));
        grade.sub_scores.push_back(temperature_sub_score(*telemetry));
        grade.sub_scores.push_back(cell_balance_sub_score(*telemetry));
        grade.sub_scores.push_back(driving_habit_sub_score(*telemetry));
        // soh, charging pattern, efficiency, temperature, cell balance, driving habit
        const double weights[] = {0.40, 0.20, 0.05, 0.10, 0.15, 0.10};
        for (std::size_t i = 0; i < grade.sub_scores.size(); ++i) grade.sub_scores[i].weight = weights[i];
    } else {
        // The telemetry weights of SoH and charging pattern (40 : 20), renormalised.
        grade.sub_scores[0].weight = 2.0 / 3.0;
        grade.sub_scores[1].weight = 1.0 / 3.0;
    }

    for (const SubScore& s : grade.sub_scores) grade.weighted += s.weight * s.score;
    double score = grade.weighted;
    const double ceiling = soh_ceiling(usage.soh_end);
    if (ceiling < score) {
        score = ceiling;
        char buf[128];
        std::snprintf(buf, sizeof buf, "SoH %.1f %% caps the score at %.1f (weighted %.1f)",
                      100.0 * usage.soh_end, ceiling, grade.weighted);
        grade.ceiling_reason = buf;
    }
    grade.score = round_to_tenth(score);
    grade.grade = grade_of(grade.score);
    return grade;
}

}  // namespace evtwin
