// The plugin loader against the real baseline plugins and the broken fixtures of tests/fixtures.
#include "host/plugin_loader.hpp"
#include "baseline_names.hpp"
#include "plugins/site_fixture.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <cstdlib>
#include <optional>
#include <utility>

namespace evtwin {
namespace {

namespace fs = std::filesystem;

using test::kBaselines;

fs::path fixture_dir() {
    return EVTWIN_FIXTURE_PLUGIN_DIR;
}
fs::path fixture(const std::string& name) {
    return fixture_dir() / ("libevtwin_" + name + ".so");
}
fs::path baseline(const std::string& name) {
    return test::plugin_dir() / ("libevtwin_" + name + ".so");
}
fs::path real_path(const fs::path& p) {
    return fs::weakly_canonical(p);
}

// Sets EVTWIN_PLUGIN_PATH for one test and restores what was there.
class PluginPathGuard {
public:
    explicit PluginPathGuard(const std::string& value) {
        if (const char* old = std::getenv("EVTWIN_PLUGIN_PATH")) old_ = old;
        ::setenv("EVTWIN_PLUGIN_PATH", value.c_str(), 1);
    }
    ~PluginPathGuard() {
        if (old_)
            ::setenv("EVTWIN_PLUGIN_PATH", old_->c_str(), 1);
        else
            ::unsetenv("EVTWIN_PLUGIN_PATH");
    }

private:
    std::optional<std::string> old_;
};

// The message of the PluginError that `f` throws; "(no PluginError)", which no check accepts, when none.
template <class F>
std::string plugin_error(F&& f) {
    return test::error_of<PluginError>(std::forward<F>(f));
}

bool library_is_loaded(const fs::path& path) {
    void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
    if (h) ::dlclose(h);
    return h != nullptr;
}

test::SiteFixture busy_site() {
    test::SiteFixture site{20.0};
    for (int i = 0; i < 3; ++i) {
        const ConnectorIndex c = site.add_charger(site.grid(), 11.0);
        site.plug(c, i, 8 - i, 30, 11);
    }
    return site;
}

TEST(PluginLoader, HostFingerprintNamesCompilerLibraryAndSdk) {
    const std::string fp = host_build_fingerprint();
    EXPECT_EQ(fp, EVTWIN_BUILD_FINGERPRINT);
    EXPECT_NE(fp.find("sdk-" EVTWIN_SDK_HASH), std::string::npos) << fp;
    EXPECT_NE(fp.find("libstdc++"), std::string::npos) << fp;
}

TEST(PluginLoader, LoadsEachBaselineByPathAndDecidesAsTheBuiltInOne) {
    test::SiteFixture site = busy_site();
    const Observation obs = site.observation();
    for (const char* name : kBaselines) {
        StrategyHandle loaded = load_strategy(baseline(name).string());
        ASSERT_TRUE(loaded) << name;
        EXPECT_EQ(loaded.name(), name);
        EXPECT_EQ(loaded.version(), test::baseline_version(name));
        EXPECT_EQ(loaded.plugin().path(), baseline(name));
        StrategyHandle built_in = load_static_strategy(name);
        EXPECT_TRUE(built_in.plugin().path().empty());
        const Decision a = test::decide(*loaded, obs);
        const Decision b = test::decide(*built_in, obs);
        EXPECT_EQ(a.connector_kw, b.connector_kw) << name;
        EXPECT_EQ(test::decision_problems(obs, a), "") << name;
        EXPECT_GT(a.connector_kw[0] + a.connector_kw[1] + a.connector_kw[2], 19.0) << name;
    }
}

TEST(PluginLoader, LoadsEachBaselineByNameFromTheBuildPluginDirectory) {
    PluginPathGuard path("");
    for (const char* name : kBaselines) {
        StrategyHandle s = load_strategy(name);
        EXPECT_EQ(s.name(), name);
        EXPECT_EQ(real_path(s.plugin().path()), real_path(baseline(name))) << name;
    }
}

TEST(PluginLoader, SearchPathStartsWithEnvironmentThenTheExecutableAndTheBuild) {
    const fs::path a = test::temp_dir("search-a");
    const fs::path b = test::temp_dir("search-b");
    PluginPathGuard path(a.string() + "::" + b.string() + ":" + a.string());
    const std::vector<fs::path> dirs = plugin_search_path();
    ASSERT_GE(dirs.size(), 3u);
    EXPECT_EQ(dirs[0], real_path(a));
    EXPECT_EQ(dirs[1], real_path(b));
    // The test program lives in <build>/bin, so <exe>/../plugins is the build's plugin directory.
    EXPECT_EQ(dirs[2], real_path(test::plugin_dir()));
    for (std::size_t i = 0; i < dirs.size(); ++i)
        for (std::size_t j = i + 1; j < dirs.size(); ++j) EXPECT_NE(dirs[i], dirs[j]);
}

TEST(PluginLoader, EnvironmentDirectoriesComeFirstAndShadowTheBuild) {
    const fs::path dir = test::temp_dir("shadow");
    fs::copy_file(baseline("edf"), dir / "libevtwin_edf.so");
    PluginPathGuard path(dir.string());
    {
        // Closed before the discovery below: LeakSanitizer's walk of the threads' dynamic TLS at exit
        // reads a stale entry (and crashes) when a plugin stays open while the discovery loads and
        // unloads the LibTorch plugins and their hundreds of libraries. The sanitizer's limit, not the
        // loader's: the discovery alone, or a loaded plugin alone, exit cleanly.
        StrategyHandle s = load_strategy("edf");
        EXPECT_EQ(s.plugin().path(), real_path(dir) / "libevtwin_edf.so");
    }

    const std::vector<PluginInfo> found = discover_plugins();
    int edf_seen = 0;
    for (const PluginInfo& p : found) {
        if (p.name != "edf") continue;
        ++edf_seen;
        EXPECT_TRUE(p.ok);
        if (real_path(p.path) == real_path(baseline("edf")))
            EXPECT_NE(p.note.find("shadowed by"), std::string::npos) << p.note;
        else
            EXPECT_EQ(p.note, "");
    }
    EXPECT_EQ(edf_seen, 2);
}

TEST(PluginLoader, RefusesAnotherAbiVersion) {
    const std::string what = plugin_error([] { open_plugin(fixture("abi999")); });
    EXPECT_EQ(what, "plugin " + fixture("abi999").string() + ": ABI version 999, this evtwin expects " +
                        std::to_string(kPluginAbiVersion) + ": rebuild the plugin against this evtwin SDK");
}

TEST(PluginLoader, RefusesAnotherFingerprintShowingBoth) {
    const std::string what = plugin_error([] { open_plugin(fixture("other_fingerprint")); });
    EXPECT_NE(what.find(fixture("other_fingerprint").string()), std::string::npos) << what;
    EXPECT_NE(what.find("'gcc-0.0.0;libstdc++-cxx11abi0;sdk-0000000000000000'"), std::string::npos) << what;
    EXPECT_NE(what.find(std::string("'") + host_build_fingerprint() + "'"), std::string::npos) << what;
    EXPECT_NE(what.find("rebuild the plugin"), std::string::npos) << what;
}

TEST(PluginLoader, RefusesAnotherDescriptorSize) {
    const std::string what = plugin_error([] { open_plugin(fixture("bad_size")); });
    EXPECT_NE(what.find("descriptor of 16 bytes, this evtwin expects " +
                        std::to_string(sizeof(evtwin_plugin_descriptor))),
              std::string::npos)
        << what;
}

TEST(PluginLoader, RefusesASharedObjectWithoutTheEntry) {
    const std::string what = plugin_error([] { open_plugin(fixture("no_entry")); });
    EXPECT_NE(what.find("no symbol 'evtwin_plugin_entry'"), std::string::npos) << what;
    EXPECT_NE(what.find("EVTWIN_STRATEGY"), std::string::npos) << what;
    // The refused library is not left loaded.
    EXPECT_FALSE(library_is_loaded(fixture("no_entry")));
}

TEST(PluginLoader, RefusesAnEntryWithoutDescriptor) {
    const std::string what = plugin_error([] { open_plugin(fixture("null_entry")); });
    EXPECT_NE(what.find("returned no descriptor"), std::string::npos) << what;
}

TEST(PluginLoader, MissingFileDirectoryAndGarbageAreRefused) {
    const fs::path dir = test::temp_dir("garbage");
    const fs::path missing = dir / "libevtwin_nothing.so";
    EXPECT_EQ(plugin_error([&] { load_strategy(missing.string()); }),
              "plugin " + missing.string() + ": no such file: check the path, or load the strategy by name");
    EXPECT_NE(plugin_error([&] { open_plugin(dir); }).find("is a directory"), std::string::npos);
    const fs::path garbage = dir / "libevtwin_garbage.so";
    test::write_file(garbage, "not an ELF file\n");
    const std::string what = plugin_error([&] { open_plugin(garbage); });
    EXPECT_NE(what.find("plugin " + garbage.string() + ": cannot load: "), std::string::npos) << what;
    EXPECT_NE(what.find("libevtwin_garbage.so"), std::string::npos) << what;  // dlerror's own text
}

TEST(PluginLoader, BadOptionsNameThePluginAndItsFile) {
    const std::string what = plugin_error([] { load_strategy(baseline("llf").string(), {{"alpha", "1"}}); });
    EXPECT_NE(what.find("strategy 'llf' (" + baseline("llf").string() + "): bad options: "),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("unknown option 'alpha'"), std::string::npos) << what;

    const std::string refused = plugin_error([] {
        load_strategy(fixture("throwing").string(), {{"fail", "options"}});
    });
    EXPECT_NE(refused.find("strategy 'throwing' (" + fixture("throwing").string() +
                           "): bad options: option fail=options is refused"),
              std::string::npos)
        << refused;
    const std::string failed = plugin_error([] { load_strategy(fixture("throwing").string()); });
    EXPECT_NE(failed.find("failed to start: cannot open its model file"), std::string::npos) << failed;
}

TEST(PluginLoader, UnknownNameListsWhereItLooked) {
    PluginPathGuard path(fixture_dir().string());
    const std::string what = plugin_error([] { load_strategy("no_such_strategy"); });
    EXPECT_NE(what.find("no strategy plugin named 'no_such_strategy'"), std::string::npos) << what;
    EXPECT_NE(what.find(real_path(fixture_dir()).string()), std::string::npos) << what;
    EXPECT_NE(what.find(real_path(test::plugin_dir()).string()), std::string::npos) << what;
    EXPECT_NE(what.find("EVTWIN_PLUGIN_PATH"), std::string::npos) << what;
}

TEST(PluginLoader, ByNameARefusedFileIsReportedNotSkipped) {
    PluginPathGuard path(fixture_dir().string());
    EXPECT_NE(plugin_error([] { load_strategy("abi999"); }).find("ABI version 999"), std::string::npos);
}

TEST(PluginLoader, ByNameTheDescriptorNameMustMatchTheFile) {
    PluginPathGuard path(fixture_dir().string());
    const std::string what = plugin_error([] { load_strategy("misnamed"); });
    EXPECT_NE(what.find("holds strategy 'not_misnamed'"), std::string::npos) << what;
    StrategyHandle by_path = load_strategy(fixture("misnamed").string());
    EXPECT_EQ(by_path.name(), "not_misnamed");
    EXPECT_EQ(by_path.version(), "0.1.0");
}

int g_static_destroyed = 0;
class CountingStrategy final : public Strategy {
public:
    void decide(const Observation&, Decision& out) override { out.ess_kw.assign(0, 0.0); }
};
Strategy* create_counting(const StrategyOptions&) {
    return new CountingStrategy;
}
void destroy_counting(Strategy* s) {
    ++g_static_destroyed;
    delete s;
}
const evtwin_plugin_descriptor kCountingDescriptor = {
    kPluginAbiVersion, sizeof(evtwin_plugin_descriptor), "test_only_counting",
    "9.9.9",           EVTWIN_BUILD_FINGERPRINT,         &create_counting,
    &destroy_counting};

TEST(PluginLoader, FallsBackToBuiltInStrategiesAndDestroysThroughTheDescriptor) {
    if (!find_static_strategy("test_only_counting")) static_strategies().push_back(&kCountingDescriptor);
    PluginPathGuard path("");
    g_static_destroyed = 0;
    {
        StrategyHandle a = load_strategy("test_only_counting");
        EXPECT_TRUE(a.plugin().path().empty());
        EXPECT_EQ(a.version(), "9.9.9");
        StrategyHandle b = std::move(a);
        EXPECT_FALSE(a);
        EXPECT_TRUE(b);
        StrategyHandle c = load_static_strategy("test_only_counting");
        c = std::move(b);  // c's first object dies here
        EXPECT_EQ(g_static_destroyed, 1);
    }
    EXPECT_EQ(g_static_destroyed, 2);
    EXPECT_NE(plugin_error([] { load_static_strategy("nope"); }).find("built in are"), std::string::npos);
}

TEST(PluginLoader, AStrategyKeepsItsLibraryOpen) {
    const fs::path so = fixture("misnamed");
    ASSERT_FALSE(library_is_loaded(so));
    {
        StrategyHandle s;
        {
            std::shared_ptr<const Plugin> plugin = open_plugin(so);
            s = create_strategy(plugin);
        }
        EXPECT_TRUE(library_is_loaded(so));  // the plugin object is gone, the strategy is not
        test::SiteFixture site = busy_site();
        Decision d = test::decide(*s, site.observation());
        EXPECT_EQ(d.connector_kw, std::vector<double>(3, 0.0));
    }
    EXPECT_FALSE(library_is_loaded(so));
}

TEST(PluginLoader, DiscoverListsBaselinesAsOkAndFixturesAsRefused) {
    PluginPathGuard path(fixture_dir().string());
    const std::vector<PluginInfo> found = discover_plugins();
    auto find = [&](const std::string& file) -> const PluginInfo* {
        for (const PluginInfo& p : found)
            if (p.path.filename() == file) return &p;
        return nullptr;
    };
    for (const char* name : kBaselines) {
        const PluginInfo* p = find(std::string("libevtwin_") + name + ".so");
        ASSERT_NE(p, nullptr) << name;
        EXPECT_TRUE(p->ok) << p->status;
        EXPECT_EQ(p->status, "ok");
        EXPECT_EQ(p->name, name);
        EXPECT_EQ(p->version, test::baseline_version(name));
        EXPECT_EQ(p->note, "");
    }
    const std::pair<const char*, const char*> refused[] = {
        {"abi999", "ABI version 999"},          {"other_fingerprint", "build fingerprint"},
        {"bad_size", "descriptor of 16 bytes"}, {"no_entry", "no symbol"},
        {"null_entry", "no descriptor"},
    };
    for (const auto& [name, why] : refused) {
        const PluginInfo* p = find(std::string("libevtwin_") + name + ".so");
        ASSERT_NE(p, nullptr) << name;
        EXPECT_FALSE(p->ok) << name;
        EXPECT_EQ(p->name, name);
        EXPECT_NE(p->status.find(why), std::string::npos) << p->status;
    }
    const PluginInfo* misnamed = find("libevtwin_misnamed.so");
    ASSERT_NE(misnamed, nullptr);
    EXPECT_TRUE(misnamed->ok);
    EXPECT_EQ(misnamed->name, "not_misnamed");
    EXPECT_NE(misnamed->note.find("load it by path"), std::string::npos) << misnamed->note;
    // The throwing plugin loads; it only fails when a strategy is created.
    ASSERT_NE(find("libevtwin_throwing.so"), nullptr);
    EXPECT_TRUE(find("libevtwin_throwing.so")->ok);
}

TEST(PluginLoader, FixturesStayOutOfTheNormalSearchPath) {
    PluginPathGuard path("");
    for (const PluginInfo& p : discover_plugins())
        EXPECT_NE(real_path(p.path.parent_path()), real_path(fixture_dir())) << p.path;
}

}  // namespace
}  // namespace evtwin
