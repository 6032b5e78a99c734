#pragma once
// Capacity fade of a lithium-ion battery (formulas and sources: docs/battery.md). A semi-empirical
// model per chemistry: a calendar part driven by time, temperature and SoC, and a cycling part driven
// by equivalent full cycles, the depth of each rainflow cycle of the SoC trace, and the C-rate. The
// state is advanced with the derivative of the fitted trajectory at the time (or throughput) that
// gives the current loss, so fade accumulates correctly over stretches of any length.
#include "model/rainflow.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin {

enum class Chemistry { nmc, lfp };

// "nmc" or "lfp"; throws std::invalid_argument naming the accepted values otherwise.
Chemistry parse_chemistry(std::string_view name);
const char* chemistry_name(Chemistry chemistry);

// One breakpoint of a battery's SoC trace. Between two points the SoC is linear in time and the
// temperature is constant (the earlier point's).
struct SocPoint {
    double t_days;
    double soc;            // 0..1, of the battery's present capacity
    double temperature_c;  // cell temperature
};

// Fade of one stretch of life, as fractions of the nominal capacity.
struct Fade {
    double calendar = 0.0;
    double cycling = 0.0;
    double total() const { return calendar + cycling; }
};

class BatteryAgeing {
public:
    // A battery whose state of health (capacity / nominal) is `soh` in (0, 1], split between calendar
    // and cycling loss in the proportion of the chemistry's reference use (expected_soh).
    // Throws std::invalid_argument for a SoH outside (0, 1].
    BatteryAgeing(Chemistry chemistry, double soh = 1.0);
    // A battery with this state (e.g. read back from a results file); losses are fractions >= 0.
    static BatteryAgeing from_losses(Chemistry chemistry, double calendar_loss, double cycling_loss);

    // Ages the battery along `trace` (>= 2 points, times non-decreasing, SoC in 0..1): the calendar
    // part over its duration, its stress integrated segment by segment (so the fade does not depend on
    // how a life is cut into traces), the cycling part per rainflow cycle of its SoC (depth, C-rate from
    // the trace's slopes). Returns the fade of this stretch. Throws std::invalid_argument for a trace
    // that breaks these rules.
    Fade age(std::span<const SocPoint> trace);
    // The same, and `cycles` is set to the trace's rainflow cycles (of its SoCs clamped to 0..1), in
    // the order they close.
    Fade age(std::span<const SocPoint> trace, std::vector<RainflowCycle>& cycles);

    double soh() const;  // 1 - calendar_loss() - cycling_loss()
    double calendar_loss() const { return calendar_loss_; }
    double cycling_loss() const { return cycling_loss_; }
    Chemistry chemistry() const { return chemistry_; }

    // Marginal costs at the present state, for optimisers: capacity fade per equivalent full cycle of
    // the given depth and C-rate, and per day stored at the given SoC.
    // An EFC is one nominal capacity charged and one discharged; the C-rate is in A per A h of nominal
    // capacity. The three-argument form takes cycles centred on 50 % SoC.
    double cycling_loss_per_efc(double depth, double c_rate, double temperature_c) const;
    double cycling_loss_per_efc(double depth, double c_rate, double temperature_c, double mean_soc) const;
    double calendar_loss_per_day(double soc, double temperature_c) const;

private:
    Chemistry chemistry_;
    double calendar_loss_ = 0.0;
    double cycling_loss_ = 0.0;
};

// The state of health a battery of this chemistry has after `age_years` of the reference use
// (docs/battery.md: ambient 20 °C, parked at 60 % SoC, 300 equivalent full cycles of 40 % depth at
// 0.3 C a year).
double expected_soh(Chemistry chemistry, double age_years);

}  // namespace evtwin
