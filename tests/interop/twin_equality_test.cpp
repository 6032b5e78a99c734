// One twin: a strategy gets the same Observations and makes the same decisions whether evtwin
// simulates a site or runs it live as its OCPP central system.
//
// The site is tests/interop/twin_site.lua (two charge points of two chargers, a feeder limit that
// binds, a V2G charger and vehicle, a stationary battery, five sessions over three hours, 5-minute
// control periods). Each case runs it under one strategy with `evtwin run --observation-log`, takes
// the sessions the run recorded (arrival, departure, declared departure, energy, SoC, battery,
// charger, vehicle), and plays them with tests/interop/play_run.mjs (ocpp-rpc, OCPP 2.0.1) against
// `evtwin serve --clock step --observation-log` on the same scenario and strategy, stepping the
// server's clock through the simulated run's instants. The two logs are matched decision by
// decision (tests/interop/twin_compare.hpp) and every field compared with the tolerances below. The
// strategies: edf, mpc, and v2g_profit_max, whose prices and economics (twin_site.lua) make
// discharge a loss, so that it never discharges (a discharge would become zero in OCPP 1.6 and
// 2.0.1; the test checks that the simulated run has none).
#include "interop/central_system_port.hpp"
#include "interop/twin_compare.hpp"
#include "record/schema/sqlite_db.hpp"
#include "scenario/scenario_impl.hpp"
#include "support/test_support.hpp"

#include <evtwin/scenario.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>

namespace evtwin::test {
namespace {

using nlohmann::json;

// Tolerances. Both runs decide at the same instants on the same state: the live clock is stepped from
// instant to instant of the simulated run and every vehicle is metered, unrounded, at each. What
// remains is arithmetic: energies integrated in another order, and limits that go out in tenths of a
// watt (rounded down): over the three hours, well under 1 Wh.
Tolerances tolerances() {
    Tolerances t;
    t.energy_kwh = 0.001;
    t.site_energy_kwh = 0.001;
    t.demand_kw = 0.004;   // 1 Wh in a 15-minute interval
    t.soc = 0.001 / 20.0;  // 1 Wh in the smallest battery
    t.power_kw = 0.001;
    t.cost_relative = 1e-6;
    t.cost_abs = 1e-4;
    return t;
}

// The server's exit code once it ends by itself within `limit` (at the scenario's end on the live
// clock); stopped with SIGTERM otherwise, and -1.
int exit_within(const Background& server, std::chrono::milliseconds limit) {
    int status = 0;
    const bool ended =
        wait_until([&] { return ::waitpid(server.pid, &status, WNOHANG) == server.pid; }, limit);
    if (ended) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    ::kill(server.pid, SIGTERM);
    wait_for_exit(server);
    return -1;
}

// The sessions of the simulated run's results, as play_run.mjs plays them: each at the charge point
// and EVSE of its charger in the scenario's live {} block, its vehicle's id as the idTag.
json play_plan(const ScenarioSpec& spec, const std::filesystem::path& db) {
    std::map<std::string, std::pair<std::string, int>> evse_of;  // charger -> (charge point, EVSE)
    json charge_points = json::object();
    for (const LiveChargePoint& cp : spec.live.charge_points) {
        for (std::size_t k = 0; k < cp.chargers.size(); ++k)
            evse_of[spec.chargers[cp.chargers[k]].name] = {cp.id, static_cast<int>(k + 1)};
        charge_points[cp.id] = cp.chargers.size();
    }
    json sessions = json::array();
    sqlite::Db results(db, sqlite::Db::Mode::read_only);
    sqlite::Stmt s(
        results,
        "SELECT s.session, c.charger_name, s.arrival_ms, s.departure_ms, s.declared_departure_ms, "
        "s.requested_kwh, s.initial_soc, s.capacity_kwh, s.vehicle_id FROM sessions s JOIN connectors c "
        "ON c.run_id = s.run_id AND c.connector = s.connector ORDER BY s.session");
    while (s.step()) {
        const auto id = static_cast<std::size_t>(s.int64(0));
        const auto [cp, evse] = evse_of.at(s.text(1));
        const SessionSpec& spec_session = spec.sessions.at(id);
        const auto charger = std::find_if(spec.chargers.begin(), spec.chargers.end(),
                                          [&](const ChargerSpec& c) { return c.name == s.text(1); });
        sessions.push_back({{"session", id},
                            {"charge_point", cp},
                            {"evse", evse},
                            {"id_tag", s.text(8)},
                            {"arrival_ms", s.int64(2)},
                            {"departure_ms", s.int64(3)},
                            {"declared_departure_ms", s.int64(4)},
                            {"requested_kwh", s.real(5)},
                            {"initial_soc", s.real(6)},
                            {"capacity_kwh", s.real(7)},
                            {"vehicle_kw", std::min(spec_session.vehicle.max_ac_kw, charger->max_kw)}});
    }
    return {{"run_start_ms", spec.start.ms()},
            {"run_end_ms", spec.end.ms()},
            {"period_ms", spec.control_period.ms()},
            {"charge_points", charge_points},
            {"sessions", sessions}};
}

std::string report_lines(const std::vector<std::string>& list) {
    std::string out;
    for (const std::string& l : list) out += "  " + l + "\n";
    return out;
}

void expect_one_twin(const std::string& strategy) {
    EVTWIN_REQUIRE_TOOL(have_program("node"),
                        "node is not installed: this test needs Node.js and ocpp-rpc (scripts/install-deps)");
    ASSERT_TRUE(std::filesystem::exists(source_file("tests/interop/node_modules/ocpp-rpc/package.json")))
        << "ocpp-rpc is not installed: run scripts/install-deps (npm ci --prefix tests/interop)";
    const auto dir = temp_dir("twin_" + strategy);
    const auto site = source_file("tests/interop/twin_site.lua");
    const ScenarioSpec spec = Scenario::load(site).impl().loaded;

    const auto simulated = run_command(evtwin_command() + " run " + site.string() + " --strategy " +
                                       strategy + " --db " + (dir / "sim.db").string() +
                                       " --observation-log " + (dir / "sim.jsonl").string() + " --quiet");
    ASSERT_EQ(simulated.exit_code, 0) << simulated.output;
    const json plan = play_plan(spec, dir / "sim.db");
    ASSERT_EQ(plan["sessions"].size(), spec.sessions.size());
    write_file(dir / "plan.json", plan.dump(1));

    const Background server = start_background(
        {evtwin_binary().string(), "serve", "--listen", "127.0.0.1:0", "--db", (dir / "live.db").string(),
         "--scenario", site.string(), "--strategy", strategy, "--clock", "step", "--observation-log",
         (dir / "live.jsonl").string(), "--access-log", (dir / "access.log").string()},
        dir / "serve.txt");
    const int port = central_system_port(dir / "serve.txt");
    ASSERT_GT(port, 0) << read_file(dir / "serve.txt");
    const auto played =
        run_command("node " + source_file("tests/interop/play_run.mjs").string() +
                    " http://127.0.0.1:" + std::to_string(port) + " " + (dir / "live.db.token").string() +
                    " " + (dir / "plan.json").string() + " " + (dir / "played.json").string());
    // The last step moves the clock to the scenario's end, where the server stops by itself.
    EXPECT_EQ(exit_within(server, std::chrono::seconds(20)), 0) << read_file(dir / "serve.txt");
    ASSERT_EQ(played.exit_code, 0) << played.output;

    // The same strategy with the same options in both runs, as their results record them.
    auto recorded_options = [](const std::filesystem::path& db) {
        sqlite::Db results(db, sqlite::Db::Mode::read_only);
        sqlite::Stmt s(results, "SELECT strategy_name || ' ' || strategy_options FROM runs");
        return s.step() ? s.text(0) : std::string("(no run)");
    };
    EXPECT_EQ(recorded_options(dir / "live.db"), recorded_options(dir / "sim.db"));

    const auto sim_log = read_observation_log(dir / "sim.jsonl");
    const auto live_log = read_observation_log(dir / "live.jsonl");
    ASSERT_GT(sim_log.size(), 36u);  // every boundary and every arrival and departure
    if (strategy == "v2g_profit_max") {
        // The premise of comparing it over the whole run: it never discharges a vehicle.
        for (const LoggedDecision& d : sim_log)
            for (const json& kw : d.decision["connector_kw"])
                ASSERT_GE(kw.get<double>(), 0.0)
                    << "discharge at " << d.t_ms << ": the prices no longer make it a loss";
    }

    const TwinComparison result =
        compare_twins(sim_log, live_log, tolerances(), spec.start.ms(), spec.end.ms());
    std::cout << strategy << ": " << result.simulated << " simulated decisions, " << result.live << " live, "
              << result.matched << " matched\n";
    EXPECT_EQ(result.matched, result.simulated) << report_lines(result.unmatched);
    EXPECT_TRUE(result.unmatched.empty()) << report_lines(result.unmatched);
    const auto differing = result.differing_fields();
    EXPECT_TRUE(differing.empty()) << strategy << ": " << differing.size()
                                   << " fields differ between the simulated and the live run:\n"
                                   << report_lines(differing);
    // Every kind of field was compared.
    for (const char* field :
         {"observation.sessions[].delivered_kwh", "observation.sessions[].expected_departure_ms",
          "observation.sessions[].min_soc", "observation.sessions[].wear.per_kwh", "observation.ess[].soc",
          "observation.connectors[].state", "observation.forecast.import_price", "observation.demand.peak_kw",
          "observation.upcoming.count"})
        EXPECT_GT(result.fields.count(field) ? result.fields.at(field).compared : 0u, 0u) << field;
    for (const char* field : {"decision.connector_kw[]", "decision.ess_kw[]", "decision.expected_cost"})
        EXPECT_GT(result.fields.count(field) ? result.fields.at(field).compared : 0u, 0u) << field;
}

TEST(TwinEquality, EdfSeesAndDecidesTheSameLiveAsSimulated) {
    expect_one_twin("edf");
}

TEST(TwinEquality, MpcSeesAndDecidesTheSameLiveAsSimulated) {
    expect_one_twin("mpc");
}

TEST(TwinEquality, V2gProfitMaxSeesAndDecidesTheSameLiveAsSimulated) {
    expect_one_twin("v2g_profit_max");
}

}  // namespace
}  // namespace evtwin::test
