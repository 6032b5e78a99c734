#pragma once
// What a strategy answers: a grid-side power setpoint per connector and one for the stationary
// battery. Positive charges, negative discharges (V2G, ESS discharge). A connector setpoint is the
// most the charger may draw (as an OCPP charging limit): a vehicle may take less.
#include <vector>

namespace evtwin {

struct Decision {
    std::vector<double> connector_kw;  // one per connector, indexed by ConnectorIndex
    double ess_kw = 0.0;
};

}  // namespace evtwin
