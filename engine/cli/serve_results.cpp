#include "cli/serve_results.hpp"

#include "cli/commands.hpp"
#include "cli/run_one.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace evtwin::cli {

ServedResults open_served_results(const Args& args, const std::optional<std::filesystem::path>& live_db) {
    ServedResults served;
    const auto files = args.value("--results");
    if (!files && !live_db) return served;
    std::vector<std::filesystem::path> paths;
    if (live_db) paths.push_back(*live_db);
    const auto same_file = [](const std::filesystem::path& a, const std::filesystem::path& b) {
        std::error_code ignored;
        return a == b || std::filesystem::equivalent(a, b, ignored);
    };
    if (files)
        for (const std::string& f : comma_list(*files, "--results"))
            if (!live_db || !same_file(f, *live_db)) paths.emplace_back(f);
    try {
        served.library = std::make_unique<serve::ResultsLibrary>(paths);
    } catch (const std::exception& e) {
        throw CommandFailure(kFailure, std::string("evtwin serve: --results: ") + e.what());
    }
    served.api = std::make_unique<serve::ResultsApi>(*served.library);
    return served;
}

}  // namespace evtwin::cli
