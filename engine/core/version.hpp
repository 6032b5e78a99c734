#pragma once
#include <evtwin/sdk_fingerprint.hpp>
namespace evtwin {
inline const char* engine_version() { return EVTWIN_VERSION; }
}  // namespace evtwin
