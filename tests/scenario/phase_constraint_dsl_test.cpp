// phase_constraint{} and the charger's voltage_v / phase_deg in the scenario DSL.
#include "scenario_test_util.hpp"

#include <gmock/gmock.h>

namespace evtwin::test {
namespace {

// Caltech-style: 208 V delta branches AB (30°) and CA (150°); the secondary's line current
// I3a = AB − CA is limited to 150 kVA / 3 / 120 V.
const char* const kChargers =
    "local ab = charger { name = \"CA-308\", max_kw = 6.656, voltage_v = 208, phase_deg = 30 }\n"  // line 4
    "charger { name = \"CA-307\", max_kw = 6.656, voltage_v = 208, phase_deg = 150 }\n"            // line 5
    "charger { name = \"CP\", max_kw = 11 }\n";                                                    // line 6

TEST(PhaseConstraintDsl, ChargersAndConstraintsReachTheSpec) {
    const auto file =
        write_scenario("phase-ok", std::string(kHeader) + kChargers +
                                       "phase_constraint { name = \"I3a\", limit_a = 150 * 1000 / 3 / 120, "
                                       "terms = { {ab, 1}, {\"CA-307\", -1} } }\n"
                                       "phase_constraint { name = \"pod\", limit_a = 80, terms = { "
                                       "\"CA-308\", {\"CP\"}, {\"CA-307\", 0.25} } }\n");
    const ScenarioSpec spec = load_scenario(file);
    ASSERT_EQ(spec.chargers.size(), 3u);
    EXPECT_EQ(spec.chargers[0].voltage_v, 208.0);
    EXPECT_EQ(spec.chargers[0].phase_deg, 30.0);
    EXPECT_EQ(spec.chargers[1].phase_deg, 150.0);
    EXPECT_EQ(spec.chargers[2].voltage_v, 230.0);  // the defaults
    EXPECT_EQ(spec.chargers[2].phase_deg, 0.0);
    ASSERT_EQ(spec.phase_constraints.size(), 2u);
    const PhaseConstraintSpec& i3a = spec.phase_constraints[0];
    EXPECT_EQ(i3a.name, "I3a");
    EXPECT_DOUBLE_EQ(i3a.limit_a, 150.0 * 1000.0 / 3.0 / 120.0);
    ASSERT_EQ(i3a.terms.size(), 2u);
    EXPECT_EQ(i3a.terms[0].charger, 0u);
    EXPECT_EQ(i3a.terms[0].coefficient, 1.0);
    EXPECT_EQ(i3a.terms[1].charger, 1u);
    EXPECT_EQ(i3a.terms[1].coefficient, -1.0);
    const PhaseConstraintSpec& pod = spec.phase_constraints[1];
    ASSERT_EQ(pod.terms.size(), 3u);
    EXPECT_EQ(pod.terms[0].charger, 0u);
    EXPECT_EQ(pod.terms[0].coefficient, 1.0);
    EXPECT_EQ(pod.terms[1].charger, 2u);
    EXPECT_EQ(pod.terms[1].coefficient, 1.0);
    EXPECT_EQ(pod.terms[2].coefficient, 0.25);
}

TEST(PhaseConstraintDsl, ErrorsNameTheLineAndWhatIsWrong) {
    const std::pair<std::string, std::string> cases[] = {
        {"phase_constraint { name = \"k\", limit_a = 10, terms = { {\"CA-999\", 1} } }",
         "phase_constraint: 'terms' entry 1: unknown charger 'CA-999'; the chargers declared so far are: "
         "CA-308, CA-307, CP"},
        {"phase_constraint { name = \"k\", limit_a = 10, terms = {} }",
         "phase_constraint: 'terms' must list at least one {charger, coefficient}"},
        {"phase_constraint { name = \"k\", limit_a = 10 }",
         "phase_constraint: missing required key 'terms' (a list of {charger, coefficient})"},
        {"phase_constraint { name = \"k\", limit_a = 0, terms = { \"CP\" } }",
         "phase_constraint: 'limit_a' must be > 0, got 0"},
        {"phase_constraint { name = \"k\", limit_a = -5, terms = { \"CP\" } }",
         "phase_constraint: 'limit_a' must be > 0, got -5"},
        {"phase_constraint { name = \"k\", terms = { \"CP\" } }",
         "phase_constraint: missing required key 'limit_a' (a number)"},
        {"phase_constraint { name = \"k\", limit_a = 10, terms = { \"CP\", {\"CP\", -1} } }",
         "phase_constraint: 'terms' entry 2: charger 'CP' is listed twice"},
        {"phase_constraint { name = \"k\", limit_a = 10, terms = { {\"CP\", \"x\"} } }",
         "phase_constraint: 'terms' entry 1: the coefficient must be a number, got string 'x'"},
        {"phase_constraint { name = \"k\", limit_a = 10, terms = { {\"CP\", 1, 2} } }",
         "phase_constraint: 'terms' entry 1 must be {charger, coefficient}"},
        {"phase_constraint { name = \"k\", limit_a = 10, terms = { 42 } }",
         "phase_constraint: 'terms' entry 1: expected a charger (what charger{} returned) or its name, got "
         "number 42"},
        {"phase_constraint { name = \"k\", limit_a = 10, terms = \"CP\" }",
         "phase_constraint: 'terms' must be a list of {charger, coefficient}, got string 'CP'"},
        {"phase_constraint { name = \"CP\", limit_a = 10, terms = { \"CP\" } }",
         "phase_constraint: name 'CP'"},
        {"charger { name = \"c\", max_kw = 11, voltage_v = 0 }", "charger: 'voltage_v' must be > 0, got 0"},
        {"charger { name = \"c\", max_kw = 11, phase_deg = \"AB\" }",
         "charger: 'phase_deg' must be a number, got string 'AB'"},
    };
    int i = 0;
    for (const auto& [statement, expected] : cases) {
        const auto file = write_scenario("phase-error-" + std::to_string(i++),
                                         std::string(kHeader) + kChargers + statement + "\n");
        EXPECT_THAT(load_error(file), ::testing::StartsWith(at(file, 7) + expected)) << statement;
    }
}

TEST(PhaseConstraintDsl, ATermMustComeAfterItsCharger) {
    const auto file = write_scenario(
        "phase-order", std::string(kHeader) +
                           "phase_constraint { name = \"k\", limit_a = 10, terms = { \"late\" } }\n" +
                           "charger { name = \"late\", max_kw = 11 }\n");
    EXPECT_EQ(load_error(file),
              at(file, 4) +
                  "phase_constraint: 'terms' entry 1: unknown charger 'late'; the chargers declared so "
                  "far are: (none)");
}

// The Caltech-style example of docs/scenario-dsl.md loads as documented.
TEST(PhaseConstraintDsl, TheDocumentedCaltechExampleLoads) {
    const std::string doc = read_file(source_file("docs/scenario-dsl.md"));
    const auto intro = doc.find("Caltech-style example");
    ASSERT_NE(intro, std::string::npos);
    const auto begin = doc.find("```lua\n", intro);
    ASSERT_NE(begin, std::string::npos);
    const auto end = doc.find("```", begin + 7);
    const std::string example = doc.substr(begin + 7, end - begin - 7);
    const ScenarioSpec spec = load_scenario(write_scenario("phase-doc", std::string(kHeader) + example));
    EXPECT_EQ(spec.chargers.size(), 12u);
    ASSERT_EQ(spec.phase_constraints.size(), 5u);
    EXPECT_EQ(spec.phase_constraints[0].name, "I3a");
    EXPECT_EQ(spec.phase_constraints[0].terms.size(), 8u);
    EXPECT_NEAR(spec.phase_constraints[0].limit_a, 416.67, 0.01);
    const PhaseConstraintSpec& i2a = spec.phase_constraints[3];
    ASSERT_EQ(i2a.terms.size(), 12u);
    double sum = 0.0;
    for (const PhaseTermSpec& t : i2a.terms) sum += t.coefficient;
    EXPECT_DOUBLE_EQ(sum, 0.0);  // 4 × (1/4 + 1/4 − 1/2)
    EXPECT_EQ(spec.phase_constraints[4].terms.size(), 8u);
}

}  // namespace
}  // namespace evtwin::test
