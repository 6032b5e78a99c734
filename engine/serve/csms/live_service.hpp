#pragma once
// Live mode of `evtwin serve` (docs/live.md): one scenario's site driven in real time. It owns the
// results writer (which stores the run's KPIs at its end), the frame recorder, the twin and its
// strategy, and the central system; it adds the live routes to the HTTP API (GET /v1/live,
// GET /v1/live/outlook, POST /v1/sessions/{id}/intent, and POST /v1/clock on a stepped clock).
#include "host/observation_log.hpp"
#include "host/plugin_loader.hpp"
#include "kpi/kpi_recorder.hpp"
#include "record/writer/sqlite_run_writer.hpp"
#include "serve/csms/central_system.hpp"
#include "serve/ocpi/ocpi_service.hpp"

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace evtwin::serve {

class LiveSessionStore;
class LiveReservationStore;
namespace ocpi {
class ProfileStore;
}

struct LiveConfig {
    ScenarioSpec spec;  // as loaded; its start and end are moved to the clock's
    std::string scenario_file;
    std::string strategy;
    StrategyOptions options;  // --opt, over the scenario's
    std::string clock = "real";
    std::filesystem::path db;
    std::filesystem::path schema_dir;
    std::filesystem::path observation_log;  // every Observation and Decision (host/observation_log.hpp)
    std::function<bool(const std::string& id, const std::string& authorization)>
        authorise;                                // none: no passwords
    std::function<void(const ServerEvent&)> log;  // refused passwords (CentralSystemConfig::log)
    std::optional<ocpi::OcpiConfig> ocpi;         // the OCPI endpoints (docs/ocpi.md); none: off
};

class LiveService {
public:
    // Loads the strategy and starts the run (status `running`). Throws PluginError, ResultsError,
    // std::invalid_argument (the clock), ObservationLogError.
    explicit LiveService(LiveConfig config);
    ~LiveService();

    WsHandler websocket() { return central_->handler(); }
    void start() { central_->start(); }
    // Ends the run: `interrupted` when stopped before the scenario's end.
    void stop(bool interrupted);
    // When the scenario's span is over on the live clock.
    Time end() const { return spec_.end; }
    const LiveClock& clock() const { return *clock_; }
    const std::filesystem::path& frame_log() const { return recorder_->log(); }
    RunId run_id() const { return writer_->run_id(); }
    bool resumed() const { return resumed_; }
    std::size_t charge_points() const { return map_->charge_points().size(); }

    // The live routes; nothing for any other path.
    std::optional<HttpResponse> handle(const HttpRequest& request, const std::string& path);
    // The OCPI endpoints under /ocpi/ (their own tokens, not the API's); nothing for another path or
    // without them.
    std::optional<HttpResponse> handle_ocpi(const HttpRequest& request, const std::string& path);
    ocpi::OcpiService* ocpi() { return ocpi_.get(); }

private:
    HttpResponse state() const;
    HttpResponse intent(const HttpRequest& request, const std::string& id);
    // The next hours simulated from the twin's state under each strategy asked
    // (live_service_outlook.cpp).
    HttpResponse outlook(const HttpRequest& request);
    // /v1/reservations and /v1/reservations/{id} (live_service_reservations.cpp); nothing for
    // another path.
    std::optional<HttpResponse> reservations(const HttpRequest& request, const std::string& path);
    HttpResponse reserve(const HttpRequest& request);
    nlohmann::json reservation_json(const LiveReservationState& state) const;
    // Settles the present instant (CentralSystem::settle), then moves the clock to the body's `to`.
    HttpResponse step(const HttpRequest& request);

    ScenarioSpec spec_;
    std::unique_ptr<LiveClock> clock_;
    std::unique_ptr<SqliteRunWriter> writer_;
    std::unique_ptr<KpiRecorder> kpis_;  // in front of writer_: the run's KPIs at its end
    std::unique_ptr<FrameRecorder> recorder_;
    std::unique_ptr<sqlite::Db> checkpointer_;    // a second connection to the run's database
    std::unique_ptr<LiveSessionStore> sessions_;  // from the first commit on
    // From the first change of the book on.
    std::unique_ptr<LiveReservationStore> reservations_;
    StrategyHandle strategy_;
    std::string strategy_spec_;               // as the operator named it (a name or a path)
    StrategyOptions options_;                 // the live strategy's, which its outlook runs get too
    std::mutex outlook_mutex_;                // one outlook at a time: each takes every core
    std::unique_ptr<ObservationLog> logged_;  // around strategy_, with --observation-log
    std::unique_ptr<LiveTwin> twin_;
    std::unique_ptr<ChargePointMap> map_;
    std::unique_ptr<CentralSystem> central_;
    std::unique_ptr<ocpi::ProfileStore> profiles_;  // from the first profile on
    std::unique_ptr<ocpi::OcpiService> ocpi_;       // watches twin_, so goes before it
    std::mutex step_mutex_;                         // one POST /v1/clock at a time
    bool stopped_ = false;
    bool resumed_ = false;
};

}  // namespace evtwin::serve
