#pragma once
// Loads a tariff from a file. Two formats:
//  - evtwin's tariff JSON (documented in docs/tariffs.md): time-of-use bands by season, day type and
//    hour with effective dates, demand charge per billing month, export price;
//  - acnportal's schema (the SCE and PG&E files in ../shared/data/tariffs/).
// And hourly price series from CSV (date,hour,Price as in prices/nl_day_ahead_2016.csv).
// Errors name the file (and line or JSON path) and what was expected; they throw DataError.
#include <evtwin/errors.hpp>
#include "model/tariff.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace evtwin {

struct TariffOptions {
    std::string timezone = "UTC";  // the site's zone: bands and billing months are local
    std::string variant;           // for files with several tables (e.g. KEPCO "low_voltage")
    // Export (feed-in) price: a fixed price, or a factor of the import price at the same instant.
    std::optional<double> export_price;
    std::optional<double> export_factor;
    std::optional<double> demand_charge_per_kw;  // overrides the file's demand charge
    double price_scale = 1.0;                    // e.g. 0.001 to turn EUR/MWh into EUR/kWh
    std::string currency;                        // overrides the file's currency
};

std::shared_ptr<const Tariff> load_tariff_file(const std::filesystem::path& file,
                                               const TariffOptions& options);
std::shared_ptr<const Tariff> load_price_series_csv(const std::filesystem::path& file,
                                                    const TariffOptions& options);

}  // namespace evtwin
