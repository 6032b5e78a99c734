#include "forecast/forecaster_choice.hpp"

#include <evtwin/options.hpp>

#include <optional>
#include <stdexcept>

namespace evtwin {

ForecasterChoice parse_forecaster_choice(const std::string& text) {
    ForecasterChoice c;
    const std::size_t colon = text.find(':');
    c.name = text.substr(0, colon);
    if (colon != std::string::npos) c.options["arg"] = text.substr(colon + 1);
    check_forecaster_choice(c);
    return c;
}

void check_forecaster_choice(const ForecasterChoice& choice) {
    if (choice.name.empty())
        throw std::invalid_argument("a forecaster needs a name (perfect, noisy, persistence, ...)");
    if (choice.name == "perfect" && !choice.options.empty())
        throw std::invalid_argument("the perfect forecaster takes no options");
    if (choice.name != "noisy") return;
    for (const auto& [key, value] : choice.options) {
        if (key != "arg" && key != "noise")
            throw std::invalid_argument("the noisy forecaster takes only 'noise', not '" + key + "'");
        const std::optional<double> v = parse_number(value);
        if (!v || !(*v >= 0.0 && *v <= 10.0))  // 10: errors of 1,000 % of the value
            throw std::invalid_argument("the noisy forecaster's noise must be a number from 0 to 10, got '" +
                                        value + "'");
    }
}

ForecastTarget parse_forecast_target(const std::string& text) {
    if (text == "pv") return ForecastTarget::pv;
    if (text == "load") return ForecastTarget::load;
    if (text == "demand") return ForecastTarget::demand;
    throw std::invalid_argument("unknown forecast target '" + text + "': expected pv, load or demand");
}

}  // namespace evtwin
