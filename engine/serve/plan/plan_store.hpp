#pragma once
// The plans of `evtwin serve` in its results database: each plan's runs (copied from the file they
// were computed into, so the viewer opens them like any run) and, in table `plans`, its request and
// response. Safe to use from several threads.
#include "record/schema/sqlite_db.hpp"

#include <evtwin/results.hpp>

#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace evtwin::serve {

class PlanStore {
public:
    // Creates the database (or checks it is an evtwin results database) and its `plans` table.
    explicit PlanStore(const std::filesystem::path& db);

    // Builds the response text for a plan id and the ids its runs got in the store (the plan's
    // first, the baseline's last; one run when they are the same).
    using Respond = std::function<std::string(const std::string& id, const std::vector<RunId>& runs)>;
    // Copies every run of `runs_file` into the store, names the plan and stores its request and
    // response; returns the response. A plan is listed only once its runs are stored.
    std::string add(const std::filesystem::path& runs_file, const std::string& request,
                    const Respond& respond);
    std::optional<std::string> response(const std::string& id);
    std::size_t size();

private:
    std::mutex mutex_;
    sqlite::Db db_;
};

}  // namespace evtwin::serve
