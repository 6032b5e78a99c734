#pragma once
#include <string>
#include <vector>

namespace evtwin::cli {

// evtwin battery report RUN.db [--run ID] [--telemetry FILE] [--csv FILE] [--details]
int battery_report_command(const std::vector<std::string>& args);
extern const char* const kBatteryReportHelp;

}  // namespace evtwin::cli
