// `evtwin ocpp validate` and `evtwin ocpp whatif` on the shared 14-day OCPP 1.6 log and
// scenarios/ocpp_kwwhat_site.lua: exit codes, the printed table, the stored tables.
#include "record/schema/sqlite_db.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace evtwin {
namespace {

using test::run_command;

std::string command(const std::string& verb, const std::string& extra) {
    return test::evtwin_binary().string() + " ocpp " + verb + " " +
           test::data_file("ocpp/logs/kwwhat_ocpp16_synthetic_14d.csv").string() + " --scenario " +
           test::source_file("scenarios/ocpp_kwwhat_site.lua").string() + " " + extra;
}

TEST(CliOcppValidate, TableStoredAndThresholdsDecideTheExitCode) {
    const auto dir = test::temp_dir("cli-ocpp-validate");
    const auto db = dir / "v.db";
    auto r = run_command(
        command("validate", "--db " + db.string() + " --max-energy-error-pct 0.1 --max-timing-error-s 60"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("39 sessions replayed"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("energy: logged 62.400 kWh, twin 62.400 kWh; 0 of 39"), std::string::npos)
        << r.output;
    {
        sqlite::Db d(db, sqlite::Db::Mode::read_write_create);
        EXPECT_EQ(d.query_int("SELECT count(*) FROM ocpp_validation_sessions"), 39);
        EXPECT_EQ(
            d.query_int(
                "SELECT count(*) FROM ocpp_validation_sessions WHERE abs(twin_kwh - logged_kwh) < 1e-5"),
            39);
        EXPECT_EQ(d.query_int("SELECT sessions - failed FROM ocpp_validation"), 39);
        EXPECT_EQ(d.query_int("SELECT count(*) FROM runs"), 1);
        EXPECT_EQ(d.query_int("SELECT count(*) FROM ocpp_imports"), 1);
    }
    // The log's power samples say 1 W while 1.6 kWh flow in 5 minutes: the power check fails.
    r = run_command(command("validate", "--db " + db.string() + " --max-power-mae-kw 5"));
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("39 of 39 sessions outside the thresholds"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("FAIL power"), std::string::npos) << r.output;
}

TEST(CliOcppValidate, BadInputIsReported) {
    const auto dir = test::temp_dir("cli-ocpp-validate-bad");
    const auto site = test::write_file(
        dir / "other.lua",
        R"(scenario { name = "o", timezone = "UTC", start = "2025-10-01", duration = days(1) }
grid { import_kw = 50 }
tariff { file = ")" +
            test::source_file("scenarios/tariffs").string() +
            R"(/kepco_ev_self_consumption.json", variant = "low_voltage" }
charger { name = "CH-001", max_kw = 22 }
)");
    const std::string log = test::data_file("ocpp/logs/kwwhat_ocpp16_synthetic_14d.csv").string();
    auto r = run_command(test::evtwin_binary().string() + " ocpp validate " + log + " --scenario " +
                         site.string() + " --db " + (dir / "x.db").string());
    EXPECT_EQ(r.exit_code, 3) << r.output;
    EXPECT_NE(r.output.find("other.lua: no charger 'CH-002' for the log's charge point CH-002"),
              std::string::npos)
        << r.output;
    r = run_command(command("validate", "--max-power-mae-kw lots"));
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("--max-power-mae-kw expects a number"), std::string::npos) << r.output;
    r = run_command(test::evtwin_binary().string() + " ocpp validate " + log);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("--scenario SITE.lua is required"), std::string::npos) << r.output;
    r = run_command(command("whatif", "--db " + (dir / "y.db").string()));
    EXPECT_EQ(r.exit_code, 2) << r.output;
    r = run_command(command("whatif", "--strategy no-such-strategy --db " + (dir / "y.db").string()));
    EXPECT_EQ(r.exit_code, 4) << r.output;
}

TEST(CliOcppWhatIf, SameDemandUnderAStrategyWithCostAndPeak) {
    const auto dir = test::temp_dir("cli-ocpp-whatif");
    const auto db = dir / "w.db";
    const auto r = run_command(command("whatif", "--strategy edf --db " + db.string()));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("peak import (kW)"), std::string::npos) << r.output;
    sqlite::Db d(db, sqlite::Db::Mode::read_write_create);
    // Same energy on both sides (grid side, the charger's losses included; the engine ends each
    // session within a millisecond of its energy) ...
    EXPECT_EQ(d.query_int("SELECT abs(logged_kwh - twin_kwh) < 1e-3 FROM ocpp_whatif"), 1);
    EXPECT_EQ(d.query_int("SELECT abs(logged_kwh - 62.4 / 0.97) < 1e-6 FROM ocpp_whatif"), 1);
    // ... but the log's meter shows 1.6 kWh within one minute (96 kW), which no 22 kW charger gives.
    EXPECT_EQ(d.query_int("SELECT logged_peak_kw > 90 AND twin_peak_kw <= 44 + 1e-9 FROM ocpp_whatif"), 1);
    EXPECT_EQ(d.query_int("SELECT strategy = 'edf' FROM ocpp_whatif"), 1);
}

// Two OCPP 2.1 stations' frames as `evtwin serve` logs them (the version on each line): CS21-A
// charges 6 kWh in an hour, CS21-B imports 3 kWh and exports 1 kWh in two hours (a V2G session).
std::string ocpp21_log() {
    std::string log;
    const auto line = [&](const std::string& cs, const std::string& at, const std::string& dir,
                          const std::string& frame) {
        log += R"({"cs":")" + cs + R"(","dir":")" + dir + R"(","frame":)" + frame +
               R"(,"ocpp":"2.1","ts":")" + at + "\"}\n";
    };
    const auto event = [&](const std::string& cs, const std::string& id, const std::string& type,
                           const std::string& at, int seq, double import_wh, double export_wh) {
        line(cs, at, "cs2csms",
             R"([2,")" + id + R"(","TransactionEvent",{"eventType":")" + type + R"(","timestamp":")" + at +
                 R"(","triggerReason":"MeterValuePeriodic","seqNo":)" + std::to_string(seq) +
                 R"(,"transactionInfo":{"transactionId":")" + cs +
                 R"(-TX"},"evse":{"id":1,"connectorId":1},)" +
                 (type == "Started" ? R"("idToken":{"idToken":")" + cs + R"(-EV","type":"ISO14443"},)" : "") +
                 R"("meterValue":[{"timestamp":")" + at + R"(","sampledValue":[{"value":)" +
                 std::to_string(import_wh) + R"(,"measurand":"Energy.Active.Import.Register"},{"value":)" +
                 std::to_string(export_wh) + R"(,"measurand":"Energy.Active.Export.Register"}]}]}])");
        line(cs, at, "csms2cs", R"([3,")" + id + R"(",{}])");
    };
    for (const std::string cs : {"CS21-A", "CS21-B"}) {
        line(
            cs, "2025-10-01T08:00:00.000Z", "cs2csms",
            R"([2,"b","BootNotification",{"chargingStation":{"model":"M","vendorName":"V"},"reason":"PowerUp"}])");
        line(cs, "2025-10-01T08:00:00.000Z", "csms2cs",
             R"([3,"b",{"currentTime":"2025-10-01T08:00:00.000Z","interval":300,"status":"Accepted"}])");
    }
    event("CS21-A", "a1", "Started", "2025-10-01T09:00:00.000Z", 0, 1000, 0);
    event("CS21-B", "b1", "Started", "2025-10-01T09:00:00.000Z", 0, 500, 200);
    event("CS21-A", "a2", "Updated", "2025-10-01T09:30:00.000Z", 1, 4000, 0);
    event("CS21-B", "b2", "Updated", "2025-10-01T10:00:00.000Z", 1, 3500, 200);
    event("CS21-A", "a3", "Ended", "2025-10-01T10:00:00.000Z", 2, 7000, 0);
    event("CS21-B", "b3", "Ended", "2025-10-01T11:00:00.000Z", 2, 3500, 1200);
    return log;
}

// The two stations' site, lossless chargers; CS21-B V2G-capable or not.
std::filesystem::path site21(const std::filesystem::path& dir, bool v2g) {
    return test::write_file(
        dir / "site21.lua",
        R"(scenario { name = "site21", timezone = "UTC", start = "2025-10-01", duration = days(1) }
grid { import_kw = 50, export_kw = 50 }
tariff { file = ")" +
            test::source_file("scenarios/tariffs").string() +
            R"(/kepco_ev_self_consumption.json", variant = "low_voltage" }
charger { name = "CS21-A", max_kw = 11, efficiency = 1.0 }
charger { name = "CS21-B", max_kw = 11, efficiency = 1.0, v2g = )" +
            (v2g ? "true" : "false") + " }\n");
}

TEST(CliOcppValidate, Ocpp21TrafficIsReadAs201s) {
    const auto dir = test::temp_dir("cli-ocpp-21");
    const auto log = test::write_file(dir / "live21.jsonl", ocpp21_log());
    const auto site = site21(dir, true);
    const std::string args = log.string() + " --scenario " + site.string();
    auto r = run_command(test::evtwin_binary().string() + " ocpp validate " + args + " --db " +
                         (dir / "v.db").string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("2 sessions replayed"), std::string::npos) << r.output;
    {
        sqlite::Db d(dir / "v.db", sqlite::Db::Mode::read_write_create);
        EXPECT_EQ(d.query_int("SELECT ocpp_version = '2.1' FROM ocpp_imports"), 1);
        EXPECT_EQ(d.query_int("SELECT invalid_frames FROM ocpp_imports"), 0);
        // Each station's import rise; the V2G session's export beside it, and the import net of it.
        EXPECT_EQ(d.query_int("SELECT round(1000 * energy_kwh) FROM ocpp_transactions WHERE cs = 'CS21-A'"),
                  6000);
        EXPECT_EQ(d.query_int("SELECT round(1000 * energy_kwh) FROM ocpp_transactions WHERE cs = 'CS21-B'"),
                  3000);
        EXPECT_EQ(d.query_int("SELECT round(1000 * exported_kwh) FROM ocpp_transactions WHERE cs = 'CS21-B'"),
                  1000);
        EXPECT_EQ(d.query_int("SELECT round(1000 * energy_kwh) FROM ocpp_imports"), 8000);
        EXPECT_EQ(d.query_int("SELECT count(*) FROM ocpp_validation_sessions"), 2);
        // The V2G session follows its meter: 3 kW for an hour, then 1 kW back for an hour, which
        // leaves it 2 kWh net, as logged; each register interval's average power is the log's.
        EXPECT_EQ(d.query_int("SELECT abs(logged_kwh - 2.0) < 1e-9 AND abs(twin_kwh - 2.0) < 1e-3 AND "
                              "register_points = 2 AND register_mae_kw < 1e-3 FROM ocpp_validation_sessions "
                              "WHERE cs = 'CS21-B'"),
                  1);
    }
    r = run_command(test::evtwin_binary().string() + " ocpp whatif " + args + " --strategy edf --db " +
                    (dir / "w.db").string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    sqlite::Db w(dir / "w.db", sqlite::Db::Mode::read_write_create);
    // The log's grid energy is net of the V2G session's export (9 kWh in, 1 kWh out); the twin's
    // vehicles ask what they left with, 6 and 2 kWh, which edf charges without discharging.
    EXPECT_EQ(
        w.query_int("SELECT abs(logged_kwh - 8.0) < 1e-6 AND abs(twin_kwh - 8.0) < 1e-3 FROM ocpp_whatif"),
        1);
}

TEST(CliOcppValidate, ADischargingTransactionNeedsAV2gCharger) {
    const auto dir = test::temp_dir("cli-ocpp-21-no-v2g");
    const auto log = test::write_file(dir / "live21.jsonl", ocpp21_log());
    const auto site = site21(dir, false);
    for (const std::string verb : {"validate", "whatif --strategy edf"}) {
        const auto r = run_command(test::evtwin_binary().string() + " ocpp " + verb + " " + log.string() +
                                   " --scenario " + site.string() + " --db " + (dir / "x.db").string());
        EXPECT_EQ(r.exit_code, 3) << verb << ": " << r.output;
        EXPECT_NE(r.output.find("site21.lua: charger 'CS21-B' is not V2G-capable, but the log's transaction "
                                "CS21-B-TX gave 1.000 kWh back through it (set v2g = true on the charger)"),
                  std::string::npos)
            << verb << ": " << r.output;
    }
}

}  // namespace
}  // namespace evtwin
