// distribution_feeder{}: a feeder described in Lua or read from an OpenDSS file, the site's nodes on
// its buses, and the errors a bad one raises.
#include "model/feeder_spec.hpp"
#include "scenario_test_util.hpp"

#include <gmock/gmock.h>

#include <cmath>
#include <numbers>

namespace evtwin::test {
namespace {

using ::testing::HasSubstr;

// Lines 4 and 5 (after kHeader's three).
const char* const kSite =
    "local t = transformer { name = \"T\", limit_kw = 50 }\n"
    "charger { name = \"CP\", parent = t, max_kw = 22 }\n";

// A 0.4 kV feeder in Lua: the substation, one cable code, two lines, a load and a capacitor.
std::string lua_feeder(const std::string& extra = "",
                       const std::string& sites = "{ { node = t, bus = \"b2\" } }") {
    return "distribution_feeder {\n"                                 // line 6
           "  name = \"lv\",\n"                                      // 7
           "  source = { bus1 = \"s\", basekv = 0.4, pu = 1.0 },\n"  // 8
           "  linecodes = { { name = \"cable\", nphases = 3, r1 = 0.2, x1 = 0.08, r0 = 0.6, x0 = 0.3,\n"
           "                  c1 = 0, c0 = 0, units = \"km\", normamps = 200 } },\n"  // 10
           "  lines = { { name = \"l1\", bus1 = \"s\", bus2 = \"b1\", linecode = \"cable\", length = 0.3, "
           "units = \"km\" },\n"
           "            { name = \"l2\", bus1 = \"b1\", bus2 = \"b2\", phases = 3, r1 = 0.1, x1 = 0.05, r0 = "
           "0.1,\n"
           "              x0 = 0.05, c1 = 0, c0 = 0, length = 1, units = \"none\" } },\n"         // 13
           "  loads = { { name = \"houses\", bus1 = \"b1\", kv = 0.4, kw = 30, pf = 0.95 } },\n"  // 14
           "  capacitors = { { name = \"c1\", bus1 = \"b2\", kv = 0.4, kvar = 10 } },\n" +        // 15
           extra +                                                                                // 16
           "  sites = " +
           sites +
           ",\n"
           "}\n";
}

TEST(DistributionFeederDsl, AFeederDescribedInLuaReachesTheSpec) {
    const auto file = write_scenario("feeder-lua", std::string(kHeader) + kSite + lua_feeder());
    const ScenarioSpec spec = load_scenario(file);
    ASSERT_TRUE(spec.feeder);
    const FeederSpec& f = *spec.feeder;
    EXPECT_EQ(f.name, "lv");
    EXPECT_EQ(f.network.buses.size(), 3u);
    ASSERT_EQ(f.network.lines.size(), 2u);
    EXPECT_EQ(f.network.lines[0].normal_amps, 200.0);
    // 0.3 km of 0.2 + j0.08 ohm/km (positive sequence), zero sequence 0.6 + j0.3: self (2 z1 + z0) / 3.
    EXPECT_NEAR(f.network.lines[0].series_impedance_ohm(0, 0).real(), 0.3 * (2 * 0.2 + 0.6) / 3, 1e-12);
    EXPECT_NEAR(f.network.lines[0].series_impedance_ohm(0, 1).real(), 0.3 * (0.6 - 0.2) / 3, 1e-12);
    EXPECT_NEAR(f.network.lines[1].series_impedance_ohm(1, 1).real(), 0.1, 1e-12);
    ASSERT_EQ(f.network.loads.size(), 1u);
    EXPECT_NEAR(f.network.loads[0].kvar, 30 * std::sqrt(1 / (0.95 * 0.95) - 1), 1e-9);
    EXPECT_EQ(f.network.capacitors.size(), 1u);
    // No voltage bases given: the source's level is the base of every bus.
    for (double base : f.bus_base_kv_ln) EXPECT_NEAR(base, 0.4 / std::numbers::sqrt3, 1e-12);
    EXPECT_TRUE(f.bands.empty());
    ASSERT_EQ(f.sites.size(), 1u);
    EXPECT_EQ(f.sites[0].node, 1u);
    EXPECT_EQ(f.network.buses[static_cast<std::size_t>(f.sites[0].bus)].name, "b2");
    EXPECT_EQ(f.sites[0].conductors, (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(f.v_min_pu, 0.9);
    EXPECT_EQ(f.v_max_pu, 1.1);
    EXPECT_TRUE(f.load_scales.empty());
    EXPECT_EQ(f.load_scale_of, (std::vector<int>{-1}));  // the houses keep their 30 kW
}

// A ZIP load (OpenDSS model 8) in Lua: its shares given as a list.
TEST(DistributionFeederDsl, AZipLoadKeepsItsShares) {
    std::string feeder = lua_feeder();
    const std::string houses = "kw = 30, pf = 0.95 }";
    feeder.replace(feeder.find(houses), houses.size(),
                   "kw = 30, pf = 0.95, model = 8, zipv = { 0.5, 0.3, 0.2, 0.1, 0.2, 0.7, 0.6 } }");
    const ScenarioSpec spec =
        load_scenario(write_scenario("feeder-zip", std::string(kHeader) + kSite + feeder));
    ASSERT_TRUE(spec.feeder);
    const grid::Load& load = spec.feeder->network.loads.at(0);
    EXPECT_EQ(load.model, grid::LoadModel::zip);
    EXPECT_EQ(load.zip.z_p, 0.5);
    EXPECT_EQ(load.zip.i_p, 0.3);
    EXPECT_EQ(load.zip.p_q, 0.7);
}

TEST(DistributionFeederDsl, ReadsTheIeee34FeederFromItsDssFileWithItsSitesAndLoadProfile) {
    const std::string dss = source_file("tests/grid/data/ieee34/ieee34Mod2.dss").string();
    const std::string profile = source_file("scenarios/loads/office_summer_weekday_kw.csv").string();
    const auto file = write_scenario(
        "feeder-dss",
        std::string(kHeader) + kSite +
            "local g = transformer { name = \"G\" }\n"
            "distribution_feeder { dss = \"" +
            dss +
            "\", v_min_pu = 0.95, v_max_pu = 1.05,\n"
            "  sites = { { node = t, bus = \"890\", pf = 0.9 }, { node = g, bus = \"838\" } },\n"
            "  load_profile = { file = \"" +
            profile + "\", column = \"kW\", scale = 1 / 225 },\n" +
            "  load_profiles = { { loads = { \"S890\", \"s844\" }, file = \"" + profile +
            "\", column = \"kW\", scale = 1 / 60 } } }\n");
    const ScenarioSpec spec = load_scenario(file);
    ASSERT_TRUE(spec.feeder);
    const FeederSpec& f = *spec.feeder;
    EXPECT_EQ(f.network.regulators.size(), 6u);
    ASSERT_EQ(f.sites.size(), 2u);
    EXPECT_EQ(f.sites[0].power_factor, 0.9);
    EXPECT_EQ(f.sites[1].conductors, (std::vector<int>{2}));  // 838 has phase b alone
    EXPECT_EQ(f.v_min_pu, 0.95);
    const auto b890 = f.network.find_bus("890");
    ASSERT_TRUE(b890);
    EXPECT_NEAR(f.bus_base_kv_ln[static_cast<std::size_t>(*b890)], 4.16 / std::numbers::sqrt3, 1e-12);
    EXPECT_EQ(f.bus_phases[static_cast<std::size_t>(*b890)], "123");
    // The office's 225 kW peak (14-16 h on a weekday) is the loads' nominal power, but for the spot
    // loads at 890 and 844, whose nominal power is the office's night.
    ASSERT_EQ(f.load_scales.size(), 2u);
    ASSERT_EQ(f.load_scale_of.size(), f.network.loads.size());
    int own = 0;
    for (std::size_t k = 0; k < f.network.loads.size(); ++k) {
        const std::string& name = f.network.loads[k].name;
        const bool spot = name == "s890" || name == "s844";
        EXPECT_EQ(f.load_scale_of[k], spot ? 0 : 1) << name;
        own += spot;
    }
    EXPECT_EQ(own, 2);
    const Time afternoon = spec.start + Duration::hours(15);
    EXPECT_NEAR(f.load_scales[1].value_at(afternoon), 1.0, 0.03);
    EXPECT_LT(f.load_scales[1].value_at(spec.start + Duration::hours(3)), 0.3);
    EXPECT_NEAR(f.load_scales[0].value_at(spec.start + Duration::hours(3)), 1.0, 1e-12);
    // The regulators start at the taps the tap control finds at nominal load, not at neutral.
    bool moved = false;
    for (const grid::Transformer& t : f.network.transformers)
        for (const grid::Winding& w : t.windings) moved = moved || w.tap != 1.0;
    EXPECT_TRUE(moved);
}

TEST(DistributionFeederDsl, ReadsEv2gymsNodeAndLineFiles) {
    const std::string folder = source_file("tests/grid/data/ev2gym/node_34").string();
    const auto file = write_scenario(
        "feeder-ev2gym", std::string(kHeader) + kSite + "distribution_feeder { ev2gym = { nodes = \"" +
                             folder + "/Nodes_34.csv\", lines = \"" + folder +
                             "/Lines_34.csv\", kv = 11, normamps = 300 },\n"
                             "  v_min_pu = 0.85, sites = { { node = t, bus = \"27\" } } }\n");
    const ScenarioSpec spec = load_scenario(file);
    ASSERT_TRUE(spec.feeder);
    const FeederSpec& f = *spec.feeder;
    EXPECT_EQ(f.network.buses.size(), 34u);
    EXPECT_EQ(f.network.lines[0].normal_amps, 300.0);
    ASSERT_EQ(f.sites.size(), 1u);
    EXPECT_EQ(f.sites[0].bus, *f.network.find_bus("27"));
    EXPECT_EQ(f.sites[0].conductors, (std::vector<int>{1, 2, 3}));
    for (double base : f.bus_base_kv_ln) EXPECT_NEAR(base, 11.0 / std::numbers::sqrt3, 1e-12);
}

TEST(DistributionFeederDsl, BadInputNamesTheStatementAndTheField) {
    const std::string head = std::string(kHeader) + kSite;
    const auto error = [&](const std::string& name, const std::string& body) {
        return load_error(write_scenario(name, head + body));
    };
    const auto file = [&](const std::string& name) { return temp_dir("scenario-" + name) / (name + ".lua"); };
    // Line 6 is the distribution_feeder{} statement.
    std::string e = error("fd-key", lua_feeder("  v_min = 0.9,\n"));
    EXPECT_THAT(e, HasSubstr(at(file("fd-key"), 6) + "distribution_feeder: unknown key 'v_min'"));
    e = error("fd-both", "distribution_feeder { dss = \"x.dss\", source = { bus1 = \"s\" }, sites = {} }\n");
    EXPECT_THAT(e, HasSubstr("give one of 'dss' (an OpenDSS file), 'ev2gym' (EV2Gym's node and line files) "
                             "or the feeder's elements"));
    e = error("fd-none", "distribution_feeder { sites = {} }\n");
    EXPECT_THAT(e, HasSubstr("give 'dss' (an OpenDSS file), 'ev2gym' (EV2Gym's node and line files) or the "
                             "feeder's elements"));
    e = error("fd-ev2gym-key",
              "distribution_feeder { ev2gym = { nodes = \"n.csv\", line = \"l.csv\" }, sites = {} }\n");
    EXPECT_THAT(e, HasSubstr("distribution_feeder: ev2gym: unknown key 'line'"));
    e = error("fd-ev2gym-file",
              "distribution_feeder { ev2gym = { nodes = \"n.csv\", lines = \"l.csv\" }, sites = {} }\n");
    EXPECT_THAT(e, HasSubstr("n.csv"));
    e = error("fd-band-bus", lua_feeder("  bands = { { bus = \"b9\", v_min_pu = 0.95 } },\n"));
    EXPECT_THAT(e, HasSubstr("distribution_feeder: bands[1]: the feeder has no bus 'b9'"));
    e = error("fd-band", lua_feeder("  bands = { { bus = \"b1\", v_min_pu = 0.95, v_max_pu = 0.94 } },\n"));
    EXPECT_THAT(e, HasSubstr("distribution_feeder: bands[1]: 'v_min_pu' must be below 'v_max_pu'"));
    e = error(
        "fd-band-twice",
        lua_feeder("  bands = { { bus = \"b1\", v_min_pu = 0.95 }, { bus = \"b1\", v_max_pu = 1.05 } },\n"));
    EXPECT_THAT(e, HasSubstr("distribution_feeder: bands[2]: bus 'b1' has a band already"));
    e = error("fd-taps", lua_feeder("  tap_control = \"slowly\",\n"));
    EXPECT_THAT(
        e, HasSubstr("distribution_feeder: 'tap_control' must be true or \"static\" (at once), \"timed\" "
                     "(after the regulators' delays) or false, got string"));
    e = error("fd-bus", lua_feeder("", "{ { node = t, bus = \"nowhere\" } }"));
    EXPECT_THAT(e, HasSubstr("distribution_feeder: sites[1]: the feeder has no bus 'nowhere'"));
    e = error("fd-node", lua_feeder("", "{ { node = \"T9\", bus = \"b2\" } }"));
    EXPECT_THAT(e, HasSubstr("sites[1].node: unknown node 'T9'"));
    e = error("fd-sitekey", lua_feeder("", "{ { node = t, bus = \"b2\", phase = 1 } }"));
    EXPECT_THAT(e, HasSubstr("sites[1]: unknown key 'phase'"));
    e = error("fd-nested",
              lua_feeder("", "{ { node = \"grid\", bus = \"b1\" }, { node = t, bus = \"b2\" } }"));
    EXPECT_THAT(e, HasSubstr("sites[2]: node 'T' and node 'grid' are one below the other"));
    e = error("fd-prop", lua_feeder("  transformers = { { name = \"x\", windingz = 2 } },\n"));
    EXPECT_THAT(e, HasSubstr(at(file("fd-prop"), 6) +
                             "distribution_feeder: transformers[1]: unsupported property 'windingz'"));
    e = error("fd-value", lua_feeder("  regcontrols = { { name = \"r\", vreg = {} } },\n"));
    EXPECT_THAT(e, HasSubstr("regcontrols[1].vreg: expected a list of values"));
    // A comment in a value would end the generated command there, silently: refused.
    e = error("fd-comment", lua_feeder("  capacitors = { { name = \"c2\", bus1 = \"b2 ! kvar=1e9\" } },\n"));
    EXPECT_THAT(e,
                HasSubstr("capacitors[1].bus1: 'b2 ! kvar=1e9' holds a character OpenDSS reads as syntax"));
    e = error("fd-noname", lua_feeder("  capacitors = { { bus1 = \"b2\" } },\n"));
    EXPECT_THAT(e, HasSubstr("distribution_feeder: capacitors[1]: missing required key 'name'"));
    // The load's bus is connected to nothing: no path to the source.
    e = error("fd-island",
              lua_feeder("  loads = { { name = \"x\", bus1 = \"island\", kv = 0.4, kw = 5 } },\n"));
    EXPECT_THAT(e, HasSubstr("has no path to the source"));
    // A bus that a capacitor alone holds has no path either.
    e = error("fd-dead",
              lua_feeder("  capacitors = { { name = \"c9\", bus1 = \"island\", kv = 0.4, kvar = 5 } },\n"));
    EXPECT_THAT(e, HasSubstr("bus 'island' has no path to the source"));
    e = error("fd-orphan", lua_feeder() + "charger { name = \"CP2\", max_kw = 11 }\n");
    EXPECT_THAT(e, HasSubstr("distribution_feeder: charger 'CP2' hangs below no node of 'sites'"));
    // An error in an OpenDSS file names the file and its line.
    const auto dss = write_file(temp_dir("fd-dss") / "bad.dss",
                                "new circuit.c basekv=12.47 bus1=s\nnew line.l1 bus1=s bus2=b lenght=1\n");
    e = error("fd-dss", "distribution_feeder { dss = \"" + dss.string() +
                            "\", sites = { { node = t, bus = \"b\" } } }\n");
    EXPECT_THAT(e, HasSubstr(at(file("fd-dss"), 6) + "distribution_feeder: dss: " + dss.string() + ":2: "));
    EXPECT_THAT(e, HasSubstr("lenght"));
    e = error("fd-missing", "distribution_feeder { dss = \"none.dss\", sites = {} }\n");
    EXPECT_THAT(e, HasSubstr("'dss': no such file"));
    const std::string office = source_file("scenarios/loads/office_summer_weekday_kw.csv").string();
    e = error("fd-pload",
              lua_feeder("  load_profiles = { { loads = { \"shop\" }, file = \"" + office + "\" } },\n"));
    EXPECT_THAT(e, HasSubstr("distribution_feeder: load_profiles[1].loads: the feeder has no load 'shop'"));
    e = error("fd-ptwice", lua_feeder("  load_profiles = { { loads = { \"houses\" }, file = \"" + office +
                                      "\" }, { loads = { \"Houses\" }, file = \"" + office + "\" } },\n"));
    EXPECT_THAT(e, HasSubstr("load_profiles[2].loads: load 'houses' has a profile already"));
    e = error("fd-pnoloads", lua_feeder("  load_profiles = { { file = \"" + office + "\" } },\n"));
    EXPECT_THAT(e,
                HasSubstr("load_profiles[1]: 'loads' must list the names of the feeder's loads it scales"));
    e = error("fd-pfile", lua_feeder("  load_profile = { file = \"nowhere.csv\" },\n"));
    EXPECT_THAT(e, HasSubstr("distribution_feeder: load_profile: 'file': no such file"));
    e = error("fd-band", lua_feeder("  v_min_pu = 1.1, v_max_pu = 0.9,\n"));
    EXPECT_THAT(e, HasSubstr("'v_min_pu' must be below 'v_max_pu'"));
    e = error("fd-twice", lua_feeder() + lua_feeder());
    EXPECT_THAT(e, HasSubstr("declared twice"));
}

}  // namespace
}  // namespace evtwin::test
