#pragma once
// Gathering a campaign's finished runs into one results database, in index order: the same rows as
// running them one after another with `evtwin run` into one file.
#include "sweep/campaign.hpp"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <vector>

namespace evtwin::sweep {

struct MergeSummary {
    std::size_t merged = 0;
    std::vector<std::size_t> failed, missing;  // runs of the sweep left out
};

// Writes the runs of the sweep that are done into a new database at `db` (written aside, then
// renamed into place). An existing `db` is replaced only with `replace`; otherwise SweepError.
MergeSummary merge_campaign(const Campaign& campaign, const std::filesystem::path& db, bool replace,
                            const std::function<void(std::size_t merged, std::size_t total)>& progress = {});

}  // namespace evtwin::sweep
