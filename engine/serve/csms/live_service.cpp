#include "serve/csms/live_service.hpp"

#include "core/version.hpp"
#include "model/local_time.hpp"
#include "ocpp/import.hpp"
#include "record/reader/run_reader.hpp"
#include "record/schema/sqlite_db.hpp"
#include "run/strategy_options.hpp"
#include "serve/live/live_reservations_store.hpp"
#include "serve/live/live_sessions.hpp"
#include "serve/net/api_error.hpp"
#include "serve/net/json_fields.hpp"
#include "serve/net/json_text.hpp"
#include "serve/ocpi/ocpi_profile_store.hpp"

#include <evtwin/errors.hpp>

#include <charconv>

namespace evtwin::serve {

namespace {

constexpr const char* kSessionPrefix = "/v1/sessions/";

}  // namespace

LiveService::LiveService(LiveConfig config) : spec_(std::move(config.spec)) {
    const StrategyOptions options = merged_strategy_options(spec_, config.strategy, config.options);
    strategy_ = load_strategy(config.strategy, options);
    strategy_spec_ = config.strategy;
    options_ = options;
    if (!config.observation_log.empty())
        logged_ = std::make_unique<ObservationLog>(*strategy_, config.observation_log);
    writer_ = std::make_unique<SqliteRunWriter>(config.db);
    kpis_ = std::make_unique<KpiRecorder>(*writer_);
    kpis_->store_at_end(*writer_, *spec_.tariff, spec_.economics);
    sqlite::Db& db = writer_->db();
    // The WAL is folded into the database by checkpointer_, outside the twin's lock: a checkpoint
    // inside a commit would hold up every charge point's answer meanwhile.
    db.exec("PRAGMA wal_autocheckpoint = 0");
    checkpointer_ = std::make_unique<sqlite::Db>(config.db, sqlite::Db::Mode::read_write_create);
    ocpp::create_or_check_schema(db);
    create_live_sessions(db);
    create_live_reservations(db);
    if (config.ocpi) {
        ocpi::create_live_charging_profiles(db);
        ocpi::create_ocpi_parties(db);
        config.ocpi->parties = ocpi::load_ocpi_parties(db);
    }
    recorder_ = std::make_unique<FrameRecorder>(config.db.string() + ".ocpp.jsonl");

    RunInfo info;
    info.scenario_name = spec_.name;
    info.scenario_file = config.scenario_file;
    info.strategy_name = std::string(strategy_.name());
    info.strategy_version = std::string(strategy_.version());
    info.strategy_options = joined_options(options);
    info.seed = spec_.seed;
    info.engine_version = engine_version();

    // A run of this site and strategy left running (the process died): go on with it.
    std::optional<LiveResume> resume;
    if (const RunId run = running_live_run(db, spec_.name, info.strategy_name)) {
        sqlite::Stmt span(db, "SELECT start_ms, end_ms FROM runs WHERE run_id = ?1");
        span.bind(1, run);
        span.step();
        spec_.start = Time(span.int64(0));
        spec_.end = Time(span.int64(1));
        span = sqlite::Stmt();
        writer_->resume_run(run, spec_);
        kpis_->resume(RunReader(config.db), run, spec_.end);
        resume = load_live_resume(db, run, writer_->last_time());
        resume->reservations = load_live_reservations(db, run);
        clock_ = std::make_unique<LiveClock>(config.clock, writer_->last_time());
    } else {
        // A new run spans the scenario's length from the clock's now.
        const Duration length = spec_.end - spec_.start;
        clock_ = std::make_unique<LiveClock>(config.clock, spec_.start);
        spec_.start = clock_->now();
        spec_.end = spec_.start + length;
    }
    resumed_ = resume.has_value();
    Strategy& decider = logged_ ? static_cast<Strategy&>(*logged_) : *strategy_;
    twin_ = std::make_unique<LiveTwin>(spec_, decider, *kpis_, info, resume ? &*resume : nullptr);
    map_ = std::make_unique<ChargePointMap>(spec_, twin_->site());
    twin_->set_reservation_store([this](const std::vector<LiveReservationState>& all) {
        if (!reservations_)
            reservations_ = std::make_unique<LiveReservationStore>(writer_->db(), writer_->run_id());
        reservations_->save(all);
    });
    twin_->flush([this](const std::vector<LiveSession>&) { recorder_->attach(writer_->db()); });

    CentralSystemConfig cs;
    cs.schema_dir = config.schema_dir.empty() ? ocpp::default_schema_dir() : config.schema_dir;
    cs.authorise = config.authorise;
    cs.log = config.log;
    cs.phases = spec_.live.phases;
    cs.persist = [this](const std::vector<LiveSession>& open) {
        recorder_->write();
        if (!sessions_) sessions_ = std::make_unique<LiveSessionStore>(writer_->db(), writer_->run_id());
        sessions_->save(open);
    };
    cs.after_commit = [this] {
        try {
            checkpointer_->exec("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (const std::exception&) {
            // Busy with another checkpoint: the next commit's goes on where this one could not.
        }
    };
    central_ = std::make_unique<CentralSystem>(*twin_, *map_, *clock_, *recorder_, cs);
    for (const auto& [cs_id, replies] : recorder_->previous_replies())
        for (const auto& reply : replies) central_->remember_reply(cs_id, reply);
    if (config.ocpi) {
        auto record = [this](const ocpi::ProfileRecord& r) {
            twin_->write_rows([&] {
                if (!profiles_)
                    profiles_ = std::make_unique<ocpi::ProfileStore>(writer_->db(), writer_->run_id());
                profiles_->insert(r);
            });
        };
        config.ocpi->save_parties = [this](const ocpi::PartiesState& state) {
            twin_->write_rows([&] { ocpi::save_ocpi_parties(writer_->db(), state); });
        };
        ocpi_ = std::make_unique<ocpi::OcpiService>(
            std::move(*config.ocpi), *twin_, spec_, *clock_, writer_->run_id(), [this] { central_->wake(); },
            record);
    }
}

std::optional<HttpResponse> LiveService::handle_ocpi(const HttpRequest& request, const std::string& path) {
    if (!ocpi_) return std::nullopt;
    return ocpi_->handle(request, path);
}

LiveService::~LiveService() {
    stop(true);
    ocpi_.reset();  // it watches the twin
}

void LiveService::stop(bool interrupted) {
    if (stopped_) return;
    stopped_ = true;
    central_->stop();
    twin_->finish(clock_->now(), interrupted);
    // The run's frames as an import, with its transactions and their metered energy, as
    // `evtwin ocpp import` counts a log's.
    sqlite::Stmt(
        *checkpointer_,
        "UPDATE ocpp_imports SET transactions = (SELECT count(*) FROM sessions WHERE run_id = ?1), "
        "energy_kwh = (SELECT total(delivered_kwh) FROM sessions WHERE run_id = ?1) WHERE import_id = ?2")
        .bind(1, writer_->run_id())
        .bind(2, recorder_->import_id())
        .run();
}

std::optional<HttpResponse> LiveService::handle(const HttpRequest& request, const std::string& path) {
    if (path == "/v1/live") {
        if (request.method != "GET")
            throw ApiError(405, "", "method " + request.method + " not allowed here (use GET)");
        return state();
    }
    if (path == "/v1/live/outlook") {
        if (request.method != "GET")
            throw ApiError(405, "", "method " + request.method + " not allowed here (use GET)");
        return outlook(request);
    }
    if (path == "/v1/clock" && clock_->stepped()) {
        if (request.method != "POST")
            throw ApiError(405, "", "method " + request.method + " not allowed here (use POST)");
        return step(request);
    }
    if (auto reply = reservations(request, path)) return reply;
    const std::string suffix = "/intent";
    if (path.rfind(kSessionPrefix, 0) == 0 && path.size() > suffix.size() &&
        path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0) {
        if (request.method != "POST")
            throw ApiError(405, "", "method " + request.method + " not allowed here (use POST)");
        const std::size_t from = std::string(kSessionPrefix).size();
        return intent(request, path.substr(from, path.size() - suffix.size() - from));
    }
    return std::nullopt;
}

HttpResponse LiveService::state() const {
    nlohmann::json connectors = nlohmann::json::array();
    const std::vector<LiveConnectorState> states = twin_->connectors();
    for (std::size_t c = 0; c < states.size(); ++c) {
        const MappedConnector& m = map_->at(static_cast<ConnectorIndex>(c));
        connectors.push_back({{"charge_point", m.charge_point},
                              {"connector", m.number},
                              {"charger", m.charger->name},
                              {"online", states[c].online},
                              {"faulted", states[c].faulted},
                              {"power_kw", states[c].power_kw},
                              {"limit_kw", states[c].limit_kw}});
    }
    // A connector held for a driver to come: its reservation and expiry (null when none holds it).
    for (nlohmann::json& c : connectors) c["reservation"] = c["reserved_until"] = nullptr;
    for (const LiveReservationState& r : twin_->reservations())
        if (r.reservation.state == ReservationState::held) {
            connectors[r.reservation.connector]["reservation"] = r.reservation.id + 1;
            connectors[r.reservation.connector]["reserved_until"] = format_utc(r.reservation.to);
        }
    nlohmann::json sessions = nlohmann::json::array();
    for (const LiveSessionState& s : twin_->sessions()) {
        const MappedConnector& m = map_->at(s.connector);
        sessions.push_back({{"id", s.id},
                            {"charge_point", m.charge_point},
                            {"connector", m.number},
                            {"transaction_id", s.transaction_id},
                            {"arrival", format_utc(s.arrival)},
                            {"departure", format_utc(s.declared_departure)},
                            {"requested_kwh", s.requested_kwh},
                            {"delivered_kwh", s.delivered_kwh},
                            {"power_kw", s.power_kw},
                            {"soc", s.soc}});
    }
    auto summary = [](const LatencyStats& s) {
        return nlohmann::json{
            {"count", s.count}, {"p50", s.quantile(0.5)}, {"p99", s.quantile(0.99)}, {"max", s.max_ms}};
    };
    return json_response(200, json_text({{"now", format_utc(clock_->now())},
                                         {"start", format_utc(spec_.start)},
                                         {"end", format_utc(spec_.end)},
                                         {"timezone", spec_.timezone},
                                         {"strategy", std::string(strategy_.name())},
                                         {"dispatch_ms", summary(central_->dispatch_stats())},
                                         {"answer_ms", summary(central_->answer_stats())},
                                         {"run_id", writer_->run_id()},
                                         {"decisions", twin_->decisions()},
                                         {"charge_points_connected", central_->connected()},
                                         {"connectors", connectors},
                                         {"sessions", sessions}}));
}

HttpResponse LiveService::step(const HttpRequest& request) {
    const nlohmann::json body = parse_body(request.body);
    JsonFields f(body, "");
    const std::string to_text = f.text("to");
    f.done();
    Time to;
    try {
        to = parse_time(to_text, TimeZone(spec_.timezone));
    } catch (const std::invalid_argument& e) {
        throw ApiError(422, "/to", e.what());
    }
    std::lock_guard lock(step_mutex_);
    if (to < clock_->now())
        throw ApiError(422, "/to", "the clock does not go back: it shows " + format_utc(clock_->now()));
    central_->settle();
    clock_->step_to(to);
    return json_response(200,
                         json_text({{"now", format_utc(clock_->now())}, {"decisions", twin_->decisions()}}));
}

HttpResponse LiveService::intent(const HttpRequest& request, const std::string& id) {
    SessionId session = 0;
    const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), session);
    if (id.empty() || error != std::errc() || end != id.data() + id.size())
        throw ApiError(404, "", "no session '" + id + "'");
    const nlohmann::json body = parse_body(request.body);
    JsonFields f(body, "");
    SessionIntent intent;
    const auto time_of = [&](const char* key) -> std::optional<Time> {
        const auto text = f.optional_text(key);
        if (!text) return std::nullopt;
        try {
            return parse_time(*text, TimeZone(spec_.timezone));
        } catch (const std::invalid_argument& e) {
            throw ApiError(422, std::string("/") + key, e.what());
        }
    };
    intent.departure = time_of("departure");
    intent.energy_kwh = f.optional_number("energy_kwh", 0.0, 1000.0);
    intent.min_charge_kw = f.optional_number("min_charge_kw", 0.0, 1000.0);
    const std::optional<Time> goal_by = time_of("goal_by");
    const std::optional<double> goal_kwh = f.optional_number("goal_kwh", 0.0, 1000.0);
    const std::optional<double> value = f.optional_number("value_per_kwh", 0.0, 1e6);
    f.done();
    if (goal_by.has_value() != goal_kwh.has_value())
        throw ApiError(422, goal_by ? "/goal_kwh" : "/goal_by", "a goal needs goal_kwh and goal_by, both");
    if (value && !goal_by)
        throw ApiError(422, "/value_per_kwh", "is the value of energy beyond a goal: give one");
    if (goal_by) intent.goal = ChargingNeeds{0.0, *goal_by, *goal_kwh, value.value_or(0.0)};
    if (!intent.departure && !intent.energy_kwh && !intent.min_charge_kw && !intent.goal)
        throw ApiError(422, "",
                       "give a departure, an energy_kwh, a min_charge_kw or a goal (goal_kwh, goal_by)");
    if (!twin_->declare(session, intent)) throw ApiError(404, "", "no open session " + id);
    central_->wake();
    return json_response(200, json_text({{"session", session}, {"accepted", true}}));
}

}  // namespace evtwin::serve
