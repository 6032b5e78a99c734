#pragma once
// `evtwin serve --results DB[,DB]`: the results databases the server serves read-only.
#include "serve/results/results_api.hpp"
#include "serve/results/results_library.hpp"

#include <evtwin/util/args.hpp>

#include <filesystem>
#include <memory>
#include <optional>

namespace evtwin::cli {

struct ServedResults {
    std::unique_ptr<serve::ResultsLibrary> library;
    std::unique_ptr<serve::ResultsApi> api;  // reads `library`
};

// Empty without --results and without `live_db`; throws CommandFailure naming the file that is not a
// results database. A live server's own database (`live_db`) is served first, so that its run is
// `1-{run_id}` on the results routes (the live page reads the site's power so far there).
ServedResults open_served_results(const Args& args, const std::optional<std::filesystem::path>& live_db);

}  // namespace evtwin::cli
