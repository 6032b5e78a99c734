#include "kpi/battery_grade.hpp"

#include "kpi/battery_sub_scores.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace evtwin {
namespace {

void check_fraction(const BatteryUsage& usage, const char* field, double value) {
    if (!(value > 0.0 && value <= 1.0 + 1e-9)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%g", value);
        throw std::invalid_argument("battery '" + usage.battery + "': expected " + field +
                                    " in (0, 1], got " + buf);
    }
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
    check_fraction(usage, "soh_end", usage.soh_end);
    check_fraction(usage, "expected_soh", usage.expected_soh);

    BatteryGrade grade;
    grade.sub_scores.push_back(soh_sub_score(usage));
    grade.sub_scores.push_back(charging_pattern_sub_score(usage));
    if (telemetry && usage.battery != "ess") {
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
