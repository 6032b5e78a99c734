// OCPP 2.1 V2X end to end with a real peer: `evtwin serve --strategy v2g_profit_max --clock fast:60`
// drives two ocpp-rpc 2.1 charging stations (tests/interop/live_v2x.mjs, strict mode with the
// official 2.1 schemas) whose bidirectional vehicles declare ISO 15118-20 needs, on a site where
// discharging pays and whose grid connection exports at most 10 kW. The stations must be told to
// discharge through CentralSetpoint profiles within that limit, and the run must record the energy
// their meters counted.
#include "interop/central_system_port.hpp"
#include "record/schema/sqlite_db.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>

namespace evtwin::test {
namespace {

using nlohmann::json;

constexpr double kExportKw = 10.0;

// Energy at 0.60 EUR/kWh for the first two hours and 0.05 after, exported at the same price;
// drivers neither pay nor are paid and wear costs nothing, so the optimiser sells now and buys back.
std::string v2x_site(const std::filesystem::path& dir) {
    const auto tariff = write_file(dir / "tariff.json", R"({
  "format": "evtwin-tariff", "version": 1, "name": "dear now, cheap later", "currency": "EUR",
  "timezone": "UTC", "seasons": {"year": [[1, 12]]},
  "eras": [{"name": "all", "bands": {"all": {"all": [
    {"hours": "00-02", "band": "high"}, {"hours": "02-24", "band": "low"}]}}}],
  "prices": {"all": {"high": 0.60, "low": 0.05}}
})");
    return R"(
scenario { name = "live-v2x", timezone = "UTC", start = "2024-07-01", duration = hours(4),
           control_period = minutes(1), forecast_horizon = hours(8) }
grid { import_kw = 20, export_kw = 10 }
charger { name = "A", max_kw = 11, efficiency = 1.0, v2g = true }
charger { name = "B", max_kw = 11, efficiency = 1.0, v2g = true }
tariff { file = ")" +
           tariff.string() +
           R"(", export_factor = 1 }
economics { charging_price_per_kwh = 0, v2g_price_factor = 0, ev_degradation_per_kwh = 0 }
battery { ev_cost_per_kwh = 0 }
live { charge_points = { ["CP-A"] = "A", ["CP-B"] = "B" }, unit = "W", energy_kwh = 10, stay = hours(5),
       soc = 0.5, capacity_kwh = 60 }
)";
}

TEST(LiveV2x, OcppRpc21StationsDischargeThroughCentralSetpointsWithinTheExportLimit) {
    EVTWIN_REQUIRE_TOOL(have_program("node"),
                        "node is not installed: this test needs Node.js and ocpp-rpc (scripts/install-deps)");
    ASSERT_TRUE(std::filesystem::exists(source_file("tests/interop/node_modules/ocpp-rpc/package.json")))
        << "ocpp-rpc is not installed: run scripts/install-deps (npm ci --prefix tests/interop)";
    const auto dir = temp_dir("live_v2x");
    const auto site = write_file(dir / "site.lua", v2x_site(dir));
    const auto db = dir / "live.db";
    const Background server =
        start_background({evtwin_binary().string(), "serve", "--listen", "127.0.0.1:0", "--db", db.string(),
                          "--scenario", site.string(), "--strategy", "v2g_profit_max", "--clock", "fast:60"},
                         dir / "serve.txt");
    const int port = central_system_port(dir / "serve.txt");
    ASSERT_GT(port, 0) << read_file(dir / "serve.txt");
    const auto stations =
        run_command("node " + source_file("tests/interop/live_v2x.mjs").string() +
                    " ws://127.0.0.1:" + std::to_string(port) + "/ocpp " +
                    data_file("ocpp/schemas/v21").string() + " 6 " + (dir / "v2x.json").string());
    ::kill(server.pid, SIGTERM);
    EXPECT_EQ(wait_for_exit(server), 0) << read_file(dir / "serve.txt");
    ASSERT_EQ(stations.exit_code, 0) << stations.output;
    const json played = json::parse(read_file(dir / "v2x.json"));
    EXPECT_TRUE(played["failures"].empty()) << played["failures"].dump();

    // Both discharged on CentralSetpoint profiles, together never beyond the export limit.
    EXPECT_LE(played["peaks"]["export_w"].get<double>(), kExportKw * 1000 + 1e-6) << played["peaks"].dump();
    EXPECT_GT(played["peaks"]["export_w"].get<double>(), 0.9 * kExportKw * 1000) << played["peaks"].dump();
    EXPECT_EQ(played["peaks"]["import_w"].get<double>(), 0.0) << played["peaks"].dump();
    std::map<std::string, double> metered_kwh;   // charge point -> import minus export
    std::map<std::string, double> exported_kwh;  // charge point -> export
    for (const json& s : played["stations"]) {
        bool setpoint = false;
        for (const json& p : s["profiles"])
            if (p["purpose"] == "TxProfile" && p.value("operationMode", "") == "CentralSetpoint") {
                EXPECT_LT(p["setpoint"].get<double>(), 0.0) << p.dump();
                EXPECT_EQ(p["dischargeLimit"], p["setpoint"]) << p.dump();
                setpoint = true;
            }
        EXPECT_TRUE(setpoint) << s.dump();
        EXPECT_GT(s["export_wh"].get<double>(), 0.0) << s.dump();
        metered_kwh[s["id"]] = (s["import_wh"].get<double>() - s["export_wh"].get<double>()) / 1000.0;
        exported_kwh[s["id"]] = s["export_wh"].get<double>() / 1000.0;
    }

    // The run recorded each session's energy as its meter counted it: given back, negative.
    sqlite::Db results(db, sqlite::Db::Mode::read_only);
    sqlite::Stmt s(
        results,
        "SELECT c.charger_name, s.delivered_kwh, s.discharged_kwh FROM sessions s JOIN connectors c "
        "ON c.run_id = s.run_id AND c.connector = s.connector");
    const std::map<std::string, std::string> station_of = {{"A", "CP-A"}, {"B", "CP-B"}};
    std::size_t sessions = 0;
    while (s.step()) {
        ++sessions;
        const std::string station = station_of.at(s.text(0));
        EXPECT_NEAR(s.real(1), metered_kwh[station], 1e-9) << station;
        EXPECT_LT(s.real(1), 0.0) << station;
        EXPECT_NEAR(s.real(2), exported_kwh[station], 1e-9) << station;
    }
    EXPECT_EQ(sessions, 2u);
    EXPECT_EQ(results.query_int("SELECT count(*) FROM violations WHERE kind = 'discharge_unsupported'"), 0);
}

}  // namespace
}  // namespace evtwin::test
