// The feeder's voltages held in their bands (ChargingOptions::hold_voltage) and its loadings below
// their limit (hold_loading), worked out by hand on one vehicle behind a 20 kW charger, two one-hour
// periods at 0.10 and 0.30 per kWh, one bus-phase of the feeder at the site whose voltage falls by
// 0.004 per unit for each kW the site imports, the band 0.90..1.10, and the transformer that
// supplies it, whose loading rises by 0.02 (2 % of its rating) per kW, the limit 1.0
// (FeederView::sensitivity, here a test double of the engine's).
#include "plugins/milp/formulation/charging_model.hpp"
#include "plugins/milp/model/solver.hpp"
#include "plugins/milp/planning.hpp"

#include "one_vehicle_site.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace evtwin::milp {
namespace {

constexpr double kPlanTol = 1e-6;
constexpr double kSlope = -0.004;  // per unit per kW imported

// A feeder whose one voltage is v(F) = v0 + slope·(F − F0) − curvature·(F − F0)² at the site's
// import F, F0 what it imported at the last solve: linear, or bending down as a real feeder's does;
// and whose one loading is l_h + 0.02·(F − F0) + loading_curvature·(F − F0)², l_h its value in hour
// h with the feeder's other customers as they are then.
class BendingFeeder final : public FeederSensitivity {
public:
    BendingFeeder(double v0, double slope, double f0 = 0.0, double curvature = 0.0)
        : v0_(v0), slope_(slope), f0_(f0), curvature_(curvature), v_now_{v0}, slopes_{slope} {}
    void set_import(double f0) { f0_ = f0; }
    void set_loading(std::vector<double> by_hour, double curvature = 0.0) {
        loading_by_hour_ = std::move(by_hour);
        loading_curvature_ = curvature;
        loading_now_ = {loading_by_hour_[0]};
    }
    std::span<const double> v_pu_now() const override { return v_now_; }
    std::span<const double> dv_pu_per_kw() const override { return slopes_; }
    bool voltages_at(Time, std::span<const double> import_kw, std::vector<double>& v_pu,
                     std::vector<double>* dv_pu_per_kw) const override {
        const double x = import_kw[0] - f0_;
        v_pu = {v0_ + slope_ * x - curvature_ * x * x};
        if (dv_pu_per_kw != nullptr) *dv_pu_per_kw = {slope_ - 2.0 * curvature_ * x};
        return true;
    }
    std::span<const double> loading_now() const override { return loading_now_; }
    std::span<const double> dloading_per_kw() const override { return loading_slopes_; }
    bool loadings_at(Time at, std::span<const double> import_kw, std::vector<double>& loading,
                     std::vector<double>* dloading_per_kw) const override {
        const double x = import_kw[0] - f0_;
        const auto hour = static_cast<std::size_t>(at.ms() / 3'600'000);
        loading = {loading_by_hour_[std::min(hour, loading_by_hour_.size() - 1)] + kLoadingSlope * x +
                   loading_curvature_ * x * x};
        if (dloading_per_kw != nullptr) *dloading_per_kw = {kLoadingSlope + 2.0 * loading_curvature_ * x};
        return true;
    }

    static constexpr double kLoadingSlope = 0.02;

private:
    double v0_, slope_, f0_, curvature_;
    std::vector<double> v_now_, slopes_;
    std::vector<double> loading_by_hour_{0.0};
    double loading_curvature_ = 0.0;
    std::vector<double> loading_now_{0.0}, loading_slopes_{kLoadingSlope};
};

struct FeederSite {
    OneVehicleSite site{20.0, Duration::hours(1), {0.10, 0.30}, 20.0};
    std::vector<BusVoltageView> voltages;
    std::vector<AttachedNodeView> attached{{0, 0.0}};  // the grid connection, importing nothing
    std::vector<BranchLoadingView> loadings{BranchLoadingView{}};
    BendingFeeder sensitivity;

    explicit FeederSite(double v_pu_now, double curvature = 0.0)
        : sensitivity(v_pu_now, kSlope, 0.0, curvature) {
        voltages.push_back(BusVoltageView{0, 1, v_pu_now, 0.9, 1.1});
    }

    Observation observe() const {
        Observation obs = site.observe();
        obs.feeder.present = true;
        obs.feeder.v_min_pu = 0.9;
        obs.feeder.v_max_pu = 1.1;
        obs.feeder.voltages = voltages;
        obs.feeder.attached = attached;
        obs.feeder.loadings = loadings;
        obs.feeder.max_loading = 1.0;
        obs.feeder.sensitivity = &sensitivity;
        return obs;
    }
};

ChargingOptions holding(double margin_pu = 0.0) {
    ChargingOptions o;
    o.hold_voltage = true;
    o.voltage_margin_pu = margin_pu;
    return o;
}

// Unheld, the 20 kWh are bought in the cheap hour: 20 · 0.10 = 2.00. Held, the bus at 0.95 allows
// (0.95 − 0.90) / 0.004 = 12.5 kW in each hour: 12.5 · 0.10 + 7.5 · 0.30 = 3.50.
TEST(FeederVoltageBand, ChargingIsSpreadSoThatTheBusStaysInItsBand) {
    const FeederSite feeder(0.95);
    const ChargingModel ignored = build_charging_model(feeder.observe(), {});
    const Solution free = solve(ignored.model);
    ASSERT_EQ(free.status, SolveStatus::optimal);
    EXPECT_NEAR(ignored.row_kw(free, 0, 0), 20.0, kPlanTol);
    EXPECT_NEAR(ignored.expected_cost(free), 2.00, kPlanTol);

    const ChargingModel held = build_charging_model(feeder.observe(), holding());
    const Solution s = solve(held.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(held.row_kw(s, 0, 0), 12.5, kPlanTol);
    EXPECT_NEAR(held.row_kw(s, 0, 1), 7.5, kPlanTol);
    EXPECT_NEAR(held.expected_cost(s), 3.50, kPlanTol);
    EXPECT_NEAR(s.value(held.slack[0]), 0.0, kPlanTol);
}

// A margin of 0.001 per unit holds the bus at 0.901: 12.25 kW in the cheap hour, 7.75 in the dear
// one: 1.225 + 2.325 = 3.55.
TEST(FeederVoltageBand, TheMarginKeepsThePlanInsideTheBand) {
    const FeederSite feeder(0.95);
    const ChargingModel held = build_charging_model(feeder.observe(), holding(0.001));
    const Solution s = solve(held.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(held.row_kw(s, 0, 0), 12.25, kPlanTol);
    EXPECT_NEAR(held.row_kw(s, 0, 1), 7.75, kPlanTol);
    EXPECT_NEAR(held.expected_cost(s), 3.55, kPlanTol);
}

// A feeder whose voltage bends down with the import (0.0001 per unit per kW²): the slope at the
// last solve promises 12.5 kW, which would take the bus to 0.95 − 0.05 − 0.0156 = 0.884. The
// plan is solved on the feeder and the tangent there added until the band holds:
// 0.05 = 0.004·x + 0.0001·x², x = 10 kW in the cheap hour, the other 10 kWh in the dear one.
TEST(FeederVoltageBand, CutRoundsBringAPlanOnABendingFeederIntoTheBand) {
    const FeederSite feeder(0.95, 1e-4);
    Solver solver;
    Decision out;
    const Plan plan = make_plan(feeder.observe(), holding(), solver, out);
    ASSERT_TRUE(plan.solution.has_values());
    const double kw = plan.model.row_kw(plan.solution, 0, 0);
    EXPECT_NEAR(kw, 10.0, 0.05);
    std::vector<double> v;
    ASSERT_TRUE(feeder.sensitivity.voltages_at(Time(0), std::vector<double>{kw}, v, nullptr));
    EXPECT_GE(v[0], 0.9 - ChargingModel::kFeederTolerance);
    EXPECT_NEAR(plan.model.row_kw(plan.solution, 0, 1), 20.0 - kw, 1e-6);
    EXPECT_EQ(plan.model.feeder.feeder, nullptr) << "no pointer to the Observation is kept";
}

// The bus below its band already (0.89 with the site importing nothing): each kW of charging would
// take it further below, and the band comes before the energy, so the vehicle is not charged; the
// plan is still a plan, not "infeasible".
TEST(FeederVoltageBand, ABusBelowItsBandIsNotPulledFurther) {
    const FeederSite feeder(0.89);
    const ChargingModel held = build_charging_model(feeder.observe(), holding());
    const Solution s = solve(held.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(held.row_kw(s, 0, 0), 0.0, kPlanTol);
    EXPECT_NEAR(held.row_kw(s, 0, 1), 0.0, kPlanTol);
    EXPECT_NEAR(s.value(held.slack[0]), 20.0, kPlanTol);
}

// Voltage support by V2G: the site's own 15 kW load holds the bus at 0.89 in the first hour and is
// forecast to stop in the second (0.89 + 15 · 0.004 = 0.95). A vehicle that wants nothing more
// and may give back 10 kW (at 80 % of 60 kWh) gives 2.5 kW in the first hour, which lifts the bus
// to 0.90, and takes the 2.5 kWh back in the second (0.94): 12.5 · 0.10 + 2.5 · 0.30, and its
// driver is paid the import price for what it gave (EconomicsView's default factor 1): 2.5 · 0.10;
// 2.25 in all, against 1.50 unheld, where it gives nothing (buying back at 0.30 what saves 0.10
// does not pay).
TEST(FeederVoltageBand, AVehicleDischargesWhatLiftsTheBusBackIntoItsBand) {
    FeederSite feeder(0.89);
    feeder.attached[0].import_kw = 15.0;
    feeder.sensitivity.set_import(15.0);
    OneVehicleSite& site = feeder.site;
    site.nodes[0].fixed_flow_kw = 15.0;
    site.forecast.base_load_kw = {15.0, 0.0};
    site.connectors[0].v2g_capable = true;
    SessionView& v = site.vehicle();
    v.requested_kwh = v.remaining_kwh = 0.0;
    v.soc = 0.8;
    v.min_soc = 0.2;
    v.v2g_allowed = true;
    v.max_discharge_kw = v.rated_discharge_kw = 10.0;
    const ChargingModel ignored = build_charging_model(feeder.observe(), {});
    const Solution free = solve(ignored.model);
    ASSERT_EQ(free.status, SolveStatus::optimal);
    for (int t = 0; t < 2; ++t) EXPECT_NEAR(ignored.row_kw(free, 0, t), 0.0, kPlanTol) << "period " << t;
    EXPECT_NEAR(ignored.expected_cost(free), 1.50, kPlanTol);

    const ChargingModel held = build_charging_model(feeder.observe(), holding());
    const Solution s = solve(held.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(held.row_kw(s, 0, 0), -2.5, kPlanTol);
    EXPECT_NEAR(held.row_kw(s, 0, 1), 2.5, kPlanTol);
    EXPECT_NEAR(held.expected_cost(s), 2.25, kPlanTol);
}

ChargingOptions holding_loadings(bool voltages = false) {
    ChargingOptions o;
    o.hold_loading = true;
    o.loading_margin = 0.0;
    o.hold_voltage = voltages;
    o.voltage_margin_pu = 0.0;
    return o;
}

// The feeder's other customers load the transformer to 90 % in the cheap hour and 70 % in the dear
// one: (1.0 − 0.9) / 0.02 = 5 kW, then the other 15 kWh: 5 · 0.10 + 15 · 0.30 = 5.00, where the
// unheld plan buys all 20 kWh in the cheap hour (2.00) and takes the transformer to 130 %.
TEST(FeederLoadingLimit, ChargingWaitsForTheHourTheTransformerHasRoom) {
    FeederSite feeder(1.0);
    feeder.sensitivity.set_loading({0.9, 0.7});
    const ChargingModel held = build_charging_model(feeder.observe(), holding_loadings());
    const Solution s = solve(held.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(held.row_kw(s, 0, 0), 5.0, kPlanTol);
    EXPECT_NEAR(held.row_kw(s, 0, 1), 15.0, kPlanTol);
    EXPECT_NEAR(held.expected_cost(s), 5.00, kPlanTol);
    EXPECT_NEAR(s.value(held.slack[0]), 0.0, kPlanTol);
}

// Voltages and loadings held together, the tighter one binds: at 70 % the transformer allows 15 kW
// in the cheap hour, the bus at 0.95 only 12.5 kW (the first test's 3.50); at 80 % the transformer
// allows 10 kW: 10 · 0.10 + 10 · 0.30 = 4.00.
TEST(FeederLoadingLimit, WithTheVoltagesHeldTooTheTighterLimitBinds) {
    FeederSite feeder(0.95);
    feeder.sensitivity.set_loading({0.7, 0.7});
    const ChargingModel voltage_binds = build_charging_model(feeder.observe(), holding_loadings(true));
    const Solution s = solve(voltage_binds.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(voltage_binds.row_kw(s, 0, 0), 12.5, kPlanTol);
    EXPECT_NEAR(voltage_binds.expected_cost(s), 3.50, kPlanTol);

    feeder.sensitivity.set_loading({0.8, 0.8});
    const ChargingModel loading_binds = build_charging_model(feeder.observe(), holding_loadings(true));
    const Solution t = solve(loading_binds.model);
    ASSERT_EQ(t.status, SolveStatus::optimal);
    EXPECT_NEAR(loading_binds.row_kw(t, 0, 0), 10.0, kPlanTol);
    EXPECT_NEAR(loading_binds.expected_cost(t), 4.00, kPlanTol);
}

// A loading that grows faster than its slope (0.0005 per kW², as a current grows with the voltage
// falling): the slope promises 15 kW in the cheap hour, which would load the transformer to
// 0.7 + 0.3 + 0.1125 = 111 %. The cut rounds solve the plan on the feeder until it holds:
// 0.3 = 0.02·x + 0.0005·x², x = −20 + √1000 = 11.62 kW.
TEST(FeederLoadingLimit, CutRoundsBringAPlanUnderACurvingLoading) {
    FeederSite feeder(1.0);
    feeder.sensitivity.set_loading({0.7, 0.7}, 5e-4);
    Solver solver;
    Decision out;
    const Plan plan = make_plan(feeder.observe(), holding_loadings(), solver, out);
    ASSERT_TRUE(plan.solution.has_values());
    const double kw = plan.model.row_kw(plan.solution, 0, 0);
    EXPECT_NEAR(kw, -20.0 + std::sqrt(1000.0), 0.05);
    std::vector<double> loading;
    ASSERT_TRUE(feeder.sensitivity.loadings_at(Time(0), std::vector<double>{kw}, loading, nullptr));
    EXPECT_LE(loading[0], 1.0 + ChargingModel::kFeederTolerance);
}

}  // namespace
}  // namespace evtwin::milp
