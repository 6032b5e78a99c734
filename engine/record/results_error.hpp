#pragma once
// Errors about a results database: a foreign file, another schema version, a failed SQLite call.
// The message always names the file.
#include <stdexcept>

namespace evtwin {

struct ResultsError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace evtwin
