// A DSO's flexibility request on a distribution feeder (distribution_feeder { flexibility = ... }):
// the site's node at the bus is capped over the request's time, the strategy sees the cap, and the
// limits come back after it.
#include <evtwin/run.hpp>
#include <evtwin/scenario.hpp>

#include "record/schema/sqlite_db.hpp"
#include "scenario/scenario_impl.hpp"

#include "support/feeder_site.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace evtwin {
namespace {

// The one-cable feeder of support/feeder_site.hpp with the request `flexibility`.
std::filesystem::path capped_site(const std::string& name, const std::string& flexibility) {
    return test::one_line_feeder(test::temp_dir("flexibility-" + name) / "site.lua", 0.01,
                                 "  flexibility = " + flexibility + ",\n");
}

// Keeps the import limit of node T that each decision saw.
class LimitWatcher final : public Strategy {
public:
    void decide(const Observation& o, Decision& d) override {
        for (const SessionView& s : o.sessions)
            d.connector_kw[s.connector] = std::min(30.0, o.nodes[1].import_limit_kw);
        seen[o.now.ms()] = o.nodes[1].import_limit_kw;
    }
    std::map<std::int64_t, double> seen;
};

TEST(FeederFlexibility, TheSitesNodeAtTheBusIsCappedOverTheRequestAndFreedAfter) {
    const auto scenario = capped_site(
        "by-hand",
        "{ { bus = \"b\", from = \"2016-03-07T10:30\", to = \"2016-03-07T11:30\", import_kw = 12 } }");
    LimitWatcher watcher;
    const RunOutcome r = test::run_with(scenario, watcher, "limit_watcher");
    std::map<std::string, double> k;
    for (const Kpi& kpi : r.kpis) k[kpi.name] = kpi.value;
    // 30 kW for half an hour, 12 kW for an hour, 30 kW for half an hour.
    EXPECT_NEAR(k.at("energy_delivered"), 15.0 + 12.0 + 15.0, 1e-9);
    EXPECT_EQ(k.at("limit_violations"), 0.0);

    const Time start = Scenario::load(scenario).impl().loaded.start;
    const auto at_min = [&](int minutes) { return (start + Duration::minutes(minutes)).ms(); };
    EXPECT_TRUE(std::isinf(watcher.seen.at(at_min(10 * 60))));
    EXPECT_EQ(watcher.seen.at(at_min(10 * 60 + 30)), 12.0);
    EXPECT_EQ(watcher.seen.at(at_min(11 * 60 + 15)), 12.0);
    EXPECT_TRUE(std::isinf(watcher.seen.at(at_min(11 * 60 + 30))));

    sqlite::Db db(r.db, sqlite::Db::Mode::read_only);
    sqlite::Stmt st(db, "SELECT t_ms, detail FROM events WHERE kind = 'limit_change' ORDER BY t_ms");
    std::vector<std::pair<std::int64_t, std::string>> changes;
    while (st.step()) changes.push_back({st.int64(0), st.text(1)});
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[0].first, at_min(10 * 60 + 30));
    EXPECT_EQ(changes[0].second,
              "T import 12 kW export unlimited (flexibility request until 2016-03-07T11:30:00.000Z)");
    EXPECT_EQ(changes[1].first, at_min(11 * 60 + 30));
    EXPECT_EQ(changes[1].second, "T import unlimited export unlimited (flexibility request ended)");
}

TEST(FeederFlexibility, ABadRequestNamesItsEntryAndWhatIsWrong) {
    const auto error = [](const std::string& name, const std::string& flexibility) {
        return test::error_of<ScenarioError>([&] { Scenario::load(capped_site(name, flexibility)); });
    };
    EXPECT_NE(error("no-bus", "{ { bus = \"x\", from = \"2016-03-07T10:30\", to = \"2016-03-07T11:30\" } }")
                  .find("distribution_feeder: flexibility[1]: the feeder has no bus 'x'"),
              std::string::npos);
    EXPECT_NE(error("no-site", "{ { bus = \"s\", from = \"2016-03-07T10:30\", to = \"2016-03-07T11:30\" } }")
                  .find("flexibility[1]: no node of 'sites' is attached at bus 's'"),
              std::string::npos);
    EXPECT_NE(
        error("backwards", "{ { bus = \"b\", from = \"2016-03-07T11:30\", to = \"2016-03-07T10:30\" } }")
            .find("flexibility[1]: 'to' must come after 'from'"),
        std::string::npos);
    EXPECT_NE(
        error("negative",
              "{ { bus = \"b\", from = \"2016-03-07T10:30\", to = \"2016-03-07T11:30\", import_kw = -1 } }")
            .find("flexibility[1]: 'import_kw' must be >= 0"),
        std::string::npos);
    EXPECT_NE(error("bad-time", "{ { bus = \"b\", from = \"noon\", to = \"2016-03-07T11:30\" } }")
                  .find("flexibility[1]: 'from': "),
              std::string::npos);
}

}  // namespace
}  // namespace evtwin
