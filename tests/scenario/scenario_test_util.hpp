#pragma once
// Helpers for the scenario loader suites: write a script to a temporary folder, load it, and get the
// error message a bad script produces.
#include "scenario/scenario_loader.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace evtwin::test {

// The three statements every complete scenario needs (2 days of Dutch day-ahead prices, 2016).
inline const char* const kHeader =
    "scenario { name = \"t\", timezone = \"Europe/Amsterdam\", start = \"2016-03-07\", duration = days(2), "
    "seed = 7 }\n"
    "grid { import_kw = 100, export_kw = 50 }\n"
    "tariff { prices_csv = data(\"prices/nl_day_ahead_2016.csv\"), timezone = \"Europe/Amsterdam\", "
    "price_scale = 0.001, currency = \"EUR\" }\n";

// Writes `text` as <temp>/<name> and returns the path.
inline std::filesystem::path write_scenario(const std::string& name, const std::string& text) {
    return write_file(temp_dir("scenario-" + name) / (name + ".lua"), text);
}

// The message of the ScenarioError the file raises; "" (and a test failure) when it loads.
inline std::string load_error(const std::filesystem::path& file, const ScenarioLoadOptions& options = {}) {
    try {
        load_scenario(file, options);
    } catch (const ScenarioError& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not a ScenarioError: " << e.what();
        return e.what();
    }
    ADD_FAILURE() << file << " loaded, but an error was expected";
    return "";
}

inline std::string at(const std::filesystem::path& file, int line) {
    return file.lexically_normal().string() + ":" + std::to_string(line) + ": ";
}

}  // namespace evtwin::test
