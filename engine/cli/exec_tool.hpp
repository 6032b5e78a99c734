#pragma once
// Runs a tool that ships next to `evtwin` (evtwin-train, evtwin-forecast: they link LibTorch, evtwin
// does not, so a build without LibTorch keeps every other verb). exec (not fork) hands the terminal,
// Ctrl-C and the exit code straight to the tool.
#include <string>
#include <vector>

namespace evtwin::cli {

// Returns only when the tool cannot be started: kUsage when this build has none, kFailure otherwise.
int exec_tool(const std::string& tool, const std::string& verb, const std::vector<std::string>& args);

}  // namespace evtwin::cli
