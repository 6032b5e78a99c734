#pragma once
// The distribution feeder's KPIs (docs/results-schema.md, "KPIs of a feeder"), gathered row by row
// as RunTotals gathers the site's: from the results database (read_feeder_totals) or as the run is
// written (KpiRecorder). A series' value counts once it has held for some time, so that a row
// replaced by another of the same instant (the file keeps the later) counts in neither, and both
// ways give the same KPIs to the last bit.
#include "model/feeder_spec.hpp"
#include "record/schema/records.hpp"

#include <evtwin/results.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace evtwin {

class RunReader;

struct FeederLimits {
    std::vector<double> v_min_pu, v_max_pu;  // per bus: its band
    std::vector<bool> transformer;           // per branch: a transformer (else a line)
};

FeederLimits feeder_limits(const FeederSpec& feeder);

class FeederTotals {
public:
    // `bound`: no row at or after it counts (the run's scheduled end, or less).
    FeederTotals(FeederLimits limits, Time bound);

    void feeder_row(Time t, const FeederSample& s);
    void voltage_row(Time t, std::uint32_t bus, int phase, double v_pu);
    void loading_row(Time t, std::uint32_t branch, double loading);
    void violation() { ++violations_; }

    // The feeder's KPIs of the run whose data ends at `end`, in feeder_kpi_names()' order.
    std::vector<Kpi> kpis(Time end) const;

private:
    struct Held {
        Time t;
        double value = 0.0;
        bool set = false;
    };
    // A value that held from its row's instant until `until`: part of the extremes when it held at all.
    struct Extremes {
        double low = 0.0, high = 0.0;
        bool any = false;
        void add(double v);
    };

    FeederLimits limits_;
    Time bound_;
    std::optional<std::pair<Time, FeederSample>> feeder_held_;
    double loss_kwh_ = 0.0, source_kwh_ = 0.0, load_kwh_ = 0.0;
    std::vector<Held> voltages_;  // by bus * 4 + phase
    Extremes voltage_;
    std::size_t out_of_band_ = 0;  // bus-phases whose held value is out of the band
    Time band_t_ = Time::min();    // the last instant out_of_band_ was brought to
    double out_of_band_hours_ = 0.0;
    std::vector<Held> loadings_;  // by branch
    Extremes line_loading_, transformer_loading_;
    // Buses whose voltage rows came at band_t_: their unbalance is taken once the instant is over.
    std::vector<std::uint32_t> touched_;
    double max_unbalance_ = 0.0;
    bool any_unbalance_ = false;
    // NEMA's unbalance of a three-phase bus from its held voltages (largest deviation from their
    // mean over the mean); negative for a bus without three phases.
    double unbalance(std::uint32_t bus) const;
    void take_unbalance(double& high, bool& any) const;
    std::size_t violations_ = 0;
};

// The names of the feeder's KPIs, which a run with a distribution feeder has after the others.
const std::vector<std::string>& feeder_kpi_names();

// The feeder totals of run `id` from its file (rows before `bound`); nullopt for a run without a feeder.
std::optional<FeederTotals> read_feeder_totals(const RunReader& reader, RunId id, Time bound);

}  // namespace evtwin
