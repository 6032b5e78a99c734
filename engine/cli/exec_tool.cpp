#include "cli/exec_tool.hpp"

#include "cli/commands.hpp"

#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace evtwin::cli {

int exec_tool(const std::string& tool, const std::string& verb, const std::vector<std::string>& args,
              const std::string& missing) {
    std::error_code ec;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    const std::filesystem::path path = self.parent_path() / tool;
    if (ec || !std::filesystem::exists(path)) {
        std::fprintf(stderr, "evtwin %s: no %s next to evtwin: %s\n", verb.c_str(), tool.c_str(),
                     missing.c_str());
        return kUsage;
    }
    std::vector<std::string> owned;
    owned.push_back(path.string());
    owned.insert(owned.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : owned) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::fflush(stdout);
    ::execv(path.c_str(), argv.data());
    std::fprintf(stderr, "evtwin %s: cannot start %s: %s\n", verb.c_str(), path.c_str(),
                 std::strerror(errno));
    return kFailure;
}

}  // namespace evtwin::cli
