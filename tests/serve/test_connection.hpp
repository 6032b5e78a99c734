#pragma once
// A blocking client connection to 127.0.0.1 for the serve suites, plain TCP or TLS (OpenSSL), on
// which their HTTP and WebSocket clients speak. It shares no code with the server's Boost.Beast
// stack. Every read waits at most a minute, a guard against a server that never answers, not a
// measure of speed.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace evtwin::serve::test {

struct TlsClientFiles {
    std::filesystem::path ca;           // the server's certificate is trusted when this signed it
    std::filesystem::path certificate;  // a client certificate and its key, when set
    std::filesystem::path key;
};

class TestConnection {
public:
    // Throws std::runtime_error when the connection or the TLS handshake fails. `source` is the
    // client's own loopback address (e.g. "127.0.0.2", a second client host); empty: any.
    TestConnection(unsigned short port, const std::optional<TlsClientFiles>& tls = std::nullopt,
                   const std::string& source = "");
    ~TestConnection();
    TestConnection(const TestConnection&) = delete;
    TestConnection& operator=(const TestConnection&) = delete;

    // Throws std::runtime_error when the bytes cannot be written (the connection is gone).
    void write(std::string_view bytes);
    // Appends what arrives next to `to`; false at the end of the stream or when the connection
    // failed. Throws std::runtime_error when nothing arrives within a minute.
    bool read_some(std::string& to);
    // Reads into `to` until it holds at least `n` bytes; false when the stream ended before.
    bool read_at_least(std::string& to, std::size_t n);
    // Ends the connection in both directions (TLS: after a close_notify); reads then find its end.
    void shut_down();

private:
    struct Tls;
    int fd_ = -1;
    std::unique_ptr<Tls> tls_;
};

}  // namespace evtwin::serve::test
