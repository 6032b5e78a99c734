#include <evtwin/rl/env.hpp>
#include <evtwin/rl/layout.hpp>

#include "model/power_flow.hpp"
#include "policy_codec/safety_layer.hpp"
#include "policy_codec/shared_capacity.hpp"

#include "support/test_site.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <span>
#include <vector>

namespace evtwin {
namespace {

// The safety layer rounds as the power flow does, so that what it holds is never an overload there.
static_assert(kSafetyPowerTolerance == kPowerTolerance);

using test::at_hour;

const Duration kPeriod = Duration::minutes(15);

SessionView plugged(double remaining_kwh, double hours_left, double max_kw = 10.0, double eff = 1.0) {
    SessionView s;
    s.connector = 0;
    s.declared_departure = at_hour(hours_left);
    s.requested_kwh = remaining_kwh;
    s.remaining_kwh = remaining_kwh;
    s.capacity_kwh = 100.0;
    s.max_charge_kw = max_kw;
    s.charge_efficiency = eff;
    return s;
}

TEST(SafeRange, LeastPowerNowThatKeepsTheRequestReachable) {
    // 20 kWh at 10 kW is 2 h of charging.
    EXPECT_DOUBLE_EQ(safe_range(plugged(20.0, 2.25), at_hour(0), kPeriod).min_kw, 0.0);  // 15 min of slack
    EXPECT_DOUBLE_EQ(safe_range(plugged(20.0, 2.125), at_hour(0), kPeriod).min_kw,
                     5.0);  // 7.5 min: half power
    EXPECT_DOUBLE_EQ(safe_range(plugged(20.0, 2.0), at_hour(0), kPeriod).min_kw, 10.0);  // none: full power
    EXPECT_DOUBLE_EQ(safe_range(plugged(20.0, 1.0), at_hour(0), kPeriod).min_kw, 10.0);  // infeasible: capped
    EXPECT_DOUBLE_EQ(safe_range(plugged(20.0, 2.0), at_hour(0), kPeriod).max_kw, 10.0);
    // Charger losses: 20 kWh at the inlet is 20 / 0.8 = 25 kWh from the grid, 2.5 h at 10 kW.
    EXPECT_NEAR(safe_range(plugged(20.0, 2.5, 10.0, 0.8), at_hour(0), kPeriod).min_kw, 10.0, 1e-9);
    EXPECT_NEAR(safe_range(plugged(20.0, 2.75, 10.0, 0.8), at_hour(0), kPeriod).min_kw, 0.0, 1e-9);
    // The last minutes: what is left over what is left of the stay.
    EXPECT_DOUBLE_EQ(safe_range(plugged(1.0, 0.125), at_hour(0), kPeriod).min_kw, 8.0);
    // Past the declared departure: all it still wants.
    EXPECT_DOUBLE_EQ(safe_range(plugged(1.0, 0.5), at_hour(1), kPeriod).min_kw, 4.0);
}

TEST(SafeRange, AMarginPlansForAnEarlierDeparture) {
    const SessionView s = plugged(20.0, 2.625);
    EXPECT_DOUBLE_EQ(safe_range(s, at_hour(0), kPeriod).min_kw, 0.0);
    // 30 min earlier: 2.125 h left, as in the case above: half power now.
    EXPECT_DOUBLE_EQ(safe_range(s, at_hour(0), kPeriod, Duration::minutes(30)).min_kw, 5.0);
}

TEST(SafeRange, NeverMoreThanTheRestOfTheRequestInOnePeriod) {
    const SafeRange r = safe_range(plugged(1.0, 5.0), at_hour(0), kPeriod);
    EXPECT_DOUBLE_EQ(r.min_kw, 0.0);
    EXPECT_DOUBLE_EQ(r.max_kw, 4.0);  // 1 kWh in 15 min
    const SafeRange done = safe_range(plugged(0.0, 5.0), at_hour(0), kPeriod);
    EXPECT_DOUBLE_EQ(done.max_kw, 0.0);
    EXPECT_DOUBLE_EQ(done.discharge_kw, 0.0);
}

TEST(SafeRange, DischargeOnlyWhileTheDepartureEnergyStaysReachable) {
    SessionView s = plugged(10.0, 3.0);
    s.v2g_allowed = true;
    s.max_discharge_kw = 10.0;
    // Slack after the period: 10 kW x 2.75 h - 10 kWh = 17.5 kWh; 10 kW for 15 min takes 2.5.
    EXPECT_DOUBLE_EQ(safe_range(s, at_hour(0), kPeriod).discharge_kw, 10.0);
    s.remaining_kwh = 27.0;  // slack 0.5 kWh: 2 kW for 15 min
    EXPECT_NEAR(safe_range(s, at_hour(0), kPeriod).discharge_kw, 2.0, 1e-12);
    s.remaining_kwh = 28.0;  // none: must charge
    const SafeRange r = safe_range(s, at_hour(0), kPeriod);
    EXPECT_DOUBLE_EQ(r.discharge_kw, 0.0);
    EXPECT_GT(r.min_kw, 0.0);
    // The energy given back is lost twice through the losses: 0.9 efficiency, slack 0.5 kWh (grid
    // side) -> 0.5 x 0.81 / 0.25 h.
    s = plugged(27.0 * 0.9 - 0.0, 3.0, 10.0, 0.9);
    s.v2g_allowed = true;
    s.max_discharge_kw = 10.0;
    EXPECT_NEAR(safe_range(s, at_hour(0), kPeriod).discharge_kw, 0.5 * 0.81 / 0.25, 1e-9);
}

// One 11 kW charger (4.2 kW minimum), V2G-capable, as an Observation by hand.
struct OneConnector {
    ConnectorView connector;
    SessionView session;
    Observation o;
    OneConnector() {
        connector.max_kw = 11.0;
        connector.min_kw = 4.2;
        connector.v2g_capable = true;
        connector.session = 0;
        session = plugged(11.0, 2.0, 11.0);  // 1 h of charging in 2 h
        session.v2g_allowed = true;
        session.max_discharge_kw = 11.0;
        o.now = at_hour(0);
        o.control_period = kPeriod;
        o.connectors = std::span<const ConnectorView>(&connector, 1);
        o.sessions = std::span<const SessionView>(&session, 1);
    }
};

ObsCodec codec(SafetyLayer safety) {
    ObsLayout l;
    l.charger_kw = {11.0};
    l.action_low = {-1.0f, 0.0f};
    l.timezone = "UTC";
    l.safety = safety;
    return ObsCodec(l);
}

double decoded(const ObsCodec& c, const Observation& o, float a) {
    Decision d;
    const float action[2] = {a, 0.0f};
    c.decode(action, o, d);
    return d.connector_kw[0];
}

TEST(ObsCodec, LaxityMapsTheActionOntoTheSafeRangeAndTheCharger) {
    OneConnector one;
    const ObsCodec safe = codec(SafetyLayer::laxity);
    const SafeRange r = safe_range(one.session, one.o.now, kPeriod);
    EXPECT_DOUBLE_EQ(r.min_kw, 0.0);
    EXPECT_DOUBLE_EQ(decoded(safe, one.o, 1.0f), 11.0);
    EXPECT_DOUBLE_EQ(decoded(safe, one.o, 0.5f), 5.5);
    EXPECT_DOUBLE_EQ(decoded(safe, one.o, 0.0f), 0.0);
    EXPECT_DOUBLE_EQ(decoded(safe, one.o, 0.3f), 4.2);  // 3.3 kW: up to the charger's minimum
    EXPECT_DOUBLE_EQ(decoded(safe, one.o, 0.1f), 0.0);  // 1.1 kW: down to off
    EXPECT_DOUBLE_EQ(decoded(safe, one.o, -1.0f), -r.discharge_kw);
    EXPECT_GT(r.discharge_kw, 0.0);

    one.session.remaining_kwh = 11.0 * 1.75 + 11.0 * 0.25 * 0.1;  // min 1.1 kW: below the charger's
    const SafeRange tight = safe_range(one.session, one.o.now, kPeriod);
    EXPECT_NEAR(tight.min_kw, 1.1, 1e-9);
    EXPECT_DOUBLE_EQ(decoded(safe, one.o, 0.0f), 4.2);   // never rounded below the safe minimum
    EXPECT_DOUBLE_EQ(decoded(safe, one.o, -1.0f), 4.2);  // nor discharged
    EXPECT_DOUBLE_EQ(decoded(safe, one.o, 1.0f), 11.0);

    const ObsCodec raw = codec(SafetyLayer::none);
    EXPECT_DOUBLE_EQ(decoded(raw, one.o, 0.0f), 0.0);
    EXPECT_DOUBLE_EQ(decoded(raw, one.o, -1.0f), -11.0);
    EXPECT_NEAR(decoded(raw, one.o, 0.1f), 1.1, 1e-6);  // left to the engine to clip
}

TEST(ObsCodec, LaxityShedsFlexiblePowerBeforeTheMinimaAtAFullNode) {
    // grid -> T1 (15 kW) -> chargers A and B (11 kW, no minimum power).
    NodeView nodes[4];
    nodes[1].parent = 0;
    nodes[1].import_limit_kw = 15.0;
    nodes[2].parent = 1;
    nodes[3].parent = 1;
    ConnectorView cv[2];
    SessionView sv[2] = {plugged(22.0, 2.0, 11.0), plugged(5.0, 5.0, 11.0)};  // A: no slack; B: lots
    for (std::uint32_t c = 0; c < 2; ++c) {
        cv[c].node = static_cast<NodeIndex>(2 + c);
        cv[c].max_kw = 11.0;
        cv[c].session = c;
        sv[c].connector = c;
    }
    Observation o;
    o.now = at_hour(0);
    o.control_period = kPeriod;
    o.nodes = nodes;
    o.connectors = cv;
    o.sessions = sv;
    ObsLayout l;
    l.charger_kw = {11.0, 11.0};
    l.action_low = {0.0f, 0.0f, 0.0f};
    l.timezone = "UTC";
    const ObsCodec safe(l);
    Decision d;
    const float full[3] = {1.0f, 1.0f, 0.0f};
    safe.decode(full, o, d);
    EXPECT_DOUBLE_EQ(d.connector_kw[0], 11.0);  // its minimum, untouched
    EXPECT_DOUBLE_EQ(d.connector_kw[1], 4.0);   // what is left under 15 kW
    nodes[1].fixed_flow_kw = 6.0;               // a base load leaves 9 kW: B off, A cut by the engine
    safe.decode(full, o, d);
    EXPECT_DOUBLE_EQ(d.connector_kw[0], 11.0);
    EXPECT_DOUBLE_EQ(d.connector_kw[1], 0.0);
    // With a 4.2 kW charger minimum, B's 4 kW would round up to 4.2 and overload T1: off instead.
    nodes[1].fixed_flow_kw = 0.0;
    cv[1].min_kw = 4.2;
    safe.decode(full, o, d);
    EXPECT_DOUBLE_EQ(d.connector_kw[0], 11.0);
    EXPECT_DOUBLE_EQ(d.connector_kw[1], 0.0);
    cv[1].min_kw = 3.5;  // 4 kW holds: kept
    safe.decode(full, o, d);
    EXPECT_DOUBLE_EQ(d.connector_kw[1], 4.0);
}

// Two sessions that want 11 kWh each in 2 h at up to 11 kW: alone each could wait an hour; under
// one 11 kW connection they need all of it from now on, and nothing is left to put V2G back.
TEST(SiteSafeRanges, WhatTheLaterPeriodsCannotCarryComesNow) {
    NodeView grid;
    grid.import_limit_kw = 11.0;
    SessionView sv[2] = {plugged(11.0, 2.0, 11.0), plugged(11.0, 2.0, 11.0)};
    for (SessionView& s : sv) {
        s.v2g_allowed = true;
        s.max_discharge_kw = 11.0;
    }
    Observation o;
    o.now = at_hour(0);
    o.control_period = kPeriod;
    o.nodes = std::span<const NodeView>(&grid, 1);
    o.sessions = sv;
    SafeRange r[2];
    for (std::size_t i = 0; i < 2; ++i) {
        const SafeRange alone = safe_range(sv[i], o.now, kPeriod);
        EXPECT_DOUBLE_EQ(alone.min_kw, 0.0);
        EXPECT_GT(alone.discharge_kw, 0.0);
    }
    site_safe_ranges(o, Duration{}, r);
    EXPECT_NEAR(r[0].min_kw + r[1].min_kw, 11.0, 1e-9);  // 22 kWh in 2 h under 11 kW
    EXPECT_DOUBLE_EQ(r[0].discharge_kw, 0.0);
    EXPECT_DOUBLE_EQ(r[1].discharge_kw, 0.0);

    // Under 22 kW each has an hour to spare again, and 3 periods x 11 kW of room to put V2G back.
    grid.import_limit_kw = 22.0;
    site_safe_ranges(o, Duration{}, r);
    for (const SafeRange& each : r) {
        EXPECT_DOUBLE_EQ(each.min_kw, 0.0);
        EXPECT_DOUBLE_EQ(each.discharge_kw, safe_range(sv[0], o.now, kPeriod).discharge_kw);
    }
    // A base load forecast of 11 kW leaves what an 11 kW connection would.
    Forecast f;
    f.start = o.now;
    f.step = Duration::hours(1);
    f.base_load_kw = {11.0};
    o.forecast = &f;
    site_safe_ranges(o, Duration{}, r);
    EXPECT_NEAR(r[0].min_kw + r[1].min_kw, 11.0, 1e-9);
}

TEST(SafeRange, PlansWithTheTaperingCurveNearFull) {
    // 10 kWh battery at 80 %, 2 kWh wanted, 10 kW, 30 min left. Full power reaches 90 % in 0.1 h;
    // the default AC curve then falls linearly from 100 % to 30 % of it at 100 % SoC, which takes
    // 10 / (7 x 10) x ln(1 / 0.3) h. Full power after this period (0.25 h) cannot do it all:
    SessionView s = plugged(2.0, 0.5);
    s.capacity_kwh = 10.0;
    s.soc = 0.8;
    const double need_h = 0.1 + 10.0 / 70.0 * std::log(1.0 / 0.3);  // 0.27200 h
    const SafeRange r = safe_range(s, at_hour(0), kPeriod);
    EXPECT_NEAR(r.min_kw, (need_h - 0.25) * 10.0 / 0.25, 1e-9);  // 0.880 kW, where a flat curve says 0
    // Check it meets the request by hand: 0.25 h at min_kw, then 0.25 h at full power along the curve.
    const double now_kwh = r.min_kw * 0.25;
    const double flat_kwh = (0.9 - (0.8 + now_kwh / 10.0)) * 10.0;
    const double taper_h = 0.25 - flat_kwh / 10.0;
    const double soc_end = 0.9 + (1.0 - std::exp(-7.0 * 10.0 * taper_h / 10.0)) / 7.0;
    EXPECT_NEAR(now_kwh + flat_kwh + (soc_end - 0.9) * 10.0, 2.0, 1e-9);
    // Below the taper the plan is the flat one.
    s.soc = 0.2;
    EXPECT_DOUBLE_EQ(safe_range(s, at_hour(0), kPeriod).min_kw, 0.0);
    s.declared_departure = at_hour(0.375);  // 0.125 h after this period: 0.75 kWh now
    EXPECT_NEAR(safe_range(s, at_hour(0), kPeriod).min_kw, 3.0, 1e-9);
}

// grid (40 kW, base load 5 kW, demand peak 10 kW so far) -> three chargers of 11 kW, no minimum.
struct CappedSite {
    NodeView nodes[4];
    ConnectorView cv[3];
    SessionView sv[3] = {plugged(22.0, 2.0, 11.0),   // A: no slack, its minimum is 11 kW
                         plugged(5.0, 5.0, 11.0),    // B: 4.5 h of laxity
                         plugged(11.0, 3.0, 11.0)};  // C: 2 h of laxity
    // The site's battery while o.ess points at it (with_ess).
    EssView ess;
    Observation o;
    ObsLayout l;
    CappedSite() {
        nodes[0].import_limit_kw = 40.0;
        nodes[0].fixed_flow_kw = 5.0;
        for (std::uint32_t c = 0; c < 3; ++c) {
            nodes[1 + c].parent = 0;
            cv[c].node = static_cast<NodeIndex>(1 + c);
            cv[c].max_kw = 11.0;
            cv[c].session = c;
            sv[c].connector = c;
        }
        o.now = at_hour(0);
        o.control_period = kPeriod;
        o.nodes = nodes;
        o.connectors = cv;
        o.sessions = sv;
        o.demand.rate_per_kw = 1.0;
        o.demand.interval = kPeriod;
        o.demand.interval_start = o.now;
        o.demand.peak_kw = 10.0;
        l.charger_kw = {11.0, 11.0, 11.0};
        l.action_low = {0.0f, 0.0f, 0.0f, -1.0f};
        l.timezone = "UTC";
        set_site_cap(l, true);
    }
    Decision decode(float cap, float ess = 0.0f) const {
        Decision d;
        const float action[5] = {1.0f, 1.0f, 1.0f, ess, cap};
        ObsCodec(l).decode(action, o, d);
        return d;
    }
    double import_kw(const Decision& d) const {
        double kw = nodes[0].fixed_flow_kw + d.connector_kw[0] + d.connector_kw[1] + d.connector_kw[2];
        for (const double e : d.ess_kw) kw += e;
        return kw;
    }
    // A battery at the site (20 kW in, 50 kW out now), which the layout drives.
    void with_ess() {
        ess.max_charge_kw = 20.0;
        ess.max_discharge_kw = 50.0;
        o.ess = std::span<const EssView>(&ess, 1);
        l.has_ess = true;
    }
};

TEST(ObsCodec, SiteCapShedsTheMostLaxSessionsFirstAndNeverBelowTheMinima) {
    CappedSite site;
    ASSERT_EQ(site.l.action_size(), 5u);
    // Uncapped: A 11 (its minimum), B 11, C 11: 38 kW with the base load.
    EXPECT_NEAR(site.import_kw(site.decode(1.0f)), 38.0, 1e-9);  // cap at the grid's 40 kW
    // r = 0.5: cap 10 + 0.5² x (40 - 10) = 17.5 kW; B goes first (off), then C down to 1.5 kW.
    Decision d = site.decode(0.5f);
    EXPECT_DOUBLE_EQ(d.connector_kw[0], 11.0);
    EXPECT_DOUBLE_EQ(d.connector_kw[1], 0.0);
    EXPECT_NEAR(d.connector_kw[2], 1.5, 1e-9);
    EXPECT_NEAR(site.import_kw(d), 17.5, 1e-9);
    // With the charger's 4.2 kW minimum C cannot hold 1.5 kW: it goes off, under the cap.
    for (ConnectorView& c : site.cv) c.min_kw = 4.2;
    d = site.decode(0.5f);
    EXPECT_DOUBLE_EQ(d.connector_kw[2], 0.0);
    EXPECT_LE(site.import_kw(d), 17.5);
    // r = 0: the peak so far (10 kW) is below what A's minimum forces (16 kW): A keeps its 11 kW.
    d = site.decode(0.0f);
    EXPECT_DOUBLE_EQ(d.connector_kw[0], 11.0);
    EXPECT_NEAR(site.import_kw(d), 16.0, 1e-9);
}

TEST(ObsCodec, SiteCapUsesTheEssAndCountsTheDemandIntervalSoFar) {
    CappedSite site;
    site.with_ess();
    // The ESS's charging is shed first: at r = 0.5 (17.5 kW) nothing of the 20 kW asked is left.
    Decision d = site.decode(0.5f, 1.0f);
    ASSERT_EQ(d.ess_kw.size(), 1u);
    EXPECT_DOUBLE_EQ(d.ess_kw[0], 0.0);
    EXPECT_NEAR(site.import_kw(d), 17.5, 1e-9);
    // r = 0 (10 kW) under A's 16 kW: the ESS discharges the 6 kW.
    d = site.decode(0.0f);
    EXPECT_DOUBLE_EQ(d.connector_kw[0], 11.0);
    EXPECT_NEAR(d.ess_kw.at(0), -6.0, 1e-9);
    EXPECT_NEAR(site.import_kw(d), 10.0, 1e-9);
    // Asked to discharge its 50 kW, it covers the site (38 kW, nothing to shed then) and exports nothing.
    d = site.decode(0.0f, -1.0f);
    EXPECT_NEAR(d.ess_kw.at(0), -38.0, 1e-9);
    EXPECT_NEAR(site.import_kw(d), 0.0, 1e-9);
    // 10 of the interval's 15 minutes are gone with 2 kWh imported (12 kW on average): the last 5
    // minutes may take (17.5 x 0.25 - 2) / (5 / 60) = 28.5 kW and the interval ends at 17.5 kW.
    site.o.ess = {};
    site.o.demand.interval_start = site.o.now - Duration::minutes(10);
    site.o.demand.interval_kwh = 2.0;
    d = site.decode(0.5f);
    EXPECT_NEAR(site.import_kw(d), 28.5, 1e-9);
    EXPECT_NEAR(d.connector_kw[1], 1.5, 1e-9);  // B, the laxest, takes the cut
    EXPECT_NEAR((2.0 + site.import_kw(d) * 5.0 / 60.0) / 0.25, 17.5, 1e-9);
}

// The cap's range from 0: the lower half of r up to the peak so far, the upper half above it.
TEST(ObsCodec, SiteCapBelowThePeakHoldsImportsUnderIt) {
    CappedSite site;
    site.l.cap_below_peak = true;
    site.with_ess();
    // r = 0.5 holds the peak (10 kW): B and C off, A at its 11 kW minimum, the ESS gives 6 kW.
    Decision d = site.decode(0.5f);
    EXPECT_DOUBLE_EQ(d.connector_kw[1], 0.0);
    EXPECT_NEAR(d.ess_kw.at(0), -6.0, 1e-9);
    EXPECT_NEAR(site.import_kw(d), 10.0, 1e-9);
    // r = 0.25: half the peak; r = 0: nothing imported, the ESS carries A's minimum and the base load.
    EXPECT_NEAR(site.import_kw(site.decode(0.25f)), 5.0, 1e-9);
    d = site.decode(0.0f);
    EXPECT_NEAR(d.ess_kw.at(0), -16.0, 1e-9);
    EXPECT_NEAR(site.import_kw(d), 0.0, 1e-9);
    // r = 0.75: 10 + 0.5² x (40 - 10) = 17.5 kW, what r = 0.5 gives from the peak up.
    site.o.ess = {};
    site.l.cap_below_peak = false;
    const double from_peak = site.import_kw(site.decode(0.5f));
    site.l.cap_below_peak = true;
    EXPECT_NEAR(site.import_kw(site.decode(0.75f)), 17.5, 1e-9);
    EXPECT_NEAR(from_peak, 17.5, 1e-9);
    // A layout differs by its cap's range.
    ObsLayout other = site.l;
    other.cap_below_peak = false;
    EXPECT_EQ(layout_difference(site.l, other), "site cap from 0, expected from the peak");
}

TEST(ObsCodec, ObservationShowsTheDemandChargeState) {
    CappedSite site;
    site.l.power_scale_kw = 100.0;
    site.o.demand.interval_start = site.o.now - Duration::minutes(10);
    site.o.demand.interval_kwh = 2.0;
    const ObsCodec codec(site.l);
    std::vector<float> obs(site.l.observation_size());
    codec.encode(site.o, obs);
    const std::size_t at = 3 + 6 * 3 + 3 * site.l.window + 1;  // after the ESS SoC
    ASSERT_EQ(obs.size(), at + 4);                             // no limited node in this layout
    EXPECT_FLOAT_EQ(obs[at], 0.10f);                           // peak so far, 10 kW
    EXPECT_FLOAT_EQ(obs[at + 1], 0.08f);                       // 2 kWh over the 15-min interval: 8 kW
    EXPECT_FLOAT_EQ(obs[at + 2], 10.0f / 15.0f);               // of the interval gone
    EXPECT_FLOAT_EQ(obs[at + 3], 0.16f);                       // base load 5 + A's minimum 11 kW

    // The bill clock: the time left until the bill closes, the billing period's end or the run's.
    site.l.bill_clock = true;
    site.o.run_end = site.o.now + Duration::hours(7 * 24);
    site.o.demand.period_end = site.o.now + Duration::hours(3 * 24);
    const ObsCodec clocked(site.l);
    obs.assign(site.l.observation_size(), 0.0f);
    clocked.encode(site.o, obs);
    ASSERT_EQ(obs.size(), at + 5);
    EXPECT_FLOAT_EQ(obs[at + 4], 3.0f / 31.0f);  // of a billing month
    site.o.demand.period_end = Time::max();      // an unbounded period: the run's end
    clocked.encode(site.o, obs);
    EXPECT_FLOAT_EQ(obs[at + 4], 7.0f / 31.0f);
    ObsLayout unclocked = site.l;
    unclocked.bill_clock = false;
    EXPECT_EQ(layout_difference(site.l, unclocked), "a bill clock feature, expected none");
}

TEST(ObsCodec, SiteCapIsInTheLayout) {
    ObsLayout a, b;
    a.charger_kw = b.charger_kw = {11.0};
    a.action_low = b.action_low = {0.0f, 0.0f};
    set_site_cap(b, true);
    EXPECT_EQ(b.action_size(), 3u);
    EXPECT_EQ(b.action_low.size(), 3u);
    EXPECT_EQ(layout_difference(a, b), "site cap off, expected on");
    set_site_cap(b, false);
    EXPECT_EQ(layout_difference(a, b), "");
}

TEST(ObsCodec, SafetyLayerNames) {
    EXPECT_EQ(safety_layer_from_name("laxity"), SafetyLayer::laxity);
    EXPECT_EQ(safety_layer_from_name("none"), SafetyLayer::none);
    EXPECT_THROW(safety_layer_from_name("strict"), std::invalid_argument);
    ObsLayout a, b;
    b.safety = SafetyLayer::none;
    EXPECT_EQ(layout_difference(a, b), "safety layer laxity (margin 0 ms), expected none (margin 0 ms)");
    b.safety = SafetyLayer::laxity;
    b.safety_margin = Duration::minutes(30);
    EXPECT_FALSE(layout_difference(a, b).empty());
}

}  // namespace
}  // namespace evtwin
