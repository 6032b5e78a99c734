#pragma once
// Runs a tool that ships next to `evtwin`: evtwin-train and evtwin-forecast (they link LibTorch,
// evtwin does not, so a build without LibTorch keeps every other verb) and evtwin-serve (the server's
// HTTP, WebSocket and TLS stack). exec (not fork) hands the terminal, Ctrl-C and the exit code
// straight to the tool.
#include <string>
#include <vector>

namespace evtwin::cli {

// Returns only when the tool cannot be started: kUsage when it is not next to evtwin (`missing` says
// why it may not be), kFailure otherwise.
int exec_tool(const std::string& tool, const std::string& verb, const std::vector<std::string>& args,
              const std::string& missing);

// Why a LibTorch tool may be missing.
inline constexpr const char* kNoTorch = "this build has no LibTorch (EVTWIN_WITH_TORCH=OFF)";

}  // namespace evtwin::cli
