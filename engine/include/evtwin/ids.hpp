#pragma once
// Identifiers shared by the engine and strategies. Indices are dense (0..n-1) so that strategies can
// keep per-connector or per-node arrays; kNone marks "no such thing".
#include <cstdint>

namespace evtwin {

using NodeIndex = std::uint32_t;
using ConnectorIndex = std::uint32_t;
using SessionId = std::uint32_t;

inline constexpr std::uint32_t kNone = 0xffffffffu;

// Kinds of node in the electrical tree of a site.
enum class NodeKind : std::uint8_t { grid, transformer, feeder, charger, connector };

// IEC 61851-1 control-pilot states of a connector.
enum class PilotState : std::uint8_t {
    A,  // no vehicle
    B,  // vehicle connected, not charging
    C,  // charging (or discharging)
    E,  // error: no power, short circuit
    F,  // fault of the charger
};

const char* to_string(NodeKind kind);
const char* to_string(PilotState state);

inline const char* to_string(NodeKind kind) {
    switch (kind) {
        case NodeKind::grid:
            return "grid";
        case NodeKind::transformer:
            return "transformer";
        case NodeKind::feeder:
            return "feeder";
        case NodeKind::charger:
            return "charger";
        case NodeKind::connector:
            return "connector";
    }
    return "?";
}

inline const char* to_string(PilotState state) {
    switch (state) {
        case PilotState::A:
            return "A";
        case PilotState::B:
            return "B";
        case PilotState::C:
            return "C";
        case PilotState::E:
            return "E";
        case PilotState::F:
            return "F";
    }
    return "?";
}

}  // namespace evtwin
