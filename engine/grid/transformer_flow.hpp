#pragma once
// The power through a transformer bank and its loading, from a power flow's node voltages (the
// unit model of grid/nodal_admittance.hpp).
#include "grid/complex_matrix.hpp"
#include "grid/network.hpp"
#include "grid/nodal_admittance.hpp"

#include <vector>

namespace evtwin::grid {

struct TransformerFlow {
    std::vector<Complex> winding2_current_a;  // per unit, out of winding 2 into its bus
    Complex power_in_kva;                     // into winding 1 from its bus
    Complex power_out_kva;                    // out of winding 2 into its bus
    double loading = 0.0;                     // the larger of |power in| and |power out| over the rating
    Complex loss_kva() const { return power_in_kva - power_out_kva; }
};

TransformerFlow transformer_flow(const Transformer& transformer, const NodeIndex& nodes,
                                 const std::vector<Complex>& v);

}  // namespace evtwin::grid
