// Live mode's OCPI endpoints under load (issue 69's target: p99 < 50 ms at 200 requests/s): a
// 200-charger site's live twin with 150 sessions charging and 400 ended (400 CDRs), its OCPI
// service behind the project's HttpServer, an eMSP registered through the credentials handshake,
// and an open-loop client that sends requests at a fixed rate whatever the answers' pace (each
// latency counted from the request's scheduled instant, so a server that falls behind shows it).
// The mix, in turn: the locations list, one EVSE, a page of 100 sessions, a page of 100 CDRs, the
// tariffs, and a charging profile set on a session (its result POSTed to the eMSP).
// Usage: ocpi_endpoints_bench [RATE_PER_S] [SECONDS] [CLIENT_THREADS]; defaults 200 30 8.
#include "live/bench_site.hpp"
#include "scenario/scenario_impl.hpp"
#include "serve/live/live_twin.hpp"
#include "serve/net/http_client.hpp"
#include "serve/net/http_server.hpp"
#include "serve/ocpi/ocpi_service.hpp"

#include <evtwin/scenario.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <thread>

namespace {

using namespace evtwin;
using namespace evtwin::serve;
namespace beast = boost::beast;
namespace http = beast::http;
namespace so = evtwin::serve::ocpi;

ScenarioSpec site() {
    return bench::site_of_200_chargers("ocpi-200");
}

// The eMSP's side: its versions and details (for the handshake) and a receiver for the results.
HttpResponse emsp(const HttpRequest& r, unsigned short port) {
    const std::string base = "http://127.0.0.1:" + std::to_string(port) + "/emsp";
    nlohmann::json answer = {{"status_code", 1000}, {"timestamp", "2026-07-01T00:00:00Z"}};
    if (r.target == "/emsp/versions") answer["data"] = {{{"version", "2.2.1"}, {"url", base + "/2.2.1"}}};
    if (r.target == "/emsp/2.2.1")
        answer["data"] = {
            {"version", "2.2.1"},
            {"endpoints", {{{"identifier", "credentials"}, {"role", "SENDER"}, {"url", base + "/c"}}}}};
    return json_response(200, answer.dump());
}

struct Sample {
    std::size_t kind;
    double ms;
    int status;
};

}  // namespace

int main(int argc, char** argv) {
    const double rate = argc > 1 ? std::atof(argv[1]) : 200.0;
    const double seconds = argc > 2 ? std::atof(argv[2]) : 30.0;
    const int threads = argc > 3 ? std::atoi(argv[3]) : 8;

    const ScenarioSpec spec = site();
    StrategyHandle strategy = load_strategy("edf");
    bench::NoSink sink;
    const RunInfo info{"ocpi-200", "site.lua", "edf", "", "", 1, "bench"};
    LiveTwin twin(spec, *strategy, sink, info);
    LiveClock clock("step", spec.start + Duration::hours(10));

    HttpServerOptions options;
    options.port = 0;
    options.threads = 2;
    std::unique_ptr<HttpServer> emsp_server;
    emsp_server = std::make_unique<HttpServer>(
        options, [&emsp_server](const HttpRequest& r) { return emsp(r, emsp_server->port()); }, nullptr);
    auto emsp_running = std::async(std::launch::async, [&] { emsp_server->run(); });

    so::OcpiConfig config;
    config.registration_tokens = {"bench-token-A"};
    std::unique_ptr<so::OcpiService> service;
    std::unique_ptr<HttpServer> server = std::make_unique<HttpServer>(
        options,
        [&service](const HttpRequest& r) {
            const std::string path = r.target.substr(0, r.target.find('?'));
            if (auto answer = service->handle(r, path)) return *answer;
            return json_response(404, "{}");
        },
        nullptr);
    config.base_url = "http://127.0.0.1:" + std::to_string(server->port());
    service = std::make_unique<so::OcpiService>(
        config, twin, spec, clock, 1, [] {}, [](const so::ProfileRecord&) {});
    auto running = std::async(std::launch::async, [&] { server->run(); });

    // 400 sessions ended over the night (two on each of the first 200 connectors), 150 charging now.
    for (ConnectorIndex c = 0; c < 200; ++c) twin.set_online(c, spec.start, true);
    for (int k = 0; k < 400; ++k) {
        const auto c = static_cast<ConnectorIndex>(k % 200);
        const Time start = spec.start + Duration::minutes(k);
        twin.start_session(c, start, "night" + std::to_string(k), "CARD-" + std::to_string(k), 0.0,
                           std::nullopt);
        MeterReading m;
        m.register_kwh = 3.0;
        m.power_kw = 11.0;
        twin.meter(c, start + Duration::minutes(20), m);
        twin.stop_session(c, start + Duration::minutes(90), 4.0);
    }
    for (ConnectorIndex c = 0; c < 150; ++c) {
        const Time arrival = spec.start + Duration::hours(8) + Duration::minutes(c / 2);
        twin.start_session(c, arrival, "tx" + std::to_string(c), "DAY-" + std::to_string(c), 0.0,
                           std::nullopt);
        MeterReading m;
        m.register_kwh = 0.05 * c;
        m.power_kw = 7.0;
        twin.meter(c, spec.start + Duration::hours(9), m);
    }

    HttpClientRequest registration;
    registration.method = "POST";
    registration.url = config.base_url + "/ocpi/2.2.1/credentials";
    registration.headers = {{"Authorization", so::token_header("bench-token-A")}};
    registration.body = nlohmann::json{
        {"token", "bench-token-B"},
        {"url", "http://127.0.0.1:" + std::to_string(emsp_server->port()) + "/emsp/versions"},
        {"roles",
         {{{"role", "EMSP"},
           {"business_details", {{"name", "bench"}}},
           {"party_id", "BEN"},
           {"country_code",
            "NL"}}}}}.dump();
    const HttpClientReply registered = http_call(registration);
    if (registered.status != 200) {
        std::fprintf(stderr, "registration failed: %d %s\n", registered.status, registered.body.c_str());
        return 1;
    }
    const std::string authorization =
        so::token_header(nlohmann::json::parse(registered.body)["data"]["token"].get<std::string>());
    const std::string results = "http://127.0.0.1:" + std::to_string(emsp_server->port()) + "/emsp/results";
    const std::vector<std::pair<std::string, std::string>> mix = {
        {"GET", "/ocpi/2.2.1/locations"},
        {"GET", "/ocpi/2.2.1/locations/ocpi-200/CP2-7"},
        {"GET", "/ocpi/2.2.1/sessions?date_from=2026-06-30T00:00:00Z&limit=100"},
        {"GET", "/ocpi/2.2.1/cdrs?offset=100&limit=100"},
        {"GET", "/ocpi/2.2.1/tariffs"},
        {"PUT", "/ocpi/2.2.1/chargingprofiles/450"},
    };
    const std::string profile = nlohmann::json{
        {"charging_profile",
         {{"charging_rate_unit", "W"},
          {"charging_profile_period", {{{"start_period", 0}, {"limit", 7000}}}}}},
        {"response_url", results}}.dump();

    const auto total = static_cast<std::size_t>(rate * seconds);
    const auto begin = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
    std::vector<std::vector<Sample>> samples(threads);
    std::vector<std::thread> clients;
    for (int t = 0; t < threads; ++t)
        clients.emplace_back([&, t] {
            boost::asio::io_context io;
            beast::tcp_stream stream(io);
            stream.connect(
                boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), server->port()));
            beast::flat_buffer buffer;
            for (std::size_t i = t; i < total; i += threads) {
                const auto due = begin + std::chrono::microseconds(static_cast<std::int64_t>(i * 1e6 / rate));
                std::this_thread::sleep_until(due);
                const auto& [method, target] = mix[i % mix.size()];
                http::request<http::string_body> req(method == "GET" ? http::verb::get : http::verb::put,
                                                     target, 11);
                req.set(http::field::host, "127.0.0.1");
                req.set(http::field::authorization, authorization);
                req.keep_alive(true);
                if (method == "PUT") {
                    req.set(http::field::content_type, "application/json");
                    req.body() = profile;
                }
                req.prepare_payload();
                http::write(stream, req);
                http::response_parser<http::string_body> parser;
                parser.body_limit(64 << 20);
                http::read(stream, buffer, parser);
                const double ms =
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - due).count();
                samples[t].push_back({i % mix.size(), ms, static_cast<int>(parser.get().result_int())});
            }
        });
    for (std::thread& c : clients) c.join();
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();

    auto report = [](const char* name, std::vector<double> ms) {
        std::sort(ms.begin(), ms.end());
        auto q = [&](double p) {
            return ms.empty() ? 0.0 : ms[std::min(ms.size() - 1, static_cast<std::size_t>(p * ms.size()))];
        };
        std::printf("%-62s %6zu  p50 %6.2f  p99 %6.2f  max %7.2f ms\n", name, ms.size(), q(0.5), q(0.99),
                    ms.empty() ? 0.0 : ms.back());
    };
    std::vector<double> all;
    std::map<std::size_t, std::vector<double>> by_kind;
    int errors = 0;
    for (const auto& s : samples)
        for (const Sample& x : s) {
            if (x.status != 200) ++errors;
            all.push_back(x.ms);
            by_kind[x.kind].push_back(x.ms);
        }
    std::printf("%zu requests at %.0f/s over %.1f s (%d client threads), %d not 200\n", all.size(), rate,
                elapsed, threads, errors);
    report("all", all);
    for (const auto& [kind, ms] : by_kind) report((mix[kind].first + " " + mix[kind].second).c_str(), ms);
    service.reset();  // before the twin; its results are sent first
    server->stop();
    emsp_server->stop();
    running.wait();
    emsp_running.wait();
    return errors == 0 ? 0 : 1;
}
