#include "model/battery_wear.hpp"

#include <algorithm>

namespace evtwin {

BatteryWear wear_prices(const BatteryAgeing& ageing, double nominal_kwh, double usable_kwh,
                        double value_per_fade, double c_rate, double temperature_c) {
    BatteryWear wear;
    if (value_per_fade <= 0.0 || nominal_kwh <= 0.0 || usable_kwh <= 0.0) return wear;
    // An equivalent full cycle moves twice the nominal capacity through the battery.
    const double per_efc = ageing.cycling_loss_per_efc(kWearCycleDepth, std::min(c_rate, 2.0), temperature_c);
    wear.per_kwh = per_efc * value_per_fade / (2.0 * nominal_kwh);
    // Calendar fade per day rises with SoC: its mean slope above the reference SoC, per kWh stored.
    const double full = ageing.calendar_loss_per_day(1.0, temperature_c);
    const double reference = ageing.calendar_loss_per_day(kWearReferenceSoc, temperature_c);
    const double per_soc_day = std::max(0.0, full - reference) / (1.0 - kWearReferenceSoc);
    wear.per_kwh_h_high = per_soc_day / usable_kwh / 24.0 * value_per_fade;
    return wear;
}

}  // namespace evtwin
