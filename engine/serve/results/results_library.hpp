#pragma once
// The results databases `evtwin serve --results` serves, each opened read-only through the results
// reader at start. A run is named across them as "<file>-<run>" ("2-5": the second file's run 5), so
// one page can compare runs of different files. Safe to use from several threads: each file has a
// few readers (connections), each answering one query at a time, so that the queries of one page
// run side by side. A file still being written (a live run) shows its new rows at the next query.
#include "record/reader/run_reader.hpp"

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace evtwin::serve {

struct RunKey {
    std::size_t file = 0;  // 1-based, in the order given
    RunId run = 0;
    std::string text() const { return std::to_string(file) + "-" + std::to_string(run); }
};

class ResultsLibrary {
public:
    // Throws ResultsError naming the file that is missing or not an evtwin results database.
    explicit ResultsLibrary(const std::vector<std::filesystem::path>& files);

    std::size_t size() const { return files_.size(); }
    const std::filesystem::path& file(std::size_t index) const;  // 1-based

    // "2-5" -> {2, 5}; throws ApiError 404 for a text that names no file's run.
    RunKey key(const std::string& text) const;
    // Runs `fn` with the file's reader, alone on it; a run the file does not hold is a 404.
    void read(const RunKey& key, const std::function<void(const RunReader&, const RunRecord&)>& fn) const;
    // Every run of every file, with its reader, by file then run id.
    void for_each_run(const std::function<void(const RunKey&, const RunReader&, const RunRecord&)>& fn) const;

private:
    struct File {
        std::filesystem::path path;
        std::vector<std::unique_ptr<RunReader>> readers;
        std::vector<std::unique_ptr<std::mutex>> locks;  // one per reader
        std::unique_ptr<std::atomic<std::size_t>> next;  // where a request waits when all are busy
    };
    // Runs fn with a reader of the file that no other thread uses meanwhile.
    void with_reader(const File& file, const std::function<void(const RunReader&)>& fn) const;
    std::vector<File> files_;
};

}  // namespace evtwin::serve
