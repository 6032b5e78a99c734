#pragma once
// The password check of a charge point's WebSocket upgrade (OCPP security profiles 1 and 2), off
// the server's I/O threads and throttled. An attempt from an address, or for a charge point, that
// failed too often lately is refused with 429 and Retry-After before any hashing (a LoginThrottle
// per address and one per id); the others are verified on one worker thread whose queue is bounded
// (full: 503 and Retry-After). A right password forgets its id's failures, not its address's: one
// charge point's password must not buy more guesses at the others'. Every wrong password and
// lock-out is logged, and the first attempt refused in each block.
#include "serve/net/bounded_worker.hpp"
#include "serve/net/login_throttle.hpp"
#include "serve/net/websocket.hpp"

#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace evtwin::serve {

struct LoginPolicy {
    LoginThrottle::Policy per_id;  // the defaults: 3 free failures, a lock-out at the 10th
    // A site's charge points may share one address behind its router: more room before its block.
    LoginThrottle::Policy per_address{.free_failures = 10, .lockout_after = 30};
    std::size_t queue = 64;  // checks waiting for the worker
};

class ChargePointLogin {
public:
    // Whether `authorization` (the Authorization header) holds charge point `id`'s credentials.
    using Verify = std::function<bool(const std::string& id, const std::string& authorization)>;
    using Log = std::function<void(const ServerEvent&)>;
    using Now = std::function<LoginThrottle::Clock::time_point()>;
    // Nothing when the credentials are right, else the refusal to answer the upgrade with.
    using Done = std::function<void(std::optional<WsAccept> refusal)>;

    ChargePointLogin(Verify verify, Log log, LoginPolicy policy = {}, Now now = LoginThrottle::Clock::now);

    // Calls `done` once: on this thread when the attempt is refused at once, else on the worker.
    // After stop(), or when the worker is stopped with the check still waiting, `done` is destroyed
    // uncalled.
    void check(const HttpRequest& request, const std::string& id, Done done);
    void stop() { worker_.stop(); }
    std::size_t waiting() const { return worker_.waiting(); }  // checks queued for the worker

private:
    // The refusal of an attempt while the address or the id is blocked; the first of a block logged.
    std::optional<WsAccept> throttled(const std::string& remote, const std::string& id,
                                      const std::string& path);
    // Runs on the worker.
    void verify(const std::string& remote, const std::string& id, const std::string& path,
                const std::string& authorization, const Done& done);
    void log(const std::string& remote, const std::string& path, std::string reason) const;

    Verify verify_;
    Log log_;
    Now now_;
    std::mutex mutex_;  // guards the throttles
    LoginThrottle per_id_;
    LoginThrottle per_address_;
    BoundedWorker worker_;  // last: its thread may call the rest until it is joined
};

}  // namespace evtwin::serve
