#pragma once
// The baseline strategies every plugin suite runs.

namespace evtwin::test {

inline constexpr const char* kBaselines[] = {"uncontrolled", "fcfs", "round_robin", "edf", "llf"};

}  // namespace evtwin::test
