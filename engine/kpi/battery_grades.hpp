#pragma once
// Grading a run's batteries (docs/battery.md, section Health grade): each row of its battery_health
// table graded, and the grades stored back (score and grade there, the sub-scores in battery_scores).
#include "kpi/battery_grade.hpp"
#include "record/schema/records.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace evtwin {

class RunReader;
namespace sqlite {
class Db;
}

struct GradedBattery {
    BatteryUsage usage;
    BatteryGrade grade;
    bool with_telemetry = false;
};

// Each battery of a run whose data ends at `end`, graded; a vehicle with a row in `telemetry` (by
// vehicle id) is graded with it.
std::vector<GradedBattery> grade_batteries(std::vector<BatteryUsage> batteries, Time end,
                                           const std::map<std::string, VehicleTelemetry>& telemetry = {});
// Every battery of run `id`, graded so.
std::vector<GradedBattery> grade_run_batteries(const RunReader& reader, RunId id,
                                               const std::map<std::string, VehicleTelemetry>& telemetry = {});

// Replaces the stored grades of run `id` with these. Throws ResultsError for a foreign file or an
// unknown run.
void store_battery_grades(const std::filesystem::path& file, RunId id,
                          const std::vector<GradedBattery>& graded);
// The same through a connection already open on the results database.
void store_battery_grades(sqlite::Db& db, RunId id, const std::vector<GradedBattery>& graded);
// The same within the transaction the caller holds on it, without checking the run.
void write_battery_grades(sqlite::Db& db, RunId id, const std::vector<GradedBattery>& graded);

}  // namespace evtwin
