#include "sweep/merge.hpp"

#include "record/schema/schema.hpp"
#include "record/schema/sqlite_db.hpp"
#include "record/writer/run_copy.hpp"

#include <unistd.h>
#include <algorithm>

namespace evtwin::sweep {

MergeSummary merge_campaign(const Campaign& campaign, const std::filesystem::path& db, bool replace,
                            const std::function<void(std::size_t, std::size_t)>& progress) {
    if (std::filesystem::exists(db) && !replace)
        throw SweepError(db.string() + ": exists; give another --db, or --replace to write it anew");
    MergeSummary summary;
    std::vector<std::size_t> done;
    for (const auto& run : campaign.runs()) {
        if (!run.in_sweep) continue;
        switch (campaign.status(run.index).state) {
            case RunState::done:
                done.push_back(run.index);
                break;
            case RunState::failed:
                summary.failed.push_back(run.index);
                break;
            case RunState::missing:
                summary.missing.push_back(run.index);
                break;
        }
    }
    const std::filesystem::path part = db.string() + ".part-" + std::to_string(::getpid());
    std::filesystem::remove(part);
    try {
        {
            sqlite::Db out(part, sqlite::Db::Mode::read_write_create);
            // Written aside and renamed at the end: a crash loses the part file, never the target.
            out.exec("PRAGMA journal_mode = MEMORY");
            out.exec("PRAGMA synchronous = OFF");
            results_schema::create_or_check(out);
            for (std::size_t first = 0; first < done.size(); first += kMaxCopyFiles) {
                const std::vector<std::size_t> group(
                    done.begin() + first, done.begin() + std::min(first + kMaxCopyFiles, done.size()));
                std::vector<std::filesystem::path> files;
                for (std::size_t index : group) files.push_back(campaign.result_file(index));
                try {
                    copy_runs(out, files);
                } catch (const ResultsError& e) {
                    throw SweepError("runs " + format_indices(group) + ": " + e.what());
                }
                summary.merged += group.size();
                if (progress) progress(summary.merged, done.size());
            }
        }
        std::filesystem::rename(part, db);
    } catch (...) {
        std::filesystem::remove(part);
        throw;
    }
    return summary;
}

}  // namespace evtwin::sweep
