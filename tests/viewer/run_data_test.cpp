#include "viewer/data/run_data.hpp"
#include "kpi/kpis.hpp"
#include "record/reader/run_reader.hpp"
#include "record/tiny_run.hpp"
#include "record/writer/sqlite_run_writer.hpp"
#include "support/test_support.hpp"
#include "viewer/data/compare.hpp"
#include "viewer/data/cost.hpp"
#include "viewer/data/heatmap.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace evtwin::viewer {
namespace {

using test::at_h;

std::filesystem::path tiny_db(const std::string& name) {
    const auto file = test::temp_dir(name) / "tiny.db";
    SqliteRunWriter writer(file);
    test::write_tiny_run(writer, test::tiny_spec());
    return file;
}

TEST(RunData, LoadsTheTinyRunIntoColumns) {
    const RunData d = RunData::load(tiny_db("viewer_load"));
    EXPECT_EQ(d.run.id, 1);
    EXPECT_EQ(d.start(), at_h(0));
    EXPECT_EQ(d.end(), at_h(4));
    ASSERT_EQ(d.site.t.size(), 5u);
    ASSERT_EQ(d.connectors.size(), 2u);
    EXPECT_EQ(d.sessions.size(), 3u);
    EXPECT_EQ(d.violations.size(), 1u);
    EXPECT_EQ(d.marks.times(MarkKind::arrival).size(), 2u);
    EXPECT_EQ(d.marks.times(MarkKind::departure).size(), 2u);
    EXPECT_EQ(d.marks.next(MarkKind::violation, at_h(0)), at_h(1));
    EXPECT_GE(d.load_seconds, 0.0);
    // The site values at an instant are those of the last row at or before it.
    const std::size_t i = row_at(d.site.t, at_h(2.5));
    ASSERT_NE(i, kNoRow);
    EXPECT_DOUBLE_EQ(d.site.grid_kw[i], 10.0);
    EXPECT_DOUBLE_EQ(d.site.pv_kw[i], 4.0);
    // V2G splits the net EV power: at 02:00 A discharges 5 kW while B charges 20 kW (net 15).
    EXPECT_DOUBLE_EQ(d.site.ev_charge_kw[i], 20.0);
    EXPECT_DOUBLE_EQ(d.site.ev_discharge_kw[i], -5.0);
    EXPECT_DOUBLE_EQ(d.site.ev_charge_kw[i] + d.site.ev_discharge_kw[i], d.site.ev_kw[i]);
    EXPECT_EQ(row_at(d.site.t, Time(at_h(0).ms() - 1)), kNoRow);
}

TEST(RunData, ConnectorStateAndPluggedSessionAtTheCursor) {
    const RunData d = RunData::load(tiny_db("viewer_connector"));
    const ConnectorAt a = d.connector_at(0, at_h(2.5));
    EXPECT_DOUBLE_EQ(a.kw, -5.0);
    EXPECT_DOUBLE_EQ(a.soc, 0.65);
    EXPECT_EQ(a.state, PilotState::C);
    EXPECT_EQ(a.session, 1u);
    const ConnectorAt gone = d.connector_at(0, at_h(3));
    EXPECT_EQ(gone.state, PilotState::A);
    EXPECT_EQ(gone.session, kNone) << "session 1 departed at 03:00";
    EXPECT_EQ(d.connector_at(1, at_h(3.2)).state, PilotState::B);
    EXPECT_EQ(d.connector_at(1, at_h(3.2)).session, 2u);
    EXPECT_DOUBLE_EQ(d.node_flow_at(1, at_h(1.2)), 30.0);
    EXPECT_DOUBLE_EQ(d.node_flow_at(0, at_h(3.9)), -2.0);
}

TEST(RunData, EventsAreIndexedByTime) {
    const RunData d = RunData::load(tiny_db("viewer_events"));
    const std::size_t i = d.first_event_at(at_h(1.5));
    ASSERT_LT(i, d.events.size());
    EXPECT_EQ(d.events.kind[i], EventKind::rejected);
    EXPECT_EQ(d.events.session[i], 3u);
    EXPECT_EQ(d.first_event_at(at_h(5)), d.events.size());
}

TEST(RunData, BucketsKeepEnergyAndPeaks) {
    const RunData d = RunData::load(tiny_db("viewer_buckets"));
    // Four one-hour buckets over the run: grid energy per hour.
    const auto b = bucketize(d.site.t, d.site.grid_kw, d.end(), at_h(0), at_h(4), 4);
    ASSERT_EQ(b.size(), 4u);
    EXPECT_DOUBLE_EQ(b[0].mean, (2.0 + 12.0) / 2);  // 00:00-00:30 at 2 kW, 00:30-01:00 at 12 kW
    EXPECT_DOUBLE_EQ(b[0].min, 2.0);
    EXPECT_DOUBLE_EQ(b[0].max, 12.0);
    EXPECT_DOUBLE_EQ(b[1].mean, 32.0);
    EXPECT_DOUBLE_EQ(b[3].mean, -2.0);
    double energy = 0;
    for (const auto& k : b) energy += k.mean * 1.0;  // kWh over one-hour buckets
    EXPECT_DOUBLE_EQ(energy, 1 + 6 + 32 + 10 - 2);
    // Zoomed out to one bucket, the 32 kW peak survives in max.
    const auto one = bucketize(d.site.t, d.site.grid_kw, d.end(), at_h(0), at_h(4), 1);
    EXPECT_DOUBLE_EQ(one[0].max, 32.0);
    EXPECT_DOUBLE_EQ(one[0].min, -2.0);
    EXPECT_DOUBLE_EQ(one[0].mean, 47.0 / 4);
    // After the end of the data there is none.
    const auto after = bucketize(d.site.t, d.site.grid_kw, d.end(), at_h(4), at_h(6), 2);
    EXPECT_FALSE(after[0].has_data);
}

TEST(RunData, HeatmapHoldsMeanConnectorPower) {
    const RunData d = RunData::load(tiny_db("viewer_heatmap"));
    const Heatmap h = power_heatmap(d, at_h(0), at_h(4), 4);
    ASSERT_EQ(h.rows, 2u);
    EXPECT_FLOAT_EQ(h.at(0, 0), 5.0f);   // A: 0 kW then 10 kW, half an hour each
    EXPECT_FLOAT_EQ(h.at(0, 2), -5.0f);  // V2G
    EXPECT_FLOAT_EQ(h.at(1, 1), 20.0f);
    EXPECT_DOUBLE_EQ(h.max_abs_kw, 20.0);
}

TEST(RunData, CumulativeCostIntegratesTheStoredPricesExactly) {
    const RunData d = RunData::load(tiny_db("viewer_cost"));
    // The run's tariff, as the results file stores it: 0.10 until 02:00, then 0.30; export 0.05.
    ASSERT_EQ(d.prices.t.size(), 2u);
    EXPECT_EQ(d.prices.t[1], at_h(2).ms());
    const CumulativeCost cost(d.site, d.prices, d.end());
    // Import: 1 + 6 + 32 kWh at 0.10 before 02:00, 10 kWh at 0.30 after; export 2 kWh at 0.05.
    EXPECT_NEAR(cost.import_cost_at(at_h(4)), 39 * 0.10 + 10 * 0.30, 1e-12);
    EXPECT_NEAR(cost.export_revenue_at(at_h(4)), 2 * 0.05, 1e-12);
    EXPECT_NEAR(cost.net_at(at_h(4)), 6.9 - 0.1, 1e-12);
    // Inside a row: 00:30 + 15 min at 12 kW.
    EXPECT_NEAR(cost.import_cost_at(at_h(0.75)), (1 + 3) * 0.10, 1e-12);
    EXPECT_DOUBLE_EQ(cost.import_cost_at(Time(at_h(0).ms() - 1)), 0.0);
    EXPECT_NEAR(cost.import_cost_at(at_h(10)), cost.import_cost_at(at_h(4)), 1e-12)
        << "nothing after the end";
    // The engine's KPIs, computed from the same database with the tariff itself, agree.
    const auto kpis =
        compute_kpis(RunReader(d.file), d.run.id, test::TwoBandTariff(), test::tiny_spec().economics);
    for (const auto& k : kpis) {
        if (k.name == "energy_cost") {
            EXPECT_NEAR(k.value, cost.import_cost_at(d.end()), 1e-9);
        }
        if (k.name == "export_revenue") {
            EXPECT_NEAR(k.value, cost.export_revenue_at(d.end()), 1e-9);
        }
    }
    const auto bands = price_bands(d.prices, at_h(-1), at_h(6));
    ASSERT_EQ(bands.size(), 2u);
    EXPECT_EQ(bands[0].from, at_h(0)) << "no band before the first price";
    EXPECT_EQ(bands[0].to, at_h(2));
    EXPECT_DOUBLE_EQ(bands[0].import_price, 0.10);
    EXPECT_EQ(bands[1].from, at_h(2));
    EXPECT_EQ(bands[1].to, at_h(6));
    EXPECT_DOUBLE_EQ(bands[1].import_price, 0.30);
    EXPECT_EQ(price_bands(d.prices, at_h(0), at_h(4), 1).size(), 1u);
    EXPECT_TRUE(price_bands(PriceColumns{}, at_h(0), at_h(4)).empty());
}

TEST(RunData, KpiDeltasMatchByName) {
    const std::vector<Kpi> a{{"energy_cost", 10.0, "EUR"}, {"peak_import", 50.0, "kW"}, {"pv", NAN, "%"}};
    const std::vector<Kpi> b{{"peak_import", 40.0, "kW"}, {"energy_cost", 12.5, "EUR"}, {"extra", 1.0, ""}};
    const auto d = kpi_deltas(a, b);
    ASSERT_EQ(d.size(), 4u);
    EXPECT_EQ(d[0].name, "energy_cost");
    EXPECT_DOUBLE_EQ(*d[0].delta, 2.5);
    EXPECT_DOUBLE_EQ(*d[0].relative, 0.25);
    EXPECT_DOUBLE_EQ(*d[1].delta, -10.0);
    EXPECT_FALSE(d[2].a) << "NaN is undefined";
    EXPECT_FALSE(d[2].delta);
    EXPECT_EQ(d[3].name, "extra");
    EXPECT_FALSE(d[3].a);
}

TEST(RunData, ForeignOrBrokenFilesGiveAClearError) {
    const auto dir = test::temp_dir("viewer_bad");
    const auto text = test::write_file(dir / "notes.db", "this is not a database\n");
    const std::string m1 = test::error_of<ResultsError>([&] { RunData::load(text); });
    EXPECT_NE(m1.find("notes.db"), std::string::npos) << m1;
    EXPECT_NE(m1.find("not an SQLite database"), std::string::npos) << m1;
    const std::string m2 = test::error_of<ResultsError>([&] { RunData::load(dir / "missing.db"); });
    EXPECT_NE(m2.find("missing.db"), std::string::npos) << m2;
    const std::string m3 = test::error_of<ResultsError>([&] { RunData::load(tiny_db("viewer_bad_run"), 7); });
    EXPECT_NE(m3.find("7"), std::string::npos) << m3;
}

}  // namespace
}  // namespace evtwin::viewer
