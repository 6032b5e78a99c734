#pragma once
// The scenario's settings as JSON, for the runs table's config_json: what the results tables do not
// already hold in columns.
#include <string>

namespace evtwin {

struct ScenarioSpec;

std::string run_config_json(const ScenarioSpec& spec);

}  // namespace evtwin
