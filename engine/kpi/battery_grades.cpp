#include "kpi/battery_grades.hpp"

#include "model/battery_life.hpp"
#include "record/reader/run_reader.hpp"
#include "record/schema/sqlite_db.hpp"
#include "record/writer/run_update.hpp"

namespace evtwin {

std::vector<GradedBattery> grade_batteries(std::vector<BatteryUsage> batteries, Time end,
                                           const std::map<std::string, VehicleTelemetry>& telemetry) {
    std::vector<GradedBattery> out;
    for (BatteryUsage& usage : batteries) {
        const auto it = usage.vehicle.empty() ? telemetry.end() : telemetry.find(usage.vehicle);
        const bool with = it != telemetry.end();
        if (with && usage.model_year == 0 && it->second.year > 0) {  // the telemetry knows its age
            usage.model_year = it->second.year;
            usage.age_years = age_years(usage.model_year, end);
            usage.expected_soh = expected_soh(parse_chemistry(usage.chemistry), usage.age_years);
        }
        BatteryGrade grade = grade_battery(usage, with ? std::optional(it->second) : std::nullopt);
        out.push_back({std::move(usage), std::move(grade), with});
    }
    return out;
}

std::vector<GradedBattery> grade_run_batteries(const RunReader& reader, RunId id,
                                               const std::map<std::string, VehicleTelemetry>& telemetry) {
    return grade_batteries(reader.battery_health(id), reader.run(id).data_end(), telemetry);
}

void write_battery_grades(sqlite::Db& db, RunId id, const std::vector<GradedBattery>& graded) {
    sqlite::Stmt(db, "DELETE FROM battery_scores WHERE run_id = ?1").bind(1, id).run();
    sqlite::Stmt update(
        db, "UPDATE battery_health SET score = ?3, grade = ?4 WHERE run_id = ?1 AND battery = ?2");
    sqlite::Stmt insert(db,
                        "INSERT INTO battery_scores (run_id, battery, position, name, score, weight, reason) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    for (const GradedBattery& b : graded) {
        const std::string grade(1, b.grade.grade);
        update.bind(1, id)
            .bind(2, b.usage.battery)
            .bind(3, b.grade.score)
            .bind(4, std::string_view(grade))
            .run();
        std::int64_t position = 0;
        for (const SubScore& sub : b.grade.sub_scores) {
            insert.bind(1, id)
                .bind(2, b.usage.battery)
                .bind(3, ++position)
                .bind(4, sub.name)
                .bind(5, sub.score)
                .bind(6, sub.weight)
                .bind(7, sub.reason)
                .run();
        }
    }
}

void store_battery_grades(const std::filesystem::path& file, RunId id,
                          const std::vector<GradedBattery>& graded) {
    update_run(file, id, [&](sqlite::Db& db) { write_battery_grades(db, id, graded); });
}

void store_battery_grades(sqlite::Db& db, RunId id, const std::vector<GradedBattery>& graded) {
    update_run(db, id, [&](sqlite::Db& in) { write_battery_grades(in, id, graded); });
}

}  // namespace evtwin
