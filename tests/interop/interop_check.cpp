#include "interop/interop_check.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <tuple>

namespace evtwin::test {

namespace {

using nlohmann::json;

// Values rebuilt from decimal text and powers of ten may differ from the script's in the last bit.
bool close_to(double a, double b) {
    return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)});
}

std::string number_text(double v) {
    if (std::isnan(v)) return "NULL";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.10g", v);
    return buffer;
}

double real_or_nan(const sqlite::Stmt& s, int col) {
    return s.is_null(col) ? std::numeric_limits<double>::quiet_NaN() : s.real(col);
}

// A row as the text that must match exactly and the numbers that must match within rounding.
struct Row {
    std::string key;
    std::vector<double> numbers;
    bool operator<(const Row& o) const { return std::tie(key, numbers) < std::tie(o.key, o.numbers); }
};

void compare_rows(const std::string& what, const std::vector<std::string>& names, std::vector<Row> got,
                  std::vector<Row> want, std::vector<std::string>& out) {
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    std::size_t g = 0, w = 0;
    while (g < got.size() || w < want.size()) {
        if (w == want.size() || (g < got.size() && got[g].key < want[w].key)) {
            out.push_back(what + " " + got[g++].key + ": rebuilt, but the script never played it");
        } else if (g == got.size() || want[w].key < got[g].key) {
            out.push_back(what + " " + want[w++].key + ": played, but not rebuilt");
        } else {
            for (std::size_t i = 0; i < names.size(); ++i)
                if (!close_to(got[g].numbers[i], want[w].numbers[i]))
                    out.push_back(what + " " + got[g].key + ": " + names[i] + " " +
                                  number_text(got[g].numbers[i]) + ", the script played " +
                                  number_text(want[w].numbers[i]));
            ++g;
            ++w;
        }
    }
}

std::string join(std::initializer_list<std::string> parts) {
    std::string s;
    for (const auto& p : parts) s += (s.empty() ? "" : "|") + p;
    return s;
}

const std::vector<std::string> kTransactionNumbers = {"start_ms", "stop_ms", "meter_start_wh",
                                                      "meter_stop_wh", "energy_kwh"};

void compare_import(sqlite::Db& db, std::int64_t id, const json& expected, std::vector<std::string>& out) {
    sqlite::Stmt s(db,
                   "SELECT frames, problems, transactions, checked_frames, invalid_frames FROM ocpp_imports "
                   "WHERE import_id = ?1");
    s.bind(1, id);
    if (!s.step()) {
        out.push_back("no import " + std::to_string(id) + " in " + db.file().string());
        return;
    }
    const std::int64_t frames = expected.at("frames");
    const std::int64_t checked =
        frames - expected.at("call_errors").get<std::int64_t>();  // a CALLERROR has no schema
    const std::vector<std::tuple<std::string, std::int64_t, std::int64_t>> counts = {
        {"frames", s.int64(0), frames},
        {"problems", s.int64(1), 0},
        {"transactions", s.int64(2), static_cast<std::int64_t>(expected.at("transactions").size())},
        {"frames checked against the schemas", s.is_null(3) ? -1 : s.int64(3), checked},
        {"invalid frames", s.is_null(4) ? -1 : s.int64(4), 0}};
    for (const auto& [name, got, want] : counts)
        if (got != want)
            out.push_back(name + ": " + std::to_string(got) + ", expected " + std::to_string(want));
    sqlite::Stmt p(db, "SELECT line, kind, message FROM ocpp_problems WHERE import_id = ?1 ORDER BY seq");
    p.bind(1, id);
    while (p.step())
        out.push_back("problem at line " + std::to_string(p.int64(0)) + ": " + p.text(1) + ": " + p.text(2));
}

void compare_transactions(sqlite::Db& db, std::int64_t id, const json& expected,
                          std::vector<std::string>& out) {
    std::vector<Row> got, want;
    sqlite::Stmt s(
        db,
        "SELECT cs, connector, transaction_id, id_tag, stop_reason, start_ms, stop_ms, meter_start_wh, "
        "meter_stop_wh, energy_kwh FROM ocpp_transactions WHERE import_id = ?1");
    s.bind(1, id);
    while (s.step())
        got.push_back({join({s.text(0), std::to_string(s.int64(1)), s.text(2), s.text(3), s.text(4)}),
                       {static_cast<double>(s.int64(5)), real_or_nan(s, 6), real_or_nan(s, 7),
                        real_or_nan(s, 8), real_or_nan(s, 9)}});
    for (const json& t : expected.at("transactions"))
        want.push_back({join({t.at("cs"), std::to_string(t.at("connector").get<int>()),
                              t.at("transaction_id"), t.at("id_tag"), t.at("stop_reason")}),
                        {t.at("start_ms"), t.at("stop_ms"), t.at("meter_start_wh"), t.at("meter_stop_wh"),
                         t.at("energy_kwh")}});
    compare_rows("transaction", kTransactionNumbers, std::move(got), std::move(want), out);
}

void compare_meter_values(sqlite::Db& db, std::int64_t id, const json& expected,
                          std::vector<std::string>& out) {
    std::vector<Row> got, want;
    sqlite::Stmt s(db,
                   "SELECT cs, connector, transaction_id, ts_ms, measurand, phase, context, unit, value "
                   "FROM ocpp_meter_values WHERE import_id = ?1");
    s.bind(1, id);
    while (s.step())
        got.push_back({join({s.text(0), std::to_string(s.int64(1)), s.text(2), std::to_string(s.int64(3)),
                             s.text(4), s.text(5), s.text(6), s.text(7)}),
                       {s.real(8)}});
    for (const json& v : expected.at("meterValues"))
        want.push_back({join({v.at("cs"), std::to_string(v.at("connector").get<int>()),
                              v.at("transaction_id"), std::to_string(v.at("ts_ms").get<std::int64_t>()),
                              v.at("measurand"), v.at("phase"), v.at("context"), v.at("unit")}),
                        {v.at("value")}});
    compare_rows("sampled value", {"value"}, std::move(got), std::move(want), out);
}

void compare_status(sqlite::Db& db, std::int64_t id, const json& expected, std::vector<std::string>& out) {
    std::vector<Row> got, want;
    sqlite::Stmt s(
        db, "SELECT cs, connector, ts_ms, status, error_code, fault FROM ocpp_status WHERE import_id = ?1");
    s.bind(1, id);
    while (s.step())
        got.push_back({join({s.text(0), std::to_string(s.int64(1)), std::to_string(s.int64(2)), s.text(3),
                             s.text(4), s.int64(5) ? "fault" : "ok"}),
                       {}});
    for (const json& v : expected.at("status"))
        want.push_back({join({v.at("cs"), std::to_string(v.at("connector").get<int>()),
                              std::to_string(v.at("ts_ms").get<std::int64_t>()), v.at("status"),
                              v.at("error_code"), v.at("fault").get<bool>() ? "fault" : "ok"}),
                        {}});
    compare_rows("status change", {}, std::move(got), std::move(want), out);
}

// (ts_ms, value) of one measurand of one transaction, in time order.
std::vector<std::pair<std::int64_t, double>> series(sqlite::Db& db, std::int64_t id, const std::string& cs,
                                                    const std::string& tx, const char* measurand,
                                                    const char* unit) {
    sqlite::Stmt s(
        db,
        "SELECT ts_ms, value FROM ocpp_meter_values WHERE import_id = ?1 AND cs = ?2 AND transaction_id = ?3 "
        "AND measurand = ?4 AND unit = ?5 AND phase = '' ORDER BY ts_ms, seq");
    s.bind(1, id)
        .bind(2, cs)
        .bind(3, tx)
        .bind(4, std::string_view(measurand))
        .bind(5, std::string_view(unit));
    std::vector<std::pair<std::int64_t, double>> out;
    while (s.step()) out.emplace_back(s.int64(0), s.real(1));
    return out;
}

}  // namespace

std::vector<std::string> interop_differences(sqlite::Db& db, std::int64_t import_id, const json& expected) {
    std::vector<std::string> out;
    compare_import(db, import_id, expected, out);
    compare_transactions(db, import_id, expected, out);
    compare_meter_values(db, import_id, expected, out);
    compare_status(db, import_id, expected, out);
    return out;
}

std::vector<std::string> physics_violations(sqlite::Db& db, std::int64_t import_id) {
    std::vector<std::string> out;
    sqlite::Stmt s(db,
                   "SELECT cs, transaction_id, start_ms, stop_ms, meter_start_wh, meter_stop_wh, energy_kwh "
                   "FROM ocpp_transactions WHERE import_id = ?1");
    s.bind(1, import_id);
    while (s.step()) {
        const std::string cs = s.text(0), tx = s.text(1), name = "transaction " + cs + "|" + tx + ": ";
        if (s.is_null(3) || s.is_null(4) || s.is_null(5) || s.is_null(6)) {
            out.push_back(name + "no stop, meter or energy");
            continue;
        }
        const std::int64_t start = s.int64(2), stop = s.int64(3);
        const double start_kwh = s.real(4) / 1000.0, stop_kwh = s.real(5) / 1000.0, energy = s.real(6);
        if (stop <= start) out.push_back(name + "stops before it starts");
        if (!close_to(energy, stop_kwh - start_kwh) || energy < 0)
            out.push_back(name + "energy " + number_text(energy) + " kWh is not meter stop − start");

        const auto registers = series(db, import_id, cs, tx, "Energy.Active.Import.Register", "kWh");
        double last = start_kwh;
        for (const auto& [ts, kwh] : registers) {
            if (ts < start || ts > stop) out.push_back(name + "register sampled outside the transaction");
            if (kwh < last - 1e-9)
                out.push_back(name + "energy register goes back to " + number_text(kwh) + " kWh");
            last = std::max(last, kwh);
        }
        if (!registers.empty() && !close_to(registers.back().second, stop_kwh))
            out.push_back(name + "last register " + number_text(registers.back().second) +
                          " kWh is not meter stop");

        // Each power sample is the power of the interval it closes.
        const auto power = series(db, import_id, cs, tx, "Power.Active.Import", "kW");
        double integral = 0;
        std::int64_t from = start;
        for (const auto& [ts, kw] : power) {
            integral += kw * static_cast<double>(ts - from) / 3.6e6;
            from = ts;
        }
        if (!power.empty() && std::abs(integral - energy) > 0.0005 * static_cast<double>(power.size()) + 1e-9)
            out.push_back(name + "power integrates to " + number_text(integral) + " kWh, the meter says " +
                          number_text(energy));
    }
    return out;
}

}  // namespace evtwin::test
