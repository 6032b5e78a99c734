#pragma once
// What exported (fed-in) energy earns: a fixed price, or a factor of the import price at the same
// instant (e.g. 0.9 x the day-ahead price). No export price configured means exports earn nothing.
#include <optional>

namespace evtwin {

struct ExportPricing {
    std::optional<double> fixed;  // per kWh; wins over the factor when set
    double factor = 0.0;

    double price(double import_price) const { return fixed ? *fixed : factor * import_price; }
};

}  // namespace evtwin
