#pragma once
// The node tree and connector list of a run as the results database stores them, numbered by the
// engine's Site (model/site.hpp), so the simulator, the strategies' Observation and the results all
// agree.
#include "record/schema/records.hpp"

namespace evtwin {

struct ScenarioSpec;

// Throws SiteError for a malformed site.
SiteTree site_tree(const ScenarioSpec& spec);

}  // namespace evtwin
