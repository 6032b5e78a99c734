// The server with TLS files (OCPP security profile 2, and 3 with a client CA): the API and the
// WebSocket endpoint over TLS, plain clients refused, only forward-secret AEAD suites in TLS 1.2,
// unusable files named.
#include "http_client.hpp"
#include "support/test_support.hpp"
#include "ws_client.hpp"
#include "ws_test_server.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>

namespace evtwin::serve {
namespace {

using test::EchoServer;
using test::WsClient;
using test::WsClientOptions;

class TlsServer : public ::testing::Test {
protected:
    // Two self-signed certificates for localhost (a day's validity), made once for the suite.
    static void SetUpTestSuite() {
        dir_ = new std::filesystem::path(evtwin::test::temp_dir("tls_server"));
        for (const char* name : {"server", "other"}) {
            const std::string command =
                "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 -keyout " +
                (*dir_ / (std::string(name) + ".key")).string() + " -out " +
                (*dir_ / (std::string(name) + ".pem")).string() + " 2>/dev/null";
            ASSERT_EQ(std::system(command.c_str()), 0) << command;
        }
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }

    static std::filesystem::path file(const std::string& name) { return *dir_ / name; }
    static HttpServerOptions tls_options() {
        HttpServerOptions options;
        options.tls = TlsFiles{file("server.pem"), file("server.key"), {}};
        return options;
    }

    static std::filesystem::path* dir_;
};

std::filesystem::path* TlsServer::dir_ = nullptr;

// GET over TLS, trusting `ca`: the status and the body.
std::pair<int, std::string> https_get(unsigned short port, const std::string& target,
                                      const std::filesystem::path& ca) {
    test::TestConnection connection(port, test::TlsClientFiles{ca, {}, {}});
    const test::HttpReply reply = test::http_request(connection, "GET", target);
    return {reply.status, reply.body};
}

TEST_F(TlsServer, ServesTheApiAndWebSocketsOverTls) {
    EchoServer server(tls_options());
    EXPECT_TRUE(server.server().tls());
    EXPECT_EQ(https_get(server.port(), "/v1/health", file("server.pem")),
              (std::pair<int, std::string>{200, R"({"status":"ok"})"}));

    WsClientOptions options;
    options.tls_ca = file("server.pem");
    options.subprotocols = {"ocpp1.6"};
    auto client = WsClient::connect(server.port(), "/ocpp/CP-1", options);
    ASSERT_TRUE(client);
    client->send("over TLS");
    EXPECT_EQ(client->read(), "over TLS");
    client->close();
    EXPECT_TRUE(server.wait_closed(1));
}

TEST_F(TlsServer, RefusesPlainConnections) {
    EchoServer server(tls_options());
    EXPECT_THROW(test::http_request(server.port(), "GET", "/v1/health"), std::runtime_error);
    EXPECT_THROW(WsClient::connect(server.port(), "/ocpp/CP-1", {}), std::runtime_error);
    WsClientOptions wrong_ca;  // a client that does not trust the server's certificate
    wrong_ca.tls_ca = file("other.pem");
    EXPECT_THROW(WsClient::connect(server.port(), "/ocpp/CP-1", wrong_ca), std::runtime_error);
    EXPECT_EQ(server.opened(), 0);
}

TEST_F(TlsServer, WithAClientCaOnlyClientsWithACertificateConnect) {
    HttpServerOptions options = tls_options();
    options.tls->client_ca = file("other.pem");
    EchoServer server(options);
    WsClientOptions client_options;
    client_options.tls_ca = file("server.pem");
    EXPECT_THROW(WsClient::connect(server.port(), "/ocpp/CP-1", client_options), std::runtime_error);
    client_options.client_certificate = file("server.pem");  // not signed by the client CA
    client_options.client_key = file("server.key");
    EXPECT_THROW(WsClient::connect(server.port(), "/ocpp/CP-1", client_options), std::runtime_error);

    client_options.client_certificate = file("other.pem");
    client_options.client_key = file("other.key");
    auto client = WsClient::connect(server.port(), "/ocpp/CP-1", client_options);
    ASSERT_TRUE(client);
    client->send("with a certificate");
    EXPECT_EQ(client->read(), "with a certificate");
}

// Whether a TLS 1.2 client that offers only `suites` (an OpenSSL cipher list) completes a handshake.
bool tls12_handshake(unsigned short port, const std::string& suites) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket");
    const timeval wait{60, 0};  // a guard against a server that never answers
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(port);
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    SSL_CTX* context = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_max_proto_version(context, TLS1_2_VERSION);
    SSL_CTX_set_security_level(context, 0);  // so that the client offers even the weak suites
    const bool offered = SSL_CTX_set_cipher_list(context, suites.c_str()) == 1;
    SSL* ssl = SSL_new(context);
    const bool done = offered &&
                      ::connect(fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) == 0 &&
                      SSL_set_fd(ssl, fd) == 1 && SSL_connect(ssl) == 1;
    SSL_free(ssl);
    SSL_CTX_free(context);
    ::close(fd);
    if (!offered) throw std::runtime_error("this OpenSSL has none of " + suites);
    return done;
}

TEST_F(TlsServer, Tls12OffersOnlyForwardSecretAeadSuites) {
    EchoServer server(tls_options());
    for (const char* refused :
         {"AES128-SHA", "AES256-GCM-SHA384", "AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA",
          "ECDHE-RSA-AES256-SHA384", "DHE-RSA-AES128-GCM-SHA256"})
        EXPECT_FALSE(tls12_handshake(server.port(), refused)) << refused;
    for (const char* accepted :
         {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305"})
        EXPECT_TRUE(tls12_handshake(server.port(), accepted)) << accepted;
}

TEST_F(TlsServer, UnusableFilesAreNamed) {
    HttpServerOptions options = tls_options();
    options.tls->private_key = file("missing.key");
    const auto missing =
        evtwin::test::error_of<std::runtime_error>([&] { HttpServer(options, nullptr, nullptr); });
    const std::string key_of =
        ": cannot use it as the TLS private key (PEM) of " + file("server.pem").string();
    EXPECT_EQ(missing.rfind(file("missing.key").string() + key_of + ": ", 0), 0u) << missing;

    options.tls->private_key = file("other.key");
    EXPECT_EQ(evtwin::test::error_of<std::runtime_error>([&] { HttpServer(options, nullptr, nullptr); }),
              file("other.key").string() + key_of + ": key values mismatch");
}

}  // namespace
}  // namespace evtwin::serve
