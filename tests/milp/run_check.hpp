#pragma once
// Runs scenarios/<scenario> under a strategy through the evtwin command and checks every physical
// invariant of the stored run and that no violation was recorded; returns the run's KPIs by name
// (empty when the command failed, which is reported).
#include <map>
#include <string>

namespace evtwin::test {

std::map<std::string, double> run_and_check(const std::string& scenario, const std::string& strategy,
                                            const std::string& options, const std::string& tag);

}  // namespace evtwin::test
