#pragma once
// `evtwin serve --drivers-model FILE [--drivers-history FILE]`: GET /v1/drivers/{id}/next
// (docs/drivers.md). Without --drivers-history a live server answers from its own results database,
// whose sessions carry the charge points' idTags. Header-only: evtwin-serve's sources are listed in
// engine/CMakeLists.txt.
#include "cli/commands.hpp"
#include "cli/run_one.hpp"
#include "serve/drivers/drivers_api.hpp"
#include "serve/plan/api.hpp"

#include <evtwin/errors.hpp>
#include <evtwin/util/args.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

namespace evtwin::cli {

// Empty without --drivers-model; throws UsageError for a model without a history source and
// CommandFailure naming the file that cannot be read.
inline std::shared_ptr<serve::DriversApi> open_drivers_api(
    const Args& args, const std::optional<std::filesystem::path>& live_db) {
    const auto model_file = args.value("--drivers-model");
    const auto history_file = args.value("--drivers-history");
    if (!model_file) {
        if (history_file) throw UsageError("--drivers-history needs --drivers-model");
        return nullptr;
    }
    drivers::HistorySource source;
    if (history_file) {
        source.file = *history_file;
    } else if (live_db) {
        source.file = *live_db;
        source.format = drivers::HistoryFormat::run_db;
    } else {
        throw UsageError(
            "--drivers-model needs --drivers-history FILE (or live mode, whose sessions it reads)");
    }
    try {
        return std::make_shared<serve::DriversApi>(drivers::read_model(*model_file), source, [] {
            return Time(std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
        });
    } catch (const DataError& e) {
        throw CommandFailure(kBadInput, std::string("evtwin serve: ") + e.what());
    } catch (const ResultsError& e) {
        throw CommandFailure(kBadInput, std::string("evtwin serve: ") + e.what());
    }
}

// Puts the route in front of the live routes (the API's hook for the routes it does not know itself,
// called after the token is checked).
inline void add_drivers_route(const Args& args, serve::ApiConfig& config,
                              const std::optional<std::filesystem::path>& live_db) {
    std::shared_ptr<serve::DriversApi> drivers = open_drivers_api(args, live_db);
    if (!drivers) return;
    config.live = [drivers, live = config.live](
                      const serve::HttpRequest& r,
                      const std::string& path) -> std::optional<serve::HttpResponse> {
        if (auto answer = drivers->handle(r, path)) return answer;
        if (live) return live(r, path);
        return std::nullopt;
    };
}

}  // namespace evtwin::cli
