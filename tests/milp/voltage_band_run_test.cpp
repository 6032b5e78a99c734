// End to end: mpc with `voltage=hold` keeps a feeder's bus in its band where uncontrolled charging
// pulls it out. The one cable of 0.6 ohm (support/feeder_site.hpp): the vehicle's 30 kW from 10:00
// to 12:00 would leave bus b at 0.871 per unit. Holding 0.901 (the band's 0.90 and mpc's margin of
// 0.001) allows each phase P = V_b·(V_s − V_b) / R, V_b = 0.901·V_s: 23.79 kW in all, by hand.
#include "golden/invariants.hpp"
#include "record/reader/run_reader.hpp"
#include "support/feeder_site.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace evtwin {
namespace {

constexpr double kSourceVolts = test::kOneLineSourceVolts;

struct HeldRun {
    std::map<std::string, double> kpis;
    std::vector<test::Voltage> phase_a;  // bus b's recorded voltage on phase 1
};

HeldRun run_on_one_cable(const std::string& strategy, const std::string& options) {
    const auto dir = test::temp_dir("voltage-band-run-" + strategy);
    const auto scenario = test::one_line_feeder(dir / "cable.lua", 0.6);
    const auto db = dir / "run.db";
    const auto r = test::run_command(test::evtwin_binary().string() + " run " + scenario.string() +
                                     " --strategy " + strategy + options + " --db " + db.string());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    HeldRun run;
    if (r.exit_code != 0) return run;
    const RunReader reader(db);
    const RunId id = reader.latest_run();
    test::expect_session_energy_matches_series(reader, id);
    for (const Kpi& k : reader.kpis(id)) run.kpis[k.name] = k.value;
    run.phase_a = test::voltages(db, "b", 1);
    return run;
}

TEST(VoltageBandRun, MpcHoldsTheBusInItsBandWhereUncontrolledChargingPullsItOut) {
    const HeldRun free = run_on_one_cable("uncontrolled", "");
    ASSERT_FALSE(free.kpis.empty());
    EXPECT_DOUBLE_EQ(free.kpis.at("feeder_hours_out_of_band"), 2.0);

    const HeldRun held = run_on_one_cable("mpc", " --opt mpc.voltage=hold");
    ASSERT_FALSE(held.kpis.empty());
    EXPECT_EQ(held.kpis.at("feeder_hours_out_of_band"), 0.0);
    EXPECT_EQ(held.kpis.at("feeder_violations"), 0.0);
    EXPECT_GE(held.kpis.at("feeder_min_voltage"), 0.9);
    // While it charges the bus sits at 0.901 (the plan is checked on the feeder to 1e-4 per unit).
    int charging = 0;
    for (const test::Voltage& v : held.phase_a)
        if (v.v_pu < 1.0) {
            EXPECT_NEAR(v.v_pu, 0.901, 1e-4 + 1e-12) << v.t_ms;
            ++charging;
        }
    EXPECT_GT(charging, 0);
    const double held_volts = 0.901 * kSourceVolts;
    const double most_kw = 3.0 * held_volts * (kSourceVolts - held_volts) / 0.6 / 1000.0;
    EXPECT_NEAR(held.kpis.at("energy_delivered"), 2.0 * most_kw, 0.01 * 2.0 * most_kw);
}

}  // namespace
}  // namespace evtwin
