#pragma once
namespace evtwin {
// The engine's version, as stamped into every run's results.
const char* engine_version();
}  // namespace evtwin
