#pragma once
// A run still being written (a live run of `evtwin serve`, a long simulation) grows while the
// viewer shows it: RunWatch notices when its database changed on disk and loads the run again.
#include "viewer/data/run_data.hpp"

#include <filesystem>
#include <optional>

namespace evtwin::viewer {

class RunWatch {
public:
    // Watches `shown`'s database while the run is `running`.
    explicit RunWatch(const RunData& shown);

    bool watching() const { return watching_; }
    // The run loaded again when its database (the file or its WAL) changed since the last look, and
    // nothing otherwise (nor when the load fails: the next look tries again); a run no longer
    // running ends the watch. The first look always loads: the run may have changed, or ended,
    // between the load of `shown` and this watch.
    std::optional<RunData> poll();

private:
    struct Stamp {
        std::uintmax_t size = 0, wal_size = 0;
        std::filesystem::file_time_type written, wal_written;
        bool operator==(const Stamp&) const = default;
    };
    Stamp stamp() const;

    std::filesystem::path file_;
    RunId run_;
    bool watching_;
    std::optional<Stamp> last_;  // none before the first look
};

}  // namespace evtwin::viewer
