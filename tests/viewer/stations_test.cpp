#include "viewer/data/stations.hpp"
#include "record/health_run.hpp"
#include "support/test_support.hpp"
#include "viewer/data/run_data.hpp"

#include <gtest/gtest.h>

namespace evtwin::viewer {
namespace {

using test::at_h;

RunData tiny(const std::string& name) {
    return RunData::load(test::write_health_run(test::temp_dir(name) / "tiny.db"));
}

TEST(Stations, OnePerChargerWithItsConnectors) {
    const RunData d = tiny("stations_per_charger");
    ASSERT_EQ(d.stations.size(), 2u);
    EXPECT_EQ(d.stations[0].name, "A");
    EXPECT_TRUE(d.stations[0].v2g_capable);
    EXPECT_DOUBLE_EQ(d.stations[0].max_kw, 11.0);
    ASSERT_EQ(d.stations[0].connectors.size(), 1u);
    EXPECT_EQ(d.stations[0].connectors[0], 0u);
    EXPECT_EQ(d.stations[1].name, "B");
    EXPECT_FALSE(d.stations[1].v2g_capable);
    // A: 0 kW, 10 kW from 00:30, -5 kW (V2G) from 02:00, 0 from 03:00; a row only on change.
    const StationColumns& a = d.stations[0];
    ASSERT_EQ(a.t.size(), 4u);
    EXPECT_EQ(a.t[2], at_h(2).ms());
    EXPECT_DOUBLE_EQ(a.charge_kw[2], 0.0);
    EXPECT_DOUBLE_EQ(a.discharge_kw[2], -5.0);
    EXPECT_DOUBLE_EQ(a.charge_kw[1], 10.0);
}

TEST(Stations, EnergyChargedAndDischargedOverTheRunAndAWindow) {
    const RunData d = tiny("stations_energy");
    // A charges 10 kW for 1.5 h and feeds back 5 kW for 1 h; B charges 20 kW for 2 h.
    EXPECT_DOUBLE_EQ(d.stations[0].run_total.charged_kwh, 15.0);
    EXPECT_DOUBLE_EQ(d.stations[0].run_total.discharged_kwh, 5.0);
    EXPECT_DOUBLE_EQ(d.stations[1].run_total.charged_kwh, 40.0);
    EXPECT_DOUBLE_EQ(d.stations[1].run_total.discharged_kwh, 0.0);
    // Their sum is the sessions' grid energy (10 + 40 kWh net).
    EXPECT_DOUBLE_EQ(d.stations[0].run_total.charged_kwh - d.stations[0].run_total.discharged_kwh +
                         d.stations[1].run_total.charged_kwh - d.stations[1].run_total.discharged_kwh,
                     d.sessions[0].grid_kwh + d.sessions[1].grid_kwh);
    // 01:30-02:30: half an hour of each sign on A.
    const StationEnergy w = station_energy(d.stations[0], d.end(), at_h(1.5), at_h(2.5));
    EXPECT_DOUBLE_EQ(w.charged_kwh, 5.0);
    EXPECT_DOUBLE_EQ(w.discharged_kwh, 2.5);
    EXPECT_DOUBLE_EQ(station_energy(d.stations[1], d.end(), at_h(1.5), at_h(2.5)).charged_kwh, 20.0);
    // Nothing before the first row or after the end.
    EXPECT_DOUBLE_EQ(station_energy(d.stations[0], d.end(), at_h(-2), at_h(0.5)).charged_kwh, 0.0);
    EXPECT_DOUBLE_EQ(station_energy(d.stations[1], d.end(), at_h(4), at_h(9)).charged_kwh, 0.0);
}

TEST(Stations, BucketsSplitBySign) {
    const RunData d = tiny("stations_buckets");
    const StationBuckets b = station_buckets(d.stations[0], d.end(), at_h(0), at_h(4), 4);
    ASSERT_EQ(b.charge.size(), 4u);
    EXPECT_DOUBLE_EQ(b.charge[0].mean, 5.0);  // 0 then 10 kW, half an hour each
    EXPECT_DOUBLE_EQ(b.charge[1].mean, 10.0);
    EXPECT_DOUBLE_EQ(b.charge[2].mean, 0.0);
    EXPECT_DOUBLE_EQ(b.discharge[2].mean, -5.0);
    EXPECT_DOUBLE_EQ(b.discharge[2].min, -5.0);
    EXPECT_DOUBLE_EQ(b.discharge[1].mean, 0.0);
}

TEST(Stations, ConnectorsOfOneChargerChargingAndDischargingShowBoth) {
    SiteTree tree;
    ConnectorRecord c1;
    c1.index = 0;
    c1.charger = 3;
    c1.charger_name = "DC1";
    c1.max_kw = 50;
    c1.v2g_capable = true;
    ConnectorRecord c2 = c1;
    c2.index = 1;
    tree.connectors = {c1, c2};
    std::vector<ConnectorColumns> cols(2);
    cols[0].t = {at_h(0).ms(), at_h(1).ms()};
    cols[0].kw = {20, -10};
    cols[1].t = {at_h(0.5).ms()};
    cols[1].kw = {30};
    const auto st = station_columns(tree, cols, at_h(2));
    ASSERT_EQ(st.size(), 1u);
    ASSERT_EQ(st[0].t.size(), 3u);
    EXPECT_DOUBLE_EQ(st[0].charge_kw[1], 50.0);
    EXPECT_DOUBLE_EQ(st[0].charge_kw[2], 30.0);
    EXPECT_DOUBLE_EQ(st[0].discharge_kw[2], -10.0);
    EXPECT_DOUBLE_EQ(st[0].run_total.charged_kwh, 20 * 0.5 + 50 * 0.5 + 30 * 1.0);
    EXPECT_DOUBLE_EQ(st[0].run_total.discharged_kwh, 10.0);
}

TEST(StepColumns, IntegralIsExactOverAnyWindow) {
    const std::vector<std::int64_t> t{at_h(0).ms(), at_h(1).ms(), at_h(3).ms()};
    const std::vector<double> v{2.0, -4.0, 6.0};
    EXPECT_DOUBLE_EQ(integrate_kwh(t, v, at_h(4), Time::min(), Time::max()), 2 - 8 + 6);
    EXPECT_DOUBLE_EQ(integrate_kwh(t, v, at_h(4), at_h(0.5), at_h(1.5)), 1 - 2);
    EXPECT_DOUBLE_EQ(integrate_kwh(t, v, at_h(4), at_h(3.5), at_h(9)), 3);
    EXPECT_DOUBLE_EQ(integrate_kwh(t, v, at_h(4), at_h(2), at_h(2)), 0);
    EXPECT_DOUBLE_EQ(integrate_kwh({}, {}, at_h(4), at_h(0), at_h(4)), 0);
}

}  // namespace
}  // namespace evtwin::viewer
