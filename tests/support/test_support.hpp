#pragma once
// Helpers shared by the test suites.
#include <gtest/gtest.h>

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

namespace evtwin::test {

// A file in the shared reference data (../shared/data), e.g. data_file("prices/nl_day_ahead_2016.csv").
std::filesystem::path data_file(const std::string& relative);
// A file of the source tree, e.g. source_file("scenarios/quickstart.lua").
std::filesystem::path source_file(const std::string& relative);
// The evtwin executable and the plugin directory of this build.
std::filesystem::path evtwin_binary();
std::filesystem::path plugin_dir();
// evtwin_binary() as the start of a command line.
std::string evtwin_command();
// A fresh, empty directory for one test; removed when the process ends with every test passed.
std::filesystem::path temp_dir(const std::string& name);
// Writes `content` to `file` (bytes as given, replacing the file), creating its folders; returns `file`.
std::filesystem::path write_file(const std::filesystem::path& file, const std::string& content);
// The bytes of a file; throws std::runtime_error when it cannot be read.
std::string read_file(const std::filesystem::path& file);

// The name of a type without its namespaces, e.g. "DataError".
std::string short_type_name(const std::type_info& type);

// The message of the Error that f() throws, or "(no Error)" when it returns normally; any other
// exception passes through (and fails the test).
template <class Error, class F>
std::string error_of(F&& f) {
    try {
        std::forward<F>(f)();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no " + short_type_name(typeid(Error)) + ")";
}

struct CommandResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr together
};
// Runs a shell command line and captures what it printed.
CommandResult run_command(const std::string& command_line);

// A program started without waiting for it, its stdout and stderr going to `output`.
struct Background {
    pid_t pid = -1;
    std::filesystem::path output;
};
// Starts argv[0] (a path) with the test's environment and signal dispositions.
Background start_background(const std::vector<std::string>& argv, const std::filesystem::path& output);
// Waits for it to end: its exit code, or 128 + the signal that ended it (as a shell reports it).
int wait_for_exit(const Background& process);
// Calls `ready` every 20 ms until it returns true (true) or `limit` has passed (false). Tests wait
// for something the program under test does, never for a fixed time.
bool wait_until(const std::function<bool()>& ready, std::chrono::milliseconds limit);

// Whether the environment variable CI holds a true value: set, and not empty, 0, false, no or off
// (any case). CI services set CI=true. tests/support/tool_gate.sh applies the same rule to the tests
// ctest runs directly.
bool under_ci();
// Whether `name` is a program on the PATH.
bool have_program(const std::string& name);

}  // namespace evtwin::test

// The rule for a test that needs a tool outside the build (node, Xvfb, Chromium): when `available` is
// false, under CI the test fails, elsewhere it is skipped; either way `message` names what is missing
// and how to install it. A test that passed by skipping in CI would hide that it never ran.
#define EVTWIN_REQUIRE_TOOL(available, message)                                                \
    do {                                                                                       \
        if (available) break;                                                                  \
        if (::evtwin::test::under_ci()) FAIL() << "missing under CI (CI is set): " << message; \
        GTEST_SKIP() << message;                                                               \
    } while (false)
