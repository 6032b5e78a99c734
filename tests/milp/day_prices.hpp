#pragma once
// A tariff's prices_csv for the hand-worked runs: 2024-07-01 hour by hour, 0.10 per kWh in its first
// hour and 0.30 after.
#include "support/test_support.hpp"

#include <filesystem>
#include <string>

namespace evtwin::test {

inline std::filesystem::path write_cheap_first_hour_prices(const std::filesystem::path& dir) {
    std::string prices = "date,hour,Price\n";
    for (int h = 0; h < 24; ++h)
        prices += "2024-07-01," + std::string(h < 10 ? "0" : "") + std::to_string(h) + ":00:00," +
                  (h == 0 ? "0.10" : "0.30") + "\n";
    return write_file(dir / "prices.csv", prices);
}

}  // namespace evtwin::test
