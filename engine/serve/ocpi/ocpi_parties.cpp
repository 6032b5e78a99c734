#include "serve/ocpi/ocpi_parties.hpp"

#include "serve/ocpi/ocpi_protocol.hpp"

#include <algorithm>

namespace evtwin::serve::ocpi {

std::string Party::url(const std::string& identifier, const std::string& role) const {
    for (const Endpoint& e : endpoints)
        if (e.identifier == identifier && e.role == role) return e.url;
    return {};
}

Parties::Parties(const std::vector<std::string>& registration_tokens) {
    for (const std::string& token : registration_tokens) registration_.push_back(sha256_hex(token));
}

Caller Parties::identify(const std::vector<std::string>& tokens) const {
    std::lock_guard lock(mutex_);
    for (const std::string& token : tokens) {
        const std::string hash = sha256_hex(token);
        for (const Party& p : parties_)
            if (p.token_c_hash == hash) return {Caller::Kind::party, hash, p};
        if (std::find(registration_.begin(), registration_.end(), hash) != registration_.end())
            return {Caller::Kind::registering, hash, std::nullopt};
    }
    return {};
}

void Parties::add(const Party& party, const std::string& token_a_hash) {
    std::lock_guard lock(mutex_);
    // Token A "MAY no longer be used" once the registration it started is done.
    registration_.erase(std::remove(registration_.begin(), registration_.end(), token_a_hash),
                        registration_.end());
    std::erase_if(parties_, [&](const Party& p) {
        return p.country_code == party.country_code && p.party_id == party.party_id;
    });
    parties_.push_back(party);
}

bool Parties::update(const std::string& old_hash, const Party& party) {
    std::lock_guard lock(mutex_);
    for (Party& p : parties_)
        if (p.token_c_hash == old_hash) {
            p = party;
            return true;
        }
    return false;
}

bool Parties::remove(const std::string& token_c_hash) {
    std::lock_guard lock(mutex_);
    return std::erase_if(parties_, [&](const Party& p) { return p.token_c_hash == token_c_hash; }) > 0;
}

std::vector<Party> Parties::all() const {
    std::lock_guard lock(mutex_);
    return parties_;
}

}  // namespace evtwin::serve::ocpi
