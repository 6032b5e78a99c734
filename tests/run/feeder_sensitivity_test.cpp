// What the Observation's feeder sensitivity tells a strategy (FeederView::sensitivity, worked out by
// core/feeder_coupling.cpp): the voltages at the feeder's loads and the loadings of the branches that
// supply them now, and their slopes per kW of the site's import, by hand on one cable and against
// the power flow itself on the IEEE 34-node feeder.
#include <evtwin/scenario.hpp>

#include "core/feeder_coupling.hpp"
#include "model/feeder_spec.hpp"
#include "scenario/scenario_impl.hpp"

#include "support/feeder_site.hpp"
#include "support/memory_sink.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

namespace evtwin {
namespace {

// Charges every vehicle at 30 kW and keeps what the feeder's sensitivity said at each decision.
class SensitivityWatcher final : public Strategy {
public:
    struct Seen {
        Time now;
        std::vector<AttachedNodeView> attached;
        std::vector<double> v_pu_now, dv_pu_per_kw, loading_now, dloading_per_kw;
    };

    void decide(const Observation& o, Decision& d) override {
        for (const SessionView& s : o.sessions) d.connector_kw[s.connector] = 30.0;
        if (o.feeder.sensitivity == nullptr) return;
        const std::span<const double> v = o.feeder.sensitivity->v_pu_now();
        const std::span<const double> dv = o.feeder.sensitivity->dv_pu_per_kw();
        const std::span<const double> l = o.feeder.sensitivity->loading_now();
        const std::span<const double> dl = o.feeder.sensitivity->dloading_per_kw();
        seen.push_back({o.now,
                        {o.feeder.attached.begin(), o.feeder.attached.end()},
                        {v.begin(), v.end()},
                        {dv.begin(), dv.end()},
                        {l.begin(), l.end()},
                        {dl.begin(), dl.end()}});
    }
    std::vector<Seen> seen;
};

constexpr double kSourceVolts = test::kOneLineSourceVolts;

// dV_b/dP per watt of one phase: −R / √(V_s² − 4·R·P).
double far_end_volts_per_w(double r_ohm, double phase_w) {
    return -r_ohm / std::sqrt(kSourceVolts * kSourceVolts - 4.0 * r_ohm * phase_w);
}

// The slope of test::far_end_volts per kW of the site, a third on each phase: dV/dP = −R / √(V_s² − 4·R·P),
// per unit.
double slope_pu_per_kw(double r_ohm, double phase_w) {
    return far_end_volts_per_w(r_ohm, phase_w) * 1000.0 / 3.0 / kSourceVolts;
}

// The cable's loading there, its current I = P / V_b over its 100 A, per kW of the site:
// dI/dP = (1 − (P / V_b)·dV_b/dP) / V_b, a third of each kW on each phase.
double loading_slope_per_kw(double r_ohm, double phase_w) {
    const double v_b = test::far_end_volts(r_ohm, phase_w);
    return (1.0 - phase_w / v_b * far_end_volts_per_w(r_ohm, phase_w)) / v_b * 1000.0 / 3.0 / 100.0;
}

// The one cable of 0.1 ohm (support/feeder_site.hpp): the vehicle's 30 kW from 10:00 to 12:00.
TEST(FeederSensitivity, OnOneCableTheSlopeIsTheOneWorkedOutByHand) {
    const auto scenario = test::one_line_feeder(test::temp_dir("feeder-slope") / "slope.lua", 0.1);
    SensitivityWatcher watcher;
    test::run_with(scenario, watcher, "sensitivity_watcher");
    const Time start = Scenario::load(scenario).impl().loaded.start;
    int checked = 0;
    for (const SensitivityWatcher::Seen& s : watcher.seen) {
        // Solved last with the vehicle's 30 kW after 10:00 and until 12:00 (it leaves then).
        const bool loaded = s.now > start + Duration::hours(10) && s.now <= start + Duration::hours(12);
        const double phase_w = loaded ? 10'000.0 : 0.0;
        ASSERT_EQ(s.attached.size(), 1u);
        EXPECT_EQ(s.attached[0].node, 1u);  // transformer T
        EXPECT_NEAR(s.attached[0].import_kw, loaded ? 30.0 : 0.0, 1e-9) << s.now.ms();
        ASSERT_EQ(s.v_pu_now.size(), 3u);
        ASSERT_EQ(s.dv_pu_per_kw.size(), 3u);
        for (int k = 0; k < 3; ++k) {
            EXPECT_NEAR(s.v_pu_now[k], test::far_end_pu(0.1, phase_w), 1e-9) << s.now.ms();
            // A difference over 1 kW: within 0.1 % of the derivative.
            const double expected = slope_pu_per_kw(0.1, phase_w);
            EXPECT_NEAR(s.dv_pu_per_kw[k], expected, 1e-3 * std::abs(expected)) << s.now.ms();
        }
        ASSERT_EQ(s.loading_now.size(), 1u);  // the cable, the site's one supply branch
        ASSERT_EQ(s.dloading_per_kw.size(), 1u);
        EXPECT_NEAR(s.loading_now[0], phase_w / test::far_end_volts(0.1, phase_w) / 100.0, 1e-9)
            << s.now.ms();
        const double expected = loading_slope_per_kw(0.1, phase_w);
        EXPECT_NEAR(s.dloading_per_kw[0], expected, 1e-3 * expected) << s.now.ms();
        ++checked;
    }
    EXPECT_GT(checked, 90);  // every 15 minutes of the day
}

// The feeder of scenarios/ieee34_feeder.lua: the depot at bus 890 (behind the lateral's transformer)
// and the garage at 840, both at power factor 0.98, the feeder's loads at their nominal powers; its
// regulators acting at every solve, or (`taps_held`) as their starting taps leave them.
struct Ieee34Coupling {
    explicit Ieee34Coupling(bool taps_held = false) {
        FeederSpec held = *spec.feeder;
        held.tap_control = !taps_held;
        feeder = held;
        coupling = std::make_unique<FeederCoupling>(feeder, sink);
    }
    ScenarioSpec spec = Scenario::load(test::source_file("scenarios/ieee34_feeder.lua")).impl().loaded;
    FeederSpec feeder;
    test::MemorySink sink;
    std::unique_ptr<FeederCoupling> coupling;
    std::vector<double> flows = std::vector<double>(spec.nodes.size(), 0.0);

    void draw(double depot_kw, double garage_kw, Time t) {
        flows[spec.feeder->sites[0].node] = depot_kw;
        flows[spec.feeder->sites[1].node] = garage_kw;
        coupling->update(t, flows);
    }
};

TEST(FeederSensitivity, OnTheIeee34FeederTheSlopesPredictWhatTheNextSolveGives) {
    Ieee34Coupling feeder;
    feeder.draw(100.0, 50.0, Time(0));
    const std::vector<double> before(feeder.coupling->v_pu_now().begin(), feeder.coupling->v_pu_now().end());
    const std::vector<double> slopes(feeder.coupling->dv_pu_per_kw().begin(),
                                     feeder.coupling->dv_pu_per_kw().end());
    const std::size_t voltages = feeder.coupling->site_voltages().size();
    ASSERT_EQ(voltages, 6u);  // 890 and 840, three phases each
    ASSERT_EQ(slopes.size(), voltages * 2);
    for (std::size_t i = 0; i < voltages; ++i) {
        // The voltages now are those recorded (to the recorded step), and importing lowers each.
        EXPECT_NEAR(before[i], feeder.coupling->site_voltages()[i], 0.5e-4 + 1e-12);
        EXPECT_LT(slopes[i * 2], 0.0);
        EXPECT_LT(slopes[i * 2 + 1], 0.0);
    }
    // The depot's own bus moves more with its own power than with the garage's.
    EXPECT_LT(slopes[0], slopes[1]);

    const std::vector<double> loading(feeder.coupling->loading_now().begin(),
                                      feeder.coupling->loading_now().end());
    const std::vector<double> loading_slopes(feeder.coupling->dloading_per_kw().begin(),
                                             feeder.coupling->dloading_per_kw().end());
    const std::size_t branches = feeder.coupling->site_loadings().size();
    ASSERT_EQ(loading.size(), branches);
    ASSERT_EQ(loading_slopes.size(), branches * 2);

    // 20 kW more at the depot and 10 kW less at the garage: the linear prediction, against the
    // solve (recorded to 1e-4 per unit).
    feeder.draw(120.0, 40.0, Time(1000));
    for (std::size_t i = 0; i < voltages; ++i) {
        const double predicted = before[i] + 20.0 * slopes[i * 2] - 10.0 * slopes[i * 2 + 1];
        EXPECT_NEAR(feeder.coupling->site_voltages()[i], predicted, 1e-4) << "voltage " << i;
    }
    // A loading curves more than a voltage (its current grows as the voltage falls): within 1 % of
    // the change predicted, and the recorded step.
    for (std::size_t b = 0; b < branches; ++b) {
        const double change = 20.0 * loading_slopes[b * 2] - 10.0 * loading_slopes[b * 2 + 1];
        EXPECT_NEAR(feeder.coupling->site_loadings()[b], loading[b] + change,
                    0.01 * std::abs(change) + 0.5e-4)
            << "branch " << b;
    }
    // The lateral's transformer XFM1 carries the depot, not the garage (840 is on the main feeder):
    // about a 500 kVA transformer's 1 / 500 per kW of the one; of the other only what the lower
    // voltage upstream adds to the current of the constant-power loads behind it.
    const std::vector<std::size_t> depot_path = feeder_site_paths(feeder.feeder).at(0);
    const std::size_t lines = feeder.feeder.network.lines.size();
    std::size_t xfm1 = depot_path.size();
    for (std::size_t k = 0; k < depot_path.size(); ++k)
        if (depot_path[k] >= lines &&
            feeder.feeder.network.transformers[depot_path[k] - lines].name == "xfm1")
            xfm1 = k;
    ASSERT_LT(xfm1, depot_path.size());
    EXPECT_NEAR(loading_slopes[xfm1 * 2], 1.0 / 500.0, 0.2 / 500.0);
    EXPECT_LT(std::abs(loading_slopes[xfm1 * 2 + 1]), 0.1 * loading_slopes[xfm1 * 2]);
}

// Asked at a later time, the feeder's own loads are those its load profile has then: what the feeder
// solves to once the profile has stepped there, its regulators' taps as they are (with the taps
// acting at every solve they would step to the noon load, which the answer does not foresee).
TEST(FeederSensitivity, AskedAheadTheVoltagesAreThoseOfTheLoadProfilesThen) {
    Ieee34Coupling feeder(true);
    const StepSeries& profile = feeder.spec.feeder->load_scales.at(0);
    const Time night = feeder.spec.start + Duration::hours(3);
    const Time noon = feeder.spec.start + Duration::hours(12);
    ASSERT_NE(profile.value_at(night), profile.value_at(noon));
    feeder.coupling->set_load_scale(0, profile.value_at(night));
    feeder.draw(100.0, 50.0, night);
    std::vector<double> at_noon, slopes;
    ASSERT_TRUE(feeder.coupling->voltages_at(noon, std::vector<double>{100.0, 50.0}, at_noon, &slopes));
    ASSERT_EQ(slopes.size(), at_noon.size() * 2);
    feeder.coupling->set_load_scale(0, profile.value_at(noon));
    feeder.draw(100.0, 50.0, noon);
    ASSERT_EQ(at_noon.size(), feeder.coupling->site_voltages().size());
    for (std::size_t i = 0; i < at_noon.size(); ++i) {
        EXPECT_NEAR(feeder.coupling->site_voltages()[i], at_noon[i], 0.5e-4 + 1e-12) << "voltage " << i;
        EXPECT_NEAR(feeder.coupling->v_pu_now()[i], at_noon[i], 1e-9) << "voltage " << i;
    }
}

}  // namespace
}  // namespace evtwin
