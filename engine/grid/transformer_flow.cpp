#include "grid/transformer_flow.hpp"

#include <algorithm>
#include <cmath>

namespace evtwin::grid {

TransformerFlow transformer_flow(const Transformer& t, const NodeIndex& nodes,
                                 const std::vector<Complex>& v) {
    const Winding& w1 = t.windings[0];
    const Winding& w2 = t.windings[1];
    const auto b1 = element_branches(nodes, w1.terminal, w1.connection, t.phases, true);
    const auto b2 = element_branches(nodes, w2.terminal, w2.connection, t.phases, true);
    const double v1_rated = branch_volts(w1.kv, w1.connection, t.phases) * w1.tap;
    const double v2_rated = branch_volts(w2.kv, w2.connection, t.phases);
    const double n = v1_rated / (v2_rated * w2.tap);
    const Complex z = Complex{(w1.percent_r + w2.percent_r) / 100.0, t.percent_x / 100.0} * v2_rated *
                      v2_rated / (w2.kva * 1000.0 / t.phases);
    auto across = [&](const Branch& b) {
        return (b.p >= 0 ? v[b.p] : Complex{}) - (b.q >= 0 ? v[b.q] : Complex{});
    };
    TransformerFlow flow;
    for (int k = 0; k < t.phases; ++k) {
        const Complex v1 = across(b1[k]);
        const Complex v2 = across(b2[k]);
        const Complex into_winding2 = (v2 - v1 / n) / z;  // i2 of the unit model
        const Complex into_winding1 = -into_winding2 / n;
        flow.winding2_current_a.push_back(-into_winding2);
        flow.power_in_kva += v1 * std::conj(into_winding1) / 1000.0;
        flow.power_out_kva += v2 * std::conj(-into_winding2) / 1000.0;
    }
    flow.loading = std::max(std::abs(flow.power_in_kva), std::abs(flow.power_out_kva)) / w2.kva;
    return flow;
}

}  // namespace evtwin::grid
