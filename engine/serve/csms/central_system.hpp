#pragma once
// The OCPP-J central system of `evtwin serve --strategy` (docs/live.md): charge points connect by
// WebSocket to /ocpp/{id} in OCPP 1.6 or 2.0.1; every frame they send is checked against the
// official schemas and answered; their transactions and meter values drive the live twin; at
// every control period, and when a vehicle arrives or leaves, the twin's strategy decides and its
// limits go out as charging profiles.
#include "serve/csms/charge_point_login.hpp"
#include "serve/csms/charge_point_map.hpp"
#include "serve/csms/frame_recorder.hpp"
#include "serve/csms/ocpp_calls.hpp"
#include "serve/csms/ocpp_profiles.hpp"
#include "serve/csms/ocpp_rpc.hpp"
#include "serve/csms/ocpp_validator.hpp"
#include "serve/live/live_clock.hpp"
#include "serve/live/live_twin.hpp"
#include "serve/net/websocket.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace evtwin::serve {

struct ConnectorLink;

// A charger is given this long to bring its power under a new limit, and may exceed it by this
// much (meters and ramps are not exact) before it counts as ignoring it.
inline constexpr Duration kRampTime = Duration::seconds(60);
inline constexpr double kLimitToleranceKw = 0.5;

struct CentralSystemConfig {
    std::filesystem::path schema_dir;  // holds v16/ and v201/
    // Whether a charge point may connect with this Authorization header (OCPP security profiles 1
    // and 2: HTTP Basic with its id and password); none: every known charge point may. Called on a
    // worker thread of its own, throttled (ChargePointLogin).
    std::function<bool(const std::string& id, const std::string& authorization)> authorise;
    // Where upgrades refused for a charge point's password (wrong, throttled, locked out) are
    // reported (none: nowhere); the server's event log in `evtwin serve`.
    std::function<void(const ServerEvent&)> log;
    int heartbeat_s = 300;                           // the interval BootNotification gives
    std::chrono::milliseconds call_timeout{10'000};  // a CALL to a charge point unanswered this long fails
    std::chrono::milliseconds flush_every{1'000};    // how often the results are committed
    // How often the frames received and sent go into the open transaction: the twin's lock is held
    // meanwhile, so a busy site's second of frames is written in parts, not at the commit.
    std::chrono::milliseconds frames_every{200};
    int phases = 3;  // an AC charger's phases, for limits in amperes
    // Writes what the run's database needs besides the twin's rows (the frames, the open sessions),
    // under the twin's lock at every commit.
    std::function<void(const std::vector<LiveSession>& open)> persist;
    // Work on the database after each commit that needs none of the twin's state (nor its lock).
    std::function<void()> after_commit;
};

// A CALL the central system answers with a CALLERROR.
struct RpcFailure : std::runtime_error {
    explicit RpcFailure(RpcError e) : std::runtime_error(e.description), error(std::move(e)) {}
    RpcError error;
};

// Durations in milliseconds: the count, the highest, and quantiles of the latest ones.
struct LatencyStats {
    static constexpr std::size_t kKept = 10'000;
    std::size_t count = 0;
    double max_ms = 0.0;
    std::vector<double> last_ms;
    void add(double ms);
    double quantile(double q) const;
};

class CentralSystem {
public:
    CentralSystem(LiveTwin& twin, const ChargePointMap& map, const LiveClock& clock, FrameRecorder& recorder,
                  CentralSystemConfig config);
    ~CentralSystem();

    // For HttpServer::set_websocket("/ocpp/", ...).
    WsHandler handler();
    // Starts the control loop: decisions every control period (and on arrivals and departures),
    // commits every `flush_every`.
    void start();
    // Stops the loop and closes every charge point's connection.
    void stop();

    std::size_t connected() const;
    // From each control period's start on the live clock to the last of its profiles answered (or
    // timed out): how long the strategy's decisions took to reach the chargers.
    LatencyStats dispatch_stats() const;
    // From a charge point's CALL read to its answer queued, waits for the twin included.
    LatencyStats answer_stats() const;
    // Decide at once (a vehicle came or left, a driver declared their departure); on a stepped
    // clock, at the next settle().
    void wake();
    // On a stepped clock: decides what is due at the clock's instant (its control period's boundary,
    // the vehicles that came or left since the last decision) and returns once the charge points
    // have answered every CALL it sent (or the calls have timed out).
    void settle();
    // Reservations (central_system_reservations.cpp): those past their expiry end, those whose
    // start has come hold a connector and go to its charge point as ReserveNow. Also run by the
    // control loop at every decision.
    void serve_reservations(Time now);
    // CancelReservation to the charge point of a held reservation (a waiting one is cancelled at
    // once); `done` gets the charge point's status, or Rejected (ended, unknown) or Unavailable
    // (its charge point is away).
    void cancel_reservation(std::uint32_t id, std::function<void(const std::string& status)> done);
    // A reply sent before a restart, so that the CALL it answered, sent again, gets it again.
    void remember_reply(const std::string& charge_point, const RecordedReply& reply);

    struct Link;

private:
    void upgrade(const HttpRequest& request, const std::vector<std::string>& offered, WsAnswer answer);
    void opened(const std::shared_ptr<WsConnection>& ws);
    void received(const std::shared_ptr<WsConnection>& ws, std::string text);
    void closed(const std::shared_ptr<WsConnection>& ws);
    std::shared_ptr<Link> link_of(const WsConnection& ws) const;

    void handle_call(Link& link, const Incoming& call);
    // central_system_answers.cpp: a CALL's answer, by action.
    nlohmann::json answer(Link& link, const Incoming& call);
    // The site's connector a connectorId / evseId names; a number the scenario does not map is refused.
    static ConnectorLink& connector_of(Link& link, const nlohmann::json& number);
    nlohmann::json status_notification(Link& link, const nlohmann::json& payload, Time now);
    nlohmann::json meter_values(Link& link, const nlohmann::json& payload, Time now);
    nlohmann::json start_transaction(Link& link, const nlohmann::json& payload, Time now);
    nlohmann::json stop_transaction(Link& link, const nlohmann::json& payload, Time now);
    nlohmann::json transaction_event(Link& link, const nlohmann::json& payload, Time now);
    nlohmann::json charging_needs(Link& link, const nlohmann::json& payload);
    nlohmann::json ev_charging_schedule(Link& link, const nlohmann::json& payload, Time now);
    void check_limit(Link& link, ConnectorLink& c, Time now, const MeterReading& reading);
    nlohmann::json reservation_status_update(const nlohmann::json& payload, Time now);
    void reserve_now(const LiveReservationState& reservation);
    std::shared_ptr<Link> link_of_connector(ConnectorIndex c) const;

    using CallDone = std::function<void(const nlohmann::json* result, const RpcError* error)>;
    void send_call(const std::shared_ptr<Link>& link, const std::string& action,
                   const nlohmann::json& payload, CallDone done);
    void send_frame(Link& link, const std::string& text, ocpp::MessageType type, const std::string& id,
                    const std::string& action, std::string payload_text);
    void expire_calls();
    void send_queued(Link& link, const std::string& frame);
    void record_answer(Link& link, const Incoming& in, const std::string& action);

    void loop();  // central_system_loop.cpp
    void await_answers();
    void decide_and_send(Time t);  // central_system_profiles.cpp
    // `done` gets the unit the limit was accepted in, or nothing (refused, timed out; the station
    // maximum).
    void send_limit(const std::shared_ptr<Link>& link, int number, double kw, Time t, bool tx_default,
                    std::function<void(std::optional<char> accepted_unit)> done);
    void confirm(const std::shared_ptr<Link>& link, int number, char unit);
    // A 2.1 station, once booted, is asked which operation modes each EVSE supports
    // (central_system_v2x.cpp): only one that takes CentralSetpoint is sent discharges.
    void ask_operation_modes(const std::shared_ptr<Link>& link);
    bool retry_refusal(Link& link, int number);
    bool switch_unit(Link& link, int number);
    double limit_in_unit(ConnectorIndex c, double kw, char unit) const;
    double kw_of_limit(ConnectorIndex c, double limit, char unit) const;

    LiveTwin& twin_;
    const ChargePointMap& map_;
    const LiveClock& clock_;
    FrameRecorder& recorder_;
    CentralSystemConfig config_;
    OcppValidator validator_;

    mutable std::mutex links_mutex_;
    std::map<const WsConnection*, std::shared_ptr<Link>> links_;  // the open connections
    std::map<std::string, std::shared_ptr<Link>> by_id_;  // the newest connection of each charge point
    std::map<std::string, ReplyCache> replies_;           // per charge point, across reconnects
    // Whether each EVSE of a 2.1 station takes CentralSetpoint, as it said (ask_operation_modes),
    // by charge point and EVSE, across reconnects.
    std::map<std::string, std::map<int, bool>> central_setpoint_;

    mutable std::mutex loop_mutex_;
    LatencyStats dispatch_;
    mutable std::mutex answers_mutex_;
    LatencyStats answers_;
    std::condition_variable loop_wake_;
    bool woken_ = false;
    bool stopping_ = false;
    std::condition_variable settled_wake_;
    std::uint64_t settle_requests_ = 0;  // settle() calls so far
    std::uint64_t settled_ = 0;          // the last of them answered
    std::thread loop_;
    std::atomic<std::int64_t> next_transaction_{1};
    std::unique_ptr<ChargePointLogin> login_;  // with config_.authorise
};

}  // namespace evtwin::serve
