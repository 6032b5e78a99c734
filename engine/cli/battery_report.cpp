#include "cli/battery_report.hpp"

#include <evtwin/errors.hpp>
#include <evtwin/util/args.hpp>
#include "cli/commands.hpp"
#include "cli/run_one.hpp"
#include "data/vehicle_telemetry.hpp"
#include "kpi/battery_grades.hpp"
#include "record/reader/run_reader.hpp"

#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <set>

namespace evtwin::cli {

const char* const kBatteryReportHelp =
    R"(usage: evtwin battery report RUN.db [--run ID] [--telemetry FILE] [--csv FILE] [--details]

The health grade of every battery of a run that persists through it (vehicles with an id, the ESS):
score 0-100 and grade A (>= 85), B (70-85), C (55-70), D (< 55), from the state of health against
what the vehicle's age leads one to expect and from the charging pattern the twin saw.

  --run ID          the run (default: the latest in the file)
  --telemetry FILE  a vehicle telemetry CSV (docs/battery.md): its vehicles are also graded on
                    efficiency, temperature, cell balance and driving habit
  --csv FILE        also write the table (one row per battery, sub-scores as columns) to FILE
  --details         print every sub-score with its reason

Exit codes: 0 done, 2 usage, 3 unreadable results or telemetry, or a telemetry vehicle the run does not know.
)";

namespace {

std::map<std::string, VehicleTelemetry> telemetry_for(const std::filesystem::path& file,
                                                      const std::vector<BatteryUsage>& run_batteries) {
    const VehicleTelemetryTable table = load_vehicle_telemetry(file);
    std::vector<std::string> known;
    for (const BatteryUsage& b : run_batteries)
        if (!b.vehicle.empty()) known.push_back(b.vehicle);
    table.check_known(known);
    std::map<std::string, VehicleTelemetry> out;
    for (const VehicleTelemetry& t : table.rows) out.emplace(t.vehicle, t);
    return out;
}

std::string percent(double fraction) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", 100.0 * fraction);
    return buf;
}

void write_csv(const std::filesystem::path& file, const std::vector<GradedBattery>& graded) {
    std::ofstream out(file);
    if (!out) throw CommandFailure(kFailure, file.string() + ": cannot write");
    std::set<std::string> names;
    for (const auto& b : graded)
        for (const auto& s : b.grade.sub_scores) names.insert(s.name);
    out << "battery,vehicle,model,chemistry,model_year,age_years,soh_start,soh_end,expected_soh,calendar_"
           "fade,"
           "cycling_fade,efc,score,grade";
    for (const auto& n : names) out << ',' << n;
    out << '\n';
    for (const auto& b : graded) {
        const BatteryUsage& u = b.usage;
        out << u.battery << ',' << u.vehicle << ',' << u.model << ',' << u.chemistry << ',' << u.model_year
            << ',' << u.age_years << ',' << u.soh_start << ',' << u.soh_end << ',' << u.expected_soh << ','
            << u.calendar_fade << ',' << u.cycling_fade << ',' << u.efc << ',' << b.grade.score << ','
            << b.grade.grade;
        for (const auto& n : names) {
            out << ',';
            for (const auto& s : b.grade.sub_scores)
                if (s.name == n) out << s.score;
        }
        out << '\n';
    }
}

}  // namespace

int battery_report_command(const std::vector<std::string>& argv) {
    const Args args = parse_args(argv, {{"--run", "--telemetry", "--csv"}, {"--details", "--help"}, {}});
    if (args.flag("--help")) {
        std::fputs(kBatteryReportHelp, stdout);
        return kOk;
    }
    if (args.positionals.size() != 1) throw UsageError("expects one results database, RUN.db");
    const auto asked = static_cast<RunId>(
        whole_number_option(args, "--run", 0, 1, std::numeric_limits<std::int64_t>::max()));
    RunId run = 0;
    std::vector<GradedBattery> graded;
    try {
        const RunReader reader(args.positionals[0]);
        run = asked != 0 ? asked : reader.latest_run();
        std::map<std::string, VehicleTelemetry> telemetry;
        if (const auto file = args.value("--telemetry"))
            telemetry = telemetry_for(*file, reader.battery_health(run));
        graded = grade_run_batteries(reader, run, telemetry);
    } catch (const ResultsError& e) {
        throw CommandFailure(kBadInput, e.what());
    } catch (const DataError& e) {
        throw CommandFailure(kBadInput, e.what());
    }
    std::map<char, int> grades;
    std::printf("%-24s %-28s %5s %7s %7s %8s %7s %7s %6s %6s %s\n", "battery", "model", "year", "SoH0 %",
                "SoH %", "expect %", "cal %", "cyc %", "EFC", "score", "grade");
    for (const GradedBattery& b : graded) {
        const BatteryUsage& u = b.usage;
        ++grades[b.grade.grade];
        std::printf("%-24s %-28.28s %5s %7s %7s %8s %7s %7s %6.1f %6.1f %c%s\n", u.battery.c_str(),
                    u.model.c_str(), u.model_year > 0 ? std::to_string(u.model_year).c_str() : "-",
                    percent(u.soh_start).c_str(), percent(u.soh_end).c_str(), percent(u.expected_soh).c_str(),
                    percent(u.calendar_fade).c_str(), percent(u.cycling_fade).c_str(), u.efc, b.grade.score,
                    b.grade.grade, b.with_telemetry ? " (telemetry)" : "");
        if (args.flag("--details")) {
            for (const SubScore& s : b.grade.sub_scores)
                std::printf("    %-17s %5.1f x %.2f  %s\n", s.name.c_str(), s.score, s.weight,
                            s.reason.c_str());
        }
    }
    std::printf("\n%zu batteries:", graded.size());
    for (char g : {'A', 'B', 'C', 'D'}) std::printf(" %c %d", g, grades[g]);
    std::printf("\n");
    if (const auto csv = args.value("--csv")) write_csv(*csv, graded);
    return kOk;
}

}  // namespace evtwin::cli
