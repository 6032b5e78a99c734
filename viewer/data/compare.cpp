#include "viewer/data/compare.hpp"

#include <cmath>

namespace evtwin::viewer {

namespace {

std::optional<double> value_of(const std::vector<Kpi>& kpis, const std::string& name) {
    for (const auto& k : kpis)
        if (k.name == name) return std::isfinite(k.value) ? std::optional<double>(k.value) : std::nullopt;
    return std::nullopt;
}

}  // namespace

std::vector<KpiDelta> kpi_deltas(const std::vector<Kpi>& a, const std::vector<Kpi>& b) {
    std::vector<KpiDelta> out;
    const auto add = [&](const Kpi& k) {
        for (const auto& d : out)
            if (d.name == k.name) return;
        KpiDelta d{k.name, k.unit, value_of(a, k.name), value_of(b, k.name), {}, {}};
        if (d.a && d.b) {
            d.delta = *d.b - *d.a;
            if (*d.a != 0.0) d.relative = *d.delta / std::abs(*d.a);
        }
        out.push_back(std::move(d));
    };
    for (const auto& k : a) add(k);
    for (const auto& k : b) add(k);
    return out;
}

}  // namespace evtwin::viewer
