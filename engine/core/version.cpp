#include "core/version.hpp"

#include <evtwin/sdk_fingerprint.hpp>

namespace evtwin {
const char* engine_version() {
    return EVTWIN_VERSION;
}
}  // namespace evtwin
