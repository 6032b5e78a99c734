#include "serve/http_server_impl.hpp"

#include <openssl/ssl.h>

#include <stdexcept>

namespace evtwin::serve {

namespace ssl = boost::asio::ssl;

ssl::context make_tls_context(const TlsFiles& files) {
    ssl::context context(ssl::context::tls_server);
    context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                        ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
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
