#include "data/arrivals.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace evtwin {
namespace {

SessionSpec session(const std::string& station, std::int64_t arrival_h, std::int64_t departure_h) {
    SessionSpec s;
    s.id = 99;
    s.station = station;
    s.arrival = Time(0) + Duration::hours(arrival_h);
    s.departure = Time(0) + Duration::hours(departure_h);
    s.declared_departure = s.departure;
    return s;
}

TEST(Arrivals, SortByArrivalThenDepartureAndNumber) {
    std::vector<SessionSpec> sessions{session("a", 5, 9), session("b", 1, 8), session("c", 5, 7),
                                      session("d", 5, 9), session("e", 0, 3)};
    sort_by_arrival_and_number(sessions);
    std::string order;
    for (const auto& s : sessions) order += s.station;
    // Equal arrivals go by departure; a and d tie on both and keep their order.
    EXPECT_EQ(order, "ebcad");
    for (std::size_t i = 0; i < sessions.size(); ++i) EXPECT_EQ(sessions[i].id, static_cast<SessionId>(i));

    std::vector<SessionSpec> none;
    sort_by_arrival_and_number(none);
    EXPECT_TRUE(none.empty());
}

TEST(Arrivals, SortIsAPermutationForRandomInput) {
    // Property: the result is sorted, numbered 0..n-1 and holds the same sessions.
    std::vector<SessionSpec> sessions;
    std::uint32_t x = 12345;
    for (int i = 0; i < 500; ++i) {
        x = x * 1664525u + 1013904223u;
        const std::int64_t a = x % 40;
        sessions.push_back(session(std::to_string(i), a, a + 1 + (x >> 8) % 5));
    }
    std::vector<std::string> before;
    for (const auto& s : sessions) before.push_back(s.station);
    sort_by_arrival_and_number(sessions);
    std::vector<std::string> after;
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        after.push_back(sessions[i].station);
        EXPECT_EQ(sessions[i].id, static_cast<SessionId>(i));
        if (i > 0) {
            const auto& p = sessions[i - 1];
            const auto& s = sessions[i];
            EXPECT_TRUE(p.arrival < s.arrival || (p.arrival == s.arrival && p.departure <= s.departure));
            if (p.arrival == s.arrival && p.departure == s.departure) {
                EXPECT_LT(std::stoi(p.station), std::stoi(s.station));  // stable: input order kept
            }
        }
    }
    std::sort(before.begin(), before.end());
    std::sort(after.begin(), after.end());
    EXPECT_EQ(before, after);
}

}  // namespace
}  // namespace evtwin
