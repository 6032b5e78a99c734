// Scripted events during a run (at, every, on): `evtwin run` on small scenarios whose hooks fault
// and repair chargers, lower a transformer's limit, spike the price and log; every effect is
// checked from the results database.
#include "core/simulator.hpp"
#include "golden/invariants.hpp"
#include "kpi/kpis.hpp"
#include "model/local_time.hpp"
#include "record/reader/run_reader.hpp"
#include "record/writer/sqlite_run_writer.hpp"
#include "scenario/scenario_loader.hpp"
#include "support/test_support.hpp"

#include "host/plugin_loader.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace evtwin {
namespace {

// Two 11 kW chargers under a 100 kW transformer, two cars from 08:00 to 18:00 wanting 60 kWh each
// (about 5.6 h at 11 kW), on hourly Dutch day-ahead prices. `hooks` is appended.
std::string scenario_with(const std::string& hooks) {
    return R"(scenario { name = "hooks", timezone = "Europe/Amsterdam", start = "2016-03-07", duration = days(1), seed = 3 }
grid { import_kw = 200 }
local t1 = transformer { name = "T1", limit_kw = 100 }
charger { name = "CP01", parent = t1, max_kw = 11 }
charger { name = "CP02", parent = t1, max_kw = 11 }
tariff { prices_csv = data("prices/nl_day_ahead_2016.csv"), price_scale = 0.001 }
for _, cp in ipairs({ "CP01", "CP02" }) do
  session { arrival = "2016-03-07T08:00", departure = "2016-03-07T18:00", requested_kwh = 60,
            capacity_kwh = 80, initial_soc = 0.1, station = cp }
end
)" + hooks;
}

struct HookRun {
    std::filesystem::path scenario;
    std::filesystem::path db;
    test::CommandResult result;
};

HookRun run(const std::string& name, const std::string& hooks,
            const std::string& extra = "--strategy uncontrolled", const std::string& db_name = "") {
    static const std::filesystem::path dir = test::temp_dir("hooks");
    HookRun r;
    r.scenario = test::write_file(dir / (name + ".lua"), scenario_with(hooks));
    r.db = dir / ((db_name.empty() ? name : db_name) + ".db");
    std::filesystem::remove(r.db);
    r.result = test::run_command(test::evtwin_binary().string() + " run " + r.scenario.string() + " --db " +
                                 r.db.string() + " " + extra);
    return r;
}

Time at(const char* local) {
    return parse_time(local, TimeZone("Europe/Amsterdam"));
}

std::vector<EventRow> events_of(const RunReader& reader, EventKind kind) {
    std::vector<EventRow> out;
    for (const EventRow& e : reader.events(reader.latest_run()))
        if (e.kind == kind) out.push_back(e);
    return out;
}

double kpi(const RunReader& reader, const std::string& name) {
    for (const Kpi& k : reader.kpis(reader.latest_run()))
        if (k.name == name) return k.value;
    ADD_FAILURE() << "no KPI " << name;
    return NAN;
}

// Energy (kWh) the connector drew from the grid in [from, to), from its stored series.
double connector_kwh(const RunReader& reader, ConnectorIndex c, Time from, Time to) {
    const auto rows = reader.connector_series(reader.latest_run(), c);
    double kwh = 0.0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const Time a = std::max(rows[i].t, from);
        const Time b = std::min(i + 1 < rows.size() ? rows[i + 1].t : to, to);
        if (b > a) kwh += rows[i].grid_kw * (b - a).hours_f();
    }
    return kwh;
}

void expect_invariants(const RunReader& reader) {
    const RunId id = reader.latest_run();
    test::expect_session_energy_matches_series(reader, id);
    test::expect_soc_within_bounds(reader, id);
}

TEST(Hooks, FaultStopsAndRepairResumesCharging) {
    const HookRun r = run("fault", R"(
at("2016-03-07T10:00", function(site) site.fault("CP01") end)
at("2016-03-07T12:00", function(site) site:repair("CP01") end)
)");
    ASSERT_EQ(r.result.exit_code, 0) << r.result.output;
    const RunReader reader(r.db);
    expect_invariants(reader);
    EXPECT_TRUE(reader.violations(reader.latest_run()).empty())
        << "the strategy saw the fault and asked nothing there";

    // CP01's connector (0): charging before 10:00, state F and no power from 10:00 to 12:00, charging again.
    for (const ConnectorRow& row : reader.connector_series(reader.latest_run(), 0)) {
        if (row.t >= at("2016-03-07T10:00") && row.t < at("2016-03-07T12:00")) {
            EXPECT_EQ(row.state, PilotState::F) << format_utc(row.t);
            EXPECT_EQ(row.grid_kw, 0.0) << format_utc(row.t);
        }
    }
    EXPECT_NEAR(connector_kwh(reader, 0, at("2016-03-07T08:00"), at("2016-03-07T10:00")), 22.0, 1e-9);
    EXPECT_EQ(connector_kwh(reader, 0, at("2016-03-07T10:00"), at("2016-03-07T12:00")), 0.0);
    EXPECT_NEAR(connector_kwh(reader, 0, at("2016-03-07T12:00"), at("2016-03-07T13:00")), 11.0, 1e-9);
    // CP02 is not affected.
    EXPECT_NEAR(connector_kwh(reader, 1, at("2016-03-07T10:00"), at("2016-03-07T12:00")), 22.0, 1e-9);
    // Both sessions are still served in full: the fault only delayed CP01's.
    for (const SessionRecord& s : reader.sessions(reader.latest_run()))
        EXPECT_NEAR(s.delivered_kwh, 60.0, 1e-4);

    const auto faults = events_of(reader, EventKind::fault);
    const auto repairs = events_of(reader, EventKind::repair);
    ASSERT_EQ(faults.size(), 1u);
    ASSERT_EQ(repairs.size(), 1u);
    EXPECT_EQ(faults[0].t, at("2016-03-07T10:00"));
    EXPECT_EQ(faults[0].detail, "CP01");
    EXPECT_EQ(repairs[0].t, at("2016-03-07T12:00"));
}

TEST(Hooks, ArrivalsSkipAFaultedCharger) {
    // CP01 faults before the cars come: the car for CP01 takes CP02, the other finds no free connector.
    const HookRun r = run("fault_arrival", R"(
at("2016-03-07T07:00", function(site) site.fault("CP01") end)
)");
    ASSERT_EQ(r.result.exit_code, 0) << r.result.output;
    const RunReader reader(r.db);
    EXPECT_EQ(events_of(reader, EventKind::arrival).size(), 1u);
    EXPECT_EQ(events_of(reader, EventKind::rejected).size(), 1u);
    for (const EventRow& e : events_of(reader, EventKind::arrival)) EXPECT_EQ(e.connector, 1u);
}

TEST(Hooks, DemandResponseLowersTheLimitForTwoHoursAndEdfRespectsIt) {
    const HookRun r = run("demand_response", R"(
at("2016-03-07T09:00", function(site)
  site.demand_response { node = "T1", limit_kw = 12, duration = hours(2) }
end)
)",
                          "--strategy edf");
    ASSERT_EQ(r.result.exit_code, 0) << r.result.output;
    const RunReader reader(r.db);
    expect_invariants(reader);
    EXPECT_TRUE(reader.violations(reader.latest_run()).empty()) << "edf sees the lowered limit";

    // The transformer's flow, recomputed from the connector series at every stored instant.
    const RunId id = reader.latest_run();
    const auto c0 = reader.connector_series(id, 0);
    const auto c1 = reader.connector_series(id, 1);
    const auto value_at = [](const std::vector<ConnectorRow>& rows, Time t) {
        double kw = 0.0;
        for (const auto& row : rows)
            if (row.t <= t) kw = row.grid_kw;
        return kw;
    };
    std::vector<Time> instants;
    for (const auto& row : c0) instants.push_back(row.t);
    for (const auto& row : c1) instants.push_back(row.t);
    bool saw_lowered = false;
    for (Time t : instants) {
        const double flow = value_at(c0, t) + value_at(c1, t);
        const bool lowered = t >= at("2016-03-07T09:00") && t < at("2016-03-07T11:00");
        EXPECT_LE(flow, (lowered ? 12.0 : 100.0) + 1e-6) << format_utc(t);
        saw_lowered |= lowered;
    }
    EXPECT_TRUE(saw_lowered);
    // 12 kW for the two hours, then the full 22 kW again.
    EXPECT_NEAR(connector_kwh(reader, 0, at("2016-03-07T09:00"), at("2016-03-07T11:00")) +
                    connector_kwh(reader, 1, at("2016-03-07T09:00"), at("2016-03-07T11:00")),
                24.0, 1e-6);
    EXPECT_NEAR(connector_kwh(reader, 0, at("2016-03-07T11:00"), at("2016-03-07T12:00")) +
                    connector_kwh(reader, 1, at("2016-03-07T11:00"), at("2016-03-07T12:00")),
                22.0, 1e-6);
    const auto changes = events_of(reader, EventKind::limit_change);
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[0].t, at("2016-03-07T09:00"));
    EXPECT_NE(changes[0].detail.find("T1 import 12 kW"), std::string::npos) << changes[0].detail;
    EXPECT_EQ(changes[1].t, at("2016-03-07T11:00"));
    EXPECT_NE(changes[1].detail.find("T1 import 100 kW"), std::string::npos) << changes[1].detail;
}

TEST(Hooks, PriceSpikeAddsSpikedEnergyTimesFactorMinusOneTimesPrice) {
    const std::string spike = R"(
if param("spike", false) then
  at("2016-03-07T09:00", function(site) site.price_spike { factor = 5, duration = hours(1) } end)
end
)";
    const HookRun plain = run("spike_off", spike);
    const HookRun spiked = run("spike_on", spike, "--strategy uncontrolled -D spike=true");
    ASSERT_EQ(plain.result.exit_code, 0) << plain.result.output;
    ASSERT_EQ(spiked.result.exit_code, 0) << spiked.result.output;
    const RunReader a(plain.db);
    const RunReader b(spiked.db);
    // Both cars draw 11 kW from 09:00 to 10:00: 22 kWh at the 09:00-10:00 price of
    // ../shared/data/prices/nl_day_ahead_2016.csv (2016-03-07, hour 09:00 local), in EUR/kWh.
    const double kwh = connector_kwh(b, 0, at("2016-03-07T09:00"), at("2016-03-07T10:00")) +
                       connector_kwh(b, 1, at("2016-03-07T09:00"), at("2016-03-07T10:00"));
    EXPECT_NEAR(kwh, 22.0, 1e-9);
    const ScenarioSpec spec = load_scenario(plain.scenario);
    const double price = spec.tariff->import_price(at("2016-03-07T09:30"));
    EXPECT_GT(price, 0.0);
    EXPECT_NEAR(kpi(b, "energy_cost") - kpi(a, "energy_cost"), 22.0 * (5 - 1) * price, 1e-9);
    const auto events = events_of(b, EventKind::price_spike);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_NE(events[0].detail.find("x5"), std::string::npos) << events[0].detail;
    // The spiked bill, integrated independently over the stored series with the spike laid on the plain
    // tariff.
    PriceEventTariff with_spike(spec.tariff);
    with_spike.add(PriceSpike{at("2016-03-07T09:00"), at("2016-03-07T10:00"), 5.0, std::nullopt});
    test::expect_bill_matches_series(b, b.latest_run(), with_spike);
}

TEST(Hooks, EveryRunsAtStartPlusPeriodOrFromFirst) {
    const HookRun r = run("every", R"(
every(hours(1), function(site) site.log("hourly " .. site.now()) end)
every(hours(6), function(site) site.log("six-hourly " .. site.now()) end, { first = "2016-03-07T00:30" })
)");
    ASSERT_EQ(r.result.exit_code, 0) << r.result.output;
    const RunReader reader(r.db);
    std::vector<EventRow> hourly, six;
    for (const EventRow& e : events_of(reader, EventKind::hook_log))
        (e.detail.rfind("hourly", 0) == 0 ? hourly : six).push_back(e);
    ASSERT_EQ(hourly.size(), 23u);  // 01:00 .. 23:00; the run ends at midnight
    for (std::size_t i = 0; i < hourly.size(); ++i)
        EXPECT_EQ(hourly[i].t, at("2016-03-07T00:00") + Duration::hours(static_cast<std::int64_t>(i) + 1));
    EXPECT_EQ(hourly[0].detail, "hourly 2016-03-07T01:00:00+01:00");
    ASSERT_EQ(six.size(), 4u);  // 00:30, 06:30, 12:30, 18:30
    EXPECT_EQ(six[3].t, at("2016-03-07T18:30"));
}

TEST(Hooks, OnArrivalCountsIntoALuaVariable) {
    const HookRun r = run("on_arrival", R"(
local arrivals = 0
on("arrival", function(site, event)
  arrivals = arrivals + 1
  site.log("arrival " .. arrivals .. ": session " .. event.session .. " at " .. event.charger .. " " .. event.time)
end)
on("departure", function(site, event) site.log(string.format("left with %.1f kWh", event.delivered_kwh)) end)
)");
    ASSERT_EQ(r.result.exit_code, 0) << r.result.output;
    const RunReader reader(r.db);
    const auto logs = events_of(reader, EventKind::hook_log);
    ASSERT_EQ(logs.size(), 4u);
    EXPECT_EQ(logs[0].detail, "arrival 1: session 0 at CP01 2016-03-07T08:00:00+01:00");
    EXPECT_EQ(logs[1].detail, "arrival 2: session 1 at CP02 2016-03-07T08:00:00+01:00");
    EXPECT_EQ(logs[2].detail, "left with 60.0 kWh");
    EXPECT_EQ(logs[2].t, at("2016-03-07T18:00"));
}

TEST(Hooks, ALuaErrorInAHookStopsTheRunWithItsLine) {
    const HookRun r = run("error", R"(
at("2016-03-07T10:00", function(site)
  local x = nil
  return x + 1
end)
)");
    EXPECT_EQ(r.result.exit_code, 3) << r.result.output;
    EXPECT_NE(r.result.output.find("error.lua:14:"), std::string::npos) << r.result.output;
    EXPECT_NE(r.result.output.find("arithmetic"), std::string::npos) << r.result.output;
}

TEST(Hooks, UnknownNamesAreErrorsAtTheHooksLine) {
    const HookRun charger = run("unknown_charger", R"(
at("2016-03-07T10:00", function(site) site.fault("CP09") end)
)");
    EXPECT_EQ(charger.result.exit_code, 3) << charger.result.output;
    EXPECT_NE(charger.result.output.find(
                  "unknown_charger.lua:12: site.fault: no charger 'CP09'; the chargers are: CP01, CP02"),
              std::string::npos)
        << charger.result.output;
    const HookRun field = run("unknown_field", R"(
at("2016-03-07T10:00", function(site) site.explode() end)
)");
    EXPECT_EQ(field.result.exit_code, 3) << field.result.output;
    EXPECT_NE(field.result.output.find("unknown_field.lua:12: site has no 'explode'"), std::string::npos)
        << field.result.output;
    const HookRun node = run("unknown_node", R"(
at("2016-03-07T10:00", function(site) site.demand_response { node = "T9", limit_kw = 5, duration = hours(1) } end)
)");
    EXPECT_EQ(node.result.exit_code, 3) << node.result.output;
    EXPECT_NE(node.result.output.find("site.demand_response: no node 'T9'"), std::string::npos)
        << node.result.output;
    const HookRun limit = run("huge_limit", R"(
at("2016-03-07T10:00", function(site) site.set_limit("T1", 1e300) end)
)");
    EXPECT_EQ(limit.result.exit_code, 3) << limit.result.output;
    EXPECT_NE(limit.result.output.find("huge_limit.lua:12: site.set_limit: 'import_kw' must be a number (kW) "
                                       "within +-1e15 or math.huge, got number 1e+300"),
              std::string::npos)
        << limit.result.output;
    const HookRun kind = run("unknown_event", R"(
on("arival", function(site, event) end)
)");
    EXPECT_EQ(kind.result.exit_code, 3) << kind.result.output;
    EXPECT_NE(kind.result.output.find("unknown_event.lua:12: on: unknown event 'arival'"), std::string::npos)
        << kind.result.output;
    const HookRun late = run("outside", R"(
at("2016-03-09T10:00", function(site) end)
)");
    EXPECT_EQ(late.result.exit_code, 3) << late.result.output;
    EXPECT_NE(late.result.output.find("outside.lua:12: at: 2016-03-09T10:00 is outside the scenario period"),
              std::string::npos)
        << late.result.output;
    const HookRun constructor = run("constructor", R"(
at("2016-03-07T10:00", function(site) charger { name = "CP03", max_kw = 11 } end)
)");
    EXPECT_EQ(constructor.result.exit_code, 3) << constructor.result.output;
    EXPECT_NE(constructor.result.output.find("constructor.lua:12: "), std::string::npos)
        << constructor.result.output;
    EXPECT_NE(constructor.result.output.find("not inside a hook"), std::string::npos)
        << constructor.result.output;
}

TEST(Hooks, ARunawayHookIsStopped) {
    const HookRun r = run("runaway", R"(
at("2016-03-07T10:00", function(site)
  while true do pcall(function() while true do end end) end
end)
)");
    EXPECT_EQ(r.result.exit_code, 3) << r.result.output;
    EXPECT_NE(r.result.output.find("runaway.lua:"), std::string::npos) << r.result.output;
    EXPECT_NE(r.result.output.find("instructions and was stopped"), std::string::npos) << r.result.output;
}

const char* const kRandomFaults = R"(
local n = 0
every(minutes(20), function(site)
  if math.random() < 0.4 then site.fault("CP02") else site.repair("CP02") end
  if math.random() < 0.2 then site.price_spike { price = math.random(), duration = minutes(30) } end
end)
on("fault", function(site, event) n = n + 1; site.log("fault " .. n .. " of " .. event.charger) end)
)";

TEST(Hooks, SameSeedGivesIdenticalResults) {
    const HookRun a = run("determinism", kRandomFaults, "--strategy uncontrolled", "determinism_a");
    const HookRun b = run("determinism", kRandomFaults, "--strategy uncontrolled", "determinism_b");
    ASSERT_EQ(a.result.exit_code, 0) << a.result.output;
    ASSERT_EQ(b.result.exit_code, 0) << b.result.output;
    const RunReader ra(a.db), rb(b.db);
    EXPECT_GT(events_of(ra, EventKind::fault).size(), 2u);
    EXPECT_EQ(ra.results_dump(ra.latest_run()), rb.results_dump(rb.latest_run()));
    expect_invariants(ra);
}

TEST(Hooks, EveryRunOfOneSpecStartsFromTheScriptsInitialState) {
    // One spec, two runs (as evtwin compare does): Lua variables, math.random and price spikes
    // start afresh, so both runs are identical.
    static const std::filesystem::path dir = test::temp_dir("hooks_reuse");
    const auto file = test::write_file(dir / "reuse.lua", scenario_with(kRandomFaults));
    const ScenarioSpec spec = load_scenario(file);
    ASSERT_TRUE(spec.script);
    const auto db = dir / "reuse.db";
    std::filesystem::remove(db);
    SqliteRunWriter writer(db);
    std::vector<RunId> ids;
    std::vector<double> costs;
    for (int i = 0; i < 2; ++i) {
        StrategyHandle strategy = load_static_strategy("uncontrolled");
        Simulator sim(spec, *strategy, writer);
        RunInfo info;
        info.scenario_name = spec.name;
        info.strategy_name = "uncontrolled";
        sim.run(info);
        ids.push_back(writer.run_id());
        for (const Kpi& k : compute_kpis(RunReader(db), ids.back(), *spec.tariff, spec.economics))
            if (k.name == "energy_cost") costs.push_back(k.value);
    }
    const RunReader reader(db);
    EXPECT_EQ(reader.results_dump(ids[0]), reader.results_dump(ids[1]));
    EXPECT_EQ(costs[0], costs[1]);
}

// Asks 11 kW on every occupied connector, whatever its state; records the limits and states it saw.
class Greedy final : public Strategy {
public:
    void decide(const Observation& obs, Decision& out) override {
        for (const ConnectorView& c : obs.connectors) {
            if (c.state == PilotState::F) ++faulted_seen;
            if (c.session != kNone) out.connector_kw[&c - obs.connectors.data()] = 11.0;
        }
        t1_limits.emplace_back(obs.now, obs.nodes[1].import_limit_kw);
    }
    int faulted_seen = 0;
    std::vector<std::pair<Time, double>> t1_limits;
};

TEST(Hooks, PowerAskedOnAFaultedChargerIsAChargerFaultViolationAndTheObservationShowsTheLimits) {
    static const std::filesystem::path dir = test::temp_dir("hooks_greedy");
    const auto file = test::write_file(dir / "greedy.lua", scenario_with(R"(
at("2016-03-07T10:00", function(site) site.fault("CP01"); site.set_limit("T1", 30) end)
at("2016-03-07T12:00", function(site) site.repair("CP01"); site.restore_limit("T1") end)
)"));
    const ScenarioSpec spec = load_scenario(file);
    const auto db = dir / "greedy.db";
    std::filesystem::remove(db);
    SqliteRunWriter writer(db);
    Greedy greedy;
    Simulator sim(spec, greedy, writer);
    sim.run(RunInfo{});
    const RunReader reader(db);
    const auto violations = reader.violations(reader.latest_run());
    ASSERT_FALSE(violations.empty());
    for (const ViolationRow& v : violations) {
        EXPECT_EQ(v.v.kind, "charger_fault");
        EXPECT_EQ(v.v.connector, 0u);
        EXPECT_EQ(v.v.requested_kw, 11.0);
        EXPECT_EQ(v.v.applied_kw, 0.0);
        EXPECT_GE(v.t, at("2016-03-07T10:00"));
        EXPECT_LT(v.t, at("2016-03-07T12:00"));
    }
    EXPECT_EQ(connector_kwh(reader, 0, at("2016-03-07T10:00"), at("2016-03-07T12:00")), 0.0);
    EXPECT_GT(greedy.faulted_seen, 0);
    for (const auto& [t, limit] : greedy.t1_limits) {
        const bool lowered = t >= at("2016-03-07T10:00") && t < at("2016-03-07T12:00");
        EXPECT_EQ(limit, lowered ? 30.0 : 100.0) << format_utc(t);
    }
}

}  // namespace
}  // namespace evtwin
