// The sorting baselines (fcfs, edf, llf, round_robin) and what every baseline does, run in-process
// from the static registry on hand-built sites.
#include "baseline_names.hpp"
#include "plugins/baseline_sites.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>

namespace evtwin {
namespace {

using test::decide;
using test::decision_problems;
using test::make;
using test::NestedSite;
using test::SiteFixture;
using test::TransformerSite;

using test::kBaselines;

TEST(BaselineRegistry, AllFiveAreBuiltIn) {
    for (const char* name : kBaselines) {
        const evtwin_plugin_descriptor* d = find_static_strategy(name);
        ASSERT_NE(d, nullptr) << name;
        EXPECT_STREQ(d->name, name);
        EXPECT_STREQ(d->version, test::baseline_version(name));
        EXPECT_EQ(d->abi_version, kPluginAbiVersion);
        EXPECT_STREQ(d->build_fingerprint, host_build_fingerprint());
    }
}

TEST(BaselineRegistry, UnknownOptionsAreRefusedNamingTheStrategy) {
    for (const char* name : kBaselines) {
        try {
            load_static_strategy(name, {{"horizon", "4h"}});
            FAIL() << name << " accepted an unknown option";
        } catch (const PluginError& e) {
            const std::string what = e.what();
            EXPECT_NE(what.find(std::string("strategy '") + name + "'"), std::string::npos) << what;
            EXPECT_NE(what.find("unknown option 'horizon'"), std::string::npos) << what;
            EXPECT_NE(what.find("takes no options"), std::string::npos) << what;
        }
    }
}

TEST(Fcfs, ServesByArrivalWhenTheTransformerBinds) {
    TransformerSite t;
    t.site.plug(t.c0, 2.0, 10.0, 30.0, 11.0);
    t.site.plug(t.c1, 1.0, 12.0, 30.0, 11.0);
    t.site.plug(t.c2, 3.0, 5.0, 30.0, 11.0);
    auto s = make("fcfs");
    const Observation obs = t.site.observation();
    const Decision d = decide(*s, obs);
    EXPECT_EQ(decision_problems(obs, d), "");
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c1], 11.0);  // arrived first
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c0], 9.0);
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c2], 0.0);
}

TEST(AllBaselines, EveryoneGetsFullPowerWithoutALimit) {
    for (const char* name : kBaselines) {
        SiteFixture site;
        const ConnectorIndex a = site.add_charger(site.grid(), 22.0);
        const ConnectorIndex b = site.add_charger(site.grid(), 7.4);
        site.plug(a, 0, 8, 40, 11.0);  // the vehicle, not the charger, limits a
        site.plug(b, 0, 8, 40, 50.0);
        auto s = make(name);
        const Decision d = decide(*s, site.observation());
        EXPECT_DOUBLE_EQ(d.connector_kw[a], 11.0) << name;
        EXPECT_DOUBLE_EQ(d.connector_kw[b], 7.4) << name;
    }
}

TEST(Edf, EarliestDepartureGetsItsFullRateFirst) {
    TransformerSite t;
    t.site.plug(t.c0, 0.0, 9.0, 30.0, 11.0);
    t.site.plug(t.c1, 0.5, 6.0, 30.0, 11.0);
    t.site.plug(t.c2, 1.0, 7.0, 30.0, 11.0);
    auto s = make("edf");
    const Observation obs = t.site.observation();
    const Decision d = decide(*s, obs);
    EXPECT_EQ(decision_problems(obs, d), "");
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c1], 11.0);
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c2], 9.0);
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c0], 0.0);
}

TEST(Llf, LeastLaxityFirstEvenWhenItLeavesLater) {
    TransformerSite t;
    t.site.set_now_h(1.0);
    // Laxities at 1 h: c0 (leaves 5 h, 5 kWh): 4 - 5/11 = 3.55 h; c1 (leaves 6 h, 50 kWh at 10 kW
    // grid x 0.9): 5 - 50/9 = -0.56 h; c2 (leaves 4 h, 20 kWh): 3 - 20/11 = 1.18 h.
    t.site.plug(t.c0, 0.0, 5.0, 5.0, 11.0);
    t.site.plug(t.c1, 0.0, 6.0, 50.0, 10.0).charge_efficiency = 0.9;
    t.site.plug(t.c2, 0.0, 4.0, 20.0, 11.0);
    const Observation obs = t.site.observation();
    auto llf = make("llf");
    const Decision d = decide(*llf, obs);
    EXPECT_EQ(decision_problems(obs, d), "");
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c1], 10.0);
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c2], 10.0);
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c0], 0.0);
    // EDF orders the same vehicles by departure: c2, c0, c1.
    auto edf = make("edf");
    const Decision e = decide(*edf, obs);
    EXPECT_DOUBLE_EQ(e.connector_kw[t.c2], 11.0);
    EXPECT_DOUBLE_EQ(e.connector_kw[t.c0], 9.0);
    EXPECT_DOUBLE_EQ(e.connector_kw[t.c1], 0.0);
}

TEST(Llf, AVehicleWithoutDeclaredDepartureComesLast) {
    for (const char* name : {"llf", "edf"}) {
        TransformerSite t;
        t.site.set_now_h(2.0);
        t.site.plug(t.c0, 0.0, 9.0, 30.0, 11.0).declared_departure = Time::max();
        t.site.plug(t.c1, 0.5, 20.0, 30.0, 11.0);
        t.site.plug(t.c2, 1.0, 30.0, 30.0, 11.0);
        auto s = make(name);
        const Decision d = decide(*s, t.site.observation());
        EXPECT_DOUBLE_EQ(d.connector_kw[t.c1], 11.0) << name;
        EXPECT_DOUBLE_EQ(d.connector_kw[t.c2], 9.0) << name;
        EXPECT_DOUBLE_EQ(d.connector_kw[t.c0], 0.0) << name;
    }
}

TEST(RoundRobin, EqualSharesUnderTheTransformer) {
    TransformerSite t;
    t.site.plug(t.c0, 0, 9, 30, 11);
    t.site.plug(t.c1, 1, 6, 30, 11);
    t.site.plug(t.c2, 2, 7, 30, 11);
    auto s = make("round_robin");
    const Observation obs = t.site.observation();
    const Decision d = decide(*s, obs);
    EXPECT_EQ(decision_problems(obs, d), "");
    for (ConnectorIndex c : {t.c0, t.c1, t.c2}) EXPECT_NEAR(d.connector_kw[c], 20.0 / 3.0, 1e-9);
}

TEST(RoundRobin, ASatisfiedVehicleLeavesItsShareToTheOthers) {
    TransformerSite t;
    t.site.plug(t.c0, 0, 9, 30, 3.7);  // a single-phase car
    t.site.plug(t.c1, 1, 6, 30, 11);
    t.site.plug(t.c2, 2, 7, 30, 11);
    auto s = make("round_robin");
    const Decision d = decide(*s, t.site.observation());
    EXPECT_NEAR(d.connector_kw[t.c0], 3.7, 1e-9);
    EXPECT_NEAR(d.connector_kw[t.c1], 8.15, 1e-9);
    EXPECT_NEAR(d.connector_kw[t.c2], 8.15, 1e-9);
}

TEST(RoundRobin, NestedFeederLimitsShareAtEachLevel) {
    NestedSite n;
    auto s = make("round_robin");
    const Observation obs = n.site.observation();
    const Decision d = decide(*s, obs);
    EXPECT_EQ(decision_problems(obs, d), "");
    EXPECT_NEAR(d.connector_kw[n.c0], 6.0, 1e-9);
    EXPECT_NEAR(d.connector_kw[n.c1], 6.0, 1e-9);
    EXPECT_NEAR(d.connector_kw[n.c2], 9.0, 1e-9);
    EXPECT_NEAR(d.connector_kw[n.c3], 9.0, 1e-9);
}

TEST(Edf, NestedFeederLimitsBindBelowTheGrid) {
    NestedSite n;
    auto s = make("edf");
    const Observation obs = n.site.observation();
    const Decision d = decide(*s, obs);
    EXPECT_EQ(decision_problems(obs, d), "");
    EXPECT_DOUBLE_EQ(d.connector_kw[n.c0], 11.0);
    EXPECT_DOUBLE_EQ(d.connector_kw[n.c1], 1.0);  // feeder A is full
    EXPECT_DOUBLE_EQ(d.connector_kw[n.c2], 11.0);
    EXPECT_DOUBLE_EQ(d.connector_kw[n.c3], 7.0);  // the grid connection is full
}

// Vehicles on a row of connectors that come, go and finish at random, for a run of decisions.
class Arrivals {
public:
    struct Plugged {
        double arrival_h, departure_h, remaining_kwh, max_kw;
    };

    Arrivals(std::size_t connectors, std::uint64_t seed, double earliest_departure_h)
        : plugged_(connectors), rng_(seed), earliest_departure_h_(earliest_departure_h) {}

    double unit() { return unit_(rng_); }

    // Each connector in turn: its vehicle leaves or finishes, or a vehicle comes (departures in
    // whole hours, so that they tie).
    void step(int step) {
        for (std::optional<Plugged>& p : plugged_) {
            const double r = unit();
            if (p && r < 0.15) {
                p.reset();
            } else if (!p && r < 0.4) {
                p = Plugged{std::floor(step / 4.0), earliest_departure_h_ + std::floor(unit() * 4.0),
                            40.0 * unit(), 3.0 + 8.0 * unit()};
            } else if (p && r < 0.25) {
                p->remaining_kwh = 0.0;  // finished
            }
        }
    }

    // The vehicles can take another power.
    void change_rates() {
        for (std::optional<Plugged>& p : plugged_)
            if (p) p->max_kw = 3.0 + 8.0 * unit();
    }

    std::size_t size() const { return plugged_.size(); }
    void plug(SiteFixture& site, std::size_t c, ConnectorIndex connector) const {
        if (const std::optional<Plugged>& p = plugged_[c])
            site.plug(connector, p->arrival_h, p->departure_h, p->remaining_kwh, p->max_kw);
    }

private:
    std::vector<std::optional<Plugged>> plugged_;
    std::mt19937_64 rng_;
    std::uniform_real_distribution<double> unit_{0.0, 1.0};
    double earliest_departure_h_;
};

// A strategy reuses its buffers from decision to decision, and nothing else of the last one: one
// instance through a run of arrivals, departures and finished vehicles (ties in departure and
// arrival included) decides as a fresh instance does at every step.
void expect_one_instance_decides_as_a_fresh_one(const char* name) {
    SCOPED_TRACE(name);
    Arrivals arrivals(12, 7, 10.0);
    auto kept = make(name);
    for (int step = 0; step < 200; ++step) {
        arrivals.step(step);
        SiteFixture site;
        const NodeIndex transformer = site.add_node(site.grid(), NodeKind::transformer, 40.0);
        for (std::size_t c = 0; c < arrivals.size(); ++c)
            arrivals.plug(site, c, site.add_charger(transformer, 11.0));
        const Observation obs = site.observation();
        auto fresh = make(name);
        ASSERT_EQ(decide(*kept, obs).connector_kw, decide(*fresh, obs).connector_kw) << "step " << step;
    }
}

TEST(SortingBaselines, OneInstanceThroughChangingSessionsDecidesAsAFreshOne) {
    expect_one_instance_decides_as_a_fresh_one("edf");
    expect_one_instance_decides_as_a_fresh_one("fcfs");
}

// One instance through a run in which, one at a time, the vehicles, what they can take, a node's
// limit, a fixed flow or a phase constraint's limit change, and often nothing does, decides as a
// fresh instance does at every step, in ACN-compatible mode and out of it. As in a run, the site's
// views stay where they are and change in place.
void expect_one_instance_through_changing_limits_decides_as_a_fresh_one(const char* name, RunMode mode) {
    SCOPED_TRACE(name);
    Arrivals arrivals(9, 11, 80.0);
    SiteFixture site;
    const NodeIndex transformer = site.add_node(site.grid(), NodeKind::transformer, 30.0);
    std::vector<ConnectorTerm> terms;
    for (std::size_t c = 0; c < arrivals.size(); ++c) {
        const ConnectorIndex conn = c % 3 == 0 ? site.add_charger(transformer, 11.0, 0.0, {3.7, 7.4, 11.0})
                                               : site.add_charger(transformer, 11.0);
        if (c % 3 != 2)
            terms.push_back(test::phase_term(conn, 1.0, 230.0, 120.0 * static_cast<double>(c % 3)));
    }
    site.add_phase_constraint(terms, 45.0);
    double& transformer_kw = site.nodes()[transformer].import_limit_kw;
    double& limit_a = site.phase_constraints()[0].limit_a;
    auto kept = make(name);
    for (int step = 0; step < 300; ++step) {
        const double change = arrivals.unit();  // one thing at a time, or nothing
        if (change < 0.2) {
            arrivals.step(step);
        } else if (change < 0.35) {
            arrivals.change_rates();
        } else if (change < 0.45) {
            transformer_kw = transformer_kw == 30.0 ? 40.0 : 30.0;
        } else if (change < 0.55) {
            const double fixed_kw = site.nodes()[transformer].fixed_flow_kw == 0.0 ? 5.0 : 0.0;
            site.nodes()[transformer].fixed_flow_kw = site.nodes()[site.grid()].fixed_flow_kw = fixed_kw;
        } else if (change < 0.65) {
            limit_a = limit_a == 45.0 ? 1000.0 : 45.0;
        }
        site.unplug_all();
        for (std::size_t c = 0; c < arrivals.size(); ++c)
            arrivals.plug(site, c, static_cast<ConnectorIndex>(c));
        Observation obs = site.observation();
        obs.mode = mode;
        auto fresh = make(name);
        ASSERT_EQ(decide(*kept, obs).connector_kw, decide(*fresh, obs).connector_kw) << "step " << step;
    }
}

TEST(SortingBaselines, OneInstanceThroughChangingLimitsDecidesAsAFreshOne) {
    for (const char* name : {"edf", "fcfs", "llf", "alap"})
        for (RunMode mode : {RunMode::event, RunMode::acnsim})
            expect_one_instance_through_changing_limits_decides_as_a_fresh_one(name, mode);
}

TEST(AllBaselines, PvGivesExtraRoomAndBaseLoadTakesIt) {
    for (const char* name : kBaselines) {
        SiteFixture site{20.0};
        const NodeIndex feeder = site.add_node(site.grid(), NodeKind::feeder, 25.0);
        const ConnectorIndex a = site.add_charger(feeder, 11.0);
        const ConnectorIndex b = site.add_charger(feeder, 11.0);
        const ConnectorIndex c = site.add_charger(feeder, 11.0);
        site.add_fixed_flow(feeder, -10.0);     // PV on the feeder
        site.add_fixed_flow(site.grid(), 4.0);  // base load elsewhere on the site
        for (ConnectorIndex x : {a, b, c}) site.plug(x, 0, 8, 40, 11);
        auto s = make(name);
        const Observation obs = site.observation();
        const Decision d = decide(*s, obs);
        EXPECT_EQ(decision_problems(obs, d), "") << name;
        // Grid: 20 - (4 - 10) = 26 kW free; the feeder: 25 + 10 = 35 kW. The grid binds.
        EXPECT_NEAR(d.connector_kw[a] + d.connector_kw[b] + d.connector_kw[c], 26.0, 1e-9) << name;
        EXPECT_NEAR(test::node_flows(obs, d)[site.grid()], 20.0, 1e-9) << name;
    }
}

TEST(AllBaselines, NothingWhenTheBaseLoadAlreadyBreaksTheLimit) {
    for (const char* name : kBaselines) {
        TransformerSite t;
        t.site.add_fixed_flow(t.transformer, 23.0);
        t.site.plug(t.c0, 0, 8, 40, 11);
        t.site.plug(t.c1, 0, 8, 40, 11);
        auto s = make(name);
        const Observation obs = t.site.observation();
        const Decision d = decide(*s, obs);
        EXPECT_EQ(decision_problems(obs, d), "") << name;
        for (double kw : d.connector_kw) EXPECT_EQ(kw, 0.0) << name;
    }
}

TEST(AllBaselines, NothingForVehiclesThatAreDoneFaultedOrAbsent) {
    for (const char* name : kBaselines) {
        SiteFixture site;
        const ConnectorIndex done = site.add_charger(site.grid(), 11.0);
        const ConnectorIndex faulted = site.add_charger(site.grid(), 11.0);
        const ConnectorIndex empty = site.add_charger(site.grid(), 11.0);
        const ConnectorIndex full_battery = site.add_charger(site.grid(), 11.0);
        const ConnectorIndex charging = site.add_charger(site.grid(), 11.0);
        site.plug(done, 0, 8, 0.0, 11);
        site.plug(faulted, 0, 8, 20.0, 11);
        site.connectors()[faulted].state = PilotState::F;
        site.plug(full_battery, 0, 8, 20.0, 0.0);  // the vehicle takes no more power
        site.plug(charging, 0, 8, 20.0, 11);
        auto s = make(name);
        const Observation obs = site.observation();
        const Decision d = decide(*s, obs);
        EXPECT_EQ(decision_problems(obs, d), "") << name;
        EXPECT_EQ(d.connector_kw[done], 0.0) << name;
        EXPECT_EQ(d.connector_kw[faulted], 0.0) << name;
        EXPECT_EQ(d.connector_kw[empty], 0.0) << name;
        EXPECT_EQ(d.connector_kw[full_battery], 0.0) << name;
        EXPECT_DOUBLE_EQ(d.connector_kw[charging], 11.0) << name;
        EXPECT_TRUE(std::all_of(d.ess_kw.begin(), d.ess_kw.end(), [](double kw) { return kw == 0.0; }))
            << name;
    }
}

TEST(AllBaselines, NoV2gEvenWhenAllowed) {
    for (const char* name : kBaselines) {
        SiteFixture site{5.0};
        const ConnectorIndex c = site.add_charger(site.grid(), 11.0);
        site.connectors()[c].v2g_capable = true;
        SessionView& s = site.plug(c, 0, 8, 0.0, 11);
        s.v2g_allowed = true;
        s.max_discharge_kw = 11.0;
        site.add_fixed_flow(site.grid(), 9.0);  // over the import limit: discharging would help
        auto strategy = make(name);
        const Decision d = decide(*strategy, site.observation());
        EXPECT_EQ(d.connector_kw[c], 0.0) << name;
    }
}

// Chargers that hold only 0, 6, 8 or 16 kW, under a 20 kW transformer.

TEST(AllBaselines, RandomSitesKeepEveryLimitAndWasteNoRoom) {
    std::mt19937_64 rng(20240611);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int trial = 0; trial < 300; ++trial) {
        const bool continuous = trial % 2 == 0;
        SiteFixture site{unit(rng) < 0.2 ? kUnlimited : 10.0 + 100.0 * unit(rng)};
        std::vector<NodeIndex> parents{site.grid()};
        const int feeders = 1 + static_cast<int>(unit(rng) * 4);
        for (int f = 0; f < feeders; ++f) {
            const NodeIndex parent = parents[static_cast<std::size_t>(unit(rng) * parents.size())];
            parents.push_back(site.add_node(parent, NodeKind::feeder,
                                            unit(rng) < 0.2 ? kUnlimited : 5.0 + 50.0 * unit(rng)));
            if (unit(rng) < 0.3) site.add_fixed_flow(parents.back(), -20.0 * unit(rng));  // PV
            if (unit(rng) < 0.3) site.add_fixed_flow(parents.back(), 15.0 * unit(rng));   // base load
        }
        const int chargers = 1 + static_cast<int>(unit(rng) * 12);
        for (int c = 0; c < chargers; ++c) {
            const NodeIndex parent = parents[static_cast<std::size_t>(unit(rng) * parents.size())];
            const double max_kw = unit(rng) < 0.5 ? 11.0 : 22.0;
            ConnectorIndex conn;
            if (continuous) {
                conn = site.add_charger(parent, max_kw);
            } else if (unit(rng) < 0.5) {
                conn = site.add_charger(parent, max_kw, 1.4 + 4.0 * unit(rng));
            } else {
                conn = site.add_charger(parent, max_kw, 0.0, {0.0, 4.1, 7.4, 11.0, max_kw});
            }
            if (unit(rng) < 0.8) {
                const double remaining = unit(rng) < 0.15 ? 0.0 : 60.0 * unit(rng);
                site.plug(conn, -3.0 * unit(rng), 1.0 + 10.0 * unit(rng), remaining, 30.0 * unit(rng));
            }
        }
        site.set_now_h(0.0);
        const Observation obs = site.observation();
        for (const char* name : kBaselines) {
            auto s = make(name);
            const Decision d = decide(*s, obs);
            ASSERT_EQ(decision_problems(obs, d), "") << name << " trial " << trial;
            if (!continuous) continue;
            const std::vector<double> flow = test::node_flows(obs, d);
            for (const SessionView& sv : obs.sessions) {
                if (sv.remaining_kwh <= 0.0) continue;
                const ConnectorView& cv = obs.connectors[sv.connector];
                const double want = std::min(sv.max_charge_kw, cv.max_kw);
                if (d.connector_kw[sv.connector] >= want - 1e-6) continue;
                bool full = false;
                for (NodeIndex n = cv.node; n != kNone; n = obs.nodes[n].parent)
                    full = full || flow[n] >= obs.nodes[n].import_limit_kw - 1e-6;
                EXPECT_TRUE(full) << name << " trial " << trial << ": connector " << sv.connector << " gets "
                                  << d.connector_kw[sv.connector] << " of " << want << " kW with room left";
            }
        }
    }
}

}  // namespace
}  // namespace evtwin
