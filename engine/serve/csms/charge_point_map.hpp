#pragma once
// Which of the site's connectors a charge point's connector (OCPP 1.6 connectorId, 2.0.1 evseId)
// is, from the scenario's live{} block; without one, every charger is a charge point of its own
// name whose connectors are numbered from 1 (docs/live.md).
#include "model/scenario_spec.hpp"
#include "model/site.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace evtwin::serve {

struct MappedConnector {
    std::string charge_point;  // "" for a connector no charge point maps
    int number = 0;            // connectorId / evseId, from 1
    ConnectorIndex connector = kNone;
    const ChargerSpec* charger = nullptr;
};

class ChargePointMap {
public:
    ChargePointMap(const ScenarioSpec& spec, const Site& site);

    bool knows(const std::string& charge_point) const { return units_.count(charge_point) != 0; }
    // kNone for a charge point or a number it does not have.
    ConnectorIndex find(const std::string& charge_point, int number) const;
    const MappedConnector& at(ConnectorIndex c) const { return by_connector_[c]; }
    // The unit its profiles are sent in first ('A' or 'W').
    char unit(const std::string& charge_point) const { return units_.at(charge_point); }
    // The site's connectors of one charge point, by number.
    std::vector<ConnectorIndex> connectors_of(const std::string& charge_point) const;
    std::vector<std::string> charge_points() const;

private:
    std::vector<MappedConnector> by_connector_;  // indexed by ConnectorIndex
    std::map<std::pair<std::string, int>, ConnectorIndex> by_number_;
    std::map<std::string, char> units_;
};

}  // namespace evtwin::serve
