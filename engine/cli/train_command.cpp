// `evtwin train`: runs the trainer executable evtwin-train next to this one (plugins/rl). The
// trainer links LibTorch; evtwin does not, so a build without LibTorch keeps every other verb.
// exec (not fork) hands the terminal, Ctrl-C and the exit code straight to the trainer.
#include "cli/commands.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

namespace evtwin::cli {

int train_command(const std::vector<std::string>& args) {
    std::error_code ec;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    const std::filesystem::path trainer = self.parent_path() / "evtwin-train";
    if (ec || !std::filesystem::exists(trainer)) {
        std::fprintf(stderr, "evtwin train: this build has no LibTorch (EVTWIN_WITH_TORCH=OFF)\n");
        return kUsage;
    }
    std::vector<std::string> owned;
    owned.push_back(trainer.string());
    owned.insert(owned.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : owned) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::fflush(stdout);
    ::execv(trainer.c_str(), argv.data());
    std::fprintf(stderr, "evtwin train: cannot start %s: %s\n", trainer.c_str(), std::strerror(errno));
    return kFailure;
}

}  // namespace evtwin::cli
