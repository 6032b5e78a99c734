#pragma once
// What the central system keeps of one charge point's connection (central_system.cpp and the
// files beside it).
#include "serve/csms/central_system.hpp"

#include <map>
#include <string>

namespace evtwin::serve {

// One connector (1.6) or EVSE (2.0.1) of a connected charge point.
struct ConnectorLink {
    ConnectorIndex connector = kNone;
    char unit = 'A';                  // the unit its profiles go out in; the other one after a refusal
    bool unit_switched = false;       // its first unit was refused: the other one is used
    bool tx_profile_refused = false;  // then TxDefaultProfile carries its limit
    bool refusal_retried = false;     // a TxProfile of the open transaction was refused and sent again
    std::string transaction_id;       // the open transaction, "" when none
    std::optional<double> sent_kw;    // the limit last sent for the open transaction
    double accepted_kw = -1.0;        // the limit last accepted (< 0: none yet)
    Time accepted_at;                 // when it was accepted
    bool ignored_reported = false;    // a violation is recorded once per limit
    // Charging needs the vehicle declared before its transaction started (ISO 15118 talks before
    // the power path closes): they become the transaction's when it starts.
    std::optional<SessionIntent> pending_needs;
};

struct CentralSystem::Link {
    std::string id;
    OcppVersion version = OcppVersion::v16;
    std::shared_ptr<WsConnection> ws;
    PendingCalls calls;
    std::mutex mutex;                         // guards connectors and station_max_kw
    std::map<int, ConnectorLink> connectors;  // by connectorId / evseId
    std::optional<double> station_max_kw;     // the station maximum last sent
    bool decide_now = false;                  // a vehicle came or left: decide at once
};

}  // namespace evtwin::serve
