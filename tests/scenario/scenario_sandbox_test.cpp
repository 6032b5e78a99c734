// The Lua sandbox: what a script can and cannot reach, require's folders, seeded math.random.
#include "scenario_test_util.hpp"

#include <gmock/gmock.h>

namespace evtwin::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ScenarioSandbox, DangerousLibrariesAreAbsent) {
    const auto file = write_scenario("absent", std::string(kHeader) + R"(
for _, name in ipairs { "io", "os", "loadfile", "dofile", "debug", "package", "collectgarbage",
                        "loadstring", "module", "coroutine" } do
  assert(_G[name] == nil, name .. " must not be reachable")
end
-- "load" is the DSL's site-load constructor, not Lua's chunk loader.
local ok, message = pcall(load, "return os")
assert(not ok and message:find("load: expects a table of settings", 1, true), "load must not compile code")
assert(string.dump == nil, "string.dump must not be reachable")
assert(("x").dump == nil, "string.dump must not be reachable through the string metatable")
assert(type(string.format) == "function" and type(table.concat) == "function" and math.pi > 3)
)");
    EXPECT_NO_THROW(load_scenario(file));
}

TEST(ScenarioSandbox, CallingARemovedFunctionFails) {
    const auto file = write_scenario("call-io", std::string(kHeader) + "io.open(\"/etc/passwd\")\n");
    EXPECT_THAT(load_error(file), StartsWith(at(file, 4) + "attempt to index a nil value (global 'io')"));
    const auto dofile = write_scenario("call-dofile", "dofile(\"/etc/passwd\")\n");
    EXPECT_THAT(load_error(dofile),
                StartsWith(at(dofile, 1) + "attempt to call a nil value (global 'dofile')"));
}

TEST(ScenarioSandbox, RequireLoadsFromTheScenarioLibFolder) {
    const auto spec = load_scenario(source_file("tests/scenario/cases/uses_lib.lua"));
    ASSERT_EQ(spec.chargers.size(), 4u);
    EXPECT_EQ(spec.chargers[0].name, "AC01");
    EXPECT_EQ(spec.chargers[3].name, "AC04");
    ASSERT_EQ(spec.nodes.size(), 2u);
    EXPECT_EQ(spec.nodes[1].name, "F-nested");
    EXPECT_EQ(spec.chargers[2].parent, 1u);
}

TEST(ScenarioSandbox, RequireRefusesNamesOutsideTheLibFolders) {
    const auto dir = temp_dir("scenario-require-outside");
    write_file(dir / "secret.lua", "return 42\n");
    for (const std::string name :
         {"../secret", "/etc/passwd", "lib/../../secret", "a..b", "sub/x", ".hidden", ""}) {
        const auto file = write_file(dir / "lib" / "main.lua", "local x = require(\"" + name + "\")\n");
        const std::string message = load_error(file);
        EXPECT_THAT(message, StartsWith(at(file, 1) + "require: module name '" + name + "' is not allowed"))
            << name;
        EXPECT_THAT(message, HasSubstr((dir / "lib" / "lib").string() + "/ or ")) << message;
    }
}

TEST(ScenarioSandbox, RequireOfAMissingModuleNamesTheFolders) {
    const auto dir = temp_dir("scenario-require-missing");
    const auto file = write_file(dir / "main.lua", "\nrequire(\"os\")\n");
    const std::string message = load_error(file);
    EXPECT_THAT(message, StartsWith(at(file, 2) + "require: module 'os' not found: looked for os.lua in " +
                                    (dir / "lib").string() + "/ or "));
    EXPECT_THAT(message, HasSubstr("scenarios/lib/"));
}

TEST(ScenarioSandbox, RequireRefusesBinaryChunksAndCycles) {
    const auto dir = temp_dir("scenario-require-binary");
    write_file(dir / "lib" / "bin.lua", std::string("\x1bLua\x54\x00", 6) + "garbage");
    const auto file = write_file(dir / "main.lua", "require(\"bin\")\n");
    EXPECT_THAT(load_error(file), HasSubstr("attempt to load a binary chunk"));

    write_file(dir / "lib" / "a.lua", "return require(\"b\")\n");
    write_file(dir / "lib" / "b.lua", "return require(\"a\")\n");
    const auto cycle = write_file(dir / "cycle.lua", "require(\"a\")\n");
    EXPECT_THAT(load_error(cycle), HasSubstr("require: module 'a' requires itself (a cycle)"));
}

TEST(ScenarioSandbox, SyntaxErrorInAModuleNamesTheModule) {
    const auto dir = temp_dir("scenario-require-syntax");
    const auto module = write_file(dir / "lib" / "broken.lua", "local M = {}\n\nfunction M.f(\nreturn M\n");
    const auto file = write_file(dir / "main.lua", "require(\"broken\")\n");
    EXPECT_THAT(load_error(file), StartsWith(at(module, 4)));
}

// Values math.random gives a script under a seed.
std::string random_values(std::optional<std::uint64_t> seed) {
    const auto file = write_scenario("random", R"(
scenario { name = "r", start = "2016-03-07", duration = days(1), seed = 5 }
grid {}
tariff { prices_csv = data("prices/nl_day_ahead_2016.csv"), timezone = "Europe/Amsterdam" }
local out = {}
for i = 1, 20 do out[#out + 1] = tostring(math.random(1, 1000)) end
out[#out + 1] = string.format("%.17g", math.random())
out[#out + 1] = tostring(math.random(6))
scenario_output = table.concat(out, ",")
error(scenario_output, 0)
)");
    ScenarioLoadOptions options;
    options.seed = seed;
    return load_error(file, options);
}

TEST(ScenarioSandbox, MathRandomIsSeededByTheRunSeed) {
    EXPECT_EQ(random_values(std::nullopt), random_values(std::nullopt));
    EXPECT_EQ(random_values(5), random_values(std::nullopt)) << "the scenario's seed is 5";
    EXPECT_EQ(random_values(11), random_values(11));
    EXPECT_NE(random_values(11), random_values(12));
}

TEST(ScenarioSandbox, MathRandomFollowsLuaSemantics) {
    const auto file = write_scenario("random-semantics", std::string(kHeader) + R"(
local seen = {}
for i = 1, 5000 do
  local x = math.random()
  assert(x >= 0 and x < 1 and math.type(x) == "float")
  local k = math.random(3)
  assert(math.type(k) == "integer" and k >= 1 and k <= 3)
  seen[k] = true
  local m = math.random(-2, 2)
  assert(m >= -2 and m <= 2)
  assert(math.random(7, 7) == 7)
  assert(math.random(math.mininteger, math.maxinteger) ~= nil)
end
assert(seen[1] and seen[2] and seen[3], "all of 1..3 drawn")
assert(not pcall(math.random, 0.5), "random(0.5) is an error")
assert(not pcall(math.random, 3, 1), "an empty interval is an error")
math.randomseed(99)
local a = math.random(1 << 40)
math.randomseed(99)
assert(math.random(1 << 40) == a, "randomseed restarts the stream")
)");
    EXPECT_NO_THROW(load_scenario(file));
}

TEST(ScenarioSandbox, DurationsAreValues) {
    const auto file = write_scenario("durations", R"(
assert(hours(1) + minutes(30) == minutes(90))
assert(days(1) / hours(1) == 24)
assert(hours(2) * 3 == hours(6) and 3 * hours(2) == hours(6))
assert(hours(1) / 4 == minutes(15))
assert(minutes(15) < hours(1) and hours(1) <= minutes(60))
assert(tostring(days(7)) == "7d" and tostring(minutes(90)) == "90min" and tostring(seconds(1.5)) == "1500ms")
assert(not pcall(function() return hours(1) + 5 end))
scenario { name = "d", start = "2016-03-07", duration = hours(36) + minutes(30), control_period = minutes(7.5) }
grid {}
tariff { prices_csv = data("prices/nl_day_ahead_2016.csv"), timezone = "Europe/Amsterdam" }
)");
    const auto spec = load_scenario(file);
    EXPECT_EQ((spec.end - spec.start).ms(), Duration::hours(36).ms() + Duration::minutes(30).ms());
    EXPECT_EQ(spec.control_period.ms(), 450'000);
}

}  // namespace
}  // namespace evtwin::test

namespace evtwin::test {
namespace {

TEST(ScenarioSandbox, ProjectHelpersLoadAndReportErrorsAtTheCaller) {
    const auto file = write_scenario("project-lib", std::string(kHeader) + R"(
local site = require("site")
local f = feeder { name = "F1", limit_kw = 60 }
local row = site.charger_row { prefix = "AC", count = 6, parent = f, max_kw = 11, min_kw = 4.2, v2g = 2 }
assert(#row == 6 and row[6].name == "AC06" and row[1].kind == "charger")
site.daily_sessions({ "2016-03-07", "2016-03-08" }, { arrive = "08:00", leave = "17:30", requested_kwh = 12 })
)");
    const auto spec = load_scenario(file);
    ASSERT_EQ(spec.chargers.size(), 6u);
    EXPECT_TRUE(spec.chargers[1].v2g_capable);
    EXPECT_FALSE(spec.chargers[2].v2g_capable);
    EXPECT_DOUBLE_EQ(spec.chargers[5].min_kw, 4.2);
    ASSERT_EQ(spec.sessions.size(), 2u);
    EXPECT_EQ(spec.sessions[1].departure - spec.sessions[1].arrival, Duration::minutes(570));

    const auto bad = write_scenario("project-lib-bad", std::string(kHeader) +
                                                           "local site = require(\"site\")\n"
                                                           "site.charger_row { count = 2, max_kw = -1 }\n");
    EXPECT_EQ(load_error(bad), at(bad, 5) + "charger: 'max_kw' must be > 0, got -1");
    const auto count = write_scenario("project-lib-count", std::string(kHeader) +
                                                               "local site = require(\"site\")\n"
                                                               "site.charger_row { max_kw = 11 }\n");
    EXPECT_EQ(load_error(count), at(count, 5) + "site.charger_row: 'count' must be an integer >= 1");
}

}  // namespace
}  // namespace evtwin::test

namespace evtwin::test {
namespace {

TEST(ScenarioSandbox, AFailedModuleCanBeRequiredAgainAndFailsAgain) {
    const auto dir = temp_dir("scenario-require-fails");
    write_file(dir / "lib" / "flaky.lua", "error(\"flaky module\")\n");
    const auto file = write_file(dir / "main.lua",
                                 "local ok, e = pcall(require, \"flaky\")\n"
                                 "assert(not ok)\n"
                                 "require(\"flaky\")\n");
    EXPECT_EQ(load_error(file), at(dir / "lib" / "flaky.lua", 1) + "flaky module");
}

TEST(ScenarioSandbox, ATinyMemoryLimitStopsTheScriptNotTheProcess) {
    ScenarioLoadOptions options;
    options.memory_limit_bytes = 1;
    const auto file = write_scenario("tiny-memory", "local x = 1\n");
    EXPECT_THAT(load_error(file, options), ::testing::HasSubstr("memory"));
}

}  // namespace
}  // namespace evtwin::test
