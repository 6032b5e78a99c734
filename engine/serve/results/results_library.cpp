#include "serve/results/results_library.hpp"

#include "serve/net/api_error.hpp"

#include <charconv>

namespace evtwin::serve {
namespace {

bool whole_number(std::string_view text, std::int64_t& out) {
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return !text.empty() && ec == std::errc() && ptr == end && out > 0;
}

// The routes of one page's view ask four windows at once.
constexpr std::size_t kReadersPerFile = 4;

}  // namespace

ResultsLibrary::ResultsLibrary(const std::vector<std::filesystem::path>& files) {
    for (const auto& path : files) {
        if (!std::filesystem::is_regular_file(path))
            throw ResultsError(path.string() + ": no such results database");
        File file{path, {}, {}, std::make_unique<std::atomic<std::size_t>>(0)};
        for (std::size_t i = 0; i < kReadersPerFile; ++i) {
            file.readers.push_back(std::make_unique<RunReader>(path));
            file.locks.push_back(std::make_unique<std::mutex>());
        }
        files_.push_back(std::move(file));
    }
}

void ResultsLibrary::with_reader(const File& file, const std::function<void(const RunReader&)>& fn) const {
    for (std::size_t i = 0; i < file.readers.size(); ++i) {
        const std::unique_lock lock(*file.locks[i], std::try_to_lock);
        if (lock) return fn(*file.readers[i]);
    }
    const std::size_t i = file.next->fetch_add(1) % file.readers.size();
    const std::lock_guard lock(*file.locks[i]);
    fn(*file.readers[i]);
}

const std::filesystem::path& ResultsLibrary::file(std::size_t index) const {
    return files_.at(index - 1).path;
}

RunKey ResultsLibrary::key(const std::string& text) const {
    const auto dash = text.find('-');
    std::int64_t file = 0, run = 0;
    if (dash == std::string::npos || !whole_number(std::string_view(text).substr(0, dash), file) ||
        !whole_number(std::string_view(text).substr(dash + 1), run))
        throw ApiError(404, "", "no run '" + text + "' (runs are named <file>-<run>, e.g. 1-1)");
    if (static_cast<std::size_t>(file) > files_.size())
        throw ApiError(404, "",
                       "no run '" + text + "': the server has " + std::to_string(files_.size()) +
                           " results file" + (files_.size() == 1 ? "" : "s"));
    return {static_cast<std::size_t>(file), run};
}

void ResultsLibrary::read(const RunKey& key,
                          const std::function<void(const RunReader&, const RunRecord&)>& fn) const {
    const File& f = files_.at(key.file - 1);
    with_reader(f, [&](const RunReader& reader) {
        RunRecord run;
        try {
            run = reader.run(key.run);
        } catch (const ResultsError&) {
            throw ApiError(404, "",
                           "no run '" + key.text() + "': " + f.path.filename().string() + " has no run " +
                               std::to_string(key.run));
        }
        fn(reader, run);
    });
}

void ResultsLibrary::for_each_run(
    const std::function<void(const RunKey&, const RunReader&, const RunRecord&)>& fn) const {
    for (std::size_t i = 0; i < files_.size(); ++i)
        with_reader(files_[i], [&](const RunReader& reader) {
            for (const RunRecord& run : reader.runs()) fn({i + 1, run.id}, reader, run);
        });
}

}  // namespace evtwin::serve
