#include "cli/serve_ocpi.hpp"

#include "cli/commands.hpp"
#include "cli/run_one.hpp"
#include "serve/net/token_file.hpp"

#include <cstdio>

namespace evtwin::cli {

const char* const kOcpiHelp = R"(
OCPI 2.2.1 as a CPO, in live mode (docs/ocpi.md): versions, credentials, locations, sessions, cdrs,
tariffs and the charging profiles receiver under /ocpi/ (their own tokens, not the API's).
  --ocpi-token-file FILE    the registration token (token A) an eMSP registers with; created
                            (random, mode 0600) when missing. Without it: no OCPI endpoints
  --ocpi-url BASE           the public base URL in the versions answers; default http://LISTEN
  --ocpi-party CC*PID       this CPO's country code and party id; default ZZ*EVT
  --ocpi-push               push sessions (PUT/PATCH) and CDRs (POST) to the eMSPs' receivers
)";

std::optional<serve::ocpi::OcpiConfig> ocpi_config(const Args& args) {
    const auto file = args.value("--ocpi-token-file");
    if (!file) {
        for (const char* option : {"--ocpi-url", "--ocpi-party"})
            if (args.value(option)) throw UsageError(std::string(option) + " needs --ocpi-token-file");
        if (args.flag("--ocpi-push")) throw UsageError("--ocpi-push needs --ocpi-token-file");
        return std::nullopt;
    }
    serve::ocpi::OcpiConfig config;
    try {
        const serve::TokenFile token = serve::load_token(*file, true);
        config.registration_tokens = {token.token};
        if (token.created)
            std::printf("evtwin serve: OCPI registration token (token A) written to %s\n", file->c_str());
    } catch (const std::exception& e) {
        throw CommandFailure(kFailure, std::string("evtwin serve: ") + e.what());
    }
    config.base_url =
        args.value("--ocpi-url").value_or("http://" + args.value("--listen").value_or("127.0.0.1:8080"));
    if (config.base_url.rfind("http://", 0) != 0 && config.base_url.rfind("https://", 0) != 0)
        throw UsageError("--ocpi-url expects an http(s) URL, got '" + config.base_url + "'");
    if (const auto party = args.value("--ocpi-party")) {
        const auto star = party->find('*');
        if (star != 2 || party->size() != 6)
            throw UsageError(
                "--ocpi-party expects CC*PID (a country code of 2 letters, a party id of 3), got '" + *party +
                "'");
        config.cpo.country_code = party->substr(0, 2);
        config.cpo.party_id = party->substr(3);
    }
    config.push = args.flag("--ocpi-push");
    std::printf("evtwin serve: OCPI 2.2.1 as CPO %s*%s at %s/ocpi/versions%s\n",
                config.cpo.country_code.c_str(), config.cpo.party_id.c_str(), config.base_url.c_str(),
                config.push ? ", pushing to the eMSPs" : "");
    return config;
}

}  // namespace evtwin::cli
