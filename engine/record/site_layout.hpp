#pragma once
// How a scenario's site becomes the node tree and connector list of a run: the scenario's nodes
// keep their indices (0 = grid connection); then, for each charger in order, one charger node
// followed by one node per connector. Connectors are numbered in the same order. The simulator,
// the strategies' Observation and the results database all use this numbering.
#include "record/records.hpp"

namespace evtwin {

struct ScenarioSpec;

// Throws std::invalid_argument when a node or charger hangs from a node that does not exist.
SiteTree site_tree(const ScenarioSpec& spec);

}  // namespace evtwin
