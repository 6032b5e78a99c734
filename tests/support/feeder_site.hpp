#pragma once
// Runs on a distribution feeder in the tests: a site on a one-cable feeder with its voltages worked
// out by hand, a run under a test's own strategy, and a feeder bus-phase's recorded voltages read
// back from a run's database (bus_voltage_series).
#include <evtwin/run.hpp>
#include <evtwin/scenario.hpp>

#include "record/schema/sqlite_db.hpp"
#include "support/test_support.hpp"

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <numbers>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin::test {

// Writes `file`: a 0.4 kV substation and one cable of `r_ohm` per phase (no reactance, capacitance
// or coupling between phases, 100 A) to bus b, where transformer T of the site takes one 30 kW
// charger; one vehicle charges at 30 kW from 10:00 to 12:00 (2016-03-07, UTC; its battery far from
// full). `feeder_extra` goes inside distribution_feeder{} (statement at line 5), `after` at the end.
inline std::filesystem::path one_line_feeder(const std::filesystem::path& file, double r_ohm,
                                             const std::string& feeder_extra = "",
                                             const std::string& after = "") {
    const std::string r = std::to_string(r_ohm);
    return write_file(
        file,
        "scenario { name = \"one_line\", timezone = \"UTC\", start = \"2016-03-07\", duration = days(1) }\n"
        "grid {}\n"
        "local t = transformer { name = \"T\" }\n"
        "charger { name = \"CP\", parent = t, max_kw = 30, efficiency = 1 }\n"
        "distribution_feeder {\n"
        "  source = { bus1 = \"s\", basekv = 0.4, pu = 1 },\n"
        "  lines = { { name = \"cable\", bus1 = \"s\", bus2 = \"b\", r1 = " +
            r + ", x1 = 0, r0 = " + r +
            ", x0 = 0, c1 = 0, c0 = 0, length = 1, units = \"none\", normamps = 100 } },\n"
            "  sites = { { node = t, bus = \"b\" } },\n" +
            feeder_extra +
            "}\n"
            "tariff { prices_csv = data(\"prices/nl_day_ahead_2016.csv\"), timezone = \"Europe/Amsterdam\", "
            "price_scale = 0.001 }\n"
            "session { arrival = \"2016-03-07T10:00\", departure = \"2016-03-07T12:00\", requested_kwh = "
            "200,\n"
            "          capacity_kwh = 200, initial_soc = 0.1, max_ac_kw = 40 }\n" +
            after);
}

// Runs `scenario` with a test's own strategy object, recorded as `name`, into run.db beside it.
inline RunOutcome run_with(const std::filesystem::path& scenario, Strategy& strategy,
                           const std::string& name) {
    RunOptions options;
    options.strategy = name;
    options.strategy_object = &strategy;
    options.db = scenario.parent_path() / "run.db";
    return run_scenario(Scenario::load(scenario), options);
}

// That feeder's source, per phase: the 0.4 kV base, line to neutral (V_s).
inline constexpr double kOneLineSourceVolts = 400.0 / std::numbers::sqrt3;

// Bus b's phase voltage on that cable when each phase draws `phase_w` at unity power factor:
// V_b = V_s − R·I with I = P / V_b, so V_b² − V_s·V_b + R·P = 0.
inline double far_end_volts(double r_ohm, double phase_w) {
    const double vs = kOneLineSourceVolts;
    return (vs + std::sqrt(vs * vs - 4.0 * r_ohm * phase_w)) / 2.0;
}

// The same per unit of the source's voltage.
inline double far_end_pu(double r_ohm, double phase_w) {
    return far_end_volts(r_ohm, phase_w) / kOneLineSourceVolts;
}

struct Voltage {
    std::int64_t t_ms;
    double v_pu;
};

// bus_voltage_series of bus `bus` (by name), phase `phase`, in time order.
inline std::vector<Voltage> voltages(const std::filesystem::path& db_file, const std::string& bus,
                                     int phase) {
    sqlite::Db db(db_file, sqlite::Db::Mode::read_only);
    sqlite::Stmt st(
        db,
        "SELECT v.t_ms, v.v_pu FROM bus_voltage_series v JOIN feeder_buses b ON b.run_id = v.run_id "
        "AND b.bus = v.bus WHERE b.name = ?1 AND v.phase = ?2 ORDER BY v.t_ms");
    st.bind(1, std::string_view(bus)).bind(2, std::int64_t{phase});
    std::vector<Voltage> out;
    while (st.step()) out.push_back({st.int64(0), st.real(1)});
    return out;
}

}  // namespace evtwin::test
