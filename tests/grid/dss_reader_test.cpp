#include "grid/dss_reader.hpp"

#include <evtwin/errors.hpp>

#include <gtest/gtest.h>

#include <string>

namespace evtwin::grid {
namespace {

const char* const dss_two_bus = R"(
Clear
New Circuit.two basekv=12.47 pu=1.02 angle=10 bus1=src  ! the source
New LineCode.c3 nphases=3 units=kft normamps=250
~ rmatrix=(0.1 | 0.02 0.1 | 0.02 0.02 0.1)
~ xmatrix=[0.3 0.05 0.05 | 0.05 0.3 0.05 | 0.05 0.05 0.3]
// a full matrix above, a lower triangle before it
New Line.l1 bus1=src bus2=b linecode=c3 length=500 units=ft
New Load.big bus1=b phases=3 conn=wye model=1 kv=12.47 kw=(300 3 *) kvar=100
/* a block
New Load.hidden bus1=b kw=1
*/
Edit Load.big kvar=200 kw=1
Load.big.model=2 vminpu=0.85 kw=(300 3 *)
Set VoltageBases=[12.47]
Solve
)";

std::string dss_error_of(const std::string& text) {
    try {
        read_dss_text(text, "feeder.dss");
    } catch (const DataError& e) {
        return e.what();
    }
    return "no error";
}

TEST(DssReader, ReadsElementsEditsRpnMatricesAndComments) {
    const Network network = read_dss_text(dss_two_bus, "two.dss");
    EXPECT_EQ(network.name, "two");
    EXPECT_DOUBLE_EQ(network.source.kv, 12.47);
    EXPECT_DOUBLE_EQ(network.source.per_unit, 1.02);
    EXPECT_DOUBLE_EQ(network.source.angle_deg, 10.0);
    ASSERT_EQ(network.lines.size(), 1u);
    const Line& line = network.lines[0];
    // 500 ft of a code given per kft.
    EXPECT_NEAR(line.series_impedance_ohm(0, 0).real(), 0.05, 1e-12);
    EXPECT_NEAR(line.series_impedance_ohm(2, 1).real(), 0.01, 1e-12);
    EXPECT_NEAR(line.series_impedance_ohm(0, 0).imag(), 0.15, 1e-12);
    EXPECT_NEAR(line.series_impedance_ohm(1, 2).imag(), 0.025, 1e-12);
    EXPECT_DOUBLE_EQ(line.normal_amps, 250.0);     // the code's
    EXPECT_DOUBLE_EQ(line.emergency_amps, 600.0);  // OpenDSS's default
    ASSERT_EQ(network.loads.size(), 1u);
    EXPECT_DOUBLE_EQ(network.loads[0].kw, 900.0);
    EXPECT_DOUBLE_EQ(network.loads[0].kvar, 200.0);
    EXPECT_EQ(network.loads[0].model, LoadModel::constant_impedance);
    EXPECT_EQ(network.loads[0].terminal.conductors, (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(network.voltage_bases_kv, (std::vector<double>{12.47}));
}

TEST(DssReader, BusConductorsAndGroundedNeutral) {
    const Network network = read_dss_text(R"(
New Circuit.c bus1=s
New Line.l bus1=s.1.2.3 bus2=x.3.2.1 r1=1 x1=1 r0=2 x0=2 c1=0 c0=0
New Load.a bus1=x.2.0 phases=1 kv=7.2 kw=10 kvar=0
New Load.d bus1=x.3.1 phases=1 conn=delta kv=12.47 kw=10 kvar=0
)",
                                          "c.dss");
    EXPECT_EQ(network.lines[0].to.conductors, (std::vector<int>{3, 2, 1}));
    EXPECT_EQ(network.loads[0].terminal.conductors, (std::vector<int>{2}));
    EXPECT_EQ(network.loads[1].terminal.conductors, (std::vector<int>{3, 1}));
    // Sequence impedances: self (2 z1 + z0) / 3, mutual (z0 - z1) / 3.
    EXPECT_NEAR(network.lines[0].series_impedance_ohm(0, 0).real(), 4.0 / 3.0, 1e-12);
    EXPECT_NEAR(network.lines[0].series_impedance_ohm(0, 1).real(), 1.0 / 3.0, 1e-12);
}

TEST(DssReader, BadInputNamesTheFileTheLineAndWhatWasExpected) {
    EXPECT_EQ(dss_error_of("New Circuit.c\nNew Fuse.f1 bus1=x"),
              "feeder.dss:2: unsupported class 'fuse': expected Circuit, Line, LineCode, Load, Transformer, "
              "RegControl "
              "or Capacitor");
    EXPECT_EQ(dss_error_of("New Circuit.c\nNew Load.l bus1=x kw=abc"),
              "feeder.dss:2: expected a number for kw, got 'abc'");
    EXPECT_EQ(dss_error_of("~ kw=1"), "feeder.dss:1: a continuation line with no element before it");
    EXPECT_EQ(dss_error_of("New Circuit.c\n\nNew Line.l bus1=a bus2=b rmatrix=(1 | 2 3"),
              "feeder.dss:3: expected ')' to close the value opened by '('");
    EXPECT_EQ(dss_error_of("New Circuit.c\nNew Line.l bus1=a bus2=b linecode=nowhere"),
              "feeder.dss:2: Line.l: no LineCode named 'nowhere'");
    EXPECT_EQ(dss_error_of("New Circuit.c\n/* open\n"),
              "feeder.dss:2: expected '*/' to close a comment block");
    EXPECT_EQ(dss_error_of("Redirect other.dss"),
              "feeder.dss:1: Redirect is not available here: the script has no folder");
    EXPECT_EQ(dss_error_of("New Circuit.c\nNew Load.l bus1=x.4 phases=1"),
              "feeder.dss:2: expected conductors 0 to 3 after the bus name in 'x.4'");
    EXPECT_EQ(dss_error_of("New Circuit.c\nNew Load.l bus1=x kw=1 model=3"),
              "feeder.dss:2: unsupported load model 3: expected 1 (constant PQ), 2 (constant Z), 5 "
              "(constant |I|) or 8 (ZIP, with ZIPV)");
    EXPECT_EQ(dss_error_of("New Circuit.c\nNew Load.l bus1=x kw=1 model=8"),
              "feeder.dss:2: Load.l: model 8 (ZIP) without ZIPV");
    EXPECT_EQ(dss_error_of("New Circuit.c\nNew Load.l bus1=x model=8 zipv=[1 0 0 1 0 0]"),
              "feeder.dss:2: expected ZIPV as 7 numbers [Zp Ip Pp Zq Iq Pq Vcutoff], got 6");
    EXPECT_EQ(dss_error_of("New Circuit.c\nNew Load.l bus1=x model=8 zipv=[0.5 0.5 0.5 1 0 0 0.8]"),
              "feeder.dss:2: expected ZIPV's active power shares to sum to 1, got '0.5 0.5 0.5 1 0 0 0.8'");
    EXPECT_EQ(dss_error_of("New Circuit.c\nNew RegControl.r transformer=t delay=-1"),
              "feeder.dss:2: expected a number of at least 0 for delay, got '-1'");
    EXPECT_EQ(dss_error_of("New Circuit.c\nNew Load.l bus1=x colour=red"),
              "feeder.dss:2: unsupported property 'colour' of Load");
    EXPECT_EQ(dss_error_of("New Circuit.c\nNew Line.l bus1=a bus2=b rmatrix=(1 | 2)"),
              "feeder.dss:2: expected rmatrix as a lower triangle or a full matrix, rows separated by '|'");
    EXPECT_EQ(dss_error_of("New Circuit.c\nEdit Load.none kw=1"),
              "feeder.dss:2: no element load.none to edit");
    EXPECT_EQ(dss_error_of("New Circuit.c\nNew Transformer.t buses=[a]"),
              "feeder.dss:2: expected two values for buses (one per winding), got 'a'");
    EXPECT_EQ(dss_error_of("New Circuit.c\nFrobnicate"), "feeder.dss:2: unsupported command 'Frobnicate'");
    EXPECT_EQ(dss_error_of("New Line.l bus1=a bus2=b"),
              "the script defines no Circuit (New Circuit.<name> ...)");
    EXPECT_EQ(dss_error_of("New Circuit.c\nNew Load.l bus1=x kw=(1 0 /)"),
              "feeder.dss:2: expected a number or RPN expression for kw, got '1 0 /'");
}

// like=: a copy of the named element of the class, its own name kept, the properties after it applied.
TEST(DssReader, LikeCopiesAnElementAndThePropertiesAfterItChangeTheCopy) {
    const Network network = read_dss_text(R"(
New Circuit.c bus1=s basekv=4.16 R1=0 X1=0.0001 R0=0 X0=0.0001
New Transformer.ra phases=1 buses=[s.1 r.1] kvs=[2.4 2.4] kvas=[2000 2000] XHL=.01 ppm=0
New Transformer.rc like=ra buses=[s.3 r.3]
New RegControl.ca transformer=ra winding=2 vreg=120 band=1 ptratio=20 ctprim=50 R=0.4 X=0.4 delay=30
New RegControl.cc like=ca transformer=rc R=1.4 tapdelay=5
)",
                                          "like.dss");
    ASSERT_EQ(network.transformers.size(), 2u);
    const Transformer& rc = network.transformers[1];
    EXPECT_EQ(rc.name, "rc");
    EXPECT_EQ(rc.phases, 1);
    EXPECT_DOUBLE_EQ(rc.windings[1].kv, 2.4);
    EXPECT_DOUBLE_EQ(rc.percent_x, 0.01);
    EXPECT_DOUBLE_EQ(rc.antifloat_ppm, 0.0);
    EXPECT_EQ(rc.windings[0].terminal.conductors, (std::vector<int>{3}));
    ASSERT_EQ(network.regulators.size(), 2u);
    const RegulatorControl& cc = network.regulators[1];
    EXPECT_EQ(cc.name, "cc");
    EXPECT_EQ(cc.transformer, "rc");
    EXPECT_DOUBLE_EQ(cc.band, 1.0);
    EXPECT_DOUBLE_EQ(cc.ct_primary_a, 50.0);
    EXPECT_DOUBLE_EQ(cc.r_volts, 1.4);
    EXPECT_DOUBLE_EQ(cc.x_volts, 0.4);
    EXPECT_DOUBLE_EQ(cc.delay_s, 30.0);
    EXPECT_DOUBLE_EQ(cc.tap_delay_s, 5.0);
    EXPECT_DOUBLE_EQ(network.regulators[0].tap_delay_s, 2.0);  // OpenDSS's default
    EXPECT_EQ(dss_error_of("New Circuit.c\nNew Load.a bus1=x\nNew Load.b like=nobody"),
              "feeder.dss:3: like=nobody: no other element of this class by that name");
}

TEST(DssReader, ReadsAFileAndItsRedirects) {
    EXPECT_THROW(read_dss_file("/nonexistent/feeder.dss"), DataError);
    const Network network =
        read_dss_file(std::string(EVTWIN_TEST_SOURCE_DIR) + "/tests/grid/data/ieee13/IEEE13Nodeckt.dss");
    EXPECT_EQ(network.lines.size(), 12u);
    EXPECT_EQ(network.transformers.size(), 5u);
    EXPECT_EQ(network.regulators.size(), 3u);
    EXPECT_EQ(network.loads.size(), 18u);
    EXPECT_EQ(network.capacitors.size(), 2u);
    EXPECT_DOUBLE_EQ(network.transformers[1].windings[1].tap, 1.0625);
    EXPECT_DOUBLE_EQ(network.transformers[0].percent_x, 0.008);
    EXPECT_TRUE(network.lines.back().is_switch);
    const Network redirected =
        read_dss_file(std::string(EVTWIN_TEST_SOURCE_DIR) + "/tests/grid/data/redirect/master.dss");
    ASSERT_EQ(redirected.lines.size(), 1u);
    EXPECT_NEAR(redirected.lines[0].series_impedance_ohm(0, 0).real(), (2 * 0.2 + 0.6) / 3, 1e-12);
}

}  // namespace
}  // namespace evtwin::grid
