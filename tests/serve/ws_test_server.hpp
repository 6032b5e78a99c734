#pragma once
// An HttpServer on 127.0.0.1 (any free port) running on its own thread for the WebSocket suites,
// with an echo handler at /ocpp/: it accepts ocpp1.6 when offered, else ocpp2.0.1, else no
// subprotocol; with passwords, only charge points that give theirs (HTTP Basic). Every message
// comes back as it came; "close-me" is answered with "bye" and a close frame.
#include "serve/csms/charge_point_passwords.hpp"
#include "serve/net/http_server.hpp"

#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace evtwin::serve::test {

class EchoServer {
public:
    explicit EchoServer(HttpServerOptions options = {}, const ChargePointPasswords* passwords = nullptr);
    ~EchoServer();  // stops the server and waits for it

    unsigned short port() const { return server_->port(); }
    HttpServer& server() { return *server_; }

    // Stops the server; whether run() returned within a minute.
    bool stop_and_wait();
    // Waits (at most a minute) until `n` connections have been closed; whether they were.
    bool wait_closed(int n);
    // Waits (at most a minute) until the server has reported `n` refusals or closes of its own.
    bool wait_events(std::size_t n);
    std::vector<ServerEvent> events();
    // Waits (at most a minute) until the server holds `n` HTTP connections; whether it did.
    bool wait_http_connections(std::size_t n);

    std::vector<std::string> last_offered();
    int opened();
    int closed();

private:
    const ChargePointPasswords* passwords_;
    std::unique_ptr<HttpServer> server_;
    std::future<void> running_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::string> offered_;
    std::vector<ServerEvent> events_;
    int opened_ = 0;
    int closed_ = 0;
};

}  // namespace evtwin::serve::test
