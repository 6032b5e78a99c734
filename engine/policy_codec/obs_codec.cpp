#include <evtwin/rl/layout.hpp>

#include "model/local_time.hpp"
#include "policy_codec/safety_layer.hpp"
#include "policy_codec/shared_capacity.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace evtwin {
namespace {

constexpr std::size_t kTimeFeatures = ObsLayout::time_features;
constexpr std::size_t kConnectorFeatures = ObsLayout::connector_features;
constexpr std::size_t kDemandFeatures = 4;  // peak so far, interval so far, its elapsed share, forced import
constexpr Duration kBillClockScale = Duration::hours(31 * 24);  // a billing month

float clamp_unit(double x, double lo = 0.0) {
    return static_cast<float>(std::clamp(x, lo, 1.0));
}

float clamp_action(float a, float lo) {
    return std::isnan(a) ? 0.0f : std::clamp(a, lo, 1.0f);
}

}  // namespace

std::size_t ObsLayout::observation_size() const {
    return kTimeFeatures + kConnectorFeatures * connectors() + 3 * window + 1 + kDemandFeatures +
           (bill_clock ? 1 : 0) + (ev_demand ? window : 0) + limited_nodes.size();
}

void set_site_cap(ObsLayout& l, bool on) {
    if (l.site_cap == on) return;
    l.site_cap = on;
    if (on)
        l.action_low.push_back(0.0f);
    else
        l.action_low.pop_back();
}

std::string layout_difference(const ObsLayout& have, const ObsLayout& want) {
    auto n = [](std::size_t v) { return std::to_string(v); };
    if (have.connectors() != want.connectors())
        return n(have.connectors()) + " connectors, expected " + n(want.connectors());
    if (have.charger_kw != want.charger_kw) return "other charger ratings";
    if (have.site_cap != want.site_cap)
        return std::string("site cap ") + (have.site_cap ? "on" : "off") + ", expected " +
               (want.site_cap ? "on" : "off");
    if (have.cap_below_peak != want.cap_below_peak)
        return std::string("site cap ") + (have.cap_below_peak ? "from 0" : "from the peak") + ", expected " +
               (want.cap_below_peak ? "from 0" : "from the peak");
    if (have.action_low != want.action_low) return "other V2G-capable chargers";
    if (have.limited_nodes != want.limited_nodes)
        return n(have.limited_nodes.size()) + " limited nodes, expected " + n(want.limited_nodes.size());
    if (have.bill_clock != want.bill_clock)
        return std::string(have.bill_clock ? "a" : "no") + " bill clock feature, expected " +
               (want.bill_clock ? "one" : "none");
    if (have.ev_demand != want.ev_demand)
        return std::string(have.ev_demand ? "an" : "no") + " EV demand forecast, expected " +
               (want.ev_demand ? "one" : "none");
    if (have.window != want.window)
        return "forecast window " + n(have.window) + ", expected " + n(want.window);
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

ObsCodec::ObsCodec(ObsLayout layout)
    : layout_(std::move(layout)), zone_(std::make_shared<const TimeZone>(layout_.timezone)) {}

void ObsCodec::encode(const Observation& o, std::span<float> obs) const {
    if (obs.size() != layout_.observation_size())
        throw std::invalid_argument("ObsCodec::encode: observation buffer of the wrong size");
    if (o.connectors.size() != layout_.connectors())
        throw std::invalid_argument("ObsCodec::encode: the site has " + std::to_string(o.connectors.size()) +
                                    " connectors, the layout " + std::to_string(layout_.connectors()));
    float* out = obs.data();
    const LocalDateTime local = zone_->to_local(o.now);
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

    *out++ = o.ess.empty() ? 0.0f : clamp_unit(o.ess[0].soc);

    // The demand charge's state, and the import no action can avoid now (fixed flow + safe minima).
    const DemandView& dv = o.demand;
    const double scale = layout_.power_scale_kw;
    const bool intervals = dv.interval.ms() > 0;
    *out++ = clamp_unit(dv.peak_kw / scale);
    *out++ = intervals ? clamp_unit(dv.interval_kwh / dv.interval.hours_f() / scale) : 0.0f;
    *out++ = intervals ? clamp_unit(static_cast<double>((o.now - dv.interval_start).ms()) /
                                    static_cast<double>(dv.interval.ms()))
                       : 0.0f;
    double forced_kw = o.nodes.empty() ? 0.0 : o.nodes[0].fixed_flow_kw;
    if (layout_.safety == SafetyLayer::laxity) {
        thread_local std::vector<SafeRange> ranges;  // reused: no allocation per step
        ranges.resize(o.sessions.size());
        site_safe_ranges(o, layout_.safety_margin, ranges);
        for (const SafeRange& r : ranges) forced_kw += r.min_kw;
    }
    *out++ = static_cast<float>(std::clamp(forced_kw / scale, -1.0, 1.0));
    if (layout_.bill_clock) {
        const Time bill_end = std::min(dv.period_end, o.run_end);
        *out++ = clamp_unit(static_cast<double>((bill_end - o.now).ms()) /
                            static_cast<double>(kBillClockScale.ms()));
    }
    if (layout_.ev_demand) {
        const double period_h = o.control_period.hours_f();
        window(f ? &f->demand.energy_kwh.p50 : nullptr, period_h > 0.0 ? scale * period_h : 1.0, 0.0);
    }
    for (NodeIndex n : layout_.limited_nodes) {
        const NodeView& v = o.nodes[n];
        *out++ = static_cast<float>(
            std::clamp((v.import_limit_kw - v.fixed_flow_kw) / layout_.power_scale_kw, -1.0, 1.0));
    }
}

void ObsCodec::decode(std::span<const float> action, const Observation& o, Decision& d) const {
    const std::size_t connectors = layout_.connectors();
    if (action.size() != layout_.action_size())
        throw std::invalid_argument("ObsCodec::decode: action of the wrong size");
    d.connector_kw.resize(connectors);
    const bool safe = layout_.safety == SafetyLayer::laxity;
    thread_local std::vector<double> floor_kw, laxity_h;  // reused: no allocation per step
    thread_local std::vector<SafeRange> ranges;
    floor_kw.assign(connectors, 0.0);
    laxity_h.assign(connectors, 0.0);
    ranges.resize(o.sessions.size());
    if (safe) site_safe_ranges(o, layout_.safety_margin, ranges);
    for (std::size_t c = 0; c < connectors; ++c) {
        const float a = clamp_action(action[c], layout_.action_low[c]);
        const std::uint32_t i = o.connectors[c].session;
        if (i == kNone) {
            d.connector_kw[c] = 0.0;
        } else if (!safe) {
            d.connector_kw[c] = a * layout_.charger_kw[c];
        } else {
            const SafeSetpoint sp = safe_setpoint(a, ranges[i], o.sessions[i], o.now);
            d.connector_kw[c] = sp.kw;
            floor_kw[c] = sp.floor_kw;
            laxity_h[c] = sp.laxity_h;
        }
    }
    const float e = clamp_action(action[connectors], layout_.action_low[connectors]);
    d.ess_kw.assign(o.ess.size(), 0.0);
    if (!o.ess.empty() && layout_.has_ess) {  // the layout's one battery (obs_layout_of)
        const double charge_kw = safe ? o.ess[0].max_charge_kw : layout_.ess_charge_kw;
        const double discharge_kw = safe ? o.ess[0].max_discharge_kw : layout_.ess_discharge_kw;
        d.ess_kw[0] = e >= 0.0f ? e * charge_kw : e * discharge_kw;
    }
    if (layout_.site_cap) {
        const float r = clamp_action(action[connectors + 1], 0.0f);
        hold_site_cap(import_allowance_kw(site_cap_kw(r, o, layout_), o), o, floor_kw, laxity_h, d);
    }
    if (safe) keep_within_limits(o, floor_kw, d);
}

}  // namespace evtwin
