#pragma once
// The sub-scores of the battery health grade (docs/battery.md, section Health grade), each 0-100 with
// a reason that gives the numbers behind it. Their weights are set by grade_battery.
#include "kpi/battery_grade.hpp"

namespace evtwin {

// The most a battery of this absolute state of health can score (on its SoH sub-score and in
// total), whatever its age or pattern: 100 at >= 90 %, 85 at 80 %, 55 at 70 %, 0 at 50 %.
double soh_ceiling(double soh);

// Points off the SoH sub-score for the vehicle's age: 2 a year beyond 3 years, at most 15.
double age_deduction(double age_years);

// SoH against expected_soh for the age, under the ceiling, less the age deduction (none when the
// model year is unknown).
SubScore soh_sub_score(const BatteryUsage& usage);
// 100 less the penalties for high-SoC parking, depth of discharge, C-rate, DC share, deep
// discharges and V2G throughput (the last for vehicles only).
SubScore charging_pattern_sub_score(const BatteryUsage& usage);

// The telemetry indicators.
SubScore efficiency_sub_score(const VehicleTelemetry& telemetry);
SubScore temperature_sub_score(const VehicleTelemetry& telemetry);
SubScore cell_balance_sub_score(const VehicleTelemetry& telemetry);
SubScore driving_habit_sub_score(const VehicleTelemetry& telemetry);

}  // namespace evtwin
