#pragma once
// A tiny hand-written run, shared by the record and KPI suites: two chargers with one connector
// each, PV, an ESS and a base load, over four hours on a two-band tariff. Every number is chosen
// so that the KPIs can be computed by hand (tests/kpi/kpis_test.cpp shows the arithmetic).
#include "core/run_sink.hpp"
#include "model/scenario_spec.hpp"
#include "model/tariff.hpp"
#include "record/writer/sqlite_run_writer.hpp"
#include "support/test_support.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace evtwin::test {

inline constexpr std::int64_t kHour = 3'600'000;
inline constexpr std::int64_t kT0 = 1'704'067'200'000;  // 2024-01-01T00:00:00Z

inline Time at_h(double hours) {
    return Time(kT0 + static_cast<std::int64_t>(hours * kHour));
}

// Import 0.10 per kWh before 02:00 UTC, 0.30 from 02:00; export 0.05; demand charge 1.0 per kW of
// the day's highest hourly average import.
class TwoBandTariff final : public Tariff {
public:
    std::string name() const override { return "two-band test tariff"; }
    std::string currency() const override { return "EUR"; }
    double import_price(Time t) const override { return hour_of_day(t) < 2 ? 0.10 : 0.30; }
    double export_price(Time) const override { return 0.05; }
    Time next_change(Time t) const override {
        const std::int64_t day = t.ms() - (t.ms() % (24 * kHour));
        if (t.ms() < day + 2 * kHour) return Time(day + 2 * kHour);
        return Time(day + 24 * kHour);
    }
    double demand_charge_per_kw(Time) const override { return 1.0; }
    BillingPeriod billing_period(Time t) const override {
        const std::int64_t day = t.ms() - (t.ms() % (24 * kHour));
        return {Time(day), Time(day + 24 * kHour)};
    }
    Duration demand_interval() const override { return Duration::hours(1); }

private:
    static std::int64_t hour_of_day(Time t) { return (t.ms() % (24 * kHour)) / kHour; }
};

inline ScenarioSpec tiny_spec() {
    ScenarioSpec s;
    s.name = "tiny";
    s.source_file = "tests/record/tiny_run.hpp";
    s.timezone = "Europe/Amsterdam";
    s.start = at_h(0);
    s.end = at_h(4);
    s.control_period = Duration::minutes(30);
    s.seed = 7;
    s.nodes = {{"grid", NodeKind::grid, kNone, 40.0, 10.0},
               {"feeder", NodeKind::feeder, 0, 30.0, kUnlimited}};
    ChargerSpec a;
    a.name = "A";
    a.parent = 1;
    a.max_kw = 11.0;
    a.efficiency = 1.0;
    a.v2g_capable = true;
    ChargerSpec b;
    b.name = "B";
    b.parent = 1;
    b.max_kw = 22.0;
    b.min_kw = 6.0;
    b.setpoints_kw = {0.0, 6.0, 11.0, 22.0};
    b.efficiency = 1.0;
    s.chargers = {a, b};
    s.tariff = std::make_shared<TwoBandTariff>();
    PvSpec pv;
    pv.name = "roof";
    pv.node = 0;
    pv.kwp = 10.0;
    s.pv = {pv};
    EssSpec ess;
    ess.name = "battery";
    ess.node = 0;
    ess.capacity_kwh = 10.0;
    ess.max_charge_kw = 5.0;
    ess.max_discharge_kw = 5.0;
    ess.charge_efficiency = 0.9;
    ess.discharge_efficiency = 0.9;
    ess.grid_discharge = false;
    ess.priority = 2;
    s.ess = {ess};
    LoadSpec load;
    load.name = "office";
    load.node = 0;
    s.loads = {load};
    s.economics = {0.40, 0.8, 0.05, 0.02, ""};
    return s;
}

inline RunInfo tiny_info() {
    return {"tiny", "tests/record/tiny_run.hpp", "hand", "1.0.0", "k=v", 7, "0.1.0-test"};
}

inline SiteSample site(double grid, double ev, double pv, double curtailed, double ess, double soc,
                       double load) {
    return {grid, ev, pv, curtailed, ess, soc, load};
}

// Session records of the run (sorted by id).
inline std::vector<SessionRecord> tiny_sessions() {
    SessionRecord s1{1,    0,    "EV-60", at_h(0.5), at_h(3), at_h(3), 60.0, 0.4, 0.4 + 10.0 / 60.0,
                     20.0, 10.0, 15.0,    5.0,       10.0};
    SessionRecord s2{2,   1,   "EV-80", at_h(1), at_h(3.5), at_h(3.5), 80.0,
                     0.3, 0.8, 40.0,    40.0,    40.0,      0.0,       40.0};
    SessionRecord s3{3,   kNone, "EV-40", at_h(1.5), at_h(2.5), at_h(2.5), 40.0,
                     0.5, 0.5,   10.0,    0.0,       0.0,       0.0,       0.0};
    return {s1, s2, s3};
}

// Writes the run through the RunSink API, in time order. With `stop_at_h` >= 0 the run is
// interrupted at that hour (no more samples are sent after it).
inline void write_tiny_run(RunSink& sink, const ScenarioSpec& spec, double stop_at_h = -1.0) {
    const auto stop = [&](double h) { return stop_at_h >= 0 && h > stop_at_h; };
    const auto sessions = tiny_sessions();
    sink.begin_run(tiny_info(), spec);
    // 00:00  base load only
    sink.event(at_h(0), EventKind::run_start, kNone, kNone, "");
    sink.decision_time(at_h(0), 0.001);
    sink.ess_sample(at_h(0), 0, 0, 0.5);
    sink.site_sample(at_h(0), site(2, 0, 0, 0, 0, 0.5, 2));
    sink.node_sample(at_h(0), 0, 2);
    sink.node_sample(at_h(0), 1, 0);
    sink.connector_sample(at_h(0), 0, 0, 0, PilotState::A);
    sink.connector_sample(at_h(0), 1, 0, 0, PilotState::A);
    // 00:30  session 1 arrives on A and charges 10 kW
    sink.event(at_h(0.5), EventKind::arrival, 0, 1, "EV-60");
    sink.decision_time(at_h(0.5), 0.003);
    sink.connector_sample(at_h(0.5), 0, 10, 0.4, PilotState::C);
    sink.node_sample(at_h(0.5), 0, 12);
    sink.node_sample(at_h(0.5), 1, 10);
    sink.site_sample(at_h(0.5), site(12, 10, 0, 0, 0, 0.5, 2));
    // 01:00  session 2 arrives on B; the strategy asks 25 kW, the charger clips to 20
    sink.event(at_h(1), EventKind::arrival, 1, 2, "EV-80");
    sink.decision_time(at_h(1), 0.002);
    sink.violation(at_h(1), {"charger_max", 4, 1, 25.0, 20.0});
    sink.connector_sample(at_h(1), 0, 10, 0.4 + 5.0 / 60.0, PilotState::C);
    sink.connector_sample(at_h(1), 1, 20, 0.3, PilotState::C);
    sink.node_sample(at_h(1), 0, 32);
    sink.node_sample(at_h(1), 1, 30);
    sink.site_sample(at_h(1), site(32, 30, 0, 0, 0, 0.5, 2));
    if (stop(1.5)) return sink.end_run(at_h(stop_at_h), true);
    // 01:30  session 3 finds no free connector
    sink.event(at_h(1.5), EventKind::rejected, kNone, 3, "no free connector");
    sink.session_end(sessions[2]);
    if (stop(2)) return sink.end_run(at_h(stop_at_h), true);
    // 02:00  peak band: A discharges 5 kW (V2G), PV 4 kW (1 kW curtailed), ESS discharges 3 kW
    sink.decision_time(at_h(2), 0.006);
    sink.connector_sample(at_h(2), 0, -5, 0.65, PilotState::C);
    sink.node_sample(at_h(2), 0, 10);
    sink.node_sample(at_h(2), 1, 15);
    sink.ess_sample(at_h(2), 0, -3, 0.5);
    sink.site_sample(at_h(2), site(10, 15, 4, 1, -3, 0.5, 2));
    if (stop(3)) return sink.end_run(at_h(stop_at_h), true);
    // 03:00  session 1 leaves, B is full; PV 6 kW, ESS charges 2 kW: 2 kW exported
    sink.event(at_h(3), EventKind::departure, 0, 1, "");
    sink.session_end(sessions[0]);
    sink.decision_time(at_h(3), 0.004);
    sink.connector_sample(at_h(3), 0, 0, 0, PilotState::A);
    sink.connector_sample(at_h(3), 1, 0, 0.8, PilotState::B);
    sink.node_sample(at_h(3), 0, -2);
    sink.node_sample(at_h(3), 1, 0);
    sink.ess_sample(at_h(3), 0, 2, 0.5 - 3.0 / 0.9 / 10.0);
    sink.site_sample(at_h(3), site(-2, 0, 6, 0, 2, 0.5 - 3.0 / 0.9 / 10.0, 2));
    // 03:30  session 2 leaves
    sink.event(at_h(3.5), EventKind::departure, 1, 2, "");
    sink.session_end(sessions[1]);
    sink.connector_sample(at_h(3.5), 1, 0, 0, PilotState::A);
    sink.event(at_h(4), EventKind::run_end, kNone, kNone, "");
    sink.end_run(at_h(4), false);
}

// A tiny run written to a fresh results file in the temporary folder `dir_name`: its path.
inline std::filesystem::path write_tiny(const std::string& dir_name, double stop_at_h = -1.0,
                                        WriterOptions options = {}) {
    const auto file = temp_dir(dir_name) / "run.db";
    const ScenarioSpec spec = tiny_spec();
    SqliteRunWriter writer(file, options);
    write_tiny_run(writer, spec, stop_at_h);
    return file;
}

}  // namespace evtwin::test
