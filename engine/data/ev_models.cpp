#include "data/ev_models.hpp"

#include "data/data_cache.hpp"
#include "data/json_file.hpp"

#include <cmath>

namespace evtwin {
namespace {

using OrderedJson = nlohmann::ordered_json;

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& path, const std::string& what) {
    throw DataError(file.string() + ": " + path + ": " + what);
}

double number_field(const std::filesystem::path& file, const OrderedJson& model, const std::string& path,
                    const char* key, bool required, double fallback) {
    const auto it = model.find(key);
    if (it == model.end()) {
        if (required) fail(file, path, std::string("missing field '") + key + "' (a number)");
        return fallback;
    }
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0.0) {
        fail(file, path + "." + key, "expected a non-negative number, got " + it->dump());
    }
    return it->get<double>();
}

// "yes"/"no" flag; absent -> nullopt-like -1.
int flag_field(const std::filesystem::path& file, const OrderedJson& model, const std::string& path,
               const char* key) {
    const auto it = model.find(key);
    if (it == model.end()) return -1;
    if (it->is_string() && it->get<std::string>() == "yes") return 1;
    if (it->is_string() && it->get<std::string>() == "no") return 0;
    fail(file, path + "." + key, "expected \"yes\" or \"no\", got " + it->dump());
}

std::vector<EvModel> read_ev_models(const std::filesystem::path& file) {
    const OrderedJson root = read_json_file<OrderedJson>(file);
    if (!root.is_object() || root.empty()) {
        throw DataError(file.string() + ": expected a JSON object of EV models keyed by name");
    }
    std::vector<EvModel> models;
    for (const auto& [name, spec] : root.items()) {
        const std::string path = "$[\"" + name + "\"]";
        if (!spec.is_object()) fail(file, path, "expected an object");
        EvModel m;
        m.vehicle.model = name;
        m.registrations = number_field(file, spec, path, "number_of_registrations", true, 0);
        m.vehicle.capacity_kwh = number_field(file, spec, path, "battery_capacity", true, 0);
        if (m.vehicle.capacity_kwh <= 0.0)
            fail(file, path + ".battery_capacity", "expected a capacity > 0 kWh");
        m.vehicle.max_ac_kw = number_field(file, spec, path, "max_ac_charge_power", true, 0);
        m.vehicle.max_dc_kw = number_field(file, spec, path, "max_dc_charge_power", false, 0);
        const double ac_dis = number_field(file, spec, path, "max_ac_discharge_power", false, 0);
        const double dc_dis = number_field(file, spec, path, "max_dc_discharge_power", false, 0);
        const int ac_flag = flag_field(file, spec, path, "ac_v2g");
        const int dc_flag = flag_field(file, spec, path, "dc_v2g");
        const bool ac_v2g = ac_dis > 0.0 && ac_flag != 0;
        const bool dc_v2g = dc_dis > 0.0 && dc_flag != 0;
        m.vehicle.v2g_allowed = ac_v2g || dc_v2g;
        m.vehicle.max_discharge_kw = ac_v2g ? ac_dis : (dc_v2g ? dc_dis : 0.0);

        if (const auto eff = spec.find("3ph_ch_efficiency"); eff != spec.end()) {
            if (!eff->is_array()) fail(file, path + ".3ph_ch_efficiency", "expected an array of percentages");
            double rated = 0.0;
            for (std::size_t i = 0; i < eff->size(); ++i) {
                const auto& e = (*eff)[i];
                if (!e.is_number() || e.get<double>() < 0.0 || e.get<double>() > 100.0) {
                    fail(file, path + ".3ph_ch_efficiency[" + std::to_string(i) + "]",
                         "expected a percentage in [0, 100], got " + e.dump());
                }
                if (e.get<double>() > 0.0) rated = e.get<double>();
            }
            if (rated > 0.0) m.vehicle.charge_efficiency = rated / 100.0;
        }
        models.push_back(std::move(m));
    }
    double total = 0.0;
    for (const auto& m : models) total += m.registrations;
    if (!(total > 0.0))
        throw DataError(file.string() + ": the models have no registrations to weight them by");
    return models;
}

}  // namespace

std::vector<EvModel> load_ev_models(const std::filesystem::path& file) {
    return DataCache::cached<std::vector<EvModel>>(cache_key("ev_models", file.string()),
                                                   [&] { return read_ev_models(file); });
}

const EvModel& draw_ev_model(const std::vector<EvModel>& models, Rng& rng) {
    double total = 0.0;
    for (const auto& m : models) total += m.registrations;
    double u = rng.uniform() * total;
    for (const auto& m : models) {
        if (u < m.registrations) return m;
        u -= m.registrations;
    }
    // Rounding left u at the very top: the last model with a weight.
    for (auto it = models.rbegin(); it != models.rend(); ++it) {
        if (it->registrations > 0.0) return *it;
    }
    return models.back();
}

}  // namespace evtwin
