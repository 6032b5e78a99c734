#include "serve/net/connection_limits.hpp"

#include <utility>

namespace evtwin::serve {

ConnectionLimits::Slot::Slot(Slot&& other) noexcept
    : limits_(std::exchange(other.limits_, nullptr)),
      address_(std::move(other.address_)),
      websocket_(other.websocket_) {}

ConnectionLimits::Slot::~Slot() {
    if (limits_) limits_->release(*this);
}

std::optional<ConnectionLimits::Slot> ConnectionLimits::admit(const std::string& address,
                                                              std::string& refusal) {
    std::lock_guard lock(mutex_);
    if (http_ >= caps_.http) {
        refusal = "connection cap (" + std::to_string(caps_.http) + " HTTP connections)";
        return std::nullopt;
    }
    auto [it, added] = by_address_.try_emplace(address, 0);
    if (it->second >= caps_.per_address) {
        if (added) by_address_.erase(it);
        refusal = "per-address connection cap (" + std::to_string(caps_.per_address) + ")";
        return std::nullopt;
    }
    ++it->second;
    ++http_;
    return Slot(*this, address);
}

bool ConnectionLimits::upgrade(Slot& slot, std::string& refusal) {
    if (slot.websocket_ || !slot.limits_) return true;
    std::lock_guard lock(mutex_);
    if (websockets_ >= caps_.websocket) {
        refusal = "WebSocket connection cap (" + std::to_string(caps_.websocket) + ")";
        return false;
    }
    ++websockets_;
    --http_;
    const auto it = by_address_.find(slot.address_);
    if (--it->second == 0) by_address_.erase(it);
    slot.websocket_ = true;
    return true;
}

void ConnectionLimits::release(const Slot& slot) {
    std::lock_guard lock(mutex_);
    if (slot.websocket_) {
        --websockets_;
        return;
    }
    --http_;
    const auto it = by_address_.find(slot.address_);
    if (--it->second == 0) by_address_.erase(it);
}

std::size_t ConnectionLimits::http() const {
    std::lock_guard lock(mutex_);
    return http_;
}

std::size_t ConnectionLimits::websockets() const {
    std::lock_guard lock(mutex_);
    return websockets_;
}

std::size_t ConnectionLimits::from(const std::string& address) const {
    std::lock_guard lock(mutex_);
    const auto it = by_address_.find(address);
    return it == by_address_.end() ? 0 : it->second;
}

}  // namespace evtwin::serve
