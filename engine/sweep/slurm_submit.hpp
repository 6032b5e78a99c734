#pragma once
// Handing a campaign to Slurm: a job array whose tasks run chunks of the runs not done yet (each
// task `evtwin sweep run DIR --indices ...`), and a merge job that starts when the array has ended.
// The scripts are written into DIR/slurm/<submission>/ and kept, with the tasks' output next to them.
#include "sweep/campaign.hpp"

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace evtwin::sweep {

struct SubmitOptions {
    std::filesystem::path evtwin;    // the executable the tasks run (absolute)
    std::string partition;           // empty: the cluster's default
    std::size_t max_parallel = 0;    // array tasks running at once (--array=...%K); 0: no limit
    std::string time_limit;          // per task, as sbatch --time takes it; empty: the partition's
    std::size_t runs_per_task = 0;   // 0: as few per task as MaxArraySize allows
    std::filesystem::path merge_db;  // the merge job's output; empty: DIR/all.db
};

struct Submission {
    std::filesystem::path folder;  // DIR/slurm/<n>
    std::size_t runs = 0, tasks = 0;
    std::string array_job, merge_job;  // empty when nothing was left to run
};

// The runs `pending` in at most `max_tasks` chunks of `runs_per_task` (0: the fewest runs per task
// that fit), each as an index list for --indices.
std::vector<std::string> chunk_indices(const std::vector<std::size_t>& pending, std::size_t max_tasks,
                                       std::size_t runs_per_task);

// The array job's batch script.
std::string array_script(const Campaign& campaign, const SubmitOptions& options,
                         const std::vector<std::string>& chunks, const std::filesystem::path& folder);

// The cluster's MaxArraySize (scontrol show config). Throws SweepError with scontrol's output.
std::size_t slurm_max_array_size();

// Writes the scripts and submits them with sbatch. Throws SweepError with sbatch's output.
Submission submit_to_slurm(const Campaign& campaign, const SubmitOptions& options);

}  // namespace evtwin::sweep
