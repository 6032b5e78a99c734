#pragma once
// What the sweep suites share: a small site whose sessions change with the seed and whose `fail`
// parameter makes a run fail while it runs (after the scenario has loaded), and the comparison of a
// merged database with the same runs made one after another with `evtwin run`.
#include "sweep/campaign.hpp"

#include <filesystem>
#include <string>

namespace evtwin::test {

// Writes small_site.lua into `dir`; returns its path.
std::filesystem::path write_small_site(const std::filesystem::path& dir);

// Runs every done run of the campaign with `evtwin run` into `serial_db`, then compares its results
// tables with `merged_db`'s run by run; "" when equal, else what differs.
std::string compare_with_serial_runs(const sweep::Campaign& campaign, const std::filesystem::path& merged_db,
                                     const std::filesystem::path& serial_db);

}  // namespace evtwin::test
