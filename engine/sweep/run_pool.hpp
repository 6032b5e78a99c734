#pragma once
// Running a campaign's runs: each in a child process (a crash or an abort in one run is that run's
// failure, not the pool's), at most `jobs` at a time. A run writes a file of its own; once the run
// is complete the pool syncs it to disk and renames it to its result file. A run that fails leaves
// a failure file with the error and the `evtwin run` line that reproduces it.
#include "sweep/campaign.hpp"

#include <evtwin/scenario.hpp>

#include <atomic>
#include <cstddef>
#include <functional>
#include <vector>

namespace evtwin::sweep {

enum class RunResult { done, failed, interrupted };

// Runs one run in this process into campaign.partial_file(index, getpid()), drawing its seed from
// `at_point` (the run's scenario loaded at its parameters) when given. RunResult::done: the file is
// complete, for the caller to sync and rename. Never throws for the run's own failure (that is
// RunResult::failed).
RunResult run_in_process(const Campaign& campaign, std::size_t index, const std::atomic<bool>* interrupt,
                         const Scenario* at_point = nullptr);

struct PoolProgress {
    std::size_t total = 0;     // runs to run (not done before)
    std::size_t finished = 0;  // done or failed so far
    std::size_t failed = 0;
};

struct PoolOptions {
    unsigned jobs = 1;
    const std::atomic<bool>* interrupt = nullptr;  // set: no run starts; running ones stop (they see SIGINT)
    std::function<void(const PoolProgress&)> progress;  // after every finished run
};

struct PoolSummary {
    std::size_t done = 0;
    std::size_t failed = 0;
    std::size_t already_done = 0;  // skipped
    std::size_t not_started = 0;   // left by an interruption
    bool interrupted = false;
    std::vector<std::size_t> failed_indices;
};

// Runs every run of `indices` that is not done. Throws SweepError for an index out of range.
PoolSummary run_pool(const Campaign& campaign, const std::vector<std::size_t>& indices,
                     const PoolOptions& options);

}  // namespace evtwin::sweep
