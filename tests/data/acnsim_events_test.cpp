// acnportal's serialised event queue: the import reproduces its sessions exactly; bad documents
// name what is wrong.
#include "data/arrivals.hpp"
#include "data/gzip_file.hpp"
#include "data_checks.hpp"
#include "model/local_time.hpp"
#include "support/mutation.hpp"
#include "support/test_support.hpp"
#include "util/rng.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>

namespace evtwin {
namespace {

using test::error_of;
using test::mutate;
using test::session_file;
using test::write_file;
using ::testing::HasSubstr;

const char* kAcnSim = "acnsim_events_caltech_2019-03_5m_208V_6.6kW.json.gz";

// python3 -c "import gzip,json,math;d=json.loads(json.load(gzip.open('../shared/data/sessions/acnsim_events_caltech_2019-03_5m_208V_6.6kW.json.gz')));c=d['context_dict'];e=[c[c[i]['attributes']['ev']]['attributes'] for t,i in c[d['id']]['attributes']['_queue'] if c[i]['class'].endswith('PluginEvent')];print(len(e),math.fsum(x['_requested_energy'] for x in e),sum(x['_arrival'] for x in e),sum(x['_departure'] for x in e),sum(x['_estimated_departure'] for x in e))"
// -> 954 8900.52210185185 4252352 4326813 4326813 (every battery: capacity = requested, init 0, 6.6 kW)
TEST(AcnSimEvents, ReproducesCountEnergyAndPeriods) {
    const auto sessions = load_acnsim_events(session_file(kAcnSim), {});
    ASSERT_EQ(sessions.size(), 954u);
    // Period 0 is local midnight of 2019-03-01 in Pasadena (PST, UTC-8): the session ids carry the
    // UTC plug-in time, e.g. 2019-03-01 14:24:58 for period 76 = 06:20 PST.
    const Time origin = parse_time("2019-03-01T08:00:00Z", TimeZone("UTC"));
    test::CompensatedSum requested;
    std::int64_t arrival = 0, departure = 0, declared = 0;
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        const auto& s = sessions[i];
        EXPECT_EQ(s.id, i);
        ASSERT_EQ(s.vehicle.curve.size(), 2u);  // acnportal's ideal Battery: flat to full
        EXPECT_EQ(s.vehicle.curve.back().fraction, 1.0);
        const auto period = [&](Time t) {
            EXPECT_EQ((t - origin).ms() % 300'000, 0);
            return (t - origin).ms() / 300'000;
        };
        arrival += period(s.arrival);
        departure += period(s.departure);
        declared += period(s.declared_departure);
        requested.add(s.requested_kwh);
        EXPECT_DOUBLE_EQ(s.vehicle.capacity_kwh, s.requested_kwh);
        EXPECT_EQ(s.initial_soc, 0.0);
        EXPECT_EQ(s.vehicle.max_ac_kw, 6.6);
        // Lossless as in acnportal: the request fills the battery exactly.
        EXPECT_LE(s.initial_soc * s.vehicle.capacity_kwh + s.requested_kwh * s.vehicle.charge_efficiency,
                  s.vehicle.capacity_kwh * (1 + 1e-12));
        EXPECT_FALSE(s.station.empty());
    }
    EXPECT_NEAR(requested.value(), 8900.52210185185, 1e-9);
    EXPECT_EQ(arrival, 4252352);
    EXPECT_EQ(departure, 4326813);
    EXPECT_EQ(declared, 4326813);
    EXPECT_EQ(sessions.front().station, "CA-315");
    EXPECT_EQ(format_utc(sessions.front().arrival), "2019-03-01T14:20:00.000Z");
    EXPECT_EQ(format_utc(sessions.front().departure), "2019-03-01T15:40:00.000Z");
    EXPECT_DOUBLE_EQ(sessions.front().requested_kwh, 4.216);

    // Another origin and period shift and stretch every time.
    AcnSimOptions other;
    other.start_local = "2019-03-02T00:00";
    other.timezone = "UTC";
    other.period = Duration::minutes(1);
    const auto shifted = load_acnsim_events(session_file(kAcnSim), other);
    ASSERT_EQ(shifted.size(), 954u);
    EXPECT_EQ(format_utc(shifted.front().arrival), "2019-03-02T01:16:00.000Z");
}

// 30 sessions ask more than 6.6 kW delivers in their stay, 10.353 kWh in all:
// python3 -c "import gzip,json,math;d=json.loads(json.load(gzip.open('../shared/data/sessions/acnsim_events_caltech_2019-03_5m_208V_6.6kW.json.gz')));c=d['context_dict'];e=[c[c[i]['attributes']['ev']]['attributes'] for t,i in c[d['id']]['attributes']['_queue'] if c[i]['class'].endswith('PluginEvent')];f=[min(x['_requested_energy'],6.6*(x['_departure']-x['_arrival'])/12) for x in e];print(math.fsum(f),sum(a<x['_requested_energy'] for a,x in zip(f,e)))"
// -> 8890.16910185185 30
TEST(AcnSimEvents, ForceFeasibleCapsEachRequestAtWhatItsStayAllows) {
    const auto as_recorded = load_acnsim_events(session_file(kAcnSim), {});
    AcnSimOptions feasible;
    feasible.force_feasible = true;
    const auto capped = load_acnsim_events(session_file(kAcnSim), feasible);
    ASSERT_EQ(capped.size(), as_recorded.size());
    test::CompensatedSum requested;
    int lowered = 0;
    for (std::size_t i = 0; i < capped.size(); ++i) {
        const double stay_h = (capped[i].departure - capped[i].arrival).hours_f();
        const double most = capped[i].vehicle.max_ac_kw * stay_h;
        EXPECT_DOUBLE_EQ(capped[i].requested_kwh, std::min(as_recorded[i].requested_kwh, most));
        if (capped[i].requested_kwh < as_recorded[i].requested_kwh) ++lowered;
        requested.add(capped[i].requested_kwh);
    }
    EXPECT_EQ(lowered, 30);
    EXPECT_NEAR(requested.value(), 8890.16910185185, 1e-9);
}

std::string acnsim_document(const std::string& ev_attributes, const std::string& battery_attributes,
                            const std::string& event_attributes = R"({"timestamp": 10, "ev": "2"})") {
    const std::string inner =
        R"({"id": "1", "context_dict": {)"
        R"("1": {"class": "acnportal.acnsim.events.event_queue.EventQueue", "attributes": {"_queue": [[10, "4"]]}},)"
        R"("4": {"class": "acnportal.acnsim.events.event.PluginEvent", "attributes": )" +
        event_attributes + "}," + R"("2": {"class": "acnportal.acnsim.models.ev.EV", "attributes": )" +
        ev_attributes + "}," + R"("3": {"class": "acnportal.acnsim.models.battery.Battery", "attributes": )" +
        battery_attributes + "}}}";
    return nlohmann::json(inner).dump();  // a JSON string holding the JSON, as acnportal writes it
}

const std::string kEv =
    R"({"_arrival": 10, "_departure": 20, "_estimated_departure": 18, "_requested_energy": 5, "_station_id": "S1", "_battery": "3"})";
const std::string kBattery = R"({"_capacity": 50, "_init_charge": 10, "_max_power": 7.2})";

TEST(AcnSimEvents, SmallDocumentAndItsErrors) {
    const auto dir = test::temp_dir("acnsim");
    AcnSimOptions o;
    o.start_local = "2024-01-01T00:00:00Z";
    const auto good = load_acnsim_events(write_file(dir / "good.json", acnsim_document(kEv, kBattery)), o);
    ASSERT_EQ(good.size(), 1u);
    EXPECT_EQ(format_utc(good[0].arrival), "2024-01-01T00:50:00.000Z");
    EXPECT_EQ(format_utc(good[0].departure), "2024-01-01T01:40:00.000Z");
    EXPECT_EQ(format_utc(good[0].declared_departure), "2024-01-01T01:30:00.000Z");
    EXPECT_DOUBLE_EQ(good[0].initial_soc, 0.2);
    EXPECT_DOUBLE_EQ(good[0].vehicle.capacity_kwh, 50.0);
    EXPECT_DOUBLE_EQ(good[0].vehicle.max_ac_kw, 7.2);
    EXPECT_EQ(good[0].station, "S1");

    const auto error = [&](const std::string& name, const std::string& content) {
        return error_of<DataError>([&] { load_acnsim_events(write_file(dir / name, content), o); });
    };
    EXPECT_THAT(error("json.json", "\"{\\\"id\\\": "), HasSubstr("json.json: invalid JSON"));
    EXPECT_THAT(error("shape.json", "[1, 2]"),
                HasSubstr("shape.json: $: expected acnportal's serialised object"));
    EXPECT_THAT(
        error(
            "arrival.json",
            acnsim_document(
                R"({"_arrival": 1.5, "_departure": 20, "_requested_energy": 5, "_station_id": "S1", "_battery": "3"})",
                kBattery)),
        HasSubstr("arrival.json: $._queue[0] (PluginEvent).ev._arrival: expected a period index (an integer "
                  ">= 0), got 1.5"));
    EXPECT_THAT(
        error(
            "order.json",
            acnsim_document(
                R"({"_arrival": 10, "_departure": 10, "_requested_energy": 5, "_station_id": "S1", "_battery": "3"})",
                kBattery)),
        HasSubstr("order.json: $._queue[0] (PluginEvent).ev._departure: expected a period after _arrival"));
    EXPECT_THAT(error("battery.json", acnsim_document(kEv, R"({"_capacity": 50, "_init_charge": 60})")),
                HasSubstr("battery.json: $._queue[0] (PluginEvent).ev._battery._init_charge: expected at "
                          "most the capacity"));
    EXPECT_THAT(error("energy.json", acnsim_document(kEv, R"({"_capacity": "big", "_init_charge": 0})")),
                HasSubstr("energy.json: $._queue[0] (PluginEvent).ev._battery._capacity: expected a number "
                          "from 0 to 1e15, got \"big\""));
    EXPECT_THAT(error("huge.json", acnsim_document(kEv, R"({"_capacity": 1e300, "_init_charge": 0})")),
                HasSubstr("huge.json: $._queue[0] (PluginEvent).ev._battery._capacity: expected a number "
                          "from 0 to 1e15, got 1e+300"));
    EXPECT_THAT(error("ref.json", acnsim_document(kEv, kBattery, R"({"timestamp": 10, "ev": "99"})")),
                HasSubstr("ref.json: $._queue[0] (PluginEvent).ev: no object with id 99 in $.context_dict"));
    EXPECT_THAT(
        error("ts.json", acnsim_document(kEv, kBattery, R"({"timestamp": 11, "ev": "2"})")),
        HasSubstr("ts.json: $._queue[0] (PluginEvent).timestamp: expected the EV's _arrival (10), got 11"));
    EXPECT_THAT(error("class.json", acnsim_document(kEv, kBattery, R"({"timestamp": 10, "ev": "3"})")),
                HasSubstr("class.json: $.context_dict[\"3\"]: expected a EV (referred to by $._queue[0] "
                          "(PluginEvent).ev), got class"));
    const std::string gz = test::read_file(session_file(kAcnSim));
    EXPECT_THAT(error("cut.json.gz", gz.substr(0, 1000)), HasSubstr("cut.json.gz: truncated gzip data"));
    AcnSimOptions bad_zone;
    bad_zone.timezone = "Mars/Olympus";
    EXPECT_THAT(error_of<DataError>([&] { load_acnsim_events(dir / "good.json", bad_zone); }),
                HasSubstr("good.json: ACN-Sim option start/timezone"));
}

TEST(AcnSimEvents, MutatedDocumentsLoadOrThrowDataError) {
    const auto dir = test::temp_dir("acnsim-fuzz");
    Rng rng = Rng::stream(5, "acnsim-fuzz");
    const std::string doc = nlohmann::json::parse(acnsim_document(kEv, kBattery)).get<std::string>();
    const std::string_view alphabet = "{}[]\":,0123456789.-ex\\ ";
    int loaded = 0, rejected = 0;
    for (int i = 0; i < 400; ++i) {
        std::string input = doc;
        mutate(input, rng, alphabet, 3, 4);
        try {
            for (const auto& s : load_acnsim_events(write_file(dir / "f.json", input), {})) {
                ASSERT_GT(s.departure, s.arrival);
                ASSERT_GE(s.initial_soc, 0.0);
                ASSERT_LE(s.initial_soc, 1.0);
            }
            ++loaded;
        } catch (const DataError& e) {
            ASSERT_THAT(e.what(), HasSubstr("f.json")) << e.what();
            ++rejected;
        }
    }
    EXPECT_GT(loaded, 10);
    EXPECT_GT(rejected, 10);
}

}  // namespace
}  // namespace evtwin
