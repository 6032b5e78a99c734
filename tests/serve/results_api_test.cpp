// The results routes (GET /v1/results/...) against real runs of scenarios/quickstart.lua written by
// `evtwin run`: the numbers they answer are the database's as the results reader gives them, every
// answer validates against the OpenAPI document, and bad requests get their status and the name
// of the parameter.
#include "http_client.hpp"
#include "openapi_schema.hpp"

#include "record/reader/run_reader.hpp"
#include "record/schema/sqlite_db.hpp"
#include "serve/net/http_server.hpp"
#include "serve/plan/api.hpp"
#include "serve/results/results_api.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace evtwin::serve {
namespace {

using test::http_request;
using test::HttpReply;
using test::schema_errors;

constexpr const char* kToken = "fedcba9876543210fedcba9876543210";

std::filesystem::path run_quickstart(const std::filesystem::path& db, const std::string& strategy, int seed) {
    const auto result = evtwin::test::run_command(
        evtwin::test::evtwin_command() + " run " +
        evtwin::test::source_file("scenarios/quickstart.lua").string() + " --quiet --strategy " + strategy +
        " --seed " + std::to_string(seed) + " --db " + db.string());
    EXPECT_EQ(result.exit_code, 0) << result.output;
    return db;
}

// The integral of a step series' value over [from, to), in value-hours, split by sign.
struct Split {
    double positive = 0;
    double negative = 0;
};
template <class Rows, class Value>
Split integrate(const Rows& rows, Time from, Time to, Time data_end, Value value) {
    Split s;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const Time a = std::max(rows[i].t, from);
        const Time b = std::min({i + 1 < rows.size() ? rows[i + 1].t : data_end, to, data_end});
        if (!(a < b)) continue;
        const double x = value(rows[i]) * static_cast<double>(b.ms() - a.ms()) / 3.6e6;
        (x > 0 ? s.positive : s.negative) += std::abs(x);
    }
    return s;
}

class ResultsRoutes : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        const auto dir = evtwin::test::temp_dir("serve_results");
        first_ = new std::filesystem::path(run_quickstart(dir / "week.db", "uncontrolled", 42));
        run_quickstart(*first_, "edf", 42);
        second_ = new std::filesystem::path(run_quickstart(dir / "other.db", "edf", 7));
        fleet_ = new std::filesystem::path(dir / "fleet.db");
        const auto fleet = evtwin::test::run_command(
            evtwin::test::evtwin_command() + " run " +
            evtwin::test::source_file("bench/scenarios/year_200_chargers.lua").string() +
            " --quiet -D days=14 -D fleet=150 --db " + fleet_->string());
        EXPECT_EQ(fleet.exit_code, 0) << fleet.output;
    }
    static void TearDownTestSuite() {
        delete first_;
        delete second_;
        delete fleet_;
    }
    void SetUp() override {
        const auto dir = evtwin::test::temp_dir(
            std::string("serve_results_") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        PlannerConfig config;
        config.db = dir / "plans.db";
        config.work_dir = dir / "work";
        planner_ = std::make_unique<Planner>(config);
        library_ =
            std::make_unique<ResultsLibrary>(std::vector<std::filesystem::path>{*first_, *second_, *fleet_});
        routes_ = std::make_unique<ResultsApi>(*library_);
        api_ = std::make_unique<Api>(*planner_, ApiConfig{kToken, dir / "web", {}, {}});
        api_->set_results(
            [this](const HttpRequest& r, const std::string& path) { return routes_->handle(r, path); });
        HttpServerOptions options;
        options.port = 0;
        options.threads = 2;
        server_ = std::make_unique<HttpServer>(
            options, [this](const HttpRequest& r) { return api_->handle(r); }, nullptr);
        thread_ = std::thread([this] { server_->run(); });
    }
    void TearDown() override {
        server_->stop();
        thread_.join();
    }

    nlohmann::json get_json(const std::string& target, const std::string& schema) {
        const HttpReply reply = http_request(server_->port(), "GET", target, "", kToken);
        EXPECT_EQ(reply.status, 200) << target << ": " << reply.body;
        nlohmann::json body = nlohmann::json::parse(reply.body);
        EXPECT_EQ(schema_errors(body, schema), "") << target;
        return body;
    }
    void expect_error(const std::string& target, int status, const std::string& parameter,
                      const std::string& method = "GET", const std::string& token = kToken) {
        const HttpReply reply = http_request(server_->port(), method, target, "", token);
        EXPECT_EQ(reply.status, status) << target << ": " << reply.body;
        const nlohmann::json body = nlohmann::json::parse(reply.body);
        EXPECT_EQ(schema_errors(body, "Error"), "");
        EXPECT_EQ(body["error"]["path"], parameter) << target << ": " << reply.body;
    }

    static inline std::filesystem::path* first_ = nullptr;
    static inline std::filesystem::path* second_ = nullptr;
    static inline std::filesystem::path* fleet_ = nullptr;
    std::unique_ptr<Planner> planner_;
    std::unique_ptr<ResultsLibrary> library_;
    std::unique_ptr<ResultsApi> routes_;
    std::unique_ptr<Api> api_;
    std::unique_ptr<HttpServer> server_;
    std::thread thread_;
};

TEST_F(ResultsRoutes, ListsEveryRunOfEveryFileWithItsKpisAndFilters) {
    const nlohmann::json all = get_json("/v1/results/runs", "ResultsRuns");
    ASSERT_EQ(all["runs"].size(), 4u);
    EXPECT_EQ(all["files"], nlohmann::json({"week.db", "other.db", "fleet.db"}));
    EXPECT_EQ(all["runs"][0]["id"], "1-1");
    EXPECT_EQ(all["runs"][1]["id"], "1-2");
    EXPECT_EQ(all["runs"][2]["id"], "2-1");
    const RunReader reader(*first_);
    for (const Kpi& k : reader.kpis(2))
        if (k.reproducible && std::isfinite(k.value)) {
            EXPECT_EQ(all["runs"][1]["kpis"][k.name].get<double>(), k.value) << k.name;
            EXPECT_EQ(all["kpi_units"][k.name], k.unit);
        }
    const nlohmann::json edf = get_json("/v1/results/runs?strategy=edf", "ResultsRuns");
    ASSERT_EQ(edf["runs"].size(), 3u);
    EXPECT_EQ(edf["runs"][1]["id"], "2-1");
    const nlohmann::json seeded =
        get_json("/v1/results/runs?strategy=edf&seed=7&status=complete", "ResultsRuns");
    ASSERT_EQ(seeded["runs"].size(), 1u);
    EXPECT_EQ(seeded["runs"][0]["seed"], 7);
    EXPECT_EQ(get_json("/v1/results/runs?scenario=elsewhere", "ResultsRuns")["runs"].size(), 0u);
    EXPECT_EQ(all["total"], 4);
    EXPECT_EQ(all["scenarios"], nlohmann::json({"quickstart", "year_200_chargers"}));
    const nlohmann::json page = get_json("/v1/results/runs?strategy=edf&offset=1&limit=1", "ResultsRuns");
    EXPECT_EQ(page["total"], 3);
    ASSERT_EQ(page["runs"].size(), 1u);
    EXPECT_EQ(page["runs"][0]["id"], "2-1");
    EXPECT_EQ(page["scenarios"], all["scenarios"]);
}

TEST_F(ResultsRoutes, ARunGivesItsSiteAndEveryKpiWithItsUnit) {
    const nlohmann::json run = get_json("/v1/results/runs/1-2", "ResultsRun");
    EXPECT_EQ(run["strategy"], "edf");
    EXPECT_EQ(run["timezone"], "Asia/Seoul");
    EXPECT_EQ(run["site"]["grid_import_kw"], 150.0);
    EXPECT_EQ(run["site"]["chargers"].size(), 20u);
    EXPECT_EQ(run["site"]["chargers"][0]["v2g"], true);
    ASSERT_EQ(run["site"]["ess"].size(), 1u);
    EXPECT_EQ(run["site"]["ess"][0]["grid_charge"], true);
    EXPECT_EQ(run["site"]["ess"][0]["grid_discharge"], true);
    EXPECT_EQ(run["site"]["ess"][0]["priority"], 0);
    const RunReader reader(*first_);
    EXPECT_EQ(run["kpi_list"].size(), reader.kpis(2).size());
}

TEST_F(ResultsRoutes, SitePowerIsTheDatabasesAveragedOverEachBucket) {
    const RunReader reader(*first_);
    const RunRecord run = reader.run(1);
    const nlohmann::json power = get_json("/v1/results/runs/1-1/power?points=7", "ResultsPower");
    ASSERT_EQ(power["t_ms"].size(), 7u);  // a week in days
    const auto rows = reader.site_series(1);
    const auto grid = [](const SiteRow& r) { return r.s.grid_kw; };
    for (std::size_t b = 0; b < 7; ++b) {
        const Time from(power["t_ms"][b].get<std::int64_t>());
        const Time to = from + Duration(power["bucket_ms"].get<std::int64_t>());
        const Split s = integrate(rows, from, to, run.data_end(), grid);
        const double hours = static_cast<double>((to - from).ms()) / 3.6e6;
        EXPECT_NEAR(power["grid_kw"][b].get<double>(), (s.positive - s.negative) / hours, 1e-9) << b;
    }
    double import_kpi = 0;
    for (const Kpi& k : reader.kpis(1))
        if (k.name == "grid_import") import_kpi = k.value;
    EXPECT_NEAR(power["energy"]["grid_import_kwh"].get<double>(), import_kpi, 1e-9 * import_kpi);

    // A window of the second day in 15-minute buckets: its first bucket starts where it was asked.
    const std::int64_t day = run.start.ms() + 86'400'000;
    const nlohmann::json window = get_json("/v1/results/runs/1-1/power?from_ms=" + std::to_string(day) +
                                               "&to_ms=" + std::to_string(day + 86'400'000) + "&points=96",
                                           "ResultsPower");
    EXPECT_EQ(window["t_ms"][0], day);
    EXPECT_EQ(window["bucket_ms"], 900'000);
    const Split s = integrate(rows, Time(day), Time(day + 86'400'000), run.data_end(), grid);
    EXPECT_NEAR(window["energy"]["grid_import_kwh"].get<double>(), s.positive, 1e-9);
    EXPECT_NEAR(window["energy"]["grid_export_kwh"].get<double>(), s.negative, 1e-9);
}

TEST_F(ResultsRoutes, StationsGiveEachChargersEnergyOverALocalDate) {
    const RunReader reader(*first_);
    const RunRecord run = reader.run(2);
    const nlohmann::json day = get_json("/v1/results/runs/1-2/stations?date=2024-07-02", "ResultsStations");
    // Seoul is UTC+9 without DST: 2 July local is 1 July 15:00 UTC to 2 July 15:00 UTC.
    EXPECT_EQ(day["from_ms"], 1719846000000);
    EXPECT_EQ(day["to_ms"], 1719932400000);
    ASSERT_EQ(day["stations"].size(), 20u);
    double total = 0;
    for (const nlohmann::json& s : day["stations"]) {
        const auto c = s["index"].get<ConnectorIndex>();  // one connector per charger here
        const auto rows = reader.connector_series(2, c, Time(1719846000000), Time(1719932400000));
        const Split split = integrate(rows, Time(1719846000000), Time(1719932400000), run.data_end(),
                                      [](const ConnectorRow& r) { return r.grid_kw; });
        EXPECT_NEAR(s["charged_kwh"].get<double>(), split.positive, 1e-9) << s["name"];
        EXPECT_NEAR(s["discharged_kwh"].get<double>(), split.negative, 1e-9) << s["name"];
        total += split.positive;
    }
    EXPECT_GT(total, 10.0);
    EXPECT_NEAR(day["charged_kwh"].get<double>(), total, 1e-9);
}

TEST_F(ResultsRoutes, EventsConnectorsAndLimitsOfAWindow) {
    const RunReader reader(*first_);
    const RunRecord run = reader.run(1);
    const std::int64_t from = run.start.ms() + 86'400'000, to = from + 86'400'000;
    const std::string window = "from_ms=" + std::to_string(from) + "&to_ms=" + std::to_string(to);
    std::vector<EventRow> expected;
    for (const EventRow& e : reader.events(1))
        if (e.t.ms() >= from && e.t.ms() < to) expected.push_back(e);
    const nlohmann::json events = get_json("/v1/results/runs/1-1/events?limit=5&" + window, "ResultsEvents");
    EXPECT_EQ(events["total"], expected.size());
    EXPECT_EQ(events["truncated"], expected.size() > 5);
    ASSERT_EQ(events["events"].size(), std::min<std::size_t>(5, expected.size()));
    EXPECT_EQ(events["events"][0]["t_ms"], expected[0].t.ms());
    const nlohmann::json arrivals =
        get_json("/v1/results/runs/1-1/events?kind=arrival&" + window, "ResultsEvents");
    for (const nlohmann::json& e : arrivals["events"]) EXPECT_EQ(e["kind"], "arrival");

    const nlohmann::json connectors =
        get_json("/v1/results/runs/1-1/connectors?points=24&" + window, "ResultsConnectors");
    ASSERT_EQ(connectors["connectors"].size(), 20u);
    EXPECT_EQ(connectors["connectors"][0]["kw"].size(), 24u);

    const nlohmann::json limits = get_json("/v1/results/runs/1-1/limits?" + window, "ResultsLimits");
    EXPECT_EQ(limits["grid_import_kw"], 150.0);
    ASSERT_FALSE(limits["prices"].empty());
    EXPECT_LE(limits["prices"][0]["t_ms"].get<std::int64_t>(), from);  // the price in force at the start
    for (const nlohmann::json& p : limits["prices"]) EXPECT_LT(p["t_ms"].get<std::int64_t>(), to);
}

TEST_F(ResultsRoutes, BadRequestsNameTheParameterAndUnknownRunsAre404) {
    expect_error("/v1/results/runs/1-9", 404, "");
    expect_error("/v1/results/runs/4-1/power", 404, "");
    expect_error("/v1/results/runs/3-1/batteries?vehicle=nobody", 422, "vehicle");
    expect_error("/v1/results/runs/p000001", 404, "");
    expect_error("/v1/results/runs/1-1/power?from_ms=soon", 422, "from_ms");
    expect_error("/v1/results/runs/1-1/power?points=0", 422, "points");
    expect_error("/v1/results/runs/3-1/connectors?points=10000", 422, "points");  // 200 connectors
    expect_error("/v1/results/runs/1-1/power?to_ms=1000", 422, "to_ms");
    expect_error("/v1/results/runs/1-1/power?from_ms=99999999999999", 422, "from_ms");
    expect_error("/v1/results/runs/1-1/power?colour=red", 422, "colour");
    expect_error("/v1/results/runs/1-1/power?points=5&points=6", 422, "points");
    expect_error("/v1/results/runs/1-1/stations?date=2024-02-30", 422, "date");
    expect_error("/v1/results/runs/1-1/stations?date=2023-07-02", 422, "date");
    expect_error("/v1/results/runs/1-1/events?kind=party", 422, "kind");
    expect_error("/v1/results/runs?status=done", 422, "status");
    expect_error("/v1/results/runs?seed=-1", 422, "seed");
    expect_error("/v1/results/runs?limit=0", 422, "limit");
    expect_error("/v1/results/runs?offset=-2", 422, "offset");
    expect_error("/v1/results/runs", 405, "", "POST");
    expect_error("/v1/results/runs", 401, "", "GET", "");
    expect_error("/v1/results/runs/1-1/nothing", 404, "");
    EXPECT_EQ(Api::route_of("GET", "/v1/results/runs/1-1/power"), "/v1/results/runs/{id}/power");
    EXPECT_EQ(Api::route_of("GET", "/v1/results/runs/1-1"), "/v1/results/runs/{id}");
}

TEST_F(ResultsRoutes, BatteriesGiveTheFleetsGradesByModelAndAVehiclesHistory) {
    const RunReader reader(*fleet_);
    const std::vector<BatteryGradeRow> grades = reader.battery_grades(1);
    const nlohmann::json fleet = get_json("/v1/results/runs/3-1/batteries", "ResultsBatteries");
    ASSERT_EQ(fleet["vehicles"].size(), 150u);
    ASSERT_EQ(grades.size(), 150u);
    int by_grade = 0, in_groups = 0;
    for (const auto& [grade, n] : fleet["grades"].items()) by_grade += n.get<int>();
    for (const nlohmann::json& g : fleet["by_model"]) in_groups += g["vehicles"].get<int>();
    EXPECT_EQ(by_grade, 150);
    EXPECT_EQ(in_groups, 150);
    for (std::size_t i = 0; i < grades.size(); ++i) {
        EXPECT_EQ(fleet["vehicles"][i]["battery"], grades[i].battery);
        EXPECT_EQ(fleet["vehicles"][i]["score"].get<double>(), grades[i].score);
        EXPECT_EQ(fleet["vehicles"][i]["sub_scores"].size(), grades[i].sub_scores.size());
    }
    const std::string vehicle = fleet["vehicles"][0]["vehicle"];
    const nlohmann::json one =
        get_json("/v1/results/runs/3-1/batteries?vehicle=" + vehicle, "ResultsBatteries");
    std::size_t sessions = 0;
    for (const SessionRecord& s : reader.sessions(1)) sessions += s.vehicle_id == vehicle;
    EXPECT_EQ(one["history"]["points"].size(), sessions + 1);  // and the end of the run
    EXPECT_EQ(one["history"]["points"].back()["soh"], fleet["vehicles"][0]["soh_end"]);
    const nlohmann::json quickstart = get_json("/v1/results/runs/1-1/batteries", "ResultsBatteries");
    EXPECT_TRUE(quickstart["vehicles"].empty());
    ASSERT_EQ(quickstart["ess"].size(), 1u);
    EXPECT_EQ(quickstart["ess"][0]["battery"], "ess:battery");
}

TEST(ResultsLibrary, AFileThatGrowsShowsItsNewRunsAtTheNextRequest) {
    const auto dir = evtwin::test::temp_dir("serve_results_growing");
    const auto db = run_quickstart(dir / "growing.db", "uncontrolled", 1);
    const ResultsLibrary library({db});
    const ResultsApi routes(library);
    const auto runs = [&] {
        const auto reply = routes.handle({"GET", "/v1/results/runs", "", "", "", ""}, "/v1/results/runs");
        return nlohmann::json::parse(reply->body)["runs"].size();
    };
    EXPECT_EQ(runs(), 1u);
    run_quickstart(db, "edf", 1);
    EXPECT_EQ(runs(), 2u);
}

// A run still being written (as a live run is, or one whose writer died): its data ends at the
// latest instant its rows reach, not at its scheduled end.
TEST(ResultsLibrary, ARunBeingWrittenEndsAtItsLastRow) {
    const auto dir = evtwin::test::temp_dir("serve_results_running");
    const auto db = run_quickstart(dir / "running.db", "uncontrolled", 1);
    const RunRecord complete = RunReader(db).run(1);
    const std::int64_t cut = complete.start.ms() + 3 * 86'400'000;
    {
        sqlite::Db writer(db, sqlite::Db::Mode::read_write_create);
        writer.exec("UPDATE runs SET status = 'running', ended_ms = NULL");
        for (const char* table : {"site_series", "events", "decision_times"})
            writer.exec(std::string("DELETE FROM ") + table + " WHERE t_ms > " + std::to_string(cut));
    }
    const RunReader reader(db);
    const Time last = *reader.last_instant(1);
    EXPECT_LE(last.ms(), cut);
    const ResultsLibrary library({db});
    const ResultsApi routes(library);
    const auto get = [&](const std::string& target) {
        const auto reply = routes.handle({"GET", target, "", "", "", ""}, target.substr(0, target.find('?')));
        return nlohmann::json::parse(reply->body);
    };
    const nlohmann::json run = get("/v1/results/runs/1-1");
    EXPECT_EQ(run["status"], "running");
    EXPECT_EQ(run["ended_ms"], nullptr);
    EXPECT_EQ(run["data_end_ms"], last.ms());
    const nlohmann::json power = get("/v1/results/runs/1-1/power?points=10");
    EXPECT_EQ(power["to_ms"], last.ms());
    const auto rows = reader.site_series(1);
    const Split s = integrate(rows, complete.start, last, last, [](const SiteRow& r) { return r.s.grid_kw; });
    EXPECT_NEAR(power["energy"]["grid_import_kwh"].get<double>(), s.positive, 1e-9);
}

TEST(ResultsLibrary, RefusesAFileThatIsNotAResultsDatabase) {
    const auto dir = evtwin::test::temp_dir("serve_results_library");
    const auto text = evtwin::test::write_file(dir / "notes.db", "not a database");
    EXPECT_THROW(ResultsLibrary({dir / "missing.db"}), ResultsError);
    EXPECT_ANY_THROW(ResultsLibrary({text}));
}

}  // namespace
}  // namespace evtwin::serve
