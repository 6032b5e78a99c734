#pragma once
// A feeder bus-phase's recorded voltages, read back from a run's database (bus_voltage_series).
#include "record/schema/sqlite_db.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin::test {

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
