#pragma once
// An error in user-supplied data: the message names the file, the line (or JSON path) where there
// is one, and what was expected, e.g. "prices.csv:12: expected a number in column 'Price', got 'n/a'".
#include <stdexcept>
#include <string>

namespace evtwin {

struct DataError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace evtwin
