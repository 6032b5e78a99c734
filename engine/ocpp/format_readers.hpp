#pragma once
// One reader per log format (docs/ocpp.md); log_reader.cpp detects the format and calls one.
// Each appends frames and problems to `out` and goes on after a bad line.
#include "ocpp/log_reader.hpp"

#include <filesystem>
#include <string_view>

namespace evtwin::ocpp {

void read_jsonl(std::string_view text, const ReadOptions& options, LogRead& out);
// Throws DataError when the header lacks the columns.
void read_csv(const std::filesystem::path& file, std::string_view text, const ReadOptions& options,
              LogRead& out);
void read_compliance(std::string_view text, const ReadOptions& options, LogRead& out);
void read_everest(std::string_view text, const ReadOptions& options, LogRead& out);
void read_steve(std::string_view text, const ReadOptions& options, LogRead& out);
// Throws DataError when the log's syslog times state no year and neither ReadOptions::year nor a
// message gives one.
void read_lines(const std::filesystem::path& file, std::string_view text, const ReadOptions& options,
                LogRead& out);

// "2024-01-01T10:00:00.000Z: ChargePoint>CentralSystem BootNotification": the time and the arrow.
bool everest_header(std::string_view t, std::string_view& ts, std::string_view& arrow);

}  // namespace evtwin::ocpp
