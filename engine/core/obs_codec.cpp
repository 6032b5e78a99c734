#include "core/obs_codec.hpp"

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

}  // namespace

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
    for (std::size_t c = 0; c < connectors; ++c) {
        const float a = clamp_action(action[c], layout_.action_low[c]);
        d.connector_kw[c] = o.connectors[c].session == kNone ? 0.0 : a * layout_.charger_kw[c];
    }
    const float e = clamp_action(action[connectors], layout_.action_low.back());
    d.ess_kw = !o.ess.present || !layout_.has_ess ? 0.0
               : e >= 0.0f                        ? e * layout_.ess_charge_kw
                                                  : e * layout_.ess_discharge_kw;
}

}  // namespace evtwin
