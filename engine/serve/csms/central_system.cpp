#include "serve/csms/central_system.hpp"

#include "model/local_time.hpp"
#include "ocpp/reconstruct.hpp"
#include "serve/csms/central_system_link.hpp"
#include "serve/csms/charge_point_path.hpp"
#include "serve/net/json_text.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

namespace evtwin::serve {

using nlohmann::json;

namespace {

// Call timeouts run on the wall clock, whatever the live clock's speed.
std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

CentralSystem::CentralSystem(LiveTwin& twin, const ChargePointMap& map, const LiveClock& clock,
                             FrameRecorder& recorder, CentralSystemConfig config)
    : twin_(twin),
      map_(map),
      clock_(clock),
      recorder_(recorder),
      config_(std::move(config)),
      validator_(config_.schema_dir),
      // OCPP 1.6 transaction ids count from the wall clock's seconds, so that a restarted central
      // system does not give an id again (unless it gave more than one a second before).
      next_transaction_(static_cast<std::int64_t>(std::time(nullptr)) % 2'000'000'000) {
    if (config_.authorise) login_ = std::make_unique<ChargePointLogin>(config_.authorise, config_.log);
    for (const LiveSessionState& s : twin_.sessions()) {
        const std::string& id = s.transaction_id;
        if (!id.empty() && id.size() < 12 && std::all_of(id.begin(), id.end(), ::isdigit))
            next_transaction_ = std::max<std::int64_t>(next_transaction_, std::stoll(id) + 1);
    }
}

CentralSystem::~CentralSystem() {
    stop();
}

WsHandler CentralSystem::handler() {
    WsHandler h;
    h.upgrade = [this](const HttpRequest& r, const std::vector<std::string>& offered, WsAnswer answer) {
        upgrade(r, offered, std::move(answer));
    };
    h.opened = [this](const std::shared_ptr<WsConnection>& ws) { opened(ws); };
    h.message = [this](const std::shared_ptr<WsConnection>& ws, std::string text) {
        received(ws, std::move(text));
    };
    h.closed = [this](const std::shared_ptr<WsConnection>& ws) { closed(ws); };
    return h;
}

std::size_t CentralSystem::connected() const {
    std::lock_guard lock(links_mutex_);
    return links_.size();
}

// --- connections -------------------------------------------------------------------------------

// Cheap refusals first, so that a request refused anyway costs no password check. The rate limit
// is the charge point's, whatever path (escapes) it connects by.
void CentralSystem::upgrade(const HttpRequest& request, const std::vector<std::string>& offered,
                            WsAnswer answer) {
    const std::string id = charge_point_of_path(request.target);
    if (id.empty()) {
        const std::string path = request.target.substr(0, request.target.find('?'));
        return answer({404, "", "no charge point at " + path + ": expected /ocpp/{id}", {}, ""});
    }
    if (!map_.knows(id)) return answer({404, "", "unknown charge point '" + id + "'", {}, ""});
    WsAccept accept{101, "", "", {}, id};
    for (const std::string& p : offered) {  // the charge point's order of preference
        if (version_of_subprotocol(p)) {
            accept.subprotocol = p;
            break;
        }
    }
    if (accept.subprotocol.empty())
        return answer(
            {400,
             "",
             "no OCPP subprotocol this central system speaks (ocpp1.6, ocpp2.0.1, ocpp2.1) was offered",
             {},
             ""});
    if (!login_) return answer(std::move(accept));
    login_->check(request, id, [answer, accept](std::optional<WsAccept> refusal) {
        answer(refusal ? std::move(*refusal) : accept);
    });
}

void CentralSystem::opened(const std::shared_ptr<WsConnection>& ws) {
    auto link = std::make_shared<Link>();
    link->id = charge_point_of_path(ws->path());
    link->version = *version_of_subprotocol(ws->subprotocol());
    link->ws = ws;
    const std::vector<LiveSessionState> open = twin_.sessions();
    for (ConnectorIndex c : map_.connectors_of(link->id)) {
        ConnectorLink& cl = link->connectors[map_.at(c).number];
        cl.connector = c;
        cl.unit = map_.unit(link->id);
        // A transaction that went on while the charge point was away (or the central system down).
        for (const LiveSessionState& s : open)
            if (s.connector == c) cl.transaction_id = s.transaction_id;
    }
    std::shared_ptr<Link> replaced;
    {
        std::lock_guard lock(links_mutex_);
        links_[ws.get()] = link;
        auto& newest = by_id_[link->id];
        replaced = newest;
        newest = link;
        replies_.try_emplace(link->id);
    }
    if (replaced && replaced->ws) replaced->ws->close("replaced by a new connection");
    const Time now = clock_.now();
    recorder_.set_version(link->id, version_name(link->version));
    std::map<int, bool> setpoints;
    {
        std::lock_guard lock(links_mutex_);
        if (const auto it = central_setpoint_.find(link->id); it != central_setpoint_.end())
            setpoints = it->second;
    }
    for (const auto& [number, cl] : link->connectors) {
        const auto said = setpoints.find(number);
        twin_.set_discharge_profiles(
            cl.connector, link->version == OcppVersion::v21 && (said == setpoints.end() || said->second));
        twin_.set_online(cl.connector, now, true);
    }
}

void CentralSystem::closed(const std::shared_ptr<WsConnection>& ws) {
    std::shared_ptr<Link> link;
    bool newest = false;
    {
        std::lock_guard lock(links_mutex_);
        const auto it = links_.find(ws.get());
        if (it == links_.end()) return;
        link = it->second;
        links_.erase(it);
        const auto id = by_id_.find(link->id);
        newest = id != by_id_.end() && id->second == link;
        if (newest) by_id_.erase(id);
    }
    link->calls.close("connection closed");
    if (!newest) return;  // a newer connection of the same charge point took over
    const Time now = clock_.now();
    for (const auto& [number, cl] : link->connectors) twin_.set_online(cl.connector, now, false);
}

std::shared_ptr<CentralSystem::Link> CentralSystem::link_of(const WsConnection& ws) const {
    std::lock_guard lock(links_mutex_);
    const auto it = links_.find(&ws);
    return it == links_.end() ? nullptr : it->second;
}

void CentralSystem::send_frame(Link& link, const std::string& text, ocpp::MessageType type,
                               const std::string& id, const std::string& action, std::string payload_text) {
    recorder_.record(clock_.now(), link.id, ocpp::Direction::csms_to_cs, type, id, action,
                     std::move(payload_text));
    link.ws->send(text);
}

// --- messages from a charge point ------------------------------------------------------------

void CentralSystem::received(const std::shared_ptr<WsConnection>& ws, std::string text) {
    const std::shared_ptr<Link> link = link_of(*ws);
    if (!link) return;
    const Time now = clock_.now();
    Parsed parsed = parse_message(link->version, text);
    if (!parsed) {
        recorder_.record_malformed(now, link->id, text);
        if (!parsed.answer) return;  // OCPP-J never answers a broken CALLRESULT or CALLERROR
        const RpcError& e = parsed.error;
        recorder_.record(now, link->id, ocpp::Direction::csms_to_cs, ocpp::MessageType::call_error,
                         json::parse(parsed.reply)[1].get<std::string>(), "",
                         json_text(json::array({e.code, e.description, e.details})));
        ws->send(parsed.reply);
        return;
    }
    Incoming& in = *parsed.message;
    if (in.type != ocpp::MessageType::call) {
        // A matched answer is recorded by send_call's callback, with the action of its CALL.
        const PendingCalls::Resolved r = link->calls.resolve(in, steady_ms());
        if (!r.matched) record_answer(*link, in, "");
        if (r.send_next) send_queued(*link, *r.send_next);
        return;
    }
    const auto read = std::chrono::steady_clock::now();
    recorder_.record(now, link->id, ocpp::Direction::cs_to_csms, in.type, in.id, in.action, in.payload_text);
    handle_call(*link, in);
    if (in.action == "BootNotification" && link->version == OcppVersion::v21) ask_operation_modes(link);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - read).count();
    std::lock_guard lock(answers_mutex_);
    answers_.add(ms);
}

void CentralSystem::handle_call(Link& link, const Incoming& call) {
    ReplyCache* cache = nullptr;
    {
        std::lock_guard lock(links_mutex_);
        cache = &replies_[link.id];
    }
    if (const std::optional<std::string> again = cache->find(call)) {
        // The same message id again (a resend after a reconnect): the same answer, applied once.
        const json f = json::parse(*again);
        const bool result = f[0] == 3;
        send_frame(link, *again, result ? ocpp::MessageType::call_result : ocpp::MessageType::call_error,
                   call.id, call.action, json_text(result ? f[2] : json::array({f[2], f[3], f[4]})));
        return;
    }
    std::string reply, payload;  // the frame, and json_text of its payload
    ocpp::MessageType type = ocpp::MessageType::call_result;
    if (const std::optional<RpcError> error =
            validator_.check_call(link.version, call.action, call.payload)) {
        reply = error_frame(call.id, *error);
        payload = json_text(json::array({error->code, error->description, error->details}));
        type = ocpp::MessageType::call_error;
    } else {
        try {
            payload = json_text(answer(link, call));
            reply = result_frame(call.id, payload);
        } catch (const RpcFailure& e) {
            reply = error_frame(call.id, e.error);
            payload = json_text(json::array({e.error.code, e.error.description, e.error.details}));
            type = ocpp::MessageType::call_error;
        } catch (const std::exception& e) {
            // A payload the schema allows but the twin cannot use (a number out of range ...).
            const RpcError error{rpc_code::internal_error,
                                 std::string("cannot apply ") + call.action + ": " + e.what(),
                                 json::object()};
            reply = error_frame(call.id, error);
            payload = json_text(json::array({error.code, error.description, error.details}));
            type = ocpp::MessageType::call_error;
        }
    }
    cache->remember(call, reply);
    // A vehicle came or left: on the record before the charge point hears the answer.
    if (link.decide_now) twin_.flush(config_.persist);
    send_frame(link, reply, type, call.id, call.action, std::move(payload));
    if (link.decide_now) {
        link.decide_now = false;
        wake();
    }
}

// --- calls to a charge point ----------------------------------------------------------------

void CentralSystem::record_answer(Link& link, const Incoming& in, const std::string& action) {
    recorder_.record(clock_.now(), link.id, ocpp::Direction::cs_to_csms, in.type, in.id, action,
                     json_text(in.type == ocpp::MessageType::call_error
                                   ? json::array({in.error.code, in.error.description, in.error.details})
                                   : in.payload));
}

// A CALL frame the queue lets go now: recorded as it leaves.
void CentralSystem::send_queued(Link& link, const std::string& frame) {
    const json f = json::parse(frame);
    recorder_.record(clock_.now(), link.id, ocpp::Direction::csms_to_cs, ocpp::MessageType::call, f[1], f[2],
                     json_text(f[3]));
    link.ws->send(frame);
}

void CentralSystem::send_call(const std::shared_ptr<Link>& link, const std::string& action,
                              const json& payload, CallDone done) {
    const auto answered = [this, link, done](const CallOutcome& o) {
        const std::string& code = o.error.code;
        if (o.ok ||
            (code != call_code::timeout && code != call_code::cancelled && code != call_code::queue_full)) {
            Incoming in;
            in.type = o.ok ? ocpp::MessageType::call_result : ocpp::MessageType::call_error;
            in.id = o.id;
            in.payload = o.payload;
            in.error = o.error;
            record_answer(*link, in, o.action);
        }
        done(o.ok ? &o.payload : nullptr, o.ok ? nullptr : &o.error);
    };
    const PendingCalls::Enqueued e =
        link->calls.enqueue(action, payload, config_.call_timeout.count(), steady_ms(), answered);
    if (e.send_now) send_queued(*link, *e.send_now);
}

void CentralSystem::expire_calls() {
    std::vector<std::shared_ptr<Link>> open;
    {
        std::lock_guard lock(links_mutex_);
        for (const auto& [ws, link] : links_) open.push_back(link);
    }
    for (const auto& link : open)
        if (auto next = link->calls.expire(steady_ms())) send_queued(*link, *next);
}

// --- the control loop --------------------------------------------------------------------------

void CentralSystem::start() {
    stopping_ = false;
    loop_ = std::thread([this] { loop(); });
}

void CentralSystem::stop() {
    {
        std::lock_guard lock(loop_mutex_);
        if (stopping_ && !loop_.joinable()) return;
        stopping_ = true;
    }
    loop_wake_.notify_all();
    settled_wake_.notify_all();
    std::vector<std::shared_ptr<Link>> open;
    {
        std::lock_guard lock(links_mutex_);
        for (const auto& [ws, link] : links_) open.push_back(link);
    }
    // Calls in flight end now, so that a round of profiles waiting for answers lets the loop go.
    for (const auto& link : open) link->calls.cancel_all("central system stopping");
    if (loop_.joinable()) loop_.join();
    for (const auto& link : open) link->ws->close("central system stopping");
    twin_.flush(config_.persist);
}

void CentralSystem::remember_reply(const std::string& charge_point, const RecordedReply& reply) {
    std::lock_guard lock(links_mutex_);
    replies_[charge_point].remember(reply.id, reply.reply, reply.fingerprint);
}

LatencyStats CentralSystem::answer_stats() const {
    std::lock_guard lock(answers_mutex_);
    return answers_;
}

LatencyStats CentralSystem::dispatch_stats() const {
    std::lock_guard lock(loop_mutex_);
    return dispatch_;
}

}  // namespace evtwin::serve
