#include "data/arrivals.hpp"
#include "data_checks.hpp"
#include "model/local_time.hpp"
#include "support/test_support.hpp"
#include "util/rng.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

namespace evtwin {
namespace {

using test::error_of;
using test::write_file;

const char* kAcnFile = "sessions/acn_caltech_2020-12_2021-09.json";

TEST(AcnJson, ReplayReproducesTheFile) {
    AcnImportOptions options;
    options.use_user_inputs = false;  // requested = kWhDelivered, declared = disconnectTime
    const auto sessions = load_acn_json(test::data_file(kAcnFile), options);

    // An independent scan of the raw text: every "kWhDelivered": <number>.
    const std::string raw = test::read_file(test::data_file(kAcnFile));
    std::size_t count = 0;
    test::CompensatedSum raw_total;
    const std::string key = "\"kWhDelivered\":";
    for (auto pos = raw.find(key); pos != std::string::npos; pos = raw.find(key, pos + 1)) {
        ++count;
        raw_total.add(std::strtod(raw.c_str() + pos + key.size(), nullptr));
    }
    // Checked with python3 (json.load; len(_items), math.fsum of kWhDelivered, sum of stays).
    EXPECT_EQ(count, 3235u);
    ASSERT_EQ(sessions.size(), 3235u);
    test::CompensatedSum total;
    std::int64_t stay_ms = 0;
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        const auto& s = sessions[i];
        EXPECT_EQ(s.id, i);
        if (i > 0) {
            EXPECT_LE(sessions[i - 1].arrival, s.arrival);
        }
        EXPECT_EQ(s.declared_departure, s.departure);
        EXPECT_GT(s.departure, s.arrival);
        // The battery holds what was delivered above the assumed initial SoC.
        EXPECT_LE(s.initial_soc * s.vehicle.capacity_kwh + s.requested_kwh * s.vehicle.charge_efficiency,
                  s.vehicle.capacity_kwh * (1 + 1e-12));
        total.add(s.requested_kwh);
        stay_ms += (s.departure - s.arrival).ms();
    }
    EXPECT_NEAR(total.value(), 39926.473491821984, 1e-8);
    EXPECT_NEAR(total.value(), raw_total.value(), 1e-8);
    EXPECT_EQ(stay_ms, 34973027000);

    const auto& first = sessions.front();
    EXPECT_EQ(first.station, "CA-305");
    EXPECT_EQ(first.arrival, test::utc("2020-12-01T13:59:06Z"));
    EXPECT_EQ(first.departure, test::utc("2020-12-01T19:33:50Z"));
    EXPECT_DOUBLE_EQ(first.requested_kwh, 7.877);
}

TEST(AcnJson, UserInputsGiveRequestAndDeclaredDeparture) {
    const auto sessions = load_acn_json(test::data_file(kAcnFile), {});
    ASSERT_EQ(sessions.size(), 3235u);
    test::CompensatedSum requested;
    std::int64_t declared_ms = 0;
    for (const auto& s : sessions) {
        requested.add(s.requested_kwh);
        declared_ms += s.declared_departure.ms();
        EXPECT_GE(s.declared_departure, s.arrival);
    }
    // python3: the last userInputs entry's kWhRequested / requestedDeparture, else kWhDelivered /
    // disconnectTime, summed with math.fsum (energy) and exactly (milliseconds).
    EXPECT_NEAR(requested.value(), 95379.56750496416, 1e-8);
    EXPECT_EQ(declared_ms, 5247835570106000);
    // Item 30 (CA-303) has several inputs: the last one counts (28.3 kWh, not the first 67.92).
    EXPECT_EQ(sessions[30].station, "CA-303");
    EXPECT_DOUBLE_EQ(sessions[30].requested_kwh, 28.3);
    EXPECT_EQ(sessions[30].declared_departure, test::utc("2020-12-06T01:25:58Z"));
    EXPECT_DOUBLE_EQ(sessions[0].requested_kwh, 15.5);
    EXPECT_EQ(sessions[0].declared_departure, test::utc("2020-12-01T17:59:06Z"));

    AcnImportOptions march;
    march.start = test::utc("2021-03-01T00:00:00Z");
    march.end = test::utc("2021-04-01T00:00:00Z");
    const auto in_march = load_acn_json(test::data_file(kAcnFile), march);
    EXPECT_EQ(in_march.size(), 253u);
    EXPECT_EQ(in_march.front().id, 0u);
}

TEST(AcnJson, MalformedItemsNameFileItemAndField) {
    const auto dir = test::temp_dir("acn-bad");
    const std::string good =
        R"({"connectionTime": "Tue, 01 Dec 2020 13:59:06 GMT", "disconnectTime": "Tue, 01 Dec 2020 19:33:50 GMT",
            "kWhDelivered": 7.8, "spaceID": "CA-305", "userInputs": null})";
    const auto file_error = [&](const std::filesystem::path& file) {
        return error_of<DataError>([&] { load_acn_json(file, {}); });
    };
    // The error of a file whose second item is `second_item`.
    const auto load = [&](const std::string& name, const std::string& second_item) {
        return file_error(
            write_file(dir / name, R"({"_meta": {}, "_items": [)" + good + "," + second_item + "]}"));
    };
    auto msg =
        load("missing.json",
             R"({"disconnectTime": "Tue, 01 Dec 2020 19:33:50 GMT", "kWhDelivered": 1, "spaceID": "x"})");
    EXPECT_NE(msg.find("missing.json: $._items[1].connectionTime: missing"), std::string::npos) << msg;
    msg = load(
        "date.json",
        R"({"connectionTime": "Tue, 41 Dec 2020 13:59:06 GMT", "disconnectTime": "Tue, 01 Dec 2020 19:33:50 GMT", "kWhDelivered": 1, "spaceID": "x"})");
    EXPECT_NE(msg.find("date.json: $._items[1].connectionTime: expected an RFC 1123 time"), std::string::npos)
        << msg;
    msg = load(
        "kwh.json",
        R"({"connectionTime": "Tue, 01 Dec 2020 13:59:06 GMT", "disconnectTime": "Tue, 01 Dec 2020 19:33:50 GMT", "kWhDelivered": "7", "spaceID": "x"})");
    EXPECT_NE(msg.find("kwh.json: $._items[1].kWhDelivered: expected a number of kWh"), std::string::npos)
        << msg;
    // More than any battery holds: a typing error, which would make the vehicle's battery that large.
    msg = load(
        "huge.json",
        R"({"connectionTime": "Tue, 01 Dec 2020 13:59:06 GMT", "disconnectTime": "Tue, 01 Dec 2020 19:33:50 GMT", "kWhDelivered": 1e9, "spaceID": "x"})");
    EXPECT_NE(
        msg.find(
            "huge.json: $._items[1].kWhDelivered: expected a number of kWh from 0 to 1000, got 1000000000"),
        std::string::npos)
        << msg;
    msg = load(
        "order.json",
        R"({"connectionTime": "Tue, 01 Dec 2020 13:59:06 GMT", "disconnectTime": "Tue, 01 Dec 2020 13:59:06 GMT", "kWhDelivered": 1, "spaceID": "x"})");
    EXPECT_NE(msg.find("$._items[1].disconnectTime: expected a time after connectionTime"), std::string::npos)
        << msg;
    msg = load(
        "inputs.json",
        R"({"connectionTime": "Tue, 01 Dec 2020 13:59:06 GMT", "disconnectTime": "Tue, 01 Dec 2020 19:33:50 GMT", "kWhDelivered": 1, "spaceID": "x",
                                  "userInputs": [{"kWhRequested": 5}, {"kWhRequested": 5, "requestedDeparture": "soon"}]})");
    EXPECT_NE(msg.find("$._items[1].userInputs[1].requestedDeparture: expected an RFC 1123 time"),
              std::string::npos)
        << msg;
    msg = load(
        "inputs2.json",
        R"({"connectionTime": "Tue, 01 Dec 2020 13:59:06 GMT", "disconnectTime": "Tue, 01 Dec 2020 19:33:50 GMT", "kWhDelivered": 1, "spaceID": "x", "userInputs": 3})");
    EXPECT_NE(msg.find("$._items[1].userInputs: expected null or a list"), std::string::npos) << msg;
    msg = load("item.json", "[]");
    EXPECT_NE(msg.find("$._items[1]: expected an object"), std::string::npos) << msg;

    msg = file_error(write_file(dir / "nojson.json", R"({"_items": [)"));
    EXPECT_NE(msg.find("nojson.json: invalid JSON"), std::string::npos) << msg;
    msg = file_error(write_file(dir / "noitems.json", R"({"items": []})"));
    EXPECT_NE(msg.find("$._items: expected an array"), std::string::npos) << msg;
    msg = file_error(dir / "absent.json");
    EXPECT_NE(msg.find("absent.json: cannot open the file for reading"), std::string::npos) << msg;
}

TEST(AcnJson, LargeRequestsEnlargeTheAssumedBattery) {
    const auto dir = test::temp_dir("acn-big");
    write_file(
        dir / "big.json",
        R"({"_items": [{"connectionTime": "Tue, 01 Dec 2020 13:59:06 GMT", "disconnectTime": "Tue, 01 Dec 2020 19:33:50 GMT",
               "kWhDelivered": 30, "spaceID": "CA-1", "userInputs": [{"kWhRequested": 90, "requestedDeparture": "Tue, 01 Dec 2020 12:00:00 GMT"}]}]})");
    const auto s = load_acn_json(dir / "big.json", {});
    ASSERT_EQ(s.size(), 1u);
    EXPECT_DOUBLE_EQ(s[0].requested_kwh, 90.0);
    EXPECT_NEAR(s[0].vehicle.capacity_kwh, 90.0 * 0.95 / 0.8, 1e-9);
    EXPECT_EQ(s[0].declared_departure, s[0].arrival);  // declared before arrival: clamped
    EXPECT_DOUBLE_EQ(s[0].vehicle.max_ac_kw, 7.0);
}

}  // namespace
}  // namespace evtwin

namespace evtwin {
namespace {

// Random edits of a valid export never crash the importer: it returns sessions or throws DataError.
TEST(AcnJson, MutatedFilesNeverCrash) {
    const std::string valid =
        R"({"_meta": {"site": "caltech"}, "_items": [{"connectionTime": "Tue, 01 Dec 2020 13:59:06 GMT",
        "disconnectTime": "Tue, 01 Dec 2020 19:33:50 GMT", "kWhDelivered": 7.877, "spaceID": "CA-305",
        "userInputs": [{"kWhRequested": 15.5, "requestedDeparture": "Tue, 01 Dec 2020 17:59:06 GMT"}]},
        {"connectionTime": "Wed, 02 Dec 2020 08:00:00 GMT", "disconnectTime": "Wed, 02 Dec 2020 09:00:00 GMT",
        "kWhDelivered": 3, "spaceID": "CA-306", "userInputs": null}]})";
    const std::string replacements = "{}[]\",:0123456789.-e nulltrue";
    const auto dir = test::temp_dir("acn-fuzz");
    Rng rng(99);
    int parsed = 0;
    for (int round = 0; round < 1500; ++round) {
        std::string text = valid;
        const int edits = 1 + static_cast<int>(rng.below(3));
        for (int e = 0; e < edits; ++e) {
            const std::size_t at = rng.below(text.size());
            switch (rng.below(3)) {
                case 0:
                    text[at] = replacements[rng.below(replacements.size())];
                    break;
                case 1:
                    text.erase(at, 1 + rng.below(8));
                    break;
                default:
                    text.insert(at, 1, replacements[rng.below(replacements.size())]);
                    break;
            }
        }
        write_file(dir / "f.json", text);
        try {
            const auto s = load_acn_json(dir / "f.json", {});
            ++parsed;
            for (const auto& x : s) {
                EXPECT_GT(x.departure, x.arrival);
                EXPECT_GE(x.declared_departure, x.arrival);
                EXPECT_GE(x.requested_kwh, 0.0);
            }
        } catch (const DataError&) {
        }
    }
    EXPECT_GT(parsed, 0);  // some edits (inside strings, digits) leave a valid export
}

}  // namespace
}  // namespace evtwin
