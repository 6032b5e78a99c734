#include "support/test_support.hpp"

#include <array>
#include <cstdio>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace evtwin::test {

std::filesystem::path data_file(const std::string& relative) {
    return std::filesystem::path(EVTWIN_TEST_DATA_DIR) / relative;
}

std::filesystem::path source_file(const std::string& relative) {
    return std::filesystem::path(EVTWIN_TEST_SOURCE_DIR) / relative;
}

std::filesystem::path evtwin_binary() { return std::filesystem::path(EVTWIN_TEST_BINARY_DIR) / "bin" / "evtwin"; }

std::filesystem::path plugin_dir() { return std::filesystem::path(EVTWIN_TEST_BINARY_DIR) / "plugins"; }

std::filesystem::path temp_dir(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() /
               ("evtwin-test-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

CommandResult run_command(const std::string& command_line) {
    CommandResult result;
    FILE* pipe = ::popen((command_line + " 2>&1").c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run: " + command_line);
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

}  // namespace evtwin::test
