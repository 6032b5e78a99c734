#include "cli/serve_results.hpp"

#include "cli/commands.hpp"
#include "cli/run_one.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace evtwin::cli {

ServedResults open_served_results(const Args& args) {
    ServedResults served;
    const auto files = args.value("--results");
    if (!files) return served;
    std::vector<std::filesystem::path> paths;
    for (const std::string& f : comma_list(*files, "--results")) paths.emplace_back(f);
    try {
        served.library = std::make_unique<serve::ResultsLibrary>(paths);
    } catch (const std::exception& e) {
        throw CommandFailure(kFailure, std::string("evtwin serve: --results: ") + e.what());
    }
    served.api = std::make_unique<serve::ResultsApi>(*served.library);
    return served;
}

}  // namespace evtwin::cli
