#pragma once
// The hand-built sites the baseline strategies' tests share, and the strategies from the static
// registry.
#include "host/plugin_loader.hpp"
#include "plugins/site_fixture.hpp"

namespace evtwin::test {

inline StrategyHandle make(const std::string& name) {
    return load_static_strategy(name);
}

// A 20 kW transformer over three 11 kW chargers.
struct TransformerSite {
    SiteFixture site{kUnlimited};
    NodeIndex transformer = site.add_node(site.grid(), NodeKind::transformer, 20.0);
    ConnectorIndex c0 = site.add_charger(transformer, 11.0);
    ConnectorIndex c1 = site.add_charger(transformer, 11.0);
    ConnectorIndex c2 = site.add_charger(transformer, 11.0);
};

// Grid 30 kW; feeder A (12 kW) over c0, c1; feeder B (no limit) over c2, c3.
struct NestedSite {
    SiteFixture site{30.0};
    NodeIndex feeder_a = site.add_node(site.grid(), NodeKind::feeder, 12.0);
    NodeIndex feeder_b = site.add_node(site.grid(), NodeKind::feeder, kUnlimited);
    ConnectorIndex c0 = site.add_charger(feeder_a, 11.0);
    ConnectorIndex c1 = site.add_charger(feeder_a, 11.0);
    ConnectorIndex c2 = site.add_charger(feeder_b, 11.0);
    ConnectorIndex c3 = site.add_charger(feeder_b, 11.0);
    NestedSite() {
        site.plug(c0, 0, 2, 40, 11);
        site.plug(c1, 0, 3, 40, 11);
        site.plug(c2, 0, 4, 40, 11);
        site.plug(c3, 0, 5, 40, 11);
    }
};

}  // namespace evtwin::test
