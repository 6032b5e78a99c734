#include "sweep/run_pool.hpp"

#include "host/plugin_loader.hpp"
#include "record/schema/schema.hpp"
#include "scenario/scenario_impl.hpp"

#include <evtwin/run.hpp>
#include <evtwin/scenario.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <set>

namespace evtwin::sweep {

namespace {

void remove_partial(const std::filesystem::path& part) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        std::filesystem::remove(part.string() + suffix, ec);
}

// A run is done once its file is renamed into place: its content must be on disk before that.
void sync_to_disk(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fdatasync(fd) != 0) {
        const int error = errno;
        if (fd >= 0) ::close(fd);
        throw SweepError(file.string() + ": cannot write it to disk: " + std::strerror(error));
    }
    ::close(fd);
}

std::string one_line(std::string text) {
    for (char& c : text)
        if (c == '\n' || c == '\r') c = ' ';
    return text;
}

// The failure file, written whole or not at all: the error on the first line, then what was run.
void record_failure(const Campaign& campaign, std::size_t index, const std::string& error) {
    const auto file = campaign.failure_file(index);
    const auto part = file.string() + ".part-" + std::to_string(::getpid());
    {
        std::ofstream out(part);
        out << one_line(error) << "\nrun " << index << ": " << campaign.runs()[index].key
            << "\nreproduce: " << run_command_line(campaign, campaign.runs()[index], "run.db") << "\n";
    }
    std::filesystem::rename(part, file);
}

// What every run's process would otherwise load again, loaded once before the pool forks: each
// scenario at each parameter point (a run draws its seed from it: the data files are parsed once),
// each strategy's plugin library, and the empty results database a run's file starts as.
// Whatever fails to load here is left to the run to report.
struct Preloaded {
    std::map<std::string, Scenario> scenarios;
    std::vector<std::shared_ptr<const Plugin>> plugins;
};

Preloaded preload(const Campaign& campaign, const std::deque<std::size_t>& queue) {
    Preloaded p;
    results_schema::empty_database_image();
    std::set<std::string> strategies;
    for (std::size_t index : queue) {
        const CampaignRun& run = campaign.run(index);
        if (!p.scenarios.count(parameter_point(run))) {
            ScenarioOptions load;
            load.seed = run.seed;
            load.params = run.params;
            load.data_dir = campaign.data_dir();
            try {
                p.scenarios.emplace(parameter_point(run), Scenario::load(run.scenario, load));
            } catch (const std::exception&) {
            }
        }
        if (strategies.insert(run.strategy).second && run.strategy.find('/') == std::string::npos) {
            try {
                p.plugins.push_back(find_plugin(run.strategy));
            } catch (const std::exception&) {
            }
        }
    }
    return p;
}

// The run's partial file is complete: on disk first, then renamed into place, which makes it done.
RunResult finish_run(const Campaign& campaign, std::size_t index, long pid) {
    const auto part = campaign.partial_file(index, pid);
    try {
        sync_to_disk(part);
        std::filesystem::rename(part, campaign.result_file(index));
        std::filesystem::remove(campaign.failure_file(index));
        return RunResult::done;
    } catch (const std::exception& e) {
        remove_partial(part);
        record_failure(campaign, index, e.what());
        return RunResult::failed;
    }
}

std::string signal_text(int sig) {
    const char* name = ::strsignal(sig);
    return "killed by signal " + std::to_string(sig) + (name ? std::string(" (") + name + ")" : "");
}

// What a run's process that did not exit 0 means: interrupted (exit 130 or SIGINT), or failed, with
// the failure recorded unless the process recorded it itself (exit 1). Its partial file goes.
RunResult result_of_failed_child(const Campaign& campaign, std::size_t index, pid_t pid, int status) {
    remove_partial(campaign.partial_file(index, pid));  // e.g. a crash, or a second Ctrl-C
    if ((WIFEXITED(status) && WEXITSTATUS(status) == 130) ||
        (WIFSIGNALED(status) && WTERMSIG(status) == SIGINT))
        return RunResult::interrupted;
    if (WIFSIGNALED(status))
        record_failure(campaign, index, signal_text(WTERMSIG(status)));
    else if (WEXITSTATUS(status) != 1)
        record_failure(campaign, index,
                       "the run's process ended with exit code " + std::to_string(WEXITSTATUS(status)));
    return RunResult::failed;
}

}  // namespace

RunResult run_in_process(const Campaign& campaign, std::size_t index, const std::atomic<bool>* interrupt,
                         const Scenario* at_point) {
    const CampaignRun& run = campaign.run(index);
    const auto part = campaign.partial_file(index, ::getpid());
    remove_partial(part);
    try {
        ScenarioOptions load;
        load.seed = run.seed;
        load.params = run.params;
        load.data_dir = campaign.data_dir();
        const Scenario scenario =
            at_point ? scenario_of(draw_scenario(*at_point, run.seed)) : Scenario::load(run.scenario, load);
        RunOptions options;
        options.strategy = run.strategy;
        options.options = run.options;
        options.db = part;
        options.private_db = true;
        options.interrupt = interrupt;
        const RunOutcome outcome = run_scenario(scenario, options);
        if (outcome.interrupted) {
            remove_partial(part);
            return RunResult::interrupted;
        }
        return RunResult::done;
    } catch (const std::exception& e) {
        remove_partial(part);
        if (interrupt && interrupt->load()) return RunResult::interrupted;
        record_failure(campaign, index, e.what());
        return RunResult::failed;
    }
}

namespace {

// The body of a run's process: runs it and exits 0 (done), 1 (failed, recorded), 130 (interrupted)
// or 2 (an exception escaped).
[[noreturn]] void run_child(const Campaign& campaign, std::size_t index, const Preloaded& preloaded,
                            const std::atomic<bool>* interrupt) {
    int code = 2;
    try {
        const auto point = preloaded.scenarios.find(parameter_point(campaign.run(index)));
        const RunResult result = run_in_process(
            campaign, index, interrupt, point == preloaded.scenarios.end() ? nullptr : &point->second);
        code = result == RunResult::done ? 0 : result == RunResult::failed ? 1 : 130;
    } catch (...) {
    }
    std::fflush(nullptr);
    ::_exit(code);
}

}  // namespace

PoolSummary run_pool(const Campaign& campaign, const std::vector<std::size_t>& indices,
                     const PoolOptions& options) {
    PoolSummary summary;
    std::deque<std::size_t> queue;
    for (auto i : indices) {
        campaign.run(i);  // range check before anything runs
        if (campaign.status(i).state == RunState::done)
            ++summary.already_done;
        else
            queue.push_back(i);
    }
    PoolProgress progress;
    progress.total = queue.size();
    const unsigned jobs = std::max(1u, options.jobs);
    const Preloaded preloaded = preload(campaign, queue);
    std::map<pid_t, std::size_t> running;
    std::vector<std::pair<pid_t, std::size_t>> complete;  // runs whose files are written, not yet done
    auto interrupted = [&] { return options.interrupt && options.interrupt->load(); };
    auto count = [&](std::size_t index, RunResult result) {
        switch (result) {
            case RunResult::done:
                ++summary.done;
                break;
            case RunResult::failed:
                ++summary.failed;
                summary.failed_indices.push_back(index);
                break;
            case RunResult::interrupted:
                summary.interrupted = true;
                return;
        }
        ++progress.finished;
        progress.failed = summary.failed;
        if (options.progress) options.progress(progress);
    };

    while (!queue.empty() || !running.empty() || !complete.empty()) {
        while (running.size() < jobs && !queue.empty() && !interrupted()) {
            const std::size_t index = queue.front();
            std::fflush(nullptr);
            const pid_t pid = ::fork();
            if (pid < 0) {
                if (errno == EAGAIN && !running.empty()) break;  // the system's limit: on with fewer
                throw SweepError(std::string("cannot start a run: fork: ") + std::strerror(errno));
            }
            if (pid == 0) run_child(campaign, index, preloaded, options.interrupt);
            running[pid] = index;
            queue.pop_front();
        }
        // After the next runs started, so that syncing a file to disk overlaps their simulations.
        for (const auto& [pid, index] : complete) count(index, finish_run(campaign, index, pid));
        complete.clear();
        if (running.empty()) break;
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR) continue;
            throw SweepError(std::string("waiting for a run: ") + std::strerror(errno));
        }
        const auto it = running.find(pid);
        if (it == running.end()) continue;
        const std::size_t index = it->second;
        running.erase(it);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            complete.emplace_back(pid, index);
        else
            count(index, result_of_failed_child(campaign, index, pid, status));
    }
    summary.interrupted = summary.interrupted || interrupted();
    summary.not_started = progress.total - summary.done - summary.failed;
    return summary;
}

}  // namespace evtwin::sweep
