#include "cli/commands.hpp"
#include "cli/run_one.hpp"
#include "cli/serve_drivers.hpp"
#include "cli/serve_help.hpp"
#include "cli/serve_ocpi.hpp"
#include "cli/serve_results.hpp"
#include "run/strategy_options.hpp"
#include "scenario/scenario_impl.hpp"
#include "serve/csms/charge_point_passwords.hpp"
#include "serve/csms/live_service.hpp"
#include "serve/net/json_text.hpp"
#include "serve/net/token_file.hpp"
#include "serve/plan/api.hpp"
#include "serve/plan/planner.hpp"

#include <evtwin/options.hpp>
#include <evtwin/util/args.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

namespace evtwin::cli {

namespace {

std::pair<std::string, unsigned short> listen_address(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0)
        throw UsageError("--listen expects HOST:PORT, got '" + text + "'");
    try {
        std::size_t used = 0;
        const int port = std::stoi(text.substr(colon + 1), &used);
        if (used != text.size() - colon - 1 || port < 0 || port > 65535) throw std::out_of_range("port");
        return {text.substr(0, colon), static_cast<unsigned short>(port)};
    } catch (const std::exception&) {
        throw UsageError("--listen expects HOST:PORT with a port 0-65535, got '" + text + "'");
    }
}

std::filesystem::path default_web_dir() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto installed = exe.parent_path().parent_path() / "share" / "evtwin" / "web";
        if (std::filesystem::is_directory(installed / "", ec)) return installed;
    }
    return std::filesystem::path(EVTWIN_SOURCE_DIR) / "web";
}

// Where plans are computed before they are stored: memory (/dev/shm) where there is one, since a
// plan's files live for milliseconds and need no disk.
std::filesystem::path scratch_dir() {
    if (::access("/dev/shm", W_OK) == 0) return "/dev/shm";
    return std::filesystem::temp_directory_path();
}

class AccessLog {
public:
    explicit AccessLog(const std::optional<std::string>& file) {
        if (file) {
            out_ = std::fopen(file->c_str(), "a");
            if (!out_) throw CommandFailure(kFailure, "evtwin serve: cannot open the access log " + *file);
            own_ = true;
        }
    }
    ~AccessLog() {
        if (own_) std::fclose(out_);
    }
    void write(const serve::AccessRecord& r) {
        const std::string path = r.request.target.substr(0, r.request.target.find('?'));
        const nlohmann::json line = {{"time", now()},
                                     {"remote", r.request.remote},
                                     {"method", r.request.method},
                                     {"path", path},
                                     {"route", serve::Api::route_of(r.request.method, path)},
                                     {"status", r.status},
                                     {"bytes", r.bytes},
                                     {"ms", std::round(r.seconds * 1e5) / 100.0}};
        put(line);
    }
    // What the server refused or ended on its own, in the same log.
    void event(const serve::ServerEvent& e) {
        put({{"time", now()},
             {"remote", e.remote},
             {"event", e.event},
             {"reason", e.reason},
             {"path", e.path}});
    }

private:
    static std::string now() {
        const std::time_t t = std::time(nullptr);
        char when[32];
        std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
        return when;
    }
    void put(const nlohmann::json& line) {
        // Paths and reasons may hold any bytes a client sent.
        const std::string text = serve::json_text(line);
        std::lock_guard lock(mutex_);
        std::fprintf(out_, "%s\n", text.c_str());
        std::fflush(out_);
    }

    std::FILE* out_ = stderr;
    bool own_ = false;
    std::mutex mutex_;
};

// The --opt NAME.KEY=VALUE options, by strategy.
std::map<std::string, std::map<std::string, std::string>> operator_options(const Args& args) {
    std::map<std::string, std::map<std::string, std::string>> options;
    for (const auto& [key, value] : args.pairs("--opt")) {
        const auto dot = key.find('.');
        if (dot == std::string::npos || dot == 0 || dot + 1 == key.size()) {
            throw UsageError("--opt expects STRATEGY.KEY=VALUE, got '" + key + "=" + value + "'");
        }
        options[key.substr(0, dot)][key.substr(dot + 1)] = value;
    }
    return options;
}

// What a plan's strategy gets unless the request says otherwise: the operator's options, and mpc
// re-planning on deviation.
std::map<std::string, std::map<std::string, std::string>> strategy_defaults(const Args& args) {
    auto defaults = operator_options(args);
    defaults["mpc"].try_emplace("replan", "deviation");
    return defaults;
}

// The live strategy's options beyond the scenario's: the operator's --opt alone. The planning API's
// defaults are not its own: live, a strategy runs as `evtwin run` runs it on the same scenario.
StrategyOptions live_options(const Args& args, const std::string& strategy) {
    StrategyOptions out;
    const auto options = operator_options(args);
    const auto it = options.find(strategy_key(strategy));
    if (it != options.end()) out.insert(it->second.begin(), it->second.end());
    return out;
}

// OCPP security profiles 1 and 2: the charge point's id and password in HTTP Basic credentials.
std::function<bool(const std::string&, const std::string&)> basic_auth(
    const serve::ChargePointPasswords* passwords) {
    if (!passwords) return {};
    return [passwords](const std::string& id, const std::string& authorization) {
        const auto credentials = serve::parse_basic_authorization(authorization);
        return credentials && credentials->user == id && passwords->verify(id, credentials->password);
    };
}

std::unique_ptr<serve::LiveService> start_live(const Args& args, const serve::PlannerConfig& config,
                                               const serve::ChargePointPasswords* passwords,
                                               std::function<void(const serve::ServerEvent&)> events) {
    const auto strategy = args.value("--strategy");
    if (!strategy) {
        for (const char* live_only :
             {"--clock", "--passwords", "--schemas", "--observation-log", "--ocpi-token-file"})
            if (args.value(live_only))
                throw UsageError(std::string(live_only) + " needs --strategy (live mode)");
        return nullptr;
    }
    if (config.scenarios.size() != 1) throw UsageError("--strategy (live mode) needs exactly one --scenario");
    serve::LiveConfig live;
    live.spec = config.scenarios.begin()->second;
    live.scenario_file = live.spec.source_file;
    live.strategy = *strategy;
    live.options = live_options(args, *strategy);
    live.clock = args.value("--clock").value_or("real");
    live.db = config.db;
    if (auto dir = args.value("--schemas")) live.schema_dir = *dir;
    if (auto file = args.value("--observation-log")) live.observation_log = *file;
    live.authorise = basic_auth(passwords);
    live.log = std::move(events);
    live.ocpi = ocpi_config(args);
    try {
        return std::make_unique<serve::LiveService>(std::move(live));
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    } catch (const PluginError& e) {
        throw CommandFailure(kBadInput, std::string("evtwin serve: ") + e.what());
    } catch (const std::exception& e) {
        throw CommandFailure(kFailure, std::string("evtwin serve: ") + e.what());
    }
}

serve::KnownScenarios load_scenarios(const Args& args) {
    serve::KnownScenarios known;
    const auto list = args.value("--scenario");
    if (!list) return known;
    ScenarioOptions options;
    options.params = args.pairs("-D");
    if (auto dir = args.value("--data-dir")) options.data_dir = *dir;
    std::stringstream files(*list);
    std::string file;
    while (std::getline(files, file, ',')) {
        if (file.empty()) continue;
        try {
            const Scenario scenario = Scenario::load(file, options);
            known[scenario.name()] = scenario.impl().loaded;
        } catch (const ScenarioError& e) {
            throw CommandFailure(kBadInput, e.what());
        } catch (const DataError& e) {
            throw CommandFailure(kBadInput, e.what());
        }
    }
    return known;
}

// `evtwin serve add-charge-point`: a charge point's password, read from standard input, hashed
// into the passwords file.
int add_charge_point(const std::vector<std::string>& argv) {
    const Args args = parse_args(argv, ArgSpec{{"--passwords", "--id"}, {"--help", "-h"}, {}});
    if (args.flag("--help") || args.flag("-h")) {
        std::fputs(kServeHelp, stdout);
        std::fputs(kOcpiHelp, stdout);
        return kOk;
    }
    const auto file = args.value("--passwords");
    const auto id = args.value("--id");
    if (!args.positionals.empty() || !file || !id)
        throw UsageError(
            "add-charge-point expects --passwords FILE --id CP_ID (the password on standard input)");
    if (const auto problem = serve::charge_point_id_problem(*id); !problem.empty())
        throw UsageError("--id: " + problem + ", got '" + *id + "'");
    std::string password;
    if (!std::getline(std::cin, password))
        throw UsageError("add-charge-point reads the password from standard input, which is empty");
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (const auto problem = serve::charge_point_password_problem(password); !problem.empty())
        throw UsageError("the password on standard input: " + problem);
    try {
        auto passwords = serve::ChargePointPasswords::load_or_empty(*file);
        const bool replaced = passwords.contains(*id);
        passwords.set(*id, password);
        passwords.save(*file);
        std::printf("evtwin serve: %s the password of charge point %s in %s\n",
                    replaced ? "replaced" : "stored", id->c_str(), file->c_str());
    } catch (const std::runtime_error& e) {
        throw CommandFailure(kBadInput, std::string("evtwin serve add-charge-point: ") + e.what());
    }
    return kOk;
}

// --tls-cert and --tls-key, both or neither.
std::optional<serve::TlsFiles> tls_files(const Args& args) {
    const auto cert = args.value("--tls-cert");
    const auto key = args.value("--tls-key");
    if (!cert && !key) return std::nullopt;
    if (!cert || !key) throw UsageError("--tls-cert and --tls-key go together");
    return serve::TlsFiles{*cert, *key, {}};
}

// The planner's settings: its results database, scratch folder, request limits, scenarios and the
// strategies' defaults.
serve::PlannerConfig planner_config(const Args& args) {
    serve::PlannerConfig config;
    config.db = args.value("--db").value_or("plans.db");
    config.work_dir = scratch_dir() / ("evtwin-serve-" + std::to_string(::getpid()));
    config.limits.max_vehicles = whole_number_option(args, "--max-vehicles", 500, 1, 1'000'000);
    config.limits.max_horizon_h = args.positive_number("--max-horizon-h", 168);
    if (config.limits.max_horizon_h > kMostHours)
        throw UsageError("--max-horizon-h expects at most 8784 hours (a year), got '" +
                         *args.value("--max-horizon-h") + "'");
    config.scenarios = load_scenarios(args);
    config.strategy_defaults = strategy_defaults(args);
    return config;
}

// --passwords: the charge points' passwords, or none (charge points connect without one).
std::unique_ptr<serve::ChargePointPasswords> load_passwords(const Args& args) {
    const auto file = args.value("--passwords");
    if (!file) return nullptr;
    try {
        return std::make_unique<serve::ChargePointPasswords>(serve::ChargePointPasswords::load(*file));
    } catch (const std::exception& e) {
        throw CommandFailure(kBadInput, std::string("evtwin serve: ") + e.what());
    }
}

serve::HttpServerOptions server_options(const Args& args, const std::string& host, unsigned port,
                                        const serve::LiveService* live) {
    serve::HttpServerOptions options;
    options.address = host;
    options.port = port;
    options.threads = static_cast<unsigned>(whole_number_option(args, "--threads", 0, 1, 1024));
    options.max_body = whole_number_option(args, "--max-body", 1 << 20, 1, std::uint64_t{1} << 30);
    options.max_connections = whole_number_option(args, "--max-connections", 512, 1, 65536);
    options.max_per_address = whole_number_option(args, "--max-per-address", 32, 1,
                                                  static_cast<std::uint64_t>(options.max_connections));
    options.tls = tls_files(args);
    // A charge point keeps one connection open; while it reconnects, its old one may linger until
    // the new one replaces it.
    if (live)
        options.max_websockets = std::max<std::size_t>(options.max_websockets, 2 * live->charge_points());
    return options;
}

// Stops the server when the live run reaches the end of the scenario's span on the live clock,
// unless the server stopped first (then the destructor lets it go).
class LiveEnd {
public:
    LiveEnd(serve::LiveService& live, serve::HttpServer& server)
        : watch_([this, &live, &server] {
              std::unique_lock lock(mutex_);
              // A stepped clock moves by request: it is looked at again this often. The others
              // reach the end at a wall-clock instant known in advance.
              const auto look_again = std::chrono::milliseconds(100);
              while (!server_done_) {
                  if (live.clock().now() >= live.end()) return server.stop();
                  wake_.wait_until(lock, live.clock().stepped()
                                             ? std::chrono::steady_clock::now() + look_again
                                             : live.clock().wall_at(live.end()));
              }
          }) {}
    ~LiveEnd() {
        {
            std::lock_guard lock(mutex_);
            server_done_ = true;
        }
        wake_.notify_all();
        watch_.join();
    }
    LiveEnd(const LiveEnd&) = delete;
    LiveEnd& operator=(const LiveEnd&) = delete;

private:
    std::mutex mutex_;
    std::condition_variable wake_;
    bool server_done_ = false;
    std::thread watch_;  // last: it starts once the rest is made
};

}  // namespace

int serve_command(const std::vector<std::string>& argv) {
    if (!argv.empty() && argv[0] == "add-charge-point")
        return add_charge_point({argv.begin() + 1, argv.end()});
    const Args args = parse_args(
        argv, ArgSpec{{"--listen",          "--tls-cert",        "--tls-key",         "--db",
                       "--token-file",      "--scenario",        "--data-dir",        "--web",
                       "--results",         "--threads",         "--max-body",        "--max-vehicles",
                       "--max-horizon-h",   "--max-connections", "--max-per-address", "--access-log",
                       "--strategy",        "--clock",           "--passwords",       "--schemas",
                       "--observation-log", kOcpiOptions[0],     kOcpiOptions[1],     kOcpiOptions[2],
                       "--drivers-model",   "--drivers-history"},
                      {"--help", "-h", kOcpiFlags[0]},
                      {"-D", "--opt"}});
    if (args.flag("--help") || args.flag("-h")) {
        std::fputs(kServeHelp, stdout);
        std::fputs(kOcpiHelp, stdout);
        return kOk;
    }
    if (!args.positionals.empty()) throw UsageError("takes no positional arguments");
    const auto [host, port] = listen_address(args.value("--listen").value_or("127.0.0.1:8080"));
    const serve::PlannerConfig config = planner_config(args);

    const bool own_token = !args.value("--token-file");
    const std::filesystem::path token_path =
        args.value("--token-file").value_or(config.db.string() + ".token");
    serve::TokenFile token;
    try {
        token = serve::load_token(token_path, own_token);
    } catch (const std::exception& e) {
        throw CommandFailure(kFailure, std::string("evtwin serve: ") + e.what());
    }

    const std::unique_ptr<serve::ChargePointPasswords> passwords = load_passwords(args);
    AccessLog log(args.value("--access-log"));  // before the live service, whose refusals it logs
    const std::unique_ptr<serve::LiveService> live =
        start_live(args, config, passwords.get(), [&log](const serve::ServerEvent& e) { log.event(e); });

    serve::Planner planner(config);
    serve::ApiConfig api_config{
        token.token, args.value("--web").value_or(default_web_dir().string()), {}, {}};
    if (live)
        api_config.live = [&live](const serve::HttpRequest& r, const std::string& path) {
            return live->handle(r, path);
        };
    if (live && live->ocpi())
        api_config.ocpi = [&live](const serve::HttpRequest& r, const std::string& p) {
            return live->handle_ocpi(r, p);
        };
    add_drivers_route(args, api_config,
                      live ? std::optional<std::filesystem::path>(config.db) : std::nullopt);
    const ServedResults results =
        open_served_results(args, live ? std::optional<std::filesystem::path>(config.db) : std::nullopt);
    serve::Api api(planner, api_config);
    if (results.api)
        api.set_results([&results](const serve::HttpRequest& r, const std::string& path) {
            return results.api->handle(r, path);
        });
    const serve::HttpServerOptions options = server_options(args, host, port, live.get());
    std::unique_ptr<serve::HttpServer> server;
    try {
        server = std::make_unique<serve::HttpServer>(
            options, [&api](const serve::HttpRequest& r) { return api.handle(r); },
            [&log](const serve::AccessRecord& r) { log.write(r); });
        server->set_event_log([&log](const serve::ServerEvent& e) { log.event(e); });
    } catch (const std::exception& e) {
        throw CommandFailure(kFailure, std::string("evtwin serve: ") + e.what());
    }
    server->stop_on_signals();
    std::printf("evtwin serve: listening on %s://%s:%u/ (results %s, token %s%s)\n",
                server->tls() ? "https" : "http", host.c_str(), server->port(), config.db.c_str(),
                token_path.c_str(), token.created ? ", new" : "");
    if (results.library)
        std::printf("evtwin serve: the runs of %zu results file%s at %s://%s:%u/runs.html\n",
                    results.library->size(), results.library->size() == 1 ? "" : "s",
                    server->tls() ? "https" : "http", host.c_str(), server->port());
    if (live) {
        server->set_websocket("/ocpp/", live->websocket());
        live->start();
        std::printf("evtwin serve: central system at %s://%s:%u/ocpp/{id}, run %lld%s, clock %s, frames %s\n",
                    server->tls() ? "wss" : "ws", host.c_str(), server->port(),
                    static_cast<long long>(live->run_id()), live->resumed() ? " (resumed)" : "",
                    args.value("--clock").value_or("real").c_str(), live->frame_log().c_str());
        if (!passwords)
            std::fprintf(stderr,
                         "evtwin serve: warning: no --passwords (OCPP security profile 0): any client that "
                         "reaches this port can connect as any charge point of the site and take over its "
                         "connection; use --passwords (and TLS) on any network that is not fully trusted\n");
    }
    std::fflush(stdout);
    {
        std::optional<LiveEnd> live_end;
        if (live) live_end.emplace(*live, *server);
        server->run();
    }
    if (live) live->stop(live->clock().now() < live->end());
    std::error_code ignored;
    std::filesystem::remove_all(config.work_dir, ignored);
    std::printf("evtwin serve: stopped after %llu plans\n",
                static_cast<unsigned long long>(planner.plans_computed()));
    return kOk;
}

}  // namespace evtwin::cli
