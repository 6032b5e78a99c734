// A sampledValue of a meter reading (1.6 and 2.0.1) read and its unit normalised (reconstruct.hpp).
#include "data/number_range.hpp"
#include "ocpp/payload_fields.hpp"
#include "ocpp/reconstruct.hpp"

#include <charconv>
#include <cmath>
#include <map>

namespace evtwin::ocpp {

using nlohmann::json;
using payload::integer;
using payload::str;

bool decode_sampled_value(const json& sv, MeterValue& v, std::string& error) {
    error.clear();
    v.measurand = str(sv, "measurand");
    if (v.measurand.empty()) v.measurand = "Energy.Active.Import.Register";
    v.phase = str(sv, "phase");
    v.location = str(sv, "location");
    v.context = str(sv, "context");
    if (str(sv, "format") == "SignedData") return false;
    const json value = sv.is_object() && sv.contains("value") ? sv["value"] : json();
    bool ok = value.is_number();
    if (ok) v.value = value.get<double>();
    if (value.is_string()) {
        const std::string& s = value.get_ref<const std::string&>();
        const auto r = std::from_chars(s.data(), s.data() + s.size(), v.value);
        ok = r.ec == std::errc() && r.ptr == s.data() + s.size();
    }
    if (!ok || !in_number_range(v.value)) {
        error =
            "expected a number within +-1e15 as sampled value of " + v.measurand + ", got " + value.dump();
        return false;
    }
    int multiplier = 0;
    v.unit = str(sv, "unit");
    if (sv.contains("unitOfMeasure")) {
        v.unit = str(sv["unitOfMeasure"], "unit");
        multiplier = static_cast<int>(integer(sv["unitOfMeasure"], "multiplier").value_or(0));
    }
    normalise_unit(v.unit, v.value, multiplier);
    if (!in_number_range(v.value)) {
        error = "expected a number within +-1e15 as sampled value of " + v.measurand + ", got " +
                value.dump() + " with multiplier " + std::to_string(multiplier);
        return false;
    }
    return true;
}

void normalise_unit(std::string& unit, double& value, int multiplier) {
    if (multiplier != 0) value *= std::pow(10.0, multiplier);
    if (unit.empty()) unit = "Wh";
    static const std::map<std::string, std::string, std::less<>> kilo = {
        {"Wh", "kWh"}, {"W", "kW"}, {"varh", "kvarh"}, {"var", "kvar"}, {"VA", "kVA"}};
    if (const auto it = kilo.find(unit); it != kilo.end()) {
        value /= 1000.0;
        unit = it->second;
    }
}

}  // namespace evtwin::ocpp
