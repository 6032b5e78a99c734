#include "kpi/feeder_totals.hpp"

#include "record/reader/run_reader.hpp"
#include "record/schema/sqlite_db.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace evtwin {

namespace {

double hours_between(Time from, Time to) {
    return static_cast<double>((to - from).ms()) / 3'600'000.0;
}

bool out_of(const FeederLimits& limits, std::uint32_t bus, double v_pu) {
    return v_pu < limits.v_min_pu.at(bus) || v_pu > limits.v_max_pu.at(bus);
}

}  // namespace

FeederLimits feeder_limits(const FeederSpec& feeder) {
    FeederLimits limits;
    for (std::size_t bus = 0; bus < feeder.network.buses.size(); ++bus) {
        const BusBand band = band_of(feeder, static_cast<int>(bus));
        limits.v_min_pu.push_back(band.v_min_pu);
        limits.v_max_pu.push_back(band.v_max_pu);
    }
    limits.transformer.assign(feeder.network.lines.size(), false);
    limits.transformer.resize(feeder.network.lines.size() + feeder.network.transformers.size(), true);
    return limits;
}

void FeederTotals::Extremes::add(double v) {
    low = any ? std::min(low, v) : v;
    high = any ? std::max(high, v) : v;
    any = true;
}

FeederTotals::FeederTotals(FeederLimits limits, Time bound) : limits_(std::move(limits)), bound_(bound) {
    loadings_.resize(limits_.transformer.size());
}

void FeederTotals::feeder_row(Time t, const FeederSample& s) {
    if (t >= bound_) return;
    if (feeder_held_ && t > feeder_held_->first) {
        const double h = hours_between(feeder_held_->first, t);
        loss_kwh_ += feeder_held_->second.loss_kw * h;
        source_kwh_ += feeder_held_->second.source_kw * h;
        load_kwh_ += feeder_held_->second.load_kw * h;
    }
    feeder_held_.emplace(t, s);
}

void FeederTotals::voltage_row(Time t, std::uint32_t bus, int phase, double v_pu) {
    if (t >= bound_) return;
    if (t > band_t_) {
        if (out_of_band_ > 0 && band_t_ != Time::min()) out_of_band_hours_ += hours_between(band_t_, t);
        take_unbalance(max_unbalance_, any_unbalance_);
        touched_.clear();
        band_t_ = t;
    }
    if (std::find(touched_.begin(), touched_.end(), bus) == touched_.end()) touched_.push_back(bus);
    const std::size_t key = std::size_t{bus} * 4 + static_cast<std::size_t>(phase);
    if (key >= voltages_.size()) voltages_.resize(key + 1);
    Held& held = voltages_[key];
    if (held.set) {
        if (t > held.t) voltage_.add(held.value);
        if (out_of(limits_, bus, held.value)) --out_of_band_;
    }
    held = Held{t, v_pu, true};
    if (out_of(limits_, bus, v_pu)) ++out_of_band_;
}

double FeederTotals::unbalance(std::uint32_t bus) const {
    double v[3];
    for (int phase = 1; phase <= 3; ++phase) {
        const std::size_t key = std::size_t{bus} * 4 + static_cast<std::size_t>(phase);
        if (key >= voltages_.size() || !voltages_[key].set) return -1.0;
        v[phase - 1] = voltages_[key].value;
    }
    const double mean = (v[0] + v[1] + v[2]) / 3.0;
    if (!(mean > 0.0)) return -1.0;
    return std::max({std::abs(v[0] - mean), std::abs(v[1] - mean), std::abs(v[2] - mean)}) / mean;
}

// The buses touched at band_t_ held their voltages from then on: their unbalance counts.
void FeederTotals::take_unbalance(double& high, bool& any) const {
    for (const std::uint32_t bus : touched_) {
        const double u = unbalance(bus);
        if (u < 0.0) continue;
        high = any ? std::max(high, u) : u;
        any = true;
    }
}

void FeederTotals::loading_row(Time t, std::uint32_t branch, double loading) {
    if (t >= bound_ || branch >= loadings_.size()) return;
    Held& held = loadings_[branch];
    if (held.set && t > held.t)
        (limits_.transformer[branch] ? transformer_loading_ : line_loading_).add(held.value);
    held = Held{t, loading, true};
}

std::vector<Kpi> FeederTotals::kpis(Time end) const {
    end = std::min(end, bound_);
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    double loss = loss_kwh_, source = source_kwh_, load = load_kwh_;
    if (feeder_held_ && end > feeder_held_->first) {
        const double h = hours_between(feeder_held_->first, end);
        loss += feeder_held_->second.loss_kw * h;
        source += feeder_held_->second.source_kw * h;
        load += feeder_held_->second.load_kw * h;
    }
    Extremes voltage = voltage_;
    for (const Held& held : voltages_)
        if (held.set && end > held.t) voltage.add(held.value);
    double max_unbalance = max_unbalance_;
    bool any_unbalance = any_unbalance_;
    if (band_t_ != Time::min() && end > band_t_) take_unbalance(max_unbalance, any_unbalance);
    double out_hours = out_of_band_hours_;
    if (out_of_band_ > 0 && band_t_ != Time::min() && end > band_t_) out_hours += hours_between(band_t_, end);
    Extremes line = line_loading_, transformer = transformer_loading_;
    for (std::size_t b = 0; b < loadings_.size(); ++b)
        if (loadings_[b].set && end > loadings_[b].t)
            (limits_.transformer[b] ? transformer : line).add(loadings_[b].value);
    const auto& names = feeder_kpi_names();
    return {Kpi{names[0], voltage.any ? voltage.low : nan, "pu"},
            Kpi{names[1], voltage.any ? voltage.high : nan, "pu"},
            Kpi{names[2], out_hours, "h"},
            Kpi{names[3], any_unbalance ? max_unbalance * 100.0 : nan, "%"},
            Kpi{names[4], transformer.any ? transformer.high * 100.0 : nan, "%"},
            Kpi{names[5], line.any ? line.high * 100.0 : nan, "%"},
            Kpi{names[6], loss, "kWh"},
            Kpi{names[7], source, "kWh"},
            Kpi{names[8], load, "kWh"},
            Kpi{names[9], static_cast<double>(violations_), "count"}};
}

const std::vector<std::string>& feeder_kpi_names() {
    // Keep in step with FeederTotals::kpis.
    static const std::vector<std::string> names = {"feeder_min_voltage",
                                                   "feeder_max_voltage",
                                                   "feeder_hours_out_of_band",
                                                   "feeder_max_unbalance",
                                                   "feeder_transformer_peak_loading",
                                                   "feeder_line_peak_loading",
                                                   "feeder_losses",
                                                   "feeder_source_energy",
                                                   "feeder_load_energy",
                                                   "feeder_violations"};
    return names;
}

std::optional<FeederTotals> read_feeder_totals(const RunReader& reader, RunId id, Time bound) {
    sqlite::Db db(reader.file(), sqlite::Db::Mode::read_only);
    sqlite::Stmt feeder(db, "SELECT 1 FROM feeders WHERE run_id = ?1");
    feeder.bind(1, id);
    if (!feeder.step()) return std::nullopt;
    FeederLimits limits;
    sqlite::Stmt buses(db, "SELECT v_min_pu, v_max_pu FROM feeder_buses WHERE run_id = ?1 ORDER BY bus");
    buses.bind(1, id);
    while (buses.step()) {
        limits.v_min_pu.push_back(buses.real(0));
        limits.v_max_pu.push_back(buses.real(1));
    }
    sqlite::Stmt branches(db, "SELECT kind FROM feeder_branches WHERE run_id = ?1 ORDER BY branch");
    branches.bind(1, id);
    while (branches.step()) limits.transformer.push_back(branches.text(0) == "transformer");
    FeederTotals totals(std::move(limits), bound);
    sqlite::Stmt series(db,
                        "SELECT t_ms, source_kw, source_kvar, load_kw, loss_kw FROM feeder_series "
                        "WHERE run_id = ?1 ORDER BY t_ms");
    series.bind(1, id);
    while (series.step())
        totals.feeder_row(Time(series.int64(0)),
                          FeederSample{series.real(1), series.real(2), series.real(3), series.real(4)});
    sqlite::Stmt voltages(db,
                          "SELECT t_ms, bus, phase, v_pu FROM bus_voltage_series WHERE run_id = ?1 "
                          "ORDER BY t_ms, bus, phase");
    voltages.bind(1, id);
    while (voltages.step())
        totals.voltage_row(Time(voltages.int64(0)), static_cast<std::uint32_t>(voltages.int64(1)),
                           static_cast<int>(voltages.int64(2)), voltages.real(3));
    sqlite::Stmt loadings(db,
                          "SELECT t_ms, branch, loading FROM branch_loading_series WHERE run_id = ?1 "
                          "ORDER BY t_ms, branch");
    loadings.bind(1, id);
    while (loadings.step())
        totals.loading_row(Time(loadings.int64(0)), static_cast<std::uint32_t>(loadings.int64(1)),
                           loadings.real(2));
    sqlite::Stmt violations(db, "SELECT count(*) FROM feeder_violations WHERE run_id = ?1");
    violations.bind(1, id);
    violations.step();
    for (std::int64_t k = violations.int64(0); k > 0; --k) totals.violation();
    return totals;
}

}  // namespace evtwin
