#include "core/decision_check.hpp"

#include "model/power_flow.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace evtwin {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// An 11 kW AC charger that holds 1.4 kW at least, a 22 kW V2G charger, and one with steps 6/10/16 kW.
struct Chargers {
    ChargerSpec ac, v2g, stepped;
    Chargers() {
        ac.name = "AC";
        ac.max_kw = 11.0;
        ac.min_kw = 1.4;
        v2g.name = "V2G";
        v2g.max_kw = 22.0;
        v2g.v2g_capable = true;
        stepped.name = "STEP";
        stepped.max_kw = 16.0;
        stepped.setpoints_kw = {6.0, 10.0, 16.0};
    }
};

// One connector on `charger` with a vehicle (V2G allowed or not), and `kw` asked of it.
struct Case {
    const ChargerSpec* charger;
    double kw;
    bool occupied = true;
    bool vehicle_v2g = true;
};

struct Checked {
    Decision decision;
    std::vector<Violation> violations;
};

Checked check(const std::vector<Case>& cases, double ess_kw = 0.0,
              const std::optional<EssSpec>& ess = std::nullopt) {
    Checked out;
    std::vector<ConnectorLimits> limits;
    for (const Case& c : cases) {
        limits.push_back(ConnectorLimits{c.charger, c.occupied, c.vehicle_v2g, kUnlimited});
        out.decision.connector_kw.push_back(c.kw);
    }
    out.decision.ess_kw = {ess_kw};
    std::vector<EssSpec> batteries;
    if (ess) batteries.push_back(*ess);
    check_decision(out.decision, limits, batteries, out.violations);
    return out;
}

// The battery's setpoint after the check (0 where the site has none: the check drops it).
double ess_after(const Checked& r) {
    return r.decision.ess_kw.empty() ? 0.0 : r.decision.ess_kw[0];
}

// The single violation of a one-connector check, and the setpoint it left.
void expect_clip(const Case& c, const std::string& kind, double applied) {
    const Checked r = check({c});
    SCOPED_TRACE(c.charger->name + " asked " + std::to_string(c.kw));
    ASSERT_EQ(r.violations.size(), 1u);
    const Violation& v = r.violations[0];
    EXPECT_EQ(v.kind, kind);
    EXPECT_EQ(v.node, kNone);
    EXPECT_EQ(v.connector, 0u);
    if (!std::isfinite(c.kw))
        EXPECT_EQ(v.requested_kw, applied);  // no number to store: recorded as what was applied
    else
        EXPECT_EQ(v.requested_kw, c.kw);
    EXPECT_DOUBLE_EQ(v.applied_kw, applied);
    EXPECT_DOUBLE_EQ(r.decision.connector_kw[0], applied);
}

void expect_untouched(const Case& c) {
    const Checked r = check({c});
    EXPECT_TRUE(r.violations.empty()) << c.charger->name << " asked " << c.kw << ": " << r.violations[0].kind;
    EXPECT_EQ(r.decision.connector_kw[0], c.kw);
}

EssSpec ess() {
    EssSpec e;
    e.max_charge_kw = 50.0;
    e.max_discharge_kw = 40.0;
    return e;
}

TEST(DecisionCheck, FeasibleSetpointsPassUntouched) {
    const Chargers ch;
    expect_untouched({&ch.ac, 7.0});
    expect_untouched({&ch.ac, 11.0});
    expect_untouched({&ch.ac, 1.4});          // exactly the minimum
    expect_untouched({&ch.ac, 0.0});          // off is always allowed
    expect_untouched({&ch.ac, 11.0 + 1e-7});  // within the 1e-6 kW rounding tolerance
    expect_untouched({&ch.ac, 1.4 - 1e-7});
    expect_untouched({&ch.v2g, -22.0});
    expect_untouched({&ch.v2g, 0.5});  // no minimum on this one
    expect_untouched({&ch.stepped, 10.0});
    expect_untouched({&ch.stepped, 16.0});
    expect_untouched({&ch.stepped, 6.0 + 1e-7});
    const Checked r = check({{&ch.ac, 7.0}, {&ch.v2g, -15.0}, {&ch.stepped, 10.0}}, 20.0, ess());
    EXPECT_TRUE(r.violations.empty());
    EXPECT_EQ(r.decision.connector_kw, (std::vector<double>{7.0, -15.0, 10.0}));
    EXPECT_EQ(ess_after(r), 20.0);
}

TEST(DecisionCheck, NonFiniteSetpointIsInvalid) {
    const Chargers ch;
    expect_clip({&ch.ac, kNaN}, "invalid_setpoint", 0.0);
    expect_clip({&ch.v2g, kInf}, "invalid_setpoint", 0.0);
    expect_clip({&ch.v2g, -kInf}, "invalid_setpoint", 0.0);
    // Even on an empty connector: a NaN is a fault of the strategy, whatever it was offered to.
    expect_clip({&ch.ac, kNaN, false}, "invalid_setpoint", 0.0);
    // The ESS likewise, with or without one.
    for (const auto& e : {std::optional<EssSpec>(ess()), std::optional<EssSpec>()}) {
        const Checked r = check({}, kNaN, e);
        ASSERT_EQ(r.violations.size(), 1u);
        EXPECT_EQ(r.violations[0].kind, "invalid_setpoint");
        EXPECT_EQ(r.violations[0].connector, kNone);
        EXPECT_EQ(ess_after(r), 0.0);
    }
}

TEST(DecisionCheck, DischargeNeedsAV2gChargerAndAVehicleThatAllowsIt) {
    const Chargers ch;
    expect_clip({&ch.ac, -5.0}, "v2g_not_supported", 0.0);
    expect_clip({&ch.ac, -5.0, true, false}, "v2g_not_supported", 0.0);  // the charger is checked first
    expect_clip({&ch.v2g, -5.0, true, false}, "v2g_not_allowed", 0.0);
    expect_untouched({&ch.v2g, -5.0, true, true});
}

TEST(DecisionCheck, AboveTheRatingIsClippedToIt) {
    const Chargers ch;
    expect_clip({&ch.ac, 15.0}, "charger_max", 11.0);
    expect_clip({&ch.v2g, 30.0}, "charger_max", 22.0);
    expect_clip({&ch.v2g, -30.0}, "charger_max", -22.0);
    expect_clip({&ch.ac, 11.0 + 2e-6}, "charger_max", 11.0);  // beyond the tolerance
}

TEST(DecisionCheck, BelowTheMinimumPowerIsOff) {
    const Chargers ch;
    expect_clip({&ch.ac, 1.0}, "below_min_power", 0.0);
    expect_clip({&ch.ac, 1.4 - 2e-6}, "below_min_power", 0.0);
}

TEST(DecisionCheck, SetpointsBetweenStepsRoundDown) {
    const Chargers ch;
    expect_clip({&ch.stepped, 12.0}, "setpoint_not_allowed", 10.0);
    expect_clip({&ch.stepped, 15.9}, "setpoint_not_allowed", 10.0);
    expect_clip({&ch.stepped, 5.0}, "setpoint_not_allowed", 0.0);  // below the smallest step
    expect_clip({&ch.stepped, 20.0}, "charger_max", 16.0);         // 16 is a step: one clip
}

TEST(DecisionCheck, ARatingBetweenStepsClipsTwice) {
    // Steps 6/10/16 on a 12 kW charger: 20 -> 12 (the rating) -> 10 (the step below it).
    Chargers ch;
    ch.stepped.max_kw = 12.0;
    const Checked r = check({{&ch.stepped, 20.0}});
    ASSERT_EQ(r.violations.size(), 2u);
    EXPECT_EQ(r.violations[0].kind, "charger_max");
    EXPECT_EQ(r.violations[0].requested_kw, 20.0);
    EXPECT_EQ(r.violations[0].applied_kw, 12.0);
    EXPECT_EQ(r.violations[1].kind, "setpoint_not_allowed");
    EXPECT_EQ(r.violations[1].requested_kw, 12.0);
    EXPECT_EQ(r.violations[1].applied_kw, 10.0);
    EXPECT_EQ(r.decision.connector_kw[0], 10.0);
}

TEST(DecisionCheck, EssBeyondItsRatingIsClippedBothWays) {
    for (const auto& [asked, applied] : {std::pair{60.0, 50.0}, std::pair{-45.0, -40.0}}) {
        const Checked r = check({}, asked, ess());
        ASSERT_EQ(r.violations.size(), 1u);
        EXPECT_EQ(r.violations[0].kind, "ess_max");
        EXPECT_EQ(r.violations[0].connector, kNone);
        EXPECT_EQ(r.violations[0].requested_kw, asked);
        EXPECT_EQ(r.violations[0].applied_kw, applied);
        EXPECT_EQ(ess_after(r), applied);
    }
    for (double ok : {50.0, -40.0, 0.0, 50.0 + 1e-7}) {
        const Checked r = check({}, ok, ess());
        EXPECT_TRUE(r.violations.empty()) << ok;
        EXPECT_EQ(ess_after(r), ok);
    }
}

TEST(DecisionCheck, EssSetpointWithoutAnEss) {
    const Checked r = check({}, 5.0);
    ASSERT_EQ(r.violations.size(), 1u);
    EXPECT_EQ(r.violations[0].kind, "no_ess");
    EXPECT_EQ(r.violations[0].requested_kw, 5.0);
    EXPECT_EQ(ess_after(r), 0.0);
    EXPECT_TRUE(check({}, 0.0).violations.empty());
}

// A session's cap (live mode's OCPI charging profiles) clips either way, to a setpoint the charger
// holds; a setpoint within it passes.
TEST(DecisionCheck, ASessionsCapClipsBothWaysToWhatTheChargerHolds) {
    const Chargers ch;
    const auto capped = [](const ChargerSpec& charger, double kw, double cap_kw) {
        Checked out;
        out.decision.connector_kw = {kw};
        check_decision(out.decision, {ConnectorLimits{&charger, true, true, cap_kw}}, {}, out.violations);
        return out;
    };
    Checked r = capped(ch.ac, 11.0, 3.0);
    ASSERT_EQ(r.violations.size(), 1u);
    EXPECT_EQ(r.violations[0].kind, "session_cap");
    EXPECT_EQ(r.violations[0].applied_kw, 3.0);
    r = capped(ch.v2g, -15.0, 4.0);
    ASSERT_EQ(r.violations.size(), 1u);
    EXPECT_EQ(r.violations[0].kind, "session_cap");
    EXPECT_EQ(r.decision.connector_kw[0], -4.0);
    r = capped(ch.stepped, 16.0, 12.0);  // the step below the cap
    EXPECT_EQ(r.decision.connector_kw[0], 10.0);
    r = capped(ch.ac, 2.5, 3.0);
    EXPECT_TRUE(r.violations.empty());
    EXPECT_EQ(r.decision.connector_kw[0], 2.5);
}

TEST(DecisionCheck, OfferToAnEmptyConnectorIsSilentlyZero) {
    const Chargers ch;
    const Checked r = check(
        {{&ch.ac, 7.0, false}, {&ch.v2g, -50.0, false}, {&ch.stepped, 12.0, false}, {&ch.ac, 100.0, false}});
    EXPECT_TRUE(r.violations.empty());
    EXPECT_EQ(r.decision.connector_kw, (std::vector<double>(4, 0.0)));
}

TEST(DecisionCheck, ShortDecisionIsPaddedWithZeros) {
    const Chargers ch;
    std::vector<ConnectorLimits> limits(3, ConnectorLimits{&ch.ac, true, false, kUnlimited});
    Decision d;
    d.connector_kw = {5.0};
    std::vector<Violation> violations;
    check_decision(d, limits, {}, violations);
    EXPECT_EQ(d.connector_kw, (std::vector<double>{5.0, 0.0, 0.0}));
    EXPECT_TRUE(violations.empty());
}

TEST(DecisionCheck, ViolationsNameTheirConnector) {
    const Chargers ch;
    const Checked r = check({{&ch.ac, 5.0}, {&ch.ac, 20.0}, {&ch.ac, -1.0}});
    ASSERT_EQ(r.violations.size(), 2u);
    EXPECT_EQ(r.violations[0].connector, 1u);
    EXPECT_EQ(r.violations[0].kind, "charger_max");
    EXPECT_EQ(r.violations[1].connector, 2u);
    EXPECT_EQ(r.violations[1].kind, "v2g_not_supported");
}

TEST(RoundDownSetpoint, ContinuousChargerKeepsWhatItCanHold) {
    const Chargers ch;
    EXPECT_DOUBLE_EQ(round_down_setpoint(ch.ac, 5.0), 5.0);
    EXPECT_DOUBLE_EQ(round_down_setpoint(ch.ac, 20.0), 11.0);  // the rating
    EXPECT_DOUBLE_EQ(round_down_setpoint(ch.ac, 1.0), 0.0);    // below the 1.4 kW minimum: off
    EXPECT_DOUBLE_EQ(round_down_setpoint(ch.ac, 1.4), 1.4);
    EXPECT_DOUBLE_EQ(round_down_setpoint(ch.ac, 0.0), 0.0);
    EXPECT_DOUBLE_EQ(round_down_setpoint(ch.v2g, 0.3), 0.3);
}

TEST(RoundDownSetpoint, SteppedChargerTakesTheStepBelow) {
    const Chargers ch;
    EXPECT_DOUBLE_EQ(round_down_setpoint(ch.stepped, 12.0), 10.0);
    EXPECT_DOUBLE_EQ(round_down_setpoint(ch.stepped, 16.0), 16.0);
    EXPECT_DOUBLE_EQ(round_down_setpoint(ch.stepped, 100.0), 16.0);
    EXPECT_DOUBLE_EQ(round_down_setpoint(ch.stepped, 5.99), 0.0);
    EXPECT_DOUBLE_EQ(round_down_setpoint(ch.stepped, 10.0 - 1e-7), 10.0);  // rounding noise: still 10
}

TEST(RoundDownSetpoint, PropertyLargestHoldableSetpointNotAbove) {
    // Random chargers and powers: the result is one the charger can hold, not above the request
    // (beyond rounding) or the rating, and no larger holdable setpoint is.
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int trial = 0; trial < 2000; ++trial) {
        ChargerSpec c;
        c.max_kw = 3.0 + 47.0 * u(rng);
        c.min_kw = u(rng) < 0.5 ? 0.0 : 6.0 * u(rng);
        if (u(rng) < 0.5)
            for (int k = 0; k < 4; ++k) c.setpoints_kw.push_back(std::floor(60.0 * u(rng)));
        const double kw = 60.0 * u(rng);
        const double r = round_down_setpoint(c, kw);
        SCOPED_TRACE("trial " + std::to_string(trial) + ": " + std::to_string(kw) + " kW");
        EXPECT_GE(r, 0.0);
        EXPECT_LE(r, kw + kPowerTolerance);
        EXPECT_LE(r, c.max_kw + kPowerTolerance);
        if (c.setpoints_kw.empty()) {
            EXPECT_TRUE(r == 0.0 || r + kPowerTolerance >= c.min_kw);
            if (std::min(kw, c.max_kw) >= c.min_kw) {
                EXPECT_DOUBLE_EQ(r, std::min(kw, c.max_kw));
            }
        } else {
            EXPECT_TRUE(r == 0.0 ||
                        std::find(c.setpoints_kw.begin(), c.setpoints_kw.end(), r) != c.setpoints_kw.end());
            for (double s : c.setpoints_kw)
                if (s <= std::min(kw, c.max_kw)) {
                    EXPECT_GE(r, s);
                }
        }
    }
}

}  // namespace
}  // namespace evtwin
