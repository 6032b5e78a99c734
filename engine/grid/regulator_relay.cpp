#include "grid/regulator_relay.hpp"

#include <evtwin/errors.hpp>

namespace evtwin::grid {

Complex regulator_relay_volts(const Network& network, const PowerFlowSolution& solution,
                              const RegulatorControl& regulator) {
    for (std::size_t t = 0; t < network.transformers.size(); ++t) {
        const Transformer& transformer = network.transformers[t];
        if (transformer.name != regulator.transformer) continue;
        if (regulator.winding != 2 || t >= solution.transformers.size())
            throw DataError("RegControl." + regulator.name +
                            ": only a regulator controlling its winding 2 is supported");
        const Winding& winding = transformer.windings[1];
        const auto volts = solution.volts(winding.terminal.bus, winding.terminal.conductors[0]);
        if (!volts || winding.connection != Connection::wye || winding.terminal.conductors[0] == 0)
            throw DataError("RegControl." + regulator.name + ": its winding 2 is not from a phase to ground");
        const Complex line_current = solution.transformers[t].winding2_current_a[0];
        return *volts / regulator.pt_ratio -
               Complex{regulator.r_volts, regulator.x_volts} * line_current / regulator.ct_primary_a;
    }
    throw DataError("RegControl." + regulator.name + ": no Transformer named '" + regulator.transformer +
                    "'");
}

}  // namespace evtwin::grid
