// A site on a distribution feeder, run end to end: the feeder's power flow solved as the site's power
// changes, its voltages, loadings, totals and violations recorded, and its KPIs.
#include <evtwin/run.hpp>
#include <evtwin/scenario.hpp>

#include "kpi/kpis.hpp"
#include "model/scenario_spec.hpp"
#include "record/reader/run_reader.hpp"
#include "record/schema/sqlite_db.hpp"
#include "scenario/scenario_impl.hpp"

#include "support/feeder_site.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace evtwin {
namespace {

// The one-cable feeder of support/feeder_site.hpp, in a folder of its own.
std::filesystem::path one_line_scenario(const std::string& name, double r_ohm,
                                        const std::string& feeder_extra = "") {
    return test::one_line_feeder(test::temp_dir("feeder-" + name) / (name + ".lua"), r_ohm, feeder_extra);
}

using test::far_end_pu;
using test::far_end_volts;
using test::Voltage;
using test::voltages;

std::map<std::string, double> kpis_of(const RunOutcome& run) {
    std::map<std::string, double> out;
    for (const Kpi& k : run.kpis) out[k.name] = k.value;
    return out;
}

RunOutcome run(const std::filesystem::path& scenario, const std::string& strategy, const std::string& db) {
    RunOptions options;
    options.strategy = strategy;
    options.db = scenario.parent_path() / db;
    return run_scenario(Scenario::load(scenario), options);
}

constexpr std::int64_t kHour = 3'600'000;

TEST(FeederRun, TheSitesVoltageDropIsTheOneWorkedOutByHand) {
    const auto scenario = one_line_scenario("by-hand", 0.1);
    const RunOutcome r = run(scenario, "uncontrolled", "run.db");
    const double expected = far_end_pu(0.1, 10'000.0);  // 226.53 V: 0.98088 per unit
    const std::int64_t start = Scenario::load(scenario).impl().loaded.start.ms();
    for (int phase = 1; phase <= 3; ++phase) {
        const std::vector<Voltage> v = voltages(r.db, "b", phase);
        ASSERT_EQ(v.size(), 3u) << "no load, the vehicle charging, no load again";
        EXPECT_EQ(v[0].t_ms, start);
        EXPECT_EQ(v[0].v_pu, 1.0);
        EXPECT_EQ(v[1].t_ms, start + 10 * kHour);
        EXPECT_NEAR(v[1].v_pu, expected, 0.5e-4 + 1e-12);  // recorded on steps of 1e-4
        EXPECT_EQ(v[2].t_ms, start + 12 * kHour);
        EXPECT_EQ(v[2].v_pu, 1.0);
    }
    // The cable loses 3 R I^2 while the vehicle charges, and the substation gives that and the site's 30 kW.
    const double current = 10'000.0 / far_end_volts(0.1, 10'000.0);
    const double loss_kw = 3.0 * 0.1 * current * current / 1000.0;
    sqlite::Db db(r.db, sqlite::Db::Mode::read_only);
    sqlite::Stmt st(db, "SELECT source_kw, load_kw, loss_kw FROM feeder_series WHERE t_ms = ?1");
    st.bind(1, start + 10 * kHour);
    ASSERT_TRUE(st.step());
    EXPECT_NEAR(st.real(1), 30.0, 1e-6);
    EXPECT_NEAR(st.real(2), loss_kw, 1e-6);
    EXPECT_NEAR(st.real(0), 30.0 + loss_kw, 1e-6);
    const auto k = kpis_of(r);
    EXPECT_NEAR(k.at("feeder_losses"), 2.0 * loss_kw, 1e-6);
    EXPECT_NEAR(k.at("feeder_min_voltage"), expected, 0.5e-4 + 1e-12);
    EXPECT_EQ(k.at("feeder_hours_out_of_band"), 0.0);
    EXPECT_EQ(k.at("feeder_violations"), 0.0);
    // The cable's loading: the phase current over its 100 A.
    EXPECT_NEAR(k.at("feeder_line_peak_loading"), current, 0.01);
}

TEST(FeederRun, TheRecordedVoltagesFollowTheSitesPower) {
    // Capped at 12 kW from 11:00 by a demand response: the drop shrinks with the power.
    const auto scenario = one_line_scenario("follows", 0.1);
    std::string text = test::read_file(scenario);
    text += "at(\"2016-03-07T11:00\", function(site) site.set_limit(\"T\", 12) end)\n";
    test::write_file(scenario, text);
    const RunOutcome r = run(scenario, "uncontrolled", "run.db");
    const std::vector<Voltage> v = voltages(r.db, "b", 2);
    ASSERT_EQ(v.size(), 4u);
    EXPECT_NEAR(v[1].v_pu, far_end_pu(0.1, 10'000.0), 0.5e-4 + 1e-12);
    EXPECT_EQ(v[2].t_ms - v[1].t_ms, kHour);
    EXPECT_NEAR(v[2].v_pu, far_end_pu(0.1, 4'000.0), 0.5e-4 + 1e-12);
    EXPECT_GT(v[2].v_pu, v[1].v_pu);
    EXPECT_EQ(v[3].v_pu, 1.0);
}

TEST(FeederRun, ASiteThatPullsTheVoltageBelowTheBandIsAViolation) {
    // 0.6 ohm: 30 kW leave 201 V at bus b, 0.871 per unit, for the two hours the vehicle charges.
    const auto scenario = one_line_scenario("low", 0.6);
    const RunOutcome r = run(scenario, "uncontrolled", "run.db");
    const double low = far_end_pu(0.6, 10'000.0);
    ASSERT_LT(low, 0.9);
    sqlite::Db db(r.db, sqlite::Db::Mode::read_only);
    sqlite::Stmt st(db,
                    "SELECT v.t_ms, v.kind, b.name, v.phase, v.value, v.limit_value FROM feeder_violations v "
                    "JOIN feeder_buses b ON b.run_id = v.run_id AND b.bus = v.bus ORDER BY v.seq");
    const std::int64_t start = Scenario::load(scenario).impl().loaded.start.ms();
    for (int phase = 1; phase <= 3; ++phase) {
        ASSERT_TRUE(st.step()) << "phase " << phase;
        EXPECT_EQ(st.int64(0), start + 10 * kHour);
        EXPECT_EQ(st.text(1), "voltage_low");
        EXPECT_EQ(st.text(2), "b");
        EXPECT_EQ(st.int64(3), phase);
        EXPECT_NEAR(st.real(4), low, 0.5e-4 + 1e-12);
        EXPECT_EQ(st.real(5), 0.9);
    }
    EXPECT_FALSE(st.step()) << "one violation per bus-phase as it leaves the band";
    const auto k = kpis_of(r);
    EXPECT_EQ(k.at("feeder_violations"), 3.0);
    EXPECT_DOUBLE_EQ(k.at("feeder_hours_out_of_band"), 2.0);
    EXPECT_NEAR(k.at("feeder_min_voltage"), low, 0.5e-4 + 1e-12);
    // A band that 0.871 per unit is within records none.
    std::string text = test::read_file(scenario);
    text.replace(text.find("sites = "), 0, "v_min_pu = 0.85, ");
    test::write_file(scenario, text);
    const auto k2 = kpis_of(run(scenario, "uncontrolled", "wide.db"));
    EXPECT_EQ(k2.at("feeder_violations"), 0.0);
    EXPECT_EQ(k2.at("feeder_hours_out_of_band"), 0.0);
}

TEST(FeederRun, ABusWithABandOfItsOwnIsHeldToIt) {
    // 0.1 ohm leaves bus b at 0.98088 per unit while the vehicle charges: within the feeder's band,
    // below the DSO's 0.99 for b, for two hours on each phase.
    const auto scenario = one_line_scenario(
        "own-band", 0.1, "  bands = { { bus = \"b\", v_min_pu = 0.99, v_max_pu = 1.01 } },\n");
    const RunOutcome r = run(scenario, "uncontrolled", "run.db");
    sqlite::Db db(r.db, sqlite::Db::Mode::read_only);
    sqlite::Stmt st(db, "SELECT kind, limit_value FROM feeder_violations ORDER BY seq");
    for (int phase = 1; phase <= 3; ++phase) {
        ASSERT_TRUE(st.step());
        EXPECT_EQ(st.text(0), "voltage_low");
        EXPECT_EQ(st.real(1), 0.99);
    }
    EXPECT_FALSE(st.step());
    sqlite::Stmt bands(db, "SELECT name, v_min_pu, v_max_pu FROM feeder_buses ORDER BY bus");
    std::map<std::string, std::pair<double, double>> band;
    while (bands.step()) band[bands.text(0)] = {bands.real(1), bands.real(2)};
    EXPECT_EQ(band.at("b"), (std::pair<double, double>{0.99, 1.01}));
    EXPECT_EQ(band.at("s"), (std::pair<double, double>{0.9, 1.1}));  // the feeder's
    const auto k = kpis_of(r);
    EXPECT_EQ(k.at("feeder_violations"), 3.0);
    EXPECT_DOUBLE_EQ(k.at("feeder_hours_out_of_band"), 2.0);
    // The same KPIs from the file alone.
    const Scenario loaded = Scenario::load(scenario);
    const ScenarioSpec& spec = loaded.impl().loaded;
    for (const Kpi& kpi : compute_kpis(RunReader(r.db), r.run_id, *spec.tariff, spec.economics)) {
        if (kpi.name.rfind("feeder_", 0) != 0) continue;
        // To the bit: NaN (there is no transformer) as NaN.
        EXPECT_EQ(std::bit_cast<std::uint64_t>(kpi.value), std::bit_cast<std::uint64_t>(k.at(kpi.name)))
            << kpi.name;
    }
}

TEST(FeederRun, ASiteOnOnePhaseUnbalancesItsBus) {
    // The 30 kW on phase a alone: V_a = (V_s + sqrt(V_s^2 - 4 R P)) / 2, phases b and c untouched
    // (the cable couples no phases), so the bus's unbalance is (mean - V_a) / mean.
    const auto scenario = one_line_scenario("one-phase", 0.1);
    std::string text = test::read_file(scenario);
    text.replace(text.find("bus = \"b\" }"), 11, "bus = \"b\", phases = {1} }");
    test::write_file(scenario, text);
    const RunOutcome r = run(scenario, "uncontrolled", "run.db");
    const double va = std::round(far_end_pu(0.1, 30'000.0) * 1e4) / 1e4;
    EXPECT_NEAR(voltages(r.db, "b", 1)[1].v_pu, va, 1e-12);  // 0.9402
    EXPECT_EQ(voltages(r.db, "b", 2).size(), 1u);            // 1.0 throughout
    const double mean = (va + 2.0) / 3.0;
    const auto k = kpis_of(r);
    EXPECT_NEAR(k.at("feeder_max_unbalance"), (mean - va) / mean * 100.0, 1e-9);  // 4.07 %
    // Balanced, the same power leaves every bus balanced.
    const auto balanced = kpis_of(run(one_line_scenario("three-phase", 0.1), "uncontrolled", "run.db"));
    EXPECT_EQ(balanced.at("feeder_max_unbalance"), 0.0);
}

TEST(FeederRun, TheFeedersOwnLoadsFollowTheirProfiles) {
    // Two loads of 30 kW at bus b: "shop" on the office's weekday (60 kW at 03:00, 225 kW at 15:00,
    // scaled to 1 at the peak), "flats" on the same file scaled to 1 at night.
    const std::string office = test::source_file("scenarios/loads/office_summer_weekday_kw.csv").string();
    const auto scenario = one_line_scenario(
        "profiles", 0.01,
        "  loads = { { name = \"shop\", bus1 = \"b\", kv = 0.4, kw = 30 }, { name = \"flats\", bus1 = \"b\", "
        "kv = 0.4, kw = 30 } },\n"
        "  load_profile = { file = \"" +
            office +
            "\", column = \"kW\", scale = 1 / 225 },\n"
            "  load_profiles = { { loads = { \"Flats\" }, file = \"" +
            office + "\", column = \"kW\", scale = 1 / 60 } },\n");
    const RunOutcome r = run(scenario, "uncontrolled", "run.db");
    const std::int64_t start = Scenario::load(scenario).impl().loaded.start.ms();
    sqlite::Db db(r.db, sqlite::Db::Mode::read_only);
    const auto loads_at = [&](std::int64_t t) {
        sqlite::Stmt st(db, "SELECT load_kw FROM feeder_series WHERE t_ms <= ?1 ORDER BY t_ms DESC LIMIT 1");
        st.bind(1, t);
        EXPECT_TRUE(st.step());
        return st.real(0);
    };
    EXPECT_NEAR(loads_at(start + 3 * kHour), 30.0 * 60 / 225 + 30.0 * 60 / 60, 1e-9);
    EXPECT_NEAR(loads_at(start + 15 * kHour), 30.0 * 225 / 225 + 30.0 * 225 / 60, 1e-9);
    // At 11:00 the vehicle's 30 kW too (the office: 160 kW).
    EXPECT_NEAR(loads_at(start + 11 * kHour), 30.0 + 30.0 * 160 / 225 + 30.0 * 160 / 60, 1e-9);
    // A solve where the profile steps (05:00 to 06:00: 60 to 70 kW of the office's), none where it does not.
    sqlite::Stmt steps(db, "SELECT t_ms FROM feeder_series WHERE t_ms > ?1 AND t_ms <= ?2 ORDER BY t_ms");
    steps.bind(1, start).bind(2, start + 6 * kHour);
    ASSERT_TRUE(steps.step());
    EXPECT_EQ(steps.int64(0), start + 6 * kHour);
    EXPECT_FALSE(steps.step());
}

TEST(FeederRun, APowerTheFeederCannotCarryIsRecordedAsNotConvergedAndTheRunGoesOn) {
    // 2 ohm: 10 kW a phase is more than the cable can deliver (4 R P > V_s^2): no voltage solves it.
    const auto scenario = one_line_scenario("beyond", 2.0);
    const RunOutcome r = run(scenario, "uncontrolled", "run.db");
    const std::int64_t start = Scenario::load(scenario).impl().loaded.start.ms();
    sqlite::Db db(r.db, sqlite::Db::Mode::read_only);
    sqlite::Stmt st(db, "SELECT t_ms, kind, bus, branch FROM feeder_violations ORDER BY seq");
    ASSERT_TRUE(st.step());
    EXPECT_EQ(st.int64(0), start + 10 * kHour);
    EXPECT_EQ(st.text(1), "not_converged");
    EXPECT_TRUE(st.is_null(2));
    EXPECT_TRUE(st.is_null(3));
    EXPECT_FALSE(st.step()) << "once, until a solve converges";
    // The records keep the last solution (no load) and take up again when the vehicle leaves.
    for (const Voltage& v : voltages(r.db, "b", 1)) EXPECT_EQ(v.v_pu, 1.0);
    sqlite::Stmt series(db, "SELECT t_ms FROM feeder_series ORDER BY t_ms");
    std::vector<std::int64_t> solved;
    while (series.step()) solved.push_back(series.int64(0));
    EXPECT_EQ(solved, (std::vector<std::int64_t>{start, start + 12 * kHour}));
    const auto k = kpis_of(r);
    EXPECT_EQ(k.at("feeder_violations"), 1.0);
    EXPECT_EQ(k.at("sessions"), 1.0);
}

// Charges every vehicle at 30 kW and keeps what the Observation shows of the feeder.
class FeederWatcher final : public Strategy {
public:
    void decide(const Observation& o, Decision& d) override {
        for (const SessionView& s : o.sessions) d.connector_kw[s.connector] = 30.0;
        seen.push_back({o.now, o.feeder.present, o.feeder.v_min_pu, o.feeder.v_max_pu,
                        std::vector<BusVoltageView>(o.feeder.voltages.begin(), o.feeder.voltages.end()),
                        std::vector<BranchLoadingView>(o.feeder.loadings.begin(), o.feeder.loadings.end()),
                        o.feeder.max_loading});
    }
    struct Seen {
        Time now;
        bool present;
        double v_min_pu, v_max_pu;
        std::vector<BusVoltageView> voltages;
        std::vector<BranchLoadingView> loadings;
        double max_loading;
    };
    std::vector<Seen> seen;
};

TEST(FeederRun, TheObservationShowsTheVoltagesAndTheSupplyPathsLoadingsAsTheLastSolveLeftThem) {
    // The DSO holds bus b to 0.95..1.05, the feeder's band stays 0.9..1.1.
    const auto scenario = one_line_scenario(
        "observed", 0.1, "  bands = { { bus = \"b\", v_min_pu = 0.95, v_max_pu = 1.05 } },\n");
    FeederWatcher watcher;
    test::run_with(scenario, watcher, "feeder_watcher");
    const Time start = Scenario::load(scenario).impl().loaded.start;
    const double charging = far_end_pu(0.1, 10'000.0);
    const double cable_loading = 10'000.0 / far_end_volts(0.1, 10'000.0) / 100.0;  // of its 100 A
    int checked = 0;
    for (const FeederWatcher::Seen& s : watcher.seen) {
        if (s.now == start) {
            EXPECT_FALSE(s.present) << "nothing solved before the first decision";
            continue;
        }
        ASSERT_TRUE(s.present);
        EXPECT_EQ(s.v_min_pu, 0.9);
        EXPECT_EQ(s.v_max_pu, 1.1);
        ASSERT_EQ(s.voltages.size(), 3u);
        for (int k = 0; k < 3; ++k) {
            EXPECT_EQ(s.voltages[k].node, 1u);  // transformer T
            EXPECT_EQ(s.voltages[k].phase, k + 1);
            EXPECT_EQ(s.voltages[k].v_min_pu, 0.95);
            EXPECT_EQ(s.voltages[k].v_max_pu, 1.05);
            // At 10:00 the vehicle arrives: the feeder was last solved without it; at 12:00 it leaves,
            // and the feeder was last solved with it. In between, the drop of its 30 kW.
            const bool loaded = s.now > start + Duration::hours(10) && s.now <= start + Duration::hours(12);
            if (loaded)
                EXPECT_NEAR(s.voltages[k].v_pu, charging, 0.5e-4 + 1e-12) << s.now.ms();
            else
                EXPECT_EQ(s.voltages[k].v_pu, 1.0) << s.now.ms();
        }
        // The site's supply comes through the cable alone (branch 0), loaded by the vehicle's current.
        ASSERT_EQ(s.loadings.size(), 1u);
        EXPECT_EQ(s.loadings[0].node, 1u);
        EXPECT_EQ(s.loadings[0].branch, 0u);
        EXPECT_EQ(s.max_loading, 1.0);
        const bool loaded = s.now > start + Duration::hours(10) && s.now <= start + Duration::hours(12);
        EXPECT_NEAR(s.loadings[0].loading, loaded ? cable_loading : 0.0, 0.5e-4 + 1e-12) << s.now.ms();
        ++checked;
    }
    EXPECT_GT(checked, 90);  // every 15 minutes of the day
}

// The IEEE 34-node feeder with two sites (scenarios/ieee34_feeder.lua) under edf.
TEST(FeederRun, OnTheIeee34FeederLossesAndLoadsAddUpToTheSubstationsPower) {
    const auto scenario = test::source_file("scenarios/ieee34_feeder.lua");
    RunOptions options;
    options.strategy = "edf";
    options.db = test::temp_dir("feeder-ieee34") / "run.db";
    const RunOutcome r = run_scenario(Scenario::load(scenario), options);
    sqlite::Db db(options.db, sqlite::Db::Mode::read_only);
    sqlite::Stmt st(db, "SELECT source_kw, load_kw, loss_kw FROM feeder_series ORDER BY t_ms");
    int rows = 0;
    while (st.step()) {
        ++rows;
        EXPECT_NEAR(st.real(0), st.real(1) + st.real(2), 1e-9 * st.real(0));
        EXPECT_GT(st.real(2), 0.0);
    }
    EXPECT_GT(rows, 100);
    const auto k = kpis_of(r);
    EXPECT_NEAR(k.at("feeder_source_energy"), k.at("feeder_load_energy") + k.at("feeder_losses"),
                1e-9 * k.at("feeder_source_energy"));
    // The sites' energy is part of the loads': what they drew from the grid, no more.
    EXPECT_GT(k.at("feeder_load_energy"), k.at("grid_import"));
    // The KPIs stored with the run are those computed again from its file, to the last bit.
    const RunReader reader(options.db);
    const std::vector<Kpi> again =
        compute_kpis(reader, r.run_id, *Scenario::load(scenario).impl().loaded.tariff, Economics{});
    std::map<std::string, double> stored;
    for (const Kpi& kpi : again) stored[kpi.name] = kpi.value;
    for (const char* name :
         {"feeder_min_voltage", "feeder_max_voltage", "feeder_hours_out_of_band", "feeder_max_unbalance",
          "feeder_transformer_peak_loading", "feeder_line_peak_loading", "feeder_losses",
          "feeder_source_energy", "feeder_load_energy", "feeder_violations"})
        EXPECT_EQ(std::bit_cast<std::uint64_t>(stored.at(name)), std::bit_cast<std::uint64_t>(k.at(name)))
            << name;
}

TEST(FeederRun, TheSameSeedGivesByteIdenticalFeederResults) {
    const auto scenario = test::source_file("scenarios/ieee34_feeder.lua");
    const auto dir = test::temp_dir("feeder-repro");
    std::string dumps[2];
    for (int i = 0; i < 2; ++i) {
        RunOptions options;
        options.strategy = "uncontrolled";
        options.db = dir / ("run" + std::to_string(i) + ".db");
        const RunOutcome r = run_scenario(Scenario::load(scenario), options);
        dumps[i] = RunReader(options.db).results_dump(r.run_id);
    }
    EXPECT_EQ(dumps[0], dumps[1]);
    EXPECT_NE(dumps[0].find("## bus_voltage_series\n0|"), std::string::npos) << "the feeder's rows are there";
}

}  // namespace
}  // namespace evtwin
