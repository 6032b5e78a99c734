#pragma once
// What a run saw of one battery: its state of health and the use that aged it (docs/battery.md).
#include <string>
#include <string_view>

namespace evtwin {

// The battery name of the site's stationary battery called `name`, and whether a name is one.
inline std::string ess_battery_name(std::string_view name) {
    return "ess:" + std::string(name);
}
inline bool is_ess_battery(std::string_view battery) {
    return battery.starts_with("ess:");
}

// What a run saw of one battery (a row of the battery_health table, before grading).
struct BatteryUsage {
    std::string battery;         // "ev:<vehicle>" or "ess:<name>" (ess_battery_name)
    std::string vehicle;         // the vehicle's id (driver / fleet id); empty for the ESS
    std::string model;           // vehicle model; empty when unknown
    std::string chemistry;       // "nmc" or "lfp"
    int model_year = 0;          // 0: unknown
    double age_years = 0.0;      // at the end of the run
    double capacity_kwh = 0.0;   // nominal
    double soh_start = 1.0;      // capacity / nominal, at its first appearance in the run
    double soh_end = 1.0;        // at the end of the run
    double expected_soh = 1.0;   // expected_soh(chemistry, age_years)
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
    double value_per_fade = 0.0;  // what a fade of the whole nominal capacity costs, tariff currency
};

}  // namespace evtwin
