// Live mode end to end with real OCPP peers: `evtwin serve --strategy edf --clock fast:60` is the
// central system of a site whose feeder and grid connection cannot carry every vehicle at full
// power; ocpp-rpc charge points (tests/interop/live_fleet.mjs) in OCPP 1.6 and 2.0.1 play sessions
// against it. The profiles they receive must keep the site within its limits at every instant, the
// energies recorded must equal their meters, and frames the schemas refuse must get the CALLERROR
// the specification names. The same site survives a kill -9, and under security profile 2 lets in
// only charge points with TLS and their own password.
#include "interop/central_system_port.hpp"
#include "kpi/kpis.hpp"
#include "record/reader/run_reader.hpp"
#include "record/schema/sqlite_db.hpp"
#include "scenario/scenario_impl.hpp"
#include "support/test_support.hpp"

#include <evtwin/scenario.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>

namespace evtwin::test {
namespace {

using nlohmann::json;

constexpr double kGridKw = 30.0;
constexpr double kFeederKw = 18.0;  // CP-A's two chargers

std::string site_scenario() {
    return R"(
scenario { name = "live-interop", start = "2024-07-01T08:00", duration = hours(2), control_period = minutes(1) }
grid { import_kw = 30 }
local f = feeder { name = "F", limit_kw = 18 }
charger { name = "A1", parent = f, max_kw = 11, efficiency = 1.0 }
charger { name = "A2", parent = f, max_kw = 11, efficiency = 1.0 }
charger { name = "B1", max_kw = 11, efficiency = 1.0 }
charger { name = "B2", max_kw = 11, efficiency = 1.0 }
tariff { file = ")" +
           source_file("scenarios/tariffs/norway_household_flat_illustrative.json").string() + R"(" }
live { charge_points = { ["CP-A"] = { "A1", "A2" }, ["CS-B"] = { "B1", "B2" } }, stay = hours(1), energy_kwh = 10 }
)";
}

// The live run's KPIs, stored at its end from what it recorded as it went, are those computed from
// its rows in the file afterwards, to the last bit.
void expect_kpis_of_its_rows(const std::filesystem::path& db, const std::filesystem::path& site) {
    const RunReader reader(db);
    const RunId run = reader.latest_run();
    const ScenarioSpec spec = Scenario::load(site).impl().loaded;
    std::map<std::string, double> stored;
    for (const Kpi& k : reader.kpis(run)) stored[k.name] = k.value;
    std::size_t compared = 0;
    for (const Kpi& k : compute_kpis(reader, run, *spec.tariff, spec.economics)) {
        if (!k.reproducible) continue;
        ASSERT_TRUE(stored.contains(k.name)) << k.name;
        if (std::isnan(k.value))
            EXPECT_TRUE(std::isnan(stored[k.name])) << k.name;
        else
            EXPECT_EQ(stored[k.name], k.value) << k.name;
        ++compared;
    }
    EXPECT_GT(compared, 20u);
    EXPECT_GT(stored.at("energy_delivered"), 1.0);
}

TEST(LiveCentralSystem, DrivesOcppRpcChargePointsWithinTheSiteLimits) {
    EVTWIN_REQUIRE_TOOL(have_program("node"),
                        "node is not installed: this test needs Node.js and ocpp-rpc (scripts/install-deps)");
    ASSERT_TRUE(std::filesystem::exists(source_file("tests/interop/node_modules/ocpp-rpc/package.json")))
        << "ocpp-rpc is not installed: run scripts/install-deps (npm ci --prefix tests/interop)";
    const auto dir = temp_dir("live_interop");
    const auto site = write_file(dir / "site.lua", site_scenario());
    const auto db = dir / "live.db";
    const Background server =
        start_background({evtwin_binary().string(), "serve", "--listen", "127.0.0.1:0", "--db", db.string(),
                          "--scenario", site.string(), "--strategy", "edf", "--clock", "fast:60",
                          "--access-log", (dir / "access.log").string()},
                         dir / "serve.txt");
    const int port = central_system_port(dir / "serve.txt");
    ASSERT_GT(port, 0) << read_file(dir / "serve.txt");

    const std::string token = read_file(db.string() + ".token");
    const auto fleet =
        run_command("LIVE_API_TOKEN=" + token.substr(0, token.find_last_not_of("\n") + 1) + " node " +
                    source_file("tests/interop/live_fleet.mjs").string() +
                    " ws://127.0.0.1:" + std::to_string(port) + "/ocpp 60 " + (dir / "fleet.json").string());
    ::kill(server.pid, SIGTERM);
    EXPECT_EQ(wait_for_exit(server), 0) << read_file(dir / "serve.txt");
    ASSERT_EQ(fleet.exit_code, 0) << fleet.output;
    const json played = json::parse(read_file(dir / "fleet.json"));

    // At every change the fleet saw (a profile, a vehicle's arrival, a meter reading), the limits in
    // force and the power drawn kept the grid connection and the feeder within their limits.
    const json& peaks = played["peaks"];
    EXPECT_LE(peaks["limit_site_kw"].get<double>(), kGridKw + 1e-6) << peaks.dump();
    EXPECT_LE(peaks["limit_feeder_kw"].get<double>(), kFeederKw + 1e-6) << peaks.dump();
    EXPECT_LE(peaks["power_site_kw"].get<double>(), kGridKw + 1e-6) << peaks.dump();
    EXPECT_LE(peaks["power_feeder_kw"].get<double>(), kFeederKw + 1e-6) << peaks.dump();
    EXPECT_GT(peaks["power_site_kw"].get<double>(), 0.8 * kGridKw) << peaks.dump();  // the site was used
    EXPECT_EQ(played["sessions"].size(), 4u);
    bool tx_profile = false, station_max = false;
    for (const json& p : played["profiles"]) {
        tx_profile = tx_profile || p["purpose"] == "TxProfile";
        station_max = station_max || p["purpose"] == "ChargePointMaxProfile" ||
                      p["purpose"] == "ChargingStationMaxProfile";
    }
    EXPECT_TRUE(tx_profile);
    EXPECT_TRUE(station_max);

    // The schemas' refusals, each with the code OCPP-J 2.0.1 names for it.
    const json& errors = played["callErrors"];
    EXPECT_EQ(errors.value("missing_field", ""), "OccurenceConstraintViolation") << errors.dump();
    EXPECT_EQ(errors.value("wrong_type", ""), "TypeConstraintViolation") << errors.dump();
    EXPECT_EQ(errors.value("bad_enum", ""), "PropertyConstraintViolation") << errors.dump();
    EXPECT_EQ(errors.value("unknown_action", ""), "NotImplemented") << errors.dump();
    // A driver's intent through the API reaches the open session the central system reported.
    const json& intent = played["intent"];
    ASSERT_TRUE(intent.is_object()) << played["failures"].dump();
    EXPECT_EQ(intent["status"], 200) << intent.dump();
    EXPECT_EQ(intent["answer"]["accepted"], true) << intent.dump();
    EXPECT_EQ(intent["requested_kwh"], 12.5) << intent.dump();

    // Past the schemas: a 1.6 meterStart of 10^19 Wh opens no transaction.
    EXPECT_EQ(errors.value("huge_meter_start", ""), "PropertyConstraintViolation") << errors.dump();

    // The run as recorded: the energy of every session equals its meter.
    sqlite::Db results(db, sqlite::Db::Mode::read_only);
    EXPECT_EQ(results.query_int("SELECT count(*) FROM runs WHERE status IN ('interrupted', 'complete')"), 1);
    EXPECT_GT(results.query_int("SELECT count(*) FROM decision_times"), 10);
    std::map<std::string, double> recorded_kwh;  // charger name -> kWh
    sqlite::Stmt s(results,
                   "SELECT c.charger_name, s.delivered_kwh FROM sessions s JOIN connectors c "
                   "ON c.run_id = s.run_id AND c.connector = s.connector");
    while (s.step()) recorded_kwh[s.text(0)] += s.real(1);
    const std::map<std::string, std::string> charger_of = {
        {"CP-A/1", "A1"}, {"CP-A/2", "A2"}, {"CS-B/1", "B1"}, {"CS-B/2", "B2"}};
    for (const json& session : played["sessions"]) {
        const std::string key =
            session["cs"].get<std::string>() + "/" + std::to_string(session["connector"].get<int>());
        const double metered =
            (session["meter_stop_wh"].get<double>() - session["meter_start_wh"].get<double>()) / 1000.0;
        EXPECT_GT(metered, 0.1) << key;
        EXPECT_NEAR(recorded_kwh[charger_of.at(key)], metered, 1e-9) << key;
    }
    // Every frame is in the run's database and in the log beside it, which the importer reads back.
    const std::string log = db.string() + ".ocpp.jsonl";
    const auto lines = std::count(std::istreambuf_iterator<char>(std::ifstream(log).rdbuf()), {}, '\n');
    EXPECT_GT(lines, 100);
    EXPECT_EQ(results.query_int("SELECT count(*) FROM ocpp_frames"), lines);
    const auto imported =
        run_command(evtwin_command() + " ocpp import " + log + " --db " + (dir / "import.db").string());
    EXPECT_EQ(imported.exit_code, 0) << imported.output;
    sqlite::Db import(dir / "import.db", sqlite::Db::Mode::read_only);
    EXPECT_EQ(import.query_int("SELECT count(*) FROM ocpp_transactions WHERE stop_ms IS NOT NULL"), 4);
    expect_kpis_of_its_rows(db, site);
    // At efficiency 1 with nothing else on the site, the grid gave what the meters counted: the rows
    // are the registers' rises, not the power samples held between them.
    const RunReader reader(db);
    std::map<std::string, double> kpis;
    for (const Kpi& k : reader.kpis(reader.latest_run())) kpis[k.name] = k.value;
    EXPECT_NEAR(kpis.at("grid_import"), kpis.at("energy_delivered"), 1e-9 * kpis.at("energy_delivered"));
}

// kill -9 in the middle of a transaction, then a restart on the same database: the run goes on, the
// charge point's resent StartTransaction gets the same answer, and the session's energy is whole.
TEST(LiveCentralSystem, GoesOnAfterAKill9) {
    EVTWIN_REQUIRE_TOOL(have_program("node"),
                        "node is not installed: this test needs Node.js and ocpp-rpc (scripts/install-deps)");
    ASSERT_TRUE(std::filesystem::exists(source_file("tests/interop/node_modules/ws/package.json")))
        << "ocpp-rpc is not installed: run scripts/install-deps (npm ci --prefix tests/interop)";
    const auto dir = temp_dir("live_restart");
    const auto site = write_file(dir / "site.lua", site_scenario());
    const auto db = dir / "live.db";
    auto serve = [&](const std::string& listen, const std::string& output) {
        return start_background({evtwin_binary().string(), "serve", "--listen", listen, "--db", db.string(),
                                 "--scenario", site.string(), "--strategy", "edf", "--clock", "fast:60",
                                 "--access-log", (dir / "access.log").string()},
                                dir / output);
    };
    const std::string player = "node " + source_file("tests/interop/live_restart.mjs").string() + " ";

    Background first = serve("127.0.0.1:0", "first.txt");
    const int port = central_system_port(dir / "first.txt");
    ASSERT_GT(port, 0) << read_file(dir / "first.txt");
    const std::string url = "ws://127.0.0.1:" + std::to_string(port) + "/ocpp";
    const auto before = run_command(player + url + " before " + (dir / "before.json").string());
    ASSERT_EQ(before.exit_code, 0) << before.output;
    // Everything the charge point was told is committed within a second.
    const bool committed = wait_until(
        [&] {
            sqlite::Db results(db, sqlite::Db::Mode::read_only);
            return results.query_int("SELECT count(*) FROM live_sessions WHERE register_kwh >= 1003.0") == 1;
        },
        std::chrono::seconds(10));
    ASSERT_TRUE(committed);
    ::kill(first.pid, SIGKILL);
    EXPECT_EQ(wait_for_exit(first), 128 + SIGKILL);

    Background second = serve("127.0.0.1:" + std::to_string(port), "second.txt");
    ASSERT_EQ(central_system_port(dir / "second.txt"), port) << read_file(dir / "second.txt");
    EXPECT_NE(read_file(dir / "second.txt").find("resumed"), std::string::npos)
        << read_file(dir / "second.txt");
    const auto after = run_command(player + url + " after " + (dir / "after.json").string() + " " +
                                   (dir / "before.json").string());
    ::kill(second.pid, SIGTERM);
    EXPECT_EQ(wait_for_exit(second), 0) << read_file(dir / "second.txt");
    ASSERT_EQ(after.exit_code, 0) << after.output;

    const json first_replies = json::parse(read_file(dir / "before.json"))["replies"];
    const json second_replies = json::parse(read_file(dir / "after.json"))["replies"];
    EXPECT_EQ(second_replies.value("start-1", "?"), first_replies.value("start-1", "!"));
    sqlite::Db results(db, sqlite::Db::Mode::read_only);
    EXPECT_EQ(results.query_int("SELECT count(*) FROM runs"), 1);
    EXPECT_EQ(results.query_int(
                  "SELECT count(*) FROM events WHERE kind = 'run_start' AND detail = 'live, resumed'"),
              1);
    EXPECT_EQ(results.query_int("SELECT count(*) FROM sessions"), 1);
    sqlite::Stmt s(results, "SELECT delivered_kwh, departed FROM sessions");
    ASSERT_TRUE(s.step());
    EXPECT_NEAR(s.real(0), 7.0, 1e-9);  // 1,007,000 − 1,000,000 Wh
    EXPECT_EQ(s.int64(1), 1);
    EXPECT_EQ(results.query_int("SELECT count(*) FROM live_sessions"), 0);
    // The KPIs span the run before the kill and after the restart.
    expect_kpis_of_its_rows(db, site);
}

// OCPP security profile 2: TLS with a certificate the test makes, and each charge point's password
// (HTTP Basic) from a passwords file written by `evtwin serve add-charge-point`. Charge points with
// their own password boot in 1.6 and 2.0.1; a wrong password, another charge point's, none, or a
// plain connection is refused before any OCPP frame.
TEST(LiveCentralSystem, SecurityProfile2RefusesWhatIsNotTlsWithTheChargePointsPassword) {
    EVTWIN_REQUIRE_TOOL(have_program("node"),
                        "node is not installed: this test needs Node.js and ocpp-rpc (scripts/install-deps)");
    EVTWIN_REQUIRE_TOOL(have_program("openssl"), "openssl is not installed (scripts/install-deps)");
    ASSERT_TRUE(std::filesystem::exists(source_file("tests/interop/node_modules/ocpp-rpc/package.json")))
        << "ocpp-rpc is not installed: run scripts/install-deps (npm ci --prefix tests/interop)";
    const auto dir = temp_dir("live_security");
    const auto site = write_file(dir / "site.lua", site_scenario());
    const std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
    const auto made = run_command(
        "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost "
        "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -days 1 -keyout " +
        key + " -out " + cert);
    ASSERT_EQ(made.exit_code, 0) << made.output;
    const std::string passwords = (dir / "passwords").string();
    const std::map<std::string, std::string> password_of = {{"CP-A", "correct horse battery"},
                                                            {"CS-B", "staple of the station"}};
    for (const auto& [id, password] : password_of) {
        const auto added = run_command("printf '" + password + "\\n' | " + evtwin_command() +
                                       " serve add-charge-point --passwords " + passwords + " --id " + id);
        ASSERT_EQ(added.exit_code, 0) << added.output;
    }
    const auto db = dir / "live.db";
    std::vector<std::string> command = {evtwin_binary().string(), "serve", "--listen", "127.0.0.1:0"};
    command.insert(command.end(), {"--db", db.string(), "--scenario", site.string(), "--strategy", "edf"});
    command.insert(command.end(), {"--tls-cert", cert, "--tls-key", key, "--passwords", passwords});
    const Background server = start_background(command, dir / "serve.txt");
    const int port = central_system_port(dir / "serve.txt");
    ASSERT_GT(port, 0) << read_file(dir / "serve.txt");

    const auto played =
        run_command("node " + source_file("tests/interop/live_security.mjs").string() +
                    " localhost:" + std::to_string(port) + " " + cert + " '" + password_of.at("CP-A") +
                    "' '" + password_of.at("CS-B") + "' " + (dir / "tries.json").string());
    ::kill(server.pid, SIGTERM);
    EXPECT_EQ(wait_for_exit(server), 0) << read_file(dir / "serve.txt");
    ASSERT_EQ(played.exit_code, 0) << played.output;
    const json tries = json::parse(read_file(dir / "tries.json"));

    for (const char* accepted : {"cp_a_right_password", "cs_b_right_password"}) {
        EXPECT_TRUE(tries[accepted]["connected"].get<bool>()) << tries[accepted].dump();
        EXPECT_EQ(tries[accepted].value("boot", ""), "Accepted") << tries[accepted].dump();
    }
    EXPECT_EQ(tries["cp_a_right_password"].value("protocol", ""), "ocpp1.6");
    EXPECT_EQ(tries["cs_b_right_password"].value("protocol", ""), "ocpp2.0.1");
    for (const char* refused : {"cp_a_wrong_password", "cs_b_password_of_cp_a", "cp_a_no_password"}) {
        EXPECT_FALSE(tries[refused]["connected"].get<bool>()) << tries[refused].dump();
        EXPECT_EQ(tries[refused]["status"], 401) << tries[refused].dump();
    }
    EXPECT_FALSE(tries["cp_a_plain_websocket"]["connected"].get<bool>())
        << tries["cp_a_plain_websocket"].dump();

    // Only the two accepted charge points reached the central system: their boots are the only frames
    // recorded from a charge point.
    sqlite::Db results(db, sqlite::Db::Mode::read_only);
    EXPECT_EQ(results.query_int("SELECT count(*) FROM ocpp_frames WHERE action = 'BootNotification' AND "
                                "message_type = 2"),
              2);
}

}  // namespace
}  // namespace evtwin::test
