#pragma once
// `evtwin ocpp validate` and `evtwin ocpp whatif` (docs/ocpp.md); `args` as parsed by ocpp_command,
// positionals[0] being the subcommand.
#include <evtwin/util/args.hpp>
#include "ocpp/log_reader.hpp"

namespace evtwin::cli {

// Exit codes: 0 every session within the thresholds, 1 a session outside them (or not served).
int ocpp_validate(const Args& args);
// The log-reading options every ocpp verb takes: --format, --cs, --voltage (ocpp_command.cpp).
ocpp::ReadOptions read_options(const Args& args);
int ocpp_whatif(const Args& args);

}  // namespace evtwin::cli
