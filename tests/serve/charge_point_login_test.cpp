// Charge points' passwords checked through the server (HTTP upgrades on real sockets) by a
// ChargePointLogin on a clock the test moves: guessing one charge point's password, or many from
// one address, is throttled with 429 and then locked out, refusals cost no hashing, the right
// password waits for the lock-out's end, and a full queue of checks is refused with 503.
#include "serve/csms/charge_point_login.hpp"

#include "http_client.hpp"
#include "serve/csms/charge_point_passwords.hpp"
#include "serve/csms/charge_point_path.hpp"
#include "serve/net/http_server.hpp"
#include "ws_client.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <thread>

namespace evtwin::serve {
namespace {

using namespace std::chrono_literals;
using test::WsClient;
using test::WsClientOptions;
using test::WsHandshakeReply;

const std::string kRightPassword = "correct horse battery";
const std::string kWrongPassword = "wrong horse battery!!";

// An HttpServer on 127.0.0.1 whose upgrades to /ocpp/{id} (CP-1 ... CP-12, each with kRightPassword)
// are checked by a ChargePointLogin; `before_verify` runs on the worker before each check.
class LoginServer {
public:
    explicit LoginServer(LoginPolicy policy = {}, std::function<void()> before_verify = {})
        : before_verify_(std::move(before_verify)) {
        for (int i = 1; i <= 12; ++i) passwords_.set("CP-" + std::to_string(i), kRightPassword);
        login_ = std::make_unique<ChargePointLogin>(
            [this](const std::string& id, const std::string& authorization) {
                if (before_verify_) before_verify_();
                ++verified_;
                const auto credentials = parse_basic_authorization(authorization);
                return credentials && credentials->user == id && passwords_.verify(id, credentials->password);
            },
            [this](const ServerEvent& e) {
                std::lock_guard lock(mutex_);
                events_.push_back(e);
            },
            policy,
            [this] { return LoginThrottle::Clock::time_point(std::chrono::milliseconds(now_ms_.load())); });
        HttpServerOptions options;
        options.address = "127.0.0.1";
        options.port = 0;
        options.threads = 2;
        server_ = std::make_unique<HttpServer>(
            options,
            [](const HttpRequest&) {
                HttpResponse r;
                r.status = 404;
                return r;
            },
            nullptr);
        WsHandler handler;
        handler.upgrade = [this](const HttpRequest& r, const std::vector<std::string>&, WsAnswer answer) {
            login_->check(r, charge_point_of_path(r.target), [answer](std::optional<WsAccept> refusal) {
                answer(refusal ? std::move(*refusal) : WsAccept{});
            });
        };
        server_->set_websocket("/ocpp/", handler);
        running_ = std::async(std::launch::async, [this] { server_->run(); });
    }
    ~LoginServer() {
        server_->stop();
        running_.wait();
    }

    // Connects as `id` with `password`: the server's answer (a connection accepted is closed).
    WsHandshakeReply attempt(const std::string& id, const std::string& password) {
        WsClientOptions options;
        options.authorization = "Basic " + test::base64(id + ":" + password);
        WsHandshakeReply reply;
        if (auto client = WsClient::connect(server_->port(), "/ocpp/" + id, options, &reply)) client->close();
        return reply;
    }
    void advance(std::chrono::milliseconds by) { now_ms_ += by.count(); }
    int verified() const { return verified_; }
    std::size_t waiting() const { return login_->waiting(); }
    bool logged(const std::string& reason) {
        std::lock_guard lock(mutex_);
        return std::any_of(events_.begin(), events_.end(), [&](const ServerEvent& e) {
            return e.reason == reason && e.event == "refused" && e.remote == "127.0.0.1";
        });
    }

private:
    ChargePointPasswords passwords_;
    std::function<void()> before_verify_;
    std::atomic<int> verified_{0};
    std::atomic<std::int64_t> now_ms_{0};
    std::mutex mutex_;
    std::vector<ServerEvent> events_;
    std::unique_ptr<ChargePointLogin> login_;
    std::unique_ptr<HttpServer> server_;
    std::future<void> running_;
};

TEST(ChargePointLogin, GuessingIsThrottledThenLockedOutAndTheRightPasswordWaitsForTheLockOutsEnd) {
    LoginServer server;
    // The blocks after the 1st ... 9th failure: the next guess waits that long.
    const std::vector<int> blocks = {0, 0, 0, 1, 2, 4, 8, 16, 32};
    for (int guess = 1; guess <= 10; ++guess) {
        if (guess > 1 && blocks[guess - 2] > 0) {
            const std::string wait = std::to_string(blocks[guess - 2]);
            WsHandshakeReply early = server.attempt("CP-1", kWrongPassword);
            EXPECT_EQ(early.status, 429) << guess;
            EXPECT_EQ(early.headers["retry-after"], wait) << guess;
            EXPECT_EQ(early.body, "too many failed passwords: try again in " + wait + " s");
            server.advance(std::chrono::seconds(blocks[guess - 2]));
        }
        WsHandshakeReply reply = server.attempt("CP-1", kWrongPassword);
        EXPECT_EQ(reply.status, 401) << guess;
        EXPECT_EQ(reply.headers["www-authenticate"], "Basic realm=\"evtwin\", charset=\"UTF-8\"");
    }
    EXPECT_EQ(server.verified(), 10);  // the early tries cost no hashing

    WsHandshakeReply locked = server.attempt("CP-1", kRightPassword);
    EXPECT_EQ(locked.status, 429);
    EXPECT_EQ(locked.headers["retry-after"], "900");
    EXPECT_EQ(locked.body, "locked out after too many failed passwords: try again in 900 s");
    server.advance(899s);
    EXPECT_EQ(server.attempt("CP-1", kRightPassword).headers["retry-after"], "1");
    EXPECT_EQ(server.verified(), 10);
    server.advance(1s);
    EXPECT_EQ(server.attempt("CP-1", kRightPassword).status, 101);
    EXPECT_EQ(server.verified(), 11);

    EXPECT_TRUE(
        server.logged("wrong password for charge point 'CP-1' (1 failed for it, 1 from this address)"));
    const std::string unlogged = " (further attempts in this block are not logged)";
    EXPECT_TRUE(
        server.logged("throttled: charge point 'CP-1' blocked for 1 s after 4 failed passwords" + unlogged));
    EXPECT_TRUE(
        server.logged("lock-out: charge point 'CP-1' locked out for 900 s after 10 failed passwords"));
    EXPECT_TRUE(server.logged(
        "throttled: charge point 'CP-1' locked out for 900 s after 10 failed passwords" + unlogged));
    // The lock-out's second refusal (899 s later) wrote no line.
    EXPECT_FALSE(server.logged("throttled: charge point 'CP-1' locked out for 1 s after 10 failed passwords" +
                               unlogged));
}

TEST(ChargePointLogin, OneAddressGuessingAcrossChargePointsIsThrottled) {
    LoginServer server;  // 10 free failures per address
    for (int i = 1; i <= 11; ++i)
        EXPECT_EQ(server.attempt("CP-" + std::to_string(i), kWrongPassword).status, 401) << i;
    WsHandshakeReply refused = server.attempt("CP-12", kRightPassword);
    EXPECT_EQ(refused.status, 429);
    EXPECT_EQ(refused.headers["retry-after"], "1");
    EXPECT_EQ(server.verified(), 11);
    EXPECT_TRUE(
        server.logged("throttled: address blocked for 1 s after 11 failed passwords (further attempts in "
                      "this block are not logged)"));
    server.advance(1s);
    EXPECT_EQ(server.attempt("CP-12", kRightPassword).status, 101);
}

TEST(ChargePointLogin, AFullQueueOfChecksIsRefusedWith503) {
    LoginPolicy policy;
    policy.queue = 1;
    std::promise<void> entered, release;
    std::shared_future<void> gate = release.get_future().share();
    std::atomic<bool> first{true};
    LoginServer server(policy, [&] {
        if (!first.exchange(false)) return;
        entered.set_value();
        gate.wait();
    });
    auto a = std::async(std::launch::async, [&] { return server.attempt("CP-1", kRightPassword); });
    entered.get_future().wait();  // the worker is busy with CP-1
    auto b = std::async(std::launch::async, [&] { return server.attempt("CP-2", kRightPassword); });
    while (server.waiting() < 1) std::this_thread::yield();  // CP-2 waits in the queue

    WsHandshakeReply busy = server.attempt("CP-3", kRightPassword);
    EXPECT_EQ(busy.status, 503);
    EXPECT_EQ(busy.headers["retry-after"], "1");
    EXPECT_TRUE(server.logged("password check busy (1 waiting)"));
    release.set_value();
    EXPECT_EQ(a.get().status, 101);
    EXPECT_EQ(b.get().status, 101);
    EXPECT_EQ(server.attempt("CP-3", kRightPassword).status, 101);
}

}  // namespace
}  // namespace evtwin::serve
