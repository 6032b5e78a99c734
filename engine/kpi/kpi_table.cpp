#include "kpi/kpi_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace evtwin {

namespace {

std::string format_value(const Kpi& k) {
    if (std::isnan(k.value)) return "n/a";
    char buf[64];
    if (std::isinf(k.value)) return k.value > 0 ? "inf" : "-inf";
    if (k.unit == "count")
        std::snprintf(buf, sizeof buf, "%.0f", k.value);
    else if (k.unit == "%")
        std::snprintf(buf, sizeof buf, "%.1f", k.value);
    else if (k.unit == "cycles" || k.unit == "ms")
        std::snprintf(buf, sizeof buf, "%.3f", k.value);
    else
        std::snprintf(buf, sizeof buf, "%.2f", k.value);  // kWh, kW, money
    // A negative zero after rounding prints without its sign.
    const bool negative_zero = buf[0] == '-' && std::strspn(buf + 1, "0.") == std::strlen(buf + 1);
    return negative_zero ? std::string(buf + 1) : std::string(buf);
}

}  // namespace

std::string format_kpi_table(const std::vector<Kpi>& kpis) {
    std::vector<std::string> values;
    std::size_t name_w = 3, value_w = 6;  // "KPI", "value "
    bool any_timing = false;
    for (const auto& k : kpis) {
        values.push_back(format_value(k) + (k.reproducible ? " " : "*"));
        name_w = std::max(name_w, k.name.size());
        value_w = std::max(value_w, values.back().size());
        any_timing = any_timing || !k.reproducible;
    }
    auto line = [&](const std::string& name, const std::string& value, const std::string& unit) {
        std::string l = name + std::string(name_w - name.size() + 2, ' ');
        l += std::string(value_w - value.size(), ' ') + value + "  " + unit;
        while (!l.empty() && l.back() == ' ') l.pop_back();
        return l + "\n";
    };
    std::string out = line("KPI", "value ", "unit");
    out += std::string(name_w, '-') + "  " + std::string(value_w, '-') + "  ----\n";
    for (std::size_t i = 0; i < kpis.size(); ++i) out += line(kpis[i].name, values[i], kpis[i].unit);
    if (any_timing)
        out += "* wall-clock measurement: differs between runs, not part of the reproducible results\n";
    return out;
}

}  // namespace evtwin
