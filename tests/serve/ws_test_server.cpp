#include "ws_test_server.hpp"

#include "serve/net/websocket.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

namespace evtwin::serve::test {

EchoServer::EchoServer(HttpServerOptions options, const ChargePointPasswords* passwords)
    : passwords_(passwords) {
    options.address = "127.0.0.1";
    options.port = 0;
    if (options.threads == 0) options.threads = 2;
    server_ = std::make_unique<HttpServer>(
        options,
        [](const HttpRequest& r) {
            HttpResponse response;
            if (r.target == "/v1/health") {
                response.body = R"({"status":"ok"})";
            } else {
                response.status = 404;
                response.body = R"({"error":"not found"})";
            }
            return response;
        },
        nullptr);
    WsHandler handler;
    const auto decide = [this](const HttpRequest& r, const std::vector<std::string>& offered) -> WsAccept {
        {
            std::lock_guard lock(mutex_);
            offered_ = offered;
        }
        if (passwords_) {
            const std::string id = r.target.substr(std::string("/ocpp/").size());
            const auto credentials = parse_basic_authorization(r.authorization);
            if (!credentials || credentials->user != id || !passwords_->verify(id, credentials->password))
                return {401,
                        "",
                        "charge point '" + id + "' needs its password",
                        {{"WWW-Authenticate", "Basic realm=\"evtwin\""}},
                        ""};
        }
        for (const char* mine : {"ocpp1.6", "ocpp2.0.1"}) {
            if (std::find(offered.begin(), offered.end(), mine) != offered.end())
                return {101, mine, "", {}, ""};
        }
        return {101, "", "", {}, ""};
    };
    handler.upgrade = [decide](const HttpRequest& r, const std::vector<std::string>& offered,
                               WsAnswer answer) { answer(decide(r, offered)); };
    handler.opened = [this](const std::shared_ptr<WsConnection>&) {
        std::lock_guard lock(mutex_);
        ++opened_;
        changed_.notify_all();
    };
    handler.message = [](const std::shared_ptr<WsConnection>& ws, std::string text) {
        if (text == "close-me") {
            ws->send("bye");
            ws->close("asked to");
            return;
        }
        ws->send(std::move(text));
    };
    handler.closed = [this](const std::shared_ptr<WsConnection>&) {
        std::lock_guard lock(mutex_);
        ++closed_;
        changed_.notify_all();
    };
    server_->set_websocket("/ocpp/", handler);
    server_->set_event_log([this](const ServerEvent& e) {
        std::lock_guard lock(mutex_);
        events_.push_back(e);
        changed_.notify_all();
    });
    running_ = std::async(std::launch::async, [this] { server_->run(); });
}

EchoServer::~EchoServer() {
    stop_and_wait();
}

bool EchoServer::stop_and_wait() {
    server_->stop();
    if (!running_.valid()) return true;
    if (running_.wait_for(std::chrono::minutes(1)) != std::future_status::ready) return false;
    running_.get();
    return true;
}

bool EchoServer::wait_closed(int n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::minutes(1), [&] { return closed_ >= n; });
}

bool EchoServer::wait_events(std::size_t n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::minutes(1), [&] { return events_.size() >= n; });
}

bool EchoServer::wait_http_connections(std::size_t n) {
    // Connections end on the server's threads, with no event to wait on: polled.
    for (int i = 0; i < 60'000; ++i) {
        if (server_->http_connections() == n) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
}

std::vector<ServerEvent> EchoServer::events() {
    std::lock_guard lock(mutex_);
    return events_;
}

std::vector<std::string> EchoServer::last_offered() {
    std::lock_guard lock(mutex_);
    return offered_;
}

int EchoServer::opened() {
    std::lock_guard lock(mutex_);
    return opened_;
}

int EchoServer::closed() {
    std::lock_guard lock(mutex_);
    return closed_;
}

}  // namespace evtwin::serve::test
