// What a planning request may name: one of the server's strategies, never a path; options that name
// no file and no strategy outside the registry; loader errors kept in the server's log, out of the
// answer; and GET /v1/strategies answered without loading a plugin. The fixture plugins' folder is
// one of the plugin folders here, as an operator's own folder would be.
#include "serve_test_support.hpp"

#include "host/host_strategies.hpp"
#include "serve/plan/api.hpp"
#include "serve/plan/planner.hpp"
#include "support/test_support.hpp"

#include <evtwin/plugin.hpp>

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <cstdlib>
#include <optional>

namespace evtwin::serve::client_names_test {
namespace {

// A strategy that keeps the options it was created with.
StrategyOptions echoed_options;

class EchoOptions final : public Strategy {
public:
    explicit EchoOptions(const StrategyOptions& options) { echoed_options = options; }
    void decide(const Observation&, Decision&) override {}
};

}  // namespace
}  // namespace evtwin::serve::client_names_test

using evtwin::serve::client_names_test::EchoOptions;
EVTWIN_DESCRIPTOR_FOR(EchoOptions, "echo_options", "1.0.0")
static const evtwin::detail::StaticStrategyRegistrar echo_registrar(&evtwin_descriptor_EchoOptions);

namespace evtwin::serve::client_names_test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kToken = "0123456789abcdef0123456789abcdef";

fs::path fixture_dir() {
    return fs::weakly_canonical(EVTWIN_FIXTURE_PLUGIN_DIR);
}
fs::path fixture(const std::string& name) {
    return fixture_dir() / ("libevtwin_" + name + ".so");
}

bool library_is_loaded(const fs::path& path) {
    void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
    if (h) ::dlclose(h);
    return h != nullptr;
}

// Sets an environment variable for one test and restores what was there.
class EnvGuard {
public:
    EnvGuard(const char* name, const std::string& value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        ::setenv(name, value.c_str(), 1);
    }
    ~EnvGuard() {
        if (old_)
            ::setenv(name_, old_->c_str(), 1);
        else
            ::unsetenv(name_);
    }

private:
    const char* name_;
    std::optional<std::string> old_;
};

class ClientNames : public ::testing::Test {
protected:
    ClientNames()
        : dir_(evtwin::test::temp_dir(std::string("serve_names_") +
                                      ::testing::UnitTest::GetInstance()->current_test_info()->name())),
          plugin_path_("EVTWIN_PLUGIN_PATH", fixture_dir().string()),
          marker_env_("EVTWIN_TEST_MARKER", (dir_ / "marker").string()) {}

    void SetUp() override { start({}); }

    void start(std::map<std::string, std::map<std::string, std::string>> defaults) {
        PlannerConfig config;
        config.db = dir_ / "plans.db";
        config.work_dir = dir_ / "work";
        config.strategy_defaults = std::move(defaults);
        config.log = [this](const std::string& line) { log_ += line + "\n"; };
        api_.reset();
        planner_ = std::make_unique<Planner>(config);
        api_ = std::make_unique<Api>(*planner_, ApiConfig{kToken, {}, {}, {}});
    }

    HttpResponse call(const std::string& method, const std::string& target, const std::string& body = "") {
        HttpRequest r;
        r.method = method;
        r.target = target;
        r.body = body;
        r.authorization = std::string("Bearer ") + kToken;
        return api_->handle(r);
    }

    // A small plan under `strategy` (a name or {"name", "options"}).
    HttpResponse plan(const nlohmann::json& strategy) {
        nlohmann::json request = test::example_request();
        request["vehicles"].erase(request["vehicles"].begin() + 2, request["vehicles"].end());
        request["strategy"] = strategy;
        request["baseline"] = "edf";
        return call("POST", "/v1/plans", request.dump());
    }

    bool marker_written() const { return fs::exists(dir_ / "marker"); }

    fs::path dir_;
    EnvGuard plugin_path_;
    EnvGuard marker_env_;
    std::string log_;
    std::unique_ptr<Planner> planner_;
    std::unique_ptr<Api> api_;
};

nlohmann::json error_of(const HttpResponse& r) {
    return nlohmann::json::parse(r.body)["error"];
}

TEST_F(ClientNames, AStrategyGivenByPathIsRefusedAndNothingIsLoaded) {
    ASSERT_TRUE(fs::exists(fixture("marker")));
    for (const std::string& path :
         {fixture("marker").string(), std::string("libevtwin_marker.so"), std::string("marker.so"),
          std::string("./marker"),
          fixture("marker").parent_path().string() + "/../plugins/libevtwin_marker.so"}) {
        const HttpResponse r = plan(path);
        EXPECT_EQ(r.status, 422) << path << ": " << r.body;
        EXPECT_EQ(error_of(r)["path"], "/strategy");
        const std::string message = error_of(r)["message"];
        EXPECT_NE(message.find("by its name, not a path"), std::string::npos) << message;
        EXPECT_NE(message.find("edf"), std::string::npos) << message;
    }
    nlohmann::json as_baseline = test::example_request();
    as_baseline["baseline"] = fixture("marker").string();
    EXPECT_EQ(call("POST", "/v1/plans", as_baseline.dump()).status, 422);
    EXPECT_FALSE(marker_written());
    EXPECT_FALSE(library_is_loaded(fixture("marker")));
}

TEST_F(ClientNames, AnUnknownNameIsRefusedListingTheServersStrategies) {
    const HttpResponse r = plan("no_such_strategy");
    EXPECT_EQ(r.status, 422);
    const std::string message = error_of(r)["message"];
    EXPECT_EQ(message.find("unknown strategy 'no_such_strategy'; this server's strategies are: "), 0u)
        << message;
    for (const char* name : {"edf", "guarded", "echo_options", "marker", "throwing"})
        EXPECT_NE(message.find(name), std::string::npos) << name << " in " << message;
    EXPECT_EQ(message.find("forecast"), std::string::npos) << message;  // forecasters are no strategies
}

TEST_F(ClientNames, LoaderErrorsGoToTheServersLogNeverToTheClient) {
    const std::pair<const char*, const char*> cases[] = {
        {"abi999", "ABI version 999"}, {"no_entry", "no symbol"}, {"throwing", "cannot open its model file"}};
    for (const auto& [name, why] : cases) {
        const HttpResponse r = plan(name);
        EXPECT_EQ(r.status, 500) << name << ": " << r.body;
        const std::string message = error_of(r)["message"];
        EXPECT_EQ(message.find("strategy '" + std::string(name) + "' "), 0u) << message;
        EXPECT_NE(message.find("on this server (its log says why)"), std::string::npos) << message;
        EXPECT_EQ(r.body.find(why), std::string::npos) << r.body;
        EXPECT_EQ(r.body.find(fixture_dir().string()), std::string::npos) << r.body;
        EXPECT_NE(log_.find(why), std::string::npos) << log_;
    }
    // The same for a strategy that guarded would load.
    const HttpResponse nested = plan({{"name", "guarded"}, {"options", {{"inner", "abi999"}}}});
    EXPECT_EQ(nested.status, 500) << nested.body;
    EXPECT_EQ(nested.body.find("ABI"), std::string::npos) << nested.body;
}

TEST_F(ClientNames, OptionsAStrategyRefusesAreAnsweredWithoutItsFile) {
    const HttpResponse r = plan({{"name", "throwing"}, {"options", {{"fail", "options"}}}});
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(error_of(r)["message"],
              "strategy 'throwing' refuses its options: option fail=options is refused");
    const HttpResponse nested =
        plan({{"name", "guarded"}, {"options", {{"inner", "throwing"}, {"inner.fail", "options"}}}});
    EXPECT_EQ(nested.status, 422) << nested.body;
    EXPECT_NE(nested.body.find("option fail=options is refused"), std::string::npos) << nested.body;
    EXPECT_EQ(nested.body.find(fixture_dir().string()), std::string::npos) << nested.body;
}

TEST_F(ClientNames, OptionsNameNoFileNoPathAndOnlyTheServersStrategies) {
    const std::pair<nlohmann::json, const char*> refused[] = {
        {{{"name", "echo_options"}, {"options", {{"model", "policy.pt"}}}}, "/strategy/options/model"},
        {{{"name", "guarded"}, {"options", {{"inner", "echo_options"}, {"inner.model", "p.pt"}}}},
         "/strategy/options/inner.model"},
        {{{"name", "echo_options"}, {"options", {{"horizon_h", "/etc/passwd"}}}},
         "/strategy/options/horizon_h"},
        {{{"name", "guarded"}, {"options", {{"inner", fixture("marker").string()}}}},
         "/strategy/options/inner"},
        {{{"name", "guarded"}, {"options", {{"inner", "edf"}, {"baseline", "no_such"}}}},
         "/strategy/options/baseline"},
    };
    for (const auto& [strategy, path] : refused) {
        const HttpResponse r = plan(strategy);
        EXPECT_EQ(r.status, 422) << strategy << ": " << r.body;
        EXPECT_EQ(error_of(r)["path"], path) << r.body;
    }
    EXPECT_FALSE(marker_written());
    EXPECT_FALSE(library_is_loaded(fixture("marker")));
}

TEST_F(ClientNames, TheOperatorsDefaultsMayNameAFileTheRequestCannotReplace) {
    start({{"echo_options", {{"model", "/srv/evtwin/policy.pt"}}}});
    const HttpResponse r = plan({{"name", "echo_options"}, {"options", {{"horizon_h", 12}}}});
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(echoed_options.at("model"), "/srv/evtwin/policy.pt");
    EXPECT_EQ(echoed_options.at("horizon_h"), "12");
    EXPECT_EQ(plan({{"name", "echo_options"}, {"options", {{"model", "/tmp/mine.pt"}}}}).status, 422);
}

TEST_F(ClientNames, ListingTheStrategiesLoadsNoPlugin) {
    const HttpResponse r = call("GET", "/v1/strategies");
    ASSERT_EQ(r.status, 200) << r.body;
    std::map<std::string, nlohmann::json> listed;
    const nlohmann::json body = nlohmann::json::parse(r.body);
    for (const auto& s : body["strategies"]) listed[s["name"].get<std::string>()] = s;
    ASSERT_TRUE(listed.count("marker"));
    EXPECT_FALSE(listed["marker"].contains("version"));  // in its code, which has not run
    EXPECT_EQ(listed["guarded"]["version"], find_host_strategy("guarded")->version);
    EXPECT_TRUE(listed.count("abi999"));  // a refused plugin is only found out when loaded
    for (const auto& [name, s] : listed) EXPECT_NE(name.rfind("forecast_", 0), 0u) << name;
    EXPECT_FALSE(marker_written());
    EXPECT_FALSE(library_is_loaded(fixture("marker")));
    EXPECT_FALSE(library_is_loaded(fixture("abi999")));
    // Once a plan has loaded a plugin, its version is listed.
    ASSERT_EQ(plan("edf").status, 201);
    const nlohmann::json after = nlohmann::json::parse(call("GET", "/v1/strategies").body);
    for (const auto& s : after["strategies"]) {
        if (s["name"] == "edf") {
            EXPECT_TRUE(s.contains("version")) << s;
        }
    }
}

}  // namespace
}  // namespace evtwin::serve::client_names_test
