// A feeder's regulator acting over time (distribution_feeder { tap_control = "timed" }): one tap
// step when its delay has passed, then one every tap delay while its relay stays out of its band;
// and at once with the static control.
#include <evtwin/run.hpp>
#include <evtwin/scenario.hpp>

#include "scenario/scenario_impl.hpp"
#include "support/feeder_site.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace evtwin {
namespace {

// A single-phase regulator of negligible impedance from a 12.47 kV source (119.99 V on its relay's
// 120 V scale) to bus r, band 119..121 V, with a line-drop compensator of R = 6 V at 10 A; the site
// at r takes a 72 kW charger, 10 A at 7.2 kV, which takes 6 V off the relay. One vehicle charges at
// 72 kW from 10:00 to 12:00.
std::filesystem::path regulated_site(const std::string& name, const std::string& tap_control) {
    const auto dir = test::temp_dir("feeder-taps-" + name);
    test::write_file(
        dir / "regulated.dss",
        "New Circuit.r basekv=12.47 pu=1.0 bus1=s\n"
        "New Transformer.reg phases=1 windings=2 buses=(s.1 r.1) conns='wye wye' kvs=\"7.2 7.2\" "
        "kvas=\"5000 5000\" XHL=0.001 %rs=(0.00001 0.00001)\n"
        "New RegControl.c transformer=reg winding=2 ptratio=60 vreg=120 band=2 ctprim=10 R=6 X=0 "
        "delay=15 tapdelay=2\n"
        "Set VoltageBases=[12.47]\n");
    return test::write_file(
        dir / (name + ".lua"),
        "scenario { name = \"taps\", timezone = \"UTC\", start = \"2016-03-07\", duration = days(1) }\n"
        "grid {}\n"
        "local t = transformer { name = \"T\" }\n"
        "charger { name = \"CP\", parent = t, max_kw = 72, efficiency = 1 }\n"
        "distribution_feeder { dss = \"regulated.dss\", sites = { { node = t, bus = \"r\" } }, tap_control "
        "= " +
            tap_control +
            " }\n"
            "tariff { prices_csv = data(\"prices/nl_day_ahead_2016.csv\"), timezone = \"Europe/Amsterdam\", "
            "price_scale = 0.001 }\n"
            "session { arrival = \"2016-03-07T10:00\", departure = \"2016-03-07T12:00\", requested_kwh = "
            "300,\n"
            "          capacity_kwh = 400, initial_soc = 0.1, max_ac_kw = 80 }\n");
}

std::vector<test::Voltage> run_and_read(const std::filesystem::path& scenario) {
    RunOptions options;
    options.strategy = "uncontrolled";
    options.db = scenario.parent_path() / "run.db";
    const RunOutcome outcome = run_scenario(Scenario::load(scenario), options);
    return test::voltages(outcome.db, "r", 1);
}

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kTenOClock = 10 * 3600 * kSecond;
constexpr std::int64_t kNoon = 12 * 3600 * kSecond;

TEST(FeederTapDelay, ARegulatorStepsOneTapAfterItsDelayThenOneEveryTapDelay) {
    const auto scenario = regulated_site("timed", "\"timed\"");
    const std::int64_t start = Scenario::load(scenario).impl().loaded.start.ms();
    const std::vector<test::Voltage> v = run_and_read(scenario);
    // At tap k the relay reads 119.99 (1 + 0.00625 k) less 6 V x the current over 10 A, the current
    // 10.0006 A / (1 + 0.00625 k): 113.99 V at 10:00, then 114.78, 115.56, 116.34, 117.12, 117.91,
    // 118.71 and 119.49 V at k = 7, in the band: seven steps, at 10:00:15 and every 2 s after.
    // Unloaded at noon, it reads 125.24 V: six steps down, from 12:00:15, to 120.74 V at k = 1.
    std::vector<std::int64_t> expected_t = {start};
    std::vector<int> expected_k = {0};
    for (int k = 1; k <= 7; ++k) {
        expected_t.push_back(start + kTenOClock + 15 * kSecond + 2 * kSecond * (k - 1));
        expected_k.push_back(k);
    }
    for (int k = 6; k >= 1; --k) {
        expected_t.push_back(start + kNoon + 15 * kSecond + 2 * kSecond * (6 - k));
        expected_k.push_back(k);
    }
    ASSERT_EQ(v.size(), expected_t.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        EXPECT_EQ(v[i].t_ms, expected_t[i]) << i;
        EXPECT_NEAR(v[i].v_pu, 1.0 + 0.00625 * expected_k[i], 0.6e-4) << i;  // recorded on steps of 1e-4
    }
}

TEST(FeederTapDelay, TheStaticControlMovesAtOnceTowardItsSetpoint) {
    // 113.99 V: round((120 - 113.99) / 0.75) = 8 steps at 10:00 (120.52 V), and back to 0 at noon.
    const auto scenario = regulated_site("static", "true");
    const std::int64_t start = Scenario::load(scenario).impl().loaded.start.ms();
    const std::vector<test::Voltage> v = run_and_read(scenario);
    ASSERT_EQ(v.size(), 3u);
    EXPECT_EQ(v[1].t_ms, start + kTenOClock);
    EXPECT_NEAR(v[1].v_pu, 1.05, 0.6e-4);
    EXPECT_EQ(v[2].t_ms, start + kNoon);
    EXPECT_NEAR(v[2].v_pu, 1.0, 0.6e-4);
}

}  // namespace
}  // namespace evtwin
