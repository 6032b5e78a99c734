// An arrival process of one part of the site (arrivals.elaadnl { node = ... }): its vehicles plug in
// at the chargers below that node alone, and are turned away when those are taken.
#include <evtwin/run.hpp>
#include <evtwin/scenario.hpp>

#include "record/reader/run_reader.hpp"
#include "scenario/scenario_impl.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace evtwin {
namespace {

// Two car parks of two chargers each; the workplace's arrivals come to "office" alone, many more
// than its two chargers take, while the two of "homes" stay free.
std::filesystem::path two_car_parks(const std::string& office_arrivals) {
    return test::write_file(
        test::temp_dir("site-arrivals") / "two_parks.lua",
        "scenario { name = \"two_parks\", timezone = \"Europe/Amsterdam\", start = \"2016-06-06\", duration "
        "= "
        "days(1), seed = 3 }\n"
        "grid {}\n"
        "local office = transformer { name = \"office\" }\n"
        "local homes = transformer { name = \"homes\" }\n"
        "for i = 1, 2 do\n"
        "  charger { name = \"O\" .. i, parent = office, max_kw = 11 }\n"
        "  charger { name = \"H\" .. i, parent = homes, max_kw = 11 }\n"
        "end\n"
        "tariff { prices_csv = data(\"prices/nl_day_ahead_2016.csv\"), price_scale = 0.001 }\n"
        "arrivals.elaadnl { site_type = \"workplace\", per_weekday = 40, per_weekend_day = 0" +
            office_arrivals + " }\n");
}

TEST(SiteArrivals, AnArrivalProcessOfANodeUsesItsChargersAlone) {
    const auto scenario = two_car_parks(", node = office");
    RunOptions options;
    options.strategy = "uncontrolled";
    options.db = scenario.parent_path() / "parks.db";
    const RunOutcome r = run_scenario(Scenario::load(scenario), options);
    RunReader reader(r.db);
    const SiteTree tree = reader.site(r.run_id);
    std::map<std::string, int> plugged;
    int rejected = 0;
    for (const SessionRecord& s : reader.sessions(r.run_id)) {
        if (s.connector == kNone) {
            ++rejected;
            continue;
        }
        ++plugged[tree.connectors[s.connector].charger_name];
    }
    EXPECT_GT(plugged["O1"] + plugged["O2"], 0);
    EXPECT_EQ(plugged["H1"] + plugged["H2"], 0) << "a workplace vehicle at a home charger";
    EXPECT_GT(rejected, 0) << "40 arrivals a day for two chargers: some find both taken";

    // Without the node, they take the homes' chargers too.
    const auto anywhere = two_car_parks("");
    options.db = anywhere.parent_path() / "anywhere.db";
    const RunOutcome r2 = run_scenario(Scenario::load(anywhere), options);
    RunReader reader2(r2.db);
    int at_homes = 0;
    for (const SessionRecord& s : reader2.sessions(r2.run_id))
        if (s.connector != kNone) at_homes += tree.connectors[s.connector].charger_name[0] == 'H';
    EXPECT_GT(at_homes, 0);
}

TEST(SiteArrivals, TenCarParksOnTheIeee34FeederEachTakeTheirOwnArrivals) {
    // The year benchmark's scenario (bench/feeder_year.sh), for a day: workplaces W1-W5 and homes
    // H1-H5, 40 chargers each, each car park its own ElaadNL process.
    ScenarioOptions load;
    load.params = {{"days", "1"}};
    RunOptions options;
    options.strategy = "edf";
    options.db = test::temp_dir("site-arrivals-ieee34") / "day.db";
    const RunOutcome r =
        run_scenario(Scenario::load(test::source_file("bench/scenarios/ieee34_sites.lua"), load), options);
    EXPECT_EQ(r.violations, 0u);
    RunReader reader(r.db);
    const SiteTree tree = reader.site(r.run_id);
    EXPECT_EQ(tree.connectors.size(), 400u);
    std::map<std::string, int> per_park;
    for (const SessionRecord& s : reader.sessions(r.run_id))
        if (s.connector != kNone) ++per_park[tree.connectors[s.connector].charger_name.substr(0, 2)];
    for (const char* park : {"W1", "W2", "W3", "W4", "W5", "H1", "H2", "H3", "H4", "H5"})
        EXPECT_GT(per_park[park], 5) << park;
    const auto feeder = reader.feeder(r.run_id);
    ASSERT_TRUE(feeder);
    EXPECT_EQ(feeder->site_buses.size(), 10u);
}

TEST(SiteArrivals, ANodeThatIsNotOneIsRefusedAtItsLine) {
    const auto scenario = two_car_parks(", node = \"O1\"");
    try {
        Scenario::load(scenario);
        FAIL() << "loaded";
    } catch (const std::exception& e) {
        EXPECT_NE(
            std::string(e.what()).find("two_parks.lua:10: arrivals.elaadnl: node 'O1' is a charger; a node "
                                       "must be the grid, a transformer or a feeder"),
            std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace evtwin
