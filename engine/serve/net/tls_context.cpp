#include "serve/net/http_server_impl.hpp"

#include <openssl/ssl.h>

#include <stdexcept>
#include <string>

namespace evtwin::serve {

namespace ssl = boost::asio::ssl;

namespace {

constexpr const char* kTls12Suites =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

}  // namespace

ssl::context make_tls_context(const TlsFiles& files) {
    ssl::context context(ssl::context::tls_server);
    context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                        ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
    // Forward-secret AEAD suites only: TLS 1.2's ECDHE ones with AES-GCM or ChaCha20-Poly1305 (no
    // static RSA key exchange, no CBC, no SHA-1); TLS 1.3's suites are all of that kind.
    if (SSL_CTX_set_cipher_list(context.native_handle(), kTls12Suites) != 1)
        throw std::runtime_error("OpenSSL offers none of the TLS 1.2 suites " + std::string(kTls12Suites));
    SSL_CTX_set_options(context.native_handle(), SSL_OP_CIPHER_SERVER_PREFERENCE);
    const auto use = [](const std::filesystem::path& file, const std::string& what, auto&& load) {
        boost::system::error_code ec;
        load(ec);
        if (ec)
            throw std::runtime_error(file.string() + ": cannot use it as the TLS " + what + ": " +
                                     ec.message());
    };
    use(files.certificate_chain, "certificate chain (PEM)", [&](boost::system::error_code& ec) {
        context.use_certificate_chain_file(files.certificate_chain.string(), ec);
    });
    use(files.private_key, "private key (PEM) of " + files.certificate_chain.string(),
        [&](boost::system::error_code& ec) {
            context.use_private_key_file(files.private_key.string(), ssl::context::pem, ec);
        });
    if (SSL_CTX_check_private_key(context.native_handle()) != 1) {
        throw std::runtime_error(files.private_key.string() +
                                 ": the TLS private key does not match the certificate " +
                                 files.certificate_chain.string());
    }
    if (!files.client_ca.empty()) {
        use(files.client_ca, "client CA (PEM)",
            [&](boost::system::error_code& ec) { context.load_verify_file(files.client_ca.string(), ec); });
        // Tell clients which CA to present a certificate of.
        if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(files.client_ca.c_str()))
            SSL_CTX_set_client_CA_list(context.native_handle(), names);
        context.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    }
    return context;
}

}  // namespace evtwin::serve
