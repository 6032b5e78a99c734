// The battery health grade: its boundaries, sub-scores, weights and reasons (docs/battery.md).
#include "kpi/battery_grade.hpp"
#include "kpi/battery_sub_scores.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace evtwin {
namespace {

using ::testing::HasSubstr;

// A young vehicle used gently: at its expected SoH, little time at high SoC, shallow AC cycles.
BatteryUsage gentle_new_vehicle() {
    BatteryUsage u;
    u.battery = "ev:v1";
    u.vehicle = "v1";
    u.model = "Model X";
    u.chemistry = "nmc";
    u.model_year = 2025;
    u.age_years = 0.5;
    u.capacity_kwh = 60.0;
    u.soh_start = 0.99;
    u.soh_end = 0.985;
    u.expected_soh = 0.985;
    u.sessions = 20;
    u.hours_seen = 200.0;
    u.hours_high_soc = 10.0;
    u.efc = 4.0;
    u.mean_depth = 0.3;
    u.max_depth = 0.5;
    u.mean_c_rate = 0.15;
    return u;
}

VehicleTelemetry good_telemetry() {
    VehicleTelemetry t;
    t.vehicle = "v1";
    t.model = "Model X";
    t.year = 2025;
    t.km_per_kwh = 6.5;
    t.temperature_c = 25.0;
    t.cell_imbalance_mv = 10.0;
    t.hard_events_per_100km = 1.0;
    return t;
}

const SubScore& sub(const BatteryGrade& g, const std::string& name) {
    for (const SubScore& s : g.sub_scores) {
        if (s.name == name) return s;
    }
    throw std::runtime_error("no sub-score " + name);
}

double weight_sum(const BatteryGrade& g) {
    double sum = 0.0;
    for (const SubScore& s : g.sub_scores) sum += s.weight;
    return sum;
}

TEST(BatteryGrade, BoundariesBelongToTheHigherGrade) {
    EXPECT_EQ(grade_of(100.0), 'A');
    EXPECT_EQ(grade_of(85.0), 'A');
    EXPECT_EQ(grade_of(84.99), 'B');
    EXPECT_EQ(grade_of(70.0), 'B');
    EXPECT_EQ(grade_of(69.99), 'C');
    EXPECT_EQ(grade_of(55.0), 'C');
    EXPECT_EQ(grade_of(54.99), 'D');
    EXPECT_EQ(grade_of(0.0), 'D');
}

TEST(BatteryGrade, NewBatteryAtExpectedSohWithAGentlePatternScoresA) {
    const BatteryGrade g = grade_battery(gentle_new_vehicle());
    EXPECT_EQ(g.grade, 'A');
    EXPECT_DOUBLE_EQ(g.score, 100.0);
    EXPECT_TRUE(g.ceiling_reason.empty());
}

TEST(BatteryGrade, FarBelowExpectedWithDeepDischargesAndDcChargingScoresD) {
    BatteryUsage u = gentle_new_vehicle();
    u.model_year = 2019;
    u.age_years = 6.0;
    u.expected_soh = 0.90;
    u.soh_end = 0.78;
    u.sessions = 12;
    u.deep_discharges = 9;
    u.dc_share = 0.9;
    u.mean_c_rate = 1.5;
    u.mean_depth = 0.8;
    u.max_depth = 0.95;
    const BatteryGrade g = grade_battery(u);
    EXPECT_EQ(g.grade, 'D') << g.score;
    EXPECT_LT(sub(g, "charging_pattern").score, 55.0);
    EXPECT_DOUBLE_EQ(sub(g, "soh").score, 52.0 - 6.0);  // 12 points below: 100 - 48, age 6 years: -6
}

TEST(BatteryGrade, AgeDeductionLowersAnOldVehicleAgainstANewOneWithTheSameRelativeSoh) {
    BatteryUsage young = gentle_new_vehicle();
    young.age_years = 1.0;
    young.expected_soh = 0.95;
    young.soh_end = 0.93;
    BatteryUsage old = young;
    old.model_year = 2016;
    old.age_years = 9.0;
    const BatteryGrade gy = grade_battery(young);
    const BatteryGrade go = grade_battery(old);
    EXPECT_DOUBLE_EQ(sub(gy, "soh").score, 92.0);
    EXPECT_DOUBLE_EQ(sub(go, "soh").score, 92.0 - 12.0);  // 2 a year beyond 3 years
    EXPECT_LT(go.score, gy.score);
    EXPECT_THAT(sub(go, "soh").reason, HasSubstr("age 9.0 years (model year 2016"));
    EXPECT_THAT(sub(go, "soh").reason, HasSubstr("\u221212.0"));

    EXPECT_DOUBLE_EQ(age_deduction(3.0), 0.0);
    EXPECT_DOUBLE_EQ(age_deduction(20.0), 15.0);  // capped
}

TEST(BatteryGrade, UnknownModelYearHasNoAgeDeduction) {
    BatteryUsage u = gentle_new_vehicle();
    u.model_year = 0;
    u.age_years = 10.0;
    const SubScore s = sub(grade_battery(u), "soh");
    EXPECT_DOUBLE_EQ(s.score, 100.0);
    EXPECT_THAT(s.reason, HasSubstr("model year unknown: no age deduction"));
}

TEST(BatteryGrade, AnSohUnder70PercentIsGradedDWhateverElse) {
    BatteryUsage u = gentle_new_vehicle();
    u.model_year = 0;
    u.age_years = 15.0;
    u.expected_soh = 0.68;
    u.soh_end = 0.68;  // as expected for its age, gently used, with perfect telemetry
    const BatteryGrade g = grade_battery(u, good_telemetry());
    EXPECT_EQ(g.grade, 'D');
    EXPECT_LT(g.score, 55.0);
    EXPECT_GT(g.weighted, g.score);
    EXPECT_THAT(g.ceiling_reason, HasSubstr("SoH 68.0 %"));
    EXPECT_DOUBLE_EQ(soh_ceiling(0.70), 55.0);
    EXPECT_DOUBLE_EQ(soh_ceiling(0.80), 85.0);
    EXPECT_DOUBLE_EQ(soh_ceiling(0.95), 100.0);
}

TEST(BatteryGrade, EachReasonGivesItsNumbers) {
    BatteryUsage u = gentle_new_vehicle();
    u.expected_soh = 0.912;
    u.soh_end = 0.88;
    u.hours_seen = 100.0;
    u.hours_high_soc = 62.0;
    u.mean_depth = 0.6;
    u.max_depth = 0.9;
    u.mean_c_rate = 0.8;
    u.dc_share = 0.4;
    u.sessions = 10;
    u.deep_discharges = 2;
    u.v2g_kwh = 120.0;
    VehicleTelemetry t = good_telemetry();
    t.km_per_kwh = 4.5;
    t.temperature_c = 40.0;
    t.cell_imbalance_mv = 60.0;
    t.hard_events_per_100km = 6.0;
    const BatteryGrade g = grade_battery(u, t);

    const std::string soh = sub(g, "soh").reason;
    EXPECT_THAT(soh, HasSubstr("SoH 88.0 % against 91.2 % expected at 0.5 years"));
    EXPECT_THAT(soh, HasSubstr("3.2 points below, \u221212.8"));
    EXPECT_NEAR(sub(g, "soh").score, 87.2, 1e-9);

    const SubScore pattern = sub(g, "charging_pattern");
    EXPECT_THAT(pattern.reason, HasSubstr("parked at \u2265 80 % SoC 62 % of the time: \u221212.6"));
    EXPECT_THAT(pattern.reason, HasSubstr("mean depth of discharge 60 %: \u22124.0"));
    EXPECT_THAT(pattern.reason, HasSubstr("deepest cycle 90 %: \u22122.5"));
    EXPECT_THAT(pattern.reason, HasSubstr("mean C-rate 0.80 C: \u22123.0"));
    EXPECT_THAT(pattern.reason, HasSubstr("DC share 40 %: \u22123.0"));
    EXPECT_THAT(pattern.reason, HasSubstr("2 deep discharges below 10 % SoC (0.20 a session): \u22124.0"));
    EXPECT_THAT(pattern.reason, HasSubstr("V2G 120.0 kWh = 2.00 capacities (0.20 a session): \u22123.0"));
    EXPECT_NEAR(pattern.score, 100.0 - 12.6 - 4.0 - 2.5 - 3.0 - 3.0 - 4.0 - 3.0, 1e-9);

    EXPECT_THAT(sub(g, "efficiency").reason, HasSubstr("4.50 km/kWh"));
    EXPECT_NEAR(sub(g, "efficiency").score, 65.0, 1e-9);
    EXPECT_THAT(sub(g, "temperature").reason, HasSubstr("battery at 40.0 \u00b0C, 5.0 \u00b0C above"));
    EXPECT_NEAR(sub(g, "temperature").score, 70.0, 1e-9);
    EXPECT_THAT(sub(g, "cell_balance").reason, HasSubstr("cell imbalance 60 mV"));
    EXPECT_NEAR(sub(g, "cell_balance").score, 60.0, 1e-9);
    EXPECT_THAT(sub(g, "driving_habit").reason, HasSubstr("6.0 hard accelerations and brakes per 100 km"));
    EXPECT_NEAR(sub(g, "driving_habit").score, 75.0, 1e-9);
    for (const SubScore& s : g.sub_scores) EXPECT_FALSE(s.reason.empty()) << s.name;
}

TEST(BatteryGrade, WeightsSumToOneWithAndWithoutTelemetry) {
    const BatteryGrade bare = grade_battery(gentle_new_vehicle());
    ASSERT_EQ(bare.sub_scores.size(), 2u);
    EXPECT_NEAR(weight_sum(bare), 1.0, 1e-12);
    EXPECT_NEAR(sub(bare, "soh").weight, 2.0 / 3.0, 1e-12);

    const BatteryGrade full = grade_battery(gentle_new_vehicle(), good_telemetry());
    ASSERT_EQ(full.sub_scores.size(), 6u);
    EXPECT_NEAR(weight_sum(full), 1.0, 1e-12);
    EXPECT_DOUBLE_EQ(sub(full, "soh").weight, 0.40);
    EXPECT_DOUBLE_EQ(sub(full, "charging_pattern").weight, 0.20);
    EXPECT_DOUBLE_EQ(sub(full, "efficiency").weight, 0.05);
    EXPECT_DOUBLE_EQ(sub(full, "temperature").weight, 0.10);
    EXPECT_DOUBLE_EQ(sub(full, "cell_balance").weight, 0.15);
    EXPECT_DOUBLE_EQ(sub(full, "driving_habit").weight, 0.10);
}

TEST(BatteryGrade, TelemetryChangesTheScoreAsDocumented) {
    const BatteryUsage u = gentle_new_vehicle();
    EXPECT_DOUBLE_EQ(grade_battery(u, good_telemetry()).score, 100.0);

    VehicleTelemetry worn = good_telemetry();
    worn.km_per_kwh = 4.0;              // 50
    worn.temperature_c = 45.0;          // 100 - 6 x 10 = 40
    worn.cell_imbalance_mv = 100.0;     // 20
    worn.hard_events_per_100km = 10.0;  // 50
    const BatteryGrade g = grade_battery(u, worn);
    // 0.40 x 100 + 0.20 x 100 + 0.05 x 50 + 0.10 x 40 + 0.15 x 20 + 0.10 x 50
    EXPECT_DOUBLE_EQ(g.score, 74.5);
    EXPECT_EQ(g.grade, 'B');
    double sum = 0.0;
    for (const SubScore& s : g.sub_scores) sum += s.weight * s.score;
    EXPECT_NEAR(g.weighted, sum, 1e-12);
}

TEST(BatteryGrade, TheEssIsGradedOnSohAndPatternOnly) {
    BatteryUsage ess = gentle_new_vehicle();
    ess.battery = ess_battery_name("ess");
    ess.vehicle.clear();
    ess.model.clear();
    ess.model_year = 0;
    ess.age_years = 12.0;
    ess.sessions = 0;
    ess.hours_seen = 240.0;  // 10 days
    ess.deep_discharges = 5;
    ess.v2g_kwh = 500.0;  // its discharge is its job: not graded as V2G
    const BatteryGrade g = grade_battery(ess, good_telemetry());
    ASSERT_EQ(g.sub_scores.size(), 2u);
    EXPECT_THAT(sub(g, "soh").reason, HasSubstr("no age deduction"));
    const SubScore pattern = sub(g, "charging_pattern");
    EXPECT_THAT(pattern.reason, HasSubstr("5 deep discharges below 10 % SoC (0.50 a day): \u221210.0"));
    EXPECT_EQ(pattern.reason.find("V2G"), std::string::npos);

    ess.model_year = 2014;  // a year given: the age deduction applies
    EXPECT_DOUBLE_EQ(sub(grade_battery(ess), "soh").score, 100.0 - 15.0);
}

std::string invalid_argument_of(const BatteryUsage& u,
                                const std::optional<VehicleTelemetry>& t = std::nullopt) {
    try {
        grade_battery(u, t);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(no std::invalid_argument)";
}

TEST(BatteryGrade, RefusesAnSohOutsideZeroToOneAndNumbersOutOfRange) {
    BatteryUsage u = gentle_new_vehicle();
    u.soh_end = 1.2;
    EXPECT_THAT(invalid_argument_of(u), HasSubstr("battery 'ev:v1': expected soh_end in (0, 1], got 1.2"));
    u.soh_end = 0.0;
    EXPECT_THAT(invalid_argument_of(u), HasSubstr("expected soh_end in (0, 1], got 0"));
    u = gentle_new_vehicle();
    u.expected_soh = std::nan("");
    EXPECT_THAT(invalid_argument_of(u), HasSubstr("expected expected_soh in (0, 1], got nan"));
    u = gentle_new_vehicle();
    u.hours_high_soc = 300.0;  // more than the 200 hours seen
    EXPECT_THAT(invalid_argument_of(u), HasSubstr("expected hours_high_soc in [0, 200], got 300"));
    u = gentle_new_vehicle();
    u.dc_share = -0.1;
    EXPECT_THAT(invalid_argument_of(u), HasSubstr("expected dc_share in [0, 1], got -0.1"));
    VehicleTelemetry t = good_telemetry();
    t.km_per_kwh = std::nan("");
    EXPECT_THAT(invalid_argument_of(gentle_new_vehicle(), t), HasSubstr("expected telemetry km_per_kwh"));
}

}  // namespace
}  // namespace evtwin
