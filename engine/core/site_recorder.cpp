#include "core/site_recorder.hpp"

#include <cmath>

namespace evtwin {

SiteRecorder::SiteRecorder(const Site& site, RunSink& sink)
    : sink_(sink), recorded_flow_(site.nodes().size(), NAN) {
    for (std::size_t n = 0; n < site.nodes().size(); ++n)
        if (site.nodes()[n].kind != NodeKind::charger && site.nodes()[n].kind != NodeKind::connector)
            recorded_nodes_.push_back(static_cast<NodeIndex>(n));
}

void SiteRecorder::record(Time t, std::span<const double> flows, const SiteSample& s) {
    for (const NodeIndex n : recorded_nodes_) {
        if (flows[n] == recorded_flow_[n]) continue;
        sink_.node_sample(t, n, flows[n]);
        recorded_flow_[n] = flows[n];
    }
    // The ESS's SoC moves whenever it has power: its row follows its power.
    if (recorded_ && s.grid_kw == last_.grid_kw && s.ev_kw == last_.ev_kw && s.pv_kw == last_.pv_kw &&
        s.pv_curtailed_kw == last_.pv_curtailed_kw && s.ess_kw == last_.ess_kw && s.load_kw == last_.load_kw)
        return;
    sink_.site_sample(t, s);
    last_ = s;
    recorded_ = true;
}

}  // namespace evtwin
