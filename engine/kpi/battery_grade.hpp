#pragma once
// The battery health grade (docs/battery.md, section Health grade): a score 0-100 and a grade
// A (>= 85), B (70-85), C (55-70), D (< 55) per vehicle and for the ESS, from its state of health
// against what its age leads one to expect and from the charging pattern the twin saw; with a
// vehicle's telemetry, also from its efficiency, temperature, cell balance and driving habit (the
// five-indicator battery-as-a-service method).
#include "data/vehicle_telemetry.hpp"
#include "model/battery_usage.hpp"

#include <optional>
#include <string>
#include <vector>

namespace evtwin {

struct SubScore {
    std::string name;     // soh, charging_pattern, efficiency, temperature, cell_balance, driving_habit
    double score = 0.0;   // 0-100
    double weight = 0.0;  // its share of the total score
    std::string reason;   // why, in words with the numbers behind it
};

struct BatteryGrade {
    double score = 0.0;  // 0-100, rounded to 0.1 point (the grade is of the rounded score)
    char grade = 'D';
    std::vector<SubScore> sub_scores;
    double weighted = 0.0;       // sum of weight x sub-score, before the SoH ceiling
    std::string ceiling_reason;  // why the absolute SoH capped the score; empty when it did not
};

// A (>= 85), B (>= 70), C (>= 55), D otherwise.
char grade_of(double score);
// Throws std::invalid_argument naming the battery and the field when soh_end or expected_soh is not
// in (0, 1], or another number of the usage (or telemetry) is negative, not finite or out of range.
// The ESS ignores telemetry (it is graded on SoH and charging pattern only).
BatteryGrade grade_battery(const BatteryUsage& usage,
                           const std::optional<VehicleTelemetry>& telemetry = std::nullopt);

}  // namespace evtwin
