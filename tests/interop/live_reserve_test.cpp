// Reservations end to end with real peers: `evtwin serve --clock step` and two ocpp-rpc clients in
// strict mode with validators built from the official schemas (tests/interop/live_reserve.mjs), an
// OCPP 2.0.1 charging station and an OCPP 1.6 charge point. Each gets ReserveNow through
// POST /v1/reservations, the 1.6 one CancelReservation through DELETE, and the 2.0.1 holder's
// transaction honours its reservation; a frame of the central system that broke a schema would be
// refused by the peer and listed as a failure.
#include "interop/central_system_port.hpp"
#include "record/schema/sqlite_db.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>

namespace evtwin::test {
namespace {

using nlohmann::json;

constexpr const char* kReserveSite = R"(
scenario { name = "live-reserve", timezone = "UTC", start = "2024-07-01", duration = hours(4) }
grid { import_kw = 40 }
charger { name = "A", max_kw = 11, efficiency = 1.0 }
charger { name = "B", max_kw = 11, efficiency = 1.0 }
TARIFF
live { charge_points = { ["CP-A"] = "A", ["CP-B"] = "B" } }
)";

std::vector<json> received(const json& played, const std::string& cp, const std::string& method) {
    std::vector<json> out;
    for (const json& r : played["received"][cp])
        if (r["method"] == method) out.push_back(r["params"]);
    return out;
}

TEST(LiveReserve, OcppRpcPeersGetReserveNowAndCancelReservationInTheirVersions) {
    EVTWIN_REQUIRE_TOOL(have_program("node"),
                        "node is not installed: this test needs Node.js and ocpp-rpc (scripts/install-deps)");
    ASSERT_TRUE(std::filesystem::exists(source_file("tests/interop/node_modules/ocpp-rpc/package.json")))
        << "ocpp-rpc is not installed: run scripts/install-deps (npm ci --prefix tests/interop)";
    const auto dir = temp_dir("live_reserve");
    std::string text = kReserveSite;
    text.replace(text.find("TARIFF"), 6,
                 "tariff { file = \"" +
                     source_file("scenarios/tariffs/norway_household_flat_illustrative.json").string() +
                     "\" }");
    const auto site = write_file(dir / "site.lua", text);
    const auto db = dir / "live.db";
    const Background server =
        start_background({evtwin_binary().string(), "serve", "--listen", "127.0.0.1:0", "--db", db.string(),
                          "--scenario", site.string(), "--strategy", "edf", "--clock", "step"},
                         dir / "serve.txt");
    const int port = central_system_port(dir / "serve.txt");
    ASSERT_GT(port, 0) << read_file(dir / "serve.txt");
    const auto peers =
        run_command("node " + source_file("tests/interop/live_reserve.mjs").string() +
                    " http://127.0.0.1:" + std::to_string(port) + " " + db.string() + ".token " +
                    data_file("ocpp/schemas").string() + " " + (dir / "reserve.json").string());
    ::kill(server.pid, SIGTERM);
    EXPECT_EQ(wait_for_exit(server), 0) << read_file(dir / "serve.txt");
    ASSERT_EQ(peers.exit_code, 0) << peers.output;
    const json played = json::parse(read_file(dir / "reserve.json"));
    EXPECT_TRUE(played["failures"].empty()) << played["failures"].dump(1);

    std::map<std::string, int> statuses;  // "METHOD route" -> status
    for (const json& a : played["api"])
        statuses[a["method"].get<std::string>() + " " + a["route"].get<std::string>()] =
            a["status"].get<int>();
    const json& answers = played["api"];
    ASSERT_GE(answers.size(), 5u) << answers.dump(1);
    EXPECT_EQ(answers[1]["status"], 201) << answers[1].dump();
    EXPECT_EQ(answers[2]["status"], 201) << answers[2].dump();
    EXPECT_EQ(statuses["DELETE /v1/reservations/2"], 200);

    const std::vector<json> a = received(played, "CP-A", "ReserveNow");
    ASSERT_EQ(a.size(), 1u) << played["received"].dump(1);
    EXPECT_EQ(a[0]["id"], 1);
    EXPECT_EQ(a[0]["evseId"], 1);
    EXPECT_EQ(a[0]["idToken"]["idToken"], "car-17");
    const std::vector<json> b = received(played, "CP-B", "ReserveNow");
    ASSERT_EQ(b.size(), 1u) << played["received"].dump(1);
    EXPECT_EQ(b[0]["connectorId"], 1);
    EXPECT_EQ(b[0]["idTag"], "TAG-8");
    EXPECT_EQ(b[0]["reservationId"], 2);
    const std::vector<json> cancel = received(played, "CP-B", "CancelReservation");
    ASSERT_EQ(cancel.size(), 1u);
    EXPECT_EQ(cancel[0]["reservationId"], 2);

    const json& listed = answers.back()["body"]["reservations"];
    ASSERT_EQ(listed.size(), 2u) << answers.back().dump(1);
    EXPECT_EQ(listed[0]["state"], "honoured");
    EXPECT_EQ(listed[0]["session"], 1);
    EXPECT_EQ(listed[1]["state"], "cancelled");

    sqlite::Db results(db, sqlite::Db::Mode::read_only);
    sqlite::Stmt kinds(results,
                       "SELECT kind, count(*) FROM events WHERE kind LIKE 'reservation%' GROUP BY kind");
    std::map<std::string, std::int64_t> events;
    while (kinds.step()) events[kinds.text(0)] = kinds.int64(1);
    EXPECT_EQ(events["reservation"], 2);
    EXPECT_EQ(events["reservation_honoured"], 1);
    EXPECT_EQ(events["reservation_cancelled"], 1);
}

}  // namespace
}  // namespace evtwin::test
