#pragma once
// `evtwin serve --results DB[,DB]`: the results databases the server serves read-only.
#include "serve/results/results_api.hpp"
#include "serve/results/results_library.hpp"

#include <evtwin/util/args.hpp>

#include <memory>

namespace evtwin::cli {

struct ServedResults {
    std::unique_ptr<serve::ResultsLibrary> library;
    std::unique_ptr<serve::ResultsApi> api;  // reads `library`
};

// Empty without --results; throws CommandFailure naming the file that is not a results database.
ServedResults open_served_results(const Args& args);

}  // namespace evtwin::cli
