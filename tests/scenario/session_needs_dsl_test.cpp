// session { min_charge_kw, goal_kwh, goal_by, value_per_kwh }: a driver's needs, read into the
// session's ChargingNeeds; every bad one is an error naming the field.
#include "scenario_test_util.hpp"

#include "model/local_time.hpp"

#include <gmock/gmock.h>

namespace evtwin::test {
namespace {

using ::testing::HasSubstr;

std::string with_session(const std::string& fields) {
    return std::string(kHeader) + "charger { name = 'CP1', max_kw = 11 }\n" +
           "session { arrival = '2016-03-07T08:00', departure = '2016-03-07T17:00', requested_kwh = 20, " +
           fields + " }\n";
}

TEST(SessionNeedsDsl, TheNeedsAreTheSessionsOwn) {
    const ScenarioSpec spec = load_scenario(write_scenario(
        "needs-given", with_session("min_charge_kw = 2, goal_kwh = 12, goal_by = '2016-03-07T12:00', "
                                    "value_per_kwh = 0.25")));
    ASSERT_EQ(spec.sessions.size(), 1u);
    const ChargingNeeds& needs = spec.sessions[0].needs;
    EXPECT_EQ(needs.min_charge_kw, 2.0);
    EXPECT_EQ(needs.goal_kwh, 12.0);
    EXPECT_EQ(needs.value_per_kwh, 0.25);
    EXPECT_EQ(needs.goal_by, spec.sessions[0].arrival + Duration::hours(4));
    EXPECT_TRUE(needs.has_goal(spec.sessions[0].arrival));

    const ScenarioSpec none = load_scenario(write_scenario("needs-none", with_session("")));
    EXPECT_EQ(none.sessions[0].needs.min_charge_kw, 0.0);
    EXPECT_FALSE(none.sessions[0].needs.has_goal(none.sessions[0].arrival));
}

TEST(SessionNeedsDsl, BadNeedsAreErrorsNamingTheField) {
    const auto error = [](const std::string& name, const std::string& fields) {
        return load_error(write_scenario(name, with_session(fields)));
    };
    EXPECT_THAT(error("needs-neg", "min_charge_kw = -1"), HasSubstr("min_charge_kw"));
    EXPECT_THAT(error("needs-alone", "goal_kwh = 5"), HasSubstr("'goal_kwh' and 'goal_by' together"));
    EXPECT_THAT(error("needs-time", "goal_by = '2016-03-07T12:00'"), HasSubstr("'goal_kwh' and 'goal_by'"));
    EXPECT_THAT(error("needs-more", "goal_kwh = 21, goal_by = '2016-03-07T12:00'"),
                HasSubstr("'goal_kwh' must be at most 'requested_kwh'"));
    EXPECT_THAT(error("needs-late", "goal_kwh = 5, goal_by = '2016-03-07T18:00'"),
                HasSubstr("goal_by must come"));
    EXPECT_THAT(error("needs-early", "goal_kwh = 5, goal_by = '2016-03-07T07:00'"),
                HasSubstr("goal_by must come"));
    EXPECT_THAT(error("needs-value", "value_per_kwh = 0.2"),
                HasSubstr("'value_per_kwh' prices the energy beyond"));
    EXPECT_THAT(error("needs-neg-value", "goal_kwh = 5, goal_by = '2016-03-07T12:00', value_per_kwh = -1"),
                HasSubstr("value_per_kwh"));
}

}  // namespace
}  // namespace evtwin::test
