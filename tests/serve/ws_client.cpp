#include "ws_client.hpp"

#include "http_client.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <strings.h>

#include <cstdint>
#include <stdexcept>

namespace evtwin::serve::test {

namespace {

enum Opcode : unsigned { kContinuation = 0, kText = 1, kBinary = 2, kClose = 8, kPing = 9, kPong = 10 };

std::string random_bytes(int n) {
    std::string bytes(static_cast<std::size_t>(n), '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), n) != 1)
        throw std::runtime_error("RAND_bytes failed");
    return bytes;
}

// RFC 6455 §4.2.2: the server's Sec-WebSocket-Accept for the client's key.
std::string accept_for(const std::string& key) {
    const std::string keyed = key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(keyed.data(), keyed.size(), digest, &length, EVP_sha1(), nullptr) != 1)
        throw std::runtime_error("SHA-1 failed");
    return base64(std::string(reinterpret_cast<const char*>(digest), length));
}

struct Frame {
    bool fin = false;
    unsigned opcode = 0;
    std::string payload;
};

// The next frame from the connection; false when the stream ended first.
bool next_frame(TestConnection& connection, std::string& pending, Frame& frame) {
    if (!connection.read_at_least(pending, 2)) return false;
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(pending[i]); };
    frame.fin = (byte(0) & 0x80) != 0;
    frame.opcode = byte(0) & 0x0F;
    const bool masked = (byte(1) & 0x80) != 0;
    std::uint64_t length = byte(1) & 0x7F;
    std::size_t at = 2;
    const std::size_t length_bytes = length == 126 ? 2 : length == 127 ? 8 : 0;
    if (!connection.read_at_least(pending, at + length_bytes + (masked ? 4 : 0))) return false;
    if (length_bytes) {
        length = 0;
        for (std::size_t i = 0; i < length_bytes; ++i) length = (length << 8) | byte(at + i);
        at += length_bytes;
    }
    std::string mask;
    if (masked) {
        mask = pending.substr(at, 4);
        at += 4;
    }
    if (!connection.read_at_least(pending, at + length)) return false;
    frame.payload = pending.substr(at, length);
    pending.erase(0, at + length);
    for (std::size_t i = 0; masked && i < frame.payload.size(); ++i) frame.payload[i] ^= mask[i % 4];
    return true;
}

}  // namespace

WsClient::WsClient(std::unique_ptr<TestConnection> connection, std::string pending)
    : connection_(std::move(connection)), pending_(std::move(pending)) {}

std::unique_ptr<WsClient> WsClient::connect(unsigned short port, const std::string& target,
                                            const WsClientOptions& options, WsHandshakeReply* reply) {
    std::optional<TlsClientFiles> tls;
    if (options.tls_ca) tls = TlsClientFiles{*options.tls_ca, options.client_certificate, options.client_key};
    auto connection = std::make_unique<TestConnection>(port, tls);

    const std::string key = base64(random_bytes(16));
    std::string request = "GET " + target +
                          " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: " +
                          key + "\r\nSec-WebSocket-Version: 13\r\n";
    std::string offered;
    for (const auto& p : options.subprotocols) offered += (offered.empty() ? "" : ", ") + p;
    if (!offered.empty()) request += "Sec-WebSocket-Protocol: " + offered + "\r\n";
    if (!options.authorization.empty()) request += "Authorization: " + options.authorization + "\r\n";
    connection->write(request + "\r\n");

    std::string pending;
    HttpReply answer = read_http_reply(*connection, pending);
    if (reply) *reply = WsHandshakeReply{answer.status, answer.headers, answer.body};
    if (answer.status != 101) return nullptr;
    if (strcasecmp(answer.headers["upgrade"].c_str(), "websocket") != 0 ||
        answer.headers["sec-websocket-accept"] != accept_for(key))
        throw std::runtime_error(
            "upgrade: a 101 answer without the Upgrade and Sec-WebSocket-Accept of RFC 6455");
    return std::unique_ptr<WsClient>(new WsClient(std::move(connection), std::move(pending)));
}

// A client's frames are masked (RFC 6455 §5.3); every message here fits one frame.
void WsClient::send_frame(unsigned opcode, const std::string& payload) {
    std::string frame(1, static_cast<char>(0x80 | opcode));
    const std::uint64_t n = payload.size();
    if (n < 126) {
        frame += static_cast<char>(0x80 | n);
    } else if (n <= 0xFFFF) {
        frame += static_cast<char>(0x80 | 126);
        for (int shift = 8; shift >= 0; shift -= 8) frame += static_cast<char>((n >> shift) & 0xFF);
    } else {
        frame += static_cast<char>(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8) frame += static_cast<char>((n >> shift) & 0xFF);
    }
    const std::string mask = random_bytes(4);
    frame += mask;
    for (std::size_t i = 0; i < payload.size(); ++i) frame += static_cast<char>(payload[i] ^ mask[i % 4]);
    connection_->write(frame);
}

void WsClient::send(const std::string& text) {
    send_frame(kText, text);
}

void WsClient::send_binary(const std::string& bytes) {
    send_frame(kBinary, bytes);
}

std::optional<std::string> WsClient::read() {
    std::string message;
    Frame frame;
    while (!closed_) {
        if (!next_frame(*connection_, pending_, frame)) {
            closed_ = true;
            break;
        }
        switch (frame.opcode) {
            case kPing:
                try {
                    send_frame(kPong, frame.payload);
                } catch (const std::runtime_error&) {  // gone: the next read finds the end of the stream
                }
                break;
            case kPong:
                break;
            case kClose:
                closed_ = true;
                if (frame.payload.size() >= 2) {
                    code_ = (static_cast<unsigned char>(frame.payload[0]) << 8) |
                            static_cast<unsigned char>(frame.payload[1]);
                    reason_ = frame.payload.substr(2);
                }
                if (!close_sent_) {
                    close_sent_ = true;
                    try {
                        send_frame(kClose, frame.payload.substr(0, 2));
                    } catch (const std::runtime_error&) {  // the server need not wait for the answer
                    }
                }
                connection_->shut_down();  // the server waits for the end of our stream after the close
                break;
            case kText:
            case kBinary:
            case kContinuation:
                message += frame.payload;
                if (frame.fin) return message;
                break;
            default:
                throw std::runtime_error("a frame with the reserved opcode " + std::to_string(frame.opcode));
        }
    }
    return std::nullopt;
}

void WsClient::close() {
    if (closed_ || close_sent_) return;
    close_sent_ = true;
    try {
        send_frame(kClose, std::string("\x03\xE8", 2));  // 1000, normal closure
        while (read()) {                                 // the server's close frame ends it
        }
    } catch (const std::runtime_error&) {
    }
    closed_ = true;
    connection_->shut_down();
}

}  // namespace evtwin::serve::test
