// The state of decisions of subtrees on a small tree: the grants below each node, which nodes are
// slack, the tops of the subtrees to decide, and how a part's grants move its top up.
#include "core/subtree_decisions.hpp"

#include "support/test_site.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace evtwin {
namespace {

using test::kDay0;

constexpr NodeIndex kT1 = 1, kF1 = 2, kF2 = 3;

// grid (import grid_kw) -> T1 (100 kW) -> F1 (30 kW) -> CP1, CP2 (11 kW each)
//                                      -> F2 (200 kW) -> CP3 (22 kW)
// Connectors 0, 1, 2 are CP1's, CP2's and CP3's.
struct SmallTree {
    explicit SmallTree(double grid_kw = 1000.0)
        : spec(make_spec(grid_kw)),
          site(spec),
          views(spec, site),
          connectors(site.connectors().size(), kDay0),
          demand(*spec.tariff) {
        for (std::size_t c = 0; c < site.connectors().size(); ++c) {
            ConnectorLimits l;
            l.charger = &spec.chargers[site.connectors()[c].charger_spec];
            limits.push_back(l);
        }
    }

    static ScenarioSpec make_spec(double grid_kw) {
        ScenarioSpec s = test::small_site(0, 11.0, 100.0, grid_kw);
        s.nodes.push_back(NodeSpec{"F1", NodeKind::feeder, 1, 30.0, 30.0});
        s.nodes.push_back(NodeSpec{"F2", NodeKind::feeder, 1, 200.0, 200.0});
        struct Charger {
            const char* name;
            NodeIndex feeder;
            double kw;
        };
        for (const Charger& ch :
             {Charger{"CP1", kF1, 11.0}, Charger{"CP2", kF1, 11.0}, Charger{"CP3", kF2, 22.0}}) {
            ChargerSpec c;
            c.name = ch.name;
            c.parent = ch.feeder;
            c.max_kw = ch.kw;
            s.chargers.push_back(c);
        }
        return s;
    }

    // Plugs a vehicle into c, as the simulator tells the limits and the table.
    void plug(ConnectorIndex c) {
        connectors.plug(c, kDay0, Vehicle(test::session(c, 0.0, 8.0, 40.0), 1.0, false));
        limits[c].occupied = true;
    }

    SubtreeDecisions decisions() {
        return SubtreeDecisions(spec, site, views, connectors, limits, forecast, demand, strategy,
                                [this](ConnectorIndex c) -> const SessionView& {
                                    session.connector = c;
                                    return session;
                                });
    }

    NodeIndex charger_node(ConnectorIndex c) const { return site.connectors()[c].charger; }

    ScenarioSpec spec;
    Site site;
    ObservationBuilder views;
    ConnectorTable connectors;
    std::vector<ConnectorLimits> limits;
    Forecast forecast;
    DemandMeter demand;
    // What the strategy answers: by default, every vehicle its charger's rating.
    test::FunctionStrategy::Fn answer = [](const Observation& obs, Decision& out) {
        for (const SessionView& s : obs.sessions)
            out.connector_kw[s.connector] = obs.connectors[s.connector].max_kw;
    };
    test::FunctionStrategy strategy{[this](const Observation& obs, Decision& out) { answer(obs, out); }};
    SessionView session;
};

Decision grants(std::vector<double> kw) {
    Decision d;
    d.connector_kw = std::move(kw);
    return d;
}

TEST(SubtreeDecisions, GrantsBelowANodeSumTheIncreasesAndDecreasesBelowIt) {
    SmallTree tree;
    SubtreeDecisions s = tree.decisions();
    s.reset(grants({11.0, -5.0, 22.0}));
    EXPECT_EQ(s.granted_up_below(kF1), 11.0);
    EXPECT_EQ(s.granted_down_below(kF1), 5.0);
    EXPECT_EQ(s.granted_up_below(kF2), 22.0);
    EXPECT_EQ(s.granted_up_below(kT1), 33.0);
    EXPECT_EQ(s.granted_down_below(0), 5.0);
    // A grant changed is the sums of the decision with it.
    s.regrant(1, -5.0, 7.0);
    SubtreeDecisions fresh = tree.decisions();
    fresh.reset(grants({11.0, 7.0, 22.0}));
    for (NodeIndex n = 0; n < tree.site.nodes().size(); ++n) {
        EXPECT_EQ(s.granted_up_below(n), fresh.granted_up_below(n)) << "node " << n;
        EXPECT_EQ(s.granted_down_below(n), fresh.granted_down_below(n)) << "node " << n;
    }
}

TEST(SubtreeDecisions, ANodeIsSlackWhileItsRoomLeftTakesTheLargestChargerBelowIt) {
    SmallTree tree;
    SubtreeDecisions s = tree.decisions();
    s.reset(grants({0.0, 0.0, 0.0}));
    EXPECT_TRUE(s.slack(kF1));  // 30 kW of room for an 11 kW charger
    s.reset(grants({11.0, 0.0, 0.0}));
    EXPECT_TRUE(s.slack(kF1));  // 19 kW left
    s.reset(grants({11.0, 11.0, 0.0}));
    EXPECT_FALSE(s.slack(kF1));           // 8 kW left: a charger below could be limited
    EXPECT_TRUE(s.slack(kT1));            // 78 kW left for a 22 kW charger
    EXPECT_FALSE(s.slack(kT1, 60.0));     // 18 kW left with 60 kW more
    EXPECT_TRUE(s.slack(kT1, 0.0, 1e6));  // no V2G charger below: discharging cannot be limited
}

TEST(SubtreeDecisions, TheTopOfAConnectorIsTheHighestNodeAboveItThatIsNotSlack) {
    SmallTree tree;
    SubtreeDecisions s = tree.decisions();
    s.reset(grants({11.0, 11.0, 0.0}));
    EXPECT_EQ(s.top_for(0), kF1);
    EXPECT_EQ(s.top_for(1), kF1);
    EXPECT_EQ(s.top_for(2), tree.charger_node(2));  // every node above CP3 is slack: its charger
}

TEST(SubtreeDecisions, OutermostTopsDropDuplicatesAndTopsInsideAnother) {
    SmallTree tree;
    std::vector<NodeIndex> tops{tree.charger_node(1), kF1, tree.charger_node(2), kF1, tree.charger_node(0)};
    keep_outermost_tops(tree.site, tops);
    EXPECT_EQ(tops, (std::vector<NodeIndex>{kF1, tree.charger_node(2)}));
    tops = {tree.charger_node(2), kT1, kF2};
    keep_outermost_tops(tree.site, tops);
    EXPECT_EQ(tops, (std::vector<NodeIndex>{kT1}));
}

TEST(SubtreeDecisions, AConnectorToRedecideIsListedOnceUntilDecided) {
    SmallTree tree;
    SubtreeDecisions s = tree.decisions();
    s.redecide(2);
    s.redecide(0);
    s.redecide(2);
    EXPECT_EQ(std::vector<ConnectorIndex>(s.to_redecide().begin(), s.to_redecide().end()),
              (std::vector<ConnectorIndex>{2, 0}));
    s.decided();
    EXPECT_TRUE(s.to_redecide().empty());
    s.redecide(2);
    EXPECT_EQ(s.to_redecide().size(), 1u);
    s.reset(grants({0.0, 0.0, 0.0}));  // a decision of the whole site decides every connector
    EXPECT_TRUE(s.to_redecide().empty());
}

TEST(SubtreeDecisions, AVehicleUnderSlackNodesIsDecidedInItsChargerAlone) {
    SmallTree tree;
    tree.plug(2);
    SubtreeDecisions s = tree.decisions();
    s.reset(grants({0.0, 0.0, 0.0}));
    s.redecide(2);
    ASSERT_TRUE(s.decide(kDay0, grants({0.0, 0.0, 0.0})));
    ASSERT_EQ(s.parts().size(), 1u);
    const SubtreeDecisions::Part& part = s.parts()[0];
    EXPECT_EQ(part.top, tree.charger_node(2));
    EXPECT_EQ(std::vector<ConnectorIndex>(s.connectors_of(part).begin(), s.connectors_of(part).end()),
              (std::vector<ConnectorIndex>{2}));
    EXPECT_EQ(part.decision.connector_kw, (std::vector<double>{22.0}));
    EXPECT_TRUE(part.violations.empty());
}

TEST(SubtreeDecisions, APartWhoseGrantsWouldMakeANodeAboveLimitingIsDecidedFromThatNode) {
    SmallTree tree;
    tree.plug(0);
    tree.plug(1);
    SubtreeDecisions s = tree.decisions();
    const Decision in_force = grants({11.0, 0.0, 0.0});
    s.reset(in_force);
    s.redecide(1);
    EXPECT_EQ(s.top_for(1), tree.charger_node(1));  // F1 has 19 kW left: slack
    // CP2's 11 kW would leave F1 8 kW: its part is decided again from F1, with CP1.
    ASSERT_TRUE(s.decide(kDay0, in_force));
    ASSERT_EQ(s.parts().size(), 1u);
    EXPECT_EQ(s.parts()[0].top, kF1);
    EXPECT_EQ(s.connectors_of(s.parts()[0]).size(), 2u);
    // The grants are the decision in force's until the simulator applies the parts.
    EXPECT_EQ(s.granted_up_below(kF1), 11.0);
}

TEST(SubtreeDecisions, PartsThatReachTheGridAskForADecisionOfTheWholeSite) {
    SmallTree tree(20.0);  // the grid's own limit binds a 22 kW charger
    tree.plug(2);
    SubtreeDecisions s = tree.decisions();
    s.reset(grants({0.0, 0.0, 0.0}));
    s.redecide(2);
    EXPECT_EQ(s.top_for(2), 0u);
    EXPECT_FALSE(s.decide(kDay0, grants({0.0, 0.0, 0.0})));
}

TEST(SubtreeDecisions, AnAnswerThatIsNotOneOfASubtreeAsksForADecisionOfTheWholeSite) {
    SmallTree tree;
    tree.answer = [](const Observation&, Decision& out) { out.ess_kw = {5.0}; };
    tree.plug(2);
    SubtreeDecisions s = tree.decisions();
    s.reset(grants({0.0, 0.0, 0.0}));
    s.redecide(2);
    EXPECT_FALSE(s.decide(kDay0, grants({0.0, 0.0, 0.0})));
}

}  // namespace
}  // namespace evtwin
