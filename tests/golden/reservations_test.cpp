// End to end: scenarios with reservations run by `evtwin run`, their KPIs worked out by hand on a
// small site and checked against the events on scenarios/reserved_car_park.lua.
#include "kpi/kpis.hpp"
#include "record/reader/run_reader.hpp"
#include "scenario/scenario_loader.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <map>
#include <set>

namespace evtwin {
namespace {

std::map<std::string, double> reserved_kpis(const RunReader& reader, RunId id) {
    std::map<std::string, double> out;
    for (const Kpi& k : reader.kpis(id)) out[k.name] = k.value;
    return out;
}

test::CommandResult run_reserved(const std::filesystem::path& scenario, const std::filesystem::path& db,
                                 const std::string& more = "") {
    return test::run_command(test::evtwin_binary().string() + " run " + scenario.string() +
                             " --strategy edf --db " + db.string() + " " + more);
}

// Two 11 kW chargers. car-A reserves any connector 08:00-09:00 and gets CP1's; car-B at 08:10 takes
// CP2; a driver without a reservation at 08:20 finds no connector open to it and is rejected;
// car-A comes at 08:30 (honoured) and charges its 10 kWh. car-D's reservation at 09:00 finds both
// connectors occupied (refused); car-E's at 13:00, after everyone left at 12:00, holds CP1 until
// 13:30 and nobody comes (a no-show).
TEST(ReservationKpis, HandWorkedOnASmallSite) {
    const auto dir = test::temp_dir("reservation-kpis");
    const auto scenario = test::write_file(dir / "small.lua", R"(
scenario { name = "reserved", timezone = "Europe/Amsterdam", start = "2016-03-07", duration = days(1) }
grid { import_kw = 100 }
tariff { prices_csv = data("prices/nl_day_ahead_2016.csv"), timezone = "Europe/Amsterdam", price_scale = 0.001 }
charger { name = "CP1", max_kw = 11, efficiency = 1 }
charger { name = "CP2", max_kw = 11, efficiency = 1 }
session { arrival = "2016-03-07T08:30", departure = "2016-03-07T12:00", requested_kwh = 10, vehicle = "car-A" }
session { arrival = "2016-03-07T08:10", departure = "2016-03-07T12:00", requested_kwh = 5, vehicle = "car-B" }
session { arrival = "2016-03-07T08:20", departure = "2016-03-07T12:00", requested_kwh = 5 }
reservations { list = {
  { id_tag = "car-A", from = "2016-03-07T08:00", to = "2016-03-07T09:00" },
  { id_tag = "car-D", from = "2016-03-07T09:00", to = "2016-03-07T09:30" },
  { id_tag = "car-E", from = "2016-03-07T13:00", to = "2016-03-07T13:30" },
} }
)");
    const auto db = dir / "small.db";
    const auto result = run_reserved(scenario, db);
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_NE(result.output.find("reservations_honoured"), std::string::npos) << result.output;
    const RunReader reader(db);
    const RunId id = reader.latest_run();
    auto k = reserved_kpis(reader, id);
    EXPECT_EQ(k["reservations"], 2.0);
    EXPECT_EQ(k["reservations_refused"], 1.0);
    EXPECT_EQ(k["reservations_honoured"], 1.0);
    EXPECT_EQ(k["reservation_no_shows"], 1.0);
    EXPECT_EQ(k["reservations_cancelled"], 0.0);
    EXPECT_NEAR(k["reserved_energy"], 10.0, 1e-6);
    EXPECT_EQ(k["sessions_rejected"], 1.0);
    // The holder's session is on CP1 (connector 0), the rejected one on none.
    for (const SessionRecord& s : reader.sessions(id)) {
        if (s.vehicle_id == "car-A") {
            EXPECT_EQ(s.connector, 0u);
        } else if (s.vehicle_id.empty()) {
            EXPECT_EQ(s.connector, kNone);
        }
    }
    // The KPIs read back from the file are those gathered as the run was written, bit for bit.
    const ScenarioSpec spec = load_scenario(scenario);
    std::map<std::string, double> again;
    for (const Kpi& kpi : compute_kpis(reader, id, *spec.tariff, spec.economics))
        if (kpi.reproducible) again[kpi.name] = kpi.value;
    for (const std::string& name : reservation_kpi_names())
        EXPECT_EQ(std::bit_cast<std::uint64_t>(again[name]), std::bit_cast<std::uint64_t>(k[name])) << name;
}

class ReservedCarPark : public ::testing::Test {
protected:
    static std::filesystem::path db(const std::string& tag, const std::string& more = "") {
        static std::map<std::string, std::filesystem::path> runs;
        if (const auto it = runs.find(tag); it != runs.end()) return it->second;
        static const std::filesystem::path dir =
            test::temp_dir("reserved-car-park");  // made once: it empties
        const auto file = dir / (tag + ".db");
        const auto result = run_reserved(test::source_file("scenarios/reserved_car_park.lua"), file, more);
        EXPECT_EQ(result.exit_code, 0) << result.output;
        return runs.emplace(tag, file).first->second;
    }
};

TEST_F(ReservedCarPark, SameSeedGivesIdenticalResultsTables) {
    const RunReader a(db("a")), b(db("b"));
    EXPECT_EQ(a.results_dump(a.latest_run()), b.results_dump(b.latest_run()));
}

// Nobody but its holder plugs into a held connector; every reservation that held one ended
// honoured or as a no-show (none is cancelled in a simulation); the energy to reserved vehicles is
// that of the sessions that honoured one.
TEST_F(ReservedCarPark, HeldConnectorsGoToTheirHoldersAndTheKpisCountTheEvents) {
    const RunReader reader(db("a"));
    const RunId id = reader.latest_run();
    auto k = reserved_kpis(reader, id);
    ASSERT_GT(k["reservations"], 10.0);
    EXPECT_GT(k["reservations_honoured"], 0.0);
    EXPECT_GT(k["reservation_no_shows"], 0.0);
    EXPECT_EQ(k["reservations"], k["reservations_honoured"] + k["reservation_no_shows"]);

    std::map<ConnectorIndex, std::string> held;  // connector -> the reservation holding it
    std::set<SessionId> honouring;
    double refused = 0.0;
    for (const EventRow& e : reader.events(id)) {
        const std::string r = e.detail.substr(0, e.detail.find(' '));
        switch (e.kind) {
            case EventKind::reservation:
                EXPECT_FALSE(held.count(e.connector)) << e.detail;
                held[e.connector] = r;
                break;
            case EventKind::reservation_refused:
                ++refused;
                break;
            case EventKind::reservation_honoured:
                EXPECT_EQ(held[e.connector], r) << e.detail;
                held.erase(e.connector);
                honouring.insert(e.session);
                break;
            case EventKind::reservation_expired:
                EXPECT_EQ(held[e.connector], r) << e.detail;
                held.erase(e.connector);
                break;
            case EventKind::arrival:
                EXPECT_FALSE(held.count(e.connector)) << "session " << e.session << " took connector "
                                                      << e.connector << ", held by " << held[e.connector];
                break;
            default:
                break;
        }
    }
    EXPECT_EQ(refused, k["reservations_refused"]);
    EXPECT_EQ(static_cast<double>(honouring.size()), k["reservations_honoured"]);
    double energy = 0.0;
    for (const SessionRecord& s : reader.sessions(id))
        if (honouring.count(s.id)) energy += s.delivered_kwh;
    EXPECT_NEAR(energy, k["reserved_energy"], 1e-9);
    EXPECT_GT(energy, 0.0);
}

TEST_F(ReservedCarPark, WithoutReservationsARunHasTheKpisOfEveryRun) {
    const RunReader reader(db("none", "-D share=0"));
    std::vector<std::string> names;
    for (const Kpi& k : reader.kpis(reader.latest_run())) names.push_back(k.name);
    EXPECT_EQ(names, kpi_names());
}

// evtwin compare takes the reservation KPIs as columns (they are not among every run's).
TEST_F(ReservedCarPark, CompareShowsTheReservationKpis) {
    const auto file = test::temp_dir("reserved-car-park-compare") / "compare.db";
    const auto result = test::run_command(
        test::evtwin_binary().string() + " compare " +
        test::source_file("scenarios/reserved_car_park.lua").string() +
        " --strategies edf,uncontrolled --seeds 1 --kpis reservations_honoured,reserved_energy --db " +
        file.string());
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_NE(result.output.find("reservations_honoured"), std::string::npos) << result.output;
    EXPECT_NE(result.output.find("reserved_energy"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace evtwin
