#include "serve/net/http_server.hpp"

#include "serve/net/http_server_impl.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <csignal>
#include <stdexcept>
#include <thread>

namespace evtwin::serve {

namespace net = boost::asio;
using tcp = net::ip::tcp;

HttpServer::Impl::Impl(HttpServerOptions o, Handler h, AccessLog l)
    : options(std::move(o)),
      handler(std::move(h)),
      log(std::move(l)),
      acceptor(ioc),
      signals(ioc),
      limits({options.max_connections, options.max_per_address, options.max_websockets}) {}

void HttpServer::Impl::accept() {
    acceptor.async_accept(net::make_strand(ioc),
                          [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
                              if (ec == net::error::operation_aborted || !self->acceptor.is_open()) return;
                              if (!ec) {
                                  boost::system::error_code no_peer;
                                  const auto peer = socket.remote_endpoint(no_peer);
                                  const std::string remote = no_peer ? "?" : peer.address().to_string();
                                  std::string refusal;
                                  if (auto slot = self->limits.admit(remote, refusal)) {
                                      start_http_session(std::move(socket), remote, std::move(*slot), self);
                                  } else {
                                      boost::system::error_code ignored;
                                      socket.close(ignored);
                                      self->report({remote, "refused", refusal, ""});
                                  }
                              }
                              self->accept();
                          });
}

void HttpServer::Impl::add(const std::shared_ptr<ServerConnection>& connection) {
    {
        std::lock_guard lock(sessions_mutex);
        if (!stopping) {
            sessions.erase(
                std::remove_if(sessions.begin(), sessions.end(), [](const auto& s) { return s.expired(); }),
                sessions.end());
            sessions.push_back(connection);
            return;
        }
    }
    connection->stop();
}

void HttpServer::Impl::stop() {
    net::post(ioc, [self = shared_from_this()] {
        std::vector<std::weak_ptr<ServerConnection>> open;
        {
            // `stopping` changes under the lock: add() either sees it or registers before it.
            std::lock_guard lock(self->sessions_mutex);
            if (self->stopping.exchange(true)) return;
            open.swap(self->sessions);
        }
        boost::system::error_code ignored;
        self->acceptor.close(ignored);
        self->signals.cancel(ignored);
        for (auto& weak : open) {
            if (auto connection = weak.lock()) connection->stop();
        }
    });
}

HttpServer::HttpServer(HttpServerOptions options, Handler handler, AccessLog log)
    : impl_(std::make_shared<Impl>(std::move(options), std::move(handler), std::move(log))) {
    if (impl_->options.tls) impl_->tls.emplace(make_tls_context(*impl_->options.tls));
    const std::string where = impl_->options.address + ":" + std::to_string(impl_->options.port);
    try {
        const tcp::endpoint endpoint(net::ip::make_address(impl_->options.address), impl_->options.port);
        impl_->acceptor.open(endpoint.protocol());
        impl_->acceptor.set_option(net::socket_base::reuse_address(true));
        impl_->acceptor.bind(endpoint);
        impl_->acceptor.listen(net::socket_base::max_listen_connections);
    } catch (const std::exception& e) {
        throw std::runtime_error("cannot listen on " + where + ": " + e.what());
    }
}

HttpServer::~HttpServer() = default;

void HttpServer::set_websocket(std::string path_prefix, WsHandler handler) {
    impl_->ws_prefix = std::move(path_prefix);
    impl_->ws_handler = std::move(handler);
}

void HttpServer::set_event_log(EventLog log) {
    impl_->events = std::move(log);
}

void HttpServer::report(const ServerEvent& event) const {
    impl_->report(event);
}

unsigned short HttpServer::port() const {
    return impl_->acceptor.local_endpoint().port();
}

std::size_t HttpServer::http_connections() const {
    return impl_->limits.http();
}

std::size_t HttpServer::websocket_connections() const {
    return impl_->limits.websockets();
}

bool HttpServer::tls() const {
    return impl_->tls.has_value();
}

void HttpServer::stop_on_signals() {
    impl_->signals.add(SIGINT);
    impl_->signals.add(SIGTERM);
    impl_->signals.async_wait([this](boost::system::error_code ec, int) {
        if (!ec) stop();
    });
}

void HttpServer::run() {
    impl_->accept();
    unsigned threads = impl_->options.threads;
    if (threads == 0) threads = std::max(2u, std::thread::hardware_concurrency());
    std::vector<std::thread> workers;
    try {
        for (unsigned i = 1; i < threads; ++i) workers.emplace_back([this] { impl_->ioc.run(); });
    } catch (...) {  // the system gave no more threads: those started are joined, not left to terminate()
        impl_->ioc.stop();
        for (auto& w : workers) w.join();
        throw;
    }
    impl_->ioc.run();
    for (auto& w : workers) w.join();
}

void HttpServer::stop() {
    impl_->stop();
}

}  // namespace evtwin::serve
