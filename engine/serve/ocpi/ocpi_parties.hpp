#pragma once
// The parties of live mode's OCPI endpoints (credentials.asciidoc): the registration tokens (token A,
// given to serve; spent by the registration it starts) and each registered eMSP, known by the token
// it was given (token C) and holding the token it gave (token B, to call its endpoints), its versions
// URL and its endpoints. Tokens this CPO issues or receives for itself are kept as SHA-256 hashes
// only; token B is kept as it came, since calling the eMSP needs it. Thread-safe.
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace evtwin::serve::ocpi {

struct Endpoint {
    std::string identifier;  // ModuleID: cdrs, sessions, chargingprofiles, ...
    std::string role;        // SENDER or RECEIVER
    std::string url;
};

struct Party {
    std::string country_code;
    std::string party_id;
    std::string name;          // its business details' name
    std::string token_c_hash;  // what it calls this CPO with
    std::string token_b;       // what this CPO calls it with
    std::string versions_url;
    std::string version_url;  // its 2.2.1 details
    std::vector<Endpoint> endpoints;

    // The URL of its module in that role, or empty.
    std::string url(const std::string& identifier, const std::string& role) const;
};

// What a restart must find again: the registered parties and the tokens A spent (their hashes).
struct PartiesState {
    std::vector<std::string> spent;
    std::vector<Party> parties;
};

// Who sent a request, by its credentials token.
struct Caller {
    enum class Kind { nobody, registering, party } kind = Kind::nobody;
    std::string token_hash;
    std::optional<Party> party;  // when kind is party
};

class Parties {
public:
    // `registration_tokens`: the tokens A an eMSP may register with (kept hashed), but those `stored`
    // says were spent; `stored`'s parties are registered. `save`, when set, gets the state after
    // each change (called without the parties' lock).
    explicit Parties(const std::vector<std::string>& registration_tokens, PartiesState stored = {},
                     std::function<void(const PartiesState&)> save = {});

    // The caller of a request with these candidate tokens (credentials_tokens()).
    Caller identify(const std::vector<std::string>& tokens) const;

    // Registers `party` (its token_c_hash set), spending the token A with hash `token_a_hash`; a party
    // of the same country_code and party_id is replaced.
    void add(const Party& party, const std::string& token_a_hash);
    // Replaces the party whose token C has hash `old_hash` (a PUT: new token B, endpoints, token C).
    bool update(const std::string& old_hash, const Party& party);
    // Unregisters the party whose token C has this hash; false when none.
    bool remove(const std::string& token_c_hash);
    std::vector<Party> all() const;

private:
    void saved() const;

    mutable std::mutex mutex_;
    std::function<void(const PartiesState&)> save_;
    std::vector<std::string> spent_;         // hashes of the tokens A spent
    std::vector<std::string> registration_;  // hashes of the tokens A not spent
    std::vector<Party> parties_;
};

}  // namespace evtwin::serve::ocpi
