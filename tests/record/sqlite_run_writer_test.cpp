// The results writer: what it writes reads back as written, the same run gives the same file.
#include "record/writer/sqlite_run_writer.hpp"
#include "record/exec_sql.hpp"
#include "record/reader/run_reader.hpp"
#include "record/schema/sqlite_db.hpp"
#include "record/tiny_run.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace evtwin {
namespace {

using test::at_h;
using test::write_tiny;

TEST(SqliteRunWriter, RoundTripsRunInfoAndSiteTree) {
    const auto file = write_tiny("roundtrip-info");
    RunReader reader(file);
    const auto runs = reader.runs();
    ASSERT_EQ(runs.size(), 1u);
    const RunRecord& r = runs[0];
    EXPECT_EQ(r.id, 1);
    EXPECT_EQ(r.info.scenario_name, "tiny");
    EXPECT_EQ(r.info.scenario_file, "tests/record/tiny_run.hpp");
    EXPECT_EQ(r.info.strategy_name, "hand");
    EXPECT_EQ(r.info.strategy_version, "1.0.0");
    EXPECT_EQ(r.info.strategy_options, "k=v");
    EXPECT_EQ(r.info.seed, 7u);
    EXPECT_EQ(r.info.engine_version, "0.1.0-test");
    EXPECT_EQ(r.start, at_h(0));
    EXPECT_EQ(r.end, at_h(4));
    ASSERT_TRUE(r.ended);
    EXPECT_EQ(*r.ended, at_h(4));
    EXPECT_EQ(r.control_period, Duration::minutes(30));
    EXPECT_EQ(r.timezone, "Europe/Amsterdam");
    EXPECT_EQ(r.tariff_name, "two-band test tariff");
    EXPECT_EQ(r.currency, "EUR");
    EXPECT_EQ(r.status, RunStatus::complete);
    EXPECT_DOUBLE_EQ(r.economics.charging_price_per_kwh, 0.40);
    EXPECT_DOUBLE_EQ(r.economics.v2g_price_factor, 0.8);
    EXPECT_DOUBLE_EQ(r.economics.ev_degradation_per_kwh, 0.05);
    EXPECT_DOUBLE_EQ(r.economics.ess_degradation_per_kwh, 0.02);
    EXPECT_NE(r.config_json.find("\"chargers\""), std::string::npos);

    const SiteTree tree = reader.site(1);
    // grid, feeder, then charger A, its connector, charger B, its connector.
    ASSERT_EQ(tree.nodes.size(), 6u);
    EXPECT_EQ(tree.nodes[0], (NodeRecord{0, kNone, NodeKind::grid, "grid", 40.0, 10.0}));
    EXPECT_EQ(tree.nodes[1], (NodeRecord{1, 0, NodeKind::feeder, "feeder", 30.0, kUnlimited}));
    EXPECT_EQ(tree.nodes[2], (NodeRecord{2, 1, NodeKind::charger, "A", 11.0, 11.0}));
    EXPECT_EQ(tree.nodes[3], (NodeRecord{3, 2, NodeKind::connector, "A/1", 11.0, 11.0}));
    EXPECT_EQ(tree.nodes[4], (NodeRecord{4, 1, NodeKind::charger, "B", 22.0, 0.0}));
    EXPECT_EQ(tree.nodes[5], (NodeRecord{5, 4, NodeKind::connector, "B/1", 22.0, 0.0}));
    ASSERT_EQ(tree.connectors.size(), 2u);
    EXPECT_EQ(tree.connectors[0].name, "A/1");
    EXPECT_EQ(tree.connectors[0].node, 3u);
    EXPECT_EQ(tree.connectors[0].charger_node, 2u);
    EXPECT_TRUE(tree.connectors[0].v2g_capable);
    EXPECT_TRUE(tree.connectors[0].setpoints_kw.empty());
    EXPECT_EQ(tree.connectors[1].charger_name, "B");
    EXPECT_EQ(tree.connectors[1].charger, 1u);
    EXPECT_DOUBLE_EQ(tree.connectors[1].min_kw, 6.0);
    EXPECT_EQ(tree.connectors[1].setpoints_kw, (std::vector<double>{0.0, 6.0, 11.0, 22.0}));
    ASSERT_EQ(tree.pv.size(), 1u);
    EXPECT_EQ(tree.pv[0], (PvRecord{0, "roof", 0, 10.0}));
    ASSERT_EQ(tree.ess.size(), 1u);
    EXPECT_DOUBLE_EQ(tree.ess[0].capacity_kwh, 10.0);
    EXPECT_DOUBLE_EQ(tree.ess[0].charge_efficiency, 0.9);
    EXPECT_TRUE(tree.ess[0].grid_charge);
    EXPECT_FALSE(tree.ess[0].grid_discharge);
    EXPECT_EQ(tree.ess[0].priority, 2);
    ASSERT_EQ(tree.loads.size(), 1u);
    EXPECT_EQ(tree.loads[0].name, "office");
}

TEST(SqliteRunWriter, RoundTripsSeriesSessionsEventsViolations) {
    const auto file = write_tiny("roundtrip-series");
    RunReader reader(file);
    const auto site = reader.site_series(1);
    ASSERT_EQ(site.size(), 5u);
    EXPECT_EQ(site[2].t, at_h(1));
    EXPECT_DOUBLE_EQ(site[2].s.grid_kw, 32.0);
    EXPECT_DOUBLE_EQ(site[3].s.pv_curtailed_kw, 1.0);
    EXPECT_DOUBLE_EQ(site[3].s.ess_kw, -3.0);
    EXPECT_DOUBLE_EQ(site[4].s.grid_kw, -2.0);
    EXPECT_DOUBLE_EQ(site[4].s.ess_soc, 0.5 - 3.0 / 0.9 / 10.0);

    const auto c0 = reader.connector_series(1, 0);
    ASSERT_EQ(c0.size(), 5u);
    EXPECT_EQ(c0[1].t, at_h(0.5));
    EXPECT_DOUBLE_EQ(c0[1].grid_kw, 10.0);
    EXPECT_EQ(c0[1].state, PilotState::C);
    EXPECT_DOUBLE_EQ(c0[3].grid_kw, -5.0);
    EXPECT_EQ(c0[4].state, PilotState::A);
    const auto all = reader.connector_series(1);
    ASSERT_EQ(all.size(), 9u);  // 5 rows of connector 0, then 4 of connector 1
    EXPECT_EQ(all[5].connector, 1u);
    EXPECT_EQ(all[8].t, at_h(3.5));
    EXPECT_EQ(all[7].state, PilotState::B);

    const auto n0 = reader.node_series(1, 0);
    ASSERT_EQ(n0.size(), 5u);
    EXPECT_DOUBLE_EQ(n0[4].flow_kw, -2.0);
    EXPECT_EQ(reader.node_series(1).size(), 10u);

    const auto sessions = reader.sessions(1);
    const auto expected = test::tiny_sessions();
    ASSERT_EQ(sessions.size(), expected.size());
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        EXPECT_EQ(sessions[i].id, expected[i].id);
        EXPECT_EQ(sessions[i].connector, expected[i].connector);
        EXPECT_EQ(sessions[i].vehicle_model, expected[i].vehicle_model);
        EXPECT_EQ(sessions[i].arrival, expected[i].arrival);
        EXPECT_EQ(sessions[i].departure, expected[i].departure);
        EXPECT_EQ(sessions[i].declared_departure, expected[i].declared_departure);
        EXPECT_EQ(sessions[i].capacity_kwh, expected[i].capacity_kwh);
        EXPECT_EQ(sessions[i].initial_soc, expected[i].initial_soc);
        EXPECT_EQ(sessions[i].final_soc, expected[i].final_soc);  // exact: doubles round-trip
        EXPECT_EQ(sessions[i].requested_kwh, expected[i].requested_kwh);
        EXPECT_EQ(sessions[i].delivered_kwh, expected[i].delivered_kwh);
        EXPECT_EQ(sessions[i].charged_kwh, expected[i].charged_kwh);
        EXPECT_EQ(sessions[i].discharged_kwh, expected[i].discharged_kwh);
        EXPECT_EQ(sessions[i].grid_kwh, expected[i].grid_kwh);
    }

    const auto events = reader.events(1);
    ASSERT_EQ(events.size(), 7u);
    EXPECT_EQ(events[0].kind, EventKind::run_start);
    EXPECT_EQ(events[1].kind, EventKind::arrival);
    EXPECT_EQ(events[1].connector, 0u);
    EXPECT_EQ(events[1].session, 1u);
    EXPECT_EQ(events[1].detail, "EV-60");
    EXPECT_EQ(events[3].kind, EventKind::rejected);
    EXPECT_EQ(events[3].connector, kNone);
    EXPECT_EQ(events.back().kind, EventKind::run_end);

    const auto violations = reader.violations(1);
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].t, at_h(1));
    EXPECT_EQ(violations[0].v.kind, "charger_max");
    EXPECT_EQ(violations[0].v.node, 4u);
    EXPECT_EQ(violations[0].v.connector, 1u);
    EXPECT_DOUBLE_EQ(violations[0].v.requested_kw, 25.0);
    EXPECT_DOUBLE_EQ(violations[0].v.applied_kw, 20.0);

    const auto decisions = reader.decision_times(1);
    ASSERT_EQ(decisions.size(), 5u);
    EXPECT_DOUBLE_EQ(decisions[3].seconds, 0.006);
    double sum = 0.0, max = 0.0;
    for (const auto& d : decisions) {
        sum += d.seconds;
        max = std::max(max, d.seconds);
    }
    const DecisionTimeStats stats = reader.decision_time_stats(1);
    EXPECT_EQ(stats.count, 5);
    EXPECT_NEAR(stats.mean_seconds, sum / 5.0, 1e-15);
    EXPECT_EQ(stats.max_seconds, max);
    const RunTiming timing = reader.timing(1);
    EXPECT_EQ(timing.wall_started_utc.size(), 20u);  // 2024-01-01T00:00:00Z
    EXPECT_TRUE(timing.wall_seconds);
}

TEST(SqliteRunWriter, WindowedSeriesStartWithTheRowInEffect) {
    const auto file = write_tiny("window");
    RunReader reader(file);
    // [01:30, 03:00): the 01:00 row holds at 01:30, then the 02:00 row; 03:00 is outside.
    const auto rows = reader.site_series(1, at_h(1.5), at_h(3));
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].t, at_h(1));
    EXPECT_EQ(rows[1].t, at_h(2));
    // A window starting exactly on a row starts with that row.
    const auto c1 = reader.connector_series(1, 1, at_h(3), Time::max());
    ASSERT_EQ(c1.size(), 2u);
    EXPECT_EQ(c1[0].t, at_h(3));
    // A window before the first row holds only the rows inside it.
    EXPECT_EQ(reader.node_series(1, 0, at_h(-1), at_h(0.5)).size(), 1u);
}

TEST(SqliteRunWriter, SameRunTwiceGivesIdenticalResults) {
    const auto a = write_tiny("repro-a");
    const auto b = write_tiny("repro-b");
    const std::string dump_a = RunReader(a).results_dump(1);
    const std::string dump_b = RunReader(b).results_dump(1);
    EXPECT_EQ(dump_a, dump_b);
    // The dump holds every results table and every row.
    for (const char* table : {"## runs",
                              "## nodes",
                              "## connectors",
                              "## phase_constraints",
                              "## phase_constraint_terms",
                              "## pv",
                              "## ess",
                              "## loads",
                              "## sessions",
                              "## site_series",
                              "## ess_series",
                              "## node_series",
                              "## connector_series",
                              "## events",
                              "## violations",
                              "## tariff_prices",
                              "## kpis",
                              "## battery_health",
                              "## battery_scores",
                              "## feeders",
                              "## feeder_buses",
                              "## feeder_branches",
                              "## feeder_sites",
                              "## feeder_series",
                              "## bus_voltage_series",
                              "## branch_loading_series",
                              "## feeder_violations"})
        EXPECT_NE(dump_a.find(table), std::string::npos) << table;
    // Headers, then rows per table (a run without a feeder has none in the feeder's tables).
    EXPECT_EQ(std::count(dump_a.begin(), dump_a.end(), '\n'),
              27 + 1 + 6 + 2 + 0 + 0 + 1 + 1 + 1 + 3 + 5 + 3 + 10 + 9 + 7 + 1 + 2 + 0 + 0 + 0);
    // And it is sensitive to any value: a different run dumps differently.
    const auto file = test::temp_dir("repro-c") / "run.db";
    {
        ScenarioSpec spec = test::tiny_spec();
        SqliteRunWriter writer(file);
        writer.begin_run(test::tiny_info(), spec);
        writer.site_sample(at_h(0), test::site(2, 0, 0, 0, 0, 0.5, 2.0000000000000004));
        writer.end_run(at_h(4), false);
    }
    const std::string dump_c = RunReader(file).results_dump(1);
    EXPECT_EQ(dump_a.substr(0, dump_a.find("## sessions")), dump_c.substr(0, dump_c.find("## sessions")));
    EXPECT_NE(dump_a, dump_c);
}

TEST(SqliteRunWriter, WriteBehindWritesTheSameResults) {
    const std::string dump = RunReader(write_tiny("behind-off")).results_dump(1);
    WriterOptions behind;
    behind.write_behind = true;
    EXPECT_EQ(RunReader(write_tiny("behind-one-batch", -1.0, behind)).results_dump(1), dump);
    behind.rows_per_commit = 3;  // many batches and commits, each handed to the thread
    EXPECT_EQ(RunReader(write_tiny("behind-many-batches", -1.0, behind)).results_dump(1), dump);
    const auto interrupted = write_tiny("behind-interrupted", 1.75, behind);
    EXPECT_EQ(RunReader(interrupted).results_dump(1),
              RunReader(write_tiny("interrupted-inline", 1.75)).results_dump(1));
}

// Rows go in many to a statement: a run of more rows than one statement takes, with a remainder,
// reads back exactly as reported, with and without write-behind.
TEST(SqliteRunWriter, ManyRowsReadBackAsReported) {
    for (const bool behind : {false, true}) {
        const auto file = test::temp_dir(behind ? "many-rows-behind" : "many-rows") / "run.db";
        const int instants = 101;
        {
            WriterOptions options;
            options.rows_per_commit = 250;
            options.write_behind = behind;
            SqliteRunWriter writer(file, options);
            const ScenarioSpec spec = test::tiny_spec();
            writer.begin_run(test::tiny_info(), spec);
            for (int i = 0; i < instants; ++i) {
                const Time t = at_h(i * 0.25);
                writer.site_sample(t, test::site(i, i + 0.5, 0, 0, 0, i / 200.0, 1));
                writer.node_sample(t, 1, -i * 1.5);
                for (ConnectorIndex c = 0; c < 2; ++c)
                    writer.connector_sample(t, c, i + c, i / 101.0, c ? PilotState::C : PilotState::B);
                writer.event(t, EventKind::hook_log, i % 2, kNone, "line " + std::to_string(i));
                writer.decision_time(t, i * 1e-6);
            }
            writer.end_run(at_h(instants * 0.25), false);
        }
        const RunReader reader(file);
        const auto site = reader.site_series(1);
        const auto nodes = reader.node_series(1, 1);
        const auto events = reader.events(1);
        const auto decisions = reader.decision_times(1);
        ASSERT_EQ(site.size(), static_cast<std::size_t>(instants));
        ASSERT_EQ(nodes.size(), static_cast<std::size_t>(instants));
        ASSERT_EQ(events.size(), static_cast<std::size_t>(instants));
        ASSERT_EQ(decisions.size(), static_cast<std::size_t>(instants));
        for (ConnectorIndex c = 0; c < 2; ++c) {
            const auto connector = reader.connector_series(1, c);
            ASSERT_EQ(connector.size(), static_cast<std::size_t>(instants));
            for (int i = 0; i < instants; ++i) {
                EXPECT_EQ(connector[i].t, at_h(i * 0.25));
                EXPECT_EQ(connector[i].grid_kw, i + c);
                EXPECT_EQ(connector[i].soc, i / 101.0);
                EXPECT_EQ(connector[i].state, c ? PilotState::C : PilotState::B);
            }
        }
        for (int i = 0; i < instants; ++i) {
            EXPECT_EQ(site[i].t, at_h(i * 0.25));
            EXPECT_EQ(site[i].s.grid_kw, i);
            EXPECT_EQ(site[i].s.ev_kw, i + 0.5);
            EXPECT_EQ(site[i].s.ess_soc, i / 200.0);
            EXPECT_EQ(nodes[i].flow_kw, -i * 1.5);
            EXPECT_EQ(events[i].detail, "line " + std::to_string(i));
            EXPECT_EQ(events[i].connector, static_cast<ConnectorIndex>(i % 2));
            EXPECT_EQ(decisions[i].seconds, i * 1e-6);
        }
    }
}

// rows and no more.
TEST(SqliteRunWriter, EveryJournalKeepsTheSameRowsAndSurvivesTheProcess) {
    using Journal = WriterOptions::Journal;
    const std::string dump = RunReader(write_tiny("journal-reference")).results_dump(1);
    for (const Journal journal : {Journal::wal, Journal::rollback, Journal::private_file}) {
        const std::string name = "journal-" + std::to_string(static_cast<int>(journal));
        WriterOptions options;
        options.journal = journal;
        const auto file = write_tiny(name, -1.0, options);
        for (const char* beside : {"-wal", "-shm", "-journal"})
            EXPECT_FALSE(std::filesystem::exists(file.string() + beside)) << name << beside;
        EXPECT_EQ(RunReader(file).results_dump(1), dump) << name;
        EXPECT_EQ(sqlite::Db(file, sqlite::Db::Mode::read_only).query_int("PRAGMA page_size"), 8192) << name;
        if (journal == Journal::private_file) continue;  // no reader while it is written

        const auto died = test::temp_dir(name + "-died") / "run.db";
        // Where uncommitted pages go when the cache spills: the file itself, or the WAL.
        const std::string spilled_to = died.string() + (journal == Journal::wal ? "-wal" : "");
        const auto size_of = [](const std::string& path) {
            std::error_code ec;
            const auto size = std::filesystem::file_size(path, ec);
            return ec ? std::uintmax_t{0} : size;
        };
        constexpr int kCommitted = 1000;
        constexpr int kChunk = 20'000;
        constexpr int kMostRows = 4'000'000;  // rows of 80 bytes: far more than the cache's 8 MiB
        const pid_t child = fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            options.write_behind = true;              // rows reach SQLite in batches, before their commit
            options.rows_per_commit = kMostRows + 1;  // and none is committed after the first
            SqliteRunWriter writer(died, options);
            const ScenarioSpec spec = test::tiny_spec();
            writer.begin_run(test::tiny_info(), spec);
            const auto sample = [](int i) { return test::site(i + 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7); };
            for (int i = 0; i < kCommitted; ++i) writer.site_sample(Time(i), sample(i));
            writer.flush();
            bool seen = false;
            try {
                seen = RunReader(died).site_series(1).size() == kCommitted;
            } catch (...) {
            }
            const auto committed_size = size_of(spilled_to);
            bool spilled = false;
            for (int i = kCommitted; i < kMostRows && !spilled; i += kChunk) {
                for (int j = i; j < i + kChunk; ++j) writer.site_sample(Time(j), sample(j));
                spilled = size_of(spilled_to) > committed_size;
            }
            _exit(!seen ? 3 : !spilled ? 4 : 0);  // no destructor: a transaction is left open
        }
        int status = 0;
        ASSERT_EQ(waitpid(child, &status, 0), child);
        ASSERT_TRUE(WIFEXITED(status));
        EXPECT_EQ(WEXITSTATUS(status), 0)
            << name << ": 3, a reader mid-run did not see the committed rows; 4, "
            << "no uncommitted row reached " << (journal == Journal::wal ? "the WAL" : "the file");
        const RunReader reader(died);
        EXPECT_EQ(reader.run(1).status, RunStatus::running) << name;
        EXPECT_EQ(reader.site_series(1).size(), static_cast<std::size_t>(kCommitted)) << name;
    }
}

// In one batch (the later sample is kept) and across batches (its row replaces the written one).
TEST(SqliteRunWriter, SampleAtTheSameInstantReplacesTheEarlierOne) {
    for (const std::size_t rows_per_commit : {std::size_t{100'000}, std::size_t{1}}) {
        SCOPED_TRACE("rows_per_commit " + std::to_string(rows_per_commit));
        const auto file = test::temp_dir("same-t") / "run.db";
        {
            const ScenarioSpec spec = test::tiny_spec();
            WriterOptions options;
            options.rows_per_commit = rows_per_commit;
            SqliteRunWriter writer(file, options);
            writer.begin_run(test::tiny_info(), spec);
            writer.site_sample(at_h(1), test::site(1, 0, 0, 0, 0, 0, 0));
            writer.node_sample(at_h(1), 1, 1.0);
            writer.connector_sample(at_h(1), 0, 7.0, 0.5, PilotState::C);
            writer.connector_sample(at_h(1), 1, 3.0, 0.5, PilotState::C);
            writer.site_sample(at_h(1), test::site(2, 0, 0, 0, 0, 0, 0));
            writer.node_sample(at_h(1), 1, 2.0);
            writer.connector_sample(at_h(1), 0, 5.0, 0.5, PilotState::C);
            writer.connector_sample(at_h(1), 0, 4.0, 0.5, PilotState::B);
            writer.connector_sample(at_h(2), 0, 6.0, 0.5, PilotState::C);
            writer.end_run(at_h(2), false);
        }
        const RunReader reader(file);
        const auto rows = reader.connector_series(1, 0);
        ASSERT_EQ(rows.size(), 2u);
        EXPECT_DOUBLE_EQ(rows[0].grid_kw, 4.0);
        EXPECT_EQ(rows[0].state, PilotState::B);
        EXPECT_DOUBLE_EQ(rows[1].grid_kw, 6.0);
        ASSERT_EQ(reader.connector_series(1, 1).size(), 1u);
        const auto site = reader.site_series(1);
        ASSERT_EQ(site.size(), 1u);
        EXPECT_DOUBLE_EQ(site[0].s.grid_kw, 2.0);
        const auto nodes = reader.node_series(1);
        ASSERT_EQ(nodes.size(), 1u);
        EXPECT_DOUBLE_EQ(nodes[0].flow_kw, 2.0);
    }
}

TEST(SqliteRunWriter, PhaseConstraintsAndChargerPhasesRoundTrip) {
    ScenarioSpec spec = test::tiny_spec();
    spec.chargers[0].voltage_v = 208.0;
    spec.chargers[0].phase_deg = 30.0;
    spec.chargers[1].voltage_v = 208.0;
    spec.chargers[1].phase_deg = 150.0;
    spec.phase_constraints = {{"I3a", {{0, 1.0}, {1, -1.0}}, 416.5}, {"pod", {{1, 0.25}}, kUnlimited}};
    const auto file = test::temp_dir("roundtrip-phases") / "run.db";
    {
        SqliteRunWriter writer(file);
        writer.begin_run(test::tiny_info(), spec);
        Violation v{"phase_limit", kNone, 1, 22.0, 11.0, 0};
        writer.violation(at_h(1), v);
        writer.violation(at_h(1), Violation{"charger_max", 4, 1, 25.0, 20.0});
        writer.end_run(at_h(4), false);
    }
    RunReader reader(file);
    const SiteTree tree = reader.site(1);
    ASSERT_EQ(tree.connectors.size(), 2u);
    EXPECT_EQ(tree.connectors[0].voltage_v, 208.0);
    EXPECT_EQ(tree.connectors[0].phase_deg, 30.0);
    EXPECT_EQ(tree.connectors[1].phase_deg, 150.0);
    ASSERT_EQ(tree.phase_constraints.size(), 2u);
    EXPECT_EQ(tree.phase_constraints[0],
              (PhaseConstraintRecord{0, "I3a", 416.5, {{0, "A", 1.0}, {1, "B", -1.0}}}));
    EXPECT_EQ(tree.phase_constraints[1], (PhaseConstraintRecord{1, "pod", kUnlimited, {{1, "B", 0.25}}}));
    const auto violations = reader.violations(1);
    ASSERT_EQ(violations.size(), 2u);
    EXPECT_EQ(violations[0].v.kind, "phase_limit");
    EXPECT_EQ(violations[0].v.node, kNone);
    EXPECT_EQ(violations[0].v.phase_constraint, 0u);
    EXPECT_EQ(violations[1].v.phase_constraint, kNone);
    const std::string dump = reader.results_dump(1);
    EXPECT_NE(
        dump.find("## phase_constraint_terms\n0|0|0|\"A\"|0x1p+0\n0|1|1|\"B\"|-0x1p+0\n1|0|1|\"B\"|0x1p-2\n"),
        std::string::npos)
        << dump;
}

TEST(SqliteRunWriter, StoresTheTariffsPricesOverTheRun) {
    RunReader reader(write_tiny("prices"));
    const std::vector<PriceRow> prices = reader.tariff_prices(1);
    ASSERT_EQ(prices.size(), 2u) << "one row per change over 00:00-04:00";
    EXPECT_EQ(prices[0].t, at_h(0));
    EXPECT_DOUBLE_EQ(prices[0].import_price, 0.10);
    EXPECT_DOUBLE_EQ(prices[0].export_price, 0.05);
    EXPECT_EQ(prices[1].t, at_h(2));
    EXPECT_DOUBLE_EQ(prices[1].import_price, 0.30);
    EXPECT_NE(reader.results_dump(1).find("## tariff_prices\n"), std::string::npos);
}

// A tariff whose import price the test raises during the run, as a scenario's price spike does.
class SpikedTariff final : public Tariff {
public:
    std::string name() const override { return "spiked"; }
    std::string currency() const override { return "EUR"; }
    double import_price(Time t) const override { return t >= spike_from && t < spike_to ? 1.0 : 0.2; }
    double export_price(Time) const override { return 0.0; }
    Time next_change(Time t) const override {
        if (t < spike_from) return spike_from;
        return t < spike_to ? spike_to : Time::max();
    }
    double demand_charge_per_kw(Time) const override { return 0.0; }
    BillingPeriod billing_period(Time) const override { return {Time::min(), Time::max()}; }
    Duration demand_interval() const override { return Duration::hours(1); }
    Time spike_from = Time::max(), spike_to = Time::max();
};

TEST(SqliteRunWriter, APriceSpikeDuringTheRunIsInTheStoredPrices) {
    const auto file = test::temp_dir("prices-spike") / "run.db";
    ScenarioSpec spec = test::tiny_spec();
    auto tariff = std::make_shared<SpikedTariff>();
    spec.tariff = tariff;
    {
        SqliteRunWriter writer(file);
        writer.begin_run(test::tiny_info(), spec);
        EXPECT_EQ(RunReader(file).tariff_prices(1).size(), 1u)
            << "written at the start, for a reader of a live run";
        tariff->spike_from = at_h(1);
        tariff->spike_to = at_h(2);
        writer.event(at_h(0.5), EventKind::price_spike, kNone, kNone, "1.0 from 01:00 to 02:00");
        writer.end_run(at_h(4), false);
    }
    const std::vector<PriceRow> prices = RunReader(file).tariff_prices(1);
    ASSERT_EQ(prices.size(), 3u);
    EXPECT_EQ(prices[1].t, at_h(1));
    EXPECT_DOUBLE_EQ(prices[1].import_price, 1.0);
    EXPECT_EQ(prices[2].t, at_h(2));
    EXPECT_DOUBLE_EQ(prices[2].import_price, 0.2);
}

}  // namespace
}  // namespace evtwin
