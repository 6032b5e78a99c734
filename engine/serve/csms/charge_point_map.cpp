#include "serve/csms/charge_point_map.hpp"

namespace evtwin::serve {

ChargePointMap::ChargePointMap(const ScenarioSpec& spec, const Site& site)
    : by_connector_(site.connectors().size()) {
    // The site's connectors of each charger, in order.
    std::vector<std::vector<ConnectorIndex>> of_charger(spec.chargers.size());
    for (std::size_t c = 0; c < site.connectors().size(); ++c) {
        const std::size_t charger = site.connectors()[c].charger_spec;
        of_charger[charger].push_back(static_cast<ConnectorIndex>(c));
        by_connector_[c] = MappedConnector{"", 0, static_cast<ConnectorIndex>(c), &spec.chargers[charger]};
    }
    auto add = [&](const std::string& id, int number, ConnectorIndex c, std::size_t charger) {
        by_connector_[c] = MappedConnector{id, number, c, &spec.chargers[charger]};
        by_number_[{id, number}] = c;
    };
    if (spec.live.charge_points.empty()) {
        for (std::size_t ch = 0; ch < spec.chargers.size(); ++ch) {
            units_[spec.chargers[ch].name] = spec.chargers[ch].dc ? 'W' : 'A';
            int number = 0;
            for (ConnectorIndex c : of_charger[ch]) add(spec.chargers[ch].name, ++number, c, ch);
        }
        return;
    }
    for (const LiveChargePoint& cp : spec.live.charge_points) {
        units_[cp.id] = cp.unit;
        int number = 0;
        for (std::size_t ch : cp.chargers)
            for (ConnectorIndex c : of_charger[ch]) add(cp.id, ++number, c, ch);
    }
}

ConnectorIndex ChargePointMap::find(const std::string& charge_point, int number) const {
    const auto it = by_number_.find({charge_point, number});
    return it == by_number_.end() ? kNone : it->second;
}

std::vector<ConnectorIndex> ChargePointMap::connectors_of(const std::string& charge_point) const {
    std::vector<ConnectorIndex> out;
    for (auto it = by_number_.lower_bound({charge_point, 0});
         it != by_number_.end() && it->first.first == charge_point; ++it)
        out.push_back(it->second);
    return out;
}

std::vector<std::string> ChargePointMap::charge_points() const {
    std::vector<std::string> out;
    for (const auto& [id, unit] : units_) out.push_back(id);
    return out;
}

}  // namespace evtwin::serve
