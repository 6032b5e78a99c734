#include "viewer/data/run_watch.hpp"

namespace evtwin::viewer {

RunWatch::RunWatch(const RunData& shown)
    : file_(shown.file), run_(shown.run.id), watching_(shown.run.status == RunStatus::running) {}

RunWatch::Stamp RunWatch::stamp() const {
    Stamp s;
    std::error_code ec;  // a WAL folded into the file and removed is no error
    const std::filesystem::path wal = file_.string() + "-wal";
    s.size = std::filesystem::file_size(file_, ec);
    s.written = std::filesystem::last_write_time(file_, ec);
    s.wal_size = std::filesystem::file_size(wal, ec);
    s.wal_written = std::filesystem::last_write_time(wal, ec);
    return s;
}

std::optional<RunData> RunWatch::poll() {
    if (!watching_) return std::nullopt;
    const Stamp now = stamp();
    if (now == last_) return std::nullopt;
    std::optional<RunData> fresh;
    try {
        fresh = RunData::load(file_, run_);
    } catch (const std::exception&) {
        // Caught mid-change (the file replaced, say): the run shown stays; the next look tries again.
        return std::nullopt;
    }
    last_ = now;
    watching_ = fresh->run.status == RunStatus::running;
    return fresh;
}

}  // namespace evtwin::viewer
