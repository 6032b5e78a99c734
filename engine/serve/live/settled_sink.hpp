#pragma once
// The sink of a live run, which writes its rows once the meters have settled them. Between two
// register readings a connector drew the register's rise over the span, which is known only at the
// second reading; until then the twin's estimate (its last power sample, or a rise over an earlier
// span) serves the strategy, and the rows wait. Everything the twin reports goes on to the run's
// sink in time order up to the earliest instant that some metered connector has not settled, so
// each connector's series integrates to its register and the site's rows (each the vehicles'
// average over the span to the next) to their sum: the run's grid import, export and energy are
// the meters'. A connector whose meter stays silent longer than kLongestMeterWait has its rows
// written as estimated.
#include "core/run_sink.hpp"
#include "core/site_recorder.hpp"
#include "model/site.hpp"

#include <evtwin/time.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <variant>
#include <vector>

namespace evtwin::serve {

// A charger may draw this much above its limit or rating before it counts as exceeding it (meters
// and the ramp to a new limit are not exact).
inline constexpr double kMeterGraceKw = 0.5;

// A register's rise gives a power only over at least this span. Registers count in steps of 1 to
// 100 Wh and a reading's time is when it arrived, so over a shorter span the quotient is mostly the
// step and the network's jitter (10 Wh over 30 s is 1.2 kW; over 1 s it would be 36 kW), and a
// burst of readings queued while a charger was offline arrives within milliseconds.
inline constexpr Duration kMinRiseSpan = Duration::seconds(30);

// How long rows wait for a connector's next reading: OCPP's longest usual meter interval.
inline constexpr Duration kLongestMeterWait = Duration::minutes(15);

// What a connector's meter is: its rating (a rise faster than it, beyond the grace, waits for one
// more reading) and the charger's efficiency between the grid and the meter.
struct MeteredConnector {
    double rating_kw = 0.0;
    double efficiency = 1.0;
};

// The grid-side power of a connector whose meter reads `meter_kw`: a charge draws more than the
// meter counts, a discharge gives less.
double grid_side_kw(double meter_kw, double efficiency);

class SettledSink final : public RunSink {
public:
    // `connectors` per ConnectorIndex of `site`; `out` the run's sink.
    SettledSink(const Site& site, RunSink& out, std::vector<MeteredConnector> connectors);

    // A register reading of c at t: `meter_kwh` what its meter has counted (any origin; net of its
    // export for a V2G charger). The span since its last settling reading, if at least kMinRiseSpan
    // long and within the rating (or whatever it is when `closing`: the session's last, or when it
    // went on from an earlier reading already), is settled at its average power. The first reading
    // of a session only marks where its rise is counted from.
    void reading(Time t, ConnectorIndex c, double meter_kwh, bool closing = false);
    // c waits for no reading from now on (its session ended).
    void unmetered(ConnectorIndex c);
    // The site's row at t besides its vehicles: per node the batteries' and fixed flows, and the
    // sample without the vehicles (ev_kw 0, grid_kw what the rest imports). Their flows are added
    // from the connectors' settled rows.
    void site(Time t, std::span<const double> other_flows, const SiteSample& other);
    // Passes on what is settled by `now`, and what waited kLongestMeterWait.
    void release(Time now);

    // RunSink: connector_sample waits to be settled (its power is the twin's estimate); every call
    // with an instant waits its turn; the run's end passes on everything.
    void begin_run(const RunInfo& info, const ScenarioSpec& spec) override { out_.begin_run(info, spec); }
    void site_sample(Time t, const SiteSample& s) override;
    void node_sample(Time t, NodeIndex node, double flow_kw) override;
    void ess_sample(Time t, std::uint32_t ess, double grid_kw, double soc) override;
    void connector_sample(Time t, ConnectorIndex c, double grid_kw, double soc, PilotState state) override;
    void session_end(const SessionRecord& r) override;
    void event(Time t, EventKind kind, ConnectorIndex c, SessionId session, std::string_view detail) override;
    void violation(Time t, const Violation& v) override;
    void decision_time(Time t, double seconds) override;
    void battery_health(const BatteryUsage& u) override;
    void bus_voltage(Time t, std::uint32_t bus, int phase, double v_pu) override;
    void branch_loading(Time t, std::uint32_t branch, double loading) override;
    void feeder_sample(Time t, const FeederSample& s) override;
    void feeder_violation(Time t, const FeederViolation& v) override;
    void flush() override { out_.flush(); }
    void end_run(Time end, bool interrupted) override;

private:
    struct ConnectorRow {
        ConnectorIndex c;
        double kw;
        double soc;
        PilotState state;
    };
    struct SiteRow {
        std::vector<double> other_flows;
        SiteSample other;
    };
    using Call = std::function<void(RunSink&)>;
    struct Entry {
        Time t;
        std::variant<ConnectorRow, SiteRow, Call> what;
    };
    struct Mark {
        Time t;
        double kwh = 0.0;
        bool went_on = false;  // the span from it rose too fast once, and waited for the next reading
    };

    void wait(Time t, Call call);
    // Passes on the entries before `until` (the settled), knowing every entry before `known`; at the
    // run's end (`all`) every one.
    void release_until(Time until, Time known, bool all);
    void pass_on_front();
    void write(Time t, const ConnectorRow& row);
    // The row's power into `connector_kw` (per connector) and its change into `flow_kw` (per node
    // above it, and the total last).
    void apply(const ConnectorRow& row, std::vector<double>& connector_kw,
               std::vector<double>& flow_kw) const;
    // The site row from `start`, the vehicles' flows averaged over the span to `end`: the settled
    // rows of the first `upto` waiting entries, the last held to `end`.
    void write_site(Time start, const SiteRow& row, Time end, std::size_t upto);

    const Site& site_;
    RunSink& out_;
    SiteRecorder recorder_;
    std::vector<MeteredConnector> meters_;
    std::deque<Entry> waiting_;                           // by time
    std::uint64_t first_seq_ = 0;                         // the sequence number of waiting_.front()
    std::vector<std::vector<std::uint64_t>> since_mark_;  // per connector: its waiting rows since its mark
    std::vector<std::optional<Mark>> marks_;              // per connector: its last reading; none: unmetered
    // Passed on so far: each connector's power, and the vehicles' flow through each node (the last
    // entry: all of them).
    std::vector<double> settled_kw_;
    std::vector<double> ev_flow_kw_;
    std::optional<std::pair<Time, SiteRow>> open_site_;  // passed on but not yet written, from its instant
    std::vector<double> flows_;                          // scratch, per node
};

}  // namespace evtwin::serve
