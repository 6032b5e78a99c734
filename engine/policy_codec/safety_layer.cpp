#include "policy_codec/safety_layer.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace evtwin {
namespace {

bool below(const Observation& o, NodeIndex node, NodeIndex ancestor) {
    for (std::size_t hops = 0; node < o.nodes.size() && hops <= o.nodes.size(); ++hops) {
        if (node == ancestor) return true;
        node = o.nodes[node].parent;
    }
    return false;
}

// Per node: what flows through it (fixed flow, setpoints, ESS beneath it) and the part of the
// setpoints above their safe minima; one walk up the tree per connector.
struct NodeLoads {
    std::vector<double> load, flexible;
    std::vector<char> has_ess;

    void sum(const Observation& o, std::span<const double> floor_kw, const Decision& d) {
        const std::size_t n = o.nodes.size();
        load.assign(n, 0.0);
        flexible.assign(n, 0.0);
        has_ess.assign(n, 0);
        for (std::size_t k = 0; k < n; ++k) load[k] = o.nodes[k].fixed_flow_kw;
        auto walk = [&](NodeIndex node, auto&& visit) {
            for (std::size_t hops = 0; node < n && hops <= n; ++hops, node = o.nodes[node].parent)
                visit(node);
        };
        for (std::size_t c = 0; c < d.connector_kw.size(); ++c) {
            const double kw = d.connector_kw[c], flex = std::max(0.0, kw - floor_kw[c]);
            if (kw != 0.0)
                walk(o.connectors[c].node, [&](NodeIndex k) {
                    load[k] += kw;
                    flexible[k] += flex;
                });
        }
        if (!o.ess.empty() && !d.ess_kw.empty())  // a policy drives one battery (ObsLayout)
            walk(o.ess[0].node, [&](NodeIndex k) {
                load[k] += d.ess_kw[0];
                has_ess[k] = 1;
            });
    }
};

// The layer cannot see a vehicle's charge curve, so it plans with the scenario's default AC curve
// (engine/scenario/scenario_builder.cpp): full power up to 90 % SoC, then down linearly to 30 % of
// it at 100 %. Power at the inlet is p_ref·taper(soc), p_ref the power now over taper(soc now).
constexpr double kTaperSoc = 0.9, kTaperEnd = 0.3;
constexpr double kTaperSlope = (1.0 - kTaperEnd) / (1.0 - kTaperSoc);  // per unit of SoC
double taper(double soc) {
    return soc <= kTaperSoc ? 1.0 : std::max(kTaperEnd, 1.0 - kTaperSlope * (soc - kTaperSoc));
}

// Full-power charging of one session along the planned curve (inlet kWh, hours).
class TaperPlan {
public:
    TaperPlan(const SessionView& s, double inlet_kw_now)
        : soc_(std::clamp(s.soc, 0.0, 1.0)), capacity_(s.capacity_kwh), p_ref_(inlet_kw_now / taper(soc_)) {}

    double hours_to_deliver(double kwh) const {
        if (!(capacity_ > 0.0)) return kwh / p_ref_;  // no battery size: no taper to plan with
        const double flat = std::clamp((kTaperSoc - soc_) * capacity_, 0.0, kwh);
        const double rest = kwh - flat;
        double hours = flat / p_ref_;
        if (rest <= 0.0) return hours;
        const double a = std::max(soc_, kTaperSoc), b = std::min(1.0, a + rest / capacity_);
        return hours + capacity_ / (kTaperSlope * p_ref_) * std::log(taper(a) / taper(b));
    }
    double kwh_within(double hours) const {
        if (!(hours > 0.0)) return 0.0;
        if (!(capacity_ > 0.0)) return p_ref_ * hours;
        const double flat = std::max(0.0, (kTaperSoc - soc_) * capacity_);
        if (p_ref_ * hours <= flat) return p_ref_ * hours;
        const double a = std::max(soc_, kTaperSoc);
        const double f = std::max(
            kTaperEnd, taper(a) * std::exp(-kTaperSlope * p_ref_ * (hours - flat / p_ref_) / capacity_));
        return flat + (kTaperSoc + (1.0 - f) / kTaperSlope - a) * capacity_;
    }

private:
    double soc_, capacity_, p_ref_;
};

// An interior setpoint onto what the charger can hold, never below `floor` (the safe minimum):
// a continuous charger rounds (0, min_kw) to 0 or min_kw, a finite set to its nearest setpoint.
double onto_charger(double kw, double floor, const ConnectorView& cv) {
    if (kw <= 0.0) return kw;
    if (!cv.setpoints_kw.empty()) {
        double best = 0.0, best_distance = kw;  // 0 (off) is always allowed
        double lowest_safe = -1.0;
        for (double s : cv.setpoints_kw) {
            if (std::abs(s - kw) < best_distance) {
                best = s;
                best_distance = std::abs(s - kw);
            }
            if (s >= floor && (lowest_safe < 0.0 || s < lowest_safe)) lowest_safe = s;
        }
        if (best >= floor) return best;
        return lowest_safe >= 0.0 ? lowest_safe
                                  : *std::max_element(cv.setpoints_kw.begin(), cv.setpoints_kw.end());
    }
    if (kw >= cv.min_kw) return kw;
    return floor > 0.0 || kw >= 0.5 * cv.min_kw ? cv.min_kw : 0.0;
}

// The engine scales every setpoint beneath an overloaded node alike, which would cut the safe
// minima too. So at each node over its import limit (children first: a parent's index is lower),
// the ESS's charging and then the power above each session's minimum are shed first, in proportion.
void shed_flexible_power(const Observation& o, std::span<const double> floor_kw, Decision& d) {
    thread_local NodeLoads loads;  // buffers reused by every decode on this thread: no allocation per step
    loads.sum(o, floor_kw, d);
    for (std::size_t k = o.nodes.size(); k-- > 0;) {
        double excess = loads.load[k] - o.nodes[k].import_limit_kw;  // false for an unlimited node
        if (!(excess > kSafetyPowerTolerance)) continue;
        const auto node = static_cast<NodeIndex>(k);
        if (loads.has_ess[k] && d.ess_kw[0] > 0.0) {
            const double cut = std::min(d.ess_kw[0], excess);
            d.ess_kw[0] -= cut;
            excess -= cut;
        }
        if (excess > 0.0 && loads.flexible[k] > 0.0) {
            const double keep = 1.0 - std::min(1.0, excess / loads.flexible[k]);
            for (std::size_t c = 0; c < d.connector_kw.size(); ++c) {
                if (d.connector_kw[c] <= floor_kw[c] || !below(o, o.connectors[c].node, node)) continue;
                d.connector_kw[c] = floor_kw[c] + keep * (d.connector_kw[c] - floor_kw[c]);
            }
        }
        loads.sum(o, floor_kw, d);
    }
}

// Rounding a setpoint up to its charger's minimum can push a full node over its limit again; a
// session with no safe minimum that was rounded up then goes off instead (children first).
void turn_off_rounded_up(const Observation& o, std::span<const double> floor_kw,
                         std::span<const char> rounded_up, Decision& d) {
    if (std::find(rounded_up.begin(), rounded_up.end(), 1) == rounded_up.end()) return;
    NodeLoads loads;
    loads.sum(o, floor_kw, d);
    for (std::size_t k = o.nodes.size(); k-- > 0;) {
        double excess = loads.load[k] - o.nodes[k].import_limit_kw;
        if (!(excess > kSafetyPowerTolerance)) continue;
        for (std::size_t c = 0; c < d.connector_kw.size() && excess > kSafetyPowerTolerance; ++c) {
            if (!rounded_up[c] || d.connector_kw[c] <= 0.0 ||
                !below(o, o.connectors[c].node, static_cast<NodeIndex>(k)))
                continue;
            excess -= d.connector_kw[c];
            d.connector_kw[c] = 0.0;
        }
        loads.sum(o, floor_kw, d);
    }
}

}  // namespace

SafetyLayer safety_layer_from_name(const std::string& name) {
    if (name == "laxity") return SafetyLayer::laxity;
    if (name == "none") return SafetyLayer::none;
    throw std::invalid_argument("safety '" + name + "': expected laxity or none");
}

const char* safety_layer_name(SafetyLayer s) {
    return s == SafetyLayer::laxity ? "laxity" : "none";
}

SafeRange safe_range(const SessionView& s, Time now, Duration period, Duration margin) {
    SafeRange r;
    const double eff = s.charge_efficiency > 0.0 ? s.charge_efficiency : 1.0;
    const double need_kwh = std::max(0.0, s.remaining_kwh) / eff;  // grid side
    const double p_max = std::max(0.0, s.max_charge_kw);
    if (need_kwh <= 0.0 || p_max <= 0.0) return r;
    const double h = std::max(period.hours_f(), 1e-6);
    const double left_h = (s.declared_departure - now - margin).hours_f();
    // Charging beyond the request within the period (or the stay) only costs: cap at what is wanted.
    r.max_kw = std::min(p_max, need_kwh / (left_h > 0.0 ? std::min(h, left_h) : h));
    if (left_h <= 0.0) {  // past the declared departure and still here: all it wants, now
        r.min_kw = r.max_kw;
        return r;
    }
    const double after_h = std::max(0.0, left_h - h);
    // Time at full power for the rest of the request, along the planned curve; what full power
    // after this period cannot give must come now: the energy of the first `need - after` hours.
    const TaperPlan plan(s, p_max * eff);
    const double need_h = plan.hours_to_deliver(std::max(0.0, s.remaining_kwh));
    const double now_kwh = plan.kwh_within(need_h - after_h);  // at the inlet
    r.min_kw = std::clamp(now_kwh / eff / std::min(h, left_h), 0.0, r.max_kw);
    if (r.min_kw <= 0.0 && s.v2g_allowed && s.max_discharge_kw > 0.0) {
        // Discharging q for the period drains q·h/eff at the inlet, which costs q·h/eff² from the grid
        // to put back; what is left after the period must still fit in full power for (left - h).
        const double slack_kwh = p_max * (after_h - need_h);
        r.discharge_kw = std::clamp(slack_kwh * eff * eff / h, 0.0, s.max_discharge_kw);
    }
    return r;
}

SafeSetpoint safe_setpoint(float ratio, const SafeRange& r, const SessionView& s, Time now) {
    SafeSetpoint sp;
    sp.floor_kw = r.min_kw;
    const double need_h = s.max_charge_kw > 0.0 ? std::max(0.0, s.remaining_kwh) / s.max_charge_kw : 0.0;
    sp.laxity_h = (s.declared_departure - now).hours_f() - need_h;
    // Discharge only where the range allows it; else a negative ratio is the safe minimum.
    sp.kw = ratio >= 0.0f          ? r.min_kw + ratio * (r.max_kw - r.min_kw)
            : r.discharge_kw > 0.0 ? ratio * r.discharge_kw
                                   : r.min_kw;
    return sp;
}

// The cap a ratio r in [0, 1] asks for. With cap_below_peak, r < 1/2 gives 0 up to the billing
// period's peak so far (holding imports under it where energy is dear) and the upper half what the
// whole range gives without: the peak (raising the import up to it costs no demand charge) to the
// grid's import limit, quadratic, so that the few kW above the peak that matter get most of the
// range (and a few rate levels of a DQN head reach them).
double site_cap_kw(float ratio, const Observation& o, const ObsLayout& layout) {
    const double limit = o.nodes.empty() || !std::isfinite(o.nodes[0].import_limit_kw)
                             ? layout.power_scale_kw
                             : o.nodes[0].import_limit_kw;
    const double peak = std::clamp(o.demand.peak_kw, 0.0, limit);
    double r = ratio;
    if (layout.cap_below_peak) {
        if (r < 0.5) return 2.0 * r * peak;
        r = 2.0 * r - 1.0;
    }
    return peak + r * r * (limit - peak);
}

double import_allowance_kw(double cap, const Observation& o) {
    const DemandView& dv = o.demand;
    if (dv.interval.ms() <= 0) return cap;
    const double left_h = (dv.interval_start + dv.interval - o.now).hours_f();
    if (left_h <= 1e-6) return cap;
    return std::max(0.0, (cap * dv.interval.hours_f() - dv.interval_kwh) / left_h);
}

// A continuous charger cut below its min_kw with no minimum goes off. The ESS discharges only into
// the site's own load: what it would export earns the export
// price at best (0 on quickstart), after the round-trip losses.
void hold_site_cap(double allowance, const Observation& o, std::span<const double> floor_kw,
                   std::span<const double> laxity_h, Decision& d) {
    double load = o.nodes.empty() ? 0.0 : o.nodes[0].fixed_flow_kw;  // all but the ESS
    for (double kw : d.connector_kw) load += kw;
    double no_battery = 0.0;  // a policy drives one battery (ObsLayout)
    double& ess_kw = o.ess.empty() || d.ess_kw.empty() ? no_battery : d.ess_kw[0];
    double excess = load + ess_kw - allowance;
    if (excess > kSafetyPowerTolerance) {
        if (ess_kw > 0.0) {
            const double cut = std::min(ess_kw, excess);
            ess_kw -= cut;
            excess -= cut;
        }
        std::vector<std::size_t> order;
        for (std::size_t c = 0; c < d.connector_kw.size(); ++c)
            if (d.connector_kw[c] > floor_kw[c]) order.push_back(c);
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return laxity_h[a] > laxity_h[b]; });
        for (std::size_t c : order) {
            if (!(excess > 0.0)) break;
            const double kw = d.connector_kw[c];
            double next = std::max(floor_kw[c], kw - excess);
            if (next > 0.0 && floor_kw[c] <= 0.0 &&
                (next < kSafetyPowerTolerance ||
                 (next < o.connectors[c].min_kw && o.connectors[c].setpoints_kw.empty())))
                next = 0.0;  // a residue of 1e-13 kW is "off" too
            excess -= kw - next;
            load -= kw - next;
            d.connector_kw[c] = next;
        }
        if (excess > kSafetyPowerTolerance && !o.ess.empty())
            ess_kw -= std::clamp(ess_kw + o.ess[0].max_discharge_kw, 0.0, excess);
    }
    if (ess_kw < 0.0) ess_kw = std::max(ess_kw, -std::max(0.0, load));
    // A rounding residue (1e-13 kW) is "off": the engine copes with it, but it is no decision.
    if (std::abs(ess_kw) < kSafetyPowerTolerance) ess_kw = 0.0;
}

void keep_within_limits(const Observation& o, std::span<const double> floor_kw, Decision& d) {
    shed_flexible_power(o, floor_kw, d);
    thread_local std::vector<char> rounded_up;  // reused: no allocation per step
    rounded_up.assign(d.connector_kw.size(), 0);
    for (std::size_t c = 0; c < d.connector_kw.size(); ++c) {
        if (o.connectors[c].session == kNone) continue;
        const double kw = onto_charger(d.connector_kw[c], floor_kw[c], o.connectors[c]);
        rounded_up[c] = kw > d.connector_kw[c] + kSafetyPowerTolerance && floor_kw[c] <= 0.0;
        d.connector_kw[c] = kw;
    }
    turn_off_rounded_up(o, floor_kw, rounded_up, d);
}

}  // namespace evtwin
