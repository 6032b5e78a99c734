#pragma once
// How many connections the server holds, by kind and by peer address. HTTP connections (and those
// whose first request is not read yet) are capped in all and per address, so that one client
// cannot take every slot; WebSocket connections have slots of their own, so that API clients cannot
// lock charge points out, and leave their address's count, since a site's charge points may share
// one address behind its router. Thread-safe.
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace evtwin::serve {

class ConnectionLimits {
public:
    struct Caps {
        std::size_t http = 512;        // HTTP connections, those not yet past their first request too
        std::size_t per_address = 32;  // of those, from one peer address
        std::size_t websocket = 512;   // WebSocket connections
    };

    // One connection's place, given back when it is destroyed. It must not outlive its limits.
    class Slot {
    public:
        Slot(Slot&& other) noexcept;
        Slot& operator=(Slot&&) = delete;
        ~Slot();
        bool websocket() const { return websocket_; }

    private:
        friend class ConnectionLimits;
        Slot(ConnectionLimits& limits, std::string address)
            : limits_(&limits), address_(std::move(address)) {}
        ConnectionLimits* limits_;
        std::string address_;
        bool websocket_ = false;
    };

    explicit ConnectionLimits(Caps caps) : caps_(caps) {}
    ConnectionLimits(const ConnectionLimits&) = delete;
    ConnectionLimits& operator=(const ConnectionLimits&) = delete;

    // A slot for a new connection from `address`, or none with the cap that refused it in `refusal`.
    std::optional<Slot> admit(const std::string& address, std::string& refusal);
    // Moves an HTTP connection's slot to the WebSocket slots; false, with the reason in `refusal`
    // and the slot unchanged, when they are full.
    bool upgrade(Slot& slot, std::string& refusal);

    std::size_t http() const;
    std::size_t websockets() const;
    std::size_t from(const std::string& address) const;  // HTTP connections from `address`

private:
    void release(const Slot& slot);

    const Caps caps_;
    mutable std::mutex mutex_;
    std::size_t http_ = 0;
    std::size_t websockets_ = 0;
    std::map<std::string, std::size_t> by_address_;  // only addresses with HTTP connections open
};

}  // namespace evtwin::serve
