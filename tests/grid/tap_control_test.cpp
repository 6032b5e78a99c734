// Regulator tap control on networks small enough to work by hand: one single-phase regulator of
// negligible impedance between a 12.47 kV source (7199.6 V to ground, 119.99 V through a PT of 60)
// and bus r, so that its relay reads 119.99 * (1 + 0.00625 k) at tap position k, less the line-drop
// compensator's R volts per CT rating of current.
#include "grid/tap_control.hpp"
#include "grid/dss_reader.hpp"
#include "grid/regulator_relay.hpp"

#include <evtwin/errors.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace evtwin::grid {
namespace {

Network regulated_bus(double source_pu, const std::string& control, const std::string& load = "") {
    return read_dss_text("New Circuit.r basekv=12.47 pu=" + std::to_string(source_pu) +
                             " bus1=s\n"
                             "New Transformer.reg phases=1 windings=2 buses=(s.1 r.1) conns='wye wye'\n"
                             "~ kvs=\"7.2 7.2\" kvas=\"5000 5000\" XHL=0.001 %rs=(0.00001 0.00001)\n"
                             "New RegControl.c transformer=reg winding=2 ptratio=60 " +
                             control + "\n" + load + "\nSet VoltageBases=[12.47]\n",
                         "regulated.dss");
}

double relay_volts(const Network& network, const TapControlOutcome& outcome) {
    return std::abs(regulator_relay_volts(network, outcome.solution, network.regulators[0]));
}

TEST(TapControl, OutsideItsBandARegulatorStepsTowardItsSetpoint) {
    RegulatorControl regulator;
    regulator.vreg = 120.0;
    regulator.band = 2.0;  // 119 to 121 V; a step is 0.75 V
    EXPECT_EQ(tap_steps_into_band(regulator, 120.5), 0);
    EXPECT_EQ(tap_steps_into_band(regulator, 119.0), 0);
    EXPECT_EQ(tap_steps_into_band(regulator, 119.6), 0);
    EXPECT_EQ(tap_steps_into_band(regulator, 118.9), 1);  // 1.1 V / 0.75 = 1.5
    EXPECT_EQ(tap_steps_into_band(regulator, 115.0), 7);  // 5 V / 0.75 = 6.7
    EXPECT_EQ(tap_steps_into_band(regulator, 121.8), -2);
}

// 119.99 V below the band 125..127: k = round((126 - 119.99) / 0.75) = 8, then 125.99 V.
TEST(TapControl, RaisesTheTapUntilTheRelayIsInItsBand) {
    Network network = regulated_bus(1.0, "vreg=126 band=2");
    const TapControlOutcome outcome = solve_with_tap_control(network);
    ASSERT_TRUE(outcome.settled);
    EXPECT_EQ(tap_position(network, network.regulators[0]), 8);
    EXPECT_EQ(outcome.control_iterations, 2);
    EXPECT_NEAR(relay_volts(network, outcome), 119.99 * (1 + 8 * 0.00625), 0.01);
}

// 125.99 V above the band 119..121: k = round((120 - 125.99) / 0.75) = -8, then 119.69 V.
TEST(TapControl, LowersTheTapWhenTheRelayIsAboveItsBand) {
    Network network = regulated_bus(1.05, "vreg=120 band=2");
    const TapControlOutcome outcome = solve_with_tap_control(network);
    ASSERT_TRUE(outcome.settled);
    EXPECT_EQ(tap_position(network, network.regulators[0]), -8);
    EXPECT_NEAR(relay_volts(network, outcome), 1.05 * 119.99 * (1 - 8 * 0.00625), 0.01);
}

// A 720 kW constant-current load takes 100 A, in phase with its voltage: with R = 6 V at a CT of
// 100 A the relay reads 6 V less, so k = round((120 - 113.99) / 0.75) = 8 and the relay 119.99 V.
TEST(TapControl, TheLineDropCompensatorRaisesTheTapForTheLoadsCurrent) {
    Network network = regulated_bus(1.0, "vreg=120 band=2 ctprim=100 R=6 X=0",
                                    "New Load.i bus1=r.1 phases=1 kv=7.2 kw=720 kvar=0 model=5");
    const TapControlOutcome outcome = solve_with_tap_control(network);
    ASSERT_TRUE(outcome.settled);
    EXPECT_EQ(tap_position(network, network.regulators[0]), 8);
    EXPECT_NEAR(relay_volts(network, outcome), 119.99 * (1 + 8 * 0.00625) - 6.0, 0.02);
}

// A band out of reach: the tap stops at +10 % (16 steps) and nothing moves further.
TEST(TapControl, StopsAtTheTapLimit) {
    Network network = regulated_bus(1.0, "vreg=140 band=2");
    const TapControlOutcome outcome = solve_with_tap_control(network);
    EXPECT_TRUE(outcome.settled);
    EXPECT_EQ(tap_position(network, network.regulators[0]), 16);
    EXPECT_NEAR(relay_volts(network, outcome), 119.99 * 1.1, 0.01);
}

// A three-phase (ganged) regulator: measured on its first phase, 2401.8 V over a PT of 20 = 120.09 V,
// k = round((126 - 120.09) / 0.75) = 8, and all three phases step together.
TEST(TapControl, AGangedRegulatorMovesItsThreePhasesTogether) {
    Network network = read_dss_text(
        "New Circuit.g basekv=4.16 bus1=s\n"
        "New Transformer.reg phases=3 buses=[s r] conns=[wye wye] kvs=[4.16 4.16] kvas=[5000 5000] "
        "XHL=0.001\n"
        "~ %rs=(0.00001 0.00001)\n"
        "New RegControl.c transformer=reg winding=2 vreg=126 band=2 ptratio=20\n"
        "Set VoltageBases=[4.16]\n",
        "ganged.dss");
    const TapControlOutcome outcome = solve_with_tap_control(network);
    ASSERT_TRUE(outcome.settled);
    EXPECT_EQ(tap_position(network, network.regulators[0]), 8);
    const int r = *network.find_bus("r");
    for (int k = 1; k <= 3; ++k) EXPECT_NEAR(outcome.solution.per_unit(r, k)->real(), 1.05, 1e-6);
}

TEST(TapControl, ARegControlOfAMissingWindingIsAnError) {
    Network network = regulated_bus(1.0, "vreg=120 band=2");
    network.regulators[0].winding = 3;
    EXPECT_THROW(solve_with_tap_control(network), DataError);
}

}  // namespace
}  // namespace evtwin::grid
