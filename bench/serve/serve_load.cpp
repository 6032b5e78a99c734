// Load generator for `evtwin serve`: posts one planning request from C clients at once, each
// over its own keep-alive connection, and prints latency percentiles, throughput and errors.
// Usage: serve_load PORT TOKEN REQUEST.json CLIENTS REQUESTS_PER_CLIENT
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {

struct ClientResult {
    std::vector<double> latencies_ms;
    int errors = 0;
    std::string first_error;
};

ClientResult run_client(unsigned short port, const std::string& token, const std::string& body,
                        int requests) {
    ClientResult result;
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    beast::flat_buffer buffer;
    for (int i = 0; i < requests; ++i) {
        http::request<http::string_body> request(http::verb::post, "/v1/plans", 11);
        request.set(http::field::host, "127.0.0.1");
        request.set(http::field::authorization, "Bearer " + token);
        request.set(http::field::content_type, "application/json");
        request.keep_alive(true);
        request.body() = body;
        request.prepare_payload();
        const auto start = std::chrono::steady_clock::now();
        http::write(stream, request);
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 << 20);
        http::read(stream, buffer, parser);
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        if (parser.get().result_int() != 201) {
            if (result.errors++ == 0)
                result.first_error = std::to_string(parser.get().result_int()) + " " + parser.get().body();
        } else {
            result.latencies_ms.push_back(ms);
        }
    }
    return result;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    const double at = p * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(at);
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (at - static_cast<double>(lo));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 6) {
        std::fprintf(stderr, "usage: serve_load PORT TOKEN REQUEST.json CLIENTS REQUESTS_PER_CLIENT\n");
        return 2;
    }
    const auto port = static_cast<unsigned short>(std::stoi(argv[1]));
    const std::string token = argv[2];
    std::ifstream in(argv[3]);
    std::stringstream body;
    body << in.rdbuf();
    const int clients = std::stoi(argv[4]);
    const int per_client = std::stoi(argv[5]);

    std::vector<ClientResult> results(static_cast<std::size_t>(clients));
    std::vector<std::thread> threads;
    const auto start = std::chrono::steady_clock::now();
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            try {
                results[static_cast<std::size_t>(c)] = run_client(port, token, body.str(), per_client);
            } catch (const std::exception& e) {
                results[static_cast<std::size_t>(c)].errors += per_client;
                results[static_cast<std::size_t>(c)].first_error = e.what();
            }
        });
    }
    for (auto& t : threads) t.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::vector<double> all;
    int errors = 0;
    std::string first_error;
    for (const ClientResult& r : results) {
        all.insert(all.end(), r.latencies_ms.begin(), r.latencies_ms.end());
        errors += r.errors;
        if (first_error.empty()) first_error = r.first_error;
    }
    std::printf("clients %d  requests %zu  errors %d  wall %.2f s  throughput %.1f plans/s\n", clients,
                all.size(), errors, seconds, static_cast<double>(all.size()) / seconds);
    std::printf("latency ms: median %.1f  p90 %.1f  p99 %.1f  max %.1f\n", percentile(all, 0.5),
                percentile(all, 0.9), percentile(all, 0.99), percentile(all, 1.0));
    if (errors) std::printf("first error: %s\n", first_error.substr(0, 300).c_str());
    return errors == 0 ? 0 : 1;
}
