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
    node_flows_.resize(flow_nodes_.size());
}

void ForecastCache::extend_horizon(Duration horizon) {
    const Duration run = spec_.end - spec_.start;
    horizon_periods_ = std::max(
        horizon_periods_,
        periods_in(std::min(horizon, run) + spec_.control_period - Duration(1), spec_.control_period));
    updated_ = false;
}

void ForecastCache::compute(std::size_t first, std::size_t end) {
    if (first < known_from_ || first > known_to_)
        known_from_ = known_to_ = first;  // not adjacent: start anew
    if (end <= known_to_) return;
    if (end > import_price_.size()) {
        const std::size_t size = std::max(end, 2 * import_price_.size());  // grown geometrically
        for (auto* v : {&import_price_, &export_price_, &pv_kw_, &load_kw_}) v->resize(size);
        for (std::vector<double>& flows : node_flows_) flows.resize(size);
    }
    const auto add_on_path = [&](std::size_t period, NodeIndex n, double kw) {
        for (; n != kNone && n < spec_.nodes.size(); n = spec_.nodes[n].parent) {
            const auto slot = std::lower_bound(flow_nodes_.begin(), flow_nodes_.end(), n);
            node_flows_[static_cast<std::size_t>(slot - flow_nodes_.begin())][period] += kw;
        }
    };
    for (std::size_t period = known_to_; period < end; ++period) {
        const Time t = spec_.start + spec_.control_period * static_cast<std::int64_t>(period);
        import_price_[period] = spec_.tariff->import_price(t);
        export_price_[period] = spec_.tariff->export_price(t);
        pv_kw_[period] = load_kw_[period] = 0.0;
        for (std::vector<double>& flows : node_flows_) flows[period] = 0.0;
        for (const PvSpec& pv : spec_.pv) {
            const double kw = pv.kwp * pv.profile.value_at(t);
            pv_kw_[period] += kw;
            add_on_path(period, pv.node, -kw);
        }
        for (const LoadSpec& load : spec_.loads) {
            const double kw = load.kw.value_at(t);
            load_kw_[period] += kw;
            add_on_path(period, load.node, kw);
        }
    }
    known_to_ = end;
}

bool ForecastCache::update(Time now, Forecast& out) {
    const auto first =
        static_cast<std::size_t>(std::max<std::int64_t>(0, (now - spec_.start) / spec_.control_period));
    if (updated_ && first == updated_first_) return false;
    fill(now, out);
    updated_ = true;
    updated_first_ = first;
    return true;
}

void ForecastCache::fill(Time now, Forecast& out) {
    const auto first =
        static_cast<std::size_t>(std::max<std::int64_t>(0, (now - spec_.start) / spec_.control_period));
    const std::size_t end = first + horizon_periods_;
    compute(first, end);
    out.start = spec_.start + spec_.control_period * static_cast<std::int64_t>(first);
    out.step = spec_.control_period;
    const auto window = [&](const std::vector<double>& v, std::vector<double>& into) {
        into.assign(v.begin() + static_cast<std::ptrdiff_t>(first),
                    v.begin() + static_cast<std::ptrdiff_t>(end));
    };
    window(import_price_, out.import_price);
    window(export_price_, out.export_price);
    window(pv_kw_, out.pv_kw);
    window(load_kw_, out.base_load_kw);
    out.node_fixed_flow.resize(flow_nodes_.size());
    for (std::size_t i = 0; i < flow_nodes_.size(); ++i) {
        out.node_fixed_flow[i].node = flow_nodes_[i];
        window(node_flows_[i], out.node_fixed_flow[i].kw);
    }
}

}  // namespace evtwin
