#include "core/obs_codec.hpp"

#include "model/power_flow.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace evtwin {
namespace {

constexpr std::size_t kTimeFeatures = 3;       // sin, cos of the local time of day; weekend
constexpr std::size_t kConnectorFeatures = 6;  // see docs/rl.md

float clamp_unit(double x, double lo = 0.0) { return static_cast<float>(std::clamp(x, lo, 1.0)); }

float clamp_action(float a, float lo) { return std::isnan(a) ? 0.0f : std::clamp(a, lo, 1.0f); }

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
        return lowest_safe >= 0.0 ? lowest_safe : *std::max_element(cv.setpoints_kw.begin(), cv.setpoints_kw.end());
    }
    if (kw >= cv.min_kw) return kw;
    return floor > 0.0 || kw >= 0.5 * cv.min_kw ? cv.min_kw : 0.0;
}

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
            for (std::size_t hops = 0; node < n && hops <= n; ++hops, node = o.nodes[node].parent) visit(node);
        };
        for (std::size_t c = 0; c < d.connector_kw.size(); ++c) {
            const double kw = d.connector_kw[c], flex = std::max(0.0, kw - floor_kw[c]);
            if (kw != 0.0) walk(o.connectors[c].node, [&](NodeIndex k) {
                load[k] += kw;
                flexible[k] += flex;
            });
        }
        if (o.ess.present) walk(o.ess.node, [&](NodeIndex k) {
            load[k] += d.ess_kw;
            has_ess[k] = 1;
        });
    }
};

// The engine scales every setpoint beneath an overloaded node alike, which would cut the safe
// minima too. So at each node over its import limit (children first: a parent's index is lower),
// the ESS's charging and then the power above each session's minimum are shed first, in proportion.
void shed_flexible_power(const Observation& o, std::span<const double> floor_kw, Decision& d) {
    thread_local NodeLoads loads;  // buffers reused by every decode on this thread: no allocation per step
    loads.sum(o, floor_kw, d);
    for (std::size_t k = o.nodes.size(); k-- > 0;) {
        double excess = loads.load[k] - o.nodes[k].import_limit_kw;  // false for an unlimited node
        if (!(excess > kPowerTolerance)) continue;
        const auto node = static_cast<NodeIndex>(k);
        if (loads.has_ess[k] && d.ess_kw > 0.0) {
            const double cut = std::min(d.ess_kw, excess);
            d.ess_kw -= cut;
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

}  // namespace

SafetyLayer safety_layer_from_name(const std::string& name) {
    if (name == "laxity") return SafetyLayer::laxity;
    if (name == "none") return SafetyLayer::none;
    throw std::invalid_argument("safety '" + name + "': expected laxity or none");
}

const char* safety_layer_name(SafetyLayer s) { return s == SafetyLayer::laxity ? "laxity" : "none"; }

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
    r.min_kw = std::clamp((need_kwh - p_max * after_h) / std::min(h, left_h), 0.0, r.max_kw);
    if (r.min_kw <= 0.0 && s.v2g_allowed && s.max_discharge_kw > 0.0) {
        // Discharging q for the period drains q·h/eff at the inlet, which costs q·h/eff² from the grid
        // to put back; what is left after the period must still fit p_max·(left - h).
        const double slack_kwh = p_max * after_h - need_kwh;
        r.discharge_kw = std::clamp(slack_kwh * eff * eff / h, 0.0, s.max_discharge_kw);
    }
    return r;
}

std::size_t ObsLayout::observation_size() const {
    return kTimeFeatures + kConnectorFeatures * connectors() + 3 * window + 1 + limited_nodes.size();
}

ObsLayout make_obs_layout(const ScenarioSpec& site, std::size_t window, double price_scale, double power_scale_kw,
                          Duration departure_scale) {
    if (departure_scale.ms() <= 0) throw std::invalid_argument("Env: departure_scale must be positive");
    ObsLayout l;
    for (const ChargerSpec& ch : site.chargers) {
        for (int k = 0; k < ch.connectors; ++k) {
            l.charger_kw.push_back(ch.max_kw);
            l.action_low.push_back(ch.v2g_capable ? -1.0f : 0.0f);
        }
    }
    l.action_low.push_back(site.ess ? -1.0f : 0.0f);
    for (std::size_t n = 0; n < site.nodes.size(); ++n)
        if (std::isfinite(site.nodes[n].import_limit_kw)) l.limited_nodes.push_back(static_cast<NodeIndex>(n));
    l.window = window;
    l.departure_scale = departure_scale;
    l.timezone = site.timezone;
    if (site.ess) {
        l.has_ess = true;
        l.ess_charge_kw = site.ess->max_charge_kw;
        l.ess_discharge_kw = site.ess->max_discharge_kw;
    }

    l.power_scale_kw = power_scale_kw;
    if (!(l.power_scale_kw > 0.0)) {
        l.power_scale_kw = 0.0;
        for (const ChargerSpec& ch : site.chargers) l.power_scale_kw += ch.max_kw;
        if (site.ess) l.power_scale_kw += std::max(site.ess->max_charge_kw, site.ess->max_discharge_kw);
        if (!(l.power_scale_kw > 0.0)) l.power_scale_kw = 1.0;
    }
    l.price_scale = price_scale;
    if (!(l.price_scale > 0.0)) {
        l.price_scale = 0.0;
        if (site.tariff) {
            std::size_t samples = 0;
            for (Time t = site.start; t < site.end && samples < 100000; t += site.control_period, ++samples)
                l.price_scale = std::max(l.price_scale, std::abs(site.tariff->import_price(t)));
        }
        if (!(l.price_scale > 0.0)) l.price_scale = 1.0;
    }
    return l;
}

std::string layout_difference(const ObsLayout& have, const ObsLayout& want) {
    auto n = [](std::size_t v) { return std::to_string(v); };
    if (have.connectors() != want.connectors())
        return n(have.connectors()) + " connectors, expected " + n(want.connectors());
    if (have.charger_kw != want.charger_kw) return "other charger ratings";
    if (have.action_low != want.action_low) return "other V2G-capable chargers";
    if (have.limited_nodes != want.limited_nodes)
        return n(have.limited_nodes.size()) + " limited nodes, expected " + n(want.limited_nodes.size());
    if (have.window != want.window) return "forecast window " + n(have.window) + ", expected " + n(want.window);
    if (have.has_ess != want.has_ess) return have.has_ess ? "an ESS, expected none" : "no ESS, expected one";
    if (have.ess_charge_kw != want.ess_charge_kw || have.ess_discharge_kw != want.ess_discharge_kw)
        return "other ESS ratings";
    if (have.safety != want.safety || have.safety_margin != want.safety_margin)
        return std::string("safety layer ") + safety_layer_name(have.safety) + " (margin " +
               std::to_string(have.safety_margin.ms()) + " ms), expected " + safety_layer_name(want.safety) +
               " (margin " + std::to_string(want.safety_margin.ms()) + " ms)";
    if (have.timezone != want.timezone) return "time zone " + have.timezone + ", expected " + want.timezone;
    if (have.price_scale != want.price_scale || have.power_scale_kw != want.power_scale_kw ||
        have.departure_scale != want.departure_scale)
        return "other observation scales";
    return {};
}

ObsCodec::ObsCodec(ObsLayout layout) : layout_(std::move(layout)), zone_(layout_.timezone) {}

void ObsCodec::encode(const Observation& o, std::span<float> obs) const {
    if (obs.size() != layout_.observation_size())
        throw std::invalid_argument("ObsCodec::encode: observation buffer of the wrong size");
    if (o.connectors.size() != layout_.connectors())
        throw std::invalid_argument("ObsCodec::encode: the site has " + std::to_string(o.connectors.size()) +
                                    " connectors, the layout " + std::to_string(layout_.connectors()));
    float* out = obs.data();
    const LocalDateTime local = zone_.to_local(o.now);
    const double day_fraction =
        (local.hour * 3600.0 + local.minute * 60.0 + local.second + local.millisecond / 1000.0) / 86400.0;
    *out++ = static_cast<float>(std::sin(2.0 * std::numbers::pi * day_fraction));
    *out++ = static_cast<float>(std::cos(2.0 * std::numbers::pi * day_fraction));
    *out++ = local.weekday == 0 || local.weekday == 6 ? 1.0f : 0.0f;

    const double departure_scale_ms = static_cast<double>(layout_.departure_scale.ms());
    for (std::size_t c = 0; c < layout_.connectors(); ++c) {
        const std::uint32_t i = o.connectors[c].session;
        if (i == kNone) {
            for (std::size_t k = 0; k < kConnectorFeatures; ++k) *out++ = 0.0f;
            continue;
        }
        const SessionView& s = o.sessions[i];
        *out++ = 1.0f;
        *out++ = s.capacity_kwh > 0.0 ? clamp_unit(s.remaining_kwh / s.capacity_kwh) : 0.0f;
        *out++ = clamp_unit(static_cast<double>((s.declared_departure - o.now).ms()) / departure_scale_ms);
        *out++ = clamp_unit(s.soc);
        *out++ = clamp_unit(s.max_charge_kw / layout_.charger_kw[c]);
        *out++ = clamp_unit(s.max_discharge_kw / layout_.charger_kw[c]);
    }

    auto window = [&](const std::vector<double>* values, double scale, double lo) {
        for (std::size_t k = 0; k < layout_.window; ++k) {
            const double v = !values || values->empty() ? 0.0 : (*values)[std::min(k, values->size() - 1)];
            *out++ = static_cast<float>(std::clamp(v / scale, lo, 1.0));
        }
    };
    const Forecast* f = o.forecast;
    window(f ? &f->import_price : nullptr, layout_.price_scale, -1.0);
    window(f ? &f->pv_kw : nullptr, layout_.power_scale_kw, 0.0);
    window(f ? &f->base_load_kw : nullptr, layout_.power_scale_kw, 0.0);

    *out++ = o.ess.present ? clamp_unit(o.ess.soc) : 0.0f;
    for (NodeIndex n : layout_.limited_nodes) {
        const NodeView& v = o.nodes[n];
        *out++ = static_cast<float>(
            std::clamp((v.import_limit_kw - v.fixed_flow_kw) / layout_.power_scale_kw, -1.0, 1.0));
    }
}

void ObsCodec::decode(std::span<const float> action, const Observation& o, Decision& d) const {
    const std::size_t connectors = layout_.connectors();
    if (action.size() != layout_.action_size()) throw std::invalid_argument("ObsCodec::decode: action of the wrong size");
    d.connector_kw.resize(connectors);
    const bool safe = layout_.safety == SafetyLayer::laxity;
    thread_local std::vector<double> floor_kw;  // reused: no allocation per step
    floor_kw.assign(safe ? connectors : 0, 0.0);
    for (std::size_t c = 0; c < connectors; ++c) {
        const float a = clamp_action(action[c], layout_.action_low[c]);
        const std::uint32_t i = o.connectors[c].session;
        if (i == kNone) {
            d.connector_kw[c] = 0.0;
        } else if (!safe) {
            d.connector_kw[c] = a * layout_.charger_kw[c];
        } else {
            const SafeRange r = safe_range(o.sessions[i], o.now, o.control_period, layout_.safety_margin);
            floor_kw[c] = r.min_kw;
            // Discharge only where the range allows it; else a negative ratio is the safe minimum.
            d.connector_kw[c] = a >= 0.0f            ? r.min_kw + a * (r.max_kw - r.min_kw)
                                : r.discharge_kw > 0.0 ? a * r.discharge_kw
                                                       : r.min_kw;
        }
    }
    const float e = clamp_action(action[connectors], layout_.action_low.back());
    const double charge_kw = safe ? o.ess.max_charge_kw : layout_.ess_charge_kw;
    const double discharge_kw = safe ? o.ess.max_discharge_kw : layout_.ess_discharge_kw;
    d.ess_kw = !o.ess.present || !layout_.has_ess ? 0.0 : e >= 0.0f ? e * charge_kw : e * discharge_kw;
    if (!safe) return;
    shed_flexible_power(o, floor_kw, d);
    for (std::size_t c = 0; c < connectors; ++c)
        if (o.connectors[c].session != kNone) d.connector_kw[c] = onto_charger(d.connector_kw[c], floor_kw[c], o.connectors[c]);
}

}  // namespace evtwin
