#pragma once
// The battery health grade (docs/battery.md, section Health grade): a score 0-100 and a grade
// A (>= 85), B (70-85), C (55-70), D (< 55) per vehicle and for the ESS, from its state of health
// against what its age leads one to expect and from the charging pattern the twin saw; with a
// vehicle's telemetry, also from its efficiency, temperature, cell balance and driving habit (the
// five-indicator battery-as-a-service method).
#include <optional>
#include <string>
#include <vector>

namespace evtwin {

// What a run saw of one battery (a row of the battery_health table, before grading).
struct BatteryUsage {
    std::string battery;    // "ev:<vehicle>" or "ess"
    std::string vehicle;    // the vehicle's id (driver / fleet id); empty for the ESS
    std::string model;      // vehicle model; empty when unknown
    std::string chemistry;  // "nmc" or "lfp"
    int model_year = 0;     // 0: unknown
    double age_years = 0.0;     // at the end of the run
    double capacity_kwh = 0.0;  // nominal
    double soh_start = 1.0;     // capacity / nominal, at its first appearance in the run
    double soh_end = 1.0;       // at the end of the run
    double expected_soh = 1.0;  // expected_soh(chemistry, age_years)
    double calendar_fade = 0.0;  // fade during the run, fraction of nominal
    double cycling_fade = 0.0;
    int sessions = 0;
    double hours_seen = 0.0;      // time the twin saw the battery (plugged in; the whole run for the ESS)
    double hours_high_soc = 0.0;  // of which at SoC >= 0.8
    double efc = 0.0;             // equivalent full cycles (throughput / 2 nominal capacity)
    double mean_depth = 0.0;      // rainflow depth of discharge, weighted by cycle throughput
    double max_depth = 0.0;
    double mean_c_rate = 0.0;     // |power| / nominal capacity, weighted by throughput
    double dc_share = 0.0;        // share of the charged energy from DC chargers
    int deep_discharges = 0;      // times the SoC went below 0.10
    double v2g_kwh = 0.0;         // energy discharged to the grid (battery side)
    double degradation_cost = 0.0;  // fade x battery value, in the tariff's currency
};

// A vehicle's telemetry row (--telemetry FILE; schema in docs/battery.md).
struct VehicleTelemetry {
    std::string vehicle;
    std::string model;
    int year = 0;
    double km_per_kwh = 0.0;
    double temperature_c = 0.0;          // typical battery temperature
    double cell_imbalance_mv = 0.0;      // max - min cell voltage
    double hard_events_per_100km = 0.0;  // hard accelerations and brakes
};

struct SubScore {
    std::string name;    // soh, charging_pattern, efficiency, temperature, cell_balance, driving_habit
    double score = 0.0;  // 0-100
    double weight = 0.0; // its share of the total score
    std::string reason;  // why, in words with the numbers behind it
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
BatteryGrade grade_battery(const BatteryUsage& usage, const std::optional<VehicleTelemetry>& telemetry = std::nullopt);

}  // namespace evtwin
