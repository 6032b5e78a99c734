#pragma once
// A finished session as its charge detail record, as `evtwin ocpi export` and the live endpoints both
// write it: the session's ids, token and charging periods; the place given with the session's EVSE
// and connector and the connector's kind; the costs priced for it; its energy (the session's kWh), its
// time from start to `end` and its parking time (its periods' PARKING_TIME).
#include "ocpi/format/connector_kind.hpp"
#include "ocpi/format/objects.hpp"
#include "ocpi/format/tariff_pricing.hpp"

namespace evtwin::ocpi {

Cdr cdr_of_session(const Session& session, Time end, const SessionCosts& costs, CdrLocation place,
                   const ConnectorKind& kind);

}  // namespace evtwin::ocpi
