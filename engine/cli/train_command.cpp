// `evtwin train`: runs the trainer evtwin-train (plugins/rl).
#include "cli/commands.hpp"
#include "cli/exec_tool.hpp"

namespace evtwin::cli {

int train_command(const std::vector<std::string>& args) {
    return exec_tool("evtwin-train", "train", args, kNoTorch);
}

}  // namespace evtwin::cli
