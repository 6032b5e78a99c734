#pragma once
// The site's rows of a run, recorded on change only: a node's flow when it differs from the flow last
// recorded for that node, the site's sample when one of its powers differs from the last recorded.
// The rows then hold a step function that is exact between them, and a quiet site costs no rows.
// Charger and connector nodes are not recorded: their connectors' rows say the same.
#include "core/run_sink.hpp"
#include "model/site.hpp"

#include <span>
#include <vector>

namespace evtwin {

class SiteRecorder {
public:
    SiteRecorder(const Site& site, RunSink& sink);

    // The site at `t`: `flows` per node (grid side, as NodeView), `s` its sample.
    void record(Time t, std::span<const double> flows, const SiteSample& s);
    // The sample last recorded (zero before the first).
    const SiteSample& last() const { return last_; }

private:
    RunSink& sink_;
    std::vector<NodeIndex> recorded_nodes_;
    std::vector<double> recorded_flow_;  // per node; NaN until first recorded
    SiteSample last_;
    bool recorded_ = false;
};

}  // namespace evtwin
