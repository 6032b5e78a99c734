#pragma once
// `evtwin serve --strategy ... --ocpi-token-file FILE`: live mode's OCPI 2.2.1 endpoints (docs/ocpi.md).
#include "serve/ocpi/ocpi_service.hpp"

#include <evtwin/util/args.hpp>

#include <optional>

namespace evtwin::cli {

// The options this part reads, of those with a value and of the flags.
inline constexpr const char* kOcpiOptions[] = {"--ocpi-token-file", "--ocpi-url", "--ocpi-party"};
inline constexpr const char* kOcpiFlags[] = {"--ocpi-push"};

extern const char* const kOcpiHelp;

// None without --ocpi-token-file (an --ocpi-* option without it is a UsageError). The token file holds
// token A, created (random, mode 0600) when missing; the public base URL is --ocpi-url, else
// http://LISTEN.
std::optional<serve::ocpi::OcpiConfig> ocpi_config(const Args& args);

}  // namespace evtwin::cli
