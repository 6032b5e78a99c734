// evtwin-serve: `evtwin serve` (docs/serve.md), which evtwin execs. A program of its own, so that the
// HTTP, WebSocket and TLS stack is loaded by the server alone, not by every other verb.
#include "cli/commands.hpp"

#include <string>
#include <vector>

int main(int argc, char** argv) {
    using namespace evtwin::cli;
    const std::vector<std::string> args(argv + 1, argv + argc);
    return run_verb("serve", [&] { return serve_command(args); });
}
