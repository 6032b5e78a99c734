#pragma once
// A WebSocket client for the serve suites (RFC 6455 on TestConnection), plain or TLS. Every read
// waits at most a minute, a guard against a server that never answers, not a measure of speed.
#include "test_connection.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace evtwin::serve::test {

struct WsClientOptions {
    std::vector<std::string> subprotocols;  // offered in one Sec-WebSocket-Protocol header, in order
    std::string authorization;              // the Authorization header, when not empty
    // TLS, trusting the server's certificate when this CA (or self-signed certificate) signed it.
    std::optional<std::filesystem::path> tls_ca;
    std::filesystem::path client_certificate;  // TLS: a client certificate and its key, when set
    std::filesystem::path client_key;
};

// The server's answer to the upgrade request.
struct WsHandshakeReply {
    int status = 0;                              // 101 when accepted
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
};

class WsClient {
public:
    // Connects to 127.0.0.1:port and asks to upgrade `target`; null when the server refused the
    // upgrade (`reply` says how). Throws std::runtime_error when the connection or the TLS handshake
    // fails, or the server's answer is not a valid upgrade.
    static std::unique_ptr<WsClient> connect(unsigned short port, const std::string& target,
                                             const WsClientOptions& options,
                                             WsHandshakeReply* reply = nullptr);

    // Throws std::runtime_error when the message cannot be written (the connection is gone).
    void send(const std::string& text);
    void send_binary(const std::string& bytes);
    // The next message; nullopt once the connection is closed (close_code() then tells why).
    // Answers the server's pings on the way.
    std::optional<std::string> read();
    // The code of the close frame the server sent (1000, 1001, 1008, 1009...), 0 when none came.
    int close_code() const { return code_; }
    std::string close_reason() const { return reason_; }
    // Sends a close frame (1000) and waits for the server's.
    void close();

private:
    explicit WsClient(std::unique_ptr<TestConnection> connection, std::string pending);
    void send_frame(unsigned opcode, const std::string& payload);

    std::unique_ptr<TestConnection> connection_;
    std::string pending_;  // bytes read beyond the last frame
    bool closed_ = false;
    bool close_sent_ = false;
    int code_ = 0;
    std::string reason_;
};

}  // namespace evtwin::serve::test
