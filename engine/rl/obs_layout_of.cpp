#include "rl/obs_layout_of.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace evtwin {

ObsLayout make_obs_layout(const ScenarioSpec& site, std::size_t window, double price_scale,
                          double power_scale_kw, Duration departure_scale) {
    if (departure_scale.ms() <= 0) throw std::invalid_argument("Env: departure_scale must be positive");
    ObsLayout l;
    for (const ChargerSpec& ch : site.chargers) {
        for (int k = 0; k < ch.connectors; ++k) {
            l.charger_kw.push_back(ch.max_kw);
            l.action_low.push_back(ch.v2g_capable ? -1.0f : 0.0f);
        }
    }
    // A policy's action drives one stationary battery: a site with more is not an RL environment.
    if (site.ess.size() > 1)
        throw std::invalid_argument("an RL policy drives at most one stationary battery; the site has " +
                                    std::to_string(site.ess.size()) + " ess{}");
    const EssSpec* ess = site.ess.empty() ? nullptr : &site.ess[0];
    l.action_low.push_back(ess ? -1.0f : 0.0f);
    for (std::size_t n = 0; n < site.nodes.size(); ++n)
        if (std::isfinite(site.nodes[n].import_limit_kw))
            l.limited_nodes.push_back(static_cast<NodeIndex>(n));
    l.window = window;
    l.departure_scale = departure_scale;
    l.timezone = site.timezone;
    if (ess) {
        l.has_ess = true;
        l.ess_charge_kw = ess->max_charge_kw;
        l.ess_discharge_kw = ess->max_discharge_kw;
    }

    l.power_scale_kw = power_scale_kw;
    if (!(l.power_scale_kw > 0.0)) {
        l.power_scale_kw = 0.0;
        for (const ChargerSpec& ch : site.chargers) l.power_scale_kw += ch.max_kw;
        if (ess) l.power_scale_kw += std::max(ess->max_charge_kw, ess->max_discharge_kw);
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

}  // namespace evtwin
