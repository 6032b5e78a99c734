#pragma once
// A campaign: the directory a sweep runs in. `campaign.db` holds the expanded run list (index, key,
// what to run); `runs/<index>.db` is a finished run's results file, `runs/<index>.failed` says why
// a run failed. The files are the truth about what is done, so any number of processes (a local
// pool, Slurm array tasks) may run runs at once without a shared writer.
#include "sweep/sweep_file.hpp"

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace evtwin::sweep {

struct CampaignRun : SweepRun {
    std::size_t index = 0;
    bool in_sweep = true;  // false: a run the sweep file no longer lists (kept, never renumbered)
};

enum class RunState { done, failed, missing };
const char* run_state_name(RunState state);

struct RunStatus {
    RunState state = RunState::missing;
    std::string reason;  // failed: the error; missing: never started, or started and not finished
};

struct PlanSummary {
    std::size_t added = 0, kept = 0, retired = 0;
};

class Campaign {
public:
    // Creates the campaign in `dir` (new or empty), or grows the campaign already there: runs it
    // has keep their index, new ones are numbered after them, runs the file no longer lists are
    // kept out of the sweep. Throws SweepError for a directory that holds something else or the
    // campaign of another sweep.
    static Campaign plan(const std::filesystem::path& dir, const SweepSpec& spec,
                         const std::filesystem::path& data_dir, PlanSummary* summary = nullptr);
    // Throws SweepError when `dir` holds no campaign.
    static Campaign open(const std::filesystem::path& dir);

    const std::filesystem::path& dir() const { return dir_; }
    const std::string& name() const { return name_; }
    const std::filesystem::path& sweep_file() const { return sweep_file_; }
    const std::filesystem::path& data_dir() const {
        return data_dir_;
    }                                                               // empty: $EVTWIN_DATA, else the default
    const std::vector<CampaignRun>& runs() const { return runs_; }  // by index
    const CampaignRun& run(std::size_t index) const;                // throws SweepError when out of range

    std::filesystem::path result_file(std::size_t index) const;   // runs/000042.db
    std::filesystem::path failure_file(std::size_t index) const;  // runs/000042.failed
    // The file only process `pid` writes the run into, renamed to result_file() once it is complete.
    std::filesystem::path partial_file(std::size_t index, long pid) const;
    RunStatus status(std::size_t index) const;

private:
    std::filesystem::path dir_;
    std::string name_;
    std::filesystem::path sweep_file_;
    std::filesystem::path data_dir_;
    std::vector<CampaignRun> runs_;
};

// "0-9,12,20-29" -> indices (ascending, each once); throws SweepError naming the bad part.
std::vector<std::size_t> parse_indices(const std::string& text);
// The inverse: ranges of consecutive indices joined by ','.
std::string format_indices(const std::vector<std::size_t>& indices);

// The `evtwin run` command line that makes the same run into `db`.
std::string run_command_line(const Campaign& campaign, const CampaignRun& run,
                             const std::filesystem::path& db);

}  // namespace evtwin::sweep
