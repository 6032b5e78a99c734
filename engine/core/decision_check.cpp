#include "core/decision_check.hpp"

#include "model/power_flow.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

namespace evtwin {

double round_down_setpoint(const ChargerSpec& charger, double kw) {
    kw = std::min(kw, charger.max_kw);
    if (!charger.setpoints_kw.empty()) {
        double best = 0.0;
        for (double s : charger.setpoints_kw)
            if (s <= kw + kPowerTolerance && s > best) best = s;
        return best;
    }
    return kw + kPowerTolerance < charger.min_kw ? 0.0 : std::max(0.0, kw);
}

namespace {

bool allowed_setpoint(const ChargerSpec& charger, double kw) {
    return std::any_of(charger.setpoints_kw.begin(), charger.setpoints_kw.end(),
                       [&](double s) { return std::abs(s - kw) <= kPowerTolerance; });
}

void clip(double& kw, double to, const char* kind, ConnectorIndex c, std::vector<Violation>& out) {
    out.push_back(Violation{kind, kNone, c, kw, to});
    kw = to;
}

// A value that is no power at all (not a number, infinite, a negative PV limit) is replaced by `to`
// and recorded with `recorded_kw` as both its request and what was applied: what is not a number
// cannot be stored, and no power was clipped that the KPIs could count.
void refuse(double& value, double to, double recorded_kw, const char* kind, ConnectorIndex c,
            std::vector<Violation>& out) {
    out.push_back(Violation{kind, kNone, c, recorded_kw, recorded_kw});
    value = to;
}

}  // namespace

void check_setpoint(double& kw, const ConnectorLimits& limits, ConnectorIndex c,
                    std::vector<Violation>& violations) {
    const ChargerSpec& charger = *limits.charger;
    if (!std::isfinite(kw)) {
        refuse(kw, 0.0, 0.0, "invalid_setpoint", c, violations);
    } else if (!limits.occupied) {
        kw = 0.0;  // an offer to an empty connector draws nothing: not a violation
    } else if (kw < 0.0) {
        if (!charger.v2g_capable) {
            clip(kw, 0.0, "v2g_not_supported", c, violations);
        } else if (!limits.vehicle_v2g) {
            clip(kw, 0.0, "v2g_not_allowed", c, violations);
        } else if (-kw > charger.max_kw + kPowerTolerance) {
            clip(kw, -charger.max_kw, "charger_max", c, violations);
        }
        if (-kw > limits.cap_kw + kPowerTolerance) clip(kw, -limits.cap_kw, "session_cap", c, violations);
    } else if (kw > 0.0) {
        if (kw > charger.max_kw + kPowerTolerance) clip(kw, charger.max_kw, "charger_max", c, violations);
        if (kw > limits.cap_kw + kPowerTolerance)
            clip(kw, round_down_setpoint(charger, limits.cap_kw), "session_cap", c, violations);
        if (!charger.setpoints_kw.empty()) {
            if (!allowed_setpoint(charger, kw))
                clip(kw, round_down_setpoint(charger, kw), "setpoint_not_allowed", c, violations);
        } else if (kw + kPowerTolerance < charger.min_kw) {
            clip(kw, 0.0, "below_min_power", c, violations);
        }
    }
}

Violation grid_permission_cut(std::span<const EssSpec> ess, std::size_t b, double asked, double applied) {
    Violation v{asked > 0.0 ? "ess_grid_charge" : "ess_grid_discharge", ess[b].node, kNone, asked, applied};
    v.ess = static_cast<std::uint32_t>(b);
    return v;
}

void check_decision(Decision& decision, const std::vector<ConnectorLimits>& connectors,
                    std::span<const EssSpec> ess, std::vector<Violation>& violations) {
    decision.connector_kw.resize(connectors.size(), 0.0);
    for (std::size_t i = 0; i < connectors.size(); ++i) {
        double& kw = decision.connector_kw[i];
        // Off (+0.0, all bits zero) is valid everywhere and left as it is: most connectors at most
        // decisions, so it is tested on the bits alone.
        if (std::bit_cast<std::uint64_t>(kw) == 0) continue;
        check_setpoint(kw, connectors[i], static_cast<ConnectorIndex>(i), violations);
    }

    // A setpoint for a battery the site does not have must be 0.
    for (std::size_t b = ess.size(); b < decision.ess_kw.size(); ++b) {
        double& kw = decision.ess_kw[b];
        if (!std::isfinite(kw))
            refuse(kw, 0.0, 0.0, "invalid_setpoint", kNone, violations);
        else if (kw != 0.0)
            clip(kw, 0.0, "no_ess", kNone, violations);
    }
    decision.ess_kw.resize(ess.size(), 0.0);
    for (std::size_t b = 0; b < ess.size(); ++b) {
        double& kw = decision.ess_kw[b];
        const std::size_t before = violations.size();
        if (!std::isfinite(kw))
            refuse(kw, 0.0, 0.0, "invalid_setpoint", kNone, violations);
        else if (kw > ess[b].max_charge_kw + kPowerTolerance)
            clip(kw, ess[b].max_charge_kw, "ess_max", kNone, violations);
        else if (-kw > ess[b].max_discharge_kw + kPowerTolerance)
            clip(kw, -ess[b].max_discharge_kw, "ess_max", kNone, violations);
        for (std::size_t i = before; i < violations.size(); ++i) {
            violations[i].node = ess[b].node;
            violations[i].ess = static_cast<std::uint32_t>(b);
        }
    }
    if (!(decision.pv_limit_kw >= 0.0))
        refuse(decision.pv_limit_kw, kUnlimited, 0.0, "invalid_pv_limit", kNone, violations);
}

}  // namespace evtwin
