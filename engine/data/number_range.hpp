#pragma once
// The numbers a data file or a scenario may give: finite, and within +-1e15, beyond any quantity of
// a site (kW, kWh, prices, costs) and short of where its sums and products lose all meaning or
// overflow to infinity.
#include <cmath>

namespace evtwin {

inline constexpr double kLargestNumber = 1e15;
// The longest span an option or a setting of hours may name: a leap year. Far below where hours in
// milliseconds would overflow.
inline constexpr double kMostHours = 8784.0;

inline bool in_number_range(double value) {
    return std::abs(value) <= kLargestNumber;  // false for NaN and infinities
}

}  // namespace evtwin
