// What a 2.1 station can do with a discharge: OCPP 2.1's device model names each EVSE's
// V2XChargingCtrlr.SupportedOperationModes. A discharge goes out as a CentralSetpoint profile, so
// an EVSE whose modes leave it out is sent none (the decision becomes zero and a
// discharge_unsupported violation, as for 1.6 and 2.0.1). An EVSE that does not say is taken to
// take it, as the 2.1 station it is.
#include "serve/csms/central_system.hpp"

#include "serve/csms/central_system_link.hpp"

namespace evtwin::serve {

using nlohmann::json;

namespace {

constexpr const char* kComponent = "V2XChargingCtrlr";
constexpr const char* kVariable = "SupportedOperationModes";

bool lists_central_setpoint(const std::string& modes) {
    std::size_t from = 0;
    while (from <= modes.size()) {
        const std::size_t comma = std::min(modes.find(',', from), modes.size());
        std::size_t a = from, b = comma;
        while (a < b && modes[a] == ' ') ++a;
        while (b > a && modes[b - 1] == ' ') --b;
        if (modes.compare(a, b - a, "CentralSetpoint") == 0) return true;
        from = comma + 1;
    }
    return false;
}

}  // namespace

void CentralSystem::ask_operation_modes(const std::shared_ptr<Link>& link) {
    json asked = json::array();
    {
        std::lock_guard lock(link->mutex);
        for (const auto& [number, cl] : link->connectors)
            asked.push_back({{"component", {{"name", kComponent}, {"evse", {{"id", number}}}}},
                             {"variable", {{"name", kVariable}}}});
    }
    if (asked.empty()) return;
    send_call(link, "GetVariables", {{"getVariableData", asked}},
              [this, link](const json* result, const RpcError*) {
                  if (!result || !result->contains("getVariableResult")) return;
                  const Time now = clock_.now();
                  for (const json& r : (*result)["getVariableResult"]) {
                      const json& component = r["component"];
                      if (component.value("name", "") != kComponent || !component.contains("evse") ||
                          r["variable"].value("name", "") != kVariable ||
                          r.value("attributeStatus", "") != "Accepted")
                          continue;
                      const int number = component["evse"].value("id", 0);
                      ConnectorIndex c = kNone;
                      {
                          std::lock_guard lock(link->mutex);
                          const auto it = link->connectors.find(number);
                          if (it != link->connectors.end()) c = it->second.connector;
                      }
                      if (c == kNone) continue;
                      const std::string modes = r.value("attributeValue", "");
                      const bool setpoints = lists_central_setpoint(modes);
                      {
                          std::lock_guard lock(links_mutex_);
                          central_setpoint_[link->id][number] = setpoints;
                      }
                      twin_.set_discharge_profiles(c, setpoints);
                      if (!setpoints)
                          twin_.note(now, c,
                                     "operation modes of " + link->id + "/" + std::to_string(number) + ": " +
                                         modes + ", no CentralSetpoint: no discharge is sent");
                  }
              });
}

}  // namespace evtwin::serve
