#include "serve/ocpi/ocpi_parties.hpp"

#include "serve/ocpi/ocpi_protocol.hpp"

#include <algorithm>

namespace evtwin::serve::ocpi {

std::string Party::url(const std::string& identifier, const std::string& role) const {
    for (const Endpoint& e : endpoints)
        if (e.identifier == identifier && e.role == role) return e.url;
    return {};
}

Parties::Parties(const std::vector<std::string>& registration_tokens, PartiesState stored,
                 std::function<void(const PartiesState&)> save)
    : save_(std::move(save)), spent_(std::move(stored.spent)), parties_(std::move(stored.parties)) {
    for (const std::string& token : registration_tokens) {
        const std::string hash = sha256_hex(token);
        if (std::find(spent_.begin(), spent_.end(), hash) == spent_.end()) registration_.push_back(hash);
    }
}

void Parties::saved() const {
    if (!save_) return;
    PartiesState state;
    {
        std::lock_guard lock(mutex_);
        state.spent = spent_;
        state.parties = parties_;
    }
    save_(state);
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
    {
        std::lock_guard lock(mutex_);
        // Token A "MAY no longer be used" once the registration it started is done.
        registration_.erase(std::remove(registration_.begin(), registration_.end(), token_a_hash),
                            registration_.end());
        spent_.push_back(token_a_hash);
        std::erase_if(parties_, [&](const Party& p) {
            return p.country_code == party.country_code && p.party_id == party.party_id;
        });
        parties_.push_back(party);
    }
    saved();
}

bool Parties::update(const std::string& old_hash, const Party& party) {
    bool found = false;
    {
        std::lock_guard lock(mutex_);
        for (Party& p : parties_)
            if (p.token_c_hash == old_hash) {
                p = party;
                found = true;
            }
    }
    if (found) saved();
    return found;
}

bool Parties::remove(const std::string& token_c_hash) {
    bool found = false;
    {
        std::lock_guard lock(mutex_);
        found = std::erase_if(parties_, [&](const Party& p) { return p.token_c_hash == token_c_hash; }) > 0;
    }
    if (found) saved();
    return found;
}

std::vector<Party> Parties::all() const {
    std::lock_guard lock(mutex_);
    return parties_;
}

}  // namespace evtwin::serve::ocpi
