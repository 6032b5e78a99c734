// Property tests: whatever a user writes, the loader either returns a spec or throws a
// ScenarioError that starts with "file:" - never another exception, never a crash.
#include "scenario_test_util.hpp"

#include "util/rng.hpp"

#include <gmock/gmock.h>

namespace evtwin::test {
namespace {

// Loads `text`; fails the test unless it loads or raises a located ScenarioError.
void expect_clean_outcome(const std::filesystem::path& file, const std::string& text) {
    write_file(file, text);
    ScenarioLoadOptions options;
    options.instruction_limit = 1'000'000;
    options.memory_limit_bytes = std::size_t{64} << 20;
    try {
        load_scenario(file, options);
    } catch (const ScenarioError& e) {
        const std::string message = e.what();
        EXPECT_EQ(message.rfind(file.lexically_normal().string() + ":", 0), 0u)
            << message << "\n--- script:\n"
            << text;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not a ScenarioError: " << e.what() << "\n--- script:\n" << text;
    }
}

// `rounds` copies of the case file, each with a few bytes erased, inserted or changed, loaded.
void mutate_and_load(const std::string& case_file, const std::string& name, std::uint64_t seed, int rounds) {
    const std::string original = read_file(source_file("tests/scenario/cases/" + case_file));
    const auto dir = temp_dir(name);
    // The mutated copy lives next to a copy of nothing: relative files and lib/ do not exist there.
    const auto file = dir / "mutant.lua";
    Rng rng(seed);
    const char* const tokens[] = {"{",   "}",  ",",       "=",       "\"",  "-",         "nil",   "true",
                                  "0",   "-1", "1e308",   "(",       ")",   "..",        "days(", "local",
                                  "end", "\n", "charger", "session", "0/0", "math.huge", "[[",    "#"};
    for (int round = 0; round < rounds; ++round) {
        std::string text = original;
        const int edits = 1 + static_cast<int>(rng.below(4));
        for (int e = 0; e < edits; ++e) {
            const std::size_t at = rng.below(text.size());
            switch (rng.below(3)) {
                case 0:
                    text.erase(at, 1 + rng.below(8));
                    break;
                case 1:
                    text.insert(at, tokens[rng.below(std::size(tokens))]);
                    break;
                default:
                    text[at] = static_cast<char>(32 + rng.below(95));
                    break;
            }
        }
        expect_clean_outcome(file, text);
    }
}

TEST(ScenarioFuzz, MutatedScenariosFailCleanly) {
    mutate_and_load("explicit_sessions.lua", "scenario-fuzz", 20240701, 300);
}

// A feeder described in Lua: its element tables become OpenDSS commands, which a mutation must not
// turn into anything but a located error (or a feeder that loads).
TEST(ScenarioFuzz, MutatedFeedersFailCleanly) {
    mutate_and_load("distribution_feeder.lua", "scenario-fuzz-feeder", 70, 300);
}

TEST(ScenarioFuzz, AnyValueInAnyFieldFailsCleanly) {
    const char* const values[] = {"-1",
                                  "0",
                                  "1e309",
                                  "-1e309",
                                  "0/0",
                                  "math.huge",
                                  "\"11\"",
                                  "\"\"",
                                  "true",
                                  "{}",
                                  "{1, 2}",
                                  "{{0, 1}, {2}}",
                                  "print",
                                  "hours(1)",
                                  "-hours(1)",
                                  "2^63",
                                  "math.maxinteger",
                                  "\"2024-07-01T25:00\"",
                                  "{ name = \"T1\" }",
                                  "setmetatable({}, {__index = error})"};
    const char* const statements[] = {
        "charger { name = \"c\", max_kw = %, setpoints_kw = {0, 11} }",
        "charger { name = %, max_kw = 11, connectors = % }",
        "ess { capacity_kwh = %, max_charge_kw = %, max_discharge_kw = 5, soc_min = % }",
        "session { arrival = %, departure = \"2016-03-07T17:00\", requested_kwh = %, curve = % }",
        "transformer { name = \"T\", parent = %, limit_kw = % }",
        "load { kw = %, name = % }",
        "economics { v2g_price_factor = % }",
        "rl { reward = %, window = %, unmet_weight = %, departure_scale = % }",
        "arrivals.elaadnl { per_weekday = %, v2g_fleet = % }",
        "local x = param(\"p\", %)",
        "local x = days(%)",
        "pv { kwp = %, profile = % }",
        "distribution_feeder { source = %, lines = { { name = \"l\", bus1 = \"s\", bus2 = \"b\", r1 = %, "
        "length = % } }, sites = { { node = %, bus = \"b\", phases = % } } }",
        "distribution_feeder { source = { bus1 = \"s\", basekv = % }, loads = { { name = %, bus1 = \"s\", "
        "kw = % } }, sites = %, v_min_pu = %, max_loading = % }",
        "distribution_feeder { dss = %, sites = %, load_profile = %, tap_control = % }",
    };
    const auto file = temp_dir("scenario-fuzz-values") / "values.lua";
    Rng rng(7);
    for (const char* statement : statements) {
        for (int round = 0; round < 30; ++round) {
            std::string line = statement;
            for (std::size_t p; (p = line.find('%')) != std::string::npos;) {
                line.replace(p, 1, values[rng.below(std::size(values))]);
            }
            expect_clean_outcome(file, std::string(kHeader) + line + "\n");
        }
    }
}

}  // namespace
}  // namespace evtwin::test
