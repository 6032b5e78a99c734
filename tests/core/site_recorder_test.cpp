#include "core/site_recorder.hpp"

#include "support/memory_sink.hpp"

#include <gtest/gtest.h>

namespace evtwin {
namespace {

// The grid connection, a feeder under it, and one charger under the feeder (its charger and
// connector nodes follow): nodes 0 grid, 1 feeder, 2 charger, 3 connector.
Site small_site() {
    ScenarioSpec s;
    s.nodes = {{"grid", NodeKind::grid, kNone}, {"feeder", NodeKind::feeder, 0}};
    ChargerSpec c;
    c.name = "C";
    c.parent = 1;
    s.chargers = {c};
    return Site(s);
}

std::size_t rows(const test::MemorySink& sink) {
    std::size_t n = 0;
    for (const auto& [node, samples] : sink.nodes) n += samples.size();
    return n;
}

SiteSample sample(double grid_kw, double ess_soc = 0.0) {
    SiteSample s;
    s.grid_kw = s.ev_kw = grid_kw;
    s.ess_soc = ess_soc;
    return s;
}

TEST(SiteRecorder, RecordsEveryValueOnceWhenItChangesAndNotTheChargerNodes) {
    const Site site = small_site();
    ASSERT_EQ(site.nodes().size(), 4u);
    test::MemorySink sink;
    SiteRecorder recorder(site, sink);
    const Time t0 = Time(0);
    recorder.record(t0, std::vector<double>{5.0, 5.0, 5.0, 5.0}, sample(5.0));
    // The grid and the feeder: a charger's and a connector's rows are its connectors' samples.
    EXPECT_EQ(rows(sink), 2u);
    EXPECT_EQ(sink.nodes.count(2), 0u);
    EXPECT_EQ(sink.nodes.count(3), 0u);
    EXPECT_EQ(sink.site.size(), 1u);
    // Nothing changed: no row.
    recorder.record(t0 + Duration::minutes(1), std::vector<double>{5.0, 5.0, 5.0, 5.0}, sample(5.0));
    EXPECT_EQ(rows(sink), 2u);
    EXPECT_EQ(sink.site.size(), 1u);
    // The feeder alone moves (a load below it that the grid's PV offsets): its row only.
    recorder.record(t0 + Duration::minutes(2), std::vector<double>{5.0, 7.0, 5.0, 5.0}, sample(5.0));
    ASSERT_EQ(rows(sink), 3u);
    ASSERT_EQ(sink.nodes[1].size(), 2u);
    EXPECT_EQ(sink.nodes[1].back(), std::make_pair(t0 + Duration::minutes(2), 7.0));
    EXPECT_EQ(sink.site.size(), 1u);
    // The ESS's SoC alone is no change: it follows the ESS's power, which did not change.
    recorder.record(t0 + Duration::minutes(3), std::vector<double>{5.0, 7.0, 5.0, 5.0}, sample(5.0, 0.6));
    EXPECT_EQ(sink.site.size(), 1u);
    recorder.record(t0 + Duration::minutes(4), std::vector<double>{6.0, 7.0, 5.0, 5.0}, sample(6.0, 0.6));
    EXPECT_EQ(sink.site.size(), 2u);
    EXPECT_EQ(recorder.last().grid_kw, 6.0);
}

}  // namespace
}  // namespace evtwin
