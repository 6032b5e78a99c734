#pragma once
// Helpers shared by the test suites.
#include <filesystem>
#include <string>

namespace evtwin::test {

// A file in the shared reference data (../shared/data), e.g. data_file("prices/nl_day_ahead_2016.csv").
std::filesystem::path data_file(const std::string& relative);
// A file of the source tree, e.g. source_file("scenarios/quickstart.lua").
std::filesystem::path source_file(const std::string& relative);
// The evtwin executable and the plugin directory of this build.
std::filesystem::path evtwin_binary();
std::filesystem::path plugin_dir();
// A fresh, empty directory for one test.
std::filesystem::path temp_dir(const std::string& name);

struct CommandResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr together
};
// Runs a shell command line and captures what it printed.
CommandResult run_command(const std::string& command_line);

}  // namespace evtwin::test
