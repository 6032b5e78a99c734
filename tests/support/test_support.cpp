#include "support/test_support.hpp"

#include <cxxabi.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace evtwin::test {

std::filesystem::path data_file(const std::string& relative) {
    return std::filesystem::path(EVTWIN_TEST_DATA_DIR) / relative;
}

std::filesystem::path source_file(const std::string& relative) {
    return std::filesystem::path(EVTWIN_TEST_SOURCE_DIR) / relative;
}

std::filesystem::path evtwin_binary() {
    return std::filesystem::path(EVTWIN_TEST_BINARY_DIR) / "bin" / "evtwin";
}

std::string evtwin_command() {
    return evtwin_binary().string();
}

std::filesystem::path plugin_dir() {
    return std::filesystem::path(EVTWIN_TEST_BINARY_DIR) / "plugins";
}

namespace {

// The directories temp_dir made in this process. They are removed when the process ends with
// every test passed, so that a failure's files stay for a look (EVTWIN_KEEP_TEST_FILES keeps all).
class TempDirs {
public:
    void add(const std::filesystem::path& dir) { dirs_.push_back(dir); }
    ~TempDirs() {
        // A forked child that exits must not remove what its parent still uses.
        if (::getpid() != owner_ || std::getenv("EVTWIN_KEEP_TEST_FILES")) return;
        if (!::testing::UnitTest::GetInstance()->Passed()) return;
        for (const auto& dir : dirs_) {
            std::error_code ignored;
            std::filesystem::remove_all(dir, ignored);
        }
    }

private:
    pid_t owner_ = ::getpid();
    std::vector<std::filesystem::path> dirs_;
};

}  // namespace

std::filesystem::path temp_dir(const std::string& name) {
    static TempDirs made;
    auto dir =
        std::filesystem::temp_directory_path() / ("evtwin-test-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    made.add(dir);
    return dir;
}

std::filesystem::path write_file(const std::filesystem::path& file, const std::string& content) {
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + file.string());
    return file;
}

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string short_type_name(const std::type_info& type) {
    int status = 0;
    const std::unique_ptr<char, void (*)(void*)> name(
        abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
    std::string s = status == 0 && name ? name.get() : type.name();
    const auto colons = s.rfind("::");
    return colons == std::string::npos ? s : s.substr(colons + 2);
}

CommandResult run_command(const std::string& command_line) {
    CommandResult result;
    FILE* pipe = ::popen((command_line + " 2>&1").c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run: " + command_line);
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        result.output.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

Background start_background(const std::vector<std::string>& argv, const std::filesystem::path& output) {
    if (argv.empty()) throw std::invalid_argument("start_background: no program");
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("cannot fork for " + argv[0]);
    if (pid == 0) {  // only async-signal-safe calls until exec
        const int fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || ::dup2(fd, STDOUT_FILENO) < 0 || ::dup2(fd, STDERR_FILENO) < 0) ::_exit(127);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    return Background{pid, output};
}

int wait_for_exit(const Background& process) {
    int status = 0;
    if (::waitpid(process.pid, &status, 0) != process.pid) throw std::runtime_error("waitpid failed");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool wait_until(const std::function<bool()>& ready, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!ready()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

bool under_ci() {
    const char* value = std::getenv("CI");
    if (value == nullptr) return false;
    std::string v(value);
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
    return !(v.empty() || v == "0" || v == "false" || v == "no" || v == "off");
}

bool have_program(const std::string& name) {
    return run_command("command -v '" + name + "' >/dev/null").exit_code == 0;
}

}  // namespace evtwin::test
