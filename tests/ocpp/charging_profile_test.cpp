// Charging profiles: parsing, unit conversion, and their composition into effective limits over
// hand-made timelines (stack levels, TxProfile over TxDefault, station maximum, recurring and
// relative schedules, clearing, replacement).
#include "jsonl_log.hpp"
#include "ocpp/import.hpp"
#include "record/schema/sqlite_db.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <random>

namespace evtwin::ocpp {
namespace {

using test::jsonl;
using test::rec;

std::int64_t at(const char* iso) {
    std::int64_t ms = 0;
    EXPECT_TRUE(parse_timestamp(iso, ms)) << iso;
    return ms;
}

// A 1.6 SetChargingProfile CALL and its CALLRESULT one second later.
std::string set16(const std::string& ts, const std::string& id, int connector, const std::string& profile,
                  const std::string& status = "Accepted") {
    return rec(ts, R"([2,")" + id + R"(","SetChargingProfile",{"connectorId":)" + std::to_string(connector) +
                       R"(,"csChargingProfiles":)" + profile + "}]") +
           rec(ts, R"([3,")" + id + R"(",{"status":")" + status + R"("}])");
}

std::string profile(int id, int stack, const std::string& purpose, const std::string& schedule,
                    const std::string& extra = R"("chargingProfileKind":"Absolute")") {
    return R"({"chargingProfileId":)" + std::to_string(id) + R"(,"stackLevel":)" + std::to_string(stack) +
           R"(,"chargingProfilePurpose":")" + purpose + R"(",)" + extra + R"(,"chargingSchedule":)" +
           schedule + "}";
}

std::string transaction16(const std::string& start, const std::string& stop, int tx, int connector = 1) {
    const std::string t = std::to_string(tx);
    return rec(start, R"([2,"s)" + t + R"(","StartTransaction",{"connectorId":)" + std::to_string(connector) +
                          R"(,"idTag":"T","meterStart":0,"timestamp":")" + start + R"("}])") +
           rec(start,
               R"([3,"s)" + t + R"(",{"transactionId":)" + t + R"(,"idTagInfo":{"status":"Accepted"}}])") +
           rec(stop, R"([2,"e)" + t + R"(","StopTransaction",{"transactionId":)" + t +
                         R"(,"meterStop":1000,"timestamp":")" + stop + R"("}])") +
           rec(stop, R"([3,"e)" + t + R"(",{}])");
}

std::optional<double> limit(const Import& im, int connector, const char* iso, const std::string& cs = "CP1") {
    return effective_limit_at(im.site.charging_profiles, im.site.transactions, cs, connector, at(iso));
}

TEST(OcppChargingProfile, AmpereLimitsBecomeKilowattsWithPhasesAndVoltage) {
    ChargingProfile p;
    p.unit = 'A';
    SchedulePeriod sp{0, 16.0, 3};
    EXPECT_NEAR(limit_kw(p, sp), 16 * 3 * 230 / 1000.0, 1e-12);  // 11.04 kW
    sp.phases = 1;
    EXPECT_NEAR(limit_kw(p, sp), 3.68, 1e-12);
    EXPECT_NEAR(limit_kw(p, sp, CompositionOptions{220.0}), 3.52, 1e-12);
    p.unit = 'W';
    sp.limit = 7400;
    EXPECT_NEAR(limit_kw(p, sp), 7.4, 1e-12);
}

TEST(OcppChargingProfile, HighestStackLevelOfAPurposeWinsWhileInForce) {
    const Import im = jsonl(
        rec("2024-01-01T09:00:00Z", R"([2,"h","Heartbeat",{}])") +
        set16(
            "2024-01-01T09:30:00Z", "p1", 1,
            profile(
                1, 0, "TxDefaultProfile",
                R"({"startSchedule":"2024-01-01T10:00:00Z","chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":32}]})")) +
        set16(
            "2024-01-01T09:31:00Z", "p2", 1,
            profile(
                2, 1, "TxDefaultProfile",
                R"({"startSchedule":"2024-01-01T11:00:00Z","duration":3600,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":6900},{"startPeriod":1800,"limit":4000}]})")) +
        rec("2024-01-01T14:00:00Z", R"([2,"h2","Heartbeat",{}])"));
    ASSERT_EQ(im.site.charging_profiles.size(), 2u);
    EXPECT_FALSE(limit(im, 1, "2024-01-01T09:59:59Z"));  // before the schedule: unlimited
    EXPECT_NEAR(*limit(im, 1, "2024-01-01T10:00:00Z"), 22.08, 1e-9);
    EXPECT_NEAR(*limit(im, 1, "2024-01-01T11:00:00Z"), 6.9, 1e-9);  // stack 1 beats stack 0
    EXPECT_NEAR(*limit(im, 1, "2024-01-01T11:30:00Z"), 4.0, 1e-9);
    EXPECT_NEAR(*limit(im, 1, "2024-01-01T12:00:00Z"), 22.08, 1e-9);  // stack 1's duration is over
    // The composed timeline, exactly.
    ASSERT_EQ(im.limits.size(), 4u);
    const std::int64_t t10 = at("2024-01-01T10:00:00Z"), t11 = at("2024-01-01T11:00:00Z");
    const std::int64_t t1130 = at("2024-01-01T11:30:00Z"), t12 = at("2024-01-01T12:00:00Z");
    EXPECT_EQ(im.limits[0].from_ms, t10);
    EXPECT_EQ(im.limits[0].to_ms, t11);
    EXPECT_EQ(im.limits[1].from_ms, t11);
    EXPECT_EQ(im.limits[1].to_ms, t1130);
    EXPECT_EQ(im.limits[2].to_ms, t12);
    EXPECT_EQ(im.limits[3].from_ms, t12);
    EXPECT_EQ(im.limits[3].to_ms, at("2024-01-01T14:00:00Z") + 1);
    EXPECT_NEAR(im.limits[3].limit_kw, 22.08, 1e-9);
}

TEST(OcppChargingProfile, TxProfileOverridesTxDefaultDuringItsTransactionAndStationMaxCapsAll) {
    const Import im = jsonl(
        set16(
            "2024-01-01T08:00:00Z", "d", 0,
            profile(
                1, 0, "TxDefaultProfile",
                R"({"startSchedule":"2024-01-01T08:00:00Z","chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":11000}]})")) +
        set16(
            "2024-01-01T08:00:01Z", "m", 0,
            profile(
                2, 0, "ChargePointMaxProfile",
                R"({"startSchedule":"2024-01-01T12:00:00Z","duration":3600,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":5000}]})")) +
        transaction16("2024-01-01T10:00:00Z", "2024-01-01T13:00:00Z", 7) +
        // During transaction 7: a TxProfile of 16 A on one phase (3.68 kW), then 7 kW.
        set16(
            "2024-01-01T10:30:00Z", "t", 1,
            profile(
                3, 0, "TxProfile",
                R"({"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16,"numberPhases":1},{"startPeriod":3600,"limit":32,"numberPhases":1}]})",
                R"("chargingProfileKind":"Relative","transactionId":7)")) +
        transaction16("2024-01-01T14:00:00Z", "2024-01-01T15:00:00Z", 8) +
        rec("2024-01-01T16:00:00Z", R"([2,"h","Heartbeat",{}])"));
    ASSERT_EQ(im.site.transactions.size(), 2u);
    EXPECT_NEAR(*limit(im, 1, "2024-01-01T10:15:00Z"), 11.0, 1e-9);  // connector 0's TxDefault
    EXPECT_NEAR(*limit(im, 2, "2024-01-01T10:15:00Z"), 11.0, 1e-9);  // applies to every connector
    // Relative to the transaction start (10:00): 16 A x 1 phase until 11:00, then 32 A.
    EXPECT_NEAR(*limit(im, 1, "2024-01-01T10:45:00Z"), 3.68, 1e-9);
    EXPECT_NEAR(*limit(im, 1, "2024-01-01T11:15:00Z"), 7.36, 1e-9);
    EXPECT_NEAR(*limit(im, 2, "2024-01-01T11:15:00Z"), 11.0, 1e-9);  // not connector 2's transaction
    EXPECT_NEAR(*limit(im, 1, "2024-01-01T12:30:00Z"), 5.0, 1e-9);   // the station maximum caps it
    EXPECT_NEAR(*limit(im, 0, "2024-01-01T12:30:00Z"), 5.0, 1e-9);
    EXPECT_FALSE(limit(im, 0, "2024-01-01T13:30:00Z"));
    // The TxProfile ended with transaction 7: transaction 8 is back on the default.
    EXPECT_NEAR(*limit(im, 1, "2024-01-01T14:30:00Z"), 11.0, 1e-9);
}

TEST(OcppChargingProfile, RecurringDailyScheduleRepeats) {
    const Import im = jsonl(
        set16(
            "2024-01-01T00:00:00Z", "r", 1,
            profile(
                1, 0, "TxDefaultProfile",
                R"({"startSchedule":"2024-01-01T17:00:00Z","duration":10800,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":0}]})",
                R"("chargingProfileKind":"Recurring","recurrencyKind":"Daily")")) +
        rec("2024-01-04T00:00:00Z", R"([2,"h","Heartbeat",{}])"));
    EXPECT_FALSE(limit(im, 1, "2024-01-01T16:59:59Z"));
    EXPECT_NEAR(*limit(im, 1, "2024-01-02T18:00:00Z"), 0.0, 1e-12);
    EXPECT_FALSE(limit(im, 1, "2024-01-02T20:00:00Z"));
    // Three evenings, each 17:00-20:00.
    ASSERT_EQ(im.limits.size(), 3u);
    for (std::size_t d = 0; d < 3; ++d) {
        EXPECT_EQ(im.limits[d].from_ms,
                  at("2024-01-01T17:00:00Z") + static_cast<std::int64_t>(d) * 86'400'000);
        EXPECT_EQ(im.limits[d].to_ms - im.limits[d].from_ms, 3 * 3'600'000);
    }
}

TEST(OcppChargingProfile, ClearedRejectedAndReplacedProfiles) {
    const std::string sched =
        R"({"startSchedule":"2024-01-01T00:00:00Z","chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":)";
    const Import im =
        jsonl(set16("2024-01-01T01:00:00Z", "a", 1, profile(1, 0, "TxDefaultProfile", sched + "7000}]}")) +
              set16("2024-01-01T02:00:00Z", "b", 1, profile(2, 5, "TxDefaultProfile", sched + "1000}]}"),
                    "Rejected") +
              set16("2024-01-01T03:00:00Z", "c", 1,
                    profile(1, 0, "TxDefaultProfile", sched + "3000}]}")) +  // same id
              rec("2024-01-01T04:00:00Z", R"([2,"x","ClearChargingProfile",{"id":1}])") +
              rec("2024-01-01T04:00:01Z", R"([3,"x",{"status":"Accepted"}])") +
              rec("2024-01-01T05:00:00Z", R"([2,"h","Heartbeat",{}])"));
    ASSERT_EQ(im.site.charging_profiles.size(), 3u);
    EXPECT_FALSE(im.site.charging_profiles[1].accepted);
    EXPECT_EQ(im.site.charging_profiles[0].cleared_ms, at("2024-01-01T03:00:00Z"));  // replaced
    EXPECT_EQ(im.site.charging_profiles[2].cleared_ms, at("2024-01-01T04:00:00Z"));  // cleared
    EXPECT_NEAR(*limit(im, 1, "2024-01-01T02:30:00Z"), 7.0, 1e-12);  // the rejected one never counts
    EXPECT_NEAR(*limit(im, 1, "2024-01-01T03:30:00Z"), 3.0, 1e-12);
    EXPECT_FALSE(limit(im, 1, "2024-01-01T04:30:00Z"));
}

TEST(OcppChargingProfile, Ocpp201ProfilesAndStoredTables) {
    const Import im = jsonl(
        rec("2024-01-01T10:00:00Z",
            R"([2,"p","SetChargingProfile",{"evseId":1,"chargingProfile":{"id":9,"stackLevel":2,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":[{"id":1,"startSchedule":"2024-01-01T10:00:00Z","chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":10.0,"numberPhases":3}]}]}}])") +
        rec("2024-01-01T10:00:01Z", R"([3,"p",{"status":"Accepted"}])") +
        rec("2024-01-01T10:10:00Z",
            R"([2,"q","ClearChargingProfile",{"chargingProfileCriteria":{"evseId":1,"chargingProfilePurpose":"TxDefaultProfile"}}])") +
        rec("2024-01-01T10:10:01Z", R"([3,"q",{"status":"Accepted"}])") +
        rec("2024-01-01T10:20:00Z",
            R"([2,"bad","SetChargingProfile",{"evseId":1,"chargingProfile":{"id":1,"stackLevel":0,"chargingProfilePurpose":"Nope","chargingProfileKind":"Absolute","chargingSchedule":[]}}])"));
    ASSERT_EQ(im.site.charging_profiles.size(), 1u);
    const ChargingProfile& p = im.site.charging_profiles[0];
    EXPECT_EQ(p.connector, 1);
    EXPECT_EQ(p.stack_level, 2);
    EXPECT_EQ(p.purpose, ProfilePurpose::tx_default);
    ASSERT_EQ(im.limits.size(), 1u);
    EXPECT_NEAR(im.limits[0].limit_kw, 6.9, 1e-9);
    EXPECT_EQ(im.limits[0].to_ms - im.limits[0].from_ms, 600'000);
    bool reported = false;
    for (const Problem& pr : im.log.problems) reported |= pr.kind == "bad_charging_profile" && pr.line == 5;
    EXPECT_TRUE(reported);

    const auto dir = test::temp_dir("ocpp-profiles");
    sqlite::Db db(dir / "p.db", sqlite::Db::Mode::read_write_create);
    const std::int64_t id = store(db, im);
    EXPECT_EQ(
        db.query_int("SELECT count(*) FROM ocpp_charging_profiles WHERE import_id = " + std::to_string(id)),
        1);
    EXPECT_EQ(db.query_int("SELECT count(*) FROM ocpp_charging_limits WHERE connector = 1 AND limit_kw "
                           "BETWEEN 6.89 AND 6.91"),
              1);
    EXPECT_EQ(db.query_int("SELECT cleared_ms - set_ms FROM ocpp_charging_profiles"), 600'000);
}

// Property: the composed timeline agrees with effective_limit_at everywhere, and no connector's
// limit exceeds the station maximum in force.
TEST(OcppChargingProfile, ComposedTimelineAgreesWithPointwiseRuleOnRandomProfiles) {
    std::mt19937 rng(7);
    const char* purposes[] = {"TxDefaultProfile", "TxProfile", "ChargePointMaxProfile"};
    const char* kinds[] = {R"("chargingProfileKind":"Absolute")", R"("chargingProfileKind":"Relative")",
                           R"("chargingProfileKind":"Recurring","recurrencyKind":"Daily")"};
    std::size_t segments = 0;
    for (int round = 0; round < 20; ++round) {
        std::string log = transaction16("2024-01-01T02:00:00Z", "2024-01-01T09:00:00Z", 1) +
                          transaction16("2024-01-01T12:00:00Z", "2024-01-01T20:00:00Z", 2, 2);
        for (int i = 0; i < 6; ++i) {
            const int purpose = static_cast<int>(rng() % 3);
            const int connector = purpose == 2 ? 0 : 1 + static_cast<int>(rng() % 2);
            char ts[32];
            std::snprintf(ts, sizeof ts, "2024-01-01T%02u:%02u:00Z", static_cast<unsigned>(rng() % 20),
                          static_cast<unsigned>(rng() % 60));
            std::string sched = R"({"startSchedule":"2024-01-01T01:00:00Z","chargingRateUnit":")" +
                                std::string(rng() % 2 ? "A" : "W") + R"(","chargingSchedulePeriod":[)";
            for (int k = 0; k < 3; ++k) {
                if (k) sched += ',';
                sched += R"({"startPeriod":)";
                sched += std::to_string(k * 1800 * (1 + rng() % 4));
                sched += R"(,"limit":)";
                sched += std::to_string(rng() % 40);
                sched += '}';
            }
            sched += ']';
            if (rng() % 2) sched += R"(,"duration":7200)";
            sched += '}';
            std::string id = "p";
            id += std::to_string(i);
            log += set16(ts, id, connector,
                         profile(1 + static_cast<int>(rng() % 4), static_cast<int>(rng() % 3),
                                 purposes[purpose], sched, purpose == 2 ? kinds[0] : kinds[rng() % 3]));
        }
        log += rec("2024-01-02T00:00:00Z", R"([2,"h","Heartbeat",{}])");
        const Import im = jsonl(log);
        segments += im.limits.size();
        for (int probe = 0; probe < 200; ++probe) {
            const std::int64_t t = at("2024-01-01T00:00:00Z") + static_cast<std::int64_t>(rng() % 86'400'000);
            for (const int c : {0, 1, 2}) {
                const auto expected =
                    effective_limit_at(im.site.charging_profiles, im.site.transactions, "CP1", c, t);
                std::optional<double> composed;
                for (const EffectiveLimit& l : im.limits)
                    if (l.connector == c && l.from_ms <= t && t < l.to_ms) composed = l.limit_kw;
                ASSERT_EQ(composed.has_value(), expected.has_value())
                    << "round " << round << " connector " << c << " t " << t;
                if (expected) {
                    EXPECT_DOUBLE_EQ(*composed, *expected);
                }
                const auto cap =
                    effective_limit_at(im.site.charging_profiles, im.site.transactions, "CP1", 0, t);
                if (cap && expected) {
                    EXPECT_LE(*expected, *cap + 1e-12);
                }
            }
        }
    }
    EXPECT_GT(segments, 40u);  // the random profiles did produce limits to compare
}

}  // namespace
}  // namespace evtwin::ocpp
