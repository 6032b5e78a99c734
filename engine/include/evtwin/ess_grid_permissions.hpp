#pragma once
// The stationary batteries' permissions to charge from the grid and to give to it
// (EssView::grid_charge, grid_discharge, with the rule): a battery without grid charge charges only
// from what the site would export without the batteries so held, one without grid discharge gives
// only what the site would import without them; a surplus or an import goes to them in priority
// order. The engine holds every run's batteries to them at every instant, the live twin at every
// change of the site's metered import; a strategy may hand out its batteries' power by them as well.
//
// `Battery` is EssView, or any type with the members grid_charge, grid_discharge and priority.
#include <evtwin/decision.hpp>
#include <evtwin/observation.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

namespace evtwin {

// A battery's power over its share by no more than this is rounding, left as it is.
inline constexpr double kGridPermissionToleranceKw = 1e-6;

// The batteries that miss a permission, in the order a surplus or an import is handed out among them:
// priority, higher first, then their order in the span. Empty where every battery has both.
template <class Battery>
std::vector<std::size_t> grid_permission_order(std::span<const Battery> batteries) {
    std::vector<std::size_t> order;
    for (std::size_t b = 0; b < batteries.size(); ++b)
        if (!batteries[b].grid_charge || !batteries[b].grid_discharge) order.push_back(b);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return batteries[a].priority > batteries[b].priority;
    });
    return order;
}

// Cuts the grid-side powers `kw` (per battery, > 0 charging) to the permissions of the batteries in
// `order` (grid_permission_order), given `site_kw`, the site's net import with the powers as given.
// Returns whether it cut any.
template <class Battery>
bool hold_to_grid_permissions(std::span<const Battery> batteries, std::span<const std::size_t> order,
                              double site_kw, std::span<double> kw) {
    const auto held = [&](std::size_t b) {
        return (kw[b] > 0.0 && !batteries[b].grid_charge) || (kw[b] < 0.0 && !batteries[b].grid_discharge);
    };
    double without = site_kw;  // the site's import without the batteries held
    for (const std::size_t b : order)
        if (held(b)) without -= kw[b];
    double surplus = std::max(0.0, -without);
    double import = std::max(0.0, without);
    bool cut = false;
    for (const std::size_t b : order) {
        if (!held(b)) continue;
        double& room = kw[b] > 0.0 ? surplus : import;
        const double asked = std::abs(kw[b]);
        const double given = asked > room + kGridPermissionToleranceKw ? room : asked;
        if (given != asked) {
            kw[b] = given == 0.0 ? 0.0 : (kw[b] > 0.0 ? given : -given);
            cut = true;
        }
        room = std::max(0.0, room - given);
    }
    return cut;
}

// The site's net import now if decision `d` were applied, by the observation: the fixed flow at the
// grid connection, each vehicle at its setpoint within what it takes and gives now, each battery at
// its setpoint within what it can take and give now.
inline double decided_site_kw(const Observation& obs, const Decision& d) {
    double site_kw = obs.nodes.empty() ? 0.0 : obs.nodes[0].fixed_flow_kw;
    for (const SessionView& s : obs.sessions) {
        if (s.connector >= d.connector_kw.size()) continue;
        const double kw = d.connector_kw[s.connector];
        site_kw += kw >= 0.0 ? std::min(kw, s.max_charge_kw) : -std::min(-kw, s.max_discharge_kw);
    }
    for (std::size_t b = 0; b < obs.ess.size() && b < d.ess_kw.size(); ++b)
        site_kw += std::clamp(d.ess_kw[b], -obs.ess[b].max_discharge_kw, obs.ess[b].max_charge_kw);
    return site_kw;
}

// Cuts decision `d`'s battery setpoints to their grid permissions at the import decided_site_kw
// estimates, as the engine would cut them (it does so on what the vehicles then draw). Returns
// whether it cut any.
inline bool hold_to_grid_permissions(const Observation& obs, Decision& d) {
    const std::vector<std::size_t> order = grid_permission_order(obs.ess);
    if (order.empty() || d.ess_kw.size() != obs.ess.size()) return false;
    return hold_to_grid_permissions(obs.ess, order, decided_site_kw(obs, d), std::span<double>(d.ess_kw));
}

}  // namespace evtwin
