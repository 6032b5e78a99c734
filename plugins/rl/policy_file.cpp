#include "plugins/rl/policy_file.hpp"

#include "plugins/json_support/checked_get.hpp"

#include <unistd.h>
#include <fstream>
#include <iterator>
#include <sstream>

namespace evtwin::rl {

void write_policy_file(const std::filesystem::path& file, const PolicyFile& content) {
    const std::filesystem::path tmp = file.string() + ".tmp" + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw PolicyFileError(file.string() + ": cannot write (" + tmp.string() + ")");
        out << kPolicyMagic << '\n' << content.header.dump() << '\n';
        out.write(content.archive.data(), static_cast<std::streamsize>(content.archive.size()));
        out.flush();
        if (!out) throw PolicyFileError(file.string() + ": write failed (disk full?)");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw PolicyFileError(file.string() + ": cannot replace the file");
    }
}

PolicyFile read_policy_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw PolicyFileError(file.string() + ": cannot open the policy file");
    return parse_policy_file(in, file);
}

PolicyFile parse_policy_file(std::istream& in, const std::filesystem::path& file) {
    std::string magic;
    std::getline(in, magic);
    if (magic == "evtwin-rl-policy 1")
        throw PolicyFileError(file.string() +
                              ":1: policy file format 1, from an older evtwin: its observation has no demand "
                              "features (expected '" +
                              kPolicyMagic + "'); train the policy again");
    const bool readable =
        magic == kPolicyMagic || magic == kPolicyMagic4 || magic == kPolicyMagic3 || magic == kPolicyMagic2;
    const std::string family = "evtwin-rl-policy ";
    if (!readable && magic.starts_with(family))
        throw PolicyFileError(file.string() + ":1: policy file format " + magic.substr(family.size()) +
                              ", which this evtwin does not read (it reads formats 2 to 5: '" + kPolicyMagic +
                              "'); a newer evtwin wrote it?");
    if (!readable)
        throw PolicyFileError(file.string() + ":1: not an evtwin policy file (expected the first line '" +
                              kPolicyMagic + "'; write one with `evtwin train`)");
    std::string header_line;
    if (!std::getline(in, header_line))
        throw PolicyFileError(file.string() + ":2: truncated (no header line)");
    PolicyFile pf;
    try {
        pf.header = nlohmann::json::parse(header_line);
    } catch (const nlohmann::json::exception& e) {
        throw PolicyFileError(file.string() + ":2: header is not valid JSON (" + e.what() + ")");
    }
    if (!pf.header.is_object()) throw PolicyFileError(file.string() + ":2: header: expected a JSON object");
    pf.archive.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (pf.archive.empty())
        throw PolicyFileError(file.string() + ": truncated (no network weights after the header)");
    return pf;
}

nlohmann::json layout_to_json(const ObsLayout& l) {
    return {{"charger_kw", l.charger_kw},
            {"action_low", l.action_low},
            {"limited_nodes", l.limited_nodes},
            {"window", l.window},
            {"price_scale", l.price_scale},
            {"power_scale_kw", l.power_scale_kw},
            {"departure_scale_ms", l.departure_scale.ms()},
            {"timezone", l.timezone},
            {"has_ess", l.has_ess},
            {"ess_charge_kw", l.ess_charge_kw},
            {"ess_discharge_kw", l.ess_discharge_kw},
            {"safety", safety_layer_name(l.safety)},
            {"safety_margin_ms", l.safety_margin.ms()},
            {"site_cap", l.site_cap},
            {"cap_below_peak", l.cap_below_peak},
            {"bill_clock", l.bill_clock},
            {"ev_demand", l.ev_demand}};
}

ObsLayout layout_from_json(const nlohmann::json& j, const std::filesystem::path& file) {
    ObsLayout l;
    const char* key = "";
    auto get = [&](const char* k, auto& v) {
        key = k;
        v = json_support::checked_get<std::decay_t<decltype(v)>>(j.at(k));
    };
    try {
        if (!j.is_object()) throw PolicyFileError(file.string() + ": header /layout: expected an object");
        get("charger_kw", l.charger_kw);
        get("action_low", l.action_low);
        get("limited_nodes", l.limited_nodes);
        get("window", l.window);
        get("price_scale", l.price_scale);
        get("power_scale_kw", l.power_scale_kw);
        std::int64_t departure_ms = 0;
        get("departure_scale_ms", departure_ms);
        l.departure_scale = Duration::milliseconds(departure_ms);
        get("timezone", l.timezone);
        get("has_ess", l.has_ess);
        get("ess_charge_kw", l.ess_charge_kw);
        get("ess_discharge_kw", l.ess_discharge_kw);
        key = "safety";  // files from before the safety layer decoded without one
        l.safety = j.contains("safety") ? safety_layer_from_name(j.at("safety").get<std::string>())
                                        : SafetyLayer::none;
        key = "safety_margin_ms";
        l.safety_margin = Duration(j.contains("safety_margin_ms")
                                       ? json_support::checked_get<std::int64_t>(j.at("safety_margin_ms"))
                                       : 0);
        get("site_cap", l.site_cap);
        key = "cap_below_peak";  // format 2: the cap from the peak up
        l.cap_below_peak = j.value("cap_below_peak", false);
        key = "bill_clock";  // formats 2 and 3: no bill clock
        l.bill_clock = j.value("bill_clock", false);
        key = "ev_demand";  // formats 2 to 4: no EV demand forecast
        l.ev_demand = j.value("ev_demand", false);
    } catch (const std::invalid_argument& e) {
        throw PolicyFileError(file.string() + ": header /layout/safety: " + e.what());
    } catch (const nlohmann::json::exception&) {
        throw PolicyFileError(file.string() + ": header /layout/" + key + ": missing or of the wrong type");
    }
    if (l.action_low.size() != l.action_size())
        throw PolicyFileError(file.string() + ": header /layout/action_low: expected " +
                              std::to_string(l.action_size()) + " entries (connectors + ESS" +
                              (l.site_cap ? " + site cap)" : ")"));
    if (l.window < 1 || l.window > 1000)  // the option window's range
        throw PolicyFileError(file.string() + ": header /layout/window: expected 1 to 1000 control periods");
    if (!(l.price_scale > 0.0) || !(l.power_scale_kw > 0.0) || l.departure_scale.ms() <= 0)
        throw PolicyFileError(file.string() + ": header /layout: scales must be positive");
    for (double kw : l.charger_kw)
        if (!(kw > 0.0))
            throw PolicyFileError(file.string() + ": header /layout/charger_kw: ratings must be positive");
    return l;
}

}  // namespace evtwin::rl
