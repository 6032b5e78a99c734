// The HTTP API as a client sees it: tokens, the plan round trip, responses that match the OpenAPI
// document, every bad request answered with the right status and a JSON error, fuzzed bodies,
// concurrent clients and a graceful stop with a request in flight.
#include "http_client.hpp"
#include "openapi_schema.hpp"
#include "serve_test_support.hpp"

#include "serve/net/http_server.hpp"
#include "serve/plan/api.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <random>
#include <thread>

#include <evtwin/plugin.hpp>

namespace {

// A strategy that, at its first decision, says it has started and waits to be released: a request
// that is surely in flight.
std::atomic<bool> held_started{false};
std::atomic<bool> held_release{false};

class HeldStrategy final : public evtwin::Strategy {
public:
    explicit HeldStrategy(const evtwin::StrategyOptions&) {}
    void decide(const evtwin::Observation&, evtwin::Decision&) override {
        held_started = true;
        for (int i = 0; i < 30'000 && !held_release; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
};

}  // namespace

EVTWIN_DESCRIPTOR_FOR(HeldStrategy, "held", "1.0.0")
static const evtwin::detail::StaticStrategyRegistrar held_registrar(&evtwin_descriptor_HeldStrategy);

namespace evtwin::serve {
namespace {

using test::http_request;
using test::HttpReply;
using test::schema_errors;

constexpr const char* kToken = "0123456789abcdef0123456789abcdef";

// A server on a free loopback port, serving from a thread until the fixture ends.
class ApiServer : public ::testing::Test {
protected:
    void SetUp() override { start(1 << 20); }
    void TearDown() override { stop(); }

    void start(std::size_t max_body) {
        const auto dir = evtwin::test::temp_dir(
            std::string("serve_api_") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        PlannerConfig config;
        config.db = dir / "plans.db";
        config.work_dir = dir / "work";
        web_dir_ = dir / "web";
        evtwin::test::write_file(web_dir_ / "index.html", "<!doctype html><title>planner</title>");
        planner_ = std::make_unique<Planner>(config);
        api_ = std::make_unique<Api>(*planner_, ApiConfig{kToken, web_dir_, {}, {}});
        HttpServerOptions options;
        options.port = 0;
        options.threads = 4;
        options.max_body = max_body;
        server_ = std::make_unique<HttpServer>(
            options, [this](const HttpRequest& r) { return api_->handle(r); }, nullptr);
        port_ = server_->port();
        thread_ = std::thread([this] { server_->run(); });
    }
    void stop() {
        if (!server_) return;
        server_->stop();
        thread_.join();
        server_.reset();
    }

    HttpReply get(const std::string& target, const std::string& token = kToken) {
        return http_request(port_, "GET", target, "", token);
    }
    HttpReply post(const nlohmann::json& body) {
        return http_request(port_, "POST", "/v1/plans", body.dump(), kToken);
    }

    std::filesystem::path web_dir_;
    std::unique_ptr<Planner> planner_;
    std::unique_ptr<Api> api_;
    std::unique_ptr<HttpServer> server_;
    std::thread thread_;
    unsigned short port_ = 0;
};

// The example trimmed to `n` vehicles, planned by edf: cheap enough to post many times.
nlohmann::json small_request(std::size_t n) {
    nlohmann::json r = test::example_request();
    r["vehicles"].erase(r["vehicles"].begin() + static_cast<std::ptrdiff_t>(n), r["vehicles"].end());
    r["strategy"] = "edf";
    return r;
}

void expect_json_error(const HttpReply& reply, int status, const std::string& path) {
    EXPECT_EQ(reply.status, status) << reply.body;
    const nlohmann::json body = nlohmann::json::parse(reply.body);
    EXPECT_EQ(schema_errors(body, "Error"), "");
    EXPECT_EQ(body["error"]["status"], status);
    EXPECT_EQ(body["error"]["path"], path) << reply.body;
}

TEST_F(ApiServer, HealthAndTheDocumentNeedNoTokenEverythingElseDoes) {
    EXPECT_EQ(get("/v1/health", "").status, 200);
    EXPECT_EQ(nlohmann::json::parse(get("/v1/health", "").body)["status"], "ok");
    EXPECT_EQ(get("/v1/openapi.json", "").status, 200);
    EXPECT_EQ(get("/", "").status, 200);
    const HttpReply none = get("/v1/strategies", "");
    expect_json_error(none, 401, "");
    EXPECT_EQ(none.headers.at("www-authenticate"), "Bearer");
    expect_json_error(get("/v1/strategies", "wrong-token-wrong-token"), 401, "");
    expect_json_error(get("/metrics", ""), 401, "");
    expect_json_error(http_request(port_, "POST", "/v1/plans", small_request(2).dump(), ""), 401, "");

    const nlohmann::json strategies = nlohmann::json::parse(get("/v1/strategies").body);
    EXPECT_EQ(schema_errors(strategies, "Strategies"), "");
    std::set<std::string> names;
    for (const auto& s : strategies["strategies"]) names.insert(s["name"]);
    for (const char* expected : {"edf", "mpc", "uncontrolled", "guarded"})
        EXPECT_TRUE(names.count(expected)) << expected;
}

TEST_F(ApiServer, APlanRoundTripMatchesTheOpenApiDocument) {
    const nlohmann::json request = test::example_request();
    EXPECT_EQ(schema_errors(request, "PlanRequest"), "");
    const HttpReply created = post(request);
    ASSERT_EQ(created.status, 201) << created.body;
    const nlohmann::json plan = nlohmann::json::parse(created.body);
    EXPECT_EQ(schema_errors(plan, "PlanResponse"), "");
    test::expect_physical(plan["plan"], plan, request["site"]["tariff"].value("demand_charge_per_kw", 0.0));

    const HttpReply stored = get("/v1/plans/" + plan["id"].get<std::string>());
    EXPECT_EQ(stored.status, 200);
    EXPECT_EQ(nlohmann::json::parse(stored.body), plan);
    expect_json_error(get("/v1/plans/p999999"), 404, "");

    const HttpReply metrics = get("/metrics");
    EXPECT_EQ(metrics.status, 200);
    EXPECT_EQ(metrics.headers.at("content-type").rfind("text/plain", 0), 0u);
    EXPECT_NE(metrics.body.find("evtwin_plans_total 1\n"), std::string::npos) << metrics.body;
    EXPECT_NE(
        metrics.body.find(R"(evtwin_http_requests_total{method="POST",route="/v1/plans",status="201"} 1)"),
        std::string::npos)
        << metrics.body;
    EXPECT_NE(metrics.body.find(R"(evtwin_http_request_duration_seconds_count{route="/v1/plans/{id}"} 2)"),
              std::string::npos)
        << metrics.body;
    EXPECT_NE(metrics.body.find("evtwin_solver_fallbacks_total"), std::string::npos);
}

TEST_F(ApiServer, TheOpenApiDocumentListsExactlyTheRoutesServed) {
    const nlohmann::json document = nlohmann::json::parse(get("/v1/openapi.json", "").body);
    EXPECT_EQ(document["openapi"], "3.1.0");
    std::set<std::string> documented;
    for (const auto& [path, operations] : document["paths"].items()) {
        for (const auto& [method, operation] : operations.items()) {
            std::string upper = method;
            for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            std::string target = path;
            if (const auto at = target.find("{id}"); at != std::string::npos)
                target.replace(at, 4, "p000001");
            const HttpReply reply =
                http_request(port_, upper, target, upper == "POST" ? small_request(1).dump() : "", kToken);
            // Each documented status is the kind of answer this route gives.
            EXPECT_TRUE(operation["responses"].contains(std::to_string(reply.status)))
                << upper << " " << target << " answered " << reply.status << ": " << reply.body;
            EXPECT_NE(reply.status, 405) << upper << " " << path;
            documented.insert(upper + " " + Api::route_of(upper, target));
        }
    }
    // Routes the router knows (Api::route_of) that the document leaves out.
    for (const std::string route :
         {"/v1/plans", "/v1/plans/{id}", "/v1/strategies", "/v1/health", "/v1/openapi.json", "/metrics",
          "/v1/results/runs", "/v1/results/runs/{id}", "/v1/results/runs/{id}/power",
          "/v1/results/runs/{id}/connectors", "/v1/results/runs/{id}/stations",
          "/v1/results/runs/{id}/events", "/v1/results/runs/{id}/limits", "/v1/live/outlook",
          "/v1/reservations", "/v1/reservations/{id}"}) {
        bool found = false;
        for (const std::string& d : documented) found = found || d.substr(d.find(' ') + 1) == route;
        EXPECT_TRUE(found) << route;
    }
    expect_json_error(get("/v1/nothing"), 404, "");
    expect_json_error(http_request(port_, "DELETE", "/v1/plans", "", kToken), 405, "");
    expect_json_error(http_request(port_, "GET", "/v1/plans", "", kToken), 405, "");
}

TEST_F(ApiServer, BadRequestsGetTheirStatusAndTheFieldsPath) {
    expect_json_error(http_request(port_, "POST", "/v1/plans", "{\"site\": ", kToken), 400, "");
    expect_json_error(http_request(port_, "POST", "/v1/plans", "", kToken), 400, "");
    // JSON, but a number no double holds.
    expect_json_error(http_request(port_, "POST", "/v1/plans", "{\"horizon_h\": 1e400}", kToken), 400, "");
    nlohmann::json wrong = small_request(2);
    wrong["vehicles"][1]["max_kw"] = "fast";
    expect_json_error(post(wrong), 422, "/vehicles/1/max_kw");
    wrong = small_request(2);
    wrong["vehicles"][0]["departure"] = wrong["vehicles"][0]["arrival"];
    expect_json_error(post(wrong), 422, "/vehicles/0/departure");
    wrong = small_request(2);
    wrong["site"]["grid"]["fuse"] = 63;
    expect_json_error(post(wrong), 422, "/site/grid/fuse");
    // The whole body is the wrong thing: its pointer is the empty one (RFC 6901), as for a whole site.
    expect_json_error(http_request(port_, "POST", "/v1/plans", "[1, 2]", kToken), 422, "");
    wrong = small_request(2);
    wrong["site"] = "north";
    expect_json_error(post(wrong), 422, "/site");
    expect_json_error(get("/../CMakeLists.txt", ""), 404, "");
    expect_json_error(get("/.hidden", ""), 404, "");
    expect_json_error(http_request(port_, "POST", "/", "x", ""), 405, "");
}

TEST_F(ApiServer, ABodyAboveTheLimitIsRefusedWith413) {
    stop();
    start(64 * 1024);
    std::string big = small_request(2).dump();
    big.insert(big.size() - 1, ",\"padding\":\"" + std::string(100 * 1024, 'x') + "\"");
    expect_json_error(http_request(port_, "POST", "/v1/plans", big, kToken), 413, "");
    EXPECT_EQ(get("/v1/health", "").status, 200);  // the server goes on
}

// Random and mutated bodies: the server answers each with 201, 400 or 422 and a JSON error naming
// a path, and never fails.
TEST_F(ApiServer, FuzzedBodiesNeverCrashTheServer) {
    const std::string base = small_request(3).dump();
    std::mt19937_64 rng(20261123);
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    const std::vector<nlohmann::json> odd_values = {nullptr,
                                                    true,
                                                    -1,
                                                    0,
                                                    1e308,
                                                    -1e308,
                                                    "",
                                                    "x",
                                                    nlohmann::json::array(),
                                                    nlohmann::json::object(),
                                                    nlohmann::json::array({1, "2"}),
                                                    "2026-02-30T25:61",
                                                    3.5,
                                                    "00:00"};
    std::map<int, int> statuses;
    for (int i = 0; i < 300; ++i) {
        std::string body;
        if (i % 3 == 0) {  // bytes: flip, cut, duplicate
            body = base;
            for (int k = 0; k < 1 + static_cast<int>(pick(4)); ++k) {
                const std::size_t at = pick(body.size());
                switch (pick(3)) {
                    case 0:
                        body[at] = static_cast<char>(rng());
                        break;
                    case 1:
                        body.erase(at, pick(20));
                        break;
                    default:
                        body.insert(at, body.substr(pick(body.size()), pick(30)));
                        break;
                }
            }
        } else {  // structure: a random value replaced by an odd one
            nlohmann::json doc = nlohmann::json::parse(base);
            const nlohmann::json flat = doc.flatten();
            auto it = flat.begin();
            std::advance(it, static_cast<std::ptrdiff_t>(pick(flat.size())));
            nlohmann::json::json_pointer at(it.key());
            if (pick(4) == 0) at = at.parent_pointer();  // sometimes a whole object or array
            doc[at] = odd_values[pick(odd_values.size())];
            body = doc.dump();
        }
        const HttpReply reply = http_request(port_, "POST", "/v1/plans", body, kToken);
        ++statuses[reply.status];
        ASSERT_TRUE(reply.status == 201 || reply.status == 400 || reply.status == 422)
            << reply.status << " for " << body;
        if (reply.status != 201) {
            const nlohmann::json error = nlohmann::json::parse(reply.body);
            ASSERT_EQ(schema_errors(error, "Error"), "") << reply.body;
        }
    }
    EXPECT_GT(statuses[400], 0);
    EXPECT_GT(statuses[422], 0);
    EXPECT_EQ(get("/v1/health", "").status, 200);
}

TEST_F(ApiServer, ConcurrentClientsAreAllServed) {
    std::vector<std::future<std::vector<std::string>>> clients;
    for (int c = 0; c < 8; ++c) {
        clients.push_back(std::async(std::launch::async, [this] {
            std::vector<std::string> ids;
            for (int k = 0; k < 3; ++k) {
                const HttpReply reply = post(small_request(4));
                if (reply.status != 201) throw std::runtime_error(reply.body);
                ids.push_back(nlohmann::json::parse(reply.body)["id"]);
            }
            return ids;
        }));
    }
    std::set<std::string> ids;
    for (auto& c : clients) {
        for (const std::string& id : c.get()) ids.insert(id);
    }
    EXPECT_EQ(ids.size(), 24u);
    EXPECT_EQ(planner_->plans_computed(), 24u);
}

TEST_F(ApiServer, StoppingLetsTheRequestInFlightFinish) {
    held_started = false;
    held_release = false;
    nlohmann::json request = small_request(2);
    request["strategy"] = "held";
    auto in_flight = std::async(std::launch::async, [&] { return post(request); });
    for (int i = 0; i < 30'000 && !held_started; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_TRUE(held_started);
    server_->stop();  // while the plan is being computed
    held_release = true;
    const HttpReply reply = in_flight.get();
    EXPECT_EQ(reply.status, 201) << reply.body;
    stop();
    EXPECT_THROW(http_request(port_, "GET", "/v1/health"), std::exception);
}

}  // namespace
}  // namespace evtwin::serve
