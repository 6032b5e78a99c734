// The example strategy of docs/strategy-sdk.md, compiled as a strategy developer compiles it, against
// the SDK headers alone, then run by evtwin with a good and a bad option: the guide's code works.
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace evtwin {
namespace {

// The guide's first C++ block.
std::string guide_example() {
    const std::string guide = test::read_file(test::source_file("docs/strategy-sdk.md"));
    const std::string open = "```cpp\n";
    const std::size_t begin = guide.find(open);
    if (begin == std::string::npos) return {};
    const std::size_t end = guide.find("```", begin + open.size());
    return guide.substr(begin + open.size(), end - begin - open.size());
}

TEST(SdkGuide, TheExampleStrategyBuildsRunsAndRefusesABadOption) {
    const std::string code = guide_example();
    ASSERT_NE(code.find("EVTWIN_STRATEGY(Greedy"), std::string::npos) << code;
    const auto dir = test::temp_dir("sdk_guide");
    std::ofstream(dir / "greedy.cpp") << code;
    const auto plugin = dir / "libevtwin_greedy.so";
    const auto built =
        test::run_command(std::string(EVTWIN_CXX_COMPILER) + " -std=c++20 -fPIC -shared -I" +
                          test::source_file("engine/include").string() + " -I" + EVTWIN_TEST_BINARY_DIR +
                          "/generated " + (dir / "greedy.cpp").string() + " -o " + plugin.string());
    ASSERT_EQ(built.exit_code, 0) << built.output;

    const std::string run = test::evtwin_command() + " run " +
                            test::source_file("scenarios/quickstart.lua").string() + " --quiet --strategy " +
                            plugin.string() + " --db " + (dir / "runs.db").string();
    const auto half = test::run_command(run + " --opt share=0.5");
    EXPECT_EQ(half.exit_code, 0) << half.output;
    const auto bad = test::run_command(run + " --opt share=2");
    EXPECT_EQ(bad.exit_code, 4) << bad.output;
    EXPECT_NE(bad.output.find("strategy 'greedy' (" + plugin.string() +
                              "): bad options: option share='2' must be a number from 0 to 1"),
              std::string::npos)
        << bad.output;
}

}  // namespace
}  // namespace evtwin
