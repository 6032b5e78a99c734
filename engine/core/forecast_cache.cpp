#include "core/forecast_cache.hpp"

#include <algorithm>

namespace evtwin {

namespace {

std::size_t periods_in(Duration horizon, Duration period) {
    return static_cast<std::size_t>(std::max<std::int64_t>(1, horizon / period));
}

// Every node on the path from `n` to the grid connection, in `marked`.
void mark_path(const ScenarioSpec& spec, NodeIndex n, std::vector<bool>& marked) {
    for (; n != kNone && n < spec.nodes.size(); n = spec.nodes[n].parent) marked[n] = true;
}

}  // namespace

ForecastCache::ForecastCache(const ScenarioSpec& spec)
    : spec_(spec), horizon_periods_(periods_in(spec.forecast_horizon, spec.control_period)) {
    std::vector<bool> marked(spec.nodes.size(), false);
    for (const PvSpec& pv : spec.pv) mark_path(spec, pv.node, marked);
    for (const LoadSpec& load : spec.loads) mark_path(spec, load.node, marked);
    for (std::size_t n = 0; n < marked.size(); ++n)
        if (marked[n]) flow_nodes_.push_back(static_cast<NodeIndex>(n));
}

void ForecastCache::extend_horizon(Duration horizon) {
    const Duration run = spec_.end - spec_.start;
    horizon_periods_ = std::max(horizon_periods_, periods_in(std::min(horizon, run) + spec_.control_period - Duration(1), spec_.control_period));
    updated_ = false;
}

const ForecastCache::Values& ForecastCache::at(std::size_t period) {
    const std::size_t width = flow_nodes_.size();
    if (period >= values_.size()) {
        const std::size_t size = std::max(period + 1, 2 * values_.size());  // grown geometrically
        values_.resize(size);
        known_.resize(size, false);
        node_flows_.resize(size * width);
    }
    if (!known_[period]) {
        const Time t = spec_.start + spec_.control_period * static_cast<std::int64_t>(period);
        Values v{spec_.tariff->import_price(t), spec_.tariff->export_price(t), 0.0, 0.0};
        double* flows = node_flows_.data() + period * width;
        std::fill(flows, flows + width, 0.0);
        const auto add_on_path = [&](NodeIndex n, double kw) {
            for (; n != kNone && n < spec_.nodes.size(); n = spec_.nodes[n].parent) {
                const auto slot = std::lower_bound(flow_nodes_.begin(), flow_nodes_.end(), n);
                flows[slot - flow_nodes_.begin()] += kw;
            }
        };
        for (const PvSpec& pv : spec_.pv) {
            const double kw = pv.kwp * pv.profile.value_at(t);
            v.pv_kw += kw;
            add_on_path(pv.node, -kw);
        }
        for (const LoadSpec& load : spec_.loads) {
            const double kw = load.kw.value_at(t);
            v.load_kw += kw;
            add_on_path(load.node, kw);
        }
        values_[period] = v;
        known_[period] = true;
    }
    return values_[period];
}

bool ForecastCache::update(Time now, Forecast& out) {
    const auto first = static_cast<std::size_t>(std::max<std::int64_t>(0, (now - spec_.start) / spec_.control_period));
    if (updated_ && first == updated_first_) return false;
    fill(now, out);
    updated_ = true;
    updated_first_ = first;
    return true;
}

void ForecastCache::fill(Time now, Forecast& out) {
    const auto first = static_cast<std::size_t>(std::max<std::int64_t>(0, (now - spec_.start) / spec_.control_period));
    out.start = spec_.start + spec_.control_period * static_cast<std::int64_t>(first);
    out.step = spec_.control_period;
    out.import_price.resize(horizon_periods_);
    out.export_price.resize(horizon_periods_);
    out.pv_kw.resize(horizon_periods_);
    out.base_load_kw.resize(horizon_periods_);
    out.node_fixed_flow.resize(flow_nodes_.size());
    for (std::size_t i = 0; i < flow_nodes_.size(); ++i) {
        out.node_fixed_flow[i].node = flow_nodes_[i];
        out.node_fixed_flow[i].kw.resize(horizon_periods_);
    }
    for (std::size_t k = 0; k < horizon_periods_; ++k) {
        const Values& v = at(first + k);
        out.import_price[k] = v.import_price;
        out.export_price[k] = v.export_price;
        out.pv_kw[k] = v.pv_kw;
        out.base_load_kw[k] = v.load_kw;
        const double* flows = node_flows_.data() + (first + k) * flow_nodes_.size();
        for (std::size_t i = 0; i < flow_nodes_.size(); ++i) out.node_fixed_flow[i].kw[k] = flows[i];
    }
}

}  // namespace evtwin
