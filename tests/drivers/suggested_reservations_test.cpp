// Reservations offered to returning drivers for the hour their next charge is predicted in, worked
// out by hand from a few weeks of sessions, and the scenario's reservations { suggested = ... }.
#include "drivers/suggested_reservations.hpp"

#include <evtwin/scenario.hpp>

#include "model/local_time.hpp"
#include "scenario/scenario_impl.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace evtwin::drivers {
namespace {

const TimeZone kSuggestZone("UTC");

Time utc_at(const std::string& text) {
    return parse_time(text, kSuggestZone);
}

SessionSpec garage_session(const std::string& driver, const std::string& station, const std::string& arrival,
                           const std::string& departure) {
    SessionSpec s;
    s.vehicle_id = driver;
    s.station = station;
    s.arrival = utc_at(arrival);
    s.departure = utc_at(departure);
    s.requested_kwh = 10.0;
    return s;
}

// Offers for Tuesday 2024-01-09 (midnight UTC). Alice charged at CP2 on the four Tuesdays before
// at 18:00 and once at CP1 on a Thursday: a session started at Tuesday 18:00 in 4 of her 4 weeks.
// Bob comes on two Tuesdays at 07:00 but is plugged in at midnight. Dave charged at 18:00 on one
// Tuesday of his four weeks (1/4). Erin's only session is on the day itself: nothing before midnight.
std::vector<SessionSpec> garage_sessions() {
    std::vector<SessionSpec> s;
    for (const char* day : {"2023-12-12", "2023-12-19", "2023-12-26", "2024-01-02"})
        s.push_back(garage_session("alice", "CP2", std::string(day) + "T18:00", std::string(day) + "T20:00"));
    s.push_back(garage_session("alice", "CP1", "2023-12-14T09:00", "2023-12-14T11:00"));
    s.push_back(garage_session("alice", "CP2", "2024-01-09T08:00", "2024-01-09T09:00"));  // after the origin
    s.push_back(garage_session("bob", "CP1", "2023-12-26T07:00", "2023-12-26T08:00"));
    s.push_back(garage_session("bob", "CP1", "2024-01-02T07:00", "2024-01-02T08:00"));
    s.push_back(garage_session("bob", "CP1", "2024-01-08T22:00", "2024-01-09T07:00"));
    s.push_back(garage_session("dave", "CP1", "2023-12-13T12:00", "2023-12-13T13:00"));
    s.push_back(garage_session("dave", "CP1", "2024-01-02T18:00", "2024-01-02T19:00"));
    s.push_back(garage_session("erin", "CP3", "2024-01-09T18:00", "2024-01-09T19:00"));
    return s;
}

TEST(SuggestedReservations, TheMostLikelyHourOfTheDayIsHeldWithItsMarginAtTheUsualCharger) {
    const auto offers =
        suggest_reservations(garage_sessions(), kSuggestZone, utc_at("2024-01-09"), utc_at("2024-01-10"),
                             FrequencyBaseline(), {0.5, Duration::hours(1)});
    ASSERT_EQ(offers.size(), 1u);
    EXPECT_EQ(offers[0].reservation.id_tag, "alice");
    EXPECT_EQ(offers[0].reservation.station, "CP2");  // 4 sessions at CP2, one at CP1
    EXPECT_EQ(offers[0].reservation.from, utc_at("2024-01-09T17:00"));
    EXPECT_EQ(offers[0].reservation.to, utc_at("2024-01-09T20:00"));
    EXPECT_DOUBLE_EQ(offers[0].probability, 1.0);
}

TEST(SuggestedReservations, ALowerThresholdOffersLessLikelyHoursButNotToADriverPluggedIn) {
    const auto offers =
        suggest_reservations(garage_sessions(), kSuggestZone, utc_at("2024-01-09"), utc_at("2024-01-10"),
                             FrequencyBaseline(), {0.2, Duration::minutes(30)});
    ASSERT_EQ(offers.size(), 2u);
    EXPECT_EQ(offers[1].reservation.id_tag, "dave");
    EXPECT_DOUBLE_EQ(offers[1].probability, 0.25);  // Tuesday 18:00 in 1 of 4 weeks
    EXPECT_EQ(offers[1].reservation.from, utc_at("2024-01-09T17:30"));
    EXPECT_EQ(offers[1].reservation.to, utc_at("2024-01-09T19:30"));
    for (const auto& o : offers) EXPECT_NE(o.reservation.id_tag, "bob");
}

TEST(SuggestedReservations, EachDaySeesTheSessionsBeforeItsMidnight) {
    // Erin's first session is on the 9th: nothing is offered to her that day, and on the 16th her
    // session of a week before is her past (the same slot last week).
    const auto offers =
        suggest_reservations(garage_sessions(), kSuggestZone, utc_at("2024-01-09"), utc_at("2024-01-17"),
                             LastWeekBaseline(), {0.5, Duration::hours(1)});
    std::vector<ReservationSpec> erin;
    for (const auto& o : offers)
        if (o.reservation.id_tag == "erin") erin.push_back(o.reservation);
    ASSERT_EQ(erin.size(), 1u);
    EXPECT_EQ(erin[0].from, utc_at("2024-01-16T17:00"));
    EXPECT_EQ(erin[0].to, utc_at("2024-01-16T20:00"));
    EXPECT_EQ(erin[0].station, "CP3");
}

TEST(SuggestedReservations, TheScenarioHoldsTheOffersAndNamesABadPredictor) {
    const auto dir = test::temp_dir("suggested-reservations");
    const std::string site =
        "scenario { name = \"garage\", timezone = \"Europe/Oslo\", start = \"2019-09-02\", duration = "
        "days(7) }\n"
        "grid { import_kw = 25 }\n"
        "charger { name = \"Shared-12\", max_kw = 7.4 }\n"
        "tariff { file = \"" +
        test::source_file("scenarios/tariffs/norway_household_flat_illustrative.json").string() +
        "\" }\n"
        "arrivals.norway_csv { file = data(\"sessions/norway_residential_2018-12_2020-01.csv\"), garage = "
        "\"UT9\" }\n";
    const auto good =
        test::write_file(dir / "good.lua", site +
                                               "reservations { suggested = { min_probability = 0.2, margin = "
                                               "hours(1), history = days(240) } }\n");
    const ScenarioSpec spec = Scenario::load(good).impl().loaded;
    ASSERT_FALSE(spec.reservations.empty());
    for (const ReservationSpec& r : spec.reservations) {
        EXPECT_EQ(r.to - r.from, Duration::hours(3)) << r.id_tag;
        EXPECT_GE(r.from, spec.start);
        EXPECT_EQ(r.id_tag.rfind("norway-user-", 0), 0u) << r.id_tag;  // the data set's User_IDs
    }

    const auto bad = test::write_file(dir / "bad.lua",
                                      site + "reservations { suggested = { predictor = \"no.json\" } }\n");
    const std::string message = test::error_of<ScenarioError>([&] { Scenario::load(bad); });
    EXPECT_NE(message.find("bad.lua:6: reservations"), std::string::npos) << message;
    EXPECT_NE(message.find("no.json"), std::string::npos) << message;
}

}  // namespace
}  // namespace evtwin::drivers
