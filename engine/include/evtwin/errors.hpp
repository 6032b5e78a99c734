#pragma once
// The errors a user can cause, each with a message that names the file, the line (or JSON path)
// where there is one, and what was expected. A program built on the SDK catches them by kind.
#include <stdexcept>

namespace evtwin {

// A scenario file the user got wrong: "file:line: message".
struct ScenarioError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A data file (sessions, prices, profiles, logs) the user got wrong, e.g.
// "prices.csv:12: expected a number in column 'Price', got 'n/a'".
struct DataError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A strategy plugin that cannot be used: not found, not opened, built for another SDK, or
// refusing its options. The message says why and what to do.
struct PluginError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A results database that cannot be used: a foreign file, another schema version, a failed
// SQLite call. The message names the file.
struct ResultsError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace evtwin
