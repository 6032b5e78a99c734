// reservations { ... }: a share of the sessions' drivers reserve ahead of their arrival, a share of
// them never come, and listed reservations; every bad field is an error naming it.
#include "scenario_test_util.hpp"

#include "model/local_time.hpp"

#include <gmock/gmock.h>

#include <set>

namespace evtwin::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kArrivals =
    "for i = 1, 6 do charger { name = 'CP' .. i, max_kw = 11 } end\n"
    "arrivals.elaadnl { site_type = 'workplace', per_weekday = 20, per_weekend_day = 2 }\n";

ScenarioSpec load_with(const std::string& name, const std::string& reservations) {
    return load_scenario(write_scenario(name, std::string(kHeader) + kArrivals + reservations));
}

TEST(ReservationsDsl, ADrawnReservationStartsItsLeadBeforeItsSessionAndHoldsForItsHold) {
    const ScenarioSpec without = load_with("res-none", "");
    const ScenarioSpec spec =
        load_with("res-share", "reservations { share = 0.5, lead = minutes(20), hold = minutes(30) }\n");
    // The arrivals are drawn from their own stream: the same sessions with or without reservations.
    ASSERT_EQ(spec.sessions.size(), without.sessions.size());
    ASSERT_GT(spec.sessions.size(), 20u);
    std::map<std::string, const SessionSpec*> by_token;
    for (const SessionSpec& s : spec.sessions) by_token[session_token(s)] = &s;
    ASSERT_FALSE(spec.reservations.empty());
    EXPECT_LT(spec.reservations.size(), spec.sessions.size());
    for (const ReservationSpec& r : spec.reservations) {
        const auto it = by_token.find(r.id_tag);
        ASSERT_NE(it, by_token.end()) << r.id_tag;
        EXPECT_EQ(r.from, std::max(spec.start, it->second->arrival - Duration::minutes(20))) << r.id_tag;
        EXPECT_EQ(r.to, r.from + Duration::minutes(30));
    }
    for (std::size_t i = 1; i < spec.reservations.size(); ++i)
        EXPECT_LE(spec.reservations[i - 1].from, spec.reservations[i].from);
}

TEST(ReservationsDsl, NoShowsAreTakenOutOfTheArrivalsAndTheRestRenumbered) {
    const ScenarioSpec without = load_with("res-none2", "");
    const ScenarioSpec spec = load_with("res-noshow", "reservations { share = 0.5, no_show = 1 }\n");
    ASSERT_FALSE(spec.reservations.empty());
    // Every reserving driver stays away: the sessions left and the reservations make up the arrivals.
    EXPECT_EQ(spec.sessions.size() + spec.reservations.size(), without.sessions.size());
    for (std::size_t i = 0; i < spec.sessions.size(); ++i) EXPECT_EQ(spec.sessions[i].id, i);
    for (const ReservationSpec& r : spec.reservations) EXPECT_THAT(r.id_tag, StartsWith("driver-"));
}

TEST(ReservationsDsl, ListedReservationsAreReadInTheScenariosZone) {
    const ScenarioSpec spec = load_with(
        "res-list",
        "reservations { list = { { id_tag = 'car-17', station = 'CP2', from = '2016-03-07T08:00', to = "
        "'2016-03-07T08:45' } } }\n");
    ASSERT_EQ(spec.reservations.size(), 1u);
    EXPECT_EQ(spec.reservations[0].id_tag, "car-17");
    EXPECT_EQ(spec.reservations[0].station, "CP2");
    EXPECT_EQ(format_utc(spec.reservations[0].from), "2016-03-07T07:00:00.000Z");  // CET
    EXPECT_EQ(format_utc(spec.reservations[0].to), "2016-03-07T07:45:00.000Z");
}

// A data file's sessions name their own stations (the Norwegian garage's user chargers); where
// the scenario declares no charger of that name, their reservations hold any free connector, as
// their arrivals take one.
TEST(ReservationsDsl, AStationThatIsNoChargerOfTheSiteIsAnyFreeConnector) {
    const std::string tariff =
        source_file("scenarios/tariffs/norway_household_flat_illustrative.json").string();
    std::string text =
        "scenario { name = 'g', timezone = 'Europe/Oslo', start = '2019-11-04', duration = days(3) }\n";
    text.append("grid { import_kw = 25 }\ntariff { file = '").append(tariff).append("' }\n");
    text.append("charger { name = 'X1', max_kw = 7.4 }\ncharger { name = 'X2', max_kw = 7.4 }\n");
    text.append(
        "arrivals.norway_csv { file = data('sessions/norway_residential_2018-12_2020-01.csv'), garage = "
        "'Bl2' }\n");
    text.append("reservations { share = 1 }\n");
    const ScenarioSpec spec = load_scenario(write_scenario("res-data-stations", text));
    ASSERT_FALSE(spec.reservations.empty());
    std::size_t named = 0;
    for (const SessionSpec& s : spec.sessions) named += s.station.empty() ? 0 : 1;
    ASSERT_GT(named, 0u);  // the file names its stations
    for (const ReservationSpec& r : spec.reservations) EXPECT_EQ(r.station, "") << r.id_tag;
}

std::string error_of(const std::string& name, const std::string& reservations) {
    return load_error(write_scenario(name, std::string(kHeader) + kArrivals + reservations));
}

TEST(ReservationsDsl, BadFieldsAreErrorsNamingThem) {
    EXPECT_THAT(error_of("res-e1", "reservations { share = 0.5, holds = minutes(5) }\n"),
                HasSubstr("reservations: unknown key 'holds'"));
    EXPECT_THAT(error_of("res-e2", "reservations { share = 1.5 }\n"), HasSubstr("'share'"));
    EXPECT_THAT(error_of("res-e3", "reservations { share = 0.5, hold = minutes(0) }\n"),
                HasSubstr("reservations: 'hold' must be positive"));
    EXPECT_THAT(error_of("res-e4", "reservations { share = 0.5, lead = 5 }\n"),
                HasSubstr("reservations: 'lead' must be a duration or a pair"));
    EXPECT_THAT(error_of("res-e5", "reservations { share = 0.5, lead = { hours(1), minutes(5) } }\n"),
                HasSubstr("'lead': the first duration must not exceed the second"));
    EXPECT_THAT(error_of("res-e6", "reservations { }\n"),
                HasSubstr("give 'share' (above 0), a 'list' of reservations or 'suggested'"));
    EXPECT_THAT(error_of("res-e7", "reservations { share = 0.1 }\nreservations { share = 0.1 }\n"),
                HasSubstr("reservations: declared twice"));
    EXPECT_THAT(error_of("res-e8",
                         "reservations { list = { { id_tag = 'a', from = '2016-03-07T09:00', to = "
                         "'2016-03-07T08:00' } } }\n"),
                HasSubstr("reservations: 'to' (2016-03-07T08:00) must come after 'from' (2016-03-07T09:00)"));
    EXPECT_THAT(
        error_of("res-e9",
                 "reservations { list = { { id_tag = 'a', station = 'CP9', from = '2016-03-07T08:00', "
                 "to = '2016-03-07T09:00' } } }\n"),
        HasSubstr("reservations: 'station' 'CP9' is not a charger"));
    EXPECT_THAT(
        error_of("res-e10",
                 "reservations { list = { { from = '2016-03-07T08:00', to = '2016-03-07T09:00' } } }\n"),
        HasSubstr("reservations: list[1]: missing required key 'id_tag'"));
    EXPECT_THAT(
        error_of("res-e11",
                 "reservations { list = { { id_tag = 'a', from = 'noon', to = '2016-03-07T09:00' } } }\n"),
        HasSubstr("reservations: 'from': "));
}

TEST(ReservationsDsl, AnErrorNamesTheLineOfTheBlock) {
    const auto file =
        write_scenario("res-line", std::string(kHeader) + kArrivals + "\nreservations { share = -1 }\n");
    EXPECT_THAT(load_error(file), StartsWith(at(file, 7) + "reservations: "));
}

}  // namespace
}  // namespace evtwin::test
