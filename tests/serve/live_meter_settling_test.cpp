// A live run's rows come from the meters' registers: each span between two readings at the
// register's rise over it, written once the second reading has come. Power samples serve the
// strategy in between, and the rows wait for the register that settles them.
#include "live_site.hpp"
#include "serve/live/live_twin.hpp"
#include "support/memory_sink.hpp"

#include <evtwin/strategy.hpp>

#include <gtest/gtest.h>

namespace evtwin::serve {
namespace {

using live_test::kSite;
using live_test::load_site;

class DecidesNothing final : public Strategy {
public:
    void decide(const Observation&, Decision&) override {}
};

// The site's grid import over the run, from its rows: each holds until the next, the last to the end.
double site_grid_kwh(const evtwin::test::MemorySink& sink) {
    double kwh = 0.0;
    for (std::size_t i = 0; i < sink.site.size(); ++i) {
        const Time to = i + 1 < sink.site.size() ? sink.site[i + 1].first : sink.end;
        kwh += sink.site[i].second.grid_kw * (to - sink.site[i].first).hours_f();
    }
    return kwh;
}

std::vector<evtwin::test::ConnectorSample> rows_of(const evtwin::test::MemorySink& sink, ConnectorIndex c) {
    std::vector<evtwin::test::ConnectorSample> out;
    for (const auto& s : sink.connector_samples)
        if (s.connector == c) out.push_back(s);
    return out;
}

struct LiveMeterSettling : ::testing::Test {
    ScenarioSpec spec = load_site(kSite);
    DecidesNothing strategy;
    evtwin::test::MemorySink sink;
    LiveTwin twin{spec, strategy, sink, RunInfo{"live-site", "site.lua", "nothing", "1", "", 1, "test"}};
    const ConnectorIndex c = 2;  // CP3, 11 kW at efficiency 1 under the feeder
    const Time start = spec.start + Duration::minutes(1);

    Time minute(int m) const { return start + Duration::minutes(m); }
    void reading(int m, double register_kwh, std::optional<double> power_kw) {
        twin.meter(c, minute(m), {register_kwh, power_kw, std::nullopt});
    }
};

// The vehicle took 0.10, 0.15, 0.15, 0.10 and 0.02 kWh in five minutes (6, 9, 9, 6 and 1.2 kW on
// average), while the samples said 4, 11, 7 and 0 kW at the minutes' ends. Held from one sample to
// the next they would count 0.367 kWh; the rows count the registers' 0.52 kWh, each minute at its
// average, and so does the site's import.
TEST_F(LiveMeterSettling, TheSitesRowsAddUpToTheMetersNotToThePowerSamples) {
    twin.set_online(c, start, true);
    twin.start_session(c, start, "tx-1", "", 0.0, std::nullopt);
    reading(1, 0.10, 4.0);
    reading(2, 0.25, 11.0);
    reading(3, 0.40, 7.0);
    reading(4, 0.50, 0.0);
    EXPECT_EQ(twin.connectors()[c].power_kw, 0.0);  // what the strategy sees: the last sample
    twin.stop_session(c, minute(5), 0.52);
    twin.finish(minute(10), false);

    EXPECT_NEAR(sink.connector_grid_kwh(c), 0.52, 1e-12);
    EXPECT_NEAR(site_grid_kwh(sink), 0.52, 1e-12);
    ASSERT_EQ(sink.sessions.size(), 1u);
    EXPECT_NEAR(sink.sessions[0].delivered_kwh, 0.52, 1e-12);
    std::vector<std::pair<Time, double>> powers;
    for (const auto& row : rows_of(sink, c))
        if (row.t >= start) powers.emplace_back(row.t, row.kw);
    // Online and free, then the session from its start (its meter start marks where it is counted from).
    const std::vector<std::pair<Time, double>> expected{{start, 0.0},     {start, 6.0},     {minute(1), 9.0},
                                                        {minute(2), 9.0}, {minute(3), 6.0}, {minute(4), 1.2},
                                                        {minute(5), 0.0}};
    ASSERT_EQ(powers.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(powers[i].first, expected[i].first) << i;
        EXPECT_NEAR(powers[i].second, expected[i].second, 1e-9) << i;
    }
}

// A reading settles the span before it; what comes after it (rows, events, violations) waits for
// the next one, as the run's sink takes everything in time order.
TEST_F(LiveMeterSettling, RowsWaitForTheReadingThatSettlesThem) {
    twin.set_online(c, start, true);
    twin.start_session(c, start, "tx-1", "", 0.0, std::nullopt);
    reading(1, 0.10, 6.0);
    twin.note(minute(1) + Duration::seconds(20), c, "after the reading");
    twin.flush();
    for (const auto& row : sink.connector_samples) EXPECT_LT(row.t, minute(1));
    for (const auto& e : sink.events) EXPECT_NE(e.detail, "after the reading");

    reading(2, 0.25, 9.0);
    twin.flush();
    const auto rows = rows_of(sink, c);
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows.back().t, minute(1));
    EXPECT_NEAR(rows.back().kw, 9.0, 1e-9);
    EXPECT_EQ(sink.events.back().detail, "after the reading");
}

// A meter that sends no register for longer than kLongestMeterWait holds the rows no longer: they
// are written as the twin estimated them, its last power sample.
TEST_F(LiveMeterSettling, ASilentMeterIsWrittenAsEstimatedAfterTheLongestWait) {
    twin.set_online(c, start, true);
    twin.start_session(c, start, "tx-1", "", 0.0, std::nullopt);
    twin.meter(c, minute(1), {std::nullopt, 5.0, std::nullopt});
    twin.decide(minute(10));
    twin.flush();
    for (const auto& row : rows_of(sink, c)) EXPECT_LT(row.t, start);

    twin.decide(minute(1) + kLongestMeterWait + Duration::minutes(1));
    twin.flush();
    const auto rows = rows_of(sink, c);
    ASSERT_EQ(rows.size(), 4u);  // offline, online, plugged in at 0 kW, then 5 kW from its sample
    EXPECT_EQ(rows.back().t, minute(1));
    EXPECT_EQ(rows.back().kw, 5.0);
}

// A transaction that ends without a meter stop counts, in its record, the energy of its last
// reading: its rows since that reading settle at no rise, not at the twin's 11 kW estimate.
TEST_F(LiveMeterSettling, ATransactionEndedWithoutAMeterStopSettlesAtItsLastReading) {
    twin.set_online(c, start, true);
    twin.start_session(c, start, "tx-1", "", 0.0, std::nullopt);
    reading(1, 0.10, 6.0);
    reading(2, 0.25, 11.0);
    twin.stop_session(c, minute(4), std::nullopt);
    twin.finish(minute(10), false);
    ASSERT_EQ(sink.sessions.size(), 1u);
    EXPECT_NEAR(sink.sessions[0].delivered_kwh, 0.25, 1e-12);
    EXPECT_NEAR(sink.connector_grid_kwh(c), 0.25, 1e-12);
    EXPECT_NEAR(site_grid_kwh(sink), 0.25, 1e-12);
}

// 11 kW throughout, the reading of minute 5 arriving at 5.5: the half minute to the next reading
// rises at 22 kW, faster than the rating, so that span goes on to the next reading; the four and a
// half minutes to it rise at 12.2 kW, still too fast, and settle as counted. The rows count every
// kWh of the meter stop.
TEST_F(LiveMeterSettling, ARiseFasterThanTheRatingIsSettledOverTheSpansAfterItUpToTheMeterStop) {
    const auto register_at = [](double minutes) { return 11.0 * minutes / 60.0; };
    twin.set_online(c, start, true);
    twin.start_session(c, start, "tx-1", "", 0.0, std::nullopt);
    twin.meter(c, start + Duration::seconds(330), {register_at(5), std::nullopt, std::nullopt});
    for (const int m : {6, 10, 12}) reading(m, register_at(m), std::nullopt);
    twin.stop_session(c, minute(12), register_at(12));
    twin.finish(minute(20), false);
    ASSERT_EQ(sink.sessions.size(), 1u);
    EXPECT_NEAR(sink.sessions[0].delivered_kwh, register_at(12), 1e-12);
    EXPECT_NEAR(sink.connector_grid_kwh(c), register_at(12), 1e-12);
    EXPECT_NEAR(site_grid_kwh(sink), register_at(12), 1e-12);
}

// A meter that counts 10 % high at the 11 kW rating: every minute rises at 12.1 kW. Each span waits
// for one more reading, then settles as counted, so the site's rows are written up to its last
// readings, not held for kLongestMeterWait as they would be for a reading that never comes.
TEST_F(LiveMeterSettling, AMeterThatCountsHighIsSettledAsCountedAfterOneMoreReading) {
    twin.set_online(c, start, true);
    twin.start_session(c, start, "tx-1", "", 0.0, std::nullopt);
    for (int m = 1; m <= 20; ++m) reading(m, 12.1 * m / 60.0, 12.1);
    twin.flush();
    const auto rows = rows_of(sink, c);
    ASSERT_FALSE(rows.empty());
    EXPECT_GE(rows.back().t, minute(18));
    double kwh = 0.0;
    for (std::size_t i = 0; i + 1 < rows.size(); ++i)
        kwh += rows[i].kw * (rows[i + 1].t - rows[i].t).hours_f();
    EXPECT_NEAR(kwh, 12.1 * (rows.back().t - start).hours_f(), 1e-9);
    EXPECT_FALSE(sink.violations.empty());  // the excess is on the record
}

// A V2G charger's register is import minus export. Its meter stop (the import register, 0.5 kWh)
// does not replace that: the session took 0.5, gave 0.3 back, and its rows count the net 0.2,
// settled at the last reading.
TEST_F(LiveMeterSettling, AV2GTransactionCountsItsNetRegisterWhateverItsMeterStopSays) {
    const auto v2g = [](double import_kwh, double export_kwh) {
        return MeterReading{import_kwh - export_kwh, std::nullopt, std::nullopt, export_kwh, true};
    };
    twin.set_online(c, start, true);
    twin.start_session(c, start, "tx-1", "", 0.0, std::nullopt);
    twin.meter(c, start, v2g(0.0, 0.0));
    twin.meter(c, minute(2), v2g(0.3, 0.0));
    twin.meter(c, minute(4), v2g(0.4, 0.3));
    twin.meter(c, minute(6), v2g(0.5, 0.3));
    twin.stop_session(c, minute(7), 0.5);
    twin.finish(minute(10), false);
    ASSERT_EQ(sink.sessions.size(), 1u);
    EXPECT_NEAR(sink.sessions[0].delivered_kwh, 0.2, 1e-12);
    EXPECT_NEAR(sink.sessions[0].discharged_kwh, 0.3, 1e-12);
    EXPECT_NEAR(sink.sessions[0].charged_kwh, 0.5, 1e-12);
    EXPECT_NEAR(sink.connector_grid_kwh(c), 0.2, 1e-12);
}

}  // namespace
}  // namespace evtwin::serve
