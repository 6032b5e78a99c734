#pragma once
// The numbers a data file or a scenario may give: finite, and within +-kLargestNumber (the SDK's
// bound, evtwin/options.hpp).
#include <evtwin/options.hpp>

#include <cmath>

namespace evtwin {

inline bool in_number_range(double value) {
    return std::abs(value) <= kLargestNumber;  // false for NaN and infinities
}

}  // namespace evtwin
