#include "test_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>

namespace evtwin::serve::test {

namespace {

constexpr int kWaitS = 60;

std::string openssl_error(const std::string& what) {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    return what + ": " + (code ? ERR_error_string(code, nullptr) : "no OpenSSL error recorded");
}

[[noreturn]] void no_answer() {
    throw std::runtime_error("no answer from the server within a minute");
}

bool timed_out(int error) {
    return error == EAGAIN || error == EWOULDBLOCK;
}

}  // namespace

struct TestConnection::Tls {
    SSL_CTX* context = nullptr;
    SSL* ssl = nullptr;
    ~Tls() {
        SSL_free(ssl);
        SSL_CTX_free(context);
    }
};

TestConnection::TestConnection(unsigned short port, const std::optional<TlsClientFiles>& tls,
                               const std::string& source) {
    // OpenSSL writes to the socket with write(2): a server gone away must fail the write, not kill
    // the test program.
    std::signal(SIGPIPE, SIG_IGN);
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    const timeval wait{kWaitS, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &wait, sizeof wait);
    if (!source.empty()) {
        sockaddr_in own{};
        own.sin_family = AF_INET;
        if (::inet_pton(AF_INET, source.c_str(), &own.sin_addr) != 1 ||
            ::bind(fd_, reinterpret_cast<const sockaddr*>(&own), sizeof own) != 0) {
            ::close(fd_);
            throw std::runtime_error("cannot bind a client socket to " + source);
        }
    }
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(port);
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0) {
        const int error = errno;
        ::close(fd_);
        throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) + ": " +
                                 std::strerror(error));
    }
    if (!tls) return;
    tls_ = std::make_unique<Tls>();
    try {
        tls_->context = SSL_CTX_new(TLS_client_method());
        if (!tls_->context) throw std::runtime_error(openssl_error("TLS context"));
        if (SSL_CTX_load_verify_locations(tls_->context, tls->ca.c_str(), nullptr) != 1)
            throw std::runtime_error(openssl_error(tls->ca.string()));
        SSL_CTX_set_verify(tls_->context, SSL_VERIFY_PEER, nullptr);
        if (!tls->certificate.empty() &&
            (SSL_CTX_use_certificate_chain_file(tls_->context, tls->certificate.c_str()) != 1 ||
             SSL_CTX_use_PrivateKey_file(tls_->context, tls->key.c_str(), SSL_FILETYPE_PEM) != 1))
            throw std::runtime_error(openssl_error(tls->certificate.string()));
        tls_->ssl = SSL_new(tls_->context);
        if (!tls_->ssl || SSL_set_fd(tls_->ssl, fd_) != 1 ||
            SSL_set_tlsext_host_name(tls_->ssl, "localhost") != 1)
            throw std::runtime_error(openssl_error("TLS session"));
        if (SSL_connect(tls_->ssl) != 1) throw std::runtime_error(openssl_error("TLS handshake"));
    } catch (...) {
        tls_.reset();
        ::close(fd_);
        throw;
    }
}

TestConnection::~TestConnection() {
    tls_.reset();
    ::close(fd_);
}

void TestConnection::write(std::string_view bytes) {
    while (!bytes.empty()) {
        const long n = tls_ ? SSL_write(tls_->ssl, bytes.data(), static_cast<int>(bytes.size()))
                            : ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n <= 0) {
            if (!tls_ && errno == EINTR) continue;
            ERR_clear_error();
            throw std::runtime_error(std::string("write: the connection is gone (") + std::strerror(errno) +
                                     ")");
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

bool TestConnection::read_some(std::string& to) {
    char buffer[16384];
    for (;;) {
        errno = 0;
        const long n =
            tls_ ? SSL_read(tls_->ssl, buffer, sizeof buffer) : ::recv(fd_, buffer, sizeof buffer, 0);
        if (n > 0) {
            to.append(buffer, static_cast<std::size_t>(n));
            return true;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && timed_out(errno)) no_answer();
        ERR_clear_error();
        return false;  // the end of the stream, a reset or a TLS alert
    }
}

bool TestConnection::read_at_least(std::string& to, std::size_t n) {
    while (to.size() < n)
        if (!read_some(to)) return false;
    return true;
}

void TestConnection::shut_down() {
    if (tls_) SSL_shutdown(tls_->ssl);
    ERR_clear_error();
    ::shutdown(fd_, SHUT_RDWR);
}

}  // namespace evtwin::serve::test
