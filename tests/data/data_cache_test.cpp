// DataCache: loads once per key under a scope, every time without one; and a Scenario's draws, which
// share its parsed data files, give the runs a fresh load gives.
#include "data/data_cache.hpp"

#include "scenario/scenario_impl.hpp"
#include "scenario/scenario_loader.hpp"

#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <thread>

namespace evtwin {
namespace {

int load_counted(int& loads, int value) {
    ++loads;
    return value;
}

TEST(DataCache, LoadsOncePerKeyUnderAScope) {
    DataCache cache;
    DataCache::Scope scope(cache);
    int loads = 0;
    EXPECT_EQ(DataCache::cached<int>("a", [&] { return load_counted(loads, 1); }), 1);
    EXPECT_EQ(DataCache::cached<int>("a", [&] { return load_counted(loads, 2); }), 1);
    EXPECT_EQ(DataCache::cached<int>("b", [&] { return load_counted(loads, 3); }), 3);
    EXPECT_EQ(loads, 2);
}

TEST(DataCache, LoadsEveryTimeWithoutAScope) {
    int loads = 0;
    {
        DataCache cache;
        DataCache::Scope scope(cache);
        DataCache::cached<int>("a", [&] { return load_counted(loads, 1); });
    }
    EXPECT_EQ(DataCache::cached<int>("a", [&] { return load_counted(loads, 2); }), 2);
    EXPECT_EQ(DataCache::cached<int>("a", [&] { return load_counted(loads, 3); }), 3);
    EXPECT_EQ(loads, 3);
}

TEST(DataCache, AFailedLoadIsNotCached) {
    DataCache cache;
    DataCache::Scope scope(cache);
    EXPECT_THROW(DataCache::cached<int>("a", []() -> int { throw std::runtime_error("bad file"); }),
                 std::runtime_error);
    EXPECT_EQ(DataCache::cached<int>("a", [] { return 4; }), 4);
}

TEST(DataCache, ScopesNestAndBelongToTheirThread) {
    DataCache outer, inner;
    DataCache::Scope a(outer);
    DataCache::cached<int>("k", [] { return 1; });
    {
        DataCache::Scope b(inner);
        EXPECT_EQ(DataCache::cached<int>("k", [] { return 2; }), 2);
        int other_thread = 0;
        std::thread([&] { other_thread = DataCache::cached<int>("k", [] { return 3; }); }).join();
        EXPECT_EQ(other_thread, 3);  // no scope there
    }
    EXPECT_EQ(DataCache::cached<int>("k", [] { return 5; }), 1);
}

TEST(DataCache, KeysTellNumbersAndAbsentOptionsApart) {
    EXPECT_NE(cache_key("t", 0.1), cache_key("t", std::nextafter(0.1, 1.0)));  // exact, not rounded
    EXPECT_NE(cache_key("t", std::optional<double>()), cache_key("t", std::optional<double>(0.0)));
    EXPECT_NE(cache_key("ab", "c"), cache_key("a", "bc"));
}

// quickstart reads a tariff file, a PV profile and the ElaadNL tables and EV models.
TEST(DataCache, ScenarioDrawsShareParsedFilesAndMatchAFreshLoad) {
    const auto file = test::source_file("scenarios/quickstart.lua");
    const Scenario scenario = Scenario::load(file);
    for (std::uint64_t seed : {5u, 9u}) {
        const ScenarioSpec drawn = draw_scenario(scenario, seed);
        ScenarioLoadOptions fresh_options;
        fresh_options.seed = seed;
        const ScenarioSpec fresh = load_scenario(file, fresh_options);
        EXPECT_EQ(drawn.tariff, scenario.impl().loaded.tariff);  // the same object: parsed once
        EXPECT_NE(fresh.tariff, drawn.tariff);
        for (Time t = drawn.start; t < drawn.end; t = t + Duration::minutes(30)) {
            EXPECT_EQ(drawn.tariff->import_price(t), fresh.tariff->import_price(t));
            EXPECT_EQ(drawn.tariff->demand_charge_per_kw(t), fresh.tariff->demand_charge_per_kw(t));
        }
        ASSERT_EQ(drawn.pv.size(), 1u);
        EXPECT_EQ(drawn.pv[0].profile.t, fresh.pv[0].profile.t);
        EXPECT_EQ(drawn.pv[0].profile.v, fresh.pv[0].profile.v);
        ASSERT_EQ(drawn.sessions.size(), fresh.sessions.size());
        for (std::size_t i = 0; i < drawn.sessions.size(); ++i) {
            const SessionSpec& a = drawn.sessions[i];
            const SessionSpec& b = fresh.sessions[i];
            EXPECT_EQ(a.arrival, b.arrival);
            EXPECT_EQ(a.departure, b.departure);
            EXPECT_EQ(a.requested_kwh, b.requested_kwh);
            EXPECT_EQ(a.vehicle.capacity_kwh, b.vehicle.capacity_kwh);
            EXPECT_EQ(a.vehicle.max_ac_kw, b.vehicle.max_ac_kw);
        }
    }
}

}  // namespace
}  // namespace evtwin
