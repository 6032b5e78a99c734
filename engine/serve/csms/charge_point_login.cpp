#include "serve/csms/charge_point_login.hpp"

#include <algorithm>

namespace evtwin::serve {
namespace {

long long whole_seconds_up(LoginThrottle::Clock::duration d) {
    return std::chrono::ceil<std::chrono::seconds>(d).count();
}

// "charge point 'CP-1'" or "address 10.0.0.7": what a throttle's key is.
std::string what_is_blocked(const LoginThrottle::State& s, const std::string& name) {
    return name + (s.locked_out ? " locked out" : " blocked") + " for " +
           std::to_string(whole_seconds_up(s.blocked_for)) + " s after " + std::to_string(s.failures) +
           " failed passwords";
}

}  // namespace

ChargePointLogin::ChargePointLogin(Verify verify, Log log, LoginPolicy policy, Now now)
    : verify_(std::move(verify)),
      log_(std::move(log)),
      now_(std::move(now)),
      per_id_(policy.per_id),
      per_address_(policy.per_address),
      worker_(policy.queue) {}

void ChargePointLogin::log(const std::string& remote, const std::string& path, std::string reason) const {
    if (log_) log_({remote, "refused", std::move(reason), path});
}

std::optional<WsAccept> ChargePointLogin::throttled(const std::string& remote, const std::string& id,
                                                    const std::string& path) {
    LoginThrottle::State by_id, by_address;
    bool first = false;  // of a block: logged
    {
        std::lock_guard lock(mutex_);
        const auto now = now_();
        by_id = per_id_.state(id, now);
        by_address = per_address_.state(remote, now);
        // Both throttles count the refusal, so both are asked before either answer is used.
        const bool first_for_id = by_id.blocked() && per_id_.first_refusal(id, now);
        const bool first_for_address = by_address.blocked() && per_address_.first_refusal(remote, now);
        first = first_for_id || first_for_address;
    }
    if (!by_id.blocked() && !by_address.blocked()) return std::nullopt;
    // Appended piece by piece, never as "..." + std::string&&: GCC 12 reports a -Wrestrict false
    // positive inside libstdc++ for that operator when it is inlined.
    std::string reason = "throttled:";
    if (by_id.blocked()) {
        std::string who = "charge point '";
        who += id;
        who += '\'';
        reason += ' ';
        reason += what_is_blocked(by_id, who);
    }
    if (by_address.blocked()) {
        reason += by_id.blocked() ? "; " : " ";
        reason += what_is_blocked(by_address, "address");
    }
    if (first) log(remote, path, std::move(reason) + " (further attempts in this block are not logged)");
    const bool locked_out =
        (by_id.blocked() && by_id.locked_out) || (by_address.blocked() && by_address.locked_out);
    const std::string wait =
        std::to_string(whole_seconds_up(std::max(by_id.blocked_for, by_address.blocked_for)));
    return WsAccept{
        429,
        "",
        std::string(locked_out ? "locked out after too many failed passwords" : "too many failed passwords") +
            ": try again in " + wait + " s",
        {{"Retry-After", wait}},
        ""};
}

void ChargePointLogin::check(const HttpRequest& request, const std::string& id, Done done) {
    const std::string path = request.target.substr(0, request.target.find('?'));
    if (auto refusal = throttled(request.remote, id, path)) return done(std::move(refusal));
    auto job = [this, remote = request.remote, id, path, authorization = request.authorization, done] {
        verify(remote, id, path, authorization, done);
    };
    if (worker_.post(std::move(job))) return;
    log(request.remote, path, "password check busy (" + std::to_string(worker_.waiting()) + " waiting)");
    done(WsAccept{503, "", "the password check is busy: try again later", {{"Retry-After", "1"}}, ""});
}

void ChargePointLogin::verify(const std::string& remote, const std::string& id, const std::string& path,
                              const std::string& authorization, const Done& done) {
    // Again here: the failures of the checks queued before this one count.
    if (auto refusal = throttled(remote, id, path)) return done(std::move(refusal));
    bool right = false;
    try {
        right = verify_(id, authorization);
    } catch (const std::exception&) {
        return done(WsAccept{500, "", "internal error", {}, ""});
    }
    LoginThrottle::State by_id, by_address;
    {
        std::lock_guard lock(mutex_);
        if (right) {
            per_id_.succeeded(id);
        } else {
            const auto now = now_();
            by_id = per_id_.failed(id, now);
            by_address = per_address_.failed(remote, now);
        }
    }
    if (right) return done(std::nullopt);
    log(remote, path,
        "wrong password for charge point '" + id + "' (" + std::to_string(by_id.failures) +
            " failed for it, " + std::to_string(by_address.failures) + " from this address)");
    if (by_id.locked_out)
        log(remote, path, "lock-out: " + what_is_blocked(by_id, "charge point '" + id + "'"));
    if (by_address.locked_out)
        log(remote, path, "lock-out: " + what_is_blocked(by_address, "address " + remote));
    done(WsAccept{401,
                  "",
                  "charge point '" + id + "' needs its password (HTTP Basic)",
                  {{"WWW-Authenticate", "Basic realm=\"evtwin\", charset=\"UTF-8\""}},
                  ""});
}

}  // namespace evtwin::serve
