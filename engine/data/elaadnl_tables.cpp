#include "data/elaadnl_tables.hpp"

#include "data/csv.hpp"
#include "data/data_cache.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

namespace evtwin {
namespace {

// "HH:MM" -> minute of the day, or nullopt.
std::optional<int> parse_clock(const std::string& s) {
    if (s.size() != 5 || s[2] != ':') return std::nullopt;
    for (int i : {0, 1, 3, 4}) {
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
    }
    const int h = (s[0] - '0') * 10 + (s[1] - '0');
    const int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59) return std::nullopt;
    return h * 60 + m;
}

// Fills the gaps of a circular sequence linearly between the nearest known neighbours.
void fill_circular(std::vector<std::optional<double>>& v, const std::filesystem::path& file,
                   const std::string& column) {
    const std::size_t n = v.size();
    std::vector<std::size_t> known;
    for (std::size_t i = 0; i < n; ++i) {
        if (v[i]) known.push_back(i);
    }
    if (known.empty()) throw DataError(file.string() + ": column '" + column + "' has no values");
    for (std::size_t i = 0; i < n; ++i) {
        if (v[i]) continue;
        // known is sorted: the next known slot after i (wrapping) and the one before it.
        auto next_it = std::upper_bound(known.begin(), known.end(), i);
        const std::size_t next = next_it == known.end() ? known.front() : *next_it;
        const std::size_t prev = next_it == known.begin() ? known.back() : *(next_it - 1);
        const std::size_t d_prev = (i + n - prev) % n;
        const std::size_t d_next = (next + n - i) % n;
        const double a = *v[prev];
        const double b = *v[next];
        v[i] = prev == next
                   ? a
                   : a + (b - a) * static_cast<double>(d_prev) / static_cast<double>(d_prev + d_next);
    }
}

std::string mean_column(const std::string& site_type) {
    if (site_type == "private") return "home";
    if (site_type == "workplace") return "work";
    return site_type;
}

}  // namespace

SlotTable read_slot_table(const std::filesystem::path& file, const std::string& column) {
    const CsvTable csv = CsvTable::read(file);
    const std::size_t col = csv.column(column);
    std::vector<int> minutes(csv.rows());
    int step = 1440;
    for (std::size_t r = 0; r < csv.rows(); ++r) {
        const auto m = parse_clock(csv.text(r, 0));
        if (!m)
            csv.fail(r, "expected a clock time HH:MM in column '" + csv.header()[0] + "', got '" +
                            csv.text(r, 0) + "'");
        minutes[r] = *m;
        step = std::gcd(step, *m);
    }
    if (csv.rows() == 0) throw DataError(file.string() + ": no rows");
    SlotTable table;
    table.slot_minutes = step;
    std::vector<std::optional<double>> values(static_cast<std::size_t>(1440 / step));
    std::vector<bool> seen(values.size(), false);
    for (std::size_t r = 0; r < csv.rows(); ++r) {
        const auto slot = static_cast<std::size_t>(minutes[r] / step);
        if (seen[slot]) csv.fail(r, "duplicate time slot '" + csv.text(r, 0) + "'");
        seen[slot] = true;
        if (csv.text(r, col).find_first_not_of(" \t") == std::string::npos) continue;  // empty: interpolated
        const double x = csv.number(r, col);
        if (x < 0.0)
            csv.fail(r, "expected a value >= 0 in column '" + column + "', got '" + csv.text(r, col) + "'");
        values[slot] = x;
    }
    fill_circular(values, file, column);
    table.values.reserve(values.size());
    for (const auto& v : values) table.values.push_back(*v);
    return table;
}

QuantileShape QuantileShape::read(const std::filesystem::path& file, const std::string& column) {
    const CsvTable csv = CsvTable::read(file);
    const std::size_t col = csv.column(column);
    QuantileShape shape;
    for (std::size_t r = 0; r < csv.rows(); ++r) {
        const double p = csv.number(r, 0) / 100.0;
        const double x = csv.number(r, col);
        if (!shape.exceed_.empty() && p <= shape.exceed_.back()) {
            csv.fail(r, "expected the percentages in column '" + csv.header()[0] + "' to increase");
        }
        if (x < 0.0 || (!shape.values_.empty() && x > shape.values_.back() + 1e-9)) {
            csv.fail(r, "expected non-negative values that do not increase in column '" + column +
                            "', got '" + csv.text(r, col) + "'");
        }
        shape.exceed_.push_back(p);
        shape.values_.push_back(x);
    }
    if (shape.exceed_.size() < 2 || shape.exceed_.front() != 0.0 || shape.exceed_.back() != 1.0) {
        throw DataError(file.string() + ": expected rows from 0 to 100 percent of charging events");
    }
    // Mean of the linear interpolation under a uniform p: the trapezoid rule is exact.
    double area = 0.0;
    for (std::size_t i = 0; i + 1 < shape.exceed_.size(); ++i) {
        area += 0.5 * (shape.values_[i] + shape.values_[i + 1]) * (shape.exceed_[i + 1] - shape.exceed_[i]);
    }
    if (!(area > 0.0)) throw DataError(file.string() + ": column '" + column + "' is all zero");
    shape.mean_ = area;
    return shape;
}

double QuantileShape::draw(Rng& rng) const {
    const double u = rng.uniform();
    auto it = std::upper_bound(exceed_.begin(), exceed_.end(), u);
    const std::size_t i = static_cast<std::size_t>(it - exceed_.begin()) - 1;  // exceed_[0] == 0 <= u < 1
    const double f = (u - exceed_[i]) / (exceed_[i + 1] - exceed_[i]);
    return (values_[i] + f * (values_[i + 1] - values_[i])) / mean_;
}

namespace {

ElaadnlTables read_elaadnl_tables(const std::filesystem::path& data_dir, const std::string& site_type) {
    if (site_type != "private" && site_type != "public" && site_type != "workplace") {
        throw DataError("ElaadNL: unknown site type '" + site_type +
                        "'; expected private, public or workplace");
    }
    ElaadnlTables t;
    auto normalise = [&](SlotTable& s, const std::filesystem::path& file) {
        const double total = std::accumulate(s.values.begin(), s.values.end(), 0.0);
        if (!(total > 0.0)) throw DataError(file.string() + ": the arrival shares sum to zero");
        for (auto& v : s.values) v /= total;
    };
    const auto weekday = data_dir / "elaadnl_distribution-of-arrival.csv";
    const auto weekend = data_dir / "elaadnl_distribution-of-arrival-weekend.csv";
    t.arrival_weekday = read_slot_table(weekday, site_type);
    t.arrival_weekend = read_slot_table(weekend, site_type == "workplace" ? "public" : site_type);
    normalise(t.arrival_weekday, weekday);
    normalise(t.arrival_weekend, weekend);
    t.mean_energy_kwh =
        read_slot_table(data_dir / "elaadnl_mean-demand-per-arrival.csv", mean_column(site_type));
    t.mean_stay_h = read_slot_table(data_dir / "elaadnl_mean-session-length-per.csv", mean_column(site_type));
    t.energy = QuantileShape::read(data_dir / "elaadnl_distribution-of-energy-demand.csv", site_type);
    t.stay = QuantileShape::read(data_dir / "elaadnl_distribution-of-connection-time.csv", site_type);
    return t;
}

}  // namespace

ElaadnlTables load_elaadnl_tables(const std::filesystem::path& data_dir, const std::string& site_type) {
    return DataCache::cached<ElaadnlTables>(cache_key("elaadnl", data_dir.string(), site_type),
                                            [&] { return read_elaadnl_tables(data_dir, site_type); });
}

}  // namespace evtwin
