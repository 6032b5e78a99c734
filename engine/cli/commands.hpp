#pragma once
// The verbs of the `evtwin` command. Each takes the arguments after the verb and returns the exit code.
#include <functional>
#include <string>
#include <vector>

namespace evtwin::cli {

// Exit codes, documented in the README.
enum ExitCode : int {
    kOk = 0,
    kFailure = 1,
    kUsage = 2,
    kBadInput = 3,  // scenario, data file or site
    kPluginRefused = 4,
    kInterrupted = 130,
};

int run_command(const std::vector<std::string>& args);
int compare_command(const std::vector<std::string>& args);
int plugins_command(const std::vector<std::string>& args);
int ocpp_command(const std::vector<std::string>& args);
int ocpi_command(const std::vector<std::string>& args);
int train_command(const std::vector<std::string>& args);  // execs evtwin-train (plugins/rl)
int battery_command(const std::vector<std::string>& args);
int forecast_command(const std::vector<std::string>& args);  // train execs evtwin-forecast
int drivers_command(const std::vector<std::string>& args);   // train execs evtwin-drivers
int sweep_command(const std::vector<std::string>& args);
int serve_command(const std::vector<std::string>& args);  // in evtwin-serve, which `evtwin serve` execs

// Runs a verb's command; what it throws is printed ("evtwin VERB: ...") and becomes the exit code.
int run_verb(const std::string& verb, const std::function<int()>& command);

}  // namespace evtwin::cli
